//! The `wait_rounds` target: a wait on many restore jobs at once, in rounds that walk the
//! listing, against a model control plane that keeps ground truth: jobs created at known
//! times (some in the future, some listed late), each ending at a known time; other people's
//! jobs around them; page and describe faults.
//!
//! Checked, whatever the input:
//! - every snapshot handed out is the server's state of that job at a moment of the wait: no
//!   job is reported finished before it was, nor with another ending than its own;
//! - every job's end is its truth: `Completed`/`Ended` only with its own ending, reached;
//!   `DeadlinePassed` only once the deadline passed; an error only for a job the server
//!   could not show (not created, unknown) or after a fault;
//! - without faults or a deadline, every job created in time ends with its own ending, and the
//!   wait ends at most one interval (and the round after it) after the last one did;
//! - every round is bounded: no more pages than jobs still followed, no more describes;
//! - the operation ends, within a bounded number of steps.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use arbitrary::Arbitrary;
use pinecone_restore_core::event::Event;
use pinecone_restore_core::{
    ApiKey, Attempt, Config, JobId, Now, Operation, Response, RestoreJob, Step, TransportError,
    TransportKind, WaitEnd, WaitOptions, WaitOutcome,
};

const KEY: &str = "pcsk_rounds_SECRET_0123456789";

/// The most jobs of either kind a run holds: ten pages.
const MAX_JOBS: usize = 1_000;

/// One followed job of the input.
#[derive(Debug, Clone, Arbitrary)]
pub struct JobSpec {
    /// When it is created, in ms after the wait starts (negative: before; modulo ±1 min).
    pub created_ms: i32,
    /// How long after its creation it is first listed, in ms (modulo 5 s).
    pub listed_after_ms: u16,
    /// How long it runs, in ms (modulo 30 s).
    pub runs_ms: u32,
    /// Its ending: Completed, Failed or Cancelled (modulo 3).
    pub ending: u8,
}

/// A fault the server serves to one request, by its number.
#[derive(Debug, Clone, Arbitrary)]
pub enum FaultSpec {
    /// This status with an API error body.
    Status(u16, u8),
    /// A body that is not a page (or not a job).
    Garbage(u16),
    /// The connection closes without an answer.
    Reset(u16),
}

/// The input of the target.
#[derive(Debug, Clone, Arbitrary)]
pub struct RoundsInput {
    /// The jobs, followed (each once, some twice).
    pub jobs: Vec<JobSpec>,
    /// Which jobs are given twice (indexes modulo the jobs).
    pub twice: Vec<u16>,
    /// Ids followed that the server never has (modulo 3).
    pub unknown: u8,
    /// Other people's jobs, not followed, all created before the wait (modulo `MAX_JOBS`).
    pub others_before: u16,
    /// Other people's jobs created during the wait, one every this many ms, from the start
    /// (0: none).
    pub others_every_ms: u16,
    /// The interval, in ms (modulo 5 s, at least 250: at most 120 rounds until the last job
    /// ends).
    pub interval_ms: u16,
    /// The timeout, in seconds (modulo 2 min); `None`: wait until every job ends.
    pub timeout_s: Option<u16>,
    /// How many early 404s are tolerated (modulo 4).
    pub tolerance: u8,
    /// How long each answer takes, in ms (modulo 200).
    pub latency_ms: u8,
    /// Retries of each request (modulo 3).
    pub retries: u8,
    /// The faults.
    pub faults: Vec<FaultSpec>,
}

/// One job the model server has.
#[derive(Debug, Clone)]
struct ModelJob {
    id: String,
    /// Created at, ms since the wait started (may be negative).
    created: i64,
    /// Listed from, ms.
    listed: i64,
    /// Ends at, ms.
    ends: i64,
    ending: &'static str,
}

impl ModelJob {
    fn status_at(&self, t: i64) -> &'static str {
        if t >= self.ends {
            self.ending
        } else {
            "Pending"
        }
    }

    fn json(&self, t: i64) -> String {
        let status = self.status_at(t);
        let percent = if status == "Pending" {
            let run = (self.ends - self.created).max(1);
            let done = ((t - self.created).clamp(0, run) * 100) / run;
            format!(r#","percent_complete":{done}"#)
        } else if status == "Completed" {
            r#","percent_complete":100"#.to_owned()
        } else {
            String::new()
        };
        format!(
            r#"{{"restore_job_id":"{}","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"{status}","created_at":null{percent}}}"#,
            self.id
        )
    }
}

