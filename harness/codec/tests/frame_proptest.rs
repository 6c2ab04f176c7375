//! Arbitrary valid typed frames survive encode → decode unchanged.

use h2probe_codec::frame::*;
use h2probe_codec::{ErrorCode, FrameType, SettingId, StreamId};
use proptest::prelude::*;

fn sid() -> impl Strategy<Value = StreamId> {
    (1u32..=0x7fff_ffff).prop_map(StreamId)
}
fn any_sid() -> impl Strategy<Value = StreamId> {
    (0u32..=0x7fff_ffff).prop_map(StreamId)
}
fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}
fn spec() -> impl Strategy<Value = PrioritySpec> {
    (any::<bool>(), any_sid(), any::<u8>()).prop_map(|(exclusive, dependency, weight)| PrioritySpec { exclusive, dependency, weight })
}
fn setting() -> impl Strategy<Value = (SettingId, u32)> {
    (any::<u16>(), any::<u32>()).prop_map(|(id, v)| {
        let id = SettingId(id);
        let v = match id {
            SettingId::ENABLE_PUSH | SettingId::ENABLE_CONNECT_PROTOCOL | SettingId::NO_RFC7540_PRIORITIES => v % 2,
            SettingId::INITIAL_WINDOW_SIZE => v & 0x7fff_ffff,
            SettingId::MAX_FRAME_SIZE => 16_384 + v % (MAX_MAX_FRAME_SIZE - 16_384),
            _ => v,
        };
        (id, v)
    })
}

fn frame() -> impl Strategy<Value = Frame> {
    prop_oneof![
        (sid(), any::<bool>(), proptest::option::of(any::<u8>()), bytes(300))
            .prop_map(|(stream_id, end_stream, padding, data)| Frame::Data(Data { stream_id, end_stream, padding, data })),
        (sid(), any::<bool>(), any::<bool>(), proptest::option::of(spec()), proptest::option::of(any::<u8>()), bytes(300)).prop_map(
            |(stream_id, end_stream, end_headers, priority, padding, block)| Frame::Headers(Headers {
                stream_id,
                end_stream,
                end_headers,
                priority,
                padding,
                block
            })
        ),
        (sid(), spec()).prop_map(|(stream_id, spec)| Frame::Priority(Priority { stream_id, spec })),
        (sid(), any::<u32>()).prop_map(|(stream_id, c)| Frame::RstStream(RstStream { stream_id, code: ErrorCode(c) })),
        proptest::collection::vec(setting(), 0..10).prop_map(|params| Frame::Settings(Settings { ack: false, params })),
        Just(Frame::Settings(Settings { ack: true, params: vec![] })),
        (sid(), any::<bool>(), proptest::option::of(any::<u8>()), any_sid(), bytes(100)).prop_map(
            |(stream_id, end_headers, padding, promised_id, block)| Frame::PushPromise(PushPromise {
                stream_id,
                end_headers,
                padding,
                promised_id,
                block
            })
        ),
        (any::<bool>(), any::<[u8; 8]>()).prop_map(|(ack, payload)| Frame::Ping(Ping { ack, payload })),
        (any_sid(), any::<u32>(), bytes(50))
            .prop_map(|(l, c, d)| Frame::GoAway(GoAway { last_stream_id: l, code: ErrorCode(c), debug_data: d })),
        (any_sid(), 1u32..=0x7fff_ffff).prop_map(|(stream_id, increment)| Frame::WindowUpdate(WindowUpdate { stream_id, increment })),
        (sid(), any::<bool>(), bytes(100))
            .prop_map(|(stream_id, end_headers, block)| Frame::Continuation(Continuation { stream_id, end_headers, block })),
        (sid(), bytes(40)).prop_map(|(prioritized_id, field_value)| Frame::PriorityUpdate(PriorityUpdate { prioritized_id, field_value })),
        (0x0bu8..=0xff, any::<u8>(), any_sid(), bytes(60)).prop_filter_map("known type", |(k, flags, stream_id, payload)| {
            let kind = FrameType(k);
            (kind != FrameType::PRIORITY_UPDATE && kind != FrameType::ORIGIN)
                .then(|| Frame::Unknown(Unknown { kind, flags, stream_id, payload }))
        }),
    ]
}

proptest! {
    #[test]
    fn typed_frames_round_trip(f in frame()) {
        let bytes = f.to_bytes();
        prop_assert_eq!(bytes.len(), HEAD_LEN + f.head().length as usize);
        let (decoded, used) = Frame::decode_bytes(&bytes).expect("valid frame").expect("complete");
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(decoded, f.clone());
        // The raw view re-encodes to the same bytes.
        prop_assert_eq!(f.to_raw().to_bytes(), bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_decode_is_stable(buf in bytes(200)) {
        let dec = FrameDecoder::new();
        if let Ok(Some((_, f, _))) = dec.next_frame(&buf) {
            let again = Frame::decode_bytes(&f.to_bytes()).expect("re-decodes").expect("complete").0;
            prop_assert_eq!(again, f);
        }
    }
}
