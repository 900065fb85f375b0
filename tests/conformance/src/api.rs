//! The scenarios' way to every endpoint: each helper makes core's operation from the
//! client's configuration and runs it with the adapter's generic driver ([`Adapter::run`]),
//! or walks with its walk type ([`Adapter::walk`]). A new endpoint is one more helper here,
//! written once for every adapter.

use std::time::Instant;

use pinecone_restore_core::event::Event;
use pinecone_restore_core::{
    Backup, BackupId, BackupPage, BackupSchedule, CreateBackup, CreateIndexFromBackup,
    CreateSchedule, Deletion, Endpoint, Error, HistoryPage, IndexBackups, IndexName,
    IndexSchedules, JobId, Limit, ListPage, Now, Operation, PaginationToken, ProjectBackups,
    PrunePlan, PruneReport, Response, RestoreJob, RestoreJobs, Retention, ScheduleHistory,
    ScheduleId, SchedulePage, StartedRestore, Step, TransportError, UpdateSchedule, WaitEnd,
    WaitOptions, WaitOutcome, backups, restore_jobs,
};

use crate::{Adapter, Walked};

/// Which backups a walk goes over.
#[derive(Debug, Clone)]
pub enum BackupListing {
    /// `GET /backups`.
    Project,
    /// `GET /indexes/{index_name}/backups`.
    Index(IndexBackups),
}

/// Runs `endpoint`.
///
/// # Errors
///
/// The call's.
pub fn call<A: Adapter, T: Send>(client: &A::Client, endpoint: Endpoint<T>) -> Result<T, Error> {
    A::run(client, &mut A::config(client).call(endpoint)).0
}

