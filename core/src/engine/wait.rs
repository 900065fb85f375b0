//! Waiting for something to settle (a restore job to finish, a backup to be taken), as a
//! state machine over one describe [`Call`] at a time, whose deadline bounds everything inside
//! it. What is followed is a [`Followed`]: how to describe it, and what its state means.

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::engine::call::{Call, Now, Operation, Step};
use crate::engine::endpoint::Endpoint;
use crate::engine::walk::Listing;
use crate::error::Error;
use crate::event::{Event, Pending};
use crate::resources::restore_jobs::model::RestoreJob;
use crate::response::Response;
use crate::text::{self, Secrets};
use crate::transport::TransportError;

/// What a wait can follow: how one is described, and what its state means. Each resource
/// says so for its kind (restore jobs:
/// [`RestoreJobs`](crate::RestoreJobs), backups: [`ProjectBackups`](crate::ProjectBackups)).
pub trait Followed: Send + Sync + 'static {
    /// What a describe gives.
    type Item: Clone + std::fmt::Debug + Send + Sync + 'static;
    /// What names one.
    type Id: Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static;

    /// What one is called in a message (`restore job`, `backup`).
    const WHAT: &'static str;

    /// The name of a wait on one, as events, spans and the adapters' methods call it.
    const WAIT: &'static str;

    /// The name of a wait on several at once.
    const WAIT_ALL: &'static str;

    /// The endpoint that describes `id`.
    fn describe(id: &Self::Id) -> Endpoint<Self::Item>;

    /// The id, as text.
    fn id_text(id: &Self::Id) -> &str;

    /// Where `item` is: still going, done well, or ended otherwise.
    fn state(item: &Self::Item) -> Settled;

    /// Its status as sent, for events.
    fn status_text(item: &Self::Item) -> &str;

    /// How far it is, in percent, when it says.
    fn percent(item: &Self::Item) -> Option<f64>;

    /// What a round of a wait on several walks to see many at once ([`WaitAll`]).
    ///
    /// [`WaitAll`]: crate::WaitAll
    type Listing: Listing<Item = Self::Item>;

    /// The listing that holds the ones still followed, from what was last seen of each
    /// (`None`: not seen yet).
    fn listing(last: &[Option<&Self::Item>]) -> Self::Listing;
}

/// Where a followed thing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Settled {
    /// Still going (an unknown status is taken as this).
    Not,
    /// Done well: a restore `Completed`, a backup `Ready`.
    Done,
    /// Ended otherwise: a restore `Failed` or `Cancelled`, a backup that failed.
    Ended,
}

/// How a wait polls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Time between two describes. Default 5 s; at least 1 ms.
    pub interval: Duration,
    /// Give up after this long; `None` (the default) waits until the job finishes. Every
    /// describe inside the wait, its timeout and its retries included, fits in this.
    ///
    /// Zero means "check once", as `kubectl wait --timeout=0` does: one describe, bounded by
    /// the request timeout, then its outcome (the deadline passed, unless the job had finished).
    pub timeout: Option<Duration>,
    /// How many 404s to tolerate before the job has been seen once (the API answers 404 for a
    /// short while after a restore starts). Default 3.
    pub not_found_tolerance: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(5),
            timeout: None,
            not_found_tolerance: 3,
        }
    }
}

impl WaitOptions {
    /// Sets the interval.
    pub fn interval(mut self, interval: Duration) -> WaitOptions {
        self.interval = interval;
        self
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Option<Duration>) -> WaitOptions {
        self.timeout = timeout;
        self
    }

    /// Sets the 404 tolerance.
    pub fn not_found_tolerance(mut self, polls: u32) -> WaitOptions {
        self.not_found_tolerance = polls;
        self
    }
}

/// How a wait ended, when it did not fail.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitOutcome<T = RestoreJob> {
    /// It settled well: a job `Completed`, a backup `Ready`.
    Completed(T),
    /// It ended otherwise: a job `Failed` or `Cancelled`, a backup `Failed` or
    /// `InitializationFailed`.
    Ended(T),
    /// The timeout passed first; the last snapshot seen, if any.
    DeadlinePassed(Option<T>),
}

/// The least time between two describes.
pub(crate) const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// Describes a restore job (or any [`Followed`]: a backup) until it finishes, its 404s run
/// past the tolerance, or the deadline passes.
///
/// Made by [`Config::wait`] (and [`Config::wait_backup`]); driven through [`Operation`], whose
/// items are the snapshots as described (the last one included), so a caller can draw
/// progress.
///
/// A restore job that was just started can answer 404 for a moment: the first few 404s before
/// the job was seen are polled again. A 404 after the job was seen, or any other error that
/// the describe's retries do not mend, ends the wait with that error. An unknown status is
/// treated as still running. The deadline governs everything: each describe's timeout and its
/// retries fit in the time left, so a wait returns within about its timeout against any
/// server.
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Wait<F: Followed = crate::RestoreJobs> {
    config: Config,
    followed: Follow<F>,
    options: WaitOptions,
    deadline: Option<Instant>,
    events: Pending,
    state: State<F>,
}

