//! RFC 9113 §6.5: SETTINGS, its parameters (§6.5.2) and their synchronisation (§6.5.3).

use crate::common::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §6.5";
const S2: &str = "RFC 9113 §6.5.2";
const S3: &str = "RFC 9113 §6.5.3";

/// A response whose DATA must respect the window our SETTINGS left: exactly the window and
/// nothing more passes; a server that ignores the window, rejects the SETTINGS, closes or
/// never answers fails.
const WINDOW_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(IgnoreFlowControl, Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
    row(Drop, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/6.5/ack-with-payload",
        h2spec: Some("http2/6.5/1"),
        description: "Sends a SETTINGS frame with ACK and a 1-octet payload",
        requirement: "ACK (0x01): … When this bit is set, the frame payload of the SETTINGS frame MUST be empty. Receipt of a SETTINGS frame with the ACK flag set and a length field value other than 0 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR. (GOAWAY(PROTOCOL_ERROR), as hyper and hypercorn send, is the generic code §5.4 allows in place of it: an alternative.)",
        script: |_| Ok(Script::send([frames::raw(FrameType::SETTINGS).flags(flags::ACK).payload([0])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.5/nonzero-stream",
        h2spec: Some("http2/6.5/2"),
        description: "Sends a SETTINGS frame on stream 1",
        requirement: "If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything other than 0x00, the endpoint MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::raw(FrameType::SETTINGS).stream(1).payload([0, 3, 0, 0, 0, 100])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.5/bad-length",
        h2spec: Some("http2/6.5/3"),
        description: "Sends a SETTINGS frame of 3 octets",
        requirement: "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR. (GOAWAY(PROTOCOL_ERROR), as hyper sends, is the generic code §5.4 allows in place of it, and §6.5 itself names it for \"A badly formed or incomplete SETTINGS frame\": an alternative.)",
        script: |_| Ok(Script::send([frames::raw(FrameType::SETTINGS).payload([0, 3, 0])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.5/accepts-settings",
        h2spec: Some("generic/3.5/1"),
        description: "Sends a SETTINGS frame with two parameters",
        requirement: "The SETTINGS frame (type=0x04) conveys configuration parameters that affect how endpoints communicate … Upon receiving a SETTINGS frame with the ACK flag not set, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set (§6.5.3).",
        script: |_| {
            Ok(Script::send(
                [frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).set(SettingId::HEADER_TABLE_SIZE, 4096)],
                Expectation::SettingsAck,
            ))
        },
        reactions: &[ANSWERED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/6.5.2/enable-push-invalid",
        h2spec: Some("http2/6.5.2/1"),
        description: "Sends SETTINGS_ENABLE_PUSH = 2",
        requirement: "SETTINGS_ENABLE_PUSH (0x02): … Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::ENABLE_PUSH, 2)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/initial-window-too-large",
        aliases: &["rfc9113/6.9.2/initial-window-too-large", "http2/6.9.2/3"],
        h2spec: Some("http2/6.5.2/2"),
        description: "Sends SETTINGS_INITIAL_WINDOW_SIZE = 2^31",
        requirement: "SETTINGS_INITIAL_WINDOW_SIZE (0x04): … Values above the maximum flow-control window size of 2^31-1 MUST be treated as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR. (The same frame as h2spec's http2/6.9.2/3, merged here: §6.9.2 names the same connection error for a change that takes a window past 2^31-1.)",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 0x8000_0000)], ce(&[E::FLOW_CONTROL_ERROR]))),
        reactions: &[&ce_rows(E::FLOW_CONTROL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/max-frame-size-too-small",
        h2spec: Some("http2/6.5.2/3"),
        description: "Sends SETTINGS_MAX_FRAME_SIZE = 16383",
        requirement: "SETTINGS_MAX_FRAME_SIZE (0x05): … The initial value is 2^14 (16,384) octets. The value advertised by an endpoint MUST be between this initial value and the maximum allowed frame size (2^24-1 or 16,777,215 octets), inclusive. Values outside this range MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::MAX_FRAME_SIZE, 16_383)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/max-frame-size-too-large",
        h2spec: Some("http2/6.5.2/4"),
        description: "Sends SETTINGS_MAX_FRAME_SIZE = 2^24",
        requirement: "SETTINGS_MAX_FRAME_SIZE (0x05): … Values outside this range MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::MAX_FRAME_SIZE, 1 << 24)], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/unknown-setting",
        h2spec: Some("http2/6.5.2/5"),
        description: "Sends a SETTINGS frame with unknown identifier 0xff",
        requirement: "An endpoint that receives a SETTINGS frame with any unknown or unsupported identifier MUST ignore that setting.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId(0xff), 1)], Expectation::SettingsAck)),
        reactions: &[ANSWERED_ROWS],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.3/values-in-order",
        h2spec: Some("http2/6.5.3/1"),
        description: "Sends one SETTINGS frame with INITIAL_WINDOW_SIZE 100 then 1, and a GET after it; the response DATA must respect the last value (1 octet)",
        requirement: "The values in the SETTINGS frame MUST be processed in the order they appear, with no other frame processing between values. Unsupported settings MUST be ignored. Once all values have been processed, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set. (§6.5: \"Each parameter in a SETTINGS frame replaces any existing value for that parameter. … the value of a SETTINGS parameter is the last value that is seen by a receiver\": a repeated parameter is valid. The GET follows the SETTINGS in the same write, so a server that processes frames in order has applied it first. Caddy (Go's x/net/http2) closes with GOAWAY(PROTOCOL_ERROR) on a repeated parameter by its own choice, which the RFC does not allow: a failure.)",
        setup: Setup::STANDARD.manual_flow_control(),
        script: |ctx| {
            Ok(Script::send(
                [frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 100).set(SettingId::INITIAL_WINDOW_SIZE, 1).build(), ctx.get(1).build()],
                Expectation::WindowLimitedData { stream: StreamId(1), len: 1 },
            ))
        },
        reactions: &[WINDOW_ROWS],
        ..must(S3)
    },
    Case {
        id: "rfc9113/6.5.3/ack",
        h2spec: Some("http2/6.5.3/2"),
        description: "Sends a SETTINGS frame without ACK; the server must acknowledge it",
        requirement: "Upon receiving a SETTINGS frame with the ACK flag not set, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::ENABLE_PUSH, 0)], Expectation::SettingsAck)),
        reactions: &[ANSWERED_ROWS],
        ..must(S3)
    },
    Case {
        id: "rfc9113/6.5.2/accepts-largest-max-frame-size",
        description: "Sends SETTINGS_MAX_FRAME_SIZE = 2^24-1, the largest allowed value",
        requirement: "SETTINGS_MAX_FRAME_SIZE: … The initial value is 2^14 (16,384) octets. The value advertised by an endpoint MUST be between this initial value and the maximum allowed frame size (2^24-1 or 16,777,215 octets), inclusive.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::MAX_FRAME_SIZE, 0xff_ffff)], Expectation::SettingsAck)),
        reactions: &[ANSWERED_ROWS],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/accepts-largest-initial-window",
        description: "Sends SETTINGS_INITIAL_WINDOW_SIZE = 2^31-1, the largest allowed value, then a GET",
        requirement: "SETTINGS_INITIAL_WINDOW_SIZE: … Values above the maximum flow-control window size of 2^31-1 MUST be treated as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR. (2^31-1 itself is valid.)",
        script: |ctx| Ok(Script::send([frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 0x7fff_ffff).build(), ctx.get(1).build()], response(1))),
        reactions: &[&served_rows(1), &[row(GoAway(E::FLOW_CONTROL_ERROR), Fail)]],
        ..must(S2)
    },
    Case {
        id: "rfc9113/6.5.2/max-concurrent-streams-zero-accepted",
        description: "Sends SETTINGS_MAX_CONCURRENT_STREAMS = 0 in the first SETTINGS, then a GET; it should be served",
        requirement: "SETTINGS_MAX_CONCURRENT_STREAMS (0x03): This setting indicates the maximum number of concurrent streams that the sender will allow. This limit is directional: it applies to the number of streams that the sender permits the receiver to create. … A value of 0 for SETTINGS_MAX_CONCURRENT_STREAMS SHOULD NOT be treated as special by endpoints. A zero value does prevent the creation of new streams; however, this can also happen for any limit that is exhausted with active streams. (Our 0 forbids only streams the server would open, pushes; the GET opens a stream under the server's own limit. A server that refuses it, or takes the 0 for an error, treats the value as special: SHOULD level, as the sentence.)",
        setup: Setup::with_settings(&[(SettingId::MAX_CONCURRENT_STREAMS, 0)]),
        script: |ctx| Ok(Script::send([ctx.get(1)], response(1))),
        reactions: &[&served_rows(1), &[row(Reset(1, E::REFUSED_STREAM), Fail)]],
        ..should(S2)
    },
];
