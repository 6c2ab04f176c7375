//! Arbitrary bytes as a sequence of field blocks into one decoder with tight limits: never
//! panics, stays within its limits, and whatever decodes re-encodes and decodes identically.
#![no_main]

use h2probe_codec::hpack::{Decoder, DecoderLimits, Encoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = DecoderLimits { max_header_list_size: 64 * 1024, max_string_len: 16 * 1024, max_fields: 512 };
    let mut dec = Decoder::with_limits(limits);
    // Blocks are separated by 0xfe octets, so one input exercises a connection's worth of blocks.
    for block in data.split(|&b| b == 0xfe) {
        match dec.decode(block) {
            Ok(fields) => {
                let size: usize = fields.iter().map(|f| f.size()).sum();
                assert!(size <= 64 * 1024 && fields.len() <= 512, "limits hold");
                assert!(dec.table().size() <= dec.table().max_size());
                let mut wire = Vec::new();
                Encoder::new().encode(&fields, &mut wire);
                let again = Decoder::new().decode(&wire).expect("our own encoding decodes");
                let pairs = |v: &[h2probe_codec::hpack::HeaderField]| v.iter().map(|f| (f.name.clone(), f.value.clone())).collect::<Vec<_>>();
                assert_eq!(pairs(&again), pairs(&fields));
            }
            Err(e) => {
                let _ = e.is_compression_error();
                // A compression error ends the connection; start over as a new one.
                dec = Decoder::with_limits(DecoderLimits { max_header_list_size: 64 * 1024, max_string_len: 16 * 1024, max_fields: 512 });
            }
        }
    }
});
