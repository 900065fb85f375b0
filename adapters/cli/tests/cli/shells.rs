//! Completions that complete in real shells, and manual pages that render (issue 19).
//!
//! Each test runs the shell the way a user's would: the script `completions SHELL` prints is
//! loaded, and the shell is asked for the candidates of a command line. A shell that is not
//! installed skips its test, except in CI (`CI` set), where it fails: `.ci/run` installs
//! every shell these tests need.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{cli, exec};

/// A scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("pinecone-restore-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `program` runs; in CI a missing one fails the test.
fn have(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program}` is not installed: CI must install it (see .ci/run)"
        );
        eprintln!("SKIPPED: `{program}` is not installed");
    }
    found
}

/// The completion script for `shell`, written into `dir`.
fn script(shell: &str, dir: &Path) -> PathBuf {
    let run = exec(cli(&["completions", shell]));
    assert_eq!(run.code, 0, "{run:?}");
    let path = dir.join(format!("pinecone-restore.{shell}"));
    std::fs::write(&path, run.stdout).expect("write the script");
    path
}

/// Runs `shell` with `args` in `dir`; its stdout as lines (stderr is kept for messages).
fn run_shell(shell: &str, args: &[&str], dir: &Path) -> Vec<String> {
    let output = Command::new(shell)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{shell}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{shell} {args:?}: {output:?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

/// A non-interactive bash with the script sourced, asked to complete the last word of
/// `line` (a trailing space asks for a new word) through the function `complete -p`
/// registered for `pinecone-restore`, as readline would call it.
fn bash_complete(script: &Path, dir: &Path, line: &str) -> Vec<String> {
    const DRIVER: &str = r#"
source "$1"
spec=$(complete -p pinecone-restore) || exit 3
fn=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")
read -r -a COMP_WORDS <<<"$2"
if [[ "$2" == *" " ]]; then COMP_WORDS+=(""); fi
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$2"
COMP_POINT=${#COMP_LINE}
prev=""
if (( COMP_CWORD > 0 )); then prev=${COMP_WORDS[COMP_CWORD-1]}; fi
"$fn" pinecone-restore "${COMP_WORDS[COMP_CWORD]}" "$prev" 2>/dev/null
for word in "${COMPREPLY[@]}"; do
    [[ -n "$word" ]] && printf '%s\n' "$word"
done
exit 0
"#;
    run_shell(
        "bash",
        &[
            "--norc",
            "--noprofile",
            "-c",
            DRIVER,
            "driver",
            script.to_str().expect("UTF-8 path"),
            line,
        ],
        dir,
    )
}

fn sorted(mut words: Vec<String>) -> Vec<String> {
    words.sort();
    words
}

#[test]
fn bash_completes_options_and_values_after_every_command() {
    if !have("bash") {
        return;
    }
    let scratch = Scratch::new("bash-completion");
    let dir = scratch.path();
    let script = script("bash", dir);
    // a file in the working directory: offered only where a file is meant
    std::fs::write(dir.join("decoy-file"), "").unwrap();
    let complete = |line: &str| bash_complete(&script, dir, line);

    // the case from the bug report: nothing was offered after a subcommand
    assert_eq!(complete("pinecone-restore list --o"), ["--output"]);
    assert_eq!(
        sorted(complete("pinecone-restore --api-version ")),
        ["2025-04", "2025-10", "2026-04", "2026-07"]
    );
    assert_eq!(
        complete("pinecone-restore --api-version 2026-0"),
        ["2026-04", "2026-07"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore list --output ")),
        ["json", "ndjson", "table"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore describe x --output ")),
        ["json", "table"]
    );
    assert_eq!(
        sorted(complete(
            "pinecone-restore restore b --deletion-protection "
        )),
        ["disabled", "enabled"]
    );
    // at a command's first word bash also offers its options
    let shells: Vec<String> = complete("pinecone-restore completions ")
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(
        sorted(shells),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
    let commands: Vec<String> = complete("pinecone-restore ")
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(
        sorted(commands),
        sorted(
            [
                "backups",
                "completions",
                "describe",
                "list",
                "man",
                "restore",
                "schedules",
                "wait"
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
        )
    );
    // the backups group: its name, its commands, their options and values
    assert_eq!(complete("pinecone-restore back"), ["backups"]);
    let group: Vec<String> = complete("pinecone-restore backups ")
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(
        sorted(group),
        ["create", "delete", "describe", "list", "prune", "wait"]
    );
    assert_eq!(complete("pinecone-restore backups l"), ["list"]);
    assert_eq!(
        sorted(complete("pinecone-restore backups prune --o")),
        ["--older-than", "--output"]
    );
    assert_eq!(
        sorted(complete(
            "pinecone-restore backups prune --index i --keep 1 --output "
        )),
        ["json", "table"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore backups list --in")),
        ["--include-deleted", "--index"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore backups list --output ")),
        ["json", "ndjson", "table"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore backups describe x --output ")),
        ["json", "table"]
    );
    assert_eq!(
        complete("pinecone-restore restore --from"),
        ["--from-index"]
    );
    // every command's own options, after the command
    for (command, option) in [
        ("list", "--pagination-token"),
        ("describe x", "--output"),
        ("wait x", "--interval"),
        ("restore b", "--deletion-protection"),
        ("man", "--out-dir"),
        ("backups list", "--pagination-token"),
        ("backups describe x", "--output"),
        ("backups create i", "--description"),
        ("backups wait x", "--timeout"),
        ("backups delete x", "--yes"),
        ("backups prune", "--dry-run"),
    ] {
        let offered = complete(&format!("pinecone-restore {command} --"));
        assert!(
            offered.iter().any(|w| w == option),
            "{command}: {offered:?}"
        );
    }
    // a file where a file is meant, none where it is not
    assert_eq!(
        complete("pinecone-restore --api-key-file dec"),
        ["decoy-file"]
    );
    for line in [
        "pinecone-restore --host dec",
        "pinecone-restore --api-version dec",
        "pinecone-restore list --limit dec",
        "pinecone-restore wait x --timeout dec",
        "pinecone-restore restore b --name dec",
        "pinecone-restore restore --from-index dec",
        "pinecone-restore backups list --index dec",
        "pinecone-restore backups describe dec",
        "pinecone-restore backups create dec",
        "pinecone-restore backups create i --name dec",
        "pinecone-restore backups delete dec",
        "pinecone-restore backups prune --older-than dec",
    ] {
        let offered = complete(line);
        assert!(
            !offered.iter().any(|w| w == "decoy-file"),
            "{line}: {offered:?}"
        );
    }
}

#[test]
fn fish_completes_options_and_values_after_every_command() {
    if !have("fish") {
        return;
    }
    let scratch = Scratch::new("fish-completion");
    let dir = scratch.path();
    let script = script("fish", dir);
    let complete = |line: &str| -> Vec<String> {
        let command = format!("source {}; complete -C '{line}'", script.display());
        // `complete -C` prints `word<TAB>description`
        run_shell("fish", &["--no-config", "-c", &command], dir)
            .into_iter()
            .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(
        complete("pinecone-restore list --o").contains(&"--output".to_owned()),
        "{:?}",
        complete("pinecone-restore list --o")
    );
    assert_eq!(
        sorted(complete("pinecone-restore --api-version ")),
        ["2025-04", "2025-10", "2026-04", "2026-07"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore list --output ")),
        ["json", "ndjson", "table"]
    );
    let group: Vec<String> = complete("pinecone-restore backups ")
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(
        sorted(group),
        ["create", "delete", "describe", "list", "prune", "wait"]
    );
    assert_eq!(complete("pinecone-restore backups l"), ["list"]);
    assert_eq!(
        sorted(complete("pinecone-restore backups list --output ")),
        ["json", "ndjson", "table"]
    );
    assert_eq!(
        sorted(complete("pinecone-restore backups prune --o")),
        ["--older-than", "--output"]
    );
}

#[test]
fn zsh_loads_the_completion_function() {
    if !have("zsh") {
        return;
    }
    let scratch = Scratch::new("zsh-completion");
    let dir = scratch.path();
    let script = script("zsh", dir);
    // as a user's fpath entry: the file `_pinecone-restore`, found by compinit
    let functions = dir.join("functions");
    std::fs::create_dir_all(&functions).unwrap();
    std::fs::rename(&script, functions.join("_pinecone-restore")).unwrap();
    let setup = format!(
        "fpath=({} $fpath); autoload -U compinit; compinit -u -d {}/zcompdump; \
         print -r -- $_comps[pinecone-restore]; autoload +X _pinecone-restore && \
         print -r -- loaded",
        functions.display(),
        dir.display()
    );
    let lines = run_shell("zsh", &["-f", "-c", &setup], dir);
    assert_eq!(lines, ["_pinecone-restore", "loaded"]);
}

/// `page` as `man -l` shows it in an 80-column terminal.
fn man_at_80_columns(page: &Path) -> String {
    let output = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("MAN_KEEP_FORMATTING")
        .stdin(Stdio::null())
        .output()
        .expect("man runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", page.display());
    assert!(stderr.trim().is_empty(), "{}: {stderr}", page.display());
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The section headings of a rendered page: lines that start in column 0 (the footer aside).
fn headings(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines[1..lines.len().saturating_sub(1)]
        .iter()
        .copied()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect()
}

#[test]
fn man_pages_render_with_named_sections_at_80_columns() {
    if !have("man") {
        return;
    }
    let scratch = Scratch::new("man-pages");
    // a folder that does not exist yet, as in a fresh home
    let dir = scratch.path().join("share/man/man1");
    let run = exec(cli(&["man", "--out-dir", dir.to_str().unwrap()]));
    assert_eq!(run.code, 0, "{run:?}");

    let version = env!("CARGO_PKG_VERSION");
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "pinecone-restore-backups.1",
            "pinecone-restore-completions.1",
            "pinecone-restore-describe.1",
            "pinecone-restore-list.1",
            "pinecone-restore-man.1",
            "pinecone-restore-restore.1",
            "pinecone-restore-schedules.1",
            "pinecone-restore-wait.1",
            "pinecone-restore.1",
        ]
    );
    let schedules = man_at_80_columns(&dir.join("pinecone-restore-schedules.1"));
    assert_eq!(
        headings(&schedules),
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SCHEDULES LIST",
            "SCHEDULES DESCRIBE",
            "SCHEDULES HISTORY",
            "SCHEDULES CREATE",
            "SCHEDULES UPDATE",
            "SCHEDULES DELETE",
            "API VERSION",
            "EXAMPLES"
        ]
    );
    for text in [
        "--retain-days",
        "--frequency",
        "   Safe to retry\n",
        "   Asking first\n",
    ] {
        assert!(schedules.contains(text), "{text}: {schedules}");
    }
    for page in &pages {
        let text = man_at_80_columns(&dir.join(page));
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{page}: {line:?}");
        }
        // header and footer: their parts apart (not run together), the version in the footer
        let title = format!("{}(1)", page.trim_end_matches(".1"));
        let header: Vec<&str> = text
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        assert_eq!(
            header,
            [title.as_str(), "User", "Commands", title.as_str()],
            "{page}"
        );
        let footer: Vec<&str> = text
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        assert_eq!(footer.len(), 4, "{page}: {footer:?}");
        assert_eq!(footer[..2], ["pinecone-restore", version], "{page}");
        assert_eq!(footer[3], title, "{page}");
        let headings = headings(&text);
        assert!(!headings.contains(&"EXTRA"), "{page}: {headings:?}");
        assert_eq!(headings[..3], ["NAME", "SYNOPSIS", "DESCRIPTION"], "{page}");
    }

    let main = man_at_80_columns(&dir.join("pinecone-restore.1"));
    assert_eq!(
        headings(&main),
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "ENVIRONMENT",
            "EXIT STATUS",
            "API VERSIONS",
            "EXAMPLES",
            "VERSION",
        ]
    );
    // a term and its meaning stay together however the page is filled
    assert!(main.contains("PINECONE_API_KEY\n"), "{main}");
    assert!(
        main.contains("       7      a wait: the deadline passed first"),
        "{main}"
    );
    let wait = man_at_80_columns(&dir.join("pinecone-restore-wait.1"));
    assert_eq!(
        headings(&wait),
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SEVERAL JOBS",
            "EXIT STATUS",
            "WHY ERRORS OUTRANK OUTCOMES",
            "EXAMPLES"
        ]
    );
    // the backups group holds its commands (a page of their own would have a title too long
    // for an 80-column header): each one's synopsis and options, and the group's examples
    let group = man_at_80_columns(&dir.join("pinecone-restore-backups.1"));
    assert_eq!(
        headings(&group),
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "BACKUPS LIST",
            "BACKUPS DESCRIBE",
            "BACKUPS CREATE",
            "BACKUPS WAIT",
            "BACKUPS DELETE",
            "BACKUPS PRUNE",
            "EXAMPLES"
        ]
    );
    for option in [
        "--index",
        "--pagination-token",
        "--all",
        "BACKUP_ID",
        "--older-than",
        "--dry-run",
        "--description",
    ] {
        assert!(group.contains(option), "{option}: {group}");
    }
    assert!(
        !group.contains("pinecone-restore-backups-list(1)"),
        "{group}"
    );
    // each command's own sections, as subsections below its options
    for subsection in [
        "   What is kept\n",
        "   Safe from cron\n",
        "   Asking first\n",
    ] {
        assert!(group.contains(subsection), "{subsection}: {group}");
    }
    // (`man` justifies lines, so words are compared, not spaces)
    assert!(
        group.lines().any(|l| l.starts_with("       3      ")
            && l.split_whitespace()
                .take(4)
                .eq(["3", "not", "found,", "or"])),
        "a term and its meaning stay together: {group}"
    );
    // synopses show what each option takes
    let restore = man_at_80_columns(&dir.join("pinecone-restore-restore.1"));
    let synopsis: String = restore
        .split("SYNOPSIS")
        .nth(1)
        .and_then(|rest| rest.split("DESCRIPTION").next())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for shown in [
        "pinecone-restore restore",
        "--name INDEX",
        "[--tag KEY=VALUE]",
        "[--deletion-protection SETTING]",
        "[--timeout SECS]",
        "[GLOBAL OPTIONS]",
        "(BACKUP_ID | --from-index INDEX)",
    ] {
        assert!(synopsis.contains(shown), "{shown}: {synopsis}");
    }
    assert!(
        main.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("[--host URL] [--api-key-file PATH]"),
        "{main}"
    );
    // the printed page is the main one, the same as in the folder
    let printed = exec(cli(&["man"]));
    assert_eq!(
        printed.stdout,
        std::fs::read_to_string(dir.join("pinecone-restore.1")).unwrap()
    );
}
