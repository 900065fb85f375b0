//! One exchange as a state machine: what an adapter sends, sleeps and gets back, and every
//! decision in between.
//!
//! An [`Operation`] says what to do next ([`Operation::next_step`]: send this [`Attempt`],
//! sleep this long, take this item, or done) and takes what happened
//! ([`Operation::handle`]: the response or the transport failure). Time and randomness are
//! passed in; core reads no clock.
//!
//! [`Exchange`] is the engine every operation is built on: one logical request, its retries,
//! its deadline, the per-attempt timeout, and the scrubbing of every error it builds.

use std::convert::Infallible;
use std::time::{Duration, Instant, SystemTime};

use crate::config::{Config, Scheme};
use crate::engine::endpoint::Endpoint;
use crate::engine::verdict::{Outcome, RetryRule, Verdict, classify};
use crate::error::{Error, InvalidResponse, InvalidResponseKind};
use crate::event::{AttemptOutcome, Event, GiveUp, Next, Pending, Wait};
use crate::request::Request;
use crate::response::Response;
use crate::transport::{TlsProblem, TransportError, TransportKind};

/// The time, as the adapter read it: monotonic for deadlines and sleeps, wall clock for
/// `Retry-After` dates and for telling which restore jobs started after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// `Instant::now()`.
    pub instant: Instant,
    /// `SystemTime::now()`.
    pub wall: SystemTime,
}

/// One attempt to send a request, with the bounds the adapter must apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// What to send.
    pub request: Request,
    /// The whole attempt, from connecting to the last byte of the body, must end within this
    /// (the configured request timeout, or less when the operation has less time left).
    pub timeout: Duration,
    /// Opening the connection must end within this.
    pub connect_timeout: Duration,
    /// Read at most this many bytes of the body (decoded); beyond it, report
    /// [`TransportKind::BodyTooLarge`].
    pub max_body_bytes: u64,
}

/// What an adapter does next.
#[must_use = "a step says what the adapter must do next"]
#[derive(Debug)]
pub enum Step<T, Y = Infallible> {
    /// Send this attempt, then hand what happened to [`Operation::handle`].
    Send(Attempt),
    /// Sleep this long, then ask again.
    Sleep(Duration),
    /// Something along the way: a page of jobs, a snapshot of a job being waited on. Ask again.
    Yield(Y),
    /// Finished, with this result.
    Done(Result<T, Error>),
}

/// An operation an adapter drives: the same loop for every operation and every transport.
///
/// ```
/// use std::time::{Instant, SystemTime};
/// use pinecone_restore_core::{ApiKey, Config, JobId, Now, Operation, Response, Step};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// let mut call = config.describe(&JobId::new("rj-1")?);
/// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
/// let job = loop {
///     match call.next_step(now()) {
///         Step::Send(attempt) => {
///             assert_eq!(attempt.request.url, "https://api.pinecone.io/restore-jobs/rj-1");
///             // a transport sends `attempt.request` within `attempt.timeout`, then:
///             let body = br#"{"restore_job_id": "rj-1", "backup_id": "b",
///                 "target_index_name": "n", "target_index_id": "i",
///                 "status": "Pending", "created_at": null}"#;
///             call.handle(Ok(Response { status: 200, headers: &[], body }), now(), 7);
///         }
///         Step::Sleep(delay) => std::thread::sleep(delay),
///         Step::Yield(never) => match never {},
///         Step::Done(result) => break result?,
///     }
/// };
/// assert_eq!(job.restore_job_id(), "rj-1");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub trait Operation {
    /// The final value.
    type Output;
    /// What is handed out along the way ([`Infallible`] for a single request).
    type Item;

    /// The operation's name, as events, spans and the adapters' methods call it: an
    /// endpoint's (`describe`, `list_backups`, …), `wait`, `wait_all`, a walk's listing's.
    /// The default is `run`.
    fn name(&self) -> &'static str {
        "run"
    }

    /// What to do next. Asking again without handling a [`Step::Send`] gives the same attempt.
    fn next_step(&mut self, now: Now) -> Step<Self::Output, Self::Item>;

    /// What happened to the last [`Step::Send`]: the response, or how the transport failed.
    /// `random` feeds the jitter of retry delays.
    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64);

    /// Hands every [`Event`] recorded since the last time to `sink`, oldest first: each
    /// decision the operation made, with its reason. [`drive`](crate::drive) calls this after
    /// each step; an operation that is never asked keeps at most
    /// [`MAX_PENDING`](crate::event::MAX_PENDING). The default records nothing.
    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        let _ = sink;
    }

    /// Turns the recording of [`Event`]s on or off (off when made: nobody listening, none is
    /// built). [`drive`](crate::drive) turns it on when its transport
    /// [listens](crate::drive::Hooks::listens). The default records nothing.
    fn record_events(&mut self, on: bool) {
        let _ = on;
    }
}

