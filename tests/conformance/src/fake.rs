//! Scenarios against the fake control plane: whole walks, waits, faults, connection reuse.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use pinecone_restore_core::{ErrorCode, JobId, JobStatus, Limit, WaitOptions, WaitOutcome};
use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, FakeServer, Fault};

use crate::api::*;
use crate::support::assert_kept_alive;
use crate::{Adapter, KEY, client, config, no_key_in};

fn fast_wait() -> WaitOptions {
    WaitOptions::default().interval(Duration::from_millis(5))
}

fn id(s: &str) -> JobId {
    JobId::new(s).unwrap_or_else(|e| panic!("{e}"))
}

fn start<A: Adapter>(plane: FakeControlPlane) -> (FakeServer, A::Client) {
    let server = plane.start().unwrap_or_else(|e| panic!("{e}"));
    let client = client::<A>(&server.base_url());
    (server, client)
}

/// 1,000 jobs over overlapping pages: each once, every page on one kept-alive connection.
pub fn a_walk_over_overlapping_pages_sees_every_job_once_on_one_connection<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(1000).page_overlap(3));
    let walked = list_all::<A>(&client, Some(Limit::MAX), None);
    assert!(walked.error.is_none(), "{:?}", walked.error);
    let mut seen = HashSet::new();
    for job in &walked.items {
        assert!(
            seen.insert(job.restore_job_id().to_owned()),
            "{job:?} twice"
        );
    }
    assert_eq!(seen.len(), 1000);
    assert!(walked.duplicates > 0);
    let stats = server.stats();
    assert_eq!(stats.list_requests, walked.pages);
    assert_kept_alive(stats.connections, stats.list_requests);
}

/// A base URL with a path prefix keeps it.
pub fn a_base_url_with_a_path_prefix_is_kept<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(3).path_prefix("/gw"));
    assert!(server.base_url().ends_with("/gw"));
    let walked = list_all::<A>(&client, None, None);
    assert!(walked.error.is_none());
    assert_eq!(walked.items.len(), 3);
}

/// A wait sees every snapshot of a progressing job until it completes.
pub fn waiting_on_a_progressing_job_sees_every_snapshot_until_completed<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().job(FakeJob::progressing(
        "r-1",
        4,
        Ending::Completed,
    )));
    let (outcome, snapshots) = wait::<A>(&client, &id("r-1"), &fast_wait());
    assert!(matches!(&outcome, Ok(WaitOutcome::Completed(j)) if j.restore_job_id() == "r-1"));
    let seen: Vec<(JobStatus, Option<f64>)> = snapshots
        .iter()
        .map(|j| (j.status().clone(), j.percent_complete().map(|p| p.get())))
        .collect();
    assert_eq!(
        seen,
        [
            (JobStatus::Pending, Some(25.0)),
            (JobStatus::Pending, Some(50.0)),
            (JobStatus::Pending, Some(75.0)),
            (JobStatus::Completed, Some(100.0)),
        ]
    );
    assert_eq!(server.stats().describe_requests, 4);
}

/// The first 404s of a job just started are tolerated.
pub fn waiting_tolerates_early_not_found<A: Adapter>() {
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .job(FakeJob::progressing("r-1", 1, Ending::Completed))
            .not_found_polls(2),
    );
    let (outcome, _) = wait::<A>(&client, &id("r-1"), &fast_wait());
    assert!(
        matches!(outcome, Ok(WaitOutcome::Completed(_))),
        "{outcome:?}"
    );
    assert_eq!(server.stats().describe_requests, 3);
}

/// A job that fails ends the wait without an error.
pub fn waiting_on_a_failing_job_ends_without_an_error<A: Adapter>() {
    let (_server, client) =
        start::<A>(FakeControlPlane::builder().job(FakeJob::progressing("r-2", 2, Ending::Failed)));
    let (outcome, _) = wait::<A>(&client, &id("r-2"), &fast_wait());
    assert!(
        matches!(&outcome, Ok(WaitOutcome::Ended(j)) if j.status() == &JobStatus::Failed),
        "{outcome:?}"
    );
}

