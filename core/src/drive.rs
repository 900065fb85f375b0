//! The one loop that runs an operation over a transport, blocking or async, so no adapter
//! writes it again.
//!
//! An adapter implements [`Transport`] (or [`AsyncTransport`]): send one [`Attempt`] and give
//! back the [`Reply`] or the [`TransportError`], sleep, read the clocks, draw a random number.
//! Core does the rest: [`run`] and [`run_async`] drive any [`Operation`] to its end, and
//! [`Items`] and [`AsyncItems`] walk every page of any [`Listing`] one page at a time (for
//! restore jobs: [`Jobs`] and [`AsyncJobs`]). Core still reads no clock and
//! draws no randomness itself: it asks the transport.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::call::{Attempt, Now, Operation, Step};
use crate::config::Config;
use crate::error::{Error, TransportError};
use crate::event::Event;
use crate::request::{Limit, PaginationToken};
use crate::response::Response;
use crate::walk::{Listing, RestoreJobs, Walk};

/// What came back from one attempt, owned: status, headers and the whole body (decoded from
/// any content encoding, within the attempt's cap).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and raw values, in the order received.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A blocking transport: the only things an adapter does.
pub trait Transport {
    /// Sends `attempt` and reads the whole answer, within `attempt.timeout` and
    /// `attempt.max_body_bytes`, never following a redirect.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] of the kind that happened.
    fn send(&self, attempt: &Attempt) -> Result<Reply, TransportError>;

    /// Sleeps `delay`.
    fn sleep(&self, delay: Duration);

    /// The clocks, now.
    fn now(&self) -> Now;

    /// A random number, for the jitter of retry delays.
    fn random(&self) -> u64;

    /// Whether anyone listens to [`Transport::event`]: the operation records events only
    /// then. The default is `false`, and no event is built.
    fn listens(&self) -> bool {
        false
    }

    /// A decision of the operation being driven, with its reason (see [`Event`]), when
    /// [`Transport::listens`]. The default ignores it.
    fn event(&self, event: Event) {
        let _ = event;
    }
}

/// An async transport: the only things an async adapter does. Its futures own what they need,
/// so an operation in flight can be held (and dropped, cancelling it) anywhere.
pub trait AsyncTransport: Clone + Send + Sync + 'static {
    /// Sends `attempt` and reads the whole answer, as [`Transport::send`].
    fn send(
        &self,
        attempt: Attempt,
    ) -> impl Future<Output = Result<Reply, TransportError>> + Send + 'static;

    /// Sleeps `delay`.
    fn sleep(&self, delay: Duration) -> impl Future<Output = ()> + Send + 'static;

    /// The clocks, now.
    fn now(&self) -> Now;

    /// A random number, for the jitter of retry delays.
    fn random(&self) -> u64;

    /// Whether anyone listens to [`Transport::event`]: the operation records events only
    /// then. The default is `false`, and no event is built.
    fn listens(&self) -> bool {
        false
    }

    /// A decision of the operation being driven, with its reason (see [`Event`]), when
    /// [`Transport::listens`]. The default ignores it.
    fn event(&self, event: Event) {
        let _ = event;
    }
}

/// Hands `outcome` to `op`.
fn hand_over<O: Operation>(
    op: &mut O,
    outcome: Result<Reply, TransportError>,
    now: Now,
    random: u64,
) {
    match outcome {
        Ok(reply) => {
            let headers: Vec<(&str, &[u8])> = reply
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_slice()))
                .collect();
            let response = Response {
                status: reply.status,
                headers: &headers,
                body: &reply.body,
            };
            op.handle(Ok(response), now, random);
        }
        Err(e) => op.handle(Err(e), now, random),
    }
}

/// Runs `op` over `transport` until it hands out an item or ends: only [`Step::Yield`] and
/// [`Step::Done`] come back.
pub fn advance<T: Transport + ?Sized, O: Operation>(
    transport: &T,
    op: &mut O,
) -> Step<O::Output, O::Item> {
    op.record_events(transport.listens());
    loop {
        let step = op.next_step(transport.now());
        op.drain_events(&mut |e| transport.event(e));
        match step {
            Step::Send(attempt) => {
                let outcome = transport.send(&attempt);
                hand_over(op, outcome, transport.now(), transport.random());
                op.drain_events(&mut |e| transport.event(e));
            }
            Step::Sleep(delay) => transport.sleep(delay),
            other => return other,
        }
    }
}

