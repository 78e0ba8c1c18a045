//! The file-level step after the visitor pass: export paths onto functions and classes, then every parameter,
//! return type, constructor parameter and field resolved to a `TypeShape`, from (in order) its annotation, its JSDoc,
//! or the `.d.ts` beside a `.js` file. Without the type model (`resolve` false, plain analysis) only the first part
//! runs: export paths, classes and their members, re-exports; shapes stay `None` and no other file is read.

use std::sync::Arc;

use super::jsdoc::{self, JsDoc};
use super::project::{self, Module};
use super::resolve::{find_export, Resolver};
use super::syntax::{ClassDecl, Decl, FnSig, ParamExpr, TypeExpr};
use super::{FileInputs, TypeShape};
use crate::model::{ClassReport, FunctionKind, FunctionReport, Language, Param};
use crate::testgen::exports::{ClassField, ModuleFormat, ReExport};

/// Applies module shapes (and, with `resolve`, types) to a file's functions and classes; returns the format and
/// re-exports.
pub fn finish(
    text: &str,
    shown: &str,
    language: Language,
    functions: &mut [FunctionReport],
    classes: &mut Vec<ClassReport>,
    resolve: bool,
    inputs: FileInputs,
) -> (ModuleFormat, Vec<ReExport>) {
    let FileInputs {
        types,
        shape,
        class_facts,
        jsdoc: jsdoc_spans,
    } = inputs;
    let context = project::current();
    let module = Module {
        types,
        shown: Some(shown.to_string()),
        abs: context.as_ref().map(|c| c.0.clone()),
    };
    let is_js = matches!(language, Language::Js | Language::Jsx);
    let declaration = if is_js && resolve {
        module
            .abs
            .as_deref()
            .and_then(project::sibling_declaration)
            .and_then(|p| project::load_path(&p))
    } else {
        None
    };
    let mut resolver = Shapes(resolve.then(Resolver::new));

    for function in functions.iter_mut() {
        let Some(pending) = function.pending.take() else {
            continue;
        };
        if let Some((path, member)) = shape.functions.get(&pending.node_start) {
            function.export_path = Some(path.clone());
            if function.usage.class_member.is_none() {
                function.usage.class_member = member.map(str::to_string);
            }
        }
        function.exported = function.export_path.is_some();
        function.usage.default_export = function
            .export_path
            .as_ref()
            .is_some_and(|p| p.is_empty() || (p.len() == 1 && p[0] == "default"));

        let doc: Option<JsDoc> = if is_js {
            jsdoc::block_before(text, &jsdoc_spans, pending.anchor).and_then(jsdoc::parse)
        } else {
            None
        };
        let declared = declaration
            .as_ref()
            .and_then(|d| declared_signature(d, function));
        let type_params = super::syntax::bound_type_params(&pending.type_params, &pending.params);
        for (i, param) in function.params.iter_mut().enumerate() {
            if let Some(Some(expr)) = pending.params.get(i) {
                param.shape = resolver.shape_generic(expr, &module, &type_params);
            } else if let Some(p) = doc.as_ref().and_then(|d| d.param(&param.name)) {
                param.shape = resolver.shape(&p.ty, &module);
            } else if let Some((dts, sig)) = &declared {
                let by_name = sig.params.iter().find(|p| p.name == param.name);
                if let Some(ty) = by_name.or(sig.params.get(i)).and_then(|p| p.ty.as_ref()) {
                    param.shape = resolver.shape(ty, dts);
                }
            }
        }
        function.returns = if let Some(expr) = &pending.returns {
            resolver.shape_generic(expr, &module, &type_params)
        } else if let Some(expr) = doc.as_ref().and_then(|d| d.returns.as_ref()) {
            resolver.shape(expr, &module)
        } else if let Some((dts, sig)) = &declared {
            sig.returns.as_ref().and_then(|r| resolver.shape(r, dts))
        } else {
            None
        };
        if let Some(first) = module
            .types
            .overloads
            .get(&pending.node_start)
            .and_then(|o| o.first())
        {
            called_as_overload(function, first, &module, &mut resolver);
        }
    }

    // Classes declared with `class`, in the visitor's order (one ClassFacts per ClassReport).
    for (class, facts) in classes.iter_mut().zip(class_facts) {
        class.export_path = shape.class_paths.get(&facts.start).cloned();
        class.methods = facts.methods;
        let from_dts = declaration.as_ref().and_then(|d| {
            class
                .export_path
                .as_ref()
                .and_then(|p| declared_class(d, p))
        });
        let (decl, scope): (&ClassDecl, &Module) = match &from_dts {
            Some((dts, decl)) => (decl, dts),
            None => (&facts.decl, &module),
        };
        class.fields = fields(decl, scope, &mut resolver);
        class.constructor_params = constructor_params(class, functions, decl, scope, &mut resolver);
    }
    // Function-constructor classes (not `class` nodes, so the visitor made no ClassReport for them).
    for info in shape.classes {
        let mut report = ClassReport {
            name: info.name.clone(),
            line: info.line,
            end_line: info.end_line,
            members: (info.methods.len() + info.decl.fields.len() + 1) as u32,
            lines: info.end_line + 1 - info.line,
            export_path: info.export_path.clone(),
            methods: info.methods.clone(),
            function_constructor: true,
            ..Default::default()
        };
        let from_dts = declaration
            .as_ref()
            .and_then(|d| info.export_path.as_ref().and_then(|p| declared_class(d, p)));
        let mut fields_out = fields(&info.decl, &module, &mut resolver);
        if let Some((dts, decl)) = &from_dts {
            for field in fields(decl, dts, &mut resolver) {
                match fields_out.iter_mut().find(|f| f.name == field.name) {
                    Some(existing) => *existing = field,
                    None => fields_out.push(field),
                }
            }
        }
        report.fields = fields_out;
        report.constructor_params = functions
            .iter()
            .find(|f| {
                f.kind == FunctionKind::Function && f.name == info.name && f.line == info.line
            })
            .map(|f| f.params.clone())
            .unwrap_or_default();
        if let Some((dts, decl)) = &from_dts {
            if let Some(sig) = &decl.constructor {
                fill_missing_shapes(&mut report.constructor_params, sig, dts, &mut resolver);
            }
        }
        classes.push(report);
    }

    let reexports = shape
        .reexports
        .into_iter()
        .map(|(name, from, imported)| {
            let resolved = module
                .abs
                .as_deref()
                .and_then(|abs| project::resolve_specifier(abs, &from))
                .zip(context.as_ref())
                .map(|(path, (_, root))| crate::source::display_path(&path, root));
            ReExport {
                name,
                from: resolved.unwrap_or(from),
                imported,
            }
        })
        .collect();
    (shape.format, reexports)
}

