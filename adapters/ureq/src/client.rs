//! The blocking client: one ureq agent that runs core's requests, retries and decisions.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core as core;
use pinecone_restore_core::{
    ApiKey, Config, ConfigBuilder, Failure, JobId, Limit, ListPage, Pager, Request, Response,
    RestoreJob, Retry, RetryDecision, RetryPolicy, WaitStep, Waiter, is_retryable_status,
};

use crate::error::{Error, Phase, TransportError, invalid_setting};
use crate::jobs::Jobs;
use crate::resolve::CachingResolver;
use crate::rng::SplitMix64;
use crate::wait::{WaitOptions, WaitOutcome};

/// The environment variable [`Client::from_env`] reads the API key from (required).
pub const ENV_API_KEY: &str = "PINECONE_API_KEY";
/// The environment variable [`Client::from_env`] reads the base URL from (optional; the
/// production control plane when unset or empty).
pub const ENV_HOST: &str = "PINECONE_CONTROLLER_HOST";

/// Default [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`ClientBuilder::request_timeout`].
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`ClientBuilder::max_body_bytes`]: 8 MiB, about 30 times the largest page.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// A blocking client for Pinecone restore jobs.
///
/// It holds one [`ureq::Agent`], so every call (and every page of a walk) reuses one kept-alive
/// connection. Redirects are never followed (a 3xx is an API error and the key never goes to
/// another host); 4xx and 5xx answers are handed to core, which turns them into typed errors.
/// Every call retries as its [`RetryPolicy`] allows, sleeping between attempts.
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
pub struct Client {
    agent: ureq::Agent,
    config: Config,
    retry_policy: RetryPolicy,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: u64,
    proxy_configured: bool,
    rng: SplitMix64,
}

impl Client {
    /// A builder with the defaults: the production base URL, a 10 s connect timeout, a 30 s
    /// request timeout, an 8 MiB body cap, [`RetryPolicy::default`], proxies from the
    /// environment.
    pub fn builder(api_key: ApiKey) -> ClientBuilder {
        ClientBuilder {
            config: Config::builder(api_key),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry_policy: RetryPolicy::default(),
            proxy: None,
            rng_seed: None,
        }
    }

