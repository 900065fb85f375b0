//! `operations`: every operation driven on a simulated clock against a scripted server.
//!
//! The approach of `core/tests/machines.rs`: a clock that only moves when the operation sleeps
//! or an attempt takes time, a server that answers from a script, and checks on what the
//! operation did with it.
//!
//! For a start, the server keeps ground truth: which of the start's attempts created a restore
//! job (a 2xx always does; an ambiguous outcome does when the script says so; a refusal never
//! does), its own clock (a fuzzer-chosen offset from ours, shown in `Date` or not), and the
//! other clients' jobs (the scripted listings' jobs, at fuzzer-chosen times on its clock). The
//! check is the promise itself: `recovered` names a job one of the start's attempts created,
//! or else the one case no client can tell apart.
//!
//! For a backup's create, the same ground truth: which attempts made a backup (of our name,
//! listed at once in every page of the index's backups), and other clients' backups; the
//! check: a claimed backup is always ours (or the case no client can tell apart), and a run
//! never makes two. For a prune, the server keeps every `DELETE` it got: nothing is deleted
//! unless both listings completed, and never a backup the plan keeps.

use std::time::{Duration, Instant, SystemTime};

use arbitrary::Arbitrary;
use pinecone_restore_core::{
    ApiKey, Attempt, Backup, BackupId, BackupName, Config, CreateBackup, CreateIndexFromBackup,
    Error, IndexName, JobId, Limit, Method, Now, OffsetDateTime, Operation, Response, Retention,
    RetryPolicy, Start, StartedRestore, Step, TransportError, TransportKind, WaitOptions,
    is_retryable_status,
};

use super::{error_text_is_safe, versions};

/// The API key: every scripted body and header may carry it, no error may show it.
const KEY: &str = "pcsk_ops_SECRET_0123456789";
/// The backup and the index name a start asks for.
const BACKUP: &str = "bk-fuzz";
const NAME: &str = "restored";
/// The index a backup is taken of and pruned, and the name a backup's create sends.
const INDEX: &str = "docs";
const BACKUP_NAME: &str = "nightly-run-7";

/// Which operation to drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum OpKind {
    /// `Config::describe`.
    Describe,
    /// `Config::walk`.
    Walk,
    /// `Config::wait`.
    Wait,
    /// `Config::create_index_from_backup`.
    Start,
    /// `Config::wait_all`, over three jobs.
    WaitAll,
    /// `Config::create_backup`.
    CreateBackup,
    /// `Config::plan_prune`, then `Config::prune` of its plan.
    Prune,
}

/// A retry policy within the bounds `Config::build` accepts (times in milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct PolicyInput {
    /// Taken modulo `RetryPolicy::MAX_RETRIES + 1`.
    pub max_retries: u8,
    /// Up to about 65 s.
    pub base_delay_ms: u16,
    /// Up to about 65 s.
    pub max_delay_ms: u16,
    /// Up to about 4 s (zero included).
    pub min_delay_ms: u16,
    /// Up to 255 s.
    pub max_retry_after_s: u8,
    /// 1 ms to 5 min.
    pub budget_ms: u32,
}

impl PolicyInput {
    fn policy(&self) -> RetryPolicy {
        let mut p = RetryPolicy::default();
        p.max_retries = u32::from(self.max_retries) % (RetryPolicy::MAX_RETRIES + 1);
        p.base_delay = ms(self.base_delay_ms.into());
        p.max_delay = ms(self.max_delay_ms.into());
        p.min_delay = ms(u64::from(self.min_delay_ms % 4096));
        p.max_retry_after = Duration::from_secs(self.max_retry_after_s.into());
        p.budget = ms(u64::from(self.budget_ms % 300_000) + 1);
        p
    }
}

/// One job of a scripted listing, as seen from a start's point of view.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct JobInput {
    /// A small number: `rj-7`.
    pub id: u8,
    /// For the backup the start asked for, or another.
    pub our_backup: bool,
    /// Into the index name the start asked for, or another.
    pub our_name: bool,
    /// Created this many seconds after the simulation began on the server's clock (negative:
    /// before); `None`: `null`. Another client's job: no attempt of ours made it.
    pub created: Option<i16>,
    /// `Completed`, `Pending`, `Failed`, `Cancelled`, or an unknown status.
    pub status: u8,
}

/// A body from a small menu: valid pages, jobs and 202 answers, API errors, and the hostile
/// things servers and proxies send.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum BodyInput {
    /// Nothing.
    Empty,
    /// A page of jobs, with a next token (a small number) or none.
    Page {
        /// The jobs.
        jobs: Vec<JobInput>,
        /// The token of the next page.
        next: Option<u8>,
    },
    /// One job.
    Job(JobInput),
    /// A 202 answer: `{"restore_job_id": "rj-started-N", "index_id": "ix-started-N"}`.
    Started(u8),
    /// The API's error shape, with one of the codes.
    ApiError {
        /// Picks a code.
        code: u8,
        /// Put the API key in the message.
        key_in_message: bool,
    },
    /// A proxy's HTML page, with the key in its title.
    HtmlWithKey,
    /// The key where an id or a token goes.
    KeyEcho(u8),
    /// A terminal escape and a bidi override in a message.
    Hostile,
    /// Any bytes.
    Raw(Vec<u8>),
}

