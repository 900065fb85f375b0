//! Backups, the step before a restore: the endpoints (`GET /backups`,
//! `GET /indexes/{index_name}/backups`, `GET /backups/{backup_id}`,
//! `POST /indexes/{index_name}/backups`, `DELETE /backups/{backup_id}`), the listings over
//! them, the retry-safe create, waiting for a backup to be taken, and the backup model, its
//! parser and the pick of the backup a restore starts from.
//!
//! Each endpoint is one function here returning an [`Endpoint`]; the [`Config`] methods below
//! name the operations that run them.

pub(crate) mod create;
pub(crate) mod model;
pub(crate) mod parse;
mod prune;

pub use create::{BackupOf, CreateBackup, Deletion};
pub use parse::{parse_backup, parse_backup_page};
pub use prune::{
    Decision, PlanPrune, Prune, PrunePlan, PruneReport, Reason, Retention, plan_prune,
};

use crate::config::Config;
use crate::engine::call::Call;
use crate::engine::create::Create;
use crate::engine::endpoint::Endpoint;
use crate::engine::wait::{Followed, Settled};
use crate::engine::wait::{Wait, WaitOptions};
use crate::engine::wait_all::WaitAll;
use crate::engine::walk::{Collect, Listing, Walk};
use crate::request::{BackupId, IndexName, Limit, Method, PaginationToken, encode_component};
use crate::version::ApiVersion;

use self::model::{Backup, BackupPage, BackupStatus, newest_ready};

/// `GET /backups`: one page of the project's backups; `limit` and `token` as for
/// [`restore_jobs::list`](crate::restore_jobs::list).
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, Limit, PaginationToken, backups};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// let token = PaginationToken::new("dXNl+cl8=/")?;
/// let request = backups::list(Some(Limit::new(5)?), Some(&token)).request(&config)?;
/// assert_eq!(
///     request.url,
///     "https://api.pinecone.io/backups?limit=5&paginationToken=dXNl%2Bcl8%3D%2F"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn list(limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<BackupPage> {
    Endpoint::get("list_backups", "/backups".to_owned(), read_page).page(limit, token)
}

/// `GET /indexes/{index_name}/backups`: one page of one index's backups, the name
/// percent-encoded as one path segment; `include_deleted=true` when `listing` asks for it,
/// which only API 2026-07 and later take (an earlier version refuses it before sending). An
/// unknown index is a 404 API error.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, IndexBackups, IndexName, Limit, backups};
///
/// let listing = IndexBackups::new(IndexName::new("my-index")?).include_deleted(true);
/// let config = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
/// let request = backups::list_index(&listing, Some(Limit::new(5)?), None).request(&config)?;
/// assert_eq!(
///     request.url,
///     "https://api.pinecone.io/indexes/my-index/backups?limit=5&include_deleted=true"
/// );
/// let config = Config::builder(ApiKey::new("k")?).build()?; // 2025-04
/// let err = backups::list_index(&listing, None, None).request(&config).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid include_deleted: expected API version 2026-07 or later, found `2025-04`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn list_index(
    listing: &IndexBackups,
    limit: Option<Limit>,
    token: Option<&PaginationToken>,
) -> Endpoint<BackupPage> {
    let path = format!(
        "/indexes/{}/backups",
        encode_component(listing.index().as_str())
    );
    let read = if listing.requires_data {
        read_page_with_data
    } else {
        read_page
    };
    let endpoint = Endpoint::get("list_index_backups", path, read).page(limit, token);
    if listing.includes_deleted() {
        endpoint.query("include_deleted", "true").needs(
            "include_deleted",
            "2026-07",
            ApiVersion::lists_deleted_sources,
        )
    } else {
        endpoint
    }
}

