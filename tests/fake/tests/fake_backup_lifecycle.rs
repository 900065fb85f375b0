//! Backups taken through the API (`POST /indexes/{index_name}/backups`): each version's status
//! and shape, progress by describes, failures, the checks in order, the quota, faults.

mod fake_support;

use std::collections::HashSet;
use std::time::Duration;

use fake_support::{Ended, Reply, agent, get, get_version, raw_exchange, raw_request, send};
use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, FakeJob, FakeServer, Fault};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const VERSIONS: [&str; 4] = ["2025-04", "2025-10", "2026-04", "2026-07"];

/// A fake with two backups of `docs` (on GCP) and the index `empty` without backups.
fn server() -> FakeServer {
    let gcp = |id: &str| FakeBackup {
        cloud: "gcp".to_owned(),
        region: "us-central1".to_owned(),
        ..FakeBackup::ready(id).of_index("docs")
    };
    FakeControlPlane::builder()
        .backups([gcp("docs-1"), gcp("docs-2")])
        .index("empty")
        .start()
        .unwrap()
}

/// `POST /indexes/{index}/backups` with `body`, in `version`.
fn create(server: &FakeServer, index: &str, body: &str, version: &str) -> Reply {
    send(
        &agent(),
        "POST",
        &format!("{}/indexes/{index}/backups", server.base_url()),
        &[
            ("Content-Type", "application/json"),
            ("X-Pinecone-Api-Version", version),
        ],
        Some(body.as_bytes()),
    )
}

fn ids(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["backup_id"].as_str().unwrap().to_owned())
        .collect()
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<_> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
}

fn instant(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn a_backup_is_created_in_each_versions_status_and_shape_and_listed_at_once() {
    let server = server();
    let base = server.base_url();
    for version in VERSIONS {
        let reply = create(
            &server,
            "docs",
            r#"{"name":"before-upgrade","description":"Before the upgrade"}"#,
            version,
        );
        let expected = if version == "2026-07" { 200 } else { 201 };
        assert_eq!(reply.status, expected, "{version}: {}", reply.body);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let backup = reply.json();
        let id = backup["backup_id"].as_str().unwrap().to_owned();
        assert!(is_uuid(&id), "{backup}");
        assert_eq!(backup["status"], "Initializing", "{version}");
        assert_eq!(backup["name"], "before-upgrade");
        assert_eq!(backup["description"], "Before the upgrade");
        assert_eq!(backup["source_index_name"], "docs");
        let sibling = server.backup("docs-1").unwrap();
        assert_eq!(backup["source_index_id"], sibling.source_index_id.as_str());
        assert_eq!(
            (backup["cloud"].as_str(), backup["region"].as_str()),
            (Some("gcp"), Some("us-central1"))
        );
        // the version's model
        if version == "2026-07" {
            assert!(backup.get("dimension").is_none(), "{backup}");
            assert!(
                backup["schema"]["fields"]["embedding"].is_object(),
                "{backup}"
            );
        } else {
            assert_eq!(backup["dimension"], 1536, "{backup}");
            assert!(backup.get("schema").is_none(), "{backup}");
        }
        // created now, in the crate's one timestamp form
        let created = backup["created_at"].as_str().unwrap();
        assert!(created.len() == 24 && created.ends_with('Z'), "{created}");
        let age = OffsetDateTime::now_utc() - instant(created);
        assert!(age.abs() < time::Duration::seconds(5), "{created}");

        // listed at once, project-wide and per index, and described
        assert!(ids(&get_version(&format!("{base}/backups?limit=100"), version)).contains(&id));
        let listed = ids(&get_version(
            &format!("{base}/indexes/docs/backups"),
            version,
        ));
        assert_eq!(listed.last(), Some(&id), "listed last, in the order added");
        let described = get_version(&format!("{base}/backups/{id}"), version);
        assert_eq!(described.status, 200);
        assert_eq!(
            described.json(),
            backup,
            "{version}: the describe shows what the create did"
        );
    }
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (4, 4)
    );
    assert_eq!(server.backups_of("docs").len(), 6);
}

