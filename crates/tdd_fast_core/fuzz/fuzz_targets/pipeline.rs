//! Fuzz target over the whole per-file pipeline, exactly as `tdd-fast analyze` runs it on one file:
//! bytes -> read checks (binary / UTF-8 / BOM) -> parse -> one visitor pass -> metrics -> smells/patterns ->
//! duplicate fingerprints. The first byte picks the language so every grammar (js, jsx, ts, tsx) is covered.
//! Any panic, abort, stack overflow, timeout or out-of-memory is a finding. See docs/reliability.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdd_fast_core::{analyze, guard, source, AnalyzeOptions, Language};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let language = match selector % 4 {
        0 => Language::Js,
        1 => Language::Jsx,
        2 => Language::Ts,
        _ => Language::Tsx,
    };
    let options = AnalyzeOptions::default();
    let hash = analyze::content_hash(bytes);
    // The same entry the batch uses for a file already read: decode checks, then analyze_text.
    // On the same big stack the batch's rayon workers have (guard.rs), not the fuzzer's main thread.
    let report = guard::on_analysis_stack(|| {
        analyze::analyze_bytes(bytes, hash, "fuzz.ts", language, &options)
    });
    // Cheap invariants: positions are 1-based and inside the file, every function ends after it starts.
    for error in &report.errors {
        assert!(
            error.line >= 1 || report.lines == 0,
            "error line 0: {error:?}"
        );
    }
    for function in &report.functions {
        assert!(function.end_line >= function.line, "{function:?}");
    }
    // The JSON contract must always serialize (the napi binding returns exactly this text).
    serde_json::to_string(&report).expect("report serializes");
    let _ = source::decode(bytes);
});
