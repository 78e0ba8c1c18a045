//! ## boolean-parameter
//!
//! **What:** a parameter typed `boolean` or defaulting to `true`/`false` (a "flag argument"); setters are exempt.
//!
//! **Why:** a flag means the function does two things, and call sites read as `render(user, true)`: true what?
//! Each flag doubles the cases to test.
//!
//! **Bad:** `function render(user: User, compact: boolean) {}`
//!
//! **Good:** `renderCompact(user)` and `renderFull(user)`, or an options object: `render(user, { layout: "compact" })`.

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{FunctionKind, Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "boolean-parameter",
    severity: Severity::Info,
    options: &[],
    list_options: &[],
    check,
    collects: None,
};

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    for (f, span) in ctx.functions.iter().zip(ctx.function_spans) {
        if f.kind == FunctionKind::Setter {
            continue;
        }
        for p in &f.params {
            let typed = p.r#type.as_deref().map(str::trim) == Some("boolean");
            let defaulted = matches!(p.default_value.as_deref(), Some("true" | "false"));
            if typed || defaulted {
                out.push(smell(
                    &META,
                    settings,
                    ctx.function_loc(f, span),
                    Some(&f.name),
                    0.0,
                    0.0,
                    format!("{} takes a flag argument `{}`: split the function or pass an options object", f.name, p.name),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_boolean_typed_or_defaulted_params() {
        let code = "function a(x: boolean) {}\nfunction b(x = false) {}\nfunction c(x: string) {}\nclass K { set on(v: boolean) {} }";
        let found: Vec<_> = smells(code, "boolean-parameter", "")
            .into_iter()
            .filter_map(|s| s.function)
            .collect();
        assert_eq!(found, vec!["a", "b"]);
    }
}
