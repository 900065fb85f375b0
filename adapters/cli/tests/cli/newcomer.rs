//! Issue 31: what a newcomer meets in the first ten minutes, driven as they meet it: global
//! options after the command, a typo, each usage error naming the help that explains it and
//! the flag that fixes it, `-v` lines that name what a listing holds.

use super::{Run, cli, exec};

fn command(args: &[&str]) -> Run {
    exec(cli(args))
}

#[test]
fn global_options_go_before_or_after_the_command() {
    for args in [
        &["--demo", "list"][..],
        &["list", "--demo"],
        &["list", "--demo", "--limit", "3"],
        &["backups", "list", "--demo", "--api-version", "2026-07"],
        &["backups", "--demo", "list"],
    ] {
        let run = command(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(run.stdout.starts_with("ID "), "{args:?}: {run:?}");
    }
    // the same rules either way: --demo and --host still exclude each other
    for args in [
        &["list", "--demo", "--host", "https://example.com"][..],
        // one before the command, one after: clap alone would let this through
        &["--host", "https://example.com", "list", "--demo"],
        &["--demo", "backups", "list", "--api-key-file", "/dev/null"],
    ] {
        let run = command(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    let run = command(&["list", "--api-version", "2026-07", "--demo", "-v"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("* GET /restore-jobs"), "{run:?}");
}

#[test]
fn a_typo_gets_the_command_or_option_meant() {
    for (args, line) in [
        (
            &["lst"][..],
            "error: unknown command `lst`; did you mean `list`? (see `pinecone-restore --help`)",
        ),
        (
            &["backups", "lsit"],
            "error: unknown command `lsit`; did you mean `list`? (see `pinecone-restore backups \
             --help`)",
        ),
        (
            &["--demo", "list", "--limt", "5"],
            "error: unknown option `--limt`; did you mean `--limit`? (see `pinecone-restore list \
             --help`)",
        ),
        (
            &["schedules", "create", "docs", "--frequncy", "daily"],
            "error: unknown option `--frequncy`; did you mean `--frequency`? (see \
             `pinecone-restore schedules create --help`)",
        ),
    ] {
        let run = command(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.error_line(), line, "{args:?}");
    }
}

#[test]
fn a_usage_error_names_its_commands_help_and_says_its_rule_once() {
    for (args, line) in [
        (
            &["--demo", "list", "--limit", "0"][..],
            "error: invalid value `0` for `--limit`: expected a number from 1 to 100, found `0` \
             (see `pinecone-restore list --help`)",
        ),
        (
            &["--demo", "restore", "b", "--name", "Bad_Name"],
            "error: invalid value `Bad_Name` for `--name`: expected lower-case letters, digits \
             and `-`, found `B` in `Bad_Name` (see `pinecone-restore restore --help`)",
        ),
        (
            &["--max-retries", "21", "list"],
            "error: invalid value `21` for `--max-retries`: expected a number from 0 to 20, \
             found `21` (see `pinecone-restore list --help`)",
        ),
        (
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "hourly",
                "--retain-days",
                "7",
            ],
            "error: invalid value `hourly` for `--frequency`: expected daily, weekly or monthly, \
             found `hourly` (see `pinecone-restore schedules create --help`)",
        ),
        (
            &[
                "backups",
                "prune",
                "--index",
                "docs",
                "--keep",
                "3",
                "--older-than",
                "30",
            ],
            "error: invalid value `30` for `--older-than`: expected an age such as 30d, 12h or \
             1d12h (units s, m, h, d, w), found `30` (see `pinecone-restore backups prune \
             --help`)",
        ),
    ] {
        let run = command(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.error_line(), line, "{args:?}");
        assert!(!run.error_line().contains("..="), "in words: {run:?}");
    }
}

#[test]
fn plain_http_to_a_remote_host_names_the_flag_that_allows_it() {
    for args in [
        &["--host", "http://example.com", "list"][..],
        &["list", "--host", "http://example.com"],
    ] {
        let run = command(args);
        assert_eq!(run.code, 2, "{run:?}");
        let line = run.error_line();
        assert!(line.contains("--allow-insecure-http"), "{line}");
        assert!(line.contains("`example.com`"), "{line}");
    }
    // the environment's host too: the same flag fixes it
    let mut command = cli(&["list"]);
    command.env("PINECONE_CONTROLLER_HOST", "http://example.com");
    let run = exec(command);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.error_line().contains("--allow-insecure-http"),
        "{run:?}"
    );
}

#[test]
fn verbose_pages_name_what_each_listing_holds() {
    for (args, noun) in [
        (&["--demo", "-v", "list", "--all"][..], "jobs"),
        (&["--demo", "-v", "backups", "list", "--all"], "backups"),
        (
            &[
                "--demo",
                "-v",
                "backups",
                "list",
                "--index",
                "products-prod",
                "--all",
            ],
            "backups",
        ),
        (
            &[
                "--demo",
                "--api-version",
                "2026-07",
                "-v",
                "schedules",
                "list",
                "orders-prod",
                "--all",
            ],
            "schedule",
        ),
        (
            &[
                "--demo",
                "--api-version",
                "2026-07",
                "-v",
                "schedules",
                "history",
                "demo-schedule",
                "--all",
            ],
            "backups",
        ),
    ] {
        let run = command(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        let page = run
            .stderr
            .lines()
            .find(|l| l.starts_with("* page 1: "))
            .unwrap_or_else(|| panic!("{args:?}: {run:?}"));
        let count_and_noun = page["* page 1: ".len()..]
            .split(';')
            .next()
            .unwrap_or_default();
        let noun_said = count_and_noun.split(' ').nth(1).unwrap_or_default();
        assert!(noun_said.starts_with(noun), "{args:?}: {page}");
        if noun != "jobs" {
            assert!(!page.contains(" job"), "{page}");
        }
    }
}
