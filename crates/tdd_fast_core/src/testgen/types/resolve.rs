//! `TypeExpr` -> `TypeShape`: names are looked up in order in the bound type parameters, the file's declarations, its
//! relative imports (other project files, see project.rs), and the built-in / utility types. What is left is
//! `{ kind: "unresolved", text }`.
//!
//! Limits: a named type that is already being expanded becomes `{ kind: "ref", name }` (recursion cut), and so does
//! one past [`MAX_DEPTH`] nested expansions or once a shape has used up its [`MAX_NODES`] budget, so a huge or deeply
//! recursive type cannot blow up the output.

use std::collections::HashMap;
use std::sync::Arc;

use super::project::{self, Module};
use super::syntax::{Decl, ObjectExpr, TypeExpr, TypeParam};
use super::{
    FunctionParamShape, IndexShape, LiteralValue, PropertyShape, TupleElement, TypeOrigin,
    TypeShape,
};

/// Nested expansions of named types (interfaces, aliases) in one shape.
pub const MAX_DEPTH: usize = 6;
/// Nodes one top-level shape may hold.
pub const MAX_NODES: usize = 600;
/// Re-export hops followed to find a name.
const MAX_HOPS: usize = 8;

type Env = HashMap<String, TypeShape>;

pub struct Resolver {
    /// (module path or "", name) of the named types being expanded.
    stack: Vec<(String, String)>,
    budget: usize,
    /// Whether other files may be read (a file on disk is being analysed).
    cross_file: bool,
}

impl Default for Resolver {
    fn default() -> Self {
        Self::new()
    }
}

impl Resolver {
    pub fn new() -> Self {
        Self {
            stack: Vec::new(),
            budget: MAX_NODES,
            cross_file: project::current().is_some(),
        }
    }

    /// Resolves one top-level type (a parameter's, a return type, a field's) in a module.
    pub fn shape(&mut self, expr: &TypeExpr, scope: &Module) -> TypeShape {
        self.budget = MAX_NODES;
        self.stack.clear();
        self.resolve(expr, scope, &Env::new())
    }

    /// `shape` inside a generic function: its own type parameters are bound to their constraints, else `unknown`.
    pub fn shape_generic(
        &mut self,
        expr: &TypeExpr,
        scope: &Module,
        params: &[TypeParam],
    ) -> TypeShape {
        if params.is_empty() {
            return self.shape(expr, scope);
        }
        self.budget = MAX_NODES;
        self.stack.clear();
        let mut env = Env::new();
        for param in params {
            let bound = match &param.constraint {
                Some(constraint) => self.resolve(constraint, scope, &env),
                None => TypeShape::Unknown,
            };
            env.insert(param.name.clone(), bound);
        }
        self.resolve(expr, scope, &env)
    }

