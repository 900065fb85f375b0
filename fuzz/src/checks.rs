//! The bodies of the fuzz targets, as plain functions.
//!
//! Each fuzz target in `fuzz_targets/` is one call into this file, and
//! `core/tests/fuzz_replay.rs` includes this same file with `#[path]` to replay every committed
//! corpus and regression input on stable with plain `cargo test`. It may therefore depend only
//! on `pinecone-restore-core`, `serde_json` and `arbitrary`.
//!
//! Every function panics (an assertion with a message) when a property breaks, and never
//! otherwise, whatever its input.

use std::collections::HashSet;

use arbitrary::{Arbitrary, Unstructured};
use pinecone_restore_core::{
    ApiKey, Config, Error, InvalidResponseKind, JobId, Limit, Pager, Request, Response, RestoreJob,
    parse_job, parse_list_page,
};

/// The longest error message, in characters, that may be shown to a person.
pub const MAX_ERROR_CHARS: usize = 4096;

// ---- list_page and job: raw bytes --------------------------------------------------------

/// Raw bytes as the body of a `200` answer to `GET /restore-jobs`.
///
/// Never panics; an accepted page survives a round trip through `Serialize` unchanged, and
/// every job on it has a non-empty id and a percentage in `0..=100`.
pub fn list_page(data: &[u8]) {
    let parsed = parse_list_page(data);
    let via_response = Response {
        status: 200,
        headers: &[],
        body: data,
    }
    .list_page();
    assert_eq!(
        parsed, via_response,
        "Response::list_page disagrees with parse_list_page"
    );
    let page = match parsed {
        Ok(page) => page,
        Err(e) => {
            assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
            error_text_is_safe(&e);
            return;
        }
    };
    for job in &page.jobs {
        job_invariants(job);
    }
    if let Some(next) = &page.next {
        assert!(!next.is_empty(), "an empty `next` must mean the last page");
    }
    let data = serde_json::to_string(&page.jobs)
        .unwrap_or_else(|e| panic!("an accepted page must serialize: {e}"));
    let next =
        serde_json::to_string(&page.next).unwrap_or_else(|e| panic!("a token must serialize: {e}"));
    let body = format!(r#"{{"data":{data},"pagination":{{"next":{next}}}}}"#);
    match parse_list_page(body.as_bytes()) {
        Ok(again) => assert_eq!(again, page, "round trip changed the page; body {body}"),
        Err(e) => panic!("re-serialized page refused: {e}; body {body}"),
    }
}

/// Raw bytes as the body of a `200` answer to `GET /restore-jobs/{id}`.
///
/// Never panics; an accepted job survives a round trip through `Serialize` unchanged.
pub fn job(data: &[u8]) {
    let parsed = parse_job(data);
    let via_response = Response {
        status: 200,
        headers: &[],
        body: data,
    }
    .job();
    assert_eq!(
        parsed, via_response,
        "Response::job disagrees with parse_job"
    );
    let job = match parsed {
        Ok(job) => job,
        Err(e) => {
            assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
            error_text_is_safe(&e);
            return;
        }
    };
    job_invariants(&job);
    let body =
        serde_json::to_vec(&job).unwrap_or_else(|e| panic!("an accepted job must serialize: {e}"));
    match parse_job(&body) {
        Ok(again) => assert_eq!(again, job, "round trip changed the job"),
        Err(e) => panic!(
            "re-serialized job refused: {e}; body {}",
            String::from_utf8_lossy(&body)
        ),
    }
}

fn job_invariants(job: &RestoreJob) {
    assert!(!job.restore_job_id().is_empty(), "empty id accepted");
    if let Some(p) = job.percent_complete() {
        let p = p.get();
        assert!(
            p.is_finite() && (0.0..=100.0).contains(&p),
            "percent {p} out of range"
        );
    }
}

// ---- error_response: any status, headers and body ----------------------------------------

/// A response with any status, headers and body.
///
/// `Arbitrary` is written out so that the body is the rest of the input byte for byte: a seed
/// is the status (2 bytes, little-endian), `0x00` for "no headers", then the body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInput {
    /// The status code.
    pub status: u16,
    /// Header names and raw values.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl<'a> Arbitrary<'a> for ErrorInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ErrorInput {
            status: u.arbitrary()?,
            headers: u.arbitrary()?,
            body: u.arbitrary()?,
        })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ErrorInput {
            status: u.arbitrary()?,
            headers: u.arbitrary()?,
            body: u.take_rest().to_vec(),
        })
    }
}

