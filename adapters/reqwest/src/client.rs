//! The async client: one pooled reqwest client that sends what core's operations say and
//! sleeps (`tokio::time::sleep`) when they say; every decision is core's.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use futures_core::Stream;
use pinecone_restore_core::drive::{self, AsyncItems, AsyncJobs, AsyncTransport, Reply};
use pinecone_restore_core::event::Event;
use pinecone_restore_core::{
    ApiKey, Attempt, Backup, BackupId, BackupPage, Config, ConfigBuilder, CreateIndexFromBackup,
    Error, IndexBackups, IndexName, InvalidArgument, Jitter, JobId, Limit, ListPage, Listing, Now,
    Operation, PaginationToken, ProjectBackups, ProxyRoute, RestoreJob, StartedRestore,
    TransportError, TransportKind, WaitEnd, WaitOptions, WaitOutcome,
};

use crate::transport::failure;

/// An async client for Pinecone restore jobs, on tokio.
///
/// It holds one pooled [`reqwest::Client`]: cloning is cheap and clones share the pool, and it
/// is `Send + Sync`. Redirects are never followed (a 3xx is an API error and the key never goes
/// to another host); 4xx and 5xx answers are handed to core. Core's operations decide every
/// retry, wait and bound; the client sends, sleeps and streams. Its `Debug` never shows the key.
///
/// ```
/// use pinecone_restore_reqwest::{ApiKey, Client, Limit};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
///
/// let client = Client::builder(ApiKey::new("my-api-key")?)
///     .base_url(server.base_url()) // http://127.0.0.1:PORT
///     .build()?;
/// let page = client.list_page(Some(Limit::new(2)?), None).await?;
/// assert_eq!(page.jobs.len(), 2);
/// assert!(page.next.is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
    jitter: Arc<Jitter>,
    observer: Option<Observer>,
}

/// What [`Client::on_event`] calls.
type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// Runs `future` inside the span of operation `op`, with the `tracing` feature.
async fn in_span<F: Future>(op: &'static str, future: F) -> F::Output {
    #[cfg(feature = "tracing")]
    {
        use pinecone_restore_tracing::Instrument;
        future
            .instrument(pinecone_restore_tracing::operation(op))
            .await
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = op;
        future.await
    }
}

impl Client {
    /// A builder with core's defaults (see [`ConfigBuilder`]) and proxies from the
    /// environment.
    pub fn builder(api_key: ApiKey) -> ClientBuilder {
        ClientBuilder::from(pinecone_restore_core::Config::builder(api_key))
    }

