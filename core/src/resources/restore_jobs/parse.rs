//! Reading restore jobs' answers: a page, a job, the answer to starting a restore.
//!
//! Each runs the fast path ([`fast`](super::fast)) first; when it cannot vouch for the body
//! (every error, a few rare forms) the reference parser (the `serde` visitors of
//! [`job`](super::job) and [`started`](super::started), on the shared machinery of
//! [`crate::parse`]) decides and words the error.

use serde::Deserializer as _;

use crate::error::Error;
use crate::parse::page::PageVisitor;
use crate::parse::run;
use crate::resources::restore_jobs::model::{ListPage, RestoreJob};
use crate::resources::restore_jobs::restore::StartedRestore;
use crate::text::Secrets;
use crate::version::{ApiVersion, Rules};

use super::fast;
use super::job::JobVisitor;
use super::started::StartedVisitor;

/// Parses the body of a `200` answer to `GET /restore-jobs`, by the rules of `version`.
///
/// Operations ([`Call`](crate::Call), [`Walk`](crate::Walk), …) parse with the configured
/// version and also refuse a body that sends the API key back; this function knows no key.
///
/// # Errors
///
/// [`Error::InvalidResponse`] naming where and what, for anything that breaks the rules: not
/// JSON, trailing bytes, duplicate keys, a missing or mistyped required key, a timestamp that is
/// not RFC 3339, a `percent_complete` outside `0..=100` (or not whole, from 2026-07), an empty
/// `restore_job_id`, a pagination token over [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, parse_list_page};
///
/// let page = parse_list_page(br#"{"data": [], "pagination": {"next": "dG9r"}}"#, &ApiVersion::V2025_04)?;
/// assert!(page.jobs.is_empty());
/// assert_eq!(page.next.as_ref().map(|t| t.as_str()), Some("dG9r"));
///
/// let err = parse_list_page(br#"{"data": [{"restore_job_id": 5}]}"#, &ApiVersion::V2025_04)
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid response: data[0].restore_job_id: expected a string, found `5`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_list_page(body: &[u8], version: &ApiVersion) -> Result<ListPage, Error> {
    list_page(body, version.rules(), &Secrets::none())
}

/// Parses the body of a `200` answer to `GET /restore-jobs/{id}`, by the rules of `version`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for [`parse_list_page`], with paths relative to the job.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, JobStatus, parse_job};
///
/// let body = br#"{"restore_job_id": "r", "backup_id": "b",
///     "target_index_name": "n", "target_index_id": "i", "status": "Pending",
///     "created_at": "2025-02-04T13:00:00.123+01:00", "percent_complete": 42.5}"#;
/// let job = parse_job(body, &ApiVersion::V2025_04)?;
/// assert_eq!(job.status(), &JobStatus::Pending);
/// // 2026-07 reports whole percentages only
/// let err = parse_job(body, &ApiVersion::V2026_07).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid response: percent_complete: expected an integer in 0..=100, found `42.5`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_job(body: &[u8], version: &ApiVersion) -> Result<RestoreJob, Error> {
    job(body, version.rules(), &Secrets::none())
}

/// Parses the body of a `202` answer to `POST /backups/{backup_id}/create-index`: both ids
/// required and non-empty, unknown keys ignored.
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for [`parse_list_page`].
///
/// ```
/// use pinecone_restore_core::parse_started_restore;
///
/// let started = parse_started_restore(br#"{"restore_job_id": "rj-1", "index_id": "ix-1"}"#)?;
/// assert_eq!((started.restore_job_id(), started.index_id()), ("rj-1", "ix-1"));
/// assert!(parse_started_restore(br#"{"restore_job_id": "rj-1"}"#).is_err());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_started_restore(body: &[u8]) -> Result<StartedRestore, Error> {
    started_restore(body, &Secrets::none())
}

// Each parser runs the fast path ([`fast`]) first; when it cannot vouch for the body (every
// error, a few rare forms) the reference parser (`serde` visitors) decides and words the error.

