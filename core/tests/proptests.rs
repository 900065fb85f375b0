//! Round trips and invariants over generated inputs.

use std::collections::HashSet;

use std::time::{Instant, SystemTime};

use pinecone_restore_core::{
    ApiKey, ApiVersion, Config, Error, InvalidResponseKind, JobStatus, Limit,
    MAX_PAGES_WITHOUT_NEW_JOBS, Now, Operation, PaginationToken, Percent, Response, RestoreJob,
    Step,
};
use proptest::prelude::*;

#[path = "support/strategies.rs"]
mod strategies;
use strategies::instant;
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

fn offset() -> impl Strategy<Value = UtcOffset> {
    (-23i8..=23, 0i8..=59)
        .prop_map(|(h, m)| UtcOffset::from_hms(h, if h < 0 { -m } else { m }, 0).unwrap())
}

fn job() -> impl Strategy<Value = RestoreJob> {
    job_with(proptest::option::of(0.0f64..=100.0).boxed())
}

/// Jobs whose `percent_complete` comes from `percent`.
fn job_with(percent: BoxedStrategy<Option<f64>>) -> impl Strategy<Value = RestoreJob> {
    (
        "[^\u{0}]{1,40}",
        ".{0,40}",
        ".{0,40}",
        ".{0,40}",
        status(),
        proptest::option::of(instant()),
        proptest::option::of(instant()),
        percent,
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
        let request = pinecone_restore_core::restore_jobs::list(Some(Limit::new(limit).unwrap()), Some(&sent))
            .request(&config())
            .unwrap();
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

// ---- the version dimension ---------------------------------------------------------------

/// Every known version and two unknown ones (which follow the newest known rules).
fn any_version() -> impl Strategy<Value = ApiVersion> {
    let mut all = ApiVersion::KNOWN.to_vec();
    all.push(ApiVersion::parse("2027-01").unwrap());
    all.push(ApiVersion::parse("2026-10.alpha").unwrap());
    proptest::sample::select(all)
}

/// `true` where `percent_complete` may be any number in `0..=100` (before 2026-07); from
/// 2026-07, and for any version not known, only whole numbers. Written here from the spec
/// files, not read from core.
fn fractions_allowed(version: &ApiVersion) -> bool {
    matches!(version.as_str(), "2025-04" | "2025-10" | "2026-04")
}

/// A percentage the version's rules allow: any in `0..=100`, or a whole one from 2026-07.
fn percent_for(version: &ApiVersion) -> BoxedStrategy<Option<f64>> {
    if fractions_allowed(version) {
        proptest::option::of(0.0f64..=100.0).boxed()
    } else {
        proptest::option::of((0u8..=100).prop_map(f64::from)).boxed()
    }
}

fn job_body(percent: &str) -> String {
    format!(
        r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null,"percent_complete":{percent}}}"#
    )
}

/// The message a refused percentage gets under `version`'s rule.
fn percent_refusal(version: &ApiVersion, written: &str) -> String {
    let rule = if fractions_allowed(version) {
        "a number"
    } else {
        "an integer"
    };
    format!("invalid response: percent_complete: expected {rule} in 0..=100, found `{written}`")
}

/// The number a percent refusal quotes, when `shown` is that refusal: core writes a number its
/// own way (`0.000018384098332410003` for serde's `1.8384098332410003e-5`), so tests compare
/// values, not texts.
fn refused_number(version: &ApiVersion, shown: &str) -> Result<f64, TestCaseError> {
    let refusal = percent_refusal(version, "");
    shown
        .strip_prefix(refusal.trim_end_matches('`'))
        .and_then(|rest| rest.strip_prefix('`'))
        .and_then(|rest| rest.strip_suffix('`'))
        .and_then(|quoted| quoted.parse::<f64>().ok())
        .ok_or_else(|| TestCaseError::fail(format!("{shown} vs {refusal}")))
}

