//! Huffman coding of string literals (RFC 7541 §5.2, Appendix B).
//!
//! The only data written by hand is the code table in `huffman_codes.rs`. The decode tables
//! below are derived from it by `const fn`s at compile time, so there is no second table to
//! drift out of sync and no generator script to re-run.
//!
//! Decoding is the hot path of every HPACK decoder (most peers Huffman-code nearly every
//! string), so it is table driven: a 64-bit accumulator is peeked [`LOOKUP_BITS`] bits at a
//! time, and one table entry yields up to two symbols. Codes longer than the lookup width
//! (rare characters, 13 to 30 bits) fall back to canonical decoding, which the RFC's code
//! allows because it is a canonical Huffman code (checked by a unit test).
//!
//! The violation encoders ([`encode_with_eos`], [`encode_with_padding`]) exist because a
//! conformance tester must be able to send exactly the strings RFC 7541 §5.2 tells a decoder
//! to reject.

use super::huffman_codes::CODES;
use super::HpackError;

/// Width in bits of the primary decode table index. 12 bits keeps the table at 16 KiB
/// (inside L1) while covering every code of the common header characters.
const LOOKUP_BITS: u32 = 12;
const LOOKUP_SIZE: usize = 1 << LOOKUP_BITS;
/// The EOS symbol (RFC 7541 Appendix B, symbol 256).
const EOS: usize = 256;

/// Builds the primary table. Entry layout (`u32`):
/// bits 0..8 first symbol, 8..16 second symbol, 16..21 first code length (0 = the first
/// code is longer than [`LOOKUP_BITS`]), 21..26 bits consumed when both symbols are taken,
/// 26..28 number of symbols the fast path emits (1 or 2).
const fn build_decode_table() -> [u32; LOOKUP_SIZE] {
    // First pass: for every LOOKUP_BITS-bit window, the single code at its front, if short.
    let mut single = [0u16; LOOKUP_SIZE];
    let mut sym = 0;
    while sym < EOS {
        let (code, len) = CODES[sym];
        if len as u32 <= LOOKUP_BITS {
            let shift = LOOKUP_BITS - len as u32;
            let mut i = (code << shift) as usize;
            let end = ((code + 1) << shift) as usize;
            while i < end {
                single[i] = sym as u16 | ((len as u16) << 8);
                i += 1;
            }
        }
        sym += 1;
    }
    // Second pass: pair each window's first symbol with the symbol right after it when
    // both fit in the window.
    let mut table = [0u32; LOOKUP_SIZE];
    let mut i = 0;
    while i < LOOKUP_SIZE {
        let e1 = single[i];
        let l1 = (e1 >> 8) as u32;
        if l1 != 0 {
            let s1 = (e1 & 0xff) as u32;
            let rest = (i << l1) & (LOOKUP_SIZE - 1);
            let e2 = single[rest];
            let l2 = (e2 >> 8) as u32;
            table[i] = if l2 != 0 && l1 + l2 <= LOOKUP_BITS {
                s1 | ((e2 & 0xff) as u32) << 8 | l1 << 16 | (l1 + l2) << 21 | 2 << 26
            } else {
                s1 | l1 << 16 | l1 << 21 | 1 << 26
            };
        }
        i += 1;
    }
    table
}

static DECODE_TABLE: [u32; LOOKUP_SIZE] = build_decode_table();

/// Canonical-code description used for codes longer than [`LOOKUP_BITS`].
struct Canonical {
    /// First (numerically smallest) code of each length.
    first: [u32; 31],
    /// Number of codes of each length.
    count: [u32; 31],
    /// Index in `sorted` of the first symbol of each length.
    offset: [u32; 31],
    /// Symbols ordered by (code length, symbol), i.e. by code.
    sorted: [u16; 257],
}

const fn build_canonical() -> Canonical {
    let mut c = Canonical { first: [0; 31], count: [0; 31], offset: [0; 31], sorted: [0; 257] };
    let mut n = 0;
    let mut len = 1;
    while len <= 30 {
        c.offset[len] = n as u32;
        let mut sym = 0;
        while sym <= EOS {
            if CODES[sym].1 as usize == len {
                if c.count[len] == 0 {
                    c.first[len] = CODES[sym].0;
                }
                c.count[len] += 1;
                c.sorted[n] = sym as u16;
                n += 1;
            }
            sym += 1;
        }
        len += 1;
    }
    c
}

static CANONICAL: Canonical = build_canonical();

