//! Usage facts for test generation, collected in the same single visitor pass as the metrics (see facts.rs).
//!
//! Two kinds of facts, both about one function:
//!
//! - **How each parameter is used**, so the generator can build an argument of the right shape when the parameter has
//!   no type annotation: `.length` + indexing => array-like, arithmetic => number, string methods => string,
//!   array methods => array, property reads => an object with those keys, calls => a function.
//! - **Guards**: `if (<condition on the params>) throw ...` / `return <value>` statements directly in the function body.
//!   The condition is decomposed into simple tests on one parameter (`!s`, `n < 0`, `typeof x !== 'string'`,
//!   `s.length === 0`, `!Array.isArray(a)`, ...), so the generator can pick an input that takes the guard and assert
//!   the outcome statically: the thrown error and message, or the literal returned.
//!
//! Nothing here decides what to test; the TypeScript generator turns these facts into a test plan.

use oxc_ast::ast::*;
use oxc_ast::AstKind;
use oxc_span::GetSpan;
use oxc_syntax::operator::{BinaryOperator, LogicalOperator, UnaryOperator, UpdateOperator};

use crate::lint::facts::Collector;

pub use crate::model::{Guard, GuardCondition, ParamUsage, Usage};

const STRING_METHODS: &[&str] = &[
    "toLowerCase",
    "toUpperCase",
    "trim",
    "trimStart",
    "trimEnd",
    "split",
    "replace",
    "replaceAll",
    "startsWith",
    "endsWith",
    "charAt",
    "charCodeAt",
    "codePointAt",
    "padStart",
    "padEnd",
    "substring",
    "substr",
    "normalize",
    "match",
    "matchAll",
    "search",
    "localeCompare",
    "repeat",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
];

const ARRAY_METHODS: &[&str] = &[
    "map",
    "filter",
    "forEach",
    "reduce",
    "reduceRight",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "push",
    "pop",
    "shift",
    "unshift",
    "splice",
    "join",
    "sort",
    "reverse",
    "flat",
    "flatMap",
    "fill",
];

/// Called from `Collector::enter_node` before the node is pushed on the ancestor stack.
pub fn on_enter<'a>(collector: &mut Collector<'a, '_>, kind: AstKind<'a>) {
    match kind {
        AstKind::IdentifierReference(id) => note_param_use(collector, id),
        AstKind::ThisExpression(_) => note_this(collector),
        AstKind::IfStatement(statement) => note_guard(collector, statement),
        AstKind::Function(_) | AstKind::ArrowFunctionExpression(_) => {
            note_default_export(collector)
        }
        _ => {}
    }
}

/// Runs right after facts.rs opened the function's frame (its `enter_function` comes first in `enter_node`).
fn note_default_export(collector: &mut Collector<'_, '_>) {
    let is_default = |kind: Option<AstKind<'_>>| match kind {
        Some(AstKind::ExportDefaultDeclaration(_)) => true,
        Some(AstKind::AssignmentExpression(a)) => {
            collector.source(a.left.span()) == "module.exports"
        }
        _ => false,
    };
    let (default_export, class_member) = match collector.parent() {
        Some(AstKind::MethodDefinition(method)) => (
            is_default(collector.ancestor(3)),
            Some(
                if method.r#static {
                    "static"
                } else {
                    "instance"
                }
                .to_string(),
            ),
        ),
        Some(AstKind::PropertyDefinition(field)) => (
            is_default(collector.ancestor(3)),
            Some(if field.r#static { "static" } else { "instance" }.to_string()),
        ),
        parent => (is_default(parent), None),
    };
    if let Some(report) = collector.frames.last_mut().and_then(|f| f.report.as_mut()) {
        report.usage.default_export = default_export;
        report.usage.class_member = class_member;
    }
}

