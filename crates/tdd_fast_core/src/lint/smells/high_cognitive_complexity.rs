//! ## high-cognitive-complexity
//!
//! **What:** a function whose cognitive complexity exceeds `threshold` (default 15, sonarjs's default), counted like
//! eslint-plugin-sonarjs `cognitive-complexity`: breaks in linear flow cost 1 plus their nesting level.
//!
//! **Why:** it measures how hard the code is to understand, which is what makes it hard to test and change.
//!
//! **Bad:** loops inside conditions inside loops, each with its own `&&` chains.
//!
//! **Good:** guard clauses, extracted predicates with names, one level of nesting per function.

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "high-cognitive-complexity",
    severity: Severity::Warning,
    options: &[("threshold", 15.0)],
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
        |f| f.metrics.cognitive,
        |f, v, t| format!("{} has a cognitive complexity of {v} (maximum {t})", f.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_cognitive_complexity_over_the_threshold() {
        // if +1, for +2, if +3 = 6
        let code = "function c(a) { if (a) { for (;;) { if (a) {} } } }";
        assert!(smells(code, "high-cognitive-complexity", "").is_empty());
        let found = smells(
            code,
            "high-cognitive-complexity",
            r#"{"rules":{"high-cognitive-complexity":5}}"#,
        );
        assert_eq!(found[0].value, 6.0);
    }
}