impl ErrorInput {
    /// The bytes that [`ErrorInput::arbitrary_take_rest`] reads back as a response with
    /// `status`, no headers and `body`.
    pub fn seed(status: u16, body: &[u8]) -> Vec<u8> {
        let mut out = status.to_le_bytes().to_vec();
        out.push(0);
        out.extend_from_slice(body);
        out
    }
}

/// Any response: never panics; a 3xx-5xx is always an API error with that status, whatever the
/// body says; every error message is printable and bounded.
pub fn error_response(input: ErrorInput) {
    let headers: Vec<(&str, &[u8])> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let response = Response {
        status: input.status,
        headers: &headers,
        body: &input.body,
    };
    let job = response.job();
    let page = response.list_page();
    let api = response.api_error();
    assert_eq!(api.status(), input.status, "api_error changed the status");
    error_text_is_safe(&Error::from(api.clone()));
    match input.status {
        200 => {
            assert_eq!(job, parse_job(&input.body), "status 200 must parse the job");
            assert_eq!(
                page,
                parse_list_page(&input.body),
                "status 200 must parse the page"
            );
        }
        300..=599 => {
            for result in [job.as_ref().err(), page.as_ref().err()] {
                match result {
                    Some(Error::Api(e)) => assert_eq!(**e, api, "API errors differ"),
                    other => panic!(
                        "status {}: expected an API error, found {other:?}",
                        input.status
                    ),
                }
            }
        }
        _ => {
            for result in [job.as_ref().err(), page.as_ref().err()] {
                match result {
                    Some(Error::InvalidResponse(e))
                        if e.kind() == InvalidResponseKind::UnexpectedStatus => {}
                    other => panic!(
                        "status {}: expected an unexpected-status error, found {other:?}",
                        input.status
                    ),
                }
            }
        }
    }
    for e in [job.err(), page.err()].into_iter().flatten() {
        assert_eq!(
            e.status(),
            (300..=599).contains(&input.status).then_some(input.status)
        );
        error_text_is_safe(&e);
    }
}

/// An error message is safe to print: no control characters (a hostile server's terminal
/// escape stays inert) and bounded in length.
pub fn error_text_is_safe(e: &Error) {
    let shown = e.to_string();
    assert!(
        !shown.chars().any(char::is_control),
        "control character in error message {shown:?}"
    );
    let chars = shown.chars().count();
    assert!(
        chars < MAX_ERROR_CHARS,
        "error message of {chars} characters: {:?}…",
        shown.chars().take(200).collect::<String>()
    );
}

// ---- request_build: arbitrary settings ----------------------------------------------------

/// Everything a caller passes to build requests.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct RequestInput {
    /// The page size asked for.
    pub limit: u64,
    /// The pagination token.
    pub token: String,
    /// The restore job id.
    pub id: String,
    /// The base URL.
    pub base: String,
    /// The API key.
    pub key: String,
    /// Whether plain `http://` to any host is allowed.
    pub insecure: bool,
}

/// A key that passes `ApiKey::new`, used to show that output does not depend on the real key.
const OTHER_KEY: &str = "placeholder-api-key";

