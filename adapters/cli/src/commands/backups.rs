//! The `backups` commands that read, and the pick of `restore --from-index`: the step before
//! a restore, over the same client, notes and exit codes as the restore-job commands.
//! Listings are the shared renderer's ([`crate::listing`]); the pick is core's
//! `newest_ready`. Taking a backup is `take.rs`'s; deleting, `retire.rs`'s.

use std::collections::{BTreeMap, HashMap};

use pinecone_restore_core::{
    Backup, BackupId, BackupSchedule, Error, IndexBackups, IndexName, IndexSchedules, Limit,
    ProjectBackups, ScheduleHistory, ScheduleId, newest, newest_ready,
};
use pinecone_restore_ureq::Api;

use super::{Session, note};
use crate::args::{
    BackupsArgs, BackupsCommand, BackupsDescribeArgs, BackupsListArgs, ListFormat, RestoreArgs,
};
use crate::exit::{self, Failure};
use crate::listing::Command;
use crate::output::{self, Marks};
use crate::shell;

impl Session<'_> {
    /// The `backups` commands.
    pub(super) fn backups(&self, args: &BackupsArgs) -> Result<(), Failure> {
        match &args.command {
            BackupsCommand::List(list) => self.list_backups(list),
            BackupsCommand::Describe(describe) => self.describe_backup(describe),
            BackupsCommand::Create(create) => self.create_backup(create),
            BackupsCommand::Wait(wait) => self.wait_on::<ProjectBackups>(
                &wait.backup_ids,
                wait.poll.interval,
                wait.poll.timeout,
                wait.output,
            ),
            BackupsCommand::Delete(delete) => self.delete_backups(delete),
            BackupsCommand::Prune(prune) => self.prune(prune),
        }
    }

    /// The project's backups, or one index's (`--index`).
    fn list_backups(&self, args: &BackupsListArgs) -> Result<(), Failure> {
        let mut tail = String::new();
        if let Some(index) = &args.index {
            tail.push_str(&format!(" --index {}", shell::word(index.as_str())));
        }
        if args.include_deleted {
            tail.push_str(" --include-deleted");
        }
        let command = Command {
            head: format!("{} backups list", self.command()),
            tail,
        };
        match &args.index {
            None => self.show(ProjectBackups, &args.page, &command),
            Some(index) => {
                let listing =
                    IndexBackups::new(index.clone()).include_deleted(args.include_deleted);
                let marks = (args.page.output == ListFormat::Table
                    && !args.include_deleted
                    && self.client.config().api_version().has_backup_schedules())
                .then(|| self.scheduled(index))
                .flatten();
                self.show_marked(listing, &args.page, &command, marks.as_ref())
            }
        }
    }

    /// Which backups of `index` its schedules took, where the API says so: each schedule's
    /// history (the backup model itself does not say). `None` when the index has no schedule,
    /// or when a listing fails (a note says so; the table goes on without the column).
    fn scheduled(&self, index: &IndexName) -> Option<Marks> {
        let failed = |e: &Error| {
            note(&format!(
                "which backups a schedule took is not shown: {}",
                exit::error_line(e, self.secrets)
            ));
        };
        let schedules: Vec<BackupSchedule> = self
            .client
            .list_all_schedules(IndexSchedules::new(index.clone()), Some(Limit::MAX))
            .collect::<Result<_, Error>>()
            .map_err(|e| failed(&e))
            .ok()?;
        if schedules.is_empty() {
            return None;
        }
        let mut cells = HashMap::new();
        for schedule in &schedules {
            let Ok(id) = ScheduleId::new(schedule.schedule_id()) else {
                continue;
            };
            let name = output::cell(schedule.name(), self.secrets);
            for taken in self
                .client
                .all_schedule_history(ScheduleHistory::new(id), Some(Limit::MAX))
            {
                match taken {
                    Ok(backup) => {
                        cells.insert(backup.backup_id().to_owned(), name.clone());
                    }
                    Err(e) => {
                        failed(&e);
                        return None;
                    }
                }
            }
        }
        Some(Marks {
            header: "SCHEDULE",
            cells,
        })
    }

    fn describe_backup(&self, args: &BackupsDescribeArgs) -> Result<(), Failure> {
        let backup = self
            .client
            .describe_backup(&args.backup_id)
            .map_err(|e| self.failure(&e))?;
        self.show_one(&backup, args.output)
    }

    /// The backup `restore` starts from: the one named, or the newest `Ready` backup of
    /// `--from-index`, which is named on stderr before anything starts.
    pub(super) fn restore_source(&self, args: &RestoreArgs) -> Result<BackupId, Failure> {
        match (&args.backup_id, &args.from_index) {
            (Some(id), _) => Ok(id.clone()),
            (None, Some(index)) => self.pick_backup(index, args.include_deleted),
            // clap requires exactly one of the two
            (None, None) => Err(Failure::message(
                exit::USAGE,
                "give a BACKUP_ID or --from-index INDEX",
            )),
        }
    }

    /// Every backup of `index` (100 a page: the fewest requests), and core's pick of the
    /// newest `Ready` one, as the client's `newest_ready_backup` makes it; the command walks
    /// the listing itself because, when nothing is Ready, it says what the index has.
    fn pick_backup(&self, index: &IndexName, include_deleted: bool) -> Result<BackupId, Failure> {
        let backups = self
            .client
            .list_all_index_backups(
                IndexBackups::new(index.clone()).include_deleted(include_deleted),
                Some(Limit::MAX),
            )
            .collect::<Result<Vec<Backup>, Error>>()
            .map_err(|e| self.failure(&e))?;
        let Some(picked) = newest_ready(&backups) else {
            return Err(Failure::message(
                exit::API,
                none_ready(index, &backups, self.secrets),
            ));
        };
        let id = BackupId::new(picked.backup_id()).map_err(|e| {
            Failure::message(
                exit::RESPONSE,
                format_args!(
                    "the newest Ready backup of index `{index}` has an id that cannot be \
                     restored: {}",
                    output::cell(&e.to_string(), self.secrets)
                ),
            )
        })?;
        note(&format!(
            "restoring from backup `{}` (name {}, created_at {}), the newest Ready of the {} \
             backups of index `{index}`",
            output::cell(picked.backup_id(), self.secrets),
            picked.name().map_or_else(
                || "-".to_owned(),
                |n| format!("`{}`", output::cell(n, self.secrets))
            ),
            output::backups::created(picked, self.secrets),
            backups.len()
        ));
        Ok(id)
    }
}

