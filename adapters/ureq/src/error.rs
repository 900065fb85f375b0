//! The one error type of this crate: core's error, or what went wrong on the wire.

use std::fmt;
use std::io;

use pinecone_restore_core as core;
use pinecone_restore_core::{ErrorCode, TransportFailure};

/// Everything a [`Client`](crate::Client) call can fail with.
///
/// Branch on the class with the predicates ([`Error::is_api`], [`Error::is_transport`],
/// [`Error::is_retryable`], …) rather than by matching deeply. `Display` is one line a person
/// can act on and never contains the API key; for a transport error the underlying ureq or I/O
/// error is [`source()`](std::error::Error::source), not repeated in `Display`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// From core: an invalid argument (nothing was sent), an API error status, or a response
    /// that cannot be accepted.
    Core(core::Error),
    /// The request or its response did not make it across the wire.
    Transport(TransportError),
}

impl Error {
    /// `true` when the caller passed a value or setting that cannot be used (nothing was sent).
    pub fn is_invalid_argument(&self) -> bool {
        self.core().is_some_and(core::Error::is_invalid_argument)
    }

    /// `true` when the API answered with an error status (redirects included: they are never
    /// followed).
    pub fn is_api(&self) -> bool {
        self.core().is_some_and(core::Error::is_api)
    }

    /// `true` when the API answered but the answer cannot be accepted (malformed JSON, invalid
    /// values, a pagination loop, …).
    pub fn is_invalid_response(&self) -> bool {
        self.core().is_some_and(core::Error::is_invalid_response)
    }

    /// `true` when the API answered 404.
    pub fn is_not_found(&self) -> bool {
        self.core().is_some_and(core::Error::is_not_found)
    }

    /// `true` when the request or response failed on the wire.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// `true` when a connect or request timeout expired.
    pub fn is_timeout(&self) -> bool {
        self.transport_kind() == Some(TransportKind::Timeout)
    }

    /// `true` when the same call may succeed later: a retryable API status (408, 429, 500, 502,
    /// 503, 504) or a connect or timeout failure. The client has already retried such failures
    /// as its [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Core(e) => e.is_retryable(),
            Error::Transport(t) => {
                matches!(t.kind, TransportKind::Connect | TransportKind::Timeout)
            }
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        self.core().and_then(core::Error::status)
    }

    /// The error code of an API error, when its body carried one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.core().and_then(core::Error::code)
    }

    /// The request id of an API error, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.core().and_then(core::Error::request_id)
    }

    /// The class of a transport error.
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport(t) => Some(t.kind),
            _ => None,
        }
    }

    /// Core's error, if this is one.
    pub fn core(&self) -> Option<&core::Error> {
        match self {
            Error::Core(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // core's error prints its whole cause; the transport cause is below it
            Error::Core(_) => None,
            Error::Transport(e) => e.source(),
        }
    }
}

impl From<core::Error> for Error {
    fn from(e: core::Error) -> Self {
        Error::Core(e)
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

/// A client setting that cannot be used, as core's invalid-argument error; `reason` never
/// quotes the API key or a proxy's credentials.
pub(crate) fn invalid_setting(setting: &'static str, reason: &str) -> Error {
    Error::Core(core::InvalidArgument::new(setting, reason).into())
}

/// The class of a [`TransportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host could not be resolved or the connection could not be opened.
    Connect,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The connect timeout or the request timeout expired.
    Timeout,
    /// The response body is larger than the configured cap.
    BodyTooLarge,
    /// The connection closed (or was reset) before the whole response arrived.
    ClosedEarly,
    /// Any other failure on the wire (a malformed HTTP response, a proxy failure, …).
    Other,
}

/// A request or response that failed on the wire: its class, a short message, and the
/// underlying ureq or I/O error as [`source()`](std::error::Error::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Where in an exchange a ureq error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending the request, receiving the response head.
    Send,
    /// Reading the response body.
    Body,
}

