//! An async client for Pinecone backups and restores over [reqwest](https://docs.rs/reqwest)
//! and tokio, built on the sans-IO [`pinecone-restore-core`](pinecone_restore_core).
//!
//! It is the blocking `pinecone-restore-ureq` client's twin: the same names, the same
//! settings, the same core deciding everything (parsing, paging, retrying, waiting, starting a
//! restore safely, scrubbing secrets), with `async fn` where it does I/O. This crate sends the
//! bytes, sleeps with `tokio::time::sleep` and streams; nothing is spawned, so dropping a
//! future or a [`Jobs`] stream cancels it cleanly.
//!
//! - Its methods are core's [`AsyncApi`] (bring it into scope with `use
//!   pinecone_restore_reqwest::prelude::*`), the blocking adapter's list with `async`: restore
//!   jobs ([`AsyncApi::list_page`], [`AsyncApi::list_all`] as a [`Jobs`] stream,
//!   [`AsyncApi::describe`], [`AsyncApi::wait`], [`AsyncApi::wait_all`],
//!   [`AsyncApi::create_index_from_backup`]) and backups ([`AsyncApi::list_backups`] /
//!   [`AsyncApi::list_all_backups`], [`AsyncApi::list_index_backups`] /
//!   [`AsyncApi::list_all_index_backups`], [`AsyncApi::describe_backup`] and
//!   [`AsyncApi::newest_ready_backup`]); taking and retiring backups
//!   ([`AsyncApi::create_backup`], safe to retry; [`AsyncApi::wait_backup`] /
//!   [`AsyncApi::wait_backups`], [`AsyncApi::delete_backup`], and a retention rule's
//!   [`AsyncApi::plan_prune`] then [`AsyncApi::prune`]); backup schedules on API 2026-07
//!   ([`AsyncApi::list_schedules`], [`AsyncApi::create_schedule`],
//!   [`AsyncApi::describe_schedule`], [`AsyncApi::update_schedule`],
//!   [`AsyncApi::delete_schedule`], [`AsyncApi::schedule_history`]); [`AsyncApi::call`],
//!   [`AsyncApi::walk`] and [`AsyncApi::run`] for anything else core can run.
//! - One pooled [`reqwest::Client`] per [`Client`]; cloning is cheap.
//! - rustls with the ring provider and Mozilla's roots; no OpenSSL.
//! - Redirects never followed; error statuses handed to core; each attempt bounded by core's
//!   timeout (and a read timeout); the body capped as it streams in, after decompression;
//!   environment proxies, never for a loopback base.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob};
//! use pinecone_restore_reqwest::prelude::*;
//! use pinecone_restore_reqwest::{ApiKey, Client, JobId, WaitOptions, WaitOutcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // a local fake control plane with one job that completes after 2 polls, on
//! // http://127.0.0.1:PORT (plain HTTP is allowed without opt-in on loopback only)
//! let server = FakeControlPlane::builder()
//!     .job(FakeJob::progressing("restore-1", 2, Ending::Completed))
//!     .start()?;
//! let client = Client::builder(ApiKey::new("my-api-key")?)
//!     .base_url(server.base_url())
//!     .build()?;
//! let options = WaitOptions::default().interval(Duration::from_millis(10));
//! let outcome = client
//!     .wait(&JobId::new("restore-1")?, &options, |job| {
//!         println!("{}: {}", job.restore_job_id(), job.status());
//!     })
//!     .await?;
//! assert!(matches!(outcome, WaitOutcome::Completed(_)));
//! # Ok(())
//! # }
//! ```
//!
//! # TLS
//!
//! rustls, trusting the same roots as the blocking adapter: Mozilla's by default or the
//! system's store ([`ClientBuilder::root_store`]), plus any extra roots from a PEM file
//! ([`ClientBuilder::ca_cert_file`], or `PINECONE_CA_CERT` for [`Client::from_env`]).
//!
//! # Features
//!
//! - `tracing` (off by default): every decision core makes (each attempt and its retry or
//!   give-up, each page of a walk, each poll of a wait, each recovery step of a start) becomes
//!   a [`tracing`](https://docs.rs/tracing) event with structured fields, target
//!   `pinecone_restore`, inside one span per operation; see `pinecone-restore-tracing` for the
//!   fields. No key, token or body is in any of them. [`Client::on_event`] hands the same
//!   events to a closure either way.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod client;
mod transport;

pub use client::{Backups, Client, ClientBuilder, Jobs, Walk};
pub use pinecone_restore_adapter::asynchronous::*;
