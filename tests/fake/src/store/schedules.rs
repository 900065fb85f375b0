//! The backup schedules in the store: created, changed, deleted, and run as the server's clock
//! passes their next run.

use super::{BackupEntry, Store, UnknownIndex};
use crate::backup::FakeBackup;
use crate::generate;
use crate::schedule::{self, FakeSchedule, ScheduleEntry, first_run_after, project_id};
use crate::schedule_request::{CreateSchedule, UpdateSchedule};

/// Seeds the ids of schedules created through the API.
const SCHEDULE_SEED: u64 = 0x5c4e_0000_0000_0000;
/// At most this many runs of one schedule become backups at a time; older runs that were due
/// are skipped (as missed), so that a schedule seeded far in the past cannot flood the store.
const MAX_RUNS_AT_ONCE: i64 = 1000;
/// A run's next run is planned this long after it: the `created_at` of the `Scheduled`
/// history entry (one second, as in the API's example).
const PLANNED_AFTER_RUN_MS: i64 = 1000;

/// Why a schedule was not created or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScheduleRefusal {
    /// No index has the name.
    UnknownIndex,
    /// No schedule has the id.
    UnknownSchedule,
    /// The index already has an enabled schedule.
    EnabledExists,
}

impl Store {
    /// Runs every enabled schedule whose next run has passed on the server's clock: each run
    /// time that has passed becomes a `Ready` backup of the index, created at that time, and
    /// the next run moves on by the schedule's frequency. Every read of schedules or backups
    /// comes after this (see [`Store::catch_up`]).
    pub(crate) fn run_schedules(&mut self) {
        if self.schedules.is_empty() {
            return;
        }
        let now = self.clock.now_millis();
        for i in 0..self.schedules.len() {
            let Some(entry) = self.schedules.get(i) else {
                break;
            };
            let Some(mut run) = entry.next_run_ms.filter(|&run| run <= now) else {
                continue;
            };
            let period = entry.schedule.frequency.period_ms();
            let due = (now - run) / period + 1;
            if due > MAX_RUNS_AT_ONCE {
                run += (due - MAX_RUNS_AT_ONCE) * period;
            }
            let entry = entry.clone();
            while run <= now {
                self.record_run(&entry, run);
                run += period;
            }
            if let Some(entry) = self.schedules.get_mut(i) {
                entry.set_next_run(Some(run));
                entry.planned_at_ms = run - period + PLANNED_AFTER_RUN_MS;
            }
        }
    }

    /// The backup that the run of `entry` at `run_ms` made, listed last.
    fn record_run(&mut self, entry: &ScheduleEntry, run_ms: i64) {
        let mut backup_id = entry.backup_id(run_ms);
        if self.backup_by_id.contains_key(&backup_id) {
            backup_id = self.fresh_backup_id();
        }
        let backup = self.scheduled_backup(entry, &backup_id, run_ms);
        let mut backup_entry = BackupEntry::new(backup);
        backup_entry.schedule_id = Some(entry.schedule.schedule_id.clone());
        self.backup_by_id.insert(backup_id, self.backups.len());
        self.backups.push(backup_entry);
    }

    /// The backup the run of `entry` at `run_ms` makes, `Ready`.
    fn scheduled_backup(&self, entry: &ScheduleEntry, backup_id: &str, run_ms: i64) -> FakeBackup {
        let mut backup = self.backup_like(&entry.schedule.index_name, backup_id);
        backup.source_index_id = entry.schedule.index_id.clone();
        backup.name = Some(entry.backup_name(run_ms));
        backup.created_at = Some(generate::utc_millis(run_ms));
        backup
    }

    /// The schedules of the index `name`, as JSON, in the order they were added.
    ///
    /// # Errors
    ///
    /// [`UnknownIndex::NotFound`] when no index has the name.
    pub(crate) fn index_schedules(&self, name: &str) -> Result<Vec<String>, UnknownIndex> {
        if !self.indexes.contains(name) {
            return Err(UnknownIndex::NotFound);
        }
        Ok(self
            .schedules
            .iter()
            .filter(|e| e.schedule.index_name == name)
            .map(ScheduleEntry::json)
            .collect())
    }

    /// The schedule with this id.
    pub(crate) fn schedule(&self, id: &str) -> Option<&ScheduleEntry> {
        self.schedules.iter().find(|e| e.schedule.schedule_id == id)
    }

