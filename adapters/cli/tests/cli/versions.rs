//! Every supported API version, 2025-04 through 2026-07, each answered and checked by its own
//! rules; an unknown version sent as given, a malformed one refused (issue 10).

use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, FakeServer, Fault};
use serde_json::Value;

use super::{KEY, Run, against, cli, exec};

const VERSIONS: [&str; 4] = ["2025-04", "2025-10", "2026-04", "2026-07"];

/// A fake with one completed job, one that completes on its 3rd describe and one that never
/// does, requiring [`KEY`].
fn versioned_server() -> FakeServer {
    FakeControlPlane::builder()
        .job(FakeJob::completed("rj-done"))
        .job(FakeJob::progressing("rj-progress", 3, Ending::Completed))
        .job(FakeJob::progressing(
            "rj-forever",
            u32::MAX,
            Ending::Completed,
        ))
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

fn demo(version: &str, args: &[&str]) -> Run {
    let mut all = vec!["--demo", "--api-version", version];
    all.extend_from_slice(args);
    let mut command = cli(&all);
    command.env_remove("PINECONE_API_KEY");
    exec(command)
}

/// The table row of `id`, split into its columns (none of the test's cells has a space).
fn row<'a>(table: &'a str, id: &str) -> Vec<&'a str> {
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&id))
        .unwrap_or_else(|| panic!("no row for {id} in {table}"))
}

fn job<'a>(jobs: &'a [Value], id: &str) -> &'a Value {
    jobs.iter()
        .find(|j| j["restore_job_id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {jobs:?}"))
}

#[test]
fn demo_list_describe_and_wait_work_in_every_version() {
    for version in VERSIONS {
        let run = demo(version, &["list"]);
        assert_eq!(run.code, 0, "{version}: {run:?}");
        assert!(run.stdout.contains("demo-restore-in-progress"), "{run:?}");

        let run = demo(version, &["describe", "demo-restore-in-progress"]);
        assert_eq!(run.code, 0, "{version}: {run:?}");
        assert!(
            run.stdout.contains("\nstatus             Pending\n"),
            "{run:?}"
        );

        let run = demo(
            version,
            &[
                "wait",
                "demo-restore-in-progress",
                "--interval",
                "0.05",
                "--output",
                "json",
            ],
        );
        assert_eq!(run.code, 0, "{version}: {run:?}");
        assert_eq!(run.json()["status"], "Completed", "{version}");
    }
}

#[test]
fn each_command_sends_the_version_asked_for() {
    for version in VERSIONS {
        let server = versioned_server();
        for args in [
            &["list"][..],
            &["list", "--all", "--output", "ndjson"],
            &["describe", "rj-done"],
            &["wait", "rj-progress", "--interval", "0.05"],
        ] {
            let mut all = vec!["--api-version", version];
            all.extend_from_slice(args);
            let run = against(&server, &all);
            assert_eq!(run.code, 0, "{version} {args:?}: {run:?}");
        }
        let requests = server.requests();
        assert!(requests.len() >= 6, "{requests:?}");
        for request in requests {
            assert_eq!(request.api_version.as_deref(), Some(version), "{request:?}");
        }
    }
    // without --api-version, the default
    let server = versioned_server();
    assert_eq!(against(&server, &["list"]).code, 0);
    assert_eq!(server.requests()[0].api_version.as_deref(), Some("2025-04"));
}

