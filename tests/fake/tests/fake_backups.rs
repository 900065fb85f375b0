//! Backups: both listings paginated, describe, 404s, `limit` errors, each version's shape,
//! `include_deleted`, faults on the new endpoints, and the demo data set's backups.

mod fake_support;

use std::collections::{HashMap, HashSet};

use fake_support::{Reply, agent, encode, get, get_version, post};
use pinecone_restore_fake::{
    DEMO_BACKUP_ID, DEMO_BACKUP_PENDING_ID, DEMO_INDEX_DELETED, DEMO_INDEX_NEWEST_NOT_READY,
    DEMO_INDEX_NEWEST_READY, DEMO_INDEX_NO_READY, DEMO_INDEX_WITHOUT_BACKUPS, Endpoint, FakeBackup,
    FakeControlPlane, FakeServer, Fault,
};
use serde_json::Value;

const VERSIONS: [&str; 4] = ["2025-04", "2025-10", "2026-04", "2026-07"];

/// `n` backups of the index `name`, ids `{name}-{i}`.
fn backups_of(name: &str, n: usize) -> Vec<FakeBackup> {
    (0..n)
        .map(|i| FakeBackup::ready(&format!("{name}-{i}")).of_index(name))
        .collect()
}

/// Follows `pagination.next` over a backup listing at `path` (which may have a query);
/// returns every listed backup id in order and the number of pages. The last page ends the
/// walk in either form (`null`, or no `pagination` in 2026-07).
fn walk(server: &FakeServer, path: &str, limit: u32, version: &str) -> (Vec<String>, usize) {
    let base = server.base_url();
    let sep = if path.contains('?') { '&' } else { '?' };
    let first = format!("{base}{path}{sep}limit={limit}");
    let mut url = first.clone();
    let mut ids = Vec::new();
    for pages in 1..=1000 {
        let reply = get_version(&url, version);
        assert_eq!(reply.status, 200, "{url}: {}", reply.body);
        let page = reply.json();
        let data = page["data"].as_array().expect("data is an array");
        assert!(data.len() <= limit as usize, "{}", reply.body);
        ids.extend(
            data.iter()
                .map(|b| b["backup_id"].as_str().unwrap().to_owned()),
        );
        match page.get("pagination") {
            None => {
                assert_eq!(version, "2026-07", "only 2026-07 leaves pagination out");
                return (ids, pages);
            }
            Some(Value::Null) => {
                assert_ne!(version, "2026-07", "2026-07 leaves pagination out");
                return (ids, pages);
            }
            Some(pagination) => {
                let next = pagination["next"].as_str().expect("next is a string");
                assert!(next.contains('+') && next.contains('/'), "{next}");
                url = format!("{first}&paginationToken={}", encode(next));
            }
        }
    }
    panic!("pagination did not end after 1000 pages");
}

#[test]
fn the_project_listing_pages_over_every_backup_in_every_version() {
    let mut all = backups_of("alpha", 120);
    all.extend(backups_of("beta", 35));
    let server = FakeControlPlane::builder().backups(all).start().unwrap();
    for version in VERSIONS {
        let (ids, pages) = walk(&server, "/backups", 50, version);
        assert_eq!(ids.len(), 155, "{version}");
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 155, "{version}");
        assert_eq!(pages, 4, "{version}: 50, 50, 50, 5");
        // in the order added
        assert_eq!((ids[0].as_str(), ids[120].as_str()), ("alpha-0", "beta-0"));
    }
    assert_eq!(server.stats().backup_list_requests, 16);
    assert_eq!(
        server.stats().list_requests,
        0,
        "restore-job listings are counted apart"
    );
}

#[test]
fn the_index_listing_pages_over_that_index_only() {
    let mut all = backups_of("alpha", 23);
    all.extend(backups_of("beta", 4));
    all.push(FakeBackup::ready("alpha-late").of_index("alpha"));
    let server = FakeControlPlane::builder().backups(all).start().unwrap();
    for version in VERSIONS {
        let (ids, pages) = walk(&server, "/indexes/alpha/backups", 10, version);
        assert_eq!(ids.len(), 24, "{version}");
        assert!(ids.iter().all(|id| id.starts_with("alpha-")), "{ids:?}");
        assert_eq!(ids.last().map(String::as_str), Some("alpha-late"));
        assert_eq!(pages, 3, "{version}");
        let (beta, _) = walk(&server, "/indexes/beta/backups", 10, version);
        assert_eq!(beta, ["beta-0", "beta-1", "beta-2", "beta-3"]);
    }
}

