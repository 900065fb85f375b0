//! A backup schedule as the API describes it (2026-07), and what a create or an update sends.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::error::{Error, InvalidArgument};
use crate::request::{IndexName, PaginationToken, stamp};
use crate::text::{self, Secrets};
use crate::timestamp::format_utc;

/// How often a schedule takes a backup.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frequency {
    /// Once a day.
    Daily,
    /// Once a week.
    Weekly,
    /// Once a month.
    Monthly,
    /// A frequency this crate does not know, kept as sent.
    Other(String),
}

impl Frequency {
    /// The three the API takes.
    pub const KNOWN: [Frequency; 3] = [Frequency::Daily, Frequency::Weekly, Frequency::Monthly];

    /// The frequency for `text`, exactly as the API spells it.
    pub fn from_text(text: &str) -> Frequency {
        match text {
            "daily" => Frequency::Daily,
            "weekly" => Frequency::Weekly,
            "monthly" => Frequency::Monthly,
            other => Frequency::Other(other.to_owned()),
        }
    }

    /// As the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Other(text) => text,
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A frequency a request can send: `daily`, `weekly` or `monthly`.
impl FromStr for Frequency {
    type Err = Error;

    fn from_str(text: &str) -> Result<Frequency, Error> {
        match Frequency::from_text(text) {
            Frequency::Other(_) => Err(InvalidArgument::new(
                "frequency",
                format!(
                    "expected daily, weekly or monthly, found `{}`",
                    text::quote(text, &Secrets::none())
                ),
            )
            .into()),
            known => Ok(known),
        }
    }
}

/// How many days a schedule keeps each backup it takes: at least 1, at most the spec's
/// `int32` (the service may set a lower maximum, and answers `400` above it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RetainDays(u32);

impl RetainDays {
    /// The most the spec's `int32` holds.
    pub const MAX: u32 = i32::MAX as u32;

    /// Checks `days`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for 0 or more than [`RetainDays::MAX`].
    ///
    /// ```
    /// use pinecone_restore_core::RetainDays;
    ///
    /// assert_eq!(RetainDays::new(90)?.get(), 90);
    /// assert!(RetainDays::new(0).is_err());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn new(days: u32) -> Result<RetainDays, Error> {
        if (1..=RetainDays::MAX).contains(&days) {
            Ok(RetainDays(days))
        } else {
            Err(InvalidArgument::new(
                "retention days",
                format!("expected 1 to {}, found {days}", RetainDays::MAX),
            )
            .into())
        }
    }

    /// The number of days.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for RetainDays {
    type Err = Error;

    fn from_str(text: &str) -> Result<RetainDays, Error> {
        let days: u64 = text.trim().parse().map_err(|_| -> Error {
            InvalidArgument::new(
                "retention days",
                format!(
                    "expected a whole number of days, found `{}`",
                    text::quote(text, &Secrets::none())
                ),
            )
            .into()
        })?;
        RetainDays::new(u32::try_from(days).unwrap_or(u32::MAX))
    }
}

/// The name of a backup schedule. The API states no rule for it; this crate takes 1 to
/// [`ScheduleName::MAX_CHARS`] characters without control or format characters, so that a
/// name always shows as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScheduleName(String);

impl ScheduleName {
    /// The longest name taken.
    pub const MAX_CHARS: usize = 256;

    /// Checks `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `name` is empty, longer than
    /// [`ScheduleName::MAX_CHARS`], or holds a control or format character.
    ///
    /// ```
    /// use pinecone_restore_core::ScheduleName;
    ///
    /// assert!(ScheduleName::new("daily-compliance-backup").is_ok());
    /// assert!(ScheduleName::new("").is_err());
    /// assert!(ScheduleName::new("a\nb").is_err());
    /// ```
    pub fn new(name: impl Into<String>) -> Result<ScheduleName, Error> {
        let name = name.into();
        let chars = name.chars().count();
        let bad = |reason: String| -> Result<ScheduleName, Error> {
            Err(InvalidArgument::new("schedule name", reason).into())
        };
        if chars == 0 || chars > ScheduleName::MAX_CHARS {
            return bad(format!(
                "expected 1 to {} characters, found {chars}",
                ScheduleName::MAX_CHARS
            ));
        }
        if name.chars().any(text::needs_escape) {
            return bad(format!(
                "expected no control or format characters, found `{}`",
                text::quote(&name, &Secrets::none())
            ));
        }
        Ok(ScheduleName(name))
    }