impl TransportError {
    /// The class of this error.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Classifies a ureq error. `server` (the base URL, which holds no secret) and
    /// `max_body_bytes` make the message actionable.
    pub(crate) fn from_ureq(
        error: ureq::Error,
        phase: Phase,
        server: &dyn fmt::Display,
        max_body_bytes: u64,
    ) -> Self {
        let kind = classify(&error, phase);
        let message = match (kind, phase) {
            (TransportKind::Connect, _) => format!("could not connect to `{server}`"),
            (TransportKind::Tls, _) => format!("TLS with `{server}` failed"),
            (TransportKind::Timeout, Phase::Send) => {
                format!("timed out waiting for `{server}`")
            }
            (TransportKind::Timeout, Phase::Body) => {
                format!("timed out reading the response body from `{server}`")
            }
            (TransportKind::BodyTooLarge, _) => format!(
                "response body from `{server}` is larger than the limit of {max_body_bytes} bytes"
            ),
            (TransportKind::ClosedEarly, _) => {
                format!("connection to `{server}` closed before the whole response arrived")
            }
            (TransportKind::Other, Phase::Send) => format!("request to `{server}` failed"),
            (TransportKind::Other, Phase::Body) => {
                format!("reading the response body from `{server}` failed")
            }
        };
        TransportError {
            kind,
            message,
            source: Some(Box::new(error)),
        }
    }

    /// The class core's [`RetryPolicy`](crate::RetryPolicy) decides on.
    pub(crate) fn retry_class(&self) -> TransportFailure {
        match self.kind {
            TransportKind::Connect => TransportFailure::Connect,
            TransportKind::Timeout => TransportFailure::Timeout,
            _ => TransportFailure::Other,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

fn classify(error: &ureq::Error, phase: Phase) -> TransportKind {
    match error {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportKind::Connect,
        ureq::Error::Timeout(_) => TransportKind::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::TlsRequired => {
            TransportKind::Tls
        }
        ureq::Error::BodyExceedsLimit(_) => TransportKind::BodyTooLarge,
        ureq::Error::Io(io) => classify_io(io, phase),
        ureq::Error::Decompress(_, io) => classify_io(io, phase),
        _ => TransportKind::Other,
    }
}

fn classify_io(error: &io::Error, phase: Phase) -> TransportKind {
    use io::ErrorKind as K;
    match (error.kind(), phase) {
        (K::TimedOut | K::WouldBlock, _) => TransportKind::Timeout,
        (K::ConnectionRefused | K::AddrNotAvailable | K::NetworkUnreachable, _) => {
            TransportKind::Connect
        }
        (K::HostUnreachable, _) => TransportKind::Connect,
        (K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe, _) => {
            TransportKind::ClosedEarly
        }
        _ => TransportKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_kinds_map_to_classes() {
        let io = |k| ureq::Error::Io(io::Error::from(k));
        let kind = |e, p| TransportError::from_ureq(e, p, &"h", 10).kind();
        assert_eq!(
            kind(io(io::ErrorKind::ConnectionRefused), Phase::Send),
            TransportKind::Connect
        );
        assert_eq!(
            kind(io(io::ErrorKind::ConnectionReset), Phase::Body),
            TransportKind::ClosedEarly
        );
        assert_eq!(
            kind(io(io::ErrorKind::UnexpectedEof), Phase::Body),
            TransportKind::ClosedEarly
        );
        assert_eq!(
            kind(ureq::Error::BodyExceedsLimit(10), Phase::Body),
            TransportKind::BodyTooLarge
        );
        assert_eq!(
            kind(ureq::Error::HostNotFound, Phase::Send),
            TransportKind::Connect
        );
        assert_eq!(
            kind(ureq::Error::TooManyRedirects, Phase::Send),
            TransportKind::Other
        );
    }

    #[test]
    fn only_connect_and_timeout_are_retried() {
        let t = |e| TransportError::from_ureq(e, Phase::Send, &"h", 1).retry_class();
        assert_eq!(t(ureq::Error::ConnectionFailed), TransportFailure::Connect);
        assert_eq!(
            t(ureq::Error::Timeout(ureq::Timeout::Global)),
            TransportFailure::Timeout
        );
        assert_eq!(t(ureq::Error::BodyExceedsLimit(1)), TransportFailure::Other);
    }

    #[test]
    fn the_cause_is_in_source_not_in_display() {
        let e = Error::from(TransportError::from_ureq(
            ureq::Error::Io(io::Error::new(io::ErrorKind::ConnectionReset, "peer reset")),
            Phase::Body,
            &"http://127.0.0.1:9",
            1,
        ));
        assert_eq!(
            e.to_string(),
            "connection to `http://127.0.0.1:9` closed before the whole response arrived"
        );
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert!(source.is_some_and(|s| s.contains("peer reset")));
    }
}
