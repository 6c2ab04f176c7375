//! Typed frames through encode → decode, two ways:
//!
//! - `Any`: an `Arbitrary` `Frame`, valid or not. Validity is decided by the decoder: when
//!   the encoding decodes, the result must equal the frame, unless the frame holds a value
//!   the wire cannot carry (a 31-bit field with bit 31 set, an `Unknown` whose type byte is
//!   one the codec parses), in which case the decoded frame must at least be a fixed point.
//! - `Built`: a frame made with the codec's own `frames::` constructors from arbitrary but
//!   in-range parameters. Those frames are valid by construction, so they must always
//!   decode, to an equal frame, and their field blocks must HPACK-decode to the fields.
#![no_main]

use arbitrary::Arbitrary;
use h2probe_codec::frame::{check_setting_value, Frame, FrameDecoder, HEAD_LEN, MAX_LENGTH_FIELD};
use h2probe_codec::hpack::{Decoder, HeaderField};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId, StreamId};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Input {
    Any(Frame),
    Built(Spec),
}

/// Parameters for the `frames::` constructors; ids are masked to 31 bits (and made non-zero
/// where §6 requires it) before use.
#[derive(Debug, Arbitrary)]
enum Spec {
    Data { stream: u32, data: Vec<u8>, end_stream: bool, padding: Option<u8> },
    Headers {
        stream: u32,
        fields: Vec<HeaderField>,
        end_stream: bool,
        priority: Option<(u32, u8, bool)>,
        padding: Option<u8>,
        /// Split the block into HEADERS + CONTINUATION frames of this many octets.
        split: Option<u8>,
    },
    Continuation { stream: u32, block: Vec<u8>, end_headers: bool },
    Priority { stream: u32, dependency: u32, weight: u8, exclusive: bool },
    RstStream { stream: u32, code: u32 },
    Settings { params: Vec<(u16, u32)> },
    SettingsAck,
    PushPromise { stream: u32, promised: u32, fields: Vec<HeaderField> },
    Ping { payload: [u8; 8], ack: bool },
    GoAway { last_stream: u32, code: u32, debug: Vec<u8> },
    WindowUpdate { stream: u32, increment: u32 },
    PriorityUpdate { prioritized: u32, value: String },
    Unknown { kind: u8, stream: u32, payload: Vec<u8> },
}

/// Types `Frame::decode` parses; any other type byte decodes as `Frame::Unknown`.
fn parsed(kind: FrameType) -> bool {
    matches!(kind.0, 0x0..=0x9) || kind == FrameType::PRIORITY_UPDATE
}

fn id31(s: StreamId) -> bool {
    s.0 <= StreamId::MAX.0
}

/// Whether every field of `f` survives the wire unchanged (ignoring validity).
fn representable(f: &Frame) -> bool {
    let len_ok = f.head().length <= MAX_LENGTH_FIELD && f.to_bytes().len() - HEAD_LEN <= MAX_LENGTH_FIELD as usize;
    len_ok
        && match f {
            Frame::Headers(h) => id31(h.stream_id) && h.priority.map_or(true, |p| id31(p.dependency)),
            Frame::Priority(p) => id31(p.stream_id) && id31(p.spec.dependency),
            Frame::PushPromise(p) => id31(p.stream_id) && id31(p.promised_id),
            Frame::GoAway(g) => id31(g.last_stream_id),
            Frame::WindowUpdate(w) => id31(w.stream_id) && w.increment <= 0x7fff_ffff,
            Frame::PriorityUpdate(p) => id31(p.prioritized_id),
            Frame::Unknown(u) => id31(u.stream_id) && !parsed(u.kind),
            other => id31(other.stream_id()),
        }
}

