//! One fuzz input: what goes on one fresh connection after the handshake.
//!
//! An input is a sequence of [`Unit`]s — typed frames, raw frames (any header field, lying
//! lengths) and verbatim octets — plus the transport's cut points: where the octet string is
//! split into separate writes (down to one octet per write), or none for one coalesced
//! write. Everything the mutators change is in these two fields, and the octets are the
//! authority: a file names each unit by its octets, and [`Unit::from_octets`] gives back the
//! most readable unit for them, so saving and loading loses nothing that reaches the wire.

use crate::conn::Outgoing;
use crate::judge::FENCE;
use h2probe_codec::frame::{self, hex, Frame, Head, RawFrame, HEAD_LEN};
use h2probe_codec::{ErrorCode, FrameType, SettingId};
use serde::{Deserialize, Serialize};

/// Octets one input may carry at most: big enough for a few maximum-size frames, small
/// enough that a campaign's memory and a reproducer stay small.
pub const MAX_OCTETS: usize = 64 * 1024;
/// Units one input may carry at most.
pub const MAX_UNITS: usize = 64;
/// Separate writes one input may be cut into at most.
pub const MAX_CUTS: usize = 256;
/// What replaces the fence's payload in an input's own PINGs: the fence must stay ours.
pub const NOT_FENCE: [u8; 8] = *b"h2pfuzz!";

/// One piece of an input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A typed frame, encoded as the codec encodes it.
    Frame(Frame),
    /// A raw frame: header fields as given, payload verbatim.
    Raw(RawFrame),
    /// Octets that are not one frame (a fragment, several frames glued, garbage).
    Bytes(Vec<u8>),
}

impl Unit {
    /// The unit's octets.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Unit::Frame(f) => f.to_bytes(),
            Unit::Raw(r) => r.to_bytes(),
            Unit::Bytes(b) => b.clone(),
        }
    }

    /// What the connection driver sends for it.
    pub fn to_outgoing(&self) -> Outgoing {
        match self {
            Unit::Frame(f) => Outgoing::Frame(f.clone()),
            Unit::Raw(r) => Outgoing::Raw(r.clone()),
            Unit::Bytes(b) => Outgoing::Bytes(b.clone(), "octets".into()),
        }
    }

    /// The unit a script step sends.
    pub fn from_outgoing(o: &Outgoing) -> Unit {
        match o {
            Outgoing::Frame(f) => Unit::Frame(f.clone()),
            Outgoing::Raw(r) => Unit::Raw(r.clone()),
            Outgoing::Bytes(b, _) => Unit::Bytes(b.clone()),
        }
    }

    /// The most readable unit for `bytes`: a typed frame when the codec decodes them and
    /// encodes the result to the same octets, else a raw frame when they start with a frame
    /// header and hold at most that frame, else octets.
    pub fn from_octets(bytes: &[u8]) -> Unit {
        let Some(head) = Head::parse(bytes) else { return Unit::Bytes(bytes.to_vec()) };
        let payload = &bytes[HEAD_LEN..];
        if payload.len() > head.length as usize {
            return Unit::Bytes(bytes.to_vec());
        }
        if payload.len() == head.length as usize {
            if let Ok(f) = Frame::decode(&head, payload) {
                if f.to_bytes() == bytes {
                    return Unit::Frame(f);
                }
            }
        }
        Unit::Raw(RawFrame::from_parts(head, payload))
    }

    /// The frame header the unit starts with, if it starts with one.
    pub fn head(&self) -> Option<Head> {
        match self {
            Unit::Frame(f) => Some(f.head()),
            Unit::Raw(r) => Some(r.head()),
            Unit::Bytes(b) => Head::parse(b),
        }
    }

    /// The frame type's name (`HEADERS`, `0x0b`), or `octets`: one word of an input's shape.
    pub fn kind_name(&self) -> String {
        match self {
            Unit::Bytes(_) => "octets".into(),
            other => other.head().map_or_else(|| "octets".into(), |h| h.kind.to_string()),
        }
    }

    /// The unit as the transcript shows it.
    pub fn describe(&self) -> String {
        match self {
            Unit::Frame(f) => f.to_string(),
            Unit::Raw(r) => r.to_string(),
            Unit::Bytes(b) => format!("{} octets", b.len()),
        }
    }

    /// The unit in the vocabulary of the frames DSL (`h2probe_codec::frames`), as a Rust
    /// expression a regression test can paste; `hex("…")` stands for the octets in hex.
    pub fn dsl(&self) -> String {
        match self {
            Unit::Frame(f) => dsl_frame(f).unwrap_or_else(|| dsl_raw(&f.to_raw())),
            Unit::Raw(r) => dsl_raw(r),
            Unit::Bytes(b) => format!("Outgoing::Bytes(hex(\"{}\"), \"octets\")", hex(b)),
        }
    }

    /// The same unit with a PING payload that could pass for the fence replaced.
    fn without_fence(self) -> Unit {
        match self {
            Unit::Frame(Frame::Ping(mut p)) if p.payload == FENCE => {
                p.payload = NOT_FENCE;
                Unit::Frame(Frame::Ping(p))
            }
            Unit::Raw(mut r) if r.kind == FrameType::PING && r.payload == FENCE => {
                r.payload = NOT_FENCE.to_vec();
                Unit::Raw(r)
            }
            other => other,
        }
    }
}

