//! The backups and the schedule of the demo data set
//! ([`FakeControlPlane::demo`](crate::FakeControlPlane::demo)).

use std::time::Duration;

use crate::backup::FakeBackup;
use crate::schedule::FakeSchedule;

/// The id of the demo's `Ready` backup, which restores can start from; the newest `Ready`
/// backup of [`DEMO_INDEX_NEWEST_NOT_READY`]. See [`FakeControlPlane::demo`].
///
/// [`FakeControlPlane::demo`]: crate::FakeControlPlane::demo
pub const DEMO_BACKUP_ID: &str = "demo-backup";
/// The id of the demo's backup that is not ready yet (`Initializing`: restoring it gets 412);
/// the newest backup of [`DEMO_INDEX_NO_READY`]. See [`FakeControlPlane::demo`].
///
/// [`FakeControlPlane::demo`]: crate::FakeControlPlane::demo
pub const DEMO_BACKUP_PENDING_ID: &str = "demo-backup-pending";
/// A demo index whose newest backup is `Initializing` and the one before it `Failed`; its
/// newest `Ready` backup is [`DEMO_BACKUP_ID`].
pub const DEMO_INDEX_NEWEST_NOT_READY: &str = "products-prod";
/// A demo index whose newest backup is `Ready` (`bkp-docs-0627`).
pub const DEMO_INDEX_NEWEST_READY: &str = "docs-search";
/// A demo index with backups, none of them `Ready`.
pub const DEMO_INDEX_NO_READY: &str = "support-tickets";
/// A demo index that was deleted; its two `Ready` backups are still listed project-wide and
/// per index with `include_deleted=true` (2026-07), and it answers 404 otherwise.
pub const DEMO_INDEX_DELETED: &str = "legacy-catalog";
/// A demo index that exists and has no backups: its listing is empty.
pub const DEMO_INDEX_WITHOUT_BACKUPS: &str = "analytics-eu";
/// A demo index with eight `Ready` backups from 2 to 96 days old, dated from the server's
/// clock when it starts: four are less than 30 days old, four more. `backups prune --index
/// reviews-prod --keep 2 --older-than 30d` would delete the four oldest.
pub const DEMO_INDEX_AGED_BACKUPS: &str = "reviews-prod";
/// A demo index with a daily backup schedule ([`DEMO_SCHEDULE_ID`], API 2026-07), created five
/// days before the server started, and the backups its runs made.
pub const DEMO_INDEX_SCHEDULED: &str = "orders-prod";
/// The id of the demo's backup schedule, of [`DEMO_INDEX_SCHEDULED`] (API 2026-07).
pub const DEMO_SCHEDULE_ID: &str = "demo-schedule";

/// When [`DEMO_INDEX_DELETED`] was deleted.
const DELETED_AT: &str = "2025-06-15T09:12:44.000Z";

/// One demo backup.
#[allow(clippy::too_many_arguments)] // a table row: each argument is a named column below
fn row(
    id: &str,
    index: &str,
    status: &str,
    created_at: &str,
    name: &str,
    (cloud, region): (&str, &str),
    (dimension, metric): (u32, &str),
    records: u64,
) -> FakeBackup {
    let base = FakeBackup::ready(id)
        .of_index(index)
        .with_status(status)
        .created(created_at);
    FakeBackup {
        name: Some(name.to_owned()),
        cloud: cloud.to_owned(),
        region: region.to_owned(),
        dimension,
        metric: metric.to_owned(),
        record_count: records,
        size_bytes: records * u64::from(dimension) * 4 + records * 96,
        ..base
    }
}

/// A day.
const DAY: Duration = Duration::from_secs(86_400);
/// An hour.
const HOUR: Duration = Duration::from_secs(3_600);
/// A minute.
const MINUTE: Duration = Duration::from_secs(60);

/// The demo backups whose `created_at` is set when the server starts, this long before its
/// clock, in listing order (not by date): those of [`DEMO_INDEX_AGED_BACKUPS`] and a manual
/// one of [`DEMO_INDEX_SCHEDULED`].
pub(crate) fn aged_backups() -> Vec<(FakeBackup, Duration)> {
    const GCP: (&str, &str) = ("gcp", "europe-west4");
    const REVIEWS: (u32, &str) = (384, "cosine");
    const AZURE: (&str, &str) = ("azure", "westeurope");
    const ORDERS: (u32, &str) = (1024, "dotproduct");
    let reviews = DEMO_INDEX_AGED_BACKUPS;
    // the created_at given to `row` is replaced at start
    let aged = |id: &str, name: &str, records: u64, days: u64, extra: Duration| {
        let backup = row(id, reviews, "Ready", "", name, GCP, REVIEWS, records);
        (backup, DAY * days as u32 + extra)
    };
    vec![
        aged(
            "bkp-reviews-w49",
            "weekly",
            88_410,
            2,
            HOUR * 3 + MINUTE * 12,
        ),
        aged(
            "bkp-reviews-w45",
            "weekly",
            84_902,
            37,
            HOUR * 3 + MINUTE * 9,
        ),
        aged(
            "bkp-reviews-w48",
            "weekly",
            87_733,
            9,
            HOUR * 3 + MINUTE * 11,
        ),
        aged(
            "bkp-reviews-spring",
            "before-reindex",
            71_288,
            96,
            HOUR * 8 + MINUTE * 47,
        ),
        aged(
            "bkp-reviews-w47",
            "weekly",
            86_950,
            16,
            HOUR * 3 + MINUTE * 10,
        ),
        aged(
            "bkp-reviews-w44",
            "weekly",
            84_115,
            44,
            HOUR * 3 + MINUTE * 8,
        ),
        aged(
            "bkp-reviews-w46",
            "weekly",
            86_017,
            23,
            HOUR * 3 + MINUTE * 10,
        ),
        aged(
            "bkp-reviews-summer",
            "release-4-0",
            79_604,
            65,
            HOUR * 14 + MINUTE * 2,
        ),
        (
            FakeBackup {
                description: Some("Before turning on the daily schedule".to_owned()),
                ..row(
                    "bkp-orders-manual",
                    DEMO_INDEX_SCHEDULED,
                    "Ready",
                    "",
                    "before-schedule",
                    AZURE,
                    ORDERS,
                    230_417,
                )
            },
            DAY * 6 + HOUR * 2,
        ),
    ]
}