#[test]
fn names_are_not_unique_and_a_backup_may_have_none() {
    let server = server();
    for _ in 0..2 {
        let reply = create(&server, "docs", r#"{"name":"nightly"}"#, "2026-07");
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let unnamed = create(&server, "empty", "{}", "2025-04");
    assert_eq!(unnamed.status, 201, "{}", unnamed.body);
    let backup = unnamed.json();
    assert!(
        backup.get("name").is_none() && backup.get("description").is_none(),
        "{backup}"
    );

    let nightly: Vec<_> = server
        .backups_of("docs")
        .into_iter()
        .filter(|b| b.name.as_deref() == Some("nightly"))
        .collect();
    assert_eq!(nightly.len(), 2);
    assert_ne!(nightly[0].backup_id, nightly[1].backup_id);
    let all: HashSet<String> = server
        .backups_of("docs")
        .into_iter()
        .chain(server.backups_of("empty"))
        .map(|b| b.backup_id)
        .collect();
    assert_eq!(all.len(), 5);
    // an index without backups gets defaults: its own name and id, no tags
    let empty = server.backups_of("empty");
    assert_eq!(empty.len(), 1);
    assert!(empty[0].tags.is_empty());
    assert_eq!(
        empty[0].source_index_id,
        FakeBackup::ready("x").of_index("empty").source_index_id
    );
}

#[test]
fn a_new_backup_is_initializing_for_its_first_describes_then_ready() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .backup_polls(2)
        .start()
        .unwrap();
    let base = server.base_url();
    let id = create(&server, "docs", "{}", "2025-04").json()["backup_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed =
        || get(&format!("{base}/indexes/docs/backups")).json()["data"][0]["status"].clone();
    let described = || get(&format!("{base}/backups/{id}")).json()["status"].clone();
    // a listing shows the status as it is and advances nothing
    for _ in 0..3 {
        assert_eq!(listed(), "Initializing");
    }
    assert_eq!(described(), "Initializing");
    assert_eq!(listed(), "Initializing");
    assert_eq!(described(), "Initializing");
    // the describe after the first two: Ready, and a listing agrees already
    assert_eq!(listed(), "Ready");
    assert_eq!(server.backup(&id).unwrap().status, "Ready");
    assert_eq!(described(), "Ready");
    assert_eq!(described(), "Ready");

    // with 0 it is Ready at once, in the create's own answer
    let instant = FakeControlPlane::builder()
        .index("docs")
        .backup_polls(0)
        .start()
        .unwrap();
    let reply = create(&instant, "docs", "{}", "2026-07");
    assert_eq!(reply.json()["status"], "Ready");
}

#[test]
fn a_failing_backup_reads_failed_or_initialization_failed_by_version() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .backup_polls(1)
        .backup_failures(true)
        .start()
        .unwrap();
    let base = server.base_url();
    let id = create(&server, "docs", "{}", "2026-07").json()["backup_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        get(&format!("{base}/backups/{id}")).json()["status"],
        "Initializing"
    );
    for version in VERSIONS {
        let expected = if version == "2026-07" {
            "InitializationFailed"
        } else {
            "Failed"
        };
        let described = get_version(&format!("{base}/backups/{id}"), version).json();
        assert_eq!(described["status"], expected, "{version}");
        let listed = get_version(&format!("{base}/backups"), version).json();
        assert_eq!(listed["data"][0]["status"], expected, "{version}");
    }
    assert_eq!(server.backup(&id).unwrap().status, "Failed");
    // a failed backup cannot be restored
    let reply = send(
        &agent(),
        "POST",
        &format!("{base}/backups/{id}/create-index"),
        &[],
        Some(br#"{"name":"from-failed"}"#),
    );
    assert_eq!(reply.status, 412, "{}", reply.body);

    // with 0 describes it has failed at once
    let at_once = FakeControlPlane::builder()
        .index("docs")
        .backup_polls(0)
        .backup_failures(true)
        .start()
        .unwrap();
    assert_eq!(
        create(&at_once, "docs", "{}", "2026-04").json()["status"],
        "Failed"
    );
    assert_eq!(
        create(&at_once, "docs", "{}", "2026-07").json()["status"],
        "InitializationFailed"
    );
}

#[test]
fn a_backup_can_be_taken_of_every_index_that_exists_and_of_no_other() {
    let target = FakeJob {
        target_index_name: "job-target".to_owned(),
        ..FakeJob::completed("j")
    };
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b").of_index("docs"))
        .backup(
            FakeBackup::ready("old")
                .of_index("gone")
                .source_deleted("2025-06-01T00:00:00.000Z"),
        )
        .index("empty")
        .index_deleted("dropped")
        .job(target)
        .start()
        .unwrap();
    for version in VERSIONS {
        for index in ["docs", "empty", "job-target"] {
            let reply = create(&server, index, "{}", version);
            assert!(
                reply.status == 200 || reply.status == 201,
                "{index} {version}: {}",
                reply.body
            );
        }
        for index in ["nope", "gone", "dropped"] {
            let reply = create(&server, index, "{}", version);
            assert_eq!(reply.status, 404, "{index} {version}: {}", reply.body);
            assert_eq!(
                reply.json(),
                serde_json::json!({
                    "error": {"code": "NOT_FOUND", "message": format!("Index {index} not found.")},
                    "status": 404,
                })
            );
        }
    }
    // the job target's backup carries the index id the job names
    let job_target = server.backups_of("job-target");
    assert_eq!(
        job_target[0].source_index_id,
        server.job("j").unwrap().target_index_id
    );
    // an index a restore made can be backed up, with the id the restore answered
    let started = send(
        &agent(),
        "POST",
        &format!("{}/backups/b/create-index", server.base_url()),
        &[],
        Some(br#"{"name":"restored"}"#),
    );
    assert_eq!(started.status, 202);
    let reply = create(&server, "restored", "{}", "2025-04");
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.json()["source_index_id"], started.json()["index_id"]);
    // the index name is percent-decoded from its path segment
    let odd = FakeControlPlane::builder().index("a b").start().unwrap();
    assert_eq!(create(&odd, "a%20b", "{}", "2025-04").status, 201);
    assert_eq!(create(&odd, "a%zz", "{}", "2025-04").status, 400);
    assert_eq!(server.stats().backups_created, 13);
}

#[test]
fn a_body_of_the_wrong_shape_is_422_and_a_bad_name_400_in_2026_07_only() {
    let server = server();
    for version in VERSIONS {
        for (body, problem) in [
            ("", "EOF while parsing"),
            ("not json", "expected"),
            ("[]", "invalid type: sequence"),
            (
                r#"{"name":5}"#,
                "invalid type: integer `5`, expected a string",
            ),
            (r#"{"description":["x"]}"#, "invalid type: sequence"),
        ] {
            let reply = create(&server, "docs", body, version);
            assert_eq!(reply.status, 422, "{version} {body}: {}", reply.body);
            assert_eq!(reply.code(), "UNPROCESSABLE_ENTITY");
            let message = reply.json()["error"]["message"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(
                message.starts_with("Failed to deserialize the JSON body into the target type: ")
                    && message.contains(problem),
                "{message}"
            );
        }
        for name in [
            "",
            "Upper",
            "under_score",
            "-dash",
            "dash-",
            &"a".repeat(46),
        ] {
            let reply = create(&server, "docs", &format!(r#"{{"name":"{name}"}}"#), version);
            if version == "2026-07" {
                assert_eq!(reply.status, 400, "{name}: {}", reply.body);
                assert_eq!(reply.code(), "INVALID_ARGUMENT");
                let message = reply.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                assert!(message.starts_with("Invalid backup name `"), "{message}");
            } else {
                assert_eq!(reply.status, 201, "{version} {name}: {}", reply.body);
                assert_eq!(reply.json()["name"], name);
            }
        }
    }
    // the body before the index: a bad body for an unknown index is still 422
    assert_eq!(create(&server, "nope", "[]", "2026-07").status, 422);
    assert_eq!(
        create(&server, "nope", r#"{"name":"A"}"#, "2026-07").status,
        400
    );
    assert_eq!(
        server.stats().backups_created,
        18,
        "6 names in each of 3 versions"
    );
}

#[test]
fn a_full_quota_is_403_until_a_backup_is_gone() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("a").of_index("docs"))
        .backup(
            FakeBackup::ready("b")
                .of_index("gone")
                .source_deleted("2025-06-01T00:00:00.000Z"),
        )
        .backup_quota(3)
        .start()
        .unwrap();
    assert_eq!(create(&server, "docs", "{}", "2025-04").status, 201);
    for version in VERSIONS {
        let reply = create(&server, "docs", "{}", version);
        assert_eq!(reply.status, 403, "{version}: {}", reply.body);
        assert_eq!(reply.code(), "FORBIDDEN");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.starts_with("Backup quota exceeded"), "{message}");
        assert!(
            message.ends_with("Increase your quota or upgrade to create more backups."),
            "{message}"
        );
    }
    // an unknown index is 404 before the quota is looked at
    assert_eq!(create(&server, "nope", "{}", "2025-04").status, 404);
    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (6, 1)
    );
    assert_eq!(server.backups_of("docs").len(), 2);
}

#[test]
fn faults_on_create_backup_and_the_ones_that_create_anyway() {
    let server = server();
    let count = || server.backups_of("docs").len();
    // faults that answer instead: nothing is created
    for fault in [
        Fault::Status(503),
        Fault::TooManyRequests {
            retry_after: "1".to_owned(),
        },
        Fault::HtmlBadGateway,
        Fault::EmptyBody(500),
        Fault::Unauthorized,
        Fault::TextUnauthorized,
        Fault::Error {
            status: 403,
            code: "PERMISSION_DENIED".to_owned(),
            message: "Your organization's plan does not include backups.".to_owned(),
        },
    ] {
        server.inject_on(Endpoint::CreateBackup, fault.clone());
        let reply = create(&server, "docs", "{}", "2025-04");
        assert!(reply.status >= 400, "{fault:?}: {}", reply.status);
    }
    assert_eq!(count(), 2);
    // other endpoints do not use the queue up
    server.inject_on(Endpoint::CreateBackup, Fault::Status(500));
    assert_eq!(get(&format!("{}/backups", server.base_url())).status, 200);
    assert_eq!(create(&server, "docs", "{}", "2025-04").status, 500);

    let raw = |fault: Fault| {
        server.inject_on(Endpoint::CreateBackup, fault);
        raw_exchange(
            server.addr(),
            &raw_request("POST", "/indexes/docs/backups", "{}"),
            Duration::from_secs(5),
        )
    };
    let dropped = raw(Fault::Drop);
    assert!(dropped.received.is_empty() && dropped.ended != Ended::TimedOut);
    let stalled = raw(Fault::Stall(Duration::from_millis(200)));
    assert!(stalled.received.is_empty() && stalled.elapsed >= Duration::from_millis(200));
    assert_eq!(count(), 2, "neither Drop nor Stall creates");

    // the ProcessThen faults create the backup, then replace the answer
    let gone = raw(Fault::ProcessThenDrop);
    assert!(gone.received.is_empty() && gone.ended != Ended::TimedOut);
    assert_eq!(count(), 3);
    let slow = raw(Fault::ProcessThenStall(Duration::from_millis(200)));
    assert!(slow.received.is_empty() && slow.elapsed >= Duration::from_millis(200));
    assert_eq!(count(), 4);
    server.inject_on(Endpoint::CreateBackup, Fault::ProcessThenStatus(504));
    let reply = create(&server, "docs", r#"{"name":"lost-answer"}"#, "2026-07");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (504, "DEADLINE_EXCEEDED")
    );
    let names: Vec<Option<String>> = server
        .backups_of("docs")
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names.len(), 5);
    assert_eq!(names.last(), Some(&Some("lost-answer".to_owned())));

    let stats = server.stats();
    assert_eq!(
        (stats.create_backup_requests, stats.backups_created),
        (13, 3)
    );
}

#[test]
fn the_api_key_comes_before_the_body() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .api_key(Some("secret"))
        .start()
        .unwrap();
    let url = format!("{}/indexes/docs/backups", server.base_url());
    let with_key = |key: &str, body: &str| {
        send(
            &agent(),
            "POST",
            &url,
            &[("Api-Key", key)],
            Some(body.as_bytes()),
        )
        .status
    };
    assert_eq!(with_key("wrong", "garbage"), 401);
    assert_eq!(with_key("secret", "garbage"), 422);
    assert_eq!(with_key("secret", "{}"), 201);
    assert_eq!(server.stats().create_backup_requests, 3);
}

/// `DELETE /backups/{id}` in `version`.
fn delete(server: &FakeServer, id: &str, version: &str) -> Reply {
    send(
        &agent(),
        "DELETE",
        &format!("{}/backups/{id}", server.base_url()),
        &[("X-Pinecone-Api-Version", version)],
        None,
    )
}

#[test]
fn a_deleted_backup_is_202_with_no_body_and_gone_everywhere() {
    let server = server();
    let base = server.base_url();
    for version in VERSIONS {
        let id = create(&server, "docs", "{}", version).json()["backup_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let reply = delete(&server, &id, version);
        assert_eq!(reply.status, 202, "{version}: {}", reply.body);
        assert_eq!(reply.body, "", "{version}");
        assert!(reply.header("x-pinecone-request-id").is_some());
        assert!(!ids(&get_version(&format!("{base}/backups"), version)).contains(&id));
        assert!(
            !ids(&get_version(
                &format!("{base}/indexes/docs/backups"),
                version
            ))
            .contains(&id)
        );
        assert_eq!(
            get_version(&format!("{base}/backups/{id}"), version).status,
            404
        );
        assert!(server.backup(&id).is_none());
        // a second delete, and an id that never was, are 404
        for gone in [id.as_str(), "never-was"] {
            let again = delete(&server, gone, version);
            assert_eq!(again.status, 404, "{version}");
            assert_eq!(
                again.json(),
                serde_json::json!({
                    "error": {"code": "NOT_FOUND", "message": format!("Backup {gone} not found.")},
                    "status": 404,
                })
            );
        }
    }
    // a seeded backup too; the rest keep their order, the index still exists
    assert_eq!(delete(&server, "docs-1", "2025-04").status, 202);
    assert_eq!(
        ids(&get(&format!("{base}/indexes/docs/backups"))),
        ["docs-2"]
    );
    assert_eq!(delete(&server, "docs-2", "2025-04").status, 202);
    let empty = get(&format!("{base}/indexes/docs/backups"));
    assert_eq!(
        (empty.status, empty.json()["data"].clone()),
        (200, serde_json::json!([]))
    );
    // a deleted backup cannot be restored
    let reply = send(
        &agent(),
        "POST",
        &format!("{base}/backups/docs-1/create-index"),
        &[],
        Some(br#"{"name":"from-deleted"}"#),
    );
    assert_eq!(reply.status, 404);
    // ids are percent-decoded
    let odd = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b/1 x"))
        .start()
        .unwrap();
    assert_eq!(delete(&odd, "b%2F1%20x", "2025-04").status, 202);
    assert_eq!(delete(&odd, "b%zz", "2025-04").status, 400);

    let stats = server.stats();
    assert_eq!(
        (stats.delete_backup_requests, stats.backups_deleted),
        (14, 6)
    );
}

#[test]
fn a_pending_restore_holds_its_backup_until_2026_07() {
    let waiting = |status: &str, id: &str| FakeJob {
        backup_id: "held".to_owned(),
        status: status.to_owned(),
        ..FakeJob::completed(id)
    };
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("held").of_index("docs"))
        .backup(FakeBackup::ready("free").of_index("docs"))
        .job(waiting("Pending", "their-restore"))
        .job(waiting("Failed", "failed-restore"))
        .job(waiting("Cancelled", "cancelled-restore"))
        .restore_polls(2)
        .start()
        .unwrap();
    let base = server.base_url();
    let started = send(
        &agent(),
        "POST",
        &format!("{base}/backups/held/create-index"),
        &[],
        Some(br#"{"name":"restoring"}"#),
    );
    assert_eq!(started.status, 202);
    let ours = started.json()["restore_job_id"]
        .as_str()
        .unwrap()
        .to_owned();
    for version in ["2025-04", "2025-10", "2026-04"] {
        let reply = delete(&server, "held", version);
        assert_eq!(reply.status, 412, "{version}: {}", reply.body);
        assert_eq!(reply.code(), "FAILED_PRECONDITION");
        assert_eq!(
            reply.json()["error"]["message"],
            format!(
                "Unable to delete backup. There are pending restore jobs for this backup: \
                 ['{ours}', 'their-restore']"
            )
        );
    }
    // other backups are not held
    assert_eq!(delete(&server, "free", "2025-04").status, 202);
    // our restore completes on its second describe; theirs is still pending
    for _ in 0..2 {
        get(&format!("{base}/restore-jobs/{ours}"));
    }
    let reply = delete(&server, "held", "2025-10");
    assert_eq!(reply.status, 412);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("['their-restore']"),
        "{}",
        reply.body
    );
    assert!(server.backup("held").is_some());
    // 2026-07 does not wait
    assert_eq!(delete(&server, "held", "2026-07").status, 202);
    assert!(server.backup("held").is_none());
    assert_eq!(server.stats().backups_deleted, 2);
}

#[test]
fn faults_on_delete_backup_and_the_ones_that_delete_anyway() {
    let server = FakeControlPlane::builder()
        .backups((0..5).map(|i| FakeBackup::ready(&format!("b{i}")).of_index("docs")))
        .start()
        .unwrap();
    let count = || server.backups_of("docs").len();
    let raw = |fault: Fault, id: &str| {
        server.inject_on(Endpoint::DeleteBackup, fault);
        raw_exchange(
            server.addr(),
            &raw_request("DELETE", &format!("/backups/{id}"), ""),
            Duration::from_secs(5),
        )
    };
    server.inject_on(Endpoint::DeleteBackup, Fault::Status(503));
    assert_eq!(
        get(&format!("{}/backups/b0", server.base_url())).status,
        200,
        "not its endpoint"
    );
    assert_eq!(delete(&server, "b0", "2025-04").status, 503);
    let dropped = raw(Fault::Drop, "b0");
    assert!(dropped.received.is_empty() && dropped.ended != Ended::TimedOut);
    assert_eq!(count(), 5, "neither deleted");

    let gone = raw(Fault::ProcessThenDrop, "b0");
    assert!(gone.received.is_empty() && gone.ended != Ended::TimedOut);
    assert!(server.backup("b0").is_none());
    let slow = raw(Fault::ProcessThenStall(Duration::from_millis(150)), "b1");
    assert!(slow.received.is_empty() && slow.elapsed >= Duration::from_millis(150));
    assert!(server.backup("b1").is_none());
    server.inject_on(Endpoint::DeleteBackup, Fault::ProcessThenStatus(500));
    let reply = delete(&server, "b2", "2026-07");
    assert_eq!((reply.status, reply.code().as_str()), (500, "UNKNOWN"));
    assert!(server.backup("b2").is_none());
    // the retry a client makes after the lost answer: 404, the backup is gone
    assert_eq!(delete(&server, "b2", "2026-07").status, 404);
    assert_eq!(count(), 2);
    let stats = server.stats();
    assert_eq!(
        (stats.delete_backup_requests, stats.backups_deleted),
        (6, 3)
    );
}

#[test]
fn deleting_a_backup_makes_room_in_the_quota() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("a").of_index("docs"))
        .backup_quota(1)
        .start()
        .unwrap();
    assert_eq!(create(&server, "docs", "{}", "2026-07").status, 403);
    assert_eq!(delete(&server, "a", "2026-07").status, 202);
    assert_eq!(create(&server, "docs", "{}", "2026-07").status, 200);
    assert_eq!(create(&server, "docs", "{}", "2026-07").status, 403);
}

