//! Types as data: every parameter, return value, class constructor and field gets a resolved [`TypeShape`], so the
//! TypeScript front never parses type text.
//!
//! The work happens in three steps, one module each:
//!
//! - [`syntax`]: while the file's AST is alive, type annotations are lowered to owned [`syntax::TypeExpr`] trees and
//!   the file's declarations (interfaces, type aliases, enums, classes, `declare function` signatures, imports and
//!   exports of names) are collected into a [`syntax::FileTypes`]. No resolution yet, nothing borrowed.
//! - [`resolve`]: after the pass, a `TypeExpr` becomes a `TypeShape` by looking names up: type parameters, the
//!   file's own declarations, relative imports (through [`project`]), then the built-in and utility types (`Partial`,
//!   `Required`, `Readonly`, `Pick`, `Omit`, `Record`, `Array`, `ReadonlyArray`, `Promise`, `NonNullable`, `Date`, ...).
//!   Depth and size limits cut huge types (`{ kind: "ref" }`), and so does recursion.
//! - [`project`]: other files of the project, read and reduced to their declarations on demand (imported files, the
//!   `.d.ts` beside a `.js` file), memoised by content hash. Every file read this way is a dependency of the report:
//!   the batch stores the dependencies' hashes with the cache entry and re-analyses when one of them changed.
//! - [`aliases`]: tsconfig `paths`, so a type imported through `@domain/money` resolves like a relative import.
//! - [`jsdoc`]: `@param {type} name` / `@returns {type}` of plain JavaScript, parsed as TypeScript type text.
//!
//! Serialized internally tagged by `kind`, camelCase (see docs/architecture.md, "TypeShape").

use serde::{Deserialize, Serialize};

pub mod aliases;
pub mod infer;
pub mod jsdoc;
pub mod project;
pub mod resolve;
pub mod syntax;

/// A resolved type (the contract's `TypeShape`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum TypeShape {
    String,
    Number,
    Boolean,
    Bigint,
    Symbol,
    Null,
    Undefined,
    Void,
    Any,
    Unknown,
    Never,
    /// `{ kind: "object" }` with properties (interfaces, type literals, aliases of them). The bare `object` keyword
    /// and `Object` are an object with no properties and no index signature.
    Object {
        name: Option<String>,
        properties: Vec<PropertyShape>,
        index: Option<IndexShape>,
    },
    Literal {
        value: LiteralValue,
        /// JavaScript source of the value: `'a'`, `-1`, `true`, `10n`.
        code: String,
    },
    Union {
        types: Vec<TypeShape>,
    },
    Intersection {
        types: Vec<TypeShape>,
    },
    Array {
        element: Box<TypeShape>,
        readonly: bool,
    },
    Tuple {
        elements: Vec<TupleElement>,
    },
    Record {
        key: Box<TypeShape>,
        value: Box<TypeShape>,
    },
    Function {
        params: Vec<FunctionParamShape>,
        returns: Box<TypeShape>,
    },
    Date,
    Regexp,
    Error,
    Map {
        key: Box<TypeShape>,
        value: Box<TypeShape>,
    },
    Set {
        element: Box<TypeShape>,
    },
    Promise {
        value: Box<TypeShape>,
    },
    Enum {
        name: String,
        members: Vec<EnumMemberShape>,
    },
    Class {
        name: String,
        /// Project-relative path of the declaring file.
        path: Option<String>,
        export_path: Option<Vec<String>>,
    },
    /// A recursion (or depth/size limit) cut: the named type is already being expanded.
    Ref {
        name: String,
    },
    /// A named type the core could not resolve (from node_modules, an unbound generic `T`, `keyof X`, ...).
    Unresolved {
        text: String,
        /// The module the name was imported from and its name there, when the import is not followed (a package:
        /// `import type { Database } from 'better-sqlite3'` gives `better-sqlite3` / `Database`): what tells a
        /// database handle from a project type that happens to be called `Database`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<TypeOrigin>,
    },
}

