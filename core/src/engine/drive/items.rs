//! A walk as an iterator (blocking) or a stream's `poll_next` (async): each item of a
//! [`Listing`] once, one page fetched at a time as it is advanced, core's [`Walk`] deciding
//! everything, the walk's scope entered at every step.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::config::Config;
use crate::engine::call::{Operation, Step};
use crate::engine::walk::{Listing, Walk};
use crate::error::Error;
use crate::request::{Limit, PaginationToken};
use crate::resources::restore_jobs::RestoreJobs;
use crate::transport::TransportError;

use super::{AsyncTransport, Hooks, Reply, Scope, Transport, advance, hand_over};

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
pub struct Items<'t, T: Transport + ?Sized, L: Listing = RestoreJobs> {
    transport: &'t T,
    scope: <T::Hooks as Hooks>::Scope,
    buffered: Buffered<L>,
}

/// Every restore job across all pages over a blocking transport.
pub type Jobs<'t, T> = Items<'t, T, RestoreJobs>;

impl<'t, T: Transport + ?Sized, L: Listing> Items<'t, T, L> {
    /// The walk over `listing` from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: &'t T,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Self {
        let hooks = transport.hooks();
        let mut buffered = Buffered::new(hooks.config(), listing, limit, from);
        buffered.walk.record_events(hooks.listens());
        Items {
            transport,
            scope: hooks.scope(L::WALK),
            buffered,
        }
    }

    walk_accessors!();
}

impl<T: Transport + ?Sized, L: Listing> std::fmt::Debug for Items<'_, T, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffered)
            .finish_non_exhaustive()
    }
}

impl<T: Transport + ?Sized, L: Listing> Iterator for Items<'_, T, L> {
    type Item = Result<L::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let _entered = self.scope.enter();
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
pub struct AsyncItems<T: AsyncTransport, L: Listing = RestoreJobs> {
    transport: T,
    scope: <T::Hooks as Hooks>::Scope,
    buffered: Buffered<L>,
    in_flight: Option<Pin<Box<dyn Future<Output = InFlight> + Send>>>,
}

/// Every restore job across all pages over an async transport.
pub type AsyncJobs<T> = AsyncItems<T, RestoreJobs>;

impl<T: AsyncTransport, L: Listing> AsyncItems<T, L> {
    /// The walk over `listing` from `from` (`None`: the first page) over `transport`.
    pub fn new(
        transport: T,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
    ) -> Self {
        let hooks = transport.hooks();
        let mut buffered = Buffered::new(hooks.config(), listing, limit, from);
        buffered.walk.record_events(hooks.listens());
        let scope = hooks.scope(L::WALK);
        AsyncItems {
            transport,
            scope,
            buffered,
            in_flight: None,
        }
    }

    walk_accessors!();

    /// The next item, `None` at the end (after an error too): `while let Some(item) =
    /// items.next().await`.
    // async, as `StreamExt::next` is: no iterator could wait for a page without blocking
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Answer<L>> + Send + '_ {
        std::future::poll_fn(move |cx| self.poll_next_item(cx))
    }

    /// The next item: `Poll::Ready(None)` at the end, after an error too.
    pub fn poll_next_item(&mut self, cx: &mut Context<'_>) -> Poll<Answer<L>> {
        let _entered = self.scope.enter();
        let hooks = self.transport.hooks();
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
                    hand_over(
                        &mut self.buffered.walk,
                        outcome,
                        hooks.now(),
                        hooks.random(),
                    );
                    self.buffered.walk.drain_events(&mut |e| hooks.event(e));
                }
            }
            let step = self.buffered.walk.next_step(hooks.now());
            self.buffered.walk.drain_events(&mut |e| hooks.event(e));
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

// Nothing of a walk relies on where it is in memory (the request in flight is pinned in its
// own box), so a stream over it can be polled without pinning it.
impl<T: AsyncTransport, L: Listing> Unpin for AsyncItems<T, L> {}

impl<T: AsyncTransport, L: Listing> std::fmt::Debug for AsyncItems<T, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncItems")
            .field("buffered", &self.buffered)
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}
