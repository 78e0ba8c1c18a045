//! Module shapes: how a file exposes its functions and classes, so a generated test can reach them.
//!
//! For every function the core reports an `exportPath`, the property path from the module's export object (the ESM
//! namespace, or CommonJS `module.exports` itself = `[]`) to the function, and for methods the path of their class.
//! The shapes understood:
//!
//! - ESM: `export function f` / `export const f = ...` / `export class C` (`["f"]`), `export { a as b }` (`["b"]`),
//!   `export default function | class | expression` (`["default"]`), objects of functions (`export const api =
//!   { f() {} }` -> `["api", "f"]`), TypeScript `export namespace N { export function f }` (`["N", "f"]`) and
//!   `export =` (`[]`).
//! - CommonJS: `module.exports = fn | class | { ... }` (`[]`, `["key"]`), `exports.x =` / `module.exports.x =`
//!   (`["x"]`), wherever they sit at the top level (inside `if` blocks too).
//! - UMD: a top-level IIFE `(function (root, factory) { ... })(this, function () { ... return X })`: X, found in the
//!   factory's own scope, is the module (`[]`); and IIFEs that assign `module.exports` inside.
//! - Function-constructor classes: `function Rational(a, b) { this.a = a }` with `Rational.prototype.add = function`
//!   (or `Rational.prototype = { ... }`): a class (`functionConstructor: true`) whose `this.x =` assignments are its
//!   fields and whose prototype functions its instance methods; `Rational.parse = function` is a static one.
//!
//! `moduleFormat` is `esm` (any `import`/`export`), `commonjs` (`module.exports`/`exports.` at the top level),
//! `umd` (the IIFE forms) or `script`. `reexports` lists `export ... from` with the resolved project-relative file,
//! and the CommonJS barrel forms: a relative `require('./x')` where an export's value is (`module.exports = { a:
//! require('./a') }`, `exports.x = require('./x')`, a binding to one, `Heap.MinHeap` of such a binding), spread into
//! the export object (`{ ...require('./a') }`) or merged into it (`Object.assign(module.exports, require('./a'))`).
//! Like the rest of the pass this runs on the AST while it is alive and keeps only owned data.

use std::collections::HashMap;

use oxc_ast::ast::*;
use serde::{Deserialize, Serialize};

use crate::testgen::types::syntax::{self, ClassDecl, FieldDecl};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleFormat {
    Esm,
    Commonjs,
    Umd,
    #[default]
    Script,
}

/// `export { a as b } from './x'` -> `{ name: "b", from: "src/x.ts", imported: "a" }`; `export * from` -> name `*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReExport {
    pub name: String,
    /// Project-relative path of the resolved file (the specifier as written when it cannot be resolved).
    pub from: String,
    pub imported: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassField {
    pub name: String,
    #[serde(default, skip_serializing_if = "crate::model::generation_only")]
    pub shape: Option<crate::testgen::types::TypeShape>,
    pub r#static: bool,
    pub readonly: bool,
    pub optional: bool,
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassMethod {
    pub name: String,
    /// `method`, `getter` or `setter`; `constructor` for a `private` or `protected` constructor (see `class_methods`).
    pub kind: String,
    pub r#static: bool,
    pub r#async: bool,
    /// `private`, `protected` or `#name`: code outside the class (a test) cannot call it.
    pub private: bool,
}

/// A class as the module shows it (declared with `class`, or a function constructor).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassInfo {
    pub name: String,
    /// Span start of the `class` node or of the constructor function.
    pub start: u32,
    pub line: u32,
    pub end_line: u32,
    pub export_path: Option<Vec<String>>,
    pub decl: ClassDecl,
    pub methods: Vec<ClassMethod>,
    pub function_constructor: bool,
}

/// What the module-shape pass found, owned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModuleShape {
    pub format: ModuleFormat,
    /// Function node span start -> (export path, `instance`/`static` for prototype and static methods).
    pub functions: HashMap<u32, (Vec<String>, Option<&'static str>)>,
    /// Class node span start -> export path.
    pub class_paths: HashMap<u32, Vec<String>>,
    pub classes: Vec<ClassInfo>,
    /// (name, specifier as written, imported).
    pub reexports: Vec<(String, String, String)>,
}

/// A value a name is bound to in one scope.
#[derive(Clone, Copy)]
enum Bound<'b, 'a> {
    Function(&'b Function<'a>),
    Class(&'b Class<'a>),
    Expr(&'b Expression<'a>),
    Namespace(&'b TSNamespaceDeclaration<'a>),
}

/// The bindings of one scope (the program, a UMD factory's body) and the `X.y = ...` assignments made in it.
#[derive(Default)]
struct Scope<'b, 'a> {
    bindings: HashMap<&'b str, Bound<'b, 'a>>,
    /// `X.y = value` (not `prototype`).
    statics: HashMap<&'b str, Vec<(String, &'b Expression<'a>)>>,
    /// `X.prototype.m = value` and the properties of `X.prototype = { ... }`.
    prototype: HashMap<&'b str, Vec<(String, &'b Expression<'a>)>>,
    /// `X.prototype = P`: X's instance methods are the `P.m = value` of `statics` (big.js, bignumber.js).
    prototype_alias: HashMap<&'b str, &'b str>,
}

impl<'b, 'a> Scope<'b, 'a> {
    /// X's prototype members: `X.prototype.m =`, `X.prototype = { ... }`, and those of an object it was set to.
    fn prototype_members(&self, name: &str) -> Vec<(String, &'b Expression<'a>)> {
        let mut members = self.prototype.get(name).cloned().unwrap_or_default();
        if let Some(alias) = self.prototype_alias.get(name) {
            members.extend(self.statics.get(alias).into_iter().flatten().cloned());
        }
        members
    }

    /// The scope of a function called in this one (a factory): its own bindings, and this scope's member
    /// assignments for what it does not assign itself (`Big.prototype = P` inside, `P.abs = ...` outside).
    fn nested(&self, statements: &'b [Statement<'a>]) -> Scope<'b, 'a> {
        let mut inner = scope_of(statements);
        for (name, members) in &self.statics {
            inner.statics.entry(name).or_insert_with(|| members.clone());
        }
        for (name, members) in &self.prototype {
            inner
                .prototype
                .entry(name)
                .or_insert_with(|| members.clone());
        }
        for (name, alias) in &self.prototype_alias {
            inner.prototype_alias.entry(name).or_insert(alias);
        }
        inner
    }
}

