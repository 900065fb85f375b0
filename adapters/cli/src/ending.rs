//! How waits end (on restore jobs, on backups), for one and for many, decided in one place:
//! what each end is called, its exit code, the final snapshots on stdout, and the lines on
//! stderr.
//!
//! - One: its final snapshot on stdout (as `describe` shows it), and for any end but settling
//!   well (a job `Completed`, a backup `Ready`) one `error:` line and its code: 6 when it
//!   ended otherwise (`Failed`, `Cancelled`, `InitializationFailed`), 7 when the deadline
//!   passed first, the error's code when the wait failed.
//! - Several: the final snapshots (a table, a JSON array, NDJSON lines) in the order of the
//!   ids, a line per id naming its end, a tally, and the worst end's code.

use std::time::Duration;

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{WaitEnd, WaitOutcome};

use crate::args::WaitFormat;
use crate::exit::{self, Failure};
use crate::output::{self, Fields, Render};
use crate::stdout::{OrWriteFailure, with_stdout};
use crate::waited::Waited;

/// How waits that were given `timeout` ended, shown with `secrets` scrubbed.
pub(crate) struct Endings<'a> {
    pub(crate) timeout: Option<Duration>,
    pub(crate) format: WaitFormat,
    pub(crate) secrets: &'a Secrets,
}

impl Endings<'_> {
    /// Reports the end of the wait on each of `ids` (one end each, in order): stdout, stderr
    /// and the exit code, as this module's docs say.
    pub(crate) fn report<W: Waited>(
        &self,
        ids: &[W::Id],
        ends: &[WaitEnd<W::Item>],
    ) -> Result<(), Failure> {
        let finals: Vec<&W::Item> = ends.iter().filter_map(final_snapshot).collect();
        if let ([id], [end]) = (ids, ends) {
            if let Some(item) = finals.first() {
                self.print_one(*item)?;
            }
            return match end {
                Err(e) => Err(Failure::of(e, self.secrets)),
                Ok(_) => match self.ending::<W>(end) {
                    (exit::OK, _) => Ok(()),
                    (code, how) => Err(Failure::message(
                        code,
                        format_args!("{} `{}` {how}", W::WHAT, self.shown::<W>(id)),
                    )),
                },
            };
        }
        self.print_many(&finals)?;
        for (id, end) in ids.iter().zip(ends) {
            let (_, how) = self.ending::<W>(end);
            exit::eprintln_safe(&format!("{} `{}`: {how}", W::WHAT, self.shown::<W>(id)));
        }
        match exit_code(ends) {
            exit::OK => Ok(()),
            code => Err(Failure::message(code, self.tally::<W>(ends))),
        }
    }

    /// The exit code of one end and what it is called: `Completed`, `ended Failed`, `did not
    /// finish within 2s; last seen Pending`, or the error's line.
    fn ending<W: Waited>(&self, end: &WaitEnd<W::Item>) -> (u8, String) {
        let status = |item: &W::Item| output::cell(W::status_text(item), self.secrets);
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

    /// An id as the lines show it.
    fn shown<W: Waited>(&self, id: &W::Id) -> String {
        output::cell(W::id_text(id), self.secrets)
    }

    /// The timeout, in seconds, as the lines show it.
    fn waited(&self) -> f64 {
        self.timeout.unwrap_or_default().as_secs_f64()
    }

    /// One final snapshot on stdout, as `describe` shows it (or one NDJSON line).
    fn print_one(&self, item: &(impl Render + Fields)) -> Result<(), Failure> {
        with_stdout(|out| {
            match self.format {
                WaitFormat::Table => output::write_fields_of(out, item, self.secrets),
                WaitFormat::Json => output::write_json(out, item),
                WaitFormat::Ndjson => output::write_ndjson(out, item),
            }
            .or_write_failure()
        })
    }

    /// The final snapshots of several waits on stdout, in the order of the ids.
    fn print_many<T: Render + Fields + Clone>(&self, finals: &[&T]) -> Result<(), Failure> {
        with_stdout(|out| {
            match self.format {
                // no table at all rather than a header over nothing
                WaitFormat::Table if finals.is_empty() => Ok(()),
                WaitFormat::Table => {
                    let items: Vec<T> = finals.iter().map(|i| (*i).clone()).collect();
                    output::write_table(out, &items, self.secrets)
                }
                WaitFormat::Json => output::write_json(out, &finals),
                WaitFormat::Ndjson => {
                    let mut lines = output::Ndjson::default();
                    finals.iter().try_for_each(|item| lines.item(out, *item))
                }
            }
            .or_write_failure()
        })
    }

    /// `of 3 restore jobs: 1 completed, 1 ended Failed or Cancelled, 1 did not finish within
    /// 2s`, the counts that are not zero.
    fn tally<W: Waited>(&self, ends: &[WaitEnd<W::Item>]) -> String {
        let count = |f: fn(&WaitEnd<W::Item>) -> bool| ends.iter().filter(|e| f(e)).count();
        let parts = [
            (
                count(|e| matches!(e, Ok(WaitOutcome::Completed(_)))),
                W::DONE.to_owned(),
            ),
            (
                count(|e| matches!(e, Ok(WaitOutcome::Ended(_)))),
                W::ENDED.to_owned(),
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
        format!("of {} {}s: {}", ends.len(), W::WHAT, said.join(", "))
    }
}

/// What a wait ended with, for stdout: the settled snapshot, or the last one at the deadline.
/// None for one never seen or whose wait ended in an error: the lines name those.
fn final_snapshot<T>(end: &WaitEnd<T>) -> Option<&T> {
    match end {
        Ok(WaitOutcome::Completed(job) | WaitOutcome::Ended(job)) => Some(job),
        Ok(WaitOutcome::DeadlinePassed(last)) => last.as_ref(),
        Ok(_) | Err(_) => None,
    }
}

/// The exit code of several waits: the worst end. An error that ended a wait outranks every
/// outcome (that one's state is unknown; 6 or 7 would say every one was seen to its end or to
/// the deadline), the worst of them ([`exit::worst`]); else 6 if one ended otherwise than
/// well (a job Failed or Cancelled, a backup failed); else 7 if the deadline passed first for
/// one; else 0.
pub(crate) fn exit_code<T>(ends: &[WaitEnd<T>]) -> u8 {
    let errors: Vec<u8> = ends
        .iter()
        .filter_map(|e| e.as_ref().err().map(exit::code_of))
        .collect();
    // an error's code is never a success: success here means no error
    let worst = exit::worst(&errors);
    if worst != exit::OK {
        return worst;
    }
    let any = |f: fn(&WaitOutcome<T>) -> bool| ends.iter().flatten().any(f);
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
    use pinecone_restore_core::{JobStatus, Limit, RestoreJob, RestoreJobs};

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
        assert_eq!(
            endings.ending::<RestoreJobs>(&completed()),
            (0, "Completed".to_owned())
        );
        assert_eq!(
            endings.ending::<RestoreJobs>(&failed()),
            (6, "ended Failed".to_owned())
        );
        assert_eq!(
            endings.ending::<RestoreJobs>(&late()),
            (7, "did not finish within 2.5s; never seen".to_owned())
        );
        let (code, how) = endings.ending::<RestoreJobs>(&api());
        assert_eq!(code, 3);
        assert!(
            how.starts_with("error: ") && how.contains("NOT_FOUND"),
            "{how}"
        );
    }
}
