//! The Node binding: #[napi] entry points that convert arguments, call the core, and return JSON text for the
//! TypeScript front to parse (one JSON.parse is cheaper than building the objects through napi). No logic lives here.
//! Every entry point catches panics so that none crosses into Node.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use tdd_fast_core::{analyze, batch, source, AnalyzeOptions, BatchOptions};

#[napi(object)]
#[derive(Default)]
pub struct NativeAnalyzeOptions {
    /// Paths in the report are relative to this directory.
    pub root: Option<String>,
    /// Bytes; larger files get a per-file error.
    pub max_file_size: Option<f64>,
    /// 0 or absent = all available cores.
    pub threads: Option<u32>,
}

fn batch_options(options: Option<NativeAnalyzeOptions>) -> BatchOptions {
    let options = options.unwrap_or_default();
    let root = options
        .root
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut analyze = AnalyzeOptions::default();
    if let Some(size) = options.max_file_size.filter(|s| *s >= 0.0) {
        analyze.max_file_size = size as u64;
    }
    BatchOptions {
        root,
        threads: options.threads.unwrap_or(0) as usize,
        analyze,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::from_reason(format!("tdd-fast: cannot serialize the result: {e}")))
}

fn guarded<T>(during: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(Error::from_reason(batch::panic_message(during, &payload))))
}

pub struct AnalyzeFilesTask {
    paths: Vec<PathBuf>,
    options: BatchOptions,
}

impl Task for AnalyzeFilesTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        guarded("analysing files", || {
            to_json(&tdd_fast_core::analyze_paths(
                &self.paths,
                &self.options,
                None,
            ))
        })
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// Analyses files and folders off the JS thread; resolves to the JSON text of an AnalysisResult.
#[napi(js_name = "analyzeFilesJson")]
pub fn analyze_files_json(
    paths: Vec<String>,
    options: Option<NativeAnalyzeOptions>,
) -> AsyncTask<AnalyzeFilesTask> {
    AsyncTask::new(AnalyzeFilesTask {
        paths: paths.into_iter().map(PathBuf::from).collect(),
        options: batch_options(options),
    })
}

/// Analyses source text in memory; returns the JSON text of a FileReport. The filename picks the language.
#[napi(js_name = "analyzeSourceJson")]
pub fn analyze_source_json(
    code: String,
    filename: String,
    options: Option<NativeAnalyzeOptions>,
) -> Result<String> {
    let options = batch_options(options);
    guarded("analysing source text", || {
        let language = source::language_of(std::path::Path::new(&filename))
            .unwrap_or(tdd_fast_core::Language::Ts);
        to_json(&analyze::analyze_text(
            &code,
            &filename,
            language,
            &options.analyze,
        ))
    })
}

/// The engine's version, part of every cache key.
#[napi(js_name = "nativeVersion")]
pub fn native_version() -> String {
    tdd_fast_core::VERSION.to_string()
}
