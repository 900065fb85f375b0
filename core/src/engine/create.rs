//! A create (`POST`) that is safe to retry: its endpoint, and the lookup that finds what an
//! attempt whose answer was lost made.
//!
//! Each retry-safe create is one [`Creation`]: its [`Endpoint`], the [`Listing`] to look in,
//! and which items of it our request can have made. [`Create`] does the rest for every one of
//! them: when to send again, when to look, what the server's clock allows to be ours.

use std::fmt;
use std::time::SystemTime;

use time::OffsetDateTime;

use crate::config::Config;
use crate::engine::call::{Call, Exchange, ExchangeStep, Judged, Now, Operation, Step, finished};
use crate::engine::candidate::{Candidate, Unclaimed};
use crate::engine::clock::ServerClock;
use crate::engine::endpoint::Endpoint;
use crate::engine::verdict::RetryRule;
use crate::engine::walk::{Listing, Walk};
use crate::error::{Error, ErrorCode};
use crate::event::{Event, Pending, Recovery};
use crate::request::Limit;
use crate::response::Response;
use crate::text::{self, Secrets};
use crate::transport::TransportError;

/// A create that is safe to retry: the `POST`, where to look for what it made, and which
/// items there it can have made.
///
/// Each resource defines its creations next to its endpoints (restore jobs:
/// [`RestoreFromBackup`](crate::restore_jobs::RestoreFromBackup)). A [`Create`] runs one.
pub trait Creation: fmt::Debug + Send {
    /// What the create answers with, and what a claimed item becomes.
    type Output: Clone + fmt::Debug + Send;
    /// Where what an ambiguous attempt made is looked for.
    type Lookup: Listing;

    /// How a candidate's creation time is named in its sentence: "started", "created".
    const MADE: &'static str = "created";

    /// Whether an attempt that may have taken effect is looked up before the `POST` is sent
    /// again. A create the server refuses to repeat (a name it holds unique answers 409) can
    /// be sent again first and the 409 resolved; one it would repeat (a backup: names are
    /// not unique) must look first, or a retry could make a second one.
    const LOOK_BEFORE_RETRY: bool = false;

    /// The `POST`.
    fn endpoint(&self) -> Endpoint<Self::Output>;

    /// The listing walked after an attempt that may have taken effect (at 100 a page). Its
    /// pages must say what they hold: a page read as empty because a key was left out would
    /// tell the create that nothing of ours is there, and it would send again (a backup
    /// page, whose schema requires no key, is read here only with `data`).
    fn lookup(&self) -> Self::Lookup;

    /// Of an item the lookup yields: `None` when our request cannot have made it (another
    /// backup, another name), else when it was created (`Some(None)`: the server does not
    /// say).
    fn candidate(&self, item: &<Self::Lookup as Listing>::Item) -> Option<Option<OffsetDateTime>>;

    /// What a create answers with, for an item claimed as ours.
    fn claimed(&self, item: <Self::Lookup as Listing>::Item) -> Self::Output;

    /// A candidate not claimed, for a person: ``an index named `x` is being restored from
    /// `B` by job `J` ``. Every server text in it goes through [`text`](crate::text) with
    /// `secrets`.
    fn describe(&self, item: &<Self::Lookup as Listing>::Item, secrets: &Secrets) -> String;

    /// Whether an error answer to a later attempt can mean that an earlier one made it (the
    /// name is taken: a 409 without a code or `ALREADY_EXISTS`): then the lookup runs.
    fn conflict(&self, error: &Error) -> bool {
        error.status() == Some(409) && matches!(error.code(), None | Some(ErrorCode::AlreadyExists))
    }
}