#[derive(Debug)]
enum State<F: Followed> {
    /// Not started: the deadline is set by the first step.
    New,
    Describing(Box<Call<F::Item>>),
    /// A snapshot to hand out, then what comes after it.
    Snapshot(F::Item, Box<State<F>>),
    Sleeping(Instant),
    Done(Result<WaitOutcome<F::Item>, Error>),
}

impl<F: Followed> Wait<F> {
    /// A wait on `id`.
    pub(crate) fn new(config: &Config, id: &F::Id, options: &WaitOptions) -> Wait<F> {
        Wait {
            config: config.clone(),
            followed: Follow::new(id.clone()),
            options: options.clone(),
            deadline: None,
            events: Pending::default(),
            state: State::New,
        }
    }

    /// The last snapshot seen.
    pub fn last(&self) -> Option<&F::Item> {
        self.followed.last.as_ref()
    }

    fn describe(&self, now: Instant) -> State<F> {
        let bound = request_bound(&self.options, &self.config, self.deadline, now);
        let mut call = self
            .config
            .call(F::describe(&self.followed.id))
            .within(bound);
        call.record_events(self.events.on());
        State::Describing(Box::new(call))
    }

    /// What a describe came to.
    fn react(&mut self, described: Result<F::Item, Error>, now: Instant) {
        self.move_call_events();
        match described {
            Ok(job) => self.observe(job, now),
            Err(e) => self.fail(e, now),
        }
    }

    /// Moves the events of the describe in flight to the wait's own, in order.
    fn move_call_events(&mut self) {
        if let State::Describing(call) = &mut self.state {
            call.move_events(&mut self.events);
        }
    }

    fn deadline_passed(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    /// After a snapshot or a tolerated 404: sleep the interval, or end at the deadline.
    fn poll_again(&self, now: Instant) -> State<F> {
        let interval = self.options.interval.max(MIN_INTERVAL);
        match self.deadline {
            Some(deadline) if now >= deadline => State::Done(Ok(self.followed.deadline_passed())),
            Some(deadline) => Some(now + interval)
                .filter(|wake| *wake < deadline)
                .map_or(State::Sleeping(deadline), State::Sleeping),
            None => State::Sleeping(now + interval),
        }
    }

    /// What a described snapshot means.
    fn observe(&mut self, job: F::Item, now: Instant) {
        let after = match self.followed.observe(&job) {
            Some(outcome) => State::Done(Ok(outcome)),
            None => self.poll_again(now),
        };
        if self.events.on() {
            let next_in = match &after {
                State::Sleeping(until) => Some(until.saturating_duration_since(now)),
                _ => None,
            };
            let polled = self.followed.polled(&job, next_in, self.config.secrets());
            self.events.push(polled);
        }
        self.state = State::Snapshot(job, Box::new(after));
    }

    /// What a failed describe means.
    fn fail(&mut self, error: Error, now: Instant) {
        let deadline_passed = self.deadline_passed(now);
        self.state = match self.followed.fail(
            error,
            deadline_passed,
            &self.options,
            &mut self.events,
            self.config.secrets(),
        ) {
            Some(end) => State::Done(end),
            None => self.poll_again(now),
        };
    }
}

impl<F: Followed> Operation for Wait<F> {
    type Output = WaitOutcome<F::Item>;
    type Item = F::Item;

    fn name(&self) -> &'static str {
        F::WAIT
    }

