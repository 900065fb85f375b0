//! Everything a [`Config`] can do, in one place: the requests core builds and the operations
//! it starts.
//!
//! Each operation is defined in its own file ([`Call`] in call.rs, [`Walk`] in walk.rs,
//! [`Wait`] in wait.rs, [`Start`] in start.rs); this file only names them, so a reader finds
//! what core can do here and a new endpoint adds its lines here (see the crate docs, "Adding
//! an endpoint").

use std::time::SystemTime;

use crate::backup::{Backup, BackupPage};
use crate::call::Call;
use crate::config::{API_KEY_HEADER, API_VERSION_HEADER, Config};
use crate::create::CreateIndexFromBackup;
use crate::error::{Error, InvalidArgument};
use crate::jitter::Jitter;
use crate::model::{ListPage, RestoreJob};
use crate::parse;
use crate::request::{BackupId, JobId, Limit, Method, PaginationToken, Request, encode_component};
use crate::start::Start;
use crate::wait::{Wait, WaitOptions};
use crate::wait_all::WaitAll;
use crate::walk::{IndexBackups, ProjectBackups, RestoreJobs, Walk};

/// The statuses a `GET` accepts.
const OK: &[u16] = &[200];

/// Operations: what an adapter drives.
impl Config {
    /// One page of restore jobs: `GET /restore-jobs`, retried as the policy allows, parsed by
    /// the configured version's rules.
    ///
    /// `limit` of `None` leaves the page size to the server; `token` of `None` is the first
    /// page. Drive the call with [`Operation`](crate::Operation).
    pub fn list_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<ListPage> {
        Call::get(self, self.list_request(limit, token), OK, |config, body| {
            parse::list_page(body, config.api_version().rules(), config.secrets())
        })
    }

    /// One restore job: `GET /restore-jobs/{id}`, retried as the policy allows. Drive the call
    /// with [`Operation`](crate::Operation).
    pub fn describe(&self, id: &JobId) -> Call<RestoreJob> {
        Call::get(self, self.describe_request(id), OK, |config, body| {
            parse::job(body, config.api_version().rules(), config.secrets())
        })
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

    /// One page of the project's backups: `GET /backups`, retried as the policy allows, parsed
    /// by the configured version's rules. `limit` and `token` as for [`Config::list_page`].
    pub fn list_backups_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<BackupPage> {
        let request = self.list_backups_request(limit, token);
        Call::get(self, request, OK, |config, body| {
            parse::backup_page(body, config.api_version().rules(), config.secrets())
        })
    }

    /// One page of one index's backups: `GET /indexes/{index_name}/backups`. An unknown index
    /// is a 404 API error.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when `listing` asks for
    /// `include_deleted` and the configured version does not take it (before 2026-07).
    pub fn list_index_backups_page(
        &self,
        listing: &IndexBackups,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<Call<BackupPage>, Error> {
        let request = self.index_backups_request(listing, limit, token)?;
        Ok(Call::get(self, request, OK, |config, body| {
            parse::backup_page(body, config.api_version().rules(), config.secrets())
        }))
    }

    /// One backup: `GET /backups/{backup_id}`, retried as the policy allows.
    pub fn describe_backup(&self, id: &BackupId) -> Call<Backup> {
        Call::get(
            self,
            self.describe_backup_request(id),
            OK,
            |config, body| parse::backup(body, config.api_version().rules(), config.secrets()),
        )
    }

    /// A walk over every page of the project's backups, each `backup_id` once.
    pub fn walk_backups(
        &self,
        limit: Option<Limit>,
        from: Option<PaginationToken>,
    ) -> Walk<ProjectBackups> {
        Walk::new(self, ProjectBackups, limit, from)
    }

    /// A walk over every page of one index's backups, each `backup_id` once. A `listing` this
    /// version cannot ask for ends the walk with an invalid argument before anything is sent.
    pub fn walk_index_backups(
        &self,
        listing: IndexBackups,
        limit: Option<Limit>,
        from: Option<PaginationToken>,
    ) -> Walk<IndexBackups> {
        Walk::new(self, listing, limit, from)
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

    /// A wait on every job of `ids` at once, each polled as [`Config::wait`] polls it, under
    /// one deadline (`options.timeout`, counted from the first step) and one request at a
    /// time. Its items tag each snapshot with the job's index in `ids`; its output is each
    /// job's end in that order, an error that ended one job's wait among them.
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
    /// let mut seen = Vec::new();
    /// let ends = loop {
    ///     match wait.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             let (status, body) = if attempt.request.url.ends_with("/done") {
    ///                 (200, r#"{"restore_job_id":"done","backup_id":"b","target_index_name":"n",
    ///                     "target_index_id":"i","status":"Completed","created_at":null}"#)
    ///             } else {
    ///                 (404, r#"{"error":{"code":"NOT_FOUND","message":"no such job"},"status":404}"#)
    ///             };
    ///             wait.handle(Ok(Response { status, headers: &[], body: body.as_bytes() }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(snapshot) => seen.push(snapshot.index),
    ///         Step::Done(ends) => break ends?,
    ///     }
    /// };
    /// assert_eq!(seen, [0]);
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
        Start::new(self, backup, request)
    }
}

/// Requests: what an operation sends.
impl Config {
    /// `GET /restore-jobs`, one page.
    ///
    /// `limit` of `None` leaves the page size to the server (see
    /// [`ApiVersion::default_page_size`](crate::ApiVersion::default_page_size)); `token` of
    /// `None` is the first page.
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, Limit, PaginationToken};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let token = PaginationToken::new("dXNl+cl8=/")?;
    /// let request = config.list_request(Some(Limit::new(50)?), Some(&token));
    /// assert_eq!(
    ///     request.url,
    ///     "https://api.pinecone.io/restore-jobs?limit=50&paginationToken=dXNl%2Bcl8%3D%2F"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn list_request(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Request {
        let url = format!("{}/restore-jobs", self.base_url());
        self.request(Method::Get, page_url(url, limit, token), None)
    }

