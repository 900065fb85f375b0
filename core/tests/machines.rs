//! The operations' state machines, driven on a simulated clock against scripted servers: every
//! retry, bound, deadline and recovery branch, with no socket and no real time.

use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core::{
    ApiKey, Attempt, BackupId, BackupName, BackupStatus, Candidate, Config, ConfigBuilder,
    CreateBackup, CreateIndexFromBackup, Deletion, Error, ErrorCode, IndexBackups, IndexName,
    InvalidResponseKind, JobId, Limit, MAX_PAGES_WITHOUT_NEW_JOBS, Method, Now, Operation,
    PaginationToken, Reason, Response, Retention, RetryPolicy, Start, Step, TlsProblem,
    TransportError, TransportKind, Unclaimed, WaitOptions, WaitOutcome, plan_prune,
};

const KEY: &str = "pcsk_machines_SECRET_0123456789";

/// What a scripted server does with one attempt.
enum Reply {
    /// Answer with this status, headers and body.
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Fail this way at once.
    Fail(TransportKind),
    /// Fail the TLS handshake this way at once.
    Tls(TlsProblem),
    /// Answer nothing: the attempt runs into its timeout.
    Stall,
}

fn answer(status: u16, body: impl Into<String>) -> Reply {
    Reply::Answer(status, Vec::new(), body.into())
}

fn with_header(status: u16, name: &'static str, value: &str, body: &str) -> Reply {
    Reply::Answer(status, vec![(name, value.to_owned())], body.to_owned())
}

fn api_error(status: u16, code: &str, message: &str) -> Reply {
    answer(
        status,
        format!(r#"{{"error":{{"code":"{code}","message":"{message}"}},"status":{status}}}"#),
    )
}

/// A simulated clock and what was done on it. The server's clock runs `server_ahead` seconds
/// ahead of ours (negative: behind) and every answer carries its `Date`, unless `dates` is off.
struct Sim {
    t0: Instant,
    wall0: SystemTime,
    elapsed: Duration,
    server_ahead: i64,
    dates: bool,
    sent: Vec<Attempt>,
    slept: Vec<Duration>,
}

impl Sim {
    fn new() -> Sim {
        Sim {
            t0: Instant::now(),
            // a fixed instant, 0.1 s into a second, so that `Date`'s cut falls the same way
            // in every run
            wall0: SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_100),
            elapsed: Duration::ZERO,
            server_ahead: 0,
            dates: true,
            sent: Vec::new(),
            slept: Vec::new(),
        }
    }

    fn now(&self) -> Now {
        Now {
            instant: self.t0 + self.elapsed,
            wall: self.wall0 + self.elapsed,
        }
    }

    /// Drives `op` to its end; `server` answers each attempt (by its number, from 0).
    fn run<O: Operation>(
        &mut self,
        op: &mut O,
        mut server: impl FnMut(&Attempt, usize) -> Reply,
    ) -> (Result<O::Output, Error>, Vec<O::Item>) {
        let mut items = Vec::new();
        for _ in 0..100_000 {
            match op.next_step(self.now()) {
                Step::Send(attempt) => {
                    let n = self.sent.len();
                    self.sent.push(attempt.clone());
                    match server(&attempt, n) {
                        Reply::Answer(status, mut headers, body) => {
                            // the server answers as the request arrives
                            if self.dates && !headers.iter().any(|(n, _)| *n == "Date") {
                                headers.push(("Date", self.server_date()));
                            }
                            self.elapsed += Duration::from_millis(1);
                            let headers: Vec<(&str, &[u8])> =
                                headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
                            let response = Response {
                                status,
                                headers: &headers,
                                body: body.as_bytes(),
                            };
                            op.handle(Ok(response), self.now(), n as u64);
                        }
                        Reply::Fail(kind) => {
                            self.elapsed += Duration::from_millis(1);
                            op.handle(Err(TransportError::new(kind, None)), self.now(), 0);
                        }
                        Reply::Tls(problem) => {
                            self.elapsed += Duration::from_millis(1);
                            op.handle(Err(TransportError::tls(problem, None)), self.now(), 0);
                        }
                        Reply::Stall => {
                            self.elapsed += attempt.timeout;
                            let timeout = TransportError::new(TransportKind::Timeout, None);
                            op.handle(Err(timeout), self.now(), 0);
                        }
                    }
                }
                Step::Sleep(d) => {
                    assert!(!d.is_zero(), "a zero sleep would spin");
                    self.slept.push(d);
                    self.elapsed += d;
                }
                Step::Yield(item) => items.push(item),
                Step::Done(result) => return (result, items),
            }
        }
        panic!("the operation did not end within 100,000 steps");
    }

    /// The server's time now, on its clock.
    fn server_time(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::from(self.now().wall) + time::Duration::seconds(self.server_ahead)
    }

    /// `Date` now: an IMF-fixdate, cut to the second.
    fn server_date(&self) -> String {
        http_date(self.server_time())
    }

    fn gets(&self) -> usize {
        self.sent
            .iter()
            .filter(|a| a.request.method == Method::Get)
            .count()
    }

    fn posts(&self) -> usize {
        self.sent
            .iter()
            .filter(|a| a.request.method == Method::Post)
            .count()
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(at: time::OffsetDateTime) -> String {
    let day = &at.weekday().to_string()[..3];
    let month = &at.month().to_string()[..3];
    format!(
        "{day}, {:02} {month} {} {:02}:{:02}:{:02} GMT",
        at.day(),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn builder() -> ConfigBuilder {
    Config::builder(ApiKey::new(KEY).unwrap()).base_url("http://127.0.0.1:9")
}

fn config() -> Config {
    builder().build().unwrap()
}

fn job_json(id: &str, backup: &str, name: &str, status: &str, created: &str) -> String {
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"{backup}","target_index_name":"{name}","target_index_id":"ix-{id}","status":"{status}","created_at":{created}}}"#
    )
}

fn job(id: &str, status: &str) -> String {
    job_json(id, "b", "n", status, "null")
}

fn page(ids: &[&str], next: Option<&str>) -> String {
    let jobs: Vec<String> = ids.iter().map(|id| job(id, "Completed")).collect();
    let pagination = match next {
        Some(t) => format!(r#"{{"next":"{t}"}}"#),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"data":[{}],"pagination":{pagination}}}"#,
        jobs.join(",")
    )
}

fn no_key_in(e: &Error) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(KEY), "the key shows: {shown}");
}

// ---- a single call: retries, bounds, classes ----------------------------------------------

#[test]
fn retry_after_zero_still_costs_time_and_attempts_are_capped() {
    let config = builder()
        .max_retries(RetryPolicy::MAX_RETRIES)
        .build()
        .unwrap();
    let mut sim = Sim::new();
    let mut call = config.list_page(None, None);
    let (result, _) = sim.run(&mut call, |_, _| {
        with_header(
            503,
            "Retry-After",
            "0",
            r#"{"error":{"code":"UNAVAILABLE","message":"busy"}}"#,
        )
    });
    assert_eq!(result.unwrap_err().status(), Some(503));
    assert_eq!(sim.sent.len(), RetryPolicy::MAX_RETRIES as usize + 1);
    assert!(
        sim.slept.iter().all(|d| *d >= Duration::from_millis(100)),
        "{:?}",
        sim.slept
    );
}

#[test]
fn a_retry_after_beyond_the_cap_gives_up_at_once_with_the_wait_asked() {
    let mut sim = Sim::new();
    let mut call = config().list_page(None, None);
    let (result, _) = sim.run(&mut call, |_, _| {
        with_header(
            429,
            "Retry-After",
            "1000000000000",
            r#"{"error":{"code":"RESOURCE_EXHAUSTED","message":"slow down"}}"#,
        )
    });
    let e = result.unwrap_err();
    assert_eq!(sim.sent.len(), 1);
    assert!(sim.slept.is_empty());
    assert_eq!(
        e.api().and_then(|a| a.retry_after()),
        Some(Duration::from_secs(1_000_000_000_000))
    );
    assert!(e.to_string().contains("retry after 1000000000000 s"), "{e}");
}

#[test]
fn a_retry_after_within_the_cap_is_waited_exactly() {
    let mut sim = Sim::new();
    let mut call = config().list_page(None, None);
    let (result, _) = sim.run(&mut call, |_, n| match n {
        0 => with_header(429, "Retry-After", "7", ""),
        _ => answer(200, page(&["a"], None)),
    });
    assert_eq!(result.unwrap().jobs.len(), 1);
    assert_eq!(sim.slept, [Duration::from_secs(7)]);
}

#[test]
fn a_stalling_server_cannot_hold_a_call_past_its_budget() {
    let mut policy = RetryPolicy::default();
    policy.max_retries = RetryPolicy::MAX_RETRIES;
    policy.budget = Duration::from_secs(45);
    let config = builder()
        .retry_policy(policy)
        .request_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let mut sim = Sim::new();
    let mut call = config.describe(&JobId::new("j").unwrap());
    let (result, _) = sim.run(&mut call, |_, _| Reply::Stall);
    let e = result.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(sim.elapsed <= Duration::from_secs(45), "{:?}", sim.elapsed);
    assert!(sim.sent.len() >= 2, "retried within the budget");
    assert!(
        sim.sent.last().unwrap().timeout < Duration::from_secs(20),
        "the last attempt gets only what is left"
    );
    assert!(
        e.to_string()
            .starts_with("no complete answer from `http://127.0.0.1:9` within "),
        "{e}"
    );
}