#[test]
fn overlapping_pages_repeat_backups_but_a_walk_covers_all() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 25))
        .page_overlap(2)
        .start()
        .unwrap();
    for path in ["/backups", "/indexes/alpha/backups"] {
        let (ids, _) = walk(&server, path, 10, "2025-04");
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for id in &ids {
            *counts.entry(id).or_default() += 1;
        }
        assert_eq!(counts.len(), 25, "{path}");
        // pages start at 0, 8, 16, 24: alpha-8, 9, 16, 17 come twice
        assert_eq!(counts.values().filter(|&&n| n == 2).count(), 4, "{path}");
    }
}

#[test]
fn default_limit_is_the_versions_and_a_token_keeps_its_page_size() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 130))
        .start()
        .unwrap();
    let base = server.base_url();
    for path in ["/backups", "/indexes/alpha/backups"] {
        let old = get_version(&format!("{base}{path}"), "2025-04").json();
        assert_eq!(old["data"].as_array().unwrap().len(), 10, "{path}");
        let new = get_version(&format!("{base}{path}"), "2026-07").json();
        assert_eq!(new["data"].as_array().unwrap().len(), 100, "{path}");

        let first = get(&format!("{base}{path}?limit=7")).json();
        let next = encode(first["pagination"]["next"].as_str().unwrap());
        let second = get(&format!("{base}{path}?limit=50&paginationToken={next}")).json();
        assert_eq!(second["data"].as_array().unwrap().len(), 7, "{path}");
        assert_eq!(second["data"][0]["backup_id"], "alpha-7");
    }
}

#[test]
fn limits_outside_1_to_100_are_400_in_both_listings() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 3))
        .start()
        .unwrap();
    let base = server.base_url();
    for path in ["/backups", "/indexes/alpha/backups"] {
        for limit in ["0", "101", "-1", "ten", "1.5", ""] {
            for version in VERSIONS {
                let reply = get_version(&format!("{base}{path}?limit={limit}"), version);
                assert_eq!(reply.status, 400, "{path} limit={limit} {version}");
                assert_eq!(reply.code(), "INVALID_ARGUMENT");
                let message = reply.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                assert!(message.contains(&format!("`{limit}`")), "{message}");
            }
        }
        for limit in ["1", "100"] {
            let reply = get(&format!("{base}{path}?limit={limit}"));
            assert_eq!(reply.status, 200, "{path} limit={limit}");
        }
    }
}

#[test]
fn a_token_is_only_good_for_the_listing_that_handed_it_out() {
    let mut all = backups_of("alpha", 30);
    all.extend(backups_of("beta", 30));
    let server = FakeControlPlane::builder()
        .backups(all)
        .jobs(30)
        .start()
        .unwrap();
    let base = server.base_url();
    let token = |path: &str| {
        let page = get(&format!("{base}{path}?limit=5")).json();
        encode(page["pagination"]["next"].as_str().unwrap())
    };
    let project = token("/backups");
    let alpha = token("/indexes/alpha/backups");
    let jobs = token("/restore-jobs");
    let cases = [
        ("/backups", &alpha),
        ("/backups", &jobs),
        ("/indexes/alpha/backups", &project),
        ("/indexes/beta/backups", &alpha),
        ("/restore-jobs", &project),
    ];
    for (path, token) in cases {
        let reply = get(&format!("{base}{path}?paginationToken={token}"));
        assert_eq!(reply.status, 400, "{path} with {token}: {}", reply.body);
        assert_eq!(reply.code(), "INVALID_ARGUMENT");
    }
    // a token whose `+` arrived as a space (sent without percent-encoding) is malformed too
    let raw = project
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let reply = get(&format!("{base}/backups?paginationToken={raw}"));
    assert_eq!(reply.status, 400, "{}", reply.body);
    // and each is good where it came from
    for (path, token) in [
        ("/backups", &project),
        ("/indexes/alpha/backups", &alpha),
        ("/restore-jobs", &jobs),
    ] {
        let reply = get(&format!("{base}{path}?paginationToken={token}"));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    }
}

