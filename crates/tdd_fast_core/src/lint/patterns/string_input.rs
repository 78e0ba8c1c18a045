//! ## string-input
//!
//! **What:** a string method called on a parameter or on a value typed `string` (`trim`, `split`, `toLowerCase`,
//! `slice`, `replace`, `startsWith`, `padStart`, `normalize`, ...).
//!
//! **Why:** string code is usually written for "ordinary" text; the empty string, whitespace only, and non-ASCII text
//! (accents, emoji made of surrogate pairs, combining marks) are where `length`, `slice` and case mapping surprise.
//!
//! **Example:** `name.trim().split(" ")` -> try `""`, `"   "`, `"Zoë 👩‍💻"`.

use oxc_ast::ast::*;

use super::{param_of, push, strings, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "string-input" };

const METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "split",
    "toLowerCase",
    "toUpperCase",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "substring",
    "substr",
    "slice",
    "replace",
    "replaceAll",
    "startsWith",
    "endsWith",
    "charAt",
    "charCodeAt",
    "codePointAt",
    "padStart",
    "padEnd",
    "normalize",
    "localeCompare",
    "repeat",
    "at",
];

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    if !METHODS.contains(&member.property.name.as_str()) {
        return;
    }
    let Some(param) = param_of(c, &member.object) else {
        return;
    };
    let ty = param.r#type.as_deref().unwrap_or("");
    // `slice`/`at` also exist on arrays: only count them when the parameter is typed as a string.
    let array_too = matches!(member.property.name.as_str(), "slice" | "at");
    if (array_too && !ty.contains("string"))
        || (!ty.is_empty() && !ty.contains("string") && !ty.contains("any"))
    {
        return;
    }
    let (subject, confidence) = subject(c, &member.object);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        strings(&["\"\"", "\"   \"", "\"Zoë 👩‍💻\""]),
        "string operation",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn finds_string_methods_on_params() {
        let found = cases(
            "function f(name: string) { return name.trim().toUpperCase(); }",
            "string-input",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].values[0], "\"\"");
    }

    #[test]
    fn ignores_arrays_and_locals() {
        let code = "function f(xs: number[]) { const s = 'a'; return xs.slice(1).length + s.trim().length; }";
        assert!(cases(code, "string-input").is_empty());
    }
}