/// Decodes the code at the top of `acc` whose length exceeds [`LOOKUP_BITS`]; returns
/// `(symbol, length)`. The top bits may be zero-filled past the end of the input, in which
/// case the length returned exceeds the bits really available and the caller treats the
/// rest as padding.
#[inline(never)]
fn decode_long(acc: u64) -> Option<(usize, u32)> {
    let top = (acc >> 34) as u32; // top 30 bits
    let mut len = LOOKUP_BITS as usize + 1;
    while len <= 30 {
        let code = top >> (30 - len);
        let d = code.wrapping_sub(CANONICAL.first[len]);
        if d < CANONICAL.count[len] {
            let sym = CANONICAL.sorted[(CANONICAL.offset[len] + d) as usize];
            return Some((sym as usize, len as u32));
        }
        len += 1;
    }
    // Unreachable for a complete code (Kraft sum 1, tested), but never panic on input.
    None
}

/// RFC 7541 §5.2: "A padding strictly longer than 7 bits MUST be treated as a decoding
/// error. A padding not corresponding to the most significant bits of the code for the EOS
/// symbol MUST be treated as a decoding error." `bits` (< 30) are left in `acc`.
fn check_padding(acc: u64, bits: u32) -> Result<(), HpackError> {
    if bits == 0 {
        return Ok(());
    }
    let pad = acc >> (64 - bits);
    if pad != (1u64 << bits) - 1 {
        Err(HpackError::HuffmanPaddingNotOnes)
    } else if bits > 7 {
        Err(HpackError::HuffmanPaddingTooLong)
    } else {
        Ok(())
    }
}

/// Decodes the Huffman-coded string `src`, appending the octets to `dst`.
///
/// Rejects, as RFC 7541 §5.2 requires, an EOS symbol in the string, padding longer than 7
/// bits and padding that is not all ones. On error `dst` is left as it was.
pub fn decode(src: &[u8], dst: &mut Vec<u8>) -> Result<(), HpackError> {
    let start = dst.len();
    // Every code is at least 5 bits, so n octets hold at most 8n/5 symbols; +2 leaves room
    // for the fast path, which always stores two octets and then advances by one or two.
    let room = src.len() * 8 / 5 + 2;
    dst.resize(start + room, 0);
    let result = decode_into(src, &mut dst[start..]);
    match result {
        Ok(n) => {
            dst.truncate(start + n);
            Ok(())
        }
        Err(e) => {
            dst.truncate(start);
            Err(e)
        }
    }
}

/// The decode loop proper; `out` is large enough (see [`decode`]). Returns octets written.
#[inline]
fn decode_into(src: &[u8], out: &mut [u8]) -> Result<usize, HpackError> {
    let mut acc: u64 = 0; // pending bits, most significant first; the rest is zero
    let mut bits: u32 = 0; // number of pending bits
    let mut pos = 0;
    let mut o = 0;
    loop {
        // Keep at least 30 bits (the longest code) pending while input lasts.
        if bits <= 32 {
            if let Some(&[a, b, c, d]) = src.get(pos..pos + 4) {
                acc |= u64::from(u32::from_be_bytes([a, b, c, d])) << (32 - bits);
                bits += 32;
                pos += 4;
            } else {
                while bits <= 56 {
                    match src.get(pos) {
                        Some(&byte) => {
                            acc |= u64::from(byte) << (56 - bits);
                            bits += 8;
                            pos += 1;
                        }
                        None => break,
                    }
                }
            }
        }
        if bits == 0 {
            return Ok(o);
        }
        let e = DECODE_TABLE[(acc >> (64 - LOOKUP_BITS)) as usize];
        let total = (e >> 21) & 0x1f;
        if total != 0 && total <= bits {
            out[o] = e as u8;
            out[o + 1] = (e >> 8) as u8;
            o += (e >> 26) as usize;
            acc <<= total;
            bits -= total;
            continue;
        }
        let l1 = (e >> 16) & 0x1f;
        if l1 != 0 {
            if l1 <= bits {
                out[o] = e as u8;
                o += 1;
                acc <<= l1;
                bits -= l1;
                continue;
            }
            // Fewer bits than the code needs: the input is exhausted (the refill above
            // keeps more than 30 bits otherwise), so what is left is padding.
            check_padding(acc, bits)?;
            return Ok(o);
        }
        match decode_long(acc) {
            Some((sym, len)) if len <= bits => {
                // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS
                // symbol MUST be treated as a decoding error."
                if sym == EOS {
                    return Err(HpackError::HuffmanEos);
                }
                out[o] = sym as u8;
                o += 1;
                acc <<= len;
                bits -= len;
            }
            _ => {
                check_padding(acc, bits)?;
                return Ok(o);
            }
        }
    }
}

