//! The conformance kit, run against the blocking adapter: every scenario of
//! `pinecone-restore-conformance` is one test here.

use pinecone_restore_conformance::{Adapter, Walked};
use pinecone_restore_core::{
    Config, ConfigBuilder, Error, Limit, Listing, Operation, PaginationToken,
};
use pinecone_restore_ureq::{Api, Client, ClientBuilder};

struct Ureq;

impl Adapter for Ureq {
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
        Api::config(client)
    }

    fn run<O: Operation>(client: &Client, op: &mut O) -> (Result<O::Output, Error>, Vec<O::Item>) {
        let mut items = Vec::new();
        let result = client.run(op, |item| items.push(item));
        (result, items)
    }

    fn walk<L: Listing>(
        client: &Client,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
        take: Option<usize>,
    ) -> Walked<L::Item> {
        let mut walk = client.walk(listing, limit, from);
        let mut walked = Walked {
            items: Vec::new(),
            error: None,
            pages: 0,
            duplicates: 0,
            resume_token: None,
        };
        while take.is_none_or(|n| walked.items.len() < n) {
            match walk.next() {
                Some(Ok(item)) => walked.items.push(item),
                Some(Err(e)) => walked.error = Some(e),
                None => break,
            }
        }
        walked.pages = walk.pages();
        walked.duplicates = walk.duplicates_skipped();
        walked.resume_token = walk.resume_token().cloned();
        walked
    }
}

pinecone_restore_conformance::scenarios!(Ureq);
