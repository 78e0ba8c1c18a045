//! ## numeric-boundary
//!
//! **What:** a comparison of a value with a numeric constant (`<`, `<=`, `>`, `>=`, `===`, `!==`).
//!
//! **Why:** off-by-one errors live at the boundary: test the constant itself, one below and one above; when the
//! subject may be any number, also `0`, `-1`, `NaN` (every comparison with it is false) and `Infinity`.
//!
//! **Example:** `if (qty > 10) discount()` -> try `9`, `10`, `11`, plus `0`, `-1`, `NaN`, `Infinity`.

use oxc_ast::ast::*;

use super::{may_be_number, param_of, push, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta {
    id: "numeric-boundary",
};

fn number(expr: &Expression) -> Option<f64> {
    match expr.without_parentheses() {
        Expression::NumericLiteral(n) => Some(n.value),
        Expression::UnaryExpression(u) if u.operator == UnaryOperator::UnaryNegation => {
            match &u.argument {
                Expression::NumericLiteral(n) => Some(-n.value),
                _ => None,
            }
        }
        _ => None,
    }
}

fn fmt(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub fn on_binary(c: &mut Collector, e: &BinaryExpression) {
    if !(e.operator.is_compare() || e.operator.is_equality()) {
        return;
    }
    let (other, constant) = match (number(&e.left), number(&e.right)) {
        (None, Some(n)) => (&e.left, n),
        (Some(n), None) => (&e.right, n),
        _ => return,
    };
    // `x.length > 0` is length-boundary's.
    if matches!(other.without_parentheses(), Expression::StaticMemberExpression(m) if m.property.name == "length")
    {
        return;
    }
    let step = if constant.fract() == 0.0 { 1.0 } else { 0.1 };
    let mut values = vec![fmt(constant - step), fmt(constant), fmt(constant + step)];
    if may_be_number(param_of(c, other)) {
        for extra in ["0", "-1", "NaN", "Infinity"] {
            if !values.iter().any(|v| v == extra) {
                values.push(extra.to_string());
            }
        }
    }
    let (subject, confidence) = subject(c, other);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        values,
        "comparison with a numeric constant",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn gives_the_boundary_values() {
        let found = cases(
            "function f(qty: number) { if (qty > 10) return 1; return 0; }",
            "numeric-boundary",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject, "qty");
        assert_eq!(
            found[0].values,
            vec!["9", "10", "11", "0", "-1", "NaN", "Infinity"]
        );
        assert_eq!(found[0].confidence, 0.9);
    }

    #[test]
    fn ignores_non_numeric_comparisons() {
        assert!(cases(
            "function f(a: string, b) { return a < b || a.length > 3; }",
            "numeric-boundary"
        )
        .is_empty());
    }
}
