//! The sans-IO core of a Pinecone restore-jobs client.
//!
//! This crate builds requests as plain data and turns response bytes into validated, typed
//! values. It opens no sockets, reads no clocks and draws no random numbers: time and
//! randomness are arguments, so any transport (blocking, async, a test double) can drive it.
//!
//! - [`Config`] holds the base URL, the [`ApiKey`] (redacted in `Debug`), the API version and
//!   the `User-Agent`; [`Config::list_request`] and [`Config::describe_request`] build
//!   [`Request`]s.
//! - [`Response`] takes what came back (status, headers, body) and yields a [`ListPage`], a
//!   [`RestoreJob`] or an [`Error`] that says where and what.
//! - [`Pager`] walks every page, [`RetryPolicy`] decides retries, [`Waiter`] decides when a
//!   restore job has finished.
//!
//! # The whole cycle
//!
//! ```
//! use pinecone_restore_core::{ApiKey, Config, JobStatus, Limit, Response};
//!
//! let config = Config::builder(ApiKey::new("my-api-key")?).build()?;
//! let request = config.list_request(Some(Limit::new(10)?), None);
//! assert_eq!(request.url, "https://api.pinecone.io/restore-jobs?limit=10");
//! assert_eq!(request.header("X-Pinecone-Api-Version"), Some("2025-04"));
//!
//! // ... any transport sends `request` and hands back what it received:
//! let body = br#"{"data": [{
//!     "restore_job_id": "670e8400-e29b-41d4-a716-446655440001",
//!     "backup_id": "670e8400-e29b-41d4-a716-446655440000",
//!     "target_index_name": "my-index", "target_index_id": "idx_456",
//!     "status": "Completed", "percent_complete": 100,
//!     "created_at": "2024-03-15T10:30:00.000Z", "completed_at": "2024-03-15T10:35:00.000Z"
//! }], "pagination": null}"#;
//! let page = Response { status: 200, headers: &[], body }.list_page()?;
//! assert_eq!(page.jobs[0].status(), &JobStatus::Completed);
//! assert!(page.next.is_none());
//! # Ok::<(), pinecone_restore_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod error;
mod model;
mod pager;
mod parse;
mod request;
mod response;
mod retry;
mod timestamp;
mod wait;

pub use config::{
    API_KEY_HEADER, API_VERSION_HEADER, ApiKey, BaseUrl, Config, ConfigBuilder,
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, Scheme,
};
pub use error::{
    ApiError, Error, ErrorCode, InvalidArgument, InvalidResponse, InvalidResponseKind,
};
pub use model::{JobStatus, ListPage, Percent, RestoreJob, format_utc};
pub use pager::Pager;
pub use parse::{parse_job, parse_list_page};
pub use request::{JobId, Limit, Method, Request, encode_component};
pub use response::Response;
pub use retry::{
    Failure, Retry, RetryDecision, RetryPolicy, TransportFailure, is_retryable_status,
};
pub use wait::{WaitStep, Waiter};

/// Re-exported so callers can name timestamp types without depending on `time` themselves.
pub use time::OffsetDateTime;
