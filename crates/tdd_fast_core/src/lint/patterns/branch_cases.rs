//! ## branch-cases
//!
//! **What:** a `switch`, or an `if`/`else if` chain comparing one subject with constants (`x === "a"`,
//! `x === "b"`, ...). Values are every case's constant plus the default (`<another value>`).
//!
//! **Why:** each case is a separate behaviour; the default (or the missing default) is where unexpected input goes.
//! One test per case is the cheapest complete coverage there is.
//!
//! **Example:** `switch (role) { case "admin": ...; case "user": ...; }` -> try `"admin"`, `"user"` and `"guest"`.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::GetSpan;

use super::{push, subject, text_of};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "branch-cases" };

pub fn on_switch(c: &mut Collector, s: &SwitchStatement) {
    let mut values: Vec<String> = s
        .cases
        .iter()
        .filter_map(|case| case.test.as_ref().map(|t| text_of(c, t.span())))
        .collect();
    values.push(if s.cases.iter().any(|case| case.test.is_none()) {
        "<default: another value>".into()
    } else {
        "<another value: no case matches>".into()
    });
    let (subject, confidence) = subject(c, &s.discriminant);
    push(
        c,
        META.id,
        s.span,
        subject,
        confidence,
        values,
        "switch: one test per case",
    );
}

fn is_constant(e: &Expression) -> bool {
    matches!(
        e.without_parentheses(),
        Expression::StringLiteral(_)
            | Expression::NumericLiteral(_)
            | Expression::BooleanLiteral(_)
    ) || matches!(e.without_parentheses(), Expression::StaticMemberExpression(m) if matches!(m.object, Expression::Identifier(_)) && m.property.name.chars().next().is_some_and(char::is_uppercase))
}

/// (subject span, constant span) of `subject === constant` (either order).
fn comparison(test: &Expression) -> Option<(oxc_span::Span, oxc_span::Span)> {
    let Expression::BinaryExpression(b) = test.without_parentheses() else {
        return None;
    };
    if !matches!(
        b.operator,
        BinaryOperator::StrictEquality | BinaryOperator::Equality
    ) {
        return None;
    }
    if is_constant(&b.right) {
        Some((b.left.span(), b.right.span()))
    } else if is_constant(&b.left) {
        Some((b.right.span(), b.left.span()))
    } else {
        None
    }
}

pub fn on_if(c: &mut Collector, s: &IfStatement) {
    // Only at the head of a chain.
    if matches!(c.ancestors.last(), Some(AstKind::IfStatement(p)) if p.alternate.as_ref().is_some_and(|a| a.span() == s.span))
    {
        return;
    }
    let Some((subject_span, first)) = comparison(&s.test) else {
        return;
    };
    let subject_text = c.source(subject_span);
    let mut constants = vec![first];
    let mut next = s.alternate.as_ref();
    while let Some(Statement::IfStatement(elif)) = next {
        match comparison(&elif.test) {
            Some((span, constant)) if c.source(span) == subject_text => constants.push(constant),
            _ => break,
        }
        next = elif.alternate.as_ref();
    }
    if constants.len() < 2 {
        return;
    }
    let mut values: Vec<String> = constants.iter().map(|span| text_of(c, *span)).collect();
    values.push("<another value>".into());
    let Expression::BinaryExpression(b) = s.test.without_parentheses() else {
        return;
    };
    let subject_expr = if b.left.span() == subject_span {
        &b.left
    } else {
        &b.right
    };
    let (subject, confidence) = subject(c, subject_expr);
    push(
        c,
        META.id,
        s.span,
        subject,
        confidence,
        values,
        "if/else-if chain over one value",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn switch_cases_and_default() {
        let found = cases(
            "function f(role) { switch (role) { case 'admin': return 1; case 'user': return 2; } }",
            "branch-cases",
        );
        assert_eq!(found[0].subject, "role");
        assert_eq!(
            found[0].values,
            vec!["'admin'", "'user'", "<another value: no case matches>"]
        );
    }

    #[test]
    fn if_chains_over_one_subject() {
        let code = "function f(k) { if (k === 1) return 'a'; else if (k === 2) return 'b'; else return 'c'; }";
        let found = cases(code, "branch-cases");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].values, vec!["1", "2", "<another value>"]);
        assert!(cases(
            "function f(a, b) { if (a === 1) {} else if (b === 2) {} }",
            "branch-cases"
        )
        .is_empty());
    }
}
