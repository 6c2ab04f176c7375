//! New inputs from nothing: a plan drawn with `arbitrary`, built with the frames DSL.
//!
//! Random octets rarely get past a server's frame reader, so the generator is structure-
//! aware: a [`Plan`] is a list of steps in HTTP/2's own terms (a request on stream 3, DATA on
//! it, a reset, SETTINGS with a boundary value, a PING, a WINDOW_UPDATE of 0, a field block
//! of arbitrary HPACK representations, now and then a frame the codec's own `Arbitrary`
//! makes up), and stream ids come from a small pool, so that steps meet on the same streams
//! and reach the state machine behind the parser. `arbitrary` reads the plan from octets the
//! campaign's RNG supplies, so a plan is a pure function of the input's seed.

use super::input::{Input, Unit};
use super::rng::Rng;
use arbitrary::{Arbitrary, Unstructured};
use h2probe_codec::frame::{Frame, RawFrame};
use h2probe_codec::hpack::{NameRef, Representation, StringCoding, StringLit};
use h2probe_codec::{frames, ErrorCode, SettingId};

/// Steps in one generated plan, at most.
const MAX_STEPS: usize = 12;
/// Redundant continuation octets an over-long HPACK integer may carry: enough to overflow
/// any decoder's limit, never enough to matter for memory.
const MAX_OVERLONG: usize = 16;
/// Octets of one literal string or raw representation, at most.
const MAX_STRING: usize = 512;

/// What requests look like on this target: the generator's requests must reach the
/// server's request handling, not stop at a 404 or a bad authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// `http` or `https`.
    pub scheme: String,
    /// The `:authority` to send.
    pub authority: String,
    /// A path that answers GET and POST.
    pub path: String,
}

impl Default for Context {
    fn default() -> Context {
        Context { scheme: "http".into(), authority: "localhost".into(), path: "/".into() }
    }
}

/// A stream id from a small pool: mostly the first five client streams, so that steps of
/// one plan meet on the same streams; sometimes one a rule forbids (0, even, the largest).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Slot(u8);

