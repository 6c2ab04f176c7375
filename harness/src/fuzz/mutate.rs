//! Mutations of an input that already reached the server's state machine.
//!
//! Four levels, as the fuzz model names them:
//!
//! - field: flags, length fields that lie, stream ids (0, even, reserved bit), padding that
//!   does not fit, SETTINGS values at their limits, window increments of 0 and 2^31-1,
//!   error codes, payload octets;
//! - sequence: insert a generated step, duplicate, drop, swap, splice frames of another
//!   corpus input;
//! - HPACK: rewrite a field block with representations a decoder must reject or handle
//!   (index 0, past the table, size updates anywhere, Huffman EOS and bad padding, string
//!   lengths that overrun, over-long integers) or split it into CONTINUATIONs;
//! - transport: cut the octets into separate writes (down to one octet each) or coalesce.
//!
//! Each call stacks one to four of them and returns their names, which the reproducer
//! records as the input's origin.

use super::generate::{self, Context, BOUNDARIES};
use super::input::{Input, Unit, MAX_CUTS};
use super::rng::Rng;
use h2probe_codec::frame::{flags, Frame};
use h2probe_codec::hpack::{self, huffman::Padding, LiteralMode, NameRef, Representation, StringCoding, StringLit};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId, StreamId};

/// One mutation, by name (what a reproducer's origin lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Flip a flag bit.
    Flags,
    /// Make the length field lie.
    Length,
    /// Change the stream id or set the reserved bit.
    Stream,
    /// Add padding, fitting or not.
    Padding,
    /// Add or change a SETTINGS parameter, at a limit.
    Settings,
    /// Change or add a WINDOW_UPDATE increment, at a limit.
    Window,
    /// Change an RST_STREAM or GOAWAY code.
    Code,
    /// Change, cut or extend payload octets.
    Payload,
    /// Insert a generated step.
    Insert,
    /// Duplicate a unit.
    Duplicate,
    /// Drop a unit.
    Drop,
    /// Swap two units.
    Swap,
    /// Insert frames of another input.
    Splice,
    /// Rewrite a field block's representations.
    Hpack,
    /// Split a field block into HEADERS and CONTINUATIONs.
    Continuation,
    /// Cut the octets into separate writes.
    Split,
    /// Cut a stretch of the octets into one-octet writes.
    Dribble,
    /// One write again.
    Coalesce,
}

impl Op {
    const ALL: &'static [Op] = &[
        Op::Flags,
        Op::Length,
        Op::Stream,
        Op::Padding,
        Op::Settings,
        Op::Window,
        Op::Code,
        Op::Payload,
        Op::Insert,
        Op::Duplicate,
        Op::Drop,
        Op::Swap,
        Op::Splice,
        Op::Hpack,
        Op::Continuation,
        Op::Split,
        Op::Dribble,
        Op::Coalesce,
    ];

    /// The name in a reproducer's origin.
    pub fn name(self) -> &'static str {
        match self {
            Op::Flags => "flags",
            Op::Length => "length",
            Op::Stream => "stream",
            Op::Padding => "padding",
            Op::Settings => "settings",
            Op::Window => "window",
            Op::Code => "code",
            Op::Payload => "payload",
            Op::Insert => "insert",
            Op::Duplicate => "duplicate",
            Op::Drop => "drop",
            Op::Swap => "swap",
            Op::Splice => "splice",
            Op::Hpack => "hpack",
            Op::Continuation => "continuation",
            Op::Split => "split",
            Op::Dribble => "dribble",
            Op::Coalesce => "coalesce",
        }
    }
}

/// `input` with one to four mutations stacked; `other` is a second corpus input to splice
/// from. Returns the mutated input and the names of the mutations applied.
pub fn mutate(input: &Input, other: &Input, rng: &mut Rng, cx: &Context) -> (Input, Vec<&'static str>) {
    let mut out = input.clone();
    let mut names = Vec::new();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        let op = *rng.pick(Op::ALL).unwrap_or(&Op::Insert);
        if apply(op, &mut out, other, rng, cx) {
            names.push(op.name());
        }
    }
    (out.bounded(), names)
}