/// What [`Exchange::judge`] decided about an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub(crate) enum Judged {
    /// The exchange sleeps, then sends again. `ambiguous`: the failed attempt may have taken
    /// effect.
    Retry { ambiguous: bool },
    /// The outcome is final; the owner decides what it means. `ambiguous` as above, for a
    /// failure that would have been retried but for the bounds.
    Final { ambiguous: bool },
}

/// What [`Exchange::poll`] says: [`Step`] without the items and the results that only an
/// operation has.
#[must_use]
pub(crate) enum ExchangeStep {
    Send(Attempt),
    Sleep(Duration),
    /// The deadline passed before another attempt could start; the last failure seen.
    GaveUp(Error),
}

#[derive(Debug)]
enum State {
    Ready,
    InFlight(Attempt),
    Sleeping { until: Instant, last: Error },
}

/// One logical request and its retries, within a budget and an optional outer deadline.
#[derive(Debug)]
pub(crate) struct Exchange {
    config: Config,
    request: Request,
    rule: RetryRule,
    /// A deadline from outside (a wait's), on top of the budget.
    outer: Option<Instant>,
    started: Option<Instant>,
    retries: u32,
    /// The timeout of the latest attempt, for the message of a timeout error.
    attempt_timeout: Duration,
    /// Attempts handed out so far.
    attempts: u32,
    /// When the attempt in flight was handed out.
    sent_at: Option<Instant>,
    events: Pending,
    state: State,
}

impl Exchange {
    pub(crate) fn new(config: &Config, request: Request, rule: RetryRule) -> Exchange {
        Exchange {
            config: config.clone(),
            request,
            rule,
            outer: None,
            started: None,
            retries: 0,
            attempt_timeout: config.request_timeout(),
            attempts: 0,
            sent_at: None,
            events: Pending::default(),
            state: State::Ready,
        }
    }

    /// Nothing of this exchange may run past `deadline`.
    pub(crate) fn within(mut self, deadline: Option<Instant>) -> Exchange {
        self.outer = deadline;
        self
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Retries made so far.
    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    /// The failure a retry is waiting to mend, while the exchange sleeps before it.
    pub(crate) fn last_error(&self) -> Option<Error> {
        match &self.state {
            State::Sleeping { last, .. } => Some(last.clone()),
            _ => None,
        }
    }

    fn deadline(&self, now: Instant) -> Instant {
        let start = self.started.unwrap_or(now);
        let budget = start
            .checked_add(self.config.retry_policy().budget)
            .unwrap_or(start);
        match self.outer {
            Some(outer) => outer.min(budget),
            None => budget,
        }
    }

    pub(crate) fn poll(&mut self, now: Now) -> ExchangeStep {
        self.started.get_or_insert(now.instant);
        match &self.state {
            State::InFlight(attempt) => return ExchangeStep::Send(attempt.clone()),
            State::Sleeping { until, .. } if *until > now.instant => {
                return ExchangeStep::Sleep(*until - now.instant);
            }
            State::Sleeping { .. } | State::Ready => {}
        }
        let left = self
            .deadline(now.instant)
            .saturating_duration_since(now.instant);
        if left.is_zero() {
            let last = match std::mem::replace(&mut self.state, State::Ready) {
                State::Sleeping { last, .. } => last,
                _ => self.timeout_error(Duration::ZERO, None),
            };
            if self.events.on() {
                let (path, query) = self.target();
                self.events.push(Event::DeadlinePassed {
                    method: self.request.method,
                    path,
                    query,
                    attempts: self.attempts,
                });
            }
            return ExchangeStep::GaveUp(last);
        }
        let timeout = self.config.request_timeout().min(left);
        self.attempt_timeout = timeout;
        let attempt = Attempt {
            request: self.request.clone(),
            timeout,
            connect_timeout: self.config.connect_timeout().min(timeout),
            max_body_bytes: self.config.max_body_bytes(),
        };
        self.state = State::InFlight(attempt.clone());
        self.attempts += 1;
        self.sent_at = Some(now.instant);
        ExchangeStep::Send(attempt)
    }

    /// The request's path and query as an event shows them.
    fn target(&self) -> (String, String) {
        crate::event::target_of(&self.request.url, self.config.secrets())
    }

    /// Turns recording on or off.
    pub(crate) fn record_events(&mut self, on: bool) {
        self.events.set(on);
    }

    /// Hands the events recorded so far to `sink`.
    pub(crate) fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.events.drain(sink);
    }

