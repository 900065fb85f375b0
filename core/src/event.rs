//! What an operation decided and why, as plain values a driving loop hands to a sink.
//!
//! Each decision is recorded once, where it is made: the [`Call`](crate::Call) records every
//! attempt's outcome and what it does next (retry after a backoff or a `Retry-After`, stop,
//! give up at a bound), the [`Walk`](crate::Walk) every page (items, duplicates skipped), the
//! [`Wait`](crate::Wait) every poll, the [`Start`](crate::Start) every step of its recovery.
//! [`drive`](crate::drive) takes them out after each step and hands them to the transport's
//! [`Hooks::event`](crate::drive::Hooks::event); an adapter turns them into log lines
//! or `tracing` events and never re-derives them.
//!
//! Every text in an event went through [`text`]: the API key and URL user-info
//! never appear, a pagination token is shortened, no body is included. Recording is off until
//! [`Operation::record_events`](crate::Operation::record_events) turns it on (the driving loop
//! does when its transport [listens](crate::drive::Hooks::listens)): nobody listening, no
//! event is built. One that is on and never drained keeps at most [`MAX_PENDING`].
//!
//! ```
//! use std::time::Duration;
//! use pinecone_restore_core::event::{AttemptOutcome, Event, Next, Wait as Why};
//! use pinecone_restore_core::Method;
//!
//! let event = Event::Attempted {
//!     method: Method::Get,
//!     path: "/restore-jobs".into(),
//!     query: "limit=100".into(),
//!     attempt: 1,
//!     outcome: AttemptOutcome::Status(503),
//!     elapsed: Duration::from_millis(12),
//!     next: Next::Retry { delay: Duration::from_millis(800), why: Why::RetryAfter },
//! };
//! assert_eq!(
//!     event.to_string(),
//!     "GET /restore-jobs?limit=100 → 503 in 12 ms; retrying in 0.8 s (Retry-After)"
//! );
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use crate::request::Method;
use crate::text::{self, Secrets};
use crate::transport::TransportKind;

/// The most events an operation keeps for a loop that has not taken them: a loop that turned
/// them on and never takes them costs bounded memory.
pub const MAX_PENDING: usize = 64;

/// The name of the query parameter that carries a pagination token.
const TOKEN_PARAM: &str = "paginationToken=";

/// Characters of a pagination token shown before the cut.
const TOKEN_SHOWN: usize = 6;

/// One decision of an operation, with its reason.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// An attempt ended (an answer or a transport failure) and the call decided what next.
    Attempted {
        /// The method.
        method: Method,
        /// The URL's path (a base URL's path prefix included), without the query.
        path: String,
        /// The query (`limit=100&paginationToken=dXNl…(180 bytes)`), its token shortened;
        /// empty when there is none.
        query: String,
        /// Which attempt, from 1.
        attempt: u32,
        /// What came back.
        outcome: AttemptOutcome,
        /// From handing out the attempt to handling its outcome.
        elapsed: Duration,
        /// What the call does about it.
        next: Next,
    },
    /// The deadline passed while the call waited to retry: it ends with the last failure.
    DeadlinePassed {
        /// The method.
        method: Method,
        /// As in [`Event::Attempted`].
        path: String,
        /// As in [`Event::Attempted`].
        query: String,
        /// Attempts made.
        attempts: u32,
    },
    /// A walk took a page.
    Page {
        /// Which page of this walk, from 1.
        number: u64,
        /// What the items are (`jobs`, `backups`).
        what: &'static str,
        /// Items on the page.
        items: usize,
        /// Items left out because an earlier page had them.
        duplicates: usize,
        /// The next page's token, shortened; `None` on the last page.
        next: Option<String>,
    },
    /// A wait described its job.
    Polled {
        /// Which describe of this wait, from 1.
        number: u32,
        /// The job's id.
        job: String,
        /// The job's status as sent.
        status: String,
        /// Its progress, when sent.
        percent: Option<f64>,
        /// The time until the next describe; `None` when the wait ends here.
        next_in: Option<Duration>,
    },
    /// A wait got a 404 for a job not seen yet and tolerates it (a job just started can
    /// answer 404 for a moment).
    NotFoundYet {
        /// The job's id.
        job: String,
        /// 404s tolerated so far, this one included.
        seen: u32,
        /// How many are tolerated.
        tolerance: u32,
    },
    /// A step of a start's recovery after an attempt that may have taken effect.
    Recovery(Recovery),
    /// A round of a wait on several ended: the listing walked, then those it did not show
    /// described.
    Round {
        /// Which round, from 1.
        number: u32,
        /// Pages of the listing walked.
        pages: u64,
        /// What the listing's items are (`jobs`, `backups`).
        what: &'static str,
        /// How many of those followed the listing showed.
        listed: usize,
        /// How many were described.
        described: usize,
        /// How many are still followed after the round.
        left: usize,
        /// Why the walk stopped short when a page failed (scrubbed, bounded): the rest of
        /// the round was described.
        walk_failed: Option<String>,
        /// The time until the next round; `None` when the wait ends here.
        next_in: Option<Duration>,
    },
}