#[test]
fn each_failure_is_worded_by_what_happened_and_tls_is_never_retried() {
    let message = |base: &str, reply: fn() -> Reply| {
        let mut sim = Sim::new();
        let mut call = builder()
            .base_url(base)
            .build()
            .unwrap()
            .list_page(None, None);
        let (result, _) = sim.run(&mut call, |_, _| reply());
        (result.unwrap_err(), sim.sent.len())
    };
    let (e, sent) = message("https://127.0.0.1:8443", || Reply::Tls(TlsProblem::NotTls));
    assert_eq!((e.tls_problem(), sent), (Some(TlsProblem::NotTls), 1));
    assert_eq!(
        e.to_string(),
        "TLS with `https://127.0.0.1:8443` failed: the server did not answer in TLS; if it \
         serves plain HTTP, use `http://127.0.0.1:8443`"
    );
    // plain HTTP is suggested for loopback only: elsewhere it would expose the key
    let (e, _) = message("https://api.example.com", || Reply::Tls(TlsProblem::NotTls));
    assert!(!e.to_string().contains("http://"), "{e}");
    for (problem, words) in [
        (TlsProblem::UntrustedCertificate, "not trusted"),
        (TlsProblem::NameMismatch, "name mismatch"),
        (TlsProblem::Expired, "expired"),
        (TlsProblem::Protocol, "handshake failed"),
    ] {
        let mut sim = Sim::new();
        let mut call = config().list_page(None, None);
        let (result, _) = sim.run(&mut call, |_, _| Reply::Tls(problem));
        let e = result.unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
        assert_eq!(sim.sent.len(), 1, "{problem:?} is not retried");
        assert!(!e.is_retryable());
    }
    let (e, _) = message("https://api.example.com", || {
        Reply::Fail(TransportKind::Resolve)
    });
    assert_eq!(
        e.to_string(),
        "could not resolve host `api.example.com` (a DNS failure; nothing was sent)"
    );
    assert!(e.is_retryable());
}

#[test]
fn what_a_get_retries_and_what_it_does_not() {
    for (kind, retried) in [
        (TransportKind::Resolve, true),
        (TransportKind::Connect, true),
        (TransportKind::Timeout, true),
        (TransportKind::Closed, true),
        (TransportKind::Tls, false),
        (TransportKind::Other, false),
        (TransportKind::BodyTooLarge, false),
        (TransportKind::Undecodable, false),
    ] {
        let mut sim = Sim::new();
        let mut call = config().list_page(None, None);
        let (result, _) = sim.run(&mut call, |_, n| {
            if n == 0 {
                Reply::Fail(kind)
            } else {
                answer(200, page(&[], None))
            }
        });
        assert_eq!(result.is_ok(), retried, "{kind:?}: {result:?}");
        assert_eq!(sim.sent.len(), if retried { 2 } else { 1 }, "{kind:?}");
    }
    for (status, retried) in [
        (408, true),
        (429, true),
        (500, true),
        (502, true),
        (503, true),
        (504, true),
        (400, false),
        (401, false),
        (403, false),
        (404, false),
        (409, false),
        (501, false),
    ] {
        let mut sim = Sim::new();
        let mut call = config().list_page(None, None);
        let (result, _) = sim.run(&mut call, |_, n| {
            if n == 0 {
                api_error(status, "X", "m")
            } else {
                answer(200, page(&[], None))
            }
        });
        assert_eq!(result.is_ok(), retried, "{status}");
    }
}

#[test]
fn an_answer_that_is_unacceptable_is_an_invalid_response_whatever_reported_it() {
    let check = |reply: Reply, kind: InvalidResponseKind| {
        let mut sim = Sim::new();
        let mut call = config().list_page(None, None);
        let (result, _) = sim.run(&mut call, |_, _| match &reply {
            Reply::Fail(k) => Reply::Fail(*k),
            Reply::Tls(p) => Reply::Tls(*p),
            Reply::Answer(s, h, b) => Reply::Answer(*s, h.clone(), b.clone()),
            Reply::Stall => Reply::Stall,
        });
        let e = result.unwrap_err();
        assert_eq!(e.invalid_response_kind(), Some(kind), "{e}");
        assert_eq!(sim.sent.len(), 1);
    };
    check(
        Reply::Fail(TransportKind::BodyTooLarge),
        InvalidResponseKind::TooLarge,
    );
    check(
        Reply::Fail(TransportKind::Undecodable),
        InvalidResponseKind::Undecodable,
    );
    check(answer(200, "{"), InvalidResponseKind::Malformed);
    check(answer(204, ""), InvalidResponseKind::UnexpectedStatus);
    check(answer(101, ""), InvalidResponseKind::UnexpectedStatus);
}

#[test]
fn a_server_echoing_the_key_cannot_get_it_into_any_error() {
    let echo = format!("key {KEY} rejected");
    for reply in [
        api_error(401, KEY, &echo),
        with_header(400, "x-request-id", KEY, ""),
        with_header(307, "location", &format!("https://evil/?k={KEY}"), ""),
        answer(500, format!("<html><title>{KEY}</title></html>")),
        Reply::Answer(
            401,
            vec![("content-type", "text/plain".to_owned())],
            echo.clone(),
        ),
        answer(200, job("x", KEY)),
        answer(
            200,
            job_json("x", "b", "n", "Pending", &format!("\"{KEY}\"")),
        ),
    ] {
        let mut sim = Sim::new();
        let mut call = builder()
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap()
            .describe(&JobId::new("x").unwrap());
        let (result, _) = sim.run(&mut call, |_, _| match &reply {
            Reply::Answer(s, h, b) => Reply::Answer(*s, h.clone(), b.clone()),
            _ => unreachable!(),
        });
        no_key_in(&result.unwrap_err());
    }
}

#[test]
fn each_attempt_carries_the_limits() {
    let config = builder()
        .connect_timeout(Duration::from_secs(3))
        .request_timeout(Duration::from_secs(9))
        .max_body_bytes(1234)
        .build()
        .unwrap();
    let mut sim = Sim::new();
    let mut call = config.list_page(Some(Limit::new(5).unwrap()), None);
    let _ = sim.run(&mut call, |_, _| answer(200, page(&[], None)));
    let attempt = &sim.sent[0];
    assert_eq!(attempt.timeout, Duration::from_secs(9));
    assert_eq!(attempt.connect_timeout, Duration::from_secs(3));
    assert_eq!(attempt.max_body_bytes, 1234);
    assert_eq!(
        attempt.request.url,
        "http://127.0.0.1:9/restore-jobs?limit=5"
    );
}

// ---- walks --------------------------------------------------------------------------------

#[test]
fn fresh_tokens_forever_without_new_jobs_stop_the_walk() {
    let mut sim = Sim::new();
    let mut walk = config().walk(None, None);
    let (result, items) = sim.run(&mut walk, |_, n| {
        answer(200, page(&["same"], Some(&format!("t{n}"))))
    });
    let e = result.unwrap_err();
    assert_eq!(
        e.invalid_response_kind(),
        Some(InvalidResponseKind::NoProgress),
        "{e}"
    );
    assert_eq!(items.len(), 1);
    assert_eq!(sim.sent.len(), 1 + MAX_PAGES_WITHOUT_NEW_JOBS as usize);
    assert!(walk.resume_token().is_some());
    assert!(
        walk.resume_after(&e).is_none(),
        "a server that does not move forward would not on a resumed walk either"
    );
}

#[test]
fn a_token_that_grows_is_refused_before_it_is_sent() {
    let mut sim = Sim::new();
    let mut walk = config().walk(None, None);
    let (result, _) = sim.run(&mut walk, |_, n| {
        answer(
            200,
            page(&[&format!("j{n}")], Some(&"x".repeat(1024 * (n + 1)))),
        )
    });
    let e = result.unwrap_err();
    assert_eq!(
        e.invalid_response_kind(),
        Some(InvalidResponseKind::InvalidValue),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(
            "invalid response: pagination.next: expected a token of at most 2048 bytes"
        ),
        "{e}"
    );
    assert!(sim.sent.iter().all(|a| a.request.url.len() < 8 * 1024));
    assert!(walk.resume_token().unwrap().as_str().len() <= 2048);
}

#[test]
fn the_page_cap_is_on_by_default_and_configurable() {
    let mut sim = Sim::new();
    let mut walk = builder().max_pages(3).build().unwrap().walk(None, None);
    let (result, items) = sim.run(&mut walk, |_, n| {
        answer(200, page(&[&format!("j{n}")], Some(&format!("t{n}"))))
    });
    let e = result.unwrap_err();
    assert_eq!(
        e.invalid_response_kind(),
        Some(InvalidResponseKind::PageLimit)
    );
    assert_eq!(items.len(), 3);
    assert_eq!(walk.resume_token().map(PaginationToken::as_str), Some("t2"));
    assert_eq!(
        config().max_pages(),
        pinecone_restore_core::DEFAULT_MAX_PAGES
    );
}

