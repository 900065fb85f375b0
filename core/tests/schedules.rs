//! Backup schedules (API 2026-07): every example of the spec's schedule endpoints
//! (`tests/schedule_spec/`, extracted from `db_control_2026-07.oas.yaml` with PyYAML's
//! timestamp resolver off), the parsers' rules and their errors with paths, the requests, and
//! the refusal of every endpoint before 2026-07.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{
    ApiKey, ApiVersion, BackupStatus, Config, CreateSchedule, Error, Frequency, IndexName,
    InvalidResponseKind, Method, Response, RetainDays, ScheduleId, ScheduleName, UpdateSchedule,
    parse_backup, parse_history_page, parse_schedule, parse_schedule_page, schedules,
};
use time::macros::datetime;

const V: ApiVersion = ApiVersion::V2026_07;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schedule_spec")
}

fn read(name: &str) -> Vec<u8> {
    let path = dir().join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config(version: &str) -> Config {
    Config::builder(ApiKey::new("pcsk_schedules_SECRET_0123456789").unwrap())
        .api_version(version)
        .build()
        .unwrap()
}

/// The schedule every example shows.
fn check_example(s: &pinecone_restore_core::BackupSchedule) {
    assert_eq!(s.schedule_id(), "e88f7273-42aa-47e9-af73-593827136867");
    assert_eq!(s.name(), "daily-compliance-backup");
    assert_eq!(s.index_id(), "8cbf7ba6-4135-438e-a3c3-4a89a3298905");
    assert_eq!(s.project_id(), "71ce31ea-75f7-45d6-a147-ef67f661a1b0");
    assert_eq!(s.schedule_type(), "time-based");
    assert_eq!(s.retention_expire_after_days(), 90);
    assert_eq!(
        s.created_at(),
        datetime!(2026-04-02 18:22:56.712605 UTC),
        "microseconds kept"
    );
}

#[test]
fn every_example_of_the_spec_is_read_and_expected() {
    let mut seen = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        let name = name.trim_end_matches(".json").to_owned();
        let body = read(&name);
        match name.as_str() {
            "200-list_backup_schedules-schedules" => {
                let page = parse_schedule_page(&body, &V).unwrap();
                let [s] = page.schedules.as_slice() else {
                    panic!("{page:?}")
                };
                check_example(s);
                assert_eq!((s.frequency(), s.enabled()), (&Frequency::Daily, true));
                assert_eq!(
                    s.next_scheduled_run(),
                    Some(datetime!(2026-04-03 06:00:00 UTC))
                );
                assert!(page.next.is_none(), "pagination absent");
            }
            "200-list_backup_schedules-empty" => {
                assert!(parse_schedule_page(&body, &V).unwrap().schedules.is_empty());
            }
            "200-create_backup_schedule-created" | "200-describe_backup_schedule-schedule" => {
                let s = parse_schedule(&body, &V).unwrap();
                check_example(&s);
                assert!(s.enabled());
            }
            "200-update_backup_schedule-updated" => {
                let s = parse_schedule(&body, &V).unwrap();
                check_example_after_update(&s);
            }
            "200-list_backup_schedule_history-history" => {
                let page = parse_history_page(&body, &V).unwrap();
                let [b] = page.backups.as_slice() else {
                    panic!("{page:?}")
                };
                assert_eq!(b.status(), &BackupStatus::Ready);
                assert_eq!(b.name(), Some("daily-compliance-backup-20260403T060000Z"));
                assert_eq!(b.created_at(), Some(datetime!(2026-04-03 06:00:00 UTC)));
                assert_eq!(b.record_count(), Some(500_000));
                assert!(b.schema().is_some() && b.scheduled_execution_at().is_none());
            }
            "200-list_backup_schedule_history-scheduled-row" => {
                let page = parse_history_page(&body, &V).unwrap();
                let [b] = page.backups.as_slice() else {
                    panic!("{page:?}")
                };
                assert_eq!(b.status(), &BackupStatus::Scheduled);
                assert_eq!(
                    b.scheduled_execution_at(),
                    Some(datetime!(2026-04-04 06:00:00 UTC))
                );
                assert_eq!(b.record_count(), None, "null until Ready");
            }
            "request-create_backup_schedule-daily-schedule" => {
                let ours = CreateSchedule::new(
                    ScheduleName::new("daily-compliance-backup").unwrap(),
                    Frequency::Daily,
                    RetainDays::new(90).unwrap(),
                );
                let sent: serde_json::Value = serde_json::from_slice(&ours.to_json()).unwrap();
                let example: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(sent, example, "our create body is the spec's example");
            }
            "request-update_backup_schedule-update-frequency-retention-disable" => {
                let example: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let mut ours = UpdateSchedule::new();
                if let Some(enabled) = example["enabled"].as_bool() {
                    ours = ours.enabled(enabled);
                }
                if let Some(f) = example["frequency"].as_str() {
                    ours = ours.frequency(f.parse().unwrap());
                }
                if let Some(days) = example["retention"]["expire_after_days"].as_u64() {
                    ours = ours.retain(RetainDays::new(days as u32).unwrap());
                }
                let sent: serde_json::Value = serde_json::from_slice(&ours.to_json()).unwrap();
                assert_eq!(sent, example);
            }
            error => {
                // every error example reads as the API error it shows
                let status: u16 = error[..3].parse().unwrap_or_else(|_| panic!("{error}"));
                let e = Error::from(
                    Response {
                        status,
                        headers: &[],
                        body: &body,
                    }
                    .api_error(&Secrets::none(), SystemTime::now()),
                );
                let example: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(e.status(), Some(status), "{error}");
                assert_eq!(
                    e.code().map(|c| c.as_str().to_owned()),
                    example["error"]["code"].as_str().map(str::to_owned),
                    "{error}"
                );
            }
        }
        seen.push(name);
    }
    assert_eq!(seen.len(), 36, "{seen:?}");
}

