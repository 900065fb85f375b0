//! The endpoint recipe's kinds, run by one `Call`: a `DELETE` whose first answer was lost
//! reads the `404` after it as gone, a `PATCH` is retried as a `GET`, a success that changes
//! with the version is each version's own, a version an endpoint needs is checked before
//! anything is sent.

use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core::{
    ApiKey, ApiVersion, Call, Config, Endpoint, Error, Method, Now, Operation, Response, Retry,
    Step, TransportError, TransportKind,
};

/// What one attempt came to in a script.
#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    Failed(TransportKind),
}

fn config(version: &str) -> Config {
    let mut policy = pinecone_restore_core::RetryPolicy::default();
    policy.base_delay = Duration::from_millis(1);
    policy.min_delay = Duration::from_millis(1);
    Config::builder(ApiKey::new("k").unwrap())
        .base_url("http://127.0.0.1:9")
        .api_version(version)
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// Runs `call` over `script`; the result and the methods sent.
fn run<T>(mut call: Call<T>, script: &[Answer]) -> (Result<T, Error>, Vec<Method>) {
    let now = || Now {
        instant: Instant::now(),
        wall: SystemTime::now(),
    };
    let mut sent = Vec::new();
    let mut script = script.iter();
    loop {
        match call.next_step(now()) {
            Step::Send(attempt) => {
                sent.push(attempt.request.method);
                let outcome = match script.next().expect("an answer for every attempt") {
                    Answer::Status(status) => Ok(Response {
                        status: *status,
                        headers: &[],
                        body: b"{}",
                    }),
                    Answer::Failed(kind) => Err(TransportError::new(*kind, None)),
                };
                call.handle(outcome, now(), 0);
            }
            Step::Sleep(delay) => std::thread::sleep(delay),
            Step::Yield(never) => match never {},
            Step::Done(result) => return (result, sent),
        }
    }
}

/// `DELETE /things/x`, 202, a 404 after an ambiguous attempt read as gone.
fn delete() -> Endpoint<&'static str> {
    Endpoint::new(
        "delete_thing",
        Method::Delete,
        "/things/x".to_owned(),
        &[202],
        |_, status, _| Ok(if status == 404 { "gone" } else { "deleted" }),
    )
    .gone_after_ambiguous()
}

#[test]
fn a_delete_whose_answer_was_lost_reads_the_404_after_it_as_gone() {
    let c = config("2025-04");
    assert_eq!(delete().retry(), Retry::Removal);
    for lost in [
        Answer::Failed(TransportKind::Timeout),
        Answer::Failed(TransportKind::Closed),
        Answer::Status(500),
        Answer::Status(504),
    ] {
        let (result, sent) = run(c.call(delete()), &[lost, Answer::Status(404)]);
        assert_eq!(result.unwrap(), "gone");
        assert_eq!(sent, [Method::Delete, Method::Delete]);
    }
    let (result, _) = run(c.call(delete()), &[Answer::Status(202)]);
    assert_eq!(result.unwrap(), "deleted");
}

#[test]
fn a_404_to_a_delete_that_surely_did_nothing_before_is_not_found() {
    let c = config("2025-04");
    let (result, sent) = run(c.call(delete()), &[Answer::Status(404)]);
    assert!(result.unwrap_err().is_not_found());
    assert_eq!(sent.len(), 1);
    // a refusal (429) and a connect failure did nothing: the 404 after them is the answer
    for refused in [Answer::Status(429), Answer::Failed(TransportKind::Connect)] {
        let (result, _) = run(c.call(delete()), &[refused, Answer::Status(404)]);
        assert!(result.unwrap_err().is_not_found());
    }
    // a 503 may be a proxy's answer after the service deleted it: the 404 after it is gone
    let (result, _) = run(
        c.call(delete()),
        &[Answer::Status(503), Answer::Status(404)],
    );
    assert_eq!(result.unwrap(), "gone");
    // an endpoint that does not read 404 as gone keeps it an error after anything
    let strict = Endpoint::new("d", Method::Delete, "/t".to_owned(), &[204], |_, s, _| {
        Ok(s)
    });
    let lost = Answer::Failed(TransportKind::Timeout);
    let (result, _) = run(c.call(strict), &[lost, Answer::Status(404)]);
    assert!(result.unwrap_err().is_not_found());
}

