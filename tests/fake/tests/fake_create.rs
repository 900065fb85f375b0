//! `POST /backups/{backup_id}/create-index`: a restore starts, is listed first and progresses;
//! every refusal has its status, code and message, in the documented order.

mod fake_support;

use fake_support::{Reply, agent, encode, get, get_version, post, post_with, send};
use pinecone_restore_fake::{FakeBackup, FakeControlPlane, FakeJob, FakeServer};
use serde_json::Value;

fn server() -> FakeServer {
    FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .backup(FakeBackup::not_ready("bkp-pending"))
        .index("taken-index")
        .job(FakeJob::completed("old-job"))
        .jobs(5)
        .start()
        .unwrap()
}

fn create(server: &FakeServer, backup: &str, body: &str) -> Reply {
    post(
        &format!("{}/backups/{backup}/create-index", server.base_url()),
        body,
    )
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<_> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
}

fn listed_ids(server: &FakeServer) -> Vec<String> {
    let page = get(&format!("{}/restore-jobs?limit=100", server.base_url())).json();
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["restore_job_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts the API's error body with this status, code and message.
fn assert_error(reply: &Reply, status: u16, code: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["status"], status, "{}", reply.body);
    assert_eq!(body["error"]["code"], code, "{}", reply.body);
    assert_eq!(body["error"]["message"], message, "{}", reply.body);
}

#[test]
fn a_restore_starts_is_listed_first_and_progresses_to_completed() {
    let server = server();
    let before = listed_ids(&server);
    let reply = create(&server, "bkp-1", r#"{"name":"restored-index"}"#);
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("x-pinecone-request-id").is_some());
    let started = reply.json();
    let job_id = started["restore_job_id"].as_str().unwrap();
    let index_id = started["index_id"].as_str().unwrap();
    assert!(is_uuid(job_id) && is_uuid(index_id), "{started}");
    assert_eq!(started.as_object().unwrap().len(), 2, "{started}");

    let after = listed_ids(&server);
    assert_eq!(after.first().map(String::as_str), Some(job_id));
    assert_eq!(after.get(1..), Some(&before[..]));

    let url = format!("{}/restore-jobs/{job_id}", server.base_url());
    let job = get(&url).json();
    assert_eq!(job["backup_id"], "bkp-1");
    assert_eq!(job["target_index_name"], "restored-index");
    assert_eq!(job["target_index_id"], index_id);
    assert_eq!(job["status"], "Pending");
    // created now: RFC 3339 UTC with milliseconds, later than every generated job
    let created_at = job["created_at"].as_str().unwrap();
    assert_eq!(created_at.len(), 24, "{created_at}");
    assert!(
        created_at.ends_with('Z') && created_at > "2025-07",
        "{created_at}"
    );
    assert!(job.get("completed_at").is_none());

    // the default is 3 describes: the one above, then two more
    assert_eq!(get(&url).json()["status"], "Pending");
    let done = get(&url).json();
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["percent_complete"], 100);
    let completed_at = done["completed_at"].as_str().unwrap();
    assert!(completed_at >= created_at, "{created_at} .. {completed_at}");
    assert_eq!(server.job(job_id).unwrap().status, "Completed");

    let stats = server.stats();
    assert_eq!((stats.create_requests, stats.restores_created), (1, 1));
    let record = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(record.path, "/backups/bkp-1/create-index");
    assert_eq!(record.body.as_deref(), Some(r#"{"name":"restored-index"}"#));
    assert_eq!(record.content_type.as_deref(), Some("application/json"));
    assert_eq!(record.status, 202);
    assert_eq!(
        server.requests().first().unwrap().body,
        None,
        "a GET has none"
    );
}

#[test]
fn restore_polls_and_not_found_polls_apply_to_started_restores() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b"))
        .restore_polls(1)
        .not_found_polls(2)
        .start()
        .unwrap();
    let reply = create(&server, "b", r#"{"name":"x"}"#);
    let id = reply.json()["restore_job_id"].as_str().unwrap().to_owned();
    let url = format!("{}/restore-jobs/{id}", server.base_url());
    let statuses: Vec<_> = (0..3).map(|_| get(&url).status).collect();
    assert_eq!(statuses, [404, 404, 200]);
    assert_eq!(get(&url).json()["status"], "Completed");
    // listing shows it from the start
    assert_eq!(listed_ids(&server), [id]);

    let instant = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b"))
        .restore_polls(0)
        .start()
        .unwrap();
    let reply = create(&instant, "b", r#"{"name":"x"}"#);
    let id = reply.json()["restore_job_id"].as_str().unwrap().to_owned();
    assert_eq!(instant.job(&id).unwrap().status, "Completed");
}

#[test]
fn a_started_restore_has_the_2026_07_shape_in_2026_07() {
    let server = server();
    let reply = send(
        &agent(),
        "POST",
        &format!("{}/backups/bkp-1/create-index", server.base_url()),
        &[("X-Pinecone-Api-Version", "2026-07")],
        Some(br#"{"name":"new-one"}"#),
    );
    assert_eq!(reply.status, 202);
    let id = reply.json()["restore_job_id"].as_str().unwrap().to_owned();
    let url = format!("{}/restore-jobs/{id}", server.base_url());
    let pending = get_version(&url, "2026-07");
    assert!(
        !pending.body.contains("percent_complete"),
        "{}",
        pending.body
    );
    assert_eq!(pending.json()["completed_at"], Value::Null);
    get(&url);
    let done = get_version(&url, "2026-07").json();
    assert_eq!(
        (done["status"].as_str(), done["percent_complete"].as_u64()),
        (Some("Completed"), Some(100))
    );
}

#[test]
fn ids_are_fresh_and_the_backup_id_is_percent_decoded() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp/1 x+y"))
        .path_prefix("/gw")
        .start()
        .unwrap();
    let segment = encode("bkp/1 x+y");
    let mut seen = std::collections::HashSet::new();
    for name in ["a", "b", "c"] {
        let reply = create(&server, &segment, &format!(r#"{{"name":"{name}"}}"#));
        assert_eq!(reply.status, 202, "{}", reply.body);
        let started = reply.json();
        assert!(seen.insert(started["restore_job_id"].to_string()));
        assert!(seen.insert(started["index_id"].to_string()));
        let job = server
            .job(started["restore_job_id"].as_str().unwrap())
            .unwrap();
        assert_eq!(job.backup_id, "bkp/1 x+y");
    }
    let reply = create(&server, "bkp%zz", r#"{"name":"d"}"#);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), "INVALID_ARGUMENT");
}

#[test]
fn unknown_and_unready_backups_are_refused() {
    let server = server();
    assert_error(
        &create(&server, "nope", r#"{"name":"x"}"#),
        404,
        "NOT_FOUND",
        "Backup nope not found.",
    );
    assert_error(
        &create(&server, "bkp-pending", r#"{"name":"x"}"#),
        412,
        "FAILED_PRECONDITION",
        "Backup bkp-pending is not completed",
    );
    let failed = FakeControlPlane::builder()
        .backup(FakeBackup {
            status: "Failed".to_owned(),
            ..FakeBackup::ready("f")
        })
        .start()
        .unwrap();
    assert_eq!(create(&failed, "f", r#"{"name":"x"}"#).status, 412);
    assert_eq!(server.stats().restores_created, 0);
    assert_eq!(listed_ids(&server).len(), 6);
}

#[test]
fn an_existing_index_name_is_refused_with_409() {
    let server = server();
    assert_error(
        &create(&server, "bkp-1", r#"{"name":"taken-index"}"#),
        409,
        "ALREADY_EXISTS",
        "Index taken-index already exists.",
    );
    // the target of a served job exists
    let target = server.job("old-job").unwrap().target_index_name;
    let reply = create(&server, "bkp-1", &format!(r#"{{"name":"{target}"}}"#));
    assert_eq!(reply.status, 409, "{target}");

    // a second create with the same name: the first one made the index
    assert_eq!(create(&server, "bkp-1", r#"{"name":"fresh"}"#).status, 202);
    assert_error(
        &create(&server, "bkp-1", r#"{"name":"fresh"}"#),
        409,
        "ALREADY_EXISTS",
        "Index fresh already exists.",
    );
    let stats = server.stats();
    assert_eq!((stats.create_requests, stats.restores_created), (4, 1));
}

#[test]
fn concurrent_creates_of_one_name_start_one_restore() {
    let server = server();
    let url = format!("{}/backups/bkp-1/create-index", server.base_url());
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| post(&url, r#"{"name":"race"}"#).status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 202).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(server.stats().restores_created, 1);
}

#[test]
fn each_rule_is_a_400_naming_it() {
    let server = server();
    let long_name = "a".repeat(46);
    let long_key = "k".repeat(81);
    let long_value = "v".repeat(121);
    let cases = [
        (
            r#"{"name":""}"#.to_owned(),
            "1 to 45 characters long, found 0",
        ),
        (
            format!(r#"{{"name":"{long_name}"}}"#),
            "1 to 45 characters long, found 46",
        ),
        (
            r#"{"name":"Upper"}"#.to_owned(),
            "only of lowercase alphanumeric characters or '-'",
        ),
        (
            r#"{"name":"under_score"}"#.to_owned(),
            "only of lowercase alphanumeric characters or '-'",
        ),
        (
            r#"{"name":"-dash"}"#.to_owned(),
            "start and end with an alphanumeric character",
        ),
        (
            r#"{"name":"dash-"}"#.to_owned(),
            "start and end with an alphanumeric character",
        ),
        (
            r#"{"name":"ok","tags":{"":"v"}}"#.to_owned(),
            "keys must be 1 to 80 characters long, found 0",
        ),
        (
            format!(r#"{{"name":"ok","tags":{{"{long_key}":"v"}}}}"#),
            "keys must be 1 to 80 characters long, found 81",
        ),
        (
            r#"{"name":"ok","tags":{"a.b":"v"}}"#.to_owned(),
            "keys must consist only of alphanumeric characters, '_' or '-'",
        ),
        (
            format!(r#"{{"name":"ok","tags":{{"k":"{long_value}"}}}}"#),
            "values must be 120 characters or less, found 121",
        ),
        (
            r#"{"name":"ok","tags":{"k":"a/b"}}"#.to_owned(),
            "values must consist only of alphanumeric characters",
        ),
        (
            r#"{"name":"ok","deletion_protection":"on"}"#.to_owned(),
            "expected `enabled` or `disabled`",
        ),
    ];
    for (body, rule) in &cases {
        let reply = create(&server, "bkp-1", body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert_eq!(reply.code(), "INVALID_ARGUMENT");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(rule), "{body}: {message}");
    }
    // what the rules allow
    let allowed = r#"{"name":"a-1","tags":{"Team_x-1":"a;b@c_d-e.f+g h","unset":""},
        "deletion_protection":"enabled","read_capacity":{"mode":"OnDemand"}}"#;
    assert_eq!(create(&server, "bkp-1", allowed).status, 202);
    assert_eq!(
        create(
            &server,
            "bkp-1",
            r#"{"name":"b","deletion_protection":"disabled"}"#
        )
        .status,
        202
    );
    assert_eq!(server.stats().restores_created, 2);
}

#[test]
fn each_shape_problem_is_a_422_with_a_serde_message() {
    let server = server();
    let cases = [
        ("", "EOF while parsing a value"),
        ("not json", "expected"),
        ("[]", "invalid type: sequence"),
        (r#""name""#, "invalid type: string"),
        ("{}", "missing field `name`"),
        (r#"{"nom":"x"}"#, "missing field `name`"),
        (
            r#"{"name":7}"#,
            "invalid type: integer `7`, expected a string",
        ),
        (r#"{"name":null}"#, "invalid type: null, expected a string"),
        (r#"{"name":"x","tags":"t"}"#, "invalid type: string"),
        (
            r#"{"name":"x","tags":{"k":1}}"#,
            "invalid type: integer `1`",
        ),
        (
            r#"{"name":"x","deletion_protection":false}"#,
            "invalid type: boolean",
        ),
        (r#"{"name":"x"} trailing"#, "trailing characters"),
    ];
    for (body, problem) in cases {
        let reply = create(&server, "bkp-1", body);
        assert_eq!(reply.status, 422, "{body}: {}", reply.body);
        assert_eq!(reply.code(), "UNPROCESSABLE_ENTITY");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.starts_with("Failed to deserialize the JSON body into the target type: "),
            "{message}"
        );
        assert!(message.contains(problem), "{body}: {message}");
    }
    assert_error(
        &create(&server, "bkp-1", "{}"),
        422,
        "UNPROCESSABLE_ENTITY",
        "Failed to deserialize the JSON body into the target type: missing field `name`",
    );
    // nulls are fine where the API allows them
    let nulls = r#"{"name":"x","tags":null,"deletion_protection":null}"#;
    assert_eq!(create(&server, "bkp-1", nulls).status, 202);
}

#[test]
fn a_body_over_one_mib_is_a_413() {
    let server = server();
    let padding = "x".repeat(1 << 20);
    let body = format!(r#"{{"name":"big","pad":"{padding}"}}"#);
    let reply = create(&server, "bkp-1", &body);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(reply.code(), "INVALID_ARGUMENT");
    assert_eq!(server.stats().restores_created, 0);
    let recorded = server.requests().pop().unwrap().body.unwrap();
    assert_eq!(recorded.len(), 1 << 20, "at most one MiB is kept");

    // just under the limit is read
    let fits = format!(r#"{{"name":"big","pad":"{}"}}"#, "x".repeat((1 << 20) - 30));
    assert!(fits.len() <= 1 << 20);
    assert_eq!(create(&server, "bkp-1", &fits).status, 202);
}

#[test]
fn checks_come_in_the_documented_order() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b"))
        .backup(FakeBackup::not_ready("p"))
        .index("taken")
        .api_key(Some("key"))
        .start()
        .unwrap();
    let agent = agent();
    let call = |backup: &str, body: &str, key: &str| {
        post_with(
            &agent,
            &format!("{}/backups/{backup}/create-index", server.base_url()),
            &[("Api-Key", key)],
            body,
        )
        .status
    };
    // the key before the body, the body's shape before its rules, the rules before the
    // backup, the backup before the name
    assert_eq!(call("nope", "garbage", "wrong"), 401);
    assert_eq!(call("nope", r#"{"name":"BAD","tags":1}"#, "key"), 422);
    assert_eq!(call("nope", r#"{"name":"BAD"}"#, "key"), 400);
    assert_eq!(call("nope", r#"{"name":"taken"}"#, "key"), 404);
    assert_eq!(call("p", r#"{"name":"taken"}"#, "key"), 412);
    assert_eq!(call("b", r#"{"name":"taken"}"#, "key"), 409);
    assert_eq!(call("b", r#"{"name":"free"}"#, "key"), 202);
    assert_eq!(server.stats().create_requests, 7);
}

#[test]
fn other_methods_on_the_create_route_are_unknown() {
    let server = server();
    let url = format!("{}/backups/bkp-1/create-index", server.base_url());
    let agent = agent();
    for method in ["GET", "PUT", "DELETE"] {
        let reply = send(&agent, method, &url, &[], None);
        assert_eq!(reply.status, 404, "{method}");
        assert_eq!(reply.code(), "NOT_FOUND");
    }
    let reply = post(&format!("{}/restore-jobs/old-job", server.base_url()), "{}");
    assert_eq!(reply.status, 404);
    assert_eq!(server.stats().create_requests, 0);
}

/// Unix seconds of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT` (days from the
/// civil date by Howard Hinnant's algorithm).
fn http_date_secs(date: &str) -> i64 {
    let parts: Vec<&str> = date.split([' ', ':']).collect();
    let [_, day, month, year, hh, mm, ss, "GMT"] = parts[..] else {
        panic!("not an IMF-fixdate: {date}");
    };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = months.iter().position(|m| *m == month).unwrap() as i64 + 1;
    let (d, y): (i64, i64) = (day.parse().unwrap(), year.parse().unwrap());
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let n = |s: &str| s.parse::<i64>().unwrap();
    days * 86_400 + n(hh) * 3600 + n(mm) * 60 + n(ss)
}

fn wall_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn the_server_clock_shows_in_date_and_in_the_times_it_stamps() {
    for ahead in [-3_600_000_i64, 0, 90_000] {
        let server = FakeControlPlane::builder()
            .backup(FakeBackup::ready("bkp-1"))
            .clock_ahead_ms(ahead)
            .job_created_ago(
                FakeJob::completed("before"),
                std::time::Duration::from_secs(200),
            )
            .start()
            .unwrap();
        let before = wall_secs();
        let reply = create(&server, "bkp-1", r#"{"name":"restored-index"}"#);
        let after = wall_secs();
        let date = http_date_secs(reply.header("date").unwrap());
        assert!(
            (before + ahead / 1000..=after + ahead / 1000).contains(&date),
            "{ahead}: {date} not in {before}..={after} shifted"
        );
        let page = get(&format!("{}/restore-jobs", server.base_url())).json();
        let created: Vec<&str> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|job| job["created_at"].as_str().unwrap())
            .collect();
        // ours first, then the job from 200 s before the server started
        assert_eq!(created.len(), 2);
        let at = |text: &str| {
            let date = format!(
                "Mon, {} {} {} {} GMT",
                &text[8..10],
                [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec"
                ][text[5..7].parse::<usize>().unwrap() - 1],
                &text[0..4],
                &text[11..19]
            );
            http_date_secs(&date)
        };
        assert!(
            (date - 1..=date + 1).contains(&at(created[0])),
            "{created:?}"
        );
        let old = at(created[1]);
        assert!(
            (date - 202..=date - 199).contains(&old),
            "{created:?} {date}"
        );
    }
}

#[test]
fn without_dates_no_answer_carries_a_usable_one() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .dates(false)
        .start()
        .unwrap();
    let reply = create(&server, "bkp-1", r#"{"name":"restored-index"}"#);
    assert_eq!(reply.status, 202);
    assert_eq!(reply.header("date"), Some("unknown"));
    let listing = get(&format!("{}/restore-jobs", server.base_url()));
    assert_eq!(listing.header("date"), Some("unknown"));
}

#[test]
fn a_deleted_index_keeps_its_old_job_listed_and_frees_its_name() {
    let old = FakeJob {
        backup_id: "bkp-1".to_owned(),
        target_index_name: "idx".to_owned(),
        ..FakeJob::completed("old-restore")
    };
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp-1"))
        .job(old)
        .index_deleted("idx")
        .start()
        .unwrap();
    assert_eq!(listed_ids(&server), ["old-restore"]);
    let reply = create(&server, "bkp-1", r#"{"name":"idx"}"#);
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(create(&server, "bkp-1", r#"{"name":"idx"}"#).status, 409);
}
