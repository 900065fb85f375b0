//! Injected faults: each kind, FIFO order, one request each.

mod fake_support;

use fake_support::{agent, get_with};
use pinecone_restore_fake::{FakeControlPlane, Fault};

fn server() -> (pinecone_restore_fake::FakeServer, String) {
    let server = FakeControlPlane::builder().jobs(5).start().unwrap();
    let url = format!("{}/restore-jobs", server.base_url());
    (server, url)
}

#[test]
fn too_many_requests_carries_retry_after() {
    let (server, url) = server();
    server.inject(Fault::TooManyRequests {
        retry_after: "7".to_owned(),
    });
    let reply = get_with(&agent(), &url, None);
    assert_eq!(reply.status, 429);
    assert_eq!(reply.header("retry-after"), Some("7"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.code(), "RESOURCE_EXHAUSTED");
    assert_eq!(reply.json()["status"], 429);
}

#[test]
fn status_faults_have_fitting_codes() {
    let (server, url) = server();
    let agent = agent();
    for (status, code) in [
        (500, "UNKNOWN"),
        (503, "UNAVAILABLE"),
        (403, "PERMISSION_DENIED"),
        (504, "DEADLINE_EXCEEDED"),
        (400, "INVALID_ARGUMENT"),
    ] {
        server.inject(Fault::Status(status));
        let reply = get_with(&agent, &url, None);
        assert_eq!(reply.status, status);
        assert_eq!(reply.code(), code);
        assert_eq!(reply.json()["status"], status);
    }
}

#[test]
fn html_bad_gateway_looks_like_nginx() {
    let (server, url) = server();
    server.inject(Fault::HtmlBadGateway);
    let reply = get_with(&agent(), &url, None);
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("text/html"));
    assert!(reply.body.contains("<h1>502 Bad Gateway</h1>") && reply.body.contains("nginx"));
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());
}

#[test]
fn unauthorized_fault_even_without_a_key_configured() {
    let (server, url) = server();
    server.inject(Fault::Unauthorized);
    let reply = get_with(&agent(), &url, Some("fine"));
    assert_eq!(reply.status, 401);
    assert_eq!(reply.code(), "UNAUTHENTICATED");
}

#[test]
fn empty_body_has_no_content() {
    let (server, url) = server();
    server.inject(Fault::EmptyBody(503));
    let reply = get_with(&agent(), &url, None);
    assert_eq!(reply.status, 503);
    assert_eq!(reply.body, "");
    assert_eq!(reply.header("content-type"), None);
    assert!(reply.header("x-pinecone-request-id").is_some());
}

#[test]
fn faults_are_used_in_order_one_per_request_then_normal_answers_resume() {
    let (server, url) = server();
    server.inject(Fault::Status(500));
    server.inject(Fault::EmptyBody(502));
    server.inject(Fault::TooManyRequests {
        retry_after: "Wed, 21 Oct 2015 07:28:00 GMT".to_owned(),
    });
    let agent = agent();
    // the fault answers whatever the path
    let describe = format!("{url}/unknown-id");
    let statuses: Vec<_> = [&url, &describe, &url, &url]
        .iter()
        .map(|u| get_with(&agent, u, None).status)
        .collect();
    assert_eq!(statuses, [500, 502, 429, 200]);
    let recorded: Vec<_> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(recorded, [500, 502, 429, 200]);
}
