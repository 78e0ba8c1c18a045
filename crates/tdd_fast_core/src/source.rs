//! Finding and reading source files: .gitignore-aware walking (the `ignore` crate), and the checks that turn a bad file
//! into a clear per-file error instead of a failed run (binary, not UTF-8, too large, unreadable, vanished).

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::model::Language;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Folders that hold dependencies or build output; skipped by default while walking (explicit file paths are not).
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "out",
    "coverage",
    "target",
    "vendor",
    "bower_components",
];

const EXTENSIONS: &[&str] = &["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"];

pub fn language_of(path: &Path) -> Option<Language> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "ts" | "mts" | "cts" => Some(Language::Ts),
        "tsx" => Some(Language::Tsx),
        "js" | "mjs" | "cjs" => Some(Language::Js),
        "jsx" => Some(Language::Jsx),
        _ => None,
    }
}

/// A path the walk found, or a path given explicitly. Walk errors (unreadable folder, symlink loop) carry a message.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub walk_error: Option<String>,
}

/// Expands the given paths: folders are walked (respecting .gitignore/.ignore, skipping hidden folders, dependency and
/// build folders), files are taken as they are. The result is sorted and free of duplicates, so runs are deterministic.
pub fn collect(paths: &[PathBuf], threads: usize) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for root in paths {
        if !root.is_dir() {
            // Explicit files are always analysed, even when ignored; a missing one becomes that file's error.
            found.push(Candidate {
                path: root.clone(),
                walk_error: None,
            });
            continue;
        }
        let walker = WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .add_custom_ignore_filename(".tdd-fastignore")
            .follow_links(false)
            .threads(threads.max(1))
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !(is_dir
                    && entry.depth() > 0
                    && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
            })
            .build_parallel();
        let (sender, receiver) = std::sync::mpsc::channel();
        walker.run(|| {
            let sender = sender.clone();
            Box::new(move |result| {
                let candidate = match result {
                    Ok(entry) => {
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if !is_file || !EXTENSIONS.iter().any(|e| has_extension(entry.path(), e)) {
                            return ignore::WalkState::Continue;
                        }
                        Candidate {
                            path: entry.into_path(),
                            walk_error: None,
                        }
                    }
                    Err(err) => match error_path(&err) {
                        Some(path) => Candidate {
                            path,
                            walk_error: Some(err.to_string()),
                        },
                        None => return ignore::WalkState::Continue,
                    },
                };
                let _ = sender.send(candidate);
                ignore::WalkState::Continue
            })
        });
        drop(sender);
        found.extend(receiver);
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Why a file could not be read as source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    Unreadable(String),
    TooLarge { size: u64, limit: u64 },
    Binary,
    NotUtf8 { offset: usize },
    NotAFile,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "file not found (it may have been deleted during the run)"),
            ReadError::Unreadable(why) => write!(f, "cannot read file: {why}"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file is too large to analyse ({size} bytes, limit {limit} bytes; raise it with --max-file-size)"
            ),
            ReadError::Binary => write!(f, "file looks binary (it contains NUL bytes); skipped"),
            ReadError::NotUtf8 { offset } => write!(f, "file is not valid UTF-8 (first invalid byte at offset {offset})"),
            ReadError::NotAFile => write!(f, "not a regular file"),
        }
    }
}

/// Reads a file as UTF-8 text, with a byte BOM removed. Checks the size before reading so a huge file costs nothing.
pub fn read_source(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max_size {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: max_size,
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    if bytes.len() as u64 > max_size {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    Ok(bytes)
}

/// Validates bytes as source text. Kept apart from reading so the cache can hash the raw bytes first.
pub fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    let probe = &bytes[..bytes.len().min(8192)];
    if probe.contains(&0) {
        return Err(ReadError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn io_error(err: std::io::Error) -> ReadError {
    match err.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Unreadable(err.to_string()),
    }
}

/// The path as the report shows it: relative to the root when inside it, with forward slashes.
pub fn display_path(path: &Path, root: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// A file the walk would analyse, with its size: what `--shard` partitions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedFile {
    /// As the report shows it: relative to the root, forward slashes.
    pub path: String,
    /// The path to pass back for analysis.
    pub absolute: String,
    /// Bytes; 0 when the file cannot be read (it still gets its error in the shard that analyses it).
    pub size: u64,
}

/// The files `collect` finds, with their sizes, in `collect`'s (sorted) order.
pub fn list_files(paths: &[PathBuf], root: &Path, threads: usize) -> Vec<ListedFile> {
    collect(paths, threads)
        .into_iter()
        .map(|candidate| ListedFile {
            path: display_path(&candidate.path, root),
            size: std::fs::metadata(&candidate.path)
                .map(|m| m.len())
                .unwrap_or(0),
            absolute: candidate.path.to_string_lossy().into_owned(),
        })
        .collect()
}

/// The files an analysis with this configuration covers: `list_files` minus what its include/exclude globs leave out
/// (the batch applies the same filter). What `watch` selects changed files with.
pub fn list_analysed_files(
    paths: &[PathBuf],
    root: &Path,
    threads: usize,
    config: &crate::config::Config,
) -> Vec<ListedFile> {
    let mut files = list_files(paths, root, threads);
    if !config.include.is_empty() || !config.exclude.is_empty() {
        let filter = config.path_filter();
        files.retain(|f| filter.accepts(&f.path));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_binary_and_invalid_utf8_and_strips_bom() {
        assert_eq!(decode(b"a\0b"), Err(ReadError::Binary));
        assert_eq!(decode(b"ab\xffcd"), Err(ReadError::NotUtf8 { offset: 2 }));
        assert_eq!(decode("\u{feff}let a = 1;".as_bytes()), Ok("let a = 1;"));
    }

    #[test]
    fn language_follows_the_extension() {
        assert_eq!(language_of(Path::new("a.mts")), Some(Language::Ts));
        assert_eq!(language_of(Path::new("a.TSX")), Some(Language::Tsx));
        assert_eq!(language_of(Path::new("a.cjs")), Some(Language::Js));
        assert_eq!(language_of(Path::new("a.css")), None);
    }

    #[test]
    fn display_path_is_relative_with_forward_slashes() {
        assert_eq!(
            display_path(Path::new("/p/src/a.ts"), Path::new("/p")),
            "src/a.ts"
        );
        assert_eq!(
            display_path(Path::new("./src/a.ts"), Path::new("/elsewhere")),
            "src/a.ts"
        );
    }
}
