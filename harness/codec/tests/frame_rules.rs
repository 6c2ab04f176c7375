//! Every decode rule of RFC 9113 §4 and §6, checked through the consequence it maps to.

use h2probe_codec::frame::{flags, Consequence, Frame, FrameDecoder, FrameError, Head, RawFrame, HEAD_LEN};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId, StreamId};

fn decode(raw: RawFrame) -> Result<Frame, FrameError> {
    let bytes = raw.to_bytes();
    let head = Head::parse(&bytes).expect("head");
    Frame::decode(&head, &bytes[HEAD_LEN..])
}

fn consequence(raw: RawFrame) -> Consequence {
    decode(raw).expect_err("must not decode").consequence()
}

fn conn(code: ErrorCode) -> Consequence {
    Consequence::Connection(code)
}

#[test]
fn stream_zero_rules() {
    for kind in [FrameType::DATA, FrameType::HEADERS, FrameType::PRIORITY, FrameType::RST_STREAM, FrameType::CONTINUATION, FrameType::PUSH_PROMISE] {
        let payload = match kind {
            FrameType::PRIORITY => vec![0; 5],
            FrameType::RST_STREAM => vec![0; 4],
            FrameType::PUSH_PROMISE => vec![0, 0, 0, 2],
            _ => vec![],
        };
        let c = consequence(frames::raw(kind).payload(payload).build());
        assert_eq!(c, conn(ErrorCode::PROTOCOL_ERROR), "{kind} on stream 0");
    }
    for kind in [FrameType::SETTINGS, FrameType::PING, FrameType::GOAWAY, FrameType::PRIORITY_UPDATE] {
        let payload = match kind {
            FrameType::PING | FrameType::GOAWAY => vec![0; 8],
            FrameType::PRIORITY_UPDATE => vec![0, 0, 0, 1],
            _ => vec![],
        };
        let c = consequence(frames::raw(kind).stream(1).payload(payload).build());
        assert_eq!(c, conn(ErrorCode::PROTOCOL_ERROR), "{kind} on stream 1");
    }
}

#[test]
fn length_rules() {
    let ping6 = frames::raw(FrameType::PING).payload([0; 6]).build();
    assert_eq!(consequence(ping6), conn(ErrorCode::FRAME_SIZE_ERROR));
    let prio4 = frames::raw(FrameType::PRIORITY).stream(1).payload([0; 4]).build();
    assert_eq!(consequence(prio4), Consequence::Stream(StreamId(1), ErrorCode::FRAME_SIZE_ERROR));
    let rst3 = frames::raw(FrameType::RST_STREAM).stream(1).payload([0; 3]).build();
    assert_eq!(consequence(rst3), conn(ErrorCode::FRAME_SIZE_ERROR));
    let wu3 = frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 1]).build();
    assert_eq!(consequence(wu3), conn(ErrorCode::FRAME_SIZE_ERROR));
    let settings3 = frames::raw(FrameType::SETTINGS).payload([0; 3]).build();
    assert_eq!(consequence(settings3), conn(ErrorCode::FRAME_SIZE_ERROR));
    let ack1 = frames::raw(FrameType::SETTINGS).flags(flags::ACK).payload([0]).build();
    assert_eq!(consequence(ack1), conn(ErrorCode::FRAME_SIZE_ERROR));
    let goaway7 = frames::raw(FrameType::GOAWAY).payload([0; 7]).build();
    assert_eq!(consequence(goaway7), conn(ErrorCode::FRAME_SIZE_ERROR));
}

#[test]
fn padding_rules() {
    // Pad Length equal to the remaining payload: "the length of the padding is the length
    // of the frame payload or greater" → PROTOCOL_ERROR.
    let data = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED).payload([4, 1, 2, 3]).build();
    assert_eq!(consequence(data), conn(ErrorCode::PROTOCOL_ERROR));
    let headers = frames::raw(FrameType::HEADERS).stream(1).flags(flags::PADDED | flags::END_HEADERS).payload([9, 0x82]).build();
    assert_eq!(consequence(headers), conn(ErrorCode::PROTOCOL_ERROR));
    // Padding may not eat the priority fields either.
    let hp = frames::raw(FrameType::HEADERS).stream(1).flags(flags::PADDED | flags::PRIORITY).payload([3, 0, 0, 0, 0, 16]).build();
    assert_eq!(consequence(hp), conn(ErrorCode::PROTOCOL_ERROR));
    // Exactly fitting padding is fine.
    let ok = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED).payload([3, 0, 0, 0]).build();
    match decode(ok).expect("valid") {
        Frame::Data(d) => {
            assert!(d.data.is_empty());
            assert_eq!(d.padding, Some(3));
            assert_eq!(d.flow_len(), 4);
        }
        other => panic!("{other:?}"),
    }
    // PADDED with no room for the Pad Length byte.
    let empty = frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED).build();
    assert_eq!(consequence(empty), Consequence::Stream(StreamId(1), ErrorCode::FRAME_SIZE_ERROR));
}

