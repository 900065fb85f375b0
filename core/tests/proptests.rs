//! Round trips and invariants over generated inputs.

use std::collections::HashSet;

use std::time::{Instant, SystemTime};

use pinecone_restore_core::{
    ApiKey, ApiVersion, Config, Error, InvalidResponseKind, JobStatus, Limit, Now, OffsetDateTime,
    Operation, PaginationToken, Percent, Response, RestoreJob, Step,
};
use proptest::prelude::*;
use time::UtcOffset;
use time::format_description::well_known::Rfc3339;

fn status() -> impl Strategy<Value = JobStatus> {
    prop_oneof![
        Just(JobStatus::Pending),
        Just(JobStatus::Running),
        Just(JobStatus::Completed),
        Just(JobStatus::Failed),
        Just(JobStatus::Cancelled),
        "[A-Za-z ]{0,12}".prop_map(|s| JobStatus::from_text(&s)),
    ]
}

/// Instants whose UTC year is in 0..=9999, with nanosecond precision.
fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (-62_167_219_200i64..253_402_300_800i64, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| {
            OffsetDateTime::from_unix_timestamp(secs).unwrap()
                + time::Duration::nanoseconds(nanos.into())
        })
        .prop_filter("UTC year in 0..=9999", |t| (0..=9999).contains(&t.year()))
}

fn offset() -> impl Strategy<Value = UtcOffset> {
    (-23i8..=23, 0i8..=59)
        .prop_map(|(h, m)| UtcOffset::from_hms(h, if h < 0 { -m } else { m }, 0).unwrap())
}

fn job() -> impl Strategy<Value = RestoreJob> {
    (
        "[^\u{0}]{1,40}",
        ".{0,40}",
        ".{0,40}",
        ".{0,40}",
        status(),
        proptest::option::of(instant()),
        proptest::option::of(instant()),
        proptest::option::of(0.0f64..=100.0),
    )
        .prop_map(
            |(id, backup, name, index, status, created, completed, percent)| {
                RestoreJob::new(&id, &backup, &name, &index, status, created)
                    .with_completed_at(completed)
                    .with_percent_complete(percent.and_then(Percent::new))
            },
        )
}

fn parse_list_page(body: &[u8]) -> Result<pinecone_restore_core::ListPage, Error> {
    pinecone_restore_core::parse_list_page(body, &ApiVersion::V2025_04)
}

fn parse_job(body: &[u8]) -> Result<RestoreJob, Error> {
    pinecone_restore_core::parse_job(body, &ApiVersion::V2025_04)
}

fn config() -> Config {
    Config::builder(ApiKey::new("k").unwrap()).build().unwrap()
}

/// Reads back the `paginationToken` query value the way a server does, after checking that
/// every byte that is not RFC 3986 unreserved arrived percent-encoded.
fn decoded_token(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("paginationToken="))?;
    assert!(
        value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "unencoded byte in {value}"
    );
    percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()
        .map(|token| token.into_owned())
}

proptest! {
    #[test]
    fn model_to_json_to_model(jobs in proptest::collection::vec(job(), 0..8), next in proptest::option::of("[A-Za-z0-9+/=]{1,30}")) {
        let body = serde_json::json!({"data": jobs, "pagination": next.as_ref().map(|n| serde_json::json!({"next": n}))});
        let bytes = serde_json::to_vec(&body).unwrap();
        let page = parse_list_page(&bytes).unwrap();
        prop_assert_eq!(&page.jobs, &jobs);
        prop_assert_eq!(page.next.map(|t| t.as_str().to_owned()), next);
        for job in &jobs {
            prop_assert_eq!(&parse_job(&serde_json::to_vec(job).unwrap()).unwrap(), job);
        }
    }

    #[test]
    fn token_to_url_to_token(token in ".{1,64}", limit in 1u64..=100) {
        let sent = PaginationToken::new(token.clone()).unwrap();
        let request = config().list_request(Some(Limit::new(limit).unwrap()), Some(&sent));
        prop_assert_eq!(decoded_token(&request.url), Some(token));
        let limit_text = format!("limit={limit}");
        prop_assert!(request.url.contains(&limit_text));
    }

    #[test]
    fn percent_in_range_is_accepted(p in 0.0f64..=100.0) {
        let body = format!(r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null,"percent_complete":{}}}"#, serde_json::to_string(&p).unwrap());
        prop_assert_eq!(parse_job(body.as_bytes()).unwrap().percent_complete().map(Percent::get), Some(p));
    }

    #[test]
    fn finite_percent_out_of_range_is_rejected(p in prop_oneof![
        (100.0f64..f64::MAX).prop_filter("above", |p| *p > 100.0),
        (f64::MIN..0.0f64).prop_filter("below", |p| *p < 0.0),
    ]) {
        let body = format!(r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null,"percent_complete":{}}}"#, serde_json::to_string(&p).unwrap());
        let err = parse_job(body.as_bytes()).unwrap_err();
        prop_assert!(matches!(&err, Error::InvalidResponse(e) if e.kind() == InvalidResponseKind::InvalidValue && e.path() == "percent_complete"), "{}", err);
    }

    #[test]
    fn any_rfc3339_time_formats_parses_back(t in instant(), off in offset()) {
        let Some(local) = t.checked_to_offset(off) else { return Ok(()) };
        let Ok(text) = local.format(&Rfc3339) else { return Ok(()) };
        let body = format!(r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":"{text}"}}"#);
        let job = parse_job(body.as_bytes()).unwrap();
        prop_assert_eq!(job.created_at(), Some(t), "{}", text);
    }

    #[test]
    fn walk_yields_each_id_once_or_stops_on_a_bound(
        pages in proptest::collection::vec((proptest::collection::vec(0u8..40, 0..6), proptest::option::of(0u8..8)), 1..12)
    ) {
        let config = config();
        let mut walk = config.walk(Some(Limit::new(5).unwrap()), None);
        let now = Now { instant: Instant::now(), wall: SystemTime::now() };
        let mut yielded = Vec::new();
        let mut served = 0;
        let outcome = loop {
            match walk.next_step(now) {
                Step::Send(_) if served == pages.len() => break Ok(()),
                Step::Send(_) => {
                    let (ids, next) = &pages[served];
                    served += 1;
                    let jobs: Vec<_> = ids.iter().map(|i| RestoreJob::new(&format!("job-{i}"), "b", "n", "i", JobStatus::Completed, None)).collect();
                    let body = serde_json::to_vec(&serde_json::json!({"data": jobs, "pagination": next.map(|n| serde_json::json!({"next": format!("t{n}")}))})).unwrap();
                    walk.handle(Ok(Response { status: 200, headers: &[], body: &body }), now, 0);
                }
                Step::Sleep(_) => unreachable!("200s are never retried"),
                Step::Yield(jobs) => yielded.extend(jobs.iter().map(|j| j.restore_job_id().to_owned())),
                Step::Done(result) => break result,
            }
        };
        let unique: HashSet<&String> = yielded.iter().collect();
        prop_assert_eq!(unique.len(), yielded.len(), "an id was yielded twice");
        // Everything on the pages actually fetched was yielded.
        let fetched = walk.pages() as usize;
        let expected: HashSet<String> = pages[..fetched].iter().flat_map(|(ids, _)| ids.iter().map(|i| format!("job-{i}"))).collect();
        prop_assert_eq!(unique.len(), expected.len());
        if let Err(e) = outcome {
            prop_assert!(matches!(e.invalid_response_kind(), Some(InvalidResponseKind::PaginationLoop | InvalidResponseKind::NoProgress)), "{}", e);
        }
    }
}
