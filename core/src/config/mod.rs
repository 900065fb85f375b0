//! Connection settings: base URL, API key, API version, `User-Agent`, extra headers, the
//! limits every exchange keeps to, and where they come from in the environment.

mod api_key;
mod base_url;
mod setters;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use api_key::ApiKey;
use api_key::{Shown, check_header_value};
pub use base_url::{BaseUrl, Scheme};

use crate::engine::retry::RetryPolicy;
use crate::error::{Error, InvalidArgument, InvalidArgumentKind};
use crate::text::{self, Secrets};
use crate::version::ApiVersion;

/// The production control plane.
pub const DEFAULT_BASE_URL: &str = "https://api.pinecone.io";

/// The name of the header that carries the API key.
pub const API_KEY_HEADER: &str = "Api-Key";

/// The name of the header that carries the API version.
pub const API_VERSION_HEADER: &str = "X-Pinecone-Api-Version";

/// The environment variable [`ConfigBuilder::from_env`] reads the API key from (required).
pub const ENV_API_KEY: &str = "PINECONE_API_KEY";

/// The environment variable [`ConfigBuilder::from_env`] reads the control plane from
/// (optional): a URL, or a bare host name that means `https://` that host.
pub const ENV_HOST: &str = "PINECONE_CONTROLLER_HOST";

/// The environment variable [`ConfigBuilder::from_env`] reads a PEM file of extra root
/// certificates from (optional; see [`ConfigBuilder::ca_cert_file`]). Extra, as Node's
/// `NODE_EXTRA_CA_CERTS`: the roots of [`RootStore`] stay trusted.
pub const ENV_CA_CERT: &str = "PINECONE_CA_CERT";

/// The environment variable [`ConfigBuilder::from_env`] reads the [`RootStore`] from
/// (optional): `mozilla` (the default) or `system`.
pub const ENV_ROOT_STORE: &str = "PINECONE_ROOT_STORE";

/// Default [`ConfigBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`ConfigBuilder::request_timeout`].
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`ConfigBuilder::max_body_bytes`]: 8 MiB, about 30 times the largest page.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;
/// Default [`ConfigBuilder::max_pages`]: enough for a million jobs at 100 a page.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// Header names that [`ConfigBuilder::header`] refuses, because a dedicated setting or the
/// transport owns them.
const RESERVED_HEADERS: [&str; 9] = [
    "api-key",
    "x-pinecone-api-version",
    "user-agent",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "accept",
];

/// Parts of a header name that mark its value as a credential, scrubbed from messages like
/// the API key.
const CREDENTIAL_NAME_PARTS: [&str; 7] = [
    "auth", "token", "key", "secret", "password", "cookie", "session",
];

/// `true` for a header whose value is a credential: the API key's, or one whose name holds
/// a part of [`CREDENTIAL_NAME_PARTS`] (`Authorization`, `X-Gateway-Token`, `Cookie`, …).
pub(crate) fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == API_KEY_HEADER.to_ascii_lowercase()
        || CREDENTIAL_NAME_PARTS.iter().any(|part| name.contains(part))
}

fn check_header_name(name: &str) -> Result<(), InvalidArgument> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(InvalidArgument::new(
            "header name",
            format!(
                "expected an HTTP token, found `{}`",
                text::quote(name, &Secrets::none())
            ),
        ));
    }
    if RESERVED_HEADERS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
    {
        return Err(InvalidArgument::new(
            "header name",
            format!("`{name}` is set by the client itself and cannot be overridden"),
        ));
    }
    Ok(())
}

/// Everything needed to build requests and run operations: where to send them, what to send
/// with them, and the limits every exchange keeps to.
///
/// Build one with [`Config::builder`] or [`ConfigBuilder::from_env`]. Cloning is cheap (one
/// reference count). `Debug` shows the key and extra header values redacted.
#[derive(Clone)]
pub struct Config(Arc<Inner>);

struct Inner {
    base: BaseUrl,
    api_key: ApiKey,
    api_version: ApiVersion,
    user_agent: String,
    extra_headers: Vec<(String, String)>,
    secrets: Secrets,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: u64,
    retry_policy: RetryPolicy,
    max_pages: u64,
    proxy: Option<String>,
    rng_seed: Option<u64>,
    root_store: RootStore,
    ca_cert_file: Option<PathBuf>,
}

