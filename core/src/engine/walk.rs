//! Walking every page of a paginated listing, as a state machine over one [`Call`] a page.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hasher};

use std::fmt::Debug;

use crate::config::Config;
use crate::engine::call::{Call, Now, Operation, Step};
use crate::engine::endpoint::Endpoint;
use crate::engine::fingerprint::fingerprint;
use crate::engine::verdict::{RetryRule, classify};
use crate::error::{Error, InvalidResponse, InvalidResponseKind};
use crate::event::{Event, Pending, short_token};
use crate::request::{Limit, PaginationToken};
use crate::response::Response;
use crate::text;
use crate::transport::TransportError;

/// A set keyed by 128-bit [`fingerprint`]s. A fingerprint is SipHash output already, so the set
/// hashes it by folding its own bits instead of running SipHash over it again (that was about
/// 300 instructions of each item's walk). Core draws no randomness, so a walk behaves the same
/// on every run.
type Fingerprints = HashSet<u128, BuildHasherDefault<FoldFingerprint>>;

/// The [`Fingerprints`] hasher: a fingerprint's two halves folded into one.
#[derive(Default)]
struct FoldFingerprint(u64);

impl Hasher for FoldFingerprint {
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write_u128(&mut self, fingerprint: u128) {
        self.0 ^= fingerprint as u64 ^ (fingerprint >> 64) as u64;
    }

    /// Only `u128`s are hashed here; any other bytes are mixed in by std's SipHash.
    fn write(&mut self, bytes: &[u8]) {
        let mut h = DefaultHasher::new();
        h.write_u64(self.0);
        h.write(bytes);
        self.0 = h.finish();
    }
}

/// How many pages in a row may bring no job not seen before. Overlapping pages repeat a few
/// jobs but always bring new ones; a page of nothing but repeats is rare, and ten in a row
/// (up to 1,000 jobs re-sent at the largest page size) only happens when a server hands out
/// fresh tokens without moving forward.
pub const MAX_PAGES_WITHOUT_NEW_JOBS: u32 = 10;

/// A paginated listing a [`Walk`] can go through: which endpoint fetches one page, what is on
/// it, and the id that tells two items apart when pages overlap.
///
/// A listing holds what its pages need beside the limit and the token: nothing for
/// [`RestoreJobs`](crate::RestoreJobs) and [`ProjectBackups`](crate::ProjectBackups), the
/// index for [`IndexBackups`](crate::IndexBackups). Each resource defines its listings next to
/// its endpoints.
pub trait Listing: Debug + Send + Sync + 'static {
    /// One item of the listing.
    type Item: Debug + Clone + Send + Sync + 'static;
    /// One parsed page.
    type Page: Debug + Send + 'static;

    /// What the items are called in a message (`jobs`, `backups`).
    const ITEMS: &'static str = "items";

    /// The name of a walk over every page, as events, spans and the adapters' methods call
    /// it (`list_all`, `list_all_backups`).
    const WALK: &'static str = "list_all";

    /// The endpoint that fetches the page at `token` (`None`: the first page), `limit` items
    /// a page. One the configured version cannot ask for ends the walk with an invalid
    /// argument before anything is sent.
    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<Self::Page>;

    /// A page's items, in the order sent, and the token of the next page (`None` on the last).
    fn split(page: Self::Page) -> (Vec<Self::Item>, Option<PaginationToken>);

    /// The id that makes an item the same item on two pages.
    fn id(item: &Self::Item) -> &str;
}

/// Walks all pages of a listing (by default `GET /restore-jobs`): yields each page's items not
/// yielded before, each id once even when pages overlap.
///
/// Made by [`Config::walk`]; driven through [`Operation`], whose items are the new items of
/// each page (a page of only repeats yields nothing). Each page is one [`Call`], retried as the
/// policy allows; the walk reacts to its result.
///
/// Bounded however the server behaves: a token handed back a second time stops the walk
/// ([`PaginationLoop`](InvalidResponseKind::PaginationLoop)), so do
/// [`MAX_PAGES_WITHOUT_NEW_JOBS`] pages in a row without a new item
/// ([`NoProgress`](InvalidResponseKind::NoProgress)) and the configured page cap
/// ([`PageLimit`](InvalidResponseKind::PageLimit)); tokens are at most
/// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes. Memory stays small: ids and tokens already
/// seen are kept as 16-byte fingerprints (about 30 bytes an item). After any error,
/// [`Walk::resume_token`] says where a new walk can pick up, and [`Walk::resume_after`]
/// whether that is worth it.
///
/// The page size stays the same for the whole walk (a token carries its page size).
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Walk<L: Listing = crate::RestoreJobs> {
    config: Config,
    listing: L,
    limit: Option<Limit>,
    /// The token of the page to fetch next; `None` is the first page.
    token: Option<PaginationToken>,
    /// Fingerprints of the tokens fetched (the first page counts as the empty token).
    visited: Fingerprints,
    seen_ids: Fingerprints,
    pages: u64,
    pages_without_new: u32,
    duplicates: u64,
    /// The deadline every page's call fits in (a wait's), if any.
    within: Option<std::time::Instant>,
    events: Pending,
    state: State<L>,
}

