//! ## parse-input
//!
//! **What:** text parsed into a value: `parseInt`, `parseFloat`, `Number(x)`, `JSON.parse`, `BigInt(x)`,
//! `new URL(x)`.
//!
//! **Why:** parsers fail quietly (`parseInt("abc")` is `NaN`, `parseInt("12px")` is `12`, `Number("")` is `0`) or
//! loudly (`JSON.parse("")` and `new URL("x")` throw): either way the caller's handling needs a test.
//!
//! **Example:** `const n = parseInt(qs.page)` -> try `""`, `"abc"`, `"12abc"`, `" 42 "`, `undefined`.

use oxc_ast::ast::*;

use super::{push, strings, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "parse-input" };

const NUMBER_VALUES: &[&str] = &[
    "\"\"",
    "\"abc\"",
    "\"12abc\"",
    "\" 42 \"",
    "\"1e3\"",
    "undefined",
];
const JSON_VALUES: &[&str] = &[
    "\"\"",
    "\"{\"",
    "\"null\"",
    "\"[]\"",
    "<valid JSON of the wrong shape>",
];
const URL_VALUES: &[&str] = &[
    "\"\"",
    "\"not a url\"",
    "\"/relative/path\"",
    "\"http://exa mple.com\"",
];

fn parser(callee: &Expression) -> Option<&'static [&'static str]> {
    match callee.without_parentheses() {
        Expression::Identifier(id) => match id.name.as_str() {
            "parseInt" | "parseFloat" | "Number" | "BigInt" => Some(NUMBER_VALUES),
            _ => None,
        },
        Expression::StaticMemberExpression(m) => match (&m.object, m.property.name.as_str()) {
            (Expression::Identifier(o), "parse") if o.name == "JSON" => Some(JSON_VALUES),
            (Expression::Identifier(o), "parseInt" | "parseFloat") if o.name == "Number" => {
                Some(NUMBER_VALUES)
            }
            _ => None,
        },
        _ => None,
    }
}

fn report(
    c: &mut Collector,
    values: &'static [&'static str],
    arg: Option<&Expression>,
    at: oxc_span::Span,
) {
    let Some(arg) = arg else { return };
    if matches!(
        arg.without_parentheses(),
        Expression::StringLiteral(_) | Expression::NumericLiteral(_)
    ) {
        return;
    }
    let (subject, confidence) = subject(c, arg);
    push(
        c,
        META.id,
        at,
        subject,
        confidence,
        strings(values),
        "parses text: try invalid input",
    );
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    if let Some(values) = parser(&e.callee) {
        report(
            c,
            values,
            e.arguments.first().and_then(|a| a.as_expression()),
            e.span,
        );
    }
}

pub fn on_new(c: &mut Collector, e: &NewExpression) {
    if matches!(&e.callee, Expression::Identifier(id) if id.name == "URL") {
        report(
            c,
            URL_VALUES,
            e.arguments.first().and_then(|a| a.as_expression()),
            e.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn parse_calls_on_inputs() {
        let found = cases(
            "function f(raw, page) { return [JSON.parse(raw), parseInt(page, 10), new URL(raw)]; }",
            "parse-input",
        );
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].values[1], "\"{\"");
        assert_eq!(found[1].subject, "page");
        assert!(cases("function f() { return parseInt('12', 10); }", "parse-input").is_empty());
    }
}
