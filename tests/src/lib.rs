//! A fake Pinecone control plane for restore jobs: a real HTTP server on `127.0.0.1` that
//! answers `GET /restore-jobs` and `GET /restore-jobs/{id}` the way the real API does.
//!
//! It is the server side of the project's tests, the CLI's `--demo` mode and the benchmarks.
//! It behaves like the API where clients get it wrong: opaque base64 pagination tokens that
//! always contain `+`, `/` and `=` (a token sent without percent-encoding gets 400), pages
//! that may overlap, `"pagination": null` on the last page, `limit` checked to `1..=100`, 404
//! for unknown ids, 401 for a wrong key, jobs that progress as they are polled, and faults
//! (429 with `Retry-After`, 5xx, an HTML 502 from a proxy, empty bodies) queued at run time.
//! Every answer carries a unique `x-pinecone-request-id`.
//!
//! The API is blocking: the server runs on its own thread and stops when the [`FakeServer`]
//! is dropped. It binds `127.0.0.1` on a free port, never anything else.
//!
//! # Example
//!
//! ```
//! use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, Fault};
//!
//! let server = FakeControlPlane::builder()
//!     .jobs(25)
//!     .job(FakeJob::progressing("restore-1", 2, Ending::Completed))
//!     .api_key(Some("secret"))
//!     .start()?;
//!
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let get = |path: &str| -> Result<(u16, serde_json::Value), Box<dyn std::error::Error>> {
//!     let mut response = agent
//!         .get(format!("{}{path}", server.base_url()))
//!         .header("Api-Key", "secret")
//!         .call()?;
//!     let body = response.body_mut().read_to_string()?;
//!     Ok((response.status().as_u16(), serde_json::from_str(&body)?))
//! };
//!
//! // 26 jobs in pages of 10: the first page points at the next with an opaque token
//! let (status, page) = get("/restore-jobs?limit=10")?;
//! assert_eq!(status, 200);
//! assert_eq!(page["data"].as_array().map(Vec::len), Some(10));
//! assert!(page["pagination"]["next"].is_string());
//!
//! // a progressing job advances each time it is described
//! assert_eq!(get("/restore-jobs/restore-1")?.1["status"], "Pending");
//! assert_eq!(get("/restore-jobs/restore-1")?.1["status"], "Completed");
//!
//! // faults are queued and answer the next request
//! server.inject(Fault::Status(503));
//! let (status, body) = get("/restore-jobs")?;
//! assert_eq!((status, body["error"]["code"].as_str()), (503, Some("UNAVAILABLE")));
//!
//! assert_eq!(server.stats().requests, 4);
//! assert_eq!(server.stats().connections, 1); // one kept-alive connection
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Endpoints
//!
//! - `GET {prefix}/restore-jobs?limit=N&paginationToken=T`: `limit` defaults to 10 and must be
//!   in `1..=100`; a token carries its own page size, which wins over `limit`. Answers
//!   `{"data":[...],"pagination":{"next":"..."}}`, or `"pagination":null` on the last page.
//! - `GET {prefix}/restore-jobs/{id}`: the job, or 404 `NOT_FOUND`. Describing a progressing
//!   job advances it.
//! - `POST {prefix}/backups/{backup_id}/create-index` with a JSON body
//!   `{"name": "...", "tags": {...}, "deletion_protection": "enabled"|"disabled"}`: starts a
//!   restore of a backup the fake knows ([`FakeControlPlane::backup`]) into a new index, and
//!   answers 202 `{"restore_job_id": "...", "index_id": "..."}`. The new job is listed first,
//!   starts `Pending` with `created_at` set to the wall-clock time, and completes after
//!   [`FakeControlPlane::restore_polls`] describes; the name is then an existing index. The
//!   checks, in order (each answers with the API's error body):
//!   1. the API key (401);
//!   2. the body: more than 1 MiB is 413 `INVALID_ARGUMENT`; a body that is not a JSON object
//!      with a string `name`, `tags` an object of strings (or null) and `deletion_protection`
//!      a string (or null) is 422 `UNPROCESSABLE_ENTITY` with serde's message (other keys are
//!      ignored);
//!   3. the rules, 400 `INVALID_ARGUMENT` naming the one broken: a name of 1 to 45 lowercase
//!      ASCII alphanumerics or `-` that starts and ends alphanumeric; tag keys of 1 to 80
//!      ASCII alphanumerics, `_` or `-`; tag values of at most 120 ASCII alphanumerics,
//!      `;@_-.+` or spaces; `deletion_protection` `enabled` or `disabled`;
//!   4. the backup: unknown is 404 `NOT_FOUND`, not `Ready` is 412 `FAILED_PRECONDITION`;
//!   5. the name: an existing index ([`FakeControlPlane::index`], the target of any served job,
//!      or an index created before) is 409 `ALREADY_EXISTS`.
//! - anything else, including another method on these paths: 404 `NOT_FOUND`.
//!
//! Errors have the API's shape: `{"error":{"code":"...","message":"..."},"status":N}`.
//!
//! # Versions
//!
//! The `X-Pinecone-Api-Version` header picks the version a request is answered in: `2025-04`,
//! `2025-10`, `2026-04` or `2026-07`. A request without the header is answered as `2025-04`
//! (the fake's choice). Any other value gets 400 `INVALID_ARGUMENT` with a message naming it,
//! ``Unsupported API version `2027-01`: supported versions are 2025-04, 2025-10, 2026-04,
//! 2026-07.`` (also the fake's choice; the real API words it its own way).
//!
//! `2025-04`, `2025-10` and `2026-04` answer alike, as described above. `2026-07` differs:
//! - `percent_complete` is the integer `100` once a job is `Completed`, and absent while it is
//!   pending and after it failed or was cancelled (intermediate progress is not reported);
//! - `completed_at` is always present, `null` until the job has finished;
//! - the last page has no `pagination` key at all;
//! - `limit` defaults to 100 (it is still refused outside `1..=100`);
//! - a 401 is `text/plain; charset=utf-8` with the bare body `Invalid API key.`.
//!
//! The `fake-control-plane` binary serves generated jobs from another process; see its
//! `--help`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod backup;
mod create;
mod fault;
mod generate;
mod handler;
mod job;
mod listener;
mod query;
mod server;
mod store;
mod token;
mod version;

pub use backup::FakeBackup;
pub use fault::{Endpoint, Fault};
pub use job::{Ending, FakeJob, Progress};
pub use server::{
    DEMO_FAILING_ID, DEMO_IN_PROGRESS_ID, FakeControlPlane, FakeServer, RecordedRequest, Stats,
};
