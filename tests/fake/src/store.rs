//! What the fake serves and how it changes: restore jobs in listing order, the names of the
//! indexes that exist, the backups, and the restores started through the API.

mod schedules;

pub(crate) use schedules::ScheduleRefusal;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::backup::FakeBackup;
use crate::generate;
use crate::job::{Ending, FakeJob, Progress, listed_step};
use crate::schedule::{FakeSchedule, ScheduleEntry};
use crate::timed::{ServerClock, Span, Stage, TimedJob};
use crate::version::{BackupShape, JobShape};

/// Seeds the ids of restore jobs started through the API.
const RESTORE_JOB_SEED: u64 = 0x4e57_0e00_0000_0000;
/// Seeds the ids of indexes created through the API.
const INDEX_SEED: u64 = 0x1d3e_0000_0000_0000;
/// Seeds the ids of backups taken through the API.
const BACKUP_SEED: u64 = 0xbac0_0000_0000_0000;

/// A job with its JSON in each shape (rendered when first served after a change), and for a
/// progressing job how far it has got.
pub(crate) struct Entry {
    /// The job as listed (for a progressing job: its [`listed_step`]).
    pub(crate) job: FakeJob,
    json: Rendered,
    /// How many describes a progressing job has answered.
    answered: u32,
    /// The step `job` is in; `None` before it is put in one.
    shown: Option<u32>,
    not_found_left: u32,
    /// Started through the API: it completes at the server-clock time of the describe that
    /// finishes it.
    live: bool,
    /// The server's clock, which a live job's completion reads.
    clock: ServerClock,
    /// A job that runs on the server's clock: shows where it stands at each moment.
    run: Option<Run>,
}

/// When a job that runs on the server's clock runs, how it ends, and what it shows.
#[derive(Debug, Clone, Copy)]
struct Run {
    span: Span,
    ending: Ending,
    /// The stage `job` shows; `None` before it shows one.
    shown: Option<Stage>,
}

impl Entry {
    fn new(job: FakeJob, not_found_polls: u32, live: bool, clock: ServerClock) -> Entry {
        let progress = job.progress;
        let mut entry = Entry {
            job,
            json: Rendered::default(),
            answered: 0,
            shown: None,
            not_found_left: if progress.is_some() {
                not_found_polls
            } else {
                0
            },
            live,
            clock,
            run: None,
        };
        if let Some(progress) = progress {
            entry.show(listed_step(0, progress.polls_until_done));
        }
        entry
    }

    /// A job that runs on the server's clock for `runs_for` from `begins`, then shows
    /// `ending`: created at `begins`, and showing where it stands now.
    fn running(mut job: FakeJob, span: Span, ending: Ending, clock: &ServerClock) -> Entry {
        job.progress = None;
        job.created_at = Some(clock.text(span.begins));
        let mut entry = Entry {
            run: Some(Run {
                span,
                ending,
                shown: None,
            }),
            ..Entry::new(job, 0, false, *clock)
        };
        entry.settle(clock, clock.now());
        entry
    }

    /// Shows where a job that runs on the server's clock stands at `now` (nanoseconds since
    /// the server started); nothing for any other job.
    fn settle(&mut self, clock: &ServerClock, now: i128) {
        let Some(run) = &mut self.run else {
            return;
        };
        let stage = run.span.stage_at(now);
        if run.shown == Some(stage) {
            return;
        }
        run.shown = Some(stage);
        match stage {
            Stage::Running { tenths } => self.job.show_running(u64::from(tenths)),
            Stage::Ended => {
                let (ending, ends) = (run.ending, run.span.ends);
                self.job.show_ending(ending, clock.text(ends));
            }
        }
        self.json = Rendered::default();
    }

    /// When a job that runs on the server's clock ends (nanoseconds since the server
    /// started); `None` for any other job.
    fn ends(&self) -> Option<i128> {
        self.run.map(|run| run.span.ends)
    }

    /// The job's JSON in `shape`.
    pub(crate) fn json(&self, shape: JobShape) -> &str {
        let cell = match shape {
            JobShape::V2025_04 => &self.json.v2025_04,
            JobShape::V2026_07 => &self.json.v2026_07,
        };
        cell.get_or_init(|| self.job.render(shape))
    }

