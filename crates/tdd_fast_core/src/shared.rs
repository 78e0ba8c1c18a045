//! Text and bytes shared without copying: a range of one reference-counted buffer. A warm run loads the cache file's
//! report texts as one buffer and hands out ranges of it to the batch result and the JSON output, so a hit costs a
//! reference count instead of a copy of its report; a fresh report's JSON is shared the same way between the output
//! and the cache.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A `str` that is a range of a shared `String`. Cloning is a reference count.
#[derive(Clone, Default)]
pub struct SharedText {
    whole: Arc<String>,
    range: Range<usize>,
}

impl SharedText {
    /// A range of `whole`; `None` unless the range lies inside it, on character boundaries.
    pub fn slice(whole: &Arc<String>, range: Range<usize>) -> Option<Self> {
        whole.get(range.clone())?;
        Some(Self {
            whole: Arc::clone(whole),
            range,
        })
    }

    pub fn as_str(&self) -> &str {
        // Checked once in `slice`: this never falls back.
        self.whole.get(self.range.clone()).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        let range = 0..text.len();
        Self {
            whole: Arc::new(text),
            range,
        }
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

/// Bytes that are a range of a shared buffer. Cloning is a reference count.
#[derive(Clone, Default)]
pub struct SharedBytes {
    whole: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl SharedBytes {
    /// A range of `whole`; `None` unless the range lies inside it.
    pub fn slice(whole: &Arc<Vec<u8>>, range: Range<usize>) -> Option<Self> {
        whole.get(range.clone())?;
        Some(Self {
            whole: Arc::clone(whole),
            range,
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.whole.get(self.range.clone()).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

impl From<Vec<u8>> for SharedBytes {
    fn from(bytes: Vec<u8>) -> Self {
        let range = 0..bytes.len();
        Self {
            whole: Arc::new(bytes),
            range,
        }
    }
}

impl fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedBytes({} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_share_one_buffer_and_refuse_bad_ranges() {
        let whole = Arc::new("héllo world".to_string());
        let hello = SharedText::slice(&whole, 0..6).unwrap();
        assert_eq!(hello.as_str(), "héllo");
        assert_eq!(Arc::strong_count(&whole), 2);
        // Inside the two bytes of `é`, and past the end: refused, never a panic.
        assert!(SharedText::slice(&whole, 0..2).is_none());
        assert!(SharedText::slice(&whole, 3..99).is_none());
        assert_eq!(SharedText::from("abc".to_string()).as_str(), "abc");

        let bytes = Arc::new(vec![1u8, 2, 3, 4]);
        assert_eq!(
            SharedBytes::slice(&bytes, 1..3).unwrap().as_bytes(),
            &[2, 3]
        );
        assert!(SharedBytes::slice(&bytes, 2..9).is_none());
    }
}
