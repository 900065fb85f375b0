//! The one error type of this crate and the structured values it carries.
//!
//! Every text in an error was built by [`crate::text`]: escaped, bounded and with secrets
//! scrubbed before any cut. No error leaves core with the API key in it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::retry::{self, RetryRule};
use crate::status::reason_phrase;

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
}

impl Error {
    /// `true` when the caller passed a value that cannot be sent (nothing was sent).
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self, Error::InvalidArgument(_))
    }

    /// `true` when the API answered with an error status (redirects included: they are never
    /// followed).
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api(_))
    }

    /// `true` when the API answered but the answer cannot be accepted.
    pub fn is_invalid_response(&self) -> bool {
        matches!(self, Error::InvalidResponse(_))
    }

    /// `true` when no answer arrived.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
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
    pub fn is_retryable(&self) -> bool {
        retry::outcome_of(self)
            .is_some_and(|outcome| retry::classify(outcome, RetryRule::Idempotent).retry)
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
        match self {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// The class of a transport error.
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport(t) => Some(t.kind),
            _ => None,
        }
    }

    /// Which way TLS failed, for a transport error of kind [`TransportKind::Tls`].
    pub fn tls_problem(&self) -> Option<TlsProblem> {
        match self {
            Error::Transport(t) => t.tls,
            _ => None,
        }
    }

    /// What kind of problem made the answer unacceptable, for an invalid response.
    pub fn invalid_response_kind(&self) -> Option<InvalidResponseKind> {
        match self {
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
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // the transport's own error is the cause; the others print their whole story
            Error::Transport(e) => e.source(),
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
    kind: InvalidArgumentKind,
}

/// What kind of argument was refused, for code that branches on it (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidArgumentKind {
    /// No API key was given at all (none set in the environment).
    MissingApiKey,
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
            kind: InvalidArgumentKind::Other,
        }
    }

    /// The same refusal, of a kind code can branch on.
    pub(crate) fn of_kind(mut self, kind: InvalidArgumentKind) -> Self {
        self.kind = kind;
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

/// How an exchange failed below HTTP, as an adapter reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name could not be resolved (a DNS failure): nothing was sent.
    Resolve,
    /// The connection could not be opened (refused, unreachable, the connect timeout): nothing
    /// was sent.
    Connect,
    /// The TLS handshake or the certificate check failed; [`TransportError::tls_problem`] says
    /// which way. Never retried: sending again meets the same certificate.
    Tls,
    /// A timeout expired after the request may have been sent.
    Timeout,
    /// The connection closed or was reset, or reading failed, before the whole answer arrived.
    Closed,
    /// The body is larger than the cap. Core reports it as an invalid response of kind
    /// [`InvalidResponseKind::TooLarge`]: the server answered, and the answer is unacceptable.
    BodyTooLarge,
    /// The body could not be decoded (content encoding). Core reports it as an invalid
    /// response of kind [`InvalidResponseKind::Undecodable`].
    Undecodable,
    /// What the adapter cannot classify (a malformed HTTP answer, a proxy failure, …). A `GET`
    /// is not retried; a `POST` counts as ambiguous (it may have started).
    Other,
}

/// Which way a TLS handshake failed, as far as the adapter could tell from the TLS library's
/// typed error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsProblem {
    /// The certificate chain does not end at a trusted root (a private CA, a TLS-inspecting
    /// proxy, a self-signed certificate).
    UntrustedCertificate,
    /// The certificate is valid, but not for the host name asked for.
    NameMismatch,
    /// The certificate has expired or is not valid yet (or the local clock is wrong).
    Expired,
    /// The peer did not answer in TLS (typically a plain-HTTP port behind an `https://` URL).
    NotTls,
    /// Any other failure of the handshake or the certificate check.
    Protocol,
}

impl TlsProblem {
    /// What went wrong, in words, for a message.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            TlsProblem::UntrustedCertificate => {
                "the server's certificate is not trusted (its issuer is not among the trusted \
                 roots; add the CA that signed it as an extra root certificate)"
            }
            TlsProblem::NameMismatch => {
                "the server's certificate is not valid for this host name (name mismatch)"
            }
            TlsProblem::Expired => {
                "the server's certificate has expired or is not valid yet (check the clock)"
            }
            TlsProblem::NotTls => "the server did not answer in TLS",
            TlsProblem::Protocol => "the TLS handshake failed (protocol error)",
        }
    }
}

