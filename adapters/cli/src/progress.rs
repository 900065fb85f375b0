//! What a wait shows on stderr while it polls (restore jobs, backups): a live bar or spinner
//! on a terminal (one line per item when it follows several), one plain line per change
//! otherwise (logs, CI, pipes).

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{Listing, Settled};

use crate::output::cell;
use crate::waited::Waited;

/// The progress display of one wait.
pub(crate) enum Progress {
    /// A terminal: an indicatif bar when the percentage is known, a spinner when not.
    Live(Live),
    /// Not a terminal: one line per change.
    Plain(Plain<io::Stderr>),
}

impl Progress {
    /// A live display when stderr is a terminal, plain lines otherwise. With
    /// `reports_progress` false (API 2026-07 and later report no intermediate percent for a
    /// restore; a backup never does), the live display is always a spinner with status and
    /// elapsed time, never a bar stuck at 0%. With `live` false, always plain lines (other
    /// lines are being written to stderr).
    pub(crate) fn for_stderr(reports_progress: bool, secrets: &Secrets, live: bool) -> Progress {
        if live && io::stderr().is_terminal() {
            Progress::Live(Live::new(
                ProgressDrawTarget::stderr(),
                reports_progress,
                secrets.clone(),
            ))
        } else {
            Progress::Plain(Plain::new(io::stderr(), secrets.clone()))
        }
    }

    /// Shows the snapshot `item`, seen `elapsed` after the wait began.
    pub(crate) fn update<W: Waited>(&mut self, item: &W::Item, elapsed: Duration) {
        match self {
            Progress::Live(live) => live.update::<W>(item),
            // stderr failing is no reason to stop waiting
            Progress::Plain(plain) => drop(plain.update::<W>(item, elapsed)),
        }
    }

    /// Removes a live display so the final output starts on a clean line.
    pub(crate) fn finish(self) {
        if let Progress::Live(live) = self {
            live.bar.finish_and_clear();
        }
    }
}

/// The progress of several restore jobs or backups on stderr.
pub(crate) enum Display {
    /// A terminal: one live line per item, in the order of the ids.
    Live(MultiProgress, Vec<Live>),
    /// Not a terminal, or verbose lines are written: one plain line per change of any item,
    /// starting with its id.
    Plain(Vec<Plain<io::Stderr>>),
}

impl Display {
    /// A line for each of `ids` (their text), live on a terminal unless `live` is false.
    pub(crate) fn for_stderr<'a>(
        ids: impl IntoIterator<Item = &'a str>,
        reports_progress: bool,
        secrets: &Secrets,
        live: bool,
    ) -> Self {
        if live && io::stderr().is_terminal() {
            let group = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let lines = ids
                .into_iter()
                .map(|id| Live::in_group(&group, id, reports_progress, secrets.clone()))
                .collect();
            Display::Live(group, lines)
        } else {
            let lines = ids
                .into_iter()
                .map(|id| Plain::for_job(io::stderr(), id, secrets.clone()))
                .collect();
            Display::Plain(lines)
        }
    }

    /// Shows the snapshot `item` of the `index`th id.
    pub(crate) fn update<W: Waited>(&mut self, index: usize, item: &W::Item, elapsed: Duration) {
        match self {
            Display::Live(_, lines) => {
                if let Some(line) = lines.get_mut(index) {
                    line.update::<W>(item);
                    if W::state(item) != Settled::Not {
                        line.stop();
                    }
                }
            }
            Display::Plain(lines) => {
                if let Some(line) = lines.get_mut(index) {
                    // stderr failing is no reason to stop waiting
                    drop(line.update::<W>(item, elapsed));
                }
            }
        }
    }

    /// Removes the live lines so the summary starts on a clean line.
    pub(crate) fn finish(self) {
        if let Display::Live(group, lines) = self {
            for line in &lines {
                line.finish();
            }
            // a terminal that cannot be cleared leaves lines behind, nothing worse
            drop(group.clear());
        }
    }
}

/// A bar (percent known) or spinner (percent unknown) with status and elapsed time.
pub(crate) struct Live {
    bar: ProgressBar,
    showing_bar: Option<bool>,
    reports_progress: bool,
    secrets: Secrets,
}

impl Live {
    fn new(target: ProgressDrawTarget, reports_progress: bool, secrets: Secrets) -> Live {
        let bar = ProgressBar::with_draw_target(Some(100), target);
        Live::with_bar(bar, reports_progress, secrets)
    }

