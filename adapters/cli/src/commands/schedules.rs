//! The `schedules` commands (API 2026-07): list an index's schedules and a schedule's
//! history, show one, make, change and delete one. Every one checks the API version first:
//! before 2026-07 nothing is sent.

use std::time::SystemTime;

use pinecone_restore_core::{
    BackupSchedule, CreateSchedule, Error, IndexName, IndexSchedules, Jitter, Limit,
    ScheduleHistory, ScheduleName, UpdateSchedule,
};
use pinecone_restore_ureq::Api;

use super::{Session, note};
use crate::args::{
    ScheduleCreateArgs, ScheduleDeleteArgs, ScheduleDescribeArgs, ScheduleHistoryArgs,
    ScheduleUpdateArgs, SchedulesArgs, SchedulesCommand, SchedulesListArgs,
};
use crate::confirm::{self, Consent};
use crate::exit::{self, Failure};
use crate::listing::Command;
use crate::output;
use crate::shell;

impl Session<'_> {
    /// The `schedules` commands (the version was checked before anything started:
    /// [`super::needs_schedules`]).
    pub(super) fn schedules(&self, args: &SchedulesArgs) -> Result<(), Failure> {
        match &args.command {
            SchedulesCommand::List(list) => self.list_schedules(list),
            SchedulesCommand::Describe(describe) => self.describe_schedule(describe),
            SchedulesCommand::History(history) => self.schedule_history(history),
            SchedulesCommand::Create(create) => self.create_schedule(create),
            SchedulesCommand::Update(update) => self.update_schedule(update),
            SchedulesCommand::Delete(delete) => self.delete_schedule(delete),
        }
    }

    fn list_schedules(&self, args: &SchedulesListArgs) -> Result<(), Failure> {
        let command = Command {
            head: format!(
                "{} schedules list {}",
                self.command(),
                shell::word(args.index.as_str())
            ),
            tail: String::new(),
        };
        self.show(
            IndexSchedules::new(args.index.clone()),
            &args.page,
            &command,
        )
    }

    fn describe_schedule(&self, args: &ScheduleDescribeArgs) -> Result<(), Failure> {
        let schedule = self
            .client
            .describe_schedule(&args.schedule_id)
            .map_err(|e| self.failure(&e))?;
        self.show_one(&schedule, args.output)
    }

    fn schedule_history(&self, args: &ScheduleHistoryArgs) -> Result<(), Failure> {
        let command = Command {
            head: format!(
                "{} schedules history {}",
                self.command(),
                shell::word(&output::cell(args.schedule_id.as_str(), self.secrets))
            ),
            tail: String::new(),
        };
        self.show(
            ScheduleHistory::new(args.schedule_id.clone()),
            &args.page,
            &command,
        )
    }

    /// Makes the schedule; a 409 shows the index's enabled schedule.
    fn create_schedule(&self, args: &ScheduleCreateArgs) -> Result<(), Failure> {
        let name = match &args.name {
            Some(name) => name.clone(),
            None => {
                let now = SystemTime::now();
                let random = Jitter::seeded(now, std::process::id()).next_u64();
                let name = ScheduleName::generate(&args.index, &args.frequency, now, random);
                note(&format!("no --name given: the schedule is named `{name}`"));
                name
            }
        };
        let request = CreateSchedule::new(name, args.frequency.clone(), args.retain_days);
        let mut create = self.client.config().create_schedule(&args.index, &request);
        let schedule = match self.client.run(&mut create, |never| match never {}) {
            Ok(schedule) => schedule,
            Err(e) => return Err(self.schedule_create_failure(&e, &args.index)),
        };
        if create.was_recovered() {
            note("the first answer was lost; this schedule was found among the index's schedules");
        }
        self.show_one(&schedule, args.output)
    }

    /// A create that failed: a schedule of our name not claimed is named; a 409 shows the
    /// index's enabled schedule and how to disable it.
    fn schedule_create_failure(&self, e: &Error, index: &IndexName) -> Failure {
        if let Some(candidate) = e.candidate() {
            note(&candidate.to_string());
        } else if e.status() == Some(409) {
            note(&self.enabled_schedule_of(index));
        }
        self.failure(e)
    }

    /// What the index's schedules say of the one that is enabled: named, with the command
    /// that disables it.
    fn enabled_schedule_of(&self, index: &IndexName) -> String {
        let listed: Result<Vec<BackupSchedule>, Error> = self
            .client
            .list_all_schedules(IndexSchedules::new(index.clone()), Some(Limit::MAX))
            .collect();
        match listed {
            Ok(schedules) => match schedules.iter().find(|s| s.enabled()) {
                Some(s) => {
                    let id = output::cell(s.schedule_id(), self.secrets);
                    format!(
                        "index `{index}` already has an enabled schedule: `{id}` named `{}` \
                         ({}, each backup kept {} days, next {}); disable it with `{} \
                         schedules update {} --disable`",
                        output::cell(s.name(), self.secrets),
                        output::cell(s.frequency().as_str(), self.secrets),
                        s.retention_expire_after_days(),
                        output::schedules::next_run(s, SystemTime::now()),
                        self.command(),
                        shell::word(&id)
                    )
                }
                None => format!(
                    "index `{index}` has no enabled schedule now ({} listed): try again",
                    schedules.len()
                ),
            },
            Err(e) => format!(
                "the schedules of index `{index}` could not be listed to show the enabled one: \
                 {}",
                exit::error_line(&e, self.secrets)
            ),
        }
    }

    fn update_schedule(&self, args: &ScheduleUpdateArgs) -> Result<(), Failure> {
        let mut change = UpdateSchedule::new();
        if args.enable || args.disable {
            change = change.enabled(args.enable);
        }
        if let Some(frequency) = &args.frequency {
            change = change.frequency(frequency.clone());
        }
        if let Some(days) = args.retain_days {
            change = change.retain(days);
        }
        if change.is_empty() {
            // clap requires one of the changes
            return Err(Failure::message(
                exit::USAGE,
                "give a change: --enable, --disable, --frequency or --retain-days",
            ));
        }
        let schedule = self
            .client
            .update_schedule(&args.schedule_id, &change)
            .map_err(|e| self.failure(&e))?;
        self.show_one(&schedule, args.output)
    }

    /// Deletes the schedule after asking (or `--yes`; `--dry-run` only shows it); its
    /// backups stay.
    fn delete_schedule(&self, args: &ScheduleDeleteArgs) -> Result<(), Failure> {
        // before anything is sent
        let consent = confirm::consent(&args.confirm, "schedules delete")?;
        let id = &args.schedule_id;
        if consent != Consent::Given {
            let schedule = self
                .client
                .describe_schedule(id)
                .map_err(|e| self.failure(&e))?;
            let shown = std::slice::from_ref(&schedule);
            if consent == Consent::DryRun {
                return confirm::pretend(shown, self.secrets);
            }
            if !confirm::ask(shown, self.secrets)? {
                return Err(confirm::declined());
            }
        }
        let shown = output::cell(id.as_str(), self.secrets);
        match self.client.delete_schedule(id) {
            Ok(deletion) => {
                exit::eprintln_safe(&format!("schedule `{shown}`: {deletion}"));
                Ok(())
            }
            Err(e) => Err(Failure::cannot_delete(
                &format!("schedule `{shown}`"),
                &e,
                self.secrets,
            )),
        }
    }
}
