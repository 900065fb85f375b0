//! Starting a restore (`POST /backups/{backup_id}/create-index`) so that retrying is safe.

use std::fmt;
use std::time::SystemTime;

use time::OffsetDateTime;

use crate::call::{Exchange, ExchangeStep, Judged, Now, Operation, Step};
use crate::clock::ServerClock;
use crate::config::Config;
use crate::create::{CreateIndexFromBackup, IndexName, StartedRestore};
use crate::error::{Error, ErrorCode, TransportError};
use crate::event::{Event, Pending, Recovery};
use crate::model::RestoreJob;
use crate::request::{BackupId, Limit};
use crate::response::Response;
use crate::retry::RetryRule;
use crate::text;
use crate::walk::Walk;

/// Starts a restore, safe to retry.
///
/// Made by [`Config::create_index_from_backup`]; driven through [`Operation`].
///
/// A `POST` is not idempotent, so what happens after a failure depends on whether the request
/// may have taken effect:
///
/// | the attempt got | it took effect? | then |
/// |---|---|---|
/// | a connect failure (nothing sent), 429 or 503 | surely not | retried as the policy allows |
/// | a timeout, a reset, an unreadable answer, 408, 500, 502, 504 | maybe | retried with the same name (ambiguous) |
/// | 409 `ALREADY_EXISTS`, after an ambiguous attempt | maybe ours | the restore jobs are listed: one for this backup and this index name, created on the server's clock while our attempts that may have taken effect were in flight, is ours: success, [`recovered`](StartedRestore::recovered) |
/// | 409 with no ambiguous attempt before it | someone else's | the conflict is the error |
/// | a lookup that finds nothing | someone else's | the 409 is the error |
/// | retries used up after an ambiguous attempt | maybe | the lookup runs; nothing found: the last failure is the error |
/// | a 2xx whose body cannot be read | yes | the lookup runs |
/// | any other status | no | that API error |
///
/// It never claims a restore it cannot tell is its own. Which job is ours is decided on the
/// server's clock, not ours: every answer's `Date` (cut to the second), with the instants the
/// request was sent and its answer read, bounds the offset between the two clocks, and each
/// answer (the failures, the 409, the listing's pages) narrows it. A job is ours only when its
/// backup and index name are ours and its `created_at` lies between the server time of the
/// first attempt that may have taken effect and that of the last answer to the `POST`, widened
/// by what the bound leaves open and one second. An attempt that surely did not take effect
/// (a connect failure, a 429 or 503) opens no window.
///
/// Without a usable `Date` (absent, unparsable, or answers that contradict each other) nothing
/// is claimed. A job for this backup and name that is not claimed is named by
/// [`unclaimed`](Start::unclaimed), so a person can decide.
///
/// What no client can tell apart: a restore that *someone else* started from the same backup
/// into the same name after our first ambiguous attempt (and before our last answer) looks
/// exactly like ours. Without an idempotency key, which the API does not have, it is claimed
/// as recovered.
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Start {
    config: Config,
    backup: BackupId,
    name: IndexName,
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
    /// A job for this backup and name that the lookup saw but did not claim.
    unclaimed: Option<UnclaimedJob>,
    events: Pending,
    state: State,
}

/// A restore job for the backup and index name of a [`Start`] that the lookup after an
/// ambiguous attempt found but did not claim: someone else's, or ours where that cannot be
/// shown. Its `Display` names it for a person:
/// ``an index named `idx` is being restored from `B` by job `J`, started at T (not claimed: ...)``,
/// or for a job that has finished ``... was restored from `B` by job `J` (Failed), ...``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclaimedJob {
    restore_job_id: String,
    created_at: Option<OffsetDateTime>,
    why: Unclaimed,
    /// The sentence, with every server text escaped and scrubbed.
    shown: String,
}

/// Why a job found by the lookup was not claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unclaimed {
    /// No answer carried a usable `Date`: the server's clock is unknown.
    NoServerClock,
    /// The answers' `Date` headers contradict each other (a clock jumped).
    InconsistentServerClock,
    /// It was created outside the time our attempts were in flight, on the server's clock.
    OutsideOurAttempts,
    /// It has no `created_at`.
    NoCreationTime,
}

impl UnclaimedJob {
    /// The job's id, as the server sent it (escape it before showing it).
    pub fn restore_job_id(&self) -> &str {
        &self.restore_job_id
    }

    /// When the job was created, by the server's clock.
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        self.created_at
    }

    /// Why it was not claimed.
    pub fn why(&self) -> Unclaimed {
        self.why
    }
}

