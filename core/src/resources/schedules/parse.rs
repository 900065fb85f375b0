//! One backup schedule, a page of them, and a page of a schedule's history.
//!
//! The rules every parser of this crate follows: required keys present and of their type,
//! each key once, unknown keys ignored, timestamps RFC 3339, enum values this crate does not
//! know kept as sent, a secret sent back refused, every error naming where.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use crate::error::Error;
use crate::parse::keys::{self, Field, Keys};
use crate::parse::page::{Element, PageVisitor};
use crate::parse::value::Value;
use crate::parse::{Scope, run, timestamp};
use crate::resources::backups::parse::HistoryItem;
use crate::resources::schedules::model::{BackupSchedule, Frequency, HistoryPage, SchedulePage};
use crate::text::Secrets;
use crate::version::{ApiVersion, Rules};

/// Parses the body of a `200` answer to `GET /indexes/{index_name}/backup-schedules`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] naming where and what: not JSON, trailing bytes, duplicate keys,
/// `data` missing, a schedule missing a required key (`schedule_id`, `name`, `index_id`,
/// `project_id`, `schedule_type`, `frequency`, `retention_expire_after_days`, `enabled`,
/// `created_at`, and for an enabled schedule `next_scheduled_run`, which a disabled one may
/// leave out as the spec's own example does) or with one of the wrong type, an empty
/// `schedule_id`, `retention_expire_after_days` outside `1..=2147483647`, a timestamp that is
/// not RFC 3339 (`next_scheduled_run` may be `null`), a pagination token over
/// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, Frequency, parse_schedule_page};
///
/// let body = br#"{"data": [{"schedule_id": "s-1", "name": "nightly", "index_id": "ix",
///     "project_id": "p", "schedule_type": "time-based", "frequency": "daily",
///     "retention_expire_after_days": 90, "enabled": false, "next_scheduled_run": null,
///     "created_at": "2026-04-02T18:22:56.712605+00:00"}]}"#;
/// let page = parse_schedule_page(body, &ApiVersion::V2026_07)?;
/// let schedule = &page.schedules[0];
/// assert_eq!((schedule.frequency(), schedule.enabled()), (&Frequency::Daily, false));
/// assert!(schedule.next_scheduled_run().is_none() && page.next.is_none());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_schedule_page(body: &[u8], version: &ApiVersion) -> Result<SchedulePage, Error> {
    schedule_page(body, version.rules(), &Secrets::none())
}

/// Parses the body of a `200` answer to `POST /indexes/{index_name}/backup-schedules`, `GET`
/// or `PATCH /backup-schedules/{schedule_id}`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for [`parse_schedule_page`], paths relative to the schedule.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, parse_schedule};
///
/// let body = br#"{"schedule_id": "s-1", "name": "nightly", "index_id": "ix", "project_id": "p",
///     "schedule_type": "time-based", "frequency": "fortnightly",
///     "retention_expire_after_days": 0, "enabled": true,
///     "next_scheduled_run": "2026-04-03T06:00:00+00:00", "created_at": "2026-04-02T18:22:56Z"}"#;
/// let err = parse_schedule(body, &ApiVersion::V2026_07).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid response: retention_expire_after_days: expected an integer in 1..=2147483647, found `0`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_schedule(body: &[u8], version: &ApiVersion) -> Result<BackupSchedule, Error> {
    schedule(body, version.rules(), &Secrets::none())
}

