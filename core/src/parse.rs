//! The validating parser for list pages and jobs.
//!
//! It drives `serde_json` with hand-written visitors so that it can borrow every string it only
//! looks at, reject duplicate keys, and report *where* a value broke a rule. Visitors record the
//! first failure in a slot; each enclosing level adds its own path segment on the way out.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::de::StrRead;
use time::OffsetDateTime;

use crate::error::{Error, InvalidResponse, InvalidResponseKind, cut, quote};
use crate::model::{JobStatus, ListPage, Percent, RestoreJob};
use crate::timestamp::parse_rfc3339;

/// Parses the body of a `200` answer to `GET /restore-jobs`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] naming where and what, for anything that breaks the rules: not
/// JSON, trailing bytes, duplicate keys, a missing or mistyped required key, a timestamp that is
/// not RFC 3339, a `percent_complete` outside `0..=100`, an empty `restore_job_id`.
///
/// ```
/// use pinecone_restore_core::parse_list_page;
///
/// let page = parse_list_page(br#"{"data": [], "pagination": {"next": "dG9r"}}"#)?;
/// assert!(page.jobs.is_empty());
/// assert_eq!(page.next.as_deref(), Some("dG9r"));
///
/// let err = parse_list_page(br#"{"data": [{"restore_job_id": 5}]}"#).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid response: data[0].restore_job_id: expected a string, found `5`"
/// );
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_list_page(body: &[u8]) -> Result<ListPage, Error> {
    run(body, |d, slot| d.deserialize_map(PageVisitor { slot }))
}

/// Parses the body of a `200` answer to `GET /restore-jobs/{id}`.
///
/// # Errors
///
/// [`Error::InvalidResponse`] as for [`parse_list_page`], with paths relative to the job.
///
/// ```
/// use pinecone_restore_core::{parse_job, JobStatus};
///
/// let job = parse_job(br#"{"restore_job_id": "r", "backup_id": "b",
///     "target_index_name": "n", "target_index_id": "i", "status": "Pending",
///     "created_at": "2025-02-04T13:00:00.123+01:00"}"#)?;
/// assert_eq!(job.status(), &JobStatus::Pending);
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn parse_job(body: &[u8]) -> Result<RestoreJob, Error> {
    run(body, |d, slot| d.deserialize_map(JobVisitor { slot }))
}