/// `GET /backups/{backup_id}`: one backup, the id percent-encoded as one path segment.
///
/// ```
/// use pinecone_restore_core::{ApiKey, BackupId, Config, backups};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// let request = backups::describe(&BackupId::new("bk 1/2")?).request(&config)?;
/// assert_eq!(request.url, "https://api.pinecone.io/backups/bk%201%2F2");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn describe(id: &BackupId) -> Endpoint<Backup> {
    let path = format!("/backups/{}", encode_component(id.as_str()));
    Endpoint::get("describe_backup", path, |config, _, body| {
        parse::backup(body, config.api_version().rules(), config.secrets())
    })
}

/// `POST /indexes/{index_name}/backups` with `request` as JSON: takes a backup of `index`.
/// Its success is `201` with the backup up to 2026-04 and `200` in 2026-07. Run it with
/// [`Config::create_backup`], which makes it safe to retry.
///
/// ```
/// use pinecone_restore_core::{ApiKey, BackupName, Config, CreateBackup, IndexName, backups};
///
/// let request = CreateBackup::new(BackupName::new("nightly")?);
/// let endpoint = backups::create(&IndexName::new("docs")?, &request);
/// let old = Config::builder(ApiKey::new("k")?).build()?;
/// let new = Config::builder(ApiKey::new("k")?).api_version("2026-07").build()?;
/// assert_eq!(endpoint.success(old.api_version()), [201]);
/// assert_eq!(endpoint.success(new.api_version()), [200]);
/// let sent = endpoint.request(&old)?;
/// assert_eq!(sent.url, "https://api.pinecone.io/indexes/docs/backups");
/// assert_eq!(sent.body.as_deref(), Some(&br#"{"name":"nightly"}"#[..]));
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn create(index: &IndexName, request: &CreateBackup) -> Endpoint<Backup> {
    let path = format!("/indexes/{}/backups", encode_component(index.as_str()));
    Endpoint::new(
        "create_backup",
        Method::Post,
        path,
        &[201],
        |config, _, body| parse::backup(body, config.api_version().rules(), config.secrets()),
    )
    .success_by_version(|version| {
        if version.rules().backups.created_with_200 {
            &[200]
        } else {
            &[201]
        }
    })
    .body(request.to_json())
}

/// `DELETE /backups/{backup_id}`: `202` when accepted. A `404` after an attempt whose answer
/// was lost reads as [`Deletion::AlreadyGone`]; a `404` to the first attempt is the API's
/// error (an unknown backup), and so is `412` (before 2026-07: a restore from it is still
/// running).
///
/// ```
/// use pinecone_restore_core::{ApiKey, BackupId, Config, Method, Retry, backups};
///
/// let endpoint = backups::delete(&BackupId::new("bk-1")?);
/// assert_eq!((endpoint.method(), endpoint.retry()), (Method::Delete, Retry::Removal));
/// assert!(endpoint.is_gone_after_ambiguous());
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// assert_eq!(endpoint.request(&config)?.url, "https://api.pinecone.io/backups/bk-1");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn delete(id: &BackupId) -> Endpoint<Deletion> {
    let path = format!("/backups/{}", encode_component(id.as_str()));
    Deletion::endpoint("delete_backup", path, &[202])
}

/// A page of backups, by the configured version's rules.
fn read_page(config: &Config, _: u16, body: &[u8]) -> Result<BackupPage, crate::Error> {
    parse::backup_page(body, config.api_version().rules(), config.secrets(), false)
}

/// [`read_page`] for a page that must show what is absent: one without `data` is refused.
fn read_page_with_data(config: &Config, _: u16, body: &[u8]) -> Result<BackupPage, crate::Error> {
    parse::backup_page(body, config.api_version().rules(), config.secrets(), true)
}

/// `GET /backups`: every [`Backup`] of the project, told apart by `backup_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectBackups;

impl Listing for ProjectBackups {
    type Item = Backup;
    type Page = BackupPage;
    const ITEMS: &'static str = "backups";
    const WALK: &'static str = "list_all_backups";

    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<BackupPage> {
        list(limit, token)
    }

    fn split(page: BackupPage) -> (Vec<Backup>, Option<PaginationToken>) {
        (page.backups, page.next)
    }

    fn id(backup: &Backup) -> &str {
        backup.backup_id()
    }
}

