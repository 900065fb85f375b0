//! The conformance kit, run against the blocking adapter: every scenario of
//! `pinecone-restore-conformance` is one test here.

use pinecone_restore_conformance::{Adapter, BackupListing, Walked, WalkedBackups};
use pinecone_restore_core::{
    Backup, BackupId, BackupPage, Config, ConfigBuilder, CreateIndexFromBackup, Error, IndexName,
    JobId, Limit, ListPage, PaginationToken, RestoreJob, StartedRestore, WaitEnd, WaitOptions,
    WaitOutcome,
};
use pinecone_restore_ureq::{Backups, Client, ClientBuilder};

/// Collects a walk over backups.
fn walked<L: pinecone_restore_core::Listing<Item = Backup>>(
    mut backups: Backups<'_, L>,
) -> WalkedBackups {
    let mut walked = WalkedBackups {
        backups: Vec::new(),
        error: None,
        pages: 0,
        duplicates: 0,
    };
    for backup in backups.by_ref() {
        match backup {
            Ok(backup) => walked.backups.push(backup),
            Err(e) => walked.error = Some(e),
        }
    }
    walked.pages = backups.pages();
    walked.duplicates = backups.duplicates_skipped();
    walked
}

struct Ureq;

impl Adapter for Ureq {
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
        client.list_page(limit, token)
    }

    fn list_all(client: &Client, limit: Option<Limit>, token: Option<&PaginationToken>) -> Walked {
        let mut jobs = client.list_all_from(limit, token);
        let mut walked = Walked {
            jobs: Vec::new(),
            error: None,
            pages: 0,
            duplicates: 0,
            resume_token: None,
        };
        for job in jobs.by_ref() {
            match job {
                Ok(job) => walked.jobs.push(job),
                Err(e) => walked.error = Some(e),
            }
        }
        walked.pages = jobs.pages();
        walked.duplicates = jobs.duplicates_skipped();
        walked.resume_token = jobs.resume_token().cloned();
        walked
    }

    fn list_first(client: &Client, limit: Option<Limit>, n: usize) -> Vec<RestoreJob> {
        client
            .list_all(limit)
            .take(n)
            .filter_map(Result::ok)
            .collect()
    }

    fn describe(client: &Client, id: &JobId) -> Result<RestoreJob, Error> {
        client.describe(id)
    }

    fn wait(
        client: &Client,
        id: &JobId,
        options: &WaitOptions,
    ) -> (Result<WaitOutcome, Error>, Vec<RestoreJob>) {
        let mut snapshots = Vec::new();
        let outcome = client.wait(id, options, |job| snapshots.push(job.clone()));
        (outcome, snapshots)
    }

    fn wait_all(
        client: &Client,
        ids: &[JobId],
        options: &WaitOptions,
    ) -> (Vec<WaitEnd>, Vec<(usize, RestoreJob)>) {
        let mut snapshots = Vec::new();
        let ends = client.wait_all(ids, options, |i, job| snapshots.push((i, job.clone())));
        (ends, snapshots)
    }

    fn list_backups(
        client: &Client,
        listing: &BackupListing,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Result<BackupPage, Error> {
        match listing {
            BackupListing::Project => client.list_backups(limit, token),
            BackupListing::Index(listing) => client.list_index_backups(listing, limit, token),
        }
    }

    fn list_all_backups(
        client: &Client,
        listing: BackupListing,
        limit: Option<Limit>,
    ) -> WalkedBackups {
        match listing {
            BackupListing::Project => walked(client.list_all_backups(limit)),
            BackupListing::Index(listing) => walked(client.list_all_index_backups(listing, limit)),
        }
    }

    fn describe_backup(client: &Client, id: &BackupId) -> Result<Backup, Error> {
        client.describe_backup(id)
    }

    fn newest_ready_backup(client: &Client, index: &IndexName) -> Result<Option<Backup>, Error> {
        client.newest_ready_backup(index)
    }

    fn create_index_from_backup(
        client: &Client,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Result<StartedRestore, Error> {
        client.create_index_from_backup(backup, request)
    }
}

pinecone_restore_conformance::scenarios!(Ureq);
