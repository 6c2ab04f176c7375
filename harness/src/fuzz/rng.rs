//! The campaign's one source of randomness: SplitMix64, seeded from `--seed` and the input's
//! global index.
//!
//! A reproducer names its seed and index, so the same numbers must give the same input on
//! any machine and after any dependency upgrade. SplitMix64 is fixed by its published
//! definition (Steele, Lea, Flood 2014), needs no state beyond one word, and passes BigCrush;
//! a crate's RNG may change its stream between versions, which would silently change what a
//! seed means. Cryptographic strength is not needed.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of input `index` (the global index, `i * N + K` on shard K/N) of the
    /// campaign seeded with `seed`: independent of every other input's stream.
    pub fn for_input(seed: u64, index: u64) -> Rng {
        Rng(mix(seed ^ mix(index.wrapping_add(GAMMA))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is below 2^-40 for the small
    /// `n` used here, far under anything a campaign could notice.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        den > 0 && self.next_u64() % den < num
    }

    /// `n` random octets.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n + 8);
        while v.len() < n {
            v.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        v.truncate(n);
        v
    }

    /// One element of `items`, or `None` when it is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

/// FNV-1a, 64 bits: names of corpus and finding files. Stable by definition (unlike std's
/// `DefaultHasher`), so shards on different machines name the same finding the same way and
/// their directories merge.
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_its_reference_stream() {
        // First outputs for seed 1234567 of the reference C implementation.
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn inputs_get_independent_reproducible_streams() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_input(7, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]), "same seed and index, same stream");
        assert_ne!(Rng::for_input(7, 3).next_u64(), Rng::for_input(7, 4).next_u64());
        assert_ne!(Rng::for_input(7, 3).next_u64(), Rng::for_input(8, 3).next_u64());
    }

    #[test]
    fn fnv64_is_the_published_function() {
        assert_eq!(fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
