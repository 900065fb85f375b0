//! How backup schedules are written: a table row, one schedule's fields (with when it runs
//! next and how long it keeps a backup, in words), and the API's JSON.

use std::io;
use std::time::SystemTime;

use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{BackupSchedule, OffsetDateTime};

use super::{Fields, Line, Render, cell, column_time, timestamp};

impl Render for BackupSchedule {
    const HEADERS: &'static [&'static str] = &[
        "ID",
        "NAME",
        "FREQUENCY",
        "KEEPS",
        "ENABLED",
        "NEXT RUN",
        "CREATED",
    ];

    fn row(&self, secrets: &Secrets) -> Vec<String> {
        vec![
            cell(self.schedule_id(), secrets),
            cell(self.name(), secrets),
            cell(self.frequency().as_str(), secrets),
            days(self.retention_expire_after_days()),
            if self.enabled() { "yes" } else { "no" }.to_owned(),
            next_run(self, SystemTime::now()),
            column_time(Some(self.created_at())),
        ]
    }

    fn push_json(&self, line: &mut Line) -> io::Result<()> {
        let json = serde_json::to_string(self).map_err(io::Error::from)?;
        line.bytes
            .extend_from_slice(text::json_safe(&json).as_bytes());
        Ok(())
    }
}

/// The API's field names; the next run and the retention also in words.
impl Fields for BackupSchedule {
    fn fields(&self, secrets: &Secrets) -> Vec<(&'static str, String)> {
        let days = self.retention_expire_after_days();
        let next = match self.next_scheduled_run() {
            Some(at) => format!(
                "{} ({})",
                timestamp(Some(at)),
                next_run(self, SystemTime::now())
            ),
            None => format!("- ({})", next_run(self, SystemTime::now())),
        };
        vec![
            ("schedule_id", cell(self.schedule_id(), secrets)),
            ("name", cell(self.name(), secrets)),
            ("index_id", cell(self.index_id(), secrets)),
            ("project_id", cell(self.project_id(), secrets)),
            ("schedule_type", cell(self.schedule_type(), secrets)),
            ("frequency", cell(self.frequency().as_str(), secrets)),
            (
                "retention_expire_after_days",
                format!("{days} (each backup is kept {})", days_in_words(days)),
            ),
            ("enabled", self.enabled().to_string()),
            ("next_scheduled_run", next),
            ("created_at", timestamp(Some(self.created_at()))),
        ]
    }
}

/// `90 days`, `1 day`.
fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// `90 days`, and past a year `400 days (about 1.1 years)`.
fn days_in_words(n: u32) -> String {
    if n >= 365 {
        format!("{} (about {:.1} years)", days(n), f64::from(n) / 365.0)
    } else {
        days(n)
    }
}

/// When the schedule takes its next backup, seen from `now` (this machine's clock): `in 9
/// hours`, `in 2 days`, `due now`, `disabled: none until it is enabled`.
pub(crate) fn next_run(schedule: &BackupSchedule, now: SystemTime) -> String {
    match (schedule.enabled(), schedule.next_scheduled_run()) {
        (false, _) => "disabled: none until it is enabled".to_owned(),
        (true, None) => "not planned".to_owned(),
        (true, Some(at)) => relative(at, OffsetDateTime::from(now)),
    }
}

/// `at` from `now` in the largest whole unit: `in 3 days`, `in 5 hours`, `in 12 minutes`,
/// `due now` (less than a minute either way), `5 minutes overdue`.
fn relative(at: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (at - now).whole_seconds();
    let span = secs.unsigned_abs();
    let unit = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let amount = if span >= 2 * 86_400 {
        unit(span / 86_400, "day")
    } else if span >= 2 * 3_600 {
        unit(span / 3_600, "hour")
    } else if span >= 60 {
        unit(span / 60, "minute")
    } else {
        return "due now".to_owned();
    };
    if secs > 0 {
        format!("in {amount}")
    } else {
        format!("{amount} overdue")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::Frequency;
    use std::time::Duration;

    /// The instant `secs` after the epoch.
    fn at(secs: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(secs).unwrap()
    }

    /// 2026-12-06T21:00:00Z.
    const NOW: i64 = 1_796_590_800;

    fn schedule(enabled: bool, next: Option<OffsetDateTime>) -> BackupSchedule {
        BackupSchedule::new(
            "s-1",
            "nightly",
            "ix",
            "p",
            Frequency::Daily,
            90,
            at(1_796_083_200) + Duration::from_millis(500),
        )
        .with_state(enabled, next)
    }

    #[test]
    fn the_next_run_is_said_in_words() {
        let words = |secs: i64| relative(at(NOW + secs), at(NOW));
        assert_eq!(words(9 * 3_600), "in 9 hours");
        assert_eq!(words(90 * 60), "in 90 minutes");
        assert_eq!(words(6 * 86_400 + 9 * 3_600), "in 6 days");
        assert_eq!(words(30), "due now");
        assert_eq!(words(-5 * 60), "5 minutes overdue");
        assert_eq!(words(60), "in 1 minute");
        let off = schedule(false, None);
        assert_eq!(
            next_run(&off, SystemTime::now()),
            "disabled: none until it is enabled"
        );
        assert_eq!(days_in_words(400), "400 days (about 1.1 years)");
        assert_eq!(days_in_words(1), "1 day");
    }

    #[test]
    fn fields_say_how_long_a_backup_is_kept_and_when_the_next_is_taken() {
        let next = OffsetDateTime::now_utc() + Duration::from_secs(30 * 3_600);
        let fields = schedule(true, Some(next)).fields(&Secrets::none());
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(
            get("retention_expire_after_days"),
            "90 (each backup is kept 90 days)"
        );
        assert!(
            get("next_scheduled_run").ends_with("(in 29 hours)"),
            "{fields:?}"
        );
        assert_eq!(get("created_at"), "2026-12-01T00:00:00.5Z");
        let row = schedule(false, None).row(&Secrets::none());
        assert_eq!(
            row,
            [
                "s-1",
                "nightly",
                "daily",
                "90 days",
                "no",
                "disabled: none until it is enabled",
                "2026-12-01T00:00:00Z"
            ]
        );
    }
}
