//! The oracles: what makes an input's outcome a finding, and the signature that tells one
//! finding from another.
//!
//! - **crash**: the server stopped accepting connections, or its process exited;
//! - **hang**: a connection neither answered the PING after the input nor closed, within the
//!   deadline, or a fresh connection's GET got no answer;
//! - **resource**: a local server's memory (RSS) or CPU time grew with the input, measured
//!   by repeating it ([`crate::process`]);
//! - **spec**: the input breaks a rule the codec names ([`first_violation`]: a
//!   [`FrameError`] with its [`FrameError::consequence`], or an HPACK decoding error) and the
//!   judge, given that rule's expectation, fails the server's reaction;
//! - **server-output**: a passive check of the server's own frames failed on the connection;
//! - **differential**: the same input got reactions of different classes from the servers of
//!   `--targets`.
//!
//! The spec oracle is conservative on purpose: it judges only the first violation of the
//! input, only when every frame before it is one a server must process normally (no GOAWAY
//! of ours, no unfinished field block, no rule the codec cannot name), and, for a stream
//! error, only on a stream that is idle or open, where RFC 9113 leaves no choice.

use crate::conn::ServerSettings;
use crate::expectation::Expectation;
use h2probe_codec::frame::{Consequence, Frame, FrameDecoder, FrameError, HEAD_LEN};
use h2probe_codec::hpack::{self, HeaderField, HpackError};
use h2probe_codec::{ErrorCode, FrameType, SettingId};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::input::Input;

/// Which oracle fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oracle {
    /// The server stopped accepting connections or its process exited.
    Crash,
    /// No answer and no close within the deadline.
    Hang,
    /// Resident memory grew with each repetition of the input.
    ResourceRss,
    /// CPU time per repetition of the input above the limit.
    ResourceCpu,
    /// The judge failed the server's reaction to a rule the input breaks.
    Spec,
    /// A passive check of the server's own output failed.
    ServerOutput,
    /// Servers reacted in different classes.
    Differential,
}

impl Oracle {
    /// The name used in signatures, file names and output.
    pub fn name(self) -> &'static str {
        match self {
            Oracle::Crash => "crash",
            Oracle::Hang => "hang",
            Oracle::ResourceRss => "resource-rss",
            Oracle::ResourceCpu => "resource-cpu",
            Oracle::Spec => "spec",
            Oracle::ServerOutput => "server-output",
            Oracle::Differential => "differential",
        }
    }

    /// Every oracle, for `--help` and summaries.
    pub const ALL: &'static [Oracle] = &[
        Oracle::Crash,
        Oracle::Hang,
        Oracle::ResourceRss,
        Oracle::ResourceCpu,
        Oracle::Spec,
        Oracle::ServerOutput,
        Oracle::Differential,
    ];
}

impl std::fmt::Display for Oracle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule the input breaks, as the codec names it, and what the judge expects for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Index of the unit the offending frame starts in (for a field block, the unit of the
    /// frame that completes it).
    pub unit: usize,
    /// Index of the unit where the offending frame or field block begins: the units before
    /// it are the context the server must accept.
    pub first_unit: usize,
    /// The stream of the offending frame (0 for the connection).
    pub stream: u32,
    /// A stable id of the rule: `frame/stream-id-non-zero/PING`, `hpack/index-zero`.
    pub rule: String,
    /// The codec's description of what is wrong.
    pub what: String,
    /// RFC and section.
    pub section: &'static str,
    /// The requirement, quoted.
    pub requirement: &'static str,
    /// What the judge demands.
    pub expectation: Expectation,
}

/// State of a stream as the classifier follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Open,
    /// We sent END_STREAM: the server may have finished and closed it.
    HalfClosed,
    /// We reset it, or a higher stream opened before it was used (§5.1.1).
    Closed,
}

/// The streams of the connection as our frames leave them (RFC 9113 §5.1).
#[derive(Debug, Default)]
struct States {
    streams: HashMap<u32, Stream>,
    /// The highest stream a HEADERS of ours opened.
    max_opened: u32,
    /// Streams whose request is malformed: the server may reset them at any moment (before
    /// or after the PING fence), and then ignores what follows on them (§5.1).
    malformed: HashSet<u32>,
}