pub(crate) fn list_page(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<ListPage, Error> {
    match std::str::from_utf8(body)
        .ok()
        .and_then(|text| fast::list_page(text, rules, secrets))
    {
        Some(page) => Ok(page),
        None => reference::list_page(body, rules, secrets),
    }
}

pub(crate) fn job(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<RestoreJob, Error> {
    match std::str::from_utf8(body)
        .ok()
        .and_then(|text| fast::job(text, rules, secrets))
    {
        Some(job) => Ok(job),
        None => reference::job(body, rules, secrets),
    }
}

pub(crate) fn started_restore(body: &[u8], secrets: &Secrets) -> Result<StartedRestore, Error> {
    match std::str::from_utf8(body)
        .ok()
        .and_then(|text| fast::started_restore(text, secrets))
    {
        Some(started) => Ok(started),
        None => reference::started_restore(body, secrets),
    }
}

/// The two parsers apart, for the differential fuzz target and the benches: not part of the
/// API (hidden, unstable).
#[doc(hidden)]
pub mod differential {
    use super::*;
    use crate::parse::error_body::{self, parse_error_body};
    use crate::parse::scan;

    /// The fast path alone: `None` where it defers to the reference.
    pub fn fast_list_page(
        body: &[u8],
        version: &ApiVersion,
        secrets: &Secrets,
    ) -> Option<ListPage> {
        fast::list_page(std::str::from_utf8(body).ok()?, version.rules(), secrets)
    }

    /// A job's reading of the timestamp string at the start of `text` (its opening quote):
    /// read in place as a job's reading does (`in_place`), or first scanned as a string and
    /// then parsed, the path the in-place reader saves. The value and the bytes taken, or
    /// `None` where the fast path defers.
    pub fn scan_timestamp(text: &str, in_place: bool) -> Option<(time::OffsetDateTime, usize)> {
        fast::timestamp(text, in_place)
    }

    /// The fast path alone, for one job.
    pub fn fast_job(body: &[u8], version: &ApiVersion, secrets: &Secrets) -> Option<RestoreJob> {
        fast::job(std::str::from_utf8(body).ok()?, version.rules(), secrets)
    }

    /// The fast path alone, for the answer to starting a restore.
    pub fn fast_started_restore(body: &[u8], secrets: &Secrets) -> Option<StartedRestore> {
        fast::started_restore(std::str::from_utf8(body).ok()?, secrets)
    }

    /// What an error body says: its code, message and details, or `None` when it is not an
    /// error object.
    pub type ErrorReading = Option<(Option<String>, Option<String>, Option<serde_json::Value>)>;

    fn reading(body: Option<error_body::ErrorBody>) -> ErrorReading {
        body.map(|b| (b.code, b.message, b.details))
    }

    /// The error body's reading of the body as the fast path cuts it down; `None` where the
    /// whole body is read instead.
    pub fn fast_error_body(body: &[u8]) -> Option<ErrorReading> {
        let kept = scan::error_members(std::str::from_utf8(body).ok()?)?;
        Some(reading(error_body::reference(kept.as_bytes())))
    }

    /// The error body's reading of the whole body by `serde_json`.
    pub fn reference_error_body(body: &[u8]) -> ErrorReading {
        reading(error_body::reference(body))
    }

    /// The error body's reading as responses use it (cut down when large).
    pub fn error_body(body: &[u8]) -> ErrorReading {
        reading(parse_error_body(body))
    }

    /// The reference parser alone.
    ///
    /// # Errors
    ///
    /// As [`parse_list_page`](crate::parse_list_page).
    pub fn reference_list_page(
        body: &[u8],
        version: &ApiVersion,
        secrets: &Secrets,
    ) -> Result<ListPage, Error> {
        reference::list_page(body, version.rules(), secrets)
    }

    /// The reference parser alone, for one job.
    ///
    /// # Errors
    ///
    /// As [`parse_job`](crate::parse_job).
    pub fn reference_job(
        body: &[u8],
        version: &ApiVersion,
        secrets: &Secrets,
    ) -> Result<RestoreJob, Error> {
        reference::job(body, version.rules(), secrets)
    }

    /// The reference parser alone, for the answer to starting a restore.
    ///
    /// # Errors
    ///
    /// As [`parse_started_restore`](crate::parse_started_restore).
    pub fn reference_started_restore(
        body: &[u8],
        secrets: &Secrets,
    ) -> Result<StartedRestore, Error> {
        reference::started_restore(body, secrets)
    }

    /// The operations' parsers (fast path, then the reference), with secrets.
    ///
    /// # Errors
    ///
    /// As [`parse_list_page`](crate::parse_list_page).
    pub fn list_page(
        body: &[u8],
        version: &ApiVersion,
        secrets: &Secrets,
    ) -> Result<ListPage, Error> {
        super::list_page(body, version.rules(), secrets)
    }

    /// As [`list_page`], for one job.
    ///
    /// # Errors
    ///
    /// As [`parse_job`](crate::parse_job).
    pub fn job(body: &[u8], version: &ApiVersion, secrets: &Secrets) -> Result<RestoreJob, Error> {
        super::job(body, version.rules(), secrets)
    }

    /// As [`list_page`], for the answer to starting a restore.
    ///
    /// # Errors
    ///
    /// As [`parse_started_restore`](crate::parse_started_restore).
    pub fn started_restore(body: &[u8], secrets: &Secrets) -> Result<StartedRestore, Error> {
        super::started_restore(body, secrets)
    }
}

/// The reference parser: `serde_json` driven by hand-written visitors. It decides every body
/// the fast path defers, and words every error.
mod reference {
    use super::*;

    pub(super) fn list_page(
        body: &[u8],
        rules: &'static Rules,
        secrets: &Secrets,
    ) -> Result<ListPage, Error> {
        run(body, rules, secrets, |d, scope| {
            let (jobs, next) = d.deserialize_map(PageVisitor::new(scope))?;
            Ok(ListPage { jobs, next })
        })
    }

    pub(super) fn job(
        body: &[u8],
        rules: &'static Rules,
        secrets: &Secrets,
    ) -> Result<RestoreJob, Error> {
        run(body, rules, secrets, |d, scope| {
            d.deserialize_map(JobVisitor { scope })
        })
    }

    pub(super) fn started_restore(body: &[u8], secrets: &Secrets) -> Result<StartedRestore, Error> {
        // the answer has no version-dependent part
        let rules = crate::version::ApiVersion::DEFAULT.rules();
        run(body, rules, secrets, |d, scope| {
            d.deserialize_map(StartedVisitor { scope })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InvalidResponseKind;
    use crate::resources::restore_jobs::model::{JobStatus, Percent};

    fn parse_list_page(body: &[u8]) -> Result<ListPage, Error> {
        super::parse_list_page(body, &ApiVersion::V2025_04)
    }

    fn parse_job(body: &[u8]) -> Result<RestoreJob, Error> {
        super::parse_job(body, &ApiVersion::V2025_04)
    }

    const JOB: &str = r#"{"restore_job_id":"r1","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-03-15T10:30:00.000Z","completed_at":"2024-03-15T10:35:00Z","percent_complete":100}"#;

    fn page_with(job: &str) -> String {
        format!(r#"{{"data":[{JOB},{job}],"pagination":null}}"#)
    }

    fn err(body: &str) -> String {
        parse_list_page(body.as_bytes()).unwrap_err().to_string()
    }

    fn with(field: &str, value: &str) -> String {
        let mut job: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(JOB).unwrap();
        let raw = format!(r#"{{"restore_job_id":"r2","{field}":{value}}}"#);
        let over: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&raw).unwrap();
        job.extend(over);
        page_with(&serde_json::to_string(&job).unwrap())
    }

    fn without(field: &str) -> String {
        let mut job: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(JOB).unwrap();
        job.remove(field);
        page_with(&serde_json::to_string(&job).unwrap())
    }

    #[test]
    fn full_job_parses() {
        let page = parse_list_page(page_with(JOB).as_bytes()).unwrap();
        assert_eq!(page.jobs.len(), 2);
        let job = &page.jobs[0];
        assert_eq!(job.restore_job_id(), "r1");
        assert_eq!(job.status(), &JobStatus::Completed);
        assert_eq!(job.percent_complete().map(Percent::get), Some(100.0));
        assert!(job.completed_at().is_some());
        assert_eq!(page.next, None);
    }

    #[test]
    fn errors_say_where_and_what() {
        let cases = [
            (
                with("percent_complete", "100.5"),
                "data[1].percent_complete: expected a number in 0..=100, found `100.5`",
            ),
            (
                with("percent_complete", "-1"),
                "data[1].percent_complete: expected a number in 0..=100, found `-1`",
            ),
            (
                with("percent_complete", r#""42""#),
                r#"data[1].percent_complete: expected a number in 0..=100, found `"42"`"#,
            ),
            (
                with("created_at", r#""2024-03-15 10:30:00""#),
                r#"data[1].created_at: expected an RFC 3339 timestamp, found `"2024-03-15 10:30:00"`"#,
            ),
            (
                with("created_at", "1710498600"),
                "data[1].created_at: expected an RFC 3339 timestamp or null, found `1710498600`",
            ),
            (
                with("completed_at", r#""2024-03-15T10:30:00""#),
                r#"data[1].completed_at: expected an RFC 3339 timestamp, found `"2024-03-15T10:30:00"`"#,
            ),
            (
                with("status", "null"),
                "data[1].status: expected a string, found `null`",
            ),
            (
                with("backup_id", "[1]"),
                "data[1].backup_id: expected a string, found an array",
            ),
            (
                with("restore_job_id", r#""""#),
                r#"data[1].restore_job_id: expected a non-empty string, found `""`"#,
            ),
            (
                without("target_index_id"),
                "data[1]: expected key `target_index_id`, found none",
            ),
            (
                without("created_at"),
                "data[1]: expected key `created_at`, found none",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(err(&body), format!("invalid response: {expected}"));
        }
    }

    #[test]
    fn optional_fields_and_null_created_at() {
        let page = parse_list_page(with("created_at", "null").as_bytes()).unwrap();
        assert_eq!(page.jobs[1].created_at(), None);
        for field in ["completed_at", "percent_complete"] {
            let page = parse_list_page(without(field).as_bytes()).unwrap();
            assert_eq!(page.jobs.len(), 2);
            let page = parse_list_page(with(field, "null").as_bytes()).unwrap();
            assert_eq!(page.jobs.len(), 2);
        }
    }

    #[test]
    fn unknown_status_and_keys_are_kept_or_ignored() {
        let page = parse_list_page(with("status", r#""Paused""#).as_bytes()).unwrap();
        assert_eq!(page.jobs[1].status(), &JobStatus::Other("Paused".into()));
        let page = parse_list_page(with("new_field", r#"{"a":[1,{"b":2}]}"#).as_bytes()).unwrap();
        assert_eq!(page.jobs.len(), 2);
    }

    #[test]
    fn duplicate_keys_rejected() {
        let dup = JOB.replacen(
            r#""backup_id":"b""#,
            r#""backup_id":"b","backup_id":"c""#,
            1,
        );
        assert_eq!(
            err(&page_with(&dup)),
            "invalid response: data[1].backup_id: expected each key once, found `backup_id` again"
        );
        let dup_unknown = JOB.replacen('{', r#"{"x":1,"x":2,"#, 1);
        assert_eq!(
            err(&page_with(&dup_unknown)),
            "invalid response: data[1].x: expected each key once, found `x` again"
        );
        assert_eq!(
            err(r#"{"data":[],"data":[]}"#),
            "invalid response: data: expected each key once, found `data` again"
        );
        assert!(
            err(r#"{"data":[],"pagination":{"next":"a","next":"b"}}"#).contains("`next` again")
        );
    }

    #[test]
    fn pagination_forms() {
        let next = |p: &str| {
            parse_list_page(format!(r#"{{"data":[]{p}}}"#).as_bytes())
                .unwrap()
                .next
                .map(|t| t.as_str().to_owned())
        };
        assert_eq!(next(""), None);
        assert_eq!(next(r#","pagination":null"#), None);
        assert_eq!(next(r#","pagination":{}"#), None);
        assert_eq!(next(r#","pagination":{"next":null}"#), None);
        assert_eq!(next(r#","pagination":{"next":""}"#), None);
        assert_eq!(
            next(r#","pagination":{"next":"a+/="}"#),
            Some("a+/=".into())
        );
        assert_eq!(
            next(r#","pagination":{"next":"a\u002b"}"#),
            Some("a+".into())
        );
        assert!(err(r#"{"data":[],"pagination":"x"}"#).starts_with(
            r#"invalid response: pagination: expected an object or null, found string "x""#
        ));
        let long = format!(
            r#"{{"data":[],"pagination":{{"next":"{}"}}}}"#,
            "t".repeat(3000)
        );
        assert_eq!(
            err(&long),
            "invalid response: pagination.next: expected a token of at most 2048 bytes, found one \
             of 3000 bytes"
        );
        assert_eq!(
            err(r#"{"data":[],"pagination":{"next":5}}"#),
            "invalid response: pagination.next: expected a string or null, found `5`"
        );
    }

    #[test]
    fn malformed_bodies() {
        assert_eq!(
            err(""),
            "invalid response: expected a JSON object, found an empty body"
        );
        assert_eq!(
            err("  \n"),
            "invalid response: expected a JSON object, found an empty body"
        );
        assert!(err(r#"{"data":[]} x"#).contains("expected nothing after the JSON value"));
        assert!(err(r#"{"data":[]}{}"#).contains("expected nothing after the JSON value"));
        assert!(
            err("[]").starts_with("invalid response: expected a JSON object with `data`, found")
        );
        assert_eq!(
            err("{}"),
            "invalid response: expected key `data`, found none"
        );
        assert!(
            err(r#"{"data":{}}"#)
                .starts_with("invalid response: data: expected an array of restore jobs")
        );
        assert!(
            err(r#"{"data":[1]}"#)
                .starts_with("invalid response: data[0]: expected a restore job object")
        );
        assert!(err(r#"{"data":[{"status":"#).starts_with("invalid response: data[0].status: EOF"));
        assert!(
            err(r#"{"data":[{"percent_complete":1e999}]}"#)
                .starts_with("invalid response: data[0].percent_complete: number out of range")
        );
        assert!(err("\u{feff}{}").starts_with("invalid response: expected value"));
        assert_eq!(
            parse_list_page(b"{\"data\":[\"\xff\"]}")
                .unwrap_err()
                .to_string(),
            "invalid response: expected UTF-8 JSON, found an invalid byte at offset 10"
        );
        // Deep nesting in ignored values is skipped without recursion; in known ones it is a
        // type error; neither can exhaust the stack.
        let deep = format!(
            r#"{{"data":[],"x":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(parse_list_page(deep.as_bytes()).is_ok());
        let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep = page_with(&JOB.replace(
            r#""percent_complete":100"#,
            &format!(r#""percent_complete":{nested}"#),
        ));
        assert_eq!(
            err(&deep),
            "invalid response: data[1].percent_complete: expected a number in 0..=100, found an array"
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(err(&deep).starts_with("invalid response: expected a JSON object with `data`"));
    }

    #[test]
    fn server_text_in_messages_is_escaped_and_bounded() {
        let dup = format!(r#"{{"data":[],"{k}":1,"{k}":2}}"#, k = r"\u001b]0;x\u0007");
        let e = err(&dup);
        assert!(!e.chars().any(char::is_control), "{e:?}");
        assert!(e.contains(r"\u{1b}]0;x\u{7}"), "{e}");
        let long_key = "k".repeat(5000);
        let e = err(&format!(r#"{{"data":[],"{long_key}":1,"{long_key}":2}}"#));
        assert!(e.len() < 300, "{} characters", e.len());
        let e = err(&format!(r#"{{"data":[],"{}":}}"#, r"\u007f"));
        assert!(!e.chars().any(char::is_control), "{e:?}");
        let e = err(&format!(
            r#"{{"data":[],"pagination":"{}"}}"#,
            "x".repeat(5000)
        ));
        assert!(e.len() < 300, "{} characters", e.len());
    }

    #[test]
    fn kinds() {
        let kind = |body: &str| match parse_list_page(body.as_bytes()).unwrap_err() {
            Error::InvalidResponse(e) => e.kind(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            kind(&with("percent_complete", "101")),
            InvalidResponseKind::InvalidValue
        );
        assert_eq!(
            kind(&with("percent_complete", "true")),
            InvalidResponseKind::Malformed
        );
        assert_eq!(kind("{"), InvalidResponseKind::Malformed);
    }

    #[test]
    fn single_job() {
        let job = parse_job(JOB.as_bytes()).unwrap();
        assert_eq!(job.restore_job_id(), "r1");
        let e = parse_job(br#"{"restore_job_id":"r"}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "invalid response: expected key `backup_id`, found none");
        let e = parse_job(JOB.replace("100", "100.25").as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "invalid response: percent_complete: expected a number in 0..=100, found `100.25`"
        );
    }

    #[test]
    fn rules_follow_the_version() {
        let body = |percent: &str| {
            format!(
                r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Pending","created_at":null,"completed_at":null{percent}}}"#
            )
        };
        for v in [
            ApiVersion::V2025_04,
            ApiVersion::V2025_10,
            ApiVersion::V2026_04,
        ] {
            let job = super::parse_job(body(r#","percent_complete":42.5"#).as_bytes(), &v).unwrap();
            assert_eq!(job.percent_complete().map(Percent::get), Some(42.5), "{v}");
        }
        let later = ApiVersion::parse("2027-01").unwrap();
        for v in [ApiVersion::V2026_07, later] {
            let e = super::parse_job(body(r#","percent_complete":42.5"#).as_bytes(), &v)
                .unwrap_err()
                .to_string();
            assert_eq!(
                e,
                "invalid response: percent_complete: expected an integer in 0..=100, found `42.5`"
            );
            for whole in ["100", "0", "42.0", "-0"] {
                let b = body(&format!(r#","percent_complete":{whole}"#));
                assert!(super::parse_job(b.as_bytes(), &v).is_ok(), "{whole}");
            }
            for bad in ["101", "-1", "100.5"] {
                let b = body(&format!(r#","percent_complete":{bad}"#));
                assert!(super::parse_job(b.as_bytes(), &v).is_err(), "{bad}");
            }
        }
        for v in ApiVersion::KNOWN {
            let job = super::parse_job(body("").as_bytes(), &v).unwrap();
            assert_eq!(job.percent_complete(), None, "absent is fine in {v}");
            assert_eq!(job.completed_at(), None);
        }
    }

    #[test]
    fn minus_zero_reads_as_zero() {
        let job = parse_job(JOB.replace("100", "-0").as_bytes()).unwrap();
        assert_eq!(
            job.percent_complete().map(|p| p.to_string()).as_deref(),
            Some("0")
        );
        let job = parse_job(JOB.replace("100", "-0.0").as_bytes()).unwrap();
        assert!(job.percent_complete().unwrap().get().is_sign_positive());
    }

    #[test]
    fn a_secret_sent_back_is_refused_wherever_it_is() {
        const KEY: &str = "pcsk_TOPSECRET_0123456789";
        let secrets = Secrets::of([KEY]);
        let rules = ApiVersion::V2025_04.rules();
        let job_with = |field: &str, value: &str| {
            let mut job: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(JOB).unwrap();
            job.insert(field.to_owned(), value.into());
            serde_json::to_string(&job).unwrap()
        };
        for field in [
            "restore_job_id",
            "backup_id",
            "target_index_name",
            "target_index_id",
            "status",
        ] {
            for value in [KEY.to_owned(), format!("x-{KEY}-y")] {
                let e =
                    super::job(job_with(field, &value).as_bytes(), rules, &secrets).unwrap_err();
                let shown = format!("{e} {e:?}");
                assert!(!shown.contains(KEY), "{shown}");
                assert!(shown.contains(field), "{shown}");
                assert_eq!(
                    e.invalid_response_kind(),
                    Some(InvalidResponseKind::InvalidValue)
                );
            }
        }
        // escaped in the JSON, so the raw body does not show it
        let escaped = JOB.replace(r#""b""#, r#""pcsk_TOPSECRET_\u0030123456789""#);
        assert!(super::job(escaped.as_bytes(), rules, &secrets).is_err());
        // as a token
        let page = format!(r#"{{"data":[],"pagination":{{"next":"{KEY}"}}}}"#);
        let e = super::list_page(page.as_bytes(), rules, &secrets).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid response: pagination.next: "),
            "{e}"
        );
        assert!(!e.to_string().contains(KEY));
        // quoted in a message: scrubbed
        let e = super::job(job_with("created_at", KEY).as_bytes(), rules, &secrets).unwrap_err();
        assert!(!e.to_string().contains(KEY), "{e}");
        assert!(e.to_string().contains("<redacted>"), "{e}");
        let e = super::list_page(format!(r#"{{"data":"{KEY}"}}"#).as_bytes(), rules, &secrets)
            .unwrap_err();
        assert!(!e.to_string().contains(KEY), "{e}");
        let e = super::list_page(
            format!(r#"{{"data":[],"{KEY}":1,"{KEY}":2}}"#).as_bytes(),
            rules,
            &secrets,
        )
        .unwrap_err();
        assert!(!e.to_string().contains(KEY), "{e}");
        // without secrets nothing is refused
        assert!(
            super::job(
                job_with("backup_id", KEY).as_bytes(),
                rules,
                &Secrets::none()
            )
            .is_ok()
        );
    }

    /// `JOB` with `field` written as `value`, raw (which may be anything), on a page.
    fn raw(field: &str, value: &str) -> String {
        let old = [
            r#""percent_complete":100"#,
            r#""created_at":"2024-03-15T10:30:00.000Z""#,
            r#""status":"Completed""#,
            r#""backup_id":"b""#,
            r#""target_index_name":"n""#,
        ];
        let job = match old.iter().find(|o| o.starts_with(&format!("\"{field}\":"))) {
            Some(o) => JOB.replacen(o, &format!(r#""{field}":{value}"#), 1),
            None => format!(r#"{},"{field}":{value}}}"#, &JOB[..JOB.len() - 1]),
        };
        page_with(&job)
    }

    #[test]
    fn the_fast_path_takes_the_common_forms() {
        let rules = ApiVersion::V2025_04.rules();
        let none = Secrets::none();
        let page = page_with(JOB);
        assert!(fast::list_page(&page, rules, &none).is_some());
        let spaced = "\r\n { \"data\" : [ ] , \"pagination\" : { \"next\" : \"dG9r\" } }\t";
        assert!(fast::list_page(spaced, rules, &none).is_some());
        assert!(fast::job(JOB, rules, &none).is_some());
        let started = r#"{"restore_job_id":"r","index_id":"i","x":[1,{"y":null}]}"#;
        assert!(fast::started_restore(started, &none).is_some());
        // a decoded string, an unknown key with an ignored nested value
        let escaped = raw("target_index_name", r#""n\u00e9\ud83d\ude00\t\"""#);
        assert!(fast::list_page(&escaped, rules, &none).is_some());
        let ignored = raw(
            "extra",
            r#"{"a":[1.5e3,-0,true,false,null,"\ud800",{}],"b":[]}"#,
        );
        assert!(fast::list_page(&ignored, rules, &none).is_some());
    }

    /// Every body here goes to both parsers: what the fast path accepts, the reference accepts
    /// as the same value; the parser in use answers as the reference.
    #[test]
    fn the_fast_path_agrees_with_the_reference() {
        let bodies = [
            page_with(JOB),
            raw("percent_complete", "42.5"),
            raw("percent_complete", "0.000000000000001"),
            raw("percent_complete", "99.99999999999999"),
            raw("percent_complete", "100.0000000000000001"),
            raw("percent_complete", "1e2"),
            raw("percent_complete", "-0"),
            raw("percent_complete", "-0.0"),
            raw("percent_complete", "00"),
            raw("percent_complete", "01"),
            raw("percent_complete", "1."),
            raw("percent_complete", "100.01"),
            raw("percent_complete", "42.0"),
            raw("created_at", r#""2024-03-15 10:30:00Z""#),
            raw("created_at", r#""2016-12-31T23:59:60Z""#),
            raw("status", r#""\u0050ending""#),
            raw("backup_id", r#""\ud800""#),
            raw("backup_id", r#""\udc00\ud800""#),
            raw("backup_id", r#""\ud83d\u0041""#),
            raw("backup_id", "\"\u{1}\""),
            raw("backup_id", r#""a\x""#),
            raw("extra", r#""\ud800""#),
            raw("extra", r#""\uZZZZ""#),
            raw("extra", "01"),
            raw("extra", "[1,]"),
            raw("extra", r#"{"a":1,}"#),
            raw("extra", r#"{"a" 1}"#),
            raw("extra", "nul"),
            raw("extra", "-"),
            raw("extra", "[[[[[]]]]]"),
            JOB.replacen('{', r#"{"x":1,"x":2,"#, 1),
            JOB.replacen('{', r#"{"\u0078":1,"x":2,"#, 1),
            JOB.replacen('{', r#"{"x":1,"y":2,"#, 1),
            // a known key without its opening quote (found by the differential target)
            JOB.replacen(r#","status""#, "\u{19}status\"", 1),
            JOB.replacen(r#","status""#, r#",status""#, 1),
            JOB.replacen(r#"{"restore_job_id""#, r#"{restore_job_id""#, 1),
            r#"{"data":[],"pagination":{"next":""}}"#.to_owned(),
            r#"{"data":[],"pagination":{"next":"a","next":"b"}}"#.to_owned(),
            r#"{"data":[],"pagination":{"next":null,"x":1,"x":1}}"#.to_owned(),
            r#"{"data":[],"data":[]}"#.to_owned(),
            r#"{"pagination":null}"#.to_owned(),
            r#"{"data":[]} x"#.to_owned(),
            r#"{"data":[],}"#.to_owned(),
            r#"{"data":[1]}"#.to_owned(),
            r#"{"data":[{}]}"#.to_owned(),
            "{\"data\":[],\"pagination\":{\"next\":\"\u{1}\"}}".to_owned(),
            format!(
                r#"{{"data":[],"pagination":{{"next":"{}"}}}}"#,
                "t".repeat(2049)
            ),
            format!(
                r#"{{"data":[],"pagination":{{"next":"{}"}}}}"#,
                "t".repeat(2048)
            ),
            String::new(),
            "{".to_owned(),
        ];
        for version in ApiVersion::KNOWN {
            let rules = version.rules();
            for secrets in [Secrets::none(), Secrets::of(["aGVsbG8gd29y"])] {
                for body in &bodies {
                    let reference = reference::list_page(body.as_bytes(), rules, &secrets);
                    if let Some(fast) = fast::list_page(body, rules, &secrets) {
                        assert_eq!(Ok(&fast), reference.as_ref(), "{version}: {body}");
                    }
                    assert_eq!(
                        super::list_page(body.as_bytes(), rules, &secrets),
                        reference
                    );
                    let job = body
                        .strip_prefix(r#"{"data":["#)
                        .and_then(|b| b.strip_suffix(r#"],"pagination":null}"#))
                        .and_then(|b| b.get(JOB.len() + 1..))
                        .unwrap_or(body);
                    let reference = reference::job(job.as_bytes(), rules, &secrets);
                    if let Some(fast) = fast::job(job, rules, &secrets) {
                        assert_eq!(Ok(&fast), reference.as_ref(), "{version}: {job}");
                    }
                    assert_eq!(super::job(job.as_bytes(), rules, &secrets), reference);
                }
            }
        }
    }

    #[test]
    fn started_restore() {
        let ok =
            parse_started_restore(br#"{"index_id":"i","restore_job_id":"r","extra":[1]}"#).unwrap();
        assert_eq!(
            (ok.restore_job_id(), ok.index_id(), ok.recovered()),
            ("r", "i", false)
        );
        for (body, message) in [
            (
                r#"{"index_id":"i"}"#,
                "expected key `restore_job_id`, found none",
            ),
            (
                r#"{"restore_job_id":"r","index_id":""}"#,
                "index_id: expected a non-empty string, found `\"\"`",
            ),
            (
                r#"{"restore_job_id":5,"index_id":"i"}"#,
                "restore_job_id: expected a non-empty string, found `5`",
            ),
            (
                r#"{"restore_job_id":"r","index_id":"i","index_id":"j"}"#,
                "index_id: expected each key once, found `index_id` again",
            ),
            ("", "expected a JSON object, found an empty body"),
        ] {
            let e = parse_started_restore(body.as_bytes())
                .unwrap_err()
                .to_string();
            assert_eq!(e, format!("invalid response: {message}"), "{body}");
        }
    }
}
