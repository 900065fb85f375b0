//! The builder, the running server and what it reports.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::backup::FakeBackup;
use crate::demo::{self, DEMO_INDEX_DELETED, DEMO_INDEX_WITHOUT_BACKUPS};
use crate::fault::{Endpoint, Fault, FaultQueues};
use crate::generate;
use crate::handler::{self, Shared, lock};
use crate::job::{Ending, FakeJob};
use crate::listener::{CountingListener, Cutoff};
use crate::schedule::FakeSchedule;
use crate::store::{BackupRules, Seed, Store};
use crate::timed::{self, ServerClock, TimedJob};
use crate::tls::{self, ServerCert};

/// Configuration of a fake control plane; [`start`](FakeControlPlane::start) runs it.
///
/// Jobs are listed in a fixed order, newest first as the API lists them where the fake knows
/// which is newest:
/// 1. the restores started through the API, newest first;
/// 2. the jobs that run on the server's clock ([`timed_job`](FakeControlPlane::timed_job),
///    [`jobs_running`](FakeControlPlane::jobs_running)), newest `created_at` first: they are
///    created as the server starts or before ([`TimedJob::started_ago`]), so every restore
///    started through the API is newer. Among jobs created at the same instant, those added
///    with `timed_job` come first, in the order they were added, then those of
///    `jobs_running`, in the order of their ids;
/// 3. the jobs added with [`job`](FakeControlPlane::job), in the order they were added (their
///    `created_at` is whatever they were given);
/// 4. the generated ones ([`jobs`](FakeControlPlane::jobs)), newest first, all created before
///    July 2025.
#[derive(Clone)]
pub struct FakeControlPlane {
    generated: usize,
    jobs: Vec<FakeJob>,
    backups: Vec<FakeBackup>,
    indexes: Vec<String>,
    api_key: Option<String>,
    page_overlap: usize,
    path_prefix: String,
    not_found_polls: u32,
    restore_polls: u32,
    clock_ahead_ms: i64,
    dates: bool,
    deleted_indexes: Vec<String>,
    /// Jobs whose `created_at` is set at start, this long before the server's clock then.
    ages: Vec<(String, Duration)>,
    /// Backups whose `created_at` is set at start, this long before the server's clock then.
    backup_ages: Vec<(String, Duration)>,
    https: Option<ServerCert>,
    latency: Duration,
    backup_polls: u32,
    backup_failures: bool,
    backup_quota: Option<usize>,
    schedules: Vec<FakeSchedule>,
    /// Schedules whose `created_at` is set at start, this long before the server's clock then.
    schedule_ages: Vec<(String, Duration)>,
    schedules_allowed: bool,
    timed: Vec<TimedJob>,
    /// [`jobs_running`](FakeControlPlane::jobs_running): how many, when the first ends, over
    /// how long the others end.
    running: (usize, Duration, Duration),
    /// Backups (by id) that are `Initializing` until this long after the server starts.
    settling_backups: Vec<(String, Duration)>,
    restore_runs_for: Option<Duration>,
    backup_ready_after: Option<Duration>,
}

impl Default for FakeControlPlane {
    fn default() -> FakeControlPlane {
        FakeControlPlane {
            generated: 0,
            jobs: Vec::new(),
            backups: Vec::new(),
            indexes: Vec::new(),
            api_key: None,
            page_overlap: 0,
            path_prefix: String::new(),
            not_found_polls: 0,
            restore_polls: 3,
            clock_ahead_ms: 0,
            dates: true,
            deleted_indexes: Vec::new(),
            ages: Vec::new(),
            backup_ages: Vec::new(),
            https: None,
            latency: Duration::ZERO,
            backup_polls: 2,
            backup_failures: false,
            backup_quota: None,
            schedules: Vec::new(),
            schedule_ages: Vec::new(),
            schedules_allowed: true,
            timed: Vec::new(),
            running: (0, Duration::ZERO, Duration::ZERO),
            settling_backups: Vec::new(),
            restore_runs_for: None,
            backup_ready_after: None,
        }
    }
}

impl fmt::Debug for FakeControlPlane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeControlPlane")
            .field("generated", &self.generated)
            .field("jobs", &self.jobs.len())
            .field("backups", &self.backups.len())
            .field("indexes", &self.indexes.len())
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("page_overlap", &self.page_overlap)
            .field("path_prefix", &self.path_prefix)
            .field("not_found_polls", &self.not_found_polls)
            .field("restore_polls", &self.restore_polls)
            .field("clock_ahead_ms", &self.clock_ahead_ms)
            .field("dates", &self.dates)
            .field("deleted_indexes", &self.deleted_indexes)
            .field("ages", &self.ages)
            .field("backup_ages", &self.backup_ages)
            .field("https", &self.https)
            .field("latency", &self.latency)
            .field("backup_polls", &self.backup_polls)
            .field("backup_failures", &self.backup_failures)
            .field("backup_quota", &self.backup_quota)
            .field("schedules", &self.schedules.len())
            .field("schedule_ages", &self.schedule_ages)
            .field("schedules_allowed", &self.schedules_allowed)
            .field("timed", &self.timed.len())
            .field("running", &self.running)
            .field("settling_backups", &self.settling_backups)
            .field("restore_runs_for", &self.restore_runs_for)
            .field("backup_ready_after", &self.backup_ready_after)
            .finish()
    }
}

/// The id of the demo job that completes after a few describes; see [`FakeControlPlane::demo`].
pub const DEMO_IN_PROGRESS_ID: &str = "demo-restore-in-progress";
/// The id of the demo job that ends `Failed`; see [`FakeControlPlane::demo`].
pub const DEMO_FAILING_ID: &str = "demo-restore-failing";

