//! Backups taken through the API: `POST {prefix}/indexes/{index_name}/backups`.

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use axum::response::Response;

use super::{ReadBody, Shared, error, error_with_code, json_response, lock, rejected, unread_body};
use crate::create_backup::CreateBackup;
use crate::query;
use crate::store::BackupRefusal;
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
    let Some(index) = query::percent_decode(raw_name, false) else {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("malformed percent-encoding in index name `{raw_name}`."),
        );
    };
    let mut store = lock(&shared.store);
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
