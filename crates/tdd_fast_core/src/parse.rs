//! Parsing with oxc. The caller owns the Allocator (one per thread, reset between files); syntax errors become
//! per-file errors with a line and column, and the recovered part of the program is still returned.

use oxc_allocator::Allocator;
use oxc_ast::ast::Program;
use oxc_parser::config::TokensParserConfig;
use oxc_parser::{ParseOptions, Parser, Token};
use oxc_span::SourceType;

use crate::model::{FileError, Language};

/// Maps byte offsets to 1-based lines and 1-based UTF-16 columns, the way ESLint reports positions.
pub struct LineIndex<'s> {
    text: &'s str,
    line_starts: Vec<u32>,
    /// For each multi-byte character: its byte offset and the running total of (UTF-8 bytes - UTF-16 units) up to and
    /// including it. Makes a column O(log n) instead of a scan of the line, which made a long minified line quadratic
    /// (a 5 MB one-line file with 120,000 functions never finished). Empty for ASCII text.
    wide: Vec<(u32, u32)>,
}

impl<'s> LineIndex<'s> {
    pub fn new(text: &'s str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0u32);
        // Line breaks with memchr, multi-byte characters in a second pass that skips ASCII 8 bytes at a time: most
        // source is ASCII, and this runs over every byte of every file.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i as u32 + 1);
            }
        }
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut saved = 0u32;
            let mut separators = false;
            let mut i = 0;
            while i < bytes.len() {
                let ascii_word = bytes
                    .get(i..i + 8)
                    .and_then(|w| <[u8; 8]>::try_from(w).ok())
                    .is_some_and(|w| u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0);
                if ascii_word {
                    i += 8;
                    continue;
                }
                let byte = bytes[i];
                if byte >= 0xC0 {
                    // A leading byte: 2-byte chars are 1 UTF-16 unit, 3-byte 1, 4-byte 2 (a surrogate pair).
                    saved += if byte < 0xE0 { 1 } else { 2 };
                    wide.push((i as u32, saved));
                    // U+2028 / U+2029 are line terminators in JavaScript too.
                    if byte == 0xE2
                        && matches!(
                            bytes.get(i + 1..i + 3),
                            Some([0x80, 0xA8]) | Some([0x80, 0xA9])
                        )
                    {
                        line_starts.push(i as u32 + 3);
                        separators = true;
                    }
                }
                i += 1;
            }
            if separators {
                line_starts.sort_unstable();
            }
        }
        Self {
            text,
            line_starts,
            wide,
        }
    }

    /// (UTF-8 bytes - UTF-16 units) of the text before byte offset `at`.
    fn saved_before(&self, at: usize) -> usize {
        match self.wide.partition_point(|&(p, _)| (p as usize) < at) {
            0 => 0,
            i => self.wide[i - 1].1 as usize,
        }
    }

    pub fn line_count(&self) -> u32 {
        if self.text.is_empty() {
            return 0;
        }
        let ends_with_break = self.text.ends_with('\n') || self.text.ends_with('\r');
        self.line_starts.len() as u32 - u32::from(ends_with_break)
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte offset where a 1-based line starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts
            .get((line as usize).checked_sub(1)?)
            .copied()
    }

    /// 1-based line and 1-based UTF-16 column of a byte offset.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.line_starts[line as usize - 1] as usize;
        let end = (offset as usize).min(self.text.len()).max(start);
        let column = (end - start) - (self.saved_before(end) - self.saved_before(start));
        (line, column as u32 + 1)
    }
}

pub fn source_type(language: Language) -> SourceType {
    match language {
        Language::Ts => SourceType::ts(),
        Language::Tsx => SourceType::tsx(),
        Language::Js | Language::Jsx => SourceType::jsx(),
    }
}

pub struct Parsed<'a> {
    pub program: Program<'a>,
    pub errors: Vec<FileError>,
    /// The lexer's tokens in source order (collected by the one parse, for duplicate detection).
    pub tokens: oxc_allocator::Vec<'a, Token>,
}

pub fn parse<'a>(
    allocator: &'a Allocator,
    text: &'a str,
    language: Language,
    lines: &LineIndex,
) -> Parsed<'a> {
    let ret = parse_text(allocator, text, language);
    let errors: Vec<FileError> = ret
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let offset = diagnostic.labels.first().map_or(0, |l| l.offset());
            let (line, column) = lines.position(offset);
            FileError {
                message: diagnostic.message.to_string(),
                line,
                column,
                severity: crate::model::Severity::Error,
            }
        })
        .collect();
    if !ret.panicked {
        return Parsed {
            program: ret.program,
            errors,
            tokens: ret.tokens,
        };
    }
    // oxc gave up on this file (no program at all): an edit left a brace open, say. So that the functions before and
    // after the broken statement are still inventoried, find where it starts (the longest prefix ending at a top-level
    // line that parses) and where the text parses again after it, and parse the file with the statement blanked out.
    // Only files oxc gives up on pay for this.
    let first_error = ret
        .diagnostics
        .iter()
        .filter_map(|d| d.labels.first().map(|l| l.offset()))
        .min();
    let recovered =
        first_error.and_then(|offset| recover(allocator, text, language, offset as usize));
    let (program, tokens) = match recovered {
        Some(recovered) => (recovered.program, recovered.tokens),
        None => (ret.program, ret.tokens),
    };
    Parsed {
        program,
        errors,
        tokens,
    }
}