#[test]
fn settings_value_rules() {
    let cases = [
        (SettingId::ENABLE_PUSH, 2, ErrorCode::PROTOCOL_ERROR),
        (SettingId::INITIAL_WINDOW_SIZE, 0x8000_0000, ErrorCode::FLOW_CONTROL_ERROR),
        (SettingId::MAX_FRAME_SIZE, 16_383, ErrorCode::PROTOCOL_ERROR),
        (SettingId::MAX_FRAME_SIZE, 1 << 24, ErrorCode::PROTOCOL_ERROR),
        (SettingId::ENABLE_CONNECT_PROTOCOL, 2, ErrorCode::PROTOCOL_ERROR),
        (SettingId::NO_RFC7540_PRIORITIES, 7, ErrorCode::PROTOCOL_ERROR),
    ];
    for (id, value, code) in cases {
        let raw = frames::settings().set(id, value).build().to_raw();
        assert_eq!(consequence(raw), conn(code), "{id}={value}");
    }
    // Unknown settings must be ignored, so they decode.
    let f = frames::settings().set(SettingId(0xf00f), 7).build();
    assert_eq!(Frame::decode_bytes(&f.to_bytes()).expect("ok").map(|x| x.0), Some(f));
}

#[test]
fn window_update_zero_is_stream_or_connection_error() {
    let s = frames::raw(FrameType::WINDOW_UPDATE).stream(3).payload([0; 4]).build();
    assert_eq!(consequence(s), Consequence::Stream(StreamId(3), ErrorCode::PROTOCOL_ERROR));
    let c = frames::raw(FrameType::WINDOW_UPDATE).payload([0; 4]).build();
    assert_eq!(consequence(c), conn(ErrorCode::PROTOCOL_ERROR));
    // The reserved bit of the increment is ignored.
    let r = frames::raw(FrameType::WINDOW_UPDATE).payload([0x80, 0, 0, 1]).build();
    assert_eq!(decode(r).expect("ok"), frames::window_update(0, 1));
}

#[test]
fn priority_update_rules() {
    let zero = frames::raw(FrameType::PRIORITY_UPDATE).payload([0, 0, 0, 0, b'u']).build();
    assert_eq!(consequence(zero), conn(ErrorCode::PROTOCOL_ERROR));
    let f = frames::priority_update(5, "u=1, i");
    assert_eq!(decode(f.to_raw()).expect("ok"), f);
}

#[test]
fn unknown_types_and_flags_are_kept() {
    let raw = frames::raw(FrameType(0x16)).flags(0x16).stream(3).payload(*b"hello").build();
    match decode(raw).expect("unknown types decode") {
        Frame::Unknown(u) => {
            assert_eq!((u.kind, u.flags, u.stream_id, u.payload.as_slice()), (FrameType(0x16), 0x16, StreamId(3), &b"hello"[..]))
        }
        other => panic!("{other:?}"),
    }
    // Undefined flags on PING are ignored by the typed view.
    let ping = frames::raw(FrameType::PING).flags(0xfe).payload([1; 8]).build();
    assert_eq!(decode(ping).expect("ok"), frames::ping([1; 8]).build());
}

#[test]
fn raw_frames_can_lie_about_length_and_set_reserved_bit() {
    let raw = frames::raw(FrameType::PING).stream(1).reserved().len(6).payload([0; 8]).build();
    let bytes = raw.to_bytes();
    assert_eq!(&bytes[..9], &[0, 0, 6, 6, 0, 0x80, 0, 0, 1]);
    assert_eq!(bytes.len(), 17);
    assert_eq!(raw.to_string(), "PING (raw) stream=1 R=1 len=0x6 (payload 0x8 octets) flags=0x00");
}