/// Builds requests from any input: validation agrees with the documented rules, the token and
/// id come back exactly from the URL, headers are safe, and the key never shows.
pub fn request_build(input: RequestInput) {
    let RequestInput {
        limit,
        token,
        id,
        base,
        key,
        insecure,
    } = &input;

    let limit_checked = Limit::new(*limit);
    assert_eq!(
        limit_checked.is_ok(),
        (1..=100).contains(limit),
        "Limit::new({limit})"
    );
    if let Ok(l) = limit_checked {
        assert_eq!(u64::from(l.get()), *limit);
    }
    let id_checked = JobId::new(id.as_str());
    assert_eq!(
        id_checked.is_ok(),
        !matches!(id.as_str(), "" | "." | ".."),
        "JobId::new({id:?})"
    );

    // The key can show in a message by chance when another input or the message's own text
    // holds it; it is a secret worth checking for when neither is so.
    let secret = key.len() >= 8
        && ![token, id, base, &limit.to_string(), OTHER_KEY]
            .iter()
            .any(|other| other.contains(key.as_str()));

    let build = |api_key: ApiKey| {
        Config::builder(api_key)
            .base_url(base.as_str())
            .allow_insecure_http(*insecure)
            .build()
    };
    let other = build(ApiKey::new(OTHER_KEY).unwrap_or_else(|e| panic!("{OTHER_KEY}: {e}")));
    let api_key = match ApiKey::new(key.as_str()) {
        Ok(api_key) => api_key,
        Err(e) => {
            assert!(e.is_invalid_argument(), "{e:?}");
            // The message may say where the key breaks a rule, but nothing of what it holds:
            // the same message for the key with every visible character replaced.
            let masked: String = key
                .chars()
                .map(|c| if c.is_ascii_graphic() { 'x' } else { c })
                .collect();
            match ApiKey::new(masked) {
                Err(m) => {
                    assert_eq!(m, e, "the API key error depends on the key's content");
                    no_secret_in(&e, &m, key, secret);
                }
                Ok(_) => panic!("masking made a refused key acceptable"),
            }
            return;
        }
    };
    assert_eq!(api_key.expose_secret(), key);
    let other_key = ApiKey::new(OTHER_KEY).unwrap_or_else(|e| panic!("{OTHER_KEY}: {e}"));
    assert_eq!(
        format!("{api_key:?}"),
        format!("{other_key:?}"),
        "ApiKey's Debug depends on the key"
    );

    let config = match build(api_key) {
        Ok(config) => config,
        Err(e) => {
            assert!(e.is_invalid_argument(), "{e:?}");
            match &other {
                Err(o) => {
                    assert_eq!(o, &e, "the config error depends on the key");
                    no_secret_in(&e, o, key, secret);
                }
                Ok(_) => panic!("the key decided whether the config builds"),
            }
            return;
        }
    };
    let other = other.unwrap_or_else(|e| panic!("only the key differs, yet: {e}"));
    assert_eq!(
        format!("{config:?}"),
        format!("{other:?}"),
        "Config's Debug depends on the key"
    );

    let base_shown = config.base_url().to_string();
    let list = config.list_request(limit_checked.as_ref().ok().copied(), Some(token));
    request_invariants(&list, key, &base_shown);
    let list_other = other.list_request(limit_checked.as_ref().ok().copied(), Some(token));
    assert_eq!(list.url, list_other.url);
    assert_eq!(
        format!("{list:?}"),
        format!("{list_other:?}"),
        "Debug shows the key"
    );

    let rest = list
        .url
        .strip_prefix(&base_shown)
        .and_then(|r| r.strip_prefix("/restore-jobs"))
        .unwrap_or_else(|| panic!("list URL {} does not start with the base", list.url));
    let query = match rest.strip_prefix('?') {
        Some(q) => q,
        None => {
            assert_eq!(rest, "", "list URL {} has more than a query", list.url);
            ""
        }
    };
    let mut seen_limit = None;
    let mut seen_token = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("limit", v)) if seen_limit.is_none() => seen_limit = Some(v),
            Some(("paginationToken", v)) if seen_token.is_none() => seen_token = Some(v),
            _ => panic!("unexpected query part {pair:?} in {}", list.url),
        }
    }
    let want_limit = limit_checked.as_ref().ok().map(|l| l.to_string());
    assert_eq!(seen_limit, want_limit.as_deref(), "limit in {}", list.url);
    match seen_token {
        None => assert!(
            token.is_empty(),
            "token {token:?} missing from {}",
            list.url
        ),
        Some(encoded) => {
            assert!(!token.is_empty(), "empty token sent in {}", list.url);
            assert_eq!(
                percent_decode(encoded).as_deref(),
                Some(token.as_bytes()),
                "token does not decode back from {}",
                list.url
            );
        }
    }

    if let Ok(job_id) = &id_checked {
        let describe = config.describe_request(job_id);
        request_invariants(&describe, key, &base_shown);
        let segment = describe
            .url
            .strip_prefix(&base_shown)
            .and_then(|r| r.strip_prefix("/restore-jobs/"))
            .unwrap_or_else(|| {
                panic!("describe URL {} does not start with the base", describe.url)
            });
        let last = describe.url.rsplit('/').next().unwrap_or_default();
        assert_eq!(segment, last, "the id is more than one path segment");
        assert!(
            !matches!(segment, "" | "." | ".."),
            "id segment {segment:?} addresses another path"
        );
        assert_eq!(
            percent_decode(segment).as_deref(),
            Some(id.as_bytes()),
            "id does not decode back from {}",
            describe.url
        );
    }
}

