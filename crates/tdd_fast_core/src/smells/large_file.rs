//! ## large-file
//!
//! **What:** a file with more than `threshold` lines (default 500).
//!
//! **Why:** a large module usually holds several responsibilities; its tests and its reviews grow with it.
//!
//! **Bad:** `utils.ts` with 2,000 lines of unrelated helpers.
//!
//! **Good:** `dates.ts`, `money.ts`, `strings.ts`, each with its own test file.

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "large-file",
    severity: Severity::Warning,
    options: &[("threshold", 500.0)],
    list_options: &[],
    check,
};

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let threshold = settings.number("threshold");
    if f64::from(ctx.file_lines) > threshold {
        out.push(smell(
            &META,
            settings,
            1,
            ctx.file_lines,
            None,
            f64::from(ctx.file_lines),
            threshold,
            format!("file has {} lines (maximum {threshold})", ctx.file_lines),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::smells::test_support::smells;

    #[test]
    fn flags_files_over_the_threshold() {
        let code = "let a = 1;\n".repeat(12);
        assert!(smells(&code, "large-file", "").is_empty());
        let found = smells(&code, "large-file", r#"{"rules":{"large-file":10}}"#);
        assert_eq!(found[0].value, 12.0);
    }
}
