//! `restore`: start a restore from a backup, safe to retry, and optionally wait on it; shell
//! completions and the man page (issue 11).

use std::time::Duration;

use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeServer, Fault};
use serde_json::{Value, json};

use super::script::{self, Script};
use super::{KEY, Run, against, cli, exec};

/// A fake with a `Ready` backup `bkp-1`, a not ready `bkp-pending`, an existing index
/// `taken`, and restores that complete on their `polls`-th describe; requires [`KEY`].
fn backups(polls: u32) -> FakeServer {
    FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .backup(FakeBackup::not_ready("bkp-pending"))
        .index("taken")
        .restore_polls(polls)
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

/// `field  value` lines as pairs.
fn fields(table: &str) -> Vec<(&str, &str)> {
    table
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect()
}

fn field<'a>(table: &'a str, name: &str) -> &'a str {
    fields(table)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {name} in {table}"))
}

fn notes(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("note:"))
        .collect()
}

#[test]
fn restore_prints_the_job_and_index_ids_and_the_wait_command_to_run_next() {
    let server = backups(1);
    let run = against(&server, &["restore", "bkp-1", "--name", "restored"]);
    assert_eq!(run.code, 0, "{run:?}");
    let names: Vec<&str> = fields(&run.stdout).iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["restore_job_id", "index_id", "recovered"],
        "{run:?}"
    );
    let job_id = field(&run.stdout, "restore_job_id");
    let job = server.job(job_id).expect("the fake has the job printed");
    assert_eq!(job.target_index_name, "restored");
    assert_eq!(job.backup_id, "bkp-1");
    assert_eq!(field(&run.stdout, "index_id"), job.target_index_id);
    assert_eq!(field(&run.stdout, "recovered"), "false");
    assert_eq!(server.stats().restores_created, 1);

    // the note gives the command to run next, and it works as given
    let notes = notes(&run);
    assert_eq!(notes.len(), 1, "{run:?}");
    let command = notes[0]
        .split('`')
        .nth(1)
        .expect("the command in backticks");
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches('\'').to_owned())
        .collect();
    assert_eq!(words[0], "pinecone-restore", "{command}");
    assert!(words.contains(&"wait".to_owned()), "{command}");
    assert!(words.iter().any(|w| w == job_id), "{command}");
    // checked before running it: without it the command would go to the real API
    assert!(words.contains(&server.base_url()), "{command}");
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let run = exec(cli(&args));
    assert_eq!(run.code, 0, "{command}: {run:?}");
    assert!(run.stdout.contains("\nstatus             Completed\n"));
}

