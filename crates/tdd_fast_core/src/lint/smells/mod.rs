//! Smell rules. Each rule is one file with a doc comment (what, why, a bad and a good example; docs/rules.md is
//! generated from it), a `META` (id, default severity, thresholds) and a `check` over the file's facts, plus fixture
//! tests. Rules that need syntax collect owned signals during the single visitor pass, each in its own file (`collect`,
//! called from `on_enter` here, which only dispatches by node kind), never a second traversal; the rules themselves
//! run after the pass.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::Span;

use crate::config::{Config, RuleSettings};
use crate::lint::facts::Collector;
use crate::model::{ClassReport, FunctionReport, Severity, Smell};
use crate::parse::LineIndex;

mod boolean_parameter;
mod callback_hell;
mod deep_nesting;
mod duplicate_string_literal;
mod empty_catch;
mod high_cognitive_complexity;
mod high_cyclomatic_complexity;
mod identical_functions;
mod large_class;
mod large_file;
mod long_function;
mod long_parameter_list;
mod magic_number;
mod nested_ternary;
mod too_many_returns;
mod useless_catch;

/// What a rule declares: its id, default severity and options (name, default) — the config validates against this.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub options: &'static [(&'static str, f64)],
    pub list_options: &'static [(&'static str, &'static [f64])],
    pub check: fn(&RuleContext, &RuleSettings, &mut Vec<Smell>),
}

pub static RULES: &[RuleMeta] = &[
    long_function::META,
    long_parameter_list::META,
    deep_nesting::META,
    high_cyclomatic_complexity::META,
    high_cognitive_complexity::META,
    callback_hell::META,
    large_file::META,
    large_class::META,
    magic_number::META,
    empty_catch::META,
    useless_catch::META,
    nested_ternary::META,
    identical_functions::META,
    boolean_parameter::META,
    too_many_returns::META,
    duplicate_string_literal::META,
];

/// Per-function facts only rules need (kept beside `FunctionReport`, in the same order).
#[derive(Debug, Clone, Default)]
pub struct FunctionSignals {
    /// `return` statements of the function itself (nested functions excluded).
    pub returns: u32,
    /// The function's block body, if it has one.
    pub body: Option<Span>,
    /// Where the function node ends (byte offset), for the end column of function smells.
    pub end: u32,
}

/// Where a smell is: 1-based lines and UTF-16 columns, the end just after the last character (like ESLint).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// A syntax finding located in a function (or at the top level).
#[derive(Debug, Clone)]
pub struct Site {
    /// The node the finding is about (its start is the column reported).
    pub span: Span,
    pub function: Option<String>,
}

/// File-level signals collected during the pass. Each rule's own signal is collected by that rule's `collect` (in its
/// file, called from `on_enter`) and read only by that rule's `check`.
#[derive(Debug, Clone, Default)]
pub struct FileSignals {
    /// Every class (large_class.rs collects them; test generation reads them too).
    pub classes: Vec<ClassReport>,
    /// The span of each class in `classes`, same order (large_class.rs).
    pub class_spans: Vec<Span>,
    /// magic_number.rs.
    pub magic_numbers: Vec<magic_number::MagicNumber>,
    /// String literals that may repeat: (span of the literal's content, line) (duplicate_string_literal.rs).
    pub strings: Vec<(Span, u32)>,
    /// empty_catch.rs.
    pub empty_catches: Vec<Site>,
    /// useless_catch.rs.
    pub useless_catches: Vec<Site>,
    /// nested_ternary.rs.
    pub nested_ternaries: Vec<Site>,
    /// `import ...` and `export ... from ...` declarations, in source order: left out of duplicate fingerprints
    /// (lists of re-exports look alike once identifiers are normalised, and copying them is no smell).
    pub module_declarations: Vec<Span>,
}

/// Everything a rule sees.
pub struct RuleContext<'r> {
    pub text: &'r str,
    pub lines: &'r LineIndex<'r>,
    pub file_lines: u32,
    pub functions: &'r [FunctionReport],
    pub function_signals: &'r [FunctionSignals],
    pub signals: &'r FileSignals,
}

/// Runs every enabled rule over a file's facts; smells come out sorted by line.
pub fn run(ctx: &RuleContext, config: &Config) -> Vec<Smell> {
    let mut out = Vec::new();
    for meta in RULES {
        let settings = config.rule(meta.id);
        if settings.severity.is_some() {
            (meta.check)(ctx, settings, &mut out);
        }
    }
    out.sort_by(|a, b| (a.line, &a.id).cmp(&(b.line, &b.id)));
    out
}

