//! Deterministic, realistic-looking data: ids, index names, timestamps, a status mix; and the
//! wall clock as RFC 3339 text.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::job::FakeJob;

/// 2025-06-30T12:00:00Z: the newest generated job is created at this instant.
const NEWEST_CREATED: i64 = 1_751_284_800;

const INDEX_WORDS: [&str; 12] = [
    "products", "docs", "support", "vectors", "catalog", "reviews", "faq", "legal", "images",
    "news", "recipes", "code",
];
const INDEX_SUFFIXES: [&str; 6] = ["2024", "2025", "prod", "dev", "v2", "eu"];

/// The `i`-th generated job. Jobs come newest first: job `i + 1` was created before job `i`.
///
/// The status follows a fixed pattern over every 25 jobs: 17 `Completed`, 4 `Pending`
/// (one of them with `created_at: null`), 3 `Failed`, 1 `Cancelled`.
pub(crate) fn job(i: usize) -> FakeJob {
    let n = i as u64;
    let seed = mix(n ^ 0x5eed_f00d);
    let created = NEWEST_CREATED - (n as i64) * 2400 - (seed % 1800) as i64;
    let duration = 60 + (seed >> 16) % 5400;
    let completed_at = Some(timestamp(created + duration as i64, seed >> 24, false));
    let (status, created_at, completed_at, percent_complete) = match i % 25 {
        2 | 9 | 22 => (
            "Pending",
            Some(created),
            None,
            Some(((seed >> 8) % 1000) as f64 / 10.0),
        ),
        16 => ("Pending", None, None, None),
        5 => ("Failed", Some(created), completed_at, None),
        19 => (
            "Failed",
            Some(created),
            None,
            Some(((seed >> 8) % 900) as f64 / 10.0),
        ),
        12 => ("Cancelled", Some(created), None, None),
        _ => ("Completed", Some(created), completed_at, Some(100.0)),
    };
    FakeJob {
        restore_job_id: uuid_pair(mix(n.wrapping_mul(2)), mix(n.wrapping_mul(2) + 1)),
        backup_id: uuid(seed ^ 0x0bac_0bac),
        target_index_name: index_name(seed),
        target_index_id: index_id(seed),
        status: status.to_owned(),
        created_at: created_at.map(|at| timestamp(at, seed, true)),
        completed_at,
        percent_complete,
        progress: None,
    }
}

/// splitmix64's finalizer: a bijection on `u64` that scatters bits well.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seed that differs between servers: the wall clock in nanoseconds, the process id and a
/// count of the servers this process has started, mixed. Ids derived from it differ from one
/// run to the next, while each stays a bijection of its own counter.
pub(crate) fn run_seed() -> u64 {
    static STARTED: AtomicU64 = AtomicU64::new(0);
    // A clock set before 1970 reads as 1970; the other inputs still differ.
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let started = STARTED.fetch_add(1, Ordering::Relaxed);
    mix((nanos as u64) ^ (u64::from(std::process::id()) << 32) ^ mix(started))
}

/// FNV-1a of a string, mixed: a stable seed derived from an id.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// A version-4-shaped UUID from one seed.
pub(crate) fn uuid(seed: u64) -> String {
    uuid_pair(mix(seed), mix(seed ^ 0xdead_beef))
}

/// A version-4-shaped UUID: `hi` fills the first 64 bits unchanged, so distinct `hi` give
/// distinct UUIDs.
fn uuid_pair(hi: u64, lo: u64) -> String {
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        0x4000 | ((lo >> 48) & 0x0fff),
        0x8000 | ((lo >> 32) & 0x3fff),
        ((hi & 0xffff) << 32) | (lo & 0xffff_ffff)
    )
}

/// An index name like `products-2024`.
pub(crate) fn index_name(seed: u64) -> String {
    let word = INDEX_WORDS[(seed % INDEX_WORDS.len() as u64) as usize];
    let suffix = INDEX_SUFFIXES[((seed >> 5) % INDEX_SUFFIXES.len() as u64) as usize];
    format!("{word}-{suffix}")
}

/// An index id like `idx_3f9a`.
pub(crate) fn index_id(seed: u64) -> String {
    format!("idx_{:04x}", mix(seed ^ 0x1d) & 0xffff)
}

/// A creation instant within the two days before the newest generated job.
pub(crate) fn recent_instant(seed: u64) -> i64 {
    NEWEST_CREATED - (seed % 172_800) as i64
}

/// RFC 3339 text for `unix` seconds with a millisecond fraction taken from `seed`: always
/// exactly three fraction digits (`.180`, never `.18`), so that columns of them line up.
///
/// With `varied`, some timestamps (chosen by `seed`) carry a `+02:00` or `-05:00` offset, as
/// different backends write them; otherwise the form is always `...sss.mmmZ`.
pub(crate) fn timestamp(unix: i64, seed: u64, varied: bool) -> String {
    let millis = (seed >> 3) % 1000;
    let form = if varied { (seed >> 40) % 20 } else { 0 };
    let (offset_secs, suffix) = match form {
        1 => (7200, "+02:00"),
        2 => (-18000, "-05:00"),
        _ => (0, "Z"),
    };
    format!("{}.{millis:03}{suffix}", date_time(unix + offset_secs))
}

