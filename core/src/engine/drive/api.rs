//! Every method a client has, written once: [`Api`] for a blocking [`Transport`] and
//! [`AsyncApi`] for an async one, both generated from the one list below (as redis-rs
//! generates `Commands` and `AsyncCommands`).
//!
//! A method is one line of the list: its name, its arguments, the operation it runs (made by
//! [`Config`]) and, for a wait, the callback each snapshot goes to. A new endpoint adds its
//! line here and nothing in any adapter. Walks are the other section: a listing, a page size
//! and where to start.

use std::future::Future;

use crate::config::Config;
use crate::engine::call::Operation;
use crate::engine::create::Creation;
use crate::engine::endpoint::Endpoint;
use crate::engine::wait::WaitEnd;
use crate::engine::wait::{WaitOptions, WaitOutcome};
use crate::engine::walk::Listing;
use crate::error::Error;
use crate::request::{BackupId, IndexName, JobId, Limit, PaginationToken, ScheduleId};
use crate::resources::backups::model::{Backup, BackupPage};
use crate::resources::backups::{
    CreateBackup, Deletion, IndexBackups, ProjectBackups, PrunePlan, PruneReport, Retention,
};
use crate::resources::restore_jobs::RestoreJobs;
use crate::resources::restore_jobs::model::{ListPage, RestoreJob};
use crate::resources::restore_jobs::restore::{CreateIndexFromBackup, StartedRestore};
use crate::resources::schedules::{
    BackupSchedule, CreateSchedule, HistoryPage, IndexSchedules, ScheduleHistory, SchedulePage,
    UpdateSchedule,
};

use super::{AsyncItems, AsyncTransport, Hooks, Items, Transport, run, run_async};

/// The closure that takes an operation's items: the callback given, or none for an operation
/// that hands out nothing.
macro_rules! each {
    () => {
        |never| match never {}
    };
    (|$item:pat_param| $each:expr) => {
        |$item| $each
    };
}

/// What a method gives from its operation's result: as it is, or mapped.
macro_rules! then {
    ($result:expr) => {
        $result
    };
    ($result:expr, |$ended:pat_param| $then:expr) => {{
        let $ended = $result;
        $then
    }};
}

