//! ## nullish
//!
//! **What:** optional chaining (`a?.b`, `f?.()`), nullish coalescing (`a ?? b`) and nullish/logical assignment
//! (`a ??= b`, `a ||= b`).
//!
//! **Why:** these operators are branches in disguise: the nullish side returns `undefined` or the fallback, and a test
//! that always passes a full object never sees it.
//!
//! **Example:** `return user?.address?.city ?? "unknown"` -> try `user = undefined`, `{ address: null }`.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{push, strings, subject, text_of, LOCAL, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "nullish" };

pub fn on_chain(c: &mut Collector, e: &ChainExpression) {
    let object = match &e.expression {
        ChainElement::StaticMemberExpression(m) => &m.object,
        ChainElement::ComputedMemberExpression(m) => &m.object,
        ChainElement::CallExpression(call) => &call.callee,
        _ => return,
    };
    // The root of the chain is the value that may be nullish.
    let root = super::root_name(object);
    let is_param = root
        .is_some_and(|r| super::current(c).is_some_and(|f| f.params.iter().any(|p| p.name == r)));
    let subject = root.map_or_else(|| text_of(c, object.span()), str::to_string);
    push(
        c,
        META.id,
        e.span,
        subject,
        if is_param { PARAM } else { LOCAL },
        strings(&["undefined", "null"]),
        "optional chaining",
    );
}

pub fn on_logical(c: &mut Collector, e: &LogicalExpression) {
    if e.operator != LogicalOperator::Coalesce {
        return;
    }
    let (subject, confidence) = subject(c, &e.left);
    push(
        c,
        META.id,
        e.span,
        subject,
        confidence,
        strings(&["undefined", "null"]),
        "nullish coalescing: the fallback branch",
    );
}

pub fn on_assignment(c: &mut Collector, e: &AssignmentExpression) {
    if !e.operator.is_logical() {
        return;
    }
    let text = text_of(c, e.left.span());
    let values = if e.operator == AssignmentOperator::LogicalNullish {
        strings(&["undefined", "null"])
    } else {
        strings(&["undefined", "null", "0", "\"\"", "false"])
    };
    push(
        c,
        META.id,
        e.span,
        text,
        LOCAL,
        values,
        "logical assignment: the assigning branch",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn optional_chains_and_coalescing() {
        let found = cases(
            "function f(user) { return user?.address?.city ?? 'unknown'; }",
            "nullish",
        );
        assert_eq!(found.len(), 2);
        assert!(found
            .iter()
            .any(|p| p.subject == "user" && p.confidence > 0.8));
        assert!(cases("function f(a, b) { return a || b; }", "nullish").is_empty());
    }
}