impl RuleContext<'_> {
    /// The location of a node.
    pub fn loc(&self, span: Span) -> Loc {
        let (line, column) = self.lines.position(span.start);
        let (end_line, end_column) = self.lines.position(span.end.max(span.start));
        Loc {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// A function smell's location: from the function's head (where ESLint reports the function) to its end.
    pub fn function_loc(&self, f: &FunctionReport, signals: &FunctionSignals) -> Loc {
        Loc {
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: self.lines.position(signals.end).1,
        }
    }
}

/// Builds a smell with the rule's configured severity.
pub fn smell(
    meta: &RuleMeta,
    settings: &RuleSettings,
    at: Loc,
    function: Option<&str>,
    value: f64,
    threshold: f64,
    message: String,
) -> Smell {
    Smell {
        id: meta.id.to_string(),
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        severity: settings.severity.unwrap_or(meta.severity),
        message,
        function: function.map(str::to_string),
        value,
        threshold,
    }
}

/// The common shape of "a function metric over a threshold".
pub fn metric_rule(
    meta: &RuleMeta,
    ctx: &RuleContext,
    settings: &RuleSettings,
    out: &mut Vec<Smell>,
    value_of: impl Fn(&FunctionReport) -> u32,
    describe: impl Fn(&FunctionReport, u32, f64) -> String,
) {
    let threshold = settings.number("threshold");
    for (f, signals) in ctx.functions.iter().zip(ctx.function_signals) {
        let value = value_of(f);
        if f64::from(value) > threshold {
            out.push(smell(
                meta,
                settings,
                ctx.function_loc(f, signals),
                Some(&f.name),
                f64::from(value),
                threshold,
                describe(f, value, threshold),
            ));
        }
    }
}

impl Collector<'_, '_> {
    pub fn site(&self, span: Span) -> Site {
        Site {
            span,
            function: self
                .frames
                .iter()
                .rev()
                .find_map(|f| f.report.as_ref().map(|r| r.name.clone())),
        }
    }
}

/// Collects rule signals for one node, inside the single pass.
pub fn on_enter(collector: &mut Collector, kind: AstKind) {
    match kind {
        AstKind::ImportDeclaration(d) => collector.file_signals.module_declarations.push(d.span),
        AstKind::ExportAllDeclaration(d) => collector.file_signals.module_declarations.push(d.span),
        AstKind::ExportFromDeclaration(d) => {
            collector.file_signals.module_declarations.push(d.span)
        }
        AstKind::ReturnStatement(_) => too_many_returns::collect(collector),
        AstKind::Class(class) => large_class::collect(collector, class),
        AstKind::NumericLiteral(literal) => magic_number::collect(collector, literal),
        AstKind::StringLiteral(literal) => duplicate_string_literal::collect(collector, literal),
        AstKind::CatchClause(clause) => {
            empty_catch::collect(collector, clause);
            useless_catch::collect(collector, clause);
        }
        AstKind::ConditionalExpression(conditional) => {
            nested_ternary::collect(collector, conditional)
        }
        _ => {}
    }
}

/// The body span of a function node (block bodies only; expression arrows have none worth comparing).
pub fn body_span(kind: AstKind) -> Option<Span> {
    match kind {
        AstKind::Function(f) => f.body.as_ref().map(|b| b.span),
        AstKind::ArrowFunctionExpression(f) => match &f.body {
            ArrowFunctionBody::FunctionBody(body) => Some(body.span),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::analyze::{analyze_text, AnalyzeOptions};
    use crate::config::Config;
    use crate::model::{Language, Smell};

    /// Smells of one rule on a TypeScript fixture, with an optional config JSON.
    /// A rule's smells on a fixture, every rule on (`"preset": "all"`) unless `config` names a preset.
    pub fn smells(code: &str, id: &str, config: &str) -> Vec<Smell> {
        let mut value: serde_json::Value = if config.trim().is_empty() {
            serde_json::json!({})
        } else {
            serde_json::from_str(config).expect("config")
        };
        value
            .as_object_mut()
            .expect("a config object")
            .entry("preset")
            .or_insert_with(|| "all".into());
        let options = AnalyzeOptions {
            config: std::sync::Arc::new(Config::from_value(&value).expect("config")),
            ..Default::default()
        };
        analyze_text(code, "fixture.ts", Language::Ts, &options)
            .smells
            .into_iter()
            .filter(|s| s.id == id)
            .collect()
    }
}
