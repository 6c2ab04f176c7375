//! The static table (RFC 7541 Appendix A) and the dynamic table (RFC 7541 §2.3.2, §4).
//!
//! HPACK indexes both tables in one address space (RFC 7541 §2.3.3): 1..=61 is the static
//! table, 62.. the dynamic table, newest entry first. [`get`] and [`find`] work in that
//! space; [`DynamicTable`] itself is indexed from 0 (newest) so it can be used on its own.

use std::collections::VecDeque;

use super::HpackError;

/// RFC 7541 Appendix A. `STATIC_TABLE[i]` is HPACK index `i + 1`.
pub static STATIC_TABLE: [(&[u8], &[u8]); 61] = [
    (b":authority", b""),
    (b":method", b"GET"),
    (b":method", b"POST"),
    (b":path", b"/"),
    (b":path", b"/index.html"),
    (b":scheme", b"http"),
    (b":scheme", b"https"),
    (b":status", b"200"),
    (b":status", b"204"),
    (b":status", b"206"),
    (b":status", b"304"),
    (b":status", b"400"),
    (b":status", b"404"),
    (b":status", b"500"),
    (b"accept-charset", b""),
    (b"accept-encoding", b"gzip, deflate"),
    (b"accept-language", b""),
    (b"accept-ranges", b""),
    (b"accept", b""),
    (b"access-control-allow-origin", b""),
    (b"age", b""),
    (b"allow", b""),
    (b"authorization", b""),
    (b"cache-control", b""),
    (b"content-disposition", b""),
    (b"content-encoding", b""),
    (b"content-language", b""),
    (b"content-length", b""),
    (b"content-location", b""),
    (b"content-range", b""),
    (b"content-type", b""),
    (b"cookie", b""),
    (b"date", b""),
    (b"etag", b""),
    (b"expect", b""),
    (b"expires", b""),
    (b"from", b""),
    (b"host", b""),
    (b"if-match", b""),
    (b"if-modified-since", b""),
    (b"if-none-match", b""),
    (b"if-range", b""),
    (b"if-unmodified-since", b""),
    (b"last-modified", b""),
    (b"link", b""),
    (b"location", b""),
    (b"max-forwards", b""),
    (b"proxy-authenticate", b""),
    (b"proxy-authorization", b""),
    (b"range", b""),
    (b"referer", b""),
    (b"refresh", b""),
    (b"retry-after", b""),
    (b"server", b""),
    (b"set-cookie", b""),
    (b"strict-transport-security", b""),
    (b"transfer-encoding", b""),
    (b"user-agent", b""),
    (b"vary", b""),
    (b"via", b""),
    (b"www-authenticate", b""),
];

/// Number of static table entries; the first dynamic index is `STATIC_LEN + 1`.
pub const STATIC_LEN: usize = STATIC_TABLE.len();

/// RFC 7541 §4.1: "The size of an entry is the sum of its name's length in octets, its
/// value's length in octets, and 32." The 32 approximates per-entry overhead, so a table
/// of tiny entries still costs memory.
pub const ENTRY_OVERHEAD: usize = 32;

/// The default SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2).
pub const DEFAULT_MAX_SIZE: usize = 4096;

/// One entry, name and value in a single allocation.
#[derive(Clone)]
struct Entry {
    data: Box<[u8]>,
    name_len: usize,
}

impl Entry {
    fn new(name: &[u8], value: &[u8]) -> Self {
        let mut data = Vec::with_capacity(name.len() + value.len());
        data.extend_from_slice(name);
        data.extend_from_slice(value);
        Entry { data: data.into_boxed_slice(), name_len: name.len() }
    }

    fn name(&self) -> &[u8] {
        self.data.get(..self.name_len).unwrap_or_default()
    }

    fn value(&self) -> &[u8] {
        self.data.get(self.name_len..).unwrap_or_default()
    }

    fn size(&self) -> usize {
        self.data.len() + ENTRY_OVERHEAD
    }
}

/// An entry prepared for insertion, detached from any table. The decoder builds one while
/// the name may still borrow from the table, then inserts it: the name is copied before
/// the insertion can evict the entry it came from (RFC 7541 §4.4 allows a new entry to
/// reference the name of an entry that it evicts).
pub struct PendingEntry(Entry);

