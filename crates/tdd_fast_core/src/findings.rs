//! The findings-only product of a batch: each file's report cut down to what the formats that print findings read
//! (stylish without `--functions`, github, junit, sarif), so that a run printing those neither copies nor makes its
//! front end parse every function's facts (most of a report's bytes: 14 MB on effect's sources, against ~1 MB of
//! findings). The full reports stay what is analysed and cached; this is only a different text for the output.
//!
//! A findings report is a `FileReport`'s JSON with the same keys in the same order, except that `functions` holds only
//! the functions a smell names (stylish lists the most complex of those), each with empty `params` and `patterns`,
//! `classes` and `reexports` are empty, and one key is added at the end: `functionCount`, how many functions the file
//! has (what a summary recounted after a baseline or `--changed` needs). It is made from the full report's JSON text,
//! fresh or cached alike, copying each kept part verbatim: its errors, smells and the kept functions' other fields
//! are byte for byte the full report's.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

/// The parts of a stored report that the findings report keeps, borrowed from its text (nothing is decoded but the
/// smells' function names and, when a smell names one, the functions' names).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredReport<'a> {
    #[serde(borrow)]
    path: &'a RawValue,
    #[serde(borrow)]
    language: &'a RawValue,
    #[serde(borrow)]
    hash: &'a RawValue,
    #[serde(borrow)]
    lines: &'a RawValue,
    #[serde(borrow)]
    errors: &'a RawValue,
    #[serde(borrow)]
    functions: Vec<&'a RawValue>,
    #[serde(borrow)]
    smells: &'a RawValue,
    #[serde(borrow)]
    module_format: &'a RawValue,
}

/// A smell's function name, the one thing read from a smell.
#[derive(Deserialize)]
struct SmellFunction<'a> {
    #[serde(borrow, default)]
    function: Option<Cow<'a, str>>,
}

/// A kept function's fields but its parameters and edge cases (what no findings format prints), borrowed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredFunction<'a> {
    #[serde(borrow)]
    name: &'a RawValue,
    #[serde(borrow)]
    kind: &'a RawValue,
    #[serde(borrow)]
    line: &'a RawValue,
    #[serde(borrow)]
    end_line: &'a RawValue,
    #[serde(borrow)]
    column: &'a RawValue,
    #[serde(borrow)]
    start_line: &'a RawValue,
    #[serde(borrow)]
    exported: &'a RawValue,
    #[serde(borrow)]
    r#async: &'a RawValue,
    #[serde(borrow)]
    generator: &'a RawValue,
    #[serde(borrow)]
    metrics: &'a RawValue,
    #[serde(borrow)]
    export_path: &'a RawValue,
}

/// A kept function as the findings report writes it: its fields in the report's order, `params` and `patterns` empty
/// (`None` when the text is not a function's report).
fn findings_function(raw: &str) -> Option<String> {
    let f: StoredFunction = serde_json::from_str(raw).ok()?;
    let mut out = String::with_capacity(160);
    for (key, value) in [
        ("{\"name\":", f.name),
        (",\"kind\":", f.kind),
        (",\"line\":", f.line),
        (",\"endLine\":", f.end_line),
        (",\"column\":", f.column),
        (",\"startLine\":", f.start_line),
        (",\"exported\":", f.exported),
        (",\"async\":", f.r#async),
        (",\"generator\":", f.generator),
    ] {
        out.push_str(key);
        out.push_str(value.get());
    }
    out.push_str(",\"params\":[],\"metrics\":");
    out.push_str(f.metrics.get());
    out.push_str(",\"patterns\":[],\"exportPath\":");
    out.push_str(f.export_path.get());
    out.push('}');
    Some(out)
}

#[derive(Deserialize)]
struct FunctionName<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// A function's name from its JSON: `name` is the report's first key, so it is read without scanning the rest of the
/// object (the slow path parses the whole object, for a text written some other way).
fn function_name(raw: &str) -> Option<Cow<'_, str>> {
    const HEAD: &str = "{\"name\":";
    if let Some(rest) = raw.strip_prefix(HEAD) {
        let mut de = serde_json::Deserializer::from_str(rest);
        if let Ok(name) = <&str>::deserialize(&mut de) {
            return Some(Cow::Borrowed(name));
        }
        // An escaped name cannot be borrowed: decode it.
        let mut de = serde_json::Deserializer::from_str(rest);
        if let Ok(name) = String::deserialize(&mut de) {
            return Some(Cow::Owned(name));
        }
    }
    serde_json::from_str::<FunctionName>(raw)
        .ok()
        .map(|f| f.name)
}

