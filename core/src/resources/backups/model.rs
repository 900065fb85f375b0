//! Typed, validated backups, their pages, and the pick of the newest usable one.

use std::fmt;

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::request::PaginationToken;
use crate::timestamp::format_utc;

/// The status of a backup.
///
/// The API sends free text. Known values get their own variant; anything else is kept as sent
/// in [`BackupStatus::Other`], so a new status never fails a page. Only a
/// [`Ready`](BackupStatus::Ready) backup can be restored (the API answers 412 otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackupStatus {
    /// Being taken.
    Initializing,
    /// Complete: a restore can start from it.
    Ready,
    /// Taking it failed (up to 2026-04).
    Failed,
    /// Taking it failed (2026-07's name for [`Failed`](BackupStatus::Failed)).
    InitializationFailed,
    /// Planned by a backup schedule, not taken yet.
    Scheduled,
    /// A status this crate does not know, kept as sent.
    Other(String),
}

impl BackupStatus {
    /// The status for `text`, exactly as the API spells it.
    pub fn from_text(text: &str) -> BackupStatus {
        match text {
            "Initializing" => BackupStatus::Initializing,
            "Ready" => BackupStatus::Ready,
            "Failed" => BackupStatus::Failed,
            "InitializationFailed" => BackupStatus::InitializationFailed,
            "Scheduled" => BackupStatus::Scheduled,
            other => BackupStatus::Other(other.to_owned()),
        }
    }

    /// The status as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            BackupStatus::Initializing => "Initializing",
            BackupStatus::Ready => "Ready",
            BackupStatus::Failed => "Failed",
            BackupStatus::InitializationFailed => "InitializationFailed",
            BackupStatus::Scheduled => "Scheduled",
            BackupStatus::Other(text) => text,
        }
    }
}

impl BackupStatus {
    /// `true` for a backup that failed to be taken: `Failed`, or 2026-07's
    /// `InitializationFailed`.
    pub fn is_failed(&self) -> bool {
        matches!(
            self,
            BackupStatus::Failed | BackupStatus::InitializationFailed
        )
    }

    /// `true` once taking the backup has ended, well (`Ready`) or not ([`is_failed`]); a
    /// status this crate does not know is taken as still going.
    ///
    /// [`is_failed`]: BackupStatus::is_failed
    pub fn is_settled(&self) -> bool {
        *self == BackupStatus::Ready || self.is_failed()
    }
}

impl fmt::Display for BackupStatus {
    /// The status as sent, raw: show it to a person through [`crate::text`]. Width and
    /// alignment flags apply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One backup of an index, validated by the rules of the API version asked for.
///
/// Required in every version: `backup_id` (non-empty), `source_index_name`,
/// `source_index_id`, `status`, `cloud`, `region`, each a string. Everything else is optional
/// and `None` when absent or `null` (the spec is silent on `null`; it is read as absent):
///
/// - `name`, `description`, `metric`: strings (`metric` is kept as sent: the spec's enum may
///   grow);
/// - `dimension`: an integer in `1..=20000` (2025-04 to 2026-04; 2026-07 removed it);
/// - `record_count`, `namespace_count`, `size_bytes`: integers, as the spec types them (it sets
///   no minimum, so a negative one is taken as sent);
/// - `tags`: an object of strings, each key once, kept in the order sent;
/// - `schema` (from 2025-10): an object, kept as the JSON text sent ([`Backup::schema`]); its
///   content is the index's field configuration, which this crate forwards and never reads;
/// - `created_at`: each version by its own schema. 2026-07 types it as a date-time: RFC 3339
///   with an offset, anything else refused, naming the field. 2025-04 to 2026-04 type it as a
///   plain string: RFC 3339 is read as a time ([`Backup::created_at`]); other text is kept as
///   sent ([`Backup::created_at_text`]) and the backup has no known creation time, so it is
///   never the newest in a pick and never old enough for a prune to delete;
/// - `source_index_deleted_at` (2026-07): RFC 3339, the time the source index was deleted;
/// - `scheduled_execution_at`, in a schedule's history only (2026-07): RFC 3339, when a
///   `Scheduled` backup is planned to run. A history item also requires `name` and
///   `created_at`.
///
/// A key the version does not define (`dimension` under 2026-07, `schema` under 2025-04) is
/// ignored, as every unknown key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    backup_id: String,
    source_index_name: String,
    source_index_id: String,
    status: BackupStatus,
    cloud: String,
    region: String,
    name: Option<String>,
    description: Option<String>,
    dimension: Option<u32>,
    metric: Option<String>,
    schema: Option<String>,
    record_count: Option<i64>,
    namespace_count: Option<i64>,
    size_bytes: Option<i64>,
    tags: Option<Vec<(String, String)>>,
    created_at: Option<OffsetDateTime>,
    /// `created_at` as sent when it is not a timestamp (only where the version types it as text).
    created_at_text: Option<String>,
    source_index_deleted_at: Option<OffsetDateTime>,
    scheduled_execution_at: Option<OffsetDateTime>,
}