    fn spend(&mut self) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        true
    }

    fn resolve(&mut self, expr: &TypeExpr, scope: &Module, env: &Env) -> TypeShape {
        if !self.spend() {
            return TypeShape::unresolved("...");
        }
        match expr {
            TypeExpr::Shape(shape) => shape.clone(),
            TypeExpr::Union(types) => {
                let types = types.iter().map(|t| self.resolve(t, scope, env)).collect();
                union(types)
            }
            TypeExpr::Intersection(types) => {
                let types: Vec<TypeShape> =
                    types.iter().map(|t| self.resolve(t, scope, env)).collect();
                intersection(types)
            }
            TypeExpr::Array(element, readonly) => TypeShape::Array {
                element: Box::new(self.resolve(element, scope, env)),
                readonly: *readonly,
            },
            TypeExpr::Readonly(inner) => match self.resolve(inner, scope, env) {
                TypeShape::Array { element, .. } => TypeShape::Array {
                    element,
                    readonly: true,
                },
                other => other,
            },
            TypeExpr::Tuple(elements) => TypeShape::Tuple {
                elements: elements
                    .iter()
                    .map(|e| TupleElement {
                        shape: self.resolve(&e.ty, scope, env),
                        optional: e.optional,
                        rest: e.rest,
                    })
                    .collect(),
            },
            TypeExpr::Object(object) => self.object(object, None, scope, env),
            TypeExpr::Function(params, returns) => TypeShape::Function {
                params: params
                    .iter()
                    .map(|p| FunctionParamShape {
                        name: p.name.clone(),
                        shape: p
                            .ty
                            .as_ref()
                            .map_or(TypeShape::Any, |t| self.resolve(t, scope, env)),
                        optional: p.optional,
                        rest: p.rest,
                    })
                    .collect(),
                returns: Box::new(self.resolve(returns, scope, env)),
            },
            TypeExpr::Ref(name, args) => self.named(name, args, scope, env),
            TypeExpr::Opaque(text) => TypeShape::unresolved(text.clone()),
            TypeExpr::Indexed(object, index, text) => {
                let object = self.resolve(object, scope, env);
                let index = self.resolve(index, scope, env);
                look_up(object, &index).unwrap_or_else(|| TypeShape::unresolved(text.clone()))
            }
        }
    }

    fn object(
        &mut self,
        object: &ObjectExpr,
        name: Option<&str>,
        scope: &Module,
        env: &Env,
    ) -> TypeShape {
        let properties = object
            .props
            .iter()
            .map(|p| PropertyShape {
                name: p.name.clone(),
                shape: self.resolve(&p.ty, scope, env),
                optional: p.optional,
                readonly: p.readonly,
            })
            .collect();
        let index = object.index.as_ref().map(|i| IndexShape {
            key: Box::new(self.resolve(&i.0, scope, env)),
            value: Box::new(self.resolve(&i.1, scope, env)),
        });
        TypeShape::Object {
            name: name.map(str::to_string),
            properties,
            index,
        }
    }

    fn args(&mut self, args: &[TypeExpr], scope: &Module, env: &Env) -> Vec<TypeShape> {
        args.iter().map(|a| self.resolve(a, scope, env)).collect()
    }

    fn named(&mut self, name: &str, args: &[TypeExpr], scope: &Module, env: &Env) -> TypeShape {
        if let Some(bound) = env.get(name) {
            return bound.clone();
        }
        if let Some(found) = self.declared(name, args, scope, env, 0) {
            return found;
        }
        self.builtin(name, args, scope, env)
            .unwrap_or_else(|| TypeShape::Unresolved {
                text: display(name, args),
                origin: import_origin(name, scope),
            })
    }

    /// A name declared in `scope` or imported into it.
    fn declared(
        &mut self,
        name: &str,
        args: &[TypeExpr],
        scope: &Module,
        env: &Env,
        hops: usize,
    ) -> Option<TypeShape> {
        if hops > MAX_HOPS {
            return None;
        }
        if let Some(decl) = scope.types.decls.get(name) {
            return Some(self.expand(name, decl, args, scope, env));
        }
        // `Color.Red`: an enum member's literal type.
        if let Some((owner, member)) = name.rsplit_once('.') {
            if let Some(Decl::Enum(members)) = scope.types.decls.get(owner) {
                if let Some(m) = members.iter().find(|m| m.name == member) {
                    return Some(TypeShape::Literal {
                        value: m.value.clone(),
                        code: m.code.clone(),
                    });
                }
            }
        }
        if !self.cross_file {
            return None;
        }
        let (head, rest) = match name.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (name, None),
        };
        let import = scope.types.imports.get(head)?;
        let module = project::load_import(scope, &import.from)?;
        let wanted = match (import.imported.as_str(), rest) {
            ("*", Some(rest)) => rest.to_string(),
            ("*", None) => return None,
            (imported, Some(rest)) => format!("{imported}.{rest}"),
            (imported, None) => imported.to_string(),
        };
        // Evaluate the arguments here, in the importing scope, then bind them in the target's declaration.
        let (module, local) = find_export(&module, &wanted, 0)?;
        let decl = module.types.decls.get(&local)?;
        let resolved: Vec<TypeExpr> = self
            .args(args, scope, env)
            .into_iter()
            .map(TypeExpr::Shape)
            .collect();
        Some(self.expand(&local, decl, &resolved, &module, &Env::new()))
    }

    fn expand(
        &mut self,
        name: &str,
        decl: &Decl,
        args: &[TypeExpr],
        scope: &Module,
        env: &Env,
    ) -> TypeShape {
        let key = (scope.shown.clone().unwrap_or_default(), name.to_string());
        let display_name = name.rsplit('.').next().unwrap_or(name).to_string();
        match decl {
            Decl::Enum(members) => {
                return TypeShape::Enum {
                    name: display_name,
                    members: members.clone(),
                }
            }
            Decl::Class(_) => {
                return TypeShape::Class {
                    export_path: class_export_path(scope, name),
                    name: display_name,
                    path: scope.shown.clone(),
                }
            }
            _ => {}
        }
        if self.stack.contains(&key) || self.stack.len() >= MAX_DEPTH || self.budget < 8 {
            return TypeShape::Ref { name: display_name };
        }
        self.stack.push(key);
        let shape = match decl {
            Decl::Interface {
                params,
                extends,
                body,
            } => {
                let inner = self.bind(params, args, scope, env);
                let mut properties: Vec<PropertyShape> = Vec::new();
                let mut index = None;
                for parent in extends {
                    if let TypeShape::Object {
                        properties: inherited,
                        index: inherited_index,
                        ..
                    } = self.resolve(parent, scope, &inner)
                    {
                        merge_properties(&mut properties, inherited);
                        index = index.or(inherited_index);
                    }
                }
                if let TypeShape::Object {
                    properties: own,
                    index: own_index,
                    ..
                } = self.object(body, None, scope, &inner)
                {
                    merge_properties(&mut properties, own);
                    index = own_index.or(index);
                }
                TypeShape::Object {
                    name: Some(display_name),
                    properties,
                    index,
                }
            }
            Decl::Alias { params, ty } => {
                let inner = self.bind(params, args, scope, env);
                match self.resolve(ty, scope, &inner) {
                    TypeShape::Object {
                        name: None,
                        properties,
                        index,
                    } => TypeShape::Object {
                        name: Some(display_name),
                        properties,
                        index,
                    },
                    other => other,
                }
            }
            Decl::Enum(_) | Decl::Class(_) => unreachable!("handled above"),
        };
        self.stack.pop();
        shape
    }

    /// Binds a declaration's type parameters to the arguments (resolved in the caller's scope), defaults, or unknown.
    fn bind(&mut self, params: &[TypeParam], args: &[TypeExpr], scope: &Module, env: &Env) -> Env {
        let mut inner = Env::new();
        for (i, param) in params.iter().enumerate() {
            let shape = match (args.get(i), &param.default) {
                (Some(arg), _) => self.resolve(arg, scope, env),
                (None, Some(default)) => self.resolve(default, scope, &inner),
                (None, None) => TypeShape::unresolved(param.name.clone()),
            };
            inner.insert(param.name.clone(), shape);
        }
        inner
    }

    fn arg(&mut self, args: &[TypeExpr], i: usize, scope: &Module, env: &Env) -> TypeShape {
        args.get(i)
            .map_or(TypeShape::Unknown, |a| self.resolve(a, scope, env))
    }

    fn builtin(
        &mut self,
        name: &str,
        args: &[TypeExpr],
        scope: &Module,
        env: &Env,
    ) -> Option<TypeShape> {
        let shape = match name {
            "Array" | "Iterable" | "ArrayLike" | "IterableIterator" => TypeShape::Array {
                element: Box::new(self.arg(args, 0, scope, env)),
                readonly: false,
            },
            "ReadonlyArray" => TypeShape::Array {
                element: Box::new(self.arg(args, 0, scope, env)),
                readonly: true,
            },
            "Promise" | "PromiseLike" => TypeShape::Promise {
                value: Box::new(self.arg(args, 0, scope, env)),
            },
            "Record" => TypeShape::Record {
                key: Box::new(self.arg(args, 0, scope, env)),
                value: Box::new(self.arg(args, 1, scope, env)),
            },
            "Map" | "ReadonlyMap" | "WeakMap" => TypeShape::Map {
                key: Box::new(self.arg(args, 0, scope, env)),
                value: Box::new(self.arg(args, 1, scope, env)),
            },
            "Set" | "ReadonlySet" | "WeakSet" => TypeShape::Set {
                element: Box::new(self.arg(args, 0, scope, env)),
            },
            "PropertyKey" => union(vec![
                TypeShape::String,
                TypeShape::Number,
                TypeShape::Symbol,
            ]),
            "Date" => TypeShape::Date,
            "RegExp" => TypeShape::Regexp,
            "Error" | "TypeError" | "RangeError" | "SyntaxError" | "ReferenceError"
            | "EvalError" | "URIError" | "AggregateError" => TypeShape::Error,
            "String" => TypeShape::String,
            "Number" => TypeShape::Number,
            "Boolean" => TypeShape::Boolean,
            "BigInt" => TypeShape::Bigint,
            "Symbol" => TypeShape::Symbol,
            "Object" => TypeShape::Object {
                name: None,
                properties: Vec::new(),
                index: None,
            },
            "Function" | "CallableFunction" => TypeShape::Function {
                params: vec![FunctionParamShape {
                    name: "args".to_string(),
                    shape: TypeShape::Any,
                    optional: true,
                    rest: true,
                }],
                returns: Box::new(TypeShape::Unknown),
            },
            "Partial" | "Required" | "Readonly" => {
                let inner = self.arg(args, 0, scope, env);
                map_properties(inner, name)
            }
            "NonNullable" => match self.arg(args, 0, scope, env) {
                TypeShape::Union { types } => union(
                    types
                        .into_iter()
                        .filter(|t| !matches!(t, TypeShape::Null | TypeShape::Undefined))
                        .collect(),
                ),
                other => other,
            },
            "Pick" | "Omit" => {
                let inner = self.arg(args, 0, scope, env);
                let keys = literal_strings(&self.arg(args, 1, scope, env));
                match (inner, keys) {
                    (
                        TypeShape::Object {
                            properties, index, ..
                        },
                        Some(keys),
                    ) => TypeShape::Object {
                        name: None,
                        properties: properties
                            .into_iter()
                            .filter(|p| keys.contains(&p.name) == (name == "Pick"))
                            .collect(),
                        index: if name == "Pick" { None } else { index },
                    },
                    _ => return Some(TypeShape::unresolved(display(name, args))),
                }
            }
            _ => return None,
        };
        Some(shape)
    }
}

