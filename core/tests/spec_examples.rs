//! Every restore-related example of every spec version parses, under that version, to exactly
//! the values it shows (`tests/spec/README.md` says where each file comes from).
//!
//! Each version's test lists its directory: a file without an expectation here fails, and so
//! does an expectation without its file, so neither can be forgotten.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{
    ApiVersion, CreateIndexFromBackup, DeletionProtection, ErrorCode, IndexName, JobStatus,
    OffsetDateTime, Percent, Response, RestoreJob, Tags, parse_job, parse_list_page,
    parse_started_restore,
};
use time::macros::datetime;

/// The values a restore job example shows.
struct JobValues {
    restore_job_id: &'static str,
    backup_id: &'static str,
    target_index_name: &'static str,
    target_index_id: &'static str,
    status: JobStatus,
    created_at: Option<OffsetDateTime>,
    completed_at: Option<OffsetDateTime>,
    percent_complete: Option<f64>,
}

/// What a file must parse to.
enum Expect {
    /// A `200` list page.
    Page {
        jobs: Vec<JobValues>,
        next: Option<&'static str>,
    },
    /// A `200` restore job.
    Job(JobValues),
    /// A `202` answer to starting a restore.
    Started {
        restore_job_id: &'static str,
        index_id: &'static str,
    },
    /// An error answer, with the status its file name gives.
    Error {
        code: Option<ErrorCode>,
        message: &'static str,
    },
    /// A request body that `CreateIndexFromBackup` builds exactly.
    Request {
        name: &'static str,
        tags: &'static [(&'static str, &'static str)],
        deletion_protection: Option<DeletionProtection>,
    },
    /// A request body that sets `key`, which the client does not offer.
    NotOffered { key: &'static str },
}

/// The one job of the list examples (the same in every version).
fn listed_job() -> JobValues {
    JobValues {
        restore_job_id: "670e8400-e29b-41d4-a716-446655440001",
        backup_id: "670e8400-e29b-41d4-a716-446655440000",
        target_index_name: "my-index",
        target_index_id: "idx_456",
        status: JobStatus::Completed,
        created_at: Some(datetime!(2024-03-15 10:30:00 UTC)),
        completed_at: Some(datetime!(2024-03-15 10:35:00 UTC)),
        percent_complete: Some(100.0),
    }
}

/// `RestoreJobModel` from its property examples; only `percent_complete` differs by version.
fn model_job(percent_complete: f64) -> JobValues {
    JobValues {
        restore_job_id: "670e8400-e29b-41d4-a716-446655440001",
        backup_id: "670e8400-e29b-41d4-a716-446655440000",
        target_index_name: "sample-index",
        target_index_id: "670e8400-e29b-41d4-a716-446655440002",
        status: JobStatus::Completed,
        created_at: Some(datetime!(2025-02-04 13:00:00 UTC)),
        completed_at: Some(datetime!(2025-02-04 14:00:00 UTC)),
        percent_complete: Some(percent_complete),
    }
}

fn error(code: ErrorCode, message: &'static str) -> Expect {
    Expect::Error {
        code: Some(code),
        message,
    }
}

const QUOTA_MESSAGE: &str = "The index exceeds the project quota of 5 pods by 2 pods. Upgrade your account or change the project settings to increase the quota.";
const MISSING_FIELD_MESSAGE: &str = "Failed to deserialize the JSON body into the target type: missing field `metric` at line 1 column 16";

/// The files of the full OpenAPI files (2025-04, 2025-10 and 2026-04 hold the same examples).
fn full_file_examples() -> Vec<(&'static str, Expect)> {
    vec![
        (
            "200-paginated-restore-jobs.json",
            Expect::Page {
                jobs: vec![listed_job()],
                next: Some("dXNlcl9pZD11c2VyXzE="),
            },
        ),
        (
            "200-non-paginated-restore-jobs.json",
            Expect::Page {
                jobs: vec![listed_job()],
                next: None,
            },
        ),
        (
            "200-no-restore-jobs.json",
            Expect::Page {
                jobs: vec![],
                next: None,
            },
        ),
        ("200-restore-job-model.json", Expect::Job(model_job(42.2))),
        (
            "202-create-index-from-backup.json",
            Expect::Started {
                restore_job_id: "670e8400-e29b-41d4-a716-446655440000",
                index_id: "123e4567-e89b-12d3-a456-426614174000",
            },
        ),
        (
            "400-index-metric-validation-error.json",
            error(
                ErrorCode::InvalidArgument,
                "Bad request. The request body included invalid request parameters.",
            ),
        ),
        (
            "401-unauthorized.json",
            error(ErrorCode::Unauthenticated, "Invalid API key."),
        ),
        (
            "402-payment-required.json",
            error(
                ErrorCode::PaymentRequired,
                "Request failed. Pay all past due invoices to lift restrictions on your account.",
            ),
        ),
        (
            "403-unauthorized.json",
            error(
                ErrorCode::Forbidden,
                "Increase your quota or upgrade to create more indexes.",
            ),
        ),
        (
            "404-backup-not-found.json",
            error(ErrorCode::NotFound, "Backup bkp_123abc not found."),
        ),
        (
            "404-restore-job-not-found.json",
            error(
                ErrorCode::NotFound,
                "Restore job 670e8400-e29b-41d4-a716-446655440002 not found.",
            ),
        ),
        (
            "422-missing-field.json",
            error(ErrorCode::UnprocessableEntity, MISSING_FIELD_MESSAGE),
        ),
        (
            "429-error-response.json",
            error(ErrorCode::QuotaExceeded, QUOTA_MESSAGE),
        ),
        (
            "500-internal-server-error.json",
            error(ErrorCode::Unknown, "Internal server error"),
        ),
        (
            "request-create-index-from-backup-request.json",
            Expect::Request {
                name: "example-index",
                tags: &[("tag0", "val0"), ("tag1", "val1")],
                deletion_protection: None,
            },
        ),
    ]
}

/// The files of the 2026-07 excerpt.
fn excerpt_2026_07_examples() -> Vec<(&'static str, Expect)> {
    vec![
        (
            "200-paginated-restore-jobs.json",
            Expect::Page {
                jobs: vec![listed_job()],
                next: Some("dXNlcl9pZD11c2VyXzE="),
            },
        ),
        // no `pagination` key at all
        (
            "200-non-paginated-restore-jobs.json",
            Expect::Page {
                jobs: vec![listed_job()],
                next: None,
            },
        ),
        (
            "200-no-restore-jobs.json",
            Expect::Page {
                jobs: vec![],
                next: None,
            },
        ),
        ("200-restore-job-model.json", Expect::Job(model_job(100.0))),
        (
            "202-create-index-from-backup.json",
            Expect::Started {
                restore_job_id: "670e8400-e29b-41d4-a716-446655440000",
                index_id: "123e4567-e89b-12d3-a456-426614174000",
            },
        ),
        (
            "400-index-metric-validation-error.json",
            error(
                ErrorCode::InvalidArgument,
                "Bad request. The request body included invalid request parameters.",
            ),
        ),
        // text/plain: the body is the message, there is no code
        (
            "401-unauthorized.txt",
            Expect::Error {
                code: None,
                message: "Invalid API key.",
            },
        ),
        (
            "402-payment-required.json",
            error(
                ErrorCode::PaymentRequired,
                "Request failed. Pay all past due invoices to lift restrictions on your account.",
            ),
        ),
        (
            "403-forbidden.json",
            error(
                ErrorCode::Forbidden,
                "Increase your quota or upgrade to create more indexes.",
            ),
        ),
        (
            "403-permission-denied.json",
            error(
                ErrorCode::PermissionDenied,
                "Access denied: Permission control::backups::list is required",
            ),
        ),
        (
            "404-backup-not-found.json",
            error(ErrorCode::NotFound, "Backup bkp_123abc not found."),
        ),
        (
            "404-restore-job-not-found.json",
            error(
                ErrorCode::NotFound,
                "Restore job 670e8400-e29b-41d4-a716-446655440002 not found.",
            ),
        ),
        (
            "412-failed-precondition.json",
            error(
                ErrorCode::FailedPrecondition,
                "Backup 670e8400-e29b-41d4-a716-446655440000 is not completed",
            ),
        ),
        (
            "422-missing-field.json",
            error(ErrorCode::UnprocessableEntity, MISSING_FIELD_MESSAGE),
        ),
        (
            "500-internal-server-error.json",
            error(ErrorCode::Unknown, "Internal server error"),
        ),
        (
            "request-create-index-from-backup-request.json",
            Expect::Request {
                name: "example-index",
                tags: &[],
                deletion_protection: None,
            },
        ),
        (
            "request-on-demand.json",
            Expect::Request {
                name: "restored-index",
                tags: &[],
                deletion_protection: None,
            },
        ),
        // The client does not offer `read_capacity`: a restored index gets the API's default,
        // on-demand capacity. There is nothing to rebuild this body with.
        (
            "request-dedicated.json",
            Expect::NotOffered {
                key: "read_capacity",
            },
        ),
    ]
}

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec")
}

