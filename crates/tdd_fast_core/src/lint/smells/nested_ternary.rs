//! ## nested-ternary
//!
//! **What:** a conditional expression inside another one (like ESLint `no-nested-ternary`).
//!
//! **Why:** `a ? b : c ? d : e` packs several branches into one expression that is hard to read and to cover.
//!
//! **Bad:** `const label = n === 0 ? "none" : n === 1 ? "one" : "many";`
//!
//! **Good:** `if`/`switch` statements or a lookup: `const label = LABELS[n] ?? "many";`

use oxc_ast::ast::{ConditionalExpression, Expression};
use oxc_ast::{AstKind, AstType};
use oxc_span::Span;

use super::{node_rule, NodeRule, RuleMeta};
use crate::lint::facts::Collector;
use crate::model::Severity;

pub const META: RuleMeta = node_rule::<NestedTernary>();

struct NestedTernary;

impl NodeRule for NestedTernary {
    const ID: &'static str = "nested-ternary";
    const SEVERITY: Severity = Severity::Warning;
    const KINDS: &'static [AstType] = &[AstType::ConditionalExpression];
    const MESSAGE: &'static str = "nested ternary expression";

    fn finding(_: &Collector, kind: AstKind) -> Option<Span> {
        match kind {
            AstKind::ConditionalExpression(conditional) if is_nested(conditional) => {
                Some(conditional.span)
            }
            _ => None,
        }
    }
}

/// A conditional expression that has another one as its test or a branch (parentheses see-through).
fn is_nested(conditional: &ConditionalExpression) -> bool {
    let nested = |e: &Expression| {
        matches!(
            e.without_parentheses(),
            Expression::ConditionalExpression(_)
        )
    };
    nested(&conditional.test) || nested(&conditional.consequent) || nested(&conditional.alternate)
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_the_outer_ternary_only() {
        let code = "const f = (n) => n === 0 ? 'none' : (n === 1 ? 'one' : 'many');\nconst g = (n) => n ? 1 : 2;";
        let found = smells(code, "nested-ternary", "");
        assert_eq!(found.len(), 1);
        // The outer conditional, from its test to the end of its last branch.
        assert_eq!((found[0].column, found[0].end_column), (18, 63));
    }
}
