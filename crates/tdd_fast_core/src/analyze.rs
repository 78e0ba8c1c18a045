//! The per-file pipeline: bytes -> text checks -> parse (thread-local allocator) -> one visitor pass -> FileReport.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use oxc_allocator::Allocator;

use crate::lint::facts::Collector;
use crate::model::{FileError, FileReport, Language};
use crate::parse::{parse, LineIndex};
use crate::profile::{self, Phase};
use crate::source::{self, ReadError};

/// Options that change what a file's report contains (and so are part of the cache key).
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    pub max_file_size: u64,
    /// Files whose estimated nesting is deeper get a per-file error instead of a parse (see guard.rs).
    pub max_nesting: u32,
    /// A file whose analysis takes longer (milliseconds; 0 = no limit) gets a per-file error instead of its results.
    pub file_time_limit_ms: u64,
    /// Rules, thresholds, globs, duplicate settings (validated JSON from the front end; see config.rs).
    pub config: std::sync::Arc<crate::config::Config>,
    /// Generation's facts: resolve every parameter, return value and field to a `TypeShape` (the type model:
    /// annotations, JSDoc, relative imports, the `.d.ts` beside a `.js`), and collect each function's usage, guards
    /// and constants, its edge cases' structured values, its parameters' domains and inferred shapes. Test generation
    /// asks for them; plain analysis (metrics, smells, patterns, duplicates) does not: its reports keep each
    /// parameter's written `type`, leave those fields out of the JSON (`model::generation_only`) and read no other file.
    pub types: bool,
}

impl AnalyzeOptions {
    /// The defaults with the type model on (what test generation asks for).
    pub fn with_types() -> Self {
        Self {
            types: true,
            ..Self::default()
        }
    }

    /// Everything in the options that can change a report, as text for the cache key. Keep it deterministic (no
    /// HashMap iteration order): a change here invalidates every cached result, which is the point.
    pub fn fingerprint(&self) -> String {
        format!("{self:?}")
    }
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        Self {
            max_file_size: source::DEFAULT_MAX_FILE_SIZE,
            max_nesting: crate::guard::DEFAULT_MAX_NESTING,
            file_time_limit_ms: DEFAULT_FILE_TIME_LIMIT_MS,
            config: Default::default(),
            types: false,
        }
    }
}

/// Default per-file time limit (see `AnalyzeOptions::file_time_limit_ms`).
pub const DEFAULT_FILE_TIME_LIMIT_MS: u64 = 10_000;

thread_local! {
    // One arena per thread, reset between files: parsing allocates nothing on the global heap that outlives a file.
    static ALLOCATOR: RefCell<Allocator> = RefCell::new(Allocator::default());
}

pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// Analyses source text that is already in memory (editor buffers, the `analyzeSource` API, tests).
pub fn analyze_text(
    text: &str,
    path: &str,
    language: Language,
    options: &AnalyzeOptions,
) -> FileReport {
    crate::guard::test_panic_hook(text);
    // Refuse what could overflow the stack before parsing it (an overflow aborts; it cannot be caught).
    // The estimate grows by at most 2 per byte, so a text shorter than half the limit is never over it: not scanned.
    let nesting = if text.len().saturating_mul(2) <= options.max_nesting as usize {
        0
    } else {
        crate::guard::nesting_estimate(text, options.max_nesting)
    };
    if nesting > options.max_nesting {
        // Like every file that is not analysed (binary, too large): a whole-file error and `lines: 0`.
        return failed_report(
            path,
            language,
            content_hash(text.as_bytes()),
            crate::guard::nesting_error(nesting, options.max_nesting),
        );
    }
    let started = std::time::Instant::now();
    let mut report = analyze_text_unguarded(text, path, language, options);
    if report.functions.len() > crate::guard::MAX_FUNCTIONS_PER_FILE {
        let huge = failed_report(
            path,
            language,
            report.hash,
            format!(
                "file has {} functions, more than the {} one report can hold; results discarded (split or exclude \
                 the file)",
                report.functions.len(),
                crate::guard::MAX_FUNCTIONS_PER_FILE
            ),
        );
        return huge;
    }
    if report.errors.len() > crate::guard::MAX_ERRORS_PER_FILE {
        // The summary line sits where the first omitted error was (a whole-file line 0 is for files with no text).
        let more = report.errors.len() - crate::guard::MAX_ERRORS_PER_FILE;
        let next = report.errors[crate::guard::MAX_ERRORS_PER_FILE].clone();
        report.errors.truncate(crate::guard::MAX_ERRORS_PER_FILE);
        report.errors.push(FileError {
            message: format!("... and {more} more syntax errors from here on"),
            ..next
        });
    }
    let took = started.elapsed().as_millis() as u64;
    if options.file_time_limit_ms > 0 && took > options.file_time_limit_ms {
        // oxc cannot be interrupted, so the limit is checked after the fact: the slow file's results are replaced by
        // an error naming it (and cached that way), so it is reported instead of silently slowing every run.
        let slow = failed_report(
            path,
            language,
            report.hash,
            format!(
                "analysis took {took} ms, over the per-file time limit of {} ms (--file-time-limit); results \
                 discarded",
                options.file_time_limit_ms
            ),
        );
        return slow;
    }
    report
}

