//! RFC 9113 §4.2: frame size.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::{Accept, Expectation};

const S: &str = "RFC 9113 §4.2";
const CONNECTION_STATE: &str = "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE … A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes any frame carrying a field block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION), a SETTINGS frame, and any frame with a stream identifier of 0.";
const TOO_SMALL: &str = "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame … is too small to contain mandatory frame data. A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes any frame carrying a field block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION) … (FRAME_SIZE_ERROR is the code the RFC names. The PROTOCOL_ERROR of §6.1 and §6.2, \"The total number of padding octets is determined by the value of the Pad Length field. If the length of the padding is the length of the frame payload or greater, the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR\", is about a Pad Length field that is there to read; a frame too short for its Pad Length or priority fields is the §4.2 case. PROTOCOL_ERROR still passes, as the generic code of §5.4 that \"can always be used in place of more specific error codes\": nghttp2, Apache, h2o, lighttpd and Node send it, nginx and HAProxy FRAME_SIZE_ERROR.)";

/// The server's SETTINGS_MAX_FRAME_SIZE, or a skip when a frame `headroom` octets over it
/// cannot be expressed in the 24-bit length field.
fn limited_max(ctx: &h2probe_harness::case::Ctx, headroom: u32) -> Result<u32, String> {
    let max = ctx.server.max_frame_size();
    if max >= h2probe_codec::frame::MAX_MAX_FRAME_SIZE - headroom {
        return Err(format!("the server accepts frames of {max} octets, the most a length field can express"));
    }
    Ok(max)
}

