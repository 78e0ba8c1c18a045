//! The cache file: magic, format version, body length and checksum, then an index (bincode), one UTF-8 block of all
//! report texts and one block of all fingerprint bytes, so a load is three reads and the texts are shared, not copied.
//! Written atomically (temp file + rename); a corrupt, truncated or foreign file is ignored with a warning.

use std::io::{Read, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Cache, CacheLimits, Entry, FileStamp, ReportCounts, StoredFingerprint};
use crate::model::Duplicate;
use crate::shared::{SharedBytes, SharedText};

/// Bumped whenever the on-disk layout or the meaning of a cached report changes.
/// 2: entries hold the report's JSON text (spliced into the output as is) instead of the report struct.
/// 3: token fingerprints in entries. 4: the last cross-file duplicates result, keyed by the files it came from.
/// 5: fingerprints as byte strings with varint line deltas.
/// 6: an index (bincode) followed by all report texts as one UTF-8 block and all fingerprints as one byte block, so a
/// load is three reads and the texts are shared, not copied, per entry.
/// 7: no findings-only text per entry; info smells counted.
/// 8: smells carry `column` and `endColumn`, file errors and duplicates a `severity`; ESLint 10 metrics.
/// 9: reports carry type shapes and module shapes; entries list the other files their types were read from.
pub const FORMAT_VERSION: u32 = 9;
const MAGIC: &[u8; 8] = b"TDDFAST\0";

/// The on-disk index. Body layout after the header: index length (u64), text length (u64), the index (bincode), the
/// texts (UTF-8), the fingerprint bytes; ranges in the index point into the texts and the bytes.
#[derive(Serialize, Deserialize)]
struct DiskIndex {
    key: u64,
    /// Least recently used first.
    entries: Vec<DiskEntry>,
    duplicates: Option<(u64, Vec<Duplicate>)>,
}

#[derive(Serialize, Deserialize)]
struct DiskEntry {
    path: String,
    stamp: FileStamp,
    hash: String,
    counts: ReportCounts,
    json: Range<u64>,
    /// Token count, codes range and line-deltas range in the fingerprint bytes.
    fingerprint: Option<(u32, Range<u64>, Range<u64>)>,
    deps: Vec<(String, String)>,
}

fn to_usize(range: &Range<u64>) -> Range<usize> {
    range.start as usize..range.end as usize
}

