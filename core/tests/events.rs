//! Each decision is one event, recorded where it is made and handed out in order: driven on a
//! simulated clock, no socket and no real time.

use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core::event::{AttemptOutcome, Event, GiveUp, Next, Wait as Why};
use pinecone_restore_core::{
    ApiKey, Config, ConfigBuilder, JobId, Limit, Now, Operation, Response, RetryPolicy, Step,
    WaitOptions,
};

const KEY: &str = "pcsk_events_SECRET_0123456789";

fn builder() -> ConfigBuilder {
    Config::builder(ApiKey::new(KEY).unwrap()).base_url("http://127.0.0.1:9")
}

/// Drives `op` to its end: each attempt takes 5 ms and gets `server(n)` (status, headers, body);
/// returns every event, taken after every step as `drive` does.
fn run<O: Operation>(
    op: &mut O,
    mut server: impl FnMut(usize) -> (u16, Vec<(&'static str, String)>, String),
) -> Vec<Event> {
    let (t0, wall0) = (Instant::now(), SystemTime::now());
    let mut elapsed = Duration::ZERO;
    let now = |elapsed| Now {
        instant: t0 + elapsed,
        wall: wall0 + elapsed,
    };
    let mut events = Vec::new();
    let mut sent = 0;
    op.record_events(true);
    for _ in 0..10_000 {
        let step = op.next_step(now(elapsed));
        op.drain_events(&mut |e| events.push(e));
        match step {
            Step::Send(_) => {
                let (status, headers, body) = server(sent);
                sent += 1;
                elapsed += Duration::from_millis(5);
                let headers: Vec<(&str, &[u8])> =
                    headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
                let response = Response {
                    status,
                    headers: &headers,
                    body: body.as_bytes(),
                };
                op.handle(Ok(response), now(elapsed), 7);
                op.drain_events(&mut |e| events.push(e));
            }
            Step::Sleep(d) => elapsed += d,
            Step::Yield(_) => {}
            Step::Done(_) => return events,
        }
    }
    panic!("did not end");
}

fn job(id: &str) -> String {
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null}}"#
    )
}

fn attempts(events: &[Event]) -> Vec<(u32, AttemptOutcome, Next)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Attempted {
                attempt,
                outcome,
                next,
                elapsed,
                ..
            } => {
                assert_eq!(*elapsed, Duration::from_millis(5), "{e:?}");
                Some((*attempt, *outcome, *next))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_retry_after_beyond_the_cap_gives_up_at_once_and_says_why() {
    let config = builder().build().unwrap();
    let mut call = config.list_page(None, None);
    let events = run(&mut call, |_| {
        (503, vec![("Retry-After", "3600".into())], String::new())
    });
    assert_eq!(
        attempts(&events),
        [(
            1,
            AttemptOutcome::Status(503),
            Next::GiveUp(GiveUp::RetryAfterTooLong)
        )]
    );
    assert_eq!(events.len(), 1, "{events:?}");
}

#[test]
fn every_attempt_is_one_event_and_the_last_names_the_bound() {
    let mut policy = RetryPolicy::default();
    policy.max_retries = 2;
    let config = builder().retry_policy(policy).build().unwrap();
    let mut call = config.describe(&JobId::new("j").unwrap());
    let events = run(&mut call, |_| (500, vec![], String::new()));
    let seen = attempts(&events);
    assert_eq!(seen.len(), 3, "{events:?}");
    assert!(matches!(
        seen[0].2,
        Next::Retry {
            why: Why::Backoff,
            ..
        }
    ));
    assert!(matches!(
        seen[1].2,
        Next::Retry {
            why: Why::Backoff,
            ..
        }
    ));
    assert_eq!(seen[2].2, Next::GiveUp(GiveUp::RetriesUsedUp));
    assert_eq!(events.len(), 3, "nothing said twice: {events:?}");
    let Event::Attempted { path, query, .. } = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!((path.as_str(), query.as_str()), ("/restore-jobs/j", ""));
}

#[test]
fn a_retry_that_would_not_fit_the_budget_gives_up_at_the_deadline() {
    let mut policy = RetryPolicy::default();
    policy.budget = Duration::from_millis(300);
    policy.max_retries = 10;
    let config = builder().retry_policy(policy).build().unwrap();
    let mut call = config.list_page(None, None);
    let events = run(&mut call, |_| (503, vec![], String::new()));
    let seen = attempts(&events);
    assert_eq!(
        seen.last().map(|a| a.2),
        Some(Next::GiveUp(GiveUp::Deadline))
    );
    assert!(seen.len() >= 2, "{events:?}");
}

#[test]
fn a_walk_says_its_attempts_and_pages_in_order() {
    let config = builder().build().unwrap();
    let mut walk = config.walk(Some(Limit::new(2).unwrap()), None);
    let token = "dG9rZW4".repeat(30);
    let events = run(&mut walk, |n| {
        let body = match n {
            0 => format!(
                r#"{{"data":[{},{}],"pagination":{{"next":"{token}"}}}}"#,
                job("a"),
                job("b")
            ),
            _ => format!(
                r#"{{"data":[{},{}],"pagination":null}}"#,
                job("b"),
                job("c")
            ),
        };
        (200, vec![], body)
    });
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Event::Attempted { .. } => "attempt",
            Event::Page { .. } => "page",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["attempt", "page", "attempt", "page"]);
    assert_eq!(
        events[1],
        Event::Page {
            number: 1,
            what: "jobs",
            items: 2,
            duplicates: 0,
            next: Some("dG9rZW…(210 bytes)".to_owned())
        }
    );
    assert_eq!(
        events[3],
        Event::Page {
            number: 2,
            what: "jobs",
            items: 2,
            duplicates: 1,
            next: None
        }
    );
    let Event::Attempted { query, .. } = &events[2] else {
        panic!("{events:?}");
    };
    assert_eq!(query, "limit=2&paginationToken=dG9rZW…(210 bytes)");
}

