//! The Node binding: #[napi] entry points that convert arguments, call the core, and return JSON text for the
//! TypeScript front to parse (one JSON.parse is cheaper than building the objects through napi). No logic lives here.
//! Every entry point catches panics so that none crosses into Node.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use tdd_fast_core::{analyze, batch, single, source, AnalyzeOptions, BatchOptions, CacheOptions};

/// `(filesDone, filesTotal) => void`, called from worker threads.
type ProgressFn = ThreadsafeFunction<(u32, u32), (), (u32, u32), Status, false>;

#[napi(object)]
#[derive(Default)]
pub struct NativeAnalyzeOptions {
    /// Paths in the report are relative to this directory.
    pub root: Option<String>,
    /// Bytes; larger files get a per-file error.
    pub max_file_size: Option<f64>,
    /// 0 or absent = all available cores.
    pub threads: Option<u32>,
    /// Use the content-hash cache (default true).
    pub cache: Option<bool>,
    /// The persistent cache file; absent = in memory only.
    pub cache_location: Option<String>,
    /// Add per-phase timings to the result.
    pub profile: Option<bool>,
    /// The analysis configuration as JSON text (rules, thresholds, globs, duplicates; see core config.rs). Validate it
    /// first with `checkConfigJson`: an invalid config here falls back to the defaults.
    pub config: Option<String>,
    /// Files whose estimated nesting is deeper get a per-file error (default 10,000).
    pub max_nesting: Option<u32>,
    /// Milliseconds; a file whose analysis takes longer gets a per-file error (default 10,000; 0 = no limit).
    pub file_time_limit: Option<f64>,
    /// Put each file's duplicate fingerprint in the result (shard reports, for `mergeDuplicatesJson`).
    pub fingerprints: Option<bool>,
    /// Resolve parameters, return values and fields to TypeShapes, reading imported files and the `.d.ts` beside a
    /// `.js` (what test generation needs). Default false: `shape`, `returns` and fields' shapes are null.
    pub types: Option<bool>,
    /// The JSON holds each file's findings report instead of its full report: `functions` only those a smell names
    /// (with empty `params` and `patterns`), `classes` and `reexports` empty, and `functionCount` added (for a front end that prints findings only; the
    /// envelope, the counts and the cache are the same). Default false.
    pub findings_only: Option<bool>,
}

fn batch_options(options: Option<NativeAnalyzeOptions>) -> BatchOptions {
    let options = options.unwrap_or_default();
    let root = options
        .root
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut analyze = AnalyzeOptions {
        // No configuration is `{}`: the default preset, as for a CLI run without a config file.
        config: std::sync::Arc::new(
            tdd_fast_core::config::Config::from_json(options.config.as_deref().unwrap_or(""))
                .unwrap_or_default(),
        ),
        ..AnalyzeOptions::default()
    };
    if let Some(size) = options.max_file_size.filter(|s| *s >= 0.0) {
        analyze.max_file_size = size as u64;
    }
    if let Some(depth) = options.max_nesting {
        analyze.max_nesting = depth;
    }
    if let Some(ms) = options.file_time_limit.filter(|ms| *ms >= 0.0) {
        analyze.file_time_limit_ms = ms as u64;
    }
    analyze.types = options.types.unwrap_or(false);
    let cache = CacheOptions {
        enabled: options.cache.unwrap_or(true),
        location: options.cache_location.map(PathBuf::from),
        limits: None,
    };
    BatchOptions {
        root,
        threads: options.threads.unwrap_or(0) as usize,
        analyze,
        cache,
        profile: options.profile.unwrap_or(false),
        fingerprints: options.fingerprints.unwrap_or(false),
        findings_only: options.findings_only.unwrap_or(false),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::from_reason(format!("tdd-fast: cannot serialize the result: {e}")))
}

fn guarded<T>(during: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(Error::from_reason(analyze::panic_message(during, &payload))))
}

pub struct AnalyzeFilesTask {
    paths: Vec<PathBuf>,
    options: BatchOptions,
    progress: Option<ProgressFn>,
}

