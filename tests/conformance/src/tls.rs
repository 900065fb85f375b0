//! The production path: HTTPS against the fake with its CA trusted (walk, wait, start and its
//! recovery), through a `CONNECT` proxy, and the failure table, which names every way a
//! connection can fail by what happened and says whether it is retried.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use pinecone_restore_core::{
    BackupId, ConfigBuilder, CreateIndexFromBackup, Error, IndexName, JobId, Limit, RootStore,
    TlsProblem, TransportKind, WaitOptions, WaitOutcome,
};
use pinecone_restore_fake::{
    Ending, Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeServer, Fault, ServerCert,
};

use crate::api::*;
use crate::support::closed_port;
use crate::{Adapter, KEY, client_with, config, no_key_in};

/// A file removed when dropped, in the system's temporary directory.
pub struct TempFile(PathBuf);

impl TempFile {
    /// A new file holding `content`, its name unique to this process and call.
    pub fn new(content: &[u8]) -> TempFile {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "pinecone-restore-kit-{}-{}.pem",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
        TempFile(path)
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An HTTPS fake presenting `cert`, and its CA in a PEM file.
fn https(plane: FakeControlPlane, cert: ServerCert) -> (FakeServer, TempFile) {
    let server = plane.https(cert).start().unwrap_or_else(|e| panic!("{e}"));
    let pem = server
        .ca_pem()
        .unwrap_or_else(|| panic!("an HTTPS fake has a CA"))
        .as_bytes()
        .to_vec();
    (server, TempFile::new(&pem))
}

fn trusting(base: &str, ca: &TempFile) -> ConfigBuilder {
    config(base).ca_cert_file(ca.path())
}

/// A walk and a wait over HTTPS, the fake's CA trusted as an extra root: every page on one
/// connection, every snapshot seen.
pub fn a_walk_and_a_wait_run_over_https<A: Adapter>() {
    let (server, ca) = https(
        FakeControlPlane::builder()
            .jobs(999)
            .job(FakeJob::progressing("r-1", 3, Ending::Completed)),
        ServerCert::Valid,
    );
    assert!(server.base_url().starts_with("https://"));
    let client = client_with::<A>(trusting(&server.base_url(), &ca));
    let walked = list_all::<A>(&client, Some(Limit::MAX), None);
    assert!(walked.error.is_none(), "{:?}", walked.error);
    assert_eq!((walked.items.len(), walked.pages), (1000, 10));
    // kept alive: one handshake for ten pages. hyper hands a connection back to its pool
    // only after its dispatcher has seen the body end, so on a loaded machine the async
    // adapter's next request can beat it and open a second connection; never one a page.
    let connections = server.stats().connections;
    assert!((1..=2).contains(&connections), "{connections} connections");
    let options = WaitOptions::default().interval(Duration::from_millis(5));
    let id = JobId::new("r-1").unwrap_or_else(|e| panic!("{e}"));
    let (outcome, snapshots) = wait::<A>(&client, &id, &options);
    assert!(
        matches!(outcome, Ok(WaitOutcome::Completed(_))),
        "{outcome:?}"
    );
    assert!(snapshots.len() >= 3, "{snapshots:?}");
}

/// A restore starts over HTTPS, and one whose answer was lost (the connection dropped after
/// it took effect) is recovered through the 409, as over plain HTTP.
pub fn a_start_and_its_recovery_run_over_https<A: Adapter>() {
    let (server, ca) = https(
        FakeControlPlane::builder().backup(FakeBackup::ready("bkp-ready")),
        ServerCert::Valid,
    );
    let client = client_with::<A>(trusting(&server.base_url(), &ca));
    let backup = BackupId::new("bkp-ready").unwrap_or_else(|e| panic!("{e}"));
    let request = |name: &str| {
        CreateIndexFromBackup::new(IndexName::new(name).unwrap_or_else(|e| panic!("{e}")))
    };
    let started = create_index_from_backup::<A>(&client, &backup, &request("plain"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!started.recovered());

    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
    let started = create_index_from_backup::<A>(&client, &backup, &request("lost"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(started.recovered(), "{started:?}");
    let stats = server.stats();
    assert_eq!(stats.restores_created, 2, "nothing was started twice");
    assert_eq!(stats.create_requests, 3);
}

/// An HTTPS request through a loopback `CONNECT` proxy arrives; the proxy relays only
/// ciphertext, so its bytes never hold the key.
pub fn https_through_a_connect_proxy_arrives_and_the_proxy_never_sees_the_key<A: Adapter>() {
    let (server, ca) = https(FakeControlPlane::builder().jobs(3), ServerCert::Valid);
    let proxy = ConnectProxy::start();
    let client = A::client_with_proxy(trusting(&server.base_url(), &ca), &proxy.url)
        .unwrap_or_else(|e| panic!("{e}"));
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.jobs.len(), 3);
    drop(client);
    let seen = proxy.finish();
    let head = String::from_utf8_lossy(&seen);
    assert!(
        head.starts_with(&format!("CONNECT {}", server.addr())),
        "the proxy was not asked to CONNECT: {head:.80}"
    );
    assert!(server.stats().requests >= 1, "the request did not arrive");
    assert!(
        !contains(&seen, KEY.as_bytes()),
        "the key crossed the proxy in clear"
    );
}

/// The system's store can be chosen instead of Mozilla's: it does not know the fake's CA,
/// and an extra CA joins it as it joins Mozilla's.
pub fn the_system_store_is_used_when_asked_and_extra_roots_join_it<A: Adapter>() {
    let (server, ca) = https(FakeControlPlane::builder().jobs(2), ServerCert::Valid);
    let system = || config(&server.base_url()).root_store(RootStore::System);
    let built = system().build().unwrap_or_else(|e| panic!("{e}"));
    let client = match A::try_client(built) {
        Ok(client) => client,
        Err(e) => {
            // a machine without any system store: refused when built, and said so
            assert!(e.is_invalid_argument(), "{e:?}");
            assert!(e.to_string().contains("system's trust store"), "{e}");
            return;
        }
    };
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(
        err.tls_problem(),
        Some(TlsProblem::UntrustedCertificate),
        "{err:?}"
    );
    let client = client_with::<A>(system().ca_cert_file(ca.path()));
    let page = list_page::<A>(&client, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.jobs.len(), 2);
}

/// A CA file that cannot be used is refused when the client is built, before anything is
/// sent: named, its content never quoted.
pub fn a_bad_ca_file_is_refused_before_anything_is_sent<A: Adapter>() {
    let secret = "SECRET-LOOKING-CONTENT";
    let garbage = TempFile::new(
        format!("-----BEGIN CERTIFICATE-----\n{secret}!!\n-----END CERTIFICATE-----\n").as_bytes(),
    );
    let no_cert = TempFile::new(format!("just text, {secret}\n").as_bytes());
    let not_x509 = TempFile::new(
        b"-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n",
    );
    let missing = std::env::temp_dir().join("pinecone-restore-kit-no-such-file.pem");
    for path in [garbage.path(), no_cert.path(), not_x509.path(), &missing] {
        let config = config("https://127.0.0.1:9")
            .ca_cert_file(path)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = match A::try_client(config) {
            Err(e) => e,
            Ok(_) => panic!("{} was accepted", path.display()),
        };
        let shown = err.to_string();
        assert!(err.is_invalid_argument(), "{err:?}");
        assert!(shown.contains(&path.display().to_string()), "{shown}");
        assert!(!shown.contains(secret), "{shown}");
    }
}

/// One way a connection fails, and what every adapter must make of it.
#[derive(Debug, Clone, Copy)]
pub struct FailureCase {
    /// What the server side does.
    pub setup: Setup,
    /// The kind the error must have.
    pub kind: TransportKind,
    /// For TLS, which way it failed.
    pub tls: Option<TlsProblem>,
    /// Whether a `GET` is sent again.
    pub retried: bool,
    /// Words the message must hold.
    pub words: &'static [&'static str],
}

/// What the server side of a [`FailureCase`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// An HTTPS fake whose CA the client does not trust.
    Untrusted,
    /// An HTTPS fake whose certificate names another host.
    WrongName,
    /// An HTTPS fake whose certificate expired.
    Expired,
    /// `https://` to a port that answers plain HTTP.
    PlainHttpOnHttps,
    /// `http://` to a port that speaks TLS.
    TlsOnHttp,
    /// A host under `.invalid`, which never resolves.
    Dns,
    /// A port where nothing listens.
    Refused,
}

/// The failure table: kind, retried or not, and the key words of the message.
pub const FAILURES: &[FailureCase] = &[
    FailureCase {
        setup: Setup::Untrusted,
        kind: TransportKind::Tls,
        tls: Some(TlsProblem::UntrustedCertificate),
        retried: false,
        words: &["TLS", "not trusted"],
    },
    FailureCase {
        setup: Setup::WrongName,
        kind: TransportKind::Tls,
        tls: Some(TlsProblem::NameMismatch),
        retried: false,
        words: &["TLS", "not valid for this host name"],
    },
    FailureCase {
        setup: Setup::Expired,
        kind: TransportKind::Tls,
        tls: Some(TlsProblem::Expired),
        retried: false,
        words: &["TLS", "expired"],
    },
    FailureCase {
        setup: Setup::PlainHttpOnHttps,
        kind: TransportKind::Tls,
        tls: Some(TlsProblem::NotTls),
        retried: false,
        words: &["did not answer in TLS", "use `http://127.0.0.1:"],
    },
    FailureCase {
        setup: Setup::TlsOnHttp,
        kind: TransportKind::Other,
        tls: None,
        retried: false,
        words: &["request to `http://127.0.0.1:", "failed"],
    },
    FailureCase {
        setup: Setup::Dns,
        kind: TransportKind::Resolve,
        tls: None,
        retried: true,
        words: &["could not resolve host `pinecone-restore-kit.invalid`"],
    },
    FailureCase {
        setup: Setup::Refused,
        kind: TransportKind::Connect,
        tls: None,
        retried: true,
        words: &["could not connect", "refused"],
    },
];

/// Every row of [`FAILURES`]: its kind, its TLS problem, its key words, how many attempts
/// reached a listener (where one exists: one unless retried), and that the key never reached
/// a listener that could read it.
pub fn every_failure_is_named_by_what_happened<A: Adapter>() {
    const RETRIES: u32 = 2;
    for case in FAILURES {
        let quick = |base: &str| config(base).max_retries(RETRIES);
        let (err, attempts) = match case.setup {
            Setup::Untrusted | Setup::WrongName | Setup::Expired => {
                let cert = match case.setup {
                    Setup::WrongName => ServerCert::WrongName,
                    Setup::Expired => ServerCert::Expired,
                    _ => ServerCert::Valid,
                };
                let (server, ca) = https(FakeControlPlane::builder(), cert);
                let mut config = quick(&server.base_url());
                if case.setup != Setup::Untrusted {
                    config = config.ca_cert_file(ca.path());
                }
                let err = list_page::<A>(&client_with::<A>(config), None, None).unwrap_err();
                // no request was ever read: the key stayed on the client
                assert_eq!(server.stats().requests, 0, "{case:?}");
                (err, Some(server.stats().connections))
            }
            Setup::PlainHttpOnHttps => {
                let plain = Recorder::start(
                    b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
                let base = format!("https://{}", plain.addr);
                let err = list_page::<A>(&client_with::<A>(quick(&base)), None, None).unwrap_err();
                let (connections, bytes) = plain.finish();
                assert!(
                    !contains(&bytes, KEY.as_bytes()),
                    "the key went out in clear"
                );
                (err, Some(connections))
            }
            Setup::TlsOnHttp => {
                // plain HTTP to a TLS port: only ever to loopback (core refuses `http://`
                // elsewhere), so no other host can read the key sent in clear here
                let (server, _ca) = https(FakeControlPlane::builder(), ServerCert::Valid);
                let base = server.base_url().replace("https://", "http://");
                let err = list_page::<A>(&client_with::<A>(quick(&base)), None, None).unwrap_err();
                assert_eq!(server.stats().requests, 0, "{case:?}");
                (err, Some(server.stats().connections))
            }
            Setup::Dns => {
                let base = "https://pinecone-restore-kit.invalid";
                let err = list_page::<A>(&client_with::<A>(quick(base)), None, None).unwrap_err();
                (err, None)
            }
            Setup::Refused => {
                let base = format!("https://127.0.0.1:{}", closed_port());
                let err = list_page::<A>(&client_with::<A>(quick(&base)), None, None).unwrap_err();
                (err, None)
            }
        };
        check(case, &err);
        if let Some(attempts) = attempts {
            let expected = if case.retried {
                1 + u64::from(RETRIES)
            } else {
                1
            };
            assert_eq!(attempts, expected, "attempts for {case:?}: {err}");
        }
    }
}

fn check(case: &FailureCase, err: &Error) {
    assert_eq!(err.transport_kind(), Some(case.kind), "{case:?}: {err:?}");
    assert_eq!(err.tls_problem(), case.tls, "{case:?}: {err:?}");
    assert_eq!(err.is_retryable(), case.retried, "{case:?}: {err:?}");
    let shown = err.to_string();
    for word in case.words {
        assert!(shown.contains(word), "{case:?}: `{word}` not in: {shown}");
    }
    no_key_in(err);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A listener that records every byte it receives and answers each connection with `answer`
/// once the client has said something.
struct Recorder {
    addr: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(u64, Vec<u8>)>,
}

impl Recorder {
    fn start(answer: &'static [u8]) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        listener
            .set_nonblocking(true)
            .unwrap_or_else(|e| panic!("{e}"));
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let (mut connections, mut seen) = (0, Vec::new());
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        connections += 1;
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        let mut buf = [0u8; 16 * 1024];
                        if let Ok(n) = stream.read(&mut buf) {
                            seen.extend_from_slice(buf.get(..n).unwrap_or_default());
                        }
                        let _ = stream.write_all(answer);
                        let _ = stream.shutdown(Shutdown::Write);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                        while let Ok(n @ 1..) = stream.read(&mut buf) {
                            seen.extend_from_slice(buf.get(..n).unwrap_or_default());
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            (connections, seen)
        });
        Recorder { addr, stop, thread }
    }

    /// Connections accepted and every byte received.
    fn finish(self) -> (u64, Vec<u8>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .join()
            .unwrap_or_else(|_| panic!("the recorder panicked"))
    }
}

/// A `CONNECT` proxy on loopback that relays bytes both ways and keeps every byte it relayed.
struct ConnectProxy {
    url: String,
    seen: Arc<Mutex<Vec<u8>>>,
    thread: JoinHandle<()>,
}

impl ConnectProxy {
    /// Serves one tunnel.
    fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let thread = std::thread::spawn(move || {
            let Ok((mut client, _)) = listener.accept() else {
                return;
            };
            let _ = client.set_read_timeout(Some(Duration::from_secs(10)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let text = String::from_utf8_lossy(&head).into_owned();
            lock(&record).extend_from_slice(&head);
            let target = text
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let Ok(upstream) = TcpStream::connect(&target) else {
                let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
                return;
            };
            let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            let pipe = |mut from: TcpStream, mut to: TcpStream, record: Arc<Mutex<Vec<u8>>>| {
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n @ 1..) = from.read(&mut buf) {
                        let chunk = buf.get(..n).unwrap_or_default();
                        lock(&record).extend_from_slice(chunk);
                        if to.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(Shutdown::Write);
                })
            };
            let (Ok(client2), Ok(upstream2)) = (client.try_clone(), upstream.try_clone()) else {
                return;
            };
            let _ = client.set_read_timeout(None);
            let up = pipe(client, upstream, Arc::clone(&record));
            let down = pipe(upstream2, client2, record);
            let _ = up.join();
            let _ = down.join();
        });
        ConnectProxy { url, seen, thread }
    }

    /// Every byte relayed, the `CONNECT` head first, once the tunnel closed.
    fn finish(self) -> Vec<u8> {
        let _ = self.thread.join();
        std::mem::take(&mut *lock(&self.seen))
    }
}

fn lock(seen: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    seen.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
