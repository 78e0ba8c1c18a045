//! Hostile input through the core: every case ends as a clear per-file error or a correct result, never a crash.
//! The end-to-end versions (CLI and Node API) live in __test__/hostile; see docs/reliability.md for the table.

use std::path::{Path, PathBuf};

use tdd_fast_core::{
    analyze, analyze_paths, guard, AnalyzeOptions, BatchOptions, FileReport, Language,
};

fn project(files: &[(&str, &[u8])]) -> tempdir::Dir {
    let dir = tempdir::Dir::new();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// A throwaway folder under the OS temp dir, removed on drop (no extra dev-dependency).
mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "tdd-fast-hostile-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn run(dir: &Path) -> Vec<FileReport> {
    let options = BatchOptions {
        root: dir.to_path_buf(),
        threads: 2,
        ..Default::default()
    };
    analyze_paths(&[dir.to_path_buf()], &options, None).files
}

fn file<'r>(files: &'r [FileReport], name: &str) -> &'r FileReport {
    files.iter().find(|f| f.path == name).unwrap_or_else(|| {
        panic!(
            "{name} not in {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        )
    })
}

/// Every construct that makes oxc's parser or our visitors recurse, `n` levels deep.
fn deep(kind: &str, n: usize) -> String {
    match kind {
        "parens" => format!("x = {}1{};", "(".repeat(n), ")".repeat(n)),
        "arrays" => format!("x = {}1{};", "[".repeat(n), "]".repeat(n)),
        "blocks" => format!("{}{}", "{".repeat(n), "}".repeat(n)),
        "objects" => format!("x = {}1{};", "{a:".repeat(n), "}".repeat(n)),
        "functions" => format!("{}{}", "function f(){".repeat(n), "}".repeat(n)),
        "callbacks" => format!("{}{}", "f(()=>{".repeat(n), "})".repeat(n)),
        "templates" => format!("x = {}1{};", "`${".repeat(n), "}`".repeat(n)),
        "not" => format!("x = {}1;", "!".repeat(n)),
        "binary" => format!("x = 1{};", "+1".repeat(n)),
        "binary-lines" => format!("x = 1{};", " +\n1".repeat(n)),
        "ternary" => format!("x = {}1;", "a?1:".repeat(n)),
        "assign" => format!("{}1;", "a=".repeat(n)),
        "arrows" => format!("f = {}1;", "a=>".repeat(n)),
        "else-if" => format!("if(a){{}}{}", "else if(a){}".repeat(n)),
        "if-if" => format!("{}x;", "if(a)".repeat(n)),
        "calls" => format!("x = f{};", "(1)".repeat(n)),
        "members" => format!("x = a{};", ".b".repeat(n)),
        "new" => format!("x = {}A;", "new ".repeat(n)),
        "typeof" => format!("x = {}1;", "typeof ".repeat(n)),
        "types" => format!("type T = {}1{};", "A<".repeat(n), ">".repeat(n)),
        "jsx" => format!("x = {}{};", "<a>".repeat(n), "</a>".repeat(n)),
        _ => unreachable!(),
    }
}

const KINDS: &[&str] = &[
    "parens",
    "arrays",
    "blocks",
    "objects",
    "functions",
    "callbacks",
    "templates",
    "not",
    "binary",
    "binary-lines",
    "ternary",
    "assign",
    "arrows",
    "else-if",
    "if-if",
    "calls",
    "members",
    "new",
    "typeof",
    "types",
    "jsx",
];

#[test]
fn nesting_100_000_deep_is_a_per_file_error_not_a_stack_overflow() {
    let files: Vec<(String, Vec<u8>)> = KINDS
        .iter()
        .map(|kind| (format!("{kind}.tsx"), deep(kind, 100_000).into_bytes()))
        .chain([(
            "ok.ts".to_string(),
            b"export function ok(a: number) { return a + 1; }\n".to_vec(),
        )])
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let dir = project(&refs);
    let reports = run(dir.path());
    for kind in KINDS {
        let report = file(&reports, &format!("{kind}.tsx"));
        assert_eq!(report.errors.len(), 1, "{kind}: {:?}", report.errors);
        assert!(
            report.errors[0].message.contains("nested too deeply"),
            "{kind}: {:?}",
            report.errors
        );
    }
    let ok = file(&reports, "ok.ts");
    assert!(ok.errors.is_empty());
    assert_eq!(ok.functions.len(), 1);
}

