//! The built `pinecone-restore` binary against the fake control plane (and raw loopback
//! listeners for what the fake does not do): every command, every output format, every exit
//! code from 0 to 7.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, FakeServer, Fault};
use serde_json::Value;

// The behaviour each issue asked for, one module each (in `tests/cli/`), on the helpers below.
/// Issue 15: the backups commands and `restore --from-index`.
#[path = "cli/backups.rs"]
mod backups;
/// Issue 8: what a hostile server or a careless input must not get out of the command.
#[path = "cli/hostile.rs"]
mod hostile;
/// Issue 28: take, wait for and retire backups.
#[path = "cli/lifecycle.rs"]
mod lifecycle;
/// Issue 31: what a newcomer meets first.
#[path = "cli/newcomer.rs"]
mod newcomer;
/// Issue 11: `restore`, completions and the man page.
#[path = "cli/restore.rs"]
mod restore;
/// Issue 29: backup schedules (API 2026-07).
#[path = "cli/schedules.rs"]
mod schedules;
/// A loopback server that answers as a test's script says.
#[path = "cli/script.rs"]
mod script;
/// Issue 19: completions that complete in real shells, manual pages that render.
#[path = "cli/shells.rs"]
mod shells;
/// Issue 14: HTTPS end to end, and the roots the command trusts.
#[path = "cli/tls.rs"]
mod tls;
/// Issue 10: every API version, each checked by its own rules.
#[path = "cli/verbose.rs"]
mod verbose;
#[path = "cli/versions.rs"]
mod versions;
/// Issue 15: `wait` on several jobs at once.
#[path = "cli/wait_all.rs"]
mod wait_all;

/// A key distinctive enough that finding it in any output is certainly a leak.
const KEY: &str = "pcsk_TOPSECRET_key_7f3a9c1e";

/// What one run of the binary gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }

    fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// The `error:` line; asserts there is exactly one.
    fn error_line(&self) -> &str {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(lines.len(), 1, "{self:?}");
        lines[0]
    }
}

