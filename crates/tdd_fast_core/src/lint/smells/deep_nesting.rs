//! ## deep-nesting
//!
//! **What:** a function whose blocks nest deeper than `threshold` (default 4), measured like ESLint `max-depth`
//! (if, loops, switch, try and with open a level; an else-if does not).
//!
//! **Why:** every level is one more condition a reader must hold in mind and a test must set up.
//!
//! **Bad:** `for (...) { if (...) { for (...) { if (...) { if (...) { ... } } } } }`
//!
//! **Good:** early returns (`if (!ok) return;`) and extracted helpers keep the main path flat.

use super::{metric_rule, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "deep-nesting",
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
        |f| f.metrics.max_depth,
        |f, v, t| format!("{} nests blocks {v} deep (maximum {t})", f.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_depth_five_not_four() {
        let deep = "function d(a) { if (a) { for (;;) { while (a) { if (a) { if (a) {} } } } } }";
        let ok = "function d(a) { if (a) { for (;;) { while (a) { if (a) {} } } } }";
        assert_eq!(smells(deep, "deep-nesting", "")[0].value, 5.0);
        assert!(smells(ok, "deep-nesting", "").is_empty());
    }
}
