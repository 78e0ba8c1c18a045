//! Pattern values as structured data: every edge case's `values` (the strings a reader sees) also come as `cases`,
//! each `{ code, literal, description }`: the JavaScript expression to pass, its JSON value when it has one (`null`
//! otherwise: `NaN`, `undefined`, `new Date(0)`), and what it is. Placeholders (`<empty>`, `<one element>`,
//! `<length 3>`, `<zero items>`) become concrete values for the parameter's type (an array or a string); the ones
//! that are no input (`<throws>`, `<rejects>`, `<a fixed clock ...>`) have no case. `param` names the parameter a
//! case applies to.
//!
//! This runs after type resolution (it needs the parameter's shape), over the finished reports.

use serde::{Deserialize, Serialize};

use crate::model::{EdgeCase, FunctionReport, Param};
use crate::testgen::types::TypeShape;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseValue {
    /// JavaScript expression text.
    pub code: String,
    /// The value as JSON when it is JSON-representable and not `null` (`None` also for `NaN`, `undefined`, values
    /// built by code; `code` tells them apart).
    pub literal: Option<serde_json::Value>,
    pub description: String,
}

impl CaseValue {
    /// A case from expression text, with its JSON value when the text is a JSON-representable literal.
    pub fn from_code(code: &str, description: Option<&str>) -> Self {
        let literal = literal_of(code);
        let description =
            description.map_or_else(|| describe(code, literal.as_ref()), str::to_string);
        Self {
            code: code.to_string(),
            literal,
            description,
        }
    }
}

/// The JSON value of literal source text: numbers, strings in either quote, booleans, `null`, arrays and objects of
/// those (JSON syntax). `None` for anything else.
pub fn literal_of(code: &str) -> Option<serde_json::Value> {
    let code = code.trim();
    if code == "-0" {
        return None;
    }
    if let Some(inner) = code.strip_prefix('\'').and_then(|c| c.strip_suffix('\'')) {
        return unescape_single(inner).map(serde_json::Value::String);
    }
    let value: serde_json::Value = serde_json::from_str(code).ok()?;
    // JSON null and "no JSON value" are both `null` on the wire: `code` tells them apart.
    (!value.is_null()).then_some(value)
}

fn unescape_single(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                other @ ('\\' | '\'' | '"') => out.push(other),
                _ => return None,
            },
            '\'' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// A short description of a value for test names.
pub fn describe(code: &str, literal: Option<&serde_json::Value>) -> String {
    match (code, literal) {
        ("undefined", _) => "undefined".to_string(),
        ("NaN", _) => "NaN".to_string(),
        ("Infinity", _) => "Infinity".to_string(),
        ("-Infinity", _) => "-Infinity".to_string(),
        ("-0", _) => "negative zero".to_string(),
        (_, Some(serde_json::Value::Null)) => "null".to_string(),
        (_, Some(serde_json::Value::String(s))) if s.is_empty() => "an empty string".to_string(),
        (_, Some(serde_json::Value::String(s))) if s.trim().is_empty() => {
            "a blank string".to_string()
        }
        (_, Some(serde_json::Value::Array(a))) if a.is_empty() => "an empty array".to_string(),
        (_, Some(serde_json::Value::Array(a))) if a.len() == 1 => "a one-element array".to_string(),
        (_, Some(serde_json::Value::Object(o))) if o.is_empty() => "an empty object".to_string(),
        (_, Some(serde_json::Value::Number(n))) if n.as_f64() == Some(0.0) => "zero".to_string(),
        (_, Some(serde_json::Value::Number(n))) if n.as_f64().is_some_and(|n| n < 0.0) => {
            format!("a negative number ({code})")
        }
        _ => code.to_string(),
    }
}

/// What a placeholder-taking parameter is: an array-like or a string.
#[derive(Clone, Copy, PartialEq)]
enum Sequence {
    Array,
    String,
}

fn sequence_of(param: Option<&Param>, function: &FunctionReport) -> Option<Sequence> {
    if let Some(shape) = param.and_then(|p| p.shape.as_ref()) {
        return sequence_of_shape(shape);
    }
    let usage = param.and_then(|p| function.usage.params.iter().find(|u| u.name == p.name));
    match usage {
        Some(u) if u.hints.iter().any(|h| h == "string-method") => Some(Sequence::String),
        Some(u)
            if u.hints
                .iter()
                .any(|h| h == "array-method" || h == "iterated" || h == "index") =>
        {
            Some(Sequence::Array)
        }
        _ => None,
    }
}

fn sequence_of_shape(shape: &TypeShape) -> Option<Sequence> {
    match shape {
        TypeShape::Array { .. } | TypeShape::Tuple { .. } | TypeShape::Set { .. } => {
            Some(Sequence::Array)
        }
        TypeShape::String => Some(Sequence::String),
        TypeShape::Literal {
            value: crate::testgen::types::LiteralValue::String(_),
            ..
        } => Some(Sequence::String),
        TypeShape::Union { types } => types.iter().find_map(sequence_of_shape),
        _ => None,
    }
}