/// Drives `op` to its end over `transport`, handing each item to `on_item`.
///
/// # Errors
///
/// The operation's error.
pub fn run<T: Transport + ?Sized, O: Operation>(
    transport: &T,
    op: &mut O,
    mut on_item: impl FnMut(O::Item),
) -> Result<O::Output, Error> {
    loop {
        match advance(transport, op) {
            Step::Yield(item) => on_item(item),
            Step::Done(result) => return result,
            Step::Send(_) | Step::Sleep(_) => {}
        }
    }
}

/// Drives `op` to its end over an async `transport`, handing each item to `on_item`. Dropping
/// the future drops the request in flight.
///
/// # Errors
///
/// The operation's error.
pub async fn run_async<T: AsyncTransport, O: Operation>(
    transport: &T,
    op: &mut O,
    mut on_item: impl FnMut(O::Item),
) -> Result<O::Output, Error> {
    op.record_events(transport.listens());
    loop {
        let step = op.next_step(transport.now());
        op.drain_events(&mut |e| transport.event(e));
        match step {
            Step::Send(attempt) => {
                let outcome = transport.send(attempt).await;
                hand_over(op, outcome, transport.now(), transport.random());
                op.drain_events(&mut |e| transport.event(e));
            }
            Step::Sleep(delay) => transport.sleep(delay).await,
            Step::Yield(item) => on_item(item),
            Step::Done(result) => return result,
        }
    }
}

/// What a walk shares between its blocking and async forms: the items of the last page not
/// yet handed out, and whether the walk is over.
#[derive(Debug)]
struct Buffered<L: Listing> {
    walk: Walk<L>,
    items: std::vec::IntoIter<L::Item>,
    ended: bool,
}

/// What an iterator over a walk hands out next: an item, an error, or the end (`None`).
type Answer<L> = Option<Result<<L as Listing>::Item, Error>>;

impl<L: Listing> Buffered<L> {
    fn new(
        config: &Config,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Self {
        Buffered {
            walk: Walk::new(config, listing, limit, from.cloned()),
            items: Vec::new().into_iter(),
            ended: false,
        }
    }

    /// The next item already fetched, or the end.
    fn ready(&mut self) -> Option<Answer<L>> {
        if let Some(item) = self.items.next() {
            return Some(Some(Ok(item)));
        }
        self.ended.then_some(None)
    }

    /// Takes what the walk said; `Some` when that is an answer for the caller.
    fn take(&mut self, step: Step<(), Vec<L::Item>>) -> Option<Answer<L>> {
        match step {
            Step::Yield(items) => {
                self.items = items.into_iter();
                None
            }
            Step::Done(result) => {
                self.ended = true;
                Some(result.err().map(Err))
            }
            Step::Send(_) | Step::Sleep(_) => None,
        }
    }
}

macro_rules! walk_accessors {
    () => {
        /// Pages fetched so far.
        pub fn pages(&self) -> u64 {
            self.buffered.walk.pages()
        }

        /// The pagination token of the next page to fetch: after an error, the page that
        /// failed, where a new walk can resume. `None` before the second page and once the
        /// walk is done.
        pub fn resume_token(&self) -> Option<&PaginationToken> {
            self.buffered.walk.resume_token()
        }

        /// The token a new walk could resume from after this one ended in `error`, when
        /// that may go otherwise; see [`Walk::resume_after`].
        pub fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
            self.buffered.walk.resume_after(error)
        }

        /// Items left out because an earlier page had already yielded their id.
        pub fn duplicates_skipped(&self) -> u64 {
            self.buffered.walk.duplicates_skipped()
        }

        /// The page size of this walk.
        pub fn limit(&self) -> Option<Limit> {
            self.buffered.walk.limit()
        }

        /// Items fetched and not yet handed out. At 0 the next item needs the network (or the
        /// walk is over): a caller holding output back flushes it then, before the wait.
        pub fn in_hand(&self) -> usize {
            self.buffered.items.len()
        }

        /// The walk itself, for anything the accessors above do not say.
        pub fn walk(&self) -> &Walk<L> {
            &self.buffered.walk
        }
    };
}

