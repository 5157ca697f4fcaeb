//! The one source of randomness. Generated names, UIDs, IPs and jitter all come from here, so a
//! seed fixes a whole run.

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The alphabet of apimachinery's `rand.String`: no vowels and no confusable characters, so
/// generated names never spell words (k8s.io/apimachinery/pkg/util/rand/rand.go).
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Clone, Debug)]
pub struct Rng(Pcg64Mcg);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(Pcg64Mcg::seed_from_u64(seed))
    }

    /// An independent stream for one component, so that what one component draws never shifts
    /// another's numbers: adding a pod changes no node's IPs, only the pods' own.
    pub fn derive(seed: u64, stream: &str) -> Self {
        // FNV-1a over the stream name, folded into the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in stream.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng::new(seed ^ h.rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform integer in `0..n` (`n > 0`), by rejection so there is no modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo { lo } else { lo + self.below(hi - lo + 1) }
    }

    /// `base` stretched by up to `factor` of itself, as `wait.Jitter(base, factor)` does.
    pub fn jitter(&mut self, base: u64, factor_percent: u64) -> u64 {
        base + self.below(base * factor_percent / 100 + 1)
    }

    /// `n` characters of the name alphabet: the suffix of `generateName` objects.
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = crate::num::usize_of(self.below(crate::num::u64_of(NAME_ALPHABET.len())));
                NAME_ALPHABET.get(i).map_or('x', |b| char::from(*b))
            })
            .collect()
    }

    /// A random (version 4) UUID in its canonical text form, as the API server assigns to `uid`.
    pub fn uuid(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&hi.to_be_bytes());
        b[8..].copy_from_slice(&lo.to_be_bytes());
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `n` lowercase hex digits, for container IDs and image digests.
    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(u32::try_from(self.below(16)).unwrap_or(0), 16).unwrap_or('0'))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
    }

    #[test]
    fn uuid_has_version_4_shape() {
        let u = Rng::new(1).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
