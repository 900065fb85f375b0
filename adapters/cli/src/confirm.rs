//! Asking before deleting, the one rule every command that deletes follows (`backups delete`,
//! `backups prune`, `schedules delete`): `--dry-run` shows what would go and deletes nothing;
//! `--yes` deletes without asking; otherwise a terminal on stdin is shown what goes and asked,
//! and without one nothing is sent at all.

use std::io::{self, BufRead, IsTerminal, Write};

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{Backup, BackupSchedule};

use crate::args::ConfirmArgs;
use crate::exit::{self, Failure};
use crate::output::{self, Render};
use crate::stdout::{OrWriteFailure, with_stdout};

/// How deleting was agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Consent {
    /// `--yes`: delete without asking.
    Given,
    /// Ask the terminal on stdin, once what goes is known.
    Ask,
    /// `--dry-run`: show what would go ([`pretend`]), and delete nothing.
    DryRun,
}

/// Whether `command` may delete, decided before anything is sent: `--dry-run` (nothing will
/// be), `--yes`, or a terminal on stdin to ask. Without any, exit 2 naming `--yes`.
///
/// # Errors
///
/// The usage failure when none is there.
pub(crate) fn consent(args: &ConfirmArgs, command: &str) -> Result<Consent, Failure> {
    consent_with(args, io::stdin().is_terminal(), command)
}

fn consent_with(args: &ConfirmArgs, terminal: bool, command: &str) -> Result<Consent, Failure> {
    match (args.dry_run, args.yes, terminal) {
        (true, _, _) => Ok(Consent::DryRun),
        (false, true, _) => Ok(Consent::Given),
        (false, false, true) => Ok(Consent::Ask),
        (false, false, false) => Err(Failure::message(
            exit::USAGE,
            format_args!(
                "`{command}` asks before deleting and stdin is not a terminal, so nothing was \
                 sent: pass --yes to delete without asking"
            ),
        )),
    }
}

/// Shows `items` (backups: id, name, index, status, created_at; schedules) as a table on
/// stderr and asks whether to delete them; `true` only for `y` or `yes`. A closed stdin is a
/// no.
///
/// # Errors
///
/// When the terminal cannot be read.
pub(crate) fn ask<T: Deletable>(items: &[T], secrets: &Secrets) -> Result<bool, Failure> {
    let mut err = io::stderr().lock();
    let shown = (|| {
        output::write_table(&mut err, items, secrets)?;
        let what = match items.len() {
            1 => format!("this {}", T::ONE),
            n => format!("these {n} {}s", T::ONE),
        };
        write!(err, "Delete {what}? [y/N] ")?;
        err.flush()
    })();
    drop(err);
    shown.map_err(|e| cannot_ask(&e))?;
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| cannot_ask(&e))?;
    Ok(agrees(&answer))
}

/// A dry run's end: `items` as [`ask`] shows them, as a table on stdout, and a note on stderr
/// that nothing was deleted.
///
/// # Errors
///
/// When stdout cannot be written.
pub(crate) fn pretend<T: Deletable>(items: &[T], secrets: &Secrets) -> Result<(), Failure> {
    with_stdout(|out| output::write_table(out, items, secrets).or_write_failure())?;
    let what = match items.len() {
        1 => format!("this {} would be deleted", T::ONE),
        n => format!("these {n} {}s would be deleted", T::ONE),
    };
    exit::eprintln_safe(&format!(
        "note: dry run: nothing was deleted; without --dry-run, {what}"
    ));
    Ok(())
}

/// What a delete can show before asking: a row of a table, and what one is called.
pub(crate) trait Deletable: Render {
    /// `backup`, `schedule`.
    const ONE: &'static str;
}

impl Deletable for Backup {
    const ONE: &'static str = "backup";
}

impl Deletable for BackupSchedule {
    const ONE: &'static str = "schedule";
}

/// `y` or `yes`, in any case, around spaces.
fn agrees(answer: &str) -> bool {
    let answer = answer.trim();
    answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes")
}

fn cannot_ask(e: &io::Error) -> Failure {
    Failure::message(
        exit::OTHER,
        format_args!("cannot ask on the terminal, so nothing was deleted: {e}"),
    )
}

/// The end of a command whose question was answered no.
pub(crate) fn declined() -> Failure {
    Failure::message(exit::OTHER, "not confirmed: nothing was deleted")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dry_run: bool, yes: bool) -> ConfirmArgs {
        ConfirmArgs { dry_run, yes }
    }

    #[test]
    fn a_dry_run_yes_or_a_terminal_else_nothing_is_sent() {
        for terminal in [false, true] {
            let dry = consent_with(&args(true, false), terminal, "x").unwrap();
            assert_eq!(dry, Consent::DryRun);
        }
        assert_eq!(
            consent_with(&args(false, true), false, "x").unwrap(),
            Consent::Given
        );
        assert_eq!(
            consent_with(&args(false, true), true, "x").unwrap(),
            Consent::Given
        );
        assert_eq!(
            consent_with(&args(false, false), true, "x").unwrap(),
            Consent::Ask
        );
        let refused = consent_with(&args(false, false), false, "backups delete").unwrap_err();
        assert_eq!(refused.code, exit::USAGE);
        let line = refused.line.unwrap();
        assert!(
            line.contains("--yes") && line.contains("nothing was sent"),
            "{line}"
        );
    }

    #[test]
    fn only_yes_agrees() {
        for yes in ["y\n", "Y", "yes\r\n", " YES "] {
            assert!(agrees(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yess", "y es", "ja", "1"] {
            assert!(!agrees(no), "{no:?}");
        }
    }
}