proptest! {
    #[test]
    fn model_to_json_to_model_under_every_version(
        (version, jobs) in any_version().prop_flat_map(|v| {
            let jobs = proptest::collection::vec(job_with(percent_for(&v)), 0..6);
            (Just(v), jobs)
        }),
        next in proptest::option::of("[A-Za-z0-9+/=]{1,30}"),
    ) {
        let body = serde_json::json!({"data": jobs, "pagination": next.as_ref().map(|n| serde_json::json!({"next": n}))});
        let page = pinecone_restore_core::parse_list_page(&serde_json::to_vec(&body).unwrap(), &version)
            .map_err(|e| TestCaseError::fail(format!("{version}: {e}")))?;
        prop_assert_eq!(&page.jobs, &jobs);
        prop_assert_eq!(page.next.map(|t| t.as_str().to_owned()), next);
        for job in &jobs {
            let again = pinecone_restore_core::parse_job(&serde_json::to_vec(job).unwrap(), &version)
                .map_err(|e| TestCaseError::fail(format!("{version}: {e}")))?;
            prop_assert_eq!(&again, job);
        }
    }

    #[test]
    fn a_percent_in_range_is_accepted_by_the_version_rule(version in any_version(), whole in 0u8..=100, fraction in 0.0f64..1.0) {
        // whole numbers, written as integers and as floats (`42` and `42.0`), pass everywhere
        for written in [whole.to_string(), format!("{whole}.0")] {
            let job = pinecone_restore_core::parse_job(job_body(&written).as_bytes(), &version)
                .map_err(|e| TestCaseError::fail(format!("{version} {written}: {e}")))?;
            prop_assert_eq!(job.percent_complete().map(Percent::get), Some(f64::from(whole)));
        }
        // any other number in range passes only before 2026-07
        let p = (f64::from(whole) + fraction).min(100.0);
        let written = serde_json::to_string(&p).unwrap();
        let parsed = pinecone_restore_core::parse_job(job_body(&written).as_bytes(), &version);
        if fractions_allowed(&version) || p.fract() == 0.0 {
            prop_assert_eq!(parsed.unwrap().percent_complete().map(Percent::get), Some(p));
        } else {
            prop_assert_eq!(parsed.unwrap_err().to_string(), percent_refusal(&version, &written));
        }
    }

    #[test]
    fn a_percent_out_of_range_is_rejected_by_every_version(version in any_version(), p in prop_oneof![
        (100.0f64..f64::MAX).prop_filter("above", |p| *p > 100.0),
        (f64::MIN..0.0f64).prop_filter("below", |p| *p < 0.0),
        (101u64..u64::MAX).prop_map(|n| n as f64),
        Just(-0.5), Just(100.000_000_000_01), Just(-1.0), Just(101.0),
    ]) {
        let written = serde_json::to_string(&p).unwrap();
        let err = pinecone_restore_core::parse_job(job_body(&written).as_bytes(), &version).unwrap_err();
        prop_assert!(matches!(&err, Error::InvalidResponse(e) if e.kind() == InvalidResponseKind::InvalidValue), "{}", err);
        prop_assert_eq!(refused_number(&version, &err.to_string())?, p);
    }

    #[test]
    fn any_fractional_percent_is_rejected_from_2026_07(
        version in any_version().prop_filter("2026-07 and later", |v| !fractions_allowed(v)),
        p in (0.0f64..=100.0).prop_filter("fractional", |p| p.fract() != 0.0),
    ) {
        let written = serde_json::to_string(&p).unwrap();
        let body = job_body(&written);
        let shown = pinecone_restore_core::parse_job(body.as_bytes(), &version).unwrap_err().to_string();
        prop_assert_eq!(refused_number(&version, &shown)?, p);
        // the same job in a page is refused with the page's path
        let page = format!(r#"{{"data":[{body}]}}"#);
        let err = pinecone_restore_core::parse_list_page(page.as_bytes(), &version).unwrap_err();
        prop_assert!(err.to_string().starts_with("invalid response: data[0].percent_complete: expected an integer"), "{}", err);
    }
}

// ---- a walk against a model of its bounds -------------------------------------------------

/// How a walk ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WalkEnd {
    Done,
    Loop,
    NoProgress,
    PageLimit,
}

