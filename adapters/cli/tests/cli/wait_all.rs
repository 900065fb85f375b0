//! `wait` on several jobs at once, against the fake whose jobs run on its clock: each job's
//! end in the summary, the exit code of the worst end, the final jobs on stdout in every
//! format, one deadline for all, and rounds that read the listing (issue 30).

use std::time::{Duration, Instant};

use pinecone_restore_fake::{Ending, FakeControlPlane, FakeServer, TimedJob};

use super::{KEY, Run, against};

/// Jobs that run on the fake's clock, among 20 older ones: `rj-done` finished,
/// `rj-cancelled` ends in 150 ms, `rj-fails` in 200 ms, `rj-progress` completes in 300 ms,
/// `rj-forever` runs an hour.
fn server(older: usize) -> FakeServer {
    let ms = Duration::from_millis;
    FakeControlPlane::builder()
        .jobs(20 + older)
        .timed_job(TimedJob::new("rj-done", ms(0), Ending::Completed))
        .timed_job(TimedJob::new("rj-cancelled", ms(150), Ending::Cancelled))
        .timed_job(TimedJob::new("rj-fails", ms(200), Ending::Failed))
        .timed_job(TimedJob::new("rj-progress", ms(300), Ending::Completed))
        .timed_job(TimedJob::new(
            "rj-forever",
            Duration::from_secs(3600),
            Ending::Completed,
        ))
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

/// The summary line of job `id` on stderr.
fn summary<'r>(run: &'r Run, id: &str) -> &'r str {
    let start = format!("restore job `{id}`: ");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&start))
        .collect();
    assert_eq!(lines.len(), 1, "one summary line for {id}: {run:?}");
    &lines[0][start.len()..]
}

fn statuses(jobs: &[serde_json::Value]) -> Vec<(&str, &str)> {
    jobs.iter()
        .map(|j| {
            (
                j["restore_job_id"].as_str().unwrap(),
                j["status"].as_str().unwrap(),
            )
        })
        .collect()
}

const THREE: [&str; 3] = ["rj-progress", "rj-fails", "rj-forever"];

/// `wait` on `ids` with a quick interval and `timeout`, then `more` arguments.
fn wait(
    server: &pinecone_restore_fake::FakeServer,
    ids: &[&str],
    timeout: &str,
    more: &[&str],
) -> Run {
    let mut args = vec!["wait"];
    args.extend_from_slice(ids);
    args.extend_from_slice(&["--interval", "0.05", "--timeout", timeout]);
    args.extend_from_slice(more);
    against(server, &args)
}

#[test]
fn three_jobs_ending_completed_failed_and_past_the_deadline_exit_6_with_a_summary() {
    let server = server(0);
    let started = Instant::now();
    let run = wait(&server, &THREE, "1.5", &[]);
    let took = started.elapsed();
    assert_eq!(run.code, 6, "a job ended Failed: {run:?}");
    assert_eq!(summary(&run, "rj-progress"), "Completed");
    assert_eq!(summary(&run, "rj-fails"), "ended Failed");
    assert_eq!(
        summary(&run, "rj-forever"),
        "did not finish within 1.5s; last seen Pending"
    );
    assert_eq!(
        run.error_line(),
        "error: of 3 restore jobs: 1 completed, 1 ended Failed or Cancelled, 1 did not finish \
         within 1.5s"
    );
    // one deadline for the whole wait, not one per job
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // the final jobs as a table, in the order of the ids
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 4, "a header and three rows: {run:?}");
    assert!(rows[0].starts_with("ID "), "{run:?}");
    for (row, (id, status)) in rows[1..].iter().zip([
        ("rj-progress", "Completed"),
        ("rj-fails", "Failed"),
        ("rj-forever", "Pending"),
    ]) {
        assert!(row.starts_with(id) && row.contains(status), "{row}");
    }
    // not a terminal: one plain line per change of each job, named by its id, the last one
    // its end
    let progress = |id: &str| -> Vec<&str> {
        let start = format!("{id}: status ");
        run.stderr
            .lines()
            .filter(|l| l.starts_with(&start))
            .collect()
    };
    assert!(
        progress("rj-progress")
            .last()
            .unwrap()
            .contains("status Completed")
    );
    assert!(
        progress("rj-fails")
            .last()
            .unwrap()
            .contains("status Failed")
    );
    assert!(!progress("rj-forever").is_empty(), "{run:?}");
    // the jobs that ended were seen in the listing, never described; the one left alone is
    // described a round
    let describes = |id: &str| {
        let path = format!("/restore-jobs/{id}");
        server.requests().iter().filter(|r| r.path == path).count()
    };
    assert_eq!((describes("rj-progress"), describes("rj-fails")), (0, 0));
    assert!(describes("rj-forever") > 3, "polled on until the deadline");
    assert!(server.stats().list_requests >= 2);
}