#[test]
fn nesting_under_the_limit_is_analysed_on_the_analysis_stack() {
    // 2,000 levels of every construct parse and visit fine on the analysis stack (even in a debug build).
    for kind in KINDS {
        let text = deep(kind, 2_000);
        let report = guard::on_analysis_stack(|| {
            analyze::analyze_text(&text, "deep.tsx", Language::Tsx, &AnalyzeOptions::default())
        });
        assert!(
            report
                .errors
                .iter()
                .all(|e| !e.message.contains("nested too deeply")),
            "{kind}: {:?}",
            report.errors
        );
    }
    let functions = guard::on_analysis_stack(|| {
        analyze::analyze_text(
            &deep("functions", 2_000),
            "f.js",
            Language::Js,
            &AnalyzeOptions::default(),
        )
    });
    assert_eq!(functions.functions.len(), 2_000);
}

#[test]
fn the_nesting_limit_is_configurable() {
    let options = AnalyzeOptions {
        max_nesting: 50,
        ..Default::default()
    };
    let report = analyze::analyze_text(&deep("parens", 100), "a.js", Language::Js, &options);
    assert!(
        report.errors[0].message.contains("over 50"),
        "{:?}",
        report.errors
    );
    let report = analyze::analyze_text(&deep("parens", 40), "a.js", Language::Js, &options);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

#[test]
fn bad_bytes_and_odd_text_are_per_file_errors_or_results() {
    let dir = project(&[
        ("empty.js", b""),
        (
            "bom.ts",
            "\u{feff}export const f = (a: number) => a * 2;\n".as_bytes(),
        ),
        (
            "crlf.js",
            b"function f(a) {\r\n  if (a) {\r\n    return 1;\r\n  }\r\n  return 2;\r\n}\r\n",
        ),
        ("binary.js", b"\x7fELF\x00\x00\x01\x02garbage"),
        ("latin1.js", b"const s = '\xe9t\xe9';\n"),
        (
            "syntax.ts",
            b"function ok() { return 1 }\nfunction broken( {\n",
        ),
        (
            "dir with space/café 😀.ts",
            b"export function smile() { return 1; }\n",
        ),
    ]);
    let reports = run(dir.path());
    assert_eq!(reports.len(), 7);
    let empty = file(&reports, "empty.js");
    assert!(empty.errors.is_empty() && empty.functions.is_empty());
    let bom = file(&reports, "bom.ts");
    assert!(bom.errors.is_empty());
    // Positions are those of the same text without the BOM.
    let plain = analyze::analyze_text(
        "export const f = (a: number) => a * 2;\n",
        "plain.ts",
        Language::Ts,
        &AnalyzeOptions::default(),
    );
    assert_eq!(bom.functions, plain.functions);
    let crlf = file(&reports, "crlf.js");
    assert!(crlf.errors.is_empty());
    assert_eq!((crlf.functions[0].line, crlf.functions[0].end_line), (1, 6));
    assert_eq!(crlf.functions[0].metrics.cyclomatic, 2);
    assert!(file(&reports, "binary.js").errors[0]
        .message
        .contains("binary"));
    assert!(file(&reports, "latin1.js").errors[0]
        .message
        .contains("not valid UTF-8"));
    let syntax = file(&reports, "syntax.ts");
    assert!(
        !syntax.errors.is_empty() && syntax.errors[0].line >= 2,
        "{:?}",
        syntax.errors
    );
    assert_eq!(syntax.functions[0].name, "ok");
    let unicode = file(&reports, "dir with space/café 😀.ts");
    assert_eq!(unicode.functions[0].name, "smile");
}

#[test]
fn a_minified_5_mb_line_is_analysed() {
    let body: String = (0..60_000)
        .map(|i| format!("function f{i}(a,b){{return a?b+{i}:b-1}}"))
        .collect::<Vec<_>>()
        .join(";");
    assert!(body.len() > 2_000_000 && !body.contains('\n'));
    // No per-file time limit: this checks what is found in one huge line, not how fast (a loaded CI machine took
    // 10.3 s in a debug build, past the default limit).
    let options = AnalyzeOptions {
        file_time_limit_ms: 0,
        ..Default::default()
    };
    let report =
        guard::on_analysis_stack(|| analyze::analyze_text(&body, "min.js", Language::Js, &options));
    assert!(report.errors.is_empty(), "{:?}", &report.errors[..1]);
    assert_eq!(report.functions.len(), 60_000);
    assert_eq!(report.lines, 1);
}

#[test]
fn a_file_over_the_time_limit_is_reported_and_its_results_discarded() {
    // 2 MB of code cannot be parsed and visited within 1 ms; the check runs after the fact (oxc cannot be interrupted).
    let body = "function f(a) { return a ? a + 1 : 0 }\n".repeat(50_000);
    let options = AnalyzeOptions {
        file_time_limit_ms: 1,
        ..Default::default()
    };
    let report = guard::on_analysis_stack(|| {
        analyze::analyze_text(&body, "slow.js", Language::Js, &options)
    });
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0]
            .message
            .contains("over the per-file time limit of 1 ms"),
        "{:?}",
        report.errors
    );
    assert!(report.functions.is_empty());
    let unlimited = AnalyzeOptions {
        file_time_limit_ms: 0,
        ..Default::default()
    };
    let report = guard::on_analysis_stack(|| {
        analyze::analyze_text(&body, "slow.js", Language::Js, &unlimited)
    });
    assert_eq!(report.functions.len(), 50_000);
}