fn check_example_after_update(s: &pinecone_restore_core::BackupSchedule) {
    assert_eq!(s.schedule_id(), "e88f7273-42aa-47e9-af73-593827136867");
    // the update example disables it: no next run
    assert!(!s.enabled());
    assert_eq!(s.next_scheduled_run(), None);
}

/// A valid schedule with `key` replaced by `value` (JSON text), or left out (`None`).
fn with(key: &str, value: Option<&str>) -> Vec<u8> {
    let mut members = vec![
        ("schedule_id", r#""s-1""#),
        ("name", r#""nightly""#),
        ("index_id", r#""ix""#),
        ("project_id", r#""p""#),
        ("schedule_type", r#""time-based""#),
        ("frequency", r#""weekly""#),
        ("retention_expire_after_days", "7"),
        ("enabled", "true"),
        ("next_scheduled_run", r#""2026-04-03T06:00:00Z""#),
        ("created_at", r#""2026-04-02T18:22:56Z""#),
    ];
    members.retain(|(k, _)| *k != key);
    let mut text: Vec<String> = members
        .iter()
        .map(|(k, v)| format!(r#""{k}":{v}"#))
        .collect();
    if let Some(v) = value {
        text.push(format!(r#""{key}":{v}"#));
    }
    format!("{{{}}}", text.join(",")).into_bytes()
}

#[test]
fn a_schedule_holds_to_its_schema_and_names_what_broke() {
    let ok = parse_schedule(&with("x", None), &V).unwrap();
    assert_eq!(ok.frequency(), &Frequency::Weekly);
    for (key, value, message) in [
        (
            "schedule_id",
            None,
            "expected key `schedule_id`, found none",
        ),
        (
            "schedule_id",
            Some(r#""""#),
            "schedule_id: expected a non-empty string, found `\"\"`",
        ),
        ("name", Some("7"), "name: expected a string, found `7`"),
        (
            "enabled",
            Some(r#""yes""#),
            "enabled: expected a boolean, found `\"yes\"`",
        ),
        (
            "next_scheduled_run",
            None,
            "expected key `next_scheduled_run`, found none",
        ),
        (
            "next_scheduled_run",
            Some(r#""tomorrow""#),
            "next_scheduled_run: expected an RFC 3339 timestamp, found `\"tomorrow\"`",
        ),
        (
            "created_at",
            Some("null"),
            "created_at: expected an RFC 3339 timestamp, found `null`",
        ),
        (
            "retention_expire_after_days",
            Some("0"),
            "retention_expire_after_days: expected an integer in 1..=2147483647, found `0`",
        ),
        (
            "retention_expire_after_days",
            Some("-3"),
            "retention_expire_after_days: expected an integer in 1..=2147483647, found `-3`",
        ),
        (
            "retention_expire_after_days",
            Some("2147483648"),
            "retention_expire_after_days: expected an integer in 1..=2147483647, found `2147483648`",
        ),
        (
            "retention_expire_after_days",
            Some("1.5"),
            "retention_expire_after_days: expected an integer in 1..=2147483647, found `1.5`",
        ),
    ] {
        let err = parse_schedule(&with(key, value), &V).unwrap_err();
        let shown = err.to_string();
        assert!(shown.ends_with(message), "{key}: {shown}");
        assert!(err.is_invalid_response());
    }
    // nullable where the spec says so; unknown enum values kept as sent
    let off = parse_schedule(&with("next_scheduled_run", Some("null")), &V).unwrap();
    assert_eq!(off.next_scheduled_run(), None);
    let odd = parse_schedule(&with("frequency", Some(r#""hourly""#)), &V).unwrap();
    assert_eq!(odd.frequency(), &Frequency::Other("hourly".to_owned()));
    let odd = parse_schedule(&with("schedule_type", Some(r#""event""#)), &V).unwrap();
    assert_eq!(odd.schedule_type(), "event");
    // each key once
    let twice = br#"{"schedule_id":"a","schedule_id":"b"}"#;
    let err = parse_schedule(twice, &V).unwrap_err();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::Malformed)
    );
    assert!(err.to_string().contains("schedule_id"), "{err}");
    // a page: `data` required, pagination nullable
    let err = parse_schedule_page(br#"{"pagination":null}"#, &V).unwrap_err();
    assert!(err.to_string().contains("data"), "{err}");
    let page = format!(
        r#"{{"data":[{}],"pagination":{{"next":"dG9r"}}}}"#,
        String::from_utf8(with("x", None)).unwrap()
    );
    let page = parse_schedule_page(page.as_bytes(), &V).unwrap();
    assert_eq!(
        page.next.map(|t| t.as_str().to_owned()).as_deref(),
        Some("dG9r")
    );
    let err = parse_schedule_page(
        format!(
            r#"{{"data":[{}]}}"#,
            String::from_utf8(with("enabled", None)).unwrap()
        )
        .as_bytes(),
        &V,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid response: data[0]: expected key `enabled`, found none"
    );
    // a disabled schedule may leave `next_scheduled_run` out, as the spec's own example does
    let disabled = String::from_utf8(with("next_scheduled_run", None))
        .unwrap()
        .replace(r#""enabled":true"#, r#""enabled":false"#);
    let disabled = parse_schedule(disabled.as_bytes(), &V).unwrap();
    assert!(!disabled.enabled() && disabled.next_scheduled_run().is_none());
}

#[test]
fn a_history_item_requires_its_name_and_creation_time() {
    let item = |extra: &str| {
        format!(
            r#"{{"data":[{{"backup_id":"b","source_index_id":"ix","source_index_name":"docs","status":"Ready","cloud":"aws","region":"r"{extra}}}]}}"#
        )
    };
    let ok = parse_history_page(
        item(r#","name":"n","created_at":"2026-04-03T06:00:00Z""#).as_bytes(),
        &V,
    )
    .unwrap();
    assert_eq!(ok.backups.len(), 1);
    for (extra, message) in [
        (
            r#","created_at":"2026-04-03T06:00:00Z""#,
            "data[0]: expected key `name`, found none",
        ),
        (
            r#","name":"n""#,
            "data[0]: expected key `created_at`, found none",
        ),
        (
            r#","name":"n","created_at":null"#,
            "data[0].created_at: expected an RFC 3339 timestamp, found `null`",
        ),
        (
            r#","name":"n","created_at":"2026-04-03T06:00:00Z","scheduled_execution_at":"soon""#,
            "data[0].scheduled_execution_at: expected an RFC 3339 timestamp, found `\"soon\"`",
        ),
    ] {
        let err = parse_history_page(item(extra).as_bytes(), &V).unwrap_err();
        assert!(err.to_string().ends_with(message), "{err}");
    }
    // a plain backup knows nothing of a planned run: the key is ignored there
    let backup = br#"{"backup_id":"b","source_index_id":"ix","source_index_name":"docs",
        "status":"Ready","cloud":"aws","region":"r","scheduled_execution_at":"x"}"#;
    assert_eq!(
        parse_backup(backup, &V).unwrap().scheduled_execution_at(),
        None
    );
}

#[test]
fn every_schedule_endpoint_is_refused_before_2026_07_and_sent_from_it() {
    let index = IndexName::new("docs").unwrap();
    let id = ScheduleId::new("s 1").unwrap();
    let create = CreateSchedule::new(
        ScheduleName::new("n").unwrap(),
        Frequency::Monthly,
        RetainDays::new(30).unwrap(),
    );
    let update = UpdateSchedule::new().enabled(true);
    let requests = |config: &Config| {
        [
            schedules::list(&index, None, None).request(config),
            schedules::create(&index, &create).request(config),
            schedules::describe(&id).request(config),
            schedules::update(&id, &update).request(config),
            schedules::delete(&id).request(config),
            schedules::history(&id, None, None).request(config),
        ]
    };
    for old in ["2025-04", "2025-10", "2026-04"] {
        for refused in requests(&config(old)) {
            let err = refused.unwrap_err();
            assert!(err.is_invalid_argument());
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid backup schedules: expected API version 2026-07 or later, found `{old}`"
                )
            );
        }
    }
    let sent: Vec<(Method, String)> = requests(&config("2026-07"))
        .into_iter()
        .map(|r| {
            let r = r.unwrap();
            (r.method, r.url.replace("https://api.pinecone.io", ""))
        })
        .collect();
    assert_eq!(
        sent,
        [
            (Method::Get, "/indexes/docs/backup-schedules".to_owned()),
            (Method::Post, "/indexes/docs/backup-schedules".to_owned()),
            (Method::Get, "/backup-schedules/s%201".to_owned()),
            (Method::Patch, "/backup-schedules/s%201".to_owned()),
            (Method::Delete, "/backup-schedules/s%201".to_owned()),
            (Method::Get, "/backup-schedules/s%201/history".to_owned()),
        ]
    );
    // an unknown later version has schedules
    assert!(requests(&config("2027-01")).iter().all(Result::is_ok));
}

#[test]
fn requests_take_only_what_the_api_takes() {
    assert!(RetainDays::new(0).is_err());
    assert!("0".parse::<RetainDays>().is_err());
    assert!("99999999999".parse::<RetainDays>().is_err());
    assert_eq!("30".parse::<RetainDays>().unwrap().get(), 30);
    assert!("hourly".parse::<Frequency>().is_err());
    assert_eq!("weekly".parse::<Frequency>().unwrap(), Frequency::Weekly);
    for bad in ["", "a\u{1b}b", "tab\there", &"x".repeat(257)] {
        assert!(ScheduleName::new(bad).is_err(), "{bad:?}");
    }
    assert_eq!(UpdateSchedule::new().to_json(), b"{}");
    assert!(UpdateSchedule::new().is_empty());
    let changed = UpdateSchedule::new().frequency(Frequency::Weekly);
    assert!(!changed.is_empty());
    assert_eq!(changed.to_json(), br#"{"frequency":"weekly"}"#);
    let name = ScheduleName::generate(
        &IndexName::new("a-very-long-index-name-for-a-product-catalog").unwrap(),
        &Frequency::Monthly,
        SystemTime::UNIX_EPOCH,
        u64::MAX,
    );
    assert_eq!(
        name.as_str(),
        "a-very-long-index-name-for-a-product-catalog-monthly-19700101-000000-ffffff"
    );
    assert!(ScheduleName::new(name.as_str()).is_ok());
}
