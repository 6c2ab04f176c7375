//! The HPACK encoder: a sensible default strategy, a stateless mode, and an escape hatch
//! ([`Encoder::encode_repr`]) that writes any [`Representation`] while keeping the
//! encoder's table mirroring what a conforming decoder would hold.

use super::repr::{LiteralMode, NameRef, Representation};
use super::table::{self, DynamicTable, Match};
use super::{huffman, integer, HeaderField};

/// One HPACK encoding context (one per connection direction).
#[derive(Clone, Debug)]
pub struct Encoder {
    table: DynamicTable,
    /// Size updates owed at the start of the next block: (smallest since the last block,
    /// final). RFC 7541 §4.2: "the smallest maximum table size that occurs in that interval
    /// MUST be signaled in a dynamic table size update. The final maximum size is always
    /// signaled".
    pending_size_update: Option<(usize, usize)>,
}

impl Default for Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder {
    /// An encoder with the default 4096-octet table (RFC 9113 §6.5.2).
    pub fn new() -> Self {
        Encoder { table: DynamicTable::new(table::DEFAULT_MAX_SIZE), pending_size_update: None }
    }

    /// The encoder's view of the dynamic table.
    pub fn table(&self) -> &DynamicTable {
        &self.table
    }

    /// Call when the peer's SETTINGS_HEADER_TABLE_SIZE changes. The encoder adopts `max`
    /// as its table size and the next block (from [`encode`](Self::encode) or
    /// [`encode_block`](Self::encode_block)) starts with the size update(s) announcing it.
    pub fn set_max_table_size(&mut self, max: usize) {
        let smallest = match self.pending_size_update {
            Some((s, _)) => s.min(max),
            None => max,
        };
        self.pending_size_update = Some((smallest, max));
        self.table.set_max_size(smallest);
        self.table.set_max_size(max);
    }

    /// Whether size updates are owed at the start of the next block.
    pub fn has_pending_size_update(&self) -> bool {
        self.pending_size_update.is_some()
    }

    fn flush_size_update(&mut self, dst: &mut Vec<u8>) {
        if let Some((smallest, last)) = self.pending_size_update.take() {
            if smallest < last {
                integer::encode(smallest as u64, 5, 0x20, dst);
            }
            integer::encode(last as u64, 5, 0x20, dst);
        }
    }

    /// Encodes a block with the default strategy: pending size updates first; then per
    /// field, a full table match is sent indexed; otherwise a literal that references a
    /// matching name by index when there is one, with incremental indexing unless the
    /// field is `never_indexed` (sent never-indexed) or larger than the table (sent without
    /// indexing); each string Huffman-coded when that is shorter.
    pub fn encode(&mut self, fields: &[HeaderField], dst: &mut Vec<u8>) {
        self.flush_size_update(dst);
        for f in fields {
            self.encode_field(f, dst);
        }
    }

    fn encode_field(&mut self, f: &HeaderField, dst: &mut Vec<u8>) {
        let m = table::find(&self.table, &f.name, &f.value);
        if f.never_indexed {
            let name_index = match m {
                Some(Match::Full(i) | Match::Name(i)) => i,
                None => 0,
            };
            write_literal(name_index, &f.name, &f.value, LiteralMode::NeverIndexed, dst);
            return;
        }
        let name_index = match m {
            Some(Match::Full(i)) => {
                integer::encode(i, 7, 0x80, dst);
                return;
            }
            Some(Match::Name(i)) => i,
            None => 0,
        };
        if f.size() <= self.table.max_size() {
            write_literal(name_index, &f.name, &f.value, LiteralMode::Incremental, dst);
            self.table.insert(&f.name, &f.value);
        } else {
            write_literal(name_index, &f.name, &f.value, LiteralMode::WithoutIndexing, dst);
        }
    }

    /// Writes `r` and applies its effect on the dynamic table, so that later default
    /// encoding stays in sync with a decoder that accepted `r`:
    ///
    /// - a [`LiteralMode::Incremental`] literal inserts its field (if its name index does
    ///   not resolve, nothing is inserted: a conforming decoder would have failed anyway);
    /// - a size update resizes the table (the value is applied as-is, even above the
    ///   peer's setting);
    /// - [`Representation::Raw`] has no effect: the caller owns the consequences.
    ///
    /// Pending size updates are *not* written first (use [`encode_block`]
    /// (Self::encode_block) for that): this is the call for blocks that deliberately omit
    /// or misplace them.
    pub fn encode_repr(&mut self, r: &Representation, dst: &mut Vec<u8>) {
        r.encode(dst);
        self.apply(r);
    }

    fn apply(&mut self, r: &Representation) {
        match r {
            Representation::Literal { name, value, mode: LiteralMode::Incremental } => {
                let name = match name {
                    NameRef::Literal(s) => Some(s.bytes.as_slice()),
                    NameRef::Index(i) => table::get(&self.table, *i).ok().map(|(n, _)| n),
                };
                if let Some(name) = name {
                    let entry = table::PendingEntry::new(name, &value.bytes);
                    self.table.insert_pending(entry);
                }
            }
            Representation::SizeUpdate(n) => {
                self.table.set_max_size(usize::try_from(*n).unwrap_or(usize::MAX));
            }
            Representation::OverlongInteger { inner, .. } => self.apply(inner),
            Representation::Indexed(_) | Representation::Literal { .. } | Representation::Raw(_) => {}
        }
    }