fn decode_one(bytes: &[u8]) -> Result<Frame, String> {
    match FrameDecoder::new().with_max_frame_size(MAX_LENGTH_FIELD).next_frame(bytes) {
        Ok(Some((_, f, used))) if used == bytes.len() => Ok(f),
        Ok(Some((_, _, used))) => Err(format!("used {used} of {} bytes", bytes.len())),
        Ok(None) => Err("incomplete".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn any(frame: Frame) {
    let bytes = frame.to_bytes();
    assert_eq!(frame.head().length as usize, bytes.len() - HEAD_LEN, "length field matches the payload");
    let Ok(decoded) = decode_one(&bytes) else { return };
    if representable(&frame) {
        assert_eq!(decoded, frame, "a frame that decodes decodes to itself");
    } else {
        let canonical = decoded.to_bytes();
        assert_eq!(decode_one(&canonical).as_ref(), Ok(&decoded), "decoded frames are fixed points");
    }
}

fn built(spec: Spec) {
    let sid = |s: u32| s & 0x7fff_ffff;
    let nz = |s: u32| sid(s).max(1);
    let (list, frames): (Option<Vec<HeaderField>>, Vec<Frame>) = match spec {
        Spec::Data { stream, data, end_stream, padding } => {
            let mut b = frames::data(nz(stream), data);
            if end_stream {
                b = b.end_stream();
            }
            if let Some(p) = padding {
                b = b.padded(p);
            }
            (None, vec![b.build()])
        }
        Spec::Headers { stream, fields, end_stream, priority, padding, split } => {
            let mut b = frames::headers(nz(stream));
            for f in &fields {
                b = if f.never_indexed {
                    b.sensitive_field(f.name.clone(), f.value.clone())
                } else {
                    b.field(f.name.clone(), f.value.clone())
                };
            }
            if end_stream {
                b = b.end_stream();
            }
            if let Some((dep, weight, excl)) = priority {
                b = b.priority(sid(dep), weight, excl);
            }
            if let Some(p) = padding {
                b = b.padded(p);
            }
            let frames = match split {
                Some(n) => b.build_split(usize::from(n)),
                None => vec![b.build()],
            };
            (Some(fields), frames)
        }
        Spec::Continuation { stream, block, end_headers } => {
            let b = frames::continuation(nz(stream), block);
            (None, vec![if end_headers { b.end_headers().build() } else { b.build() }])
        }
        Spec::Priority { stream, dependency, weight, exclusive } => {
            let b = frames::priority(nz(stream), sid(dependency), weight);
            (None, vec![if exclusive { b.exclusive().build() } else { b.build() }])
        }
        Spec::RstStream { stream, code } => (None, vec![frames::rst_stream(nz(stream), ErrorCode(code))]),
        Spec::Settings { params } => {
            let mut b = frames::settings();
            for (id, v) in params {
                if check_setting_value(SettingId(id), v).is_ok() {
                    b = b.set(SettingId(id), v);
                }
            }
            (None, vec![b.build()])
        }
        Spec::SettingsAck => (None, vec![frames::settings_ack()]),
        Spec::PushPromise { stream, promised, fields } => {
            let block = frames::headers(1).fields(fields.iter().map(|f| (f.name.clone(), f.value.clone()))).encoded_block();
            let plain = fields.into_iter().map(|f| HeaderField::new(f.name, f.value)).collect();
            (Some(plain), vec![frames::push_promise(nz(stream), sid(promised)).block(block).build()])
        }
        Spec::Ping { payload, ack } => {
            let b = frames::ping(payload);
            (None, vec![if ack { b.ack().build() } else { b.build() }])
        }
        Spec::GoAway { last_stream, code, debug } => {
            (None, vec![frames::goaway(sid(last_stream), ErrorCode(code)).debug(debug).build()])
        }
        Spec::WindowUpdate { stream, increment } => (None, vec![frames::window_update(sid(stream), sid(increment).max(1))]),
        Spec::PriorityUpdate { prioritized, value } => (None, vec![frames::priority_update(nz(prioritized), &value)]),
        Spec::Unknown { kind, stream, payload } => {
            if parsed(FrameType(kind)) {
                return;
            }
            (None, vec![frames::unknown(kind, sid(stream), payload)])
        }
    };
    let mut block = Vec::new();
    for frame in &frames {
        let bytes = frame.to_bytes();
        let decoded = decode_one(&bytes).unwrap_or_else(|e| panic!("a frame built by frames:: must decode: {e}\n{frame:?}"));
        assert_eq!(&decoded, frame, "a built frame decodes to itself");
        match decoded {
            Frame::Headers(h) => block.extend_from_slice(&h.block),
            Frame::Continuation(c) => block.extend_from_slice(&c.block),
            Frame::PushPromise(p) => block.extend_from_slice(&p.block),
            _ => {}
        }
    }
    if let Some(fields) = list {
        let got = Decoder::new().decode(&block).expect("a block built by frames:: HPACK-decodes");
        assert_eq!(got, fields, "the field block carries the fields");
    }
}

fuzz_target!(|input: Input| match input {
    Input::Any(frame) => any(frame),
    Input::Built(spec) => built(spec),
});