/// What an attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// The server answered with this status.
    Status(u16),
    /// No (whole) answer: how the transport failed.
    Failed(TransportKind),
}

/// What a call does after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Next {
    /// Sleeps `delay`, then sends again.
    Retry {
        /// How long.
        delay: Duration,
        /// Why that long.
        why: Wait,
    },
    /// The outcome is final: not one that is retried (a success, most 4xx).
    Final,
    /// The outcome would be retried, but a bound says no.
    GiveUp(GiveUp),
}

/// Why a retry waits as long as it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wait {
    /// The jittered exponential backoff.
    Backoff,
    /// The server's `Retry-After` (raised to the policy's least delay if below it).
    RetryAfter,
}

/// Which bound stopped the retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// The policy's retries are used up.
    RetriesUsedUp,
    /// The server's `Retry-After` asks for more than the policy's most.
    RetryAfterTooLong,
    /// The wait and another attempt would not fit before the deadline.
    Deadline,
}

/// A step of a start's recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recovery {
    /// The answer does not say whether the restore started: the restore jobs are listed to
    /// find it. `because` is the answer (an error line, scrubbed).
    LookingUp {
        /// Why.
        because: String,
    },
    /// A job for this backup and index name, created while our attempts were in flight (on the
    /// server's clock), is ours.
    Claimed {
        /// Its id.
        job: String,
    },
    /// A job for this backup and index name that is not claimed as ours, and why (see
    /// [`Start::unclaimed`](crate::Start::unclaimed)).
    NotClaimed {
        /// Its id.
        job: String,
        /// Why it is not ours.
        why: String,
    },
    /// No job of ours was found: the earlier answer stands.
    NotFound,
}

impl Event {
    /// The event's level of interest: `true` for what goes wrong or is unusual (a retry, a
    /// bound, a tolerated 404, a recovery), `false` for the routine (an attempt that is final,
    /// a page, a poll).
    pub fn is_notable(&self) -> bool {
        match self {
            Event::Attempted { next, .. } => !matches!(next, Next::Final),
            Event::Page { duplicates, .. } => *duplicates > 0,
            Event::DeadlinePassed { .. } | Event::NotFoundYet { .. } | Event::Recovery(_) => true,
            Event::Round { walk_failed, .. } => walk_failed.is_some(),
            Event::Polled { .. } => false,
        }
    }
}

/// A time taken: `12 ms` below a second, `1.3 s` from there (tenths rounded up).
fn span(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        tenths(d)
    }
}

/// A wait ahead: `0.8 s` from a tenth of a second up (rounded up), `40 ms` below.
fn delay(d: Duration) -> String {
    if d < Duration::from_millis(100) {
        format!("{} ms", d.as_millis())
    } else {
        tenths(d)
    }
}

