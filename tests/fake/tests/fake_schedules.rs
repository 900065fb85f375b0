//! Backup schedules (API 2026-07): created, listed, described, changed, deleted, their history
//! growing as the server's clock passes their runs; unknown routes in earlier versions.

mod fake_support;

use std::time::Duration;

use fake_support::{Reply, agent, encode, get, get_version, raw_exchange, raw_request, send};
use pinecone_restore_fake::{
    Endpoint, FakeBackup, FakeControlPlane, FakeSchedule, FakeServer, Fault, Frequency,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const V: &str = "2026-07";
const DAY: time::Duration = time::Duration::days(1);

/// A request in 2026-07, with a JSON body if one is given.
fn call(server: &FakeServer, method: &str, path: &str, body: Option<&str>) -> Reply {
    let mut headers = vec![("X-Pinecone-Api-Version", V)];
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    send(
        &agent(),
        method,
        &format!("{}{path}", server.base_url()),
        &headers,
        body.map(str::as_bytes),
    )
}

fn create_body(name: &str, frequency: &str, days: u32) -> String {
    json!({
        "name": name,
        "schedule": {"type": "time-based", "frequency": frequency},
        "retention": {"expire_after_days": days},
    })
    .to_string()
}

fn create(server: &FakeServer, index: &str, name: &str) -> Reply {
    call(
        server,
        "POST",
        &format!("/indexes/{index}/backup-schedules"),
        Some(&create_body(name, "daily", 90)),
    )
}

fn instant(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

/// The next 06:00 UTC after `at`.
fn next_six(at: OffsetDateTime) -> OffsetDateTime {
    let six = at.replace_time(time::Time::from_hms(6, 0, 0).unwrap());
    if six > at { six } else { six + DAY }
}

fn data(reply: &Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["data"].as_array().unwrap().clone()
}

/// An RFC 3339 UTC timestamp with exactly three fraction digits.
fn assert_millis(text: &str) {
    assert!(
        text.len() == 24 && text.ends_with('Z') && text.as_bytes().get(19) == Some(&b'.'),
        "{text}"
    );
}

#[test]
fn a_schedule_is_created_listed_and_described_in_2026_07() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b").of_index("docs"))
        .start()
        .unwrap();
    let before = OffsetDateTime::now_utc();
    let reply = create(&server, "docs", "daily-compliance-backup");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let schedule = reply.json();
    let keys: Vec<&str> = schedule
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "created_at",
        "enabled",
        "frequency",
        "index_id",
        "name",
        "next_scheduled_run",
        "project_id",
        "retention_expire_after_days",
        "schedule_id",
        "schedule_type",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(schedule["name"], "daily-compliance-backup");
    assert_eq!(schedule["schedule_type"], "time-based");
    assert_eq!(schedule["frequency"], "daily");
    assert_eq!(schedule["retention_expire_after_days"], 90);
    assert_eq!(schedule["enabled"], true);
    assert_eq!(
        schedule["index_id"],
        server.backup("b").unwrap().source_index_id.as_str()
    );
    let created = schedule["created_at"].as_str().unwrap();
    assert_millis(created);
    assert!((instant(created) - before).abs() < time::Duration::seconds(5));
    let next = schedule["next_scheduled_run"].as_str().unwrap();
    assert_millis(next);
    assert_eq!(instant(next), next_six(instant(created)));

    let id = schedule["schedule_id"].as_str().unwrap();
    let listed = data(&call(
        &server,
        "GET",
        "/indexes/docs/backup-schedules",
        None,
    ));
    assert_eq!(listed, std::slice::from_ref(&schedule));
    let described = call(&server, "GET", &format!("/backup-schedules/{id}"), None);
    assert_eq!(
        (described.status, described.json()),
        (200, schedule.clone())
    );
    assert_eq!(
        server.schedule(id).map(|s| s.frequency),
        Some(Frequency::Daily)
    );

    // a second enabled schedule of the index is a conflict; another index is fine
    let again = create(&server, "docs", "another");
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        again.json(),
        json!({
            "error": {
                "code": "ALREADY_EXISTS",
                "message": "This index already has an enabled backup schedule. Disable or delete it first.",
            },
            "status": 409,
        })
    );
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_create_requests, stats.schedules_created),
        (2, 1)
    );
    assert_eq!(
        (
            stats.schedule_list_requests,
            stats.schedule_describe_requests
        ),
        (1, 1)
    );
}

