//! Smell rules. Each rule is one file with a doc comment (what, why, a bad and a good example; docs/rules.md is
//! generated from it), a `META` (id, default severity, thresholds) and a `check` over the file's facts, plus fixture
//! tests. A rule that needs syntax declares its own [`Signals`] type in its file and the node kinds it looks at
//! (`META.collects`); the single visitor pass hands it those nodes (never a second traversal), and its `check` reads
//! back only its own signals after the pass. Nothing here knows what any rule records.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::OnceLock;

use oxc_ast::ast_kind::AST_TYPE_MAX;
use oxc_ast::{AstKind, AstType};
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
    /// What the rule records during the pass, for rules that need syntax beyond the facts (`None`: facts only).
    pub collects: Option<Collects>,
}

/// A syntax rule's own record of one file, filled during the pass: the rule's file defines the type.
pub trait Signals: AsAny + Send {
    /// Called for each node of one of the rule's `Collects::kinds`, with the pass's state (ancestors, frames).
    fn enter(&mut self, at: &Collector, kind: AstKind);
}

/// Lets a rule's `check` get its own `Signals` type back from the file's [`RuleSignals`].
pub trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The node kinds a syntax rule looks at, and how to make its empty signals.
#[derive(Debug, Clone, Copy)]
pub struct Collects {
    pub kinds: &'static [AstType],
    pub new: fn() -> Box<dyn Signals>,
}

impl Collects {
    /// Signals of type `T`, fed the nodes of `kinds`.
    pub const fn of<T: Signals + Default>(kinds: &'static [AstType]) -> Self {
        Self {
            kinds,
            new: new_signals::<T>,
        }
    }
}

fn new_signals<T: Signals + Default>() -> Box<dyn Signals> {
    Box::new(T::default())
}

/// Every syntax rule's signals for one file (slots in `RULES` order), and which rules each node kind goes to.
#[derive(Default)]
pub struct RuleSignals {
    /// `None` for rules over the facts alone and for rules the configuration turns off (nothing to collect).
    slots: Vec<Option<Box<dyn Signals>>>,
    /// Per `AstType`: the indexes of the rules that look at it (computed once per process).
    dispatch: &'static [Vec<usize>],
    /// The node kinds an enabled rule looks at, as a bit set over `AstType`.
    wanted: [u64; 4],
}

impl std::fmt::Debug for RuleSignals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSignals").finish_non_exhaustive()
    }
}

impl RuleSignals {
    /// Empty signals for every syntax rule the configuration enables (every rule without one).
    pub fn new(config: Option<&Config>) -> Self {
        static DISPATCH: OnceLock<Vec<Vec<usize>>> = OnceLock::new();
        let dispatch = DISPATCH.get_or_init(|| {
            let mut table = vec![Vec::new(); AST_TYPE_MAX as usize + 1];
            for (i, meta) in RULES.iter().enumerate() {
                for kind in meta.collects.iter().flat_map(|c| c.kinds) {
                    table[*kind as usize].push(i);
                }
            }
            table
        });
        let mut wanted = [0u64; 4];
        let slots = RULES
            .iter()
            .map(|meta| {
                let collects = meta.collects?;
                if config.is_some_and(|c| c.rule(meta.id).severity.is_none()) {
                    return None;
                }
                for kind in collects.kinds {
                    wanted[*kind as usize / 64] |= 1 << (*kind as usize % 64);
                }
                Some((collects.new)())
            })
            .collect();
        Self {
            slots,
            dispatch,
            wanted,
        }
    }

    /// Whether an enabled rule looks at nodes of this kind (most nodes: none).
    pub fn wants(&self, kind: &AstKind) -> bool {
        let ty = kind.ty() as usize;
        self.wanted[ty / 64] & (1 << (ty % 64)) != 0
    }

    /// Hands a node to the rules that look at its kind.
    pub fn enter(&mut self, at: &Collector, kind: AstKind) {
        let Some(rules) = self.dispatch.get(kind.ty() as usize) else {
            return;
        };
        for &rule in rules {
            if let Some(Some(signals)) = self.slots.get_mut(rule) {
                signals.enter(at, kind);
            }
        }
    }

    /// A rule's own signals, by their type.
    pub fn get<T: Signals>(&self) -> Option<&T> {
        self.slots
            .iter()
            .flatten()
            .find_map(|signals| (**signals).as_any().downcast_ref::<T>())
    }
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

/// Everything a rule sees.
pub struct RuleContext<'r> {
    pub text: &'r str,
    pub lines: &'r LineIndex<'r>,
    pub file_lines: u32,
    pub functions: &'r [FunctionReport],
    /// The span of each function's node, same order as `functions` (where its smells end).
    pub function_spans: &'r [Span],
    /// Every class of the file with its span (lint/classes.rs).
    pub classes: &'r [ClassReport],
    pub class_spans: &'r [Span],
    pub signals: &'r RuleSignals,
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
    pub fn function_loc(&self, f: &FunctionReport, span: &Span) -> Loc {
        Loc {
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: self.lines.position(span.end).1,
        }
    }

    /// A rule's own signals (`None` only if the rule declares no `collects`).
    pub fn signals<T: Signals>(&self) -> Option<&T> {
        self.signals.get::<T>()
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
    for (f, span) in ctx.functions.iter().zip(ctx.function_spans) {
        let value = value_of(f);
        if f64::from(value) > threshold {
            out.push(smell(
                meta,
                settings,
                ctx.function_loc(f, span),
                Some(&f.name),
                f64::from(value),
                threshold,
                describe(f, value, threshold),
            ));
        }
    }
}

/// A syntax rule whose findings are single nodes, each reported where it stands with the rule's one message
/// (empty-catch, useless-catch, nested-ternary). Its file says which nodes and what to say; [`node_rule`] makes its
/// `META`, and the signals (a list of [`Site`]s) and the check that reports them are shared here.
pub trait NodeRule: 'static {
    const ID: &'static str;
    const SEVERITY: Severity;
    /// The node kinds the rule looks at.
    const KINDS: &'static [AstType];
    const MESSAGE: &'static str;
    /// The span to report when this node is a finding.
    fn finding(at: &Collector, kind: AstKind) -> Option<Span>;
}

/// The `META` of a [`NodeRule`]: no options; it collects its nodes' sites during the pass.
pub const fn node_rule<R: NodeRule>() -> RuleMeta {
    RuleMeta {
        id: R::ID,
        severity: R::SEVERITY,
        options: &[],
        list_options: &[],
        check: check_nodes::<R>,
        collects: Some(Collects::of::<NodeSites<R>>(R::KINDS)),
    }
}

/// A node rule's findings in one file (a type per rule, so each rule finds its own signals back).
struct NodeSites<R>(Vec<Site>, PhantomData<fn() -> R>);

impl<R> Default for NodeSites<R> {
    fn default() -> Self {
        Self(Vec::new(), PhantomData)
    }
}

impl<R: NodeRule> Signals for NodeSites<R> {
    fn enter(&mut self, at: &Collector, kind: AstKind) {
        if let Some(span) = R::finding(at, kind) {
            self.0.push(at.site(span));
        }
    }
}

fn check_nodes<R: NodeRule>(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let Some(NodeSites(sites, _)) = ctx.signals::<NodeSites<R>>() else {
        return;
    };
    let meta = node_rule::<R>();
    for site in sites {
        out.push(smell(
            &meta,
            settings,
            ctx.loc(site.span),
            site.function.as_deref(),
            0.0,
            0.0,
            R::MESSAGE.to_string(),
        ));
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
