//! The text after each command's options, written once and shown twice: as the end of
//! `--help` and as named sections of the manual pages (ENVIRONMENT, EXIT STATUS, EXAMPLES).
//!
//! Kept as data rather than preformatted text so that each form lays it out its own way: help
//! aligns terms in columns, a manual page makes them tagged paragraphs that `man` fills to any
//! width, and examples stay verbatim and short enough for 80 columns.

use std::io::{self, Write};

use clap::Command;
use roff::{Roff, bold, italic, roman};

/// One titled part of the text after a command's options.
pub(crate) struct Section {
    /// The heading in `--help` ("Exit status"); the manual page's section is its upper case.
    pub(crate) heading: &'static str,
    /// What the section says.
    pub(crate) body: Body,
}

/// What a [`Section`] holds.
pub(crate) enum Body {
    /// Running text; line breaks in it are only where `--help` breaks.
    Prose(&'static str),
    /// Terms and what they mean: an exit code, an environment variable.
    Terms(&'static [(&'static str, &'static str)]),
    /// Command lines, shown verbatim; a long one continues with ` \` onto the next line.
    Commands(&'static [&'static str]),
}

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "success"),
    (
        "1",
        "anything else (output cannot be written, the demo cannot start)",
    ),
    ("2", "invalid usage or argument (nothing sent)"),
    ("3", "the API answered with an error status"),
    ("4", "the response was not acceptable"),
    (
        "5",
        "transport failure (connect, TLS, timeout, connection closed)",
    ),
    (
        "6",
        "a wait: a job ended Failed or Cancelled, a backup failed",
    ),
    ("7", "a wait: the deadline passed first"),
];

const WAIT_EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "every job completed"),
    ("6", "a job ended Failed or Cancelled"),
    (
        "7",
        "the deadline passed first for a job (and none ended Failed or Cancelled)",
    ),
    (
        "3-5",
        "a job's wait ended in an error: 3 API, 4 response, 5 transport",
    ),
    ("2", "invalid usage or argument (nothing sent)"),
];

/// After the main command's options.
pub(crate) const MAIN: &[Section] = &[
    Section {
        heading: "Environment",
        body: Body::Terms(&[
            ("PINECONE_API_KEY", "the API key (or use --api-key-file)"),
            (
                "PINECONE_CONTROLLER_HOST",
                "the base URL when --host is not given",
            ),
            (
                "PINECONE_CA_CERT",
                "extra root CAs (PEM) when --ca-cert is not given",
            ),
            (
                "PINECONE_ROOT_STORE",
                "mozilla or system when --root-store is not given",
            ),
        ]),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(EXIT_STATUS),
    },
    Section {
        heading: "API versions",
        body: Body::Prose(
            "2025-04 (default), 2025-10, 2026-04, 2026-07; each answer is checked by
the rules of the version asked for. Another well-formed version
(YYYY-MM[.suffix]) is sent as given and checked by the newest rules.",
        ),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo list",
            "pinecone-restore --demo restore demo-backup --name my-index --wait",
            "pinecone-restore --demo backups list --index products-prod",
            "pinecone-restore list --all --output ndjson",
            "pinecone-restore --api-key-file ~/.pinecone-key \\\n    describe 670e8400-e29b-41d4-a716-446655440001",
            "pinecone-restore wait 670e8400-e29b-41d4-a716-446655440001 \\\n    --timeout 3600",
            "pinecone-restore --api-version 2026-07 list",
        ]),
    },
];

/// After `list`'s options.
pub(crate) const LIST: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo list",
        "pinecone-restore list --limit 50",
        "pinecone-restore list --limit 50 --pagination-token 'eyJza2lwIjo1MH0='",
        "pinecone-restore list --all --output json",
        "pinecone-restore list --all --output ndjson | jq -r .restore_job_id",
    ]),
}];

/// After `describe`'s options.
pub(crate) const DESCRIBE: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo describe demo-restore-in-progress",
        "pinecone-restore describe 670e8400-e29b-41d4-a716-446655440001 \\\n    --output json",
    ]),
}];

