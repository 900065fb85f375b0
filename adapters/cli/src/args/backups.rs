//! The `backups` command group: list backups (the step before a restore) and show one.

use clap::{Args, Subcommand, ValueEnum, ValueHint};
use pinecone_restore_core::{BackupId, IndexName, Limit, PaginationToken};

use super::{parse_backup_id, parse_index_name, parse_limit, parse_token};
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
}

/// `backups list`.
#[derive(Debug, Args)]
pub(crate) struct BackupsListArgs {
    /// Only this index's backups (an unknown index is an API error, exit 3) [default: every
    /// index of the project]
    #[arg(long, value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: Option<IndexName>,

    /// With --index: also the backups of a deleted index of that name (API version 2026-07
    /// and later; an earlier one is refused before anything is sent)
    #[arg(long, requires = "index")]
    pub(crate) include_deleted: bool,

    /// Backups per page, 1..=100 [default: the API's, 10]
    #[arg(long, value_name = "N", value_hint = ValueHint::Other, value_parser = parse_limit)]
    pub(crate) limit: Option<Limit>,

    /// Start at this page (the token printed by an earlier listing of the same backups); with
    /// --all, walk on from there (to resume a walk that failed)
    #[arg(long, value_name = "T", value_hint = ValueHint::Other, value_parser = parse_token)]
    pub(crate) pagination_token: Option<PaginationToken>,

    /// Walk every page; each backup is shown once even when pages overlap
    #[arg(long)]
    pub(crate) all: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = BackupListFormat::Table)]
    pub(crate) output: BackupListFormat,
}

/// `backups describe`.
#[derive(Debug, Args)]
pub(crate) struct BackupsDescribeArgs {
    /// The backup id
    #[arg(value_name = "BACKUP_ID", value_hint = ValueHint::Other, value_parser = parse_backup_id)]
    pub(crate) backup_id: BackupId,

    /// Output format
    #[arg(long, value_enum, default_value_t = BackupFormat::Table)]
    pub(crate) output: BackupFormat,
}

/// How `backups list` prints backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackupListFormat {
    /// Aligned columns for people
    Table,
    /// {"data": [...], "pagination": {"next": "..."} | null}, written only once whole (nothing
    /// on stdout if the listing fails)
    Json,
    /// One backup object per line, each page written before the next is fetched (lines before
    /// a failure stay)
    Ndjson,
}

/// How `backups describe` prints a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackupFormat {
    /// One field per line, for people
    Table,
    /// The backup object with the API's field names
    Json,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

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
        assert!(plain.index.is_none() && plain.limit.is_none() && !plain.all);
        assert!(plain.pagination_token.is_none() && !plain.include_deleted);
        assert_eq!(plain.output, BackupListFormat::Table);

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
        assert_eq!(full.limit.map(Limit::get), Some(100));
        assert_eq!(
            full.pagination_token.as_ref().map(PaginationToken::as_str),
            Some("a+b/c=")
        );
        assert!(full.all);
        assert_eq!(full.output, BackupListFormat::Ndjson);
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
        assert_eq!(describe.output, BackupFormat::Json);
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
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }
}
