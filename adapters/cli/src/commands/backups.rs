//! The `backups` commands, and the pick of `restore --from-index`: the step before a
//! restore, over the same client, notes and exit codes as the restore-job commands. Pages,
//! walks and describes are the ureq client's backup methods; the pick is core's `newest_ready`.

use std::collections::BTreeMap;
use std::io::Write;

use pinecone_restore_core::drive::Items;
use pinecone_restore_core::{
    Backup, BackupId, Error, IndexBackups, IndexName, Limit, Listing, PaginationToken, newest,
    newest_ready,
};
use pinecone_restore_ureq::{Api, Client};

use super::{OrWriteFailure, Session, note, with_stdout};
use crate::args::{
    BackupFormat, BackupListFormat, BackupsArgs, BackupsCommand, BackupsDescribeArgs,
    BackupsListArgs, RestoreArgs,
};
use crate::exit::{self, Failure};
use crate::output::{self, backups as table};
use crate::shell;

/// What the command needs of a walk over backups, to list them and to say how to resume.
trait BackupWalk: Iterator<Item = Result<Backup, Error>> {
    /// Pages fetched so far.
    fn pages(&self) -> u64;
    /// Backups fetched and not yet handed out: at 0 the next needs the network.
    fn in_hand(&self) -> usize;
    /// The token a new walk could resume from after this one ended in `error`.
    fn resume_after(&self, error: &Error) -> Option<&PaginationToken>;
}

/// The client's walks.
impl<L: Listing<Item = Backup>> BackupWalk for Items<'_, Client, L> {
    fn pages(&self) -> u64 {
        Items::pages(self)
    }

    fn in_hand(&self) -> usize {
        Items::in_hand(self)
    }

    fn resume_after(&self, error: &Error) -> Option<&PaginationToken> {
        Items::resume_after(self, error)
    }
}

