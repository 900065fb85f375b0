//! The one error type of this crate and the structured values it carries.
//!
//! Every text in an error was built by [`crate::text`]: escaped, bounded and with secrets
//! scrubbed before any cut. No error leaves core with the API key in it.

use std::fmt;
use std::time::Duration;

use crate::engine::candidate::Candidate;
use crate::engine::verdict::{Outcome, RetryRule, classify};
use crate::status::reason_phrase;
use crate::transport::{TlsProblem, TransportError, TransportKind};

/// Everything that can go wrong: the caller's mistake, the server's error answer, an answer
/// that cannot be accepted, or a failure on the wire.
///
/// Branch on the class with the predicates ([`Error::is_invalid_argument`], [`Error::is_api`],
/// [`Error::is_invalid_response`], [`Error::is_transport`], [`Error::is_retryable`], …)
/// rather than by matching deeply. Every adapter returns this same type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The caller passed something that cannot be sent; nothing was sent.
    InvalidArgument(InvalidArgument),
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The API answered, but the answer cannot be accepted (malformed, invalid values, too
    /// large, undecodable, a pagination loop, …).
    InvalidResponse(InvalidResponse),
    /// No answer arrived: the connection failed, timed out or closed early.
    Transport(TransportError),
    /// A create whose answer may have been lost ended with an error, and its lookup found
    /// something it may have made without being able to claim it: the error, and the
    /// [`Candidate`] a person can check ([`Error::candidate`]). Every predicate answers for
    /// the error.
    Unclaimed(Box<UnclaimedError>),
}

/// An error and the [`Candidate`] a create's lookup found and did not claim: see
/// [`Error::Unclaimed`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnclaimedError {
    error: Error,
    candidate: Candidate,
}

impl UnclaimedError {
    /// The error the create ended with.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// What the lookup found and did not claim.
    pub fn candidate(&self) -> &Candidate {
        &self.candidate
    }
}

impl Error {
    /// The error itself, under what a create adds to it.
    fn inner(&self) -> &Error {
        match self {
            Error::Unclaimed(e) => e.error.inner(),
            other => other,
        }
    }

    /// This error, carrying `candidate`.
    pub(crate) fn with_candidate(self, candidate: Candidate) -> Error {
        Error::Unclaimed(Box::new(UnclaimedError {
            error: match self {
                Error::Unclaimed(e) => e.error,
                other => other,
            },
            candidate,
        }))
    }

    /// What a create's lookup found and did not claim, when it found something (see
    /// [`Create`](crate::Create)): the restore job or backup a person may want to check.
    pub fn candidate(&self) -> Option<&Candidate> {
        match self {
            Error::Unclaimed(e) => Some(&e.candidate),
            _ => None,
        }
    }

