//! ## nested-ternary
//!
//! **What:** a conditional expression inside another one (like ESLint `no-nested-ternary`).
//!
//! **Why:** `a ? b : c ? d : e` packs several branches into one expression that is hard to read and to cover.
//!
//! **Bad:** `const label = n === 0 ? "none" : n === 1 ? "one" : "many";`
//!
//! **Good:** `if`/`switch` statements or a lookup: `const label = LABELS[n] ?? "many";`

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "nested-ternary",
    severity: Severity::Warning,
    options: &[],
    list_options: &[],
    check,
};

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
    use crate::smells::test_support::smells;

    #[test]
    fn flags_the_outer_ternary_only() {
        let code = "const f = (n) => n === 0 ? 'none' : (n === 1 ? 'one' : 'many');\nconst g = (n) => n ? 1 : 2;";
        assert_eq!(smells(code, "nested-ternary", "").len(), 1);
    }
}