/// At the deadline the wait returns the last snapshot.
pub fn waiting_past_the_deadline_returns_the_last_snapshot<A: Adapter>() {
    let (_server, client) = start::<A>(FakeControlPlane::builder().job(FakeJob::progressing(
        "r-3",
        1000,
        Ending::Completed,
    )));
    let options = WaitOptions::default()
        .interval(Duration::from_millis(20))
        .timeout(Some(Duration::from_millis(150)));
    match wait::<A>(&client, &id("r-3"), &options).0 {
        Ok(WaitOutcome::DeadlinePassed(Some(job))) => {
            assert_eq!(job.status(), &JobStatus::Pending)
        }
        other => panic!("{other:?}"),
    }
}

/// An unknown job fails the wait after the tolerated 404s.
pub fn waiting_on_an_unknown_job_fails_after_the_tolerated_404s<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(1));
    let (outcome, _) = wait::<A>(&client, &id("nope"), &fast_wait());
    assert!(outcome.unwrap_err().is_not_found());
    assert_eq!(server.stats().describe_requests, 4);
}

/// A 429 is retried after its `Retry-After`.
pub fn a_429_is_retried_after_its_retry_after<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(5));
    server.inject(Fault::TooManyRequests {
        retry_after: "1".to_owned(),
    });
    let started = Instant::now();
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.jobs.len(), 5);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.stats().requests, 2);
}

/// A proxy's HTML 502 and an empty 503 are retried, on the same connection.
pub fn an_html_502_then_an_empty_503_are_retried<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(2));
    server.inject(Fault::HtmlBadGateway);
    server.inject(Fault::EmptyBody(503));
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.jobs.len(), 2);
    assert_eq!(server.stats().requests, 3);
    assert_eq!(server.stats().connections, 1);
}

/// A wrong key is one 401, not retried.
pub fn a_wrong_key_is_a_401_sent_once<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .jobs(3)
        .api_key(Some("the-right-key"))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = list_page::<A>(&client::<A>(&server.base_url()), None, None).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some(&ErrorCode::Unauthenticated));
    assert!(err.request_id().is_some());
    no_key_in(&err);
    assert_eq!(server.stats().requests, 1);
}

/// Describing an unknown job is a 404 `NOT_FOUND`, sent once.
pub fn describing_an_unknown_job_is_not_found<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(3));
    let err = describe::<A>(&client, &id("no-such-job")).unwrap_err();
    assert!(err.is_api());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(&ErrorCode::NotFound));
    assert_eq!(server.stats().requests, 1);
}

/// Dropping a walk after a few jobs sends no request after the drop.
pub fn dropping_a_walk_sends_no_more_requests<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(500));
    let jobs = list_first::<A>(&client, Limit::new(10).ok(), 15);
    assert_eq!(jobs.len(), 15);
    let after_drop = server.stats().list_requests;
    assert_eq!(after_drop, 2, "only the pages the jobs taken came from");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        server.stats().list_requests,
        after_drop,
        "a request after the drop"
    );
}

/// A client's `Debug` never shows the key or a proxy's password.
pub fn debug_output_never_shows_the_key<A: Adapter>() {
    let client = A::client_with_proxy(
        config("http://127.0.0.1:9"),
        "http://user:hunter2@127.0.0.1:3128",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
}

/// A proxy URL that does not parse is refused before anything is sent, without quoting it.
pub fn a_bad_proxy_is_refused_before_anything_is_sent<A: Adapter>() {
    let err = match A::client_with_proxy(config("http://127.0.0.1:9"), "not a url at all: pw") {
        Err(e) => e,
        Ok(_) => panic!("a bad proxy was accepted"),
    };
    assert!(err.is_invalid_argument(), "{err:?}");
    assert!(!err.to_string().contains("pw"), "{err}");
}