impl States {
    /// `None` while idle.
    fn state(&self, id: u32) -> Option<Stream> {
        match self.streams.get(&id) {
            Some(s) => Some(*s),
            // "The first use of a new stream identifier implicitly closes all streams in the
            // idle state that might have been initiated by that peer with a lower-valued
            // stream identifier." (§5.1.1)
            None if id % 2 == 1 && id < self.max_opened => Some(Stream::Closed),
            None => None,
        }
    }

    /// Whether a frame of `kind` on stream `id` breaks a stream-state rule of §5.1 that the
    /// codec does not name (DATA on a stream we ended, a new stream with a lower id, a
    /// WINDOW_UPDATE on an idle stream …): from there on, what a server does is its reading.
    fn forbids(&self, kind: FrameType, flags: u8, id: u32) -> bool {
        if id == 0 {
            return false;
        }
        if self.malformed.contains(&id) {
            return true;
        }
        let state = self.state(id);
        match kind {
            FrameType::HEADERS => match state {
                None => id % 2 == 0 || id <= self.max_opened,
                // Trailers carry END_STREAM (§8.1): a second HEADERS without it is malformed.
                Some(Stream::Open) => flags & 0x1 == 0,
                Some(_) => true,
            },
            FrameType::DATA => state != Some(Stream::Open),
            FrameType::WINDOW_UPDATE | FrameType::RST_STREAM => state.is_none(),
            FrameType::PUSH_PROMISE => true,
            _ => false,
        }
    }

    fn open(&mut self, id: u32, end_stream: bool, fields: &[HeaderField]) {
        if !self.streams.contains_key(&id) {
            self.max_opened = self.max_opened.max(id);
            if crate::checker::malformed_request(fields).is_some() {
                self.malformed.insert(id);
            }
        }
        let s = self.streams.entry(id).or_insert(Stream::Open);
        if end_stream && *s == Stream::Open {
            *s = Stream::HalfClosed;
        }
    }
}

