//! The restore-job commands: `list`, `describe`, `wait`, `restore`.

use clap::{ArgGroup, Args, ValueEnum, ValueHint};
use pinecone_restore_core::{BackupId, DeletionProtection, IndexName, JobId, Tag};

use super::{
    ItemFormat, Offering, PageArgs, PollArgs, ThenWaitArgs, parse_backup_id,
    parse_deletion_protection, parse_index_name, parse_job_id, parse_tag,
};

/// `list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) page: PageArgs,
}

/// `describe`.
#[derive(Debug, Args)]
pub(crate) struct DescribeArgs {
    /// The restore job id
    #[arg(value_name = "JOB_ID", value_hint = ValueHint::Other, value_parser = parse_job_id)]
    pub(crate) job_id: JobId,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `wait`.
#[derive(Debug, Args)]
pub(crate) struct WaitArgs {
    /// The restore job ids: several are followed at once, under one --timeout (an id given
    /// twice is followed once)
    #[arg(value_name = "JOB_ID", required = true, num_args = 1.., value_hint = ValueHint::Other, value_parser = parse_job_id)]
    pub(crate) job_ids: Vec<JobId>,

    #[command(flatten)]
    pub(crate) poll: PollArgs,

    /// Format of the final jobs
    #[arg(long, value_enum, default_value_t = WaitFormat::Table)]
    pub(crate) output: WaitFormat,
}

/// `restore`: from a backup id, or from the newest `Ready` backup of an index; exactly one.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["backup_id", "from_index"])))]
pub(crate) struct RestoreArgs {
    /// The backup to restore (or use --from-index)
    #[arg(value_name = "BACKUP_ID", value_hint = ValueHint::Other, value_parser = parse_backup_id)]
    pub(crate) backup_id: Option<BackupId>,

    /// Restore the newest Ready backup of this index instead of a BACKUP_ID; which one was
    /// picked is printed on stderr before the restore starts
    #[arg(long, value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) from_index: Option<IndexName>,

    /// With --from-index: also the backups of a deleted index of that name, to bring it
    /// back (API version 2026-07 and later)
    // `requires = "from_index"` let `restore b --include-deleted` through (a usage test
    // caught it); with exactly one of BACKUP_ID and --from-index, conflicting with BACKUP_ID
    // is the same rule
    #[arg(long, conflicts_with = "backup_id")]
    pub(crate) include_deleted: bool,

    /// Name of the index to create: 1-45 lower-case letters, digits and -, starting and ending
    /// with a letter or digit
    #[arg(long, value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) name: IndexName,

    /// A tag for the new index, KEY=VALUE (repeatable)
    #[arg(long = "tag", value_name = "KEY=VALUE", value_hint = ValueHint::Other, value_parser = parse_tag)]
    pub(crate) tags: Vec<Tag>,

    /// Whether the new index can be deleted [default: the API's, disabled]
    #[arg(
        long,
        value_name = "SETTING",
        value_parser = Offering { parse: parse_deletion_protection, offered: &["enabled", "disabled"] }
    )]
    pub(crate) deletion_protection: Option<DeletionProtection>,

    #[command(flatten)]
    pub(crate) then: ThenWaitArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// How `wait` prints the final jobs. A job whose wait ended in an error, or that was never
/// seen before the deadline, has no final job: it is named in the summary on stderr only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WaitFormat {
    /// One field per line for one job; aligned columns for several
    Table,
    /// One job: the job object. Several: an array of the final job objects, in the order of
    /// the ids, written once every wait has ended
    Json,
    /// One final job object per line, in the order of the ids, whatever their number
    Ndjson,
}

impl From<ItemFormat> for WaitFormat {
    /// `restore --wait` prints its final job as `wait` on one id does.
    fn from(format: ItemFormat) -> WaitFormat {
        match format {
            ItemFormat::Table => WaitFormat::Table,
            ItemFormat::Json => WaitFormat::Json,
        }
    }
}