    /// One describe of the job: `None` while it is still (transiently) not found, which
    /// does not advance it; otherwise the job in `shape`. A progressing job's `k`-th describe
    /// answers its `k`-th step, after which it is listed as [`listed_step`] says.
    pub(crate) fn describe(&mut self, shape: JobShape) -> Option<String> {
        if self.not_found_left > 0 {
            self.not_found_left -= 1;
            return None;
        }
        let Some(progress) = self.job.progress else {
            return Some(self.json(shape).to_owned());
        };
        let polls = progress.polls_until_done;
        self.answered = self.answered.saturating_add(1).min(polls);
        self.show(self.answered);
        let answer = self.json(shape).to_owned();
        self.show(listed_step(self.answered, polls));
        Some(answer)
    }

    /// Puts a progressing job in its `step`-th state, if it is not in it already; a live job
    /// that reaches its ending completes now.
    fn show(&mut self, step: u32) {
        if self.shown == Some(step) {
            return;
        }
        self.shown = Some(step);
        self.job.advance_to(step);
        if self.live
            && self
                .job
                .progress
                .is_some_and(|p| step >= p.polls_until_done)
        {
            self.job.completed_at = Some(self.clock.now_text());
        }
        self.json = Rendered::default();
    }
}

/// The JSON of an entry in each shape, rendered when it is first asked for; emptied whenever
/// the entry changes. A thing that changes often (with the clock) then costs a rendering only
/// when it is served.
#[derive(Debug, Default)]
struct Rendered {
    v2025_04: OnceCell<String>,
    v2026_07: OnceCell<String>,
}

/// A backup with its JSON in each shape (rendered when first served after a change), and for
/// one taken through the API how far it has got.
pub(crate) struct BackupEntry {
    pub(crate) backup: FakeBackup,
    json: Rendered,
    /// Taken through the API: its failure reads as each version names it.
    live: bool,
    /// While it is `Initializing`: the describes left before it shows `ending`.
    progress: Option<BackupProgress>,
    /// The schedule whose run made it.
    schedule_id: Option<String>,
    /// A backup that stops `Initializing` at a time on the server's clock.
    settles: Option<Settles>,
}

/// When a backup stops `Initializing` on the server's clock, and what it is from then on.
#[derive(Debug, Clone)]
struct Settles {
    /// Nanoseconds since the server started.
    at: i128,
    /// The status from `at` on.
    ending: String,
    /// It shows `ending`.
    settled: bool,
}

/// How a backup taken through the API gets to its ending.
#[derive(Debug, Clone, Copy)]
struct BackupProgress {
    describes_left: u32,
    ending: &'static str,
}

/// The `status` of a backup taken through the API that failed, before it is rendered (see
/// [`BackupShape::failed_status`]).
const FAILED: &str = "Failed";

impl BackupEntry {
    fn new(backup: FakeBackup) -> BackupEntry {
        BackupEntry {
            backup,
            json: Rendered::default(),
            live: false,
            progress: None,
            schedule_id: None,
            settles: None,
        }
    }

    /// A backup that is `Initializing` until `at` (nanoseconds since the server started),
    /// and from then on has the status it was given (`Ready`, or `Failed` and the like),
    /// showing where it stands at `now`.
    fn settling(mut backup: FakeBackup, at: i128, now: i128) -> BackupEntry {
        let ending = std::mem::replace(&mut backup.status, "Initializing".to_owned());
        let mut entry = BackupEntry::new(backup);
        entry.settles = Some(Settles {
            at,
            ending,
            settled: false,
        });
        entry.settle(now);
        entry
    }

    /// Shows the status a backup that settles on the server's clock has at `now`; nothing
    /// for any other backup.
    fn settle(&mut self, now: i128) {
        let Some(settles) = &mut self.settles else {
            return;
        };
        if settles.settled || now < settles.at {
            return;
        }
        settles.settled = true;
        self.backup.status = settles.ending.clone();
        self.json = Rendered::default();
    }

    /// A backup taken through the API: `Initializing` for `describes` describes, then
    /// `Ready` (or failed).
    fn live(mut backup: FakeBackup, describes: u32, fails: bool) -> BackupEntry {
        let ending = if fails { FAILED } else { "Ready" };
        let progress = if describes == 0 {
            backup.status = ending.to_owned();
            None
        } else {
            backup.status = "Initializing".to_owned();
            Some(BackupProgress {
                describes_left: describes,
                ending,
            })
        };
        BackupEntry {
            progress,
            live: true,
            ..BackupEntry::new(backup)
        }
    }

