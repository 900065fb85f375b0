//! Plumbing shared by the `fake_*` tests: a blocking client that never turns statuses into
//! errors, and a page walker.

#![allow(dead_code)] // each test file uses a different part

use std::collections::HashMap;

use serde_json::Value;

/// One answer: status, headers (lowercase names), body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.body))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The `error.code` of a JSON error body.
    pub(crate) fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub(crate) fn get_with(agent: &ureq::Agent, url: &str, api_key: Option<&str>) -> Reply {
    let headers: Vec<_> = api_key.map(|key| ("Api-Key", key)).into_iter().collect();
    send(agent, "GET", url, &headers, None)
}

/// A GET with `X-Pinecone-Api-Version: version`.
pub(crate) fn get_version(url: &str, version: &str) -> Reply {
    send(
        &agent(),
        "GET",
        url,
        &[("X-Pinecone-Api-Version", version)],
        None,
    )
}

/// A POST of `body` as `application/json`.
pub(crate) fn post(url: &str, body: &str) -> Reply {
    post_with(&agent(), url, &[], body)
}

/// A POST of `body` as `application/json`, with extra headers.
pub(crate) fn post_with(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    send(agent, "POST", url, &all, Some(body.as_bytes()))
}

/// Any request; panics on a transport error (an error status is a normal [`Reply`]).
pub(crate) fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(body.unwrap_or_default()).unwrap();
    let mut response = agent
        .run(request)
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_owned(), v)
        })
        .collect();
    Reply {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_string().unwrap(),
    }
}

pub(crate) fn get(url: &str) -> Reply {
    get_with(&agent(), url, None)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Follows `pagination.next` from the first page to the last; returns every listed id in
/// order, and the tokens seen.
pub(crate) fn walk(base_url: &str, limit: u32) -> (Vec<String>, Vec<String>) {
    let agent = agent();
    let mut ids = Vec::new();
    let mut tokens = Vec::new();
    let mut url = format!("{base_url}/restore-jobs?limit={limit}");
    for _ in 0..1000 {
        let reply = get_with(&agent, &url, None);
        assert_eq!(reply.status, 200, "{}", reply.body);
        let page = reply.json();
        let data = page["data"].as_array().expect("data is an array");
        assert!(data.len() <= limit as usize);
        ids.extend(
            data.iter()
                .map(|job| job["restore_job_id"].as_str().unwrap().to_owned()),
        );
        if page["pagination"].is_null() {
            return (ids, tokens);
        }
        let next = page["pagination"]["next"]
            .as_str()
            .expect("next is a string");
        tokens.push(next.to_owned());
        url = format!(
            "{base_url}/restore-jobs?limit={limit}&paginationToken={}",
            encode(next)
        );
    }
    panic!("pagination did not end after 1000 pages");
}

/// How a raw exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The server closed the connection (FIN).
    Eof,
    /// The server reset the connection.
    Reset,
    /// Nothing more arrived before the read timeout.
    TimedOut,
}

/// What a raw TCP client saw after sending one request.
#[derive(Debug)]
pub(crate) struct RawExchange {
    pub(crate) received: Vec<u8>,
    pub(crate) ended: Ended,
    pub(crate) elapsed: std::time::Duration,
}

/// Sends `request` as is over a new connection and reads until the server closes it, resets
/// it, or sends nothing for `timeout`.
pub(crate) fn raw_exchange(
    addr: std::net::SocketAddr,
    request: &str,
    timeout: std::time::Duration,
) -> RawExchange {
    use std::io::{ErrorKind, Read, Write};

    let started = std::time::Instant::now();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let ended = loop {
        match stream.read(&mut buf) {
            Ok(0) => break Ended::Eof,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break Ended::TimedOut;
            }
            Err(_) => break Ended::Reset,
        }
    };
    RawExchange {
        received,
        ended,
        elapsed: started.elapsed(),
    }
}

/// A complete HTTP/1.1 request text: `method path`, a JSON body if not empty, and
/// `Connection: close`.
pub(crate) fn raw_request(method: &str, path: &str, body: &str) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if !body.is_empty() {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}
