//! RFC 7541 (HPACK): the response field blocks a client's decoder must refuse, and the
//! representations it must take. A decoding error is a connection error COMPRESSION_ERROR
//! (RFC 9113 §4.3) whatever the stream.

use super::*;
use h2probe_codec::hpack::huffman::Padding;
use h2probe_codec::hpack::{Encoder, Representation as R, StringCoding};
use h2probe_harness::case::{Ctx, Script};

const S61: &str = "RFC 7541 §6.1";
const S52: &str = "RFC 7541 §5.2";
const S63: &str = "RFC 7541 §6.3";

/// A response field block: `before`, the 200 response's fields, then `after`.
fn block(ctx: &Ctx, before: &[R], after: &[R]) -> Vec<u8> {
    let mut enc = Encoder::new();
    let mut out = Vec::new();
    enc.encode_block(before, &mut out);
    out.extend(ctx.response_headers(ctx.stream(), 200).encoded_block());
    enc.encode_block(after, &mut out);
    out
}

/// The response with `block`, then the body: a decoder that refuses nothing delivers it.
fn respond_with(ctx: &Ctx, block: Vec<u8>, expect: Expectation) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::send([ctx.response_headers(s, 200).block(block).build().into(), ctx.body(s)], expect))
}

fn compression_error(ctx: &Ctx, before: &[R], after: &[R]) -> Result<Script, String> {
    respond_with(ctx, block(ctx, before, after), ce(&[E::COMPRESSION_ERROR]))
}

