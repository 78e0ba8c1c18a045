//! ONE visitor pass over the AST yields owned facts for every function: its name, kind, position, params and metrics.
//!
//! The collector keeps a stack of ancestor nodes (like ESLint's `node.parent`), so each metric can follow its reference
//! rule's exact definition, and a stack of open function frames that the metrics accumulate into. Nothing borrowed
//! from the AST outlives the pass: the results are owned `FunctionReport`s and the Allocator can be dropped.

use std::collections::HashSet;

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_ast_visit::Visit;
use oxc_span::{GetSpan, Span};

use crate::lint::metrics::{self, FrameMetrics};
use crate::lint::patterns;
use crate::lint::smells::RuleSignals;
use crate::model::{ClassReport, FunctionKind, FunctionReport, Param};
use crate::parse::LineIndex;

/// An open function (or a code path ESLint treats like one, such as a class static block) whose metrics accumulate.
pub struct Frame {
    /// `None` for code paths that are not reported as functions (static blocks, class field initializers).
    pub report: Option<FunctionReport>,
    pub metrics: FrameMetrics,
    /// Span of the function node; tells its own leave_node apart from nested nodes.
    pub span: Span,
    /// Names the function's code reads, for the constants behind them (see constants.rs).
    pub referenced: Vec<String>,
}

/// Everything the pass yields for a file: functions in source order with their nodes' spans (same order), the classes,
/// what each syntax rule recorded, and the module declarations the duplicate detector leaves out.
pub struct Facts {
    pub functions: Vec<FunctionReport>,
    pub function_spans: Vec<Span>,
    pub classes: Vec<ClassReport>,
    pub class_spans: Vec<Span>,
    pub rule_signals: RuleSignals,
    pub module_declarations: Vec<Span>,
    /// One per `classes` entry, same order (see exports.rs).
    pub class_facts: Vec<crate::testgen::exports::ClassFacts>,
}

pub struct Collector<'a, 's> {
    pub text: &'s str,
    pub lines: &'s LineIndex<'s>,
    pub ancestors: Vec<AstKind<'a>>,
    pub frames: Vec<Frame>,
    pub functions: Vec<FunctionReport>,
    /// The span of each function's node, same order as `functions`.
    pub function_spans: Vec<Span>,
    /// Every class (lint/classes.rs) and its span, same order.
    pub classes: Vec<ClassReport>,
    pub class_spans: Vec<Span>,
    /// What each syntax rule records during the pass (its own type, in its own file; lint/smells).
    pub rule_signals: RuleSignals,
    /// `import ...` and `export ... from ...` declarations (lint/duplicates.rs).
    pub module_declarations: Vec<Span>,
    /// ESLint 10 `max-nested-callbacks`'s stack (spans of the open callbacks): a function expression or arrow passed
    /// as an argument to a call pushes and pops itself on exit; other functions leave the stack alone (ESLint 9 popped
    /// on leaving every function expression).
    pub callbacks: Vec<Span>,
    /// Local names exported by `export { a }`, `export default a`, `module.exports = { a }` and the like.
    exported_names: HashSet<String>,
    /// Type and member facts of every class, in the order `classes` gets them.
    pub class_facts: Vec<crate::testgen::exports::ClassFacts>,
    /// Literal values bound to names anywhere in the file, and the names each reported function reads (same order
    /// as `functions`): a function's constants include those of the bindings and functions it uses.
    pub named_constants: crate::testgen::constants::NamedConstants,
    pub function_refs: Vec<Vec<String>>,
    /// Collect what only test generation reads (`AnalyzeOptions::types`): each function's type annotations lowered for
    /// the type model, its parameters' usage and guards (testgen/usage.rs), its constants (testgen/constants.rs). Off
    /// for plain analysis, which reports none of them.
    generation: bool,
}

impl<'a, 's> Collector<'a, 's> {
    /// Also collects generation's facts: type annotations for the type model, usage, constants (test generation asks
    /// for them; `analyze` does not).
    pub fn with_types(mut self, generation: bool) -> Self {
        self.generation = generation;
        self
    }

    /// Collects signals only for the syntax rules `config` enables (without it: for every rule). Their findings are
    /// the same either way: a rule that is off is never checked.
    pub fn with_rules(mut self, config: &crate::config::Config) -> Self {
        self.rule_signals = RuleSignals::new(Some(config));
        self
    }