/// Parses `body` with `parse` (which deserializes the top-level value with the visitor of
/// its choice), then requires that nothing but white space follows.
fn run<'a, T>(
    body: &'a [u8],
    parse: impl FnOnce(&mut serde_json::Deserializer<StrRead<'a>>, &mut Slot) -> serde_json::Result<T>,
) -> Result<T, Error> {
    // JSON is UTF-8 (RFC 8259). Checking the whole body once is several times cheaper than
    // serde_json's check of each string read from a byte slice.
    let text = std::str::from_utf8(body).map_err(|e| {
        InvalidResponse::new(
            InvalidResponseKind::Malformed,
            "",
            format!(
                "expected UTF-8 JSON, found an invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })?;
    let mut slot = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = parse(&mut de, &mut slot)
        .map_err(|e| record(&mut slot, None, e))
        .and_then(|out| de.end().map(|()| out));
    parsed.map_err(|e| {
        let empty = body.iter().all(u8::is_ascii_whitespace);
        let failure = match slot {
            Some(failure) if !empty => failure,
            _ => Failure {
                path: Vec::new(),
                kind: InvalidResponseKind::Malformed,
                message: if empty {
                    "expected a JSON object, found an empty body".to_owned()
                } else {
                    describe_serde_error(&e.to_string())
                },
            },
        };
        Error::InvalidResponse(InvalidResponse::new(
            failure.kind,
            failure.render_path(),
            failure.message,
        ))
    })
}

// ---- failure recording -------------------------------------------------------------------

enum Seg {
    Key(Cow<'static, str>),
    Index(usize),
}

struct Failure {
    /// Innermost segment first.
    path: Vec<Seg>,
    kind: InvalidResponseKind,
    message: String,
}

impl Failure {
    fn render_path(&self) -> String {
        let mut out = String::new();
        for seg in self.path.iter().rev() {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

type Slot = Option<Failure>;

/// Notes that `err` passed through `seg` on its way out, creating the failure from `err`'s own
/// message when nothing inside recorded one.
fn record<E: de::Error>(slot: &mut Slot, seg: Option<Seg>, err: E) -> E {
    match slot {
        Some(f) => f.path.extend(seg),
        None => {
            *slot = Some(Failure {
                path: seg.into_iter().collect(),
                kind: InvalidResponseKind::Malformed,
                message: describe_serde_error(&err.to_string()),
            });
        }
    }
    err
}

/// Records a rule broken at `seg` and returns the error that unwinds the parse.
fn broken<E: de::Error>(
    slot: &mut Slot,
    seg: Seg,
    kind: InvalidResponseKind,
    message: String,
) -> E {
    *slot = Some(Failure {
        path: vec![seg],
        kind,
        message,
    });
    E::custom("rejected")
}

/// Rewrites serde's "invalid type: X, expected Y at line L column C" as
/// "expected Y, found X (at line L column C)".
fn describe_serde_error(msg: &str) -> String {
    let (body, position) = match msg.rfind(" at line ") {
        Some(i) => (&msg[..i], Some(&msg[i + 1..])),
        None => (msg, None),
    };
    let body = match body
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        // `found` quotes the server's value whole (`string "…"`, already escaped): keep it short
        Some((found, expected)) => format!("expected {expected}, found {}", cut(found)),
        None if body.starts_with("trailing characters") => {
            "expected nothing after the JSON value, found more bytes".to_owned()
        }
        None => body.to_owned(),
    };
    match position {
        Some(p) => format!("{body} ({p})"),
        None => body,
    }
}

// ---- keys and duplicate detection --------------------------------------------------------

enum Key<'de> {
    Known(usize),
    Unknown(Cow<'de, str>),
}

/// Maps a key to its index in an object's field table, if it is a known one.
type Lookup = fn(&str) -> Option<usize>;

#[derive(Clone, Copy)]
struct KeySeed(Lookup);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(match (self.0)(v) {
            Some(i) => Key::Known(i),
            None => Key::Unknown(Cow::Borrowed(v)),
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(match (self.0)(v) {
            Some(i) => Key::Known(i),
            None => Key::Unknown(Cow::Owned(v.to_owned())),
        })
    }
}

/// Walks an object's keys, rejecting any key seen twice.
struct Keys<'de> {
    names: &'static [&'static str],
    lookup: Lookup,
    known: u32,
    unknown: Vec<Cow<'de, str>>,
}

impl<'de> Keys<'de> {
    fn new(names: &'static [&'static str], lookup: Lookup) -> Self {
        Keys {
            names,
            lookup,
            known: 0,
            unknown: Vec::new(),
        }
    }

    /// The next key, or `None` at the end of the object. An unknown key's value is skipped here.
    fn next<A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        slot: &mut Slot,
    ) -> Result<Option<usize>, A::Error> {
        loop {
            let key = map
                .next_key_seed(KeySeed(self.lookup))
                .map_err(|e| record(slot, None, e))?;
            let duplicate = match &key {
                None => return Ok(None),
                Some(Key::Known(i)) => {
                    let bit = 1u32 << i;
                    let dup = self.known & bit != 0;
                    self.known |= bit;
                    dup.then(|| Cow::Borrowed(self.names[*i]))
                }
                Some(Key::Unknown(name)) => {
                    let dup = self.unknown.contains(name);
                    if !dup {
                        self.unknown.push(name.clone());
                    }
                    dup.then(|| Cow::Owned(quote(name)))
                }
            };
            if let Some(name) = duplicate {
                let message = format!("expected each key once, found `{name}` again");
                return Err(broken(
                    slot,
                    Seg::Key(name),
                    InvalidResponseKind::Malformed,
                    message,
                ));
            }
            match key {
                Some(Key::Known(i)) => return Ok(Some(i)),
                Some(Key::Unknown(name)) => {
                    map.next_value::<IgnoredAny>()
                        .map_err(|e| record(slot, Some(Seg::Key(Cow::Owned(quote(&name)))), e))?;
                }
                None => return Ok(None),
            }
        }
    }

    fn missing(&self, required: &[usize]) -> Option<&'static str> {
        required
            .iter()
            .find(|&&i| self.known & (1 << i) == 0)
            .map(|&i| self.names[i])
    }
}

// ---- any JSON value, kept borrowed -------------------------------------------------------

enum Value<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Value<'_> {
    /// The value as shown after "found": short, escaped, quoted strings.
    fn shown(&self) -> String {
        match self {
            Value::Null => "`null`".to_owned(),
            Value::Bool(b) => format!("`{b}`"),
            Value::U64(n) => format!("`{n}`"),
            Value::I64(n) => format!("`{n}`"),
            Value::F64(n) => format!("`{n:?}`"),
            Value::Str(s) => {
                let mut shown: String = s.chars().take(64).collect();
                if shown.len() < s.len() {
                    shown.push('…');
                }
                format!("`{:?}`", shown)
            }
            Value::Array => "an array".to_owned(),
            Value::Object => "an object".to_owned(),
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::U64(n) => Some(n as f64),
            Value::I64(n) => Some(n as f64),
            Value::F64(n) => Some(n),
            _ => None,
        }
    }
}

struct AnyValue;

impl<'de> DeserializeSeed<'de> for AnyValue {
    type Value = Value<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Object)
    }
}

