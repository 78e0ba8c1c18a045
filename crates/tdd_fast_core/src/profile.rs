//! Where the time goes (`tdd-fast analyze --profile`): process-wide counters per phase, summed over all threads
//! (so on N threads the phases add up to about N times the wall time). Reset at the start of each batch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy)]
pub enum Phase {
    Walk,
    Read,
    Hash,
    Cache,
    Parse,
    Visit,
    Rules,
    Duplicates,
    Output,
}

const PHASES: [(&str, Phase); 9] = [
    ("walk", Phase::Walk),
    ("read", Phase::Read),
    ("hash", Phase::Hash),
    ("cache", Phase::Cache),
    ("parse", Phase::Parse),
    ("visit", Phase::Visit),
    ("rules", Phase::Rules),
    ("duplicates", Phase::Duplicates),
    ("output", Phase::Output),
];

struct Counters {
    nanos: [AtomicU64; 9],
    files_read: AtomicU64,
    bytes_read: AtomicU64,
}

static COUNTERS: Counters = Counters {
    nanos: [const { AtomicU64::new(0) }; 9],
    files_read: AtomicU64::new(0),
    bytes_read: AtomicU64::new(0),
};

pub fn reset() {
    for n in &COUNTERS.nanos {
        n.store(0, Ordering::Relaxed);
    }
    COUNTERS.files_read.store(0, Ordering::Relaxed);
    COUNTERS.bytes_read.store(0, Ordering::Relaxed);
}

/// Runs `work` and adds its duration to `phase`.
pub fn time<T>(phase: Phase, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    COUNTERS.nanos[phase as usize]
        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    out
}

pub fn count_read(bytes: u64) {
    COUNTERS.files_read.fetch_add(1, Ordering::Relaxed);
    COUNTERS.bytes_read.fetch_add(bytes, Ordering::Relaxed);
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseTime {
    pub phase: String,
    pub ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileReport {
    /// Thread-time per phase (summed over worker threads).
    pub phases: Vec<PhaseTime>,
    pub files_read: u64,
    pub bytes_read: u64,
    pub threads: u32,
}

pub fn snapshot(threads: usize) -> ProfileReport {
    ProfileReport {
        phases: PHASES
            .iter()
            .map(|(name, phase)| PhaseTime {
                phase: (*name).to_string(),
                ms: COUNTERS.nanos[*phase as usize].load(Ordering::Relaxed) as f64 / 1e6,
            })
            .collect(),
        files_read: COUNTERS.files_read.load(Ordering::Relaxed),
        bytes_read: COUNTERS.bytes_read.load(Ordering::Relaxed),
        threads: threads as u32,
    }
}
