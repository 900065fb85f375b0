//! The server's state and how it answers one request.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use crate::fault::{self, Fault};
use crate::job::FakeJob;
use crate::query;
use crate::server::{RecordedRequest, Stats};
use crate::token::PageToken;
use crate::version::{ApiVersion, JobShape, LastPage, Rules, UnauthorizedBody};

/// At most this many requests are kept for [`crate::FakeServer::requests`].
const MAX_RECORDED: usize = 100_000;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-pinecone-request-id");
const JSON: HeaderValue = HeaderValue::from_static("application/json");
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const API_VERSION: &str = "x-pinecone-api-version";
const UNAUTHORIZED_MESSAGE: &str = "Invalid API key.";

/// Everything the request handler reads and changes.
pub(crate) struct Shared {
    pub(crate) api_key: Option<String>,
    pub(crate) page_overlap: usize,
    pub(crate) prefix: String,
    pub(crate) jobs: Mutex<Vec<Entry>>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) faults: Mutex<VecDeque<Fault>>,
    pub(crate) log: Mutex<Vec<RecordedRequest>>,
    pub(crate) requests: AtomicU64,
    pub(crate) list_requests: AtomicU64,
    pub(crate) describe_requests: AtomicU64,
    pub(crate) connections: Arc<AtomicU64>,
}

/// A job with its JSON rendered once per shape, and for a progressing job how far it has got.
pub(crate) struct Entry {
    pub(crate) job: FakeJob,
    json_2025_04: String,
    json_2026_07: String,
    pub(crate) steps: u32,
    pub(crate) not_found_left: u32,
}

impl Entry {
    pub(crate) fn new(job: FakeJob, not_found_polls: u32) -> Entry {
        let not_found_left = if job.progress.is_some() {
            not_found_polls
        } else {
            0
        };
        let mut entry = Entry {
            job,
            json_2025_04: String::new(),
            json_2026_07: String::new(),
            steps: 0,
            not_found_left,
        };
        entry.render();
        entry
    }

    /// The job's JSON in `shape`.
    pub(crate) fn json(&self, shape: JobShape) -> &str {
        match shape {
            JobShape::V2025_04 => &self.json_2025_04,
            JobShape::V2026_07 => &self.json_2026_07,
        }
    }

    /// Renders the job again in every shape; called whenever the job changes.
    fn render(&mut self) {
        self.json_2025_04 = self.job.render(JobShape::V2025_04);
        self.json_2026_07 = self.job.render(JobShape::V2026_07);
    }
}

/// Locks a mutex; the handler never panics while holding one, and if a caller's thread did,
/// the data is still consistent (every change is a single assignment).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            list_requests: self.list_requests.load(Ordering::Relaxed),
            describe_requests: self.describe_requests.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
        }
    }
}

enum Route<'a> {
    List,
    /// The raw (still percent-encoded) path segment.
    Describe(&'a str),
    Unknown,
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    respond(&shared, &request)
}

fn respond(shared: &Shared, request: &Request) -> Response {
    let seq = shared.requests.fetch_add(1, Ordering::Relaxed);
    let path = request.uri().path();
    let route = route(&shared.prefix, request.method(), path);
    match route {
        Route::List => shared.list_requests.fetch_add(1, Ordering::Relaxed),
        Route::Describe(_) => shared.describe_requests.fetch_add(1, Ordering::Relaxed),
        Route::Unknown => 0,
    };

    let headers = request.headers();
    let api_key = header_text(headers, "api-key");
    let version = ApiVersion::from_header(headers.get(API_VERSION));
    let fault = lock(&shared.faults).pop_front();
    let mut response = if let Some(fault) = fault {
        // A fault answers in the version asked for, or in the default one if that is unknown.
        fault_response(&fault, version.unwrap_or(ApiVersion::DEFAULT).rules())
    } else {
        match version {
            Err(message) => error(StatusCode::BAD_REQUEST, &message),
            Ok(version) => process(shared, request, route, version.rules(), api_key.as_deref()),
        }
    };

    if let Ok(id) = HeaderValue::try_from(request_id(seq)) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    let mut log = lock(&shared.log);
    if log.len() < MAX_RECORDED {
        log.push(RecordedRequest {
            method: request.method().to_string(),
            path: path.to_owned(),
            query: request.uri().query().map(str::to_owned),
            api_key,
            api_version: header_text(headers, API_VERSION),
            user_agent: header_text(headers, "user-agent"),
            status: response.status().as_u16(),
        });
    }
    response
}

/// The normal answer: the API key is checked first, then the route answers.
fn process(
    shared: &Shared,
    request: &Request,
    route: Route<'_>,
    rules: Rules,
    api_key: Option<&str>,
) -> Response {
    if shared
        .api_key
        .as_ref()
        .is_some_and(|key| api_key != Some(key.as_str()))
    {
        return unauthorized(rules);
    }
    match route {
        Route::List => list(shared, request.uri().query().unwrap_or(""), rules),
        Route::Describe(raw_id) => describe(shared, raw_id, rules),
        Route::Unknown => error(
            StatusCode::NOT_FOUND,
            &format!(
                "No route for {} {}.",
                request.method(),
                request.uri().path()
            ),
        ),
    }
}