#[test]
fn an_unknown_index_is_404_and_an_index_without_backups_is_an_empty_page() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 2))
        .index("empty")
        .start()
        .unwrap();
    let base = server.base_url();
    for version in VERSIONS {
        let reply = get_version(&format!("{base}/indexes/nope/backups"), version);
        assert_eq!(reply.status, 404, "{version}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(
            reply.json(),
            serde_json::json!({
                "error": {"code": "NOT_FOUND", "message": "Index nope not found."},
                "status": 404,
            })
        );
        let empty = get_version(&format!("{base}/indexes/empty/backups"), version);
        assert_eq!(empty.status, 200, "{version}");
        assert_eq!(empty.json()["data"], serde_json::json!([]));
    }
    // the name is percent-decoded from its path segment
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("odd").of_index("a b/c"))
        .start()
        .unwrap();
    let reply = get(&format!(
        "{}/indexes/{}/backups",
        server.base_url(),
        encode("a b/c")
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["data"][0]["backup_id"], "odd");
    let bad = get(&format!("{}/indexes/a%zz/backups", server.base_url()));
    assert_eq!(bad.status, 400);
}

#[test]
fn an_index_created_by_a_restore_has_an_empty_backup_listing() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("b"))
        .start()
        .unwrap();
    let base = server.base_url();
    assert_eq!(get(&format!("{base}/indexes/restored/backups")).status, 404);
    let started = post(
        &format!("{base}/backups/b/create-index"),
        r#"{"name":"restored"}"#,
    );
    assert_eq!(started.status, 202, "{}", started.body);
    let reply = get(&format!("{base}/indexes/restored/backups"));
    assert_eq!(
        (reply.status, reply.json()["data"].clone()),
        (200, serde_json::json!([]))
    );
}

#[test]
fn describe_answers_the_backup_or_404() {
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("bkp/1 x+y").of_index("alpha"))
        .start()
        .unwrap();
    let base = server.base_url();
    for version in VERSIONS {
        let reply = get_version(&format!("{base}/backups/{}", encode("bkp/1 x+y")), version);
        assert_eq!(reply.status, 200, "{version}: {}", reply.body);
        let backup = reply.json();
        assert_eq!(backup["backup_id"], "bkp/1 x+y");
        assert_eq!(backup["source_index_name"], "alpha");

        let missing = get_version(&format!("{base}/backups/nope"), version);
        assert_eq!(missing.status, 404);
        assert_eq!(
            missing.json(),
            serde_json::json!({
                "error": {"code": "NOT_FOUND", "message": "Backup nope not found."},
                "status": 404,
            })
        );
    }
    assert_eq!(get(&format!("{base}/backups/a%zz")).status, 400);
    assert_eq!(server.stats().backup_describe_requests, 9);
    // other methods on the new paths are unknown routes
    for (method, path) in [
        ("POST", "/backups"),
        ("DELETE", "/backups/x"),
        ("PUT", "/indexes/alpha/backups"),
    ] {
        let reply = fake_support::send(&agent(), method, &format!("{base}{path}"), &[], None);
        assert_eq!(reply.status, 404, "{method} {path}");
    }
}

