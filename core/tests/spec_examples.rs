//! Every example in the spec parses to exactly the values it shows.

use std::time::SystemTime;

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{
    ApiVersion, ErrorCode, JobStatus, OffsetDateTime, Percent, Response, parse_job, parse_list_page,
};
use time::macros::datetime;

fn spec(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/spec/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn at(t: OffsetDateTime) -> Option<OffsetDateTime> {
    Some(t)
}

#[test]
fn paginated_and_non_paginated_lists() {
    for (name, next) in [
        ("paginated-restore-jobs", Some("dXNlcl9pZD11c2VyXzE=")),
        ("non-paginated-restore-jobs", None),
    ] {
        let page = parse_list_page(&spec(name), &ApiVersion::V2025_04).unwrap();
        assert_eq!(page.next.as_ref().map(|t| t.as_str()), next, "{name}");
        let [job] = page.jobs.as_slice() else {
            panic!("{name}: one job expected")
        };
        assert_eq!(job.restore_job_id(), "670e8400-e29b-41d4-a716-446655440001");
        assert_eq!(job.backup_id(), "670e8400-e29b-41d4-a716-446655440000");
        assert_eq!(job.target_index_name(), "my-index");
        assert_eq!(job.target_index_id(), "idx_456");
        assert_eq!(job.status(), &JobStatus::Completed);
        assert_eq!(job.created_at(), at(datetime!(2024-03-15 10:30:00 UTC)));
        assert_eq!(job.completed_at(), at(datetime!(2024-03-15 10:35:00 UTC)));
        assert_eq!(job.percent_complete(), Percent::new(100.0));
    }
}

#[test]
fn empty_list() {
    let page = parse_list_page(&spec("no-restore-jobs"), &ApiVersion::V2025_04).unwrap();
    assert!(page.jobs.is_empty());
    assert_eq!(page.next, None);
}

#[test]
fn restore_job_model_example() {
    let job = parse_job(&spec("restore-job-model"), &ApiVersion::V2025_04).unwrap();
    assert_eq!(job.restore_job_id(), "670e8400-e29b-41d4-a716-446655440001");
    assert_eq!(job.target_index_name(), "sample-index");
    assert_eq!(
        job.target_index_id(),
        "670e8400-e29b-41d4-a716-446655440002"
    );
    assert_eq!(job.created_at(), at(datetime!(2025-02-04 13:00:00 UTC)));
    assert_eq!(job.completed_at(), at(datetime!(2025-02-04 14:00:00 UTC)));
    assert_eq!(job.percent_complete().map(Percent::get), Some(42.2));
}

#[test]
fn error_examples() {
    for (name, status, code, message) in [
        (
            "unauthorized",
            401,
            ErrorCode::Unauthenticated,
            "Invalid API key.",
        ),
        (
            "internal-server-error",
            500,
            ErrorCode::Unknown,
            "Internal server error",
        ),
        (
            "restore-job-not-found",
            404,
            ErrorCode::NotFound,
            "Restore job 670e8400-e29b-41d4-a716-446655440002 not found.",
        ),
        (
            "error-response-example",
            429,
            ErrorCode::QuotaExceeded,
            "The index exceeds the project quota of 5 pods by 2 pods. Upgrade your account or change the project settings to increase the quota.",
        ),
    ] {
        let body = spec(name);
        let err = Response {
            status,
            headers: &[],
            body: &body,
        }
        .api_error(&Secrets::none(), SystemTime::now());
        assert_eq!(err.status(), status, "{name}");
        assert_eq!(err.code(), Some(&code), "{name}");
        assert_eq!(err.message(), Some(message), "{name}");
    }
}