impl FakeControlPlane {
    /// An empty control plane: no jobs, backups or indexes, any API key accepted, no prefix, no
    /// overlap; restores started through the API take 3 describes to complete.
    pub fn builder() -> FakeControlPlane {
        FakeControlPlane::default()
    }

    /// A preset for demos: 25 varied jobs, 20 backups of seven indexes, a daily backup
    /// schedule (API 2026-07) and the backups it made, any API key accepted, every version.
    ///
    /// The first two listed jobs run on the server's clock (see [`TimedJob`]: a listing and a
    /// describe at the same moment agree, and reading them moves nothing):
    /// - [`DEMO_IN_PROGRESS_ID`] (`demo-restore-in-progress`): `Pending` at 50% when the server
    ///   starts, rising with time; `Completed` 6 s after the start;
    /// - [`DEMO_FAILING_ID`] (`demo-restore-failing`): `Pending` at 75%, `Failed` 5 s after the
    ///   start.
    ///
    /// The other 23 are generated (mostly `Completed`, some `Pending`, `Failed`, `Cancelled`).
    ///
    /// Restores can start from the `Ready` backup [`DEMO_BACKUP_ID`](crate::DEMO_BACKUP_ID)
    /// (`demo-backup`) and take 5 describes to complete, like the first job;
    /// [`DEMO_BACKUP_PENDING_ID`](crate::DEMO_BACKUP_PENDING_ID) (`demo-backup-pending`) is
    /// `Initializing`, so restoring it gets 412.
    ///
    /// The backups, listed in an order that is not by date (as the API promises none):
    ///
    /// | index | backups, newest first |
    /// |---|---|
    /// | [`DEMO_INDEX_NEWEST_NOT_READY`](crate::DEMO_INDEX_NEWEST_NOT_READY) (`products-prod`) | `bkp-products-0630` Initializing, `bkp-products-0629` Failed, `demo-backup` Ready, `bkp-products-0621` Ready |
    /// | [`DEMO_INDEX_NEWEST_READY`](crate::DEMO_INDEX_NEWEST_READY) (`docs-search`) | `bkp-docs-0627` Ready, `bkp-docs-0620` Ready, `bkp-docs-0613` Failed |
    /// | [`DEMO_INDEX_NO_READY`](crate::DEMO_INDEX_NO_READY) (`support-tickets`) | `demo-backup-pending` Initializing, `bkp-support-0629` Failed |
    /// | [`DEMO_INDEX_DELETED`](crate::DEMO_INDEX_DELETED) (`legacy-catalog`, deleted) | `bkp-legacy-final` Ready, `bkp-legacy-0607` Ready |
    /// | [`DEMO_INDEX_WITHOUT_BACKUPS`](crate::DEMO_INDEX_WITHOUT_BACKUPS) (`analytics-eu`) | none |
    /// | [`DEMO_INDEX_AGED_BACKUPS`](crate::DEMO_INDEX_AGED_BACKUPS) (`reviews-prod`) | eight Ready: `bkp-reviews-w49`, `-w48`, `-w47`, `-w46` (2, 9, 16, 23 days old), `-w45`, `-w44` (37, 44 days), `bkp-reviews-summer` (65 days), `bkp-reviews-spring` (96 days) |
    /// | [`DEMO_INDEX_SCHEDULED`](crate::DEMO_INDEX_SCHEDULED) (`orders-prod`) | one Ready backup a day from its schedule, `orders-daily-<YYYYMMDDTHHMMSSZ>` (five or six), then `bkp-orders-manual` Ready (6 days old) |
    ///
    /// The ages of `reviews-prod`'s and `orders-prod`'s backups count back from the server's
    /// clock when it starts, so they are the same whenever the demo runs: a retention rule such
    /// as "keep the newest 2, delete what is older than 30 days" deletes `reviews-prod`'s four
    /// oldest backups, and keeps the four of the last 30 days. The other backups are dated June
    /// 2025.
    ///
    /// The schedule [`DEMO_SCHEDULE_ID`](crate::DEMO_SCHEDULE_ID) (`demo-schedule`, named
    /// `orders-daily`, served in 2026-07) backs up `orders-prod` every day at 06:00 UTC and was
    /// created five days and seven hours before the server started; its history lists the
    /// backups it made and the next run. Restores started through the API complete 5 s after
    /// they start, and backups taken through it are `Initializing` for 3 s, then `Ready`, both
    /// on the server's clock.
    ///
    /// The indexes with backups (but `legacy-catalog`) and `analytics-eu` exist, so a restore
    /// into one of their names gets 409, and a backup of any of them can be taken.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::demo().start()?;
    /// assert!(server.job("demo-restore-in-progress").is_some());
    /// assert_eq!(server.backup("demo-backup").map(|b| b.status), Some("Ready".to_owned()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn demo() -> FakeControlPlane {
        // jobs that run on the clock, so a wait that reads the listing (several ids) sees
        // them move as one that describes does: the first, the newest, completes 6 s after
        // the start, the second fails 5 s after it
        let plane = FakeControlPlane::builder()
            .timed_job(
                TimedJob::new(
                    DEMO_IN_PROGRESS_ID,
                    Duration::from_secs(12),
                    Ending::Completed,
                )
                .started_ago(Duration::from_secs(6)),
            )
            .timed_job(
                TimedJob::new(DEMO_FAILING_ID, Duration::from_secs(20), Ending::Failed)
                    .started_ago(Duration::from_secs(15)),
            )
            .jobs(23)
            .backups(demo::backups());
        let plane = demo::aged_backups()
            .into_iter()
            .fold(plane, |plane, (backup, ago)| {
                plane.backup_created_ago(backup, ago)
            });
        let (schedule, age) = demo::schedule();
        plane
            .schedule_created_ago(schedule, age)
            .index(DEMO_INDEX_WITHOUT_BACKUPS)
            .index_deleted(DEMO_INDEX_DELETED)
            .restore_runs_for(Duration::from_secs(5))
            .backup_ready_after(Duration::from_secs(3))
    }

    /// Generates `n` realistic jobs (deterministic: the same `n` always gives the same jobs).
    /// Replaces any earlier count; jobs added with [`job`](Self::job) are kept.
    pub fn jobs(mut self, n: usize) -> FakeControlPlane {
        self.generated = n;
        self
    }

    /// Adds one specific job, listed before the generated ones.
    pub fn job(mut self, job: FakeJob) -> FakeControlPlane {
        self.jobs.push(job);
        self
    }

    /// Adds one specific job, as [`job`](Self::job), created `ago` before the server's clock
    /// when the server starts (its `created_at` is replaced): someone else's restore from a
    /// little while ago.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{FakeControlPlane, FakeJob};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .job_created_ago(FakeJob::completed("old"), Duration::from_secs(200))
    ///     .start()?;
    /// assert!(server.job("old").and_then(|job| job.created_at).is_some());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn job_created_ago(mut self, job: FakeJob, ago: Duration) -> FakeControlPlane {
        self.ages.push((job.restore_job_id.clone(), ago));
        self.jobs.push(job);
        self
    }

    /// Adds a job that runs on the server's clock (see [`TimedJob`]): `Pending` from its
    /// creation, as the server starts or [`started_ago`](TimedJob::started_ago) that, then its
    /// ending from `runs_for` after it. Listing and describing it move nothing; it is listed
    /// after the restores started through the API and before every other job (see
    /// [`FakeControlPlane`] for the order). [`not_found_polls`](Self::not_found_polls) does not
    /// apply to it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{Ending, FakeControlPlane, TimedJob};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .jobs(5)
    ///     .timed_job(TimedJob::new("rj-1", Duration::from_secs(60), Ending::Cancelled))
    ///     .start()?;
    /// let page: serde_json::Value = serde_json::from_str(
    ///     &ureq::get(format!("{}/restore-jobs", server.base_url())).call()?.body_mut().read_to_string()?,
    /// )?;
    /// assert_eq!(page["data"][0]["restore_job_id"], "rj-1");
    /// assert_eq!((page["data"][0]["status"].as_str(), page["data"][0]["percent_complete"].as_u64()), (Some("Pending"), Some(0)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn timed_job(mut self, job: TimedJob) -> FakeControlPlane {
        self.timed.push(job);
        self
    }

    /// Adds `n` jobs that run on the server's clock (see [`TimedJob`]), created as the server
    /// starts and ending at known, evenly staggered times: the first `first_ends_after` after
    /// the start, the last `spread` after the first (with `n` 1, the only one ends after
    /// `first_ends_after`). Their ids are `rj-timed-0000`, `rj-timed-0001`, ... (four digits,
    /// more from 10,000 on), job `i` ending `first_ends_after + spread * i / (n - 1)` after the
    /// start, so the last listed ends last; each restores into its own index
    /// (`timed-index-0000`, ...) and ends `Completed`.
    ///
    /// They are listed after the restores started through the API and before every other job,
    /// `rj-timed-0000` first (see [`FakeControlPlane`] for the order), so a client that walks
    /// `GET /restore-jobs?limit=100` meets all of them in the first `n / 100` pages. For a
    /// benchmark of following many jobs: [`FakeServer::all_ended_at`] is when the last one
    /// ends. Replaces any earlier count.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder()
    ///     .jobs(50)
    ///     .jobs_running(200, Duration::from_secs(2), Duration::from_secs(3))
    ///     .start()?;
    /// let first = server.ended_at("rj-timed-0000").ok_or("timed")?;
    /// let last = server.ended_at("rj-timed-0199").ok_or("timed")?;
    /// assert_eq!(last - first, Duration::from_secs(3));
    /// assert_eq!(server.all_ended_at(), Some(last));
    /// assert_eq!(server.job("rj-timed-0199").map(|job| job.status), Some("Pending".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn jobs_running(
        mut self,
        n: usize,
        first_ends_after: Duration,
        spread: Duration,
    ) -> FakeControlPlane {
        self.running = (n, first_ends_after, spread);
        self
    }

    /// The server's clock runs `ahead_ms` milliseconds ahead of this machine's (negative:
    /// behind): every `Date` header and every `created_at` and `completed_at` it stamps reads
    /// its clock. Default 0.
    pub fn clock_ahead_ms(mut self, ahead_ms: i64) -> FakeControlPlane {
        self.clock_ahead_ms = ahead_ms;
        self
    }

    /// With `false`, no answer carries a usable `Date`: the header reads `unknown` (the HTTP
    /// stack under the fake writes the real one wherever the header is absent). Default
    /// `true`: every answer carries the server's clock.
    pub fn dates(mut self, on: bool) -> FakeControlPlane {
        self.dates = on;
        self
    }

    /// The index `name` was deleted: a job that restored into it is still listed, and a
    /// restore into the name can start again. Its per-index backup listing answers 404, or in
    /// 2026-07 with `include_deleted=true` lists the backups that name it as their source
    /// (this does not set their [`FakeBackup::source_index_deleted_at`]).
    pub fn index_deleted(mut self, name: &str) -> FakeControlPlane {
        self.deleted_indexes.push(name.to_owned());
        self
    }

    /// With `Some(key)`, every request must carry `Api-Key: key` or gets 401
    /// `UNAUTHENTICATED`. With `None` (the default) any key, or none, is accepted.
    pub fn api_key(mut self, key: Option<&str>) -> FakeControlPlane {
        self.api_key = key.map(str::to_owned);
        self
    }

    /// Each page after the first starts by re-sending the last `k` jobs of the previous page,
    /// as the real API sometimes does. A page always moves forward by at least one job, so a
    /// walk over all pages still ends and still covers every job.
    pub fn page_overlap(mut self, k: usize) -> FakeControlPlane {
        self.page_overlap = k;
        self
    }

    /// Serves everything under `prefix` (e.g. `/gw`), to test base URLs that have a path. The
    /// prefix is matched literally against the raw request path; a trailing `/` is ignored.
    pub fn path_prefix(mut self, prefix: &str) -> FakeControlPlane {
        let trimmed = prefix.trim_end_matches('/');
        self.path_prefix = if trimmed.is_empty() || trimmed.starts_with('/') {
            trimmed.to_owned()
        } else {
            format!("/{trimmed}")
        };
        self
    }

    /// The first `n` describes of each *progressing* job answer 404 `NOT_FOUND` (and do not
    /// advance it), as the real API transiently does right after a restore starts. This
    /// includes the restores started through the API.
    pub fn not_found_polls(mut self, n: u32) -> FakeControlPlane {
        self.not_found_polls = n;
        self
    }

    /// Adds a backup that `POST /backups/{backup_id}/create-index` can restore from (if its
    /// status is `Ready`). A later backup with the same id replaces an earlier one.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backup(FakeBackup::ready("bkp-1"))
    ///     .backup(FakeBackup::not_ready("bkp-2"))
    ///     .start()?;
    /// # drop(server);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn backup(mut self, backup: FakeBackup) -> FakeControlPlane {
        self.backups.push(backup);
        self
    }

    /// Adds a backup, as [`backup`](Self::backup), created `ago` before the server's clock
    /// when the server starts (its `created_at` is replaced): a backup whose age is the same
    /// whenever the test or demo runs, e.g. to show what a retention rule would delete.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backup_created_ago(FakeBackup::ready("old"), Duration::from_secs(40 * 86_400))
    ///     .start()?;
    /// assert!(server.backup("old").and_then(|b| b.created_at).is_some());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn backup_created_ago(mut self, backup: FakeBackup, ago: Duration) -> FakeControlPlane {
        self.backup_ages.push((backup.backup_id.clone(), ago));
        self.backups.push(backup);
        self
    }

    /// Adds backups, as [`backup`](Self::backup) does one by one. Backups are listed in the
    /// order they were added (the API promises no order).
    ///
    /// The source index of a backup exists (a restore into its name gets 409, and its
    /// per-index listing answers), unless the backup says it was deleted
    /// ([`FakeBackup::source_deleted`]) or the name was deleted with
    /// [`index_deleted`](Self::index_deleted). To make an index exist without backups, use
    /// [`index`](Self::index).
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backups([
    ///         FakeBackup::ready("a").of_index("docs").created("2025-06-01T00:00:00Z"),
    ///         FakeBackup::not_ready("b").of_index("docs").created("2025-06-02T00:00:00Z"),
    ///     ])
    ///     .index("empty-index")
    ///     .start()?;
    /// assert!(server.backup("b").is_some());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn backups(mut self, backups: impl IntoIterator<Item = FakeBackup>) -> FakeControlPlane {
        self.backups.extend(backups);
        self
    }

    /// Adds an index that already exists, so restoring into this name gets 409
    /// `ALREADY_EXISTS`. The target index of every job, and every index created through the
    /// API, exists too.
    pub fn index(mut self, name: &str) -> FakeControlPlane {
        self.indexes.push(name.to_owned());
        self
    }

    /// How many describes a restore started through the API takes to show `Completed`
    /// (default 3): the `n`-th describe answers `Completed`. It progresses, and is listed, as
    /// [`FakeJob::progressing`] describes; with 0 it is `Completed` from the start.
    /// [`restore_runs_for`](Self::restore_runs_for) replaces this.
    pub fn restore_polls(mut self, n: u32) -> FakeControlPlane {
        self.restore_polls = n;
        self
    }

    /// Restores started through the API run on the server's clock instead of for
    /// [`restore_polls`](Self::restore_polls) describes: each is `Pending` from its creation
    /// (its `created_at`, when the create-index request is handled) and `Completed` from
    /// `runs_for` after it, whoever asks and however often, as a [`TimedJob`] is.
    /// [`FakeServer::ended_at`] says when one ends. [`not_found_polls`](Self::not_found_polls)
    /// does not apply to them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backup(FakeBackup::ready("bkp-1"))
    ///     .restore_runs_for(Duration::from_secs(30))
    ///     .start()?;
    /// let mut started = ureq::post(format!("{}/backups/bkp-1/create-index", server.base_url()))
    ///     .content_type("application/json")
    ///     .send(r#"{"name":"restored"}"#)?;
    /// let started: serde_json::Value = serde_json::from_str(&started.body_mut().read_to_string()?)?;
    /// let id = started["restore_job_id"].as_str().ok_or("no id")?;
    /// assert!(server.ended_at(id).is_some_and(|end| end > std::time::Instant::now()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore_runs_for(mut self, runs_for: Duration) -> FakeControlPlane {
        self.restore_runs_for = Some(runs_for);
        self
    }

    /// How many describes a backup taken through `POST /indexes/{index_name}/backups` answers
    /// `Initializing` to (default 2): its first `n` describes (`GET /backups/{backup_id}`)
    /// answer `Initializing`, and the ones after them its ending, `Ready` (or failed, see
    /// [`backup_failures`](Self::backup_failures)). A describe answers the backup as it is,
    /// then moves it on, so a listing (which shows it as it is, and advances nothing) agrees
    /// with a describe at the same moment. With 0 it is `Ready` (or failed) at once, in the
    /// create's own answer too.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder().index("docs").backup_polls(1).start()?;
    /// let agent: ureq::Agent = ureq::Agent::config_builder()
    ///     .http_status_as_error(false)
    ///     .build()
    ///     .into();
    /// let json = |mut response: ureq::http::Response<ureq::Body>| {
    ///     let text = response.body_mut().read_to_string()?;
    ///     Ok::<_, Box<dyn std::error::Error>>(serde_json::from_str::<serde_json::Value>(&text)?)
    /// };
    /// let created = json(
    ///     agent
    ///         .post(format!("{}/indexes/docs/backups", server.base_url()))
    ///         .content_type("application/json")
    ///         .send(r#"{"name":"before-upgrade"}"#)?,
    /// )?;
    /// assert_eq!(created["status"], "Initializing");
    /// let id = created["backup_id"].as_str().ok_or("no backup_id")?;
    ///
    /// let describe = format!("{}/backups/{id}", server.base_url());
    /// assert_eq!(json(agent.get(&describe).call()?)?["status"], "Initializing");
    /// assert_eq!(json(agent.get(&describe).call()?)?["status"], "Ready");
    /// assert_eq!(server.backups_of("docs").len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backup_polls(mut self, n: u32) -> FakeControlPlane {
        self.backup_polls = n;
        self
    }

    /// Backups taken through `POST /indexes/{index_name}/backups` are `Initializing` until
    /// `after` past their creation on the server's clock (their `created_at`), then `Ready`
    /// (or failed, see [`backup_failures`](Self::backup_failures)), whoever asks and however
    /// often: a describe and both listings (`GET /backups`, `GET /indexes/{index_name}/backups`)
    /// at the same moment show the same, and none of them moves the backup on. This replaces
    /// [`backup_polls`](Self::backup_polls); with `Duration::ZERO` a backup is `Ready` at
    /// once, in the create's own answer too. [`FakeServer::backup_ended_at`] says when one
    /// stops `Initializing`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder()
    ///     .index("docs")
    ///     .backup_ready_after(Duration::from_millis(30))
    ///     .start()?;
    /// let mut created = ureq::post(format!("{}/indexes/docs/backups", server.base_url()))
    ///     .content_type("application/json")
    ///     .send("{}")?;
    /// let created: serde_json::Value = serde_json::from_str(&created.body_mut().read_to_string()?)?;
    /// assert_eq!(created["status"], "Initializing");
    /// let id = created["backup_id"].as_str().ok_or("no backup_id")?;
    ///
    /// let ready = server.backup_ended_at(id).ok_or("a timed backup")?;
    /// std::thread::sleep(ready.saturating_duration_since(Instant::now()));
    /// let listed: serde_json::Value = serde_json::from_str(
    ///     &ureq::get(format!("{}/backups", server.base_url())).call()?.body_mut().read_to_string()?,
    /// )?;
    /// assert_eq!(listed["data"][0]["status"], "Ready");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backup_ready_after(mut self, after: Duration) -> FakeControlPlane {
        self.backup_ready_after = Some(after);
        self
    }

    /// Adds a backup, as [`backup`](Self::backup), that is being taken as the server starts:
    /// created then (its `created_at` is replaced), `Initializing` until `ready_after` past
    /// the start, and from then on with the status it was given (`Ready` for
    /// [`FakeBackup::ready`], `Failed` for [`FakeBackup::failed`], ...). A describe and the
    /// listings at the same moment show the same, and none of them moves it on;
    /// [`FakeServer::backup_ended_at`] says when it stops `Initializing`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backup_initializing_for(FakeBackup::ready("b1").of_index("docs"), Duration::from_secs(60))
    ///     .backup_initializing_for(FakeBackup::failed("b2").of_index("docs"), Duration::ZERO)
    ///     .start()?;
    /// assert_eq!(server.backup("b1").map(|b| b.status), Some("Initializing".to_owned()));
    /// assert_eq!(server.backup("b2").map(|b| b.status), Some("Failed".to_owned()));
    /// assert!(server.backup_ended_at("b1") > server.backup_ended_at("b2"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn backup_initializing_for(
        mut self,
        backup: FakeBackup,
        ready_after: Duration,
    ) -> FakeControlPlane {
        self.settling_backups
            .push((backup.backup_id.clone(), ready_after));
        self.backups.push(backup);
        self
    }

    /// With `true`, backups taken through the API end failed instead of `Ready` (default
    /// `false`): their status then reads `Failed` in 2025-04, 2025-10 and 2026-04 and
    /// `InitializationFailed` in 2026-07, each version's name for it ([`FakeServer::backup`]
    /// shows `Failed`). Backups given to the builder are sent with their `status` as is.
    pub fn backup_failures(mut self, on: bool) -> FakeControlPlane {
        self.backup_failures = on;
        self
    }

    /// The project's backup quota (default: none): while the project has `n` backups (of any
    /// index, those of deleted indexes included), `POST /indexes/{index_name}/backups` answers
    /// 403 `FORBIDDEN`, as the API does when the quota is exhausted. Deleting a backup makes
    /// room again.
    pub fn backup_quota(mut self, n: usize) -> FakeControlPlane {
        self.backup_quota = Some(n);
        self
    }

    /// Adds a backup schedule (served in API 2026-07 only; see [`FakeSchedule`]). Its index
    /// exists. Given a `created_at` and `next_scheduled_run` in the past, it has run at every
    /// run time since, and those runs' backups are listed from the start.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeControlPlane, FakeSchedule};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .schedule(FakeSchedule::daily("sched-1").of_index("docs").disabled())
    ///     .start()?;
    /// assert_eq!(server.schedule("sched-1").map(|s| s.enabled), Some(false));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn schedule(mut self, schedule: FakeSchedule) -> FakeControlPlane {
        self.schedules.push(schedule);
        self
    }

    /// Adds a backup schedule, as [`schedule`](Self::schedule), created `ago` before the
    /// server's clock when the server starts: its `created_at` is replaced, and its
    /// `next_scheduled_run` is the first 06:00 UTC after that. A daily schedule created ten
    /// days ago has made about ten backups by the time the server is first asked.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::{FakeControlPlane, FakeSchedule};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .schedule_created_ago(
    ///         FakeSchedule::daily("sched-1").of_index("docs"),
    ///         Duration::from_secs(10 * 86_400),
    ///     )
    ///     .start()?;
    /// let made = server.backups_of("docs").len();
    /// assert!((9..=10).contains(&made), "{made}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn schedule_created_ago(
        mut self,
        schedule: FakeSchedule,
        ago: Duration,
    ) -> FakeControlPlane {
        self.schedule_ages.push((schedule.schedule_id.clone(), ago));
        self.schedules.push(schedule);
        self
    }

    /// With `false`, the project's plan has no scheduled backups: creating or changing a
    /// schedule answers 403 `PERMISSION_DENIED` (`Scheduled backups are not available for
    /// your plan`), as the API does. Listing, describing, deleting and the history still
    /// answer. Default `true`.
    pub fn schedules_allowed(mut self, allowed: bool) -> FakeControlPlane {
        self.schedules_allowed = allowed;
        self
    }

    /// Every answer waits this long before it is sent (default: none), as a distant server's
    /// would: for benchmarks of clients that follow many jobs. The wait holds up only its own
    /// request; other connections are served meanwhile. Faults that answer are delayed too;
    /// those that close or stall the connection ([`Fault::Drop`], [`Fault::Stall`] and their
    /// `ProcessThen...` forms) keep their own timing.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder()
    ///     .latency(Duration::from_millis(50))
    ///     .start()?;
    /// let started = Instant::now();
    /// ureq::get(format!("{}/restore-jobs", server.base_url())).call()?;
    /// assert!(started.elapsed() >= Duration::from_millis(50));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn latency(mut self, latency: Duration) -> FakeControlPlane {
        self.latency = latency;
        self
    }

    /// Serves HTTPS instead of plain HTTP, with a CA generated at start-up
    /// ([`FakeServer::ca_pem`]) and a server certificate of kind `cert` signed by it.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeControlPlane, ServerCert};
    ///
    /// let server = FakeControlPlane::builder().https(ServerCert::Valid).start()?;
    /// assert!(server.base_url().starts_with("https://127.0.0.1:"));
    /// assert!(server.ca_pem().is_some_and(|pem| pem.starts_with("-----BEGIN CERTIFICATE-----")));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn https(mut self, cert: ServerCert) -> FakeControlPlane {
        self.https = Some(cert);
        self
    }

    /// Binds `127.0.0.1` on a free port and serves on a background thread.
    ///
    /// # Errors
    ///
    /// The bind or runtime error, an error generating the certificates for HTTPS, or
    /// [`io::ErrorKind::InvalidInput`] if two jobs share a `restore_job_id`.
    ///
    /// ```
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder().jobs(3).start()?;
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start(self) -> io::Result<FakeServer> {
        let generated = (0..self.generated).map(generate::job);
        let clock = ServerClock::start(self.clock_ahead_ms);
        let now = clock.millis(0);
        let mut jobs = self.jobs;
        for (id, ago) in &self.ages {
            let created = now.saturating_sub(i64::try_from(ago.as_millis()).unwrap_or(i64::MAX));
            for job in jobs.iter_mut().filter(|job| &job.restore_job_id == id) {
                job.created_at = Some(generate::utc_millis(created));
            }
        }
        let mut backups = self.backups;
        for (id, ago) in &self.backup_ages {
            let created = now.saturating_sub(i64::try_from(ago.as_millis()).unwrap_or(i64::MAX));
            for backup in backups.iter_mut().filter(|b| &b.backup_id == id) {
                backup.created_at = Some(generate::utc_millis(created));
            }
        }
        let mut schedules = self.schedules;
        for (id, ago) in &self.schedule_ages {
            let created = now.saturating_sub(i64::try_from(ago.as_millis()).unwrap_or(i64::MAX));
            for schedule in schedules.iter_mut().filter(|s| &s.schedule_id == id) {
                schedule.created_at = Some(generate::utc_millis(created));
                schedule.next_scheduled_run = None;
            }
        }
        let store = Store::new(Seed {
            jobs: jobs.into_iter().chain(generated).collect(),
            indexes: self.indexes,
            backups,
            not_found_polls: self.not_found_polls,
            restore_polls: self.restore_polls,
            deleted_indexes: self.deleted_indexes,
            backup_rules: BackupRules {
                polls: self.backup_polls,
                failures: self.backup_failures,
                quota: self.backup_quota,
                ready_after: self.backup_ready_after,
            },
            schedules,
            timed: {
                let (n, first_ends_after, spread) = self.running;
                let mut timed = self.timed;
                timed.extend(timed::staggered(n, first_ends_after, spread));
                timed
            },
            settling_backups: self.settling_backups,
            clock,
            restore_runs_for: self.restore_runs_for,
        })
        .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
        let tls = self.https.map(tls::generate).transpose()?;
        let connections = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(Shared {
            api_key: self.api_key,
            page_overlap: self.page_overlap,
            prefix: self.path_prefix,
            clock,
            dates: self.dates,
            request_id_seed: generate::run_seed(),
            latency: self.latency,
            schedules_allowed: self.schedules_allowed,
            store: Mutex::new(store),
            faults: Mutex::new(FaultQueues::default()),
            log: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
            endpoint_requests: [const { AtomicU64::new(0) }; Endpoint::COUNT],
            restores_created: AtomicU64::new(0),
            backups_created: AtomicU64::new(0),
            backups_deleted: AtomicU64::new(0),
            schedules_created: AtomicU64::new(0),
            schedules_deleted: AtomicU64::new(0),
            connections: Arc::clone(&connections),
        });

        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let listener = CountingListener {
            inner: listener,
            accepted: connections,
            tls: tls
                .as_ref()
                .map(|t| TlsAcceptor::from(Arc::clone(&t.config))),
            handshakes: JoinSet::new(),
        };
        let app = axum::Router::new()
            .fallback(handler::handle)
            .with_state(Arc::clone(&shared))
            .into_make_service_with_connect_info::<Cutoff>();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("fake-control-plane-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let serve = std::future::IntoFuture::into_future(axum::serve(listener, app));
                    tokio::select! {
                        _ = serve => {}
                        _ = stopped => {}
                    }
                });
                // Drops open connections without waiting for them.
                runtime.shutdown_background();
            })?;

        let scheme = if tls.is_some() { "https" } else { "http" };
        Ok(FakeServer {
            base_url: format!("{scheme}://{addr}{}", shared.prefix),
            ca_pem: tls.map(|t| t.ca_pem),
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A running fake control plane. Dropping it (or calling [`shutdown`](Self::shutdown)) stops
/// the server and closes its connections.
pub struct FakeServer {
    base_url: String,
    ca_pem: Option<String>,
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// `http://127.0.0.1:PORT` (`https://` for an HTTPS fake) followed by the path prefix,
    /// if any (no trailing `/`).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The PEM of the CA that signed an HTTPS fake's certificate, for a client to trust;
    /// `None` for a plain-HTTP fake.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues `fault` as the answer to a coming request. Faults are used in the order they
    /// were queued, one per request, whatever the request's path.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeControlPlane, Fault};
    ///
    /// let server = FakeControlPlane::builder().start()?;
    /// server.inject(Fault::Status(503));
    /// server.inject(Fault::TooManyRequests { retry_after: "2".to_owned() });
    /// // the next request gets 503, the one after it 429, then normal answers again
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(None, fault);
    }

    /// Queues `fault` as the answer to a coming request to `endpoint`. Each endpoint has its
    /// own queue, used in order and before the faults queued with [`inject`](Self::inject).
    ///
    /// ```
    /// use pinecone_restore_fake::{Endpoint, FakeControlPlane, Fault};
    ///
    /// let server = FakeControlPlane::builder().start()?;
    /// // the next create-index is processed, but its answer never reaches the client
    /// server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
    /// // listings and describes are not affected
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inject_on(&self, endpoint: Endpoint, fault: Fault) {
        lock(&self.shared.faults).push(Some(endpoint), fault);
    }

    /// Counters since the server started.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Every request received so far, oldest first (the first 100,000 are kept).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    /// The current state of a job, as a listing would show it (restores started through the
    /// API included).
    pub fn job(&self, id: &str) -> Option<FakeJob> {
        self.shared.store().get(id).map(|entry| entry.job.clone())
    }

    /// When the job `id` ends (shows its ending), if that is decided by the server's clock: a
    /// [`TimedJob`], one of [`jobs_running`](FakeControlPlane::jobs_running), or a restore
    /// started through the API under [`restore_runs_for`](FakeControlPlane::restore_runs_for).
    /// `None` for any other job (they end when they are described), for an unknown id, and
    /// for an end so long before this machine started that [`Instant`] cannot hold it.
    ///
    /// The ground truth of a job's end, on the clock that decides it: from this instant on,
    /// every listing and describe shows the ending; before it, none does. A test or a
    /// benchmark measures how late a client noticed from it (`client_exit - ended_at`).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use pinecone_restore_fake::{Ending, FakeControlPlane, TimedJob};
    ///
    /// let before = Instant::now();
    /// let server = FakeControlPlane::builder()
    ///     .timed_job(TimedJob::new("rj-1", Duration::from_secs(5), Ending::Completed))
    ///     .jobs(3)
    ///     .start()?;
    /// let ends = server.ended_at("rj-1").ok_or("timed")?;
    /// assert!(ends >= before + Duration::from_secs(5) && ends <= Instant::now() + Duration::from_secs(5));
    /// assert_eq!(server.ended_at("no-such-job"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ended_at(&self, id: &str) -> Option<Instant> {
        self.shared.store().ended_at(id)
    }

    /// When the last of the jobs whose end the server's clock decides (see
    /// [`ended_at`](Self::ended_at)) ends: from then on, every one of them shows its ending.
    /// `None` when there are none. Restores started through the API under
    /// [`restore_runs_for`](FakeControlPlane::restore_runs_for) count from when they start.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pinecone_restore_fake::FakeControlPlane;
    ///
    /// let server = FakeControlPlane::builder()
    ///     .jobs_running(10, Duration::from_secs(1), Duration::from_secs(9))
    ///     .start()?;
    /// assert_eq!(server.all_ended_at(), server.ended_at("rj-timed-0009"));
    /// assert_eq!(FakeControlPlane::builder().start()?.all_ended_at(), None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn all_ended_at(&self) -> Option<Instant> {
        self.shared.store().all_ended_at()
    }

    /// When the backup `id` stops `Initializing`, if that is decided by the server's clock
    /// ([`backup_initializing_for`](FakeControlPlane::backup_initializing_for), or a backup
    /// taken through the API under
    /// [`backup_ready_after`](FakeControlPlane::backup_ready_after)); `None` otherwise, as
    /// [`ended_at`](Self::ended_at) is for jobs.
    pub fn backup_ended_at(&self, id: &str) -> Option<Instant> {
        self.shared.store().backup_ended_at(id)
    }

    /// A backup the server knows, as it is served.
    pub fn backup(&self, id: &str) -> Option<FakeBackup> {
        self.shared
            .store()
            .backup(id)
            .map(|entry| entry.backup.clone())
    }

    /// Every backup the server knows whose source index is named `index` (those of a deleted
    /// index of that name included), in listing order, as they are now: the ground truth of
    /// how many backups a name has, whatever the answers said.
    ///
    /// ```
    /// use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
    ///
    /// let server = FakeControlPlane::builder()
    ///     .backup(FakeBackup::ready("a").of_index("docs"))
    ///     .backup(FakeBackup::ready("b").of_index("other"))
    ///     .start()?;
    /// assert_eq!(server.backups_of("docs").len(), 1);
    /// assert!(server.backups_of("nope").is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn backups_of(&self, index: &str) -> Vec<FakeBackup> {
        self.shared.store().backups_of(index)
    }

    /// A backup schedule the server knows, as it is now (its runs caught up with the
    /// server's clock; created through the API included).
    pub fn schedule(&self, id: &str) -> Option<FakeSchedule> {
        self.shared
            .store()
            .schedule(id)
            .map(|entry| entry.schedule.clone())
    }

    /// Stops the server and waits for its thread. Also done on drop.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            // Err means the server thread already ended.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The thread only runs the server; a panic in it has nothing left to report.
            let _ = thread.join();
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Counters of what a [`FakeServer`] has received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Every HTTP request, whatever its path and answer.
    pub requests: u64,
    /// Requests to the list endpoint (`GET .../restore-jobs`), whatever the answer.
    pub list_requests: u64,
    /// Requests to the describe endpoint (`GET .../restore-jobs/{id}`), whatever the answer.
    pub describe_requests: u64,
    /// Requests to the create-index endpoint (`POST .../backups/{id}/create-index`), whatever
    /// the answer.
    pub create_requests: u64,
    /// Requests to the backup listings (`GET .../backups` and
    /// `GET .../indexes/{index_name}/backups`), whatever the answer.
    pub backup_list_requests: u64,
    /// Requests to the backup describe endpoint (`GET .../backups/{backup_id}`), whatever the
    /// answer.
    pub backup_describe_requests: u64,
    /// Requests to the backup create endpoint (`POST .../indexes/{index_name}/backups`),
    /// whatever the answer.
    pub create_backup_requests: u64,
    /// Requests to the backup delete endpoint (`DELETE .../backups/{backup_id}`), whatever
    /// the answer.
    pub delete_backup_requests: u64,
    /// Restores started by the create-index endpoint (its 202 answers).
    pub restores_created: u64,
    /// Backups taken by the backup create endpoint (including those whose answer a
    /// `ProcessThen...` fault replaced).
    pub backups_created: u64,
    /// Backups deleted by the backup delete endpoint (including those whose answer a
    /// `ProcessThen...` fault replaced).
    pub backups_deleted: u64,
    /// Requests to the schedule listing (`GET .../indexes/{index_name}/backup-schedules`,
    /// 2026-07), whatever the answer.
    pub schedule_list_requests: u64,
    /// Requests to the schedule create endpoint (`POST
    /// .../indexes/{index_name}/backup-schedules`, 2026-07), whatever the answer.
    pub schedule_create_requests: u64,
    /// Requests to the schedule describe endpoint (`GET .../backup-schedules/{schedule_id}`,
    /// 2026-07), whatever the answer.
    pub schedule_describe_requests: u64,
    /// Requests to the schedule update endpoint (`PATCH .../backup-schedules/{schedule_id}`,
    /// 2026-07), whatever the answer.
    pub schedule_update_requests: u64,
    /// Requests to the schedule delete endpoint (`DELETE .../backup-schedules/{schedule_id}`,
    /// 2026-07), whatever the answer.
    pub schedule_delete_requests: u64,
    /// Requests to a schedule's history (`GET .../backup-schedules/{schedule_id}/history`,
    /// 2026-07), whatever the answer.
    pub schedule_history_requests: u64,
    /// Schedules created by the schedule create endpoint (including those whose answer a
    /// `ProcessThen...` fault replaced).
    pub schedules_created: u64,
    /// Schedules deleted by the schedule delete endpoint (likewise).
    pub schedules_deleted: u64,
    /// TCP connections accepted.
    pub connections: u64,
}

/// One request as the server received it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path exactly as received (still percent-encoded, prefix included).
    pub path: String,
    /// The query string exactly as received, without the `?`; `None` when there was no `?`.
    pub query: Option<String>,
    /// The `Api-Key` header, if sent. Left out of `Debug`.
    pub api_key: Option<String>,
    /// The `X-Pinecone-Api-Version` header, if sent.
    pub api_version: Option<String>,
    /// The `User-Agent` header, if sent.
    pub user_agent: Option<String>,
    /// The `Content-Type` header, if sent.
    pub content_type: Option<String>,
    /// The body as text (invalid UTF-8 replaced by `U+FFFD`), `None` when it was empty. At
    /// most the first MiB is kept (the create-index endpoint refuses more).
    pub body: Option<String>,
    /// The status the server answered with; 0 when it closed the connection without an
    /// answer ([`Fault::Drop`], [`Fault::Stall`] and the like).
    pub status: u16,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("api_version", &self.api_version)
            .field("user_agent", &self.user_agent)
            .field("content_type", &self.content_type)
            .field("body", &self.body)
            .field("status", &self.status)
            .finish()
    }
}