/// Applies one mutation; false when it found nothing to change.
pub fn apply(op: Op, input: &mut Input, other: &Input, rng: &mut Rng, cx: &Context) -> bool {
    let n = input.units.len();
    match op {
        Op::Insert => {
            let at = rng.below(n + 1);
            let units = generate::step(rng, cx);
            let added = !units.is_empty();
            input.units.splice(at..at, units);
            added
        }
        Op::Duplicate if n > 0 => {
            let i = rng.below(n);
            let u = input.units[i].clone();
            let at = if rng.chance(1, 2) { i + 1 } else { rng.below(n + 1) };
            input.units.insert(at, u);
            true
        }
        Op::Drop if n > 0 => {
            input.units.remove(rng.below(n));
            true
        }
        Op::Swap if n > 1 => {
            let (a, b) = (rng.below(n), rng.below(n));
            input.units.swap(a, b);
            a != b
        }
        Op::Splice if !other.units.is_empty() => {
            let from = rng.below(other.units.len());
            let len = 1 + rng.below((other.units.len() - from).min(4));
            let at = rng.below(n + 1);
            input.units.splice(at..at, other.units[from..from + len].iter().cloned());
            true
        }
        Op::Split => {
            let len = input.octets().len();
            if len < 2 {
                return false;
            }
            for _ in 0..1 + rng.below(4) {
                input.cuts.push(1 + rng.below(len - 1));
            }
            true
        }
        Op::Dribble => {
            let len = input.octets().len();
            if len < 2 {
                return false;
            }
            let start = rng.below(len - 1);
            let run = (1 + rng.below(64)).min(MAX_CUTS / 2);
            input.cuts.extend((start + 1..len).take(run));
            true
        }
        Op::Coalesce if !input.cuts.is_empty() => {
            if rng.chance(1, 2) {
                input.cuts.clear();
            } else {
                let i = rng.below(input.cuts.len());
                input.cuts.remove(i);
            }
            true
        }
        Op::Settings => settings(input, rng),
        Op::Window => window(input, rng),
        Op::Continuation => continuation(input, rng),
        Op::Hpack => hpack_block(input, rng),
        _ if n > 0 => {
            let i = rng.below(n);
            field(op, &mut input.units[i], rng)
        }
        _ => false,
    }
}

/// A field-level change of one unit, through its raw form.
fn field(op: Op, unit: &mut Unit, rng: &mut Rng) -> bool {
    let mut r = match &*unit {
        Unit::Frame(f) => f.to_raw(),
        Unit::Raw(r) => r.clone(),
        Unit::Bytes(b) => {
            if b.is_empty() {
                return false;
            }
            let mut b = b.clone();
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
            *unit = Unit::Bytes(b);
            return true;
        }
    };
    match op {
        Op::Flags => r.flags ^= 1 << rng.below(8),
        Op::Length => {
            let real = r.payload.len() as u32;
            r.length = Some(match rng.below(6) {
                0 => real.saturating_sub(1),
                1 => real + 1,
                2 => 0,
                3 => real.saturating_sub(1 + rng.below(8) as u32),
                4 => BOUNDARIES[rng.below(BOUNDARIES.len())] & 0x00ff_ffff,
                _ => 16_385,
            });
        }
        Op::Stream => {
            if rng.chance(1, 6) {
                r.reserved = !r.reserved;
            } else {
                let s = r.stream_id.0;
                r.stream_id = StreamId(match rng.below(7) {
                    0 => 0,
                    1 => 1,
                    2 => s.wrapping_add(2) & 0x7fff_ffff,
                    3 => s.saturating_sub(2),
                    4 => s ^ 1,
                    5 => 0x7fff_ffff,
                    _ => 1 + 2 * rng.below(5) as u32,
                });
            }
        }
        Op::Padding => {
            let pad = match rng.below(4) {
                0 => r.payload.len() as u8,
                1 => 255,
                _ => rng.below(16) as u8,
            };
            let mut p = vec![pad];
            p.extend_from_slice(&r.payload);
            if rng.chance(2, 3) {
                p.extend(std::iter::repeat_n(0, usize::from(pad)));
            }
            r.payload = p;
            r.flags |= flags::PADDED;
            r.length = None;
        }
        Op::Code if matches!(r.kind, FrameType::RST_STREAM | FrameType::GOAWAY) => {
            let at = if r.kind == FrameType::GOAWAY { 4 } else { 0 };
            let code = if rng.chance(3, 4) { ErrorCode::KNOWN[rng.below(ErrorCode::KNOWN.len())].0 } else { rng.next_u64() as u32 };
            if r.payload.len() < at + 4 {
                r.payload.resize(at + 4, 0);
            }
            r.payload[at..at + 4].copy_from_slice(&code.to_be_bytes());
        }
        Op::Payload | Op::Code => {
            match rng.below(4) {
                0 if !r.payload.is_empty() => {
                    let i = rng.below(r.payload.len());
                    r.payload[i] = rng.next_u64() as u8;
                }
                1 if !r.payload.is_empty() => {
                    let keep = rng.below(r.payload.len());
                    r.payload.truncate(keep);
                }
                2 => {
                    let n = 1 + rng.below(16);
                    r.payload.extend(rng.bytes(n))
                }
                _ => {
                    let i = rng.below(r.payload.len() + 1);
                    r.payload.insert(i, rng.next_u64() as u8);
                }
            }
            if rng.chance(3, 4) {
                r.length = None;
            }
        }
        _ => return false,
    }
    *unit = Unit::from_octets(&r.to_bytes());
    true
}