/// Runs a [`Creation`], safe to retry.
///
/// Made by [`Config::create`] (or a named method: [`Config::create_index_from_backup`]);
/// driven through [`Operation`].
///
/// A `POST` is not idempotent, so what happens after a failure depends on whether the request
/// may have taken effect:
///
/// | the attempt got | it took effect? | then |
/// |---|---|---|
/// | a connect failure (nothing sent), 429 | surely not | retried as the policy allows |
/// | a timeout, a reset, an unreadable answer, 408, 500, 502, 503, 504 | maybe | retried with the same body (ambiguous); for a creation that [looks before retrying](Creation::LOOK_BEFORE_RETRY), looked up first and retried only if nothing of ours is there |
/// | a conflict ([`Creation::conflict`]), after an ambiguous attempt | maybe ours | the lookup runs: an item our request can have made, created on the server's clock while our attempts that may have taken effect were in flight, is ours: success, recovered |
/// | a conflict with no ambiguous attempt before it | someone else's | the conflict is the error |
/// | a lookup that finds nothing | someone else's | the answer is the error |
/// | retries used up after an ambiguous attempt | maybe | the lookup runs; nothing found: the last failure is the error |
/// | a 2xx whose body cannot be read | yes | the lookup runs |
/// | any other status | no | that API error |
///
/// It never claims what it cannot tell is its own. Which item is ours is decided on the
/// server's clock, not ours: every answer's `Date` (cut to the second), with the instants the
/// request was sent and its answer read, bounds the offset between the two clocks, and each
/// answer (the failures, the conflict, the listing's pages) narrows it. An item is ours only
/// when [`Creation::candidate`] says our request can have made it and its creation time lies
/// between the server time of the first attempt that may have taken effect and that of the
/// last answer to the `POST`, widened by what the bound leaves open and one second. An
/// attempt that surely did not take effect (a connect failure, a 429) opens no window. A 503
/// may come after the work was done (a proxy's answer to a reset), so it is ambiguous.
///
/// Without a usable `Date` (absent, unparsable, or answers that contradict each other)
/// nothing is claimed. A candidate that is not claimed is named by
/// [`unclaimed`](Create::unclaimed) and carried by the error the create ends with
/// ([`Error::candidate`]), so a person can decide.
///
/// What no client can tell apart: an item that *someone else* made with the same request
/// after our first ambiguous attempt (and before our last answer) looks exactly like ours.
/// Without an idempotency key, which the API does not have, it is claimed as recovered.
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Create<C: Creation> {
    config: Config,
    creation: C,
    endpoint: Endpoint<C::Output>,
    /// When the request in flight (or the last one) was sent, by our wall clock.
    sent_at: Option<SystemTime>,
    /// A request was handed out and its outcome not handled yet: asking again for the step
    /// gives the same attempt, sent at the first asking.
    in_flight: bool,
    /// When the first attempt that may have taken effect was sent, by our wall clock.
    opened: Option<SystemTime>,
    /// When the last answer (or failure) to the `POST` came, by our wall clock.
    closed: Option<SystemTime>,
    /// What the answers' `Date` headers tell of the server's clock.
    clock: ServerClock,
    /// Whether an attempt may have taken effect without our hearing of it.
    ambiguous: bool,
    /// Whether the output was found by the lookup.
    recovered: bool,
    /// What the lookup saw and did not claim.
    unclaimed: Option<Candidate>,
    events: Pending,
    state: State<C>,
}

impl<C: Creation> fmt::Debug for Create<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Create")
            .field("creation", &self.creation)
            .field("ambiguous", &self.ambiguous)
            .field("unclaimed", &self.unclaimed)
            .finish_non_exhaustive()
    }
}

enum State<C: Creation> {
    Posting(Box<Exchange>),
    /// Looking for what an ambiguous attempt may have made; `otherwise` is the error to
    /// report if it is not there. `then` is the `POST` to go on with when nothing is found
    /// (a creation that looks before retrying), sleeping until its retry.
    LookingUp {
        walk: Box<Walk<C::Lookup>>,
        otherwise: Error,
        then: Option<Box<Exchange>>,
    },
    Done(Result<C::Output, Error>),
}

