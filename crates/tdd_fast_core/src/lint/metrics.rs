//! Per-function metrics, computed inside the single visitor pass (see facts.rs). Each follows its reference rule:
//!
//! - `cyclomatic`: ESLint `complexity` (classic): 1 + if, ?:, &&/||/??, loops, catch, `case x:`, default values,
//!   logical assignments, optional chaining links. Nested functions count on their own.
//!   Each class field initializer is a code path of its own (ESLint 9 and 10): its decisions are not the enclosing
//!   function's.
//! - `maxDepth`: ESLint 10 `max-depth`: if (not an else-if), switch, try, loops, with. Leaving an else-if gives back
//!   nothing (ESLint 9 popped a level there, so an `else if` chain lowered the depth of what followed).
//! - `statements`: ESLint `max-statements`: statements in every block of the function, nested functions excluded.
//! - `cognitive`: eslint-plugin-sonarjs `cognitive-complexity` (S3776, plugin v4): each function's OWN complexity.
//!   +1 plus the control-flow nesting inside that function for if (not else-if), ?:, switch, loops and catch; +1 for
//!   else / else-if, labelled break/continue, and each run of `&&` in a flattened logical sequence (`||` and `??`
//!   add nothing in v4; `&&`-only chains rendered inside JSX add nothing). Nesting grows inside if/else branches,
//!   loop bodies, switch cases, catch bodies and ternary branches, restarting at 0 in every function. Quirk kept on
//!   purpose: a function that is itself a ternary branch leaves the enclosing function one nesting level deeper.
//! - `params`, `lines`, `maxNestedCallbacks` are set when the function is entered (facts.rs).

use oxc_ast::ast::{Expression, LogicalOperator};
use oxc_ast::AstKind;
use oxc_span::GetSpan;

use crate::lint::facts::Collector;
use crate::model::Metrics;

#[derive(Debug, Default, Clone)]
pub struct FrameMetrics {
    decisions: u32,
    /// Open class field initializers of this frame (ESLint counts their decisions on their own code path).
    field_initializers: u32,
    depth: u32,
    max_depth: u32,
    statements: u32,
    cognitive: u32,
    /// Control-flow nesting inside this function, as sonarjs counts it for `cognitive`.
    cognitive_nesting: i32,
    /// A code path that is no function for sonarjs (class static block): cognitive points go to the enclosing function.
    pub not_a_function: bool,
}

impl FrameMetrics {
    /// Metrics of a code path that is no function for sonarjs (a class static block).
    pub fn code_path_only() -> Self {
        Self {
            not_a_function: true,
            ..Self::default()
        }
    }

    /// Completes the metrics set at entry (params, lines, callbacks) with what the pass accumulated.
    pub fn finish(&self, entry: Metrics) -> Metrics {
        Metrics {
            cyclomatic: 1 + self.decisions,
            max_depth: self.max_depth,
            statements: self.statements,
            cognitive: self.cognitive,
            ..entry
        }
    }
}

fn is_decision(kind: &AstKind) -> bool {
    match kind {
        AstKind::IfStatement(_)
        | AstKind::ConditionalExpression(_)
        | AstKind::LogicalExpression(_)
        | AstKind::ForStatement(_)
        | AstKind::ForInStatement(_)
        | AstKind::ForOfStatement(_)
        | AstKind::WhileStatement(_)
        | AstKind::DoWhileStatement(_)
        | AstKind::CatchClause(_)
        | AstKind::AssignmentPattern(_)
        | AstKind::AssignmentTargetWithDefault(_) => true,
        AstKind::SwitchCase(case) => case.test.is_some(),
        AstKind::FormalParameter(param) => param.initializer.is_some(),
        // `({ a = 1 } = obj)`: ESTree has an AssignmentPattern there.
        AstKind::AssignmentTargetPropertyIdentifier(p) => p.init.is_some(),
        AstKind::AssignmentExpression(assignment) => assignment.operator.is_logical(),
        AstKind::StaticMemberExpression(member) => member.optional,
        AstKind::ComputedMemberExpression(member) => member.optional,
        AstKind::PrivateFieldExpression(member) => member.optional,
        AstKind::CallExpression(call) => call.optional,
        _ => false,
    }
}