/// The root certificates TLS trusts, before any extra ones from
/// [`ConfigBuilder::ca_cert_file`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RootStore {
    /// Mozilla's list, built into the program (the default): the same on every machine and
    /// container, up to date with the build, and independent of a missing or stale system
    /// store.
    #[default]
    Mozilla,
    /// The operating system's trust store (on Linux, the CA bundle `openssl` uses; the
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` variables are honoured): for a CA that an
    /// administrator installed, such as a TLS-inspecting proxy's.
    System,
}

impl RootStore {
    /// Parses `mozilla` or `system` (any case), as [`ENV_ROOT_STORE`] and the CLI take it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for anything else.
    ///
    /// ```
    /// use pinecone_restore_core::RootStore;
    ///
    /// assert_eq!(RootStore::parse("system")?, RootStore::System);
    /// assert!(RootStore::parse("windows").is_err());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<RootStore, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mozilla" => Ok(RootStore::Mozilla),
            "system" => Ok(RootStore::System),
            _ => Err(InvalidArgument::new(
                "root store",
                format!(
                    "expected `mozilla` or `system`, found `{}`",
                    text::quote(text, &Secrets::none())
                ),
            )
            .into()),
        }
    }
}

/// How requests reach the control plane, as [`Config::proxy`] decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxyRoute<'a> {
    /// Straight to the server. Always so for a loopback base URL without an explicit proxy:
    /// a proxy would resolve a loopback address on its own host, never reaching the server
    /// meant (a local fake, a tunnel).
    Direct,
    /// Through the proxy the environment names, if any (`ALL_PROXY`, `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `NO_PROXY`).
    FromEnvironment,
    /// Through this proxy URL, which may hold credentials: never show it.
    Url(&'a str),
}

impl Config {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], [`ApiVersion::DEFAULT`], no caller
    /// tag in the `User-Agent`, no extra headers, [`DEFAULT_CONNECT_TIMEOUT`],
    /// [`DEFAULT_REQUEST_TIMEOUT`], [`DEFAULT_MAX_BODY_BYTES`], [`RetryPolicy::default`] and
    /// [`DEFAULT_MAX_PAGES`].
    pub fn builder(api_key: ApiKey) -> ConfigBuilder {
        ConfigBuilder {
            api_key,
            base_url: None,
            allow_insecure_http: false,
            api_version: None,
            user_agent_tag: None,
            headers: Vec::new(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry_policy: RetryPolicy::default(),
            max_pages: DEFAULT_MAX_PAGES,
            proxy: None,
            rng_seed: None,
            root_store: RootStore::Mozilla,
            ca_cert_file: None,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.0.base
    }

    /// The API key.
    pub fn api_key(&self) -> &ApiKey {
        &self.0.api_key
    }

    /// The API version sent, and the rules answers are checked by.
    pub fn api_version(&self) -> &ApiVersion {
        &self.0.api_version
    }

    /// The value of `User-Agent`.
    pub fn user_agent(&self) -> &str {
        &self.0.user_agent
    }

    /// Extra headers sent with every request.
    pub fn extra_headers(&self) -> &[(String, String)] {
        &self.0.extra_headers
    }

    /// What is scrubbed from every text shown: the API key and credential-like header values.
    pub fn secrets(&self) -> &Secrets {
        &self.0.secrets
    }

    /// The most time opening a connection may take (capped by the time an operation has left).
    pub fn connect_timeout(&self) -> Duration {
        self.0.connect_timeout
    }

    /// The most time one attempt may take, from connecting to the last byte of the body
    /// (capped by the time an operation has left).
    pub fn request_timeout(&self) -> Duration {
        self.0.request_timeout
    }

    /// The most bytes of a response body read.
    pub fn max_body_bytes(&self) -> u64 {
        self.0.max_body_bytes
    }

    /// When and how often failed requests are sent again.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.0.retry_policy
    }

    /// The most pages one walk fetches.
    pub fn max_pages(&self) -> u64 {
        self.0.max_pages
    }

    /// How requests reach the control plane: an explicit proxy, else the environment's,
    /// except that a loopback base URL is always reached directly.
    pub fn proxy(&self) -> ProxyRoute<'_> {
        match &self.0.proxy {
            Some(url) => ProxyRoute::Url(url),
            None if self.0.base.is_loopback() => ProxyRoute::Direct,
            None => ProxyRoute::FromEnvironment,
        }
    }

    /// The seed of the retry jitter, when one was set.
    pub fn rng_seed(&self) -> Option<u64> {
        self.0.rng_seed
    }

    /// The root certificates TLS trusts, before the extra ones.
    pub fn root_store(&self) -> RootStore {
        self.0.root_store
    }

    /// A PEM file of extra root certificates TLS trusts, when one was named. The adapter reads
    /// it when the client is built and refuses a file that holds no certificate.
    pub fn ca_cert_file(&self) -> Option<&Path> {
        self.0.ca_cert_file.as_deref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .0
            .extra_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("Config")
            .field("base", &self.0.base.to_string())
            .field("api_key", &self.0.api_key)
            .field("api_version", &self.0.api_version)
            .field("user_agent", &self.0.user_agent)
            .field("extra_headers (values redacted)", &names)
            .field("connect_timeout", &self.0.connect_timeout)
            .field("request_timeout", &self.0.request_timeout)
            .field("max_body_bytes", &self.0.max_body_bytes)
            .field("retry_policy", &self.0.retry_policy)
            .field("max_pages", &self.0.max_pages)
            .field("proxy", &self.0.proxy.as_ref().map(|_| "<configured>"))
            .field("rng_seed", &self.0.rng_seed)
            .field("root_store", &self.0.root_store)
            .field("ca_cert_file", &self.0.ca_cert_file)
            .finish()
    }
}