    /// A client configured from the environment by core's [`ConfigBuilder::from_env`]: the API
    /// key from `PINECONE_API_KEY` (required), the control plane from
    /// `PINECONE_CONTROLLER_HOST` (optional; a bare host means `https://`).
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] when `PINECONE_API_KEY` is unset, empty or not
    /// header-safe (never quoted), or the host is refused.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from(ConfigBuilder::from_env(|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })?)
        .build()
    }

    /// The core configuration: base URL, API version, limits, retry policy.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One page of restore jobs; as the blocking adapter's `list_page`.
    ///
    /// # Errors
    ///
    /// An API error after any retries, an invalid response, a transport error.
    pub async fn list_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<ListPage, Error> {
        let mut call = self.config.list_page(limit, token);
        in_span(
            "list_page",
            drive::run_async(self, &mut call, |never| match never {}),
        )
        .await
    }

    /// Every restore job across all pages, each `restore_job_id` once, as a stream fetched one
    /// page at a time as it is polled.
    ///
    /// ```
    /// use futures_core::Stream;
    /// use pinecone_restore_reqwest::{ApiKey, Client, Limit};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pinecone_restore_fake::FakeControlPlane::builder().jobs(3).start()?;
    /// # let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let mut jobs = client.list_all(Some(Limit::new(2)?));
    /// let mut count = 0;
    /// while let Some(job) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut jobs).poll_next(cx)).await {
    ///     job?;
    ///     count += 1;
    /// }
    /// assert_eq!(count, 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_all(&self, limit: Option<Limit>) -> Jobs {
        self.list_all_from(limit, None)
    }

    /// As [`Client::list_all`], starting at the page of `token` (`None`: the first page).
    pub fn list_all_from(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Jobs {
        Jobs(
            AsyncJobs::new(
                self.clone(),
                &self.config,
                pinecone_restore_core::RestoreJobs,
                limit,
                token,
            ),
            #[cfg(feature = "tracing")]
            pinecone_restore_tracing::operation("list_all"),
        )
    }

    /// One restore job.
    ///
    /// # Errors
    ///
    /// An API error (404 for an unknown id) after any retries, an invalid response, a
    /// transport error.
    pub async fn describe(&self, id: &JobId) -> Result<RestoreJob, Error> {
        let mut call = self.config.describe(id);
        in_span(
            "describe",
            drive::run_async(self, &mut call, |n| match n {}),
        )
        .await
    }

    /// Describes job `id` every `options.interval` until it finishes or `options.timeout`
    /// passes (every describe fits in it); `on_snapshot` sees every snapshot. Dropping the
    /// future stops the wait: nothing is sent after the drop.
    ///
    /// # Errors
    ///
    /// As the blocking adapter's `wait`: the first error core does not tolerate. A job that
    /// ends `Failed` or `Cancelled` is [`WaitOutcome::Ended`], not an error.
    pub async fn wait(
        &self,
        id: &JobId,
        options: &WaitOptions,
        mut on_snapshot: impl FnMut(&RestoreJob),
    ) -> Result<WaitOutcome, Error> {
        let mut wait = self.config.wait(id, options);
        in_span(
            "wait",
            drive::run_async(self, &mut wait, |job| on_snapshot(&job)),
        )
        .await
    }

    /// Follows every job of `ids` at once, as the blocking adapter's `wait_all`: one deadline
    /// (`options.timeout`) for all of them, each job polled as [`Client::wait`] polls it, one
    /// request at a time, `on_snapshot` seeing every snapshot with the job's index in `ids`.
    /// Gives each job's end in the order of `ids`: its [`WaitOutcome`] or the error that
    /// ended its wait; one job's error does not stop the others. Dropping the future stops
    /// every wait: nothing is sent after the drop.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
    /// use pinecone_restore_reqwest::{ApiKey, Client, JobId, WaitOptions, WaitOutcome};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = FakeControlPlane::builder()
    ///     .job(FakeJob::progressing("r-1", 2, Ending::Completed))
    ///     .job(FakeJob::progressing("r-2", 1000, Ending::Completed))
    ///     .start()?;
    /// let client = Client::builder(ApiKey::new("k")?).base_url(server.base_url()).build()?;
    /// let options = WaitOptions::default()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Some(Duration::from_millis(200)));
    /// let ids = [JobId::new("r-1")?, JobId::new("r-2")?];
    /// let ends = client.wait_all(&ids, &options, |index, job| {
    ///     println!("[{index}] {}", job.status());
    /// }).await;
    /// assert!(matches!(ends[0], Ok(WaitOutcome::Completed(_))));
    /// assert!(matches!(ends[1], Ok(WaitOutcome::DeadlinePassed(Some(_)))));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_all(
        &self,
        ids: &[JobId],
        options: &WaitOptions,
        mut on_snapshot: impl FnMut(usize, &RestoreJob),
    ) -> Vec<WaitEnd> {
        let mut wait = self.config.wait_all(ids, options);
        let ended = in_span(
            "wait_all",
            drive::run_async(self, &mut wait, |s| on_snapshot(s.index, &s.job)),
        )
        .await;
        // core's WaitAll ends every time with one end per job; should it ever fail as a
        // whole, that error is every job's end, so no job goes unreported
        ended.unwrap_or_else(|e| vec![Err(e); ids.len()])
    }

    /// Starts restoring `backup` into a new index, safe to retry (core's
    /// [`Start`](pinecone_restore_core::Start)): after an ambiguous failure, a 409 is resolved
    /// by finding the restore job one of its attempts created, by the server's clock as its
    /// `Date` headers show it; a job that cannot be shown to be ours is never claimed.
    ///
    /// # Errors
    ///
    /// An API error (404, 409 for a name taken by someone else, 412, …), an invalid
    /// response, a transport error left after retries when no restore of ours could be found.
    pub async fn create_index_from_backup(
        &self,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Result<StartedRestore, Error> {
        let mut start = self.config.create_index_from_backup(backup, request);
        in_span(
            "create_index_from_backup",
            drive::run_async(self, &mut start, |n| match n {}),
        )
        .await
    }

    /// One page of the project's backups (`GET /backups`); as the blocking adapter's
    /// `list_backups`.
    ///
    /// # Errors
    ///
    /// An API error after any retries, an invalid response, a transport error.
    ///
    /// ```
    /// use pinecone_restore_reqwest::Limit;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_reqwest::Client::builder(pinecone_restore_reqwest::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    /// let page = client.list_backups(Some(Limit::new(10)?), None).await?;
    /// for backup in &page.backups {
    ///     println!("{} {}", backup.backup_id(), backup.status());
    /// }
    /// assert_eq!(page.backups.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_backups(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        let mut call = self.config.list_backups_page(limit, token);
        in_span(
            "list_backups",
            drive::run_async(self, &mut call, |never| match never {}),
        )
        .await
    }

    /// Every backup of the project across all pages, each `backup_id` once, as a stream
    /// fetched one page at a time as it is polled.
    pub fn list_all_backups(&self, limit: Option<Limit>) -> Backups<ProjectBackups> {
        Backups(
            AsyncItems::new(self.clone(), &self.config, ProjectBackups, limit, None),
            #[cfg(feature = "tracing")]
            pinecone_restore_tracing::operation("list_all_backups"),
        )
    }

    /// One page of one index's backups (`GET /indexes/{index_name}/backups`).
    ///
    /// # Errors
    ///
    /// An invalid argument, before anything is sent, when `listing` asks for
    /// `include_deleted` and the configured API version is older than 2026-07; an API error
    /// (404 with the server's message for an unknown index) after any retries; an invalid
    /// response; a transport error.
    pub async fn list_index_backups(
        &self,
        listing: &IndexBackups,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        let mut call = self.config.list_index_backups_page(listing, limit, token)?;
        in_span(
            "list_index_backups",
            drive::run_async(self, &mut call, |never| match never {}),
        )
        .await
    }

    /// Every backup of one index across all pages, each `backup_id` once, as a stream. A
    /// `listing` the configured version cannot ask for ends the stream with an invalid
    /// argument as its first item, before anything is sent.
    pub fn list_all_index_backups(
        &self,
        listing: IndexBackups,
        limit: Option<Limit>,
    ) -> Backups<IndexBackups> {
        Backups(
            AsyncItems::new(self.clone(), &self.config, listing, limit, None),
            #[cfg(feature = "tracing")]
            pinecone_restore_tracing::operation("list_all_index_backups"),
        )
    }

    /// One backup (`GET /backups/{backup_id}`).
    ///
    /// # Errors
    ///
    /// An API error (404 for an unknown id) after any retries, an invalid response, a
    /// transport error.
    pub async fn describe_backup(&self, id: &BackupId) -> Result<Backup, Error> {
        let mut call = self.config.describe_backup(id);
        in_span(
            "describe_backup",
            drive::run_async(self, &mut call, |n| match n {}),
        )
        .await
    }

    /// The newest `Ready` backup of `index` (every page, 100 a page, picked by core's
    /// [`newest_ready`](pinecone_restore_core::newest_ready)); `None` when it has none. As the
    /// blocking adapter's `newest_ready_backup`.
    ///
    /// # Errors
    ///
    /// The walk's: an API error (404 with the server's message for an unknown index), an
    /// invalid response, a transport error, a walk bound.
    ///
    /// ```
    /// use pinecone_restore_reqwest::IndexName;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    /// # let server = FakeControlPlane::builder()
    /// #     .backup(FakeBackup::ready("bkp-1").of_index("my-index").created("2025-06-01T00:00:00Z"))
    /// #     .backup(FakeBackup::ready("bkp-2").of_index("my-index").created("2025-06-02T00:00:00Z"))
    /// #     .backup(FakeBackup::not_ready("bkp-3").of_index("my-index").created("2025-06-03T00:00:00Z"))
    /// #     .start()?;
    /// # let client = pinecone_restore_reqwest::Client::builder(pinecone_restore_reqwest::ApiKey::new("k")?)
    /// #     .base_url(server.base_url())
    /// #     .build()?;
    /// // bkp-3 is newer but still Initializing
    /// let newest = client.newest_ready_backup(&IndexName::new("my-index")?).await?;
    /// assert_eq!(newest.map(|b| b.backup_id().to_owned()).as_deref(), Some("bkp-2"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn newest_ready_backup(&self, index: &IndexName) -> Result<Option<Backup>, Error> {
        let mut walk =
            self.list_all_index_backups(IndexBackups::new(index.clone()), Some(Limit::MAX));
        let mut backups = Vec::new();
        while let Some(backup) = std::future::poll_fn(|cx| Pin::new(&mut walk).poll_next(cx)).await
        {
            backups.push(backup?);
        }
        Ok(pinecone_restore_core::newest_ready(&backups).cloned())
    }

    /// Drives any core operation to its end, handing each item to `on_item`.
    ///
    /// # Errors
    ///
    /// The operation's error.
    pub async fn run<O: Operation>(
        &self,
        op: &mut O,
        on_item: impl FnMut(O::Item),
    ) -> Result<O::Output, Error> {
        in_span("run", drive::run_async(self, op, on_item)).await
    }

    /// This client, calling `observer` with every decision core makes along the way: each
    /// attempt and what follows it (a retry and why, giving up at a bound), each page of a
    /// walk, each poll of a wait, each step of a start's recovery. Every text in an event is
    /// already scrubbed of the key and bounded; [`Event`]'s `Display` is one line for a person.
    /// (With the `tracing` feature the same events also go to `tracing`.)
    pub fn on_event(mut self, observer: impl Fn(&Event) + Send + Sync + 'static) -> Client {
        self.observer = Some(Arc::new(observer));
        self
    }
}

