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

/// Help and version go to stdout with exit 0; a usage error is one `error:` line and exit 2,
/// naming the help of the command it is about.
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
        _ => {
            let words: Vec<String> = std::env::args().skip(1).collect();
            Failure::message(
                exit::USAGE,
                format_args!("{} (see `{} --help`)", usage_line(e), command_of(&words)),
            )
            .report()
        }
    }
}

/// The command `words` (the arguments after the program's name) run: `pinecone-restore
/// backups list`, as far as its words name commands. A value that happens to be a command's
/// name is taken for it only where a command could stand.
fn command_of(words: &[String]) -> String {
    let root = <Cli as clap::CommandFactory>::command();
    let mut path = vec![root.get_name().to_owned()];
    let mut current = &root;
    for word in words {
        if word == "--" {
            break;
        }
        if let Some(sub) = current
            .get_subcommands()
            .find(|c| c.get_name() == word.as_str())
        {
            path.push(sub.get_name().to_owned());
            current = sub;
        }
    }
    path.join(" ")
}

/// clap's message as one line, through core's text module: clap quotes the value given,
/// which may be long or hold control characters. A bad value is worded from clap's typed
/// context (the option, the value, the parser's reason), so a newline in the value cannot
/// cut the reason off; an unknown command or option names the one clap suggests; other errors
/// take the first line.
fn usage_line(e: &clap::Error) -> String {
    let none = Secrets::none();
    let shown = |line: String| text::shown(&line, text::MESSAGE_CHARS, &none);
    let strings = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(s)) => s.clone(),
        _ => Vec::new(),
    };
    let suggestion = |kind| {
        let offered = strings(kind);
        if offered.is_empty() {
            String::new()
        } else {
            format!("; did you mean `{}`?", offered.join("` or `"))
        }
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let given = strings(ContextKind::InvalidSubcommand).join(" ");
            return shown(format!(
                "unknown command `{}`{}",
                text::quote(&given, &none),
                suggestion(ContextKind::SuggestedSubcommand)
            ));
        }
        ErrorKind::UnknownArgument => {
            let given = strings(ContextKind::InvalidArg).join(" ");
            return shown(format!(
                "unknown option `{}`{}",
                text::quote(&given, &none),
                suggestion(ContextKind::SuggestedArg)
            ));
        }
        _ => {}
    }
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
        // `--limit <N>`: the option alone; a positional (`<JOB_ID>`) as it is
        let arg = match arg.split_once(' ') {
            Some((option, _)) if option.starts_with('-') => option,
            _ => arg.as_str(),
        };
        return shown(format!(
            "invalid value `{}` for `{arg}`: {reason}",
            text::quote(value, &none)
        ));
    }
    if let (ErrorKind::MissingRequiredArgument, Some(ContextValue::Strings(missing))) =
        (e.kind(), e.get(ContextKind::InvalidArg))
    {
        // clap puts the missing arguments on the lines below its first: keep them
        return shown(format!(
            "the following required arguments were not provided: {}",
            missing.join(", ")
        ));
    }
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("error: invalid usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    shown(first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn the_help_named_is_the_commands_own() {
        assert_eq!(command_of(&words(&["lst"])), "pinecone-restore");
        assert_eq!(
            command_of(&words(&["--demo", "list", "--limit", "0"])),
            "pinecone-restore list"
        );
        assert_eq!(
            command_of(&words(&["backups", "prune", "--keep", "x"])),
            "pinecone-restore backups prune"
        );
        assert_eq!(
            command_of(&words(&[
                "schedules",
                "create",
                "list",
                "--frequency",
                "hourly"
            ])),
            "pinecone-restore schedules create",
            "an index named like a command is a value below a command that takes none"
        );
        assert_eq!(command_of(&words(&["--", "list"])), "pinecone-restore");
    }

    fn error(args: &[&str]) -> String {
        let e =
            Cli::try_parse_from(std::iter::once("pinecone-restore").chain(args.iter().copied()))
                .unwrap_err();
        usage_line(&e)
    }

    #[test]
    fn a_typo_gets_a_suggestion_and_a_value_its_rule_once() {
        assert_eq!(
            error(&["lst"]),
            "unknown command `lst`; did you mean `list`?"
        );
        assert_eq!(
            error(&["bakups", "list"]),
            "unknown command `bakups`; did you mean `backups`?"
        );
        assert_eq!(
            error(&["backups", "lst"]),
            "unknown command `lst`; did you mean `list`?"
        );
        assert_eq!(
            error(&["list", "--limt", "5"]),
            "unknown option `--limt`; did you mean `--limit`?"
        );
        assert_eq!(error(&["list", "--zzz"]), "unknown option `--zzz`");
        assert_eq!(
            error(&["list", "--limit", "0"]),
            "invalid value `0` for `--limit`: expected a number from 1 to 100, found `0`"
        );
        assert_eq!(
            error(&["--max-retries", "21", "list"]),
            "invalid value `21` for `--max-retries`: expected a number from 0 to 20, found `21`"
        );
        assert_eq!(
            error(&["restore", "b", "--name", "Bad_Name"]),
            "invalid value `Bad_Name` for `--name`: expected lower-case letters, digits and `-`, \
             found `B` in `Bad_Name`"
        );
    }
}
