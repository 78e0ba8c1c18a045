//! Shapes for parameters without a usable declaration: what the parameter's usage (usage.rs hints and keys), its
//! default value, or its name (patterns/domain.rs) implies. The generator builds arguments from `Param.inferred`
//! exactly as from a declared `Param.shape`, so TypeScript never guesses a kind itself.
//!
//! The order is the strength of the evidence: a call means a function, array methods or iteration an array, string
//! methods a string, arithmetic or comparisons a number, property reads an object with those keys, `.length` alone
//! a string; then the default value's literal; then the name's domain. Nothing known: no inferred shape.

use crate::lint::patterns::domain::{param_domain, ParamDomain};
use crate::model::{Param, ParamUsage};
use crate::testgen::pattern_values::CaseValue;
use crate::testgen::types::{PropertyShape, TypeShape};

/// Fills `inferred`, `default_case` and `domain` of the parameters of one function.
pub fn fill_params(params: &mut [Param], usage: &[ParamUsage]) {
    for param in params.iter_mut() {
        param.default_case = param
            .default_value
            .as_deref()
            .map(|d| CaseValue::from_code(d, None));
        param.domain = param_domain(&param.name);
        if needs_inference(param.shape.as_ref()) {
            let used = usage.iter().find(|u| u.name == param.name);
            let shape = infer(
                used,
                param.default_case.as_ref(),
                param.default_value.as_deref(),
                param.domain.as_ref(),
            );
            param.inferred = match (param.rest, shape) {
                (true, Some(s @ TypeShape::Array { .. })) => Some(s),
                (true, s) => Some(array_of(s.unwrap_or(TypeShape::Any))),
                (false, s) => s,
            };
        }
    }
}

/// No declaration, one the core could not see into (a type from node_modules, a cut recursion), or one that says
/// little (`any`, `unknown`, the bare `object` / JSDoc `{Object}`): usage then tells more.
pub fn needs_inference(shape: Option<&TypeShape>) -> bool {
    match shape {
        None => true,
        Some(TypeShape::Unresolved { .. } | TypeShape::Ref { .. }) => true,
        Some(TypeShape::Any | TypeShape::Unknown) => true,
        Some(TypeShape::Object {
            properties, index, ..
        }) => properties.is_empty() && index.is_none(),
        Some(_) => false,
    }
}

fn array_of(element: TypeShape) -> TypeShape {
    TypeShape::Array {
        element: Box::new(element),
        readonly: false,
    }
}

fn has(usage: Option<&ParamUsage>, hint: &str) -> bool {
    usage.is_some_and(|u| u.hints.iter().any(|h| h == hint))
}

fn infer(
    usage: Option<&ParamUsage>,
    default: Option<&CaseValue>,
    default_text: Option<&str>,
    domain: Option<&ParamDomain>,
) -> Option<TypeShape> {
    if has(usage, "called") {
        return Some(TypeShape::Function {
            params: Vec::new(),
            returns: Box::new(TypeShape::Any),
        });
    }
    // A parameter whose kind the function tests at run time (`typeof x`, `Array.isArray(x)`, `x instanceof C`)
    // takes more than one kind, so what its other uses suggest (`x[i]` is an array, `x.length` a string) is only one
    // of them: only its default value or its name may still say more.
    if !has(usage, "type-tested") {
        if let Some(shape) = from_usage(usage) {
            return Some(shape);
        }
    }
    if let Some(shape) = default.and_then(|d| of_literal(d.literal.as_ref()?)) {
        return Some(shape);
    }
    let keys = usage.map_or(&[][..], |u| u.keys.as_slice());
    if default_text.is_some_and(|d| d.trim_start().starts_with('{')) {
        return Some(object_with(keys));
    }
    domain.and_then(|d| kind_shape(&d.kind))
}

/// What the parameter's uses say, strongest evidence first.
fn from_usage(usage: Option<&ParamUsage>) -> Option<TypeShape> {
    let string_method = has(usage, "string-method");
    if has(usage, "array-method")
        || has(usage, "iterated")
        || (has(usage, "index") && !string_method)
    {
        return Some(array_of(TypeShape::Any));
    }
    if string_method {
        return Some(TypeShape::String);
    }
    if has(usage, "arithmetic") || has(usage, "numeric-compare") || has(usage, "compare") {
        return Some(TypeShape::Number);
    }
    let keys = usage.map_or(&[][..], |u| u.keys.as_slice());
    if has(usage, "property") && !keys.is_empty() {
        return Some(object_with(keys));
    }
    if has(usage, "length") {
        return Some(TypeShape::String);
    }
    None
}

