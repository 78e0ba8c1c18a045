//! Analysing many files: rayon over files, the content-hash cache in front of the per-file pipeline, and each file's
//! failure (including a panic) isolated as that file's error.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyze::{
    analyze_bytes, analyze_isolated, failed_report, panic_message, read_and_hash,
    with_error_policy, AnalyzeOptions,
};
use crate::cache::{
    self, Cache, CacheLimits, CacheStats, Entry, FileStamp, ReportCounts, StoredFingerprint,
};
use crate::model::{CacheSummary, FileReport, Language, Summary, CONTRACT_VERSION};
use crate::profile::{self, Phase, ProfileReport};
use crate::shared::SharedText;
use crate::source::{self, Candidate, ReadError};

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
    /// Put each file's duplicate fingerprint in the result (`--shard` reports, for `merge-reports`; see shard.rs).
    pub fingerprints: bool,
    /// The JSON output holds each file's findings report instead of its full report (findings.rs): for front ends
    /// that print findings only. What is analysed and cached is the same; only the output text differs.
    pub findings_only: bool,
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
    /// With `BatchOptions::fingerprints`: every file's duplicate fingerprint, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fingerprints: Vec<crate::shard::FileFingerprint>,
}

/// Called with (files done, files total) as files finish; must be cheap and thread-safe.
pub type Progress<'p> = &'p (dyn Fn(usize, usize) + Sync);

/// One file's result as a batch holds it: the report's compact JSON text (spliced into the JSON output as is, so a
/// cache hit is neither decoded nor re-encoded) and its counts; the struct only when the caller asked for structs.
struct FileResult {
    path: String,
    /// The content hash (with the path, it identifies the fingerprint: see `find_duplicates`).
    hash: String,
    json: SharedText,
    counts: ReportCounts,
    report: Option<FileReport>,
    /// Token fingerprint for cross-file duplicates of a fresh report (a hit's stays encoded in the cache).
    fingerprint: Option<Box<crate::lint::duplicates::Fingerprint>>,
}

impl FileResult {
    fn fresh(mut report: FileReport, keep_report: bool) -> Self {
        let fingerprint = report.fingerprint.take();
        Self {
            path: report.path.clone(),
            hash: report.hash.clone(),
            json: cache::report_json(&report).into(),
            counts: ReportCounts::of(&report),
            report: keep_report.then_some(report),
            fingerprint,
        }
    }

    /// Shares the entry's texts (no copy). `generation`: the cache holds generation's facts (`AnalyzeOptions::types`).
    fn cached(path: &str, entry: &Entry, keep_report: bool, generation: bool) -> Self {
        Self {
            path: path.to_string(),
            hash: entry.hash.clone(),
            json: entry.json.clone(),
            counts: entry.counts,
            report: keep_report
                .then(|| entry.report())
                .flatten()
                .map(|report| FileReport {
                    generation,
                    ..report
                }),
            fingerprint: None,
        }
    }
}

enum Outcome {
    Hit(FileResult),
    /// Content unchanged, file metadata changed: the cached report holds, the stamp is refreshed.
    HitNewStamp(FileResult, FileStamp),
    /// Analysed now; cached under (stamp, hash) when both are known, with its fingerprint encoded for the cache.
    Miss(
        FileResult,
        Option<(FileStamp, String)>,
        Option<StoredFingerprint>,
        Vec<(String, String)>,
    ),
}

/// A batch before it becomes a `BatchResult` or JSON text.
struct RawBatch {
    files: Vec<FileResult>,
    duplicates: Vec<crate::model::Duplicate>,
    summary: Summary,
    warnings: Vec<String>,
    /// Threads used, when a profile was asked for (taken once the cache is saved, so the save is in it).
    profile_threads: Option<usize>,
    fingerprints: Vec<crate::shard::FileFingerprint>,
    /// The cache, not saved yet: the JSON path saves it while it builds the output.
    cache: Option<Cache>,
}