struct Pass<'t> {
    text: &'t str,
    lines: &'t crate::parse::LineIndex<'t>,
    out: ModuleShape,
    /// Function-constructor classes by span start (index into out.classes).
    constructors: HashMap<u32, usize>,
}

const MAX_DEPTH: u32 = 12;

/// Runs the module-shape pass over a program.
pub fn analyze(
    program: &Program<'_>,
    text: &str,
    lines: &crate::parse::LineIndex<'_>,
) -> ModuleShape {
    let mut pass = Pass {
        text,
        lines,
        out: ModuleShape::default(),
        constructors: HashMap::new(),
    };
    let scope = scope_of(&program.body);
    pass.function_constructors(&scope);
    let esm = program.body.iter().any(|s| s.is_module_declaration());
    if esm {
        pass.out.format = ModuleFormat::Esm;
    }
    pass.esm(&program.body, &scope);
    if pass.commonjs(&program.body, &scope, 0) && !esm {
        pass.out.format = ModuleFormat::Commonjs;
    }
    if pass.umd(&program.body) && !esm {
        pass.out.format = ModuleFormat::Umd;
    }
    pass.out
}

fn scope_of<'b, 'a>(statements: &'b [Statement<'a>]) -> Scope<'b, 'a> {
    let mut scope = Scope::default();
    for statement in statements {
        let declaration = match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        if let Some(declaration) = declaration {
            bind_declaration(&mut scope, declaration);
        }
        if let Statement::ExportDefaultDeclaration(e) = statement {
            match &e.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                    if let Some(id) = &f.id {
                        scope.bindings.insert(id.name.as_str(), Bound::Function(f));
                    }
                }
                ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                    if let Some(id) = &c.id {
                        scope.bindings.insert(id.name.as_str(), Bound::Class(c));
                    }
                }
                _ => {}
            }
        }
        if let Statement::ExpressionStatement(e) = statement {
            note_member_assignment(&mut scope, &e.expression);
            // `var Big; ... Big = _Big_();`: a name declared without a value is bound by its first assignment.
            if let Expression::AssignmentExpression(a) = e.expression.get_inner_expression() {
                if let AssignmentTarget::AssignmentTargetIdentifier(id) = &a.left {
                    scope
                        .bindings
                        .entry(id.name.as_str())
                        .or_insert(Bound::Expr(&a.right));
                }
            }
        }
    }
    scope
}

fn bind_declaration<'b, 'a>(scope: &mut Scope<'b, 'a>, declaration: &'b Declaration<'a>) {
    match declaration {
        Declaration::FunctionDeclaration(f) => {
            if let Some(id) = &f.id {
                scope.bindings.insert(id.name.as_str(), Bound::Function(f));
            }
        }
        Declaration::ClassDeclaration(c) => {
            if let Some(id) = &c.id {
                scope.bindings.insert(id.name.as_str(), Bound::Class(c));
            }
        }
        Declaration::VariableDeclaration(v) => {
            for d in &v.declarations {
                if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&d.id, &d.init) {
                    scope.bindings.insert(id.name.as_str(), Bound::Expr(init));
                }
            }
        }
        Declaration::TSNamespaceDeclaration(n) => {
            scope
                .bindings
                .insert(n.id.name.as_str(), Bound::Namespace(n));
        }
        _ => {}
    }
}

/// `X.y = v`, `X.prototype.m = v`, `X.prototype = { ... }` (chains like `a = b = v` included).
fn note_member_assignment<'b, 'a>(scope: &mut Scope<'b, 'a>, expression: &'b Expression<'a>) {
    let Expression::AssignmentExpression(assignment) = expression.get_inner_expression() else {
        return;
    };
    let AssignmentTarget::StaticMemberExpression(member) = &assignment.left else {
        return;
    };
    // `P.minus = P.sub = function`: every name of the chain gets the function at its end.
    let mut value = &assignment.right;
    while let Expression::AssignmentExpression(inner) = value.get_inner_expression() {
        value = &inner.right;
    }
    let property = member.property.name.to_string();
    match member.object.get_inner_expression() {
        Expression::Identifier(owner) if property == "prototype" => {
            if let Expression::Identifier(alias) = value.get_inner_expression() {
                scope
                    .prototype_alias
                    .insert(owner.name.as_str(), alias.name.as_str());
            }
            if let Expression::ObjectExpression(object) = value.get_inner_expression() {
                let entries = scope.prototype.entry(owner.name.as_str()).or_default();
                for p in &object.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = p {
                        if let Some(key) = p.key.static_name() {
                            entries.push((key.to_string(), &p.value));
                        }
                    }
                }
            }
        }
        Expression::Identifier(owner) if owner.name != "module" && owner.name != "exports" => {
            scope
                .statics
                .entry(owner.name.as_str())
                .or_default()
                .push((property, value));
        }
        Expression::StaticMemberExpression(inner) if inner.property.name == "prototype" => {
            if let Expression::Identifier(owner) = inner.object.get_inner_expression() {
                scope
                    .prototype
                    .entry(owner.name.as_str())
                    .or_default()
                    .push((property, value));
            }
        }
        _ => {}
    }
    if let Expression::AssignmentExpression(_) = assignment.right.get_inner_expression() {
        note_member_assignment(scope, &assignment.right);
    }
}

/// `require('./x')` with a relative specifier: the specifier.
fn relative_require<'b>(call: &'b CallExpression<'_>) -> Option<&'b str> {
    let Expression::Identifier(callee) = call.callee.get_inner_expression() else {
        return None;
    };
    if callee.name != "require" || call.arguments.len() != 1 {
        return None;
    }
    match call.arguments[0].as_expression()?.get_inner_expression() {
        Expression::StringLiteral(s) if s.value.starts_with('.') => Some(s.value.as_str()),
        _ => None,
    }
}

