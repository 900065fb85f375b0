//! Backup schedules (API 2026-07): the schedules a fake control plane knows, when each runs
//! next, and how one is rendered.

use serde_json::{Map, Value};

use crate::generate;

/// A day, in milliseconds.
const DAY_MS: i64 = 86_400_000;
/// The time of day, in UTC, at which the fake's schedules run: 06:00.
const RUN_AT_MS: i64 = 6 * 3_600_000;
/// The project the fake's schedules belong to.
const PROJECT_SEED: u64 = 0x0070_7270_6a65_6374;

/// How often a backup schedule runs: its `frequency`.
///
/// The fake runs every schedule at 06:00 UTC: a schedule's first run is the first 06:00 UTC
/// after it was created (or re-enabled), then one every period: 1 day, 7 days, or 30 days for
/// `monthly` (the fake's choice; the API does not say which day of the month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frequency {
    /// `daily`: every 24 hours.
    Daily,
    /// `weekly`: every 7 days.
    Weekly,
    /// `monthly`: every 30 days.
    Monthly,
}

impl Frequency {
    /// The name the API uses: `daily`, `weekly` or `monthly`.
    ///
    /// ```
    /// use pinecone_restore_fake::Frequency;
    ///
    /// assert_eq!(Frequency::Weekly.as_str(), "weekly");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    /// The frequency the API names `text`.
    pub(crate) fn from_name(text: &str) -> Option<Frequency> {
        [Frequency::Daily, Frequency::Weekly, Frequency::Monthly]
            .into_iter()
            .find(|f| f.as_str() == text)
    }

    /// The time between two runs, in milliseconds.
    pub(crate) fn period_ms(self) -> i64 {
        match self {
            Frequency::Daily => DAY_MS,
            Frequency::Weekly => 7 * DAY_MS,
            Frequency::Monthly => 30 * DAY_MS,
        }
    }
}

/// One backup schedule as the fake serves it (API 2026-07 only):
/// `GET /indexes/{index_name}/backup-schedules` lists it, `GET|PATCH|DELETE
/// /backup-schedules/{schedule_id}` describe, update and delete it, and
/// `GET /backup-schedules/{schedule_id}/history` lists the backups it made.
///
/// The fields mirror the API's `BackupScheduleResponse`, plus the name of the index it backs
/// up. An enabled schedule runs whenever the fake's clock passes `next_scheduled_run`: when the
/// server next reads its state (any request, or [`FakeServer::backup`] and the like), every
/// run time that has passed becomes a `Ready` backup of the index, created at that run time and
/// named `<name>-<YYYYMMDDTHHMMSSZ>` (listed like any other backup, and in the schedule's
/// history), and `next_scheduled_run` moves on by the [`Frequency`]. So a schedule given to
/// the builder with a `created_at` and `next_scheduled_run` in the past has a history from
/// the start. Backups are not expired after `retention_expire_after_days` (the fake's choice).
///
/// Timestamps are rendered as RFC 3339 UTC with milliseconds, whatever form they were given
/// in; `next_scheduled_run` is `null` while the schedule is disabled.
///
/// [`FakeServer::backup`]: crate::FakeServer::backup
///
/// ```
/// use pinecone_restore_fake::{FakeSchedule, Frequency};
///
/// let schedule = FakeSchedule::daily("sched-1")
///     .of_index("docs")
///     .created("2026-04-02T18:22:56.712Z")
///     .next_run("2026-04-03T06:00:00.000Z");
/// assert_eq!(schedule.frequency, Frequency::Daily);
/// assert!(schedule.enabled);
/// let weekly = FakeSchedule {
///     retention_expire_after_days: 90,
///     ..FakeSchedule::weekly("sched-2")
/// };
/// assert_eq!(weekly.frequency.as_str(), "weekly");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSchedule {
    /// `schedule_id`: the id used in `/backup-schedules/{schedule_id}`.
    pub schedule_id: String,
    /// `name`: the user's name for the schedule; its backups are named after it.
    pub name: String,
    /// The name of the index it backs up (not in the API's model, which has `index_id`); the
    /// index exists, as a backup's source index does.
    pub index_name: String,
    /// `index_id`: the id of that index.
    pub index_id: String,
    /// `project_id`.
    pub project_id: String,
    /// `frequency`.
    pub frequency: Frequency,
    /// `retention_expire_after_days`.
    pub retention_expire_after_days: u32,
    /// `enabled`: a disabled schedule does not run.
    pub enabled: bool,
    /// `created_at`: RFC 3339 text, or `None` for the server's clock when it starts.
    pub created_at: Option<String>,
    /// When an enabled schedule runs next (RFC 3339 text), or `None` for the first 06:00 UTC
    /// after `created_at`. The server keeps it `None` while the schedule is disabled.
    pub next_scheduled_run: Option<String>,
}

