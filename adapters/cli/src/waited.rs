//! What the command waits on, restore jobs and backups: core's [`Followed`], with what the
//! command's lines call each end.

use pinecone_restore_core::{
    Backup, BackupId, Error, Followed, JobId, ProjectBackups, RestoreJob, RestoreJobs, WaitEnd,
    WaitOptions, WaitOutcome,
};
use pinecone_restore_ureq::{Api, Client};

use crate::output::{Fields, Render};

/// A kind of thing `wait` and `backups wait` follow, and the words their lines use for it.
pub(crate) trait Waited: Followed<Item: Render + Fields + Clone> {
    /// What a tally calls one that settled well: `completed`, `Ready`.
    const DONE: &'static str;
    /// What a tally calls one that ended otherwise: `ended Failed or Cancelled`, `failed`.
    const ENDED: &'static str;
    /// The command that follows some: `wait`, `backups wait`.
    const COMMAND: &'static str;

    /// The client's wait on one; `on_snapshot` sees each snapshot.
    fn wait(
        client: &Client,
        id: &Self::Id,
        options: &WaitOptions,
        on_snapshot: impl FnMut(&Self::Item),
    ) -> Result<WaitOutcome<Self::Item>, Error>;

    /// The client's wait on several at once; `on_snapshot` sees each snapshot and the index
    /// of its id.
    fn wait_all(
        client: &Client,
        ids: &[Self::Id],
        options: &WaitOptions,
        on_snapshot: impl FnMut(usize, &Self::Item),
    ) -> Vec<WaitEnd<Self::Item>>;
}

impl Waited for RestoreJobs {
    const DONE: &'static str = "completed";
    const ENDED: &'static str = "ended Failed or Cancelled";
    const COMMAND: &'static str = "wait";

    fn wait(
        client: &Client,
        id: &JobId,
        options: &WaitOptions,
        on_snapshot: impl FnMut(&RestoreJob),
    ) -> Result<WaitOutcome, Error> {
        client.wait(id, options, on_snapshot)
    }

    fn wait_all(
        client: &Client,
        ids: &[JobId],
        options: &WaitOptions,
        on_snapshot: impl FnMut(usize, &RestoreJob),
    ) -> Vec<WaitEnd> {
        client.wait_all(ids, options, on_snapshot)
    }
}

impl Waited for ProjectBackups {
    const DONE: &'static str = "Ready";
    const ENDED: &'static str = "failed";
    const COMMAND: &'static str = "backups wait";

    fn wait(
        client: &Client,
        id: &BackupId,
        options: &WaitOptions,
        on_snapshot: impl FnMut(&Backup),
    ) -> Result<WaitOutcome<Backup>, Error> {
        client.wait_backup(id, options, on_snapshot)
    }

    fn wait_all(
        client: &Client,
        ids: &[BackupId],
        options: &WaitOptions,
        on_snapshot: impl FnMut(usize, &Backup),
    ) -> Vec<WaitEnd<Backup>> {
        client.wait_backups(ids, options, on_snapshot)
    }
}
