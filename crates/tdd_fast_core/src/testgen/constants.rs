//! Constants per function, for the generator's search seeds: the literals the function's code compares against
//! (`===`, `<`, `>=` operands, `switch` cases, `includes` / `startsWith` / `indexOf` arguments), the string literals
//! of its body, and strings that match the regex literals it uses (`/^\d+(ms|s)$/` -> `"1ms"`, `"11ms"`, `"1s"`).
//!
//! Collected in the single visitor pass (called from facts.rs for every node) into the innermost function's report,
//! unique, at most [`MAX_CONSTANTS`] per function. Regex samples come from a small generator over regex-syntax's HIR:
//! every choice at its first alternative and every repetition at its minimum, then all repetitions at min+1, then
//! each other alternative of each choice in turn (an optional group taken once when it holds that choice, so
//! `(ms|s|m)?` gives `1s` and `1m`); at most 24 samples (a unit or keyword list is worth a sample per word) and
//! bounded in length. A pattern regex-syntax does not
//! accept (lookaround) gives no samples; backreferences are dropped first (`([Hh])\1?` samples as `([Hh])?`).
//!
//! Constants behind names count too: a literal bound to a name anywhere in the file (`const TYPE_RE = /^\w+\/\w+$/`,
//! `var masks = { shortDate: 'M/D/YY' }`: its strings, numbers, regex samples, object keys) joins the constants of
//! every function that reads the name, and so do the constants of a function it calls by name (one level), after
//! the function's own ones.

use std::collections::HashMap;

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_syntax::operator::{BinaryOperator, UnaryOperator};
use regex_syntax::hir::{Class, Hir, HirKind};
use serde::{Deserialize, Serialize};

use crate::lint::facts::Collector;
use crate::testgen::types::{number_code, quote, LiteralValue};

/// One constant: its JavaScript source and its value (a bigint's value is its decimal text, its code ends in `n`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Constant {
    pub code: String,
    pub literal: LiteralValue,
}

pub const MAX_CONSTANTS: usize = 64;
/// Constants one binding can give (a table of 200 words gives its first 32).
const MAX_PER_BINDING: usize = 32;
/// Names one function can record as read.
const MAX_REFERENCED: usize = 64;
const MAX_STRING: usize = 200;
const MAX_SAMPLES: usize = 24;
const MAX_SAMPLE_LEN: usize = 64;
const MAX_REPEAT: u32 = 8;

/// Literal values bound to names in the file (all scopes together: these are search seeds, a shadowed name only
/// adds a harmless one).
#[derive(Debug, Default)]
pub struct NamedConstants {
    bindings: HashMap<String, Vec<Constant>>,
}

/// Called from `Collector::enter_node` for every node.
pub fn on_enter<'a>(collector: &mut Collector<'a, '_>, kind: AstKind<'a>) {
    match kind {
        AstKind::VariableDeclarator(declarator) => {
            if let (BindingPattern::BindingIdentifier(id), Some(init)) =
                (&declarator.id, &declarator.init)
            {
                let mut found = Vec::new();
                of_bound_value(init, 0, &mut found);
                if !found.is_empty() {
                    collector
                        .named_constants
                        .bindings
                        .insert(id.name.to_string(), found);
                }
            }
            return;
        }
        AstKind::IdentifierReference(id) => {
            if let Some(frame) = collector.frames.last_mut() {
                let name = id.name.as_str();
                if frame.report.is_some()
                    && frame.referenced.len() < MAX_REFERENCED
                    && !frame.referenced.iter().any(|n| n == name)
                {
                    frame.referenced.push(name.to_string());
                }
            }
            return;
        }
        _ => {}
    }
    // Outside functions (declaration files are mostly that) there is nothing to collect: check before building.
    let in_function = collector.frames.last().is_some_and(|f| {
        f.report
            .as_ref()
            .is_some_and(|r| r.constants.len() < MAX_CONSTANTS)
    });
    if !in_function {
        return;
    }
    let found: Vec<Constant> = match kind {
        AstKind::BinaryExpression(e) if is_comparison(e.operator) => [&e.left, &e.right]
            .into_iter()
            .filter_map(|side| of_expression(side))
            .collect(),
        AstKind::SwitchCase(case) => case
            .test
            .as_ref()
            .and_then(of_expression)
            .into_iter()
            .collect(),
        AstKind::CallExpression(call) => searched_argument(call).into_iter().collect(),
        AstKind::StringLiteral(s)
            if s.value.len() <= MAX_STRING && !is_error_message(collector) =>
        {
            vec![string(s.value.as_str())]
        }
        AstKind::RegExpLiteral(re) => regex_samples(re.regex.pattern.text.as_str())
            .iter()
            .map(|s| string(s))
            .collect(),
        _ => return,
    };
    if found.is_empty() {
        return;
    }
    let Some(report) = collector.frames.last_mut().and_then(|f| f.report.as_mut()) else {
        return;
    };
    for constant in found {
        if report.constants.len() >= MAX_CONSTANTS {
            return;
        }
        if !report.constants.contains(&constant) {
            report.constants.push(constant);
        }
    }
}