    pub fn new(text: &'s str, lines: &'s LineIndex<'s>) -> Self {
        Self {
            text,
            lines,
            ancestors: Vec::with_capacity(64),
            frames: Vec::with_capacity(16),
            functions: Vec::new(),
            function_spans: Vec::new(),
            classes: Vec::new(),
            class_spans: Vec::new(),
            rule_signals: RuleSignals::new(None),
            module_declarations: Vec::new(),
            callbacks: Vec::new(),
            exported_names: HashSet::new(),
            class_facts: Vec::new(),
            named_constants: Default::default(),
            function_refs: Vec::new(),
            generation: false,
        }
    }

    /// Runs the pass over a program and returns the functions in source order.
    pub fn collect(self, program: &Program<'a>) -> Vec<FunctionReport> {
        self.collect_facts(program).functions
    }

    /// Runs the pass over a program: functions in source order, with their rule signals and the file's signals.
    pub fn collect_facts(mut self, program: &Program<'a>) -> Facts {
        self.visit_program(program);
        if self.generation {
            crate::testgen::constants::resolve_named(
                &mut self.functions,
                &self.function_refs,
                &self.named_constants,
            );
        }
        let exported_names = std::mem::take(&mut self.exported_names);
        let mut pairs: Vec<(FunctionReport, Span)> = self
            .functions
            .into_iter()
            .zip(self.function_spans)
            .collect();
        for (function, _) in &mut pairs {
            let root = function.name.split('.').next().unwrap_or_default();
            if exported_names.contains(root) {
                function.exported = true;
            }
        }
        pairs.sort_by_key(|(f, _)| (f.start_line, f.line, f.column));
        let (functions, function_spans) = pairs.into_iter().unzip();
        Facts {
            functions,
            function_spans,
            classes: self.classes,
            class_spans: self.class_spans,
            rule_signals: self.rule_signals,
            module_declarations: self.module_declarations,
            class_facts: self.class_facts,
        }
    }

