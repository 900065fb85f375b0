//! Scenarios for following several restore jobs at once (`wait_all`) against the fake control
//! plane: each job ends its own way under one deadline, and a job that cannot be described
//! does not stop the others.

use std::time::{Duration, Instant};

use pinecone_restore_core::{JobId, JobStatus, WaitOptions, WaitOutcome};
use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, FakeServer};

use crate::api::*;
use crate::{Adapter, client, no_key_in};

fn ids(names: &[&str]) -> Vec<JobId> {
    names
        .iter()
        .map(|n| JobId::new(*n).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn start<A: Adapter>(plane: FakeControlPlane) -> (FakeServer, A::Client) {
    let server = plane.start().unwrap_or_else(|e| panic!("{e}"));
    let client = client::<A>(&server.base_url());
    (server, client)
}

/// Describes the server received for `id`.
fn describes(server: &FakeServer, id: &str) -> usize {
    let path = format!("/restore-jobs/{id}");
    server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .count()
}

/// Three jobs ending Completed, Failed and past the one deadline: each gets its own end, every
/// snapshot is tagged with its job, and the whole ends within the one timeout.
pub fn several_waits_end_completed_failed_and_past_the_deadline<A: Adapter>() {
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .job(FakeJob::progressing("r-done", 3, Ending::Completed))
            .job(FakeJob::progressing("r-failed", 2, Ending::Failed))
            .job(FakeJob::progressing("r-slow", 1_000_000, Ending::Completed)),
    );
    let timeout = Duration::from_millis(800);
    let options = WaitOptions::default()
        .interval(Duration::from_millis(10))
        .timeout(Some(timeout));
    let names = ["r-done", "r-failed", "r-slow"];
    let began = Instant::now();
    let (ends, snapshots) = wait_all::<A>(&client, &ids(&names), &options);
    let took = began.elapsed();

    assert_eq!(ends.len(), 3);
    match &ends[0] {
        Ok(WaitOutcome::Completed(job)) => assert_eq!(job.restore_job_id(), "r-done"),
        other => panic!("{other:?}"),
    }
    match &ends[1] {
        Ok(WaitOutcome::Ended(job)) => assert_eq!(job.status(), &JobStatus::Failed),
        other => panic!("{other:?}"),
    }
    match &ends[2] {
        Ok(WaitOutcome::DeadlinePassed(Some(job))) => {
            assert_eq!(job.status(), &JobStatus::Pending);
            assert_eq!(job.restore_job_id(), "r-slow");
        }
        other => panic!("{other:?}"),
    }
    for (index, job) in &snapshots {
        assert_eq!(
            job.restore_job_id(),
            names[*index],
            "a snapshot under the wrong job"
        );
    }
    let seen = |index| snapshots.iter().filter(|(i, _)| *i == index).count();
    assert_eq!(
        (seen(0), seen(1)),
        (3, 2),
        "every snapshot, the last one included"
    );
    assert_eq!(
        (describes(&server, "r-done"), describes(&server, "r-failed")),
        (3, 2)
    );
    assert!(
        describes(&server, "r-slow") > 3,
        "the slow job was polled on after the others ended"
    );
    // one deadline for all, not one per job (three would be 2.4 s); the slack is for a
    // loaded machine, after the deadline only the last answer's handling is left
    assert!(
        took < timeout + Duration::from_secs(1),
        "took {took:?} with a timeout of {timeout:?}"
    );
}

/// A job whose describe keeps failing (404 past the tolerated ones) ends with that error;
/// the other jobs are followed to their own ends.
pub fn a_job_that_cannot_be_described_does_not_stop_the_others<A: Adapter>() {
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .job(FakeJob::progressing("r-1", 4, Ending::Completed))
            .job(FakeJob::progressing("r-2", 5, Ending::Cancelled)),
    );
    let options = WaitOptions::default()
        .interval(Duration::from_millis(10))
        .timeout(Some(Duration::from_secs(20)));
    let (ends, _) = wait_all::<A>(&client, &ids(&["r-1", "nope", "r-2"]), &options);
    assert!(
        matches!(ends[0], Ok(WaitOutcome::Completed(_))),
        "{:?}",
        ends[0]
    );
    let error = ends[1].as_ref().expect_err("an unknown job is an error");
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.status(), Some(404));
    no_key_in(error);
    match &ends[2] {
        Ok(WaitOutcome::Ended(job)) => assert_eq!(job.status(), &JobStatus::Cancelled),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        describes(&server, "nope"),
        4,
        "three tolerated 404s, then the error"
    );
    assert_eq!(
        describes(&server, "r-2"),
        5,
        "followed to its end after the error"
    );
    // one request at a time, the jobs due together taking turns in the order of the ids
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths[..3],
        [
            "/restore-jobs/r-1",
            "/restore-jobs/nope",
            "/restore-jobs/r-2"
        ],
        "{paths:?}"
    );
}

/// No id: nothing is sent and there is no end.
pub fn several_waits_over_no_job_send_nothing<A: Adapter>() {
    let (server, client) = start::<A>(FakeControlPlane::builder().jobs(1));
    let (ends, snapshots) = wait_all::<A>(&client, &[], &WaitOptions::default());
    assert!(ends.is_empty() && snapshots.is_empty());
    assert_eq!(server.stats().requests, 0);
}
