//! The server's state and how it answers one request.

mod backups;
mod schedules;

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use crate::create::{self, CreateIndex, Rejection};
use crate::fault::{self, Endpoint, Fault, FaultQueues};
use crate::generate;
use crate::listener::Cutoff;
use crate::query;
use crate::server::{RecordedRequest, Stats};
use crate::store::{Refusal, Store, UnknownIndex};
use crate::timed::ServerClock;
use crate::token::{self, PageToken, Scope};
use crate::version::{ApiVersion, BackupShape, LastPage, Rules, UnauthorizedBody};

/// At most this many requests are kept for [`crate::FakeServer::requests`].
const MAX_RECORDED: usize = 100_000;
/// At most this many bytes of a request body are read; see [`read_body`].
const DRAIN_LIMIT: usize = 16 << 20;
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
    /// The server's clock, which `Date` reads (the store's, the same reading).
    pub(crate) clock: ServerClock,
    /// Whether answers carry a usable `Date`.
    pub(crate) dates: bool,
    /// Mixed into every `x-pinecone-request-id`, so that ids differ from one run to the next.
    pub(crate) request_id_seed: u64,
    /// How long every answer waits before it is sent.
    pub(crate) latency: Duration,
    /// Whether the plan has scheduled backups (else creating or changing a schedule is 403).
    pub(crate) schedules_allowed: bool,
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Mutex<FaultQueues>,
    pub(crate) log: Mutex<Vec<RecordedRequest>>,
    pub(crate) requests: AtomicU64,
    /// Requests to each endpoint, whatever the answer, indexed by [`Endpoint::index`].
    pub(crate) endpoint_requests: [AtomicU64; Endpoint::COUNT],
    pub(crate) restores_created: AtomicU64,
    pub(crate) backups_created: AtomicU64,
    pub(crate) backups_deleted: AtomicU64,
    pub(crate) schedules_created: AtomicU64,
    pub(crate) schedules_deleted: AtomicU64,
    pub(crate) connections: Arc<AtomicU64>,
}