/// What the documented rules say a walk over `pages` (served in a cycle, one per request) does:
/// how it ends, how many pages it handles and which ids it yields, in order.
fn walk_model(pages: &[(Vec<u8>, Option<u8>)], max_pages: u64) -> (WalkEnd, u64, Vec<String>) {
    let mut visited: HashSet<Option<u8>> = HashSet::new();
    let mut seen: HashSet<u8> = HashSet::new();
    let mut yielded = Vec::new();
    let (mut token, mut handled, mut without_new) = (None, 0u64, 0u32);
    loop {
        if handled > 0 && visited.contains(&token) {
            return (WalkEnd::Loop, handled, yielded);
        }
        if without_new >= MAX_PAGES_WITHOUT_NEW_JOBS {
            return (WalkEnd::NoProgress, handled, yielded);
        }
        if handled >= max_pages {
            return (WalkEnd::PageLimit, handled, yielded);
        }
        let (ids, next) = &pages[handled as usize % pages.len()];
        handled += 1;
        visited.insert(token);
        let before = yielded.len();
        for id in ids {
            if seen.insert(*id) {
                yielded.push(format!("job-{id}"));
            }
        }
        without_new = if yielded.len() == before {
            without_new + 1
        } else {
            0
        };
        token = *next;
        if token.is_none() {
            return (WalkEnd::Done, handled, yielded);
        }
    }
}

proptest! {
    /// Few distinct ids and many distinct tokens, served in a cycle: runs of pages without a
    /// new job are common, so every way a walk ends is reached, NoProgress included.
    #[test]
    fn walk_ends_as_the_model_says(
        pages in proptest::collection::vec(
            (
                proptest::collection::vec(0u8..5, 0..4),
                prop_oneof![1 => Just(None), 12 => (0u8..200).prop_map(Some)],
            ),
            1..40,
        ),
        max_pages in proptest::option::of(1u64..40),
    ) {
        let mut builder = Config::builder(ApiKey::new("k").unwrap());
        if let Some(max) = max_pages {
            builder = builder.max_pages(max);
        }
        let config = builder.build().unwrap();
        let (end, pages_handled, ids) = walk_model(&pages, config.max_pages());
        let mut walk = config.walk(Some(Limit::new(3).unwrap()), None);
        let now = Now { instant: Instant::now(), wall: SystemTime::now() };
        let mut yielded = Vec::new();
        let mut served = 0usize;
        let outcome = loop {
            match walk.next_step(now) {
                Step::Send(_) => {
                    let (ids, next) = &pages[served % pages.len()];
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
        let got = match outcome {
            Ok(()) => WalkEnd::Done,
            Err(e) => match e.invalid_response_kind() {
                Some(InvalidResponseKind::PaginationLoop) => WalkEnd::Loop,
                Some(InvalidResponseKind::NoProgress) => WalkEnd::NoProgress,
                Some(InvalidResponseKind::PageLimit) => WalkEnd::PageLimit,
                _ => return Err(TestCaseError::fail(format!("unexpected end: {e}"))),
            },
        };
        prop_assert_eq!(got, end);
        prop_assert_eq!(walk.pages(), pages_handled);
        prop_assert_eq!(served as u64, pages_handled, "a page fetched but not handled");
        prop_assert_eq!(yielded, ids);
        prop_assert_eq!(walk.is_done(), end == WalkEnd::Done);
    }
}

/// The model above can fail: NoProgress is what a server of fresh tokens and old jobs gets.
#[test]
fn the_walk_model_reaches_no_progress() {
    let mut pages = vec![(vec![1], Some(0))];
    pages.extend((1..=20).map(|t| (vec![1], Some(t))));
    let (end, handled, ids) = walk_model(&pages, 10_000);
    assert_eq!(end, WalkEnd::NoProgress);
    assert_eq!(handled, 1 + u64::from(MAX_PAGES_WITHOUT_NEW_JOBS));
    assert_eq!(ids, ["job-1"]);
}