/// Adds a parameter at a limit to a SETTINGS frame, or a new SETTINGS frame.
fn settings(input: &mut Input, rng: &mut Rng) -> bool {
    let id = if rng.chance(7, 8) { SettingId::KNOWN[rng.below(SettingId::KNOWN.len())] } else { SettingId(rng.next_u64() as u16) };
    let value = BOUNDARIES[rng.below(BOUNDARIES.len())];
    let at = input.units.iter().position(|u| matches!(u, Unit::Frame(Frame::Settings(s)) if !s.ack));
    match at {
        Some(i) if rng.chance(2, 3) => {
            if let Unit::Frame(Frame::Settings(s)) = &mut input.units[i] {
                match s.params.iter_mut().find(|(p, _)| *p == id) {
                    Some(p) => p.1 = value,
                    None => s.params.push((id, value)),
                }
            }
        }
        _ => {
            let at = rng.below(input.units.len() + 1);
            input.units.insert(at, Unit::Frame(frames::settings().set(id, value).build()));
        }
    }
    true
}

/// Sets a WINDOW_UPDATE's increment to a limit, or adds one.
fn window(input: &mut Input, rng: &mut Rng) -> bool {
    let inc = [0, 1, 0x7fff_ffff, 0x7fff_fffe, 65_535, 1 << 30][rng.below(6)];
    let found: Vec<usize> =
        input.units.iter().enumerate().filter(|(_, u)| matches!(u, Unit::Frame(Frame::WindowUpdate(_)))).map(|(i, _)| i).collect();
    if let (Some(&i), true) = (rng.pick(&found), rng.chance(1, 2)) {
        if let Unit::Frame(Frame::WindowUpdate(w)) = &mut input.units[i] {
            w.increment = inc;
        }
        return true;
    }
    let stream = if rng.chance(1, 3) { 0 } else { 1 + 2 * rng.below(5) as u32 };
    let at = rng.below(input.units.len() + 1);
    input.units.insert(at, Unit::Frame(frames::window_update(stream, inc)));
    true
}

/// Indices of units that carry a field block fragment.
fn blocks(input: &Input) -> Vec<usize> {
    input
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| matches!(u, Unit::Frame(Frame::Headers(_) | Frame::Continuation(_) | Frame::PushPromise(_))))
        .map(|(i, _)| i)
        .collect()
}

/// Splits a HEADERS frame's block into HEADERS + CONTINUATIONs of a random fragment size.
fn continuation(input: &mut Input, rng: &mut Rng) -> bool {
    let found: Vec<usize> = blocks(input).into_iter().filter(|&i| matches!(input.units[i], Unit::Frame(Frame::Headers(_)))).collect();
    let Some(&i) = rng.pick(&found) else { return false };
    let Unit::Frame(Frame::Headers(h)) = &input.units[i] else { return false };
    if h.block.len() < 2 {
        return false;
    }
    let fragment = 1 + rng.below(h.block.len() - 1);
    let mut parts = Vec::new();
    let mut first = h.clone();
    let rest = first.block.split_off(fragment.min(first.block.len()));
    let end = first.end_headers;
    first.end_headers = false;
    parts.push(Unit::Frame(Frame::Headers(first)));
    let chunks: Vec<&[u8]> = rest.chunks(fragment.max(1)).collect();
    for (k, c) in chunks.iter().enumerate() {
        let mut c = frames::continuation(h.stream_id.0, c.to_vec());
        if end && k + 1 == chunks.len() {
            c = c.end_headers();
        }
        parts.push(Unit::Frame(c.build()));
    }
    input.units.splice(i..=i, parts);
    true
}