impl<C: Creation> Create<C> {
    /// Runs `creation` under `config`.
    pub(crate) fn new(config: &Config, creation: C) -> Create<C> {
        let endpoint = creation.endpoint();
        let state = match endpoint.request(config) {
            Ok(post) => State::Posting(Box::new(Exchange::new(config, post, RetryRule::Create))),
            Err(refused) => State::Done(Err(refused)),
        };
        Create {
            config: config.clone(),
            creation,
            endpoint,
            sent_at: None,
            in_flight: false,
            opened: None,
            closed: None,
            clock: ServerClock::default(),
            ambiguous: false,
            recovered: false,
            unclaimed: None,
            events: Pending::default(),
            state,
        }
    }

    /// What is being created.
    pub fn creation(&self) -> &C {
        &self.creation
    }

    /// `true` once an attempt may have taken effect without our hearing of it.
    pub fn was_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// `true` when what the create ends with was found by the lookup after an attempt whose
    /// answer was lost, rather than answered by the API.
    pub fn was_recovered(&self) -> bool {
        self.recovered
    }

    /// What the lookup found and did not claim, with why: the one a person may want to
    /// follow if it was their own earlier attempt. `None` before the lookup, when it found
    /// none, or when it claimed one. The error the create ends with carries it too
    /// ([`Error::candidate`]).
    pub fn unclaimed(&self) -> Option<&Candidate> {
        self.unclaimed.as_ref()
    }

    /// Lists to find what an ambiguous attempt made; `otherwise` is the answer if there is
    /// none, `then` the `POST` to go on with.
    fn look_up(&mut self, otherwise: Error, then: Option<Box<Exchange>>) {
        self.move_inner_events();
        let because = text::shown(
            &otherwise.to_string(),
            text::MESSAGE_CHARS,
            self.config.secrets(),
        );
        self.events
            .push(Event::Recovery(Recovery::LookingUp { because }));
        let mut walk = Walk::new(&self.config, self.creation.lookup(), Some(Limit::MAX), None);
        walk.record_events(self.events.on());
        self.state = State::LookingUp {
            walk: Box::new(walk),
            otherwise,
            then,
        };
    }

    /// Moves the events of the request or the lookup in flight to the create's own, in order.
    fn move_inner_events(&mut self) {
        let events = &mut self.events;
        match &mut self.state {
            State::Posting(exchange) => exchange.drain_events(&mut |e| events.push(e)),
            State::LookingUp { walk, then, .. } => {
                walk.drain_events(&mut |e| events.push(e));
                if let Some(exchange) = then {
                    exchange.drain_events(&mut |e| events.push(e));
                }
            }
            State::Done(_) => {}
        }
    }

    /// Ends with `result`, after the events of what led to it. An error carries the
    /// candidate seen and not claimed.
    fn finish(&mut self, result: Result<C::Output, Error>) {
        self.move_inner_events();
        let result = result.map_err(|error| match &self.unclaimed {
            Some(candidate) => error.with_candidate(candidate.clone()),
            None => error,
        });
        self.state = State::Done(result);
    }

    /// An attempt goes out now, unless the one handed out before is still in flight (the
    /// same attempt, asked for again).
    fn sending(&mut self, now: Now) {
        if !self.in_flight {
            self.in_flight = true;
            self.sent_at = Some(now.wall);
        }
    }

    /// `Ok` for an item our ambiguous attempt would have made; for another our request can
    /// have made, why it is not ours; `None` for any other item.
    fn judge(&self, item: &<C::Lookup as Listing>::Item) -> Option<Result<(), Unclaimed>> {
        let created_at = self.creation.candidate(item)?;
        let Some(created_at) = created_at else {
            return Some(Err(Unclaimed::NoCreationTime));
        };
        let (Some(opened), Some(closed)) = (self.opened, self.closed) else {
            return Some(Err(Unclaimed::OutsideOurAttempts));
        };
        Some(match self.clock.window(opened, closed) {
            Some(window) if window.contains(created_at) => Ok(()),
            Some(_) => Err(Unclaimed::OutsideOurAttempts),
            None if self.clock == ServerClock::Inconsistent => {
                Err(Unclaimed::InconsistentServerClock)
            }
            None => Err(Unclaimed::NoServerClock),
        })
    }

