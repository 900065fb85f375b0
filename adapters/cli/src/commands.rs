//! The commands, run over the ureq client: settings are resolved and checked first, so a bad
//! one fails before anything is sent.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use pinecone_restore_fake::{FakeControlPlane, FakeServer};
use pinecone_restore_ureq::{
    ApiKey, Client, ENV_API_KEY, ENV_HOST, Error, Jobs, RestoreJob, TransportKind, WaitOptions,
    WaitOutcome,
};

use crate::args::{Command, DescribeArgs, Global, JobFormat, ListArgs, ListFormat, WaitArgs};
use crate::exit::{self, Class, Failure};
use crate::output::{self, JsonList, cell};
use crate::progress::Progress;

/// The key sent in demo mode; the demo server accepts any key.
const DEMO_API_KEY: &str = "demo-api-key";
/// The longest API key file read; a key is far shorter.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
/// `wait --interval` when not given.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// `wait --interval` in demo mode when not given: the demo job completes in a few seconds.
const DEMO_INTERVAL: Duration = Duration::from_secs(1);

/// Runs `command` with the `global` options.
pub(crate) fn run(global: &Global, command: &Command) -> Result<(), Failure> {
    // Resolve the key before anything starts, so a missing or bad key fails alone.
    let api_key = if global.demo {
        api_key(DEMO_API_KEY.to_owned(), "the demo key")?
    } else {
        resolve_api_key(global.api_key_file.as_deref())?
    };
    let demo = if global.demo {
        Some(start_demo()?)
    } else {
        None
    };
    let client = build_client(global, api_key, demo.as_ref())?;
    match command {
        Command::List(args) => list(&client, args),
        Command::Describe(args) => describe(&client, args),
        Command::Wait(args) => wait(&client, args, demo.is_some()),
    }
    // `demo` lives until here: the server serves for the whole command
}

/// The key from `--api-key-file`, else from `PINECONE_API_KEY`.
fn resolve_api_key(file: Option<&Path>) -> Result<ApiKey, Failure> {
    if let Some(path) = file {
        let key = read_key_file(path)?;
        return api_key(key, &format!("the API key in `{}`", path.display()));
    }
    match std::env::var_os(ENV_API_KEY) {
        Some(value) if !value.is_empty() => match value.into_string() {
            Ok(key) => api_key(key, ENV_API_KEY),
            Err(_) => Err(Failure::message(
                exit::USAGE,
                format_args!("{ENV_API_KEY} is not valid UTF-8"),
            )),
        },
        _ => Err(Failure::message(
            exit::USAGE,
            format_args!(
                "no API key: set {ENV_API_KEY} or pass --api-key-file PATH \
                 (or try --demo for built-in demo data)"
            ),
        )),
    }
}

/// Reads a key file: at most [`MAX_KEY_FILE_BYTES`], UTF-8, one trailing newline dropped.
fn read_key_file(path: &Path) -> Result<String, Failure> {
    let shown = path.display();
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_KEY_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            Failure::message(
                exit::USAGE,
                format_args!("cannot read API key file `{shown}`: {e}"),
            )
        })?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(Failure::message(
            exit::USAGE,
            format_args!(
                "API key file `{shown}` is larger than {MAX_KEY_FILE_BYTES} bytes, expected one key"
            ),
        ));
    }
    let Ok(mut key) = String::from_utf8(bytes) else {
        return Err(Failure::message(
            exit::USAGE,
            format_args!("API key file `{shown}` is not valid UTF-8"),
        ));
    };
    if key.ends_with("\r\n") {
        key.truncate(key.len() - 2);
    } else if key.ends_with('\n') {
        key.truncate(key.len() - 1);
    }
    Ok(key)
}

/// Checks `key` with core's rules; the message names where it came from, never the key.
fn api_key(key: String, from: &str) -> Result<ApiKey, Failure> {
    ApiKey::new(key).map_err(|e| Failure::message(exit::USAGE, format_args!("{from}: {e}")))
}

fn start_demo() -> Result<FakeServer, Failure> {
    let server = FakeControlPlane::demo().start().map_err(|e| {
        Failure::message(
            exit::OTHER,
            format_args!("cannot start the demo control plane: {e}"),
        )
    })?;
    exit::eprintln_safe(&format!(
        "note: demo mode: this is built-in demo data, served from {} (not a Pinecone project)",
        server.base_url()
    ));
    Ok(server)
}