/// A valid field block of exactly `len` octets: the request, then one plain (not Huffman)
/// literal sized to fill it, so the frame length is what the case needs whatever the encoder.
fn block_of_len(ctx: &h2probe_harness::case::Ctx, len: usize) -> Vec<u8> {
    use h2probe_codec::hpack::Representation;
    let base = ctx.get(1).encoded_block();
    let mut fill = len.saturating_sub(base.len() + 16);
    loop {
        let mut block = base.clone();
        Representation::literal("x-dummy", vec![b'a'; fill]).encode(&mut block);
        match block.len().cmp(&len) {
            std::cmp::Ordering::Equal => return block,
            std::cmp::Ordering::Less => fill += len - block.len(),
            std::cmp::Ordering::Greater if fill > 0 => fill -= 1,
            std::cmp::Ordering::Greater => return block,
        }
    }
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/4.2/data-at-max-frame-size",
        h2spec: Some("http2/4.2/1"),
        description: "Sends a POST with a DATA frame of 2^14 octets, the initial maximum, to a server whose flow-control windows allow it",
        requirement: "All implementations MUST be capable of receiving and minimally processing frames up to 2^14 octets in length, plus the 9-octet frame header. (The frame must also fit the server's flow-control windows, RFC 9113 §6.9.1: against a smaller SETTINGS_INITIAL_WINDOW_SIZE the case is skipped.)",
        script: |ctx| {
            const LEN: usize = 16_384;
            // The connection window starts at 65,535 (§6.9.2) whatever the SETTINGS say.
            let window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535);
            if (window as usize) < LEN {
                return Err(format!(
                    "the server's SETTINGS_INITIAL_WINDOW_SIZE ({window}) does not allow a {LEN}-octet DATA frame (RFC 9113 §6.9.1)"
                ));
            }
            Ok(Script::send([ctx.post_sized(1, LEN).build(), frames::data(1, filler(LEN)).end_stream().build()], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/data-over-max-frame-size",
        h2spec: Some("http2/4.2/2"),
        description: "Sends a DATA frame one octet larger than SETTINGS_MAX_FRAME_SIZE",
        requirement: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE.",
        script: |ctx| {
            let max = limited_max(ctx, 0)?;
            // A DATA frame beyond the flow-control window would be a flow-control error first.
            let window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535);
            if max + 1 > window.min(65_535) {
                return Err(format!("a {}-octet DATA frame would also exceed the server's flow-control window ({window})", max + 1));
            }
            Ok(Script::send(
                [ctx.post_sized(1, max as usize + 1).build(), frames::data(1, filler(max as usize + 1)).end_stream().build()],
                se(1, &[E::FRAME_SIZE_ERROR]),
            ))
        },
        setup: crate::common::HOLD_RESPONSE,
        reactions: &[&se_rows(1, E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/headers-over-max-frame-size",
        h2spec: Some("http2/4.2/3"),
        description: "Sends a HEADERS frame larger than SETTINGS_MAX_FRAME_SIZE",
        requirement: "A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes any frame carrying a field block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION), a SETTINGS frame, and any frame with a stream identifier of 0.",
        script: |ctx| {
            let max = limited_max(ctx, 0)?;
            Ok(Script::send([ctx.get(1).block(block_of_len(ctx, max as usize + 1)).build()], ce(&[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/settings-over-max-frame-size",
        description: "Sends a SETTINGS frame of unknown parameters just over SETTINGS_MAX_FRAME_SIZE",
        requirement: CONNECTION_STATE,
        script: |ctx| {
            let max = limited_max(ctx, 6)?;
            let len = (max as usize / 6 + 1) * 6;
            let payload: Vec<u8> = [0x00, 0xff, 0, 0, 0, 0].repeat(len / 6);
            Ok(Script::send([frames::raw(FrameType::SETTINGS).payload(payload)], ce(&[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/continuation-over-max-frame-size",
        description: "Sends a GET whose HEADERS is followed by a CONTINUATION one octet larger than SETTINGS_MAX_FRAME_SIZE",
        requirement: CONNECTION_STATE,
        script: |ctx| {
            let max = limited_max(ctx, 6)? as usize;
            let block = block_of_len(ctx, max + 1 + 8);
            let (first, rest) = block.split_at(8);
            Ok(Script::send(
                [ctx.get(1).block(first.to_vec()).no_end_headers().build(), frames::continuation(1, rest.to_vec()).end_headers().build()],
                ce(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/headers-at-max-frame-size",
        description: "Sends a GET in one HEADERS frame of exactly 2^14 octets, the initial maximum, to a server that advertised a header list limit above it",
        requirement: "All implementations MUST be capable of receiving and minimally processing frames up to 2^14 octets in length, plus the 9-octet frame header. (Any response but 400, even a 431, shows the frame was processed: SETTINGS_MAX_HEADER_LIST_SIZE is advisory, §6.5.2.)",
        script: |ctx| {
            // A 2^14-octet field block is a large header section; servers may refuse it
            // (431, or a connection error for excessive load) without breaking §4.2. Only a
            // server that advertised room for it has promised to process it.
            match ctx.server.get(SettingId::MAX_HEADER_LIST_SIZE) {
                Some(limit) if limit >= 17_000 => {}
                Some(limit) => return Err(format!("the server's SETTINGS_MAX_HEADER_LIST_SIZE ({limit}) leaves no room for a 2^14-octet field block")),
                None => return Err("the server does not advertise SETTINGS_MAX_HEADER_LIST_SIZE, so it never promised to accept a 2^14-octet field block".into()),
            }
            let any_answer = Expectation::Response { stream: StreamId(1), accept: Accept::NotBadRequest, after_goaway: None };
            Ok(Script::send([ctx.get(1).block(block_of_len(ctx, 16_384)).build()], any_answer))
        },
        reactions: &[&served_rows(1), &[row(Respond(1, 431), Pass)]],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/padded-data-without-pad-length",
        description: "Opens a POST and sends an empty DATA frame with the PADDED flag, too short for its Pad Length field",
        requirement: TOO_SMALL,
        setup: crate::common::HOLD_RESPONSE,
        script: |ctx| {
            let data = frames::raw(FrameType::DATA).stream(1).flags(h2probe_codec::frame::flags::PADDED);
            Ok(Script::send([Outgoing::from(ctx.post_sized(1, 4)), data.into()], se(1, &[E::FRAME_SIZE_ERROR])))
        },
        reactions: &[&se_rows(1, E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/padded-headers-without-pad-length",
        description: "Sends an empty HEADERS frame with the PADDED flag, too short for its Pad Length field",
        requirement: TOO_SMALL,
        script: |_| {
            use h2probe_codec::frame::flags;
            Ok(Script::send(
                [frames::raw(FrameType::HEADERS).stream(1).flags(flags::PADDED | flags::END_HEADERS | flags::END_STREAM)],
                ce(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/priority-headers-too-short",
        description: "Sends a HEADERS frame with the PRIORITY flag and a 3-octet payload, too short for the 5 priority octets",
        requirement: TOO_SMALL,
        script: |_| {
            use h2probe_codec::frame::flags;
            Ok(Script::send(
                // The three octets start a stream dependency of 0x7f7f7f..: whatever octet a
                // server reads beyond the frame, it cannot make the dependency the stream's own
                // id. HAProxy 2.6 reads the 4-octet dependency before checking that the frame
                // holds it, and with a payload of zeros its answer turned on the next octet in
                // its buffer (PROTOCOL_ERROR for a "self-dependency", else FRAME_SIZE_ERROR).
                [frames::raw(FrameType::HEADERS).stream(1).flags(flags::PRIORITY | flags::END_HEADERS | flags::END_STREAM).payload([0x7f, 0x7f, 0x7f])],
                ce(&[E::FRAME_SIZE_ERROR]),
            ))
        },
        reactions: &[&ce_rows(E::FRAME_SIZE_ERROR)],
        ..must(S)
    },
];
