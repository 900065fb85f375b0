//! The `schedules` command group (API 2026-07): an index's backup schedules, what one did,
//! and making, changing and deleting them.

use clap::{ArgGroup, Args, Subcommand, ValueHint};
use pinecone_restore_core::{Frequency, IndexName, RetainDays, ScheduleId, ScheduleName};

use super::{ConfirmArgs, ItemFormat, Offering, PageArgs, core_parse, parse_index_name};
use crate::manual;

/// `schedules`.
#[derive(Debug, Args)]
pub(crate) struct SchedulesArgs {
    #[command(subcommand)]
    pub(crate) command: SchedulesCommand,
}

/// The commands of the `schedules` group.
#[derive(Debug, Subcommand)]
pub(crate) enum SchedulesCommand {
    /// List an index's backup schedules, one page or all of them
    #[command(after_help = manual::help(manual::SCHEDULES_LIST))]
    List(SchedulesListArgs),
    /// Show one schedule: when it runs next and how long it keeps each backup
    #[command(after_help = manual::help(manual::SCHEDULES_DESCRIBE))]
    Describe(ScheduleDescribeArgs),
    /// The backups a schedule took, and those it plans
    #[command(after_help = manual::help(manual::SCHEDULES_HISTORY))]
    History(ScheduleHistoryArgs),
    /// Make a schedule for an index (one enabled per index), safe to retry
    #[command(after_help = manual::help(manual::SCHEDULES_CREATE))]
    Create(ScheduleCreateArgs),
    /// Enable or disable a schedule, or change its frequency or retention
    #[command(after_help = manual::help(manual::SCHEDULES_UPDATE))]
    Update(ScheduleUpdateArgs),
    /// Delete a schedule, after showing it and asking (or with --yes)
    #[command(after_help = manual::help(manual::SCHEDULES_DELETE))]
    Delete(ScheduleDeleteArgs),
}

/// `schedules list`.
#[derive(Debug, Args)]
pub(crate) struct SchedulesListArgs {
    /// The index whose schedules are listed
    #[arg(value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: IndexName,

    #[command(flatten)]
    pub(crate) page: PageArgs,
}

/// `schedules describe`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleDescribeArgs {
    /// The schedule id
    #[arg(value_name = "SCHEDULE_ID", value_hint = ValueHint::Other, value_parser = parse_schedule_id)]
    pub(crate) schedule_id: ScheduleId,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `schedules history`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleHistoryArgs {
    /// The schedule id
    #[arg(value_name = "SCHEDULE_ID", value_hint = ValueHint::Other, value_parser = parse_schedule_id)]
    pub(crate) schedule_id: ScheduleId,

    #[command(flatten)]
    pub(crate) page: PageArgs,
}

/// `schedules create`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleCreateArgs {
    /// The index to back up on a schedule
    #[arg(value_name = "INDEX", value_hint = ValueHint::Other, value_parser = parse_index_name)]
    pub(crate) index: IndexName,

    /// How often it takes a backup
    #[arg(long, value_name = "FREQUENCY", value_parser = frequencies())]
    pub(crate) frequency: Frequency,

    /// How many days each backup is kept, at least 1
    #[arg(long, value_name = "DAYS", value_hint = ValueHint::Other, value_parser = parse_retain_days)]
    pub(crate) retain_days: RetainDays,

    /// Name of the schedule (1 to 256 characters, none a control character) [default:
    /// generated, unique to this run, printed on stderr before anything is sent]
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, value_parser = parse_schedule_name)]
    pub(crate) name: Option<ScheduleName>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `schedules update`: at least one change.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["enable", "disable", "frequency", "retain_days"])
))]
pub(crate) struct ScheduleUpdateArgs {
    /// The schedule id
    #[arg(value_name = "SCHEDULE_ID", value_hint = ValueHint::Other, value_parser = parse_schedule_id)]
    pub(crate) schedule_id: ScheduleId,

    /// Enable it (a disabled schedule takes a backup at once when enabled again)
    #[arg(long, conflicts_with = "disable")]
    pub(crate) enable: bool,

