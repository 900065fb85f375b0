//! Following several restore jobs (or backups) at once, in rounds: a round walks the listing
//! (100 a page) until it has seen every one still followed, then describes those it did not
//! see; the rounds share one clock and one deadline, and one request is in flight at a time.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use crate::config::Config;
use crate::engine::call::{Call, Now, Operation, Step};
use crate::engine::wait::{Follow, Followed, MIN_INTERVAL, WaitEnd, WaitOptions, request_bound};
use crate::engine::walk::{Listing, Walk};
use crate::error::Error;
use crate::event::{Event, Pending};
use crate::request::Limit;
use crate::resources::restore_jobs::model::RestoreJob;
use crate::response::Response;
use crate::text;
use crate::transport::TransportError;

/// A snapshot of one of the jobs a [`WaitAll`] follows: the item it hands out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobSnapshot<T = RestoreJob> {
    /// Its position in the ids the wait was made with.
    pub index: usize,
    /// It as described or listed (a job, a backup).
    pub job: T,
}

/// What a [`WaitAll`] says next.
type StepOf<F> = Step<Vec<WaitEnd<<F as Followed>::Item>>, JobSnapshot<<F as Followed>::Item>>;

/// Items a page of a round's walk holds: the most the API gives.
const PER_PAGE: Limit = Limit::MAX;

/// Follows several restore jobs (or backups) until each has finished, failed to be followed,
/// or the one deadline they share has passed.
///
/// Made by [`Config::wait_all`] (and [`Config::wait_backups`]); driven through [`Operation`]
/// like any other operation.
///
/// It polls in rounds, every `options.interval` after the last one ended. A round walks the
/// listing ([`Followed::Listing`]: the restore jobs, newest first, 100 a page) from its first
/// page and stops as soon as every one still followed has been seen; those it did not see (not
/// listed yet, or further down than the pages walked) are described one by one, each with the
/// tolerance for early 404s a lone [`Wait`](crate::Wait) has. So a round costs about N/100
/// requests for N jobs, not N. The walk is taken only when it is cheaper than describing:
/// its expected pages (from where each job was listed last round, or N/100 before any) must
/// be fewer than the jobs it would show, so one job is one describe a round, as a lone wait's.
/// A round walks at most one page more than expected (newer jobs push older ones down); a job
/// the walk ended without is described that round and not waited for by the next walks. A
/// page that fails ends the walk, and the rest of the round is described: never a wrong
/// answer. Finished jobs leave the rounds.
///
/// One job's wait ending in an error does not stop the others: its end is that error. The
/// operation itself never fails: its output is each job's [`WaitEnd`], in the order of the
/// ids, once every job has one. Its items are [`JobSnapshot`]s, every snapshot of every job
/// (each job's last one included), tagged with the job's index.
///
/// With a timeout of zero each job is checked once: one round, each request bounded by the
/// request timeout. Any other timeout bounds the whole: every request of every round fits in
/// it.
#[derive(Debug)]
#[must_use = "an operation does nothing until an adapter drives it"]
pub struct WaitAll<F: Followed = crate::RestoreJobs> {
    config: Config,
    options: WaitOptions,
    jobs: Vec<Job<F>>,
    /// Each id's text and the indexes of the jobs with it (an id given twice is followed as
    /// two jobs).
    by_id: HashMap<String, Vec<usize>>,
    deadline: Option<Instant>,
    /// The round in progress, or the last one.
    round: Round,
    phase: Phase<F>,
    /// Snapshots to hand out, in the order seen.
    out: VecDeque<JobSnapshot<F::Item>>,
    events: Pending,
}

/// One followed job (or backup) and what is known of it.
#[derive(Debug)]
struct Job<F: Followed> {
    followed: Follow<F>,
    /// How many items the last walk that showed it listed before it.
    position: Option<usize>,
    /// A walk ended without showing it: not listed yet, or further down than walks go.
    missed: bool,
    /// Seen in the round in progress.
    seen: bool,
    end: Option<WaitEnd<F::Item>>,
}