/// Reads the value of known key `name` as any JSON value, recording syntax errors under `name`.
fn value<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Slot,
    name: &'static str,
) -> Result<Value<'de>, A::Error> {
    map.next_value_seed(AnyValue)
        .map_err(|e| record(slot, Some(Seg::Key(Cow::Borrowed(name))), e))
}

fn wrong_type<E: de::Error>(
    slot: &mut Slot,
    name: &'static str,
    expected: &str,
    v: &Value<'_>,
) -> E {
    broken(
        slot,
        Seg::Key(Cow::Borrowed(name)),
        InvalidResponseKind::Malformed,
        format!("expected {expected}, found {}", v.shown()),
    )
}

fn invalid<E: de::Error>(slot: &mut Slot, name: &'static str, expected: &str, v: &Value<'_>) -> E {
    broken(
        slot,
        Seg::Key(Cow::Borrowed(name)),
        InvalidResponseKind::InvalidValue,
        format!("expected {expected}, found {}", v.shown()),
    )
}

fn timestamp<E: de::Error>(
    slot: &mut Slot,
    name: &'static str,
    v: Value<'_>,
) -> Result<Option<OffsetDateTime>, E> {
    match &v {
        Value::Null => Ok(None),
        Value::Str(s) => match parse_rfc3339(s) {
            Some(at) => Ok(Some(at)),
            None => Err(invalid(slot, name, "an RFC 3339 timestamp", &v)),
        },
        _ => Err(wrong_type(slot, name, "an RFC 3339 timestamp or null", &v)),
    }
}

// ---- restore jobs ------------------------------------------------------------------------

const JOB_FIELDS: &[&str] = &[
    "restore_job_id",
    "backup_id",
    "target_index_name",
    "target_index_id",
    "status",
    "created_at",
    "completed_at",
    "percent_complete",
];
const JOB_REQUIRED: [usize; 6] = [0, 1, 2, 3, 4, 5];