/// Every item of a listing across all pages, as an iterator over a blocking transport: each
/// id once, one page fetched at a time as it is advanced, core's [`Walk`] deciding everything.
/// After an `Err` it yields `None`.
#[derive(Debug)]
pub struct Items<'t, T: ?Sized, L: Listing = RestoreJobs> {
    transport: &'t T,
    buffered: Buffered<L>,
}

/// Every restore job across all pages over a blocking transport.
pub type Jobs<'t, T> = Items<'t, T, RestoreJobs>;

impl<'t, T: Transport + ?Sized, L: Listing> Items<'t, T, L> {
    /// The walk over `listing` from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: &'t T,
        config: &Config,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Self {
        let mut buffered = Buffered::new(config, listing, limit, from);
        buffered.walk.record_events(transport.listens());
        Items {
            transport,
            buffered,
        }
    }

    walk_accessors!();
}

impl<T: Transport + ?Sized, L: Listing> Iterator for Items<'_, T, L> {
    type Item = Result<L::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(answer) = self.buffered.ready() {
                return answer;
            }
            let step = advance(self.transport, &mut self.buffered.walk);
            if let Some(answer) = self.buffered.take(step) {
                return answer;
            }
        }
    }
}

/// What an async walk waits on.
enum InFlight {
    Sent(Result<Reply, TransportError>),
    Slept,
}

/// Every item of a listing across all pages over an async transport: each id once, one page
/// fetched at a time as it is polled. An adapter wraps it in its `Stream`. Dropping it drops
/// the request in flight: nothing is sent after.
pub struct AsyncItems<T, L: Listing = RestoreJobs> {
    transport: T,
    buffered: Buffered<L>,
    in_flight: Option<Pin<Box<dyn Future<Output = InFlight> + Send>>>,
}

/// Every restore job across all pages over an async transport.
pub type AsyncJobs<T> = AsyncItems<T, RestoreJobs>;

impl<T: AsyncTransport, L: Listing> AsyncItems<T, L> {
    /// The walk over `listing` from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: T,
        config: &Config,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Self {
        let mut buffered = Buffered::new(config, listing, limit, from);
        buffered.walk.record_events(transport.listens());
        AsyncItems {
            transport,
            buffered,
            in_flight: None,
        }
    }

    walk_accessors!();

    /// The next item: `Poll::Ready(None)` at the end, after an error too.
    pub fn poll_next_item(&mut self, cx: &mut Context<'_>) -> Poll<Answer<L>> {
        loop {
            if let Some(answer) = self.buffered.ready() {
                return Poll::Ready(answer);
            }
            if let Some(in_flight) = self.in_flight.as_mut() {
                let done = match in_flight.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(done) => done,
                };
                self.in_flight = None;
                if let InFlight::Sent(outcome) = done {
                    let (now, random) = (self.transport.now(), self.transport.random());
                    hand_over(&mut self.buffered.walk, outcome, now, random);
                    let transport = &self.transport;
                    self.buffered.walk.drain_events(&mut |e| transport.event(e));
                }
            }
            let step = self.buffered.walk.next_step(self.transport.now());
            let transport = &self.transport;
            self.buffered.walk.drain_events(&mut |e| transport.event(e));
            match step {
                Step::Send(attempt) => {
                    let sent = self.transport.send(attempt);
                    self.in_flight = Some(Box::pin(async move { InFlight::Sent(sent.await) }));
                }
                Step::Sleep(delay) => {
                    let slept = self.transport.sleep(delay);
                    self.in_flight = Some(Box::pin(async move {
                        slept.await;
                        InFlight::Slept
                    }));
                }
                step => {
                    if let Some(answer) = self.buffered.take(step) {
                        return Poll::Ready(answer);
                    }
                }
            }
        }
    }
}

impl<T, L: Listing + std::fmt::Debug> std::fmt::Debug for AsyncItems<T, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncItems")
            .field("buffered", &self.buffered)
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}