impl Backup {
    /// A backup from its required parts; the optional ones start as `None`.
    ///
    /// ```
    /// use pinecone_restore_core::{Backup, BackupStatus};
    ///
    /// let backup = Backup::new("bk-1", "my-index", "idx-1", BackupStatus::Ready, "aws", "us-east-1")
    ///     .with_name(Some("nightly".into()));
    /// assert_eq!(backup.backup_id(), "bk-1");
    /// assert_eq!(backup.name(), Some("nightly"));
    /// assert_eq!(backup.created_at(), None);
    /// ```
    pub fn new(
        backup_id: &str,
        source_index_name: &str,
        source_index_id: &str,
        status: BackupStatus,
        cloud: &str,
        region: &str,
    ) -> Backup {
        Backup {
            backup_id: backup_id.to_owned(),
            source_index_name: source_index_name.to_owned(),
            source_index_id: source_index_id.to_owned(),
            status,
            cloud: cloud.to_owned(),
            region: region.to_owned(),
            name: None,
            description: None,
            dimension: None,
            metric: None,
            schema: None,
            record_count: None,
            namespace_count: None,
            size_bytes: None,
            tags: None,
            created_at: None,
            created_at_text: None,
            source_index_deleted_at: None,
            scheduled_execution_at: None,
        }
    }

    /// Sets the user-given name.
    pub fn with_name(mut self, name: Option<String>) -> Backup {
        self.name = name;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: Option<String>) -> Backup {
        self.description = description;
        self
    }

    /// Sets the dimension and the metric.
    pub fn with_dimension_and_metric(
        mut self,
        dimension: Option<u32>,
        metric: Option<String>,
    ) -> Backup {
        self.dimension = dimension;
        self.metric = metric;
        self
    }

    /// Sets the schema, as JSON text of an object.
    pub fn with_schema(mut self, schema: Option<String>) -> Backup {
        self.schema = schema;
        self
    }

    /// Sets the record count, the namespace count and the size in bytes.
    pub fn with_counts(
        mut self,
        record_count: Option<i64>,
        namespace_count: Option<i64>,
        size_bytes: Option<i64>,
    ) -> Backup {
        self.record_count = record_count;
        self.namespace_count = namespace_count;
        self.size_bytes = size_bytes;
        self
    }

    /// Sets the tags, in order.
    pub fn with_tags(mut self, tags: Option<Vec<(String, String)>>) -> Backup {
        self.tags = tags;
        self
    }

    /// Sets when the backup was taken.
    pub fn with_created_at(mut self, at: Option<OffsetDateTime>) -> Backup {
        self.created_at = at;
        self
    }

    /// Sets the `created_at` text that is not a timestamp (see [`Backup::created_at_text`]).
    pub fn with_created_at_text(mut self, text: Option<String>) -> Backup {
        self.created_at_text = text;
        self
    }

    /// Sets when a `Scheduled` backup is planned to run (a schedule's history).
    pub fn with_scheduled_execution_at(mut self, at: Option<OffsetDateTime>) -> Backup {
        self.scheduled_execution_at = at;
        self
    }

    /// Sets when the source index was deleted.
    pub fn with_source_index_deleted_at(mut self, at: Option<OffsetDateTime>) -> Backup {
        self.source_index_deleted_at = at;
        self
    }

    /// The backup's id: what a restore starts from.
    pub fn backup_id(&self) -> &str {
        &self.backup_id
    }

    /// The index the backup was taken from.
    pub fn source_index_name(&self) -> &str {
        &self.source_index_name
    }

    /// The id of that index.
    pub fn source_index_id(&self) -> &str {
        &self.source_index_id
    }

    /// The status.
    pub fn status(&self) -> &BackupStatus {
        &self.status
    }

    /// The cloud the backup is stored in (`aws`, `gcp`, `azure`).
    pub fn cloud(&self) -> &str {
        &self.cloud
    }

    /// The region the backup is stored in.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The user-given name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The dimension of the vectors (up to 2026-04).
    pub fn dimension(&self) -> Option<u32> {
        self.dimension
    }