/// An object with the keys the function reads, each typed by its name's domain (or anything).
fn object_with(keys: &[String]) -> TypeShape {
    TypeShape::Object {
        name: None,
        properties: keys
            .iter()
            .map(|k| PropertyShape {
                name: k.clone(),
                shape: param_domain(k)
                    .and_then(|d| kind_shape(&d.kind))
                    .unwrap_or(TypeShape::Any),
                optional: false,
                readonly: false,
            })
            .collect(),
        index: None,
    }
}

fn kind_shape(kind: &str) -> Option<TypeShape> {
    match kind {
        "string" => Some(TypeShape::String),
        "number" => Some(TypeShape::Number),
        "boolean" => Some(TypeShape::Boolean),
        "date" => Some(TypeShape::Date),
        _ => None,
    }
}

fn of_literal(value: &serde_json::Value) -> Option<TypeShape> {
    match value {
        serde_json::Value::String(_) => Some(TypeShape::String),
        serde_json::Value::Number(_) => Some(TypeShape::Number),
        serde_json::Value::Bool(_) => Some(TypeShape::Boolean),
        serde_json::Value::Array(_) => Some(array_of(TypeShape::Any)),
        serde_json::Value::Object(o) => Some(object_with(&o.keys().cloned().collect::<Vec<_>>())),
        serde_json::Value::Null => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Language;
    use crate::testgen::types::TypeShape;

    fn params(source: &str) -> Vec<crate::model::Param> {
        let report = crate::analyze::analyze_text(
            source,
            "a.js",
            Language::Js,
            &crate::analyze::AnalyzeOptions::with_types(),
        );
        report.functions[0].params.clone()
    }

    #[test]
    fn usage_decides_before_defaults_and_names() {
        let p = params("export function f(cb, list, s, n, opts, flag = false, email) { cb(); list.map(x => x); s.trim(); n * 2; opts.limit; return email; }");
        let kinds: Vec<Option<TypeShape>> = p.iter().map(|p| p.inferred.clone()).collect();
        assert!(matches!(kinds[0], Some(TypeShape::Function { .. })));
        assert!(matches!(kinds[1], Some(TypeShape::Array { .. })));
        assert_eq!(kinds[2], Some(TypeShape::String));
        assert_eq!(kinds[3], Some(TypeShape::Number));
        match &kinds[4] {
            Some(TypeShape::Object { properties, .. }) => {
                assert_eq!(properties[0].name, "limit");
                assert_eq!(properties[0].shape, TypeShape::Number);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(kinds[5], Some(TypeShape::Boolean));
        assert_eq!(
            p[5].default_case.as_ref().unwrap().literal,
            Some(serde_json::json!(false))
        );
        assert_eq!(kinds[6], Some(TypeShape::String));
        assert_eq!(p[6].domain.as_ref().unwrap().name, "email");
    }

    #[test]
    fn a_parameter_whose_kind_is_tested_gets_no_single_kind() {
        // fast-deep-equal's shape: `a[i]` alone would make `a` an array, but the function also takes objects,
        // regular expressions and primitives, which it tells apart at run time.
        let p = params("export function eq(a, b, c, d = 1) { if (typeof a === 'object') return a[0] === b[0]; if (Array.isArray(b)) return b.length; if (c instanceof Date) return c.length; if (typeof d !== 'number') return d[0]; return a.length; }");
        let kinds: Vec<Option<TypeShape>> = p.iter().map(|p| p.inferred.clone()).collect();
        assert_eq!(kinds[0], None);
        assert_eq!(kinds[1], None);
        assert_eq!(kinds[2], None);
        assert_eq!(
            kinds[3],
            Some(TypeShape::Number),
            "a default value still says more"
        );
        let untested = params("export function first(a) { return a[0]; }");
        assert!(matches!(
            untested[0].inferred,
            Some(TypeShape::Array { .. })
        ));
    }

    #[test]
    fn vague_declarations_are_refined_by_usage() {
        let report = crate::analyze::analyze_text(
            "/**\n * @param {Object} opts\n * @param {*} s\n */\nexport function f(opts, s) { return opts.limit + s.trim(); }",
            "a.js",
            Language::Js,
            &crate::analyze::AnalyzeOptions::with_types(),
        );
        let p = &report.functions[0].params;
        assert!(
            matches!(p[0].inferred, Some(TypeShape::Object { ref properties, .. }) if properties[0].name == "limit")
        );
        assert_eq!(p[1].inferred, Some(TypeShape::String));
    }

    #[test]
    fn declared_shapes_are_not_second_guessed() {
        let report = crate::analyze::analyze_text(
            "export function f(a: number[], ...rest) { a.trim(); }",
            "a.ts",
            Language::Ts,
            &crate::analyze::AnalyzeOptions::with_types(),
        );
        let p = &report.functions[0].params;
        assert!(p[0].inferred.is_none());
        assert!(matches!(p[1].inferred, Some(TypeShape::Array { .. })));
    }
}
