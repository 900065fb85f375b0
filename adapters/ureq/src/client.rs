//! The blocking client: one ureq agent that sends what core's operations say and sleeps when
//! they say; every decision is core's.

use std::fmt;
use std::io::Read as _;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core::drive::{self, Reply, Transport};
use pinecone_restore_core::event::Event;
use pinecone_restore_core::{
    ApiKey, Attempt, Backup, BackupId, BackupPage, Config, ConfigBuilder, CreateIndexFromBackup,
    Error, IndexBackups, IndexName, InvalidArgument, Jitter, JobId, Limit, ListPage, Listing, Now,
    Operation, PaginationToken, ProjectBackups, ProxyRoute, RestoreJob, StartedRestore,
    TransportError, WaitEnd, WaitOptions, WaitOutcome,
};

use crate::resolve::CachingResolver;
use crate::transport::{Phase, failure};

/// The most a body's buffer is sized to before its bytes arrive, whatever `Content-Length`
/// says: a page of 100 jobs is about 30 KB, and a larger body grows its buffer as it comes.
const PRESIZE_MAX: u64 = 1 << 20;

/// Every restore job across all pages, from [`Client::list_all`]: core's walk as an iterator,
/// each `restore_job_id` once, one page fetched at a time as it is advanced. With the
/// `tracing` feature, every page it fetches is inside one `list_all` span.
#[derive(Debug)]
pub struct Jobs<'c> {
    walk: drive::Jobs<'c, Client>,
    #[cfg(feature = "tracing")]
    span: pinecone_restore_tracing::Span,
}

impl Jobs<'_> {
    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.walk.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.walk.resume_token()
    }

    /// The token a new walk could resume from after this one ended in `error`, when that may
    /// go otherwise (core decides; see [`Walk::resume_after`](pinecone_restore_core::Walk::resume_after)).
    pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        self.walk.resume_after(error)
    }

    /// Jobs left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.walk.duplicates_skipped()
    }

    /// Jobs fetched and not yet handed out. At 0 the next one needs the network (or the walk
    /// is over): a caller holding output back flushes it then, before the wait.
    pub fn in_hand(&self) -> usize {
        self.walk.in_hand()
    }

    /// The page size of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.walk.limit()
    }

    /// Core's walk itself, for anything the accessors above do not say.
    pub fn walk(&self) -> &pinecone_restore_core::Walk {
        self.walk.walk()
    }
}

impl Iterator for Jobs<'_> {
    type Item = Result<RestoreJob, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        #[cfg(feature = "tracing")]
        let _entered = self.span.enter();
        self.walk.next()
    }
}

/// Every backup of a listing across all pages, from [`Client::list_all_backups`] (the
/// project's) or [`Client::list_all_index_backups`] (one index's): core's walk as an iterator,
/// each `backup_id` once, one page fetched at a time as it is advanced. With the `tracing`
/// feature, every page it fetches is inside one span.
#[derive(Debug)]
pub struct Backups<'c, L: Listing<Item = Backup> = ProjectBackups> {
    walk: drive::Items<'c, Client, L>,
    #[cfg(feature = "tracing")]
    span: pinecone_restore_tracing::Span,
}

impl<L: Listing<Item = Backup>> Backups<'_, L> {
    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.walk.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.walk.resume_token()
    }

    /// The token a new walk could resume from after this one ended in `error`, when that may
    /// go otherwise (core decides; see [`Walk::resume_after`](pinecone_restore_core::Walk::resume_after)).
    pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        self.walk.resume_after(error)
    }

    /// Backups left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.walk.duplicates_skipped()
    }

    /// Backups fetched and not yet handed out. At 0 the next one needs the network (or the walk
    /// is over): a caller holding output back flushes it then, before the wait.
    pub fn in_hand(&self) -> usize {
        self.walk.in_hand()
    }

    /// The page size of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.walk.limit()
    }
}

impl<L: Listing<Item = Backup>> Iterator for Backups<'_, L> {
    type Item = Result<Backup, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        #[cfg(feature = "tracing")]
        let _entered = self.span.enter();
        self.walk.next()
    }
}

