//! A blocking client for Pinecone restore jobs over [ureq](https://docs.rs/ureq), built on the
//! sans-IO [`pinecone-restore-core`](pinecone_restore_core).
//!
//! Core builds every request and makes every decision (parsing, paging, retrying, waiting);
//! this crate only moves the bytes and sleeps. A [`Client`] holds one [`ureq::Agent`], so a walk
//! over many pages uses one kept-alive connection.
//!
//! - Configure with [`Client::builder`] or from the environment with [`Client::from_env`]
//!   (`PINECONE_API_KEY`, and `PINECONE_CONTROLLER_HOST` for the base URL).
//! - [`Client::list_page`] fetches one page, [`Client::list_all`] iterates over every job of
//!   every page, [`Client::describe`] fetches one job, [`Client::wait`] polls until a job
//!   finishes.
//! - Every call retries connect failures, timeouts and 408/429/5xx answers as the
//!   [`RetryPolicy`] allows (honouring `Retry-After`); it never follows a redirect, bounds each
//!   request with a timeout and caps the response body.
//! - Errors are one [`Error`]: core's error or a [`TransportError`] of some
//!   [`TransportKind`], with predicates such as [`Error::is_retryable`].
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use pinecone_restore_ureq::{ApiKey, Client, JobId, Limit, WaitOptions, WaitOutcome};
//! # use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
//! # let server = FakeControlPlane::builder()
//! #     .jobs(3)
//! #     .job(FakeJob::progressing("restore-1", 2, Ending::Completed))
//! #     .start()?;
//!
//! // the fake control plane serves on http://127.0.0.1:PORT, allowed without opt-in
//! let client = Client::builder(ApiKey::new("my-api-key")?)
//!     .base_url(server.base_url())
//!     .build()?;
//!
//! // every job, across pages of 2
//! let mut ids = Vec::new();
//! for job in client.list_all(Some(Limit::new(2)?)) {
//!     ids.push(job?.restore_job_id().to_owned());
//! }
//! assert_eq!(ids.len(), 4);
//!
//! // follow one job until it finishes, seeing each snapshot
//! let options = WaitOptions { interval: Duration::from_millis(10), ..WaitOptions::default() };
//! let outcome = client.wait(&JobId::new("restore-1")?, &options, |job| {
//!     println!("{}: {}", job.restore_job_id(), job.status().as_str());
//! })?;
//! assert!(matches!(outcome, WaitOutcome::Completed(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `platform-roots`: verify TLS certificates against the operating system's root store
//!   (through `rustls-platform-verifier`) instead of the bundled Mozilla roots.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod client;
mod error;
mod jobs;
mod resolve;
mod rng;
mod wait;

pub use pinecone_restore_core as core;
pub use pinecone_restore_core::{
    ApiKey, ErrorCode, JobId, JobStatus, Limit, ListPage, Percent, RestoreJob, RetryPolicy,
};

pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_REQUEST_TIMEOUT, ENV_API_KEY, ENV_HOST,
};
pub use error::{Error, TransportError, TransportKind};
pub use jobs::Jobs;
pub use wait::{WaitOptions, WaitOutcome};