/// The counts of a round, for its event.
#[derive(Debug, Default)]
struct Round {
    number: u32,
    pages: u64,
    listed: usize,
    described: usize,
    walk_failed: Option<String>,
}

#[derive(Debug)]
enum Phase<F: Followed> {
    /// Between rounds: the next starts at this instant (`None`: now, the first).
    Idle(Option<Instant>),
    /// Walking the listing: at most `budget` pages; `position` items listed so far.
    Walking {
        walk: Box<Walk<F::Listing>>,
        budget: u64,
        position: usize,
    },
    /// Describing, one at a time, those the walk did not show.
    Describing {
        queue: VecDeque<usize>,
        current: Option<(usize, Box<Call<F::Item>>)>,
    },
    Done,
}

/// How a round goes: the walk of at most `budget` pages, or describes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoundPlan {
    /// Walk at most this many pages, then describe those not seen.
    Walk { budget: u64 },
    /// Describe each.
    Describe,
}

/// The plan of a round for `walkers` jobs (those not missed by an earlier walk), of which
/// those listed before were listed after `positions` items, `per_page` items a page. The
/// expected pages are what holds the furthest one listed, or what holds them all at the top
/// before any was listed; the walk is taken when that is fewer requests than describing them,
/// with one page more allowed for newer jobs that push them down.
pub(crate) fn plan_round(
    walkers: usize,
    positions: impl Iterator<Item = usize>,
    per_page: u64,
) -> RoundPlan {
    let per_page = per_page.max(1);
    let furthest = positions
        .max()
        .map_or(0, |p| (p as u64 + 1).div_ceil(per_page));
    let expected = furthest.max((walkers as u64).div_ceil(per_page));
    if expected < walkers as u64 {
        RoundPlan::Walk {
            budget: expected + 1,
        }
    } else {
        RoundPlan::Describe
    }
}