/// `JOB_FIELDS` as a `match`: the names differ in length, so this is one length switch and one
/// comparison.
fn job_field(key: &str) -> Option<usize> {
    Some(match key {
        "restore_job_id" => 0,
        "backup_id" => 1,
        "target_index_name" => 2,
        "target_index_id" => 3,
        "status" => 4,
        "created_at" => 5,
        "completed_at" => 6,
        "percent_complete" => 7,
        _ => return None,
    })
}

struct JobElement<'s> {
    slot: &'s mut Slot,
}

impl<'de> DeserializeSeed<'de> for JobElement<'_> {
    type Value = RestoreJob;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RestoreJob, D::Error> {
        d.deserialize_map(JobVisitor { slot: self.slot })
    }
}

struct JobVisitor<'s> {
    slot: &'s mut Slot,
}

impl<'de> Visitor<'de> for JobVisitor<'_> {
    type Value = RestoreJob;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a restore job object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RestoreJob, A::Error> {
        let slot = self.slot;
        let mut keys = Keys::new(JOB_FIELDS, job_field);
        let mut text: [Cow<'de, str>; 4] = Default::default();
        let mut status = JobStatus::Pending;
        let mut created_at = None;
        let mut completed_at = None;
        let mut percent = None;
        while let Some(i) = keys.next(&mut map, slot)? {
            let name = JOB_FIELDS[i];
            let v = value(&mut map, slot, name)?;
            match i {
                0..=3 => match v {
                    Value::Str(s) => text[i] = s,
                    other => return Err(wrong_type(slot, name, "a string", &other)),
                },
                4 => match &v {
                    Value::Str(s) => status = JobStatus::from_text(s),
                    other => return Err(wrong_type(slot, name, "a string", other)),
                },
                5 => created_at = timestamp(slot, name, v)?,
                6 => completed_at = timestamp(slot, name, v)?,
                _ => {
                    percent = match &v {
                        Value::Null => None,
                        other => match other.as_f64().and_then(Percent::new) {
                            Some(p) => Some(p),
                            None if other.as_f64().is_some() => {
                                return Err(invalid(slot, name, "a number in 0..=100", other));
                            }
                            None => {
                                return Err(wrong_type(slot, name, "a number in 0..=100", other));
                            }
                        },
                    }
                }
            }
        }
        if let Some(name) = keys.missing(&JOB_REQUIRED) {
            *slot = Some(Failure {
                path: Vec::new(),
                kind: InvalidResponseKind::Malformed,
                message: format!("expected key `{name}`, found none"),
            });
            return Err(de::Error::custom("rejected"));
        }
        if text[0].is_empty() {
            return Err(invalid(
                slot,
                JOB_FIELDS[0],
                "a non-empty string",
                &Value::Str(Cow::Borrowed("")),
            ));
        }
        Ok(
            RestoreJob::new(&text[0], &text[1], &text[2], &text[3], status, created_at)
                .with_completed_at(completed_at)
                .with_percent_complete(percent),
        )
    }
}

// ---- list pages --------------------------------------------------------------------------

const PAGE_FIELDS: &[&str] = &["data", "pagination"];
const PAGINATION_FIELDS: &[&str] = &["next"];

fn page_field(key: &str) -> Option<usize> {
    PAGE_FIELDS.iter().position(|k| *k == key)
}

fn pagination_field(key: &str) -> Option<usize> {
    PAGINATION_FIELDS.iter().position(|k| *k == key)
}

struct PageVisitor<'s> {
    slot: &'s mut Slot,
}

impl<'de> Visitor<'de> for PageVisitor<'_> {
    type Value = ListPage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `data`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ListPage, A::Error> {
        let slot = self.slot;
        let mut keys = Keys::new(PAGE_FIELDS, page_field);
        let mut jobs = Vec::new();
        let mut next = None;
        while let Some(i) = keys.next(&mut map, slot)? {
            let seg = || Some(Seg::Key(Cow::Borrowed(PAGE_FIELDS[i])));
            if i == 0 {
                jobs = map
                    .next_value_seed(DataSeed { slot })
                    .map_err(|e| record(slot, seg(), e))?;
            } else {
                next = map
                    .next_value_seed(PaginationSeed { slot })
                    .map_err(|e| record(slot, seg(), e))?;
            }
        }
        if keys.missing(&[0]).is_some() {
            *slot = Some(Failure {
                path: Vec::new(),
                kind: InvalidResponseKind::Malformed,
                message: "expected key `data`, found none".to_owned(),
            });
            return Err(de::Error::custom("rejected"));
        }
        Ok(ListPage { jobs, next })
    }
}