fn note_this(collector: &mut Collector<'_, '_>) {
    // `this` inside arrows belongs to the enclosing function.
    for i in (0..collector.frames.len()).rev() {
        let is_arrow = collector.frames[i]
            .report
            .as_ref()
            .is_some_and(|r| r.kind == crate::model::FunctionKind::Arrow);
        if let Some(report) = collector.frames[i].report.as_mut() {
            if !is_arrow {
                report.usage.uses_this = true;
                return;
            }
        } else {
            return;
        }
    }
}

fn add_hint(usage: &mut ParamUsage, hint: &str) {
    if !usage.hints.iter().any(|h| h == hint) {
        usage.hints.push(hint.to_string());
        usage.hints.sort();
    }
}

fn note_param_use<'a>(collector: &mut Collector<'a, '_>, id: &IdentifierReference<'a>) {
    let name = id.name.as_str();
    let Some(frame_index) = collector.frames.iter().rposition(|f| {
        f.report
            .as_ref()
            .is_some_and(|r| r.params.iter().any(|p| p.name == name))
    }) else {
        return;
    };
    let mut hints: Vec<&str> = Vec::new();
    let mut key: Option<String> = None;
    let parent = collector.parent();
    match parent {
        Some(AstKind::StaticMemberExpression(member)) if member.object.span() == id.span => {
            let property = member.property.name.as_str();
            let called = matches!(collector.ancestor(1), Some(AstKind::CallExpression(call)) if call.callee.span() == member.span);
            if property == "length" {
                hints.push("length");
            } else if called && STRING_METHODS.contains(&property) {
                hints.push("string-method");
            } else if called && ARRAY_METHODS.contains(&property) {
                hints.push("array-method");
            } else if !called {
                hints.push("property");
                key = Some(property.to_string());
            }
        }
        Some(AstKind::ComputedMemberExpression(member)) if member.object.span() == id.span => {
            if matches!(
                member.expression.get_inner_expression(),
                Expression::StringLiteral(_)
            ) {
                hints.push("property");
            } else {
                hints.push("index");
            }
        }
        Some(AstKind::BinaryExpression(binary)) => {
            let other = if binary.left.span() == id.span {
                &binary.right
            } else {
                &binary.left
            };
            match binary.operator {
                BinaryOperator::Subtraction
                | BinaryOperator::Multiplication
                | BinaryOperator::Division
                | BinaryOperator::Remainder
                | BinaryOperator::Exponential => hints.push("arithmetic"),
                BinaryOperator::LessThan
                | BinaryOperator::LessEqualThan
                | BinaryOperator::GreaterThan
                | BinaryOperator::GreaterEqualThan
                    if other.get_inner_expression().is_number_literal() =>
                {
                    hints.push("numeric-compare")
                }
                BinaryOperator::LessThan
                | BinaryOperator::LessEqualThan
                | BinaryOperator::GreaterThan
                | BinaryOperator::GreaterEqualThan => hints.push("compare"),
                BinaryOperator::Instanceof if binary.left.span() == id.span => {
                    hints.push("type-tested")
                }
                _ => {}
            }
        }
        Some(AstKind::UnaryExpression(unary))
            if matches!(
                unary.operator,
                UnaryOperator::UnaryNegation | UnaryOperator::BitwiseNot
            ) =>
        {
            hints.push("arithmetic")
        }
        Some(AstKind::UpdateExpression(update))
            if matches!(
                update.operator,
                UpdateOperator::Increment | UpdateOperator::Decrement
            ) =>
        {
            hints.push("arithmetic")
        }
        Some(AstKind::CallExpression(call)) if call.callee.span() == id.span => {
            hints.push("called")
        }
        Some(AstKind::CallExpression(call))
            if collector.source(call.callee.span()) == "Array.isArray" =>
        {
            hints.push("type-tested")
        }
        Some(AstKind::UnaryExpression(unary)) if unary.operator == UnaryOperator::Typeof => {
            hints.push("type-tested")
        }
        Some(AstKind::ForOfStatement(statement)) if statement.right.span() == id.span => {
            hints.push("iterated")
        }
        Some(AstKind::SpreadElement(_)) => hints.push("spread"),
        _ => {}
    }
    if hints.is_empty() && key.is_none() {
        // Still record that the parameter is used.
        hints.push("used");
    }
    let Some(report) = collector.frames[frame_index].report.as_mut() else {
        return;
    };
    let usage = match report.usage.params.iter().position(|p| p.name == name) {
        Some(i) => &mut report.usage.params[i],
        None => {
            report.usage.params.push(ParamUsage {
                name: name.to_string(),
                ..Default::default()
            });
            report.usage.params.last_mut().unwrap()
        }
    };
    for hint in hints {
        add_hint(usage, hint);
    }
    if let Some(key) = key {
        if !usage.keys.contains(&key) {
            usage.keys.push(key);
        }
    }
}

