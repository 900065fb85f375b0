//! Issue 28: take, wait for and retire backups (`backups create|wait|delete|prune`), end to
//! end against the fake: every exit code the issue names, the question asked on a real
//! terminal (a pty, through util-linux's `script`), and nothing sent without consent.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use pinecone_restore_fake::{
    Ending, Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeServer, Fault,
};

use super::{KEY, Run, against, cli, exec};

const DAY: u64 = 86_400;

fn days(n: u64) -> Duration {
    Duration::from_secs(n * DAY)
}

/// Index `docs` with nothing but an index, and the key required.
fn empty_index() -> FakeControlPlane {
    FakeControlPlane::builder().index("docs").api_key(Some(KEY))
}

/// The notes on stderr.
fn notes(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("note:"))
        .collect()
}

// ---- backups create

#[test]
fn create_takes_one_backup_and_prints_it() {
    let server = empty_index().start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "create",
            "docs",
            "--name",
            "nightly-1",
            "--description",
            "before the migration",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let backup = run.json();
    assert_eq!(backup["name"], "nightly-1");
    assert_eq!(backup["description"], "before the migration");
    assert_eq!(backup["source_index_name"], "docs");
    assert_eq!(backup["status"], "Initializing");
    let made = server.backups_of("docs");
    assert_eq!(made.len(), 1);
    assert_eq!(backup["backup_id"], made[0].backup_id.as_str());
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (1, 1)
    );
    // how to follow it, with the same host
    let follow = format!(
        "note: follow it with `pinecone-restore --host {} backups wait {}`",
        server.base_url(),
        made[0].backup_id
    );
    assert!(notes(&run).contains(&follow.as_str()), "{run:?}");
}

#[test]
fn without_a_name_one_unique_to_the_run_is_made_and_said_before_sending() {
    let server = empty_index().start().unwrap();
    let mut names = Vec::new();
    for _ in 0..2 {
        let run = against(&server, &["backups", "create", "docs"]);
        assert_eq!(run.code, 0, "{run:?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        let name = first
            .strip_prefix("note: no --name given: the backup is named `")
            .and_then(|rest| rest.strip_suffix('`'))
            .unwrap_or_else(|| panic!("the name comes first: {run:?}"));
        // docs-YYYYMMDD-HHMMSS-xxxxxx, within 2026-07's rule
        let parts: Vec<&str> = name.split('-').collect();
        assert_eq!(parts.len(), 4, "{name}");
        assert_eq!(parts[0], "docs");
        assert!(parts[1].len() == 8 && parts[2].len() == 6 && parts[3].len() == 6);
        assert!(name.len() <= 45);
        assert!(
            run.stdout.contains(name),
            "stdout shows the backup: {run:?}"
        );
        names.push(name.to_owned());
    }
    assert_ne!(names[0], names[1], "unique per run");
    let mut made: Vec<String> = server
        .backups_of("docs")
        .into_iter()
        .filter_map(|b| b.name)
        .collect();
    made.sort();
    names.sort();
    assert_eq!(made, names);
}

#[test]
fn a_name_outside_the_rule_is_refused_before_sending_on_every_version() {
    let server = empty_index().start().unwrap();
    for version in ["2025-04", "2025-10", "2026-04", "2026-07"] {
        for name in [
            "Nightly",
            "-nightly",
            "nightly-",
            "night_ly",
            "",
            &"n".repeat(46),
        ] {
            // `--name=-x`: a value, not an option
            let name = format!("--name={name}");
            let run = against(
                &server,
                &["--api-version", version, "backups", "create", "docs", &name],
            );
            assert_eq!(run.code, 2, "{run:?}");
            assert!(run.error_line().contains("--name"), "{run:?}");
        }
    }
    assert_eq!(server.stats().requests, 0, "nothing sent");
}

#[test]
fn wait_follows_the_new_backup_to_ready() {
    let server = empty_index().backup_polls(2).start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "create",
            "docs",
            "--name",
            "n1",
            "--wait",
            "--interval",
            "0.05",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["status"], "Ready", "the final backup: {run:?}");
    assert!(run.stderr.contains("status Initializing"), "{run:?}");
    assert!(run.stderr.contains("status Ready"), "{run:?}");
    assert_eq!(server.stats().backups_created, 1);
}