impl Cache {
    /// Loads the persisted cache if it exists and belongs to this key. Returns a warning when a file was present but
    /// unusable (it will be replaced on the next save).
    pub fn load(
        key: u64,
        location: Option<PathBuf>,
        limits: CacheLimits,
    ) -> (Self, Option<String>) {
        let mut cache = Self::new(key, location, limits);
        let Some(path) = cache.location.clone() else {
            return (cache, None);
        };
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (cache, None),
            Err(e) => {
                return (
                    cache,
                    Some(format!(
                        "cache {} unreadable ({e}); rebuilding",
                        path.display()
                    )),
                )
            }
        };
        match read_image(file) {
            Ok(image) if image.key == key => {
                for (path, entry) in image.entries {
                    cache.insert_entry(path, entry);
                }
                cache.duplicates = image.duplicates;
                cache.dirty = false;
                cache.stats.loaded_from_disk = true;
                (cache, None)
            }
            // Another tool version or another config: a normal invalidation, not worth a warning.
            Ok(_) => {
                cache.dirty = true;
                (cache, None)
            }
            Err(why) => {
                cache.dirty = true;
                (
                    cache,
                    Some(format!(
                        "cache {} is {why}; ignoring it and rebuilding",
                        path.display()
                    )),
                )
            }
        }
    }

    /// The index (least recently used entry first) and the lengths of the text and fingerprint blocks it points into.
    fn disk_index(&self) -> (DiskIndex, u64, u64) {
        let (mut text_len, mut bytes_len) = (0u64, 0u64);
        let next = |len: usize, total: &mut u64| {
            let range = *total..*total + len as u64;
            *total = range.end;
            range
        };
        let entries = self
            .entries
            .iter()
            .rev()
            .map(|(path, entry)| DiskEntry {
                path: path.clone(),
                stamp: entry.stamp,
                hash: entry.hash.clone(),
                counts: entry.counts,
                json: next(entry.json.len(), &mut text_len),
                fingerprint: entry.fingerprint.as_ref().map(|fp| {
                    let codes = next(fp.codes.len(), &mut bytes_len);
                    (fp.tokens, codes, next(fp.lines.len(), &mut bytes_len))
                }),
                deps: entry.deps.clone(),
            })
            .collect();
        let index = DiskIndex {
            key: self.key,
            entries,
            duplicates: self.duplicates.clone(),
        };
        (index, text_len, bytes_len)
    }

    /// The body's pieces in file order: block lengths, index, every entry's texts, every entry's fingerprint bytes.
    fn body_pieces<'a>(
        &'a self,
        lengths: &'a [u8],
        index: &'a [u8],
    ) -> impl Iterator<Item = &'a [u8]> + 'a {
        let texts = self
            .entries
            .iter()
            .rev()
            .map(|(_, e)| e.json.as_str().as_bytes());
        let bytes = self.entries.iter().rev().flat_map(|(_, e)| {
            e.fingerprint
                .iter()
                .flat_map(|fp| [fp.codes.as_bytes(), fp.lines.as_bytes()])
        });
        [lengths, index].into_iter().chain(texts).chain(bytes)
    }

    /// Writes header and body, streaming each entry's texts from where they are (no copy of the whole body). The
    /// header's checksum covers the body, so it is written last, over a placeholder.
    fn write_image(&self, file: std::fs::File) -> std::io::Result<()> {
        use std::io::{Seek, SeekFrom};
        let (index, text_len, _) = self.disk_index();
        let index = bincode::serialize(&index).map_err(std::io::Error::other)?;
        let mut lengths = [0u8; 16];
        lengths[..8].copy_from_slice(&(index.len() as u64).to_le_bytes());
        lengths[8..].copy_from_slice(&text_len.to_le_bytes());
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        out.write_all(&[0u8; HEADER_LEN])?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut body_len = 0u64;
        for piece in self.body_pieces(&lengths, &index) {
            hasher.update(piece);
            body_len += piece.len() as u64;
            out.write_all(piece)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header(body_len, hasher.digest()))
    }

    /// Writes the cache atomically (temp file + rename) if anything changed. Errors are returned as warnings.
    pub fn save(&mut self) -> Option<String> {
        if !self.dirty {
            return None;
        }
        let path = self.location.clone()?;
        let result = (|| -> Result<(), String> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            let temp = path.with_extension(format!("tmp-{}", std::process::id()));
            let written = std::fs::File::create(&temp).and_then(|file| self.write_image(file));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&temp);
                return Err(e.to_string());
            }
            std::fs::rename(&temp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                e.to_string()
            })
        })();
        match result {
            Ok(()) => {
                self.dirty = false;
                None
            }
            Err(why) => Some(format!(
                "could not save the cache to {}: {why}",
                path.display()
            )),
        }
    }
}

const HEADER_LEN: usize = 28;

/// Magic, format version, body length and the body's checksum.
fn header(body_len: u64, checksum: u64) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..20].copy_from_slice(&body_len.to_le_bytes());
    header[20..].copy_from_slice(&checksum.to_le_bytes());
    header
}

/// What `Cache::load` gets from a file: entries whose texts share the file's text block.
struct LoadedImage {
    key: u64,
    entries: Vec<(String, Entry)>,
    duplicates: Option<(u64, Vec<Duplicate>)>,
}

