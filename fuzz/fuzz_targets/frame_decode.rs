//! Arbitrary bytes through the incremental `FrameDecoder`, frame after frame to the end of
//! the buffer. Oracles: never panics; `needed` is exact on a partial frame; every raw frame
//! rebuilds to its exact input bytes; `next_frame` agrees with `next_raw` + `Frame::decode`;
//! every typed frame re-encodes to bytes that decode to an equal frame.
#![no_main]

use h2probe_codec::frame::{Frame, FrameDecoder, FrameError, Head, RawFrame, HEAD_LEN};
use h2probe_codec::ErrorCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first three bytes are the advertised SETTINGS_MAX_FRAME_SIZE (24 bits, so limits
    // below the legal 16 384 are exercised too); seeds use 0x004000.
    let Some((limit, mut buf)) = data.split_first_chunk::<3>() else { return };
    let dec = FrameDecoder::new().with_max_frame_size(u32::from_be_bytes([0, limit[0], limit[1], limit[2]]));
    loop {
        let raw = match dec.next_raw(buf) {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                // A partial frame: `needed` says exactly how many bytes complete the head or the frame.
                let expected = match Head::parse(buf) {
                    None => HEAD_LEN - buf.len(),
                    Some(head) => HEAD_LEN + head.length as usize - buf.len(),
                };
                assert!(expected > 0 && dec.needed(buf) == expected, "needed is exact");
                assert!(matches!(dec.next_frame(buf), Ok(None)));
                return;
            }
            Err(e) => {
                // Only an over-limit length field fails before the payload (§4.2, FRAME_SIZE_ERROR);
                // nothing was buffered past the head, and decoding ends here as on a connection.
                assert!(matches!(e, FrameError::TooLarge { .. }), "next_raw fails only on length: {e}");
                assert_eq!(e.consequence().code(), ErrorCode::FRAME_SIZE_ERROR);
                assert!(dec.next_frame(buf).is_err());
                return;
            }
        };
        let (head, payload) = raw;
        assert!(head.length <= dec.max_frame_size());
        let used = HEAD_LEN + payload.len();
        assert_eq!(RawFrame::from_parts(head, payload).to_bytes(), &buf[..used], "raw frames round-trip byte-exactly");

        let typed = Frame::decode(&head, payload);
        match (&typed, dec.next_frame(buf)) {
            (Ok(f), Ok(Some((h, g, n)))) => assert!(h == head && &g == f && n == used, "next_frame agrees with next_raw"),
            (Err(e), Err(e2)) => assert_eq!(*e, e2, "next_frame agrees with next_raw"),
            (a, b) => panic!("next_frame disagrees with next_raw + Frame::decode: {a:?} vs {b:?}"),
        }
        if let Ok(frame) = typed {
            let bytes = frame.to_bytes();
            assert_eq!(frame.head().length as usize, bytes.len() - HEAD_LEN, "head length matches the payload");
            let (again, n) = Frame::decode_bytes(&bytes).expect("a re-encoded frame decodes").expect("complete");
            assert_eq!(n, bytes.len());
            assert_eq!(again, frame, "decode, encode, decode gives an equal frame");
        }
        // A typed error (bad padding, stream 0, …) still leaves a whole frame: skip it and go on.
        buf = &buf[used..];
    }
});
