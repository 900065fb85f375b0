//! A blocking client for Pinecone backups and restores over [ureq](https://docs.rs/ureq),
//! built on the sans-IO [`pinecone-restore-core`](pinecone_restore_core).
//!
//! Core builds every request and makes every decision (parsing, paging, retrying, waiting,
//! starting a restore safely, scrubbing secrets); this crate sends the bytes and sleeps. A
//! [`Client`] holds one [`ureq::Agent`], so a walk over many pages uses one kept-alive
//! connection.
//!
//! - Configure with [`Client::builder`] (core's settings, the same in every adapter) or from
//!   the environment with [`Client::from_env`] (`PINECONE_API_KEY`, and
//!   `PINECONE_CONTROLLER_HOST` for the control plane).
//! - The client's methods are core's [`Api`] (bring it into scope with `use
//!   pinecone_restore_ureq::prelude::*`), the same list as the async adapter's:
//!   [`Api::list_page`] fetches one page, [`Api::list_all`] iterates over every job of every
//!   page, [`Api::describe`] fetches one job, [`Api::wait`] polls until a job finishes,
//!   [`Api::create_index_from_backup`] starts a restore.
//! - Backups, the step before a restore: [`Api::list_backups`] and [`Api::list_all_backups`]
//!   (the project's), [`Api::list_index_backups`] and [`Api::list_all_index_backups`] (one
//!   index's), [`Api::describe_backup`], and [`Api::newest_ready_backup`] to find what a
//!   restore "from the latest" starts from.
//! - Taking and retiring backups: [`Api::create_backup`] (safe to retry: never two),
//!   [`Api::wait_backup`] and [`Api::wait_backups`], [`Api::delete_backup`], and a retention
//!   rule in two steps, [`Api::plan_prune`] (decided from complete listings) then
//!   [`Api::prune`].
//! - Backup schedules (API 2026-07): [`Api::list_schedules`], [`Api::create_schedule`],
//!   [`Api::describe_schedule`], [`Api::update_schedule`], [`Api::delete_schedule`] and
//!   [`Api::schedule_history`].
//! - Anything else core can run: [`Api::call`] for any endpoint, [`Api::walk`] for any
//!   listing, [`Api::run`] for any operation.
//! - It never follows a redirect, bounds each attempt with core's timeout and caps the body as
//!   it streams in; core retries connect failures, timeouts, resets and 408/429/5xx answers as
//!   the [`RetryPolicy`] allows (honouring `Retry-After`).
//! - Errors are core's one [`Error`], with predicates such as [`Error::is_retryable`].
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
//! use pinecone_restore_ureq::prelude::*;
//! use pinecone_restore_ureq::{ApiKey, Client, JobId, Limit, WaitOptions, WaitOutcome};
//!
//! // a local fake control plane with 3 finished jobs and one that completes after 2 polls,
//! // on http://127.0.0.1:PORT (plain HTTP is allowed without opt-in on loopback only)
//! let server = FakeControlPlane::builder()
//!     .jobs(3)
//!     .job(FakeJob::progressing("restore-1", 2, Ending::Completed))
//!     .start()?;
//! let client = Client::builder(ApiKey::new("my-api-key")?)
//!     .base_url(server.base_url())
//!     .build()?;
//!
//! // every job, across pages of 2: the 3 finished ones and restore-1
//! let mut ids = Vec::new();
//! for job in client.list_all(Some(Limit::new(2)?)) {
//!     ids.push(job?.restore_job_id().to_owned());
//! }
//! assert_eq!(ids.len(), 4);
//!
//! // follow one job until it finishes, seeing each snapshot
//! let options = WaitOptions::default().interval(Duration::from_millis(10));
//! let outcome = client.wait(&JobId::new("restore-1")?, &options, |job| {
//!     println!("{}: {}", job.restore_job_id(), job.status().as_str());
//! })?;
//! assert!(matches!(outcome, WaitOutcome::Completed(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # TLS
//!
//! rustls, trusting Mozilla's roots by default or the system's store
//! ([`ClientBuilder::root_store`]), plus any extra roots from a PEM file
//! ([`ClientBuilder::ca_cert_file`], or `PINECONE_CA_CERT` for [`Client::from_env`]).
//!
//! # Features
//!
//! - `tracing` (off by default): every decision core makes (each attempt and its retry or
//!   give-up, each page of a walk, each poll of a wait, each recovery step of a start) becomes
//!   a [`tracing`](https://docs.rs/tracing) event with structured fields, target
//!   `pinecone_restore`, inside one span per operation; see `pinecone-restore-tracing` for the
//!   fields. No key, token or body is in any of them. Without the feature `tracing` is not in
//!   the dependency tree; [`Client::on_event`] hands the same events to a closure either way.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod client;
mod resolve;
mod transport;

pub use client::{Backups, Client, ClientBuilder, Jobs, Walk};
pub use pinecone_restore_adapter::blocking::*;