/// The binary with the test key in the environment and no host or proxy from it.
fn cli(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinecone-restore"));
    command.args(args).env("PINECONE_API_KEY", KEY);
    for var in [
        "PINECONE_CONTROLLER_HOST",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs `command` and checks what every run must satisfy: no panic, no key anywhere, and a
/// failure says `error:` on stderr.
fn exec(mut command: Command) -> Run {
    let output = command.output().expect("the binary runs");
    let run = Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{run:?}");
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "key leaked: {run:?}"
    );
    if run.code != 0 {
        run.error_line();
    }
    run
}

/// Runs the binary against `server` with `args` after `--host`.
fn against(server: &FakeServer, args: &[&str]) -> Run {
    let base = server.base_url();
    let mut all = vec!["--host", base.as_str()];
    all.extend_from_slice(args);
    exec(cli(&all))
}

/// A fake that requires [`KEY`], with `n` generated jobs and a few known ones first.
fn server(n: usize) -> FakeServer {
    FakeControlPlane::builder()
        .job(FakeJob::completed("rj-done"))
        .job(FakeJob::progressing("rj-progress", 3, Ending::Completed))
        .job(FakeJob::progressing("rj-fails", 2, Ending::Failed))
        .job(FakeJob::progressing("rj-cancelled", 1, Ending::Cancelled))
        .job(FakeJob::progressing(
            "rj-forever",
            u32::MAX,
            Ending::Completed,
        ))
        .jobs(n)
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

fn ids(jobs: &[Value]) -> Vec<&str> {
    jobs.iter()
        .map(|j| j["restore_job_id"].as_str().expect("an id"))
        .collect()
}

fn assert_unique(ids: &[&str]) {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicates in {ids:?}");
}

// ---- exit 0: each command, each output format

#[test]
fn list_table_is_one_page_of_aligned_columns() {
    let server = server(20);
    let run = against(&server, &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 11, "header and the API's default page of 10");
    for column in [
        "ID",
        "STATUS",
        "TARGET INDEX",
        "CREATED",
        "COMPLETED",
        "PERCENT",
    ] {
        assert!(lines[0].contains(column), "{}", lines[0]);
    }
    let status_at = lines[0].find("STATUS").unwrap();
    assert!(lines[1].starts_with("rj-done "));
    assert_eq!(&lines[1][status_at..status_at + 9], "Completed");
    assert_eq!(&lines[2][status_at..status_at + 7], "Pending");
    assert!(lines[1].ends_with("100%"));
    assert!(
        lines[2].contains(" - "),
        "no completed_at yet: {}",
        lines[2]
    );
    // the next page's token is on stderr, stdout stays clean
    assert!(run.stderr.contains("--pagination-token"), "{run:?}");
    assert_eq!(server.stats().requests, 1);
}

#[test]
fn list_json_pages_with_the_api_shape() {
    let server = server(20);
    let first = against(&server, &["list", "--limit", "5", "--output", "json"]);
    assert_eq!(first.code, 0, "{first:?}");
    let page = first.json();
    let data = page["data"].as_array().unwrap();
    assert_eq!(ids(data)[..2], ["rj-done", "rj-progress"]);
    assert_eq!(data.len(), 5);
    let job = &data[0];
    for field in [
        "restore_job_id",
        "backup_id",
        "target_index_name",
        "target_index_id",
        "status",
        "created_at",
        "completed_at",
        "percent_complete",
    ] {
        assert!(job.get(field).is_some(), "{field} in {job}");
    }
    assert!(job["created_at"].as_str().unwrap().ends_with('Z'));
    let token = page["pagination"]["next"].as_str().expect("a next token");

    let second = against(
        &server,
        &[
            "list",
            "--limit",
            "5",
            "--pagination-token",
            token,
            "--output",
            "json",
        ],
    );
    assert_eq!(second.code, 0, "{second:?}");
    let second = second.json();
    let second_ids = ids(second["data"].as_array().unwrap());
    assert_eq!(second_ids.len(), 5);
    assert!(!second_ids.contains(&"rj-done"));
}

#[test]
fn list_ndjson_is_one_object_per_line() {
    let server = server(20);
    let run = against(&server, &["list", "--limit", "7", "--output", "ndjson"]);
    assert_eq!(run.code, 0, "{run:?}");
    let jobs = run.ndjson();
    assert_eq!(jobs.len(), 7);
    assert_eq!(jobs[0]["restore_job_id"], "rj-done");
    assert_eq!(jobs[0]["status"], "Completed");
}

#[test]
fn list_all_ndjson_hands_each_page_to_the_reader_before_fetching_the_next() {
    let first = script::page(
        vec![
            script::job("rj-1", serde_json::json!({})),
            script::job("rj-2", serde_json::json!({})),
        ],
        Some("page-2"),
    );
    let second = script::page(vec![script::job("rj-3", serde_json::json!({}))], None);
    let lines = page_by_page("/restore-jobs", &["list", "--all"], first, second, 2);
    assert_eq!(lines, ["rj-1", "rj-2", "rj-3"]);
}

#[test]
fn backups_list_all_ndjson_hands_each_page_to_the_reader_before_fetching_the_next() {
    let backup = |id: &str| {
        serde_json::json!({"backup_id": id, "source_index_name": "docs", "source_index_id": "ix",
                           "status": "Ready", "cloud": "aws", "region": "us-east-1"})
    };
    let first = serde_json::json!({"data": [backup("b-1")], "pagination": {"next": "page-2"}});
    let second = serde_json::json!({"data": [backup("b-2"), backup("b-3")], "pagination": null});
    let lines = page_by_page("/backups", &["backups", "list", "--all"], first, second, 1);
    assert_eq!(lines, ["b-1", "b-2", "b-3"]);
}

/// Runs `args` with `--output ndjson` against a server at `path` with two pages, the second
/// held until the test has read the first page's `first_lines` lines from the command's
/// stdout, and returns the id on each line. Fails when the first page reached the pipe only
/// after the second was fetched: a reader of a slow walk would wait a round trip per page
/// (or a whole retry's backoff) for jobs the command already had.
fn page_by_page(
    path: &'static str,
    args: &[&str],
    first: Value,
    second: Value,
    first_lines: usize,
) -> Vec<String> {
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let read_first = Arc::new(AtomicBool::new(false));
    let read = Arc::clone(&read_first);
    let server = script::Script::start(move |r| {
        if !r.target.starts_with(path) {
            return script::api_error("404 Not Found", "NOT_FOUND", "unexpected");
        }
        if !r.target.contains("paginationToken=") {
            return script::ok(&first);
        }
        let released = released
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv_timeout(Duration::from_secs(10));
        read.store(released.is_ok(), Ordering::SeqCst);
        script::ok(&second)
    });
    let mut all = vec!["--host", server.url()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--output", "ndjson"]);
    let mut child = cli(&all)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut text = String::new();
    for n in 0..first_lines {
        let before = text.len();
        let read = stdout.read_line(&mut text).expect("stdout is UTF-8");
        assert!(
            read > 0 && text.ends_with('\n'),
            "line {n} of the first page is missing: {:?}",
            &text[before..]
        );
    }
    // the reader has the first page: the server may answer the second now
    release.send(()).expect("the server is listening");
    stdout.read_to_string(&mut text).expect("stdout is UTF-8");
    let status = child.wait().expect("the command exits");
    assert!(status.success(), "{status:?}: {text}");
    assert!(
        read_first.load(Ordering::SeqCst),
        "the first page reached stdout only after the second was fetched"
    );
    assert_eq!(server.requests(), 2, "{:?}", server.targets());
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("a JSON line");
            let id = value
                .get("restore_job_id")
                .or_else(|| value.get("backup_id"));
            id.and_then(Value::as_str).expect("an id").to_owned()
        })
        .collect()
}

#[test]
fn list_all_yields_each_job_once_when_pages_overlap() {
    let server = FakeControlPlane::builder()
        .jobs(53)
        .page_overlap(3)
        .api_key(Some(KEY))
        .start()
        .unwrap();

    let run = against(
        &server,
        &["list", "--all", "--limit", "10", "--output", "ndjson"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let jobs = run.ndjson();
    let ndjson_ids = ids(&jobs);
    assert_eq!(ndjson_ids.len(), 53);
    assert_unique(&ndjson_ids);

    let run = against(
        &server,
        &["list", "--all", "--limit", "10", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let all = run.json();
    assert!(all["pagination"].is_null());
    let json_ids = ids(all["data"].as_array().unwrap());
    assert_eq!(json_ids, ndjson_ids);

    let run = against(&server, &["list", "--all", "--limit", "10"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 53);
    let table_ids: Vec<&str> = rows
        .iter()
        .map(|r| r.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(table_ids, ndjson_ids);
}

#[test]
fn describe_as_table_and_json() {
    let server = server(3);
    let run = against(&server, &["describe", "rj-done"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("restore_job_id     rj-done\n"),
        "{run:?}"
    );
    assert!(run.stdout.contains("\nstatus             Completed\n"));
    assert!(run.stdout.contains("\npercent_complete   100%\n"));

    let run = against(&server, &["describe", "rj-done", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let job = run.json();
    assert_eq!(job["restore_job_id"], "rj-done");
    assert_eq!(job["status"], "Completed");
    assert_eq!(job["percent_complete"], 100.0);
    assert!(job["completed_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn wait_until_completed_shows_each_change() {
    let server = server(0);
    let run = against(&server, &["wait", "rj-progress", "--interval", "0.05"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("\nstatus             Completed\n"),
        "{run:?}"
    );
    // not a terminal: one plain line per change
    let progress: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("status "))
        .collect();
    assert_eq!(progress.len(), 3, "{run:?}");
    assert!(progress[0].starts_with("status Pending 33.3% (elapsed "));
    assert!(progress[2].starts_with("status Completed 100% (elapsed "));

    let run = against(&server, &["wait", "rj-done", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["status"], "Completed");
}

#[test]
fn path_prefix_and_host_from_the_environment() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::completed("rj-done"))
        .path_prefix("/gw/v1")
        .api_key(Some(KEY))
        .start()
        .unwrap();
    let base = server.base_url();
    assert!(base.ends_with("/gw/v1"), "{base}");
    let run = exec(cli(&["--host", &base, "describe", "rj-done"]));
    assert_eq!(run.code, 0, "{run:?}");

    let mut command = cli(&["list", "--output", "ndjson"]);
    command.env("PINECONE_CONTROLLER_HOST", &base);
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.ndjson().len(), 1);
}

#[test]
fn key_from_a_file_with_one_trailing_newline() {
    let server = server(2);
    let dir = temp_dir("keyfile");
    let path = dir.join("key");
    std::fs::write(&path, format!("{KEY}\r\n")).unwrap();
    let mut command = cli(&[
        "--host",
        &server.base_url(),
        "--api-key-file",
        path.to_str().unwrap(),
        "list",
    ]);
    command.env_remove("PINECONE_API_KEY");
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn help_and_version_exit_0_with_examples() {
    for args in [
        &["--help"][..],
        &["list", "--help"],
        &["describe", "--help"],
        &["wait", "--help"],
    ] {
        let run = exec(cli(args));
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains("Examples:"), "{args:?}: {run:?}");
        assert!(run.stdout.contains("pinecone-restore --demo"), "{run:?}");
    }
    let run = exec(cli(&["--version"]));
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("pinecone-restore "));
}

#[test]
fn closed_stdout_ends_quietly() {
    let server = FakeControlPlane::builder().jobs(5000).start().unwrap();
    let mut child = cli(&[
        "--host",
        &server.base_url(),
        "list",
        "--all",
        "--limit",
        "100",
        "--output",
        "ndjson",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with('{'));
    drop(stdout); // like `| head -1`
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        server.stats().requests < 50,
        "stopped fetching once stdout closed"
    );
}

/// Peak RSS in KiB of `list --all --output ndjson` over `jobs` jobs, measured by
/// `/usr/bin/time`; `None` where that is not installed.
fn peak_rss_kib(jobs: usize) -> Option<u64> {
    if !std::path::Path::new("/usr/bin/time").exists() {
        return None;
    }
    let server = FakeControlPlane::builder().jobs(jobs).start().unwrap();
    let output = Command::new("/usr/bin/time")
        .args([
            "-f",
            "maxrss_kib=%M",
            env!("CARGO_BIN_EXE_pinecone-restore"),
        ])
        .args([
            "--host",
            &server.base_url(),
            "list",
            "--all",
            "--limit",
            "100",
        ])
        .args(["--output", "ndjson"])
        .env("PINECONE_API_KEY", KEY)
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), jobs);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let kib = stderr.lines().find_map(|l| l.strip_prefix("maxrss_kib="))?;
    Some(kib.trim().parse().unwrap())
}

#[test]
fn list_all_ndjson_memory_stays_flat() {
    let (Some(small), Some(large)) = (peak_rss_kib(1_000), peak_rss_kib(10_000)) else {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    };
    eprintln!("peak RSS: 1,000 jobs {small} KiB, 10,000 jobs {large} KiB");
    // Streaming: ten times the jobs must not cost anything like ten times the memory. What
    // does grow is core's set of ids already seen (tens of bytes per job).
    assert!(
        large < small + 4 * 1024,
        "1,000: {small} KiB, 10,000: {large} KiB"
    );
}

// ---- demo mode

#[test]
fn demo_mode_needs_no_key_and_says_so_on_stderr() {
    let mut command = cli(&["--demo", "list", "--output", "ndjson"]);
    command.env_remove("PINECONE_API_KEY");
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("demo"), "{run:?}");
    assert!(!run.stdout.contains("demo mode"));
    assert_eq!(
        ids(&run.ndjson())[..2],
        ["demo-restore-in-progress", "demo-restore-failing"]
    );

    let run = exec(cli(&["--demo", "list", "--all", "--output", "json"]));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["data"].as_array().unwrap().len(), 25);

    let run = exec(cli(&["--demo", "describe", "demo-restore-in-progress"]));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("demo-restore-in-progress"));
}

#[test]
fn demo_next_page_hint_runs_as_given() {
    let mut command = cli(&["--demo", "list", "--limit", "10"]);
    command.env_remove("PINECONE_API_KEY");
    let first = exec(command);
    assert_eq!(first.code, 0, "{first:?}");
    let hint = first
        .stderr
        .lines()
        .find(|l| l.starts_with("note: more jobs"))
        .unwrap_or_else(|| panic!("a next-page hint: {first:?}"));
    let command = hint.split('`').nth(1).expect("the command in backticks");
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches('\'').to_owned())
        .collect();
    assert_eq!(words[..3], ["pinecone-restore", "--demo", "list"], "{hint}");
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let mut command = cli(&args);
    command.env_remove("PINECONE_API_KEY");
    let next = exec(command);
    assert_eq!(next.code, 0, "{hint}: {next:?}");
    // the second page: the demo's first jobs are not on it
    assert!(
        first.stdout.contains("demo-restore-in-progress"),
        "{first:?}"
    );
    assert!(
        !next.stdout.contains("demo-restore-in-progress"),
        "{next:?}"
    );
    assert!(next.stdout.lines().count() > 1, "{next:?}");
}

#[test]
fn demo_wait_completes_and_fails() {
    let run = exec(cli(&[
        "--demo",
        "wait",
        "demo-restore-in-progress",
        "--interval",
        "0.05",
        "--output",
        "json",
    ]));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["status"], "Completed");

    let run = exec(cli(&[
        "--demo",
        "wait",
        "demo-restore-failing",
        "--interval",
        "0.05",
    ]));
    assert_eq!(run.code, 6, "{run:?}");
    assert!(run.stdout.contains("Failed"));
}

// ---- exit 2: nothing is sent

#[test]
fn invalid_usage_exits_2_and_sends_nothing() {
    let server = server(3);
    let dir = temp_dir("usage");
    let control_key = dir.join("control");
    std::fs::write(&control_key, "pcsk_\u{7}bell\n").unwrap();
    let two_newlines = dir.join("two");
    std::fs::write(&two_newlines, format!("{KEY}\n\n")).unwrap();
    let base = server.base_url();
    let cases: [&[&str]; 16] = [
        &["list", "--bogus"],
        &["--bogus", "list"],
        &["list", "--limit", "0"],
        &["list", "--limit", "101"],
        &["list", "--limit", "-1"],
        &["list", "--output", "yaml"],
        &["list", "--demo"],
        &["describe", ".."],
        &["describe", "."],
        &["describe", ""],
        &["wait", "rj-done", "--interval", "0"],
        &["wait", "rj-done", "--timeout", "soon"],
        &["--request-timeout", "0", "list"],
        &["--api-key-file", control_key.to_str().unwrap(), "list"],
        &["--api-key-file", two_newlines.to_str().unwrap(), "list"],
        &["--api-key-file", "/nonexistent/pinecone-key", "list"],
    ];
    for args in cases {
        let run = against(&server, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
    }
    assert_eq!(server.stats().requests, 0);

    // no key at all: the message names both ways to give one
    let mut command = cli(&["--host", &base, "list"]);
    command.env_remove("PINECONE_API_KEY");
    let run = exec(command);
    assert_eq!(run.code, 2, "{run:?}");
    let line = run.error_line();
    assert!(
        line.contains("PINECONE_API_KEY") && line.contains("--api-key-file"),
        "{line}"
    );

    // a key that is not header-safe
    let mut command = cli(&["--host", &base, "list"]);
    command.env("PINECONE_API_KEY", format!("{KEY}\n"));
    assert_eq!(exec(command).code, 2);

    // plain http to a host that is not loopback
    let run = exec(cli(&["--host", "http://example.com", "list"]));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.error_line().contains("example.com"), "{run:?}");
    let run = exec(cli(&["--host", "http://example.com/", "describe", "x"]));
    assert_eq!(run.code, 2, "{run:?}");

    assert_eq!(server.stats().requests, 0, "nothing was sent");
    let _ = std::fs::remove_dir_all(dir);
}

// ---- exit 3: the API answered with an error status

#[test]
fn api_errors_exit_3_with_status_code_and_message() {
    let server = server(3);
    let run = against(&server, &["describe", "no-such-job"]);
    assert_eq!(run.code, 3, "{run:?}");
    let line = run.error_line();
    assert!(line.contains("404") && line.contains("NOT_FOUND"), "{line}");

    server.inject(Fault::Unauthorized);
    let run = against(&server, &["list"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("401"), "{run:?}");

    // a wrong key gets 401 from the fake itself
    let mut command = cli(&["--host", &server.base_url(), "list"]);
    command.env("PINECONE_API_KEY", "pcsk_wrong");
    let run = exec(command);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("UNAUTHENTICATED"), "{run:?}");

    // a retryable status, retried and still failing
    for _ in 0..2 {
        server.inject(Fault::Status(503));
    }
    let run = against(&server, &["--max-retries", "1", "list"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("503"), "{run:?}");
}

#[test]
fn redirects_are_api_errors_exit_3() {
    let url = raw_server(
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:1/elsewhere\r\n\
          Content-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let run = exec(cli(&["--host", &url, "describe", "rj-done"]));
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("301"), "{run:?}");
}

// ---- exit 4: the response cannot be accepted

#[test]
fn malformed_responses_exit_4() {
    let url = raw_server(ok_json(br#"{"data": [1,"#));
    let run = exec(cli(&["--host", &url, "list"]));
    assert_eq!(run.code, 4, "{run:?}");

    let url = raw_server(ok_json(br#"<html>not json</html>"#));
    let run = exec(cli(&["--host", &url, "list"]));
    assert_eq!(run.code, 4, "{run:?}");

    let url = raw_server(ok_json(
        br#"{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null,"percent_complete":100.5}"#,
    ));
    let run = exec(cli(&["--host", &url, "describe", "r"]));
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.error_line().contains("percent_complete"), "{run:?}");
}

#[test]
fn a_body_over_the_cap_exits_4() {
    // 9 MiB of JSON whitespace, over the 8 MiB cap
    let size = 9 * 1024 * 1024;
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\
         Connection: close\r\n\r\n"
    )
    .into_bytes();
    response.resize(response.len() + size, b' ');
    let url = raw_server(response.leak());
    let run = exec(cli(&["--host", &url, "--max-retries", "0", "list"]));
    assert_eq!(run.code, 4, "{run:?}");
}

// ---- exit 5: transport failures

#[test]
fn connection_refused_exits_5() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let run = exec(cli(&["--host", &url, "--max-retries", "0", "list"]));
    assert_eq!(run.code, 5, "{run:?}");
}

#[test]
fn a_server_that_never_answers_times_out_with_5() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream); // accept, never answer
        }
    });
    let started = Instant::now();
    let run = exec(cli(&[
        "--host",
        &url,
        "--request-timeout",
        "0.5",
        "--max-retries",
        "0",
        "describe",
        "rj-done",
    ]));
    assert_eq!(run.code, 5, "{run:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(run.error_line().contains("tim"), "{run:?}");
}

