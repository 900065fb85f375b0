//! One backup object, and a page of them.
//!
//! The same rules as restore jobs: required keys present and of their type, each key once,
//! unknown keys ignored, timestamps RFC 3339, a secret sent back refused, every error naming
//! where. Which optional keys exist depends on the version ([`BackupRules`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use serde::Deserializer as _;

use crate::error::{Error, InvalidResponseKind};
use crate::parse::keys::{self, Field, Keys};
use crate::parse::page::{Element, PageVisitor};
use crate::parse::path::Seg;
use crate::parse::value::{AnyValue, Value};
use crate::parse::{Scope, run, timestamp};
use crate::resources::backups::model::{Backup, BackupPage, BackupStatus};
use crate::text::Secrets;
use crate::timestamp::parse_rfc3339;
use crate::version::{ApiVersion, BackupRules, Rules};

/// Parses the body of a `200` answer to `GET /backups` or `GET /indexes/{index_name}/backups`,
/// by the rules of `version` (see [`Backup`] for what each version holds).
///
/// # Errors
///
/// [`Error::InvalidResponse`] naming where and what, for anything that breaks the rules: not
/// JSON, trailing bytes, duplicate keys (tags included), a missing or mistyped required key, an
/// empty `backup_id`, a `created_at` that is not RFC 3339 where the version types it as a
/// date-time (2026-07; earlier versions keep such text as sent), a `dimension` outside
/// `1..=20000`, a count that is not a 64-bit integer, a `schema` that is not an object, a
/// pagination token over [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, BackupStatus, parse_backup_page};
///
/// let body = br#"{"data": [{"backup_id": "bk-1", "source_index_name": "my-index",
///     "source_index_id": "idx-1", "status": "Ready", "cloud": "aws", "region": "us-east-1",
///     "created_at": "2025-02-04T13:00:00Z"}], "pagination": {"next": "dG9r"}}"#;
/// let page = parse_backup_page(body, &ApiVersion::V2025_04)?;
/// assert_eq!(page.backups[0].status(), &BackupStatus::Ready);
/// assert_eq!(page.next.as_ref().map(|t| t.as_str()), Some("dG9r"));
///
/// // 2025-04 types `created_at` as a plain string: text that is not a time is kept as sent
/// let odd = br#"{"data": [{"backup_id": "b", "source_index_name": "i", "source_index_id": "x",
///     "status": "Ready", "cloud": "aws", "region": "r", "created_at": "yesterday"}]}"#;
/// let page = parse_backup_page(odd, &ApiVersion::V2025_04)?;
/// assert_eq!(page.backups[0].created_at(), None);
/// assert_eq!(page.backups[0].created_at_text(), Some("yesterday"));
/// // 2026-07 types it as a date-time
/// let err = parse_backup_page(odd, &ApiVersion::V2026_07).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid response: data[0].created_at: expected an RFC 3339 timestamp, found `\"yesterday\"`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_backup_page(body: &[u8], version: &ApiVersion) -> Result<BackupPage, Error> {
    backup_page(body, version.rules(), &Secrets::none(), false)
}

/// Parses the body of a `200` answer to `GET /backups/{backup_id}`, by the rules of `version`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for [`parse_backup_page`], with paths relative to the backup.
///
/// ```
/// use pinecone_restore_core::{ApiVersion, parse_backup};
///
/// let body = br#"{"backup_id": "bk-1", "source_index_name": "my-index",
///     "source_index_id": "idx-1", "status": "Ready", "cloud": "aws", "region": "us-east-1",
///     "dimension": 1536, "schema": {"fields": {}}}"#;
/// let backup = parse_backup(body, &ApiVersion::V2025_10)?;
/// assert_eq!((backup.dimension(), backup.schema()), (Some(1536), Some(r#"{"fields": {}}"#)));
/// // 2026-07 removed `dimension`: it is ignored as any unknown key
/// assert_eq!(parse_backup(body, &ApiVersion::V2026_07)?.dimension(), None);
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_backup(body: &[u8], version: &ApiVersion) -> Result<Backup, Error> {
    backup(body, version.rules(), &Secrets::none())
}