/// Accumulates codes and flushes whole octets.
struct BitWriter {
    acc: u64,
    bits: u32,
}

impl BitWriter {
    fn new() -> Self {
        BitWriter { acc: 0, bits: 0 }
    }

    #[inline]
    fn put(&mut self, code: u32, len: u8, dst: &mut Vec<u8>) {
        // bits < 32 before, len <= 30: fits in 64 bits.
        self.acc = (self.acc << len) | u64::from(code);
        self.bits += u32::from(len);
        if self.bits >= 32 {
            self.bits -= 32;
            dst.extend_from_slice(&((self.acc >> self.bits) as u32).to_be_bytes());
        }
    }

    /// Appends `n` (< 32) padding bits, ones or zeros.
    fn pad(&mut self, n: u32, ones: bool, dst: &mut Vec<u8>) {
        let code = if ones { (1u32 << n) - 1 } else { 0 };
        self.put(code, n as u8, dst);
    }

    /// Bits needed to complete the current octet.
    fn to_octet(&self) -> u32 {
        (8 - self.bits % 8) % 8
    }

    /// Flushes the pending bits; they must be a whole number of octets.
    fn flush(&mut self, dst: &mut Vec<u8>) {
        while self.bits >= 8 {
            self.bits -= 8;
            dst.push((self.acc >> self.bits) as u8);
        }
    }
}

/// The padding put after the last code by [`encode_with_padding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Padding {
    /// Correct padding: the most significant bits of EOS (ones), fewer than 8.
    Ones,
    /// Zero bits instead of ones. Always at least one bit and always an error for a strict
    /// decoder: when the string ends on an octet boundary, or when exactly five zero bits
    /// would be needed (which a decoder would read as the symbol `'0'`, code `00000`), an
    /// extra zero octet is added.
    Zeros,
    /// Correct ones padding followed by an extra `0xff` octet: 8 to 15 bits of padding.
    TooLong,
}

/// Appends the Huffman encoding of `src` to `dst`, with correct padding.
pub fn encode(src: &[u8], dst: &mut Vec<u8>) {
    encode_with_padding(src, dst, Padding::Ones);
}

/// Length in octets of the Huffman encoding of `src`, so encoders can choose the shorter
/// of plain and Huffman coding before writing anything.
pub fn encoded_len(src: &[u8]) -> usize {
    let bits: usize = src.iter().map(|&b| usize::from(CODES[usize::from(b)].1)).sum();
    bits.div_ceil(8)
}

/// Appends the Huffman encoding of `src` to `dst`, padded as `padding` says. Everything but
/// [`Padding::Ones`] produces a string a decoder must reject (RFC 7541 §5.2).
pub fn encode_with_padding(src: &[u8], dst: &mut Vec<u8>, padding: Padding) {
    let mut w = BitWriter::new();
    dst.reserve(src.len());
    for &b in src {
        let (code, len) = CODES[usize::from(b)];
        w.put(code, len, dst);
    }
    finish(&mut w, dst, padding);
}

fn finish(w: &mut BitWriter, dst: &mut Vec<u8>, padding: Padding) {
    let n = w.to_octet();
    match padding {
        Padding::Ones => w.pad(n, true, dst),
        Padding::Zeros => {
            let n = if n == 0 || n == 5 { n + 8 } else { n };
            w.pad(n, false, dst);
        }
        Padding::TooLong => {
            w.pad(n, true, dst);
            w.pad(8, true, dst);
        }
    }
    w.flush(dst);
}

