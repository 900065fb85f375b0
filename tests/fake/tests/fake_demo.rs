//! The demo data set's workflows for backups: a prune that deletes a sensible few, a backup
//! taken and followed, a schedule with history (2026-07), and one timestamp form everywhere.

mod fake_support;

use fake_support::{Reply, agent, encode, get, get_version, send};
use pinecone_restore_fake::{
    DEMO_INDEX_AGED_BACKUPS, DEMO_INDEX_SCHEDULED, DEMO_SCHEDULE_ID, FakeControlPlane, FakeServer,
};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const VERSIONS: [&str; 4] = ["2025-04", "2025-10", "2026-04", "2026-07"];

/// Every item of a listing at `path` (which has no query) in `version`, over all its pages.
fn all(server: &FakeServer, path: &str, version: &str) -> Vec<Value> {
    let base = server.base_url();
    let mut items = Vec::new();
    let mut url = format!("{base}{path}?limit=100");
    for _ in 0..100 {
        let reply = get_version(&url, version);
        assert_eq!(reply.status, 200, "{path} {version}: {}", reply.body);
        let page = reply.json();
        items.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["pagination"]["next"].as_str() {
            Some(next) => url = format!("{base}{path}?limit=100&paginationToken={}", encode(next)),
            None => return items,
        }
    }
    panic!("{path}: no last page");
}

fn age_days(created_at: &str) -> f64 {
    let at = OffsetDateTime::parse(created_at, &Rfc3339).unwrap();
    (OffsetDateTime::now_utc() - at).as_seconds_f64() / 86_400.0
}

#[test]
fn keeping_two_and_what_is_under_30_days_old_deletes_the_four_oldest_of_reviews_prod() {
    let server = FakeControlPlane::demo().start().unwrap();
    let mut backups: Vec<(f64, String, String)> = all(
        &server,
        &format!("/indexes/{DEMO_INDEX_AGED_BACKUPS}/backups"),
        "2026-07",
    )
    .iter()
    .map(|b| {
        let text = |k: &str| b[k].as_str().unwrap().to_owned();
        (
            age_days(&text("created_at")),
            text("backup_id"),
            text("status"),
        )
    })
    .collect();
    assert_eq!(backups.len(), 8);
    assert!(backups.iter().all(|(_, _, status)| status == "Ready"));
    // listed in an order that is not by date
    let listed: Vec<f64> = backups.iter().map(|b| b.0).collect();
    assert!(listed.windows(2).any(|w| w[0] > w[1]) && listed.windows(2).any(|w| w[0] < w[1]));
    // the plan of `backups prune --keep 2 --older-than 30d`
    backups.sort_by(|a, b| a.0.total_cmp(&b.0));
    let deleted: Vec<&str> = backups
        .iter()
        .skip(2)
        .filter(|(age, _, _)| *age > 30.0)
        .map(|(_, id, _)| id.as_str())
        .collect();
    assert_eq!(
        deleted,
        [
            "bkp-reviews-w45",
            "bkp-reviews-w44",
            "bkp-reviews-summer",
            "bkp-reviews-spring"
        ]
    );
    let ages: Vec<u64> = backups.iter().map(|b| b.0 as u64).collect();
    assert_eq!(ages, [2, 9, 16, 23, 37, 44, 65, 96]);
    // and the deletes go through (nothing restores from them)
    for id in deleted {
        let reply = send(
            &agent(),
            "DELETE",
            &format!("{}/backups/{id}", server.base_url()),
            &[],
            None,
        );
        assert_eq!(reply.status, 202, "{id}: {}", reply.body);
    }
    assert_eq!(server.backups_of(DEMO_INDEX_AGED_BACKUPS).len(), 4);
}

