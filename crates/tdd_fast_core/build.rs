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

/// The leading `//!` block of a source file, without the markers.
fn header(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| {
            let line = &line[3..];
            line.strip_prefix(' ').unwrap_or(line)
        })
        .collect();
    lines.join("\n").trim().to_string()
}

/// `(file stem, doc header)` of every rule file in a directory (not mod.rs), sorted by file name, as a Rust array.
fn docs_of(dir: &Path) -> String {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .filter(|stem| stem != "mod")
                .collect()
        })
        .unwrap_or_default();
    stems.sort();
    let items: Vec<String> = stems
        .iter()
        .map(|stem| format!("({stem:?}, {:?})", header(&dir.join(format!("{stem}.rs")))))
        .collect();
    format!("&[{}]", items.join(",\n"))
}

/// The rules' documentation (each rule file's `//!` header) as data, so the core can serve it (see catalog.rs):
/// one source for the docs, read at build time, never at run time.
fn write_rule_docs() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let code = format!(
        "/// `(file stem, `//!` header)` of every smell rule file, by file name.\npub static SMELL_DOCS: &[(&str, &str)] = {};\n\
         /// `(file stem, `//!` header)` of every edge-case pattern file, by file name.\npub static PATTERN_DOCS: &[(&str, &str)] = {};\n",
        docs_of(Path::new("src/lint/smells")),
        docs_of(Path::new("src/lint/patterns"))
    );
    std::fs::write(out.join("rule_docs.rs"), code).expect("write rule_docs.rs");
}

fn main() {
    write_rule_docs();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hash_dir(Path::new("src"), &mut hasher);
    println!(
        "cargo:rustc-env=TDD_FAST_ENGINE_HASH={:016x}",
        hasher.finish()
    );
    println!("cargo:rerun-if-changed=src");
}
