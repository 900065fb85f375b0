//! What a hostile server, or a careless input, must not get out of the command: every case
//! here failed on the release before core owned every bound and every safety rule. Secrets
//! stay hidden, every loop and wait is bounded, each failure has the right exit code, and
//! server text reaches the terminal escaped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pinecone_restore_core::{ConfigBuilder, MAX_PAGES_WITHOUT_NEW_JOBS, MAX_TOKEN_LEN};
use pinecone_restore_fake::{
    Ending, Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeSchedule, FakeServer, Fault,
};
use serde_json::json;

use super::script::{self, Reply, Script};
use super::{KEY, Run, against, cli, exec, server};

/// Runs the binary against a scripted server.
fn at(server: &Script, args: &[&str]) -> Run {
    let mut all = vec!["--host", server.url()];
    all.extend_from_slice(args);
    exec(cli(&all))
}

fn lines_starting<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

// ---- secrets

#[test]
fn the_key_sent_back_as_a_pagination_token_is_never_shown() {
    for token in [KEY.to_owned(), format!("AAAA{KEY}+/==")] {
        let server = Script::start(move |_| {
            script::ok(&script::page(
                vec![script::job("rj-1", json!({}))],
                Some(&token),
            ))
        });
        // one page (the `note: more jobs` line, or `pagination.next` in json) and every page
        // (the walk's error): core refuses the token, and no output quotes it
        for args in [
            &["list"][..],
            &["list", "--output", "json"],
            &["list", "--output", "ndjson"],
            &["list", "--all"],
            &["list", "--all", "--output", "json"],
            &["list", "--all", "--output", "ndjson"],
        ] {
            let run = at(&server, args);
            assert_eq!(run.code, 4, "{args:?}: {run:?}");
            assert!(run.error_line().contains("pagination.next"), "{run:?}");
            assert!(lines_starting(&run.stderr, "note: more jobs").is_empty());
        }
    }
}

#[test]
fn credentials_in_the_host_are_refused_without_showing_them() {
    for host in [
        "http://user:secret@127.0.0.1:1/x?y=1",
        "user:secret@127.0.0.1:1",
    ] {
        let run = exec(cli(&["--host", host, "list"]));
        assert_eq!(run.code, 2, "{host}: {run:?}");
        assert!(
            !run.stdout.contains("secret") && !run.stderr.contains("secret"),
            "{host}: {run:?}"
        );
    }
}

#[test]
fn credentials_in_the_host_from_the_environment_are_refused_without_showing_them() {
    let mut command = cli(&["list"]);
    command.env("PINECONE_CONTROLLER_HOST", "http://user:pw@127.0.0.1:1");
    let run = exec(command);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.stdout.contains("pw") && !run.stderr.contains("pw"),
        "{run:?}"
    );
}

#[test]
fn host_overrides_the_host_from_the_environment() {
    let server = server(2);
    let mut command = cli(&["--host", &server.base_url(), "list", "--output", "ndjson"]);
    command.env("PINECONE_CONTROLLER_HOST", "http://user:pw@127.0.0.1:1");
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.stats().requests, 1);
}

#[test]
fn a_bare_host_in_the_environment_means_https_as_in_the_library() {
    // What the library makes of it.
    let lookup = |name: &str| match name {
        "PINECONE_API_KEY" => Some(KEY.to_owned()),
        "PINECONE_CONTROLLER_HOST" => Some("api.example.com".to_owned()),
        _ => None,
    };
    let config = ConfigBuilder::from_env(lookup)
        .expect("a key and a bare host")
        .build()
        .expect("a bare host is accepted");
    assert_eq!(config.base_url().to_string(), "https://api.example.com");

    // What the command does with a bare loopback host: a TLS handshake, not plain HTTP.
    let first_bytes = Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::clone(&first_bytes);
    std::thread::spawn(move || {
        use std::io::Read;
        for mut stream in listener.incoming().flatten() {
            let mut bytes = [0u8; 3];
            if stream.read_exact(&mut bytes).is_ok() {
                seen.lock().unwrap().push(bytes);
            }
        }
    });
    let mut command = cli(&["--max-retries", "0", "--request-timeout", "5", "list"]);
    command.env("PINECONE_CONTROLLER_HOST", addr.to_string());
    let run = exec(command);
    assert_eq!(run.code, 5, "{run:?}");
    let seen = first_bytes.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "one connection: {seen:?}");
    // a TLS record: handshake (22), version 3.x
    assert_eq!(&seen[0][..2], &[0x16, 0x03], "{seen:?}");
}

