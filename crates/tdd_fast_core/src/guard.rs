//! Guards against hostile input: a stack large enough for deep code, a cheap nesting pre-scan that refuses files too
//! deep for that stack (a stack overflow aborts the process; it cannot be caught like a panic), and the test-only
//! panic hook that proves panics stay per file. See docs/reliability.md.
//!
//! Why a pre-scan: oxc's parser and every AST visitor are recursive, so each level of nesting costs stack (measured,
//! release build, parse + visit: ~0.8 KiB per `if`/`!`/`+` level, ~1.6 KiB per `(`/`[` level, ~3.3 KiB per
//! `f(() => {` level). 100,000 nested parentheses would need ~160 MiB. Analysis therefore runs on threads with
//! [`ANALYSIS_STACK_SIZE`] of stack, and files whose estimated nesting exceeds the limit are refused up front with a
//! per-file error, so no input under the file size limit can overflow it.

use std::sync::OnceLock;

/// Stack for every thread that analyses a file (rayon workers, and the helper thread of [`on_analysis_stack`]).
/// Reserved virtual memory: only the pages deep code actually touches become resident.
pub const ANALYSIS_STACK_SIZE: usize = 256 * 1024 * 1024;

/// Default limit of [`nesting_estimate`]. Hand-written code stays far below 100; at this limit the worst construct
/// measured needs ~40 MiB of stack in a release build (debug builds need a few times more), well inside
/// [`ANALYSIS_STACK_SIZE`].
pub const DEFAULT_MAX_NESTING: u32 = 10_000;

/// Runs `work` on a thread with [`ANALYSIS_STACK_SIZE`] of stack (for callers on a thread of unknown stack size: the
/// JS main thread of `analyzeSource`, the fuzzer). A panic in `work` resumes in the caller.
///
/// The thread is one long-lived worker, not a new thread per call: an editor calls this on every keystroke, and each
/// fresh thread cost a spawn and, in a long session, native memory (a malloc arena and a parser arena of its own).
/// Calls from several threads at once take turns.
pub fn on_analysis_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    static WORKER: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "tdd-fast-analyze".into())
            .stack_size(ANALYSIS_STACK_SIZE)
            .build()
            .ok()
    });
    match worker {
        // `install` blocks until `work` is done on the worker and resumes its panic here.
        Some(worker) => worker.install(work),
        None => on_fresh_thread(work),
    }
}

/// The fallback when the worker cannot start: a scoped thread for this call alone.
fn on_fresh_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("tdd-fast-analyze".into())
            .stack_size(ANALYSIS_STACK_SIZE)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
            Err(err) => panic!("cannot start an analysis thread: {err}"),
        }
    })
}

// Byte classes of the nesting pre-scan, looked up in one table (the scan runs over every byte of every file).
const SPACE: u8 = 1; // whitespace other than line breaks
const LINE_BREAK: u8 = 1 << 1;
const OPERATOR: u8 = 1 << 2; // + - * / % & | ^ ! ~ ? : < > = .
const WORD_START: u8 = 1 << 3; // letters, _ $ and any non-ASCII byte
const WORD_PART: u8 = 1 << 4; // WORD_START and digits
const CHAINS_ON: u8 = 1 << 5; // an operator or a comma: the statement continues on the next line
const BEFORE_REGEX: u8 = 1 << 6; // after these, `/` starts a regular expression

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut class = 0;
        if matches!(c, b' ' | b'\t' | 0x0c) {
            class |= SPACE;
        }
        if matches!(c, b'\n' | b'\r') {
            class |= LINE_BREAK;
        }
        let operator = matches!(
            c,
            b'+' | b'-'
                | b'*'
                | b'/'
                | b'%'
                | b'&'
                | b'|'
                | b'^'
                | b'!'
                | b'~'
                | b'?'
                | b':'
                | b'<'
                | b'>'
                | b'='
                | b'.'
        );
        if operator {
            class |= OPERATOR | CHAINS_ON;
        }
        if c == b',' {
            class |= CHAINS_ON;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 {
            class |= WORD_START | WORD_PART;
        }
        if c.is_ascii_digit() {
            class |= WORD_PART;
        }
        if matches!(
            c,
            b'(' | b','
                | b'='
                | b':'
                | b'['
                | b'!'
                | b'&'
                | b'|'
                | b'?'
                | b'{'
                | b'}'
                | b';'
                | b'+'
                | b'-'
                | b'*'
                | b'%'
                | b'<'
                | b'>'
                | b'~'
                | b'^'
                | b'\n'
        ) {
            class |= BEFORE_REGEX;
        }
        table[i] = class;
        i += 1;
    }
    table
}

