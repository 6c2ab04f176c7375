//! RFC 7541 Appendix C: every example, decoded to the listed headers with the listed
//! dynamic-table size after each block, and encoded back to the listed octets with the
//! representations the example uses.

use h2probe_codec::hpack::{Decoder, Encoder, HeaderField, Representation as R};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex")).collect()
}

fn fields(list: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    list.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
}

fn strip(v: Vec<HeaderField>) -> Vec<(Vec<u8>, Vec<u8>)> {
    v.into_iter().map(|f| (f.name, f.value)).collect()
}

/// Decodes `blocks` in one context, checking headers and table size after each; then
/// encodes the same representations and checks the bytes.
fn story(table_size: usize, blocks: &[(&str, &[(&str, &str)], usize, Vec<R>)]) {
    let mut d = Decoder::new();
    let mut e = Encoder::new();
    if table_size != 4096 {
        // C.5 and C.6 assume a 256-octet table from the start: SETTINGS_HEADER_TABLE_SIZE=256
        // acknowledged, and the encoder's size update (an otherwise empty block) received.
        d.set_max_table_size(table_size);
        e.set_max_table_size(table_size);
        let mut signal = Vec::new();
        e.encode_block(&[], &mut signal);
        assert_eq!(signal, hex("3fe1 01"), "size update to 256");
        d.decode(&signal).expect("the size update decodes");
    }
    for (i, (wire, headers, size, reprs)) in blocks.iter().enumerate() {
        let wire = hex(wire);
        let got = d.decode(&wire).unwrap_or_else(|err| panic!("block {i}: {err}"));
        assert_eq!(strip(got), fields(headers), "block {i} headers");
        assert_eq!(d.table().size(), *size, "block {i} table size");
        let mut out = Vec::new();
        e.encode_block(reprs, &mut out);
        assert_eq!(out, wire, "block {i} encoding");
        assert_eq!(e.table().size(), *size, "block {i} encoder table size");
    }
}

#[test]
fn c2_1_literal_with_indexing() {
    story(4096, &[("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", &[("custom-key", "custom-header")], 55, vec![R::literal("custom-key", "custom-header").incremental()])]);
}

#[test]
fn c2_2_literal_without_indexing() {
    story(4096, &[("040c 2f73 616d 706c 652f 7061 7468", &[(":path", "/sample/path")], 0, vec![R::literal_indexed_name(4, "/sample/path").without_indexing()])]);
}

#[test]
fn c2_3_literal_never_indexed() {
    story(4096, &[("1008 7061 7373 776f 7264 0673 6563 7265 74", &[("password", "secret")], 0, vec![R::literal("password", "secret").never_indexed()])]);
}

#[test]
fn c2_4_indexed() {
    story(4096, &[("82", &[(":method", "GET")], 0, vec![R::indexed(2)])]);
}

fn requests(huffman: bool) -> Vec<(&'static str, &'static [(&'static str, &'static str)], usize, Vec<R>)> {
    let lit = |i: u64, v: &str| {
        let r = R::literal_indexed_name(i, v).incremental();
        if huffman {
            r.huffman()
        } else {
            r
        }
    };
    let newname = |n: &str, v: &str| {
        let r = R::literal(n, v).incremental();
        if huffman {
            r.huffman()
        } else {
            r
        }
    };
    let (w1, w2, w3) = if huffman {
        (
            "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            "8286 84be 5886 a8eb 1064 9cbf",
            "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
        )
    } else {
        (
            "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "8286 84be 5808 6e6f 2d63 6163 6865",
            "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
        )
    };
    vec![
        (
            w1,
            &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")],
            57,
            vec![R::indexed(2), R::indexed(6), R::indexed(4), lit(1, "www.example.com")],
        ),
        (
            w2,
            &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")],
            110,
            vec![R::indexed(2), R::indexed(6), R::indexed(4), R::indexed(62), lit(24, "no-cache")],
        ),
        (
            w3,
            &[(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")],
            164,
            vec![R::indexed(2), R::indexed(7), R::indexed(5), R::indexed(63), newname("custom-key", "custom-value")],
        ),
    ]
}

#[test]
fn c3_requests_without_huffman() {
    story(4096, &requests(false));
}

#[test]
fn c4_requests_with_huffman() {
    story(4096, &requests(true));
}

fn responses(huffman: bool) -> Vec<(&'static str, &'static [(&'static str, &'static str)], usize, Vec<R>)> {
    let lit = |i: u64, v: &str| {
        let r = R::literal_indexed_name(i, v).incremental();
        if huffman {
            r.huffman()
        } else {
            r
        }
    };
    let (w1, w2, w3) = if huffman {
        (
            "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            "4883 640e ffc1 c0bf",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
        )
    } else {
        (
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
        )
    };
    let date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
    let date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
    let cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
    vec![
        (
            w1,
            &[(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")],
            222,
            vec![lit(8, "302"), lit(24, "private"), lit(33, date1), lit(46, "https://www.example.com")],
        ),
        (
            w2,
            &[(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")],
            222,
            vec![lit(8, "307"), R::indexed(65), R::indexed(64), R::indexed(63)],
        ),
        (
            w3,
            &[
                (":status", "200"),
                ("cache-control", "private"),
                ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
                ("location", "https://www.example.com"),
                ("content-encoding", "gzip"),
                ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
            ],
            215,
            vec![R::indexed(8), R::indexed(65), lit(33, date2), R::indexed(64), lit(26, "gzip"), lit(55, cookie)],
        ),
    ]
}

#[test]
fn c5_responses_without_huffman_table_256() {
    story(256, &responses(false));
}

#[test]
fn c6_responses_with_huffman_table_256() {
    story(256, &responses(true));
}