#[test]
fn symlink_loops_and_vanished_files_are_per_file_errors() {
    let dir = project(&[("a.ts", b"export const a = 1;\n")]);
    let root = dir.path();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere.ts"), root.join("dangling.ts")).unwrap();
    }
    let gone: PathBuf = root.join("gone.ts");
    let options = BatchOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    // An explicit path that no longer exists (deleted between listing and reading).
    let result = analyze_paths(&[root.to_path_buf(), gone], &options, None);
    let gone = file(&result.files, "gone.ts");
    assert!(
        gone.errors[0].message.contains("not found"),
        "{:?}",
        gone.errors
    );
    assert!(file(&result.files, "a.ts").errors.is_empty());
}

/// Inputs the fuzzer found, kept as regression fixtures (crates/tdd_fast_core/fuzz/regressions): each must go through
/// the whole pipeline without a panic, with the same language selection as the fuzz target (first byte).
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let entries = std::fs::read_dir(&dir).expect("fuzz/regressions exists");
    let mut seen = 0;
    for entry in entries.flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            continue;
        }
        seen += 1;
        let data = std::fs::read(entry.path()).unwrap();
        let Some((&selector, bytes)) = data.split_first() else {
            continue;
        };
        let language =
            [Language::Js, Language::Jsx, Language::Ts, Language::Tsx][selector as usize % 4];
        let report = guard::on_analysis_stack(|| {
            std::panic::catch_unwind(|| {
                analyze::analyze_bytes(
                    bytes,
                    analyze::content_hash(bytes),
                    "fuzz.ts",
                    language,
                    &AnalyzeOptions::default(),
                )
            })
        });
        let name = entry.path().display().to_string();
        let report = report.unwrap_or_else(|_| panic!("{name} panics"));
        // The fuzz target's invariants.
        for error in &report.errors {
            assert!(error.line >= 1 || report.lines == 0, "{name}: {error:?}");
        }
        for function in &report.functions {
            assert!(function.end_line >= function.line, "{name}: {function:?}");
        }
        serde_json::to_string(&report).expect("report serializes");
    }
    assert!(seen > 0, "no fixtures in {}", dir.display());
}
