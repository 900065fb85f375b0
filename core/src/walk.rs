//! Walking every page of a listing, as a state machine.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hasher};

use crate::call::{Exchange, Judged, Now, Operation, Poll, RetryRule, Step, expect_status};
use crate::config::Config;
use crate::error::{Error, InvalidResponse, InvalidResponseKind, TransportError};
use crate::model::{ListPage, RestoreJob};
use crate::request::{Limit, PaginationToken};
use crate::response::Response;
use crate::text;

/// A set keyed by 128-bit fingerprints. The hasher is std's SipHash with fixed keys: core
/// draws no randomness, so a walk behaves the same on every run.
type Fingerprints = HashSet<u128, BuildHasherDefault<DefaultHasher>>;

/// A 128-bit fingerprint of `text`: two SipHash-1-3 values under different prefixes. Two
/// distinct ids share one with probability about n² / 2¹²⁹ (for a million ids, 1 in 10²⁷).
fn fingerprint(text: &str) -> u128 {
    let half = |salt: u64| {
        let mut h = DefaultHasher::new();
        h.write_u64(salt);
        h.write(text.as_bytes());
        h.finish()
    };
    u128::from(half(0x243f_6a88_85a3_08d3)) << 64 | u128::from(half(0x1319_8a2e_0370_7344))
}

/// How many pages in a row may bring no job not seen before. Overlapping pages repeat a few
/// jobs but always bring new ones; a page of nothing but repeats is rare, and ten in a row
/// (up to 1,000 jobs re-sent at the largest page size) only happens when a server hands out
/// fresh tokens without moving forward.
pub const MAX_PAGES_WITHOUT_NEW_JOBS: u32 = 10;

/// Walks all pages of `GET /restore-jobs`: yields each page's jobs not yielded before, each
/// `restore_job_id` once even when pages overlap.
///
/// Made by [`Config::walk`]; driven through [`Operation`], whose items are the new jobs of each
/// page (a page of only repeats yields nothing).
///
/// Bounded however the server behaves: a token handed back a second time stops the walk
/// ([`PaginationLoop`](InvalidResponseKind::PaginationLoop)), so do
/// [`MAX_PAGES_WITHOUT_NEW_JOBS`] pages in a row without a new job
/// ([`NoProgress`](InvalidResponseKind::NoProgress)) and the configured page cap
/// ([`PageLimit`](InvalidResponseKind::PageLimit)); tokens are at most
/// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes. Memory stays small: ids and tokens already
/// seen are kept as 16-byte fingerprints (about 30 bytes a job). After any error,
/// [`Walk::resume_token`] says where a new walk can pick up.
///
/// The page size stays the same for the whole walk (a token carries its page size).
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Walk {
    config: Config,
    limit: Option<Limit>,
    /// The token of the page to fetch next; `None` is the first page.
    token: Option<PaginationToken>,
    /// Fingerprints of the tokens fetched (the first page counts as the empty token).
    visited: Fingerprints,
    seen_ids: Fingerprints,
    pages: u64,
    pages_without_new: u32,
    duplicates: u64,
    state: State,
}

#[derive(Debug)]
enum State {
    Ready,
    Fetching(Box<Exchange>),
    Yielding(Vec<RestoreJob>),
    Done,
    Failed(Error),
}

impl Config {
    /// A walk over every page from `from` (`None`: the first page), `limit` jobs a page.
    ///
    /// ```
    /// use std::time::{Instant, SystemTime};
    /// use pinecone_restore_core::{ApiKey, Config, Limit, Now, Operation, Response, Step};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let mut walk = config.walk(Some(Limit::new(2)?), None);
    /// let mut pages: Vec<&[u8]> = vec![
    ///     br#"{"data":[{"restore_job_id":"a","backup_id":"b","target_index_name":"n",
    ///          "target_index_id":"i","status":"Completed","created_at":null}],
    ///          "pagination":{"next":"dG9r+/="}}"#,
    ///     br#"{"data":[],"pagination":null}"#,
    /// ];
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let mut seen = Vec::new();
    /// loop {
    ///     match walk.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             let body = pages.remove(0);
    ///             walk.handle(Ok(Response { status: 200, headers: &[], body }), now(), 0);
    ///         }
    ///         Step::Sleep(d) => std::thread::sleep(d),
    ///         Step::Yield(jobs) => seen.extend(jobs.into_iter().map(|j| j.restore_job_id().to_owned())),
    ///         Step::Done(result) => break result?,
    ///     }
    /// }
    /// assert_eq!(seen, ["a"]);
    /// assert_eq!(walk.pages(), 2);
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn walk(&self, limit: Option<Limit>, from: Option<PaginationToken>) -> Walk {
        Walk {
            config: self.clone(),
            limit,
            token: from,
            visited: Fingerprints::default(),
            seen_ids: Fingerprints::default(),
            pages: 0,
            pages_without_new: 0,
            duplicates: 0,
            state: State::Ready,
        }
    }
}