/// The single statement a guard's consequent runs: `throw x`, `return x`, or a block holding only that.
fn guard_action<'b, 'a>(statement: &'b Statement<'a>) -> Option<&'b Statement<'a>> {
    match statement {
        Statement::ThrowStatement(_) | Statement::ReturnStatement(_) => Some(statement),
        Statement::BlockStatement(block) if block.body.len() == 1 => guard_action(&block.body[0]),
        _ => None,
    }
}

fn is_guard(statement: &Statement<'_>) -> bool {
    matches!(statement, Statement::IfStatement(s) if s.alternate.is_none() && guard_action(&s.consequent).is_some())
}

fn note_guard<'a>(collector: &mut Collector<'a, '_>, statement: &IfStatement<'a>) {
    if statement.alternate.is_some() {
        return;
    }
    let Some(action) = guard_action(&statement.consequent) else {
        return;
    };
    let Some(AstKind::FunctionBody(body)) = collector.parent() else {
        return;
    };
    let Some(frame) = collector.frames.last() else {
        return;
    };
    let Some(report) = frame.report.as_ref() else {
        return;
    };
    let params: Vec<String> = report.params.iter().map(|p| p.name.clone()).collect();
    let Some(position) = body
        .statements
        .iter()
        .position(|s| s.span() == statement.span)
    else {
        return;
    };
    let leading = body.statements[..position].iter().all(is_guard);

    let mut conditions = Vec::new();
    let (any, complete) = match statement.test.get_inner_expression() {
        Expression::LogicalExpression(logical) if logical.operator == LogicalOperator::Or => {
            let mut parts = Vec::new();
            flatten_or(&logical.left, &mut parts);
            flatten_or(&logical.right, &mut parts);
            let mut complete = true;
            for part in parts {
                match simple_condition(collector, part, &params) {
                    Some(c) => conditions.push(c),
                    None => complete = false,
                }
            }
            (true, complete)
        }
        test => match simple_condition(collector, test, &params) {
            Some(c) => {
                conditions.push(c);
                (false, true)
            }
            None => (false, false),
        },
    };
    if conditions.is_empty() {
        return;
    }

    let mut guard = Guard {
        line: collector.lines.line(statement.span.start),
        condition: collector.source(statement.test.span()).to_string(),
        conditions,
        any,
        complete,
        leading,
        ..Default::default()
    };
    match action {
        Statement::ThrowStatement(throw) => {
            guard.action = "throw".to_string();
            let (error, message) = match throw.argument.get_inner_expression() {
                Expression::NewExpression(new) => (
                    new.callee
                        .get_identifier_reference()
                        .map(|id| id.name.to_string()),
                    new.arguments
                        .first()
                        .and_then(|a| a.as_expression())
                        .and_then(static_string),
                ),
                Expression::CallExpression(call) => (
                    call.callee
                        .get_identifier_reference()
                        .map(|id| id.name.to_string())
                        .filter(|n| n.ends_with("Error")),
                    call.arguments
                        .first()
                        .and_then(|a| a.as_expression())
                        .and_then(static_string),
                ),
                _ => (None, None),
            };
            guard.error = error;
            guard.message = message;
        }
        Statement::ReturnStatement(ret) => {
            guard.action = "return".to_string();
            match &ret.argument {
                None => {
                    guard.returns = Some("undefined".to_string());
                    guard.returns_literal = true;
                }
                Some(argument) => {
                    let inner = argument.get_inner_expression();
                    guard.returns = Some(collector.source(argument.span()).to_string());
                    guard.returns_literal = is_static_literal(inner);
                    if let Expression::Identifier(id) = inner {
                        if params.iter().any(|p| p == id.name.as_str()) {
                            guard.returns_param = Some(id.name.to_string());
                        }
                    }
                }
            }
        }
        _ => return,
    }
    if let Some(report) = collector.frames.last_mut().and_then(|f| f.report.as_mut()) {
        report.usage.guards.push(guard);
    }
}

