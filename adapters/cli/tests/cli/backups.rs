//! Issue 15: the backups commands and `restore --from-index`, end to end against the fake.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pinecone_restore_fake::{FakeBackup, FakeControlPlane, FakeServer};
use serde_json::{Value, json};

use super::script::{self, Script};
use super::{KEY, Run, against, assert_unique, cli, exec};

/// Backups named for what each test needs of them:
/// - `docs`: the newest backup is `Initializing`, and before it `Ready`, `Failed`, `Ready`;
/// - `tickets`: two backups, none `Ready`;
/// - `bulk`: twelve `Ready` backups, to page through;
/// - `empty`: an index without backups.
///
/// 18 backups in all, listed in this order (not by date).
fn backups_server() -> FakeServer {
    FakeControlPlane::builder()
        .backups([
            FakeBackup::ready("docs-old")
                .of_index("docs")
                .created("2025-06-01T00:00:00Z"),
            FakeBackup::not_ready("docs-newest")
                .of_index("docs")
                .created("2025-06-04T00:00:00Z"),
            FakeBackup::ready("docs-new")
                .of_index("docs")
                .created("2025-06-03T00:00:00+02:00"),
            FakeBackup::failed("docs-failed")
                .of_index("docs")
                .created("2025-06-02T00:00:00Z"),
            FakeBackup::not_ready("tickets-1")
                .of_index("tickets")
                .created("2025-06-05T00:00:00Z"),
            FakeBackup::failed("tickets-2")
                .of_index("tickets")
                .created("2025-06-04T00:00:00Z"),
        ])
        .backups((0..12).map(|i| FakeBackup::ready(&format!("bulk-{i:02}")).of_index("bulk")))
        .index("empty")
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

const ALL: usize = 18;

fn backup_ids(backups: &[Value]) -> Vec<&str> {
    backups
        .iter()
        .map(|b| b["backup_id"].as_str().expect("a backup id"))
        .collect()
}

/// The ids in the first column of a table, header left out.
fn table_ids(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().expect("an id"))
        .collect()
}

/// The command in a `note:` line starting with `prefix`, as the words a shell would pass.
fn noted_command(run: &Run, prefix: &str) -> Vec<String> {
    let note = run
        .stderr
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("a note `{prefix}`: {run:?}"));
    let command = note.split('`').nth(1).expect("the command in backticks");
    command
        .split_whitespace()
        .map(|w| w.trim_matches('\'').to_owned())
        .collect()
}

#[test]
fn one_page_as_a_table_with_a_next_page_note_that_runs_as_given() {
    let server = backups_server();
    let first = against(&server, &["backups", "list", "--limit", "5"]);
    assert_eq!(first.code, 0, "{first:?}");
    let header: Vec<&str> = first
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "ID", "NAME", "INDEX", "STATUS", "CREATED", "RECORDS", "SIZE"
        ]
    );
    let page_one = table_ids(&first);
    assert_eq!(
        page_one,
        [
            "docs-old",
            "docs-newest",
            "docs-new",
            "docs-failed",
            "tickets-1"
        ]
    );
    // UTC, as every table shows a time
    assert!(first.stdout.contains("2025-06-02T22:00:00Z"), "{first:?}");

    let words = noted_command(&first, "note: more backups: next page with");
    assert_eq!(words[0], "pinecone-restore");
    assert_eq!(words[3..6], ["backups", "list", "--pagination-token"]);
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let second = exec(cli(&args));
    assert_eq!(second.code, 0, "{second:?}");
    let page_two = table_ids(&second);
    assert_eq!(page_two.len(), 5, "{second:?}");
    assert_eq!(page_two[0], "tickets-2");
    let mut both = page_one.clone();
    both.extend(&page_two);
    assert_unique(&both);
}

