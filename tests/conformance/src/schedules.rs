//! Backup schedules (API 2026-07): against mockito the exact requests of every endpoint (the
//! create's body, an update of only what changes, a delete's 204, listings and histories
//! walked over encoded tokens) and the key kept out of every error; under earlier versions
//! every operation refused before anything is sent; then against the fake control plane a
//! schedule's whole life, the API's refusals, the retry-safe create after a lost answer, a
//! lost delete, and the backups a schedule makes as the server's clock passes its runs.

use std::time::Duration;

use mockito::{Matcher, Server};
use pinecone_restore_core::{
    ApiVersion, Backup, BackupId, BackupSchedule, BackupStatus, CreateSchedule, Deletion, Error,
    ErrorCode, Frequency, OffsetDateTime, RetainDays, ScheduleId, ScheduleName, Unclaimed,
    UpdateSchedule, format_utc,
};
use pinecone_restore_fake::{Endpoint, FakeSchedule, Fault, Frequency as FakeFrequency};
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use crate::api::*;
use crate::support::{docs, index, limit, started};
use crate::{Adapter, KEY, client_with, config, no_key_in};

/// The version schedules need.
const V2026_07: &str = "2026-07";

fn id(text: &str) -> ScheduleId {
    ScheduleId::new(text).unwrap_or_else(|e| panic!("{e}"))
}

fn days(n: u32) -> RetainDays {
    RetainDays::new(n).unwrap_or_else(|e| panic!("{e}"))
}

fn named(name: &str, frequency: Frequency, retain: u32) -> CreateSchedule {
    CreateSchedule::new(
        ScheduleName::new(name).unwrap_or_else(|e| panic!("{e}")),
        frequency,
        days(retain),
    )
}