    /// `true` when the caller passed a value that cannot be sent (nothing was sent).
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self.inner(), Error::InvalidArgument(_))
    }

    /// `true` when the API answered with an error status (redirects included: they are never
    /// followed).
    pub fn is_api(&self) -> bool {
        matches!(self.inner(), Error::Api(_))
    }

    /// `true` when the API answered but the answer cannot be accepted.
    pub fn is_invalid_response(&self) -> bool {
        matches!(self.inner(), Error::InvalidResponse(_))
    }

    /// `true` when no answer arrived.
    pub fn is_transport(&self) -> bool {
        matches!(self.inner(), Error::Transport(_))
    }

    /// `true` when the API answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `true` when a timeout expired before the answer was complete.
    pub fn is_timeout(&self) -> bool {
        self.transport_kind() == Some(TransportKind::Timeout)
    }

    /// `true` when the same request may succeed if sent again later: an API error with status
    /// 408, 429, 500, 502, 503 or 504, or a name resolution or connect failure, a timeout or a
    /// connection closed early. The operation that returned it has already retried as far as
    /// its policy allows.
    ///
    /// Never for [`Error::Unclaimed`]: the create may have taken effect, and what it found
    /// could not be claimed, so sending it again could make a second one (see
    /// [`Error::candidate`]).
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Error::Unclaimed(_))
            && self
                .outcome()
                .is_some_and(|outcome| classify(outcome, RetryRule::Idempotent).retry)
    }

    /// What the attempt that ended in this error came to, if it came from one: an API
    /// error's status, a transport failure's kind.
    pub(crate) fn outcome(&self) -> Option<Outcome> {
        match self.inner() {
            Error::Api(e) => Some(Outcome::Status(e.status())),
            Error::Transport(t) => Some(Outcome::Transport(t.kind())),
            _ => None,
        }
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

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self.inner() {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// The class of a transport error.
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self.inner() {
            Error::Transport(t) => Some(t.kind()),
            _ => None,
        }
    }

    /// Which way TLS failed, for a transport error of kind [`TransportKind::Tls`].
    pub fn tls_problem(&self) -> Option<TlsProblem> {
        match self.inner() {
            Error::Transport(t) => t.tls_problem(),
            _ => None,
        }
    }

    /// What kind of problem made the answer unacceptable, for an invalid response.
    pub fn invalid_response_kind(&self) -> Option<InvalidResponseKind> {
        match self.inner() {
            Error::InvalidResponse(e) => Some(e.kind),
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
            Error::Transport(e) => e.fmt(f),
            Error::Unclaimed(e) => write!(f, "{}; found {}", e.error, e.candidate),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // the transport's own error is the cause; the others print their whole story
            Error::Transport(e) => e.source(),
            Error::Unclaimed(e) => e.error.source(),
            _ => None,
        }
    }
}

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

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

/// A value the caller passed that cannot be sent.
///
/// Its message never quotes the API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    what: &'static str,
    reason: String,
    fix: Option<&'static str>,
    kind: InvalidArgumentKind,
}

/// What kind of argument was refused, for code that branches on it (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidArgumentKind {
    /// No API key was given at all (none set in the environment).
    MissingApiKey,
    /// A plain `http://` base URL to a host that is not loopback, without
    /// [`allow_insecure_http`](crate::ConfigBuilder::allow_insecure_http): the key would cross
    /// the network unencrypted.
    InsecureHttp,
    /// Any other refused value; the message says which and why.
    Other,
}

impl InvalidArgument {
    /// A refused argument: `argument` names it (`limit`, `proxy`), `reason` says why in the
    /// form "expected X, found Y".
    ///
    /// Public so that an adapter checking settings of its own reports them with this same
    /// type; `reason` must never quote a secret, and should quote what the caller passed
    /// through [`text::quote`](crate::text::quote).
    ///
    /// ```
    /// use pinecone_restore_core::{Error, InvalidArgument};
    ///
    /// let err = Error::from(InvalidArgument::new("proxy", "expected a URL"));
    /// assert!(err.is_invalid_argument());
    /// assert_eq!(err.to_string(), "invalid proxy: expected a URL");
    /// ```
    pub fn new(argument: &'static str, reason: impl Into<String>) -> Self {
        InvalidArgument {
            what: argument,
            reason: reason.into(),
            fix: None,
            kind: InvalidArgumentKind::Other,
        }
    }

