//! The command line: global options, commands and their value checks.
//!
//! Every value that clap can check is checked here, before anything is sent: a bad value is a
//! usage error (exit 2) reported by clap.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use pinecone_restore_core::{DEFAULT_API_VERSION, JobId, Limit};

const MAIN_EXAMPLES: &str = "\
Environment:
  PINECONE_API_KEY          the API key (or use --api-key-file)
  PINECONE_CONTROLLER_HOST  the base URL when --host is not given

Exit codes:
  0 success            2 invalid usage or argument (nothing sent)
  3 API error status   4 response not acceptable   5 transport failure
  6 wait: job ended Failed or Cancelled             7 wait: deadline passed

Examples:
  pinecone-restore --demo list
  pinecone-restore list --all --output ndjson
  pinecone-restore --api-key-file ~/.pinecone-key describe 670e8400-e29b-41d4-a716-446655440001
  pinecone-restore wait 670e8400-e29b-41d4-a716-446655440001 --timeout 3600";

const LIST_EXAMPLES: &str = "\
Examples:
  pinecone-restore --demo list
  pinecone-restore list --limit 50
  pinecone-restore list --limit 50 --pagination-token 'eyJza2lwIjo1MH0='
  pinecone-restore list --all --output json
  pinecone-restore list --all --output ndjson | jq -r .restore_job_id";

const DESCRIBE_EXAMPLES: &str = "\
Examples:
  pinecone-restore --demo describe demo-restore-in-progress
  pinecone-restore describe 670e8400-e29b-41d4-a716-446655440001 --output json";

const WAIT_EXAMPLES: &str = "\
Exits 0 when the job completed, 6 when it ended Failed or Cancelled, 7 when the deadline passed.

Examples:
  pinecone-restore --demo wait demo-restore-in-progress
  pinecone-restore --demo wait demo-restore-failing --interval 0.5
  pinecone-restore wait 670e8400-e29b-41d4-a716-446655440001 --interval 10 --timeout 1800";

/// List, describe and wait on Pinecone restore jobs.
///
/// Global options come before the command.
#[derive(Debug, Parser)]
#[command(
    name = "pinecone-restore",
    version,
    after_help = MAIN_EXAMPLES,
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

/// Options that apply to every command.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Base URL of the control plane; a path prefix is kept [default: $PINECONE_CONTROLLER_HOST,
    /// else https://api.pinecone.io]
    #[arg(long, value_name = "URL")]
    pub(crate) host: Option<String>,

    /// Read the API key from this file (one trailing newline is ignored) instead of
    /// $PINECONE_API_KEY
    #[arg(long, value_name = "PATH")]
    pub(crate) api_key_file: Option<PathBuf>,

    /// Allow a plain http:// host that is not loopback (the key would cross the network unencrypted)
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,

    /// Value of the X-Pinecone-Api-Version header
    #[arg(long, value_name = "V", default_value = DEFAULT_API_VERSION)]
    pub(crate) api_version: String,

    /// Bound on each HTTP request, in seconds (decimals allowed) [default: 30]
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub(crate) request_timeout: Option<Duration>,

    /// How many times a failed request is retried (408, 429, 500, 502, 503, 504, connect
    /// errors, timeouts)
    /// [default: 3]
    #[arg(long, value_name = "N")]
    pub(crate) max_retries: Option<u32>,

    /// Serve built-in demo data from an in-process fake control plane on 127.0.0.1; no key needed
    #[arg(long, conflicts_with_all = ["host", "api_key_file"])]
    pub(crate) demo: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List restore jobs, one page or all of them
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one restore job
    #[command(after_help = DESCRIBE_EXAMPLES)]
    Describe(DescribeArgs),
    /// Poll a restore job until it is Completed, Failed or Cancelled, or the deadline passes
    #[command(after_help = WAIT_EXAMPLES)]
    Wait(WaitArgs),
}