/// Where an unresolved named type comes from: the import's module specifier and the name it has there
/// (`Database`, `default.Database` for `import Database from 'better-sqlite3'` used as `Database.Database`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeOrigin {
    pub module: String,
    pub name: String,
}

/// The value of a literal type: a string, a number or a boolean (a bigint literal's value is its decimal text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LiteralValue {
    Boolean(bool),
    Number(f64),
    String(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyShape {
    pub name: String,
    pub shape: TypeShape,
    pub optional: bool,
    pub readonly: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexShape {
    pub key: Box<TypeShape>,
    pub value: Box<TypeShape>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TupleElement {
    pub shape: TypeShape,
    pub optional: bool,
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionParamShape {
    pub name: String,
    pub shape: TypeShape,
    pub optional: bool,
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumMemberShape {
    pub name: String,
    pub value: LiteralValue,
    /// JavaScript source of the member's value (`'red'`, `0`).
    pub code: String,
}

impl TypeShape {
    pub fn unresolved(text: impl Into<String>) -> Self {
        TypeShape::Unresolved {
            text: text.into(),
            origin: None,
        }
    }

    /// A rough node count, for the size limit.
    pub fn size(&self) -> usize {
        1 + match self {
            TypeShape::Object {
                properties, index, ..
            } => {
                properties.iter().map(|p| p.shape.size()).sum::<usize>()
                    + index.as_ref().map_or(0, |i| i.key.size() + i.value.size())
            }
            TypeShape::Union { types } | TypeShape::Intersection { types } => {
                types.iter().map(TypeShape::size).sum()
            }
            TypeShape::Array { element, .. } | TypeShape::Set { element } => element.size(),
            TypeShape::Tuple { elements } => elements.iter().map(|e| e.shape.size()).sum(),
            TypeShape::Record { key, value } | TypeShape::Map { key, value } => {
                key.size() + value.size()
            }
            TypeShape::Function { params, returns } => {
                params.iter().map(|p| p.shape.size()).sum::<usize>() + returns.size()
            }
            TypeShape::Promise { value } => value.size(),
            TypeShape::Enum { members, .. } => members.len(),
            _ => 0,
        }
    }
}

/// JavaScript source of a string value, single-quoted.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// JavaScript source of a number value (`-0`, `NaN`, `Infinity` included).
pub fn number_code(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if value == 0.0 && value.is_sign_negative() {
        "-0".to_string()
    } else if value.fract() == 0.0 && value.abs() < 1e21 {
        format!("{}", value as i128)
    } else {
        format!("{value}")
    }
}

/// Type syntax of one function, held from the visitor pass to resolution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PendingFn {
    /// The annotation of each parameter, aligned with `FunctionReport.params`.
    pub params: Vec<Option<syntax::TypeExpr>>,
    pub returns: Option<syntax::TypeExpr>,
    /// The function's own type parameters (`<T extends C>`): each `T` in its signature is resolved as `C`, or as
    /// `unknown` without a constraint (a call infers `T` from the argument, so any value fits).
    pub type_params: Vec<syntax::TypeParam>,
    /// Where a leading JSDoc block would end (the start of the statement, property or method holding the function).
    pub anchor: u32,
    /// Span start of the function node (links the function to exports.rs's findings).
    pub node_start: u32,
}

/// What the pass collected for the file-level resolution step.
#[derive(Debug, Default)]
pub struct FileInputs {
    pub types: syntax::FileTypes,
    pub shape: crate::testgen::exports::ModuleShape,
    /// One per `ClassReport`, same order.
    pub class_facts: Vec<crate::testgen::exports::ClassFacts>,
    /// Spans of `/** ... */` comments, in source order (JavaScript files only).
    pub jsdoc: Vec<(u32, u32)>,
}

pub use finish::finish;

mod finish;

#[cfg(test)]
mod tests;