fn flatten_or<'b, 'a>(expression: &'b Expression<'a>, out: &mut Vec<&'b Expression<'a>>) {
    match expression.get_inner_expression() {
        Expression::LogicalExpression(logical) if logical.operator == LogicalOperator::Or => {
            flatten_or(&logical.left, out);
            flatten_or(&logical.right, out);
        }
        other => out.push(other),
    }
}

fn static_string(expression: &Expression<'_>) -> Option<String> {
    match expression.get_inner_expression() {
        Expression::StringLiteral(s) => Some(s.value.to_string()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => t
            .quasis
            .first()
            .and_then(|q| q.value.cooked.as_ref())
            .map(|c| c.to_string()),
        _ => None,
    }
}

fn is_static_literal(expression: &Expression<'_>) -> bool {
    match expression {
        Expression::StringLiteral(_)
        | Expression::NumericLiteral(_)
        | Expression::BooleanLiteral(_)
        | Expression::NullLiteral(_)
        | Expression::BigIntLiteral(_) => true,
        Expression::Identifier(id) => id.name == "undefined" || id.name == "NaN",
        Expression::TemplateLiteral(t) => t.expressions.is_empty(),
        Expression::UnaryExpression(u) => {
            u.operator == UnaryOperator::UnaryNegation && u.argument.is_number_literal()
        }
        Expression::ArrayExpression(a) => a.elements.is_empty(),
        Expression::ObjectExpression(o) => o.properties.is_empty(),
        _ => false,
    }
}

/// `x` or `x.length` where x is a parameter => (param, path).
fn subject_of(expression: &Expression<'_>, params: &[String]) -> Option<(String, Option<String>)> {
    match expression.get_inner_expression() {
        Expression::Identifier(id) if params.iter().any(|p| p == id.name.as_str()) => {
            Some((id.name.to_string(), None))
        }
        Expression::StaticMemberExpression(member) if member.property.name == "length" => {
            match member.object.get_inner_expression() {
                Expression::Identifier(id) if params.iter().any(|p| p == id.name.as_str()) => {
                    Some((id.name.to_string(), Some("length".to_string())))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_comparable_literal(expression: &Expression<'_>) -> bool {
    match expression.get_inner_expression() {
        Expression::UnaryExpression(u) => {
            u.operator == UnaryOperator::UnaryNegation && u.argument.is_number_literal()
        }
        e => {
            e.is_literal() && !matches!(e, Expression::RegExpLiteral(_))
                || e.is_no_substitution_template()
                || e.is_undefined()
        }
    }
}

fn condition(subject: (String, Option<String>), op: &str, value: Option<String>) -> GuardCondition {
    GuardCondition {
        subject: subject.0,
        path: subject.1,
        op: op.to_string(),
        value,
        value_case: None,
    }
}

fn simple_condition(
    collector: &Collector<'_, '_>,
    test: &Expression<'_>,
    params: &[String],
) -> Option<GuardCondition> {
    let test = test.get_inner_expression();
    if let Some(subject) = subject_of(test, params) {
        return Some(condition(subject, "truthy", None));
    }
    match test {
        Expression::UnaryExpression(unary) if unary.operator == UnaryOperator::LogicalNot => {
            let inner = unary.argument.get_inner_expression();
            if let Some(subject) = subject_of(inner, params) {
                return Some(condition(subject, "falsy", None));
            }
            let Expression::CallExpression(call) = inner else {
                return None;
            };
            let callee = collector.source(call.callee.span());
            let op = match callee {
                "Array.isArray" => "not-array",
                "Number.isFinite" | "isFinite" => "not-finite",
                "Number.isInteger" | "Number.isSafeInteger" => "not-integer",
                _ => return None,
            };
            let argument = call.arguments.first()?.as_expression()?;
            let subject = subject_of(argument, params)?;
            Some(condition(subject, op, None))
        }
        Expression::CallExpression(call) => {
            let callee = collector.source(call.callee.span());
            let op = match callee {
                "Array.isArray" => "is-array",
                "Number.isNaN" | "isNaN" => "nan",
                _ => return None,
            };
            let argument = call.arguments.first()?.as_expression()?;
            let subject = subject_of(argument, params)?;
            Some(condition(subject, op, None))
        }
        Expression::BinaryExpression(binary) => {
            // typeof x === 'string'
            let typeof_subject = |e: &Expression<'_>| match e.get_inner_expression() {
                Expression::UnaryExpression(u) if u.operator == UnaryOperator::Typeof => {
                    subject_of(&u.argument, params).filter(|s| s.1.is_none())
                }
                _ => None,
            };
            let equality = matches!(
                binary.operator,
                BinaryOperator::Equality
                    | BinaryOperator::StrictEquality
                    | BinaryOperator::Inequality
                    | BinaryOperator::StrictInequality
            );
            let negated = matches!(
                binary.operator,
                BinaryOperator::Inequality | BinaryOperator::StrictInequality
            );
            if equality {
                for (a, b) in [(&binary.left, &binary.right), (&binary.right, &binary.left)] {
                    if let (Some(subject), Expression::StringLiteral(s)) =
                        (typeof_subject(a), b.get_inner_expression())
                    {
                        let op = if negated { "typeof-ne" } else { "typeof-eq" };
                        return Some(condition(subject, op, Some(s.value.to_string())));
                    }
                }
            }
            let (subject, value, flipped) = if let Some(s) = subject_of(&binary.left, params) {
                (s, &binary.right, false)
            } else if let Some(s) = subject_of(&binary.right, params) {
                (s, &binary.left, true)
            } else {
                return None;
            };
            if !is_comparable_literal(value) {
                return None;
            }
            let value_text = collector.source(value.span()).to_string();
            let loose = matches!(
                binary.operator,
                BinaryOperator::Equality | BinaryOperator::Inequality
            );
            let inner = value.get_inner_expression();
            if equality && (inner.is_null() || inner.is_undefined()) {
                let op = match (loose, negated, inner.is_null()) {
                    (true, false, _) => "nullish",
                    (true, true, _) => "not-nullish",
                    (false, false, true) => "null",
                    (false, false, false) => "undefined",
                    (false, true, _) => return None,
                };
                return Some(condition(subject, op, None));
            }
            let op = match (binary.operator, flipped) {
                (BinaryOperator::Equality | BinaryOperator::StrictEquality, _) => "eq",
                (BinaryOperator::Inequality | BinaryOperator::StrictInequality, _) => "ne",
                (BinaryOperator::LessThan, false) | (BinaryOperator::GreaterThan, true) => "lt",
                (BinaryOperator::LessEqualThan, false)
                | (BinaryOperator::GreaterEqualThan, true) => "le",
                (BinaryOperator::GreaterThan, false) | (BinaryOperator::LessThan, true) => "gt",
                (BinaryOperator::GreaterEqualThan, false)
                | (BinaryOperator::LessEqualThan, true) => "ge",
                _ => return None,
            };
            Some(condition(subject, op, Some(value_text)))
        }
        _ => None,
    }
}
