//! The commands, one file per resource (`jobs.rs`: `list`, `describe`, `wait`, `restore`;
//! `backups.rs`), run over the ureq client. Here: what they share. Settings come from core
//! (`from_env`, `host`) and are checked first, so a bad one fails before anything is sent;
//! every text shown goes through core's text module.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::time::Duration;

use clap::CommandFactory;
use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{
    ApiKey, ApiVersion, Config, ConfigBuilder, DEFAULT_CONNECT_TIMEOUT, ENV_API_KEY, Error,
    InvalidArgumentKind, MAX_TOKEN_LEN, PaginationToken, WaitOptions,
};
use pinecone_restore_fake::{FakeControlPlane, FakeServer};
use pinecone_restore_ureq::{Api, Client};

use crate::args::{Cli, Command, CompletionsArgs, Global, ManArgs, RootStoreArg};
use crate::exit::{self, Failure};
use crate::stdout::{OrWriteFailure, with_stdout};
use crate::waited::Waited;
use crate::{completions, manual, output, shell};

mod backups;
mod follow;
mod jobs;
mod retire;
mod schedules;
mod take;

/// The key sent in demo mode; the demo server accepts any key.
const DEMO_API_KEY: &str = "demo-api-key";
/// The longest API key file read; a key is far shorter.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
/// `wait --interval` when not given.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// `wait --interval` in demo mode when not given: the demo job completes in a few seconds.
const DEMO_INTERVAL: Duration = Duration::from_secs(1);

/// Runs `cli`'s command.
pub(crate) fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Completions(args) => return completions(args),
        Command::Man(args) => return man(args),
        _ => {}
    }
    let global = &cli.global;
    // clap checks `conflicts_with` among the options given at one level only: a global option
    // before the command and another after it are each "given", so the rule is here too
    if global.demo && (global.host.is_some() || global.api_key_file.is_some()) {
        return Err(Failure::message(
            exit::USAGE,
            "--demo serves built-in data from its own server: it cannot be used with --host or \
             --api-key-file (see `pinecone-restore --help`)",
        ));
    }
    if let Command::Schedules(_) = &cli.command {
        needs_schedules(&global.api_version)?;
    }
    // The demo server lives until the end of this function: it serves the whole command.
    let demo = if global.demo {
        Some(start_demo()?)
    } else {
        None
    };
    let config = build_config(global, demo.as_ref())?;
    if !config.api_version().is_known() {
        let known: Vec<&str> = ApiVersion::KNOWN.iter().map(ApiVersion::as_str).collect();
        note(&format!(
            "API version `{}` is not one this tool knows ({}): it is sent as given, and answers \
             are checked by the rules of {}",
            config.api_version(),
            known.join(", "),
            ApiVersion::V2026_07
        ));
    }
    let mut client = Client::new(config).map_err(|e| Failure::of(&e, &Secrets::none()))?;
    let verbose = global.verbose || verbose_from_env(std::env::var_os(ENV_LOG).as_deref());
    if verbose {
        // core's events are already scrubbed and bounded; one line each, on stderr
        client = client.on_event(|event| exit::eprintln_safe(&format!("* {event}")));
    }
    let session = Session {
        client: &client,
        secrets: client.config().secrets(),
        global,
        demo: demo.is_some(),
        verbose,
    };
    match &cli.command {
        Command::List(args) => session.list(args),
        Command::Describe(args) => session.describe(args),
        Command::Wait(args) => session.wait(args),
        Command::Restore(args) => session.restore(args),
        Command::Backups(args) => session.backups(args),
        Command::Schedules(args) => session.schedules(args),
        Command::Completions(_) | Command::Man(_) => Ok(()),
    }
}

/// A `schedules` command under a version before 2026-07: refused before anything starts (the
/// demo server included) or is sent. Core refuses the same with a typed error; this says how
/// to go on.
pub(super) fn needs_schedules(version: &ApiVersion) -> Result<(), Failure> {
    if version.has_backup_schedules() {
        return Ok(());
    }
    Err(Failure::message(
        exit::USAGE,
        format_args!(
            "backup schedules need API version 2026-07 or later (this command runs {version}): \
             add --api-version 2026-07 before the command; nothing was sent"
        ),
    ))
}

/// The environment variable that turns on `--verbose` for scripts that cannot change the
/// command line. Not `RUST_LOG`: that one is often set for other programs in the same
/// environment, and would turn on this tool's lines by surprise.
const ENV_LOG: &str = "PINECONE_RESTORE_LOG";

