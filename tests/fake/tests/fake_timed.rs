//! Jobs and backups that change with the server's clock, not with how often they are asked
//! about: what a listing and a describe show over time, when the ending appears, the listing
//! order, and the ground truth of each end.
//!
//! The server decides on the same monotonic clock that [`FakeServer::ended_at`] reports, so
//! the checks need no tolerance for scheduling: an answer received before the end was decided
//! before it, and a request sent after the end is answered after it.

mod fake_support;

use std::time::{Duration, Instant};

use fake_support::{agent, get, get_version, get_with, post, walk};
use pinecone_restore_fake::{Ending, FakeBackup, FakeControlPlane, FakeJob, FakeServer, TimedJob};
use serde_json::Value;

/// `n` milliseconds.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// One answer and when it was asked for and arrived.
struct Seen {
    sent: Instant,
    received: Instant,
    value: Value,
}

/// GETs `url` as JSON, noting when.
fn seen(agent: &ureq::Agent, url: &str, version: Option<&str>) -> Seen {
    let sent = Instant::now();
    let reply = match version {
        Some(version) => get_version(url, version),
        None => get_with(agent, url, None),
    };
    let received = Instant::now();
    assert_eq!(reply.status, 200, "{url}: {}", reply.body);
    Seen {
        sent,
        received,
        value: reply.json(),
    }
}

/// The item of a listing page whose `key` is `id`.
fn item<'a>(page: &'a Value, key: &str, id: &str) -> &'a Value {
    page["data"]
        .as_array()
        .and_then(|data| data.iter().find(|item| item[key] == id))
        .unwrap_or_else(|| panic!("{id} not listed in {page}"))
}

/// Milliseconds since the Unix epoch of RFC 3339 text.
fn millis(text: &Value) -> i128 {
    let text = text
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {text}"));
    let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    at.unix_timestamp_nanos() / 1_000_000
}

/// Whether to ask again: until `done` (an answer to a request sent after the end was seen),
/// for at most 10 s past `end`, however slow the machine.
fn again(done: bool, end: Instant) -> bool {
    assert!(
        Instant::now() < end + Duration::from_secs(10),
        "no answer after the end in 10 s"
    );
    !done
}

/// How far along a job is, as an ordered value: its percent while pending, past 100 once
/// ended.
fn progress(job: &Value) -> f64 {
    match job["status"].as_str() {
        Some("Pending") => job["percent_complete"].as_f64().unwrap(),
        Some(_) => 1000.0,
        None => panic!("no status in {job}"),
    }
}

#[test]
fn a_timed_job_advances_with_time_and_a_listing_and_a_describe_agree() {
    let runs_for = ms(300);
    let before = Instant::now();
    let server = FakeControlPlane::builder()
        .jobs(10)
        .timed_job(TimedJob::new("rj-1", runs_for, Ending::Completed))
        .start()
        .unwrap();
    let after_start = Instant::now();
    let base = server.base_url();
    let agent = agent();
    let ends = server.ended_at("rj-1").unwrap();
    assert!(ends >= before + runs_for && ends <= after_start + runs_for);

    // list, describe, list, ...: each answer is at least as far along as the one before, and
    // within what the time that passed allows
    let mut last = -1.0;
    let mut observations = Vec::new();
    let mut asked_after_end = false;
    while again(asked_after_end, ends) {
        let listed = seen(&agent, &format!("{base}/restore-jobs?limit=100"), None);
        let described = seen(&agent, &format!("{base}/restore-jobs/rj-1"), None);
        for (seen, job) in [
            (&listed, item(&listed.value, "restore_job_id", "rj-1")),
            (&described, &described.value),
        ] {
            let p = progress(job);
            assert!(p >= last, "{p} after {last}: {job}");
            last = p;
            if job["status"] == "Pending" {
                // percent = elapsed / runs_for, cut to a tenth, from a moment between sending
                // and receiving
                let most = (seen.received - before).as_secs_f64() / runs_for.as_secs_f64();
                let least = (seen.sent - after_start).as_secs_f64() / runs_for.as_secs_f64();
                assert!(p <= most * 100.0 + 1e-9, "{p} > {most}: {job}");
                assert!(p + 0.1 >= least * 100.0 - 1e-9, "{p} < {least}: {job}");
                assert!(job.get("completed_at").is_none(), "{job}");
            }
            asked_after_end |= seen.sent >= ends;
            observations.push((seen.sent, seen.received, job.clone()));
        }
        std::thread::sleep(ms(7));
    }
    assert!(
        observations
            .iter()
            .filter(|(_, _, job)| job["status"] == "Pending")
            .count()
            >= 2,
        "saw it pending before its end"
    );
    // at the same moment they agree: the describe between two equal listings shows the same
    for window in observations.windows(3).step_by(2) {
        let [(_, _, a), (_, _, b), (_, _, c)] = window else {
            unreachable!()
        };
        if a == c {
            assert_eq!(a, b);
        }
    }
    let (_, _, done) = observations.last().unwrap();
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["percent_complete"], 100);
}