fn code(c: ErrorCode) -> String {
    match c.name() {
        Some(n) => format!("ErrorCode::{n}"),
        None => format!("ErrorCode(0x{:x})", c.0),
    }
}

fn setting(id: SettingId) -> String {
    match id.name() {
        Some(n) => format!("SettingId::{n}"),
        None => format!("SettingId(0x{:x})", id.0),
    }
}

/// The DSL expression of a typed frame, where the builders can say it exactly.
fn dsl_frame(f: &Frame) -> Option<String> {
    let hexs = |b: &[u8]| format!("hex(\"{}\")", hex(b));
    Some(match f {
        Frame::Data(d) => {
            let mut s = format!("frames::data({}, {})", d.stream_id.0, hexs(&d.data));
            if let Some(p) = d.padding {
                s.push_str(&format!(".padded({p})"));
            }
            if d.end_stream {
                s.push_str(".end_stream()");
            }
            s
        }
        Frame::Headers(h) => {
            let mut s = format!("frames::headers({}).block({})", h.stream_id.0, hexs(&h.block));
            if let Some(p) = h.priority {
                s.push_str(&format!(".priority({}, {}, {})", p.dependency.0, p.weight, p.exclusive));
            }
            if let Some(p) = h.padding {
                s.push_str(&format!(".padded({p})"));
            }
            if h.end_stream {
                s.push_str(".end_stream()");
            }
            if !h.end_headers {
                s.push_str(".no_end_headers()");
            }
            s
        }
        Frame::Priority(p) => {
            let mut s = format!("frames::priority({}, {}, {})", p.stream_id.0, p.spec.dependency.0, p.spec.weight);
            if p.spec.exclusive {
                s.push_str(".exclusive()");
            }
            s
        }
        Frame::RstStream(r) => format!("frames::rst_stream({}, {})", r.stream_id.0, code(r.code)),
        Frame::Settings(st) => {
            let mut s = "frames::settings()".to_string();
            for &(id, v) in &st.params {
                s.push_str(&format!(".set({}, {v})", setting(id)));
            }
            if st.ack {
                s.push_str(".ack()");
            }
            s
        }
        Frame::PushPromise(p) if p.end_headers && p.padding.is_none() => {
            format!("frames::push_promise({}, {}).block({})", p.stream_id.0, p.promised_id.0, hexs(&p.block))
        }
        Frame::Ping(p) => format!("frames::ping({}){}", ping_payload(&p.payload), if p.ack { ".ack()" } else { "" }),
        Frame::GoAway(g) => {
            let mut s = format!("frames::goaway({}, {})", g.last_stream_id.0, code(g.code));
            if !g.debug_data.is_empty() {
                s.push_str(&format!(".debug({})", hexs(&g.debug_data)));
            }
            s
        }
        Frame::WindowUpdate(w) => format!("frames::window_update({}, {})", w.stream_id.0, w.increment),
        Frame::Continuation(c) => format!(
            "frames::continuation({}, {}){}",
            c.stream_id.0,
            hexs(&c.block),
            if c.end_headers { ".end_headers()" } else { "" }
        ),
        Frame::PriorityUpdate(p) => match std::str::from_utf8(&p.field_value) {
            Ok(v) => format!("frames::priority_update({}, {v:?})", p.prioritized_id.0),
            Err(_) => return None,
        },
        Frame::Unknown(u) if u.flags == 0 => format!("frames::unknown(0x{:02x}, {}, {})", u.kind.0, u.stream_id.0, hexs(&u.payload)),
        _ => return None,
    })
}