/// The parse of `text` without its first broken top-level statement (the error at `first_error` is in it or after
/// it): the statements before it, and those after it from the first top-level line where the rest parses again.
/// The statement is blanked out (spaces, line breaks kept), so every offset, line and column is the file's own.
fn recover<'a>(
    allocator: &'a Allocator,
    text: &'a str,
    language: Language,
    first_error: usize,
) -> Option<oxc_parser::ParserReturn<'a>> {
    let starts = top_level_line_starts(text, text.len());
    let before_error = starts.partition_point(|&start| start < first_error);
    let prefix = longest_parsing_prefix(allocator, text, language, &starts[..before_error]);
    // No prefix parses: the broken statement is the file's first.
    let broken = prefix.as_ref().map_or(0, |(cut, _)| *cut);
    let resumes = &starts[starts.partition_point(|&start| start <= broken)..];
    let Some(resume) = first_resuming_line(text, language, broken, resumes) else {
        return prefix.map(|(_, ret)| ret);
    };
    let blanked = allocator.alloc_str(&blank(text, broken, resume));
    let ret = parse_text(allocator, blanked, language);
    match ret.panicked {
        false => Some(ret),
        true => prefix.map(|(_, ret)| ret),
    }
}

/// The first of `resumes` (ascending) where the text parses again with `text[broken..resume]` blanked out. Blanking
/// less than the broken statement fails, and blanking more keeps failing only on a second broken statement, so a
/// binary search finds it in log2(resumes) parses (in a scratch arena: only the final parse is kept).
fn first_resuming_line(
    text: &str,
    language: Language,
    broken: usize,
    resumes: &[usize],
) -> Option<usize> {
    let (mut low, mut high) = (0, resumes.len());
    let mut found = None;
    let mut scratch = Allocator::default();
    while low < high {
        let middle = (low + high) / 2;
        let candidate = blank(text, broken, resumes[middle]);
        let parses = !parse_text(&scratch, &candidate, language).panicked;
        scratch.reset();
        if parses {
            found = Some(resumes[middle]);
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    found
}

/// `text` with the bytes of `from..to` replaced by spaces, line breaks kept (so lines and offsets stay the same).
fn blank(text: &str, from: usize, to: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for byte in &mut bytes[from..to] {
        if !matches!(*byte, b'\n' | b'\r') {
            *byte = b' ';
        }
    }
    // Only ASCII bytes were written, over whole characters (the range starts and ends at line starts).
    String::from_utf8(bytes).unwrap_or_default()
}

/// The cut and the parse of the longest `text[..cut]` (over `cuts`, ascending) that oxc does not give up on. A prefix
/// that holds the broken statement fails, and so does every longer one, so a binary search finds it in log2(cuts)
/// parses.
fn longest_parsing_prefix<'a>(
    allocator: &'a Allocator,
    text: &'a str,
    language: Language,
    cuts: &[usize],
) -> Option<(usize, oxc_parser::ParserReturn<'a>)> {
    let (mut low, mut high) = (0, cuts.len());
    let mut best = None;
    while low < high {
        let middle = (low + high) / 2;
        let prefix = parse_text(allocator, &text[..cuts[middle]], language);
        if prefix.panicked {
            high = middle;
        } else {
            best = Some((cuts[middle], prefix));
            low = middle + 1;
        }
    }
    best
}

fn parse_text<'a>(
    allocator: &'a Allocator,
    text: &'a str,
    language: Language,
) -> oxc_parser::ParserReturn<'a> {
    let options = ParseOptions {
        parse_regular_expression: false,
        ..ParseOptions::default()
    };
    Parser::new(allocator, text, source_type(language))
        .with_options(options)
        .with_config(TokensParserConfig)
        .parse()
}

