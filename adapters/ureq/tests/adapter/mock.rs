//! Scenarios against mockito: headers, token encoding, pages, retries, error bodies.

use std::time::{Duration, Instant};

use mockito::{Matcher, Server};
use pinecone_restore_ureq::core::InvalidResponseKind;
use pinecone_restore_ureq::{ErrorCode, JobId, Limit, RetryPolicy};

use crate::support::{KEY, builder, client, job_json, page_json};

fn limit(n: u64) -> Option<Limit> {
    Some(Limit::new(n).unwrap())
}

fn ids(jobs: &[pinecone_restore_ureq::RestoreJob]) -> Vec<&str> {
    jobs.iter().map(|j| j.restore_job_id()).collect()
}

#[test]
fn every_request_carries_key_version_and_user_agent() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/restore-jobs/job-1")
        .match_header("api-key", KEY)
        .match_header("x-pinecone-api-version", "2025-04")
        .match_header(
            "user-agent",
            Matcher::Regex("^pinecone-restore-core/[0-9.]+$".into()),
        )
        .match_header("accept", "application/json")
        .match_header("authorization", Matcher::Missing)
        .with_body(job_json("job-1"))
        .create();

    let job = client(&server.url())
        .describe(&JobId::new("job-1").unwrap())
        .unwrap();
    assert_eq!(job.restore_job_id(), "job-1");
    mock.assert();
}

#[test]
fn tokens_and_ids_are_percent_encoded() {
    let mut server = Server::new();
    let token = "dXNlcjox+Mg==/xyz";
    let first = server
        .mock("GET", "/restore-jobs?limit=2")
        .with_body(page_json(&["a", "b"], Some(token)))
        .create();
    let second = server
        .mock(
            "GET",
            "/restore-jobs?limit=2&paginationToken=dXNlcjox%2BMg%3D%3D%2Fxyz",
        )
        .with_body(page_json(&["c"], None))
        .create();
    let describe = server
        .mock("GET", "/restore-jobs/a%2Fb%20c%3F")
        .with_body(job_json("a/b c?"))
        .create();

    let client = client(&server.url());
    let page = client.list_page(limit(2), None).unwrap();
    assert_eq!(page.next.as_deref(), Some(token));
    let page = client.list_page(limit(2), page.next.as_deref()).unwrap();
    assert_eq!(ids(&page.jobs), ["c"]);
    let job = client.describe(&JobId::new("a/b c?").unwrap()).unwrap();
    assert_eq!(job.restore_job_id(), "a/b c?");
    first.assert();
    second.assert();
    describe.assert();
}

