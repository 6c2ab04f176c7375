//! RFC 9218, Extensible Prioritization Scheme for HTTP: the SETTINGS_NO_RFC7540_PRIORITIES
//! setting (§2.1), the Priority header field (§5) and the PRIORITY_UPDATE frame (§7.1).
//!
//! A server that does not implement RFC 9218 must treat PRIORITY_UPDATE as an unknown frame
//! type and ignore it (RFC 9113 §5.5), so its error rules are checked only on servers that
//! show they implement it, by sending SETTINGS_NO_RFC7540_PRIORITIES themselves.
//!
//! The RFC is not on disk: the sentences are quoted from its source (httpwg/http-extensions,
//! draft-ietf-httpbis-priority.md, as published), with references rendered as in the RFC.

use crate::common::*;
use h2probe_harness::case::{Case, Ctx, Script, Setup};
use h2probe_harness::conn::Outgoing;

const S2: &str = "RFC 9218 §2.1";
const S4: &str = "RFC 9218 §4";
const S7: &str = "RFC 9218 §7.1";

/// Above this many concurrent streams the concurrency case would send too much to be a
/// quick check (as rfc9113/5.1.2/exceed-max-concurrent-streams).
const MAX_TESTABLE: u32 = 1000;

fn implements_rfc9218(ctx: &Ctx) -> Result<(), String> {
    match ctx.server.get(SettingId::NO_RFC7540_PRIORITIES) {
        Some(_) => Ok(()),
        None => Err("the server does not send SETTINGS_NO_RFC7540_PRIORITIES, so it may not implement RFC 9218 (its frames are then unknown and ignored)".into()),
    }
}

/// The RFC 9218 cases.
pub fn cases() -> Vec<Case> {
    CASES.to_vec()
}