fn analyze_text_unguarded(
    text: &str,
    path: &str,
    language: Language,
    options: &AnalyzeOptions,
) -> FileReport {
    let lines = LineIndex::new(text);
    let (facts, errors, fingerprint, type_inputs) = ALLOCATOR.with(|cell| {
        let mut allocator = cell.borrow_mut();
        allocator.reset();
        let parsed = profile::time(Phase::Parse, || parse(&allocator, text, language, &lines));
        let facts = profile::time(Phase::Visit, || {
            Collector::new(text, &lines)
                .with_types(options.types)
                .with_rules(&options.config)
                .collect_facts(&parsed.program)
        });
        let fingerprint = profile::time(Phase::Duplicates, || {
            crate::lint::duplicates::fingerprint(&parsed.tokens, &lines, &facts.module_declarations)
        });
        // Module shapes and type declarations: two walks over the top-level statements, not a second parse.
        // Declarations are only lowered when the type model was asked for (`options.types`) and the file has functions
        // or classes whose types may need them: a declaration-only file (`lib.dom.d.ts`) has nothing to resolve here, and files that import from it read
        // it on their own (types/project.rs).
        let needs_types =
            options.types && (!facts.functions.is_empty() || !facts.classes.is_empty());
        let type_inputs = profile::time(Phase::Visit, || {
            let is_js = matches!(language, Language::Js | Language::Jsx);
            crate::testgen::types::FileInputs {
                types: if needs_types {
                    crate::testgen::types::syntax::collect(&parsed.program, text)
                } else {
                    Default::default()
                },
                shape: crate::testgen::exports::analyze(&parsed.program, text, &lines),
                class_facts: Vec::new(),
                jsdoc: if is_js && options.types {
                    parsed
                        .program
                        .comments
                        .iter()
                        .filter(|c| c.is_jsdoc())
                        .map(|c| (c.span.start, c.span.end))
                        .collect()
                } else {
                    Vec::new()
                },
            }
        });
        (facts, parsed.errors, fingerprint, type_inputs)
    });
    // Rules run over the owned facts, after the pass (the AST is gone).
    let config = &options.config;
    let mut functions = facts.functions;
    if !config.patterns {
        functions.iter_mut().for_each(|f| f.patterns.clear());
    }
    let smells = profile::time(Phase::Rules, || {
        crate::lint::smells::run(
            &crate::lint::smells::RuleContext {
                text,
                lines: &lines,
                file_lines: lines.line_count(),
                functions: &functions,
                function_spans: &facts.function_spans,
                classes: &facts.classes,
                class_spans: &facts.class_spans,
                signals: &facts.rule_signals,
            },
            config,
        )
    });
    let mut classes = facts.classes;
    let (module_format, reexports) = profile::time(Phase::Rules, || {
        crate::testgen::types::finish(
            text,
            path,
            language,
            &mut functions,
            &mut classes,
            options.types,
            crate::testgen::types::FileInputs {
                class_facts: facts.class_facts,
                ..type_inputs
            },
        )
    });
    if options.types {
        // Generation's facts: structured values, domains, inferred shapes (plain analysis reports none of them).
        profile::time(Phase::Rules, || {
            crate::lint::patterns::values::structure(&mut functions);
            for class in &mut classes {
                crate::testgen::types::infer::fill_params(&mut class.constructor_params, &[]);
            }
        });
    }
    FileReport {
        path: path.to_string(),
        language,
        hash: content_hash(text.as_bytes()),
        lines: lines.line_count(),
        errors,
        functions,
        smells,
        classes,
        module_format,
        reexports,
        fingerprint: Some(Box::new(fingerprint)),
        generation: options.types,
    }
}

