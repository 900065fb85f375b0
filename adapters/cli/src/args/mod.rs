//! The command line: global options, commands and their value checks.
//!
//! Every value that clap can check is checked here, before anything is sent: a bad value is a
//! usage error (exit 2) reported by clap.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, Args, Parser, Subcommand, ValueEnum, ValueHint};
use pinecone_restore_core::{
    ApiVersion, BackupId, DeletionProtection, IndexName, JobId, Limit, PaginationToken,
    RetryPolicy, RootStore, Tag,
};

use crate::manual;

mod backups;
mod jobs;
mod schedules;

pub(crate) use backups::{
    BackupsArgs, BackupsCommand, BackupsCreateArgs, BackupsDeleteArgs, BackupsDescribeArgs,
    BackupsListArgs, BackupsPruneArgs, PruneFormat,
};
pub(crate) use jobs::{DescribeArgs, ListArgs, RestoreArgs, WaitArgs, WaitFormat};
pub(crate) use schedules::{
    ScheduleCreateArgs, ScheduleDeleteArgs, ScheduleDescribeArgs, ScheduleHistoryArgs,
    ScheduleUpdateArgs, SchedulesArgs, SchedulesCommand, SchedulesListArgs,
};

/// Pinecone backups and restores: take and wait for backups, keep or retire them (by hand,
/// by a retention rule, or on a schedule), restore from one, and follow restores to the end.
///
/// The options below apply to every command, and go before or after it.
#[derive(Debug, Parser)]
#[command(
    name = "pinecone-restore",
    version,
    after_help = manual::help(manual::MAIN),
    subcommand_required = true,
    arg_required_else_help = true,
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options that apply to every command, before or after it (`pinecone-restore --demo list`
/// and `pinecone-restore list --demo` are the same).
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Base URL of the control plane; a path prefix is kept [default: $PINECONE_CONTROLLER_HOST,
    /// else https://api.pinecone.io]
    #[arg(global = true, long, value_name = "URL", value_hint = ValueHint::Other)]
    pub(crate) host: Option<String>,

    /// Read the API key from this file (one trailing newline is ignored) instead of
    /// $PINECONE_API_KEY
    #[arg(global = true, long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub(crate) api_key_file: Option<PathBuf>,

    /// Allow a plain http:// host that is not loopback (the key would cross the network unencrypted)
    #[arg(global = true, long)]
    pub(crate) allow_insecure_http: bool,

    /// API version (X-Pinecone-Api-Version): 2025-04, 2025-10, 2026-04 or 2026-07; answers are
    /// checked by its rules
    #[arg(
        global = true,
        long,
        value_name = "V",
        default_value = "2025-04",
        value_parser = Offering { parse: parse_api_version, offered: &API_VERSIONS },
        hide_possible_values = true
    )]
    pub(crate) api_version: ApiVersion,

    /// Bound on each HTTP request, in seconds (decimals allowed) [default: 30]
    #[arg(global = true, long, value_name = "SECS", value_hint = ValueHint::Other, value_parser = positive_seconds)]
    pub(crate) request_timeout: Option<Duration>,

    /// How many times a failed request is retried, 0..=20 (408, 429, 500, 502, 503, 504,
    /// DNS and connect errors, timeouts, resets; never TLS failures)
    /// [default: 3]
    #[arg(global = true, long, value_name = "N", value_hint = ValueHint::Other, value_parser = number_in(0, RetryPolicy::MAX_RETRIES))]
    pub(crate) max_retries: Option<u32>,

    /// Also trust the root certificates in this PEM file (a private CA, a TLS-inspecting proxy's)
    /// [default: $PINECONE_CA_CERT]
    #[arg(global = true, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub(crate) ca_cert: Option<PathBuf>,

    /// The roots TLS trusts besides --ca-cert: Mozilla's, built in, or the system's store
    /// [default: $PINECONE_ROOT_STORE, else mozilla]
    #[arg(global = true, long, value_name = "STORE", value_enum)]
    pub(crate) root_store: Option<RootStoreArg>,

    /// Serve built-in demo data from an in-process fake control plane on 127.0.0.1; no key needed
    #[arg(global = true, long, conflicts_with_all = ["host", "api_key_file"])]
    pub(crate) demo: bool,

    /// Print to stderr one line per HTTP attempt (status, time, retry and why), per page of a
    /// walk, per poll of a wait and per recovery step of a restore; stdout is unchanged. Also
    /// on when $PINECONE_RESTORE_LOG is set to anything but empty, 0, off or false
    #[arg(global = true, short, long)]
    pub(crate) verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List restore jobs, one page or all of them
    #[command(after_help = manual::help(manual::LIST))]
    List(ListArgs),
    /// Show one restore job
    #[command(after_help = manual::help(manual::DESCRIBE))]
    Describe(DescribeArgs),
    /// Poll restore jobs until each is Completed, Failed or Cancelled, or the deadline passes
    #[command(after_help = manual::help(manual::WAIT))]
    Wait(WaitArgs),
    /// Start a restore: create an index from a backup, safe to retry
    #[command(after_help = manual::help(manual::RESTORE))]
    Restore(RestoreArgs),
    /// Backups: list and show them (what a restore starts from), take one, wait for it,
    /// delete them by id or by a retention rule
    #[command(
        after_help = manual::help(manual::BACKUPS),
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Backups(BackupsArgs),
    /// Backup schedules (API 2026-07): list, show, make, change and delete them, and what one
    /// did
    #[command(
        after_help = manual::help(manual::SCHEDULES),
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Schedules(SchedulesArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write every page into a directory
    Man(ManArgs),
}

