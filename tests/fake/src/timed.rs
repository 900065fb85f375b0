//! Things that change with the server's clock rather than with how often they are asked
//! about: restore jobs that run for a while ([`TimedJob`]), and the clock that decides where
//! each stands.

use std::time::{Duration, Instant};

use crate::generate;
use crate::job::{Ending, FakeJob};

/// A restore job that runs on the server's clock: it is `Pending` from its creation, its
/// `percent_complete` rising linearly with the time since, and from `runs_for` after its
/// creation on it shows its [`Ending`]. What it shows depends only on the time: a listing and
/// a describe at the same moment agree, and neither moves it on, however often it is asked
/// about (unlike [`FakeJob::progressing`], which advances one step per describe).
///
/// Add it with [`FakeControlPlane::timed_job`](crate::FakeControlPlane::timed_job), or many at
/// once with [`FakeControlPlane::jobs_running`](crate::FakeControlPlane::jobs_running). It is
/// created as the server starts, or [`started_ago`](Self::started_ago) that, on the server's
/// clock (which [`FakeControlPlane::clock_ahead_ms`](crate::FakeControlPlane::clock_ahead_ms)
/// moves). [`FakeServer::ended_at`](crate::FakeServer::ended_at) says when it ends.
///
/// At a moment `t` after its creation, it shows:
/// - while `t < runs_for`: `Pending`, no `completed_at`, and `percent_complete` at
///   `100 * t / runs_for`, cut to a tenth (`0` at its creation, at most `99.9`); in 2026-07 no
///   `percent_complete` and `completed_at: null`, as that version reports no intermediate
///   progress;
/// - from `t = runs_for` on, its ending: `Completed` with `percent_complete` 100, or `Failed`
///   or `Cancelled` without it, and `completed_at` its end instant on the server's clock
///   (`created_at` plus `runs_for`, to the millisecond).
///
/// `created_at` is its creation on the server's clock. The other fields are those of
/// [`job`](Self::job); its `status`, `percent_complete`, `created_at`, `completed_at` and
/// `progress` are the server's and are replaced.
///
/// ```
/// use std::time::Duration;
/// use pinecone_restore_fake::{Ending, FakeControlPlane, TimedJob};
///
/// let server = FakeControlPlane::builder()
///     .timed_job(TimedJob::new("rj-1", Duration::from_millis(40), Ending::Completed))
///     .start()?;
/// let describe = || -> Result<serde_json::Value, Box<dyn std::error::Error>> {
///     let url = format!("{}/restore-jobs/rj-1", server.base_url());
///     Ok(serde_json::from_str(&ureq::get(url).call()?.body_mut().read_to_string()?)?)
/// };
///
/// // however often it is described, it completes with time, not with describes
/// let first = describe()?;
/// assert_eq!(first["status"], "Pending");
/// let ends = server.ended_at("rj-1").ok_or("a timed job has an end")?;
/// std::thread::sleep(ends.saturating_duration_since(std::time::Instant::now()));
/// let done = describe()?;
/// assert_eq!((done["status"].as_str(), done["percent_complete"].as_u64()), (Some("Completed"), Some(100)));
/// assert!(done["completed_at"].as_str() > first["created_at"].as_str());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TimedJob {
    /// The job's fields that do not change: `restore_job_id`, `backup_id`,
    /// `target_index_name` and `target_index_id` (realistic values derived from the id by
    /// [`new`](Self::new)).
    pub job: FakeJob,
    /// How long it runs, from its creation to its ending.
    pub runs_for: Duration,
    /// How it ends.
    pub ending: Ending,
    /// How long before the server started it was created (default: none, it is created as
    /// the server starts). A job started longer ago than `runs_for` has ended from the start.
    pub started_ago: Duration,
}