/// Rewrites one field block with a representation a decoder must reject or handle.
fn hpack_block(input: &mut Input, rng: &mut Rng) -> bool {
    let found = blocks(input);
    let Some(&i) = rng.pick(&found) else { return false };
    let block = match &input.units[i] {
        Unit::Frame(Frame::Headers(h)) => h.block.clone(),
        Unit::Frame(Frame::Continuation(c)) => c.block.clone(),
        Unit::Frame(Frame::PushPromise(p)) => p.block.clone(),
        _ => return false,
    };
    // The fields, where the block decodes on its own (most blocks are stateless requests).
    let fields = hpack::Decoder::new().decode(&block).unwrap_or_default();
    let mut reprs: Vec<Representation> =
        fields.iter().map(|f| Representation::literal(f.name.clone(), f.value.clone())).collect();
    let pos = rng.below(reprs.len() + 1);
    let (short, tiny) = (rng.below(8), 1 + rng.below(4));
    let odd = match rng.below(12) {
        0 => Representation::indexed(0),
        1 => Representation::indexed(62 + rng.below(8) as u64),
        2 => Representation::size_update([0, 4096, 4097, 1 << 20][rng.below(4)]),
        3 => Representation::literal("x-h2probe", "v").with_value_coding(StringCoding::HuffmanWithEos),
        4 => Representation::literal("x-h2probe", "v").with_value_coding(StringCoding::HuffmanPadding(
            [Padding::Zeros, Padding::TooLong, Padding::Ones][rng.below(3)],
        )),
        5 => Representation::literal("x-h2probe", "v").with_value_coding(StringCoding::LengthOverrun(1 + rng.below(32))),
        6 => Representation::indexed_overflowing(),
        7 => Representation::indexed(2 + rng.below(60) as u64).overlong(1 + rng.below(12)),
        8 => Representation::literal("x-h2probe", "v").with_mode(
            [LiteralMode::Incremental, LiteralMode::WithoutIndexing, LiteralMode::NeverIndexed][rng.below(3)],
        ),
        9 => Representation::Literal {
            name: NameRef::Index(rng.below(70) as u64),
            value: StringLit::huffman(rng.bytes(short)),
            mode: LiteralMode::Incremental,
        },
        10 => Representation::indexed(62),
        _ => Representation::raw(rng.bytes(tiny)),
    };
    // A size update leads the block where it is valid, and goes anywhere where it is not.
    let at = match &odd {
        Representation::SizeUpdate(_) if rng.chance(1, 2) => 0,
        _ => pos,
    };
    if rng.chance(1, 3) {
        reprs = reprs.into_iter().map(Representation::huffman).collect();
    }
    reprs.insert(at.min(reprs.len()), odd);
    let mut new = Vec::new();
    for r in &reprs {
        r.encode(&mut new);
    }
    match &mut input.units[i] {
        Unit::Frame(Frame::Headers(h)) => h.block = new,
        Unit::Frame(Frame::Continuation(c)) => c.block = new,
        Unit::Frame(Frame::PushPromise(p)) => p.block = new,
        _ => {}
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::input::MAX_OCTETS;

    fn seed() -> Input {
        let cx = Context::default();
        Input::new(vec![
            Unit::Frame(generate::request(&cx, 1, "POST").set("content-length", "2").build()),
            Unit::Frame(frames::data(1, b"hi".to_vec()).end_stream().build()),
            Unit::Frame(frames::ping([1; 8]).build()),
        ])
    }

    #[test]
    fn every_mutation_keeps_inputs_bounded_and_is_reproducible() {
        let cx = Context::default();
        for i in 0..2_000 {
            let (a, names) = mutate(&seed(), &seed(), &mut Rng::for_input(9, i), &cx);
            let (b, _) = mutate(&seed(), &seed(), &mut Rng::for_input(9, i), &cx);
            assert_eq!(a, b, "mutation {i} ({names:?}) is not a function of the seed");
            assert!(a.octets().len() <= MAX_OCTETS && a.effective_cuts().len() <= MAX_CUTS);
        }
    }

    #[test]
    fn each_op_changes_something_on_a_request() {
        let cx = Context::default();
        for &op in Op::ALL {
            let changed = (0..50).any(|k| {
                let mut i = seed();
                i.cuts = vec![5];
                let before = i.clone();
                apply(op, &mut i, &seed(), &mut Rng::for_input(3, k), &cx) && i != before
            });
            assert!(changed, "{} never changed the seed", op.name());
        }
    }
}