/// The model control plane and the wait's clock.
#[derive(Debug)]
pub struct Model {
    t0: Instant,
    wall0: SystemTime,
    /// Sim time, ms since the wait started.
    now: i64,
    /// In the listing's order, which time does not change: newest created first, ties by id.
    jobs: Vec<ModelJob>,
    latency: i64,
    faults: HashMap<usize, FaultSpec>,
    requests: usize,
    /// Listing requests and describes sent.
    pub listings: usize,
    /// Describes sent.
    pub describes: usize,
}

impl Model {
    fn at(&self) -> Now {
        let elapsed = Duration::from_millis(self.now.max(0) as u64);
        Now {
            instant: self.t0 + elapsed,
            wall: self.wall0 + elapsed,
        }
    }

    /// The jobs listed at `t`, newest first (ties by id).
    fn listed(&self, t: i64) -> Vec<&ModelJob> {
        self.jobs.iter().filter(|j| t >= j.listed).collect()
    }

    /// The answer to `attempt` at the current time: (status, body), or `None` for a reset.
    fn answer(&mut self, attempt: &Attempt) -> Option<(u16, String)> {
        let n = self.requests;
        self.requests += 1;
        let url = &attempt.request.url;
        let path = url.split('?').next().unwrap_or_default();
        let listing = path.ends_with("/restore-jobs");
        if listing {
            self.listings += 1;
        } else {
            self.describes += 1;
        }
        match self.faults.get(&n) {
            Some(FaultSpec::Status(_, code)) => {
                let status = [500, 502, 503, 504, 429, 400, 404][usize::from(*code) % 7];
                return Some((
                    status,
                    format!(r#"{{"error":{{"code":"X","message":"m"}},"status":{status}}}"#),
                ));
            }
            Some(FaultSpec::Garbage(_)) => return Some((200, "{\"data\":7}".to_owned())),
            Some(FaultSpec::Reset(_)) => return None,
            None => {}
        }
        let t = self.now;
        if listing {
            let offset: usize = url
                .split("paginationToken=o")
                .nth(1)
                .and_then(|o| o.split('&').next())
                .and_then(|o| o.parse().ok())
                .unwrap_or(0);
            let listed = self.listed(t);
            let page: Vec<String> = listed
                .iter()
                .skip(offset)
                .take(100)
                .map(|j| j.json(t))
                .collect();
            let next = if offset + 100 < listed.len() {
                format!(r#"{{"next":"o{}"}}"#, offset + 100)
            } else {
                "null".to_owned()
            };
            return Some((
                200,
                format!(r#"{{"data":[{}],"pagination":{next}}}"#, page.join(",")),
            ));
        }
        let id = path.rsplit('/').next().unwrap_or_default();
        match self.jobs.iter().find(|j| j.id == id && t >= j.created) {
            Some(job) => Some((200, job.json(t))),
            None => Some((
                404,
                r#"{"error":{"code":"NOT_FOUND","message":"no such job"},"status":404}"#.to_owned(),
            )),
        }
    }

    fn job(&self, id: &str) -> Option<&ModelJob> {
        self.jobs.iter().find(|j| j.id == id)
    }
}

/// What a run came to, for the scenario tests.
#[derive(Debug)]
pub struct RoundsRan {
    /// Each followed id's end, in order.
    pub ends: Vec<WaitEnd>,
    /// Every round's event: (pages, listed, described, left).
    pub rounds: Vec<(u64, usize, usize, usize)>,
    /// Listing requests sent.
    pub listings: usize,
    /// Describes sent.
    pub describes: usize,
    /// When the wait ended, ms after it started.
    pub ended_at: i64,
    /// When the last followed job ended on the server, ms (None: some never end in time).
    pub last_end: Option<i64>,
}

/// Runs the target's checks on `input`.
pub fn wait_rounds(input: RoundsInput) {
    drop(run_rounds(&input));
}

/// Runs `input`'s wait against its model and checks every property; what it came to.
///
/// # Panics
///
/// When a property breaks.
pub fn run_rounds(input: &RoundsInput) -> RoundsRan {
    let span = 60_000i64;
    let mut jobs: Vec<ModelJob> = input
        .jobs
        .iter()
        .take(MAX_JOBS)
        .enumerate()
        .map(|(i, spec)| {
            let created = i64::from(spec.created_ms) % span;
            let listed = created + i64::from(spec.listed_after_ms % 5_000);
            ModelJob {
                id: format!("rj-{i:03}"),
                created,
                listed,
                ends: created + i64::from(spec.runs_ms % 30_000),
                ending: ["Completed", "Failed", "Cancelled"][usize::from(spec.ending % 3)],
            }
        })
        .collect();
    let followed_count = jobs.len();
    let others_before = usize::from(input.others_before) % MAX_JOBS;
    for k in 0..others_before {
        let created = -(k as i64) * 1_000 - 1;
        jobs.push(ModelJob {
            id: format!("other-{k:03}"),
            created,
            listed: created,
            ends: created,
            ending: "Completed",
        });
    }
    if input.others_every_ms > 0 {
        let every = i64::from(input.others_every_ms);
        for k in 0..MAX_JOBS as i64 {
            let created = k * every;
            jobs.push(ModelJob {
                id: format!("new-{k:03}"),
                created,
                listed: created,
                ends: created + 60_000,
                ending: "Completed",
            });
        }
    }
    let mut ids: Vec<String> = (0..followed_count).map(|i| format!("rj-{i:03}")).collect();
    if followed_count > 0 {
        for t in input.twice.iter().take(20) {
            ids.push(format!("rj-{:03}", usize::from(*t) % followed_count));
        }
    }
    for k in 0..input.unknown % 3 {
        ids.push(format!("unknown-{k}"));
    }
    let job_ids: Vec<JobId> = ids
        .iter()
        .map(|id| JobId::new(id.as_str()).unwrap_or_else(|e| panic!("{e}")))
        .collect();

    let interval = i64::from(input.interval_ms % 5_000).max(250);
    let timeout = input.timeout_s.map(|s| i64::from(s % 120) * 1_000);
    let mut options = WaitOptions::default()
        .interval(Duration::from_millis(interval as u64))
        .not_found_tolerance(u32::from(input.tolerance % 4));
    options = options.timeout(timeout.map(|t| Duration::from_millis(t as u64)));
    let config = Config::builder(ApiKey::new(KEY).unwrap_or_else(|e| panic!("{e}")))
        .base_url("http://127.0.0.1:9")
        .max_retries(u32::from(input.retries % 3))
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let faults: HashMap<usize, FaultSpec> = input
        .faults
        .iter()
        .take(40)
        .map(|f| {
            let n = match f {
                FaultSpec::Status(n, _) | FaultSpec::Garbage(n) | FaultSpec::Reset(n) => *n,
            };
            (usize::from(n % 400), f.clone())
        })
        .collect();
    let faulty = !faults.is_empty();
    // the listing's order, once: ids are unique, so it is total
    jobs.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    let mut model = Model {
        t0: Instant::now(),
        wall0: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        now: 0,
        jobs,
        latency: i64::from(input.latency_ms % 200),
        faults,
        requests: 0,
        listings: 0,
        describes: 0,
    };

    let mut wait = config.wait_all(&job_ids, &options);
    wait.record_events(true);
    let mut rounds = Vec::new();
    let mut active_before = job_ids.len();
    let result = 'run: {
        for _ in 0..1_000_000 {
            let step = wait.next_step(model.at());
            wait.drain_events(&mut |event| {
                if let Event::Round {
                    pages,
                    listed,
                    described,
                    left,
                    ..
                } = event
                {
                    assert!(
                        pages <= active_before.max(1) as u64,
                        "a round walked {pages} pages for {active_before} jobs"
                    );
                    assert!(
                        described <= active_before,
                        "a round described {described} of {active_before} jobs"
                    );
                    rounds.push((pages, listed, described, left));
                    active_before = left;
                }
            });
            match step {
                Step::Send(attempt) => {
                    let answer = model.answer(&attempt);
                    model.now += model.latency.max(1);
                    match answer {
                        Some((status, body)) => {
                            let response = Response {
                                status,
                                headers: &[],
                                body: body.as_bytes(),
                            };
                            wait.handle(Ok(response), model.at(), model.requests as u64);
                        }
                        None => wait.handle(
                            Err(TransportError::new(TransportKind::Closed, None)),
                            model.at(),
                            0,
                        ),
                    }
                }
                Step::Sleep(d) => {
                    assert!(!d.is_zero(), "a zero sleep would spin");
                    model.now += i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4).max(1);
                }
                Step::Yield(snapshot) => {
                    let id = ids[snapshot.index].as_str();
                    let job = model.job(id).unwrap_or_else(|| {
                        panic!("a snapshot of {id}, which the server never had")
                    });
                    check_snapshot(job, &snapshot.job, model.now);
                }
                Step::Done(ends) => break 'run ends,
            }
        }
        panic!("the wait did not end within 1,000,000 steps");
    };
    wait.drain_events(&mut |_| {});
    let ends = result.unwrap_or_else(|e| panic!("a wait on several never fails whole: {e}"));
    assert_eq!(ends.len(), ids.len());
    let ended_at = model.now;
    let deadline_passed = timeout.is_some_and(|t| ended_at >= t);
    let mut last_end = Some(0i64);
    for (index, end) in ends.iter().enumerate() {
        let id = ids[index].as_str();
        let truth = model.job(id);
        match (end, truth) {
            (Ok(WaitOutcome::Completed(job) | WaitOutcome::Ended(job)), Some(truth)) => {
                assert_eq!(job.status().as_str(), truth.ending, "{id}: not its ending");
                assert!(ended_at >= truth.ends, "{id} reported ended before it did");
            }
            (Ok(WaitOutcome::Completed(_) | WaitOutcome::Ended(_)), None) => {
                panic!("{id}, unknown to the server, reported ended")
            }
            (Ok(WaitOutcome::DeadlinePassed(_)), _) => {
                assert!(deadline_passed, "{id}: deadline passed before it did");
            }
            (Ok(other), _) => panic!("{id}: an end this check does not know: {other:?}"),
            (Err(e), truth) => {
                let could_not_show = truth.is_none_or(|t| t.created > 0);
                assert!(
                    faulty || could_not_show,
                    "{id} ended in an error though the server had it: {e}"
                );
            }
        }
        if let Some(truth) = truth {
            last_end = last_end.map(|l| l.max(truth.ends));
        }
    }
    // without faults or deadline, the truth: every job the server had from the start ends
    // with its own ending, and the wait ends soon after the last did
    if !faulty && timeout.is_none() {
        for (index, end) in ends.iter().enumerate() {
            let id = ids[index].as_str();
            if model.job(id).is_some_and(|t| t.created <= 0) {
                assert!(
                    matches!(end, Ok(WaitOutcome::Completed(_) | WaitOutcome::Ended(_))),
                    "{id}: {end:?}"
                );
            }
        }
        if ends.iter().all(|e| e.is_ok())
            && let Some(last) = last_end
        {
            // the round that just missed the last end, one interval, and the round that sees
            // it: each at most every followed job described plus as many pages, each request
            // `latency` long
            let round = (2 * ids.len() as i64 + 2) * model.latency.max(1);
            let round = 2 * round;
            assert!(
                ended_at <= last.max(0) + interval + round,
                "ended at {ended_at} ms, the last job at {last} ms, interval {interval} ms"
            );
        }
    }
    RoundsRan {
        ends,
        rounds,
        listings: model.listings,
        describes: model.describes,
        ended_at,
        last_end,
    }
}

/// A snapshot handed out at `now` is the server's state of `truth` at a moment no later.
fn check_snapshot(truth: &ModelJob, seen: &RestoreJob, now: i64) {
    let status = seen.status().as_str();
    if status == "Pending" {
        assert!(now >= truth.created, "{} seen before it existed", truth.id);
    } else {
        assert_eq!(status, truth.ending, "{}: seen {status}", truth.id);
        assert!(
            now >= truth.ends,
            "{} seen {status} at {now} ms, before it ended at {} ms",
            truth.id,
            truth.ends
        );
    }
}