impl FakeSchedule {
    /// An enabled daily schedule, created when the server starts, first running at the next
    /// 06:00 UTC.
    ///
    /// Everything else is realistic and derived from `id` (the same id always gives the same
    /// schedule): the index's name and id (as [`FakeBackup::ready`] derives them), a name, the
    /// fake's project and a retention of 7 days.
    ///
    /// [`FakeBackup::ready`]: crate::FakeBackup::ready
    pub fn daily(id: &str) -> FakeSchedule {
        let seed = generate::hash_str(id);
        let index = generate::index_name(seed);
        FakeSchedule {
            schedule_id: id.to_owned(),
            name: format!("{index}-backup"),
            index_id: index_id(&index),
            index_name: index,
            project_id: project_id(),
            frequency: Frequency::Daily,
            retention_expire_after_days: 7,
            enabled: true,
            created_at: None,
            next_scheduled_run: None,
        }
    }

    /// An enabled weekly schedule with a retention of 30 days; otherwise as
    /// [`daily`](Self::daily).
    pub fn weekly(id: &str) -> FakeSchedule {
        FakeSchedule {
            frequency: Frequency::Weekly,
            retention_expire_after_days: 30,
            ..FakeSchedule::daily(id)
        }
    }

    /// An enabled monthly schedule with a retention of 365 days; otherwise as
    /// [`daily`](Self::daily).
    pub fn monthly(id: &str) -> FakeSchedule {
        FakeSchedule {
            frequency: Frequency::Monthly,
            retention_expire_after_days: 365,
            ..FakeSchedule::daily(id)
        }
    }

    /// The same schedule, backing up the index `name`: `index_id` is derived from the name as
    /// [`FakeBackup::of_index`](crate::FakeBackup::of_index) derives `source_index_id`, and
    /// the schedule's `name` is `<index>-backup`.
    pub fn of_index(mut self, name: &str) -> FakeSchedule {
        self.index_name = name.to_owned();
        self.index_id = index_id(name);
        self.name = format!("{name}-backup");
        self
    }

    /// The same schedule, disabled: it does not run, and `next_scheduled_run` is `null`.
    pub fn disabled(mut self) -> FakeSchedule {
        self.enabled = false;
        self.next_scheduled_run = None;
        self
    }

    /// The same schedule with `created_at` set to this RFC 3339 text.
    pub fn created(mut self, created_at: &str) -> FakeSchedule {
        self.created_at = Some(created_at.to_owned());
        self
    }

    /// The same schedule, next running at this RFC 3339 text: in the past, the runs from then
    /// on have happened by the time the server is first asked.
    pub fn next_run(mut self, at: &str) -> FakeSchedule {
        self.next_scheduled_run = Some(at.to_owned());
        self
    }
}

/// The id of the index `name`, as [`crate::FakeBackup::of_index`] derives it.
pub(crate) fn index_id(name: &str) -> String {
    generate::uuid(generate::hash_str(name) ^ 0x1d)
}

/// The id of the fake's project.
pub(crate) fn project_id() -> String {
    generate::uuid(PROJECT_SEED)
}

/// The first time a schedule runs after `millis`: the next 06:00 UTC.
pub(crate) fn first_run_after(millis: i64) -> i64 {
    let day_start = millis.div_euclid(DAY_MS) * DAY_MS;
    let run = day_start + RUN_AT_MS;
    if run > millis { run } else { run + DAY_MS }
}

/// A schedule with its times as numbers.
#[derive(Debug, Clone)]
pub(crate) struct ScheduleEntry {
    /// As served; its timestamps are kept in the rendered form.
    pub(crate) schedule: FakeSchedule,
    /// When it runs next, while it is enabled.
    pub(crate) next_run_ms: Option<i64>,
    /// When the next run was planned: the `created_at` of its `Scheduled` history entry.
    pub(crate) planned_at_ms: i64,
}

impl ScheduleEntry {
    /// A schedule as given to the builder, its missing times filled in from `now_ms`.
    ///
    /// # Errors
    ///
    /// A message naming the schedule and the field when a time is not RFC 3339.
    pub(crate) fn seeded(mut schedule: FakeSchedule, now_ms: i64) -> Result<ScheduleEntry, String> {
        let parse = |field: &str, text: &str| {
            generate::parse_millis(text).ok_or_else(|| {
                format!(
                    "schedule `{}`: `{field}` is not RFC 3339: `{text}`",
                    schedule.schedule_id
                )
            })
        };
        let created_ms = match &schedule.created_at {
            Some(text) => parse("created_at", text)?,
            None => now_ms,
        };
        let next_run_ms = match (&schedule.next_scheduled_run, schedule.enabled) {
            (_, false) => None,
            (Some(text), true) => Some(parse("next_scheduled_run", text)?),
            (None, true) => Some(first_run_after(created_ms)),
        };
        schedule.created_at = None;
        Ok(ScheduleEntry::new(schedule, created_ms, next_run_ms))
    }

    /// A schedule created at `created_ms`, next running at `next_run_ms` (`None`: it is
    /// disabled); its timestamps are written from these numbers.
    pub(crate) fn new(
        mut schedule: FakeSchedule,
        created_ms: i64,
        next_run_ms: Option<i64>,
    ) -> ScheduleEntry {
        schedule.created_at = Some(generate::utc_millis(created_ms));
        let mut entry = ScheduleEntry {
            schedule,
            next_run_ms: None,
            planned_at_ms: created_ms,
        };
        entry.set_next_run(next_run_ms);
        entry
    }

