//! `wait` on several jobs at once, against the fake: each job's end in the summary, the exit
//! code of the worst end, the final jobs on stdout in every format, one deadline for all.

use std::time::{Duration, Instant};

use super::{Run, against, server};

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
    // not a terminal: one plain line per change of each job, named by its id
    let progress = |id: &str| {
        let start = format!("{id}: status ");
        run.stderr.lines().filter(|l| l.starts_with(&start)).count()
    };
    assert_eq!(progress("rj-progress"), 3, "{run:?}");
    assert_eq!(progress("rj-fails"), 2, "{run:?}");
    assert!(progress("rj-forever") >= 1, "{run:?}");
    // the finished jobs were not described after their end
    let describes = |id: &str| {
        let path = format!("/restore-jobs/{id}");
        server.requests().iter().filter(|r| r.path == path).count()
    };
    assert_eq!((describes("rj-progress"), describes("rj-fails")), (3, 2));
    assert!(describes("rj-forever") > 3, "polled on until the deadline");
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

    let server = super::server(0);
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

    let server = super::server(0);
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
    assert_eq!(server.stats().describe_requests, 2, "one describe each");
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