impl AsyncTransport for Client {
    /// One attempt: exactly the request core built, within its timeout, the body capped as
    /// it streams in (after decompression).
    fn send(
        &self,
        attempt: Attempt,
    ) -> impl Future<Output = Result<Reply, TransportError>> + Send + 'static {
        let http = self.http.clone();
        async move {
            let request = attempt.request;
            let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
                .map_err(|e| TransportError::new(TransportKind::Other, Some(Box::new(e))))?;
            let mut builder = http.request(method, &request.url).timeout(attempt.timeout);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let mut response = builder.send().await.map_err(failure)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(failure)? {
                if (body.len() + chunk.len()) as u64 > attempt.max_body_bytes {
                    return Err(TransportError::new(TransportKind::BodyTooLarge, None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Reply {
                status,
                headers,
                body,
            })
        }
    }

    fn sleep(&self, delay: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(delay)
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

/// Every restore job across all pages, from [`Client::list_all`]: a
/// [`Stream`](futures_core::Stream) of jobs, each `restore_job_id` once, one page fetched at a
/// time as it is polled. Core's walk decides everything; dropping the stream drops the
/// request in flight, so nothing is sent after the drop. After an `Err` it ends.
///
/// With the `tracing` feature, every page it fetches is inside one `list_all` span.
#[derive(Debug)]
pub struct Jobs(
    AsyncJobs<Client>,
    #[cfg(feature = "tracing")] pinecone_restore_tracing::Span,
);

impl Jobs {
    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.0.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.0.resume_token()
    }

    /// The token a new walk could resume from after this one ended in `error`, when that may
    /// go otherwise (core decides; see [`Walk::resume_after`](pinecone_restore_core::Walk::resume_after)).
    pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        self.0.resume_after(error)
    }

    /// Jobs left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.0.duplicates_skipped()
    }

    /// Jobs fetched and not yet handed out. At 0 the next one needs the network (or the walk
    /// is over): a caller holding output back flushes it then, before the wait.
    pub fn in_hand(&self) -> usize {
        self.0.in_hand()
    }

    /// The page size of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.0.limit()
    }

