//! Writes the seed corpora, fuzz/corpus/<target>/<name>, from the codec itself: frames from
//! the `frames::` DSL, HPACK blocks from RFC 7541 Appendix C (as representations, encoded by
//! the codec's `Encoder`) and from the default encoder. Reproducible and small (tens of files,
//! a few KB): `cargo run --example gen_seeds` from fuzz/. It replaces the two directories.
//!
//! The `Arbitrary` targets (frame_roundtrip, hpack_roundtrip) get no seeds: their inputs are
//! entropy for the derive, not wire bytes, and libFuzzer finds their structure from empty.

use h2probe_codec::frame::{Frame, RawFrame};
use h2probe_codec::hpack::{Encoder, HeaderField, Representation as R, StringCoding};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId};
use std::path::{Path, PathBuf};

/// frame_decode reads the advertised SETTINGS_MAX_FRAME_SIZE from the first three octets.
const LIMIT_16K: [u8; 3] = [0x00, 0x40, 0x00];

fn corpus(target: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the corpus directory");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write a seed");
}

fn frame_seeds() -> Vec<(&'static str, Vec<Frame>)> {
    let get = frames::headers(1).request("GET", "/index.html").field("user-agent", "h2probe");
    let block = get.encoded_block();
    let split = get.clone().end_stream().build_split(8);
    vec![
        ("data", vec![frames::data(1, b"hello".to_vec()).end_stream().build()]),
        ("data-padded", vec![frames::data(1, b"hi".to_vec()).padded(7).build()]),
        ("headers", vec![get.clone().end_stream().build()]),
        ("headers-priority", vec![frames::headers(3).request("POST", "/x").priority(1, 200, true).padded(3).build()]),
        ("headers-continuation", split),
        ("continuation", vec![frames::continuation(1, block.clone()).end_headers().build()]),
        ("priority", vec![frames::priority(5, 3, 15).exclusive().build()]),
        ("rst", vec![frames::rst_stream(1, ErrorCode::CANCEL)]),
        (
            "settings",
            vec![frames::settings()
                .set(SettingId::HEADER_TABLE_SIZE, 0)
                .set(SettingId::ENABLE_PUSH, 0)
                .set(SettingId::INITIAL_WINDOW_SIZE, 1 << 20)
                .set(SettingId::MAX_FRAME_SIZE, 32_768)
                .build()],
        ),
        ("settings-ack", vec![frames::settings_ack()]),
        ("push-promise", vec![frames::push_promise(1, 2).block(block).build()]),
        ("ping", vec![frames::ping(*b"h2probe!").build()]),
        ("ping-ack", vec![frames::ping(*b"h2probe!").ack().build()]),
        ("goaway", vec![frames::goaway(7, ErrorCode::ENHANCE_YOUR_CALM).debug("too many resets").build()]),
        ("window-update", vec![frames::window_update(0, 65_535)]),
        ("priority-update", vec![frames::priority_update(1, "u=1, i")]),
        ("unknown-0x16", vec![frames::unknown(0x16, 0, b"extension".to_vec())]),
        (
            "connection",
            vec![
                frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build(),
                frames::settings_ack(),
                frames::window_update(0, 1 << 24),
                get.end_stream().build(),
                frames::headers(1).status(200).field("content-type", "text/plain").build(),
                frames::data(1, vec![b'x'; 64]).build(),
                frames::data(1, Vec::new()).end_stream().build(),
                frames::ping([0; 8]).ack().build(),
                frames::goaway(1, ErrorCode::NO_ERROR).build(),
            ],
        ),
    ]
}

/// Raw frames that break §4.1 / §6 rules on purpose.
fn raw_seeds() -> Vec<(&'static str, RawFrame)> {
    vec![
        ("raw-lying-length", frames::raw(FrameType::PING).len(6).payload([0; 8]).build()),
        ("raw-reserved-bit", frames::raw(FrameType::WINDOW_UPDATE).stream(1).reserved().payload([0, 0, 0, 1]).build()),
        ("raw-data-stream-0", frames::raw(FrameType::DATA).flags(0x09).payload([0, b'x']).build()),
        ("raw-too-large", frames::raw(FrameType::DATA).stream(1).len(16_385).payload([0; 16]).build()),
    ]
}

fn frame_decode() {
    let dir = corpus("frame_decode");
    for (name, frames) in frame_seeds() {
        let mut bytes = LIMIT_16K.to_vec();
        frames.iter().for_each(|f| f.encode(&mut bytes));
        write(&dir, name, &bytes);
    }
    for (name, raw) in raw_seeds() {
        write(&dir, name, &[&LIMIT_16K[..], &raw.to_bytes()].concat());
    }
}

