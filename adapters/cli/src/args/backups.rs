//! The `backups` command group: list backups (the step before a restore) and show one; take
//! one and wait for it; delete some, by id or by a retention rule (`prune`).

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum, ValueHint};
use pinecone_restore_core::{BackupId, BackupName, IndexName};

use super::{
    ConfirmArgs, ItemFormat, PageArgs, PollArgs, ThenWaitArgs, WaitFormat, core_parse, number_in,
    parse_backup_id, parse_index_name,
};
use crate::manual;

/// `backups`.
#[derive(Debug, Args)]
pub(crate) struct BackupsArgs {
    #[command(subcommand)]
    pub(crate) command: BackupsCommand,
}

/// The commands of the `backups` group.
#[derive(Debug, Subcommand)]
pub(crate) enum BackupsCommand {
    /// List backups, the project's or one index's, one page or all of them
    #[command(after_help = manual::help(manual::BACKUPS_LIST))]
    List(BackupsListArgs),
    /// Show one backup
    #[command(after_help = manual::help(manual::BACKUPS_DESCRIBE))]
    Describe(BackupsDescribeArgs),
    /// Take a backup of an index, safe to retry; with --wait, until it is Ready
    #[command(after_help = manual::help(manual::BACKUPS_CREATE))]
    Create(BackupsCreateArgs),
    /// Poll backups until each is Ready or failed, or the deadline passes
    #[command(after_help = manual::help(manual::BACKUPS_WAIT))]
    Wait(BackupsWaitArgs),
    /// Delete backups by id, after showing them and asking (or with --yes)
    #[command(after_help = manual::help(manual::BACKUPS_DELETE))]
    Delete(BackupsDeleteArgs),
    /// Delete an index's backups beyond a retention rule: keep the newest N Ready, and
    /// everything younger than an age
    #[command(after_help = manual::help(manual::BACKUPS_PRUNE))]
    Prune(BackupsPruneArgs),
}

/// `backups list`.
#[derive(Debug, Args)]
pub(crate) struct BackupsListArgs {
    /// Only this index's backups (an unknown index is an API error, exit 3); under API 2026-07
    /// a table also names the schedule that took each backup, from the schedules' histories
    /// [default: every index of the project]
    #[arg(long, value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: Option<IndexName>,

    /// With --index: also the backups of a deleted index of that name (API version 2026-07
    /// and later; an earlier one is refused before anything is sent)
    #[arg(long, requires = "index")]
    pub(crate) include_deleted: bool,

    #[command(flatten)]
    pub(crate) page: PageArgs,
}

/// `backups describe`.
#[derive(Debug, Args)]
pub(crate) struct BackupsDescribeArgs {
    /// The backup id
    #[arg(value_name = "BACKUP_ID", value_hint = ValueHint::Other, value_parser = parse_backup_id)]
    pub(crate) backup_id: BackupId,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `backups create`.
#[derive(Debug, Args)]
pub(crate) struct BackupsCreateArgs {
    /// The index to back up
    #[arg(value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: IndexName,

    /// Name of the backup: 1-45 lower-case letters, digits and -, starting and ending with a
    /// letter or digit (API 2026-07's rule, checked on every version) [default: generated,
    /// unique to this run, printed on stderr before anything is sent]
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, value_parser = parse_backup_name)]
    pub(crate) name: Option<BackupName>,

    /// A description of the backup
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub(crate) description: Option<String>,

    #[command(flatten)]
    pub(crate) then: ThenWaitArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `backups wait`.
#[derive(Debug, Args)]
pub(crate) struct BackupsWaitArgs {
    /// The backup ids: several are followed at once, under one --timeout (an id given twice
    /// is followed once)
    #[arg(value_name = "BACKUP_ID", required = true, num_args = 1.., value_hint = ValueHint::Other, value_parser = parse_backup_id)]
    pub(crate) backup_ids: Vec<BackupId>,

    #[command(flatten)]
    pub(crate) poll: PollArgs,

    /// Format of the final backups
    #[arg(long, value_enum, default_value_t = WaitFormat::Table)]
    pub(crate) output: WaitFormat,
}

/// `backups delete`.
#[derive(Debug, Args)]
pub(crate) struct BackupsDeleteArgs {
    /// The backups to delete (an id given twice is deleted once)
    #[arg(value_name = "BACKUP_ID", required = true, num_args = 1.., value_hint = ValueHint::Other, value_parser = parse_backup_id)]
    pub(crate) backup_ids: Vec<BackupId>,

    #[command(flatten)]
    pub(crate) confirm: ConfirmArgs,
}

/// `backups prune`.
#[derive(Debug, Args)]
#[command(mut_arg("dry_run", |a| a.help("Print the plan (each backup: keep or delete, and why) and stop")))]
pub(crate) struct BackupsPruneArgs {
    /// The index whose backups are pruned
    #[arg(long, value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: IndexName,

