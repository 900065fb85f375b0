//! Retiring backups by a retention rule, safely from cron: the plan is a pure function of
//! complete listings and the server's clock ([`plan_prune`]); [`PlanPrune`] gathers those
//! inputs (and gives no plan when any listing fails); [`Prune`] carries the plan out, one
//! delete at a time, stopping at the first failure.

use std::cmp::Reverse;
use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

use crate::config::Config;
use crate::engine::call::{Call, Now, Operation, Step, finished};
use crate::engine::walk::Collect;
use crate::error::Error;
use crate::event::{Event, Pending};
use crate::request::{BackupId, IndexName, Limit};
use crate::resources::backups::model::{Backup, BackupStatus};
use crate::resources::backups::{Deletion, IndexBackups, delete};
use crate::resources::restore_jobs::RestoreJobs;
use crate::resources::restore_jobs::model::RestoreJob;
use crate::response::Response;
use crate::transport::TransportError;

/// What a prune keeps. The rules are a union: a backup any of them keeps is kept.
///
/// - the newest `keep` `Ready` backups (by `created_at`, ties to the greater `backup_id`),
///   chosen among every `Ready` one whatever else keeps them;
/// - every backup still being taken (`Initializing`, `Scheduled`, or a status this crate does
///   not know: it might be one that must not go);
/// - every backup a restore job still running was started from;
/// - with `older_than`, every backup younger than that on the server's clock;
/// - every backup whose creation time is unknown (absent, or text that is not a time): its age
///   cannot be told, so it is never old enough.
///
/// Everything else is deleted: `Ready` backups beyond the newest `keep`, and failed ones
/// (`Failed`, `InitializationFailed`), which never count toward `keep`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retention {
    /// How many of the newest `Ready` backups are kept.
    pub keep: usize,
    /// Backups younger than this, on the server's clock, are kept.
    pub older_than: Option<Duration>,
}

impl Retention {
    /// Keeps the newest `keep` `Ready` backups (and what the other rules keep).
    pub fn newest(keep: usize) -> Retention {
        Retention {
            keep,
            older_than: None,
        }
    }

    /// Also keeps every backup younger than `age` on the server's clock.
    pub fn older_than(mut self, age: Duration) -> Retention {
        self.older_than = Some(age);
        self
    }
}

/// Why a backup is kept, or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// Kept: one of the newest `keep` `Ready` backups (its rank, from 1).
    Newest(usize),
    /// Kept: still being taken, or in a status this crate does not know.
    NotSettled,
    /// Kept: a restore job still running was started from it.
    InUse(String),
    /// Kept: younger than the age given, on the server's clock.
    Younger,
    /// Kept: its creation time is unknown, so its age cannot be told.
    Undated,
    /// Kept: an age was given, and the server's clock is unknown (no answer carried a usable
    /// `Date`), so no age can be told: nothing is deleted.
    NoServerClock,
    /// Deleted: `Ready`, and older than the newest `keep`.
    BeyondNewest,
    /// Deleted: taking it failed.
    Failed,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Newest(rank) => write!(f, "newest Ready #{rank}"),
            Reason::NotSettled => f.write_str("not taken yet"),
            Reason::InUse(job) => write!(f, "a running restore uses it (job `{job}`)"),
            Reason::Younger => f.write_str("younger than the age given"),
            Reason::Undated => f.write_str("its creation time is unknown"),
            Reason::NoServerClock => f.write_str("the server's clock is unknown"),
            Reason::BeyondNewest => f.write_str("older than the newest Ready kept"),
            Reason::Failed => f.write_str("taking it failed"),
        }
    }
}

/// What the plan says of one backup.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision {
    /// The backup.
    pub backup: Backup,
    /// `true` when it is kept.
    pub keep: bool,
    /// Why: every rule that keeps it, or the one that deletes it.
    pub reasons: Vec<Reason>,
}