/// The client's SETTINGS_HEADER_TABLE_SIZE: the limit a size update may not exceed.
fn table_limit(ctx: &Ctx) -> u64 {
    u64::from(ctx.server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc7541/6.1/index-zero",
        description: "Sends a response field block with an indexed field of index 0",
        requirement: "The index value of 0 is not used. It MUST be treated as a decoding error if found in an indexed header field representation.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::raw([0x80])]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S61)
    },
    Case {
        id: "client/rfc7541/2.3.3/index-beyond-tables",
        description: "Sends a response field block referencing index 70 with an empty dynamic table",
        requirement: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::indexed(70)]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client("RFC 7541 §2.3.3")
    },
    Case {
        id: "client/rfc7541/2.3.3/name-index-beyond-tables",
        description: "Sends a response field block with a literal whose name index is 70 (empty dynamic table)",
        requirement: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::literal_indexed_name(70, "x")]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client("RFC 7541 §2.3.3")
    },
    Case {
        id: "client/rfc7541/5.2/huffman-padding-too-long",
        description: "Sends a response field whose Huffman-coded value is padded with more than 7 bits",
        requirement: "A padding strictly longer than 7 bits MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::literal("x-h2probe", "test").with_value_coding(StringCoding::HuffmanPadding(Padding::TooLong))]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S52)
    },
    Case {
        id: "client/rfc7541/5.2/huffman-padding-zeros",
        description: "Sends a response field whose Huffman-coded value is padded with zero bits",
        requirement: "A padding not corresponding to the most significant bits of the code for the EOS symbol MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::literal("x-h2probe", "test").with_value_coding(StringCoding::HuffmanPadding(Padding::Zeros))]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S52)
    },
    Case {
        id: "client/rfc7541/5.2/huffman-eos",
        description: "Sends a response field whose Huffman-coded value contains the EOS symbol",
        requirement: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::literal("x-h2probe", "test").with_value_coding(StringCoding::HuffmanWithEos)]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S52)
    },
    Case {
        id: "client/rfc7541/5.1/integer-overflow",
        description: "Sends a response field block with an index whose integer encoding overflows 64 bits",
        requirement: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::indexed_overflowing()]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client("RFC 7541 §5.1")
    },
    Case {
        id: "client/rfc7541/6.3/size-update-above-limit",
        description: "Starts a response field block with a dynamic table size update one octet above the client's SETTINGS_HEADER_TABLE_SIZE",
        requirement: "The new maximum size MUST be lower than or equal to the limit determined by the protocol using HPACK. A value that exceeds this limit MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[R::size_update(table_limit(ctx) + 1)], &[]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S63)
    },
    Case {
        id: "client/rfc7541/4.2/size-update-after-field",
        description: "Sends a dynamic table size update after the first field of a response block",
        requirement: "This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. In HTTP/2, this limit is the last value of the SETTINGS_HEADER_TABLE_SIZE parameter (see Section 6.5.2 of [HTTP2]) received from the decoder and acknowledged by the encoder (see Section 6.5.3 of [HTTP2]). (RFC 9113 §4.3.1 says the same of HTTP/2: a size update after a field line is a decoding error.)",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::size_update(0)]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client("RFC 7541 §4.2")
    },
    Case {
        id: "client/rfc7541/5.2/string-past-block",
        description: "Sends a response field whose value's length prefix runs 16 octets past the end of the block",
        requirement: "String Length: The number of octets used to encode the string literal, encoded as an integer with a 7-bit prefix (see Section 5.1). (A string that runs past the end of the block cannot be decoded: RFC 9113 §4.3, \"A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR.\")",
        tags: &["hpack"],
        script: |ctx| compression_error(ctx, &[], &[R::literal("x-h2probe", "test").with_value_coding(StringCoding::LengthOverrun(16))]),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..client(S52)
    },
    Case {
        id: "client/rfc7541/6.2/literal-incremental-then-indexed",
        description: "Inserts a field in the dynamic table with incremental indexing, then references it (index 62) in the same block",
        requirement: "A literal header field with incremental indexing representation results in appending a header field to the decoded header list and inserting it as a new entry into the dynamic table.",
        tags: &["hpack"],
        script: |ctx| respond_with(ctx, block(ctx, &[], &[R::literal("x-h2probe", "indexed").incremental(), R::indexed(62)]), accepted(ctx.stream())),
        reactions: &[ACCEPTED_ROWS],
        ..client("RFC 7541 §6.2.1")
    },
    Case {
        id: "client/rfc7541/5.2/huffman-fields",
        description: "Sends a response whose names and values are all Huffman-coded",
        requirement: "H: A one-bit flag, H, indicating whether or not the octets of the string are Huffman encoded. (A decoder must take both codings.)",
        tags: &["hpack"],
        script: |ctx| {
            let s = ctx.stream();
            let len = ctx.marker.len().to_string();
            let reprs = [R::literal_indexed_name(8, "200").huffman(), R::literal("content-length", len).huffman(), R::literal("x-h2probe", "huffman-coded").huffman()];
            let mut b = Vec::new();
            Encoder::new().encode_block(&reprs, &mut b);
            respond_with(ctx, b, accepted(s))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S52)
    },
    Case {
        id: "client/rfc7541/6.3/size-update-to-zero",
        description: "Starts the response block with dynamic table size updates to 0 and back to the limit",
        requirement: "The new maximum size MUST be lower than or equal to the limit determined by the protocol using HPACK. (Updates within the limit are valid, several of them at the start of a block included, §4.2.)",
        tags: &["hpack"],
        script: |ctx| respond_with(ctx, block(ctx, &[R::size_update(0), R::size_update(table_limit(ctx))], &[]), accepted(ctx.stream())),
        reactions: &[ACCEPTED_ROWS],
        ..client(S63)
    },
    Case {
        id: "client/rfc7541/6.2.3/never-indexed-field",
        description: "Sends a response field as a never-indexed literal",
        requirement: "A literal header field never-indexed representation results in appending a header field to the decoded header list without altering the dynamic table.",
        tags: &["hpack"],
        script: |ctx| respond_with(ctx, block(ctx, &[], &[R::literal("x-secret", "value").never_indexed()]), accepted(ctx.stream())),
        reactions: &[ACCEPTED_ROWS],
        ..client("RFC 7541 §6.2.3")
    },
];
