//! Fixture tests for the function inventory: every function form, TS generics/overloads/decorators, JSX, recovery.

use tdd_fast_core::{analyze_text, FileReport, FunctionKind, FunctionReport, Language};

fn analyze_fixture(name: &str, language: Language) -> FileReport {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    analyze_text(&text, name, language, &Default::default())
}

fn find<'r>(report: &'r FileReport, name: &str) -> &'r FunctionReport {
    report
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| {
            let names: Vec<_> = report.functions.iter().map(|f| f.name.as_str()).collect();
            panic!("no function {name} in {names:?}")
        })
}

#[test]
fn every_function_form_is_inventoried_with_its_name_and_kind() {
    let report = analyze_fixture("inventory.ts", Language::Ts);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let summary: Vec<(String, FunctionKind, bool)> = report
        .functions
        .iter()
        .map(|f| (f.name.clone(), f.kind, f.exported))
        .collect();
    let expected: Vec<(&str, FunctionKind, bool)> = vec![
        ("plain", FunctionKind::Function, true),
        ("default", FunctionKind::Function, true),
        ("arrow", FunctionKind::Arrow, true),
        ("notExported", FunctionKind::Function, true),
        ("generate", FunctionKind::Function, false),
        ("Cart.handler", FunctionKind::Arrow, true),
        ("Cart.constructor", FunctionKind::Constructor, true),
        ("Cart.total", FunctionKind::Method, true),
        ("Cart.size", FunctionKind::Getter, true),
        ("Cart.size", FunctionKind::Setter, true),
        ("Cart.create", FunctionKind::Method, true),
        ("overloaded", FunctionKind::Function, true),
        ("api.fetch", FunctionKind::Method, false),
        ("api.nested.deep", FunctionKind::Arrow, false),
        ("api.ready", FunctionKind::Getter, false),
        ("module.exports.helper", FunctionKind::Function, true),
        ("<anonymous>", FunctionKind::Arrow, false),
    ];
    let expected: Vec<(String, FunctionKind, bool)> = expected
        .into_iter()
        .map(|(n, k, e)| (n.to_string(), k, e))
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn overload_signatures_are_not_functions_only_the_implementation_is() {
    let report = analyze_fixture("inventory.ts", Language::Ts);
    let overloads: Vec<_> = report
        .functions
        .iter()
        .filter(|f| f.name == "overloaded")
        .collect();
    assert_eq!(overloads.len(), 1);
    assert_eq!(overloads[0].line, 40);
}

#[test]
fn params_keep_types_defaults_rest_and_destructuring_text() {
    let report = analyze_fixture("inventory.ts", Language::Ts);
    let plain = find(&report, "plain");
    assert_eq!(plain.params[0].name, "a");
    assert_eq!(plain.params[0].r#type.as_deref(), Some("number"));
    assert!(!plain.params[0].optional);
    assert!(plain.params[1].optional);

    let arrow = find(&report, "arrow");
    assert!(arrow.r#async);
    assert_eq!(arrow.params[0].default_value.as_deref(), Some("[]"));
    assert_eq!(arrow.params[0].r#type.as_deref(), Some("T[]"));
    assert!(arrow.params[1].rest);
    assert_eq!(arrow.params[1].name, "rest");
    assert_eq!(arrow.params[1].r#type.as_deref(), Some("unknown[]"));

    let named = find(&report, "notExported");
    assert_eq!(named.params[0].name, "{ id, name }");
    assert_eq!(
        named.params[0].r#type.as_deref(),
        Some("{ id: number; name: string }")
    );

    let generate = find(&report, "generate");
    assert!(generate.generator);
    assert_eq!(generate.params[0].default_value.as_deref(), Some("10"));

    let constructor = find(&report, "Cart.constructor");
    assert_eq!(constructor.params[0].name, "tax");
}

#[test]
fn positions_follow_eslint_heads() {
    let report = analyze_fixture("inventory.ts", Language::Ts);
    let plain = find(&report, "plain");
    assert_eq!((plain.line, plain.column, plain.end_line), (3, 8, 5));
    // Arrows are reported at their `=>`; the decorated method at its definition (decorator included).
    let arrow = find(&report, "arrow");
    assert_eq!((arrow.line, arrow.column), (11, 84));
    let total = find(&report, "Cart.total");
    assert_eq!((total.line, total.column, total.start_line), (26, 3, 26));
    assert_eq!(total.metrics.lines, 3);
}

#[test]
fn jsx_components_and_inline_handlers_are_found() {
    let report = analyze_fixture("component.tsx", Language::Tsx);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let names: Vec<_> = report.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["Button", "<anonymous>", "List", "<anonymous>"]);
    assert_eq!(find(&report, "List").params[0].name, "{ items }");
    assert_eq!(report.functions[3].metrics.max_nested_callbacks, 1);
}

#[test]
fn syntax_errors_are_reported_and_the_rest_of_the_file_is_still_inventoried() {
    let report = analyze_fixture("broken.ts", Language::Ts);
    assert!(!report.errors.is_empty());
    assert!(report.errors[0].line >= 5, "{:?}", report.errors);
    assert!(report.functions.iter().any(|f| f.name == "before"));
}

#[test]
fn the_same_text_gives_the_same_hash_and_a_change_gives_another() {
    let a = analyze_text("let a = 1;", "a.js", Language::Js, &Default::default());
    let b = analyze_text("let a = 1;", "b.js", Language::Js, &Default::default());
    let c = analyze_text("let a = 2;", "a.js", Language::Js, &Default::default());
    assert_eq!(a.hash, b.hash);
    assert_ne!(a.hash, c.hash);
    assert_eq!(a.lines, 1);
}
