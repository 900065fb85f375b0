//! The server itself: connections, request records, request ids, shutdown, the binary.

mod fake_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_support::{agent, get, get_with, post_with};
use pinecone_restore_fake::FakeControlPlane;

#[test]
fn one_agent_reuses_one_connection() {
    let server = FakeControlPlane::builder().jobs(30).start().unwrap();
    let url = format!("{}/restore-jobs", server.base_url());
    let agent = agent();
    for _ in 0..3 {
        assert_eq!(get_with(&agent, &url, None).status, 200);
    }
    let stats = server.stats();
    assert_eq!(stats.requests, 3);
    assert_eq!(stats.list_requests, 3);
    assert_eq!(stats.describe_requests, 0);
    assert_eq!(stats.connections, 1);

    // three separate agents: three connections
    for _ in 0..3 {
        get(&url);
    }
    assert_eq!(server.stats().connections, 4);
}

#[test]
fn requests_are_recorded_as_received() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let url = format!(
        "{}/restore-jobs?limit=2&paginationToken=a%2Bb",
        server.base_url()
    );
    let reply = agent()
        .get(&url)
        .header("Api-Key", "k1")
        .header("X-Pinecone-Api-Version", "2025-04")
        .header("User-Agent", "tester/1.0")
        .call()
        .unwrap();
    assert_eq!(reply.status().as_u16(), 400, "a%2Bb is not a token");
    get(&format!("{}/other/path", server.base_url()));

    let records = server.requests();
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first.method, "GET");
    assert_eq!(first.path, "/restore-jobs");
    assert_eq!(
        first.query.as_deref(),
        Some("limit=2&paginationToken=a%2Bb")
    );
    assert_eq!(first.api_key.as_deref(), Some("k1"));
    assert_eq!(first.api_version.as_deref(), Some("2025-04"));
    assert_eq!(first.user_agent.as_deref(), Some("tester/1.0"));
    assert_eq!(first.status, 400);
    assert!(!format!("{first:?}").contains("k1"), "Debug hides the key");

    let second = &records[1];
    assert_eq!(
        (second.path.as_str(), second.query.as_deref()),
        ("/other/path", None)
    );
    assert_eq!(second.api_key, None);
    assert_eq!(second.status, 404);
    assert_eq!(server.stats().requests, 2);
    assert_eq!(server.stats().list_requests, 1);
}

#[test]
fn every_response_has_a_unique_request_id() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let base = server.base_url();
    let agent = agent();
    let ids: HashSet<_> = ["/restore-jobs", "/restore-jobs/x", "/nope", "/restore-jobs"]
        .iter()
        .map(|path| {
            get_with(&agent, &format!("{base}{path}"), None)
                .header("x-pinecone-request-id")
                .expect("request id header")
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 4);
}

#[test]
fn request_ids_differ_from_one_run_to_the_next() {
    // the same requests to two servers of the same data set, as two `--demo` runs make them
    let first_ids = || -> Vec<String> {
        let server = FakeControlPlane::demo().start().unwrap();
        let base = server.base_url();
        ["/restore-jobs/nope", "/backups/nope"]
            .iter()
            .map(|path| {
                get(&format!("{base}{path}"))
                    .header("x-pinecone-request-id")
                    .expect("request id header")
                    .to_owned()
            })
            .collect()
    };
    let (one, two) = (first_ids(), first_ids());
    assert!(one.iter().all(|id| !two.contains(id)), "{one:?} {two:?}");
    assert_ne!(one[0], one[1]);
    assert!(
        one.iter()
            .all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())),
        "{one:?}"
    );
}

#[test]
fn unknown_routes_and_methods_get_a_json_404() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let base = server.base_url();
    for path in ["/", "/restore-jobs/", "/restore-jobs/a/b", "/indexes"] {
        let reply = get(&format!("{base}{path}"));
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.code(), "NOT_FOUND");
    }
    let reply = agent()
        .post(format!("{base}/restore-jobs"))
        .send_empty()
        .unwrap();
    assert_eq!(reply.status().as_u16(), 404);
}