/// The demo's backup schedule and how long before the server's start it was created.
pub(crate) fn schedule() -> (FakeSchedule, Duration) {
    let schedule = FakeSchedule {
        name: "orders-daily".to_owned(),
        retention_expire_after_days: 14,
        ..FakeSchedule::daily(DEMO_SCHEDULE_ID).of_index(DEMO_INDEX_SCHEDULED)
    };
    (schedule, DAY * 5 + HOUR * 7)
}

/// The demo backups, in listing order. The order is deliberately not by date (the API does
/// not promise one): a client that wants the newest must compare `created_at`.
pub(crate) fn backups() -> Vec<FakeBackup> {
    const AWS: (&str, &str) = ("aws", "us-east-1");
    const GCP: (&str, &str) = ("gcp", "us-central1");
    const AZURE: (&str, &str) = ("azure", "eastus2");
    const PRODUCTS: (u32, &str) = (1536, "cosine");
    const DOCS: (u32, &str) = (768, "dotproduct");
    const SUPPORT: (u32, &str) = (1024, "euclidean");
    let products = DEMO_INDEX_NEWEST_NOT_READY;
    let docs = DEMO_INDEX_NEWEST_READY;
    let support = DEMO_INDEX_NO_READY;
    let legacy = DEMO_INDEX_DELETED;
    let nightly = |day: &str| format!("nightly-2025-06-{day}");
    vec![
        row(
            DEMO_BACKUP_ID,
            products,
            "Ready",
            "2025-06-28T02:00:04.118Z",
            &nightly("28"),
            AWS,
            PRODUCTS,
            412_380,
        ),
        row(
            "bkp-products-0630",
            products,
            "Initializing",
            "2025-06-30T02:00:03.502Z",
            &nightly("30"),
            AWS,
            PRODUCTS,
            415_902,
        ),
        row(
            "bkp-products-0629",
            products,
            "Failed",
            "2025-06-29T02:00:05.771Z",
            &nightly("29"),
            AWS,
            PRODUCTS,
            414_117,
        ),
        FakeBackup {
            description: Some("Before the catalog re-embedding".to_owned()),
            tags: vec![
                ("environment".to_owned(), "production".to_owned()),
                ("type".to_owned(), "manual".to_owned()),
            ],
            ..row(
                "bkp-products-0621",
                products,
                "Ready",
                "2025-06-21T16:42:19.006Z",
                "pre-reembed",
                AWS,
                PRODUCTS,
                398_554,
            )
        },
        row(
            "bkp-docs-0620",
            docs,
            "Ready",
            "2025-06-20T18:30:00.000Z",
            "weekly-25",
            GCP,
            DOCS,
            61_207,
        ),
        row(
            "bkp-docs-0627",
            docs,
            "Ready",
            "2025-06-27T18:30:00.000Z",
            "weekly-26",
            GCP,
            DOCS,
            61_950,
        ),
        row(
            "bkp-docs-0613",
            docs,
            "Failed",
            "2025-06-13T18:30:00.000Z",
            "weekly-24",
            GCP,
            DOCS,
            60_483,
        ),
        row(
            "bkp-support-0629",
            support,
            "Failed",
            "2025-06-29T11:05:37.420Z",
            "daily-0629",
            AZURE,
            SUPPORT,
            9_812,
        ),
        FakeBackup {
            description: Some("Taken by the demo's daily schedule".to_owned()),
            ..row(
                DEMO_BACKUP_PENDING_ID,
                support,
                "Initializing",
                "2025-06-30T11:05:36.903Z",
                "daily-0630",
                AZURE,
                SUPPORT,
                9_840,
            )
        },
        row(
            "bkp-legacy-final",
            legacy,
            "Ready",
            "2025-06-14T23:58:10.000Z",
            "final",
            AWS,
            PRODUCTS,
            1_204_776,
        )
        .source_deleted(DELETED_AT),
        row(
            "bkp-legacy-0607",
            legacy,
            "Ready",
            "2025-06-07T02:00:00.000Z",
            "weekly",
            AWS,
            PRODUCTS,
            1_198_003,
        )
        .source_deleted(DELETED_AT),
    ]
}