    /// Keeps `item` as the candidate to name, unless one created later is kept already.
    fn keep_unclaimed(&mut self, item: &<C::Lookup as Listing>::Item, why: Unclaimed) {
        self.move_inner_events();
        let secrets = self.config.secrets();
        let id = C::Lookup::id(item);
        self.events.push(Event::Recovery(Recovery::NotClaimed {
            job: text::shown(id, text::CELL_CHARS, secrets),
            why: why.to_string(),
        }));
        let created_at = self.creation.candidate(item).flatten();
        if self
            .unclaimed
            .as_ref()
            .is_some_and(|kept| kept.created_at() >= created_at)
        {
            return;
        }
        let when = created_at
            .and_then(|at| crate::timestamp::format_utc(at).ok())
            .map_or_else(|| "at an unknown time".to_owned(), |at| format!("at {at}"));
        let shown = format!(
            "{}, {} {when} (not claimed: {why})",
            self.creation.describe(item, secrets),
            C::MADE
        );
        self.unclaimed = Some(Candidate::new(id.to_owned(), created_at, why, shown));
    }

    /// The first attempt that may have taken effect opens the window.
    fn mark_ambiguous(&mut self) {
        self.ambiguous = true;
        self.opened = self.opened.or(self.sent_at);
    }

    /// What a final answer to the `POST` means.
    fn settle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now) {
        let State::Posting(exchange) = &self.state else {
            return;
        };
        let response = match outcome {
            Err(failure) => {
                let error = exchange.transport_error(failure);
                if self.ambiguous {
                    self.look_up(error, None);
                } else {
                    self.finish(Err(error));
                }
                return;
            }
            Ok(response) => response,
        };
        if (200..300).contains(&response.status) {
            // a `POST` is never read as gone: not ambiguous here
            match Call::settle(&self.endpoint, exchange, false, &response, now) {
                Ok(made) => self.finish(Ok(made)),
                // accepted, but what was made cannot be read: find it
                Err(e) => {
                    self.mark_ambiguous();
                    self.look_up(e, None);
                }
            }
            return;
        }
        let error = exchange.status_error(&response, now);
        if self.ambiguous && (self.creation.conflict(&error) || error.is_retryable()) {
            self.look_up(error, None);
        } else {
            self.finish(Err(error));
        }
    }

    /// What the lookup's walk says next; `Some` when the create has a step to give.
    fn step_lookup(&mut self, now: Now) -> Option<Step<C::Output, std::convert::Infallible>> {
        let State::LookingUp { walk, .. } = &mut self.state else {
            return None;
        };
        match walk.next_step(now) {
            Step::Send(attempt) => {
                self.sending(now);
                Some(Step::Send(attempt))
            }
            Step::Sleep(delay) => Some(Step::Sleep(delay)),
            Step::Yield(items) => {
                let mut found = None;
                for item in items {
                    match self.judge(&item) {
                        Some(Ok(())) => {
                            found = Some(item);
                            break;
                        }
                        Some(Err(why)) => self.keep_unclaimed(&item, why),
                        None => {}
                    }
                }
                if let Some(item) = found {
                    self.unclaimed = None;
                    self.recovered = true;
                    let shown = text::shown(
                        C::Lookup::id(&item),
                        text::CELL_CHARS,
                        self.config.secrets(),
                    );
                    self.move_inner_events();
                    self.events
                        .push(Event::Recovery(Recovery::Claimed { job: shown }));
                    let made = self.creation.claimed(item);
                    self.finish(Ok(made));
                }
                None
            }
            Step::Done(listed) => {
                self.lookup_ended(listed);
                None
            }
        }
    }

    /// The lookup walked every page without claiming anything (or failed).
    fn lookup_ended(&mut self, listed: Result<(), Error>) {
        self.move_inner_events();
        let State::LookingUp {
            otherwise, then, ..
        } = std::mem::replace(&mut self.state, State::Done(Err(finished())))
        else {
            return;
        };
        match (listed, then) {
            // the listing failed: nothing is decided, nothing is sent again
            (Err(listing), _) => self.finish(Err(listing)),
            // ours is not there and nothing else of our request is: send again
            (Ok(()), Some(exchange)) if self.unclaimed.is_none() => {
                self.events.push(Event::Recovery(Recovery::NotFound));
                self.state = State::Posting(exchange);
            }
            (Ok(()), _) => {
                self.events.push(Event::Recovery(Recovery::NotFound));
                self.finish(Err(otherwise));
            }
        }
    }
}