    /// The same refusal, of a kind code can branch on.
    pub(crate) fn of_kind(mut self, kind: InvalidArgumentKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same refusal, with what a library caller does about it (said after the reason).
    pub(crate) fn with_fix(mut self, fix: &'static str) -> Self {
        self.fix = Some(fix);
        self
    }

    /// What kind of argument was refused.
    ///
    /// ```
    /// use pinecone_restore_core::{ConfigBuilder, Error, InvalidArgumentKind};
    ///
    /// let Err(Error::InvalidArgument(refused)) = ConfigBuilder::from_env(|_| None) else {
    ///     panic!("expected a refusal");
    /// };
    /// assert_eq!(refused.kind(), InvalidArgumentKind::MissingApiKey);
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn kind(&self) -> InvalidArgumentKind {
        self.kind
    }

    /// Which argument was refused, such as `limit` or `base URL`.
    pub fn argument(&self) -> &str {
        self.what
    }

    /// Why it was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// What a library caller does about it, when the message says (the setting that allows
    /// it): a program with its own words for that setting (a command-line flag) says those
    /// after [`reason`](InvalidArgument::reason) instead.
    pub fn fix(&self) -> Option<&str> {
        self.fix
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.reason)?;
        match self.fix {
            Some(fix) => write!(f, "; {fix}"),
            None => Ok(()),
        }
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
    pub(crate) retry_after: Option<Duration>,
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

    /// The message from a JSON error body, or a `text/plain` body.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `details` object from a JSON error body, when present and small (at most 4 KiB
    /// as JSON) and free of secrets.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The `x-pinecone-request-id` (or `x-request-id`) response header, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A bounded, printable excerpt of a body that was neither a JSON error nor plain text
    /// (an HTML page from a proxy shows its `<title>`).
    pub fn body_snippet(&self) -> Option<&str> {
        self.body_snippet.as_deref()
    }

    /// The `Location` header of a redirect, which is never followed.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: status {}", self.status)?;
        if let Some(reason) = reason_phrase(self.status) {
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
        if let Some(wait) = self.retry_after {
            write!(f, " (the server asked to retry after {} s)", wait.as_secs())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// The `error.code` of an API error body: the codes the specs list, and any other text.
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
    ServiceUnavailable,
    PayloadTooLarge,
    /// A code the specs do not list, kept as sent (escaped and bounded).
    Other(String),
}

const CODES: [(&str, ErrorCode); 22] = [
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
    ("SERVICE_UNAVAILABLE", ErrorCode::ServiceUnavailable),
    ("PAYLOAD_TOO_LARGE", ErrorCode::PayloadTooLarge),
];

impl ErrorCode {
    /// The code for `text`, exactly as the API spells it; unknown text becomes
    /// [`ErrorCode::Other`] as given (callers pass text already made safe to show).
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
    /// of range, an empty id, a token too long, the API key sent back).
    InvalidValue,
    /// A status that does not fit the request (1xx, or a 2xx other than the one expected).
    UnexpectedStatus,
    /// The server handed back a pagination token that was already visited.
    PaginationLoop,
    /// The walk reached its page cap while more pages remained.
    PageLimit,
    /// Page after page brought no job not seen before, while the server kept handing out
    /// tokens.
    NoProgress,
    /// The body is larger than the configured cap.
    TooLarge,
    /// The body could not be decoded (a corrupt `gzip` stream, say).
    Undecodable,
}

impl InvalidResponse {
    /// An invalid response; `path` and `message` are made of our own text and of server text
    /// already passed through [`crate::text`]. They are bounded once more here, as the last
    /// guard.
    pub(crate) fn new(
        kind: InvalidResponseKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let none = crate::text::Secrets::none();
        let guard = |text: String| {
            if text.len() <= crate::text::MESSAGE_CHARS
                && !text.chars().any(crate::text::needs_escape)
            {
                text
            } else {
                crate::text::shown(&text, crate::text::MESSAGE_CHARS, &none)
            }
        };
        InvalidResponse {
            kind,
            path: guard(path.into()),
            message: guard(message.into()),
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
    use super::*;

    /// `Error::is_retryable` reads the same table as a call's own retries.
    #[test]
    fn errors_read_the_table() {
        let transport = |kind| Error::from(TransportError::new(kind, None));
        assert!(transport(TransportKind::Connect).is_retryable());
        assert!(transport(TransportKind::Closed).is_retryable());
        assert!(!transport(TransportKind::Tls).is_retryable());
        assert!(!transport(TransportKind::Other).is_retryable());
        let invalid = Error::from(InvalidResponse::new(
            InvalidResponseKind::Malformed,
            "",
            "x".to_owned(),
        ));
        assert!(!invalid.is_retryable());
        assert_eq!(invalid.outcome(), None);
    }

    #[test]
    fn a_transport_error_keeps_its_kind_through_the_error() {
        let error = Error::from(TransportError::new(TransportKind::Timeout, None));
        assert!(error.is_transport() && error.is_timeout() && error.is_retryable());
        assert_eq!(error.transport_kind(), Some(TransportKind::Timeout));
    }
}
