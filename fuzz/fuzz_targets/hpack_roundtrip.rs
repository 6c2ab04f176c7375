//! Structure-aware: header lists and acknowledged SETTINGS_HEADER_TABLE_SIZE changes applied
//! to an `Encoder` and a `Decoder` in lockstep, checked against a small model of the
//! connection: every list decodes to itself (never-indexed flags included); after each
//! block both dynamic tables hold the same entries, within the size last agreed; and a block
//! that follows resizes starts with the size update announcing the final size.
#![no_main]

use arbitrary::Arbitrary;
use h2probe_codec::hpack::{Decoder, Encoder, HeaderField};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    /// The encoder's side sends a header list.
    Encode(Vec<HeaderField>),
    /// The decoder's side sends SETTINGS_HEADER_TABLE_SIZE and the encoder's side ACKs it.
    Resize(u16),
}

/// What the two endpoints have agreed so far.
struct Model {
    /// SETTINGS_HEADER_TABLE_SIZE in force.
    max: usize,
    /// Resizes since the last block, so the next block must start with a size update.
    resized: bool,
}

fuzz_target!(|ops: Vec<Op>| {
    let (mut enc, mut dec) = (Encoder::new(), Decoder::new());
    let mut model = Model { max: 4096, resized: false };
    for op in ops.into_iter().take(64) {
        match op {
            Op::Encode(fields) => {
                let fields: Vec<HeaderField> = fields.into_iter().take(32).collect();
                let mut wire = Vec::new();
                enc.encode(&fields, &mut wire);
                assert!(!enc.has_pending_size_update());
                let got = dec.decode(&wire).unwrap_or_else(|e| panic!("our encoding fails to decode: {e}"));
                assert_eq!(got, fields, "a list decodes to itself");
                let expected_update = std::mem::take(&mut model.resized).then_some(model.max as u64);
                assert_eq!(dec.last_block_started_with_size_update(), expected_update, "size update signalled");
                assert_eq!(enc.table().max_size(), model.max);
                assert_eq!(dec.table().max_size(), model.max);
                assert!(dec.table().size() <= model.max);
                assert_eq!(enc.table().size(), dec.table().size(), "table sizes in lockstep");
                assert!(enc.table().iter().eq(dec.table().iter()), "table entries in lockstep");
            }
            Op::Resize(n) => {
                model.max = usize::from(n);
                model.resized = true;
                enc.set_max_table_size(model.max);
                dec.set_max_table_size(model.max);
                assert!(enc.table().size() <= model.max);
            }
        }
    }
});