#[test]
fn json_is_an_array_of_the_final_jobs_and_ndjson_one_per_line() {
    let server = server(0);
    let run = wait(&server, &THREE, "1", &["--output", "json"]);
    assert_eq!(run.code, 6, "{run:?}");
    let jobs = run.json();
    let jobs = jobs.as_array().expect("an array");
    assert_eq!(
        statuses(jobs),
        [
            ("rj-progress", "Completed"),
            ("rj-fails", "Failed"),
            ("rj-forever", "Pending")
        ]
    );

    let server = self::server(0);
    let run = wait(&server, &THREE, "1", &["--output", "ndjson"]);
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(
        statuses(&run.ndjson()),
        [
            ("rj-progress", "Completed"),
            ("rj-fails", "Failed"),
            ("rj-forever", "Pending")
        ]
    );
}

#[test]
fn a_job_that_cannot_be_followed_is_in_the_summary_only_and_its_error_outranks_the_rest() {
    let server = server(0);
    let ids = ["rj-done", "no-such-job", "rj-forever", "rj-fails"];
    for format in ["json", "ndjson"] {
        let run = wait(&server, &ids, "1", &["--output", format]);
        assert_eq!(
            run.code, 3,
            "the 404 outranks Failed and the deadline: {run:?}"
        );
        let error = summary(&run, "no-such-job");
        assert!(
            error.starts_with("error: ") && error.contains("404"),
            "{error}"
        );
        assert!(
            run.error_line().ends_with("1 could not be followed"),
            "{run:?}"
        );
        // the others were followed to their own ends; the unknown job has no final job
        let jobs = match format {
            "json" => run.json().as_array().unwrap().clone(),
            _ => run.ndjson(),
        };
        assert_eq!(
            statuses(&jobs),
            [
                ("rj-done", "Completed"),
                ("rj-forever", "Pending"),
                ("rj-fails", "Failed")
            ],
            "{format}"
        );
    }
}

