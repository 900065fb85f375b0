//! Injected faults: each kind, FIFO order, one request each, per-endpoint queues, and the
//! connection-level ones (dropped, stalled, processed but never answered).

mod fake_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use fake_support::{
    Ended, RawExchange, agent, get, get_with, post, raw_exchange, raw_request, send,
};
use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, FakeServer, Fault};

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

/// A server with a Ready backup `b` and five jobs.
fn restorable() -> FakeServer {
    FakeControlPlane::builder()
        .backup(FakeBackup::ready("b"))
        .jobs(5)
        .start()
        .unwrap()
}

fn create_url(server: &FakeServer) -> String {
    format!("{}/backups/b/create-index", server.base_url())
}

/// POSTs a create-index over a raw connection and reads whatever comes back.
fn raw_create(server: &FakeServer, name: &str, timeout: Duration) -> RawExchange {
    let body = format!(r#"{{"name":"{name}"}}"#);
    raw_exchange(
        server.addr(),
        &raw_request("POST", "/backups/b/create-index", &body),
        timeout,
    )
}

fn first_listed_target(server: &FakeServer) -> String {
    let page = get(&format!("{}/restore-jobs", server.base_url())).json();
    page["data"][0]["target_index_name"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn error_fault_has_exactly_its_code_and_message() {
    let server = restorable();
    for (status, code, message) in [
        (
            402,
            "PAYMENT_REQUIRED",
            "Request failed. Pay all past due invoices to lift restrictions on your account.",
        ),
        (
            403,
            "FORBIDDEN",
            "Increase your quota or upgrade to create more indexes.",
        ),
        (
            403,
            "PERMISSION_DENIED",
            "Access denied: Permission control::backups::list is required",
        ),
    ] {
        server.inject_on(
            Endpoint::CreateIndex,
            Fault::Error {
                status,
                code: code.to_owned(),
                message: message.to_owned(),
            },
        );
        let reply = post(&create_url(&server), r#"{"name":"x"}"#);
        assert_eq!(reply.status, status);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let expected = serde_json::json!({
            "error": { "code": code, "message": message },
            "status": status,
        });
        assert_eq!(reply.json(), expected);
    }
    assert_eq!(
        server.stats().restores_created,
        0,
        "the request was not processed"
    );

    // JSON whatever the version and status
    server.inject(Fault::Error {
        status: 401,
        code: "UNAUTHENTICATED".to_owned(),
        message: "nope".to_owned(),
    });
    let reply =
        fake_support::get_version(&format!("{}/restore-jobs", server.base_url()), "2026-07");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (401, "UNAUTHENTICATED")
    );
}

#[test]
fn text_unauthorized_is_plain_text_in_every_version() {
    let server = restorable();
    let url = format!("{}/restore-jobs", server.base_url());
    for version in [None, Some("2025-04"), Some("2026-07")] {
        server.inject(Fault::TextUnauthorized);
        let headers: Vec<_> = version
            .map(|v| ("X-Pinecone-Api-Version", v))
            .into_iter()
            .collect();
        let reply = send(&agent(), "GET", &url, &headers, None);
        assert_eq!(reply.status, 401, "{version:?}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(reply.body, "Invalid API key.");
    }
}

#[test]
fn endpoint_queues_come_first_and_wait_for_their_endpoint() {
    let server = restorable();
    let base = server.base_url();
    server.inject(Fault::Status(500));
    server.inject_on(Endpoint::List, Fault::Status(503));
    server.inject_on(Endpoint::List, Fault::EmptyBody(502));
    server.inject_on(Endpoint::CreateIndex, Fault::Status(504));
    server.inject_on(Endpoint::Describe, Fault::Status(429));

    let agent = agent();
    let list = format!("{base}/restore-jobs");
    let describe = format!("{base}/restore-jobs/unknown");
    let statuses: Vec<u16> = [
        &list,     // List queue: 503
        &list,     // List queue: 502
        &list,     // List queue empty: the any-route 500
        &list,     // all empty for List: normal
        &describe, // Describe queue: 429
        &describe, // normal 404
    ]
    .iter()
    .map(|url| get_with(&agent, url, None).status)
    .collect();
    assert_eq!(statuses, [503, 502, 500, 200, 429, 404]);
    // an unknown route only takes faults queued for any request
    assert_eq!(get_with(&agent, &format!("{base}/nope"), None).status, 404);
    // the create-index fault waited for its endpoint
    assert_eq!(post(&create_url(&server), r#"{"name":"x"}"#).status, 504);
    assert_eq!(post(&create_url(&server), r#"{"name":"x"}"#).status, 202);
}

#[test]
fn drop_closes_the_connection_without_an_answer_and_does_nothing() {
    let server = restorable();
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let seen = raw_create(&server, "dropped", Duration::from_secs(5));
    assert!(
        seen.received.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&seen.received)
    );
    assert_ne!(seen.ended, Ended::TimedOut);
    assert_eq!(server.stats().restores_created, 0);
    let record = server.requests().pop().unwrap();
    assert_eq!((record.method.as_str(), record.status), ("POST", 0));

    // nothing was created: the same name is still free; the server still serves
    assert_eq!(
        post(&create_url(&server), r#"{"name":"dropped"}"#).status,
        202
    );

    server.inject(Fault::Drop);
    let seen = raw_exchange(
        server.addr(),
        &raw_request("GET", "/restore-jobs", ""),
        Duration::from_secs(5),
    );
    assert!(seen.received.is_empty());
    assert_ne!(seen.ended, Ended::TimedOut);
}

#[test]
fn process_then_drop_creates_the_restore_but_the_client_never_hears() {
    let server = restorable();
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
    let seen = raw_create(&server, "ghost", Duration::from_secs(5));
    assert!(
        seen.received.is_empty(),
        "no status line: {:?}",
        String::from_utf8_lossy(&seen.received)
    );
    assert_ne!(seen.ended, Ended::TimedOut);

    // the POST took effect: the job is listed first, its index exists
    let stats = server.stats();
    assert_eq!((stats.create_requests, stats.restores_created), (1, 1));
    assert_eq!(first_listed_target(&server), "ghost");
    let retry = post(&create_url(&server), r#"{"name":"ghost"}"#);
    assert_eq!(retry.status, 409);
    assert_eq!(retry.code(), "ALREADY_EXISTS");
    assert_eq!(server.requests().first().unwrap().status, 0);

    // a describe that is processed then dropped still advances the job
    let id =
        get(&format!("{}/restore-jobs", server.base_url())).json()["data"][0]["restore_job_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let before = server.job(&id).unwrap().percent_complete;
    server.inject_on(Endpoint::Describe, Fault::ProcessThenDrop);
    let seen = raw_exchange(
        server.addr(),
        &raw_request("GET", &format!("/restore-jobs/{id}"), ""),
        Duration::from_secs(5),
    );
    assert!(seen.received.is_empty());
    assert_ne!(server.job(&id).unwrap().percent_complete, before);
}

#[test]
fn process_then_status_answers_an_error_after_the_index_was_created() {
    let server = restorable();
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenStatus(502));
    let reply = post(&create_url(&server), r#"{"name":"half"}"#);
    assert_eq!(reply.status, 502);
    assert_eq!(reply.code(), "UNAVAILABLE");
    assert_eq!(reply.json()["status"], 502);
    assert_eq!(server.stats().restores_created, 1);
    assert_eq!(first_listed_target(&server), "half");
    let posted = server.requests().into_iter().find(|r| r.method == "POST");
    assert_eq!(posted.unwrap().status, 502, "the status sent is recorded");
    assert_eq!(post(&create_url(&server), r#"{"name":"half"}"#).status, 409);

    // a refused request stays refused: processing is the normal handling, checks included
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenStatus(504));
    assert_eq!(post(&create_url(&server), r#"{"name":"BAD"}"#).status, 504);
    assert_eq!(server.stats().restores_created, 1);
}

#[test]
fn stall_answers_nothing_for_a_while_then_closes_without_processing() {
    let server = restorable();
    let pause = Duration::from_millis(800);
    server.inject_on(Endpoint::CreateIndex, Fault::Stall(pause));
    let done = AtomicBool::new(false);
    let seen = std::thread::scope(|scope| {
        let stalled = scope.spawn(|| {
            let seen = raw_create(&server, "stalled", Duration::from_secs(10));
            done.store(true, Ordering::SeqCst);
            seen
        });
        // wait until the stalled request has arrived, then show others are still served
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.stats().create_requests == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            get(&format!("{}/restore-jobs", server.base_url())).status,
            200
        );
        assert!(
            !done.load(Ordering::SeqCst),
            "the stall outlasted a whole other request"
        );
        stalled.join().unwrap()
    });
    assert!(seen.received.is_empty());
    assert_ne!(seen.ended, Ended::TimedOut);
    assert!(seen.elapsed >= pause, "{:?}", seen.elapsed);
    assert_eq!(server.stats().restores_created, 0, "not processed");
    assert_eq!(
        post(&create_url(&server), r#"{"name":"stalled"}"#).status,
        202
    );
}

#[test]
fn process_then_stall_creates_at_once_then_answers_nothing() {
    let server = restorable();
    let pause = Duration::from_millis(600);
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenStall(pause));
    let seen = std::thread::scope(|scope| {
        let stalled = scope.spawn(|| raw_create(&server, "slow", Duration::from_secs(10)));
        // the restore exists while the client is still waiting
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.stats().restores_created == 0 {
            assert!(Instant::now() < deadline, "the restore was not created");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(first_listed_target(&server), "slow");
        stalled.join().unwrap()
    });
    assert!(seen.received.is_empty());
    assert_ne!(seen.ended, Ended::TimedOut);
    assert!(seen.elapsed >= pause, "{:?}", seen.elapsed);
}

#[test]
fn a_client_with_a_read_timeout_gives_up_on_a_stall() {
    let server = restorable();
    server.inject(Fault::Stall(Duration::from_secs(2)));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_millis(200)))
        .build()
        .into();
    let started = Instant::now();
    let result = agent
        .get(format!("{}/restore-jobs", server.base_url()))
        .call();
    assert!(result.is_err(), "{:?}", result.map(|r| r.status()));
    assert!(started.elapsed() < Duration::from_secs(2));
}