impl TimedJob {
    /// A job with the id `id` that runs for `runs_for` from the server's start, then shows
    /// `ending`. Its backup and target index are derived from the id, as
    /// [`FakeJob::completed`]'s are; change them through [`job`](Self::job).
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, TimedJob};
    ///
    /// let mut timed = TimedJob::new("rj-1", Duration::from_secs(30), Ending::Failed);
    /// timed.job.backup_id = "bkp-1".to_owned();
    /// assert_eq!(timed.job.restore_job_id, "rj-1");
    /// ```
    pub fn new(id: &str, runs_for: Duration, ending: Ending) -> TimedJob {
        TimedJob {
            job: FakeJob::completed(id),
            runs_for,
            ending,
            started_ago: Duration::ZERO,
        }
    }

    /// The same job, created `ago` before the server starts: at the start it is already
    /// `ago / runs_for` of the way through.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, TimedJob};
    ///
    /// // half done when the server starts, done 10 s later
    /// let timed = TimedJob::new("rj-1", Duration::from_secs(20), Ending::Completed)
    ///     .started_ago(Duration::from_secs(10));
    /// assert_eq!(timed.started_ago, Duration::from_secs(10));
    /// ```
    pub fn started_ago(mut self, ago: Duration) -> TimedJob {
        self.started_ago = ago;
        self
    }

    /// When it runs, in the server's time.
    pub(crate) fn span(&self) -> Span {
        let begins = -nanos(self.started_ago);
        Span::from(begins, self.runs_for)
    }
}

/// The `n` jobs of [`FakeControlPlane::jobs_running`](crate::FakeControlPlane::jobs_running):
/// `rj-timed-0000`, `rj-timed-0001`, ..., each restoring into its own index
/// (`timed-index-0000`, ...), created as the server starts; job `i` runs for
/// `first_ends_after + spread * i / (n - 1)` and completes (the only one, when `n` is 1, for
/// `first_ends_after`).
pub(crate) fn staggered(n: usize, first_ends_after: Duration, spread: Duration) -> Vec<TimedJob> {
    let last = u128::try_from(n.saturating_sub(1))
        .unwrap_or(u128::MAX)
        .max(1);
    (0..n)
        .map(|i| {
            let share = spread
                .as_nanos()
                .saturating_mul(u128::try_from(i).unwrap_or(u128::MAX))
                / last;
            let runs_for = duration(share)
                .and_then(|share| first_ends_after.checked_add(share))
                .unwrap_or(Duration::MAX);
            let mut timed = TimedJob::new(&format!("rj-timed-{i:04}"), runs_for, Ending::Completed);
            timed.job.target_index_name = format!("timed-index-{i:04}");
            timed
        })
        .collect()
}

/// The server's clock: when the server started, on this machine's monotonic clock and on the
/// server's own (wall) clock. Everything timed is placed in nanoseconds since that start
/// (negative: before it), so that what a request sees and the ground truth a test asks for
/// come from one reading.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerClock {
    started: Instant,
    /// The server's clock at `started`, in ms since the Unix epoch.
    started_ms: i64,
}

impl ServerClock {
    /// Starts the clock now; the server's clock runs `ahead_ms` ahead of the wall clock.
    pub(crate) fn start(ahead_ms: i64) -> ServerClock {
        ServerClock {
            started: Instant::now(),
            started_ms: generate::now_millis(ahead_ms),
        }
    }

    /// Nanoseconds since the server started.
    pub(crate) fn now(&self) -> i128 {
        nanos(self.started.elapsed())
    }

    /// The instant `at` nanoseconds after the start, on this machine's monotonic clock;
    /// `None` where that clock cannot represent it (long before this machine started).
    pub(crate) fn instant(&self, at: i128) -> Option<Instant> {
        let magnitude = duration(at.unsigned_abs())?;
        if at >= 0 {
            self.started.checked_add(magnitude)
        } else {
            self.started.checked_sub(magnitude)
        }
    }

    /// The server's clock `at` nanoseconds after the start, in ms since the Unix epoch (cut
    /// to the millisecond, towards the past).
    pub(crate) fn millis(&self, at: i128) -> i64 {
        let offset = i64::try_from(at.div_euclid(1_000_000)).unwrap_or(if at < 0 {
            i64::MIN
        } else {
            i64::MAX
        });
        self.started_ms.saturating_add(offset)
    }

    /// The server's clock `at` nanoseconds after the start, as RFC 3339 UTC text with
    /// milliseconds.
    pub(crate) fn text(&self, at: i128) -> String {
        generate::utc_millis(self.millis(at))
    }

    /// The server's clock now, in ms since the Unix epoch: what every answer that says the
    /// time (`Date`, a `created_at` of now, a schedule's run) reads.
    pub(crate) fn now_millis(&self) -> i64 {
        self.millis(self.now())
    }

    /// The server's clock now, as RFC 3339 UTC text with milliseconds.
    pub(crate) fn now_text(&self) -> String {
        self.text(self.now())
    }
}

/// When something timed runs, in nanoseconds since the server started: from `begins` (its
/// creation) to `ends` (its ending), `begins <= ends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) begins: i128,
    pub(crate) ends: i128,
}