impl AnalyzeFilesTask {
    fn run(&mut self) -> Result<batch::BatchJson> {
        let progress = self.progress.as_ref();
        // Report at most ~100 steps so a large batch does not flood the JS thread.
        let report = |done: usize, total: usize| {
            let step = (total / 100).max(1);
            if let Some(progress) = progress {
                if done.is_multiple_of(step) || done == total {
                    progress.call(
                        (done as u32, total as u32),
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            }
        };
        let batch = guarded("analysing files", || {
            Ok(batch::analyze_paths_json(
                &self.paths,
                &self.options,
                Some(&report),
            ))
        })?;
        // V8 strings hold at most 2^29 - 24 UTF-16 units: say so instead of napi's "Failed to convert rust `String`".
        const MAX_JS_STRING: usize = (1 << 29) - 24;
        if batch.text.len() > MAX_JS_STRING {
            return Err(Error::from_reason(format!(
                "the result of this run is too large to return to JavaScript ({} MB of JSON; the limit is {} MB). \
                 Analyse fewer files per run, e.g. with --shard i/n and merge-reports",
                batch.text.len() >> 20,
                MAX_JS_STRING >> 20
            )));
        }
        Ok(batch)
    }
}

impl Task for AnalyzeFilesTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        let text = self.run()?.text;
        // The core's output is UTF-8 (its reports' texts and commas): checked here, never an invalid string for JS.
        String::from_utf8(text)
            .map_err(|e| Error::from_reason(format!("internal error: output not UTF-8: {e}")))
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// Analyses files and folders off the JS thread; resolves to the JSON text of the batch result.
#[napi(js_name = "analyzeFilesJson", ts_return_type = "Promise<string>")]
pub fn analyze_files_json(
    paths: Vec<String>,
    options: Option<NativeAnalyzeOptions>,
    #[napi(ts_arg_type = "(done: number, total: number) => void")] progress: Option<ProgressFn>,
) -> AsyncTask<AnalyzeFilesTask> {
    AsyncTask::new(AnalyzeFilesTask {
        paths: paths.into_iter().map(PathBuf::from).collect(),
        options: batch_options(options),
        progress,
    })
}

/// A batch as JSON text plus what a front end needs without parsing all of it.
#[napi(object)]
pub struct NativeBatchText {
    /// The JSON text of the whole result (what `analyzeFilesJson` resolves to), as UTF-8 bytes: a front end that
    /// prints it as is writes the bytes, with no conversion to a JavaScript string and back.
    pub json: Buffer,
    /// The same result without its files (`"files":[]`), as JSON text: duplicates, summary, warnings and profile,
    /// small enough to parse quickly.
    pub envelope: String,
    /// Over all files: their errors (syntax, unreadable, too large).
    pub file_errors: u32,
    /// Every finding by severity (file errors, smells and duplicate blocks, each at its rule's severity): what an exit
    /// code needs, counted by the core.
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

pub struct AnalyzeFilesTextTask(AnalyzeFilesTask);

impl Task for AnalyzeFilesTextTask {
    type Output = batch::BatchJson;
    type JsValue = NativeBatchText;

    fn compute(&mut self) -> Result<batch::BatchJson> {
        self.0.run()
    }

    fn resolve(&mut self, _env: Env, batch: batch::BatchJson) -> Result<NativeBatchText> {
        Ok(NativeBatchText {
            json: Buffer::from(batch.text),
            envelope: batch.envelope,
            file_errors: batch.totals.file_errors,
            errors: batch.totals.errors,
            warnings: batch.totals.warnings,
            infos: batch.totals.infos,
        })
    }
}

/// Like `analyzeFilesJson`, for front ends that print the JSON as is (the CLI's `--format json`): the result without
/// its files and the totals of its findings by severity come alongside, so the whole text never needs a JSON.parse.
#[napi(
    js_name = "analyzeFilesText",
    ts_return_type = "Promise<NativeBatchText>"
)]
pub fn analyze_files_text(
    paths: Vec<String>,
    options: Option<NativeAnalyzeOptions>,
    #[napi(ts_arg_type = "(done: number, total: number) => void")] progress: Option<ProgressFn>,
) -> AsyncTask<AnalyzeFilesTextTask> {
    AsyncTask::new(AnalyzeFilesTextTask(AnalyzeFilesTask {
        paths: paths.into_iter().map(PathBuf::from).collect(),
        options: batch_options(options),
        progress,
    }))
}

/// Hits, misses, evictions, entries and bytes of the process-wide analysis cache, as JSON text.
#[napi(js_name = "cacheStatsJson")]
pub fn cache_stats_json() -> Result<String> {
    guarded("reading cache stats", || to_json(&batch::cache_stats()))
}

/// Empties the in-memory analysis cache and deletes its file.
#[napi(js_name = "clearCaches")]
pub fn clear_caches() -> Result<()> {
    guarded("clearing caches", || {
        batch::clear_cache();
        Ok(())
    })
}

/// Analyses source text in memory; returns the JSON text of a FileReport. The filename picks the language. With
/// `options.fingerprints`, the report carries the text's duplicate fingerprint (`fingerprint: { path, tokens, lines }`,
/// for `mergeDuplicatesJson`: an editor's buffer matched against the saved files).
#[napi(js_name = "analyzeSourceJson")]
pub fn analyze_source_json(
    code: String,
    filename: String,
    options: Option<NativeAnalyzeOptions>,
    function_name: Option<String>,
) -> Result<String> {
    let options = batch_options(options);
    guarded("analysing source text", || {
        let mut report =
            single::analyze_source(&code, &filename, &options.analyze, function_name.as_deref())
                .map_err(Error::from_reason)?;
        let fingerprint = report.fingerprint.take();
        if !options.fingerprints {
            return to_json(&report);
        }
        let encoded = tdd_fast_core::shard::encode(&report.path, &fingerprint.unwrap_or_default());
        to_json(&WithFingerprint {
            report: &report,
            fingerprint: encoded,
        })
    })
}

/// A FileReport's JSON with its duplicate fingerprint beside its fields.
#[derive(serde::Serialize)]
struct WithFingerprint<'r> {
    #[serde(flatten)]
    report: &'r tdd_fast_core::model::FileReport,
    fingerprint: tdd_fast_core::shard::FileFingerprint,
}

