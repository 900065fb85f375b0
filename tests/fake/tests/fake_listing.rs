//! Listing: pagination, tokens, `limit` validation, auth, path prefix.

mod fake_support;

use std::collections::{HashMap, HashSet};

use fake_support::{agent, encode, get, get_with, walk};
use pinecone_restore_fake::FakeControlPlane;

#[test]
fn walk_over_250_jobs_covers_every_id_exactly_once() {
    let server = FakeControlPlane::builder().jobs(250).start().unwrap();
    let (ids, tokens) = walk(&server.base_url(), 100);
    assert_eq!(ids.len(), 250);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 250);
    assert_eq!(tokens.len(), 2, "pages of 100, 100, 50");
    assert_eq!(server.stats().list_requests, 3);
}

#[test]
fn overlapping_pages_repeat_jobs_but_a_walk_still_covers_all() {
    let server = FakeControlPlane::builder()
        .jobs(250)
        .page_overlap(3)
        .start()
        .unwrap();
    let (ids, _) = walk(&server.base_url(), 100);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for id in &ids {
        *counts.entry(id).or_default() += 1;
    }
    assert_eq!(counts.len(), 250, "every job listed");
    let twice = counts.values().filter(|&&n| n == 2).count();
    assert!(twice > 0 && counts.values().all(|&n| n <= 2), "{counts:?}");
    // pages start at 0, 97, 194: the overlaps are jobs 97..100 and 194..197
    assert_eq!(twice, 6);
    assert_eq!(ids.len(), 256);
}

#[test]
fn last_page_has_null_pagination_and_empty_listing_too() {
    let server = FakeControlPlane::builder().jobs(3).start().unwrap();
    let reply = get(&format!("{}/restore-jobs", server.base_url()));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.body.contains("\"pagination\":null"), "{}", reply.body);
    assert_eq!(reply.json()["data"].as_array().unwrap().len(), 3);

    let empty = FakeControlPlane::builder().start().unwrap();
    let reply = get(&format!("{}/restore-jobs", empty.base_url()));
    assert_eq!(reply.body, r#"{"data":[],"pagination":null}"#);
}

#[test]
fn default_limit_is_10_and_a_token_keeps_its_page_size() {
    let server = FakeControlPlane::builder().jobs(30).start().unwrap();
    let base = server.base_url();
    let first = get(&format!("{base}/restore-jobs")).json();
    assert_eq!(first["data"].as_array().unwrap().len(), 10);

    let first = get(&format!("{base}/restore-jobs?limit=4")).json();
    let token = first["pagination"]["next"].as_str().unwrap();
    // a different limit with the token: the token's page size wins
    let second = get(&format!(
        "{base}/restore-jobs?limit=7&paginationToken={}",
        encode(token)
    ))
    .json();
    assert_eq!(second["data"].as_array().unwrap().len(), 4);
    assert_ne!(first["data"][0], second["data"][0]);
}

#[test]
fn tokens_contain_plus_slash_and_padding() {
    let server = FakeControlPlane::builder().jobs(1000).start().unwrap();
    let (_, tokens) = walk(&server.base_url(), 100);
    assert_eq!(tokens.len(), 9);
    for token in tokens {
        assert!(
            token.contains('+') && token.contains('/') && token.contains('='),
            "{token}"
        );
    }
}

#[test]
fn a_token_whose_plus_arrives_as_a_space_is_rejected() {
    let server = FakeControlPlane::builder().jobs(30).start().unwrap();
    let base = server.base_url();
    let token = get(&format!("{base}/restore-jobs?limit=10")).json()["pagination"]["next"]
        .as_str()
        .unwrap()
        .to_owned();

    // properly encoded: accepted
    let ok = get(&format!(
        "{base}/restore-jobs?paginationToken={}",
        encode(&token)
    ));
    assert_eq!(ok.status, 200, "{}", ok.body);

    // sent raw, as a client that forgets to encode does: `+` means space in a query
    let raw = get(&format!("{base}/restore-jobs?paginationToken={token}"));
    assert_eq!(raw.status, 400, "{}", raw.body);
    assert_eq!(raw.code(), "INVALID_ARGUMENT");
    assert!(
        raw.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("malformed pagination token")
    );
    assert_eq!(raw.json()["status"], 400);

    // `+` replaced by an encoded space
    let spaced = encode(&token.replace('+', " "));
    let reply = get(&format!("{base}/restore-jobs?paginationToken={spaced}"));
    assert_eq!(reply.status, 400);

    // the query string is recorded exactly as it arrived
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.query.as_deref(),
        Some(format!("paginationToken={spaced}").as_str())
    );
    assert!(last.query.unwrap().contains("%20"));

    // garbage and foreign tokens
    for bad in ["garbage", "dXNlcl9pZD11c2VyXzE%3D", "%zz"] {
        let reply = get(&format!("{base}/restore-jobs?paginationToken={bad}"));
        assert_eq!(reply.status, 400, "{bad}");
        assert_eq!(reply.code(), "INVALID_ARGUMENT");
    }
}