#[derive(Debug)]
enum State<L: Listing> {
    Ready,
    Fetching(Box<Call<L::Page>>),
    Yielding(Vec<L::Item>),
    Done,
    Failed(Error),
}

impl<L: Listing> Walk<L> {
    /// A walk over every page from `from` (`None`: the first page), `limit` items a page.
    pub(crate) fn new(
        config: &Config,
        listing: L,
        limit: Option<Limit>,
        from: Option<PaginationToken>,
    ) -> Self {
        Walk {
            config: config.clone(),
            listing,
            limit,
            token: from,
            visited: Fingerprints::default(),
            seen_ids: Fingerprints::default(),
            pages: 0,
            pages_without_new: 0,
            duplicates: 0,
            within: None,
            events: Pending::default(),
            state: State::Ready,
        }
    }

    /// Every page's call, its retries included, fits in `deadline` (a wait's).
    pub(crate) fn within(mut self, deadline: Option<std::time::Instant>) -> Self {
        self.within = deadline;
        self
    }

    /// The token of the page to fetch next: after an error, where a new walk can resume with
    /// [`Config::walk`]. `None` means the first page, or that the walk is done.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.token.as_ref()
    }

    /// The token a new walk could resume from after this walk ended in `error`: `None` when
    /// there is none, or when the same page would be refused again (an answer that could not
    /// be accepted). An API error or a transport failure may go otherwise later.
    pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        let later = error
            .outcome()
            .is_some_and(|outcome| classify(outcome, RetryRule::Later).retry);
        self.resume_token().filter(|_| later)
    }

    /// What is walked.
    pub fn listing(&self) -> &L {
        &self.listing
    }

    /// The page size used for every request of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.limit
    }

    /// Pages handled so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Items dropped because an earlier page already had them.
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
                    "expected pages with {} not seen before, found {} pages in a row with \
                     none after {} pages (the server hands out tokens without progress)",
                    L::ITEMS,
                    self.pages_without_new,
                    self.pages
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

    /// Moves the events of the page call in flight to the walk's own, in order.
    fn move_call_events(&mut self) {
        if let State::Fetching(call) = &mut self.state {
            call.move_events(&mut self.events);
        }
    }

    /// Takes a page; keeps its items not yielded before.
    fn take_page(&mut self, page: L::Page) {
        self.pages += 1;
        self.visited.insert(self.token_fingerprint());
        let (items, next) = L::split(page);
        let before = items.len();
        let fresh: Vec<L::Item> = items
            .into_iter()
            .filter(|item| self.seen_ids.insert(fingerprint(L::id(item))))
            .collect();
        self.duplicates += (before - fresh.len()) as u64;
        if self.events.on() {
            self.events.push(Event::Page {
                number: self.pages,
                what: L::ITEMS,
                items: before,
                duplicates: before - fresh.len(),
                next: next.as_ref().map(|t| short_token(t.as_str())),
            });
        }
        self.pages_without_new = if fresh.is_empty() {
            self.pages_without_new.saturating_add(1)
        } else {
            0
        };
        self.token = next;
        self.state = match (fresh.is_empty(), &self.token) {
            (false, _) => State::Yielding(fresh),
            (true, None) => State::Done,
            (true, Some(_)) => State::Ready,
        };
    }

    /// What a page's call came to.
    fn react(&mut self, page: Result<L::Page, Error>) {
        self.move_call_events();
        match page {
            Ok(page) => self.take_page(page),
            Err(e) => self.state = State::Failed(e),
        }
    }
}

impl<L: Listing> Operation for Walk<L> {
    type Output = ();
    type Item = Vec<L::Item>;