    /// Records what became of the attempt in flight.
    fn record(&mut self, outcome: &Result<Response<'_>, TransportError>, now: Now, next: Next) {
        if !self.events.on() {
            return;
        }
        let (path, query) = self.target();
        let elapsed = self.sent_at.map_or(Duration::ZERO, |sent| {
            now.instant.saturating_duration_since(sent)
        });
        self.events.push(Event::Attempted {
            method: self.request.method,
            path,
            query,
            attempt: self.attempts,
            outcome: match outcome {
                Ok(r) => AttemptOutcome::Status(r.status),
                Err(e) => AttemptOutcome::Failed(e.kind()),
            },
            elapsed,
            next,
        });
    }

    /// Decides about the outcome of the attempt in flight: retry (the exchange then sleeps)
    /// or final (the owner reads the outcome).
    pub(crate) fn judge(
        &mut self,
        outcome: &Result<Response<'_>, TransportError>,
        now: Now,
        random: u64,
    ) -> Judged {
        let (verdict, retry_after) = match outcome {
            Ok(r) => (
                classify(Outcome::Status(r.status), self.rule),
                r.retry_after(now.wall),
            ),
            Err(e) => (classify(Outcome::Transport(e.kind()), self.rule), None),
        };
        let Verdict {
            retry: retryable,
            ambiguous,
        } = verdict;
        if !retryable {
            self.record(outcome, now, Next::Final);
            self.state = State::Ready;
            return Judged::Final { ambiguous };
        }
        let policy = self.config.retry_policy();
        let delay = policy.delay(self.retries, retry_after, random);
        let bound = match delay {
            None if self.retries >= policy.max_retries => Some(GiveUp::RetriesUsedUp),
            None => Some(GiveUp::RetryAfterTooLong),
            // a retry must leave time for an attempt after its wait
            Some(d) if now.instant + d + policy.min_delay > self.deadline(now.instant) => {
                Some(GiveUp::Deadline)
            }
            Some(_) => None,
        };
        let (Some(delay), None) = (delay, bound) else {
            self.record(
                outcome,
                now,
                Next::GiveUp(bound.unwrap_or(GiveUp::Deadline)),
            );
            self.state = State::Ready;
            return Judged::Final { ambiguous };
        };
        let why = if retry_after.is_some() {
            Wait::RetryAfter
        } else {
            Wait::Backoff
        };
        self.record(outcome, now, Next::Retry { delay, why });
        let last = match outcome {
            Ok(r) => self.status_error(r, now),
            Err(e) => self.transport_error(e.clone()),
        };
        self.retries += 1;
        self.state = State::Sleeping {
            until: now.instant + delay,
            last,
        };
        Judged::Retry { ambiguous }
    }

    /// The error for a response whose status is not `expected`: an API error for 3xx-5xx,
    /// an unexpected status otherwise.
    pub(crate) fn status_error(&self, response: &Response<'_>, now: Now) -> Error {
        match response.status {
            300..=599 => response.api_error(self.config.secrets(), now.wall).into(),
            other => InvalidResponse::new(
                InvalidResponseKind::UnexpectedStatus,
                "",
                format!("expected a success status, found {other}"),
            )
            .into(),
        }
    }

    /// The error for a transport failure, with the server and the bounds in its message. A
    /// body too large or undecodable is an invalid response: the server did answer.
    pub(crate) fn transport_error(&self, failure: TransportError) -> Error {
        let server = self.config.base_url();
        let secrets = self.config.secrets();
        // what reaches the caller, causes included, is text made safe to show
        let failure = failure.scrubbed(secrets);
        let message = match failure.kind() {
            TransportKind::Resolve => format!(
                "could not resolve host `{}` (a DNS failure; nothing was sent)",
                server.host()
            ),
            TransportKind::Connect => {
                format!(
                    "could not connect to `{server}` (refused or unreachable; nothing was sent)"
                )
            }
            TransportKind::Tls => {
                let problem = failure.tls_problem().unwrap_or(TlsProblem::Protocol);
                let mut message = format!("TLS with `{server}` failed: {}", problem.describe());
                if problem == TlsProblem::NotTls && server.is_loopback() {
                    // only a local server plausibly speaks plain HTTP on purpose; elsewhere
                    // the advice would send the key unencrypted
                    message.push_str(&format!(
                        "; if it serves plain HTTP, use `{}`",
                        server.with_scheme(Scheme::Http)
                    ));
                }
                message
            }
            TransportKind::Timeout => {
                return self.timeout_error(self.attempt_timeout, Some(failure));
            }
            TransportKind::Closed => {
                format!("connection to `{server}` closed before the whole answer arrived")
            }
            TransportKind::BodyTooLarge => {
                return InvalidResponse::new(
                    InvalidResponseKind::TooLarge,
                    "",
                    format!(
                        "expected a body of at most {} bytes from `{server}`, found more",
                        self.config.max_body_bytes()
                    ),
                )
                .into();
            }
            TransportKind::Undecodable => {
                let detail = failure
                    .detail(secrets)
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default();
                return InvalidResponse::new(
                    InvalidResponseKind::Undecodable,
                    "",
                    format!(
                        "expected a body in a content encoding that decodes, found one that \
                         does not{detail}"
                    ),
                )
                .into();
            }
            _ => format!("request to `{server}` failed"),
        };
        failure.with_message(message).into()
    }