/// Saves the cache if anything changed (a warning when it cannot) and keeps it for the next batch of this process.
fn finish_cache(cache: Option<Cache>) -> Vec<String> {
    let Some(mut cache) = cache else {
        return Vec::new();
    };
    let warning = profile::time(Phase::Cache, || cache.save());
    let slot = cache::memory_for(cache.generation());
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(cache);
    warning.into_iter().collect()
}

pub fn analyze_paths(
    paths: &[PathBuf],
    options: &BatchOptions,
    progress: Option<Progress>,
) -> BatchResult {
    let mut raw = run_batch(paths, options, progress, true);
    raw.warnings.extend(finish_cache(raw.cache.take()));
    let files = raw
        .files
        .into_iter()
        .map(|file| match file.report {
            Some(report) => report,
            None => failed_report(
                &file.path,
                Language::Js,
                String::new(),
                "internal error: unreadable cached report (please report this to tdd-fast)".into(),
            ),
        })
        .collect();
    BatchResult {
        version: CONTRACT_VERSION,
        files,
        duplicates: raw.duplicates,
        summary: raw.summary,
        warnings: raw.warnings,
        profile: raw.profile_threads.map(profile::snapshot),
        fingerprints: raw.fingerprints,
    }
}

/// Extra facts about a batch for front ends that do not want to parse the whole JSON (the CLI's exit code).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchTotals {
    /// Files' errors (syntax, unreadable, too large...).
    pub file_errors: u32,
    /// Every finding of the batch by its severity: the files' errors (at the `parse-error` rule's severity), their
    /// smells, and the duplicate blocks (at the `duplicate-code` rule's). What the gate counts, counted once, here.
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

impl BatchTotals {
    fn add(&mut self, severity: crate::model::Severity, n: u32) {
        use crate::model::Severity;
        match severity {
            Severity::Error => self.errors += n,
            Severity::Warning => self.warnings += n,
            Severity::Info => self.infos += n,
        }
    }
}

/// A batch as JSON text, plus what a front end needs without parsing it all.
#[derive(Debug, Clone, Default)]
pub struct BatchJson {
    /// The JSON text of the `BatchResult`, as UTF-8 bytes.
    pub text: Vec<u8>,
    /// The same result without its files (`"files":[]`: duplicates, summary, warnings, profile): with `totals`, what a
    /// front end that prints `text` as is needs for warnings, the profile and the exit code, small enough to parse.
    pub envelope: String,
    pub totals: BatchTotals,
}

/// The start of a batch's JSON text up to its files' array, with the files' texts in it: `{"version":N,"files":[a,b`.
/// `close_files` appends the rest of the envelope once it is known (`files` is the envelope's second key).
/// With `parallel`, the texts are copied by the thread pool, each into its own part of the output: a large output is
/// fresh memory, and its page faults are most of the copy's cost.
fn open_files(texts: &[&str], parallel: bool) -> Vec<u8> {
    let head = format!("{{\"version\":{CONTRACT_VERSION},\"files\":[");
    let body: usize = texts.iter().map(|t| t.len() + 1).sum();
    let mut out = vec![0u8; head.len() + body.saturating_sub(1)];
    let (start, mut rest) = out.split_at_mut(head.len());
    start.copy_from_slice(head.as_bytes());
    let mut parts = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            let (comma, after) = rest.split_at_mut(1);
            comma[0] = b',';
            rest = after;
        }
        let (part, after) = rest.split_at_mut(text.len());
        parts.push((part, text.as_bytes()));
        rest = after;
    }
    if parallel {
        parts
            .into_par_iter()
            .with_min_len(16)
            .for_each(|(part, text)| part.copy_from_slice(text));
    } else {
        parts
            .into_iter()
            .for_each(|(part, text)| part.copy_from_slice(text));
    }
    out
}