#[test]
fn a_looping_server_is_caught_and_the_key_as_a_token_never_shows() {
    let mut sim = Sim::new();
    let mut walk = config().walk(None, None);
    let (result, _) = sim.run(&mut walk, |_, n| {
        answer(200, page(&[&format!("j{n}")], Some("again")))
    });
    assert_eq!(
        result.unwrap_err().invalid_response_kind(),
        Some(InvalidResponseKind::PaginationLoop)
    );

    let mut sim = Sim::new();
    let mut walk = config().walk(None, None);
    let (result, items) = sim.run(&mut walk, |_, _| answer(200, page(&["a"], Some(KEY))));
    let e = result.unwrap_err();
    no_key_in(&e);
    assert!(items.is_empty(), "a page with a secret is refused whole");
    assert!(walk.resume_token().is_none());
}

#[test]
fn a_walk_retries_a_page_and_resumes_where_it_failed() {
    let mut sim = Sim::new();
    let mut walk = config().walk(Some(Limit::new(2).unwrap()), None);
    let (result, items) = sim.run(&mut walk, |_, n| match n {
        0 => answer(200, page(&["a", "b"], Some("t+1"))),
        1 => Reply::Fail(TransportKind::Closed),
        2 => answer(200, page(&["b", "c"], Some("t/2"))),
        _ => api_error(401, "UNAUTHENTICATED", "no"),
    });
    let e = result.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(
        walk.resume_after(&e).map(PaginationToken::as_str),
        Some("t/2"),
        "an API error may go otherwise later: the page that failed is where to resume"
    );
    let ids: Vec<_> = items
        .concat()
        .iter()
        .map(|j| j.restore_job_id().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(walk.duplicates_skipped(), 1);
    assert_eq!(
        walk.resume_token().map(PaginationToken::as_str),
        Some("t/2")
    );
    assert_eq!(
        sim.sent[2].request.url,
        "http://127.0.0.1:9/restore-jobs?limit=2&paginationToken=t%2B1"
    );
}

// ---- waits --------------------------------------------------------------------------------

fn wait_options(timeout: Option<u64>) -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_secs(1))
        .timeout(timeout.map(Duration::from_secs))
}

#[test]
fn the_wait_deadline_governs_every_poll_inside_it() {
    let mut sim = Sim::new();
    let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(Some(2)));
    let (result, _) = sim.run(&mut wait, |_, _| Reply::Stall);
    assert!(
        matches!(result, Ok(WaitOutcome::DeadlinePassed(None))),
        "{result:?}"
    );
    assert!(sim.elapsed <= Duration::from_secs(2), "{:?}", sim.elapsed);
    assert!(sim.sent[0].timeout <= Duration::from_secs(2));
}

#[test]
fn a_wait_with_timeout_zero_checks_once() {
    for (status, pending) in [("Pending", true), ("Completed", false)] {
        let mut sim = Sim::new();
        let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(Some(0)));
        let (result, snapshots) = sim.run(&mut wait, |_, _| answer(200, job("j", status)));
        assert_eq!((sim.sent.len(), snapshots.len()), (1, 1), "one describe");
        assert_eq!(
            sim.sent[0].timeout,
            config().request_timeout(),
            "bounded by one request timeout"
        );
        let outcome = result.unwrap();
        assert_eq!(
            matches!(outcome, WaitOutcome::DeadlinePassed(Some(_))),
            pending,
            "{outcome:?}"
        );
    }
}

#[test]
fn a_wait_ends_on_terminal_statuses_and_shows_every_snapshot() {
    for (last, completed) in [("Completed", true), ("Failed", false), ("Cancelled", false)] {
        let mut sim = Sim::new();
        let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(None));
        let (result, snapshots) = sim.run(&mut wait, |_, n| {
            answer(200, job("j", if n < 2 { "Pending" } else { last }))
        });
        let outcome = result.unwrap();
        assert_eq!(
            matches!(outcome, WaitOutcome::Completed(_)),
            completed,
            "{outcome:?}"
        );
        assert_eq!(snapshots.len(), 3);
        assert_eq!(sim.slept, [Duration::from_secs(1); 2]);
    }
}

#[test]
fn a_wait_tolerates_early_not_found_then_fails() {
    let mut sim = Sim::new();
    let mut wait = config().wait(
        &JobId::new("j").unwrap(),
        &wait_options(None).not_found_tolerance(2),
    );
    let (result, _) = sim.run(&mut wait, |_, _| api_error(404, "NOT_FOUND", "not yet"));
    assert!(result.unwrap_err().is_not_found());
    assert_eq!(sim.sent.len(), 3);

    let mut sim = Sim::new();
    let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(None));
    let (result, _) = sim.run(&mut wait, |_, n| match n {
        0 => answer(200, job("j", "Pending")),
        _ => api_error(404, "NOT_FOUND", "gone"),
    });
    assert!(
        result.unwrap_err().is_not_found(),
        "a 404 after the job was seen ends the wait"
    );
}

#[test]
fn a_reset_during_a_wait_is_retried() {
    let mut sim = Sim::new();
    let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(None));
    let (result, _) = sim.run(&mut wait, |_, n| match n {
        0 => Reply::Fail(TransportKind::Closed),
        _ => answer(200, job("j", "Completed")),
    });
    assert!(matches!(result, Ok(WaitOutcome::Completed(_))));
}

#[test]
fn a_wait_fails_on_errors_waiting_does_not_mend() {
    let mut sim = Sim::new();
    let mut wait = config().wait(&JobId::new("j").unwrap(), &wait_options(Some(60)));
    let (result, _) = sim.run(&mut wait, |_, _| api_error(401, "UNAUTHENTICATED", "no"));
    assert_eq!(result.unwrap_err().status(), Some(401));
    assert_eq!(sim.sent.len(), 1);
}

// ---- several waits at once -----------------------------------------------------------------

fn ids(names: &[&str]) -> Vec<JobId> {
    names.iter().map(|n| JobId::new(*n).unwrap()).collect()
}

/// The job id an attempt describes.
fn described(attempt: &Attempt) -> String {
    attempt.request.url.rsplit('/').next().unwrap().to_owned()
}

#[test]
fn several_waits_end_each_their_own_way_under_one_deadline() {
    let mut sim = Sim::new();
    let mut polls = std::collections::HashMap::<String, usize>::new();
    let mut wait = config().wait_all(
        &ids(&["ok", "bad", "slow", "gone"]),
        &wait_options(Some(10)),
    );
    let (result, snapshots) = sim.run(&mut wait, |attempt, _| {
        let id = described(attempt);
        let n = polls.entry(id.clone()).or_default();
        *n += 1;
        match (id.as_str(), *n) {
            ("ok", 3) => answer(200, job("ok", "Completed")),
            ("bad", 2) => answer(200, job("bad", "Failed")),
            ("gone", _) => api_error(404, "NOT_FOUND", "no such job"),
            (id, _) => answer(200, job(id, "Pending")),
        }
    });
    let ends = result.expect("a wait on several jobs never fails as a whole");
    assert_eq!(ends.len(), 4);
    assert!(matches!(&ends[0], Ok(WaitOutcome::Completed(j)) if j.restore_job_id() == "ok"));
    assert!(matches!(&ends[1], Ok(WaitOutcome::Ended(j)) if j.restore_job_id() == "bad"));
    assert!(
        matches!(&ends[2], Ok(WaitOutcome::DeadlinePassed(Some(j))) if j.restore_job_id() == "slow"),
        "{:?}",
        ends[2]
    );
    assert!(
        ends[3].as_ref().unwrap_err().is_not_found(),
        "{:?}",
        ends[3]
    );
    // the 404s past the tolerance ended only that job's wait; the others went on
    assert_eq!(polls["gone"], 4, "three tolerated 404s, then the error");
    assert!(
        polls["slow"] >= 9,
        "polled every second until the deadline: {polls:?}"
    );
    assert_eq!((polls["ok"], polls["bad"]), (3, 2));
    // one deadline for all, counted from the first step
    assert!(sim.elapsed <= Duration::from_secs(10), "{:?}", sim.elapsed);
    // every snapshot is tagged with its job
    for snapshot in &snapshots {
        let names = ["ok", "bad", "slow", "gone"];
        assert_eq!(snapshot.job.restore_job_id(), names[snapshot.index]);
    }
    assert_eq!(snapshots.iter().filter(|s| s.index == 0).count(), 3);
    assert!(snapshots.iter().all(|s| s.index != 3));
}