/// Parses the body of a `200` answer to `GET /backup-schedules/{schedule_id}/history`: the
/// backups a schedule took, and those it plans (`Scheduled`, with `scheduled_execution_at`).
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for a backup listing of 2026-07, and besides: an item
/// without `name` or `created_at`, a `scheduled_execution_at` that is not RFC 3339.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, BackupStatus, parse_history_page};
///
/// let body = br#"{"data": [{"backup_id": "b", "source_index_id": "ix", "source_index_name": "docs",
///     "name": "nightly-20260404T060000Z", "status": "Scheduled", "cloud": "aws",
///     "region": "us-east-1", "created_at": "2026-04-03T06:00:01+00:00",
///     "scheduled_execution_at": "2026-04-04T06:00:00+00:00"}], "pagination": null}"#;
/// let page = parse_history_page(body, &ApiVersion::V2026_07)?;
/// assert_eq!(page.backups[0].status(), &BackupStatus::Scheduled);
/// assert!(page.backups[0].scheduled_execution_at().is_some());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_history_page(body: &[u8], version: &ApiVersion) -> Result<HistoryPage, Error> {
    history_page(body, version.rules(), &Secrets::none())
}

pub(crate) fn schedule_page(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<SchedulePage, Error> {
    run(body, rules, secrets, |d, scope| {
        let (schedules, next) = d.deserialize_map(PageVisitor::new(scope))?;
        Ok(SchedulePage { schedules, next })
    })
}

pub(crate) fn schedule(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<BackupSchedule, Error> {
    run(body, rules, secrets, |d, scope| {
        ScheduleVisitor { scope }.deserialize(d)
    })
}

pub(crate) fn history_page(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<HistoryPage, Error> {
    run(body, rules, secrets, |d, scope| {
        let (items, next) = d.deserialize_map(PageVisitor::<HistoryItem>::new(scope))?;
        let backups = items
            .into_iter()
            .map(|HistoryItem(backup)| backup)
            .collect();
        Ok(HistoryPage { backups, next })
    })
}

/// The keys of a `BackupScheduleResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScheduleField {
    ScheduleId,
    Name,
    IndexId,
    ProjectId,
    ScheduleType,
    Frequency,
    RetentionExpireAfterDays,
    Enabled,
    NextScheduledRun,
    CreatedAt,
}

impl ScheduleField {
    /// The keys the spec requires, but `next_scheduled_run`: "always present" by its schema,
    /// yet the spec's own example of a disabled schedule (the answer to an update) leaves it
    /// out. So it may be absent from a disabled schedule, read as `null`; an enabled one must
    /// say when it runs next.
    const REQUIRED: [ScheduleField; 9] = [
        ScheduleField::ScheduleId,
        ScheduleField::Name,
        ScheduleField::IndexId,
        ScheduleField::ProjectId,
        ScheduleField::ScheduleType,
        ScheduleField::Frequency,
        ScheduleField::RetentionExpireAfterDays,
        ScheduleField::Enabled,
        ScheduleField::CreatedAt,
    ];
}

impl Field for ScheduleField {
    fn from_key(key: &str) -> Option<ScheduleField> {
        Some(match key {
            "schedule_id" => ScheduleField::ScheduleId,
            "name" => ScheduleField::Name,
            "index_id" => ScheduleField::IndexId,
            "project_id" => ScheduleField::ProjectId,
            "schedule_type" => ScheduleField::ScheduleType,
            "frequency" => ScheduleField::Frequency,
            "retention_expire_after_days" => ScheduleField::RetentionExpireAfterDays,
            "enabled" => ScheduleField::Enabled,
            "next_scheduled_run" => ScheduleField::NextScheduledRun,
            "created_at" => ScheduleField::CreatedAt,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            ScheduleField::ScheduleId => "schedule_id",
            ScheduleField::Name => "name",
            ScheduleField::IndexId => "index_id",
            ScheduleField::ProjectId => "project_id",
            ScheduleField::ScheduleType => "schedule_type",
            ScheduleField::Frequency => "frequency",
            ScheduleField::RetentionExpireAfterDays => "retention_expire_after_days",
            ScheduleField::Enabled => "enabled",
            ScheduleField::NextScheduledRun => "next_scheduled_run",
            ScheduleField::CreatedAt => "created_at",
        }
    }

    fn index(self) -> u32 {
        self as u32
    }
}

/// The range of `retention_expire_after_days`: the spec's `minimum: 1` and `int32`.
const RETENTION: &str = "an integer in 1..=2147483647";

struct ScheduleVisitor<'a, 's> {
    scope: &'a mut Scope<'s>,
}

impl<'de> DeserializeSeed<'de> for ScheduleVisitor<'_, '_> {
    type Value = BackupSchedule;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<BackupSchedule, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ScheduleVisitor<'_, '_> {
    type Value = BackupSchedule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backup schedule object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BackupSchedule, A::Error> {
        let scope = self.scope;
        let mut keys = Keys::<ScheduleField>::new();
        let mut schedule_id = Cow::Borrowed("");
        let mut name_ = Cow::Borrowed("");
        let mut index_id = Cow::Borrowed("");
        let mut project_id = Cow::Borrowed("");
        let mut schedule_type = Cow::Borrowed("");
        let mut frequency = Frequency::Daily;
        let mut retention = 0u32;
        let mut enabled = false;
        let mut next_run = None;
        let mut created_at = None;
        while let Some(field) = keys.next(&mut map, scope)? {
            let name = field.name();
            let v = scope.value(&mut map, name)?;
            match field {
                ScheduleField::ScheduleId => schedule_id = scope.text(name, "a string", v)?,
                ScheduleField::Name => name_ = scope.text(name, "a string", v)?,
                ScheduleField::IndexId => index_id = scope.text(name, "a string", v)?,
                ScheduleField::ProjectId => project_id = scope.text(name, "a string", v)?,
                ScheduleField::ScheduleType => schedule_type = scope.text(name, "a string", v)?,
                ScheduleField::Frequency => {
                    frequency = Frequency::from_text(&scope.text(name, "a string", v)?);
                }
                ScheduleField::RetentionExpireAfterDays => {
                    retention = match v {
                        Value::U64(days @ 1..=0x7fff_ffff) => days as u32,
                        Value::U64(_) | Value::I64(_) => {
                            return Err(scope.invalid(name, RETENTION, &v));
                        }
                        v => return Err(scope.wrong_type(name, RETENTION, &v)),
                    };
                }
                ScheduleField::Enabled => {
                    enabled = match v {
                        Value::Bool(b) => b,
                        v => return Err(scope.wrong_type(name, "a boolean", &v)),
                    };
                }
                ScheduleField::NextScheduledRun => next_run = timestamp(scope, name, v)?,
                ScheduleField::CreatedAt => {
                    created_at = match v {
                        Value::Null => {
                            return Err(scope.wrong_type(name, "an RFC 3339 timestamp", &v));
                        }
                        v => timestamp(scope, name, v)?,
                    };
                }
            }
        }
        if let Some(field) = keys.missing(&ScheduleField::REQUIRED) {
            return Err(keys::missing(scope, field));
        }
        if enabled && let Some(field) = keys.missing(&[ScheduleField::NextScheduledRun]) {
            return Err(keys::missing(scope, field));
        }
        if schedule_id.is_empty() {
            return Err(scope.invalid(
                ScheduleField::ScheduleId.name(),
                "a non-empty string",
                &Value::Str(Cow::Borrowed("")),
            ));
        }
        let Some(created_at) = created_at else {
            // present (checked above) and not null: a timestamp was read
            return Err(keys::missing(scope, ScheduleField::CreatedAt));
        };
        Ok(BackupSchedule {
            schedule_id: schedule_id.into_owned(),
            name: name_.into_owned(),
            index_id: index_id.into_owned(),
            project_id: project_id.into_owned(),
            schedule_type: schedule_type.into_owned(),
            frequency,
            retention_expire_after_days: retention,
            enabled,
            next_scheduled_run: next_run,
            created_at,
        })
    }
}

/// A schedule as an element of a page's `data`.
impl Element for BackupSchedule {
    const ARRAY: &'static str = "an array of backup schedules";

    fn read<'de, D: de::Deserializer<'de>>(
        scope: &mut Scope<'_>,
        d: D,
    ) -> Result<BackupSchedule, D::Error> {
        ScheduleVisitor { scope }.deserialize(d)
    }
}
