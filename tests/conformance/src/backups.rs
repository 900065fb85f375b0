//! Scenarios for backups: against mockito (exact URLs, pages, retries), both listings walked
//! page by page, an unknown index, `include_deleted` by version, describing one backup and
//! the newest-Ready pick; then the same against the fake control plane (`fake_*`), up to a
//! restore started from the picked backup.

use mockito::{Matcher, Server};
use pinecone_restore_core::{
    ApiVersion, Backup, BackupId, BackupStatus, CreateIndexFromBackup, IndexBackups,
    InvalidResponseKind,
};
use pinecone_restore_fake::{FakeBackup, FakeControlPlane};

use crate::api::*;
use crate::support::{assert_kept_alive, backup_json, backup_page_json, index, limit};
use crate::{Adapter, KEY, client, client_with, config, no_key_in};

fn ready(id: &str) -> String {
    backup_json(id, "prod", "Ready", Some("2025-01-01T00:00:00Z"))
}

fn ids(backups: &[Backup]) -> Vec<&str> {
    backups.iter().map(Backup::backup_id).collect()
}

/// Both listings walk every page with the same limit, tokens percent-encoded, and yield each
/// `backup_id` once when pages overlap; one page is a page.
pub fn both_listings_walk_every_page_each_backup_once<A: Adapter>() {
    for (base, listing) in [
        ("/backups", BackupListing::Project),
        (
            "/indexes/prod/backups",
            BackupListing::Index(IndexBackups::new(index("prod"))),
        ),
    ] {
        let mut server = Server::new();
        let mocks = [
            server
                .mock("GET", format!("{base}?limit=2").as_str())
                .match_header("api-key", KEY)
                .with_body(backup_page_json(&[ready("a"), ready("b")], Some("t+1")))
                .expect(2)
                .create(),
            server
                .mock(
                    "GET",
                    format!("{base}?limit=2&paginationToken=t%2B1").as_str(),
                )
                .with_body(backup_page_json(&[ready("b"), ready("c")], Some("t/2")))
                .create(),
            server
                .mock(
                    "GET",
                    format!("{base}?limit=2&paginationToken=t%2F2").as_str(),
                )
                .with_body(backup_page_json(&[ready("d")], None))
                .create(),
        ];
        let client = client::<A>(&server.url());
        let page = list_backups::<A>(&client, &listing, limit(2), None)
            .unwrap_or_else(|e| panic!("{base}: {e}"));
        assert_eq!(ids(&page.backups), ["a", "b"], "{base}");
        assert_eq!(page.next.as_ref().map(|t| t.as_str()), Some("t+1"));
        assert_eq!(page.backups[0].tags().map(<[_]>::len), Some(1));

        let walked = list_all_backups::<A>(&client, listing, limit(2));
        assert!(walked.error.is_none(), "{base}: {:?}", walked.error);
        assert_eq!(ids(&walked.items), ["a", "b", "c", "d"], "{base}");
        assert_eq!((walked.pages, walked.duplicates), (3, 1), "{base}");
        for mock in mocks {
            mock.assert();
        }
    }
}

/// A 404 for the index is an API error carrying the server's message, and the key shows
/// nowhere; the pick reports the same error.
pub fn an_unknown_index_is_a_404_with_the_servers_message<A: Adapter>() {
    let mut server = Server::new();
    let body = r#"{"error":{"code":"NOT_FOUND","message":"Resource nope not found"},"status":404}"#;
    let mock = server
        .mock("GET", Matcher::Regex("^/indexes/nope/backups".into()))
        .with_status(404)
        .with_header("content-type", "application/json")
        .with_body(body)
        .expect(3)
        .create();
    let client = client::<A>(&server.url());
    let listing = IndexBackups::new(index("nope"));
    let errors = [
        list_backups::<A>(&client, &BackupListing::Index(listing.clone()), None, None)
            .err()
            .unwrap_or_else(|| panic!("a page of an unknown index")),
        list_all_backups::<A>(&client, BackupListing::Index(listing), None)
            .error
            .unwrap_or_else(|| panic!("a walk of an unknown index")),
        newest_ready_backup::<A>(&client, &index("nope"))
            .err()
            .unwrap_or_else(|| panic!("a pick from an unknown index")),
    ];
    for err in errors {
        assert_eq!(err.status(), Some(404), "{err}");
        assert_eq!(
            err.api().and_then(|a| a.message()),
            Some("Resource nope not found"),
            "{err}"
        );
        assert!(err.to_string().contains("Resource nope not found"), "{err}");
        assert!(!err.is_retryable(), "{err}");
        no_key_in(&err);
    }
    mock.assert();
}

