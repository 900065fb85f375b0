//! `schedule`: raw bytes as the body of a `200` answer to a backup schedule endpoint: one
//! schedule (create, describe, update), a page of an index's schedules, a page of a schedule's
//! history.

use pinecone_restore_core::{
    ApiVersion, BackupSchedule, parse_history_page, parse_schedule, parse_schedule_page,
};

use super::error_text_is_safe;

/// As one schedule, a page of them and a page of history: never panics; a refusal is an
/// invalid response with a printable message; an accepted schedule holds what the schema
/// requires and survives a round trip through `Serialize` unchanged; an accepted history item
/// has its name and creation time.
pub fn schedule(data: &[u8]) {
    let version = ApiVersion::V2026_07;
    match parse_schedule(data, &version) {
        Ok(schedule) => {
            invariants(&schedule);
            let body = serde_json::to_vec(&schedule)
                .unwrap_or_else(|e| panic!("an accepted schedule must serialize: {e}"));
            match parse_schedule(&body, &version) {
                Ok(again) => assert_eq!(again, schedule, "round trip changed it"),
                Err(e) => panic!(
                    "re-serialized schedule refused: {e}; body {}",
                    String::from_utf8_lossy(&body)
                ),
            }
        }
        Err(e) => refused(&e),
    }
    match parse_schedule_page(data, &version) {
        Ok(page) => {
            page.schedules.iter().for_each(invariants);
            if let Some(next) = &page.next {
                assert!(!next.as_str().is_empty(), "an empty `next` accepted");
            }
        }
        Err(e) => refused(&e),
    }
    match parse_history_page(data, &version) {
        Ok(page) => {
            for backup in &page.backups {
                assert!(!backup.backup_id().is_empty(), "empty backup_id accepted");
                assert!(backup.name().is_some(), "a history item without a name");
                assert!(
                    backup.created_at().is_some(),
                    "a history item without created_at"
                );
            }
        }
        Err(e) => refused(&e),
    }
}

fn refused(e: &pinecone_restore_core::Error) {
    assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
    error_text_is_safe(e);
}

fn invariants(schedule: &BackupSchedule) {
    assert!(
        !schedule.schedule_id().is_empty(),
        "empty schedule_id accepted"
    );
    let days = schedule.retention_expire_after_days();
    assert!(
        (1..=i32::MAX as u32).contains(&days),
        "retention {days} accepted"
    );
    if schedule.enabled() {
        assert!(
            schedule.next_scheduled_run().is_some(),
            "an enabled schedule without its next run"
        );
    }
}
