//! ## callback-hell
//!
//! **What:** a callback nested more than `threshold` callbacks deep (default 3), counted like ESLint
//! `max-nested-callbacks` (function expressions and arrows passed to calls).
//!
//! **Why:** the "pyramid of doom" hides the order of effects and makes error paths easy to forget and hard to test.
//!
//! **Bad:** `read(a, () => parse(b, () => save(c, () => notify(d, () => {}))))`
//!
//! **Good:** `const data = await read(a); const parsed = await parse(data); await save(parsed);`

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "callback-hell",
    severity: Severity::Warning,
    options: &[("threshold", 3.0)],
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
        |f| f.metrics.max_nested_callbacks,
        |f, v, t| format!("{} is nested {v} callbacks deep (maximum {t})", f.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_the_fourth_nested_callback() {
        let code = "a(() => b(() => c(() => d(() => 1))));";
        let found = smells(code, "callback-hell", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 4.0);
        assert!(smells("a(() => b(() => c(() => 1)));", "callback-hell", "").is_empty());
    }
}