/// Statements that open a nesting level for ESLint 10 `max-depth`: an `if` does unless it is an else-if (the
/// `alternate` of its parent `if`); `if (a) if (b) {}` nests.
fn opens_depth(collector: &Collector, kind: &AstKind) -> bool {
    match kind {
        AstKind::IfStatement(s) => !matches!(collector.ancestors.last(),
            Some(AstKind::IfStatement(parent)) if parent.alternate.as_ref().is_some_and(|a| a.span() == s.span)),
        AstKind::SwitchStatement(_)
        | AstKind::TryStatement(_)
        | AstKind::DoWhileStatement(_)
        | AstKind::WhileStatement(_)
        | AstKind::WithStatement(_)
        | AstKind::ForStatement(_)
        | AstKind::ForInStatement(_)
        | AstKind::ForOfStatement(_) => true,
        _ => false,
    }
}

/// Whether `kind` is a node sonarjs's cognitive-complexity enters one nesting level for: an if's branches (not an
/// else-if), a loop body, a switch case, a catch body, a ternary branch. Parentheses are transparent as in ESTree.
fn is_cognitive_nesting_node(collector: &Collector, kind: &AstKind) -> bool {
    if matches!(kind, AstKind::ParenthesizedExpression(_)) {
        return false;
    }
    // Called on every node: look at the parent's kind before computing anything.
    let parent = collector.parent();
    if !matches!(
        parent,
        Some(
            AstKind::IfStatement(_)
                | AstKind::ForStatement(_)
                | AstKind::ForInStatement(_)
                | AstKind::ForOfStatement(_)
                | AstKind::WhileStatement(_)
                | AstKind::DoWhileStatement(_)
                | AstKind::SwitchStatement(_)
                | AstKind::CatchClause(_)
                | AstKind::ConditionalExpression(_)
        )
    ) {
        return false;
    }
    let span = kind.span();
    match parent {
        Some(AstKind::IfStatement(s)) => {
            s.consequent.span() == span
                || s.alternate.as_ref().is_some_and(|a| {
                    !matches!(a, oxc_ast::ast::Statement::IfStatement(_)) && a.span() == span
                })
        }
        Some(AstKind::ForStatement(s)) => s.body.span() == span,
        Some(AstKind::ForInStatement(s)) => s.body.span() == span,
        Some(AstKind::ForOfStatement(s)) => s.body.span() == span,
        Some(AstKind::WhileStatement(s)) => s.body.span() == span,
        Some(AstKind::DoWhileStatement(s)) => s.body.span() == span,
        Some(AstKind::SwitchStatement(_)) => matches!(kind, AstKind::SwitchCase(_)),
        Some(AstKind::CatchClause(c)) => {
            matches!(kind, AstKind::BlockStatement(_)) && c.body.span == span
        }
        Some(AstKind::ConditionalExpression(c)) => {
            c.consequent.without_parentheses().span() == span
                || c.alternate.without_parentheses().span() == span
        }
        _ => false,
    }
}

/// Index of the innermost frame that is a function for sonarjs, optionally skipping the innermost `skip` of them.
fn cognitive_frame(collector: &Collector, skip: usize) -> Option<usize> {
    collector
        .frames
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, f)| !f.metrics.not_a_function)
        .nth(skip)
        .map(|(i, _)| i)
}

/// The `&&` runs of a flattened logical sequence (sonarjs v4: `||` and `??` add nothing). Parentheses are transparent.
fn count_and_runs(expr: &Expression, prev: &mut Option<LogicalOperator>, count: &mut u32) {
    if let Expression::LogicalExpression(logical) = expr.without_parentheses() {
        count_and_runs(&logical.left, prev, count);
        if logical.operator == LogicalOperator::And && *prev != Some(LogicalOperator::And) {
            *count += 1;
        }
        *prev = Some(logical.operator);
        count_and_runs(&logical.right, prev, count);
    }
}

/// Whether a JSX `{a && b && <X/>}` chain of one operator, which sonarjs does not count.
fn is_jsx_short_circuit(expr: &Expression, root: LogicalOperator) -> bool {
    match expr.without_parentheses() {
        Expression::ConditionalExpression(_) => false,
        Expression::LogicalExpression(l) => {
            l.operator == root
                && is_jsx_short_circuit(&l.left, root)
                && is_jsx_short_circuit(&l.right, root)
        }
        _ => true,
    }
}

