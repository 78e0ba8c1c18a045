//! ## loop-iterations
//!
//! **What:** a loop over an input: `for (const x of xs)`, `for (const k in obj)`, and iteration methods called on a
//! value (`xs.forEach`, `map`, `filter`, `reduce`, `some`, `every`, `find`, `flatMap`).
//!
//! **Why:** zero, one and many iterations are different programs: the empty case skips the body (what is returned
//! then?), one item hides ordering and accumulation bugs that many items show; `reduce` without an initial value
//! throws on an empty array.
//!
//! **Example:** `items.reduce((a, b) => a + b)` -> try `[]` (throws TypeError), `[5]`, `[1, 2, 3]`.

use oxc_ast::ast::*;

use super::{push, strings, subject};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta {
    id: "loop-iterations",
};

const ITERATIONS: &[&str] = &["<zero items>", "<one item>", "<many items>"];

pub fn on_for_of(c: &mut Collector, s: &ForOfStatement) {
    let (subject, confidence) = subject(c, &s.right);
    push(
        c,
        META.id,
        s.span,
        subject,
        confidence,
        strings(ITERATIONS),
        "for...of over a value",
    );
}

pub fn on_for_in(c: &mut Collector, s: &ForInStatement) {
    let (subject, confidence) = subject(c, &s.right);
    push(
        c,
        META.id,
        s.span,
        subject,
        confidence,
        strings(&["{}", "<one key>", "<many keys>", "<inherited keys>"]),
        "for...in over an object",
    );
}

pub fn on_call(c: &mut Collector, e: &CallExpression) {
    let Expression::StaticMemberExpression(member) = e.callee.without_parentheses() else {
        return;
    };
    let method = member.property.name.as_str();
    if !matches!(
        method,
        "forEach"
            | "map"
            | "filter"
            | "reduce"
            | "reduceRight"
            | "some"
            | "every"
            | "find"
            | "findIndex"
            | "flatMap"
    ) {
        return;
    }
    let mut values = strings(ITERATIONS);
    let reason = if matches!(method, "reduce" | "reduceRight") && e.arguments.len() < 2 {
        values[0] = "<zero items: reduce without an initial value throws>".into();
        "reduce without an initial value"
    } else {
        "iteration over a value"
    };
    let (subject, confidence) = subject(c, &member.object);
    push(c, META.id, e.span, subject, confidence, values, reason);
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn loops_and_iteration_methods() {
        let found = cases("function f(xs: number[]) { for (const x of xs) {} return xs.reduce((a, b) => a + b); }", "loop-iterations");
        assert_eq!(found.len(), 2);
        assert!(found[1].values[0].contains("throws"));
        assert!(cases(
            "function f(n) { for (let i = 0; i < n; i++) {} }",
            "loop-iterations"
        )
        .is_empty());
    }
}
