//! Restore jobs: the endpoints (`GET /restore-jobs`, `GET /restore-jobs/{job_id}`,
//! `POST /backups/{backup_id}/create-index`), the listing over them, the retry-safe start of
//! a restore, and the job model and its parsers.
//!
//! Each endpoint is one function here returning an [`Endpoint`]; the [`Config`] methods below
//! name the operations that run them.

mod fast;
mod job;
pub(crate) mod model;
mod parse;
pub(crate) mod restore;
mod started;

#[doc(hidden)]
pub use parse::differential;
pub use parse::{parse_job, parse_list_page, parse_started_restore};

use time::OffsetDateTime;

use crate::config::Config;
use crate::engine::call::Call;
use crate::engine::create::{Create, Creation};
use crate::engine::endpoint::Endpoint;
use crate::engine::wait::{Followed, Settled, Wait, WaitOptions};
use crate::engine::wait_all::WaitAll;
use crate::engine::walk::{Listing, Walk};
use crate::request::{
    BackupId, IndexName, JobId, Limit, Method, PaginationToken, encode_component,
};
use crate::text::{self, Secrets};

use self::model::{JobStatus, ListPage, RestoreJob};
use self::restore::{CreateIndexFromBackup, StartedRestore};

/// `GET /restore-jobs`: one page of restore jobs, parsed by the configured version's rules.
///
/// `limit` of `None` leaves the page size to the server (see
/// [`ApiVersion::default_page_size`](crate::ApiVersion::default_page_size)); `token` of `None`
/// is the first page.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, Limit, PaginationToken, restore_jobs};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// let token = PaginationToken::new("dXNl+cl8=/")?;
/// let request = restore_jobs::list(Some(Limit::new(50)?), Some(&token)).request(&config)?;
/// assert_eq!(
///     request.url,
///     "https://api.pinecone.io/restore-jobs?limit=50&paginationToken=dXNl%2Bcl8%3D%2F"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn list(limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<ListPage> {
    Endpoint::get(
        "list_page",
        "/restore-jobs".to_owned(),
        |config, _, body| parse::list_page(body, config.api_version().rules(), config.secrets()),
    )
    .page(limit, token)
}

/// `GET /restore-jobs/{job_id}`: one restore job, the id percent-encoded as one path segment.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, JobId, restore_jobs};
///
/// let config = Config::builder(ApiKey::new("k")?).base_url("https://h/gw/").build()?;
/// let request = restore_jobs::describe(&JobId::new("a/b c")?).request(&config)?;
/// assert_eq!(request.url, "https://h/gw/restore-jobs/a%2Fb%20c");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn describe(id: &JobId) -> Endpoint<RestoreJob> {
    let path = format!("/restore-jobs/{}", encode_component(id.as_str()));
    Endpoint::get("describe", path, |config, _, body| {
        parse::job(body, config.api_version().rules(), config.secrets())
    })
}

/// `POST /backups/{backup_id}/create-index` with `request` as JSON: starts restoring `backup`
/// into a new index. Its success is `202` (`200` and `201` are taken too); run it with
/// [`Config::create_index_from_backup`], which makes it safe to retry.
pub fn create_index_from_backup(
    backup: &BackupId,
    request: &CreateIndexFromBackup,
) -> Endpoint<StartedRestore> {
    let path = format!(
        "/backups/{}/create-index",
        encode_component(backup.as_str())
    );
    Endpoint::new(
        "create_index_from_backup",
        Method::Post,
        path,
        &[200, 201, 202],
        |config, _, body| parse::started_restore(body, config.secrets()),
    )
    .body(request.to_json())
}

/// `GET /restore-jobs`: [`RestoreJob`]s, told apart by `restore_job_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreJobs;

impl Listing for RestoreJobs {
    type Item = RestoreJob;
    type Page = ListPage;
    const ITEMS: &'static str = "jobs";
    const WALK: &'static str = "list_all";

    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<ListPage> {
        list(limit, token)
    }

    fn split(page: ListPage) -> (Vec<RestoreJob>, Option<PaginationToken>) {
        (page.jobs, page.next)
    }

    fn id(job: &RestoreJob) -> &str {
        job.restore_job_id()
    }
}

/// Restore jobs are followed by describing them until they finish: `Completed` is done well,
/// `Failed` and `Cancelled` end otherwise, any other status (`Pending`, `Running`, one this
/// crate does not know) is still going.
impl Followed for RestoreJobs {
    type Item = RestoreJob;
    type Id = JobId;
    const WHAT: &'static str = "restore job";
    const WAIT: &'static str = "wait";
    const WAIT_ALL: &'static str = "wait_all";

    fn describe(id: &JobId) -> Endpoint<RestoreJob> {
        describe(id)
    }

    fn id_text(id: &JobId) -> &str {
        id.as_str()
    }

