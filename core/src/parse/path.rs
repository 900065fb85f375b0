//! Where a failure happened, recorded on the way out of the parse.
//!
//! Visitors record the first failure in the [`Scope`](super::Scope); each enclosing level adds
//! its own path segment as the error unwinds through it.

use std::borrow::Cow;

use serde::de;

use crate::error::InvalidResponseKind;
use crate::text::{self, Secrets};

use super::Scope;

/// One step of a path: an object key or an array index.
pub(crate) enum Seg {
    Key(Cow<'static, str>),
    Index(usize),
}

/// The first rule a response broke.
pub(crate) struct Failure {
    /// Innermost segment first.
    pub(crate) path: Vec<Seg>,
    pub(crate) kind: InvalidResponseKind,
    pub(crate) message: String,
}

impl Failure {
    /// `data[3].percent_complete`.
    pub(crate) fn render_path(&self) -> String {
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

impl Scope<'_> {
    /// Notes that `err` passed through `seg` on its way out, creating the failure from `err`'s
    /// own message when nothing inside recorded one.
    pub(crate) fn record<E: de::Error>(&mut self, seg: Option<Seg>, err: E) -> E {
        match &mut self.failure {
            Some(f) => f.path.extend(seg),
            None => {
                self.failure = Some(Failure {
                    path: seg.into_iter().collect(),
                    kind: InvalidResponseKind::Malformed,
                    message: describe_serde_error(&err.to_string(), self.secrets),
                });
            }
        }
        err
    }

    /// Records a rule broken at `seg` and returns the error that unwinds the parse.
    pub(crate) fn broken<E: de::Error>(
        &mut self,
        seg: Option<Seg>,
        kind: InvalidResponseKind,
        message: String,
    ) -> E {
        self.failure = Some(Failure {
            path: seg.into_iter().collect(),
            kind,
            message,
        });
        E::custom("rejected")
    }
}

/// Rewrites serde's "invalid type: X, expected Y at line L column C" as
/// "expected Y, found X (at line L column C)"; the server's value in it is scrubbed, escaped
/// and cut.
pub(crate) fn describe_serde_error(msg: &str, secrets: &Secrets) -> String {
    let msg = secrets.scrub(msg);
    let (body, position) = match msg.rfind(" at line ") {
        Some(i) => (&msg[..i], Some(&msg[i + 1..])),
        None => (&msg[..], None),
    };
    let body = match body
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        // `found` quotes the server's value whole (`string "…"`): keep it short
        Some((found, expected)) => format!(
            "expected {expected}, found {}",
            text::shown(found, text::QUOTE_CHARS, secrets)
        ),
        None if body.starts_with("trailing characters") => {
            "expected nothing after the JSON value, found more bytes".to_owned()
        }
        None => text::shown(body, text::MESSAGE_CHARS, secrets),
    };
    match position {
        Some(p) => format!("{body} ({p})"),
        None => body,
    }
}