/// What a prune would do with each backup of an index, decided from complete listings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrunePlan {
    /// One decision per backup, newest first (undated last).
    pub decisions: Vec<Decision>,
    /// The server's time the ages were told by: the latest `Date` its answers carried.
    pub server_now: Option<OffsetDateTime>,
    /// An age was asked for and no answer carried a usable `Date`: nothing is deleted.
    pub refused: bool,
}

impl PrunePlan {
    /// The backups the plan deletes, in its order.
    pub fn to_delete(&self) -> impl Iterator<Item = &Backup> {
        self.decisions.iter().filter(|d| !d.keep).map(|d| &d.backup)
    }
}

/// The plan for `backups` (one index's, every page of them), given the restore jobs
/// (`restores`: every page) and the server's time `server_now` (the latest `Date` of their
/// answers): see [`Retention`] for what is kept. Pure: it reads no clock and sends nothing.
///
/// Ages are told on the server's clock with `server_now` as *now*: the server made that answer
/// before it was read, so the true time is no earlier, and a backup is old enough only if it
/// is older than the age even by that earliest *now*. Without `server_now`, an age cannot be
/// told: when `retention` names one, the plan keeps everything ([`PrunePlan::refused`]).
///
/// ```
/// use std::time::Duration;
/// use pinecone_restore_core::{Backup, BackupStatus, OffsetDateTime, Retention, plan_prune};
///
/// let day = 86_400;
/// let at = |d: i64| Some(OffsetDateTime::from_unix_timestamp(d * day).unwrap());
/// let backup = |id: &str, status: BackupStatus, d: i64| {
///     Backup::new(id, "docs", "ix", status, "aws", "us-east-1").with_created_at(at(d))
/// };
/// let backups = [
///     backup("mon", BackupStatus::Ready, 1),
///     backup("tue", BackupStatus::Ready, 2),
///     backup("wed", BackupStatus::Failed, 3),
///     backup("thu", BackupStatus::Ready, 4),
///     backup("fri", BackupStatus::Initializing, 5),
/// ];
/// let plan = plan_prune(&backups, &[], &Retention::newest(2), at(6));
/// let gone: Vec<&str> = plan.to_delete().map(Backup::backup_id).collect();
/// assert_eq!(gone, ["wed", "mon"]);
/// // with an age, the young ones stay whatever their rank
/// let plan = plan_prune(&backups, &[], &Retention::newest(1).older_than(Duration::from_secs(4 * day as u64 + 1)), at(6));
/// let gone: Vec<&str> = plan.to_delete().map(Backup::backup_id).collect();
/// assert_eq!(gone, ["mon"]);
/// // an age with no server clock: nothing
/// let plan = plan_prune(&backups, &[], &Retention::newest(1).older_than(Duration::from_secs(day as u64)), None);
/// assert!(plan.refused && plan.to_delete().next().is_none());
/// ```
pub fn plan_prune(
    backups: &[Backup],
    restores: &[RestoreJob],
    retention: &Retention,
    server_now: Option<OffsetDateTime>,
) -> PrunePlan {
    let mut order: Vec<&Backup> = backups.iter().collect();
    // newest first; undated last; ties to the greater id
    order.sort_by_key(|b| Reverse((b.created_at(), b.backup_id())));
    let refused = retention.older_than.is_some() && server_now.is_none();
    let cutoff = match (retention.older_than, server_now) {
        (Some(age), Some(now)) => Some(
            now.checked_sub(time::Duration::try_from(age).unwrap_or(time::Duration::MAX))
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        ),
        _ => None,
    };
    let mut ready_rank = 0;
    let decisions = order
        .into_iter()
        .map(|backup| {
            let mut kept = Vec::new();
            let status = backup.status();
            if *status == BackupStatus::Ready && backup.created_at().is_some() {
                ready_rank += 1;
                if ready_rank <= retention.keep {
                    kept.push(Reason::Newest(ready_rank));
                }
            }
            if !status.is_settled() {
                kept.push(Reason::NotSettled);
            }
            for job in RestoreJob::running_from(restores, backup.backup_id()) {
                kept.push(Reason::InUse(job.restore_job_id().to_owned()));
            }
            match (backup.created_at(), cutoff) {
                (None, _) => kept.push(Reason::Undated),
                (Some(at), Some(cutoff)) if at >= cutoff => kept.push(Reason::Younger),
                _ => {}
            }
            if refused && kept.is_empty() {
                kept.push(Reason::NoServerClock);
            }
            let decision = |keep, reasons| Decision {
                backup: backup.clone(),
                keep,
                reasons,
            };
            if !kept.is_empty() {
                decision(true, kept)
            } else if status.is_failed() {
                decision(false, vec![Reason::Failed])
            } else {
                decision(false, vec![Reason::BeyondNewest])
            }
        })
        .collect();
    PrunePlan {
        decisions,
        server_now,
        refused,
    }
}