/// RFC 7541 Appendix C, as the representations each example uses: C.2 one block each,
/// C.3-C.6 three blocks in one context. C.5/C.6 assume a 256-octet table, which the
/// encoder announces with a size update at the start of the first block.
fn appendix_c() -> Vec<(&'static str, usize, Vec<Vec<R>>)> {
    let lit = |i: u64, v: &str, h: bool| {
        let r = R::literal_indexed_name(i, v).incremental();
        if h {
            r.huffman()
        } else {
            r
        }
    };
    let requests = |h: bool| {
        let custom = R::literal("custom-key", "custom-value").incremental();
        vec![
            vec![R::indexed(2), R::indexed(6), R::indexed(4), lit(1, "www.example.com", h)],
            vec![R::indexed(2), R::indexed(6), R::indexed(4), R::indexed(62), lit(24, "no-cache", h)],
            vec![R::indexed(2), R::indexed(7), R::indexed(5), R::indexed(63), if h { custom.huffman() } else { custom }],
        ]
    };
    let responses = |h: bool| {
        let (date1, date2) = ("Mon, 21 Oct 2013 20:13:21 GMT", "Mon, 21 Oct 2013 20:13:22 GMT");
        let cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
        vec![
            vec![lit(8, "302", h), lit(24, "private", h), lit(33, date1, h), lit(46, "https://www.example.com", h)],
            vec![lit(8, "307", h), R::indexed(65), R::indexed(64), R::indexed(63)],
            vec![R::indexed(8), R::indexed(65), lit(33, date2, h), R::indexed(64), lit(26, "gzip", h), lit(55, cookie, h)],
        ]
    };
    vec![
        ("c2-1-literal-indexed", 4096, vec![vec![R::literal("custom-key", "custom-header").incremental()]]),
        ("c2-2-literal-not-indexed", 4096, vec![vec![R::literal_indexed_name(4, "/sample/path").without_indexing()]]),
        ("c2-3-literal-never-indexed", 4096, vec![vec![R::literal("password", "secret").never_indexed()]]),
        ("c2-4-indexed", 4096, vec![vec![R::indexed(2)]]),
        ("c3-requests", 4096, requests(false)),
        ("c4-requests-huffman", 4096, requests(true)),
        ("c5-responses-table-256", 256, responses(false)),
        ("c6-responses-huffman-table-256", 256, responses(true)),
    ]
}

/// Joins blocks with the 0xfe separator hpack_decode splits on; a seed block must not
/// contain one, or it would not reach the decoder whole.
fn join(name: &str, blocks: &[Vec<u8>]) -> Vec<u8> {
    assert!(blocks.iter().all(|b| !b.contains(&0xfe)), "{name}: a block contains the 0xfe separator");
    blocks.join(&0xfe)
}

fn hpack_decode() {
    let dir = corpus("hpack_decode");
    for (name, table, blocks) in appendix_c() {
        let mut enc = Encoder::new();
        if table != 4096 {
            enc.set_max_table_size(table);
        }
        let wire: Vec<Vec<u8>> = blocks
            .iter()
            .map(|reprs| {
                let mut out = Vec::new();
                enc.encode_block(reprs, &mut out);
                out
            })
            .collect();
        write(&dir, name, &join(name, &wire));
    }
    // Header lists through the default strategy (dynamic table, Huffman when shorter).
    let lists = |lists: &[&[(&str, &str)]]| -> Vec<Vec<u8>> {
        let mut enc = Encoder::new();
        lists
            .iter()
            .map(|l| {
                let fields: Vec<HeaderField> = l
                    .iter()
                    .map(|&(n, v)| if n == "authorization" { HeaderField::sensitive(n, v) } else { HeaderField::new(n, v) })
                    .collect();
                let mut out = Vec::new();
                enc.encode(&fields, &mut out);
                out
            })
            .collect()
    };
    let req: &[(&str, &str)] = &[(":method", "GET"), (":scheme", "https"), (":path", "/"), (":authority", "example.com"), ("user-agent", "h2probe/0.1")];
    let req2: &[(&str, &str)] = &[(":method", "POST"), (":scheme", "https"), (":path", "/api"), (":authority", "example.com"), ("authorization", "Bearer secret"), ("content-type", "application/json")];
    let resp: &[(&str, &str)] = &[(":status", "200"), ("content-type", "text/html; charset=utf-8"), ("cache-control", "max-age=60"), ("server", "h2probe")];
    write(&dir, "lists-requests", &join("lists-requests", &lists(&[req, req2, req])));
    write(&dir, "lists-responses", &join("lists-responses", &lists(&[resp, &[(":status", "404")], resp])));
    // Representations a hostile peer sends.
    let block = |reprs: &[R]| reprs.iter().flat_map(R::to_bytes).collect::<Vec<u8>>();
    write(&dir, "size-updates", &block(&[R::size_update(0), R::size_update(4096), R::literal("x", "y").incremental().huffman(), R::indexed(62)]));
    write(&dir, "size-update-after-field", &block(&[R::indexed(2), R::size_update(0)]));
    write(&dir, "integer-overflow", &R::indexed_overflowing().to_bytes());
    write(&dir, "huffman-eos", &block(&[R::literal("a", "b").with_value_coding(StringCoding::HuffmanWithEos)]));
    write(&dir, "string-overrun", &block(&[R::literal("a", "b").with_value_coding(StringCoding::LengthOverrun(1000))]));
}

fn main() {
    frame_decode();
    hpack_decode();
    println!("seeds written to {}/corpus", env!("CARGO_MANIFEST_DIR"));
}
