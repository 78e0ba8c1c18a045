//! The owned result types. They serialize to the JSON output contract (version 1, camelCase) described in
//! docs/architecture.md; extend freely, never rename.

use serde::{Deserialize, Serialize};

pub const CONTRACT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ts,
    Tsx,
    Js,
    Jsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionKind {
    Function,
    Arrow,
    Method,
    Getter,
    Setter,
    Constructor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Param {
    /// The identifier, or the source text of a destructuring pattern.
    pub name: String,
    /// TypeScript type annotation text (without the colon).
    pub r#type: Option<String>,
    pub optional: bool,
    pub default_value: Option<String>,
    pub rest: bool,
    /// The resolved type (annotation, JSDoc, or the sibling `.d.ts`); `None` when nothing is known. See types/.
    #[serde(default, skip_serializing_if = "generation_only")]
    pub shape: Option<crate::testgen::types::TypeShape>,
    /// When `shape` is `None`: the shape the parameter's usage, default value or name implies (see types/infer.rs).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub inferred: Option<crate::testgen::types::TypeShape>,
    /// The default value as a structured value (`None` without a default).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub default_case: Option<crate::testgen::pattern_values::CaseValue>,
    /// What the parameter's name says it holds (patterns/domain.rs), with a typical value of that domain.
    #[serde(default, skip_serializing_if = "generation_only")]
    pub domain: Option<crate::lint::patterns::domain::ParamDomain>,
}

/// Per-function metrics. Each one means what the named ESLint / sonarjs rule reports (see docs/metrics.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// ESLint `complexity` (classic).
    pub cyclomatic: u32,
    /// eslint-plugin-sonarjs `cognitive-complexity`.
    pub cognitive: u32,
    /// ESLint `max-depth`.
    pub max_depth: u32,
    /// ESLint `max-params`.
    pub params: u32,
    /// ESLint `max-statements`.
    pub statements: u32,
    /// ESLint `max-lines-per-function` (default options).
    pub lines: u32,
    /// ESLint `max-nested-callbacks`: how deep this function sits in nested callbacks (0 when it is no callback).
    pub max_nested_callbacks: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeCase {
    pub id: String,
    pub line: u32,
    pub confidence: f64,
    pub subject: String,
    pub values: Vec<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// The parameter the case applies to (`None` when the subject is not a parameter).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub param: Option<String>,
    /// `values` as structured data: the JavaScript expression, its JSON value when it has one, and what it is.
    #[serde(default, skip_serializing_if = "generation_only")]
    pub cases: Vec<crate::lint::patterns::values::CaseValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionReport {
    pub name: String,
    pub kind: FunctionKind,
    /// The line ESLint reports for the function (the function's head).
    pub line: u32,
    pub end_line: u32,
    /// 1-based column of the head, in UTF-16 code units like ESLint.
    pub column: u32,
    /// First line of the whole function node (for methods: of the method definition).
    pub start_line: u32,
    pub exported: bool,
    pub r#async: bool,
    pub generator: bool,
    pub params: Vec<Param>,
    pub metrics: Metrics,
    pub patterns: Vec<EdgeCase>,
    /// Parameter usage and guard facts for test generation (see usage.rs).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub usage: Usage,
    /// The resolved return type (annotation, JSDoc `@returns`, or the sibling `.d.ts`).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub returns: Option<crate::testgen::types::TypeShape>,
    /// Property path from the module's export object to the function (for methods: to their class); `None` when
    /// the module does not export it. See exports.rs.
    #[serde(default)]
    pub export_path: Option<Vec<String>>,
    /// Literals the function's code compares against or uses, and strings its regex tests match (see constants.rs).
    #[serde(default, skip_serializing_if = "generation_only")]
    pub constants: Vec<crate::testgen::constants::Constant>,
    /// Type syntax held between the visitor pass and resolution (never serialized).
    #[serde(skip)]
    pub pending: Option<Box<crate::testgen::types::PendingFn>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileError {
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// The `parse-error` rule's severity (configurable; `error` by default).
    #[serde(default = "Severity::error")]
    pub severity: Severity,
}

impl FileError {
    pub fn whole_file(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// For serde defaults.
    pub fn error() -> Self {
        Severity::Error
    }

    pub fn warning() -> Self {
        Severity::Warning
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Smell {
    pub id: String,
    pub line: u32,
    /// 1-based column (UTF-16 code units, like ESLint) of the token the smell is about: the number of a
    /// `magic-number`, the head of a function for function rules, the `catch` of a catch clause.
    #[serde(default)]
    pub column: u32,
    pub end_line: u32,
    /// 1-based column just after the end of what the smell covers (ESLint's `endColumn`).
    #[serde(default)]
    pub end_column: u32,
    pub severity: Severity,
    pub message: String,
    pub function: Option<String>,
    pub value: f64,
    pub threshold: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    /// Relative to the project root, forward slashes.
    pub path: String,
    pub language: Language,
    /// Hex xxh3-64 of the file's bytes.
    pub hash: String,
    /// Physical lines in the file.
    pub lines: u32,
    pub errors: Vec<FileError>,
    pub functions: Vec<FunctionReport>,
    pub smells: Vec<Smell>,
    /// Size of every class in the file (for `large-class` and per-file class sizes).
    #[serde(default)]
    pub classes: Vec<ClassReport>,
    /// `esm`, `commonjs`, `umd` or `script` (see exports.rs).
    #[serde(default)]
    pub module_format: crate::testgen::exports::ModuleFormat,
    /// `export ... from` declarations, with the project-relative path of the file they name.
    #[serde(default)]
    pub reexports: Vec<crate::testgen::exports::ReExport>,
    /// The file's token fingerprint for cross-file duplicates. Not part of the JSON output: the batch moves it out of
    /// the report (and the cache stores it beside the report's JSON), see dupes.rs.
    #[serde(skip)]
    pub fingerprint: Option<Box<Fingerprint>>,
    /// Generation's facts were collected (`AnalyzeOptions::types`). Without them the JSON leaves out every field
    /// marked `generation_only` (usage, constants, shapes, structured values, domains) instead of writing them empty.
    #[serde(skip)]
    pub generation: bool,
}

impl Serialize for FileReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let _scope = generation_facts::Scope::enter(self.generation);
        FileReportJson {
            path: &self.path,
            language: self.language,
            hash: &self.hash,
            lines: self.lines,
            errors: &self.errors,
            functions: &self.functions,
            smells: &self.smells,
            classes: &self.classes,
            module_format: self.module_format,
            reexports: &self.reexports,
        }
        .serialize(serializer)
    }
}

/// `FileReport` as the JSON contract writes it (field order is the contract's).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileReportJson<'a> {
    path: &'a str,
    language: Language,
    hash: &'a str,
    lines: u32,
    errors: &'a [FileError],
    functions: &'a [FunctionReport],
    smells: &'a [Smell],
    classes: &'a [ClassReport],
    module_format: crate::testgen::exports::ModuleFormat,
    reexports: &'a [crate::testgen::exports::ReExport],
}

/// Serde's `skip_serializing_if` for the fields only test generation reads: true while a report without them is being
/// written (the analysis JSON of `analyze`, the editor, the API without `types`). Outside a `FileReport` (a function
/// serialized alone) nothing is skipped.
pub fn generation_only<T>(_: &T) -> bool {
    generation_facts::skipped()
}

mod generation_facts {
    use std::cell::Cell;

    thread_local! {
        static SKIPPED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn skipped() -> bool {
        SKIPPED.with(Cell::get)
    }

    /// Set for one report's serialization; the previous state comes back on drop (also when serializing fails).
    pub struct Scope(bool);

    impl Scope {
        pub fn enter(generation: bool) -> Self {
            Scope(SKIPPED.with(|s| s.replace(!generation)))
        }
    }

    impl Drop for Scope {
        fn drop(&mut self) {
            SKIPPED.with(|s| s.set(self.0));
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassReport {
    pub name: String,
    pub line: u32,
    pub end_line: u32,
    /// Methods, accessors, properties, the constructor and static blocks.
    pub members: u32,
    pub lines: u32,
    /// Property path from the module's export object to the class; `None` when not exported.
    #[serde(default)]
    pub export_path: Option<Vec<String>>,
    #[serde(default)]
    pub constructor_params: Vec<Param>,
    #[serde(default)]
    pub fields: Vec<crate::testgen::exports::ClassField>,
    #[serde(default)]
    pub methods: Vec<crate::testgen::exports::ClassMethod>,
    /// A `function X(a) { this.a = a }` with `X.prototype.m = ...` methods.
    #[serde(default)]
    pub function_constructor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateLocation {
    pub path: String,
    pub line: u32,
    pub end_line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    pub lines: u32,
    pub tokens: u32,
    pub locations: Vec<DuplicateLocation>,
    /// The `duplicate-code` rule's severity (configurable; `warning` by default).
    #[serde(default = "Severity::warning")]
    pub severity: Severity,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheSummary {
    pub hits: u64,
    pub misses: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub files: u32,
    pub functions: u32,
    pub smells: u32,
    pub errors: u32,
    pub cache: CacheSummary,
    pub ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisResult {
    pub version: u32,
    pub files: Vec<FileReport>,
    pub duplicates: Vec<Duplicate>,
    pub summary: Summary,
}

// Shared with the modules that fill them (usage.rs, dupes.rs), kept here so that model depends on nothing.

/// Facts about one function that test generation needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// One entry per simple (identifier) parameter, in order, when it is used at all.
    pub params: Vec<ParamUsage>,
    /// `if (...) throw/return` statements directly in the function body, in source order.
    pub guards: Vec<Guard>,
    /// The function reads `this` (outside nested non-arrow functions).
    pub uses_this: bool,
    /// The function (or the class of the method) is the module's default export: `export default function f`,
    /// `export default class C`, `module.exports = function f`.
    pub default_export: bool,
    /// `instance` or `static` for class methods; `None` otherwise (object methods, plain functions).
    pub class_member: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamUsage {
    pub name: String,
    /// Sorted, unique: `length`, `index`, `arithmetic`, `numeric-compare`, `string-method`, `array-method`,
    /// `iterated`, `called`, `property`, `spread`, `type-tested` (`typeof x`, `Array.isArray(x)`, `x instanceof C`).
    pub hints: Vec<String>,
    /// Property names read from the parameter (`opts.limit` => `limit`), excluding `length` and method calls.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guard {
    pub line: u32,
    /// `throw` or `return`.
    pub action: String,
    /// Source text of the whole condition.
    pub condition: String,
    /// The simple tests the condition was decomposed into.
    pub conditions: Vec<GuardCondition>,
    /// true: the tests are joined by `||` (any one takes the guard); false: a single test.
    pub any: bool,
    /// Every part of the condition was understood (false: only some `||` parts were).
    pub complete: bool,
    /// Only guards precede this statement in the function body (so the earlier statements cannot change the params).
    pub leading: bool,
    /// `throw new TypeError(...)` => `TypeError`.
    pub error: Option<String>,
    /// The message when it is a plain string literal (or a template without substitutions).
    pub message: Option<String>,
    /// Source text of the returned expression (`None` for a bare `return;`, which returns undefined).
    pub returns: Option<String>,
    /// The returned expression is a literal (string, number, boolean, null, undefined, `[]`, `{}`, regex-free).
    pub returns_literal: bool,
    /// The returned expression is one of the parameters, unchanged.
    pub returns_param: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardCondition {
    /// The parameter tested.
    pub subject: String,
    /// `length` when the test is on `subject.length`.
    pub path: Option<String>,
    /// falsy, truthy, nullish, not-nullish, null, undefined, typeof-eq, typeof-ne, eq, ne, lt, le, gt, ge,
    /// is-array, not-array, nan, not-finite, not-integer.
    pub op: String,
    /// Source text of the compared value (`'string'`, `0`, `'admin'`), when the op has one.
    pub value: Option<String>,
    /// `value` as a structured value (filled after the pass, see pattern_values.rs).
    #[serde(default)]
    pub value_case: Option<crate::testgen::pattern_values::CaseValue>,
}

/// A file's normalised token stream: `codes[i]` is token i's code, `lines[i]` its 1-based line.
///
/// Its (de)serialization lives in dupes.rs beside the encoding. Serialized compactly (the cache stores one per file): the codes as one byte string, the lines as LEB128 varints
/// of the difference to the previous token's line (lines never decrease, so nearly every delta is one byte).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    pub codes: Vec<u8>,
    pub lines: Vec<u32>,
}
