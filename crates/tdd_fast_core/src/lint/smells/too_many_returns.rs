//! ## too-many-returns
//!
//! **What:** a function with more than `threshold` `return` statements (default 3, like sonarjs
//! `function-return-type`'s sibling S1142); returns inside nested functions count for those functions.
//!
//! **Why:** many exits make the flow hard to follow and every exit is another case a test must reach.
//!
//! **Bad:** a 40-line function with `return` in six different branches.
//!
//! **Good:** guard clauses up front, then one main path; or a lookup table in place of a branch per value.

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "too-many-returns",
    severity: Severity::Info,
    options: &[("threshold", 3.0)],
    list_options: &[],
    check,
};

/// Counts a `return` for the innermost function (or code path) it belongs to.
pub fn collect(collector: &mut Collector) {
    if let Some(frame) = collector.frames.last_mut() {
        frame.signals.returns += 1;
    }
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let threshold = settings.number("threshold");
    for (f, signals) in ctx.functions.iter().zip(ctx.function_signals) {
        if f64::from(signals.returns) > threshold {
            out.push(smell(
                &META,
                settings,
                ctx.function_loc(f, signals),
                Some(&f.name),
                f64::from(signals.returns),
                threshold,
                format!(
                    "{} has {} return statements (maximum {threshold})",
                    f.name, signals.returns
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn counts_own_returns_only() {
        let code = "function f(a) {\n  if (a === 1) return 1;\n  if (a === 2) return 2;\n  if (a === 3) return 3;\n  return [1].map((x) => { return x; });\n}";
        let found = smells(code, "too-many-returns", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 4.0);
        assert!(smells(
            code,
            "too-many-returns",
            r#"{"rules":{"too-many-returns":4}}"#
        )
        .is_empty());
    }
}