/// The properties every built request has.
fn request_invariants(request: &Request, key: &str, base: &str) {
    assert!(
        request.url.starts_with(base),
        "{} vs base {base}",
        request.url
    );
    assert!(
        request.url.bytes().all(|b| b.is_ascii_graphic()),
        "URL not plain ASCII: {:?}",
        request.url
    );
    for (name, value) in &request.headers {
        assert!(
            !name.contains(['\r', '\n']) && !value.contains(['\r', '\n']),
            "CR/LF in header {name:?}: {value:?}"
        );
        assert!(
            value.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
            "header {name:?} not printable ASCII: {value:?}"
        );
    }
    assert_eq!(request.header("api-key"), Some(key));
}

/// Asserts that `e` does not show `key`, unless `secret` is false or `reference` (the same
/// error made without the key) shows that text too, by chance.
fn no_secret_in(e: &Error, reference: &Error, key: &str, secret: bool) {
    for (shown, chance) in [
        (e.to_string(), reference.to_string()),
        (format!("{e:?}"), format!("{reference:?}")),
    ] {
        if secret && !chance.contains(key) {
            assert!(!shown.contains(key), "the key shows in {shown:?}");
        }
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a byte that should have been
/// escaped (anything but RFC 3986 unreserved characters).
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = hex(bytes.next()?)?;
                let lo = hex(bytes.next()?)?;
                out.push(hi << 4 | lo);
            }
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b),
            _ => return None,
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