#[test]
fn past_the_deadline_exits_7_and_all_completed_exits_0() {
    let server = server(0);
    let run = wait(&server, &["rj-done", "rj-forever"], "0.3", &[]);
    assert_eq!(run.code, 7, "{run:?}");
    assert!(
        run.error_line().contains("1 did not finish within 0.3s"),
        "{run:?}"
    );

    let run = wait(
        &server,
        &["rj-done", "rj-progress", "rj-cancelled"],
        "10",
        &["--output", "ndjson"],
    );
    assert_eq!(run.code, 6, "Cancelled counts as ended: {run:?}");
    assert_eq!(summary(&run, "rj-cancelled"), "ended Cancelled");

    let server = self::server(0);
    let run = wait(&server, &["rj-done", "rj-progress"], "10", &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(summary(&run, "rj-done"), "Completed");
    assert_eq!(summary(&run, "rj-progress"), "Completed");
}

#[test]
fn timeout_0_checks_each_job_once() {
    let server = server(0);
    let run = against(
        &server,
        &["wait", "rj-done", "rj-forever", "--timeout", "0"],
    );
    assert_eq!(run.code, 7, "{run:?}");
    let stats = server.stats();
    assert_eq!(
        (stats.list_requests, stats.describe_requests),
        (1, 0),
        "one round: the first page shows both"
    );
}

/// `n` jobs running on the fake's clock (the newest of 30), ending between 100 and 400 ms,
/// all Completed, and one more ending `last` after 250 ms.
fn many(n: usize, last: Ending) -> FakeServer {
    let ms = Duration::from_millis;
    FakeControlPlane::builder()
        .jobs(30)
        .jobs_running(n, ms(100), ms(300))
        .timed_job(TimedJob::new("rj-last", ms(250), last))
        .api_key(Some(KEY))
        .start()
        .expect("fake starts")
}

fn timed_ids(n: usize) -> Vec<String> {
    let mut ids: Vec<String> = (0..n).map(|k| format!("rj-timed-{k:04}")).collect();
    ids.push("rj-last".to_owned());
    ids
}

#[test]
fn many_jobs_are_followed_by_pages_and_exit_with_the_worst_end() {
    for (last, code, tally) in [
        (Ending::Completed, 0, None),
        (
            Ending::Failed,
            6,
            Some("error: of 251 restore jobs: 250 completed, 1 ended Failed or Cancelled"),
        ),
    ] {
        let server = many(250, last);
        let ids = timed_ids(250);
        let mut args: Vec<&str> = vec!["-v", "wait"];
        args.extend(ids.iter().map(String::as_str));
        args.extend(["--interval", "0.1", "--output", "ndjson"]);
        let run = against(&server, &args);
        assert_eq!(run.code, code, "{last:?}: {}", run.stderr);
        assert_eq!(run.ndjson().len(), 251);
        if let Some(tally) = tally {
            assert_eq!(run.error_line(), tally);
        }
        // a round is the pages that hold them (251 jobs: 3 of 100), no describe while they
        // are all listed there
        let stats = server.stats();
        assert_eq!(stats.describe_requests, 0, "{stats:?}");
        let rounds: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("* round "))
            .collect();
        assert!(!rounds.is_empty(), "{}", run.stderr);
        for round in &rounds {
            let pages: u64 = round
                .split(": ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("{round}"));
            assert!(pages <= 4, "ceil(251/100) + 1 at most: {round}");
        }
        assert_eq!(
            stats.list_requests as usize,
            rounds
                .iter()
                .map(|r| {
                    r.split(": ")
                        .nth(1)
                        .and_then(|r| r.split(' ').next())
                        .and_then(|p| p.parse::<usize>().ok())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        );
    }
}

#[test]
fn many_jobs_past_the_deadline_exit_7_and_an_unknown_one_3() {
    let ms = Duration::from_millis;
    let server = FakeControlPlane::builder()
        .jobs(30)
        .jobs_running(150, ms(100), ms(200))
        .timed_job(TimedJob::new(
            "rj-slow",
            Duration::from_secs(3600),
            Ending::Completed,
        ))
        .api_key(Some(KEY))
        .start()
        .expect("fake starts");
    let mut ids = timed_ids(150);
    ids.pop();
    ids.push("rj-slow".to_owned());
    let mut args: Vec<&str> = vec!["wait"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--interval", "0.05", "--timeout", "0.8"]);
    let run = against(&server, &args);
    assert_eq!(run.code, 7, "{run:?}");
    assert_eq!(
        run.error_line(),
        "error: of 151 restore jobs: 150 completed, 1 did not finish within 0.8s"
    );
    // an unknown job's 404s, once past the tolerance, outrank the deadline
    ids.push("rj-never".to_owned());
    let mut args: Vec<&str> = vec!["wait"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--interval", "0.05", "--timeout", "0.8"]);
    let run = against(&server, &args);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.error_line().ends_with("1 could not be followed"),
        "{run:?}"
    );
}

#[test]
fn an_id_given_twice_is_followed_once_with_a_note_exactly_as_one_id() {
    let server = server(0);
    let run = against(&server, &["wait", "rj-done", "rj-done"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("note: restore job `rj-done` is given more than once; it is followed once"),
        "{run:?}"
    );
    // one id left: today's output, field by field, and no summary
    assert!(
        run.stdout.contains("\nstatus             Completed\n"),
        "{run:?}"
    );
    assert!(!run.stderr.contains("restore job `rj-done`: "), "{run:?}");
    assert_eq!(server.stats().describe_requests, 1);
}

#[test]
fn one_id_prints_ndjson_as_one_line() {
    let server = server(0);
    let run = against(
        &server,
        &[
            "wait",
            "rj-fails",
            "--interval",
            "0.05",
            "--output",
            "ndjson",
        ],
    );
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(statuses(&run.ndjson()), [("rj-fails", "Failed")]);
    assert!(run.error_line().contains("ended Failed"), "{run:?}");
}

#[test]
fn no_id_is_a_usage_error() {
    let server = server(0);
    let run = against(&server, &["wait", "--timeout", "1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn the_demo_jobs_followed_together_end_as_followed_alone() {
    // the demo's jobs run on its clock: a wait on both reads the listing and still sees them
    // end (a job that moved only when described would never end for it)
    let started = Instant::now();
    let run = super::exec(super::cli(&[
        "--demo",
        "wait",
        "demo-restore-in-progress",
        "demo-restore-failing",
        "--timeout",
        "30",
    ]));
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(summary(&run, "demo-restore-in-progress"), "Completed");
    assert_eq!(summary(&run, "demo-restore-failing"), "ended Failed");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}
