//! API versions: the header picks the shapes; 2025-04, 2025-10 and 2026-04 answer alike, 2026-07
//! reports less progress, drops `pagination` on the last page, pages by 100 and answers 401 in
//! plain text.

mod fake_support;

use fake_support::{agent, get, get_version, send};
use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, Fault};
use serde_json::Value;

const OLDER: [&str; 3] = ["2025-04", "2025-10", "2026-04"];

fn data(page: &Value) -> &Vec<Value> {
    page["data"].as_array().expect("data is an array")
}

#[test]
fn without_the_header_and_in_the_older_versions_the_answers_are_the_same_bytes() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::progressing("p", 3, Ending::Completed))
        .jobs(30)
        .start()
        .unwrap();
    let base = server.base_url();
    let list = format!("{base}/restore-jobs?limit=25");
    let unversioned = get(&list).body;
    for version in OLDER {
        assert_eq!(get_version(&list, version).body, unversioned, "{version}");
    }
    // the describe advances the job once per version: compare against a fresh server state
    let describe = format!("{base}/restore-jobs/p");
    let first = get(&describe).json();
    assert_eq!(first["percent_complete"].as_f64(), Some(33.3));
    assert_eq!(
        get_version(&describe, "2025-10").json()["percent_complete"].as_f64(),
        Some(66.6)
    );
    assert_eq!(
        get_version(&describe, "2026-04").json()["percent_complete"],
        100
    );
}

