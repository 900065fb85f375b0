//! Helpers shared by the scenarios: clients with test-friendly settings and raw servers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use pinecone_restore_ureq::{ApiKey, Client, ClientBuilder, RetryPolicy};

pub(crate) const KEY: &str = "pcsk_test-key_0123456789";

/// A client for `base` with quick retries (10 ms base delay) and a fixed seed.
pub(crate) fn builder(base: &str) -> ClientBuilder {
    let mut policy = RetryPolicy::default();
    policy.base_delay = Duration::from_millis(10);
    policy.max_delay = Duration::from_millis(50);
    Client::builder(ApiKey::new(KEY).unwrap())
        .base_url(base)
        .retry_policy(policy)
        .rng_seed(42)
}

pub(crate) fn client(base: &str) -> Client {
    builder(base).build().unwrap()
}

/// A JSON restore job with `id` and status `Completed`.
pub(crate) fn job_json(id: &str) -> String {
    format!(
        r#"{{"restore_job_id":"{id}","backup_id":"bkp-1","target_index_name":"idx","target_index_id":"idx-1","status":"Completed","percent_complete":100,"created_at":"2025-01-01T00:00:00Z","completed_at":"2025-01-01T00:05:00Z"}}"#
    )
}

/// A list page body with these ids and `next` (or `"pagination": null`).
pub(crate) fn page_json(ids: &[&str], next: Option<&str>) -> String {
    let jobs: Vec<String> = ids.iter().map(|id| job_json(id)).collect();
    let pagination = match next {
        Some(t) => format!(r#"{{"next":"{t}"}}"#),
        None => "null".to_owned(),
    };
    format!(
        r#"{{"data":[{}],"pagination":{pagination}}}"#,
        jobs.join(",")
    )
}

/// A server on a raw socket that accepts connections one after another and hands each, with
/// the request head it sent, to `script`. The script's return values are collected.
pub(crate) struct RawServer<T> {
    pub(crate) base_url: String,
    handle: JoinHandle<Vec<T>>,
}

impl<T: Send + 'static> RawServer<T> {
    /// Serves `connections` connections, then stops.
    pub(crate) fn start(
        connections: usize,
        mut script: impl FnMut(usize, TcpStream, String) -> T + Send + 'static,
    ) -> RawServer<T> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut results = Vec::new();
            for n in 0..connections {
                let (mut stream, _) = listener.accept().unwrap();
                // never let a confused client hang the test thread
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let head = read_head(&mut stream);
                results.push(script(n, stream, head));
            }
            results
        });
        RawServer { base_url, handle }
    }

    /// What the scripts returned, once all connections were served.
    pub(crate) fn finish(self) -> Vec<T> {
        self.handle.join().unwrap()
    }
}

/// Reads a request head, up to and including the blank line.
pub(crate) fn read_head(stream: &mut TcpStream) -> String {
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
pub(crate) fn send(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes);
    let _ = stream.flush();
}

/// Waits until the client closes the connection (or 10 s pass).
pub(crate) fn wait_for_close(mut stream: TcpStream) {
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}
