//! The in-memory side of the cache: a bounded LRU of entries (by path), with hit/miss/eviction stats, and the
//! process-wide instance long-lived processes (API users, watch mode) reuse.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use lru::LruCache;

use super::{CacheLimits, CacheStats, Entry, FileStamp, StoredFingerprint};
use crate::model::Duplicate;

/// The entries of one cache key, least recently used first out; `disk.rs` loads and saves them.
pub struct Cache {
    /// Tool version + effective options; entries under another key are never used.
    pub(super) key: u64,
    pub(super) location: Option<PathBuf>,
    pub(super) entries: LruCache<String, Entry>,
    pub(super) limits: CacheLimits,
    pub stats: CacheStats,
    pub(super) dirty: bool,
    /// The duplicates of the last batch and the key of the files they came from (see `duplicates_for`).
    pub(super) duplicates: Option<(u64, Vec<Duplicate>)>,
    /// Its reports carry generation's facts (`AnalyzeOptions::types`): it lives in the other memory slot.
    generation: bool,
}

fn entry_weight(entry: &Entry) -> u64 {
    let fingerprint = entry
        .fingerprint
        .as_ref()
        .map_or(0, StoredFingerprint::weight);
    let deps: usize = entry.deps.iter().map(|(p, h)| p.len() + h.len()).sum();
    (entry.json.len() + entry.hash.len() + fingerprint + deps + 128) as u64
}

impl Cache {
    pub fn new(key: u64, location: Option<PathBuf>, limits: CacheLimits) -> Self {
        Self {
            key,
            location,
            entries: LruCache::unbounded(),
            limits,
            stats: CacheStats::default(),
            dirty: false,
            duplicates: None,
            generation: false,
        }
    }

    /// Marks the cache as the one of reports with generation's facts (see `memory_for`).
    pub fn for_generation(mut self, generation: bool) -> Self {
        self.generation = generation;
        self
    }

    pub fn generation(&self) -> bool {
        self.generation
    }

    /// A cached file's duplicate-detection fingerprint (a hit's result does not carry it: most runs never need it).
    pub fn fingerprint(&self, path: &str) -> Option<&StoredFingerprint> {
        self.entries.peek(path)?.fingerprint.as_ref()
    }

    /// The duplicates computed last time for exactly these files (same paths, same reports: `files_key`), if any.
    /// Duplicates depend only on the files' fingerprints, which depend only on their content and the options (the
    /// cache key), so an unchanged file set gives the same result without running the cross-file pass.
    pub fn duplicates_for(&self, files_key: u64) -> Option<&Vec<Duplicate>> {
        self.duplicates
            .as_ref()
            .filter(|(key, _)| *key == files_key)
            .map(|(_, d)| d)
    }

    pub fn set_duplicates(&mut self, files_key: u64, duplicates: Vec<Duplicate>) {
        if self.duplicates.as_ref().map(|(k, _)| *k) != Some(files_key) {
            self.dirty = true;
        }
        self.duplicates = Some((files_key, duplicates));
    }

    pub fn key(&self) -> u64 {
        self.key
    }

    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// A hit when the stamp is unchanged (no read needed). Otherwise the caller hashes and calls `lookup_hash`.
    pub fn lookup_stamp(&self, path: &str, stamp: FileStamp) -> Option<&Entry> {
        self.entries.peek(path).filter(|e| e.stamp == stamp)
    }

    pub fn lookup_hash(&self, path: &str, hash: &str) -> Option<&Entry> {
        self.entries.peek(path).filter(|e| e.hash == hash)
    }

    pub fn insert(&mut self, path: String, entry: Entry) {
        self.insert_entry(path, entry);
        self.dirty = true;
    }

    /// Marks an entry as recently used (LRU order) and refreshes its stamp after a content-hash hit.
    pub fn touch(&mut self, path: &str, stamp: FileStamp) {
        if let Some(entry) = self.entries.get_mut(path) {
            if entry.stamp != stamp {
                entry.stamp = stamp;
                self.dirty = true;
            }
        }
    }

    pub(super) fn insert_entry(&mut self, path: String, entry: Entry) {
        self.stats.bytes += entry_weight(&entry);
        if let Some(old) = self.entries.put(path, entry) {
            self.stats.bytes -= entry_weight(&old);
        }
        while self.entries.len() > self.limits.max_entries.max(1)
            || (self.stats.bytes > self.limits.max_bytes && self.entries.len() > 1)
        {
            match self.entries.pop_lru() {
                Some((_, old)) => {
                    self.stats.bytes -= entry_weight(&old);
                    self.stats.evictions += 1;
                }
                None => break,
            }
        }
        self.stats.entries = self.entries.len() as u64;
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.duplicates = None;
        self.stats = CacheStats::default();
        self.dirty = true;
    }
}

/// The process-wide in-memory caches (API users, watch mode, the language server): reused while the location and key
/// stay the same. Two slots, so a process that analyses (plain reports) and generates (reports with generation's
/// facts, another cache key) keeps both instead of each run evicting the other's.
static PLAIN: Mutex<Option<Cache>> = Mutex::new(None);
static GENERATION: Mutex<Option<Cache>> = Mutex::new(None);

/// The memory slot of plain reports (`false`) or of reports with generation's facts (`true`).
pub fn memory_for(generation: bool) -> &'static Mutex<Option<Cache>> {
    if generation {
        &GENERATION
    } else {
        &PLAIN
    }
}

/// Drops both in-memory caches (what a new process starts with).
pub fn forget_memory() {
    for slot in [&PLAIN, &GENERATION] {
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::test_support::entry;

    #[test]
    fn the_lru_evicts_the_least_recently_used_beyond_its_limits() {
        let limits = CacheLimits {
            max_entries: 2,
            max_bytes: u64::MAX,
        };
        let mut cache = Cache::new(1, None, limits);
        cache.insert("a".into(), entry(1, "a"));
        cache.insert("b".into(), entry(1, "b"));
        cache.touch(
            "a",
            FileStamp {
                size: 1,
                mtime_ns: 7,
            },
        );
        cache.insert("c".into(), entry(1, "c"));
        assert!(cache.lookup_hash("a", "a").is_some());
        assert!(cache.lookup_hash("b", "b").is_none());
        assert_eq!(cache.stats.evictions, 1);

        let by_bytes = CacheLimits {
            max_entries: 100,
            max_bytes: 600,
        };
        let mut cache = Cache::new(1, None, by_bytes);
        cache.insert("a".into(), entry(100, "a"));
        cache.insert("b".into(), entry(100, "b"));
        cache.insert("c".into(), entry(100, "c"));
        assert_eq!(cache.stats.entries, 1);
    }
}