impl PendingEntry {
    /// Copies `name` and `value` into a new entry.
    pub fn new(name: &[u8], value: &[u8]) -> Self {
        PendingEntry(Entry::new(name, value))
    }
}

/// The dynamic table of one HPACK context (RFC 7541 §2.3.2): a FIFO of entries, newest
/// first, whose total [size](ENTRY_OVERHEAD) never exceeds [`max_size`](Self::max_size).
#[derive(Clone)]
pub struct DynamicTable {
    entries: VecDeque<Entry>,
    size: usize,
    max_size: usize,
}

impl std::fmt::Debug for DynamicTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicTable")
            .field("size", &self.size)
            .field("max_size", &self.max_size)
            .field(
                "entries",
                &self
                    .iter()
                    .map(|(n, v)| (String::from_utf8_lossy(n), String::from_utf8_lossy(v)))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Default for DynamicTable {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_SIZE)
    }
}

impl DynamicTable {
    /// An empty table holding at most `max_size` octets (RFC 7541 §4.1 sizes).
    pub fn new(max_size: usize) -> Self {
        DynamicTable { entries: VecDeque::new(), size: 0, max_size }
    }

    /// The current maximum size (the last size update applied).
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// Sum of the entries' sizes (name + value + 32 each).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `index`, 0 being the newest (HPACK index `STATIC_LEN + 1 + index`).
    pub fn get(&self, index: usize) -> Option<(&[u8], &[u8])> {
        self.entries.get(index).map(|e| (e.name(), e.value()))
    }

    /// Entries newest first, as `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        self.entries.iter().map(|e| (e.name(), e.value()))
    }

    /// Adds `(name, value)` as the newest entry, evicting as RFC 7541 §4.4 says.
    pub fn insert(&mut self, name: &[u8], value: &[u8]) {
        self.insert_pending(PendingEntry::new(name, value));
    }

    /// Adds a prepared entry (see [`PendingEntry`]).
    pub fn insert_pending(&mut self, entry: PendingEntry) {
        let entry = entry.0;
        let size = entry.size();
        // RFC 7541 §4.4: "an attempt to add an entry larger than the maximum size causes
        // the table to be emptied of all existing entries and results in an empty table."
        if size > self.max_size {
            self.entries.clear();
            self.size = 0;
            return;
        }
        self.evict_to(self.max_size - size);
        self.size += size;
        self.entries.push_front(entry);
    }

    /// Applies a new maximum size, evicting entries until the table fits (RFC 7541 §4.3).
    pub fn set_max_size(&mut self, max_size: usize) {
        self.max_size = max_size;
        self.evict_to(max_size);
    }

    fn evict_to(&mut self, target: usize) {
        while self.size > target {
            match self.entries.pop_back() {
                Some(e) => self.size -= e.size(),
                None => {
                    self.size = 0;
                    break;
                }
            }
        }
    }

    /// Newest entry matching `name` (and `value`): `(index from 0, value also matches)`.
    /// A full match is preferred over a name-only one.
    pub fn find(&self, name: &[u8], value: &[u8]) -> Option<(usize, bool)> {
        let mut name_only = None;
        for (i, e) in self.entries.iter().enumerate() {
            if e.name() == name {
                if e.value() == value {
                    return Some((i, true));
                }
                if name_only.is_none() {
                    name_only = Some((i, false));
                }
            }
        }
        name_only
    }
}

/// The field at HPACK index `index` (1-based, static then dynamic: RFC 7541 §2.3.3).
///
/// RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding
/// error"; §2.3.3: "Indices strictly greater than the sum of the lengths of both tables
/// MUST be treated as a decoding error."
#[inline]
pub fn get(dynamic: &DynamicTable, index: u64) -> Result<(&[u8], &[u8]), HpackError> {
    if index == 0 {
        return Err(HpackError::IndexZero);
    }
    let i = usize::try_from(index - 1).unwrap_or(usize::MAX);
    if let Some(&(n, v)) = STATIC_TABLE.get(i) {
        return Ok((n, v));
    }
    dynamic
        .get(i - STATIC_LEN)
        .ok_or(HpackError::InvalidIndex { index, table_len: STATIC_LEN + dynamic.len() })
}