    /// One line of `group`, below the lines already in it, waiting for `id`.
    pub(crate) fn in_group(
        group: &MultiProgress,
        id: &str,
        reports_progress: bool,
        secrets: Secrets,
    ) -> Live {
        let live = Live::with_bar(group.add(ProgressBar::new(100)), reports_progress, secrets);
        let id = cell(id, &live.secrets);
        live.bar
            .set_message(format!("{id} waiting for the first answer"));
        live
    }

    fn with_bar(bar: ProgressBar, reports_progress: bool, secrets: Secrets) -> Live {
        bar.enable_steady_tick(Duration::from_millis(120));
        let mut live = Live {
            bar,
            showing_bar: None,
            reports_progress,
            secrets,
        };
        live.set_style(false);
        live.bar.set_message("waiting for the first answer");
        live
    }

    fn set_style(&mut self, with_bar: bool) {
        if self.showing_bar == Some(with_bar) {
            return;
        }
        let template = if with_bar {
            "{spinner} {msg} [{wide_bar}] {pos:>3}% ({elapsed})"
        } else {
            "{spinner} {msg} ({elapsed})"
        };
        // The templates are constants; should one not parse, the default style still shows
        // the message.
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.showing_bar = Some(with_bar);
    }

    pub(crate) fn update<W: Waited>(&mut self, item: &W::Item) {
        let percent = W::percent(item).filter(|_| self.reports_progress);
        self.set_style(percent.is_some());
        let id = cell(<W::Listing as Listing>::id(item), &self.secrets);
        match percent {
            Some(p) => {
                // in 0..=100 by core's checks; the bar shows it
                self.bar.set_position(p.clamp(0.0, 100.0).round() as u64);
                self.bar.set_message(format!(
                    "{id} {}",
                    cell(W::status_text(item), &self.secrets)
                ));
            }
            None => self
                .bar
                .set_message(format!("{id} {}", status::<W>(item, &self.secrets))),
        }
    }

    /// Stops the line where it is (status, position, elapsed time): its item has ended
    /// while others go on.
    pub(crate) fn stop(&self) {
        self.bar.abandon();
    }

    /// Clears the line, so the final output starts on a clean line.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// One line per change of status or percentage: `status Pending 40% (elapsed 3.2s)`, after a
/// prefix when several jobs share the lines (`rj-1: status ...`).
pub(crate) struct Plain<O> {
    out: O,
    prefix: String,
    last: Option<(String, Option<f64>)>,
    secrets: Secrets,
}

impl<O: Write> Plain<O> {
    pub(crate) fn new(out: O, secrets: Secrets) -> Plain<O> {
        Plain {
            out,
            prefix: String::new(),
            last: None,
            secrets,
        }
    }

    /// Lines for `id` (a job's, a backup's), each starting `id: `.
    pub(crate) fn for_job(out: O, id: &str, secrets: Secrets) -> Plain<O> {
        Plain {
            prefix: format!("{}: ", cell(id, &secrets)),
            ..Plain::new(out, secrets)
        }
    }