// Backups have no fast path: a listing of them is small (at most 100 a page, read once before
// a restore), so the reference parser alone reads them.

/// A page of backups; `require_data` refuses a page without `data`, which `BackupList`
/// allows, where the page must show what is absent (a create's lookup).
pub(crate) fn backup_page(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
    require_data: bool,
) -> Result<BackupPage, Error> {
    run(body, rules, secrets, |d, scope| {
        let visitor = PageVisitor::new(scope).requiring_data(require_data);
        let (backups, next) = d.deserialize_map(visitor)?;
        Ok(BackupPage { backups, next })
    })
}

pub(crate) fn backup(
    body: &[u8],
    rules: &'static Rules,
    secrets: &Secrets,
) -> Result<Backup, Error> {
    run(body, rules, secrets, |d, scope| {
        serde::de::DeserializeSeed::deserialize(
            BackupVisitor {
                scope,
                history: false,
            },
            d,
        )
    })
}

/// The keys of a `BackupModel`, every version's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackupField {
    BackupId,
    SourceIndexName,
    SourceIndexId,
    Status,
    Cloud,
    Region,
    Name,
    Description,
    Dimension,
    Metric,
    Schema,
    RecordCount,
    NamespaceCount,
    SizeBytes,
    Tags,
    CreatedAt,
    SourceIndexDeletedAt,
    ScheduledExecutionAt,
}

impl BackupField {
    /// The keys every backup must have, in every version.
    const REQUIRED: [BackupField; 6] = [
        BackupField::BackupId,
        BackupField::SourceIndexName,
        BackupField::SourceIndexId,
        BackupField::Status,
        BackupField::Cloud,
        BackupField::Region,
    ];

    /// What a schedule's history item requires besides: its name and its creation time.
    const REQUIRED_IN_HISTORY: [BackupField; 2] = [BackupField::Name, BackupField::CreatedAt];

    /// Whether the version of `rules` defines this key (in a schedule's history, with
    /// `history`); one it does not is ignored.
    fn defined(self, rules: BackupRules, history: bool) -> bool {
        match self {
            BackupField::Dimension | BackupField::Metric => rules.dimension_and_metric,
            BackupField::Schema => rules.schema,
            BackupField::SourceIndexDeletedAt => rules.deleted_sources && !history,
            BackupField::ScheduledExecutionAt => history,
            _ => true,
        }
    }
}

