//! ## null-check
//!
//! **What:** the function compares a value with `null`/`undefined` (`x == null`, `x === undefined`,
//! `typeof x === "undefined"`, `!x`), or declares an optional parameter (`x?: T`, or one with a default value).
//!
//! **Why:** the code has a branch for a missing value; a test should take it with `null` and with `undefined`
//! (they differ for `===` and for default values, which only apply to `undefined`).
//!
//! **Example:** `function greet(name?: string) { if (!name) return "hi"; ... }` -> try `undefined`, `null`, `""`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{current, param_of, push, strings, subject, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "null-check" };

/// Optional parameters of the function just entered.
pub fn on_function(c: &mut Collector) {
    let Some(report) = current(c) else { return };
    let optional: Vec<(String, bool)> = report
        .params
        .iter()
        .filter(|p| p.optional && !p.rest)
        .map(|p| (p.name.clone(), p.default_value.is_some()))
        .collect();
    let span = c.frames.last().map(|f| f.span).unwrap_or_default();
    for (name, has_default) in optional {
        let reason = if has_default {
            "parameter has a default value: undefined takes it, null does not"
        } else {
            "optional parameter"
        };
        push(
            c,
            META.id,
            span,
            name,
            PARAM,
            strings(&["undefined", "null"]),
            reason,
        );
    }
}

fn is_nullish(expr: &Expression) -> bool {
    match expr.without_parentheses() {
        Expression::NullLiteral(_) => true,
        Expression::Identifier(id) => id.name == "undefined",
        Expression::UnaryExpression(u) => u.operator == UnaryOperator::Void,
        _ => false,
    }
}

pub fn on_binary(c: &mut Collector, e: &BinaryExpression) {
    if !e.operator.is_equality() {
        return;
    }
    let other = if is_nullish(&e.right) {
        &e.left
    } else if is_nullish(&e.left) {
        &e.right
    } else {
        // typeof x === "undefined"
        match (
            &e.left.without_parentheses(),
            &e.right.without_parentheses(),
        ) {
            (Expression::UnaryExpression(u), Expression::StringLiteral(s))
                if u.operator == UnaryOperator::Typeof && s.value == "undefined" =>
            {
                &u.argument
            }
            _ => return,
        }
    };
    let (subject, confidence) = subject(c, other);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        strings(&["null", "undefined"]),
        "compared with null/undefined",
    );
}

/// `!x` / `!!x` on a parameter in a condition: falsy values all take the branch.
pub fn on_unary(c: &mut Collector, e: &UnaryExpression) {
    if e.operator != UnaryOperator::LogicalNot {
        return;
    }
    if matches!(c.parent(), Some(oxc_ast::AstKind::UnaryExpression(_))) {
        return;
    }
    let arg = e.argument.without_parentheses();
    if !matches!(
        arg,
        Expression::Identifier(_) | Expression::StaticMemberExpression(_)
    ) {
        return;
    }
    let Some(param) = param_of(c, arg) else {
        return;
    };
    let mut values = strings(&["null", "undefined"]);
    let ty = param.r#type.as_deref().unwrap_or("");
    if ty.is_empty() || ty.contains("string") {
        values.push("\"\"".into());
    }
    if ty.is_empty() || ty.contains("number") {
        values.extend(strings(&["0", "NaN"]));
    }
    let text = super::text_of(c, arg.span());
    push(
        c,
        META.id,
        e.span,
        text,
        PARAM,
        values,
        "falsy check: every falsy value takes this branch",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn finds_null_comparisons_falsy_checks_and_optional_params() {
        let code =
            "function f(a, b?: string, n = 1) {\n  if (a == null) return;\n  if (!b) return;\n}";
        let found = cases(code, "null-check");
        let subjects: Vec<&str> = found.iter().map(|p| p.subject.as_str()).collect();
        assert_eq!(subjects, vec!["b", "n", "a", "b"]);
        assert_eq!(found[2].line, 2);
        assert!(found[3].values.contains(&"\"\"".to_string()));
    }

    #[test]
    fn ignores_plain_comparisons() {
        assert!(cases("function f(a, b) { return a === b; }", "null-check").is_empty());
    }
}