    /// A client configured from the environment: the API key from `PINECONE_API_KEY`
    /// (required) and the base URL from `PINECONE_CONTROLLER_HOST` (optional; a value without
    /// `://` gets `https://` in front). Everything else has its default.
    ///
    /// # Errors
    ///
    /// As [`Client::from_env_vars`].
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
        Client::from_env_vars(|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })
    }

    /// As [`Client::from_env`], with the variables read through `lookup` (for tests, or a
    /// configuration source of your own).
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error::Core`] when `PINECONE_API_KEY` is unset, empty or not
    /// header-safe, or the base URL is refused (see [`ClientBuilder::build`]). The key is never
    /// quoted.
    ///
    /// ```
    /// use pinecone_restore_ureq::Client;
    ///
    /// let client = Client::from_env_vars(|name| match name {
    ///     "PINECONE_API_KEY" => Some("my-api-key".to_owned()),
    ///     "PINECONE_CONTROLLER_HOST" => Some("http://127.0.0.1:8080".to_owned()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(client.config().base_url().to_string(), "http://127.0.0.1:8080");
    ///
    /// let err = Client::from_env_vars(|_| None).unwrap_err();
    /// assert!(err.is_invalid_argument());
    /// # Ok::<(), pinecone_restore_ureq::Error>(())
    /// ```
    pub fn from_env_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Client, Error> {
        let key = lookup(ENV_API_KEY)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                invalid_setting(ENV_API_KEY, "expected an API key, found nothing (set it)")
            })?;
        let mut builder = Client::builder(ApiKey::new(key)?);
        if let Some(host) = lookup(ENV_HOST).filter(|h| !h.trim().is_empty()) {
            let host = host.trim();
            builder = if host.contains("://") {
                builder.base_url(host)
            } else {
                builder.base_url(format!("https://{host}"))
            };
        }
        builder.build()
    }

    /// The core configuration: base URL, API version, `User-Agent`, extra headers.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One page of restore jobs. `limit` of `None` leaves the page size to the server (10);
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
    /// let second = client.list_page(Some(Limit::new(2)?), first.next.as_deref())?;
    /// assert_eq!(second.jobs.len(), 1);
    /// assert!(second.next.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_page(&self, limit: Option<Limit>, token: Option<&str>) -> Result<ListPage, Error> {
        let request = self.config.list_request(limit, token);
        self.execute(&request, |response| response.list_page())
    }

    /// Every restore job across all pages, each `restore_job_id` once (pages may overlap),
    /// fetched one page at a time as the iterator advances. `limit` stays the same for the
    /// whole walk. A repeated pagination token ends the walk with an invalid-response error.
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
    ///     .list_all_from(limit, first.next.as_deref())
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(first.jobs.len() + rest.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_all_from(&self, limit: Option<Limit>, token: Option<&str>) -> Jobs<'_> {
        let pager = match token {
            Some(token) => Pager::new(limit).starting_at(token),
            None => Pager::new(limit),
        };
        Jobs::new(self, pager)
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
        let request = self.config.describe_request(id);
        self.execute(&request, |response| response.job())
    }

    /// Describes job `id` every `options.interval` until it finishes, its 404s run past
    /// `options.not_found_tolerance`, or `options.timeout` passes. `on_snapshot` sees every
    /// snapshot described, the last one included, so a caller can draw progress.
    ///
    /// # Errors
    ///
    /// The first error core does not tolerate (a 404 only after the tolerated ones, any other
    /// API error after retries) and any transport error left after retries. A job that ends
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
    /// let options = WaitOptions { interval: Duration::from_millis(10), ..WaitOptions::default() };
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
        let mut waiter = Waiter::new(Instant::now(), options.timeout)
            .with_interval(options.interval)
            .with_not_found_tolerance(options.not_found_tolerance);
        loop {
            let outcome = match self.describe(id) {
                Ok(job) => {
                    on_snapshot(&job);
                    Ok(job)
                }
                Err(Error::Core(e)) => Err(e),
                Err(other) => return Err(other),
            };
            match waiter.observe(outcome, Instant::now()) {
                WaitStep::PollAfter(delay) => std::thread::sleep(delay),
                WaitStep::Completed(job) => return Ok(WaitOutcome::Completed(job)),
                WaitStep::Ended(job) => return Ok(WaitOutcome::Ended(job)),
                WaitStep::DeadlinePassed(last) => return Ok(WaitOutcome::DeadlinePassed(last)),
                WaitStep::Failed(e) => return Err(e.into()),
                // a step this version does not know: stop rather than poll without end
                _ => return Ok(WaitOutcome::DeadlinePassed(waiter.last().cloned())),
            }
        }
    }

    /// Sends `request`, retrying as core's [`Retry`] decides, and hands the final response to
    /// `handle`.
    pub(crate) fn execute<T>(
        &self,
        request: &Request,
        handle: impl FnOnce(&Response<'_>) -> Result<T, core::Error>,
    ) -> Result<T, Error> {
        let mut retry = Retry::new(self.retry_policy.clone());
        loop {
            match self.send(request) {
                Ok(raw) => {
                    let headers: Vec<(&str, &[u8])> = raw
                        .head
                        .headers
                        .iter()
                        .map(|(name, value)| (name.as_str(), value.as_bytes()))
                        .collect();
                    let response = Response {
                        status: raw.head.status.as_u16(),
                        headers: &headers,
                        body: &raw.body,
                    };
                    if is_retryable_status(response.status) {
                        let failure = Failure::Status(&response);
                        if let RetryDecision::RetryAfter(delay) =
                            retry.next(failure, SystemTime::now(), self.rng.next_u64())
                        {
                            std::thread::sleep(delay);
                            continue;
                        }
                    }
                    // A server that echoes the key must not get it into our errors.
                    let key = self.config.api_key().expose_secret();
                    return handle(&response).map_err(|e| Error::Core(e.redact(key)));
                }
                Err(error) => {
                    let failure = Failure::Transport(error.retry_class());
                    match retry.next(failure, SystemTime::now(), self.rng.next_u64()) {
                        RetryDecision::RetryAfter(delay) => std::thread::sleep(delay),
                        RetryDecision::GiveUp => return Err(Error::Transport(error)),
                    }
                }
            }
        }
    }

    /// One exchange: the request as core built it, the response head and a capped body.
    fn send(&self, request: &Request) -> Result<RawResponse, TransportError> {
        let server = self.config.base_url();
        let transport = |e, phase| TransportError::from_ureq(e, phase, server, self.max_body_bytes);
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(())
            .map_err(|e| transport(e.into(), Phase::Send))?;
        let response = self
            .agent
            .run(http_request)
            .map_err(|e| transport(e, Phase::Send))?;
        let (head, mut body) = response.into_parts();
        let body = body
            .with_config()
            .limit(self.max_body_bytes)
            .read_to_vec()
            .map_err(|e| transport(e, Phase::Body))?;
        Ok(RawResponse { head, body })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config) // core redacts the key and header values
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry_policy", &self.retry_policy)
            .field(
                "proxy",
                &if self.proxy_configured {
                    "<configured>"
                } else {
                    "<from environment>"
                },
            )
            .finish_non_exhaustive()
    }
}

/// What came back, before core looks at it.
struct RawResponse {
    head: ureq::http::response::Parts,
    body: Vec<u8>,
}

