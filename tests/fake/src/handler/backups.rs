//! Backups taken and deleted through the API: `POST {prefix}/indexes/{index_name}/backups`
//! and `DELETE {prefix}/backups/{backup_id}`.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;

use super::{
    ReadBody, Shared, error, error_with_code, json_response, path_segment, rejected, unread_body,
};
use crate::create_backup::CreateBackup;
use crate::store::{BackupRefusal, DeleteRefusal};
use crate::version::Rules;

/// The message of the 403 for an exhausted quota, after the API's own.
const QUOTA_MESSAGE: &str = "Increase your quota or upgrade to create more backups.";

/// `POST /indexes/{index_name}/backups`: the body's shape (422) and, in 2026-07, the name's
/// rule (400), then the index (404) and the quota (403); the new backup in the version's
/// shape, with 201 (200 in 2026-07).
pub(super) fn create(shared: &Shared, raw_name: &str, body: &ReadBody, rules: Rules) -> Response {
    if let Some(answer) = unread_body(body) {
        return answer;
    }
    let request = match CreateBackup::from_body(&body.bytes, rules.backup_name_rule) {
        Ok(request) => request,
        Err(rejection) => return rejected(rejection),
    };
    let index = match path_segment(raw_name, "index name") {
        Ok(index) => index,
        Err(answer) => return answer,
    };
    let mut store = shared.store();
    match store.create_backup(&index, request.name, request.description) {
        Ok(entry) => {
            shared.backups_created.fetch_add(1, Ordering::Relaxed);
            json_response(
                rules.backup_created,
                entry.json(rules.backup_shape).to_owned(),
            )
        }
        Err(BackupRefusal::UnknownIndex) => {
            error(StatusCode::NOT_FOUND, &format!("Index {index} not found."))
        }
        Err(BackupRefusal::Quota { count, quota }) => error_with_code(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            &format!(
                "Backup quota exceeded: the project has {count} backups, its quota is {quota}. \
                 {QUOTA_MESSAGE}"
            ),
        ),
    }
}

/// `DELETE /backups/{backup_id}`: 202 with an empty body, and the backup is gone; 404 for an
/// unknown id; until 2026-04, 412 while a restore from it has not finished.
pub(super) fn delete(shared: &Shared, raw_id: &str, rules: Rules) -> Response {
    let id = match path_segment(raw_id, "backup id") {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let deleted = shared
        .store()
        .delete_backup(&id, rules.delete_waits_for_restores);
    match deleted {
        Ok(()) => {
            shared.backups_deleted.fetch_add(1, Ordering::Relaxed);
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::ACCEPTED;
            response
        }
        Err(DeleteRefusal::Unknown) => {
            error(StatusCode::NOT_FOUND, &format!("Backup {id} not found."))
        }
        Err(DeleteRefusal::PendingRestores(jobs)) => {
            // the API lists the jobs as Python writes a list of strings
            let listed: Vec<String> = jobs.iter().map(|job| format!("'{job}'")).collect();
            error(
                StatusCode::PRECONDITION_FAILED,
                &format!(
                    "Unable to delete backup. There are pending restore jobs for this backup: \
                     [{}]",
                    listed.join(", ")
                ),
            )
        }
    }
}
