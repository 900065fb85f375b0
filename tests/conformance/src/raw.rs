//! Scenarios on raw sockets: what the client sends byte for byte, redirects, stalls, drips,
//! resets, truncated, endless and compressed bodies.

use std::io::{ErrorKind, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use pinecone_restore_core::{InvalidResponseKind, JobId, Limit, RetryPolicy, TransportKind};

use crate::api::*;
use crate::support::{
    RawServer, closed_port, ok_response, page_json, read_head, reset, send, wait_for_close,
};
use crate::{Adapter, KEY, client, client_with, config, no_key_in};

/// The headers on the wire are exactly core's, plus what HTTP itself needs.
pub fn sends_exactly_the_headers_core_built<A: Adapter>() {
    let server = RawServer::start(1, |_, mut stream, head| {
        send(&mut stream, &ok_response(&page_json(&[], None)));
        head
    });
    let base = server.base_url.clone();
    let client = client_with::<A>(
        config(&base)
            .user_agent_tag("my-tool/1.2")
            .header("X-Gateway", "gw-7"),
    );
    list_page::<A>(&client, Limit::new(5).ok(), None).unwrap_or_else(|e| panic!("{e}"));

    let head = server.finish().remove(0);
    let mut lines = head.lines();
    assert_eq!(lines.next(), Some("GET /restore-jobs?limit=5 HTTP/1.1"));
    let mut headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.sort();
    let host = base.trim_start_matches("http://").to_owned();
    let expected: Vec<(String, String)> = [
        ("accept", "application/json"),
        ("accept-encoding", "gzip"),
        ("api-key", KEY),
        ("host", &host),
        (
            "user-agent",
            &format!(
                "pinecone-restore-core/{} my-tool/1.2",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        ("x-gateway", "gw-7"),
        ("x-pinecone-api-version", "2025-04"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    assert_eq!(headers, expected);
}

/// A redirect is an API error carrying its `Location`; the other host never sees the key.
pub fn a_redirect_is_not_followed_and_the_key_stays_home<A: Adapter>() {
    // the second listener stands for another host: it must never see a connection
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = elsewhere.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let target = format!("http://{addr}/restore-jobs/stolen");
    let location = target.clone();
    let server = RawServer::start(1, move |_, mut stream, _| {
        let response = format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
        );
        send(&mut stream, response.as_bytes());
    });
    let id = JobId::new("job-1").unwrap_or_else(|e| panic!("{e}"));
    let err = describe::<A>(&client::<A>(&server.base_url), &id).unwrap_err();
    server.finish();

    assert!(err.is_api(), "{err:?}");
    assert_eq!(err.status(), Some(307));
    assert_eq!(err.api().and_then(|a| a.location()), Some(target.as_str()));
    no_key_in(&err);

    // whatever might have reached the other host, record whether the key did
    let _ = elsewhere.set_nonblocking(true);
    let key_arrived = match elsewhere.accept() {
        Ok((mut stream, _)) => {
            let _ = stream.set_nonblocking(false);
            read_head(&mut stream).contains(KEY)
        }
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("{e}"),
    };
    assert!(!key_arrived, "the API key was sent to the redirect target");
    assert!(
        matches!(elsewhere.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "the redirect target got a connection"
    );
}

/// A server that accepts and never answers: the request timeout ends the call.
pub fn a_server_that_never_answers_hits_the_request_timeout<A: Adapter>() {
    let server = RawServer::start(1, |_, stream, _| wait_for_close(stream));
    let client = client_with::<A>(
        config(&server.base_url)
            .request_timeout(Duration::from_millis(800))
            .max_retries(0),
    );
    let started = Instant::now();
    let err = list_page::<A>(&client, None, None).unwrap_err();
    let elapsed = started.elapsed();
    drop(client);
    server.finish();

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

/// A timeout on a `GET` is retried, and the retry can succeed.
pub fn a_timeout_is_retried_and_the_retry_succeeds<A: Adapter>() {
    let server = RawServer::start(2, |n, mut stream, _| {
        if n == 0 {
            wait_for_close(stream);
        } else {
            send(&mut stream, &ok_response(&page_json(&["a"], None)));
        }
    });
    let client = client_with::<A>(
        config(&server.base_url)
            .request_timeout(Duration::from_millis(500))
            .max_retries(1),
    );
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    drop(client);
    server.finish();
    assert_eq!(page.jobs.len(), 1);
}

/// A body that arrives a byte a second cannot hold the call past its timeout.
pub fn a_body_dripping_a_byte_a_second_hits_the_request_timeout<A: Adapter>() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n",
        );
        // one byte a second until the client has gone (a write then fails)
        for _ in 0..100 {
            if stream.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    let client = client_with::<A>(
        config(&server.base_url)
            .request_timeout(Duration::from_millis(1500))
            .max_retries(0),
    );
    let started = Instant::now();
    let err = list_page::<A>(&client, None, None).unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Timeout),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(1400) && elapsed < Duration::from_secs(4),
        "{elapsed:?}"
    );
    drop(server); // the dripping thread ends on its own once its writes fail
}

fn reset_mid_body(stream: std::net::TcpStream) {
    let mut stream = stream;
    send(
        &mut stream,
        b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"data\":[",
    );
    std::thread::sleep(Duration::from_millis(100));
    reset(stream);
}

/// A reset in the middle of the body is a connection closed early.
pub fn a_reset_in_the_middle_of_the_body_is_closed_early<A: Adapter>() {
    let server = RawServer::start(1, |_, stream, _| reset_mid_body(stream));
    let client = client_with::<A>(config(&server.base_url).max_retries(0));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    server.finish();
    assert_eq!(err.transport_kind(), Some(TransportKind::Closed), "{err:?}");
    assert!(err.is_retryable());
}

/// A reset on a `GET` is retried like a timeout.
pub fn a_reset_on_a_get_is_retried<A: Adapter>() {
    let server = RawServer::start(2, |n, mut stream, _| {
        if n == 0 {
            reset_mid_body(stream);
        } else {
            send(&mut stream, &ok_response(&page_json(&["a"], None)));
        }
    });
    let client = client_with::<A>(config(&server.base_url).max_retries(1));
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    drop(client);
    server.finish();
    assert_eq!(page.jobs.len(), 1);
}

/// A body shorter than its `Content-Length` is a connection closed early.
pub fn a_body_shorter_than_its_content_length_is_closed_early<A: Adapter>() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"data\":[],\"pagination\":null}",
        );
        let _ = stream.shutdown(std::net::Shutdown::Write);
        wait_for_close(stream);
    });
    let client = client_with::<A>(config(&server.base_url).max_retries(0));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    drop(client);
    server.finish();
    assert_eq!(err.transport_kind(), Some(TransportKind::Closed), "{err:?}");
}

