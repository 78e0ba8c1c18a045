//! The engine alone, as a native process (for side-by-side timing with oxlint, see bench/engine-speed.mjs): walks the
//! paths, runs the whole per-file pipeline (parse, the one visitor pass, rules, patterns, fingerprints) on all cores,
//! then cross-file duplicates, and serializes the JSON result (to stdout with `--json`, else only a summary line).
//!
//!   cargo run --release -p tdd_fast_core --example engine -- <paths...> [--json]

use std::io::Write;
use std::path::PathBuf;

use tdd_fast_core::{BatchOptions, CacheOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let options = BatchOptions {
        root: std::env::current_dir().unwrap_or_default(),
        cache: CacheOptions::default(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let out = tdd_fast_core::batch::analyze_paths_json(&paths, &options, None);
    let took = started.elapsed();
    if json {
        let _ = std::io::stdout().write_all(&out.text);
    } else {
        println!(
            "{} bytes of JSON in {:.1} ms",
            out.text.len(),
            took.as_secs_f64() * 1e3
        );
    }
}