#[test]
fn under_2026_07_an_absent_percent_is_a_dash_in_tables_and_absent_in_json() {
    let server = versioned_server();
    let v = ["--api-version", "2026-07"];

    let run = against(&server, &[v[0], v[1], "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        row(&run.stdout, "rj-progress").last(),
        Some(&"-"),
        "{run:?}"
    );
    assert_eq!(row(&run.stdout, "rj-done").last(), Some(&"100%"), "{run:?}");

    let run = against(&server, &[v[0], v[1], "describe", "rj-forever"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("\nstatus             Pending\n"),
        "{run:?}"
    );
    assert!(run.stdout.ends_with("\npercent_complete   -\n"), "{run:?}");

    for format in ["json", "ndjson"] {
        let run = against(&server, &[v[0], v[1], "list", "--output", format]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        let jobs = match format {
            "json" => run.json()["data"].as_array().expect("data").clone(),
            _ => run.ndjson(),
        };
        let pending = job(&jobs, "rj-forever");
        assert!(pending.get("percent_complete").is_none(), "{pending}");
        let done = job(&jobs, "rj-done");
        assert!(done["percent_complete"].is_u64(), "an integer: {done}");
        assert_eq!(done["percent_complete"], 100, "{done}");
        assert!(run.stdout.contains(r#""percent_complete":100}"#), "{run:?}");
        assert!(!run.stdout.contains("100.0"), "{run:?}");
    }

    let run = against(
        &server,
        &[v[0], v[1], "describe", "rj-forever", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.json().get("percent_complete").is_none(), "{run:?}");

    // what 2025-04 shows of the same jobs, for contrast: a number while pending too
    let run = against(&server, &["describe", "rj-forever", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.json()["percent_complete"].is_number(), "{run:?}");
}

#[test]
fn under_2026_07_wait_shows_no_percent_while_pending_and_ends_with_an_integer_100() {
    let server = versioned_server();
    let run = against(
        &server,
        &[
            "--api-version",
            "2026-07",
            "wait",
            "rj-progress",
            "--interval",
            "0.05",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let progress: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("status "))
        .collect();
    assert_eq!(progress.len(), 2, "Pending once, then Completed: {run:?}");
    assert!(
        progress[0].starts_with("status Pending (elapsed "),
        "{run:?}"
    );
    assert!(!progress[0].contains('%'), "{run:?}");
    assert!(progress[1].starts_with("status Completed"), "{run:?}");
    let done = run.json();
    assert_eq!(done["status"], "Completed");
    assert!(done["percent_complete"].is_u64(), "{done}");
    assert_eq!(done["percent_complete"], 100);
}

#[test]
fn an_unknown_well_formed_version_is_sent_as_given_with_one_note() {
    let server = versioned_server();
    let run = against(&server, &["--api-version", "2027-01", "list"]);
    // the fake knows only four versions and answers 400 naming the one it got
    assert_eq!(run.code, 3, "{run:?}");
    let line = run.error_line();
    assert!(line.contains("400") && line.contains("2027-01"), "{line}");
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("note:"))
        .collect();
    assert_eq!(notes.len(), 1, "{run:?}");
    assert!(notes[0].contains("2027-01"), "{run:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a 400 is not retried: {requests:?}");
    assert_eq!(requests[0].api_version.as_deref(), Some("2027-01"));
}

#[test]
fn a_malformed_version_is_refused_before_sending() {
    let server = versioned_server();
    for version in ["latest", "2025-4", "2025-13", "2025-04 ", ""] {
        let run = against(&server, &["--api-version", version, "list"]);
        assert_eq!(run.code, 2, "{version:?}: {run:?}");
        assert!(run.error_line().contains("--api-version"), "{run:?}");
    }
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn api_version_help_lists_the_four_versions() {
    let run = exec(cli(&["--help"]));
    assert_eq!(run.code, 0, "{run:?}");
    let help = run
        .stdout
        .split("--api-version <V>")
        .nth(1)
        .and_then(|rest| rest.split("\n      --").next())
        .expect("an --api-version entry");
    for version in VERSIONS {
        assert!(help.contains(version), "{version} in {help}");
    }
}

#[test]
fn a_401_in_plain_text_shows_its_message_in_every_version() {
    let server = versioned_server();
    for version in VERSIONS {
        server.inject(Fault::TextUnauthorized);
        let run = against(&server, &["--api-version", version, "list"]);
        assert_eq!(run.code, 3, "{version}: {run:?}");
        let line = run.error_line();
        assert!(line.contains("401"), "{line}");
        assert!(line.contains("Invalid API key."), "{line}");
    }

    // a wrong key under 2026-07: the fake itself answers in text/plain
    let mut command = cli(&[
        "--host",
        &server.base_url(),
        "--api-version",
        "2026-07",
        "describe",
        "rj-done",
    ]);
    command.env("PINECONE_API_KEY", "pcsk_wrong_key_123456");
    let run = exec(command);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("Invalid API key."), "{run:?}");
    assert!(!run.stderr.contains("pcsk_wrong_key_123456"), "{run:?}");
}
