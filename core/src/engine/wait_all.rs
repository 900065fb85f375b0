//! Following several restore jobs at once: one [`Wait`] per job, stepped on one clock, one
//! request at a time, under one deadline.

use std::time::Duration;

use crate::config::Config;
use crate::engine::call::{Now, Operation, Step};
use crate::engine::wait::{Followed, Wait, WaitOptions, WaitOutcome};
use crate::error::Error;
use crate::event::Event;
use crate::resources::restore_jobs::model::RestoreJob;
use crate::response::Response;
use crate::transport::TransportError;

/// A snapshot of one of the jobs a [`WaitAll`] follows: the item it hands out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobSnapshot<T = RestoreJob> {
    /// Its position in the ids the wait was made with.
    pub index: usize,
    /// It as described (a job, a backup).
    pub job: T,
}

/// How the wait on one ended: its outcome, or the error that ended it.
pub type WaitEnd<T = RestoreJob> = Result<WaitOutcome<T>, Error>;

/// What a [`WaitAll`] says next.
type StepOf<F> = Step<Vec<WaitEnd<<F as Followed>::Item>>, JobSnapshot<<F as Followed>::Item>>;

/// Describes several restore jobs until each has finished, failed to be followed, or the one
/// deadline they share has passed.
///
/// Made by [`Config::wait_all`]; driven through [`Operation`] like any other operation. It
/// holds one [`Wait`] per job and reacts to their steps: each job is polled exactly as a
/// lone [`Wait`] polls it (interval, tolerated early 404s, retries and backoff of each
/// describe, events), but the waits share one clock and one deadline, counted from the first
/// step, and only one request is in flight at a time, so a blocking adapter with one
/// connection drives it as well as an async one. Jobs due at the same time take turns.
///
/// One job's wait ending in an error does not stop the others: its end is that error. The
/// operation itself never fails: its output is each job's [`WaitEnd`], in the order of the
/// ids, once every job has one. Its items are [`JobSnapshot`]s, every snapshot of every job
/// (each job's last one included), tagged with the job's index.
///
/// With a timeout of zero each job is checked once, as a lone wait checks it: one describe
/// each, each bounded by the request timeout, so the whole takes at most that many request
/// timeouts. Any other timeout bounds the whole: every describe of every job fits in it.
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct WaitAll<F: Followed = crate::RestoreJobs> {
    waits: Vec<Wait<F>>,
    /// Each one's end, once it has one.
    ends: Vec<Option<WaitEnd<F::Item>>>,
    /// Whether the first step (which starts the shared clock) was taken.
    started: bool,
    /// The job whose attempt was handed out and not yet handled.
    sending: Option<usize>,
    /// Where the next scan for a job with something to do begins: after the last job that
    /// sent, so that jobs due together take turns.
    cursor: usize,
}

impl<F: Followed> WaitAll<F> {
    /// A wait on every one of `ids`, each with `options`.
    pub(crate) fn new(config: &Config, ids: &[F::Id], options: &WaitOptions) -> WaitAll<F> {
        WaitAll {
            waits: ids
                .iter()
                .map(|id| Wait::new(config, id, options))
                .collect(),
            ends: vec![None; ids.len()],
            started: false,
            sending: None,
            cursor: 0,
        }
    }

    /// How many jobs are followed.
    pub fn len(&self) -> usize {
        self.waits.len()
    }

    /// Whether no job is followed (the operation then ends at its first step).
    pub fn is_empty(&self) -> bool {
        self.waits.is_empty()
    }

    /// The last snapshot seen of the job at `index` while it was still running.
    pub fn last(&self, index: usize) -> Option<&F::Item> {
        self.waits.get(index).and_then(Wait::last)
    }

    /// The end of the job at `index`, once it has one.
    pub fn end(&self, index: usize) -> Option<&WaitEnd<F::Item>> {
        self.ends.get(index).and_then(Option::as_ref)
    }

    /// What the job at `index` says next, as this operation says it; `None` when it has
    /// nothing to send or hand out now (it sleeps until `*soonest` at the latest, or ended).
    fn step_job(
        &mut self,
        index: usize,
        now: Now,
        soonest: &mut Option<Duration>,
    ) -> Option<StepOf<F>> {
        let wait = self.waits.get_mut(index)?;
        match wait.next_step(now) {
            Step::Send(attempt) => {
                self.sending = Some(index);
                self.cursor = (index + 1) % self.waits.len().max(1);
                Some(Step::Send(attempt))
            }
            Step::Yield(job) => Some(Step::Yield(JobSnapshot { index, job })),
            Step::Sleep(delay) => {
                *soonest = Some(soonest.map_or(delay, |s| s.min(delay)));
                None
            }
            Step::Done(end) => {
                if let Some(slot) = self.ends.get_mut(index) {
                    *slot = Some(end);
                }
                None
            }
        }
    }
}

impl<F: Followed> Operation for WaitAll<F> {
    type Output = Vec<WaitEnd<F::Item>>;
    type Item = JobSnapshot<F::Item>;

    fn name(&self) -> &'static str {
        F::WAIT_ALL
    }

    fn next_step(&mut self, now: Now) -> StepOf<F> {
        if !self.started {
            self.started = true;
            for wait in &mut self.waits {
                wait.start_at(now.instant);
            }
        }
        let mut soonest = None;
        if let Some(index) = self.sending {
            // asked again before the attempt was handled: the same job answers (the same
            // attempt), as any operation does
            if let Some(step) = self.step_job(index, now, &mut soonest) {
                return step;
            }
            self.sending = None;
        }
        let count = self.waits.len();
        for k in 0..count {
            let index = (self.cursor + k) % count;
            if self.ends.get(index).is_some_and(Option::is_some) {
                continue;
            }
            if let Some(step) = self.step_job(index, now, &mut soonest) {
                return step;
            }
        }
        match soonest {
            Some(delay) => Step::Sleep(delay),
            // every job has its end: no job sleeps, none has anything to send
            None => Step::Done(Ok(self.ends.iter().flatten().cloned().collect())),
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        let Some(index) = self.sending.take() else {
            return;
        };
        if let Some(wait) = self.waits.get_mut(index) {
            wait.handle(outcome, now, random);
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        for wait in &mut self.waits {
            wait.drain_events(sink);
        }
    }

    fn record_events(&mut self, on: bool) {
        for wait in &mut self.waits {
            wait.record_events(on);
        }
    }
}