    /// A name unique to one run, for a schedule of `index` taking backups at `frequency`:
    /// the index name, the frequency, the UTC date and time at `now` and six hex digits of
    /// `random`: `docs-search-daily-20261206-210930-3fa9c1`.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use pinecone_restore_core::{Frequency, IndexName, ScheduleName};
    ///
    /// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_591_370);
    /// let name = ScheduleName::generate(&IndexName::new("docs-search")?, &Frequency::Daily, at, 0x3fa9c1);
    /// assert_eq!(name.as_str(), "docs-search-daily-20261206-210930-3fa9c1");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn generate(
        index: &IndexName,
        frequency: &Frequency,
        now: SystemTime,
        random: u64,
    ) -> ScheduleName {
        ScheduleName(format!(
            "{index}-{frequency}-{}-{:06x}",
            stamp(now),
            random & 0xff_ffff
        ))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ScheduleName {
    type Err = Error;

    fn from_str(s: &str) -> Result<ScheduleName, Error> {
        ScheduleName::new(s)
    }
}

impl fmt::Display for ScheduleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The body of `POST /indexes/{index_name}/backup-schedules`: a time-based schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSchedule {
    name: ScheduleName,
    frequency: Frequency,
    retain: RetainDays,
}

impl CreateSchedule {
    /// A schedule named `name` taking a backup at `frequency`, each kept `retain` days.
    pub fn new(name: ScheduleName, frequency: Frequency, retain: RetainDays) -> CreateSchedule {
        CreateSchedule {
            name,
            frequency,
            retain,
        }
    }

    /// The name.
    pub fn name(&self) -> &ScheduleName {
        &self.name
    }

    /// The frequency.
    pub fn frequency(&self) -> &Frequency {
        &self.frequency
    }

    /// How long each backup is kept.
    pub fn retain(&self) -> RetainDays {
        self.retain
    }

    /// The JSON body: `{"name", "schedule": {"type": "time-based", "frequency"},
    /// "retention": {"expire_after_days"}}`.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::json!({
            "name": self.name.as_str(),
            "schedule": {"type": "time-based", "frequency": self.frequency.as_str()},
            "retention": {"expire_after_days": self.retain.get()},
        })
        .to_string()
        .into_bytes()
    }
}

/// The body of `PATCH /backup-schedules/{schedule_id}`: only what changes; what is left out
/// stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateSchedule {
    enabled: Option<bool>,
    frequency: Option<Frequency>,
    retain: Option<RetainDays>,
}

impl UpdateSchedule {
    /// No change yet.
    pub fn new() -> UpdateSchedule {
        UpdateSchedule::default()
    }

    /// Enables (`true`: re-enabling a disabled schedule takes a backup at once) or disables it.
    pub fn enabled(mut self, enabled: bool) -> UpdateSchedule {
        self.enabled = Some(enabled);
        self
    }

    /// Takes backups at `frequency` from now on.
    pub fn frequency(mut self, frequency: Frequency) -> UpdateSchedule {
        self.frequency = Some(frequency);
        self
    }

    /// Keeps each backup `retain` days.
    pub fn retain(mut self, retain: RetainDays) -> UpdateSchedule {
        self.retain = Some(retain);
        self
    }

    /// `true` when it changes nothing (the API would answer with the schedule as it is).
    pub fn is_empty(&self) -> bool {
        self.enabled.is_none() && self.frequency.is_none() && self.retain.is_none()
    }

    /// The JSON body, with only the fields given.
    pub fn to_json(&self) -> Vec<u8> {
        let mut body = serde_json::Map::new();
        if let Some(enabled) = self.enabled {
            body.insert("enabled".to_owned(), enabled.into());
        }
        if let Some(frequency) = &self.frequency {
            body.insert("frequency".to_owned(), frequency.as_str().into());
        }
        if let Some(retain) = self.retain {
            body.insert(
                "retention".to_owned(),
                serde_json::json!({"expire_after_days": retain.get()}),
            );
        }
        serde_json::Value::Object(body).to_string().into_bytes()
    }
}

