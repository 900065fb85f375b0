//! Taking, waiting for and retiring backups (issue 28): the create's request and each
//! version's answer against mockito, then against the fake control plane the create's
//! recovery after a lost answer, waits on new backups, each outcome of a delete, and a prune
//! that deletes only what its plan deletes, from complete listings only.

use std::time::Duration;

use mockito::{Matcher, Server};
use pinecone_restore_core::{
    ApiVersion, Backup, BackupId, BackupName, BackupStatus, CreateBackup, Deletion, Retention,
    WaitOptions, WaitOutcome,
};
use pinecone_restore_fake::{Ending, Endpoint, FakeBackup, FakeControlPlane, FakeJob, Fault};

use crate::api::*;
use crate::support::{backup_json, docs, index, started};
use crate::{Adapter, KEY, client, client_with, config, no_key_in};

fn id(text: &str) -> BackupId {
    BackupId::new(text).unwrap_or_else(|e| panic!("{e}"))
}

fn named(name: &str) -> CreateBackup {
    CreateBackup::new(BackupName::new(name).unwrap_or_else(|e| panic!("{e}")))
}

fn quick() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(5))
        .timeout(Some(Duration::from_secs(10)))
}

/// The create sends `{name, description}` as JSON to the index's backups, and takes the
/// version's success: 201 through 2026-04, 200 in 2026-07.
pub fn a_backup_create_sends_its_body_and_takes_each_versions_status<A: Adapter>() {
    for (version, status) in [
        (ApiVersion::V2025_04, 201),
        (ApiVersion::V2025_10, 201),
        (ApiVersion::V2026_04, 201),
        (ApiVersion::V2026_07, 200),
    ] {
        let mut server = Server::new();
        let mock = server
            .mock("POST", "/indexes/docs/backups")
            .match_header("api-key", KEY)
            .match_header("x-pinecone-api-version", version.as_str())
            .match_header("content-type", "application/json")
            .match_body(Matcher::Json(
                serde_json::json!({"name": "n1", "description": "before the migration"}),
            ))
            .with_status(status)
            .with_body(backup_json("bk-1", "docs", "Initializing", None))
            .expect(1)
            .create();
        let client = client_with::<A>(config(&server.url()).api_version(version.as_str()));
        let (backup, recovered) = create_backup::<A>(
            &client,
            &index("docs"),
            &named("n1").description("before the migration"),
        )
        .unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(backup.backup_id(), "bk-1");
        assert_eq!(*backup.status(), BackupStatus::Initializing);
        assert!(!recovered);
        mock.assert();
    }
}

/// A create whose answer is lost after the server took the backup is claimed from the
/// index's listing, not sent again; one whose request never arrived is sent again. Either
/// way one backup.
pub fn a_lost_create_answer_is_claimed_and_never_makes_two<A: Adapter>() {
    for (fault, recovered, requests) in [
        (Fault::ProcessThenDrop, true, 1),
        (Fault::ProcessThenStatus(503), true, 1),
        (Fault::Drop, false, 2),
    ] {
        let server = started(docs());
        server.inject_on(Endpoint::CreateBackup, fault.clone());
        let client = client::<A>(&server.base_url());
        let (backup, was) = create_backup::<A>(&client, &index("docs"), &named("n1"))
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        let made = server.backups_of("docs");
        assert_eq!(made.len(), 1, "{fault:?}: {made:?}");
        assert_eq!(backup.backup_id(), made[0].backup_id, "{fault:?}");
        assert_eq!(was, recovered, "{fault:?}");
        assert_eq!(server.stats().create_backup_requests, requests, "{fault:?}");
    }
}

/// A backup of our name made an hour before our attempts is never claimed: the error names
/// it, and nothing is sent again.
pub fn a_backup_of_the_name_not_surely_ours_is_not_claimed<A: Adapter>() {
    let theirs = FakeBackup {
        name: Some("n1".to_owned()),
        ..FakeBackup::ready("theirs").of_index("docs")
    };
    let server = started(docs().backup_created_ago(theirs, Duration::from_secs(3600)));
    server.inject_on(Endpoint::CreateBackup, Fault::Drop);
    let client = client::<A>(&server.base_url());
    let err = create_backup::<A>(&client, &index("docs"), &named("n1")).unwrap_err();
    no_key_in(&err);
    let candidate = err
        .candidate()
        .unwrap_or_else(|| panic!("a candidate: {err}"));
    assert_eq!(candidate.id(), "theirs");
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (1, 0)
    );
}

/// A new backup is followed to `Ready`; several at once end each their own way.
pub fn new_backups_are_waited_on_to_their_ends<A: Adapter>() {
    let server = started(
        docs()
            .backup_polls(2)
            .backup(FakeBackup::failed("failed").of_index("docs")),
    );
    let client = client::<A>(&server.base_url());
    let (backup, _) =
        create_backup::<A>(&client, &index("docs"), &named("n1")).unwrap_or_else(|e| panic!("{e}"));
    let (outcome, snapshots) = wait_backup::<A>(&client, &id(backup.backup_id()), &quick());
    match outcome {
        Ok(WaitOutcome::Completed(ready)) => assert_eq!(*ready.status(), BackupStatus::Ready),
        other => panic!("{other:?}"),
    }
    let statuses: Vec<&BackupStatus> = snapshots.iter().map(Backup::status).collect();
    assert_eq!(statuses.first(), Some(&&BackupStatus::Initializing));
    assert_eq!(statuses.last(), Some(&&BackupStatus::Ready));

    let ends = wait_backups::<A>(
        &client,
        &[id(backup.backup_id()), id("failed"), id("nowhere")],
        &quick().not_found_tolerance(0),
    );
    assert!(matches!(ends[0], Ok(WaitOutcome::Completed(_))), "{ends:?}");
    assert!(matches!(ends[1], Ok(WaitOutcome::Ended(_))), "{ends:?}");
    assert!(
        ends[2].as_ref().is_err_and(|e| e.is_not_found()),
        "{ends:?}"
    );
}