#[test]
fn a_walk_over_overlapping_pages_yields_each_job_once() {
    let mut server = Server::new();
    let pages = [
        (None, page_json(&["a", "b", "c"], Some("t1+"))),
        (Some("t1%2B"), page_json(&["c", "d", "e"], Some("t2/"))),
        (Some("t2%2F"), page_json(&["d", "e", "f"], Some("t3="))),
        (Some("t3%3D"), page_json(&["f", "g"], None)),
    ];
    let mocks: Vec<_> = pages
        .iter()
        .map(|(token, body)| {
            let path = match token {
                None => "/restore-jobs?limit=3".to_owned(),
                Some(t) => format!("/restore-jobs?limit=3&paginationToken={t}"),
            };
            server.mock("GET", path.as_str()).with_body(body).create()
        })
        .collect();

    let client = client(&server.url());
    let mut jobs = client.list_all(limit(3));
    let mut seen = Vec::new();
    for job in jobs.by_ref() {
        seen.push(job.unwrap().restore_job_id().to_owned());
    }
    assert_eq!(seen, ["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(jobs.pages(), 4);
    assert_eq!(jobs.duplicates_skipped(), 4);
    assert_eq!(jobs.resume_token(), None);
    for mock in mocks {
        mock.assert();
    }
}

#[test]
fn a_server_that_hands_back_a_visited_token_is_caught() {
    let mut server = Server::new();
    server
        .mock("GET", "/restore-jobs?limit=2")
        .with_body(page_json(&["a", "b"], Some("again")))
        .create();
    let looping = server
        .mock("GET", "/restore-jobs?limit=2&paginationToken=again")
        .with_body(page_json(&["c", "d"], Some("again")))
        .expect(1)
        .create();

    let client = client(&server.url());
    let mut jobs = client.list_all(limit(2));
    let results: Vec<_> = jobs.by_ref().collect();
    assert_eq!(results.len(), 5, "four jobs, then the error, then nothing");
    let err = results.last().unwrap().as_ref().unwrap_err();
    assert!(err.is_invalid_response(), "{err:?}");
    let kind = match err.core() {
        Some(pinecone_restore_ureq::core::Error::InvalidResponse(e)) => e.kind(),
        other => panic!("{other:?}"),
    };
    assert_eq!(kind, InvalidResponseKind::PaginationLoop);
    assert!(jobs.next().is_none());
    assert_eq!(jobs.resume_token(), Some("again"));
    looping.assert();
}

#[test]
fn a_503_with_retry_after_is_retried_after_that_long() {
    let mut server = Server::new();
    let unavailable = server
        .mock("GET", "/restore-jobs")
        .with_status(503)
        .with_header("retry-after", "1")
        .with_body(r#"{"status":503,"error":{"code":"UNAVAILABLE","message":"try later"}}"#)
        .expect(1)
        .create();
    let ok = server
        .mock("GET", "/restore-jobs")
        .with_body(page_json(&["a"], None))
        .expect(1)
        .create();

    let started = Instant::now();
    let page = client(&server.url()).list_page(None, None).unwrap();
    let elapsed = started.elapsed();

    assert_eq!(ids(&page.jobs), ["a"]);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    unavailable.assert();
    ok.assert();
}

#[test]
fn retries_stop_at_the_policy_limit_with_the_last_answer() {
    let mut server = Server::new();
    let failing = server
        .mock("GET", "/restore-jobs")
        .with_status(500)
        .with_header("x-pinecone-request-id", "req-500")
        .with_body(r#"{"status":500,"error":{"code":"UNKNOWN","message":"boom"}}"#)
        .expect(3)
        .create();

    let err = builder(&server.url())
        .max_retries(2)
        .build()
        .unwrap()
        .list_page(None, None)
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some(&ErrorCode::Unknown));
    assert_eq!(err.request_id(), Some("req-500"));
    assert!(err.is_retryable());
    failing.assert();
}

#[test]
fn client_errors_are_never_retried() {
    for (status, code) in [
        (400u16, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
    ] {
        let mut server = Server::new();
        let mock = server
            .mock("GET", "/restore-jobs/job-1")
            .with_status(usize::from(status))
            .with_body(format!(
                r#"{{"status":{status},"error":{{"code":"{code}","message":"no"}}}}"#
            ))
            .expect(1)
            .create();

        let err = client(&server.url())
            .describe(&JobId::new("job-1").unwrap())
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code().map(ErrorCode::as_str), Some(code));
        assert!(!err.is_retryable());
        assert!(!err.to_string().contains(KEY));
        mock.assert();
    }
}

#[test]
fn an_html_error_page_from_a_proxy_is_an_api_error() {
    let mut server = Server::new();
    server
        .mock("GET", "/restore-jobs")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body(
            "<html><head><title>502 Bad Gateway</title></head>\
             <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
        .create();

    let err = builder(&server.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
        .list_page(None, None)
        .unwrap_err();
    assert!(err.is_api());
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);
    let api = err.core().and_then(|e| e.api()).unwrap();
    assert_eq!(api.body_snippet(), Some("502 Bad Gateway"));
}

#[test]
fn a_200_with_an_empty_body_is_an_invalid_response() {
    let mut server = Server::new();
    server.mock("GET", "/restore-jobs").with_body("").create();

    let err = client(&server.url()).list_page(None, None).unwrap_err();
    assert!(err.is_invalid_response(), "{err:?}");
    assert!(!err.is_retryable());
}

#[test]
fn a_server_echoing_the_key_does_not_get_it_into_errors() {
    let mut server = Server::new();
    let echoed = format!(
        r#"{{"error":{{"code":"UNAUTHENTICATED","message":"key {KEY} is not valid"}},"status":401}}"#
    );
    server
        .mock("GET", "/restore-jobs/job-1")
        .with_status(401)
        .with_header("x-request-id", &format!("req-{KEY}"))
        .with_body(echoed)
        .create();
    server
        .mock("GET", "/restore-jobs/job-2")
        .with_body(job_json("job-2").replace("2025-01-01T00:00:00Z", KEY))
        .create();
    let client = client(&server.url());
    for id in ["job-1", "job-2"] {
        let err = client.describe(&JobId::new(id).unwrap()).unwrap_err();
        let shown = format!("{err} / {err:?}");
        assert!(!shown.contains(KEY), "{shown}");
    }
    let err = client.describe(&JobId::new("job-1").unwrap()).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(
        err.to_string().contains("key <redacted> is not valid"),
        "{err}"
    );
}
