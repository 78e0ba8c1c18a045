//! Other files of the project, as far as types need them: a relative import's target and the `.d.ts` beside a `.js`.
//!
//! Only test generation reads other files (`AnalyzeOptions::types`); plain analysis never comes here. A file is read,
//! hashed, parsed on its own allocator and reduced to its [`FileTypes`] once per run (a batch calls [`begin_run`]),
//! shared by every file that imports it, and memoised across runs by path and content hash. Relative specifiers
//! (`./x`, `../y/z.js`) and tsconfig `paths` aliases (aliases.rs) are followed, never `node_modules`; `.js` in a specifier also tries `.ts`, `.tsx`
//! and `.d.ts` (TypeScript's ESM convention), and a folder tries its `index` file.
//!
//! **Cache correctness.** Every file read here is a dependency of the report being built: its (absolute path,
//! content hash) pair is recorded in the thread's [`FileContext`], the batch stores the pairs with the cache entry, and
//! a later run re-analyses the file when any dependency's hash differs (see batch.rs `deps_unchanged`). A dependency
//! that did not exist (a `.d.ts` created later) is not recorded: that case needs the importing file to change too.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::syntax::{self, FileTypes};

/// A file's types with where it lives.
#[derive(Debug, Default)]
pub struct Module {
    pub types: FileTypes,
    /// Project-relative path (forward slashes), as reports show it.
    pub shown: Option<String>,
    pub abs: Option<PathBuf>,
}

/// The file being analysed on this thread, when it is a file on disk (not an in-memory buffer).
#[derive(Debug, Default)]
pub struct FileContext {
    pub abs: PathBuf,
    pub root: PathBuf,
    /// (absolute path, content hash) of every other file read for this report.
    pub deps: Vec<(String, String)>,
}

thread_local! {
    static CONTEXT: RefCell<Option<FileContext>> = const { RefCell::new(None) };
}

/// Runs `work` (the analysis of the file at `abs`) with cross-file resolution enabled; returns its result and the
/// dependencies it read.
pub fn with_file<R>(
    abs: &Path,
    root: &Path,
    work: impl FnOnce() -> R,
) -> (R, Vec<(String, String)>) {
    let previous = CONTEXT.with(|c| {
        c.borrow_mut().replace(FileContext {
            abs: abs.to_path_buf(),
            root: root.to_path_buf(),
            deps: Vec::new(),
        })
    });
    // Restores the previous context even when `work` panics (the batch catches panics per file).
    struct Restore(Option<Option<FileContext>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                CONTEXT.with(|c| *c.borrow_mut() = previous);
            }
        }
    }
    let mut restore = Restore(Some(previous));
    let result = work();
    let mine = CONTEXT.with(|c| c.borrow_mut().take());
    if let Some(previous) = restore.0.take() {
        CONTEXT.with(|c| *c.borrow_mut() = previous);
    }
    let mut deps = mine.map(|c| c.deps).unwrap_or_default();
    deps.sort();
    deps.dedup();
    (result, deps)
}

/// The file being analysed and the project root, when resolution may read other files.
pub fn current() -> Option<(PathBuf, PathBuf)> {
    CONTEXT.with(|c| c.borrow().as_ref().map(|c| (c.abs.clone(), c.root.clone())))
}

/// Records a file read for the report being built (its hash is checked before a cached report is reused).
pub fn record_dependency(abs: &Path, hash: &str) {
    record(abs, hash);
}

fn record(abs: &Path, hash: &str) {
    CONTEXT.with(|c| {
        if let Some(context) = c.borrow_mut().as_mut() {
            context
                .deps
                .push((abs.to_string_lossy().into_owned(), hash.to_string()));
        }
    });
}

/// Largest declaration file read (bigger ones are skipped: their types come out unresolved).
const MAX_DEP_SIZE: u64 = 2 * 1024 * 1024;
/// Memoised modules kept before the memo is cleared.
const MAX_MEMO: usize = 4096;

type Memo = Mutex<HashMap<PathBuf, (String, Arc<Module>)>>;

/// Modules by path and content hash, across runs (a long-lived process re-parses only what changed).
fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// What one run knows of a file it read: its content hash, and its types once some file imported it. Each is computed
/// at most once per run, whichever thread asks first (the others wait for it), so a module imported by 100 files is
/// read, hashed and parsed once per run.
#[derive(Default)]
struct Seen {
    hash: OnceLock<Option<String>>,
    module: OnceLock<Option<(String, Arc<Module>)>>,
}

type RunFiles = Mutex<HashMap<PathBuf, Arc<Seen>>>;

fn run_files() -> &'static RunFiles {
    static RUN: OnceLock<RunFiles> = OnceLock::new();
    RUN.get_or_init(Default::default)
}

/// Starts a run (a batch): files read from here on are read again, once, so a run sees the files as they are now.
pub fn begin_run() {
    super::aliases::begin_run();
    run_files()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
}

fn seen(path: &Path) -> Arc<Seen> {
    run_files()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(path.to_path_buf())
        .or_default()
        .clone()
}

/// Content hash of a file as the cache computes it, or `None` when it cannot be read (once per run and path).
pub fn hash_file(path: &Path) -> Option<String> {
    let seen = seen(path);
    seen.hash
        .get_or_init(|| {
            let bytes = std::fs::read(path).ok()?;
            Some(crate::analyze::content_hash(&bytes))
        })
        .clone()
}