const CASES: &[Case] = &[
    Case {
        id: "rfc9218/7.1/priority-update-accepted",
        description: "Sends PRIORITY_UPDATE (u=1, i) for stream 1, then a GET on stream 1",
        requirement: "RFC 9218 §7: \"A client MAY send a PRIORITY_UPDATE frame before the stream that it references is open (except for HTTP/2 push streams; see Section 7.1).\" (A server that does not implement RFC 9218 must discard the frame: RFC 9113 §5.5, \"Implementations MUST discard frames that have unknown or unsupported types.\" Either way the GET must be served.)",
        script: |ctx| Ok(Script::send([frames::priority_update(1, "u=1, i"), ctx.get(1).build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-nonzero-stream",
        description: "Sends PRIORITY_UPDATE on stream 1 instead of stream 0",
        requirement: "The Stream Identifier field (see Section 5.1.1 of [HTTP/2]) in the PRIORITY_UPDATE frame header MUST be zero (0x0). Receiving a PRIORITY_UPDATE frame with a field of any other value MUST be treated as a connection error of type PROTOCOL_ERROR.",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).stream(1).payload([0, 0, 0, 1, b'u', b'=', b'1'])], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-stream-zero-prioritized",
        description: "Sends PRIORITY_UPDATE whose Prioritized Stream ID is 0",
        requirement: "If a PRIORITY_UPDATE frame is received with a prioritized stream ID of 0x0, the recipient MUST respond with a connection error of type PROTOCOL_ERROR.",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).payload([0, 0, 0, 0, b'u', b'=', b'1'])], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/2.1/no-rfc7540-priorities-invalid",
        description: "Sends SETTINGS_NO_RFC7540_PRIORITIES = 2",
        requirement: "The value of SETTINGS_NO_RFC7540_PRIORITIES MUST be 0 or 1. Any value other than 0 or 1 MUST be treated as a connection error (see Section 5.4.1 of [HTTP/2]) of type PROTOCOL_ERROR. (Checked only on servers that send the setting themselves, and so implement RFC 9218; lighttpd sends NO_RFC7540_PRIORITIES=1 and ignores a value of 2.)",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::settings().set(SettingId::NO_RFC7540_PRIORITIES, 2)], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S2)
    },
    Case {
        id: "rfc9218/7.1/priority-update-too-short",
        description: "Sends a PRIORITY_UPDATE of 3 octets, too short for its Prioritized Stream ID",
        requirement: "RFC 9113 §4.2: \"An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE, exceeds any limit defined for the frame type, or is too small to contain mandatory frame data. A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes … any frame with a stream identifier of 0.\" (RFC 9218 §7.1: the payload holds \"Reserved (1), Prioritized Stream ID (31), Priority Field Value (..)\", so 3 octets cannot contain it; PROTOCOL_ERROR passes as the generic code.)",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).payload([0, 0, 1])], ce(&[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/5/priority-field-accepted",
        description: "Sends a GET carrying the Priority header field (priority: u=0, i)",
        requirement: "The Priority HTTP header field is a Dictionary that carries priority parameters (see Section 4). It can appear in requests and responses. (No MUST binds a server to serve it: one that implements RFC 9218 acts on it, one that does not treats it as an unknown field, and RFC 9110 §5.1 says \"Other recipients SHOULD ignore unrecognized header and trailer fields.\" An interoperability check at SHOULD level: the request must be served.)",
        tags: &["interop"],
        script: |ctx| Ok(Script::send([ctx.get(1).field("priority", "u=0, i")], response(1))),
        reactions: &[&served_rows(1)],
        ..should("RFC 9218 §5")
    },
    Case {
        id: "rfc9218/2.1/priority-signals-ignored-when-disabled",
        description: "Sends SETTINGS_NO_RFC7540_PRIORITIES = 1, then RFC 7540 priority signals: PRIORITY frames (one a self-dependency) and a GET whose HEADERS depends on itself, exclusively; the GET must be served",
        requirement: "A server that receives SETTINGS_NO_RFC7540_PRIORITIES with a value of 1 MUST ignore HTTP/2 priority signals. (Checked on servers that send the setting themselves, and so implement RFC 9218. Ignoring is a matter of scheduling, invisible on the wire; what shows is that the signals cause nothing: no error, no refusal, even for a self-dependency, which RFC 7540 §5.3.1 made a stream error and RFC 9113 no longer mentions. A server that resets the stream or closes the connection over them has not ignored them: Caddy (Go) and lighttpd reset stream 1 with PROTOCOL_ERROR for the self-dependency, by the RFC 7540 rule, although our SETTINGS_NO_RFC7540_PRIORITIES = 1 obliges them to ignore the signal.)",
        setup: Setup::with_settings(&[(SettingId::NO_RFC7540_PRIORITIES, 1)]),
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send(
                [frames::priority(1, 1, 15).build(), frames::priority(3, 1, 200).exclusive().build(), ctx.get(1).priority(1, 255, true).build()],
                response(1),
            ))
        },
        reactions: &[&served_rows(1), &[row(Reset(1, E::PROTOCOL_ERROR), Fail)]],
        ..must(S2)
    },
    Case {
        id: "rfc9218/4/unknown-priority-parameters-ignored",
        description: "Sends PRIORITY_UPDATE (u=1, i=5, foo) for stream 1, then a GET on stream 1 with priority: u=9, i=?0, x=1: an out-of-range urgency, a mistyped incremental and unknown parameters; the GET must be served",
        requirement: "Where the Dictionary is successfully parsed, this document places the additional requirement that unknown priority parameters, priority parameters with out-of-range values, or values of unexpected types MUST be ignored. (Both values are valid Structured Field Dictionaries, RFC 8941; u=9 is outside the urgency range 0 to 7, i=5 is an Integer where a Boolean is defined, x and foo are unknown. A server that does not implement RFC 9218 ignores the field and the frame as unknown, RFC 9113 §5.5, and serves the GET as well.)",
        script: |ctx| Ok(Script::send([frames::priority_update(1, "u=1, i=5, foo"), ctx.get(1).field("priority", "u=9, i=?0, x=1").build()], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S4)
    },
    Case {
        id: "rfc9218/7.1/priority-update-exceeds-concurrency",
        description: "Sends PRIORITY_UPDATE frames for SETTINGS_MAX_CONCURRENT_STREAMS + 1 distinct idle streams (1, 3, 5, …), none of them opened",
        requirement: "The number of streams that have been prioritized but remain in the \"idle\" state plus the number of active streams (those in the \"open\" or either \"half-closed\" state; see Section 5.1.2 of [HTTP/2]) MUST NOT exceed the value of the SETTINGS_MAX_CONCURRENT_STREAMS parameter. Servers that receive such a PRIORITY_UPDATE MUST respond with a connection error of type PROTOCOL_ERROR. (Checked on servers that send SETTINGS_NO_RFC7540_PRIORITIES, and so implement RFC 9218, and advertise a limit; the last frame takes the count of prioritized idle streams one past it.)",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            let max = ctx.server.max_concurrent_streams().ok_or("the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS")?;
            if max > MAX_TESTABLE {
                return Err(format!("SETTINGS_MAX_CONCURRENT_STREAMS is {max}, above the {MAX_TESTABLE} this case prioritizes"));
            }
            let updates: Vec<Outgoing> = (0..=max).map(|i| frames::priority_update(1 + 2 * i, "u=5").into()).collect();
            Ok(Script::send(updates, ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-idle-push-stream",
        description: "Sends PRIORITY_UPDATE whose Prioritized Stream ID is 2, a push stream the server never promised (push is disabled), so idle",
        requirement: "Servers that receive a PRIORITY_UPDATE for a push stream in the \"idle\" state MUST respond with a connection error of type PROTOCOL_ERROR. (Checked on servers that send SETTINGS_NO_RFC7540_PRIORITIES, and so implement RFC 9218. Even identifiers are the server's, RFC 9113 §5.1.1, and with SETTINGS_ENABLE_PUSH = 0 none of them leaves the idle state.)",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::priority_update(2, "u=1")], ce(&[E::PROTOCOL_ERROR])))
        },
        reactions: &[&ce_rows(E::PROTOCOL_ERROR)],
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-reserved-bit",
        description: "Sends PRIORITY_UPDATE for stream 1 with the reserved bit before its Prioritized Stream ID set (0x80000001), then a GET on stream 1; the GET must be served",
        requirement: "RFC 9218 §7.1, of the Reserved field before the Prioritized Stream ID: \"It MUST remain unset (0x0) when sending and MUST be ignored when receiving.\" (Ignored, the bit leaves a valid PRIORITY_UPDATE for stream 1; a server that takes it as part of the identifier, or as an error, does not ignore it. A server that does not implement RFC 9218 ignores the whole frame, RFC 9113 §5.5, and serves the GET as well.)",
        script: |ctx| {
            let update = frames::raw(FrameType::PRIORITY_UPDATE).payload([0x80, 0, 0, 1, b'u', b'=', b'1']);
            Ok(Script::send([Outgoing::from(update), ctx.get(1).build().into()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S7)
    },
];