#[test]
fn several_waits_send_one_request_at_a_time_and_take_turns() {
    let mut sim = Sim::new();
    let mut wait = config().wait_all(&ids(&["a", "b", "c"]), &wait_options(None));
    let mut order = Vec::new();
    let (result, _) = sim.run(&mut wait, |attempt, n| {
        let id = described(attempt);
        order.push(id.clone());
        if id.starts_with("restore-jobs") {
            // a listing without them: each is described, and not looked for in the next walk
            return answer(200, page(&[], None));
        }
        answer(200, job(&id, if n < 7 { "Pending" } else { "Completed" }))
    });
    assert_eq!(result.unwrap().len(), 3);
    // a round: the walk, then each one it did not show, in turn; the next round describes
    // them at once (a walk would cost as much)
    assert_eq!(
        order[..7],
        ["restore-jobs?limit=100", "a", "b", "c", "a", "b", "c"]
    );
    // the interval is the round's: the machine sleeps it between rounds
    assert!(sim.slept.iter().all(|d| *d <= Duration::from_secs(1)));
}

#[test]
fn asking_again_before_handling_gives_the_same_attempt() {
    let mut wait = config().wait_all(&ids(&["a", "b"]), &wait_options(None));
    let sim = Sim::new();
    let Step::Send(first) = wait.next_step(sim.now()) else {
        panic!("expected a send")
    };
    let Step::Send(again) = wait.next_step(sim.now()) else {
        panic!("expected the same send")
    };
    assert_eq!(first, again);
    assert_eq!(
        described(&first),
        "restore-jobs?limit=100",
        "a round walks first"
    );
}

#[test]
fn several_waits_against_a_stalling_server_end_at_the_shared_deadline() {
    let mut sim = Sim::new();
    let mut wait = config().wait_all(&ids(&["a", "b", "c"]), &wait_options(Some(45)));
    let (result, _) = sim.run(&mut wait, |_, _| Reply::Stall);
    let ends = result.unwrap();
    assert!(
        ends.iter()
            .all(|e| matches!(e, Ok(WaitOutcome::DeadlinePassed(None)))),
        "{ends:?}"
    );
    assert!(sim.elapsed <= Duration::from_secs(45), "{:?}", sim.elapsed);
}

#[test]
fn several_waits_with_timeout_zero_check_each_job_once() {
    let mut sim = Sim::new();
    let mut wait = config().wait_all(&ids(&["a", "b", "c"]), &wait_options(Some(0)));
    let (result, snapshots) = sim.run(&mut wait, |attempt, _| {
        let id = described(attempt);
        if id.starts_with("restore-jobs") {
            // the listing shows a and b; c is described
            let listed = [job("a", "Pending"), job("b", "Completed")];
            return answer(
                200,
                format!(r#"{{"data":[{}],"pagination":null}}"#, listed.join(",")),
            );
        }
        answer(200, job(&id, "Pending"))
    });
    let ends = result.unwrap();
    assert_eq!(
        (sim.sent.len(), snapshots.len()),
        (2, 3),
        "one round: the listing and one describe"
    );
    assert!(
        sim.sent
            .iter()
            .all(|a| a.timeout == config().request_timeout())
    );
    assert!(matches!(ends[0], Ok(WaitOutcome::DeadlinePassed(Some(_)))));
    assert!(matches!(ends[1], Ok(WaitOutcome::Completed(_))));
    assert!(matches!(ends[2], Ok(WaitOutcome::DeadlinePassed(Some(_)))));
}

#[test]
fn several_waits_over_no_job_end_at_once() {
    let mut sim = Sim::new();
    let mut wait = config().wait_all(&[], &wait_options(None));
    let (result, snapshots) = sim.run(&mut wait, |_, _| unreachable!("nothing to send"));
    assert!(result.unwrap().is_empty() && snapshots.is_empty());
}

// ---- starting a restore: every retry branch ----------------------------------------------

fn start_request() -> CreateIndexFromBackup {
    CreateIndexFromBackup::new(IndexName::new("restored").unwrap())
}

fn start(
    sim: &mut Sim,
    server: impl FnMut(&Attempt, usize) -> Reply,
) -> Result<pinecone_restore_core::StartedRestore, Error> {
    let mut op = config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
    sim.run(&mut op, server).0
}

const STARTED: &str = r#"{"restore_job_id":"rj-1","index_id":"ix-1"}"#;

/// A listing holding our restore, started `secs_after` our first attempt (negative: before),
/// on the server's clock.
fn listing_with_ours(sim: &Sim, secs_after: i64) -> String {
    listing_with_ours_at(sim, time::Duration::seconds(secs_after))
}

/// A listing holding our restore, started `after` our first attempt on the server's clock.
fn listing_with_ours_at(sim: &Sim, after: time::Duration) -> String {
    let at = pinecone_restore_core::OffsetDateTime::from(sim.wall0)
        + time::Duration::seconds(sim.server_ahead)
        + after;
    let created = format!("\"{}\"", pinecone_restore_core::format_utc(at).unwrap());
    let ours = job_json("rj-ours", "bk", "restored", "Pending", &created);
    let other_name = job_json("rj-other", "bk", "elsewhere", "Pending", &created);
    let other_backup = job_json("rj-older", "bk-2", "restored", "Completed", &created);
    format!(r#"{{"data":[{other_name},{other_backup},{ours}],"pagination":null}}"#)
}

#[test]
fn start_succeeds_on_202() {
    let mut sim = Sim::new();
    let started = start(&mut sim, |a, _| {
        assert_eq!(
            a.request.body.as_deref(),
            Some(&br#"{"name":"restored"}"#[..])
        );
        assert_eq!(a.request.url, "http://127.0.0.1:9/backups/bk/create-index");
        answer(202, STARTED)
    })
    .unwrap();
    assert_eq!(
        (
            started.restore_job_id(),
            started.index_id(),
            started.recovered()
        ),
        ("rj-1", "ix-1", false)
    );
    assert_eq!(sim.posts(), 1);
}

#[test]
fn start_retries_where_the_request_surely_did_not_take_effect() {
    for first in [
        Reply::Fail(TransportKind::Resolve),
        Reply::Fail(TransportKind::Connect),
        with_header(429, "Retry-After", "1", ""),
    ] {
        let mut sim = Sim::new();
        let mut first = Some(first);
        let started = start(&mut sim, |_, n| match n {
            0 => first.take().unwrap(),
            1 => api_error(409, "ALREADY_EXISTS", "taken"),
            _ => unreachable!("no lookup after a safe retry"),
        });
        // the retry's 409 is a real conflict: nothing ambiguous happened before it
        let e = started.unwrap_err();
        assert_eq!(e.status(), Some(409));
        assert_eq!((sim.posts(), sim.gets()), (2, 0));
    }
    // a 503 may be a proxy's answer after the service had the request: sent again, and a
    // 202 to that is the start, not a recovery
    let mut sim = Sim::new();
    let started = start(&mut sim, |_, n| {
        if n == 0 {
            api_error(503, "UNAVAILABLE", "")
        } else {
            answer(202, STARTED)
        }
    });
    assert!(!started.unwrap().recovered());
    // and a 409 to it sends the start to the lookup: the 503 may have started it
    let mut sim = Sim::new();
    let started = start(&mut sim, |_, n| match n {
        0 => api_error(503, "UNAVAILABLE", "reset before headers"),
        1 => api_error(409, "ALREADY_EXISTS", "taken"),
        _ => answer(200, r#"{"data":[],"pagination":null}"#),
    });
    assert_eq!(started.unwrap_err().status(), Some(409));
    assert_eq!(sim.posts(), 2);
    assert!(sim.gets() >= 1, "looked up after the 503");
}

#[test]
fn start_after_an_ambiguous_failure_recovers_its_own_restore_from_the_409() {
    for first in [
        Reply::Stall,
        Reply::Fail(TransportKind::Closed),
        Reply::Fail(TransportKind::Other),
        api_error(500, "UNKNOWN", "oops"),
        api_error(502, "UNAVAILABLE", "gateway"),
        api_error(504, "DEADLINE_EXCEEDED", "gateway timeout"),
        answer(408, ""),
    ] {
        let mut sim = Sim::new();
        let listing = listing_with_ours(&sim, 1);
        let mut first = Some(first);
        let started = start(&mut sim, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => first.take().unwrap(),
            (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "Index restored already exists."),
            (Method::Get, _) => answer(200, listing.clone()),
            _ => unreachable!(),
        })
        .unwrap();
        assert!(started.recovered());
        assert_eq!(
            (started.restore_job_id(), started.index_id()),
            ("rj-ours", "ix-rj-ours")
        );
        assert_eq!((sim.posts(), sim.gets()), (2, 1));
        assert_eq!(
            sim.sent[0].request.body, sim.sent[1].request.body,
            "the retry uses the same name"
        );
    }
}

#[test]
fn start_after_an_ambiguous_failure_reports_a_real_conflict_when_the_lookup_finds_nothing() {
    let mut sim = Sim::new();
    // the only matching restore started well before our first attempt: someone else's
    let listing = listing_with_ours(&sim, -3600);
    let e = start(&mut sim, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Stall,
        (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "taken"),
        _ => answer(200, listing.clone()),
    })
    .unwrap_err();
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.code(), Some(&ErrorCode::AlreadyExists));
    assert_eq!(sim.gets(), 1);

    // two minutes before is not ours either: the server's clock says so
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, -120);
    let started = start(&mut sim, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Fail(TransportKind::Closed),
        (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "taken"),
        _ => answer(200, listing.clone()),
    });
    assert_eq!(started.unwrap_err().status(), Some(409));
}

