//! Frame decode and encode throughput on two realistic mixes:
//!
//! - `data_heavy`: a download, 16 KiB DATA frames on four streams with the WINDOW_UPDATE and
//!   PING traffic around them, 4 MiB in all;
//! - `headers_heavy`: 2 000 small requests built with the `frames::` DSL (one in ten split
//!   into HEADERS + CONTINUATION), with SETTINGS and SETTINGS ACKs along the way.
//!
//! `decode` is `FrameDecoder::next_frame` in a loop over the byte buffer (typed frames);
//! `decode_raw` is `next_raw`, the zero-copy split that every typed decode starts with;
//! `encode` appends every frame to one reused buffer. Throughput is in wire bytes.
//! `cargo bench -p h2probe-codec --bench frames -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use h2probe_codec::frame::{Frame, FrameDecoder};
use h2probe_codec::{frames, SettingId};

fn data_heavy() -> Vec<Frame> {
    let mut v = Vec::new();
    for i in 0..256u32 {
        v.push(frames::data(1 + 2 * (i % 4), vec![b'd'; 16_384]).build());
        if i % 4 == 3 {
            v.push(frames::window_update(0, 65_536));
            v.push(frames::window_update(1 + 2 * (i % 4), 65_536));
        }
        if i % 64 == 0 {
            v.push(frames::ping([i as u8; 8]).build());
        }
    }
    v
}

fn headers_heavy() -> Vec<Frame> {
    let mut v = vec![frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).set(SettingId::INITIAL_WINDOW_SIZE, 1 << 20).build()];
    for i in 0..2000u32 {
        let id = 1 + 2 * i;
        let req = frames::headers(id)
            .request("GET", &format!("/assets/{i}.js"))
            .field("user-agent", "h2probe-bench/1.0")
            .field("accept", "*/*")
            .field("cookie", "session=0123456789abcdef")
            .end_stream();
        if i % 10 == 0 {
            v.extend(req.build_split(24));
        } else {
            v.push(req.build());
        }
        if i % 100 == 99 {
            v.push(frames::settings_ack());
        }
    }
    v
}

fn encode(frames: &[Frame]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in frames {
        f.encode(&mut out);
    }
    out
}

/// Decodes the whole buffer; panics unless every byte is consumed, so an error can never
/// end the loop early and inflate the figure.
fn decode_all(dec: &FrameDecoder, wire: &[u8]) -> usize {
    let mut buf = wire;
    let mut n = 0usize;
    while !buf.is_empty() {
        let (_, frame, used) = dec.next_frame(buf).expect("valid mix").expect("whole frames");
        n += frame.head().length as usize;
        buf = &buf[used..];
    }
    n
}

fn bench(c: &mut Criterion) {
    for (name, mix) in [("data_heavy", data_heavy()), ("headers_heavy", headers_heavy())] {
        let wire = encode(&mix);
        let dec = FrameDecoder::new();
        assert_eq!(decode_all(&dec, &wire) + 9 * mix.len(), wire.len(), "the mix decodes whole");
        let mut g = c.benchmark_group(format!("frames_{name}"));
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_function("decode", |b| b.iter(|| black_box(decode_all(&dec, black_box(&wire)))));
        g.bench_function("decode_raw", |b| {
            b.iter(|| {
                let mut buf = black_box(&wire[..]);
                let mut n = 0usize;
                while let Ok(Some((head, payload))) = dec.next_raw(buf) {
                    n += payload.len() + head.flags as usize;
                    buf = &buf[9 + payload.len()..];
                }
                black_box(n)
            })
        });
        g.bench_function("encode", |b| {
            let mut out = Vec::with_capacity(wire.len());
            b.iter(|| {
                out.clear();
                for f in black_box(&mix) {
                    f.encode(&mut out);
                }
                black_box(out.len())
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