/// A blocking client for Pinecone restore jobs.
///
/// It holds one [`ureq::Agent`], so every call (and every page of a walk) reuses one kept-alive
/// connection. Redirects are never followed (a 3xx is an API error and the key never goes to
/// another host); 4xx and 5xx answers are handed to core, which turns them into typed errors.
/// Core's operations decide every retry, wait and bound; the client sends and sleeps.
///
/// `Client` is `Send + Sync`; share it by reference. Its `Debug` never shows the API key.
///
/// ```
/// use pinecone_restore_ureq::{ApiKey, Client, Limit};
/// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
///
/// let client = Client::builder(ApiKey::new("my-api-key")?)
///     .base_url(server.base_url()) // http://127.0.0.1:PORT
///     .build()?;
/// let page = client.list_page(Some(Limit::new(2)?), None)?;
/// assert_eq!(page.jobs.len(), 2);
/// assert!(page.next.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Cloning is cheap and the clones share one connection pool and one jitter source, as the
/// async client's do: hand a clone to each thread.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    config: Config,
    jitter: Arc<Jitter>,
    observer: Option<Observer>,
}

/// What [`Client::on_event`] calls.
type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// The span of operation `op`, with the `tracing` feature; nothing without it.
macro_rules! operation_span {
    ($op:literal) => {
        #[cfg(feature = "tracing")]
        let _span = pinecone_restore_tracing::operation($op).entered();
    };
}

impl Client {
    /// A builder with core's defaults (see [`ConfigBuilder`]) and proxies from the
    /// environment.
    pub fn builder(api_key: ApiKey) -> ClientBuilder {
        ClientBuilder::from(Config::builder(api_key))
    }