/// Result of [`find`]: an HPACK index (1-based, static then dynamic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Name and value both match: the field can be sent as an indexed representation.
    Full(u64),
    /// Only the name matches: a literal can reference the name by index.
    Name(u64),
}

/// Static-table lookup by name: index of the first entry with that name and whether the
/// value also matches one of that name's entries. Static names are grouped (all `:status`
/// entries are adjacent), so the scan stops after the group.
pub fn find_static(name: &[u8], value: &[u8]) -> Option<Match> {
    let mut name_match = None;
    for (i, &(n, v)) in STATIC_TABLE.iter().enumerate() {
        if n == name {
            if v == value {
                return Some(Match::Full(i as u64 + 1));
            }
            if name_match.is_none() {
                name_match = Some(Match::Name(i as u64 + 1));
            }
        } else if name_match.is_some() {
            break;
        }
    }
    name_match
}

/// Best index for `(name, value)` in both tables, as an encoder wants it: a full match
/// (static preferred, its index never changes) else a name match (static preferred).
pub fn find(dynamic: &DynamicTable, name: &[u8], value: &[u8]) -> Option<Match> {
    let st = find_static(name, value);
    if let Some(Match::Full(_)) = st {
        return st;
    }
    match dynamic.find(name, value) {
        Some((i, true)) => Some(Match::Full((STATIC_LEN + 1 + i) as u64)),
        Some((i, false)) => st.or(Some(Match::Name((STATIC_LEN + 1 + i) as u64))),
        None => st,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_table_spot_checks() {
        assert_eq!(STATIC_TABLE[0], (&b":authority"[..], &b""[..]));
        assert_eq!(STATIC_TABLE[7], (&b":status"[..], &b"200"[..]));
        assert_eq!(STATIC_TABLE[15], (&b"accept-encoding"[..], &b"gzip, deflate"[..]));
        assert_eq!(STATIC_TABLE[60], (&b"www-authenticate"[..], &b""[..]));
        assert_eq!(find_static(b":status", b"404"), Some(Match::Full(13)));
        assert_eq!(find_static(b":status", b"418"), Some(Match::Name(8)));
        assert_eq!(find_static(b"x-nope", b""), None);
        assert_eq!(find_static(b"www-authenticate", b""), Some(Match::Full(61)));
    }

    #[test]
    fn eviction_and_indexing() {
        let mut t = DynamicTable::new(100);
        t.insert(b"a", b"1"); // 34
        t.insert(b"b", b"2"); // 68
        assert_eq!((t.len(), t.size()), (2, 68));
        assert_eq!(get(&t, 62).unwrap(), (&b"b"[..], &b"2"[..]));
        assert_eq!(get(&t, 63).unwrap(), (&b"a"[..], &b"1"[..]));
        assert_eq!(get(&t, 64), Err(HpackError::InvalidIndex { index: 64, table_len: 63 }));
        assert_eq!(get(&t, 0), Err(HpackError::IndexZero));
        t.insert(b"c", b"3"); // evicts a
        assert_eq!((t.len(), t.size()), (2, 68));
        assert_eq!(get(&t, 63).unwrap(), (&b"b"[..], &b"2"[..]));
        t.insert(&[b'x'; 100], b""); // larger than the table: empties it
        assert_eq!((t.len(), t.size()), (0, 0));
        t.insert(b"d", b"4");
        t.set_max_size(0);
        assert!(t.is_empty());
        assert_eq!(get(&t, u64::MAX), Err(HpackError::InvalidIndex { index: u64::MAX, table_len: 61 }));
    }

    #[test]
    fn find_prefers_full_then_static() {
        let mut t = DynamicTable::new(4096);
        t.insert(b":authority", b"example.com");
        t.insert(b"x-a", b"1");
        assert_eq!(find(&t, b":authority", b"example.com"), Some(Match::Full(63)));
        assert_eq!(find(&t, b":authority", b"other"), Some(Match::Name(1)));
        assert_eq!(find(&t, b"x-a", b"2"), Some(Match::Name(62)));
        assert_eq!(find(&t, b":method", b"GET"), Some(Match::Full(2)));
    }
}