    /// The backup's JSON in `shape`: a failed backup taken through the API reads as the
    /// version names the failure.
    pub(crate) fn json(&self, shape: BackupShape) -> &str {
        let cell = match shape {
            BackupShape::V2025_04 => &self.json.v2025_04,
            BackupShape::V2026_07 => &self.json.v2026_07,
        };
        cell.get_or_init(|| {
            if self.live && self.backup.status == FAILED {
                self.backup.render_with_status(shape, shape.failed_status())
            } else {
                self.backup.render(shape)
            }
        })
    }

    /// One describe: the backup in `shape` as it is, after which one taken through the API
    /// moves towards its ending (so a listing, which shows it as it is, and a describe at the
    /// same moment agree).
    fn describe(&mut self, shape: BackupShape) -> String {
        let answer = self.json(shape).to_owned();
        if let Some(progress) = &mut self.progress {
            progress.describes_left = progress.describes_left.saturating_sub(1);
            if progress.describes_left == 0 {
                self.backup.status = progress.ending.to_owned();
                self.progress = None;
                self.json = Rendered::default();
            }
        }
        answer
    }
}

/// Why an index's backups cannot be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnknownIndex {
    /// No index has this name (or, with `include_deleted`, ever had it).
    NotFound,
}

/// Where a job is kept.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Seeded(usize),
    Timed(usize),
    Created(usize),
}

/// What a fake control plane starts with.
pub(crate) struct Seed {
    /// Listed in this order.
    pub(crate) jobs: Vec<FakeJob>,
    /// Indexes that exist besides the targets of the jobs.
    pub(crate) indexes: Vec<String>,
    /// A later backup replaces an earlier one with the same id.
    pub(crate) backups: Vec<FakeBackup>,
    pub(crate) not_found_polls: u32,
    pub(crate) restore_polls: u32,
    /// Indexes deleted since: a job that restored into one is still listed, and the name is
    /// free again.
    pub(crate) deleted_indexes: Vec<String>,
    pub(crate) backup_rules: BackupRules,
    /// The index each backs up exists.
    pub(crate) schedules: Vec<FakeSchedule>,
    /// Jobs that run on the server's clock, listed after the started restores and before
    /// `jobs`, newest first.
    pub(crate) timed: Vec<TimedJob>,
    /// Backups (by id) that are `Initializing` until this long after the server starts, then
    /// have the status they were given; created as the server starts.
    pub(crate) settling_backups: Vec<(String, Duration)>,
    /// Started when the server started.
    pub(crate) clock: ServerClock,
    /// Restores started through the API run for this long on the server's clock, instead of
    /// for `restore_polls` describes.
    pub(crate) restore_runs_for: Option<Duration>,
}

/// Why a backup was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackupRefusal {
    /// No index has the name.
    UnknownIndex,
    /// The project has `count` backups, which is as many as its `quota`.
    Quota { count: usize, quota: usize },
}

/// Why a backup was not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeleteRefusal {
    /// No backup has the id.
    Unknown,
    /// These restore jobs from the backup have not finished.
    PendingRestores(Vec<String>),
}

/// How backups taken through the API behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BackupRules {
    /// Describes a backup answers `Initializing` to before its ending.
    pub(crate) polls: u32,
    /// They end failed instead of `Ready`.
    pub(crate) failures: bool,
    /// No backup is taken while the project has this many.
    pub(crate) quota: Option<usize>,
    /// They are `Initializing` until this long after their creation on the server's clock,
    /// instead of for `polls` describes.
    pub(crate) ready_after: Option<Duration>,
}

/// Why a restore was not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    UnknownBackup,
    BackupNotReady,
    IndexExists,
}

/// The ids of a started restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Started {
    pub(crate) restore_job_id: String,
    pub(crate) index_id: String,
}

