//! Per-function metrics, computed inside the single visitor pass (see facts.rs). Each follows its reference rule:
//!
//! - `cyclomatic`: ESLint `complexity` (classic): 1 + if, ?:, &&/||/??, loops, catch, `case x:`, default values,
//!   logical assignments, optional chaining links. Nested functions count on their own.
//! - `maxDepth`: ESLint `max-depth`: if (not else-if, not an `if` directly under an `if`), switch, try, loops, with.
//! - `statements`: ESLint `max-statements`: statements in every block of the function, nested functions excluded.
//! - `params`, `lines`, `maxNestedCallbacks` are set when the function is entered (facts.rs).

use oxc_ast::AstKind;

use crate::facts::Collector;
use crate::model::Metrics;

#[derive(Debug, Default, Clone)]
pub struct FrameMetrics {
    decisions: u32,
    depth: u32,
    max_depth: u32,
    statements: u32,
}

impl FrameMetrics {
    /// Completes the metrics set at entry (params, lines, callbacks) with what the pass accumulated.
    pub fn finish(&self, entry: Metrics) -> Metrics {
        Metrics {
            cyclomatic: 1 + self.decisions,
            max_depth: self.max_depth,
            statements: self.statements,
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
        AstKind::AssignmentExpression(assignment) => assignment.operator.is_logical(),
        AstKind::StaticMemberExpression(member) => member.optional,
        AstKind::ComputedMemberExpression(member) => member.optional,
        AstKind::PrivateFieldExpression(member) => member.optional,
        AstKind::CallExpression(call) => call.optional,
        _ => false,
    }
}

/// Statements that open a nesting level for ESLint `max-depth`. An `if` whose parent is an `if` does not (else-if).
fn opens_depth(collector: &Collector, kind: &AstKind) -> bool {
    match kind {
        AstKind::IfStatement(_) => {
            !matches!(collector.ancestors.last(), Some(AstKind::IfStatement(_)))
        }
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

pub fn on_enter(collector: &mut Collector, kind: AstKind) {
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
    m.decisions += u32::from(decision);
    m.statements += statements;
    if opens {
        m.depth += 1;
        m.max_depth = m.max_depth.max(m.depth);
    }
}

pub fn on_leave(collector: &mut Collector, kind: AstKind) {
    // `ancestors` no longer holds `kind` itself, so its last entry is the parent, as on entry.
    if opens_depth(collector, &kind) {
        if let Some(frame) = collector.current_frame() {
            frame.metrics.depth = frame.metrics.depth.saturating_sub(1);
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
}