/// Locks a mutex. The handler never panics while holding one; if a caller's thread did, the
/// data is still usable (at worst a restore was half recorded).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The store, its schedules run up to the server's clock: every read of the store goes
    /// through here, so no answer shows a schedule (or its backups) behind the clock.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        let mut store = lock(&self.store);
        store.catch_up();
        store
    }

    pub(crate) fn stats(&self) -> Stats {
        let requests_to =
            |endpoint: Endpoint| self.endpoint_requests[endpoint.index()].load(Ordering::Relaxed);
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            list_requests: requests_to(Endpoint::List),
            describe_requests: requests_to(Endpoint::Describe),
            create_requests: requests_to(Endpoint::CreateIndex),
            // the project's listing and one index's listing count together
            backup_list_requests: requests_to(Endpoint::ListBackups)
                .wrapping_add(requests_to(Endpoint::ListIndexBackups)),
            backup_describe_requests: requests_to(Endpoint::DescribeBackup),
            create_backup_requests: requests_to(Endpoint::CreateBackup),
            delete_backup_requests: requests_to(Endpoint::DeleteBackup),
            restores_created: self.restores_created.load(Ordering::Relaxed),
            backups_created: self.backups_created.load(Ordering::Relaxed),
            backups_deleted: self.backups_deleted.load(Ordering::Relaxed),
            schedule_list_requests: requests_to(Endpoint::ListSchedules),
            schedule_create_requests: requests_to(Endpoint::CreateSchedule),
            schedule_describe_requests: requests_to(Endpoint::DescribeSchedule),
            schedule_update_requests: requests_to(Endpoint::UpdateSchedule),
            schedule_delete_requests: requests_to(Endpoint::DeleteSchedule),
            schedule_history_requests: requests_to(Endpoint::ScheduleHistory),
            schedules_created: self.schedules_created.load(Ordering::Relaxed),
            schedules_deleted: self.schedules_deleted.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route<'a> {
    List,
    /// The raw (still percent-encoded) job id segment.
    Describe(&'a str),
    /// The raw (still percent-encoded) backup id segment.
    CreateIndex(&'a str),
    ListBackups,
    /// The raw (still percent-encoded) index name segment.
    ListIndexBackups(&'a str),
    /// The raw (still percent-encoded) backup id segment.
    DescribeBackup(&'a str),
    /// The raw (still percent-encoded) index name segment.
    CreateBackup(&'a str),
    /// The raw (still percent-encoded) backup id segment.
    DeleteBackup(&'a str),
    /// The raw (still percent-encoded) index name segment.
    ListSchedules(&'a str),
    /// The raw (still percent-encoded) index name segment.
    CreateSchedule(&'a str),
    /// The raw (still percent-encoded) schedule id segment.
    DescribeSchedule(&'a str),
    /// The raw (still percent-encoded) schedule id segment.
    UpdateSchedule(&'a str),
    /// The raw (still percent-encoded) schedule id segment.
    DeleteSchedule(&'a str),
    /// The raw (still percent-encoded) schedule id segment.
    ScheduleHistory(&'a str),
    Unknown,
}

impl Route<'_> {
    fn endpoint(self) -> Option<Endpoint> {
        match self {
            Route::List => Some(Endpoint::List),
            Route::Describe(_) => Some(Endpoint::Describe),
            Route::CreateIndex(_) => Some(Endpoint::CreateIndex),
            Route::ListBackups => Some(Endpoint::ListBackups),
            Route::ListIndexBackups(_) => Some(Endpoint::ListIndexBackups),
            Route::DescribeBackup(_) => Some(Endpoint::DescribeBackup),
            Route::CreateBackup(_) => Some(Endpoint::CreateBackup),
            Route::DeleteBackup(_) => Some(Endpoint::DeleteBackup),
            Route::ListSchedules(_) => Some(Endpoint::ListSchedules),
            Route::CreateSchedule(_) => Some(Endpoint::CreateSchedule),
            Route::DescribeSchedule(_) => Some(Endpoint::DescribeSchedule),
            Route::UpdateSchedule(_) => Some(Endpoint::UpdateSchedule),
            Route::DeleteSchedule(_) => Some(Endpoint::DeleteSchedule),
            Route::ScheduleHistory(_) => Some(Endpoint::ScheduleHistory),
            Route::Unknown => None,
        }
    }
}

/// A request body as read: at most [`create::MAX_BODY`] bytes.
struct ReadBody {
    bytes: Vec<u8>,
    /// More than [`create::MAX_BODY`] bytes were sent; the rest was not read.
    too_large: bool,
    /// The client stopped sending in the middle of the body.
    broken: bool,
}

/// What happens on the connection once a request has been handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    /// The answer is sent.
    Answer,
    /// The connection closes without a byte of the answer.
    Close,
    /// Nothing is sent for this long, then the connection closes.
    StallThenClose(Duration),
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = read_body(body).await;
    // Everything under a lock happens in `respond`; nothing is held across an await.
    let (response, then) = respond(&shared, &parts, &body);
    let cut = || {
        if let Some(ConnectInfo(cutoff)) = parts.extensions.get::<ConnectInfo<Cutoff>>() {
            cutoff.cut();
        }
    };
    match then {
        // The wait is a timer on this connection's task: other connections are served
        // meanwhile.
        Then::Answer if !shared.latency.is_zero() => tokio::time::sleep(shared.latency).await,
        Then::Answer => {}
        Then::Close => cut(),
        Then::StallThenClose(pause) => {
            tokio::time::sleep(pause).await;
            cut();
        }
    }
    response
}

/// Reads the body, keeping at most [`create::MAX_BODY`] bytes. The rest of a larger body is
/// read and dropped, up to [`DRAIN_LIMIT`], so that the client gets to read the 413 instead of
/// a reset; beyond that the server stops reading.
async fn read_body(mut body: Body) -> ReadBody {
    let mut read = ReadBody {
        bytes: Vec::new(),
        too_large: false,
        broken: false,
    };
    let mut total = 0usize;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(frame) = frame else {
            read.broken = true;
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        total = total.saturating_add(data.len());
        let room = create::MAX_BODY - read.bytes.len();
        if data.len() > room {
            read.too_large = true;
        }
        read.bytes
            .extend_from_slice(data.get(..room).unwrap_or(&data));
        if total > DRAIN_LIMIT {
            break;
        }
    }
    read
}

/// Handles one request; the connection then does what [`Then`] says.
fn respond(shared: &Shared, parts: &Parts, body: &ReadBody) -> (Response, Then) {
    let seq = shared.requests.fetch_add(1, Ordering::Relaxed);
    let path = parts.uri.path();
    let headers = &parts.headers;
    let version = ApiVersion::from_header(headers.get(API_VERSION));
    // the schedule endpoints exist in the versions that have them; elsewhere they are unknown
    let schedules = version.as_ref().is_ok_and(|v| v.rules().schedules);
    let route = route(&shared.prefix, &parts.method, path, schedules);
    let endpoint = route.endpoint();
    if let Some(endpoint) = endpoint {
        shared.endpoint_requests[endpoint.index()].fetch_add(1, Ordering::Relaxed);
    }

    let api_key = header_text(headers, "api-key");
    let fault = lock(&shared.faults).next(endpoint);
    // A fault answers in the version asked for, or in the default one if that is unknown.
    let fault_rules = version.as_ref().map_or(ApiVersion::DEFAULT, |v| *v).rules();
    let normal = || match &version {
        Err(message) => error(StatusCode::BAD_REQUEST, message),
        Ok(version) => process(
            shared,
            parts,
            body,
            route,
            version.rules(),
            api_key.as_deref(),
        ),
    };
    let (mut response, then) = match fault {
        Some(fault) => apply(fault, fault_rules, normal),
        None => (normal(), Then::Answer),
    };

    if let Ok(id) = HeaderValue::try_from(request_id(shared.request_id_seed, seq)) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    let date = if shared.dates {
        generate::http_date(shared.clock.now_millis())
    } else {
        "unknown".to_owned()
    };
    if let Ok(date) = HeaderValue::try_from(date) {
        response.headers_mut().insert(header::DATE, date);
    }
    let mut log = lock(&shared.log);
    if log.len() < MAX_RECORDED {
        log.push(RecordedRequest {
            method: parts.method.to_string(),
            path: path.to_owned(),
            query: parts.uri.query().map(str::to_owned),
            api_key,
            api_version: header_text(headers, API_VERSION),
            user_agent: header_text(headers, "user-agent"),
            content_type: header_text(headers, "content-type"),
            body: (!body.bytes.is_empty())
                .then(|| String::from_utf8_lossy(&body.bytes).into_owned()),
            status: match then {
                Then::Answer => response.status().as_u16(),
                Then::Close | Then::StallThenClose(_) => 0,
            },
        });
    }
    (response, then)
}

/// The normal answer: the API key is checked first, then the route answers.
fn process(
    shared: &Shared,
    parts: &Parts,
    body: &ReadBody,
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
    let query = parts.uri.query().unwrap_or("");
    match route {
        Route::List => list(shared, query, rules),
        Route::Describe(raw_id) => describe(shared, raw_id, rules),
        Route::CreateIndex(raw_id) => create_index(shared, raw_id, body),
        Route::ListBackups => list_backups(shared, query, rules),
        Route::ListIndexBackups(raw_name) => list_index_backups(shared, raw_name, query, rules),
        Route::DescribeBackup(raw_id) => describe_backup(shared, raw_id, rules),
        Route::CreateBackup(raw_name) => backups::create(shared, raw_name, body, rules),
        Route::DeleteBackup(raw_id) => backups::delete(shared, raw_id, rules),
        Route::ListSchedules(raw_name) => schedules::list(shared, raw_name, query, rules),
        Route::CreateSchedule(raw_name) => schedules::create(shared, raw_name, body),
        Route::DescribeSchedule(raw_id) => schedules::describe(shared, raw_id),
        Route::UpdateSchedule(raw_id) => schedules::update(shared, raw_id, body),
        Route::DeleteSchedule(raw_id) => schedules::delete(shared, raw_id),
        Route::ScheduleHistory(raw_id) => schedules::history(shared, raw_id, query, rules),
        Route::Unknown => error(
            StatusCode::NOT_FOUND,
            &format!("No route for {} {}.", parts.method, parts.uri.path()),
        ),
    }
}

/// `GET {prefix}/restore-jobs`, `GET {prefix}/restore-jobs/{id}`,
/// `POST {prefix}/backups/{id}/create-index`, `GET {prefix}/backups`,
/// `GET|DELETE {prefix}/backups/{id}` and `GET|POST {prefix}/indexes/{name}/backups`; with
/// `schedules`, also `GET|POST {prefix}/indexes/{name}/backup-schedules`,
/// `GET|PATCH|DELETE {prefix}/backup-schedules/{id}` and
/// `GET {prefix}/backup-schedules/{id}/history`. Any other method or path is unknown.
fn route<'a>(prefix: &str, method: &Method, path: &'a str, schedules: bool) -> Route<'a> {
    let Some(rest) = path.strip_prefix(prefix) else {
        return Route::Unknown;
    };
    let segment = |s: &'a str| Some(s).filter(|s| !s.is_empty() && !s.contains('/'));
    let by_path = if let Some(tail) = rest.strip_prefix("/restore-jobs") {
        match tail.strip_prefix('/') {
            None if tail.is_empty() => Route::List,
            Some(id) => segment(id).map_or(Route::Unknown, Route::Describe),
            None => Route::Unknown,
        }
    } else if let Some(tail) = rest.strip_prefix("/backups") {
        if tail.is_empty() {
            Route::ListBackups
        } else if let Some(tail) = tail.strip_prefix('/') {
            match tail.strip_suffix("/create-index") {
                Some(id) => segment(id).map_or(Route::Unknown, Route::CreateIndex),
                None => segment(tail).map_or(Route::Unknown, Route::DescribeBackup),
            }
        } else {
            Route::Unknown
        }
    } else if let Some(tail) = rest.strip_prefix("/indexes/") {
        if let Some(name) = tail.strip_suffix("/backups") {
            segment(name).map_or(Route::Unknown, Route::ListIndexBackups)
        } else if let Some(name) = tail.strip_suffix("/backup-schedules") {
            segment(name).map_or(Route::Unknown, Route::ListSchedules)
        } else {
            Route::Unknown
        }
    } else if let Some(tail) = rest.strip_prefix("/backup-schedules/") {
        match tail.strip_suffix("/history") {
            Some(id) => segment(id).map_or(Route::Unknown, Route::ScheduleHistory),
            None => segment(tail).map_or(Route::Unknown, Route::DescribeSchedule),
        }
    } else {
        Route::Unknown
    };
    let is_schedule_route = matches!(
        by_path,
        Route::ListSchedules(_) | Route::DescribeSchedule(_) | Route::ScheduleHistory(_)
    );
    if is_schedule_route && !schedules {
        return Route::Unknown;
    }
    match (by_path, method) {
        (
            Route::List
            | Route::Describe(_)
            | Route::ListBackups
            | Route::ListIndexBackups(_)
            | Route::DescribeBackup(_)
            | Route::ListSchedules(_)
            | Route::DescribeSchedule(_)
            | Route::ScheduleHistory(_),
            &Method::GET,
        )
        | (Route::CreateIndex(_), &Method::POST) => by_path,
        (Route::ListIndexBackups(name), &Method::POST) => Route::CreateBackup(name),
        (Route::DescribeBackup(id), &Method::DELETE) => Route::DeleteBackup(id),
        (Route::ListSchedules(name), &Method::POST) => Route::CreateSchedule(name),
        (Route::DescribeSchedule(id), &Method::PATCH) => Route::UpdateSchedule(id),
        (Route::DescribeSchedule(id), &Method::DELETE) => Route::DeleteSchedule(id),
        _ => Route::Unknown,
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// A unique, opaque-looking id per request: `mix` is a bijection, so the ids of one server
/// never repeat, and the server's `seed` makes them differ from those of another run.
fn request_id(seed: u64, seq: u64) -> String {
    format!("{:016x}", crate::generate::mix(seq ^ seed))
}

/// The page a listing request asks for: where it starts and how many items it holds.
struct PageAsk {
    start: usize,
    size: u8,
}

/// Reads `limit` (`1..=100`, else 400) and `paginationToken` (one of this listing's, else 400)
/// from a listing's query; a token's page size wins over `limit`.
///
/// # Errors
///
/// The message of the 400.
fn page_ask(pairs: &[(String, String)], rules: Rules, scope: Scope) -> Result<PageAsk, String> {
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
                return Err(format!(
                    "limit must be an integer between 1 and 100, found `{text}`."
                ));
            }
        }
    }
    let mut offset = 0;
    if let Some(text) = param("paginationToken").filter(|t| !t.is_empty()) {
        match PageToken::decode(text, scope) {
            Some(token) => (offset, size) = (token.offset, token.size),
            None => {
                return Err("malformed pagination token.".to_owned());
            }
        }
    }
    Ok(PageAsk {
        start: usize::try_from(offset).unwrap_or(usize::MAX),
        size,
    })
}

/// The page a listing's query asks for ([`page_ask`]), read in the scope that `scope` tells
/// from the query's parameters, and that scope. A malformed query, a parameter `scope`
/// refuses (its message) or a page ask [`page_ask`] refuses is a 400.
#[allow(clippy::result_large_err)] // the `Err` is the answer, sent at once, never kept
fn page_query(
    raw_query: &str,
    rules: Rules,
    scope: impl FnOnce(&[(String, String)]) -> Result<Scope, String>,
) -> Result<(Scope, PageAsk), Response> {
    let bad = |message: String| error(StatusCode::BAD_REQUEST, &message);
    let pairs = query::parse_query(raw_query).map_err(bad)?;
    let scope = scope(&pairs).map_err(bad)?;
    let ask = page_ask(&pairs, rules, scope).map_err(bad)?;
    Ok((scope, ask))
}

/// A path segment percent-decoded; one whose percent-encoding is broken is a 400 naming it
/// as `what` (`job id`, `index name`, …).
#[allow(clippy::result_large_err)] // the `Err` is the answer, sent at once, never kept
fn path_segment(raw: &str, what: &str) -> Result<String, Response> {
    query::percent_decode(raw, false).ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            &format!("malformed percent-encoding in {what} `{raw}`."),
        )
    })
}

/// One page of a listing of `total` items, `item(p)` being the JSON of the item at position
/// `p`: `{"data":[...],"pagination":...}`, the next page re-sending the last
/// `page_overlap` items of this one.
fn page<'a>(
    shared: &Shared,
    rules: Rules,
    scope: Scope,
    ask: &PageAsk,
    total: usize,
    item: impl Fn(usize) -> Option<&'a str>,
) -> Response {
    let start = ask.start;
    if start > total {
        return error(StatusCode::BAD_REQUEST, "pagination token is out of range.");
    }
    let end = total.min(start.saturating_add(usize::from(ask.size)));
    let items: Vec<&str> = (start..end).filter_map(item).collect();

    let mut body = String::with_capacity(items.iter().map(|j| j.len() + 1).sum::<usize>() + 64);
    body.push_str("{\"data\":[");
    for (i, json) in items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(json);
    }
    body.push(']');
    if end < total {
        // The next page re-sends the last `page_overlap` items, but always moves forward.
        let next = end.saturating_sub(shared.page_overlap).max(start + 1);
        let token = PageToken {
            offset: next as u64,
            size: ask.size,
        };
        body.push_str(",\"pagination\":");
        body.push_str(&json!({ "next": token.encode(scope) }).to_string());
    } else {
        match rules.last_page {
            LastPage::Null => body.push_str(",\"pagination\":null"),
            LastPage::Absent => {}
        }
    }
    body.push('}');
    json_response(StatusCode::OK, body)
}

/// `GET /restore-jobs`.
fn list(shared: &Shared, raw_query: &str, rules: Rules) -> Response {
    let (scope, ask) = match page_query(raw_query, rules, |_| Ok(token::RESTORE_JOBS)) {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let store = shared.store();
    page(shared, rules, scope, &ask, store.len(), |p| {
        store.at(p).map(|entry| entry.json(rules.job_shape))
    })
}

/// `GET /backups`: every backup of the project, those of deleted indexes included.
fn list_backups(shared: &Shared, raw_query: &str, rules: Rules) -> Response {
    let (scope, ask) = match page_query(raw_query, rules, |_| Ok(token::PROJECT_BACKUPS)) {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let store = shared.store();
    let backups = store.backups();
    page(shared, rules, scope, &ask, backups.len(), |p| {
        backups.get(p).map(|entry| entry.json(rules.backup_shape))
    })
}

/// `GET /indexes/{index_name}/backups`: the backups of one index; 404 for an unknown index.
/// In 2026-07, `include_deleted=true` adds the backups of deleted indexes that had the name.
fn list_index_backups(shared: &Shared, raw_name: &str, raw_query: &str, rules: Rules) -> Response {
    let name = match path_segment(raw_name, "index name") {
        Ok(name) => name,
        Err(answer) => return answer,
    };
    let mut include_deleted = false;
    let asked = page_query(raw_query, rules, |pairs| {
        if rules.backup_shape == BackupShape::V2026_07
            && let Some((_, text)) = pairs.iter().find(|(k, _)| k == "include_deleted")
        {
            include_deleted = match text.as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(format!(
                        "include_deleted must be `true` or `false`, found `{text}`."
                    ));
                }
            };
        }
        Ok(token::index_backups(&name, include_deleted))
    });
    let (scope, ask) = match asked {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let store = shared.store();
    let positions = match store.index_backups(&name, include_deleted) {
        Ok(positions) => positions,
        Err(UnknownIndex::NotFound) => {
            return error(StatusCode::NOT_FOUND, &format!("Index {name} not found."));
        }
    };
    let backups = store.backups();
    page(shared, rules, scope, &ask, positions.len(), |p| {
        positions
            .get(p)
            .and_then(|&i| backups.get(i))
            .map(|entry| entry.json(rules.backup_shape))
    })
}

/// `GET /backups/{backup_id}`: the backup, or 404.
fn describe_backup(shared: &Shared, raw_id: &str, rules: Rules) -> Response {
    let id = match path_segment(raw_id, "backup id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let described = shared.store().describe_backup(&id, rules.backup_shape);
    match described {
        Some(json) => json_response(StatusCode::OK, json),
        None => error(StatusCode::NOT_FOUND, &format!("Backup {id} not found.")),
    }
}

fn describe(shared: &Shared, raw_id: &str, rules: Rules) -> Response {
    let id = match path_segment(raw_id, "job id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            &format!("Restore job {id} not found."),
        )
    };
    let mut store = shared.store();
    match store
        .get_mut(&id)
        .and_then(|entry| entry.describe(rules.job_shape))
    {
        Some(answer) => json_response(StatusCode::OK, answer),
        None => not_found(),
    }
}

/// The answer to a body that was not read whole: 413 for one over [`create::MAX_BODY`], 400
/// for one cut short; `None` for a body read whole.
fn unread_body(body: &ReadBody) -> Option<Response> {
    if body.too_large {
        return Some(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "Request body is larger than the limit of {} bytes.",
                create::MAX_BODY
            ),
        ));
    }
    if body.broken {
        return Some(error(
            StatusCode::BAD_REQUEST,
            "The request body was cut short.",
        ));
    }
    None
}

/// The answer to a refused body: 422 with serde's message for one of the wrong shape, 400
/// naming the rule broken.
fn rejected(rejection: Rejection) -> Response {
    match rejection {
        Rejection::Shape(message) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Failed to deserialize the JSON body into the target type: {message}"),
        ),
        Rejection::Rule(message) => error(StatusCode::BAD_REQUEST, &message),
    }
}