/// The jobs in listing order (started restores newest first, then the timed jobs newest first,
/// then the seeded jobs), and the indexes and backups.
pub(crate) struct Store {
    seeded: Vec<Entry>,
    /// Jobs that run on the server's clock, newest `created_at` first (in the order added
    /// among equals).
    timed: Vec<Entry>,
    /// Oldest first; listed in reverse.
    created: Vec<Entry>,
    by_id: HashMap<String, Slot>,
    indexes: HashSet<String>,
    /// Names that an index has had at some time: the existing ones, the deleted ones, and
    /// the source index of every backup.
    ever_named: HashSet<String>,
    /// In listing order.
    backups: Vec<BackupEntry>,
    backup_by_id: HashMap<String, usize>,
    not_found_polls: u32,
    restore_polls: u32,
    /// Counts the ids handed out to started restores.
    next_id: u64,
    /// The ids of the indexes whose id is known: the targets of the jobs.
    index_ids: HashMap<String, String>,
    backup_rules: BackupRules,
    /// Counts the ids handed out to backups taken through the API.
    next_backup: u64,
    /// In the order they were added.
    schedules: Vec<ScheduleEntry>,
    /// Counts the ids handed out to schedules created through the API.
    next_schedule: u64,
    clock: ServerClock,
    restore_runs_for: Option<Duration>,
}

impl Store {
    /// # Errors
    ///
    /// A message naming the id when two jobs share a `restore_job_id`.
    pub(crate) fn new(seed: Seed) -> Result<Store, String> {
        let mut by_id = HashMap::with_capacity(seed.jobs.len());
        let mut indexes: HashSet<String> = seed.indexes.into_iter().collect();
        let mut index_ids = HashMap::new();
        for (i, job) in seed.jobs.iter().enumerate() {
            if by_id
                .insert(job.restore_job_id.clone(), Slot::Seeded(i))
                .is_some()
            {
                return Err(format!("two jobs have the id `{}`", job.restore_job_id));
            }
            indexes.insert(job.target_index_name.clone());
            index_ids.insert(job.target_index_name.clone(), job.target_index_id.clone());
        }
        let mut timed = seed.timed;
        // newest first; a stable sort keeps the order added among equals
        timed.sort_by_key(|t| std::cmp::Reverse(t.span().begins));
        for (i, t) in timed.iter().enumerate() {
            let job = &t.job;
            if by_id
                .insert(job.restore_job_id.clone(), Slot::Timed(i))
                .is_some()
            {
                return Err(format!("two jobs have the id `{}`", job.restore_job_id));
            }
            indexes.insert(job.target_index_name.clone());
            index_ids.insert(job.target_index_name.clone(), job.target_index_id.clone());
        }
        let now = seed.clock.now();
        let mut backups: Vec<BackupEntry> = Vec::with_capacity(seed.backups.len());
        let mut backup_by_id = HashMap::with_capacity(seed.backups.len());
        for backup in seed.backups {
            if backup.source_index_deleted_at.is_none() {
                indexes.insert(backup.source_index_name.clone());
            }
            let settles = seed
                .settling_backups
                .iter()
                .rev()
                .find(|(id, _)| *id == backup.backup_id);
            let entry = match settles {
                Some((_, after)) => {
                    let mut backup = backup;
                    backup.created_at = Some(seed.clock.text(0));
                    BackupEntry::settling(backup, Span::from(0, *after).ends, now)
                }
                None => BackupEntry::new(backup),
            };
            match backup_by_id.get(&entry.backup.backup_id) {
                Some(&i) => {
                    if let Some(slot) = backups.get_mut(i) {
                        *slot = entry;
                    }
                }
                None => {
                    backup_by_id.insert(entry.backup.backup_id.clone(), backups.len());
                    backups.push(entry);
                }
            }
        }
        let now_ms = seed.clock.now_millis();
        let mut schedules: Vec<ScheduleEntry> = Vec::with_capacity(seed.schedules.len());
        for schedule in seed.schedules {
            if schedules
                .iter()
                .any(|s| s.schedule.schedule_id == schedule.schedule_id)
            {
                return Err(format!(
                    "two schedules have the id `{}`",
                    schedule.schedule_id
                ));
            }
            indexes.insert(schedule.index_name.clone());
            index_ids
                .entry(schedule.index_name.clone())
                .or_insert_with(|| schedule.index_id.clone());
            schedules.push(ScheduleEntry::seeded(schedule, now_ms)?);
        }
        for deleted in &seed.deleted_indexes {
            indexes.remove(deleted);
        }
        let ever_named = indexes
            .iter()
            .cloned()
            .chain(seed.deleted_indexes)
            .chain(backups.iter().map(|e| e.backup.source_index_name.clone()))
            .collect();
        let seeded = seed
            .jobs
            .into_iter()
            .map(|job| Entry::new(job, seed.not_found_polls, false, seed.clock))
            .collect();
        let timed = timed
            .into_iter()
            .map(|t| {
                let span = t.span();
                Entry::running(t.job, span, t.ending, &seed.clock)
            })
            .collect();
        Ok(Store {
            seeded,
            timed,
            created: Vec::new(),
            by_id,
            indexes,
            ever_named,
            backups,
            backup_by_id,
            not_found_polls: seed.not_found_polls,
            restore_polls: seed.restore_polls,
            next_id: 0,
            index_ids,
            backup_rules: seed.backup_rules,
            next_backup: 0,
            schedules,
            next_schedule: 0,
            clock: seed.clock,
            restore_runs_for: seed.restore_runs_for,
        })
    }

