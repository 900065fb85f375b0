//! Starting a restore (`POST /backups/{backup_id}/create-index`) so that retrying is safe.

use std::time::{Duration, SystemTime};

use crate::call::{Exchange, ExchangeStep, Judged, Now, Operation, Step};
use crate::config::Config;
use crate::create::{CreateIndexFromBackup, IndexName, StartedRestore};
use crate::error::{Error, ErrorCode, TransportError};
use crate::model::RestoreJob;
use crate::request::{BackupId, Limit};
use crate::response::Response;
use crate::retry::RetryRule;
use crate::walk::Walk;

/// How far our clock and the server's may disagree when telling whether a restore job started
/// after our first attempt: a job created up to this long before it still counts.
pub const RECOVERY_CLOCK_SKEW: Duration = Duration::from_secs(300);

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
/// | 409 `ALREADY_EXISTS`, after an ambiguous attempt | maybe ours | the restore jobs are listed: one for this backup and this index name, created no earlier than our first attempt (less [`RECOVERY_CLOCK_SKEW`]), is ours: success, [`recovered`](StartedRestore::recovered) |
/// | 409 with no ambiguous attempt before it | someone else's | the conflict is the error |
/// | a lookup that finds nothing | someone else's | the 409 is the error |
/// | retries used up after an ambiguous attempt | maybe | the lookup runs; nothing found: the last failure is the error |
/// | a 2xx whose body cannot be read | yes | the lookup runs |
/// | any other status | no | that API error |
///
/// It never claims a restore it cannot tell is its own.
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct Start {
    config: Config,
    backup: BackupId,
    name: IndexName,
    /// When the first attempt was sent, by our wall clock.
    first_attempt: Option<SystemTime>,
    /// Whether an attempt may have taken effect without our hearing of it.
    ambiguous: bool,
    state: State,
}

#[derive(Debug)]
enum State {
    Posting(Exchange),
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
            first_attempt: None,
            ambiguous: false,
            state: State::Posting(Exchange::new(config, post, RetryRule::StartOnce)),
        }
    }

    /// `true` once an attempt may have taken effect without our hearing of it.
    pub fn was_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// Lists restore jobs to find the one an ambiguous attempt started; `otherwise` is the
    /// answer if there is none.
    fn look_up(&mut self, otherwise: Error) {
        let walk = self.config.walk(Some(Limit::MAX), None);
        self.state = State::LookingUp {
            walk: Box::new(walk),
            otherwise,
        };
    }

    /// `true` for the job our ambiguous attempt would have started.
    fn is_ours(&self, job: &RestoreJob) -> bool {
        let Some(first) = self.first_attempt else {
            return false;
        };
        let earliest = first
            .checked_sub(RECOVERY_CLOCK_SKEW)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        job.backup_id() == self.backup.as_str()
            && job.target_index_name() == self.name.as_str()
            && job
                .created_at()
                .is_some_and(|at| SystemTime::from(at) >= earliest)
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
                    self.state = State::Done(Err(error));
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
                Ok(started) => self.state = State::Done(Ok(started)),
                // accepted, but the ids cannot be read: find them
                Err(e) => {
                    self.ambiguous = true;
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
            self.state = State::Done(Err(error));
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
                        self.first_attempt.get_or_insert(now.wall);
                        return Step::Send(attempt);
                    }
                    ExchangeStep::Sleep(delay) => return Step::Sleep(delay),
                    ExchangeStep::GaveUp(error) if self.ambiguous => self.look_up(error),
                    ExchangeStep::GaveUp(error) => self.state = State::Done(Err(error)),
                },
                State::LookingUp { walk, otherwise } => match walk.next_step(now) {
                    Step::Send(attempt) => return Step::Send(attempt),
                    Step::Sleep(delay) => return Step::Sleep(delay),
                    Step::Yield(jobs) => {
                        let found = jobs.into_iter().find(|job| self.is_ours(job));
                        if let Some(job) = found {
                            self.state = State::Done(Ok(StartedRestore {
                                restore_job_id: job.restore_job_id().to_owned(),
                                index_id: job.target_index_id().to_owned(),
                                recovered: true,
                            }));
                        }
                    }
                    // not there: the restore is not ours (or the listing failed)
                    Step::Done(listed) => {
                        let error = match listed {
                            Ok(()) => otherwise.clone(),
                            Err(listing) => listing,
                        };
                        self.state = State::Done(Err(error));
                    }
                },
                State::Done(result) => return Step::Done(result.clone()),
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        match &mut self.state {
            State::Posting(exchange) => match exchange.judge(&outcome, now, random) {
                Judged::Retry { ambiguous } => self.ambiguous |= ambiguous,
                Judged::Final { ambiguous } => {
                    self.ambiguous |= ambiguous;
                    self.settle(outcome, now);
                }
            },
            State::LookingUp { walk, .. } => walk.handle(outcome, now, random),
            State::Done(_) => {}
        }
    }
}