#[test]
fn a_new_backup_and_schedule_are_dated_on_the_servers_clock() {
    for ahead_ms in [-3_600_000_i64, 90_000] {
        let server = FakeControlPlane::builder()
            .index("docs")
            .clock_ahead_ms(ahead_ms)
            .start()
            .unwrap();
        let expected = OffsetDateTime::now_utc() + time::Duration::milliseconds(ahead_ms);
        let backup = create(&server, "docs", "{}", "2026-07").json();
        let created = instant(backup["created_at"].as_str().unwrap());
        assert!(
            (created - expected).abs() < time::Duration::seconds(5),
            "{ahead_ms}: {backup}"
        );
        let schedule = send(
            &agent(),
            "POST",
            &format!("{}/indexes/docs/backup-schedules", server.base_url()),
            &[("X-Pinecone-Api-Version", "2026-07")],
            Some(
                br#"{"name":"n","schedule":{"type":"time-based","frequency":"daily"},
                    "retention":{"expire_after_days":7}}"#,
            ),
        );
        assert_eq!(schedule.status, 200, "{}", schedule.body);
        let created = instant(schedule.json()["created_at"].as_str().unwrap());
        assert!(
            (created - expected).abs() < time::Duration::seconds(5),
            "{ahead_ms}"
        );
    }
}