#[test]
fn a_connection_closed_early_exits_5() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\
          Connection: close\r\n\r\n{\"data\": [",
    );
    let run = exec(cli(&["--host", &url, "--max-retries", "0", "list"]));
    assert_eq!(run.code, 5, "{run:?}");
}

// ---- exit 6 and 7: how a wait ends

#[test]
fn wait_on_a_job_that_fails_or_is_cancelled_exits_6() {
    let server = server(0);
    for (id, status) in [("rj-fails", "Failed"), ("rj-cancelled", "Cancelled")] {
        let run = against(
            &server,
            &["wait", id, "--interval", "0.05", "--output", "json"],
        );
        assert_eq!(run.code, 6, "{run:?}");
        assert_eq!(run.json()["status"], status);
        assert!(run.error_line().contains(status), "{run:?}");
    }
}

#[test]
fn wait_past_the_deadline_exits_7() {
    let server = server(0);
    let started = Instant::now();
    let run = against(
        &server,
        &[
            "wait",
            "rj-forever",
            "--interval",
            "0.05",
            "--timeout",
            "0.3",
        ],
    );
    assert_eq!(run.code, 7, "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(run.stdout.contains("Pending"), "the last snapshot: {run:?}");
    assert!(run.error_line().contains("0.3s"), "{run:?}");
}

#[test]
fn wait_with_timeout_0_checks_once() {
    let server = server(0);
    let run = against(&server, &["wait", "rj-forever", "--timeout", "0"]);
    assert_eq!(run.code, 7, "{run:?}");
    assert!(run.stdout.contains("Pending"), "the one snapshot: {run:?}");
    assert_eq!(server.stats().describe_requests, 1, "one describe");
    let run = against(&server, &["wait", "rj-done", "--timeout", "0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.stats().describe_requests, 2);
}

// ---- helpers

/// A complete `200 OK` response with `body`.
fn ok_json(body: &[u8]) -> &'static [u8] {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response.leak()
}

/// Serves `response` to every connection on a loopback port, after reading the request head.
fn raw_server(response: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream, response));
        }
    });
    url
}

