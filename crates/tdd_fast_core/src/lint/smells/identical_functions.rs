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

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "identical-functions",
    severity: Severity::Warning,
    options: &[("minLines", 3.0)],
    list_options: &[],
    check,
};

/// xxh3 of the body text without whitespace.
fn body_hash(text: &str) -> u64 {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    xxhash_rust::xxh3::xxh3_64(&compact)
}

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let min_lines = settings.number("minLines");
    let mut first: HashMap<u64, usize> = HashMap::new();
    for (i, (f, signals)) in ctx.functions.iter().zip(ctx.function_signals).enumerate() {
        let Some(body) = signals.body else { continue };
        if f64::from(f.end_line + 1 - f.line) < min_lines {
            continue;
        }
        let text = ctx
            .text
            .get(body.start as usize..body.end as usize)
            .unwrap_or_default();
        let hash = body_hash(text);
        match first.get(&hash) {
            Some(&j) => {
                let original = &ctx.functions[j];
                out.push(smell(
                    &META,
                    settings,
                    ctx.function_loc(f, signals),
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