impl Field for BackupField {
    fn from_key(key: &str) -> Option<BackupField> {
        Some(match key {
            "backup_id" => BackupField::BackupId,
            "source_index_name" => BackupField::SourceIndexName,
            "source_index_id" => BackupField::SourceIndexId,
            "status" => BackupField::Status,
            "cloud" => BackupField::Cloud,
            "region" => BackupField::Region,
            "name" => BackupField::Name,
            "description" => BackupField::Description,
            "dimension" => BackupField::Dimension,
            "metric" => BackupField::Metric,
            "schema" => BackupField::Schema,
            "record_count" => BackupField::RecordCount,
            "namespace_count" => BackupField::NamespaceCount,
            "size_bytes" => BackupField::SizeBytes,
            "tags" => BackupField::Tags,
            "created_at" => BackupField::CreatedAt,
            "source_index_deleted_at" => BackupField::SourceIndexDeletedAt,
            "scheduled_execution_at" => BackupField::ScheduledExecutionAt,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            BackupField::BackupId => "backup_id",
            BackupField::SourceIndexName => "source_index_name",
            BackupField::SourceIndexId => "source_index_id",
            BackupField::Status => "status",
            BackupField::Cloud => "cloud",
            BackupField::Region => "region",
            BackupField::Name => "name",
            BackupField::Description => "description",
            BackupField::Dimension => "dimension",
            BackupField::Metric => "metric",
            BackupField::Schema => "schema",
            BackupField::RecordCount => "record_count",
            BackupField::NamespaceCount => "namespace_count",
            BackupField::SizeBytes => "size_bytes",
            BackupField::Tags => "tags",
            BackupField::CreatedAt => "created_at",
            BackupField::SourceIndexDeletedAt => "source_index_deleted_at",
            BackupField::ScheduledExecutionAt => "scheduled_execution_at",
        }
    }

    fn index(self) -> u32 {
        self as u32
    }
}

/// What a count must be: the spec types it as an integer and sets no minimum.
const COUNT: &str = "an integer";

/// The largest `dimension` the spec allows.
const MAX_DIMENSION: u64 = 20_000;

pub(super) struct BackupVisitor<'a, 's> {
    pub(super) scope: &'a mut Scope<'s>,
    /// A schedule's history item (`BackupScheduleHistoryItem`), not a `BackupModel`.
    pub(super) history: bool,
}

impl<'de> DeserializeSeed<'de> for BackupVisitor<'_, '_> {
    type Value = Backup;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Backup, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BackupVisitor<'_, '_> {
    type Value = Backup;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Backup, A::Error> {
        let scope = self.scope;
        let history = self.history;
        let rules = scope.rules.backups;
        let mut keys = Keys::<BackupField>::new();
        let mut backup_id = Cow::Borrowed("");
        let mut source_index_name = Cow::Borrowed("");
        let mut source_index_id = Cow::Borrowed("");
        let mut status = BackupStatus::Ready;
        let mut cloud = Cow::Borrowed("");
        let mut region = Cow::Borrowed("");
        let (mut name_, mut description, mut metric) = (None, None, None);
        let mut dimension = None;
        let (mut record_count, mut namespace_count, mut size_bytes) = (None, None, None);
        let mut schema = None;
        let mut tags = None;
        let (mut created_at, mut created_at_text) = (None, None);
        let (mut deleted_at, mut planned_at) = (None, None);
        while let Some(field) = keys.next(&mut map, scope)? {
            let name = field.name();
            let seg = || Some(Seg::Key(Cow::Borrowed(name)));
            if !field.defined(rules, history) {
                map.next_value::<IgnoredAny>()
                    .map_err(|e| scope.record(seg(), e))?;
                continue;
            }
            match field {
                BackupField::Schema => {
                    schema = map
                        .next_value_seed(SchemaSeed { scope: &mut *scope })
                        .map_err(|e| scope.record(seg(), e))?;
                    continue;
                }
                BackupField::Tags => {
                    tags = map
                        .next_value_seed(TagsSeed { scope: &mut *scope })
                        .map_err(|e| scope.record(seg(), e))?;
                    continue;
                }
                _ => {}
            }
            let v = scope.value(&mut map, name)?;
            match field {
                BackupField::BackupId => backup_id = scope.text(name, "a string", v)?,
                BackupField::SourceIndexName => {
                    source_index_name = scope.text(name, "a string", v)?
                }
                BackupField::SourceIndexId => source_index_id = scope.text(name, "a string", v)?,
                BackupField::Status => {
                    status = BackupStatus::from_text(&scope.text(name, "a string", v)?);
                }
                BackupField::Cloud => cloud = scope.text(name, "a string", v)?,
                BackupField::Region => region = scope.text(name, "a string", v)?,
                BackupField::Name => name_ = optional_text(scope, name, v)?,
                BackupField::Description => description = optional_text(scope, name, v)?,
                BackupField::Metric => metric = optional_text(scope, name, v)?,
                BackupField::Dimension => {
                    const EXPECTED: &str = "an integer in 1..=20000";
                    dimension = match v {
                        Value::Null => None,
                        Value::U64(d @ 1..=MAX_DIMENSION) => u32::try_from(d).ok(),
                        Value::U64(_) | Value::I64(_) => {
                            return Err(scope.invalid(name, EXPECTED, &v));
                        }
                        v => return Err(scope.wrong_type(name, EXPECTED, &v)),
                    };
                }
                BackupField::RecordCount => record_count = count(scope, name, COUNT, v)?,
                BackupField::NamespaceCount => namespace_count = count(scope, name, COUNT, v)?,
                BackupField::SizeBytes => size_bytes = count(scope, name, COUNT, v)?,
                BackupField::CreatedAt if rules.created_at_is_date_time || history => {
                    created_at = timestamp(scope, name, v)?;
                }
                // a plain string: a timestamp when it reads as one, else kept as sent
                BackupField::CreatedAt => {
                    if let Some(text) = optional_text(scope, name, v)? {
                        match parse_rfc3339(&text) {
                            Some(at) => created_at = Some(at),
                            None => created_at_text = Some(text.into_owned()),
                        }
                    }
                }
                BackupField::SourceIndexDeletedAt => deleted_at = timestamp(scope, name, v)?,
                BackupField::ScheduledExecutionAt => planned_at = timestamp(scope, name, v)?,
                BackupField::Schema | BackupField::Tags => {}
            }
        }
        if let Some(field) = keys.missing(&BackupField::REQUIRED) {
            return Err(keys::missing(scope, field));
        }
        if history {
            if let Some(field) = keys.missing(&BackupField::REQUIRED_IN_HISTORY) {
                return Err(keys::missing(scope, field));
            }
            // required, and typed as a date-time (not nullable)
            if created_at.is_none() {
                return Err(scope.wrong_type(
                    BackupField::CreatedAt.name(),
                    "an RFC 3339 timestamp",
                    &Value::Null,
                ));
            }
        }
        if backup_id.is_empty() {
            return Err(scope.invalid(
                BackupField::BackupId.name(),
                "a non-empty string",
                &Value::Str(Cow::Borrowed("")),
            ));
        }
        let owned = |t: Option<Cow<'_, str>>| t.map(Cow::into_owned);
        Ok(Backup::new(
            &backup_id,
            &source_index_name,
            &source_index_id,
            status,
            &cloud,
            &region,
        )
        .with_name(owned(name_))
        .with_description(owned(description))
        .with_dimension_and_metric(dimension, owned(metric))
        .with_schema(schema)
        .with_counts(record_count, namespace_count, size_bytes)
        .with_tags(tags)
        .with_created_at(created_at)
        .with_created_at_text(created_at_text)
        .with_source_index_deleted_at(deleted_at)
        .with_scheduled_execution_at(planned_at))
    }
}

/// An optional string: `null` is absent.
fn optional_text<'de, E: de::Error>(
    scope: &mut Scope<'_>,
    name: &'static str,
    v: Value<'de>,
) -> Result<Option<Cow<'de, str>>, E> {
    match v {
        Value::Null => Ok(None),
        v => scope.text(name, "a string or null", v).map(Some),
    }
}

