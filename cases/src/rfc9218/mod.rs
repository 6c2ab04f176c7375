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
use h2probe_harness::case::{Case, Ctx, Script};

const S2: &str = "RFC 9218 §2.1";
const S7: &str = "RFC 9218 §7.1";

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
];