    /// Sets when it runs next (`None`: it does not), in numbers and in text.
    pub(crate) fn set_next_run(&mut self, next_run_ms: Option<i64>) {
        self.next_run_ms = next_run_ms;
        self.schedule.next_scheduled_run = next_run_ms.map(generate::utc_millis);
    }

    /// The schedule as the API's `BackupScheduleResponse`.
    pub(crate) fn json(&self) -> String {
        let s = &self.schedule;
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("schedule_id", s.schedule_id.as_str().into());
        put("name", s.name.as_str().into());
        put("index_id", s.index_id.as_str().into());
        put("project_id", s.project_id.as_str().into());
        put("schedule_type", "time-based".into());
        put("frequency", s.frequency.as_str().into());
        put(
            "retention_expire_after_days",
            s.retention_expire_after_days.into(),
        );
        put("enabled", s.enabled.into());
        put(
            "next_scheduled_run",
            s.next_scheduled_run
                .as_deref()
                .map_or(Value::Null, Value::from),
        );
        put(
            "created_at",
            s.created_at.as_deref().map_or(Value::Null, Value::from),
        );
        Value::Object(map).to_string()
    }

    /// The name of the backup its run at `run_ms` makes.
    pub(crate) fn backup_name(&self, run_ms: i64) -> String {
        format!("{}-{}", self.schedule.name, generate::compact_utc(run_ms))
    }

    /// The id of the backup its run at `run_ms` makes (its `Scheduled` history entry has the
    /// same id before the run).
    pub(crate) fn backup_id(&self, run_ms: i64) -> String {
        generate::uuid(generate::hash_str(&self.schedule.schedule_id) ^ run_ms as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_at_six_utc() {
        // 2026-04-02T18:22:56.712Z: the next 06:00 is the next day's
        let created = 1_775_154_176_712;
        assert_eq!(
            generate::utc_millis(first_run_after(created)),
            "2026-04-03T06:00:00.000Z"
        );
        // just before and at 06:00
        let six = 1_775_196_000_000;
        assert_eq!(first_run_after(six - 1), six);
        assert_eq!(first_run_after(six), six + DAY_MS);
    }

    #[test]
    fn a_seeded_schedule_has_its_times_filled_in_and_rendered() {
        let now = 1_775_196_000_000 + 3_600_000; // 07:00
        let entry = ScheduleEntry::seeded(FakeSchedule::daily("s").of_index("docs"), now).unwrap();
        assert_eq!(entry.next_run_ms, Some(1_775_196_000_000 + DAY_MS));
        let v: Value = serde_json::from_str(&entry.json()).unwrap();
        assert_eq!(v["created_at"], "2026-04-03T07:00:00.000Z");
        assert_eq!(v["next_scheduled_run"], "2026-04-04T06:00:00.000Z");
        assert_eq!(v["schedule_type"], "time-based");
        assert_eq!(
            (v["frequency"].as_str(), v["enabled"].as_bool()),
            (Some("daily"), Some(true))
        );
        assert_eq!(v["name"], "docs-backup");
        assert_eq!(v.as_object().unwrap().len(), 10, "{v}");

        let off = ScheduleEntry::seeded(
            FakeSchedule::weekly("w")
                .next_run("2026-01-01T00:00:00Z")
                .disabled(),
            now,
        )
        .unwrap();
        assert_eq!(off.next_run_ms, None);
        let v: Value = serde_json::from_str(&off.json()).unwrap();
        assert_eq!(v["next_scheduled_run"], Value::Null);

        let given = ScheduleEntry::seeded(
            FakeSchedule::monthly("m").created("2026-01-01T00:00:00+02:00"),
            now,
        )
        .unwrap();
        assert_eq!(
            given.schedule.created_at.as_deref(),
            Some("2025-12-31T22:00:00.000Z")
        );
        assert_eq!(
            given.schedule.next_scheduled_run.as_deref(),
            Some("2026-01-01T06:00:00.000Z")
        );
        let bad = ScheduleEntry::seeded(FakeSchedule::daily("b").created("soon"), now);
        assert_eq!(
            bad.unwrap_err(),
            "schedule `b`: `created_at` is not RFC 3339: `soon`"
        );
    }

    #[test]
    fn backups_are_named_after_the_schedule_and_their_run() {
        let entry = ScheduleEntry::seeded(
            FakeSchedule {
                name: "daily-compliance-backup".to_owned(),
                ..FakeSchedule::daily("s")
            },
            0,
        )
        .unwrap();
        assert_eq!(
            entry.backup_name(1_775_196_000_000),
            "daily-compliance-backup-20260403T060000Z"
        );
        assert_ne!(entry.backup_id(1), entry.backup_id(2));
        assert_eq!(Frequency::from_name("weekly"), Some(Frequency::Weekly));
        assert_eq!(Frequency::from_name("hourly"), None);
        assert_eq!(Frequency::Monthly.period_ms(), 30 * DAY_MS);
    }
}