/// An optional integer that fits 64 bits signed (the spec's `int64`): `null` is absent.
fn count<E: de::Error>(
    scope: &mut Scope<'_>,
    name: &'static str,
    expected: &str,
    v: Value<'_>,
) -> Result<Option<i64>, E> {
    match v {
        Value::Null => Ok(None),
        Value::I64(n) => Ok(Some(n)),
        Value::U64(n) => match i64::try_from(n) {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(scope.invalid(name, expected, &v)),
        },
        v => Err(scope.wrong_type(name, expected, &v)),
    }
}

/// `schema`: an object (or `null`), kept as the JSON text sent.
struct SchemaSeed<'a, 's> {
    scope: &'a mut Scope<'s>,
}

impl<'de> DeserializeSeed<'de> for SchemaSeed<'_, '_> {
    type Value = Option<String>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        let scope = self.scope;
        let raw = <&'de RawValue as serde::Deserialize>::deserialize(d)?;
        let text = raw.get();
        if text == "null" {
            return Ok(None);
        }
        if !text.starts_with('{') {
            let shown = match text.as_bytes().first() {
                Some(b'[') => "an array".to_owned(),
                _ => format!("`{}`", scope.quote(text)),
            };
            return Err(scope.broken(
                None,
                InvalidResponseKind::Malformed,
                format!("expected an object or null, found {shown}"),
            ));
        }
        if scope.holds_secret(&Cow::Borrowed(text)) {
            return Err(scope.broken(
                None,
                InvalidResponseKind::InvalidValue,
                "expected a schema, found one that holds the API key or another secret (a \
                 server must never send it back)"
                    .to_owned(),
            ));
        }
        Ok(Some(text.to_owned()))
    }
}