/// Appends what follows the files' array in `envelope` (a `BatchResult` with no files, as JSON) to `open_files`'s text.
fn close_files(out: &mut Vec<u8>, envelope: &str) {
    const HEAD_END: &str = "\"files\":[";
    match envelope.find(HEAD_END) {
        Some(at) => out.extend_from_slice(&envelope.as_bytes()[at + HEAD_END.len()..]),
        // Not expected (the envelope is ours): keep the output valid JSON.
        None => out.extend_from_slice(b"]}"),
    }
}

/// The same batch as `analyze_paths`, as the JSON text of a `BatchResult`, built by splicing each file's JSON
/// (fresh or from the cache) into the envelope: cached files are never decoded or re-encoded. The cache is saved on a
/// second thread while the texts are copied (both are serial work on the batch's critical path).
pub fn analyze_paths_json(
    paths: &[PathBuf],
    options: &BatchOptions,
    progress: Option<Progress>,
) -> BatchJson {
    let mut raw = run_batch(paths, options, progress, false);
    let sum = |count: fn(&ReportCounts) -> u32| raw.files.iter().map(|f| count(&f.counts)).sum();
    let mut totals = BatchTotals {
        file_errors: sum(|c| c.errors),
        errors: sum(|c| c.error_smells),
        warnings: sum(|c| c.warning_smells),
        infos: sum(|c| c.info_smells),
    };
    // With the `parse-error` rule off the reports hold no errors, so its severity is only needed when there are some.
    if let Some(severity) = options.analyze.config.error_severity() {
        totals.add(severity, totals.file_errors);
    }
    for dup in raw.duplicates.iter().filter(|d| !d.locations.is_empty()) {
        totals.add(dup.severity, 1);
    }
    let cache = raw.cache.take();
    let files = std::mem::take(&mut raw.files);
    let parallel = options.threads != 1;
    let findings_only = options.findings_only;
    // Consumes the files: with no cache they are the only copy of the reports, freed once the output holds them.
    let build = move || {
        if findings_only {
            let texts = profile::time(Phase::Output, || findings_texts(&files, parallel));
            let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
            return open_files(&texts, parallel);
        }
        let texts: Vec<&str> = files.iter().map(|f| f.json.as_str()).collect();
        open_files(&texts, parallel)
    };
    let (save_warnings, mut text) = if cache.is_some() && parallel {
        std::thread::scope(|scope| {
            let saver = scope.spawn(move || finish_cache(cache));
            let built = build();
            let warnings = saver
                .join()
                .unwrap_or_else(|payload| vec![panic_message("saving the cache", &payload)]);
            (warnings, built)
        })
    } else {
        (finish_cache(cache), build())
    };
    raw.warnings.extend(save_warnings);
    let envelope = BatchResult {
        version: CONTRACT_VERSION,
        files: Vec::new(),
        duplicates: raw.duplicates,
        summary: raw.summary,
        warnings: raw.warnings,
        profile: raw.profile_threads.map(profile::snapshot),
        fingerprints: raw.fingerprints,
    };
    let envelope = serde_json::to_string(&envelope).unwrap_or_default();
    close_files(&mut text, &envelope);
    BatchJson {
        text,
        envelope,
        totals,
    }
}

/// Every file's findings report (findings.rs), in file order; a text that is not a report stays as it is.
fn findings_texts(files: &[FileResult], parallel: bool) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    fn one(f: &FileResult) -> Cow<'_, str> {
        let full = f.json.as_str();
        crate::findings::findings_json(full).map_or(Cow::Borrowed(full), Cow::Owned)
    }
    if parallel {
        files.par_iter().with_min_len(8).map(one).collect()
    } else {
        files.iter().map(one).collect()
    }
}