/// Reads and checks a cache file: header, lengths, checksum over the whole body, then the index; the texts block is
/// validated as UTF-8 once and every entry's texts become ranges of it.
fn read_image(mut file: std::fs::File) -> Result<LoadedImage, &'static str> {
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut header = [0u8; HEADER_LEN];
    let got = read_up_to(&mut file, &mut header).map_err(|_| "unreadable")?;
    if header[..got.min(MAGIC.len())] != MAGIC[..got.min(MAGIC.len())] || got == 0 {
        return Err("not a tdd-fast cache file");
    }
    if got < HEADER_LEN {
        return Err("truncated");
    }
    let version = u32::from_le_bytes(header[8..12].try_into().unwrap_or_default());
    if version != FORMAT_VERSION {
        return Err("from another cache format version");
    }
    let body_len = u64::from_le_bytes(header[12..20].try_into().unwrap_or_default());
    let checksum = u64::from_le_bytes(header[20..28].try_into().unwrap_or_default());
    if file_len.checked_sub(HEADER_LEN as u64) != Some(body_len) || body_len < 16 {
        return Err("truncated");
    }
    let mut lengths = [0u8; 16];
    file.read_exact(&mut lengths).map_err(|_| "truncated")?;
    let index_len = u64::from_le_bytes(lengths[..8].try_into().unwrap_or_default());
    let text_len = u64::from_le_bytes(lengths[8..].try_into().unwrap_or_default());
    let bytes_len = index_len
        .checked_add(text_len)
        .and_then(|n| (body_len - 16).checked_sub(n))
        .ok_or("corrupt (bad block lengths)")?;
    let mut block = |len: u64| -> Result<Vec<u8>, &'static str> {
        let mut buffer = vec![0u8; len as usize];
        read_in_halves(&mut file, &mut buffer).map_err(|_| "truncated")?;
        Ok(buffer)
    };
    let (index, texts, bytes) = (block(index_len)?, block(text_len)?, block(bytes_len)?);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [&lengths[..], &index, &texts, &bytes] {
        hasher.update(part);
    }
    if hasher.digest() != checksum {
        return Err("corrupt (checksum mismatch)");
    }
    let index: DiskIndex = bincode::deserialize(&index).map_err(|_| "corrupt (cannot decode)")?;
    let texts = Arc::new(String::from_utf8(texts).map_err(|_| "corrupt (texts are not UTF-8)")?);
    let bytes = Arc::new(bytes);
    let bad_range = "corrupt (a range points outside its block)";
    let entries = index
        .entries
        .into_iter()
        .map(|e| {
            let fingerprint = match e.fingerprint {
                Some((tokens, codes, lines)) => Some(StoredFingerprint {
                    tokens,
                    codes: SharedBytes::slice(&bytes, to_usize(&codes)).ok_or(bad_range)?,
                    lines: SharedBytes::slice(&bytes, to_usize(&lines)).ok_or(bad_range)?,
                }),
                None => None,
            };
            let entry = Entry {
                stamp: e.stamp,
                hash: e.hash,
                json: SharedText::slice(&texts, to_usize(&e.json)).ok_or(bad_range)?,
                counts: e.counts,
                fingerprint,
                deps: e.deps,
            };
            Ok((e.path, entry))
        })
        .collect::<Result<Vec<_>, &'static str>>()?;
    Ok(LoadedImage {
        key: index.key,
        entries,
        duplicates: index.duplicates,
    })
}

/// Fills `buffer` from the file's current position, a large buffer in two halves read by two threads (it is fresh
/// memory: its page faults, taken in parallel, are much of a warm run's load time). Leaves the position after it.
fn read_in_halves(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    if buffer.len() >= 4 << 20 {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::FileExt;
        let start = file.stream_position()?;
        let half = buffer.len() / 2;
        let (first, second) = buffer.split_at_mut(half);
        let shared: &std::fs::File = file;
        std::thread::scope(|scope| {
            let other = scope.spawn(|| shared.read_exact_at(second, start + half as u64));
            shared.read_exact_at(first, start)?;
            other
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("reader thread failed")))
        })?;
        file.seek(SeekFrom::Start(start + buffer.len() as u64))?;
        return Ok(());
    }
    file.read_exact(buffer)
}