/// A function declared with overloads is called as its first overload says (callers cannot call the implementation's
/// own signature, and the first overload is the form its author put forward): its parameters and return type become
/// that overload's. Only with the type model: plain analysis keeps the implementation's parameters (overloads are
/// collected only then).
fn called_as_overload(
    function: &mut FunctionReport,
    overload: &super::syntax::Overload,
    module: &Module,
    resolver: &mut Shapes,
) {
    if resolver.0.is_none() {
        return;
    }
    let type_params = super::syntax::bound_type_params(&overload.type_params, &overload.types);
    function.params = overload
        .params
        .iter()
        .zip(&overload.types)
        .map(|(param, ty)| Param {
            shape: ty
                .as_ref()
                .and_then(|t| resolver.shape_generic(t, module, &type_params)),
            ..param.clone()
        })
        .collect();
    function.returns = overload
        .returns
        .as_ref()
        .and_then(|r| resolver.shape_generic(r, module, &type_params));
}

/// The resolver when the type model was asked for; without it every shape is `None`.
struct Shapes(Option<Resolver>);

impl Shapes {
    fn shape(&mut self, expr: &TypeExpr, scope: &Module) -> Option<TypeShape> {
        self.0.as_mut().map(|r| r.shape(expr, scope))
    }

    fn shape_generic(
        &mut self,
        expr: &TypeExpr,
        scope: &Module,
        params: &[super::syntax::TypeParam],
    ) -> Option<TypeShape> {
        self.0
            .as_mut()
            .map(|r| r.shape_generic(expr, scope, params))
    }
}

fn fields(decl: &ClassDecl, scope: &Module, resolver: &mut Shapes) -> Vec<ClassField> {
    decl.fields
        .iter()
        .map(|f| ClassField {
            name: f.name.clone(),
            shape: f.ty.as_ref().and_then(|t| resolver.shape(t, scope)),
            r#static: f.is_static,
            readonly: f.readonly,
            optional: f.optional,
            private: f.private,
        })
        .collect()
}

/// The constructor's parameters: from the reported constructor function when there is one (its params are already
/// resolved, JSDoc included), else from the declaration (a `.d.ts`, or an inherited-less class with none: `[]`).
fn constructor_params(
    class: &ClassReport,
    functions: &[FunctionReport],
    decl: &ClassDecl,
    scope: &Module,
    resolver: &mut Shapes,
) -> Vec<Param> {
    let prefix = format!("{}.", class.name);
    let own = functions.iter().find(|f| {
        f.kind == FunctionKind::Constructor
            && f.line >= class.line
            && f.line <= class.end_line
            && f.name.starts_with(&prefix)
    });
    let mut params = match own {
        Some(f) => f.params.clone(),
        None => decl
            .constructor
            .as_ref()
            .map(|sig| sig.params.iter().map(param_of).collect())
            .unwrap_or_default(),
    };
    if let Some(sig) = &decl.constructor {
        fill_missing_shapes(&mut params, sig, scope, resolver);
    }
    params
}