fn run_batch(
    paths: &[PathBuf],
    options: &BatchOptions,
    progress: Option<Progress>,
    keep_reports: bool,
) -> RawBatch {
    let started = Instant::now();
    profile::reset();
    // Other files read for types (and the dependency hashes of cached entries) are read once per run.
    crate::testgen::types::project::begin_run();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        // Deep (but not refused) code recurses in the parser and visitors: see guard.rs.
        .stack_size(crate::guard::ANALYSIS_STACK_SIZE)
        .build();
    let mut warnings = Vec::new();
    let mut cache = options
        .cache
        .enabled
        .then(|| take_cache(options, &mut warnings));

    let run = |cache: Option<&Cache>| {
        let candidates = profile::time(Phase::Walk, || {
            let mut candidates = source::collect(paths, rayon::current_num_threads());
            // Include/exclude globs from the config, over root-relative paths.
            let config = &options.analyze.config;
            if !config.include.is_empty() || !config.exclude.is_empty() {
                let filter = config.path_filter();
                candidates
                    .retain(|c| filter.accepts(&source::display_path(&c.path, &options.root)));
            }
            candidates
        });
        let outcomes = analyze_candidates(&candidates, options, cache, progress, keep_reports);
        (outcomes, rayon::current_num_threads())
    };
    let (outcomes, threads) = match &pool {
        Ok(pool) => pool.install(|| run(cache.as_ref())),
        Err(_) => run(cache.as_ref()),
    };

    let mut stats = CacheSummary::default();
    let files: Vec<FileResult> = profile::time(Phase::Cache, || {
        outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Hit(file) => {
                    stats.hits += 1;
                    file
                }
                Outcome::HitNewStamp(file, stamp) => {
                    stats.hits += 1;
                    if let Some(cache) = cache.as_mut() {
                        cache.touch(&file.path, stamp);
                    }
                    file
                }
                Outcome::Miss(file, stamp_and_hash, fingerprint, deps) => {
                    stats.misses += 1;
                    if let (Some(cache), Some((stamp, hash))) = (cache.as_mut(), stamp_and_hash) {
                        let entry = Entry {
                            stamp,
                            hash,
                            // Shared with the result, not copied.
                            json: file.json.clone(),
                            counts: file.counts,
                            fingerprint,
                            deps,
                        };
                        cache.insert(file.path.clone(), entry);
                    }
                    file
                }
            })
            .collect()
    });
    let duplicates = profile::time(Phase::Duplicates, || {
        find_duplicates(&files, cache.as_mut(), options)
    });
    // For a shard report: the fingerprints travel with it, so merge-reports can match duplicates across shards.
    let fingerprints = if options.fingerprints {
        fingerprints_of(&files, cache.as_ref())
            .into_iter()
            .map(|(path, fp)| crate::shard::encode(path, &fp))
            .collect()
    } else {
        Vec::new()
    };
    if let Some(cache) = cache.as_mut() {
        cache.stats.hits += stats.hits;
        cache.stats.misses += stats.misses;
    }

    let summary = Summary {
        files: files.len() as u32,
        functions: files.iter().map(|f| f.counts.functions).sum(),
        smells: files.iter().map(|f| f.counts.smells).sum(),
        errors: files.iter().map(|f| f.counts.errors).sum(),
        cache: stats,
        ms: started.elapsed().as_millis() as u64,
    };
    RawBatch {
        files,
        duplicates,
        summary,
        warnings,
        profile_threads: options.profile.then_some(threads),
        fingerprints,
        cache,
    }
}