/// The relative specifier an expression's value is required from: `require('./x')`, or a name bound to it.
fn required_by<'b>(expression: &'b Expression<'_>, scope: &Scope<'b, '_>) -> Option<&'b str> {
    match expression.get_inner_expression() {
        Expression::CallExpression(call) => relative_require(call),
        Expression::Identifier(id) => match scope.bindings.get(id.name.as_str()) {
            Some(Bound::Expr(Expression::CallExpression(call))) => relative_require(call),
            _ => None,
        },
        _ => None,
    }
}

/// `Object.assign(module.exports | exports, ...)`: the export path its sources are merged into.
fn object_assign_target(call: &CallExpression<'_>) -> Option<Vec<String>> {
    let Expression::StaticMemberExpression(callee) = call.callee.get_inner_expression() else {
        return None;
    };
    let Expression::Identifier(object) = callee.object.get_inner_expression() else {
        return None;
    };
    if object.name != "Object" || callee.property.name != "assign" {
        return None;
    }
    let first = call
        .arguments
        .first()?
        .as_expression()?
        .get_inner_expression();
    match first {
        Expression::Identifier(id) if id.name == "exports" => Some(Vec::new()),
        Expression::StaticMemberExpression(m) => {
            let Expression::Identifier(id) = m.object.get_inner_expression() else {
                return None;
            };
            (id.name == "module" && m.property.name == "exports").then(Vec::new)
        }
        _ => None,
    }
}

/// The chain of a CommonJS export target: `module.exports` (or `module['exports']`) -> `[]`, `exports.a.b` /
/// `module.exports.a.b` -> `[a, b]`.
fn commonjs_target(target: &AssignmentTarget<'_>) -> Option<Vec<String>> {
    member_chain(target.as_member_expression()?)
}

/// The chain an expression names below `exports` / `module.exports`, or None when it names something else.
fn export_chain(expression: &Expression<'_>) -> Option<Vec<String>> {
    match expression.get_inner_expression() {
        Expression::Identifier(id) if id.name == "exports" => Some(Vec::new()),
        other => member_chain(other.as_member_expression()?),
    }
}

/// A member expression's chain below `exports` / `module.exports`; its key is a name or a string literal.
fn member_chain(member: &MemberExpression<'_>) -> Option<Vec<String>> {
    let key = match member {
        MemberExpression::StaticMemberExpression(m) => m.property.name.to_string(),
        MemberExpression::ComputedMemberExpression(m) => {
            match m.expression.get_inner_expression() {
                Expression::StringLiteral(key) => key.value.to_string(),
                _ => return None,
            }
        }
        MemberExpression::PrivateFieldExpression(_) => return None,
    };
    if let Expression::Identifier(id) = member.object().get_inner_expression() {
        if id.name == "module" && key == "exports" {
            return Some(Vec::new());
        }
    }
    let mut path = export_chain(member.object())?;
    path.push(key);
    Some(path)
}

fn has_this_assignments(f: &Function<'_>) -> bool {
    f.body
        .as_ref()
        .is_some_and(|body| body.statements.iter().any(|s| this_field(s).is_some()))
}

/// `this.x = value;` -> x.
fn this_field<'b>(statement: &'b Statement<'_>) -> Option<&'b str> {
    let Statement::ExpressionStatement(e) = statement else {
        return None;
    };
    let Expression::AssignmentExpression(a) = e.expression.get_inner_expression() else {
        return None;
    };
    let AssignmentTarget::StaticMemberExpression(m) = &a.left else {
        return None;
    };
    matches!(
        m.object.get_inner_expression(),
        Expression::ThisExpression(_)
    )
    .then(|| m.property.name.as_str())
}

fn function_of<'b, 'a>(expression: &'b Expression<'a>) -> Option<&'b Function<'a>> {
    match expression.get_inner_expression() {
        Expression::FunctionExpression(f) => Some(f),
        _ => None,
    }
}