    pub fn source(&self, span: Span) -> &'s str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    /// The parent of the node being entered, skipping parentheses (ESTree has no node for them).
    pub fn parent(&self) -> Option<AstKind<'a>> {
        self.ancestors
            .iter()
            .rev()
            .find(|k| !matches!(k, AstKind::ParenthesizedExpression(_)))
            .copied()
    }

    /// The nth ancestor of the node being entered (0 = parent), parentheses skipped.
    pub fn ancestor(&self, n: usize) -> Option<AstKind<'a>> {
        self.ancestors
            .iter()
            .rev()
            .filter(|k| !matches!(k, AstKind::ParenthesizedExpression(_)))
            .nth(n)
            .copied()
    }

    pub fn current_frame(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }

    fn enter_function(&mut self, kind: AstKind<'a>) {
        let parent = self.parent();
        let callback = is_eslint_function_expression(kind)
            && matches!(parent, Some(AstKind::CallExpression(call))
                if call.callee.without_parentheses().span() != kind.span());
        if callback {
            self.callbacks.push(kind.span());
        }
        // Overload signatures, `declare function` and abstract methods have no body: ESLint sees no function there.
        let has_body = !matches!(kind, AstKind::Function(f) if f.body.is_none());
        let report = has_body.then(|| self.describe_function(kind, parent));
        self.frames.push(Frame {
            report,
            metrics: FrameMetrics::default(),
            span: kind.span(),
            referenced: Vec::new(),
        });
    }

    fn leave_function(&mut self, kind: AstKind<'a>) {
        if self.callbacks.last() == Some(&kind.span()) {
            self.callbacks.pop();
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if let Some(mut report) = frame.report {
            report.metrics = frame.metrics.finish(report.metrics);
            self.functions.push(report);
            self.function_spans.push(frame.span);
            self.function_refs.push(frame.referenced);
        }
    }

    fn describe_function(&self, kind: AstKind<'a>, parent: Option<AstKind<'a>>) -> FunctionReport {
        let (params, is_async, generator, own_name, fn_kind) = match kind {
            AstKind::Function(f) => (
                &*f.params,
                f.r#async,
                f.generator,
                f.id.as_ref().map(|id| id.name.to_string()),
                FunctionKind::Function,
            ),
            AstKind::ArrowFunctionExpression(f) => {
                (&*f.params, f.r#async, false, None, FunctionKind::Arrow)
            }
            _ => unreachable!("only functions open frames with reports"),
        };
        let (name, fn_kind, exported) = self.name_and_kind(parent, own_name, fn_kind);
        let span = kind.span();
        // ESLint measures methods and accessors from their definition (decorators and key included).
        let measured = match parent {
            Some(AstKind::MethodDefinition(m)) => m.span,
            Some(AstKind::ObjectProperty(p)) if p.method || p.kind != PropertyKind::Init => p.span,
            _ => span,
        };
        let head = self.head_offset(kind, parent);
        let (line, column) = self.lines.position(head);
        let start_line = self.lines.line(measured.start);
        let end_line = self
            .lines
            .line(measured.end.saturating_sub(1).max(measured.start));
        // ESLint `max-params` counts a `this` parameter unless it is typed `void`.
        let this_param = match kind {
            AstKind::Function(f) => f.this_param.as_ref().is_some_and(|t| {
                !t.type_annotation
                    .as_ref()
                    .is_some_and(|a| matches!(a.type_annotation, TSType::TSVoidKeyword(_)))
            }),
            _ => false,
        };
        let pending = crate::testgen::types::PendingFn {
            params: if self.generation {
                crate::testgen::types::syntax::lower_params(params, self.text)
                    .into_iter()
                    .map(|p| p.ty)
                    .collect()
            } else {
                Vec::new()
            },
            returns: match kind {
                AstKind::Function(f) if self.generation => f.return_type.as_ref(),
                AstKind::ArrowFunctionExpression(f) if self.generation => f.return_type.as_ref(),
                _ => None,
            }
            .map(|t| crate::testgen::types::syntax::lower(&t.type_annotation, self.text)),
            type_params: match kind {
                AstKind::Function(f) if self.generation => {
                    crate::testgen::types::syntax::function_type_params(
                        f.type_parameters.as_deref(),
                        self.text,
                    )
                }
                AstKind::ArrowFunctionExpression(f) if self.generation => {
                    crate::testgen::types::syntax::function_type_params(
                        f.type_parameters.as_deref(),
                        self.text,
                    )
                }
                _ => Vec::new(),
            },
            anchor: self.doc_anchor(kind, parent),
            node_start: span.start,
        };
        let params = self.describe_params(params);
        let metrics = crate::model::Metrics {
            params: params.len() as u32 + u32::from(this_param),
            lines: end_line + 1 - start_line,
            max_nested_callbacks: if self.callbacks.last() == Some(&kind.span()) {
                self.callbacks.len() as u32
            } else {
                0
            },
            ..Default::default()
        };
        FunctionReport {
            name,
            kind: fn_kind,
            line,
            end_line: self.lines.line(span.end.saturating_sub(1).max(span.start)),
            column,
            start_line,
            exported,
            r#async: is_async,
            generator,
            params,
            metrics,
            patterns: Vec::new(),
            usage: Default::default(),
            returns: None,
            export_path: None,
            constants: Vec::new(),
            pending: Some(Box::new(pending)),
        }
    }

    /// Where a JSDoc block for the function would end: the start of the statement, property or method holding it.
    fn doc_anchor(&self, kind: AstKind<'a>, parent: Option<AstKind<'a>>) -> u32 {
        let mut anchor = kind.span().start;
        let mut node = parent;
        for depth in 0..4 {
            match node {
                Some(
                    AstKind::MethodDefinition(_)
                    | AstKind::PropertyDefinition(_)
                    | AstKind::ObjectProperty(_)
                    | AstKind::VariableDeclaration(_)
                    | AstKind::ExpressionStatement(_)
                    | AstKind::ExportDeclaration(_)
                    | AstKind::ExportDefaultDeclaration(_),
                ) => anchor = node.map_or(anchor, |n| n.span().start),
                Some(AstKind::VariableDeclarator(_) | AstKind::AssignmentExpression(_)) => {}
                _ => break,
            }
            node = self.ancestor(depth + 1);
        }
        anchor
    }

    /// Where ESLint reports a function (`getFunctionHeadLoc`): the property/method start, the `=>` of an arrow, or the
    /// function node's start.
    fn head_offset(&self, kind: AstKind<'a>, parent: Option<AstKind<'a>>) -> u32 {
        match parent {
            Some(AstKind::MethodDefinition(m)) => return m.span.start,
            Some(AstKind::ObjectProperty(p)) => return p.span.start,
            Some(AstKind::PropertyDefinition(p)) => return p.span.start,
            _ => {}
        }
        if let AstKind::ArrowFunctionExpression(arrow) = kind {
            let after_params = arrow
                .return_type
                .as_ref()
                .map_or(arrow.params.span.end, |t| t.span.end);
            let between = self.source(Span::new(after_params, arrow.body.span().start));
            if let Some(i) = between.find("=>") {
                return after_params + i as u32;
            }
        }
        kind.span().start
    }

    fn name_and_kind(
        &self,
        parent: Option<AstKind<'a>>,
        own_name: Option<String>,
        default_kind: FunctionKind,
    ) -> (String, FunctionKind, bool) {
        match parent {
            Some(AstKind::MethodDefinition(method)) => {
                let kind = match method.kind {
                    MethodDefinitionKind::Constructor => FunctionKind::Constructor,
                    MethodDefinitionKind::Method => FunctionKind::Method,
                    MethodDefinitionKind::Get => FunctionKind::Getter,
                    MethodDefinitionKind::Set => FunctionKind::Setter,
                };
                let (class, exported) = self.enclosing_class(2);
                (
                    format!("{class}.{}", self.key_name(&method.key)),
                    kind,
                    exported,
                )
            }
            Some(AstKind::PropertyDefinition(field)) => {
                let (class, exported) = self.enclosing_class(2);
                (
                    format!("{class}.{}", self.key_name(&field.key)),
                    default_kind,
                    exported,
                )
            }
            Some(AstKind::ObjectProperty(property)) => {
                let kind = match property.kind {
                    PropertyKind::Get => FunctionKind::Getter,
                    PropertyKind::Set => FunctionKind::Setter,
                    PropertyKind::Init if property.method => FunctionKind::Method,
                    PropertyKind::Init => default_kind,
                };
                let key = self.key_name(&property.key);
                let (owner, exported) = self.object_owner(1);
                let name = match owner {
                    Some(owner) => format!("{owner}.{key}"),
                    None => key,
                };
                (name, kind, exported)
            }
            Some(AstKind::VariableDeclarator(declarator)) => {
                // The binding is what callers import and call, so it names the function.
                let name = self.source(declarator.id.span()).to_string();
                (name, default_kind, self.declaration_is_exported(1))
            }
            Some(AstKind::AssignmentExpression(assignment)) => {
                let target = self.source(assignment.left.span()).to_string();
                let exported = is_commonjs_export(&target);
                (own_name.unwrap_or(target), default_kind, exported)
            }
            Some(AstKind::ExportDefaultDeclaration(_)) => (
                own_name.unwrap_or_else(|| "default".to_string()),
                default_kind,
                true,
            ),
            Some(AstKind::ExportDeclaration(_)) => {
                (own_name.unwrap_or_default(), default_kind, true)
            }
            _ => (
                own_name.unwrap_or_else(|| "<anonymous>".to_string()),
                default_kind,
                false,
            ),
        }
    }

    fn key_name(&self, key: &PropertyKey<'a>) -> String {
        key.static_name().map_or_else(
            || format!("[{}]", self.source(key.span())),
            |n| n.to_string(),
        )
    }

    /// The class around a member whose function is being entered (`depth` = ancestors between them) and whether the
    /// class is exported.
    fn enclosing_class(&self, depth: usize) -> (String, bool) {
        let Some(AstKind::Class(class)) = self.ancestor(depth) else {
            return ("<class>".to_string(), false);
        };
        if let Some(id) = &class.id {
            let exported = matches!(
                self.ancestor(depth + 1),
                Some(AstKind::ExportDeclaration(_) | AstKind::ExportDefaultDeclaration(_))
            );
            return (id.name.to_string(), exported);
        }
        match self.ancestor(depth + 1) {
            Some(AstKind::VariableDeclarator(d)) => (
                self.source(d.id.span()).to_string(),
                self.declaration_is_exported(depth + 2),
            ),
            Some(AstKind::ExportDefaultDeclaration(_)) => ("default".to_string(), true),
            _ => ("<class>".to_string(), false),
        }
    }

    /// The name an object literal is bound to (`const api = { ... }`, `module.exports = { ... }`, nested properties).
    fn object_owner(&self, depth: usize) -> (Option<String>, bool) {
        match self.ancestor(depth + 1) {
            Some(AstKind::VariableDeclarator(d)) => (
                Some(self.source(d.id.span()).to_string()),
                self.declaration_is_exported(depth + 2),
            ),
            Some(AstKind::AssignmentExpression(a)) => {
                let target = self.source(a.left.span()).to_string();
                let exported = is_commonjs_export(&target);
                (Some(target), exported)
            }
            Some(AstKind::ObjectProperty(p)) => {
                let key = self.key_name(&p.key);
                let (outer, exported) = self.object_owner(depth + 2);
                (
                    Some(outer.map_or(key.clone(), |o| format!("{o}.{key}"))),
                    exported,
                )
            }
            Some(AstKind::ExportDefaultDeclaration(_)) => (Some("default".to_string()), true),
            _ => (None, false),
        }
    }

    /// Whether the VariableDeclaration at ancestor `depth` sits in an `export` declaration.
    fn declaration_is_exported(&self, depth: usize) -> bool {
        matches!(
            self.ancestor(depth + 1),
            Some(AstKind::ExportDeclaration(_))
        )
    }

    fn describe_params(&self, params: &FormalParameters<'a>) -> Vec<Param> {
        let mut out: Vec<Param> = params
            .items
            .iter()
            .map(|p| Param {
                name: self.source(p.pattern.span()).to_string(),
                r#type: p
                    .type_annotation
                    .as_ref()
                    .map(|t| self.source(t.type_annotation.span()).to_string()),
                optional: p.optional || p.initializer.is_some(),
                default_value: p
                    .initializer
                    .as_ref()
                    .map(|e| self.source(e.span()).to_string()),
                rest: false,
                shape: None,
                inferred: None,
                default_case: None,
                domain: None,
            })
            .collect();
        if let Some(rest) = &params.rest {
            out.push(Param {
                name: self.source(rest.rest.argument.span()).to_string(),
                r#type: rest
                    .type_annotation
                    .as_ref()
                    .map(|t| self.source(t.type_annotation.span()).to_string()),
                optional: true,
                default_value: None,
                rest: true,
                shape: None,
                inferred: None,
                default_case: None,
                domain: None,
            });
        }
        out
    }

    fn note_exports(&mut self, kind: AstKind<'a>) {
        match kind {
            AstKind::ExportNamedDeclaration(export) => {
                for specifier in &export.specifiers {
                    self.exported_names
                        .insert(specifier.local.name().to_string());
                }
            }
            AstKind::ExportDefaultDeclaration(export) => {
                if let ExportDefaultDeclarationKind::Identifier(id) = &export.declaration {
                    self.exported_names.insert(id.name.to_string());
                }
            }
            AstKind::AssignmentExpression(assignment) => {
                if !is_commonjs_export(self.source(assignment.left.span())) {
                    return;
                }
                match &assignment.right {
                    Expression::Identifier(id) => {
                        self.exported_names.insert(id.name.to_string());
                    }
                    Expression::ObjectExpression(object) => {
                        for property in &object.properties {
                            if let ObjectPropertyKind::ObjectProperty(p) = property {
                                if let Expression::Identifier(id) = &p.value {
                                    self.exported_names.insert(id.name.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// An ESTree `FunctionExpression` (methods included) or `ArrowFunctionExpression` with a body.
fn is_eslint_function_expression(kind: AstKind) -> bool {
    match kind {
        AstKind::Function(f) => f.r#type == FunctionType::FunctionExpression,
        AstKind::ArrowFunctionExpression(_) => true,
        _ => false,
    }
}

fn is_commonjs_export(target: &str) -> bool {
    target == "module.exports"
        || target.starts_with("module.exports.")
        || target.starts_with("exports.")
}

impl<'a> Visit<'a> for Collector<'a, '_> {
    fn enter_node(&mut self, kind: AstKind<'a>) {
        match kind {
            AstKind::Function(_) | AstKind::ArrowFunctionExpression(_) => self.enter_function(kind),
            AstKind::StaticBlock(block) => self.frames.push(Frame {
                report: None,
                metrics: FrameMetrics::code_path_only(),
                span: block.span,
                referenced: Vec::new(),
            }),
            AstKind::ExportNamedDeclaration(_)
            | AstKind::ExportDefaultDeclaration(_)
            | AstKind::AssignmentExpression(_) => self.note_exports(kind),
            AstKind::Class(class) => {
                self.class_facts
                    .push(crate::testgen::exports::class_facts(class, self.text));
                crate::lint::classes::collect(self, class);
            }
            _ => {}
        }
        crate::lint::duplicates::on_enter(self, kind);
        metrics::on_enter(self, kind);
        if self.rule_signals.wants(&kind) {
            // Taken out for the call so that the rules can read the rest of the pass's state.
            let mut signals = std::mem::take(&mut self.rule_signals);
            signals.enter(self, kind);
            self.rule_signals = signals;
        }
        patterns::on_enter(self, kind);
        if self.generation {
            crate::testgen::usage::on_enter(self, kind);
            crate::testgen::constants::on_enter(self, kind);
        }
        self.ancestors.push(kind);
    }

    fn leave_node(&mut self, kind: AstKind<'a>) {
        self.ancestors.pop();
        metrics::on_leave(self, kind);
        patterns::on_leave(self, kind);
        match kind {
            AstKind::Function(_) | AstKind::ArrowFunctionExpression(_) => self.leave_function(kind),
            AstKind::StaticBlock(block)
                if self
                    .frames
                    .last()
                    .is_some_and(|f| f.span == block.span && f.report.is_none()) =>
            {
                self.frames.pop();
            }
            _ => {}
        }
    }
}
