//! Transcript lines for what h2probe sends, with the header fields of its field blocks
//! decoded, as `nghttp -v` prints them.
//!
//! A case that sends a malformed field (a leading space in a value, an upper-case name, a
//! connection-specific header) fails or passes on that one field, so the transcript has to
//! show it: a block size alone says nothing. The blocks are decoded by a decoder of their
//! own that mirrors the server's decoder of our blocks, fed every block in the order sent,
//! so dynamic-table references (RFC 7541 cases) resolve to what the server sees. Our blocks
//! may be broken on purpose; a block that does not decode is shown in hex with the reason.
//!
//! Everything here is text for people: no verdict depends on it.

use crate::conn::Outgoing;
use h2probe_codec::frame::{flags, Frame, RawFrame};
use h2probe_codec::hpack::{self, DecoderLimits, HeaderField};
use h2probe_codec::{FrameType, StreamId};
use std::fmt::Write;

/// Fields listed per block; the rest are counted (the header-list-size cases send
/// thousands, and the transcript is for reading).
const MAX_FIELDS_SHOWN: usize = 40;
/// Octets of a name or value shown before it is cut (with its length).
const MAX_STRING_SHOWN: usize = 200;
/// Octets shown in hex of a block that does not decode, or of a raw frame's payload.
const MAX_HEX_SHOWN: usize = 48;
/// The size our mirror decoder accepts for a dynamic table size update: far above any
/// server's SETTINGS_HEADER_TABLE_SIZE, so a deliberately oversized update is shown
/// rather than refused (the server's verdict on it is the case's business).
const MIRROR_TABLE_LIMIT: usize = 1 << 24;

/// A field block being sent in pieces: HEADERS or PUSH_PROMISE without END_HEADERS, then
/// CONTINUATION frames.
#[derive(Debug)]
struct OpenBlock {
    stream: StreamId,
    block: Vec<u8>,
    continuations: usize,
}

/// Describes outgoing frames for the transcript, one connection's worth, in order.
#[derive(Debug)]
pub struct Describer {
    hpack: hpack::Decoder,
    open: Option<OpenBlock>,
    /// Field blocks sent without a transcript line (a flood's batch): the mirror's table
    /// may differ from the server's after them.
    unseen_blocks: usize,
}

impl Default for Describer {
    fn default() -> Self {
        Describer::new()
    }
}

/// The parts of a frame that carry (a fragment of) a field block.
struct Fragment<'a> {
    kind: FrameType,
    stream: StreamId,
    end_headers: bool,
    block: &'a [u8],
}

impl Describer {
    /// A describer for a fresh connection (empty dynamic table of 4 096 octets).
    pub fn new() -> Describer {
        let mut hpack = hpack::Decoder::with_limits(DecoderLimits::default());
        hpack.set_max_table_size(MIRROR_TABLE_LIMIT);
        Describer { hpack, open: None, unseen_blocks: 0 }
    }

    /// The transcript text of one thing sent: the frame's own line, then (indented by two
    /// spaces, one per line) the header fields of a field block it completes, or the
    /// payload in hex for a raw frame.
    pub fn describe(&mut self, out: &Outgoing) -> String {
        let mut text = out.describe();
        match out {
            Outgoing::Frame(f) => {
                if let Some(fragment) = typed_fragment(f) {
                    self.fragment(&fragment, &mut text);
                } else {
                    self.interrupted();
                }
            }
            Outgoing::Raw(r) => self.raw(r, &mut text),
            Outgoing::Bytes(..) => self.interrupted(),
        }
        text
    }

    /// Notes things sent without a transcript line (`Conn::send_quiet`): when they carry
    /// field blocks, later blocks may decode differently for the server than here.
    pub fn unseen(&mut self, outs: &[Outgoing]) {
        let blocks = outs
            .iter()
            .filter(|o| match o {
                Outgoing::Frame(f) => typed_fragment(f).is_some(),
                Outgoing::Raw(r) => carries_block(r.kind),
                Outgoing::Bytes(..) => false,
            })
            .count();
        self.unseen_blocks += blocks;
        if blocks > 0 {
            self.open = None;
        }
    }