/// `include_deleted` is an invalid argument before 2026-07, with nothing sent; from 2026-07
/// it is sent, and `source_index_deleted_at` is read.
pub fn include_deleted_is_refused_before_2026_07_and_sent_after<A: Adapter>() {
    let mut server = Server::new();
    let body = backup_page_json(
        &[r#"{"backup_id":"gone","source_index_name":"old","source_index_id":"o","status":"Ready","cloud":"aws","region":"us-east-1","schema":{"fields":{}},"created_at":"2026-07-01T00:00:00Z","source_index_deleted_at":"2026-07-02T00:00:00Z"}"#.to_owned()],
        None,
    );
    let sent = server
        .mock("GET", "/indexes/old/backups?include_deleted=true")
        .match_header("x-pinecone-api-version", "2026-07")
        .with_body(body)
        .expect(2)
        .create();
    let listing = IndexBackups::new(index("old")).include_deleted(true);

    let older = client::<A>(&server.url());
    let err = list_backups::<A>(&older, &BackupListing::Index(listing.clone()), None, None)
        .err()
        .unwrap_or_else(|| panic!("include_deleted sent under 2025-04"));
    assert!(err.is_invalid_argument(), "{err}");
    let walked = list_all_backups::<A>(&older, BackupListing::Index(listing.clone()), None);
    assert!(walked.items.is_empty() && walked.pages == 0);
    assert!(walked.error.is_some_and(|e| e.is_invalid_argument()));

    let newer = client_with::<A>(config(&server.url()).api_version("2026-07"));
    let page = list_backups::<A>(&newer, &BackupListing::Index(listing.clone()), None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.backups[0].source_index_deleted_at().is_some());
    assert_eq!(page.backups[0].schema(), Some(r#"{"fields":{}}"#));
    let walked = list_all_backups::<A>(&newer, BackupListing::Index(listing), None);
    assert_eq!(ids(&walked.items), ["gone"]);
    sent.assert();
}

/// A backup id goes into one path segment, encoded; the answer is parsed whole; an unknown
/// id is a 404.
pub fn a_backup_is_described_by_its_encoded_id<A: Adapter>() {
    let mut server = Server::new();
    let found = server
        .mock("GET", "/backups/bk%2F1%20x")
        .with_body(backup_json("bk/1 x", "prod", "Initializing", None))
        .create();
    let missing = server
        .mock("GET", "/backups/nope")
        .with_status(404)
        .with_body(
            r#"{"error":{"code":"NOT_FOUND","message":"Backup nope not found"},"status":404}"#,
        )
        .create();
    let client = client::<A>(&server.url());
    let backup = describe_backup::<A>(
        &client,
        &BackupId::new("bk/1 x").unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(backup.backup_id(), "bk/1 x");
    assert_eq!(backup.status(), &BackupStatus::Initializing);
    assert_eq!(backup.created_at(), None);
    assert_eq!(backup.dimension(), Some(1536));
    let err = describe_backup::<A>(
        &client,
        &BackupId::new("nope").unwrap_or_else(|e| panic!("{e}")),
    )
    .err()
    .unwrap_or_else(|| panic!("an unknown backup described"));
    assert_eq!(
        (err.status(), err.api().and_then(|a| a.message())),
        (Some(404), Some("Backup nope not found"))
    );
    found.assert();
    missing.assert();
}

/// The pick walks every page (100 a page) and takes the newest `Ready` one, whatever page it
/// is on: newer but not `Ready` ones, older ones, and undated ones are passed over.
pub fn the_newest_ready_backup_is_picked_across_pages<A: Adapter>() {
    let mut server = Server::new();
    let first = backup_page_json(
        &[
            backup_json("old", "prod", "Ready", Some("2025-01-01T00:00:00Z")),
            backup_json(
                "newest-failed",
                "prod",
                "Failed",
                Some("2025-03-01T00:00:00Z"),
            ),
            backup_json("undated", "prod", "Ready", None),
        ],
        Some("p2"),
    );
    let second = backup_page_json(
        &[
            backup_json("picked", "prod", "Ready", Some("2025-02-01T12:00:00+02:00")),
            backup_json(
                "running",
                "prod",
                "Initializing",
                Some("2025-04-01T00:00:00Z"),
            ),
        ],
        None,
    );
    let mocks = [
        server
            .mock("GET", "/indexes/prod/backups?limit=100")
            .with_body(first)
            .create(),
        server
            .mock("GET", "/indexes/prod/backups?limit=100&paginationToken=p2")
            .with_body(second)
            .create(),
    ];
    let picked = newest_ready_backup::<A>(&client::<A>(&server.url()), &index("prod"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(picked.as_ref().map(Backup::backup_id), Some("picked"));
    for mock in mocks {
        mock.assert();
    }
}

/// An index whose backups are none `Ready` (or that has none) picks nothing, without error.
pub fn an_index_without_a_ready_backup_picks_none<A: Adapter>() {
    let mut server = Server::new();
    let mocks = [
        server
            .mock("GET", "/indexes/busy/backups?limit=100")
            .with_body(backup_page_json(
                &[
                    backup_json("a", "busy", "Initializing", Some("2025-01-01T00:00:00Z")),
                    backup_json("b", "busy", "Failed", Some("2025-01-02T00:00:00Z")),
                    backup_json("c", "busy", "Scheduled", None),
                ],
                None,
            ))
            .create(),
        server
            .mock("GET", "/indexes/empty/backups?limit=100")
            .with_body(backup_page_json(&[], None))
            .create(),
    ];
    let client = client::<A>(&server.url());
    for name in ["busy", "empty"] {
        let picked =
            newest_ready_backup::<A>(&client, &index(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(picked, None, "{name}");
    }
    for mock in mocks {
        mock.assert();
    }
}

/// A backup page is a `Call` like any other: a 503 is retried, a looping token stops the walk,
/// and a refused page names where it broke.
pub fn a_backup_listing_is_retried_and_bounded_like_any_walk<A: Adapter>() {
    let mut server = Server::new();
    let unavailable = server
        .mock("GET", "/backups?limit=1")
        .with_status(503)
        .expect(1)
        .create();
    let walker = client::<A>(&server.url());
    let first = server
        .mock("GET", "/backups?limit=1")
        .with_body(backup_page_json(&[ready("a")], Some("loop")))
        .create();
    let looping = server
        .mock("GET", "/backups?limit=1&paginationToken=loop")
        .with_body(backup_page_json(&[ready("b")], Some("loop")))
        .expect(1)
        .create();
    let walked = list_all_backups::<A>(&walker, BackupListing::Project, limit(1));
    assert_eq!(ids(&walked.items), ["a", "b"]);
    let err = walked
        .error
        .unwrap_or_else(|| panic!("a looping walk ended well"));
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::PaginationLoop)
    );
    unavailable.assert();
    first.assert();
    looping.assert();

    let mut server = Server::new();
    server
        .mock("GET", "/backups")
        .with_body(backup_page_json(
            &[
                ready("a"),
                ready("b").replace(r#""dimension":1536"#, r#""dimension":0"#),
            ],
            None,
        ))
        .create();
    let err = list_backups::<A>(
        &client::<A>(&server.url()),
        &BackupListing::Project,
        None,
        None,
    )
    .err()
    .unwrap_or_else(|| panic!("a dimension outside the spec's range accepted"));
    assert!(
        err.to_string()
            .contains("data[1].dimension: expected an integer in 1..=20000"),
        "{err}"
    );
}

/// The fake's backups: `n` per index for `indexes`, `Ready`, dated a day apart.
fn fake_backups(indexes: &[&str], n: usize) -> Vec<FakeBackup> {
    let mut backups = Vec::new();
    for index in indexes {
        for i in 0..n {
            backups.push(
                FakeBackup::ready(&format!("{index}-bk-{i}"))
                    .of_index(index)
                    .created(&format!("2025-06-{:02}T02:00:00.000Z", i + 1)),
            );
        }
    }
    backups
}

/// Against the fake: both listings walked over several pages on one connection, each
/// backup once, the per-index one holding only that index's backups.
pub fn fake_backup_walks_cover_the_project_and_one_index_over_pages<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .backups(fake_backups(&["docs", "images"], 5))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client::<A>(&server.base_url());
    let project = list_all_backups::<A>(&client, BackupListing::Project, limit(3));
    assert!(project.error.is_none(), "{:?}", project.error);
    assert_eq!(project.items.len(), 10);
    assert_eq!(project.pages, 4);
    let listing = IndexBackups::new(index("docs"));
    let docs = list_all_backups::<A>(&client, BackupListing::Index(listing), limit(2));
    assert!(docs.error.is_none(), "{:?}", docs.error);
    assert_eq!(
        ids(&docs.items),
        [
            "docs-bk-0",
            "docs-bk-1",
            "docs-bk-2",
            "docs-bk-3",
            "docs-bk-4"
        ]
    );
    assert!(docs.items.iter().all(|b| b.source_index_name() == "docs"));
    assert_eq!(docs.pages, 3);
    let stats = server.stats();
    assert_eq!(stats.backup_list_requests, 4 + 3);
    assert_kept_alive(stats.connections, stats.backup_list_requests);
}

/// Against the fake: an index it does not know is a 404 whose message is the server's, for a
/// page, a walk and the pick alike.
pub fn fake_unknown_index_is_not_found_with_its_message<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .backups(fake_backups(&["docs"], 1))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client::<A>(&server.base_url());
    let listing = IndexBackups::new(index("nope"));
    let errors = [
        list_backups::<A>(&client, &BackupListing::Index(listing.clone()), None, None).err(),
        list_all_backups::<A>(&client, BackupListing::Index(listing), None).error,
        newest_ready_backup::<A>(&client, &index("nope")).err(),
    ];
    for err in errors {
        let err = err.unwrap_or_else(|| panic!("an unknown index answered"));
        assert_eq!(err.status(), Some(404), "{err}");
        assert_eq!(
            err.api().and_then(|a| a.message()),
            Some("Index nope not found."),
            "{err}"
        );
    }
}

/// Against the fake, under every version: a backup described is the one listed, in that
/// version's shape (dimension and metric until 2026-04, a schema in 2026-07); an unknown id
/// is a 404.
pub fn fake_describe_backup_in_every_version<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .backups(fake_backups(&["docs"], 2))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    for version in ApiVersion::KNOWN {
        let client = client_with::<A>(config(&server.base_url()).api_version(version.as_str()));
        let id = BackupId::new("docs-bk-1").unwrap_or_else(|e| panic!("{e}"));
        let backup =
            describe_backup::<A>(&client, &id).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(backup.backup_id(), "docs-bk-1", "{version}");
        assert_eq!(backup.status(), &BackupStatus::Ready, "{version}");
        assert_eq!(backup.source_index_name(), "docs", "{version}");
        assert!(backup.created_at().is_some(), "{version}");
        let listed = list_backups::<A>(&client, &BackupListing::Project, None, None)
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(listed.backups.get(1), Some(&backup), "{version}");
        if version.lists_deleted_sources() {
            assert_eq!(backup.dimension(), None, "{version}");
            assert!(
                backup.schema().is_some_and(|s| s.contains("1536")),
                "{version}"
            );
        } else {
            assert_eq!(backup.dimension(), Some(1536), "{version}");
            assert_eq!(backup.metric(), Some("cosine"), "{version}");
        }
        let missing = BackupId::new("no-such-backup").unwrap_or_else(|e| panic!("{e}"));
        let err = describe_backup::<A>(&client, &missing)
            .err()
            .unwrap_or_else(|| panic!("{version}: an unknown backup described"));
        assert_eq!(err.status(), Some(404), "{version}");
    }
}

/// Against the fake: the newest `Ready` backup of an index is picked over newer ones that are
/// not `Ready`, other indexes' and older ones, and a restore starts from it; an index with
/// none `Ready` picks none.
pub fn fake_restore_from_the_newest_ready_backup_of_an_index<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .backups(fake_backups(&["docs", "images"], 3))
        .backup(
            FakeBackup::not_ready("docs-running")
                .of_index("docs")
                .created("2025-07-01T00:00:00Z"),
        )
        .backup(
            FakeBackup::failed("docs-failed")
                .of_index("docs")
                .created("2025-07-02T00:00:00Z"),
        )
        .backup(
            FakeBackup::ready("images-newest")
                .of_index("images")
                .created("2025-08-01T00:00:00Z"),
        )
        .backup(FakeBackup::failed("busy-failed").of_index("busy"))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client::<A>(&server.base_url());
    let picked = newest_ready_backup::<A>(&client, &index("docs"))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("docs has Ready backups"));
    assert_eq!(picked.backup_id(), "docs-bk-2");
    let id = BackupId::new(picked.backup_id()).unwrap_or_else(|e| panic!("{e}"));
    let request = CreateIndexFromBackup::new(index("docs-restored"));
    let started =
        create_index_from_backup::<A>(&client, &id, &request).unwrap_or_else(|e| panic!("{e}"));
    assert!(!started.restore_job_id().is_empty());
    let busy = newest_ready_backup::<A>(&client, &index("busy")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(busy, None);
}

/// Against the fake under 2026-07: a deleted index's backups are listed with
/// `include_deleted`, carrying `source_index_deleted_at`.
pub fn fake_include_deleted_lists_a_deleted_indexs_backups<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .backup(
            FakeBackup::ready("old-bk")
                .of_index("old")
                .created("2025-01-01T00:00:00Z")
                .source_deleted("2025-02-01T00:00:00Z"),
        )
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client_with::<A>(config(&server.base_url()).api_version("2026-07"));
    let listing = IndexBackups::new(index("old")).include_deleted(true);
    let walked = list_all_backups::<A>(&client, BackupListing::Index(listing), None);
    assert!(walked.error.is_none(), "{:?}", walked.error);
    assert_eq!(ids(&walked.items), ["old-bk"]);
    assert!(walked.items[0].source_index_deleted_at().is_some());
}
