//! `walk`: a walk over any sequence of pages.

use std::collections::HashSet;

use arbitrary::Arbitrary;
use pinecone_restore_core::{
    ApiKey, Config, Error, InvalidResponseKind, Limit, MAX_PAGES_WITHOUT_NEW_JOBS, Operation,
    PaginationToken, Response, RestoreJob, Step, restore_jobs,
};

use super::{error_text_is_safe, now};

/// One page a fake server answers with.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct PageInput {
    /// The jobs on the page, as small numbers (`job-7`).
    pub ids: Vec<u8>,
    /// The next token, as a small number; `None` on the last page.
    pub next: Option<u8>,
    /// Answer with a truncated body instead.
    pub malformed: bool,
}

/// A walk: page size, where it starts, an optional page cap, and the pages the server serves,
/// in a cycle, one per request.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct WalkInput {
    /// The page size (`Limit::new` decides; out of range means none).
    pub limit: Option<u8>,
    /// A token to start at.
    pub start: Option<u8>,
    /// A page cap.
    pub max_pages: Option<u8>,
    /// The answers.
    pub pages: Vec<PageInput>,
}

/// Tokens with characters that need encoding, so the URLs exercise it; the top few carry a
/// terminal escape or a bidi override, as a hostile server might send.
fn token(n: u8) -> String {
    match n {
        250..=252 => format!("\u{1b}[{n}m"),
        253..=255 => format!("\u{202e}{n}"),
        _ => format!("t+{n}/="),
    }
}

fn page_body(page: &PageInput) -> String {
    if page.malformed {
        return r#"{"data":[{"restore_job_id":"#.to_owned();
    }
    let jobs: Vec<String> = page
        .ids
        .iter()
        .map(|n| {
            format!(
                r#"{{"restore_job_id":"job-{n}","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-01-01T00:00:00Z"}}"#
            )
        })
        .collect();
    let next = match page.next {
        Some(n) => format!(
            r#"{{"next":{}}}"#,
            serde_json::to_string(&token(n)).unwrap_or_else(|e| panic!("{e}"))
        ),
        None => "null".to_owned(),
    };
    format!(r#"{{"data":[{}],"pagination":{next}}}"#, jobs.join(","))
}

/// Distinct tokens are at most 256 (`u8`), plus the first page without one: no walk can
/// handle more pages.
const MOST_PAGES: u64 = 257;

/// Walks the pages against a model of the documented behaviour: each id is yielded once, every
/// request has the same limit, and the walk ends (done, a malformed page, a loop, no progress
/// or the cap) within [`MOST_PAGES`] pages even when the server never says "last page".
pub fn walk(input: WalkInput) {
    let mut builder = Config::builder(ApiKey::new("fuzz-key").unwrap_or_else(|e| panic!("{e}")));
    if let Some(max) = input.max_pages.filter(|m| *m > 0) {
        builder = builder.max_pages(max.into());
    }
    let config = builder.build().unwrap_or_else(|e| panic!("{e}"));
    let limit = input.limit.and_then(|l| Limit::new(l.into()).ok());
    let start = input
        .start
        .map(|s| PaginationToken::new(token(s)).unwrap_or_else(|e| panic!("{e}")));
    let mut token_now = start.clone();
    let mut walk = config.walk(limit, start);
    assert_eq!(walk.limit(), limit);
    if input.pages.is_empty() {
        return;
    }

    let mut visited: HashSet<Option<PaginationToken>> = HashSet::new();
    let mut yielded: HashSet<String> = HashSet::new();
    let mut handled: u64 = 0;
    let mut without_new: u32 = 0;
    let mut expected_fresh: Vec<String> = Vec::new();
    let at = now();
    for _ in 0..MOST_PAGES * 3 {
        match walk.next_step(at) {
            Step::Send(attempt) => {
                let looping = handled > 0 && visited.contains(&token_now);
                assert!(!looping, "token {token_now:?} fetched again");
                assert!(
                    without_new < MAX_PAGES_WITHOUT_NEW_JOBS,
                    "walked on without progress"
                );
                assert!(handled < config.max_pages(), "fetched past the cap");
                assert!(
                    handled < MOST_PAGES,
                    "the walk did not end within {MOST_PAGES} pages"
                );
                assert_eq!(
                    attempt.request,
                    restore_jobs::list(limit, token_now.as_ref())
                        .request(&config)
                        .expect("a list request needs no later version"),
                    "request for token {token_now:?}"
                );
                let Some(page) = input.pages.get(handled as usize % input.pages.len()) else {
                    unreachable!("an index modulo the length is in bounds")
                };
                let body = page_body(page);
                walk.handle(
                    Ok(Response {
                        status: 200,
                        headers: &[],
                        body: body.as_bytes(),
                    }),
                    at,
                    0,
                );
                if page.malformed {
                    continue;
                }
                handled += 1;
                assert_eq!(walk.pages(), handled);
                expected_fresh = page
                    .ids
                    .iter()
                    .map(|n| format!("job-{n}"))
                    .filter(|id| yielded.insert(id.clone()))
                    .collect();
                expected_fresh.dedup();
                without_new = if expected_fresh.is_empty() {
                    without_new + 1
                } else {
                    0
                };
                visited.insert(token_now.take());
                token_now = page
                    .next
                    .map(|n| PaginationToken::new(token(n)).unwrap_or_else(|e| panic!("{e}")));
                assert_eq!(walk.resume_token(), token_now.as_ref());
            }
            Step::Sleep(delay) => panic!("a walk of 200s slept {delay:?}"),
            Step::Yield(jobs) => {
                let got: Vec<&str> = jobs.iter().map(RestoreJob::restore_job_id).collect();
                assert_eq!(got, expected_fresh, "jobs yielded on page {handled}");
                assert!(!jobs.is_empty(), "an empty page was yielded");
            }
            Step::Done(Ok(())) => {
                assert!(
                    token_now.is_none(),
                    "the walk ended before the server said so"
                );
                assert!(walk.is_done());
                return;
            }
            Step::Done(Err(e)) => {
                check_end(
                    &e,
                    &walk,
                    &config,
                    &token_now,
                    &visited,
                    handled,
                    without_new,
                );
                return;
            }
        }
    }
    panic!("the walk neither ended nor failed");
}

fn check_end(
    e: &Error,
    walk: &pinecone_restore_core::Walk,
    config: &Config,
    token_now: &Option<PaginationToken>,
    visited: &HashSet<Option<PaginationToken>>,
    handled: u64,
    without_new: u32,
) {
    error_text_is_safe(e);
    assert_eq!(walk.resume_token(), token_now.as_ref(), "the resume token");
    match e.invalid_response_kind() {
        Some(InvalidResponseKind::PaginationLoop) => {
            assert!(
                handled > 0 && visited.contains(token_now),
                "loop reported for a new token: {e}"
            );
        }
        Some(InvalidResponseKind::NoProgress) => {
            assert!(
                without_new >= MAX_PAGES_WITHOUT_NEW_JOBS,
                "no progress after {without_new}: {e}"
            );
        }
        Some(InvalidResponseKind::PageLimit) => {
            assert!(
                handled >= config.max_pages(),
                "cap reported after {handled} pages: {e}"
            );
        }
        Some(InvalidResponseKind::Malformed) => {}
        other => panic!("the walk failed otherwise: {other:?} {e}"),
    }
}
