//! RFC 9113 §10.5: a hostile server. The client must survive it: set a limit, or take what
//! it is sent in bounded time, and never crash or hang. Every flood here is bounded in count
//! by the script and in time by the case's deadline.

use super::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Ctx, Script};
use h2probe_harness::conn::Outgoing;

const S: &str = "RFC 9113 §10.5";
const LIMITS: &str = "An endpoint that doesn't monitor use of these features exposes itself to a risk of denial of service. Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.";

/// CONTINUATION frames of 16 KiB: 2,048 of them are 32 MiB of field block.
const FRAGMENT: usize = 16 * 1024;

/// A response field block that never ends: one literal field whose value is announced as
/// 2^30 octets long, then `frames` CONTINUATION frames of it, none with END_HEADERS.
fn endless_block(ctx: &Ctx, frames_n: usize) -> Vec<Outgoing> {
    let s = ctx.stream();
    let mut head = frames::headers(s).status(200).encoded_block();
    // Literal without indexing, new name "x-flood", value length 2^30 (no Huffman).
    head.extend([0x00, 0x07]);
    head.extend(b"x-flood");
    let mut len = Vec::new();
    h2probe_codec::hpack::integer::encode(1 << 30, 7, 0x00, &mut len);
    head.extend(len);
    let mut out = vec![frames::headers(s).block(head).no_end_headers().build().into()];
    out.extend((0..frames_n).map(|_| Outgoing::from(frames::continuation(s, filler(FRAGMENT)).build())));
    out
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/10.5/endless-continuation",
        description: "Sends response HEADERS and 2,048 CONTINUATION frames of 16 KiB (32 MiB) without END_HEADERS",
        requirement: LIMITS,
        tags: &["hostile"],
        script: |ctx| Ok(Script::send(endless_block(ctx, 2_048), survives(ctx.stream())).no_fence()),
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Fail)]],
        ..client_should("RFC 9113 §10.5.1")
    },
    Case {
        id: "client/rfc9113/10.5.1/huge-header-list",
        description: "Sends a complete response whose field block is 4 MiB (256 fields of 16 KiB), then the body",
        requirement: "A large field block (Section 4.3) can cause an implementation to commit a large amount of state. … A client can discard responses that it cannot process.",
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut h = ctx.response_headers(s, 200);
            for i in 0..256 {
                h = h.field(format!("x-big-{i}"), filler(16 * 1024));
            }
            let mut f: Vec<Outgoing> = h.build_split(FRAGMENT).into_iter().map(Into::into).collect();
            f.push(ctx.body(s));
            Ok(Script::send(f, survives(s)))
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should("RFC 9113 §10.5.1")
    },
    Case {
        id: "client/rfc9113/10.5/ping-flood",
        description: "Sends 10,000 PING frames, then the response",
        requirement: LIMITS,
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut f: Vec<Outgoing> = (0..10_000u64).map(|i| frames::ping(i.to_be_bytes()).build().into()).collect();
            f.extend(ctx.respond(s));
            Ok(Script::send(f, survives(s)).no_fence())
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/10.5/settings-flood",
        description: "Sends 10,000 SETTINGS frames (each changing SETTINGS_MAX_CONCURRENT_STREAMS), then the response",
        requirement: "The SETTINGS frame might also be abused to cause a peer to expend additional processing time. This might be done by pointlessly changing settings, sending multiple undefined settings, or changing the same setting multiple times in the same frame. … Implementations SHOULD track the use of these features and set limits on their use.",
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut f: Vec<Outgoing> =
                (0..10_000u32).map(|i| frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100 + i % 2).build().into()).collect();
            f.extend(ctx.respond(s));
            Ok(Script::send(f, survives(s)).no_fence())
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/10.5/empty-data-flood",
        description: "Sends the response headers, 20,000 empty DATA frames, then the body",
        requirement: "Large numbers of small or empty frames can be abused to cause a peer to expend time processing frame headers. … Implementations SHOULD track the use of these features and set limits on their use.",
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut f: Vec<Outgoing> = vec![ctx.response_headers(s, 200).build().into()];
            f.extend((0..20_000).map(|_| Outgoing::from(frames::data(s, Vec::new()).build())));
            f.push(ctx.body(s));
            Ok(Script::send(f, survives(s)).no_fence())
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should(S)
    },
    Case {
        id: "client/rfc9113/10.5/window-update-flood",
        description: "Sends 10,000 WINDOW_UPDATE frames of increment 1 on stream 0, then the response",
        requirement: "Large numbers of small or empty frames can be abused to cause a peer to expend time processing frame headers. … Implementations SHOULD track the use of these features and set limits on their use.",
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut f: Vec<Outgoing> = (0..10_000).map(|_| Outgoing::from(frames::window_update(0, 1))).collect();
            f.extend(ctx.respond(s));
            Ok(Script::send(f, survives(s)).no_fence())
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should(S)
    },
    Case {
        id: "client/rfc7541/7/hpack-bomb",
        description: "Inserts a 4 KiB field in the dynamic table, then references it 4,000 times in one response (16 MiB decoded)",
        requirement: "An attacker can try to cause an endpoint to exhaust its memory. HPACK is designed to limit both the peak and state amounts of memory allocated by an endpoint. … The amount of temporary memory consumed by an encoder or decoder can be limited by processing header fields sequentially. (RFC 9113 §10.5.1: \"A client can discard responses that it cannot process.\")",
        tags: &["hostile"],
        script: |ctx| {
            let s = ctx.stream();
            let mut block = ctx.response_headers(s, 200).encoded_block();
            h2probe_codec::hpack::Encoder::new().encode_block(&[R::literal("x-bomb", filler(4000)).incremental()], &mut block);
            block.extend(std::iter::repeat_n(0xbe, 4_000));
            let f: Vec<Outgoing> = ctx.response_headers(s, 200).block(block).build_split(FRAGMENT).into_iter().map(Into::into).chain([ctx.body(s)]).collect();
            Ok(Script::send(f, survives(s)))
        },
        reactions: &[SURVIVES_ROWS, &[row(Ignore, Pass)]],
        ..client_should("RFC 7541 §7.3")
    },
];
