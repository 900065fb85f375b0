//! How waits end, for one job and for many, decided in one place: what each end is called,
//! its exit code, the final jobs on stdout, and the lines on stderr.
//!
//! - One job: its final job on stdout (as `describe` shows it), and for any end but
//!   `Completed` one `error:` line and its code: 6 when it ended `Failed` or `Cancelled`, 7
//!   when the deadline passed first, the error's code when the wait failed.
//! - Several: the final jobs (a table, a JSON array, NDJSON lines) in the order of the ids, a
//!   line per job naming its end, a tally, and the worst end's code.

use std::time::Duration;

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{JobId, RestoreJob, WaitEnd, WaitOutcome};

use crate::args::WaitFormat;
use crate::exit::{self, Failure};
use crate::output;
use crate::stdout::{OrWriteFailure, with_stdout};

/// Which error code wins when the waits of several jobs ended in errors: the API's refusal
/// (an unknown job, no access), then an answer that cannot be accepted, then the transport;
/// from what running again is least likely to mend to what it most likely mends. The codes an
/// error cannot have here (nothing is sent with a bad argument) come last.
const ERROR_ORDER: [u8; 5] = [
    exit::API,
    exit::RESPONSE,
    exit::TRANSPORT,
    exit::USAGE,
    exit::OTHER,
];

/// How waits that were given `timeout` ended, shown with `secrets` scrubbed.
pub(crate) struct Endings<'a> {
    pub(crate) timeout: Option<Duration>,
    pub(crate) format: WaitFormat,
    pub(crate) secrets: &'a Secrets,
}

impl Endings<'_> {
    /// Reports the end of the wait on each of `ids` (one end each, in order): stdout, stderr
    /// and the exit code, as this module's docs say.
    pub(crate) fn report(&self, ids: &[JobId], ends: &[WaitEnd]) -> Result<(), Failure> {
        let finals: Vec<&RestoreJob> = ends.iter().filter_map(final_job).collect();
        if let ([id], [end]) = (ids, ends) {
            if let Some(job) = finals.first() {
                self.print_one(job)?;
            }
            return match end {
                Err(e) => Err(Failure::of(e, self.secrets)),
                Ok(_) => match self.ending(end) {
                    (exit::OK, _) => Ok(()),
                    (code, how) => Err(Failure::message(
                        code,
                        format_args!("restore job `{}` {how}", self.shown(id)),
                    )),
                },
            };
        }
        self.print_many(&finals)?;
        for (id, end) in ids.iter().zip(ends) {
            let (_, how) = self.ending(end);
            exit::eprintln_safe(&format!("restore job `{}`: {how}", self.shown(id)));
        }
        match exit_code(ends) {
            exit::OK => Ok(()),
            code => Err(Failure::message(code, self.tally(ends))),
        }
    }

    /// The exit code of one end and what it is called: `Completed`, `ended Failed`, `did not
    /// finish within 2s; last seen Pending`, or the error's line.
    fn ending(&self, end: &WaitEnd) -> (u8, String) {
        let status = |job: &RestoreJob| output::cell(job.status().as_str(), self.secrets);
        match end {
            Ok(WaitOutcome::Completed(job)) => (exit::OK, status(job)),
            Ok(WaitOutcome::Ended(job)) => (exit::JOB_ENDED, format!("ended {}", status(job))),
            Ok(WaitOutcome::DeadlinePassed(last)) => {
                let seen = match last {
                    Some(job) => format!("last seen {}", status(job)),
                    None => "never seen".to_owned(),
                };
                let within = self.waited();
                (
                    exit::DEADLINE,
                    format!("did not finish within {within}s; {seen}"),
                )
            }
            Ok(_) => (
                exit::OTHER,
                "ended in a way this version of the command does not know".to_owned(),
            ),
            // core's error is already safe to show; error_line escapes its causes
            Err(e) => (exit::code_of(e), exit::error_line(e, self.secrets)),
        }
    }

    /// The job's id as the lines show it.
    fn shown(&self, id: &JobId) -> String {
        output::cell(id.as_str(), self.secrets)
    }

    /// The timeout, in seconds, as the lines show it.
    fn waited(&self) -> f64 {
        self.timeout.unwrap_or_default().as_secs_f64()
    }

    /// One job's final snapshot on stdout, as `describe` shows it (or one NDJSON line).
    fn print_one(&self, job: &RestoreJob) -> Result<(), Failure> {
        with_stdout(|out| {
            match self.format {
                WaitFormat::Table => output::write_fields_of(out, job, self.secrets),
                WaitFormat::Json => output::write_json(out, job),
                WaitFormat::Ndjson => output::write_ndjson(out, job),
            }
            .or_write_failure()
        })
    }

    /// The final jobs of several waits on stdout, in the order of the ids.
    fn print_many(&self, finals: &[&RestoreJob]) -> Result<(), Failure> {
        with_stdout(|out| {
            match self.format {
                // no table at all rather than a header over nothing
                WaitFormat::Table if finals.is_empty() => Ok(()),
                WaitFormat::Table => {
                    let jobs: Vec<RestoreJob> = finals.iter().map(|j| (*j).clone()).collect();
                    output::write_table(out, &jobs, self.secrets)
                }
                WaitFormat::Json => output::write_json(out, &finals),
                WaitFormat::Ndjson => {
                    let mut lines = output::Ndjson::default();
                    finals.iter().try_for_each(|job| lines.item(out, *job))
                }
            }
            .or_write_failure()
        })
    }

    /// `of 3 restore jobs: 1 completed, 1 ended Failed or Cancelled, 1 did not finish within
    /// 2s`, the counts that are not zero.
    fn tally(&self, ends: &[WaitEnd]) -> String {
        let count = |f: fn(&WaitEnd) -> bool| ends.iter().filter(|e| f(e)).count();
        let parts = [
            (
                count(|e| matches!(e, Ok(WaitOutcome::Completed(_)))),
                "completed".to_owned(),
            ),
            (
                count(|e| matches!(e, Ok(WaitOutcome::Ended(_)))),
                "ended Failed or Cancelled".to_owned(),
            ),
            (
                count(|e| matches!(e, Ok(WaitOutcome::DeadlinePassed(_)))),
                format!("did not finish within {}s", self.waited()),
            ),
            (count(Result::is_err), "could not be followed".to_owned()),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        format!("of {} restore jobs: {}", ends.len(), said.join(", "))
    }
}