    fn state(job: &RestoreJob) -> Settled {
        match job.status() {
            JobStatus::Completed => Settled::Done,
            JobStatus::Failed | JobStatus::Cancelled => Settled::Ended,
            _ => Settled::Not,
        }
    }

    fn status_text(job: &RestoreJob) -> &str {
        job.status().as_str()
    }

    fn percent(job: &RestoreJob) -> Option<f64> {
        job.percent_complete().map(|p| p.get())
    }

    /// The project's restore jobs, newest first: the jobs a wait follows are almost always
    /// the newest.
    type Listing = RestoreJobs;

    fn listing(_: &[Option<&RestoreJob>]) -> RestoreJobs {
        RestoreJobs
    }
}

/// Starting a restore of a backup into a new index, safe to retry: the index name is unique
/// (a second start answers 409), so an ambiguous attempt is sent again and a 409 after it is
/// resolved by finding, among the restore jobs, the one for this backup and name created
/// while our attempts were in flight.
#[derive(Debug, Clone)]
pub struct RestoreFromBackup {
    backup: BackupId,
    request: CreateIndexFromBackup,
}

impl RestoreFromBackup {
    /// Restoring `backup` as `request` describes.
    pub fn new(backup: &BackupId, request: &CreateIndexFromBackup) -> RestoreFromBackup {
        RestoreFromBackup {
            backup: backup.clone(),
            request: request.clone(),
        }
    }

    /// The index name.
    fn name(&self) -> &IndexName {
        self.request.name()
    }
}

impl Creation for RestoreFromBackup {
    type Output = StartedRestore;
    type Lookup = RestoreJobs;
    const MADE: &'static str = "started";

    fn endpoint(&self) -> Endpoint<StartedRestore> {
        create_index_from_backup(&self.backup, &self.request)
    }

    fn lookup(&self) -> RestoreJobs {
        RestoreJobs
    }

    fn candidate(&self, job: &RestoreJob) -> Option<Option<OffsetDateTime>> {
        (job.backup_id() == self.backup.as_str() && job.target_index_name() == self.name().as_str())
            .then(|| job.created_at())
    }

    fn claimed(&self, job: RestoreJob) -> StartedRestore {
        StartedRestore {
            restore_job_id: job.restore_job_id().to_owned(),
            index_id: job.target_index_id().to_owned(),
            recovered: true,
        }
    }

    fn describe(&self, job: &RestoreJob, secrets: &Secrets) -> String {
        let backup = text::shown(self.backup.as_str(), text::CELL_CHARS, secrets);
        let id = text::shown(job.restore_job_id(), text::CELL_CHARS, secrets);
        let name = self.name().as_str();
        let status = job.status();
        if status.is_terminal() {
            let status = text::shown(status.as_str(), text::CELL_CHARS, secrets);
            format!("an index named `{name}` was restored from `{backup}` by job `{id}` ({status})")
        } else {
            format!("an index named `{name}` is being restored from `{backup}` by job `{id}`")
        }
    }
}

/// A start of a restore: [`Create`] running [`RestoreFromBackup`].
pub type Start = Create<RestoreFromBackup>;

/// Restore jobs: the operations.
impl Config {
    /// One page of restore jobs ([`list`]), retried as the policy allows. Drive the call with
    /// [`Operation`](crate::Operation).
    pub fn list_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<ListPage> {
        self.call(list(limit, token))
    }

    /// One restore job ([`describe`]), retried as the policy allows. Drive the call with
    /// [`Operation`](crate::Operation).
    pub fn describe(&self, id: &JobId) -> Call<RestoreJob> {
        self.call(describe(id))
    }

    /// A walk over every page of restore jobs from `from` (`None`: the first page), `limit`
    /// jobs a page.
    ///
    /// ```
    /// use std::time::{Instant, SystemTime};
    /// use pinecone_restore_core::{ApiKey, Config, Limit, Now, Operation, Response, Step};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let mut walk = config.walk(Some(Limit::new(2)?), None);
    /// let mut pages: Vec<&[u8]> = vec![
    ///     br#"{"data":[{"restore_job_id":"a","backup_id":"b","target_index_name":"n",
    ///          "target_index_id":"i","status":"Completed","created_at":null}],
    ///          "pagination":{"next":"dG9r+/="}}"#,
    ///     br#"{"data":[],"pagination":null}"#,
    /// ];
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let mut seen = Vec::new();
    /// loop {
    ///     match walk.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             let body = pages.remove(0);
    ///             walk.handle(Ok(Response { status: 200, headers: &[], body }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(jobs) => seen.extend(jobs.into_iter().map(|j| j.restore_job_id().to_owned())),
    ///         Step::Done(result) => break result?,
    ///     }
    /// }
    /// assert_eq!(seen, ["a"]);
    /// assert_eq!(walk.pages(), 2);
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn walk(&self, limit: Option<Limit>, from: Option<PaginationToken>) -> Walk {
        Walk::new(self, RestoreJobs, limit, from)
    }