/// `Retry-After` as seconds, an HTTP date, or nonsense.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum RetryAfterInput {
    /// Delay-seconds.
    Seconds(u16),
    /// An HTTP date this many seconds from the answer's time.
    Date(i16),
    /// Not a value.
    Garbage,
}

/// What the server does with one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum OutcomeInput {
    /// An answer after `latency_ms` (an answer slower than the attempt's timeout is a timeout).
    Answer {
        /// Picks a status.
        status: u8,
        /// `Retry-After`.
        retry_after: Option<RetryAfterInput>,
        /// The body.
        body: BodyInput,
        /// Headers carry the key (request id, location) and say `text/plain`.
        hostile_headers: bool,
        /// How long the answer takes.
        latency_ms: u16,
        /// For a `POST` answered 408, 500, 502, 503 or 504: it took effect all the same.
        took_effect: bool,
    },
    /// A transport failure after `latency_ms`.
    Fail {
        /// Picks a kind.
        kind: u8,
        /// How long it takes to fail.
        latency_ms: u16,
        /// For a `POST` whose request was sent (not a connect or TLS failure): the restore
        /// started all the same.
        took_effect: bool,
    },
    /// Nothing arrives: the attempt runs into its timeout.
    Stall {
        /// For a `POST`: the restore started all the same.
        took_effect: bool,
    },
}

/// An operation, its settings, and the server's script (answered in order; once it runs out,
/// every attempt gets a final `401`).
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct OperationsInput {
    /// The operation.
    pub op: OpKind,
    /// Picks the API version.
    pub version: u8,
    /// The retry policy.
    pub policy: PolicyInput,
    /// The request timeout, in ms (plus one).
    pub request_timeout_ms: u16,
    /// The wait's interval, in ms.
    pub interval_ms: u16,
    /// The wait's timeout, in ms (modulo two minutes).
    pub wait_timeout_ms: Option<u32>,
    /// How many early 404s a wait tolerates (modulo 5).
    pub not_found_tolerance: u8,
    /// A page cap for walks.
    pub max_pages: Option<u8>,
    /// The answers.
    pub script: Vec<OutcomeInput>,
    /// Jitter for each `handle`.
    pub random: u64,
    /// How far the server's clock runs ahead of ours, in ms (negative: behind).
    pub server_ahead_ms: i32,
    /// Whether answers carry the server's `Date`.
    pub dates: bool,
    /// Where in an answer's round trip the server wrote its `Date` (0: as the request
    /// arrived, 255: as the answer left).
    pub date_at: u8,
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const STATUSES: [u16; 20] = [
    200, 201, 202, 204, 302, 307, 400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 502, 503, 504,
    101,
];

const CODES: [&str; 8] = [
    "ALREADY_EXISTS",
    "NOT_FOUND",
    "UNAVAILABLE",
    "RESOURCE_EXHAUSTED",
    "PERMISSION_DENIED",
    "UNKNOWN",
    "pcsk_ops_SECRET_0123456789",
    "TEAPOT\u{1b}[31m",
];

const TRANSPORT: [TransportKind; 7] = [
    TransportKind::Connect,
    TransportKind::Tls,
    TransportKind::Timeout,
    TransportKind::Closed,
    TransportKind::BodyTooLarge,
    TransportKind::Undecodable,
    TransportKind::Other,
];

/// The simulation: its clock, what the server served, what the operation did.
struct Sim {
    t0: Instant,
    wall0: SystemTime,
    elapsed: Duration,
    /// Each attempt: when it was sent, when its outcome was handed back, whether the outcome
    /// may be retried by the rule of its method, and the request.
    attempts: Vec<(Duration, Duration, bool, Attempt)>,
    /// Jobs served in `200` listings: (id, backup, name, index id, created).
    listed: Vec<Listed>,
    /// The ids of `2xx` answers to a `POST` that carried a started restore.
    started_served: Vec<(String, String)>,
    /// How far the server's clock runs ahead of ours (`behind`: behind it).
    server_ahead: Duration,
    behind: bool,
    /// Answers carry `Date`.
    dates: bool,
    /// Where in a round trip `Date` is written, out of 255.
    date_at: u8,
    /// Ground truth: the restore jobs the start's attempts created (listed like any other job).
    created: Vec<Listed>,
    /// Each answer that carried a `Date`: when it was sent and when it came back.
    dated: Vec<(Duration, Duration)>,
    /// When the first `POST` that may have taken effect was sent: an ambiguous outcome, or a
    /// 2xx.
    first_ambiguous: Option<Duration>,
    /// The requests are about backups (a create's, a prune's): a `POST` makes a backup, pages
    /// of the index's backups list them.
    backups: bool,
    /// Ground truth: the backups the create's attempts made.
    backups_made: Vec<Shelved>,
    /// Backups served in `200` listings.
    backups_listed: Vec<Shelved>,
    /// The ids every `DELETE` was sent for.
    deletes: Vec<String>,
    /// The script's next answer.
    script_at: usize,
}

/// A backup as the server has it: id, name, status, created.
type Shelved = (String, String, String, Option<OffsetDateTime>);

/// A backup of the index from a job's input: `bk-N`, our name or another, a status.
fn shelved(sim: &Sim, job: &JobInput) -> Shelved {
    let name = if job.our_name { BACKUP_NAME } else { "weekly" };
    let status = [
        "Ready",
        "Initializing",
        "Failed",
        "InitializationFailed",
        "Scheduled",
    ][usize::from(job.status) % 5];
    let created = job
        .created
        .map(|s| sim_offset(sim.server_time(Duration::ZERO), s));
    (
        format!("bk-{}", job.id),
        name.to_owned(),
        status.to_owned(),
        created,
    )
}

/// A backup as the API renders it.
fn shelved_body(backup: &Shelved) -> String {
    let (id, name, status, created) = backup;
    let created = match created {
        Some(at) => format!(
            "\"{}\"",
            pinecone_restore_core::format_utc(*at).unwrap_or_else(|e| panic!("{e}"))
        ),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"backup_id":"{id}","source_index_name":"{INDEX}","source_index_id":"ix","name":"{name}","status":"{status}","cloud":"aws","region":"us-east-1","created_at":{created}}}"#
    )
}