#[test]
fn start_treats_a_first_attempt_409_as_a_plain_conflict() {
    let mut sim = Sim::new();
    let e = start(&mut sim, |_, _| {
        api_error(409, "ALREADY_EXISTS", "Index restored already exists.")
    })
    .unwrap_err();
    assert_eq!(e.status(), Some(409));
    assert!(
        e.to_string().contains("Index restored already exists."),
        "{e}"
    );
    assert_eq!(
        (sim.posts(), sim.gets()),
        (1, 0),
        "never looks up someone else's index"
    );
}

#[test]
fn start_reports_every_other_documented_status_at_once() {
    for (status, code) in [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (402, "PAYMENT_REQUIRED"),
        (403, "FORBIDDEN"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
        (412, "FAILED_PRECONDITION"),
        (422, "UNPROCESSABLE_ENTITY"),
    ] {
        let mut sim = Sim::new();
        let e = start(&mut sim, |_, _| api_error(status, code, "m")).unwrap_err();
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.code().map(ErrorCode::as_str), Some(code));
        assert_eq!(sim.sent.len(), 1, "{status} is not retried");
    }
    let mut sim = Sim::new();
    let e = start(&mut sim, |_, _| Reply::Fail(TransportKind::Tls)).unwrap_err();
    assert_eq!(e.transport_kind(), Some(TransportKind::Tls));
    assert_eq!(sim.sent.len(), 1);
}

#[test]
fn start_looks_up_an_accepted_answer_it_cannot_read() {
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, 0);
    let started = start(&mut sim, |a, _| match a.request.method {
        Method::Post => answer(202, r#"{"restore_job_id":"#),
        _ => answer(200, listing.clone()),
    })
    .unwrap();
    assert!(started.recovered());
    assert_eq!((sim.posts(), sim.gets()), (1, 1));
}

#[test]
fn start_whose_retries_run_out_after_an_ambiguous_failure_still_looks_up() {
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, 5);
    let started = start(&mut sim, |a, _| match a.request.method {
        Method::Post => Reply::Stall,
        _ => answer(200, listing.clone()),
    })
    .unwrap();
    assert!(started.recovered());

    let mut sim = Sim::new();
    let e = start(&mut sim, |a, _| match a.request.method {
        Method::Post => Reply::Stall,
        _ => answer(200, page(&[], None)),
    })
    .unwrap_err();
    assert!(
        e.is_timeout(),
        "nothing found: the last failure is the error: {e:?}"
    );
}

#[test]
fn a_failed_lookup_is_reported() {
    let mut sim = Sim::new();
    let e = start(&mut sim, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Stall,
        (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "taken"),
        _ => api_error(
            403,
            "PERMISSION_DENIED",
            "Permission control::backups::list is required",
        ),
    })
    .unwrap_err();
    assert_eq!(e.status(), Some(403));
}

// ---- which job is ours, on the server's clock -------------------------------------------

/// Starts a restore whose first attempt fails as `first` (ambiguous), whose second gets 409,
/// and whose lookup lists `listing`; gives the result and the operation.
fn start_then_409(
    sim: &mut Sim,
    first: Reply,
    listing: &str,
) -> (Result<pinecone_restore_core::StartedRestore, Error>, Start) {
    let mut op = config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
    let mut first = Some(first);
    let result = sim
        .run(&mut op, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => first.take().unwrap(),
            (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "taken"),
            _ => answer(200, listing),
        })
        .0;
    (result, op)
}

const OFFSETS: [i64; 5] = [-3600, -90, 0, 90, 3600];

#[test]
fn our_own_lost_restore_is_always_found_whatever_the_server_clock() {
    for ahead in OFFSETS {
        // lost mid-flight: created as the request arrived, or while the attempt stalled
        for (first, created_ms) in [
            (Reply::Fail(TransportKind::Closed), 0),
            (Reply::Stall, 0),
            (Reply::Stall, 25_000),
            (api_error(500, "UNKNOWN", "oops"), 0),
        ] {
            let mut sim = Sim::new();
            sim.server_ahead = ahead;
            let listing = listing_with_ours_at(&sim, time::Duration::milliseconds(created_ms));
            let (result, op) = start_then_409(&mut sim, first, &listing);
            let started = result.unwrap_or_else(|e| panic!("{ahead} s, {created_ms} ms: {e}"));
            assert!(started.recovered());
            assert_eq!(started.restore_job_id(), "rj-ours");
            assert!(op.unclaimed().is_none());
        }
    }
}

#[test]
fn a_job_from_before_our_first_ambiguous_attempt_is_never_claimed() {
    for ahead in OFFSETS {
        for before in [2, 20, 200] {
            let mut sim = Sim::new();
            sim.server_ahead = ahead;
            let listing = listing_with_ours(&sim, -before);
            let (result, op) =
                start_then_409(&mut sim, Reply::Fail(TransportKind::Closed), &listing);
            let e = result.expect_err("someone else's older restore is not ours");
            assert_eq!(
                (e.status(), e.code()),
                (Some(409), Some(&ErrorCode::AlreadyExists))
            );
            let unclaimed = op.unclaimed().expect("the job is named");
            assert_eq!(unclaimed.id(), "rj-ours");
            assert_eq!(unclaimed.why(), Unclaimed::OutsideOurAttempts);
            let shown = unclaimed.to_string();
            assert!(
                shown.starts_with(
                    "an index named `restored` is being restored from `bk` by job `rj-ours`, \
                     started at "
                ),
                "{shown}"
            );
        }
    }
}

#[test]
fn the_window_opens_one_second_before_what_the_bound_allows() {
    // our first attempt leaves at x.100 s and its 500 comes back 1 ms later with the server's
    // `Date` (x + 90 s, cut): the offset is at least `Date - receive` = 90 s - 0.101 s, so our
    // attempt reached the server no earlier than 0.101 s before the time it shows; with the
    // 1 s margin the window opens 1.101 s before
    for (created_ms, ours) in [(-2000, false), (-1200, false), (-1050, true), (0, true)] {
        let mut sim = Sim::new();
        sim.server_ahead = 90;
        let listing = listing_with_ours_at(&sim, time::Duration::milliseconds(created_ms));
        let first = api_error(500, "UNKNOWN", "oops");
        let (result, _) = start_then_409(&mut sim, first, &listing);
        assert_eq!(result.is_ok(), ours, "{created_ms} ms: {result:?}");
    }
}

#[test]
fn a_job_created_after_our_last_answer_is_not_ours() {
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, 3600);
    let (result, op) = start_then_409(&mut sim, Reply::Fail(TransportKind::Closed), &listing);
    assert_eq!(result.unwrap_err().status(), Some(409));
    assert_eq!(op.unclaimed().unwrap().why(), Unclaimed::OutsideOurAttempts);
}

#[test]
fn an_attempt_that_surely_did_not_take_effect_opens_no_window() {
    for refused in [
        Reply::Fail(TransportKind::Connect),
        with_header(429, "Retry-After", "30", ""),
        api_error(503, "UNAVAILABLE", "busy"),
    ] {
        let mut sim = Sim::new();
        // someone else's restore lands between our refused attempt and our ambiguous one
        let listing = listing_with_ours(&sim, 20);
        let mut refused = Some(refused);
        let mut op =
            config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
        let (result, _) = sim.run(&mut op, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => refused.take().unwrap(),
            (Method::Post, 1) => Reply::Fail(TransportKind::Closed),
            (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "taken"),
            _ => answer(200, listing.clone()),
        });
        assert!(sim.sent[1].request.method == Method::Post);
        let e = result.expect_err("the window opens at the ambiguous attempt");
        assert_eq!(e.status(), Some(409));
        assert_eq!(op.unclaimed().unwrap().why(), Unclaimed::OutsideOurAttempts);
    }
}

#[test]
fn without_a_date_nothing_is_claimed_and_the_job_is_named() {
    for ahead in OFFSETS {
        let mut sim = Sim::new();
        sim.server_ahead = ahead;
        sim.dates = false;
        // even our own lost restore: the client cannot tell it is
        let listing = listing_with_ours(&sim, 0);
        let (result, op) = start_then_409(&mut sim, Reply::Fail(TransportKind::Closed), &listing);
        let e = result.expect_err("no claim without the server's clock");
        assert_eq!(e.status(), Some(409));
        let unclaimed = op.unclaimed().unwrap();
        assert_eq!(unclaimed.why(), Unclaimed::NoServerClock);
        assert!(
            unclaimed.to_string().contains("by job `rj-ours`"),
            "{unclaimed}"
        );
        assert!(
            unclaimed.to_string().contains("no usable `Date`"),
            "{unclaimed}"
        );
    }
    // an unparsable Date is no Date
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, 0);
    let mut op = config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
    let bad = |status| {
        Reply::Answer(
            status,
            vec![("Date", "yesterday".to_owned())],
            String::new(),
        )
    };
    let (result, _) = sim.run(&mut op, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => bad(500),
        (Method::Post, _) => bad(409),
        _ => Reply::Answer(200, vec![("Date", "soon".to_owned())], listing.clone()),
    });
    assert_eq!(result.unwrap_err().status(), Some(409));
    assert_eq!(op.unclaimed().unwrap().why(), Unclaimed::NoServerClock);
}