fn build_client(
    global: &Global,
    api_key: ApiKey,
    demo: Option<&FakeServer>,
) -> Result<Client, Failure> {
    let host = match demo {
        Some(server) => Some(server.base_url()),
        None => global.host.clone().or_else(|| {
            std::env::var(ENV_HOST)
                .ok()
                .filter(|host| !host.trim().is_empty())
        }),
    };
    let mut builder = Client::builder(api_key)
        .api_version(global.api_version.as_str())
        .allow_insecure_http(global.allow_insecure_http)
        .user_agent_tag(concat!("pinecone-restore-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(host) = host {
        builder = builder.base_url(host);
    }
    if let Some(timeout) = global.request_timeout {
        builder = builder
            .request_timeout(timeout)
            .connect_timeout(timeout.min(pinecone_restore_ureq::DEFAULT_CONNECT_TIMEOUT));
    }
    if let Some(retries) = global.max_retries {
        builder = builder.max_retries(retries);
    }
    builder.build().map_err(|e| failure(&e))
}

/// The exit class of a client error.
pub(crate) fn class(e: &Error) -> Class {
    if e.is_invalid_argument() {
        Class::InvalidArgument
    } else if e.is_api() {
        Class::Api
    } else if e.is_invalid_response() {
        Class::InvalidResponse
    } else if e.transport_kind() == Some(TransportKind::BodyTooLarge) {
        Class::TooLarge
    } else {
        Class::Transport
    }
}

fn failure(e: &Error) -> Failure {
    Failure::new(class(e).code(), e)
}

/// A failed write to stdout: a closed pipe (`| head`) ends quietly with success, anything else
/// is reported.
fn write_failure(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::quiet(exit::OK)
    } else {
        Failure::message(exit::OTHER, format_args!("cannot write output: {e}"))
    }
}

