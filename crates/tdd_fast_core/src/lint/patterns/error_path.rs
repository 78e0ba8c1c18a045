//! ## error-path
//!
//! **What:** a `try` with a `catch`: the subject is the first call inside the `try` block (what can fail).
//!
//! **Why:** the catch branch only runs when something fails, so it is rarely tested: make the call fail (a mock
//! that throws, a rejected promise) and check what the function does (rethrow, fallback value, logging).
//!
//! **Example:** `try { return JSON.parse(raw) } catch { return {} }` -> pass invalid JSON, expect `{}`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, text_of, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "error-path" };

fn first_call<'a>(statements: &'a [Statement<'a>]) -> Option<oxc_span::Span> {
    statements.iter().find_map(|s| {
        let expr = match s {
            Statement::ExpressionStatement(e) => &e.expression,
            Statement::ReturnStatement(r) => r.argument.as_ref()?,
            Statement::VariableDeclaration(d) => d.declarations.first()?.init.as_ref()?,
            _ => return None,
        };
        match expr.without_parentheses() {
            Expression::AwaitExpression(a) => Some(a.argument.span()),
            e @ (Expression::CallExpression(_) | Expression::NewExpression(_)) => Some(e.span()),
            _ => None,
        }
    })
}

pub fn on_try(c: &mut Collector, s: &TryStatement) {
    if s.handler.is_none() {
        return;
    }
    let subject = first_call(&s.block.body)
        .map_or_else(|| "<the try block>".to_string(), |span| text_of(c, span));
    push(
        c,
        META.id,
        s.span,
        subject,
        PARAM,
        strings(&["<throws>"]),
        "catch branch: make the try block fail",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn names_what_can_fail() {
        let found = cases(
            "function f(raw) { try { return JSON.parse(raw); } catch { return {}; } }",
            "error-path",
        );
        assert_eq!(found[0].subject, "JSON.parse(raw)");
        assert!(cases(
            "function f() { try { g(); } finally { h(); } }",
            "error-path"
        )
        .is_empty());
    }
}
