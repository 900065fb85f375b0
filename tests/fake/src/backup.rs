//! The backups a fake control plane knows: listed, described, and restored from.

use serde_json::{Map, Value, json};

use crate::generate;
use crate::version::BackupShape;

/// One backup as the fake serves it: `GET /backups`, `GET /indexes/{index_name}/backups` and
/// `GET /backups/{backup_id}` show it, `POST /backups/{backup_id}/create-index` restores from
/// it and `DELETE /backups/{backup_id}` deletes it. `POST /indexes/{index_name}/backups` and a
/// schedule's runs make more (see [`FakeControlPlane::backup_polls`],
/// [`FakeControlPlane::backup_ready_after`] and [`FakeSchedule`]); one being taken as the
/// server starts is added with [`FakeControlPlane::backup_initializing_for`].
///
/// The fields mirror the API's `BackupModel`. Only a backup whose `status` is `Ready` can be
/// restored; any other status gets 412 `FAILED_PRECONDITION`. The real API reports
/// `Initializing`, `Ready` and `Failed` (`InitializationFailed` in 2026-07, whose schedule
/// history also has `Scheduled`); the fake sends whatever `status` holds (only a backup taken
/// through the API has its failure named per version).
///
/// [`FakeControlPlane::backup_polls`]: crate::FakeControlPlane::backup_polls
/// [`FakeControlPlane::backup_ready_after`]: crate::FakeControlPlane::backup_ready_after
/// [`FakeControlPlane::backup_initializing_for`]: crate::FakeControlPlane::backup_initializing_for
/// [`FakeSchedule`]: crate::FakeSchedule
///
/// How each version renders it:
/// - 2025-04, 2025-10 and 2026-04: `dimension` and `metric` at the top level; no `schema` (it
///   is optional there) and no `source_index_deleted_at`;
/// - 2026-07: no `dimension` or `metric`; a `schema` object
///   `{"fields":{"embedding":{"type":"dense_vector","dimension":D,"metric":M}}}` in their
///   place, and `source_index_deleted_at` when the source index was deleted.
///
/// `name`, `description` and `created_at` are left out when `None`; `tags` is always an
/// object.
///
/// ```
/// use pinecone_restore_fake::FakeBackup;
///
/// let backup = FakeBackup::ready("bkp-1")
///     .of_index("products")
///     .created("2025-06-01T02:00:00.000Z");
/// assert_eq!((backup.backup_id.as_str(), backup.status.as_str()), ("bkp-1", "Ready"));
/// assert_eq!(backup.source_index_name, "products");
/// let failed = FakeBackup {
///     status: "Failed".to_owned(),
///     ..FakeBackup::ready("bkp-2")
/// };
/// assert_eq!(failed.status, "Failed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeBackup {
    /// `backup_id`: the id used in `GET /backups/{backup_id}` and
    /// `POST /backups/{backup_id}/create-index`.
    pub backup_id: String,
    /// `status`: a free string; `Ready` can be restored, anything else cannot.
    pub status: String,
    /// `source_index_name`: the index the backup was taken from; the per-index listing
    /// matches on it.
    pub source_index_name: String,
    /// `source_index_id`: the id of that index.
    pub source_index_id: String,
    /// `name`: the user's name for the backup, or `None` to leave the key out.
    pub name: Option<String>,
    /// `description`, or `None` to leave the key out.
    pub description: Option<String>,
    /// `cloud`: `aws`, `gcp` or `azure`.
    pub cloud: String,
    /// `region`, e.g. `us-east-1`.
    pub region: String,
    /// `dimension` (until 2026-04; in 2026-07 inside `schema`).
    pub dimension: u32,
    /// `metric`: `cosine`, `euclidean` or `dotproduct` (until 2026-04; in 2026-07 inside
    /// `schema`).
    pub metric: String,
    /// `record_count`.
    pub record_count: u64,
    /// `namespace_count`.
    pub namespace_count: u64,
    /// `size_bytes`.
    pub size_bytes: u64,
    /// `tags`, in this order.
    pub tags: Vec<(String, String)>,
    /// `created_at`: RFC 3339 text, or `None` to leave the key out.
    pub created_at: Option<String>,
    /// When the source index was deleted (RFC 3339 text), or `None` while it exists. A backup
    /// of a deleted index is listed project-wide and described as usual, but the per-index
    /// listing shows it only with `include_deleted=true` (2026-07); 2026-07 also renders
    /// `source_index_deleted_at`.
    pub source_index_deleted_at: Option<String>,
}

