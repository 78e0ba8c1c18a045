//! Analysing many files: rayon over files, each file's failure (including a panic) isolated as that file's error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::analyze::{analyze_path, failed_report, reset_thread_allocator, AnalyzeOptions};
use crate::model::{AnalysisResult, FileReport, Language, Summary, CONTRACT_VERSION};
use crate::source::{self, Candidate};

#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub root: PathBuf,
    /// 0 = all available cores.
    pub threads: usize,
    pub analyze: AnalyzeOptions,
}

/// Called with (files done, files total) as files finish; must be cheap and thread-safe.
pub type Progress<'p> = &'p (dyn Fn(usize, usize) + Sync);

pub fn analyze_paths(
    paths: &[PathBuf],
    options: &BatchOptions,
    progress: Option<Progress>,
) -> AnalysisResult {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build();
    let run = || {
        let candidates = source::collect(paths, rayon::current_num_threads());
        analyze_candidates(&candidates, options, progress)
    };
    let files = match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let summary = Summary {
        files: files.len() as u32,
        functions: files.iter().map(|f| f.functions.len() as u32).sum(),
        smells: files.iter().map(|f| f.smells.len() as u32).sum(),
        errors: files.iter().map(|f| f.errors.len() as u32).sum(),
        cache: Default::default(),
        ms: started.elapsed().as_millis() as u64,
    };
    AnalysisResult {
        version: CONTRACT_VERSION,
        files,
        duplicates: Vec::new(),
        summary,
    }
}

fn analyze_candidates(
    candidates: &[Candidate],
    options: &BatchOptions,
    progress: Option<Progress>,
) -> Vec<FileReport> {
    let done = AtomicUsize::new(0);
    let total = candidates.len();
    candidates
        .par_iter()
        .map(|candidate| {
            let shown = source::display_path(&candidate.path, &options.root);
            let report = match &candidate.walk_error {
                Some(message) => failed_report(
                    &shown,
                    language_of(&candidate.path),
                    String::new(),
                    message.clone(),
                ),
                None => analyze_isolated(&candidate.path, &shown, &options.analyze),
            };
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = progress {
                progress(finished, total);
            }
            report
        })
        .collect()
}

/// Runs the per-file pipeline so that a panic becomes the file's error instead of ending the run.
pub fn analyze_isolated(path: &Path, shown: &str, options: &AnalyzeOptions) -> FileReport {
    match catch_unwind(AssertUnwindSafe(|| analyze_path(path, shown, options))) {
        Ok(report) => report,
        Err(payload) => {
            reset_thread_allocator();
            failed_report(
                shown,
                language_of(path),
                String::new(),
                panic_message("analysing this file", &payload),
            )
        }
    }
}

fn language_of(path: &Path) -> Language {
    source::language_of(path).unwrap_or(Language::Js)
}

pub fn panic_message(during: &str, payload: &Box<dyn std::any::Any + Send>) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error while {during}: {detail} (please report this file to tdd-fast)")
}