/// The import a name that did not resolve comes through (`Database` or `Database.Database`): its module and the
/// name there. None for a name declared nowhere (an unbound generic) or a bare namespace import.
fn import_origin(name: &str, scope: &Module) -> Option<TypeOrigin> {
    let (head, rest) = match name.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (name, None),
    };
    let import = scope.types.imports.get(head)?;
    let name = match (import.imported.as_str(), rest) {
        ("*", Some(rest)) => rest.to_string(),
        ("*", None) => return None,
        (imported, Some(rest)) => format!("{imported}.{rest}"),
        (imported, None) => imported.to_string(),
    };
    Some(TypeOrigin {
        module: import.from.clone(),
        name,
    })
}

/// The module and local name behind an export, following `export { a as b } from` and `export * from` chains.
pub fn find_export(
    module: &Arc<Module>,
    wanted: &str,
    hops: usize,
) -> Option<(Arc<Module>, String)> {
    if hops > MAX_HOPS {
        return None;
    }
    if let Some(local) = module.types.local_of_export(wanted) {
        let local = local.to_string();
        // `import { X } from './a'; export { X }`: follow the import.
        if !module.types.decls.contains_key(&local) {
            if let Some(import) = module.types.imports.get(&local) {
                if import.imported != "*" {
                    let next = project::load_import(module, &import.from)?;
                    return find_export(&next, &import.imported, hops + 1);
                }
            }
        }
        return Some((module.clone(), local));
    }
    // A namespace member `N.X` of an exported namespace.
    if module.types.decls.contains_key(wanted) {
        if let Some((head, _)) = wanted.split_once('.') {
            if module.types.exports.contains_key(head) {
                return Some((module.clone(), wanted.to_string()));
            }
        }
    }
    for reexport in &module.types.reexports {
        let matches = reexport.name == wanted || reexport.name == "*";
        if !matches {
            continue;
        }
        let Some(next) = project::load_import(module, &reexport.from) else {
            continue;
        };
        let imported = if reexport.imported == "*" {
            wanted
        } else {
            reexport.imported.as_str()
        };
        if let Some(found) = find_export(&next, imported, hops + 1) {
            return Some(found);
        }
    }
    None
}

