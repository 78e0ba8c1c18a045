//! ## too-many-returns
//!
//! **What:** a function with more than `threshold` `return` statements (default 3, like sonarjs
//! `function-return-type`'s sibling S1142); returns inside nested functions count for those functions.
//!
//! **Why:** many exits make the flow hard to follow and every exit is another case a test must reach.
//!
//! **Bad:** a 40-line function with `return` in six different branches.
//!
//! **Good:** guard clauses up front, then one main path; or a lookup table in place of a branch per value.

use std::collections::HashMap;

use oxc_ast::{AstKind, AstType};
use oxc_span::Span;

use super::{smell, Collects, RuleContext, RuleMeta, Signals};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "too-many-returns",
    severity: Severity::Info,
    options: &[("threshold", 3.0)],
    list_options: &[],
    check,
    collects: Some(Collects::of::<Returns>(&[AstType::ReturnStatement])),
};

/// `return` statements per function, keyed by the span of the innermost function (or code path) they belong to.
#[derive(Default)]
struct Returns(HashMap<Span, u32>);

impl Signals for Returns {
    fn enter(&mut self, at: &Collector, _: AstKind) {
        if let Some(frame) = at.frames.last() {
            *self.0.entry(frame.span).or_default() += 1;
        }
    }
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let threshold = settings.number("threshold");
    let Some(Returns(counts)) = ctx.signals() else {
        return;
    };
    for (f, span) in ctx.functions.iter().zip(ctx.function_spans) {
        let returns = counts.get(span).copied().unwrap_or(0);
        if f64::from(returns) > threshold {
            out.push(smell(
                &META,
                settings,
                ctx.function_loc(f, span),
                Some(&f.name),
                f64::from(returns),
                threshold,
                format!(
                    "{} has {} return statements (maximum {threshold})",
                    f.name, returns
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn counts_own_returns_only() {
        let code = "function f(a) {\n  if (a === 1) return 1;\n  if (a === 2) return 2;\n  if (a === 3) return 3;\n  return [1].map((x) => { return x; });\n}";
        let found = smells(code, "too-many-returns", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 4.0);
        assert!(smells(
            code,
            "too-many-returns",
            r#"{"rules":{"too-many-returns":4}}"#
        )
        .is_empty());
    }
}