    /// Keep the newest N Ready backups (by created_at); failed ones do not count
    #[arg(long, value_name = "N", value_hint = ValueHint::Other, value_parser = number_in(0, MAX_KEEP))]
    pub(crate) keep: u32,

    /// Also keep every backup younger than this on the server's clock: a number and a unit
    /// (s, m, h, d, w), or several (1d12h)
    #[arg(long, value_name = "AGE", value_hint = ValueHint::Other, value_parser = parse_age)]
    pub(crate) older_than: Option<Duration>,

    #[command(flatten)]
    pub(crate) confirm: ConfirmArgs,

    /// Output format of the plan and what was deleted
    #[arg(long, value_enum, default_value_t = PruneFormat::Table)]
    pub(crate) output: PruneFormat,
}

/// How `backups prune` writes its plan and what came of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PruneFormat {
    /// The plan in aligned columns (each backup: keep or delete, and why) before anything is
    /// deleted; a line per delete on stderr
    Table,
    /// One document once the prune has ended: the plan, what was deleted, what failed and
    /// what was not tried
    Json,
}

/// The most backups `--keep` names: twice the largest project quota (1,000 on Enterprise), so
/// any real count fits and a typo of several digits is caught.
const MAX_KEEP: u32 = 2_000;

fn parse_backup_name(text: &str) -> Result<BackupName, String> {
    core_parse(text)
}

/// The longest `--older-than`: about a hundred years, far beyond any backup's age.
const MAX_AGE: Duration = Duration::from_secs(100 * 365 * 86_400);