#[test]
fn dates_that_contradict_each_other_claim_nothing() {
    let mut sim = Sim::new();
    let listing = listing_with_ours(&sim, 0);
    let mut op = config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
    let date = |secs: u64| {
        http_date(time::OffsetDateTime::from(
            sim.wall0 + Duration::from_secs(secs),
        ))
    };
    let (early, late) = (date(0), date(7200));
    let (result, _) = sim.run(&mut op, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Answer(500, vec![("Date", early.clone())], String::new()),
        (Method::Post, _) => Reply::Answer(409, vec![("Date", late.clone())], String::new()),
        _ => answer(200, listing.clone()),
    });
    assert_eq!(result.unwrap_err().status(), Some(409));
    assert_eq!(
        op.unclaimed().unwrap().why(),
        Unclaimed::InconsistentServerClock
    );
}

#[test]
fn a_job_with_no_creation_time_is_named_not_claimed() {
    let mut sim = Sim::new();
    let ours = job_json("rj-null", "bk", "restored", "Pending", "null");
    let listing = format!(r#"{{"data":[{ours}],"pagination":null}}"#);
    let (result, op) = start_then_409(&mut sim, Reply::Fail(TransportKind::Closed), &listing);
    assert_eq!(result.unwrap_err().status(), Some(409));
    let unclaimed = op.unclaimed().unwrap();
    assert_eq!(unclaimed.why(), Unclaimed::NoCreationTime);
    assert!(
        unclaimed.to_string().contains("started at an unknown time"),
        "{unclaimed}"
    );
}

#[test]
fn asking_again_for_the_same_attempt_does_not_move_when_it_was_sent() {
    let sim = Sim::new();
    let listing = listing_with_ours_at(&sim, time::Duration::milliseconds(1));
    let mut op = config().create_index_from_backup(&BackupId::new("bk").unwrap(), &start_request());
    let at = |secs: f64| Now {
        instant: sim.t0 + Duration::from_secs_f64(secs),
        wall: sim.wall0 + Duration::from_secs_f64(secs),
    };
    let date = |secs: f64| http_date(time::OffsetDateTime::from(at(secs).wall));
    assert!(matches!(op.next_step(at(0.0)), Step::Send(_)));
    // the adapter asks again 20 s later (the same attempt), then the connection resets
    assert!(matches!(op.next_step(at(20.0)), Step::Send(_)));
    op.handle(
        Err(TransportError::new(TransportKind::Closed, None)),
        at(20.001),
        0,
    );
    let mut t = 20.001;
    let result = loop {
        match op.next_step(at(t)) {
            Step::Send(attempt) => {
                let (status, body) = match attempt.request.method {
                    Method::Post => (
                        409,
                        r#"{"error":{"code":"ALREADY_EXISTS","message":"taken"},"status":409}"#
                            .to_owned(),
                    ),
                    _ => (200, listing.clone()),
                };
                let headers = [("Date", date(t).into_bytes())];
                let headers: Vec<(&str, &[u8])> =
                    headers.iter().map(|(n, v)| (*n, v.as_slice())).collect();
                t += 0.001;
                let response = Response {
                    status,
                    headers: &headers,
                    body: body.as_bytes(),
                };
                op.handle(Ok(response), at(t), 0);
            }
            Step::Sleep(d) => t += d.as_secs_f64(),
            Step::Yield(never) => match never {},
            Step::Done(result) => break result,
        }
    };
    assert!(
        result.unwrap().recovered(),
        "the window opens at the first asking"
    );
}

// ---- taking, waiting for and retiring backups ----

fn backup_json(id: &str, index: &str, name: &str, status: &str, created: &str) -> String {
    format!(
        r#"{{"backup_id":"{id}","source_index_name":"{index}","source_index_id":"ix","name":"{name}","status":"{status}","cloud":"aws","region":"us-east-1","created_at":{created}}}"#
    )
}

/// The server's time `secs` after our first attempt, quoted, for a `created_at`.
fn created_after(sim: &Sim, secs: i64) -> String {
    let at = pinecone_restore_core::OffsetDateTime::from(sim.wall0)
        + time::Duration::seconds(sim.server_ahead + secs);
    format!("\"{}\"", pinecone_restore_core::format_utc(at).unwrap())
}

fn backup_page(backups: &[String]) -> String {
    format!(r#"{{"data":[{}],"pagination":null}}"#, backups.join(","))
}

fn take_backup(
    sim: &mut Sim,
    server: impl FnMut(&Attempt, usize) -> Reply,
) -> (
    Result<pinecone_restore_core::Backup, Error>,
    Option<Candidate>,
) {
    let request = CreateBackup::new(BackupName::new("nightly-run-7").unwrap());
    let mut op = config().create_backup(&IndexName::new("docs").unwrap(), &request);
    let result = sim.run(&mut op, server).0;
    let candidate = op.unclaimed().cloned();
    (result, candidate)
}

#[test]
fn a_backup_is_taken_with_one_post_and_read_by_the_version_s_success() {
    let mut sim = Sim::new();
    let made = backup_json("bk-1", "docs", "nightly-run-7", "Initializing", "null");
    let (taken, _) = take_backup(&mut sim, |a, _| {
        assert_eq!(a.request.url, "http://127.0.0.1:9/indexes/docs/backups");
        assert_eq!(
            a.request.body.as_deref(),
            Some(&br#"{"name":"nightly-run-7"}"#[..])
        );
        answer(201, made.clone())
    });
    assert_eq!(taken.unwrap().backup_id(), "bk-1");
    assert_eq!(sim.posts(), 1);
    // 2025-04 answers 201: a 200 there is not its success, and what it made is looked for
    let mut sim = Sim::new();
    let (taken, _) = take_backup(&mut sim, |a, _| match a.request.method {
        Method::Post => answer(200, made.clone()),
        _ => answer(200, backup_page(&[])),
    });
    let err = taken.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid response: expected a success status, found 200"
    );
    assert_eq!((sim.posts(), sim.gets()), (1, 1));
}

#[test]
fn after_a_lost_answer_a_backup_is_looked_for_before_any_retry_and_claimed() {
    for lost in [
        Reply::Stall,
        Reply::Fail(TransportKind::Closed),
        api_error(500, "UNKNOWN", "oops"),
        api_error(504, "DEADLINE_EXCEEDED", "gateway timeout"),
    ] {
        let mut sim = Sim::new();
        let ours = backup_json(
            "bk-ours",
            "docs",
            "nightly-run-7",
            "Initializing",
            &created_after(&sim, 0),
        );
        let someone_elses = backup_json("bk-x", "docs", "weekly", "Ready", &created_after(&sim, 0));
        let listing = backup_page(&[someone_elses, ours]);
        let mut lost = Some(lost);
        let (taken, _) = take_backup(&mut sim, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => lost.take().unwrap(),
            (Method::Get, _) => {
                assert_eq!(
                    a.request.url,
                    "http://127.0.0.1:9/indexes/docs/backups?limit=100"
                );
                answer(200, listing.clone())
            }
            _ => unreachable!("no second POST: ours was found"),
        });
        assert_eq!(taken.unwrap().backup_id(), "bk-ours");
        assert_eq!((sim.posts(), sim.gets()), (1, 1));
    }
}

#[test]
fn after_a_lost_answer_that_did_nothing_the_backup_is_sent_again_once() {
    let mut sim = Sim::new();
    let empty = backup_page(&[]);
    let made = backup_json("bk-2", "docs", "nightly-run-7", "Initializing", "null");
    let (taken, _) = take_backup(&mut sim, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Fail(TransportKind::Closed),
        (Method::Get, _) => answer(200, empty.clone()),
        (Method::Post, _) => answer(201, made.clone()),
        _ => unreachable!(),
    });
    assert_eq!(taken.unwrap().backup_id(), "bk-2");
    assert_eq!((sim.posts(), sim.gets()), (2, 1));
    // the lookup comes between the two posts
    assert_eq!(
        sim.sent
            .iter()
            .map(|a| a.request.method)
            .collect::<Vec<_>>(),
        [Method::Post, Method::Get, Method::Post]
    );
}

