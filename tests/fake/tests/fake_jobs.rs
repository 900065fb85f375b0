//! Describing jobs: found, not found, progressing, transient 404s, the demo preset.

mod fake_support;

use fake_support::{agent, encode, get, get_version, get_with, send};
use pinecone_restore_fake::{
    DEMO_BACKUP_ID, DEMO_BACKUP_PENDING_ID, DEMO_FAILING_ID, DEMO_IN_PROGRESS_ID, Ending,
    FakeControlPlane, FakeJob,
};

#[test]
fn describe_returns_the_listed_job_and_404_for_unknown_ids() {
    let server = FakeControlPlane::builder().jobs(20).start().unwrap();
    let base = server.base_url();
    let listed = get(&format!("{base}/restore-jobs?limit=20")).json();
    let job = &listed["data"][7];
    let id = job["restore_job_id"].as_str().unwrap();
    let reply = get(&format!("{base}/restore-jobs/{id}"));
    assert_eq!(reply.status, 200);
    assert_eq!(&reply.json(), job);

    let reply = get(&format!("{base}/restore-jobs/no-such-job"));
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.body,
        r#"{"error":{"code":"NOT_FOUND","message":"Restore job no-such-job not found."},"status":404}"#
    );
    assert!(reply.header("x-pinecone-request-id").is_some());
    assert_eq!(server.stats().describe_requests, 2);
}

#[test]
fn ids_are_percent_decoded_from_the_path() {
    let odd = "job with space/slash+plus";
    let server = FakeControlPlane::builder()
        .job(FakeJob::completed(odd))
        .start()
        .unwrap();
    let reply = get(&format!(
        "{}/restore-jobs/{}",
        server.base_url(),
        encode(odd)
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["restore_job_id"], odd);
    // a raw `+` in a path is a plus, not a space
    let server = FakeControlPlane::builder()
        .job(FakeJob::completed("a+b"))
        .start()
        .unwrap();
    assert_eq!(
        get(&format!("{}/restore-jobs/a+b", server.base_url())).status,
        200
    );
    assert_eq!(
        get(&format!("{}/restore-jobs/a%20b", server.base_url())).status,
        404
    );
}

#[test]
fn a_progressing_job_goes_from_pending_to_completed_as_it_is_polled() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::progressing("r1", 5, Ending::Completed))
        .jobs(3)
        .start()
        .unwrap();
    let base = server.base_url();
    let url = format!("{base}/restore-jobs/r1");
    let agent = agent();

    // listing shows the state reached, which the next describe answers, and does not
    // advance it
    for _ in 0..2 {
        let listed = get(&format!("{base}/restore-jobs")).json();
        assert_eq!(listed["data"][0]["status"], "Pending");
        assert_eq!(listed["data"][0]["percent_complete"], 20);
    }

    let mut seen = Vec::new();
    for _ in 0..6 {
        let job = get_with(&agent, &url, None).json();
        seen.push((
            job["status"].as_str().unwrap().to_owned(),
            job["percent_complete"].as_f64(),
        ));
        if job["status"] == "Pending" {
            assert!(job.get("completed_at").is_none(), "{job}");
        } else {
            assert!(job["completed_at"].is_string(), "{job}");
        }
    }
    let pending = |p| ("Pending".to_owned(), Some(p));
    assert_eq!(
        seen,
        [
            pending(20.0),
            pending(40.0),
            pending(60.0),
            pending(80.0),
            ("Completed".to_owned(), Some(100.0)),
            ("Completed".to_owned(), Some(100.0)),
        ]
    );
    let listed = get(&format!("{base}/restore-jobs")).json();
    assert_eq!(listed["data"][0]["status"], "Completed");
    assert_eq!(server.job("r1").unwrap().status, "Completed");
}

#[test]
fn the_demos_jobs_run_on_its_clock_and_listing_and_describe_agree() {
    let server = FakeControlPlane::demo().start().unwrap();
    let base = server.base_url();
    let listed = |id: &str| {
        let page = get(&format!("{base}/restore-jobs?limit=100")).json();
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|job| job["restore_job_id"] == id)
            .cloned()
            .unwrap()
    };
    let percent = |job: &serde_json::Value| job["percent_complete"].as_f64().unwrap();
    for (id, at_start) in [(DEMO_IN_PROGRESS_ID, 50.0), (DEMO_FAILING_ID, 75.0)] {
        let before = listed(id);
        let described = get(&format!("{base}/restore-jobs/{id}")).json();
        let after = listed(id);
        assert_eq!(before["status"], "Pending", "{id}");
        assert_eq!(described["status"], "Pending", "{id}");
        // reading moves nothing: what a describe shows lies between two listings around it
        assert!(percent(&before) <= percent(&described), "{id}");
        assert!(percent(&described) <= percent(&after), "{id}");
        assert!(
            (at_start..at_start + 5.0).contains(&percent(&described)),
            "{id}: {described}"
        );
    }
    // the ground truth: the failing one ends first, both within seconds of the start
    let now = std::time::Instant::now();
    let done = server.ended_at(DEMO_IN_PROGRESS_ID).unwrap();
    let failed = server.ended_at(DEMO_FAILING_ID).unwrap();
    assert!(failed < done && done <= now + std::time::Duration::from_secs(6));
}

