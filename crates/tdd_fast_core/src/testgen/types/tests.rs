//! Fixture tests: TypeScript in, the resolved shapes out as JSON (reviewed as a diff, like insta snapshots).

use serde_json::{json, Value};

use crate::analyze::{analyze_text, AnalyzeOptions};
use crate::model::Language;

/// With the type model on, as test generation asks for it.
fn typed() -> AnalyzeOptions {
    AnalyzeOptions {
        types: true,
        ..Default::default()
    }
}

fn analyze(code: &str) -> crate::model::FileReport {
    analyze_text(code, "src/fixture.ts", Language::Ts, &typed())
}

/// The shape of parameter `param` of function `name`, as JSON.
fn param_shape(code: &str, name: &str, param: usize) -> Value {
    let report = analyze(code);
    let function = report
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"));
    serde_json::to_value(&function.params[param].shape).unwrap()
}

#[test]
fn primitives_and_keywords() {
    let code = "export function f(a: string, b: number, c: boolean, d: bigint, e: symbol, f: null, g: undefined, h: any, i: unknown, j: never, k: object, l: void) {}";
    let kinds: Vec<Value> = (0..12)
        .map(|i| param_shape(code, "f", i)["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![
            json!("string"),
            json!("number"),
            json!("boolean"),
            json!("bigint"),
            json!("symbol"),
            json!("null"),
            json!("undefined"),
            json!("any"),
            json!("unknown"),
            json!("never"),
            json!("object"),
            json!("void")
        ]
    );
    assert_eq!(
        param_shape(code, "f", 10),
        json!({"kind": "object", "name": null, "properties": [], "index": null})
    );
}

#[test]
fn literals_and_unions() {
    let code = "export function f(mode: 'a' | \"b\" | -1 | true | 10n | null) {}";
    assert_eq!(
        param_shape(code, "f", 0),
        json!({"kind": "union", "types": [
            {"kind": "literal", "value": "a", "code": "'a'"},
            {"kind": "literal", "value": "b", "code": "'b'"},
            {"kind": "literal", "value": -1.0, "code": "-1"},
            {"kind": "literal", "value": true, "code": "true"},
            {"kind": "literal", "value": "10", "code": "10n"},
            {"kind": "null"}
        ]})
    );
}

#[test]
fn arrays_and_tuples() {
    let code = "export function f(a: string[], b: readonly number[], c: Array<boolean>, d: ReadonlyArray<string>, e: [string, number?, ...boolean[]]) {}";
    assert_eq!(
        param_shape(code, "f", 0),
        json!({"kind": "array", "element": {"kind": "string"}, "readonly": false})
    );
    assert_eq!(
        param_shape(code, "f", 1),
        json!({"kind": "array", "element": {"kind": "number"}, "readonly": true})
    );
    assert_eq!(
        param_shape(code, "f", 2),
        json!({"kind": "array", "element": {"kind": "boolean"}, "readonly": false})
    );
    assert_eq!(
        param_shape(code, "f", 3),
        json!({"kind": "array", "element": {"kind": "string"}, "readonly": true})
    );
    assert_eq!(
        param_shape(code, "f", 4),
        json!({"kind": "tuple", "elements": [
            {"shape": {"kind": "string"}, "optional": false, "rest": false},
            {"shape": {"kind": "number"}, "optional": true, "rest": false},
            {"shape": {"kind": "boolean"}, "optional": false, "rest": true}
        ]})
    );
}

#[test]
fn object_literal_types_interfaces_and_aliases() {
    let code = "
interface Base { readonly id: string }
interface User extends Base { name: string; age?: number; greet(x: string): void }
type Opts = { pascalCase?: boolean; [key: string]: unknown };
export function f(u: User, o: Opts, inline: { a: number }) {}";
    assert_eq!(
        param_shape(code, "f", 0),
        json!({"kind": "object", "name": "User", "index": null, "properties": [
            {"name": "id", "shape": {"kind": "string"}, "optional": false, "readonly": true},
            {"name": "name", "shape": {"kind": "string"}, "optional": false, "readonly": false},
            {"name": "age", "shape": {"kind": "number"}, "optional": true, "readonly": false},
            {"name": "greet", "shape": {"kind": "function", "params": [
                {"name": "x", "shape": {"kind": "string"}, "optional": false, "rest": false}
            ], "returns": {"kind": "void"}}, "optional": false, "readonly": false}
        ]})
    );
    assert_eq!(
        param_shape(code, "f", 1),
        json!({"kind": "object", "name": "Opts", "properties": [
            {"name": "pascalCase", "shape": {"kind": "boolean"}, "optional": true, "readonly": false}
        ], "index": {"key": {"kind": "string"}, "value": {"kind": "unknown"}}})
    );
    assert_eq!(
        param_shape(code, "f", 2),
        json!({"kind": "object", "name": null, "index": null, "properties": [
            {"name": "a", "shape": {"kind": "number"}, "optional": false, "readonly": false}
        ]})
    );
}