    /// Something other than a CONTINUATION was sent: an open block is abandoned (the
    /// server must treat that as a connection error; §6.10), so it is never decoded.
    fn interrupted(&mut self) {
        self.open = None;
    }

    fn raw(&mut self, r: &RawFrame, text: &mut String) {
        let lies = r.length.is_some_and(|l| l as usize != r.payload.len());
        if !r.payload.is_empty() {
            let _ = write!(text, "\n  payload: {}", hex_preview(&r.payload));
        }
        if !carries_block(r.kind) {
            self.interrupted();
            return;
        }
        if lies {
            text.push_str("\n  (the length field does not match the payload: its field block is not decoded)");
            self.interrupted();
            return;
        }
        match raw_fragment(r) {
            Ok(fragment) => self.fragment(&fragment, text),
            Err(why) => {
                let _ = write!(text, "\n  (no field block: {why})");
                self.interrupted();
            }
        }
    }

    fn fragment(&mut self, fragment: &Fragment<'_>, text: &mut String) {
        let block = if fragment.kind == FrameType::CONTINUATION {
            match self.open.as_mut() {
                Some(open) if open.stream == fragment.stream => {
                    open.block.extend_from_slice(fragment.block);
                    open.continuations += 1;
                }
                Some(open) => {
                    let _ = write!(text, "\n  (a field block of stream {} is open: this fragment is not part of it)", open.stream);
                    return;
                }
                None => {
                    text.push_str("\n  (no field block is open: this fragment is not decoded)");
                    return;
                }
            }
            if !fragment.end_headers {
                return;
            }
            match self.open.take() {
                Some(open) => {
                    let _ = write!(
                        text,
                        "\n  field block of HEADERS + {} CONTINUATION, {} octets:",
                        open.continuations,
                        open.block.len()
                    );
                    open.block
                }
                None => return,
            }
        } else {
            if !fragment.end_headers {
                self.open = Some(OpenBlock { stream: fragment.stream, block: fragment.block.to_vec(), continuations: 0 });
                text.push_str("\n  (field block continues in CONTINUATION)");
                return;
            }
            self.open = None;
            fragment.block.to_vec()
        };
        self.decode(&block, text);
    }

    fn decode(&mut self, block: &[u8], text: &mut String) {
        let mut fields: Vec<HeaderField> = Vec::new();
        let mut total = 0usize;
        let result = self.hpack.decode_with(block, |f| {
            total += 1;
            if fields.len() < MAX_FIELDS_SHOWN {
                fields.push(f);
            }
        });
        if let Some(size) = self.hpack.last_block_started_with_size_update() {
            let _ = write!(text, "\n  (dynamic table size update: {size})");
        }
        for f in &fields {
            let _ = write!(text, "\n  {}", field_text(f));
        }
        if total > fields.len() {
            let _ = write!(text, "\n  … {} more fields", total - fields.len());
        }
        match result {
            Ok(()) if total == 0 && block.is_empty() => text.push_str("\n  (empty field block)"),
            Ok(()) => {}
            Err(e) => {
                let _ = write!(text, "\n  (the block does not decode: {e}; {} octets: {})", block.len(), hex_preview(block));
            }
        }
        if self.unseen_blocks > 0 {
            let _ = write!(
                text,
                "\n  (decoded after {} field blocks sent without a transcript line: dynamic-table references may differ)",
                self.unseen_blocks
            );
        }
    }
}

/// Whether frames of `kind` carry a field block fragment.
fn carries_block(kind: FrameType) -> bool {
    matches!(kind, FrameType::HEADERS | FrameType::PUSH_PROMISE | FrameType::CONTINUATION)
}

fn typed_fragment(f: &Frame) -> Option<Fragment<'_>> {
    Some(match f {
        Frame::Headers(h) => Fragment { kind: FrameType::HEADERS, stream: h.stream_id, end_headers: h.end_headers, block: &h.block },
        Frame::PushPromise(p) => {
            Fragment { kind: FrameType::PUSH_PROMISE, stream: p.stream_id, end_headers: p.end_headers, block: &p.block }
        }
        Frame::Continuation(c) => {
            Fragment { kind: FrameType::CONTINUATION, stream: c.stream_id, end_headers: c.end_headers, block: &c.block }
        }
        _ => return None,
    })
}