    /// Disable it: no backup is taken until it is enabled again
    #[arg(long)]
    pub(crate) disable: bool,

    /// Take backups this often from now on
    #[arg(long, value_name = "FREQUENCY", value_parser = frequencies())]
    pub(crate) frequency: Option<Frequency>,

    /// Keep each backup this many days, at least 1
    #[arg(long, value_name = "DAYS", value_hint = ValueHint::Other, value_parser = parse_retain_days)]
    pub(crate) retain_days: Option<RetainDays>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ItemFormat::Table)]
    pub(crate) output: ItemFormat,
}

/// `schedules delete`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleDeleteArgs {
    /// The schedule id
    #[arg(value_name = "SCHEDULE_ID", value_hint = ValueHint::Other, value_parser = parse_schedule_id)]
    pub(crate) schedule_id: ScheduleId,

    #[command(flatten)]
    pub(crate) confirm: ConfirmArgs,
}

fn parse_schedule_id(text: &str) -> Result<ScheduleId, String> {
    core_parse(text)
}

fn parse_schedule_name(text: &str) -> Result<ScheduleName, String> {
    core_parse(text)
}

fn parse_retain_days(text: &str) -> Result<RetainDays, String> {
    core_parse(text)
}

fn parse_frequency(text: &str) -> Result<Frequency, String> {
    core_parse(text)
}

/// The frequencies the API takes, offered to completion.
fn frequencies() -> Offering<Frequency> {
    Offering {
        parse: parse_frequency,
        offered: &["daily", "weekly", "monthly"],
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("pinecone-restore").chain(args.iter().copied()))
    }

    fn command(args: &[&str]) -> SchedulesCommand {
        match parse(args).map(|cli| cli.command) {
            Ok(Command::Schedules(SchedulesArgs { command })) => command,
            other => panic!("expected a schedules command: {other:?}"),
        }
    }

    #[test]
    fn create_and_update_take_their_options() {
        let SchedulesCommand::Create(create) = command(&[
            "schedules",
            "create",
            "docs",
            "--frequency",
            "weekly",
            "--retain-days",
            "30",
            "--name",
            "Weekly backups",
        ]) else {
            panic!("create")
        };
        assert_eq!(create.frequency, Frequency::Weekly);
        assert_eq!(create.retain_days.get(), 30);
        assert_eq!(
            create.name.as_ref().map(ScheduleName::as_str),
            Some("Weekly backups")
        );
        let SchedulesCommand::Update(update) = command(&[
            "schedules",
            "update",
            "s-1",
            "--disable",
            "--retain-days",
            "7",
        ]) else {
            panic!("update")
        };
        assert!(update.disable && !update.enable && update.frequency.is_none());
        assert_eq!(update.retain_days.map(RetainDays::get), Some(7));
    }

    #[test]
    fn usage_errors() {
        for args in [
            &["schedules"][..],
            &["schedules", "list"],
            &["schedules", "list", "Bad_Index"],
            &["schedules", "create", "docs", "--retain-days", "7"],
            &["schedules", "create", "docs", "--frequency", "daily"],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "hourly",
                "--retain-days",
                "7",
            ],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "daily",
                "--retain-days",
                "0",
            ],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "daily",
                "--retain-days",
                "-1",
            ],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "daily",
                "--retain-days",
                "1.5",
            ],
            &[
                "schedules",
                "create",
                "docs",
                "--frequency",
                "daily",
                "--retain-days",
                "7",
                "--name=",
            ],
            &["schedules", "update", "s-1"],
            &["schedules", "update", "s-1", "--output", "json"],
            &["schedules", "update", "s-1", "--enable", "--disable"],
            &["schedules", "describe"],
            &["schedules", "describe", ".."],
            &["schedules", "history"],
            &["schedules", "delete"],
            &["schedules", "delete", "a", "b"],
            &["schedules", "delete", "a", "--yes", "--dry-run"],
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }
}
