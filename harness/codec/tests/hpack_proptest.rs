//! Property tests: arbitrary header lists with interleaved acknowledged table-size changes
//! round-trip through Encoder → Decoder with both tables in step; integers and Huffman
//! strings round-trip for every prefix and every byte.

use h2probe_codec::hpack::{huffman, integer, Decoder, Encoder, HeaderField};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Encode(Vec<HeaderField>),
    Resize(usize),
}

fn field() -> impl Strategy<Value = HeaderField> {
    (
        prop_oneof![Just(b":path".to_vec()), Just(b"cookie".to_vec()), proptest::collection::vec(any::<u8>(), 0..20)],
        proptest::collection::vec(any::<u8>(), 0..300),
        any::<bool>(),
    )
        .prop_map(|(name, value, never_indexed)| HeaderField { name, value, never_indexed })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::collection::vec(field(), 0..12).prop_map(Op::Encode),
        1 => (0usize..6000).prop_map(Op::Resize),
    ]
}

proptest! {
    #[test]
    fn header_lists_round_trip_across_table_resizes(ops in proptest::collection::vec(op(), 1..24)) {
        let (mut enc, mut dec) = (Encoder::new(), Decoder::new());
        let mut max = 4096;
        for op in ops {
            match op {
                Op::Encode(fields) => {
                    let mut wire = Vec::new();
                    enc.encode(&fields, &mut wire);
                    let got = dec.decode(&wire).expect("our encoding decodes");
                    let pairs = |v: &[HeaderField]| v.iter().map(|f| (f.name.clone(), f.value.clone())).collect::<Vec<_>>();
                    prop_assert_eq!(pairs(&got), pairs(&fields));
                    for (g, f) in got.iter().zip(&fields) {
                        // A sensitive field must stay never-indexed on the wire.
                        if f.never_indexed { prop_assert!(g.never_indexed); }
                    }
                    prop_assert_eq!(enc.table().size(), dec.table().size());
                    prop_assert!(dec.table().size() <= max);
                }
                Op::Resize(n) => {
                    max = n;
                    enc.set_max_table_size(n);
                    dec.set_max_table_size(n);
                }
            }
        }
    }

    #[test]
    fn integers_round_trip(value in 0u64..(1 << 32), prefix in 1u8..=8, flags in any::<u8>()) {
        let mut buf = Vec::new();
        let mask = if prefix == 8 { 0 } else { flags & !((1u16 << prefix) - 1) as u8 };
        integer::encode(value, prefix, mask, &mut buf);
        let (got, used) = integer::decode(&buf, prefix).expect("decodes");
        prop_assert_eq!((got, used), (value, buf.len()));
    }

    #[test]
    fn huffman_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut coded = Vec::new();
        huffman::encode(&bytes, &mut coded);
        prop_assert_eq!(coded.len(), huffman::encoded_len(&bytes));
        let mut back = Vec::new();
        huffman::decode(&coded, &mut back).expect("decodes");
        prop_assert_eq!(back, bytes);
    }
}