    /// Writes a line when `item` differs from the last snapshot shown.
    pub(crate) fn update<W: Waited>(
        &mut self,
        item: &W::Item,
        elapsed: Duration,
    ) -> io::Result<()> {
        let now = (W::status_text(item).to_owned(), W::percent(item));
        if self.last.as_ref() == Some(&now) {
            return Ok(());
        }
        self.last = Some(now);
        writeln!(
            self.out,
            "{}status {} (elapsed {:.1}s)",
            self.prefix,
            status::<W>(item, &self.secrets),
            elapsed.as_secs_f64()
        )?;
        self.out.flush()
    }
}

/// `Pending 40%`, or `Pending` when the percentage is unknown.
fn status<W: Waited>(item: &W::Item, secrets: &Secrets) -> String {
    let status = cell(W::status_text(item), secrets);
    match W::percent(item) {
        Some(p) => format!("{status} {p}%"),
        None => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::{
        Backup, BackupStatus, JobStatus, Percent, ProjectBackups, RestoreJob, RestoreJobs,
    };

    fn job(status: JobStatus, percent: Option<f64>) -> RestoreJob {
        RestoreJob::new("rj", "b", "n", "i", status, None)
            .with_percent_complete(percent.and_then(Percent::new))
    }

    #[test]
    fn plain_writes_one_line_per_change() {
        let mut plain = Plain::new(Vec::new(), Secrets::none());
        let secs = Duration::from_secs_f64;
        let snapshots = [
            (job(JobStatus::Pending, Some(0.0)), secs(0.0)),
            (job(JobStatus::Pending, Some(0.0)), secs(1.0)),
            (job(JobStatus::Pending, Some(40.0)), secs(3.24)),
            (job(JobStatus::Pending, Some(40.0)), secs(4.0)),
            (job(JobStatus::Pending, None), secs(5.0)),
            (job(JobStatus::Completed, Some(100.0)), secs(6.0)),
        ];
        for (job, elapsed) in &snapshots {
            plain.update::<RestoreJobs>(job, *elapsed).unwrap();
        }
        assert_eq!(
            String::from_utf8(plain.out).unwrap(),
            "status Pending 0% (elapsed 0.0s)\n\
             status Pending 40% (elapsed 3.2s)\n\
             status Pending (elapsed 5.0s)\n\
             status Completed 100% (elapsed 6.0s)\n"
        );
    }

    #[test]
    fn plain_lines_of_one_job_among_several_start_with_its_id() {
        let mut plain = Plain::for_job(Vec::new(), "rj\u{1b}[2J-7", Secrets::none());
        let pending = job(JobStatus::Pending, Some(40.0));
        plain
            .update::<RestoreJobs>(&pending, Duration::from_secs(3))
            .unwrap();
        plain
            .update::<RestoreJobs>(&pending, Duration::from_secs(4))
            .unwrap();
        assert_eq!(
            String::from_utf8(plain.out).unwrap(),
            "rj\\u{1b}[2J-7: status Pending 40% (elapsed 3.0s)\n",
            "the id escaped as every cell is, one line per change"
        );
    }

    #[test]
    fn a_line_in_a_group_names_its_job_and_stops_where_it_ended() {
        let group = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let mut live = Live::in_group(&group, "rj", true, Secrets::none());
        assert_eq!(live.bar.message(), "rj waiting for the first answer");
        live.update::<RestoreJobs>(&job(JobStatus::Failed, None));
        live.stop();
        assert!(live.bar.is_finished());
        assert_eq!(live.bar.message(), "rj Failed", "the last status stays");
        live.finish();
    }

    #[test]
    fn live_switches_between_spinner_and_bar() {
        let mut live = Live::new(ProgressDrawTarget::hidden(), true, Secrets::none());
        assert_eq!(live.showing_bar, Some(false));
        live.update::<RestoreJobs>(&job(JobStatus::Pending, Some(42.6)));
        assert_eq!(live.showing_bar, Some(true));
        assert_eq!(live.bar.position(), 43);
        assert_eq!(live.bar.message(), "rj Pending");
        live.update::<RestoreJobs>(&job(JobStatus::Other("Queued".into()), None));
        assert_eq!(live.showing_bar, Some(false));
        assert_eq!(live.bar.message(), "rj Queued");
        Progress::Live(live).finish();
    }

    #[test]
    fn without_intermediate_progress_the_live_display_stays_a_spinner() {
        let mut live = Live::new(ProgressDrawTarget::hidden(), false, Secrets::none());
        live.update::<RestoreJobs>(&job(JobStatus::Pending, None));
        assert_eq!(live.showing_bar, Some(false));
        live.update::<RestoreJobs>(&job(JobStatus::Completed, Some(100.0)));
        assert_eq!(live.showing_bar, Some(false), "no bar, not even at the end");
        assert_eq!(live.bar.message(), "rj Completed 100%");
        Progress::Live(live).finish();
    }

    #[test]
    fn a_backup_shows_its_status_and_never_a_bar() {
        let backup = |status| Backup::new("bk-1", "nightly", "docs", status, "aws", "us-east-1");
        let mut plain = Plain::new(Vec::new(), Secrets::none());
        for (status, secs) in [
            (BackupStatus::Initializing, 0),
            (BackupStatus::Initializing, 1),
            (BackupStatus::Ready, 2),
        ] {
            plain
                .update::<ProjectBackups>(&backup(status), Duration::from_secs(secs))
                .unwrap();
        }
        assert_eq!(
            String::from_utf8(plain.out).unwrap(),
            "status Initializing (elapsed 0.0s)\nstatus Ready (elapsed 2.0s)\n"
        );
        let group = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let mut live = Live::in_group(&group, "bk-1", false, Secrets::none());
        live.update::<ProjectBackups>(&backup(BackupStatus::InitializationFailed));
        assert_eq!(live.showing_bar, Some(false));
        assert_eq!(live.bar.message(), "bk-1 InitializationFailed");
        live.finish();
    }
}
