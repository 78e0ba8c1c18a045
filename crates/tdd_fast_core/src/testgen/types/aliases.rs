//! tsconfig `paths`: a bare specifier the project maps onto its own files (`@domain/money` -> `src/domain/money`), as
//! applications set up with Vite, Next.js or Nest templates. Without it a type imported through an alias stays
//! unresolved and test generation cannot build a value of it.
//!
//! The nearest `tsconfig.json` above the importing file (inside the project root) is read once per run, following
//! `extends` of relative files; `compilerOptions.baseUrl` and `compilerOptions.paths` are taken from the nearest file
//! that sets them, relative to that file, as TypeScript does. The file is JSON with comments and trailing commas. A
//! pattern holds at most one `*`; the longest matching prefix wins. Each tsconfig read is a dependency of the report
//! (see project.rs). Packages in `node_modules` are never looked at.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// `paths` of one tsconfig, with the folder its targets are relative to.
#[derive(Debug, Default)]
pub struct PathMap {
    base: PathBuf,
    patterns: Patterns,
}

/// `paths` as written: a pattern and its targets.
type Patterns = Vec<(String, Vec<String>)>;

/// `extends` followed at most this many times.
const MAX_EXTENDS: usize = 4;
/// Largest tsconfig read.
const MAX_SIZE: u64 = 256 * 1024;

type Configs = Mutex<HashMap<PathBuf, Option<Arc<PathMap>>>>;

/// Configs by folder for this run (cleared by [`begin_run`]).
fn configs() -> &'static Configs {
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    CONFIGS.get_or_init(Default::default)
}

pub fn begin_run() {
    configs().lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The files an aliased specifier may name (before extensions are tried), in the tsconfig's order; empty when no
/// tsconfig maps it.
pub fn candidates(from: &Path, specifier: &str, root: &Path) -> Vec<PathBuf> {
    let Some(map) = nearest(from, root) else {
        return Vec::new();
    };
    map.resolve(specifier)
}

impl PathMap {
    fn resolve(&self, specifier: &str) -> Vec<PathBuf> {
        let mut best: Option<(usize, &str, &[String])> = None;
        for (pattern, targets) in &self.patterns {
            let matched = match pattern.split_once('*') {
                None => (pattern == specifier).then_some((pattern.len(), "")),
                Some((prefix, suffix)) => (specifier.len() >= prefix.len() + suffix.len()
                    && specifier.starts_with(prefix)
                    && specifier.ends_with(suffix))
                .then(|| {
                    (
                        prefix.len(),
                        &specifier[prefix.len()..specifier.len() - suffix.len()],
                    )
                }),
            };
            if let Some((length, star)) = matched {
                if best.is_none_or(|(known, _, _)| length > known) {
                    best = Some((length, star, targets));
                }
            }
        }
        let Some((_, star, targets)) = best else {
            return Vec::new();
        };
        targets
            .iter()
            .filter(|t| !t.contains("node_modules"))
            .map(|t| self.base.join(t.replacen('*', star, 1)))
            .collect()
    }
}

/// The path map of the nearest tsconfig.json between the file's folder and the root.
fn nearest(from: &Path, root: &Path) -> Option<Arc<PathMap>> {
    let mut dir = from.parent()?;
    loop {
        let config = dir.join("tsconfig.json");
        if config.is_file() {
            return cached(&config);
        }
        if dir == root || !dir.starts_with(root) {
            return None;
        }
        dir = dir.parent()?;
    }
}

fn cached(config: &Path) -> Option<Arc<PathMap>> {
    if let Some(known) = configs()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(config)
    {
        return known.clone();
    }
    let map = read_chain(config).map(Arc::new);
    configs()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(config.to_path_buf(), map.clone());
    map
}

/// `baseUrl` and `paths` from the file or what it extends (the nearest setting wins).
fn read_chain(config: &Path) -> Option<PathMap> {
    let mut base_url: Option<PathBuf> = None;
    let mut paths: Option<(PathBuf, Patterns)> = None;
    let mut next = Some(config.to_path_buf());
    for _ in 0..=MAX_EXTENDS {
        let Some(file) = next.take() else { break };
        let value = read_json(&file)?;
        let dir = file.parent()?.to_path_buf();
        let options = value.get("compilerOptions");
        if base_url.is_none() {
            if let Some(url) = options
                .and_then(|o| o.get("baseUrl"))
                .and_then(|u| u.as_str())
            {
                base_url = Some(dir.join(url));
            }
        }
        if paths.is_none() {
            if let Some(map) = options
                .and_then(|o| o.get("paths"))
                .and_then(|p| p.as_object())
            {
                let patterns = map
                    .iter()
                    .map(|(k, v)| {
                        let targets = v
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|t| t.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default();
                        (k.clone(), targets)
                    })
                    .collect();
                paths = Some((dir.clone(), patterns));
            }
        }
        next = value
            .get("extends")
            .and_then(|e| e.as_str())
            .filter(|e| e.starts_with('.'))
            .map(|e| {
                let target = dir.join(e);
                if target.extension().is_some_and(|x| x == "json") {
                    target
                } else {
                    target.with_file_name(format!(
                        "{}.json",
                        target.file_name().unwrap_or_default().to_string_lossy()
                    ))
                }
            });
    }
    let (declared_in, patterns) = paths?;
    Some(PathMap {
        base: base_url.unwrap_or(declared_in),
        patterns,
    })
}

fn read_json(file: &Path) -> Option<serde_json::Value> {
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_SIZE {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    super::project::record_dependency(file, &crate::analyze::content_hash(&bytes));
    serde_json::from_str(&strip_jsonc(std::str::from_utf8(&bytes).ok()?)).ok()
}

/// JSON with comments and trailing commas (tsconfig's dialect) as plain JSON.
fn strip_jsonc(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            out.extend(&chars[start..i]);
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == ',' {
            let rest = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if !matches!(rest, Some('}') | Some(']')) {
                out.push(c);
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_read() {
        let text =
            "{\n  // a comment\n  \"a\": \"x // not a comment\", /* block */\n  \"b\": [1, 2,],\n}";
        let value: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).unwrap();
        assert_eq!(value["a"], "x // not a comment");
        assert_eq!(value["b"], serde_json::json!([1, 2]));
    }

    #[test]
    fn the_longest_prefix_wins_and_the_star_is_substituted() {
        let map = PathMap {
            base: PathBuf::from("/p"),
            patterns: vec![
                ("@/*".to_string(), vec!["src/*".to_string()]),
                (
                    "@/domain/*".to_string(),
                    vec!["src/core/domain/*".to_string()],
                ),
                ("config".to_string(), vec!["src/config.ts".to_string()]),
            ],
        };
        assert_eq!(
            map.resolve("@/domain/money"),
            vec![PathBuf::from("/p/src/core/domain/money")]
        );
        assert_eq!(
            map.resolve("@/lib/dates"),
            vec![PathBuf::from("/p/src/lib/dates")]
        );
        assert_eq!(
            map.resolve("config"),
            vec![PathBuf::from("/p/src/config.ts")]
        );
        assert!(map.resolve("lodash").is_empty());
    }
}
