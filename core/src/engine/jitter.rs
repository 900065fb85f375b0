//! The random numbers retry delays are jittered with: a generator, seeded by the adapter.
//!
//! Core draws no randomness of its own: [`Operation::handle`](crate::Operation::handle) takes
//! a random `u64`, and this is where an adapter gets one. The seed is an input too (the clock
//! and the process id, read by the adapter), so a fixed seed gives a reproducible run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64: a counter that advances by a fixed odd step, mixed into a well-spread `u64`.
/// The state is atomic so a client holding one stays `Sync`.
///
/// ```
/// use pinecone_restore_core::Jitter;
///
/// let a = Jitter::new(7);
/// let b = Jitter::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Debug)]
pub struct Jitter {
    state: AtomicU64,
}

impl Jitter {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Jitter {
        Jitter {
            state: AtomicU64::new(seed),
        }
    }

    /// A generator whose seed differs between processes and runs: `now` (the adapter's
    /// `SystemTime::now()`) mixed with `process_id`.
    pub fn seeded(now: SystemTime, process_id: u32) -> Jitter {
        let nanos = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter::new(nanos ^ (u64::from(process_id) << 32) ^ GOLDEN_GAMMA)
    }

    /// The next number.
    pub fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(GOLDEN_GAMMA, Ordering::Relaxed)
            .wrapping_add(GOLDEN_GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// What an adapter needs beside the operations.
impl crate::config::Config {
    /// The jitter source for a client of this configuration: from
    /// [`ConfigBuilder::rng_seed`](crate::ConfigBuilder::rng_seed) when set, else from `now`
    /// and `process_id` (which the adapter reads).
    pub fn jitter(&self, now: SystemTime, process_id: u32) -> Jitter {
        match self.rng_seed() {
            Some(seed) => Jitter::new(seed),
            None => Jitter::seeded(now, process_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // first outputs of SplitMix64 seeded with 1234567 (reference C implementation)
        let rng = Jitter::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn seeds_differ_by_time_and_process() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1);
        assert_ne!(
            Jitter::seeded(t, 1).next_u64(),
            Jitter::seeded(t, 2).next_u64()
        );
        assert_eq!(
            Jitter::seeded(t, 1).next_u64(),
            Jitter::seeded(t, 1).next_u64()
        );
    }
}