/// The export path of a class declared in a module, from its type-level exports.
pub fn class_export_path(scope: &Module, local: &str) -> Option<Vec<String>> {
    if scope.types.export_assignment.as_deref() == Some(local) {
        return Some(Vec::new());
    }
    let mut names: Vec<&String> = scope
        .types
        .exports
        .iter()
        .filter(|(_, l)| l.as_str() == local)
        .map(|(exported, _)| exported)
        .collect();
    names.sort();
    // Prefer a named export over `default` (both work; a name reads better).
    names
        .iter()
        .find(|n| n.as_str() != "default")
        .or(names.first())
        .map(|n| vec![n.to_string()])
}

fn merge_properties(into: &mut Vec<PropertyShape>, from: Vec<PropertyShape>) {
    for property in from {
        match into.iter_mut().find(|p| p.name == property.name) {
            Some(existing) => *existing = property,
            None => into.push(property),
        }
    }
}

fn map_properties(shape: TypeShape, utility: &str) -> TypeShape {
    match shape {
        TypeShape::Object {
            name,
            properties,
            index,
        } => TypeShape::Object {
            name: name.map(|n| format!("{utility}<{n}>")),
            properties: properties
                .into_iter()
                .map(|mut p| {
                    match utility {
                        "Partial" => p.optional = true,
                        "Required" => p.optional = false,
                        _ => p.readonly = true,
                    }
                    p
                })
                .collect(),
            index,
        },
        TypeShape::Array { element, .. } if utility == "Readonly" => TypeShape::Array {
            element,
            readonly: true,
        },
        other => other,
    }
}