    /// A wait on restore job `id`.
    ///
    /// ```
    /// use std::time::{Duration, Instant, SystemTime};
    /// use pinecone_restore_core::{
    ///     ApiKey, Config, JobId, Now, Operation, Response, Step, WaitOptions, WaitOutcome,
    /// };
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let options = WaitOptions::default().interval(Duration::from_millis(1));
    /// let mut wait = config.wait(&JobId::new("rj")?, &options);
    /// let mut answers = ["Pending", "Completed"].into_iter();
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let mut snapshots = 0;
    /// let outcome = loop {
    ///     match wait.next_step(now()) {
    ///         Step::Send(_) => {
    ///             let body = format!(r#"{{"restore_job_id":"rj","backup_id":"b",
    ///                 "target_index_name":"n","target_index_id":"i",
    ///                 "status":"{}","created_at":null}}"#, answers.next().unwrap());
    ///             wait.handle(Ok(Response { status: 200, headers: &[], body: body.as_bytes() }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(_snapshot) => snapshots += 1,
    ///         Step::Done(result) => break result?,
    ///     }
    /// };
    /// assert!(matches!(outcome, WaitOutcome::Completed(_)));
    /// assert_eq!(snapshots, 2);
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn wait(&self, id: &JobId, options: &WaitOptions) -> Wait {
        Wait::new(self, id, options)
    }

    /// A wait on every job of `ids` at once, in rounds ([`WaitAll`]): a round reads the
    /// restore-job listing, 100 a page, until it has seen every job still followed, and
    /// describes only those it did not see, as [`Config::wait`] describes its one job; one
    /// deadline (`options.timeout`, counted from the first step), one request at a time. Its
    /// items tag each snapshot with the job's index in `ids`; its output is each job's end in
    /// that order, an error that ended one job's wait among them.
    ///
    /// ```
    /// use std::time::{Duration, Instant, SystemTime};
    /// use pinecone_restore_core::{
    ///     ApiKey, Config, JobId, Now, Operation, Response, Step, WaitOptions, WaitOutcome,
    /// };
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let options = WaitOptions::default().interval(Duration::from_millis(1));
    /// let ids = [JobId::new("done")?, JobId::new("gone")?];
    /// let mut wait = config.wait_all(&ids, &options.not_found_tolerance(0));
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let done = r#"{"restore_job_id":"done","backup_id":"b","target_index_name":"n",
    ///     "target_index_id":"i","status":"Completed","created_at":null}"#;
    /// let (mut pages, mut seen) = (0, Vec::new());
    /// let ends = loop {
    ///     match wait.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             let url = &attempt.request.url;
    ///             let (status, body) = if url.contains("/restore-jobs?") {
    ///                 // the round's walk: the listing shows `done`, not `gone`
    ///                 pages += 1;
    ///                 (200, format!(r#"{{"data":[{done}],"pagination":null}}"#))
    ///             } else {
    ///                 // `gone` is described, and is not there
    ///                 (404, r#"{"error":{"code":"NOT_FOUND","message":"no"},"status":404}"#.to_owned())
    ///             };
    ///             wait.handle(Ok(Response { status, headers: &[], body: body.as_bytes() }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(snapshot) => seen.push(snapshot.index),
    ///         Step::Done(ends) => break ends?,
    ///     }
    /// };
    /// assert_eq!((pages, seen), (1, vec![0]));
    /// assert!(matches!(ends[0], Ok(WaitOutcome::Completed(_))));
    /// assert!(ends[1].as_ref().is_err_and(|e| e.is_not_found()));
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn wait_all(&self, ids: &[JobId], options: &WaitOptions) -> WaitAll {
        WaitAll::new(self, ids, options)
    }

    /// Starts restoring `backup` into a new index as `request` describes.
    ///
    /// ```
    /// use std::time::{Instant, SystemTime};
    /// use pinecone_restore_core::{
    ///     ApiKey, BackupId, Config, CreateIndexFromBackup, IndexName, Method, Now, Operation,
    ///     Response, Step,
    /// };
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let request = CreateIndexFromBackup::new(IndexName::new("restored")?);
    /// let mut start = config.create_index_from_backup(&BackupId::new("bkp-1")?, &request);
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let started = loop {
    ///     match start.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             assert_eq!(attempt.request.method, Method::Post);
    ///             assert_eq!(attempt.request.body.as_deref(), Some(&br#"{"name":"restored"}"#[..]));
    ///             let body = br#"{"restore_job_id": "rj-1", "index_id": "ix-1"}"#;
    ///             start.handle(Ok(Response { status: 202, headers: &[], body }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(never) => match never {},
    ///         Step::Done(result) => break result?,
    ///     }
    /// };
    /// assert_eq!(started.restore_job_id(), "rj-1");
    /// assert!(!started.recovered());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn create_index_from_backup(
        &self,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Start {
        self.create(RestoreFromBackup::new(backup, request))
    }
}
