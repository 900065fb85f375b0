//! The conformance kit, run against the async adapter through one shared tokio runtime: every
//! scenario of `pinecone-restore-conformance` is one test here.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::OnceLock;

use futures_core::Stream;
use pinecone_restore_conformance::{Adapter, BackupListing, Walked, WalkedBackups};
use pinecone_restore_core::{
    Backup, BackupId, BackupPage, Config, ConfigBuilder, CreateIndexFromBackup, Error, IndexName,
    JobId, Limit, ListPage, Listing, PaginationToken, RestoreJob, StartedRestore, WaitEnd,
    WaitOptions, WaitOutcome,
};
use pinecone_restore_reqwest::{Backups, Client, ClientBuilder, Jobs};

/// Collects a stream of backups.
async fn walked<L: Listing<Item = Backup> + Unpin>(mut backups: Backups<L>) -> WalkedBackups {
    let mut walked = WalkedBackups {
        backups: Vec::new(),
        error: None,
        pages: 0,
        duplicates: 0,
    };
    while let Some(backup) = poll_fn(|cx| Pin::new(&mut backups).poll_next(cx)).await {
        match backup {
            Ok(backup) => walked.backups.push(backup),
            Err(e) => walked.error = Some(e),
        }
    }
    walked.pages = backups.pages();
    walked.duplicates = backups.duplicates_skipped();
    walked
}

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

async fn next(jobs: &mut Jobs) -> Option<Result<RestoreJob, Error>> {
    poll_fn(|cx| Pin::new(&mut *jobs).poll_next(cx)).await
}

struct Reqwest;

impl Adapter for Reqwest {
    type Client = Client;

    fn client(config: Config) -> Client {
        Client::new(config).unwrap_or_else(|e| panic!("{e}"))
    }

    fn try_client(config: Config) -> Result<Client, Error> {
        Client::new(config)
    }

    fn client_with_proxy(config: ConfigBuilder, proxy: &str) -> Result<Client, Error> {
        ClientBuilder::from(config)
            .proxy(Some(proxy.to_owned()))
            .build()
    }

    fn debug(client: &Client) -> String {
        format!("{client:?}")
    }

    fn list_page(
        client: &Client,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<ListPage, Error> {
        block_on(client.list_page(limit, token))
    }

    fn list_all(client: &Client, limit: Option<Limit>, token: Option<&PaginationToken>) -> Walked {
        block_on(async {
            let mut jobs = client.list_all_from(limit, token);
            let mut walked = Walked {
                jobs: Vec::new(),
                error: None,
                pages: 0,
                duplicates: 0,
                resume_token: None,
            };
            while let Some(job) = next(&mut jobs).await {
                match job {
                    Ok(job) => walked.jobs.push(job),
                    Err(e) => walked.error = Some(e),
                }
            }
            walked.pages = jobs.pages();
            walked.duplicates = jobs.duplicates_skipped();
            walked.resume_token = jobs.resume_token().cloned();
            walked
        })
    }

    fn list_first(client: &Client, limit: Option<Limit>, n: usize) -> Vec<RestoreJob> {
        block_on(async {
            let mut jobs = client.list_all(limit);
            let mut taken = Vec::new();
            while taken.len() < n {
                match next(&mut jobs).await {
                    Some(Ok(job)) => taken.push(job),
                    _ => break,
                }
            }
            taken
        })
    }

    fn describe(client: &Client, id: &JobId) -> Result<RestoreJob, Error> {
        block_on(client.describe(id))
    }

    fn wait(
        client: &Client,
        id: &JobId,
        options: &WaitOptions,
    ) -> (Result<WaitOutcome, Error>, Vec<RestoreJob>) {
        let mut snapshots = Vec::new();
        let outcome = block_on(client.wait(id, options, |job| snapshots.push(job.clone())));
        (outcome, snapshots)
    }

    fn wait_all(
        client: &Client,
        ids: &[JobId],
        options: &WaitOptions,
    ) -> (Vec<WaitEnd>, Vec<(usize, RestoreJob)>) {
        let mut snapshots = Vec::new();
        let ends =
            block_on(client.wait_all(ids, options, |i, job| snapshots.push((i, job.clone()))));
        (ends, snapshots)
    }

    fn list_backups(
        client: &Client,
        listing: &BackupListing,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        block_on(async {
            match listing {
                BackupListing::Project => client.list_backups(limit, token).await,
                BackupListing::Index(listing) => {
                    client.list_index_backups(listing, limit, token).await
                }
            }
        })
    }

    fn list_all_backups(
        client: &Client,
        listing: BackupListing,
        limit: Option<Limit>,
    ) -> WalkedBackups {
        block_on(async {
            match listing {
                BackupListing::Project => walked(client.list_all_backups(limit)).await,
                BackupListing::Index(listing) => {
                    walked(client.list_all_index_backups(listing, limit)).await
                }
            }
        })
    }

    fn describe_backup(client: &Client, id: &BackupId) -> Result<Backup, Error> {
        block_on(client.describe_backup(id))
    }

    fn newest_ready_backup(client: &Client, index: &IndexName) -> Result<Option<Backup>, Error> {
        block_on(client.newest_ready_backup(index))
    }

    fn create_index_from_backup(
        client: &Client,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Result<StartedRestore, Error> {
        block_on(client.create_index_from_backup(backup, request))
    }
}

pinecone_restore_conformance::scenarios!(Reqwest);
