//! ## zero-divisor
//!
//! **What:** a division or remainder (`/`, `%`, `/=`, `%=`) whose divisor is not a non-zero constant.
//!
//! **Why:** in JavaScript `x / 0` is `Infinity` (or `NaN` for `0 / 0`) and `x % 0` is `NaN`: no exception, just a
//! wrong number that travels on. A test should pass a zero divisor and see what the function does with it.
//!
//! **Example:** `const avg = total / items.length` -> try an empty list (divisor `0`).

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "zero-divisor" };

fn constant_non_zero(expr: &Expression) -> bool {
    matches!(expr.without_parentheses(), Expression::NumericLiteral(n) if n.value != 0.0)
}

fn report(c: &mut Collector, divisor: &Expression, at: oxc_span::Span) {
    if constant_non_zero(divisor) {
        return;
    }
    let (subject, confidence) = subject(c, divisor);
    let values = if matches!(divisor.without_parentheses(), Expression::StaticMemberExpression(m) if m.property.name == "length")
    {
        strings(&["<empty: length 0>"])
    } else {
        strings(&["0", "-0", "NaN"])
    };
    push(
        c,
        META.id,
        at,
        subject,
        confidence,
        values,
        "division or remainder by a value that can be zero",
    );
}

pub fn on_binary(c: &mut Collector, e: &BinaryExpression) {
    if matches!(
        e.operator,
        BinaryOperator::Division | BinaryOperator::Remainder
    ) {
        report(c, &e.right, e.span);
    }
}

pub fn on_assignment(c: &mut Collector, e: &AssignmentExpression) {
    if matches!(
        e.operator,
        AssignmentOperator::Division | AssignmentOperator::Remainder
    ) {
        report(c, &e.right, e.right.span());
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn flags_variable_divisors_only() {
        let found = cases(
            "function f(a, b) { return a / b + a % 2 + a / 4; }",
            "zero-divisor",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject, "b");
        assert_eq!(found[0].values, vec!["0", "-0", "NaN"]);
        let by_length = cases(
            "function avg(xs: number[], t: number) { return t / xs.length; }",
            "zero-divisor",
        );
        assert_eq!(by_length[0].subject, "xs.length");
    }
}
