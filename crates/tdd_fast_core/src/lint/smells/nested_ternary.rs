//! ## nested-ternary
//!
//! **What:** a conditional expression inside another one (like ESLint `no-nested-ternary`).
//!
//! **Why:** `a ? b : c ? d : e` packs several branches into one expression that is hard to read and to cover.
//!
//! **Bad:** `const label = n === 0 ? "none" : n === 1 ? "one" : "many";`
//!
//! **Good:** `if`/`switch` statements or a lookup: `const label = LABELS[n] ?? "many";`

use oxc_ast::ast::{ConditionalExpression, Expression};
use oxc_ast::{AstKind, AstType};

use super::{smell, Collects, RuleContext, RuleMeta, Signals, Site};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "nested-ternary",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
    collects: Some(Collects::of::<NestedTernaries>(&[
        AstType::ConditionalExpression,
    ])),
};

/// The file's conditional expressions that hold another one.
#[derive(Default)]
struct NestedTernaries(Vec<Site>);

impl Signals for NestedTernaries {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let AstKind::ConditionalExpression(conditional) = kind {
            if is_nested(conditional) {
                self.0.push(at.site(conditional.span));
            }
        }
    }
}

/// A conditional expression that has another one as its test or a branch (parentheses see-through).
fn is_nested(conditional: &ConditionalExpression) -> bool {
    let nested = |e: &Expression| {
        matches!(
            e.without_parentheses(),
            Expression::ConditionalExpression(_)
        )
    };
    nested(&conditional.test) || nested(&conditional.consequent) || nested(&conditional.alternate)
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let Some(NestedTernaries(sites)) = ctx.signals() else {
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
            "nested ternary expression".to_string(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_the_outer_ternary_only() {
        let code = "const f = (n) => n === 0 ? 'none' : (n === 1 ? 'one' : 'many');\nconst g = (n) => n ? 1 : 2;";
        let found = smells(code, "nested-ternary", "");
        assert_eq!(found.len(), 1);
        // The outer conditional, from its test to the end of its last branch.
        assert_eq!((found[0].column, found[0].end_column), (18, 63));
    }
}