fn at(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn utc(at: OffsetDateTime) -> String {
    format_utc(at).unwrap_or_else(|e| panic!("{e}"))
}

/// A client of adapter `A` for `base`, in API 2026-07.
fn client_2026_07<A: Adapter>(base: &str) -> A::Client {
    client_with::<A>(config(base).api_version(V2026_07))
}

/// A schedule as the API sends it; a disabled one leaves `next_scheduled_run` out, as the
/// spec's own example of an update's answer does.
fn schedule_json(id: &str, name: &str, frequency: &str, days: u32, enabled: bool) -> String {
    let next = if enabled {
        r#","next_scheduled_run":"2026-07-02T06:00:00.000Z""#
    } else {
        ""
    };
    format!(
        r#"{{"schedule_id":{},"name":"{name}","index_id":"ix-docs","project_id":"proj-1","schedule_type":"time-based","frequency":"{frequency}","retention_expire_after_days":{days},"enabled":{enabled}{next},"created_at":"2026-07-01T18:22:56.712605+00:00"}}"#,
        serde_json::Value::from(id)
    )
}

/// A history item as the API sends it: `Scheduled` with when it runs, or `Ready`.
fn history_json(backup_id: &str, scheduled_for: Option<&str>) -> String {
    let (status, extra) = match scheduled_for {
        Some(run) => ("Scheduled", format!(r#","scheduled_execution_at":"{run}""#)),
        None => (
            "Ready",
            r#","record_count":120000,"size_bytes":10000000"#.to_owned(),
        ),
    };
    format!(
        r#"{{"backup_id":"{backup_id}","source_index_id":"ix-docs","source_index_name":"docs","name":"nightly-{backup_id}","status":"{status}","cloud":"aws","region":"us-east-1","created_at":"2026-07-01T06:00:01.000Z"{extra}}}"#
    )
}

/// A page of `items` (JSON objects) with `next`, or without `pagination` on the last page
/// (as 2026-07 may send it).
fn page_json(items: &[String], next: Option<&str>) -> String {
    match next {
        Some(t) => format!(
            r#"{{"data":[{}],"pagination":{{"next":{}}}}}"#,
            items.join(","),
            serde_json::Value::from(t)
        ),
        None => format!(r#"{{"data":[{}]}}"#, items.join(",")),
    }
}

fn schedule_ids(schedules: &[BackupSchedule]) -> Vec<&str> {
    schedules.iter().map(BackupSchedule::schedule_id).collect()
}

fn backup_ids(backups: &[Backup]) -> Vec<&str> {
    backups.iter().map(Backup::backup_id).collect()
}

/// The create sends `POST /indexes/docs/backup-schedules` with the key, version 2026-07 and
/// `{name, schedule: {type, frequency}, retention: {expire_after_days}}` as JSON, for every
/// frequency, and takes the 200's schedule. A 409 to a first attempt is the API's error, and
/// nothing is looked up.
pub fn a_schedule_create_sends_its_body_and_takes_200<A: Adapter>() {
    for (frequency, retain) in [
        (Frequency::Daily, 7),
        (Frequency::Weekly, 30),
        (Frequency::Monthly, 365),
    ] {
        let mut server = Server::new();
        let body = json!({
            "name": "nightly",
            "schedule": {"type": "time-based", "frequency": frequency.as_str()},
            "retention": {"expire_after_days": retain},
        });
        let mock = server
            .mock("POST", "/indexes/docs/backup-schedules")
            .match_header("api-key", KEY)
            .match_header("x-pinecone-api-version", V2026_07)
            .match_header("content-type", "application/json")
            .match_body(Matcher::Json(body))
            .with_status(200)
            .with_header("content-type", "application/json")
            .with_body(schedule_json(
                "s-1",
                "nightly",
                frequency.as_str(),
                retain,
                true,
            ))
            .expect(1)
            .create();
        let client = client_2026_07::<A>(&server.url());
        let (schedule, recovered) = create_schedule::<A>(
            &client,
            &index("docs"),
            &named("nightly", frequency.clone(), retain),
        )
        .unwrap_or_else(|e| panic!("{frequency}: {e}"));
        assert!(!recovered, "{frequency}");
        assert_eq!(
            (
                schedule.schedule_id(),
                schedule.name(),
                schedule.frequency()
            ),
            ("s-1", "nightly", &frequency)
        );
        assert_eq!(schedule.retention_expire_after_days(), retain);
        assert_eq!(
            (
                schedule.schedule_type(),
                schedule.index_id(),
                schedule.enabled()
            ),
            ("time-based", "ix-docs", true)
        );
        assert_eq!(
            schedule.next_scheduled_run(),
            Some(at("2026-07-02T06:00:00Z"))
        );
        assert_eq!(
            schedule.created_at(),
            at("2026-07-01T18:22:56.712605+00:00")
        );
        mock.assert();
    }

    let mut server = Server::new();
    let conflict = server
        .mock("POST", "/indexes/docs/backup-schedules")
        .with_status(409)
        .with_header("content-type", "application/json")
        .with_body(r#"{"error":{"code":"ALREADY_EXISTS","message":"This index already has an enabled backup schedule."},"status":409}"#)
        .expect(1)
        .create();
    let lookup = server
        .mock(
            "GET",
            Matcher::Regex("^/indexes/docs/backup-schedules".into()),
        )
        .expect(0)
        .create();
    let err = create_schedule::<A>(
        &client_2026_07::<A>(&server.url()),
        &index("docs"),
        &named("nightly", Frequency::Daily, 7),
    )
    .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert_eq!(err.code(), Some(&ErrorCode::AlreadyExists), "{err}");
    assert!(err.candidate().is_none(), "{err}");
    no_key_in(&err);
    conflict.assert();
    lookup.assert();
}

/// Describe, update and delete put the id, encoded, into one path segment. An update sends
/// `PATCH` with only the fields given (a disabled schedule's answer may leave
/// `next_scheduled_run` out); a delete sends `DELETE` and takes 204; a first delete answered
/// 404 is the API's error, sent once.
pub fn an_update_sends_only_what_changes_and_a_delete_takes_204<A: Adapter>() {
    let mut server = Server::new();
    let path = "/backup-schedules/s%2F1%20x";
    let described = server
        .mock("GET", path)
        .match_header("api-key", KEY)
        .match_header("x-pinecone-api-version", V2026_07)
        .with_body(schedule_json("s/1 x", "nightly", "daily", 7, true))
        .expect(1)
        .create();
    let disabled = server
        .mock("PATCH", path)
        .match_header("api-key", KEY)
        .match_header("x-pinecone-api-version", V2026_07)
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(json!({"enabled": false})))
        .with_body(schedule_json("s/1 x", "nightly", "daily", 7, false))
        .expect(1)
        .create();
    let changed = server
        .mock("PATCH", path)
        .match_body(Matcher::Json(
            json!({"frequency": "weekly", "retention": {"expire_after_days": 30}}),
        ))
        .with_body(schedule_json("s/1 x", "nightly", "weekly", 30, false))
        .expect(1)
        .create();
    let deleted = server
        .mock("DELETE", path)
        .match_header("api-key", KEY)
        .match_header("x-pinecone-api-version", V2026_07)
        .with_status(204)
        .expect(1)
        .create();
    let missing = server
        .mock("DELETE", "/backup-schedules/gone")
        .with_status(404)
        .with_header("content-type", "application/json")
        .with_body(
            r#"{"error":{"code":"NOT_FOUND","message":"Backup schedule not found."},"status":404}"#,
        )
        .expect(1)
        .create();
    let client = client_2026_07::<A>(&server.url());
    let odd = id("s/1 x");

    let schedule = describe_schedule::<A>(&client, &odd).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schedule.schedule_id(), "s/1 x");
    assert!(schedule.enabled() && schedule.next_scheduled_run().is_some());

    let off = update_schedule::<A>(&client, &odd, &UpdateSchedule::new().enabled(false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!off.enabled());
    assert_eq!(off.next_scheduled_run(), None);
    assert_eq!(off.frequency(), &Frequency::Daily);

    let change = UpdateSchedule::new()
        .frequency(Frequency::Weekly)
        .retain(days(30));
    let weekly = update_schedule::<A>(&client, &odd, &change).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (weekly.frequency(), weekly.retention_expire_after_days()),
        (&Frequency::Weekly, 30)
    );

    assert_eq!(
        delete_schedule::<A>(&client, &odd).ok(),
        Some(Deletion::Deleted)
    );
    let err = delete_schedule::<A>(&client, &id("gone")).unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(
        err.api().and_then(|a| a.message()),
        Some("Backup schedule not found.")
    );
    no_key_in(&err);
    for mock in [described, disabled, changed, deleted, missing] {
        mock.assert();
    }
}

/// An index's schedules and a schedule's history walk every page with the same `limit`, the
/// tokens percent-encoded, each item once when pages overlap; the history's `Scheduled`
/// items carry `scheduled_execution_at`, its backups do not.
pub fn schedule_listings_and_history_walk_encoded_tokens<A: Adapter>() {
    let mut server = Server::new();
    let schedule = |id: &str| schedule_json(id, id, "daily", 7, false);
    let list = "/indexes/docs/backup-schedules";
    let lists = [
        server
            .mock("GET", format!("{list}?limit=2").as_str())
            .match_header("api-key", KEY)
            .match_header("x-pinecone-api-version", V2026_07)
            .with_body(page_json(&[schedule("s1"), schedule("s2")], Some("t+1")))
            .expect(2)
            .create(),
        server
            .mock(
                "GET",
                format!("{list}?limit=2&paginationToken=t%2B1").as_str(),
            )
            .with_body(page_json(&[schedule("s2"), schedule("s3")], Some("t/2=")))
            .expect(1)
            .create(),
        server
            .mock(
                "GET",
                format!("{list}?limit=2&paginationToken=t%2F2%3D").as_str(),
            )
            .with_body(page_json(&[schedule("s4")], None))
            .expect(1)
            .create(),
    ];
    let history = "/backup-schedules/s1/history";
    let histories = [
        server
            .mock("GET", format!("{history}?limit=2").as_str())
            .match_header("api-key", KEY)
            .match_header("x-pinecone-api-version", V2026_07)
            .with_body(page_json(
                &[
                    history_json("b3", Some("2026-07-03T06:00:00.000Z")),
                    history_json("b2", None),
                ],
                Some("h+/="),
            ))
            .expect(2)
            .create(),
        server
            .mock(
                "GET",
                format!("{history}?limit=2&paginationToken=h%2B%2F%3D").as_str(),
            )
            .with_body(page_json(&[history_json("b1", None)], None))
            .expect(1)
            .create(),
    ];
    let client = client_2026_07::<A>(&server.url());

    let page = list_schedules::<A>(&client, &index("docs"), limit(2), None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schedule_ids(&page.schedules), ["s1", "s2"]);
    assert_eq!(page.next.as_ref().map(|t| t.as_str()), Some("t+1"));
    let walked = list_all_schedules::<A>(&client, &index("docs"), limit(2));
    assert!(walked.error.is_none(), "{:?}", walked.error);
    assert_eq!(schedule_ids(&walked.items), ["s1", "s2", "s3", "s4"]);
    assert_eq!((walked.pages, walked.duplicates), (3, 1));

    let page =
        schedule_history::<A>(&client, &id("s1"), limit(2), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(backup_ids(&page.backups), ["b3", "b2"]);
    assert_eq!(page.next.as_ref().map(|t| t.as_str()), Some("h+/="));
    let walked = schedule_history_all::<A>(&client, &id("s1"), limit(2));
    assert!(walked.error.is_none(), "{:?}", walked.error);
    assert_eq!(backup_ids(&walked.items), ["b3", "b2", "b1"]);
    assert_eq!(walked.pages, 2);
    let planned = &walked.items[0];
    assert_eq!(planned.status(), &BackupStatus::Scheduled);
    assert_eq!(
        planned.scheduled_execution_at(),
        Some(at("2026-07-03T06:00:00Z"))
    );
    assert_eq!(planned.name(), Some("nightly-b3"));
    for made in &walked.items[1..] {
        assert_eq!(made.status(), &BackupStatus::Ready);
        assert_eq!(made.scheduled_execution_at(), None);
    }
    for mock in lists.into_iter().chain(histories) {
        mock.assert();
    }
}

/// Every schedule operation, under 2025-04, 2025-10 and 2026-04, is an invalid argument
/// naming the version it needs, and nothing reaches the server; under 2026-07 the same
/// server answers.
pub fn every_schedule_operation_is_refused_before_2026_07<A: Adapter>() {
    let server = started(docs().schedule(FakeSchedule::daily("s1").of_index("docs")));
    for version in [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
    ] {
        let client = client_with::<A>(config(&server.base_url()).api_version(version.as_str()));
        let docs = index("docs");
        let s1 = id("s1");
        let errors: Vec<(&str, Option<Error>)> = vec![
            (
                "list",
                list_schedules::<A>(&client, &docs, None, None).err(),
            ),
            ("walk", list_all_schedules::<A>(&client, &docs, None).error),
            (
                "create",
                create_schedule::<A>(&client, &docs, &named("n", Frequency::Daily, 7)).err(),
            ),
            ("describe", describe_schedule::<A>(&client, &s1).err()),
            (
                "update",
                update_schedule::<A>(&client, &s1, &UpdateSchedule::new().enabled(false)).err(),
            ),
            ("delete", delete_schedule::<A>(&client, &s1).err()),
            (
                "history",
                schedule_history::<A>(&client, &s1, None, None).err(),
            ),
            (
                "history walk",
                schedule_history_all::<A>(&client, &s1, None).error,
            ),
        ];
        for (operation, err) in errors {
            let err = err.unwrap_or_else(|| panic!("{version} {operation}: not refused"));
            assert!(err.is_invalid_argument(), "{version} {operation}: {err}");
            assert!(err.status().is_none(), "{version} {operation}: {err}");
            let shown = err.to_string();
            assert!(
                shown.contains("backup schedules")
                    && shown.contains("2026-07 or later")
                    && shown.contains(version.as_str()),
                "{version} {operation}: {shown}"
            );
            no_key_in(&err);
        }
        let walked = list_all_schedules::<A>(&client, &docs, None);
        assert_eq!((walked.pages, walked.items.len()), (0, 0), "{version}");
        assert_eq!(server.stats().requests, 0, "{version}: something was sent");
    }
    assert!(server.requests().is_empty());
    assert!(server.schedule("s1").is_some_and(|s| s.enabled));

    let client = client_2026_07::<A>(&server.base_url());
    let walked = list_all_schedules::<A>(&client, &index("docs"), None);
    assert_eq!(schedule_ids(&walked.items), ["s1"]);
    assert_eq!(server.stats().requests, 1);
}

/// A server that sends the key back in error messages and in schedules' text gets it into
/// no error of any schedule operation, `Display` or `Debug`.
pub fn a_server_echoing_the_key_does_not_get_it_into_schedule_errors<A: Adapter>() {
    let mut server = Server::new();
    let echo = format!(
        r#"{{"error":{{"code":"INVALID_ARGUMENT","message":"bad key {KEY}"}},"status":400}}"#
    );
    let holding_key = schedule_json("s1", KEY, "daily", 7, true);
    let mocks = [
        server
            .mock("POST", "/indexes/docs/backup-schedules")
            .with_status(400)
            .with_body(&echo)
            .expect(1)
            .create(),
        server
            .mock(
                "GET",
                Matcher::Regex("^/indexes/docs/backup-schedules".into()),
            )
            .with_body(page_json(std::slice::from_ref(&holding_key), None))
            .expect(2)
            .create(),
        server
            .mock("GET", "/backup-schedules/s1")
            .with_body(&holding_key)
            .expect(1)
            .create(),
        server
            .mock("PATCH", "/backup-schedules/s1")
            .with_status(422)
            .with_body(&echo)
            .expect(1)
            .create(),
        server
            .mock("DELETE", "/backup-schedules/s1")
            .with_status(404)
            .with_body(&echo)
            .expect(1)
            .create(),
        server
            .mock(
                "GET",
                Matcher::Regex("^/backup-schedules/s1/history".into()),
            )
            .with_status(400)
            .with_header("content-type", "text/plain")
            .with_body(format!("no such key {KEY}"))
            .expect(2)
            .create(),
    ];
    let client = client_2026_07::<A>(&server.url());
    let (docs, s1) = (index("docs"), id("s1"));
    let errors = [
        create_schedule::<A>(&client, &docs, &named("n", Frequency::Daily, 7)).err(),
        list_schedules::<A>(&client, &docs, None, None).err(),
        list_all_schedules::<A>(&client, &docs, None).error,
        describe_schedule::<A>(&client, &s1).err(),
        update_schedule::<A>(&client, &s1, &UpdateSchedule::new().enabled(true)).err(),
        delete_schedule::<A>(&client, &s1).err(),
        schedule_history::<A>(&client, &s1, None, None).err(),
        schedule_history_all::<A>(&client, &s1, None).error,
    ];
    for (n, err) in errors.into_iter().enumerate() {
        let err = err.unwrap_or_else(|| panic!("operation {n} took the key"));
        no_key_in(&err);
    }
    for mock in mocks {
        mock.assert();
    }
}

/// Against the fake: a schedule created, described, listed, disabled, changed, its history
/// read, and deleted, each answer checked against the one before and the server's state;
/// while it is enabled a second create on the index is a 409, and once it is disabled a
/// second one is made, after which it cannot be enabled again (409).
pub fn a_schedule_is_created_described_listed_changed_and_deleted<A: Adapter>() {
    let server = started(docs());
    let client = client_2026_07::<A>(&server.base_url());
    let docs = index("docs");

    let before = OffsetDateTime::now_utc();
    let (created, recovered) =
        create_schedule::<A>(&client, &docs, &named("nightly", Frequency::Daily, 90))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(!recovered);
    assert_eq!(
        (created.name(), created.frequency(), created.schedule_type()),
        ("nightly", &Frequency::Daily, "time-based")
    );
    assert_eq!(created.retention_expire_after_days(), 90);
    assert!(created.enabled());
    let created_at = created.created_at();
    assert!(
        created_at >= before - Duration::from_secs(2)
            && created_at <= OffsetDateTime::now_utc() + Duration::from_secs(2),
        "{created_at}"
    );
    // the fake's first run: the next 06:00 UTC
    let next = created
        .next_scheduled_run()
        .unwrap_or_else(|| panic!("an enabled schedule without a next run"));
    assert!(next > created_at && next - created_at <= time::Duration::DAY);
    assert_eq!((next.hour(), next.minute(), next.second()), (6, 0, 0));
    let sid = id(created.schedule_id());
    let fake = server
        .schedule(created.schedule_id())
        .unwrap_or_else(|| panic!("the fake has no {}", created.schedule_id()));
    assert_eq!(
        (fake.name.as_str(), fake.frequency, fake.index_name.as_str()),
        ("nightly", FakeFrequency::Daily, "docs")
    );

    let described = describe_schedule::<A>(&client, &sid).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(described, created);
    let page = list_schedules::<A>(&client, &docs, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.schedules, std::slice::from_ref(&created));
    assert!(page.next.is_none());
    let walked = list_all_schedules::<A>(&client, &docs, limit(1));
    assert_eq!(walked.items, std::slice::from_ref(&created));

    let conflict =
        create_schedule::<A>(&client, &docs, &named("other", Frequency::Weekly, 30)).unwrap_err();
    assert_eq!(conflict.status(), Some(409), "{conflict}");
    assert_eq!(conflict.code(), Some(&ErrorCode::AlreadyExists));
    assert!(conflict.candidate().is_none(), "{conflict}");
    no_key_in(&conflict);

    let off = update_schedule::<A>(&client, &sid, &UpdateSchedule::new().enabled(false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!off.enabled());
    assert_eq!(off.next_scheduled_run(), None);
    assert_eq!(
        (off.frequency(), off.retention_expire_after_days()),
        (&Frequency::Daily, 90)
    );
    assert_eq!(off.created_at(), created_at);
    let change = UpdateSchedule::new()
        .frequency(Frequency::Monthly)
        .retain(days(365));
    let changed = update_schedule::<A>(&client, &sid, &change).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (changed.frequency(), changed.retention_expire_after_days()),
        (&Frequency::Monthly, 365)
    );
    assert!(!changed.enabled() && changed.next_scheduled_run().is_none());
    assert_eq!(
        describe_schedule::<A>(&client, &sid).ok().as_ref(),
        Some(&changed)
    );
    let history =
        schedule_history::<A>(&client, &sid, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(history.backups.is_empty(), "{:?}", history.backups);

    // one enabled schedule per index: with ours disabled, another can be made
    let (second, _) = create_schedule::<A>(&client, &docs, &named("other", Frequency::Weekly, 30))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(second.enabled());
    let again =
        update_schedule::<A>(&client, &sid, &UpdateSchedule::new().enabled(true)).unwrap_err();
    assert_eq!(again.status(), Some(409), "{again}");
    no_key_in(&again);
    let listed = list_all_schedules::<A>(&client, &docs, None);
    assert_eq!(listed.items, [changed, second.clone()]);
    let planned = schedule_history_all::<A>(&client, &id(second.schedule_id()), None);
    assert!(planned.error.is_none(), "{:?}", planned.error);
    assert_eq!(planned.items.len(), 1);
    assert_eq!(planned.items[0].status(), &BackupStatus::Scheduled);
    assert_eq!(
        planned.items[0].scheduled_execution_at(),
        second.next_scheduled_run()
    );

    assert_eq!(
        delete_schedule::<A>(&client, &sid).ok(),
        Some(Deletion::Deleted)
    );
    assert!(server.schedule(sid.as_str()).is_none());
    let gone = describe_schedule::<A>(&client, &sid).unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    let listed = list_all_schedules::<A>(&client, &docs, None);
    assert_eq!(schedule_ids(&listed.items), [second.schedule_id()]);
    let stats = server.stats();
    assert_eq!(
        (
            stats.schedule_create_requests,
            stats.schedules_created,
            stats.schedules_deleted
        ),
        (3, 2, 1)
    );
}

/// The API's refusals, each an API error with its status and the server's message, the key
/// nowhere: 403 for a create or a change on a plan without scheduled backups (reading and
/// deleting still answer), 404 for an unknown index and an unknown schedule, a first delete
/// of an unknown schedule included.
pub fn schedule_refusals_are_403_for_the_plan_and_404_for_the_unknown<A: Adapter>() {
    let server = started(
        docs()
            .schedules_allowed(false)
            .schedule(FakeSchedule::daily("s1").of_index("docs")),
    );
    let client = client_2026_07::<A>(&server.base_url());
    let s1 = id("s1");
    let refused = [
        create_schedule::<A>(&client, &index("docs"), &named("n", Frequency::Daily, 7)).err(),
        update_schedule::<A>(&client, &s1, &UpdateSchedule::new().retain(days(9))).err(),
    ];
    for err in refused {
        let err = err.unwrap_or_else(|| panic!("a change the plan does not allow"));
        assert_eq!(err.status(), Some(403), "{err}");
        assert_eq!(err.code(), Some(&ErrorCode::PermissionDenied), "{err}");
        assert_eq!(
            err.api().and_then(|a| a.message()),
            Some("Scheduled backups are not available for your plan")
        );
        assert!(err.candidate().is_none() && !err.is_retryable(), "{err}");
        no_key_in(&err);
    }
    assert_eq!(server.stats().schedule_create_requests, 1);
    let s = describe_schedule::<A>(&client, &s1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.retention_expire_after_days(), 7);
    assert!(schedule_history::<A>(&client, &s1, None, None).is_ok());
    assert_eq!(
        delete_schedule::<A>(&client, &s1).ok(),
        Some(Deletion::Deleted)
    );

    let server = started(docs().schedule(FakeSchedule::daily("s1").of_index("docs")));
    let client = client_2026_07::<A>(&server.base_url());
    let nope = index("nope");
    let unknown_index = [
        create_schedule::<A>(&client, &nope, &named("n", Frequency::Daily, 7)).err(),
        list_schedules::<A>(&client, &nope, None, None).err(),
        list_all_schedules::<A>(&client, &nope, None).error,
    ];
    for err in unknown_index {
        let err = err.unwrap_or_else(|| panic!("an unknown index answered"));
        assert!(err.is_not_found(), "{err}");
        assert_eq!(
            err.api().and_then(|a| a.message()),
            Some("Index nope not found.")
        );
        no_key_in(&err);
    }
    let missing = id("missing");
    let unknown_schedule = [
        describe_schedule::<A>(&client, &missing).err(),
        update_schedule::<A>(&client, &missing, &UpdateSchedule::new().enabled(false)).err(),
        schedule_history::<A>(&client, &missing, None, None).err(),
        schedule_history_all::<A>(&client, &missing, None).error,
        delete_schedule::<A>(&client, &missing).err(),
    ];
    for err in unknown_schedule {
        let err = err.unwrap_or_else(|| panic!("an unknown schedule answered"));
        assert!(err.is_not_found(), "{err}");
        assert_eq!(
            err.api().and_then(|a| a.message()),
            Some("Backup schedule not found.")
        );
        no_key_in(&err);
    }
    let stats = server.stats();
    assert_eq!(
        (
            stats.schedule_delete_requests,
            stats.schedule_create_requests
        ),
        (1, 1)
    );
    assert!(server.schedule("s1").is_some_and(|s| s.enabled));
}

/// A delete whose answer is lost after the server deleted the schedule is sent again, and
/// the 404 to that retry means it is gone; an update whose answer is lost is sent again and
/// lands the same (absolute values).
pub fn a_lost_delete_is_already_gone_and_a_lost_update_is_sent_again<A: Adapter>() {
    let server = started(docs().schedule(FakeSchedule::daily("s1").of_index("docs")));
    let client = client_2026_07::<A>(&server.base_url());
    let s1 = id("s1");

    server.inject_on(Endpoint::UpdateSchedule, Fault::ProcessThenDrop);
    let change = UpdateSchedule::new()
        .frequency(Frequency::Weekly)
        .retain(days(14));
    let changed = update_schedule::<A>(&client, &s1, &change).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (changed.frequency(), changed.retention_expire_after_days()),
        (&Frequency::Weekly, 14)
    );
    assert_eq!(server.stats().schedule_update_requests, 2);

    server.inject_on(Endpoint::DeleteSchedule, Fault::ProcessThenDrop);
    assert_eq!(
        delete_schedule::<A>(&client, &s1).ok(),
        Some(Deletion::AlreadyGone)
    );
    assert!(server.schedule("s1").is_none());
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_delete_requests, stats.schedules_deleted),
        (2, 1)
    );
}

/// A create whose answer is lost after the server made the schedule is sent again, and the
/// 409 to the retry is resolved by the index's schedules: ours, recovered. One whose request
/// was dropped unprocessed is sent again and made by the retry. Either way one schedule.
pub fn a_lost_schedule_create_is_recovered_and_never_makes_two<A: Adapter>() {
    for (fault, recovered) in [
        (Fault::ProcessThenDrop, true),
        (Fault::ProcessThenStatus(503), true),
        (Fault::Drop, false),
    ] {
        let server = started(docs());
        server.inject_on(Endpoint::CreateSchedule, fault.clone());
        let client = client_2026_07::<A>(&server.base_url());
        let request = named("nightly", Frequency::Weekly, 30);
        let (schedule, was) = create_schedule::<A>(&client, &index("docs"), &request)
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(was, recovered, "{fault:?}");
        assert_eq!(
            (schedule.name(), schedule.frequency(), schedule.enabled()),
            ("nightly", &Frequency::Weekly, true),
            "{fault:?}"
        );
        let listed = list_all_schedules::<A>(&client, &index("docs"), None);
        assert_eq!(listed.items, std::slice::from_ref(&schedule), "{fault:?}");
        assert!(server.schedule(schedule.schedule_id()).is_some());
        let stats = server.stats();
        assert_eq!(
            (stats.schedule_create_requests, stats.schedules_created),
            (2, 1),
            "{fault:?}"
        );
        // the lookup walked the index's schedules once only when it recovered; the check
        // above is one more listing
        let lookups = u64::from(recovered);
        assert_eq!(stats.schedule_list_requests, lookups + 1, "{fault:?}");
    }
}

/// Which schedule is ours is decided on the server's clock: with it an hour ahead of ours or
/// behind, a lost create's schedule is still recovered; without a usable `Date` nothing is
/// claimed, and the 409's error names the schedule as the candidate.
pub fn a_lost_schedule_create_is_claimed_on_the_servers_clock_only<A: Adapter>() {
    let request = named("nightly", Frequency::Daily, 7);
    for ahead in [-3_600_000, 3_600_000] {
        let server = started(docs().clock_ahead_ms(ahead));
        server.inject_on(Endpoint::CreateSchedule, Fault::ProcessThenDrop);
        let client = client_2026_07::<A>(&server.base_url());
        let (schedule, recovered) = create_schedule::<A>(&client, &index("docs"), &request)
            .unwrap_or_else(|e| panic!("{ahead} ms ahead: {e}"));
        assert!(recovered, "{ahead} ms ahead");
        assert!(server.schedule(schedule.schedule_id()).is_some());
        let stats = server.stats();
        assert_eq!(
            (stats.schedule_create_requests, stats.schedules_created),
            (2, 1),
            "{ahead} ms ahead"
        );
    }

    let server = started(docs().dates(false));
    server.inject_on(Endpoint::CreateSchedule, Fault::ProcessThenDrop);
    let client = client_2026_07::<A>(&server.base_url());
    let err = create_schedule::<A>(&client, &index("docs"), &request).unwrap_err();
    no_key_in(&err);
    assert_eq!(err.status(), Some(409), "{err}");
    let candidate = err
        .candidate()
        .unwrap_or_else(|| panic!("a candidate: {err}"));
    assert_eq!(candidate.why(), Unclaimed::NoServerClock);
    let listed = list_all_schedules::<A>(&client, &index("docs"), None);
    assert_eq!(schedule_ids(&listed.items), [candidate.id()]);
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_create_requests, stats.schedules_created),
        (2, 1)
    );
}