/// After `wait`'s options.
pub(crate) const WAIT: &[Section] = &[
    Section {
        heading: "Several jobs",
        body: Body::Prose(
            "Several ids are followed at once, in rounds: a round reads the listing of
restore jobs, 100 a page, until it has seen every job still followed, and
describes only those it did not see (not listed yet, or further down), so
hundreds of jobs cost a few requests a round; -v shows each round. One
request at a time, one progress line per job on stderr (a live line each
in a terminal). --timeout bounds the
whole wait, not each job; an error that ends one job's wait does not stop
the others. When every wait has ended, stdout gets the final jobs in the
order of the ids (a table, a JSON array, or NDJSON lines), and stderr one
summary line per job naming its end. A job whose wait ended in an error, or
that was never seen before the deadline, has no final job: it is only in the
summary. An id given twice is followed once, with a note.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(WAIT_EXIT_STATUS),
    },
    Section {
        heading: "Why errors outrank outcomes",
        body: Body::Prose(
            "With several jobs the exit status is the worst end. An error leaves a
job's state unknown, so it comes first: 6 or 7 would tell a script that
every job was seen to its end or to the deadline. Among errors, the one
that running again is least likely to mend comes first: 3 (the API refused:
an unknown job, no access), then 4, then 5 (transport), so a script that
retries on 5 does not retry past a refusal.",
        ),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo wait demo-restore-in-progress",
            "pinecone-restore --demo wait demo-restore-failing --interval 0.5",
            "pinecone-restore wait JOB_ID_1 JOB_ID_2 JOB_ID_3 --timeout 3600 \\\n    --output ndjson",
            "pinecone-restore wait 670e8400-e29b-41d4-a716-446655440001 \\\n    --interval 10 --timeout 1800",
        ]),
    },
];

/// After `restore`'s options.
pub(crate) const RESTORE: &[Section] = &[
    Section {
        heading: "Safe to retry",
        body: Body::Prose(
            "A request whose answer was lost is retried with the same index name, and
a 409 on that retry is resolved by finding this restore among the restore
jobs, created while our attempts were in flight by the server's clock (read
from its `Date`). A job that cannot be shown to be ours is never claimed: the
409 is the error (exit 3), and the job is named so that you can follow it
with `wait` if it was yours.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Prose(
            "With --wait, as for wait: 0 completed, 6 ended Failed or Cancelled,
7 deadline passed. With --from-index, 3 also when the index has no Ready
backup (the message says what it has) or is unknown (the server's 404).",
        ),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo restore demo-backup --name my-index --wait",
            "pinecone-restore --demo restore --from-index products-prod \\\n    --name my-index --wait",
            "pinecone-restore restore 670e8400-e29b-41d4-a716-446655440000 \\\n    --name restored-products",
            "pinecone-restore restore 670e8400-e29b-41d4-a716-446655440000 \\\n    --name restored --tag team=search --tag env=prod \\\n    --deletion-protection enabled --wait --timeout 3600",
        ]),
    },
];

/// After the `backups` group's commands.
pub(crate) const BACKUPS: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo backups list",
        "pinecone-restore --demo backups describe demo-backup",
        "pinecone-restore --demo backups create products-prod --wait",
        "pinecone-restore --demo backups prune --index products-prod \\\n    --keep 1 --dry-run",
        "pinecone-restore --demo restore --from-index products-prod \\\n    --name my-index",
    ]),
}];

/// After `backups list`'s options.
pub(crate) const BACKUPS_LIST: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo backups list",
        "pinecone-restore --demo backups list --index products-prod",
        "pinecone-restore backups list --limit 50 \\\n    --pagination-token 'eyJza2lwIjo1MH0='",
        "pinecone-restore backups list --all --output json",
        "pinecone-restore backups list --index my-index --all --output ndjson \\\n    | jq -r 'select(.status == \"Ready\") | .backup_id'",
    ]),
}];