#[test]
fn unknown_indexes_and_schedules_are_404() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .index_deleted("gone")
        .start()
        .unwrap();
    for index in ["nope", "gone"] {
        for reply in [
            create(&server, index, "s"),
            call(
                &server,
                "GET",
                &format!("/indexes/{index}/backup-schedules"),
                None,
            ),
        ] {
            assert_eq!(reply.status, 404, "{index}: {}", reply.body);
            assert_eq!(
                reply.json()["error"],
                json!({"code": "NOT_FOUND", "message": format!("Index {index} not found.")})
            );
        }
    }
    let empty = call(&server, "GET", "/indexes/docs/backup-schedules", None);
    assert_eq!(
        empty.body, r#"{"data":[]}"#,
        "2026-07 leaves pagination out"
    );
    for (method, path, body) in [
        ("GET", "/backup-schedules/nope", None),
        ("PATCH", "/backup-schedules/nope", Some("{}")),
        ("DELETE", "/backup-schedules/nope", None),
        ("GET", "/backup-schedules/nope/history", None),
    ] {
        let reply = call(&server, method, path, body);
        assert_eq!(reply.status, 404, "{method} {path}");
        assert_eq!(
            reply.json()["error"],
            json!({"code": "NOT_FOUND", "message": "Backup schedule not found."})
        );
    }
    assert_eq!(
        call(&server, "GET", "/backup-schedules/a%zz", None).status,
        400
    );
}

#[test]
fn before_2026_07_the_schedule_paths_are_unknown_routes() {
    let server = FakeControlPlane::builder()
        .schedule(FakeSchedule::daily("s").of_index("docs"))
        .start()
        .unwrap();
    let base = server.base_url();
    for endpoint in [
        Endpoint::ListSchedules,
        Endpoint::CreateSchedule,
        Endpoint::DescribeSchedule,
        Endpoint::UpdateSchedule,
        Endpoint::DeleteSchedule,
        Endpoint::ScheduleHistory,
    ] {
        server.inject_on(endpoint, Fault::Status(503));
    }
    for version in [None, Some("2025-04"), Some("2025-10"), Some("2026-04")] {
        for (method, path) in [
            ("GET", "/indexes/docs/backup-schedules"),
            ("POST", "/indexes/docs/backup-schedules"),
            ("GET", "/backup-schedules/s"),
            ("PATCH", "/backup-schedules/s"),
            ("DELETE", "/backup-schedules/s"),
            ("GET", "/backup-schedules/s/history"),
        ] {
            let headers: Vec<_> = version
                .map(|v| ("X-Pinecone-Api-Version", v))
                .into_iter()
                .collect();
            let reply = send(&agent(), method, &format!("{base}{path}"), &headers, None);
            assert_eq!(reply.status, 404, "{version:?} {method} {path}");
            assert_eq!(
                reply.json(),
                json!({
                    "error": {"code": "NOT_FOUND", "message": format!("No route for {method} {path}.")},
                    "status": 404,
                }),
                "exactly an unknown path's answer"
            );
        }
    }
    let stats = server.stats();
    assert_eq!(
        stats.schedule_list_requests
            + stats.schedule_create_requests
            + stats.schedule_describe_requests
            + stats.schedule_update_requests
            + stats.schedule_delete_requests
            + stats.schedule_history_requests,
        0
    );
    // the schedule faults still wait for their endpoint, in 2026-07
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s", None).status,
        503
    );
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s", None).status,
        200
    );
    // the schedule's backups are backups, in every version
    assert!(server.schedule("s").is_some());
}

