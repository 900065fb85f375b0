//! Backup schedules (API 2026-07): `GET|POST {prefix}/indexes/{index_name}/backup-schedules`,
//! `GET|PATCH|DELETE {prefix}/backup-schedules/{schedule_id}` and
//! `GET {prefix}/backup-schedules/{schedule_id}/history`.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;

use super::{
    ReadBody, Shared, error, json_response, page, page_query, path_segment, rejected, unread_body,
};
use crate::schedule_request::{CreateSchedule, UpdateSchedule};
use crate::store::{ScheduleRefusal, UnknownIndex};
use crate::token;
use crate::version::Rules;

/// The message of a 404 for an unknown schedule, as the API words it.
const NOT_FOUND: &str = "Backup schedule not found.";
/// The message of a 403 when the plan has no scheduled backups, as the API words it.
const NOT_IN_PLAN: &str = "Scheduled backups are not available for your plan";
/// The message of a 409 for a second enabled schedule, as the API words it.
const ENABLED_EXISTS: &str =
    "This index already has an enabled backup schedule. Disable or delete it first.";

/// `GET /indexes/{index_name}/backup-schedules`: the index's schedules, paginated as the
/// other listings are; 404 for an unknown index.
pub(super) fn list(shared: &Shared, raw_name: &str, raw_query: &str, rules: Rules) -> Response {
    let name = match path_segment(raw_name, "index name") {
        Ok(name) => name,
        Err(answer) => return answer,
    };
    let (scope, ask) = match page_query(raw_query, rules, |_| Ok(token::index_schedules(&name))) {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let listed = shared.store().index_schedules(&name);
    match listed {
        Ok(items) => page(shared, rules, scope, &ask, items.len(), |p| {
            items.get(p).map(String::as_str)
        }),
        Err(UnknownIndex::NotFound) => {
            error(StatusCode::NOT_FOUND, &format!("Index {name} not found."))
        }
    }
}

/// `POST /indexes/{index_name}/backup-schedules`: the body's shape (422) and rules (400), the
/// plan (403), the index (404), then another enabled schedule of the index (409); 200 with
/// the new schedule.
pub(super) fn create(shared: &Shared, raw_name: &str, body: &ReadBody) -> Response {
    if let Some(answer) = unread_body(body) {
        return answer;
    }
    let request = match CreateSchedule::from_body(&body.bytes) {
        Ok(request) => request,
        Err(rejection) => return rejected(rejection),
    };
    let index = match path_segment(raw_name, "index name") {
        Ok(index) => index,
        Err(answer) => return answer,
    };
    if !shared.schedules_allowed {
        return error(StatusCode::FORBIDDEN, NOT_IN_PLAN);
    }
    let mut store = shared.store();
    match store.create_schedule(&index, request) {
        Ok(entry) => {
            shared.schedules_created.fetch_add(1, Ordering::Relaxed);
            json_response(StatusCode::OK, entry.json())
        }
        Err(refusal) => refused(refusal, &index),
    }
}

/// `GET /backup-schedules/{schedule_id}`: the schedule, or 404.
pub(super) fn describe(shared: &Shared, raw_id: &str) -> Response {
    let id = match path_segment(raw_id, "schedule id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let store = shared.store();
    match store.schedule(&id) {
        Some(entry) => json_response(StatusCode::OK, entry.json()),
        None => error(StatusCode::NOT_FOUND, NOT_FOUND),
    }
}

/// `PATCH /backup-schedules/{schedule_id}`: the body's shape (422) and rules (400), the plan
/// (403), the schedule (404), then, when it enables the schedule, another enabled schedule of
/// the index (409); 200 with the schedule as changed.
pub(super) fn update(shared: &Shared, raw_id: &str, body: &ReadBody) -> Response {
    if let Some(answer) = unread_body(body) {
        return answer;
    }
    let request = match UpdateSchedule::from_body(&body.bytes) {
        Ok(request) => request,
        Err(rejection) => return rejected(rejection),
    };
    let id = match path_segment(raw_id, "schedule id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    if !shared.schedules_allowed {
        return error(StatusCode::FORBIDDEN, NOT_IN_PLAN);
    }
    let mut store = shared.store();
    match store.update_schedule(&id, request) {
        Ok(entry) => json_response(StatusCode::OK, entry.json()),
        Err(refusal) => refused(refusal, ""),
    }
}

/// `DELETE /backup-schedules/{schedule_id}`: 204 with no body, or 404.
pub(super) fn delete(shared: &Shared, raw_id: &str) -> Response {
    let id = match path_segment(raw_id, "schedule id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    if !shared.store().delete_schedule(&id) {
        return error(StatusCode::NOT_FOUND, NOT_FOUND);
    }
    shared.schedules_deleted.fetch_add(1, Ordering::Relaxed);
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// `GET /backup-schedules/{schedule_id}/history`: the schedule's planned run and the backups
/// it made, paginated as the other listings are; 404 for an unknown schedule.
pub(super) fn history(shared: &Shared, raw_id: &str, raw_query: &str, rules: Rules) -> Response {
    let id = match path_segment(raw_id, "schedule id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let (scope, ask) = match page_query(raw_query, rules, |_| Ok(token::schedule_history(&id))) {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let history = shared.store().schedule_history(&id);
    match history {
        Some(items) => page(shared, rules, scope, &ask, items.len(), |p| {
            items.get(p).map(String::as_str)
        }),
        None => error(StatusCode::NOT_FOUND, NOT_FOUND),
    }
}

/// The answer to a refused create or change (`index` names the index of a create).
fn refused(refusal: ScheduleRefusal, index: &str) -> Response {
    match refusal {
        ScheduleRefusal::UnknownIndex => {
            error(StatusCode::NOT_FOUND, &format!("Index {index} not found."))
        }
        ScheduleRefusal::UnknownSchedule => error(StatusCode::NOT_FOUND, NOT_FOUND),
        ScheduleRefusal::EnabledExists => error(StatusCode::CONFLICT, ENABLED_EXISTS),
    }
}
