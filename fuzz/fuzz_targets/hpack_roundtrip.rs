//! Structure-aware: header lists and acknowledged table-size changes applied to an encoder
//! and a decoder in lockstep, against a simple model: every list decodes to itself, and
//! both dynamic tables stay the same size and within the agreed maximum.
#![no_main]

use arbitrary::Arbitrary;
use h2probe_codec::hpack::{Decoder, Encoder, HeaderField};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Encode(Vec<HeaderField>),
    /// SETTINGS_HEADER_TABLE_SIZE sent by the decoder's side and acknowledged.
    Resize(u16),
}

fuzz_target!(|ops: Vec<Op>| {
    let (mut enc, mut dec) = (Encoder::new(), Decoder::new());
    let mut max = 4096usize;
    for op in ops.into_iter().take(64) {
        match op {
            Op::Encode(fields) => {
                let fields: Vec<HeaderField> = fields.into_iter().take(32).collect();
                let mut wire = Vec::new();
                enc.encode(&fields, &mut wire);
                let got = dec.decode(&wire).expect("our encoding decodes");
                let pairs = |v: &[HeaderField]| v.iter().map(|f| (f.name.clone(), f.value.clone())).collect::<Vec<_>>();
                assert_eq!(pairs(&got), pairs(&fields));
                assert_eq!(enc.table().size(), dec.table().size(), "tables in lockstep");
                assert!(dec.table().size() <= max);
            }
            Op::Resize(n) => {
                max = n as usize;
                enc.set_max_table_size(max);
                dec.set_max_table_size(max);
            }
        }
    }
});