/// A request or answer that failed on the wire: its class, a message, and the transport's own
/// error as [`source()`](std::error::Error::source) — once an operation returns it, that
/// chain as text made safe to show (the key and credentials scrubbed, control characters
/// escaped), each cause still one link of the chain.
///
/// An adapter makes one with [`TransportError::new`] and hands it to the operation, which adds
/// the context (the server, the timeout in force) to the message.
#[derive(Clone)]
pub struct TransportError {
    kind: TransportKind,
    tls: Option<TlsProblem>,
    message: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A failure of `kind`, caused by `source` (the transport's error, if any).
    ///
    /// `source` is kept for [`source()`](std::error::Error::source) and never printed by
    /// `Display`; it must not hold the API key (a transport's errors never quote request
    /// headers).
    pub fn new(
        kind: TransportKind,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> TransportError {
        TransportError {
            kind,
            tls: None,
            message: String::new(),
            source: source.map(Arc::from),
        }
    }

    /// A TLS failure ([`TransportKind::Tls`]) of the given `problem`, caused by `source`.
    pub fn tls(
        problem: TlsProblem,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> TransportError {
        TransportError {
            tls: Some(problem),
            ..TransportError::new(TransportKind::Tls, source)
        }
    }

    /// The class of this failure.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Which way TLS failed, for a failure of kind [`TransportKind::Tls`].
    pub fn tls_problem(&self) -> Option<TlsProblem> {
        self.tls
    }

    /// The source's text, made safe to show.
    pub(crate) fn detail(&self, secrets: &crate::text::Secrets) -> Option<String> {
        self.source
            .as_ref()
            .map(|s| crate::text::shown(&s.to_string(), 200, secrets))
    }

    pub(crate) fn with_message(mut self, message: String) -> TransportError {
        self.message = message;
        self
    }

    /// The same failure with its causes replaced by their text made safe to show (secrets
    /// scrubbed, control characters escaped, each bounded), so a caller printing the chain
    /// (`{:#}` in anyhow, a loop over `source()`) sees no more than `Display` would show.
    pub(crate) fn scrubbed(mut self, secrets: &crate::text::Secrets) -> TransportError {
        if let Some(source) = self.source.take() {
            let cause: &(dyn std::error::Error + 'static) = &*source;
            self.source = Some(Arc::new(ScrubbedCause::of(cause, secrets)));
        }
        self
    }
}

/// A cause of a transport failure as text made safe to show, with the causes below it.
#[derive(Debug)]
struct ScrubbedCause {
    text: String,
    below: Option<Box<ScrubbedCause>>,
}

impl ScrubbedCause {
    /// The most causes kept: transports nest a handful; a longer chain is cut.
    const MAX_DEPTH: usize = 16;

    fn of(error: &(dyn std::error::Error + 'static), secrets: &crate::text::Secrets) -> Self {
        let mut texts = Vec::new();
        let mut cause = Some(error);
        while let Some(e) = cause.filter(|_| texts.len() < Self::MAX_DEPTH) {
            texts.push(crate::text::shown(
                &e.to_string(),
                crate::text::MESSAGE_CHARS,
                secrets,
            ));
            cause = e.source();
        }
        let mut below = None;
        while let Some(text) = texts.pop() {
            below = Some(Box::new(ScrubbedCause { text, below }));
        }
        // `texts` held at least `error`'s own text
        below.map_or_else(
            || ScrubbedCause {
                text: String::new(),
                below: None,
            },
            |b| *b,
        )
    }
}

impl fmt::Display for ScrubbedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for ScrubbedCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.below
            .as_deref()
            .map(|b| b as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("tls", &self.tls)
            .field("message", &self.message)
            .field("source", &self.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl PartialEq for TransportError {
    /// Equal when kind and message are; the sources are not compared.
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.tls == other.tls && self.message == other.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "transport failure ({:?})", self.kind)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Secrets;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("outer with pcsk_the-secret-key")
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn every_cause_a_caller_walks_is_scrubbed_and_one_line() {
        let inner = std::io::Error::other("inner\nleaks pcsk_the-secret-key");
        let failure = TransportError::new(TransportKind::Closed, Some(Box::new(Outer(inner))))
            .scrubbed(&Secrets::of(["pcsk_the-secret-key"]));
        let error = Error::from(failure);
        let mut texts = Vec::new();
        let mut cause = std::error::Error::source(&error);
        while let Some(c) = cause {
            texts.push(c.to_string());
            cause = c.source();
        }
        assert_eq!(texts.len(), 2, "{texts:?}");
        for text in &texts {
            assert!(!text.contains("pcsk_the-secret-key"), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        assert!(texts[1].starts_with("inner\\n"), "{texts:?}");
        assert!(!format!("{error:?}").contains("pcsk_the-secret-key"));
    }
}
