//! ## length-boundary
//!
//! **What:** a check of an array's or string's `.length`, or an index into one (`xs[0]`, `xs[xs.length - 1]`,
//! `xs[i]`).
//!
//! **Why:** empty and single-element inputs break code that assumes "at least one" or "at least two"; the last index
//! is where off-by-one errors show; `xs[0]` on an empty array is `undefined`, not an error.
//!
//! **Example:** `if (items.length > 3)` -> try lengths 2, 3, 4 and an empty list; `xs[0].id` -> try `[]`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, subject, text_of};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta {
    id: "length-boundary",
};

fn length_of<'a>(expr: &'a Expression<'a>) -> Option<&'a Expression<'a>> {
    match expr.without_parentheses() {
        Expression::StaticMemberExpression(m) if m.property.name == "length" => Some(&m.object),
        _ => None,
    }
}

pub fn on_binary(c: &mut Collector, e: &BinaryExpression) {
    if !(e.operator.is_compare() || e.operator.is_equality()) {
        return;
    }
    let (object, other) = match (length_of(&e.left), length_of(&e.right)) {
        (Some(o), _) => (o, &e.right),
        (None, Some(o)) => (o, &e.left),
        _ => return,
    };
    let mut values = strings(&["<empty>", "<one element>"]);
    if let Expression::NumericLiteral(n) = other.without_parentheses() {
        let n = n.value as i64;
        for len in [n - 1, n, n + 1] {
            if len >= 2 {
                values.push(format!("<length {len}>"));
            }
        }
    } else {
        values.push("<many elements>".into());
    }
    let (subject, confidence) = subject(c, object);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        values,
        "length check",
    );
}

pub fn on_index(c: &mut Collector, e: &ComputedMemberExpression) {
    // Assignments to an index (`out[i] = x`) build data; reads are what break on short inputs.
    if matches!(c.parent(), Some(oxc_ast::AstKind::AssignmentExpression(a)) if a.left.span() == e.span)
    {
        return;
    }
    let values = match e.expression.without_parentheses() {
        Expression::NumericLiteral(n) if n.value == 0.0 => strings(&["<empty>"]),
        Expression::NumericLiteral(n) => {
            vec!["<empty>".into(), format!("<length {}>", n.value as i64)]
        }
        Expression::BinaryExpression(b) if length_of(&b.left).is_some() => {
            strings(&["<empty>", "<one element>"])
        }
        Expression::Identifier(_) => strings(&["<empty>", "<index out of range>", "<last index>"]),
        _ => return,
    };
    let (subject, confidence) = subject(c, &e.object);
    let _ = text_of;
    push(c, META.id, e.span, subject, confidence, values, "indexing");
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn finds_length_checks_and_indexing() {
        let code = "function f(items: string[], key: string) {\n  if (items.length > 3) return items[0];\n  const o = {};\n  o[key] = 1;\n  return items[items.length - 1];\n}";
        let found = cases(code, "length-boundary");
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0].values,
            vec![
                "<empty>",
                "<one element>",
                "<length 2>",
                "<length 3>",
                "<length 4>"
            ]
        );
        assert_eq!(found[1].values, vec!["<empty>"]);
    }

    #[test]
    fn ignores_code_without_lengths_or_indexes() {
        assert!(cases("function f(a) { return a.size > 1; }", "length-boundary").is_empty());
    }
}
