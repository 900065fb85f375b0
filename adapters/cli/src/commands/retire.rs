//! Retiring backups: `backups delete` by id and `backups prune` by a retention rule. Both ask
//! first ([`crate::confirm`]), decide only from what they could read whole, and delete one at
//! a time, saying what became of each.

use std::collections::HashMap;

use pinecone_restore_core::{Backup, BackupId, Error, Limit, RestoreJob, Retention};
use pinecone_restore_ureq::Api;

use super::{Session, note, once_each};
use crate::args::{BackupsDeleteArgs, BackupsPruneArgs, PruneFormat};
use crate::confirm::{self, Consent};
use crate::exit::{self, Failure};
use crate::output::{self, prune::Pruned};
use crate::stdout::{OrWriteFailure, with_stdout};

/// The status of a delete that a running restore blocks (before API 2026-07).
const IN_USE: u16 = 412;

/// Why a backup a running restore uses is not sent for deleting (from API 2026-07, where the
/// server would delete it).
const IN_USE_NOT_SENT: &str = "a restore job still running uses it, so no delete was sent";

impl Session<'_> {
    /// Deletes each backup of `args` once, in order, after asking (or `--yes`; `--dry-run`
    /// only shows them); each is reported, and the exit status is the worst. Where the server
    /// would delete a backup a restore is running from (API 2026-07), those are found first
    /// and not sent.
    pub(super) fn delete_backups(&self, args: &BackupsDeleteArgs) -> Result<(), Failure> {
        // before anything is sent
        let consent = confirm::consent(&args.confirm, "backups delete")?;
        let ids = once_each(&args.backup_ids, "backup", |id| self.shown(id), "deleted");
        let held = self.held_by_restores(&ids)?;
        let mut codes = Vec::with_capacity(ids.len());
        let mut free: Vec<&BackupId> = Vec::with_capacity(ids.len());
        for id in &ids {
            let Some(running) = held.get(id.as_str()) else {
                free.push(id);
                continue;
            };
            note(&self.in_use_note(id, running));
            codes.push(exit::API);
            if let [_] = ids.as_slice() {
                return Err(Failure::message(
                    exit::API,
                    format_args!(
                        "cannot delete backup `{}`: {IN_USE_NOT_SENT}",
                        self.shown(id)
                    ),
                ));
            }
            exit::eprintln_safe(&format!(
                "backup `{}`: error: {IN_USE_NOT_SENT}",
                self.shown(id)
            ));
        }
        if !free.is_empty() {
            match consent {
                Consent::Given => {}
                Consent::Ask => {
                    let backups = self.describe_all(&free)?;
                    if !confirm::ask(&backups, self.secrets)? {
                        return Err(confirm::declined());
                    }
                }
                Consent::DryRun => {
                    let backups = self.describe_all(&free)?;
                    confirm::pretend(&backups, self.secrets)?;
                }
            }
        }
        if consent == Consent::DryRun {
            return match exit::worst(&codes) {
                exit::OK => Ok(()),
                code => Err(Failure::message(
                    code,
                    format_args!(
                        "of {} backups: {} would be deleted, {} would not",
                        ids.len(),
                        free.len(),
                        codes.len()
                    ),
                )),
            };
        }
        for id in &free {
            match self.client.delete_backup(id) {
                Ok(deletion) => {
                    exit::eprintln_safe(&format!("backup `{}`: {deletion}", self.shown(id)));
                    codes.push(exit::OK);
                }
                Err(e) => {
                    let failure = self.delete_failure(id, &e);
                    codes.push(failure.code);
                    if let [_] = ids.as_slice() {
                        return Err(failure);
                    }
                    // one `error:` line, the tally's; this one names the backup first
                    exit::eprintln_safe(&format!(
                        "backup `{}`: {}",
                        self.shown(id),
                        exit::error_line(&e, self.secrets)
                    ));
                }
            }
        }
        let failed = codes.iter().filter(|c| **c != exit::OK).count();
        match exit::worst(&codes) {
            exit::OK => Ok(()),
            code => Err(Failure::message(
                code,
                format_args!(
                    "of {} backups: {} deleted, {failed} not deleted",
                    ids.len(),
                    ids.len() - failed
                ),
            )),
        }
    }

    /// The backups of `ids` that restore jobs still running use, each with those jobs, where
    /// the server would delete them anyway (API 2026-07: it no longer answers 412); decided
    /// from every page of the restore jobs. Before 2026-07 the server refuses itself, and
    /// nothing is listed.
    ///
    /// # Errors
    ///
    /// The listing's, when it fails: nothing is then asked or deleted.
    fn held_by_restores<'a>(
        &self,
        ids: &[&'a BackupId],
    ) -> Result<HashMap<&'a str, Vec<RestoreJob>>, Failure> {
        if self
            .client
            .config()
            .api_version()
            .refuses_deleting_backups_in_use()
        {
            return Ok(HashMap::new());
        }
        let jobs: Vec<RestoreJob> = self
            .client
            .list_all(Some(Limit::MAX))
            .collect::<Result<_, Error>>()
            .map_err(|e| {
                note(
                    "nothing was deleted: the restore jobs must be listed whole first, so that \
                     no backup a running restore uses is deleted",
                );
                self.failure(&e)
            })?;
        Ok(ids
            .iter()
            .filter_map(|id| {
                let running: Vec<RestoreJob> = RestoreJob::running_from(&jobs, id.as_str())
                    .cloned()
                    .collect();
                (!running.is_empty()).then_some((id.as_str(), running))
            })
            .collect())
    }

    /// Each of `ids` described, to be shown before the question; one that cannot be is
    /// reported, and then nothing is asked or deleted.
    fn describe_all(&self, ids: &[&BackupId]) -> Result<Vec<Backup>, Failure> {
        let mut backups = Vec::with_capacity(ids.len());
        let mut codes = Vec::new();
        for id in ids {
            match self.client.describe_backup(id) {
                Ok(backup) => backups.push(backup),
                Err(e) => {
                    codes.push(exit::code_of(&e));
                    exit::eprintln_safe(&format!(
                        "backup `{}`: {}",
                        self.shown(id),
                        exit::error_line(&e, self.secrets)
                    ));
                }
            }
        }
        if codes.is_empty() {
            return Ok(backups);
        }
        Err(Failure::message(
            exit::worst(&codes),
            format_args!(
                "{} of {} backups could not be shown, so nothing was asked or deleted",
                codes.len(),
                ids.len()
            ),
        ))
    }

    /// A delete that failed: the error, and for a 412 the restore jobs still running from
    /// the backup (looked up), each with how to follow it.
    fn delete_failure(&self, id: &BackupId, e: &Error) -> Failure {
        if e.status() == Some(IN_USE) {
            note(&self.restores_from(id));
        }
        Failure::cannot_delete(&format!("backup `{}`", self.shown(id)), e, self.secrets)
    }

    /// What the restore jobs say of the backup `id` a delete was refused for: those still
    /// running from it, or why they cannot be told.
    fn restores_from(&self, id: &BackupId) -> String {
        let jobs: Result<Vec<RestoreJob>, Error> = self.client.list_all(Some(Limit::MAX)).collect();
        let jobs = match jobs {
            Ok(jobs) => jobs,
            Err(e) => {
                return format!(
                    "backup `{}` is in use, and the restore jobs could not be listed to say \
                     which: {}",
                    self.shown(id),
                    exit::error_line(&e, self.secrets)
                );
            }
        };
        let running: Vec<RestoreJob> = RestoreJob::running_from(&jobs, id.as_str())
            .cloned()
            .collect();
        if running.is_empty() {
            return format!(
                "backup `{}` is in use, but no restore job from it is running now: try again",
                self.shown(id)
            );
        }
        self.in_use_note(id, &running)
    }

    /// The note on the backup `id` that the restore jobs `running` (not empty) use: each
    /// named, and how to follow them.
    fn in_use_note(&self, id: &BackupId, running: &[RestoreJob]) -> String {
        let named: Vec<String> = running
            .iter()
            .map(|j| {
                format!(
                    "`{}` ({} into `{}`)",
                    output::cell(j.restore_job_id(), self.secrets),
                    output::cell(j.status().as_str(), self.secrets),
                    output::cell(j.target_index_name(), self.secrets)
                )
            })
            .collect();
        format!(
            "backup `{}` is in use by restore jobs still running from it: {}; follow them with \
             `{} wait {}`",
            self.shown(id),
            named.join(", "),
            self.command(),
            running
                .iter()
                .map(|j| crate::shell::word(&output::cell(j.restore_job_id(), self.secrets)))
                .collect::<Vec<_>>()
                .join(" ")
        )
    }

    /// Plans the prune from complete listings, prints the plan, and unless it is a dry run
    /// (or there is nothing to do) asks and deletes.
    pub(super) fn prune(&self, args: &BackupsPruneArgs) -> Result<(), Failure> {
        // before anything is sent
        let consent = confirm::consent(&args.confirm, "backups prune")?;
        let dry_run = consent == Consent::DryRun;
        let mut retention = Retention::newest(args.keep as usize);
        if let Some(age) = args.older_than {
            retention = retention.older_than(age);
        }
        let plan = self
            .client
            .plan_prune(&args.index, &retention)
            .map_err(|e| {
                note(
                    "nothing was deleted: the backups and restore jobs must be listed whole first",
                );
                self.failure(&e)
            })?;
        let index = &args.index;
        let doing: Vec<Backup> = plan.to_delete().cloned().collect();
        let document = |report| Pruned {
            index,
            plan: &plan,
            dry_run,
            report,
        };
        let nothing = doing.is_empty() && !plan.refused;
        match args.output {
            PruneFormat::Table if nothing => {
                let line = match plan.decisions.len() {
                    0 => format!("nothing to prune: index `{index}` has no backups"),
                    1 => format!("nothing to prune: the one backup of index `{index}` is kept"),
                    n => format!("nothing to prune: all {n} backups of index `{index}` are kept"),
                };
                with_stdout(|out| {
                    use std::io::Write;
                    writeln!(out, "{line}").or_write_failure()
                })?;
                return Ok(());
            }
            PruneFormat::Table => with_stdout(|out| {
                output::prune::write_plan(out, &plan, self.secrets).or_write_failure()
            })?,
            // whole, at the end
            PruneFormat::Json => {}
        }
        let json = |report| {
            if args.output == PruneFormat::Json {
                let value = document(report).document(self.secrets);
                with_stdout(|out| output::write_json(out, &value).or_write_failure())
            } else {
                Ok(())
            }
        };
        if plan.refused {
            json(None)?;
            return Err(Failure::message(
                exit::API,
                "no answer carried the server's time (a usable `Date`), so no backup's age can \
                 be told on its clock: nothing was deleted (without --older-than, the newest \
                 --keep Ready backups decide alone)",
            ));
        }
        if nothing || dry_run {
            return json(None);
        }
        if consent == Consent::Ask && !confirm::ask(&doing, self.secrets)? {
            json(None)?;
            return Err(confirm::declined());
        }
        let total = doing.len();
        let mut done = 0;
        let report = self
            .client
            .prune(&plan, |backup, deletion| {
                done += 1;
                exit::eprintln_safe(&format!(
                    "backup `{}`: {deletion} ({done} of {total})",
                    output::cell(backup.backup_id(), self.secrets)
                ));
            })
            .map_err(|e| self.failure(&e))?;
        json(Some(&report))?;
        let Some((failed, e)) = &report.failed else {
            note(&format!(
                "deleted {total} of the {} backups of index `{index}`",
                plan.decisions.len()
            ));
            return Ok(());
        };
        let id = BackupId::new(failed.backup_id());
        let failure = match &id {
            Ok(id) => self.delete_failure(id, e),
            Err(_) => Failure::of(e, self.secrets),
        };
        if !report.not_tried.is_empty() {
            let not_tried: Vec<String> = report
                .not_tried
                .iter()
                .map(|b| format!("`{}`", output::cell(b.backup_id(), self.secrets)))
                .collect();
            note(&format!(
                "the prune stopped at its first failure: deleted {} of {total}; not tried: {}",
                report.deleted.len(),
                not_tried.join(", ")
            ));
        } else {
            note(&format!(
                "the prune stopped at its failure: deleted {} of {total}",
                report.deleted.len()
            ));
        }
        Err(failure)
    }

    /// An id as the lines show it.
    fn shown(&self, id: &BackupId) -> String {
        output::cell(id.as_str(), self.secrets)
    }
}
