//! Scenarios against mockito: headers, token encoding, pages, retries, error bodies.

use std::time::{Duration, Instant};

use mockito::{Matcher, Server};
use pinecone_restore_core::{
    ErrorCode, InvalidResponseKind, JobId, PaginationToken, RestoreJob, RetryPolicy,
};

use crate::api::*;
use crate::support::{job_json, limit, page_json};
use crate::{Adapter, KEY, client, client_with, config, no_key_in};

fn ids(jobs: &[RestoreJob]) -> Vec<&str> {
    jobs.iter().map(RestoreJob::restore_job_id).collect()
}

fn id(s: &str) -> JobId {
    JobId::new(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Each request carries the key, the version, the `User-Agent` and `Accept`, and nothing else
/// that could carry a credential.
pub fn every_request_carries_key_version_and_user_agent<A: Adapter>() {
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
        .match_header("content-type", Matcher::Missing)
        .with_body(job_json("job-1"))
        .create();
    let job = describe::<A>(&client::<A>(&server.url()), &id("job-1"));
    assert_eq!(
        job.map(|j| j.restore_job_id().to_owned()).ok().as_deref(),
        Some("job-1")
    );
    mock.assert();
}

/// Tokens (base64 `+`, `/`, `=`) and ids are percent-encoded, and come back intact.
pub fn tokens_and_ids_are_percent_encoded<A: Adapter>() {
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
    let described = server
        .mock("GET", "/restore-jobs/a%2Fb%20c%3F")
        .with_body(job_json("a/b c?"))
        .create();

    let client = client::<A>(&server.url());
    let page = list_page::<A>(&client, limit(2), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.next.as_ref().map(PaginationToken::as_str), Some(token));
    let page =
        list_page::<A>(&client, limit(2), page.next.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(&page.jobs), ["c"]);
    let job = describe::<A>(&client, &id("a/b c?")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(job.restore_job_id(), "a/b c?");
    first.assert();
    second.assert();
    described.assert();
}

/// Overlapping pages yield each job once, with the same limit on every page.
pub fn a_walk_over_overlapping_pages_yields_each_job_once<A: Adapter>() {
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

    let walked = list_all::<A>(&client::<A>(&server.url()), limit(3), None);
    assert!(walked.error.is_none(), "{:?}", walked.error);
    assert_eq!(ids(&walked.items), ["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(walked.pages, 4);
    assert_eq!(walked.duplicates, 4);
    assert_eq!(walked.resume_token, None);
    for mock in mocks {
        mock.assert();
    }
}

/// A token handed back a second time stops the walk with a pagination-loop error.
pub fn a_server_that_hands_back_a_visited_token_is_caught<A: Adapter>() {
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

    let walked = list_all::<A>(&client::<A>(&server.url()), limit(2), None);
    assert_eq!(walked.items.len(), 4, "the jobs before the loop are kept");
    let err = walked.error.unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::PaginationLoop)
    );
    assert_eq!(
        walked.resume_token.as_ref().map(PaginationToken::as_str),
        Some("again")
    );
    looping.assert();
}

/// A 503 with `Retry-After: 1` is sent again after a second.
pub fn a_503_with_retry_after_is_retried_after_that_long<A: Adapter>() {
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
    let page = list_page::<A>(&client::<A>(&server.url()), None, None);
    let elapsed = started.elapsed();
    assert_eq!(page.map(|p| p.jobs.len()).ok(), Some(1));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    unavailable.assert();
    ok.assert();
}

/// Retries end at the policy's limit, with the last answer as the error.
pub fn retries_stop_at_the_policy_limit_with_the_last_answer<A: Adapter>() {
    let mut server = Server::new();
    let failing = server
        .mock("GET", "/restore-jobs")
        .with_status(500)
        .with_header("x-pinecone-request-id", "req-500")
        .with_body(r#"{"status":500,"error":{"code":"UNKNOWN","message":"boom"}}"#)
        .expect(3)
        .create();
    let client = client_with::<A>(config(&server.url()).max_retries(2));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some(&ErrorCode::Unknown));
    assert_eq!(err.request_id(), Some("req-500"));
    assert!(err.is_retryable());
    failing.assert();
}

/// 400, 401, 403 and 404 are sent once.
pub fn client_errors_are_never_retried<A: Adapter>() {
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
        let err = describe::<A>(&client::<A>(&server.url()), &id("job-1")).unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code().map(ErrorCode::as_str), Some(code));
        assert!(!err.is_retryable());
        no_key_in(&err);
        mock.assert();
    }
}

/// A proxy's HTML error page is an API error showing the page's title.
pub fn an_html_error_page_from_a_proxy_is_an_api_error<A: Adapter>() {
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
    let client = client_with::<A>(config(&server.url()).retry_policy(RetryPolicy::never()));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert!(err.is_api());
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);
    assert_eq!(
        err.api().and_then(|a| a.body_snippet()),
        Some("502 Bad Gateway")
    );
}

/// A 200 with no body is an answer that cannot be accepted, and is not retried.
pub fn a_200_with_an_empty_body_is_an_invalid_response<A: Adapter>() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/restore-jobs")
        .with_body("")
        .expect(1)
        .create();
    let err = list_page::<A>(&client::<A>(&server.url()), None, None).unwrap_err();
    assert!(err.is_invalid_response(), "{err:?}");
    assert!(!err.is_retryable());
    mock.assert();
}

/// A server that sends the key back, in a message, a request id or a job, cannot get it into
/// an error.
pub fn a_server_echoing_the_key_does_not_get_it_into_errors<A: Adapter>() {
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
    server
        .mock("GET", "/restore-jobs/job-3")
        .with_body(job_json("job-3").replace("idx-1", KEY))
        .create();
    let client = client::<A>(&server.url());
    for job in ["job-1", "job-2", "job-3"] {
        no_key_in(&describe::<A>(&client, &id(job)).unwrap_err());
    }
    let err = describe::<A>(&client, &id("job-1")).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(
        err.to_string().contains("key <redacted> is not valid"),
        "{err}"
    );
}

/// `Retry-After: 0` with the most retries allowed: the requests are bounded, and each retry
/// still waits the policy's floor.
pub fn retry_after_zero_with_the_most_retries_sends_a_bounded_number_of_requests<A: Adapter>() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/restore-jobs")
        .with_status(503)
        .with_header("retry-after", "0")
        .expect(RetryPolicy::MAX_RETRIES as usize + 1)
        .create();
    let client = client_with::<A>(config(&server.url()).max_retries(RetryPolicy::MAX_RETRIES));
    let started = Instant::now();
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(
        started.elapsed() >= Duration::from_millis(10) * RetryPolicy::MAX_RETRIES,
        "{:?}",
        started.elapsed()
    );
    mock.assert();
}

/// A `Retry-After` far beyond the cap ends the call at once, with the wait the server asked.
pub fn a_retry_after_beyond_the_cap_gives_up_at_once<A: Adapter>() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/restore-jobs")
        .with_status(429)
        .with_header("retry-after", "1000000000000")
        .expect(1)
        .create();
    let started = Instant::now();
    let err = list_page::<A>(&client::<A>(&server.url()), None, None).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        err.api().and_then(|a| a.retry_after()),
        Some(Duration::from_secs(1_000_000_000_000))
    );
    mock.assert();
}
