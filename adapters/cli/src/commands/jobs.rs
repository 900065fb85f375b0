//! The restore-job commands: `list`, `describe`, `wait` and `restore`, over the client's
//! methods; listing and the ends of waits are the shared renderer's ([`crate::listing`],
//! [`crate::ending`]).

use pinecone_restore_core::{CreateIndexFromBackup, Error, JobId, RestoreJobs};
use pinecone_restore_ureq::Api;

use super::{Session, note};
use crate::args::{DescribeArgs, ListArgs, RestoreArgs, WaitArgs};
use crate::exit::Failure;
use crate::listing::Command;
use crate::output;

impl Session<'_> {
    pub(super) fn list(&self, args: &ListArgs) -> Result<(), Failure> {
        let command = Command {
            head: format!("{} list", self.command()),
            tail: String::new(),
        };
        self.show(RestoreJobs, &args.page, &command)
    }

    pub(super) fn describe(&self, args: &DescribeArgs) -> Result<(), Failure> {
        let job = self
            .client
            .describe(&args.job_id)
            .map_err(|e| self.failure(&e))?;
        self.show_one(&job, args.output)
    }

    /// Every id once, all followed at once under one deadline.
    pub(super) fn wait(&self, args: &WaitArgs) -> Result<(), Failure> {
        self.wait_on::<RestoreJobs>(
            &args.job_ids,
            args.poll.interval,
            args.poll.timeout,
            args.output,
        )
    }

    pub(super) fn restore(&self, args: &RestoreArgs) -> Result<(), Failure> {
        let backup_id = self.restore_source(args)?;
        let mut request =
            CreateIndexFromBackup::new(args.name.clone()).tags(args.tags.iter().cloned().collect());
        if let Some(protection) = args.deletion_protection {
            request = request.deletion_protection(protection);
        }
        let mut start = self
            .client
            .config()
            .create_index_from_backup(&backup_id, &request);
        let started = match self.client.run(&mut start, |never| match never {}) {
            Ok(started) => started,
            Err(e) => return Err(self.start_failure(&e, start.was_ambiguous(), args)),
        };
        if started.recovered() {
            note("the first answer was lost; this restore was found among the restore jobs");
        }
        let (job, index) = (
            output::cell(started.restore_job_id(), self.secrets),
            output::cell(started.index_id(), self.secrets),
        );
        let name = &args.name;
        let id = JobId::new(started.restore_job_id()).map_err(|e| {
            // the restore started: its ids must not be lost with the error
            note(&format!(
                "restore job `{job}` started into index `{name}` (index id `{index}`)"
            ));
            self.failure(&e)
        })?;
        if args.then.wait {
            note(&format!(
                "started restore job `{job}` into index `{name}` (index id `{index}`)"
            ));
            return self.follow::<RestoreJobs>(
                &[id],
                args.then.interval,
                args.then.timeout,
                args.output.into(),
            );
        }
        self.show_one(&started, args.output).inspect_err(|_| {
            // the restore started: its ids must not be lost with the output
            note(&format!(
                "restore job `{job}` started into index `{name}` (index id `{index}`)"
            ));
        })?;
        if self.demo {
            note("the demo control plane ends with this command: add --wait to follow the restore");
        } else {
            note(&format!(
                "follow it with `{}`",
                self.wait_command::<RestoreJobs>(&id)
            ));
        }
        Ok(())
    }

    /// A start that failed: a job found and not claimed is named with how to follow it (the
    /// error line is the start's own error); an attempt that may have started one says where
    /// to look.
    fn start_failure(&self, e: &Error, ambiguous: bool, args: &RestoreArgs) -> Failure {
        let Error::Unclaimed(unclaimed) = e else {
            if ambiguous {
                note(&format!(
                    "the restore may have started though its answer was lost: look for index \
                     `{}` with `{} list`",
                    args.name,
                    self.command()
                ));
            }
            return self.failure(e);
        };
        let candidate = unclaimed.candidate();
        // core's text is escaped and scrubbed; the id goes through the quoting of the command
        let follow = JobId::new(candidate.id())
            .map(|id| {
                format!(
                    "; if this was your own earlier attempt, follow it with `{}`",
                    self.wait_command::<RestoreJobs>(&id)
                )
            })
            .unwrap_or_default();
        note(&format!("{candidate}{follow}"));
        self.failure(unclaimed.error())
    }
}