struct DataSeed<'s> {
    slot: &'s mut Slot,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = Vec<RestoreJob>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<RestoreJob>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = Vec<RestoreJob>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of restore jobs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RestoreJob>, A::Error> {
        let slot = self.slot;
        let mut jobs = Vec::with_capacity(seq.size_hint().unwrap_or(16).min(128));
        loop {
            let index = jobs.len();
            match seq.next_element_seed(JobElement { slot: &mut *slot }) {
                Ok(Some(job)) => jobs.push(job),
                Ok(None) => return Ok(jobs),
                Err(e) => return Err(record(slot, Some(Seg::Index(index)), e)),
            }
        }
    }
}

struct PaginationSeed<'s> {
    slot: &'s mut Slot,
}

impl<'de> DeserializeSeed<'de> for PaginationSeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PaginationSeed<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let slot = self.slot;
        let mut keys = Keys::new(PAGINATION_FIELDS, pagination_field);
        let mut next = None;
        while keys.next(&mut map, slot)?.is_some() {
            next = match value(&mut map, slot, "next")? {
                Value::Null => None,
                Value::Str(s) if s.is_empty() => None,
                Value::Str(s) => Some(s.into_owned()),
                other => return Err(wrong_type(slot, "next", "a string or null", &other)),
            };
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = r#"{"restore_job_id":"r1","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-03-15T10:30:00.000Z","completed_at":"2024-03-15T10:35:00Z","percent_complete":100}"#;

    fn page_with(job: &str) -> String {
        format!(r#"{{"data":[{JOB},{job}],"pagination":null}}"#)
    }

    fn err(body: &str) -> String {
        parse_list_page(body.as_bytes()).unwrap_err().to_string()
    }

    fn with(field: &str, value: &str) -> String {
        let mut job: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(JOB).unwrap();
        let raw = format!(r#"{{"restore_job_id":"r2","{field}":{value}}}"#);
        let over: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&raw).unwrap();
        job.extend(over);
        page_with(&serde_json::to_string(&job).unwrap())
    }

    fn without(field: &str) -> String {
        let mut job: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(JOB).unwrap();
        job.remove(field);
        page_with(&serde_json::to_string(&job).unwrap())
    }

    #[test]
    fn full_job_parses() {
        let page = parse_list_page(page_with(JOB).as_bytes()).unwrap();
        assert_eq!(page.jobs.len(), 2);
        let job = &page.jobs[0];
        assert_eq!(job.restore_job_id(), "r1");
        assert_eq!(job.status(), &JobStatus::Completed);
        assert_eq!(job.percent_complete().map(Percent::get), Some(100.0));
        assert!(job.completed_at().is_some());
        assert_eq!(page.next, None);
    }

    #[test]
    fn errors_say_where_and_what() {
        let cases = [
            (
                with("percent_complete", "100.5"),
                "data[1].percent_complete: expected a number in 0..=100, found `100.5`",
            ),
            (
                with("percent_complete", "-1"),
                "data[1].percent_complete: expected a number in 0..=100, found `-1`",
            ),
            (
                with("percent_complete", r#""42""#),
                r#"data[1].percent_complete: expected a number in 0..=100, found `"42"`"#,
            ),
            (
                with("created_at", r#""2024-03-15 10:30:00""#),
                r#"data[1].created_at: expected an RFC 3339 timestamp, found `"2024-03-15 10:30:00"`"#,
            ),
            (
                with("created_at", "1710498600"),
                "data[1].created_at: expected an RFC 3339 timestamp or null, found `1710498600`",
            ),
            (
                with("completed_at", r#""2024-03-15T10:30:00""#),
                r#"data[1].completed_at: expected an RFC 3339 timestamp, found `"2024-03-15T10:30:00"`"#,
            ),
            (
                with("status", "null"),
                "data[1].status: expected a string, found `null`",
            ),
            (
                with("backup_id", "[1]"),
                "data[1].backup_id: expected a string, found an array",
            ),
            (
                with("restore_job_id", r#""""#),
                r#"data[1].restore_job_id: expected a non-empty string, found `""`"#,
            ),
            (
                without("target_index_id"),
                "data[1]: expected key `target_index_id`, found none",
            ),
            (
                without("created_at"),
                "data[1]: expected key `created_at`, found none",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(err(&body), format!("invalid response: {expected}"));
        }
    }

    #[test]
    fn optional_fields_and_null_created_at() {
        let page = parse_list_page(with("created_at", "null").as_bytes()).unwrap();
        assert_eq!(page.jobs[1].created_at(), None);
        for field in ["completed_at", "percent_complete"] {
            let page = parse_list_page(without(field).as_bytes()).unwrap();
            assert_eq!(page.jobs.len(), 2);
            let page = parse_list_page(with(field, "null").as_bytes()).unwrap();
            assert_eq!(page.jobs.len(), 2);
        }
    }

    #[test]
    fn unknown_status_and_keys_are_kept_or_ignored() {
        let page = parse_list_page(with("status", r#""Paused""#).as_bytes()).unwrap();
        assert_eq!(page.jobs[1].status(), &JobStatus::Other("Paused".into()));
        let page = parse_list_page(with("new_field", r#"{"a":[1,{"b":2}]}"#).as_bytes()).unwrap();
        assert_eq!(page.jobs.len(), 2);
    }

    #[test]
    fn duplicate_keys_rejected() {
        let dup = JOB.replacen(
            r#""backup_id":"b""#,
            r#""backup_id":"b","backup_id":"c""#,
            1,
        );
        assert_eq!(
            err(&page_with(&dup)),
            "invalid response: data[1].backup_id: expected each key once, found `backup_id` again"
        );
        let dup_unknown = JOB.replacen('{', r#"{"x":1,"x":2,"#, 1);
        assert_eq!(
            err(&page_with(&dup_unknown)),
            "invalid response: data[1].x: expected each key once, found `x` again"
        );
        assert_eq!(
            err(r#"{"data":[],"data":[]}"#),
            "invalid response: data: expected each key once, found `data` again"
        );
        assert!(
            err(r#"{"data":[],"pagination":{"next":"a","next":"b"}}"#).contains("`next` again")
        );
    }

    #[test]
    fn pagination_forms() {
        let next = |p: &str| {
            parse_list_page(format!(r#"{{"data":[]{p}}}"#).as_bytes())
                .unwrap()
                .next
        };
        assert_eq!(next(""), None);
        assert_eq!(next(r#","pagination":null"#), None);
        assert_eq!(next(r#","pagination":{}"#), None);
        assert_eq!(next(r#","pagination":{"next":null}"#), None);
        assert_eq!(next(r#","pagination":{"next":""}"#), None);
        assert_eq!(
            next(r#","pagination":{"next":"a+/="}"#),
            Some("a+/=".into())
        );
        assert_eq!(
            next(r#","pagination":{"next":"a\u002b"}"#),
            Some("a+".into())
        );
        assert!(err(r#"{"data":[],"pagination":"x"}"#).starts_with(
            r#"invalid response: pagination: expected an object or null, found string "x""#
        ));
        assert_eq!(
            err(r#"{"data":[],"pagination":{"next":5}}"#),
            "invalid response: pagination.next: expected a string or null, found `5`"
        );
    }

    #[test]
    fn malformed_bodies() {
        assert_eq!(
            err(""),
            "invalid response: expected a JSON object, found an empty body"
        );
        assert_eq!(
            err("  \n"),
            "invalid response: expected a JSON object, found an empty body"
        );
        assert!(err(r#"{"data":[]} x"#).contains("expected nothing after the JSON value"));
        assert!(err(r#"{"data":[]}{}"#).contains("expected nothing after the JSON value"));
        assert!(
            err("[]").starts_with("invalid response: expected a JSON object with `data`, found")
        );
        assert_eq!(
            err("{}"),
            "invalid response: expected key `data`, found none"
        );
        assert!(
            err(r#"{"data":{}}"#)
                .starts_with("invalid response: data: expected an array of restore jobs")
        );
        assert!(
            err(r#"{"data":[1]}"#)
                .starts_with("invalid response: data[0]: expected a restore job object")
        );
        assert!(err(r#"{"data":[{"status":"#).starts_with("invalid response: data[0].status: EOF"));
        assert!(
            err(r#"{"data":[{"percent_complete":1e999}]}"#)
                .starts_with("invalid response: data[0].percent_complete: number out of range")
        );
        assert!(err("\u{feff}{}").starts_with("invalid response: expected value"));
        assert_eq!(
            parse_list_page(b"{\"data\":[\"\xff\"]}")
                .unwrap_err()
                .to_string(),
            "invalid response: expected UTF-8 JSON, found an invalid byte at offset 10"
        );
        // Deep nesting in ignored values is skipped without recursion; in known ones it is a
        // type error; neither can exhaust the stack.
        let deep = format!(
            r#"{{"data":[],"x":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(parse_list_page(deep.as_bytes()).is_ok());
        let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep = page_with(&JOB.replace(
            r#""percent_complete":100"#,
            &format!(r#""percent_complete":{nested}"#),
        ));
        assert_eq!(
            err(&deep),
            "invalid response: data[1].percent_complete: expected a number in 0..=100, found an array"
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(err(&deep).starts_with("invalid response: expected a JSON object with `data`"));
    }

    #[test]
    fn server_text_in_messages_is_escaped_and_bounded() {
        let dup = format!(r#"{{"data":[],"{k}":1,"{k}":2}}"#, k = r"\u001b]0;x\u0007");
        let e = err(&dup);
        assert!(!e.chars().any(char::is_control), "{e:?}");
        assert!(e.contains(r"\u{1b}]0;x\u{7}"), "{e}");
        let long_key = "k".repeat(5000);
        let e = err(&format!(r#"{{"data":[],"{long_key}":1,"{long_key}":2}}"#));
        assert!(e.len() < 300, "{} characters", e.len());
        let e = err(&format!(r#"{{"data":[],"{}":}}"#, r"\u007f"));
        assert!(!e.chars().any(char::is_control), "{e:?}");
        let e = err(&format!(
            r#"{{"data":[],"pagination":"{}"}}"#,
            "x".repeat(5000)
        ));
        assert!(e.len() < 300, "{} characters", e.len());
    }

    #[test]
    fn kinds() {
        let kind = |body: &str| match parse_list_page(body.as_bytes()).unwrap_err() {
            Error::InvalidResponse(e) => e.kind(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            kind(&with("percent_complete", "101")),
            InvalidResponseKind::InvalidValue
        );
        assert_eq!(
            kind(&with("percent_complete", "true")),
            InvalidResponseKind::Malformed
        );
        assert_eq!(kind("{"), InvalidResponseKind::Malformed);
    }

    #[test]
    fn single_job() {
        let job = parse_job(JOB.as_bytes()).unwrap();
        assert_eq!(job.restore_job_id(), "r1");
        let e = parse_job(br#"{"restore_job_id":"r"}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "invalid response: expected key `backup_id`, found none");
        let e = parse_job(JOB.replace("100", "100.25").as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "invalid response: percent_complete: expected a number in 0..=100, found `100.25`"
        );
    }
}
