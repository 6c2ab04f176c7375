//! RFC 9113 §6.5: the server's SETTINGS, as a client must validate and acknowledge them.
//!
//! Cases about the server preface's own parameters send the SETTINGS frame themselves
//! ([`OWN_SETTINGS`]): the client reacts before it has a request to make, so nothing waits
//! for one.

use super::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Ctx, Script};

const S: &str = "RFC 9113 §6.5";
const S2: &str = "RFC 9113 §6.5.2";
const S3: &str = "RFC 9113 §6.5.3";

/// Our preface is a SETTINGS frame with one parameter: the violation.
fn preface_with(id: SettingId, value: u32, expect: Expectation) -> Result<Script, String> {
    Ok(Script::send([frames::settings().set(id, value).build()], expect))
}

/// A SETTINGS frame after the handshake, then the response: it must be acknowledged.
fn later_settings(ctx: &Ctx, settings: h2probe_codec::frame::Frame) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::steps(vec![send([settings]), Step::Await(Expectation::SettingsAck), send(ctx.respond(s))], accepted(s)))
}

const MAX_FRAME: &str = "SETTINGS_MAX_FRAME_SIZE (0x05): This setting indicates the size of the largest frame payload that the sender is willing to receive, in units of octets. The initial value is 2^14 (16,384) octets. The value advertised by an endpoint MUST be between this initial value and the maximum allowed frame size (2^24-1 or 16,777,215 octets), inclusive. Values outside this range MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/6.5.2/enable-push-1",
        description: "Sends SETTINGS_ENABLE_PUSH=1 in the server preface",
        requirement: "A server MUST NOT explicitly set this value to 1. A server MAY choose to omit this setting when it sends a SETTINGS frame, but if a server does include a value, it MUST be 0. A client MUST treat receipt of a SETTINGS frame with SETTINGS_ENABLE_PUSH set to 1 as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::ENABLE_PUSH, 1, ce(&[E::PROTOCOL_ERROR])),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.2/enable-push-2",
        description: "Sends SETTINGS_ENABLE_PUSH=2 in the server preface",
        requirement: "SETTINGS_ENABLE_PUSH (0x02): … Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::ENABLE_PUSH, 2, ce(&[E::PROTOCOL_ERROR])),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.2/initial-window-too-large",
        description: "Sends SETTINGS_INITIAL_WINDOW_SIZE=2^31 in the server preface",
        requirement: "SETTINGS_INITIAL_WINDOW_SIZE (0x04): … Values above the maximum flow-control window size of 2^31-1 MUST be treated as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::INITIAL_WINDOW_SIZE, 1 << 31, ce(&[E::FLOW_CONTROL_ERROR])),
        reactions: &[&ce_rows(E::FLOW_CONTROL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.2/max-frame-size-zero",
        description: "Sends SETTINGS_MAX_FRAME_SIZE=0 in the server preface (the value behind a 2026 Go client hang)",
        requirement: MAX_FRAME,
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::MAX_FRAME_SIZE, 0, ce(&[E::PROTOCOL_ERROR])),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.2/max-frame-size-too-small",
        description: "Sends SETTINGS_MAX_FRAME_SIZE=16383 in the server preface",
        requirement: MAX_FRAME,
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::MAX_FRAME_SIZE, 16_383, ce(&[E::PROTOCOL_ERROR])),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.2/max-frame-size-too-large",
        description: "Sends SETTINGS_MAX_FRAME_SIZE=2^24 in the server preface",
        requirement: MAX_FRAME,
        setup: OWN_SETTINGS,
        script: |_| preface_with(SettingId::MAX_FRAME_SIZE, 1 << 24, ce(&[E::PROTOCOL_ERROR])),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5/settings-bad-length",
        description: "Sends a server preface SETTINGS frame of 7 octets",
        requirement: "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| Ok(Script::send([frames::raw(FrameType::SETTINGS).payload([0, 3, 0, 0, 0, 100, 0])], ce(&[E::FRAME_SIZE_ERROR]))),
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.5/settings-on-stream",
        description: "Sends the server preface SETTINGS frame on stream 1",
        requirement: "SETTINGS frames always apply to a connection, never a single stream. The stream identifier for a SETTINGS frame MUST be zero (0x00). If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything other than 0x00, the endpoint MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: OWN_SETTINGS,
        script: |_| Ok(Script::send([frames::raw(FrameType::SETTINGS).stream(1).payload([0, 3, 0, 0, 0, 100])], ce(&[E::PROTOCOL_ERROR]))),
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.5/settings-ack-with-payload",
        description: "Sends a SETTINGS frame with the ACK flag and a 6-octet payload",
        requirement: "Receipt of a SETTINGS frame with the ACK flag set and a length field value other than 0 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        script: |_| {
            Ok(Script::send([frames::raw(FrameType::SETTINGS).flags(flags::ACK).payload([0, 3, 0, 0, 0, 100])], ce(&[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S)
    },
    Case {
        id: "client/rfc9113/6.5.2/unknown-setting-ignored",
        description: "Sends a SETTINGS frame with an unknown identifier (0xf0f0) mid-connection, then the response",
        requirement: "An endpoint that receives a SETTINGS frame with any unknown or unsupported identifier MUST ignore that setting.",
        script: |ctx| later_settings(ctx, frames::settings().set(SettingId(0xf0f0), 7).build()),
        reactions: &[ACCEPTED_ROWS],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5.3/settings-acknowledged",
        description: "Sends a second SETTINGS frame after the request; it must be acknowledged",
        requirement: "Once all values have been processed, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set.",
        script: |_| Ok(Script::send([frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 50).build()], Expectation::SettingsAck)),
        reactions: &[ANSWERED_ROWS],
        ..client(S3)
    },
    Case {
        id: "client/rfc9113/6.5.3/empty-settings-acknowledged",
        description: "Sends an empty SETTINGS frame after the request; it must be acknowledged",
        requirement: "Once all values have been processed, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set.",
        script: |_| Ok(Script::send([frames::settings().build()], Expectation::SettingsAck)),
        reactions: &[ANSWERED_ROWS],
        ..client(S3)
    },
    Case {
        id: "client/rfc9113/6.5.2/header-table-size-zero",
        description: "Sends SETTINGS_HEADER_TABLE_SIZE=0 and MAX_HEADER_LIST_SIZE mid-connection, then the response",
        requirement: "SETTINGS_HEADER_TABLE_SIZE (0x01): This setting allows the sender to inform the remote endpoint of the maximum size of the compression table used to decode field blocks, in units of octets. The encoder can select any size equal to or less than this value by using signaling specific to the compression format inside a field block (see [COMPRESSION]).",
        script: |ctx| {
            later_settings(ctx, frames::settings().set(SettingId::HEADER_TABLE_SIZE, 0).set(SettingId::MAX_HEADER_LIST_SIZE, 1 << 16).build())
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S2)
    },
    Case {
        id: "client/rfc9113/6.5/repeated-parameter",
        description: "Sends one SETTINGS frame that sets SETTINGS_MAX_CONCURRENT_STREAMS twice, then the response",
        requirement: "Each parameter in a SETTINGS frame replaces any existing value for that parameter. The values in the SETTINGS frame MUST be processed in the order they appear, with no other frame processing between values.",
        script: |ctx| {
            later_settings(
                ctx,
                frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 1).set(SettingId::MAX_CONCURRENT_STREAMS, 100).build(),
            )
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S)
    },
];
