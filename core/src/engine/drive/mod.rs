//! The one loop that runs an operation over a transport, blocking or async, and every method
//! an adapter's client has, so no adapter writes either again.
//!
//! An adapter implements [`Transport`] (or [`AsyncTransport`]): send one [`Attempt`] and give
//! back the [`Reply`] or the [`TransportError`], and sleep; its [`Hooks`] read the clocks,
//! draw random numbers, take [`Event`]s and scope an operation's work (a `tracing` span).
//! Core does the rest: [`run`] and [`run_async`] drive any [`Operation`] to its end,
//! [`Items`] and [`AsyncItems`] walk every page of any [`Listing`] one page at a time, and
//! [`Api`] and [`AsyncApi`] give every transport every endpoint's method (`list_page`,
//! `describe_backup`, `wait`, …), generated from one list. Core still reads no clock and
//! draws no randomness itself: it asks the hooks.

mod api;
mod items;

pub use api::{Api, AsyncApi};
pub use items::{AsyncItems, AsyncJobs, Items, Jobs};

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::config::Config;
use crate::engine::call::{Attempt, Now, Operation, Step};
use crate::engine::walk::Listing;
use crate::error::Error;
use crate::event::Event;
use crate::response::Response;
use crate::transport::TransportError;

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

/// What a client does beside sending: its configuration, the clocks, random numbers, the
/// events it is told of and the scope an operation runs in. The same for every transport, so
/// adapters share one implementation.
pub trait Hooks {
    /// What an operation's work runs inside: a `tracing` span in an adapter with its
    /// `tracing` feature, `()` otherwise.
    type Scope: Scope;

    /// The configuration every operation is made from.
    fn config(&self) -> &Config;

    /// The clocks, now.
    fn now(&self) -> Now;

    /// A random number, for the jitter of retry delays.
    fn random(&self) -> u64;

    /// Whether anyone listens to [`Hooks::event`]: the operation records events only then.
    /// The default is `false`, and no event is built.
    fn listens(&self) -> bool {
        false
    }

    /// A decision of the operation being driven, with its reason (see [`Event`]), when
    /// [`Hooks::listens`]. The default ignores it.
    fn event(&self, event: Event) {
        let _ = event;
    }

    /// The scope of operation `name` (see [`Operation::name`]): one for a whole operation,
    /// entered at every step of it.
    fn scope(&self, name: &'static str) -> Self::Scope;
}

/// What an operation's work runs inside, entered at each of its steps.
pub trait Scope {
    /// Enters the scope until the returned guard is dropped.
    fn enter(&self) -> impl Sized + '_;
}

/// No scope.
impl Scope for () {
    fn enter(&self) -> impl Sized + '_ {}
}

/// A blocking transport: the only things an adapter does.
pub trait Transport {
    /// Its hooks.
    type Hooks: Hooks;

    /// The hooks: configuration, clocks, randomness, events, scopes.
    fn hooks(&self) -> &Self::Hooks;

    /// Sends `attempt` and reads the whole answer, within `attempt.timeout` and
    /// `attempt.max_body_bytes`, never following a redirect.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] of the kind that happened.
    fn send(&self, attempt: &Attempt) -> Result<Reply, TransportError>;

    /// Sleeps `delay`.
    fn sleep(&self, delay: Duration);
}

/// An async transport: the only things an async adapter does. Its futures own what they need,
/// so an operation in flight can be held (and dropped, cancelling it) anywhere.
pub trait AsyncTransport: Clone + Send + Sync + 'static {
    /// Its hooks.
    type Hooks: Hooks<Scope: Send + Sync + Unpin> + Send + Sync;

    /// How its walks are handed out: core's [`AsyncItems`], or the adapter's wrapper of them
    /// that implements its ecosystem's `Stream`.
    type Items<L: Listing>: From<AsyncItems<Self, L>>;

    /// The hooks: configuration, clocks, randomness, events, scopes.
    fn hooks(&self) -> &Self::Hooks;

    /// Sends `attempt` and reads the whole answer, as [`Transport::send`].
    fn send(
        &self,
        attempt: Attempt,
    ) -> impl Future<Output = Result<Reply, TransportError>> + Send + 'static;

    /// Sleeps `delay`.
    fn sleep(&self, delay: Duration) -> impl Future<Output = ()> + Send + 'static;
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
    let hooks = transport.hooks();
    op.record_events(hooks.listens());
    loop {
        let step = op.next_step(hooks.now());
        op.drain_events(&mut |e| hooks.event(e));
        match step {
            Step::Send(attempt) => {
                let outcome = transport.send(&attempt);
                hand_over(op, outcome, hooks.now(), hooks.random());
                op.drain_events(&mut |e| hooks.event(e));
            }
            Step::Sleep(delay) => transport.sleep(delay),
            other => return other,
        }
    }
}

/// Drives `op` to its end over `transport`, inside the scope of its name, handing each item
/// to `on_item`.
///
/// # Errors
///
/// The operation's error.
pub fn run<T: Transport + ?Sized, O: Operation>(
    transport: &T,
    op: &mut O,
    mut on_item: impl FnMut(O::Item),
) -> Result<O::Output, Error> {
    let scope = transport.hooks().scope(op.name());
    let _entered = scope.enter();
    loop {
        match advance(transport, op) {
            Step::Yield(item) => on_item(item),
            Step::Done(result) => return result,
            Step::Send(_) | Step::Sleep(_) => {}
        }
    }
}

/// Drives `op` to its end over an async `transport`, inside the scope of its name (entered
/// at every poll), handing each item to `on_item`. Dropping the future drops the request in
/// flight.
///
/// # Errors
///
/// The operation's error.
pub fn run_async<'a, T, O>(
    transport: &'a T,
    op: &'a mut O,
    on_item: impl FnMut(O::Item) + Send + 'a,
) -> impl Future<Output = Result<O::Output, Error>> + Send + 'a
where
    T: AsyncTransport,
    O: Operation + Send,
    O::Output: Send,
    O::Item: Send,
{
    InScope {
        scope: transport.hooks().scope(op.name()),
        future: Box::pin(drive_async(transport, op, on_item)),
    }
}

/// The loop of [`run_async`].
async fn drive_async<T, O>(
    transport: &T,
    op: &mut O,
    mut on_item: impl FnMut(O::Item) + Send,
) -> Result<O::Output, Error>
where
    T: AsyncTransport,
    O: Operation + Send,
    O::Output: Send,
    O::Item: Send,
{
    let hooks = transport.hooks();
    op.record_events(hooks.listens());
    loop {
        let step = op.next_step(hooks.now());
        op.drain_events(&mut |e| hooks.event(e));
        match step {
            Step::Send(attempt) => {
                let outcome = transport.send(attempt).await;
                hand_over(op, outcome, hooks.now(), hooks.random());
                op.drain_events(&mut |e| hooks.event(e));
            }
            Step::Sleep(delay) => transport.sleep(delay).await,
            Step::Yield(item) => on_item(item),
            Step::Done(result) => return result,
        }
    }
}

/// A future polled inside a scope.
struct InScope<S, F> {
    scope: S,
    future: Pin<Box<F>>,
}

impl<S: Scope + Unpin, F: Future> Future for InScope<S, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let _entered = this.scope.enter();
        this.future.as_mut().poll(cx)
    }
}