/// The first rule the input breaks that the codec can name and a server has no choice
/// about, given the server's SETTINGS (its frame size limit and HPACK table size), or
/// `None` when there is none, or when something before it makes the server's reaction a
/// matter of reading (see the module documentation).
pub fn first_violation(input: &Input, server: &ServerSettings) -> Option<Violation> {
    let bytes = input.octets();
    // The unit each octet offset starts in.
    let mut starts = Vec::with_capacity(input.units.len());
    let mut at = 0;
    for u in &input.units {
        starts.push(at);
        at += u.to_bytes().len();
    }
    let unit_at = |offset: usize| starts.iter().rposition(|&s| s <= offset).unwrap_or(0);
    let decoder = FrameDecoder::new().with_max_frame_size(server.max_frame_size());
    let mut hpack = hpack::Decoder::new();
    hpack.set_max_table_size(server.get(SettingId::HEADER_TABLE_SIZE).unwrap_or(4096) as usize);
    let mut states = States::default();
    // An unfinished field block: its stream, END_STREAM, fragments so far, first unit.
    let mut block: Option<(u32, bool, Vec<u8>, usize)> = None;
    let mut offset = 0;
    while offset < bytes.len() {
        let unit = unit_at(offset);
        let (head, payload) = match decoder.next_raw(&bytes[offset..]) {
            Ok(Some(hp)) => hp,
            Ok(None) => return None,
            Err(e) => {
                let head = h2probe_codec::frame::Head::parse(&bytes[offset..])?;
                if block.is_some() || states.forbids(head.kind, head.flags, head.stream_id.0) {
                    return None;
                }
                return frame_violation(&e, &head, None, unit, &states);
            }
        };
        offset += HEAD_LEN + payload.len();
        // §6.10: nothing but CONTINUATION on the same stream inside a field block (a rule
        // the codec does not name: the reaction to it is not this oracle's to judge).
        match (&block, head.kind) {
            (Some((s, _, _, _)), FrameType::CONTINUATION) if *s == head.stream_id.0 => {}
            (Some(_), _) | (None, FrameType::CONTINUATION) => return None,
            _ => {}
        }
        if states.forbids(head.kind, head.flags, head.stream_id.0) {
            return None;
        }
        let frame = match Frame::decode(&head, payload) {
            Ok(f) => f,
            // Two errors in one frame, one the codec does not name: which a server reports
            // is its choice.
            Err(_) if self_dependent_octets(&head, payload) => return None,
            Err(e) => return frame_violation(&e, &head, Some(payload), unit, &states),
        };
        // RFC 9113 §5.3.1: a stream that depends on itself is a stream error the codec does
        // not name; servers differ in what else they then skip.
        let self_dependent = match &frame {
            Frame::Priority(p) => p.spec.dependency == p.stream_id,
            Frame::Headers(h) => h.priority.is_some_and(|p| p.dependency == h.stream_id),
            _ => false,
        };
        if self_dependent {
            return None;
        }
        match frame {
            Frame::Headers(h) => {
                let id = h.stream_id.0;
                if h.end_headers {
                    let fields = match field_block(&mut hpack, &h.block, unit, unit, id) {
                        Ok(f) => f,
                        Err(v) => return v.map(|v| *v),
                    };
                    states.open(id, h.end_stream, &fields);
                } else {
                    // An empty fragment before the last is valid, but nginx and HAProxy end
                    // the connection with FRAME_SIZE_ERROR for it: whatever follows in the
                    // block is not the reaction's only cause.
                    if h.block.is_empty() {
                        return None;
                    }
                    block = Some((id, h.end_stream, h.block, unit));
                }
            }
            Frame::Continuation(c) => {
                if let Some((id, end_stream, mut b, first)) = block.take() {
                    if c.block.is_empty() && !c.end_headers {
                        return None;
                    }
                    b.extend_from_slice(&c.block);
                    if c.end_headers {
                        let fields = match field_block(&mut hpack, &b, unit, first, id) {
                            Ok(f) => f,
                            Err(v) => return v.map(|v| *v),
                        };
                        states.open(id, end_stream, &fields);
                    } else {
                        block = Some((id, end_stream, b, first));
                    }
                }
            }
            // A client's PUSH_PROMISE (§8.4) and our GOAWAY end what can be judged.
            Frame::PushPromise(_) | Frame::GoAway(_) => return None,
            Frame::Data(d) if d.end_stream => {
                states.streams.entry(d.stream_id.0).and_modify(|s| {
                    if *s == Stream::Open {
                        *s = Stream::HalfClosed
                    }
                });
            }
            Frame::RstStream(r) => {
                states.streams.insert(r.stream_id.0, Stream::Closed);
            }
            _ => {}
        }
    }
    None
}

/// Whether a HEADERS (with the PRIORITY flag) or PRIORITY frame that does not decode
/// names its own stream as its dependency, read from the octets where the field would be.
fn self_dependent_octets(head: &h2probe_codec::frame::Head, payload: &[u8]) -> bool {
    let at = match head.kind {
        FrameType::PRIORITY => 0,
        FrameType::HEADERS if head.has(h2probe_codec::frame::flags::PRIORITY) => usize::from(head.has(h2probe_codec::frame::flags::PADDED)),
        _ => return false,
    };
    match payload.get(at..at + 4) {
        Some(b) => u32::from_be_bytes([b[0], b[1], b[2], b[3]]) & 0x7fff_ffff == head.stream_id.0,
        None => false,
    }
}