impl Walk {
    /// The token of the page to fetch next: after an error, where a new walk can resume with
    /// [`Config::walk`]. `None` means the first page, or that the walk is done.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.token.as_ref()
    }

    /// The page size used for every request of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.limit
    }

    /// Pages handled so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Jobs dropped because an earlier page already had them.
    pub fn duplicates_skipped(&self) -> u64 {
        self.duplicates
    }

    /// `true` once the last page was handled.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// The first page has no token; a token is never empty, so the empty text stands for it.
    fn token_fingerprint(&self) -> u128 {
        fingerprint(self.token.as_ref().map_or("", PaginationToken::as_str))
    }

    /// The token named in a message: scrubbed, escaped, cut.
    fn shown_token(&self) -> String {
        text::quote(
            self.token.as_ref().map_or("", PaginationToken::as_str),
            self.config.secrets(),
        )
    }

    /// Checks the walk's bounds before fetching the next page.
    fn check_bounds(&self) -> Result<(), Error> {
        let refuse =
            |kind, message| Err(InvalidResponse::new(kind, "pagination.next", message).into());
        if self.pages > 0 && self.visited.contains(&self.token_fingerprint()) {
            return refuse(
                InvalidResponseKind::PaginationLoop,
                format!(
                    "expected a token not seen before, found `{}` again after {} pages (the \
                     server is looping)",
                    self.shown_token(),
                    self.pages
                ),
            );
        }
        if self.pages_without_new >= MAX_PAGES_WITHOUT_NEW_JOBS {
            return refuse(
                InvalidResponseKind::NoProgress,
                format!(
                    "expected pages with jobs not seen before, found {} pages in a row with \
                     none after {} pages (the server hands out tokens without progress)",
                    self.pages_without_new, self.pages
                ),
            );
        }
        if self.pages >= self.config.max_pages() {
            return refuse(
                InvalidResponseKind::PageLimit,
                format!(
                    "stopped at the cap of {} pages; more pages remain (next token `{}`)",
                    self.pages,
                    self.shown_token()
                ),
            );
        }
        Ok(())
    }

    /// Takes a page; keeps its jobs not yielded before.
    fn take_page(&mut self, page: ListPage) {
        self.pages += 1;
        self.visited.insert(self.token_fingerprint());
        let before = page.jobs.len();
        let fresh: Vec<RestoreJob> = page
            .jobs
            .into_iter()
            .filter(|job| self.seen_ids.insert(fingerprint(job.restore_job_id())))
            .collect();
        self.duplicates += (before - fresh.len()) as u64;
        self.pages_without_new = if fresh.is_empty() {
            self.pages_without_new.saturating_add(1)
        } else {
            0
        };
        self.token = page.next;
        self.state = match (fresh.is_empty(), &self.token) {
            (false, _) => State::Yielding(fresh),
            (true, None) => State::Done,
            (true, Some(_)) => State::Ready,
        };
    }
}

impl Operation for Walk {
    type Output = ();
    type Item = Vec<RestoreJob>;

    fn next_step(&mut self, now: Now) -> Step<(), Vec<RestoreJob>> {
        loop {
            match &mut self.state {
                State::Yielding(_) => {
                    let next = if self.token.is_some() {
                        State::Ready
                    } else {
                        State::Done
                    };
                    if let State::Yielding(jobs) = std::mem::replace(&mut self.state, next) {
                        return Step::Yield(jobs);
                    }
                }
                State::Done => return Step::Done(Ok(())),
                State::Failed(e) => return Step::Done(Err(e.clone())),
                State::Ready => {
                    if let Err(e) = self.check_bounds() {
                        self.state = State::Failed(e);
                        continue;
                    }
                    let request = self.config.list_request(self.limit, self.token.as_ref());
                    self.state = State::Fetching(Box::new(Exchange::new(
                        &self.config,
                        request,
                        RetryRule::Idempotent,
                    )));
                }
                State::Fetching(exchange) => match exchange.poll(now) {
                    Poll::Send(attempt) => return Step::Send(attempt),
                    Poll::Sleep(delay) => return Step::Sleep(delay),
                    Poll::GaveUp(e) => self.state = State::Failed(e),
                },
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        let State::Fetching(exchange) = &mut self.state else {
            return;
        };
        if let Judged::Retry { .. } = exchange.judge(&outcome, now, random) {
            return;
        }
        let page = match outcome {
            Ok(response) => expect_status(exchange, &response, &[200], now).and_then(|()| {
                let config = exchange.config();
                crate::parse::list_page(
                    response.body,
                    config.api_version().rules(),
                    config.secrets(),
                )
            }),
            Err(failure) => Err(exchange.transport_error(failure)),
        };
        match page {
            Ok(page) => self.take_page(page),
            Err(e) => self.state = State::Failed(e),
        }
    }
}
