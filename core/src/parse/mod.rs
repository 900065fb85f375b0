//! The parsing machinery every resource's parser is built from.
//!
//! A resource's parser (restore jobs' in `resources/restore_jobs`, backups' in
//! `resources/backups`) drives `serde_json` with hand-written visitors made of these pieces, so
//! that it can borrow every string it only looks at, reject duplicate keys, apply the rules of
//! the API version asked for, refuse a secret sent back, and report *where* a value broke a
//! rule. Every path is linear in the body size (unknown keys: `n log n` in their number),
//! whatever the body's shape.
//!
//! Files: [`path`] records where a failure happened; [`keys`] reads an object's keys;
//! [`value`] holds any JSON value; [`page`] is a listing's page (`data`, `pagination`) of any
//! element; [`error_body`] reads an error answer; [`scan`] is the fast path's one-pass scanner.
//! Here: [`Scope`], what a parse shares, and [`run`], which parses a whole body.

pub(crate) mod error_body;
pub(crate) mod keys;
pub(crate) mod page;
pub(crate) mod path;
pub(crate) mod scan;
pub(crate) mod value;

pub(crate) use error_body::parse_error_body;

use std::borrow::Cow;

use serde::de;
use serde_json::de::StrRead;
use time::OffsetDateTime;

use crate::error::{Error, InvalidResponse, InvalidResponseKind};
use crate::text::{self, Secrets};
use crate::timestamp::parse_rfc3339;
use crate::version::Rules;

use self::path::{Failure, describe_serde_error};
use self::value::Value;

/// What the visitors share: the first failure, the version's rules, the secrets to refuse.
pub(crate) struct Scope<'s> {
    pub(crate) failure: Option<Failure>,
    pub(crate) rules: &'static Rules,
    pub(crate) secrets: &'s Secrets,
    /// Whether the raw body holds a secret. A string borrowed straight from the body (one
    /// without escapes) can only hold one if the body does, so most strings need no search.
    pub(crate) body_holds_secret: bool,
}

impl Scope<'_> {
    /// `true` when `text`, a decoded string of the body, holds a secret.
    #[allow(clippy::ptr_arg)] // whether the text was borrowed from the body is the point
    #[inline]
    pub(crate) fn holds_secret(&self, text: &Cow<'_, str>) -> bool {
        match text {
            Cow::Borrowed(s) => self.body_holds_secret && self.secrets.found_in(s),
            Cow::Owned(s) => self.secrets.found_in(s),
        }
    }

    /// Server text quoted in a message.
    pub(crate) fn quote(&self, text: &str) -> String {
        text::quote(text, self.secrets)
    }
}

/// Parses `body` with `parse` (which deserializes the top-level value with the visitor of
/// its choice), then requires that nothing but white space follows.
pub(crate) fn run<'a, T>(
    body: &'a [u8],
    rules: &'static Rules,
    secrets: &Secrets,
    parse: impl FnOnce(
        &mut serde_json::Deserializer<StrRead<'a>>,
        &mut Scope<'_>,
    ) -> serde_json::Result<T>,
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
    let mut scope = Scope {
        failure: None,
        rules,
        secrets,
        body_holds_secret: !secrets.is_empty() && secrets.found_in(text),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = parse(&mut de, &mut scope)
        .map_err(|e| scope.record(None, e))
        .and_then(|out| de.end().map(|()| out));
    parsed.map_err(|e| {
        let empty = body.iter().all(u8::is_ascii_whitespace);
        let failure = match scope.failure {
            Some(failure) if !empty => failure,
            _ => Failure {
                path: Vec::new(),
                kind: InvalidResponseKind::Malformed,
                message: if empty {
                    "expected a JSON object, found an empty body".to_owned()
                } else {
                    describe_serde_error(&e.to_string(), secrets)
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

/// A timestamp member: `null`, or an RFC 3339 string; the field named on error.
#[inline]
pub(crate) fn timestamp<E: de::Error>(
    scope: &mut Scope<'_>,
    name: &'static str,
    v: Value<'_>,
) -> Result<Option<OffsetDateTime>, E> {
    match &v {
        Value::Null => Ok(None),
        Value::Str(s) => match parse_rfc3339(s) {
            Some(at) => Ok(Some(at)),
            None => Err(scope.invalid(name, "an RFC 3339 timestamp", &v)),
        },
        _ => Err(scope.wrong_type(name, "an RFC 3339 timestamp or null", &v)),
    }
}
