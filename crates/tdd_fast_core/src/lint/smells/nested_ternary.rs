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

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "nested-ternary",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
};

/// Records a conditional expression that has another one as its test or a branch (parentheses see-through).
pub fn collect(collector: &mut Collector, conditional: &ConditionalExpression) {
    let nested = |e: &Expression| {
        matches!(
            e.without_parentheses(),
            Expression::ConditionalExpression(_)
        )
    };
    if nested(&conditional.test)
        || nested(&conditional.consequent)
        || nested(&conditional.alternate)
    {
        let site = collector.site(conditional.span);
        collector.file_signals.nested_ternaries.push(site);
    }
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    for site in &ctx.signals.nested_ternaries {
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