/// The fields of a complete field block, or its violation if it does not decode: `None`
/// when the error is one of the decoder's own limits (not a rule of the RFC), which ends
/// what can be judged.
fn field_block(hpack: &mut hpack::Decoder, block: &[u8], unit: usize, first_unit: usize, stream: u32) -> Result<Vec<HeaderField>, Option<Box<Violation>>> {
    let e = match hpack.decode(block) {
        Ok(fields) => return Ok(fields),
        Err(e) => e,
    };
    let (rule, section, requirement) = match e {
        HpackError::IndexZero => ("index-zero", "RFC 7541 §6.1", "The index value of 0 is not used. It MUST be treated as a decoding error if found in an indexed header field representation."),
        HpackError::InvalidIndex { .. } => ("index-past-table", "RFC 7541 §2.3.3", "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error."),
        HpackError::HuffmanEos => ("huffman-eos", "RFC 7541 §5.2", "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error."),
        HpackError::HuffmanPaddingTooLong => ("huffman-padding-too-long", "RFC 7541 §5.2", "A padding strictly longer than 7 bits MUST be treated as a decoding error."),
        HpackError::HuffmanPaddingNotOnes => ("huffman-padding-not-ones", "RFC 7541 §5.2", "A padding not corresponding to the most significant bits of the code for the EOS symbol MUST be treated as a decoding error."),
        HpackError::SizeUpdateTooLarge { .. } => ("size-update-above-limit", "RFC 7541 §6.3", "The new maximum size MUST be lower than or equal to the limit determined by the protocol using HPACK. A value that exceeds this limit MUST be treated as a decoding error."),
        HpackError::IntegerOverflow => ("integer-overflow", "RFC 7541 §5.1", "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors."),
        HpackError::Truncated => ("truncated", "RFC 9113 §4.3", "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR."),
        // A misplaced size update binds the encoder (the catalogue judges it at SHOULD
        // level); the rest are the decoder's limits, not the RFC's.
        _ => return Err(None),
    };
    let mut expectation = Expectation::connection_error(&[ErrorCode::COMPRESSION_ERROR]);
    if e == HpackError::Truncated {
        // As rfc7541/5.2/length-past-block: "too small to contain mandatory frame data".
        expectation = expectation.or_applicable(&[ErrorCode::FRAME_SIZE_ERROR]);
    }
    Err(Some(Box::new(Violation { unit, first_unit, stream, rule: format!("hpack/{rule}"), what: e.to_string(), section, requirement, expectation })))
}

/// The violation of a frame that does not decode, when the oracle can judge it. `payload`
/// is `None` for a frame refused by its length alone.
fn frame_violation(e: &FrameError, head: &h2probe_codec::frame::Head, payload: Option<&[u8]>, unit: usize, states: &States) -> Option<Violation> {
    let (variant, kind) = match e {
        FrameError::TooLarge { kind, .. } => ("too-large", Some(*kind)),
        FrameError::StreamIdZero { kind } => ("stream-id-zero", Some(*kind)),
        FrameError::StreamIdNonZero { kind, .. } => ("stream-id-non-zero", Some(*kind)),
        FrameError::BadLength { kind, .. } => ("bad-length", Some(*kind)),
        FrameError::BadPadding { kind, .. } => ("bad-padding", Some(*kind)),
        FrameError::SettingsAckWithPayload { .. } => ("settings-ack-with-payload", Some(FrameType::SETTINGS)),
        FrameError::BadSettingValue { id, .. } => {
            // RFC 8441's and RFC 9218's settings are unknown to servers that implement
            // neither, and unknown settings MUST be ignored (§6.5.2).
            if matches!(*id, SettingId::ENABLE_CONNECT_PROTOCOL | SettingId::NO_RFC7540_PRIORITIES) {
                return None;
            }
            ("bad-setting-value", Some(FrameType::SETTINGS))
        }
        FrameError::ZeroWindowIncrement { .. } => ("zero-window-increment", Some(FrameType::WINDOW_UPDATE)),
        // PRIORITY_UPDATE is an unknown type to a server without RFC 9218, which MUST
        // ignore it (§5.5).
        FrameError::PriorityUpdateStreamZero => return None,
    };
    if kind == Some(FrameType::PRIORITY_UPDATE) {
        return None;
    }
    let consequence = e.consequence();
    let codes = codes_of(e, head, payload);
    let expectation = match consequence {
        Consequence::Connection(_) => Expectation::connection_error(&codes),
        Consequence::Stream(s, _) => {
            // Frames on a stream we ended may be discarded unread (§5.1): judge only idle
            // and open streams.
            if !matches!(states.state(s.0), None | Some(Stream::Open)) {
                return None;
            }
            Expectation::stream_error(s.0, &codes)
        }
    };
    let mut rule = format!("frame/{variant}");
    if let FrameError::BadSettingValue { id, .. } = e {
        rule.push_str(&format!("/{id}"));
    } else if let Some(k) = kind {
        rule.push_str(&format!("/{k}"));
    }
    if let FrameError::ZeroWindowIncrement { stream_id } = e {
        rule.push_str(if stream_id.is_zero() { "/connection" } else { "/stream" });
    }
    let (section, requirement) = citation(e);
    Some(Violation { unit, first_unit: unit, stream: head.stream_id.0, rule, what: e.to_string(), section, requirement, expectation })
}

