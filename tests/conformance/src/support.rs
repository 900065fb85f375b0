//! Helpers the scenarios share: the values they ask with, the fake control plane they start,
//! JSON bodies and servers on raw sockets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use pinecone_restore_core::{IndexName, Limit};
use pinecone_restore_fake::{FakeControlPlane, FakeServer};

/// The index name `name`, which must be a valid one.
pub fn index(name: &str) -> IndexName {
    IndexName::new(name).unwrap_or_else(|e| panic!("{e}"))
}

/// A page size of `n`; `None` outside `1..=100`.
pub fn limit(n: u64) -> Option<Limit> {
    Limit::new(n).ok()
}

/// A fake control plane with the index `docs` and nothing in it but what each scenario adds.
pub fn docs() -> FakeControlPlane {
    FakeControlPlane::builder().index("docs")
}

/// `plane`, started.
pub fn started(plane: FakeControlPlane) -> FakeServer {
    plane.start().unwrap_or_else(|e| panic!("{e}"))
}

/// A JSON restore job with `id` and status `Completed`.
pub fn job_json(id: &str) -> String {
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"bkp-1","target_index_name":"idx","target_index_id":"idx-1","status":"Completed","percent_complete":100,"created_at":"2025-01-01T00:00:00Z","completed_at":"2025-01-01T00:05:00Z"}}"#
    )
}

/// A list page body with these ids and `next` (or `"pagination": null`).
pub fn page_json(ids: &[&str], next: Option<&str>) -> String {
    let jobs: Vec<String> = ids.iter().map(|id| job_json(id)).collect();
    let pagination = match next {
        Some(t) => format!(r#"{{"next":{}}}"#, serde_json::Value::from(t)),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"data":[{}],"pagination":{pagination}}}"#,
        jobs.join(",")
    )
}

/// A backup as the API sends it (2025-04 shape).
pub fn backup_json(id: &str, index: &str, status: &str, created_at: Option<&str>) -> String {
    let created = created_at.map_or("null".to_owned(), |at| format!(r#""{at}""#));
    format!(
        r#"{{"backup_id":"{id}","source_index_name":"{index}","source_index_id":"{index}-id","name":"nightly-{id}","status":"{status}","cloud":"aws","region":"us-east-1","dimension":1536,"metric":"cosine","record_count":120000,"namespace_count":3,"size_bytes":10000000,"tags":{{"env":"prod"}},"created_at":{created}}}"#
    )
}

/// A page of `backups` (JSON objects) with `next`.
pub fn backup_page_json(backups: &[String], next: Option<&str>) -> String {
    let pagination = match next {
        Some(t) => format!(r#"{{"next":{}}}"#, serde_json::Value::from(t)),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"data":[{}],"pagination":{pagination}}}"#,
        backups.join(",")
    )
}

/// A whole `200 OK` JSON response with `body`.
pub fn ok_response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A server on a raw socket that accepts connections one after another and hands each, with
/// the request head it sent, to `script`. The script's return values are collected.
pub struct RawServer<T> {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    handle: JoinHandle<Vec<T>>,
}

impl<T: Send + 'static> RawServer<T> {
    /// Serves `connections` connections, then stops.
    pub fn start(
        connections: usize,
        mut script: impl FnMut(usize, TcpStream, String) -> T + Send + 'static,
    ) -> RawServer<T> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let handle = std::thread::spawn(move || {
            let mut results = Vec::new();
            for n in 0..connections {
                let Ok((mut stream, _)) = listener.accept() else {
                    break;
                };
                // never let a confused client hang the test thread
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let head = read_head(&mut stream);
                results.push(script(n, stream, head));
            }
            results
        });
        RawServer {
            base_url: format!("http://{addr}"),
            handle,
        }
    }

    /// What the scripts returned, once all connections were served.
    pub fn finish(self) -> Vec<T> {
        self.handle
            .join()
            .unwrap_or_else(|_| panic!("a server script panicked"))
    }
}

/// Reads a request head, up to and including the blank line (a body, if any, stays unread).
pub fn read_head(stream: &mut TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    head
}

/// Writes `bytes`, ignoring a client that has gone.
pub fn send(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes);
    let _ = stream.flush();
}

/// Waits until the client closes the connection (or 10 s pass).
pub fn wait_for_close(mut stream: TcpStream) {
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

/// Closes `stream` with a reset (RST) instead of a FIN.
pub fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// A port that was free a moment ago: nothing listens there now.
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that a run of `requests` sequential requests reused its connection: one connection,
/// or at most two.
///
/// A blocking client gets its connection back before the next request and needs exactly one.
/// An async client (hyper) puts a connection back from its connection task, and opens a new one
/// when none is idle; on a loaded machine that task now and then has not run when the next
/// request starts. One request is in flight at a time, so the connection that was not back is
/// idle by the request after, and two are the most a kept-alive walk can need; a client that
/// did not keep connections alive would open one per request.
pub fn assert_kept_alive(connections: u64, requests: u64) {
    assert!(
        requests > 2,
        "{requests} requests cannot tell kept-alive from not"
    );
    assert!(
        (1..=2).contains(&connections),
        "{connections} connections for {requests} sequential requests: not kept alive"
    );
}
