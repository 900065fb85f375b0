//! `fake-control-plane`: serves generated restore jobs (or, with `--demo`, the demo data set of
//! `pinecone-restore --demo`, backups included) on `127.0.0.1` until stdin closes.
//!
//! Prints the base URL as the first line on stdout, then serves until stdin reaches EOF or the
//! process is killed.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use pinecone_restore_fake::FakeControlPlane;

const USAGE: &str = "\
usage: fake-control-plane [--demo | --jobs N] [--page-overlap K] [--api-key KEY]
                          [--latency-ms N]

Serves a fake Pinecone control plane on 127.0.0.1 (a free port). Prints the base URL as
the first line on stdout, then serves until stdin reaches EOF.

  --demo            serve the demo data set of `pinecone-restore --demo`: restore jobs
                    (demo-restore-in-progress, demo-restore-failing and 23 generated ones)
                    and 20 backups (GET /backups, GET /backups/ID,
                    GET /indexes/NAME/backups, POST /indexes/NAME/backups,
                    DELETE /backups/ID) of the indexes products-prod (newest backup
                    Initializing, an older one Ready: demo-backup), docs-search,
                    support-tickets (none Ready; demo-backup-pending is Initializing),
                    legacy-catalog (deleted), analytics-eu (no backups), reviews-prod
                    (eight Ready, 2 to 96 days old) and orders-prod, whose daily
                    schedule demo-schedule (API 2026-07: /backup-schedules/ID and
                    its /history) adds a backup a day
  --jobs N          number of generated restore jobs (default 10000)
  --page-overlap K  each page re-sends the last K jobs of the previous one (default 0)
  --api-key KEY     require this Api-Key header (default: accept any key)
  --latency-ms N    delay every answer by N milliseconds, without holding up other
                    connections (default 0)";

struct Args {
    demo: bool,
    jobs: Option<usize>,
    page_overlap: usize,
    api_key: Option<String>,
    latency_ms: u64,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        demo: false,
        jobs: None,
        page_overlap: 0,
        api_key: None,
        latency_ms: 0,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--demo" => parsed.demo = true,
            "--jobs" => parsed.jobs = Some(number("--jobs", &value("--jobs")?)?),
            "--page-overlap" => {
                parsed.page_overlap = number("--page-overlap", &value("--page-overlap")?)?;
            }
            "--api-key" => parsed.api_key = Some(value("--api-key")?),
            "--latency-ms" => {
                parsed.latency_ms = number("--latency-ms", &value("--latency-ms")?)?;
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if parsed.demo && parsed.jobs.is_some() {
        return Err("`--demo` and `--jobs` cannot be used together".to_owned());
    }
    Ok(Some(parsed))
}

fn number<T: FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("`{name}` expects a non-negative integer, found `{text}`"))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("fake-control-plane: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let plane = if args.demo {
        FakeControlPlane::demo()
    } else {
        FakeControlPlane::builder().jobs(args.jobs.unwrap_or(10_000))
    };
    let server = match plane
        .page_overlap(args.page_overlap)
        .api_key(args.api_key.as_deref())
        .latency(Duration::from_millis(args.latency_ms))
        .start()
    {
        Ok(server) => server,
        Err(e) => {
            eprintln!("fake-control-plane: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = io::stdout().lock();
    if writeln!(stdout, "{}", server.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);

    // Serve until stdin closes; its content is ignored.
    let mut stdin = io::stdin().lock();
    let mut buf = [0u8; 1024];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    server.shutdown();
    ExitCode::SUCCESS
}