/// The starts of the lines before `offset` that begin a top-level statement (at column 0, with something other than a
/// closing bracket), ascending: the text before one holds only complete statements if it parses at all.
fn top_level_line_starts(text: &str, offset: usize) -> Vec<usize> {
    let head = &text.as_bytes()[..offset.min(text.len())];
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', head).map(|i| i + 1));
    line_starts
        .filter(|&start| start > 0 && start < head.len())
        .filter(|&start| {
            let first = head[start];
            !first.is_ascii_whitespace() && !matches!(first, b'}' | b')' | b']')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxc_span::GetSpan;

    /// The byte-at-a-time version `LineIndex::new` replaced (kept to prove they agree).
    fn reference_index(text: &str) -> (Vec<u32>, Vec<(u32, u32)>) {
        let mut line_starts = vec![0u32];
        let mut wide = Vec::new();
        let mut saved = 0u32;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] >= 0xC0 {
                // A leading byte: 2-byte chars are 1 UTF-16 unit, 3-byte 1, 4-byte 2 (a surrogate pair).
                saved += if bytes[i] < 0xE0 { 1 } else { 2 };
                wide.push((i as u32, saved));
            }
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i as u32 + 1),
                // U+2028 / U+2029 are line terminators in JavaScript too.
                0xE2 if matches!(
                    bytes.get(i + 1..i + 3),
                    Some([0x80, 0xA8]) | Some([0x80, 0xA9])
                ) =>
                {
                    line_starts.push(i as u32 + 3);
                }
                _ => {}
            }
            i += 1;
        }
        (line_starts, wide)
    }

    #[test]
    fn the_fast_index_agrees_with_the_byte_at_a_time_one() {
        let mut texts: Vec<String> = [
            "",
            "a",
            "\n",
            "\r",
            "\r\n",
            "a\r\rb\r\n\nc",
            "é\u{2028}x\u{2029}y\n😀\r\nz",
            "ab\u{2028}",
            "12345678é12345678\u{2028}123456781234567😀",
            "\u{2028}\u{2028}\n",
            "\u{2029}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for dir in ["ts", "crates/tdd_fast_core/tests/fixtures", "docs"] {
            for entry in ignore::WalkBuilder::new(root.join(dir)).build().flatten() {
                texts.extend(std::fs::read_to_string(entry.path()).ok());
            }
        }
        assert!(texts.len() > 50);
        for text in &texts {
            let index = LineIndex::new(text);
            assert_eq!(
                (index.line_starts, index.wide),
                reference_index(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn positions_are_one_based_and_count_utf16() {
        let text = "a\r\nb\n😀x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position(9), (3, 3)); // the emoji is two UTF-16 units
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn syntax_errors_have_positions_and_the_rest_still_parses() {
        let allocator = Allocator::default();
        let text = "function ok() {}\nlet x = ;\n";
        let lines = LineIndex::new(text);
        let parsed = parse(&allocator, text, Language::Ts, &lines);
        assert!(!parsed.errors.is_empty());
        assert_eq!(parsed.errors[0].line, 2);
    }

    /// Names of the top-level functions a parse kept.
    fn function_names(parsed: &Parsed) -> Vec<String> {
        parsed
            .program
            .body
            .iter()
            .filter_map(|statement| match statement {
                oxc_ast::ast::Statement::ExportDeclaration(export) => match &export.declaration {
                    oxc_ast::ast::Declaration::FunctionDeclaration(f) => {
                        f.id.as_ref().map(|id| id.name.to_string())
                    }
                    _ => None,
                },
                oxc_ast::ast::Statement::FunctionDeclaration(f) => {
                    f.id.as_ref().map(|id| id.name.to_string())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_unclosed_brace_keeps_every_function_but_the_broken_one() {
        let allocator = Allocator::default();
        // The brace of `mid`'s `if` is never closed: oxc reports it at the end of the file and gives up.
        let text =
            "export function a() {\n  return 1;\n}\nfunction b(x: number) {\n  return x;\n}\n\
                    export function mid(x: number) {\n  if (x) {\n    return 1;\n  return 0;\n}\n\
                    export function late() {\n  return 2;\n}\nconst tail = 1;\n";
        let lines = LineIndex::new(text);
        let parsed = parse(&allocator, text, Language::Ts, &lines);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 16);
        assert_eq!(function_names(&parsed), ["a", "b", "late"]);
        // What follows the broken function keeps its own place in the file.
        let late = parsed
            .program
            .body
            .iter()
            .find(|s| text[s.span().start as usize..].starts_with("export function late"));
        assert_eq!(late.map(|s| lines.line(s.span().start)), Some(12));
        assert_eq!(parsed.program.body.len(), 4);
        // A file that breaks on its first line keeps what follows the broken statement, and says why.
        let first = "export function broken( {\nexport function late() {}\n";
        let lines = LineIndex::new(first);
        let parsed = parse(&allocator, first, Language::Ts, &lines);
        assert_eq!(function_names(&parsed), ["late"]);
        assert_eq!(parsed.errors[0].line, 2);
        // Two broken functions: what lies between them is lost, the rest is kept.
        let two = "function a() {}\nfunction b() {\n  if (x) {\n}\nfunction c() {}\nfunction d() {\n  if (y) {\n}\nfunction e() {}\n";
        let lines = LineIndex::new(two);
        let parsed = parse(&allocator, two, Language::Ts, &lines);
        assert_eq!(function_names(&parsed), ["a", "e"]);
    }

    #[test]
    fn columns_match_a_utf16_count_of_the_line_for_every_offset() {
        let text = "a\u{e9}\u{4e2d}\u{1F600}b\nx\u{2028}\u{1F600}\u{e9}y\r\nz";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let (line, column) = index.position(offset as u32);
            let start = index.line_starts[line as usize - 1] as usize;
            assert_eq!(
                column as usize,
                text[start..offset].encode_utf16().count() + 1,
                "offset {offset}"
            );
        }
    }
}
