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

use super::{smell, Collects, RuleContext, RuleMeta, Signals, Site};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "useless-catch",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
    collects: Some(Collects::of::<UselessCatches>(&[AstType::CatchClause])),
};

/// The file's catch clauses that only rethrow.
#[derive(Default)]
struct UselessCatches(Vec<Site>);

impl Signals for UselessCatches {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let AstKind::CatchClause(clause) = kind {
            if is_useless(clause) {
                self.0.push(at.site(clause.span));
            }
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

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let Some(UselessCatches(sites)) = ctx.signals() else {
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
            "catch only rethrows the error: remove it or add context".to_string(),
        ));
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
