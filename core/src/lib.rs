//! The sans-IO core of a Pinecone restore-jobs client.
//!
//! This crate builds requests as plain data, turns response bytes into validated, typed
//! values, and makes every decision in between: when to retry and how long to wait, how to
//! walk every page, when a wait is over, how to start a restore safely, what is shown to a
//! person and what is scrubbed from it. It opens no sockets, reads no clocks and draws no
//! random numbers: time and randomness are arguments, so any transport (blocking, async, a
//! test double) drives it with the same short loop and copies nothing else.
//!
//! - [`Config`] holds the base URL, the [`ApiKey`] (redacted in `Debug`), the [`ApiVersion`]
//!   and its rules, the limits (timeouts, body cap, [`RetryPolicy`], page cap); build it with
//!   [`Config::builder`] or [`ConfigBuilder::from_env`].
//! - Everything a `Config` can start is in one file, ops.rs: [`Config::list_page`] and
//!   [`Config::describe`] ([`Call`]), [`Config::walk`] ([`Walk`]), [`Config::wait`]
//!   ([`Wait`]), [`Config::wait_all`] ([`WaitAll`]) and [`Config::create_index_from_backup`]
//!   ([`Start`]); for backups [`Config::list_backups_page`],
//!   [`Config::list_index_backups_page`] and [`Config::describe_backup`] ([`Call`]),
//!   [`Config::walk_backups`] and [`Config::walk_index_backups`] ([`Walk`]), with
//!   [`newest_ready`] to pick the backup a restore starts from; all driven through
//!   [`Operation`].
//! - Operations compose one call: a [`Call`] is one `GET` with its retries, deadline,
//!   scrubbing, expected statuses and parser; a [`Walk`] holds one `Call` a page of any
//!   [`Listing`] and reacts to its result, a [`Wait`] one `Call` a describe, a [`WaitAll`]
//!   one `Wait` a job, a [`Start`] its `POST` and, after an ambiguous failure, a `Walk`.
//!   Which failures are retried is decided in one table that every one of them reads.
//! - [`Error`] is the one error type of every adapter; every text in it went through
//!   [`text`], which escapes, bounds and scrubs.
//!
//! The nouns of one exchange, in the order they occur:
//!
//! - a [`Request`] is what to send: method, URL, headers, body, all plain data;
//! - an [`Attempt`] is one try at sending a request, with the bounds the transport applies
//!   to it (timeout, connect timeout, body cap);
//! - a [`Response`] is what came back, borrowed, as an operation's `handle` takes it;
//!   [`drive::Reply`] is the same answer owned, as a [`drive::Transport`] returns it;
//! - a [`Step`] is what the operation says to do next: send an attempt, sleep, take an item,
//!   or done.
//!
//! # Adding an endpoint
//!
//! A new `GET` is three pieces and no new state machine:
//!
//! 1. a request builder: a method in the "Requests" block of ops.rs that formats the URL
//!    (path segments through [`encode_component`]) and calls the shared header builder;
//! 2. a validating parser in `parse/` (`fn(&[u8], rules, secrets) -> Result<T, Error>`) with
//!    its fuzz target;
//! 3. the glue: a method in the "Operations" block of ops.rs returning
//!    `Call::get(self, request, &[200], parser)`.
//!
//! A paginated listing adds a type implementing [`Listing`] (holding what its pages need
//! beside the limit and the token, such as [`IndexBackups`]'s index; its page call, how a page
//! splits into items and the next token, and the id that tells two items apart); the
//! [`Walk`] over it and the iterators [`drive::Items`] and [`drive::AsyncItems`] come with
//! it, bounds and de-duplication included. Retries, deadlines, status handling and scrubbing
//! are the `Call`'s: an endpoint never re-decides them.
//!
//! The three backup endpoints (`GET /backups`, `GET /indexes/{name}/backups`,
//! `GET /backups/{id}`) were added so: the request builders share one query builder with the
//! restore-job listing; each parser is a visitor in
//! `parse/backup.rs` on the shared key, path, value and pagination machinery; the glue is a
//! `Call::get` each and a `Listing` impl each for the two listings.
//!
//! # The whole cycle
//!
//! ```
//! use std::time::{Instant, SystemTime};
//! use pinecone_restore_core::{
//!     ApiKey, Config, JobStatus, Limit, Now, Operation, Response, Step, TransportError,
//! };
//!
//! let config = Config::builder(ApiKey::new("my-api-key")?).build()?;
//! let mut call = config.list_page(Some(Limit::new(10)?), None);
//!
//! // any transport: send what core says, sleep when it says, hand back what happened
//! let send = |attempt: &pinecone_restore_core::Attempt| -> Result<(u16, Vec<u8>), TransportError> {
//!     assert_eq!(attempt.request.url, "https://api.pinecone.io/restore-jobs?limit=10");
//!     assert_eq!(attempt.request.header("X-Pinecone-Api-Version"), Some("2025-04"));
//!     Ok((200, br#"{"data": [{
//!         "restore_job_id": "670e8400-e29b-41d4-a716-446655440001",
//!         "backup_id": "670e8400-e29b-41d4-a716-446655440000",
//!         "target_index_name": "my-index", "target_index_id": "idx_456",
//!         "status": "Completed", "percent_complete": 100,
//!         "created_at": "2024-03-15T10:30:00.000Z", "completed_at": "2024-03-15T10:35:00.000Z"
//!     }], "pagination": null}"#.to_vec()))
//! };
//! let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
//! let page = loop {
//!     match call.next_step(now()) {
//!         Step::Send(attempt) => match send(&attempt) {
//!             Ok((status, body)) => {
//!                 call.handle(Ok(Response { status, headers: &[], body: &body }), now(), 42)
//!             }
//!             Err(failure) => call.handle(Err(failure), now(), 42),
//!         },
//!         Step::Sleep(delay) => std::thread::sleep(delay),
//!         Step::Yield(never) => match never {},
//!         Step::Done(result) => break result?,
//!     }
//! };
//! assert_eq!(page.jobs[0].status(), &JobStatus::Completed);
//! assert!(page.next.is_none());
//! # Ok::<(), pinecone_restore_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod engine;
mod error;
pub mod event;
mod parse;
mod request;
mod resources;
mod response;
mod status;
pub mod text;
mod timestamp;
mod transport;
mod version;