/// Appends a Huffman string that contains the 30-bit EOS code, which RFC 7541 §5.2 says a
/// decoder MUST reject. EOS is put after the first half of `src` (so real symbols follow it
/// whenever `src` has two or more octets, and a decoder cannot mistake it for long
/// padding); the string is then padded correctly.
pub fn encode_with_eos(src: &[u8], dst: &mut Vec<u8>) {
    let mut w = BitWriter::new();
    let mid = src.len() / 2;
    let (head, tail) = src.split_at(mid);
    for &b in head {
        let (code, len) = CODES[usize::from(b)];
        w.put(code, len, dst);
    }
    let (code, len) = CODES[EOS];
    w.put(code, len, dst);
    for &b in tail {
        let (code, len) = CODES[usize::from(b)];
        w.put(code, len, dst);
    }
    finish(&mut w, dst, Padding::Ones);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        encode(s, &mut v);
        v
    }

    fn dec(s: &[u8]) -> Result<Vec<u8>, HpackError> {
        let mut v = Vec::new();
        decode(s, &mut v).map(|()| v)
    }

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn code_is_complete_and_canonical() {
        // Kraft sum exactly 1: sum of 2^(30 - len) == 2^30.
        let kraft: u64 = CODES.iter().map(|&(_, l)| 1u64 << (30 - l)).sum();
        assert_eq!(kraft, 1 << 30);
        let mut order: Vec<usize> = (0..257).collect();
        order.sort_by_key(|&s| (CODES[s].1, s));
        let mut code = 0u32;
        let mut prev = CODES[order[0]].1;
        for (k, &s) in order.iter().enumerate() {
            let (c, l) = CODES[s];
            if k > 0 {
                code = (code + 1) << (l - prev);
            }
            assert_eq!(c, code, "symbol {s} is not canonical");
            prev = l;
        }
        assert_eq!(CODES[256], (0x3fff_ffff, 30));
    }

    #[test]
    fn rfc7541_c4_and_c6_strings() {
        let cases: &[(&str, &[u8])] = &[
            ("f1e3 c2e5 f23a 6ba0 ab90 f4ff", b"www.example.com"),
            ("a8eb 1064 9cbf", b"no-cache"),
            ("25a8 49e9 5ba9 7d7f", b"custom-key"),
            ("25a8 49e9 5bb8 e8b4 bf", b"custom-value"),
            ("6402", b"302"),
            ("aec3 771a 4b", b"private"),
            ("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", b"Mon, 21 Oct 2013 20:13:21 GMT"),
            ("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", b"https://www.example.com"),
            ("640e ff", b"307"),
            ("9bd9 ab", b"gzip"),
            (
                "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
                b"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
            ),
        ];
        for (wire, text) in cases {
            let wire = hex(wire);
            assert_eq!(enc(text), wire, "encode {:?}", String::from_utf8_lossy(text));
            assert_eq!(dec(&wire).unwrap(), *text);
            assert_eq!(encoded_len(text), wire.len());
        }
    }

    #[test]
    fn every_symbol_round_trips_alone_and_in_pairs() {
        for a in 0..=255u8 {
            assert_eq!(dec(&enc(&[a])).unwrap(), [a]);
            for b in [0u8, b'a', b'0', 255, 1, b'/', a] {
                assert_eq!(dec(&enc(&[a, b, a])).unwrap(), [a, b, a]);
            }
        }
        let all: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        assert_eq!(dec(&enc(&all)).unwrap(), all);
        assert_eq!(dec(&[]).unwrap(), b"");
    }

    #[test]
    fn eos_is_rejected() {
        for s in [&b""[..], b"a", b"ab", b"hello world", &[0u8, 255, 10]] {
            let mut v = Vec::new();
            encode_with_eos(s, &mut v);
            assert_eq!(dec(&v), Err(HpackError::HuffmanEos), "{s:?}");
        }
        // Four octets of ones: 30-bit EOS followed by two bits of padding.
        assert_eq!(dec(&[0xff; 4]), Err(HpackError::HuffmanEos));
    }

    #[test]
    fn padding_errors() {
        for s in [&b""[..], b"a", b"ab", b"abc", b"abcd", b"0", b"00000000", b"hello world", &[0u8, 255]] {
            let mut v = Vec::new();
            encode_with_padding(s, &mut v, Padding::Ones);
            assert_eq!(dec(&v).unwrap(), s);
            let mut v = Vec::new();
            encode_with_padding(s, &mut v, Padding::TooLong);
            assert_eq!(dec(&v), Err(HpackError::HuffmanPaddingTooLong), "{s:?}");
            let mut v = Vec::new();
            encode_with_padding(s, &mut v, Padding::Zeros);
            assert_eq!(dec(&v), Err(HpackError::HuffmanPaddingNotOnes), "{s:?} {v:02x?}");
        }
        // A single 0xff octet: 8 bits of ones padding.
        assert_eq!(dec(&[0xff]), Err(HpackError::HuffmanPaddingTooLong));
        // 'a' is 00011 (5 bits); 0x18 = 00011 000: padding of zeros.
        assert_eq!(dec(&[0x18]), Err(HpackError::HuffmanPaddingNotOnes));
        assert_eq!(dec(&[0x1f]).unwrap(), b"a");
    }

    #[test]
    fn decode_appends_and_keeps_dst_on_error() {
        let mut v = b"x".to_vec();
        decode(&enc(b"yz"), &mut v).unwrap();
        assert_eq!(v, b"xyz");
        assert!(decode(&[0xff], &mut v).is_err());
        assert_eq!(v, b"xyz");
    }
}