impl Session<'_> {
    /// `backups list` and `backups describe`.
    pub(super) fn backups(&self, args: &BackupsArgs) -> Result<(), Failure> {
        match &args.command {
            BackupsCommand::List(list) if list.all => self.list_all_backups(list),
            BackupsCommand::List(list) => self.list_backups(list),
            BackupsCommand::Describe(describe) => self.describe_backup(describe),
        }
    }

    fn list_backups(&self, args: &BackupsListArgs) -> Result<(), Failure> {
        let token = args.pagination_token.as_ref();
        let page = match index_listing(args) {
            None => self.client.list_backups(args.limit, token),
            Some(listing) => self.client.list_index_backups(&listing, args.limit, token),
        }
        .map_err(|e| self.failure(&e))?;
        with_stdout(|out| {
            match args.output {
                BackupListFormat::Table => table::write_table(out, &page.backups, self.secrets),
                BackupListFormat::Json => {
                    let mut list = output::JsonList::begin(out).or_write_failure()?;
                    for backup in &page.backups {
                        list.backup(out, backup).or_write_failure()?;
                    }
                    list.end(out, page.next.as_ref().map(PaginationToken::as_str))
                }
                BackupListFormat::Ndjson => {
                    let mut lines = output::Ndjson::default();
                    page.backups
                        .iter()
                        .try_for_each(|backup| lines.backup(out, backup))
                }
            }
            .or_write_failure()
        })?;
        if let (Some(next), BackupListFormat::Table | BackupListFormat::Ndjson) =
            (&page.next, args.output)
        {
            note(&format!(
                "more backups: next page with `{} --pagination-token {}`",
                self.backups_list_command(args, false),
                shell::word(&self.token(next))
            ));
        }
        Ok(())
    }

    /// `pinecone-restore [global options] backups list [--all] [--index INDEX]`: the listing
    /// a token printed for it belongs to.
    fn backups_list_command(&self, args: &BackupsListArgs, all: bool) -> String {
        let mut command = format!("{} backups list", self.command());
        if all {
            command.push_str(" --all");
        }
        if let Some(index) = &args.index {
            command.push_str(&format!(" --index {}", shell::word(index.as_str())));
        }
        if args.include_deleted {
            command.push_str(" --include-deleted");
        }
        command
    }

    /// As for restore jobs: a walk that stopped on an error a new walk may get past can go on
    /// from the page that failed.
    fn backup_walk_failure(
        &self,
        walk: &dyn BackupWalk,
        args: &BackupsListArgs,
        e: &Error,
    ) -> Failure {
        if let Some(token) = walk.resume_after(e) {
            note(&format!(
                "stopped after {} pages; resume with `{} --pagination-token {}`",
                walk.pages(),
                self.backups_list_command(args, true),
                shell::word(&self.token(token))
            ));
        }
        self.failure(e)
    }

    /// The walk `backups list --all` asked for: the project's or one index's backups, from
    /// the first page or from `--pagination-token`.
    fn backup_walk(&self, args: &BackupsListArgs) -> Box<dyn BackupWalk + '_> {
        let (client, limit, from) = (self.client, args.limit, args.pagination_token.as_ref());
        match index_listing(args) {
            None => Box::new(client.list_all_backups_from(limit, from)),
            Some(listing) => Box::new(client.list_all_index_backups_from(listing, limit, from)),
        }
    }

    fn list_all_backups(&self, args: &BackupsListArgs) -> Result<(), Failure> {
        let mut walk = self.backup_walk(args);
        match args.output {
            BackupListFormat::Table => {
                // aligned columns need every row first
                let mut all = Vec::new();
                while let Some(backup) = walk.next() {
                    match backup {
                        Ok(backup) => all.push(backup),
                        Err(e) => return Err(self.backup_walk_failure(&*walk, args, &e)),
                    }
                }
                with_stdout(|out| table::write_table(out, &all, self.secrets).or_write_failure())
            }
            BackupListFormat::Json => {
                // whole or absent: a walk that fails leaves stdout empty
                let mut document = Vec::new();
                let mut list = output::JsonList::begin(&mut document).or_write_failure()?;
                while let Some(backup) = walk.next() {
                    match backup {
                        Ok(backup) => list.backup(&mut document, &backup).or_write_failure()?,
                        Err(e) => return Err(self.backup_walk_failure(&*walk, args, &e)),
                    }
                }
                list.end(&mut document, None).or_write_failure()?;
                with_stdout(|out| out.write_all(&document).or_write_failure())
            }
            BackupListFormat::Ndjson => with_stdout(|out| {
                let mut lines = output::Ndjson::default();
                while let Some(backup) = walk.next() {
                    let backup = backup.map_err(|e| self.backup_walk_failure(&*walk, args, &e))?;
                    lines.backup(out, &backup).or_write_failure()?;
                    if walk.in_hand() == 0 {
                        // the page is written: the reader has it before the next is fetched
                        out.flush().or_write_failure()?;
                    }
                }
                Ok(())
            }),
        }
    }

    fn describe_backup(&self, args: &BackupsDescribeArgs) -> Result<(), Failure> {
        let backup = self
            .client
            .describe_backup(&args.backup_id)
            .map_err(|e| self.failure(&e))?;
        with_stdout(|out| {
            match args.output {
                BackupFormat::Table => table::write_fields_of(out, &backup, self.secrets),
                BackupFormat::Json => output::write_json(out, &backup),
            }
            .or_write_failure()
        })
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
            created(picked),
            backups.len()
        ));
        Ok(id)
    }
}

/// The one index's listing `backups list` asked for, if `--index` was given.
fn index_listing(args: &BackupsListArgs) -> Option<IndexBackups> {
    args.index
        .as_ref()
        .map(|index| IndexBackups::new(index.clone()).include_deleted(args.include_deleted))
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
        created(newest)
    )
}

/// A backup's `created_at` as the tables show it, `-` when absent.
fn created(backup: &Backup) -> String {
    backup
        .created_at()
        .and_then(|at| pinecone_restore_core::format_utc(at).ok())
        .unwrap_or_else(|| "-".to_owned())
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