/// Backups are followed by describing them until they are taken: `Ready` is done well,
/// `Failed` and `InitializationFailed` end otherwise, any other status (`Initializing`, one
/// this crate does not know) is still going.
impl Followed for ProjectBackups {
    type Item = Backup;
    type Id = BackupId;
    const WHAT: &'static str = "backup";
    const WAIT: &'static str = "wait_backup";
    const WAIT_ALL: &'static str = "wait_backups";

    fn describe(id: &BackupId) -> Endpoint<Backup> {
        describe(id)
    }

    fn id_text(id: &BackupId) -> &str {
        id.as_str()
    }

    fn state(backup: &Backup) -> Settled {
        match backup.status() {
            BackupStatus::Ready => Settled::Done,
            status if status.is_failed() => Settled::Ended,
            _ => Settled::Not,
        }
    }

    fn status_text(backup: &Backup) -> &str {
        backup.status().as_str()
    }

    fn percent(_: &Backup) -> Option<f64> {
        None
    }

    type Listing = BackupsOf;

    /// One index's backups when every backup followed was seen and all are of that index;
    /// otherwise (one not seen yet, several indexes) the project's.
    fn listing(last: &[Option<&Backup>]) -> BackupsOf {
        let mut indexes = last.iter().map(|b| b.map(Backup::source_index_name));
        let Some(Some(first)) = indexes.next() else {
            return BackupsOf::Project;
        };
        if indexes.all(|name| name == Some(first))
            && let Ok(index) = IndexName::new(first)
        {
            return BackupsOf::Index(IndexBackups::new(index));
        }
        BackupsOf::Project
    }
}

/// The project's backups or one index's: what a wait on several backups walks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BackupsOf {
    /// `GET /backups`.
    Project,
    /// `GET /indexes/{index_name}/backups`.
    Index(IndexBackups),
}

impl Listing for BackupsOf {
    type Item = Backup;
    type Page = BackupPage;
    const ITEMS: &'static str = "backups";
    const WALK: &'static str = "list_all_backups";

    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<BackupPage> {
        match self {
            BackupsOf::Project => list(limit, token),
            BackupsOf::Index(listing) => list_index(listing, limit, token),
        }
    }

    fn split(page: BackupPage) -> (Vec<Backup>, Option<PaginationToken>) {
        (page.backups, page.next)
    }

    fn id(backup: &Backup) -> &str {
        backup.backup_id()
    }
}

/// `GET /indexes/{index_name}/backups`: the [`Backup`]s of one index, told apart by
/// `backup_id`. The API answers 404 for an index it does not know.
///
/// ```
/// use pinecone_restore_core::{IndexBackups, IndexName};
///
/// let listing = IndexBackups::new(IndexName::new("my-index")?).include_deleted(true);
/// assert_eq!(listing.index().as_str(), "my-index");
/// assert!(listing.includes_deleted());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexBackups {
    index: IndexName,
    include_deleted: bool,
    /// A page without `data` is refused (the listing of a create's lookup).
    requires_data: bool,
}

impl IndexBackups {
    /// The backups of `index`.
    pub fn new(index: IndexName) -> IndexBackups {
        IndexBackups {
            index,
            include_deleted: false,
            requires_data: false,
        }
    }

    /// The listing a create's lookup walks to learn whether its backup was made: a page
    /// without `data` (which `BackupList` allows, and a listing shows as empty) is refused,
    /// because "no backup of ours here" is what sends the create again, and an absent key
    /// shows nothing absent.
    pub(crate) fn requiring_data(mut self) -> IndexBackups {
        self.requires_data = true;
        self
    }

    /// Asks for backups whose source index was deleted as well (`include_deleted=true`). Only
    /// API 2026-07 and later take it
    /// ([`ApiVersion::lists_deleted_sources`](crate::ApiVersion::lists_deleted_sources)); an
    /// earlier version refuses the request before it is sent.
    pub fn include_deleted(mut self, include: bool) -> IndexBackups {
        self.include_deleted = include;
        self
    }

