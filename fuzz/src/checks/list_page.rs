//! `list_page`: raw bytes as the body of a `200` answer to `GET /restore-jobs`.

use pinecone_restore_core::parse_list_page;

use super::{error_text_is_safe, job_invariants, timestamps_have_t, versions};

/// Under every version: never panics; an accepted page survives a round trip through
/// `Serialize` unchanged, and every job on it has a non-empty id and a percentage the version
/// allows.
pub fn list_page(data: &[u8]) {
    for version in versions() {
        let page = match parse_list_page(data, &version) {
            Ok(page) => page,
            Err(e) => {
                assert!(e.is_invalid_response(), "not an invalid response: {e:?}");
                error_text_is_safe(&e);
                continue;
            }
        };
        for job in &page.jobs {
            job_invariants(job, &version);
        }
        if let Ok(sent) = serde_json::from_slice::<serde_json::Value>(data) {
            for job in sent["data"].as_array().into_iter().flatten() {
                timestamps_have_t(job);
            }
        }
        if let Some(next) = &page.next {
            assert!(
                !next.as_str().is_empty(),
                "an empty `next` must mean the last page"
            );
        }
        let data = serde_json::to_string(&page.jobs)
            .unwrap_or_else(|e| panic!("an accepted page must serialize: {e}"));
        let next = serde_json::to_string(&page.next.as_ref().map(|t| t.as_str()))
            .unwrap_or_else(|e| panic!("a token must serialize: {e}"));
        let body = format!(r#"{{"data":{data},"pagination":{{"next":{next}}}}}"#);
        match parse_list_page(body.as_bytes(), &version) {
            Ok(again) => assert_eq!(
                again, page,
                "{version}: round trip changed the page; body {body}"
            ),
            Err(e) => panic!("{version}: re-serialized page refused: {e}; body {body}"),
        }
    }
}
