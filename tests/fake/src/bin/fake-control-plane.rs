//! `fake-control-plane`: serves generated restore jobs (or, with `--demo`, the demo data set of
//! `pinecone-restore --demo`, backups included) on `127.0.0.1` until stdin closes.
//!
//! Prints the base URL as the first line on stdout (with `--timed-jobs`, when the last timed
//! job ends as the second), then serves until stdin reaches EOF or the process is killed.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pinecone_restore_fake::FakeControlPlane;

const USAGE: &str = "\
usage: fake-control-plane [--demo | --jobs N] [--page-overlap K] [--api-key KEY]
                          [--latency-ms N]
                          [--timed-jobs N [--timed-first-ms F] [--timed-spread-ms M]]

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
                    connections (default 0)
  --timed-jobs N    also serve N restore jobs that run on the server's clock, listed
                    first (newest first, before the other jobs): rj-timed-0000,
                    rj-timed-0001, ... are Pending from the start, their percent rising
                    with time whoever asks, and Completed from their end on; job i ends
                    F + M * i / (N - 1) ms after the start, so the last listed ends
                    last. Prints a second line on stdout, `timed-jobs-end-unix-ms T`:
                    when the last one ends, in ms since the Unix epoch on this
                    machine's clock. Start one server per timed run: the clock starts
                    with the server
  --timed-first-ms F
                    the first timed job ends F ms after the start (default 1000)
  --timed-spread-ms M
                    the last timed job ends M ms after the first (default 0)";

struct Args {
    demo: bool,
    jobs: Option<usize>,
    page_overlap: usize,
    api_key: Option<String>,
    latency_ms: u64,
    timed_jobs: usize,
    timed_first_ms: Option<u64>,
    timed_spread_ms: Option<u64>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        demo: false,
        jobs: None,
        page_overlap: 0,
        api_key: None,
        latency_ms: 0,
        timed_jobs: 0,
        timed_first_ms: None,
        timed_spread_ms: None,
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
            "--timed-jobs" => {
                parsed.timed_jobs = number("--timed-jobs", &value("--timed-jobs")?)?;
            }
            "--timed-first-ms" => {
                parsed.timed_first_ms =
                    Some(number("--timed-first-ms", &value("--timed-first-ms")?)?);
            }
            "--timed-spread-ms" => {
                parsed.timed_spread_ms =
                    Some(number("--timed-spread-ms", &value("--timed-spread-ms")?)?);
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if parsed.demo && parsed.jobs.is_some() {
        return Err("`--demo` and `--jobs` cannot be used together".to_owned());
    }
    if parsed.timed_jobs == 0 {
        for (flag, given) in [
            ("--timed-first-ms", parsed.timed_first_ms.is_some()),
            ("--timed-spread-ms", parsed.timed_spread_ms.is_some()),
        ] {
            if given {
                return Err(format!("`{flag}` needs `--timed-jobs` of at least 1"));
            }
        }
    }
    Ok(Some(parsed))
}

/// `at` on this machine's wall clock, in ms since the Unix epoch; `None` where the wall clock
/// cannot hold it.
fn unix_millis(at: Instant) -> Option<u128> {
    let (now, wall) = (Instant::now(), SystemTime::now());
    let wall_at = if at >= now {
        wall.checked_add(at - now)
    } else {
        wall.checked_sub(now - at)
    }?;
    Some(wall_at.duration_since(UNIX_EPOCH).ok()?.as_millis())
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
        .jobs_running(
            args.timed_jobs,
            Duration::from_millis(args.timed_first_ms.unwrap_or(1000)),
            Duration::from_millis(args.timed_spread_ms.unwrap_or(0)),
        )
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
    let mut lines = vec![server.base_url()];
    if args.timed_jobs > 0 {
        match server.all_ended_at().and_then(unix_millis) {
            Some(at) => lines.push(format!("timed-jobs-end-unix-ms {at}")),
            None => {
                eprintln!("fake-control-plane: the timed jobs end beyond this machine's clock");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut stdout = io::stdout().lock();
    if lines
        .iter()
        .try_for_each(|line| writeln!(stdout, "{line}"))
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
