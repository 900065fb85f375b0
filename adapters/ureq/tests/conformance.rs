//! The conformance kit, run against the blocking adapter: every scenario of
//! `pinecone-restore-conformance` is one test here.

use pinecone_restore_conformance::{Adapter, Walked};
use pinecone_restore_core::{
    BackupId, Config, ConfigBuilder, CreateIndexFromBackup, Error, JobId, Limit, ListPage,
    PaginationToken, RestoreJob, StartedRestore, WaitEnd, WaitOptions, WaitOutcome,
};
use pinecone_restore_ureq::{Client, ClientBuilder};

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

    fn create_index_from_backup(
        client: &Client,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Result<StartedRestore, Error> {
        client.create_index_from_backup(backup, request)
    }
}

pinecone_restore_conformance::scenarios!(Ureq);