#[test]
fn enums_and_classes() {
    let code = "
enum Color { Red, Green = 5, Blue }
enum Mode { On = 'on', Off = 'off' }
export class Point { constructor(public x: number) {} }
export function f(c: Color, m: Mode, p: Point, r: Color.Green) {}";
    assert_eq!(
        param_shape(code, "f", 0),
        json!({"kind": "enum", "name": "Color", "members": [
            {"name": "Red", "value": 0.0, "code": "0"},
            {"name": "Green", "value": 5.0, "code": "5"},
            {"name": "Blue", "value": 6.0, "code": "6"}
        ]})
    );
    assert_eq!(
        param_shape(code, "f", 1)["members"][1],
        json!({"name": "Off", "value": "off", "code": "'off'"})
    );
    assert_eq!(
        param_shape(code, "f", 2),
        json!({"kind": "class", "name": "Point", "path": "src/fixture.ts", "exportPath": ["Point"]})
    );
    assert_eq!(
        param_shape(code, "f", 3),
        json!({"kind": "literal", "value": 5.0, "code": "5"})
    );
}

#[test]
fn utility_types() {
    let code = "
interface User { id: string; name: string; age?: number }
export function f(a: Partial<User>, b: Required<User>, c: Readonly<User>, d: Pick<User, 'id' | 'age'>, e: Omit<User, 'id'>, g: Record<string, number>, h: NonNullable<string | null | undefined>) {}";
    let optional = |v: &Value| -> Vec<bool> {
        v["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["optional"].as_bool().unwrap())
            .collect()
    };
    let names = |v: &Value| -> Vec<String> {
        v["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(optional(&param_shape(code, "f", 0)), vec![true, true, true]);
    assert_eq!(
        optional(&param_shape(code, "f", 1)),
        vec![false, false, false]
    );
    assert!(param_shape(code, "f", 2)["properties"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["readonly"] == json!(true)));
    assert_eq!(names(&param_shape(code, "f", 3)), vec!["id", "age"]);
    assert_eq!(names(&param_shape(code, "f", 4)), vec!["name", "age"]);
    assert_eq!(
        param_shape(code, "f", 5),
        json!({"kind": "record", "key": {"kind": "string"}, "value": {"kind": "number"}})
    );
    assert_eq!(param_shape(code, "f", 6), json!({"kind": "string"}));
}

#[test]
fn built_in_objects() {
    let code = "export async function f(a: Date, b: RegExp, c: Map<string, number>, d: Set<number>, e: Promise<string>, g: Error, h: (x: number) => string): Promise<void> {}";
    assert_eq!(param_shape(code, "f", 0), json!({"kind": "date"}));
    assert_eq!(param_shape(code, "f", 1), json!({"kind": "regexp"}));
    assert_eq!(
        param_shape(code, "f", 2),
        json!({"kind": "map", "key": {"kind": "string"}, "value": {"kind": "number"}})
    );
    assert_eq!(
        param_shape(code, "f", 3),
        json!({"kind": "set", "element": {"kind": "number"}})
    );
    assert_eq!(
        param_shape(code, "f", 4),
        json!({"kind": "promise", "value": {"kind": "string"}})
    );
    assert_eq!(param_shape(code, "f", 5), json!({"kind": "error"}));
    assert_eq!(
        param_shape(code, "f", 6)["returns"],
        json!({"kind": "string"})
    );
    let report = analyze(code);
    assert_eq!(
        serde_json::to_value(&report.functions[0].returns).unwrap(),
        json!({"kind": "promise", "value": {"kind": "void"}})
    );
}

#[test]
fn recursion_is_cut_with_a_ref() {
    let code = "interface Tree { value: number; children: Tree[] }\nexport function f(t: Tree) {}";
    let shape = param_shape(code, "f", 0);
    assert_eq!(
        shape["properties"][1]["shape"],
        json!({"kind": "array", "element": {"kind": "ref", "name": "Tree"}, "readonly": false})
    );
}

#[test]
fn generics_are_bound_and_unknown_names_unresolved() {
    let code = "
type Box<T> = { value: T };
import { Thing } from 'some-package';
export function f<T>(a: Box<string>, b: Thing, c: T, d: keyof Box<number>) {}";
    assert_eq!(
        param_shape(code, "f", 0)["properties"][0]["shape"],
        json!({"kind": "string"})
    );
    assert_eq!(
        param_shape(code, "f", 1),
        json!({"kind": "unresolved", "text": "Thing", "origin": {"module": "some-package", "name": "Thing"}})
    );
    // A function's own unconstrained type parameter: a call infers it from the argument, so any value fits.
    assert_eq!(param_shape(code, "f", 2), json!({"kind": "unknown"}));
    assert_eq!(param_shape(code, "f", 3)["kind"], json!("unresolved"));
}

#[test]
fn a_function_type_parameter_is_its_constraint() {
    let code = "
interface Point { x: number }
export function f<K extends string, P extends Point, T>(a: K, b: P[], c: Array<T>) {}
export const g = <N extends number | bigint>(n: N): N => n;
export function firstOr<T>(items: T[], fallback: T): T { return items[0] ?? fallback; }";
    assert_eq!(param_shape(code, "f", 0), json!({"kind": "string"}));
    assert_eq!(param_shape(code, "f", 1)["element"]["name"], json!("Point"));
    assert_eq!(
        param_shape(code, "f", 2)["element"],
        json!({"kind": "unknown"})
    );
    assert_eq!(
        param_shape(code, "g", 0),
        json!({"kind": "union", "types": [{"kind": "number"}, {"kind": "bigint"}]})
    );
    // Two parameters of one free `T`: one concrete type, so the arguments agree.
    assert_eq!(
        param_shape(code, "firstOr", 0)["element"],
        json!({"kind": "number"})
    );
    assert_eq!(param_shape(code, "firstOr", 1), json!({"kind": "number"}));
}

#[test]
fn indexed_access_types_are_looked_up() {
    let code = "
interface Options { mode: 'a' | 'b'; size?: number; tags: string[]; pair: [string, number] }
type Params = { with: [Options, boolean] };
export function f(a: Options['mode'], b: Options['size'], c: Options['tags'][number], d: Params['with'][0], e: Options['pair'][1], g: Options['missing'], h: PropertyKey) {}";
    assert_eq!(param_shape(code, "f", 0)["kind"], json!("union"));
    assert_eq!(
        param_shape(code, "f", 1),
        json!({"kind": "union", "types": [{"kind": "number"}, {"kind": "undefined"}]})
    );
    assert_eq!(param_shape(code, "f", 2), json!({"kind": "string"}));
    assert_eq!(param_shape(code, "f", 3)["name"], json!("Options"));
    assert_eq!(param_shape(code, "f", 4), json!({"kind": "number"}));
    assert_eq!(
        param_shape(code, "f", 5),
        json!({"kind": "unresolved", "text": "Options['missing']"})
    );
    assert_eq!(
        param_shape(code, "f", 6),
        json!({"kind": "union", "types": [{"kind": "string"}, {"kind": "number"}, {"kind": "symbol"}]})
    );
}

#[test]
fn an_unresolved_import_keeps_its_module_and_name() {
    // What tells better-sqlite3's handle from a project's own `Database`: the import, whatever the local name.
    let code = "
import type { Database as Db } from 'better-sqlite3';
import Sqlite from 'better-sqlite3';
import * as pg from 'pg';
export function f(a: Db, b: Sqlite.Database, c: pg.Client, d: Missing) {}";
    let origin = |i| param_shape(code, "f", i)["origin"].clone();
    assert_eq!(
        origin(0),
        json!({"module": "better-sqlite3", "name": "Database"})
    );
    assert_eq!(
        origin(1),
        json!({"module": "better-sqlite3", "name": "default.Database"})
    );
    assert_eq!(origin(2), json!({"module": "pg", "name": "Client"}));
    assert_eq!(origin(3), Value::Null);
}

#[test]
fn a_huge_type_is_cut_by_the_limits() {
    // Each level doubles: without limits the shape would have 2^20 nodes.
    let mut code = String::from("type L0 = { a: string; b: string };\n");
    for i in 1..20 {
        code.push_str(&format!(
            "type L{i} = {{ a: L{}; b: L{} }};\n",
            i - 1,
            i - 1
        ));
    }
    code.push_str("export function f(x: L19) {}");
    let report = analyze(&code);
    let shape = report.functions[0].params[0].shape.as_ref().unwrap();
    assert!(
        shape.size() <= super::resolve::MAX_NODES * 2,
        "size {}",
        shape.size()
    );
    assert!(serde_json::to_string(shape).unwrap().contains("\"ref\""));
}

#[test]
fn no_annotation_is_null() {
    let report = analyze_text("export function f(a) {}", "a.js", Language::Js, &typed());
    assert_eq!(report.functions[0].params[0].shape, None);
}

#[test]
fn jsdoc_types_for_plain_javascript() {
    let code = "
/**
 * @param {string|number} input the value
 * @param {Array.<string>} [list] optional list
 * @param {Object} opts
 * @param {boolean} opts.loose
 * @param {?number} n
 * @returns {Object.<string, number>}
 */
function f(input, list, opts, n) {}
module.exports = f;";
    let report = analyze_text(code, "a.js", Language::Js, &typed());
    let f = &report.functions[0];
    let shapes: Vec<Value> = f
        .params
        .iter()
        .map(|p| serde_json::to_value(&p.shape).unwrap())
        .collect();
    assert_eq!(
        shapes[0],
        json!({"kind": "union", "types": [{"kind": "string"}, {"kind": "number"}]})
    );
    assert_eq!(
        shapes[1],
        json!({"kind": "array", "element": {"kind": "string"}, "readonly": false})
    );
    assert_eq!(shapes[2]["properties"][0]["name"], json!("loose"));
    assert_eq!(
        shapes[3],
        json!({"kind": "union", "types": [{"kind": "number"}, {"kind": "null"}]})
    );
    assert_eq!(
        serde_json::to_value(&f.returns).unwrap(),
        json!({"kind": "record", "key": {"kind": "string"}, "value": {"kind": "number"}})
    );
}

/// A project on disk with an importing file, an imported declaration, and a `.js` with its `.d.ts`.
fn project_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tdd-fast-types-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/model")).unwrap();
    std::fs::write(
        dir.join("src/model/index.ts"),
        "export interface User { name: string }\nexport type Id = string;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/app.ts"),
        "import type { User } from './model/index.js';\nexport function greet(user: User) { return user.name; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.js"),
        "function pad(text, width) { return text; }\nmodule.exports = { pad };\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.d.ts"),
        "export declare function pad(text: string, width?: number): string;\n",
    )
    .unwrap();
    dir
}