    /// Starts a block: writes pending size updates, then each representation through
    /// [`encode_repr`](Self::encode_repr).
    pub fn encode_block(&mut self, reprs: &[Representation], dst: &mut Vec<u8>) {
        self.flush_size_update(dst);
        for r in reprs {
            self.encode_repr(r, dst);
        }
    }

    /// Encodes without any dynamic table: static-table matches are sent indexed, anything
    /// else as a literal without indexing (never indexed when `never_indexed`), naming a
    /// static entry when one matches. The receiver's dynamic table is never touched, which
    /// is why the harness sends ordinary requests this way: the server's decoder state
    /// stays trivial and independent of earlier requests.
    pub fn encode_stateless(fields: &[HeaderField], dst: &mut Vec<u8>) {
        for f in fields {
            let m = table::find_static(&f.name, &f.value);
            let name_index = match m {
                Some(Match::Full(i)) if !f.never_indexed => {
                    integer::encode(i, 7, 0x80, dst);
                    continue;
                }
                Some(Match::Full(i) | Match::Name(i)) => i,
                None => 0,
            };
            let mode = if f.never_indexed { LiteralMode::NeverIndexed } else { LiteralMode::WithoutIndexing };
            write_literal(name_index, &f.name, &f.value, mode, dst);
        }
    }
}

/// See [`Encoder::encode_stateless`].
pub fn encode_stateless(fields: &[HeaderField], dst: &mut Vec<u8>) {
    Encoder::encode_stateless(fields, dst);
}

/// Writes a literal, name by index when `name_index` is non-zero, strings in their shorter
/// coding.
fn write_literal(name_index: u64, name: &[u8], value: &[u8], mode: LiteralMode, dst: &mut Vec<u8>) {
    let (bits, flags) = match mode {
        LiteralMode::Incremental => (6, 0x40),
        LiteralMode::WithoutIndexing => (4, 0x00),
        LiteralMode::NeverIndexed => (4, 0x10),
    };
    integer::encode(name_index, bits, flags, dst);
    if name_index == 0 {
        write_string(name, dst);
    }
    write_string(value, dst);
}

/// Writes a string literal, Huffman coded when strictly shorter.
fn write_string(s: &[u8], dst: &mut Vec<u8>) {
    let hlen = huffman::encoded_len(s);
    if hlen < s.len() {
        integer::encode(hlen as u64, 7, 0x80, dst);
        huffman::encode(s, dst);
    } else {
        integer::encode(s.len() as u64, 7, 0x00, dst);
        dst.extend_from_slice(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hpack::Decoder;

    #[test]
    fn default_strategy_round_trips_and_indexes() {
        let mut e = Encoder::new();
        let mut d = Decoder::new();
        let fields = vec![
            HeaderField::new(":method", "GET"),
            HeaderField::new(":path", "/a/b"),
            HeaderField::new("x-custom", "value"),
            HeaderField::sensitive("authorization", "secret"),
        ];
        for round in 0..3 {
            let mut b = Vec::new();
            e.encode(&fields, &mut b);
            assert_eq!(d.decode(&b).unwrap(), fields, "round {round}");
            assert_eq!(e.table().size(), d.table().size());
            if round > 0 {
                // Everything but the sensitive field is now indexed: 1 octet each.
                assert_eq!(&b[..3], &[0x82, 0xbf, 0xbe]);
            }
        }
        assert_eq!(d.table().len(), 2);
    }

    #[test]
    fn size_updates_smallest_then_final() {
        let mut e = Encoder::new();
        let mut d = Decoder::new();
        e.set_max_table_size(100);
        e.set_max_table_size(2000);
        d.set_max_table_size(100);
        d.set_max_table_size(2000);
        let mut b = Vec::new();
        e.encode(&[HeaderField::new("a", "b")], &mut b);
        assert_eq!(&b[..1], &[0x3f]); // 100 = 31 + 69
        d.decode(&b).unwrap();
        assert_eq!(d.last_block_started_with_size_update(), Some(2000));
        assert_eq!(d.table().max_size(), 2000);
        assert!(!e.has_pending_size_update());
    }

    #[test]
    fn stateless_never_indexes() {
        let fields = vec![
            HeaderField::new(":method", "GET"),
            HeaderField::new(":authority", "example.com"),
            HeaderField::new("x-y", "z"),
            HeaderField::sensitive(":method", "GET"),
        ];
        let mut b = Vec::new();
        encode_stateless(&fields, &mut b);
        assert_eq!(b[0], 0x82);
        assert_eq!(b[1], 0x01); // without indexing, name index 1
        let mut d = Decoder::new();
        assert_eq!(d.decode(&b).unwrap(), fields);
        assert!(d.table().is_empty());
    }

    #[test]
    fn encode_repr_mirrors_table() {
        let mut e = Encoder::new();
        let mut d = Decoder::new();
        let mut b = Vec::new();
        e.encode_block(
            &[
                Representation::literal("k", "v").incremental(),
                Representation::literal_indexed_name(62, "w").incremental(),
                Representation::literal_indexed_name(999, "w").incremental(),
            ],
            &mut b,
        );
        assert_eq!(e.table().len(), 2);
        assert!(d.decode(&b).is_err());
        for s in [&b"hello"[..], b"", b"\xff\xfe", b"www.example.com"] {
            let mut a = Vec::new();
            write_string(s, &mut a);
            let mut c = Vec::new();
            crate::hpack::StringLit::shortest(s.to_vec()).encode(&mut c);
            assert_eq!(a, c);
        }
    }
}
