//! ## large-file
//!
//! **What:** a file with more than `threshold` lines (default 500).
//!
//! **Why:** a large module usually holds several responsibilities; its tests and its reviews grow with it.
//!
//! **Bad:** `utils.ts` with 2,000 lines of unrelated helpers.
//!
//! **Good:** `dates.ts`, `money.ts`, `strings.ts`, each with its own test file.

use super::{smell, Loc, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "large-file",
    severity: Severity::Warning,
    options: &[("threshold", 500.0)],
    list_options: &[],
    check,
    collects: None,
};

/// From the first character to the last one of the last line (a final line break starts no line).
fn whole_file(ctx: &RuleContext) -> Loc {
    let text = ctx.text.strip_suffix('\n').unwrap_or(ctx.text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    ctx.loc(oxc_span::Span::new(0, text.len() as u32))
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let threshold = settings.number("threshold");
    if f64::from(ctx.file_lines) > threshold {
        out.push(smell(
            &META,
            settings,
            whole_file(ctx),
            None,
            f64::from(ctx.file_lines),
            threshold,
            format!("file has {} lines (maximum {threshold})", ctx.file_lines),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_files_over_the_threshold() {
        let code = "let a = 1;\n".repeat(12);
        assert!(smells(&code, "large-file", "").is_empty());
        let found = smells(&code, "large-file", r#"{"rules":{"large-file":10}}"#);
        assert_eq!(found[0].value, 12.0);
    }
}
