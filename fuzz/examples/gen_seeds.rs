//! Writes the seed corpora (fuzz/corpus/<target>/<name>) from the codec's own frame DSL and
//! HPACK encoder, so seeds are reproducible: `cargo run --example gen_seeds` from fuzz/.

use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::{Encoder, HeaderField, Representation};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId};
use std::path::Path;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus dir");
    std::fs::write(dir.join(name), bytes).expect("write seed");
}

fn main() {
    let block = frames::headers(1).request("GET", "/").encoded_block();
    let seeds: Vec<(&str, Frame)> = vec![
        ("data", frames::data(1, b"hello".to_vec()).end_stream().build()),
        ("data-padded", frames::data(1, b"hi".to_vec()).padded(7).build()),
        ("headers", frames::headers(1).request("GET", "/").end_stream().build()),
        ("headers-priority", frames::headers(3).request("POST", "/x").priority(1, 200, true).padded(3).build()),
        ("priority", frames::priority(5, 3, 15).exclusive().build()),
        ("rst", frames::rst_stream(1, ErrorCode::CANCEL)),
        ("settings", frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 1).set(SettingId::MAX_FRAME_SIZE, 32_768).build()),
        ("settings-ack", frames::settings_ack()),
        ("push-promise", frames::push_promise(1, 2).block(block.clone()).build()),
        ("ping", frames::ping(*b"h2probe!").build()),
        ("goaway", frames::goaway(7, ErrorCode::ENHANCE_YOUR_CALM).debug("too many resets").build()),
        ("window-update", frames::window_update(0, 65_535)),
        ("continuation", frames::continuation(1, block.clone()).end_headers().build()),
        ("priority-update", frames::priority_update(1, "u=1, i")),
        ("unknown-0x16", frames::unknown(0x16, 0, b"extension".to_vec())),
    ];
    let mut stream = Vec::new();
    for (name, f) in &seeds {
        let bytes = f.to_bytes();
        // frame_decode: a limit byte, then the frame.
        write("frame_decode", name, &[&[0u8][..], &bytes].concat());
        stream.extend_from_slice(&bytes);
    }
    write("frame_decode", "connection", &[&[0u8][..], &stream].concat());
    write("frame_decode", "raw-lying-length", &[&[0u8][..], &frames::raw(FrameType::PING).len(6).payload([0; 8]).build().to_bytes()].concat());
    // hpack_decode: RFC 7541 C.3 (requests, one context) and C.6 style responses, 0xfe-separated.
    let mut enc = Encoder::new();
    let mut blocks = Vec::new();
    for fields in [
        vec![HeaderField::new(":method", "GET"), HeaderField::new(":path", "/"), HeaderField::new(":authority", "www.example.com")],
        vec![HeaderField::new(":method", "GET"), HeaderField::new("cache-control", "no-cache")],
        vec![HeaderField::new("custom-key", "custom-value"), HeaderField::sensitive("authorization", "secret")],
    ] {
        let mut wire = Vec::new();
        enc.encode(&fields, &mut wire);
        blocks.extend_from_slice(&wire);
        blocks.push(0xfe);
    }
    write("hpack_decode", "requests", &blocks);
    let mut odd = Vec::new();
    Encoder::new().encode_block(&[Representation::size_update(0), Representation::size_update(4096), Representation::literal("x", "y").incremental().huffman(), Representation::indexed(62)], &mut odd);
    write("hpack_decode", "size-updates", &odd);
    write("hpack_decode", "integer-overflow", &Representation::indexed_overflowing().to_bytes());
    println!("seeds written to {}/corpus", env!("CARGO_MANIFEST_DIR"));
}