/// `0.8 s`, `3 s`, `1.3 s`.
fn tenths(d: Duration) -> String {
    let tenths = d.as_millis().div_ceil(100);
    if tenths.is_multiple_of(10) {
        format!("{} s", tenths / 10)
    } else {
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
}

/// `GET /restore-jobs?limit=1`.
fn target(f: &mut fmt::Formatter<'_>, method: Method, path: &str, query: &str) -> fmt::Result {
    write!(f, "{} {path}", method.as_str())?;
    if !query.is_empty() {
        write!(f, "?{query}")?;
    }
    Ok(())
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Attempted {
                method,
                path,
                query,
                attempt,
                outcome,
                elapsed,
                next,
            } => {
                target(f, *method, path, query)?;
                match outcome {
                    AttemptOutcome::Status(status) => write!(f, " → {status}")?,
                    AttemptOutcome::Failed(kind) => write!(f, " → {} failure", kind_name(*kind))?,
                }
                write!(f, " in {}", span(*elapsed))?;
                if *attempt > 1 {
                    write!(f, " (attempt {attempt})")?;
                }
                match next {
                    Next::Retry { delay: wait, why } => {
                        let why = match why {
                            Wait::Backoff => "backoff",
                            Wait::RetryAfter => "Retry-After",
                        };
                        write!(f, "; retrying in {} ({why})", delay(*wait))
                    }
                    Next::Final => Ok(()),
                    Next::GiveUp(GiveUp::RetriesUsedUp) => {
                        f.write_str("; giving up: retries used up")
                    }
                    Next::GiveUp(GiveUp::RetryAfterTooLong) => {
                        f.write_str("; giving up: Retry-After is longer than the most allowed")
                    }
                    Next::GiveUp(GiveUp::Deadline) => {
                        f.write_str("; giving up: no time for another attempt before the deadline")
                    }
                }
            }
            Event::DeadlinePassed {
                method,
                path,
                query,
                attempts,
            } => {
                target(f, *method, path, query)?;
                write!(
                    f,
                    ": the deadline passed after {attempts} attempts; giving up"
                )
            }
            Event::Page {
                number,
                what,
                items,
                duplicates,
                next,
            } => {
                // `jobs`, `backups`: one of them is `job`, `backup`
                let what = if *items == 1 {
                    what.strip_suffix('s').unwrap_or(what)
                } else {
                    what
                };
                write!(f, "page {number}: {items} {what}")?;
                if *duplicates > 0 {
                    write!(f, ", {duplicates} already seen (skipped)")?;
                }
                match next {
                    Some(token) => write!(f, "; next {token}"),
                    None => f.write_str("; last page"),
                }
            }
            Event::Polled {
                number,
                job,
                status,
                percent,
                next_in,
            } => {
                write!(f, "poll {number}: {job} is {status}")?;
                if let Some(p) = percent {
                    write!(f, " ({p}%)")?;
                }
                match next_in {
                    Some(d) => write!(f, "; next poll in {}", delay(*d)),
                    None => f.write_str("; done"),
                }
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
                let s = if *pages == 1 { "" } else { "s" };
                write!(
                    f,
                    "round {number}: {pages} page{s} of {what} walked, {listed} seen there, \
                     {described} described"
                )?;
                if let Some(why) = walk_failed {
                    write!(f, " (the listing failed: {why})")?;
                }
                write!(f, "; {left} still followed")?;
                match next_in {
                    Some(d) => write!(f, "; next round in {}", delay(*d)),
                    None => Ok(()),
                }
            }
            Event::NotFoundYet {
                job,
                seen,
                tolerance,
            } => write!(
                f,
                "{job} not found yet ({seen} of {tolerance} tolerated while a restore starts)"
            ),
            Event::Recovery(Recovery::LookingUp { because }) => write!(
                f,
                "recovery: the restore may have started ({because}); looking for it among the \
                 restore jobs"
            ),
            Event::Recovery(Recovery::Claimed { job }) => write!(
                f,
                "recovery: {job} is ours (this backup, this index name, created while our attempts \
                 were in flight, on the server's clock)"
            ),
            Event::Recovery(Recovery::NotClaimed { job, why }) => {
                write!(f, "recovery: {job} is not claimed as ours: {why}")
            }
            Event::Recovery(Recovery::NotFound) => {
                f.write_str("recovery: no restore job of ours found; the earlier answer stands")
            }
        }
    }
}

/// The name of a transport failure in a line.
fn kind_name(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Resolve => "name resolution",
        TransportKind::Connect => "connect",
        TransportKind::Tls => "TLS",
        TransportKind::Timeout => "timeout",
        TransportKind::Closed => "connection closed",
        TransportKind::BodyTooLarge => "body too large",
        TransportKind::Undecodable => "undecodable body",
        _ => "transport",
    }
}

