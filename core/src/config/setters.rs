//! The setters an adapter's client builder shares with [`ConfigBuilder`](crate::ConfigBuilder).

/// Adds [`ConfigBuilder`](crate::ConfigBuilder)'s setters to an adapter's builder that keeps
/// one in a field named `config`, so every adapter offers the same settings under the same
/// names without writing them again.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, ConfigBuilder};
///
/// struct ClientBuilder {
///     config: ConfigBuilder,
/// }
///
/// impl ClientBuilder {
///     pinecone_restore_core::config_setters!();
/// }
///
/// let builder = ClientBuilder { config: Config::builder(ApiKey::new("k")?) }
///     .host("api.example.com")
///     .max_retries(5);
/// let config = builder.config.build()?;
/// assert_eq!(config.base_url().to_string(), "https://api.example.com");
/// assert_eq!(config.retry_policy().max_retries, 5);
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[macro_export]
macro_rules! config_setters {
    () => {
        /// The base URL, such as `https://api.pinecone.io` (the default) or a gateway with a
        /// path prefix; see [`ConfigBuilder::base_url`]($crate::ConfigBuilder::base_url).
        /// Plain `http://` is accepted for loopback hosts only, unless
        /// [`allow_insecure_http`](Self::allow_insecure_http).
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.config = self.config.base_url(url);
            self
        }

        /// The control plane as a URL or a bare host name (`api.example.com` means
        /// `https://api.example.com`); see [`ConfigBuilder::host`]($crate::ConfigBuilder::host).
        pub fn host(mut self, host: impl Into<String>) -> Self {
            self.config = self.config.host(host);
            self
        }

        /// Allows a plain `http://` base URL to a host that is not loopback (the key would
        /// cross the network in clear text). Off by default.
        pub fn allow_insecure_http(mut self, allow: bool) -> Self {
            self.config = self.config.allow_insecure_http(allow);
            self
        }

        /// The `X-Pinecone-Api-Version` value (default `2025-04`), checked by
        /// [`ApiVersion::parse`]($crate::ApiVersion::parse); answers are checked by its rules.
        pub fn api_version(mut self, version: impl Into<String>) -> Self {
            self.config = self.config.api_version(version);
            self
        }

        /// A tag naming the calling tool, appended to the `User-Agent`.
        pub fn user_agent_tag(mut self, tag: impl Into<String>) -> Self {
            self.config = self.config.user_agent_tag(tag);
            self
        }

        /// An extra header sent with every request (for a gateway, say); see
        /// [`ConfigBuilder::header`]($crate::ConfigBuilder::header).
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.config = self.config.header(name, value);
            self
        }

        /// How long opening a connection (DNS, TCP, TLS) may take. Default 10 s.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.config = self.config.connect_timeout(timeout);
            self
        }

        /// How long one attempt may take, from connecting to the last byte of the body
        /// however slowly it arrives. Default 30 s; less when an operation has less time left.
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.config = self.config.request_timeout(timeout);
            self
        }

        /// The most bytes of a response body read (after decompression); a longer or endless
        /// body is an invalid response. Default 8 MiB.
        pub fn max_body_bytes(mut self, bytes: u64) -> Self {
            self.config = self.config.max_body_bytes(bytes);
            self
        }

        /// When and how long to retry; see [`RetryPolicy`]($crate::RetryPolicy). Replaces any
        /// earlier [`max_retries`](Self::max_retries).
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.config = self.config.retry_policy(policy);
            self
        }

        /// Sets only the retry count of the current retry policy (0: no retries; at most
        /// [`RetryPolicy::MAX_RETRIES`]($crate::RetryPolicy::MAX_RETRIES)).
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.config = self.config.max_retries(retries);
            self
        }

        /// The most pages one walk fetches. Default
        /// [`DEFAULT_MAX_PAGES`]($crate::DEFAULT_MAX_PAGES).
        pub fn max_pages(mut self, pages: u64) -> Self {
            self.config = self.config.max_pages(pages);
            self
        }

        /// The proxy: `None` (the default) takes the environment's, except for a loopback
        /// base URL, always reached directly; `Some(url)` sends everything through that proxy.
        /// See [`ConfigBuilder::proxy`]($crate::ConfigBuilder::proxy).
        pub fn proxy(mut self, url: Option<String>) -> Self {
            self.config = self.config.proxy(url);
            self
        }

        /// Seeds the jitter of retry delays, for reproducible runs.
        pub fn rng_seed(mut self, seed: u64) -> Self {
            self.config = self.config.rng_seed(seed);
            self
        }

        /// The root certificates TLS trusts: Mozilla's (the default) or the system's; see
        /// [`ConfigBuilder::root_store`]($crate::ConfigBuilder::root_store).
        pub fn root_store(mut self, store: $crate::RootStore) -> Self {
            self.config = self.config.root_store(store);
            self
        }

        /// A PEM file of extra root certificates to trust, read when the client is built; see
        /// [`ConfigBuilder::ca_cert_file`]($crate::ConfigBuilder::ca_cert_file).
        pub fn ca_cert_file(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.config = self.config.ca_cert_file(path);
            self
        }
    };
}
