//! ## empty-catch
//!
//! **What:** a `catch` block with no statements and no comment explaining why (like ESLint `no-empty` for catch).
//!
//! **Why:** a swallowed error hides failures: the code goes on with a wrong state and nothing tells the tester.
//!
//! **Bad:** `try { save(); } catch (e) {}`
//!
//! **Good:** `try { save(); } catch (e) { log.warn("save failed", e); }` or a comment: `catch { /* optional */ }`

use oxc_ast::ast::CatchClause;
use oxc_ast::{AstKind, AstType};
use oxc_span::Span;

use super::{node_rule, NodeRule, RuleMeta};
use crate::lint::facts::Collector;
use crate::model::Severity;

pub const META: RuleMeta = node_rule::<EmptyCatch>();

struct EmptyCatch;

impl NodeRule for EmptyCatch {
    const ID: &'static str = "empty-catch";
    const SEVERITY: Severity = Severity::Warning;
    const KINDS: &'static [AstType] = &[AstType::CatchClause];
    const MESSAGE: &'static str = "empty catch block swallows the error";

    fn finding(at: &Collector, kind: AstKind) -> Option<Span> {
        match kind {
            AstKind::CatchClause(clause) if is_empty(at.text, clause) => Some(clause.span),
            _ => None,
        }
    }
}

/// No statements and no comment in the catch body.
fn is_empty(text: &str, clause: &CatchClause) -> bool {
    if !clause.body.body.is_empty() {
        return false;
    }
    let body = text
        .get(clause.body.span.start as usize..clause.body.span.end as usize)
        .unwrap_or_default();
    !body.contains("//") && !body.contains("/*")
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_empty_catch_without_comment() {
        let code = "function f() { try { g(); } catch (e) {} }\nfunction h() { try { g(); } catch { /* optional */ } }\nfunction k() { try { g(); } catch (e) { log(e); } }";
        let found = smells(code, "empty-catch", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].function.as_deref(), Some("f"));
    }
}