/// `tags`: an object of strings (or `null`), each key once, in the order sent.
struct TagsSeed<'a, 's> {
    scope: &'a mut Scope<'s>,
}

impl<'de> DeserializeSeed<'de> for TagsSeed<'_, '_> {
    type Value = Option<Vec<(String, String)>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagsSeed<'_, '_> {
    type Value = Option<Vec<(String, String)>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of strings or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let scope = self.scope;
        let mut tags: Vec<(String, String)> = Vec::new();
        while let Some(key) = map
            .next_key::<Cow<'de, str>>()
            .map_err(|e| scope.record(None, e))?
        {
            let seg = |scope: &Scope<'_>| Some(Seg::Key(Cow::Owned(scope.quote(&key))));
            let value = map
                .next_value_seed(AnyValue)
                .map_err(|e| scope.record(seg(scope), e))?;
            let refuse = |scope: &mut Scope<'_>, kind, message: String| -> A::Error {
                let seg = seg(scope);
                scope.broken(seg, kind, message)
            };
            let text = match value {
                Value::Str(s) if scope.holds_secret(&s) || scope.holds_secret(&key) => {
                    return Err(refuse(
                        scope,
                        InvalidResponseKind::InvalidValue,
                        "expected a tag, found one that holds the API key or another secret (a \
                         server must never send it back)"
                            .to_owned(),
                    ));
                }
                Value::Str(s) => s.into_owned(),
                other => {
                    let message =
                        format!("expected a string, found {}", other.shown(scope.secrets));
                    return Err(refuse(scope, InvalidResponseKind::Malformed, message));
                }
            };
            tags.push((key.into_owned(), text));
        }
        // each key once, by the rule every object's keys follow
        if let Some(name) = keys::repeated(tags.iter().map(|(key, _)| key.as_str())) {
            let name = scope.quote(name);
            return Err(keys::duplicate(scope, Cow::Owned(name)));
        }
        Ok(Some(tags))
    }
}

/// A backup as an element of a page's `data`. `BackupList` requires no key in any version
/// (`RestoreJobList` and the schedules' lists require `data`): a page without `data` holds
/// no backups.
impl Element for Backup {
    const ARRAY: &'static str = "an array of backups";
    const DATA_REQUIRED: bool = false;

    fn read<'de, D: de::Deserializer<'de>>(
        scope: &mut Scope<'_>,
        d: D,
    ) -> Result<Backup, D::Error> {
        BackupVisitor {
            scope,
            history: false,
        }
        .deserialize(d)
    }
}

/// An item of a schedule's history: a backup by `BackupScheduleHistoryItem`'s schema.
pub(crate) struct HistoryItem(pub(crate) Backup);

impl Element for HistoryItem {
    const ARRAY: &'static str = "an array of backups";

    fn read<'de, D: de::Deserializer<'de>>(
        scope: &mut Scope<'_>,
        d: D,
    ) -> Result<HistoryItem, D::Error> {
        BackupVisitor {
            scope,
            history: true,
        }
        .deserialize(d)
        .map(HistoryItem)
    }
}