/// `completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell
    #[arg(value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write pinecone-restore.1 and one page per command (pinecone-restore-list.1, …) into
    /// this directory instead of printing the main page
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub(crate) out_dir: Option<PathBuf>,
}

/// How a listing is paged and printed: the same flags for every listing.
#[derive(Debug, Args)]
pub(crate) struct PageArgs {
    /// Items per page, 1..=100 [default: the API's]
    #[arg(long, value_name = "N", value_hint = ValueHint::Other, value_parser = parse_limit)]
    pub(crate) limit: Option<Limit>,

    /// Start at this page (the token an earlier listing of the same items printed); with
    /// --all, walk on from there (to resume a walk that failed)
    #[arg(long, value_name = "T", value_hint = ValueHint::Other, value_parser = parse_token)]
    pub(crate) pagination_token: Option<PaginationToken>,

    /// Walk every page; each item is shown once even when pages overlap
    #[arg(long)]
    pub(crate) all: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub(crate) output: ListFormat,
}

/// Consent and pretending, for every command that deletes (`backups delete`, `backups prune`,
/// `schedules delete`): the same flags for each, decided in [`crate::confirm`].
#[derive(Debug, Args)]
pub(crate) struct ConfirmArgs {
    /// Show what would be deleted and stop: nothing is deleted, and neither --yes nor a
    /// terminal is needed
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Delete without asking. Without it, what is to be deleted is shown and a terminal is
    /// asked; when stdin is not a terminal, nothing is sent and the exit status is 2
    #[arg(short, long, conflicts_with = "dry_run")]
    pub(crate) yes: bool,
}

/// How a wait polls: the same flags for `wait` and `backups wait`.
#[derive(Debug, Args)]
pub(crate) struct PollArgs {
    /// Seconds between polls (decimals allowed) [default: 5; 1 with --demo]
    #[arg(long, value_name = "SECS", value_hint = ValueHint::Other, value_parser = positive_seconds)]
    pub(crate) interval: Option<Duration>,

    /// Give up after this many seconds (decimals allowed), for all of them together; 0
    /// checks once: one round, then each one's outcome [default: wait forever]
    #[arg(long, value_name = "SECS", value_hint = ValueHint::Other, value_parser = seconds)]
    pub(crate) timeout: Option<Duration>,
}

/// `--wait` and how it polls, for a command that starts something (`restore`, `backups
/// create`): the same flags for both.
#[derive(Debug, Args)]
pub(crate) struct ThenWaitArgs {
    /// Go on to wait until it has finished (exit codes as the matching wait command's)
    #[arg(long)]
    pub(crate) wait: bool,

    /// With --wait: seconds between polls (decimals allowed) [default: 5; 1 with --demo]
    #[arg(long, value_name = "SECS", value_hint = ValueHint::Other, value_parser = positive_seconds, requires = "wait")]
    pub(crate) interval: Option<Duration>,

    /// With --wait: give up waiting after this many seconds; 0 checks once [default: wait
    /// forever]
    #[arg(long, value_name = "SECS", value_hint = ValueHint::Other, value_parser = seconds, requires = "wait")]
    pub(crate) timeout: Option<Duration>,
}

/// How a listing prints its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// Aligned columns for people
    Table,
    /// {"data": [...], "pagination": {"next": "..."} | null}, written only once whole (nothing
    /// on stdout if the listing fails)
    Json,
    /// One object per line, each page written before the next is fetched (lines before a
    /// failure stay)
    Ndjson,
}

/// How a command that shows one thing (a job, a backup, a started restore) prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ItemFormat {
    /// One field per line, for people
    Table,
    /// The object with the API's field names
    Json,
}

/// The roots TLS trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RootStoreArg {
    /// Mozilla's roots, built into the program: the same on every machine
    Mozilla,
    /// The operating system's trust store (honours SSL_CERT_FILE and SSL_CERT_DIR)
    System,
}