    /// Creates an enabled schedule of the index `index`, created now on the server's clock and
    /// first running at the next 06:00 UTC.
    ///
    /// # Errors
    ///
    /// Why it was not created: the index is unknown, or already has an enabled schedule.
    pub(crate) fn create_schedule(
        &mut self,
        index: &str,
        request: CreateSchedule,
    ) -> Result<&ScheduleEntry, ScheduleRefusal> {
        if !self.indexes.contains(index) {
            return Err(ScheduleRefusal::UnknownIndex);
        }
        if self.has_enabled_schedule(index, None) {
            return Err(ScheduleRefusal::EnabledExists);
        }
        let schedule_id = loop {
            let n = self.next_schedule;
            self.next_schedule = self.next_schedule.wrapping_add(1);
            let id = generate::uuid(SCHEDULE_SEED ^ n);
            if self.schedule(&id).is_none() {
                break id;
            }
        };
        let index_id = self
            .index_ids
            .get(index)
            .cloned()
            .or_else(|| {
                self.backups
                    .iter()
                    .rev()
                    .find(|e| e.backup.source_index_name == index)
                    .map(|e| e.backup.source_index_id.clone())
            })
            .unwrap_or_else(|| schedule::index_id(index));
        let schedule = FakeSchedule {
            schedule_id,
            name: request.name,
            index_name: index.to_owned(),
            index_id,
            project_id: project_id(),
            frequency: request.frequency,
            retention_expire_after_days: request.retention_days,
            enabled: true,
            created_at: None,
            next_scheduled_run: None,
        };
        let now = self.clock.now_millis();
        self.schedules.push(ScheduleEntry::new(
            schedule,
            now,
            Some(first_run_after(now)),
        ));
        // Invariant: a schedule was pushed on the line above.
        Ok(self.schedules.last().expect("a schedule was just pushed"))
    }

    /// Changes the schedule with this id: the fields `request` has, the others kept. Enabling
    /// a disabled schedule plans its next run at the next 06:00 UTC (its `Scheduled` history
    /// entry); disabling it drops the planned run. A new frequency applies after the next run.
    ///
    /// # Errors
    ///
    /// Why it was not changed: the schedule is unknown, or it is being enabled while another
    /// schedule of its index is enabled. Nothing changed then.
    pub(crate) fn update_schedule(
        &mut self,
        id: &str,
        request: UpdateSchedule,
    ) -> Result<&ScheduleEntry, ScheduleRefusal> {
        let Some(position) = self
            .schedules
            .iter()
            .position(|e| e.schedule.schedule_id == id)
        else {
            return Err(ScheduleRefusal::UnknownSchedule);
        };
        let now = self.clock.now_millis();
        let Some(current) = self.schedules.get(position) else {
            return Err(ScheduleRefusal::UnknownSchedule);
        };
        let enabling = request.enabled == Some(true) && !current.schedule.enabled;
        if enabling && self.has_enabled_schedule(&current.schedule.index_name, Some(id)) {
            return Err(ScheduleRefusal::EnabledExists);
        }
        let Some(entry) = self.schedules.get_mut(position) else {
            return Err(ScheduleRefusal::UnknownSchedule);
        };
        if let Some(frequency) = request.frequency {
            entry.schedule.frequency = frequency;
        }
        if let Some(days) = request.retention_days {
            entry.schedule.retention_expire_after_days = days;
        }
        match request.enabled {
            Some(true) if enabling => {
                entry.schedule.enabled = true;
                entry.set_next_run(Some(first_run_after(now)));
                entry.planned_at_ms = now;
            }
            Some(false) => {
                entry.schedule.enabled = false;
                entry.set_next_run(None);
            }
            _ => {}
        }
        Ok(entry)
    }

    /// Deletes the schedule with this id; the backups it made are kept. `false` when there
    /// was none.
    pub(crate) fn delete_schedule(&mut self, id: &str) -> bool {
        let before = self.schedules.len();
        self.schedules.retain(|e| e.schedule.schedule_id != id);
        self.schedules.len() < before
    }

    /// The history of the schedule with this id, as JSON: while it is enabled, a `Scheduled`
    /// entry for its next run first, then the backups its runs made (and that were not
    /// deleted), newest first. `None` when there is no such schedule.
    pub(crate) fn schedule_history(&self, id: &str) -> Option<Vec<String>> {
        let entry = self.schedule(id)?;
        let mut items = Vec::new();
        if let Some(run) = entry.next_run_ms {
            let planned = self.scheduled_backup(entry, &entry.backup_id(run), run);
            items.push(planned.render_history_item(
                "Scheduled",
                &generate::utc_millis(entry.planned_at_ms),
                Some(&generate::utc_millis(run)),
            ));
        }
        items.extend(
            self.backups
                .iter()
                .rev()
                .filter(|e| e.schedule_id.as_deref() == Some(id))
                .map(|e| {
                    let created = e.backup.created_at.as_deref().unwrap_or_default();
                    e.backup
                        .render_history_item(&e.backup.status, created, None)
                }),
        );
        Some(items)
    }

    /// Whether the index `index` has an enabled schedule other than `except`.
    fn has_enabled_schedule(&self, index: &str, except: Option<&str>) -> bool {
        self.schedules.iter().any(|e| {
            e.schedule.index_name == index
                && e.schedule.enabled
                && Some(e.schedule.schedule_id.as_str()) != except
        })
    }
}