/// Someone else's enabled schedule of our name, made an hour before our attempts, is not
/// ours: after a dropped attempt the retry's 409 is the error, naming it as the candidate,
/// and nothing is made or claimed.
pub fn someone_elses_schedule_of_the_name_is_not_claimed<A: Adapter>() {
    let theirs = FakeSchedule::daily("theirs").of_index("docs");
    let server = started(docs().schedule_created_ago(theirs.clone(), Duration::from_secs(3600)));
    server.inject_on(Endpoint::CreateSchedule, Fault::Drop);
    let client = client_2026_07::<A>(&server.base_url());
    // the name the fake gave theirs: `docs-backup`
    let request = named(&theirs.name, Frequency::Daily, 7);
    let err = create_schedule::<A>(&client, &index("docs"), &request).unwrap_err();
    no_key_in(&err);
    assert_eq!(err.status(), Some(409), "{err}");
    assert_eq!(err.code(), Some(&ErrorCode::AlreadyExists), "{err}");
    let candidate = err
        .candidate()
        .unwrap_or_else(|| panic!("a candidate: {err}"));
    assert_eq!(candidate.id(), "theirs");
    assert_eq!(candidate.why(), Unclaimed::OutsideOurAttempts);
    assert!(candidate.created_at().is_some());
    assert!(candidate.to_string().contains("theirs"), "{candidate}");
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_create_requests, stats.schedules_created),
        (2, 0)
    );
    let listed = list_all_schedules::<A>(&client, &index("docs"), None);
    assert_eq!(schedule_ids(&listed.items), ["theirs"]);
}

