//! `pinecone-restore`: take, keep and retire Pinecone backups, restore from them, and follow
//! restores to the end.
//!
//! Run `pinecone-restore --help`; `pinecone-restore --demo list` tries it without a Pinecone
//! account, against built-in demo data served on 127.0.0.1.

#![forbid(unsafe_code)]
// Doc comments on the argument structs are also clap's `--help` text, read in a terminal:
// a URL there stays bare, since `<...>` or backticks would be printed as they are.
#![allow(rustdoc::bare_urls)]

mod args;
mod commands;
mod completions;
mod confirm;
mod ending;
mod exit;
mod listing;
mod manual;
mod output;
mod progress;
mod shell;
mod stdout;
mod waited;

use std::process::ExitCode;

use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use pinecone_restore_core::text::{self, Secrets};

use crate::args::Cli;
use crate::exit::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match commands::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Help and version go to stdout with exit 0; a usage error is one `error:` line and exit 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // a closed stdout leaves nothing to report to
            drop(e.print());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            drop(e.print());
            ExitCode::from(exit::USAGE)
        }
        _ => Failure::message(
            exit::USAGE,
            format_args!("{} (see `pinecone-restore --help`)", usage_line(e)),
        )
        .report(),
    }
}

/// clap's message as one line, through core's text module: clap quotes the value given,
/// which may be long or hold control characters. A bad value is worded from clap's typed
/// context (the argument, the value, the parser's reason), so a newline in the value cannot
/// cut the reason off; other errors take the first line.
fn usage_line(e: &clap::Error) -> String {
    let none = Secrets::none();
    if let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        e.get(ContextKind::InvalidArg),
        e.get(ContextKind::InvalidValue),
    ) {
        let reason = std::error::Error::source(e)
            .map(|s| s.to_string())
            .or_else(|| match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(valid)) => {
                    Some(format!("expected one of {}", valid.join(", ")))
                }
                _ => None,
            })
            .unwrap_or_else(|| "not accepted".to_owned());
        let line = format!(
            "invalid value `{}` for `{arg}`: {reason}",
            text::quote(value, &none)
        );
        return text::shown(&line, text::MESSAGE_CHARS, &none);
    }
    if let (ErrorKind::MissingRequiredArgument, Some(ContextValue::Strings(missing))) =
        (e.kind(), e.get(ContextKind::InvalidArg))
    {
        // clap puts the missing arguments on the lines below its first: keep them
        let line = format!(
            "the following required arguments were not provided: {}",
            missing.join(", ")
        );
        return text::shown(&line, text::MESSAGE_CHARS, &none);
    }
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("error: invalid usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    text::shown(first, text::MESSAGE_CHARS, &none)
}