impl Slot {
    fn id(self) -> u32 {
        match self.0 {
            0..=249 => 1 + 2 * u32::from(self.0 % 5),
            250 => 0,
            251 => 2,
            252 => 0x7fff_ffff,
            253 => 4,
            254 => 11,
            _ => 13,
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Method {
    Get,
    Post,
    Head,
    Options,
}

/// A 32-bit value, mostly one at a boundary some rule draws.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Value {
    Boundary(u8),
    Small(u8),
    Any(u32),
}

/// Values at which HTTP/2's rules change: 0, 1, the window and frame-size limits.
pub const BOUNDARIES: &[u32] = &[
    0,
    1,
    2,
    100,
    4_096,
    16_383,
    16_384,
    16_385,
    65_535,
    65_536,
    1 << 20,
    0x00ff_ffff,
    0x0100_0000,
    0x7fff_fffe,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];

impl Value {
    fn get(self) -> u32 {
        match self {
            Value::Boundary(i) => BOUNDARIES[usize::from(i) % BOUNDARIES.len()],
            Value::Small(v) => u32::from(v),
            Value::Any(v) => v,
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Code {
    Known(u8),
    Any(u32),
}

impl Code {
    fn get(self) -> ErrorCode {
        match self {
            Code::Known(i) => ErrorCode::KNOWN[usize::from(i) % ErrorCode::KNOWN.len()],
            Code::Any(v) => ErrorCode(v),
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Setting {
    Known(u8),
    Any(u16),
}

impl Setting {
    fn get(self) -> SettingId {
        match self {
            Setting::Known(i) => SettingId::KNOWN[usize::from(i) % SettingId::KNOWN.len()],
            Setting::Any(v) => SettingId(v),
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, Arbitrary)]
enum Step {
    /// A request's HEADERS (and, for POST, its body), optionally with more HPACK after the
    /// fields, split into CONTINUATIONs, prioritised or padded.
    Request {
        stream: Slot,
        method: Method,
        end_stream: bool,
        body: Option<u8>,
        hpack: Option<Vec<Representation>>,
        split: Option<u8>,
        priority: Option<(Slot, u8, bool)>,
        padded: Option<u8>,
    },
    Data {
        stream: Slot,
        len: u8,
        end_stream: bool,
        padded: Option<u8>,
    },
    Trailers {
        stream: Slot,
    },
    WindowUpdate {
        stream: Option<Slot>,
        increment: Value,
    },
    Priority {
        stream: Slot,
        dependency: Slot,
        weight: u8,
        exclusive: bool,
    },
    Reset {
        stream: Slot,
        code: Code,
    },
    Settings {
        params: Vec<(Setting, Value)>,
        ack: bool,
    },
    Ping {
        ack: bool,
        payload: [u8; 8],
    },
    GoAway {
        last: Slot,
        code: Code,
    },
    Continuation {
        stream: Slot,
        end_headers: bool,
        hpack: Vec<Representation>,
    },
    PriorityUpdate {
        stream: Slot,
        urgency: u8,
    },
    Unknown {
        kind: u8,
        stream: Slot,
        payload: Vec<u8>,
    },
    /// Any typed frame the codec's `Arbitrary` makes.
    AnyFrame(Frame),
    /// Any raw frame (lying lengths, reserved bit, undefined flags).
    AnyRaw(RawFrame),
}

/// A generated input's plan.
#[derive(Debug, Clone, Arbitrary)]
struct Plan {
    steps: Vec<Step>,
}

/// A fresh input for `cx`.
pub fn generate(rng: &mut Rng, cx: &Context) -> Input {
    let n = 64 + rng.below(960);
    let bytes = rng.bytes(n);
    let mut u = Unstructured::new(&bytes);
    let plan = Plan::arbitrary(&mut u).unwrap_or(Plan { steps: Vec::new() });
    let mut units = Vec::new();
    for step in plan.steps.into_iter().take(MAX_STEPS) {
        units.extend(build(step, cx));
    }
    Input::new(units).bounded()
}

/// The units of one generated step (for the mutators' insertions).
pub fn step(rng: &mut Rng, cx: &Context) -> Vec<Unit> {
    let n = 16 + rng.below(240);
    let bytes = rng.bytes(n);
    let mut u = Unstructured::new(&bytes);
    match Step::arbitrary(&mut u) {
        Ok(s) => build(s, cx),
        Err(_) => Vec::new(),
    }
}

/// A request HEADERS for `cx` (the seed every campaign has, and what steps build on).
pub fn request(cx: &Context, stream: u32, method: &str) -> frames::HeadersBuilder {
    frames::headers(stream).request(method, &cx.path).scheme(&cx.scheme).authority(&cx.authority)
}

fn frame(f: impl Into<Frame>) -> Unit {
    Unit::Frame(f.into())
}

fn build(step: Step, cx: &Context) -> Vec<Unit> {
    match step {
        Step::Request { stream, method, end_stream, body, hpack, split, priority, padded } => {
            let id = stream.id();
            let method = match method {
                Method::Get => "GET",
                Method::Post => "POST",
                Method::Head => "HEAD",
                Method::Options => "OPTIONS",
            };
            let mut h = request(cx, id, method);
            let body = if method == "POST" { body } else { None };
            if let Some(len) = body {
                h = h.set("content-length", len.to_string());
            } else if end_stream {
                h = h.end_stream();
            }
            if let Some((dep, weight, excl)) = priority {
                h = h.priority(dep.id(), weight, excl);
            }
            if let Some(p) = padded {
                h = h.padded(p);
            }
            if let Some(reprs) = hpack {
                let mut block = h.encoded_block();
                for r in reprs.iter().take(8) {
                    sane(r, 0).encode(&mut block);
                }
                h = h.block(block);
            }
            let mut out: Vec<Unit> = match split {
                Some(n) => h.build_split(usize::from(n) + 1).into_iter().map(Unit::Frame).collect(),
                None => vec![frame(h)],
            };
            if let Some(len) = body {
                out.push(frame(frames::data(id, vec![b'x'; usize::from(len)]).end_stream()));
            }
            out
        }
        Step::Data { stream, len, end_stream, padded } => {
            let mut d = frames::data(stream.id(), vec![b'x'; usize::from(len)]);
            if end_stream {
                d = d.end_stream();
            }
            if let Some(p) = padded {
                d = d.padded(p);
            }
            vec![frame(d)]
        }
        Step::Trailers { stream } => vec![frame(frames::headers(stream.id()).field("x-h2probe-trailer", "1").end_stream())],
        Step::WindowUpdate { stream, increment } => {
            vec![frame(frames::window_update(stream.map_or(0, Slot::id), increment.get() & 0x7fff_ffff))]
        }
        Step::Priority { stream, dependency, weight, exclusive } => {
            let mut p = frames::priority(stream.id(), dependency.id(), weight);
            if exclusive {
                p = p.exclusive();
            }
            vec![frame(p)]
        }
        Step::Reset { stream, code } => vec![frame(frames::rst_stream(stream.id(), code.get()))],
        Step::Settings { params, ack } => {
            let mut s = frames::settings();
            for (id, v) in params.into_iter().take(8) {
                s = s.set(id.get(), v.get());
            }
            if ack {
                s = s.ack();
            }
            vec![frame(s)]
        }
        Step::Ping { ack, payload } => {
            let mut p = frames::ping(payload);
            if ack {
                p = p.ack();
            }
            vec![frame(p)]
        }
        Step::GoAway { last, code } => vec![frame(frames::goaway(last.id(), code.get()))],
        Step::Continuation { stream, end_headers, hpack } => {
            let mut block = Vec::new();
            for r in hpack.iter().take(8) {
                sane(r, 0).encode(&mut block);
            }
            let mut c = frames::continuation(stream.id(), block);
            if end_headers {
                c = c.end_headers();
            }
            vec![frame(c)]
        }
        Step::PriorityUpdate { stream, urgency } => {
            vec![Unit::Frame(frames::priority_update(stream.id(), &format!("u={}", urgency % 9)))]
        }
        Step::Unknown { kind, stream, payload } => {
            // Types 0x00-0x09 and 0x10 are defined: an "unknown" of those would be a typed frame.
            let kind = if kind <= 0x10 { kind.wrapping_add(0x20) } else { kind };
            vec![Unit::Frame(frames::unknown(kind, stream.id(), payload.into_iter().take(MAX_STRING).collect::<Vec<u8>>()))]
        }
        Step::AnyFrame(f) => vec![Unit::from_octets(&Frame::to_bytes(&f))],
        Step::AnyRaw(r) => vec![Unit::Raw(r)],
    }
}

/// `r` within bounds that keep its octets small: over-long integers capped at
/// [`MAX_OVERLONG`] extra octets, strings and raw octets at [`MAX_STRING`], nesting at 4.
pub fn sane(r: &Representation, depth: usize) -> Representation {
    let lit = |s: &StringLit| StringLit {
        bytes: s.bytes.iter().copied().take(MAX_STRING).collect(),
        coding: match s.coding {
            StringCoding::LengthOverrun(n) => StringCoding::LengthOverrun(n.min(1 << 20)),
            c => c,
        },
    };
    match r {
        Representation::OverlongInteger { inner, extra_zero_continuations } if depth < 4 => Representation::OverlongInteger {
            inner: Box::new(sane(inner, depth + 1)),
            extra_zero_continuations: (*extra_zero_continuations).min(MAX_OVERLONG),
        },
        Representation::OverlongInteger { .. } => Representation::Indexed(2),
        Representation::Literal { name, value, mode } => Representation::Literal {
            name: match name {
                NameRef::Index(i) => NameRef::Index(*i),
                NameRef::Literal(s) => NameRef::Literal(lit(s)),
            },
            value: lit(value),
            mode: *mode,
        },
        Representation::Raw(b) => Representation::Raw(b.iter().copied().take(MAX_STRING).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::input::MAX_OCTETS;

    #[test]
    fn generation_is_a_function_of_the_seed() {
        let cx = Context::default();
        for i in 0..50 {
            let a = generate(&mut Rng::for_input(1, i), &cx);
            let b = generate(&mut Rng::for_input(1, i), &cx);
            assert_eq!(a, b);
            assert!(a.octets().len() <= MAX_OCTETS);
        }
    }

    #[test]
    fn plans_reach_streams_and_frame_kinds_broadly() {
        let cx = Context::default();
        let mut kinds = std::collections::BTreeSet::new();
        for i in 0..500 {
            for k in generate(&mut Rng::for_input(2, i), &cx).shape() {
                kinds.insert(k);
            }
        }
        for k in ["HEADERS", "DATA", "PRIORITY", "RST_STREAM", "SETTINGS", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"] {
            assert!(kinds.contains(k), "{k} never generated: {kinds:?}");
        }
    }

    #[test]
    fn overlong_integers_stay_small() {
        let r = Representation::OverlongInteger { inner: Box::new(Representation::Indexed(200)), extra_zero_continuations: usize::MAX };
        assert!(sane(&r, 0).to_bytes().len() < 32);
    }
}