/// The findings report of a file report's JSON text; `None` when the text is not a report (the caller keeps the full
/// text then: still a valid report, only larger).
pub fn findings_json(report: &str) -> Option<String> {
    let stored: StoredReport = serde_json::from_str(report).ok()?;
    let smells: Vec<SmellFunction> = serde_json::from_str(stored.smells.get()).ok()?;
    let named: Vec<&str> = smells
        .iter()
        .filter_map(|s| s.function.as_deref())
        .collect();
    let kept: Vec<String> = if named.is_empty() {
        Vec::new()
    } else {
        stored
            .functions
            .iter()
            .filter(|f| function_name(f.get()).is_some_and(|name| named.contains(&name.as_ref())))
            .map(|f| findings_function(f.get()))
            .collect::<Option<_>>()?
    };
    let mut out = String::with_capacity(
        256 + stored.errors.get().len()
            + stored.smells.get().len()
            + kept.iter().map(|f| f.len() + 1).sum::<usize>(),
    );
    out.push_str("{\"path\":");
    out.push_str(stored.path.get());
    out.push_str(",\"language\":");
    out.push_str(stored.language.get());
    out.push_str(",\"hash\":");
    out.push_str(stored.hash.get());
    out.push_str(",\"lines\":");
    out.push_str(stored.lines.get());
    out.push_str(",\"errors\":");
    out.push_str(stored.errors.get());
    out.push_str(",\"functions\":[");
    for (i, function) in kept.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(function);
    }
    out.push_str("],\"smells\":");
    out.push_str(stored.smells.get());
    out.push_str(",\"classes\":[],\"moduleFormat\":");
    out.push_str(stored.module_format.get());
    out.push_str(",\"reexports\":[],\"functionCount\":");
    out.push_str(&stored.functions.len().to_string());
    out.push('}');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileReport, Language};

    fn report(code: &str) -> FileReport {
        let options = crate::AnalyzeOptions::default();
        crate::analyze_text(code, "src/a.ts", Language::Ts, &options)
    }

    #[test]
    fn keeps_the_findings_and_the_functions_smells_name_verbatim() {
        // `tangled` has a complexity smell; `plain` has none; `"quoted\\name"` shows an escaped key is read too.
        let branches: String = (0..25)
            .map(|i| format!("  if (x === {i}) {{ return {i}; }}\n"))
            .collect();
        let code = format!(
            "export function plain(a: number) {{ return a + 1; }}\n\
             export function tangled(x: number) {{\n{branches}  return -1;\n}}\n\
             try {{ plain(1); }} catch {{}}\n"
        );
        let full = report(&code);
        assert!(full
            .smells
            .iter()
            .any(|s| s.function.as_deref() == Some("tangled")));
        assert!(
            full.smells.iter().any(|s| s.function.is_none()),
            "a smell outside any function"
        );
        let text = crate::cache::report_json(&full);
        let slim_text = findings_json(&text).unwrap();
        // The report's keys in its order, functionCount added last.
        assert!(slim_text.starts_with("{\"path\":\"src/a.ts\",\"language\":\"ts\","));
        assert!(slim_text.ends_with(",\"reexports\":[],\"functionCount\":2}"));
        let slim: serde_json::Value = serde_json::from_str(&slim_text).unwrap();
        let whole: serde_json::Value = serde_json::from_str(&text).unwrap();
        for key in [
            "path",
            "language",
            "hash",
            "lines",
            "errors",
            "smells",
            "moduleFormat",
        ] {
            assert_eq!(slim[key], whole[key], "{key}");
        }
        let mut tangled = whole["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "tangled")
            .unwrap()
            .clone();
        assert!(!tangled["params"].as_array().unwrap().is_empty());
        // The function as the full report has it, but its parameters and edge cases.
        tangled["params"] = serde_json::json!([]);
        tangled["patterns"] = serde_json::json!([]);
        assert_eq!(slim["functions"], serde_json::json!([tangled]));
        assert_eq!(slim["functionCount"], 2);
        assert_eq!(slim["classes"], serde_json::json!([]));
        assert_eq!(slim["reexports"], serde_json::json!([]));
    }

    #[test]
    fn a_file_without_smells_keeps_no_function_and_a_failed_file_its_error() {
        let clean = crate::cache::report_json(&report("export const f = (a: number) => a;\n"));
        let slim: serde_json::Value =
            serde_json::from_str(&findings_json(&clean).unwrap()).unwrap();
        assert_eq!(slim["functions"], serde_json::json!([]));
        assert_eq!(slim["functionCount"], 1);
        let failed =
            crate::analyze::failed_report("b.js", Language::Js, String::new(), "unreadable".into());
        let text = crate::cache::report_json(&failed);
        let slim: serde_json::Value = serde_json::from_str(&findings_json(&text).unwrap()).unwrap();
        assert_eq!(slim["errors"][0]["message"], "unreadable");
        assert_eq!(slim["functionCount"], 0);
    }

    #[test]
    fn function_names_are_read_escaped_or_not() {
        assert_eq!(
            function_name("{\"name\":\"plain\",\"kind\":\"arrow\"}").unwrap(),
            "plain"
        );
        assert_eq!(
            function_name("{\"name\":\"a\\\"b\",\"kind\":\"arrow\"}").unwrap(),
            "a\"b"
        );
        assert_eq!(
            function_name("{\"kind\":\"arrow\",\"name\":\"late\"}").unwrap(),
            "late"
        );
        assert!(function_name("{\"kind\":\"arrow\"}").is_none());
    }

    #[test]
    fn text_that_is_not_a_report_gives_none() {
        assert!(findings_json("{\"path\":\"a\",\"error\":\"x\"}").is_none());
        assert!(findings_json("not json").is_none());
    }
}