#[test]
fn a_lookup_page_that_does_not_say_what_it_holds_sends_nothing_again() {
    // `BackupList` requires no key, so a page without `data` lists as empty; but "nothing of
    // ours is there" is what sends a second POST, and an absent key shows nothing absent (a
    // proxy's 200 with other JSON reads the same way)
    for page in [
        "{}",
        r#"{"pagination":null}"#,
        r#"{"restore_job_id":"rj-1","index_id":"ix-1"}"#,
    ] {
        let mut sim = Sim::new();
        let (taken, candidate) = take_backup(&mut sim, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => Reply::Fail(TransportKind::Closed),
            (Method::Get, _) => answer(200, page.to_owned()),
            _ => unreachable!("no second POST on a page without `data`: {page}"),
        });
        let err = taken.unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid response: expected key `data`, found none",
            "{page}"
        );
        assert!(candidate.is_none());
        assert_eq!((sim.posts(), sim.gets()), (1, 1), "{page}");
    }
    // the same page is an empty listing where nothing is decided from it
    let config = config();
    let listing = IndexBackups::new(IndexName::new("docs").unwrap());
    let mut call = config.list_index_backups_page(&listing, None, None);
    let mut sim = Sim::new();
    let page = sim
        .run(&mut call, |_, _| answer(200, "{}".to_owned()))
        .0
        .unwrap();
    assert!(page.backups.is_empty() && page.next.is_none());
}

#[test]
fn a_backup_with_our_name_from_another_time_is_named_and_nothing_is_sent_again() {
    let mut sim = Sim::new();
    let old = backup_json(
        "bk-old",
        "docs",
        "nightly-run-7",
        "Ready",
        &created_after(&sim, -3600),
    );
    let listing = backup_page(&[old]);
    let (taken, candidate) = take_backup(&mut sim, |a, n| match (a.request.method, n) {
        (Method::Post, 0) => Reply::Stall,
        (Method::Get, _) => answer(200, listing.clone()),
        _ => unreachable!("never a second POST while a backup of that name is unexplained"),
    });
    let err = taken.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    // a timeout, but sending the create again could take a second backup
    assert!(!err.is_retryable(), "{err}");
    let named = err.candidate().expect("the candidate rides on the error");
    assert_eq!(named.id(), "bk-old");
    assert_eq!(named.why(), Unclaimed::OutsideOurAttempts);
    assert_eq!(candidate.as_ref(), Some(named));
    assert!(
        err.to_string().contains(
            "found backup `bk-old` named `nightly-run-7` of index `docs` (Ready), created at "
        ),
        "{err}"
    );
    assert_eq!((sim.posts(), sim.gets()), (1, 1));
}

#[test]
fn a_refused_backup_create_is_sent_again_without_a_lookup() {
    for refused in [
        with_header(429, "Retry-After", "1", ""),
        Reply::Fail(TransportKind::Connect),
    ] {
        let mut sim = Sim::new();
        let mut refused = Some(refused);
        let made = backup_json("bk-3", "docs", "nightly-run-7", "Initializing", "null");
        let (taken, _) = take_backup(&mut sim, |_, n| match n {
            0 => refused.take().unwrap(),
            _ => answer(201, made.clone()),
        });
        assert_eq!(taken.unwrap().backup_id(), "bk-3");
        assert_eq!((sim.posts(), sim.gets()), (2, 0));
    }
    // a 503 may come after the backup was taken: looked up before it is sent again
    let mut sim = Sim::new();
    let made = backup_json("bk-3", "docs", "nightly-run-7", "Initializing", "null");
    let mut posts = 0;
    let (taken, _) = take_backup(&mut sim, |a, _| match a.request.method {
        Method::Post => {
            posts += 1;
            if posts == 1 {
                api_error(503, "UNAVAILABLE", "reset before headers")
            } else {
                answer(201, made.clone())
            }
        }
        _ => answer(200, backup_page(&[])),
    });
    assert_eq!(taken.unwrap().backup_id(), "bk-3");
    assert_eq!((sim.posts(), sim.gets()), (2, 1));
    // the quota: the API's refusal, not retried
    let mut sim = Sim::new();
    let (taken, _) = take_backup(&mut sim, |_, _| {
        api_error(403, "FORBIDDEN", "Backup quota exceeded")
    });
    assert_eq!(taken.unwrap_err().status(), Some(403));
    assert_eq!(sim.posts(), 1);
}

#[test]
fn a_backup_wait_ends_ready_failed_or_at_the_deadline() {
    for (statuses, ended) in [
        (&["Initializing", "Initializing", "Ready"][..], "completed"),
        (&["Initializing", "Failed"][..], "ended"),
        (&["InitializationFailed"][..], "ended"),
    ] {
        let mut sim = Sim::new();
        let mut op = config().wait_backup(&BackupId::new("bk-1").unwrap(), &wait_options(None));
        let (outcome, seen) = sim.run(&mut op, |a, n| {
            assert_eq!(a.request.url, "http://127.0.0.1:9/backups/bk-1");
            answer(200, backup_json("bk-1", "docs", "n", statuses[n], "null"))
        });
        let outcome = outcome.unwrap();
        let kind = match &outcome {
            WaitOutcome::Completed(_) => "completed",
            WaitOutcome::Ended(_) => "ended",
            _ => "other",
        };
        assert_eq!(kind, ended, "{statuses:?}");
        assert_eq!(seen.len(), statuses.len());
    }
    let mut sim = Sim::new();
    let mut op = config().wait_backup(&BackupId::new("bk-1").unwrap(), &wait_options(Some(3)));
    let (outcome, _) = sim.run(&mut op, |_, _| {
        answer(
            200,
            backup_json("bk-1", "docs", "n", "Initializing", "null"),
        )
    });
    assert!(matches!(
        outcome.unwrap(),
        WaitOutcome::DeadlinePassed(Some(_))
    ));
}

#[test]
fn a_delete_whose_answer_was_lost_finds_the_backup_gone() {
    let mut sim = Sim::new();
    let mut op = config().delete_backup(&BackupId::new("bk 1").unwrap());
    let (deleted, _) = sim.run(&mut op, |a, n| {
        assert_eq!(a.request.method, Method::Delete);
        assert_eq!(a.request.url, "http://127.0.0.1:9/backups/bk%201");
        match n {
            0 => Reply::Stall,
            _ => api_error(404, "NOT_FOUND", "Backup bk 1 not found"),
        }
    });
    assert_eq!(deleted.unwrap(), Deletion::AlreadyGone);
    let mut sim = Sim::new();
    let mut op = config().delete_backup(&BackupId::new("bk-1").unwrap());
    let (deleted, _) = sim.run(&mut op, |_, _| {
        api_error(
            412,
            "FAILED_PRECONDITION",
            "a pending restore job was created from this backup",
        )
    });
    assert_eq!(deleted.unwrap_err().status(), Some(412));
    assert_eq!(sim.sent.len(), 1);
}