/// The job a wait ended with, for stdout: the finished job, or the last snapshot at the
/// deadline. None for a job never seen or whose wait ended in an error: the lines name those.
fn final_job(end: &WaitEnd) -> Option<&RestoreJob> {
    match end {
        Ok(WaitOutcome::Completed(job) | WaitOutcome::Ended(job)) => Some(job),
        Ok(WaitOutcome::DeadlinePassed(last)) => last.as_ref(),
        Ok(_) | Err(_) => None,
    }
}

/// The exit code of several waits: the worst end. An error that ended a job's wait outranks
/// every outcome (that job's state is unknown; 6 or 7 would say every job was seen to its end
/// or to the deadline), the first of [`ERROR_ORDER`] among them; else 6 if a job ended Failed
/// or Cancelled; else 7 if the deadline passed first for one; else 0.
pub(crate) fn exit_code(ends: &[WaitEnd]) -> u8 {
    let errors: Vec<u8> = ends
        .iter()
        .filter_map(|e| e.as_ref().err().map(exit::code_of))
        .collect();
    if let Some(code) = ERROR_ORDER.iter().find(|c| errors.contains(c)) {
        return *code;
    }
    let any = |f: fn(&WaitOutcome) -> bool| ends.iter().flatten().any(f);
    if any(|o| matches!(o, WaitOutcome::Ended(_))) {
        exit::JOB_ENDED
    } else if any(|o| matches!(o, WaitOutcome::DeadlinePassed(_))) {
        exit::DEADLINE
    } else if any(|o| !matches!(o, WaitOutcome::Completed(_))) {
        // an end this version does not know is not a success
        exit::OTHER
    } else {
        exit::OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::{JobStatus, Limit};

    fn job(status: JobStatus) -> RestoreJob {
        RestoreJob::new("rj", "b", "n", "i", status, None)
    }

    fn completed() -> WaitEnd {
        Ok(WaitOutcome::Completed(job(JobStatus::Completed)))
    }

    fn failed() -> WaitEnd {
        Ok(WaitOutcome::Ended(job(JobStatus::Failed)))
    }

    fn late() -> WaitEnd {
        Ok(WaitOutcome::DeadlinePassed(None))
    }

    fn api() -> WaitEnd {
        let body = br#"{"error":{"code":"NOT_FOUND","message":"no"},"status":404}"#;
        Err(pinecone_restore_core::Response {
            status: 404,
            headers: &[],
            body,
        }
        .api_error(&Secrets::none(), std::time::SystemTime::now())
        .into())
    }

    fn response() -> WaitEnd {
        Err(
            pinecone_restore_core::parse_job(b"{", &pinecone_restore_core::ApiVersion::V2025_04)
                .unwrap_err(),
        )
    }

    fn transport() -> WaitEnd {
        let kind = pinecone_restore_core::TransportKind::Connect;
        Err(pinecone_restore_core::TransportError::new(kind, None).into())
    }

    fn usage() -> WaitEnd {
        Err(Limit::new(0).unwrap_err())
    }

    #[test]
    fn the_worst_end_decides_the_exit_code() {
        for (ends, code) in [
            (vec![completed(), completed()], 0),
            (vec![completed(), late()], 7),
            (vec![late(), failed(), completed()], 6),
            (vec![failed(), response()], 4),
            (vec![late(), response(), api()], 3),
            (vec![failed(), transport()], 5),
            (vec![transport(), response()], 4),
            (vec![usage(), response()], 4),
            (vec![usage(), completed()], 2),
            (vec![], 0),
        ] {
            assert_eq!(exit_code(&ends), code, "{ends:?}");
        }
    }

    #[test]
    fn one_end_is_named_and_coded_as_its_line_says() {
        let none = Secrets::none();
        let endings = Endings {
            timeout: Some(Duration::from_millis(2500)),
            format: WaitFormat::Table,
            secrets: &none,
        };
        assert_eq!(endings.ending(&completed()), (0, "Completed".to_owned()));
        assert_eq!(endings.ending(&failed()), (6, "ended Failed".to_owned()));
        assert_eq!(
            endings.ending(&late()),
            (7, "did not finish within 2.5s; never seen".to_owned())
        );
        let (code, how) = endings.ending(&api());
        assert_eq!(code, 3);
        assert!(
            how.starts_with("error: ") && how.contains("NOT_FOUND"),
            "{how}"
        );
    }
}