/// Generates [`Api`] and [`AsyncApi`] from one list of methods.
macro_rules! api {
    (
        calls {$(
            $(#[$doc:meta])*
            fn $name:ident($($arg:ident: $ty:ty),* $(; $cb:ident: FnMut($($cb_arg:ty),*))?) -> $ret:ty
                = |$config:ident| $op:expr
                $(, each |$item:pat_param| $each:expr)?
                $(, then |$ended:pat_param| $then:expr)?;
        )*}
        walks {$(
            $(#[$walk_doc:meta])*
            fn $walk:ident($($walk_arg:ident: $walk_ty:ty),*) -> $listing:ty
                = ($make:expr, $limit:expr, $from:expr);
        )*}
    ) => {
        /// Every method of a blocking client: each endpoint's, each walk's, each wait's, and
        /// the generic ones they are made of ([`Api::run`], [`Api::call`], [`Api::walk`]).
        ///
        /// Implemented for every [`Transport`]: an adapter's client has it by implementing
        /// `Transport`, and a new endpoint adds its method here, to every adapter at once.
        /// Each method builds core's operation from the client's configuration and drives it
        /// with [`run`], inside a scope named after the method (a `tracing` span with an
        /// adapter's `tracing` feature).
        pub trait Api: Transport {
            /// The configuration the client's operations are made from.
            fn config(&self) -> &Config {
                self.hooks().config()
            }

            /// Drives any core operation to its end, handing each item to `on_item`: what
            /// every other method is made of.
            ///
            /// # Errors
            ///
            /// The operation's error.
            fn run<O: Operation>(
                &self,
                op: &mut O,
                on_item: impl FnMut(O::Item),
            ) -> Result<O::Output, Error> {
                run(self, op, on_item)
            }

            /// Runs any endpoint (see [`Config::call`]).
            ///
            /// # Errors
            ///
            /// An API error for a status the endpoint does not take (after any retries), an
            /// invalid response, a transport error; an invalid argument, before anything is
            /// sent, for an endpoint the configured version cannot ask for.
            fn call<T>(&self, endpoint: Endpoint<T>) -> Result<T, Error> {
                run(self, &mut self.config().call(endpoint), |never| match never {})
            }

            /// Runs any retry-safe create (see [`Config::create`]).
            ///
            /// # Errors
            ///
            /// As [`Create`](crate::Create) ends: the last answer or failure when nothing of
            /// ours is found, carrying any candidate not claimed
            /// ([`Error::candidate`](crate::Error::candidate)).
            fn create<C: Creation>(&self, creation: C) -> Result<C::Output, Error> {
                run(self, &mut self.config().create(creation), |never| match never {})
            }

            /// Every item of `listing` across all pages, from `from` (`None`: the first
            /// page), `limit` a page: each id once, one page fetched at a time as the
            /// iterator advances, within core's bounds (loop, no progress, page cap).
            fn walk<L: Listing>(
                &self,
                listing: L,
                limit: Option<Limit>,
                from: Option<&PaginationToken>,
            ) -> Items<'_, Self, L> {
                Items::new(self, listing, limit, from)
            }

            $(
                $(#[$doc])*
                fn $name(&self, $($arg: $ty),* $(, mut $cb: impl FnMut($($cb_arg),*))?) -> $ret {
                    let mut op = {
                        let $config = self.config();
                        $op
                    };
                    then!(run(self, &mut op, each!($(|$item| $each)?)) $(, |$ended| $then)?)
                }
            )*

            $(
                $(#[$walk_doc])*
                fn $walk(&self, $($walk_arg: $walk_ty),*) -> Items<'_, Self, $listing> {
                    Items::new(self, $make, $limit, $from)
                }
            )*
        }

        impl<T: Transport + ?Sized> Api for T {}

        /// Every method of an async client, the twin of [`Api`]: the same list, each method
        /// returning a `Send` future (dropping it cancels the operation: nothing is sent
        /// after the drop) and each walk the transport's
        /// [`Items`](AsyncTransport::Items) (a `Stream` in an adapter).
        ///
        /// Implemented for every [`AsyncTransport`].
        pub trait AsyncApi: AsyncTransport {
            /// The configuration the client's operations are made from.
            fn config(&self) -> &Config {
                self.hooks().config()
            }

            /// Drives any core operation to its end, handing each item to `on_item`.
            ///
            /// # Errors
            ///
            /// The operation's error.
            fn run<'a, O>(
                &'a self,
                op: &'a mut O,
                on_item: impl FnMut(O::Item) + Send + 'a,
            ) -> impl Future<Output = Result<O::Output, Error>> + Send + 'a
            where
                O: Operation + Send,
                O::Output: Send,
                O::Item: Send,
            {
                run_async(self, op, on_item)
            }

            /// Runs any endpoint, as [`Api::call`].
            ///
            /// # Errors
            ///
            /// As [`Api::call`].
            fn call<T: Send>(
                &self,
                endpoint: Endpoint<T>,
            ) -> impl Future<Output = Result<T, Error>> + Send {
                let mut op = self.config().call(endpoint);
                async move { run_async(self, &mut op, |never| match never {}).await }
            }

            /// Runs any retry-safe create, as [`Api::create`].
            ///
            /// # Errors
            ///
            /// As [`Api::create`].
            fn create<C: Creation>(
                &self,
                creation: C,
            ) -> impl Future<Output = Result<C::Output, Error>> + Send {
                let mut op = self.config().create(creation);
                async move { run_async(self, &mut op, |never| match never {}).await }
            }

            /// Every item of `listing` across all pages, as [`Api::walk`], polled as a
            /// stream.
            fn walk<L: Listing>(
                &self,
                listing: L,
                limit: Option<Limit>,
                from: Option<&PaginationToken>,
            ) -> Self::Items<L> {
                AsyncItems::new(self.clone(), listing, limit, from).into()
            }

            $(
                $(#[$doc])*
                fn $name(
                    &self,
                    $($arg: $ty),* $(, mut $cb: impl FnMut($($cb_arg),*) + Send)?
                ) -> impl Future<Output = $ret> + Send {
                    let mut op = {
                        let $config = self.config();
                        $op
                    };
                    async move {
                        then!(
                            run_async(self, &mut op, each!($(|$item| $each)?)).await
                            $(, |$ended| $then)?
                        )
                    }
                }
            )*

            $(
                $(#[$walk_doc])*
                fn $walk(&self, $($walk_arg: $walk_ty),*) -> Self::Items<$listing> {
                    AsyncItems::new(self.clone(), $make, $limit, $from).into()
                }
            )*
        }

        impl<T: AsyncTransport> AsyncApi for T {}
    };
}

api! {
    calls {
        /// One page of restore jobs (`GET /restore-jobs`). `limit` of `None` leaves the page
        /// size to the server; `token` is a `pagination.next` from an earlier page, or `None`
        /// for the first.
        ///
        /// # Errors
        ///
        /// An API error after any retries, an invalid response, a transport error.
        fn list_page(limit: Option<Limit>, token: Option<&PaginationToken>) -> Result<ListPage, Error>
            = |config| config.list_page(limit, token);

        /// One restore job (`GET /restore-jobs/{job_id}`).
        ///
        /// # Errors
        ///
        /// An API error (404 `NOT_FOUND` for an unknown id) after any retries, an invalid
        /// response, a transport error.
        fn describe(id: &JobId) -> Result<RestoreJob, Error>
            = |config| config.describe(id);

        /// Describes job `id` every `options.interval` until it finishes, its 404s run past
        /// `options.not_found_tolerance`, or `options.timeout` passes; every describe, its
        /// timeout and retries included, fits in that timeout. `on_snapshot` sees every
        /// snapshot described, the last one included, so a caller can draw progress.
        ///
        /// # Errors
        ///
        /// The first error core does not tolerate (a 404 only after the tolerated ones, any
        /// other API error after retries, a transport error left after retries). A job that
        /// ends `Failed` or `Cancelled` is not an error: it is [`WaitOutcome::Ended`].
        fn wait(id: &JobId, options: &WaitOptions; on_snapshot: FnMut(&RestoreJob)) -> Result<WaitOutcome, Error>
            = |config| config.wait(id, options),
            each |job| on_snapshot(&job);

        /// Follows every job of `ids` at once until each has finished, failed to be
        /// followed, or `options.timeout` has passed, in rounds: a round reads the listing
        /// (100 jobs a page) until it has seen every job still followed and describes only
        /// those it did not see, so a round costs about N/100 requests, not N (one job is one
        /// describe a round). One deadline for all of them, every request within it, one at
        /// a time. `on_snapshot` sees every snapshot with the job's index in `ids`.
        ///
        /// Gives each job's end, in the order of `ids`: its [`WaitOutcome`], or the error that
        /// ended its wait (as [`Api::wait`] would have returned it). One job's error does not
        /// stop the others. With a timeout of zero, each job is checked once.
        fn wait_all(ids: &[JobId], options: &WaitOptions; on_snapshot: FnMut(usize, &RestoreJob)) -> Vec<WaitEnd>
            = |config| config.wait_all(ids, options),
            each |snapshot| on_snapshot(snapshot.index, &snapshot.job),
            // core's WaitAll ends with one end per job; should it ever fail as a whole, that
            // error is every job's end, so no job goes unreported
            then |ended| ended.unwrap_or_else(|e| vec![Err(e); ids.len()]);

        /// Starts restoring `backup` into a new index, safe to retry: core's
        /// [`Start`](crate::Start) retries only where the request surely did not take
        /// effect, and after an ambiguous failure resolves a 409 by finding its own restore
        /// job ([`StartedRestore::recovered`]), one created while its attempts were in
        /// flight, by the server's clock.
        ///
        /// # Errors
        ///
        /// An API error (400, 401, 402, 403, 404 for an unknown backup, 409 for a name taken
        /// by someone else, 412 for a backup not `Ready`, 422, …); an invalid response; a
        /// transport error left after retries when no restore of ours could be found. A job
        /// found and not claimed rides on the error
        /// ([`Error::candidate`](crate::Error::candidate)).
        fn create_index_from_backup(backup: &BackupId, request: &CreateIndexFromBackup) -> Result<StartedRestore, Error>
            = |config| config.create_index_from_backup(backup, request);

        /// One page of the project's backups (`GET /backups`); `limit` and `token` as for
        /// [`Api::list_page`].
        ///
        /// # Errors
        ///
        /// An API error after any retries, an invalid response, a transport error.
        fn list_backups(limit: Option<Limit>, token: Option<&PaginationToken>) -> Result<BackupPage, Error>
            = |config| config.list_backups_page(limit, token);

        /// One page of one index's backups (`GET /indexes/{index_name}/backups`).
        ///
        /// # Errors
        ///
        /// An invalid argument, before anything is sent, when `listing` asks for
        /// `include_deleted` and the configured API version is older than 2026-07; an API
        /// error (404 with the server's message for an unknown index) after any retries; an
        /// invalid response; a transport error.
        fn list_index_backups(listing: &IndexBackups, limit: Option<Limit>, token: Option<&PaginationToken>) -> Result<BackupPage, Error>
            = |config| config.list_index_backups_page(listing, limit, token);

        /// One backup (`GET /backups/{backup_id}`).
        ///
        /// # Errors
        ///
        /// An API error (404 for an unknown id) after any retries, an invalid response, a
        /// transport error.
        fn describe_backup(id: &BackupId) -> Result<Backup, Error>
            = |config| config.describe_backup(id);

        /// The newest `Ready` backup of `index`, the one a restore "from the latest" starts
        /// from: every page of the index's backups (100 a page), picked by core's
        /// [`newest_ready`](crate::newest_ready). `None` when the index has no `Ready` backup.
        ///
        /// # Errors
        ///
        /// The walk's: an API error (404 for an unknown index), an invalid response, a
        /// transport error, a walk bound.
        fn newest_ready_backup(index: &IndexName) -> Result<Option<Backup>, Error>
            = |config| config.newest_ready_backup(index);

        /// Takes a backup of `index` (`POST /indexes/{index_name}/backups`), safe to retry:
        /// core's [`BackupOf`](crate::BackupOf) looks for a backup with the request's name
        /// before it sends again after an attempt that may have taken effect, so a run makes
        /// at most one. Gives the backup as the API answered it (`Initializing`), or the one
        /// found.
        ///
        /// # Errors
        ///
        /// An API error (403 for the project's backup quota, 404 for an unknown index, 400
        /// for a name the API refuses, …); an invalid response; a transport error left after
        /// retries when no backup of ours could be found. A backup with our name that cannot
        /// be shown to be ours rides on the error
        /// ([`Error::candidate`](crate::Error::candidate)), and nothing is sent again.
        fn create_backup(index: &IndexName, request: &CreateBackup) -> Result<Backup, Error>
            = |config| config.create_backup(index, request);

        /// Deletes backup `id` (`DELETE /backups/{backup_id}`): [`Deletion::Deleted`] for the
        /// API's `202`, [`Deletion::AlreadyGone`] for a `404` after an attempt whose answer was
        /// lost.
        ///
        /// # Errors
        ///
        /// An API error: 404 for an unknown backup (to the first attempt), 412 while a restore
        /// from it is running (before 2026-07), …; a transport error left after retries.
        fn delete_backup(id: &BackupId) -> Result<Deletion, Error>
            = |config| config.delete_backup(id);

        /// Describes backup `id` every `options.interval` until it is `Ready`
        /// ([`WaitOutcome::Completed`]), fails ([`WaitOutcome::Ended`]) or `options.timeout`
        /// passes, as [`Api::wait`] follows a restore job; `on_snapshot` sees every snapshot.
        ///
        /// # Errors
        ///
        /// As [`Api::wait`]'s.
        fn wait_backup(id: &BackupId, options: &WaitOptions; on_snapshot: FnMut(&Backup)) -> Result<WaitOutcome<Backup>, Error>
            = |config| config.wait_backup(id, options),
            each |backup| on_snapshot(&backup);

        /// Follows every backup of `ids` at once, as [`Api::wait_all`] follows restore jobs:
        /// one deadline, each backup's end in the order of `ids`.
        fn wait_backups(ids: &[BackupId], options: &WaitOptions; on_snapshot: FnMut(usize, &Backup)) -> Vec<WaitEnd<Backup>>
            = |config| config.wait_backups(ids, options),
            each |snapshot| on_snapshot(snapshot.index, &snapshot.job),
            then |ended| ended.unwrap_or_else(|e| vec![Err(e); ids.len()]);

        /// What a prune of `index` by `retention` would delete, and why each backup is kept
        /// or deleted ([`plan_prune`](crate::plan_prune)), from every page of the index's
        /// backups and of the restore jobs, and the server's clock from their answers.
        ///
        /// # Errors
        ///
        /// A listing's error (an unknown index is a 404): then there is no plan at all.
        fn plan_prune(index: &IndexName, retention: &Retention) -> Result<PrunePlan, Error>
            = |config| config.plan_prune(index, retention);

        /// Carries out `plan`: its deletes one at a time, stopping at the first that fails;
        /// `on_deleted` sees each delete done. A refused plan deletes nothing.
        fn prune(plan: &PrunePlan; on_deleted: FnMut(&Backup, Deletion)) -> Result<PruneReport, Error>
            = |config| config.prune(plan),
            each |(backup, deletion)| on_deleted(&backup, deletion);

        /// One page of `index`'s backup schedules (`GET /indexes/{index_name}/backup-schedules`,
        /// API 2026-07).
        ///
        /// # Errors
        ///
        /// An invalid argument, before anything is sent, under a version before 2026-07; an
        /// API error (404 for an unknown index), an invalid response, a transport error.
        fn list_schedules(index: &IndexName, limit: Option<Limit>, token: Option<&PaginationToken>) -> Result<SchedulePage, Error>
            = |config| config.list_schedules_page(index, limit, token);

        /// Creates a backup schedule of `index`, safe to retry: after an attempt whose answer
        /// was lost the create is sent again, and a 409 to it is resolved by the index's
        /// enabled schedule, claimed only when it has the request's name and was created
        /// while the attempts were in flight on the server's clock.
        ///
        /// # Errors
        ///
        /// An invalid argument before 2026-07; an API error (409: the index has an enabled
        /// schedule; 403: the plan has no scheduled backups; 404: no such index), with the
        /// schedule found and not claimed riding on it
        /// ([`Error::candidate`](crate::Error::candidate)); an invalid response; a transport
        /// error.
        fn create_schedule(index: &IndexName, request: &CreateSchedule) -> Result<BackupSchedule, Error>
            = |config| config.create_schedule(index, request);

        /// One backup schedule (`GET /backup-schedules/{schedule_id}`).
        ///
        /// # Errors
        ///
        /// An invalid argument before 2026-07; an API error (404 for an unknown id), an
        /// invalid response, a transport error.
        fn describe_schedule(id: &ScheduleId) -> Result<BackupSchedule, Error>
            = |config| config.describe_schedule(id);

        /// Changes a backup schedule (`PATCH /backup-schedules/{schedule_id}`): only what
        /// `change` gives; the schedule as it now is.
        ///
        /// # Errors
        ///
        /// As [`Api::describe_schedule`]'s.
        fn update_schedule(id: &ScheduleId, change: &UpdateSchedule) -> Result<BackupSchedule, Error>
            = |config| config.update_schedule(id, change);

        /// Deletes a backup schedule (`DELETE /backup-schedules/{schedule_id}`, `204`);
        /// [`Deletion::AlreadyGone`] for a 404 after an attempt whose answer was lost.
        ///
        /// # Errors
        ///
        /// As [`Api::describe_schedule`]'s.
        fn delete_schedule(id: &ScheduleId) -> Result<Deletion, Error>
            = |config| config.delete_schedule(id);

        /// One page of a schedule's history (`GET /backup-schedules/{schedule_id}/history`):
        /// the backups it took, and those it plans.
        ///
        /// # Errors
        ///
        /// As [`Api::describe_schedule`]'s.
        fn schedule_history(id: &ScheduleId, limit: Option<Limit>, token: Option<&PaginationToken>) -> Result<HistoryPage, Error>
            = |config| config.schedule_history_page(id, limit, token);
    }
    walks {
        /// Every restore job across all pages, each `restore_job_id` once.
        fn list_all(limit: Option<Limit>) -> RestoreJobs = (RestoreJobs, limit, None);

        /// As `list_all`, starting at the page of `token` (`None`: the first page): to go on
        /// from a page printed earlier, or resume a walk that failed.
        fn list_all_from(limit: Option<Limit>, token: Option<&PaginationToken>) -> RestoreJobs
            = (RestoreJobs, limit, token);

        /// Every backup of the project across all pages, each `backup_id` once.
        fn list_all_backups(limit: Option<Limit>) -> ProjectBackups
            = (ProjectBackups, limit, None);

        /// As `list_all_backups`, starting at the page of `token`.
        fn list_all_backups_from(limit: Option<Limit>, token: Option<&PaginationToken>) -> ProjectBackups
            = (ProjectBackups, limit, token);

        /// Every backup of one index across all pages, each `backup_id` once. A `listing`
        /// the configured version cannot ask for ends the walk with an invalid argument as
        /// its first item, before anything is sent.
        fn list_all_index_backups(listing: IndexBackups, limit: Option<Limit>) -> IndexBackups
            = (listing, limit, None);

        /// As `list_all_index_backups`, starting at the page of `token`.
        fn list_all_index_backups_from(listing: IndexBackups, limit: Option<Limit>, token: Option<&PaginationToken>) -> IndexBackups
            = (listing, limit, token);

        /// Every backup schedule of one index across all pages (API 2026-07).
        fn list_all_schedules(listing: IndexSchedules, limit: Option<Limit>) -> IndexSchedules
            = (listing, limit, None);

        /// As `list_all_schedules`, starting at the page of `token`.
        fn list_all_schedules_from(listing: IndexSchedules, limit: Option<Limit>, token: Option<&PaginationToken>) -> IndexSchedules
            = (listing, limit, token);

        /// Every backup of a schedule's history across all pages (API 2026-07).
        fn all_schedule_history(listing: ScheduleHistory, limit: Option<Limit>) -> ScheduleHistory
            = (listing, limit, None);

        /// As `all_schedule_history`, starting at the page of `token`.
        fn all_schedule_history_from(listing: ScheduleHistory, limit: Option<Limit>, token: Option<&PaginationToken>) -> ScheduleHistory
            = (listing, limit, token);
    }
}