/// A backup schedule (`BackupScheduleResponse`, API 2026-07).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub(crate) schedule_id: String,
    pub(crate) name: String,
    pub(crate) index_id: String,
    pub(crate) project_id: String,
    pub(crate) schedule_type: String,
    pub(crate) frequency: Frequency,
    pub(crate) retention_expire_after_days: u32,
    pub(crate) enabled: bool,
    pub(crate) next_scheduled_run: Option<OffsetDateTime>,
    pub(crate) created_at: OffsetDateTime,
}

impl BackupSchedule {
    /// A schedule with these values, enabled, with no next run; for tests and fakes.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        schedule_id: &str,
        name: &str,
        index_id: &str,
        project_id: &str,
        frequency: Frequency,
        retention_expire_after_days: u32,
        created_at: OffsetDateTime,
    ) -> BackupSchedule {
        BackupSchedule {
            schedule_id: schedule_id.to_owned(),
            name: name.to_owned(),
            index_id: index_id.to_owned(),
            project_id: project_id.to_owned(),
            schedule_type: "time-based".to_owned(),
            frequency,
            retention_expire_after_days,
            enabled: true,
            next_scheduled_run: None,
            created_at,
        }
    }

    /// With `enabled` and `next_scheduled_run` as given.
    pub fn with_state(mut self, enabled: bool, next: Option<OffsetDateTime>) -> BackupSchedule {
        self.enabled = enabled;
        self.next_scheduled_run = next;
        self
    }

    /// `schedule_id`.
    pub fn schedule_id(&self) -> &str {
        &self.schedule_id
    }

    /// `name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `index_id`: the index it backs up.
    pub fn index_id(&self) -> &str {
        &self.index_id
    }

    /// `project_id`.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// `schedule_type`: `time-based` (or another, kept as sent).
    pub fn schedule_type(&self) -> &str {
        &self.schedule_type
    }

    /// `frequency`.
    pub fn frequency(&self) -> &Frequency {
        &self.frequency
    }

    /// `retention_expire_after_days`: how long each backup it takes is kept.
    pub fn retention_expire_after_days(&self) -> u32 {
        self.retention_expire_after_days
    }

    /// `enabled`.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `next_scheduled_run`: when it runs next; `None` when disabled.
    pub fn next_scheduled_run(&self) -> Option<OffsetDateTime> {
        self.next_scheduled_run
    }

    /// `created_at`.
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
}

/// The API's fields and names, timestamps in RFC 3339 UTC, `next_scheduled_run` `null` when
/// there is none (the spec says it is always present).
impl Serialize for BackupSchedule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let time = |at: OffsetDateTime| format_utc(at).map_err(S::Error::custom);
        let mut map = serializer.serialize_map(Some(10))?;
        map.serialize_entry("schedule_id", &self.schedule_id)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("index_id", &self.index_id)?;
        map.serialize_entry("project_id", &self.project_id)?;
        map.serialize_entry("schedule_type", &self.schedule_type)?;
        map.serialize_entry("frequency", self.frequency.as_str())?;
        map.serialize_entry(
            "retention_expire_after_days",
            &self.retention_expire_after_days,
        )?;
        map.serialize_entry("enabled", &self.enabled)?;
        match self.next_scheduled_run {
            Some(at) => map.serialize_entry("next_scheduled_run", &time(at)?)?,
            None => map.serialize_entry("next_scheduled_run", &())?,
        }
        map.serialize_entry("created_at", &time(self.created_at)?)?;
        map.end()
    }
}

/// One page of an index's backup schedules.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SchedulePage {
    /// The schedules, in the order sent.
    pub schedules: Vec<BackupSchedule>,
    /// The next page's token; `None` on the last page.
    pub next: Option<PaginationToken>,
}

/// One page of what a schedule did: the backups it took, and those it plans (`Scheduled`,
/// with [`Backup::scheduled_execution_at`](crate::Backup::scheduled_execution_at)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryPage {
    /// The backups, in the order sent.
    pub backups: Vec<crate::Backup>,
    /// The next page's token; `None` on the last page.
    pub next: Option<PaginationToken>,
}