/// The file names in `dir`, sorted.
fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

/// Checks every file of `tests/spec/<version>/` against `examples`, and that the two list
/// the same files.
fn check_version(version: ApiVersion, examples: Vec<(&'static str, Expect)>) {
    let dir = spec_dir().join(version.as_str());
    let on_disk = listing(&dir);
    let expected: BTreeSet<String> = examples.iter().map(|(f, _)| (*f).to_owned()).collect();
    let unchecked: Vec<_> = on_disk.difference(&expected).collect();
    assert!(
        unchecked.is_empty(),
        "{version}: files with no expectation (add one): {unchecked:?}"
    );
    let missing: Vec<_> = expected.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "{version}: expected files not found: {missing:?}"
    );
    for (file, expect) in examples {
        let path = dir.join(file);
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check_file(&version, file, &body, expect);
    }
}

fn check_file(version: &ApiVersion, file: &str, body: &[u8], expect: Expect) {
    let context = format!("{version}/{file}");
    let prefix = file.split('-').next().unwrap_or_default();
    match expect {
        Expect::Page { jobs, next } => {
            assert_eq!(prefix, "200", "{context}");
            let page = parse_list_page(body, version)
                .unwrap_or_else(|e| panic!("{context}: refused: {e}"));
            assert_eq!(page.next.as_ref().map(|t| t.as_str()), next, "{context}");
            assert_eq!(page.jobs.len(), jobs.len(), "{context}");
            for (job, values) in page.jobs.iter().zip(&jobs) {
                assert_job(job, values, &context);
            }
        }
        Expect::Job(values) => {
            assert_eq!(prefix, "200", "{context}");
            let job =
                parse_job(body, version).unwrap_or_else(|e| panic!("{context}: refused: {e}"));
            assert_job(&job, &values, &context);
        }
        Expect::Started {
            restore_job_id,
            index_id,
        } => {
            assert_eq!(prefix, "202", "{context}");
            let started =
                parse_started_restore(body).unwrap_or_else(|e| panic!("{context}: refused: {e}"));
            assert_eq!(started.restore_job_id(), restore_job_id, "{context}");
            assert_eq!(started.index_id(), index_id, "{context}");
            assert!(!started.recovered(), "{context}");
        }
        Expect::Error { code, message } => {
            let status: u16 = prefix
                .parse()
                .unwrap_or_else(|e| panic!("{context}: no status in the name: {e}"));
            let content_type: &[u8] = match Path::new(file).extension().and_then(|e| e.to_str()) {
                Some("json") => b"application/json",
                Some("txt") => b"text/plain; charset=utf-8",
                other => panic!("{context}: no content type for extension {other:?}"),
            };
            if content_type == b"application/json" {
                let json: serde_json::Value = serde_json::from_slice(body).unwrap();
                assert_eq!(json["status"], status, "{context}: the body's own status");
            }
            let headers = [("Content-Type", content_type)];
            let err = Response {
                status,
                headers: &headers,
                body,
            }
            .api_error(&Secrets::none(), SystemTime::now());
            assert_eq!(err.status(), status, "{context}");
            assert_eq!(err.code(), code.as_ref(), "{context}");
            assert_eq!(err.message(), Some(message), "{context}");
        }
        Expect::Request {
            name,
            tags,
            deletion_protection,
        } => {
            assert_eq!(prefix, "request", "{context}");
            let tags = tags
                .iter()
                .try_fold(Tags::new(), |t, (k, v)| t.with(*k, *v))
                .unwrap_or_else(|e| panic!("{context}: {e}"));
            let mut request = CreateIndexFromBackup::new(
                IndexName::new(name).unwrap_or_else(|e| panic!("{context}: {e}")),
            )
            .tags(tags);
            if let Some(p) = deletion_protection {
                request = request.deletion_protection(p);
            }
            let built: serde_json::Value = serde_json::from_slice(&request.to_json()).unwrap();
            let example: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert_eq!(built, example, "{context}");
        }
        Expect::NotOffered { key } => {
            assert_eq!(prefix, "request", "{context}");
            let example: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert!(
                example.get(key).is_some(),
                "{context}: skipped for `{key}`, which it does not set"
            );
        }
    }
}

