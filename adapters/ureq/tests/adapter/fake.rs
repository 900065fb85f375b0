//! Scenarios against the fake control plane: whole walks, waits, faults, connection reuse.

use std::collections::HashSet;
use std::time::Duration;

use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, FakeServer, Fault};
use pinecone_restore_ureq::{Client, ErrorCode, JobId, JobStatus, Limit, WaitOptions, WaitOutcome};

use crate::support::{KEY, builder, client};

fn fast_wait() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(5),
        ..WaitOptions::default()
    }
}

fn id(s: &str) -> JobId {
    JobId::new(s).unwrap()
}

fn start(plane: FakeControlPlane) -> (FakeServer, Client) {
    let server = plane.start().unwrap();
    let client = client(&server.base_url());
    (server, client)
}

#[test]
fn a_walk_over_overlapping_pages_sees_every_job_once_on_one_connection() {
    let (server, client) = start(FakeControlPlane::builder().jobs(1000).page_overlap(3));

    let mut jobs = client.list_all(Some(Limit::MAX));
    let mut seen = HashSet::new();
    for job in jobs.by_ref() {
        let job = job.unwrap();
        assert!(
            seen.insert(job.restore_job_id().to_owned()),
            "{job:?} twice"
        );
    }
    assert_eq!(seen.len(), 1000);
    assert!(jobs.duplicates_skipped() > 0);
    let stats = server.stats();
    assert_eq!(stats.list_requests, jobs.pages());
    assert_eq!(stats.connections, 1);
}

#[test]
fn a_base_url_with_a_path_prefix_is_kept() {
    let server = FakeControlPlane::builder()
        .jobs(3)
        .path_prefix("/gw")
        .start()
        .unwrap();
    assert!(server.base_url().ends_with("/gw"));
    let jobs: Vec<_> = client(&server.base_url())
        .list_all(None)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(jobs.len(), 3);
}

#[test]
fn waiting_on_a_progressing_job_sees_every_snapshot_until_completed() {
    let (server, client) =
        start(FakeControlPlane::builder().job(FakeJob::progressing("r-1", 4, Ending::Completed)));

    let mut snapshots = Vec::new();
    let outcome = client
        .wait(&id("r-1"), &fast_wait(), |job| {
            snapshots.push((
                job.status().clone(),
                job.percent_complete().map(|p| p.get()),
            ));
        })
        .unwrap();

    assert!(matches!(&outcome, WaitOutcome::Completed(j) if j.restore_job_id() == "r-1"));
    assert_eq!(
        snapshots,
        [
            (JobStatus::Pending, Some(25.0)),
            (JobStatus::Pending, Some(50.0)),
            (JobStatus::Pending, Some(75.0)),
            (JobStatus::Completed, Some(100.0)),
        ]
    );
    assert_eq!(server.stats().describe_requests, 4);
}

#[test]
fn waiting_tolerates_early_not_found() {
    let (server, client) = start(
        FakeControlPlane::builder()
            .job(FakeJob::progressing("r-1", 1, Ending::Completed))
            .not_found_polls(2),
    );
    let outcome = client.wait(&id("r-1"), &fast_wait(), |_| {}).unwrap();
    assert!(matches!(outcome, WaitOutcome::Completed(_)));
    assert_eq!(server.stats().describe_requests, 3);
}

#[test]
fn waiting_on_a_failing_job_ends_without_an_error() {
    let (_server, client) =
        start(FakeControlPlane::builder().job(FakeJob::progressing("r-2", 2, Ending::Failed)));
    let outcome = client.wait(&id("r-2"), &fast_wait(), |_| {}).unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Ended(j) if j.status() == &JobStatus::Failed),
        "{outcome:?}"
    );
}

#[test]
fn waiting_past_the_deadline_returns_the_last_snapshot() {
    let (_server, client) = start(FakeControlPlane::builder().job(FakeJob::progressing(
        "r-3",
        1000,
        Ending::Completed,
    )));
    let options = WaitOptions {
        interval: Duration::from_millis(20),
        timeout: Some(Duration::from_millis(150)),
        ..WaitOptions::default()
    };
    let outcome = client.wait(&id("r-3"), &options, |_| {}).unwrap();
    match outcome {
        WaitOutcome::DeadlinePassed(Some(job)) => assert_eq!(job.status(), &JobStatus::Pending),
        other => panic!("{other:?}"),
    }
}

#[test]
fn waiting_on_an_unknown_job_fails_after_the_tolerated_404s() {
    let (server, client) = start(FakeControlPlane::builder().jobs(1));
    let err = client.wait(&id("nope"), &fast_wait(), |_| {}).unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(server.stats().describe_requests, 4);
}

