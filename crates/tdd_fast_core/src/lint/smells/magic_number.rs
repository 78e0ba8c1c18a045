//! ## magic-number
//!
//! **What:** a numeric literal whose meaning is not named, like ESLint `no-magic-numbers`: values in the `ignore`
//! list (default `[-1, 0, 1, 2]`) are fine, and so are numbers that already have a name or an obvious role: enum
//! member values, default values (`(retries = 3)`), array indexes (`list[3]`), `const` declarations
//! (`const MAX_RETRIES = 3`), object property values (`{ retries: 3 }`), property assignments (`opts.retries = 3`),
//! readonly class properties and TypeScript literal types.
//!
//! **Why:** `if (status === 7)` says nothing about 7; the name is the documentation, and a test needs to know which
//! values are special (the boundaries to try).
//!
//! **Bad:** `if (age >= 18) {}` / `setTimeout(poll, 86400000)`
//!
//! **Good:** `const ADULT_AGE = 18; if (age >= ADULT_AGE) {}` / `const ONE_DAY_MS = 24 * 60 * 60 * 1000;`

use oxc_ast::ast::{NumericLiteral, UnaryOperator, VariableDeclarationKind};
use oxc_ast::{AstKind, AstType};
use oxc_span::GetSpan;

use super::{smell, Collects, RuleContext, RuleMeta, Signals, Site};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "magic-number",
    severity: Severity::Info,
    options: &[],
    list_options: &[("ignore", &[-1.0, 0.0, 1.0, 2.0])],
    check,
    collects: Some(Collects::of::<MagicNumbers>(&[AstType::NumericLiteral])),
};

/// The file's numeric literals that may be magic.
#[derive(Default)]
struct MagicNumbers(Vec<MagicNumber>);

/// A numeric literal that may be magic.
struct MagicNumber {
    site: Site,
    value: f64,
    raw: String,
}

impl Signals for MagicNumbers {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let AstKind::NumericLiteral(literal) = kind {
            if let Some(number) = unnamed(at, literal) {
                self.0.push(number);
            }
        }
    }
}

/// A numeric literal, unless its context names it (the ignore list is applied by the rule, from config).
fn unnamed(collector: &Collector, literal: &NumericLiteral) -> Option<MagicNumber> {
    let mut value = literal.value;
    let mut span = literal.span;
    let mut context = 0; // ancestor index of the node that holds the number
    if let Some(AstKind::UnaryExpression(unary)) = collector.ancestor(0) {
        match unary.operator {
            UnaryOperator::UnaryNegation => {
                value = -value;
                span = unary.span;
                context = 1;
            }
            UnaryOperator::UnaryPlus => context = 1,
            _ => {}
        }
    }
    let holder = collector.ancestor(context);
    let exempt = match holder {
        None => false,
        Some(AstKind::TSEnumMember(_) | AstKind::TSLiteralType(_)) => true,
        Some(AstKind::FormalParameter(p)) => p.initializer.is_some(),
        Some(AstKind::AssignmentPattern(_) | AstKind::AssignmentTargetWithDefault(_)) => true,
        Some(AstKind::AssignmentTargetPropertyIdentifier(_)) => true,
        Some(AstKind::ComputedMemberExpression(m)) => {
            m.expression.span() == span && value >= 0.0 && value.fract() == 0.0
        }
        Some(AstKind::VariableDeclarator(_)) => matches!(
            collector.ancestor(context + 1),
            Some(AstKind::VariableDeclaration(d)) if d.kind == VariableDeclarationKind::Const
        ),
        Some(AstKind::ObjectProperty(_)) => true,
        Some(AstKind::AssignmentExpression(a)) => !matches!(
            a.left,
            oxc_ast::ast::AssignmentTarget::AssignmentTargetIdentifier(_)
        ),
        Some(AstKind::PropertyDefinition(p)) => p.readonly,
        _ => false,
    };
    if exempt {
        return None;
    }
    let raw = collector.source(span).to_string();
    let site = collector.site(span);
    Some(MagicNumber { site, value, raw })
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let ignore = settings.list("ignore");
    let Some(MagicNumbers(numbers)) = ctx.signals() else {
        return;
    };
    for number in numbers {
        if ignore.contains(&number.value) {
            continue;
        }
        out.push(smell(
            &META,
            settings,
            ctx.loc(number.site.span),
            number.site.function.as_deref(),
            number.value,
            0.0,
            format!("magic number {}: name it with a constant", number.raw),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_unnamed_numbers() {
        let code = "function f(a) { if (a > 18) return a * 7; return -5; }";
        let found: Vec<f64> = smells(code, "magic-number", "")
            .iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(found, vec![18.0, 7.0, -5.0]);
    }

    #[test]
    fn points_at_the_number_in_utf16_columns() {
        // "é" is one UTF-16 unit (two UTF-8 bytes), "😀" two (four bytes): columns count UTF-16 units like ESLint.
        let code = "function f(a) {\n  const s = 'é😀'; return a > 100 ? s : -7;\n}";
        let found: Vec<(f64, u32, u32, u32, u32)> = smells(code, "magic-number", "")
            .iter()
            .map(|s| (s.value, s.line, s.column, s.end_line, s.end_column))
            .collect();
        assert_eq!(found, vec![(100.0, 2, 31, 2, 34), (-7.0, 2, 41, 2, 43)]);
    }

    #[test]
    fn skips_named_and_obvious_numbers() {
        let code = "const LIMIT = 42;\nenum E { A = 5 }\nfunction f(a = 3, list: number[]) { const o = { n: 9 }; o.n = 8; \
                    let t: 4 | 5; return list[3] + list.length - 1 + 0 + 2; }\nclass C { readonly max = 10; }";
        assert!(smells(code, "magic-number", "").is_empty());
    }

    #[test]
    fn ignore_list_is_configurable() {
        let code = "function f(a) { return a * 60; }";
        assert_eq!(smells(code, "magic-number", "").len(), 1);
        assert!(smells(
            code,
            "magic-number",
            r#"{"rules":{"magic-number":{"ignore":[60]}}}"#
        )
        .is_empty());
    }
}