/// One page of restore jobs.
///
/// # Errors
///
/// The call's.
pub fn list_page<A: Adapter>(
    client: &A::Client,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Result<ListPage, Error> {
    call::<A, _>(client, restore_jobs::list(limit, token))
}

/// A whole walk over restore jobs from `token`, collected.
pub fn list_all<A: Adapter>(
    client: &A::Client,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Walked<RestoreJob> {
    A::walk(client, RestoreJobs, limit, token, None)
}

/// The first `n` jobs of a walk; the walk is then dropped.
pub fn list_first<A: Adapter>(
    client: &A::Client,
    limit: Option<Limit>,
    n: usize,
) -> Vec<RestoreJob> {
    A::walk(client, RestoreJobs, limit, None, Some(n)).items
}

/// One restore job.
///
/// # Errors
///
/// The call's.
pub fn describe<A: Adapter>(client: &A::Client, id: &JobId) -> Result<RestoreJob, Error> {
    call::<A, _>(client, restore_jobs::describe(id))
}

/// A wait, with the snapshots it saw.
pub fn wait<A: Adapter>(
    client: &A::Client,
    id: &JobId,
    options: &WaitOptions,
) -> (Result<WaitOutcome, Error>, Vec<RestoreJob>) {
    A::run(client, &mut A::config(client).wait(id, options))
}

/// A wait on several jobs at once, with the snapshots it saw tagged with the job's index.
pub fn wait_all<A: Adapter>(
    client: &A::Client,
    ids: &[JobId],
    options: &WaitOptions,
) -> (Vec<WaitEnd>, Vec<(usize, RestoreJob)>) {
    let (ends, snapshots) = wait_all_stamped::<A>(client, ids, options);
    let snapshots = snapshots
        .into_iter()
        .map(|(index, job, _)| (index, job))
        .collect();
    (ends, snapshots)
}

/// [`wait_all`], each snapshot also stamped with the instant the adapter was handed it.
pub fn wait_all_stamped<A: Adapter>(
    client: &A::Client,
    ids: &[JobId],
    options: &WaitOptions,
) -> (Vec<WaitEnd>, Vec<(usize, RestoreJob, Instant)>) {
    let mut wait = Stamped(A::config(client).wait_all(ids, options));
    let (ended, snapshots) = A::run(client, &mut wait);
    let ends = ended.unwrap_or_else(|e| vec![Err(e); ids.len()]);
    let snapshots = snapshots
        .into_iter()
        .map(|(at, s)| (s.index, s.job, at))
        .collect();
    (ends, snapshots)
}

/// An operation whose items are stamped with the instant it hands each out, which is when the
/// adapter driving it gets it; everything else is the operation's own.
#[derive(Debug)]
pub struct Stamped<O>(pub O);

impl<O: Operation> Operation for Stamped<O> {
    type Output = O::Output;
    type Item = (Instant, O::Item);

    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn next_step(&mut self, now: Now) -> Step<Self::Output, Self::Item> {
        match self.0.next_step(now) {
            Step::Send(attempt) => Step::Send(attempt),
            Step::Sleep(delay) => Step::Sleep(delay),
            // read here, not `now`: the item leaves the operation at this instant
            Step::Yield(item) => Step::Yield((Instant::now(), item)),
            Step::Done(result) => Step::Done(result),
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        self.0.handle(outcome, now, random);
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.0.drain_events(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.0.record_events(on);
    }
}

/// One page of backups.
///
/// # Errors
///
/// The call's.
pub fn list_backups<A: Adapter>(
    client: &A::Client,
    listing: &BackupListing,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Result<BackupPage, Error> {
    match listing {
        BackupListing::Project => call::<A, _>(client, backups::list(limit, token)),
        BackupListing::Index(listing) => {
            call::<A, _>(client, backups::list_index(listing, limit, token))
        }
    }
}

/// A whole walk over backups, collected.
pub fn list_all_backups<A: Adapter>(
    client: &A::Client,
    listing: BackupListing,
    limit: Option<Limit>,
) -> Walked<Backup> {
    match listing {
        BackupListing::Project => A::walk(client, ProjectBackups, limit, None, None),
        BackupListing::Index(listing) => A::walk(client, listing, limit, None, None),
    }
}

/// One backup.
///
/// # Errors
///
/// The call's.
pub fn describe_backup<A: Adapter>(client: &A::Client, id: &BackupId) -> Result<Backup, Error> {
    call::<A, _>(client, backups::describe(id))
}

/// The newest `Ready` backup of an index.
///
/// # Errors
///
/// The walk's.
pub fn newest_ready_backup<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
) -> Result<Option<Backup>, Error> {
    A::run(client, &mut A::config(client).newest_ready_backup(index)).0
}

/// Starting a restore.
///
/// # Errors
///
/// The start's.
pub fn create_index_from_backup<A: Adapter>(
    client: &A::Client,
    backup: &BackupId,
    request: &CreateIndexFromBackup,
) -> Result<StartedRestore, Error> {
    A::run(
        client,
        &mut A::config(client).create_index_from_backup(backup, request),
    )
    .0
}

/// Taking a backup of `index`: the backup, and whether it was found by the lookup after a
/// lost answer.
///
/// # Errors
///
/// The create's.
pub fn create_backup<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
    request: &CreateBackup,
) -> Result<(Backup, bool), Error> {
    let mut create = A::config(client).create_backup(index, request);
    let (made, _) = A::run(client, &mut create);
    made.map(|backup| (backup, create.was_recovered()))
}

/// Deleting a backup.
///
/// # Errors
///
/// The call's.
pub fn delete_backup<A: Adapter>(client: &A::Client, id: &BackupId) -> Result<Deletion, Error> {
    A::run(client, &mut A::config(client).delete_backup(id)).0
}

/// A wait on one backup, with the snapshots it saw.
pub fn wait_backup<A: Adapter>(
    client: &A::Client,
    id: &BackupId,
    options: &WaitOptions,
) -> (Result<WaitOutcome<Backup>, Error>, Vec<Backup>) {
    A::run(client, &mut A::config(client).wait_backup(id, options))
}

/// A wait on several backups at once.
pub fn wait_backups<A: Adapter>(
    client: &A::Client,
    ids: &[BackupId],
    options: &WaitOptions,
) -> Vec<WaitEnd<Backup>> {
    let (ended, _) = A::run(client, &mut A::config(client).wait_backups(ids, options));
    ended.unwrap_or_else(|e| vec![Err(e); ids.len()])
}

/// The plan of a prune of `index` by `retention`.
///
/// # Errors
///
/// A listing's.
pub fn plan_prune<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
    retention: &Retention,
) -> Result<PrunePlan, Error> {
    A::run(client, &mut A::config(client).plan_prune(index, retention)).0
}

/// Carrying `plan` out, with each delete done as it was handed out.
///
/// # Errors
///
/// The operation's (a failed delete is in the report, not here).
pub fn prune<A: Adapter>(
    client: &A::Client,
    plan: &PrunePlan,
) -> (Result<PruneReport, Error>, Vec<(Backup, Deletion)>) {
    A::run(client, &mut A::config(client).prune(plan))
}

/// One page of an index's backup schedules.
///
/// # Errors
///
/// The call's.
pub fn list_schedules<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Result<SchedulePage, Error> {
    A::run(
        client,
        &mut A::config(client).list_schedules_page(index, limit, token),
    )
    .0
}

/// A whole walk over an index's backup schedules, collected.
pub fn list_all_schedules<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
    limit: Option<Limit>,
) -> Walked<BackupSchedule> {
    A::walk(
        client,
        IndexSchedules::new(index.clone()),
        limit,
        None,
        None,
    )
}

/// Creating a backup schedule of `index`, safe to retry: the schedule, and whether it was
/// found by the lookup after a lost answer.
///
/// # Errors
///
/// The create's.
pub fn create_schedule<A: Adapter>(
    client: &A::Client,
    index: &IndexName,
    request: &CreateSchedule,
) -> Result<(BackupSchedule, bool), Error> {
    let mut create = A::config(client).create_schedule(index, request);
    let (made, _) = A::run(client, &mut create);
    made.map(|schedule| (schedule, create.was_recovered()))
}

/// One backup schedule.
///
/// # Errors
///
/// The call's.
pub fn describe_schedule<A: Adapter>(
    client: &A::Client,
    id: &ScheduleId,
) -> Result<BackupSchedule, Error> {
    A::run(client, &mut A::config(client).describe_schedule(id)).0
}

/// Changing a backup schedule.
///
/// # Errors
///
/// The call's.
pub fn update_schedule<A: Adapter>(
    client: &A::Client,
    id: &ScheduleId,
    change: &UpdateSchedule,
) -> Result<BackupSchedule, Error> {
    A::run(client, &mut A::config(client).update_schedule(id, change)).0
}

/// Deleting a backup schedule.
///
/// # Errors
///
/// The call's.
pub fn delete_schedule<A: Adapter>(client: &A::Client, id: &ScheduleId) -> Result<Deletion, Error> {
    A::run(client, &mut A::config(client).delete_schedule(id)).0
}

/// One page of a backup schedule's history.
///
/// # Errors
///
/// The call's.
pub fn schedule_history<A: Adapter>(
    client: &A::Client,
    id: &ScheduleId,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Result<HistoryPage, Error> {
    A::run(
        client,
        &mut A::config(client).schedule_history_page(id, limit, token),
    )
    .0
}

/// A whole walk over a backup schedule's history, collected.
pub fn schedule_history_all<A: Adapter>(
    client: &A::Client,
    id: &ScheduleId,
    limit: Option<Limit>,
) -> Walked<Backup> {
    A::walk(client, ScheduleHistory::new(id.clone()), limit, None, None)
}
