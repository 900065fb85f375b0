//! The sans-IO core of a Pinecone backup-and-restore client.
//!
//! It builds requests as plain data, turns response bytes into validated, typed values (or an
//! error that says where and what), and makes every decision in between: when to retry and
//! how long to wait, how to walk every page, when a wait is over, how to create something
//! safely when an answer is lost, what is shown to a person and what is scrubbed from it. It
//! opens no sockets, reads no clocks and draws no random numbers: time and randomness are
//! arguments, so any transport (blocking, async, a test double) drives it with the same short
//! loop and copies nothing else.
//!
//! **Most programs want an adapter on top of it**: `pinecone-restore-ureq` (blocking) or
//! `pinecone-restore-reqwest` (async, tokio). Their clients have every method of
//! [`drive::Api`] / [`drive::AsyncApi`] (`list_page`, `list_all`, `describe`, `wait`,
//! `wait_all`, `create_index_from_backup`, the backups' …). Use this crate directly to drive
//! the same logic over another HTTP stack, or to read the API's answers with its validation.
//!
//! # The whole cycle, over any transport
//!
//! A transport sends what core says, sleeps when it says, and hands back what happened:
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
//!
//! In practice a transport implements [`drive::Transport`] (send and sleep) or
//! [`drive::AsyncTransport`], and gets every method of [`drive::Api`] or [`drive::AsyncApi`].
//!
//! # What is here
//!
//! - [`Config`]: the base URL, the [`ApiKey`] (redacted in `Debug`), the [`ApiVersion`] and its
//!   rules, the limits (timeouts, body cap, [`RetryPolicy`], page cap); build it with
//!   [`Config::builder`] or [`ConfigBuilder::from_env`].
//! - The resources and their endpoints, one module each: [`restore_jobs`] (list, describe,
//!   start a restore) and [`backups`] (list the project's or an index's, describe, pick the
//!   newest `Ready`). Each endpoint is one [`Endpoint`] value; the [`Config`] methods name the
//!   operations that run them ([`Config::list_page`], [`Config::describe`],
//!   [`Config::wait`], [`Config::wait_all`], [`Config::create_index_from_backup`],
//!   [`Config::list_backups_page`], [`Config::newest_ready_backup`], …).
//! - The operations, driven through [`Operation`]: a [`Call`] runs one endpoint with its
//!   retries, deadline, expected statuses and parser; a [`Walk`] holds one call a page of any
//!   [`Listing`]; a [`Wait`] one a describe; a [`WaitAll`] rounds of one walk and the
//!   describes it leaves, each job judged by the rules a lone wait's are; a [`Create`] its
//!   `POST` and, after an ambiguous failure, a walk that finds what it made. Which failures are
//!   retried is decided in one table every one of them reads.
//! - [`Error`], the one error type of every adapter, with predicates to branch on; every text
//!   in it went through [`text`], which escapes, bounds and scrubs. [`event`]: every decision
//!   an operation makes, for logs.
//! - Parsers for each answer ([`parse_list_page`], [`parse_job`], [`parse_backup_page`], …),
//!   strict by each version's rules.
//!
//! The nouns of one exchange, in the order they occur: a [`Request`] is what to send (method,
//! URL, headers, body, all plain data); an [`Attempt`] is one try at sending it, with the
//! bounds the transport applies (timeout, connect timeout, body cap); a [`Response`] is what
//! came back, borrowed ([`drive::Reply`] owned); a [`Step`] is what the operation says to do
//! next: send an attempt, sleep, take an item, or done.
//!
//! # Adding an endpoint
//!
//! (For contributors.) An endpoint is written once, in its resource's module
//! (`core/src/resources/<resource>/`): a function returning an [`Endpoint`], a parser, and a
//! line in the list of [`drive::Api`] (`core/src/engine/drive/api.rs`) that gives every
//! adapter its method. The adapters, the conformance kit's `Adapter` and the engine do not
//! change; the kit reaches it through its generic drivers (one helper in
//! `tests/conformance/src/api.rs` for its scenarios).
//!
//! - **`GET`**: `Endpoint::get(name, path, parser)`, the path's segments through
//!   [`encode_component`]; the parser a visitor on the machinery of `core/src/parse/`
//!   (`Scope`, `keys`, `value`), with its fuzz target in `fuzz/`. Name the operation in a
//!   `Config` method of the resource (`config.call(endpoint)`).
//! - **A paginated `GET`**: `.page(limit, token)` on the endpoint, the page parsed by
//!   `parse::page::PageVisitor` over an `Element` impl of its item, and a type implementing
//!   [`Listing`] (the endpoint of a page, how a page splits into items and the next token, the
//!   id that tells two items apart, what they are called): [`Walk`], [`drive::Items`],
//!   [`drive::AsyncItems`] and the kit's walk come with it, bounds and de-duplication
//!   included. Its walk gets a line in the `walks` section of the list.
//! - **`POST`** that the server refuses to repeat (a unique name: 409): a type implementing
//!   [`Creation`] (its endpoint, the [`Listing`] to look in, which items our request can
//!   have made, how one is named when not claimed) and `config.create(creation)`; [`Create`]
//!   retries, looks up and claims on the server's clock. One the server would repeat sets
//!   [`Creation::LOOK_BEFORE_RETRY`]: it looks before any retry, so a run never makes two.
//! - **`PATCH`**: `Endpoint::new(name, Method::Patch, path, &[200], parser).body(json)`:
//!   retried as a `GET` (absolute values: sending twice does what sending once does).
//! - **`DELETE`**: `Endpoint::new(name, Method::Delete, path, &[202], parser)`, the parser
//!   reading the status (a bodyless success is a parser like any other), and
//!   `.gone_after_ambiguous()` so a `404` after an attempt that may have taken effect reads as
//!   gone; a `404` to the first attempt stays an error.
//! - A success status that changes with the version: `.success_by_version(..)`; an endpoint
//!   or option only some versions have: `.needs(argument, since, allows)`, refused before
//!   anything is sent.
//!
//! The three backup `GET`s were added so: `resources/backups/mod.rs` holds `list`,
//! `list_index` and `describe` and the listings `ProjectBackups` and `IndexBackups`,
//! `resources/backups/parse.rs` the visitor, and `engine/drive/api.rs` their lines.
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
pub use engine::endpoint::{Endpoint, Parser, Retry};
pub use engine::jitter::Jitter;
pub use engine::retry::RetryPolicy;
pub use engine::wait::{Followed, Settled, Wait, WaitEnd, WaitOptions, WaitOutcome};
pub use engine::wait_all::{JobSnapshot, WaitAll};
pub use engine::walk::{Collect, Listing, MAX_PAGES_WITHOUT_NEW_JOBS, Walk};
pub use error::{
    ApiError, Error, ErrorCode, InvalidArgument, InvalidArgumentKind, InvalidResponse,
    InvalidResponseKind, UnclaimedError,
};
pub use request::{
    BackupId, BackupName, IndexName, JobId, Limit, MAX_ID_LEN, MAX_TOKEN_LEN, Method,
    PaginationToken, Request, ScheduleId, encode_component,
};
pub use resources::backups::model::{Backup, BackupPage, BackupStatus, newest, newest_ready};
pub use resources::backups::{
    BackupOf, BackupsOf, CreateBackup, Decision, Deletion, IndexBackups, PlanPrune, ProjectBackups,
    Prune, PrunePlan, PruneReport, Reason, Retention, parse_backup, parse_backup_page, plan_prune,
};
#[doc(hidden)]
pub use resources::restore_jobs::differential;
pub use resources::restore_jobs::model::{JobStatus, ListPage, Percent, RestoreJob};
pub use resources::restore_jobs::restore::{
    CreateIndexFromBackup, DeletionProtection, StartedRestore, Tag, Tags,
};
pub use resources::restore_jobs::{
    RestoreFromBackup, RestoreJobs, Start, parse_job, parse_list_page, parse_started_restore,
};
pub use resources::schedules::{
    BackupSchedule, CreateSchedule, Frequency, HistoryPage, IndexSchedules, RetainDays,
    ScheduleHistory, ScheduleName, ScheduleOf, SchedulePage, UpdateSchedule, parse_history_page,
    parse_schedule, parse_schedule_page,
};
pub use resources::{backups, restore_jobs, schedules};
pub use response::Response;
pub use status::is_retryable_status;
pub use timestamp::format_utc;
pub use transport::{TlsProblem, TransportError, TransportKind};
pub use version::ApiVersion;

/// Re-exported so callers can name timestamp types without depending on `time` themselves.
pub use time::OffsetDateTime;