/// After `backups describe`'s options.
pub(crate) const BACKUPS_DESCRIBE: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo backups describe demo-backup",
        "pinecone-restore backups describe 670e8400-e29b-41d4-a716-446655440000 \\\n    --output json",
    ]),
}];

/// After `backups create`'s options.
pub(crate) const BACKUPS_CREATE: &[Section] = &[
    Section {
        heading: "Safe to retry",
        body: Body::Prose(
            "Without --name, a name unique to this run is made (the index name, the UTC
time and a random suffix) and printed on stderr before anything is sent. When
an attempt's answer is lost (a reset, a timeout, a 5xx after the request was
sent), the index's backups are looked up before anything is sent again: a
backup with this name created while our attempts were in flight, by the
server's clock (read from its `Date`), is ours and is claimed. One with this
name that cannot be shown to be ours is never claimed and nothing is sent
again: it is named on stderr and the exit status is 3, so that a script does
not retry into a second backup. One run never makes two backups.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            ("0", "the backup was taken (with --wait: it is Ready)"),
            (
                "3",
                "the API refused (403: the project's backup quota; 404: no such index), or a \
                 backup with this name was found that cannot be shown to be ours",
            ),
            ("6", "with --wait: the backup failed"),
            ("7", "with --wait: the deadline passed first"),
            ("2", "invalid usage or argument (nothing sent)"),
        ]),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo backups create products-prod --wait",
            "pinecone-restore backups create my-index --name nightly-2026-12-06 \\\n    --description 'before the migration'",
            "pinecone-restore backups create my-index --wait --timeout 3600 \\\n    --output json | jq -r .backup_id",
        ]),
    },
];

/// After `backups wait`'s options.
pub(crate) const BACKUPS_WAIT: &[Section] = &[
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            ("0", "every backup is Ready"),
            ("6", "a backup failed (Failed, InitializationFailed)"),
            (
                "7",
                "the deadline passed first for a backup (and none failed)",
            ),
            (
                "3-5",
                "a backup's wait ended in an error: 3 API, 4 response, 5 transport",
            ),
            ("2", "invalid usage or argument (nothing sent)"),
        ]),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo backups wait demo-backup",
            "pinecone-restore backups wait BACKUP_ID_1 BACKUP_ID_2 --timeout 18000",
        ]),
    },
];

/// After `backups delete`'s options.
pub(crate) const BACKUPS_DELETE: &[Section] = &[
    Section {
        heading: "Asking first",
        body: Body::Prose(
            "Without --yes, each backup is described and shown (id, name, index, status,
created_at) and the terminal is asked; only y or yes deletes. When stdin is
not a terminal (a script, cron), nothing is sent and the exit status is 2:
pass --yes. --dry-run shows the same table on stdout and stops: nothing is
deleted, and it needs neither a terminal nor --yes. A backup that cannot be
described is reported and nothing is deleted. Several ids are deleted one at
a time, each reported; the exit status is the worst.",
        ),
    },
    Section {
        heading: "Backups in use",
        body: Body::Prose(
            "Before API 2026-07 the server refuses to delete a backup a restore job is
still running from (412). From 2026-07 it would delete it, so the restore
jobs are listed whole first: each backup a running restore uses is reported
with those jobs and not sent, and a listing that fails deletes nothing.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            (
                "0",
                "every backup is gone (a 404 after our own attempt whose answer was lost \
                 counts: it is gone), or --dry-run showed them",
            ),
            (
                "3",
                "not found, or a restore job still running was started from it (412, or \
                 not sent from 2026-07; the jobs are named)",
            ),
            (
                "2",
                "invalid usage, or not asked: stdin is not a terminal and no --yes",
            ),
        ]),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo backups delete demo-backup-old --yes",
            "pinecone-restore backups delete 670e8400-e29b-41d4-a716-446655440000",
        ]),
    },
];

