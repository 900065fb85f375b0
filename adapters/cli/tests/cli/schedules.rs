//! Issue 29: the `schedules` commands (API 2026-07) end to end against the fake: every
//! command, each exit code, the refusal before 2026-07, the question on a real terminal.

use std::time::Duration;

use pinecone_restore_fake::{Endpoint, FakeControlPlane, FakeSchedule, FakeServer, Fault};

use super::lifecycle::{have_script, on_terminal};
use super::{KEY, Run, against};

const DAY: u64 = 86_400;

/// `docs` with a daily schedule `sched-docs` running for three days (so a history), and an
/// empty index `empty`.
fn plane() -> FakeControlPlane {
    FakeControlPlane::builder()
        .index("docs")
        .index("empty")
        .schedule_created_ago(
            FakeSchedule::daily("sched-docs").of_index("docs"),
            Duration::from_secs(3 * DAY),
        )
        .api_key(Some(KEY))
}

fn server() -> FakeServer {
    plane().start().unwrap()
}

/// The command with `--api-version 2026-07` before `args`.
fn v7(server: &FakeServer, args: &[&str]) -> Run {
    let mut all = vec!["--api-version", "2026-07"];
    all.extend_from_slice(args);
    against(server, &all)
}

fn notes(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("note:"))
        .collect()
}