/// The server's clock now, `ahead_ms` ahead of the wall clock, in ms since the Unix epoch.
pub(crate) fn now_millis(ahead_ms: i64) -> i64 {
    // A clock set before 1970 reads as 1970.
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis())
        .unwrap_or(i64::MAX)
        .saturating_add(ahead_ms)
}

/// An HTTP `Date` (IMF-fixdate, cut to the second) for `millis` since the Unix epoch:
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let unix = millis.div_euclid(1000);
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{weekday}, {d:02} {month} {y:04} {hh:02}:{mm:02}:{ss:02} GMT")
}

/// RFC 3339 UTC text with milliseconds for `millis` since the Unix epoch.
pub(crate) fn utc_millis(millis: i64) -> String {
    let ms = millis.rem_euclid(1000);
    format!("{}.{ms:03}Z", date_time(millis.div_euclid(1000)))
}

/// The basic ISO 8601 form, cut to the second, that names a scheduled backup after its run:
/// `20260403T060000Z`.
pub(crate) fn compact_utc(millis: i64) -> String {
    date_time(millis.div_euclid(1000)).replace(['-', ':'], "") + "Z"
}

/// Milliseconds since the Unix epoch of RFC 3339 text; `None` for text that is not RFC 3339.
pub(crate) fn parse_millis(text: &str) -> Option<i64> {
    let at =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// `YYYY-MM-DDThh:mm:ss` for `unix` seconds, read on a clock at UTC.
fn date_time(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(
            timestamp(NEWEST_CREATED, 0, false),
            "2025-06-30T12:00:00.000Z"
        );
        assert_eq!(
            timestamp(951_782_400, 8 * 123, false),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(timestamp(-1, 0, false), "1969-12-31T23:59:59.000Z");
        // form 1 is +02:00: the local clock reads two hours later (millis: 2^37 % 1000)
        assert_eq!(
            timestamp(NEWEST_CREATED, 1 << 40, true),
            "2025-06-30T14:00:00.472+02:00"
        );
        // every form has exactly three fraction digits
        for form in 0..20 {
            let text = timestamp(NEWEST_CREATED, form << 40, true);
            let fraction = text.get(19..23).unwrap_or_default();
            assert!(fraction.starts_with('.'), "{text}");
            assert!(
                fraction.bytes().skip(1).all(|b| b.is_ascii_digit()),
                "{text}"
            );
        }
    }

    #[test]
    fn schedule_stamps_and_parsing() {
        assert_eq!(compact_utc(1_775_196_000_999), "20260403T060000Z");
        assert_eq!(
            parse_millis("2026-04-03T06:00:00.999Z"),
            Some(1_775_196_000_999)
        );
        assert_eq!(
            parse_millis("2026-04-03T08:00:00+02:00"),
            Some(1_775_196_000_000)
        );
        assert_eq!(parse_millis("yesterday"), None);
        let now = now_millis(0);
        assert_eq!(parse_millis(&utc_millis(now)), Some(now));
    }

    #[test]
    fn http_dates_are_imf_fixdates_cut_to_the_second() {
        assert_eq!(http_date(784_111_777_999), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400_500), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    #[test]
    fn wall_clock_text_is_rfc3339_utc_with_milliseconds() {
        assert_eq!(utc_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(utc_millis(1_784_021_412_005), "2026-07-14T09:30:12.005Z");
        assert_eq!(utc_millis(-1), "1969-12-31T23:59:59.999Z");
        let now = utc_millis(now_millis(0));
        assert_eq!(now.len(), 24, "{now}");
        assert!(
            now.ends_with('Z') && now.as_bytes().get(19) == Some(&b'.'),
            "{now}"
        );
        assert!(now.as_str() > "2025-01-01", "{now}");
    }

    #[test]
    fn generated_jobs_are_unique_varied_and_newest_first() {
        let jobs: Vec<_> = (0..1000).map(job).collect();
        let ids: HashSet<_> = jobs.iter().map(|j| j.restore_job_id.as_str()).collect();
        assert_eq!(ids.len(), 1000);
        for status in ["Completed", "Pending", "Failed", "Cancelled"] {
            assert!(jobs.iter().any(|j| j.status == status), "{status}");
        }
        assert!(jobs.iter().any(|j| j.created_at.is_none()));
        let zulu: Vec<_> = jobs
            .iter()
            .filter_map(|j| j.created_at.as_deref())
            .filter(|at| at.ends_with('Z') && at.len() == 24)
            .collect();
        assert!(
            zulu.windows(2).all(|w| w[0] > w[1]),
            "zulu timestamps sort newest first"
        );
        assert!(jobs.iter().any(|j| {
            j.created_at
                .as_deref()
                .is_some_and(|at| at.ends_with("+02:00"))
        }));
        let stamps = jobs
            .iter()
            .flat_map(|j| [j.created_at.as_deref(), j.completed_at.as_deref()])
            .flatten();
        for at in stamps {
            let fraction = at.get(19..23).unwrap_or_default();
            let digits = fraction.bytes().skip(1).all(|b| b.is_ascii_digit());
            assert!(fraction.starts_with('.') && digits, "{at}");
            assert!(
                at.len() == 24 || at.len() == 29,
                "`Z` or an offset after the millis: {at}"
            );
        }
    }

    #[test]
    fn uuid_shape() {
        let id = job(7).restore_job_id;
        let groups: Vec<_> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(id.as_bytes()[14], b'4');
    }
}