/// Builds a [`Config`]; every value is checked in [`ConfigBuilder::build`].
///
/// `Debug` shows the key and extra header values redacted, as [`Config`]'s does.
#[derive(Clone)]
pub struct ConfigBuilder {
    api_key: ApiKey,
    base_url: Option<String>,
    allow_insecure_http: bool,
    api_version: Option<String>,
    user_agent_tag: Option<String>,
    headers: Vec<(String, String)>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: u64,
    retry_policy: RetryPolicy,
    max_pages: u64,
    proxy: Option<String>,
    rng_seed: Option<u64>,
    root_store: RootStore,
    ca_cert_file: Option<PathBuf>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let base = self
            .base_url
            .as_deref()
            .map(|b| text::shown(b, text::MESSAGE_CHARS, &Secrets::none()));
        f.debug_struct("ConfigBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &base)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("api_version", &self.api_version)
            .field("user_agent_tag", &self.user_agent_tag)
            .field("extra_headers (values redacted)", &names)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry_policy", &self.retry_policy)
            .field("max_pages", &self.max_pages)
            .field("proxy", &self.proxy.as_ref().map(|_| "<configured>"))
            .field("rng_seed", &self.rng_seed)
            .field("root_store", &self.root_store)
            .field("ca_cert_file", &self.ca_cert_file)
            .finish()
    }
}