impl Pass<'_> {
    fn line(&self, offset: u32) -> u32 {
        self.lines.line(offset)
    }

    /// Functions of the scope that are classes: they have prototype members, or a capitalised name and `this.x =`.
    fn function_constructors(&mut self, scope: &Scope<'_, '_>) {
        let mut names: Vec<&&str> = scope.bindings.keys().collect();
        names.sort();
        for name in names {
            let function = match scope.bindings[*name] {
                Bound::Function(f) => f,
                Bound::Expr(e) => match function_of(e) {
                    Some(f) => f,
                    None => continue,
                },
                _ => continue,
            };
            if self.constructors.contains_key(&function.span.start) {
                continue; // a factory's scope seen a second time
            }
            let prototype = scope.prototype_members(name);
            let capitalised = name.chars().next().is_some_and(char::is_uppercase);
            let has_prototype = scope.prototype.contains_key(*name) || !prototype.is_empty();
            if !(has_prototype || (capitalised && has_this_assignments(function))) {
                continue;
            }
            let mut decl = ClassDecl {
                constructor: Some(syntax::fn_sig(function, self.text)),
                ..Default::default()
            };
            if let Some(body) = &function.body {
                for statement in &body.statements {
                    if let Some(field) = this_field(statement) {
                        if !decl.fields.iter().any(|f| f.name == field) {
                            decl.fields.push(FieldDecl {
                                name: field.to_string(),
                                ty: None,
                                is_static: false,
                                readonly: false,
                                optional: false,
                                private: field.starts_with('_'),
                            });
                        }
                    }
                }
            }
            let mut methods = Vec::new();
            for (key, value) in &prototype {
                if let Some(f) = function_of(value) {
                    decl.methods
                        .push((key.clone(), false, syntax::fn_sig(f, self.text)));
                    methods.push(ClassMethod {
                        name: key.clone(),
                        kind: "method".to_string(),
                        r#static: false,
                        r#async: f.r#async,
                        private: key.starts_with('_'),
                    });
                }
            }
            for (key, value) in scope.statics.get(*name).into_iter().flatten() {
                if let Some(f) = function_of(value) {
                    decl.methods
                        .push((key.clone(), true, syntax::fn_sig(f, self.text)));
                    methods.push(ClassMethod {
                        name: key.clone(),
                        kind: "method".to_string(),
                        r#static: true,
                        r#async: f.r#async,
                        private: key.starts_with('_'),
                    });
                }
            }
            let start = function.span.start;
            let end = function.span.end.saturating_sub(1).max(start);
            self.constructors.insert(start, self.out.classes.len());
            self.out.classes.push(ClassInfo {
                name: name.to_string(),
                start,
                line: self.line(start),
                end_line: self.line(end),
                export_path: None,
                decl,
                methods,
                function_constructor: true,
            });
        }
    }

    fn esm(&mut self, statements: &[Statement<'_>], scope: &Scope<'_, '_>) {
        for statement in statements {
            match statement {
                Statement::ExportDeclaration(export) => match &export.declaration {
                    Declaration::FunctionDeclaration(f) => {
                        if let Some(id) = &f.id {
                            self.mark_function(f, vec![id.name.to_string()], scope, None);
                        }
                    }
                    Declaration::ClassDeclaration(c) => {
                        if let Some(id) = &c.id {
                            self.mark_class(c, vec![id.name.to_string()], scope);
                        }
                    }
                    Declaration::VariableDeclaration(v) => {
                        for d in &v.declarations {
                            if let (BindingPattern::BindingIdentifier(id), Some(init)) =
                                (&d.id, &d.init)
                            {
                                self.mark_expr(init, vec![id.name.to_string()], scope, 0);
                            }
                        }
                    }
                    Declaration::TSNamespaceDeclaration(n) => {
                        self.mark_namespace(n, vec![n.id.name.to_string()]);
                    }
                    _ => {}
                },
                Statement::ExportNamedDeclaration(export) => {
                    for specifier in &export.specifiers {
                        let local = specifier.local.name();
                        let exported = specifier.exported.name().to_string();
                        self.mark_name(&local, vec![exported], scope, 0);
                    }
                }
                Statement::ExportFromDeclaration(export) => {
                    for specifier in &export.specifiers {
                        self.out.reexports.push((
                            specifier.exported.name().to_string(),
                            export.source.value.to_string(),
                            specifier.local.name().to_string(),
                        ));
                    }
                }
                Statement::ExportAllDeclaration(all) => self.out.reexports.push((
                    all.exported
                        .as_ref()
                        .map_or_else(|| "*".to_string(), |e| e.name().to_string()),
                    all.source.value.to_string(),
                    "*".to_string(),
                )),
                Statement::ExportDefaultDeclaration(export) => {
                    let path = vec!["default".to_string()];
                    match &export.declaration {
                        ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                            self.mark_function(f, path, scope, None)
                        }
                        ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                            self.mark_class(c, path, scope)
                        }
                        ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {}
                        other => {
                            if let Some(e) = other.as_expression() {
                                self.mark_expr(e, path, scope, 0);
                            }
                        }
                    }
                }
                Statement::TSExportAssignment(assign) => {
                    self.mark_expr(&assign.expression, Vec::new(), scope, 0);
                }
                _ => {}
            }
        }
    }

    /// CommonJS assignments among the statements (and in their blocks / ifs), resolved in `scope`. True if any.
    fn commonjs(
        &mut self,
        statements: &[Statement<'_>],
        scope: &Scope<'_, '_>,
        depth: u32,
    ) -> bool {
        if depth > 4 {
            return false;
        }
        let mut found = false;
        for statement in statements {
            match statement {
                Statement::ExpressionStatement(e) => {
                    found |= self.commonjs_expression(&e.expression, scope)
                }
                Statement::IfStatement(s) => {
                    found |= self.commonjs(std::slice::from_ref(&s.consequent), scope, depth + 1);
                    if let Some(alternate) = &s.alternate {
                        found |= self.commonjs(std::slice::from_ref(alternate), scope, depth + 1);
                    }
                }
                Statement::BlockStatement(b) => found |= self.commonjs(&b.body, scope, depth + 1),
                _ => {}
            }
        }
        found
    }

    fn commonjs_expression(&mut self, expression: &Expression<'_>, scope: &Scope<'_, '_>) -> bool {
        match expression.get_inner_expression() {
            Expression::AssignmentExpression(a) => {
                let Some(path) = commonjs_target(&a.left) else {
                    // `x = module.exports = ...`
                    return matches!(
                        a.right.get_inner_expression(),
                        Expression::AssignmentExpression(_)
                    ) && self.commonjs_expression(&a.right, scope);
                };
                // `module.exports = exports = fn`: the value is at the end of the chain.
                let mut value = &a.right;
                while let Expression::AssignmentExpression(inner) = value.get_inner_expression() {
                    value = &inner.right;
                }
                self.mark_expr(value, path, scope, 0);
                true
            }
            Expression::SequenceExpression(s) => {
                let mut found = false;
                for e in &s.expressions {
                    found |= self.commonjs_expression(e, scope);
                }
                found
            }
            Expression::ConditionalExpression(c) => {
                self.commonjs_expression(&c.consequent, scope)
                    | self.commonjs_expression(&c.alternate, scope)
            }
            Expression::LogicalExpression(l) => self.commonjs_expression(&l.right, scope),
            // `Object.assign(module.exports, require('./a'), { b })`: each source's members join the export object.
            Expression::CallExpression(call) => {
                let Some(path) = object_assign_target(call) else {
                    return false;
                };
                for argument in call.arguments.iter().skip(1) {
                    if let Some(e) = argument.as_expression() {
                        self.mark_expr(e, path.clone(), scope, 0);
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// A re-export of a CommonJS barrel: the value at `path` is (a member of) another file's `module.exports`.
    fn reexport_required(&mut self, path: &[String], specifier: &str, imported: &str) {
        let name = if path.is_empty() {
            "*".to_string()
        } else {
            path.join(".")
        };
        self.out
            .reexports
            .push((name, specifier.to_string(), imported.to_string()));
    }

    /// UMD wrappers and IIFEs at the top level. True if one exported something.
    fn umd(&mut self, statements: &[Statement<'_>]) -> bool {
        let mut found = false;
        for statement in statements {
            let Statement::ExpressionStatement(e) = statement else {
                continue;
            };
            let mut expression = e.expression.get_inner_expression();
            if let Expression::UnaryExpression(u) = expression {
                expression = u.argument.get_inner_expression();
            }
            let Expression::CallExpression(call) = expression else {
                continue;
            };
            let wrapper_body = match call.callee.get_inner_expression() {
                Expression::FunctionExpression(f) => f.body.as_deref(),
                Expression::ArrowFunctionExpression(f) => match &f.body {
                    ArrowFunctionBody::FunctionBody(b) => Some(&**b),
                    _ => None,
                },
                _ => None,
            };
            let Some(wrapper_body) = wrapper_body else {
                continue;
            };
            // The factory: a function argument of the wrapper call; what it returns is the module.
            let factory = call.arguments.iter().rev().find_map(|a| {
                match a.as_expression()?.get_inner_expression() {
                    Expression::FunctionExpression(f) => f.body.as_deref(),
                    Expression::ArrowFunctionExpression(f) => match &f.body {
                        ArrowFunctionBody::FunctionBody(b) => Some(&**b),
                        _ => None,
                    },
                    _ => None,
                }
            });
            if let Some(body) = factory {
                let scope = scope_of(&body.statements);
                self.function_constructors(&scope);
                for statement in &body.statements {
                    if let Statement::ReturnStatement(r) = statement {
                        if let Some(argument) = &r.argument {
                            self.mark_expr(argument, Vec::new(), &scope, 0);
                            found = true;
                        }
                    }
                }
                // A factory that fills `exports` (`function (exports) { exports.x = ... }`).
                found |= self.commonjs(&body.statements, &scope, 0);
                continue;
            }
            // A plain IIFE that assigns `module.exports` (or `exports.x`) itself.
            let scope = scope_of(&wrapper_body.statements);
            self.function_constructors(&scope);
            found |= self.commonjs(&wrapper_body.statements, &scope, 0);
        }
        found
    }

    fn mark_name(&mut self, name: &str, path: Vec<String>, scope: &Scope<'_, '_>, depth: u32) {
        match scope.bindings.get(name) {
            Some(Bound::Function(f)) => self.mark_function(f, path, scope, None),
            Some(Bound::Class(c)) => self.mark_class(c, path, scope),
            Some(Bound::Expr(e)) => self.mark_expr(e, path, scope, depth + 1),
            Some(Bound::Namespace(n)) => self.mark_namespace(n, path),
            None => {}
        }
    }

    fn mark_expr(
        &mut self,
        expression: &Expression<'_>,
        path: Vec<String>,
        scope: &Scope<'_, '_>,
        depth: u32,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match expression.get_inner_expression() {
            Expression::FunctionExpression(f) => {
                // A named function expression's statics are assigned to its binding (`var x = function x() {}`).
                self.mark_function(f, path, scope, None)
            }
            Expression::ArrowFunctionExpression(f) => {
                self.out
                    .functions
                    .entry(f.span.start)
                    .or_insert((path, None));
            }
            Expression::ClassExpression(c) => self.mark_class(c, path, scope),
            // `{ BiMap: require('./bi-map.js') }`: another file of the package, re-exported.
            Expression::CallExpression(call) if relative_require(call).is_some() => {
                let specifier = relative_require(call).unwrap_or_default();
                self.reexport_required(&path, specifier, "*");
            }
            // `Heap.MinHeap` where `Heap = require('./heap.js')`: a member of another file's exports.
            Expression::StaticMemberExpression(m) => {
                if let Some(specifier) = required_by(&m.object, scope) {
                    self.reexport_required(&path, specifier, m.property.name.as_str());
                }
            }
            // `Big = _Big_()`: what a local factory returns (its own scope, this one's member assignments).
            Expression::CallExpression(call) => {
                let Expression::Identifier(callee) = call.callee.get_inner_expression() else {
                    return;
                };
                let factory = match scope.bindings.get(callee.name.as_str()) {
                    Some(Bound::Function(f)) => Some(*f),
                    Some(Bound::Expr(e)) => function_of(e),
                    _ => None,
                };
                let Some(body) = factory.and_then(|f| f.body.as_deref()) else {
                    return;
                };
                let inner = scope.nested(&body.statements);
                self.function_constructors(&inner);
                for statement in &body.statements {
                    if let Statement::ReturnStatement(r) = statement {
                        if let Some(argument) = &r.argument {
                            self.mark_expr(argument, path.clone(), &inner, depth + 1);
                        }
                    }
                }
            }
            Expression::Identifier(id) => {
                let name = id.name.as_str();
                self.mark_name(name, path.clone(), scope, depth);
                // `fn.helper = function` beside `module.exports = fn`.
                if !self.is_constructor_name(name, scope) {
                    for (key, value) in scope.statics.get(name).into_iter().flatten() {
                        let mut inner = path.clone();
                        inner.push(key.clone());
                        self.mark_expr(value, inner, scope, depth + 1);
                    }
                }
            }
            Expression::ObjectExpression(object) => {
                for property in &object.properties {
                    let p = match property {
                        ObjectPropertyKind::ObjectProperty(p) => p,
                        // `{ ...require('./a'), b }`: the spread object's members sit at this path.
                        ObjectPropertyKind::SpreadProperty(spread) => {
                            self.mark_expr(&spread.argument, path.clone(), scope, depth + 1);
                            continue;
                        }
                    };
                    if p.kind != PropertyKind::Init {
                        continue;
                    }
                    let Some(key) = p.key.static_name() else {
                        continue;
                    };
                    let mut inner = path.clone();
                    inner.push(key.to_string());
                    self.mark_expr(&p.value, inner, scope, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn is_constructor_name(&self, name: &str, scope: &Scope<'_, '_>) -> bool {
        let start = match scope.bindings.get(name) {
            Some(Bound::Function(f)) => f.span.start,
            Some(Bound::Expr(e)) => match function_of(e) {
                Some(f) => f.span.start,
                None => return false,
            },
            _ => return false,
        };
        self.constructors.contains_key(&start)
    }

    fn mark_function(
        &mut self,
        f: &Function<'_>,
        path: Vec<String>,
        scope: &Scope<'_, '_>,
        member: Option<&'static str>,
    ) {
        let start = f.span.start;
        if self.out.functions.contains_key(&start) {
            return;
        }
        self.out.functions.insert(start, (path.clone(), member));
        // A function-constructor class: its prototype and static functions share the class's path.
        if let Some(&index) = self.constructors.get(&start) {
            self.out.classes[index].export_path = Some(path.clone());
            let name = self.out.classes[index].name.clone();
            let name = name.as_str();
            for (_, value) in scope.prototype_members(name) {
                if let Some(m) = function_of(value) {
                    self.out
                        .functions
                        .entry(m.span.start)
                        .or_insert((path.clone(), Some("instance")));
                }
            }
            let statics: Vec<_> = scope.statics.get(name).cloned().unwrap_or_default();
            for (_, value) in statics {
                if let Some(m) = function_of(value) {
                    self.out
                        .functions
                        .entry(m.span.start)
                        .or_insert((path.clone(), Some("static")));
                }
            }
        }
    }

    fn mark_class(&mut self, c: &Class<'_>, path: Vec<String>, scope: &Scope<'_, '_>) {
        if self.out.class_paths.contains_key(&c.span.start) {
            return;
        }
        self.out.class_paths.insert(c.span.start, path.clone());
        for element in &c.body.body {
            if let ClassElement::MethodDefinition(m) = element {
                let member = if m.r#static { "static" } else { "instance" };
                self.out
                    .functions
                    .entry(m.value.span.start)
                    .or_insert((path.clone(), Some(member)));
            }
            // A function-valued field (`handler = () => {}`) is reached through the class like a method.
            if let ClassElement::PropertyDefinition(p) = element {
                let start = match p.value.as_ref().map(|v| v.get_inner_expression()) {
                    Some(Expression::ArrowFunctionExpression(a)) => Some(a.span.start),
                    Some(Expression::FunctionExpression(f)) => Some(f.span.start),
                    _ => None,
                };
                if let Some(start) = start {
                    let member = if p.r#static { "static" } else { "instance" };
                    self.out
                        .functions
                        .entry(start)
                        .or_insert((path.clone(), Some(member)));
                }
            }
        }
        if let Some(id) = &c.id {
            let statics: Vec<_> = scope
                .statics
                .get(id.name.as_str())
                .cloned()
                .unwrap_or_default();
            for (_, value) in statics {
                if let Some(m) = function_of(value) {
                    self.out
                        .functions
                        .entry(m.span.start)
                        .or_insert((path.clone(), Some("static")));
                }
            }
        }
    }

    fn mark_namespace(&mut self, n: &TSNamespaceDeclaration<'_>, path: Vec<String>) {
        match &n.body {
            TSNamespaceDeclarationBody::TSNamespaceDeclaration(inner) => {
                let mut inner_path = path;
                inner_path.push(inner.id.name.to_string());
                self.mark_namespace(inner, inner_path);
            }
            TSNamespaceDeclarationBody::TSModuleBlock(block) => {
                let scope = scope_of(&block.body);
                for statement in &block.body {
                    let Statement::ExportDeclaration(export) = statement else {
                        continue;
                    };
                    let named = |name: &str| {
                        let mut p = path.clone();
                        p.push(name.to_string());
                        p
                    };
                    match &export.declaration {
                        Declaration::FunctionDeclaration(f) => {
                            if let Some(id) = &f.id {
                                self.mark_function(f, named(&id.name), &scope, None);
                            }
                        }
                        Declaration::ClassDeclaration(c) => {
                            if let Some(id) = &c.id {
                                self.mark_class(c, named(&id.name), &scope);
                            }
                        }
                        Declaration::VariableDeclaration(v) => {
                            for d in &v.declarations {
                                if let (BindingPattern::BindingIdentifier(id), Some(init)) =
                                    (&d.id, &d.init)
                                {
                                    self.mark_expr(init, named(&id.name), &scope, 0);
                                }
                            }
                        }
                        Declaration::TSNamespaceDeclaration(inner) => {
                            self.mark_namespace(inner, named(&inner.id.name));
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// Methods of a class body, for `ClassReport.methods`. A `private` or `protected` constructor is listed too (kind
/// `constructor`, `private: true`): code outside the class cannot `new` it, and a generated test must build the class
/// through its static factories instead.
pub fn class_methods(class: &Class<'_>, text: &str) -> Vec<ClassMethod> {
    let mut out = Vec::new();
    for element in &class.body.body {
        let ClassElement::MethodDefinition(m) = element else {
            continue;
        };
        let kind = match m.kind {
            MethodDefinitionKind::Constructor => {
                if matches!(
                    m.accessibility,
                    Some(TSAccessibility::Private | TSAccessibility::Protected)
                ) && !out.iter().any(|x: &ClassMethod| x.kind == "constructor")
                {
                    out.push(ClassMethod {
                        name: "constructor".to_string(),
                        kind: "constructor".to_string(),
                        r#static: false,
                        r#async: false,
                        private: true,
                    });
                }
                continue;
            }
            MethodDefinitionKind::Method => "method",
            MethodDefinitionKind::Get => "getter",
            MethodDefinitionKind::Set => "setter",
        };
        if m.value.body.is_none()
            && out
                .iter()
                .any(|x: &ClassMethod| x.name == syntax::key_name(&m.key, text))
        {
            continue;
        }
        let name = syntax::key_name(&m.key, text);
        if out
            .iter()
            .any(|x: &ClassMethod| x.name == name && x.kind == kind && x.r#static == m.r#static)
        {
            continue;
        }
        out.push(ClassMethod {
            name,
            kind: kind.to_string(),
            r#static: m.r#static,
            r#async: m.value.r#async,
            // Not callable from outside the class: a generated test cannot call it (tsc says so).
            private: matches!(
                m.accessibility,
                Some(TSAccessibility::Private | TSAccessibility::Protected)
            ) || matches!(m.key, PropertyKey::PrivateIdentifier(_)),
        });
    }
    out
}

/// Facts about one `class` node, collected during the visitor pass in the same order as `ClassReport`s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassFacts {
    pub start: u32,
    pub decl: ClassDecl,
    pub methods: Vec<ClassMethod>,
}

pub fn class_facts(class: &Class<'_>, text: &str) -> ClassFacts {
    ClassFacts {
        start: class.span.start,
        decl: syntax::class_decl(class, text),
        methods: class_methods(class, text),
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::analyze_text;
    use crate::model::{FileReport, Language};

    fn report(code: &str, language: Language) -> FileReport {
        analyze_text(
            code,
            "src/m.js",
            language,
            &crate::analyze::AnalyzeOptions::with_types(),
        )
    }

    /// (name, exportPath, exported, defaultExport, classMember) of every function.
    type Row = (String, Option<Vec<String>>, bool, bool, Option<String>);

    fn paths(report: &FileReport) -> Vec<Row> {
        report
            .functions
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.export_path.clone(),
                    f.exported,
                    f.usage.default_export,
                    f.usage.class_member.clone(),
                )
            })
            .collect()
    }

    fn path_of(report: &FileReport, name: &str) -> Option<Vec<String>> {
        report
            .functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", paths(report)))
            .export_path
            .clone()
    }

    fn p(parts: &[&str]) -> Option<Vec<String>> {
        Some(parts.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn esm_named_default_objects_and_lists() {
        let code = "
export function a() {}
export const b = () => 1;
function c() {}
function hidden() {}
export { c as renamed };
export const api = { get() {}, nested: { put() {} } };
export default function main() {}
";
        let r = report(code, Language::Ts);
        assert_eq!(r.module_format, super::ModuleFormat::Esm);
        assert_eq!(path_of(&r, "a"), p(&["a"]));
        assert_eq!(path_of(&r, "b"), p(&["b"]));
        assert_eq!(path_of(&r, "c"), p(&["renamed"]));
        assert_eq!(path_of(&r, "hidden"), None);
        assert_eq!(path_of(&r, "api.get"), p(&["api", "get"]));
        assert_eq!(path_of(&r, "api.nested.put"), p(&["api", "nested", "put"]));
        assert_eq!(path_of(&r, "main"), p(&["default"]));
        // `exported` and `usage.defaultExport` agree with the path.
        for (name, path, exported, default_export, _) in paths(&r) {
            assert_eq!(exported, path.is_some(), "{name}");
            assert_eq!(default_export, path == p(&["default"]), "{name}");
        }
    }

    #[test]
    fn default_exported_class_and_its_methods() {
        let code = "export default class Delta {\n  constructor(ops: string[]) {}\n  insert(text: string) { return this; }\n  static from(x: string) {}\n}";
        let r = report(code, Language::Ts);
        assert_eq!(path_of(&r, "Delta.insert"), p(&["default"]));
        let from = r.functions.iter().find(|f| f.name == "Delta.from").unwrap();
        assert_eq!(from.usage.class_member.as_deref(), Some("static"));
        let class = &r.classes[0];
        assert_eq!(class.export_path, p(&["default"]));
        assert_eq!(class.constructor_params[0].name, "ops");
        assert!(class.constructor_params[0].shape.is_some());
        let names: Vec<&str> = class.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["insert", "from"]);
        assert!(class.methods[1].r#static);
    }

    #[test]
    fn a_private_or_protected_constructor_is_listed_so_tests_use_the_factories() {
        let code = "export class Money {\n  private constructor(readonly cents: number) {}\n  static of(cents: number) { return new Money(cents); }\n}\nexport class Base {\n  protected constructor() {}\n}\nexport class Open {\n  constructor(x: number) {}\n  run() {}\n}";
        let r = report(code, Language::Ts);
        let kinds = |name: &str| -> Vec<(String, String, bool)> {
            let class = r.classes.iter().find(|c| c.name == name).unwrap();
            class
                .methods
                .iter()
                .map(|m| (m.name.clone(), m.kind.clone(), m.private))
                .collect()
        };
        let hidden = ("constructor".to_string(), "constructor".to_string(), true);
        assert_eq!(kinds("Money")[0], hidden);
        assert_eq!(kinds("Base"), vec![hidden]);
        assert!(kinds("Open")
            .iter()
            .all(|(_, kind, _)| kind != "constructor"));
    }

    #[test]
    fn protected_and_private_methods_are_not_callable_from_a_test() {
        let code = "export class F {\n  format(n: number) { return this.num(n); }\n  protected num(n: number) { return String(n); }\n  private hid() {}\n  #own() {}\n}";
        let r = report(code, Language::Ts);
        let hidden: Vec<(&str, bool)> = r.classes[0]
            .methods
            .iter()
            .map(|m| (m.name.as_str(), m.private))
            .collect();
        assert_eq!(
            hidden,
            vec![
                ("format", false),
                ("num", true),
                ("hid", true),
                ("[#own]", true)
            ]
        );
    }

    #[test]
    fn commonjs_forms() {
        let single = report(
            "module.exports = function parse(s) { return s; };",
            Language::Js,
        );
        assert_eq!(single.module_format, super::ModuleFormat::Commonjs);
        assert_eq!(path_of(&single, "parse"), p(&[]));
        assert!(single.functions[0].usage.default_export);

        let named = report(
            "function a() {}\nconst b = function () {};\nmodule.exports = { a, b, c: () => 1 };\nexports.d = function () {};\nmodule.exports.e = function e() {};",
            Language::Js,
        );
        assert_eq!(path_of(&named, "a"), p(&["a"]));
        assert_eq!(path_of(&named, "b"), p(&["b"]));
        assert_eq!(path_of(&named, "module.exports.c"), p(&["c"]));
        assert_eq!(path_of(&named, "exports.d"), p(&["d"]));
        assert_eq!(path_of(&named, "e"), p(&["e"]));

        let class = report(
            "class Store { get(k) { return k; } }\nmodule.exports = Store;",
            Language::Js,
        );
        assert_eq!(path_of(&class, "Store.get"), p(&[]));
        assert_eq!(class.classes[0].export_path, p(&[]));

        // `fn.helper = ...` beside `module.exports = fn`.
        let helper = report(
            "function ms(x) {}\nms.format = function (n) {};\nmodule.exports = ms;",
            Language::Js,
        );
        assert_eq!(path_of(&helper, "ms.format"), p(&["format"]));

        // Bracket notation, as compilers write it: `module['exports'] = Fraction`, `exports['parse'] = ...`.
        let bracket = report(
            "function Fraction(a) {}\nFraction.prototype.add = function (b) {};\nmodule['exports'] = Fraction;\nmodule['exports']['parse'] = function parse(s) {};",
            Language::Js,
        );
        assert_eq!(bracket.classes[0].export_path, p(&[]));
        assert_eq!(path_of(&bracket, "parse"), p(&["parse"]));
    }

    #[test]
    fn umd_factories_and_iifes() {
        let code = "
(function (root, factory) {
  if (typeof define === 'function' && define.amd) define([], factory);
  else if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.slugify = factory();
}(this, function () {
  var charMap = {};
  function replace(string, options) { return string; }
  replace.extend = function (custom) {};
  return replace;
}));";
        let r = report(code, Language::Js);
        assert_eq!(r.module_format, super::ModuleFormat::Umd);
        assert_eq!(path_of(&r, "replace"), p(&[]));
        assert_eq!(path_of(&r, "replace.extend"), p(&["extend"]));

        let iife = report(
            ";(function () {\n  function slug(s) { return s; }\n  if (typeof module !== 'undefined') { module.exports = slug; } else { window.slug = slug; }\n})();",
            Language::Js,
        );
        assert_eq!(iife.module_format, super::ModuleFormat::Umd);
        assert_eq!(path_of(&iife, "slug"), p(&[]));
    }

    #[test]
    fn a_class_made_by_a_factory_with_an_aliased_prototype() {
        // big.js and bignumber.js: `Big = _Big_()` inside an IIFE, `Big.prototype = P` in the factory, `P.abs =`.
        let code = "
;(function (GLOBAL) {
  var Big, P = {};
  function _Big_() {
    function Big(n) { var x = this; x.c = [n]; }
    Big.prototype = P;
    return Big;
  }
  P.abs = function () { return this; };
  P.plus = P.add = function (y) { return y; };
  Big = _Big_();
  if (typeof module !== 'undefined' && module.exports) { module.exports = Big; } else { GLOBAL.Big = Big; }
})(this);";
        let r = report(code, Language::Js);
        assert_eq!(r.module_format, super::ModuleFormat::Umd);
        assert_eq!(path_of(&r, "Big"), p(&[]));
        let abs = r.functions.iter().find(|f| f.name == "P.abs").unwrap();
        assert_eq!(abs.export_path, p(&[]));
        assert_eq!(abs.usage.class_member.as_deref(), Some("instance"));
        assert_eq!(path_of(&r, "P.add"), p(&[]));
        let big = r.classes.iter().find(|c| c.name == "Big").unwrap();
        assert!(big.function_constructor);
        let names: Vec<&str> = big.methods.iter().map(|m| m.name.as_str()).collect();
        assert!(
            names.contains(&"abs") && names.contains(&"plus") && names.contains(&"add"),
            "{names:?}"
        );
    }

    #[test]
    fn typescript_namespaces() {
        let code = "export namespace Geo { export function area(r: number) { return r; } export namespace Inner { export const f = (x: string) => x; } }";
        let r = report(code, Language::Ts);
        assert_eq!(path_of(&r, "area"), p(&["Geo", "area"]));
        assert_eq!(path_of(&r, "f"), p(&["Geo", "Inner", "f"]));
    }

    #[test]
    fn function_constructor_classes() {
        let code = "
function Rational(num, den) {
  this.num = num;
  this.den = den;
}
Rational.prototype.add = function (other) { return other; };
Rational.prototype.toString = function () { return ''; };
Rational.parse = function (text) { return new Rational(1, 2); };
module.exports = Rational;";
        let r = report(code, Language::Js);
        assert_eq!(path_of(&r, "Rational"), p(&[]));
        let add = r
            .functions
            .iter()
            .find(|f| f.name == "Rational.prototype.add")
            .unwrap();
        assert_eq!(add.export_path, p(&[]));
        assert_eq!(add.usage.class_member.as_deref(), Some("instance"));
        let parse = r
            .functions
            .iter()
            .find(|f| f.name == "Rational.parse")
            .unwrap();
        assert_eq!(parse.usage.class_member.as_deref(), Some("static"));
        let class = r.classes.iter().find(|c| c.name == "Rational").unwrap();
        assert!(class.function_constructor);
        assert_eq!(class.export_path, p(&[]));
        let fields: Vec<&str> = class.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(fields, vec!["num", "den"]);
        let methods: Vec<(&str, bool)> = class
            .methods
            .iter()
            .map(|m| (m.name.as_str(), m.r#static))
            .collect();
        assert_eq!(
            methods,
            vec![("add", false), ("toString", false), ("parse", true)]
        );
        let params: Vec<&str> = class
            .constructor_params
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(params, vec!["num", "den"]);
    }

    #[test]
    fn reexports_are_listed_with_the_specifier_when_not_on_disk() {
        let r = report(
            "export { a as b } from './x';\nexport * from './y';\nexport * as ns from './z';",
            Language::Ts,
        );
        let found: Vec<(&str, &str, &str)> = r
            .reexports
            .iter()
            .map(|e| (e.name.as_str(), e.from.as_str(), e.imported.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![("b", "./x", "a"), ("*", "./y", "*"), ("ns", "./z", "*")]
        );
    }

    #[test]
    fn commonjs_barrels_list_their_required_files() {
        let r = report(
            "var Heap = require('./heap.js');\nvar ext = require('lodash');\nmodule.exports = {\n  BiMap: require('./bi-map.js'),\n  Heap: Heap,\n  MinHeap: Heap.MinHeap,\n  ...require('./spread'),\n  lodash: ext,\n};\nexports.Queue = require('./queue');\nObject.assign(module.exports, require('./more'));",
            Language::Js,
        );
        assert_eq!(r.module_format, super::ModuleFormat::Commonjs);
        let found: Vec<(&str, &str, &str)> = r
            .reexports
            .iter()
            .map(|e| (e.name.as_str(), e.from.as_str(), e.imported.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("BiMap", "./bi-map.js", "*"),
                ("Heap", "./heap.js", "*"),
                ("MinHeap", "./heap.js", "MinHeap"),
                ("*", "./spread", "*"),
                ("Queue", "./queue", "*"),
                ("*", "./more", "*"),
            ]
        );
        // `module.exports = require('./impl')`: the whole module is another file's.
        let whole = report("module.exports = require('./impl');", Language::Js);
        assert_eq!(whole.reexports.len(), 1);
        assert_eq!(whole.reexports[0].name, "*");
    }

    #[test]
    fn a_script_exports_nothing() {
        let r = report("function f() {}", Language::Js);
        assert_eq!(r.module_format, super::ModuleFormat::Script);
        assert_eq!(path_of(&r, "f"), None);
    }
}
