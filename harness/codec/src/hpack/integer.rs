//! Prefix-coded integers (RFC 7541 §5.1).
//!
//! An integer starts in the low `N` bits of an octet whose high bits belong to the
//! representation (its "flags"); values that do not fit continue in 7-bit groups, least
//! significant first, with the high bit of each octet saying "more follows".
//!
//! The RFC sets no upper bound, so a decoder must choose one or a peer can make it loop or
//! overflow: [`decode`] accepts values up to [`MAX_VALUE`] and at most
//! [`MAX_CONTINUATION_OCTETS`] continuation octets. [`encode_overlong`] deliberately
//! writes redundant continuation octets, which a tester sends to see whether a peer
//! accepts (lenient but legal-looking) or overflows on them.

use super::HpackError;

/// Largest value [`decode`] accepts. Every HPACK integer (index, length, table size) is
/// bounded far below this by memory or by SETTINGS values, which are 32-bit.
pub const MAX_VALUE: u64 = u32::MAX as u64;

/// Most continuation octets [`decode`] accepts. Five suffice for [`MAX_VALUE`]; the slack
/// tolerates a few redundant `0x80` octets, and the cap stops a peer from making the
/// decoder walk an endless run of them.
pub const MAX_CONTINUATION_OCTETS: usize = 10;

/// Mask of the low `prefix_bits` bits. `prefix_bits` is clamped to 1..=8 so that a bad
/// argument can never panic on a shift.
fn prefix_mask(prefix_bits: u8) -> u64 {
    let n = prefix_bits.clamp(1, 8);
    (1u64 << n) - 1
}

/// Appends `value` with an `prefix_bits`-bit prefix (1..=8). The bits of
/// `first_byte_flags` above the prefix are kept in the first octet (bits inside the prefix
/// are masked off so they cannot corrupt the value).
pub fn encode(value: u64, prefix_bits: u8, first_byte_flags: u8, dst: &mut Vec<u8>) {
    encode_overlong(value, prefix_bits, first_byte_flags, 0, dst);
}

/// Like [`encode`], but the continuation is padded with `extra_zero_continuations`
/// redundant octets carrying zero bits (`0x80 ... 0x80 0x00` at the end), the "over-long"
/// form that decodes to the same value in a lenient decoder.
///
/// A value below the prefix's all-ones mark (`2^N - 1`) has no continuation at all, and so
/// no over-long form: it is written normally.
pub fn encode_overlong(
    value: u64,
    prefix_bits: u8,
    first_byte_flags: u8,
    extra_zero_continuations: usize,
    dst: &mut Vec<u8>,
) {
    let mask = prefix_mask(prefix_bits);
    let flags = u64::from(first_byte_flags) & !mask & 0xff;
    if value < mask {
        dst.push((flags | value) as u8);
        return;
    }
    dst.push((flags | mask) as u8);
    let mut rest = value - mask;
    while rest >= 0x80 {
        dst.push(0x80 | (rest & 0x7f) as u8);
        rest >>= 7;
    }
    if extra_zero_continuations == 0 {
        dst.push(rest as u8);
        return;
    }
    dst.push(0x80 | rest as u8);
    for _ in 1..extra_zero_continuations {
        dst.push(0x80);
    }
    dst.push(0x00);
}

/// Decodes an integer with an `prefix_bits`-bit prefix (1..=8) at the start of `buf`,
/// returning the value and the number of octets consumed. Flag bits above the prefix in
/// the first octet are ignored.
///
/// Errors: [`HpackError::Truncated`] when `buf` ends inside the integer,
/// [`HpackError::IntegerOverflow`] above [`MAX_VALUE`] or past
/// [`MAX_CONTINUATION_OCTETS`].
#[inline]
pub fn decode(buf: &[u8], prefix_bits: u8) -> Result<(u64, usize), HpackError> {
    let mask = prefix_mask(prefix_bits);
    let first = match buf.first() {
        Some(&b) => u64::from(b) & mask,
        None => return Err(HpackError::Truncated),
    };
    if first < mask {
        return Ok((first, 1));
    }
    decode_continuation(buf, mask)
}