fn ping_payload(p: &[u8; 8]) -> String {
    if p.iter().all(|b| b.is_ascii_alphanumeric() || b"!-_.".contains(b)) {
        format!("*b\"{}\"", String::from_utf8_lossy(p))
    } else {
        format!("0x{}u64.to_be_bytes()", hex(p))
    }
}

fn dsl_raw(r: &RawFrame) -> String {
    let kind = match r.kind.name() {
        Some(n) => format!("FrameType::{n}"),
        None => format!("FrameType(0x{:02x})", r.kind.0),
    };
    let mut s = format!("frames::raw({kind})");
    if r.flags != 0 {
        s.push_str(&format!(".flags(0x{:02x})", r.flags));
    }
    if r.stream_id.0 != 0 {
        s.push_str(&format!(".stream({})", r.stream_id.0));
    }
    if r.reserved {
        s.push_str(".reserved()");
    }
    if let Some(l) = r.length {
        s.push_str(&format!(".len({l})"));
    }
    if !r.payload.is_empty() {
        s.push_str(&format!(".payload(hex(\"{}\"))", hex(&r.payload)));
    }
    s
}

/// How an input's octets end, as the server's frame reader sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// On a frame boundary with no field block open: a PING sent next is a frame of its own.
    Aligned,
    /// Inside a frame (a length that claims more than follows): a PING would be swallowed.
    MidFrame,
    /// After a HEADERS or PUSH_PROMISE without END_HEADERS whose block was not finished: a
    /// PING would itself be a connection error (§6.10).
    OpenBlock,
}

/// A fuzz input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Input {
    /// What is sent, in order.
    pub units: Vec<Unit>,
    /// Offsets into the octets where a new write begins; empty for one write.
    pub cuts: Vec<usize>,
}

impl Input {
    /// An input of `units` sent in one write.
    pub fn new(units: Vec<Unit>) -> Input {
        Input { units, cuts: Vec::new() }
    }

    /// All octets, in order.
    pub fn octets(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for u in &self.units {
            v.extend_from_slice(&u.to_bytes());
        }
        v
    }

    /// The frame types in order: what findings of the crash, hang and resource oracles are
    /// told apart by, since those have no code or rule of their own.
    pub fn shape(&self) -> Vec<String> {
        self.units.iter().map(Unit::kind_name).collect()
    }

    /// Whether `pattern`'s frames appear in this input in order, with the same types, and on
    /// streams related as in the pattern (units on one stream there are on one stream here):
    /// how a campaign recognises a known crash in a new input. Bounded backtracking.
    pub fn contains(&self, pattern: &Input) -> bool {
        let key = |u: &Unit| u.head().map(|h| (h.kind, h.stream_id.0));
        let hay: Vec<Option<(FrameType, u32)>> = self.units.iter().map(key).collect();
        let pat: Vec<Option<(FrameType, u32)>> = pattern.units.iter().map(key).collect();
        let mut budget = 100_000u32;
        fn search(hay: &[Option<(FrameType, u32)>], pat: &[Option<(FrameType, u32)>], from: usize, map: &mut Vec<(u32, u32)>, budget: &mut u32) -> bool {
            let Some((first, rest)) = pat.split_first() else { return true };
            for i in from..hay.len() {
                if *budget == 0 {
                    return false;
                }
                *budget -= 1;
                match (first, hay[i]) {
                    (None, None) if search(hay, rest, i + 1, map, budget) => return true,
                    (None, None) => {}
                    (Some((k, s)), Some((hk, hs))) if *k == hk => {
                        let known = map.iter().find(|(p, _)| p == s).map(|(_, h)| *h);
                        if known.is_some_and(|h| h != hs) {
                            continue;
                        }
                        if known.is_none() {
                            map.push((*s, hs));
                        }
                        if search(hay, rest, i + 1, map, budget) {
                            return true;
                        }
                        if known.is_none() {
                            map.pop();
                        }
                    }
                    _ => {}
                }
            }
            false
        }
        search(&hay, &pat, 0, &mut Vec::new(), &mut budget)
    }

