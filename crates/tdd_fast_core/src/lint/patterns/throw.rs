//! ## throw
//!
//! **What:** a `throw` statement. When it sits under an `if`, the subject is that condition: the input that makes it
//! true reaches the throw; values hold the thrown message when it is a literal.
//!
//! **Why:** every throw is a documented failure mode; a test should reach it and assert the error (type and
//! message), or it will silently change.
//!
//! **Example:** `if (amount < 0) throw new RangeError("negative")` -> call with `amount = -1`, expect `RangeError`.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::GetSpan;

use super::{push, text_of, PARAM};
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "throw" };

pub fn on_throw(c: &mut Collector, s: &ThrowStatement) {
    // The nearest enclosing `if` (within this function) whose consequent holds the throw.
    let condition = c
        .ancestors
        .iter()
        .rev()
        .take_while(|k| {
            !matches!(
                k,
                AstKind::Function(_) | AstKind::ArrowFunctionExpression(_)
            )
        })
        .find_map(|k| match k {
            AstKind::IfStatement(i) if i.consequent.span().contains_inclusive(s.span) => {
                Some(i.test.span())
            }
            _ => None,
        });
    let subject = condition.map_or_else(
        || "<reaching this line>".to_string(),
        |span| text_of(c, span),
    );
    let message = match &s.argument {
        Expression::NewExpression(n) => n
            .arguments
            .first()
            .and_then(|a| match a {
                Argument::StringLiteral(l) => Some(format!(
                    "{} {:?}",
                    text_of(c, n.callee.span()),
                    l.value.as_str()
                )),
                _ => None,
            })
            .or_else(|| Some(text_of(c, n.callee.span()))),
        _ => None,
    };
    push(
        c,
        META.id,
        s.span,
        subject,
        PARAM,
        message.into_iter().collect(),
        "throw site: reach it and assert the error",
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::patterns::test_support::cases;

    #[test]
    fn names_the_condition_and_the_error() {
        let found = cases("function f(a: number) {\n  if (a < 0) {\n    throw new RangeError('negative');\n  }\n}", "throw");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject, "a < 0");
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].values, vec!["RangeError \"negative\""]);
    }

    #[test]
    fn no_throw_no_case() {
        assert!(cases("function f(a) { return a; }", "throw").is_empty());
    }
}