/// The restore rule every retirement of a backup goes through.
impl RestoreJob {
    /// The jobs of `jobs` still running (in no terminal status; one this crate does not know
    /// counts as running) that restore from the backup `backup_id`, in their order. Pure.
    ///
    /// Asked of a complete listing of the restore jobs, these are what keeps the backup in
    /// use: [`plan_prune`] keeps it for them, and a delete must not be sent while there are
    /// any where the server does not refuse it itself
    /// ([`ApiVersion::refuses_deleting_backups_in_use`](crate::ApiVersion::refuses_deleting_backups_in_use)).
    /// Asked of part of a listing, an empty answer says nothing.
    ///
    /// ```
    /// use pinecone_restore_core::{JobStatus, RestoreJob};
    ///
    /// let job = |id: &str, backup: &str, status| RestoreJob::new(id, backup, "n", "i", status, None);
    /// let jobs = [
    ///     job("rj-1", "bk-1", JobStatus::Pending),
    ///     job("rj-2", "bk-1", JobStatus::Completed),
    ///     job("rj-3", "bk-2", JobStatus::Running),
    ///     job("rj-4", "bk-1", JobStatus::Other("Queued".into())),
    /// ];
    /// let running: Vec<&str> = RestoreJob::running_from(&jobs, "bk-1")
    ///     .map(RestoreJob::restore_job_id)
    ///     .collect();
    /// assert_eq!(running, ["rj-1", "rj-4"]);
    /// assert_eq!(RestoreJob::running_from(&jobs, "bk-3").count(), 0);
    /// ```
    pub fn running_from<'a>(
        jobs: &'a [RestoreJob],
        backup_id: &'a str,
    ) -> impl Iterator<Item = &'a RestoreJob> + 'a {
        jobs.iter()
            .filter(move |job| job.backup_id() == backup_id && !job.status().is_terminal())
    }
}

/// Gathers what a prune plan is made from: every page of the index's backups, every page of
/// the restore jobs, and the server's time from their answers' `Date`; ends with
/// [`plan_prune`]'s plan. A listing that fails ends it with that error: no plan, so nothing is
/// deleted from a partial one.
///
/// Made by [`Config::plan_prune`]; driven through [`Operation`].
#[must_use = "an operation does nothing until an adapter drives it"]
#[derive(Debug)]
pub struct PlanPrune {
    retention: Retention,
    backups: Collect<IndexBackups>,
    restores: Collect<RestoreJobs>,
    /// The backups, once their walk is done.
    listed: Option<Vec<Backup>>,
    /// The latest `Date` seen.
    server_now: Option<OffsetDateTime>,
    done: bool,
}

impl PlanPrune {
    /// Gathering for `index`, by `retention`.
    pub(crate) fn new(config: &Config, index: &IndexName, retention: &Retention) -> PlanPrune {
        PlanPrune {
            retention: retention.clone(),
            backups: config.collect(IndexBackups::new(index.clone()), Some(Limit::MAX)),
            restores: config.collect(RestoreJobs, Some(Limit::MAX)),
            listed: None,
            server_now: None,
            done: false,
        }
    }
}