/// The string literals of `'a' | 'b'` (None when it is anything else).
fn literal_strings(shape: &TypeShape) -> Option<Vec<String>> {
    match shape {
        TypeShape::Literal {
            value: LiteralValue::String(s),
            ..
        } => Some(vec![s.clone()]),
        TypeShape::Union { types } => {
            let mut out = Vec::new();
            for t in types {
                out.extend(literal_strings(t)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// A union, flattened and without duplicates; one member is that member.
/// An indexed access type (`T['key']`, `T[number]`, `T[0]`): the property, element or index value it names; None
/// when the object is not known that far (then the syntax stays unresolved).
fn look_up(object: TypeShape, index: &TypeShape) -> Option<TypeShape> {
    if let TypeShape::Union { types } = index {
        let found: Option<Vec<TypeShape>> =
            types.iter().map(|k| look_up(object.clone(), k)).collect();
        return found.map(union);
    }
    let maybe = |shape: TypeShape, optional: bool| {
        if optional {
            union(vec![shape, TypeShape::Undefined])
        } else {
            shape
        }
    };
    match (object, index) {
        (TypeShape::Union { types }, _) => {
            let found: Option<Vec<TypeShape>> =
                types.into_iter().map(|t| look_up(t, index)).collect();
            found.map(union)
        }
        (
            TypeShape::Object {
                properties,
                index: own_index,
                ..
            },
            TypeShape::Literal {
                value: LiteralValue::String(key),
                ..
            },
        ) => properties
            .into_iter()
            .find(|p| &p.name == key)
            .map(|p| maybe(p.shape, p.optional))
            .or_else(|| own_index.map(|i| *i.value)),
        (TypeShape::Object { index: Some(i), .. }, TypeShape::String | TypeShape::Number) => {
            Some(*i.value)
        }
        (TypeShape::Record { value, .. }, _) => Some(*value),
        (
            TypeShape::Array { element, .. },
            TypeShape::Number
            | TypeShape::Literal {
                value: LiteralValue::Number(_),
                ..
            },
        ) => Some(*element),
        (
            TypeShape::Tuple { elements },
            TypeShape::Literal {
                value: LiteralValue::Number(n),
                ..
            },
        ) => {
            let i = *n as usize;
            match elements.get(i) {
                Some(e) if !e.rest => Some(maybe(e.shape.clone(), e.optional)),
                _ => elements
                    .iter()
                    .find(|e| e.rest)
                    .map(|e| maybe(e.shape.clone(), true)),
            }
        }
        (TypeShape::Tuple { elements }, TypeShape::Number) => {
            Some(union(elements.into_iter().map(|e| e.shape).collect()))
        }
        _ => None,
    }
}

pub fn union(types: Vec<TypeShape>) -> TypeShape {
    let mut flat: Vec<TypeShape> = Vec::with_capacity(types.len());
    for t in types {
        match t {
            TypeShape::Union { types } => {
                for inner in types {
                    if !flat.contains(&inner) {
                        flat.push(inner);
                    }
                }
            }
            other => {
                if !flat.contains(&other) {
                    flat.push(other);
                }
            }
        }
    }
    if flat.len() == 1 {
        return flat.pop().unwrap_or(TypeShape::Never);
    }
    if flat.is_empty() {
        return TypeShape::Never;
    }
    TypeShape::Union { types: flat }
}

/// An intersection of objects is one object with all their properties; anything else stays an intersection.
fn intersection(types: Vec<TypeShape>) -> TypeShape {
    if types.len() == 1 {
        return types.into_iter().next().unwrap_or(TypeShape::Unknown);
    }
    if types.iter().all(|t| matches!(t, TypeShape::Object { .. })) {
        let mut properties = Vec::new();
        let mut index = None;
        for t in types {
            if let TypeShape::Object {
                properties: p,
                index: i,
                ..
            } = t
            {
                merge_properties(&mut properties, p);
                index = index.or(i);
            }
        }
        return TypeShape::Object {
            name: None,
            properties,
            index,
        };
    }
    TypeShape::Intersection { types }
}

/// Text of a named type for `unresolved` (arguments shortened).
fn display(name: &str, args: &[TypeExpr]) -> String {
    if args.is_empty() {
        return name.to_string();
    }
    let inner: Vec<String> = args
        .iter()
        .map(|a| match a {
            TypeExpr::Ref(n, a) => display(n, a),
            TypeExpr::Shape(s) => match serde_json::to_value(s).ok().and_then(|v| {
                v.get("code")
                    .or_else(|| v.get("kind"))
                    .and_then(|k| k.as_str().map(str::to_string))
            }) {
                Some(text) => text,
                None => "...".to_string(),
            },
            TypeExpr::Opaque(text) => text.clone(),
            _ => "...".to_string(),
        })
        .collect();
    format!("{name}<{}>", inner.join(", "))
}
