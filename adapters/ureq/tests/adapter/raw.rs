//! Scenarios on raw sockets: what the client sends byte for byte, redirects, stalls, resets,
//! truncated and endless bodies.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use pinecone_restore_ureq::{JobId, Limit, TransportKind};

use crate::support::{KEY, RawServer, builder, client, page_json, send, wait_for_close};

fn ok_response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn sends_exactly_the_headers_core_built() {
    let server = RawServer::start(1, |_, mut stream, head| {
        send(&mut stream, &ok_response(&page_json(&[], None)));
        head
    });
    let client = builder(&server.base_url)
        .user_agent_tag("my-tool/1.2")
        .header("X-Gateway", "gw-7")
        .build()
        .unwrap();
    client
        .list_page(Some(Limit::new(5).unwrap()), None)
        .unwrap();

    let head = server.finish().remove(0);
    let mut lines = head.lines();
    assert_eq!(lines.next(), Some("GET /restore-jobs?limit=5 HTTP/1.1"));
    let mut headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    headers.sort();
    let port = server_port(&client);
    let expected: Vec<(String, String)> = [
        ("accept", "application/json"),
        ("accept-encoding", "gzip"),
        ("api-key", KEY),
        ("host", &format!("127.0.0.1:{port}")),
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

fn server_port(client: &pinecone_restore_ureq::Client) -> u16 {
    client.config().base_url().port().unwrap()
}

#[test]
fn a_redirect_is_not_followed_and_the_key_stays_home() {
    // the second listener stands for another host: it must never see a connection
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = format!(
        "http://{}/restore-jobs/stolen",
        elsewhere.local_addr().unwrap()
    );
    let location = target.clone();
    let server = RawServer::start(1, move |_, mut stream, _| {
        let response = format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
        );
        send(&mut stream, response.as_bytes());
    });

    let err = client(&server.base_url)
        .describe(&JobId::new("job-1").unwrap())
        .unwrap_err();
    server.finish();

    assert!(err.is_api(), "{err:?}");
    assert_eq!(err.status(), Some(307));
    let api = err.core().and_then(|e| e.api()).unwrap();
    assert_eq!(api.location(), Some(target.as_str()));
    assert!(!err.to_string().contains(KEY));

    // whatever might have reached the other host, record whether the key did
    elsewhere.set_nonblocking(true).unwrap();
    let key_arrived = match elsewhere.accept() {
        Ok((mut stream, _)) => {
            stream.set_nonblocking(false).unwrap();
            crate::support::read_head(&mut stream).contains(KEY)
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

#[test]
fn a_server_that_never_answers_hits_the_request_timeout() {
    let server = RawServer::start(1, |_, stream, _| wait_for_close(stream));
    let client = builder(&server.base_url)
        .request_timeout(Duration::from_millis(800))
        .max_retries(0)
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.list_page(None, None).unwrap_err();
    let elapsed = started.elapsed();
    server.finish();

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_timeout_is_retried_and_the_retry_succeeds() {
    let server = RawServer::start(2, |n, mut stream, _| {
        if n == 0 {
            wait_for_close(stream);
        } else {
            send(&mut stream, &ok_response(&page_json(&["a"], None)));
        }
    });
    let client = builder(&server.base_url)
        .request_timeout(Duration::from_millis(500))
        .max_retries(1)
        .build()
        .unwrap();

    let page = client.list_page(None, None).unwrap();
    server.finish();
    assert_eq!(page.jobs.len(), 1);
}

#[test]
fn a_body_dripping_a_byte_a_second_hits_the_request_timeout() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n",
        );
        // one byte a second until the client has gone (a write then fails)
        for _ in 0..100 {
            if std::io::Write::write_all(&mut stream, b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    let client = builder(&server.base_url)
        .request_timeout(Duration::from_millis(1500))
        .max_retries(0)
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.list_page(None, None).unwrap_err();
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

#[test]
fn a_reset_in_the_middle_of_the_body_is_closed_early() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"data\":[",
        );
        std::thread::sleep(Duration::from_millis(100));
        // linger 0: closing sends RST instead of FIN
        socket2::SockRef::from(&stream)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(stream);
    });
    let client = builder(&server.base_url).max_retries(0).build().unwrap();

    let err = client.list_page(None, None).unwrap_err();
    server.finish();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::ClosedEarly),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[test]
fn a_body_shorter_than_its_content_length_is_closed_early() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"data\":[],\"pagination\":null}",
        );
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        wait_for_close(stream);
    });
    let client = builder(&server.base_url).max_retries(0).build().unwrap();

    let err = client.list_page(None, None).unwrap_err();
    server.finish();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::ClosedEarly),
        "{err:?}"
    );
}

#[test]
fn an_endless_body_stops_at_the_cap() {
    let server = RawServer::start(1, |_, mut stream, _| {
        send(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
        let mut sent = 0usize;
        // endless as far as the client can tell; the thread stops once the client has gone
        while std::io::Write::write_all(&mut stream, chunk.as_bytes()).is_ok() {
            sent += 0x4000;
            assert!(sent < 64 << 20, "the client kept reading past its cap");
        }
        sent
    });
    let cap = 256 * 1024;
    let client = builder(&server.base_url)
        .max_body_bytes(cap)
        .max_retries(0)
        .build()
        .unwrap();

    let err = client.list_page(None, None).unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::BodyTooLarge),
        "{err:?}"
    );
    assert!(err.to_string().contains(&cap.to_string()), "{err}");
    drop(client); // closes the pooled connection, if any, so the server's writes fail
    let sent = server.finish().remove(0);
    assert!(sent >= cap as usize);
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    // a port that was free a moment ago: nothing listens there now
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = builder(&format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.list_page(None, None).unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("could not connect to `http://127.0.0.1:"),
        "{err}"
    );
}
