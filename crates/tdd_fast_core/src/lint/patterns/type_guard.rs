//! ## type-guard
//!
//! **What:** a runtime type test: `typeof x === "string"`, `x instanceof Foo`, `Array.isArray(x)`,
//! `Number.isInteger(x)` / `Number.isFinite(x)` / `Number.isNaN(x)`.
//!
//! **Why:** the guard splits the function into a branch per type; each needs an input of that type, and the other
//! branch an input of another type (the one TypeScript's types promised would never come).
//!
//! **Example:** `typeof input === "string" ? parse(input) : input` -> try `"42"` and `42`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "type-guard" };

fn sample(type_name: &str) -> &'static str {
    match type_name {
        "string" => "\"text\"",
        "number" => "42",
        "boolean" => "true",
        "object" => "{}",
        "function" => "() => {}",
        "undefined" => "undefined",
        "bigint" => "1n",
        "symbol" => "Symbol()",
        _ => "<a value of that type>",
    }
}

fn other(type_name: &str) -> &'static str {
    match type_name {
        "string" => "42",
        "number" => "\"42\"",
        "object" => "null",
        _ => "\"text\"",
    }
}

pub fn on_binary(c: &mut Collector, e: &BinaryExpression) {
    if e.operator == BinaryOperator::Instanceof {
        let class = super::text_of(c, e.right.span());
        let (subject, confidence) = subject(c, &e.left);
        push(
            c,
            META.id,
            e.span,
            subject,
            confidence,
            vec![
                format!("<an instance of {class}>"),
                "<a plain object>".into(),
                "null".into(),
            ],
            "instanceof check",
        );
        return;
    }
    if !e.operator.is_equality() {
        return;
    }
    let (typeof_arg, type_name) =
        match (e.left.without_parentheses(), e.right.without_parentheses()) {
            (Expression::UnaryExpression(u), Expression::StringLiteral(s))
            | (Expression::StringLiteral(s), Expression::UnaryExpression(u))
                if u.operator == UnaryOperator::Typeof =>
            {
                (&u.argument, s.value.as_str())
            }
            _ => return,
        };
    if type_name == "undefined" {
        return; // null-check's
    }
    let mut values = strings(&[sample(type_name), other(type_name)]);
    if type_name == "object" {
        values.push("[]".into());
    }
    let (subject, confidence) = subject(c, typeof_arg);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        values,
        "typeof check: one input per branch",
    );
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    let Expression::Identifier(object) = &member.object else {
        return;
    };
    let values = match (object.name.as_str(), member.property.name.as_str()) {
        ("Array", "isArray") => strings(&["[]", "[1]", "{ length: 1 }", "\"text\""]),
        ("Number", "isInteger" | "isSafeInteger") => strings(&["1", "1.5", "NaN", "2 ** 53"]),
        ("Number", "isFinite") => strings(&["1", "Infinity", "NaN", "\"1\""]),
        ("Number", "isNaN") => strings(&["NaN", "1", "\"NaN\""]),
        _ => return,
    };
    let Some(arg) = e.arguments.first().and_then(|a| a.as_expression()) else {
        return;
    };
    let (subject, confidence) = subject(c, arg);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        values,
        "type check: one input per branch",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn typeof_instanceof_and_is_array() {
        let code = "function f(x) { if (typeof x === 'string') return 1; if (x instanceof Date) return 2; return Array.isArray(x); }";
        let found = cases(code, "type-guard");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].values, vec!["\"text\"", "42"]);
        assert!(cases(
            "function f(x) { return typeof x === 'undefined'; }",
            "type-guard"
        )
        .is_empty());
    }
}