#[test]
fn the_2025_04_family_has_float_percentages_and_null_pagination_on_the_last_page() {
    let server = FakeControlPlane::builder().jobs(25).start().unwrap();
    let url = format!("{}/restore-jobs?limit=25", server.base_url());
    for version in OLDER {
        let reply = get_version(&url, version);
        assert!(
            reply.body.ends_with(r#"],"pagination":null}"#),
            "{version}: {}",
            reply.body
        );
        let page = reply.json();
        let fractional = data(&page).iter().filter(|job| {
            job["status"] == "Pending"
                && job["percent_complete"]
                    .as_f64()
                    .is_some_and(|p| p.fract() != 0.0)
        });
        assert!(fractional.count() > 0, "{version}: a pending job at x.y%");
        let completed = data(&page)
            .iter()
            .find(|job| job["status"] == "Completed")
            .unwrap();
        assert!(completed["percent_complete"].is_u64());
        // unknown values are left out, not null
        for job in data(&page) {
            if job["status"] == "Pending" {
                assert!(job.get("completed_at").is_none(), "{job}");
            }
        }
    }
}

#[test]
fn the_2026_07_job_shape_reports_only_completion() {
    let server = FakeControlPlane::builder().jobs(25).start().unwrap();
    let url = format!("{}/restore-jobs?limit=25", server.base_url());
    let page = get_version(&url, "2026-07").json();
    let jobs = data(&page);
    assert_eq!(jobs.len(), 25);
    let mut statuses = std::collections::HashSet::new();
    for job in jobs {
        let status = job["status"].as_str().unwrap();
        statuses.insert(status);
        if status == "Completed" {
            assert!(job["percent_complete"].is_u64(), "{job}");
            assert_eq!(job["percent_complete"], 100);
            assert!(job["completed_at"].is_string(), "{job}");
        } else {
            assert!(job.get("percent_complete").is_none(), "{job}");
        }
        if status == "Pending" {
            // present, and null
            assert_eq!(job.get("completed_at"), Some(&Value::Null), "{job}");
        }
        assert!(job.get("created_at").is_some(), "{job}");
    }
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    // the generated job that was never timestamped keeps `created_at: null`
    assert!(jobs.iter().any(|job| job["created_at"].is_null()));
}

#[test]
fn a_progressing_job_in_2026_07_shows_no_percentage_until_it_completes() {
    let server = FakeControlPlane::builder()
        .job(FakeJob::progressing("p", 3, Ending::Completed))
        .job(FakeJob::progressing("f", 1, Ending::Failed))
        .start()
        .unwrap();
    let base = server.base_url();
    let url = format!("{base}/restore-jobs/p");
    for _ in 0..2 {
        let reply = get_version(&url, "2026-07");
        assert!(!reply.body.contains("percent_complete"), "{}", reply.body);
        assert!(
            reply.body.contains(r#""completed_at":null"#),
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["status"], "Pending");
    }
    let done = get_version(&url, "2026-07");
    assert!(
        done.body.contains(r#""percent_complete":100,"#),
        "{}",
        done.body
    );
    assert!(done.json()["completed_at"].is_string());

    let failed = get_version(&format!("{base}/restore-jobs/f"), "2026-07").json();
    assert_eq!(failed["status"], "Failed");
    assert!(failed.get("percent_complete").is_none());
    assert!(failed["completed_at"].is_string());
}

#[test]
fn the_2026_07_listing_pages_by_100_and_leaves_pagination_out_on_the_last_page() {
    let server = FakeControlPlane::builder().jobs(150).start().unwrap();
    let base = server.base_url();
    let first = get_version(&format!("{base}/restore-jobs"), "2026-07").json();
    assert_eq!(data(&first).len(), 100);
    let next = first["pagination"]["next"].as_str().unwrap();
    let second = get_version(
        &format!(
            "{base}/restore-jobs?paginationToken={}",
            fake_support::encode(next)
        ),
        "2026-07",
    );
    assert_eq!(data(&second.json()).len(), 50);
    assert!(!second.body.contains("pagination"), "{}", second.body);

    // 2025-04 still pages by 10
    assert_eq!(data(&get(&format!("{base}/restore-jobs")).json()).len(), 10);

    // limits outside 1..=100 are refused in every version
    for version in ["2025-04", "2026-07"] {
        for bad in ["0", "101"] {
            let reply = get_version(&format!("{base}/restore-jobs?limit={bad}"), version);
            assert_eq!(reply.status, 400, "{version} limit={bad}");
            assert_eq!(reply.code(), "INVALID_ARGUMENT");
        }
    }

    let empty = FakeControlPlane::builder().start().unwrap();
    let reply = get_version(&format!("{}/restore-jobs", empty.base_url()), "2026-07");
    assert_eq!(reply.body, r#"{"data":[]}"#);
}

#[test]
fn a_401_in_2026_07_is_plain_text() {
    let server = FakeControlPlane::builder()
        .jobs(3)
        .api_key(Some("right"))
        .start()
        .unwrap();
    let url = format!("{}/restore-jobs", server.base_url());
    let agent = agent();
    let text = |key: &str| {
        send(
            &agent,
            "GET",
            &url,
            &[("Api-Key", key), ("X-Pinecone-Api-Version", "2026-07")],
            None,
        )
    };
    let reply = text("wrong");
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(reply.body, "Invalid API key.");
    assert_eq!(text("right").status, 200);

    // the Unauthorized fault follows the version too
    server.inject(Fault::Unauthorized);
    let reply = text("right");
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, "Invalid API key.")
    );

    // older versions keep the JSON body
    let reply = send(
        &agent,
        "GET",
        &url,
        &[("Api-Key", "wrong"), ("X-Pinecone-Api-Version", "2026-04")],
        None,
    );
    assert_eq!(reply.status, 401);
    assert_eq!(reply.code(), "UNAUTHENTICATED");
    assert_eq!(reply.header("content-type"), Some("application/json"));
}

#[test]
fn an_unknown_version_is_refused_with_400_naming_it() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let base = server.base_url();
    for path in ["/restore-jobs", "/restore-jobs/x", "/elsewhere"] {
        let reply = get_version(&format!("{base}{path}"), "2027-01");
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(
            reply.body,
            r#"{"error":{"code":"INVALID_ARGUMENT","message":"Unsupported API version `2027-01`: supported versions are 2025-04, 2025-10, 2026-04, 2026-07."},"status":400}"#
        );
    }
    assert_eq!(
        get_version(&format!("{base}/restore-jobs"), "2025-4").status,
        400
    );
    let last = server.requests().pop().unwrap();
    assert_eq!(
        (last.api_version.as_deref(), last.status),
        (Some("2025-4"), 400)
    );
}