/// A listing of restore jobs: `rj-run` still restoring from `bk-b`.
fn restores_page() -> String {
    let running = job_json("rj-run", "bk-b", "x", "Pending", "null");
    let done = job_json("rj-done", "bk-a", "y", "Completed", "null");
    format!(r#"{{"data":[{running},{done}],"pagination":null}}"#)
}

#[test]
fn a_prune_plan_is_made_from_complete_listings_on_the_server_clock() {
    let mut sim = Sim::new();
    sim.server_ahead = 86_400 * 3;
    let day = |d: i64| created_after(&sim, -86_400 * d);
    let backups = backup_page(&[
        backup_json("bk-a", "docs", "a", "Ready", &day(10)),
        backup_json("bk-b", "docs", "b", "Ready", &day(9)),
        backup_json("bk-c", "docs", "c", "Ready", &day(8)),
        backup_json("bk-d", "docs", "d", "Ready", &day(1)),
        backup_json("bk-e", "docs", "e", "Failed", &day(7)),
        backup_json("bk-f", "docs", "f", "Initializing", &day(6)),
    ]);
    let retention = Retention::newest(1).older_than(Duration::from_secs(2 * 86_400));
    let mut op = config().plan_prune(&IndexName::new("docs").unwrap(), &retention);
    let (plan, _) = sim.run(&mut op, |a, _| {
        if a.request.url.contains("/indexes/docs/backups") {
            answer(200, backups.clone())
        } else {
            assert!(
                a.request.url.ends_with("/restore-jobs?limit=100"),
                "{}",
                a.request.url
            );
            answer(200, restores_page())
        }
    });
    let plan = plan.unwrap();
    assert!(!plan.refused);
    let gone: Vec<&str> = plan.to_delete().map(|b| b.backup_id()).collect();
    // d: newest Ready (and young); c: beyond the newest, old; b: in use; a: old; e: failed;
    // f: still being taken
    assert_eq!(gone, ["bk-e", "bk-c", "bk-a"]);
    let why = |id: &str| {
        plan.decisions
            .iter()
            .find(|d| d.backup.backup_id() == id)
            .map(|d| d.reasons.clone())
            .unwrap()
    };
    assert_eq!(why("bk-d"), [Reason::Newest(1), Reason::Younger]);
    assert_eq!(why("bk-b"), [Reason::InUse("rj-run".into())]);
    assert_eq!(why("bk-f"), [Reason::NotSettled]);

    // a page that fails: no plan at all
    let mut sim = Sim::new();
    let mut op = config().plan_prune(&IndexName::new("docs").unwrap(), &retention);
    let (plan, _) = sim.run(&mut op, |a, _| {
        if a.request.url.contains("/indexes/docs/backups") {
            answer(200, backups.clone())
        } else {
            api_error(403, "PERMISSION_DENIED", "no")
        }
    });
    assert_eq!(plan.unwrap_err().status(), Some(403));

    // no Date: an age cannot be told, nothing is deleted
    let mut sim = Sim::new();
    sim.dates = false;
    let mut op = config().plan_prune(&IndexName::new("docs").unwrap(), &retention);
    let (plan, _) = sim.run(&mut op, |a, _| {
        if a.request.url.contains("/indexes/docs/backups") {
            answer(200, backups.clone())
        } else {
            answer(200, restores_page())
        }
    });
    let plan = plan.unwrap();
    assert!(plan.refused && plan.to_delete().next().is_none());
}

#[test]
fn a_prune_deletes_one_at_a_time_and_stops_at_the_first_failure() {
    let backup = |id: &str| {
        pinecone_restore_core::Backup::new(id, "docs", "ix", BackupStatus::Failed, "aws", "r")
            .with_created_at(pinecone_restore_core::OffsetDateTime::from_unix_timestamp(0).ok())
    };
    let plan = plan_prune(
        &[backup("bk-1"), backup("bk-2"), backup("bk-3")],
        &[],
        &Retention::newest(0),
        None,
    );
    assert_eq!(plan.to_delete().count(), 3);
    let mut sim = Sim::new();
    let mut op = config().prune(&plan);
    let (report, done) = sim.run(&mut op, |a, _| {
        if a.request.url.ends_with("bk-2") {
            api_error(412, "FAILED_PRECONDITION", "in use")
        } else {
            answer(202, "")
        }
    });
    let report = report.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(report.deleted.len(), 1);
    let (failed, error) = report.failed.expect("bk-2 failed");
    assert_eq!((failed.backup_id(), error.status()), ("bk-2", Some(412)));
    assert_eq!(report.not_tried.len(), 1);
    assert_eq!(sim.sent.len(), 2, "nothing after the failure");
}

// ---- backup schedules (2026-07) ------------------------------------------------------------

fn config_2026_07() -> Config {
    builder().api_version("2026-07").build().unwrap()
}

fn schedule_json(id: &str, name: &str, enabled: bool, created: &str) -> String {
    let next = if enabled {
        r#""2026-12-08T06:00:00Z""#
    } else {
        "null"
    };
    format!(
        r#"{{"schedule_id":"{id}","name":"{name}","index_id":"ix","project_id":"p","schedule_type":"time-based","frequency":"daily","retention_expire_after_days":7,"enabled":{enabled},"next_scheduled_run":{next},"created_at":{created}}}"#
    )
}

fn schedule_page(schedules: &[String]) -> String {
    format!(r#"{{"data":[{}],"pagination":null}}"#, schedules.join(","))
}

/// Creates the schedule `nightly` of `docs` against `server`: the result, whether it was
/// found by the lookup, and the candidate not claimed.
fn make_schedule(
    sim: &mut Sim,
    server: impl FnMut(&Attempt, usize) -> Reply,
) -> (
    Result<pinecone_restore_core::BackupSchedule, Error>,
    bool,
    Option<Candidate>,
) {
    let request = pinecone_restore_core::CreateSchedule::new(
        pinecone_restore_core::ScheduleName::new("nightly").unwrap(),
        pinecone_restore_core::Frequency::Daily,
        pinecone_restore_core::RetainDays::new(7).unwrap(),
    );
    let mut op = config_2026_07().create_schedule(&IndexName::new("docs").unwrap(), &request);
    let result = sim.run(&mut op, server).0;
    (result, op.was_recovered(), op.unclaimed().cloned())
}

#[test]
fn a_schedule_is_created_with_one_post() {
    let mut sim = Sim::new();
    let made = schedule_json("s-1", "nightly", true, &created_after(&sim, 0));
    let (result, recovered, _) = make_schedule(&mut sim, |a, _| {
        assert_eq!(a.request.method, Method::Post);
        assert_eq!(
            a.request.url,
            "http://127.0.0.1:9/indexes/docs/backup-schedules"
        );
        answer(200, made.clone())
    });
    assert_eq!(result.unwrap().schedule_id(), "s-1");
    assert!(!recovered);
    assert_eq!(sim.sent.len(), 1);
}

#[test]
fn a_lost_schedule_create_is_recovered_through_the_409_and_only_ours_is_claimed() {
    for lost in [
        Reply::Stall,
        Reply::Fail(TransportKind::Closed),
        api_error(503, "UNAVAILABLE", "reset before headers"),
    ] {
        let mut sim = Sim::new();
        let ours = schedule_json("s-ours", "nightly", true, &created_after(&sim, 0));
        let old = schedule_json("s-old", "nightly", false, &created_after(&sim, -86_400));
        let mut lost = Some(lost);
        let (result, recovered, _) = make_schedule(&mut sim, |a, n| match (a.request.method, n) {
            (Method::Post, 0) => lost.take().unwrap(),
            (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "an enabled schedule exists"),
            _ => {
                assert_eq!(
                    a.request.url,
                    "http://127.0.0.1:9/indexes/docs/backup-schedules?limit=100"
                );
                answer(200, schedule_page(&[old.clone(), ours.clone()]))
            }
        });
        assert_eq!(result.unwrap().schedule_id(), "s-ours");
        assert!(recovered);
        assert_eq!((sim.posts(), sim.gets()), (2, 1));
    }
    // the enabled schedule of the index is someone else's (an hour old), or has another
    // name: the 409 is the error, the one of our name is named and not claimed
    for (theirs, named) in [("nightly", true), ("their-schedule", false)] {
        let mut sim = Sim::new();
        let enabled = schedule_json("s-x", theirs, true, &created_after(&sim, -3_600));
        let (result, recovered, candidate) =
            make_schedule(&mut sim, |a, n| match (a.request.method, n) {
                (Method::Post, 0) => Reply::Stall,
                (Method::Post, _) => api_error(409, "ALREADY_EXISTS", "an enabled schedule exists"),
                _ => answer(200, schedule_page(std::slice::from_ref(&enabled))),
            });
        let err = result.unwrap_err();
        assert_eq!(err.status(), Some(409), "{err}");
        assert!(!recovered);
        assert_eq!(candidate.is_some(), named, "{candidate:?}");
        assert_eq!(err.candidate().is_some(), named);
    }
    // a 409 to the first attempt is someone else's schedule: no lookup
    let mut sim = Sim::new();
    let (result, _, _) = make_schedule(&mut sim, |_, _| {
        api_error(409, "ALREADY_EXISTS", "an enabled schedule exists")
    });
    assert_eq!(result.unwrap_err().status(), Some(409));
    assert_eq!((sim.posts(), sim.gets()), (1, 0));
}

#[test]
fn a_schedule_is_changed_by_a_patch_retried_as_a_get_and_deleted_once() {
    let id = pinecone_restore_core::ScheduleId::new("s-1").unwrap();
    let change = pinecone_restore_core::UpdateSchedule::new().enabled(false);
    let mut sim = Sim::new();
    let disabled = schedule_json("s-1", "nightly", false, &created_after(&sim, 0));
    let mut op = config_2026_07().update_schedule(&id, &change);
    let (updated, _) = sim.run(&mut op, |a, n| {
        assert_eq!(a.request.method, Method::Patch);
        assert_eq!(
            a.request.body.as_deref(),
            Some(&br#"{"enabled":false}"#[..])
        );
        match n {
            0 => Reply::Stall,
            1 => api_error(503, "UNAVAILABLE", "busy"),
            _ => answer(200, disabled.clone()),
        }
    });
    assert!(!updated.unwrap().enabled());
    assert_eq!(sim.sent.len(), 3);

    let mut sim = Sim::new();
    let mut op = config_2026_07().delete_schedule(&id);
    let (deleted, _) = sim.run(&mut op, |_, _| answer(204, ""));
    assert_eq!(deleted.unwrap(), Deletion::Deleted);
    let mut sim = Sim::new();
    let mut op = config_2026_07().delete_schedule(&id);
    let (deleted, _) = sim.run(&mut op, |_, n| match n {
        0 => Reply::Stall,
        _ => api_error(404, "NOT_FOUND", "no such schedule"),
    });
    assert_eq!(deleted.unwrap(), Deletion::AlreadyGone);
    let mut sim = Sim::new();
    let mut op = config_2026_07().delete_schedule(&id);
    let (deleted, _) = sim.run(&mut op, |_, _| api_error(404, "NOT_FOUND", "no"));
    assert!(deleted.unwrap_err().is_not_found());
    // before 2026-07, nothing is sent
    let mut sim = Sim::new();
    let mut op = config().delete_schedule(&id);
    let (refused, _) = sim.run(&mut op, |_, _| unreachable!("nothing is sent"));
    assert!(refused.unwrap_err().is_invalid_argument());
}