/// The code of `e`, and of any other error the same frame carries: the codec stops at the
/// first rule it checks, a server may check another first (a PING on stream 3 of length 0
/// is PROTOCOL_ERROR and FRAME_SIZE_ERROR both). Found by decoding the frame again with the
/// stream id its type needs, a SETTINGS of a bad length as its whole parameters, or, for a
/// frame too long to read, its header alone.
fn codes_of(e: &FrameError, head: &h2probe_codec::frame::Head, payload: Option<&[u8]>) -> Vec<ErrorCode> {
    let mut codes = vec![e.consequence().code()];
    let mut other = |h: &h2probe_codec::frame::Head, p: &[u8]| {
        if let Err(e2) = Frame::decode(h, p) {
            let c = e2.consequence().code();
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
    };
    match (e, payload) {
        (FrameError::StreamIdZero { .. } | FrameError::StreamIdNonZero { .. }, Some(p)) => {
            let mut fixed = *head;
            fixed.stream_id = h2probe_codec::StreamId(u32::from(fixed.stream_id.is_zero()));
            other(&fixed, p);
        }
        // A SETTINGS of 7 octets may hold a whole parameter out of range: its code too.
        (FrameError::BadLength { kind: FrameType::SETTINGS, .. }, Some(p)) if head.flags & 0x1 == 0 && p.len() >= 6 => {
            let whole = p.len() - p.len() % 6;
            let mut cut = *head;
            cut.length = whole as u32;
            other(&cut, &p[..whole]);
        }
        (FrameError::TooLarge { .. }, _) => {
            let mut empty = *head;
            empty.length = 0;
            other(&empty, &[]);
        }
        _ => {}
    }
    codes
}

/// The RFC 9113 sentence behind each frame error the codec names.
fn citation(e: &FrameError) -> (&'static str, &'static str) {
    const SIZE: (&str, &str) = (
        "RFC 9113 §4.2",
        "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE, exceeds any limit defined for the frame type, or is too small to contain mandatory frame data.",
    );
    match e {
        FrameError::TooLarge { .. } => SIZE,
        FrameError::StreamIdZero { kind } => match *kind {
            FrameType::DATA => ("RFC 9113 §6.1", "If a DATA frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::HEADERS => ("RFC 9113 §6.2", "If a HEADERS frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::PRIORITY => ("RFC 9113 §6.3", "If a PRIORITY frame is received with a stream identifier of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::RST_STREAM => ("RFC 9113 §6.4", "If a RST_STREAM frame is received with a stream identifier of 0x00, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::PUSH_PROMISE => ("RFC 9113 §6.6", "If the Stream Identifier field specifies the value 0x00, a recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            _ => ("RFC 9113 §6.10", "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
        },
        FrameError::StreamIdNonZero { kind, .. } => match *kind {
            FrameType::SETTINGS => ("RFC 9113 §6.5", "If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything other than 0x00, the endpoint MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::PING => ("RFC 9113 §6.7", "If a PING frame is received with a Stream Identifier field value other than 0x00, the recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            _ => ("RFC 9113 §6.8", "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
        },
        FrameError::BadLength { kind, .. } => match *kind {
            FrameType::PRIORITY => ("RFC 9113 §6.3", "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error (Section 5.4.2) of type FRAME_SIZE_ERROR."),
            FrameType::RST_STREAM => ("RFC 9113 §6.4", "A RST_STREAM frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."),
            FrameType::SETTINGS => ("RFC 9113 §6.5", "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."),
            FrameType::PING => ("RFC 9113 §6.7", "Receipt of a PING frame with a length field value other than 8 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."),
            FrameType::WINDOW_UPDATE => ("RFC 9113 §6.9", "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."),
            _ => SIZE,
        },
        FrameError::BadPadding { kind, .. } => match *kind {
            FrameType::DATA => ("RFC 9113 §6.1", "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            FrameType::HEADERS => ("RFC 9113 §6.2", "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            _ => ("RFC 9113 §6.6", "If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
        },
        FrameError::SettingsAckWithPayload { .. } => ("RFC 9113 §6.5", "Receipt of a SETTINGS frame with the ACK flag set and a length field value other than 0 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."),
        FrameError::BadSettingValue { id, .. } => match *id {
            SettingId::INITIAL_WINDOW_SIZE => ("RFC 9113 §6.5.2", "Values above the maximum flow-control window size of 2^31-1 MUST be treated as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR."),
            SettingId::MAX_FRAME_SIZE => ("RFC 9113 §6.5.2", "The value advertised by an endpoint MUST be between this initial value and the maximum allowed frame size (2^24-1 or 16,777,215 octets), inclusive. Values outside this range MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
            _ => ("RFC 9113 §6.5.2", "Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."),
        },
        FrameError::ZeroWindowIncrement { .. } => ("RFC 9113 §6.9", "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the connection flow-control window MUST be treated as a connection error (Section 5.4.1)."),
        FrameError::PriorityUpdateStreamZero => ("RFC 9218 §7.1", "If a PRIORITY_UPDATE frame is received with a Prioritized Stream ID of 0x00, the recipient MUST respond with a connection error of type PROTOCOL_ERROR."),
    }
}

/// The class of a reaction, for the differential oracle: what servers may be compared on
/// (codes and timing differ legitimately; whether the input was refused does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Answered the PING after the input, with no error.
    Accepted,
    /// Answered, after resetting one or more streams.
    StreamError,
    /// GOAWAY with an error code, or a close without GOAWAY.
    ConnectionError,
    /// GOAWAY(NO_ERROR) and close.
    Graceful,
    /// Neither answered nor closed within the deadline.
    Hang,
    /// The connection could not be opened or the handshake did not complete.
    Refused,
}

impl Class {
    /// The name in signatures.
    pub fn name(self) -> &'static str {
        match self {
            Class::Accepted => "accepted",
            Class::StreamError => "stream-error",
            Class::ConnectionError => "connection-error",
            Class::Graceful => "graceful-close",
            Class::Hang => "hang",
            Class::Refused => "refused",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::input::Unit;
    use h2probe_codec::frames;
    use h2probe_codec::hpack::Representation;

    fn server() -> ServerSettings {
        ServerSettings::default()
    }

    fn of(units: Vec<Unit>) -> Option<Violation> {
        first_violation(&Input::new(units), &server())
    }

    fn get(stream: u32) -> Unit {
        Unit::Frame(frames::headers(stream).request("GET", "/").end_stream().build())
    }

    #[test]
    fn a_ping_on_a_stream_is_a_connection_error_protocol_error() {
        let v = of(vec![get(1), Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([0; 8]).build())]).expect("named");
        assert_eq!(v.rule, "frame/stream-id-non-zero/PING");
        assert_eq!(v.unit, 1);
        assert_eq!(v.expectation, Expectation::connection_error(&[ErrorCode::PROTOCOL_ERROR]));
        assert_eq!(v.section, "RFC 9113 §6.7");
    }

    #[test]
    fn stream_errors_are_judged_on_idle_and_open_streams_only() {
        let bad_priority = |s| Unit::Raw(frames::raw(FrameType::PRIORITY).stream(s).payload([0; 4]).build());
        let v = of(vec![bad_priority(5)]).expect("idle stream");
        assert_eq!(v.expectation, Expectation::stream_error(5, &[ErrorCode::FRAME_SIZE_ERROR]));
        let open = Unit::Frame(frames::headers(1).request("POST", "/").build());
        assert!(of(vec![open, bad_priority(1)]).is_some(), "open stream");
        assert!(of(vec![get(1), bad_priority(1)]).is_none(), "half-closed: the server may have closed it");
        let rst = Unit::Frame(frames::rst_stream(3, ErrorCode::CANCEL));
        assert!(of(vec![rst, bad_priority(3)]).is_none(), "reset by us");
    }

    #[test]
    fn hpack_errors_are_compression_errors_and_limits_are_not_judged() {
        let mut block = Vec::new();
        Representation::indexed(0).encode(&mut block);
        let v = of(vec![Unit::Frame(frames::headers(1).block(block).end_stream().build())]).expect("index 0");
        assert_eq!(v.rule, "hpack/index-zero");
        assert_eq!(v.expectation, Expectation::connection_error(&[ErrorCode::COMPRESSION_ERROR]));
        // A size update after a field binds the encoder: not judged, and nothing after it.
        let mut late = frames::headers(1).request("GET", "/").end_stream().encoded_block();
        Representation::size_update(0).encode(&mut late);
        let ping1 = Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([0; 8]).build());
        assert!(of(vec![Unit::Frame(frames::headers(1).block(late).end_stream().build()), ping1]).is_none());
    }

    #[test]
    fn what_follows_a_self_dependency_is_not_judged() {
        let ping1 = Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([0; 8]).build());
        assert!(of(vec![Unit::Frame(frames::priority(3, 3, 0).build()), ping1.clone()]).is_none());
        let h = Unit::Frame(frames::headers(3).request("GET", "/").priority(3, 0, false).end_stream().build());
        assert!(of(vec![h, ping1]).is_none());
        // Padding that does not fit, in a frame that also depends on itself.
        let bad = frames::raw(FrameType::HEADERS).flags(0x2c).stream(1).payload([0x15, 0, 0, 0, 1, 0x8b]).build();
        assert!(of(vec![Unit::Raw(bad)]).is_none());
    }

    #[test]
    fn what_follows_our_goaway_or_an_open_block_is_not_judged() {
        let ping1 = || Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([0; 8]).build());
        let goaway = Unit::Frame(frames::goaway(0, ErrorCode::NO_ERROR).build());
        assert!(of(vec![goaway, ping1()]).is_none());
        let open = Unit::Frame(frames::headers(1).request("GET", "/").no_end_headers().build());
        assert!(of(vec![open, ping1()]).is_none());
    }

    #[test]
    fn settings_of_other_rfcs_and_priority_update_are_not_judged() {
        let s = Unit::Frame(frames::settings().set(SettingId::ENABLE_CONNECT_PROTOCOL, 2).build());
        assert!(of(vec![s]).is_none());
        let s = Unit::Frame(frames::settings().set(SettingId::ENABLE_PUSH, 2).build());
        assert_eq!(of(vec![s]).expect("named").rule, "frame/bad-setting-value/ENABLE_PUSH");
        assert!(of(vec![Unit::Frame(frames::priority_update(0, "u=1"))]).is_none());
    }

    #[test]
    fn a_block_with_an_empty_fragment_is_not_judged() {
        let mut bad = Vec::new();
        Representation::indexed(0).encode(&mut bad);
        let empty_first = vec![
            Unit::Frame(frames::headers(1).block(Vec::new()).no_end_headers().build()),
            Unit::Frame(frames::continuation(1, bad.clone()).end_headers().build()),
        ];
        assert!(of(empty_first).is_none());
        let empty_middle = vec![
            Unit::Frame(frames::headers(1).block(bad.clone()).no_end_headers().build()),
            Unit::Frame(frames::continuation(1, Vec::new()).build()),
            Unit::Frame(frames::continuation(1, Vec::new()).end_headers().build()),
        ];
        assert!(of(empty_middle).is_none());
        let empty_last = vec![
            Unit::Frame(frames::headers(1).block(bad).no_end_headers().build()),
            Unit::Frame(frames::continuation(1, Vec::new()).end_headers().build()),
        ];
        assert!(of(empty_last).is_some(), "an empty last fragment is no one's trouble");
    }

    #[test]
    fn trailers_without_end_stream_end_the_judging() {
        let post = Unit::Frame(frames::headers(1).request("POST", "/").build());
        let mut bad = Vec::new();
        Representation::indexed(0).encode(&mut bad);
        let trailers = Unit::Frame(frames::headers(1).block(bad).build());
        assert!(of(vec![post, trailers]).is_none(), "a second HEADERS without END_STREAM is malformed first");
    }

    #[test]
    fn two_errors_in_one_frame_accept_both_codes() {
        let seven = frames::raw(FrameType::SETTINGS).payload([0x00, 0x04, 0xff, 0xff, 0x70, 0xff, 0xff]).build();
        let v = of(vec![Unit::Raw(seven)]).expect("bad length");
        assert_eq!(v.expectation, Expectation::connection_error(&[ErrorCode::FRAME_SIZE_ERROR, ErrorCode::FLOW_CONTROL_ERROR]));
        let v = of(vec![Unit::Raw(frames::raw(FrameType::PING).stream(3).build())]).expect("named");
        assert_eq!(v.expectation, Expectation::connection_error(&[ErrorCode::PROTOCOL_ERROR, ErrorCode::FRAME_SIZE_ERROR]));
        let big = frames::raw(FrameType::SETTINGS).stream(5).len(20_000).build();
        let v = of(vec![Unit::Raw(big)]).expect("too large");
        assert_eq!(v.expectation, Expectation::connection_error(&[ErrorCode::FRAME_SIZE_ERROR, ErrorCode::PROTOCOL_ERROR]));
    }

    #[test]
    fn stream_state_rules_the_codec_does_not_name_end_the_judging() {
        let bad_padding = |s| Unit::Raw(frames::raw(FrameType::DATA).flags(0x08).stream(s).payload([6]).build());
        assert!(of(vec![get(1), bad_padding(1)]).is_none(), "DATA on a stream we ended");
        assert!(of(vec![bad_padding(1)]).is_none(), "DATA on an idle stream");
        let second = Unit::Frame(frames::headers(1).request("GET", "/").build());
        assert!(of(vec![get(1), second, bad_padding(1)]).is_none(), "HEADERS on a stream we ended");
        let zero_wu = Unit::Raw(frames::raw(FrameType::WINDOW_UPDATE).stream(5).payload([0; 4]).build());
        let open9 = Unit::Frame(frames::headers(9).request("POST", "/").build());
        assert!(of(vec![open9.clone(), zero_wu.clone()]).is_none(), "stream 5 closed when 9 opened");
        let low = Unit::Frame(frames::headers(3).request("GET", "/").end_stream().build());
        assert!(of(vec![open9, low, bad_padding(9)]).is_none(), "a new stream below the highest");
        let empty = Unit::Frame(frames::headers(1).block(Vec::new()).build());
        assert!(of(vec![empty, bad_padding(1)]).is_none(), "DATA after a malformed request: the server may have reset it");
        let post = Unit::Frame(frames::headers(1).request("POST", "/").build());
        let v = of(vec![post, bad_padding(1)]).expect("DATA on an open stream");
        assert_eq!(v.rule, "frame/bad-padding/DATA");
        assert_eq!((v.unit, v.first_unit, v.stream), (1, 1, 1));
    }

    #[test]
    fn a_field_block_violation_starts_at_its_headers() {
        let mut block = Vec::new();
        Representation::indexed(0).encode(&mut block);
        let units = vec![
            Unit::Frame(frames::ping([0; 8]).build()),
            Unit::Frame(frames::headers(1).block(block[..1].to_vec()).no_end_headers().build()),
            Unit::Frame(frames::continuation(1, block[1..].to_vec()).end_headers().build()),
        ];
        let v = of(units).expect("index 0");
        assert_eq!((v.unit, v.first_unit, v.stream), (2, 1, 1));
    }

    #[test]
    fn frames_above_the_servers_limit_are_too_large() {
        let big = Unit::Frame(frames::data(1, vec![0; 16_385]).build());
        let v = of(vec![Unit::Frame(frames::headers(1).request("POST", "/").build()), big]).expect("too large");
        assert_eq!(v.rule, "frame/too-large/DATA");
        assert_eq!(v.expectation, Expectation::stream_error(1, &[ErrorCode::FRAME_SIZE_ERROR]));
    }
}
