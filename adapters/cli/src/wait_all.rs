//! `wait` on several jobs at once: core's `WaitAll` over the ureq client, one progress line
//! per job on stderr, a summary naming each job's end, the final jobs on stdout, and the exit
//! code of the worst end.
//!
//! One id never comes here: it is followed exactly as before (`commands.rs`, `follow`).

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressDrawTarget};
use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{JobId, RestoreJob, WaitEnd, WaitOptions, WaitOutcome};
use pinecone_restore_ureq::{Api, Client};

use crate::args::WaitFormat;
use crate::commands::{OrWriteFailure, with_stdout};
use crate::exit::{self, Failure};
use crate::output;
use crate::progress::{Live, Plain};

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

/// What `wait` needs to follow several jobs.
pub(crate) struct Follow<'a> {
    pub(crate) client: &'a Client,
    pub(crate) secrets: &'a Secrets,
    pub(crate) options: WaitOptions,
    pub(crate) format: WaitFormat,
    /// A live display is allowed (no verbose lines are written to stderr).
    pub(crate) live: bool,
}

impl Follow<'_> {
    /// Follows every job of `ids` (two or more, each once) to its end; exits as the worst end.
    pub(crate) fn run(&self, ids: &[JobId]) -> Result<(), Failure> {
        let reports = self
            .client
            .config()
            .api_version()
            .reports_intermediate_progress();
        let mut display = Display::for_stderr(ids, reports, self.secrets, self.live);
        let start = Instant::now();
        let ends = self.client.wait_all(ids, &self.options, |index, job| {
            display.update(index, job, start.elapsed());
        });
        display.finish();
        let finals: Vec<&RestoreJob> = ends.iter().filter_map(final_job).collect();
        self.print(&finals)?;
        for (id, end) in ids.iter().zip(&ends) {
            exit::eprintln_safe(&self.summary_line(id, end));
        }
        match exit_code(&ends) {
            exit::OK => Ok(()),
            code => Err(Failure::message(code, self.tally(&ends))),
        }
    }

    /// The final jobs on stdout, in the order of the ids.
    fn print(&self, finals: &[&RestoreJob]) -> Result<(), Failure> {
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
                    finals.iter().try_for_each(|job| lines.job(out, job))
                }
            }
            .or_write_failure()
        })
    }

    /// `restore job `ID`: ...`, naming how its wait ended.
    fn summary_line(&self, id: &JobId, end: &WaitEnd) -> String {
        let id = output::cell(id.as_str(), self.secrets);
        let status = |job: &RestoreJob| output::cell(job.status().as_str(), self.secrets);
        let how = match end {
            Ok(WaitOutcome::Completed(job)) => status(job),
            Ok(WaitOutcome::Ended(job)) => format!("ended {}", status(job)),
            Ok(WaitOutcome::DeadlinePassed(last)) => {
                let seen = match last {
                    Some(job) => format!("last seen {}", status(job)),
                    None => "never seen".to_owned(),
                };
                format!("did not finish within {}s; {seen}", self.waited())
            }
            Ok(_) => "ended in a way this version of the command does not know".to_owned(),
            // core's error is already safe to show; error_line escapes its causes
            Err(e) => exit::error_line(e, self.secrets),
        };
        format!("restore job `{id}`: {how}")
    }

    /// The timeout, in seconds, as the summary shows it.
    fn waited(&self) -> f64 {
        self.options.timeout.unwrap_or_default().as_secs_f64()
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
/// deadline. None for a job never seen or whose wait ended in an error: the summary names
/// those.
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

/// The progress of several jobs on stderr.
enum Display {
    /// A terminal: one live line per job, in the order of the ids.
    Live(MultiProgress, Vec<Live>),
    /// Not a terminal, or verbose lines are written: one plain line per change of any job,
    /// starting with its id.
    Plain(Vec<Plain<io::Stderr>>),
}

impl Display {
    fn for_stderr(ids: &[JobId], reports_progress: bool, secrets: &Secrets, live: bool) -> Self {
        if live && io::stderr().is_terminal() {
            let group = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let lines = ids
                .iter()
                .map(|id| Live::in_group(&group, id.as_str(), reports_progress, secrets.clone()))
                .collect();
            Display::Live(group, lines)
        } else {
            let lines = ids
                .iter()
                .map(|id| Plain::for_job(io::stderr(), id.as_str(), secrets.clone()))
                .collect();
            Display::Plain(lines)
        }
    }

    fn update(&mut self, index: usize, job: &RestoreJob, elapsed: Duration) {
        match self {
            Display::Live(_, lines) => {
                if let Some(line) = lines.get_mut(index) {
                    line.update(job);
                    if job.status().is_terminal() {
                        line.stop();
                    }
                }
            }
            Display::Plain(lines) => {
                if let Some(line) = lines.get_mut(index) {
                    // stderr failing is no reason to stop waiting
                    drop(line.update(job, elapsed));
                }
            }
        }
    }

    /// Removes the live lines so the summary starts on a clean line.
    fn finish(self) {
        if let Display::Live(group, lines) = self {
            for line in &lines {
                line.finish();
            }
            // a terminal that cannot be cleared leaves lines behind, nothing worse
            drop(group.clear());
        }
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
}
