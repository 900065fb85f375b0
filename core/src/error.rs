//! The one error type of this crate and the structured values it carries.

use std::fmt;

/// Everything that can go wrong in core: the caller's mistake, the server's error answer, or a
/// response that cannot be accepted.
///
/// Branch on the class with the predicates ([`Error::is_invalid_argument`], [`Error::is_api`],
/// [`Error::is_invalid_response`], [`Error::is_retryable`], …) rather than by matching deeply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The caller passed something that cannot be sent; nothing was sent.
    InvalidArgument(InvalidArgument),
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The API answered, but the answer cannot be accepted.
    InvalidResponse(InvalidResponse),
}

impl Error {
    /// `true` when the caller passed a value that cannot be sent (nothing was sent).
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self, Error::InvalidArgument(_))
    }

    /// `true` when the API answered with an error status.
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api(_))
    }

    /// `true` when the response could not be accepted (malformed, invalid values, a
    /// pagination loop, …).
    pub fn is_invalid_response(&self) -> bool {
        matches!(self, Error::InvalidResponse(_))
    }

    /// `true` when the API answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `true` when the same request may succeed if sent again: an API error with status 408,
    /// 429, 500, 502, 503 or 504.
    pub fn is_retryable(&self) -> bool {
        self.status().is_some_and(crate::retry::is_retryable_status)
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        self.api().map(ApiError::status)
    }

    /// The error code of an API error, when its body carried one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api().and_then(ApiError::code)
    }

    /// The request id of an API error, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::request_id)
    }

    /// Replaces every occurrence of `secret` in text that came from the server (messages,
    /// details, snippets, request ids, quoted values) with `<redacted>`.
    ///
    /// Adapters call this with the API key, so that a server or proxy that echoes the key back
    /// cannot make it appear in an error. An empty `secret` changes nothing.
    ///
    /// ```
    /// use pinecone_restore_core::Response;
    ///
    /// let body = br#"{"error":{"code":"UNAUTHENTICATED","message":"bad key pcsk_123"}}"#;
    /// let err = Response { status: 401, headers: &[], body }.job().unwrap_err();
    /// let shown = err.redact("pcsk_123").to_string();
    /// assert!(shown.ends_with("bad key <redacted>"));
    /// ```
    #[must_use]
    pub fn redact(self, secret: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        let scrub = |text: &mut String| {
            if text.contains(secret) {
                *text = text.replace(secret, "<redacted>");
            }
        };
        match self {
            Error::Api(mut e) => {
                for text in [
                    &mut e.message,
                    &mut e.request_id,
                    &mut e.body_snippet,
                    &mut e.location,
                ]
                .into_iter()
                .flatten()
                {
                    scrub(text);
                }
                if let Some(ErrorCode::Other(code)) = &mut e.code {
                    scrub(code);
                }
                if let Some(details) = &mut e.details {
                    let text = details.to_string();
                    if text.contains(secret) {
                        *details = serde_json::Value::String("<redacted>".to_owned());
                    }
                }
                Error::Api(e)
            }
            Error::InvalidResponse(mut e) => {
                scrub(&mut e.path);
                scrub(&mut e.message);
                Error::InvalidResponse(e)
            }
            other => other,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::InvalidResponse(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<InvalidArgument> for Error {
    fn from(e: InvalidArgument) -> Self {
        Error::InvalidArgument(e)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<InvalidResponse> for Error {
    fn from(e: InvalidResponse) -> Self {
        Error::InvalidResponse(e)
    }
}

/// A value the caller passed that cannot be sent.
///
/// Its message never quotes the API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    what: &'static str,
    reason: String,
}

impl InvalidArgument {
    /// A refused argument: `argument` names it (`limit`, `proxy`), `reason` says why in the
    /// form "expected X, found Y".
    ///
    /// Public so that an adapter checking settings of its own reports them with this same
    /// type; `reason` must never quote a secret.
    ///
    /// ```
    /// use pinecone_restore_core::{Error, InvalidArgument};
    ///
    /// let err = Error::from(InvalidArgument::new("proxy", "expected a URL"));
    /// assert!(err.is_invalid_argument());
    /// assert_eq!(err.to_string(), "invalid proxy: expected a URL");
    /// ```
    pub fn new(what: &'static str, reason: impl Into<String>) -> Self {
        InvalidArgument {
            what,
            reason: reason.into(),
        }
    }

    /// Which argument was refused, such as `limit` or `base URL`.
    pub fn argument(&self) -> &str {
        self.what
    }

    /// Why it was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.reason)
    }
}

/// An error status from the API, with what its body and headers said.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) body_snippet: Option<String>,
    pub(crate) location: Option<String>,
}

impl ApiError {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code from a JSON error body.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }

    /// The message from a JSON error body.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `details` object from a JSON error body, when present.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The `x-pinecone-request-id` (or `x-request-id`) response header, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A bounded, printable excerpt of a body that was not a JSON error (an HTML page from a
    /// proxy, plain text, bytes that are not UTF-8).
    pub fn body_snippet(&self) -> Option<&str> {
        self.body_snippet.as_deref()
    }

    /// The `Location` header of a redirect, which is never followed.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: status {}", self.status)?;
        if let Some(reason) = crate::response::reason_phrase(self.status) {
            write!(f, " {reason}")?;
        }
        if let Some(code) = &self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if let Some(location) = &self.location {
            write!(f, ": redirect to `{location}` not followed")?;
        } else if let Some(snippet) = &self.body_snippet {
            write!(f, ": body `{snippet}`")?;
        } else if (300..400).contains(&self.status) {
            write!(f, ": redirect not followed")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// The `error.code` of an API error body: the 20 codes of the 2025-04 spec, and any other text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the variants are the spec's own names
pub enum ErrorCode {
    Ok,
    Unknown,
    InvalidArgument,
    DeadlineExceeded,
    QuotaExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    Unauthenticated,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Forbidden,
    UnprocessableEntity,
    PaymentRequired,
    /// A code the spec does not list, kept as sent.
    Other(String),
}

const CODES: [(&str, ErrorCode); 20] = [
    ("OK", ErrorCode::Ok),
    ("UNKNOWN", ErrorCode::Unknown),
    ("INVALID_ARGUMENT", ErrorCode::InvalidArgument),
    ("DEADLINE_EXCEEDED", ErrorCode::DeadlineExceeded),
    ("QUOTA_EXCEEDED", ErrorCode::QuotaExceeded),
    ("NOT_FOUND", ErrorCode::NotFound),
    ("ALREADY_EXISTS", ErrorCode::AlreadyExists),
    ("PERMISSION_DENIED", ErrorCode::PermissionDenied),
    ("UNAUTHENTICATED", ErrorCode::Unauthenticated),
    ("RESOURCE_EXHAUSTED", ErrorCode::ResourceExhausted),
    ("FAILED_PRECONDITION", ErrorCode::FailedPrecondition),
    ("ABORTED", ErrorCode::Aborted),
    ("OUT_OF_RANGE", ErrorCode::OutOfRange),
    ("UNIMPLEMENTED", ErrorCode::Unimplemented),
    ("INTERNAL", ErrorCode::Internal),
    ("UNAVAILABLE", ErrorCode::Unavailable),
    ("DATA_LOSS", ErrorCode::DataLoss),
    ("FORBIDDEN", ErrorCode::Forbidden),
    ("UNPROCESSABLE_ENTITY", ErrorCode::UnprocessableEntity),
    ("PAYMENT_REQUIRED", ErrorCode::PaymentRequired),
];

impl ErrorCode {
    /// The code for `text`, exactly as the API spells it; unknown text becomes
    /// [`ErrorCode::Other`].
    pub fn from_text(text: &str) -> ErrorCode {
        CODES
            .iter()
            .find(|(name, _)| *name == text)
            .map_or_else(|| ErrorCode::Other(text.to_owned()), |(_, c)| c.clone())
    }

    /// The code as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(text) => text,
            known => CODES
                .iter()
                .find(|(_, c)| c == known)
                .map_or("UNKNOWN", |(name, _)| name),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A response that cannot be accepted: where in it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResponse {
    pub(crate) kind: InvalidResponseKind,
    pub(crate) path: String,
    pub(crate) message: String,
}

/// What kind of problem made a response unacceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidResponseKind {
    /// Not well-formed JSON, trailing bytes, a duplicate key, or a value of the wrong JSON type.
    Malformed,
    /// Well-formed, but a value breaks a rule (a timestamp that is not RFC 3339, a percent out
    /// of range, an empty id).
    InvalidValue,
    /// A status that is neither success nor an error (1xx), or a 2xx other than 200.
    UnexpectedStatus,
    /// The server handed back a pagination token that was already visited.
    PaginationLoop,
    /// The walk reached the page cap the caller set while more pages remained.
    PageLimit,
}

/// The most characters of server text (a key, a token, a value) quoted in a message.
const QUOTED_CHARS: usize = 64;
/// The most characters of an invalid-response message or path.
const MESSAGE_CHARS: usize = 1000;

/// Server text as quoted in a message: control characters escaped (a terminal escape sequence
/// stays inert) and cut to [`QUOTED_CHARS`], marked with `…`.
pub(crate) fn quote(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTED_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// `text` cut to [`QUOTED_CHARS`] characters, marked with `…`; for text already escaped.
pub(crate) fn cut(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The last guard: no control character and a bounded length, whatever a call site built.
fn bounded(text: String) -> String {
    if text.len() <= MESSAGE_CHARS && !text.chars().any(char::is_control) {
        return text;
    }
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

impl InvalidResponse {
    pub(crate) fn new(
        kind: InvalidResponseKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InvalidResponse {
            kind,
            path: bounded(path.into()),
            message: bounded(message.into()),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> InvalidResponseKind {
        self.kind
    }

    /// Where in the response: `data[3].percent_complete`, or empty for the whole response.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong there, in the form "expected X, found Y".
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid response: ")?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use crate::response::Response;

    #[test]
    fn redact_scrubs_everything_the_server_sent() {
        let key = "pcsk_SECRET";
        let headers: [(&str, &[u8]); 2] = [
            ("x-request-id", b"id-pcsk_SECRET"),
            ("location", b"https://x/?k=pcsk_SECRET"),
        ];
        let body = br#"{"error":{"code":"pcsk_SECRET","message":"echo pcsk_SECRET","details":{"k":"pcsk_SECRET"}}}"#;
        for status in [307, 401] {
            let err = Response {
                status,
                headers: &headers,
                body,
            }
            .job()
            .unwrap_err()
            .redact(key);
            assert!(!format!("{err} {err:?}").contains(key), "{err:?}");
        }
        let snippet = Response {
            status: 500,
            headers: &[],
            body: b"<p>pcsk_SECRET</p>",
        }
        .job()
        .unwrap_err()
        .redact(key);
        assert!(!format!("{snippet} {snippet:?}").contains(key));
        let invalid = crate::parse_job(br#"{"restore_job_id":5,"pcsk_SECRET":1}"#)
            .unwrap_err()
            .redact(key);
        assert!(!format!("{invalid:?}").contains(key));
        let body = br#"{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"s","created_at":"pcsk_SECRET"}"#;
        let quoted = crate::parse_job(body).unwrap_err();
        assert!(quoted.to_string().contains(key), "the parser quotes values");
        assert!(!quoted.redact(key).to_string().contains(key));
    }
}
