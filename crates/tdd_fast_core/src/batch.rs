//! Analysing many files: rayon over files, the content-hash cache in front of the per-file pipeline, and each file's
//! failure (including a panic) isolated as that file's error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyze::{
    analyze_bytes, failed_report, read_and_hash, reset_thread_allocator, AnalyzeOptions,
};
use crate::cache::{self, Cache, CacheLimits, CacheStats, Entry, FileStamp};
use crate::model::{CacheSummary, FileReport, Language, Summary, CONTRACT_VERSION};
use crate::profile::{self, Phase, ProfileReport};
use crate::source::{self, Candidate};

#[derive(Debug, Clone, Default)]
pub struct CacheOptions {
    pub enabled: bool,
    /// The persistent cache file; `None` keeps the cache in memory only.
    pub location: Option<PathBuf>,
    pub limits: Option<CacheLimits>,
}

#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub root: PathBuf,
    /// 0 = all available cores.
    pub threads: usize,
    pub analyze: AnalyzeOptions,
    pub cache: CacheOptions,
    pub profile: bool,
}

/// The whole result of a batch: the JSON contract plus the optional profile and warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResult {
    pub version: u32,
    pub files: Vec<FileReport>,
    pub duplicates: Vec<crate::model::Duplicate>,
    pub summary: Summary,
    /// Problems that did not stop the run (an unusable cache file, a cache that could not be saved).
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileReport>,
}

/// Called with (files done, files total) as files finish; must be cheap and thread-safe.
pub type Progress<'p> = &'p (dyn Fn(usize, usize) + Sync);

enum Outcome {
    Hit(FileReport),
    /// Content unchanged, file metadata changed: the cached report holds, the stamp is refreshed.
    HitNewStamp(FileReport, FileStamp),
    Miss(FileReport, Option<(FileStamp, String)>),
}

pub fn analyze_paths(
    paths: &[PathBuf],
    options: &BatchOptions,
    progress: Option<Progress>,
) -> BatchResult {
    let started = Instant::now();
    profile::reset();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build();
    let mut warnings = Vec::new();
    let mut cache = options
        .cache
        .enabled
        .then(|| take_cache(options, &mut warnings));

    let run = |cache: Option<&Cache>| {
        let candidates = profile::time(Phase::Walk, || {
            source::collect(paths, rayon::current_num_threads())
        });
        let outcomes = analyze_candidates(&candidates, options, cache, progress);
        (outcomes, rayon::current_num_threads())
    };
    let (outcomes, threads) = match &pool {
        Ok(pool) => pool.install(|| run(cache.as_ref())),
        Err(_) => run(cache.as_ref()),
    };

    let mut stats = CacheSummary::default();
    let files: Vec<FileReport> = profile::time(Phase::Cache, || {
        outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Hit(report) => {
                    stats.hits += 1;
                    report
                }
                Outcome::HitNewStamp(report, stamp) => {
                    stats.hits += 1;
                    if let Some(cache) = cache.as_mut() {
                        cache.touch(&report.path, stamp);
                    }
                    report
                }
                Outcome::Miss(report, stamp_and_hash) => {
                    stats.misses += 1;
                    if let (Some(cache), Some((stamp, hash))) = (cache.as_mut(), stamp_and_hash) {
                        let entry = Entry {
                            stamp,
                            hash,
                            report: report.clone(),
                        };
                        cache.insert(report.path.clone(), entry);
                    }
                    report
                }
            })
            .collect()
    });
    if let Some(mut cache) = cache {
        cache.stats.hits += stats.hits;
        cache.stats.misses += stats.misses;
        warnings.extend(profile::time(Phase::Cache, || cache.save()));
        *cache::MEMORY.lock().unwrap_or_else(|e| e.into_inner()) = Some(cache);
    }

    let summary = Summary {
        files: files.len() as u32,
        functions: files.iter().map(|f| f.functions.len() as u32).sum(),
        smells: files.iter().map(|f| f.smells.len() as u32).sum(),
        errors: files.iter().map(|f| f.errors.len() as u32).sum(),
        cache: stats,
        ms: started.elapsed().as_millis() as u64,
    };
    BatchResult {
        version: CONTRACT_VERSION,
        files,
        duplicates: Vec::new(),
        summary,
        warnings,
        profile: options.profile.then(|| profile::snapshot(threads)),
    }
}

/// The in-memory cache when it belongs to this location and key, else the one on disk (or a new one).
fn take_cache(options: &BatchOptions, warnings: &mut Vec<String>) -> Cache {
    let key = cache::cache_key(&options.analyze.fingerprint());
    let limits = options.cache.limits.clone().unwrap_or_default();
    let location = options.cache.location.clone();
    let mut memory = cache::MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cache) = memory.take() {
        if cache.key() == key && cache.location() == location.as_deref() {
            return cache;
        }
    }
    drop(memory);
    let (cache, warning) = profile::time(Phase::Cache, || Cache::load(key, location, limits));
    warnings.extend(warning);
    cache
}

/// Stats of the process-wide cache (for `getCacheStats()`).
pub fn cache_stats() -> CacheStats {
    cache::MEMORY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|c| c.stats)
        .unwrap_or_default()
}

/// Empties the in-memory cache and deletes its file, if any.
pub fn clear_cache() {
    let mut memory = cache::MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cache) = memory.take() {
        if let Some(path) = cache.location() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn analyze_candidates(
    candidates: &[Candidate],
    options: &BatchOptions,
    cache: Option<&Cache>,
    progress: Option<Progress>,
) -> Vec<Outcome> {
    let done = AtomicUsize::new(0);
    let total = candidates.len();
    candidates
        .par_iter()
        .map(|candidate| {
            let shown = source::display_path(&candidate.path, &options.root);
            let outcome = match &candidate.walk_error {
                Some(message) => Outcome::Miss(
                    failed_report(
                        &shown,
                        language_of(&candidate.path),
                        String::new(),
                        message.clone(),
                    ),
                    None,
                ),
                None => analyze_cached(&candidate.path, &shown, &options.analyze, cache),
            };
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = progress {
                progress(finished, total);
            }
            outcome
        })
        .collect()
}

/// The cache's fast path (same size and mtime: no read), then its content path (same hash: no parse), then analysis.
fn analyze_cached(
    path: &Path,
    shown: &str,
    options: &AnalyzeOptions,
    cache: Option<&Cache>,
) -> Outcome {
    let language = language_of(path);
    let stamp = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| FileStamp::of(&m));
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(entry) = profile::time(Phase::Cache, || cache.lookup_stamp(shown, stamp)) {
            return Outcome::Hit(entry.report.clone());
        }
    }
    let (bytes, hash) = match read_and_hash(path, options) {
        Ok(read) => read,
        Err(err) => {
            return Outcome::Miss(
                failed_report(shown, language, String::new(), err.to_string()),
                None,
            )
        }
    };
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(entry) = profile::time(Phase::Cache, || cache.lookup_hash(shown, &hash)) {
            return Outcome::HitNewStamp(entry.report.clone(), stamp);
        }
    }
    let report = analyze_isolated(shown, language, || {
        analyze_bytes(&bytes, hash.clone(), shown, language, options)
    });
    Outcome::Miss(report, stamp.map(|s| (s, hash)))
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