#[test]
fn a_wait_says_each_poll_and_each_tolerated_404() {
    let config = builder().build().unwrap();
    let options = WaitOptions::default()
        .interval(Duration::from_secs(2))
        .not_found_tolerance(1);
    let mut wait = config.wait(&JobId::new("j").unwrap(), &options);
    let events = run(&mut wait, |n| match n {
        0 => (404, vec![], String::new()),
        1 => (200, vec![], job("j")),
        _ => (200, vec![], job("j").replace("Pending", "Completed")),
    });
    let said: Vec<String> = events
        .iter()
        .filter(|e| !matches!(e, Event::Attempted { .. }))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        said,
        [
            "j not found yet (1 of 1 tolerated while a restore starts)",
            "poll 1: j is Pending; next poll in 2 s",
            "poll 2: j is Completed; done",
        ]
    );
}

#[test]
fn a_wait_on_several_jobs_says_each_round_and_each_describe() {
    let config = builder().build().unwrap();
    let options = WaitOptions::default()
        .interval(Duration::from_secs(2))
        .not_found_tolerance(1);
    let ids = [JobId::new("a").unwrap(), JobId::new("b").unwrap()];
    let mut wait = config.wait_all(&ids, &options);
    // round 1: the listing shows a, b is described (404); round 2: both described
    let events = run(&mut wait, |n| match n {
        0 => (
            200,
            vec![],
            format!(r#"{{"data":[{}],"pagination":null}}"#, job("a")),
        ),
        1 => (404, vec![], String::new()),
        2 => (200, vec![], job("a").replace("Pending", "Completed")),
        _ => (200, vec![], job("b").replace("Pending", "Failed")),
    });
    let said: Vec<String> = events
        .iter()
        .filter(|e| !matches!(e, Event::Attempted { .. }))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        said,
        [
            "page 1: 1 job; last page",
            "b not found yet (1 of 1 tolerated while a restore starts)",
            "round 1: 1 page of jobs walked, 1 seen there, 1 described; 2 still followed; next \
             round in 2 s",
            "poll 2: a is Completed; done",
            "poll 1: b is Failed; done",
            "round 2: 0 pages of jobs walked, 0 seen there, 2 described; 0 still followed",
        ]
    );
    let attempts = events
        .iter()
        .filter(|e| matches!(e, Event::Attempted { .. }))
        .count();
    assert_eq!(attempts, 4, "each attempt is one event");
}

#[test]
fn nothing_is_recorded_until_asked() {
    let config = builder().build().unwrap();
    let mut call = config.list_page(None, None);
    let (t0, wall) = (Instant::now(), SystemTime::now());
    let now = Now { instant: t0, wall };
    assert!(matches!(call.next_step(now), Step::Send(_)));
    call.handle(
        Ok(Response {
            status: 503,
            headers: &[],
            body: b"",
        }),
        now,
        1,
    );
    call.drain_events(&mut |e| panic!("recorded while off: {e:?}"));
}

#[test]
fn the_key_is_in_no_event() {
    let config = builder().build().unwrap();
    let mut call = config.describe(&JobId::new(KEY).unwrap());
    let events = run(&mut call, |_| (404, vec![], String::new()));
    assert_eq!(events.len(), 1);
    for event in &events {
        assert!(!event.to_string().contains(KEY), "{event}");
        assert!(!format!("{event:?}").contains(KEY), "{event:?}");
    }
}
