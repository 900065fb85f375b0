//! `backup`: raw bytes as the body of a `200` answer to a backup listing (`GET /backups`,
//! `GET /indexes/{index_name}/backups`) and to `GET /backups/{backup_id}`.

use pinecone_restore_core::{Backup, BackupStatus, parse_backup, parse_backup_page};

use super::{error_text_is_safe, versions};

/// Under every version, as a page and as one backup: never panics; a refusal is an invalid
/// response with a printable message; an accepted value holds only what the version allows
/// and survives a round trip through `Serialize` unchanged.
pub fn backup(data: &[u8]) {
    for version in versions() {
        match parse_backup_page(data, &version) {
            Ok(page) => {
                for backup in &page.backups {
                    invariants(backup, version.lists_deleted_sources());
                }
                if let Some(next) = &page.next {
                    assert!(!next.as_str().is_empty(), "an empty `next` accepted");
                }
                let items: Vec<String> = page
                    .backups
                    .iter()
                    .map(|b| {
                        serde_json::to_string(b)
                            .unwrap_or_else(|e| panic!("an accepted backup must serialize: {e}"))
                    })
                    .collect();
                let next = serde_json::to_string(&page.next.as_ref().map(|t| t.as_str()))
                    .unwrap_or_else(|e| panic!("a token must serialize: {e}"));
                let body = format!(
                    r#"{{"data":[{}],"pagination":{{"next":{next}}}}}"#,
                    items.join(",")
                );
                match parse_backup_page(body.as_bytes(), &version) {
                    Ok(again) => assert_eq!(again, page, "{version}: round trip; body {body}"),
                    Err(e) => panic!("{version}: re-serialized page refused: {e}; body {body}"),
                }
            }
            Err(e) => refused(&e),
        }
        match parse_backup(data, &version) {
            Ok(backup) => {
                invariants(&backup, version.lists_deleted_sources());
                let body = serde_json::to_vec(&backup)
                    .unwrap_or_else(|e| panic!("an accepted backup must serialize: {e}"));
                match parse_backup(&body, &version) {
                    Ok(again) => assert_eq!(again, backup, "{version}: round trip changed it"),
                    Err(e) => panic!(
                        "{version}: re-serialized backup refused: {e}; body {}",
                        String::from_utf8_lossy(&body)
                    ),
                }
            }
            Err(e) => refused(&e),
        }
    }
}

fn refused(e: &pinecone_restore_core::Error) {
    assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
    error_text_is_safe(e);
}

/// What every accepted backup holds, by the rules of a version that does (`deleted_sources`,
/// 2026-07 on) or does not define `source_index_deleted_at` and drop `dimension` / `metric`.
fn invariants(backup: &Backup, deleted_sources: bool) {
    assert!(!backup.backup_id().is_empty(), "empty backup_id accepted");
    if let Some(d) = backup.dimension() {
        assert!((1..=20_000).contains(&d), "dimension {d} accepted");
    }
    if deleted_sources {
        assert_eq!(
            backup.dimension(),
            None,
            "dimension read where it is not defined"
        );
        assert_eq!(backup.metric(), None, "metric read where it is not defined");
    } else {
        assert_eq!(
            backup.source_index_deleted_at(),
            None,
            "deleted_at read too early"
        );
    }
    if let Some(schema) = backup.schema() {
        let parsed: serde_json::Value = serde_json::from_str(schema)
            .unwrap_or_else(|e| panic!("schema kept is not JSON: {e}: {schema:?}"));
        assert!(
            parsed.is_object(),
            "schema kept is not an object: {schema:?}"
        );
    }
    if let Some(tags) = backup.tags() {
        let mut keys: Vec<&str> = tags.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), tags.len(), "a tag key accepted twice");
    }
    if let BackupStatus::Other(text) = backup.status() {
        assert!(
            !matches!(
                text.as_str(),
                "Initializing" | "Ready" | "Failed" | "Scheduled"
            ),
            "a known status kept as Other: {text}"
        );
    }
}
