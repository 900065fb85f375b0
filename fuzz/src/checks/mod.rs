//! The bodies of the fuzz targets, as plain functions, one file per target.
//!
//! Each fuzz target in `fuzz_targets/` is one call into this module, and
//! `core/tests/fuzz_replay.rs` includes this same module with `#[path]` to replay every
//! committed corpus and regression input on stable with plain `cargo test`. It may therefore
//! depend only on `pinecone-restore-core`, `serde_json` and `arbitrary`.
//!
//! Every function panics (an assertion with a message) when a property breaks, and never
//! otherwise, whatever its input.

mod backup;
mod create_request;
mod differential;
mod error_response;
mod job;
mod list_page;
mod operations;
mod request_build;
mod schedule;
mod shape;
mod started_restore;
mod wait_rounds;
mod walk;

pub use backup::backup;
pub use create_request::{CreateInput, ProtectionInput, TextInput, create_request};
pub use differential::{SECRET, differential};
pub use error_response::{ErrorInput, error_response};
pub use job::job;
pub use list_page::list_page;
pub use operations::{
    BodyInput, JobInput, OpKind, OperationsInput, OutcomeInput, PolicyInput, Ran, RetryAfterInput,
    operations, run_operations,
};
pub use request_build::{RequestInput, request_build};
pub use schedule::schedule;
pub use shape::{MAX_BODY, ShapeInput, Sink, shape};
pub use started_restore::started_restore;
pub use wait_rounds::{FaultSpec, JobSpec, RoundsInput, RoundsRan, run_rounds, wait_rounds};
pub use walk::{PageInput, WalkInput, walk};

use std::time::{Instant, SystemTime};

use arbitrary::{Arbitrary, Unstructured};
use pinecone_restore_core::{ApiVersion, Error, Now, RestoreJob};

/// The longest error message, in characters, that may be shown to a person.
pub const MAX_ERROR_CHARS: usize = 4096;

/// Every version whose rules the parsers are checked under: the four known ones and an
/// unknown one (which follows the newest).
pub fn versions() -> Vec<ApiVersion> {
    let mut all = ApiVersion::KNOWN.to_vec();
    all.push(ApiVersion::parse("2099-01.fuzz").unwrap_or_else(|e| panic!("{e}")));
    all
}

/// An error message is safe to print: no control or format characters (a hostile server's
/// terminal escape stays inert) and bounded in length.
pub fn error_text_is_safe(e: &Error) {
    let shown = e.to_string();
    assert!(
        !shown.chars().any(pinecone_restore_core::text::needs_escape),
        "control or format character in error message {shown:?}"
    );
    let chars = shown.chars().count();
    assert!(
        chars < MAX_ERROR_CHARS,
        "error message of {chars} characters: {:?}…",
        shown.chars().take(200).collect::<String>()
    );
}

/// The invariants of every accepted job under `version`.
fn job_invariants(job: &RestoreJob, version: &ApiVersion) {
    assert!(!job.restore_job_id().is_empty(), "empty id accepted");
    if let Some(p) = job.percent_complete() {
        let p = p.get();
        assert!(
            p.is_finite() && (0.0..=100.0).contains(&p) && p.is_sign_positive(),
            "percent {p} out of range"
        );
        if !version.reports_intermediate_progress() {
            assert_eq!(p.fract(), 0.0, "{version}: a fractional percent accepted");
        }
    }
}

/// Every timestamp text of an accepted job object has RFC 3339's `T` (or `t`) between date and
/// time: checked on the body as sent, independently of the parser.
fn timestamps_have_t(job: &serde_json::Value) {
    for field in ["created_at", "completed_at"] {
        if let Some(text) = job.get(field).and_then(serde_json::Value::as_str) {
            assert!(
                matches!(text.as_bytes().get(10), Some(b'T' | b't')),
                "{field} {text:?} accepted without `T` between date and time"
            );
        }
    }
}

/// The time, for operations driven in a check.
fn now() -> Now {
    Now {
        instant: Instant::now(),
        wall: SystemTime::now(),
    }
}

/// Feeds one committed input file to the named target, decoding structured inputs as the fuzz
/// targets do. Returns `false` for an unknown target name.
pub fn replay(target: &str, data: &[u8]) -> bool {
    fn structured<'a, T: Arbitrary<'a>>(data: &'a [u8], check: fn(T)) {
        // An input too short to decode is skipped, as `fuzz_target!` skips it.
        if let Ok(input) = T::arbitrary_take_rest(Unstructured::new(data)) {
            check(input);
        }
    }
    match target {
        "list_page" => list_page(data),
        "job" => job(data),
        "error_response" => structured(data, error_response),
        "request_build" => structured(data, request_build),
        "walk" => structured(data, walk),
        "started_restore" => started_restore(data),
        "create_request" => structured(data, create_request),
        "operations" => structured(data, operations),
        "shape" => structured(data, shape),
        "differential" => differential(data),
        "backup" => backup(data),
        "wait_rounds" => structured(data, wait_rounds),
        "schedule" => schedule(data),
        _ => return false,
    }
    true
}