/// The keys of a JSON object.
fn keys(v: &Value) -> HashSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn each_version_sends_its_own_backup_model() {
    let deleted = FakeBackup {
        description: Some("last one".to_owned()),
        ..FakeBackup::ready("gone")
            .of_index("old-index")
            .source_deleted("2025-06-15T09:12:44.000Z")
    };
    let server = FakeControlPlane::builder()
        .backup(FakeBackup::ready("live").of_index("alpha"))
        .backup(deleted)
        .start()
        .unwrap();
    let base = server.base_url();
    let required = [
        "backup_id",
        "source_index_name",
        "source_index_id",
        "status",
        "cloud",
        "region",
    ];
    for version in VERSIONS {
        let page = get_version(&format!("{base}/backups"), version).json();
        let data = page["data"].as_array().unwrap();
        assert_eq!(data.len(), 2);
        for backup in data {
            let keys = keys(backup);
            assert!(
                required.iter().all(|k| keys.contains(k)),
                "{version}: {backup}"
            );
            for k in [
                "name",
                "record_count",
                "namespace_count",
                "size_bytes",
                "tags",
                "created_at",
            ] {
                assert!(keys.contains(k), "{version}: {k} in {backup}");
            }
            let created = backup["created_at"].as_str().unwrap();
            assert!(created.ends_with('Z') && created.len() == 24, "{created}");
        }
        let (live, gone) = (&data[0], &data[1]);
        if version == "2026-07" {
            for backup in data {
                assert!(!keys(backup).contains("dimension") && !keys(backup).contains("metric"));
                let embedding = &backup["schema"]["fields"]["embedding"];
                assert_eq!(embedding["type"], "dense_vector");
                assert_eq!(
                    (
                        embedding["dimension"].as_u64(),
                        embedding["metric"].as_str()
                    ),
                    (Some(1536), Some("cosine"))
                );
            }
            assert!(!keys(live).contains("source_index_deleted_at"));
            assert_eq!(gone["source_index_deleted_at"], "2025-06-15T09:12:44.000Z");
        } else {
            for backup in data {
                assert_eq!(
                    (backup["dimension"].as_u64(), backup["metric"].as_str()),
                    (Some(1536), Some("cosine"))
                );
                assert!(
                    !keys(backup).contains("schema")
                        && !keys(backup).contains("source_index_deleted_at")
                );
            }
        }
        assert_eq!(gone["description"], "last one");
        assert!(!keys(live).contains("description"));
        // describe sends the same model as the listing
        let described = get_version(&format!("{base}/backups/gone"), version).json();
        assert_eq!(&described, gone, "{version}");
    }
}