#[test]
fn incremental_decoder_needs_more_and_bounds_length() {
    let mut wire = Vec::new();
    frames::data(1, vec![7u8; 100]).end_stream().build().encode(&mut wire);
    frames::ping([9; 8]).build().encode(&mut wire);
    let dec = FrameDecoder::new();
    for cut in 0..109 {
        assert_eq!(dec.next_frame(&wire[..cut]).expect("no error"), None, "cut at {cut}");
        assert!(dec.needed(&wire[..cut]) > 0);
    }
    let (_, first, used) = dec.next_frame(&wire).expect("ok").expect("complete");
    assert_eq!(used, 109);
    assert!(matches!(first, Frame::Data(ref d) if d.end_stream && d.data.len() == 100));
    let (_, second, _) = dec.next_frame(&wire[used..]).expect("ok").expect("complete");
    assert_eq!(second, frames::ping([9; 8]).build());

    // A length field above the limit fails on the header alone, before buffering.
    let big = frames::raw(FrameType::HEADERS).stream(1).len(16_385).build().to_bytes();
    let err = dec.next_raw(&big[..HEAD_LEN]).expect_err("too large");
    assert_eq!(err.consequence(), conn(ErrorCode::FRAME_SIZE_ERROR));
    let data = frames::raw(FrameType::DATA).stream(3).len(20_000).build().to_bytes();
    let err = dec.next_raw(&data[..HEAD_LEN]).expect_err("too large");
    assert_eq!(err.consequence(), Consequence::Stream(StreamId(3), ErrorCode::FRAME_SIZE_ERROR));
    // Raised limit accepts it.
    assert!(dec.with_max_frame_size(1 << 20).next_raw(&data[..HEAD_LEN]).expect("ok").is_none());
}

#[test]
fn split_field_block_into_continuations() {
    let frames = frames::headers(1).request("GET", "/").field("x-long", "v".repeat(50)).end_stream().build_split(10);
    assert!(frames.len() > 3);
    let mut block = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        match f {
            Frame::Headers(h) => {
                assert_eq!(i, 0);
                assert!(h.end_stream && !h.end_headers);
                block.extend_from_slice(&h.block);
            }
            Frame::Continuation(c) => {
                assert_eq!(c.end_headers, i == frames.len() - 1);
                block.extend_from_slice(&c.block);
            }
            other => panic!("{other:?}"),
        }
    }
    let fields = h2probe_codec::hpack::Decoder::new().decode(&block).expect("decodes");
    assert_eq!(fields[0].name, b":method");
    assert_eq!(fields.len(), 5);
}

#[test]
fn display_is_one_readable_line() {
    assert_eq!(frames::goaway(1, ErrorCode::PROTOCOL_ERROR).build().to_string(), "GOAWAY len=0x8 last_stream=1 code=PROTOCOL_ERROR");
    assert_eq!(frames::rst_stream(3, ErrorCode(0xff)).to_string(), "RST_STREAM stream=3 len=0x4 code=0x000000ff");
    assert_eq!(
        frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build().to_string(),
        "SETTINGS len=0x6 flags=0x00 MAX_CONCURRENT_STREAMS=100"
    );
    // Length and flags in hex, each flag by name (as nghttp -v shows them).
    assert_eq!(
        frames::headers(1).request("GET", "/").end_stream().build().to_string(),
        "HEADERS stream=1 len=0xb flags=0x05 (END_STREAM|END_HEADERS)"
    );
    assert_eq!(frames::settings_ack().to_string(), "SETTINGS len=0x0 flags=0x01 (ACK)");
    assert_eq!(frames::ping(*b"h2pfence").ack().build().to_string(), "PING len=0x8 flags=0x01 (ACK) payload=68327066656e6365 (\"h2pfence\")");
    assert_eq!(frames::data(1, vec![0; 4]).padded(2).end_stream().build().to_string(), "DATA stream=1 len=0x7 flags=0x09 (END_STREAM|PADDED) padding=2");
    // Bits a type does not define are named in hex.
    assert_eq!(frames::raw(FrameType::PING).flags(0x41).payload([0; 8]).build().to_string(), "PING (raw) stream=0 len=0x8 flags=0x41 (ACK|0x40)");
}