    /// A client configured from the environment by core's [`ConfigBuilder::from_env`]: the API
    /// key from `PINECONE_API_KEY` (required), the control plane from
    /// `PINECONE_CONTROLLER_HOST` (optional; a bare host means `https://`).
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] when `PINECONE_API_KEY` is unset, empty or not
    /// header-safe (never quoted), or the host is refused.
    ///
    /// ```no_run
    /// use pinecone_restore_ureq::Client;
    ///
    /// let client = Client::from_env()?;
    /// for job in client.list_all(None) {
    ///     println!("{}", job?.restore_job_id());
    /// }
    /// # Ok::<(), pinecone_restore_ureq::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from(ConfigBuilder::from_env(|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })?)
        .build()
    }

    /// A client for a configuration built elsewhere.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] for a proxy URL ureq does not take (never quoted: it may
    /// hold credentials), a CA certificate file that cannot be read or holds no valid
    /// certificate (named, its content never quoted), or a system store without certificates.
    pub fn new(config: Config) -> Result<Client, Error> {
        let proxy = match config.proxy() {
            ProxyRoute::Url(url) => Some(ureq::Proxy::new(url).map_err(|_| {
                InvalidArgument::new(
                    "proxy",
                    "expected a URL such as `http://proxy:3128` or `socks5://proxy:1080`",
                )
            })?),
            ProxyRoute::FromEnvironment => ureq::Proxy::try_from_env(),
            _ => None,
        };
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout()))
            .timeout_global(Some(config.request_timeout()))
            .proxy(proxy)
            .tls_config(tls_config(&config)?)
            .build();
        Ok(Client {
            agent: ureq::Agent::with_parts(
                agent_config,
                ureq::unversioned::transport::DefaultConnector::default(),
                CachingResolver::default(),
            ),
            jitter: Arc::new(config.jitter(SystemTime::now(), std::process::id())),
            config,
            observer: None,
        })
    }

    /// This client, calling `observer` with every decision core makes along the way: each
    /// attempt and what follows it (a retry and why, giving up at a bound), each page of a
    /// walk, each poll of a wait, each step of a start's recovery. Every text in an event is
    /// already scrubbed of the key and bounded; [`Event`]'s `Display` is one line for a person.
    /// (With the `tracing` feature the same events also go to `tracing`.)
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use pinecone_restore_ureq::{ApiKey, Client};
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
    ///
    /// let lines = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&lines);
    /// let client = Client::builder(ApiKey::new("k")?)
    ///     .base_url(server.base_url())
    ///     .build()?
    ///     .on_event(move |event| sink.lock().unwrap().push(event.to_string()));
    /// client.list_page(None, None)?;
    /// assert!(lines.lock().unwrap()[0].starts_with("GET /restore-jobs → 200 in "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_event(mut self, observer: impl Fn(&Event) + Send + Sync + 'static) -> Client {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The core configuration: base URL, API version, limits, retry policy.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One page of restore jobs. `limit` of `None` leaves the page size to the server;
    /// `token` is a `pagination.next` from an earlier page, or `None` for the first page.
    ///
    /// # Errors
    ///
    /// An API error for an error status (400 for a bad token, 401, …) after any retries; an
    /// invalid response for a body core refuses; a transport error.
    ///
    /// ```
    /// # use pinecone_restore_ureq::{ApiKey, Client, Limit};
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
    /// # let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let first = client.list_page(Some(Limit::new(2)?), None)?;
    /// let second = client.list_page(Some(Limit::new(2)?), first.next.as_ref())?;
    /// assert_eq!(second.jobs.len(), 1);
    /// assert!(second.next.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<ListPage, Error> {
        operation_span!("list_page");
        drive::run(
            self,
            &mut self.config.list_page(limit, token),
            |never| match never {},
        )
    }

    /// Every restore job across all pages, each `restore_job_id` once (pages may overlap),
    /// fetched one page at a time as the iterator advances, within core's bounds (loop, no
    /// progress, page cap).
    ///
    /// ```
    /// # use pinecone_restore_ureq::{ApiKey, Client, Limit};
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
    /// # let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let jobs = client
    ///     .list_all(Some(Limit::new(2)?))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(jobs.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_all(&self, limit: Option<Limit>) -> Jobs<'_> {
        self.list_all_from(limit, None)
    }

    /// As [`Client::list_all`], starting at the page of `token` (`None`: the first page):
    /// after a walk failed, [`Jobs::resume_token`] is where a new one picks up.
    ///
    /// ```
    /// # use pinecone_restore_ureq::{ApiKey, Client, Limit};
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(5).start()?;
    /// # let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let limit = Some(Limit::new(2)?);
    /// let first = client.list_page(limit, None)?;
    /// let rest = client
    ///     .list_all_from(limit, first.next.as_ref())
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(first.jobs.len() + rest.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_all_from(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Jobs<'_> {
        Jobs {
            walk: drive::Jobs::new(
                self,
                &self.config,
                pinecone_restore_core::RestoreJobs,
                limit,
                token,
            ),
            #[cfg(feature = "tracing")]
            span: pinecone_restore_tracing::operation("list_all"),
        }
    }

    /// One restore job.
    ///
    /// # Errors
    ///
    /// An API error (404 `NOT_FOUND` for an unknown id) after any retries; an invalid
    /// response; a transport error.
    ///
    /// ```
    /// # use pinecone_restore_ureq::{ApiKey, Client, JobId};
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
    /// # let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let err = client.describe(&JobId::new("no-such-job")?).unwrap_err();
    /// assert_eq!(err.status(), Some(404));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe(&self, id: &JobId) -> Result<RestoreJob, Error> {
        operation_span!("describe");
        drive::run(self, &mut self.config.describe(id), |never| match never {})
    }

    /// Describes job `id` every `options.interval` until it finishes, its 404s run past
    /// `options.not_found_tolerance`, or `options.timeout` passes; every describe, its
    /// timeout and retries included, fits in that timeout. `on_snapshot` sees every snapshot
    /// described, the last one included, so a caller can draw progress.
    ///
    /// # Errors
    ///
    /// The first error core does not tolerate (a 404 only after the tolerated ones, any other
    /// API error after retries, a transport error left after retries). A job that ends
    /// `Failed` or `Cancelled` is not an error: it is [`WaitOutcome::Ended`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
    /// use pinecone_restore_ureq::{ApiKey, Client, JobId, WaitOptions, WaitOutcome};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .job(FakeJob::progressing("r-1", 3, Ending::Completed))
    ///     .start()?;
    /// let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let options = WaitOptions::default().interval(Duration::from_millis(10));
    /// let mut seen = Vec::new();
    /// let outcome = client.wait(&JobId::new("r-1")?, &options, |job| {
    ///     seen.push(job.status().as_str().to_owned());
    /// })?;
    /// assert!(matches!(outcome, WaitOutcome::Completed(_)));
    /// assert_eq!(seen, ["Pending", "Pending", "Completed"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait(
        &self,
        id: &JobId,
        options: &WaitOptions,
        mut on_snapshot: impl FnMut(&RestoreJob),
    ) -> Result<WaitOutcome, Error> {
        operation_span!("wait");
        drive::run(self, &mut self.config.wait(id, options), |job| {
            on_snapshot(&job)
        })
    }

    /// Follows every job of `ids` at once until each has finished, failed to be followed, or
    /// `options.timeout` has passed: one deadline for all of them, counted from the start,
    /// every describe of every job (its timeout and retries included) within it. Each job is
    /// polled as [`Client::wait`] polls it, one request at a time over this client's one
    /// connection. `on_snapshot` sees every snapshot with the job's index in `ids`.
    ///
    /// Gives each job's end, in the order of `ids`: its [`WaitOutcome`], or the error that
    /// ended its wait (as [`Client::wait`] would have returned it). One job's error does not
    /// stop the others. With a timeout of zero, each job is checked once (one describe each,
    /// each within the request timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
    /// use pinecone_restore_ureq::{ApiKey, Client, JobId, WaitOptions, WaitOutcome};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .job(FakeJob::progressing("r-1", 2, Ending::Completed))
    ///     .job(FakeJob::progressing("r-2", 3, Ending::Failed))
    ///     .start()?;
    /// let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let options = WaitOptions::default().interval(Duration::from_millis(10));
    /// let ids = [JobId::new("r-1")?, JobId::new("r-2")?];
    /// let mut snapshots = [0, 0];
    /// let ends = client.wait_all(&ids, &options, |index, _job| snapshots[index] += 1);
    /// assert!(matches!(ends[0], Ok(WaitOutcome::Completed(_))));
    /// assert!(matches!(ends[1], Ok(WaitOutcome::Ended(_))));
    /// assert_eq!(snapshots, [2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait_all(
        &self,
        ids: &[JobId],
        options: &WaitOptions,
        mut on_snapshot: impl FnMut(usize, &RestoreJob),
    ) -> Vec<WaitEnd> {
        operation_span!("wait_all");
        let mut wait = self.config.wait_all(ids, options);
        let ended = drive::run(self, &mut wait, |s| on_snapshot(s.index, &s.job));
        // core's WaitAll ends every time with one end per job; should it ever fail as a
        // whole, that error is every job's end, so no job goes unreported
        ended.unwrap_or_else(|e| vec![Err(e); ids.len()])
    }

    /// Starts restoring `backup` into a new index, safe to retry: core's [`Start`] retries only
    /// where the request surely did not take effect, and after an ambiguous failure resolves a
    /// 409 by finding its own restore job
    /// ([`StartedRestore::recovered`]): one created while its attempts were in flight, by the
    /// server's clock as its `Date` headers show it. To learn which job was found but not
    /// claimed, drive the [`Start`] with [`Client::run`] and read [`Start::unclaimed`].
    ///
    /// [`Start`]: pinecone_restore_core::Start
    /// [`Start::unclaimed`]: pinecone_restore_core::Start::unclaimed
    ///
    /// # Errors
    ///
    /// An API error (400, 401, 402, 403, 404 for an unknown backup, 409 for a name taken by
    /// someone else, 412 for a backup not `Ready`, 422, …); an invalid response; a transport
    /// error left after retries when no restore of ours could be found.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// use pinecone_restore_ureq::{ApiKey, BackupId, Client, CreateIndexFromBackup, IndexName};
    ///
    /// let server = FakeControlPlane::builder().backup(FakeBackup::ready("bkp-1")).start()?;
    /// let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let request = CreateIndexFromBackup::new(IndexName::new("restored")?);
    /// let started = client.create_index_from_backup(&BackupId::new("bkp-1")?, &request)?;
    /// assert!(!started.recovered());
    /// let again = client.create_index_from_backup(&BackupId::new("bkp-1")?, &request);
    /// assert_eq!(again.unwrap_err().status(), Some(409));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_index_from_backup(
        &self,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Result<StartedRestore, Error> {
        operation_span!("create_index_from_backup");
        let mut start = self.config.create_index_from_backup(backup, request);
        drive::run(self, &mut start, |never| match never {})
    }

    /// One page of the project's backups (`GET /backups`). `limit` of `None` leaves the page
    /// size to the server; `token` is a `pagination.next` from an earlier page, or `None`.
    ///
    /// # Errors
    ///
    /// An API error for an error status after any retries; an invalid response for a body core
    /// refuses; a transport error.
    ///
    /// ```
    /// use pinecone_restore_ureq::Limit;
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_ureq::Client::builder(pinecone_restore_ureq::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    ///
    /// let page = client.list_backups(Some(Limit::new(2)?), None)?;
    /// for backup in &page.backups {
    ///     println!("{} {} {}", backup.backup_id(), backup.source_index_name(), backup.status());
    /// }
    /// assert_eq!(page.backups.len(), 2);
    /// assert!(page.next.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_backups(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        operation_span!("list_backups");
        let mut call = self.config.list_backups_page(limit, token);
        drive::run(self, &mut call, |never| match never {})
    }

    /// Every backup of the project across all pages, each `backup_id` once, fetched one page at
    /// a time as the iterator advances, within core's bounds (loop, no progress, page cap).
    ///
    /// ```
    /// # use pinecone_restore_ureq::Limit;
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_ureq::Client::builder(pinecone_restore_ureq::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    /// let mut ids = Vec::new();
    /// for backup in client.list_all_backups(Some(Limit::new(2)?)) {
    ///     ids.push(backup?.backup_id().to_owned());
    /// }
    /// assert_eq!(ids, ["bkp-1", "bkp-2", "bkp-3"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_all_backups(&self, limit: Option<Limit>) -> Backups<'_, ProjectBackups> {
        Backups {
            walk: drive::Items::new(self, &self.config, ProjectBackups, limit, None),
            #[cfg(feature = "tracing")]
            span: pinecone_restore_tracing::operation("list_all_backups"),
        }
    }

    /// One page of one index's backups (`GET /indexes/{index_name}/backups`).
    ///
    /// # Errors
    ///
    /// An invalid argument, before anything is sent, when `listing` asks for
    /// `include_deleted` and the configured API version is older than 2026-07; an API error
    /// (404 with the server's message for an unknown index) after any retries; an invalid
    /// response; a transport error.
    ///
    /// ```
    /// use pinecone_restore_ureq::{IndexBackups, IndexName};
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_ureq::Client::builder(pinecone_restore_ureq::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    ///
    /// let listing = IndexBackups::new(IndexName::new("my-index")?);
    /// let page = client.list_index_backups(&listing, None, None)?;
    /// assert_eq!(page.backups.len(), 3);
    /// let unknown = IndexBackups::new(IndexName::new("no-such-index")?);
    /// let err = client.list_index_backups(&unknown, None, None).unwrap_err();
    /// assert_eq!(err.status(), Some(404));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_index_backups(
        &self,
        listing: &IndexBackups,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        operation_span!("list_index_backups");
        let mut call = self.config.list_index_backups_page(listing, limit, token)?;
        drive::run(self, &mut call, |never| match never {})
    }

    /// Every backup of one index across all pages, each `backup_id` once. A `listing` the
    /// configured version cannot ask for ends the walk with an invalid argument as its first
    /// item, before anything is sent.
    pub fn list_all_index_backups(
        &self,
        listing: IndexBackups,
        limit: Option<Limit>,
    ) -> Backups<'_, IndexBackups> {
        Backups {
            walk: drive::Items::new(self, &self.config, listing, limit, None),
            #[cfg(feature = "tracing")]
            span: pinecone_restore_tracing::operation("list_all_index_backups"),
        }
    }

    /// One backup (`GET /backups/{backup_id}`).
    ///
    /// # Errors
    ///
    /// An API error (404 for an unknown id) after any retries; an invalid response; a
    /// transport error.
    ///
    /// ```
    /// use pinecone_restore_ureq::{BackupId, BackupStatus};
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_ureq::Client::builder(pinecone_restore_ureq::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    ///
    /// let backup = client.describe_backup(&BackupId::new("bkp-3")?)?;
    /// assert_eq!(backup.status(), &BackupStatus::Initializing);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe_backup(&self, id: &BackupId) -> Result<Backup, Error> {
        operation_span!("describe_backup");
        drive::run(
            self,
            &mut self.config.describe_backup(id),
            |never| match never {},
        )
    }

    /// The newest `Ready` backup of `index`, the one a restore "from the latest" starts from:
    /// every page of the index's backups (100 a page), picked by core's
    /// [`newest_ready`](pinecone_restore_core::newest_ready) (latest `created_at`; see there for
    /// ties and undated backups). `None` when the index has no `Ready` backup.
    ///
    /// # Errors
    ///
    /// The walk's: an API error (404 with the server's message for an unknown index), an
    /// invalid response, a transport error, a walk bound.
    ///
    /// ```
    /// use pinecone_restore_ureq::IndexName;
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_ureq::Client::builder(pinecone_restore_ureq::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    ///
    /// // bkp-3 is newer but still Initializing
    /// let newest = client.newest_ready_backup(&IndexName::new("my-index")?)?;
    /// assert_eq!(newest.map(|b| b.backup_id().to_owned()).as_deref(), Some("bkp-2"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn newest_ready_backup(&self, index: &IndexName) -> Result<Option<Backup>, Error> {
        operation_span!("newest_ready_backup");
        let listing = IndexBackups::new(index.clone());
        let backups = self
            .list_all_index_backups(listing, Some(Limit::MAX))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(pinecone_restore_core::newest_ready(&backups).cloned())
    }

    /// Drives any core operation to its end, handing each item to `on_item`.
    ///
    /// # Errors
    ///
    /// The operation's error.
    pub fn run<O: Operation>(
        &self,
        op: &mut O,
        on_item: impl FnMut(O::Item),
    ) -> Result<O::Output, Error> {
        operation_span!("run");
        drive::run(self, op, on_item)
    }
    fn execute<B: ureq::AsSendBody>(
        &self,
        request: Result<ureq::http::Request<B>, ureq::http::Error>,
        attempt: &Attempt,
    ) -> Result<ureq::http::Response<ureq::Body>, TransportError> {
        let request = request.map_err(|e| failure(e.into(), Phase::Send))?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(attempt.timeout))
            .timeout_connect(Some(attempt.connect_timeout))
            .build();
        self.agent.run(request).map_err(|e| failure(e, Phase::Send))
    }
}