    fn next_step(&mut self, now: Now) -> Step<WaitOutcome<F::Item>, F::Item> {
        loop {
            let deadline_passed = self.deadline_passed(now.instant);
            match &mut self.state {
                State::New => {
                    self.deadline = self
                        .options
                        .timeout
                        .and_then(|t| now.instant.checked_add(t));
                    self.state = self.describe(now.instant);
                }
                State::Snapshot(..) => {
                    if let State::Snapshot(job, after) =
                        std::mem::replace(&mut self.state, State::New)
                    {
                        self.state = *after;
                        return Step::Yield(job);
                    }
                }
                State::Sleeping(until) if *until > now.instant => {
                    return Step::Sleep(*until - now.instant);
                }
                State::Sleeping(_) if deadline_passed => {
                    self.state = State::Done(Ok(self.followed.deadline_passed()));
                }
                State::Sleeping(_) => self.state = self.describe(now.instant),
                State::Describing(call) => match call.next_step(now) {
                    Step::Send(attempt) => return Step::Send(attempt),
                    Step::Sleep(delay) => return Step::Sleep(delay),
                    Step::Yield(never) => match never {},
                    Step::Done(described) => self.react(described, now.instant),
                },
                State::Done(result) => return Step::Done(result.clone()),
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        let State::Describing(call) = &mut self.state else {
            return;
        };
        call.handle(outcome, now, random);
        if let Some(described) = call.take_result() {
            self.react(described, now.instant);
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.move_call_events();
        self.events.drain(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.events.set(on);
        if let State::Describing(call) = &mut self.state {
            call.record_events(on);
        }
    }
}

/// How the wait on one ended: its outcome, or the error that ended it.
pub type WaitEnd<T = RestoreJob> = Result<WaitOutcome<T>, Error>;

/// One followed thing and what is known of it, with the rules every poll of it follows: a
/// lone [`Wait`] holds one, a [`WaitAll`](crate::WaitAll) one a job.
#[derive(Debug)]
pub(crate) struct Follow<F: Followed> {
    pub(crate) id: F::Id,
    /// The last snapshot seen while it was still going.
    pub(crate) last: Option<F::Item>,
    not_found_seen: u32,
    /// Snapshots taken of it (describes that came back with it, or listings that showed it).
    polls: u32,
}

impl<F: Followed> Follow<F> {
    pub(crate) fn new(id: F::Id) -> Follow<F> {
        Follow {
            id,
            last: None,
            not_found_seen: 0,
            polls: 0,
        }
    }

    /// A snapshot of it: how the wait ends when it has settled; otherwise it is kept as the
    /// last, and the wait goes on (`None`).
    pub(crate) fn observe(&mut self, item: &F::Item) -> Option<WaitOutcome<F::Item>> {
        self.polls += 1;
        match F::state(item) {
            Settled::Done => Some(WaitOutcome::Completed(item.clone())),
            Settled::Ended => Some(WaitOutcome::Ended(item.clone())),
            Settled::Not => {
                self.last = Some(item.clone());
                None
            }
        }
    }

    /// The event of the snapshot `item` just observed, `next_in` the time to the next poll
    /// (`None`: there is none).
    pub(crate) fn polled(
        &self,
        item: &F::Item,
        next_in: Option<Duration>,
        secrets: &Secrets,
    ) -> Event {
        Event::Polled {
            number: self.polls,
            job: self.shown_id(secrets),
            status: text::shown(F::status_text(item), text::CELL_CHARS, secrets),
            percent: F::percent(item),
            next_in,
        }
    }

    /// What a failed describe means: `None` for a 404 still tolerated before it was first
    /// seen (its event recorded), else how the wait ends. When the deadline has passed, a
    /// describe that ran out of tries or time ran out of the wait's time: the deadline passed.
    pub(crate) fn fail(
        &mut self,
        error: Error,
        deadline_passed: bool,
        options: &WaitOptions,
        events: &mut Pending,
        secrets: &Secrets,
    ) -> Option<WaitEnd<F::Item>> {
        let tolerance = options.not_found_tolerance;
        if error.is_not_found() && self.last.is_none() && self.not_found_seen < tolerance {
            self.not_found_seen += 1;
            if events.on() {
                events.push(Event::NotFoundYet {
                    job: self.shown_id(secrets),
                    seen: self.not_found_seen,
                    tolerance,
                });
            }
            None
        } else if deadline_passed && (error.is_retryable() || error.is_timeout()) {
            Some(Ok(self.deadline_passed()))
        } else {
            Some(Err(error))
        }
    }

    /// The end of a wait whose deadline passed: the last snapshot seen, if any.
    pub(crate) fn deadline_passed(&self) -> WaitOutcome<F::Item> {
        WaitOutcome::DeadlinePassed(self.last.clone())
    }

    /// The id as an event shows it.
    fn shown_id(&self, secrets: &Secrets) -> String {
        text::shown(F::id_text(&self.id), text::CELL_CHARS, secrets)
    }
}

/// What a describe of a wait fits in: the wait's deadline, or for "check once" (a zero
/// timeout) one request timeout from `now`.
pub(crate) fn request_bound(
    options: &WaitOptions,
    config: &Config,
    deadline: Option<Instant>,
    now: Instant,
) -> Option<Instant> {
    match options.timeout {
        Some(timeout) if timeout.is_zero() => now.checked_add(config.request_timeout()),
        _ => deadline,
    }
}
