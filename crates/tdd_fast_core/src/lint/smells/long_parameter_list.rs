//! ## long-parameter-list
//!
//! **What:** a function with more than `threshold` parameters (default 4), counted like ESLint `max-params`
//! (a TypeScript `this` parameter counts unless it is typed `void`).
//!
//! **Why:** every call site must get the order right, and every parameter multiplies the cases a test must cover.
//!
//! **Bad:** `function createUser(name, email, age, role, team, manager) {}`
//!
//! **Good:** `function createUser(input: NewUser) {}` with the fields named in one object.

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "long-parameter-list",
    severity: Severity::Warning,
    options: &[("threshold", 4.0)],
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
        |f| f.metrics.params,
        |f, v, t| format!("{} has {v} parameters (maximum {t})", f.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_more_than_four_params() {
        let code = "function many(a, b, c, d, e) {}\nfunction few(a, b) {}";
        let found = smells(code, "long-parameter-list", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 5.0);
        assert!(smells(
            code,
            "long-parameter-list",
            r#"{"rules":{"long-parameter-list":5}}"#
        )
        .is_empty());
    }
}
