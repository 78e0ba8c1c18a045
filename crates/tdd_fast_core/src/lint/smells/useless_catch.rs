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

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "useless-catch",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
};

/// Records a catch clause that only rethrows (its signal: `FileSignals::useless_catches`).
pub fn collect(collector: &mut Collector, clause: &CatchClause) {
    if is_useless(clause) {
        let site = collector.site(clause.span);
        collector.file_signals.useless_catches.push(site);
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
    for site in &ctx.signals.useless_catches {
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
