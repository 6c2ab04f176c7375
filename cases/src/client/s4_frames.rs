//! RFC 9113 §4.1 and §4.2: frame format and frame size, on the client's side.

use super::*;
use h2probe_codec::frame::flags;
use h2probe_harness::case::{Ctx, Script};

const S41: &str = "RFC 9113 §4.1";
const S42: &str = "RFC 9113 §4.2";

/// The largest frame the client accepts (its SETTINGS_MAX_FRAME_SIZE), plus one octet, if a
/// DATA frame that size still fits the stream's window: otherwise a flow-control error
/// would be the right answer too, and the case could not tell the two apart.
fn oversized_data_len(ctx: &Ctx) -> Result<usize, String> {
    let len = ctx.server.max_frame_size() as usize + 1;
    let window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535).min(65_535) as usize;
    if len > window {
        return Err(format!(
            "the client's SETTINGS_MAX_FRAME_SIZE ({}) leaves no room for a larger DATA frame in its {window}-octet window",
            len - 1
        ));
    }
    Ok(len)
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "client/rfc9113/4.1/unknown-frame-type",
        description: "Sends a frame of an unknown type (0xfa) on the response's stream, then the response",
        requirement: "Implementations MUST ignore and discard frames of unknown types.",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![frames::unknown(0xfa, s, filler(8)).into()];
            f.extend(ctx.respond(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S41)
    },
    Case {
        id: "client/rfc9113/4.1/unknown-frame-type-on-connection",
        description: "Sends a frame of an unknown type (0xfb) on stream 0, then the response",
        requirement: "Implementations MUST ignore and discard frames of unknown types.",
        script: |ctx| {
            let s = ctx.stream();
            let mut f = vec![frames::unknown(0xfb, 0, filler(16)).into()];
            f.extend(ctx.respond(s));
            Ok(Script::send(f, accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S41)
    },
    Case {
        id: "client/rfc9113/4.1/undefined-flags-ignored",
        description: "Sends the response body in a DATA frame with every undefined flag set",
        requirement: "Unused flags are those that have no defined semantics for a particular frame type. Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending.",
        script: |ctx| {
            let s = ctx.stream();
            let body = frames::raw(FrameType::DATA).stream(s).flags(!flags::PADDED).payload(ctx.marker.clone());
            Ok(Script::send([Outgoing::from(ctx.response_headers(s, 200).build()), body.into()], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S41)
    },
    Case {
        id: "client/rfc9113/4.1/reserved-bit-ignored",
        description: "Sends the response body in a DATA frame whose reserved stream-identifier bit is set",
        requirement: "Reserved: A reserved 1-bit field. The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when sending and MUST be ignored when receiving.",
        script: |ctx| {
            let s = ctx.stream();
            let body = frames::raw(FrameType::DATA).stream(s).reserved().flags(flags::END_STREAM).payload(ctx.marker.clone());
            Ok(Script::send([Outgoing::from(ctx.response_headers(s, 200).build()), body.into()], accepted(s)))
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S41)
    },
    Case {
        id: "client/rfc9113/4.2/data-exceeds-max-frame-size",
        description: "Sends response DATA one octet larger than the client's SETTINGS_MAX_FRAME_SIZE",
        requirement: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE, exceeds any limit defined for the frame type, or is too small to contain mandatory frame data.",
        script: |ctx| {
            let s = ctx.stream();
            let len = oversized_data_len(ctx)?;
            let data = frames::raw(FrameType::DATA).stream(s).payload(filler(len));
            // No content-length: the frame's size must be the only thing wrong with it.
            Ok(Script::send([Outgoing::from(frames::headers(s).status(200).build()), Outgoing::from(data)], se(s, &[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&se_rows(1, E::FRAME_SIZE_ERROR)],
        ..client(S42)
    },
    Case {
        id: "client/rfc9113/4.2/headers-exceed-max-frame-size",
        description: "Sends a response HEADERS frame one octet larger than the client's SETTINGS_MAX_FRAME_SIZE",
        requirement: "A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes any frame carrying a field block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION), a SETTINGS frame, and any frame with a stream identifier of 0.",
        script: |ctx| {
            let s = ctx.stream();
            let len = ctx.server.max_frame_size() as usize + 1;
            let mut block = frames::headers(s).status(200).encoded_block();
            // A literal field pads the block to the size; its content never gets decoded.
            let pad = len.saturating_sub(block.len());
            block.extend(h2probe_codec::hpack::Representation::literal("x-pad", filler(pad.saturating_sub(16))).to_bytes());
            block.resize(len, b'x');
            let headers = frames::raw(FrameType::HEADERS).stream(s).flags(flags::END_HEADERS).payload(block);
            Ok(Script::send([Outgoing::from(headers)], ce(&[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..client(S42)
    },
];

use h2probe_harness::conn::Outgoing;