/// `true` when `$PINECONE_RESTORE_LOG` asks for the verbose lines: set, and not empty, `0`,
/// `off` or `false`.
fn verbose_from_env(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| {
        let v = v.to_string_lossy();
        let v = v.trim();
        !(v.is_empty()
            || v == "0"
            || v.eq_ignore_ascii_case("off")
            || v.eq_ignore_ascii_case("false"))
    })
}

/// A note on stderr.
pub(crate) fn note(message: &str) {
    exit::eprintln_safe(&format!("note: {message}"));
}

/// Each of `given` once, in the order first given; one given again is said in a note:
/// ``<what> `<shown>` is given more than once; it is <done> once`` (`shown`: the id as the
/// lines show it).
fn once_each<'a, T: PartialEq>(
    given: &'a [T],
    what: &str,
    shown: impl Fn(&T) -> String,
    done: &str,
) -> Vec<&'a T> {
    let mut ids: Vec<&T> = Vec::with_capacity(given.len());
    for id in given {
        if ids.contains(&id) {
            note(&format!(
                "{what} `{}` is given more than once; it is {done} once",
                shown(id)
            ));
        } else {
            ids.push(id);
        }
    }
    ids
}

/// The configuration: core reads the environment (`PINECONE_API_KEY`,
/// `PINECONE_CONTROLLER_HOST`) exactly as the library does; `--api-key-file` and `--host`
/// override it.
fn build_config(global: &Global, demo: Option<&FakeServer>) -> Result<Config, Failure> {
    let mut builder = match demo {
        Some(server) => Config::builder(api_key(DEMO_API_KEY.to_owned(), "the demo key")?)
            .base_url(server.base_url()),
        None => {
            let file_key = match &global.api_key_file {
                Some(path) => {
                    let key = read_key_file(path)?;
                    // checked here, so a bad key names the file it came from
                    api_key(
                        key.clone(),
                        &format!("the API key in `{}`", shown_path(path)),
                    )?;
                    Some(key)
                }
                None => None,
            };
            let builder = ConfigBuilder::from_env(|name| match (name, &file_key) {
                (ENV_API_KEY, Some(key)) => Some(key.clone()),
                _ => std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
            })
            .map_err(|e| key_failure(&e))?;
            match &global.host {
                Some(host) => builder.host(host.as_str()),
                None => builder,
            }
        }
    };
    builder = builder
        .api_version(global.api_version.as_str())
        .allow_insecure_http(global.allow_insecure_http)
        .user_agent_tag(concat!("pinecone-restore-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(timeout) = global.request_timeout {
        builder = builder
            .request_timeout(timeout)
            .connect_timeout(timeout.min(DEFAULT_CONNECT_TIMEOUT));
    }
    if let Some(retries) = global.max_retries {
        builder = builder.max_retries(retries);
    }
    if let Some(file) = &global.ca_cert {
        builder = builder.ca_cert_file(file);
    }
    if let Some(store) = global.root_store {
        builder = builder.root_store(store.into());
    }
    builder.build().map_err(|e| config_failure(&e))
}

/// A setting core refused, worded with the flag that fixes it where there is one.
fn config_failure(e: &Error) -> Failure {
    match e {
        Error::InvalidArgument(a) if a.kind() == InvalidArgumentKind::InsecureHttp => {
            // the refusal in core's words, the fix in the command's
            let reason = a.reason();
            Failure::message(
                exit::USAGE,
                format_args!(
                    "{reason}: use an `https://` host, or pass --allow-insecure-http to send \
                     it anyway (see `pinecone-restore --help`)"
                ),
            )
        }
        other => Failure::of(other, &Secrets::none()),
    }
}

/// No key at all names both ways to give one; any other problem is core's message.
fn key_failure(e: &Error) -> Failure {
    match e {
        Error::InvalidArgument(a) if a.kind() == InvalidArgumentKind::MissingApiKey => {
            Failure::message(
                exit::USAGE,
                format_args!(
                    "no API key: set {ENV_API_KEY} or pass --api-key-file PATH (or try --demo \
                     for built-in demo data)"
                ),
            )
        }
        other => Failure::of(other, &Secrets::none()),
    }
}

fn shown_path(path: &Path) -> String {
    text::shown(
        &path.display().to_string(),
        text::MESSAGE_CHARS,
        &Secrets::none(),
    )
}

/// Reads a key file: at most [`MAX_KEY_FILE_BYTES`], UTF-8, one trailing newline dropped.
fn read_key_file(path: &Path) -> Result<String, Failure> {
    let shown = shown_path(path);
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
    note(&format!(
        "demo mode: this is built-in demo data, served from {} (not a Pinecone project)",
        server.base_url()
    ));
    Ok(server)
}

fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let script = completions::script(args.shell, &mut Cli::command());
    with_stdout(|out| out.write_all(&script).or_write_failure())
}

