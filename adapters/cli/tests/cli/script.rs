//! A loopback server that answers each request as the test's script says, for what the fake
//! control plane does not do: an answer chosen per request (a token that grows, the key sent
//! back, a corrupt body), a TCP reset, silence.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::Value;

/// One request as the script sees it: its number and its target.
#[derive(Debug)]
pub(crate) struct Request {
    /// 0 for the first request the server received, then 1, 2, ...
    pub(crate) index: usize,
    /// The path and query exactly as sent.
    pub(crate) target: String,
}

/// What the server does with one request.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Reads the whole request, writes these bytes and closes.
    Send(Vec<u8>),
    /// Closes with the request still unread, so the kernel sends a TCP reset.
    Reset,
    /// Keeps the connection open and never answers.
    Silence,
}

/// A running scripted server; it lives until the test process ends.
pub(crate) struct Script {
    url: String,
    count: Arc<AtomicUsize>,
    targets: Arc<Mutex<Vec<String>>>,
}

impl Script {
    /// Serves on `127.0.0.1`, a free port, one connection per request (`Connection: close`).
    pub(crate) fn start(script: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Script {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let count = Arc::new(AtomicUsize::new(0));
        let targets = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let (seen, logged) = (Arc::clone(&count), Arc::clone(&targets));
        thread::spawn(move || {
            let held = Arc::new(Mutex::new(Vec::new()));
            for stream in listener.incoming().flatten() {
                let (script, seen, logged, held) = (
                    Arc::clone(&script),
                    Arc::clone(&seen),
                    Arc::clone(&logged),
                    Arc::clone(&held),
                );
                thread::spawn(move || {
                    serve(
                        stream,
                        |line| {
                            let index = seen.fetch_add(1, Ordering::SeqCst);
                            let request = Request {
                                index,
                                target: line.split(' ').nth(1).unwrap_or_default().to_owned(),
                            };
                            lock(&logged).push(request.target.clone());
                            script(&request)
                        },
                        &held,
                    );
                });
            }
        });
        Script {
            url,
            count,
            targets,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// How many requests arrived (a request line was read).
    pub(crate) fn requests(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The path and query of every request so far, oldest first.
    pub(crate) fn targets(&self) -> Vec<String> {
        lock(&self.targets).clone()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the request line, asks the script, and acts.
fn serve(mut stream: TcpStream, script: impl FnOnce(&str) -> Reply, held: &Mutex<Vec<TcpStream>>) {
    let Some(line) = read_until(&mut stream, b"\r\n") else {
        return;
    };
    match script(line.trim_end()) {
        Reply::Reset => {
            // the headers are still unread: closing now makes the kernel answer with RST
            drop(stream);
        }
        Reply::Silence => lock(held).push(stream),
        Reply::Send(bytes) => {
            let Some(head) = read_until(&mut stream, b"\r\n\r\n") else {
                return;
            };
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<u64>().ok())
                .unwrap_or(0);
            let mut body = Vec::new();
            if (&mut stream).take(length).read_to_end(&mut body).is_err() {
                return;
            }
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
            // let the client read it all before the close
            let _ = stream.shutdown(std::net::Shutdown::Write);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = stream.read_to_end(&mut body);
        }
    }
}

/// Reads one byte at a time up to and including `end`; `None` if the peer closed first.
fn read_until(stream: &mut TcpStream, end: &[u8]) -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(end) {
        match stream.read(&mut byte) {
            Ok(1) => bytes.push(byte[0]),
            _ => return None,
        }
        if bytes.len() > 1024 * 1024 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A response: status line, these extra headers, the body, `Connection: close`.
pub(crate) fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Send(bytes)
}

/// `200 OK` with this JSON.
pub(crate) fn ok(json: &Value) -> Reply {
    response(
        "200 OK",
        &[("Content-Type", "application/json")],
        json.to_string().as_bytes(),
    )
}

/// An API error with its JSON body.
pub(crate) fn api_error(status: &str, code: &str, message: &str) -> Reply {
    let number: u16 = status
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a status line starts with its number");
    let body = serde_json::json!({"error": {"code": code, "message": message}, "status": number});
    response(
        status,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// A restore job in the API's shape, `Pending` with no percent, with these fields replaced.
pub(crate) fn job(id: &str, fields: Value) -> Value {
    let mut job = serde_json::json!({
        "restore_job_id": id,
        "backup_id": "bkp-1",
        "target_index_name": "restored",
        "target_index_id": "idx-1",
        "status": "Pending",
        "created_at": "2024-11-21T11:11:11Z",
    });
    if let (Some(job), Value::Object(fields)) = (job.as_object_mut(), fields) {
        job.extend(fields);
    }
    job
}

/// A page of `jobs`, pointing at `next` (or the last page).
pub(crate) fn page(jobs: Vec<Value>, next: Option<&str>) -> Value {
    let pagination = match next {
        Some(token) => serde_json::json!({ "next": token }),
        None => Value::Null,
    };
    serde_json::json!({ "data": jobs, "pagination": pagination })
}
