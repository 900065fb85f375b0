//! Generators shared by the property tests.

use pinecone_restore_core::OffsetDateTime;
use proptest::prelude::*;

/// Instants whose UTC year is in 0..=9999, with nanosecond precision.
pub(crate) fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (-62_167_219_200i64..253_402_300_800i64, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| {
            OffsetDateTime::from_unix_timestamp(secs).unwrap()
                + time::Duration::nanoseconds(nanos.into())
        })
        .prop_filter("UTC year in 0..=9999", |t| (0..=9999).contains(&t.year()))
}
