//! RFC 9113 §10.5.1: limits on field block size — SETTINGS_MAX_HEADER_LIST_SIZE is advisory,
//! but a server that advertises it has said what it is prepared to accept.

use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::expectation::{Accept, Expectation};

const S: &str = "RFC 9113 §10.5.1";

/// Room left for filler fields after the request's own fields, per RFC 9113 §6.5.2's size
/// rule (name + value + 32 octets per field), with a margin for what an intermediary adds.
const MARGIN: usize = 256;

/// How far the oversized block goes past the server's SETTINGS_MAX_HEADER_LIST_SIZE.
const EXCESS: usize = 1024;

/// The server's SETTINGS_MAX_HEADER_LIST_SIZE, if it advertises one small enough for a
/// bounded test.
fn header_list_limit(ctx: &Ctx) -> Result<usize, String> {
    let Some(limit) = ctx.server.get(SettingId::MAX_HEADER_LIST_SIZE) else {
        return Err("the server does not advertise SETTINGS_MAX_HEADER_LIST_SIZE".into());
    };
    let limit = limit as usize;
    if limit > 1 << 20 {
        return Err(format!("the server's SETTINGS_MAX_HEADER_LIST_SIZE ({limit}) is too large for a bounded test"));
    }
    Ok(limit)
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/10.5.1/header-list-within-advertised-limit",
        description: "Sends a GET whose header list (name + value + 32 per field) is just (256 to 300 octets) below the server's SETTINGS_MAX_HEADER_LIST_SIZE, over HEADERS and CONTINUATIONs; it must be processed, not reset",
        requirement: "RFC 9113 §6.5.2: \"SETTINGS_MAX_HEADER_LIST_SIZE (0x06): This advisory setting informs a peer of the maximum field section size that the sender is prepared to accept, in units of octets. The value is based on the uncompressed size of field lines, including the length of the name and value in units of octets plus an overhead of 32 octets for each field line. For any given request, a lower limit than what is advertised MAY be enforced.\" §10.5.1: \"A server that receives a larger field block than it is willing to handle can send an HTTP 431 (Request Header Fields Too Large) status code [RFC6585]. … The field block MUST be processed to ensure a consistent connection state, unless the connection is closed.\" (A lower limit is allowed, so a 431 passes; lighttpd advertises 65 535 and answers 431 by its own lower per-request limit. Resetting the stream, closing the connection or answering 400 treats a request within the advertised limit as an error: no MUST forbids that outright, so this is an interoperability check at SHOULD level.)",
        tags: &["interop"],
        script: |ctx| {
            let Some(limit) = ctx.server.get(SettingId::MAX_HEADER_LIST_SIZE) else {
                return Err("the server does not advertise SETTINGS_MAX_HEADER_LIST_SIZE".into());
            };
            let limit = limit as usize;
            if limit > 1 << 20 {
                return Err(format!("the server's SETTINGS_MAX_HEADER_LIST_SIZE ({limit}) is too large for a bounded test"));
            }
            let mut req = ctx.get(1);
            let used: usize = req.header_fields().iter().map(|f| f.name.len() + f.value.len() + 32).sum();
            let mut room = limit.saturating_sub(used + MARGIN);
            let mut i = 0;
            // Fields of at most 1000 octets each: some servers also cap a single field.
            while room > 32 + 10 {
                let name = format!("x-fill{i:04}");
                let value_len = (room - 32 - name.len()).min(1000);
                room -= 32 + name.len() + value_len;
                req = req.field(name, filler(value_len));
                i += 1;
            }
            let max = ctx.server.max_frame_size() as usize;
            Ok(Script::send(req.build_split(max), Expectation::Response { stream: StreamId(1), accept: Accept::NotBadRequest, after_goaway: None }))
        },
        reactions: &[&[
            row(Ignore, Pass),
            row(Respond(1, 431), Pass),
            row(Respond(1, 400), Fail),
            row(Reset(1, E::PROTOCOL_ERROR), Fail),
            row(Reset(1, E::REFUSED_STREAM), Fail),
            row(GoAway(E::COMPRESSION_ERROR), Fail),
            row(Close, Fail),
            row(Drop, Fail),
        ]],
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5.1/oversized-block-still-decoded",
        description: "Sends a GET whose header list is about 1 KiB larger than the server's SETTINGS_MAX_HEADER_LIST_SIZE and whose field block ends by inserting x-h2probe-marker into the dynamic table; whatever the answer (431, a reset), once a PING sent after it is answered, a GET referencing the entry (index 62) must be served",
        requirement: "A server that receives a larger field block than it is willing to handle can send an HTTP 431 (Request Header Fields Too Large) status code [RFC6585]. A client can discard responses that it cannot process. The field block MUST be processed to ensure a consistent connection state, unless the connection is closed. (§10.5.1: the setting \"is only advisory, so endpoints MAY choose to send field blocks that exceed this limit and risk the request or response being treated as malformed\": a 431, a 400 or a reset of the first request are all allowed. What is not is to stop decoding: the entry the block inserts last must exist for the second request, or the server's table has left the client's. A server that closes the connection instead is allowed: skipped, as nothing is left to judge.)",
        script: |ctx| {
            let limit = header_list_limit(ctx)?;
            let mut req = ctx.get(1);
            let used: usize = req.header_fields().iter().map(|f| f.name.len() + f.value.len() + 32).sum();
            let mut room = (limit + EXCESS).saturating_sub(used);
            let mut i = 0;
            // Fields of at most 1000 octets each: some servers also cap a single field.
            while room > 0 {
                let name = format!("x-fill{i:04}");
                let value_len = room.saturating_sub(32 + name.len()).clamp(1, 1000);
                room = room.saturating_sub(32 + name.len() + value_len);
                req = req.field(name, filler(value_len));
                i += 1;
            }
            let mut block = req.encoded_block();
            R::literal("x-h2probe-marker", "decoded").incremental().encode(&mut block);
            let mut first: Vec<h2probe_harness::conn::Outgoing> = ctx.get(1).block(block).build_split(ctx.server.max_frame_size() as usize).into_iter().map(Into::into).collect();
            first.push(frames::ping(*b"h2pbigok").build().into());
            let mut second = ctx.get(3).encoded_block();
            R::indexed(62).encode(&mut second);
            Ok(Script::steps(
                vec![Step::Send(first), Step::Await(Expectation::ping_ack(*b"h2pbigok")), send([ctx.get(3).block(second)])],
                response(3),
            ))
        },
        // A server that stopped decoding the oversized block has no entry 62: COMPRESSION_ERROR.
        reactions: &[&served_rows(3), &[row(GoAway(E::COMPRESSION_ERROR), Fail)]],
        ..must(S)
    },
];