/// Builds a [`Client`]. Every setter takes and returns the builder; [`ClientBuilder::build`]
/// checks them all.
pub struct ClientBuilder {
    config: ConfigBuilder,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: u64,
    retry_policy: RetryPolicy,
    proxy: Option<String>,
    rng_seed: Option<u64>,
}

impl ClientBuilder {
    /// The base URL, such as `https://api.pinecone.io` (the default) or a gateway with a path
    /// prefix. Plain `http://` is accepted for loopback hosts only, unless
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config = self.config.base_url(url);
        self
    }

    /// Allows a plain `http://` base URL to a host that is not loopback (the key would cross
    /// the network in clear text). Off by default.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config = self.config.allow_insecure_http(allow);
        self
    }

    /// The `X-Pinecone-Api-Version` value (default `2025-04`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.config = self.config.api_version(version);
        self
    }

    /// A tag naming the calling tool, appended to the `User-Agent`.
    pub fn user_agent_tag(mut self, tag: impl Into<String>) -> Self {
        self.config = self.config.user_agent_tag(tag);
        self
    }

    /// An extra header sent with every request (for a gateway, say).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config = self.config.header(name, value);
        self
    }

    /// How long opening a connection (DNS, TCP, TLS) may take. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one whole HTTP request may take, from connecting to the last byte of the
    /// body, however slowly the body arrives. Retries each get this much. Default 30 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The most bytes of a response body read; a longer (or endless) body is a
    /// [`TransportKind::BodyTooLarge`](crate::TransportKind::BodyTooLarge) error. Default
    /// 8 MiB.
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// When and how long to retry. Default [`RetryPolicy::default`]; [`RetryPolicy::never`]
    /// turns retries off. Replaces any earlier [`max_retries`](Self::max_retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Sets only the retry count of the current retry policy (0: no retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry_policy.max_retries = retries;
        self
    }

    /// The proxy: `None` (the default) reads `ALL_PROXY`/`HTTPS_PROXY`/`HTTP_PROXY` and
    /// `NO_PROXY` from the environment, except for a loopback base URL, which is always reached
    /// directly; `Some(url)` uses that proxy (`http://`, `https://`, `socks4://`, `socks5://`,
    /// with optional credentials).
    pub fn proxy(mut self, url: Option<String>) -> Self {
        self.proxy = url;
        self
    }

    /// Seeds the jitter of retry delays, for reproducible runs. By default the seed comes from
    /// the clock and the process id.
    pub fn rng_seed(mut self, seed: u64) -> Self {
        self.rng_seed = Some(seed);
        self
    }

    /// Checks every setting and builds the [`Client`] and its agent.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error::Core`] for what core's [`ConfigBuilder::build`] refuses
    /// (a bad base URL, plain `http://` to a remote host, a header that is not header-safe),
    /// and for a proxy URL that does not parse or a zero timeout or body cap.
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
        let config = self.config.build()?;
        for (setting, zero) in [
            ("connect timeout", self.connect_timeout.is_zero()),
            ("request timeout", self.request_timeout.is_zero()),
            ("max body bytes", self.max_body_bytes == 0),
        ] {
            if zero {
                return Err(invalid_setting(setting, "expected more than zero"));
            }
        }
        let proxy = match &self.proxy {
            // the URL may hold credentials: never quote it
            Some(url) => Some(ureq::Proxy::new(url).map_err(|_| {
                invalid_setting(
                    "proxy",
                    "expected a URL such as `http://proxy:3128` or `socks5://proxy:1080`",
                )
            })?),
            // A proxy would resolve a loopback address on its own host, never reaching the
            // server meant (a local fake, a tunnel): loopback goes direct unless a proxy is
            // set explicitly.
            None if config.base_url().is_loopback() => None,
            None => ureq::Proxy::try_from_env(),
        };
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.request_timeout))
            .proxy(proxy)
            .tls_config(tls_config())
            .build();
        Ok(Client {
            agent: ureq::Agent::with_parts(
                agent_config,
                ureq::unversioned::transport::DefaultConnector::default(),
                CachingResolver::default(),
            ),
            config,
            retry_policy: self.retry_policy,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            max_body_bytes: self.max_body_bytes,
            proxy_configured: self.proxy.is_some(),
            rng: SplitMix64::new(
                self.rng_seed
                    .unwrap_or_else(SplitMix64::seed_from_time_and_pid),
            ),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // core's ConfigBuilder would show extra header values; leave it out
        f.debug_struct("ClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry_policy", &self.retry_policy)
            .finish_non_exhaustive()
    }
}

#[cfg(not(feature = "platform-roots"))]
fn tls_config() -> ureq::tls::TlsConfig {
    ureq::tls::TlsConfig::default()
}

#[cfg(feature = "platform-roots")]
fn tls_config() -> ureq::tls::TlsConfig {
    ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build()
}