/// An endless body stops at the cap: an answer that cannot be accepted.
pub fn an_endless_body_stops_at_the_cap<A: Adapter>() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
        let mut sent = 0usize;
        // endless as far as the client can tell; the thread stops once the client has gone
        while stream.write_all(chunk.as_bytes()).is_ok() {
            sent += 0x4000;
            assert!(sent < 64 << 20, "the client kept reading past its cap");
        }
        sent
    });
    let cap = 256 * 1024;
    let client = client_with::<A>(config(&server.base_url).max_body_bytes(cap).max_retries(0));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::TooLarge),
        "{err:?}"
    );
    assert!(err.to_string().contains(&cap.to_string()), "{err}");
    drop(client); // closes the pooled connection, if any, so the server's writes fail
    let sent = server.finish().remove(0);
    assert!(sent >= cap as usize);
}

fn gzip_response(body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    head.extend_from_slice(body);
    head
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).unwrap_or_else(|e| panic!("{e}"));
    encoder.finish().unwrap_or_else(|e| panic!("{e}"))
}

/// A corrupt gzip body is an answer that cannot be accepted, not a transport failure.
pub fn a_corrupt_gzip_body_is_an_invalid_response<A: Adapter>() {
    let mut corrupt = gzip(page_json(&["a"], None).as_bytes());
    let middle = corrupt.len() / 2;
    corrupt[middle..].fill(0x5a);
    let server = RawServer::start(1, move |_, mut stream, _| {
        send(&mut stream, &gzip_response(&corrupt))
    });
    let client = client_with::<A>(config(&server.base_url).max_retries(0));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    server.finish();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::Undecodable),
        "{err:?}"
    );
}

/// The cap counts decompressed bytes: a small gzip body that inflates past it is refused.
pub fn the_cap_applies_to_the_decompressed_size<A: Adapter>() {
    let bomb = gzip(&vec![b' '; 4 << 20]);
    assert!(bomb.len() < 64 * 1024);
    let server = RawServer::start(1, move |_, mut stream, _| {
        send(&mut stream, &gzip_response(&bomb))
    });
    let client = client_with::<A>(
        config(&server.base_url)
            .max_body_bytes(1 << 20)
            .max_retries(0),
    );
    let err = list_page::<A>(&client, None, None).unwrap_err();
    server.finish();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::TooLarge),
        "{err:?}"
    );
}

/// A gzip body is decompressed and parsed.
pub fn a_gzip_body_is_decompressed<A: Adapter>() {
    let body = gzip(page_json(&["a", "b"], None).as_bytes());
    let server = RawServer::start(1, move |_, mut stream, _| {
        send(&mut stream, &gzip_response(&body))
    });
    let client = client_with::<A>(config(&server.base_url).retry_policy(RetryPolicy::never()));
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    drop(client);
    server.finish();
    assert_eq!(page.jobs.len(), 2);
}

/// A refused connection is a connect error naming the server.
pub fn a_refused_connection_is_a_connect_error<A: Adapter>() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    let client = client_with::<A>(config(&base).max_retries(1));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("could not connect to `{base}`")),
        "{err}"
    );
}
