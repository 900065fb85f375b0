//! `fake-control-plane`: serves generated restore jobs on `127.0.0.1` until stdin closes.
//!
//! Prints the base URL as the first line on stdout, then serves until stdin reaches EOF or the
//! process is killed.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use pinecone_restore_fake::FakeControlPlane;

const USAGE: &str = "\
usage: fake-control-plane [--jobs N] [--page-overlap K] [--api-key KEY]

Serves a fake Pinecone control plane on 127.0.0.1 (a free port). Prints the base URL as
the first line on stdout, then serves until stdin reaches EOF.

  --jobs N          number of generated restore jobs (default 10000)
  --page-overlap K  each page re-sends the last K jobs of the previous one (default 0)
  --api-key KEY     require this Api-Key header (default: accept any key)";

struct Args {
    jobs: usize,
    page_overlap: usize,
    api_key: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        jobs: 10_000,
        page_overlap: 0,
        api_key: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--jobs" => parsed.jobs = number("--jobs", &value("--jobs")?)?,
            "--page-overlap" => {
                parsed.page_overlap = number("--page-overlap", &value("--page-overlap")?)?;
            }
            "--api-key" => parsed.api_key = Some(value("--api-key")?),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Some(parsed))
}

fn number(name: &str, text: &str) -> Result<usize, String> {
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
    let server = match FakeControlPlane::builder()
        .jobs(args.jobs)
        .page_overlap(args.page_overlap)
        .api_key(args.api_key.as_deref())
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
