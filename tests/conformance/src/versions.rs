//! Every API version against the fake, each checked by its own rules.

use std::time::Duration;

use pinecone_restore_core::{ApiVersion, JobId, JobStatus, WaitOptions, WaitOutcome};
use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, Fault};

use crate::api::*;
use crate::{Adapter, KEY, client_with, config};

fn id(s: &str) -> JobId {
    JobId::new(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Each known version: the header sent is the version, listing, describing and waiting work,
/// and the answers follow the version's rules (2026-07: whole percents, none while pending).
pub fn every_version_lists_describes_and_waits_by_its_own_rules<A: Adapter>() {
    for version in ApiVersion::KNOWN {
        let server = FakeControlPlane::builder()
            .job(FakeJob::progressing("r-1", 3, Ending::Completed))
            .jobs(120)
            .start()
            .unwrap_or_else(|e| panic!("{e}"));
        let client = client_with::<A>(config(&server.base_url()).api_version(version.as_str()));

        let walked = list_all::<A>(&client, None, None);
        assert!(walked.error.is_none(), "{version}: {:?}", walked.error);
        assert_eq!(walked.items.len(), 121, "{version}");
        let default_pages = 121usize.div_ceil(usize::from(version.default_page_size()));
        assert_eq!(
            walked.pages, default_pages as u64,
            "{version}: the server's page size"
        );
        for job in &walked.items {
            if let (false, Some(p)) = (
                version.reports_intermediate_progress(),
                job.percent_complete(),
            ) {
                assert!(p.is_whole(), "{version}: {p}");
                assert_eq!(
                    job.status(),
                    &JobStatus::Completed,
                    "{version}: a percent while not completed"
                );
            }
        }
        let job = describe::<A>(&client, &id("r-1")).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(job.status(), &JobStatus::Pending);
        assert_eq!(
            job.percent_complete().is_some(),
            version.reports_intermediate_progress(),
            "{version}: percent while pending"
        );
        let (outcome, snapshots) = wait::<A>(
            &client,
            &id("r-1"),
            &WaitOptions::default().interval(Duration::from_millis(5)),
        );
        assert!(
            matches!(outcome, Ok(WaitOutcome::Completed(_))),
            "{version}: {outcome:?}"
        );
        assert!(!snapshots.is_empty());
        let sent: Vec<_> = server
            .requests()
            .into_iter()
            .map(|r| r.api_version)
            .collect();
        assert!(
            sent.iter().all(|v| v.as_deref() == Some(version.as_str())),
            "{version}: {sent:?}"
        );
    }
}

/// A 401 in `text/plain` (API 2026-07, and proxies in any version) is the error's message.
pub fn a_401_in_plain_text_is_the_error_message<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .jobs(1)
        .api_key(Some("the-right-key"))
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client_with::<A>(config(&server.base_url()).api_version("2026-07"));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.api().and_then(|a| a.message()),
        Some("Invalid API key.")
    );
    assert!(!err.to_string().contains(KEY));

    let server = FakeControlPlane::builder()
        .jobs(1)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    server.inject(Fault::TextUnauthorized);
    let client = client_with::<A>(config(&server.base_url()));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.api().and_then(|a| a.message()).is_some(), "{err:?}");
}

/// A version this client does not know is sent as given (the fake refuses it, naming it).
pub fn an_unknown_version_is_sent_as_given<A: Adapter>() {
    let server = FakeControlPlane::builder()
        .jobs(1)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client_with::<A>(config(&server.base_url()).api_version("2027-01"));
    let err = list_page::<A>(&client, None, None).unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("2027-01"), "{err}");
    assert_eq!(server.requests()[0].api_version.as_deref(), Some("2027-01"));
}