impl ConfigBuilder {
    /// A builder from the environment, read through `lookup` (pass
    /// `|name| std::env::var(name).ok()`, or a source of your own): the API key from
    /// [`ENV_API_KEY`] (required), the control plane from [`ENV_HOST`] (optional; see
    /// [`ConfigBuilder::host`]), a PEM file of extra root certificates from [`ENV_CA_CERT`]
    /// and the [`RootStore`] from [`ENV_ROOT_STORE`] (both optional). Later setters override
    /// them all.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] naming `PINECONE_API_KEY` when it is unset or empty, or when
    /// the key is not header-safe (the key is never quoted), and naming `PINECONE_ROOT_STORE`
    /// when it is neither `mozilla` nor `system`.
    ///
    /// ```
    /// use pinecone_restore_core::ConfigBuilder;
    ///
    /// let config = ConfigBuilder::from_env(|name| match name {
    ///     "PINECONE_API_KEY" => Some("my-api-key".to_owned()),
    ///     "PINECONE_CONTROLLER_HOST" => Some("api.example.com".to_owned()),
    ///     _ => None,
    /// })?
    /// .build()?;
    /// assert_eq!(config.base_url().to_string(), "https://api.example.com");
    ///
    /// let err = ConfigBuilder::from_env(|_| None).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid PINECONE_API_KEY: expected an API key, found nothing"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<ConfigBuilder, Error> {
        let key = lookup(ENV_API_KEY)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                InvalidArgument::new(ENV_API_KEY, "expected an API key, found nothing")
                    .of_kind(InvalidArgumentKind::MissingApiKey)
            })?;
        let key = ApiKey::new(key).map_err(|e| match e {
            Error::InvalidArgument(inner) => {
                Error::from(InvalidArgument::new(ENV_API_KEY, inner.reason()))
            }
            other => other,
        })?;
        let mut builder = Config::builder(key);
        if let Some(host) = lookup(ENV_HOST).filter(|h| !h.trim().is_empty()) {
            builder = builder.host(host.trim());
        }
        if let Some(file) = lookup(ENV_CA_CERT).filter(|f| !f.is_empty()) {
            builder = builder.ca_cert_file(file);
        }
        if let Some(store) = lookup(ENV_ROOT_STORE).filter(|s| !s.trim().is_empty()) {
            let store = RootStore::parse(&store).map_err(|e| match e {
                Error::InvalidArgument(inner) => {
                    Error::from(InvalidArgument::new(ENV_ROOT_STORE, inner.reason()))
                }
                other => other,
            })?;
            builder = builder.root_store(store);
        }
        Ok(builder)
    }

    /// The base URL, with an optional path prefix that is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The control plane as a URL (as [`ConfigBuilder::base_url`]) or as a bare host name,
    /// which means `https://` that host: `api.example.com` is `https://api.example.com`.
    /// [`ENV_HOST`] is read this way.
    pub fn host(self, host: impl Into<String>) -> Self {
        let host = host.into();
        if host.contains("://") {
            self.base_url(host)
        } else {
            self.base_url(format!("https://{host}"))
        }
    }

    /// Allows a plain `http://` base URL to a host that is not loopback. Off by default: the
    /// key would cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The API version (default [`ApiVersion::DEFAULT`]); checked by [`ApiVersion::parse`].
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// A tag naming the calling tool, appended to the `User-Agent`.
    pub fn user_agent_tag(mut self, tag: impl Into<String>) -> Self {
        self.user_agent_tag = Some(tag.into());
        self
    }

    /// An extra header sent with every request (for a gateway, say). Its value is redacted in
    /// `Debug`, and scrubbed from every message when the name looks like a credential
    /// (`Authorization`, `X-Gateway-Token`, …).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// How long opening a connection (DNS, TCP, TLS) may take. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from connecting to the last byte of the body however
    /// slowly it arrives. Default 30 s. An operation with less time left gives its attempt
    /// less.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The most bytes of a response body read; a longer (or endless) body is an invalid
    /// response of kind [`TooLarge`](crate::InvalidResponseKind::TooLarge). Default 8 MiB.
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

    /// Sets only the retry count of the current retry policy (0: no retries; at most
    /// [`RetryPolicy::MAX_RETRIES`]).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry_policy.max_retries = retries;
        self
    }

    /// The most pages one walk fetches before it stops with an error of kind
    /// [`PageLimit`](crate::InvalidResponseKind::PageLimit). Default
    /// [`DEFAULT_MAX_PAGES`].
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages;
        self
    }

    /// The proxy: `None` (the default) takes the environment's (`ALL_PROXY`, `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `NO_PROXY`), except for a loopback base URL, which is always reached
    /// directly; `Some(url)` sends everything through that proxy (the adapter checks the URL;
    /// it is never shown, since it may hold credentials).
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

    /// The root certificates TLS trusts: [`RootStore::Mozilla`] (the default) or the
    /// system's.
    pub fn root_store(mut self, store: RootStore) -> Self {
        self.root_store = store;
        self
    }

    /// A PEM file of extra root certificates to trust besides the [`RootStore`]'s (a private
    /// CA, a TLS-inspecting proxy's). The adapter reads it when the client is built: a file
    /// that cannot be read or holds no certificate is refused then, before anything is sent.
    pub fn ca_cert_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_cert_file = Some(path.into());
        self
    }

    /// Checks every setting and builds the [`Config`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a base URL that [`BaseUrl::parse`] refuses, a plain
    /// `http://` base to a non-loopback host without [`ConfigBuilder::allow_insecure_http`], an
    /// API version [`ApiVersion::parse`] refuses, a tag or extra header that is not header-safe
    /// or names a reserved header, a zero timeout, body cap or page cap, and a retry policy
    /// above [`RetryPolicy::MAX_RETRIES`].
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config};
    ///
    /// let key = ApiKey::new("my-key")?;
    /// let local = Config::builder(key.clone()).base_url("http://127.0.0.1:8080/").build()?;
    /// assert_eq!(local.base_url().to_string(), "http://127.0.0.1:8080");
    ///
    /// let err = Config::builder(key).base_url("http://example.com").build().unwrap_err();
    /// assert!(err.is_invalid_argument());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn build(self) -> Result<Config, Error> {
        let base = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        if base.scheme() == Scheme::Http && !base.is_loopback() && !self.allow_insecure_http {
            return Err(InvalidArgument::new(
                "base URL",
                format!(
                    "refusing plain `http://` to non-loopback host `{}`: the API key would be sent \
                     unencrypted",
                    base.host()
                ),
            )
            .with_fix("use `https://` or opt in with `allow_insecure_http`")
            .of_kind(InvalidArgumentKind::InsecureHttp)
            .into());
        }
        let api_version = match &self.api_version {
            Some(text) => ApiVersion::parse(text)?,
            None => ApiVersion::DEFAULT,
        };
        let mut user_agent =
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned();
        if let Some(tag) = &self.user_agent_tag {
            check_header_value("user agent tag", tag, Shown::Quoted)?;
            user_agent.push(' ');
            user_agent.push_str(tag);
        }
        for (name, value) in &self.headers {
            check_header_name(name)?;
            check_header_value("header value", value, Shown::Never)?;
        }
        for (setting, zero) in [
            ("connect timeout", self.connect_timeout.is_zero()),
            ("request timeout", self.request_timeout.is_zero()),
            ("max body bytes", self.max_body_bytes == 0),
            ("max pages", self.max_pages == 0),
        ] {
            if zero {
                return Err(InvalidArgument::new(setting, "expected more than zero").into());
            }
        }
        self.retry_policy.check()?;
        let credentials = self
            .headers
            .iter()
            .filter(|(name, _)| is_credential_header(name))
            .map(|(_, value)| value.as_str());
        let secrets = Secrets::of(std::iter::once(self.api_key.expose_secret()).chain(credentials));
        Ok(Config(Arc::new(Inner {
            base,
            api_key: self.api_key,
            api_version,
            user_agent,
            extra_headers: self.headers,
            secrets,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            max_body_bytes: self.max_body_bytes,
            retry_policy: self.retry_policy,
            max_pages: self.max_pages,
            proxy: self.proxy,
            rng_seed: self.rng_seed,
            root_store: self.root_store,
            ca_cert_file: self.ca_cert_file,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("secret-key-123").unwrap()
    }

    #[test]
    fn trust_roots_come_from_the_environment() {
        let env = |store: &'static str| {
            move |name: &str| match name {
                ENV_API_KEY => Some("k".to_owned()),
                ENV_CA_CERT => Some("/etc/corp-ca.pem".to_owned()),
                ENV_ROOT_STORE => Some(store.to_owned()),
                _ => None,
            }
        };
        let config = ConfigBuilder::from_env(env("System"))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(config.root_store(), RootStore::System);
        assert_eq!(config.ca_cert_file(), Some(Path::new("/etc/corp-ca.pem")));
        let err = ConfigBuilder::from_env(env("windows\n")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid PINECONE_ROOT_STORE: expected `mozilla` or `system`, found `windows\\n`"
        );
        let default = Config::builder(key()).build().unwrap();
        assert_eq!(
            (default.root_store(), default.ca_cert_file()),
            (RootStore::Mozilla, None)
        );
    }

    #[test]
    fn debug_of_config_hides_secrets() {
        let builder = Config::builder(key())
            .header("X-Gateway-Token", "gw-secret-value")
            .base_url("https://user:pw@h");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("secret-key-123"), "{shown}");
        assert!(!shown.contains("gw-secret"), "{shown}");
        assert!(!shown.contains("pw@"), "{shown}");
        let config = builder.base_url("https://h").build().unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret-key-123"), "{shown}");
        assert!(!shown.contains("gw-secret"), "{shown}");
        assert!(shown.contains("X-Gateway-Token"), "{shown}");
        assert!(config.secrets().found_in("gw-secret-value"));
        assert!(config.secrets().found_in("secret-key-123"));
    }

    #[test]
    fn only_credential_like_headers_are_secrets() {
        let config = Config::builder(key())
            .header("X-Project", "products-2024")
            .header("Authorization", "Bearer abcdefgh")
            .build()
            .unwrap();
        assert!(!config.secrets().found_in("products-2024"));
        assert!(config.secrets().found_in("Bearer abcdefgh"));
    }

    #[test]
    fn plain_http_only_for_loopback_or_opt_in() {
        for ok in [
            "http://localhost:1",
            "http://127.0.0.1",
            "http://127.9.9.9:5",
            "http://[::1]:80",
        ] {
            assert!(Config::builder(key()).base_url(ok).build().is_ok(), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
        ] {
            let err = Config::builder(key())
                .base_url(refused)
                .build()
                .unwrap_err();
            assert!(err.to_string().contains("plain `http://`"), "{err}");
            assert!(
                Config::builder(key())
                    .base_url(refused)
                    .allow_insecure_http(true)
                    .build()
                    .is_ok()
            );
        }
    }

    #[test]
    fn headers_and_limits_are_checked() {
        let refused = |b: ConfigBuilder| b.build().unwrap_err().is_invalid_argument();
        assert!(refused(Config::builder(key()).header("Api-Key", "x")));
        assert!(refused(Config::builder(key()).header("user-agent", "x")));
        assert!(refused(Config::builder(key()).header("Content-Type", "x")));
        assert!(refused(Config::builder(key()).header("bad name", "x")));
        assert!(refused(Config::builder(key()).header("X-Ok", "a\r\nb")));
        assert!(refused(Config::builder(key()).api_version("")));
        assert!(refused(Config::builder(key()).api_version("v1")));
        assert!(refused(Config::builder(key()).user_agent_tag("tool\n")));
        assert!(refused(
            Config::builder(key()).request_timeout(Duration::ZERO)
        ));
        assert!(refused(
            Config::builder(key()).connect_timeout(Duration::ZERO)
        ));
        assert!(refused(Config::builder(key()).max_body_bytes(0)));
        assert!(refused(Config::builder(key()).max_pages(0)));
        assert!(refused(
            Config::builder(key()).max_retries(RetryPolicy::MAX_RETRIES + 1)
        ));
        let c = Config::builder(key())
            .user_agent_tag("my-tool/1.2")
            .max_retries(RetryPolicy::MAX_RETRIES)
            .build()
            .unwrap();
        assert!(c.user_agent().starts_with("pinecone-restore-core/"));
        assert!(c.user_agent().ends_with(" my-tool/1.2"));
        assert_eq!(c.api_version(), &ApiVersion::V2025_04);
    }

    #[test]
    fn environment() {
        let env = |key: Option<&'static str>, host: Option<&'static str>| {
            move |name: &str| match name {
                ENV_API_KEY => key.map(str::to_owned),
                ENV_HOST => host.map(str::to_owned),
                _ => None,
            }
        };
        let base = |host| {
            ConfigBuilder::from_env(env(Some("k"), host))
                .unwrap()
                .build()
                .map(|c| c.base_url().to_string())
        };
        assert_eq!(base(None).unwrap(), "https://api.pinecone.io");
        assert_eq!(base(Some("  ")).unwrap(), "https://api.pinecone.io");
        assert_eq!(
            base(Some("api.example.com")).unwrap(),
            "https://api.example.com"
        );
        assert_eq!(
            base(Some(" http://127.0.0.1:9/gw ")).unwrap(),
            "http://127.0.0.1:9/gw"
        );
        assert!(base(Some("http://example.com")).is_err());
        let refused = base(Some("user:secret@127.0.0.1:1")).unwrap_err();
        assert!(!refused.to_string().contains("secret"), "{refused}");
        assert!(ConfigBuilder::from_env(env(None, None)).is_err());
        assert!(ConfigBuilder::from_env(env(Some(""), None)).is_err());
        let newline = ConfigBuilder::from_env(env(Some("secret-key\n"), None)).unwrap_err();
        assert!(
            newline
                .to_string()
                .starts_with("invalid PINECONE_API_KEY: ")
        );
        assert!(!newline.to_string().contains("secret-key"));
        // later setters override the environment
        let c = ConfigBuilder::from_env(env(Some("k"), Some("api.example.com")))
            .unwrap()
            .host("http://127.0.0.1:1")
            .build()
            .unwrap();
        assert_eq!(c.base_url().to_string(), "http://127.0.0.1:1");
    }

    #[test]
    fn proxy_routes() {
        let route = |base: &str, proxy: Option<&str>| {
            let c = Config::builder(key())
                .base_url(base)
                .proxy(proxy.map(str::to_owned))
                .build()
                .unwrap();
            format!("{:?} {c:?}", c.proxy())
        };
        assert!(route("http://127.0.0.1:1", None).starts_with("Direct"));
        assert!(route("https://api.pinecone.io", None).starts_with("FromEnvironment"));
        let explicit = route("http://127.0.0.1:1", Some("http://u:hunter2@p:3128"));
        assert!(explicit.starts_with("Url(\"http://u:hunter2@p:3128\")"));
        assert_eq!(
            explicit.matches("hunter2").count(),
            1,
            "only the route shows it: {explicit}"
        );
    }
}
