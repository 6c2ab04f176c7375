//! RFC 9113 §4.2: frame size.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §4.2";

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
        description: "Sends a POST with a DATA frame of 2^14 octets, the initial maximum",
        requirement: "All implementations MUST be capable of receiving and minimally processing frames up to 2^14 octets in length, plus the 9-octet frame header.",
        script: |ctx| {
            Ok(Script::send(
                [ctx.post(1).set("content-length", "16384").build(), frames::data(1, filler(16_384)).end_stream().build()],
                response(1),
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/data-over-max-frame-size",
        h2spec: Some("http2/4.2/2"),
        description: "Sends a DATA frame one octet larger than SETTINGS_MAX_FRAME_SIZE",
        requirement: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE.",
        script: |ctx| {
            let max = ctx.server.max_frame_size();
            if max >= h2probe_codec::frame::MAX_MAX_FRAME_SIZE {
                return Err(format!("the server accepts frames of {max} octets, the most a length field can express"));
            }
            // A DATA frame beyond the flow-control window would be a flow-control error first.
            let window = ctx.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535);
            if max + 1 > window.min(65_535) {
                return Err(format!("a {}-octet DATA frame would also exceed the server's flow-control window ({window})", max + 1));
            }
            Ok(Script::send([ctx.post(1).build(), frames::data(1, filler(max as usize + 1)).end_stream().build()], se(1, &[E::FRAME_SIZE_ERROR])))
        },
        setup: crate::common::HOLD_RESPONSE,
        ..must(S)
    },
    Case {
        id: "rfc9113/4.2/headers-over-max-frame-size",
        h2spec: Some("http2/4.2/3"),
        description: "Sends a HEADERS frame larger than SETTINGS_MAX_FRAME_SIZE",
        requirement: "A frame size error in a frame that could alter the state of the entire connection MUST be treated as a connection error (Section 5.4.1); this includes any frame carrying a field block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION), a SETTINGS frame, and any frame with a stream identifier of 0.",
        script: |ctx| {
            let max = ctx.server.max_frame_size();
            if max >= h2probe_codec::frame::MAX_MAX_FRAME_SIZE {
                return Err(format!("the server accepts frames of {max} octets, the most a length field can express"));
            }
            Ok(Script::send([ctx.get(1).block(block_of_len(ctx, max as usize + 1)).build()], ce(&[E::FRAME_SIZE_ERROR])))
        },
        ..must(S)
    },
];
