//! ## regex
//!
//! **What:** a regular expression applied to a value: `re.test(x)`, `x.match(re)`, `x.matchAll(re)`,
//! `x.replace(re, ...)`, `x.search(re)`, `x.split(re)`.
//!
//! **Why:** a regex is a small program with its own edge cases; test one input that matches, one that does not, one
//! that almost matches (anchors, case), and the empty string.
//!
//! **Example:** `/^\d{5}$/.test(zip)` -> try `"12345"`, `"1234"`, `"123456"`, `""`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, subject, text_of};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "regex" };

fn is_regex(e: &Expression) -> bool {
    match e.without_parentheses() {
        Expression::RegExpLiteral(_) => true,
        Expression::NewExpression(n) => {
            matches!(&n.callee, Expression::Identifier(id) if id.name == "RegExp")
        }
        Expression::Identifier(id) => {
            let n = id.name.as_str();
            n.ends_with("Re")
                || n.ends_with("RE")
                || n.ends_with("Regex")
                || n.ends_with("Pattern")
                || n.ends_with("REGEX")
        }
        _ => false,
    }
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    let method = member.property.name.as_str();
    let (input, regex_span) = match method {
        "test" | "exec" if is_regex(&member.object) => {
            match e.arguments.first().and_then(|a| a.as_expression()) {
                Some(arg) => (arg, member.object.span()),
                None => return,
            }
        }
        "match" | "matchAll" | "replace" | "replaceAll" | "search" | "split" => {
            match e.arguments.first().and_then(|a| a.as_expression()) {
                Some(re) if is_regex(re) => (&member.object, re.span()),
                _ => return,
            }
        }
        _ => return,
    };
    let regex = text_of(c, regex_span);
    let (subject, confidence) = subject(c, input);
    let mut values = strings(&["<a string matching", "<a string not matching", "\"\""]);
    values[0] = format!("<a string matching {regex}>");
    values[1] = format!("<a string not matching {regex}>");
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        values,
        "regular expression",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn test_and_match_calls() {
        let found = cases(
            "function f(zip: string) { return /^\\d{5}$/.test(zip) || zip.match(/x/); }",
            "regex",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].subject, "zip");
        assert_eq!(found[0].values[2], "\"\"");
        assert!(cases("function f(s: string) { return s.split(','); }", "regex").is_empty());
    }
}
