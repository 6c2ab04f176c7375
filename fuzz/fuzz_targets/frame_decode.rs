//! Arbitrary bytes through the incremental frame decoder: never panics; every typed frame
//! re-encodes and decodes to itself; every raw frame re-encodes to its exact input bytes.
#![no_main]

use h2probe_codec::frame::{Frame, FrameDecoder, RawFrame, HEAD_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&limit, mut buf)) = data.split_first() else { return };
    // The first byte picks the advertised limit, from the minimum up to a few frames' worth.
    let dec = FrameDecoder::new().with_max_frame_size(16_384 + u32::from(limit) * 64);
    loop {
        match dec.next_raw(buf) {
            Ok(Some((head, payload))) => {
                let used = HEAD_LEN + payload.len();
                assert_eq!(RawFrame::from_parts(head, payload).to_bytes(), &buf[..used], "raw round trip");
                if let Ok(frame) = Frame::decode(&head, payload) {
                    let again = Frame::decode_bytes(&frame.to_bytes()).expect("re-encoded frame decodes").expect("complete").0;
                    assert_eq!(again, frame, "decode, encode, decode is stable");
                }
                buf = &buf[used..];
            }
            Ok(None) => {
                assert!(dec.needed(buf) > 0);
                break;
            }
            Err(e) => {
                let _ = e.consequence();
                break;
            }
        }
    }
});
