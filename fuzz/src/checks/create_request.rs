//! `create_request`: index names, tags, deletion protection and backup ids, as a caller gives
//! them to start a restore.

use std::collections::BTreeMap;
use std::str::FromStr;

use arbitrary::Arbitrary;
use pinecone_restore_core::{
    ApiKey, BackupId, Config, CreateIndexFromBackup, DeletionProtection, Error, IndexName, Method,
    Operation, Step, Tag, Tags,
};

use super::request_build::percent_decode;
use super::{error_text_is_safe, now};

/// Text from a small alphabet (so that valid values are common) or any text at all.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum TextInput {
    /// Each byte picks a character of [`ALPHABET`].
    Picked(Vec<u8>),
    /// Any text.
    Raw(String),
}

/// Every character the rules allow somewhere, and a few they never allow.
const ALPHABET: &[char] = &[
    'a', 'b', 'z', '0', '9', '-', 'A', 'Z', '_', '.', ';', '@', '+', ' ', '=', '/', '%', 'é',
    '\u{1b}', '\u{202e}', '"', '\\',
];

impl TextInput {
    fn text(&self) -> String {
        match self {
            TextInput::Picked(bytes) => bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()])
                .collect(),
            TextInput::Raw(text) => text.clone(),
        }
    }
}

/// Deletion protection as a caller spells it.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum ProtectionInput {
    /// `enabled`.
    Enabled,
    /// `disabled`.
    Disabled,
    /// Something close: `Enabled`, `enabled ` and the like.
    Near(u8),
    /// Any text.
    Raw(String),
}

impl ProtectionInput {
    fn text(&self) -> String {
        match self {
            ProtectionInput::Enabled => "enabled".to_owned(),
            ProtectionInput::Disabled => "disabled".to_owned(),
            ProtectionInput::Near(n) => {
                let near = [
                    "Enabled",
                    "enabled ",
                    " disabled",
                    "DISABLED",
                    "on",
                    "",
                    "true",
                ];
                near[usize::from(*n) % near.len()].to_owned()
            }
            ProtectionInput::Raw(text) => text.clone(),
        }
    }
}

/// One start request: the name, tags (as pairs and as `KEY=VALUE`), deletion protection and
/// the backup id.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct CreateInput {
    /// The index name.
    pub name: TextInput,
    /// Tags as key and value.
    pub tags: Vec<(TextInput, TextInput)>,
    /// A tag as a command line gives it, `KEY=VALUE`.
    pub tag_arg: TextInput,
    /// Deletion protection, if set.
    pub protection: Option<ProtectionInput>,
    /// The backup id.
    pub backup: TextInput,
}

// The documented rules, written out again here so that the check does not trust core's.

/// 1 to 45 characters of `a-z`, `0-9` and `-`, starting and ending with a letter or digit.
fn name_ok(name: &str) -> bool {
    let len = name.chars().count();
    (1..=45).contains(&len)
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// 1 to 80 characters of ASCII letters, digits, `_` and `-`.
fn tag_key_ok(key: &str) -> bool {
    let len = key.chars().count();
    (1..=80).contains(&len)
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// At most 120 characters of ASCII letters, digits, `;@_-.+` and space.
fn tag_value_ok(value: &str) -> bool {
    value.chars().count() <= 120
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ";@_-.+ ".contains(c))
}

/// Not empty, `.` or `..`, at most 256 bytes.
fn backup_ok(id: &str) -> bool {
    !matches!(id, "" | "." | "..") && id.len() <= 256
}

fn refused<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    match result {
        Ok(v) => panic!("{what}: accepted as {v:?}"),
        Err(e) => {
            assert!(e.is_invalid_argument(), "{what}: {e:?}");
            error_text_is_safe(&e);
        }
    }
}