/// Across files, after the per-file pass: duplicate blocks from the per-file fingerprints (fresh ones on the results,
/// cached ones in the cache). When the cache holds the duplicates of exactly this file set, they are reused.
fn find_duplicates(
    files: &[FileResult],
    cache: Option<&mut Cache>,
    options: &BatchOptions,
) -> Vec<crate::model::Duplicate> {
    // A fingerprint depends only on the file's content and the options (the cache key covers those): the same paths
    // with the same content hashes give the same duplicates.
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in files {
        for part in [&file.path, &file.hash] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    let files_key = hasher.digest();
    if let Some(found) = cache.as_deref().and_then(|c| c.duplicates_for(files_key)) {
        return found.clone();
    }
    let found = {
        let fingerprints = fingerprints_of(files, cache.as_deref());
        let refs: Vec<(&str, &crate::lint::duplicates::Fingerprint)> = fingerprints
            .iter()
            .map(|(path, fp)| (*path, fp.as_ref()))
            .collect();
        crate::lint::duplicates::find(&refs, &options.analyze.config.duplicates)
    };
    if let Some(cache) = cache {
        cache.set_duplicates(files_key, found.clone());
    }
    found
}

/// Every file's fingerprint, in file order: a fresh one as is, a cached one decoded (in parallel).
fn fingerprints_of<'f>(
    files: &'f [FileResult],
    cache: Option<&Cache>,
) -> Vec<(
    &'f str,
    std::borrow::Cow<'f, crate::lint::duplicates::Fingerprint>,
)> {
    use std::borrow::Cow;
    files
        .par_iter()
        .filter_map(|f| match f.fingerprint.as_deref() {
            Some(fp) => Some((f.path.as_str(), Cow::Borrowed(fp))),
            None => cache
                .and_then(|c| c.fingerprint(&f.path))
                .and_then(StoredFingerprint::decode)
                .map(|fp| (f.path.as_str(), Cow::Owned(fp))),
        })
        .collect()
}

/// The in-memory cache when it belongs to this location and key, else the one on disk (or a new one). Reports with
/// generation's facts (`types`) are cached apart from plain ones, in their own file and memory slot, so that
/// `analyze` and `generate` do not evict each other's entries.
fn take_cache(options: &BatchOptions, warnings: &mut Vec<String>) -> Cache {
    let key = cache::cache_key(&options.analyze.fingerprint());
    let limits = options.cache.limits.clone().unwrap_or_default();
    let generation = options.analyze.types;
    let location = options
        .cache
        .location
        .as_deref()
        .map(|l| cache::location_for(l, generation));
    let mut memory = cache::memory_for(generation)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(cache) = memory.take() {
        if cache.key() == key && cache.location() == location.as_deref() {
            return cache;
        }
    }
    drop(memory);
    let (cache, warning) = profile::time(Phase::Cache, || Cache::load(key, location, limits));
    warnings.extend(warning);
    cache.for_generation(generation)
}

/// Stats of the process-wide caches, plain and generation's together (for `getCacheStats()`).
pub fn cache_stats() -> CacheStats {
    [false, true]
        .into_iter()
        .filter_map(|generation| {
            cache::memory_for(generation)
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|c| c.stats)
        })
        .fold(CacheStats::default(), |all, one| CacheStats {
            hits: all.hits + one.hits,
            misses: all.misses + one.misses,
            evictions: all.evictions + one.evictions,
            entries: all.entries + one.entries,
            bytes: all.bytes + one.bytes,
            loaded_from_disk: all.loaded_from_disk || one.loaded_from_disk,
        })
}

