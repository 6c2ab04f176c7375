//! Header field representations (RFC 7541 §6), valid or not.
//!
//! A [`Representation`] says exactly which bits go on the wire, so a test case can write
//! what a normal encoder never would: index 0, an index past the table, a size update
//! anywhere and of any size, Huffman strings with EOS or bad padding, over-long or
//! overflowing integers, string lengths that overrun the block. Nothing here validates:
//! [`Representation::encode`] writes whatever it is given.

use super::huffman::{self, Padding};
use super::integer;

/// The three literal representations (RFC 7541 §6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum LiteralMode {
    /// §6.2.1, `01xxxxxx`: the field is added to the dynamic table.
    Incremental,
    /// §6.2.2, `0000xxxx`: not added.
    WithoutIndexing,
    /// §6.2.3, `0001xxxx`: not added, and intermediaries must not add it either.
    NeverIndexed,
}

impl LiteralMode {
    /// `(prefix bits, first-octet pattern)` of the name index integer.
    fn prefix(self) -> (u8, u8) {
        match self {
            LiteralMode::Incremental => (6, 0x40),
            LiteralMode::WithoutIndexing => (4, 0x00),
            LiteralMode::NeverIndexed => (4, 0x10),
        }
    }
}

/// How a string literal is written (RFC 7541 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum StringCoding {
    /// H = 0, the octets as they are.
    Plain,
    /// H = 1, correct Huffman coding.
    Huffman,
    /// H = 1, Huffman coding with the EOS code inside ([`huffman::encode_with_eos`]).
    HuffmanWithEos,
    /// H = 1, Huffman coding with the given padding ([`huffman::encode_with_padding`]).
    HuffmanPadding(Padding),
    /// H = 0, the octets as they are, but the length prefix claims this many octets more
    /// than are written: the string runs past the end of the block (or swallows the next
    /// representation).
    LengthOverrun(usize),
}

/// A string literal and how to code it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct StringLit {
    /// The octets (before Huffman coding).
    pub bytes: Vec<u8>,
    /// The coding.
    pub coding: StringCoding,
}

impl StringLit {
    /// A plain (H = 0) string.
    pub fn plain(bytes: impl Into<Vec<u8>>) -> Self {
        StringLit { bytes: bytes.into(), coding: StringCoding::Plain }
    }

    /// A Huffman-coded string.
    pub fn huffman(bytes: impl Into<Vec<u8>>) -> Self {
        StringLit { bytes: bytes.into(), coding: StringCoding::Huffman }
    }

    /// Huffman when that is shorter, else plain: what a sensible encoder does.
    pub fn shortest(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        let coding = if huffman::encoded_len(&bytes) < bytes.len() {
            StringCoding::Huffman
        } else {
            StringCoding::Plain
        };
        StringLit { bytes, coding }
    }

    /// Appends the string literal (H bit, 7-bit-prefix length, octets).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        let b = &self.bytes;
        match self.coding {
            StringCoding::Plain => {
                integer::encode(b.len() as u64, 7, 0x00, dst);
                dst.extend_from_slice(b);
            }
            StringCoding::LengthOverrun(extra) => {
                integer::encode((b.len() as u64).saturating_add(extra as u64), 7, 0x00, dst);
                dst.extend_from_slice(b);
            }
            StringCoding::Huffman => {
                integer::encode(huffman::encoded_len(b) as u64, 7, 0x80, dst);
                huffman::encode(b, dst);
            }
            StringCoding::HuffmanWithEos => {
                let mut tmp = Vec::new();
                huffman::encode_with_eos(b, &mut tmp);
                integer::encode(tmp.len() as u64, 7, 0x80, dst);
                dst.extend_from_slice(&tmp);
            }
            StringCoding::HuffmanPadding(p) => {
                let mut tmp = Vec::new();
                huffman::encode_with_padding(b, &mut tmp, p);
                integer::encode(tmp.len() as u64, 7, 0x80, dst);
                dst.extend_from_slice(&tmp);
            }
        }
    }
}

/// The name of a literal: an index into the tables or a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum NameRef {
    /// HPACK index (1-based, static then dynamic). 0 is written as-is, which a decoder
    /// reads as "literal name follows": it is *not* an error on its own, and the octets
    /// that follow are then read as the name.
    Index(u64),
    /// A literal name.
    Literal(StringLit),
}

