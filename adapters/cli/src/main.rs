//! `pinecone-restore`: start, list, describe and wait on Pinecone restore jobs.
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
mod exit;
mod manual;
mod output;
mod progress;
mod shell;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
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

/// The first line of clap's message, through core's text module: clap quotes the value given,
/// which may be long or hold control characters.
fn usage_line(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("error: invalid usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    text::shown(first, text::MESSAGE_CHARS, &Secrets::none())
}