/// Reads until `buffer` is full or the file ends; returns how many bytes were read.
fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::test_support::entry;

    fn temp_file(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tdd-fast-cache-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("cache.bin")
    }

    #[test]
    fn round_trips_through_disk_with_reports_intact() {
        let path = temp_file("roundtrip");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        cache.insert("f.ts".into(), entry(10, "abc"));
        assert_eq!(cache.save(), None);
        let (loaded, warning) = Cache::load(1, Some(path), CacheLimits::default());
        assert_eq!(warning, None);
        let hit = loaded.lookup_hash("f.ts", "abc").expect("hit");
        assert_eq!(hit.report(), entry(10, "abc").report());
        assert!(hit.report().is_some());
        assert_eq!(hit.counts, entry(10, "abc").counts);
        assert!(loaded.lookup_hash("f.ts", "other").is_none());
        assert!(loaded
            .lookup_stamp(
                "f.ts",
                FileStamp {
                    size: 11,
                    mtime_ns: 7
                }
            )
            .is_none());
    }

    #[test]
    fn another_key_starts_empty_without_a_warning() {
        let path = temp_file("key");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        cache.insert("f.ts".into(), entry(10, "abc"));
        cache.save();
        let (loaded, warning) = Cache::load(2, Some(path), CacheLimits::default());
        assert_eq!(warning, None);
        assert_eq!(loaded.stats.entries, 0);
    }

    #[test]
    fn corrupt_truncated_and_foreign_files_are_ignored_with_a_warning() {
        let path = temp_file("corrupt");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        cache.insert("f.ts".into(), entry(10, "abc"));
        cache.save();
        let good = std::fs::read(&path).unwrap();

        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0xff;
        std::fs::write(&path, &flipped).unwrap();
        let (loaded, warning) = Cache::load(1, Some(path.clone()), CacheLimits::default());
        assert!(warning.unwrap().contains("checksum"));
        assert_eq!(loaded.stats.entries, 0);

        std::fs::write(&path, &good[..good.len() / 2]).unwrap();
        let (_, warning) = Cache::load(1, Some(path.clone()), CacheLimits::default());
        assert!(warning.unwrap().contains("truncated"));

        std::fs::write(&path, b"{\"some\": \"json\"}").unwrap();
        let (mut loaded, warning) = Cache::load(1, Some(path.clone()), CacheLimits::default());
        assert!(warning.unwrap().contains("not a tdd-fast cache"));
        // The next save replaces the bad file.
        loaded.insert("f.ts".into(), entry(10, "abc"));
        assert_eq!(loaded.save(), None);
        assert_eq!(
            Cache::load(1, Some(path), CacheLimits::default())
                .0
                .stats
                .entries,
            1
        );
    }

    #[test]
    fn a_checksummed_file_whose_ranges_point_outside_its_blocks_is_ignored_with_a_warning() {
        let path = temp_file("ranges");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        cache.insert("f.ts".into(), entry(10, "abc"));
        let (mut index, text_len, _) = cache.disk_index();
        let pieces: Vec<u8> = cache.body_pieces(&[], &[]).collect::<Vec<_>>().concat();
        index.entries[0].json = 3..(text_len + 10);
        let index = bincode::serialize(&index).unwrap();
        let mut lengths = [0u8; 16];
        lengths[..8].copy_from_slice(&(index.len() as u64).to_le_bytes());
        lengths[8..].copy_from_slice(&text_len.to_le_bytes());
        let body = [&lengths[..], &index, &pieces].concat();
        let checksum = xxhash_rust::xxh3::xxh3_64(&body);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            [&header(body.len() as u64, checksum)[..], &body].concat(),
        )
        .unwrap();
        let (loaded, warning) = Cache::load(1, Some(path), CacheLimits::default());
        assert!(warning.unwrap().contains("outside its block"));
        assert_eq!(loaded.stats.entries, 0);
    }

    #[test]
    fn loaded_entries_share_the_files_text_block() {
        let path = temp_file("shared");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        cache.insert("a.ts".into(), entry(10, "a"));
        cache.insert("b.ts".into(), entry(10, "b"));
        cache.save();
        let (loaded, _) = Cache::load(1, Some(path), CacheLimits::default());
        let (a, b) = (
            loaded.lookup_hash("a.ts", "a").unwrap(),
            loaded.lookup_hash("b.ts", "b").unwrap(),
        );
        assert_eq!(a.json, entry(10, "a").json);
        // Both texts are ranges of one block: the second starts where the first ends.
        let a_end = a.json.as_str().as_ptr() as usize + a.json.len();
        assert_eq!(b.json.as_str().as_ptr() as usize, a_end);
        let decoded = a.fingerprint.as_ref().unwrap().decode().unwrap();
        assert_eq!(
            Some(&decoded),
            entry(10, "a").fingerprint.unwrap().decode().as_ref()
        );
    }

    #[test]
    fn a_large_cache_is_read_in_two_halves_and_round_trips() {
        let path = temp_file("large");
        let mut cache = Cache::new(1, Some(path.clone()), CacheLimits::default());
        let mut big = entry(10, "big");
        // 6 MB of text, non-ASCII at the split point's neighbourhood too.
        let text = format!("{{\"x\":\"{}\"}}", "aé😀b".repeat(600_000));
        big.json = SharedText::from(text.clone());
        cache.insert("big.ts".into(), big);
        cache.insert("f.ts".into(), entry(10, "abc"));
        assert_eq!(cache.save(), None);
        let (loaded, warning) = Cache::load(1, Some(path.clone()), CacheLimits::default());
        assert_eq!(warning, None);
        assert_eq!(
            loaded.lookup_hash("big.ts", "big").unwrap().json.as_str(),
            text
        );
        assert_eq!(
            loaded.lookup_hash("f.ts", "abc").unwrap().json,
            entry(10, "abc").json
        );
        // Truncated in its second half: refused, not a short read taken as data.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 100]).unwrap();
        assert!(Cache::load(1, Some(path), CacheLimits::default())
            .1
            .unwrap()
            .contains("truncated"));
    }
}