    /// Brings the store up to the server's clock: every schedule's runs that have come are
    /// made, and every job and backup that changes with the clock shows where it stands now.
    /// Every read of the store comes after this, so a listing and a describe at the same
    /// moment show the same.
    pub(crate) fn catch_up(&mut self) {
        self.run_schedules();
        let clock = self.clock;
        let now = clock.now();
        for entry in self.timed.iter_mut().chain(self.created.iter_mut()) {
            entry.settle(&clock, now);
        }
        for entry in &mut self.backups {
            entry.settle(now);
        }
    }

    /// When the job with this id ends, if it runs on the server's clock.
    pub(crate) fn ended_at(&self, id: &str) -> Option<Instant> {
        self.clock.instant(self.get(id)?.ends()?)
    }

    /// When the last job that runs on the server's clock ends; `None` when there is none.
    pub(crate) fn all_ended_at(&self) -> Option<Instant> {
        let last = self
            .timed
            .iter()
            .chain(&self.created)
            .filter_map(Entry::ends)
            .max()?;
        self.clock.instant(last)
    }

    /// When the backup with this id stops `Initializing`, if that is decided by the server's
    /// clock.
    pub(crate) fn backup_ended_at(&self, id: &str) -> Option<Instant> {
        let at = self.backup(id)?.settles.as_ref()?.at;
        self.clock.instant(at)
    }

    /// How many jobs are listed.
    pub(crate) fn len(&self) -> usize {
        self.created.len() + self.timed.len() + self.seeded.len()
    }