/// `POST /backups/{backup_id}/create-index`: the body's shape (422) and rules (400), then the
/// backup (404, 412) and the name (409); 202 with the new ids.
fn create_index(shared: &Shared, raw_id: &str, body: &ReadBody) -> Response {
    if let Some(answer) = unread_body(body) {
        return answer;
    }
    let request = match CreateIndex::from_body(&body.bytes) {
        Ok(request) => request,
        Err(rejection) => return rejected(rejection),
    };
    let backup_id = match path_segment(raw_id, "backup id") {
        Ok(backup_id) => backup_id,
        Err(answer) => return answer,
    };
    let started = shared.store().restore(&backup_id, &request.name);
    match started {
        Ok(started) => {
            shared.restores_created.fetch_add(1, Ordering::Relaxed);
            let body = json!({
                "restore_job_id": started.restore_job_id,
                "index_id": started.index_id,
            });
            json_response(StatusCode::ACCEPTED, body.to_string())
        }
        Err(Refusal::UnknownBackup) => error(
            StatusCode::NOT_FOUND,
            &format!("Backup {backup_id} not found."),
        ),
        Err(Refusal::BackupNotReady) => error(
            StatusCode::PRECONDITION_FAILED,
            &format!("Backup {backup_id} is not completed"),
        ),
        Err(Refusal::IndexExists) => error(
            StatusCode::CONFLICT,
            &format!("Index {} already exists.", request.name),
        ),
    }
}

