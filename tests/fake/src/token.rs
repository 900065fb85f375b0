//! Opaque pagination tokens: standard base64 that always contains `+`, `/` and `=`.
//!
//! Layout of the decoded bytes: a 3-byte marker `FB FF BF` (it encodes as `+/+/`), the offset
//! of the page as a big-endian `u64`, the page size as one byte, and a 2-byte checksum. That is
//! 14 bytes, so the encoding always ends in one `=`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const MARKER: [u8; 3] = [0xfb, 0xff, 0xbf];
const LEN: usize = 14;

/// Which listing a token belongs to: its checksum is seeded with it, so a token handed out by
/// one listing is malformed for every other (another index's backups included).
pub(crate) type Scope = u64;

/// The scope of the restore-job listing (its tokens are what they were before scopes).
pub(crate) const RESTORE_JOBS: Scope = 0;

/// The scope of the project's backup listing.
pub(crate) const PROJECT_BACKUPS: Scope = 0xbac0_0000_0000_0001;

/// The scope of one index's backup listing, with or without the backups of deleted indexes.
pub(crate) fn index_backups(name: &str, include_deleted: bool) -> Scope {
    crate::generate::hash_str(name) ^ if include_deleted { 0xde1 } else { 0x11 }
}

/// The scope of one index's schedule listing.
pub(crate) fn index_schedules(name: &str) -> Scope {
    crate::generate::hash_str(name) ^ 0x5c4e_d01e
}

/// The scope of one schedule's history.
pub(crate) fn schedule_history(id: &str) -> Scope {
    crate::generate::hash_str(id) ^ 0x4157_0e1e
}

/// A decoded token: where the page starts and how many items it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageToken {
    pub(crate) offset: u64,
    pub(crate) size: u8,
}

impl PageToken {
    pub(crate) fn encode(self, scope: Scope) -> String {
        let mut bytes = Vec::with_capacity(LEN);
        bytes.extend_from_slice(&MARKER);
        bytes.extend_from_slice(&self.offset.to_be_bytes());
        bytes.push(self.size);
        let sum = checksum(&bytes, scope);
        bytes.extend_from_slice(&sum.to_be_bytes());
        STANDARD.encode(bytes)
    }

    /// Decodes a token of the listing `scope` exactly as received (after percent-decoding of the query); `None` for
    /// anything this server did not produce, including a token whose `+` became a space.
    pub(crate) fn decode(text: &str, scope: Scope) -> Option<PageToken> {
        let bytes = STANDARD.decode(text).ok()?;
        if bytes.len() != LEN {
            return None;
        }
        let (body, sum) = bytes.split_at_checked(LEN - 2)?;
        let (marker, rest) = body.split_at_checked(MARKER.len())?;
        let (offset, size) = rest.split_at_checked(8)?;
        if marker != MARKER || sum != checksum(body, scope).to_be_bytes() {
            return None;
        }
        let offset = u64::from_be_bytes(offset.try_into().ok()?);
        let size = *size.first()?;
        if !(1..=100).contains(&size) {
            return None;
        }
        Some(PageToken { offset, size })
    }
}

fn checksum(bytes: &[u8], scope: Scope) -> u16 {
    let h = crate::generate::mix(bytes.iter().fold(0x70ce_u64 ^ scope, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }));
    (h >> 48) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_shape() {
        for offset in [0, 1, 99, 100, 9_900, u64::MAX] {
            for size in [1, 10, 100] {
                let token = PageToken { offset, size };
                let text = token.encode(RESTORE_JOBS);
                assert!(
                    text.contains('+') && text.contains('/') && text.ends_with('='),
                    "{text}"
                );
                assert_eq!(PageToken::decode(&text, RESTORE_JOBS), Some(token));
                assert_eq!(PageToken::decode(&text, 7), None, "another listing's token");
            }
        }
    }

    #[test]
    fn rejects_tampering() {
        let text = PageToken {
            offset: 100,
            size: 100,
        }
        .encode(RESTORE_JOBS);
        assert_eq!(
            PageToken::decode(&text.replace('+', " "), RESTORE_JOBS),
            None
        );
        assert_eq!(
            PageToken::decode(text.trim_end_matches('='), RESTORE_JOBS),
            None
        );
        assert_eq!(PageToken::decode("", RESTORE_JOBS), None);
        assert_eq!(
            PageToken::decode("dXNlcl9pZD11c2VyXzE=", RESTORE_JOBS),
            None
        );
        let mut bytes = STANDARD.decode(&text).unwrap();
        bytes[5] ^= 1;
        assert_eq!(
            PageToken::decode(&STANDARD.encode(bytes), RESTORE_JOBS),
            None
        );
    }
}
