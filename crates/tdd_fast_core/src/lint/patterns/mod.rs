//! Edge-case patterns: for each function, what a tester should try, with the line, a confidence in 0..1, the subject
//! (a parameter or an expression) and concrete values where they follow from the code. Each pattern is one file with
//! a doc comment (what, why, an example) and fixture tests; docs/rules.md is generated from those docs.
//!
//! Patterns run inside the single visitor pass (`on_enter`, called from facts.rs for every node) and append owned
//! `EdgeCase`s to the innermost function's report. A value is a JavaScript expression a test can paste when it is
//! concrete (`0`, `""`, `null`), or a short description in angle brackets when it is not (`<a non-matching string>`).
//! Subjects that are parameters get a higher confidence than local expressions; domain guesses from names get lower.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::{GetSpan, Span};

use crate::lint::facts::Collector;
use crate::model::{EdgeCase, FunctionReport, Param};

mod branch_cases;
mod date_time;
pub mod domain;
mod error_path;
mod length_boundary;
mod loop_iterations;
mod null_check;
mod nullish;
mod numeric_boundary;
mod parse_input;
mod regex;
mod rejection;
mod string_input;
mod throw;
mod type_guard;
/// Structured pattern values live beside this folder: every file here is a pattern with its doc (catalog.rs checks).
pub use crate::testgen::pattern_values as values;
mod zero_divisor;

/// What a pattern declares: its id (the file's name with `-` for `_`, checked by a test in catalog.rs).
#[derive(Debug, Clone, Copy)]
pub struct PatternMeta {
    pub id: &'static str,
}

/// Every pattern, in the order their docs appear.
pub static PATTERNS: &[PatternMeta] = &[
    null_check::META,
    numeric_boundary::META,
    zero_divisor::META,
    length_boundary::META,
    string_input::META,
    throw::META,
    error_path::META,
    rejection::META,
    branch_cases::META,
    regex::META,
    date_time::META,
    parse_input::META,
    loop_iterations::META,
    nullish::META,
    type_guard::META,
    domain::META,
];

/// Confidence for a subject that is a parameter, a local expression, and a guess from a name.
pub const PARAM: f64 = 0.9;
pub const LOCAL: f64 = 0.6;
pub const DOMAIN: f64 = 0.4;

/// Runs every pattern on one node of the pass.
pub fn on_enter(c: &mut Collector, kind: AstKind) {
    if current(c).is_none() {
        return;
    }
    match kind {
        AstKind::Function(_) | AstKind::ArrowFunctionExpression(_) => {
            null_check::on_function(c);
            rejection::on_function(c, kind);
            domain::on_function(c);
        }
        AstKind::BinaryExpression(e) => {
            null_check::on_binary(c, e);
            numeric_boundary::on_binary(c, e);
            zero_divisor::on_binary(c, e);
            length_boundary::on_binary(c, e);
            type_guard::on_binary(c, e);
        }
        AstKind::UnaryExpression(e) => null_check::on_unary(c, e),
        AstKind::AssignmentExpression(e) => {
            zero_divisor::on_assignment(c, e);
            nullish::on_assignment(c, e);
        }
        AstKind::ComputedMemberExpression(e) => length_boundary::on_index(c, e),
        AstKind::CallExpression(e) => {
            string_input::on_call(c, e);
            regex::on_call(c, e);
            parse_input::on_call(c, e);
            loop_iterations::on_call(c, e);
            type_guard::on_call(c, e);
            date_time::on_call(c, e);
            rejection::on_call(c, e);
        }
        AstKind::NewExpression(e) => {
            date_time::on_new(c, e);
            parse_input::on_new(c, e);
            rejection::on_new(c, e);
        }
        AstKind::ThrowStatement(s) => throw::on_throw(c, s),
        AstKind::TryStatement(s) => error_path::on_try(c, s),
        AstKind::AwaitExpression(e) => rejection::on_await(c, e),
        AstKind::SwitchStatement(s) => branch_cases::on_switch(c, s),
        AstKind::IfStatement(s) => branch_cases::on_if(c, s),
        AstKind::ForOfStatement(s) => loop_iterations::on_for_of(c, s),
        AstKind::ForInStatement(s) => loop_iterations::on_for_in(c, s),
        AstKind::ChainExpression(e) => nullish::on_chain(c, e),
        AstKind::LogicalExpression(e) => nullish::on_logical(c, e),
        _ => {}
    }
}

