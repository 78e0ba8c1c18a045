//! Duplicate code blocks across (and within) files, token-based like jscpd.
//!
//! Per file, in the per-file pass, the lexer tokens the one parse already produced become a compact `Fingerprint`:
//! one normalised code per token (every identifier is the same code, every literal is the same code, punctuators and
//! keywords keep their kind) and the line of each token. It is a pure function of the file's bytes, so it is cached
//! with the report. After all files are analysed, `find` slides a window of `min_tokens` codes over every file with a
//! rolling hash; a window seen before (verified code by code, so hash collisions cannot report false clones) starts a
//! clone, which is extended token by token as far as both copies agree. Clones spanning at least `min_lines` lines are
//! reported; every copy of the same original block is one `Duplicate` with all its locations.

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use oxc_parser::{Kind, Token};
use serde::{Deserialize, Serialize};

use crate::config::DuplicateSettings;
use crate::model::{Duplicate, DuplicateLocation};
use crate::parse::LineIndex;

const IDENT: u8 = 250;
const LITERAL: u8 = 251;

pub use crate::model::Fingerprint;

/// Token lines as LEB128 varints of the difference to the previous line.
pub fn encode_lines(lines: &[u32]) -> Vec<u8> {
    let mut deltas = Vec::with_capacity(lines.len() + lines.len() / 8);
    let mut previous = 0u32;
    for &line in lines {
        let mut delta = line.wrapping_sub(previous);
        previous = line;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                deltas.push(byte);
                break;
            }
            deltas.push(byte | 0x80);
        }
    }
    deltas
}

/// The inverse of [`encode_lines`]; `None` unless the bytes hold exactly `count` complete varints.
pub fn decode_lines(bytes: &[u8], count: usize) -> Option<Vec<u32>> {
    let mut lines = Vec::with_capacity(count);
    let (mut line, mut delta, mut shift) = (0u32, 0u32, 0u32);
    for &byte in bytes {
        if shift > 28 {
            return None;
        }
        delta |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            line = line.wrapping_add(delta);
            lines.push(line);
            delta = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    (shift == 0 && lines.len() == count).then_some(lines)
}

/// A byte string for serde (one length and the bytes, not one element per byte).
struct Bytes<'b>(&'b [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ByteBuf, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(ByteBuf(out))
            }
        }
        deserializer.deserialize_byte_buf(Visitor)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let deltas = encode_lines(&self.lines);
        (Bytes(&self.codes), Bytes(&deltas)).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (ByteBuf(codes), ByteBuf(deltas)) = <(ByteBuf, ByteBuf)>::deserialize(deserializer)?;
        let lines = decode_lines(&deltas, codes.len())
            .ok_or_else(|| serde::de::Error::custom("damaged fingerprint lines"))?;
        Ok(Self { codes, lines })
    }
}

