//! Scenarios for following several restore jobs (`wait_all`) or backups (`wait_backups`) at
//! once against the fake control plane, whose jobs and backups run on its clock: each ends its
//! own way under one deadline, a job that cannot be described does not stop the others, and
//! the rounds read the listing rather than describing each.

use std::time::{Duration, Instant};

use pinecone_restore_core::{BackupId, JobId, JobStatus, WaitOptions, WaitOutcome};
use pinecone_restore_fake::{Ending, FakeBackup, FakeControlPlane, FakeServer, TimedJob};

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
/// snapshot is tagged with its job, and the whole ends within the one timeout. While two or
/// more are followed a round is one page of the listing; the one left is described.
pub fn several_waits_end_completed_failed_and_past_the_deadline<A: Adapter>() {
    let ms = Duration::from_millis;
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .jobs(30)
            .timed_job(TimedJob::new("r-done", ms(150), Ending::Completed))
            .timed_job(TimedJob::new("r-failed", ms(100), Ending::Failed))
            .timed_job(TimedJob::new(
                "r-slow",
                Duration::from_secs(3600),
                Ending::Completed,
            )),
    );
    let timeout = ms(800);
    let options = WaitOptions::default()
        .interval(ms(10))
        .timeout(Some(timeout));
    let names = ["r-done", "r-failed", "r-slow"];
    let began = Instant::now();
    let (ends, snapshots) = wait_all_stamped::<A>(&client, &ids(&names), &options);
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
    for (index, job, _) in &snapshots {
        assert_eq!(
            job.restore_job_id(),
            names[*index],
            "a snapshot under the wrong job"
        );
    }
    // the last snapshot of each is its end, as seen
    let last = |index| snapshots.iter().rev().find(|(i, _, _)| *i == index);
    assert_eq!(
        last(0).map(|(_, j, _)| j.status()),
        Some(&JobStatus::Completed)
    );
    assert_eq!(
        last(1).map(|(_, j, _)| j.status()),
        Some(&JobStatus::Failed)
    );
    // never reported ended before it did: the adapter was handed each ended snapshot no
    // sooner than the server's clock ended that job
    for (index, job, seen) in snapshots
        .iter()
        .filter(|(_, j, _)| j.status().is_terminal())
    {
        let id = names[*index];
        let Some(ended) = server.ended_at(id) else {
            panic!("{id} was handed out ended, and the server's clock never ends it");
        };
        assert!(
            *seen >= ended,
            "{id} was handed out {:?} {:?} before the server ended it",
            job.status(),
            ended - *seen
        );
    }
    // the two that ended were seen in the listing only; the slow one, left alone, described
    assert_eq!(
        (describes(&server, "r-done"), describes(&server, "r-failed")),
        (0, 0)
    );
    assert!(server.stats().list_requests >= 2, "{:?}", server.stats());
    assert!(
        describes(&server, "r-slow") > 3,
        "the slow job was polled on after the others ended"
    );
    // one deadline for all, not one per job; the slack is for a loaded machine, after the
    // deadline only the last answer's handling is left
    assert!(
        took < timeout + Duration::from_secs(1),
        "took {took:?} with a timeout of {timeout:?}"
    );
}

/// A job whose describe keeps failing (404 past the tolerated ones) ends with that error;
/// the other jobs are followed to their own ends.
pub fn a_job_that_cannot_be_described_does_not_stop_the_others<A: Adapter>() {
    let ms = Duration::from_millis;
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .timed_job(TimedJob::new("r-1", ms(300), Ending::Completed))
            .timed_job(TimedJob::new("r-2", ms(400), Ending::Cancelled)),
    );
    let options = WaitOptions::default()
        .interval(ms(10))
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
    // one request at a time: a round walks the listing, then describes the one it lacked
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths[..2],
        ["/restore-jobs", "/restore-jobs/nope"],
        "{paths:?}"
    );
}

/// Backups of one index are followed by that index's listing once each was seen: the first
/// round walks the project's backups, the next ones the index's.
pub fn several_backups_of_one_index_are_followed_by_its_listing<A: Adapter>() {
    let ms = Duration::from_millis;
    let (server, client) = start::<A>(
        FakeControlPlane::builder()
            .backup_initializing_for(FakeBackup::ready("b1").of_index("docs"), ms(200))
            .backup_initializing_for(FakeBackup::ready("b2").of_index("docs"), ms(300))
            .backup_initializing_for(FakeBackup::failed("b3").of_index("docs"), ms(250))
            .backup(FakeBackup::ready("other").of_index("support")),
    );
    let ids: Vec<BackupId> = ["b1", "b2", "b3"]
        .iter()
        .map(|id| BackupId::new(*id).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let options = WaitOptions::default()
        .interval(ms(20))
        .timeout(Some(Duration::from_secs(20)));
    let ends = wait_backups::<A>(&client, &ids, &options);
    assert!(matches!(ends[0], Ok(WaitOutcome::Completed(_))), "{ends:?}");
    assert!(matches!(ends[1], Ok(WaitOutcome::Completed(_))), "{ends:?}");
    assert!(matches!(ends[2], Ok(WaitOutcome::Ended(_))), "{ends:?}");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"/backups"), "{paths:?}");
    assert!(paths.contains(&"/indexes/docs/backups"), "{paths:?}");
    // b1 and b3 ended while others were followed: seen in the listings, never described;
    // b2, left alone, is one describe a round
    assert!(
        !paths.contains(&"/backups/b1") && !paths.contains(&"/backups/b3"),
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
