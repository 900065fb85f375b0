//! Backup schedules (API 2026-07): an index's schedule takes a backup daily, weekly or monthly
//! and keeps each for a number of days. The endpoints (`GET|POST
//! /indexes/{index_name}/backup-schedules`, `GET|PATCH|DELETE /backup-schedules/{schedule_id}`,
//! `GET /backup-schedules/{schedule_id}/history`), the listings over them, the retry-safe
//! create, and the schedule model and its parsers.
//!
//! Every endpoint here needs API version 2026-07 or later: under an earlier one it is refused
//! before anything is sent ([`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
//! `backup schedules` and the version needed).

pub(crate) mod model;
mod parse;

pub use model::{
    BackupSchedule, CreateSchedule, Frequency, HistoryPage, RetainDays, ScheduleName, SchedulePage,
    UpdateSchedule,
};
pub use parse::{parse_history_page, parse_schedule, parse_schedule_page};

use time::OffsetDateTime;

use crate::config::Config;
use crate::engine::call::Call;
use crate::engine::create::{Create, Creation};
use crate::engine::endpoint::Endpoint;
use crate::engine::walk::Listing;
use crate::request::{IndexName, Limit, Method, PaginationToken, ScheduleId, encode_component};
use crate::resources::backups::Deletion;
use crate::resources::backups::model::Backup;
use crate::text::{self, Secrets};
use crate::version::ApiVersion;

/// What the version gate names.
const SCHEDULES: &str = "backup schedules";
/// The first version with schedules.
const SINCE: &str = "2026-07";

/// Refused before sending under a version without schedules.
fn gated<T>(endpoint: Endpoint<T>) -> Endpoint<T> {
    endpoint.needs(SCHEDULES, SINCE, ApiVersion::has_backup_schedules)
}

fn read_schedule(config: &Config, _: u16, body: &[u8]) -> Result<BackupSchedule, crate::Error> {
    parse::schedule(body, config.api_version().rules(), config.secrets())
}

fn schedule_path(id: &ScheduleId) -> String {
    format!("/backup-schedules/{}", encode_component(id.as_str()))
}

/// `GET /indexes/{index_name}/backup-schedules`: one page of an index's schedules. An unknown
/// index is a 404 API error.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, IndexName, Limit, schedules};
///
/// let index = IndexName::new("docs")?;
/// let config = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
/// let request = schedules::list(&index, Some(Limit::new(5)?), None).request(&config)?;
/// assert_eq!(request.url, "https://api.pinecone.io/indexes/docs/backup-schedules?limit=5");
/// // before 2026-07, refused before anything is sent
/// let old = Config::builder(ApiKey::new("k")?).build()?;
/// let err = schedules::list(&index, None, None).request(&old).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid backup schedules: expected API version 2026-07 or later, found `2025-04`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn list(
    index: &IndexName,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Endpoint<SchedulePage> {
    let path = format!(
        "/indexes/{}/backup-schedules",
        encode_component(index.as_str())
    );
    gated(
        Endpoint::get("list_schedules", path, |config, _, body| {
            parse::schedule_page(body, config.api_version().rules(), config.secrets())
        })
        .page(limit, token),
    )
}

/// `POST /indexes/{index_name}/backup-schedules` with `request` as JSON: `200` with the new
/// schedule; `409` when the index already has an enabled one, `403` when the plan has no
/// scheduled backups, `404` for an unknown index. Run it with [`Config::create_schedule`],
/// which makes it safe to retry.
///
/// ```
/// use pinecone_restore_core::{
///     ApiKey, Config, CreateSchedule, Frequency, IndexName, RetainDays, ScheduleName, schedules,
/// };
///
/// let request = CreateSchedule::new(ScheduleName::new("nightly")?, Frequency::Daily, RetainDays::new(90)?);
/// let config = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
/// let sent = schedules::create(&IndexName::new("docs")?, &request).request(&config)?;
/// assert_eq!(sent.url, "https://api.pinecone.io/indexes/docs/backup-schedules");
/// assert_eq!(
///     sent.body.as_deref(),
///     Some(&br#"{"name":"nightly","retention":{"expire_after_days":90},"schedule":{"frequency":"daily","type":"time-based"}}"#[..])
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn create(index: &IndexName, request: &CreateSchedule) -> Endpoint<BackupSchedule> {
    let path = format!(
        "/indexes/{}/backup-schedules",
        encode_component(index.as_str())
    );
    gated(
        Endpoint::new("create_schedule", Method::Post, path, &[200], read_schedule)
            .body(request.to_json()),
    )
}

