//! Typed, validated restore jobs and list pages.

use std::fmt;

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::request::PaginationToken;
use crate::timestamp::format_utc;

/// The status of a restore job.
///
/// The API sends free text. Known values get their own variant; anything else is kept as sent in
/// [`JobStatus::Other`], so a new status never fails a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JobStatus {
    /// Queued or running (the API reports a running restore as `Pending`).
    Pending,
    /// Running, as older API versions report it.
    Running,
    /// Finished successfully.
    Completed,
    /// Finished unsuccessfully.
    Failed,
    /// Cancelled before it finished.
    Cancelled,
    /// A status this crate does not know, kept as sent.
    Other(String),
}

impl JobStatus {
    /// The status for `text`, exactly as the API spells it.
    pub fn from_text(text: &str) -> JobStatus {
        match text {
            "Pending" => JobStatus::Pending,
            "Running" => JobStatus::Running,
            "Completed" => JobStatus::Completed,
            "Failed" => JobStatus::Failed,
            "Cancelled" => JobStatus::Cancelled,
            other => JobStatus::Other(other.to_owned()),
        }
    }

    /// The status as the API spells it.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            JobStatus::Pending => "Pending",
            JobStatus::Running => "Running",
            JobStatus::Completed => "Completed",
            JobStatus::Failed => "Failed",
            JobStatus::Cancelled => "Cancelled",
            JobStatus::Other(text) => text,
        }
    }

    /// `true` for `Completed`, `Failed` and `Cancelled`: the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

impl fmt::Display for JobStatus {
    /// The status as sent, raw: show it to a person through [`crate::text`]. Width and
    /// alignment flags apply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A completion percentage, always finite and in `0..=100` (never `-0`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Percent(f64);

impl Percent {
    /// `Some` when `p` is finite and in `0..=100`; `-0` reads as `0`.
    ///
    /// ```
    /// use pinecone_restore_core::Percent;
    ///
    /// assert_eq!(Percent::new(42.5).map(Percent::get), Some(42.5));
    /// assert!(Percent::new(100.5).is_none());
    /// assert!(Percent::new(f64::NAN).is_none());
    /// assert_eq!(Percent::new(-0.0).map(|p| p.to_string()), Some("0".to_owned()));
    /// ```
    pub fn new(p: f64) -> Option<Percent> {
        // `+ 0.0` turns -0 into 0 and leaves every other value as it is
        (p.is_finite() && (0.0..=100.0).contains(&p)).then_some(Percent(p + 0.0))
    }

    /// `true` for a whole number, as API 2026-07 sends.
    #[inline]
    pub fn is_whole(self) -> bool {
        self.0.fract() == 0.0
    }

    /// The value.
    #[inline]
    pub fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One restore job, validated.
///
/// The four text fields share one allocation; read them through the accessors.
#[derive(Clone, PartialEq)]
pub struct RestoreJob {
    text: Box<str>,
    ends: [u32; 4],
    status: JobStatus,
    created_at: Option<OffsetDateTime>,
    completed_at: Option<OffsetDateTime>,
    percent_complete: Option<Percent>,
}

impl RestoreJob {
    /// A job from its parts; `created_at` of `None` stands for the `null` the API sometimes
    /// sends for a job not yet timestamped.
    ///
    /// ```
    /// use pinecone_restore_core::{JobStatus, Percent, RestoreJob};
    ///
    /// let job = RestoreJob::new("rj-1", "bk-1", "my-index", "idx-1", JobStatus::Pending, None)
    ///     .with_percent_complete(Percent::new(40.0));
    /// assert_eq!(job.restore_job_id(), "rj-1");
    /// assert_eq!(job.percent_complete().map(Percent::get), Some(40.0));
    /// ```
    pub fn new(
        restore_job_id: &str,
        backup_id: &str,
        target_index_name: &str,
        target_index_id: &str,
        status: JobStatus,
        created_at: Option<OffsetDateTime>,
    ) -> RestoreJob {
        let parts = [
            restore_job_id,
            backup_id,
            target_index_name,
            target_index_id,
        ];
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u32; 4];
        for (end, part) in ends.iter_mut().zip(parts) {
            text.push_str(part);
            // Lengths past u32::MAX cannot come from a capped response body; saturate rather
            // than wrap so accessors stay in bounds.
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        RestoreJob {
            text: text.into_boxed_str(),
            ends,
            status,
            created_at,
            completed_at: None,
            percent_complete: None,
        }
    }

    /// Sets when the job finished.
    pub fn with_completed_at(mut self, at: Option<OffsetDateTime>) -> RestoreJob {
        self.completed_at = at;
        self
    }