    /// `GET /backups`, one page of the project's backups; `limit` and `token` as for
    /// [`Config::list_request`].
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, Limit, PaginationToken};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let token = PaginationToken::new("dXNl+cl8=/")?;
    /// let request = config.list_backups_request(Some(Limit::new(5)?), Some(&token));
    /// assert_eq!(
    ///     request.url,
    ///     "https://api.pinecone.io/backups?limit=5&paginationToken=dXNl%2Bcl8%3D%2F"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn list_backups_request(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Request {
        let url = format!("{}/backups", self.base_url());
        self.request(Method::Get, page_url(url, limit, token), None)
    }

    /// `GET /indexes/{index_name}/backups`, one page of one index's backups, the name
    /// percent-encoded as one path segment; `include_deleted=true` when `listing` asks for it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when `listing` asks for
    /// `include_deleted` and the configured version does not take it (before 2026-07).
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, IndexBackups, IndexName, Limit};
    ///
    /// let listing = IndexBackups::new(IndexName::new("my-index")?).include_deleted(true);
    /// let config = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
    /// let request = config.index_backups_request(&listing, Some(Limit::new(5)?), None)?;
    /// assert_eq!(
    ///     request.url,
    ///     "https://api.pinecone.io/indexes/my-index/backups?limit=5&include_deleted=true"
    /// );
    /// let config = Config::builder(ApiKey::new("k")?).build()?; // 2025-04
    /// let err = config.index_backups_request(&listing, None, None).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid include_deleted: expected API version 2026-07 or later, found `2025-04`"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn index_backups_request(
        &self,
        listing: &IndexBackups,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<Request, Error> {
        let version = self.api_version();
        if listing.includes_deleted() && !version.lists_deleted_sources() {
            return Err(InvalidArgument::new(
                "include_deleted",
                format!(
                    "expected API version 2026-07 or later, found `{}`",
                    version.as_str()
                ),
            )
            .into());
        }
        let url = format!(
            "{}/indexes/{}/backups",
            self.base_url(),
            encode_component(listing.index().as_str())
        );
        let mut url = page_url(url, limit, token);
        if listing.includes_deleted() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("include_deleted=true");
        }
        Ok(self.request(Method::Get, url, None))
    }

    /// `GET /backups/{backup_id}`, the id percent-encoded as one path segment.
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, BackupId, Config};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let request = config.describe_backup_request(&BackupId::new("bk 1/2")?);
    /// assert_eq!(request.url, "https://api.pinecone.io/backups/bk%201%2F2");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn describe_backup_request(&self, id: &BackupId) -> Request {
        let url = format!(
            "{}/backups/{}",
            self.base_url(),
            encode_component(id.as_str())
        );
        self.request(Method::Get, url, None)
    }

    /// `GET /restore-jobs/{id}`, the id percent-encoded as one path segment.
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, JobId};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).base_url("https://h/gw/").build()?;
    /// let request = config.describe_request(&JobId::new("a/b c")?);
    /// assert_eq!(request.url, "https://h/gw/restore-jobs/a%2Fb%20c");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn describe_request(&self, id: &JobId) -> Request {
        let url = format!(
            "{}/restore-jobs/{}",
            self.base_url(),
            encode_component(id.as_str())
        );
        self.request(Method::Get, url, None)
    }

    /// `POST /backups/{backup_id}/create-index` with `body` as JSON.
    pub(crate) fn create_index_request(&self, backup: &BackupId, body: Vec<u8>) -> Request {
        let url = format!(
            "{}/backups/{}/create-index",
            self.base_url(),
            encode_component(backup.as_str())
        );
        self.request(Method::Post, url, Some(body))
    }

    fn request(&self, method: Method, url: String, body: Option<Vec<u8>>) -> Request {
        let mut headers = Vec::with_capacity(5 + self.extra_headers().len());
        headers.push((
            API_KEY_HEADER.to_owned(),
            self.api_key().expose_secret().to_owned(),
        ));
        headers.push((
            API_VERSION_HEADER.to_owned(),
            self.api_version().as_str().to_owned(),
        ));
        headers.push(("User-Agent".to_owned(), self.user_agent().to_owned()));
        headers.push(("Accept".to_owned(), "application/json".to_owned()));
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        headers.extend(self.extra_headers().iter().cloned());
        Request {
            method,
            url,
            headers,
            body,
        }
    }
}

/// `url` with a page's query: `limit` and `paginationToken` (percent-encoded), each when given.
fn page_url(mut url: String, limit: Option<Limit>, token: Option<&PaginationToken>) -> String {
    let mut sep = '?';
    if let Some(limit) = limit {
        url.push(sep);
        url.push_str("limit=");
        url.push_str(&limit.to_string());
        sep = '&';
    }
    if let Some(token) = token {
        url.push(sep);
        url.push_str("paginationToken=");
        url.push_str(&encode_component(token.as_str()).to_string());
    }
    url
}

/// What an adapter needs beside the operations.
impl Config {
    /// The jitter source for a client of this configuration: from
    /// [`ConfigBuilder::rng_seed`](crate::ConfigBuilder::rng_seed) when set, else from `now`
    /// and `process_id` (which the adapter reads).
    pub fn jitter(&self, now: SystemTime, process_id: u32) -> Jitter {
        match self.rng_seed() {
            Some(seed) => Jitter::new(seed),
            None => Jitter::seeded(now, process_id),
        }
    }
}