/// Runs `f` with buffered stdout and flushes it.
fn with_stdout<T>(
    f: impl FnOnce(&mut BufWriter<io::StdoutLock<'static>>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    let result = f(&mut out);
    let flushed = out.flush().map_err(|e| write_failure(&e));
    let value = result?;
    flushed?;
    Ok(value)
}

/// An `io::Result` from writing stdout, as a [`Failure`].
trait OrWriteFailure<T> {
    fn or_write_failure(self) -> Result<T, Failure>;
}

impl<T> OrWriteFailure<T> for io::Result<T> {
    fn or_write_failure(self) -> Result<T, Failure> {
        self.map_err(|e| write_failure(&e))
    }
}

fn list(client: &Client, args: &ListArgs) -> Result<(), Failure> {
    if args.all {
        return list_all(client, args);
    }
    let page = client
        .list_page(args.limit, args.pagination_token.as_deref())
        .map_err(|e| failure(&e))?;
    with_stdout(|out| {
        match args.output {
            ListFormat::Table => output::write_table(out, &page.jobs),
            ListFormat::Json => {
                let mut list = JsonList::begin(out).or_write_failure()?;
                for job in &page.jobs {
                    list.job(out, job).or_write_failure()?;
                }
                list.end(out, page.next.as_deref())
            }
            ListFormat::Ndjson => page
                .jobs
                .iter()
                .try_for_each(|job| output::write_ndjson(out, job)),
        }
        .or_write_failure()
    })?;
    if let (Some(next), ListFormat::Table | ListFormat::Ndjson) = (&page.next, args.output) {
        exit::eprintln_safe(&format!(
            "note: more jobs: next page with `list --pagination-token '{}'`",
            cell(next)
        ));
    }
    Ok(())
}

/// A walk that stopped on an API or transport error can go on from the page that failed;
/// say how. (After an invalid response the same page would fail again.)
fn walk_failure(jobs: &Jobs<'_>, e: &Error) -> Failure {
    if let (Some(token), true) = (jobs.resume_token(), e.is_api() || e.is_transport()) {
        exit::eprintln_safe(&format!(
            "note: stopped after {} pages; resume with `list --all --pagination-token '{}'`",
            jobs.pages(),
            cell(token)
        ));
    }
    failure(e)
}

fn list_all(client: &Client, args: &ListArgs) -> Result<(), Failure> {
    let mut jobs = client.list_all_from(args.limit, args.pagination_token.as_deref());
    if args.output == ListFormat::Table {
        // aligned columns need every row first
        let mut all = Vec::new();
        for job in jobs.by_ref() {
            match job {
                Ok(job) => all.push(job),
                Err(e) => return Err(walk_failure(&jobs, &e)),
            }
        }
        return with_stdout(|out| output::write_table(out, &all).or_write_failure());
    }
    with_stdout(|out| {
        let mut json = match args.output {
            ListFormat::Json => Some(JsonList::begin(out).or_write_failure()?),
            _ => None,
        };
        let mut pages = 0;
        while let Some(job) = jobs.next() {
            let job = job.map_err(|e| walk_failure(&jobs, &e))?;
            if jobs.pages() != pages {
                // a new page arrived: hand what came before it to the reader
                pages = jobs.pages();
                out.flush().or_write_failure()?;
            }
            match &mut json {
                Some(list) => list.job(out, &job),
                None => output::write_ndjson(out, &job),
            }
            .or_write_failure()?;
        }
        if let Some(list) = json {
            list.end(out, None).or_write_failure()?;
        }
        Ok(())
    })
}

fn describe(client: &Client, args: &DescribeArgs) -> Result<(), Failure> {
    let job = client.describe(&args.job_id).map_err(|e| failure(&e))?;
    print_job(&job, args.output)
}

fn print_job(job: &RestoreJob, format: JobFormat) -> Result<(), Failure> {
    with_stdout(|out| {
        match format {
            JobFormat::Table => output::write_job_fields(out, job),
            JobFormat::Json => output::write_job_json(out, job),
        }
        .or_write_failure()
    })
}

fn wait(client: &Client, args: &WaitArgs, demo: bool) -> Result<(), Failure> {
    let interval = args.interval.unwrap_or(if demo {
        DEMO_INTERVAL
    } else {
        DEFAULT_INTERVAL
    });
    let options = WaitOptions {
        interval,
        timeout: args.timeout,
        ..WaitOptions::default()
    };
    let start = Instant::now();
    let mut progress = Progress::for_stderr();
    let outcome = client.wait(&args.job_id, &options, |job| {
        progress.update(job, start.elapsed());
    });
    progress.finish();
    let id = cell(args.job_id.as_str());
    match outcome.map_err(|e| failure(&e))? {
        WaitOutcome::Completed(job) => print_job(&job, args.output),
        WaitOutcome::Ended(job) => {
            print_job(&job, args.output)?;
            Err(Failure::message(
                exit::JOB_ENDED,
                format_args!("restore job `{id}` ended {}", cell(job.status().as_str())),
            ))
        }
        WaitOutcome::DeadlinePassed(last) => {
            let seen = match &last {
                Some(job) => {
                    print_job(job, args.output)?;
                    format!("; last seen {}", cell(job.status().as_str()))
                }
                None => String::new(),
            };
            let waited = args.timeout.unwrap_or_default().as_secs_f64();
            Err(Failure::message(
                exit::DEADLINE,
                format_args!("restore job `{id}` did not finish within {waited}s{seen}"),
            ))
        }
        other => Err(Failure::message(
            exit::OTHER,
            format_args!("the wait ended in a way this version does not know: {other:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_drops_one_trailing_newline() {
        let dir = std::env::temp_dir().join(format!("pinecone-restore-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (content, expected) in [
            ("k1\n", Some("k1")),
            ("k2\r\n", Some("k2")),
            ("k3", Some("k3")),
            ("k4\n\n", None),
            ("k5\x07", None),
            ("", None),
        ] {
            let path = dir.join("key");
            std::fs::write(&path, content).unwrap();
            let key = read_key_file(&path).and_then(|k| api_key(k, "file"));
            match expected {
                Some(k) => assert_eq!(key.unwrap().expose_secret(), k),
                None => {
                    let failure = key.unwrap_err();
                    assert_eq!(failure.code, exit::USAGE);
                    assert!(!failure.line.unwrap().contains("k4"));
                }
            }
        }
        let missing = read_key_file(&dir.join("missing")).unwrap_err();
        assert_eq!(missing.code, exit::USAGE);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
