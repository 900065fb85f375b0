//! Starting restores against the fake: success, every documented refusal, and each retry
//! branch end to end, the lost answers included.

use std::time::Duration;

use pinecone_restore_core::{
    BackupId, CreateIndexFromBackup, DeletionProtection, ErrorCode, IndexName, JobId, RetryPolicy,
    Tags, WaitOptions, WaitOutcome,
};
use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeServer, Fault};

use crate::api::*;
use crate::{Adapter, client, client_with, config};

fn server() -> FakeServer {
    FakeControlPlane::builder()
        .jobs(30)
        .backup(FakeBackup::ready("bkp-ready"))
        .backup(FakeBackup::not_ready("bkp-pending"))
        .index("taken-index")
        .restore_polls(2)
        .start()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn backup(id: &str) -> BackupId {
    BackupId::new(id).unwrap_or_else(|e| panic!("{e}"))
}

fn request(name: &str) -> CreateIndexFromBackup {
    CreateIndexFromBackup::new(IndexName::new(name).unwrap_or_else(|e| panic!("{e}")))
}

/// A restore starts (202), is listed and described; a second start with the same name is a
/// plain conflict, not a recovery.
pub fn a_restore_starts_and_a_second_start_with_the_name_conflicts<A: Adapter>() {
    let server = server();
    let client = client::<A>(&server.base_url());
    let started =
        create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("restored"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(!started.recovered());
    let job = describe::<A>(
        &client,
        &JobId::new(started.restore_job_id()).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(job.backup_id(), "bkp-ready");
    assert_eq!(job.target_index_name(), "restored");
    assert_eq!(job.target_index_id(), started.index_id());

    let err = create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("restored"))
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.code(), Some(&ErrorCode::AlreadyExists));
    let stats = server.stats();
    assert_eq!(
        (
            stats.create_requests,
            stats.list_requests,
            stats.restores_created
        ),
        (2, 0, 1)
    );
}

/// The body core built arrives as JSON, with its content type.
pub fn the_body_and_its_content_type_arrive<A: Adapter>() {
    let server = server();
    let tags = Tags::new()
        .with("team", "search")
        .and_then(|t| t.with("note", "a b"))
        .unwrap_or_else(|e| panic!("{e}"));
    let request = request("with-tags")
        .tags(tags)
        .deletion_protection(DeletionProtection::Enabled);
    create_index_from_backup::<A>(
        &client::<A>(&server.base_url()),
        &backup("bkp-ready"),
        &request,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let recorded = server.requests().remove(0);
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/backups/bkp-ready/create-index");
    assert_eq!(recorded.content_type.as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(recorded.body.as_deref().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        body,
        serde_json::json!({"name": "with-tags", "tags": {"team": "search", "note": "a b"}, "deletion_protection": "enabled"})
    );
}

/// Each documented refusal is the server's API error, sent once.
pub fn every_documented_refusal_is_an_api_error<A: Adapter>() {
    let server = server();
    let client = client::<A>(&server.base_url());
    let expect = |backup_id: &str, name: &str, status: u16, code: &str| {
        let before = server.stats().create_requests;
        let err =
            create_index_from_backup::<A>(&client, &backup(backup_id), &request(name)).unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        assert_eq!(err.code().map(ErrorCode::as_str), Some(code), "{err}");
        assert!(err.api().and_then(|a| a.message()).is_some(), "{err}");
        assert_eq!(
            server.stats().create_requests,
            before + 1,
            "{status} is not retried"
        );
    };
    expect("no-such-backup", "n1", 404, "NOT_FOUND");
    expect("bkp-pending", "n2", 412, "FAILED_PRECONDITION");
    expect("bkp-ready", "taken-index", 409, "ALREADY_EXISTS");
    for (status, code) in [
        (400, "INVALID_ARGUMENT"),
        (402, "PAYMENT_REQUIRED"),
        (403, "FORBIDDEN"),
        (403, "PERMISSION_DENIED"),
        (422, "UNPROCESSABLE_ENTITY"),
    ] {
        server.inject_on(
            Endpoint::CreateIndex,
            Fault::Error {
                status,
                code: code.to_owned(),
                message: format!("refused with {code}"),
            },
        );
        expect("bkp-ready", "n3", status, code);
    }
    assert_eq!(server.stats().list_requests, 0);
}

/// A 503 means the request was not processed: it is sent again, and no lookup is needed.
pub fn a_refusal_to_process_is_retried_safely<A: Adapter>() {
    let server = server();
    server.inject_on(Endpoint::CreateIndex, Fault::Status(503));
    let started = create_index_from_backup::<A>(
        &client::<A>(&server.base_url()),
        &backup("bkp-ready"),
        &request("r503"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!started.recovered());
    let stats = server.stats();
    assert_eq!(
        (
            stats.create_requests,
            stats.list_requests,
            stats.restores_created
        ),
        (2, 0, 1)
    );
}

fn recovered_after<A: Adapter>(fault: Fault, request_timeout: Duration) {
    let server = server();
    server.inject_on(Endpoint::CreateIndex, fault);
    let client = client_with::<A>(config(&server.base_url()).request_timeout(request_timeout));
    let started = create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("lost"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(started.recovered(), "{started:?}");
    let job = server
        .job(started.restore_job_id())
        .unwrap_or_else(|| panic!("the recovered id is not the fake's job"));
    assert_eq!(job.target_index_name, "lost");
    let stats = server.stats();
    assert_eq!(stats.restores_created, 1, "nothing was started twice");
    assert_eq!(
        stats.create_requests, 2,
        "the retry used the same name and got 409"
    );
    assert!(stats.list_requests >= 1, "the 409 was resolved by listing");
}

/// The restore started but the connection dropped before the answer: the retry's 409 is
/// resolved by finding our own restore job.
pub fn a_lost_answer_is_recovered_through_the_409<A: Adapter>() {
    recovered_after::<A>(Fault::ProcessThenDrop, Duration::from_secs(30));
}

/// The restore started but the answer was a 502.
pub fn a_5xx_after_the_restore_started_is_recovered<A: Adapter>() {
    recovered_after::<A>(Fault::ProcessThenStatus(502), Duration::from_secs(30));
}

/// The restore started but the answer never came before the timeout.
pub fn a_timeout_after_the_restore_started_is_recovered<A: Adapter>() {
    recovered_after::<A>(
        Fault::ProcessThenStall(Duration::from_secs(3)),
        Duration::from_millis(500),
    );
}

/// The connection dropped before the request was processed: the retry starts it, plainly.
pub fn a_dropped_request_that_did_not_start_is_retried<A: Adapter>() {
    let server = server();
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let started = create_index_from_backup::<A>(
        &client::<A>(&server.base_url()),
        &backup("bkp-ready"),
        &request("dropped"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!started.recovered());
    let stats = server.stats();
    assert_eq!((stats.create_requests, stats.restores_created), (2, 1));
}

/// Start, then wait until the restore completes.
pub fn a_restore_started_and_waited_on<A: Adapter>() {
    let server = server();
    let client = client::<A>(&server.base_url());
    let started = create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("waited"))
        .unwrap_or_else(|e| panic!("{e}"));
    let id = JobId::new(started.restore_job_id()).unwrap_or_else(|e| panic!("{e}"));
    let (outcome, snapshots) = wait::<A>(
        &client,
        &id,
        &WaitOptions::default().interval(Duration::from_millis(5)),
    );
    assert!(
        matches!(outcome, Ok(WaitOutcome::Completed(_))),
        "{outcome:?}"
    );
    assert_eq!(snapshots.len(), 2);
}

/// A fake whose clock runs `ahead_ms` ahead of ours, with someone else's restore of
/// `bkp-ready` into `idx`, created `ago` before the server started.
fn with_their_restore(ahead_ms: i64, ago: Duration, status: &str) -> FakeControlPlane {
    let theirs = FakeJob {
        backup_id: "bkp-ready".to_owned(),
        target_index_name: "idx".to_owned(),
        status: status.to_owned(),
        ..FakeJob::completed("their-restore")
    };
    FakeControlPlane::builder()
        .jobs(5)
        .backup(FakeBackup::ready("bkp-ready"))
        .job_created_ago(theirs, ago)
        .clock_ahead_ms(ahead_ms)
        .restore_polls(2)
}

/// Someone restored the backup into the name 200 s ago; our first POST gets a 500 that did
/// nothing and the retry a 409: their restore is not claimed, whatever the server's clock.
pub fn someone_elses_earlier_restore_into_the_name_is_not_claimed<A: Adapter>() {
    for ahead_ms in [-3_600_000, 0, 90_000] {
        let server = with_their_restore(ahead_ms, Duration::from_secs(200), "Completed")
            .start()
            .unwrap_or_else(|e| panic!("{e}"));
        server.inject_on(Endpoint::CreateIndex, Fault::Status(500));
        let client = client::<A>(&server.base_url());
        let result = create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("idx"));
        let err = result.expect_err("their restore is not ours");
        assert_eq!(err.status(), Some(409), "{ahead_ms}: {err}");
        assert_eq!(err.code(), Some(&ErrorCode::AlreadyExists));
        let stats = server.stats();
        assert_eq!((stats.create_requests, stats.restores_created), (2, 0));
        assert!(stats.list_requests >= 1, "the 409 was looked up");
    }
}

/// An old, failed restore into the name, whose index was deleted since; both our POSTs are
/// reset before anything is created and the retries run out: the old job is not claimed, the
/// reset is the error.
pub fn the_old_restore_of_a_deleted_index_is_not_claimed<A: Adapter>() {
    let server = with_their_restore(-90_000, Duration::from_secs(3600), "Failed")
        .index_deleted("idx")
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    server.inject_on(Endpoint::CreateIndex, Fault::Drop);
    let mut policy = RetryPolicy::default();
    policy.max_retries = 1;
    policy.base_delay = Duration::from_millis(10);
    policy.max_delay = Duration::from_millis(50);
    policy.min_delay = Duration::from_millis(10);
    let client = client_with::<A>(config(&server.base_url()).retry_policy(policy));
    let result = create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("idx"));
    let err = result.expect_err("the old restore is not ours");
    assert!(err.is_transport(), "the reset is the error: {err:?}");
    let stats = server.stats();
    assert_eq!(
        (
            stats.create_requests,
            stats.restores_created,
            stats.describe_requests
        ),
        (2, 0, 0)
    );
    assert!(
        stats.list_requests >= 1,
        "the ambiguous resets were looked up"
    );
}

/// Our own restore whose answer was lost is found, the server's clock an hour or 90 s off.
pub fn a_lost_answer_is_recovered_whatever_the_server_clock<A: Adapter>() {
    for ahead_ms in [-3_600_000, -90_000, 90_000, 3_600_000] {
        let server = with_their_restore(ahead_ms, Duration::from_secs(20), "Completed")
            .start()
            .unwrap_or_else(|e| panic!("{e}"));
        server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
        let client = client::<A>(&server.base_url());
        let started =
            create_index_from_backup::<A>(&client, &backup("bkp-ready"), &request("lost"))
                .unwrap_or_else(|e| panic!("{ahead_ms}: {e}"));
        assert!(started.recovered(), "{started:?}");
        let job = server
            .job(started.restore_job_id())
            .unwrap_or_else(|| panic!("the recovered id is not the fake's job"));
        assert_eq!(job.target_index_name, "lost");
        assert_eq!(server.stats().restores_created, 1);
    }
}