#[test]
fn include_deleted_lists_the_backups_of_deleted_indexes_in_2026_07() {
    let server = FakeControlPlane::builder()
        .backup(
            FakeBackup::ready("old-1")
                .of_index("reused")
                .source_deleted("2025-06-01T00:00:00.000Z"),
        )
        .backup(FakeBackup::ready("new-1").of_index("reused"))
        .backup(
            FakeBackup::ready("gone-1")
                .of_index("gone")
                .source_deleted("2025-06-02T00:00:00.000Z"),
        )
        .index_deleted("dropped")
        .start()
        .unwrap();
    let base = server.base_url();
    let ids = |reply: &Reply| -> Vec<String> {
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["backup_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let v = |path: &str| get_version(&format!("{base}{path}"), "2026-07");

    // the existing index named `reused`: only its own backups, unless deleted ones are asked for
    assert_eq!(ids(&v("/indexes/reused/backups")), ["new-1"]);
    assert_eq!(
        ids(&v("/indexes/reused/backups?include_deleted=false")),
        ["new-1"]
    );
    assert_eq!(
        ids(&v("/indexes/reused/backups?include_deleted=true")),
        ["old-1", "new-1"]
    );
    // a deleted index: 404 without include_deleted, its backups with it
    assert_eq!(v("/indexes/gone/backups").status, 404);
    assert_eq!(
        ids(&v("/indexes/gone/backups?include_deleted=true")),
        ["gone-1"]
    );
    // a deleted index without backups, and a name no index ever had
    assert_eq!(v("/indexes/dropped/backups").status, 404);
    assert_eq!(
        ids(&v("/indexes/dropped/backups?include_deleted=true")),
        Vec::<String>::new()
    );
    let never = v("/indexes/never/backups?include_deleted=true");
    assert_eq!((never.status, never.code()), (404, "NOT_FOUND".to_owned()));
    // only true and false
    let bad = v("/indexes/reused/backups?include_deleted=yes");
    assert_eq!(
        (bad.status, bad.code()),
        (400, "INVALID_ARGUMENT".to_owned())
    );
    // the project listing has every backup
    assert_eq!(ids(&v("/backups")), ["old-1", "new-1", "gone-1"]);
    // earlier versions do not have the parameter: ignored, deleted ones never listed per index
    for version in ["2025-04", "2025-10", "2026-04"] {
        let reply = get_version(
            &format!("{base}/indexes/reused/backups?include_deleted=true"),
            version,
        );
        assert_eq!(ids(&reply), ["new-1"], "{version}");
        let gone = get_version(
            &format!("{base}/indexes/gone/backups?include_deleted=true"),
            version,
        );
        assert_eq!(gone.status, 404, "{version}");
        assert_eq!(
            ids(&get_version(&format!("{base}/backups"), version)).len(),
            3
        );
    }
}

#[test]
fn a_token_with_include_deleted_is_not_good_without_it() {
    let mut all: Vec<FakeBackup> = (0..6)
        .map(|i| {
            FakeBackup::ready(&format!("old-{i}"))
                .of_index("reused")
                .source_deleted("2025-06-01T00:00:00.000Z")
        })
        .collect();
    all.extend(backups_of("reused", 6));
    let server = FakeControlPlane::builder().backups(all).start().unwrap();
    let base = server.base_url();
    let (ids, _) = walk(
        &server,
        "/indexes/reused/backups?include_deleted=true",
        4,
        "2026-07",
    );
    assert_eq!(ids.len(), 12);
    let first = get_version(
        &format!("{base}/indexes/reused/backups?include_deleted=true&limit=4"),
        "2026-07",
    )
    .json();
    let token = encode(first["pagination"]["next"].as_str().unwrap());
    let reply = get_version(
        &format!("{base}/indexes/reused/backups?paginationToken={token}"),
        "2026-07",
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
}

#[test]
fn only_ready_backups_restore_and_a_listed_status_is_what_create_index_judges() {
    let server = FakeControlPlane::builder()
        .backups([
            FakeBackup::ready("r").of_index("alpha"),
            FakeBackup::not_ready("i").of_index("alpha"),
            FakeBackup::failed("f").of_index("alpha"),
        ])
        .start()
        .unwrap();
    let base = server.base_url();
    let page = get(&format!("{base}/indexes/alpha/backups")).json();
    for backup in page["data"].as_array().unwrap() {
        let id = backup["backup_id"].as_str().unwrap();
        let reply = post(
            &format!("{base}/backups/{id}/create-index"),
            &format!(r#"{{"name":"from-{id}"}}"#),
        );
        let expected = if backup["status"] == "Ready" {
            202
        } else {
            412
        };
        assert_eq!(reply.status, expected, "{backup}: {}", reply.body);
    }
    // the source index of a backup exists: restoring into its name is a conflict
    let reply = post(
        &format!("{base}/backups/r/create-index"),
        r#"{"name":"alpha"}"#,
    );
    assert_eq!(reply.status, 409, "{}", reply.body);
}

#[test]
fn faults_can_be_aimed_at_each_backup_endpoint() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 3))
        .start()
        .unwrap();
    let base = server.base_url();
    server.inject_on(Endpoint::ListBackups, Fault::Status(503));
    server.inject_on(Endpoint::ListIndexBackups, Fault::Status(503));
    server.inject_on(Endpoint::DescribeBackup, Fault::Status(503));
    // restore-job routes do not use them up
    assert_eq!(get(&format!("{base}/restore-jobs")).status, 200);
    assert_eq!(get(&format!("{base}/restore-jobs/x")).status, 404);
    for path in ["/backups", "/indexes/alpha/backups", "/backups/alpha-0"] {
        let reply = get(&format!("{base}{path}"));
        assert_eq!(
            (reply.status, reply.code()),
            (503, "UNAVAILABLE".to_owned()),
            "{path}"
        );
        assert_eq!(
            get(&format!("{base}{path}")).status,
            200,
            "{path}: one fault, one request"
        );
    }
    // a fault for any request hits a backup listing too
    server.inject(Fault::TooManyRequests {
        retry_after: "1".to_owned(),
    });
    let reply = get(&format!("{base}/backups"));
    assert_eq!(
        (reply.status, reply.header("retry-after")),
        (429, Some("1"))
    );
}

#[test]
fn the_api_key_is_checked_on_backup_endpoints() {
    let server = FakeControlPlane::builder()
        .backups(backups_of("alpha", 1))
        .api_key(Some("secret"))
        .start()
        .unwrap();
    let base = server.base_url();
    for path in [
        "/backups",
        "/indexes/alpha/backups",
        "/backups/alpha-0",
        "/indexes/nope/backups",
    ] {
        let wrong = fake_support::get_with(&agent(), &format!("{base}{path}"), Some("wrong"));
        assert_eq!(wrong.status, 401, "{path}");
        let right = fake_support::get_with(&agent(), &format!("{base}{path}"), Some("secret"));
        assert_ne!(right.status, 401, "{path}");
    }
}

/// The demo's backups of one index (2026-07, deleted ones included), newest first.
fn demo_index(server: &FakeServer, name: &str) -> Vec<(String, String)> {
    let reply = get_version(
        &format!(
            "{}/indexes/{name}/backups?include_deleted=true",
            server.base_url()
        ),
        "2026-07",
    );
    assert_eq!(reply.status, 200, "{name}: {}", reply.body);
    let mut backups: Vec<(String, String, String)> = reply.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let text = |k: &str| b[k].as_str().unwrap().to_owned();
            (text("created_at"), text("backup_id"), text("status"))
        })
        .collect();
    // every demo timestamp is `...Z` with milliseconds, so text order is time order
    backups.sort();
    backups.reverse();
    backups
        .into_iter()
        .map(|(_, id, status)| (id, status))
        .collect()
}

