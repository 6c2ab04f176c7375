//! Arbitrary typed frames through encode → decode. Arbitrary frames need not be canonical
//! (an `Unknown` may carry a known type byte with undefined flags, which RFC 9113 §4.1 says
//! to ignore; ids may exceed 31 bits), so the oracle is: the length field matches the
//! payload, and once decoded a frame is a fixed point — it re-encodes to bytes that decode to
//! it again, byte for byte. The property tests check exact equality for canonical frames.
#![no_main]

use h2probe_codec::frame::{Frame, HEAD_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|frame: Frame| {
    let bytes = frame.to_bytes();
    if bytes.len() - HEAD_LEN <= 0x00ff_ffff {
        assert_eq!(frame.head().length as usize, bytes.len() - HEAD_LEN);
    }
    if let Ok(Some((decoded, used))) = Frame::decode_bytes(&bytes) {
        assert_eq!(used, bytes.len());
        let canonical = decoded.to_bytes();
        let twice = Frame::decode_bytes(&canonical).expect("canonical bytes decode").expect("complete").0;
        assert_eq!(twice, decoded, "decode, encode, decode is stable");
        assert_eq!(twice.to_bytes(), canonical, "canonical bytes are a fixed point");
    }
});
