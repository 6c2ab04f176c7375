//! Arbitrary bytes as a sequence of field blocks (separated by 0xfe octets) into one
//! `Decoder` with tight limits, as a connection would feed it. Oracles: never panics; the
//! limits hold; the dynamic table stays within its bound; the heap grows by at most a
//! constant plus a small multiple of the block while decoding (a counting allocator
//! measures it); and whenever a block decodes, a fresh `Encoder`'s encoding of the fields
//! decodes to the same fields.
#![no_main]

use h2probe_codec::hpack::{Decoder, DecoderLimits, Encoder, HpackError};
use libfuzzer_sys::fuzz_target;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

const LIMITS: DecoderLimits = DecoderLimits { max_header_list_size: 4096, max_string_len: 1024, max_fields: 64 };

/// Heap growth allowed while decoding one block of `len` octets: the table (at most 4096
/// octets of entries plus per-entry bookkeeping), the decoded list (bounded by the limits),
/// and Huffman scratch, which is at most 8/5 of the block.
fn heap_bound(len: usize) -> usize {
    64 * 1024 + 4 * len
}

fuzz_target!(|data: &[u8]| {
    let mut dec = Decoder::with_limits(LIMITS);
    for block in data.split(|&b| b == 0xfe) {
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let result = dec.decode(block);
        let grown = PEAK.load(Relaxed) - base;
        assert!(grown <= heap_bound(block.len()), "decoding {} octets grew the heap by {grown}", block.len());
        assert!(dec.table().size() <= dec.table().max_size() && dec.table().max_size() <= dec.max_table_size());
        match result {
            Ok(fields) => {
                let size: usize = fields.iter().map(|f| f.size()).sum();
                assert!(size <= LIMITS.max_header_list_size && fields.len() <= LIMITS.max_fields, "limits hold");
                assert!(fields.iter().all(|f| f.name.len() <= LIMITS.max_string_len && f.value.len() <= LIMITS.max_string_len));
                let mut wire = Vec::new();
                Encoder::new().encode(&fields, &mut wire);
                let again = Decoder::with_limits(LIMITS).decode(&wire).expect("our own encoding of a decoded list decodes");
                assert_eq!(again, fields, "re-encoded fields decode to the same fields (never-indexed kept)");
            }
            // The local limits leave the table in sync: the connection goes on.
            Err(HpackError::HeaderListTooLarge { .. } | HpackError::TooManyFields { .. }) => {}
            // A compression error ends the connection (RFC 9113 §4.3); the next block starts a new one.
            Err(e) => {
                assert!(e.is_compression_error());
                dec = Decoder::with_limits(LIMITS);
            }
        }
    }
});

/// Live heap octets and the peak since the last reset, for the heap-growth oracle.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            PEAK.fetch_max(LIVE.fetch_add(layout.size(), Relaxed) + layout.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            PEAK.fetch_max(LIVE.fetch_add(new_size, Relaxed) + new_size, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;