/// Cognitive points of one node: (structural?, plain points). Structural points add the nesting level.
fn cognitive_points(collector: &Collector, kind: &AstKind) -> (bool, u32) {
    match kind {
        AstKind::IfStatement(s) => {
            let else_if = matches!(collector.ancestors.last(), Some(AstKind::IfStatement(p))
                if p.alternate.as_ref().is_some_and(|a| a.span() == s.span));
            let else_branch = s
                .alternate
                .as_ref()
                .is_some_and(|a| !matches!(a, oxc_ast::ast::Statement::IfStatement(_)));
            if else_if {
                (false, 1 + u32::from(else_branch))
            } else {
                (true, u32::from(else_branch))
            }
        }
        AstKind::ForStatement(_)
        | AstKind::ForInStatement(_)
        | AstKind::ForOfStatement(_)
        | AstKind::WhileStatement(_)
        | AstKind::DoWhileStatement(_)
        | AstKind::SwitchStatement(_)
        | AstKind::CatchClause(_)
        | AstKind::ConditionalExpression(_) => (true, 0),
        AstKind::BreakStatement(b) => (false, u32::from(b.label.is_some())),
        AstKind::ContinueStatement(c) => (false, u32::from(c.label.is_some())),
        AstKind::LogicalExpression(logical) => {
            if matches!(collector.parent(), Some(AstKind::LogicalExpression(_))) {
                return (false, 0); // already counted with the outermost expression of the sequence
            }
            if matches!(collector.parent(), Some(AstKind::JSXExpressionContainer(_)))
                && is_jsx_short_circuit(&logical.left, logical.operator)
                && is_jsx_short_circuit(&logical.right, logical.operator)
            {
                return (false, 0);
            }
            let (mut prev, mut count) = (None, 0);
            count_and_runs(&logical.left, &mut prev, &mut count);
            if logical.operator == LogicalOperator::And && prev != Some(LogicalOperator::And) {
                count += 1;
            }
            prev = Some(logical.operator);
            count_and_runs(&logical.right, &mut prev, &mut count);
            (false, count)
        }
        _ => (false, 0),
    }
}

fn cognitive_on_enter(collector: &mut Collector, kind: &AstKind) {
    if is_cognitive_nesting_node(collector, kind) {
        // A function as a ternary branch is entered before its own frame exists in sonarjs: the enclosing function's
        // nesting grows and is never given back (sonarjs decrements the function's own counter on exit).
        let is_function = matches!(
            kind,
            AstKind::Function(_) | AstKind::ArrowFunctionExpression(_)
        );
        if let Some(i) = cognitive_frame(collector, usize::from(is_function)) {
            collector.frames[i].metrics.cognitive_nesting += 1;
        }
    }
    let (structural, points) = cognitive_points(collector, kind);
    if !structural && points == 0 {
        return;
    }
    if let Some(i) = cognitive_frame(collector, 0) {
        let m = &mut collector.frames[i].metrics;
        if structural {
            m.cognitive += (m.cognitive_nesting + 1).max(0) as u32;
        }
        m.cognitive += points;
    }
}

fn cognitive_on_leave(collector: &mut Collector, kind: &AstKind) {
    if matches!(
        kind,
        AstKind::Function(_) | AstKind::ArrowFunctionExpression(_)
    ) {
        return;
    }
    if is_cognitive_nesting_node(collector, kind) {
        if let Some(i) = cognitive_frame(collector, 0) {
            collector.frames[i].metrics.cognitive_nesting -= 1;
        }
    }
}

/// Whether `kind` is the value of a class field (`class C { x = a || b }`) that is no function: ESLint evaluates it
/// as a code path of its own ("class-field-initializer"). A function value opens its own frame anyway.
fn is_field_initializer(collector: &Collector, kind: &AstKind) -> bool {
    if matches!(
        kind,
        AstKind::Function(_) | AstKind::ArrowFunctionExpression(_)
    ) {
        return false;
    }
    matches!(collector.ancestors.last(), Some(AstKind::PropertyDefinition(p))
        if p.value.as_ref().is_some_and(|v| v.span() == kind.span()))
}