#[test]
fn limit_outside_1_to_100_is_rejected() {
    let server = FakeControlPlane::builder().jobs(150).start().unwrap();
    let base = server.base_url();
    for bad in ["0", "101", "-1", "abc", "", "1e2"] {
        let reply = get(&format!("{base}/restore-jobs?limit={bad}"));
        assert_eq!(reply.status, 400, "limit={bad}");
        assert_eq!(reply.code(), "INVALID_ARGUMENT");
    }
    for good in [1, 100] {
        let reply = get(&format!("{base}/restore-jobs?limit={good}"));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["data"].as_array().unwrap().len(), good);
    }
}

#[test]
fn api_key_is_enforced_when_set() {
    let server = FakeControlPlane::builder()
        .jobs(5)
        .api_key(Some("right-key"))
        .start()
        .unwrap();
    let url = format!("{}/restore-jobs", server.base_url());
    let agent = agent();
    for key in [None, Some("wrong-key"), Some("Right-Key")] {
        let reply = get_with(&agent, &url, key);
        assert_eq!(reply.status, 401, "{key:?}");
        assert_eq!(
            reply.body,
            r#"{"error":{"code":"UNAUTHENTICATED","message":"Invalid API key."},"status":401}"#
        );
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    assert_eq!(get_with(&agent, &url, Some("right-key")).status, 200);
    // describe and unknown paths are guarded too
    let describe = format!("{}/restore-jobs/x", server.base_url());
    assert_eq!(get_with(&agent, &describe, None).status, 401);

    let keys: Vec<_> = server.requests().into_iter().map(|r| r.api_key).collect();
    assert_eq!(keys[0], None);
    assert_eq!(keys[1].as_deref(), Some("wrong-key"));
}

#[test]
fn without_a_key_configured_any_key_or_none_is_accepted() {
    let server = FakeControlPlane::builder().jobs(5).start().unwrap();
    let url = format!("{}/restore-jobs", server.base_url());
    assert_eq!(get_with(&agent(), &url, None).status, 200);
    assert_eq!(get_with(&agent(), &url, Some("anything")).status, 200);
}

#[test]
fn path_prefix_serves_under_the_prefix_only() {
    let server = FakeControlPlane::builder()
        .jobs(120)
        .path_prefix("/gw/")
        .start()
        .unwrap();
    let base = server.base_url();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/gw"),
        "{base}"
    );
    let (ids, _) = walk(&base, 50);
    assert_eq!(ids.len(), 120);

    let id = &ids[0];
    assert_eq!(get(&format!("{base}/restore-jobs/{id}")).status, 200);

    let root = base.trim_end_matches("/gw");
    let reply = get(&format!("{root}/restore-jobs"));
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "NOT_FOUND");
}

#[test]
fn a_100_job_page_is_realistic_in_size_and_content() {
    let server = FakeControlPlane::builder().jobs(100).start().unwrap();
    let reply = get(&format!("{}/restore-jobs?limit=100", server.base_url()));
    let size = reply.body.len();
    assert!((25_000..=28_500).contains(&size), "page is {size} bytes");
    let page = reply.json();
    let jobs = page["data"].as_array().unwrap();
    let statuses: HashSet<_> = jobs.iter().map(|j| j["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        HashSet::from(["Completed", "Pending", "Failed", "Cancelled"])
    );
    for job in jobs {
        for key in [
            "restore_job_id",
            "backup_id",
            "target_index_name",
            "target_index_id",
            "status",
        ] {
            assert!(job[key].is_string(), "{key} in {job}");
        }
        assert!(
            job.get("created_at").is_some(),
            "created_at is required: {job}"
        );
        if job["status"] == "Completed" {
            assert_eq!(job["percent_complete"], 100);
            assert!(job["completed_at"].as_str().unwrap().ends_with('Z'));
        }
        if let Some(p) = job.get("percent_complete") {
            assert!((0.0..=100.0).contains(&p.as_f64().unwrap()));
        }
        assert!(job["target_index_id"].as_str().unwrap().starts_with("idx_"));
    }
}
