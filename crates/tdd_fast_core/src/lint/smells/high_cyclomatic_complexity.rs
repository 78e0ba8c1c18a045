//! ## high-cyclomatic-complexity
//!
//! **What:** a function whose cyclomatic complexity exceeds `threshold` (default 20, ESLint's default), counted
//! exactly like ESLint `complexity` (classic): 1 + each if, ?:, &&/||/??, loop, catch, `case`, default value,
//! logical assignment and optional-chaining link.
//!
//! **Why:** the number is a lower bound on the tests needed to take every branch once.
//!
//! **Bad:** one function deciding on 25 independent conditions.
//!
//! **Good:** a lookup table or polymorphism in place of long condition chains; smaller functions per decision.

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "high-cyclomatic-complexity",
    severity: Severity::Warning,
    options: &[("threshold", 20.0)],
    list_options: &[],
    check,
    collects: None,
};

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    metric_rule(
        &META,
        ctx,
        settings,
        out,
        |f| f.metrics.cyclomatic,
        |f, v, t| {
            format!(
                "{} has a cyclomatic complexity of {v} (maximum {t})",
                f.name
            )
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_complexity_over_the_threshold() {
        let code = "function c(a) { if (a) {} if (a) {} if (a) {} }";
        assert!(smells(code, "high-cyclomatic-complexity", "").is_empty());
        let found = smells(
            code,
            "high-cyclomatic-complexity",
            r#"{"rules":{"high-cyclomatic-complexity":3}}"#,
        );
        assert_eq!(found[0].value, 4.0);
    }
}