/// A page of the index's backups: the ones our attempts made first, then the script's.
fn backup_page(sim: &Sim, jobs: &[JobInput], next: Option<u8>) -> (Vec<u8>, Vec<Shelved>) {
    let mut listed: Vec<Shelved> = sim.backups_made.iter().rev().cloned().collect();
    listed.extend(jobs.iter().take(8).map(|j| shelved(sim, j)));
    let data: Vec<String> = listed.iter().map(shelved_body).collect();
    let next = match next {
        Some(n) => format!(r#"{{"next":"t+{n}/="}}"#),
        None => "null".to_owned(),
    };
    let body = format!(r#"{{"data":[{}],"pagination":{next}}}"#, data.join(","));
    (body.into_bytes(), listed)
}

impl Sim {
    fn now(&self) -> Now {
        Now {
            instant: self.t0 + self.elapsed,
            wall: self.wall0 + self.elapsed,
        }
    }

    /// The server's clock at `elapsed` into the simulation.
    fn server_time(&self, elapsed: Duration) -> OffsetDateTime {
        let ours = OffsetDateTime::from(self.wall0 + elapsed);
        if self.behind {
            ours - self.server_ahead
        } else {
            ours + self.server_ahead
        }
    }
}

fn job_json(sim: &Sim, job: &JobInput) -> Listed {
    let id = format!("rj-{}", job.id);
    let backup = if job.our_backup { BACKUP } else { "bk-other" }.to_owned();
    let name = if job.our_name { NAME } else { "elsewhere" }.to_owned();
    let index = format!("ix-{}", job.id);
    let created = job
        .created
        .map(|s| sim_offset(sim.server_time(Duration::ZERO), s));
    (id, backup, name, index, created)
}

fn job_body(sim: &Sim, job: &JobInput) -> String {
    let (id, backup, name, index, created) = job_json(sim, job);
    let status =
        ["Completed", "Pending", "Failed", "Cancelled", "Paused"][usize::from(job.status) % 5];
    let created = match created {
        Some(at) => format!(
            "\"{}\"",
            pinecone_restore_core::format_utc(at).unwrap_or_else(|e| panic!("{e}"))
        ),
        None => "null".to_owned(),
    };
    let percent = if status == "Completed" {
        ",\"percent_complete\":100"
    } else {
        ""
    };
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"{backup}","target_index_name":"{name}","target_index_id":"{index}","status":"{status}","created_at":{created}{percent}}}"#
    )
}

/// A listed job: id, backup, index name, index id, created.
type Listed = (String, String, String, String, Option<OffsetDateTime>);

/// The body, and the jobs it lists.
fn body_text(sim: &Sim, body: &BodyInput, status: u16) -> (Vec<u8>, Vec<Listed>) {
    if let BodyInput::Page { jobs, .. } = body {
        let mut listed: Vec<Listed> = jobs.iter().take(8).map(|j| job_json(sim, j)).collect();
        // the jobs the start created are listed too, newest first
        listed.splice(0..0, sim.created.iter().rev().cloned());
        return (body_bytes(sim, body, status), listed);
    }
    (body_bytes(sim, body, status), Vec::new())
}

/// A listed job as the API renders it.
fn listed_body(job: &Listed, status: &str) -> String {
    let (id, backup, name, index, created) = job;
    let created = match created {
        Some(at) => format!(
            "\"{}\"",
            pinecone_restore_core::format_utc(*at).unwrap_or_else(|e| panic!("{e}"))
        ),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"{backup}","target_index_name":"{name}","target_index_id":"{index}","status":"{status}","created_at":{created}}}"#
    )
}