#[test]
fn demo_backups_hold_the_documented_situations() {
    let server = FakeControlPlane::demo().start().unwrap();
    let base = server.base_url();

    let (all, _) = walk(&server, "/backups", 100, "2025-04");
    // 20 given, and the five or six that the schedule's daily runs made
    assert!((25..=26).contains(&all.len()), "{}", all.len());
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
    assert!(
        all.contains(&DEMO_BACKUP_ID.to_owned())
            && all.contains(&DEMO_BACKUP_PENDING_ID.to_owned())
    );

    // newest is Initializing, then Failed; the newest Ready is demo-backup
    let products = demo_index(&server, DEMO_INDEX_NEWEST_NOT_READY);
    assert_eq!(products.len(), 4);
    assert_eq!(products[0].1, "Initializing");
    assert_eq!(products[1].1, "Failed");
    let newest_ready = products.iter().find(|(_, s)| s == "Ready").unwrap();
    assert_eq!(newest_ready.0, DEMO_BACKUP_ID);
    // listed in an order that is not newest first, so a client must compare dates
    let listed = get(&format!(
        "{base}/indexes/{DEMO_INDEX_NEWEST_NOT_READY}/backups"
    ))
    .json();
    assert_ne!(listed["data"][0]["backup_id"], products[0].0.as_str());

    let docs = demo_index(&server, DEMO_INDEX_NEWEST_READY);
    assert_eq!(docs[0].1, "Ready");
    assert!(docs.iter().any(|(_, s)| s == "Failed"));

    let support = demo_index(&server, DEMO_INDEX_NO_READY);
    assert!(
        support.len() >= 2 && support.iter().all(|(_, s)| s != "Ready"),
        "{support:?}"
    );
    assert_eq!(
        support[0],
        (DEMO_BACKUP_PENDING_ID.to_owned(), "Initializing".to_owned())
    );

    let legacy = demo_index(&server, DEMO_INDEX_DELETED);
    assert!(!legacy.is_empty() && legacy.iter().all(|(_, s)| s == "Ready"));
    assert_eq!(
        get(&format!("{base}/indexes/{DEMO_INDEX_DELETED}/backups")).status,
        404
    );
    let described = get_version(&format!("{base}/backups/{}", legacy[0].0), "2026-07").json();
    assert!(
        described["source_index_deleted_at"].is_string(),
        "{described}"
    );

    let empty = get(&format!(
        "{base}/indexes/{DEMO_INDEX_WITHOUT_BACKUPS}/backups"
    ));
    assert_eq!(
        (empty.status, empty.json()["data"].clone()),
        (200, serde_json::json!([]))
    );

    // mixed clouds and realistic counts
    let page = get(&format!("{base}/backups?limit=100")).json();
    let clouds: HashSet<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["cloud"].as_str().unwrap())
        .collect();
    assert_eq!(clouds.len(), 3, "{clouds:?}");
    for backup in page["data"].as_array().unwrap() {
        assert!(
            backup["record_count"].as_u64().unwrap() > 0
                && backup["size_bytes"].as_u64().unwrap() > 0
        );
    }

    // today's demo commands keep working: demo-backup restores, demo-backup-pending does not,
    // and the README's target names are free
    for name in ["restored-index", "my-index"] {
        let reply = post(
            &format!("{base}/backups/{DEMO_BACKUP_ID}/create-index"),
            &format!(r#"{{"name":"{name}"}}"#),
        );
        assert_eq!(reply.status, 202, "{name}: {}", reply.body);
    }
    let reply = post(
        &format!("{base}/backups/{DEMO_BACKUP_PENDING_ID}/create-index"),
        r#"{"name":"other"}"#,
    );
    assert_eq!(reply.status, 412);
}