// ---- pager: arbitrary page sequences ------------------------------------------------------

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
pub struct PagerInput {
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
/// terminal escape, as a hostile server might send.
fn token(n: u8) -> String {
    if n >= 250 {
        format!("\u{1b}[{n}m")
    } else {
        format!("t+{n}/=")
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
/// request has the same limit, and the walk ends (done, a malformed page, a loop or the cap)
/// within [`MOST_PAGES`] pages even when the server never says "last page".
pub fn pager(input: PagerInput) {
    let config = Config::builder(ApiKey::new("fuzz-key").unwrap_or_else(|e| panic!("{e}")))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let limit = input.limit.and_then(|l| Limit::new(l.into()).ok());
    let mut pager = Pager::new(limit);
    let mut token_now: Option<String> = None;
    if let Some(s) = input.start {
        pager = pager.starting_at(token(s));
        token_now = Some(token(s));
    }
    if let Some(max) = input.max_pages {
        pager = pager.max_pages(max.into());
    }
    assert_eq!(pager.limit(), limit);

    let mut visited: HashSet<Option<String>> = HashSet::new();
    let mut yielded: HashSet<String> = HashSet::new();
    let mut handled: u64 = 0;
    let mut limit_param: Option<Option<String>> = None;
    if input.pages.is_empty() {
        return;
    }
    for step in 0..=MOST_PAGES {
        let request = pager.next_request(&config);
        let looping = handled > 0 && visited.contains(&token_now);
        let capped = input.max_pages.is_some_and(|m| handled >= u64::from(m));
        let request = match request {
            Err(e) => {
                match &e {
                    Error::InvalidResponse(r)
                        if r.kind() == InvalidResponseKind::PaginationLoop =>
                    {
                        assert!(looping, "loop reported for a new token {token_now:?}: {e}");
                    }
                    Error::InvalidResponse(r) if r.kind() == InvalidResponseKind::PageLimit => {
                        assert!(
                            !looping && capped,
                            "cap reported after {handled} pages: {e}"
                        );
                    }
                    _ => panic!("next_request failed otherwise: {e:?}"),
                }
                error_text_is_safe(&e);
                break;
            }
            Ok(None) => panic!("the walk ended before the server said so"),
            Ok(Some(request)) => request,
        };
        assert!(!looping, "token {token_now:?} fetched again");
        assert!(!capped, "fetched past the cap of {:?}", input.max_pages);
        assert!(
            step < MOST_PAGES,
            "the walk did not end within {MOST_PAGES} pages"
        );
        assert_eq!(
            request,
            config.list_request(limit, token_now.as_deref()),
            "request for token {token_now:?}"
        );
        assert_eq!(
            pager.next_request(&config).ok().flatten().as_ref(),
            Some(&request),
            "a second call must give the same request"
        );
        let this_limit = request
            .url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("limit="))
            .map(str::to_owned);
        match &limit_param {
            None => limit_param = Some(this_limit),
            Some(first) => assert_eq!(first, &this_limit, "limit changed mid-walk"),
        }

        let Some(page) = input.pages.get(step as usize % input.pages.len()) else {
            unreachable!("an index modulo the length is in bounds")
        };
        let body = page_body(page);
        let response = Response {
            status: 200,
            headers: &[],
            body: body.as_bytes(),
        };
        match pager.handle_response(&response) {
            Err(e) => {
                assert!(page.malformed, "a good page refused: {e}");
                assert!(e.is_invalid_response());
                assert_eq!(pager.resume_token(), token_now.as_deref());
                assert_eq!(
                    pager.next_request(&config),
                    Ok(None),
                    "a failed walk is over"
                );
                return;
            }
            Ok(jobs) => {
                assert!(!page.malformed, "a malformed page accepted");
                let mut expected = Vec::new();
                for n in &page.ids {
                    let id = format!("job-{n}");
                    if yielded.insert(id.clone()) {
                        expected.push(id);
                    }
                }
                let got: Vec<&str> = jobs.iter().map(RestoreJob::restore_job_id).collect();
                assert_eq!(got, expected, "jobs yielded on page {step}");
            }
        }
        handled += 1;
        assert_eq!(pager.pages(), handled);
        visited.insert(token_now.take());
        token_now = page.next.map(token);
        assert_eq!(pager.resume_token(), token_now.as_deref());
        if token_now.is_none() {
            assert!(pager.is_done(), "the last page did not end the walk");
            assert_eq!(pager.next_request(&config), Ok(None));
            return;
        }
    }
}

/// Feeds one committed input file to the named target, decoding structured inputs as the fuzz
/// targets do. Returns `false` for an unknown target name.
pub fn replay(target: &str, data: &[u8]) -> bool {
    fn structured<'a, T: Arbitrary<'a>>(data: &'a [u8], check: fn(T)) {
        // An input too short to decode is skipped, as `fuzz_target!` skips it.
        if let Ok(input) = T::arbitrary_take_rest(Unstructured::new(data)) {
            check(input);
        }
    }
    match target {
        "list_page" => list_page(data),
        "job" => job(data),
        "error_response" => structured(data, error_response),
        "request_build" => structured(data, request_build),
        "pager" => structured(data, pager),
        _ => return false,
    }
    true
}