/// After `backups prune`'s options.
pub(crate) const BACKUPS_PRUNE: &[Section] = &[
    Section {
        heading: "What is kept",
        body: Body::Prose(
            "A backup any rule keeps is kept: the newest N Ready backups (by created_at,
ties by id; failed ones do not count), every backup still being taken, every
backup a running restore job was started from, every backup whose creation
time is unknown, and with --older-than every backup younger than that on the
server's clock (read from its `Date`). Everything else is deleted: older
Ready backups and failed ones.",
        ),
    },
    Section {
        heading: "Safe from cron",
        body: Body::Prose(
            "The plan is made only from complete listings of the index's backups and of
the restore jobs: a listing that fails deletes nothing. The plan is printed
first (each backup: keep or delete, and why); --dry-run stops there. Then,
without --yes, the backups to delete are shown and the terminal is asked (no
terminal: exit 2, nothing sent). Deletes go one at a time and stop at the
first failure; the report says what was deleted and what was not. Running it
again deletes nothing more.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            (
                "0",
                "the plan was carried out, or there was nothing to prune",
            ),
            (
                "3",
                "the API refused (a listing, a delete), or --older-than was given and no \
                 answer carried the server's time: nothing deleted",
            ),
            (
                "4-5",
                "a listing or a delete failed: 4 response, 5 transport",
            ),
            (
                "2",
                "invalid usage, or not asked: stdin is not a terminal and no --yes",
            ),
        ]),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo backups prune --index products-prod \\\n    --keep 1 --dry-run",
            "pinecone-restore backups prune --index my-index --keep 7 \\\n    --older-than 30d --yes",
        ]),
    },
];

/// How every `schedules` command starts: the version it needs.
const SCHEDULES_VERSION: Section = Section {
    heading: "API version",
    body: Body::Prose(
        "Backup schedules exist from API 2026-07: give --api-version 2026-07. Under
an earlier version every schedules command exits 2 before sending anything.",
    ),
};

/// After the `schedules` group's commands.
pub(crate) const SCHEDULES: &[Section] = &[
    SCHEDULES_VERSION,
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --demo --api-version 2026-07 schedules list orders-prod",
            "pinecone-restore --api-version 2026-07 schedules create my-index \\\n    --frequency daily --retain-days 30",
            "pinecone-restore --api-version 2026-07 schedules history SCHEDULE_ID",
        ]),
    },
];

/// After `schedules list`'s options.
pub(crate) const SCHEDULES_LIST: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo --api-version 2026-07 schedules list orders-prod",
        "pinecone-restore --api-version 2026-07 schedules list my-index --all \\\n    --output ndjson",
    ]),
}];

/// After `schedules describe`'s options.
pub(crate) const SCHEDULES_DESCRIBE: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo --api-version 2026-07 schedules describe \\\n    demo-schedule",
    ]),
}];

/// After `schedules history`'s options.
pub(crate) const SCHEDULES_HISTORY: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --demo --api-version 2026-07 schedules history \\\n    demo-schedule",
        "pinecone-restore --api-version 2026-07 schedules history SCHEDULE_ID \\\n    --all --output json",
    ]),
}];

/// After `schedules create`'s options.
pub(crate) const SCHEDULES_CREATE: &[Section] = &[
    Section {
        heading: "Safe to retry",
        body: Body::Prose(
            "An index holds one enabled schedule; a second create is answered 409.
Without --name, a name unique to this run is made and printed on stderr
before anything is sent. When an attempt's answer is lost, the create is
sent again, and a 409 to it is resolved by the index's enabled schedule: one
with our name, created while our attempts were in flight by the server's
clock, is ours (said on stderr). Any other is not claimed: the index's
enabled schedule is shown, and the exit status is 3.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            ("0", "the schedule was made"),
            (
                "3",
                "the API refused: 409, the index has an enabled schedule (shown); 403, the \
                 plan has no scheduled backups; 404, no such index",
            ),
            (
                "2",
                "invalid usage, or an API version before 2026-07 (nothing sent)",
            ),
        ]),
    },
    Section {
        heading: "Examples",
        body: Body::Commands(&[
            "pinecone-restore --api-version 2026-07 schedules create my-index \\\n    --frequency weekly --retain-days 90 --name weekly-compliance",
        ]),
    },
];