    fn name(&self) -> &'static str {
        L::WALK
    }

    fn next_step(&mut self, now: Now) -> Step<(), Vec<L::Item>> {
        loop {
            match &mut self.state {
                State::Yielding(_) => {
                    let next = if self.token.is_some() {
                        State::Ready
                    } else {
                        State::Done
                    };
                    if let State::Yielding(items) = std::mem::replace(&mut self.state, next) {
                        return Step::Yield(items);
                    }
                }
                State::Done => return Step::Done(Ok(())),
                State::Failed(e) => return Step::Done(Err(e.clone())),
                State::Ready => {
                    if let Err(e) = self.check_bounds() {
                        self.state = State::Failed(e);
                        continue;
                    }
                    let endpoint = self.listing.page(self.limit, self.token.as_ref());
                    let mut call = Call::new(&self.config, endpoint).within(self.within);
                    call.record_events(self.events.on());
                    self.state = State::Fetching(Box::new(call));
                }
                State::Fetching(call) => match call.next_step(now) {
                    Step::Send(attempt) => return Step::Send(attempt),
                    Step::Sleep(delay) => return Step::Sleep(delay),
                    Step::Yield(never) => match never {},
                    Step::Done(page) => self.react(page),
                },
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        let State::Fetching(call) = &mut self.state else {
            return;
        };
        call.handle(outcome, now, random);
        if let Some(page) = call.take_result() {
            self.react(page);
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.move_call_events();
        self.events.drain(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.events.set(on);
        if let State::Fetching(call) = &mut self.state {
            call.record_events(on);
        }
    }
}

/// A walk that keeps every item and ends with what `finish` makes of them all: a decision
/// that needs the whole listing (the newest `Ready` backup, what a prune may delete) is made
/// only from a complete one, and a walk that fails gives only its error.
///
/// Made by [`Config::collect`] (every item) or an operation built on it
/// ([`Config::newest_ready_backup`](crate::Config::newest_ready_backup)); driven through
/// [`Operation`].
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Collect<L: Listing, T = Vec<<L as Listing>::Item>> {
    name: &'static str,
    walk: Walk<L>,
    items: Vec<L::Item>,
    finish: fn(Vec<L::Item>) -> T,
    done: bool,
}

impl<L: Listing, T> Debug for Collect<L, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collect")
            .field("name", &self.name)
            .field("walk", &self.walk)
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

impl<L: Listing, T> Collect<L, T> {
    /// Walks `listing` from the first page, `limit` items a page, and ends with `finish` of
    /// every item, as operation `name`.
    pub(crate) fn new(
        config: &Config,
        name: &'static str,
        listing: L,
        limit: Option<Limit>,
        finish: fn(Vec<L::Item>) -> T,
    ) -> Self {
        Collect {
            name,
            walk: Walk::new(config, listing, limit, None),
            items: Vec::new(),
            finish,
            done: false,
        }
    }

    /// The walk, for its counters.
    pub fn walk(&self) -> &Walk<L> {
        &self.walk
    }
}

impl<L: Listing, T> Operation for Collect<L, T> {
    type Output = T;
    type Item = std::convert::Infallible;

    fn name(&self) -> &'static str {
        self.name
    }

    fn next_step(&mut self, now: Now) -> Step<T, std::convert::Infallible> {
        if self.done {
            return Step::Done(Err(crate::engine::call::finished()));
        }
        loop {
            match self.walk.next_step(now) {
                Step::Send(attempt) => return Step::Send(attempt),
                Step::Sleep(delay) => return Step::Sleep(delay),
                Step::Yield(items) => self.items.extend(items),
                Step::Done(walked) => {
                    self.done = true;
                    let items = std::mem::take(&mut self.items);
                    return Step::Done(walked.map(|()| (self.finish)(items)));
                }
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        self.walk.handle(outcome, now, random);
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.walk.drain_events(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.walk.record_events(on);
    }
}

/// Collecting listings.
impl Config {
    /// Every item of `listing`, `limit` a page, as one value once the last page is in (a walk
    /// that fails gives only its error).
    pub fn collect<L: Listing>(&self, listing: L, limit: Option<Limit>) -> Collect<L> {
        Collect::new(self, L::WALK, listing, limit, |items| items)
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn fingerprints_of_similar_ids_spread_over_a_table_and_never_meet() {
        // ids alike but for a counter, as servers make them: the folded hash's low bits (a
        // table's bucket) must spread as a random function's would, or a walk would probe
        // long chains
        let ids: Vec<String> = (0..4096).map(|i| format!("rj-{i:06}")).collect();
        let hasher = BuildHasherDefault::<FoldFingerprint>::default();
        let buckets: HashSet<u64> = ids
            .iter()
            .map(|id| hasher.hash_one(fingerprint(id)) & 4095)
            .collect();
        // 4096 random draws into 4096 buckets fill about 1 - 1/e of them (2589)
        assert!(buckets.len() > 2400, "{} buckets", buckets.len());
        let mut set = Fingerprints::default();
        assert!(ids.iter().all(|id| set.insert(fingerprint(id))));
        assert!(ids.iter().all(|id| !set.insert(fingerprint(id))));
    }
}