/// The answer to a request that meets `fault`; `normal` handles the request as if there were
/// no fault.
fn apply(fault: Fault, rules: Rules, normal: impl FnOnce() -> Response) -> (Response, Then) {
    // Never sent: the connection is cut first.
    let unsent = || Response::new(Body::empty());
    let answer = match fault {
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
        Fault::Status(code) => status_answer(status_or_500(code), rules),
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
            *response.status_mut() = status_or_500(code);
            response
        }
        Fault::Error {
            status,
            code,
            message,
        } => error_with_code(status_or_500(status), &code, &message),
        Fault::TextUnauthorized => text_unauthorized(),
        Fault::Drop => return (unsent(), Then::Close),
        Fault::Stall(pause) => return (unsent(), Then::StallThenClose(pause)),
        Fault::ProcessThenDrop => {
            normal();
            return (unsent(), Then::Close);
        }
        Fault::ProcessThenStall(pause) => {
            normal();
            return (unsent(), Then::StallThenClose(pause));
        }
        Fault::ProcessThenStatus(code) => {
            normal();
            status_answer(status_or_500(code), rules)
        }
    };
    (answer, Then::Answer)
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

/// The API's error body: `{"error":{"code":...,"message":...},"status":N}`, with the code
/// that fits the status.
fn error(status: StatusCode, message: &str) -> Response {
    error_with_code(status, fault::code_for_status(status.as_u16()), message)
}