/// The constants of a bound value: literals, regex samples, and (two levels deep) array elements, object keys
/// and values, `new RegExp('...')`.
fn of_bound_value(expression: &Expression<'_>, depth: usize, out: &mut Vec<Constant>) {
    let add = |c: Constant, out: &mut Vec<Constant>| {
        if out.len() < MAX_PER_BINDING && !out.contains(&c) {
            out.push(c);
        }
    };
    match expression.without_parentheses() {
        Expression::RegExpLiteral(re) => {
            for sample in regex_samples(re.regex.pattern.text.as_str()) {
                add(string(&sample), out);
            }
        }
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
            if let Some(q) = t.quasis.first().and_then(|q| q.value.cooked.as_ref()) {
                if q.len() <= MAX_STRING {
                    add(string(q.as_str()), out);
                }
            }
        }
        Expression::NewExpression(new) => {
            let is_regexp =
                matches!(&new.callee, Expression::Identifier(id) if id.name == "RegExp");
            let pattern = new.arguments.first().and_then(|a| match a.as_expression() {
                Some(Expression::StringLiteral(s)) => Some(s.value.as_str()),
                _ => None,
            });
            if let (true, Some(pattern)) = (is_regexp, pattern) {
                for sample in regex_samples(pattern) {
                    add(string(&sample), out);
                }
            }
        }
        Expression::ArrayExpression(array) if depth < 2 => {
            for element in &array.elements {
                if let Some(e) = element.as_expression() {
                    of_bound_value(e, depth + 1, out);
                }
            }
        }
        Expression::ObjectExpression(object) if depth < 2 => {
            for property in &object.properties {
                let ObjectPropertyKind::ObjectProperty(p) = property else {
                    continue;
                };
                let key = match &p.key {
                    PropertyKey::StaticIdentifier(id) => Some(id.name.as_str()),
                    PropertyKey::StringLiteral(s) => Some(s.value.as_str()),
                    _ => None,
                };
                if let Some(key) = key.filter(|k| k.len() <= MAX_STRING) {
                    add(string(key), out);
                }
                of_bound_value(&p.value, depth + 1, out);
            }
        }
        other => {
            if let Some(c) = of_expression(other) {
                add(c, out);
            }
        }
    }
}

