//! The blocking client: one ureq agent that sends what core's operations say and sleeps when
//! they say; every decision is core's, every method comes from core's [`Api`](crate::Api).

use std::io::Read as _;
use std::time::Duration;

use pinecone_restore_adapter::Hooks;
use pinecone_restore_adapter::tls::{self, Roots};
use pinecone_restore_core::drive::{Items, Reply, Transport};
use pinecone_restore_core::{
    Attempt, Config, Error, InvalidArgument, ProjectBackups, ProxyRoute, RestoreJobs,
    TransportError,
};

use crate::resolve::CachingResolver;
use crate::transport::{Phase, failure};

/// The most a body's buffer is sized to before its bytes arrive, whatever `Content-Length`
/// says: a page of 100 jobs is about 30 KB, and a larger body grows its buffer as it comes.
const PRESIZE_MAX: u64 = 1 << 20;

/// A walk over every item of a listing, from [`Api::walk`](crate::Api::walk) or a named walk
/// ([`Api::list_all`](crate::Api::list_all), [`Api::list_all_backups`](crate::Api::list_all_backups), …): core's walk as an iterator, each id
/// once, one page fetched at a time as it is advanced. Its counters (pages, resume token,
/// duplicates skipped, items in hand) are core's
/// [`Items`](pinecone_restore_core::drive::Items)'.
pub type Walk<'c, L> = Items<'c, Client, L>;

/// Every restore job across all pages ([`Api::list_all`](crate::Api::list_all)).
pub type Jobs<'c> = Walk<'c, RestoreJobs>;

/// Every backup of a listing across all pages ([`Api::list_all_backups`](crate::Api::list_all_backups),
/// [`Api::list_all_index_backups`](crate::Api::list_all_index_backups)).
pub type Backups<'c, L = ProjectBackups> = Walk<'c, L>;

/// A blocking client for Pinecone restore jobs and backups.
///
/// It holds one [`ureq::Agent`], so every call (and every page of a walk) reuses one
/// kept-alive connection. Redirects are never followed (a 3xx is an API error and the key
/// never goes to another host); 4xx and 5xx answers are handed to core, which turns them into
/// typed errors. Its methods are core's [`Api`](crate::Api)'s (import it, or the crate's `prelude`);
/// core's operations decide every retry, wait and bound, the client sends and sleeps.
///
/// `Client` is `Send + Sync`; share it by reference. Cloning is cheap and the clones share
/// one connection pool and one jitter source: hand a clone to each thread. Its `Debug` never
/// shows the API key.
///
/// ```
/// use pinecone_restore_fake::FakeControlPlane;
/// use pinecone_restore_ureq::{Api, ApiKey, Client, Limit};
///
/// let server = FakeControlPlane::builder().jobs(3).start()?; // on http://127.0.0.1:PORT
/// let client = Client::builder(ApiKey::new("my-api-key")?)
///     .base_url(server.base_url())
///     .build()?;
/// let page = client.list_page(Some(Limit::new(2)?), None)?;
/// assert_eq!(page.jobs.len(), 2);
/// assert!(page.next.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    hooks: Hooks,
}

pinecone_restore_adapter::client!(Client, ClientBuilder, "pinecone_restore_ureq");

impl Client {
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
        let roots = match tls::root_certs(&config)? {
            // ureq's own Mozilla roots, without converting them, when nothing joins them
            Roots::Mozilla => ureq::tls::RootCerts::WebPki,
            Roots::Certificates(certs) => certs
                .iter()
                .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
                .into(),
        };
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout()))
            .timeout_global(Some(config.request_timeout()))
            .proxy(proxy)
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
            .build();
        Ok(Client {
            agent: ureq::Agent::with_parts(
                agent_config,
                ureq::unversioned::transport::DefaultConnector::default(),
                CachingResolver::default(),
            ),
            hooks: Hooks::new(config),
        })
    }

    /// Runs `request` within the attempt's bounds.
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
    type Hooks = Hooks;

    fn hooks(&self) -> &Hooks {
        &self.hooks
    }

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
        let headers = head
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        Ok(Reply {
            status: head.status.as_u16(),
            headers,
            body: bytes,
        })
    }

    fn sleep(&self, delay: Duration) {
        std::thread::sleep(delay);
    }
}