/// Why `index` has nothing to restore from: how many backups it has in each status, and its
/// newest one.
fn none_ready(
    index: &IndexName,
    backups: &[Backup],
    secrets: &pinecone_restore_core::text::Secrets,
) -> String {
    let Some(newest) = newest(backups) else {
        return format!("index `{index}` has no backups: there is nothing to restore from");
    };
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for backup in backups {
        *statuses.entry(backup.status().as_str()).or_default() += 1;
    }
    let statuses: Vec<String> = statuses
        .iter()
        .map(|(status, n)| format!("{n} {}", output::cell(status, secrets)))
        .collect();
    let plural = if backups.len() == 1 { "" } else { "s" };
    format!(
        "index `{index}` has {} backup{plural}, none Ready ({}; newest: `{}` {}, created_at {})",
        backups.len(),
        statuses.join(", "),
        output::cell(newest.backup_id(), secrets),
        output::cell(newest.status().as_str(), secrets),
        output::backups::created(newest, secrets)
    )
}

#[cfg(test)]
mod tests {
    use pinecone_restore_core::text::Secrets;
    use pinecone_restore_core::{BackupStatus, OffsetDateTime};

    use super::*;

    fn backup(id: &str, status: BackupStatus, at: Option<i64>) -> Backup {
        Backup::new(id, "docs", "ix", status, "aws", "us-east-1")
            .with_created_at(at.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()))
    }

    #[test]
    fn none_ready_names_the_index_its_statuses_and_its_newest() {
        let index = IndexName::new("docs").unwrap();
        let none = Secrets::none();
        assert_eq!(
            none_ready(&index, &[], &none),
            "index `docs` has no backups: there is nothing to restore from"
        );
        let backups = [
            backup("old", BackupStatus::Failed, Some(0)),
            backup("newest", BackupStatus::Initializing, Some(86_400)),
            backup(
                "undated",
                BackupStatus::Other("Deleting\u{1b}".into()),
                None,
            ),
        ];
        assert_eq!(
            none_ready(&index, &backups, &none),
            "index `docs` has 3 backups, none Ready (1 Deleting\\u{1b}, 1 Failed, 1 \
             Initializing; newest: `newest` Initializing, created_at 1970-01-02T00:00:00Z)"
        );
        assert_eq!(
            none_ready(&index, &backups[..1], &none),
            "index `docs` has 1 backup, none Ready (1 Failed; newest: `old` Failed, created_at \
             1970-01-01T00:00:00Z)"
        );
    }
}