/// After the pass: each function's constants get those behind the names it reads (bindings first, then the own
/// constants of functions it calls by name), up to [`MAX_CONSTANTS`].
pub fn resolve_named(
    functions: &mut [crate::model::FunctionReport],
    refs: &[Vec<String>],
    named: &NamedConstants,
) {
    // What each function gets, decided before any list grows, so that another function's constants are its own ones
    // (as the pass found them) without copying every list first.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, f) in functions.iter().enumerate() {
        if !f.name.contains('.') {
            by_name.entry(f.name.as_str()).or_insert(i);
        }
    }
    let additions: Vec<Vec<Constant>> = functions
        .iter()
        .enumerate()
        .map(|(i, function)| {
            let mut added: Vec<Constant> = Vec::new();
            let Some(names) = refs.get(i) else {
                return added;
            };
            let from_bindings = names.iter().filter_map(|n| named.bindings.get(n));
            let from_functions = names
                .iter()
                .filter_map(|n| by_name.get(n.as_str()))
                .filter(|&&j| j != i)
                .map(|&j| &functions[j].constants);
            for constant in from_bindings.chain(from_functions).flatten() {
                if function.constants.len() + added.len() >= MAX_CONSTANTS {
                    break;
                }
                if !function.constants.contains(constant) && !added.contains(constant) {
                    added.push(constant.clone());
                }
            }
            added
        })
        .collect();
    for (function, added) in functions.iter_mut().zip(additions) {
        function.constants.extend(added);
    }
}

/// `throw new TypeError('invalid type')`, `throw 'bad'`: a message is what the code says, not what it reads.
fn is_error_message(collector: &Collector<'_, '_>) -> bool {
    match collector.parent() {
        Some(AstKind::ThrowStatement(_)) => true,
        Some(AstKind::NewExpression(new)) => {
            matches!(&new.callee, Expression::Identifier(id) if id.name.ends_with("Error"))
        }
        _ => false,
    }
}

fn is_comparison(op: BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Equality
            | BinaryOperator::Inequality
            | BinaryOperator::StrictEquality
            | BinaryOperator::StrictInequality
            | BinaryOperator::LessThan
            | BinaryOperator::LessEqualThan
            | BinaryOperator::GreaterThan
            | BinaryOperator::GreaterEqualThan
    )
}

/// `s.includes('x')`, `s.startsWith('x')`, `list.indexOf(3)`: the argument looked for.
fn searched_argument(call: &CallExpression<'_>) -> Option<Constant> {
    let Expression::StaticMemberExpression(member) = &call.callee else {
        return None;
    };
    let searches = matches!(
        member.property.name.as_str(),
        "includes" | "startsWith" | "endsWith" | "indexOf" | "lastIndexOf"
    );
    if !searches {
        return None;
    }
    call.arguments
        .first()?
        .as_expression()
        .and_then(of_expression)
}

fn string(value: &str) -> Constant {
    Constant {
        code: quote(value),
        literal: LiteralValue::String(value.to_string()),
    }
}

fn number(value: f64) -> Option<Constant> {
    value.is_finite().then(|| Constant {
        code: number_code(value),
        literal: LiteralValue::Number(value),
    })
}

/// A literal operand: string, finite number (negated too), boolean, bigint.
fn of_expression(expression: &Expression<'_>) -> Option<Constant> {
    match expression.without_parentheses() {
        Expression::StringLiteral(s) if s.value.len() <= MAX_STRING => {
            Some(string(s.value.as_str()))
        }
        Expression::NumericLiteral(n) => number(n.value),
        Expression::BooleanLiteral(b) => Some(Constant {
            code: b.value.to_string(),
            literal: LiteralValue::Boolean(b.value),
        }),
        Expression::BigIntLiteral(b) => {
            let digits = b.raw.as_ref()?.trim_end_matches('n').to_string();
            digits
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| Constant {
                    code: format!("{digits}n"),
                    literal: LiteralValue::String(digits),
                })
        }
        Expression::UnaryExpression(u) if u.operator == UnaryOperator::UnaryNegation => {
            match u.argument.without_parentheses() {
                Expression::NumericLiteral(n) => number(-n.value),
                _ => None,
            }
        }
        _ => None,
    }
}

/// How one sample is built: every repetition at min (+1 with `extra`), the `choice`-th alternation at `branch`.
#[derive(Clone, Copy)]
struct Plan {
    extra: bool,
    choice: Option<(usize, usize)>,
}