impl Fingerprint {
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

fn code(kind: Kind) -> u8 {
    if kind == Kind::Ident || kind == Kind::PrivateIdentifier {
        IDENT
    } else if kind.is_literal()
        || matches!(
            kind,
            Kind::NoSubstitutionTemplate
                | Kind::TemplateHead
                | Kind::TemplateMiddle
                | Kind::TemplateTail
        )
    {
        LITERAL
    } else {
        (kind as u8).min(249)
    }
}

/// Records `import ...` and `export ... from ...` declarations during the pass: [`fingerprint`] leaves them out (lists
/// of re-exports look alike once identifiers are normalised, and copying them is no smell).
pub fn on_enter(collector: &mut crate::lint::facts::Collector, kind: oxc_ast::AstKind) {
    use oxc_ast::AstKind;
    let span = match kind {
        AstKind::ImportDeclaration(d) => d.span,
        AstKind::ExportAllDeclaration(d) => d.span,
        AstKind::ExportFromDeclaration(d) => d.span,
        _ => return,
    };
    collector.module_declarations.push(span);
}

/// The fingerprint of a file from the tokens of its one parse, leaving out the tokens inside `skip` (sorted spans:
/// import/export-from declarations).
pub fn fingerprint(tokens: &[Token], lines: &LineIndex, skip: &[oxc_span::Span]) -> Fingerprint {
    let mut codes = Vec::with_capacity(tokens.len());
    let mut token_lines = Vec::with_capacity(tokens.len());
    // Tokens come in source order: walk the line forward instead of a binary search per token.
    let mut line = 1u32;
    let mut next_line_start = lines.line_start(2);
    let mut skip = skip.iter().peekable();
    for token in tokens {
        if token.kind() == Kind::Eof {
            continue;
        }
        let start = token.start();
        while skip.peek().is_some_and(|s| s.end <= start) {
            skip.next();
        }
        if skip.peek().is_some_and(|s| s.start <= start) {
            continue;
        }
        while next_line_start.is_some_and(|s| s <= start) {
            line += 1;
            next_line_start = lines.line_start(line + 1);
        }
        codes.push(code(token.kind()));
        token_lines.push(line);
    }
    Fingerprint {
        codes,
        lines: token_lines,
    }
}

const BASE: u64 = 1_000_003;

/// The keys are already hashes: pass them through (mixed once) instead of SipHash-ing them again.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<PassThrough>>;

/// Finds duplicated blocks among files (path, fingerprint), in the given order.
pub fn find(files: &[(&str, &Fingerprint)], settings: &DuplicateSettings) -> Vec<Duplicate> {
    let n = settings.min_tokens.max(1) as usize;
    if !settings.enabled {
        return Vec::new();
    }
    let mut power = 1u64; // BASE^(n-1)
    for _ in 1..n {
        power = power.wrapping_mul(BASE);
    }
    // Window hash -> first (file, start) with it.
    // Only windows anchored at a line's first token enter the map: reserve for those (one per line with tokens), not
    // for every token (a table several times larger, mostly untouched memory).
    let anchors: usize = files
        .iter()
        .map(|(_, fp)| {
            usize::from(!fp.lines.is_empty()) + fp.lines.windows(2).filter(|w| w[0] != w[1]).count()
        })
        .sum();
    let mut seen: FastMap<u64, (u32, u32)> = FastMap::default();
    seen.reserve(anchors);
    // Original block (file, start, len) -> index in `out`.
    let mut groups: HashMap<(u32, u32, u32), usize> = HashMap::new();
    let mut out: Vec<Duplicate> = Vec::new();
    // The rolling hashes of every file's anchored windows, computed in parallel (the per-token work); the matching
    // below is sequential, since which block counts as the original depends on file order.
    let windows: Vec<Vec<(u32, u64)>> = files
        .par_iter()
        .map(|(_, fp)| anchored_windows(fp, n, power))
        .collect();
    for (fi, (_, fp)) in files.iter().enumerate() {
        let codes = &fp.codes;
        // Positions before `skip_until` are inside a clone just reported: no new clone starts there.
        let mut skip_until = 0usize;
        for &(pos, hash) in &windows[fi] {
            let pos = pos as usize;
            if pos >= skip_until {
                match seen.get(&hash) {
                    Some(&(of, ostart)) => {
                        let other = &files[of as usize].1.codes;
                        let same_file = of as usize == fi;
                        let (mut os, mut start) = (ostart as usize, pos);
                        if other[os..os + n] == codes[start..start + n]
                            && !(same_file && os + n > start)
                        {
                            while start > skip_until && os > 0 && other[os - 1] == codes[start - 1]
                            {
                                os -= 1;
                                start -= 1;
                            }
                            let mut len = pos + n - start;
                            while start + len < codes.len()
                                && os + len < other.len()
                                && other[os + len] == codes[start + len]
                            {
                                len += 1;
                            }
                            if same_file {
                                // In one file the original must end before the copy starts.
                                len = len.min(start - os);
                            }
                            if len >= n {
                                record(
                                    &mut out,
                                    &mut groups,
                                    files,
                                    settings,
                                    (of, os),
                                    (fi, start),
                                    len,
                                );
                            }
                            // A clone just reported, or one too short: no new clone starts inside it.
                            skip_until = start + len.max(n);
                        }
                    }
                    None => {
                        seen.insert(hash, (fi as u32, pos as u32));
                    }
                }
            } else {
                seen.entry(hash).or_insert((fi as u32, pos as u32));
            }
        }
    }
    out
}

/// (position, hash) of every window of `n` tokens that starts at the first token of a line, in order. Windows are
/// anchored at line starts: the map sees one window per line instead of one per token (several times less work), and
/// a copied block keeps its line breaks. A clone found at an anchor is then extended backward to the first token the
/// copies share, and forward to the last. `power` is BASE^(n-1).
fn anchored_windows(fp: &Fingerprint, n: usize, power: u64) -> Vec<(u32, u64)> {
    let codes = &fp.codes;
    if codes.len() < n {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut hash = 0u64;
    for &c in &codes[..n] {
        hash = hash.wrapping_mul(BASE).wrapping_add(u64::from(c) + 1);
    }
    let mut pos = 0usize;
    loop {
        if pos == 0 || fp.lines[pos] != fp.lines[pos - 1] {
            out.push((pos as u32, hash));
        }
        if pos + n >= codes.len() {
            break;
        }
        let outgoing = u64::from(codes[pos]) + 1;
        let incoming = u64::from(codes[pos + n]) + 1;
        hash = hash
            .wrapping_sub(outgoing.wrapping_mul(power))
            .wrapping_mul(BASE)
            .wrapping_add(incoming);
        pos += 1;
    }
    out
}

/// Adds a clone of `len` tokens (original at `from`, copy at `to`, both (file index, token index)) when it spans
/// enough lines; copies of the same original block share one `Duplicate`.
fn record(
    out: &mut Vec<Duplicate>,
    groups: &mut HashMap<(u32, u32, u32), usize>,
    files: &[(&str, &Fingerprint)],
    settings: &DuplicateSettings,
    from: (u32, usize),
    to: (usize, usize),
    len: usize,
) {
    let (of, os) = from;
    let (fi, start) = to;
    let (opath, ofp) = files[of as usize];
    let (path, fp) = files[fi];
    let lines = fp.lines[start + len - 1] + 1 - fp.lines[start];
    if lines < settings.min_lines {
        return;
    }
    let location = DuplicateLocation {
        path: path.to_string(),
        line: fp.lines[start],
        end_line: fp.lines[start + len - 1],
    };
    let key = (of, os as u32, len as u32);
    match groups.get(&key) {
        Some(&g) => out[g].locations.push(location),
        None => {
            groups.insert(key, out.len());
            out.push(Duplicate {
                lines,
                tokens: len as u32,
                locations: vec![
                    DuplicateLocation {
                        path: opath.to_string(),
                        line: ofp.lines[os],
                        end_line: ofp.lines[os + len - 1],
                    },
                    location,
                ],
                severity: settings.severity,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze_text_with_fingerprint;
    use crate::model::Language;

    fn fp(code: &str) -> Fingerprint {
        analyze_text_with_fingerprint(code, "t.ts", Language::Ts, &Default::default()).1
    }

    const BLOCK: &str = "function total(items) {\n  let sum = 0;\n  for (const item of items) {\n    if (item.price > 0) {\n      sum += item.price * item.qty;\n    }\n  }\n  return sum;\n}\n";

    #[test]
    fn identifiers_and_literals_are_normalised() {
        let a = fp("const a = 1 + b;");
        let b = fp("const x = 2 + y;");
        assert_eq!(a.codes, b.codes);
        assert_ne!(a.codes, fp("let a = 1 + b;").codes);
    }

    #[test]
    fn finds_a_block_copied_across_three_files_with_renamed_identifiers() {
        let renamed = BLOCK.replace("sum", "acc").replace("items", "list");
        let a = fp(&format!("// a\n{BLOCK}"));
        let b = fp(&format!("const x = 1;\n\n{renamed}"));
        let c = fp(BLOCK);
        let settings = DuplicateSettings {
            enabled: true,
            min_tokens: 30,
            min_lines: 5,
            ..Default::default()
        };
        let found = find(&[("a.ts", &a), ("b.ts", &b), ("c.ts", &c)], &settings);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.lines, 9);
        let places: Vec<(&str, u32, u32)> = d
            .locations
            .iter()
            .map(|l| (l.path.as_str(), l.line, l.end_line))
            .collect();
        assert_eq!(
            places,
            vec![("a.ts", 2, 10), ("b.ts", 3, 11), ("c.ts", 1, 9)]
        );
    }

    #[test]
    fn thresholds_and_different_code_give_nothing() {
        let a = fp(BLOCK);
        let b = fp("class A { m() { return this.x.map((y) => y * 2).filter(Boolean); } }");
        assert!(find(&[("a.ts", &a), ("b.ts", &b)], &DuplicateSettings::default()).is_empty());
        // Default: 50 tokens; the block has fewer.
        let c = fp(BLOCK);
        assert!(find(&[("a.ts", &a), ("c.ts", &c)], &DuplicateSettings::default()).is_empty());
        let off = DuplicateSettings {
            enabled: false,
            min_tokens: 10,
            min_lines: 1,
            ..Default::default()
        };
        assert!(find(&[("a.ts", &a), ("c.ts", &c)], &off).is_empty());
    }

    #[test]
    fn a_copy_starting_mid_line_is_found_from_its_first_token() {
        let a = fp(BLOCK);
        let b = fp(&format!("let q = 2; {BLOCK}"));
        let settings = DuplicateSettings {
            enabled: true,
            min_tokens: 30,
            min_lines: 5,
            ..Default::default()
        };
        let found = find(&[("a.ts", &a), ("b.ts", &b)], &settings);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].tokens as usize, a.codes.len());
        assert_eq!(found[0].locations[1].line, 1);
    }

    #[test]
    fn module_declarations_are_left_out() {
        let a = fp("import { a } from './a';\nexport { b } from './b';\nexport * from './c';\nconst x = 1;");
        assert_eq!(a.codes, fp("const y = 2;").codes);
        assert_eq!(a.lines, vec![4, 4, 4, 4, 4]);
    }

    #[test]
    fn finds_copies_within_one_file() {
        let a = fp(&format!("{BLOCK}\n{}", BLOCK.replace("total", "total2")));
        let settings = DuplicateSettings {
            enabled: true,
            min_tokens: 30,
            min_lines: 5,
            ..Default::default()
        };
        let found = find(&[("a.ts", &a)], &settings);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].locations[1].line, 11);
    }
}
