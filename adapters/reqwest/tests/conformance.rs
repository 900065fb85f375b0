//! The conformance kit, run against the async adapter through one shared tokio runtime: every
//! scenario of `pinecone-restore-conformance` is one test here.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::OnceLock;

use futures_core::Stream;
use pinecone_restore_conformance::{Adapter, Walked};
use pinecone_restore_core::{
    Config, ConfigBuilder, Error, Limit, Listing, Operation, PaginationToken,
};
use pinecone_restore_reqwest::{AsyncApi, Client, ClientBuilder};

/// One runtime for every test: a client's pooled connections live on the runtime that made
/// them.
fn block_on<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .block_on(future)
}

struct Reqwest;

impl Adapter for Reqwest {
    type Client = Client;

    fn try_client(config: Config) -> Result<Client, Error> {
        Client::new(config)
    }

    fn client_with_proxy(config: ConfigBuilder, proxy: &str) -> Result<Client, Error> {
        ClientBuilder::from(config)
            .proxy(Some(proxy.to_owned()))
            .build()
    }

    fn config(client: &Client) -> &Config {
        AsyncApi::config(client)
    }

    fn run<O>(client: &Client, op: &mut O) -> (Result<O::Output, Error>, Vec<O::Item>)
    where
        O: Operation + Send,
        O::Output: Send,
        O::Item: Send,
    {
        let mut items = Vec::new();
        let result = block_on(client.run(op, |item| items.push(item)));
        (result, items)
    }

    /// Through the walk's `Stream` impl, as a user of `futures` polls it.
    fn walk<L: Listing>(
        client: &Client,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
        take: Option<usize>,
    ) -> Walked<L::Item> {
        block_on(async {
            let mut walk = client.walk(listing, limit, from);
            let mut walked = Walked {
                items: Vec::new(),
                error: None,
                pages: 0,
                duplicates: 0,
                resume_token: None,
            };
            while take.is_none_or(|n| walked.items.len() < n) {
                match poll_fn(|cx| Pin::new(&mut walk).poll_next(cx)).await {
                    Some(Ok(item)) => walked.items.push(item),
                    Some(Err(e)) => walked.error = Some(e),
                    None => break,
                }
            }
            walked.pages = walk.pages();
            walked.duplicates = walk.duplicates_skipped();
            walked.resume_token = walk.resume_token().cloned();
            walked
        })
    }
}

pinecone_restore_conformance::scenarios!(Reqwest);
