//! ## duplicate-string-literal
//!
//! **What:** the same string literal written `threshold` times or more in a file (default 3), ignoring strings
//! shorter than `minLength` characters (default 10), like sonarjs `no-duplicate-string`. Module specifiers, object
//! keys, type literals, JSX attribute values and directives are not counted.
//!
//! **Why:** a repeated literal is an unnamed constant: a typo in one copy is a bug no type checker sees.
//!
//! **Bad:** `throw new Error("invalid configuration")` in five places.
//!
//! **Good:** `const INVALID_CONFIG = "invalid configuration";` used everywhere.

use std::collections::HashMap;

use oxc_ast::ast::StringLiteral;
use oxc_ast::{AstKind, AstType};
use oxc_span::{GetSpan, Span};

use super::{smell, Collects, RuleContext, RuleMeta, Signals};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "duplicate-string-literal",
    severity: Severity::Info,
    options: &[("threshold", 3.0), ("minLength", 10.0)],
    list_options: &[],
    check,
    collects: Some(Collects::of::<Strings>(&[AstType::StringLiteral])),
};

/// The file's string literals that may repeat: the span of each one's content, and its line.
#[derive(Default)]
struct Strings(Vec<(Span, u32)>);

impl Signals for Strings {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let AstKind::StringLiteral(literal) = kind {
            if counts(at, literal) {
                let line = at.lines.line(literal.span.start);
                self.0.push((
                    Span::new(literal.span.start + 1, literal.span.end - 1),
                    line,
                ));
            }
        }
    }
}

/// Whether a string literal counts: long enough, and a value rather than a name.
fn counts(collector: &Collector, literal: &StringLiteral) -> bool {
    if literal.span.size() < 5 {
        return false; // content shorter than 3 characters never counts
    }
    let skip = match collector.parent() {
        Some(
            AstKind::ImportDeclaration(_)
            | AstKind::ExportNamedDeclaration(_)
            | AstKind::ExportFromDeclaration(_)
            | AstKind::ExportAllDeclaration(_)
            | AstKind::ImportExpression(_)
            | AstKind::TSLiteralType(_)
            | AstKind::JSXAttribute(_)
            | AstKind::Directive(_)
            | AstKind::TSEnumMember(_)
            | AstKind::TSExternalModuleReference(_)
            | AstKind::ImportSpecifier(_)
            | AstKind::ExportSpecifier(_)
            | AstKind::ImportAttribute(_),
        ) => true,
        Some(AstKind::ObjectProperty(p)) => p.key.span() == literal.span,
        Some(AstKind::PropertyDefinition(p)) => p.key.span() == literal.span,
        Some(AstKind::MethodDefinition(p)) => p.key.span() == literal.span,
        Some(AstKind::TSPropertySignature(_)) => true,
        Some(AstKind::CallExpression(call)) => {
            matches!(&call.callee, oxc_ast::ast::Expression::Identifier(id) if id.name == "require")
        }
        _ => false,
    };
    !skip
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let threshold = settings.number("threshold");
    let min_length = settings.number("minLength");
    // Groups in order of first occurrence, so that literals first seen on the same line keep source order (a
    // HashMap's iteration order would make the output differ from run to run).
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&str, Vec<u32>, Span)> = Vec::new();
    let Some(Strings(strings)) = ctx.signals() else {
        return;
    };
    for (span, line) in strings {
        let content = ctx
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default();
        if (content.chars().count() as f64) < min_length {
            continue;
        }
        let slot = *index.entry(content).or_insert_with(|| {
            // The smell points at the first literal, quotes included.
            groups.push((content, Vec::new(), Span::new(span.start - 1, span.end + 1)));
            groups.len() - 1
        });
        groups[slot].1.push(*line);
    }
    let mut found: Vec<(&str, Vec<u32>, Span)> = groups
        .into_iter()
        .filter(|(_, lines, _)| lines.len() as f64 >= threshold)
        .collect();
    found.sort_by_key(|(_, lines, _)| lines[0]); // stable: ties keep first-occurrence order
    for (content, lines, first) in found {
        let shown: String = content.chars().take(40).collect();
        out.push(smell(
            &META,
            settings,
            ctx.loc(first),
            None,
            lines.len() as f64,
            threshold,
            format!(
                "\"{shown}\" is repeated {} times (lines {}): name it with a constant",
                lines.len(),
                lines
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_literals_repeated_three_times() {
        let code = "import a from 'some-long-module';\nimport b from 'some-long-module';\nimport c from 'some-long-module';\n\
                    function f() { g('invalid configuration'); g('invalid configuration'); return 'invalid configuration'; }\n\
                    const o = { 'long key name here': 1 }, p = { 'long key name here': 2 }, q = { 'long key name here': 3 };\n\
                    h('short'); h('short'); h('short');";
        let found = smells(code, "duplicate-string-literal", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 3.0);
        assert!(found[0].message.contains("invalid configuration"));
    }
}