// ---- bounds: retries

#[test]
fn max_retries_above_20_is_refused_before_sending() {
    let server = server(1);
    let run = against(&server, &["--max-retries", "21", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.error_line().contains("--max-retries"), "{run:?}");
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn max_retries_20_sends_exactly_21_requests_even_with_retry_after_0() {
    let server = Script::start(|_| {
        script::response(
            "503 Service Unavailable",
            &[("Retry-After", "0"), ("Content-Type", "application/json")],
            br#"{"error":{"code":"UNAVAILABLE","message":"try later"},"status":503}"#,
        )
    });
    let run = at(&server, &["--max-retries", "20", "list"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("503"), "{run:?}");
    assert_eq!(server.requests(), 21);

    // the fake's 429 with `Retry-After: 0`, queued more often than the retries allow
    let fake = FakeControlPlane::builder()
        .jobs(1)
        .api_key(Some(KEY))
        .start()
        .unwrap();
    for _ in 0..25 {
        fake.inject(Fault::TooManyRequests {
            retry_after: "0".to_owned(),
        });
    }
    let run = against(&fake, &["--max-retries", "20", "describe", "rj-1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("429"), "{run:?}");
    assert_eq!(fake.stats().requests, 21);
}

#[test]
fn a_retry_after_beyond_the_cap_gives_up_at_once_and_says_what_the_server_asked() {
    let server = Script::start(|_| {
        script::response(
            "503 Service Unavailable",
            &[("Retry-After", "1000000000000")],
            b"",
        )
    });
    let started = Instant::now();
    let run = at(&server, &["list"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(server.requests(), 1, "no retry at all");
    let line = run.error_line();
    assert!(line.contains("503"), "{line}");
    assert!(line.contains("1000000000000 s"), "{line}");
    // the old release slept the 30 s cap and then retried
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ---- bounds: waiting

#[test]
fn wait_timeout_2_returns_within_3_seconds_against_a_server_that_never_answers() {
    let server = Script::start(|_| Reply::Silence);
    let started = Instant::now();
    let run = at(&server, &["wait", "rj-1", "--timeout", "2"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 7, "{run:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert!(run.error_line().contains("2s"), "{run:?}");
    assert!(server.requests() >= 1);
}

// ---- bounds: walking pages

#[test]
fn a_walk_that_brings_nothing_new_stops_after_a_bounded_number_of_pages() {
    // fresh tokens forever; a page of the same job each time, or of nothing at all
    for jobs in [1, 0] {
        let server = Script::start(move |r| {
            let data = (0..jobs)
                .map(|_| script::job("rj-same", json!({})))
                .collect();
            script::ok(&script::page(
                data,
                Some(&format!("fresh-token-{}", r.index)),
            ))
        });
        let run = at(&server, &["list", "--all", "--output", "ndjson"]);
        assert_eq!(run.code, 4, "{jobs} a page: {run:?}");
        assert_eq!(run.ndjson().len(), jobs, "each job once: {run:?}");
        let bound = 2 + usize::try_from(MAX_PAGES_WITHOUT_NEW_JOBS).unwrap();
        assert!(server.requests() <= bound, "{}", server.requests());
    }
}

#[test]
fn a_token_that_grows_every_page_is_refused_as_a_response_with_bounded_output() {
    let server = Script::start(|r| {
        let token = "A".repeat(1024 * (r.index + 1));
        script::ok(&script::page(
            vec![script::job(&format!("rj-{}", r.index), json!({}))],
            Some(&token),
        ))
    });
    for output in ["ndjson", "table"] {
        let run = at(&server, &["list", "--all", "--output", output]);
        assert_eq!(run.code, 4, "{output}: {run:?}");
        assert!(run.stderr.len() < 4096, "{output}: {}", run.stderr.len());
    }
    // no request ever carried a token over the bound
    for target in server.targets() {
        assert!(target.len() < MAX_TOKEN_LEN + 100, "{}", target.len());
    }
}

#[test]
fn no_resume_note_when_the_same_page_would_fail_again() {
    // a server that hands back the same token forever: resuming from it would loop again
    let server = Script::start(|_| {
        script::ok(&script::page(
            vec![script::job("rj-1", json!({}))],
            Some("again"),
        ))
    });
    let run = at(&server, &["list", "--all", "--output", "ndjson"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("again"), "{run:?}");
    assert!(
        lines_starting(&run.stderr, "note: stopped after").is_empty(),
        "{run:?}"
    );
}

#[test]
fn the_resume_note_after_a_failed_walk_is_bounded_and_resumes() {
    // pages with ever longer tokens until the server fails on the longest one allowed
    let failed = Arc::new(AtomicUsize::new(0));
    let fails = Arc::clone(&failed);
    let server = Script::start(move |r| {
        let carried = r
            .target
            .split_once("paginationToken=")
            .map_or(0, |(_, t)| t.len());
        if carried >= MAX_TOKEN_LEN && fails.fetch_add(1, Ordering::SeqCst) == 0 {
            return script::api_error("500 Internal Server Error", "UNKNOWN", "boom");
        }
        let next = (carried < MAX_TOKEN_LEN).then(|| "A".repeat(carried + 1024));
        script::ok(&script::page(
            vec![script::job(&format!("rj-{carried}"), json!({}))],
            next.as_deref(),
        ))
    });
    let run = at(
        &server,
        &["--max-retries", "0", "list", "--all", "--output", "ndjson"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    let notes = lines_starting(&run.stderr, "note: stopped after");
    assert_eq!(notes.len(), 1, "{run:?}");
    assert!(notes[0].len() < MAX_TOKEN_LEN + 200, "{}", notes[0].len());
    let token = notes[0]
        .split_once("--pagination-token ")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(token, _)| token.trim_matches('\''))
        .expect("the note gives the token");
    let rest = at(
        &server,
        &[
            "list",
            "--all",
            "--pagination-token",
            token,
            "--output",
            "ndjson",
        ],
    );
    assert_eq!(rest.code, 0, "{rest:?}");
    assert_eq!(rest.ndjson().len(), 1, "{rest:?}");
}

// ---- exit classes

#[test]
fn a_corrupt_gzip_body_is_an_unacceptable_response() {
    let server = Script::start(|_| {
        script::response(
            "200 OK",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            b"\x1f\x8b\x08\x00garbage that is not deflate at all \xff\xfe\xfd",
        )
    });
    let run = at(&server, &["list"]);
    assert_eq!(run.code, 4, "{run:?}");
    let run = at(&server, &["describe", "rj-1"]);
    assert_eq!(run.code, 4, "{run:?}");
}

#[test]
fn a_pagination_token_over_the_bound_is_refused_before_sending() {
    let server = server(3);
    let long = "A".repeat(100_000);
    for all in [false, true] {
        let mut args = vec!["list", "--pagination-token", long.as_str()];
        if all {
            args.push("--all");
        }
        let run = against(&server, &args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.len() < 4096, "the token is not echoed whole");
    }
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn a_connection_reset_during_wait_is_retried() {
    // the fake closes the connection without an answer
    let fake = server(0);
    fake.inject_on(Endpoint::Describe, Fault::Drop);
    let run = against(&fake, &["wait", "rj-done", "--interval", "0.05"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Completed"), "{run:?}");
    assert_eq!(fake.stats().describe_requests, 2);

    // a real TCP reset, then the answer
    let server = Script::start(|r| match r.index {
        0 => Reply::Reset,
        _ => script::ok(&script::job(
            "rj-1",
            json!({"status": "Completed", "percent_complete": 100,
                   "completed_at": "2024-11-21T11:21:11Z"}),
        )),
    });
    let run = at(&server, &["wait", "rj-1", "--interval", "0.05"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Completed"), "{run:?}");
    assert_eq!(server.requests(), 2);
}

// ---- what reaches the terminal

/// Characters that reorder or restyle a terminal's text: none may be written raw.
const RAW: [char; 6] = [
    '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{1b}',
];

fn assert_no_raw(run: &Run, context: &str) {
    for c in RAW {
        assert!(
            !run.stdout.contains(c) && !run.stderr.contains(c),
            "{context}: U+{:04X} raw in {run:?}",
            u32::from(c)
        );
    }
}

/// A listing: the list endpoint answers `page`, a describe answers `job`.
fn listing(page: serde_json::Value, job: serde_json::Value) -> Script {
    Script::start(move |r| {
        if r.target == "/restore-jobs" || r.target.starts_with("/restore-jobs?") {
            script::ok(&page)
        } else {
            script::ok(&job)
        }
    })
}

/// A job being waited on: the `n`-th describe answers `snapshots[n]`, the last one from then on.
fn polled(snapshots: Vec<serde_json::Value>) -> Script {
    Script::start(move |r| script::ok(&snapshots[r.index.min(snapshots.len() - 1)]))
}

#[test]
fn bidi_and_escape_characters_from_the_server_are_shown_escaped() {
    let hostile = |status: &str| {
        script::job(
            "rj-\u{2067}1\u{2068}",
            json!({
                "backup_id": "bkp\u{2066}1\u{2069}",
                "target_index_name": "evil\u{202e}gpj.exe",
                "target_index_id": "\u{1b}[31mred\u{1b}[0m",
                "status": status,
            }),
        )
    };
    let server = listing(
        script::page(vec![hostile("Pending\u{202e}")], None),
        hostile("Queued\u{1b}]0;title\u{7}"),
    );
    for args in [&["list"][..], &["list", "--all"], &["describe", "rj-1"]] {
        let run = at(&server, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(run.stdout.contains("evil\\u{202e}gpj.exe"), "{run:?}");
        assert_no_raw(&run, &format!("{args:?}"));
    }

    // wait: the progress lines, the final job and the error line for the ended job
    let server = polled(vec![
        hostile("Queued\u{1b}]0;title\u{7}"),
        hostile("Pending\u{2066}\u{2067}\u{2068}\u{2069}"),
        hostile("Failed"),
    ]);
    let run = at(&server, &["wait", "rj-1", "--interval", "0.05"]);
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(lines_starting(&run.stderr, "status ").len(), 3, "{run:?}");
    assert!(run.stderr.contains("Queued\\u{1b}"), "{run:?}");
    assert_no_raw(&run, "wait");

    // an API error's message
    let server = Script::start(|_| {
        script::api_error(
            "404 Not Found",
            "NOT_FOUND",
            "job \u{202e}\u{1b}[2J\u{2066} not found",
        )
    });
    let run = at(&server, &["describe", "rj-1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert_no_raw(&run, "error line");
}

#[test]
fn a_percent_of_minus_zero_is_shown_as_0() {
    // no other field holds `-0`: the dates are chosen so
    let minus_zero = script::job("rj-1", json!({"percent_complete": -0.0}));
    assert!(
        minus_zero.to_string().contains("-0.0"),
        "the server sends -0"
    );
    let completed = script::job(
        "rj-1",
        json!({"status": "Completed", "percent_complete": 100,
               "completed_at": "2024-11-21T11:21:11Z"}),
    );
    let server = listing(
        script::page(vec![minus_zero.clone()], None),
        minus_zero.clone(),
    );
    let run = at(&server, &["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    let row = run.stdout.lines().nth(1).expect("one row");
    assert!(row.ends_with(" 0%"), "{run:?}");
    let run = at(&server, &["describe", "rj-1"]);
    assert!(run.stdout.contains("\npercent_complete   0%\n"), "{run:?}");
    for args in [
        &["list"][..],
        &["list", "--all"],
        &["list", "--output", "json"],
        &["list", "--output", "ndjson"],
        &["describe", "rj-1"],
        &["describe", "rj-1", "--output", "json"],
    ] {
        let run = at(&server, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(!run.stdout.contains("-0"), "{args:?}: {run:?}");
    }

    // wait: the first snapshot is -0, shown as 0%
    let server = polled(vec![minus_zero, completed]);
    let run = at(&server, &["wait", "rj-1", "--interval", "0.05"]);
    assert_eq!(run.code, 0, "{run:?}");
    let progress = lines_starting(&run.stderr, "status ");
    assert!(progress[0].starts_with("status Pending 0% "), "{run:?}");
    assert!(
        !run.stderr.contains("-0") && !run.stdout.contains("-0"),
        "{run:?}"
    );
}

// ---- what reaches the terminal: backups and schedules

/// Server text a terminal would act on: as the server sends it, and as the command shows it
/// (core's `text::shown`: each control and format character as `\r` or `\u{hex}`).
struct Hostile {
    sent: &'static str,
    shown: &'static str,
}

/// A backup's `name`: turns the rest of the terminal red.
const NAME: Hostile = Hostile {
    sent: "nightly\u{1b}[31mred\u{1b}[0m",
    shown: r"nightly\u{1b}[31mred\u{1b}[0m",
};

/// A backup's `description`: reverses what follows, rings, and moves the cursor back.
const DESCRIPTION: Hostile = Hostile {
    sent: "before \u{202e}gpj.exe\u{7}\u{8}\r!",
    shown: r"before \u{202e}gpj.exe\u{7}\u{8}\r!",
};

/// A backup's `status`, one core does not know: sets the terminal's title.
const STATUS: Hostile = Hostile {
    sent: "Initializing\u{1b}]0;pwned\u{7}",
    shown: r"Initializing\u{1b}]0;pwned\u{7}",
};

/// A backup's `source_index_name`: only the project's listing shows it, as no index of that
/// name can be asked for.
const INDEX: Hostile = Hostile {
    sent: "evil\u{2067}\u{202e}gpj.exe\u{2069}",
    shown: r"evil\u{2067}\u{202e}gpj.exe\u{2069}",
};

/// A tag's value: a C1 control sequence introducer, DEL and NUL.
const TAG: Hostile = Hostile {
    sent: "prod\u{9b}2J\u{7f}\u{0}",
    shown: r"prod\u{9b}2J\u{7f}\u{0}",
};

/// A backup's `metric`, kept as sent: a right-to-left mark.
const METRIC: Hostile = Hostile {
    sent: "cosine\u{200f}",
    shown: r"cosine\u{200f}",
};

/// A `created_at` that is not a time (2025-04 to 2026-04 keep it as text): clears the screen.
const WHEN: Hostile = Hostile {
    sent: "yesterday\u{1b}[2J",
    shown: r"yesterday\u{1b}[2J",
};

/// The id of a restore job still running from a backup: a prune's WHY names it.
const JOB: Hostile = Hostile {
    sent: "rj-\u{1b}[1A\u{2066}",
    shown: r"rj-\u{1b}[1A\u{2066}",
};

/// A schedule's `name` (API 2026-07); the backups it takes are named after it.
const SCHEDULE: Hostile = Hostile {
    sent: "daily\u{2068}\u{1b}[8m\u{85}",
    shown: r"daily\u{2068}\u{1b}[8m\u{85}",
};

/// Asserts that `run` wrote nothing a terminal acts on but line ends and tabs: no C0 or C1
/// control character, no DEL, no bidi override or isolate.
fn assert_no_control(run: &Run, context: &str) {
    assert_no_raw(run, context);
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            panic!("{context}: U+{:04X} raw on {stream}: {run:?}", u32::from(c));
        }
    }
}

/// Asserts that `shown` (`run`'s stdout or stderr) holds each of `hostile` escaped, so it was
/// shown rather than dropped, and that `run` wrote nothing raw.
fn assert_escaped(run: &Run, shown: &str, hostile: &[&Hostile], context: &str) {
    assert_no_control(run, context);
    for h in hostile {
        assert!(
            shown.contains(h.shown),
            "{context}: `{}` not shown: {run:?}",
            h.shown
        );
    }
}

/// The index `docs` with backups a hostile server describes:
/// - `bk-named`, `Ready`: its name, description, tag and metric hostile,
///   and a restore job still running from it under a hostile id;
/// - `bk-old`, `Ready` and older, with the same name: the one a prune deletes;
/// - `bk-status`: in a hostile status, made at a hostile `created_at`;
///
/// the index `tickets` with nothing `Ready` (`tk-new` in the hostile status, `tk-old` failed
/// at the hostile `created_at`); and `bk-index`, a backup of an index with a hostile name.
fn hostile_backups() -> FakeServer {
    let named = |id: &str, created_at: &str| FakeBackup {
        name: Some(NAME.sent.to_owned()),
        description: Some(DESCRIPTION.sent.to_owned()),
        tags: vec![("env".to_owned(), TAG.sent.to_owned())],
        metric: METRIC.sent.to_owned(),
        ..FakeBackup::ready(id).of_index("docs").created(created_at)
    };
    FakeControlPlane::builder()
        .backup(named("bk-named", "2025-06-02T00:00:00Z"))
        .backup(named("bk-old", "2025-06-01T00:00:00Z"))
        .backup(
            FakeBackup::ready("bk-status")
                .of_index("docs")
                .with_status(STATUS.sent)
                .created(WHEN.sent),
        )
        .backup(
            FakeBackup::ready("tk-new")
                .of_index("tickets")
                .with_status(STATUS.sent)
                .created("2025-06-05T00:00:00Z"),
        )
        .backup(
            FakeBackup::failed("tk-old")
                .of_index("tickets")
                .created(WHEN.sent),
        )
        .backup(FakeBackup::ready("bk-index").of_index(INDEX.sent))
        .job(FakeJob {
            backup_id: "bk-named".to_owned(),
            ..FakeJob::progressing(JOB.sent, u32::MAX, Ending::Completed)
        })
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

#[test]
fn backup_text_from_the_server_is_listed_and_described_escaped() {
    let server = hostile_backups();
    let run = against(&server, &["backups", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_escaped(
        &run,
        &run.stdout,
        &[&NAME, &STATUS, &INDEX, &WHEN],
        "backups list",
    );
    let run = against(&server, &["backups", "list", "--index", "docs"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_escaped(&run, &run.stdout, &[&NAME, &STATUS, &WHEN], "--index");

    let run = against(&server, &["backups", "describe", "bk-named"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_escaped(
        &run,
        &run.stdout,
        &[&NAME, &DESCRIPTION, &TAG, &METRIC],
        "describe bk-named",
    );
    for (id, hostile) in [
        ("bk-status", &[&STATUS, &WHEN][..]),
        ("bk-index", &[&INDEX]),
    ] {
        let run = against(&server, &["backups", "describe", id]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_escaped(&run, &run.stdout, hostile, id);
    }

    // programs get the very text the server sent, in JSON's own escapes
    let run = against(&server, &["backups", "list", "--output", "ndjson"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_control(&run, "ndjson");
    let status = run
        .ndjson()
        .into_iter()
        .find(|b| b["backup_id"] == "bk-status");
    assert_eq!(status.expect("bk-status listed")["status"], STATUS.sent);
}

#[test]
fn backup_text_from_the_server_leaves_a_json_document_valid_and_whole() {
    let server = hostile_backups();
    for args in [
        &["backups", "list", "--output", "json"][..],
        &["backups", "describe", "bk-named", "--output", "json"],
        &["backups", "describe", "bk-index", "--output", "json"],
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "0",
            "--dry-run",
            "--output",
            "json",
        ],
    ] {
        let run = against(&server, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert_no_control(&run, &format!("{args:?}"));
        // a document a program can read: the escapes are JSON's, inside its strings
        run.json();
    }
    let run = against(
        &server,
        &["backups", "describe", "bk-named", "--output", "json"],
    );
    // the very text the server sent
    let backup = run.json();
    assert_eq!(backup["name"], NAME.sent, "{run:?}");
    assert_eq!(backup["description"], DESCRIPTION.sent, "{run:?}");
    assert_eq!(backup["tags"]["env"], TAG.sent, "{run:?}");
    let run = against(
        &server,
        &["backups", "describe", "bk-index", "--output", "json"],
    );
    assert_eq!(run.json()["source_index_name"], INDEX.sent, "{run:?}");
}

#[test]
fn the_key_sent_back_in_a_backup_is_refused_without_showing_it() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup {
            description: Some(format!("{} {KEY}", DESCRIPTION.sent)),
            ..FakeBackup::ready("bk-key").of_index("docs")
        })
        .api_key(Some(KEY))
        .start()
        .expect("fake starts");
    for args in [
        &["backups", "list"][..],
        &["backups", "list", "--output", "json"],
        &["backups", "describe", "bk-key"],
        &["backups", "describe", "bk-key", "--output", "json"],
        &["backups", "delete", "bk-key", "--dry-run"],
    ] {
        // `exec` checks that the key is nowhere in the output
        let run = against(&server, args);
        assert_eq!(run.code, 4, "{args:?}: {run:?}");
        assert!(run.stderr.contains("description"), "{args:?}: {run:?}");
        assert_no_control(&run, &format!("{args:?}"));
    }
}

#[test]
fn backup_text_from_the_server_is_shown_escaped_before_deleting() {
    let server = hostile_backups();
    // the confirmation table on stdout
    let run = against(
        &server,
        &["backups", "delete", "bk-named", "bk-status", "--dry-run"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_escaped(&run, &run.stdout, &[&NAME, &STATUS, &WHEN], "delete");

    // from 2026-07 the command finds the running restore itself, and names it
    let run = against(
        &server,
        &[
            "--api-version",
            "2026-07",
            "backups",
            "delete",
            "bk-named",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert_escaped(&run, &run.stderr, &[&JOB], "delete in use");

    // the plan, each backup's WHY included
    let run = against(
        &server,
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "0",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_escaped(&run, &run.stdout, &[&NAME, &STATUS, &WHEN, &JOB], "prune");
    assert!(
        run.stdout.contains(&format!("(job `{}`)", JOB.shown)),
        "the WHY: {run:?}"
    );
    assert_eq!(server.stats().delete_backup_requests, 0);
}

#[test]
fn backup_text_from_the_server_is_shown_escaped_when_restoring_and_waiting() {
    let server = hostile_backups();
    // nothing Ready: the error names the statuses and the newest backup
    let run = against(
        &server,
        &["restore", "--from-index", "tickets", "--name", "t"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert_escaped(&run, run.error_line(), &[&STATUS], "nothing ready");
    assert!(
        run.error_line()
            .contains(&format!("newest: `tk-new` {}", STATUS.shown)),
        "{run:?}"
    );
    assert_eq!(server.stats().restores_created, 0);

    // the note naming the backup picked
    let run = against(
        &server,
        &["restore", "--from-index", "docs", "--name", "restored"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let note = lines_starting(&run.stderr, "note: restoring from backup `bk-named`");
    assert_eq!(note.len(), 1, "{run:?}");
    assert_escaped(&run, note[0], &[&NAME], "the pick");

    // one look, still in a status core does not know: the progress line, the snapshot
    let run = against(&server, &["backups", "wait", "bk-status", "--timeout", "0"]);
    assert_eq!(run.code, 7, "{run:?}");
    let progress = lines_starting(&run.stderr, "status ");
    assert_eq!(progress.len(), 1, "{run:?}");
    assert_escaped(&run, progress[0], &[&STATUS], "wait progress");
    assert_escaped(&run, &run.stdout, &[&STATUS, &WHEN], "wait snapshot");
}

#[test]
fn a_schedule_name_from_the_server_is_shown_escaped() {
    let server = FakeControlPlane::builder()
        .schedule_created_ago(
            FakeSchedule {
                name: SCHEDULE.sent.to_owned(),
                ..FakeSchedule::daily("sched-1").of_index("docs")
            },
            Duration::from_secs(2 * 86_400),
        )
        .api_key(Some(KEY))
        .start()
        .expect("fake starts");
    let v7 = |args: &[&str]| {
        let mut all = vec!["--api-version", "2026-07"];
        all.extend_from_slice(args);
        against(&server, &all)
    };
    for args in [
        &["schedules", "list", "docs"][..],
        &["schedules", "describe", "sched-1"],
        &["schedules", "delete", "sched-1", "--dry-run"],
        // the backups its runs took are named after it
        &["schedules", "history", "sched-1"],
        // and the listing of its index names it in the SCHEDULE column
        &["backups", "list", "--index", "docs"],
    ] {
        let run = v7(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert_escaped(&run, &run.stdout, &[&SCHEDULE], &format!("{args:?}"));
    }
    let run = v7(&["backups", "list", "--index", "docs"]);
    let header = run.stdout.lines().next().unwrap_or_default();
    assert!(header.ends_with("SCHEDULE"), "{run:?}");
    assert!(
        run.stdout
            .lines()
            .skip(1)
            .all(|row| row.ends_with(SCHEDULE.shown)),
        "each backup it took: {run:?}"
    );

    let run = v7(&["schedules", "list", "docs", "--output", "ndjson"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_control(&run, "ndjson");
    assert_eq!(run.ndjson()[0]["name"], SCHEDULE.sent);
}

// ---- a stdout that cannot be written

/// Runs `cli(args)` with stdout on `/dev/full`, where every write fails with `ENOSPC`.
#[cfg(target_os = "linux")]
fn with_stdout_full(args: &[&str]) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let mut command = cli(args);
    command.stdout(full);
    exec(command)
}

#[cfg(target_os = "linux")]
#[test]
fn a_stdout_that_cannot_be_written_is_a_reported_error_and_the_walk_stops() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::completed("rj-done"))
        .jobs(500)
        .api_key(Some(KEY))
        .start()
        .unwrap();
    let base = server.base_url();
    for args in [
        &["list", "--all", "--limit", "10", "--output", "ndjson"][..],
        &["list", "--all", "--limit", "10", "--output", "json"],
        &["list"],
        &["describe", "rj-done"],
    ] {
        let mut all = vec!["--host", base.as_str()];
        all.extend_from_slice(args);
        let before = server.stats().requests;
        let run = with_stdout_full(&all);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(run.error_line().contains("cannot write output"), "{run:?}");
        // the walk stops at the first page it cannot hand on, not after all 50; a JSON
        // document is written only once whole, so its walk ends before the first write
        if !args.contains(&"json") {
            assert!(server.stats().requests - before <= 2, "{args:?}");
        }
    }
}

/// The words a POSIX shell makes of `command`, as it would run them.
fn shell_words(command: &str) -> Vec<String> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\n' {command}"))
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_suggested_command_pastes_into_a_shell_as_printed_whatever_the_id() {
    let id = "rj 'x' $(echo pwned) `id`;*";
    let server = Script::start(move |_| {
        script::response(
            "202 Accepted",
            &[("content-type", "application/json")],
            json!({"restore_job_id": id, "index_id": "ix-1"})
                .to_string()
                .as_bytes(),
        )
    });
    let run = at(&server, &["restore", "bkp-1", "--name", "restored"]);
    assert_eq!(run.code, 0, "{run:?}");
    let note = lines_starting(&run.stderr, "note: follow it with");
    assert_eq!(note.len(), 1, "{run:?}");
    // the id holds backquotes itself: the command is all between the outer ones
    let command = note[0]
        .strip_prefix("note: follow it with `")
        .and_then(|rest| rest.strip_suffix('`'))
        .expect("the command in backquotes");
    assert_eq!(
        shell_words(command),
        ["pinecone-restore", "--host", server.url(), "wait", id],
        "{command}"
    );
}

#[test]
fn a_json_listing_that_fails_mid_walk_writes_nothing_while_ndjson_keeps_what_came() {
    let server = Script::start(|r| {
        if r.target.contains("paginationToken=") {
            script::api_error("500 Internal Server Error", "UNKNOWN", "boom")
        } else {
            script::ok(&script::page(
                vec![
                    script::job("rj-1", json!({})),
                    script::job("rj-2", json!({})),
                ],
                Some("page-2"),
            ))
        }
    });
    let args = |format| ["--max-retries", "0", "list", "--all", "--output", format];
    let run = at(&server, &args("json"));
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.stdout, "", "a JSON document is whole or absent");
    let run = at(&server, &args("ndjson"));
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.ndjson().len(), 2, "NDJSON streams: {run:?}");
}

#[test]
fn a_value_with_a_newline_is_shown_escaped_on_one_line_with_its_reason() {
    for (args, value, reason) in [
        (
            vec!["restore", "b", "--name", "abc\n"],
            "`abc\\n`",
            "lower-case letters",
        ),
        (
            vec!["restore", "b", "--name", "ok", "--tag", "k=a\nb"],
            "`k=a\\nb`",
            "for `k`, found",
        ),
        (vec!["list", "--limit", "5\n0"], "`5\\n0`", "from 1 to 100"),
    ] {
        let run = exec(cli(&args));
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
        let line = run.error_line();
        assert!(line.contains(value) && line.contains(reason), "{line}");
    }
}