/// The command's name, as scripts and completions call it.
const BIN_NAME: &str = completions::BIN_NAME;

fn man(args: &ManArgs) -> Result<(), Failure> {
    match &args.out_dir {
        // every page the main page's SUBCOMMANDS section points to
        Some(dir) => write_pages(dir).map_err(|e| {
            Failure::message(
                exit::OTHER,
                format_args!(
                    "cannot write the manual pages into `{}`: {e}",
                    shown_path(dir)
                ),
            )
        }),
        None => with_stdout(|out| {
            manual::render_page(Cli::command(), manual::MAIN, out).or_write_failure()
        }),
    }
}

/// Writes `pinecone-restore.1` and one page per command into `dir`, creating it (and its
/// parents) first. A command group's page (`backups`) holds its commands.
fn write_pages(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut main = Cli::command();
    // as clap_mangen names them: each subcommand's page is `pinecone-restore-NAME`
    main.build();
    let mut pages = vec![(main.clone(), manual::MAIN)];
    for sub in main.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push((sub.clone(), manual::sections_of(&[sub.get_name()])));
    }
    for (cmd, sections) in pages {
        let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_owned();
        let mut file = BufWriter::new(File::create(dir.join(format!("{name}.1")))?);
        manual::render_page(cmd, sections, &mut file)?;
        file.flush()?;
    }
    Ok(())
}

/// What every command that talks to the API shares.
pub(crate) struct Session<'a> {
    pub(crate) client: &'a Client,
    pub(crate) secrets: &'a Secrets,
    global: &'a Global,
    demo: bool,
    /// The verbose lines are on: a live progress display would be torn by them, so progress
    /// is shown as plain lines.
    verbose: bool,
}

impl Session<'_> {
    pub(crate) fn failure(&self, e: &Error) -> Failure {
        Failure::of(e, self.secrets)
    }

    /// A token as a note shows it: whole (tokens are at most 2048 bytes), escaped, scrubbed.
    pub(crate) fn token(&self, token: &PaginationToken) -> String {
        text::shown(token.as_str(), MAX_TOKEN_LEN, self.secrets)
    }

    /// How `wait` and `restore --wait` poll: `interval` (else the default, shorter in the
    /// demo) until `timeout`.
    pub(crate) fn wait_options(
        &self,
        interval: Option<Duration>,
        timeout: Option<Duration>,
    ) -> WaitOptions {
        let interval = interval.unwrap_or(if self.demo {
            DEMO_INTERVAL
        } else {
            DEFAULT_INTERVAL
        });
        WaitOptions::default().interval(interval).timeout(timeout)
    }

    /// `pinecone-restore` with the global options that point at the same place (the demo, a
    /// host, the key file, the trusted roots, an API version): what every command this one
    /// suggests starts with, each value one shell word, so it pastes as printed.
    pub(crate) fn command(&self) -> String {
        let global = &self.global;
        let path = |p: &Path| shell::word(&text::quote(&p.display().to_string(), self.secrets));
        let mut command = BIN_NAME.to_owned();
        if self.demo {
            command.push_str(" --demo");
        }
        if let Some(host) = &global.host {
            command.push_str(&format!(
                " --host {}",
                shell::word(&text::quote(host, self.secrets))
            ));
        }
        if let Some(file) = &global.api_key_file {
            command.push_str(&format!(" --api-key-file {}", path(file)));
        }
        if let Some(file) = &global.ca_cert {
            command.push_str(&format!(" --ca-cert {}", path(file)));
        }
        if global.root_store == Some(RootStoreArg::System) {
            command.push_str(" --root-store system");
        }
        if global.allow_insecure_http {
            command.push_str(" --allow-insecure-http");
        }
        if global.api_version != ApiVersion::DEFAULT {
            command.push_str(&format!(
                " --api-version {}",
                shell::word(global.api_version.as_str())
            ));
        }
        command
    }

    /// The command that follows `id` (`wait`, `backups wait`), with the global options that
    /// point at the same place, each value one shell word.
    pub(crate) fn wait_command<W: Waited>(&self, id: &W::Id) -> String {
        format!(
            "{} {} {}",
            self.command(),
            W::COMMAND,
            shell::word(&output::cell(W::id_text(id), self.secrets))
        )
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