/// Empties the in-memory caches and deletes their files, if any.
pub fn clear_cache() {
    for generation in [false, true] {
        let mut memory = cache::memory_for(generation)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(cache) = memory.take() {
            if let Some(path) = cache.location() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

fn analyze_candidates(
    candidates: &[Candidate],
    options: &BatchOptions,
    cache: Option<&Cache>,
    progress: Option<Progress>,
    keep_reports: bool,
) -> Vec<Outcome> {
    let done = AtomicUsize::new(0);
    let total = candidates.len();
    // Largest files first (longest-processing-time order): a large file started last keeps one thread busy while the
    // others have nothing left to do. The outcomes are put back in the walk's order below.
    let mut order: Vec<(u64, usize)> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, candidate)| {
            let size = match candidate.walk_error {
                Some(_) => 0,
                None => std::fs::metadata(&candidate.path).map_or(0, |m| m.len()),
            };
            (size, i)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // One file per job: with larger pieces the thread holding the largest files keeps them while the other idles.
    let mut outcomes: Vec<(usize, Outcome)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&(_, i)| (i, &candidates[i]))
        .map(|(i, candidate)| {
            let shown = source::display_path(&candidate.path, &options.root);
            let outcome = match &candidate.walk_error {
                Some(message) => Outcome::Miss(
                    FileResult::fresh(
                        with_error_policy(
                            failed_report(
                                &shown,
                                language_of(&candidate.path),
                                String::new(),
                                message.clone(),
                            ),
                            &options.analyze.config,
                        ),
                        keep_reports,
                    ),
                    None,
                    None,
                    Vec::new(),
                ),
                None => analyze_cached(
                    &candidate.path,
                    &shown,
                    &options.root,
                    &options.analyze,
                    cache,
                    keep_reports,
                ),
            };
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = progress {
                progress(finished, total);
            }
            (i, outcome)
        })
        .collect();
    outcomes.sort_unstable_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}

/// The cache's fast path (same size and mtime: no read), then its content path (same hash: no parse), then analysis.
/// The report is encoded to JSON here, on the worker thread, so encoding runs in parallel too.
fn analyze_cached(
    path: &Path,
    shown: &str,
    root: &Path,
    options: &AnalyzeOptions,
    cache: Option<&Cache>,
    keep_report: bool,
) -> Outcome {
    let language = language_of(path);
    let stamp = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| FileStamp::of(&m));
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(entry) = profile::time(Phase::Cache, || cache.lookup_stamp(shown, stamp)) {
            if deps_unchanged(entry) {
                return Outcome::Hit(FileResult::cached(shown, entry, keep_report, options.types));
            }
        }
    }
    let (bytes, hash) = match read_and_hash(path, options) {
        Ok(read) => read,
        Err(err) => {
            // A file over the size limit fails the same way until its size (part of the stamp) or the limit (part
            // of the cache key) changes: cache that, so a warm run does not count it as a miss every time.
            let cacheable = matches!(err, ReadError::TooLarge { .. });
            let report = with_error_policy(
                failed_report(shown, language, String::new(), err.to_string()),
                &options.config,
            );
            let key = stamp
                .filter(|_| cacheable)
                .map(|s| (s, format!("unread:{}", s.size)));
            return Outcome::Miss(
                FileResult::fresh(report, keep_report),
                key,
                None,
                Vec::new(),
            );
        }
    };
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(entry) = profile::time(Phase::Cache, || cache.lookup_hash(shown, &hash)) {
            if deps_unchanged(entry) {
                return Outcome::HitNewStamp(
                    FileResult::cached(shown, entry, keep_report, options.types),
                    stamp,
                );
            }
        }
    }
    // Types may be resolved from other files (imports, a sibling .d.ts): their hashes go into the cache entry.
    let (report, deps) = crate::testgen::types::project::with_file(path, root, || {
        analyze_isolated(shown, language, || {
            analyze_bytes(&bytes, hash.clone(), shown, language, options)
        })
    });
    let report = with_error_policy(report, &options.config);
    drop(bytes);
    let file = profile::time(Phase::Output, || FileResult::fresh(report, keep_report));
    // Encoded here, on the worker thread, for the cache entry (the result keeps the decoded one for duplicates).
    let stored = cache
        .and(file.fingerprint.as_deref())
        .map(StoredFingerprint::encode);
    Outcome::Miss(file, stamp.map(|s| (s, hash)), stored, deps)
}

/// Whether every file a cached report's types came from still has the content it had (see types/project.rs).
fn deps_unchanged(entry: &Entry) -> bool {
    entry.deps.iter().all(|(path, hash)| {
        crate::testgen::types::project::hash_file(Path::new(path)).as_deref() == Some(hash.as_str())
    })
}

