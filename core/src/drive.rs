//! The one loop that runs an operation over a transport, blocking or async, so no adapter
//! writes it again.
//!
//! An adapter implements [`Transport`] (or [`AsyncTransport`]): send one [`Attempt`] and give
//! back the [`Reply`] or the [`TransportError`], sleep, read the clocks, draw a random number.
//! Core does the rest: [`run`] and [`run_async`] drive any [`Operation`] to its end, and
//! [`Jobs`] and [`AsyncJobs`] walk every page one page at a time. Core still reads no clock and
//! draws no randomness itself: it asks the transport.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use crate::call::{Attempt, Now, Operation, Step};
use crate::config::Config;
use crate::error::{Error, TransportError};
use crate::jitter::Jitter;
use crate::model::RestoreJob;
use crate::request::{Limit, PaginationToken};
use crate::response::Response;
use crate::walk::Walk;

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
    loop {
        match op.next_step(transport.now()) {
            Step::Send(attempt) => {
                let outcome = transport.send(&attempt);
                hand_over(op, outcome, transport.now(), transport.random());
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
    loop {
        match op.next_step(transport.now()) {
            Step::Send(attempt) => {
                let outcome = transport.send(attempt).await;
                hand_over(op, outcome, transport.now(), transport.random());
            }
            Step::Sleep(delay) => transport.sleep(delay).await,
            Step::Yield(item) => on_item(item),
            Step::Done(result) => return result,
        }
    }
}

/// What a walk shares between its blocking and async forms: the jobs of the last page not yet
/// handed out, and whether the walk is over.
#[derive(Debug)]
struct Buffered {
    walk: Walk,
    jobs: std::vec::IntoIter<RestoreJob>,
    ended: bool,
}

impl Buffered {
    fn new(walk: Walk) -> Buffered {
        Buffered {
            walk,
            jobs: Vec::new().into_iter(),
            ended: false,
        }
    }

    /// The next job already fetched, or the end.
    fn ready(&mut self) -> Option<Option<Result<RestoreJob, Error>>> {
        if let Some(job) = self.jobs.next() {
            return Some(Some(Ok(job)));
        }
        self.ended.then_some(None)
    }

    /// Takes what the walk said; `Some` when that is an answer for the caller.
    fn take(
        &mut self,
        step: Step<(), Vec<RestoreJob>>,
    ) -> Option<Option<Result<RestoreJob, Error>>> {
        match step {
            Step::Yield(jobs) => {
                self.jobs = jobs.into_iter();
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

        /// Jobs left out because an earlier page had already yielded their id.
        pub fn duplicates_skipped(&self) -> u64 {
            self.buffered.walk.duplicates_skipped()
        }

        /// The page size of this walk.
        pub fn limit(&self) -> Option<Limit> {
            self.buffered.walk.limit()
        }
    };
}

/// Every restore job across all pages, as an iterator over a blocking transport: each
/// `restore_job_id` once, one page fetched at a time as it is advanced, core's [`Walk`]
/// deciding everything. After an `Err` it yields `None`.
#[derive(Debug)]
pub struct Jobs<'t, T: ?Sized> {
    transport: &'t T,
    buffered: Buffered,
}

impl<'t, T: Transport + ?Sized> Jobs<'t, T> {
    /// The walk from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: &'t T,
        config: &Config,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Jobs<'t, T> {
        Jobs {
            transport,
            buffered: Buffered::new(config.walk(limit, from.cloned())),
        }
    }

    walk_accessors!();
}

impl<T: Transport + ?Sized> Iterator for Jobs<'_, T> {
    type Item = Result<RestoreJob, Error>;

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

/// Every restore job across all pages over an async transport: each `restore_job_id` once,
/// one page fetched at a time as it is polled. An adapter wraps it in its `Stream`. Dropping
/// it drops the request in flight: nothing is sent after.
pub struct AsyncJobs<T> {
    transport: T,
    buffered: Buffered,
    in_flight: Option<Pin<Box<dyn Future<Output = InFlight> + Send>>>,
}

impl<T: AsyncTransport> AsyncJobs<T> {
    /// The walk from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: T,
        config: &Config,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> AsyncJobs<T> {
        AsyncJobs {
            transport,
            buffered: Buffered::new(config.walk(limit, from.cloned())),
            in_flight: None,
        }
    }

    walk_accessors!();

    /// The next job: `Poll::Ready(None)` at the end, after an error too.
    pub fn poll_next_job(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<RestoreJob, Error>>> {
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
                }
            }
            let step = self.buffered.walk.next_step(self.transport.now());
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

impl<T> std::fmt::Debug for AsyncJobs<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncJobs")
            .field("buffered", &self.buffered)
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The jitter source for a client of this configuration: from
    /// [`ConfigBuilder::rng_seed`](crate::ConfigBuilder::rng_seed) when set, else from `now`
    /// and `process_id` (which the adapter reads).
    pub fn jitter(&self, now: SystemTime, process_id: u32) -> Jitter {
        match self.rng_seed() {
            Some(seed) => Jitter::new(seed),
            None => Jitter::seeded(now, process_id),
        }
    }
}