/// The API's error body with this code.
fn error_with_code(status: StatusCode, code: &str, message: &str) -> Response {
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
        assert!(matches!(
            route("", get, "/restore-jobs", false),
            Route::List
        ));
        assert!(matches!(
            route("/gw", get, "/gw/restore-jobs", false),
            Route::List
        ));
        assert!(matches!(
            route("/gw", get, "/restore-jobs", false),
            Route::Unknown
        ));
        assert!(matches!(
            route("", get, "/restore-jobs/a%2Fb", false),
            Route::Describe("a%2Fb")
        ));
        assert!(matches!(
            route("", get, "/restore-jobs/", false),
            Route::Unknown
        ));
        assert!(matches!(
            route("", get, "/restore-jobs/a/b", false),
            Route::Unknown
        ));
        assert!(matches!(
            route("", get, "/restore-jobsx", false),
            Route::Unknown
        ));
        assert!(matches!(
            route("", &Method::POST, "/restore-jobs", false),
            Route::Unknown
        ));
        assert!(matches!(
            route("", &Method::DELETE, "/restore-jobs/a", false),
            Route::Unknown
        ));
    }

    #[test]
    fn backup_routes_are_get_but_an_index_takes_a_post_and_a_backup_a_delete() {
        let get = &Method::GET;
        assert_eq!(route("/gw", get, "/gw/backups", false), Route::ListBackups);
        assert_eq!(
            route("", get, "/backups/b%2F1", false),
            Route::DescribeBackup("b%2F1")
        );
        assert_eq!(
            route("", get, "/indexes/my%20idx/backups", false),
            Route::ListIndexBackups("my%20idx")
        );
        for path in [
            "/backups/",
            "/backupsx",
            "/backups/a/b",
            "/indexes//backups",
            "/indexes/a/b/backups",
            "/indexes/a/backups/",
            "/indexes/a",
            "/indexes/backups",
        ] {
            assert_eq!(route("", get, path, false), Route::Unknown, "{path}");
        }
        assert_eq!(
            route("/gw", &Method::POST, "/gw/indexes/my%20idx/backups", false),
            Route::CreateBackup("my%20idx")
        );
        assert_eq!(
            route("/gw", &Method::DELETE, "/gw/backups/b%2F1", false),
            Route::DeleteBackup("b%2F1")
        );
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            assert_eq!(
                route("", &method, "/backups", false),
                Route::Unknown,
                "{method}"
            );
        }
        for method in [Method::POST, Method::PUT, Method::PATCH] {
            assert_eq!(
                route("", &method, "/backups/a", false),
                Route::Unknown,
                "{method}"
            );
        }
        for path in ["/backups/", "/backups/a/b", "/backups/a/create-index"] {
            assert_eq!(
                route("", &Method::DELETE, path, false),
                Route::Unknown,
                "{path}"
            );
        }
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            let path = "/indexes/a/backups";
            assert_eq!(
                route("", &method, path, false),
                Route::Unknown,
                "{method} {path}"
            );
        }
        assert_eq!(
            route("", &Method::POST, "/indexes//backups", false),
            Route::Unknown
        );
    }

    #[test]
    fn create_index_route_is_post_only() {
        let post = &Method::POST;
        assert_eq!(
            route("/gw", post, "/gw/backups/b%2F1/create-index", false),
            Route::CreateIndex("b%2F1")
        );
        for path in [
            "/backups//create-index",
            "/backups/a/b/create-index",
            "/backups/a/create-index/",
            "/backups/a",
            "/backups/create-index",
        ] {
            assert_eq!(route("", post, path, false), Route::Unknown, "{path}");
        }
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            assert_eq!(
                route("", &method, "/backups/a/create-index", false),
                Route::Unknown
            );
        }
    }

    #[test]
    fn schedule_routes_exist_only_in_the_versions_that_have_them() {
        let cases = [
            (
                Method::GET,
                "/gw/indexes/a%20b/backup-schedules",
                Route::ListSchedules("a%20b"),
            ),
            (
                Method::POST,
                "/gw/indexes/a/backup-schedules",
                Route::CreateSchedule("a"),
            ),
            (
                Method::GET,
                "/gw/backup-schedules/s%2F1",
                Route::DescribeSchedule("s%2F1"),
            ),
            (
                Method::PATCH,
                "/gw/backup-schedules/s",
                Route::UpdateSchedule("s"),
            ),
            (
                Method::DELETE,
                "/gw/backup-schedules/s",
                Route::DeleteSchedule("s"),
            ),
            (
                Method::GET,
                "/gw/backup-schedules/s/history",
                Route::ScheduleHistory("s"),
            ),
        ];
        for (method, path, expected) in cases {
            assert_eq!(
                route("/gw", &method, path, true),
                expected,
                "{method} {path}"
            );
            assert_eq!(
                route("/gw", &method, path, false),
                Route::Unknown,
                "{method} {path}"
            );
        }
        for (method, path) in [
            (Method::PUT, "/indexes/a/backup-schedules"),
            (Method::DELETE, "/indexes/a/backup-schedules"),
            (Method::POST, "/backup-schedules/s"),
            (Method::PUT, "/backup-schedules/s"),
            (Method::POST, "/backup-schedules/s/history"),
            (Method::GET, "/backup-schedules"),
            (Method::GET, "/backup-schedules/"),
            (Method::GET, "/backup-schedules/s/history/x"),
            (Method::GET, "/backup-schedules//history"),
            (Method::GET, "/indexes//backup-schedules"),
        ] {
            assert_eq!(
                route("", &method, path, true),
                Route::Unknown,
                "{method} {path}"
            );
        }
    }
}