fn param_of(p: &ParamExpr) -> Param {
    Param {
        name: p.name.clone(),
        r#type: None,
        optional: p.optional,
        default_value: None,
        rest: p.rest,
        shape: None,
        inferred: None,
        default_case: None,
        domain: None,
    }
}

fn fill_missing_shapes(params: &mut [Param], sig: &FnSig, scope: &Module, resolver: &mut Shapes) {
    for (i, param) in params.iter_mut().enumerate() {
        if param.shape.is_some() {
            continue;
        }
        let by_name = sig.params.iter().find(|p| p.name == param.name);
        if let Some(ty) = by_name.or(sig.params.get(i)).and_then(|p| p.ty.as_ref()) {
            param.shape = resolver.shape(ty, scope);
        }
    }
}

/// The local name an export path leads to in a declaration file (`[]` = `export =`, `["N", "f"]` = namespace member).
fn local_for_path(dts: &Arc<Module>, path: &[String]) -> Option<(Arc<Module>, String)> {
    match path {
        [] => {
            let local = dts
                .types
                .export_assignment
                .clone()
                .or_else(|| dts.types.exports.get("default").cloned())?;
            Some((dts.clone(), local))
        }
        [first, rest @ ..] => {
            let (module, local) = find_export(dts, first, 0).or_else(|| {
                // `export = N` with `declare namespace N { function f() }`: `f` is `N.f`.
                let assigned = dts.types.export_assignment.clone()?;
                Some((dts.clone(), format!("{assigned}.{first}")))
            })?;
            let mut local = local;
            for part in rest {
                local = format!("{local}.{part}");
            }
            Some((module, local))
        }
    }
}

/// The declared signature of a function in the sibling `.d.ts`, by its export path (and its class member name).
fn declared_signature(
    dts: &Arc<Module>,
    function: &FunctionReport,
) -> Option<(Arc<Module>, FnSig)> {
    let path = function.export_path.as_ref()?;
    if function.usage.class_member.is_some() || function.kind == FunctionKind::Constructor {
        let (module, decl) = declared_class(dts, path)?;
        if function.kind == FunctionKind::Constructor {
            return decl.constructor.clone().map(|s| (module, s));
        }
        let wanted_static = function.usage.class_member.as_deref() == Some("static");
        let method = function.name.rsplit('.').next()?;
        let sig = decl
            .methods
            .iter()
            .find(|(n, s, _)| n == method && *s == wanted_static)
            .or_else(|| decl.methods.iter().find(|(n, _, _)| n == method))
            .map(|(_, _, sig)| sig.clone());
        // A function-constructor's own function is the class: its signature is the constructor's.
        let sig = sig.or_else(|| {
            (function.kind == FunctionKind::Function)
                .then(|| decl.constructor.clone())
                .flatten()
        })?;
        return Some((module, sig));
    }
    let (module, local) = local_for_path(dts, path)?;
    if let Some(sig) = module.types.functions.get(&local) {
        return Some((module.clone(), sig.clone()));
    }
    // `declare const f: (a: string) => number`
    if let Some(TypeExpr::Function(params, returns)) = module.types.values.get(&local) {
        let sig = FnSig {
            params: params.clone(),
            returns: Some((**returns).clone()),
        };
        return Some((module.clone(), sig));
    }
    // A class exported at that path: the function is its constructor function.
    if let Some(Decl::Class(decl)) = module.types.decls.get(&local) {
        return decl.constructor.clone().map(|s| (module.clone(), s));
    }
    None
}

fn declared_class(dts: &Arc<Module>, path: &[String]) -> Option<(Arc<Module>, ClassDecl)> {
    let (module, local) = local_for_path(dts, path)?;
    match module.types.decls.get(&local) {
        Some(Decl::Class(decl)) => Some((module.clone(), (**decl).clone())),
        Some(Decl::Interface { body, .. }) => {
            // `interface X { ... }` + `declare var X: { new (...): X }` is common; use the interface's members.
            let _ = body;
            None
        }
        _ => None,
    }
}

#[allow(dead_code)]
fn is_unknown(shape: &TypeShape) -> bool {
    matches!(shape, TypeShape::Unknown | TypeShape::Any)
}