/// Strings that match a regex pattern (JavaScript syntax as far as regex-syntax shares it), at most [`MAX_SAMPLES`].
pub fn regex_samples(pattern: &str) -> Vec<String> {
    if pattern.len() > 500 {
        return Vec::new();
    }
    let pattern = without_backreferences(pattern);
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .nest_limit(40)
        .build()
        .parse(&pattern)
    else {
        return Vec::new();
    };
    let mut widths = Vec::new();
    alternations(&hir, &mut widths);
    let mut plans = vec![
        Plan {
            extra: false,
            choice: None,
        },
        Plan {
            extra: true,
            choice: None,
        },
    ];
    for (choice, width) in widths.iter().enumerate() {
        for branch in 1..*width {
            plans.push(Plan {
                extra: false,
                choice: Some((choice, branch)),
            });
        }
    }
    let mut out: Vec<String> = Vec::new();
    for plan in plans {
        if out.len() >= MAX_SAMPLES {
            break;
        }
        let mut text = String::new();
        let mut seen = 0;
        if sample(&hir, plan, &mut seen, &mut text) && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// `\1`..`\9` removed (regex-syntax has no backreferences): what is left still matches a prefix-free variant.
fn without_backreferences(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(d) if d.is_ascii_digit() && *d != '0' => {
                    chars.next();
                    continue;
                }
                Some(&next) => {
                    out.push(c);
                    out.push(next);
                    chars.next();
                    continue;
                }
                None => {}
            }
        }
        out.push(c);
    }
    out
}

/// The number of branches of every alternation, in the order `sample` meets them.
fn alternations(hir: &Hir, out: &mut Vec<usize>) {
    match hir.kind() {
        HirKind::Alternation(branches) => {
            out.push(branches.len());
            branches.iter().for_each(|b| alternations(b, out));
        }
        HirKind::Concat(parts) => parts.iter().for_each(|p| alternations(p, out)),
        HirKind::Repetition(r) => alternations(&r.sub, out),
        HirKind::Capture(c) => alternations(&c.sub, out),
        _ => {}
    }
}

/// Appends one matching string to `out`; false when it would grow past the length bound.
fn sample(hir: &Hir, plan: Plan, seen: &mut usize, out: &mut String) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(class) => match class_char(class) {
            Some(c) => out.push(c),
            None => return false,
        },
        HirKind::Repetition(r) => {
            let start = *seen;
            let mut inside = Vec::new();
            alternations(&r.sub, &mut inside);
            // An optional group holding the alternation this plan varies is taken once, or the variant is lost
            // (`(ms|s|m)?` must give `1s`, not `1` again).
            let chosen_inside = plan
                .choice
                .is_some_and(|(choice, _)| (start..start + inside.len()).contains(&choice));
            let more = u32::from(plan.extra || (r.min == 0 && chosen_inside));
            let times = r
                .min
                .saturating_add(more)
                .min(r.max.unwrap_or(u32::MAX))
                .min(MAX_REPEAT);
            // Alternations inside are counted once, whatever the repetition count.
            for _ in 0..times {
                *seen = start;
                if !sample(&r.sub, plan, seen, out) {
                    return false;
                }
            }
            if times == 0 {
                *seen += inside.len();
            }
        }
        HirKind::Capture(c) => return sample(&c.sub, plan, seen, out),
        HirKind::Concat(parts) => {
            for part in parts {
                if !sample(part, plan, seen, out) {
                    return false;
                }
            }
        }
        HirKind::Alternation(branches) => {
            let me = *seen;
            *seen += 1;
            let branch = match plan.choice {
                Some((choice, branch)) if choice == me => branch,
                _ => 0,
            };
            // Alternations nested in the branches not taken still count, so ordinals stay stable.
            for (i, b) in branches.iter().enumerate() {
                if i == branch {
                    if !sample(b, plan, seen, out) {
                        return false;
                    }
                } else {
                    let mut skipped = Vec::new();
                    alternations(b, &mut skipped);
                    *seen += skipped.len();
                }
            }
        }
    }
    out.len() <= MAX_SAMPLE_LEN
}