/// After `schedules update`'s options.
pub(crate) const SCHEDULES_UPDATE: &[Section] = &[Section {
    heading: "Examples",
    body: Body::Commands(&[
        "pinecone-restore --api-version 2026-07 schedules update SCHEDULE_ID \\\n    --disable",
        "pinecone-restore --api-version 2026-07 schedules update SCHEDULE_ID \\\n    --frequency monthly --retain-days 365",
    ]),
}];

/// After `schedules delete`'s options.
pub(crate) const SCHEDULES_DELETE: &[Section] = &[
    Section {
        heading: "Asking first",
        body: Body::Prose(
            "As backups delete: without --yes, the schedule is shown and the terminal is
asked; when stdin is not a terminal, nothing is sent and the exit status is
2. --dry-run shows it on stdout and stops, deleting nothing. The backups the
schedule took stay.",
        ),
    },
    Section {
        heading: "Exit status",
        body: Body::Terms(&[
            (
                "0",
                "the schedule is gone (a 404 after our own attempt whose answer was lost \
                 counts: it is gone), or --dry-run showed it",
            ),
            ("3", "not found"),
            (
                "2",
                "invalid usage, or not asked: stdin is not a terminal and no --yes",
            ),
        ]),
    },
];

/// The sections after the options of the command at `path` (its names below the main
/// command: `["backups"]`), for its manual page.
pub(crate) fn sections_of(path: &[&str]) -> &'static [Section] {
    match path {
        [] => MAIN,
        ["list"] => LIST,
        ["describe"] => DESCRIBE,
        ["wait"] => WAIT,
        ["restore"] => RESTORE,
        ["backups"] => BACKUPS,
        ["backups", "list"] => BACKUPS_LIST,
        ["backups", "describe"] => BACKUPS_DESCRIBE,
        ["backups", "create"] => BACKUPS_CREATE,
        ["backups", "wait"] => BACKUPS_WAIT,
        ["backups", "delete"] => BACKUPS_DELETE,
        ["backups", "prune"] => BACKUPS_PRUNE,
        ["schedules"] => SCHEDULES,
        ["schedules", "list"] => SCHEDULES_LIST,
        ["schedules", "describe"] => SCHEDULES_DESCRIBE,
        ["schedules", "history"] => SCHEDULES_HISTORY,
        ["schedules", "create"] => SCHEDULES_CREATE,
        ["schedules", "update"] => SCHEDULES_UPDATE,
        ["schedules", "delete"] => SCHEDULES_DELETE,
        _ => &[],
    }
}

/// `sections` as the end of `--help`: `Heading:` lines, then the body indented by two.
pub(crate) fn help(sections: &[Section]) -> String {
    let mut text = String::new();
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(section.heading);
        text.push_str(":\n");
        match &section.body {
            Body::Prose(prose) => {
                for line in prose.lines() {
                    text.push_str(&format!("  {line}\n"));
                }
            }
            Body::Terms(terms) => {
                let width = terms.iter().map(|(term, _)| term.len()).max().unwrap_or(0);
                for (term, meaning) in *terms {
                    // a long meaning goes on below, under its first word
                    let lines = wrap(meaning, HELP_WIDTH - (2 + width + 2));
                    for (i, line) in lines.iter().enumerate() {
                        let term = if i == 0 { *term } else { "" };
                        text.push_str(&format!("  {term:<width$}  {line}\n"));
                    }
                }
            }
            Body::Commands(commands) => {
                for line in commands.iter().flat_map(|c| c.lines()) {
                    text.push_str(&format!("  {line}\n"));
                }
            }
        }
    }
    // clap adds the final newline itself
    text.truncate(text.trim_end().len());
    text
}

/// The width `--help` text is laid out for.
const HELP_WIDTH: usize = 80;

