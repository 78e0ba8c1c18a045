//! ## identical-functions
//!
//! **What:** two functions in the same file whose bodies are identical (ignoring whitespace) and at least
//! `minLines` lines long (default 3), like sonarjs `no-identical-functions`.
//!
//! **Why:** copy-pasted logic drifts: a fix lands in one copy, the other keeps the bug, and both need tests.
//!
//! **Bad:** `function totalNet(items) { ... }` and `function sumNet(items) { ... }` with the same ten lines.
//!
//! **Good:** one function, called from both places (or one calling the other).

use std::collections::HashMap;

use oxc_ast::ast::ArrowFunctionBody;
use oxc_ast::{AstKind, AstType};
use oxc_span::Span;

use super::{smell, Collects, RuleContext, RuleMeta, Signals};
use crate::config::RuleSettings;
use crate::lint::facts::Collector;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "identical-functions",
    severity: Severity::Warning,
    options: &[("minLines", 3.0)],
    list_options: &[],
    check,
    collects: Some(Collects::of::<Bodies>(&[
        AstType::Function,
        AstType::ArrowFunctionExpression,
    ])),
};

/// The block body of each function, keyed by the function node's span (expression arrows have none worth comparing).
#[derive(Default)]
struct Bodies(HashMap<Span, Span>);

impl Signals for Bodies {
    fn enter(&mut self, _: &Collector, kind: AstKind) {
        let body = match kind {
            AstKind::Function(f) => f.body.as_ref().map(|b| b.span),
            AstKind::ArrowFunctionExpression(f) => match &f.body {
                ArrowFunctionBody::FunctionBody(body) => Some(body.span),
                _ => None,
            },
            _ => None,
        };
        if let Some(body) = body {
            self.0.insert(oxc_span::GetSpan::span(&kind), body);
        }
    }
}

fn compact(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes().filter(|b| !b.is_ascii_whitespace())
}

/// xxh3 of the body text without whitespace.
fn body_hash(text: &str) -> u64 {
    let compact: Vec<u8> = compact(text).collect();
    xxhash_rust::xxh3::xxh3_64(&compact)
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let Some(Bodies(bodies)) = ctx.signals() else {
        return;
    };
    let min_lines = settings.number("minLines");
    // Long enough functions with a block body, and the length of each body without whitespace: only bodies whose
    // length another one shares can be identical, so only those are copied and hashed (nested functions make
    // hashing every body quadratic in the nesting).
    let candidates: Vec<(usize, &str, usize)> = ctx
        .functions
        .iter()
        .zip(ctx.function_spans)
        .enumerate()
        .filter(|(_, (f, _))| f64::from(f.end_line + 1 - f.line) >= min_lines)
        .filter_map(|(i, (_, span))| {
            let body = bodies.get(span)?;
            let text = ctx
                .text
                .get(body.start as usize..body.end as usize)
                .unwrap_or_default();
            Some((i, text, compact(text).count()))
        })
        .collect();
    let mut lengths: HashMap<usize, u32> = HashMap::new();
    for (_, _, length) in &candidates {
        *lengths.entry(*length).or_default() += 1;
    }
    let mut first: HashMap<u64, usize> = HashMap::new();
    for (i, text, length) in candidates {
        if lengths[&length] < 2 {
            continue;
        }
        let f = &ctx.functions[i];
        let hash = body_hash(text);
        match first.get(&hash) {
            Some(&j) => {
                let original = &ctx.functions[j];
                out.push(smell(
                    &META,
                    settings,
                    ctx.function_loc(f, &ctx.function_spans[i]),
                    Some(&f.name),
                    f64::from(f.end_line + 1 - f.line),
                    min_lines,
                    format!(
                        "{} has the same body as {} (line {})",
                        f.name, original.name, original.line
                    ),
                ));
            }
            None => {
                first.insert(hash, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_the_second_copy() {
        let body = "{\n  const x = a + 1;\n  return x * a;\n}";
        let code = format!(
            "function one(a) {body}\nfunction two(a) {body}\nfunction three(a) {{\n  return a;\n}}"
        );
        let found = smells(&code, "identical-functions", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].function.as_deref(), Some("two"));
        assert!(found[0].message.contains("one"));
    }

    #[test]
    fn ignores_short_bodies() {
        let code = "const a = () => { return 1; };\nconst b = () => { return 1; };";
        assert!(smells(code, "identical-functions", "").is_empty());
    }
}
