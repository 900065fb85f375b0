//! `-v/--verbose` and `PINECONE_RESTORE_LOG`: one stderr line per attempt, page, poll and
//! recovery step; stdout unchanged; the key in no line (issue 17).

use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, Fault};

use super::{KEY, Run, against, cli, exec, server};

/// The verbose lines of a run, without their `* ` marker.
fn verbose(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("* "))
        .collect()
}

#[test]
fn a_retried_get_says_the_status_the_wait_and_why() {
    let server = server(3);
    server.inject(Fault::TooManyRequests {
        retry_after: "0".to_owned(),
    });
    server.inject(Fault::Status(503));
    let run = against(&server, &["-v", "list", "--limit", "2"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = verbose(&run);
    assert_eq!(lines.len(), 3, "{run:?}");
    assert!(
        lines[0].starts_with("GET /restore-jobs?limit=2 → 429 in ")
            && lines[0].ends_with(" ms; retrying in 0.1 s (Retry-After)"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("GET /restore-jobs?limit=2 → 503 in ")
            && lines[1].contains(" ms (attempt 2); retrying in ")
            && lines[1].ends_with(" s (backoff)"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("GET /restore-jobs?limit=2 → 200 in ")
            && lines[2].ends_with(" ms (attempt 3)"),
        "{lines:?}"
    );
}

#[test]
fn a_get_that_runs_out_of_retries_says_it_gives_up() {
    let server = server(3);
    server.inject(Fault::Status(503));
    let run = against(
        &server,
        &["--max-retries", "0", "-v", "describe", "rj-done"],
    );
    assert_ne!(run.code, 0, "{run:?}");
    let lines = verbose(&run);
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].starts_with("GET /restore-jobs/rj-done → 503 in ")
            && lines[0].ends_with("; giving up: retries used up"),
        "{lines:?}"
    );
}

#[test]
fn a_walk_says_each_page_and_the_duplicates_it_skipped() {
    let server = FakeControlPlane::builder()
        .jobs(5)
        .page_overlap(1)
        .start()
        .expect("fake starts");
    let run = against(&server, &["-v", "list", "--all", "--limit", "2"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = verbose(&run);
    let pages: Vec<&&str> = lines.iter().filter(|l| l.starts_with("page ")).collect();
    assert!(pages.len() >= 3, "{lines:?}");
    assert!(pages[0].starts_with("page 1: 2 jobs; next "), "{pages:?}");
    assert!(
        pages[1].starts_with("page 2: 2 jobs, 1 already seen (skipped); next "),
        "{pages:?}"
    );
    assert!(
        pages.last().is_some_and(|l| l.ends_with("; last page")),
        "{pages:?}"
    );
    // the second request carries the token, shortened to its head and length
    let second = lines
        .iter()
        .filter(|l| l.starts_with("GET "))
        .nth(1)
        .expect("a second request");
    assert!(
        second.starts_with("GET /restore-jobs?limit=2&paginationToken=")
            && second.contains("…(")
            && second.contains(" bytes) → 200 in "),
        "{second}"
    );
}

#[test]
fn a_wait_says_each_poll() {
    let server = server(3);
    let run = against(
        &server,
        &["-v", "wait", "rj-progress", "--interval", "0.01"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let polls: Vec<&str> = verbose(&run)
        .into_iter()
        .filter(|l| l.starts_with("poll "))
        .collect();
    assert_eq!(polls.len(), 3, "{run:?}");
    assert!(
        polls[0].starts_with("poll 1: rj-progress is Pending")
            && polls[0].ends_with("; next poll in 10 ms"),
        "{polls:?}"
    );
    assert!(
        polls[2].starts_with("poll 3: rj-progress is Completed (100%); done"),
        "{polls:?}"
    );
}

#[test]
fn a_recovered_start_says_each_step() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .api_key(Some(KEY))
        .start()
        .expect("fake starts");
    server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
    let run = against(&server, &["-v", "restore", "bkp-1", "--name", "restored"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = verbose(&run);
    let post = "POST /backups/bkp-1/create-index";
    assert!(
        lines[0].starts_with(&format!("{post} → "))
            && lines[0].contains(" failure in ")
            && lines[0].contains("; retrying in "),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with(&format!("{post} → 409 in ")) && lines[1].contains("(attempt 2)"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("recovery: the restore may have started (")
            && lines[2].ends_with("looking for it among the restore jobs"),
        "{lines:?}"
    );
    let claimed = lines
        .iter()
        .find(|l| l.starts_with("recovery: ") && l.contains(" is ours "))
        .unwrap_or_else(|| panic!("a claim: {lines:?}"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /restore-jobs?limit=100 → 200")),
        "the lookup lists the jobs: {lines:?}"
    );
    let id = claimed
        .strip_prefix("recovery: ")
        .and_then(|l| l.split(' ').next())
        .expect("an id");
    assert!(
        run.stdout.contains(id),
        "the claimed job is the one printed: {run:?}"
    );
}

#[test]
fn stdout_is_the_same_with_and_without_verbose_and_the_variable_turns_it_on() {
    let server = FakeControlPlane::builder()
        .jobs(7)
        .page_overlap(1)
        .start()
        .expect("fake starts");
    let base = server.base_url();
    let args = [
        "--host",
        base.as_str(),
        "list",
        "--all",
        "--limit",
        "3",
        "--output",
        "json",
    ];
    let quiet = exec(cli(&args));
    let mut with_flag = vec!["-v"];
    with_flag.extend_from_slice(&args);
    let loud = exec(cli(&with_flag));
    let mut by_env = cli(&args);
    by_env.env("PINECONE_RESTORE_LOG", "1");
    let by_env = exec(by_env);
    let mut off = cli(&args);
    off.env("PINECONE_RESTORE_LOG", "off");
    let off = exec(off);
    assert_eq!(quiet.code, 0, "{quiet:?}");
    assert_eq!(loud.stdout, quiet.stdout);
    assert_eq!(by_env.stdout, quiet.stdout);
    assert!(
        verbose(&quiet).is_empty() && verbose(&off).is_empty(),
        "{off:?}"
    );
    assert!(!verbose(&loud).is_empty(), "{loud:?}");
    let shape = |run: &Run| -> Vec<String> {
        // the same lines but for the times taken
        verbose(run)
            .iter()
            .map(|l| l.split(" in ").next().unwrap_or(l).to_owned())
            .collect()
    };
    assert_eq!(shape(&by_env), shape(&loud));
}

#[test]
fn the_key_is_in_no_verbose_line_even_as_a_job_id() {
    // a canary: the key is also the id asked for, so it is in the request's path
    let server = server(3);
    let mut command = cli(&["--host", server.base_url().as_str(), "-v", "describe", KEY]);
    command.env("PINECONE_RESTORE_LOG", "1");
    let run = exec(command); // exec fails the test if the key is anywhere in the output
    assert_eq!(run.code, 3, "{run:?}");
    let lines = verbose(&run);
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].starts_with("GET /restore-jobs/<redacted> → 404 in "),
        "{lines:?}"
    );
}
