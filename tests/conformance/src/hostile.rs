//! Scenarios from a hostile-server review: whatever the server does, the client stays within
//! its bounds and never shows the key.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mockito::{Matcher, Server};
use pinecone_restore_core::{
    InvalidResponseKind, JobId, MAX_PAGES_WITHOUT_NEW_JOBS, MAX_TOKEN_LEN, WaitOptions, WaitOutcome,
};

use crate::api::*;
use crate::support::{RawServer, job_json, ok_response, page_json, reset, send};
use crate::{Adapter, KEY, client, no_key_in};

/// A server that hands the key back as a pagination token gets it shown nowhere.
pub fn the_key_sent_back_as_a_token_never_shows<A: Adapter>() {
    let mut server = Server::new();
    server
        .mock("GET", Matcher::Any)
        .with_body(page_json(&["a"], Some(KEY)))
        .create();
    let client = client::<A>(&server.url());
    no_key_in(&list_page::<A>(&client, None, None).unwrap_err());
    let walked = list_all::<A>(&client, None, None);
    no_key_in(&walked.error.unwrap_or_else(|| panic!("no error")));
    assert!(walked.resume_token.is_none());
}

/// A server that hands out fresh tokens forever with no new job is walked a bounded number of
/// pages.
pub fn fresh_tokens_forever_stop_the_walk<A: Adapter>() {
    let mut server = Server::new();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    server
        .mock("GET", Matcher::Any)
        .with_body_from_request(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            page_json(&["same"], Some(&format!("fresh-{n}"))).into_bytes()
        })
        .create();
    let walked = list_all::<A>(&client::<A>(&server.url()), None, None);
    let err = walked.error.unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::NoProgress),
        "{err}"
    );
    assert_eq!(walked.items.len(), 1);
    assert_eq!(
        served.load(Ordering::SeqCst),
        1 + MAX_PAGES_WITHOUT_NEW_JOBS as usize
    );
}

/// A token that grows a kilobyte a page is refused as an invalid answer before a request
/// could carry it.
pub fn a_growing_token_is_refused_before_it_is_sent<A: Adapter>() {
    let mut server = Server::new();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    let longest_url = Arc::new(AtomicUsize::new(0));
    let longest = Arc::clone(&longest_url);
    server
        .mock("GET", Matcher::Any)
        .with_body_from_request(move |request| {
            longest.fetch_max(request.path_and_query().len(), Ordering::SeqCst);
            let n = counter.fetch_add(1, Ordering::SeqCst);
            page_json(&[&format!("j{n}")], Some(&"t".repeat(1024 * (n + 1)))).into_bytes()
        })
        .create();
    let walked = list_all::<A>(&client::<A>(&server.url()), None, None);
    let err = walked.error.unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::InvalidValue),
        "{err}"
    );
    assert!(err.to_string().len() < 300, "{err}");
    assert!(longest_url.load(Ordering::SeqCst) < 3 * MAX_TOKEN_LEN + 100);
    let token = walked
        .resume_token
        .unwrap_or_else(|| panic!("no resume token"));
    assert!(token.as_str().len() <= MAX_TOKEN_LEN);
}

/// `wait` with a 2 s timeout against a server that accepts and never answers returns within
/// about 2 s: the deadline bounds every poll's timeout and retries.
pub fn a_wait_against_a_stalling_server_ends_at_its_deadline<A: Adapter>() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let base = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream); // accept, never answer
            if held.len() > 64 {
                break;
            }
        }
    });
    let options = WaitOptions::default()
        .interval(Duration::from_millis(100))
        .timeout(Some(Duration::from_secs(2)));
    let started = Instant::now();
    let (outcome, _) = wait::<A>(
        &client::<A>(&base),
        &JobId::new("j").unwrap_or_else(|e| panic!("{e}")),
        &options,
    );
    let elapsed = started.elapsed();
    assert!(
        matches!(outcome, Ok(WaitOutcome::DeadlinePassed(None))),
        "{outcome:?}"
    );
    assert!(elapsed < Duration::from_millis(3000), "{elapsed:?}");
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
}

/// A connection reset while describing during a wait is retried, not the end of the wait.
pub fn a_reset_during_a_wait_is_retried<A: Adapter>() {
    let server = RawServer::start(2, |n, mut stream, _| {
        if n == 0 {
            send(
                &mut stream,
                b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"restore",
            );
            std::thread::sleep(Duration::from_millis(50));
            reset(stream);
        } else {
            send(&mut stream, &ok_response(&job_json("j")));
        }
    });
    let options = WaitOptions::default().interval(Duration::from_millis(10));
    let (outcome, seen) = wait::<A>(
        &client::<A>(&server.base_url),
        &JobId::new("j").unwrap_or_else(|e| panic!("{e}")),
        &options,
    );
    assert!(
        matches!(outcome, Ok(WaitOutcome::Completed(_))),
        "{outcome:?}"
    );
    assert_eq!(seen.len(), 1);
    server.finish();
}