impl<F: Followed> WaitAll<F> {
    /// A wait on every one of `ids`, each with `options`.
    pub(crate) fn new(config: &Config, ids: &[F::Id], options: &WaitOptions) -> WaitAll<F> {
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, id) in ids.iter().enumerate() {
            by_id
                .entry(F::id_text(id).to_owned())
                .or_default()
                .push(index);
        }
        WaitAll {
            config: config.clone(),
            options: options.clone(),
            jobs: ids
                .iter()
                .map(|id| Job {
                    followed: Follow::new(id.clone()),
                    position: None,
                    missed: false,
                    seen: false,
                    end: None,
                })
                .collect(),
            by_id,
            deadline: None,
            round: Round::default(),
            phase: Phase::Idle(None),
            out: VecDeque::new(),
            events: Pending::default(),
        }
    }

    /// How many jobs are followed.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether no job is followed (the operation then ends at its first step).
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The last snapshot seen of the job at `index` while it was still running.
    pub fn last(&self, index: usize) -> Option<&F::Item> {
        self.jobs.get(index).and_then(|j| j.followed.last.as_ref())
    }

    /// The end of the job at `index`, once it has one.
    pub fn end(&self, index: usize) -> Option<&WaitEnd<F::Item>> {
        self.jobs.get(index).and_then(|j| j.end.as_ref())
    }

    /// The indexes of the jobs still followed.
    fn active(&self) -> impl Iterator<Item = usize> + '_ {
        self.jobs
            .iter()
            .enumerate()
            .filter(|(_, j)| j.end.is_none())
            .map(|(i, _)| i)
    }

    fn deadline_passed(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    /// What each request of a round fits in.
    fn bound(&self, now: Instant) -> Option<Instant> {
        request_bound(&self.options, &self.config, self.deadline, now)
    }

    /// Starts a round: the walk when it pays, else the describes.
    fn start_round(&mut self, now: Instant) {
        self.round = Round {
            number: self.round.number + 1,
            ..Round::default()
        };
        let active: Vec<usize> = self.active().collect();
        for &i in &active {
            if let Some(job) = self.jobs.get_mut(i) {
                job.seen = false;
            }
        }
        let walkers: Vec<&Job<F>> = active
            .iter()
            .filter_map(|&i| self.jobs.get(i))
            .filter(|j| !j.missed)
            .collect();
        let plan = plan_round(
            walkers.len(),
            walkers.iter().filter_map(|j| j.position),
            u64::from(PER_PAGE.get()),
        );
        self.phase = match plan {
            RoundPlan::Walk { budget } => {
                let last: Vec<Option<&F::Item>> = active
                    .iter()
                    .filter_map(|&i| self.jobs.get(i))
                    .map(|j| j.followed.last.as_ref())
                    .collect();
                let listing = F::listing(&last);
                let mut walk =
                    Walk::new(&self.config, listing, Some(PER_PAGE), None).within(self.bound(now));
                walk.record_events(self.events.on());
                Phase::Walking {
                    walk: Box::new(walk),
                    budget,
                    position: 0,
                }
            }
            RoundPlan::Describe => Phase::Describing {
                queue: active.into(),
                current: None,
            },
        };
    }

    /// Takes a page's new items: each one followed and not seen this round is a snapshot.
    fn take_items(&mut self, items: Vec<F::Item>, position: &mut usize, now: Instant) {
        for item in items {
            let at = *position;
            *position += 1;
            let id = <F::Listing as Listing>::id(&item);
            let Some(indexes) = self.by_id.get(id) else {
                continue;
            };
            for index in indexes.clone() {
                let Some(job) = self.jobs.get_mut(index) else {
                    continue;
                };
                if job.end.is_some() || job.seen {
                    continue;
                }
                job.seen = true;
                job.missed = false;
                job.position = Some(at);
                self.round.listed += 1;
                self.observe(index, item.clone(), now, false);
            }
        }
    }

    /// Whether the walk has shown every job still followed that it looks for.
    fn walk_saw_all(&self) -> bool {
        self.jobs
            .iter()
            .all(|j| j.end.is_some() || j.seen || j.missed)
    }

    /// Ends the walk: the jobs still followed and not seen are described. With `missed`, the
    /// walk went as far as it goes without them: later walks do not look for them.
    fn after_walk(&mut self, missed: bool) {
        let mut queue = VecDeque::new();
        for (index, job) in self.jobs.iter_mut().enumerate() {
            if job.end.is_none() && !job.seen {
                job.missed |= missed;
                queue.push_back(index);
            }
        }
        self.phase = Phase::Describing {
            queue,
            current: None,
        };
    }

    /// A snapshot of job `index`: its end when it settled, its last otherwise; handed out.
    /// A describe (`described`) is also an event; a listing's snapshots are the round's.
    fn observe(&mut self, index: usize, item: F::Item, now: Instant, described: bool) {
        let interval = self.options.interval.max(MIN_INTERVAL);
        let Some(job) = self.jobs.get_mut(index) else {
            return;
        };
        job.end = job.followed.observe(&item).map(Ok);
        if described && self.events.on() {
            let next_in = job.end.is_none().then(|| match self.deadline {
                Some(deadline) => deadline.saturating_duration_since(now).min(interval),
                None => interval,
            });
            let polled = job.followed.polled(&item, next_in, self.config.secrets());
            self.events.push(polled);
        }
        self.out.push_back(JobSnapshot { index, job: item });
    }

    /// What a describe of job `index` came to, as a lone wait reads it.
    fn react(&mut self, index: usize, described: Result<F::Item, Error>, now: Instant) {
        self.round.described += 1;
        let error = match described {
            Ok(item) => return self.observe(index, item, now, true),
            Err(e) => e,
        };
        let deadline_passed = self.deadline_passed(now);
        let Some(job) = self.jobs.get_mut(index) else {
            return;
        };
        job.end = job.followed.fail(
            error,
            deadline_passed,
            &self.options,
            &mut self.events,
            self.config.secrets(),
        );
    }

    /// Ends the wait of every job still followed: the deadline passed.
    fn end_all_at_deadline(&mut self) {
        for job in &mut self.jobs {
            if job.end.is_none() {
                job.end = Some(Ok(job.followed.deadline_passed()));
            }
        }
    }

    /// Ends the round: its event, then the next round's time, or the end of every wait left
    /// when the deadline has passed.
    fn end_round(&mut self, now: Instant) {
        let interval = self.options.interval.max(MIN_INTERVAL);
        if self.deadline_passed(now) {
            self.end_all_at_deadline();
        }
        let left = self.active().count();
        let next = (left > 0).then(|| match self.deadline {
            Some(deadline) => now
                .checked_add(interval)
                .map_or(deadline, |t| t.min(deadline)),
            None => now + interval,
        });
        if self.events.on() {
            self.events.push(Event::Round {
                number: self.round.number,
                pages: self.round.pages,
                what: <F::Listing as Listing>::ITEMS,
                listed: self.round.listed,
                described: self.round.described,
                left,
                walk_failed: self.round.walk_failed.clone(),
                next_in: next.map(|t| t.saturating_duration_since(now)),
            });
        }
        self.phase = Phase::Idle(Some(next.unwrap_or(now)));
    }

    /// Every job's end, in the order of the ids.
    fn ends(&self) -> Vec<WaitEnd<F::Item>> {
        self.jobs.iter().filter_map(|j| j.end.clone()).collect()
    }

    /// Moves the events of the request in flight to the wait's own, in order.
    fn move_inner_events(&mut self) {
        let events = &mut self.events;
        match &mut self.phase {
            Phase::Walking { walk, .. } => walk.drain_events(&mut |e| events.push(e)),
            Phase::Describing {
                current: Some((_, call)),
                ..
            } => call.move_events(events),
            _ => {}
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
        loop {
            if let Some(snapshot) = self.out.pop_front() {
                return Step::Yield(snapshot);
            }
            match &mut self.phase {
                Phase::Done => return Step::Done(Ok(self.ends())),
                Phase::Idle(at) => {
                    let at = *at;
                    let first = at.is_none();
                    if first {
                        self.deadline = self
                            .options
                            .timeout
                            .and_then(|t| now.instant.checked_add(t));
                    }
                    if self.active().next().is_none() {
                        self.phase = Phase::Done;
                        continue;
                    }
                    if let Some(at) = at
                        && at > now.instant
                    {
                        return Step::Sleep(at - now.instant);
                    }
                    if !first && self.deadline_passed(now.instant) {
                        // the deadline passed while the wait slept between rounds
                        self.end_all_at_deadline();
                        self.phase = Phase::Done;
                        continue;
                    }
                    self.start_round(now.instant);
                }
                Phase::Walking {
                    walk,
                    budget,
                    position,
                } => match walk.next_step(now) {
                    Step::Send(attempt) => return Step::Send(attempt),
                    Step::Sleep(delay) => return Step::Sleep(delay),
                    Step::Yield(items) => {
                        let budget = *budget;
                        let mut at = *position;
                        let pages = walk.pages();
                        self.round.pages = pages;
                        self.take_items(items, &mut at, now.instant);
                        if let Phase::Walking { position, .. } = &mut self.phase {
                            *position = at;
                        }
                        if self.walk_saw_all() {
                            self.move_inner_events();
                            self.after_walk(false);
                        } else if pages >= budget {
                            self.move_inner_events();
                            self.after_walk(true);
                        }
                    }
                    Step::Done(walked) => {
                        self.round.pages = walk.pages();
                        self.move_inner_events();
                        match walked {
                            // the whole listing, and some were not in it
                            Ok(()) => self.after_walk(true),
                            Err(e) => {
                                self.round.walk_failed = Some(text::shown(
                                    &e.to_string(),
                                    text::MESSAGE_CHARS,
                                    self.config.secrets(),
                                ));
                                self.after_walk(false);
                            }
                        }
                    }
                },
                Phase::Describing { queue, current } => {
                    if current.is_none() {
                        let next = loop {
                            match queue.pop_front() {
                                Some(i) if self.jobs.get(i).is_some_and(|j| j.end.is_none()) => {
                                    break Some(i);
                                }
                                Some(_) => {}
                                None => break None,
                            }
                        };
                        let Some(index) = next else {
                            self.end_round(now.instant);
                            continue;
                        };
                        let bound = self.bound(now.instant);
                        let Some(job) = self.jobs.get(index) else {
                            continue;
                        };
                        let mut call = self
                            .config
                            .call(F::describe(&job.followed.id))
                            .within(bound);
                        call.record_events(self.events.on());
                        if let Phase::Describing { current, .. } = &mut self.phase {
                            *current = Some((index, Box::new(call)));
                        }
                        continue;
                    }
                    let Some((index, call)) = current else {
                        continue;
                    };
                    match call.next_step(now) {
                        Step::Send(attempt) => return Step::Send(attempt),
                        Step::Sleep(delay) => return Step::Sleep(delay),
                        Step::Yield(never) => match never {},
                        Step::Done(described) => {
                            let index = *index;
                            self.move_inner_events();
                            if let Phase::Describing { current, .. } = &mut self.phase {
                                *current = None;
                            }
                            self.react(index, described, now.instant);
                        }
                    }
                }
            }
        }
    }

    fn handle(&mut self, outcome: Result<Response<'_>, TransportError>, now: Now, random: u64) {
        match &mut self.phase {
            Phase::Walking { walk, .. } => walk.handle(outcome, now, random),
            Phase::Describing {
                current: Some((index, call)),
                ..
            } => {
                call.handle(outcome, now, random);
                if let Some(described) = call.take_result() {
                    let index = *index;
                    self.move_inner_events();
                    if let Phase::Describing { current, .. } = &mut self.phase {
                        *current = None;
                    }
                    self.react(index, described, now.instant);
                }
            }
            _ => {}
        }
    }

    fn drain_events(&mut self, sink: &mut dyn FnMut(Event)) {
        self.move_inner_events();
        self.events.drain(sink);
    }

    fn record_events(&mut self, on: bool) {
        self.events.set(on);
        match &mut self.phase {
            Phase::Walking { walk, .. } => walk.record_events(on),
            Phase::Describing {
                current: Some((_, call)),
                ..
            } => call.record_events(on),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_walks_only_when_fewer_pages_than_describes() {
        let none = std::iter::empty;
        assert_eq!(plan_round(0, none(), 100), RoundPlan::Describe);
        assert_eq!(plan_round(1, none(), 100), RoundPlan::Describe);
        assert_eq!(plan_round(2, none(), 100), RoundPlan::Walk { budget: 2 });
        assert_eq!(plan_round(200, none(), 100), RoundPlan::Walk { budget: 3 });
        assert_eq!(
            plan_round(1000, none(), 100),
            RoundPlan::Walk { budget: 11 }
        );
        // where they were listed last decides: three jobs far down are three describes
        assert_eq!(
            plan_round(3, [0, 1, 2].into_iter(), 100),
            RoundPlan::Walk { budget: 2 }
        );
        assert_eq!(
            plan_round(3, [0, 150, 250].into_iter(), 100),
            RoundPlan::Describe
        );
        assert_eq!(
            plan_round(10, [5, 950].into_iter(), 100),
            RoundPlan::Describe
        );
        assert_eq!(
            plan_round(11, [5, 950].into_iter(), 100),
            RoundPlan::Walk { budget: 11 }
        );
        // a page size of zero is read as one
        assert_eq!(plan_round(3, none(), 0), RoundPlan::Describe);
    }
}
