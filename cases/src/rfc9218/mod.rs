//! RFC 9218, Extensible Prioritization Scheme for HTTP: the SETTINGS_NO_RFC7540_PRIORITIES
//! setting (§2.1), the Priority header field (§5) and the PRIORITY_UPDATE frame (§7.1).
//!
//! A server that does not implement RFC 9218 must treat PRIORITY_UPDATE as an unknown frame
//! type and ignore it (RFC 9113 §5.5), so its error rules are checked only on servers that
//! show they implement it, by sending SETTINGS_NO_RFC7540_PRIORITIES themselves.

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
        requirement: "PRIORITY_UPDATE frames … can be sent for a stream in the \"idle\" … state. (A server that does not implement it MUST ignore the unknown frame type: RFC 9113 §5.5.) Either way the request must be served.",
        script: |ctx| Ok(Script::send([frames::priority_update(1, "u=1, i"), ctx.get(1).build()], response(1))),
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-nonzero-stream",
        description: "Sends PRIORITY_UPDATE on stream 1 instead of the control stream",
        requirement: "PRIORITY_UPDATE frames MUST be sent on stream 0 … If a PRIORITY_UPDATE frame is received with a stream identifier other than 0x00, the recipient MUST respond with a connection error (Section 5.4.1 of [HTTP/2]) of type PROTOCOL_ERROR.",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).stream(1).payload([0, 0, 0, 1, b'u', b'=', b'1'])], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S7)
    },
    Case {
        id: "rfc9218/7.1/priority-update-stream-zero-prioritized",
        description: "Sends PRIORITY_UPDATE whose Prioritized Stream ID is 0",
        requirement: "If a PRIORITY_UPDATE frame is received with a Prioritized Stream ID of 0x00, the recipient MUST respond with a connection error (Section 5.4.1 of [HTTP/2]) of type PROTOCOL_ERROR.",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).payload([0, 0, 0, 0, b'u', b'=', b'1'])], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S7)
    },
    Case {
        id: "rfc9218/2.1/no-rfc7540-priorities-invalid",
        description: "Sends SETTINGS_NO_RFC7540_PRIORITIES = 2",
        requirement: "The value of SETTINGS_NO_RFC7540_PRIORITIES MUST be 0 or 1. Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1 of [HTTP/2]) of type PROTOCOL_ERROR.",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::settings().set(SettingId::NO_RFC7540_PRIORITIES, 2)], ce(&[E::PROTOCOL_ERROR])))
        },
        ..must(S2)
    },
    Case {
        id: "rfc9218/7.1/priority-update-too-short",
        description: "Sends a PRIORITY_UPDATE of 3 octets, too short for its Prioritized Stream ID",
        requirement: "RFC 9113 §4.2: An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame … is too small to contain mandatory frame data. A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes … any frame with a stream identifier of 0. (RFC 9218 §7.1: the payload starts with a 32-bit Prioritized Stream ID.)",
        script: |ctx| {
            implements_rfc9218(ctx)?;
            Ok(Script::send([frames::raw(FrameType::PRIORITY_UPDATE).payload([0, 0, 1])], ce(&[E::FRAME_SIZE_ERROR])))
        },
        ..must(S7)
    },
    Case {
        id: "rfc9218/5/priority-field-accepted",
        description: "Sends a GET carrying the Priority header field (priority: u=0, i)",
        requirement: "The Priority HTTP header field is an end-to-end way to carry the set of priority parameters for a given HTTP request or response. (A server that does not act on it treats it as any unknown field; either way the request must be served.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("priority", "u=0, i")], response(1))),
        ..must("RFC 9218 §5")
    },
];
