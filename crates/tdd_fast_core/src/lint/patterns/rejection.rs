//! ## rejection
//!
//! **What:** an `async` function, an `await`, a `.then(...)` chain without `.catch`, or `new Promise(...)`.
//!
//! **Why:** the rejection path is the one nobody clicks through: make the awaited call reject (or time out) and check
//! that the function rejects with a useful error, or recovers, and leaves no state half-written.
//!
//! **Example:** `async function load(id) { const res = await fetch(url(id)); ... }` -> mock `fetch` to reject.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::GetSpan;

use super::{push, strings, subject, text_of, LOCAL, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "rejection" };

pub fn on_function(c: &mut Collector, kind: AstKind) {
    let is_async = match kind {
        AstKind::Function(f) => f.r#async,
        AstKind::ArrowFunctionExpression(f) => f.r#async,
        _ => false,
    };
    if is_async {
        let span = kind.span();
        push(
            c,
            META.id,
            span,
            "<the returned promise>".into(),
            PARAM,
            strings(&["<rejects>"]),
            "async function",
        );
    }
}

pub fn on_await(c: &mut Collector, e: &AwaitExpression) {
    let (subject, confidence) = subject(c, &e.argument);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        strings(&["<rejects>"]),
        "awaited promise",
    );
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    if member.property.name != "then" || e.arguments.len() >= 2 {
        return;
    }
    // `.then(f).catch(g)`: the rejection is handled right there.
    if let Some(AstKind::StaticMemberExpression(outer)) = c.parent() {
        if outer.property.name == "catch" {
            return;
        }
    }
    let text = text_of(c, member.object.span());
    push(
        c,
        META.id,
        e.span,
        text,
        LOCAL,
        strings(&["<rejects>"]),
        "promise chain without a rejection handler",
    );
}

pub fn on_new(c: &mut Collector, e: &NewExpression) {
    if matches!(&e.callee, Expression::Identifier(id) if id.name == "Promise") {
        push(
            c,
            META.id,
            e.span,
            "new Promise".into(),
            LOCAL,
            strings(&["<rejects>", "<never settles>"]),
            "promise constructor",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn async_functions_and_awaits() {
        let found = cases(
            "async function load(id) { const r = await fetch(id); return r; }",
            "rejection",
        );
        let subjects: Vec<&str> = found.iter().map(|p| p.subject.as_str()).collect();
        assert_eq!(subjects, vec!["<the returned promise>", "fetch(id)"]);
    }

    #[test]
    fn handled_chains_and_sync_code_are_quiet() {
        assert!(cases("function f(p) { return p.then(g).catch(h); }", "rejection").is_empty());
        assert!(cases("function f(a) { return a + 1; }", "rejection").is_empty());
    }
}