#[test]
fn the_ending_shows_from_its_end_on_in_describes_and_listings_and_not_before() {
    let server = FakeControlPlane::builder()
        .timed_job(TimedJob::new("done", ms(60), Ending::Completed))
        .timed_job(TimedJob::new("failed", ms(90), Ending::Failed))
        .timed_job(TimedJob::new("cancelled", ms(120), Ending::Cancelled))
        .start()
        .unwrap();
    let base = server.base_url();
    let agent = agent();
    let last = server.all_ended_at().unwrap();
    assert_eq!(Some(last), server.ended_at("cancelled"));
    let mut seen_ended = [false; 3];
    while again(seen_ended == [true; 3], last) {
        let listed = seen(&agent, &format!("{base}/restore-jobs"), None);
        for (i, (id, ending)) in [
            ("done", "Completed"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ]
        .into_iter()
        .enumerate()
        {
            let end = server.ended_at(id).unwrap();
            let described = seen(&agent, &format!("{base}/restore-jobs/{id}"), None);
            for (seen, job) in [
                (&listed, item(&listed.value, "restore_job_id", id)),
                (&described, &described.value),
            ] {
                if seen.received < end {
                    assert_eq!(job["status"], "Pending", "answered before its end: {job}");
                }
                if seen.sent >= end {
                    assert_eq!(job["status"], ending, "asked after its end: {job}");
                    seen_ended[i] = true;
                }
                if job["status"] == ending {
                    let length = millis(&job["completed_at"]) - millis(&job["created_at"]);
                    assert_eq!(length, [60, 90, 120][i], "{job}");
                    assert_eq!(
                        job.get("percent_complete").and_then(Value::as_u64),
                        (ending == "Completed").then_some(100),
                        "{job}"
                    );
                }
            }
        }
        std::thread::sleep(ms(5));
    }
    assert!(Instant::now() >= last, "every end has passed");
}

#[test]
fn reading_moves_nothing_on() {
    let server = FakeControlPlane::builder()
        .timed_job(TimedJob::new(
            "slow",
            Duration::from_secs(600),
            Ending::Completed,
        ))
        .job(FakeJob::progressing("polled", 3, Ending::Completed))
        .backup_initializing_for(
            FakeBackup::ready("bkp").of_index("docs"),
            Duration::from_secs(600),
        )
        .start()
        .unwrap();
    let base = server.base_url();
    let agent = agent();
    for _ in 0..40 {
        for path in [
            "/restore-jobs/slow",
            "/restore-jobs?limit=100",
            "/backups/bkp",
            "/backups",
            "/indexes/docs/backups",
        ] {
            assert_eq!(get_with(&agent, &format!("{base}{path}"), None).status, 200);
        }
    }
    // 40 rounds of reads in well under 6 s: under 1% of ten minutes, whoever asked
    let slow = get(&format!("{base}/restore-jobs/slow")).json();
    assert_eq!(slow["status"], "Pending");
    assert!(slow["percent_complete"].as_f64().unwrap() <= 1.0, "{slow}");
    assert_eq!(server.backup("bkp").unwrap().status, "Initializing");
    // a job that advances per describe was only listed: it has not moved either
    assert_eq!(server.job("polled").unwrap().percent_complete, Some(33.3));
    let stats = server.stats();
    assert_eq!((stats.describe_requests, stats.list_requests), (41, 40));
    assert_eq!(
        (stats.backup_describe_requests, stats.backup_list_requests),
        (40, 80)
    );
}

#[test]
fn timed_jobs_are_listed_newest_first_after_started_restores_and_before_the_others() {
    let server = FakeControlPlane::builder()
        .jobs(4)
        .job(FakeJob::completed("given"))
        .timed_job(
            TimedJob::new("older", Duration::from_secs(60), Ending::Completed)
                .started_ago(Duration::from_secs(10)),
        )
        .timed_job(TimedJob::new(
            "newer",
            Duration::from_secs(60),
            Ending::Completed,
        ))
        .jobs_running(3, Duration::from_secs(1), Duration::from_secs(2))
        .backup(FakeBackup::ready("bkp"))
        .start()
        .unwrap();
    let base = server.base_url();
    let started = post(
        &format!("{base}/backups/bkp/create-index"),
        r#"{"name":"mine"}"#,
    );
    assert_eq!(started.status, 202, "{}", started.body);
    let mine = started.json()["restore_job_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (listed, _) = walk(&base, 3);
    assert_eq!(
        &listed[..7],
        [
            mine.as_str(),
            "newer",
            "rj-timed-0000",
            "rj-timed-0001",
            "rj-timed-0002",
            "older",
            "given",
        ]
    );
    assert_eq!(listed.len(), 11, "and the 4 generated ones: {listed:?}");

    // newest first by created_at, from the started restore to the oldest timed job
    let page = get(&format!("{base}/restore-jobs?limit=100")).json();
    let created: Vec<i128> = page["data"].as_array().unwrap()[..6]
        .iter()
        .map(|job| millis(&job["created_at"]))
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");
    assert!(
        created[4] - created[5] >= 9_999,
        "started 10 s before: {created:?}"
    );
    // started ago, it is already a sixth of the way through
    let older = item(&page, "restore_job_id", "older");
    assert!(
        older["percent_complete"].as_f64().unwrap() >= 16.6,
        "{older}"
    );
}

#[test]
fn a_thousand_running_jobs_fill_the_first_ten_pages_in_id_order() {
    let server = FakeControlPlane::builder()
        .jobs(150)
        .jobs_running(1000, Duration::from_secs(60), Duration::from_secs(60))
        .start()
        .unwrap();
    let (listed, tokens) = walk(&server.base_url(), 100);
    assert_eq!(listed.len(), 1150);
    assert_eq!(tokens.len(), 11);
    let expected: Vec<String> = (0..1000).map(|i| format!("rj-timed-{i:04}")).collect();
    assert_eq!(listed[..1000], expected[..]);
    assert!(listed[1000..].iter().all(|id| !id.starts_with("rj-timed")));
    assert_eq!(server.stats().list_requests, 12);
}

#[test]
fn the_ground_truth_is_each_job_s_end_on_the_clock_that_decides_it() {
    let before = Instant::now();
    let server = FakeControlPlane::builder()
        .jobs(3)
        .job(FakeJob::progressing("polled", 2, Ending::Completed))
        .jobs_running(20, ms(30), ms(38))
        .start()
        .unwrap();
    let after = Instant::now();
    let ends: Vec<Instant> = (0..20)
        .map(|i| server.ended_at(&format!("rj-timed-{i:04}")).unwrap())
        .collect();
    assert_eq!(ends[19] - ends[0], ms(38));
    assert_eq!(ends[1] - ends[0], ms(2));
    assert!(ends.windows(2).all(|w| w[0] < w[1]));
    assert!(ends[0] >= before + ms(30) && ends[0] <= after + ms(30));
    assert_eq!(server.all_ended_at(), Some(ends[19]));
    assert_eq!(server.ended_at("polled"), None);
    assert_eq!(server.ended_at("no-such-job"), None);

    // wait on all of them by walking the listing: none is seen done before its end, and
    // the last is seen done once its end has passed
    let base = server.base_url();
    let agent = agent();
    let done_at = loop {
        let page = seen(&agent, &format!("{base}/restore-jobs?limit=100"), None);
        let done = (0..20)
            .filter(|i| {
                let job = item(&page.value, "restore_job_id", &format!("rj-timed-{i:04}"));
                job["status"] == "Completed"
            })
            .count();
        for (i, end) in ends.iter().enumerate() {
            if page.received < *end {
                assert!(done <= i, "{done} done before the end of job {i}");
            }
        }
        if done == 20 {
            break page.received;
        }
        assert!(
            Instant::now() < ends[19] + Duration::from_secs(10),
            "never all done"
        );
        std::thread::sleep(ms(3));
    };
    assert!(done_at >= ends[19]);
}

#[test]
fn timed_jobs_are_dated_on_the_server_s_clock_and_shown_in_each_version() {
    let ahead_ms = 3_600_000;
    let server = FakeControlPlane::builder()
        .timed_job(TimedJob::new("rj-1", ms(40), Ending::Completed))
        .timed_job(TimedJob::new("rj-2", ms(40), Ending::Failed))
        .clock_ahead_ms(ahead_ms)
        .start()
        .unwrap();
    let base = server.base_url();
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i128;

    let pending = get_version(&format!("{base}/restore-jobs/rj-1"), "2026-07").json();
    assert_eq!(pending["status"], "Pending");
    assert!(pending.get("percent_complete").is_none(), "{pending}");
    assert_eq!(pending["completed_at"], Value::Null);
    let created = millis(&pending["created_at"]);
    assert!(
        (created - (wall + i128::from(ahead_ms))).abs() < 2_000,
        "{created} is the server's clock"
    );

    let end = server.all_ended_at().unwrap();
    std::thread::sleep(end.saturating_duration_since(Instant::now()));
    for version in ["2025-04", "2026-07"] {
        let page = get_version(&format!("{base}/restore-jobs?limit=100"), version).json();
        let done = item(&page, "restore_job_id", "rj-1");
        assert_eq!(
            (done["status"].as_str(), done["percent_complete"].as_u64()),
            (Some("Completed"), Some(100))
        );
        assert_eq!(millis(&done["completed_at"]) - created, 40, "{done}");
        let failed = item(&page, "restore_job_id", "rj-2");
        assert_eq!(failed["status"], "Failed");
        assert!(failed.get("percent_complete").is_none(), "{failed}");
        assert!(failed["completed_at"].is_string(), "{failed}");
    }
}

#[test]
fn restores_started_through_the_api_can_run_on_the_clock() {
    let runs_for = ms(50);
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp"))
        .restore_runs_for(runs_for)
        .not_found_polls(2)
        .start()
        .unwrap();
    let base = server.base_url();
    let sent = Instant::now();
    let started = post(
        &format!("{base}/backups/bkp/create-index"),
        r#"{"name":"a"}"#,
    );
    let received = Instant::now();
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.json()["restore_job_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let end = server.ended_at(&id).unwrap();
    assert!(end >= sent + runs_for && end <= received + runs_for);
    assert_eq!(server.all_ended_at(), Some(end));

    // no transient 404 and no advance per describe: it is Pending until its end
    let agent = agent();
    let url = format!("{base}/restore-jobs/{id}");
    loop {
        let described = seen(&agent, &url, None);
        if described.received < end {
            assert_eq!(described.value["status"], "Pending");
        } else if described.sent >= end {
            assert_eq!(described.value["status"], "Completed");
            let listed = get(&format!("{base}/restore-jobs")).json();
            assert_eq!(item(&listed, "restore_job_id", &id)["status"], "Completed");
            break;
        }
        std::thread::sleep(ms(4));
    }
    let job = server.job(&id).unwrap();
    let length = millis(&job.completed_at.clone().into()) - millis(&job.created_at.clone().into());
    assert_eq!(length, 50, "{job:?}");
}

/// The status of backup `id` as a describe and both listings show it, with when each was
/// asked and answered.
fn backup_statuses(
    server: &FakeServer,
    agent: &ureq::Agent,
    id: &str,
    index: &str,
    version: &str,
) -> Vec<(Instant, Instant, String)> {
    let base = server.base_url();
    let describe = seen(agent, &format!("{base}/backups/{id}"), Some(version));
    let project = seen(agent, &format!("{base}/backups?limit=100"), Some(version));
    let of_index = seen(
        agent,
        &format!("{base}/indexes/{index}/backups?limit=100"),
        Some(version),
    );
    let status = |v: &Value| v["status"].as_str().unwrap().to_owned();
    vec![
        (describe.sent, describe.received, status(&describe.value)),
        (
            project.sent,
            project.received,
            status(item(&project.value, "backup_id", id)),
        ),
        (
            of_index.sent,
            of_index.received,
            status(item(&of_index.value, "backup_id", id)),
        ),
    ]
}

#[test]
fn backups_taken_through_the_api_become_ready_with_time_in_describes_and_both_listings() {
    for (failures, version, ending) in [
        (false, "2025-04", "Ready"),
        (true, "2025-04", "Failed"),
        (true, "2026-07", "InitializationFailed"),
    ] {
        let server = FakeControlPlane::builder()
            .index("docs")
            .backup_ready_after(ms(60))
            .backup_polls(1)
            .backup_failures(failures)
            .start()
            .unwrap();
        let base = server.base_url();
        let sent = Instant::now();
        let created = fake_support::post_with(
            &agent(),
            &format!("{base}/indexes/docs/backups"),
            &[("X-Pinecone-Api-Version", version)],
            r#"{"name":"nightly"}"#,
        );
        let received = Instant::now();
        assert!(
            created.status == 200 || created.status == 201,
            "{}",
            created.body
        );
        let created = created.json();
        assert_eq!(created["status"], "Initializing");
        let id = created["backup_id"].as_str().unwrap().to_owned();
        let end = server.backup_ended_at(&id).unwrap();
        assert!(end >= sent + ms(60) && end <= received + ms(60));

        let agent = agent();
        let mut ended = false;
        while again(ended, end) {
            for (asked, answered, status) in backup_statuses(&server, &agent, &id, "docs", version)
            {
                if answered < end {
                    assert_eq!(status, "Initializing", "{version}: answered before its end");
                }
                if asked >= end {
                    assert_eq!(status, ending, "{version}: asked after its end");
                    ended = true;
                }
            }
            std::thread::sleep(ms(6));
        }
        assert!(ended, "{version}");
    }
}

#[test]
fn backup_ready_after_replaces_backup_polls_and_zero_is_ready_at_once() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .backup_polls(1)
        .backup_ready_after(Duration::from_secs(600))
        .start()
        .unwrap();
    let base = server.base_url();
    let created = post(&format!("{base}/indexes/docs/backups"), "{}").json();
    let id = created["backup_id"].as_str().unwrap();
    for _ in 0..5 {
        let described = get(&format!("{base}/backups/{id}")).json();
        assert_eq!(described["status"], "Initializing", "{described}");
    }
    assert!(server.backup_ended_at(id).unwrap() > Instant::now() + Duration::from_secs(500));

    let server = FakeControlPlane::builder()
        .index("docs")
        .backup_ready_after(Duration::ZERO)
        .start()
        .unwrap();
    let created = post(&format!("{}/indexes/docs/backups", server.base_url()), "{}").json();
    assert_eq!(created["status"], "Ready");
}

#[test]
fn several_backups_being_taken_are_waited_on_by_listing() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("old").of_index("docs"))
        .backup_initializing_for(FakeBackup::ready("b-30").of_index("docs"), ms(30))
        .backup_initializing_for(FakeBackup::failed("b-50").of_index("docs"), ms(50))
        .backup_initializing_for(FakeBackup::ready("b-70").of_index("docs"), ms(70))
        .start()
        .unwrap();
    let ends: Vec<Instant> = ["b-30", "b-50", "b-70"]
        .iter()
        .map(|id| server.backup_ended_at(id).unwrap())
        .collect();
    assert_eq!((ends[1] - ends[0], ends[2] - ends[0]), (ms(20), ms(40)));
    assert_eq!(server.backup_ended_at("old"), None);
    assert_eq!(server.backup("b-50").unwrap().status, "Initializing");

    let base = server.base_url();
    let agent = agent();
    let listed_created = loop {
        let page = seen(&agent, &format!("{base}/indexes/docs/backups"), None);
        let statuses: Vec<&str> = ["b-30", "b-50", "b-70"]
            .iter()
            .map(|id| {
                item(&page.value, "backup_id", id)["status"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        for (i, end) in ends.iter().enumerate() {
            if page.received < *end {
                assert_eq!(statuses[i], "Initializing", "{statuses:?}");
            }
            if page.sent >= *end {
                assert_eq!(statuses[i], ["Ready", "Failed", "Ready"][i], "{statuses:?}");
            }
        }
        if statuses.iter().all(|s| *s != "Initializing") {
            break item(&page.value, "backup_id", "b-30")["created_at"].clone();
        }
        std::thread::sleep(ms(4));
    };
    assert!(Instant::now() >= ends[2]);
    // created as the server started, on its clock
    assert_eq!(
        listed_created,
        item(&get(&format!("{base}/backups")).json(), "backup_id", "b-70")["created_at"]
    );
    assert_eq!(
        item(&get(&format!("{base}/backups")).json(), "backup_id", "old")["status"],
        "Ready"
    );
}
