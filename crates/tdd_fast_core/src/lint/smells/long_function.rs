//! ## long-function
//!
//! **What:** a function longer than `threshold` lines (default 50), counted like ESLint `max-lines-per-function`
//! with its default options (every line from the function's first to its last, comments and blank lines included).
//!
//! **Why:** long functions do several things at once; each thing is harder to name, test and change on its own.
//!
//! **Bad:** one 120-line `handleRequest` that parses, validates, queries and renders.
//!
//! **Good:** `handleRequest` calling `parseInput`, `validate`, `load` and `render`, each short enough to read at once.

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "long-function",
    severity: Severity::Warning,
    options: &[("threshold", 50.0)],
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
        |f| f.metrics.lines,
        |f, v, t| format!("{} has {v} lines (maximum {t})", f.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_functions_over_the_threshold_only() {
        let long = format!(
            "function big() {{\n{}}}\nfunction small() {{ return 1; }}",
            "  work();\n".repeat(60)
        );
        let found = smells(&long, "long-function", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].function.as_deref(), Some("big"));
        assert_eq!(found[0].value, 62.0);
        // At the function's head (where ESLint reports it), to just after its closing brace.
        assert_eq!(
            (
                found[0].line,
                found[0].column,
                found[0].end_line,
                found[0].end_column
            ),
            (1, 1, 62, 2)
        );
        assert!(smells(
            &long,
            "long-function",
            r#"{"rules":{"long-function":{"threshold":70}}}"#
        )
        .is_empty());
    }
}