#[test]
fn a_failing_job_ends_failed() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::progressing("r2", 2, Ending::Failed))
        .start()
        .unwrap();
    let url = format!("{}/restore-jobs/r2", server.base_url());
    assert_eq!(get(&url).json()["status"], "Pending");
    let last = get(&url).json();
    assert_eq!(last["status"], "Failed");
    assert!(last.get("percent_complete").is_none());
}

#[test]
fn not_found_polls_answer_404_before_a_progressing_job_appears() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::progressing("r3", 2, Ending::Completed))
        .job(FakeJob::completed("done"))
        .not_found_polls(2)
        .start()
        .unwrap();
    let base = server.base_url();
    let url = format!("{base}/restore-jobs/r3");
    let statuses: Vec<_> = (0..4).map(|_| get(&url).status).collect();
    assert_eq!(statuses, [404, 404, 200, 200]);
    // the 404s did not advance it: the two 200s are Pending 50 and Completed
    assert_eq!(server.job("r3").unwrap().status, "Completed");
    let reply = get(&format!("{base}/restore-jobs/r3"));
    assert_eq!(reply.json()["status"], "Completed");
    // jobs that do not progress are found at once
    assert_eq!(get(&format!("{base}/restore-jobs/done")).status, 200);
}

#[test]
fn demo_preset_has_its_documented_jobs() {
    let server = FakeControlPlane::demo().start().unwrap();
    let base = server.base_url();
    let page = get(&format!("{base}/restore-jobs?limit=100")).json();
    let jobs = page["data"].as_array().unwrap();
    assert_eq!(jobs.len(), 25);
    assert_eq!(jobs[0]["restore_job_id"], DEMO_IN_PROGRESS_ID);
    assert_eq!(jobs[1]["restore_job_id"], DEMO_FAILING_ID);
    assert_eq!(jobs[0]["status"], "Pending");
    assert_eq!(jobs[1]["status"], "Pending");
}

#[test]
fn demo_restores_start_from_its_backup_and_run_five_seconds_in_every_version() {
    for version in ["2025-04", "2025-10", "2026-04", "2026-07"] {
        let server = FakeControlPlane::demo().start().unwrap();
        let base = server.base_url();
        let headers = [("X-Pinecone-Api-Version", version)];
        let create = |backup: &str| {
            send(
                &agent(),
                "POST",
                &format!("{base}/backups/{backup}/create-index"),
                &headers,
                Some(br#"{"name":"my-index"}"#),
            )
        };
        let reply = create(DEMO_BACKUP_ID);
        assert_eq!(reply.status, 202, "{version}: {}", reply.body);
        let id = reply.json()["restore_job_id"].as_str().unwrap().to_owned();

        let page = get_version(&format!("{base}/restore-jobs"), version).json();
        assert_eq!(page["data"][0]["restore_job_id"], id.as_str(), "{version}");
        let all = get_version(&format!("{base}/restore-jobs?limit=100"), version).json();
        assert_eq!(all["data"].as_array().unwrap().len(), 26, "{version}");

        // it runs on the clock: pending now, and however often it is described, it ends five
        // seconds after it started
        for _ in 0..5 {
            let job = get_version(&format!("{base}/restore-jobs/{id}"), version).json();
            assert_eq!(job["status"], "Pending", "{version}");
        }
        let ends = server.ended_at(&id).unwrap();
        let in_five = std::time::Instant::now() + std::time::Duration::from_secs(5);
        assert!(
            ends <= in_five && ends + std::time::Duration::from_secs(1) > in_five,
            "{version}"
        );

        let reply = create(DEMO_BACKUP_PENDING_ID);
        assert_eq!(reply.status, 412, "{version}");
        assert_eq!(reply.code(), "FAILED_PRECONDITION");
        assert_eq!(
            create(DEMO_BACKUP_ID).status,
            409,
            "{version}: my-index exists now"
        );
    }
}

#[test]
fn demo_progress_shows_in_the_2025_04_family_and_not_in_2026_07() {
    let server = FakeControlPlane::demo().start().unwrap();
    let url = format!("{}/restore-jobs/{DEMO_IN_PROGRESS_ID}", server.base_url());
    let percent = get_version(&url, "2025-04").json()["percent_complete"]
        .as_f64()
        .unwrap();
    assert!((50.0..55.0).contains(&percent), "{percent}");
    let job = get_version(&url, "2026-07").json();
    assert_eq!(job["status"], "Pending");
    assert!(job.get("percent_complete").is_none(), "{job}");
    assert!(job["completed_at"].is_null());
}

#[test]
fn duplicate_ids_are_refused_at_start() {
    let err = FakeControlPlane::builder()
        .job(FakeJob::completed("same"))
        .job(FakeJob::completed("same"))
        .start()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
