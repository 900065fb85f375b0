//! Deciding, poll by poll, whether a restore job has finished; sans IO.

use std::time::{Duration, Instant};

use crate::error::Error;
use crate::model::{JobStatus, RestoreJob};

/// What to do after one describe.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitStep {
    /// Not finished: describe again after this delay (never past the deadline).
    PollAfter(Duration),
    /// The job is `Completed`.
    Completed(RestoreJob),
    /// The job ended without completing: `Failed` or `Cancelled`.
    Ended(RestoreJob),
    /// The deadline passed first; the last job seen, if any.
    DeadlinePassed(Option<RestoreJob>),
    /// Describing failed in a way that waiting longer does not mend.
    Failed(Error),
}

/// Waits for a restore job to finish: feed it each describe outcome with the current time, and
/// it says whether to poll again (and when), or how the wait ended.
///
/// A restore job that was just started can answer 404 for a moment; the first few 404s
/// (default 3) before the job was ever seen are treated as "not yet visible" and polled again.
/// A 404 after the job was seen, or any other error, ends the wait. An unknown status is
/// treated as still running.
///
/// ```
/// use std::time::{Duration, Instant};
/// use pinecone_restore_core::{JobStatus, RestoreJob, WaitStep, Waiter};
///
/// let start = Instant::now();
/// let mut waiter = Waiter::new(start, Some(Duration::from_secs(60)))
///     .with_interval(Duration::from_secs(5));
/// let job = |status| RestoreJob::new("rj", "b", "n", "i", status, None);
///
/// let step = waiter.observe(Ok(job(JobStatus::Pending)), start);
/// assert_eq!(step, WaitStep::PollAfter(Duration::from_secs(5)));
/// let step = waiter.observe(Ok(job(JobStatus::Completed)), start + Duration::from_secs(5));
/// assert!(matches!(step, WaitStep::Completed(_)));
/// ```
#[derive(Debug, Clone)]
pub struct Waiter {
    deadline: Option<Instant>,
    interval: Duration,
    not_found_tolerance: u32,
    not_found_seen: u32,
    last: Option<RestoreJob>,
}

impl Waiter {
    /// A wait that began at `start` and gives up `timeout` later (`None`: never).
    pub fn new(start: Instant, timeout: Option<Duration>) -> Waiter {
        Waiter {
            deadline: timeout.and_then(|t| start.checked_add(t)),
            interval: Duration::from_secs(5),
            not_found_tolerance: 3,
            not_found_seen: 0,
            last: None,
        }
    }

    /// The delay between polls (default 5 s).
    pub fn with_interval(mut self, interval: Duration) -> Waiter {
        self.interval = interval;
        self
    }

    /// How many 404s before the job is first seen count as "not visible yet" (default 3).
    pub fn with_not_found_tolerance(mut self, polls: u32) -> Waiter {
        self.not_found_tolerance = polls;
        self
    }

    /// The last snapshot of the job seen.
    pub fn last(&self) -> Option<&RestoreJob> {
        self.last.as_ref()
    }

    /// Takes the outcome of one describe made at `now`; says what to do next.
    pub fn observe(&mut self, outcome: Result<RestoreJob, Error>, now: Instant) -> WaitStep {
        match outcome {
            Ok(job) => match job.status() {
                JobStatus::Completed => return WaitStep::Completed(job),
                JobStatus::Failed | JobStatus::Cancelled => return WaitStep::Ended(job),
                _ => self.last = Some(job),
            },
            Err(e)
                if e.is_not_found()
                    && self.last.is_none()
                    && self.not_found_seen < self.not_found_tolerance =>
            {
                self.not_found_seen += 1;
            }
            Err(e) => return WaitStep::Failed(e),
        }
        match self.deadline {
            Some(deadline) if now >= deadline => WaitStep::DeadlinePassed(self.last.clone()),
            Some(deadline) => WaitStep::PollAfter(self.interval.min(deadline - now)),
            None => WaitStep::PollAfter(self.interval),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::Response;

    fn job(status: JobStatus) -> RestoreJob {
        RestoreJob::new("rj", "b", "n", "i", status, None)
    }

    fn not_found() -> Error {
        Response {
            status: 404,
            headers: &[],
            body: b"",
        }
        .job()
        .unwrap_err()
    }

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn terminal_statuses() {
        let t0 = Instant::now();
        let mut w = Waiter::new(t0, None);
        assert!(matches!(
            w.observe(Ok(job(JobStatus::Failed)), t0),
            WaitStep::Ended(_)
        ));
        assert!(matches!(
            w.observe(Ok(job(JobStatus::Cancelled)), t0),
            WaitStep::Ended(_)
        ));
        assert!(matches!(
            w.observe(Ok(job(JobStatus::Completed)), t0),
            WaitStep::Completed(_)
        ));
        let other = JobStatus::Other("Paused".into());
        assert_eq!(w.observe(Ok(job(other)), t0), WaitStep::PollAfter(s(5)));
        assert_eq!(
            w.observe(Ok(job(JobStatus::Running)), t0),
            WaitStep::PollAfter(s(5))
        );
    }

    #[test]
    fn polls_never_overshoot_the_deadline() {
        let t0 = Instant::now();
        let mut w = Waiter::new(t0, Some(s(12))).with_interval(s(5));
        assert_eq!(
            w.observe(Ok(job(JobStatus::Pending)), t0 + s(10)),
            WaitStep::PollAfter(s(2))
        );
        let step = w.observe(Ok(job(JobStatus::Pending)), t0 + s(12));
        assert_eq!(
            step,
            WaitStep::DeadlinePassed(Some(job(JobStatus::Pending)))
        );
        let done = w.observe(Ok(job(JobStatus::Completed)), t0 + s(60));
        assert!(
            matches!(done, WaitStep::Completed(_)),
            "a finished job wins over the deadline"
        );
    }

    #[test]
    fn early_not_found_is_tolerated_a_few_times() {
        let t0 = Instant::now();
        let mut w = Waiter::new(t0, None).with_not_found_tolerance(2);
        assert_eq!(w.observe(Err(not_found()), t0), WaitStep::PollAfter(s(5)));
        assert_eq!(w.observe(Err(not_found()), t0), WaitStep::PollAfter(s(5)));
        assert!(matches!(w.observe(Err(not_found()), t0), WaitStep::Failed(e) if e.is_not_found()));

        let mut seen = Waiter::new(t0, None);
        seen.observe(Ok(job(JobStatus::Pending)), t0);
        assert!(
            matches!(seen.observe(Err(not_found()), t0), WaitStep::Failed(_)),
            "404 after seen"
        );
    }

    #[test]
    fn other_errors_end_the_wait() {
        let t0 = Instant::now();
        let mut w = Waiter::new(t0, None);
        let e = Response {
            status: 500,
            headers: &[],
            body: b"",
        }
        .job()
        .unwrap_err();
        assert!(matches!(w.observe(Err(e), t0), WaitStep::Failed(_)));
    }
}