impl FakeBackup {
    /// A backup that can be restored: `status` is `Ready`.
    ///
    /// Everything else is realistic and derived from `id` (the same id always gives the same
    /// backup): the source index's name and id, a name, `aws`/`us-east-1`, dimension 1536 with
    /// `cosine`, record and namespace counts, a size, one tag and a `created_at`.
    pub fn ready(id: &str) -> FakeBackup {
        let seed = generate::hash_str(id);
        let records = 1_000 + (seed >> 8) % 500_000;
        let dimension = 1536;
        FakeBackup {
            backup_id: id.to_owned(),
            status: "Ready".to_owned(),
            source_index_name: generate::index_name(seed),
            source_index_id: generate::uuid(seed ^ 0x1d),
            name: Some(format!("backup-{:04x}", (seed >> 20) & 0xffff)),
            description: None,
            cloud: "aws".to_owned(),
            region: "us-east-1".to_owned(),
            dimension,
            metric: "cosine".to_owned(),
            record_count: records,
            namespace_count: 1 + (seed >> 40) % 8,
            size_bytes: records * u64::from(dimension) * 4 + (seed >> 44) % 4096,
            tags: vec![("environment".to_owned(), "production".to_owned())],
            created_at: Some(generate::timestamp(
                generate::recent_instant(seed),
                seed,
                false,
            )),
            source_index_deleted_at: None,
        }
    }

    /// A backup still being taken: `status` is `Initializing`, so restoring it gets 412.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeBackup;
    ///
    /// assert_eq!(FakeBackup::not_ready("bkp-3").status, "Initializing");
    /// ```
    pub fn not_ready(id: &str) -> FakeBackup {
        FakeBackup::ready(id).with_status("Initializing")
    }

    /// A backup that failed: `status` is `Failed`, so restoring it gets 412.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeBackup;
    ///
    /// assert_eq!(FakeBackup::failed("bkp-4").status, "Failed");
    /// ```
    pub fn failed(id: &str) -> FakeBackup {
        FakeBackup::ready(id).with_status("Failed")
    }

    /// The same backup with this `status`.
    pub fn with_status(mut self, status: &str) -> FakeBackup {
        self.status = status.to_owned();
        self
    }

    /// The same backup, taken from the index `name`; `source_index_id` is derived from the
    /// name, so backups of one index share it.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeBackup;
    ///
    /// let a = FakeBackup::ready("a").of_index("docs");
    /// let b = FakeBackup::failed("b").of_index("docs");
    /// assert_eq!(a.source_index_id, b.source_index_id);
    /// ```
    pub fn of_index(mut self, name: &str) -> FakeBackup {
        self.source_index_name = name.to_owned();
        self.source_index_id = generate::uuid(generate::hash_str(name) ^ 0x1d);
        self
    }

    /// The same backup with `created_at` set to this text (sent as is, so a test can also send
    /// a malformed timestamp).
    pub fn created(mut self, created_at: &str) -> FakeBackup {
        self.created_at = Some(created_at.to_owned());
        self
    }

    /// The same backup, its source index deleted at `deleted_at` (RFC 3339 text): see
    /// [`source_index_deleted_at`](Self::source_index_deleted_at).
    ///
    /// ```
    /// use pinecone_restore_fake::FakeBackup;
    ///
    /// let backup = FakeBackup::ready("old").source_deleted("2025-06-15T09:12:44.000Z");
    /// assert!(backup.source_index_deleted_at.is_some());
    /// ```
    pub fn source_deleted(mut self, deleted_at: &str) -> FakeBackup {
        self.source_index_deleted_at = Some(deleted_at.to_owned());
        self
    }

    /// Whether a restore may start from it.
    pub(crate) fn is_ready(&self) -> bool {
        self.status == "Ready"
    }

    /// The backup as JSON in `shape`.
    pub(crate) fn render(&self, shape: BackupShape) -> String {
        self.render_with_status(shape, &self.status)
    }

