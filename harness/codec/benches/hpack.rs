//! HPACK throughput on the public hpack-test-case stories, ours beside the best public Rust
//! HPACK crates on the same input: every story's blocks decoded in order with one decoder
//! per story (shared context, as on a connection). Also our encoder on the raw-data stories.
//!
//! `cargo bench -p h2probe-codec --bench hpack`. Needs ../shared/hpack-test-case (or
//! H2PROBE_HPACK_TEST_CASE); without it the benchmark says so and measures nothing.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use h2probe_codec::hpack::{Decoder, Encoder, HeaderField};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("H2PROBE_HPACK_TEST_CASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/hpack-test-case"));
    dir.is_dir().then_some(dir)
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).filter_map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()).collect()
}

/// Stories as lists of (wire, headers), from encoders that keep the default table size.
fn stories(root: &std::path::Path, dirs: &[&str]) -> Vec<Vec<(Vec<u8>, Vec<HeaderField>)>> {
    let mut out = Vec::new();
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(d)) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let Ok(text) = std::fs::read_to_string(&p) else { continue };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            let cases = v["cases"].as_array().cloned().unwrap_or_default();
            out.push(
                cases
                    .iter()
                    .map(|c| {
                        let headers = c["headers"]
                            .as_array()
                            .map(|hs| {
                                hs.iter()
                                    .flat_map(|h| h.as_object().into_iter().flatten().map(|(k, v)| HeaderField::new(k.as_str(), v.as_str().unwrap_or_default())))
                                    .collect()
                            })
                            .unwrap_or_default();
                        (c["wire"].as_str().map(hex).unwrap_or_default(), headers)
                    })
                    .collect(),
            );
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let Some(root) = corpus() else {
        eprintln!("hpack-test-case corpus not found: HPACK benchmarks skipped");
        return;
    };
    let wire = stories(&root, &["nghttp2", "go-hpack", "python-hpack", "node-http2-hpack"]);
    let bytes: usize = wire.iter().flatten().map(|(w, _)| w.len()).sum();
    let mut g = c.benchmark_group("hpack_decode_stories");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("h2probe", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for story in &wire {
                let mut d = Decoder::new();
                for (block, _) in story {
                    d.decode_borrowed(block, |f| n += f.name.len() + f.value.len()).expect("decodes");
                }
            }
            black_box(n)
        })
    });
    g.bench_function("loona-hpack", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for story in &wire {
                let mut d = loona_hpack::Decoder::new();
                for (block, _) in story {
                    d.decode_with_cb(block, |k, v| n += k.len() + v.len()).expect("decodes");
                }
            }
            black_box(n)
        })
    });
    g.bench_function("hpack", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for story in &wire {
                let mut d = hpack::Decoder::new();
                for (block, _) in story {
                    d.decode_with_cb(block, |k, v| n += k.len() + v.len()).expect("decodes");
                }
            }
            black_box(n)
        })
    });
    g.bench_function("httlib-hpack", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for story in &wire {
                let mut d = httlib_hpack::Decoder::default();
                for (block, _) in story {
                    let mut buf = block.clone();
                    let mut dst = Vec::new();
                    d.decode(&mut buf, &mut dst).expect("decodes");
                    n += dst.iter().map(|(k, v, _)| k.len() + v.len()).sum::<usize>();
                }
            }
            black_box(n)
        })
    });
    g.finish();

    let raw = stories(&root, &["raw-data"]);
    let fields: usize = raw.iter().flatten().map(|(_, h)| h.len()).sum();
    let mut g = c.benchmark_group("hpack_encode_raw_data");
    g.throughput(Throughput::Elements(fields as u64));
    g.bench_function("h2probe", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let mut out = Vec::with_capacity(4096);
            for story in &raw {
                let mut e = Encoder::new();
                for (_, headers) in story {
                    out.clear();
                    e.encode(headers, &mut out);
                    n += out.len();
                }
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