    /// The index.
    pub fn index(&self) -> &IndexName {
        &self.index
    }

    /// Whether backups of a deleted source index are asked for.
    pub fn includes_deleted(&self) -> bool {
        self.include_deleted
    }
}

impl Listing for IndexBackups {
    type Item = Backup;
    type Page = BackupPage;
    const ITEMS: &'static str = "backups";
    const WALK: &'static str = "list_all_index_backups";

    fn page(&self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<BackupPage> {
        list_index(self, limit, token)
    }

    fn split(page: BackupPage) -> (Vec<Backup>, Option<PaginationToken>) {
        (page.backups, page.next)
    }

    fn id(backup: &Backup) -> &str {
        backup.backup_id()
    }
}

/// Backups: the operations.
impl Config {
    /// One page of the project's backups ([`list`]), retried as the policy allows.
    pub fn list_backups_page(
        &self,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<BackupPage> {
        self.call(list(limit, token))
    }

    /// One page of one index's backups ([`list_index`]). A `listing` this version cannot ask
    /// for (`include_deleted` before 2026-07) ends the call with an invalid argument before
    /// anything is sent; an unknown index is a 404 API error.
    pub fn list_index_backups_page(
        &self,
        listing: &IndexBackups,
        limit: Option<Limit>,
        token: Option<&PaginationToken>,
    ) -> Call<BackupPage> {
        self.call(list_index(listing, limit, token))
    }

    /// One backup ([`describe`]), retried as the policy allows.
    pub fn describe_backup(&self, id: &BackupId) -> Call<Backup> {
        self.call(describe(id))
    }

    /// A walk over every page of the project's backups, each `backup_id` once.
    pub fn walk_backups(
        &self,
        limit: Option<Limit>,
        from: Option<PaginationToken>,
    ) -> Walk<ProjectBackups> {
        Walk::new(self, ProjectBackups, limit, from)
    }

    /// A walk over every page of one index's backups, each `backup_id` once. A `listing` this
    /// version cannot ask for ends the walk with an invalid argument before anything is sent.
    pub fn walk_index_backups(
        &self,
        listing: IndexBackups,
        limit: Option<Limit>,
        from: Option<PaginationToken>,
    ) -> Walk<IndexBackups> {
        Walk::new(self, listing, limit, from)
    }

    /// The newest `Ready` backup of `index`, the one a restore "from the latest" starts
    /// from: every page of the index's backups (100 a page), then [`newest_ready`]'s pick;
    /// `None` when the index has no `Ready` backup.
    pub fn newest_ready_backup(&self, index: &IndexName) -> Collect<IndexBackups, Option<Backup>> {
        Collect::new(
            self,
            "newest_ready_backup",
            IndexBackups::new(index.clone()),
            Some(Limit::MAX),
            |backups| newest_ready(&backups).cloned(),
        )
    }

    /// A backup of `index` ([`create`]), safe to retry (see [`BackupOf`]). Drive it with
    /// [`Operation`](crate::Operation).
    pub fn create_backup(&self, index: &IndexName, request: &CreateBackup) -> Create<BackupOf> {
        self.create(BackupOf::new(index, request))
    }

    /// Deletes backup `id` ([`delete`]), retried as the policy allows.
    pub fn delete_backup(&self, id: &BackupId) -> Call<Deletion> {
        self.call(delete(id))
    }

    /// A wait on backup `id` until it is taken (`Ready`), fails, or `options.timeout`
    /// passes, as [`Config::wait`] waits on a restore job.
    pub fn wait_backup(&self, id: &BackupId, options: &WaitOptions) -> Wait<ProjectBackups> {
        Wait::new(self, id, options)
    }

    /// A wait on every backup of `ids` at once, as [`Config::wait_all`] waits on restore jobs.
    pub fn wait_backups(&self, ids: &[BackupId], options: &WaitOptions) -> WaitAll<ProjectBackups> {
        WaitAll::new(self, ids, options)
    }
}