    /// Core's walk itself, for anything the accessors above do not say.
    pub fn walk(&self) -> &pinecone_restore_core::Walk {
        self.0.walk()
    }
}

impl Stream for Jobs {
    type Item = Result<RestoreJob, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let jobs = self.get_mut();
        #[cfg(feature = "tracing")]
        let _entered = jobs.1.enter();
        jobs.0.poll_next_item(cx)
    }
}

/// Every backup of a listing across all pages, from [`Client::list_all_backups`] (the
/// project's) or [`Client::list_all_index_backups`] (one index's): a
/// [`Stream`](futures_core::Stream) of backups, each `backup_id` once, one page fetched at a
/// time as it is polled. Dropping it drops the request in flight. After an `Err` it ends.
#[derive(Debug)]
pub struct Backups<L: Listing<Item = Backup> = ProjectBackups>(
    AsyncItems<Client, L>,
    #[cfg(feature = "tracing")] pinecone_restore_tracing::Span,
);

impl<L: Listing<Item = Backup>> Backups<L> {
    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.0.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.0.resume_token()
    }

    /// The token a new walk could resume from after this one ended in `error`, when that may
    /// go otherwise (core decides; see [`Walk::resume_after`](pinecone_restore_core::Walk::resume_after)).
    pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        self.0.resume_after(error)
    }

    /// Backups left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.0.duplicates_skipped()
    }

    /// Backups fetched and not yet handed out. At 0 the next one needs the network (or the walk
    /// is over): a caller holding output back flushes it then, before the wait.
    pub fn in_hand(&self) -> usize {
        self.0.in_hand()
    }

    /// The page size of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.0.limit()
    }
}

