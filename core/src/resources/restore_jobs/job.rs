//! One restore job object.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use crate::parse::keys::{self, Field, Keys};
use crate::parse::page::Element;
use crate::parse::value::Value;
use crate::parse::{Scope, timestamp};
use crate::resources::restore_jobs::model::{JobStatus, Percent, RestoreJob};
use crate::version::PercentRule;

/// The keys of a `RestoreJobModel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JobField {
    RestoreJobId,
    BackupId,
    TargetIndexName,
    TargetIndexId,
    Status,
    CreatedAt,
    CompletedAt,
    PercentComplete,
}

impl JobField {
    /// The keys every job must have (`created_at` may be `null`, not missing).
    pub(super) const REQUIRED: [JobField; 6] = [
        JobField::RestoreJobId,
        JobField::BackupId,
        JobField::TargetIndexName,
        JobField::TargetIndexId,
        JobField::Status,
        JobField::CreatedAt,
    ];
}

impl Field for JobField {
    /// The names differ in length, so this is one length switch and one comparison.
    #[inline]
    fn from_key(key: &str) -> Option<JobField> {
        Some(match key {
            "restore_job_id" => JobField::RestoreJobId,
            "backup_id" => JobField::BackupId,
            "target_index_name" => JobField::TargetIndexName,
            "target_index_id" => JobField::TargetIndexId,
            "status" => JobField::Status,
            "created_at" => JobField::CreatedAt,
            "completed_at" => JobField::CompletedAt,
            "percent_complete" => JobField::PercentComplete,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            JobField::RestoreJobId => "restore_job_id",
            JobField::BackupId => "backup_id",
            JobField::TargetIndexName => "target_index_name",
            JobField::TargetIndexId => "target_index_id",
            JobField::Status => "status",
            JobField::CreatedAt => "created_at",
            JobField::CompletedAt => "completed_at",
            JobField::PercentComplete => "percent_complete",
        }
    }

    fn index(self) -> u32 {
        self as u32
    }
}

/// A job as an element of `data`.
pub(super) struct JobElement<'a, 's> {
    pub(super) scope: &'a mut Scope<'s>,
}

impl<'de> DeserializeSeed<'de> for JobElement<'_, '_> {
    type Value = RestoreJob;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RestoreJob, D::Error> {
        d.deserialize_map(JobVisitor { scope: self.scope })
    }
}

pub(super) struct JobVisitor<'a, 's> {
    pub(super) scope: &'a mut Scope<'s>,
}

impl<'de> Visitor<'de> for JobVisitor<'_, '_> {
    type Value = RestoreJob;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a restore job object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RestoreJob, A::Error> {
        let scope = self.scope;
        let mut keys = Keys::<JobField>::new();
        let mut restore_job_id = Cow::Borrowed("");
        let mut backup_id = Cow::Borrowed("");
        let mut target_index_name = Cow::Borrowed("");
        let mut target_index_id = Cow::Borrowed("");
        let mut status = JobStatus::Pending;
        let mut created_at = None;
        let mut completed_at = None;
        let mut percent = None;
        while let Some(field) = keys.next(&mut map, scope)? {
            let name = field.name();
            let v = scope.value(&mut map, name)?;
            match field {
                JobField::RestoreJobId => restore_job_id = scope.text(name, "a string", v)?,
                JobField::BackupId => backup_id = scope.text(name, "a string", v)?,
                JobField::TargetIndexName => target_index_name = scope.text(name, "a string", v)?,
                JobField::TargetIndexId => target_index_id = scope.text(name, "a string", v)?,
                JobField::Status => {
                    status = JobStatus::from_text(&scope.text(name, "a string", v)?)
                }
                JobField::CreatedAt => created_at = timestamp(scope, name, v)?,
                JobField::CompletedAt => completed_at = timestamp(scope, name, v)?,
                JobField::PercentComplete => percent = percent_complete(scope, name, v)?,
            }
        }
        if let Some(field) = keys.missing(&JobField::REQUIRED) {
            return Err(keys::missing(scope, field));
        }
        if restore_job_id.is_empty() {
            return Err(scope.invalid(
                JobField::RestoreJobId.name(),
                "a non-empty string",
                &Value::Str(Cow::Borrowed("")),
            ));
        }
        Ok(RestoreJob::new(
            &restore_job_id,
            &backup_id,
            &target_index_name,
            &target_index_id,
            status,
            created_at,
        )
        .with_completed_at(completed_at)
        .with_percent_complete(percent))
    }
}

/// `percent_complete` by the rule of the version asked for.
#[inline]
fn percent_complete<E: de::Error>(
    scope: &mut Scope<'_>,
    name: &'static str,
    v: Value<'_>,
) -> Result<Option<Percent>, E> {
    let (expected, whole_only) = match scope.rules.percent {
        PercentRule::Number => ("a number in 0..=100", false),
        PercentRule::Integer => ("an integer in 0..=100", true),
    };
    if let Value::Null = v {
        return Ok(None);
    }
    let Some(number) = v.as_f64() else {
        return Err(scope.wrong_type(name, expected, &v));
    };
    match Percent::new(number) {
        Some(p) if !whole_only || p.is_whole() => Ok(Some(p)),
        _ => Err(scope.invalid(name, expected, &v)),
    }
}

impl Element for RestoreJob {
    const ARRAY: &'static str = "an array of restore jobs";

    fn read<'de, D: de::Deserializer<'de>>(
        scope: &mut Scope<'_>,
        d: D,
    ) -> Result<RestoreJob, D::Error> {
        JobElement { scope }.deserialize(d)
    }
}