/// Where a timed thing stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Running, this many tenths of a percent of the way (`0..=999`).
    Running { tenths: u16 },
    /// At or past its end.
    Ended,
}

impl Span {
    /// Runs for `runs_for` from `begins`.
    pub(crate) fn from(begins: i128, runs_for: Duration) -> Span {
        Span {
            begins,
            ends: begins.saturating_add(nanos(runs_for)),
        }
    }

    /// Where it stands at `now`.
    pub(crate) fn stage_at(&self, now: i128) -> Stage {
        if now >= self.ends {
            return Stage::Ended;
        }
        let done = now.saturating_sub(self.begins).max(0);
        let length = self.ends.saturating_sub(self.begins).max(1);
        let tenths = done.saturating_mul(1000) / length;
        Stage::Running {
            tenths: u16::try_from(tenths.clamp(0, 999)).unwrap_or(999),
        }
    }
}

/// A duration in nanoseconds (a `Duration` always fits an `i128`).
pub(crate) fn nanos(d: Duration) -> i128 {
    i128::try_from(d.as_nanos()).unwrap_or(i128::MAX)
}

/// `n` nanoseconds as a `Duration`; `None` beyond what one holds.
fn duration(n: u128) -> Option<Duration> {
    let secs = u64::try_from(n / 1_000_000_000).ok()?;
    let subsec = u32::try_from(n % 1_000_000_000).ok()?;
    Some(Duration::new(secs, subsec))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i128 = 1_000_000;

    #[test]
    fn a_span_runs_linearly_in_tenths_then_ends_at_its_end() {
        let span = Span::from(-100 * MS, Duration::from_millis(400));
        assert_eq!(span.ends, 300 * MS);
        let tenths = |at| match span.stage_at(at) {
            Stage::Running { tenths } => Some(tenths),
            Stage::Ended => None,
        };
        assert_eq!(tenths(-200 * MS), Some(0), "before its creation");
        assert_eq!(tenths(-100 * MS), Some(0));
        assert_eq!(tenths(0), Some(250));
        assert_eq!(tenths(300 * MS - 1), Some(999));
        assert_eq!(tenths(300 * MS), None);
        assert_eq!(tenths(i128::MAX), None);
        assert_eq!(Span::from(0, Duration::ZERO).stage_at(0), Stage::Ended);
        let forever = Span::from(0, Duration::MAX);
        assert_eq!(forever.stage_at(1_000 * MS), Stage::Running { tenths: 0 });
    }

    #[test]
    fn staggered_jobs_end_evenly_from_the_first_to_the_last() {
        let ms = Duration::from_millis;
        let jobs = staggered(5, ms(100), ms(40));
        let ends: Vec<_> = jobs.iter().map(|t| t.runs_for).collect();
        assert_eq!(ends, [ms(100), ms(110), ms(120), ms(130), ms(140)]);
        assert_eq!(jobs[3].job.restore_job_id, "rj-timed-0003");
        assert_eq!(jobs[3].job.target_index_name, "timed-index-0003");
        assert!(jobs.iter().all(|t| t.started_ago.is_zero()));
        assert_eq!(staggered(1, ms(7), ms(1000))[0].runs_for, ms(7));
        assert!(staggered(0, ms(7), ms(1000)).is_empty());
        let huge = staggered(3, Duration::MAX, Duration::MAX);
        assert!(huge.iter().all(|t| t.runs_for == Duration::MAX));
        assert_eq!(
            staggered(10_001, ms(0), ms(0))[10_000].job.restore_job_id,
            "rj-timed-10000"
        );
    }

    #[test]
    fn the_clock_places_instants_and_text_from_one_start() {
        let clock = ServerClock {
            started: Instant::now(),
            started_ms: 1_784_021_412_005,
        };
        assert_eq!(clock.text(0), "2026-07-14T09:30:12.005Z");
        assert_eq!(clock.text(1_500 * MS), "2026-07-14T09:30:13.505Z");
        assert_eq!(clock.text(-MS / 2), "2026-07-14T09:30:12.004Z");
        assert_eq!(clock.millis(i128::MAX), i64::MAX);
        assert_eq!(clock.millis(i128::MIN), i64::MIN + 1_784_021_412_005);
        assert_eq!(
            clock.instant(250 * MS),
            Some(clock.started + Duration::from_millis(250))
        );
        assert_eq!(clock.instant(i128::MAX), None);
        assert!(clock.instant(-1).is_some_and(|at| at < clock.started));
        assert!(clock.now() >= 0);
    }
}
