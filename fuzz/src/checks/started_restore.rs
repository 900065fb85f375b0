//! `started_restore`: raw bytes as the body of a `202` answer to
//! `POST /backups/{backup_id}/create-index`.

use pinecone_restore_core::parse_started_restore;

use super::error_text_is_safe;

/// Never panics; an accepted answer has both ids non-empty and is not marked recovered, and
/// reading it back from its own ids gives the same answer; a refused one is an invalid
/// response whose message is safe to print.
pub fn started_restore(data: &[u8]) {
    let started = match parse_started_restore(data) {
        Ok(started) => started,
        Err(e) => {
            assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
            error_text_is_safe(&e);
            return;
        }
    };
    assert!(!started.restore_job_id().is_empty(), "empty restore_job_id");
    assert!(!started.index_id().is_empty(), "empty index_id");
    assert!(!started.recovered(), "a parsed answer claims recovery");
    let body = serde_json::json!({
        "restore_job_id": started.restore_job_id(),
        "index_id": started.index_id(),
    })
    .to_string();
    match parse_started_restore(body.as_bytes()) {
        Ok(again) => assert_eq!(again, started, "round trip changed the answer"),
        Err(e) => panic!("re-serialized answer refused: {e}; body {body}"),
    }
}