impl Transport for Client {
    /// One attempt: exactly the request core built, within its bounds.
    fn send(&self, attempt: &Attempt) -> Result<Reply, TransportError> {
        let request = &attempt.request;
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        // a GET has no body at all: not even `content-length: 0`
        let response = match &request.body {
            Some(body) => self.execute(builder.body(body.clone()), attempt),
            None => self.execute(builder.body(()), attempt),
        }?;
        let (head, mut body) = response.into_parts();
        // room for the announced length at once (a page is read without growing the buffer
        // five times over), never more than the cap or `PRESIZE_MAX` on a server's word
        let presize = body
            .content_length()
            .unwrap_or(0)
            .min(attempt.max_body_bytes)
            .min(PRESIZE_MAX);
        let mut bytes = Vec::with_capacity(usize::try_from(presize).unwrap_or(0));
        body.with_config()
            .limit(attempt.max_body_bytes)
            .reader()
            .read_to_end(&mut bytes)
            // as `read_to_vec` does: ureq's own error comes back out of the `io::Error`
            .map_err(|e| failure(ureq::Error::from(e), Phase::Body))?;
        let body = bytes;
        let headers = head
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        Ok(Reply {
            status: head.status.as_u16(),
            headers,
            body,
        })
    }

    fn sleep(&self, delay: Duration) {
        std::thread::sleep(delay);
    }