/// `GET /backup-schedules/{schedule_id}`: one schedule; an unknown one is a 404 API error.
pub fn describe(id: &ScheduleId) -> Endpoint<BackupSchedule> {
    gated(Endpoint::get(
        "describe_schedule",
        schedule_path(id),
        read_schedule,
    ))
}

/// `PATCH /backup-schedules/{schedule_id}` with `update` as JSON (only what changes): `200`
/// with the schedule as it now is. A `PATCH` of absolute values is retried as a `GET` is.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, Method, RetainDays, ScheduleId, UpdateSchedule, schedules};
///
/// let update = UpdateSchedule::new().enabled(false).retain(RetainDays::new(30)?);
/// let config = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
/// let sent = schedules::update(&ScheduleId::new("s-1")?, &update).request(&config)?;
/// assert_eq!((sent.method, sent.url.as_str()), (Method::Patch, "https://api.pinecone.io/backup-schedules/s-1"));
/// assert_eq!(sent.body.as_deref(), Some(&br#"{"enabled":false,"retention":{"expire_after_days":30}}"#[..]));
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn update(id: &ScheduleId, update: &UpdateSchedule) -> Endpoint<BackupSchedule> {
    gated(
        Endpoint::new(
            "update_schedule",
            Method::Patch,
            schedule_path(id),
            &[200],
            read_schedule,
        )
        .body(update.to_json()),
    )
}

/// `DELETE /backup-schedules/{schedule_id}`: `204` when deleted. A `404` after an attempt
/// whose answer was lost reads as [`Deletion::AlreadyGone`]; to the first attempt, it is the
/// API's error (an unknown schedule).
pub fn delete(id: &ScheduleId) -> Endpoint<Deletion> {
    gated(Deletion::endpoint(
        "delete_schedule",
        schedule_path(id),
        &[204],
    ))
}

/// `GET /backup-schedules/{schedule_id}/history`: one page of the backups a schedule took and
/// plans.
pub fn history(
    id: &ScheduleId,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Endpoint<HistoryPage> {
    let path = format!("{}/history", schedule_path(id));
    gated(
        Endpoint::get("schedule_history", path, |config, _, body| {
            parse::history_page(body, config.api_version().rules(), config.secrets())
        })
        .page(limit, token),
    )
}

/// `GET /indexes/{index_name}/backup-schedules`: every schedule of one index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSchedules {
    index: IndexName,
}

impl IndexSchedules {
    /// The schedules of `index`.
    pub fn new(index: IndexName) -> IndexSchedules {
        IndexSchedules { index }
    }

    /// The index.
    pub fn index(&self) -> &IndexName {
        &self.index
    }
}

impl Listing for IndexSchedules {
    type Item = BackupSchedule;
    type Page = SchedulePage;
    const ITEMS: &'static str = "schedules";
    const WALK: &'static str = "list_all_schedules";

    fn page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Endpoint<SchedulePage> {
        list(&self.index, limit, token)
    }

    fn split(page: SchedulePage) -> (Vec<BackupSchedule>, Option<PaginationToken>) {
        (page.schedules, page.next)
    }

    fn id(schedule: &BackupSchedule) -> &str {
        schedule.schedule_id()
    }
}

/// `GET /backup-schedules/{schedule_id}/history`: every backup one schedule took or plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleHistory {
    schedule: ScheduleId,
}