/// One header field representation (RFC 7541 §6), or a deliberate violation of one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Representation {
    /// §6.1 indexed field, `1xxxxxxx`. Index 0 and indices past the tables are errors a
    /// decoder must detect.
    Indexed(u64),
    /// §6.2 literal field.
    Literal {
        /// The name, by index or literal.
        name: NameRef,
        /// The value.
        value: StringLit,
        /// Which of the three literal forms.
        mode: LiteralMode,
    },
    /// §6.3 dynamic table size update, `001xxxxx`. Only valid at the start of a block and
    /// up to the decoder's SETTINGS_HEADER_TABLE_SIZE.
    SizeUpdate(u64),
    /// `inner` with its leading integer (the index, name index or size) padded with
    /// `extra_zero_continuations` redundant continuation octets
    /// ([`integer::encode_overlong`]). Only integers at or above the prefix's all-ones
    /// value have continuation octets; smaller ones are written normally. With 10 or more
    /// extra octets the integer has at least 11 continuation octets, which
    /// [`integer::decode`] rejects as an overflow.
    OverlongInteger {
        /// The representation to write.
        inner: Box<Representation>,
        /// Redundant continuation octets to add.
        extra_zero_continuations: usize,
    },
    /// Octets written verbatim, for anything the variants above cannot say.
    Raw(Vec<u8>),
}

impl Representation {
    /// §6.1 indexed field.
    pub fn indexed(index: u64) -> Self {
        Representation::Indexed(index)
    }

    /// Literal with a literal name and plain strings, without indexing. Chain
    /// [`incremental`](Self::incremental), [`never_indexed`](Self::never_indexed),
    /// [`huffman`](Self::huffman) to change that.
    pub fn literal(name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        Representation::Literal {
            name: NameRef::Literal(StringLit::plain(name)),
            value: StringLit::plain(value),
            mode: LiteralMode::WithoutIndexing,
        }
    }

    /// Literal whose name is HPACK index `name_index`, plain value, without indexing.
    pub fn literal_indexed_name(name_index: u64, value: impl Into<Vec<u8>>) -> Self {
        Representation::Literal {
            name: NameRef::Index(name_index),
            value: StringLit::plain(value),
            mode: LiteralMode::WithoutIndexing,
        }
    }

    /// §6.3 dynamic table size update.
    pub fn size_update(size: u64) -> Self {
        Representation::SizeUpdate(size)
    }