/// `text`'s words in lines of at most `width` characters (a longer word alone on its line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// The manual page of `cmd` (the main command or a subcommand, as clap_mangen builds them),
/// with `sections` as named sections where clap_mangen would put one section titled EXTRA,
/// and `pinecone-restore VERSION` in the footer of every page.
///
/// # Errors
///
/// When `out` cannot be written.
pub(crate) fn render_page(
    cmd: Command,
    sections: &[Section],
    out: &mut dyn Write,
) -> io::Result<()> {
    let has_subcommands = cmd.get_subcommands().any(|c| !c.is_hide_set());
    // a command group (`backups`): the main command is not one
    let is_group = has_subcommands && cmd.get_name() != MAIN_NAME;
    let commands: Vec<Command> = if is_group {
        cmd.get_subcommands()
            .filter(|c| !c.is_hide_set())
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let has_version = cmd.get_version().is_some();
    let group_name = cmd.get_name().to_owned();
    let group_name = group_name.as_str();
    // built, so that every argument knows how many values it takes (a page rendered from
    // the main command as parsed, `man` without --out-dir, is not yet)
    let mut cmd = cmd;
    cmd.build();
    let synopsis = synopsis(&cmd, "SH");
    let man = man_of(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    synopsis.to_writer(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    if is_group {
        for command in commands {
            let sections = sections_of(&[group_name, command.get_name()]);
            render_group_command(command, sections, out)?;
        }
    } else if has_subcommands {
        man.render_subcommands_section(out)?;
    }
    roff_sections(sections, "SH").to_writer(out)?;
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// The main command's name: its page lists its commands, each with a page of its own.
const MAIN_NAME: &str = "pinecone-restore";

/// clap_mangen's page builder for `cmd`, every field of `.TH` set: an empty one is dropped
/// from the line and the next one takes its place (the version would be read as the date).
fn man_of(cmd: Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd)
        .source(format!("pinecone-restore {}", env!("CARGO_PKG_VERSION")))
        .date(release_date())
        .manual("User Commands")
}

/// One command of a group (`backups list`) as a section of the group's page: its synopsis,
/// its options and its `sections` (what is kept, exit status, examples) as subsections. A page
/// of its own would be titled `pinecone-restore-backups-describe`, too long for the header
/// and footer of an 80-column page (man runs their parts together).
fn render_group_command(cmd: Command, sections: &[Section], out: &mut dyn Write) -> io::Result<()> {
    let heading = cmd
        .get_display_name()
        .unwrap_or(cmd.get_name())
        .trim_start_matches("pinecone-restore-")
        .replace('-', " ")
        .to_uppercase();
    let mut synopsis = Vec::new();
    self::synopsis(&cmd, "SH").to_writer(&mut synopsis)?;
    let man = man_of(cmd);
    let mut options = Vec::new();
    man.render_options_section(&mut options)?;
    // `heading` is names clap checked: letters, digits and spaces, nothing roff reads
    let synopsis = String::from_utf8_lossy(&synopsis).replacen(
        ".SH SYNOPSIS",
        &format!(".SH \"{heading}\""),
        1,
    );
    let options = String::from_utf8_lossy(&options).replacen(".SH OPTIONS", ".SS Options", 1);
    out.write_all(synopsis.as_bytes())?;
    out.write_all(options.as_bytes())?;
    roff_sections(sections, "SS").to_writer(out)
}

/// The SYNOPSIS of `cmd`, under a `level` heading: its name as typed, each option with its
/// value's placeholder (`[--limit N]`, `--index INDEX` when required), a required choice as
/// `(BACKUP_ID | --from-index INDEX)`, positionals (`JOB_ID...` for several), `COMMAND` where
/// it has commands, and `[GLOBAL OPTIONS]` below the main command, whose page lists them.
/// (clap_mangen's own synopsis leaves the placeholders out: `[--tag] [--deletion-protection]`.)
fn synopsis(cmd: &Command, level: &str) -> Roff {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_owned();
    let is_main = name == MAIN_NAME;
    let mut line = vec![bold(name)];
    let required_groups: Vec<Vec<&clap::Arg>> = cmd
        .get_groups()
        .filter(|g| {
            // a group of which one must be given; one of several that may go together (the
            // changes of `schedules update`) reads as its options do
            let mut group = (*g).clone();
            group.is_required_set() && !group.is_multiple()
        })
        .map(|g| {
            g.get_args()
                .filter_map(|id| cmd.get_arguments().find(|a| a.get_id() == id))
                .collect()
        })
        .collect();
    let in_group = |a: &clap::Arg| {
        required_groups
            .iter()
            .flatten()
            .any(|m| m.get_id() == a.get_id())
    };
    let shown = |a: &&clap::Arg| {
        !a.is_hide_set()
            && !in_group(a)
            && (is_main || !a.is_global_set())
            && !matches!(a.get_id().as_str(), "help" | "version")
    };
    let mut positionals = Vec::new();
    for arg in cmd.get_arguments().filter(shown) {
        if arg.is_positional() {
            positionals.push(arg);
            continue;
        }
        line.push(roman(" "));
        if arg.is_required_set() {
            line.extend(synopsis_arg(arg));
        } else {
            line.push(roman("["));
            line.extend(synopsis_arg(arg));
            line.push(roman("]"));
        }
    }
    if !is_main
        && cmd
            .get_arguments()
            .any(|a| a.is_global_set() && !a.is_hide_set())
    {
        line.push(roman(" [GLOBAL OPTIONS]"));
    }
    for members in &required_groups {
        line.push(roman(" ("));
        for (i, arg) in members.iter().enumerate() {
            if i > 0 {
                line.push(roman(" | "));
            }
            line.extend(synopsis_arg(arg));
        }
        line.push(roman(")"));
    }
    for arg in positionals {
        line.push(roman(" "));
        let value = synopsis_arg(arg);
        if arg.is_required_set() {
            line.extend(value);
        } else {
            line.push(roman("["));
            line.extend(value);
            line.push(roman("]"));
        }
    }
    if cmd.get_subcommands().any(|c| !c.is_hide_set()) {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    let mut roff = Roff::new();
    roff.control(level, ["SYNOPSIS"]);
    roff.text(line);
    roff
}

/// One argument of a synopsis: `--limit N`, `-y|--yes`, `JOB_ID...`.
fn synopsis_arg(arg: &clap::Arg) -> Vec<roff::Inline> {
    let values = arg
        .get_value_names()
        .map(|v| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    let several = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    if arg.is_positional() {
        let dots = if several { "..." } else { "" };
        return vec![italic(format!("{values}{dots}"))];
    }
    let mut inline = Vec::new();
    match (arg.get_short(), arg.get_long()) {
        (Some(short), Some(long)) => inline.push(bold(format!("-{short}|--{long}"))),
        (None, Some(long)) => inline.push(bold(format!("--{long}"))),
        (Some(short), None) => inline.push(bold(format!("-{short}"))),
        (None, None) => {}
    }
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    if takes_value {
        inline.push(roman(" "));
        inline.push(italic(values));
    }
    inline
}

/// The changelog, for the date of this version (a symbolic link to the repository's, which
/// packaging turns into a copy).
const CHANGELOG: &str = include_str!("../CHANGELOG.md");

/// The date of this version's entry in the changelog (`## [0.1.0] - 2026-12-01`), or
/// `unreleased`.
fn release_date() -> &'static str {
    let heading = format!("## [{}] - ", env!("CARGO_PKG_VERSION"));
    CHANGELOG
        .lines()
        .find_map(|line| line.strip_prefix(heading.as_str()))
        .map_or("unreleased", str::trim)
}

/// `sections` in roff: headed by `level` (`SH`: a section, its heading in upper case; `SS`: a
/// subsection, its heading as written); terms as tagged paragraphs, prose filled, commands
/// verbatim.
fn roff_sections(sections: &[Section], level: &str) -> Roff {
    let mut roff = Roff::new();
    for section in sections {
        let heading = if level == "SH" {
            section.heading.to_uppercase()
        } else {
            section.heading.to_owned()
        };
        roff.control(level, [heading.as_str()]);
        match &section.body {
            Body::Prose(prose) => {
                roff.text([roman(
                    prose.split_whitespace().collect::<Vec<_>>().join(" "),
                )]);
            }
            Body::Terms(terms) => {
                for (term, meaning) in *terms {
                    roff.control("TP", []);
                    roff.text([bold(*term)]);
                    roff.text([roman(*meaning)]);
                }
            }
            Body::Commands(commands) => {
                for (i, command) in commands.iter().enumerate() {
                    if i > 0 {
                        roff.control("PP", []);
                    }
                    roff.control("nf", []);
                    for line in command.lines() {
                        roff.text([roman(line)]);
                    }
                    roff.control("fi", []);
                }
            }
        }
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command's path below the main one (`[]`, `["backups"]`, `["backups", "list"]`,
    /// …), read from the parser itself, so a command added there is checked here too.
    fn paths() -> Vec<Vec<String>> {
        fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let mut below = path.clone();
                below.push(sub.get_name().to_owned());
                walk(sub, below, out);
            }
            out.push(path);
        }
        let mut out = Vec::new();
        walk(
            &<crate::args::Cli as clap::CommandFactory>::command(),
            Vec::new(),
            &mut out,
        );
        out
    }

    /// The sections of every command's page.
    fn all() -> Vec<&'static [Section]> {
        paths()
            .iter()
            .map(|p| sections_of(&p.iter().map(String::as_str).collect::<Vec<_>>()))
            .collect()
    }

    #[test]
    fn every_command_has_its_sections_in_help_and_man_alike() {
        let root = <crate::args::Cli as clap::CommandFactory>::command();
        for path in paths() {
            let names: Vec<&str> = path.iter().map(String::as_str).collect();
            // `help` and `completions`, clap's or ours, carry no sections of their own
            if matches!(names.last(), Some(&"help" | &"completions" | &"man")) {
                continue;
            }
            let sections = sections_of(&names);
            assert!(!sections.is_empty(), "{names:?} has no manual sections");
            let mut cmd = &root;
            for name in &names {
                cmd = cmd.find_subcommand(name).expect("walked from the parser");
            }
            let after = cmd.get_after_help().map(ToString::to_string);
            assert_eq!(
                after,
                Some(help(sections)),
                "{names:?}: --help and man differ"
            );
        }
    }

    /// The longest line an example may have: a manual page indents it 7 columns and `--help`
    /// 2, and both must fit 80 columns.
    const MAX_EXAMPLE_LINE: usize = 72;

    #[test]
    fn examples_fit_80_columns_in_help_and_man() {
        for sections in all() {
            for section in sections {
                if let Body::Commands(commands) = section.body {
                    for line in commands.iter().flat_map(|c| c.lines()) {
                        assert!(line.len() <= MAX_EXAMPLE_LINE, "{line}");
                    }
                }
            }
        }
    }

    #[test]
    fn this_version_has_a_dated_changelog_entry() {
        let date = release_date();
        assert_eq!(date.len(), 10, "{date}");
        assert!(
            date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }),
            "{date}"
        );
    }

    #[test]
    fn help_text_fits_80_columns() {
        for sections in all() {
            for line in help(sections).lines() {
                assert!(line.chars().count() <= 80, "{line}");
            }
        }
    }

    #[test]
    fn a_long_meaning_wraps_under_its_first_word() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdef g", 3), ["abcdef", "g"]);
        assert_eq!(wrap("", 3), [""]);
        let text = help(BACKUPS_DELETE);
        assert!(
            text.contains("  0  every backup is gone (a 404 after our own attempt whose answer was lost\n     counts: it is gone), or --dry-run showed them\n"),
            "{text}"
        );
    }

    #[test]
    fn help_aligns_terms_and_keeps_examples_verbatim() {
        let text = help(MAIN);
        assert!(
            text.contains("Exit status:\n  0  success\n  1  anything else"),
            "{text}"
        );
        assert!(
            text.contains("  PINECONE_API_KEY          the API key"),
            "{text}"
        );
        assert!(
            text.contains("  pinecone-restore --api-key-file ~/.pinecone-key \\\n      describe"),
            "{text}"
        );
        assert!(!text.ends_with('\n'));
    }
}