/// Reads and reduces a file to its types (once per run; across runs memoised by content hash) and records it as a
/// dependency of the report being built.
pub fn load_path(abs: &Path) -> Option<Arc<Module>> {
    let (_, root) = current()?;
    let seen = seen(abs);
    let (hash, module) = seen
        .module
        .get_or_init(|| read_module(abs, &root))
        .clone()?;
    record(abs, &hash);
    Some(module)
}

fn read_module(abs: &Path, root: &Path) -> Option<(String, Arc<Module>)> {
    let meta = std::fs::metadata(abs).ok()?;
    if !meta.is_file() || meta.len() > MAX_DEP_SIZE {
        return None;
    }
    let bytes = std::fs::read(abs).ok()?;
    let hash = crate::analyze::content_hash(&bytes);
    if let Some((known, module)) = memo().lock().ok()?.get(abs) {
        if *known == hash {
            return Some((hash, module.clone()));
        }
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    let types = parse_types(text, abs)?;
    let module = Arc::new(Module {
        types,
        shown: Some(crate::source::display_path(abs, root)),
        abs: Some(abs.to_path_buf()),
    });
    let mut memo = memo().lock().ok()?;
    if memo.len() >= MAX_MEMO {
        memo.clear();
    }
    memo.insert(abs.to_path_buf(), (hash.clone(), module.clone()));
    Some((hash, module))
}

/// Parses text on its own allocator and collects its types (nothing else of the file is looked at).
pub fn parse_types(text: &str, path: &Path) -> Option<FileTypes> {
    if crate::guard::nesting_estimate(text, crate::guard::DEFAULT_MAX_NESTING)
        > crate::guard::DEFAULT_MAX_NESTING
    {
        return None;
    }
    let allocator = oxc_allocator::Allocator::default();
    let source_type =
        oxc_span::SourceType::from_path(path).unwrap_or_else(|_| oxc_span::SourceType::ts());
    let parsed = oxc_parser::Parser::new(&allocator, text, source_type).parse();
    Some(syntax::collect(&parsed.program, text))
}

const TYPE_EXTENSIONS: &[&str] = &[
    "ts", "tsx", "d.ts", "mts", "d.mts", "cts", "d.cts", "js", "jsx", "mjs", "cjs",
];

/// The file a relative specifier names, seen from `from` (a file), or one the project's tsconfig `paths` map a bare
/// specifier to (aliases.rs). `None` for other bare specifiers (packages).
pub fn resolve_specifier(from: &Path, specifier: &str) -> Option<PathBuf> {
    if !(specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier == "."
        || specifier == "..")
    {
        let (_, root) = current()?;
        return super::aliases::candidates(from, specifier, &root)
            .into_iter()
            .find_map(resolve_base);
    }
    resolve_base(lexical(&from.parent()?.join(specifier)))
}

/// `a/lib/..` as `a`: a path ending in `..` (`import type { T } from '..'`) has no file name to resolve.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The file `base` names as an import does: itself, with TypeScript's extension for a `.js` one, with an extension,
/// or its folder's index file.
fn resolve_base(base: PathBuf) -> Option<PathBuf> {
    let is_file = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.is_file());
    // `./x.js` written for TypeScript's ESM output: the source is `./x.ts` (or a `.d.ts` beside the `.js`).
    let name = base.file_name()?.to_string_lossy().into_owned();
    for (written, stems) in [
        (".js", &["ts", "tsx", "d.ts"][..]),
        (".mjs", &["mts", "d.mts"]),
        (".cjs", &["cts", "d.cts"]),
        (".jsx", &["tsx"]),
    ] {
        if let Some(stem) = name.strip_suffix(written) {
            for ext in stems {
                let candidate = base.with_file_name(format!("{stem}.{ext}"));
                if is_file(&candidate) {
                    return Some(candidate);
                }
            }
        }
    }
    if is_file(&base) {
        return Some(base);
    }
    for ext in TYPE_EXTENSIONS {
        let candidate = base.with_file_name(format!("{name}.{ext}"));
        if is_file(&candidate) {
            return Some(candidate);
        }
    }
    for ext in TYPE_EXTENSIONS {
        let candidate = base.join(format!("index.{ext}"));
        if is_file(&candidate) {
            return Some(candidate);
        }
    }
    None
}

/// The module a relative import of `scope` names.
pub fn load_import(scope: &Module, specifier: &str) -> Option<Arc<Module>> {
    let from = match &scope.abs {
        Some(abs) => abs.clone(),
        None => current()?.0,
    };
    load_path(&resolve_specifier(&from, specifier)?)
}

/// The declaration file beside a JavaScript file (`x.js` -> `x.d.ts`, `x.mjs` -> `x.d.mts`, `x.cjs` -> `x.d.cts`).
pub fn sibling_declaration(abs: &Path) -> Option<PathBuf> {
    let name = abs.file_name()?.to_string_lossy().into_owned();
    let (stem, ext) = name.rsplit_once('.')?;
    let dts = match ext {
        "js" | "jsx" => "d.ts",
        "mjs" => "d.mts",
        "cjs" => "d.cts",
        _ => return None,
    };
    let candidate = abs.with_file_name(format!("{stem}.{dts}"));
    std::fs::metadata(&candidate)
        .is_ok_and(|m| m.is_file())
        .then_some(candidate)
}
