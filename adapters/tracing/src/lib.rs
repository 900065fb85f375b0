//! Core's [`Event`]s as [`tracing`] events, and one span per operation: what the adapters'
//! `tracing` feature turns on.
//!
//! Both adapters (`pinecone-restore-ureq`, `pinecone-restore-reqwest`) hand every event core's
//! driving loop gives them to [`emit`], so an event is mapped to fields in this one place.
//! Events go to target `pinecone_restore` with structured fields; the message is the same line
//! `pinecone-restore -v` prints. Routine events (an attempt that is final, a page, a poll) are
//! `DEBUG`; a retry, a duplicate-skipping page, a tolerated 404 and a recovery step are `INFO`;
//! giving up at a bound is `WARN`. Every text field went through core's text module: no API
//! key, no URL user-info, no body, a pagination token shortened.
//!
//! | event | fields |
//! |---|---|
//! | an attempt | `method`, `path`, `query`, `attempt`, `status` or `failure`, `elapsed_ms`, `next` (`final`, `retry`, `give_up`), `delay_ms` and `reason` |
//! | the deadline passed | `method`, `path`, `query`, `attempts`, `next` = `give_up`, `reason` = `deadline` |
//! | a page of a walk | `page`, `items`, `duplicates`, `next_token` |
//! | a poll of a wait | `poll`, `job`, `status`, `percent`, `next_in_ms` |
//! | a tolerated 404 | `job`, `seen`, `tolerance` |
//! | a recovery step | `recovery` (`looking_up`, `claimed`, `not_claimed`, `not_found`), `job`, `because` (or why not claimed) |
//!
//! ```
//! use pinecone_restore_core::event::{Event, Recovery};
//!
//! // with no subscriber this costs a check of a cached flag
//! pinecone_restore_tracing::emit(&Event::Recovery(Recovery::NotFound));
//! let _span = pinecone_restore_tracing::operation("list_page").entered();
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::time::Duration;

use pinecone_restore_core::event::{AttemptOutcome, Event, GiveUp, Next, Recovery, Wait};
pub use tracing::{Instrument, Span};

/// The target of every event and span.
pub const TARGET: &str = "pinecone_restore";

/// The span of one operation, named as the adapters' method that runs it (`list_page`,
/// `list_all`, `describe`, `wait`, `wait_all`, `create_index_from_backup`, …): level `INFO`,
/// name `pinecone_restore`, field `op`.
pub fn operation(op: &'static str) -> Span {
    tracing::info_span!(target: TARGET, "pinecone_restore", op)
}

/// [`operation`]'s span as core's [`Scope`](pinecone_restore_core::drive::Scope): the
/// adapters' driving loop enters it at every step of the operation (and every poll of an
/// async one), so everything the operation does is inside it.
#[derive(Debug, Clone)]
pub struct OperationSpan(Span);

impl OperationSpan {
    /// The span of operation `op`.
    pub fn new(op: &'static str) -> OperationSpan {
        OperationSpan(operation(op))
    }

    /// The span.
    pub fn span(&self) -> &Span {
        &self.0
    }
}

impl pinecone_restore_core::drive::Scope for OperationSpan {
    fn enter(&self) -> impl Sized + '_ {
        self.0.enter()
    }
}

/// `true` when a subscriber takes events of target `pinecone_restore`: the adapters ask core
/// to record events only then, so without a subscriber none is built.
pub fn listening() -> bool {
    tracing::enabled!(target: TARGET, tracing::Level::ERROR)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Emits `event` as a `tracing` event.
pub fn emit(event: &Event) {
    match event {
        Event::Attempted {
            method,
            path,
            query,
            attempt,
            outcome,
            elapsed,
            next,
        } => {
            let (status, failure) = match outcome {
                AttemptOutcome::Status(s) => (Some(*s), None),
                AttemptOutcome::Failed(kind) => (None, Some(format!("{kind:?}"))),
                _ => (None, Some("unknown".to_owned())),
            };
            let failure = failure.as_deref();
            let method = method.as_str();
            let elapsed_ms = millis(*elapsed);
            match next {
                Next::Retry { delay, why } => {
                    let reason = match why {
                        Wait::RetryAfter => "retry_after",
                        _ => "backoff",
                    };
                    tracing::info!(target: TARGET, method, path = %path, query = %query,
                        attempt, status, failure, elapsed_ms, next = "retry",
                        delay_ms = millis(*delay), reason, "{event}");
                }
                Next::GiveUp(bound) => {
                    let reason = match bound {
                        GiveUp::RetriesUsedUp => "retries_used_up",
                        GiveUp::RetryAfterTooLong => "retry_after_too_long",
                        _ => "deadline",
                    };
                    tracing::warn!(target: TARGET, method, path = %path, query = %query,
                        attempt, status, failure, elapsed_ms, next = "give_up", reason,
                        "{event}");
                }
                _ => {
                    tracing::debug!(target: TARGET, method, path = %path, query = %query,
                        attempt, status, failure, elapsed_ms, next = "final", "{event}");
                }
            }
        }
        Event::DeadlinePassed {
            method,
            path,
            query,
            attempts,
        } => {
            tracing::warn!(target: TARGET, method = method.as_str(), path = %path,
                query = %query, attempts, next = "give_up", reason = "deadline", "{event}");
        }
        Event::Page {
            number,
            what,
            items,
            duplicates,
            next,
        } => {
            let next_token = next.as_deref();
            if *duplicates > 0 {
                tracing::info!(target: TARGET, page = number, what, items, duplicates,
                    next_token, "{event}");
            } else {
                tracing::debug!(target: TARGET, page = number, what, items, duplicates,
                    next_token, "{event}");
            }
        }
        Event::Polled {
            number,
            job,
            status,
            percent,
            next_in,
        } => {
            let next_in_ms = next_in.map(millis);
            tracing::debug!(target: TARGET, poll = number, job = %job, status = %status,
                percent, next_in_ms, "{event}");
        }
        Event::NotFoundYet {
            job,
            seen,
            tolerance,
        } => {
            tracing::info!(target: TARGET, job = %job, seen, tolerance, "{event}");
        }
        Event::Recovery(step) => {
            let (recovery, job, because) = match step {
                Recovery::LookingUp { because } => ("looking_up", None, Some(because.as_str())),
                Recovery::Claimed { job } => ("claimed", Some(job.as_str()), None),
                Recovery::NotClaimed { job, why } => {
                    ("not_claimed", Some(job.as_str()), Some(why.as_str()))
                }
                Recovery::NotFound => ("not_found", None, None),
                _ => ("other", None, None),
            };
            tracing::info!(target: TARGET, recovery, job, because, "{event}");
        }
        Event::Round {
            number,
            pages,
            what,
            listed,
            described,
            left,
            walk_failed,
            next_in,
        } => {
            let next_in_ms = next_in.map(millis);
            let walk_failed = walk_failed.as_deref();
            if walk_failed.is_some() {
                tracing::info!(target: TARGET, round = number, pages, what, listed, described,
                    left, walk_failed, next_in_ms, "{event}");
            } else {
                tracing::debug!(target: TARGET, round = number, pages, what, listed, described,
                    left, next_in_ms, "{event}");
            }
        }
        _ => tracing::debug!(target: TARGET, "{event}"),
    }
}