fn batch(dir: &std::path::Path) -> Vec<crate::model::FileReport> {
    let options = crate::batch::BatchOptions {
        root: dir.to_path_buf(),
        threads: 1,
        cache: crate::batch::CacheOptions {
            enabled: true,
            location: Some(dir.join("cache.bin")),
            limits: None,
        },
        analyze: typed(),
        ..Default::default()
    };
    crate::batch::analyze_paths(&[dir.join("src")], &options, None).files
}

fn shape_in(files: &[crate::model::FileReport], path: &str, function: &str, param: usize) -> Value {
    let file = files.iter().find(|f| f.path == path).unwrap();
    let f = file.functions.iter().find(|f| f.name == function).unwrap();
    serde_json::to_value(&f.params[param].shape).unwrap()
}

#[test]
fn imported_types_and_a_sibling_dts_resolve_and_a_warm_run_follows_a_changed_import() {
    let dir = project_dir("warm");
    let cold = batch(&dir);
    assert_eq!(
        shape_in(&cold, "src/app.ts", "greet", 0)["properties"][0]["name"],
        json!("name")
    );
    assert_eq!(
        shape_in(&cold, "src/lib.js", "pad", 0),
        json!({"kind": "string"})
    );
    assert_eq!(
        shape_in(&cold, "src/lib.js", "pad", 1),
        json!({"kind": "number"})
    );

    // Only the imported declaration file changes: the importing file's cached report must not be reused.
    std::fs::write(
        dir.join("src/model/index.ts"),
        "export interface User { name: string; email: string }\nexport type Id = string;\n",
    )
    .unwrap();
    let warm = batch(&dir);
    let names: Vec<Value> = shape_in(&warm, "src/app.ts", "greet", 0)["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("name"), json!("email")]);

    // The same for the `.d.ts` beside a `.js`.
    std::fs::write(
        dir.join("src/lib.d.ts"),
        "export declare function pad(text: string, width?: string): string;\n",
    )
    .unwrap();
    let again = batch(&dir);
    assert_eq!(
        shape_in(&again, "src/lib.js", "pad", 1),
        json!({"kind": "string"})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The type model is for generation: plain analysis (the default) reads no other file and resolves no shape, but
/// keeps each parameter's written type and the export paths (they come from the file itself).
#[test]
fn plain_analysis_reads_no_other_file_and_leaves_shapes_null() {
    let dir = project_dir("plain");
    let options = crate::batch::BatchOptions {
        root: dir.clone(),
        threads: 1,
        cache: crate::batch::CacheOptions {
            enabled: true,
            location: Some(dir.join("plain.bin")),
            limits: None,
        },
        ..Default::default()
    };
    let files = crate::batch::analyze_paths(&[dir.join("src")], &options, None).files;
    let app = files.iter().find(|f| f.path == "src/app.ts").unwrap();
    let greet = &app.functions[0];
    assert_eq!(greet.params[0].r#type.as_deref(), Some("User"));
    assert_eq!(greet.params[0].shape, None);
    assert_eq!(greet.export_path, Some(vec!["greet".to_string()]));
    assert!(greet.exported);
    let pad = files.iter().find(|f| f.path == "src/lib.js").unwrap();
    assert_eq!(pad.functions[0].params[0].shape, None);
    // What was read besides the analysed files is stored with each cache entry: nothing.
    let key = crate::cache::cache_key(&options.analyze.fingerprint());
    let (cache, _) =
        crate::cache::Cache::load(key, Some(dir.join("plain.bin")), Default::default());
    for file in &files {
        let entry = cache.lookup_hash(&file.path, &file.hash).unwrap();
        assert_eq!(entry.deps, Vec::<(String, String)>::new(), "{}", file.path);
    }
    // With the type model, the same files record what they read.
    let typed_files = batch(&dir);
    let key = crate::cache::cache_key(&typed().fingerprint());
    let (cache, _) =
        crate::cache::Cache::load(key, Some(dir.join("cache.types.bin")), Default::default());
    let app = typed_files.iter().find(|f| f.path == "src/app.ts").unwrap();
    let deps = &cache.lookup_hash(&app.path, &app.hash).unwrap().deps;
    assert_eq!(deps.len(), 1);
    assert!(deps[0].0.ends_with("index.ts"), "{deps:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_function_with_overloads_is_called_as_its_first_overload() {
    let code = "
export function pick(key: string): string;
export function pick(key: string, fallback: number): number;
export function pick(...args: any[]): unknown { return args[0]; }
export class When {
  constructor(year: number, month: number);
  constructor(era: string, year: number, month: number);
  constructor(...args: any[]) {}
  static of<T extends string>(unit: T): When;
  static of(unit: number, scale: number): When;
  static of(...args: any[]): When { return new When(1, 2); }
}";
    let report = analyze(code);
    let function = |name: &str| report.functions.iter().find(|f| f.name == name).unwrap();
    let pick = function("pick");
    assert_eq!(pick.params.len(), 1);
    assert_eq!(pick.params[0].name, "key");
    assert_eq!(pick.params[0].r#type.as_deref(), Some("string"));
    assert_eq!(
        serde_json::to_value(&pick.params[0].shape).unwrap(),
        json!({"kind": "string"})
    );
    assert_eq!(
        serde_json::to_value(&pick.returns).unwrap(),
        json!({"kind": "string"})
    );
    // The implementation's metrics still count its own parameters.
    assert_eq!(pick.metrics.params, 1);
    let of = function("When.of");
    assert_eq!(
        serde_json::to_value(&of.params[0].shape).unwrap(),
        json!({"kind": "string"})
    );
    let class = &report.classes[0];
    let names: Vec<&str> = class
        .constructor_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["year", "month"]);
    assert_eq!(
        serde_json::to_value(&class.constructor_params[1].shape).unwrap(),
        json!({"kind": "number"})
    );
    // Plain analysis keeps the implementation's parameters (it collects no overloads).
    let plain = analyze_text(
        code,
        "src/fixture.ts",
        Language::Ts,
        &AnalyzeOptions::default(),
    );
    assert_eq!(plain.functions[0].params[0].name, "args");
}

#[test]
fn a_namespace_imported_from_the_parent_folder_resolves() {
    let dir = std::env::temp_dir().join(format!("tdd-fast-types-{}-parent", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/lib")).unwrap();
    std::fs::write(
        dir.join("src/index.ts"),
        "export namespace Clock { export type Options = { overflow?: 'constrain' | 'reject' }; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib/add.ts"),
        "import type { Clock } from '..';\nexport function add(overflow: NonNullable<Clock.Options['overflow']>) { return overflow; }\n",
    )
    .unwrap();
    let files = batch(&dir);
    assert_eq!(
        shape_in(&files, "src/lib/add.ts", "add", 0),
        json!({"kind": "union", "types": [
            {"kind": "literal", "value": "constrain", "code": "'constrain'"},
            {"kind": "literal", "value": "reject", "code": "'reject'"}
        ]})
    );
    let _ = std::fs::remove_dir_all(&dir);
}
