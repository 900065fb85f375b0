//! What starting a restore takes and gives: an index name, tags and deletion protection in;
//! the restore job and index ids out.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::{Error, InvalidArgument};
use crate::request::IndexName;
use crate::text::{self, Secrets};

fn quoted(text: &str) -> String {
    text::quote(text, &Secrets::none())
}

/// Tags for the new index: keys of at most 80 characters of ASCII letters, digits, `_` and `-`;
/// values of at most 120 characters of ASCII letters, digits, `;@_-.+` and space.
///
/// ```
/// use pinecone_restore_core::Tags;
///
/// let tags = Tags::new().with("team", "search")?.with("env", "prod")?;
/// assert_eq!(tags.len(), 2);
/// assert!(Tags::new().with("bad key", "x").is_err());
/// let parsed: Tags = ["team=search", "note=a b"].into_iter().map(str::parse).collect::<Result<_, _>>()?;
/// assert_eq!(parsed.get("note"), Some("a b"));
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(BTreeMap<String, String>);

/// One `KEY=VALUE` tag, as a command line gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    key: String,
    value: String,
}

impl Tag {
    /// The longest tag key.
    pub const MAX_KEY_LEN: usize = 80;
    /// The longest tag value.
    pub const MAX_VALUE_LEN: usize = 120;

    /// Checks `key` and `value`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] saying which rule the key or the value breaks.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Result<Tag, Error> {
        let (key, value) = (key.into(), value.into());
        let bad = |what, reason: String| Err(InvalidArgument::new(what, reason).into());
        let key_chars = key.chars().count();
        if key_chars == 0 || key_chars > Tag::MAX_KEY_LEN {
            return bad(
                "tag key",
                format!(
                    "expected 1 to {} characters, found {key_chars}",
                    Tag::MAX_KEY_LEN
                ),
            );
        }
        if let Some(c) = key
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        {
            return bad(
                "tag key",
                format!(
                    "expected ASCII letters, digits, `_` and `-`, found `{}` in `{}`",
                    quoted(c.encode_utf8(&mut [0; 4])),
                    quoted(&key)
                ),
            );
        }
        let value_chars = value.chars().count();
        if value_chars > Tag::MAX_VALUE_LEN {
            return bad(
                "tag value",
                format!(
                    "expected at most {} characters for `{key}`, found {value_chars}",
                    Tag::MAX_VALUE_LEN
                ),
            );
        }
        if let Some(c) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || ";@_-.+ ".contains(*c)))
        {
            return bad(
                "tag value",
                format!(
                    "expected ASCII letters, digits, `;@_-.+` and space for `{key}`, found `{}` \
                     in `{}`",
                    quoted(c.encode_utf8(&mut [0; 4])),
                    quoted(&value)
                ),
            );
        }
        Ok(Tag { key, value })
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl FromStr for Tag {
    type Err = Error;

    /// `KEY=VALUE`; the value may be empty, and may itself hold no `=`.
    fn from_str(s: &str) -> Result<Tag, Error> {
        match s.split_once('=') {
            Some((key, value)) => Tag::new(key, value),
            None => Err(InvalidArgument::new(
                "tag",
                format!("expected `KEY=VALUE`, found `{}`", quoted(s)),
            )
            .into()),
        }
    }
}

impl Tags {
    /// No tags.
    pub fn new() -> Tags {
        Tags::default()
    }

    /// Adds the tag `key` = `value`, replacing an earlier value for `key`.
    ///
    /// # Errors
    ///
    /// As [`Tag::new`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Result<Tags, Error> {
        self.insert(Tag::new(key, value)?);
        Ok(self)
    }

    /// Adds a checked tag, replacing an earlier value for its key.
    pub fn insert(&mut self, tag: Tag) {
        self.0.insert(tag.key, tag.value);
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// How many tags there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The tags in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl FromIterator<Tag> for Tags {
    fn from_iter<I: IntoIterator<Item = Tag>>(iter: I) -> Tags {
        let mut tags = Tags::new();
        for tag in iter {
            tags.insert(tag);
        }
        tags
    }
}

/// Whether the new index can be deleted (`disabled`, the API's default) or not (`enabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeletionProtection {
    /// `enabled`: the index cannot be deleted until this is turned off.
    Enabled,
    /// `disabled`.
    Disabled,
}

impl DeletionProtection {
    /// As the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeletionProtection::Enabled => "enabled",
            DeletionProtection::Disabled => "disabled",
        }
    }
}

impl FromStr for DeletionProtection {
    type Err = Error;

    fn from_str(s: &str) -> Result<DeletionProtection, Error> {
        match s {
            "enabled" => Ok(DeletionProtection::Enabled),
            "disabled" => Ok(DeletionProtection::Disabled),
            other => Err(InvalidArgument::new(
                "deletion protection",
                format!(
                    "expected `enabled` or `disabled`, found `{}`",
                    quoted(other)
                ),
            )
            .into()),
        }
    }
}

impl fmt::Display for DeletionProtection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of `POST /backups/{backup_id}/create-index`: the index to create from the backup.
///
/// `read_capacity` (dedicated read nodes, API 2026-07 only) is not offered: the restored index
/// gets the API's default, on-demand capacity.
///
/// ```
/// use pinecone_restore_core::{CreateIndexFromBackup, DeletionProtection, IndexName, Tags};
///
/// let request = CreateIndexFromBackup::new(IndexName::new("restored")?)
///     .tags(Tags::new().with("team", "search")?)
///     .deletion_protection(DeletionProtection::Enabled);
/// assert_eq!(
///     String::from_utf8(request.to_json())?,
///     r#"{"name":"restored","tags":{"team":"search"},"deletion_protection":"enabled"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIndexFromBackup {
    name: IndexName,
    tags: Tags,
    deletion_protection: Option<DeletionProtection>,
}

