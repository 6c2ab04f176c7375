//! RFC 7541 §6.2: literal header field representations — with incremental indexing
//! (§6.2.1), without indexing (§6.2.2), never indexed (§6.2.3); indexed or new names,
//! Huffman-coded or not. A server must accept all twelve forms (h2spec generic/5/2–13).

use super::{get_with_block, request_block};
use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Ctx, Script};

const S1: &str = "RFC 7541 §6.2.1";
const S2: &str = "RFC 7541 §6.2.2";
const S3: &str = "RFC 7541 §6.2.3";
const INCREMENTAL: &str = "A literal header field with incremental indexing representation results in appending a header field to the decoded header list and inserting it as a new entry into the dynamic table.";
const WITHOUT: &str = "A literal header field without indexing representation results in appending a header field to the decoded header list without altering the dynamic table.";
const NEVER: &str = "A literal header field never-indexed representation results in appending a header field to the decoded header list without altering the dynamic table. Intermediaries MUST use the same representation for encoding this header field.";

/// `user-agent` is static index 58: the "indexed name" forms use it.
const USER_AGENT: u64 = 58;

fn accepts(ctx: &Ctx, repr: R) -> Result<Script, String> {
    Ok(Script::send(
        [get_with_block(ctx, request_block(ctx, &[], &[repr]))],
        response(1),
    ))
}

/// The literal on stream 1 must leave the dynamic table empty, so index 62 on stream 3 is
/// past both tables.
fn not_inserted(ctx: &Ctx, literal: R) -> Result<Script, String> {
    let first = request_block(ctx, &[], &[literal]);
    Ok(Script::send(
        [
            get_with_block(ctx, first),
            super::second_get(ctx, &[], &[R::indexed(62)]),
        ],
        ce(&[E::COMPRESSION_ERROR]),
    ))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc7541/6.2.1/indexed-name",
        h2spec: Some("generic/5/2"),
        description: "Literal with incremental indexing, indexed name (user-agent)",
        requirement: INCREMENTAL,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").incremental()),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc7541/6.2.1/indexed-name-huffman",
        h2spec: Some("generic/5/3"),
        description: "Literal with incremental indexing, indexed name, Huffman-coded value",
        requirement: INCREMENTAL,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").incremental().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc7541/6.2.1/new-name",
        h2spec: Some("generic/5/4"),
        description: "Literal with incremental indexing, new name",
        requirement: INCREMENTAL,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "incremental").incremental()),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc7541/6.2.1/new-name-huffman",
        h2spec: Some("generic/5/5"),
        description: "Literal with incremental indexing, new name, Huffman-coded name and value",
        requirement: INCREMENTAL,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "incremental").incremental().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc7541/6.2.2/indexed-name",
        h2spec: Some("generic/5/6"),
        description: "Literal without indexing, indexed name (user-agent)",
        requirement: WITHOUT,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").without_indexing()),
        reactions: &[&served_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc7541/6.2.2/indexed-name-huffman",
        h2spec: Some("generic/5/7"),
        description: "Literal without indexing, indexed name, Huffman-coded value",
        requirement: WITHOUT,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").without_indexing().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc7541/6.2.2/new-name",
        h2spec: Some("generic/5/8"),
        description: "Literal without indexing, new name",
        requirement: WITHOUT,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "without").without_indexing()),
        reactions: &[&served_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc7541/6.2.2/new-name-huffman",
        h2spec: Some("generic/5/9"),
        description: "Literal without indexing, new name, Huffman-coded name and value",
        requirement: WITHOUT,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "without").without_indexing().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc7541/6.2.3/indexed-name",
        h2spec: Some("generic/5/10"),
        description: "Literal never indexed, indexed name (user-agent)",
        requirement: NEVER,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").never_indexed()),
        reactions: &[&served_rows(1)],
        ..must(S3)
    },
    Case {
        id: "rfc7541/6.2.3/indexed-name-huffman",
        h2spec: Some("generic/5/11"),
        description: "Literal never indexed, indexed name, Huffman-coded value",
        requirement: NEVER,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal_indexed_name(USER_AGENT, "h2probe").never_indexed().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S3)
    },
    Case {
        id: "rfc7541/6.2.3/new-name",
        h2spec: Some("generic/5/12"),
        description: "Literal never indexed, new name",
        requirement: NEVER,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "never").never_indexed()),
        reactions: &[&served_rows(1)],
        ..must(S3)
    },
    Case {
        id: "rfc7541/6.2.3/new-name-huffman",
        h2spec: Some("generic/5/13"),
        description: "Literal never indexed, new name, Huffman-coded name and value",
        requirement: NEVER,
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "never").never_indexed().huffman()),
        reactions: &[&served_rows(1)],
        ..must(S3)
    },
    Case {
        id: "rfc7541/6.2.1/empty-value",
        description: "Literal with incremental indexing, new name, empty value",
        requirement: "A literal header field with incremental indexing representation results in appending a header field to the decoded header list and inserting it as a new entry into the dynamic table. (String literals may be empty: a length of 0, RFC 7541 §5.2.)",
        tags: &["hpack"],
        script: |ctx| accepts(ctx, R::literal("x-h2probe", "").incremental()),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc7541/6.2.2/not-inserted",
        description: "Sends a literal without indexing on stream 1, then references index 62 on stream 3 as if it had been inserted",
        requirement: "A literal header field without indexing representation results in appending a header field to the decoded header list without altering the dynamic table. (RFC 7541 §2.3.3: an index past both tables MUST be treated as a decoding error.)",
        tags: &["hpack"],
        script: |ctx| not_inserted(ctx, R::literal("x-h2probe", "without").without_indexing()),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc7541/6.2.3/not-inserted",
        description: "Sends a never-indexed literal on stream 1, then references index 62 on stream 3 as if it had been inserted",
        requirement: "A literal header field never-indexed representation results in appending a header field to the decoded header list without altering the dynamic table. (RFC 7541 §2.3.3: an index past both tables MUST be treated as a decoding error.)",
        tags: &["hpack"],
        script: |ctx| not_inserted(ctx, R::literal("x-h2probe", "never").never_indexed()),
        reactions: &[&ce_rows(E::COMPRESSION_ERROR)],
        ..must(S3)
    },
];