#[test]
fn restore_as_json_has_exactly_the_ids_and_whether_it_was_recovered() {
    let server = backups(3);
    let run = against(
        &server,
        &["restore", "bkp-1", "--name", "restored", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let started = run.json();
    let keys: Vec<&str> = started
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 3, "{started}");
    for key in ["restore_job_id", "index_id", "recovered"] {
        assert!(keys.contains(&key), "{key} in {started}");
    }
    assert_eq!(started["recovered"], false);
    let job = server
        .job(started["restore_job_id"].as_str().expect("an id"))
        .expect("the fake has it");
    assert_eq!(started["index_id"], job.target_index_id.as_str());
}

#[test]
fn restore_sends_the_name_tags_and_deletion_protection_given() {
    let server = backups(3);
    let run = against(
        &server,
        &[
            "restore",
            "bkp-1",
            "--name",
            "restored",
            "--tag",
            "team=search",
            "--tag",
            "env=",
            "--deletion-protection",
            "enabled",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/backups/bkp-1/create-index");
    let body: Value =
        serde_json::from_str(requests[0].body.as_deref().expect("a body")).expect("JSON");
    assert_eq!(
        body,
        json!({"name": "restored", "tags": {"team": "search", "env": ""},
               "deletion_protection": "enabled"})
    );
}

#[test]
fn the_next_command_keeps_a_version_that_is_not_the_default() {
    let server = backups(1);
    let run = against(
        &server,
        &[
            "--api-version",
            "2026-07",
            "restore",
            "bkp-1",
            "--name",
            "r",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        notes(&run)[0].contains("--api-version 2026-07 wait "),
        "{run:?}"
    );
}

#[test]
fn demo_restore_with_wait_goes_to_completed_and_prints_the_completed_job() {
    for format in ["table", "json"] {
        let mut command = cli(&[
            "--demo",
            "restore",
            "demo-backup",
            "--name",
            "my-index",
            "--wait",
            "--interval",
            "0.05",
            "--output",
            format,
        ]);
        command.env_remove("PINECONE_API_KEY");
        let run = exec(command);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        let progress: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("status "))
            .collect();
        assert!(progress.len() >= 2, "{run:?}");
        assert!(progress.last().unwrap().starts_with("status Completed"));
        if format == "json" {
            let job = run.json();
            assert_eq!(job["status"], "Completed", "{job}");
            assert_eq!(job["target_index_name"], "my-index", "{job}");
            assert_eq!(job["backup_id"], "demo-backup", "{job}");
        } else {
            assert_eq!(field(&run.stdout, "status"), "Completed", "{run:?}");
            assert_eq!(field(&run.stdout, "target_index_name"), "my-index");
            assert_eq!(field(&run.stdout, "backup_id"), "demo-backup");
            assert_eq!(field(&run.stdout, "percent_complete"), "100%");
        }
    }
}

#[test]
fn bad_restore_input_exits_2_and_sends_nothing() {
    let server = backups(3);
    let cases: [&[&str]; 10] = [
        &["restore", "bkp-1"],
        &["restore", "bkp-1", "--name", "Bad_Name"],
        &["restore", "bkp-1", "--name", "-starts-with-dash"],
        &["restore", "bkp-1", "--name", &"x".repeat(46)],
        &["restore", "bkp-1", "--name", "ok", "--tag", "novalue"],
        &["restore", "bkp-1", "--name", "ok", "--tag", "k=a/b"],
        &["restore", "bkp-1", "--name", "ok", "--tag", "bad key=v"],
        &[
            "restore",
            "bkp-1",
            "--name",
            "ok",
            "--deletion-protection",
            "on",
        ],
        &["restore", "bkp-1", "--name", "ok", "--timeout", "5"],
        &["restore", "..", "--name", "ok"],
    ];
    for args in cases {
        let run = against(&server, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
    }
    assert_eq!(server.stats().requests, 0, "nothing was sent");
}

#[test]
fn restore_api_errors_exit_3_with_the_servers_message() {
    let server = backups(3);
    for (backup, name, status, message) in [
        ("no-such-backup", "restored", "404", "no-such-backup"),
        ("bkp-1", "taken", "409", "taken already exists"),
        ("bkp-pending", "restored", "412", "bkp-pending"),
    ] {
        let run = against(&server, &["restore", backup, "--name", name]);
        assert_eq!(run.code, 3, "{backup} {name}: {run:?}");
        let line = run.error_line();
        assert!(line.contains(status), "{line}");
        assert!(line.contains(message), "{line}");
    }
    for (status, code, message) in [
        (402, "PAYMENT_REQUIRED", "Your free trial has ended"),
        (403, "FORBIDDEN", "Index quota reached for this project"),
        (
            403,
            "PERMISSION_DENIED",
            "Permission control::backups::restore is required",
        ),
    ] {
        server.inject_on(
            Endpoint::CreateIndex,
            Fault::Error {
                status,
                code: code.to_owned(),
                message: message.to_owned(),
            },
        );
        let run = against(&server, &["restore", "bkp-1", "--name", "restored"]);
        assert_eq!(run.code, 3, "{status}: {run:?}");
        let line = run.error_line();
        assert!(
            line.contains(&status.to_string()) && line.contains(code) && line.contains(message),
            "{line}"
        );
    }
    // not one of them is retried, and none started anything
    let stats = server.stats();
    assert_eq!(stats.create_requests, 6, "{stats:?}");
    assert_eq!(stats.restores_created, 0, "{stats:?}");
}

#[test]
fn restore_is_retried_where_it_surely_did_not_start() {
    let server = backups(3);
    server.inject_on(Endpoint::CreateIndex, Fault::Status(503));
    server.inject_on(
        Endpoint::CreateIndex,
        Fault::TooManyRequests {
            retry_after: "0".to_owned(),
        },
    );
    let run = against(
        &server,
        &["restore", "bkp-1", "--name", "restored", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["recovered"], false, "{run:?}");
    let stats = server.stats();
    assert_eq!((stats.create_requests, stats.restores_created), (3, 1));
}

#[test]
fn a_restore_whose_answer_was_lost_is_found_and_said_to_be_recovered() {
    for format in ["table", "json"] {
        let server = backups(3);
        server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
        let run = against(
            &server,
            &["restore", "bkp-1", "--name", "restored", "--output", format],
        );
        assert_eq!(run.code, 0, "{format}: {run:?}");
        let job_id = if format == "json" {
            let started = run.json();
            assert_eq!(started["recovered"], true, "{started}");
            started["restore_job_id"]
                .as_str()
                .expect("an id")
                .to_owned()
        } else {
            assert_eq!(field(&run.stdout, "recovered"), "true", "{run:?}");
            field(&run.stdout, "restore_job_id").to_owned()
        };
        assert!(
            notes(&run).iter().any(|n| n.contains("lost")),
            "the recovery is said: {run:?}"
        );
        let stats = server.stats();
        assert_eq!(stats.restores_created, 1, "exactly one restore: {stats:?}");
        assert_eq!(stats.create_requests, 2, "{stats:?}");
        let job = server
            .job(&job_id)
            .expect("the recovered id is the real one");
        assert_eq!(job.target_index_name, "restored");
    }
}

#[test]
fn a_lost_answer_then_a_conflict_with_another_index_is_a_conflict() {
    // the first attempt never arrives (nothing starts); the retry finds the name taken by an
    // index that no restore of ours made
    let server = backups(3);
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let run = against(&server, &["restore", "bkp-1", "--name", "taken"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("409"), "{run:?}");
    assert_eq!(server.stats().restores_created, 0);
}

#[test]
fn a_lost_answer_with_nothing_found_says_where_to_look_on_the_same_host() {
    // both attempts are reset before anything starts, so the lookup finds nothing
    let server = backups(3);
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let run = against(
        &server,
        &[
            "--max-retries",
            "1",
            "restore",
            "bkp-1",
            "--name",
            "restored",
        ],
    );
    assert_eq!(run.code, 5, "{run:?}");
    let look = format!(
        "note: the restore may have started though its answer was lost: look for index \
         `restored` with `pinecone-restore --host {} list`",
        server.base_url()
    );
    assert!(notes(&run).contains(&look.as_str()), "{run:?}");
    assert_eq!(server.stats().restores_created, 0);
}

/// Someone else's restore of `bkp-1` into `idx`, created `ago` before the server's clock,
/// which runs `ahead_ms` ahead of ours.
fn with_older_restore(ahead_ms: i64, ago: Duration, status: &str) -> FakeControlPlane {
    let theirs = FakeJob {
        backup_id: "bkp-1".to_owned(),
        target_index_name: "idx".to_owned(),
        status: status.to_owned(),
        ..FakeJob::completed("their-restore")
    };
    FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .job_created_ago(theirs, ago)
        .clock_ahead_ms(ahead_ms)
        .restore_polls(1)
        .api_key(Some(KEY))
}

/// The note that names a finished job (`status`) not claimed, and the command to follow it.
fn names_unclaimed(run: &Run, server: &FakeServer, id: &str, status: &str, why: &str) {
    let note = notes(run)
        .into_iter()
        .find(|n| n.contains("restored from"))
        .unwrap_or_else(|| panic!("no note names the job: {run:?}"));
    let expected = format!(
        "note: an index named `idx` was restored from `bkp-1` by job `{id}` ({status}), started \
         at "
    );
    assert!(note.starts_with(&expected), "{note}");
    assert!(note.contains(&format!("(not claimed: {why})")), "{note}");
    let follow = format!(
        "; if this was your own earlier attempt, follow it with `pinecone-restore --host {} \
         wait {id}`",
        server.base_url()
    );
    assert!(note.ends_with(&follow), "{note}");
}

#[test]
fn someone_elses_earlier_restore_into_the_name_is_never_claimed() {
    // the issue's first case: their restore 200 s ago; our first POST gets a 500 that did
    // nothing, the retry a 409; whatever the server's clock says
    for ahead_ms in [-3_600_000, 0, 90_000] {
        let server = with_older_restore(ahead_ms, Duration::from_secs(200), "Completed")
            .start()
            .unwrap();
        server.inject_on(Endpoint::CreateIndex, Fault::Status(500));
        let run = against(
            &server,
            &["restore", "bkp-1", "--name", "idx", "--output", "json"],
        );
        assert_eq!(run.code, 3, "{run:?}");
        assert_eq!(run.stdout, "", "nothing claimed: {run:?}");
        assert!(run.error_line().contains("409"), "{run:?}");
        names_unclaimed(
            &run,
            &server,
            "their-restore",
            "Completed",
            "it was created outside the time our attempts were in flight, on the server's clock",
        );
        let stats = server.stats();
        assert_eq!((stats.create_requests, stats.restores_created), (2, 0));
    }
}

#[test]
fn the_old_restore_of_a_deleted_index_is_never_followed() {
    // the issue's second case: an old, failed restore into `idx`, whose index was deleted;
    // both our POSTs are reset before anything is created and the retries run out
    let server = with_older_restore(0, Duration::from_secs(3600), "Failed")
        .index_deleted("idx")
        .start()
        .unwrap();
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let base = server.base_url();
    let run = exec(cli(&[
        "--host",
        &base,
        "--max-retries",
        "1",
        "restore",
        "bkp-1",
        "--name",
        "idx",
        "--wait",
    ]));
    assert_eq!(run.code, 5, "the reset is the error: {run:?}");
    assert_eq!(run.stdout, "", "{run:?}");
    names_unclaimed(
        &run,
        &server,
        "their-restore",
        "Failed",
        "it was created outside the time our attempts were in flight, on the server's clock",
    );
    let stats = server.stats();
    assert_eq!(
        (stats.restores_created, stats.describe_requests),
        (0, 0),
        "nothing started, nothing followed: {stats:?}"
    );
}

#[test]
fn without_the_server_clock_even_our_own_lost_restore_is_only_named() {
    let server = with_older_restore(0, Duration::from_secs(3600), "Completed")
        .dates(false)
        .start()
        .unwrap();
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
    let run = against(&server, &["restore", "bkp-1", "--name", "fresh"]);
    assert_eq!(run.code, 3, "{run:?}");
    let ours = server
        .requests()
        .iter()
        .any(|r| r.method == "POST" && r.status == 0);
    assert!(ours, "the first POST took effect unheard");
    let note = notes(&run)
        .into_iter()
        .find(|n| n.contains("restored from"))
        .unwrap_or_else(|| panic!("no note names the job: {run:?}"));
    assert!(
        note.starts_with("note: an index named `fresh` is being restored from `bkp-1` by job `"),
        "{note}"
    );
    assert!(note.contains("no usable `Date`"), "{note}");
    assert!(
        note.contains("follow it with `pinecone-restore --host"),
        "{note}"
    );
    assert_eq!(server.stats().restores_created, 1);
}

#[test]
fn our_own_lost_restore_is_found_whatever_the_server_clock() {
    for ahead_ms in [-3_600_000, -90_000, 90_000, 3_600_000] {
        let server = with_older_restore(ahead_ms, Duration::from_secs(20), "Completed")
            .start()
            .unwrap();
        server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
        let run = against(
            &server,
            &["restore", "bkp-1", "--name", "fresh", "--output", "json"],
        );
        assert_eq!(run.code, 0, "{ahead_ms}: {run:?}");
        assert_eq!(run.json()["recovered"], true, "{run:?}");
        let id = run.json()["restore_job_id"].as_str().unwrap().to_owned();
        assert_eq!(server.job(&id).unwrap().target_index_name, "fresh");
    }
}

#[test]
fn restore_wait_exits_6_when_the_restore_fails() {
    let server = Script::start(|r| {
        if r.target.starts_with("/backups/") {
            script::response(
                "202 Accepted",
                &[("Content-Type", "application/json")],
                br#"{"restore_job_id":"rj-new","index_id":"idx-new"}"#,
            )
        } else {
            script::ok(&script::job(
                "rj-new",
                json!({"status": "Failed", "target_index_name": "restored",
                       "completed_at": "2024-11-21T11:21:11Z"}),
            ))
        }
    });
    let run = exec(cli(&[
        "--host",
        server.url(),
        "restore",
        "bkp-1",
        "--name",
        "restored",
        "--wait",
        "--interval",
        "0.05",
        "--output",
        "json",
    ]));
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(run.json()["status"], "Failed", "{run:?}");
    assert!(run.error_line().contains("Failed"), "{run:?}");
    assert_eq!(
        server.targets(),
        ["/backups/bkp-1/create-index", "/restore-jobs/rj-new"]
    );
}

#[test]
fn restore_wait_exits_7_when_the_deadline_passes() {
    let server = backups(u32::MAX);
    let run = against(
        &server,
        &[
            "restore",
            "bkp-1",
            "--name",
            "restored",
            "--wait",
            "--interval",
            "0.05",
            "--timeout",
            "0.3",
        ],
    );
    assert_eq!(run.code, 7, "{run:?}");
    assert_eq!(field(&run.stdout, "status"), "Pending", "{run:?}");
    assert!(run.error_line().contains("0.3s"), "{run:?}");
    assert_eq!(server.stats().restores_created, 1);
}

/// Whether `text` has the word `restore` on its own: not only inside `pinecone-restore`.
fn names_the_restore_command(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .any(|word| word == "restore")
}

#[test]
fn completions_and_man_page_need_no_key_and_send_nothing() {
    // a host to send to, should anything try: it must stay untouched
    let server = backups(3);
    let offline = |args: &[&str]| {
        let mut command = cli(args);
        command
            .env_remove("PINECONE_API_KEY")
            .env("PINECONE_CONTROLLER_HOST", server.base_url());
        exec(command)
    };
    for shell in ["bash", "zsh", "fish"] {
        let run = offline(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(names_the_restore_command(&run.stdout), "{shell}: {run:?}");
        // an option only `restore` has
        assert!(run.stdout.contains("deletion-protection"), "{shell}");
        assert!(run.stderr.is_empty(), "{shell}: {run:?}");
    }
    let run = offline(&["man"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.lines().any(|l| l.starts_with(".TH ")), "{run:?}");
    // the subcommand's own entry (roff writes `-` as `\-`)
    let man = run.stdout.replace("\\-", "-");
    assert!(man.contains("pinecone-restore-restore(1)"), "{man}");
    assert!(names_the_restore_command(&man), "{man}");
    assert!(run.stderr.is_empty(), "{run:?}");

    // every page the main page points to exists
    let dir = std::env::temp_dir().join(format!("pinecone-restore-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = offline(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    for page in [
        "pinecone-restore.1",
        "pinecone-restore-restore.1",
        "pinecone-restore-wait.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.lines().any(|l| l.starts_with(".TH ")), "{page}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(server.stats().requests, 0);
}
