//! The `backups` command group: list backups (the step before a restore) and show one.

use clap::{Args, Subcommand, ValueHint};
use pinecone_restore_core::{BackupId, IndexName};

use super::{ItemFormat, PageArgs, parse_backup_id, parse_index_name};
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
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }
}
