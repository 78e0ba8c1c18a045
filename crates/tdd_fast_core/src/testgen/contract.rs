//! A sample of the JSON contract with every field present, from a real analysis of a fixture plus one value of every
//! `TypeShape` kind. The binding exposes it (`contractSampleJson`) so a test can hold ts/engine/types.ts's field names equal
//! to what the core serializes: the TypeScript mirror cannot drift from the Rust structs unnoticed.

use serde_json::{json, Value};

use crate::model::Language;
use crate::testgen::types::{
    EnumMemberShape, FunctionParamShape, IndexShape, LiteralValue, PropertyShape, TupleElement,
    TypeOrigin, TypeShape,
};

const FIXTURE: &str = r#"
export * from './other';
interface Options { loose?: boolean }
export class Cart {
  readonly items: string[] = [];
  constructor(public owner: string) {}
  add(item: string, opts?: Options): number {
    if (!item) throw new TypeError('item required');
    this.items.push(item);
    return this.items.length;
  }
}
export function pick(list: string[], index: number, email: string): string | undefined {
  if (index < 0) return undefined;
  return list[index];
}
export function parse(text: string): unknown {
  try { return JSON.parse(text); } catch {}
}
"#;

/// Every TypeShape kind once.
pub fn every_shape() -> Vec<TypeShape> {
    let s = || Box::new(TypeShape::String);
    vec![
        TypeShape::String,
        TypeShape::Number,
        TypeShape::Boolean,
        TypeShape::Bigint,
        TypeShape::Symbol,
        TypeShape::Null,
        TypeShape::Undefined,
        TypeShape::Void,
        TypeShape::Any,
        TypeShape::Unknown,
        TypeShape::Never,
        TypeShape::Literal {
            value: LiteralValue::String("a".into()),
            code: "'a'".into(),
        },
        TypeShape::Union {
            types: vec![TypeShape::String, TypeShape::Number],
        },
        TypeShape::Intersection {
            types: vec![TypeShape::String, TypeShape::Number],
        },
        TypeShape::Array {
            element: s(),
            readonly: false,
        },
        TypeShape::Tuple {
            elements: vec![TupleElement {
                shape: TypeShape::String,
                optional: false,
                rest: false,
            }],
        },
        TypeShape::Object {
            name: Some("X".into()),
            properties: vec![PropertyShape {
                name: "a".into(),
                shape: TypeShape::String,
                optional: false,
                readonly: false,
            }],
            index: Some(IndexShape {
                key: s(),
                value: s(),
            }),
        },
        TypeShape::Record {
            key: s(),
            value: s(),
        },
        TypeShape::Function {
            params: vec![FunctionParamShape {
                name: "a".into(),
                shape: TypeShape::String,
                optional: false,
                rest: false,
            }],
            returns: s(),
        },
        TypeShape::Date,
        TypeShape::Regexp,
        TypeShape::Error,
        TypeShape::Map {
            key: s(),
            value: s(),
        },
        TypeShape::Set { element: s() },
        TypeShape::Promise { value: s() },
        TypeShape::Enum {
            name: "E".into(),
            members: vec![EnumMemberShape {
                name: "A".into(),
                value: LiteralValue::Number(0.0),
                code: "0".into(),
            }],
        },
        TypeShape::Class {
            name: "C".into(),
            path: Some("src/c.ts".into()),
            export_path: Some(vec!["C".into()]),
        },
        TypeShape::Ref { name: "T".into() },
        TypeShape::Unresolved {
            text: "T".into(),
            origin: None,
        },
        TypeShape::Unresolved {
            text: "Database".into(),
            origin: Some(TypeOrigin {
                module: "better-sqlite3".into(),
                name: "Database".into(),
            }),
        },
    ]
}

/// The sample: `{ report, failed, shapes }`, the report with the type model on (as generation gets it), so every
/// shape field is filled.
pub fn sample() -> Value {
    let options = crate::analyze::AnalyzeOptions {
        types: true,
        ..Default::default()
    };
    let report = crate::analyze::analyze_text(FIXTURE, "src/cart.ts", Language::Ts, &options);
    let failed =
        crate::analyze::failed_report("bin.dat", Language::Js, String::new(), "binary".into());
    json!({
        "report": report,
        "failed": failed,
        "shapes": every_shape(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sample_has_every_nested_type_populated() {
        let sample = super::sample();
        let report = &sample["report"];
        let cart = &report["classes"][0];
        assert_eq!(cart["exportPath"], serde_json::json!(["Cart"]));
        assert!(!cart["fields"].as_array().unwrap().is_empty());
        assert!(!cart["methods"].as_array().unwrap().is_empty());
        assert!(!report["reexports"].as_array().unwrap().is_empty());
        let add = report["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "Cart.add")
            .unwrap();
        assert!(!add["usage"]["guards"][0]["conditions"]
            .as_array()
            .unwrap()
            .is_empty());
        let patterns = report["functions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["patterns"].as_array().unwrap().clone())
            .collect::<Vec<_>>();
        assert!(patterns
            .iter()
            .any(|p| !p["cases"].as_array().unwrap().is_empty()));
        // One smell (the empty catch), with every field of the contract's Smell.
        let smells = report["smells"].as_array().unwrap();
        let ids: Vec<&str> = smells.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["empty-catch"]);
        let smell = smells[0].as_object().unwrap();
        for key in [
            "id",
            "line",
            "column",
            "endLine",
            "endColumn",
            "severity",
            "message",
            "function",
            "value",
            "threshold",
        ] {
            assert!(smell.contains_key(key), "the sample's smell has no {key}");
        }
        assert_eq!(smell["function"], "parse");
        assert!(!sample["failed"]["errors"].as_array().unwrap().is_empty());
    }
}