    /// Sets the completion percentage.
    pub fn with_percent_complete(mut self, p: Option<Percent>) -> RestoreJob {
        self.percent_complete = p;
        self
    }

    #[inline]
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// The restore job's id.
    #[inline]
    pub fn restore_job_id(&self) -> &str {
        self.part(0)
    }

    /// The backup being restored.
    #[inline]
    pub fn backup_id(&self) -> &str {
        self.part(1)
    }

    /// The index the backup is restored into.
    #[inline]
    pub fn target_index_name(&self) -> &str {
        self.part(2)
    }

    /// The id of that index.
    #[inline]
    pub fn target_index_id(&self) -> &str {
        self.part(3)
    }

    /// The status.
    #[inline]
    pub fn status(&self) -> &JobStatus {
        &self.status
    }

    /// When the job started; `None` when the API sent `null`.
    #[inline]
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        self.created_at
    }

    /// When the job finished, usually present only once it has.
    #[inline]
    pub fn completed_at(&self) -> Option<OffsetDateTime> {
        self.completed_at
    }

    /// How far the job is, usually present only once it completed.
    #[inline]
    pub fn percent_complete(&self) -> Option<Percent> {
        self.percent_complete
    }
}

impl fmt::Debug for RestoreJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreJob")
            .field("restore_job_id", &self.restore_job_id())
            .field("backup_id", &self.backup_id())
            .field("target_index_name", &self.target_index_name())
            .field("target_index_id", &self.target_index_id())
            .field("status", &self.status)
            .field("created_at", &self.created_at)
            .field("completed_at", &self.completed_at)
            .field("percent_complete", &self.percent_complete)
            .finish()
    }
}

/// Serializes with the API's field names; timestamps in RFC 3339, UTC. Fields that are not
/// known are left out, as the API leaves them out.
impl Serialize for RestoreJob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ts = |at: OffsetDateTime| format_utc(at).map_err(S::Error::custom);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("restore_job_id", self.restore_job_id())?;
        map.serialize_entry("backup_id", self.backup_id())?;
        map.serialize_entry("target_index_name", self.target_index_name())?;
        map.serialize_entry("target_index_id", self.target_index_id())?;
        map.serialize_entry("status", self.status.as_str())?;
        match self.created_at {
            Some(at) => map.serialize_entry("created_at", &ts(at)?)?,
            None => map.serialize_entry("created_at", &())?,
        }
        if let Some(at) = self.completed_at {
            map.serialize_entry("completed_at", &ts(at)?)?;
        }
        match self.percent_complete {
            // whole numbers as integers, as the API writes them (`100`, not `100.0`)
            Some(p) if p.is_whole() => map.serialize_entry("percent_complete", &(p.get() as u8))?,
            Some(p) => map.serialize_entry("percent_complete", &p.get())?,
            None => {}
        }
        map.end()
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ListPage {
    /// The jobs on this page, in the order sent.
    pub jobs: Vec<RestoreJob>,
    /// The token of the next page; `None` on the last page (`pagination` null or missing, `next`
    /// missing, null or empty).
    pub next: Option<PaginationToken>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn parts_round_trip() {
        let job = RestoreJob::new("", "b", "ñame", "", JobStatus::Failed, None);
        assert_eq!(job.restore_job_id(), "");
        assert_eq!(job.backup_id(), "b");
        assert_eq!(job.target_index_name(), "ñame");
        assert_eq!(job.target_index_id(), "");
    }

    #[test]
    fn status_text() {
        for s in [
            "Pending",
            "Running",
            "Completed",
            "Failed",
            "Cancelled",
            "Paused",
            "",
        ] {
            assert_eq!(JobStatus::from_text(s).as_str(), s);
        }
        assert!(JobStatus::Cancelled.is_terminal());
        assert!(!JobStatus::Other("Done".into()).is_terminal());
    }

    #[test]
    fn serializes_with_api_names_in_utc() {
        let at = OffsetDateTime::parse("2024-03-15T12:30:00.5+02:00", &Rfc3339).unwrap();
        let job = RestoreJob::new("r", "b", "n", "i", JobStatus::Completed, Some(at))
            .with_completed_at(Some(at))
            .with_percent_complete(Percent::new(100.0));
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(
            json,
            r#"{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-03-15T10:30:00.5Z","completed_at":"2024-03-15T10:30:00.5Z","percent_complete":100}"#
        );
        let pending = RestoreJob::new("r", "b", "n", "i", JobStatus::Pending, None);
        assert!(
            serde_json::to_string(&pending)
                .unwrap()
                .contains(r#""created_at":null"#)
        );
    }
}