#[test]
fn a_patch_is_retried_as_a_get() {
    let c = config("2025-04");
    let patch = Endpoint::new(
        "update",
        Method::Patch,
        "/t".to_owned(),
        &[200],
        |_, s, _| Ok(s),
    )
    .body(br#"{"enabled":false}"#.to_vec());
    assert_eq!(patch.retry(), Retry::Idempotent);
    let request = patch.request(&c).unwrap();
    assert_eq!(request.header("content-type"), Some("application/json"));
    let (result, sent) = run(
        c.call(patch),
        &[
            Answer::Failed(TransportKind::Timeout),
            Answer::Status(502),
            Answer::Status(200),
        ],
    );
    assert_eq!(result.unwrap(), 200);
    assert_eq!(sent, [Method::Patch; 3]);
}

#[test]
fn a_success_that_changes_with_the_version_is_each_versions_own() {
    let made = || {
        Endpoint::new("create", Method::Post, "/t".to_owned(), &[], |_, s, _| {
            Ok(s)
        })
        .success_by_version(|v| {
            if v == &ApiVersion::V2026_07 {
                &[200]
            } else {
                &[201]
            }
        })
    };
    let (ok, _) = run(config("2026-07").call(made()), &[Answer::Status(200)]);
    assert_eq!(ok.unwrap(), 200);
    let (ok, _) = run(config("2025-04").call(made()), &[Answer::Status(201)]);
    assert_eq!(ok.unwrap(), 201);
    let (wrong, _) = run(config("2025-04").call(made()), &[Answer::Status(200)]);
    let wrong = wrong.unwrap_err();
    assert!(wrong.is_invalid_response(), "{wrong}");
    assert_eq!(
        wrong.to_string(),
        "invalid response: expected a success status, found 200"
    );
}

#[test]
fn a_plain_call_of_a_create_never_sends_it_twice_after_it_may_have_taken_effect() {
    let c = config("2025-04");
    let create = || {
        Endpoint::new(
            "create",
            Method::Post,
            "/t".to_owned(),
            &[201],
            |_, s, _| Ok(s),
        )
    };
    let (result, sent) = run(
        c.call(create()),
        &[Answer::Failed(TransportKind::Timeout), Answer::Status(201)],
    );
    assert!(result.unwrap_err().is_timeout());
    assert_eq!(sent.len(), 1);
    let (result, sent) = run(
        c.call(create()),
        &[Answer::Status(429), Answer::Status(201)],
    );
    assert_eq!(result.unwrap(), 201, "a 429 did nothing: sent again");
    assert_eq!(sent.len(), 2);
    // a 503 may come after the work was done: never sent twice
    let (result, sent) = run(
        c.call(create()),
        &[Answer::Status(503), Answer::Status(201)],
    );
    assert_eq!(result.unwrap_err().status(), Some(503));
    assert_eq!(sent.len(), 1);
}

#[test]
fn a_version_an_endpoint_needs_is_checked_before_anything_is_sent() {
    let needs = || {
        Endpoint::get("schedules", "/s".to_owned(), |_, s, _| Ok(s)).needs(
            "backup schedules",
            "2026-07",
            |v| v == &ApiVersion::V2026_07,
        )
    };
    let (refused, sent) = run(config("2026-04").call(needs()), &[]);
    assert!(sent.is_empty());
    assert_eq!(
        refused.unwrap_err().to_string(),
        "invalid backup schedules: expected API version 2026-07 or later, found `2026-04`"
    );
    let (ok, _) = run(config("2026-07").call(needs()), &[Answer::Status(200)]);
    assert_eq!(ok.unwrap(), 200);
}
