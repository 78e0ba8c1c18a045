//! Sharded runs (`--shard i/n`, `tdd-fast merge-reports`): a shard's report carries each analysed file's duplicate
//! fingerprint, compactly encoded, so that merging the shards' reports can re-run the cross-file duplicate matching
//! (`dupes::find`) over all files, exactly as one unsharded run does, without reading or parsing any file again.
//!
//! Encoding: `tokens` is the fingerprint's token codes (one byte each) in base64; `lines` is the token lines as
//! LEB128 varints of the difference to the previous token's line (lines never decrease), in base64.

use serde::{Deserialize, Serialize};

use crate::config::DuplicateSettings;
use crate::lint::duplicates::Fingerprint;
use crate::model::Duplicate;

/// One file's duplicate fingerprint as a shard report carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileFingerprint {
    /// The report path (relative to the root, forward slashes).
    pub path: String,
    pub tokens: String,
    pub lines: String,
}

pub fn encode(path: &str, fingerprint: &Fingerprint) -> FileFingerprint {
    FileFingerprint {
        path: path.to_string(),
        tokens: base64_encode(&fingerprint.codes),
        lines: base64_encode(&crate::lint::duplicates::encode_lines(&fingerprint.lines)),
    }
}

pub fn decode(file: &FileFingerprint) -> Result<Fingerprint, String> {
    let bad = |what: &str| {
        format!(
            "{}: the duplicate fingerprint's {what} is damaged",
            file.path
        )
    };
    let codes = base64_decode(&file.tokens).ok_or_else(|| bad("tokens"))?;
    let bytes = base64_decode(&file.lines).ok_or_else(|| bad("lines"))?;
    let lines =
        crate::lint::duplicates::decode_lines(&bytes, codes.len()).ok_or_else(|| bad("lines"))?;
    Ok(Fingerprint { codes, lines })
}

/// Cross-file duplicates over the fingerprints of all shards, in the order given (the unsharded run's file order).
pub fn merge_duplicates(
    files: &[FileFingerprint],
    settings: &DuplicateSettings,
) -> Result<Vec<Duplicate>, String> {
    let decoded = files
        .iter()
        .map(|f| decode(f).map(|fp| (f.path.as_str(), fp)))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<(&str, &Fingerprint)> = decoded.iter().map(|(p, fp)| (*p, fp)).collect();
    Ok(crate::lint::duplicates::find(&refs, settings))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..20usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn fingerprints_round_trip_and_damage_is_an_error() {
        let fp = Fingerprint {
            codes: vec![1, 250, 251, 7, 7, 0, 255],
            lines: vec![1, 1, 2, 200, 200, 70_000, 4_000_000],
        };
        let encoded = encode("src/a.ts", &fp);
        assert_eq!(decode(&encoded), Ok(fp));
        let mut damaged = encoded.clone();
        damaged.lines = base64_encode(&[0x80]);
        assert!(decode(&damaged).unwrap_err().contains("src/a.ts"));
        assert_eq!(
            decode(&FileFingerprint {
                path: "e.ts".into(),
                tokens: String::new(),
                lines: String::new()
            }),
            Ok(Fingerprint::default())
        );
    }
}
