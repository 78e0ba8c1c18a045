//! tdd-fast's engine: parse JavaScript/TypeScript with oxc, collect owned facts for every function in one visitor pass,
//! and turn them into metrics, smells and edge-case patterns. Pure Rust; the napi binding lives in `tdd_fast_napi`.

pub mod analyze;
pub mod batch;
pub mod cache;
pub mod catalog;
pub mod config;
pub mod findings;
pub mod guard;
pub mod lint;
pub mod model;
pub mod parse;
pub mod presets;
pub mod profile;
pub mod shard;
pub mod shared;
pub mod single;
pub mod source;
pub mod testgen;

pub use analyze::{analyze_text, AnalyzeOptions};
pub use batch::{analyze_paths, BatchOptions, BatchResult, CacheOptions};
pub use model::*;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