static CLASS: [u8; 256] = byte_classes();

/// An upper estimate of how deeply the parser and visitors will recurse on `text`, stopping early once it is above
/// `limit`. Counts open brackets (`(`, `[`, `{`, template `${`) plus, inside each bracket, the operators and
/// prefix keywords (`new`, `typeof`, `await`, `if`, `else`...) that chain without brackets (`!!!!x`, `a+a+a`,
/// `a.b.c`, `a?b:c?d:e`, `x=>y=>z`, `else if` ladders). The chain count of a bracket level restarts at `;` and `,`,
/// after a `}` not followed by `else`, and at a line break that ends a statement by ASI (the line neither ends nor
/// the next begins with an operator). Strings, comments, regular expressions and template text are skipped.
/// It over-estimates (every operator counts), never parses, and is linear in the text.
pub fn nesting_estimate(text: &str, limit: u32) -> u32 {
    let b = text.as_bytes();
    let n = b.len();
    // Per open bracket: the chain count inside it. frames[0] is the top level.
    let mut frames: Vec<u32> = vec![0];
    // Bracket depths at which a template literal's `${` was opened, to resume its text at the matching `}`.
    let mut template_at: Vec<usize> = Vec::new();
    let mut current: u32 = 0; // brackets open + chain counts of all open frames
    let mut max: u32 = 0;
    // The last significant byte (for regex-vs-division and ASI), and whether a line break followed it.
    let mut last: u8 = b'\n';
    let mut newline_since_last = false;
    let mut closed_brace = false;
    let mut i = 0;

    let reset_chain = |frames: &mut Vec<u32>, current: &mut u32| {
        if let Some(chain) = frames.last_mut() {
            *current -= *chain;
            *chain = 0;
        }
    };

    while i < n {
        let c = b[i];
        let class = CLASS[c as usize];
        if class & (SPACE | LINE_BREAK) != 0 {
            newline_since_last |= class & LINE_BREAK != 0;
            i += 1;
            continue;
        }
        // Comments.
        // Comments (memchr: comments and strings are much of a file's bytes).
        if c == b'/' && i + 1 < n && b[i + 1] == b'/' {
            i = memchr::memchr(b'\n', &b[i..]).map_or(n, |k| i + k);
            continue;
        }
        if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
            i += 2;
            let end = b
                .get(i..)
                .and_then(|rest| memchr::memmem::find(rest, b"*/"))
                .map_or(n.saturating_sub(1).max(i), |k| i + k);
            newline_since_last |= b
                .get(i..end)
                .is_some_and(|inside| memchr::memchr(b'\n', inside).is_some());
            i = end + 2;
            continue;
        }

        let is_operator = class & OPERATOR != 0;
        let word_end = if class & WORD_START != 0 {
            let mut j = i + 1;
            while j < n && CLASS[b[j] as usize] & WORD_PART != 0 {
                j += 1;
            }
            Some(j)
        } else {
            None
        };
        let word = word_end.map(|j| &b[i..j]);

        // Statement boundaries restart the chain of the current bracket level.
        let continues_statement =
            is_operator || matches!(c, b'(' | b'[' | b'`') || word == Some(b"else".as_slice());
        let after_operator = CLASS[last as usize] & CHAINS_ON != 0;
        let ends_by_brace = closed_brace && word != Some(b"else".as_slice()) && !is_operator;
        let ends_by_asi = newline_since_last && !continues_statement && !after_operator;
        if ends_by_brace || ends_by_asi {
            reset_chain(&mut frames, &mut current);
        }
        closed_brace = false;
        newline_since_last = false;

        match c {
            b'\'' | b'"' => {
                i += 1;
                while i < n {
                    match memchr::memchr3(c, b'\\', b'\n', &b[i..]) {
                        Some(k) if b[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k;
                            break;
                        }
                        None => i = n,
                    }
                }
                i += 1;
                last = b'a';
                continue;
            }
            b'`' => {
                i = skip_template_text(b, i + 1);
                if i < n && b[i] == b'{' {
                    // `${`: an expression inside the template, one bracket deeper.
                    template_at.push(frames.len());
                    frames.push(0);
                    current += 1;
                    last = b'{';
                } else {
                    last = b'a';
                }
                i += 1;
                max = max.max(current);
                continue;
            }
            b'/' if CLASS[last as usize] & BEFORE_REGEX != 0 || word_before_is_keyword(b, i) => {
                // A regular expression literal.
                i += 1;
                let mut in_class = false;
                while i < n && b[i] != b'\n' {
                    match b[i] {
                        b'\\' => i += 1,
                        b'[' => in_class = true,
                        b']' => in_class = false,
                        b'/' if !in_class => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                last = b'a';
                continue;
            }
            b'(' | b'[' | b'{' => {
                // `f(1)(2)(3)`, `a[0][1]`: call and index chains nest (left-deep) without operators.
                if matches!(last, b')' | b']') && c != b'{' {
                    if let Some(chain) = frames.last_mut() {
                        *chain += 1;
                    }
                    current += 1;
                }
                frames.push(0);
                current += 1;
            }
            b')' | b']' | b'}' => {
                if frames.len() > 1 {
                    let chain = frames.pop().unwrap_or(0);
                    current -= 1 + chain;
                }
                if c == b'}' && template_at.last() == Some(&frames.len()) {
                    template_at.pop();
                    i = skip_template_text(b, i + 1);
                    if i < n && b[i] == b'{' {
                        template_at.push(frames.len());
                        frames.push(0);
                        current += 1;
                        last = b'{';
                    } else {
                        last = b'a';
                    }
                    i += 1;
                    max = max.max(current);
                    continue;
                }
                closed_brace = c == b'}';
            }
            b';' | b',' => reset_chain(&mut frames, &mut current),
            _ if is_operator => {
                if let Some(chain) = frames.last_mut() {
                    *chain += 1;
                }
                current += 1;
            }
            _ => {}
        }
        if let Some(word) = word {
            if (2..=7).contains(&word.len())
                && matches!(
                    word,
                    b"new"
                        | b"typeof"
                        | b"void"
                        | b"delete"
                        | b"await"
                        | b"yield"
                        | b"if"
                        | b"else"
                        | b"while"
                        | b"for"
                        | b"with"
                        | b"do"
                        | b"keyof"
                        | b"extends"
                )
            {
                if let Some(chain) = frames.last_mut() {
                    *chain += 1;
                }
                current += 1;
            }
            i = word_end.unwrap_or(i + 1);
            last = b'a';
        } else {
            last = c;
            i += 1;
        }
        max = max.max(current);
        if max > limit {
            return max;
        }
    }
    max
}

/// Skips template literal text from `i`; returns the index of the closing backtick or of the `{` of a `${`.
fn skip_template_text(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let Some(k) = memchr::memchr3(b'\\', b'`', b'$', &b[i..]) else {
            return b.len();
        };
        i += k;
        match b[i] {
            b'\\' => i += 2,
            b'`' => return i,
            b'$' if b.get(i + 1) == Some(&b'{') => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Whether the word right before `i` is a keyword after which `/` starts a regular expression.
fn word_before_is_keyword(b: &[u8], i: usize) -> bool {
    let mut end = i;
    while end > 0 && b[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && b[start - 1].is_ascii_alphabetic() {
        start -= 1;
    }
    matches!(
        &b[start..end],
        b"return"
            | b"typeof"
            | b"case"
            | b"do"
            | b"else"
            | b"in"
            | b"of"
            | b"void"
            | b"yield"
            | b"await"
    )
}

/// A file with more functions than this gets a per-file error instead of its report: one report must stay far below
/// the ~512 MiB a JavaScript string can hold (a 50 MB file of small handlers has ~500,000 functions, ~1 GB of JSON).
pub const MAX_FUNCTIONS_PER_FILE: usize = 100_000;

/// At most this many syntax errors are listed per file; a last one says how many more there were.
pub const MAX_ERRORS_PER_FILE: usize = 1_000;

/// The error message of a file refused by the nesting guard.
pub fn nesting_error(estimate: u32, limit: u32) -> String {
    format!(
        "file is nested too deeply to analyse safely (estimated nesting over {limit}, found at least {estimate}: \
         brackets plus chained operators); skipped"
    )
}

/// The marker that makes the core panic on purpose, but only when `TDD_FAST_TEST_PANIC=1` was set when the process
/// first analysed a file. A test hook (it proves panics stay per file), documented in docs/reliability.md.
pub const TEST_PANIC_MARKER: &str = "/*tdd-fast:test-panic*/";

/// Panics when the test hook is armed and `text` starts with [`TEST_PANIC_MARKER`].
pub fn test_panic_hook(text: &str) {
    static ARMED: OnceLock<bool> = OnceLock::new();
    let armed =
        || *ARMED.get_or_init(|| std::env::var("TDD_FAST_TEST_PANIC").as_deref() == Ok("1"));
    if injects_panic(text, armed) {
        panic!("test panic injected by TDD_FAST_TEST_PANIC");
    }
}

/// Whether the hook fires: only for text starting with the marker, and only when armed (asked only then).
fn injects_panic(text: &str, armed: impl FnOnce() -> bool) -> bool {
    text.starts_with(TEST_PANIC_MARKER) && armed()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(text: &str) -> u32 {
        nesting_estimate(text, u32::MAX)
    }

    /// analyze.rs skips the scan for texts shorter than half the limit: that is only safe while no byte adds more
    /// than 2 to the estimate.
    #[test]
    fn the_estimate_grows_by_at_most_two_per_byte() {
        let units = [
            "(", "[", "{", "!", "a+", "f()", ")(", "](", "]([", "x=>", "`${", "new ", "typeof ",
            "a?b:", "a.b", "if(a)", "else ", "await ", "-", "a[0]",
        ];
        for unit in units {
            for n in [1, 7, 1000] {
                let text = unit.repeat(n);
                assert!(
                    est(&text) as usize <= 2 * text.len(),
                    "{unit:?} x {n}: {}",
                    est(&text)
                );
            }
        }
    }

    #[test]
    fn analysis_stack_calls_share_one_worker_thread_and_resume_panics() {
        let first = on_analysis_stack(|| std::thread::current().id());
        let second = on_analysis_stack(|| std::thread::current().id());
        assert_eq!(first, second);
        assert_ne!(first, std::thread::current().id());
        let caught = std::panic::catch_unwind(|| on_analysis_stack(|| panic!("boom")));
        assert!(caught.is_err());
        assert_eq!(
            on_analysis_stack(|| 2 + 2),
            4,
            "the worker survives a panic"
        );
    }

    #[test]
    fn brackets_and_chains_count() {
        assert_eq!(est(""), 0);
        assert_eq!(
            est(&format!("{}1{}", "(".repeat(500), ")".repeat(500))),
            500
        );
        assert!(est(&format!("x = {}1;", "!".repeat(500))) >= 500);
        assert!(est(&format!("x = 1{};", "+1".repeat(500))) >= 500);
        assert!(est(&format!("x = a{};", ".b".repeat(500))) >= 500);
        assert!(est(&format!("x = f{};", "(1)".repeat(500))) >= 500);
        assert!(est(&format!("if(a){{}}{}", "else if(a){}".repeat(500))) >= 500);
        assert!(est(&format!("x = {}1{};", "`${".repeat(300), "}`".repeat(300))) >= 300);
        assert!(est(&format!("x = 1 +\n{}1;", "1 +\n".repeat(500))) >= 500);
    }

    #[test]
    fn ordinary_code_stays_low() {
        let statements =
            "const a = b + c * d\nlet e = f(g, h)\nif (a) { e = 1 } else { e = 2 }\n".repeat(5000);
        assert!(est(&statements) < 20, "{}", est(&statements));
        let semis = "x = y + 1; z = '(((((' + \"[[[[\" + `{{{{ ${a} ((((`; // ((((\n/* (((( */ r = /\\(+[(]/g;\n";
        assert!(
            est(&semis.repeat(5000)) < 20,
            "{}",
            est(&semis.repeat(5000))
        );
    }

    /// The byte-at-a-time version the table-driven, memchr-skipping scan replaced (kept to prove they agree).
    fn reference_estimate(text: &str, limit: u32) -> u32 {
        let b = text.as_bytes();
        let n = b.len();
        // Per open bracket: the chain count inside it. frames[0] is the top level.
        let mut frames: Vec<u32> = vec![0];
        // Bracket depths at which a template literal's `${` was opened, to resume its text at the matching `}`.
        let mut template_at: Vec<usize> = Vec::new();
        let mut current: u32 = 0; // brackets open + chain counts of all open frames
        let mut max: u32 = 0;
        // The last significant byte (for regex-vs-division and ASI), and whether a line break followed it.
        let mut last: u8 = b'\n';
        let mut newline_since_last = false;
        let mut closed_brace = false;
        let mut i = 0;

        let reset_chain = |frames: &mut Vec<u32>, current: &mut u32| {
            if let Some(chain) = frames.last_mut() {
                *current -= *chain;
                *chain = 0;
            }
        };

        while i < n {
            let c = b[i];
            if c == b'\n' || c == b'\r' {
                newline_since_last = true;
                i += 1;
                continue;
            }
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            // Comments.
            if c == b'/' && i + 1 < n && b[i + 1] == b'/' {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
                i += 2;
                while i + 1 < n && !(b[i] == b'*' && b[i + 1] == b'/') {
                    if b[i] == b'\n' {
                        newline_since_last = true;
                    }
                    i += 1;
                }
                i += 2;
                continue;
            }

            let is_operator = b"+-*/%&|^!~?:<>=.".contains(&c);
            let word_end = if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 {
                let mut j = i;
                while j < n
                    && (b[j].is_ascii_alphanumeric()
                        || b[j] == b'_'
                        || b[j] == b'$'
                        || b[j] >= 0x80)
                {
                    j += 1;
                }
                Some(j)
            } else {
                None
            };
            let word = word_end.map(|j| &b[i..j]);

            // Statement boundaries restart the chain of the current bracket level.
            let continues_statement =
                is_operator || matches!(c, b'(' | b'[' | b'`') || word == Some(b"else".as_slice());
            let after_operator = b"+-*/%&|^!~?:<>=.,".contains(&last);
            let ends_by_brace = closed_brace && word != Some(b"else".as_slice()) && !is_operator;
            let ends_by_asi = newline_since_last && !continues_statement && !after_operator;
            if ends_by_brace || ends_by_asi {
                reset_chain(&mut frames, &mut current);
            }
            closed_brace = false;
            newline_since_last = false;

            match c {
                b'\'' | b'"' => {
                    i += 1;
                    while i < n && b[i] != c && b[i] != b'\n' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                    last = b'a';
                    continue;
                }
                b'`' => {
                    i = reference_skip_template_text(b, i + 1);
                    if i < n && b[i] == b'{' {
                        // `${`: an expression inside the template, one bracket deeper.
                        template_at.push(frames.len());
                        frames.push(0);
                        current += 1;
                        last = b'{';
                    } else {
                        last = b'a';
                    }
                    i += 1;
                    max = max.max(current);
                    continue;
                }
                b'/' if b"(,=:[!&|?{};+-*%<>~^\n".contains(&last)
                    || word_before_is_keyword(b, i) =>
                {
                    // A regular expression literal.
                    i += 1;
                    let mut in_class = false;
                    while i < n && b[i] != b'\n' {
                        match b[i] {
                            b'\\' => i += 1,
                            b'[' => in_class = true,
                            b']' => in_class = false,
                            b'/' if !in_class => break,
                            _ => {}
                        }
                        i += 1;
                    }
                    i += 1;
                    last = b'a';
                    continue;
                }
                b'(' | b'[' | b'{' => {
                    // `f(1)(2)(3)`, `a[0][1]`: call and index chains nest (left-deep) without operators.
                    if matches!(last, b')' | b']') && c != b'{' {
                        if let Some(chain) = frames.last_mut() {
                            *chain += 1;
                        }
                        current += 1;
                    }
                    frames.push(0);
                    current += 1;
                }
                b')' | b']' | b'}' => {
                    if frames.len() > 1 {
                        let chain = frames.pop().unwrap_or(0);
                        current -= 1 + chain;
                    }
                    if c == b'}' && template_at.last() == Some(&frames.len()) {
                        template_at.pop();
                        i = reference_skip_template_text(b, i + 1);
                        if i < n && b[i] == b'{' {
                            template_at.push(frames.len());
                            frames.push(0);
                            current += 1;
                            last = b'{';
                        } else {
                            last = b'a';
                        }
                        i += 1;
                        max = max.max(current);
                        continue;
                    }
                    closed_brace = c == b'}';
                }
                b';' | b',' => reset_chain(&mut frames, &mut current),
                _ if is_operator => {
                    if let Some(chain) = frames.last_mut() {
                        *chain += 1;
                    }
                    current += 1;
                }
                _ => {}
            }
            if let Some(word) = word {
                if matches!(
                    word,
                    b"new"
                        | b"typeof"
                        | b"void"
                        | b"delete"
                        | b"await"
                        | b"yield"
                        | b"if"
                        | b"else"
                        | b"while"
                        | b"for"
                        | b"with"
                        | b"do"
                        | b"keyof"
                        | b"extends"
                ) {
                    if let Some(chain) = frames.last_mut() {
                        *chain += 1;
                    }
                    current += 1;
                }
                i = word_end.unwrap_or(i + 1);
                last = b'a';
            } else {
                last = c;
                i += 1;
            }
            max = max.max(current);
            if max > limit {
                return max;
            }
        }
        max
    }

    fn reference_skip_template_text(b: &[u8], mut i: usize) -> usize {
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'`' => return i,
                b'$' if b.get(i + 1) == Some(&b'{') => return i + 1,
                _ => i += 1,
            }
        }
        i
    }

    #[test]
    fn the_fast_scan_agrees_with_the_byte_at_a_time_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts: Vec<String> = Vec::new();
        // Also over a corpus of one's own choice: TDD_FAST_GUARD_CORPUS=/some/dir (e.g. bench/.corpora).
        let extra = std::env::var("TDD_FAST_GUARD_CORPUS").ok();
        let dirs = [
            "ts",
            "crates/tdd_fast_core/tests/fixtures",
            "examples",
            "__test__",
        ]
        .iter()
        .map(|d| root.join(d))
        .chain(extra.map(std::path::PathBuf::from));
        for dir in dirs {
            for entry in ignore::WalkBuilder::new(dir)
                .standard_filters(false)
                .build()
                .flatten()
            {
                let path = entry.path();
                let source = path.extension().is_some_and(|e| {
                    ["ts", "js", "tsx", "jsx", "mjs", "cjs"].contains(&e.to_str().unwrap_or(""))
                });
                if source {
                    texts.extend(std::fs::read_to_string(path).ok());
                }
            }
        }
        assert!(texts.len() > 50, "found {} sources", texts.len());
        texts.push(format!("x = {}1;", "!".repeat(500)));
        // Unterminated strings, comments and templates, and escapes at the very end.
        for tail in [
            "'abc\\",
            "\"a\\\"b",
            "/* abc\n",
            "/*",
            "// x",
            "`abc\\",
            "`a${b",
            "x = 'a\\'b'\n/",
            "/*/",
        ] {
            texts.push(format!("f(a, (b) => {{ {tail}"));
            texts.push(tail.to_string());
        }
        texts.push("a\u{a0}b /re/.test(x) / 2 \r\n\x0c é ? ${ `t${`u`}` } : c".into());
        for text in &texts {
            for limit in [u32::MAX, 3] {
                assert_eq!(
                    nesting_estimate(text, limit),
                    reference_estimate(text, limit)
                );
            }
        }
    }

    #[test]
    fn the_panic_hook_fires_only_when_armed_and_only_on_the_marker() {
        let marked = format!("{TEST_PANIC_MARKER} let a = 1;");
        assert!(injects_panic(&marked, || true));
        assert!(!injects_panic(&marked, || false));
        assert!(!injects_panic("let a = 1;", || true));
        assert!(!injects_panic(&format!("x; {marked}"), || true));
    }

    #[test]
    fn the_panic_hook_is_inert_without_its_env_var() {
        // The test process does not set TDD_FAST_TEST_PANIC, so the marker does nothing.
        assert!(std::env::var("TDD_FAST_TEST_PANIC").is_err());
        let marked = format!("{TEST_PANIC_MARKER} let a = 1;");
        assert!(std::panic::catch_unwind(|| test_panic_hook(&marked)).is_ok());
    }
}