pub use config::{
    API_KEY_HEADER, API_VERSION_HEADER, ApiKey, BaseUrl, Config, ConfigBuilder, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PAGES, DEFAULT_REQUEST_TIMEOUT,
    ENV_API_KEY, ENV_CA_CERT, ENV_HOST, ENV_ROOT_STORE, ProxyRoute, RootStore, Scheme,
};
pub use engine::call::{Attempt, Call, Now, Operation, Step};
pub use engine::candidate::{Candidate, Unclaimed, UnclaimedJob};
pub use engine::create::{Create, Creation};
pub use engine::drive;
pub use engine::endpoint::{Endpoint, Retry};
pub use engine::jitter::Jitter;
pub use engine::retry::RetryPolicy;
pub use engine::wait::{Wait, WaitOptions, WaitOutcome};
pub use engine::wait_all::{JobSnapshot, WaitAll, WaitEnd};
pub use engine::walk::{Collect, Listing, MAX_PAGES_WITHOUT_NEW_JOBS, Walk};
pub use error::{
    ApiError, Error, ErrorCode, InvalidArgument, InvalidArgumentKind, InvalidResponse,
    InvalidResponseKind, UnclaimedError,
};
pub use request::{
    BackupId, IndexName, JobId, Limit, MAX_ID_LEN, MAX_TOKEN_LEN, Method, PaginationToken, Request,
    encode_component,
};
pub use resources::backups::model::{Backup, BackupPage, BackupStatus, newest, newest_ready};
pub use resources::backups::{IndexBackups, ProjectBackups, parse_backup, parse_backup_page};
#[doc(hidden)]
pub use resources::restore_jobs::differential;
pub use resources::restore_jobs::model::{JobStatus, ListPage, Percent, RestoreJob};
pub use resources::restore_jobs::restore::{
    CreateIndexFromBackup, DeletionProtection, StartedRestore, Tag, Tags,
};
pub use resources::restore_jobs::{
    RestoreFromBackup, RestoreJobs, Start, parse_job, parse_list_page, parse_started_restore,
};
pub use resources::{backups, restore_jobs};
pub use response::Response;
pub use status::is_retryable_status;
pub use timestamp::format_utc;
pub use transport::{TlsProblem, TransportError, TransportKind};
pub use version::ApiVersion;

/// Re-exported so callers can name timestamp types without depending on `time` themselves.
pub use time::OffsetDateTime;
