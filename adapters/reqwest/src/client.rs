//! The async client: one pooled reqwest client that sends what core's operations say and
//! sleeps (`tokio::time::sleep`) when they say; every decision is core's, every method comes
//! from core's [`AsyncApi`](crate::AsyncApi).

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use pinecone_restore_adapter::{Hooks, tls};
use pinecone_restore_core::drive::{AsyncItems, AsyncTransport, Reply};
use pinecone_restore_core::{
    Attempt, Config, Error, InvalidArgument, Listing, ProjectBackups, ProxyRoute, RestoreJobs,
    TransportError, TransportKind,
};

use crate::transport::failure;

/// An async client for Pinecone restore jobs and backups, on tokio.
///
/// It holds one pooled [`reqwest::Client`]: cloning is cheap and clones share the pool, and it
/// is `Send + Sync`. Redirects are never followed (a 3xx is an API error and the key never goes
/// to another host); 4xx and 5xx answers are handed to core. Its methods are core's
/// [`AsyncApi`](crate::AsyncApi)'s (import it, or the crate's `prelude`); core's operations
/// decide every retry, wait and bound, the client sends, sleeps and streams. Its `Debug`
/// never shows the key.
///
/// ```
/// use pinecone_restore_fake::FakeControlPlane;
/// use pinecone_restore_reqwest::{ApiKey, AsyncApi, Client, Limit};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
///
/// let server = FakeControlPlane::builder().jobs(3).start()?; // on http://127.0.0.1:PORT
/// let client = Client::builder(ApiKey::new("my-api-key")?)
///     .base_url(server.base_url())
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
    hooks: Hooks,
}

pinecone_restore_adapter::client!(Client, ClientBuilder, "pinecone_restore_reqwest");

impl Client {
    /// A client for a configuration built elsewhere.
    ///
    /// # Errors
    ///
    /// An invalid-argument [`Error`] for a proxy URL reqwest does not take (never quoted), a
    /// CA certificate file that cannot be used, or a system store without certificates.
    pub fn new(config: Config) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout())
            // each read must make progress; the attempt's own timeout bounds a drip-feed
            .read_timeout(config.request_timeout())
            .dns_resolver(Arc::new(crate::transport::Resolver))
            .tls_backend_preconfigured(rustls_config(&config)?);
        let http = match config.proxy() {
            ProxyRoute::Url(url) => http.proxy(reqwest::Proxy::all(url).map_err(|_| {
                InvalidArgument::new(
                    "proxy",
                    "expected a URL such as `http://proxy:3128` or `socks5://proxy:1080`",
                )
            })?),
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
            hooks: Hooks::new(config),
        })
    }
}

impl AsyncTransport for Client {
    type Hooks = Hooks;
    type Items<L: Listing> = Walk<L>;

    fn hooks(&self) -> &Hooks {
        &self.hooks
    }

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
}

/// A walk over every item of a listing as a [`Stream`], from
/// [`AsyncApi::walk`](crate::AsyncApi::walk) or a named walk
/// ([`AsyncApi::list_all`](crate::AsyncApi::list_all), …): each id once, one page fetched at a
/// time as it is polled. Dropping it drops the request in flight. Its counters (pages,
/// resume token, duplicates skipped, items in hand) are core's
/// [`AsyncItems`]', which it dereferences to; `items.next().await` works without any stream
/// trait in scope.
#[derive(Debug)]
pub struct Walk<L: Listing>(AsyncItems<Client, L>);

/// Every restore job across all pages ([`AsyncApi::list_all`](crate::AsyncApi::list_all)).
pub type Jobs = Walk<RestoreJobs>;

/// Every backup of a listing across all pages.
pub type Backups<L = ProjectBackups> = Walk<L>;

impl<L: Listing> From<AsyncItems<Client, L>> for Walk<L> {
    fn from(items: AsyncItems<Client, L>) -> Walk<L> {
        Walk(items)
    }
}

impl<L: Listing> Deref for Walk<L> {
    type Target = AsyncItems<Client, L>;

    fn deref(&self) -> &AsyncItems<Client, L> {
        &self.0
    }
}

impl<L: Listing> Walk<L> {
    /// The next item, `None` at the end (after an error too).
    // async, as `StreamExt::next` is: no iterator could wait for a page without blocking
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Option<Result<L::Item, Error>>> + Send + '_ {
        self.0.next()
    }
}

impl<L: Listing> Stream for Walk<L> {
    type Item = Result<L::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.poll_next_item(cx)
    }
}

/// rustls with the ring provider and the roots the configuration names, HTTP/1.1.
fn rustls_config(config: &Config) -> Result<rustls::ClientConfig, Error> {
    let mut tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| InvalidArgument::new("TLS", format!("cannot be set up: {e}")))?
    .with_root_certificates(tls::root_store(config)?)
    .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}