#[test]
fn bodies_of_the_wrong_shape_are_422_and_broken_rules_400() {
    let server = FakeControlPlane::builder().index("docs").start().unwrap();
    let post = |body: &str| {
        call(
            &server,
            "POST",
            "/indexes/docs/backup-schedules",
            Some(body),
        )
    };
    for (body, problem) in [
        ("", "EOF while parsing"),
        ("{}", "missing field `name`"),
        (r#"{"name":"n"}"#, "missing field `schedule`"),
        (
            r#"{"name":"n","schedule":{"type":"time-based"},"retention":{"expire_after_days":1}}"#,
            "missing field `frequency`",
        ),
        (
            r#"{"name":"n","schedule":{"type":"time-based","frequency":"daily"}}"#,
            "missing field `retention`",
        ),
        (
            r#"{"name":"n","schedule":{"type":"time-based","frequency":"daily"},"retention":{"expire_after_days":"7"}}"#,
            "invalid type: string",
        ),
        (
            r#"{"name":7}"#,
            "invalid type: integer `7`, expected a string",
        ),
    ] {
        let reply = post(body);
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
        assert_eq!(reply.code(), "UNPROCESSABLE_ENTITY");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(problem), "{body}: {message}");
    }
    for (body, rule) in [
        (create_body("n", "hourly", 7), "Invalid frequency `hourly`"),
        (
            create_body("n", "daily", 0),
            "expire_after_days must be between 1 and",
        ),
        (
            create_body("n", "daily", 7).replace("time-based", "cron"),
            "Invalid schedule type `cron`",
        ),
    ] {
        let reply = post(&body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert_eq!(reply.code(), "INVALID_ARGUMENT");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(rule), "{message}");
    }
    let id = post(&create_body("n", "weekly", 30)).json()["schedule_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let patch = |body: &str| {
        call(
            &server,
            "PATCH",
            &format!("/backup-schedules/{id}"),
            Some(body),
        )
    };
    assert_eq!(patch(r#"{"enabled":"no"}"#).status, 422);
    assert_eq!(patch(r#"{"retention":{}}"#).status, 422);
    assert_eq!(patch("nope").status, 422);
    assert_eq!(patch(r#"{"frequency":"yearly"}"#).status, 400);
    assert_eq!(
        patch(r#"{"retention":{"expire_after_days":-3}}"#).status,
        400
    );
    // nothing changed
    let described = call(&server, "GET", &format!("/backup-schedules/{id}"), None).json();
    assert_eq!(
        (
            described["frequency"].as_str(),
            described["retention_expire_after_days"].as_u64()
        ),
        (Some("weekly"), Some(30))
    );
    assert_eq!(server.stats().schedules_created, 1);
}

#[test]
fn a_plan_without_scheduled_backups_refuses_creates_and_changes() {
    let server = FakeControlPlane::builder()
        .schedule(FakeSchedule::daily("s").of_index("docs"))
        .schedules_allowed(false)
        .start()
        .unwrap();
    let refused = [
        create(&server, "docs", "n"),
        call(
            &server,
            "PATCH",
            "/backup-schedules/s",
            Some(r#"{"enabled":false}"#),
        ),
    ];
    for reply in refused {
        assert_eq!(reply.status, 403, "{}", reply.body);
        assert_eq!(
            reply.json()["error"],
            json!({
                "code": "PERMISSION_DENIED",
                "message": "Scheduled backups are not available for your plan",
            })
        );
    }
    // the rest still answers
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s", None).status,
        200
    );
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s/history", None).status,
        200
    );
    assert_eq!(
        call(&server, "DELETE", "/backup-schedules/s", None).status,
        204
    );
    assert_eq!(server.stats().schedules_created, 0);
}

#[test]
fn a_patch_changes_what_it_names_and_re_enabling_plans_a_run() {
    let server = FakeControlPlane::builder().index("docs").start().unwrap();
    let first = create(&server, "docs", "first").json();
    let id = first["schedule_id"].as_str().unwrap().to_owned();
    let patch = |id: &str, body: &str| {
        call(
            &server,
            "PATCH",
            &format!("/backup-schedules/{id}"),
            Some(body),
        )
    };

    // omitted fields are unchanged
    let same = patch(&id, "{}");
    assert_eq!((same.status, same.json()), (200, first.clone()));
    let changed = patch(
        &id,
        r#"{"frequency":"monthly","retention":{"expire_after_days":365}}"#,
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    let changed = changed.json();
    assert_eq!(changed["frequency"], "monthly");
    assert_eq!(changed["retention_expire_after_days"], 365);
    assert_eq!(changed["enabled"], true);
    assert_eq!(changed["next_scheduled_run"], first["next_scheduled_run"]);
    assert_eq!(changed["created_at"], first["created_at"]);

    // disabled: no next run, no planned entry, and room for another enabled schedule
    let disabled = patch(&id, r#"{"enabled":false}"#).json();
    assert_eq!(disabled["enabled"], false);
    assert_eq!(
        disabled.get("next_scheduled_run"),
        Some(&Value::Null),
        "present, null"
    );
    let history = data(&call(
        &server,
        "GET",
        &format!("/backup-schedules/{id}/history"),
        None,
    ));
    assert!(history.is_empty(), "{history:?}");
    let second = create(&server, "docs", "second");
    assert_eq!(second.status, 200, "{}", second.body);
    let second_id = second.json()["schedule_id"].as_str().unwrap().to_owned();

    // re-enabling while another is enabled is a conflict, and changes nothing
    let conflict = patch(&id, r#"{"enabled":true,"frequency":"daily"}"#);
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert_eq!(conflict.code(), "ALREADY_EXISTS");
    let described = call(&server, "GET", &format!("/backup-schedules/{id}"), None).json();
    assert_eq!(
        (
            described["enabled"].as_bool(),
            described["frequency"].as_str()
        ),
        (Some(false), Some("monthly"))
    );
    // enabling the enabled one again is no change
    assert_eq!(patch(&second_id, r#"{"enabled":true}"#).status, 200);

    // once the other is disabled, re-enabling plans the next run: a Scheduled entry
    assert_eq!(patch(&second_id, r#"{"enabled":false}"#).status, 200);
    let before = OffsetDateTime::now_utc();
    let enabled = patch(&id, r#"{"enabled":true}"#);
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    let next = enabled.json()["next_scheduled_run"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_millis(&next);
    let after = OffsetDateTime::now_utc();
    assert!(
        [next_six(before), next_six(after)].contains(&instant(&next)),
        "the next 06:00 UTC: {next}"
    );
    let history = data(&call(
        &server,
        "GET",
        &format!("/backup-schedules/{id}/history"),
        None,
    ));
    assert_eq!(history.len(), 1, "{history:?}");
    let planned = &history[0];
    assert_eq!(planned["status"], "Scheduled");
    assert_eq!(planned["scheduled_execution_at"], next.as_str());
    assert!(
        (instant(planned["created_at"].as_str().unwrap()) - before).abs()
            < time::Duration::seconds(5)
    );
    assert_eq!(server.stats().schedule_update_requests, 7);
}

#[test]
fn a_deleted_schedule_is_204_and_gone_but_its_backups_stay() {
    let server = FakeControlPlane::builder()
        .schedule_created_ago(
            FakeSchedule::daily("s").of_index("docs"),
            Duration::from_secs(3 * 86_400),
        )
        .start()
        .unwrap();
    let made = server.backups_of("docs").len();
    assert_eq!(made, 3);
    let reply = call(&server, "DELETE", "/backup-schedules/s", None);
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, "");
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s", None).status,
        404
    );
    assert_eq!(
        call(&server, "DELETE", "/backup-schedules/s", None).status,
        404
    );
    assert_eq!(
        call(&server, "GET", "/backup-schedules/s/history", None).status,
        404
    );
    assert!(
        data(&call(
            &server,
            "GET",
            "/indexes/docs/backup-schedules",
            None
        ))
        .is_empty()
    );
    assert_eq!(server.backups_of("docs").len(), made);
    let stats = server.stats();
    assert_eq!(
        (stats.schedule_delete_requests, stats.schedules_deleted),
        (2, 1)
    );
}

#[test]
fn a_seeded_schedule_has_run_at_every_past_run_time_and_its_backups_are_listed() {
    let now = OffsetDateTime::now_utc();
    let next = next_six(now - DAY * 4);
    let schedule = FakeSchedule {
        name: "daily-compliance-backup".to_owned(),
        ..FakeSchedule::daily("sched")
            .of_index("docs")
            .created(&rfc3339(next - time::Duration::hours(3)))
            .next_run(&rfc3339(next))
    };
    let server = FakeControlPlane::builder()
        .backup(FakeBackup {
            cloud: "gcp".to_owned(),
            region: "us-central1".to_owned(),
            ..FakeBackup::ready("manual").of_index("docs")
        })
        .schedule(schedule)
        .start()
        .unwrap();
    let history = data(&call(
        &server,
        "GET",
        "/backup-schedules/sched/history",
        None,
    ));
    // 06:00 on each of the last four days (the fourth may still be to come today): a
    // Scheduled entry, then the backups newest first
    let ready: Vec<&Value> = history.iter().filter(|h| h["status"] == "Ready").collect();
    let runs: Vec<OffsetDateTime> = (0..5)
        .map(|k| next + DAY * k)
        .filter(|run| *run <= now)
        .collect();
    assert_eq!(ready.len(), runs.len(), "{history:?}");
    assert_eq!(history.len(), runs.len() + 1);
    let planned = &history[0];
    assert_eq!(planned["status"], "Scheduled");
    let next_run = *runs.last().unwrap() + DAY;
    assert_eq!(
        instant(planned["scheduled_execution_at"].as_str().unwrap()),
        next_run
    );
    assert_eq!(
        instant(planned["created_at"].as_str().unwrap()),
        *runs.last().unwrap() + time::Duration::seconds(1),
        "planned a second after the last run"
    );
    assert_eq!(planned["record_count"], Value::Null);
    for (item, run) in ready.iter().zip(runs.iter().rev()) {
        let created = item["created_at"].as_str().unwrap();
        assert_millis(created);
        assert_eq!(instant(created), *run);
        let stamp = format!(
            "{:04}{:02}{:02}T060000Z",
            run.year(),
            u8::from(run.month()),
            run.day()
        );
        assert_eq!(item["name"], format!("daily-compliance-backup-{stamp}"));
        assert_eq!(item["source_index_name"], "docs");
        assert_eq!(
            (item["cloud"].as_str(), item["region"].as_str()),
            (Some("gcp"), Some("us-central1"))
        );
        assert!(
            item["record_count"].is_u64() && item["size_bytes"].is_u64(),
            "{item}"
        );
        assert_eq!(
            item["schema"]["fields"]["embedding"]["type"],
            "dense_vector"
        );
        assert!(item.get("scheduled_execution_at").is_none());
    }
    // the schedule reads the next run; its backups are listed as any other, in every version
    let described = call(&server, "GET", "/backup-schedules/sched", None).json();
    assert_eq!(
        instant(described["next_scheduled_run"].as_str().unwrap()),
        next_run
    );
    let ids: Vec<&str> = ready
        .iter()
        .map(|h| h["backup_id"].as_str().unwrap())
        .collect();
    for version in ["2025-04", "2026-07"] {
        let listed = data(&get_version(
            &format!("{}/indexes/docs/backups", server.base_url()),
            version,
        ));
        assert_eq!(listed.len(), ids.len() + 1, "{version}");
        for id in &ids {
            let reply = get_version(&format!("{}/backups/{id}", server.base_url()), version);
            assert_eq!(reply.json()["status"], "Ready", "{version}");
        }
    }
    // a deleted backup leaves the history
    let reply = call(&server, "DELETE", &format!("/backups/{}", ids[0]), None);
    assert_eq!(reply.status, 202);
    let history = data(&call(
        &server,
        "GET",
        "/backup-schedules/sched/history",
        None,
    ));
    assert_eq!(history.len(), runs.len());
}

#[test]
fn the_history_grows_as_the_clock_passes_the_next_run() {
    // a run 1.5 s from now (to the millisecond, as the fake keeps times): not yet a backup,
    // then one
    let run = OffsetDateTime::now_utc() + time::Duration::milliseconds(1500);
    let run = run
        .replace_nanosecond(run.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap();
    let server = FakeControlPlane::builder()
        .schedule(
            FakeSchedule::weekly("w")
                .of_index("docs")
                .created(&rfc3339(run - DAY))
                .next_run(&rfc3339(run)),
        )
        .start()
        .unwrap();
    let history = || data(&call(&server, "GET", "/backup-schedules/w/history", None));
    let before = history();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0]["status"], "Scheduled");
    assert!(server.backups_of("docs").is_empty());
    std::thread::sleep(Duration::from_millis(1700));
    let after = history();
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[1]["status"], "Ready");
    assert_eq!(
        after[1]["backup_id"], before[0]["backup_id"],
        "the planned run made it"
    );
    assert_eq!(
        instant(after[0]["scheduled_execution_at"].as_str().unwrap()) - instant(&rfc3339(run)),
        DAY * 7,
        "weekly"
    );
    assert_eq!(server.backups_of("docs").len(), 1);
    let described = server.schedule("w").unwrap();
    assert_eq!(
        described.next_scheduled_run.as_deref().map(instant),
        Some(instant(&rfc3339(run)) + DAY * 7)
    );
}

#[test]
fn monthly_runs_are_30_days_apart_and_a_long_gap_keeps_the_last_1000_runs() {
    let now = OffsetDateTime::now_utc();
    let server = FakeControlPlane::builder()
        .schedule(
            FakeSchedule::monthly("m")
                .of_index("docs")
                .next_run(&rfc3339(now - DAY * 95)),
        )
        .schedule(
            FakeSchedule::daily("d")
                .of_index("logs")
                .next_run(&rfc3339(now - DAY * 1500)),
        )
        .start()
        .unwrap();
    let monthly = data(&call(
        &server,
        "GET",
        "/backup-schedules/m/history?limit=100",
        None,
    ));
    let times: Vec<OffsetDateTime> = monthly
        .iter()
        .skip(1)
        .map(|h| instant(h["created_at"].as_str().unwrap()))
        .collect();
    assert_eq!(times.len(), 4, "{monthly:?}");
    assert!(
        times.windows(2).all(|w| w[0] - w[1] == DAY * 30),
        "{times:?}"
    );
    assert_eq!(server.backups_of("logs").len(), 1000);
}

#[test]
fn listings_and_histories_page_with_their_own_tokens() {
    let mut builder = FakeControlPlane::builder();
    for i in 0..25 {
        builder = builder.schedule(
            FakeSchedule::daily(&format!("s{i:02}"))
                .of_index("docs")
                .disabled(),
        );
    }
    let server = builder
        .schedule(FakeSchedule::daily("other").of_index("logs").disabled())
        .schedule_created_ago(
            FakeSchedule::daily("busy").of_index("busy-index"),
            Duration::from_secs(30 * 86_400),
        )
        .start()
        .unwrap();
    let walk = |path: &str, limit: u32| -> (Vec<Value>, usize) {
        let mut items = Vec::new();
        let mut url = format!("{path}?limit={limit}");
        for pages in 1..100 {
            let reply = call(&server, "GET", &url, None);
            items.extend(data(&reply));
            match reply.json().get("pagination") {
                None => return (items, pages),
                Some(p) => {
                    let next = p["next"].as_str().unwrap();
                    url = format!("{path}?limit={limit}&paginationToken={}", encode(next));
                }
            }
        }
        panic!("no last page");
    };
    let (schedules, pages) = walk("/indexes/docs/backup-schedules", 10);
    assert_eq!((schedules.len(), pages), (25, 3));
    assert_eq!(schedules[0]["schedule_id"], "s00");
    assert!(schedules.iter().all(|s| s["next_scheduled_run"].is_null()));
    let (history, pages) = walk("/backup-schedules/busy/history", 7);
    assert_eq!(
        (history.len(), pages),
        (31, 5),
        "30 runs and the planned one"
    );
    // the default page is 100; another listing's token is 400
    assert_eq!(
        data(&call(
            &server,
            "GET",
            "/indexes/docs/backup-schedules",
            None
        ))
        .len(),
        25
    );
    let first = call(
        &server,
        "GET",
        "/indexes/docs/backup-schedules?limit=5",
        None,
    )
    .json();
    let token = encode(first["pagination"]["next"].as_str().unwrap());
    for path in [
        "/indexes/logs/backup-schedules",
        "/backup-schedules/busy/history",
        "/backups",
    ] {
        let reply = call(
            &server,
            "GET",
            &format!("{path}?paginationToken={token}"),
            None,
        );
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
    }
    assert_eq!(
        call(
            &server,
            "GET",
            "/indexes/docs/backup-schedules?limit=0",
            None
        )
        .status,
        400
    );
}

#[test]
fn faults_on_each_schedule_endpoint_and_the_ones_that_take_effect() {
    let server = FakeControlPlane::builder()
        .index("docs")
        .index("logs")
        .schedule(FakeSchedule::daily("s").of_index("docs"))
        .start()
        .unwrap();
    for (endpoint, method, path, body) in [
        (
            Endpoint::ListSchedules,
            "GET",
            "/indexes/docs/backup-schedules",
            None,
        ),
        (
            Endpoint::DescribeSchedule,
            "GET",
            "/backup-schedules/s",
            None,
        ),
        (
            Endpoint::UpdateSchedule,
            "PATCH",
            "/backup-schedules/s",
            Some("{}"),
        ),
        (
            Endpoint::ScheduleHistory,
            "GET",
            "/backup-schedules/s/history",
            None,
        ),
        (
            Endpoint::DeleteSchedule,
            "DELETE",
            "/backup-schedules/s",
            None,
        ),
    ] {
        server.inject_on(endpoint, Fault::Status(503));
        assert_eq!(get(&format!("{}/backups", server.base_url())).status, 200);
        assert_eq!(
            call(&server, method, path, body).status,
            503,
            "{method} {path}"
        );
    }
    assert!(server.schedule("s").is_some(), "the 503 deleted nothing");

    // a create processed, then dropped: it exists, so the retry is a conflict
    server.inject_on(Endpoint::CreateSchedule, Fault::ProcessThenDrop);
    let body = create_body("lost", "daily", 7);
    let seen = raw_exchange(
        server.addr(),
        &raw_request_2026_07("POST", "/indexes/logs/backup-schedules", &body),
        Duration::from_secs(5),
    );
    assert!(
        seen.received.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&seen.received)
    );
    assert_eq!(create(&server, "logs", "lost").status, 409);
    let listed = data(&call(
        &server,
        "GET",
        "/indexes/logs/backup-schedules",
        None,
    ));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "lost");
    // a create that is dropped unprocessed creates nothing
    assert_eq!(
        call(&server, "DELETE", "/backup-schedules/s", None).status,
        204
    );
    server.inject_on(Endpoint::CreateSchedule, Fault::Drop);
    let seen = raw_exchange(
        server.addr(),
        &raw_request_2026_07("POST", "/indexes/docs/backup-schedules", &body),
        Duration::from_secs(5),
    );
    assert!(seen.received.is_empty());
    assert!(
        data(&call(
            &server,
            "GET",
            "/indexes/docs/backup-schedules",
            None
        ))
        .is_empty()
    );

    // a delete processed, then answered 500: gone
    let id = listed[0]["schedule_id"].as_str().unwrap().to_owned();
    server.inject_on(Endpoint::DeleteSchedule, Fault::ProcessThenStatus(500));
    assert_eq!(
        call(&server, "DELETE", &format!("/backup-schedules/{id}"), None).status,
        500
    );
    assert!(server.schedule(&id).is_none());
    // an update processed, then stalled: changed
    let id = create(&server, "logs", "again").json()["schedule_id"]
        .as_str()
        .unwrap()
        .to_owned();
    server.inject_on(
        Endpoint::UpdateSchedule,
        Fault::ProcessThenStall(Duration::from_millis(100)),
    );
    let seen = raw_exchange(
        server.addr(),
        &raw_request_2026_07(
            "PATCH",
            &format!("/backup-schedules/{id}"),
            r#"{"enabled":false}"#,
        ),
        Duration::from_secs(5),
    );
    assert!(seen.received.is_empty());
    assert_eq!(server.schedule(&id).map(|s| s.enabled), Some(false));
    let stats = server.stats();
    assert_eq!((stats.schedules_created, stats.schedules_deleted), (2, 2));
}

/// A raw request in 2026-07, with `Connection: close`.
fn raw_request_2026_07(method: &str, path: &str, body: &str) -> String {
    raw_request(method, path, body).replacen(
        "Connection: close\r\n",
        "Connection: close\r\nX-Pinecone-Api-Version: 2026-07\r\n",
        1,
    )
}