#[test]
fn latency_delays_every_answer_without_holding_up_other_connections() {
    let latency = Duration::from_millis(300);
    let server = FakeControlPlane::builder()
        .jobs(3)
        .latency(latency)
        .start()
        .unwrap();
    let base = server.base_url();
    // eight requests on eight connections at once: each waits, none waits for another
    let started = Instant::now();
    let took: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let url = format!(
                    "{base}/restore-jobs{}",
                    if i % 2 == 0 { "" } else { "/nope" }
                );
                scope.spawn(move || {
                    let began = Instant::now();
                    let reply = get(&url);
                    assert!(reply.status == 200 || reply.status == 404);
                    began.elapsed()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(took.iter().all(|t| *t >= latency), "{took:?}");
    assert!(
        started.elapsed() < latency * 4,
        "served one after another: {:?}",
        started.elapsed()
    );

    // a fault that answers waits too; one that closes the connection keeps its own timing
    server.inject(pinecone_restore_fake::Fault::Status(503));
    let began = Instant::now();
    assert_eq!(get(&format!("{base}/restore-jobs")).status, 503);
    assert!(began.elapsed() >= latency);
    server.inject(pinecone_restore_fake::Fault::Drop);
    let seen = fake_support::raw_exchange(
        server.addr(),
        &fake_support::raw_request("GET", "/restore-jobs", ""),
        Duration::from_secs(5),
    );
    assert!(seen.received.is_empty());
    assert!(seen.elapsed < latency, "{:?}", seen.elapsed);
}

#[test]
fn drop_stops_the_server_promptly_even_with_an_idle_connection() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let addr = server.addr();
    let agent = agent();
    get_with(&agent, &format!("{}/restore-jobs", server.base_url()), None);
    let started = Instant::now();
    drop(server); // the agent still holds a kept-alive connection
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "port is closed"
    );

    let server = FakeControlPlane::builder().start().unwrap();
    let addr = server.addr();
    server.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[test]
fn binary_prints_its_url_and_serves_until_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
        .args([
            "--jobs",
            "250",
            "--page-overlap",
            "2",
            "--api-key",
            "bin-key",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim_end();
    assert!(base.starts_with("http://127.0.0.1:"), "{line:?}");

    let url = format!("{base}/restore-jobs?limit=100");
    assert_eq!(get(&url).status, 401);
    let page = get_with(&agent(), &url, Some("bin-key")).json();
    assert_eq!(page["data"].as_array().unwrap().len(), 100);

    child.stdin.take().unwrap().write_all(b"bye\n").unwrap(); // then EOF on drop
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("binary did not exit after stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
}

#[test]
fn binary_delays_answers_by_latency_ms() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
        .args(["--jobs", "3", "--latency-ms", "250"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let started = Instant::now();
    assert_eq!(
        get(&format!("{}/restore-jobs", line.trim_end())).status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(250));
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[test]
fn binary_serves_timed_jobs_and_prints_when_the_last_ends() {
    let wall_ms = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    };
    let before = wall_ms();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
        .args([
            "--jobs",
            "5",
            "--timed-jobs",
            "150",
            "--timed-first-ms",
            "150",
            "--timed-spread-ms",
            "100",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut url, mut end) = (String::new(), String::new());
    stdout.read_line(&mut url).unwrap();
    stdout.read_line(&mut end).unwrap();
    let base = url.trim_end();
    let end: u128 = end
        .trim_end()
        .strip_prefix("timed-jobs-end-unix-ms ")
        .unwrap_or_else(|| panic!("{end:?}"))
        .parse()
        .unwrap();
    // the start plus 150 + 100 ms, give or take the millisecond the two clocks round to
    assert!(end + 1 >= before + 250 && end <= wall_ms() + 251, "{end}");

    // the timed jobs come first, newest first, in id order
    let page = get(&format!("{base}/restore-jobs?limit=100")).json();
    let ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["restore_job_id"].as_str().unwrap())
        .collect();
    assert_eq!((ids[0], ids[99]), ("rj-timed-0000", "rj-timed-0099"));
    let last = format!("{base}/restore-jobs/rj-timed-0149");
    let reply = get(&last).json();
    if wall_ms() + 5 < end {
        assert_eq!(reply["status"], "Pending", "{reply}");
    }
    let wait = end.saturating_sub(wall_ms()) + 20;
    std::thread::sleep(Duration::from_millis(u64::try_from(wait).unwrap()));
    assert_eq!(get(&last).json()["status"], "Completed");

    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[test]
fn binary_serves_the_demo_data_set_restores_included() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
        .arg("--demo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim_end();

    let page = get_with(
        &agent(),
        &format!("{base}/restore-jobs?limit=100"),
        Some("any"),
    )
    .json();
    let ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["restore_job_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 25, "{ids:?}");
    assert!(ids.contains(&pinecone_restore_fake::DEMO_IN_PROGRESS_ID));
    assert!(ids.contains(&pinecone_restore_fake::DEMO_FAILING_ID));
    // the demo backup restores, as `pinecone-restore --demo restore demo-backup` does
    let url = format!(
        "{base}/backups/{}/create-index",
        pinecone_restore_fake::DEMO_BACKUP_ID
    );
    let started = post_with(
        &agent(),
        &url,
        &[("Api-Key", "any")],
        r#"{"name": "from-bin"}"#,
    );
    assert_eq!(started.status, 202, "{}", started.body);
    // and it serves the demo's backups, project-wide and per index
    let backups = get_with(&agent(), &format!("{base}/backups?limit=100"), Some("any")).json();
    let count = backups["data"].as_array().map_or(0, Vec::len);
    assert!((25..=26).contains(&count), "{backups}");
    let index = pinecone_restore_fake::DEMO_INDEX_NEWEST_NOT_READY;
    let reply = get_with(
        &agent(),
        &format!("{base}/indexes/{index}/backups"),
        Some("any"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains(pinecone_restore_fake::DEMO_BACKUP_ID));

    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[test]
fn binary_help_says_the_demo_serves_backups() {
    let output = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
        .arg("--help")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for promised in [
        "GET /backups",
        "GET /indexes/NAME/backups",
        "demo-backup",
        "demo-backup-pending",
        pinecone_restore_fake::DEMO_INDEX_NEWEST_NOT_READY,
        pinecone_restore_fake::DEMO_INDEX_NO_READY,
        pinecone_restore_fake::DEMO_INDEX_DELETED,
        pinecone_restore_fake::DEMO_INDEX_WITHOUT_BACKUPS,
        pinecone_restore_fake::DEMO_INDEX_AGED_BACKUPS,
        pinecone_restore_fake::DEMO_INDEX_SCHEDULED,
        pinecone_restore_fake::DEMO_SCHEDULE_ID,
        "POST /indexes/NAME/backups",
        "DELETE /backups/ID",
        "--latency-ms",
        "--timed-jobs",
        "--timed-first-ms",
        "--timed-spread-ms",
        "timed-jobs-end-unix-ms",
    ] {
        assert!(help.contains(promised), "{promised} in {help}");
    }
}

#[test]
fn binary_rejects_bad_arguments_with_usage() {
    for args in [
        &["--jobs"][..],
        &["--jobs", "many"],
        &["--frobnicate"],
        &["--demo", "--jobs", "5"],
        &["--latency-ms", "-5"],
        &["--latency-ms"],
        &["--timed-jobs", "some"],
        &["--timed-spread-ms", "50"],
        &["--timed-jobs", "0", "--timed-first-ms", "50"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_fake-control-plane"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("usage: fake-control-plane"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}