pub fn on_leave(_c: &mut Collector, _kind: AstKind) {}

/// The report of the innermost frame, if that frame is a reported function.
pub fn current<'c>(c: &'c Collector) -> Option<&'c FunctionReport> {
    c.frames.last().and_then(|f| f.report.as_ref())
}

/// The innermost root identifier of an expression (`a.b[0].c` -> `a`), through parentheses and TS wrappers.
pub fn root_name<'e>(expr: &'e Expression<'e>) -> Option<&'e str> {
    match expr.without_parentheses() {
        Expression::Identifier(id) => Some(id.name.as_str()),
        Expression::StaticMemberExpression(m) => root_name(&m.object),
        Expression::ComputedMemberExpression(m) => root_name(&m.object),
        Expression::ChainExpression(chain) => match &chain.expression {
            ChainElement::StaticMemberExpression(m) => root_name(&m.object),
            ChainElement::ComputedMemberExpression(m) => root_name(&m.object),
            ChainElement::CallExpression(call) => root_name(&call.callee),
            _ => None,
        },
        Expression::TSAsExpression(e) => root_name(&e.expression),
        Expression::TSNonNullExpression(e) => root_name(&e.expression),
        Expression::TSSatisfiesExpression(e) => root_name(&e.expression),
        Expression::TSTypeAssertion(e) => root_name(&e.expression),
        _ => None,
    }
}

/// The parameter an expression is rooted in, if any.
pub fn param_of<'c>(c: &'c Collector, expr: &Expression) -> Option<&'c Param> {
    let name = root_name(expr)?;
    current(c)?.params.iter().find(|p| p.name == name)
}

/// Source text of a span, shortened for display.
pub fn text_of(c: &Collector, span: Span) -> String {
    let text = c.source(span);
    // Fast path: short single-line text with single spaces is shown as is.
    if text.len() <= 60 && !text.contains(['\n', '\r', '\t']) && !text.contains("  ") {
        return text.to_string();
    }
    let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 60 {
        out = out.chars().take(57).collect::<String>() + "...";
    }
    out
}

/// The subject of an expression (its text) and the confidence it earns (parameter-rooted or not).
pub fn subject(c: &Collector, expr: &Expression) -> (String, f64) {
    let confidence = if param_of(c, expr).is_some() {
        PARAM
    } else {
        LOCAL
    };
    (text_of(c, expr.span()), confidence)
}

/// Appends an edge case to the innermost function, once per (id, line, subject).
pub fn push(
    c: &mut Collector,
    id: &str,
    at: Span,
    subject: String,
    confidence: f64,
    values: Vec<String>,
    reason: &str,
) {
    let line = c.lines.line(at.start);
    let Some(report) = c.frames.last_mut().and_then(|f| f.report.as_mut()) else {
        return;
    };
    // The pass runs in source order, so an equal case can only sit among the last ones on this line.
    if report
        .patterns
        .iter()
        .rev()
        .take_while(|p| p.line == line)
        .any(|p| p.id == id && p.subject == subject && p.values == values)
    {
        return;
    }
    report.patterns.push(EdgeCase {
        id: id.to_string(),
        line,
        confidence,
        subject,
        values,
        reason: Some(reason.to_string()),
        param: None,
        cases: Vec::new(),
    });
}

pub fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// Whether a parameter's declared type (if any) could hold a number.
pub fn may_be_number(param: Option<&Param>) -> bool {
    param
        .and_then(|p| p.r#type.as_deref())
        .is_none_or(|t| t.contains("number") || t.contains("any") || t.contains("unknown"))
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::analyze::analyze_text;
    use crate::model::{EdgeCase, Language};

    /// Edge cases of one pattern across every function of a TypeScript fixture.
    pub fn cases(code: &str, id: &str) -> Vec<EdgeCase> {
        analyze_text(code, "fixture.ts", Language::Ts, &Default::default())
            .functions
            .into_iter()
            .flat_map(|f| f.patterns)
            .filter(|p| p.id == id)
            .collect()
    }
}