impl<C: Creation> Operation for Create<C> {
    type Output = C::Output;
    type Item = std::convert::Infallible;

    fn name(&self) -> &'static str {
        self.endpoint.name()
    }

    fn next_step(&mut self, now: Now) -> Step<C::Output, std::convert::Infallible> {
        loop {
            match &mut self.state {
                State::Posting(exchange) => match exchange.poll(now) {
                    ExchangeStep::Send(attempt) => {
                        self.sending(now);
                        return Step::Send(attempt);
                    }
                    ExchangeStep::Sleep(delay) => return Step::Sleep(delay),
                    ExchangeStep::GaveUp(error) if self.ambiguous => self.look_up(error, None),
                    ExchangeStep::GaveUp(error) => self.finish(Err(error)),
                },
                State::LookingUp { .. } => {
                    if let Some(step) = self.step_lookup(now) {
                        return step;
                    }
                }
                State::Done(result) => return Step::Done(result.clone()),
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        // an outcome out of turn (nothing in flight) tells nothing of the clocks
        let in_flight = std::mem::replace(&mut self.in_flight, false);
        if let (true, Ok(response), Some(sent_at)) = (in_flight, &outcome, self.sent_at)
            && let Some(date) = response.date()
        {
            self.clock.observe(sent_at, now.wall, date);
        }
        match &mut self.state {
            State::Posting(exchange) => {
                self.closed = Some(now.wall);
                let judged = exchange.judge(&outcome, now, random);
                let (ambiguous, last) = match judged {
                    Judged::Retry { ambiguous } => (ambiguous, false),
                    Judged::Final { ambiguous } => (ambiguous, true),
                };
                if ambiguous {
                    self.mark_ambiguous();
                }
                if last {
                    self.settle(outcome, now);
                } else if ambiguous && C::LOOK_BEFORE_RETRY {
                    // the exchange sleeps until its retry; look first
                    let State::Posting(exchange) =
                        std::mem::replace(&mut self.state, State::Done(Err(finished())))
                    else {
                        return;
                    };
                    let otherwise = exchange.last_error().unwrap_or_else(finished);
                    self.look_up(otherwise, Some(exchange));
                }
            }
            State::LookingUp { walk, .. } => walk.handle(outcome, now, random),
            State::Done(_) => {}
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.move_inner_events();
        self.events.drain(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.events.set(on);
        match &mut self.state {
            State::Posting(exchange) => exchange.record_events(on),
            State::LookingUp { walk, then, .. } => {
                walk.record_events(on);
                if let Some(exchange) = then {
                    exchange.record_events(on);
                }
            }
            State::Done(_) => {}
        }
    }
}

/// Running creations.
impl Config {
    /// A create of `creation` under this configuration, safe to retry (see [`Create`]).
    /// Drive it with [`Operation`].
    pub fn create<C: Creation>(&self, creation: C) -> Create<C> {
        Create::new(self, creation)
    }
}
