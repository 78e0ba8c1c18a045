//! ## date-time
//!
//! **What:** dates built or parsed from input (`new Date(x)`, `Date.parse(x)`, `Date.UTC(...)`), the clock
//! (`Date.now()`, `new Date()`), and date getters/setters on a parameter (`d.getMonth()`, `d.setDate(...)`).
//!
//! **Why:** invalid dates do not throw (`new Date("x")` is an Invalid Date whose getters return `NaN`); month ends,
//! leap days, time zones and DST changes break arithmetic; code reading the clock needs a fixed clock in tests.
//!
//! **Example:** `new Date(input)` -> try `"not a date"`, `"2024-02-29"`, `"2024-12-31T23:59:59Z"`, `0`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{param_of, push, strings, subject, LOCAL, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "date-time" };

const INPUT_VALUES: &[&str] = &[
    "\"not a date\"",
    "\"2024-02-29\"",
    "\"2024-12-31T23:59:59Z\"",
    "0",
    "<a date on a DST change in the local time zone>",
];

pub fn on_new(c: &mut Collector, e: &NewExpression) {
    if !matches!(&e.callee, Expression::Identifier(id) if id.name == "Date") {
        return;
    }
    match e.arguments.first().and_then(|a| a.as_expression()) {
        Some(arg) => {
            let (subject, confidence) = subject(c, arg);
            push(
                c,
                META.id,
                e.span,
                subject,
                confidence,
                strings(INPUT_VALUES),
                "date built from input",
            );
        }
        None => push(
            c,
            META.id,
            e.span,
            "new Date()".into(),
            LOCAL,
            strings(&["<a fixed clock (vi.useFakeTimers)>"]),
            "reads the clock",
        ),
    }
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    let method = member.property.name.as_str();
    if matches!(&member.object, Expression::Identifier(id) if id.name == "Date") {
        match method {
            "now" => push(
                c,
                META.id,
                e.span,
                "Date.now()".into(),
                LOCAL,
                strings(&["<a fixed clock (vi.useFakeTimers)>"]),
                "reads the clock",
            ),
            "parse" => {
                if let Some(arg) = e.arguments.first().and_then(|a| a.as_expression()) {
                    let (subject, confidence) = subject(c, arg);
                    push(
                        c,
                        META.id,
                        e.span,
                        subject,
                        confidence,
                        strings(INPUT_VALUES),
                        "date parsed from input",
                    );
                }
            }
            _ => {}
        }
        return;
    }
    let getter = (method.starts_with("get") || method.starts_with("set"))
        && [
            "Date",
            "Day",
            "FullYear",
            "Month",
            "Hours",
            "Minutes",
            "Time",
            "UTCDate",
            "UTCMonth",
            "UTCFullYear",
        ]
        .iter()
        .any(|s| method.ends_with(s));
    if getter && param_of(c, &member.object).is_some() {
        let text = super::text_of(c, member.object.span());
        push(
            c,
            META.id,
            e.span,
            text,
            PARAM,
            strings(&[
                "new Date(NaN)",
                "new Date(2024, 1, 29)",
                "new Date(2024, 11, 31, 23, 59, 59)",
            ]),
            "date arithmetic on a parameter",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn parsing_clock_and_getters() {
        let code = "function f(input: string, d: Date) { const x = new Date(input); return Date.now() - d.getMonth(); }";
        let found = cases(code, "date-time");
        let subjects: Vec<&str> = found.iter().map(|p| p.subject.as_str()).collect();
        assert_eq!(subjects, vec!["input", "Date.now()", "d"]);
        assert!(cases("function f(a) { return a.getName(); }", "date-time").is_empty());
    }
}