fn body_bytes(sim: &Sim, body: &BodyInput, status: u16) -> Vec<u8> {
    match body {
        BodyInput::Empty => Vec::new(),
        BodyInput::Page { jobs, next } => {
            let ours = sim.created.iter().rev().map(|j| listed_body(j, "Pending"));
            let jobs: Vec<String> = ours
                .chain(jobs.iter().take(8).map(|j| job_body(sim, j)))
                .collect();
            let next = match next {
                Some(n) => format!(r#"{{"next":"t+{n}/="}}"#),
                None => "null".to_owned(),
            };
            format!(r#"{{"data":[{}],"pagination":{next}}}"#, jobs.join(",")).into_bytes()
        }
        BodyInput::Job(job) => job_body(sim, job).into_bytes(),
        BodyInput::Started(n) => {
            format!(r#"{{"restore_job_id":"rj-started-{n}","index_id":"ix-started-{n}"}}"#)
                .into_bytes()
        }
        BodyInput::ApiError {
            code,
            key_in_message,
        } => {
            let code = CODES[usize::from(*code) % CODES.len()];
            let message = if *key_in_message {
                format!("key {KEY} refused")
            } else {
                "refused".to_owned()
            };
            serde_json::json!({"error": {"code": code, "message": message, "details": {"k": KEY}}, "status": status})
                .to_string()
                .into_bytes()
        }
        BodyInput::HtmlWithKey => {
            format!("<html><head><title>{KEY} \u{1b}[2J</title></head></html>").into_bytes()
        }
        BodyInput::KeyEcho(n) => match n % 4 {
            0 => format!(r#"{{"data":[],"pagination":{{"next":"{KEY}"}}}}"#),
            1 => format!(
                r#"{{"restore_job_id":"{KEY}","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null}}"#
            ),
            2 => format!(r#"{{"restore_job_id":"rj","index_id":"{KEY}"}}"#),
            _ => format!(r#"{{"error":"{KEY}"}}"#),
        }
        .into_bytes(),
        BodyInput::Hostile => {
            r#"{"error":{"code":"X\u001b]0;t\u0007","message":"a\u202eb\u001b[2J"}}"#.as_bytes().to_vec()
        }
        BodyInput::Raw(bytes) => bytes.iter().take(4096).copied().collect(),
    }
}

/// An IMF-fixdate `offset_s` seconds from `at`.
fn http_date(at: OffsetDateTime) -> String {
    let day = at.weekday().to_string();
    let month = at.month().to_string();
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        day.get(..3).unwrap_or("Mon"),
        at.day(),
        month.get(..3).unwrap_or("Jan"),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Whether `outcome` may be retried by the rule of `method` (a `GET` after any transient
/// failure; a `POST` after anything but a TLS failure or a final status), so that attempts can
/// be grouped into exchanges.
fn retryable(method: Method, outcome: &Result<u16, TransportKind>) -> bool {
    match (method, outcome) {
        (_, Ok(status)) => is_retryable_status(*status),
        (Method::Get, Err(kind)) => matches!(
            kind,
            TransportKind::Connect | TransportKind::Timeout | TransportKind::Closed
        ),
        (_, Err(kind)) => *kind != TransportKind::Tls,
    }
}

/// Drives `op` against the script; returns the result, the items and the steps taken.
fn drive<O: Operation>(
    sim: &mut Sim,
    op: &mut O,
    input: &OperationsInput,
) -> (Result<O::Output, Error>, Vec<O::Item>) {
    drive_jobs(sim, op, input, 1)
}

/// [`drive`] for an operation that follows `jobs` jobs: each job ends on its own answer past
/// the script, so each adds its own few steps to the bound.
fn drive_jobs<O: Operation>(
    sim: &mut Sim,
    op: &mut O,
    input: &OperationsInput,
    jobs: usize,
) -> (Result<O::Output, Error>, Vec<O::Item>) {
    let mut items = Vec::new();
    // an operation after another (a prune after its plan) goes on where the script stopped
    let left = input.script.len().saturating_sub(sim.script_at);
    let most_steps = 3 * (left + jobs) + 3;
    for step in 0..=most_steps {
        match op.next_step(sim.now()) {
            Step::Send(attempt) => {
                let sent_at = sim.elapsed;
                let next = input.script.get(sim.script_at).cloned();
                sim.script_at += 1;
                let outcome = next.unwrap_or(OutcomeInput::Answer {
                    status: 7, // 401: every operation ends on it
                    retry_after: None,
                    body: BodyInput::Empty,
                    hostile_headers: false,
                    latency_ms: 1,
                    took_effect: false,
                });
                let method = attempt.request.method;
                let timeout = attempt.timeout;
                if method == Method::Delete {
                    // sent: it may take effect whatever comes back
                    sim.deletes.push(attempt.request.url.clone());
                }
                let result = match outcome {
                    OutcomeInput::Answer {
                        status,
                        retry_after,
                        body,
                        hostile_headers,
                        latency_ms,
                        took_effect,
                    } if ms(latency_ms.into()) <= timeout => {
                        let latency = ms(latency_ms.into());
                        let status = STATUSES[usize::from(status) % STATUSES.len()];
                        if method == Method::Post {
                            // the statuses after which core cannot tell whether a create
                            // took effect: a 503 too, a proxy's answer after the service had
                            // the request (only a 429 surely did nothing)
                            let unknown = matches!(status, 408 | 500 | 502 | 503 | 504);
                            let effect = (200..300).contains(&status) || (unknown && took_effect);
                            post_outcome(sim, sent_at, latency, unknown || effect, effect);
                        }

                        sim.elapsed += latency;
                        let shelf = sim.backups && attempt.request.url.contains("/indexes/");
                        let body = match (&body, method) {
                            (BodyInput::Page { jobs, next }, Method::Get) if shelf => {
                                let (bytes, listed) = backup_page(sim, jobs, *next);
                                if status == 200 {
                                    sim.backups_listed.extend(listed);
                                }
                                bytes
                            }
                            // the backup the create made, as the API answers it
                            (BodyInput::Started(_), Method::Post) if sim.backups => sim
                                .backups_made
                                .last()
                                .map(|b| shelved_body(b).into_bytes())
                                .unwrap_or_default(),
                            _ => {
                                let (bytes, listed) = body_text(sim, &body, status);
                                if method == Method::Get && status == 200 {
                                    sim.listed.extend(listed);
                                }
                                bytes
                            }
                        };
                        let mut headers: Vec<(&str, Vec<u8>)> = Vec::new();
                        if sim.dates {
                            let at = sent_at + latency * u32::from(sim.date_at) / 255;
                            headers.push(("Date", http_date(sim.server_time(at)).into_bytes()));
                            sim.dated.push((sent_at, sim.elapsed));
                        }
                        match retry_after {
                            Some(RetryAfterInput::Seconds(s)) => {
                                headers.push(("Retry-After", s.to_string().into_bytes()));
                            }
                            Some(RetryAfterInput::Date(s)) => {
                                let at = sim_offset(OffsetDateTime::from(sim.now().wall), s);
                                headers.push(("Retry-After", http_date(at).into_bytes()));
                            }
                            Some(RetryAfterInput::Garbage) => {
                                headers.push(("Retry-After", b"soon\x1b[2J".to_vec()));
                            }
                            None => {}
                        }
                        if hostile_headers {
                            headers.push(("x-pinecone-request-id", format!("id {KEY}").into()));
                            headers.push((
                                "location",
                                format!("https://u:p@evil/?k={KEY}").into_bytes(),
                            ));
                            headers.push(("content-type", b"text/plain".to_vec()));
                        }
                        record_started(sim, method, status, &body);
                        let headers: Vec<(&str, &[u8])> =
                            headers.iter().map(|(n, v)| (*n, v.as_slice())).collect();
                        op.handle(
                            Ok(Response {
                                status,
                                headers: &headers,
                                body: &body,
                            }),
                            sim.now(),
                            input.random,
                        );
                        Ok(status)
                    }
                    OutcomeInput::Fail {
                        kind,
                        latency_ms,
                        took_effect,
                    } if ms(latency_ms.into()) <= timeout => {
                        let latency = ms(latency_ms.into());
                        let kind = TRANSPORT[usize::from(kind) % TRANSPORT.len()];
                        if method == Method::Post {
                            // nothing was sent after a connect or TLS failure
                            let sent = !matches!(kind, TransportKind::Connect | TransportKind::Tls);
                            post_outcome(sim, sent_at, latency, sent, sent && took_effect);
                        }
                        sim.elapsed += latency;
                        op.handle(
                            Err(TransportError::new(kind, None)),
                            sim.now(),
                            input.random,
                        );
                        Err(kind)
                    }
                    // a stall, or an answer slower than the timeout: the attempt times out
                    slow => {
                        if method == Method::Post {
                            let took_effect = match slow {
                                OutcomeInput::Answer { took_effect, .. }
                                | OutcomeInput::Fail { took_effect, .. }
                                | OutcomeInput::Stall { took_effect } => took_effect,
                            };
                            post_outcome(sim, sent_at, timeout, true, took_effect);
                        }
                        sim.elapsed += timeout;
                        let failure = TransportError::new(TransportKind::Timeout, None);
                        op.handle(Err(failure), sim.now(), input.random);
                        Err(TransportKind::Timeout)
                    }
                };
                let again = retryable(method, &result);
                sim.attempts.push((sent_at, sim.elapsed, again, attempt));
            }
            Step::Sleep(delay) => {
                assert!(!delay.is_zero(), "Step::Sleep(0) at step {step}");
                sim.elapsed += delay;
            }
            Step::Yield(item) => items.push(item),
            Step::Done(result) => return (result, items),
        }
    }
    panic!(
        "the operation did not end within {most_steps} steps for {} scripted answers",
        input.script.len()
    );
}

/// Ground truth for a `POST` sent at `sent_at` that took `latency`: `ambiguous` when its
/// outcome may have taken effect for all the client can tell; `effect` when it did, creating
/// a restore job halfway through its round trip, on the server's clock.
fn post_outcome(
    sim: &mut Sim,
    sent_at: Duration,
    latency: Duration,
    ambiguous: bool,
    effect: bool,
) {
    if ambiguous {
        sim.first_ambiguous.get_or_insert(sent_at);
    }
    if effect && sim.backups {
        let n = sim.backups_made.len();
        let created = sim.server_time(sent_at + latency / 2);
        sim.backups_made.push((
            format!("bk-ours-{n}"),
            BACKUP_NAME.to_owned(),
            "Initializing".to_owned(),
            Some(created),
        ));
    } else if effect {
        let n = sim.created.len();
        let created = sim.server_time(sent_at + latency / 2);
        sim.created.push((
            format!("rj-ours-{n}"),
            BACKUP.to_owned(),
            NAME.to_owned(),
            format!("ix-ours-{n}"),
            Some(created),
        ));
    }
}

fn sim_offset(at: OffsetDateTime, s: i16) -> OffsetDateTime {
    let d = Duration::from_secs(u64::from(s.unsigned_abs()));
    if s < 0 { at - d } else { at + d }
}

/// Remembers the ids of each started restore served to a `POST`.
fn record_started(sim: &mut Sim, method: Method, status: u16, body: &[u8]) {
    if method != Method::Post || !(200..300).contains(&status) {
        return;
    }
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let text = |k: &str| json.get(k).and_then(|s| s.as_str()).map(str::to_owned);
    if let (Some(id), Some(ix)) = (text("restore_job_id"), text("index_id")) {
        sim.started_served.push((id, ix));
    }
}

/// No error or value shown to a person holds the key, and every error message is safe.
fn shows_no_key(what: &str, shown: String) {
    assert!(!shown.contains(KEY), "the key shows in {what}: {shown}");
}

fn check_result<T: std::fmt::Debug>(result: &Result<T, Error>) {
    match result {
        Ok(value) => shows_no_key("a result", format!("{value:?}")),
        Err(e) => {
            error_text_is_safe(e);
            shows_no_key("an error", format!("{e} {e:?}"));
        }
    }
}

/// Every exchange (consecutive attempts of one request, each after an outcome that may be
/// retried) makes at most `max_retries + 1` attempts and ends within its budget.
fn check_exchanges(sim: &Sim, policy: &RetryPolicy) {
    let mut groups: Vec<Vec<&(Duration, Duration, bool, Attempt)>> = Vec::new();
    for attempt in &sim.attempts {
        let joins = groups
            .last()
            .and_then(|g| g.last())
            .is_some_and(|last| last.2 && last.3.request == attempt.3.request);
        match groups.last_mut() {
            Some(group) if joins => group.push(attempt),
            _ => groups.push(vec![attempt]),
        }
    }
    for group in groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        assert!(
            group.len() as u64 <= u64::from(policy.max_retries) + 1,
            "{} attempts for one exchange with max_retries {}",
            group.len(),
            policy.max_retries
        );
        assert!(
            last.1 - first.0 <= policy.budget,
            "an exchange took {:?}, over its budget {:?}",
            last.1 - first.0,
            policy.budget
        );
    }
}

/// Drives the operation of `input` on a simulated clock against its script: never panics;
/// ends within a bounded number of steps; a describe's time stays within its budget and a
/// wait's within its timeout, exactly, a wait on several jobs too (one deadline for all), each
/// of whose jobs gets its own end whatever the others' were; no exchange makes more than `max_retries + 1` attempts;
/// no zero sleep; no error shows the key and every message is safe; a start reports
/// `recovered` only for a job one of its attempts created, or one that no client can tell from
/// such a job (see [`check_started`]).
pub fn operations(input: OperationsInput) {
    let _ = run_operations(input);
}

/// What a run of [`operations`] came to, for the checks that drive a scenario of their own.
#[derive(Debug, Default)]
pub struct Ran {
    /// A start's result.
    pub started: Option<Result<StartedRestore, Error>>,
    /// A backup create's result.
    pub backup: Option<Result<Backup, Error>>,
    /// How many backups the create's attempts made (ground truth).
    pub backups_made: usize,
    /// Every `DELETE` sent, by URL.
    pub deletes: Vec<String>,
    /// A prune's plan was made (both listings complete).
    pub planned: bool,
}

/// [`operations`], giving what the run came to.
pub fn run_operations(input: OperationsInput) -> Ran {
    let mut ran = Ran::default();
    let all = versions();
    let version = &all[usize::from(input.version) % all.len()];
    let policy = input.policy.policy();
    let mut builder = Config::builder(ApiKey::new(KEY).unwrap_or_else(|e| panic!("{e}")))
        .base_url("http://127.0.0.1:9")
        .api_version(version.as_str())
        .retry_policy(policy.clone())
        .request_timeout(ms(u64::from(input.request_timeout_ms) + 1));
    if let Some(max) = input.max_pages.filter(|m| *m > 0) {
        builder = builder.max_pages(max.into());
    }
    let config = builder.build().unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Sim {
        t0: Instant::now(),
        wall0: SystemTime::now(),
        elapsed: Duration::ZERO,
        attempts: Vec::new(),
        listed: Vec::new(),
        started_served: Vec::new(),
        server_ahead: ms(u64::from(input.server_ahead_ms.unsigned_abs())),
        behind: input.server_ahead_ms < 0,
        dates: input.dates,
        date_at: input.date_at,
        created: Vec::new(),
        dated: Vec::new(),
        first_ambiguous: None,
        backups: matches!(input.op, OpKind::CreateBackup | OpKind::Prune),
        backups_made: Vec::new(),
        backups_listed: Vec::new(),
        deletes: Vec::new(),
        script_at: 0,
    };
    match input.op {
        OpKind::Describe => {
            let id = JobId::new("rj-1").unwrap_or_else(|e| panic!("{e}"));
            let (result, _) = drive(&mut sim, &mut config.describe(&id), &input);
            check_result(&result);
            assert!(
                sim.elapsed <= policy.budget,
                "a describe took {:?}, over its budget {:?}",
                sim.elapsed,
                policy.budget
            );
        }
        OpKind::Walk => {
            let limit = Limit::new(3).ok();
            let (result, items) = drive(&mut sim, &mut config.walk(limit, None), &input);
            check_result(&result);
            shows_no_key("a page", format!("{items:?}"));
        }
        OpKind::Wait => {
            let (timeout, options) = wait_options(&input);
            let id = JobId::new("rj-1").unwrap_or_else(|e| panic!("{e}"));
            let (result, items) = drive(&mut sim, &mut config.wait(&id, &options), &input);
            check_result(&result);
            shows_no_key("a snapshot", format!("{items:?}"));
            if let Some(timeout) = timeout {
                // zero checks once: its one describe gets one request timeout
                let bound = if timeout.is_zero() {
                    config.request_timeout()
                } else {
                    timeout
                };
                assert!(
                    sim.elapsed <= bound,
                    "a wait took {:?}, over its bound {bound:?} (timeout {timeout:?})",
                    sim.elapsed
                );
            }
        }
        OpKind::WaitAll => {
            let (timeout, options) = wait_options(&input);
            let ids: Vec<JobId> = ["rj-1", "rj-2", "rj-3"]
                .iter()
                .map(|id| JobId::new(*id).unwrap_or_else(|e| panic!("{e}")))
                .collect();
            let mut wait = config.wait_all(&ids, &options);
            let (result, items) = drive_jobs(&mut sim, &mut wait, &input, ids.len());
            check_result(&result);
            shows_no_key("a snapshot", format!("{items:?}"));
            let ends = result.unwrap_or_else(|e| panic!("a wait on several jobs failed: {e}"));
            assert_eq!(ends.len(), ids.len(), "one end per job");
            for (index, end) in ends.iter().enumerate() {
                assert_eq!(wait.end(index), Some(end));
                check_result(end);
            }
            for item in &items {
                assert!(item.index < ids.len(), "a snapshot of no job: {item:?}");
            }
            if let Some(timeout) = timeout {
                // one deadline for all; zero checks each job once: one round, its walk of the
                // listing within one request timeout and each describe within its own
                let jobs = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                let bound = if timeout.is_zero() {
                    config.request_timeout() * (jobs + 1)
                } else {
                    timeout
                };
                assert!(
                    sim.elapsed <= bound,
                    "a wait on {jobs} jobs took {:?}, over its bound {bound:?} (timeout \
                     {timeout:?})",
                    sim.elapsed
                );
            }
        }
        OpKind::Start => {
            let backup = BackupId::new(BACKUP).unwrap_or_else(|e| panic!("{e}"));
            let request =
                CreateIndexFromBackup::new(IndexName::new(NAME).unwrap_or_else(|e| panic!("{e}")));
            let mut start = config.create_index_from_backup(&backup, &request);
            let (result, _) = drive(&mut sim, &mut start, &input);
            check_result(&result);
            match &result {
                Ok(started) => check_started(&sim, started),
                Err(_) => check_unclaimed(&sim, &start),
            }
            ran.started = Some(result);
        }
        OpKind::CreateBackup => {
            let index = IndexName::new(INDEX).unwrap_or_else(|e| panic!("{e}"));
            let name = BackupName::new(BACKUP_NAME).unwrap_or_else(|e| panic!("{e}"));
            let mut create = config.create_backup(&index, &CreateBackup::new(name));
            let (result, _) = drive(&mut sim, &mut create, &input);
            check_result(&result);
            assert!(
                sim.backups_made.len() <= 1,
                "one run made {} backups: {:?}",
                sim.backups_made.len(),
                sim.backups_made
            );
            match &result {
                Ok(backup) => check_backup_claimed(&sim, backup),
                Err(e) => {
                    if let Some(candidate) = e.candidate() {
                        let named = candidate.id();
                        assert!(
                            sim.backups_listed
                                .iter()
                                .any(|b| b.0 == named && b.1 == BACKUP_NAME),
                            "names {named}, which no listing held with our name"
                        );
                    }
                }
            }
            ran.backup = Some(result);
        }
        OpKind::Prune => {
            let index = IndexName::new(INDEX).unwrap_or_else(|e| panic!("{e}"));
            let keep = usize::from(input.not_found_tolerance % 4);
            let mut retention = Retention::newest(keep);
            if let Some(age) = input.wait_timeout_ms {
                retention = retention.older_than(Duration::from_secs(u64::from(age % 40) * 86_400));
            }
            let mut planning = config.plan_prune(&index, &retention);
            let (planned, _) = drive_jobs(&mut sim, &mut planning, &input, 2);
            check_result(&planned);
            let Ok(plan) = planned else {
                assert!(
                    sim.deletes.is_empty(),
                    "deleted {:?} without a complete listing",
                    sim.deletes
                );
                check_exchanges(&sim, &policy);
                ran.deletes = sim.deletes;
                return ran;
            };
            ran.planned = true;
            let doomed: Vec<String> = plan
                .to_delete()
                .map(|b| format!("http://127.0.0.1:9/backups/{}", b.backup_id()))
                .collect();
            let mut prune = config.prune(&plan);
            let (report, done) = drive_jobs(&mut sim, &mut prune, &input, doomed.len() + 1);
            check_result(&report);
            for url in &sim.deletes {
                assert!(
                    doomed.contains(url),
                    "DELETE {url}, which the plan keeps or never listed; it deletes {doomed:?}"
                );
            }
            if let Ok(report) = report {
                assert_eq!(report.deleted.len(), done.len());
                assert!(
                    report.deleted.len() + usize::from(report.failed.is_some()) <= doomed.len()
                );
            }
        }
    }
    check_exchanges(&sim, &policy);
    ran.backups_made = sim.backups_made.len();
    ran.deletes = sim.deletes;
    ran
}

/// A backup's create claims only a backup one of its attempts made, or one no client can tell
/// from it (another client's backup of the same name, created after our first attempt that
/// may have taken effect, within what the clocks leave open: see [`check_started`]).
fn check_backup_claimed(sim: &Sim, backup: &Backup) {
    let id = backup.backup_id();
    if sim.backups_made.iter().any(|b| b.0 == id) {
        return;
    }
    let claimed = format!("claimed {id}");
    let earliest = earliest_indistinguishable(sim, &claimed, ", which no answer carried,");
    let Some(listed) = sim.backups_listed.iter().find(|b| b.0 == id) else {
        panic!("claimed {id}, which no listing held");
    };
    assert!(
        listed.1 == BACKUP_NAME && listed.3.is_some_and(|at| at >= earliest),
        "claimed {listed:?}, another client's backup, created before {earliest} on the \
         server's clock; ours were {:?}",
        sim.backups_made
    );
}

/// A wait's options from `input`, and its timeout: up to two minutes, so that deadlines fall
/// among the attempts and their retries.
fn wait_options(input: &OperationsInput) -> (Option<Duration>, WaitOptions) {
    let timeout = input.wait_timeout_ms.map(|t| ms(u64::from(t % 120_000)));
    let options = WaitOptions::default()
        .interval(ms(input.interval_ms.into()))
        .timeout(timeout)
        .not_found_tolerance(u32::from(input.not_found_tolerance % 5));
    (timeout, options)
}

/// A start's success is backed by what the server said, and a recovered one names a job that
/// one of its attempts created, except in the case no client can tell apart.
///
/// That case: another client's job for the same backup and name, created after the start's
/// first attempt that may have taken effect. The start reads the server's clock only through
/// `Date` (cut to the second) over a round trip, so "after" holds within what the clocks let
/// it know: the quickest round trip of an answer with a `Date`, the second `Date` is cut to,
/// and the one-second margin the start allows.
fn check_started(sim: &Sim, started: &StartedRestore) {
    let ids = (
        started.restore_job_id().to_owned(),
        started.index_id().to_owned(),
    );
    if !started.recovered() {
        assert!(
            sim.started_served.contains(&ids),
            "started {ids:?}, which no answer to the POST carried"
        );
        return;
    }
    let recovered = format!("recovered {ids:?}");
    // even our own job is recovered only through the server's clock, which a `Date` tells
    clock_margin(sim, &recovered);
    let is_ids = |job: &&Listed| (&job.0, &job.3) == (&ids.0, &ids.1);
    if sim.created.iter().any(|job| is_ids(&job)) {
        return; // ours: the promise kept
    }
    let earliest = earliest_indistinguishable(sim, &recovered, "");
    let Some(job) = sim.listed.iter().find(is_ids) else {
        panic!("recovered {ids:?}, which no listing held");
    };
    let indistinguishable =
        job.1 == BACKUP && job.2 == NAME && job.4.is_some_and(|at| at >= earliest);
    assert!(
        indistinguishable,
        "recovered {job:?}, another client's job, created before {earliest} on the server's \
         clock (our first ambiguous attempt less what the clocks leave open); ours were {:?}",
        sim.created
    );
}

/// What the clocks leave open about when something was created on the server's clock (see
/// [`check_started`]): the quickest round trip of an answer with a `Date`, plus the second
/// that `Date` is cut to and the second of margin a claim allows.
///
/// # Panics
///
/// When no answer carried a `Date`: nothing `claimed` (`recovered …`, `claimed …`) could be
/// told from the server's clock.
fn clock_margin(sim: &Sim, claimed: &str) -> Duration {
    let quickest = sim.dated.iter().map(|(sent, back)| *back - *sent).min();
    let Some(quickest) = quickest else {
        panic!("{claimed} with no `Date` from the server: its clock is unknown");
    };
    quickest + Duration::from_secs(2)
}

/// The earliest creation, on the server's clock, of another client's resource that no client
/// can tell from one that the first attempt that may have taken effect made: that attempt's
/// time less [`clock_margin`].
///
/// # Panics
///
/// As [`clock_margin`], and when no attempt may have taken effect (`aside` is put after
/// `claimed` in that message).
fn earliest_indistinguishable(sim: &Sim, claimed: &str, aside: &str) -> OffsetDateTime {
    let margin = clock_margin(sim, claimed);
    let first = sim
        .first_ambiguous
        .unwrap_or_else(|| panic!("{claimed}{aside} with no POST that may have taken effect"));
    sim.server_time(first) - margin
}

/// A start that failed names, if anything, a job of its backup and name that a listing held.
fn check_unclaimed(sim: &Sim, start: &Start) {
    let Some(unclaimed) = start.unclaimed() else {
        return;
    };
    let named = unclaimed.id();
    assert!(
        sim.listed
            .iter()
            .any(|job| job.0 == named && job.1 == BACKUP && job.2 == NAME),
        "names {named}, which no listing held for {BACKUP}/{NAME}"
    );
    shows_no_key("an unclaimed job", unclaimed.to_string());
}