    /// The distance metric, as sent (up to 2026-04).
    pub fn metric(&self) -> Option<&str> {
        self.metric.as_deref()
    }

    /// The source index's schema (from 2025-10): the JSON text of the object as the server
    /// sent it.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// How many records the backup holds, as sent.
    pub fn record_count(&self) -> Option<i64> {
        self.record_count
    }

    /// How many namespaces the backup holds, as sent.
    pub fn namespace_count(&self) -> Option<i64> {
        self.namespace_count
    }

    /// The backup's size in bytes, as sent.
    pub fn size_bytes(&self) -> Option<i64> {
        self.size_bytes
    }

    /// The tags, in the order sent; `None` when the backup has no `tags` key.
    pub fn tags(&self) -> Option<&[(String, String)]> {
        self.tags.as_deref()
    }

    /// When the backup was taken; `None` when the server did not say, or said it in text that
    /// is not an RFC 3339 timestamp ([`Backup::created_at_text`]).
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        self.created_at
    }

    /// The `created_at` the server sent when it is not an RFC 3339 timestamp, as sent (show it
    /// through [`crate::text`]). Only versions that type `created_at` as a plain string
    /// (2025-04 to 2026-04) take such text; 2026-07 refuses it.
    pub fn created_at_text(&self) -> Option<&str> {
        self.created_at_text.as_deref()
    }

    /// When a `Scheduled` backup of a schedule's history is planned to run; `None` for any
    /// other backup.
    pub fn scheduled_execution_at(&self) -> Option<OffsetDateTime> {
        self.scheduled_execution_at
    }

    /// When the source index was deleted (2026-07); `None` while it exists.
    pub fn source_index_deleted_at(&self) -> Option<OffsetDateTime> {
        self.source_index_deleted_at
    }
}

/// Serializes with the API's field names, in the order the spec lists them; timestamps in
/// RFC 3339, UTC; `schema` as the JSON it was. Absent fields are left out.
impl Serialize for Backup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("backup_id", &self.backup_id)?;
        map.serialize_entry("source_index_name", &self.source_index_name)?;
        map.serialize_entry("source_index_id", &self.source_index_id)?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        map.serialize_entry("status", self.status.as_str())?;
        map.serialize_entry("cloud", &self.cloud)?;
        map.serialize_entry("region", &self.region)?;
        if let Some(dimension) = self.dimension {
            map.serialize_entry("dimension", &dimension)?;
        }
        if let Some(metric) = &self.metric {
            map.serialize_entry("metric", metric)?;
        }
        if let Some(schema) = &self.schema {
            let raw = serde_json::value::RawValue::from_string(schema.clone())
                .map_err(S::Error::custom)?;
            map.serialize_entry("schema", &raw)?;
        }
        for (key, count) in [
            ("record_count", self.record_count),
            ("namespace_count", self.namespace_count),
            ("size_bytes", self.size_bytes),
        ] {
            if let Some(count) = count {
                map.serialize_entry(key, &count)?;
            }
        }
        if let Some(tags) = &self.tags {
            map.serialize_entry("tags", &Tags(tags))?;
        }
        for (key, at) in [
            ("created_at", self.created_at),
            ("source_index_deleted_at", self.source_index_deleted_at),
            ("scheduled_execution_at", self.scheduled_execution_at),
        ] {
            if let Some(at) = at {
                map.serialize_entry(key, &format_utc(at).map_err(S::Error::custom)?)?;
            } else if let (Some(text), "created_at") = (&self.created_at_text, key) {
                // the server's own text, where its version types `created_at` as a string
                map.serialize_entry(key, text)?;
            }
        }
        map.end()
    }
}

/// Tags as a JSON object, in order.
struct Tags<'a>(&'a [(String, String)]);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One page of a backup listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BackupPage {
    /// The backups on this page, in the order sent.
    pub backups: Vec<Backup>,
    /// The token of the next page; `None` on the last page (`pagination` null or missing,
    /// `next` missing, null or empty).
    pub next: Option<PaginationToken>,
}