fn sequence_case(sequence: Sequence, length: usize, what: &str) -> CaseValue {
    let code = match sequence {
        Sequence::Array => format!(
            "[{}]",
            (1..=length)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Sequence::String => crate::testgen::types::quote(&"a".repeat(length)),
    };
    let mut case = CaseValue::from_code(&code, None);
    case.description = what.to_string();
    case
}

/// Whether text is one JavaScript expression a test can paste (literals are; other text is parsed to check).
pub fn is_expression(code: &str) -> bool {
    if literal_of(code).is_some()
        || matches!(
            code,
            "null" | "undefined" | "NaN" | "Infinity" | "-Infinity" | "-0"
        )
    {
        return true;
    }
    // The same texts come back for every function (the patterns' tables): parse each once per thread, into one
    // reused arena.
    thread_local! {
        static CHECKED: std::cell::RefCell<(oxc_allocator::Allocator, std::collections::HashMap<String, bool>)> =
            std::cell::RefCell::new(Default::default());
    }
    CHECKED.with(|cell| {
        let (allocator, seen) = &mut *cell.borrow_mut();
        if let Some(known) = seen.get(code) {
            return *known;
        }
        allocator.reset();
        let ok = oxc_parser::Parser::new(allocator, code, oxc_span::SourceType::mjs())
            .parse_expression()
            .is_ok();
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(code.to_string(), ok);
        ok
    })
}

/// The case for one value text, or `None` when the value is no input a test can pass.
fn case_for(value: &str, sequence: Option<Sequence>) -> Option<CaseValue> {
    let Some(placeholder) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) else {
        return is_expression(value).then(|| CaseValue::from_code(value, None));
    };
    let sequence = sequence?;
    let (noun, unit) = match sequence {
        Sequence::Array => ("array", "element"),
        Sequence::String => ("string", "character"),
    };
    let (length, description) = match placeholder {
        "empty" | "empty: length 0" | "zero items" => (0, format!("an empty {noun}")),
        "one element" | "one item" => (1, format!("a one-{unit} {noun}")),
        "many elements" | "many items" => (5, format!("a five-{unit} {noun}")),
        p if p.starts_with("zero items") => (0, format!("an empty {noun}")),
        p => {
            let n: usize = p.strip_prefix("length ")?.parse().ok()?;
            if n > 64 {
                return None;
            }
            (n, format!("a {noun} of length {n}"))
        }
    };
    Some(sequence_case(sequence, length, &description))
}

/// Fills `param` and `cases` of every edge case of the functions (cases a pattern built itself are kept), the
/// parameters' structured defaults, domains and inferred shapes (types/infer.rs), and the guards' compared values.
pub fn structure(functions: &mut [FunctionReport]) {
    for function in functions.iter_mut() {
        crate::testgen::types::infer::fill_params(&mut function.params, &function.usage.params);
        for guard in &mut function.usage.guards {
            for condition in &mut guard.conditions {
                condition.value_case = condition
                    .value
                    .as_deref()
                    .map(|v| CaseValue::from_code(v, None));
            }
        }
        let mut patterns = std::mem::take(&mut function.patterns);
        for pattern in &mut patterns {
            fill(pattern, function);
        }
        function.patterns = patterns;
    }
}

fn root_of(subject: &str) -> &str {
    let end = subject
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(subject.len());
    &subject[..end]
}

fn fill(pattern: &mut EdgeCase, function: &FunctionReport) {
    let root = root_of(&pattern.subject);
    let param = function
        .params
        .iter()
        .find(|p| p.name == root && !root.is_empty());
    if pattern.param.is_none() {
        pattern.param = param.map(|p| p.name.clone());
    }
    if !pattern.cases.is_empty() {
        return;
    }
    // `items.length` compared: the placeholders are about `items` itself.
    let sequence = sequence_of(param, function);
    pattern.cases = pattern
        .values
        .iter()
        .filter_map(|v| case_for(v, sequence))
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_json_when_they_can_be() {
        assert_eq!(literal_of("0"), Some(serde_json::json!(0)));
        assert_eq!(literal_of("'it\\'s'"), Some(serde_json::json!("it's")));
        assert_eq!(literal_of("\"\""), Some(serde_json::json!("")));
        assert_eq!(literal_of("null"), None);
        assert_eq!(literal_of("[]"), Some(serde_json::json!([])));
        assert_eq!(literal_of("NaN"), None);
        assert_eq!(literal_of("undefined"), None);
        assert_eq!(literal_of("-0"), None);
        assert_eq!(literal_of("0.1 + 0.2"), None);
    }

    #[test]
    fn placeholders_become_values_of_the_parameters_type() {
        let array = case_for("<length 3>", Some(Sequence::Array)).unwrap();
        assert_eq!(array.code, "[1, 2, 3]");
        assert_eq!(array.literal, Some(serde_json::json!([1, 2, 3])));
        let text = case_for("<empty>", Some(Sequence::String)).unwrap();
        assert_eq!(text.code, "''");
        assert_eq!(text.description, "an empty string");
        assert!(case_for("<rejects>", Some(Sequence::Array)).is_none());
        assert!(case_for("<empty>", None).is_none());
    }

    #[test]
    fn only_expressions_become_cases() {
        assert!(case_for("new Date(0)", None).is_some());
        assert!(case_for("\"x\".repeat(3)", None).is_some());
        assert!(case_for("a string matching /x/", None).is_none());
        assert!(case_for("}{", None).is_none());
    }
}
