//! 128-bit fingerprints of ids and tokens, for a walk to remember what it has seen in 16 bytes
//! whatever the text's length.
//!
//! A fingerprint is SipHash-1-3 with its 128-bit output (Aumasson and Bernstein's SipHash
//! with one compression and three finalization rounds, the rounds std's `DefaultHasher`
//! runs), under fixed keys: core draws no randomness, so a walk behaves the same on every
//! run. One pass over the text gives all 128 bits; two distinct texts share a fingerprint
//! with probability about n² / 2¹²⁹ (for a million ids, 1 in 10²⁷).

/// The fixed keys (the first digits of π, as any "nothing up my sleeve" constant would do).
const KEYS: (u64, u64) = (0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344);

/// The 128-bit fingerprint of `text`.
pub(crate) fn fingerprint(text: &str) -> u128 {
    let (low, high) = sip::<1, 3, true>(KEYS, text.as_bytes());
    u128::from(high) << 64 | u128::from(low)
}

/// SipHash-`C`-`D` of `data` under `keys`: the first output word, and the second when `WIDE`
/// (the 128-bit output; otherwise `0`).
#[inline]
fn sip<const C: usize, const D: usize, const WIDE: bool>(
    (k0, k1): (u64, u64),
    data: &[u8],
) -> (u64, u64) {
    let mut v = [
        0x736f_6d65_7073_6575 ^ k0,
        0x646f_7261_6e64_6f6d ^ k1,
        0x6c79_6765_6e65_7261 ^ k0,
        0x7465_6462_7974_6573 ^ k1,
    ];
    if WIDE {
        v[1] ^= 0xee;
    }
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        compress::<C>(&mut v, u64::from_le_bytes(bytes));
    }
    // the last 0-7 bytes, and the length's low byte on top
    let mut last = [0u8; 8];
    let tail = words.remainder();
    last[..tail.len()].copy_from_slice(tail);
    last[7] = data.len() as u8;
    compress::<C>(&mut v, u64::from_le_bytes(last));
    v[2] ^= if WIDE { 0xee } else { 0xff };
    rounds::<D>(&mut v);
    let first = v[0] ^ v[1] ^ v[2] ^ v[3];
    if !WIDE {
        return (first, 0);
    }
    v[1] ^= 0xdd;
    rounds::<D>(&mut v);
    (first, v[0] ^ v[1] ^ v[2] ^ v[3])
}

#[inline(always)]
fn compress<const C: usize>(v: &mut [u64; 4], m: u64) {
    v[3] ^= m;
    rounds::<C>(v);
    v[0] ^= m;
}

#[inline(always)]
fn rounds<const N: usize>(v: &mut [u64; 4]) {
    for _ in 0..N {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{DefaultHasher, Hasher};

    use super::*;

    /// The reference's key (bytes 00..0f) and message `i` (bytes 00..i-1), as its vectors use.
    const REFERENCE_KEYS: (u64, u64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908);

    fn message(len: usize) -> Vec<u8> {
        (0..len).map(|i| i as u8).collect()
    }

    #[test]
    fn siphash_2_4_gives_the_reference_vectors() {
        // the first 64-bit and 128-bit tags of the reference implementation's `vectors.h`
        let narrow: [u64; 4] = [
            0x726f_db47_dd0e_0e31,
            0x74f8_39c5_93dc_67fd,
            0x0d6c_8009_d9a9_4f5a,
            0x8567_6696_d7fb_7e2d,
        ];
        for (len, want) in narrow.into_iter().enumerate() {
            assert_eq!(sip::<2, 4, false>(REFERENCE_KEYS, &message(len)).0, want);
        }
        let wide: [[u8; 16]; 3] = [
            [
                0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55,
                0x02, 0x93,
            ],
            [
                0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22,
                0xfc, 0x45,
            ],
            [
                0x81, 0x77, 0x22, 0x8d, 0xa4, 0xa4, 0x5d, 0xc7, 0xfc, 0xa3, 0x8b, 0xde, 0xf6, 0x0a,
                0xff, 0xe4,
            ],
        ];
        for (len, want) in wide.into_iter().enumerate() {
            let (a, b) = sip::<2, 4, true>(REFERENCE_KEYS, &message(len));
            let mut got = [0u8; 16];
            got[..8].copy_from_slice(&a.to_le_bytes());
            got[8..].copy_from_slice(&b.to_le_bytes());
            assert_eq!(got, want, "message of {len} bytes");
        }
    }

    #[test]
    fn siphash_1_3_is_the_one_std_runs() {
        // std's DefaultHasher is SipHash-1-3 under the keys (0, 0), fed the bytes as they are
        for len in 0..=64 {
            let data = message(len);
            let mut std = DefaultHasher::new();
            std.write(&data);
            assert_eq!(
                sip::<1, 3, false>((0, 0), &data).0,
                std.finish(),
                "{len} bytes"
            );
        }
    }

    #[test]
    fn fingerprints_differ_in_both_halves_for_texts_one_bit_apart() {
        let base = "e220a839-7b1d-410a-adec-cdaf89025cc1";
        let f = fingerprint(base);
        assert_eq!(
            f,
            fingerprint(base),
            "a fingerprint is the same on every call"
        );
        for at in 0..base.len() {
            let mut other = base.as_bytes().to_vec();
            other[at] ^= 1;
            let g = fingerprint(std::str::from_utf8(&other).unwrap());
            assert_ne!(f as u64, g as u64, "low half, byte {at}");
            assert_ne!(f >> 64, g >> 64, "high half, byte {at}");
        }
        assert_ne!(fingerprint(""), fingerprint("\0"));
    }
}
