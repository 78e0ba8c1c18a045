//! The content-hash cache: a hit skips reading (when size and mtime are unchanged) or parsing (when the bytes hash to
//! what was analysed before). Keyed by path + content hash, under a header key of tool version + effective options, so
//! a config change or a new tool version starts a fresh cache. Held in memory as a bounded LRU for long-lived
//! processes, and persisted to one file (loaded and saved whole, written atomically with temp file + rename).
//! A corrupt, truncated or foreign file is ignored with a warning and rebuilt; it is never a crash.
//!
//! Invariant: a stale result is never returned for changed content. Unchanged metadata may skip hashing; changed
//! metadata always re-hashes the bytes.
//!
//! Three parts: `memory` (the bounded in-memory LRU of entries, shared by long-lived processes), `disk` (the file
//! format: load, save, validation) and `counts` (what the summary and exit code need from an entry, without its JSON).

use std::num::NonZeroUsize;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::model::FileReport;
use crate::shared::{SharedBytes, SharedText};

mod counts;
mod disk;
mod memory;

pub use counts::ReportCounts;
pub use disk::FORMAT_VERSION;
pub use memory::{forget_memory, memory_for, Cache};

/// Where reports with generation's facts are cached beside the plain cache file: `analysis.bin` ->
/// `analysis.types.bin` (plain reports stay at `location`).
pub fn location_for(location: &std::path::Path, generation: bool) -> std::path::PathBuf {
    if !generation {
        return location.to_path_buf();
    }
    let stem = location
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match location.extension() {
        Some(ext) => format!("{stem}.types.{}", ext.to_string_lossy()),
        None => format!("{stem}.types"),
    };
    location.with_file_name(name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    pub mtime_ns: u64,
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Self {
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// A cached file: its report as compact JSON text (what the output splices in, so a hit costs neither decoding nor
/// encoding) and the counts the summary and the exit code need. Texts loaded from disk are ranges of one shared
/// buffer: a hit is a reference count, not a copy.
#[derive(Debug, Clone)]
pub struct Entry {
    pub stamp: FileStamp,
    pub hash: String,
    pub json: SharedText,
    pub counts: ReportCounts,
    /// The file's token fingerprint, still encoded (duplicate detection decodes it only when the file set changed).
    pub fingerprint: Option<StoredFingerprint>,
    /// (absolute path, content hash) of the other files the report's types were resolved from (imports, a sibling
    /// `.d.ts`): the entry holds only while each still hashes the same (see types/project.rs).
    pub deps: Vec<(String, String)>,
}

/// A duplicate-detection fingerprint as the cache keeps it: the token codes and the varint line deltas
/// (see `dupes::encode_lines`), decoded on demand.
#[derive(Debug, Clone)]
pub struct StoredFingerprint {
    pub tokens: u32,
    pub codes: SharedBytes,
    pub lines: SharedBytes,
}

impl StoredFingerprint {
    pub fn encode(fingerprint: &crate::lint::duplicates::Fingerprint) -> Self {
        Self {
            tokens: fingerprint.codes.len() as u32,
            codes: SharedBytes::from(fingerprint.codes.clone()),
            lines: SharedBytes::from(crate::lint::duplicates::encode_lines(&fingerprint.lines)),
        }
    }

    /// `None` when the stored bytes are damaged (the file is then left out of duplicate detection).
    pub fn decode(&self) -> Option<crate::lint::duplicates::Fingerprint> {
        let codes = self.codes.as_bytes();
        if codes.len() != self.tokens as usize {
            return None;
        }
        let lines = crate::lint::duplicates::decode_lines(self.lines.as_bytes(), codes.len())?;
        Some(crate::lint::duplicates::Fingerprint {
            codes: codes.to_vec(),
            lines,
        })
    }

    fn weight(&self) -> usize {
        self.codes.len() + self.lines.len()
    }
}

impl Entry {
    pub fn new(stamp: FileStamp, hash: String, report: &FileReport) -> Self {
        Self {
            stamp,
            hash,
            json: report_json(report).into(),
            counts: ReportCounts::of(report),
            fingerprint: report.fingerprint.as_deref().map(StoredFingerprint::encode),
            deps: Vec::new(),
        }
    }

    /// The cached report as a struct (for the struct API; the JSON path never decodes it).
    pub fn report(&self) -> Option<FileReport> {
        serde_json::from_str(self.json.as_str()).ok()
    }
}

/// A report as the compact JSON text the output and the cache share.
pub fn report_json(report: &FileReport) -> String {
    serde_json::to_string(report).unwrap_or_else(|e| {
        // Not expected (reports are plain data); keep the run going with an explicit marker.
        format!(
            "{{\"path\":{:?},\"error\":{:?}}}",
            report.path,
            e.to_string()
        )
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub entries: u64,
    /// Approximate bytes held in memory (the cached reports' JSON text plus a small per-entry overhead).
    pub bytes: u64,
    pub loaded_from_disk: bool,
}

#[derive(Debug, Clone)]
pub struct CacheLimits {
    pub max_entries: usize,
    pub max_bytes: u64,
}

impl Default for CacheLimits {
    fn default() -> Self {
        Self {
            max_entries: 200_000,
            max_bytes: 512 * 1024 * 1024,
        }
    }
}

/// The header key: tool version, cache format and the effective options (anything that changes a report).
pub fn cache_key(options_fingerprint: &str) -> u64 {
    // The engine hash (build.rs) changes with any change to the engine's source, even without a version bump.
    let engine = concat!(env!("CARGO_PKG_VERSION"), "+", env!("TDD_FAST_ENGINE_HASH"));
    cache_key_for(engine, options_fingerprint)
}

fn cache_key_for(tool_version: &str, options_fingerprint: &str) -> u64 {
    let text = format!("{tool_version}|{FORMAT_VERSION}|{options_fingerprint}");
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

pub fn default_limits() -> CacheLimits {
    CacheLimits::default()
}

pub fn non_zero(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n.max(1)).unwrap_or(NonZeroUsize::MIN)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::analyze::analyze_text;
    use crate::model::Language;

    pub fn entry(size: u64, hash: &str) -> Entry {
        let report = analyze_text(
            "export function f(a?: string) { return a ?? ''; }",
            "f.ts",
            Language::Ts,
            &Default::default(),
        );
        Entry::new(FileStamp { size, mtime_ns: 7 }, hash.into(), &report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_tool_version_or_other_options_give_another_key() {
        let options = crate::AnalyzeOptions::default().fingerprint();
        assert_ne!(
            cache_key_for("0.1.0", &options),
            cache_key_for("0.1.1", &options)
        );
        let mut bigger = crate::AnalyzeOptions::default();
        bigger.max_file_size += 1;
        assert_ne!(cache_key(&options), cache_key(&bigger.fingerprint()));
        assert_eq!(
            cache_key(&options),
            cache_key(&crate::AnalyzeOptions::default().fingerprint())
        );
    }
}