impl fmt::Display for UnclaimedJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Display for Unclaimed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unclaimed::NoServerClock => {
                "the server sent no usable `Date`, so its clock cannot be compared with ours"
            }
            Unclaimed::InconsistentServerClock => {
                "the server's `Date` headers contradict each other"
            }
            Unclaimed::OutsideOurAttempts => {
                "it was created outside the time our attempts were in flight, on the server's clock"
            }
            Unclaimed::NoCreationTime => "it has no `created_at`",
        })
    }
}

#[derive(Debug)]
enum State {
    Posting(Box<Exchange>),
    /// Looking for the restore an ambiguous attempt may have started; `otherwise` is the
    /// error to report if it is not there.
    LookingUp {
        walk: Box<Walk>,
        otherwise: Error,
    },
    Done(Result<StartedRestore, Error>),
}

impl Start {
    /// Starts restoring `backup` into a new index as `request` describes.
    pub(crate) fn new(
        config: &Config,
        backup: &BackupId,
        request: &CreateIndexFromBackup,
    ) -> Start {
        let post = config.create_index_request(backup, request.to_json());
        Start {
            config: config.clone(),
            backup: backup.clone(),
            name: request.name().clone(),
            sent_at: None,
            in_flight: false,
            opened: None,
            closed: None,
            clock: ServerClock::default(),
            ambiguous: false,
            unclaimed: None,
            events: Pending::default(),
            state: State::Posting(Box::new(Exchange::new(config, post, RetryRule::StartOnce))),
        }
    }

    /// `true` once an attempt may have taken effect without our hearing of it.
    pub fn was_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// Lists restore jobs to find the one an ambiguous attempt started; `otherwise` is the
    /// answer if there is none.
    fn look_up(&mut self, otherwise: Error) {
        self.move_inner_events();
        let because = text::shown(
            &otherwise.to_string(),
            text::MESSAGE_CHARS,
            self.config.secrets(),
        );
        self.events
            .push(Event::Recovery(Recovery::LookingUp { because }));
        let mut walk = self.config.walk(Some(Limit::MAX), None);
        walk.record_events(self.events.on());
        self.state = State::LookingUp {
            walk: Box::new(walk),
            otherwise,
        };
    }

    /// Moves the events of the request or the lookup in flight to the start's own, in order.
    fn move_inner_events(&mut self) {
        let events = &mut self.events;
        match &mut self.state {
            State::Posting(exchange) => exchange.drain_events(&mut |e| events.push(e)),
            State::LookingUp { walk, .. } => walk.drain_events(&mut |e| events.push(e)),
            State::Done(_) => {}
        }
    }

    /// Ends with `result`, after the events of what led to it.
    fn finish(&mut self, result: Result<StartedRestore, Error>) {
        self.move_inner_events();
        self.state = State::Done(result);
    }

    /// A job for this backup and name that the lookup found and did not claim, with why: the
    /// one a person may want to follow if it was their own earlier attempt. `None` before the
    /// lookup, when it found none, or when it claimed one.
    pub fn unclaimed(&self) -> Option<&UnclaimedJob> {
        self.unclaimed.as_ref()
    }

    /// An attempt goes out now, unless the one handed out before is still in flight (the
    /// same attempt, asked for again).
    fn sending(&mut self, now: Now) {
        if !self.in_flight {
            self.in_flight = true;
            self.sent_at = Some(now.wall);
        }
    }

