//! Frame decode and encode throughput on two realistic mixes: a DATA-heavy download (16 KiB
//! DATA frames with the WINDOW_UPDATE and PING traffic around them) and a HEADERS-heavy
//! exchange (small requests, CONTINUATION, SETTINGS). `cargo bench -p h2probe-codec --bench frames`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use h2probe_codec::frame::{Frame, FrameDecoder};
use h2probe_codec::{frames, SettingId};

fn data_heavy() -> Vec<Frame> {
    let mut v = Vec::new();
    for i in 0..256u32 {
        v.push(frames::data(1 + 2 * (i % 4), vec![b'd'; 16_384]).build());
        if i % 4 == 3 {
            v.push(frames::window_update(0, 65_536));
        }
        if i % 64 == 0 {
            v.push(frames::ping([i as u8; 8]).build());
        }
    }
    v
}

fn headers_heavy() -> Vec<Frame> {
    let mut v = vec![frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build()];
    for i in 0..2000u32 {
        let id = 1 + 2 * i;
        let req = frames::headers(id)
            .request("GET", &format!("/assets/{i}.js"))
            .field("user-agent", "h2probe-bench/1.0")
            .field("accept", "*/*")
            .field("cookie", "session=0123456789abcdef");
        if i % 10 == 0 {
            v.extend(req.end_stream().build_split(24));
        } else {
            v.push(req.end_stream().build());
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

fn bench(c: &mut Criterion) {
    for (name, mix) in [("data_heavy", data_heavy()), ("headers_heavy", headers_heavy())] {
        let wire = encode(&mix);
        let mut g = c.benchmark_group(format!("frames_{name}"));
        g.throughput(Throughput::Bytes(wire.len() as u64));
        let dec = FrameDecoder::new();
        g.bench_function("decode", |b| {
            b.iter(|| {
                let mut buf = &wire[..];
                let mut n = 0usize;
                while let Ok(Some((_, frame, used))) = dec.next_frame(buf) {
                    n += frame.head().length as usize;
                    buf = &buf[used..];
                }
                black_box(n)
            })
        });
        g.bench_function("encode", |b| {
            let mut out = Vec::with_capacity(wire.len());
            b.iter(|| {
                out.clear();
                for f in &mix {
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