pub fn on_enter(collector: &mut Collector, kind: AstKind) {
    cognitive_on_enter(collector, &kind);
    if is_field_initializer(collector, &kind) {
        if let Some(frame) = collector.current_frame() {
            frame.metrics.field_initializers += 1;
        }
    }
    let decision = is_decision(&kind);
    let opens = opens_depth(collector, &kind);
    let statements = match kind {
        AstKind::BlockStatement(block) => block.body.len() as u32,
        AstKind::StaticBlock(block) => block.body.len() as u32,
        // ESTree counts directives ('use strict') as statements; oxc keeps them apart.
        AstKind::FunctionBody(body) => (body.statements.len() + body.directives.len()) as u32,
        _ => 0,
    };
    let Some(frame) = collector.current_frame() else {
        return;
    };
    let m = &mut frame.metrics;
    m.decisions += u32::from(decision && m.field_initializers == 0);
    m.statements += statements;
    if opens {
        m.depth += 1;
        m.max_depth = m.max_depth.max(m.depth);
    }
}

pub fn on_leave(collector: &mut Collector, kind: AstKind) {
    cognitive_on_leave(collector, &kind);
    // `ancestors` no longer holds `kind` itself, so its last entry is the parent, as on entry.
    if opens_depth(collector, &kind) {
        if let Some(frame) = collector.current_frame() {
            frame.metrics.depth = frame.metrics.depth.saturating_sub(1);
        }
    }
    if is_field_initializer(collector, &kind) {
        if let Some(frame) = collector.current_frame() {
            frame.metrics.field_initializers = frame.metrics.field_initializers.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::analyze_text;
    use crate::model::{FunctionReport, Language};

    fn functions(code: &str) -> Vec<FunctionReport> {
        analyze_text(code, "t.ts", Language::Ts, &Default::default()).functions
    }

    fn metrics_of(code: &str, name: &str) -> crate::model::Metrics {
        functions(code)
            .into_iter()
            .find(|f| f.name == name)
            .expect("function")
            .metrics
    }

    #[test]
    fn cyclomatic_counts_each_decision_and_ignores_nested_functions() {
        let code = "function f(a, b = 1) {\n  if (a && b) { return 1 } else if (a ?? b) { return 2 }\n  for (const x of a) {}\n  const g = () => a ? 1 : 2;\n  switch (a) { case 1: break; default: break }\n  try {} catch { }\n  return a?.b;\n}";
        // 1 + default + if + && + else-if + ?? + for-of + case 1 + catch + ?.
        assert_eq!(metrics_of(code, "f").cyclomatic, 10);
        assert_eq!(metrics_of(code, "g").cyclomatic, 2);
    }

    #[test]
    fn max_depth_ignores_else_if_and_counts_nested_blocks() {
        let code = "function f(a) {\n  if (a) {\n    for (;;) {\n      while (a) { try {} finally {} }\n    }\n  } else if (a) {\n    if (a) {}\n  }\n}";
        assert_eq!(metrics_of(code, "f").max_depth, 4);
    }

    #[test]
    fn class_field_initializers_count_on_their_own() {
        // ESLint 9 and 10: each initializer is its own code path; the enclosing function keeps 1 + `??`.
        let code = "function f(a, b) {\n  class C {\n    x = a || b;\n    y = a ? 1 : (b && 2);\n    static z = a?.b;\n    m() { return a && b; }\n    h = () => a || b;\n  }\n  return a ?? C;\n}";
        assert_eq!(metrics_of(code, "f").cyclomatic, 2);
        assert_eq!(metrics_of(code, "C.m").cyclomatic, 2);
        assert_eq!(metrics_of(code, "C.h").cyclomatic, 2);
        // Decisions around the class still count.
        let around = "function g(a) { const K = a ? class { v = a || 1; } : null; return K; }";
        assert_eq!(metrics_of(around, "g").cyclomatic, 2);
    }

    #[test]
    fn max_depth_an_else_if_chain_does_not_pop_a_level() {
        // ESLint 10: 2 (ESLint 9 popped on leaving the else-if and reported 1).
        let code = "function f(a, b, c, d) {\n  if (a) {} else if (b) {}\n  if (c) {\n    if (d) {}\n  }\n}";
        assert_eq!(metrics_of(code, "f").max_depth, 2);
        let chain = "function f(a) {\n  if (a === 1) {} else if (a === 2) {} else if (a === 3) {} else {}\n  for (;;) { while (a) {} }\n}";
        assert_eq!(metrics_of(chain, "f").max_depth, 2);
        // An `if` that is the consequent of an `if` (no braces) nests; only the alternate is an else-if.
        assert_eq!(
            metrics_of("function f(a, b) { if (a) if (b) {} }", "f").max_depth,
            2
        );
    }

    #[test]
    fn nested_callbacks_a_plain_function_does_not_pop_the_stack() {
        // ESLint 10: `helper` is no callback (0) and leaving it leaves the stack alone, so the callbacks after it
        // are still 2 and 3 deep (ESLint 9 popped on leaving `helper` and reported 1 and 2).
        let code = "run(() => {\n  const helper = function () {};\n  run(() => {\n    run(() => 1);\n  });\n});";
        let depths: Vec<(String, u32)> = functions(code)
            .into_iter()
            .map(|f| (f.name, f.metrics.max_nested_callbacks))
            .collect();
        let expected = [
            ("<anonymous>", 1),
            ("helper", 0),
            ("<anonymous>", 2),
            ("<anonymous>", 3),
        ];
        let expected: Vec<(String, u32)> =
            expected.iter().map(|(n, d)| (n.to_string(), *d)).collect();
        assert_eq!(depths, expected);
        // An IIFE is called, not passed: no callback, and the callback inside it sits 2 deep.
        let iife = "run(() => {\n  (function () {\n    run(() => 1);\n  })();\n});";
        let depths: Vec<u32> = functions(iife)
            .iter()
            .map(|f| f.metrics.max_nested_callbacks)
            .collect();
        assert_eq!(depths, vec![1, 0, 2]);
    }

    #[test]
    fn statements_count_every_block_but_not_nested_functions() {
        let code = "function f(a) {\n  'use strict';\n  let x = 1;\n  if (a) { x++; x++; }\n  const g = () => { let y; let z; };\n  return x;\n}";
        assert_eq!(metrics_of(code, "f").statements, 7); // 5 in the body + 2 in the if block
        assert_eq!(metrics_of(code, "g").statements, 2);
        assert_eq!(metrics_of("const h = (a) => a + 1;", "h").statements, 0);
    }

    #[test]
    fn nested_callbacks_count_functions_passed_to_calls() {
        let code = "run(() => {\n  run(function inner() {\n    run(() => 1);\n  });\n});\nconst plain = () => 1;";
        let all = functions(code);
        let depths: Vec<u32> = all.iter().map(|f| f.metrics.max_nested_callbacks).collect();
        assert_eq!(depths, vec![1, 2, 3, 0]);
    }

    #[test]
    fn lines_and_params_follow_the_function_node() {
        let code = "class A {\n  m(a: number, ...rest: string[]) {\n    return a;\n  }\n}";
        let m = metrics_of(code, "A.m");
        assert_eq!(m.params, 2);
        assert_eq!(m.lines, 3);
    }

    #[test]
    fn cognitive_follows_sonarjs() {
        let c = |code: &str, name: &str| metrics_of(code, name).cognitive;
        // if +1, nested for +2, else +1
        assert_eq!(
            c("function f(a) { if (a) { for (;;) {} } else {} }", "f"),
            4
        );
        // else-if +1 without nesting, its else +1
        assert_eq!(
            c("function f(a) { if (a) {} else if (a) {} else {} }", "f"),
            3
        );
        // && runs count, || and ?? do not (sonarjs v4)
        assert_eq!(
            c(
                "function f(a, b, c) { return a && b && c || a && (b ?? c); }",
                "f"
            ),
            2
        );
        assert_eq!(c("function f(a, b) { return a || b; }", "f"), 0);
        // nested functions count on their own, nesting restarts at 0
        let code = "function f(a) { if (a) { a.map((x) => { if (x) {} }); } }";
        assert_eq!(c(code, "f"), 1);
        assert_eq!(c(code, "<anonymous>"), 1);
        // ternary +1 + nesting, switch, catch, labelled continue
        assert_eq!(
            c(
                "function f(a) { switch (a) { case 1: return a ? 1 : 2; } }",
                "f"
            ),
            3
        );
        assert_eq!(
            c(
                "function f(a) { try {} catch { outer: for (;;) { continue outer; } } }",
                "f"
            ),
            4
        );
        // the sonarjs quirk: an arrow as a ternary branch leaves the enclosing function one level deeper
        assert_eq!(
            c(
                "function f(a) { const g = a ? () => 1 : null; if (a) {} }",
                "f"
            ),
            3
        );
    }

    #[test]
    fn cognitive_ignores_jsx_short_circuits() {
        let code = "function F(a, b) { return <div>{a && b && <span />}</div>; }";
        let report = analyze_text(code, "t.tsx", Language::Tsx, &Default::default());
        assert_eq!(report.functions[0].metrics.cognitive, 0);
    }
}