#[inline(never)]
fn decode_continuation(buf: &[u8], mask: u64) -> Result<(u64, usize), HpackError> {
    let mut value = mask;
    let mut shift = 0u32;
    for (i, &b) in buf.iter().enumerate().skip(1) {
        if i > MAX_CONTINUATION_OCTETS {
            return Err(HpackError::IntegerOverflow);
        }
        let group = u64::from(b & 0x7f);
        if group != 0 {
            // shift <= 63 here; a non-zero group that far up is certainly too large.
            if shift > 32 {
                return Err(HpackError::IntegerOverflow);
            }
            value += group << shift;
            if value > MAX_VALUE {
                return Err(HpackError::IntegerOverflow);
            }
        }
        if b & 0x80 == 0 {
            return Ok((value, i + 1));
        }
        shift += 7;
    }
    Err(HpackError::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: u64, n: u8, flags: u8) -> Vec<u8> {
        let mut d = Vec::new();
        encode(v, n, flags, &mut d);
        d
    }

    #[test]
    fn rfc7541_c1_examples() {
        // C.1.1: 10 with a 5-bit prefix.
        assert_eq!(enc(10, 5, 0), [0x0a]);
        assert_eq!(decode(&[0x0a], 5).unwrap(), (10, 1));
        // C.1.2: 1337 with a 5-bit prefix.
        assert_eq!(enc(1337, 5, 0), [0x1f, 0x9a, 0x0a]);
        assert_eq!(decode(&[0x1f, 0x9a, 0x0a], 5).unwrap(), (1337, 3));
        // C.1.3: 42 at an octet boundary.
        assert_eq!(enc(42, 8, 0), [0x2a]);
        assert_eq!(decode(&[0x2a], 8).unwrap(), (42, 1));
    }

    #[test]
    fn flags_kept_and_masked() {
        assert_eq!(enc(2, 7, 0x80), [0x82]);
        assert_eq!(enc(10, 5, 0xff), [0xea]);
        assert_eq!(decode(&[0xea], 5).unwrap(), (10, 1));
        assert_eq!(enc(200, 8, 0xff), [200]);
        assert_eq!(enc(300, 8, 0), [0xff, 45]);
    }

    #[test]
    fn boundaries_round_trip() {
        for n in 1..=8u8 {
            let m = (1u64 << n) - 1;
            for v in [0, 1, m - 1, m, m + 1, m + 127, m + 128, 1 << 14, 1 << 21, MAX_VALUE - 1, MAX_VALUE] {
                let d = enc(v, n, 0);
                assert_eq!(decode(&d, n).unwrap(), (v, d.len()), "v={v} n={n}");
                // Truncation anywhere is reported, never a wrong value.
                for cut in 0..d.len() {
                    assert_eq!(decode(&d[..cut], n), Err(HpackError::Truncated));
                }
            }
        }
    }

    #[test]
    fn overlong() {
        let mut d = Vec::new();
        encode_overlong(31, 5, 0x20, 3, &mut d);
        assert_eq!(d, [0x3f, 0x80, 0x80, 0x80, 0x00]);
        assert_eq!(decode(&d, 5).unwrap(), (31, 5));
        let mut d = Vec::new();
        encode_overlong(1337, 5, 0, 2, &mut d);
        assert_eq!(d, [0x1f, 0x9a, 0x8a, 0x80, 0x00]);
        assert_eq!(decode(&d, 5).unwrap(), (1337, 5));
        // Below the prefix mark there is no over-long form.
        let mut d = Vec::new();
        encode_overlong(3, 5, 0, 4, &mut d);
        assert_eq!(d, [0x03]);
        // Ten continuation octets are tolerated, eleven are not.
        let mut d = Vec::new();
        encode_overlong(127, 7, 0x80, 9, &mut d);
        assert_eq!(d.len(), 11);
        assert_eq!(decode(&d, 7).unwrap(), (127, 11));
        let mut d = Vec::new();
        encode_overlong(127, 7, 0x80, 10, &mut d);
        assert_eq!(decode(&d, 7), Err(HpackError::IntegerOverflow));
    }

    #[test]
    fn overflow() {
        assert_eq!(decode(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], 8), Err(HpackError::IntegerOverflow));
        let mut huge = vec![0xff; 11];
        huge.push(0x01);
        assert_eq!(decode(&huge, 7), Err(HpackError::IntegerOverflow));
        // u32::MAX exactly is fine, one more is not.
        let d = enc(MAX_VALUE, 8, 0);
        assert_eq!(decode(&d, 8).unwrap().0, MAX_VALUE);
        assert_eq!(decode(&enc(MAX_VALUE + 1, 8, 0), 8), Err(HpackError::IntegerOverflow));
        assert_eq!(decode(&enc(u64::MAX, 4, 0), 4), Err(HpackError::IntegerOverflow));
        assert_eq!(decode(&[], 4), Err(HpackError::Truncated));
    }
}