    /// The backup as an item of a schedule's history (`BackupScheduleHistoryItem`, 2026-07):
    /// with this `status` and `created_at`, and `scheduled_execution_at` for a run still to
    /// come. The counts and size are `null` until the backup is `Ready`; `tags` is `null` when
    /// there are none, and `description` when there is none, as the API's model says.
    pub(crate) fn render_history_item(
        &self,
        status: &str,
        created_at: &str,
        scheduled_execution_at: Option<&str>,
    ) -> String {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("backup_id", self.backup_id.as_str().into());
        put("source_index_id", self.source_index_id.as_str().into());
        put("source_index_name", self.source_index_name.as_str().into());
        put("name", self.name.as_deref().unwrap_or_default().into());
        put(
            "description",
            self.description.as_deref().map_or(Value::Null, Value::from),
        );
        put("status", status.into());
        put("cloud", self.cloud.as_str().into());
        put("region", self.region.as_str().into());
        put("schema", self.schema());
        let ready = status == "Ready";
        let count = |n: u64| if ready { Value::from(n) } else { Value::Null };
        put("record_count", count(self.record_count));
        put("namespace_count", count(self.namespace_count));
        put("size_bytes", count(self.size_bytes));
        let tags: Map<String, Value> = self
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        put(
            "tags",
            if tags.is_empty() {
                Value::Null
            } else {
                Value::Object(tags)
            },
        );
        put("created_at", created_at.into());
        if let Some(at) = scheduled_execution_at {
            put("scheduled_execution_at", at.into());
        }
        Value::Object(map).to_string()
    }

    /// The 2026-07 `schema` object that holds `dimension` and `metric`.
    fn schema(&self) -> Value {
        json!({ "fields": { "embedding": {
            "type": "dense_vector",
            "dimension": self.dimension,
            "metric": self.metric,
        } } })
    }

    /// The backup as JSON in `shape`, its `status` read as `status`.
    pub(crate) fn render_with_status(&self, shape: BackupShape, status: &str) -> String {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("backup_id", self.backup_id.as_str().into());
        put("source_index_name", self.source_index_name.as_str().into());
        put("source_index_id", self.source_index_id.as_str().into());
        if let Some(name) = &self.name {
            put("name", name.as_str().into());
        }
        if let Some(description) = &self.description {
            put("description", description.as_str().into());
        }
        put("status", status.into());
        put("cloud", self.cloud.as_str().into());
        put("region", self.region.as_str().into());
        match shape {
            BackupShape::V2025_04 => {
                put("dimension", self.dimension.into());
                put("metric", self.metric.as_str().into());
            }
            BackupShape::V2026_07 => {
                put("schema", self.schema());
                if let Some(at) = &self.source_index_deleted_at {
                    put("source_index_deleted_at", at.as_str().into());
                }
            }
        }
        put("record_count", self.record_count.into());
        put("namespace_count", self.namespace_count.into());
        put("size_bytes", self.size_bytes.into());
        let tags: Map<String, Value> = self
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        put("tags", Value::Object(tags));
        if let Some(at) = &self.created_at {
            put("created_at", at.as_str().into());
        }
        Value::Object(map).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(backup: &FakeBackup, shape: BackupShape) -> Value {
        serde_json::from_str(&backup.render(shape)).unwrap()
    }

    #[test]
    fn each_shape_has_the_required_fields_and_its_own_extras() {
        let backup = FakeBackup::ready("b").source_deleted("2025-06-15T09:12:44.000Z");
        for shape in [BackupShape::V2025_04, BackupShape::V2026_07] {
            let v = parsed(&backup, shape);
            for key in [
                "backup_id",
                "source_index_name",
                "source_index_id",
                "status",
                "cloud",
                "region",
            ] {
                assert!(v[key].is_string(), "{key} in {v}");
            }
            assert!(v["tags"].is_object() && v["created_at"].is_string(), "{v}");
        }
        let old = parsed(&backup, BackupShape::V2025_04);
        assert_eq!(
            (old["dimension"].as_u64(), old["metric"].as_str()),
            (Some(1536), Some("cosine"))
        );
        assert!(old.get("schema").is_none() && old.get("source_index_deleted_at").is_none());
        let new = parsed(&backup, BackupShape::V2026_07);
        assert!(
            new.get("dimension").is_none() && new.get("metric").is_none(),
            "{new}"
        );
        assert_eq!(new["schema"]["fields"]["embedding"]["dimension"], 1536);
        assert_eq!(new["source_index_deleted_at"], "2025-06-15T09:12:44.000Z");
        let live = parsed(&FakeBackup::ready("b"), BackupShape::V2026_07);
        assert!(live.get("source_index_deleted_at").is_none());
    }

    #[test]
    fn optional_fields_are_left_out_when_none() {
        let backup = FakeBackup {
            name: None,
            created_at: None,
            ..FakeBackup::ready("b")
        };
        let v = parsed(&backup, BackupShape::V2025_04);
        assert!(
            v.get("name").is_none()
                && v.get("created_at").is_none()
                && v.get("description").is_none()
        );
    }
}