    fn now(&self) -> Now {
        Now {
            instant: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    fn random(&self) -> u64 {
        self.jitter.next_u64()
    }

    fn listens(&self) -> bool {
        #[cfg(feature = "tracing")]
        if pinecone_restore_tracing::listening() {
            return true;
        }
        self.observer.is_some()
    }

    fn event(&self, event: Event) {
        #[cfg(feature = "tracing")]
        pinecone_restore_tracing::emit(&event);
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config) // core redacts the key, header values and proxy
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`] with core's settings (the same in every adapter);
/// [`ClientBuilder::build`] checks them all.
#[derive(Debug)]
pub struct ClientBuilder {
    config: ConfigBuilder,
}

impl From<ConfigBuilder> for ClientBuilder {
    fn from(config: ConfigBuilder) -> ClientBuilder {
        ClientBuilder { config }
    }
}

impl ClientBuilder {
    pinecone_restore_core::config_setters!();

    /// Checks every setting and builds the [`Client`] and its agent.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] for what core's [`ConfigBuilder::build`] refuses (a bad
    /// base URL, plain `http://` to a remote host, a header that is not header-safe, a zero
    /// timeout, too many retries), and for a proxy URL that does not parse (never quoted: it
    /// may hold credentials).
    ///
    /// ```
    /// use pinecone_restore_ureq::{ApiKey, Client};
    ///
    /// let err = Client::builder(ApiKey::new("k")?)
    ///     .base_url("http://example.com")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(err.is_invalid_argument());
    /// # Ok::<(), pinecone_restore_ureq::Error>(())
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        Client::new(self.config.build()?)
    }
}

/// rustls (ureq's default provider) with the roots the configuration names.
fn tls_config(config: &Config) -> Result<ureq::tls::TlsConfig, Error> {
    Ok(ureq::tls::TlsConfig::builder()
        .root_certs(crate::roots::root_certs(config)?)
        .build())
}