fn assert_job(job: &RestoreJob, values: &JobValues, context: &str) {
    assert_eq!(job.restore_job_id(), values.restore_job_id, "{context}");
    assert_eq!(job.backup_id(), values.backup_id, "{context}");
    assert_eq!(
        job.target_index_name(),
        values.target_index_name,
        "{context}"
    );
    assert_eq!(job.target_index_id(), values.target_index_id, "{context}");
    assert_eq!(job.status(), &values.status, "{context}");
    assert_eq!(job.created_at(), values.created_at, "{context}");
    assert_eq!(job.completed_at(), values.completed_at, "{context}");
    assert_eq!(
        job.percent_complete().map(Percent::get),
        values.percent_complete,
        "{context}"
    );
}

#[test]
fn spec_2025_04() {
    check_version(ApiVersion::V2025_04, full_file_examples());
}

#[test]
fn spec_2025_10() {
    check_version(ApiVersion::V2025_10, full_file_examples());
}

#[test]
fn spec_2026_04() {
    check_version(ApiVersion::V2026_04, full_file_examples());
}

#[test]
fn spec_2026_07() {
    check_version(ApiVersion::V2026_07, excerpt_2026_07_examples());
}

/// A version directory that no test above reads cannot be added unnoticed.
#[test]
fn every_version_directory_has_its_test() {
    let dirs: BTreeSet<String> = listing(&spec_dir())
        .into_iter()
        .filter(|name| spec_dir().join(name).is_dir())
        .collect();
    let known: BTreeSet<String> = ApiVersion::KNOWN
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    assert_eq!(dirs, known);
}

/// The 2025-04 model example's fractional percent is refused by 2026-07's rules (and a later,
/// unknown version's), while 2026-07's whole percent is accepted by every version.
#[test]
fn a_model_example_under_the_other_versions_rules() {
    let older = std::fs::read(spec_dir().join("2025-04/200-restore-job-model.json")).unwrap();
    let newer = std::fs::read(spec_dir().join("2026-07/200-restore-job-model.json")).unwrap();
    let later = ApiVersion::parse("2027-01").unwrap();
    for version in [ApiVersion::V2026_07, later.clone()] {
        let err = parse_job(&older, &version).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid response: percent_complete: expected an integer in 0..=100, found `42.2`",
            "{version}"
        );
    }
    for version in ApiVersion::KNOWN.into_iter().chain([later]) {
        let job = parse_job(&newer, &version).unwrap();
        assert_eq!(job.percent_complete(), Percent::new(100.0), "{version}");
    }
}