/// The basic ISO 8601 form the fake names a scheduled backup after: `20260403T060000Z`.
fn compact(at: OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// As the server's clock passes a schedule's next run, the run becomes a `Ready` backup of the
/// index, created at the run and named after the schedule and the run, with the id its
/// `Scheduled` entry had; the history shows it after the next planned run, whose
/// `scheduled_execution_at` is a period later, and the schedule's `next_scheduled_run` moves
/// on. A disabled schedule plans nothing and keeps its backups; enabled again, it plans;
/// deleted, its history is gone and its backups stay.
pub fn a_schedules_history_grows_as_the_clock_passes_its_runs<A: Adapter>() {
    let now = OffsetDateTime::now_utc();
    let run = OffsetDateTime::from_unix_timestamp(now.unix_timestamp() + 3)
        .unwrap_or_else(|e| panic!("{e}"));
    let created = run - Duration::from_secs(3600);
    let server = started(
        docs().schedule(
            FakeSchedule::daily("s1")
                .of_index("docs")
                .created(&utc(created))
                .next_run(&utc(run)),
        ),
    );
    let client = client_2026_07::<A>(&server.base_url());
    let s1 = id("s1");

    let before = schedule_history::<A>(&client, &s1, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(before.backups.len(), 1, "{:?}", before.backups);
    let planned = &before.backups[0];
    assert_eq!(planned.status(), &BackupStatus::Scheduled);
    assert_eq!(planned.scheduled_execution_at(), Some(run));
    assert_eq!(planned.created_at(), Some(created));
    assert_eq!(planned.source_index_name(), "docs");
    let planned_id = planned.backup_id().to_owned();
    assert!(server.backups_of("docs").is_empty());

    while OffsetDateTime::now_utc() < run + Duration::from_millis(100) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let after = schedule_history_all::<A>(&client, &s1, limit(1));
    assert!(after.error.is_none(), "{:?}", after.error);
    assert_eq!(after.items.len(), 2, "{:?}", after.items);
    let day = Duration::from_secs(86_400);
    let (next, made) = (&after.items[0], &after.items[1]);
    assert_eq!(next.status(), &BackupStatus::Scheduled);
    assert_eq!(next.scheduled_execution_at(), Some(run + day));
    assert_eq!(next.created_at(), Some(run + Duration::from_secs(1)));
    assert_eq!(made.status(), &BackupStatus::Ready);
    assert_eq!(made.backup_id(), planned_id);
    assert_eq!(made.created_at(), Some(run));
    assert_eq!(made.scheduled_execution_at(), None);
    let name = format!("docs-backup-{}", compact(run));
    assert_eq!(made.name(), Some(name.as_str()));

    let described = describe_schedule::<A>(&client, &s1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(described.next_scheduled_run(), Some(run + day));
    let made_id = BackupId::new(planned_id.as_str()).unwrap_or_else(|e| panic!("{e}"));
    let backup = describe_backup::<A>(&client, &made_id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (backup.status(), backup.name()),
        (&BackupStatus::Ready, Some(name.as_str()))
    );
    let fake: Vec<String> = server
        .backups_of("docs")
        .into_iter()
        .map(|b| b.backup_id)
        .collect();
    assert_eq!(fake, std::slice::from_ref(&planned_id));

    update_schedule::<A>(&client, &s1, &UpdateSchedule::new().enabled(false))
        .unwrap_or_else(|e| panic!("{e}"));
    let off = schedule_history::<A>(&client, &s1, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(backup_ids(&off.backups), [planned_id.as_str()]);
    let on = update_schedule::<A>(&client, &s1, &UpdateSchedule::new().enabled(true))
        .unwrap_or_else(|e| panic!("{e}"));
    let replanned = on
        .next_scheduled_run()
        .unwrap_or_else(|| panic!("re-enabled without a next run"));
    let history = schedule_history::<A>(&client, &s1, None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(history.backups.len(), 2);
    assert_eq!(history.backups[0].status(), &BackupStatus::Scheduled);
    assert_eq!(history.backups[0].scheduled_execution_at(), Some(replanned));
    assert_eq!(history.backups[1].backup_id(), planned_id);

    // deleting the schedule keeps the backups it made
    assert_eq!(
        delete_schedule::<A>(&client, &s1).ok(),
        Some(Deletion::Deleted)
    );
    let gone = schedule_history::<A>(&client, &s1, None, None).unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert_eq!(server.backups_of("docs").len(), 1);
    assert!(describe_backup::<A>(&client, &made_id).is_ok());
}