    /// Verbatim octets.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Representation::Raw(bytes.into())
    }

    /// An indexed representation whose integer has 11 continuation octets of all ones
    /// (`ff ff×10 01`, far beyond 2^64): a decoder must fail cleanly, not wrap around.
    pub fn indexed_overflowing() -> Self {
        let mut b = vec![0xff; 11];
        b.push(0x01);
        Representation::Raw(b)
    }

    /// A literal's mode set to [`LiteralMode::Incremental`] (no effect on other variants).
    pub fn incremental(self) -> Self {
        self.with_mode(LiteralMode::Incremental)
    }

    /// A literal's mode set to [`LiteralMode::WithoutIndexing`].
    pub fn without_indexing(self) -> Self {
        self.with_mode(LiteralMode::WithoutIndexing)
    }

    /// A literal's mode set to [`LiteralMode::NeverIndexed`].
    pub fn never_indexed(self) -> Self {
        self.with_mode(LiteralMode::NeverIndexed)
    }

    /// A literal's mode set to `mode` (no effect on other variants).
    pub fn with_mode(self, mode: LiteralMode) -> Self {
        match self {
            Representation::Literal { name, value, .. } => Representation::Literal { name, value, mode },
            Representation::OverlongInteger { inner, extra_zero_continuations } => {
                Representation::OverlongInteger { inner: Box::new(inner.with_mode(mode)), extra_zero_continuations }
            }
            other => other,
        }
    }

    /// A literal's strings (literal name and value) all Huffman coded.
    pub fn huffman(self) -> Self {
        self.with_coding(StringCoding::Huffman)
    }

    /// A literal's strings (literal name and value) all coded with `coding`.
    pub fn with_coding(self, coding: StringCoding) -> Self {
        self.map_strings(|s| s.coding = coding, true)
    }

    /// A literal's value coded with `coding` (the name is left alone).
    pub fn with_value_coding(self, coding: StringCoding) -> Self {
        self.map_strings(|s| s.coding = coding, false)
    }

    fn map_strings(self, f: impl Fn(&mut StringLit), name_too: bool) -> Self {
        match self {
            Representation::Literal { mut name, mut value, mode } => {
                if let (true, NameRef::Literal(s)) = (name_too, &mut name) {
                    f(s);
                }
                f(&mut value);
                Representation::Literal { name, value, mode }
            }
            Representation::OverlongInteger { inner, extra_zero_continuations } => Representation::OverlongInteger {
                inner: Box::new(inner.map_strings(f, name_too)),
                extra_zero_continuations,
            },
            other => other,
        }
    }

    /// This representation with its leading integer over-long (see
    /// [`Representation::OverlongInteger`]).
    pub fn overlong(self, extra_zero_continuations: usize) -> Self {
        Representation::OverlongInteger { inner: Box::new(self), extra_zero_continuations }
    }

    /// Appends the octets of this representation. No validation, no table effect (see
    /// [`Encoder::encode_repr`](super::Encoder::encode_repr) for that).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        self.encode_padded(0, dst);
    }

    fn encode_padded(&self, extra: usize, dst: &mut Vec<u8>) {
        match self {
            Representation::Indexed(i) => integer::encode_overlong(*i, 7, 0x80, extra, dst),
            Representation::SizeUpdate(n) => integer::encode_overlong(*n, 5, 0x20, extra, dst),
            Representation::Literal { name, value, mode } => {
                let (bits, flags) = mode.prefix();
                match name {
                    NameRef::Index(i) => integer::encode_overlong(*i, bits, flags, extra, dst),
                    NameRef::Literal(s) => {
                        integer::encode(0, bits, flags, dst);
                        s.encode(dst);
                    }
                }
                value.encode(dst);
            }
            Representation::OverlongInteger { inner, extra_zero_continuations } => {
                inner.encode_padded(extra.saturating_add(*extra_zero_continuations), dst)
            }
            Representation::Raw(b) => dst.extend_from_slice(b),
        }
    }

    /// The octets of this representation.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(&mut v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hpack::{Decoder, HpackError};

    #[test]
    fn shapes() {
        assert_eq!(Representation::indexed(2).to_bytes(), [0x82]);
        assert_eq!(Representation::size_update(0).to_bytes(), [0x20]);
        assert_eq!(Representation::literal_indexed_name(4, "/x").to_bytes(), [0x04, 0x02, b'/', b'x']);
        assert_eq!(
            Representation::literal("a", "b").never_indexed().to_bytes(),
            [0x10, 0x01, b'a', 0x01, b'b']
        );
        assert_eq!(Representation::literal("a", "b").incremental().to_bytes(), [0x40, 0x01, b'a', 0x01, b'b']);
        assert_eq!(Representation::indexed(127).overlong(2).to_bytes(), [0xff, 0x80, 0x80, 0x00]);
        let mut r = Representation::literal("a", "bc");
        if let Representation::Literal { value, .. } = &mut r {
            value.coding = StringCoding::LengthOverrun(5);
        }
        assert_eq!(r.to_bytes(), [0x00, 0x01, b'a', 0x07, b'b', b'c']);
    }

    #[test]
    fn every_violation_is_caught_by_our_decoder() {
        let cases: Vec<(Representation, HpackError)> = vec![
            (Representation::indexed(0), HpackError::IndexZero),
            (Representation::indexed(62), HpackError::InvalidIndex { index: 62, table_len: 61 }),
            (Representation::literal_indexed_name(70, "v"), HpackError::InvalidIndex { index: 70, table_len: 61 }),
            (Representation::indexed_overflowing(), HpackError::IntegerOverflow),
            (Representation::indexed(200).overlong(10), HpackError::IntegerOverflow),
            (Representation::size_update(4097), HpackError::SizeUpdateTooLarge { size: 4097, max: 4096 }),
            (Representation::literal("a", "b").with_coding(StringCoding::HuffmanWithEos), HpackError::HuffmanEos),
            (
                Representation::literal("a", "b").with_value_coding(StringCoding::HuffmanPadding(Padding::Zeros)),
                HpackError::HuffmanPaddingNotOnes,
            ),
            (
                Representation::literal("a", "b").with_value_coding(StringCoding::HuffmanPadding(Padding::TooLong)),
                HpackError::HuffmanPaddingTooLong,
            ),
            (Representation::literal("a", "b").with_value_coding(StringCoding::LengthOverrun(1)), HpackError::Truncated),
        ];
        for (r, want) in cases {
            let mut d = Decoder::new();
            assert_eq!(d.decode(&r.to_bytes()), Err(want), "{r:?}");
        }
        // A size update after a field.
        let mut block = Representation::indexed(2).to_bytes();
        Representation::size_update(0).encode(&mut block);
        assert_eq!(Decoder::new().decode(&block), Err(HpackError::SizeUpdateAfterField));
        // An over-long but bounded integer is accepted (lenient, like most decoders).
        let block = Representation::indexed(127).overlong(3).to_bytes();
        assert!(Decoder::new().decode(&block).is_err()); // 127 is past the table...
        let block = Representation::size_update(100).overlong(3).to_bytes();
        assert!(Decoder::new().decode(&block).is_ok()); // ...but a size update is fine.
    }
}