/// The field block fragment of a raw HEADERS, PUSH_PROMISE or CONTINUATION, read leniently
/// (any stream, any undefined flags): what a server that accepted the frame would decode.
fn raw_fragment(r: &RawFrame) -> Result<Fragment<'_>, &'static str> {
    let mut payload = r.payload.as_slice();
    let mut pad = 0usize;
    if r.kind != FrameType::CONTINUATION && r.flags & flags::PADDED != 0 {
        let (&len, rest) = payload.split_first().ok_or("PADDED without a Pad Length octet")?;
        pad = len as usize;
        payload = rest;
    }
    let skip = match r.kind {
        FrameType::HEADERS if r.flags & flags::PRIORITY != 0 => 5,
        FrameType::PUSH_PROMISE => 4,
        _ => 0,
    };
    payload = payload.get(skip..).ok_or("the payload is shorter than its fixed fields")?;
    let block = payload.get(..payload.len().checked_sub(pad).ok_or("the padding is longer than the payload")?).unwrap_or_default();
    Ok(Fragment { kind: r.kind, stream: r.stream_id, end_headers: r.flags & flags::END_HEADERS != 0, block })
}

/// `name: value`, each escaped (see [`escape_octets`]); the value in quotes when it is
/// empty or starts or ends with white space, so a leading space is seen.
pub fn field_text(f: &HeaderField) -> String {
    let value = &f.value;
    let quote = value.is_empty() || [value.first(), value.last()].into_iter().flatten().any(|&b| b == b' ' || b == b'\t');
    let mut s = escape_octets(&f.name, false);
    s.push_str(": ");
    if quote {
        s.push('"');
    }
    s.push_str(&escape_octets(value, quote));
    if quote {
        s.push('"');
    }
    if f.never_indexed {
        s.push_str("  (never indexed)");
    }
    s
}

/// Octets as text: printable ASCII as itself, `\\` doubled, `\t` `\r` `\n` named, anything
/// else (control octets, DEL, octets above 0x7f) as `\xNN`; with `quoted`, `"` as `\"`.
/// Cut after [`MAX_STRING_SHOWN`] octets, with the full length said.
pub fn escape_octets(bytes: &[u8], quoted: bool) -> String {
    let shown = &bytes[..bytes.len().min(MAX_STRING_SHOWN)];
    let mut s = String::with_capacity(shown.len() + 8);
    for &b in shown {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'"' if quoted => s.push_str("\\\""),
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\x{b:02x}");
            }
        }
    }
    if bytes.len() > shown.len() {
        let _ = write!(s, "… ({} octets)", bytes.len());
    }
    s
}

