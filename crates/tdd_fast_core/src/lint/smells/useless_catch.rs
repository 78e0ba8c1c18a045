//! ## useless-catch
//!
//! **What:** a `catch` that only rethrows the error it caught (like ESLint `no-useless-catch`).
//!
//! **Why:** it adds a branch and nesting without changing behaviour; readers look for a purpose that is not there.
//!
//! **Bad:** `try { return load(); } catch (e) { throw e; }`
//!
//! **Good:** `return load();`, or wrap with context: `catch (e) { throw new LoadError("config", { cause: e }); }`

use oxc_ast::ast::{BindingPattern, CatchClause, Expression, Statement};
use oxc_ast::{AstKind, AstType};
use oxc_span::Span;

use super::{node_rule, NodeRule, RuleMeta};
use crate::lint::facts::Collector;
use crate::model::Severity;

pub const META: RuleMeta = node_rule::<UselessCatch>();

struct UselessCatch;

impl NodeRule for UselessCatch {
    const ID: &'static str = "useless-catch";
    const SEVERITY: Severity = Severity::Warning;
    const KINDS: &'static [AstType] = &[AstType::CatchClause];
    const MESSAGE: &'static str = "catch only rethrows the error: remove it or add context";

    fn finding(_: &Collector, kind: AstKind) -> Option<Span> {
        match kind {
            AstKind::CatchClause(clause) if is_useless(clause) => Some(clause.span),
            _ => None,
        }
    }
}

/// `catch (e) { throw e; }` and nothing else.
fn is_useless(clause: &CatchClause) -> bool {
    let Some(param) = &clause.param else {
        return false;
    };
    let BindingPattern::BindingIdentifier(id) = &param.pattern else {
        return false;
    };
    match clause.body.body.as_slice() {
        [Statement::ThrowStatement(throw)] => {
            matches!(&throw.argument, Expression::Identifier(arg) if arg.name == id.name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_plain_rethrow_only() {
        let code = "function f() { try { g(); } catch (e) { throw e; } }\nfunction h() { try { g(); } catch (e) { throw new Error('x', { cause: e }); } }";
        let found = smells(code, "useless-catch", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].function.as_deref(), Some("f"));
    }
}
