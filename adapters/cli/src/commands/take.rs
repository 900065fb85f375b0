//! `backups create`: take a backup of an index, safe to retry (core's create looks among the
//! index's backups before it sends again), and with `--wait` follow it to `Ready`.

use std::time::SystemTime;

use pinecone_restore_core::{
    BackupId, BackupName, CreateBackup, Error, IndexName, Jitter, ProjectBackups,
};
use pinecone_restore_ureq::Api;

use super::{Session, note};
use crate::args::BackupsCreateArgs;
use crate::exit::{self, Failure};
use crate::output;
use crate::shell;

impl Session<'_> {
    /// Takes the backup; stdout gets it (with `--wait`, as it ended).
    pub(super) fn create_backup(&self, args: &BackupsCreateArgs) -> Result<(), Failure> {
        let name = match &args.name {
            Some(name) => name.clone(),
            None => {
                let now = SystemTime::now();
                let random = Jitter::seeded(now, std::process::id()).next_u64();
                let name = BackupName::generate(&args.index, now, random);
                note(&format!("no --name given: the backup is named `{name}`"));
                name
            }
        };
        let mut request = CreateBackup::new(name.clone());
        if let Some(description) = &args.description {
            request = request.description(description.clone());
        }
        let mut create = self.client.config().create_backup(&args.index, &request);
        let backup = match self.client.run(&mut create, |never| match never {}) {
            Ok(backup) => backup,
            Err(e) => {
                return Err(self.create_failure(&e, create.was_ambiguous(), &args.index, &name));
            }
        };
        if create.was_recovered() {
            note("the first answer was lost; this backup was found among the index's backups");
        }
        let shown = output::cell(backup.backup_id(), self.secrets);
        let id = BackupId::new(backup.backup_id()).map_err(|e| {
            note(&format!(
                "backup `{shown}` named `{name}` of index `{}` was taken",
                args.index
            ));
            Failure::message(
                exit::RESPONSE,
                format_args!(
                    "the backup's id cannot name it in a request: {}",
                    output::cell(&e.to_string(), self.secrets)
                ),
            )
        })?;
        if args.then.wait {
            note(&format!(
                "taking backup `{shown}` named `{name}` of index `{}`; waiting until it is Ready",
                args.index
            ));
            return self.follow::<ProjectBackups>(
                &[id],
                args.then.interval,
                args.then.timeout,
                args.output.into(),
            );
        }
        self.show_one(&backup, args.output).inspect_err(|_| {
            // the backup is being taken: its id must not be lost with the output
            note(&format!(
                "backup `{shown}` named `{name}` of index `{}` is being taken",
                args.index
            ));
        })?;
        if self.demo {
            note("the demo control plane ends with this command: add --wait to follow the backup");
        } else {
            note(&format!(
                "follow it with `{}`",
                self.wait_command::<ProjectBackups>(&id)
            ));
        }
        Ok(())
    }

    /// A create that failed. A backup with our name that cannot be shown to be ours is named,
    /// and the exit status is 3 whatever the last attempt's error: sending again could take a
    /// second backup, so a script must not take this for a transport failure to retry. An
    /// attempt whose answer was lost, with nothing found, says where to look.
    fn create_failure(
        &self,
        e: &Error,
        ambiguous: bool,
        index: &IndexName,
        name: &BackupName,
    ) -> Failure {
        let Error::Unclaimed(unclaimed) = e else {
            if ambiguous {
                note(&format!(
                    "the backup may have been taken though its answer was lost: look for \
                     `{name}` with `{} backups list --index {}`",
                    self.command(),
                    shell::word(index.as_str())
                ));
            }
            return self.failure(e);
        };
        let candidate = unclaimed.candidate();
        let follow = BackupId::new(candidate.id())
            .map(|id| {
                format!(
                    "; if this was your own earlier attempt, follow it with `{}`",
                    self.wait_command::<ProjectBackups>(&id)
                )
            })
            .unwrap_or_default();
        note(&format!("{candidate}{follow}"));
        Failure {
            code: exit::API,
            ..self.failure(unclaimed.error())
        }
    }
}
