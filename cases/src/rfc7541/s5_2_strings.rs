//! RFC 7541 §5.2: string literal representation and Huffman padding.

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::huffman::Padding;
use h2probe_codec::hpack::{Representation as R, StringCoding};
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 7541 §5.2";

fn bad_value(ctx: &h2probe_harness::case::Ctx, coding: StringCoding) -> Result<Script, String> {
    let repr = R::literal("x-h2probe", "test").with_value_coding(coding);
    Ok(Script::send(
        [get_with_block(ctx, request_block(ctx, &[], &[repr]))],
        ce(&[E::COMPRESSION_ERROR]),
    ))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/5.2/huffman-padding-too-long",
        h2spec: Some("hpack/5.2/1"),
        description: "Sends a Huffman-coded value padded with more than 7 bits",
        requirement: "A padding strictly longer than 7 bits MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| bad_value(ctx, StringCoding::HuffmanPadding(Padding::TooLong)),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/5.2/huffman-padding-zeros",
        h2spec: Some("hpack/5.2/2"),
        description: "Sends a Huffman-coded value padded with zero bits",
        requirement: "A padding not corresponding to the most significant bits of the code for the EOS symbol MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| bad_value(ctx, StringCoding::HuffmanPadding(Padding::Zeros)),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/5.2/huffman-eos",
        h2spec: Some("hpack/5.2/3"),
        description: "Sends a Huffman-coded value containing the EOS symbol",
        requirement: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| bad_value(ctx, StringCoding::HuffmanWithEos),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/5.2/length-past-block",
        description: "Sends a literal value whose length prefix claims 16 more octets than the field block holds",
        requirement: "String Length: The number of octets used to encode the string literal, encoded as an integer with a 7-bit prefix. (A string that runs past the end of the field block cannot be decoded: RFC 9113 §4.3, \"A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR.\" FRAME_SIZE_ERROR is taken leniently, as an \"applicable error code\" of RFC 9113 §5.4, \"an endpoint MAY use any applicable error code when it detects an error condition\": the block is too short for the string its length prefix announces, \"too small to contain mandatory frame data\" in the words of §4.2; nginx sends it.)",
        tags: &["hpack"],
        script: |ctx| {
            let repr = R::literal("x-h2probe", "test").with_value_coding(StringCoding::LengthOverrun(16));
            Ok(Script::send(
                [get_with_block(ctx, request_block(ctx, &[], &[repr]))],
                ce(&[E::COMPRESSION_ERROR]).or_applicable(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR), &[row(GoAway(E::FRAME_SIZE_ERROR), Lenient)]],
        ..must(S)
    },
    Case {
        id: "rfc7541/5.2/huffman-eos-in-name",
        description: "Sends a literal field whose Huffman-coded name contains the EOS symbol",
        requirement: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error.",
        tags: &["hpack"],
        script: |ctx| {
            let repr = R::literal("x-h2probe", "test").with_coding(StringCoding::HuffmanWithEos);
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[repr]))], ce(&[E::COMPRESSION_ERROR])))
        },
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc7541/5.2/huffman-seven-bit-padding-accepted",
        description: "Sends a Huffman-coded value (aaaaa: 25 bits) whose padding is 7 bits, the most allowed",
        requirement: "As the Huffman-encoded data doesn't always end at an octet boundary, some padding is inserted after it, up to the next octet boundary. To prevent this padding from being misinterpreted as part of the string literal, the most significant bits of the code corresponding to the EOS (end-of-string) symbol are used. (Padding of up to 7 bits is valid; only longer padding is an error.)",
        tags: &["hpack"],
        script: |ctx| {
            let repr = R::literal("x-h2probe", "aaaaa").with_value_coding(StringCoding::Huffman);
            Ok(Script::send([get_with_block(ctx, request_block(ctx, &[], &[repr]))], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
];