#[test]
fn wait_ends_6_when_the_backup_fails_in_each_versions_words() {
    for (version, status) in [("2025-04", "Failed"), ("2026-07", "InitializationFailed")] {
        let server = empty_index()
            .backup_polls(1)
            .backup_failures(true)
            .start()
            .unwrap();
        let run = against(
            &server,
            &[
                "--api-version",
                version,
                "backups",
                "create",
                "docs",
                "--name",
                "n1",
                "--wait",
                "--interval",
                "0.05",
            ],
        );
        assert_eq!(run.code, 6, "{run:?}");
        assert!(
            run.error_line().ends_with(&format!("ended {status}")),
            "{run:?}"
        );
        assert!(run.stdout.contains(status), "the final backup: {run:?}");
    }
}

#[test]
fn wait_ends_7_at_the_deadline() {
    let server = empty_index().backup_polls(u32::MAX).start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "create",
            "docs",
            "--name",
            "n1",
            "--wait",
            "--interval",
            "0.05",
            "--timeout",
            "0.3",
        ],
    );
    assert_eq!(run.code, 7, "{run:?}");
    assert!(
        run.error_line().contains("last seen Initializing"),
        "{run:?}"
    );
}

#[test]
fn the_quota_and_an_unknown_index_are_api_errors() {
    let server = empty_index()
        .backup(FakeBackup::ready("b1").of_index("docs"))
        .backup_quota(1)
        .start()
        .unwrap();
    let run = against(&server, &["backups", "create", "docs", "--name", "n1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("403"), "{run:?}");
    let run = against(&server, &["backups", "create", "nowhere", "--name", "n1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("404"), "{run:?}");
    assert_eq!(server.stats().backups_created, 0);
}

#[test]
fn a_lost_answer_is_recovered_from_the_listing_never_a_second_backup() {
    // the server takes the backup and the answer is lost: the lookup finds it
    let server = empty_index().start().unwrap();
    server.inject_on(Endpoint::CreateBackup, Fault::ProcessThenDrop);
    let run = against(
        &server,
        &[
            "backups", "create", "docs", "--name", "n1", "--output", "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        notes(&run)
            .iter()
            .any(|n| n.contains("the first answer was lost")),
        "{run:?}"
    );
    let made = server.backups_of("docs");
    assert_eq!(made.len(), 1, "one backup: {made:?}");
    assert_eq!(run.json()["backup_id"], made[0].backup_id.as_str());
    assert_eq!(server.stats().create_backup_requests, 1, "not sent again");

    // the request never arrived: the lookup finds nothing, and it is sent again
    let server = empty_index().start().unwrap();
    server.inject_on(Endpoint::CreateBackup, Fault::Drop);
    let run = against(&server, &["backups", "create", "docs", "--name", "n1"]);
    assert_eq!(run.code, 0, "{run:?}");
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (2, 1)
    );
}

#[test]
fn a_backup_of_the_name_not_surely_ours_is_named_and_exits_3() {
    // someone's backup named `n1`, an hour old; our request never arrives
    let theirs = FakeBackup {
        name: Some("n1".to_owned()),
        ..FakeBackup::ready("their-backup").of_index("docs")
    };
    let server = empty_index()
        .backup_created_ago(theirs, Duration::from_secs(3600))
        .start()
        .unwrap();
    server.inject_on(Endpoint::CreateBackup, Fault::Drop);
    let run = against(&server, &["backups", "create", "docs", "--name", "n1"]);
    assert_eq!(
        run.code, 3,
        "not 5: a retry could take a second backup: {run:?}"
    );
    assert_eq!(run.stdout, "", "nothing claimed: {run:?}");
    let named = notes(&run)
        .into_iter()
        .find(|n| n.contains("their-backup"))
        .unwrap_or_else(|| panic!("the candidate is named: {run:?}"));
    assert!(named.contains("not claimed"), "{named}");
    assert!(named.contains("backups wait their-backup"), "{named}");
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (1, 0),
        "nothing sent again"
    );

    // without the server's clock, even our own lost backup is only named
    let server = empty_index().dates(false).start().unwrap();
    server.inject_on(Endpoint::CreateBackup, Fault::ProcessThenDrop);
    let run = against(&server, &["backups", "create", "docs", "--name", "n1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        notes(&run).iter().any(|n| n.contains("not claimed")),
        "{run:?}"
    );
    assert_eq!(server.backups_of("docs").len(), 1, "never two");
}

// ---- backups wait

#[test]
fn wait_on_several_backups_exits_with_the_worst_end() {
    let server = empty_index()
        .backup(FakeBackup::ready("ready").of_index("docs"))
        .backup(FakeBackup::failed("failed").of_index("docs"))
        .start()
        .unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "wait",
            "ready",
            "failed",
            "ready",
            "--interval",
            "0.05",
            "--output",
            "ndjson",
        ],
    );
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(run.ndjson().len(), 2, "each once: {run:?}");
    assert!(run.stderr.contains("backup `ready`: Ready"), "{run:?}");
    assert!(
        run.stderr.contains("backup `failed`: ended Failed"),
        "{run:?}"
    );
    assert!(
        run.error_line().contains("of 2 backups: 1 Ready, 1 failed"),
        "{run:?}"
    );
    assert!(run.stderr.contains("given more than once"), "{run:?}");

    let run = against(&server, &["backups", "wait", "ready"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = against(&server, &["backups", "wait", "ready", "nowhere"]);
    assert_eq!(run.code, 3, "{run:?}");
}

// ---- backups delete

/// `docs` with backups `b1`, `b2`, and `in-use`, from which a restore is still running
/// (`rj-running`) beside a finished one.
fn deletable() -> FakeServer {
    empty_index()
        .backup(FakeBackup::ready("b1").of_index("docs"))
        .backup(FakeBackup::ready("b2").of_index("docs"))
        .backup(FakeBackup::ready("in-use").of_index("docs"))
        .job(FakeJob {
            backup_id: "in-use".to_owned(),
            ..FakeJob::progressing("rj-running", u32::MAX, Ending::Completed)
        })
        .job(FakeJob {
            backup_id: "in-use".to_owned(),
            ..FakeJob::completed("rj-done")
        })
        .start()
        .unwrap()
}

#[test]
fn delete_without_yes_and_without_a_terminal_sends_nothing() {
    let server = deletable();
    for args in [
        &["backups", "delete", "b1"][..],
        &["backups", "prune", "--index", "docs", "--keep", "1"],
    ] {
        let run = against(&server, args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.error_line().contains("--yes"), "{run:?}");
        assert!(run.error_line().contains("nothing was sent"), "{run:?}");
    }
    assert_eq!(server.stats().requests, 0);
    assert!(server.backup("b1").is_some());
}

#[test]
fn delete_with_yes_deletes_each_once() {
    let server = deletable();
    let run = against(&server, &["backups", "delete", "b1", "b2", "b1", "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("backup `b1`: deleted"), "{run:?}");
    assert!(run.stderr.contains("backup `b2`: deleted"), "{run:?}");
    assert!(server.backup("b1").is_none() && server.backup("b2").is_none());
    assert_eq!(server.stats().delete_backup_requests, 2);
    // deleted: a second delete is a 404 on the first attempt
    let run = against(&server, &["backups", "delete", "b1", "-y"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.error_line()
            .starts_with("error: cannot delete backup `b1`:")
            && run.error_line().contains("404"),
        "{run:?}"
    );
}

#[test]
fn a_404_after_our_own_lost_delete_is_gone() {
    let server = deletable();
    server.inject_on(Endpoint::DeleteBackup, Fault::ProcessThenDrop);
    let run = against(&server, &["backups", "delete", "b1", "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("backup `b1`: already gone"), "{run:?}");
    assert_eq!(server.stats().delete_backup_requests, 2);
}

#[test]
fn a_412_names_the_restores_still_running_from_the_backup() {
    let server = deletable();
    let run = against(&server, &["backups", "delete", "in-use", "--yes"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("412"), "{run:?}");
    let named = notes(&run)
        .into_iter()
        .find(|n| n.contains("in use"))
        .unwrap_or_else(|| panic!("the jobs are named: {run:?}"));
    assert!(named.contains("`rj-running`"), "{named}");
    assert!(
        !named.contains("rj-done"),
        "a finished job does not hold it: {named}"
    );
    assert!(named.contains("wait rj-running"), "{named}");
    assert!(server.backup("in-use").is_some());
}

#[test]
fn several_ids_each_reported_and_the_worst_exit() {
    let server = deletable();
    let run = against(
        &server,
        &["backups", "delete", "b1", "nowhere", "b2", "--yes"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("backup `b1`: deleted"), "{run:?}");
    assert!(
        run.stderr.contains("backup `b2`: deleted"),
        "one failure stops nothing: {run:?}"
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("backup `nowhere`: error: ") && l.contains("404")),
        "{run:?}"
    );
    assert!(
        run.stderr
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("error: of 3 backups: 2 deleted, 1 not deleted")),
        "{run:?}"
    );
}

#[test]
fn a_dry_run_shows_what_would_go_and_deletes_nothing() {
    let server = deletable();
    let run = against(&server, &["backups", "delete", "b1", "b2", "--dry-run"]);
    assert_eq!(run.code, 0, "{run:?}");
    for shown in ["ID", "NAME", "STATUS", "b1", "b2"] {
        assert!(run.stdout.contains(shown), "{shown}: {run:?}");
    }
    assert!(
        notes(&run).iter().any(|n| n.contains(
            "dry run: nothing was deleted; without --dry-run, these 2 backups would be deleted"
        )),
        "{run:?}"
    );
    // one that cannot be shown: its error and class, as when asking
    let run = against(
        &server,
        &["backups", "delete", "b1", "nowhere", "--dry-run"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("could not be shown"), "{run:?}");
    let stats = server.stats();
    assert_eq!(stats.delete_backup_requests, 0, "{stats:?}");
    assert_eq!(stats.backup_describe_requests, 4, "{stats:?}");
    assert!(server.backup("b1").is_some() && server.backup("b2").is_some());
}

/// `docs` with backups `source` and `free`; a restore started through the API stays
/// running.
fn restorable() -> FakeServer {
    empty_index()
        .backup(FakeBackup::ready("source").of_index("docs"))
        .backup(FakeBackup::ready("free").of_index("docs"))
        .restore_polls(u32::MAX)
        .start()
        .unwrap()
}

/// The command under API 2026-07, whose server deletes a backup a restore runs from.
fn v7(server: &FakeServer, args: &[&str]) -> Run {
    let mut all = vec!["--api-version", "2026-07"];
    all.extend_from_slice(args);
    against(server, &all)
}

#[test]
fn on_2026_07_a_backup_a_running_restore_uses_is_never_sent() {
    let server = restorable();
    let started = v7(
        &server,
        &[
            "restore", "source", "--name", "restored", "--output", "json",
        ],
    );
    assert_eq!(started.code, 0, "{started:?}");
    let job = started.json()["restore_job_id"]
        .as_str()
        .expect("an id")
        .to_owned();

    let run = v7(&server, &["backups", "delete", "source", "--yes"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.error_line()
            .starts_with("error: cannot delete backup `source`:"),
        "{run:?}"
    );
    let named = notes(&run)
        .into_iter()
        .find(|n| n.contains("in use"))
        .unwrap_or_else(|| panic!("the job is named: {run:?}"));
    assert!(
        named.contains(&format!("`{job}` (Pending into `restored`)")),
        "{named}"
    );
    assert!(named.contains(&format!("wait {job}")), "{named}");
    assert_eq!(server.stats().delete_backup_requests, 0, "not sent");
    let described = v7(
        &server,
        &["backups", "describe", "source", "--output", "json"],
    );
    assert_eq!(described.code, 0, "still there: {described:?}");
    assert_eq!(described.json()["backup_id"], "source");

    // a dry run says the same of it, and shows the free one
    let run = v7(
        &server,
        &["backups", "delete", "source", "free", "--dry-run"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stdout.contains("free") && !run.stdout.contains("source"),
        "{run:?}"
    );
    assert!(notes(&run).iter().any(|n| n.contains(&job)), "{run:?}");
    assert_eq!(server.stats().delete_backup_requests, 0);

    // beside a free one: the free one goes, the exit is the worst
    let before = server.requests().len();
    let run = v7(&server, &["backups", "delete", "source", "free", "--yes"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("backup `free`: deleted"), "{run:?}");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("backup `source`: error: ") && l.contains("no delete was sent")),
        "{run:?}"
    );
    assert!(
        run.error_line()
            .starts_with("error: of 2 backups: 1 deleted, 1 not deleted"),
        "{run:?}"
    );
    let sent: Vec<String> = server.requests()[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        sent,
        ["GET /restore-jobs", "DELETE /backups/free"],
        "listed first"
    );
    assert!(server.backup("source").is_some() && server.backup("free").is_none());
}

#[test]
fn before_2026_07_the_server_refuses_so_nothing_is_listed_first() {
    let server = restorable();
    let run = against(&server, &["backups", "delete", "free", "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    let stats = server.stats();
    assert_eq!(
        (stats.list_requests, stats.delete_backup_requests),
        (0, 1),
        "{stats:?}"
    );
}

#[test]
fn on_2026_07_a_restore_job_listing_that_fails_deletes_nothing() {
    for (fault, code) in [(Fault::Status(503), 3), (Fault::Drop, 5)] {
        let server = restorable();
        server.inject_on(Endpoint::List, fault.clone());
        let run = v7(
            &server,
            &[
                "--max-retries",
                "0",
                "backups",
                "delete",
                "source",
                "free",
                "--yes",
            ],
        );
        assert_eq!(run.code, code, "{fault:?}: {run:?}");
        assert!(
            notes(&run)
                .iter()
                .any(|n| n.contains("nothing was deleted")),
            "{run:?}"
        );
        let stats = server.stats();
        assert_eq!(
            (stats.delete_backup_requests, stats.backup_describe_requests),
            (0, 0),
            "{stats:?}"
        );
        assert_eq!(server.backups_of("docs").len(), 2);
    }
}

// ---- on a terminal

/// Whether util-linux's `script` runs (it gives the command a terminal); in CI a missing one
/// fails the test.
pub(super) fn have_script() -> bool {
    let found = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is not installed: CI must install it (see .ci/run)"
        );
        eprintln!("SKIPPED: `script` is not installed");
    }
    found
}

/// Runs the command against `server` with a terminal on stdin, stdout and stderr, typing
/// `typed`; what the terminal showed, and the exit status.
pub(super) fn on_terminal(server: &FakeServer, args: &[&str], typed: &str) -> (i32, String) {
    let mut line = format!(
        "'{}' --host '{}'",
        env!("CARGO_BIN_EXE_pinecone-restore"),
        server.base_url()
    );
    for arg in args {
        line.push_str(&format!(" '{arg}'"));
    }
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("PINECONE_API_KEY", KEY)
        .env("SHELL", "/bin/sh")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(typed.as_bytes())
        .expect("typed");
    let output = child.wait_with_output().expect("script ends");
    let shown = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
    assert!(!shown.contains(KEY), "key leaked: {shown}");
    assert!(!shown.contains("panicked"), "{shown}");
    (output.status.code().expect("exited"), shown)
}

#[test]
fn on_a_terminal_delete_shows_what_goes_and_asks() {
    if !have_script() {
        return;
    }
    let server = deletable();
    let (code, shown) = on_terminal(&server, &["backups", "delete", "b1", "b2"], "n\n");
    assert_eq!(code, 1, "{shown}");
    for column in ["ID", "NAME", "INDEX", "STATUS", "CREATED"] {
        assert!(shown.contains(column), "{column}: {shown}");
    }
    assert!(shown.contains("Delete these 2 backups? [y/N]"), "{shown}");
    assert!(shown.contains("nothing was deleted"), "{shown}");
    assert_eq!(server.stats().delete_backup_requests, 0);
    assert_eq!(server.stats().backup_describe_requests, 2, "each shown");

    let (code, shown) = on_terminal(&server, &["backups", "delete", "b1"], "yes\n");
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("Delete this backup? [y/N]"), "{shown}");
    assert!(shown.contains("backup `b1`: deleted"), "{shown}");
    assert!(server.backup("b1").is_none());

    // one that cannot be shown: nothing is asked, nothing deleted
    let (code, shown) = on_terminal(&server, &["backups", "delete", "b2", "nowhere"], "y\n");
    assert_eq!(code, 3, "{shown}");
    assert!(!shown.contains("[y/N]"), "{shown}");
    assert!(server.backup("b2").is_some());
}

// ---- backups prune

/// `docs`: Ready backups 1, 2, 3, 10 and 40 days old, a failed one 5 days old and an old
/// failed one, one being taken, and `in-use` (60 days, a restore from it running).
fn aged() -> FakeControlPlane {
    let ready = |id: &str| FakeBackup::ready(id).of_index("docs");
    empty_index()
        .backup_created_ago(ready("d01"), days(1))
        .backup_created_ago(ready("d02"), days(2))
        .backup_created_ago(ready("d03"), days(3))
        .backup_created_ago(ready("d10"), days(10))
        .backup_created_ago(ready("d40"), days(40))
        .backup_created_ago(ready("in-use"), days(60))
        .backup_created_ago(FakeBackup::failed("f05").of_index("docs"), days(5))
        .backup_created_ago(FakeBackup::failed("f90").of_index("docs"), days(90))
        .backup_created_ago(FakeBackup::not_ready("taking").of_index("docs"), days(0))
        .backup(FakeBackup::ready("other-index").of_index("support"))
        .job(FakeJob {
            backup_id: "in-use".to_owned(),
            ..FakeJob::progressing("rj-running", u32::MAX, Ending::Completed)
        })
}

/// The ids left on `docs`, sorted.
fn left(server: &FakeServer) -> Vec<String> {
    let mut ids: Vec<String> = server
        .backups_of("docs")
        .into_iter()
        .map(|b| b.backup_id)
        .collect();
    ids.sort();
    ids
}

/// The plan table's rows: (action, id, why).
fn plan_rows(run: &Run) -> Vec<(String, String, String)> {
    let mut lines = run.stdout.lines();
    let header = lines.next().unwrap_or_default();
    let why_at = header
        .find("WHY")
        .unwrap_or_else(|| panic!("a plan: {run:?}"));
    lines
        .map(|l| {
            let mut words = l.split_whitespace();
            let action = words.next().unwrap_or_default().to_owned();
            let id = words.next().unwrap_or_default().to_owned();
            (action, id, l[why_at..].to_owned())
        })
        .collect()
}

#[test]
fn prune_keeps_what_any_rule_keeps_and_deletes_the_rest() {
    let server = aged().start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "2",
            "--older-than",
            "7d",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let rows = plan_rows(&run);
    let action = |id: &str| {
        rows.iter()
            .find(|(_, i, _)| i == id)
            .map(|(a, _, why)| (a.as_str(), why.as_str()))
            .unwrap_or_else(|| panic!("{id} in the plan: {run:?}"))
    };
    assert_eq!(
        action("d01"),
        ("keep", "newest Ready #1; younger than the age given")
    );
    assert_eq!(
        action("d02"),
        ("keep", "newest Ready #2; younger than the age given")
    );
    assert_eq!(action("d03"), ("keep", "younger than the age given"));
    assert_eq!(action("f05"), ("keep", "younger than the age given"));
    assert_eq!(action("taking").0, "keep");
    assert_eq!(
        action("in-use"),
        ("keep", "a running restore uses it (job `rj-running`)")
    );
    assert_eq!(
        action("d10"),
        ("delete", "older than the newest Ready kept")
    );
    assert_eq!(action("d40").0, "delete");
    assert_eq!(action("f90"), ("delete", "taking it failed"));
    assert_eq!(rows.len(), 9, "only this index's: {run:?}");
    assert_eq!(
        left(&server),
        ["d01", "d02", "d03", "f05", "in-use", "taking"]
    );
    assert!(server.backup("other-index").is_some());
    assert!(run.stderr.contains("(3 of 3)"), "{run:?}");

    // the second run deletes nothing, in one line
    let again = against(
        &server,
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "2",
            "--older-than",
            "7d",
            "--yes",
        ],
    );
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        again.stdout,
        "nothing to prune: all 6 backups of index `docs` are kept\n"
    );
    assert_eq!(server.stats().delete_backup_requests, 3);
}

#[test]
fn a_dry_run_prints_the_plan_and_deletes_nothing() {
    let server = aged().start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "1",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let deleting: Vec<String> = plan_rows(&run)
        .into_iter()
        .filter(|(a, _, _)| a == "delete")
        .map(|(_, id, _)| id)
        .collect();
    assert_eq!(deleting, ["d02", "d03", "f05", "d10", "d40", "f90"]);
    assert_eq!(server.stats().delete_backup_requests, 0);
    assert_eq!(left(&server).len(), 9);
}

#[test]
fn prune_json_is_one_document_of_the_plan_and_what_came_of_it() {
    let server = aged().start().unwrap();
    let run = against(
        &server,
        &[
            "backups", "prune", "--index", "docs", "--keep", "4", "--yes", "--output", "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let document = run.json();
    assert_eq!(document["index"], "docs");
    assert_eq!(document["dry_run"], false);
    assert!(document["server_time"].is_string(), "{document}");
    assert_eq!(document["plan"].as_array().map(Vec::len), Some(9));
    let deleted: Vec<&str> = document["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["backup_id"].as_str().unwrap())
        .collect();
    assert_eq!(deleted, ["f05", "d40", "f90"]);
    assert!(document["failed"].is_null());
}

#[test]
fn a_listing_that_fails_deletes_nothing() {
    for endpoint in [Endpoint::ListIndexBackups, Endpoint::List] {
        let server = aged().start().unwrap();
        for _ in 0..4 {
            server.inject_on(endpoint, Fault::Status(503));
        }
        let run = against(
            &server,
            &[
                "--max-retries",
                "3",
                "backups",
                "prune",
                "--index",
                "docs",
                "--keep",
                "1",
                "--yes",
            ],
        );
        assert_eq!(run.code, 3, "{endpoint:?}: {run:?}");
        assert_eq!(run.stdout, "", "no plan: {run:?}");
        assert!(
            notes(&run)
                .iter()
                .any(|n| n.contains("nothing was deleted")),
            "{run:?}"
        );
        assert_eq!(server.stats().delete_backup_requests, 0);
        assert_eq!(left(&server).len(), 9);
    }
}

#[test]
fn an_age_without_the_servers_clock_is_refused_and_a_count_alone_is_not() {
    let server = aged().dates(false).start().unwrap();
    let run = against(
        &server,
        &[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "1",
            "--older-than",
            "7d",
            "--yes",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("server's time"), "{run:?}");
    assert!(
        plan_rows(&run).iter().all(|(a, _, _)| a == "keep"),
        "{run:?}"
    );
    assert_eq!(server.stats().delete_backup_requests, 0);
    let run = against(
        &server,
        &[
            "backups", "prune", "--index", "docs", "--keep", "5", "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        left(&server),
        ["d01", "d02", "d03", "d10", "d40", "in-use", "taking"]
    );
}

#[test]
fn prune_stops_at_the_first_failed_delete_and_says_what_was_not_tried() {
    let server = aged().start().unwrap();
    // the first delete goes through (done, and answered 202); the second fails past its
    // retries
    server.inject_on(Endpoint::DeleteBackup, Fault::ProcessThenStatus(202));
    for _ in 0..2 {
        server.inject_on(Endpoint::DeleteBackup, Fault::Status(500));
    }
    let run = against(
        &server,
        &[
            "--max-retries",
            "1",
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "3",
            "--yes",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    // the plan deletes f05, d10, d40 and f90, in that order
    assert!(
        run.error_line().contains("cannot delete backup `d10`"),
        "{run:?}"
    );
    assert!(
        notes(&run)
            .iter()
            .any(|n| n.contains("deleted 1 of 4; not tried: `d40`, `f90`")),
        "{run:?}"
    );
    assert_eq!(
        left(&server),
        ["d01", "d02", "d03", "d10", "d40", "f90", "in-use", "taking"]
    );
}

#[test]
fn on_a_terminal_prune_asks_after_the_plan() {
    if !have_script() {
        return;
    }
    let server = aged().start().unwrap();
    let (code, shown) = on_terminal(
        &server,
        &["backups", "prune", "--index", "docs", "--keep", "4"],
        "n\n",
    );
    assert_eq!(code, 1, "{shown}");
    let plan = shown.find("ACTION").expect("the plan");
    let question = shown
        .find("Delete these 3 backups? [y/N]")
        .expect("the question");
    assert!(plan < question, "{shown}");
    assert_eq!(server.stats().delete_backup_requests, 0);
    let (code, shown) = on_terminal(
        &server,
        &["backups", "prune", "--index", "docs", "--keep", "4"],
        "y\n",
    );
    assert_eq!(code, 0, "{shown}");
    assert_eq!(left(&server).len(), 6, "{shown}");
}

#[test]
fn the_demo_has_a_prune_to_show() {
    let run = exec(cli(&[
        "--demo",
        "backups",
        "prune",
        "--index",
        "reviews-prod",
        "--keep",
        "4",
        "--dry-run",
    ]));
    assert_eq!(run.code, 0, "{run:?}");
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("keep")).count(),
        4,
        "{run:?}"
    );
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("delete")).count(),
        4,
        "{run:?}"
    );
}
