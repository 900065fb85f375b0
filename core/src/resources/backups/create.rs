//! Taking and retiring backups: what a create sends and how a lost answer is found again, and
//! what a delete answers.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::engine::create::Creation;
use crate::engine::endpoint::Endpoint;
use crate::request::{BackupName, IndexName, Method};
use crate::resources::backups::model::Backup;
use crate::resources::backups::{IndexBackups, create};
use crate::text::{self, Secrets};

/// What `POST /indexes/{index_name}/backups` sends: the backup's name (always sent: it is how
/// a backup whose answer was lost is found again) and an optional description.
///
/// ```
/// use pinecone_restore_core::{BackupName, CreateBackup};
///
/// let request = CreateBackup::new(BackupName::new("before-migration")?)
///     .description("before the schema change");
/// assert_eq!(
///     request.to_json(),
///     br#"{"name":"before-migration","description":"before the schema change"}"#
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateBackup {
    name: String,
    description: Option<String>,
}

/// `name`, then `description` when there is one.
impl Serialize for CreateBackup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        map.end()
    }
}

impl CreateBackup {
    /// A backup named `name`, without a description.
    pub fn new(name: BackupName) -> CreateBackup {
        CreateBackup {
            name: name.as_str().to_owned(),
            description: None,
        }
    }

    /// Adds a description (any text; the API sets no rule).
    pub fn description(mut self, description: impl Into<String>) -> CreateBackup {
        self.description = Some(description.into());
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The body as sent: compact JSON.
    pub fn to_json(&self) -> Vec<u8> {
        // a struct of strings always serializes
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Taking a backup of an index, safe to retry.
///
/// Backup names are not unique: the API makes a second backup for a second request with the
/// same name. So an attempt that may have taken effect (a timeout, a reset, a 5xx) is looked
/// up among the index's backups *before* any retry ([`Creation::LOOK_BEFORE_RETRY`]): a backup
/// of this index with our name, created on the server's clock while our attempts were in
/// flight, is ours; one with our name from another time is not claimed and ends the create
/// (it is named, and nothing is sent again); no such backup means the attempt did nothing,
/// and the request is sent again. A run makes at most one backup, on the condition that a
/// created backup is listed at once (the API's listing is read after its write; the fake's
/// is).
#[derive(Debug, Clone)]
pub struct BackupOf {
    index: IndexName,
    request: CreateBackup,
}

impl BackupOf {
    /// A backup of `index` as `request` describes.
    pub fn new(index: &IndexName, request: &CreateBackup) -> BackupOf {
        BackupOf {
            index: index.clone(),
            request: request.clone(),
        }
    }
}

impl Creation for BackupOf {
    type Output = Backup;
    type Lookup = IndexBackups;
    const LOOK_BEFORE_RETRY: bool = true;

    fn endpoint(&self) -> Endpoint<Backup> {
        create(&self.index, &self.request)
    }

    fn lookup(&self) -> IndexBackups {
        IndexBackups::new(self.index.clone()).requiring_data()
    }

    fn candidate(&self, backup: &Backup) -> Option<Option<OffsetDateTime>> {
        (backup.name() == Some(self.request.name())
            && backup.source_index_name() == self.index.as_str())
        .then(|| backup.created_at())
    }

    fn claimed(&self, backup: Backup) -> Backup {
        backup
    }

    fn describe(&self, backup: &Backup, secrets: &Secrets) -> String {
        let shown = |t: &str| text::shown(t, text::CELL_CHARS, secrets);
        format!(
            "backup `{}` named `{}` of index `{}` ({})",
            shown(backup.backup_id()),
            shown(self.request.name()),
            self.index,
            shown(backup.status().as_str())
        )
    }
}

/// What a delete came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deletion {
    /// The API accepted it (`202`).
    Deleted,
    /// An attempt whose answer was lost was followed by a `404`: it is gone, most likely by
    /// that attempt.
    AlreadyGone,
}

impl Deletion {
    /// A `DELETE` called `name` of `path`, taking the statuses of `success`: what it came to,
    /// a `404` after an attempt whose answer was lost read as [`Deletion::AlreadyGone`] (to
    /// the first attempt, a `404` stays the API's error).
    pub(crate) fn endpoint(
        name: &'static str,
        path: String,
        success: &'static [u16],
    ) -> Endpoint<Deletion> {
        Endpoint::new(name, Method::Delete, path, success, |_, status, _| {
            Ok(if status == 404 {
                Deletion::AlreadyGone
            } else {
                Deletion::Deleted
            })
        })
        .gone_after_ambiguous()
    }
}

impl fmt::Display for Deletion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Deletion::Deleted => "deleted",
            Deletion::AlreadyGone => "already gone (an earlier attempt's answer was lost)",
        })
    }
}
