//! `job`: raw bytes as the body of a `200` answer to `GET /restore-jobs/{id}`.

use pinecone_restore_core::parse_job;

use super::{error_text_is_safe, job_invariants, timestamps_have_t, versions};

/// Under every version: never panics; an accepted job survives a round trip through
/// `Serialize` unchanged.
pub fn job(data: &[u8]) {
    for version in versions() {
        let job = match parse_job(data, &version) {
            Ok(job) => job,
            Err(e) => {
                assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
                error_text_is_safe(&e);
                continue;
            }
        };
        job_invariants(&job, &version);
        if let Ok(sent) = serde_json::from_slice::<serde_json::Value>(data) {
            timestamps_have_t(&sent);
        }
        let body = serde_json::to_vec(&job)
            .unwrap_or_else(|e| panic!("an accepted job must serialize: {e}"));
        match parse_job(&body, &version) {
            Ok(again) => assert_eq!(again, job, "{version}: round trip changed the job"),
            Err(e) => panic!(
                "{version}: re-serialized job refused: {e}; body {}",
                String::from_utf8_lossy(&body)
            ),
        }
    }
}