    /// A timeout after `timeout`, caused by `failure` (none when no attempt could start).
    fn timeout_error(&self, timeout: Duration, failure: Option<TransportError>) -> Error {
        let message = if timeout.is_zero() {
            format!(
                "no time left for a request to `{}`: the deadline passed",
                self.config.base_url()
            )
        } else {
            format!(
                "no complete answer from `{}` within {}",
                self.config.base_url(),
                seconds(timeout)
            )
        };
        failure
            .unwrap_or_else(|| TransportError::new(TransportKind::Timeout, None))
            .with_message(message)
            .into()
    }
}

/// `30 s`, `0.5 s`.
pub(crate) fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", d.as_secs_f64())
    }
}

/// One request, its retries, its deadline, its expected statuses and its parser: any
/// [`Endpoint`] run to its answer.
///
/// Made by [`Config::call`] (or the named methods, [`Config::list_page`], [`Config::describe`],
/// …); driven through [`Operation`]. The larger operations hold calls and react to their
/// results: a [`Walk`](crate::Walk) holds one per page, a [`Wait`](crate::Wait) one per
/// describe.
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Call<T> {
    endpoint: Endpoint<T>,
    /// `None` when the endpoint could not be asked (an option its version lacks): the call
    /// ends with that error at its first step.
    exchange: Option<Exchange>,
    /// An attempt may have taken effect without our hearing of it.
    ambiguous: bool,
    result: Option<Result<T, Error>>,
    finished: bool,
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("endpoint", &self.endpoint.name())
            .field("request", &self.exchange.as_ref().map(|e| &e.request))
            .field("retries", &self.retries())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T> Call<T> {
    /// Runs `endpoint` under `config`: retried as its [`Retry`](crate::Retry) allows, within
    /// the configured budget.
    pub(crate) fn new(config: &Config, endpoint: Endpoint<T>) -> Call<T> {
        let rule = match endpoint.retry() {
            crate::Retry::Idempotent => RetryRule::Idempotent,
            crate::Retry::Removal => RetryRule::Removal,
            // a plain call resolves nothing: a create is sent again only where it surely did
            // not take effect (see `Create` for one that finds what it made)
            crate::Retry::Create => RetryRule::Once,
        };
        let (exchange, result) = match endpoint.request(config) {
            Ok(request) => (Some(Exchange::new(config, request, rule)), None),
            Err(refused) => (None, Some(Err(refused))),
        };
        Call {
            endpoint,
            exchange,
            ambiguous: false,
            result,
            finished: false,
        }
    }

    /// Moves the events of this call to `into`, to go out with its owner's.
    pub(crate) fn move_events(&mut self, into: &mut Pending) {
        if let Some(exchange) = &mut self.exchange {
            exchange.drain_events(&mut |e| into.push(e));
        }
    }

    /// Nothing of this call may run past `deadline`: each attempt's timeout and every retry
    /// fit in the time left.
    pub fn within(mut self, deadline: Option<Instant>) -> Call<T> {
        self.exchange = self.exchange.map(|e| e.within(deadline));
        self
    }

    /// Retries made so far.
    pub fn retries(&self) -> u32 {
        self.exchange.as_ref().map_or(0, Exchange::retries)
    }

    /// The endpoint this call runs.
    pub fn endpoint(&self) -> &Endpoint<T> {
        &self.endpoint
    }

    /// `true` once an attempt may have taken effect without our hearing of it.
    pub fn was_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// The result, once the last [`Operation::handle`] settled the call; an owner that reacts
    /// to it at once takes it here, with the time the outcome was handled.
    pub(crate) fn take_result(&mut self) -> Option<Result<T, Error>> {
        let result = self.result.take();
        self.finished |= result.is_some();
        result
    }

    /// What a final answer means: the endpoint's reading of a success (or of a `404` after
    /// an ambiguous attempt, for an endpoint that reads it as gone), else the error. A
    /// [`Create`](crate::Create) reads its `POST`'s answers by it too.
    pub(crate) fn settle(
        endpoint: &Endpoint<T>,
        exchange: &Exchange,
        ambiguous: bool,
        response: &Response<'_>,
        now: Now,
    ) -> Result<T, Error> {
        let config = exchange.config();
        let success = endpoint.success(config.api_version());
        let gone = ambiguous && response.status == 404 && endpoint.is_gone_after_ambiguous();
        if success.contains(&response.status) || gone {
            endpoint.read(config, response.status, response.body)
        } else {
            Err(exchange.status_error(response, now))
        }
    }
}

impl<T> Operation for Call<T> {
    type Output = T;
    type Item = Infallible;

    fn name(&self) -> &'static str {
        self.endpoint.name()
    }

    fn next_step(&mut self, now: Now) -> Step<T, Infallible> {
        if let Some(result) = self.take_result() {
            return Step::Done(result);
        }
        let Some(exchange) = self.exchange.as_mut().filter(|_| !self.finished) else {
            return Step::Done(Err(finished()));
        };
        match exchange.poll(now) {
            ExchangeStep::Send(attempt) => Step::Send(attempt),
            ExchangeStep::Sleep(delay) => Step::Sleep(delay),
            ExchangeStep::GaveUp(error) => {
                self.finished = true;
                Step::Done(Err(error))
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        let Some(exchange) = self.exchange.as_mut() else {
            return;
        };
        if self.finished || self.result.is_some() {
            return;
        }
        let judged = exchange.judge(&outcome, now, random);
        // this attempt's own ambiguity counts for the answers after it, not for itself
        let before = self.ambiguous;
        match judged {
            Judged::Retry { ambiguous } | Judged::Final { ambiguous } => {
                self.ambiguous |= ambiguous;
            }
        }
        if let Judged::Retry { .. } = judged {
            return;
        }
        self.result = Some(match outcome {
            Ok(response) => Call::settle(&self.endpoint, exchange, before, &response, now),
            Err(failure) => Err(exchange.transport_error(failure)),
        });
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        if let Some(exchange) = &mut self.exchange {
            exchange.drain_events(sink);
        }
    }

    fn record_events(&mut self, on: bool) {
        if let Some(exchange) = &mut self.exchange {
            exchange.record_events(on);
        }
    }
}

/// Running endpoints.
impl Config {
    /// A call that runs `endpoint` (any of [`restore_jobs`](crate::restore_jobs)',
    /// [`backups`](crate::backups)'…) under this configuration: retried as the endpoint's
    /// [`Retry`](crate::Retry) allows, within the configured budget, its answer read by the
    /// endpoint's parser. Drive it with [`Operation`].
    ///
    /// ```
    /// use std::time::{Instant, SystemTime};
    /// use pinecone_restore_core::{ApiKey, BackupId, Config, Now, Operation, Response, Step, backups};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let mut call = config.call(backups::describe(&BackupId::new("bk-1")?));
    /// let now = || Now { instant: Instant::now(), wall: SystemTime::now() };
    /// let backup = loop {
    ///     match call.next_step(now()) {
    ///         Step::Send(attempt) => {
    ///             assert_eq!(attempt.request.url, "https://api.pinecone.io/backups/bk-1");
    ///             let body = br#"{"backup_id": "bk-1", "source_index_name": "docs",
    ///                 "source_index_id": "ix", "status": "Ready", "cloud": "aws",
    ///                 "region": "us-east-1"}"#;
    ///             call.handle(Ok(Response { status: 200, headers: &[], body }), now(), 0);
    ///         }
    ///         Step::Sleep(delay) => std::thread::sleep(delay),
    ///         Step::Yield(never) => match never {},
    ///         Step::Done(result) => break result?,
    ///     }
    /// };
    /// assert_eq!(backup.source_index_name(), "docs");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn call<T>(&self, endpoint: Endpoint<T>) -> Call<T> {
        Call::new(self, endpoint)
    }
}

/// The error for asking a finished operation for another step.
pub(crate) fn finished() -> Error {
    crate::error::InvalidArgument::new(
        "operation",
        "expected a running operation, found one that has finished",
    )
    .into()
}