#[test]
fn a_backup_of_a_demo_index_can_be_taken_and_followed_to_ready() {
    let server = FakeControlPlane::demo().start().unwrap();
    let base = server.base_url();
    let reply = send(
        &agent(),
        "POST",
        &format!("{base}/indexes/{DEMO_INDEX_AGED_BACKUPS}/backups"),
        &[("Content-Type", "application/json")],
        Some(br#"{"name":"before-upgrade"}"#),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let backup = reply.json();
    assert_eq!(backup["cloud"], "gcp", "like the index's other backups");
    let id = backup["backup_id"].as_str().unwrap();
    let status = |reply: Reply| reply.json()["status"].as_str().unwrap().to_owned();
    // Initializing for 3 s on the server's clock, however often it is described
    let statuses: Vec<String> = (0..3)
        .map(|_| status(get(&format!("{base}/backups/{id}"))))
        .collect();
    assert_eq!(statuses, ["Initializing"; 3]);
    let ready_at = server.backup_ended_at(id).unwrap();
    assert!(ready_at > std::time::Instant::now());
    std::thread::sleep(ready_at.saturating_duration_since(std::time::Instant::now()));
    assert_eq!(status(get(&format!("{base}/backups/{id}"))), "Ready");
    assert_eq!(server.backups_of(DEMO_INDEX_AGED_BACKUPS).len(), 9);
}

#[test]
fn the_demo_schedule_has_a_history_in_2026_07() {
    let server = FakeControlPlane::demo().start().unwrap();
    let base = server.base_url();
    let schedules = all(
        &server,
        &format!("/indexes/{DEMO_INDEX_SCHEDULED}/backup-schedules"),
        "2026-07",
    );
    assert_eq!(schedules.len(), 1);
    let schedule = &schedules[0];
    assert_eq!(schedule["schedule_id"], DEMO_SCHEDULE_ID);
    assert_eq!(
        (
            schedule["frequency"].as_str(),
            schedule["enabled"].as_bool()
        ),
        (Some("daily"), Some(true))
    );
    assert!(
        schedule["next_scheduled_run"]
            .as_str()
            .unwrap()
            .ends_with("T06:00:00.000Z")
    );

    let history = all(
        &server,
        &format!("/backup-schedules/{DEMO_SCHEDULE_ID}/history"),
        "2026-07",
    );
    assert_eq!(history[0]["status"], "Scheduled");
    let made: Vec<&Value> = history.iter().skip(1).collect();
    assert!((5..=6).contains(&made.len()), "{history:?}");
    for item in &made {
        assert_eq!(item["status"], "Ready");
        assert!(
            item["name"].as_str().unwrap().starts_with("orders-daily-"),
            "{item}"
        );
        assert!(age_days(item["created_at"].as_str().unwrap()) < 6.0);
    }
    // the index lists them with its manual backup, in every version
    for version in VERSIONS {
        let listed = all(
            &server,
            &format!("/indexes/{DEMO_INDEX_SCHEDULED}/backups"),
            version,
        );
        assert_eq!(listed.len(), made.len() + 1, "{version}");
    }
    // before 2026-07 the schedule is not served
    let reply = get_version(
        &format!("{base}/backup-schedules/{DEMO_SCHEDULE_ID}"),
        "2026-04",
    );
    assert_eq!(reply.status, 404);
}

/// Asserts that `text` is an RFC 3339 timestamp with exactly three fraction digits.
fn assert_three_digits(text: &str, what: &str) {
    let fraction = text.get(19..23).unwrap_or_default();
    assert!(
        fraction.starts_with('.')
            && fraction.bytes().skip(1).all(|b| b.is_ascii_digit())
            && !text
                .get(23..24)
                .unwrap_or_default()
                .bytes()
                .all(|b| b.is_ascii_digit()),
        "{what}: {text}"
    );
    assert!(
        OffsetDateTime::parse(text, &Rfc3339).is_ok(),
        "{what}: {text}"
    );
}

#[test]
fn every_demo_timestamp_has_three_fraction_digits() {
    let server = FakeControlPlane::demo().start().unwrap();
    // a restore and a backup taken, so that the times the fake stamps are there too
    let base = server.base_url();
    let started = send(
        &agent(),
        "POST",
        &format!("{base}/backups/demo-backup/create-index"),
        &[],
        Some(br#"{"name":"stamped"}"#),
    );
    assert_eq!(started.status, 202);
    let id = started.json()["restore_job_id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..5 {
        get(&format!("{base}/restore-jobs/{id}"));
    }
    send(
        &agent(),
        "POST",
        &format!("{base}/indexes/docs-search/backups"),
        &[],
        Some(b"{}"),
    );
    let mut seen = 0;
    for version in VERSIONS {
        let mut check = |items: Vec<Value>, keys: &[&str]| {
            for item in items {
                for key in keys {
                    if let Some(text) = item[*key].as_str() {
                        assert_three_digits(text, &format!("{version} {key} of {item}"));
                        seen += 1;
                    }
                }
            }
        };
        check(
            all(&server, "/restore-jobs", version),
            &["created_at", "completed_at"],
        );
        check(
            all(&server, "/backups", version),
            &["created_at", "source_index_deleted_at"],
        );
        if version == "2026-07" {
            check(
                all(
                    &server,
                    &format!("/indexes/{DEMO_INDEX_SCHEDULED}/backup-schedules"),
                    version,
                ),
                &["created_at", "next_scheduled_run"],
            );
            check(
                all(
                    &server,
                    &format!("/backup-schedules/{DEMO_SCHEDULE_ID}/history"),
                    version,
                ),
                &["created_at", "scheduled_execution_at"],
            );
        }
    }
    assert!(seen > 200, "{seen}");
}
