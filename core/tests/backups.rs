//! Backups: every spec example of every version (`tests/backup_spec/README.md`), the rules and
//! their errors with paths, the requests' URLs and the walks over both listings.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{
    ApiKey, ApiVersion, Backup, BackupId, BackupPage, BackupStatus, Config, Error, IndexBackups,
    IndexName, InvalidResponseKind, Limit, Now, Operation, PaginationToken, Response, Step,
    backups, newest_ready, parse_backup, parse_backup_page,
};
use time::macros::datetime;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/backup_spec")
}

fn read(version: &str, file: &str) -> Vec<u8> {
    let path = spec_dir().join(version).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ids(backups: &[Backup]) -> Vec<&str> {
    backups.iter().map(Backup::backup_id).collect()
}

fn tags(backup: &Backup) -> Vec<(&str, &str)> {
    backup
        .tags()
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The files of each version directory, which the test below expects exactly.
fn listing(version: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(spec_dir().join(version))
        .unwrap_or_else(|e| panic!("{version}: {e}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The two backups of both listing examples (the same in 2025-04 to 2026-04, apart from the
/// schema that 2025-10 added): every value shown.
fn check_listed(page: &BackupPage, version: &ApiVersion, context: &str) {
    let [first, second] = page.backups.as_slice() else {
        panic!("{context}: expected two backups, found {:?}", page.backups);
    };
    assert_eq!(first.source_index_name(), "my-index", "{context}");
    assert_eq!(first.status(), &BackupStatus::Ready, "{context}");
    assert_eq!((first.cloud(), first.region()), ("aws", "us-east-1"));
    assert_eq!(first.name(), Some("backup_2024_03_15"), "{context}");
    assert_eq!(
        first.description(),
        Some("Monthly backup of production index")
    );
    assert_eq!(first.dimension(), Some(1536), "{context}");
    assert_eq!(first.metric(), Some("cosine"), "{context}");
    assert_eq!(
        (
            first.record_count(),
            first.namespace_count(),
            first.size_bytes()
        ),
        (Some(120_000), Some(3), Some(10_000_000))
    );
    assert_eq!(
        tags(first),
        [("environment", "production"), ("type", "monthly")]
    );
    assert_eq!(first.created_at(), Some(datetime!(2024-03-15 10:30:00 UTC)));
    assert_eq!(
        second.created_at(),
        Some(datetime!(2024-03-20 15:45:00 UTC))
    );
    assert_eq!(second.record_count(), Some(125_000), "{context}");
    assert_eq!(tags(second)[1], ("type", "pre-deploy"), "{context}");
    let schema = first.schema().map(|s| {
        serde_json::from_str::<serde_json::Value>(s).unwrap_or_else(|e| panic!("{context}: {e}"))
    });
    if *version == ApiVersion::V2025_04 {
        assert_eq!(schema, None, "{context}: 2025-04 defines no schema");
    } else {
        assert_eq!(
            schema,
            Some(serde_json::json!({"fields": {"genre": {"filterable": true},
                "title": {"filterable": true}}})),
            "{context}"
        );
    }
}

fn check_version(version: &ApiVersion) {
    let v = version.as_str();
    let mut checked = Vec::new();
    for file in listing(v) {
        let body = read(v, &file);
        let context = format!("{v}/{file}");
        match file.as_str() {
            "200-project-backups.json" => {
                let page = parse_backup_page(&body, version).unwrap();
                assert_eq!(
                    ids(&page.backups),
                    [
                        "670e8400-e29b-41d4-a716-446655440000",
                        "670e8400-e29b-41d4-a716-446655440001"
                    ]
                );
                assert_eq!(page.backups[1].source_index_name(), "my-index-2");
                assert_eq!(page.next, None, "{context}");
                check_listed(&page, version, &context);
            }
            "200-index-backups.json" => {
                let page = parse_backup_page(&body, version).unwrap();
                assert_eq!(ids(&page.backups), ["bkp_123abc", "bkp_789xyz"]);
                assert_eq!(
                    page.next.as_ref().map(PaginationToken::as_str),
                    Some("dXNlcl9pZD11c2VyXzE=")
                );
                check_listed(&page, version, &context);
                // both Ready: the later one is the newest
                assert_eq!(
                    newest_ready(&page.backups).map(Backup::backup_id),
                    Some("bkp_789xyz")
                );
            }
            "200-describe-backup.json" => {
                let backup = parse_backup(&body, version).unwrap();
                assert_eq!(backup.backup_id(), "670e8400-e29b-41d4-a716-446655440000");
                assert_eq!(
                    backup.source_index_id(),
                    "670e8400-e29b-41d4-a716-446655440001"
                );
                assert_eq!(
                    backup.created_at(),
                    Some(datetime!(2024-03-15 10:30:00 UTC))
                );
                assert_eq!(tags(&backup).len(), 2, "{context}");
                let deleted = version.lists_deleted_sources();
                assert_eq!(backup.schema().is_some(), *version != ApiVersion::V2025_04);
                assert_eq!(backup.dimension().is_some(), !deleted, "{context}");
                assert_eq!(
                    backup.source_index_deleted_at(),
                    deleted.then_some(datetime!(2024-04-01 08:00:00 UTC)),
                    "{context}"
                );
            }
            "200-backup-model.json" => {
                let backup = parse_backup(&body, version).unwrap();
                assert_eq!(backup.name(), Some("backup-2025-02-04"), "{context}");
                assert_eq!(backup.description(), Some("Backup before bulk update."));
                assert_eq!(backup.dimension(), Some(1536), "{context}");
                assert_eq!(backup.metric(), None, "{context}: the spec shows no metric");
                assert_eq!(backup.created_at(), None, "{context}");
                assert_eq!(tags(&backup), [("tag0", "val0"), ("tag1", "val1")]);
                assert_eq!(backup.schema().is_some(), *version != ApiVersion::V2025_04);
            }
            "404-index-index-not-found.json" | "404-describe-backup-not-found.json" => {
                let headers = [("Content-Type", &b"application/json"[..])];
                let err = Response {
                    status: 404,
                    headers: &headers,
                    body: &body,
                }
                .api_error(&Secrets::none(), SystemTime::now());
                assert_eq!(err.status(), 404, "{context}");
                let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(
                    err.message(),
                    json["error"]["message"].as_str(),
                    "{context}"
                );
            }
            other => panic!("{v}/{other}: no expectation for this file"),
        }
        checked.push(file);
    }
    assert!(!checked.is_empty(), "{v}: no examples");
}

#[test]
fn spec_2025_04() {
    check_version(&ApiVersion::V2025_04);
}

#[test]
fn spec_2025_10() {
    check_version(&ApiVersion::V2025_10);
}

#[test]
fn spec_2026_04() {
    check_version(&ApiVersion::V2026_04);
}

#[test]
fn spec_2026_07() {
    check_version(&ApiVersion::V2026_07);
}

/// Every earlier example parses under 2026-07 (and a later, unknown version), with the keys
/// 2026-07 removed ignored.
#[test]
fn earlier_examples_under_2026_07_rules() {
    for version in [ApiVersion::V2026_07, ApiVersion::parse("2027-01").unwrap()] {
        for file in listing("2026-04").iter().filter(|f| f.starts_with("200-")) {
            let body = read("2026-04", file);
            let backups = match parse_backup_page(&body, &version) {
                Ok(page) => page.backups,
                Err(_) => vec![parse_backup(&body, &version).unwrap()],
            };
            for backup in backups {
                assert_eq!(backup.dimension(), None, "{file}");
                assert_eq!(backup.metric(), None, "{file}");
                assert!(backup.schema().is_some(), "{file}");
            }
        }
    }
}

const BACKUP: &str = r#"{"backup_id":"b1","source_index_name":"n","source_index_id":"i","status":"Ready","cloud":"aws","region":"us-east-1","created_at":"2024-03-15T10:30:00.000Z","dimension":8,"tags":{"a":"1"}}"#;

/// A page of two backups, the second `BACKUP` with `field` set to `value` (raw JSON).
fn with(field: &str, value: &str) -> String {
    let mut backup: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(BACKUP).unwrap();
    backup.insert("backup_id".into(), "b2".into());
    let value = serde_json::from_str(value).unwrap_or_else(|e| panic!("{value}: {e}"));
    backup.insert(field.into(), value);
    let body = serde_json::to_string(&backup).unwrap();
    format!(r#"{{"data":[{BACKUP},{body}]}}"#)
}

fn without(field: &str) -> String {
    let mut backup: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(BACKUP).unwrap();
    backup.remove(field);
    format!(
        r#"{{"data":[{BACKUP},{}]}}"#,
        serde_json::to_string(&backup).unwrap()
    )
}

fn error(body: &str, version: &ApiVersion) -> Error {
    match parse_backup_page(body.as_bytes(), version) {
        Ok(page) => panic!("{version}: accepted {body} as {page:?}"),
        Err(e) => e,
    }
}

/// Each version by its own schema: `created_at` is a plain string up to 2026-04 (kept as sent
/// when it is not a timestamp, and then no time at all) and a date-time in 2026-07; the counts
/// are integers with no minimum in every version.
#[test]
fn each_version_takes_what_its_schema_allows() {
    let odd = with("created_at", r#""2024-03-15 10:30""#);
    let negative = with("record_count", "-1");
    for version in [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
    ] {
        let page = parse_backup_page(odd.as_bytes(), &version).unwrap();
        let backup = &page.backups[1];
        assert_eq!(backup.created_at(), None, "{version}");
        assert_eq!(
            backup.created_at_text(),
            Some("2024-03-15 10:30"),
            "{version}"
        );
        // shown again as it came
        let json = serde_json::to_value(backup).unwrap();
        assert_eq!(json["created_at"], "2024-03-15 10:30", "{version}");
        // never the newest: the dated one is picked
        assert_eq!(
            newest_ready(&page.backups).map(Backup::backup_id),
            Some("b1")
        );
    }
    let err = error(&odd, &ApiVersion::V2026_07);
    assert_eq!(
        err.to_string(),
        r#"invalid response: data[1].created_at: expected an RFC 3339 timestamp, found `"2024-03-15 10:30"`"#
    );
    for version in [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
        ApiVersion::V2026_07,
    ] {
        let page = parse_backup_page(negative.as_bytes(), &version).unwrap();
        assert_eq!(page.backups[1].record_count(), Some(-1), "{version}");
        let backup = with("size_bytes", "-9223372036854775808");
        let page = parse_backup_page(backup.as_bytes(), &version).unwrap();
        assert_eq!(page.backups[1].size_bytes(), Some(i64::MIN), "{version}");
    }
}

#[test]
fn errors_say_where_and_what() {
    let v = ApiVersion::V2025_10;
    let cases = [
        (
            with("created_at", "5"),
            "data[1].created_at: expected a string or null, found `5`",
        ),
        (
            with("dimension", "0"),
            "data[1].dimension: expected an integer in 1..=20000, found `0`",
        ),
        (
            with("dimension", "20001"),
            "data[1].dimension: expected an integer in 1..=20000, found `20001`",
        ),
        (
            with("dimension", "1.5"),
            "data[1].dimension: expected an integer in 1..=20000, found `1.5`",
        ),
        (
            with("record_count", "9223372036854775808"),
            "data[1].record_count: expected an integer, found `9223372036854775808`",
        ),
        (
            with("size_bytes", r#""10""#),
            r#"data[1].size_bytes: expected an integer, found `"10"`"#,
        ),
        (
            with("status", "null"),
            "data[1].status: expected a string, found `null`",
        ),
        (
            with("backup_id", r#""""#),
            r#"data[1].backup_id: expected a non-empty string, found `""`"#,
        ),
        (
            with("tags", r#"{"env":"prod","n":3}"#),
            "data[1].tags.n: expected a string, found `3`",
        ),
        (
            format!(
                r#"{{"data":[{BACKUP},{}]}}"#,
                BACKUP.replacen(r#"{"a":"1"}"#, r#"{"env":"a","x":"b","env":"c"}"#, 1)
            ),
            "data[1].tags.env: expected each key once, found `env` again",
        ),
        (
            with("tags", "[]"),
            "data[1].tags: expected an object of strings or null, found sequence",
        ),
        (
            with("schema", "[1]"),
            "data[1].schema: expected an object or null, found an array",
        ),
        (
            with("schema", r#""fields""#),
            r#"data[1].schema: expected an object or null, found `"fields"`"#,
        ),
        (
            format!(
                r#"{{"data":[{BACKUP},{}]}}"#,
                BACKUP.replacen('{', r#"{"cloud":"gcp","#, 1)
            ),
            "data[1].cloud: expected each key once, found `cloud` again",
        ),
        (
            without("region"),
            "data[1]: expected key `region`, found none",
        ),
        (
            without("source_index_id"),
            "data[1]: expected key `source_index_id`, found none",
        ),
        (
            format!(r#"{{"data":[{BACKUP}],"pagination":{{"next":5}}}}"#),
            "pagination.next: expected a string or null, found `5`",
        ),
        (
            format!(r#"{{"data":[{BACKUP}]}} x"#),
            "expected nothing after the JSON value, found more bytes",
        ),
    ];
    for (body, expected) in cases {
        let err = error(&body, &v);
        assert!(err.is_invalid_response(), "{body}");
        let shown = err.to_string();
        let shown = shown.strip_prefix("invalid response: ").unwrap_or(&shown);
        assert!(
            shown.starts_with(expected),
            "{body}\n  expected {expected}\n  found    {shown}"
        );
    }
}

#[test]
fn the_rules_of_each_version() {
    // a key the version does not define is ignored, whatever its value
    let odd = with("source_index_deleted_at", "5");
    assert!(parse_backup_page(odd.as_bytes(), &ApiVersion::V2026_04).is_ok());
    assert_eq!(
        error(&odd, &ApiVersion::V2026_07).to_string(),
        "invalid response: data[1].source_index_deleted_at: expected an RFC 3339 timestamp or \
         null, found `5`"
    );
    let odd = with("dimension", r#""big""#);
    assert!(parse_backup_page(odd.as_bytes(), &ApiVersion::V2026_07).is_ok());
    assert!(parse_backup_page(odd.as_bytes(), &ApiVersion::V2025_04).is_err());
    let odd = with("schema", "3");
    assert!(parse_backup_page(odd.as_bytes(), &ApiVersion::V2025_04).is_ok());
    assert!(parse_backup_page(odd.as_bytes(), &ApiVersion::V2025_10).is_err());
    // unknown keys, unknown statuses and `null` optionals are taken
    for version in ApiVersion::KNOWN {
        let body = with("status", r#""Archiving""#).replacen(
            r#""b2","#,
            r#""b2","future":{"x":[1]},"name":null,"#,
            1,
        );
        let page = parse_backup_page(body.as_bytes(), &version).unwrap();
        let second = &page.backups[1];
        assert_eq!(second.status(), &BackupStatus::Other("Archiving".into()));
        assert_eq!(second.name(), None);
        let page = parse_backup_page(with("tags", "null").as_bytes(), &version).unwrap();
        assert_eq!(page.backups[1].tags(), None);
        let null = with("created_at", "null");
        let page = parse_backup_page(null.as_bytes(), &version).unwrap();
        assert_eq!(page.backups[1].created_at(), None);
    }
}

#[test]
fn a_secret_sent_back_is_refused_and_never_shown() {
    let key = "pcsk_backup-secret-0123456789";
    let config = Config::builder(ApiKey::new(key).unwrap())
        .api_version("2025-10")
        .build()
        .unwrap();
    for field in ["name", "tags", "schema"] {
        let value = match field {
            "name" => format!(r#""{key}""#),
            "tags" => format!(r#"{{"k":"{key}"}}"#),
            _ => format!(r#"{{"f":"{key}"}}"#),
        };
        let body = with(field, &value);
        let err = run(
            &mut config.list_backups_page(None, None),
            &[body.as_bytes()],
        )
        .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(key), "{field}: {shown}");
        assert_eq!(
            err.invalid_response_kind(),
            Some(InvalidResponseKind::InvalidValue),
            "{field}"
        );
        assert!(shown.contains("API key"), "{field}: {shown}");
    }
}

fn now() -> Now {
    Now {
        instant: Instant::now(),
        wall: SystemTime::now(),
    }
}

/// What a driven operation came to: its result, the URLs it sent, the items it yielded.
type Driven<O> = (
    Result<<O as Operation>::Output, Error>,
    Vec<String>,
    Vec<<O as Operation>::Item>,
);

/// Drives `op`, answering its requests with `bodies` in order (status 200); the URLs sent.
fn drive<O: Operation>(op: &mut O, bodies: &[&[u8]]) -> Driven<O> {
    let mut urls = Vec::new();
    let mut items = Vec::new();
    let mut bodies = bodies.iter();
    loop {
        match op.next_step(now()) {
            Step::Send(attempt) => {
                urls.push(attempt.request.url.clone());
                let body = bodies.next().copied().unwrap_or(b"");
                op.handle(
                    Ok(Response {
                        status: 200,
                        headers: &[],
                        body,
                    }),
                    now(),
                    0,
                );
            }
            Step::Sleep(_) => {}
            Step::Yield(item) => items.push(item),
            Step::Done(result) => return (result, urls, items),
        }
    }
}

fn run<O: Operation>(op: &mut O, bodies: &[&[u8]]) -> Result<O::Output, Error> {
    drive(op, bodies).0
}

fn config(version: ApiVersion) -> Config {
    Config::builder(ApiKey::new("k").unwrap())
        .base_url("http://127.0.0.1:9/gw")
        .api_version(version.as_str())
        .build()
        .unwrap()
}

fn page(ids: &[&str], next: Option<&str>) -> Vec<u8> {
    let data: Vec<String> = ids
        .iter()
        .map(|id| BACKUP.replacen(r#""b1""#, &format!(r#""{id}""#), 1))
        .collect();
    let next = next.map_or("null".to_owned(), |t| format!(r#"{{"next":"{t}"}}"#));
    format!(r#"{{"data":[{}],"pagination":{next}}}"#, data.join(",")).into_bytes()
}

#[test]
fn requests_encode_names_ids_and_tokens() {
    let config = config(ApiVersion::V2025_04);
    let token = PaginationToken::new("a+b/c=").unwrap();
    let limit = Some(Limit::new(100).unwrap());
    assert_eq!(
        backups::list(None, None).request(&config).unwrap().url,
        "http://127.0.0.1:9/gw/backups"
    );
    assert_eq!(
        backups::list(limit, Some(&token))
            .request(&config)
            .unwrap()
            .url,
        "http://127.0.0.1:9/gw/backups?limit=100&paginationToken=a%2Bb%2Fc%3D"
    );
    let listing = IndexBackups::new(IndexName::new("prod-2").unwrap());
    assert_eq!(
        backups::list_index(&listing, None, Some(&token))
            .request(&config)
            .unwrap()
            .url,
        "http://127.0.0.1:9/gw/indexes/prod-2/backups?paginationToken=a%2Bb%2Fc%3D"
    );
    assert_eq!(
        backups::describe(&BackupId::new("../x?y").unwrap())
            .request(&config)
            .unwrap()
            .url,
        "http://127.0.0.1:9/gw/backups/..%2Fx%3Fy"
    );
    // the limit, the token, the name and the id are checked before anything is built
    assert!(Limit::new(0).is_err() && Limit::new(101).is_err());
    assert!(PaginationToken::new("").is_err());
    assert!(IndexName::new("My_Index").is_err());
    assert!(IndexName::new("a/b").is_err());
    assert!(BackupId::new("..").is_err() && BackupId::new("").is_err());
    let request = backups::list(limit, None).request(&config).unwrap();
    assert_eq!(request.header("Api-Key"), Some("k"));
    assert_eq!(request.header("X-Pinecone-Api-Version"), Some("2025-04"));
}

#[test]
fn include_deleted_is_sent_from_2026_07_and_refused_before() {
    let listing = IndexBackups::new(IndexName::new("idx").unwrap()).include_deleted(true);
    for version in [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
    ] {
        let config = config(version.clone());
        let (refused, urls, _) = drive(
            &mut config.list_index_backups_page(&listing, None, None),
            &[],
        );
        let err = refused.unwrap_err();
        assert!(err.is_invalid_argument(), "{version}: {err}");
        assert!(urls.is_empty(), "{version}: {urls:?}");
        // a walk ends with the same refusal, having sent nothing
        let (result, urls, _) = drive(
            &mut config.walk_index_backups(listing.clone(), None, None),
            &[],
        );
        assert_eq!(result.unwrap_err(), err);
        assert!(urls.is_empty(), "{version}: {urls:?}");
    }
    let config = config(ApiVersion::V2026_07);
    let token = PaginationToken::new("t").unwrap();
    let request = backups::list_index(&listing, Some(Limit::new(3).unwrap()), Some(&token))
        .request(&config)
        .unwrap();
    assert_eq!(
        request.url,
        "http://127.0.0.1:9/gw/indexes/idx/backups?limit=3&paginationToken=t&include_deleted=true"
    );
}

#[test]
fn walks_yield_each_backup_once_with_the_same_limit_on_every_page() {
    let limit = Some(Limit::new(2).unwrap());
    let config = config(ApiVersion::V2025_04);
    let pages = [
        page(&["a", "b"], Some("t1")),
        page(&["b", "c"], Some("t2")),
        page(&["d"], None),
    ];
    let bodies: Vec<&[u8]> = pages.iter().map(Vec::as_slice).collect();

    let mut walk = config.walk_backups(limit, None);
    let (result, urls, items) = drive(&mut walk, &bodies);
    result.unwrap();
    let seen: Vec<String> = items
        .concat()
        .iter()
        .map(|b| b.backup_id().to_owned())
        .collect();
    assert_eq!(seen, ["a", "b", "c", "d"]);
    assert_eq!(walk.duplicates_skipped(), 1);
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:9/gw/backups?limit=2",
            "http://127.0.0.1:9/gw/backups?limit=2&paginationToken=t1",
            "http://127.0.0.1:9/gw/backups?limit=2&paginationToken=t2",
        ]
    );

    let listing = IndexBackups::new(IndexName::new("my-index").unwrap());
    let mut walk = config.walk_index_backups(listing, limit, None);
    let (result, urls, items) = drive(&mut walk, &bodies);
    result.unwrap();
    assert_eq!(items.concat().len(), 4);
    assert_eq!(walk.listing().index().as_str(), "my-index");
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http://127.0.0.1:9/gw/indexes/my-index/backups?limit=2"))
    );
}

#[test]
fn walks_stop_at_a_repeated_token_and_at_the_page_cap() {
    let config = config(ApiVersion::V2025_04);
    let looping = [
        page(&["a"], Some("t1")),
        page(&["b"], Some("t1")),
        page(&["c"], Some("t1")),
    ];
    let bodies: Vec<&[u8]> = looping.iter().map(Vec::as_slice).collect();
    let err = run(&mut config.walk_backups(None, None), &bodies).unwrap_err();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::PaginationLoop)
    );

    let capped = Config::builder(ApiKey::new("k").unwrap())
        .base_url("http://127.0.0.1:9")
        .max_pages(2)
        .build()
        .unwrap();
    let endless: Vec<Vec<u8>> = (0..5)
        .map(|i| page(&[&format!("b{i}")], Some(&format!("t{i}"))))
        .collect();
    let bodies: Vec<&[u8]> = endless.iter().map(Vec::as_slice).collect();
    let listing = IndexBackups::new(IndexName::new("x").unwrap());
    let (result, urls, _) = drive(&mut capped.walk_index_backups(listing, None, None), &bodies);
    assert_eq!(
        result.unwrap_err().invalid_response_kind(),
        Some(InvalidResponseKind::PageLimit)
    );
    assert_eq!(urls.len(), 2);
}

#[test]
fn a_backup_walk_without_progress_stops_and_says_backups() {
    let config = config(ApiVersion::V2025_04);
    let stuck: Vec<Vec<u8>> = std::iter::once(page(&["a"], Some("t0")))
        .chain((1..20).map(|i| page(&["a"], Some(&format!("t{i}")))))
        .collect();
    let bodies: Vec<&[u8]> = stuck.iter().map(Vec::as_slice).collect();
    let (result, urls, _) = drive(&mut config.walk_backups(None, None), &bodies);
    let err = result.unwrap_err();
    assert_eq!(
        err.invalid_response_kind(),
        Some(InvalidResponseKind::NoProgress)
    );
    assert!(
        err.to_string()
            .contains("expected pages with backups not seen before, found 10 pages in a row"),
        "{err}"
    );
    assert_eq!(urls.len(), 11);
}

/// A schema nested 20,000 deep is read (kept whole, or skipped as an unknown value where the
/// version has no `schema`) or refused, never a stack overflow.
#[test]
fn a_deeply_nested_schema_is_never_a_crash() {
    for depth in [100, 20_000] {
        let schema = format!("{}0{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let body = with("dimension", "8").replacen(
            r#""backup_id":"b2""#,
            &format!(r#""backup_id":"b2","schema":{schema}"#),
            1,
        );
        for version in ApiVersion::KNOWN {
            match parse_backup_page(body.as_bytes(), &version) {
                Ok(page) => {
                    let kept = page.backups[1].schema().map(str::len);
                    assert_eq!(kept.is_some(), version != ApiVersion::V2025_04, "{version}");
                }
                Err(e) => assert!(e.is_invalid_response(), "{version}: {e}"),
            }
        }
    }
}

#[test]
fn describe_backup_parses_by_the_configured_version() {
    let body = read("2026-07", "200-describe-backup.json");
    let backup = run(
        &mut config(ApiVersion::V2026_07).describe_backup(&BackupId::new("b").unwrap()),
        &[&body],
    )
    .unwrap();
    assert_eq!(
        backup.source_index_deleted_at(),
        Some(datetime!(2024-04-01 08:00:00 UTC))
    );
    let old = run(
        &mut config(ApiVersion::V2025_04).describe_backup(&BackupId::new("b").unwrap()),
        &[&body],
    )
    .unwrap();
    assert_eq!((old.source_index_deleted_at(), old.schema()), (None, None));
}

#[test]
fn a_backup_page_without_data_holds_no_backups_as_its_schema_allows() {
    // `BackupList` requires no key in any version (Prism's bodies without `data` were refused
    // before: tests/prism); a restore-job page still requires it, as `RestoreJobList` does
    for version in ApiVersion::KNOWN {
        for body in [&br#"{}"#[..], br#"{"pagination":{"next":"dG9r"}}"#] {
            let page = parse_backup_page(body, &version).unwrap();
            assert!(page.backups.is_empty(), "{version}");
        }
        assert!(pinecone_restore_core::parse_list_page(br#"{}"#, &version).is_err());
    }
}