fn answer(mut stream: TcpStream, response: &[u8]) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let _ = stream.write_all(response);
    let _ = stream.flush();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pinecone-restore-cli-test-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn all_resumes_from_a_pagination_token() {
    let server = server(20);
    let first = against(&server, &["list", "--limit", "10", "--output", "json"]);
    assert_eq!(first.code, 0, "{first:?}");
    let first = first.json();
    let token = first["pagination"]["next"].as_str().expect("a next token");
    let rest = against(
        &server,
        &[
            "list",
            "--all",
            "--limit",
            "10",
            "--pagination-token",
            token,
            "--output",
            "ndjson",
        ],
    );
    assert_eq!(rest.code, 0, "{rest:?}");
    let rest = rest.ndjson();
    let mut every: Vec<&str> = ids(first["data"].as_array().expect("data"));
    every.extend(ids(&rest));
    assert_eq!(every.len(), 25, "5 known jobs and 20 generated, each once");
    assert_unique(&every);
}

#[test]
fn a_loopback_host_ignores_proxies_from_the_environment() {
    // A proxy would resolve 127.0.0.1 on its own host; this one does not even listen.
    let dead = TcpListener::bind("127.0.0.1:0").expect("bind");
    let proxy = format!("http://{}", dead.local_addr().expect("addr"));
    drop(dead);
    let server = server(3);
    let base = server.base_url();
    let mut command = cli(&["--host", &base, "list", "--output", "json"]);
    command.env("HTTP_PROXY", &proxy).env("ALL_PROXY", &proxy);
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.stats().requests, 1);
}
