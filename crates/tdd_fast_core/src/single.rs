//! Source text in memory (an editor buffer, the API's `analyzeSource`): `analyze_source` is the one entry point front
//! ends call, for the whole file or for one function. Single-function work (an editor asking about the function under
//! the cursor, test generation for one function) parses the file once as usual but keeps only what that function
//! needs: its own report, the smells that name it, and the file's syntax errors.

use crate::analyze::{
    analyze_isolated, analyze_text, failed_report, with_error_policy, AnalyzeOptions,
};
use crate::model::{FileReport, Language};
use crate::source::ReadError;

/// Analyses text in memory: the file's report, or with `function` only that function's (see `analyze_function`).
/// The path's extension picks the language (TypeScript when it names none). Runs on a big analysis stack (deep code
/// recurses), and a panic becomes the file's error: nothing unwinds into the caller. Text over
/// `options.max_file_size` is refused with the error a file of that size on disk gets.
pub fn analyze_source(
    text: &str,
    path: &str,
    options: &AnalyzeOptions,
    function: Option<&str>,
) -> Result<FileReport, String> {
    let language = crate::source::language_of(std::path::Path::new(path)).unwrap_or(Language::Ts);
    let size = text.len() as u64;
    if size > options.max_file_size {
        let why = ReadError::TooLarge {
            size,
            limit: options.max_file_size,
        };
        let report = failed_report(path, language, String::new(), why.to_string());
        return Ok(with_error_policy(report, &options.config));
    }
    crate::guard::on_analysis_stack(|| match function {
        Some(name) => analyze_function(text, path, language, options, name),
        None => Ok(with_error_policy(
            analyze_isolated(path, language, || {
                analyze_text(text, path, language, options)
            }),
            &options.config,
        )),
    })
}

/// Analyses `text` and keeps only the function(s) named `name` (a name can repeat, e.g. a getter and its setter).
/// Errs with the names that do exist when there is no such function.
pub fn analyze_function(
    text: &str,
    path: &str,
    language: Language,
    options: &AnalyzeOptions,
    name: &str,
) -> Result<FileReport, String> {
    // A panic is this function's error like any file's, never an exception across napi.
    let mut report = with_error_policy(
        analyze_isolated(path, language, || {
            analyze_text(text, path, language, options)
        }),
        &options.config,
    );
    let found = report.functions.iter().any(|f| f.name == name);
    if !found && !report.errors.is_empty() {
        // The file did not parse (or analysis failed) before reaching it: its errors are the answer.
        report.functions.clear();
        report.smells.clear();
        report.classes.clear();
        report.fingerprint = None;
        return Ok(report);
    }
    if !found {
        let mut known: Vec<&str> = report.functions.iter().map(|f| f.name.as_str()).collect();
        known.dedup();
        return Err(format!(
            "no function named '{name}' in {path} (found: {})",
            known.join(", ")
        ));
    }
    report.functions.retain(|f| f.name == name);
    report
        .smells
        .retain(|s| s.function.as_deref() == Some(name));
    report.classes.clear();
    report.fingerprint = None;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str =
        "export function keep(a: number) {\n  if (a > 1) return 1;\n  return 0;\n}\n\
                        export function drop(b: string, c, d, e, f, g) { return b; }\n";

    #[test]
    fn keeps_only_the_named_function_and_its_smells() {
        let report =
            analyze_function(CODE, "a.ts", Language::Ts, &Default::default(), "keep").unwrap();
        assert_eq!(report.functions.len(), 1);
        assert_eq!(report.functions[0].name, "keep");
        assert!(report
            .smells
            .iter()
            .all(|s| s.function.as_deref() == Some("keep")));
        assert!(report.fingerprint.is_none());
        let whole = analyze_text(CODE, "a.ts", Language::Ts, &Default::default());
        assert!(whole
            .smells
            .iter()
            .any(|s| s.function.as_deref() == Some("drop")));
    }

    #[test]
    fn a_file_that_breaks_before_the_function_answers_for_it_with_the_files_errors() {
        // The broken statement is left out of the parse (parse.rs `recover`): the function after it is still found.
        let code = "export function early( {\nexport function late() {}\n";
        let report =
            analyze_function(code, "b.ts", Language::Ts, &Default::default(), "late").unwrap();
        assert_eq!(report.functions.len(), 1);
        assert_eq!(report.functions[0].name, "late");
        assert!(!report.errors.is_empty());
    }

    #[test]
    fn analyze_source_picks_the_language_and_isolates_panics() {
        let tsx = "export const A = () => <div>{1}</div>;\n";
        let report = analyze_source(tsx, "a.tsx", &Default::default(), None).unwrap();
        assert_eq!(report.language, Language::Tsx);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let one = analyze_source(CODE, "a.ts", &Default::default(), Some("keep")).unwrap();
        assert_eq!(one.functions.len(), 1);
        let options = AnalyzeOptions {
            config: std::sync::Arc::new(
                crate::config::Config::from_json(r#"{"rules":{"parse-error":"warning"}}"#).unwrap(),
            ),
            ..Default::default()
        };
        let broken = analyze_source("function (", "b.ts", &options, None).unwrap();
        assert_eq!(broken.errors[0].severity, crate::model::Severity::Warning);
    }

    #[test]
    fn text_over_max_file_size_is_refused_with_one_error_saying_why() {
        let options = AnalyzeOptions {
            max_file_size: CODE.len() as u64 - 1,
            ..Default::default()
        };
        let report = analyze_source(CODE, "a.ts", &options, None).unwrap();
        assert!(report.functions.is_empty() && report.smells.is_empty());
        assert_eq!(report.errors.len(), 1);
        let limit = CODE.len() - 1;
        assert!(
            report.errors[0]
                .message
                .contains(&format!("({} bytes, limit {limit} bytes", CODE.len())),
            "{:?}",
            report.errors
        );
        let at_the_limit = AnalyzeOptions {
            max_file_size: CODE.len() as u64,
            ..Default::default()
        };
        let whole = analyze_source(CODE, "a.ts", &at_the_limit, None).unwrap();
        assert!(whole.errors.is_empty() && whole.functions.len() == 2);
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let err =
            analyze_function(CODE, "a.ts", Language::Ts, &Default::default(), "nope").unwrap_err();
        assert!(
            err.contains("no function named 'nope'") && err.contains("keep, drop"),
            "{err}"
        );
    }
}