impl<L: Listing<Item = Backup> + Unpin> Stream for Backups<L> {
    type Item = Result<Backup, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let backups = self.get_mut();
        #[cfg(feature = "tracing")]
        let _entered = backups.1.enter();
        backups.0.poll_next_item(cx)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config) // core redacts the key, header values and proxy
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`] with core's settings (the same in every adapter).
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

    /// Checks every setting and builds the [`Client`] and its connection pool.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] for what core's [`ConfigBuilder::build`] refuses, and for
    /// a proxy URL that does not parse (never quoted: it may hold credentials).
    pub fn build(self) -> Result<Client, Error> {
        Client::new(self.config.build()?)
    }
}

impl Client {
    /// A client for a configuration built elsewhere.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] for a proxy URL reqwest does not take, a CA certificate
    /// file that cannot be read or holds no valid certificate (named, its content never
    /// quoted), a system store without certificates, or if the HTTP client cannot be set up.
    pub fn new(config: Config) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout())
            // each read must make progress; the attempt's own timeout bounds a drip-feed
            .read_timeout(config.request_timeout())
            .dns_resolver(Arc::new(crate::transport::Resolver))
            .tls_backend_preconfigured(tls(&config)?);
        let http = match config.proxy() {
            ProxyRoute::Url(url) => http.proxy(reqwest::Proxy::all(url).map_err(|_| bad_proxy())?),
            ProxyRoute::FromEnvironment => http,
            _ => http.no_proxy(),
        };
        let http = http.build().map_err(|e| {
            InvalidArgument::new(
                "HTTP client",
                format!(
                    "cannot be set up: {}",
                    pinecone_restore_core::text::quote(&e.to_string(), config.secrets())
                ),
            )
        })?;
        Ok(Client {
            http,
            jitter: Arc::new(config.jitter(SystemTime::now(), std::process::id())),
            config,
            observer: None,
        })
    }
}

fn bad_proxy() -> Error {
    InvalidArgument::new(
        "proxy",
        "expected a URL such as `http://proxy:3128` or `socks5://proxy:1080`",
    )
    .into()
}

/// rustls with the ring provider and the roots the configuration names (as the blocking
/// adapter), HTTP/1.1.
fn tls(config: &Config) -> Result<rustls::ClientConfig, Error> {
    let roots = crate::roots::root_store(config)?;
    let mut tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| InvalidArgument::new("TLS", format!("cannot be set up: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}
