//! Fingerprints the engine's own source so the analysis cache is invalidated by any change to the engine (a new
//! rule, a changed report type), not only by a version bump: cached results must never outlive the code that made them.

use std::hash::{Hash, Hasher};
use std::path::Path;

fn hash_dir(dir: &Path, hasher: &mut std::collections::hash_map::DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_dir(&path, hasher);
        } else if path.extension().is_some_and(|e| e == "rs") {
            path.file_name().hash(hasher);
            std::fs::read(&path).unwrap_or_default().hash(hasher);
        }
    }
}

fn main() {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hash_dir(Path::new("src"), &mut hasher);
    println!(
        "cargo:rustc-env=TDD_FAST_ENGINE_HASH={:016x}",
        hasher.finish()
    );
    println!("cargo:rerun-if-changed=src");
}