/// The files an analysis of these paths would cover (walked like `analyzeFilesJson`, then `options.config`'s include
/// and exclude globs), with their sizes, as JSON text:
/// `[{ path, absolute, size }]`. The TypeScript side partitions them for `--shard`.
#[napi(js_name = "listFilesJson")]
pub fn list_files_json(
    paths: Vec<String>,
    options: Option<NativeAnalyzeOptions>,
) -> Result<String> {
    let options = batch_options(options);
    guarded("listing files", || {
        let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
        let threads = if options.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            options.threads
        };
        to_json(&source::list_analysed_files(
            &paths,
            &options.root,
            threads,
            &options.analyze.config,
        ))
    })
}

/// Validates configuration JSON; throws an Error whose message names the offending key.
#[napi(js_name = "checkConfigJson")]
pub fn check_config_json(config: String) -> Result<()> {
    guarded("checking the configuration", || {
        tdd_fast_core::config::Config::from_json(&config)
            .map(|_| ())
            .map_err(Error::from_reason)
    })
}

/// Cross-file duplicates over the fingerprints of all shards (`[{ path, tokens, lines }]` JSON text, in the unsharded
/// run's file order), with the duplicate settings of `options.config`; returns the JSON text of the duplicates.
#[napi(js_name = "mergeDuplicatesJson")]
pub fn merge_duplicates_json(
    fingerprints: String,
    options: Option<NativeAnalyzeOptions>,
) -> Result<String> {
    let options = batch_options(options);
    guarded("merging duplicates", || {
        let files: Vec<tdd_fast_core::shard::FileFingerprint> = serde_json::from_str(&fingerprints)
            .map_err(|e| Error::from_reason(format!("tdd-fast: bad fingerprints: {e}")))?;
        let found =
            tdd_fast_core::shard::merge_duplicates(&files, &options.analyze.config.duplicates)
                .map_err(|e| Error::from_reason(format!("tdd-fast: {e}")))?;
        to_json(&found)
    })
}

/// The rule catalogue as JSON text: `[{ id, kind, defaultSeverity, options, summary, doc }]` for every smell, edge-case
/// pattern and other finding (parse-error, duplicate-code), documented by its own source file (see core catalog.rs).
#[napi(js_name = "ruleDocsJson")]
pub fn rule_docs_json() -> Result<String> {
    guarded("listing the rules", || {
        to_json(&tdd_fast_core::catalog::rule_docs())
    })
}

/// The engine's version, part of every cache key.
#[napi(js_name = "nativeVersion")]
pub fn native_version() -> String {
    tdd_fast_core::VERSION.to_string()
}

/// A sample of the JSON contract with every field present (a real analysis of a fixture, plus one value of every
/// TypeShape kind), as JSON text: `{ report, failed, shapes }`. Tests hold ts/engine/types.ts to it.
#[napi(js_name = "contractSampleJson")]
pub fn contract_sample_json() -> Result<String> {
    guarded("building the contract sample", || {
        to_json(&tdd_fast_core::testgen::contract::sample())
    })
}