    /// The job at `position` in listing order.
    pub(crate) fn at(&self, position: usize) -> Option<&Entry> {
        let Some(after_created) = position.checked_sub(self.created.len()) else {
            return self
                .created
                .len()
                .checked_sub(position + 1)
                .and_then(|i| self.created.get(i));
        };
        match after_created.checked_sub(self.timed.len()) {
            Some(i) => self.seeded.get(i),
            None => self.timed.get(after_created),
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Entry> {
        match *self.by_id.get(id)? {
            Slot::Seeded(i) => self.seeded.get(i),
            Slot::Timed(i) => self.timed.get(i),
            Slot::Created(i) => self.created.get(i),
        }
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        match *self.by_id.get(id)? {
            Slot::Seeded(i) => self.seeded.get_mut(i),
            Slot::Timed(i) => self.timed.get_mut(i),
            Slot::Created(i) => self.created.get_mut(i),
        }
    }

    /// Every backup, in listing order.
    pub(crate) fn backups(&self) -> &[BackupEntry] {
        &self.backups
    }

    /// The backup with this id.
    pub(crate) fn backup(&self, id: &str) -> Option<&BackupEntry> {
        self.backup_by_id.get(id).and_then(|&i| self.backups.get(i))
    }

    /// One describe of the backup with this id: its JSON in `shape` as it is (see
    /// [`BackupEntry::describe`]), or `None` when there is no such backup.
    pub(crate) fn describe_backup(&mut self, id: &str, shape: BackupShape) -> Option<String> {
        let &i = self.backup_by_id.get(id)?;
        self.backups.get_mut(i).map(|entry| entry.describe(shape))
    }

    /// Every backup whose source index is named `name` (those of deleted indexes included),
    /// in listing order.
    pub(crate) fn backups_of(&self, name: &str) -> Vec<FakeBackup> {
        self.backups
            .iter()
            .filter(|e| e.backup.source_index_name == name)
            .map(|e| e.backup.clone())
            .collect()
    }

    /// Takes a backup of the index `index`, listed last: `Initializing` (or at once its
    /// ending), created now on the server's clock, with a fresh id. Its other fields are those
    /// of the index's newest-listed backup, or derived from the index's name.
    ///
    /// # Errors
    ///
    /// Why it was not taken; nothing changed then.
    pub(crate) fn create_backup(
        &mut self,
        index: &str,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<&BackupEntry, BackupRefusal> {
        if !self.indexes.contains(index) {
            return Err(BackupRefusal::UnknownIndex);
        }
        if let Some(quota) = self.backup_rules.quota
            && self.backups.len() >= quota
        {
            return Err(BackupRefusal::Quota {
                count: self.backups.len(),
                quota,
            });
        }
        let backup_id = self.fresh_backup_id();
        let mut backup = self.backup_like(index, &backup_id);
        backup.name = name;
        backup.description = description;
        let entry = match self.backup_rules.ready_after {
            Some(after) => {
                let now = self.clock.now();
                backup.created_at = Some(self.clock.text(now));
                backup.status = if self.backup_rules.failures {
                    FAILED
                } else {
                    "Ready"
                }
                .to_owned();
                BackupEntry {
                    live: true,
                    ..BackupEntry::settling(backup, Span::from(now, after).ends, now)
                }
            }
            None => {
                backup.created_at = Some(self.clock.now_text());
                BackupEntry::live(backup, self.backup_rules.polls, self.backup_rules.failures)
            }
        };
        self.backup_by_id.insert(backup_id, self.backups.len());
        self.backups.push(entry);
        // Invariant: a backup was pushed on the line above.
        Ok(self.backups.last().expect("a backup was just pushed"))
    }

    /// Deletes the backup with this id: it is gone from every listing. With
    /// `wait_for_restores`, not while a restore job from it has not finished (its status is
    /// not `Completed`, `Failed` or `Cancelled`).
    ///
    /// # Errors
    ///
    /// Why it was not deleted; nothing changed then.
    pub(crate) fn delete_backup(
        &mut self,
        id: &str,
        wait_for_restores: bool,
    ) -> Result<(), DeleteRefusal> {
        let Some(&position) = self.backup_by_id.get(id) else {
            return Err(DeleteRefusal::Unknown);
        };
        if wait_for_restores {
            // the restores started through the API, newest first, then the seeded jobs
            let pending: Vec<String> = (0..self.len())
                .filter_map(|p| self.at(p))
                .map(|entry| &entry.job)
                .filter(|job| {
                    job.backup_id == id
                        && !matches!(job.status.as_str(), "Completed" | "Failed" | "Cancelled")
                })
                .map(|job| job.restore_job_id.clone())
                .collect();
            if !pending.is_empty() {
                return Err(DeleteRefusal::PendingRestores(pending));
            }
        }
        self.backups.remove(position);
        self.backup_by_id = self
            .backups
            .iter()
            .enumerate()
            .map(|(i, e)| (e.backup.backup_id.clone(), i))
            .collect();
        Ok(())
    }

    /// A new backup of the index `index` with the id `backup_id`: `Ready`, with the fields of
    /// the index's newest-listed backup, or derived from the index's name and id (and no tags)
    /// when it has none; no name, description or `created_at` yet.
    fn backup_like(&self, index: &str, backup_id: &str) -> FakeBackup {
        let template = self
            .backups
            .iter()
            .rev()
            .map(|e| &e.backup)
            .find(|b| b.source_index_name == index && b.source_index_deleted_at.is_none());
        let mut backup = match template {
            Some(template) => template.clone(),
            None => {
                let mut derived = FakeBackup::ready(backup_id).of_index(index);
                if let Some(id) = self.index_ids.get(index) {
                    derived.source_index_id = id.clone();
                }
                derived.tags.clear();
                derived
            }
        };
        backup.backup_id = backup_id.to_owned();
        backup.status = "Ready".to_owned();
        backup.name = None;
        backup.description = None;
        backup.created_at = None;
        backup.source_index_deleted_at = None;
        backup
    }

    /// A backup id no backup has.
    fn fresh_backup_id(&mut self) -> String {
        loop {
            let n = self.next_backup;
            self.next_backup = self.next_backup.wrapping_add(1);
            let id = generate::uuid(BACKUP_SEED ^ n);
            if !self.backup_by_id.contains_key(&id) {
                return id;
            }
        }
    }

    /// The positions (in [`backups`](Self::backups)) of the backups of the index `name`, in
    /// listing order: of the existing index only, or with `include_deleted` of every index
    /// that has had the name.
    ///
    /// # Errors
    ///
    /// [`UnknownIndex::NotFound`] when no index has the name, or with `include_deleted` when
    /// none ever had it.
    pub(crate) fn index_backups(
        &self,
        name: &str,
        include_deleted: bool,
    ) -> Result<Vec<usize>, UnknownIndex> {
        let known = if include_deleted {
            self.ever_named.contains(name)
        } else {
            self.indexes.contains(name)
        };
        if !known {
            return Err(UnknownIndex::NotFound);
        }
        Ok(self
            .backups
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.backup.source_index_name == name
                    && (include_deleted || e.backup.source_index_deleted_at.is_none())
            })
            .map(|(i, _)| i)
            .collect())
    }

    /// Starts restoring `backup_id` into a new index `name`: a job listed first, created now
    /// on the server's clock, in its first step (`Pending` unless it takes at most one
    /// describe), and `name` now exists.
    ///
    /// # Errors
    ///
    /// Why it did not start; nothing changed then.
    pub(crate) fn restore(&mut self, backup_id: &str, name: &str) -> Result<Started, Refusal> {
        match self.backup(backup_id).map(|entry| &entry.backup) {
            None => return Err(Refusal::UnknownBackup),
            Some(backup) if !backup.is_ready() => return Err(Refusal::BackupNotReady),
            Some(_) => {}
        }
        if self.indexes.contains(name) {
            return Err(Refusal::IndexExists);
        }
        let (restore_job_id, index_id) = self.fresh_ids();
        let progress = Progress {
            polls_until_done: self.restore_polls,
            ending: Ending::Completed,
        };
        let job = FakeJob {
            restore_job_id: restore_job_id.clone(),
            backup_id: backup_id.to_owned(),
            target_index_name: name.to_owned(),
            target_index_id: index_id.clone(),
            created_at: Some(self.clock.now_text()),
            progress: Some(progress),
            ..FakeJob::completed(&restore_job_id)
        };
        let entry = match self.restore_runs_for {
            Some(runs_for) => {
                let span = Span::from(self.clock.now(), runs_for);
                let clock = self.clock;
                Entry::running(job, span, Ending::Completed, &clock)
            }
            None => Entry::new(job, self.not_found_polls, true, self.clock),
        };
        self.by_id
            .insert(restore_job_id.clone(), Slot::Created(self.created.len()));
        self.created.push(entry);
        self.indexes.insert(name.to_owned());
        self.ever_named.insert(name.to_owned());
        self.index_ids.insert(name.to_owned(), index_id.clone());
        Ok(Started {
            restore_job_id,
            index_id,
        })
    }

    /// A restore job id no job has, and an index id.
    fn fresh_ids(&mut self) -> (String, String) {
        loop {
            let n = self.next_id;
            self.next_id = self.next_id.wrapping_add(1);
            let job_id = generate::uuid(RESTORE_JOB_SEED ^ n);
            if !self.by_id.contains_key(&job_id) {
                return (job_id, generate::uuid(INDEX_SEED ^ n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKUP_RULES: BackupRules = BackupRules {
        polls: 2,
        failures: false,
        quota: None,
        ready_after: None,
    };

    fn seeded(jobs: &[&str], restore_polls: u32) -> Store {
        Store::new(Seed {
            jobs: jobs.iter().map(|id| FakeJob::completed(id)).collect(),
            indexes: vec!["taken".to_owned()],
            backups: vec![FakeBackup::ready("b"), FakeBackup::not_ready("b-pending")],
            not_found_polls: 0,
            restore_polls,
            deleted_indexes: Vec::new(),
            backup_rules: BACKUP_RULES,
            schedules: Vec::new(),
            timed: Vec::new(),
            settling_backups: Vec::new(),
            clock: ServerClock::start(0),
            restore_runs_for: None,
        })
        .unwrap()
    }

    fn listed(store: &Store) -> Vec<String> {
        (0..store.len())
            .map(|p| store.at(p).unwrap().job.restore_job_id.clone())
            .collect()
    }

    #[test]
    fn started_restores_are_listed_first_newest_first() {
        let mut store = seeded(&["s1", "s2"], 2);
        let a = store.restore("b", "index-a").unwrap();
        let b = store.restore("b", "index-b").unwrap();
        assert_eq!(
            listed(&store),
            [&b.restore_job_id, &a.restore_job_id, "s1", "s2"]
        );
        assert!(store.at(4).is_none());
        assert_ne!(a.index_id, b.index_id);
        let job = &store.get(&a.restore_job_id).unwrap().job;
        assert_eq!(
            (job.backup_id.as_str(), job.target_index_name.as_str()),
            ("b", "index-a")
        );
        assert_eq!(job.target_index_id, a.index_id);
        assert_eq!(job.status, "Pending");
        assert_eq!(job.completed_at, None);
    }

    #[test]
    fn refusals_change_nothing() {
        let mut store = seeded(&["s1"], 2);
        let target = store.get("s1").unwrap().job.target_index_name.clone();
        assert_eq!(store.restore("nope", "x"), Err(Refusal::UnknownBackup));
        assert_eq!(
            store.restore("b-pending", "x"),
            Err(Refusal::BackupNotReady)
        );
        assert_eq!(store.restore("b", "taken"), Err(Refusal::IndexExists));
        assert_eq!(store.restore("b", &target), Err(Refusal::IndexExists));
        assert_eq!(store.len(), 1);
        assert!(store.restore("b", "x").is_ok());
        assert_eq!(store.restore("b", "x"), Err(Refusal::IndexExists));
    }

    /// The status in a describe's answer.
    fn described(entry: &mut Entry) -> String {
        let answer = entry.describe(JobShape::V2025_04).unwrap();
        let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
        v["status"].as_str().unwrap().to_owned()
    }

    #[test]
    fn a_started_restore_completes_at_the_describe_that_finishes_it() {
        let mut store = seeded(&[], 2);
        let id = store.restore("b", "x").unwrap().restore_job_id;
        let entry = store.get_mut(&id).unwrap();
        assert_eq!(
            entry.job.percent_complete,
            Some(50.0),
            "what describe 1 answers"
        );
        assert_eq!(described(entry), "Pending");
        // the ending is listed only once a describe has answered it
        assert_eq!(entry.job.status, "Pending");
        assert_eq!(described(entry), "Completed");
        assert_eq!(entry.job.status, "Completed");
        let completed_at = entry.job.completed_at.clone().unwrap();
        let created_at = entry.job.created_at.clone().unwrap();
        assert!(completed_at >= created_at, "{created_at} .. {completed_at}");
        assert_eq!(described(entry), "Completed");
        assert_eq!(entry.job.completed_at, Some(completed_at), "stamped once");

        // a restore that takes one describe is listed Pending until that describe
        let mut one = seeded(&[], 1);
        let id = one.restore("b", "y").unwrap().restore_job_id;
        let entry = one.get_mut(&id).unwrap();
        assert_eq!(entry.job.status, "Pending");
        assert_eq!(described(entry), "Completed");

        let mut instant = seeded(&[], 0);
        let id = instant.restore("b", "z").unwrap().restore_job_id;
        let job = &instant.get(&id).unwrap().job;
        assert_eq!(job.status, "Completed");
        assert!(job.completed_at.is_some());
    }

    #[test]
    fn duplicate_job_ids_are_refused() {
        let err = Store::new(Seed {
            jobs: vec![FakeJob::completed("same"), FakeJob::completed("same")],
            indexes: Vec::new(),
            backups: Vec::new(),
            not_found_polls: 0,
            restore_polls: 3,
            deleted_indexes: Vec::new(),
            backup_rules: BACKUP_RULES,
            schedules: Vec::new(),
            timed: Vec::new(),
            settling_backups: Vec::new(),
            clock: ServerClock::start(0),
            restore_runs_for: None,
        });
        assert!(err.is_err_and(|message| message.contains("`same`")));
    }
}