impl CreateIndexFromBackup {
    /// An index named `name`, without tags, with the API's default deletion protection.
    pub fn new(name: IndexName) -> CreateIndexFromBackup {
        CreateIndexFromBackup {
            name,
            tags: Tags::new(),
            deletion_protection: None,
        }
    }

    /// Sets the tags.
    pub fn tags(mut self, tags: Tags) -> CreateIndexFromBackup {
        self.tags = tags;
        self
    }

    /// Sets deletion protection.
    pub fn deletion_protection(mut self, protection: DeletionProtection) -> CreateIndexFromBackup {
        self.deletion_protection = Some(protection);
        self
    }

    /// The index name.
    pub fn name(&self) -> &IndexName {
        &self.name
    }

    /// The body as JSON, keys in the spec's order; `tags` and `deletion_protection` only
    /// when set.
    pub fn to_json(&self) -> Vec<u8> {
        // Names, keys and values are checked ASCII without quotes or backslashes, but write
        // them as JSON strings anyway: the body stays valid whatever the rules become.
        let string = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut body = format!("{{\"name\":{}", string(self.name.as_str()));
        if !self.tags.is_empty() {
            body.push_str(",\"tags\":{");
            for (i, (k, v)) in self.tags.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&string(k));
                body.push(':');
                body.push_str(&string(v));
            }
            body.push('}');
        }
        if let Some(p) = self.deletion_protection {
            body.push_str(",\"deletion_protection\":");
            body.push_str(&string(p.as_str()));
        }
        body.push('}');
        body.into_bytes()
    }
}

/// A restore that was started: the API's two ids, and whether they were found by looking the
/// restore up after an attempt whose answer was lost (see
/// [`Start`](crate::Start)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedRestore {
    pub(crate) restore_job_id: String,
    pub(crate) index_id: String,
    pub(crate) recovered: bool,
}

impl StartedRestore {
    /// The restore job's id, for [`describe`](crate::Config::describe) and
    /// [`wait`](crate::Config::wait).
    pub fn restore_job_id(&self) -> &str {
        &self.restore_job_id
    }

    /// The id of the index being created.
    pub fn index_id(&self) -> &str {
        &self.index_id
    }

    /// `true` when an attempt's answer was lost and the restore was found by listing restore
    /// jobs instead.
    pub fn recovered(&self) -> bool {
        self.recovered
    }
}

/// `{"restore_job_id": ..., "index_id": ..., "recovered": bool}`: the API's two fields, and
/// whether the start was recovered after a retry.
impl Serialize for StartedRestore {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("restore_job_id", &self.restore_job_id)?;
        map.serialize_entry("index_id", &self.index_id)?;
        map.serialize_entry("recovered", &self.recovered)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names() {
        for ok in ["a", "0", "a-b", "restored-index-2025", &"a".repeat(45)] {
            assert!(IndexName::new(ok).is_ok(), "{ok}");
        }
        for (bad, rule) in [
            ("", "1 to 45"),
            (&"a".repeat(46) as &str, "1 to 45"),
            ("-a", "start and the end"),
            ("a-", "start and the end"),
            ("A", "lower-case"),
            ("a_b", "lower-case"),
            ("a b", "lower-case"),
            ("ä", "lower-case"),
            ("a\u{1b}", "lower-case"),
        ] {
            let err = IndexName::new(bad).unwrap_err().to_string();
            assert!(err.contains(rule), "{bad:?}: {err}");
            assert!(!err.contains('\u{1b}'), "{err}");
        }
    }

    #[test]
    fn tags() {
        assert!(Tag::new("a".repeat(80), "v").is_ok());
        assert!(Tag::new("a".repeat(81), "v").is_err());
        assert!(Tag::new("", "v").is_err());
        assert!(Tag::new("k.k", "v").is_err());
        assert!(Tag::new("k_k-K9", "a;b@c_d-e.f+g h").is_ok());
        assert!(Tag::new("k", "").is_ok());
        assert!(Tag::new("k", "x".repeat(120)).is_ok());
        assert!(Tag::new("k", "x".repeat(121)).is_err());
        for bad in ["a/b", "a,b", "a=b", "é", "a\tb"] {
            assert!(Tag::new("k", bad).is_err(), "{bad:?}");
        }
        assert!(
            "k=a=b"
                .parse::<Tag>()
                .unwrap_err()
                .to_string()
                .contains("tag value")
        );
        assert!("novalue".parse::<Tag>().is_err());
        let tag: Tag = "team=".parse().unwrap();
        assert_eq!((tag.key(), tag.value()), ("team", ""));
    }

    #[test]
    fn body() {
        let name = IndexName::new("n").unwrap();
        assert_eq!(
            CreateIndexFromBackup::new(name.clone()).to_json(),
            br#"{"name":"n"}"#
        );
        let with_all = CreateIndexFromBackup::new(name)
            .deletion_protection(DeletionProtection::Disabled)
            .tags(Tags::new().with("b", "2").unwrap().with("a", "1").unwrap());
        assert_eq!(
            with_all.to_json(),
            br#"{"name":"n","tags":{"a":"1","b":"2"},"deletion_protection":"disabled"}"#
        );
        assert!("on".parse::<DeletionProtection>().is_err());
        assert_eq!(
            "enabled".parse::<DeletionProtection>().unwrap(),
            DeletionProtection::Enabled
        );
    }
}