/// `IndexName::new`, `Tag::new`, `Tag::from_str` and `DeletionProtection::from_str` agree
/// with the documented rules; an accepted request's JSON holds exactly what was given; the
/// request to start it carries the backup id as one path segment that decodes back to it.
pub fn create_request(input: CreateInput) {
    let name_text = input.name.text();
    let name = IndexName::new(name_text.as_str());
    assert_eq!(
        name.is_ok(),
        name_ok(&name_text),
        "IndexName::new({name_text:?})"
    );
    if !name_ok(&name_text) {
        refused("index name", name);
        return;
    }
    let name = name.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(name.as_str(), name_text);

    let mut expected_tags = BTreeMap::new();
    let mut tags = Tags::new();
    for (key, value) in &input.tags {
        let (key, value) = (key.text(), value.text());
        let ok = tag_key_ok(&key) && tag_value_ok(&value);
        let tag = Tag::new(key.as_str(), value.as_str());
        assert_eq!(tag.is_ok(), ok, "Tag::new({key:?}, {value:?})");
        match tag {
            Ok(tag) => {
                assert_eq!((tag.key(), tag.value()), (key.as_str(), value.as_str()));
                tags.insert(tag);
                expected_tags.insert(key, value);
            }
            Err(e) => refused("tag", Err::<(), _>(e)),
        }
    }
    let arg = input.tag_arg.text();
    let parsed = Tag::from_str(&arg);
    let arg_ok = arg
        .split_once('=')
        .is_some_and(|(k, v)| tag_key_ok(k) && tag_value_ok(v));
    assert_eq!(parsed.is_ok(), arg_ok, "Tag::from_str({arg:?})");
    match parsed {
        Ok(tag) => {
            let (k, v) = arg.split_once('=').unwrap_or_default();
            assert_eq!((tag.key(), tag.value()), (k, v));
        }
        Err(e) => refused("tag argument", Err::<(), _>(e)),
    }

    let mut request = CreateIndexFromBackup::new(name.clone()).tags(tags);
    let mut expected_protection = None;
    if let Some(p) = &input.protection {
        let text = p.text();
        let parsed = DeletionProtection::from_str(&text);
        let ok = matches!(text.as_str(), "enabled" | "disabled");
        assert_eq!(parsed.is_ok(), ok, "DeletionProtection::from_str({text:?})");
        match parsed {
            Ok(p) => {
                assert_eq!(p.as_str(), text);
                request = request.deletion_protection(p);
                expected_protection = Some(text);
            }
            Err(e) => refused("deletion protection", Err::<(), _>(e)),
        }
    }

    let body = request.to_json();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "to_json is not JSON: {e}: {}",
            String::from_utf8_lossy(&body)
        )
    });
    let mut expected = serde_json::Map::new();
    expected.insert("name".to_owned(), name_text.clone().into());
    if !expected_tags.is_empty() {
        let tags = expected_tags
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::from(v)))
            .collect();
        expected.insert("tags".to_owned(), serde_json::Value::Object(tags));
    }
    if let Some(p) = expected_protection {
        expected.insert("deletion_protection".to_owned(), p.into());
    }
    assert_eq!(
        json,
        serde_json::Value::Object(expected),
        "the request body"
    );

    let backup_text = input.backup.text();
    let backup = BackupId::new(backup_text.as_str());
    assert_eq!(
        backup.is_ok(),
        backup_ok(&backup_text),
        "BackupId::new({backup_text:?})"
    );
    let backup = match backup {
        Ok(backup) => backup,
        Err(e) => return refused("backup id", Err::<(), _>(e)),
    };
    let config = Config::builder(ApiKey::new("fuzz-key").unwrap_or_else(|e| panic!("{e}")))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut start = config.create_index_from_backup(&backup, &request);
    let Step::Send(attempt) = start.next_step(now()) else {
        panic!("starting a restore did not send first");
    };
    let sent = &attempt.request;
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.body.as_deref(), Some(body.as_slice()), "the body sent");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let segment = sent
        .url
        .strip_prefix("https://api.pinecone.io/backups/")
        .and_then(|rest| rest.strip_suffix("/create-index"))
        .unwrap_or_else(|| panic!("unexpected URL {}", sent.url));
    assert!(
        !segment.contains('/'),
        "the id is more than one segment: {}",
        sent.url
    );
    assert!(
        !matches!(segment, "" | "." | ".."),
        "the id segment addresses another path: {}",
        sent.url
    );
    assert_eq!(
        percent_decode(segment).as_deref(),
        Some(backup_text.as_bytes()),
        "the id does not decode back from {}",
        sent.url
    );
}
