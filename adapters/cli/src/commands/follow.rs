//! Following restore jobs or backups to their ends: `wait`, `restore --wait`, `backups wait`
//! and `backups create --wait`, one code for each kind ([`Waited`]).

use std::time::{Duration, Instant};

use pinecone_restore_ureq::Api;

use super::{Session, once_each};
use crate::args::WaitFormat;
use crate::ending::Endings;
use crate::exit::Failure;
use crate::output;
use crate::progress::{Display, Progress};
use crate::waited::Waited;

impl Session<'_> {
    /// Every id of `given` once (a note for one given twice), all followed at once under one
    /// deadline.
    pub(super) fn wait_on<W: Waited>(
        &self,
        given: &[W::Id],
        interval: Option<Duration>,
        timeout: Option<Duration>,
        format: WaitFormat,
    ) -> Result<(), Failure> {
        let ids: Vec<W::Id> = once_each(
            given,
            W::WHAT,
            |id| output::cell(W::id_text(id), self.secrets),
            "followed",
        )
        .into_iter()
        .cloned()
        .collect();
        self.follow::<W>(&ids, interval, timeout, format)
    }

    /// Follows `ids` with a progress display on stderr (a line per id for several), then
    /// reports how each ended ([`Endings`]).
    pub(super) fn follow<W: Waited>(
        &self,
        ids: &[W::Id],
        interval: Option<Duration>,
        timeout: Option<Duration>,
        format: WaitFormat,
    ) -> Result<(), Failure> {
        let options = self.wait_options(interval, timeout);
        let reports = self
            .client
            .config()
            .api_version()
            .reports_intermediate_progress();
        let start = Instant::now();
        let live = !self.verbose;
        let ends = if let [id] = ids {
            let mut progress = Progress::for_stderr(reports, self.secrets, live);
            let outcome = W::wait(self.client, id, &options, |item| {
                progress.update::<W>(item, start.elapsed());
            });
            progress.finish();
            vec![outcome]
        } else {
            let shown = ids.iter().map(W::id_text);
            let mut display = Display::for_stderr(shown, reports, self.secrets, live);
            let ends = W::wait_all(self.client, ids, &options, |index, item| {
                display.update::<W>(index, item, start.elapsed());
            });
            display.finish();
            ends
        };
        Endings {
            timeout,
            format,
            secrets: self.secrets,
        }
        .report::<W>(ids, &ends)
    }
}