#[test]
fn one_page_as_json_is_the_api_shape_and_ndjson_one_backup_a_line() {
    let server = backups_server();
    let run = against(
        &server,
        &["backups", "list", "--limit", "5", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let page = run.json();
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    let token = page["pagination"]["next"].as_str().expect("a next token");
    // for a program, the token is in the document: no note
    assert!(!run.stderr.contains("more backups"), "{run:?}");
    let first = &page["data"][0];
    assert_eq!(first["backup_id"], "docs-old");
    assert_eq!(first["source_index_name"], "docs");
    assert_eq!(first["status"], "Ready");
    assert_eq!(first["created_at"], "2025-06-01T00:00:00Z");
    assert_eq!(first["cloud"], "aws");

    // the last page: pagination null
    let last = against(
        &server,
        &["backups", "list", "--limit", "100", "--output", "json"],
    );
    assert_eq!(last.code, 0, "{last:?}");
    assert!(last.json()["pagination"].is_null(), "{last:?}");
    assert_eq!(last.json()["data"].as_array().unwrap().len(), ALL);

    let run = against(
        &server,
        &[
            "backups",
            "list",
            "--limit",
            "5",
            "--pagination-token",
            token,
            "--output",
            "ndjson",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.ndjson();
    assert_eq!(backup_ids(&lines)[0], "tickets-2");
    assert_eq!(lines.len(), 5);
    assert!(run.stderr.contains("note: more backups"), "{run:?}");
}

#[test]
fn all_pages_each_backup_once_in_every_format() {
    let server = backups_server();
    let json = against(
        &server,
        &[
            "backups", "list", "--all", "--limit", "5", "--output", "json",
        ],
    );
    assert_eq!(json.code, 0, "{json:?}");
    let document = json.json();
    assert!(document["pagination"].is_null());
    let data = document["data"].as_array().unwrap();
    let ids = backup_ids(data);
    assert_eq!(ids.len(), ALL, "{ids:?}");
    assert_unique(&ids);

    let table = against(&server, &["backups", "list", "--all", "--limit", "5"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert_eq!(table_ids(&table).len(), ALL);
    assert!(!table.stderr.contains("more backups"), "{table:?}");

    let ndjson = against(
        &server,
        &[
            "backups", "list", "--all", "--limit", "7", "--output", "ndjson",
        ],
    );
    assert_eq!(ndjson.code, 0, "{ndjson:?}");
    assert_eq!(backup_ids(&ndjson.ndjson()), ids);
}

#[test]
fn one_index_only_and_an_unknown_index_is_the_servers_404() {
    let server = backups_server();
    let run = against(
        &server,
        &[
            "backups", "list", "--index", "docs", "--all", "--limit", "2", "--output", "ndjson",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.ndjson();
    assert_eq!(
        backup_ids(&lines),
        ["docs-old", "docs-newest", "docs-new", "docs-failed"]
    );
    assert!(lines.iter().all(|b| b["source_index_name"] == "docs"));

    // one page of one index: the note keeps the index, and runs as given
    let first = against(
        &server,
        &["backups", "list", "--index", "bulk", "--limit", "5"],
    );
    assert_eq!(first.code, 0, "{first:?}");
    let words = noted_command(&first, "note: more backups");
    assert!(
        words.windows(2).any(|w| w == ["--index", "bulk"]),
        "{words:?}"
    );
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let second = exec(cli(&args));
    assert_eq!(second.code, 0, "{second:?}");
    assert!(table_ids(&second).iter().all(|id| id.starts_with("bulk-")));
    assert_eq!(table_ids(&second).len(), 5);

    let empty = against(
        &server,
        &["backups", "list", "--index", "empty", "--output", "json"],
    );
    assert_eq!(empty.code, 0, "{empty:?}");
    assert_eq!(empty.stdout, "{\"data\":[],\"pagination\":null}\n");

    for all in [false, true] {
        let mut args = vec!["backups", "list", "--index", "nope", "--output", "json"];
        if all {
            args.push("--all");
        }
        let run = against(&server, &args);
        assert_eq!(run.code, 3, "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        let line = run.error_line();
        assert!(line.contains("404"), "{line}");
        assert!(line.contains("Index nope not found"), "{line}");
    }
}

#[test]
fn describe_as_fields_and_json_and_an_unknown_id_exits_3() {
    let server = backups_server();
    let run = against(&server, &["backups", "describe", "docs-new"]);
    assert_eq!(run.code, 0, "{run:?}");
    let field = |name: &str| -> String {
        run.stdout
            .lines()
            .find_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
            .unwrap_or_else(|| panic!("{name}: {run:?}"))
            .trim()
            .to_owned()
    };
    assert_eq!(field("backup_id"), "docs-new");
    assert_eq!(field("source_index_name"), "docs");
    assert_eq!(field("status"), "Ready");
    assert_eq!(field("created_at"), "2025-06-02T22:00:00Z");
    assert_eq!(field("tags"), "environment=production");

    let json = against(
        &server,
        &["backups", "describe", "docs-new", "--output", "json"],
    );
    assert_eq!(json.code, 0, "{json:?}");
    let backup = json.json();
    let served = server.backup("docs-new").expect("served");
    assert_eq!(backup["backup_id"], "docs-new");
    assert_eq!(backup["name"].as_str(), served.name.as_deref());
    assert_eq!(backup["record_count"], served.record_count);
    assert_eq!(backup["size_bytes"], served.size_bytes);
    assert_eq!(backup["dimension"], 1536);

    // 2026-07 has no dimension: the version's rules apply
    let newer = against(
        &server,
        &[
            "--api-version",
            "2026-07",
            "backups",
            "describe",
            "docs-new",
            "--output",
            "json",
        ],
    );
    assert_eq!(newer.code, 0, "{newer:?}");
    assert!(newer.json().get("dimension").is_none(), "{newer:?}");

    let missing = against(&server, &["backups", "describe", "no-such-backup"]);
    assert_eq!(missing.code, 3, "{missing:?}");
    assert!(missing.stdout.is_empty());
    let line = missing.error_line();
    assert!(
        line.contains("404") && line.contains("Backup no-such-backup not found"),
        "{line}"
    );
}

#[test]
fn restore_from_an_index_picks_its_newest_ready_backup_and_says_so_first() {
    let server = backups_server();
    let run = against(
        &server,
        &[
            "restore",
            "--from-index",
            "docs",
            "--name",
            "restored-docs",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // the newest backup is Initializing: the one before it, Ready, is picked
    let first = run.stderr.lines().next().unwrap_or_default();
    let served = server.backup("docs-new").expect("served");
    let name = served.name.expect("a name");
    assert!(
        first.starts_with("note: restoring from backup `docs-new`"),
        "{run:?}"
    );
    assert!(first.contains(&format!("name `{name}`")), "{first}");
    assert!(first.contains("created_at 2025-06-02T22:00:00Z"), "{first}");
    assert!(first.contains("index `docs`"), "{first}");

    let started = run.json();
    let job_id = started["restore_job_id"].as_str().expect("a job id");
    let job = server.job(job_id).expect("the job the restore started");
    assert_eq!(job.backup_id, "docs-new");
    assert_eq!(job.target_index_name, "restored-docs");
    assert_eq!(server.stats().create_requests, 1);
    // and the restore is followed exactly as `restore BACKUP_ID` is
    let follow = against(&server, &["describe", job_id, "--output", "json"]);
    assert_eq!(follow.json()["backup_id"], "docs-new");
}

#[test]
fn restore_from_an_index_with_nothing_ready_or_unknown_exits_3_and_starts_nothing() {
    let server = backups_server();
    let run = against(
        &server,
        &["restore", "--from-index", "tickets", "--name", "t"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(
        run.error_line(),
        "error: index `tickets` has 2 backups, none Ready (1 Failed, 1 Initializing; newest: \
         `tickets-1` Initializing, created_at 2025-06-05T00:00:00Z)"
    );

    let run = against(
        &server,
        &["restore", "--from-index", "empty", "--name", "t"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(
        run.error_line(),
        "error: index `empty` has no backups: there is nothing to restore from"
    );

    let run = against(
        &server,
        &["restore", "--from-index", "nope", "--name", "t", "--wait"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    let line = run.error_line();
    assert!(
        line.contains("404") && line.contains("Index nope not found"),
        "{line}"
    );

    assert_eq!(server.stats().create_requests, 0);
}

#[test]
fn restore_takes_exactly_one_of_a_backup_id_and_from_index() {
    let server = backups_server();
    for args in [
        &["restore", "docs-new", "--from-index", "docs", "--name", "t"][..],
        &["restore", "--name", "t"],
        &["restore", "--from-index", "Not_An_Index", "--name", "t"],
    ] {
        let run = against(&server, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
    }
    let neither = against(&server, &["restore", "--name", "t"]);
    let line = neither.error_line();
    assert!(
        line.contains("BACKUP_ID") && line.contains("--from-index"),
        "{line}"
    );
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn demo_backups_need_no_key() {
    let demo = |args: &[&str]| {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        let mut command = cli(&all);
        command.env_remove("PINECONE_API_KEY");
        exec(command)
    };
    let list = demo(&["backups", "list", "--all", "--output", "ndjson"]);
    assert_eq!(list.code, 0, "{list:?}");
    assert!(
        backup_ids(&list.ndjson()).contains(&"demo-backup"),
        "{list:?}"
    );

    let one = demo(&["backups", "list", "--index", "support-tickets"]);
    assert_eq!(one.code, 0, "{one:?}");
    assert!(one.stdout.contains("demo-backup-pending"), "{one:?}");

    let describe = demo(&["backups", "describe", "demo-backup", "--output", "json"]);
    assert_eq!(describe.code, 0, "{describe:?}");
    assert_eq!(describe.json()["status"], "Ready");

    // the demo index whose newest backup is not Ready: its newest Ready one, then the wait
    let restore = demo(&[
        "restore",
        "--from-index",
        "products-prod",
        "--name",
        "from-demo",
        "--wait",
        "--interval",
        "0.05",
        "--output",
        "json",
    ]);
    assert_eq!(restore.code, 0, "{restore:?}");
    assert!(
        restore
            .stderr
            .contains("restoring from backup `demo-backup`"),
        "{restore:?}"
    );
    assert_eq!(restore.json()["status"], "Completed");
    assert_eq!(restore.json()["backup_id"], "demo-backup");

    let none = demo(&["restore", "--from-index", "support-tickets", "--name", "x"]);
    assert_eq!(none.code, 3, "{none:?}");
    assert!(none.error_line().contains("none Ready"), "{none:?}");
}

#[test]
fn verbose_lines_show_the_backup_requests_without_the_key() {
    let server = backups_server();
    // `exec` fails the test if the key is anywhere in stdout or stderr
    let run = against(
        &server,
        &[
            "-v", "backups", "list", "--all", "--limit", "5", "--output", "ndjson",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.lines().filter(|l| l.starts_with("* ")).count() >= 4,
        "{run:?}"
    );
    let run = against(
        &server,
        &["-v", "restore", "--from-index", "docs", "--name", "v"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("/indexes/docs/backups"), "{run:?}");
}

#[test]
fn a_walk_that_fails_says_how_to_resume_and_the_command_resumes() {
    // one index's backups over two pages; the second page fails once
    let failed = Arc::new(AtomicUsize::new(0));
    let fails = Arc::clone(&failed);
    let server = Script::start(move |r| {
        let backup = |id: &str| {
            json!({"backup_id": id, "source_index_name": "docs", "source_index_id": "ix",
                   "status": "Ready", "cloud": "aws", "region": "us-east-1"})
        };
        if !r.target.starts_with("/indexes/docs/backups") {
            return script::api_error("404 Not Found", "NOT_FOUND", "unexpected");
        }
        if !r.target.contains("paginationToken=") {
            return script::ok(&json!({"data": [backup("b-1")], "pagination": {"next": "p+2/="}}));
        }
        if fails.fetch_add(1, Ordering::SeqCst) == 0 {
            return script::api_error("500 Internal Server Error", "UNKNOWN", "boom");
        }
        script::ok(&json!({"data": [backup("b-2")], "pagination": null}))
    });
    let base = server.url().to_owned();
    let run = exec(cli(&[
        "--host",
        &base,
        "--max-retries",
        "0",
        "backups",
        "list",
        "--index",
        "docs",
        "--all",
        "--output",
        "ndjson",
    ]));
    assert_eq!(run.code, 3, "{run:?}");
    // what came before the failure stays
    assert_eq!(backup_ids(&run.ndjson()), ["b-1"]);
    let words = noted_command(&run, "note: stopped after");
    assert!(
        words
            .windows(2)
            .any(|w| w == ["--pagination-token", "p+2/="]),
        "{words:?}"
    );
    assert!(
        words.windows(2).any(|w| w == ["--index", "docs"]),
        "{words:?}"
    );
    assert!(words.contains(&"--all".to_owned()), "{words:?}");
    let mut args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    args.extend(["--output", "ndjson"]);
    let rest = exec(cli(&args));
    assert_eq!(rest.code, 0, "{rest:?}");
    assert_eq!(backup_ids(&rest.ndjson()), ["b-2"]);
}

#[test]
fn a_deleted_index_is_listed_and_restored_with_include_deleted_from_2026_07() {
    let demo = |args: &[&str]| {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        exec(cli(&all))
    };
    // the demo's legacy-catalog was deleted: its own listing is a 404 without the flag
    let gone = demo(&[
        "--api-version",
        "2026-07",
        "backups",
        "list",
        "--index",
        "legacy-catalog",
    ]);
    assert_eq!(gone.code, 3, "{gone:?}");

    let listed = demo(&[
        "--api-version",
        "2026-07",
        "backups",
        "list",
        "--index",
        "legacy-catalog",
        "--include-deleted",
        "--output",
        "json",
    ]);
    assert_eq!(listed.code, 0, "{listed:?}");
    let data = listed.json()["data"].as_array().unwrap().clone();
    assert_eq!(backup_ids(&data), ["bkp-legacy-final", "bkp-legacy-0607"]);
    assert!(
        data.iter()
            .all(|b| b["source_index_deleted_at"].is_string())
    );

    let restored = demo(&[
        "--api-version",
        "2026-07",
        "restore",
        "--from-index",
        "legacy-catalog",
        "--include-deleted",
        "--name",
        "legacy-catalog",
    ]);
    assert_eq!(restored.code, 0, "{restored:?}");
    assert!(
        restored
            .stderr
            .contains("restoring from backup `bkp-legacy-final`"),
        "{restored:?}"
    );

    // an earlier version does not take it: refused before anything is sent
    let server = backups_server();
    let refused = against(
        &server,
        &["backups", "list", "--index", "docs", "--include-deleted"],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.error_line().contains("include_deleted"),
        "{refused:?}"
    );
    let refused = against(
        &server,
        &[
            "restore",
            "--from-index",
            "docs",
            "--include-deleted",
            "--name",
            "x",
        ],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    assert_eq!(server.stats().requests, 0);
}