/// A request's URL as an event shows it: path and query apart, no scheme or host (so no
/// user-info), the token shortened, secrets scrubbed.
pub(crate) fn target_of(url: &str, secrets: &Secrets) -> (String, String) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme
        .find('/')
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or("/");
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let query = query
        .split('&')
        .map(|pair| match pair.strip_prefix(TOKEN_PARAM) {
            Some(token) => {
                let decoded = percent_encoding::percent_decode_str(token).decode_utf8_lossy();
                format!("{TOKEN_PARAM}{}", short_token(&decoded))
            }
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    (
        text::shown(path, text::MESSAGE_CHARS, secrets),
        text::shown(&query, text::MESSAGE_CHARS, secrets),
    )
}

/// `dXNlcl…(180 bytes)`: the first characters of a token and its length in bytes.
pub(crate) fn short_token(token: &str) -> String {
    let bytes = token.len();
    let shown: String = token.chars().take(TOKEN_SHOWN).collect();
    if shown.len() == token.len() {
        return shown;
    }
    format!("{shown}…({bytes} bytes)")
}

/// The events an operation has recorded and not handed out yet, at most [`MAX_PENDING`] (the
/// oldest go first).
#[derive(Debug, Default)]
pub(crate) struct Pending {
    events: VecDeque<Event>,
    /// Whether anyone listens: off, nothing is built or kept.
    on: bool,
}

impl Pending {
    /// `true` when events are recorded: check before building one.
    pub(crate) fn on(&self) -> bool {
        self.on
    }

    /// Turns recording on or off; off drops what is pending.
    pub(crate) fn set(&mut self, on: bool) {
        self.on = on;
        if !on {
            self.events.clear();
        }
    }

    pub(crate) fn push(&mut self, event: Event) {
        if !self.on {
            return;
        }
        if self.events.len() >= MAX_PENDING {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// Hands every event to `sink`, oldest first.
    pub(crate) fn drain(&mut self, sink: &mut dyn FnMut(Event)) {
        while let Some(event) = self.events.pop_front() {
            sink(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_shortened_and_the_host_left_out() {
        let token = "dXNlcl9pZD0x".repeat(15);
        let url = format!(
            "https://user:pw@api.example/gw/restore-jobs?limit=100&paginationToken={token}"
        );
        let (path, query) = target_of(&url, &Secrets::none());
        assert_eq!(path, "/gw/restore-jobs");
        assert_eq!(query, "limit=100&paginationToken=dXNlcl…(180 bytes)");
        let (_, query) = target_of(
            "http://h/x?paginationToken=ab%2Bcd%3D%3Dxyz",
            &Secrets::none(),
        );
        assert_eq!(query, "paginationToken=ab+cd=…(10 bytes)");
    }

    #[test]
    fn the_key_is_scrubbed_from_a_path() {
        let secrets = Secrets::of(["canary-key-0123456789"]);
        let (path, _) = target_of("http://h/restore-jobs/canary-key-0123456789", &secrets);
        assert_eq!(path, format!("/restore-jobs/{}", text::REDACTED));
    }

    #[test]
    fn spans_read_as_people_write_them() {
        assert_eq!(span(Duration::from_millis(12)), "12 ms");
        assert_eq!(span(Duration::from_millis(800)), "800 ms");
        assert_eq!(span(Duration::from_millis(1000)), "1 s");
        assert_eq!(span(Duration::from_millis(1250)), "1.3 s");
        assert_eq!(delay(Duration::from_millis(800)), "0.8 s");
        assert_eq!(delay(Duration::from_millis(40)), "40 ms");
    }

    #[test]
    fn pending_events_are_bounded() {
        let mut pending = Pending::default();
        pending.push(Event::Recovery(Recovery::NotFound));
        pending.drain(&mut |e| panic!("recorded while off: {e:?}"));
        pending.set(true);
        for i in 0..(MAX_PENDING as u32 + 10) {
            pending.push(Event::NotFoundYet {
                job: "j".into(),
                seen: i,
                tolerance: 0,
            });
        }
        let mut seen = Vec::new();
        pending.drain(&mut |e| seen.push(e));
        assert_eq!(seen.len(), MAX_PENDING);
        assert_eq!(
            seen[0],
            Event::NotFoundYet {
                job: "j".into(),
                seen: 10,
                tolerance: 0
            }
        );
    }
}