/// Space-separated hex of the first [`MAX_HEX_SHOWN`] octets, then how many more.
fn hex_preview(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(MAX_HEX_SHOWN)];
    let mut s = shown.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
    if bytes.len() > shown.len() {
        let _ = write!(s, " … ({} more)", bytes.len() - shown.len());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frames;
    use h2probe_codec::hpack::{Encoder, Representation};

    fn describe(d: &mut Describer, o: impl Into<Outgoing>) -> String {
        d.describe(&o.into())
    }

    #[test]
    fn a_request_lists_its_fields_and_shows_a_leading_space() {
        let mut d = Describer::new();
        let text = describe(&mut d, frames::headers(1).request("GET", "/").field("x-bad", " lead").end_stream());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("HEADERS stream=1 len=0x"), "{text}");
        assert_eq!(&lines[1..], ["  :method: GET", "  :scheme: http", "  :path: /", "  :authority: localhost", "  x-bad: \" lead\""]);
    }

    #[test]
    fn invalid_octets_are_escaped_never_raw() {
        let mut d = Describer::new();
        let text = describe(&mut d, frames::headers(1).field("X-Up", "a\x1b[2J\r\nb\0\u{7f}\\").field("empty", ""));
        assert!(text.contains("  X-Up: a\\x1b[2J\\r\\nb\\x00\\x7f\\\\"), "{text}");
        assert!(text.contains("  empty: \"\""), "{text}");
        assert!(!text.contains('\x1b') && !text.contains('\0') && !text.contains('\r'));
        assert_eq!(text.lines().count(), 3, "the frame, then one line per field:\n{text}");
    }

    #[test]
    fn a_split_block_is_decoded_when_it_ends() {
        let mut d = Describer::new();
        let frames = frames::headers(3).request("POST", "/x").field("a", "b".repeat(30)).build_split(8);
        let texts: Vec<String> = frames.into_iter().map(|f| describe(&mut d, f)).collect();
        assert!(texts[0].contains("(field block continues in CONTINUATION)"));
        let last = texts.last().expect("frames");
        assert!(last.contains(&format!("field block of HEADERS + {} CONTINUATION", texts.len() - 1)), "{last}");
        assert!(last.contains("  :path: /x") && last.contains(&format!("  a: {}", "b".repeat(30))), "{last}");
    }

    #[test]
    fn dynamic_table_references_resolve_across_blocks() {
        let mut enc = Encoder::new();
        let mut d = Describer::new();
        let first = frames::headers(1).request("GET", "/").field("x-kept", "v1").build_with(&mut enc);
        let second = frames::headers(3).request("GET", "/").field("x-kept", "v1").build_with(&mut enc);
        describe(&mut d, first);
        let text = describe(&mut d, second);
        assert!(text.contains("  x-kept: v1") && !text.contains("does not decode"), "{text}");
    }

    #[test]
    fn a_broken_block_is_shown_in_hex_with_the_reason() {
        let mut block = Vec::new();
        Encoder::new().encode_repr(&Representation::Indexed(0), &mut block);
        let mut d = Describer::new();
        let text = describe(&mut d, frames::headers(1).block(block));
        assert!(text.contains("(the block does not decode: ") && text.contains("1 octets: 80)"), "{text}");
    }

    #[test]
    fn raw_frames_show_their_payload_and_padded_blocks_decode() {
        let mut block = Vec::new();
        hpack::encode_stateless(&[HeaderField::new(":method", "GET")], &mut block);
        let mut payload = vec![2];
        payload.extend_from_slice(&block);
        payload.extend_from_slice(&[0, 0]);
        let raw = frames::raw(FrameType::HEADERS).stream(0).flags(flags::PADDED | flags::END_HEADERS).payload(payload);
        let text = Describer::new().describe(&raw.into());
        assert!(text.contains("\n  payload: 02 82 00 00") && text.contains("\n  :method: GET"), "{text}");
        let lying = frames::raw(FrameType::HEADERS).stream(1).len(100).flags(flags::END_HEADERS).payload(block);
        let text = Describer::new().describe(&lying.into());
        assert!(text.contains("the length field does not match the payload"), "{text}");
    }

    #[test]
    fn a_stray_continuation_and_quiet_blocks_are_said() {
        let mut d = Describer::new();
        let text = describe(&mut d, frames::continuation(1, vec![0x82]).end_headers());
        assert!(text.contains("no field block is open"), "{text}");
        d.unseen(&[frames::headers(1).request("GET", "/").into()]);
        let text = describe(&mut d, frames::headers(3).request("GET", "/"));
        assert!(text.contains("sent without a transcript line"), "{text}");
    }

    #[test]
    fn long_lists_and_values_are_cut_with_their_size() {
        let mut d = Describer::new();
        let many: Vec<(String, String)> = (0..100).map(|i| (format!("x-{i}"), "v".into())).collect();
        let text = describe(&mut d, frames::headers(1).fields(many).field("long", "y".repeat(300)));
        assert!(text.contains("… 61 more fields"), "{text}");
        let text = describe(&mut Describer::new(), frames::headers(1).field("long", "y".repeat(300)));
        assert!(text.contains("… (300 octets)"), "{text}");
    }
}
