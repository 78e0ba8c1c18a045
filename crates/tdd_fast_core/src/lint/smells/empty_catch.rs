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

use super::{smell, Collects, RuleContext, RuleMeta, Signals, Site};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "empty-catch",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
    collects: Some(Collects::of::<EmptyCatches>(&[AstType::CatchClause])),
};

/// The file's empty catch clauses.
#[derive(Default)]
struct EmptyCatches(Vec<Site>);

impl Signals for EmptyCatches {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let AstKind::CatchClause(clause) = kind {
            if is_empty(at.text, clause) {
                self.0.push(at.site(clause.span));
            }
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

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let Some(EmptyCatches(sites)) = ctx.signals() else {
        return;
    };
    for site in sites {
        out.push(smell(
            &META,
            settings,
            ctx.loc(site.span),
            site.function.as_deref(),
            0.0,
            0.0,
            "empty catch block swallows the error".to_string(),
        ));
    }
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