/// An age: one or more `<count><unit>` (`30d`, `12h`, `1d12h`), units s, m, h, d and w;
/// greater than zero and at most [`MAX_AGE`].
fn parse_age(text: &str) -> Result<Duration, String> {
    let shown =
        || pinecone_restore_core::text::quote(text, &pinecone_restore_core::text::Secrets::none());
    let expected = || {
        format!(
            "expected an age such as 30d, 12h or 1d12h (units s, m, h, d, w), found `{}`",
            shown()
        )
    };
    let mut total: u64 = 0;
    let mut rest = text;
    if rest.is_empty() {
        return Err(expected());
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (count, tail) = rest.split_at(digits);
        let mut units = tail.chars();
        let seconds: u64 = match units.next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3_600,
            Some('d') => 86_400,
            Some('w') => 7 * 86_400,
            _ => return Err(expected()),
        };
        if count.is_empty() {
            return Err(expected());
        }
        // digits only: a count that does not fit is too long
        let count: u64 = count.parse().unwrap_or(u64::MAX);
        total = count
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .filter(|&s| s <= MAX_AGE.as_secs())
            .ok_or_else(|| format!("`{}` is longer than 100 years", shown()))?;
        rest = units.as_str();
    }
    if total == 0 {
        return Err(format!(
            "expected an age greater than zero, found `{}`",
            shown()
        ));
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command, ListFormat};
    use pinecone_restore_core::{Limit, PaginationToken};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("pinecone-restore").chain(args.iter().copied()))
    }

    fn list(args: &[&str]) -> BackupsListArgs {
        match parse(args).map(|cli| cli.command) {
            Ok(Command::Backups(BackupsArgs {
                command: BackupsCommand::List(list),
            })) => list,
            other => panic!("expected backups list: {other:?}"),
        }
    }

    #[test]
    fn list_defaults_and_options() {
        let plain = list(&["backups", "list"]);
        assert!(plain.index.is_none() && plain.page.limit.is_none() && !plain.page.all);
        assert!(plain.page.pagination_token.is_none() && !plain.include_deleted);
        assert_eq!(plain.page.output, ListFormat::Table);

        let full = list(&[
            "backups",
            "list",
            "--index",
            "docs-search",
            "--limit",
            "100",
            "--pagination-token",
            "a+b/c=",
            "--all",
            "--output",
            "ndjson",
        ]);
        assert_eq!(
            full.index.as_ref().map(IndexName::as_str),
            Some("docs-search")
        );
        assert_eq!(full.page.limit.map(Limit::get), Some(100));
        assert_eq!(
            full.page
                .pagination_token
                .as_ref()
                .map(PaginationToken::as_str),
            Some("a+b/c=")
        );
        assert!(full.page.all);
        assert_eq!(full.page.output, ListFormat::Ndjson);
    }

    #[test]
    fn describe_takes_one_id() {
        let cli = parse(&["backups", "describe", "bk-1", "--output", "json"]).unwrap();
        let Command::Backups(BackupsArgs {
            command: BackupsCommand::Describe(describe),
        }) = cli.command
        else {
            panic!("expected backups describe")
        };
        assert_eq!(describe.backup_id.as_str(), "bk-1");
        assert_eq!(describe.output, ItemFormat::Json);
    }

    #[test]
    fn usage_errors() {
        for args in [
            &["backups"][..],
            &["backups", "bogus"],
            &["backups", "list", "--limit", "0"],
            &["backups", "list", "--limit", "101"],
            &["backups", "list", "--index", "Bad_Name"],
            &["backups", "list", "--index", ""],
            &["backups", "list", "--output", "yaml"],
            &["backups", "list", "--include-deleted"],
            &["backups", "describe"],
            &["backups", "describe", ".."],
            &["backups", "describe", "b", "--output", "ndjson"],
            &["backups", "describe", "a", "b"],
            &["backups", "create"],
            &["backups", "create", "Bad_Index"],
            &["backups", "create", "docs", "--name", "Nightly"],
            &["backups", "create", "docs", "--name", "-nightly"],
            &["backups", "create", "docs", "--name", &"n".repeat(46)],
            &["backups", "create", "docs", "--name", ""],
            &["backups", "create", "docs", "--interval", "1"],
            &["backups", "create", "docs", "--timeout", "1"],
            &["backups", "create", "docs", "--output", "ndjson"],
            &["backups", "wait"],
            &["backups", "wait", "b", "--interval", "0"],
            &["backups", "delete"],
            &["backups", "delete", ".."],
            &["backups", "delete", "b", "--dry-run", "--yes"],
            &["backups", "prune", "--keep", "3"],
            &["backups", "prune", "--index", "docs"],
            &["backups", "prune", "--index", "docs", "--keep", "-1"],
            &["backups", "prune", "--index", "docs", "--keep", "2001"],
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
            &[
                "backups",
                "prune",
                "--index",
                "docs",
                "--keep",
                "3",
                "--older-than",
                "0d",
            ],
            &[
                "backups",
                "prune",
                "--index",
                "docs",
                "--keep",
                "3",
                "--older-than",
                "1y",
            ],
            &[
                "backups",
                "prune",
                "--index",
                "docs",
                "--keep",
                "3",
                "--dry-run",
                "--yes",
            ],
            &[
                "backups", "prune", "--index", "docs", "--keep", "3", "--output", "ndjson",
            ],
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn ages_take_units_and_sums() {
        let day = 86_400;
        for (text, secs) in [
            ("30d", 30 * day),
            ("12h", 12 * 3_600),
            ("1d12h", day + 12 * 3_600),
            ("90m", 5_400),
            ("45s", 45),
            ("2w", 14 * day),
            ("0d1s", 1),
        ] {
            assert_eq!(parse_age(text), Ok(Duration::from_secs(secs)), "{text}");
        }
        for bad in [
            "", "d", "30", "30x", "-1d", "1.5d", "1d 2h", "30D", "0s", "0d0h",
        ] {
            assert!(parse_age(bad).is_err(), "{bad:?}");
        }
        let long = parse_age("99999999999999999999w").unwrap_err();
        assert!(long.contains("longer than 100 years"), "{long}");
        assert!(parse_age("36500d").is_ok() && parse_age("36501d").is_err());
        let shown = parse_age("1\u{1b}d").unwrap_err();
        assert!(!shown.contains('\u{1b}'), "{shown}");
    }

    #[test]
    fn create_wait_delete_and_prune_take_their_options() {
        let Command::Backups(BackupsArgs {
            command: BackupsCommand::Create(create),
        }) = parse(&[
            "backups",
            "create",
            "docs",
            "--name",
            "nightly-1",
            "--description",
            "before the
migration",
            "--wait",
            "--interval",
            "0.5",
            "--timeout",
            "60",
            "--output",
            "json",
        ])
        .unwrap()
        .command
        else {
            panic!("expected backups create")
        };
        assert_eq!(create.index.as_str(), "docs");
        assert_eq!(
            create.name.as_ref().map(BackupName::as_str),
            Some("nightly-1")
        );
        assert_eq!(create.description.as_deref(), Some("before the\nmigration"));
        assert!(create.then.wait);
        assert_eq!(create.then.interval, Some(Duration::from_millis(500)));
        assert_eq!(create.output, ItemFormat::Json);

        let Command::Backups(BackupsArgs {
            command: BackupsCommand::Delete(delete),
        }) = parse(&["backups", "delete", "a", "b", "-y"])
            .unwrap()
            .command
        else {
            panic!("expected backups delete")
        };
        assert_eq!(delete.backup_ids.len(), 2);
        assert!(delete.confirm.yes && !delete.confirm.dry_run);

        let Command::Backups(BackupsArgs {
            command: BackupsCommand::Prune(prune),
        }) = parse(&[
            "backups",
            "prune",
            "--index",
            "docs",
            "--keep",
            "0",
            "--older-than",
            "30d",
            "--dry-run",
        ])
        .unwrap()
        .command
        else {
            panic!("expected backups prune")
        };
        assert_eq!(
            (prune.keep, prune.confirm.dry_run, prune.confirm.yes),
            (0, true, false)
        );
        assert_eq!(prune.older_than, Some(Duration::from_secs(30 * 86_400)));
    }
}