/// `list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Jobs per page, 1..=100 [default: the API's, 10]
    #[arg(long, value_name = "N", value_parser = parse_limit)]
    pub(crate) limit: Option<Limit>,

    /// Start at this page (the token printed by an earlier listing); with --all, walk on from
    /// there (to resume a walk that failed)
    #[arg(long, value_name = "T")]
    pub(crate) pagination_token: Option<String>,

    /// Walk every page; each job is shown once even when pages overlap
    #[arg(long)]
    pub(crate) all: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub(crate) output: ListFormat,
}

/// `describe`.
#[derive(Debug, Args)]
pub(crate) struct DescribeArgs {
    /// The restore job id
    #[arg(value_name = "JOB_ID", value_parser = parse_job_id)]
    pub(crate) job_id: JobId,

    /// Output format
    #[arg(long, value_enum, default_value_t = JobFormat::Table)]
    pub(crate) output: JobFormat,
}

/// `wait`.
#[derive(Debug, Args)]
pub(crate) struct WaitArgs {
    /// The restore job id
    #[arg(value_name = "JOB_ID", value_parser = parse_job_id)]
    pub(crate) job_id: JobId,

    /// Seconds between polls (decimals allowed) [default: 5; 1 with --demo]
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub(crate) interval: Option<Duration>,

    /// Give up after this many seconds (decimals allowed) [default: wait forever]
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub(crate) timeout: Option<Duration>,

    /// Format of the final job
    #[arg(long, value_enum, default_value_t = JobFormat::Table)]
    pub(crate) output: JobFormat,
}

/// How `list` prints jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// Aligned columns for people
    Table,
    /// {"data": [...], "pagination": {"next": "..."} | null}
    Json,
    /// One job object per line
    Ndjson,
}

/// How `describe` and `wait` print a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JobFormat {
    /// One field per line, for people
    Table,
    /// The job object with the API's field names
    Json,
}

fn parse_limit(text: &str) -> Result<Limit, String> {
    text.parse::<Limit>().map_err(|e| e.to_string())
}

fn parse_job_id(text: &str) -> Result<JobId, String> {
    text.parse::<JobId>().map_err(|e| e.to_string())
}

/// Non-negative seconds, decimals allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text.trim().parse().map_err(|_| {
        format!(
            "expected a number of seconds, found `{}`",
            text.escape_debug()
        )
    })?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "expected a finite number of seconds >= 0, found `{}`",
            text.escape_debug()
        ));
    }
    Duration::try_from_secs_f64(value).map_err(|_| format!("`{text}` seconds is too long"))
}

/// Seconds greater than zero, decimals allowed.
fn positive_seconds(text: &str) -> Result<Duration, String> {
    let duration = seconds(text)?;
    if duration.is_zero() {
        return Err(format!("expected a number of seconds > 0, found `{text}`"));
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
    fn list_defaults() {
        let cli = parse(&["list"]).unwrap();
        let Command::List(list) = cli.command else {
            panic!("expected list")
        };
        assert_eq!(list.output, ListFormat::Table);
        assert!(list.limit.is_none() && !list.all && list.pagination_token.is_none());
        assert_eq!(cli.global.api_version, "2025-04");
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
        assert_eq!(list.limit.map(Limit::get), Some(100));
        assert!(list.all);
        assert_eq!(list.output, ListFormat::Ndjson);
        // after the command, a global option is unknown
        assert!(parse(&["list", "--host", "http://127.0.0.1:9"]).is_err());
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
            &["wait", "j", "--interval", "0"],
            &["wait", "j", "--interval", "-1"],
            &["wait", "j", "--timeout", "NaN"],
            &["wait", "j", "--timeout", "inf"],
            &["--request-timeout", "0", "list"],
            &["--demo", "--host", "http://127.0.0.1:1", "list"],
            &["--api-key", "k", "list"],
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
    fn wait_seconds_take_decimals() {
        let cli = parse(&["wait", "job-1", "--interval", "0.05", "--timeout", "0.3"]).unwrap();
        let Command::Wait(wait) = cli.command else {
            panic!("expected wait")
        };
        assert_eq!(wait.job_id.as_str(), "job-1");
        assert_eq!(wait.interval, Some(Duration::from_millis(50)));
        assert_eq!(wait.timeout, Some(Duration::from_millis(300)));
        assert_eq!(seconds("0").unwrap(), Duration::ZERO);
    }
}