impl ScheduleHistory {
    /// The history of `schedule`.
    pub fn new(schedule: ScheduleId) -> ScheduleHistory {
        ScheduleHistory { schedule }
    }

    /// The schedule.
    pub fn schedule(&self) -> &ScheduleId {
        &self.schedule
    }
}

impl Listing for ScheduleHistory {
    type Item = Backup;
    type Page = HistoryPage;
    const ITEMS: &'static str = "backups";
    const WALK: &'static str = "schedule_history";

    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<HistoryPage> {
        history(&self.schedule, limit, token)
    }

    fn split(page: HistoryPage) -> (Vec<Backup>, Option<PaginationToken>) {
        (page.backups, page.next)
    }

    fn id(backup: &Backup) -> &str {
        backup.backup_id()
    }
}

/// Creating a schedule of an index, safe to retry: an index holds one enabled schedule, so a
/// second create answers 409. After an attempt whose answer was lost the `POST` is sent
/// again, and a 409 to it is resolved by the index's schedules: the enabled one with our name,
/// created while our attempts were in flight on the server's clock, is ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleOf {
    index: IndexName,
    request: CreateSchedule,
}

impl ScheduleOf {
    /// A schedule of `index` as `request` describes it.
    pub fn new(index: &IndexName, request: &CreateSchedule) -> ScheduleOf {
        ScheduleOf {
            index: index.clone(),
            request: request.clone(),
        }
    }
}

impl Creation for ScheduleOf {
    type Output = BackupSchedule;
    type Lookup = IndexSchedules;

    fn endpoint(&self) -> Endpoint<BackupSchedule> {
        create(&self.index, &self.request)
    }

    fn lookup(&self) -> IndexSchedules {
        IndexSchedules::new(self.index.clone())
    }

    fn candidate(&self, schedule: &BackupSchedule) -> Option<Option<OffsetDateTime>> {
        (schedule.enabled() && schedule.name() == self.request.name().as_str())
            .then_some(Some(schedule.created_at()))
    }

    fn claimed(&self, schedule: BackupSchedule) -> BackupSchedule {
        schedule
    }

    fn describe(&self, schedule: &BackupSchedule, secrets: &Secrets) -> String {
        let shown = |t: &str| text::shown(t, text::CELL_CHARS, secrets);
        format!(
            "the enabled schedule `{}` named `{}` of index `{}` ({}, backups kept {} days)",
            shown(schedule.schedule_id()),
            shown(schedule.name()),
            self.index,
            shown(schedule.frequency().as_str()),
            schedule.retention_expire_after_days()
        )
    }
}

/// Backup schedules: the operations.
impl Config {
    /// One page of `index`'s schedules ([`list`]).
    pub fn list_schedules_page(
        &self,
        index: &IndexName,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<SchedulePage> {
        self.call(list(index, limit, token))
    }

    /// One page of a schedule's history ([`history`]).
    pub fn schedule_history_page(
        &self,
        id: &ScheduleId,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<HistoryPage> {
        self.call(history(id, limit, token))
    }

    /// Creates a schedule of `index`, safe to retry ([`ScheduleOf`]).
    pub fn create_schedule(
        &self,
        index: &IndexName,
        request: &CreateSchedule,
    ) -> Create<ScheduleOf> {
        self.create(ScheduleOf::new(index, request))
    }

    /// One schedule ([`describe`]).
    pub fn describe_schedule(&self, id: &ScheduleId) -> Call<BackupSchedule> {
        self.call(describe(id))
    }

    /// Changes a schedule ([`update`]).
    pub fn update_schedule(
        &self,
        id: &ScheduleId,
        change: &UpdateSchedule,
    ) -> Call<BackupSchedule> {
        self.call(update(id, change))
    }

    /// Deletes a schedule ([`delete`]).
    pub fn delete_schedule(&self, id: &ScheduleId) -> Call<Deletion> {
        self.call(delete(id))
    }
}