impl From<RootStoreArg> for RootStore {
    fn from(arg: RootStoreArg) -> RootStore {
        match arg {
            RootStoreArg::Mozilla => RootStore::Mozilla,
            RootStoreArg::System => RootStore::System,
        }
    }
}

/// The API versions completion offers: core's known ones ([`ApiVersion::KNOWN`]); any other
/// well-formed version is still accepted.
const API_VERSIONS: [&str; 4] = ["2025-04", "2025-10", "2026-04", "2026-07"];

/// A value parsed by `parse`, for which completion offers `offered`: clap's completion
/// scripts take their candidates from a parser's possible values, and a plain function has
/// none (so a shell would offer file names).
#[derive(Clone)]
struct Offering<T> {
    parse: fn(&str) -> Result<T, String>,
    offered: &'static [&'static str],
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Offering<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.offered.iter().copied().map(PossibleValue::new),
        ))
    }
}

/// Core's parse of a value, its reason as clap's message: the usage line already names the
/// option and the value, so core's "invalid limit:" would say it twice.
fn core_parse<T: std::str::FromStr<Err = pinecone_restore_core::Error>>(
    text: &str,
) -> Result<T, String> {
    text.parse::<T>().map_err(|e| match e {
        pinecone_restore_core::Error::InvalidArgument(refused) => refused.reason().to_owned(),
        other => other.to_string(),
    })
}

/// A whole number from `min` to `max`, said in words when it is not one.
fn number_in(min: u32, max: u32) -> impl Fn(&str) -> Result<u32, String> + Clone {
    move |text: &str| {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                format!(
                    "expected a number from {min} to {max}, found `{}`",
                    pinecone_restore_core::text::quote(
                        text,
                        &pinecone_restore_core::text::Secrets::none()
                    )
                )
            })
    }
}

fn parse_limit(text: &str) -> Result<Limit, String> {
    core_parse(text)
}

fn parse_job_id(text: &str) -> Result<JobId, String> {
    core_parse(text)
}

fn parse_backup_id(text: &str) -> Result<BackupId, String> {
    core_parse(text)
}

fn parse_index_name(text: &str) -> Result<IndexName, String> {
    core_parse(text)
}

fn parse_tag(text: &str) -> Result<Tag, String> {
    core_parse(text)
}

fn parse_deletion_protection(text: &str) -> Result<DeletionProtection, String> {
    core_parse(text)
}

fn parse_token(text: &str) -> Result<PaginationToken, String> {
    core_parse(text)
}

fn parse_api_version(text: &str) -> Result<ApiVersion, String> {
    core_parse(text)
}

/// Non-negative seconds, decimals allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text.trim().parse().map_err(|_| {
        format!(
            "expected a number of seconds, found `{}`",
            pinecone_restore_core::text::quote(text, &pinecone_restore_core::text::Secrets::none())
        )
    })?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "expected a finite number of seconds >= 0, found `{}`",
            pinecone_restore_core::text::quote(text, &pinecone_restore_core::text::Secrets::none())
        ));
    }
    Duration::try_from_secs_f64(value).map_err(|_| format!("`{value}` seconds is too long"))
}