fn language_of(path: &Path) -> Language {
    source::language_of(path).unwrap_or(Language::Js)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tdd-fast-batch-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("src/a.ts"),
            "export function f(a?: string) { if (a) { return 1; } return 2; }\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("src/b.js"),
            "const g = (x) => x ?? 0;\nfunction broken( {\n",
        )
        .unwrap();
        std::fs::write(dir.join("src/big.ts"), "x".repeat(64)).unwrap();
        dir
    }

    fn options(dir: &Path, cache: bool) -> BatchOptions {
        let mut options = BatchOptions {
            root: dir.to_path_buf(),
            threads: 2,
            ..Default::default()
        };
        options.analyze.max_file_size = 63;
        options.cache = CacheOptions {
            enabled: cache,
            location: cache.then(|| dir.join("cache.bin")),
            limits: None,
        };
        options
    }

    fn without_timing(mut value: serde_json::Value) -> serde_json::Value {
        value["summary"]["ms"] = 0.into();
        value
    }

    #[test]
    fn spliced_json_is_the_struct_result_serialised_cold_and_warm() {
        let dir = project("splice");
        let paths = [dir.join("src")];
        for cache in [false, true, true] {
            let opts = options(&dir, cache);
            let json = analyze_paths_json(&paths, &opts, None);
            let spliced: serde_json::Value = serde_json::from_slice(&json.text).unwrap();
            let structs = serde_json::to_value(analyze_paths(&paths, &opts, None)).unwrap();
            let mut expected = without_timing(structs);
            let mut got = without_timing(spliced);
            // The struct run follows the JSON run, so with the cache on it only sees hits.
            expected["summary"]["cache"] = serde_json::Value::Null;
            got["summary"]["cache"] = serde_json::Value::Null;
            assert_eq!(got, expected);
            // The envelope is the result without its files; the totals count what the files hold.
            let mut envelope: serde_json::Value = serde_json::from_str(&json.envelope).unwrap();
            let mut full: serde_json::Value = serde_json::from_slice(&json.text).unwrap();
            let files = full["files"].take();
            assert_eq!(files.as_array().unwrap().len(), 3);
            envelope["files"] = serde_json::Value::Null;
            full["files"] = serde_json::Value::Null;
            assert_eq!(envelope, full);
            let count = |key: &str, severity: Option<&str>| -> u32 {
                let items = files
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|f| f[key].as_array().unwrap());
                items
                    .filter(|i| severity.is_none_or(|s| i["severity"] == s))
                    .count() as u32
            };
            let duplicates = envelope["duplicates"].as_array().unwrap().len() as u32;
            assert_eq!(
                json.totals,
                BatchTotals {
                    file_errors: count("errors", None),
                    errors: count("errors", Some("error")) + count("smells", Some("error")),
                    warnings: count("smells", Some("warning")) + duplicates,
                    infos: count("smells", Some("info")),
                }
            );
            assert!(
                json.totals.file_errors >= 2,
                "the fixture has a syntax error and a file too large"
            );
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_findings_product_is_each_full_report_cut_down_cold_and_warm() {
        let dir = project("findings");
        let paths = [dir.join("src")];
        for cache in [false, true, true] {
            let full_opts = options(&dir, cache);
            let findings_opts = BatchOptions {
                findings_only: true,
                ..options(&dir, cache)
            };
            let findings = analyze_paths_json(&paths, &findings_opts, None);
            let full = analyze_paths_json(&paths, &full_opts, None);
            let parse =
                |j: &BatchJson| -> serde_json::Value { serde_json::from_slice(&j.text).unwrap() };
            let (mut slim, mut whole) = (parse(&findings), parse(&full));
            let slim_files = slim["files"].take();
            let whole_files = whole["files"].take();
            let expected: Vec<serde_json::Value> = whole_files
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let text = crate::findings::findings_json(&f.to_string()).unwrap();
                    serde_json::from_str(&text).unwrap()
                })
                .collect();
            assert_eq!(slim_files, serde_json::Value::Array(expected));
            assert_eq!(slim_files.as_array().unwrap().len(), 3);
            // Everything else (duplicates, summary but its timing and cache, warnings) and the counts are the same.
            for value in [&mut slim, &mut whole] {
                value["summary"]["ms"] = 0.into();
                value["summary"]["cache"] = serde_json::Value::Null;
            }
            assert_eq!(slim, whole);
            assert_eq!(findings.totals, full.totals);
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn analysis_and_generation_keep_their_cache_entries_side_by_side() {
        let dir = project("both-modes");
        let paths = [dir.join("src")];
        let plain = options(&dir, true);
        let mut generation = options(&dir, true);
        generation.analyze.types = true;
        let run = |opts: &BatchOptions| {
            cache::forget_memory(); // each run as a new process: its cache comes from disk
            analyze_paths_json(&paths, opts, None)
        };
        let first = run(&plain);
        let typed = run(&generation);
        assert!(
            typed.envelope.contains("\"misses\":3"),
            "{}",
            typed.envelope
        );
        // Neither run evicted the other's entries: both are all hits now.
        for opts in [&plain, &generation] {
            let again = run(opts);
            assert!(
                again.envelope.contains("\"hits\":3,\"misses\":0"),
                "{}",
                again.envelope
            );
        }
        assert!(dir.join("cache.bin").exists() && dir.join("cache.types.bin").exists());
        // Plain reports leave generation's facts out; reports for generation carry them, also from the cache.
        let text = |j: &BatchJson| String::from_utf8(j.text.clone()).unwrap();
        assert!(!text(&first).contains("\"usage\""));
        assert!(text(&run(&generation)).contains("\"usage\""));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_file_over_the_size_limit_is_a_cache_hit_on_the_next_run() {
        let dir = project("too-large");
        let paths = [dir.join("src")];
        let opts = options(&dir, true);
        cache::forget_memory();
        let first = analyze_paths(&paths, &opts, None);
        assert_eq!(first.summary.cache.misses, 3);
        let big = first
            .files
            .iter()
            .find(|f| f.path.ends_with("big.ts"))
            .unwrap();
        assert!(big.errors[0].message.contains("too large"));
        cache::forget_memory(); // a new process: the cache comes from disk
        let second = analyze_paths(&paths, &opts, None);
        assert_eq!(second.summary.cache.hits, 3);
        assert_eq!(second.files, first.files);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn duplicates_are_the_same_without_cache_cold_and_warm_and_follow_a_change() {
        let dir = std::env::temp_dir().join(format!("tdd-fast-batch-{}-dupes", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let body: String = (0..12)
            .map(|i| format!("  if (items[{i}] > limit) {{ total += items[{i}] * {i}; }}\n"))
            .collect();
        let code = |name: &str| {
            format!("export function {name}(items, limit) {{\n  let total = 0;\n{body}  return total;\n}}\n")
        };
        std::fs::write(dir.join("a.js"), code("a")).unwrap();
        std::fs::write(dir.join("b.js"), code("b")).unwrap();
        let paths = [dir.clone()];
        let roomy = |cache| {
            let mut o = options(&dir, cache);
            o.analyze.max_file_size = 1 << 20;
            o
        };
        let uncached = analyze_paths(&paths, &roomy(false), None).duplicates;
        assert!(
            !uncached.is_empty(),
            "the fixture should have a duplicate block"
        );
        let opts = roomy(true);
        cache::forget_memory();
        assert_eq!(analyze_paths(&paths, &opts, None).duplicates, uncached);
        cache::forget_memory(); // a new process: cache (and its duplicates) from disk
        let warm = analyze_paths(&paths, &opts, None);
        assert_eq!(warm.summary.cache.hits, 2);
        assert_eq!(warm.duplicates, uncached);
        std::fs::write(dir.join("b.js"), "export const b = 1;\n").unwrap();
        let changed = analyze_paths(&paths, &opts, None);
        assert_eq!(changed.summary.cache.misses, 1);
        assert!(changed
            .duplicates
            .iter()
            .all(|d| d.locations.iter().all(|l| l.path != "b.js")));
        assert_eq!(
            changed.duplicates,
            analyze_paths(&paths, &roomy(false), None).duplicates
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