/// `analyze_text`, with the file's token fingerprint taken out of the report (for duplicate detection).
pub fn analyze_text_with_fingerprint(
    text: &str,
    path: &str,
    language: Language,
    options: &AnalyzeOptions,
) -> (FileReport, crate::lint::duplicates::Fingerprint) {
    let mut report = analyze_text(text, path, language, options);
    let fingerprint = report.fingerprint.take().map(|f| *f).unwrap_or_default();
    (report, fingerprint)
}

/// Applies the `parse-error` rule to a finished report: its errors get the configured severity, or are left out when
/// the rule is off.
pub fn with_error_policy(mut report: FileReport, config: &crate::config::Config) -> FileReport {
    match config.error_severity() {
        Some(severity) => report.errors.iter_mut().for_each(|e| e.severity = severity),
        None => report.errors.clear(),
    }
    report
}

/// A report for a file that could not be analysed at all: one error, nothing else.
pub fn failed_report(path: &str, language: Language, hash: String, message: String) -> FileReport {
    FileReport {
        path: path.to_string(),
        language,
        hash,
        lines: 0,
        errors: vec![FileError::whole_file(message)],
        functions: Vec::new(),
        smells: Vec::new(),
        classes: Vec::new(),
        module_format: Default::default(),
        reexports: Vec::new(),
        fingerprint: None,
        generation: false,
    }
}

/// Reads a file and hashes its bytes (the cache needs the hash before deciding to analyse).
pub fn read_and_hash(
    path: &Path,
    options: &AnalyzeOptions,
) -> Result<(Vec<u8>, String), ReadError> {
    let bytes = profile::time(Phase::Read, || {
        source::read_source(path, options.max_file_size)
    })?;
    profile::count_read(bytes.len() as u64);
    let hash = profile::time(Phase::Hash, || content_hash(&bytes));
    Ok((bytes, hash))
}

/// Analyses bytes already read and hashed. Binary and non-UTF-8 content is the file's error.
pub fn analyze_bytes(
    bytes: &[u8],
    hash: String,
    shown: &str,
    language: Language,
    options: &AnalyzeOptions,
) -> FileReport {
    match source::decode(bytes) {
        Ok(text) => {
            let mut report = analyze_text(text, shown, language, options);
            report.hash = hash;
            report
        }
        Err(err) => failed_report(shown, language, hash, err.to_string()),
    }
}

/// Reads and analyses one file. Every failure (unreadable, binary, too large...) is the file's error, never a panic.
pub fn analyze_path(path: &Path, shown: &str, options: &AnalyzeOptions) -> FileReport {
    let language = source::language_of(path).unwrap_or(Language::Js);
    match read_and_hash(path, options) {
        Ok((bytes, hash)) => analyze_bytes(&bytes, hash, shown, language, options),
        Err(err) => failed_report(shown, language, String::new(), err.to_string()),
    }
}

/// Runs the per-file pipeline so that a panic becomes the file's error instead of ending the run.
pub fn analyze_isolated(
    shown: &str,
    language: Language,
    work: impl FnOnce() -> FileReport,
) -> FileReport {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(report) => report,
        Err(payload) => {
            reset_thread_allocator();
            failed_report(
                shown,
                language,
                String::new(),
                panic_message("analysing this file", &payload),
            )
        }
    }
}

pub fn panic_message(during: &str, payload: &Box<dyn std::any::Any + Send>) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error while {during}: {detail} (please report this file to tdd-fast)")
}

/// Clears the thread's arena after a panic so the next file starts from a clean allocator.
pub fn reset_thread_allocator() {
    ALLOCATOR.with(|cell| {
        if let Ok(mut allocator) = cell.try_borrow_mut() {
            *allocator = Allocator::default();
        }
    });
}