    /// The first `n` units, with the cut points that fall inside them.
    pub fn truncated(&self, n: usize) -> Input {
        let units: Vec<Unit> = self.units.iter().take(n).cloned().collect();
        let len: usize = units.iter().map(|u| u.to_bytes().len()).sum();
        Input { cuts: self.cuts.iter().copied().filter(|&c| c < len).collect(), units }
    }

    /// What the connection driver sends.
    pub fn outgoing(&self) -> Vec<Outgoing> {
        self.units.iter().map(Unit::to_outgoing).collect()
    }

    /// The cut points that fall inside the octets, ascending and distinct.
    pub fn effective_cuts(&self) -> Vec<usize> {
        let len: usize = self.units.iter().map(|u| u.to_bytes().len()).sum();
        let mut c: Vec<usize> = self.cuts.iter().copied().filter(|&c| c > 0 && c < len).collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// How the octets end for the server's frame reader.
    pub fn ending(&self) -> Ending {
        let bytes = self.octets();
        let mut at = 0;
        let mut open = false;
        while at < bytes.len() {
            let Some(h) = Head::parse(&bytes[at..]) else { return Ending::MidFrame };
            let end = at + HEAD_LEN + h.length as usize;
            if end > bytes.len() {
                return Ending::MidFrame;
            }
            match h.kind {
                FrameType::HEADERS | FrameType::PUSH_PROMISE => open = !h.has(frame::flags::END_HEADERS),
                FrameType::CONTINUATION if open => open = !h.has(frame::flags::END_HEADERS),
                _ => {}
            }
            at = end;
        }
        if open {
            Ending::OpenBlock
        } else {
            Ending::Aligned
        }
    }

    /// The input within its bounds ([`MAX_UNITS`], [`MAX_OCTETS`], [`MAX_CUTS`]), with the
    /// fence's payload out of its own PINGs: what every generator and mutator returns.
    pub fn bounded(mut self) -> Input {
        self.units.truncate(MAX_UNITS);
        let mut total = 0;
        let mut keep = 0;
        for u in &self.units {
            total += u.to_bytes().len();
            if total > MAX_OCTETS {
                break;
            }
            keep += 1;
        }
        self.units.truncate(keep);
        self.units = std::mem::take(&mut self.units).into_iter().map(Unit::without_fence).collect();
        self.cuts = self.effective_cuts();
        self.cuts.truncate(MAX_CUTS);
        self
    }

    /// Every unit in its most readable form for the same octets ([`Unit::from_octets`]).
    pub fn normalised(self) -> Input {
        let units = self.units.iter().map(|u| Unit::from_octets(&u.to_bytes())).collect();
        Input { units, cuts: self.cuts }
    }

    /// The serialisable form.
    pub fn to_file(&self) -> InputFile {
        InputFile {
            frames: self
                .units
                .iter()
                .map(|u| UnitFile { frame: u.describe(), dsl: u.dsl(), hex: hex(&u.to_bytes()) })
                .collect(),
            writes: self.effective_cuts(),
        }
    }

    /// Back from the serialisable form: each unit from its octets.
    pub fn from_file(f: &InputFile) -> Result<Input, String> {
        let mut units = Vec::with_capacity(f.frames.len());
        for (i, u) in f.frames.iter().enumerate() {
            let bytes = unhex(&u.hex).ok_or_else(|| format!("frame {}: \"hex\" is not an even number of hex digits", i + 1))?;
            units.push(Unit::from_octets(&bytes));
        }
        Ok(Input { units, cuts: f.writes.clone() }.bounded())
    }
}

/// One unit in a file: the octets, and two readings of them for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFile {
    /// The transcript line (`PING stream=1 payload=…`).
    pub frame: String,
    /// The frames-DSL expression (`frames::raw(FrameType::PING).stream(1)…`).
    pub dsl: String,
    /// The octets, lower-case hex: what is sent.
    pub hex: String,
}

/// An input in a file (reproducers, the corpus directory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InputFile {
    /// The units in order.
    pub frames: Vec<UnitFile>,
    /// Offsets into the concatenated octets where a new write begins; empty for one write.
    #[serde(default)]
    pub writes: Vec<usize>,
}