fn route<'a>(prefix: &str, method: &Method, path: &'a str) -> Route<'a> {
    let Some(rest) = path.strip_prefix(prefix) else {
        return Route::Unknown;
    };
    if method != Method::GET {
        return Route::Unknown;
    }
    match rest.strip_prefix("/restore-jobs") {
        Some("") => Route::List,
        Some(tail) => match tail.strip_prefix('/') {
            Some(id) if !id.is_empty() && !id.contains('/') => Route::Describe(id),
            _ => Route::Unknown,
        },
        None => Route::Unknown,
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// A unique, opaque-looking id per request (`mix` is a bijection, so ids never repeat).
fn request_id(seq: u64) -> String {
    format!("{:016x}", crate::generate::mix(seq ^ 0x7e9e_57a0))
}

fn list(shared: &Shared, raw_query: &str, rules: Rules) -> Response {
    let pairs = match query::parse_query(raw_query) {
        Ok(pairs) => pairs,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut size = rules.default_limit;
    if let Some(text) = param("limit") {
        match text.parse::<u8>() {
            Ok(n @ 1..=100) => size = n,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!("limit must be an integer between 1 and 100, found `{text}`."),
                );
            }
        }
    }
    let mut offset = 0;
    if let Some(text) = param("paginationToken").filter(|t| !t.is_empty()) {
        match PageToken::decode(text) {
            Some(token) => (offset, size) = (token.offset, token.size),
            None => {
                return error(StatusCode::BAD_REQUEST, "malformed pagination token.");
            }
        }
    }

    let jobs = lock(&shared.jobs);
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let Some(page) = jobs.get(start..) else {
        return error(StatusCode::BAD_REQUEST, "pagination token is out of range.");
    };
    let page = page.get(..usize::from(size)).unwrap_or(page);
    let end = start + page.len();

    let shape = rules.job_shape;
    let mut body =
        String::with_capacity(page.iter().map(|e| e.json(shape).len() + 1).sum::<usize>() + 64);
    body.push_str("{\"data\":[");
    for (i, entry) in page.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(entry.json(shape));
    }
    body.push(']');
    if end < jobs.len() {
        // The next page re-sends the last `page_overlap` jobs, but always moves forward.
        let next = end.saturating_sub(shared.page_overlap).max(start + 1);
        let token = PageToken {
            offset: next as u64,
            size,
        };
        body.push_str(",\"pagination\":");
        body.push_str(&json!({ "next": token.encode() }).to_string());
    } else {
        match rules.last_page {
            LastPage::Null => body.push_str(",\"pagination\":null"),
            LastPage::Absent => {}
        }
    }
    body.push('}');
    json_response(StatusCode::OK, body)
}

fn describe(shared: &Shared, raw_id: &str, rules: Rules) -> Response {
    let Some(id) = query::percent_decode(raw_id, false) else {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("malformed percent-encoding in job id `{raw_id}`."),
        );
    };
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            &format!("Restore job {id} not found."),
        )
    };
    let Some(&i) = shared.index.get(&id) else {
        return not_found();
    };
    let mut jobs = lock(&shared.jobs);
    let Some(entry) = jobs.get_mut(i) else {
        return not_found();
    };
    if let Some(progress) = entry.job.progress {
        if entry.not_found_left > 0 {
            entry.not_found_left -= 1;
            return not_found();
        }
        if entry.steps < progress.polls_until_done {
            entry.steps += 1;
            entry.job.advance_to(entry.steps);
            entry.render();
        }
    }
    json_response(StatusCode::OK, entry.json(rules.job_shape).to_owned())
}

fn fault_response(fault: &Fault, rules: Rules) -> Response {
    match fault {
        Fault::TooManyRequests { retry_after } => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests. Please retry shortly.",
            );
            if let Ok(value) = HeaderValue::try_from(retry_after.as_str()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::Status(code) => status_answer(status_or_500(*code), rules),
        Fault::HtmlBadGateway => {
            let mut response = Response::new(Body::from(fault::NGINX_BAD_GATEWAY));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            response
        }
        Fault::Unauthorized => unauthorized(rules),
        Fault::EmptyBody(code) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = status_or_500(*code);
            response
        }
    }
}

fn status_or_500(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// This status with the version's error body for it and the status's standard reason as the
/// message.
fn status_answer(status: StatusCode, rules: Rules) -> Response {
    if status == StatusCode::UNAUTHORIZED {
        return unauthorized(rules);
    }
    error(status, status.canonical_reason().unwrap_or("Unknown error"))
}

/// A rejected API key: JSON or plain text, as the version says.
fn unauthorized(rules: Rules) -> Response {
    match rules.unauthorized {
        UnauthorizedBody::Json => error(StatusCode::UNAUTHORIZED, UNAUTHORIZED_MESSAGE),
        UnauthorizedBody::Text => text_unauthorized(),
    }
}

/// 401 with `text/plain` and the bare message, as 2026-07 answers.
fn text_unauthorized() -> Response {
    let mut response = Response::new(Body::from(UNAUTHORIZED_MESSAGE));
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response.headers_mut().insert(header::CONTENT_TYPE, TEXT);
    response
}

/// The API's error body: `{"error":{"code":...,"message":...},"status":N}`.
fn error(status: StatusCode, message: &str) -> Response {
    let code = fault::code_for_status(status.as_u16());
    let body = json!({
        "error": { "code": code, "message": message },
        "status": status.as_u16(),
    });
    json_response(status, body.to_string())
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, JSON);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let get = &Method::GET;
        assert!(matches!(route("", get, "/restore-jobs"), Route::List));
        assert!(matches!(route("/gw", get, "/gw/restore-jobs"), Route::List));
        assert!(matches!(route("/gw", get, "/restore-jobs"), Route::Unknown));
        assert!(matches!(
            route("", get, "/restore-jobs/a%2Fb"),
            Route::Describe("a%2Fb")
        ));
        assert!(matches!(route("", get, "/restore-jobs/"), Route::Unknown));
        assert!(matches!(
            route("", get, "/restore-jobs/a/b"),
            Route::Unknown
        ));
        assert!(matches!(route("", get, "/restore-jobsx"), Route::Unknown));
        assert!(matches!(
            route("", &Method::POST, "/restore-jobs"),
            Route::Unknown
        ));
    }
}