    /// `Ok` for the job our ambiguous attempt would have started; for another job of our
    /// backup and name, why it is not ours; `None` for any other job.
    fn judge_job(&self, job: &RestoreJob) -> Option<Result<(), Unclaimed>> {
        if job.backup_id() != self.backup.as_str() || job.target_index_name() != self.name.as_str()
        {
            return None;
        }
        let Some(created_at) = job.created_at() else {
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

    /// Keeps `job` as the one to name, unless one created later is kept already.
    fn keep_unclaimed(&mut self, job: &RestoreJob, why: Unclaimed) {
        self.move_inner_events();
        self.events.push(Event::Recovery(Recovery::NotClaimed {
            job: text::shown(
                job.restore_job_id(),
                text::CELL_CHARS,
                self.config.secrets(),
            ),
            why: why.to_string(),
        }));
        if self
            .unclaimed
            .as_ref()
            .is_some_and(|kept| kept.created_at >= job.created_at())
        {
            return;
        }
        let secrets = self.config.secrets();
        let started = job
            .created_at()
            .and_then(|at| crate::model::format_utc(at).ok())
            .map_or_else(|| "at an unknown time".to_owned(), |at| format!("at {at}"));
        let backup = text::shown(self.backup.as_str(), text::CELL_CHARS, secrets);
        let id = text::shown(job.restore_job_id(), text::CELL_CHARS, secrets);
        let name = self.name.as_str();
        let status = job.status();
        let restore = if status.is_terminal() {
            let status = text::shown(status.as_str(), text::CELL_CHARS, secrets);
            format!("an index named `{name}` was restored from `{backup}` by job `{id}` ({status})")
        } else {
            format!("an index named `{name}` is being restored from `{backup}` by job `{id}`")
        };
        let shown = format!("{restore}, started {started} (not claimed: {why})");
        self.unclaimed = Some(UnclaimedJob {
            restore_job_id: job.restore_job_id().to_owned(),
            created_at: job.created_at(),
            why,
            shown,
        });
    }

    /// What a final answer to the `POST` means.
    fn settle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now) {
        let State::Posting(exchange) = &self.state else {
            return;
        };
        let response = match outcome {
            Err(failure) => {
                let error = exchange.transport_error(failure);
                // an unreadable answer means the server did answer: look it up
                if self.ambiguous {
                    self.look_up(error);
                } else {
                    self.finish(Err(error));
                }
                return;
            }
            Ok(response) => response,
        };
        if (200..300).contains(&response.status) {
            let parsed = exchange
                .expect_status(&response, &[200, 201, 202], now)
                .and_then(|()| crate::parse::started_restore(response.body, self.config.secrets()));
            match parsed {
                Ok(started) => self.finish(Ok(started)),
                // accepted, but the ids cannot be read: find them
                Err(e) => {
                    self.ambiguous = true;
                    self.opened = self.opened.or(self.sent_at);
                    self.look_up(e);
                }
            }
            return;
        }
        let error = exchange.status_error(&response, now);
        let conflict =
            response.status == 409 && matches!(error.code(), None | Some(ErrorCode::AlreadyExists));
        if self.ambiguous && (conflict || error.is_retryable()) {
            self.look_up(error);
        } else {
            self.finish(Err(error));
        }
    }
}

impl Operation for Start {
    type Output = StartedRestore;
    type Item = std::convert::Infallible;

    fn next_step(&mut self, now: Now) -> Step<StartedRestore, std::convert::Infallible> {
        loop {
            match &mut self.state {
                State::Posting(exchange) => match exchange.poll(now) {
                    ExchangeStep::Send(attempt) => {
                        self.sending(now);
                        return Step::Send(attempt);
                    }
                    ExchangeStep::Sleep(delay) => return Step::Sleep(delay),
                    ExchangeStep::GaveUp(error) if self.ambiguous => self.look_up(error),
                    ExchangeStep::GaveUp(error) => self.finish(Err(error)),
                },
                State::LookingUp { walk, otherwise } => match walk.next_step(now) {
                    Step::Send(attempt) => {
                        self.sending(now);
                        return Step::Send(attempt);
                    }
                    Step::Sleep(delay) => return Step::Sleep(delay),
                    Step::Yield(jobs) => {
                        let mut found = None;
                        for job in jobs {
                            match self.judge_job(&job) {
                                Some(Ok(())) => {
                                    found = Some(job);
                                    break;
                                }
                                Some(Err(why)) => self.keep_unclaimed(&job, why),
                                None => {}
                            }
                        }
                        if let Some(job) = found {
                            self.unclaimed = None;
                            let shown = text::shown(
                                job.restore_job_id(),
                                text::CELL_CHARS,
                                self.config.secrets(),
                            );
                            self.move_inner_events();
                            self.events
                                .push(Event::Recovery(Recovery::Claimed { job: shown }));
                            self.finish(Ok(StartedRestore {
                                restore_job_id: job.restore_job_id().to_owned(),
                                index_id: job.target_index_id().to_owned(),
                                recovered: true,
                            }));
                        }
                    }
                    // not there: the restore is not ours (or the listing failed)
                    Step::Done(listed) => {
                        let error = match listed {
                            Ok(()) => {
                                let otherwise = otherwise.clone();
                                self.move_inner_events();
                                self.events.push(Event::Recovery(Recovery::NotFound));
                                otherwise
                            }
                            Err(listing) => listing,
                        };
                        self.finish(Err(error));
                    }
                },
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
                let (ambiguous, last) = match exchange.judge(&outcome, now, random) {
                    Judged::Retry { ambiguous } => (ambiguous, false),
                    Judged::Final { ambiguous } => (ambiguous, true),
                };
                if ambiguous {
                    // the first attempt that may have taken effect opens the window
                    self.ambiguous = true;
                    self.opened = self.opened.or(self.sent_at);
                }
                if last {
                    self.settle(outcome, now);
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
            State::LookingUp { walk, .. } => walk.record_events(on),
            State::Done(_) => {}
        }
    }
}
