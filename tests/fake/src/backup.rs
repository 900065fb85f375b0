//! The backups a fake control plane knows, to restore from.

use crate::generate;

/// A backup the fake knows: `POST /backups/{backup_id}/create-index` restores from it.
///
/// Only a backup whose `status` is `Ready` can be restored; any other status gets 412
/// `FAILED_PRECONDITION`.
///
/// ```
/// use pinecone_restore_fake::FakeBackup;
///
/// let backup = FakeBackup::ready("bkp-1");
/// assert_eq!((backup.backup_id.as_str(), backup.status.as_str()), ("bkp-1", "Ready"));
/// let failed = FakeBackup {
///     status: "Failed".to_owned(),
///     ..FakeBackup::ready("bkp-2")
/// };
/// assert_eq!(failed.status, "Failed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeBackup {
    /// `backup_id`: the id used in `POST /backups/{backup_id}/create-index`.
    pub backup_id: String,
    /// `status`: a free string; `Ready` can be restored, anything else cannot.
    pub status: String,
    /// `source_index_name`: the index the backup was taken from.
    pub source_index_name: String,
}

impl FakeBackup {
    /// A backup that can be restored: `status` is `Ready`.
    ///
    /// `source_index_name` is a realistic name derived from `id` (the same id always gives the
    /// same name).
    pub fn ready(id: &str) -> FakeBackup {
        FakeBackup {
            backup_id: id.to_owned(),
            status: "Ready".to_owned(),
            source_index_name: generate::index_name(generate::hash_str(id)),
        }
    }

    /// A backup still being taken: `status` is `Pending`, so restoring it gets 412.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeBackup;
    ///
    /// assert_eq!(FakeBackup::not_ready("bkp-3").status, "Pending");
    /// ```
    pub fn not_ready(id: &str) -> FakeBackup {
        FakeBackup {
            status: "Pending".to_owned(),
            ..FakeBackup::ready(id)
        }
    }

    /// Whether a restore may start from it.
    pub(crate) fn is_ready(&self) -> bool {
        self.status == "Ready"
    }
}