/// The newest [`Ready`](BackupStatus::Ready) backup of `backups`: the one a restore "from the
/// latest" starts from. `None` when none is `Ready`.
///
/// Newest is the latest `created_at`. A `Ready` backup without `created_at` ranks below every
/// one with it (its age is unknown, so it is never picked over a dated one), and is picked
/// only when no `Ready` backup has a date. Ties (the same `created_at`, or no date on either)
/// go to the greater `backup_id`, so the pick does not depend on the order the server listed
/// them in. Backups of other indexes are not filtered out: pass one index's listing.
///
/// ```
/// use pinecone_restore_core::{Backup, BackupStatus, OffsetDateTime, newest_ready};
///
/// let at = |s: i64| Some(OffsetDateTime::from_unix_timestamp(s).unwrap());
/// let backup = |id: &str, status: BackupStatus, created: Option<OffsetDateTime>| {
///     Backup::new(id, "idx", "idx-id", status, "aws", "us-east-1").with_created_at(created)
/// };
/// let backups = [
///     backup("old", BackupStatus::Ready, at(100)),
///     backup("newest-but-failed", BackupStatus::Failed, at(300)),
///     backup("new", BackupStatus::Ready, at(200)),
///     backup("undated", BackupStatus::Ready, None),
/// ];
/// assert_eq!(newest_ready(&backups).map(Backup::backup_id), Some("new"));
/// assert_eq!(newest_ready(&backups[1..2]), None);
/// ```
pub fn newest_ready<'a>(backups: impl IntoIterator<Item = &'a Backup>) -> Option<&'a Backup> {
    newest(
        backups
            .into_iter()
            .filter(|b| b.status == BackupStatus::Ready),
    )
}

/// The newest of `backups`, whatever its status, by the order [`newest_ready`] picks by
/// (latest `created_at`, undated last, ties to the greater `backup_id`); `None` when empty.
/// For saying what an index has when none of it is `Ready`.
///
/// ```
/// use pinecone_restore_core::{Backup, BackupStatus, OffsetDateTime, newest};
///
/// let at = |s: i64| Some(OffsetDateTime::from_unix_timestamp(s).unwrap());
/// let backup = |id: &str, status: BackupStatus, created: Option<OffsetDateTime>| {
///     Backup::new(id, "idx", "idx-id", status, "aws", "us-east-1").with_created_at(created)
/// };
/// let backups = [
///     backup("old", BackupStatus::Ready, at(100)),
///     backup("newest-but-failed", BackupStatus::Failed, at(300)),
/// ];
/// assert_eq!(newest(&backups).map(Backup::backup_id), Some("newest-but-failed"));
/// ```
pub fn newest<'a>(backups: impl IntoIterator<Item = &'a Backup>) -> Option<&'a Backup> {
    backups
        .into_iter()
        // `None < Some(_)`: an undated backup loses to any dated one
        .max_by(|a, b| (a.created_at, &a.backup_id).cmp(&(b.created_at, &b.backup_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(id: &str, at: Option<i64>) -> Backup {
        Backup::new(id, "i", "ii", BackupStatus::Ready, "aws", "r").with_created_at(
            at.map(|s| {
                OffsetDateTime::from_unix_timestamp(s).unwrap_or(OffsetDateTime::UNIX_EPOCH)
            }),
        )
    }

    #[test]
    fn status_text_round_trips() {
        for s in [
            "Initializing",
            "Ready",
            "Failed",
            "InitializationFailed",
            "Scheduled",
            "Pending",
            "",
        ] {
            assert_eq!(BackupStatus::from_text(s).as_str(), s);
        }
        assert_eq!(
            BackupStatus::from_text("Deleting"),
            BackupStatus::Other("Deleting".into())
        );
    }

    #[test]
    fn the_pick_ignores_order_and_ranks_undated_last() {
        let a = ready("a", Some(5));
        let b = ready("b", Some(5));
        let c = ready("c", None);
        let d = ready("d", Some(4));
        for order in [[&a, &b, &c, &d], [&d, &c, &b, &a], [&c, &a, &d, &b]] {
            assert_eq!(newest_ready(order).map(Backup::backup_id), Some("b"));
        }
        assert_eq!(newest_ready([&c]).map(Backup::backup_id), Some("c"));
        assert_eq!(
            newest_ready([&ready("x", None), &c]).map(Backup::backup_id),
            Some("x")
        );
        assert_eq!(newest_ready(std::iter::empty()), None);
    }

    #[test]
    fn serializes_with_api_names() {
        let backup = ready("b", Some(0))
            .with_schema(Some(r#"{"fields":{"a":{"type":"string"}}}"#.into()))
            .with_tags(Some(vec![
                ("z".into(), "1".into()),
                ("a".into(), "2".into()),
            ]));
        assert_eq!(
            serde_json::to_string(&backup).unwrap_or_default(),
            r#"{"backup_id":"b","source_index_name":"i","source_index_id":"ii","status":"Ready","cloud":"aws","region":"r","schema":{"fields":{"a":{"type":"string"}}},"tags":{"z":"1","a":"2"},"created_at":"1970-01-01T00:00:00Z"}"#
        );
    }
}