/// A delete is `Deleted` (202), `AlreadyGone` for a 404 after our own lost attempt, not found
/// for a 404 first, and a 412 (before 2026-07) while a restore from the backup runs.
pub fn a_delete_is_deleted_gone_not_found_or_in_use<A: Adapter>() {
    let plane = || {
        docs()
            .backup(FakeBackup::ready("b1").of_index("docs"))
            .backup(FakeBackup::ready("b2").of_index("docs"))
            .backup(FakeBackup::ready("in-use").of_index("docs"))
            .job(FakeJob {
                backup_id: "in-use".to_owned(),
                ..FakeJob::progressing("rj", u32::MAX, Ending::Completed)
            })
    };
    let server = started(plane());
    let client = client::<A>(&server.base_url());
    assert_eq!(
        delete_backup::<A>(&client, &id("b1")).ok(),
        Some(Deletion::Deleted)
    );
    assert!(server.backup("b1").is_none());
    let gone = delete_backup::<A>(&client, &id("b1")).unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    server.inject_on(Endpoint::DeleteBackup, Fault::ProcessThenDrop);
    assert_eq!(
        delete_backup::<A>(&client, &id("b2")).ok(),
        Some(Deletion::AlreadyGone)
    );
    let in_use = delete_backup::<A>(&client, &id("in-use")).unwrap_err();
    assert_eq!(in_use.status(), Some(412), "{in_use}");
    assert!(server.backup("in-use").is_some());

    // 2026-07 has no 412: the delete goes through
    let server = started(plane());
    let client = client_with::<A>(config(&server.base_url()).api_version("2026-07"));
    assert_eq!(
        delete_backup::<A>(&client, &id("in-use")).ok(),
        Some(Deletion::Deleted)
    );
}

/// `docs`: Ready backups 1, 2, 10 and 40 days old, a failed one, one being taken, and one a
/// running restore uses.
fn aged() -> FakeControlPlane {
    let day = |n: u64| Duration::from_secs(n * 86_400);
    let ready = |id: &str| FakeBackup::ready(id).of_index("docs");
    docs()
        .backup_created_ago(ready("d01"), day(1))
        .backup_created_ago(ready("d02"), day(2))
        .backup_created_ago(ready("d10"), day(10))
        .backup_created_ago(ready("d40"), day(40))
        .backup_created_ago(ready("in-use"), day(50))
        .backup_created_ago(FakeBackup::failed("f20").of_index("docs"), day(20))
        .backup_created_ago(FakeBackup::not_ready("taking").of_index("docs"), day(0))
        .job(FakeJob {
            backup_id: "in-use".to_owned(),
            ..FakeJob::progressing("rj", u32::MAX, Ending::Completed)
        })
}

/// The plan comes from both listings and the server's clock; the prune deletes exactly what
/// it says, in its order, and a second plan deletes nothing.
pub fn a_prune_deletes_what_its_plan_deletes_and_then_nothing<A: Adapter>() {
    let server = started(aged());
    let client = client::<A>(&server.base_url());
    let retention = Retention::newest(1).older_than(Duration::from_secs(5 * 86_400));
    let plan =
        plan_prune::<A>(&client, &index("docs"), &retention).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.server_now.is_some() && !plan.refused);
    let planned: Vec<&str> = plan.to_delete().map(Backup::backup_id).collect();
    assert_eq!(planned, ["d10", "f20", "d40"]);
    let (report, done) = prune::<A>(&client, &plan);
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.failed.is_none() && report.not_tried.is_empty());
    let deleted: Vec<&str> = done.iter().map(|(b, _)| b.backup_id()).collect();
    assert_eq!(deleted, planned);
    let mut left: Vec<String> = server
        .backups_of("docs")
        .into_iter()
        .map(|b| b.backup_id)
        .collect();
    left.sort();
    assert_eq!(left, ["d01", "d02", "in-use", "taking"]);
    let again =
        plan_prune::<A>(&client, &index("docs"), &retention).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.to_delete().count(), 0);
}

/// A listing that fails past its retries gives no plan at all, so nothing is deleted; an age
/// without the server's clock gives a refused plan, which deletes nothing.
pub fn a_prune_without_complete_listings_or_a_clock_deletes_nothing<A: Adapter>() {
    for endpoint in [Endpoint::ListIndexBackups, Endpoint::List] {
        let server = started(aged());
        for _ in 0..3 {
            server.inject_on(endpoint, Fault::Status(503));
        }
        let client = client_with::<A>(config(&server.base_url()).max_retries(2));
        let err = plan_prune::<A>(&client, &index("docs"), &Retention::newest(1)).unwrap_err();
        assert_eq!(err.status(), Some(503), "{endpoint:?}");
        assert_eq!(server.stats().delete_backup_requests, 0);
    }
    let server = started(aged().dates(false));
    let client = client::<A>(&server.base_url());
    let retention = Retention::newest(1).older_than(Duration::from_secs(86_400));
    let plan =
        plan_prune::<A>(&client, &index("docs"), &retention).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.refused && plan.server_now.is_none());
    let (report, done) = prune::<A>(&client, &plan);
    assert!(report.is_ok_and(|r| r.deleted.is_empty()) && done.is_empty());
    assert_eq!(server.stats().delete_backup_requests, 0);
}