#[test]
fn every_schedules_command_is_refused_before_2026_07_with_nothing_sent() {
    let server = server();
    for version in ["2025-04", "2025-10", "2026-04"] {
        for args in [
            &["schedules", "list", "docs"][..],
            &["schedules", "describe", "sched-docs"],
            &["schedules", "history", "sched-docs"],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "daily",
                "--retain-days",
                "7",
            ],
            &["schedules", "update", "sched-docs", "--disable"],
            &["schedules", "delete", "sched-docs", "--yes"],
        ] {
            let mut all = vec!["--api-version", version];
            all.extend_from_slice(args);
            let run = against(&server, &all);
            assert_eq!(run.code, 2, "{version} {args:?}: {run:?}");
            let line = run.error_line();
            assert!(
                line.contains("--api-version 2026-07") && line.contains("nothing was sent"),
                "{line}"
            );
        }
    }
    // the default version too, and the demo does not even start
    let run = against(&server, &["schedules", "list", "docs"]);
    assert_eq!(run.code, 2, "{run:?}");
    let demo = super::exec(super::cli(&["--demo", "schedules", "list", "orders-prod"]));
    assert_eq!(demo.code, 2, "{demo:?}");
    assert!(!demo.stderr.contains("demo mode"), "{demo:?}");
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn list_and_describe_say_when_it_runs_and_how_long_it_keeps() {
    let server = server();
    let run = v7(&server, &["schedules", "list", "docs"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    for column in ["ID", "NAME", "FREQUENCY", "KEEPS", "ENABLED", "NEXT RUN"] {
        assert!(lines[0].contains(column), "{}", lines[0]);
    }
    assert!(lines[1].starts_with("sched-docs "), "{}", lines[1]);
    assert!(lines[1].contains(" daily "), "{}", lines[1]);
    assert!(
        lines[1].contains(" in "),
        "the next run in words: {}",
        lines[1]
    );

    let run = v7(&server, &["schedules", "list", "docs", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let page = run.json();
    assert_eq!(page["data"][0]["schedule_id"], "sched-docs");
    assert!(page["data"][0]["next_scheduled_run"].is_string());
    assert!(page["pagination"].is_null());

    let run = v7(&server, &["schedules", "list", "empty"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1, "a header only: {run:?}");
    let run = v7(&server, &["schedules", "list", "nowhere"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("404"), "{run:?}");

    let run = v7(&server, &["schedules", "describe", "sched-docs"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("(each backup is kept 7 days)")
            || run.stdout.contains("(each backup is kept"),
        "{run:?}"
    );
    let next = run
        .stdout
        .lines()
        .find(|l| l.starts_with("next_scheduled_run"))
        .unwrap_or_else(|| panic!("{run:?}"));
    assert!(next.contains("(in "), "{next}");
    let run = v7(&server, &["schedules", "describe", "nope"]);
    assert_eq!(run.code, 3, "{run:?}");
}

#[test]
fn history_shows_what_the_schedule_took_and_plans() {
    let server = server();
    let run = v7(
        &server,
        &["schedules", "history", "sched-docs", "--output", "ndjson"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let backups = run.ndjson();
    assert!(backups.len() >= 3, "{run:?}");
    assert!(
        backups
            .iter()
            .all(|b| b["source_index_name"] == "docs" && b["name"].is_string()),
        "{run:?}"
    );
    let run = v7(
        &server,
        &["schedules", "history", "sched-docs", "--limit", "1"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        notes(&run)
            .iter()
            .any(|n| n.contains("schedules history sched-docs --pagination-token")),
        "the next page's command: {run:?}"
    );
    let run = v7(&server, &["schedules", "history", "nope"]);
    assert_eq!(run.code, 3, "{run:?}");
}

#[test]
fn create_makes_one_schedule_and_a_409_shows_the_enabled_one() {
    let server = server();
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "empty",
            "--frequency",
            "weekly",
            "--retain-days",
            "30",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let made = run.json();
    assert_eq!(made["frequency"], "weekly");
    assert_eq!(made["retention_expire_after_days"], 30);
    let name = made["name"].as_str().unwrap();
    assert!(
        notes(&run)
            .first()
            .is_some_and(|n| n.contains(&format!("the schedule is named `{name}`"))),
        "the generated name is said first: {run:?}"
    );
    assert!(name.starts_with("empty-weekly-"), "{name}");

    // docs already has an enabled schedule
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "docs",
            "--frequency",
            "daily",
            "--retain-days",
            "7",
            "--name",
            "second",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("409"), "{run:?}");
    let shown = notes(&run)
        .into_iter()
        .find(|n| n.contains("already has an enabled schedule"))
        .unwrap_or_else(|| panic!("{run:?}"));
    assert!(shown.contains("`sched-docs`"), "{shown}");
    assert!(
        shown.contains("schedules update sched-docs --disable"),
        "{shown}"
    );
    // the retention and the index are checked before sending
    let before = server.stats().requests;
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "docs",
            "--frequency",
            "daily",
            "--retain-days",
            "0",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(server.stats().requests, before, "nothing sent");
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "nowhere",
            "--frequency",
            "daily",
            "--retain-days",
            "7",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("404"), "{run:?}");
}

#[test]
fn a_plan_without_schedules_is_a_403() {
    let server = plane().schedules_allowed(false).start().unwrap();
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "empty",
            "--frequency",
            "daily",
            "--retain-days",
            "7",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.error_line().contains("403"), "{run:?}");
}

#[test]
fn a_lost_create_answer_is_recovered_and_said_so() {
    let server = server();
    server.inject_on(Endpoint::CreateSchedule, Fault::ProcessThenDrop);
    let run = v7(
        &server,
        &[
            "schedules",
            "create",
            "empty",
            "--frequency",
            "monthly",
            "--retain-days",
            "90",
            "--name",
            "monthly-keep",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        notes(&run)
            .iter()
            .any(|n| n.contains("the first answer was lost")),
        "{run:?}"
    );
    assert_eq!(run.json()["name"], "monthly-keep");
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_create_requests, stats.schedules_created),
        (2, 1),
        "{stats:?}"
    );
}

#[test]
fn update_sends_only_what_changes() {
    let server = server();
    let run = v7(
        &server,
        &[
            "schedules",
            "update",
            "sched-docs",
            "--disable",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let updated = run.json();
    assert_eq!(updated["enabled"], false);
    assert!(updated["next_scheduled_run"].is_null());
    let sent = server
        .requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(sent.path, "/backup-schedules/sched-docs");
    let run = v7(&server, &["schedules", "describe", "sched-docs"]);
    assert!(
        run.stdout.contains("disabled: none until it is enabled"),
        "{run:?}"
    );
    let run = v7(
        &server,
        &[
            "schedules",
            "update",
            "sched-docs",
            "--enable",
            "--frequency",
            "weekly",
            "--retain-days",
            "14",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("weekly"), "{run:?}");
    let schedule = server.schedule("sched-docs").unwrap();
    assert!(schedule.enabled);
    assert_eq!(schedule.retention_expire_after_days, 14);
    // no change: a usage error, nothing sent
    let before = server.stats().requests;
    let run = v7(&server, &["schedules", "update", "sched-docs"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(server.stats().requests, before);
    let run = v7(&server, &["schedules", "update", "nope", "--disable"]);
    assert_eq!(run.code, 3, "{run:?}");
}

#[test]
fn delete_asks_or_needs_yes_and_a_lost_answer_is_gone() {
    let server = server();
    let run = v7(&server, &["schedules", "delete", "sched-docs"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.error_line().contains("--yes"), "{run:?}");
    assert_eq!(server.stats().requests, 0, "nothing sent");

    let run = v7(&server, &["schedules", "delete", "sched-docs", "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("schedule `sched-docs`: deleted"),
        "{run:?}"
    );
    assert!(server.schedule("sched-docs").is_none());
    assert!(!server.backups_of("docs").is_empty(), "its backups stay");
    let run = v7(&server, &["schedules", "delete", "sched-docs", "--yes"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.error_line()
            .starts_with("error: cannot delete schedule `sched-docs`:"),
        "{run:?}"
    );

    let server = self::server();
    server.inject_on(Endpoint::DeleteSchedule, Fault::ProcessThenDrop);
    let run = v7(&server, &["schedules", "delete", "sched-docs", "-y"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("schedule `sched-docs`: already gone"),
        "{run:?}"
    );
}

#[test]
fn a_dry_run_shows_the_schedule_and_deletes_nothing() {
    let server = server();
    let run = v7(&server, &["schedules", "delete", "sched-docs", "--dry-run"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("sched-docs") && run.stdout.contains("FREQUENCY"),
        "{run:?}"
    );
    assert!(
        notes(&run).iter().any(|n| n.contains(
            "dry run: nothing was deleted; without --dry-run, this schedule would be deleted"
        )),
        "{run:?}"
    );
    let run = v7(&server, &["schedules", "delete", "nope", "--dry-run"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(server.stats().schedule_delete_requests, 0);
    assert!(server.schedule("sched-docs").is_some());
}

#[test]
fn on_a_terminal_delete_shows_the_schedule_and_asks() {
    if !have_script() {
        return;
    }
    let server = server();
    let args = [
        "--api-version",
        "2026-07",
        "schedules",
        "delete",
        "sched-docs",
    ];
    let (code, shown) = on_terminal(&server, &args, "n\n");
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("sched-docs") && shown.contains("FREQUENCY"),
        "{shown}"
    );
    assert!(shown.contains("Delete this schedule? [y/N]"), "{shown}");
    assert!(server.schedule("sched-docs").is_some());
    let (code, shown) = on_terminal(&server, &args, "y\n");
    assert_eq!(code, 0, "{shown}");
    assert!(server.schedule("sched-docs").is_none());
}

#[test]
fn the_demo_has_a_schedule_to_show() {
    let run = super::exec(super::cli(&[
        "--demo",
        "--api-version",
        "2026-07",
        "schedules",
        "history",
        "demo-schedule",
    ]));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.lines().count() > 2, "{run:?}");
}

#[test]
fn backups_list_names_the_schedule_that_took_each_backup() {
    let server = plane()
        .backup(pinecone_restore_fake::FakeBackup::ready("by-hand").of_index("docs"))
        .start()
        .unwrap();
    let schedule_name = server.schedule("sched-docs").unwrap().name;
    let run = v7(&server, &["backups", "list", "--index", "docs", "--all"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].ends_with("SCHEDULE"), "{}", lines[0]);
    let by_hand = lines.iter().find(|l| l.starts_with("by-hand ")).unwrap();
    assert!(by_hand.ends_with(" -"), "{by_hand}");
    let scheduled: Vec<&&str> = lines[1..]
        .iter()
        .filter(|l| l.ends_with(&format!(" {schedule_name}")))
        .collect();
    assert!(scheduled.len() >= 3, "{run:?}");
    // JSON keeps the API's shape; an earlier version has no schedules to ask
    let run = v7(
        &server,
        &["backups", "list", "--index", "docs", "--output", "json"],
    );
    assert!(run.json()["data"][0].get("schedule").is_none(), "{run:?}");
    let run = against(&server, &["backups", "list", "--index", "docs"]);
    assert!(!run.stdout.lines().next().unwrap().contains("SCHEDULE"));
    // a history that cannot be read: the table without the column, and a note
    server.inject_on(Endpoint::ScheduleHistory, Fault::Status(400));
    let run = v7(&server, &["backups", "list", "--index", "docs"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.lines().next().unwrap().contains("SCHEDULE"));
    assert!(
        notes(&run)
            .iter()
            .any(|n| n.contains("which backups a schedule took is not shown")),
        "{run:?}"
    );
}