/// Lower-case or upper-case hex to octets; whitespace is ignored.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let d = |c: u8| (c as char).to_digit(16);
            Some((d(p[0])? * 16 + d(p[1])?) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frames;

    fn sample() -> Input {
        Input {
            units: vec![
                Unit::Frame(frames::headers(1).request("GET", "/").end_stream().build()),
                Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([1; 8]).build()),
                Unit::Bytes(vec![0, 0]),
            ],
            cuts: vec![3, 3, 1, 10_000],
        }
    }

    #[test]
    fn a_file_round_trips_the_octets_and_the_cuts() {
        let i = sample();
        let f = i.to_file();
        let json = serde_json::to_string(&f).expect("serialises");
        let back = Input::from_file(&serde_json::from_str(&json).expect("parses")).expect("loads");
        assert_eq!(back.octets(), i.octets());
        assert_eq!(back.effective_cuts(), vec![1, 3]);
        assert!(matches!(back.units[0], Unit::Frame(Frame::Headers(_))));
        assert!(matches!(back.units[1], Unit::Raw(_)), "a PING on stream 1 does not decode: raw");
    }

    #[test]
    fn the_most_readable_unit_keeps_the_octets() {
        let lying = frames::raw(FrameType::DATA).stream(1).len(100).payload([0; 4]).build();
        assert!(matches!(Unit::from_octets(&lying.to_bytes()), Unit::Raw(r) if r.length == Some(100)));
        let two = [frames::ping([0; 8]).build().to_bytes(), frames::ping([1; 8]).build().to_bytes()].concat();
        assert!(matches!(Unit::from_octets(&two), Unit::Bytes(_)));
        assert!(matches!(Unit::from_octets(&[1, 2]), Unit::Bytes(_)));
    }

    #[test]
    fn endings_follow_the_servers_frame_reader() {
        assert_eq!(Input::new(vec![Unit::Frame(frames::ping([0; 8]).build())]).ending(), Ending::Aligned);
        let open = frames::headers(1).request("GET", "/").no_end_headers().build();
        assert_eq!(Input::new(vec![Unit::Frame(open.clone())]).ending(), Ending::OpenBlock);
        let closed = frames::continuation(1, vec![]).end_headers().build();
        assert_eq!(Input::new(vec![Unit::Frame(open), Unit::Frame(closed)]).ending(), Ending::Aligned);
        let lying = frames::raw(FrameType::PING).len(9).payload([0; 8]).build();
        assert_eq!(Input::new(vec![Unit::Raw(lying)]).ending(), Ending::MidFrame);
    }

    #[test]
    fn a_pattern_is_found_on_related_streams_only() {
        let f = |f: Frame| Unit::Frame(f);
        let pattern = Input::new(vec![
            f(frames::headers(1).build()),
            f(frames::rst_stream(1, ErrorCode::CANCEL)),
            f(frames::data(1, vec![]).build()),
        ]);
        let on3 = Input::new(vec![
            f(frames::ping([0; 8]).build()),
            f(frames::headers(3).build()),
            f(frames::rst_stream(5, ErrorCode::CANCEL)),
            f(frames::rst_stream(3, ErrorCode::CANCEL)),
            f(frames::data(3, vec![1]).build()),
        ]);
        assert!(on3.contains(&pattern), "the same frames on stream 3");
        let mixed = Input::new(vec![f(frames::headers(1).build()), f(frames::rst_stream(3, ErrorCode::CANCEL)), f(frames::data(1, vec![]).build())]);
        assert!(!mixed.contains(&pattern), "the reset is on another stream");
        assert!(on3.contains(&Input::default()));
        assert_eq!(on3.truncated(2).units.len(), 2);
    }

    #[test]
    fn inputs_never_carry_the_fence() {
        let i = Input::new(vec![Unit::Frame(frames::ping(FENCE).build())]).bounded();
        assert!(matches!(&i.units[0], Unit::Frame(Frame::Ping(p)) if p.payload == NOT_FENCE));
    }

    #[test]
    fn the_dsl_reads_like_the_builders() {
        let i = sample();
        assert!(i.units[0].dsl().starts_with("frames::headers(1).block(hex(\""), "{}", i.units[0].dsl());
        assert_eq!(i.units[1].dsl(), "frames::raw(FrameType::PING).stream(1).payload(hex(\"0101010101010101\"))");
        assert_eq!(Unit::Frame(frames::rst_stream(3, ErrorCode::CANCEL)).dsl(), "frames::rst_stream(3, ErrorCode::CANCEL)");
        assert_eq!(unhex("0aFF"), Some(vec![10, 255]));
        assert_eq!(unhex("abc"), None);
    }
}