#[test]
fn a_429_is_retried_after_its_retry_after() {
    let (server, client) = start(FakeControlPlane::builder().jobs(5));
    server.inject(Fault::TooManyRequests {
        retry_after: "1".to_owned(),
    });

    let started = std::time::Instant::now();
    let page = client.list_page(None, None).unwrap();
    assert_eq!(page.jobs.len(), 5);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.stats().requests, 2);
}

#[test]
fn an_html_502_then_an_empty_503_are_retried() {
    let (server, client) = start(FakeControlPlane::builder().jobs(2));
    server.inject(Fault::HtmlBadGateway);
    server.inject(Fault::EmptyBody(503));
    let page = client.list_page(None, None).unwrap();
    assert_eq!(page.jobs.len(), 2);
    assert_eq!(server.stats().requests, 3);
    assert_eq!(server.stats().connections, 1);
}

#[test]
fn a_wrong_key_is_a_401_sent_once() {
    let server = FakeControlPlane::builder()
        .jobs(3)
        .api_key(Some("the-right-key"))
        .start()
        .unwrap();
    let err = client(&server.base_url())
        .list_page(None, None)
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some(&ErrorCode::Unauthenticated));
    assert!(err.request_id().is_some());
    assert!(!format!("{err} {err:?}").contains(KEY));
    assert_eq!(server.stats().requests, 1);
}

#[test]
fn describing_an_unknown_job_is_not_found() {
    let (server, client) = start(FakeControlPlane::builder().jobs(3));
    let err = client.describe(&id("no-such-job")).unwrap_err();
    assert!(err.is_api());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(&ErrorCode::NotFound));
    assert_eq!(server.stats().requests, 1);
}

#[test]
fn from_env_vars_reads_key_and_host() {
    let server = FakeControlPlane::builder()
        .jobs(2)
        .api_key(Some("env-key"))
        .start()
        .unwrap();
    let base = server.base_url();
    let client = Client::from_env_vars(|name| match name {
        "PINECONE_API_KEY" => Some("env-key".to_owned()),
        "PINECONE_CONTROLLER_HOST" => Some(base.clone()),
        _ => None,
    })
    .unwrap();
    assert_eq!(client.list_page(None, None).unwrap().jobs.len(), 2);

    // a host without a scheme means https; no host means production
    let client = Client::from_env_vars(|name| match name {
        "PINECONE_API_KEY" => Some("k".to_owned()),
        "PINECONE_CONTROLLER_HOST" => Some("api.example.com".to_owned()),
        _ => None,
    })
    .unwrap();
    assert_eq!(
        client.config().base_url().to_string(),
        "https://api.example.com"
    );
    let client =
        Client::from_env_vars(|name| (name == "PINECONE_API_KEY").then(|| "k".into())).unwrap();
    assert_eq!(
        client.config().base_url().to_string(),
        "https://api.pinecone.io"
    );

    // a missing key, a key with a newline, plain http to a remote host
    let missing = Client::from_env_vars(|_| None).unwrap_err();
    assert!(missing.is_invalid_argument());
    assert!(
        missing.to_string().contains("PINECONE_API_KEY"),
        "{missing}"
    );
    let newline = Client::from_env_vars(|name| {
        (name == "PINECONE_API_KEY").then(|| "secret-key\n".to_owned())
    })
    .unwrap_err();
    assert!(newline.is_invalid_argument());
    assert!(!newline.to_string().contains("secret-key"));
    let insecure = Client::from_env_vars(|name| match name {
        "PINECONE_API_KEY" => Some("k".to_owned()),
        _ => Some("http://example.com".to_owned()),
    })
    .unwrap_err();
    assert!(insecure.is_invalid_argument());
}

#[test]
fn debug_output_never_shows_the_key() {
    let client = builder("http://127.0.0.1:9")
        .proxy(Some("http://user:hunter2@127.0.0.1:3128".to_owned()))
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
}

#[test]
fn invalid_settings_are_refused_before_anything_is_sent() {
    let bad_proxy = builder("http://127.0.0.1:9")
        .proxy(Some("not a url at all".to_owned()))
        .build()
        .unwrap_err();
    assert!(bad_proxy.is_invalid_argument(), "{bad_proxy:?}");
    let zero = builder("http://127.0.0.1:9")
        .request_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(zero.is_invalid_argument());
    let header = builder("http://127.0.0.1:9")
        .header("Api-Key", "other")
        .build()
        .unwrap_err();
    assert!(header.is_invalid_argument());
    assert!(header.core().is_some());
}
