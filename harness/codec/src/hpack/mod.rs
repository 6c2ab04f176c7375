//! HPACK, header compression for HTTP/2 (RFC 7541).
//!
//! A tester needs two things from HPACK that a normal HTTP/2 stack does not give:
//!
//! - an encoder that can write *any* representation on purpose, including the ones the RFC
//!   forbids (index 0, an index past the table, a size update after a field or above the
//!   limit, Huffman strings with EOS or bad padding, over-long or overflowing integers,
//!   lying string lengths): see [`Representation`] and [`Encoder::encode_repr`];
//! - a decoder that checks every MUST of RFC 7541 on what a server sends back, and that a
//!   hostile server cannot make allocate without bound: see [`Decoder`] and
//!   [`DecoderLimits`].
//!
//! The harness sends requests with [`Encoder::encode_stateless`] by default (static table
//! and literals without indexing only), so a server's decoder state stays trivial unless a
//! case deliberately exercises the dynamic table.
//!
//! Layout: [`integer`] (§5.1), [`huffman`] (§5.2, Appendix B), [`table`] (§2.3, §4,
//! Appendix A), then the representations (§6), decoder and encoder.

mod decoder;
mod encoder;
pub mod huffman;
mod huffman_codes;
pub mod integer;
mod repr;
pub mod table;

pub use decoder::{Decoder, DecoderLimits, FieldRef};
pub use encoder::{encode_stateless, Encoder};
pub use repr::{LiteralMode, NameRef, Representation, StringCoding, StringLit};
pub use table::DynamicTable;

/// A header field as HPACK sees it: octets, not strings (HTTP/2 field validity is checked a
/// layer up, and a tester must be able to carry invalid octets).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct HeaderField {
    /// The field name.
    pub name: Vec<u8>,
    /// The field value.
    pub value: Vec<u8>,
    /// RFC 7541 §7.1.3: a sensitive field that intermediaries must never index. The
    /// decoder sets it for "literal never indexed" representations; the encoder then
    /// always uses that representation.
    pub never_indexed: bool,
}

impl HeaderField {
    /// A field that may be indexed.
    pub fn new(name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        HeaderField { name: name.into(), value: value.into(), never_indexed: false }
    }

    /// A sensitive field (`never_indexed` set), e.g. an `authorization` value.
    pub fn sensitive(name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        HeaderField { name: name.into(), value: value.into(), never_indexed: true }
    }

    /// RFC 7541 §4.1 size: name length + value length + 32. The same sum is what
    /// SETTINGS_MAX_HEADER_LIST_SIZE limits (RFC 9113 §6.5.2).
    pub fn size(&self) -> usize {
        self.name.len() + self.value.len() + table::ENTRY_OVERHEAD
    }
}

/// An HPACK decoding failure.
///
/// RFC 9113 §4.3: "A decoding error in a field block MUST be treated as a connection error
/// of type COMPRESSION_ERROR." Every variant is such an error except the two local limits
/// ([`HeaderListTooLarge`](Self::HeaderListTooLarge), [`TooManyFields`](Self::TooManyFields)),
/// which the decoder detects after keeping its table in sync, so the caller may choose a
/// softer reaction; see [`is_compression_error`](Self::is_compression_error).
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum HpackError {
    /// An integer exceeded [`integer::MAX_VALUE`] or had more than
    /// [`integer::MAX_CONTINUATION_OCTETS`] continuation octets (RFC 7541 §5.1 leaves the
    /// bound to the implementation).
    #[error("HPACK integer overflow")]
    IntegerOverflow,
    /// The block ended inside an integer, a string or a representation.
    #[error("HPACK block truncated")]
    Truncated,
    /// An index past the static and dynamic tables (RFC 7541 §2.3.3).
    #[error("HPACK index {index} out of range (static + dynamic table has {table_len} entries)")]
    InvalidIndex {
        /// The index received.
        index: u64,
        /// Number of entries in both tables at the time.
        table_len: usize,
    },
    /// Index 0 in an indexed representation (RFC 7541 §6.1).
    #[error("HPACK index 0")]
    IndexZero,
    /// A Huffman string contained the EOS symbol (RFC 7541 §5.2).
    #[error("HPACK Huffman string contains EOS")]
    HuffmanEos,
    /// Huffman padding longer than 7 bits (RFC 7541 §5.2).
    #[error("HPACK Huffman padding longer than 7 bits")]
    HuffmanPaddingTooLong,
    /// Huffman padding not made of the most significant bits of EOS, i.e. not all ones
    /// (RFC 7541 §5.2).
    #[error("HPACK Huffman padding is not all ones")]
    HuffmanPaddingNotOnes,
    /// A dynamic table size update above the SETTINGS_HEADER_TABLE_SIZE in force
    /// (RFC 7541 §6.3).
    #[error("HPACK table size update to {size} exceeds the limit {max}")]
    SizeUpdateTooLarge {
        /// The size requested.
        size: u64,
        /// The limit we advertised.
        max: usize,
    },
    /// A dynamic table size update after the first field of a block (RFC 7541 §4.2: it
    /// "MUST occur at the beginning of the first header block following the change").
    #[error("HPACK table size update after a header field")]
    SizeUpdateAfterField,
    /// The block did not start with the dynamic table size update that a reduced
    /// SETTINGS_HEADER_TABLE_SIZE (or [`Decoder::require_size_update`]) made mandatory
    /// (RFC 7541 §4.2).
    #[error("HPACK block does not start with the required table size update")]
    SizeUpdateMissing,
    /// A string longer than [`DecoderLimits::max_string_len`].
    #[error("HPACK string of {len} octets exceeds the limit {max}")]
    StringTooLong {
        /// The string length (encoded length when not yet decoded).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The decoded list exceeds [`DecoderLimits::max_header_list_size`] (sizes counted as
    /// in RFC 9113 §6.5.2: name + value + 32 per field). Not a compression error.
    #[error("header list of {size} octets exceeds the limit {max}")]
    HeaderListTooLarge {
        /// The size reached when the limit was crossed.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The block has more than [`DecoderLimits::max_fields`] fields. Not a compression
    /// error.
    #[error("header list has more than {max} fields")]
    TooManyFields {
        /// The limit.
        max: usize,
    },
}

impl HpackError {
    /// True when RFC 9113 §4.3 makes this a connection error of type COMPRESSION_ERROR;
    /// false for the two local limits, after which the decoder's table is still in sync.
    pub fn is_compression_error(&self) -> bool {
        !matches!(self, HpackError::HeaderListTooLarge { .. } | HpackError::TooManyFields { .. })
    }
}