/// Seconds greater than zero, decimals allowed.
fn positive_seconds(text: &str) -> Result<Duration, String> {
    let duration = seconds(text)?;
    if duration.is_zero() {
        return Err("expected a number of seconds > 0, found `0`".to_owned());
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("pinecone-restore").chain(args.iter().copied()))
    }

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn completion_offers_the_versions_core_knows() {
        let known: Vec<&str> = ApiVersion::KNOWN.iter().map(ApiVersion::as_str).collect();
        assert_eq!(API_VERSIONS[..], known[..]);
        // offered, not required: another well-formed version is still accepted
        assert!(parse(&["--api-version", "2027-01", "list"]).is_ok());
    }

    #[test]
    fn list_defaults() {
        let cli = parse(&["list"]).unwrap();
        let Command::List(list) = cli.command else {
            panic!("expected list")
        };
        assert_eq!(list.page.output, ListFormat::Table);
        assert!(
            list.page.limit.is_none() && !list.page.all && list.page.pagination_token.is_none()
        );
        assert_eq!(cli.global.api_version, ApiVersion::V2025_04);
        assert!(!cli.global.demo);
    }

    #[test]
    fn global_options_before_the_command() {
        let cli = parse(&[
            "--host",
            "http://127.0.0.1:9/gw",
            "--request-timeout",
            "0.5",
            "--max-retries",
            "2",
            "--api-version",
            "2025-10",
            "list",
            "--limit",
            "100",
            "--all",
            "--output",
            "ndjson",
        ])
        .unwrap();
        assert_eq!(cli.global.host.as_deref(), Some("http://127.0.0.1:9/gw"));
        assert_eq!(cli.global.request_timeout, Some(Duration::from_millis(500)));
        assert_eq!(cli.global.max_retries, Some(2));
        let Command::List(list) = cli.command else {
            panic!("expected list")
        };
        assert_eq!(list.page.limit.map(Limit::get), Some(100));
        assert!(list.page.all);
        assert_eq!(list.page.output, ListFormat::Ndjson);
        // after the command, a global option is the same option
        let after = parse(&["list", "--host", "http://127.0.0.1:9", "--demo"]);
        assert!(
            after.is_err(),
            "--demo and --host still conflict after the command"
        );
        let after = parse(&[
            "backups",
            "list",
            "--demo",
            "-v",
            "--api-version",
            "2026-07",
        ])
        .unwrap();
        assert!(after.global.demo && after.global.verbose);
        assert_eq!(after.global.api_version, ApiVersion::V2026_07);
    }

    #[test]
    fn usage_errors() {
        for args in [
            &["list", "--limit", "0"][..],
            &["list", "--limit", "101"],
            &["list", "--limit", "x"],
            &["list", "--bogus"],
            &["list", "--output", "yaml"],
            &["describe", ".."],
            &["describe", "."],
            &["describe", ""],
            &["describe"],
            &["wait"],
            &["wait", "j", ".."],
            &["wait", "j", "--interval", "0"],
            &["wait", "j", "--interval", "-1"],
            &["wait", "j", "--timeout", "NaN"],
            &["wait", "j", "--timeout", "inf"],
            &["--request-timeout", "0", "list"],
            &["--demo", "--host", "http://127.0.0.1:1", "list"],
            &["--api-key", "k", "list"],
            &["--max-retries", "21", "list"],
            &["--max-retries", "-1", "list"],
            &["--api-version", "latest", "list"],
            &["--api-version", "2025-13", "list"],
            &["restore", "b"],
            &["restore", "b", "--name", "Bad_Name"],
            &["restore", "b", "--name", "ok", "--tag", "novalue"],
            &["restore", "b", "--name", "ok", "--tag", "k=a/b"],
            &[
                "restore",
                "b",
                "--name",
                "ok",
                "--deletion-protection",
                "on",
            ],
            &["restore", "b", "--name", "ok", "--timeout", "5"],
            &["restore", "..", "--name", "ok"],
            // exactly one of a backup id and --from-index
            &["restore", "--name", "ok"],
            &["restore", "b", "--from-index", "docs", "--name", "ok"],
            &["restore", "--from-index", "Bad_Name", "--name", "ok"],
            &["restore", "--from-index", "docs"],
            &["restore", "b", "--name", "ok", "--include-deleted"],
            &["completions", "tcsh"],
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn help_and_version_are_not_errors() {
        for args in [&["--help"][..], &["list", "--help"], &["--version"]] {
            let err = parse(args).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
                ),
                "{args:?}"
            );
            assert_eq!(err.exit_code(), 0);
        }
    }

    #[test]
    fn a_token_longer_than_core_takes_is_a_usage_error() {
        let long = "x".repeat(100_000);
        let err = parse(&["list", "--pagination-token", &long]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains("expected at most 2048 bytes"),
            "{err}"
        );
    }

    #[test]
    fn restore_arguments() {
        let cli = parse(&[
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
            "--wait",
            "--interval",
            "0.5",
        ])
        .unwrap();
        let Command::Restore(r) = cli.command else {
            panic!("expected restore")
        };
        assert_eq!(r.backup_id.as_ref().map(BackupId::as_str), Some("bkp-1"));
        assert!(r.from_index.is_none());
        assert_eq!(r.name.as_str(), "restored");
        assert_eq!(r.tags.len(), 2);
        assert_eq!(r.deletion_protection, Some(DeletionProtection::Enabled));
        assert!(r.then.wait);
        assert_eq!(r.then.interval, Some(Duration::from_millis(500)));
    }

    #[test]
    fn restore_from_an_index() {
        let cli = parse(&[
            "restore",
            "--from-index",
            "docs-search",
            "--name",
            "restored",
        ])
        .unwrap();
        let Command::Restore(r) = cli.command else {
            panic!("expected restore")
        };
        assert!(r.backup_id.is_none());
        assert_eq!(
            r.from_index.as_ref().map(IndexName::as_str),
            Some("docs-search")
        );
    }

    #[test]
    fn wait_seconds_take_decimals() {
        let cli = parse(&["wait", "job-1", "--interval", "0.05", "--timeout", "0.3"]).unwrap();
        let Command::Wait(wait) = cli.command else {
            panic!("expected wait")
        };
        assert_eq!(wait.job_ids.len(), 1);
        assert_eq!(wait.job_ids[0].as_str(), "job-1");
        assert_eq!(wait.poll.interval, Some(Duration::from_millis(50)));
        assert_eq!(wait.poll.timeout, Some(Duration::from_millis(300)));
        assert_eq!(seconds("0").unwrap(), Duration::ZERO);
    }
}