/// A readable member of a character class: `a`, `1`, `A`, another printable ASCII character, else the first one.
fn class_char(class: &Class) -> Option<char> {
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(u) => u.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .map(|r| (char::from(r.start()), char::from(r.end())))
            .collect(),
    };
    let contains = |c: char| ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
    ['a', '1', 'A', ' ', '-', '_', '.']
        .into_iter()
        .chain('!'..='~')
        .find(|c| contains(*c))
        .or_else(|| ranges.first().map(|r| r.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::AnalyzeOptions;
    use crate::model::Language;

    fn constants(source: &str) -> Vec<String> {
        let report = crate::analyze::analyze_text(
            source,
            "a.js",
            Language::Js,
            &AnalyzeOptions::with_types(),
        );
        report.functions[0]
            .constants
            .iter()
            .map(|c| c.code.clone())
            .collect()
    }

    #[test]
    fn comparisons_switch_cases_and_searches_give_their_literals() {
        let found = constants(
            "function f(n, s, kind) { if (n >= 99 || n < -1) return; switch (kind) { case 'a': case 2: break; } \
             if (s.startsWith('#')) return s.includes(`x`); return n === 10n; }",
        );
        for expected in ["99", "-1", "'a'", "2", "'#'", "10n"] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected} in {found:?}"
            );
        }
    }

    #[test]
    fn regex_samples_take_first_alternatives_and_minimal_repetitions() {
        assert_eq!(
            regex_samples(r"^\d+(ms|s|m|h)$"),
            vec!["1ms", "11ms", "1s", "1m", "1h"]
        );
        assert_eq!(
            regex_samples(r"^\d+ *(ms|s|m)?$"),
            vec!["1", "11 ms", "1s", "1m"]
        );
        assert_eq!(
            regex_samples(r"^[a-z]{2,3}-\d{4}$"),
            vec!["aa-1111", "aaa-1111"]
        );
        assert!(regex_samples(r"(?<=a)b").is_empty());
        assert!(regex_samples(r"a{1000}")
            .iter()
            .all(|s| s.len() <= MAX_SAMPLE_LEN));
    }

    #[test]
    fn regex_literals_in_the_body_become_string_constants() {
        let found =
            constants("function parse(s) { const m = /^(\\d+)(px|em)$/.exec(s); return m; }");
        assert!(found.contains(&"'1px'".to_string()), "{found:?}");
        assert!(found.contains(&"'1em'".to_string()), "{found:?}");
    }

    #[test]
    fn regexes_objects_and_functions_behind_names_join_the_constants() {
        let found = constants(
            "function parse(s) { if (!TYPE.test(s)) throw new TypeError('bad'); return masks[s] || quote(s); }\n\
             var TYPE = /^[a-z]+\\/[a-z]+$/;\n\
             var masks = { shortDate: 'M/D/YY', n: 3, list: ['x', new RegExp('^y+$')] };\n\
             function quote(s) { return s === 'q' ? 'quoted' : s; }",
        );
        assert!(
            !found.contains(&"'bad'".to_string()),
            "messages are left out: {found:?}"
        );
        for expected in ["'a/a'", "'shortDate'", "'M/D/YY'", "3", "'x'", "'y'", "'q'"] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected} in {found:?}"
            );
        }
        assert_eq!(
            found[0], "'a/a'",
            "bindings in the order the function reads them: {found:?}"
        );
    }

    #[test]
    fn backreferences_are_dropped_before_sampling() {
        let samples = regex_samples(r"d{1,4}|([Hh])\1?|YY");
        assert!(samples.contains(&"d".to_string()), "{samples:?}");
        assert!(samples.contains(&"YY".to_string()), "{samples:?}");
    }

    #[test]
    fn constants_are_bounded() {
        let body: String = (0..100)
            .map(|i| format!("if (n === {i}) return;"))
            .collect();
        assert_eq!(
            constants(&format!("function f(n) {{ {body} }}")).len(),
            MAX_CONSTANTS
        );
    }
}