impl Operation for PlanPrune {
    type Output = PrunePlan;
    type Item = std::convert::Infallible;

    fn name(&self) -> &'static str {
        "plan_prune"
    }

    fn next_step(&mut self, now: Now) -> Step<PrunePlan, std::convert::Infallible> {
        if self.done {
            return Step::Done(Err(finished()));
        }
        if self.listed.is_none() {
            match self.backups.next_step(now) {
                Step::Done(Ok(backups)) => self.listed = Some(backups),
                Step::Done(Err(e)) => {
                    self.done = true;
                    return Step::Done(Err(e));
                }
                Step::Send(attempt) => return Step::Send(attempt),
                Step::Sleep(delay) => return Step::Sleep(delay),
                Step::Yield(never) => match never {},
            }
        }
        match self.restores.next_step(now) {
            Step::Done(restores) => {
                self.done = true;
                Step::Done(restores.map(|restores| {
                    let backups = self.listed.take().unwrap_or_default();
                    plan_prune(&backups, &restores, &self.retention, self.server_now)
                }))
            }
            Step::Send(attempt) => Step::Send(attempt),
            Step::Sleep(delay) => Step::Sleep(delay),
            Step::Yield(never) => match never {},
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        if let Ok(response) = &outcome
            && let Some(date) = response.date()
        {
            self.server_now = Some(self.server_now.map_or(date, |seen| seen.max(date)));
        }
        if self.listed.is_none() {
            self.backups.handle(outcome, now, random);
        } else {
            self.restores.handle(outcome, now, random);
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.backups.drain_events(sink);
        self.restores.drain_events(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.backups.record_events(on);
        self.restores.record_events(on);
    }
}

/// How a prune's deletes went: those done, the one that failed (the prune stops there), and
/// those not tried.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PruneReport {
    /// Deleted, in order, with what each delete came to.
    pub deleted: Vec<(Backup, Deletion)>,
    /// The delete that failed, and why.
    pub failed: Option<(Backup, Error)>,
    /// The backups the plan deletes that were not tried, after the failure.
    pub not_tried: Vec<Backup>,
}

/// Carries out a [`PrunePlan`]: deletes its backups one at a time, in its order, and stops at
/// the first delete that fails (the rest are not tried). A refused plan deletes nothing. Each
/// delete is a [`Call`] of [`delete`], retried as a removal: a `404` after an attempt whose
/// answer was lost is [`Deletion::AlreadyGone`].
///
/// Made by [`Config::prune`]; driven through [`Operation`], whose items are each delete done.
#[must_use = "an operation does nothing until an adapter drives it"]
#[derive(Debug)]
pub struct Prune {
    config: Config,
    queue: std::vec::IntoIter<Backup>,
    current: Option<(Backup, Call<Deletion>)>,
    report: PruneReport,
    events: Pending,
    done: bool,
}

impl Prune {
    pub(crate) fn new(config: &Config, plan: &PrunePlan) -> Prune {
        let queue: Vec<Backup> = if plan.refused {
            Vec::new()
        } else {
            plan.to_delete().cloned().collect()
        };
        Prune {
            config: config.clone(),
            queue: queue.into_iter(),
            current: None,
            report: PruneReport::default(),
            events: Pending::default(),
            done: false,
        }
    }
}

impl Operation for Prune {
    type Output = PruneReport;
    type Item = (Backup, Deletion);

    fn name(&self) -> &'static str {
        "prune"
    }

    fn next_step(&mut self, now: Now) -> Step<PruneReport, (Backup, Deletion)> {
        loop {
            if self.done {
                return Step::Done(Err(finished()));
            }
            let Some((backup, call)) = &mut self.current else {
                let Some(backup) = self.queue.next() else {
                    self.done = true;
                    return Step::Done(Ok(std::mem::take(&mut self.report)));
                };
                let id = match BackupId::new(backup.backup_id()) {
                    Ok(id) => id,
                    Err(error) => {
                        // an id that cannot name a path segment cannot be deleted: stop here
                        self.report.failed = Some((backup, error));
                        self.report.not_tried = self.queue.by_ref().collect();
                        continue;
                    }
                };
                let mut call = self.config.call(delete(&id));
                call.record_events(self.events.on());
                self.current = Some((backup, call));
                continue;
            };
            match call.next_step(now) {
                Step::Send(attempt) => return Step::Send(attempt),
                Step::Sleep(delay) => return Step::Sleep(delay),
                Step::Yield(never) => match never {},
                Step::Done(result) => {
                    let backup = backup.clone();
                    call.move_events(&mut self.events);
                    self.current = None;
                    match result {
                        Ok(deletion) => {
                            self.report.deleted.push((backup.clone(), deletion));
                            return Step::Yield((backup, deletion));
                        }
                        Err(e) => {
                            self.report.failed = Some((backup, e));
                            self.report.not_tried = self.queue.by_ref().collect();
                        }
                    }
                }
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        if let Some((_, call)) = &mut self.current {
            call.handle(outcome, now, random);
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        if let Some((_, call)) = &mut self.current {
            call.move_events(&mut self.events);
        }
        self.events.drain(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.events.set(on);
        if let Some((_, call)) = &mut self.current {
            call.record_events(on);
        }
    }
}

/// Pruning.
impl Config {
    /// Gathers what a prune of `index` by `retention` decides from, and decides
    /// ([`PlanPrune`]).
    pub fn plan_prune(&self, index: &IndexName, retention: &Retention) -> PlanPrune {
        PlanPrune::new(self, index, retention)
    }

    /// Carries out `plan` ([`Prune`]).
    pub fn prune(&self, plan: &PrunePlan) -> Prune {
        Prune::new(self, plan)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::resources::restore_jobs::model::JobStatus;

    fn job_status() -> impl Strategy<Value = JobStatus> {
        prop_oneof![
            Just(JobStatus::Pending),
            Just(JobStatus::Running),
            Just(JobStatus::Completed),
            Just(JobStatus::Failed),
            Just(JobStatus::Cancelled),
            Just(JobStatus::Other("Queued".into())),
        ]
    }

    /// Up to 8 restore jobs `rj0`…, each from one of `b0`…`b3`.
    fn restores() -> impl Strategy<Value = Vec<RestoreJob>> {
        proptest::collection::vec((0usize..4, job_status()), 0..8).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (backup, status))| {
                    let (id, backup) = (format!("rj{i}"), format!("b{backup}"));
                    RestoreJob::new(&id, &backup, "n", "i", status, None)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn running_from_is_every_unfinished_job_of_that_backup_in_order(
            jobs in restores(),
            backup in 0usize..5,
        ) {
            let backup = format!("b{backup}");
            let got: Vec<&str> = RestoreJob::running_from(&jobs, &backup)
                .map(RestoreJob::restore_job_id)
                .collect();
            let model: Vec<&str> = jobs
                .iter()
                .filter(|j| {
                    j.backup_id() == backup
                        && !matches!(
                            j.status(),
                            JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled
                        )
                })
                .map(RestoreJob::restore_job_id)
                .collect();
            prop_assert_eq!(&got, &model);
            // the prune keeps a backup for exactly these jobs
            let b = Backup::new(&backup, "docs", "ix", BackupStatus::Ready, "aws", "us-east-1");
            let plan = plan_prune(std::slice::from_ref(&b), &jobs, &Retention::newest(0), None);
            let in_use: Vec<String> = plan.decisions[0]
                .reasons
                .iter()
                .filter_map(|r| match r {
                    Reason::InUse(job) => Some(job.clone()),
                    _ => None,
                })
                .collect();
            prop_assert_eq!(in_use, model);
        }
    }
}
