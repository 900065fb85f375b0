//! What a ureq failure means to core: which [`TransportKind`] it is.

use std::io;

use pinecone_restore_core::{TransportError, TransportKind};

/// Where in an exchange a ureq error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending the request, receiving the response head.
    Send,
    /// Reading the response body.
    Body,
}

/// Classifies a ureq error for core, which decides what it means and words the message; the
/// ureq error stays as the source.
pub(crate) fn failure(error: ureq::Error, phase: Phase) -> TransportError {
    let kind = classify(&error, phase);
    TransportError::new(kind, Some(Box::new(error)))
}

fn classify(error: &ureq::Error, phase: Phase) -> TransportKind {
    match error {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportKind::Connect,
        // nothing was sent before these expired
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            TransportKind::Connect
        }
        ureq::Error::Timeout(_) => TransportKind::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::TlsRequired => {
            TransportKind::Tls
        }
        ureq::Error::BodyExceedsLimit(_) => TransportKind::BodyTooLarge,
        ureq::Error::Decompress(..) => TransportKind::Undecodable,
        ureq::Error::Io(io) => classify_io(io, phase),
        _ => TransportKind::Other,
    }
}

fn classify_io(error: &io::Error, phase: Phase) -> TransportKind {
    use io::ErrorKind as K;
    match (error.kind(), phase) {
        (K::TimedOut | K::WouldBlock, _) => TransportKind::Timeout,
        (
            K::ConnectionRefused | K::AddrNotAvailable | K::NetworkUnreachable | K::HostUnreachable,
            Phase::Send,
        ) => TransportKind::Connect,
        // a reset, an early end or any other read error: the answer did not arrive whole
        _ => TransportKind::Closed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ureq_errors_map_to_kinds() {
        let io = |k| ureq::Error::Io(io::Error::from(k));
        let kind = |e, p| failure(e, p).kind();
        assert_eq!(
            kind(io(io::ErrorKind::ConnectionRefused), Phase::Send),
            TransportKind::Connect
        );
        assert_eq!(
            kind(io(io::ErrorKind::ConnectionReset), Phase::Body),
            TransportKind::Closed
        );
        assert_eq!(
            kind(io(io::ErrorKind::UnexpectedEof), Phase::Body),
            TransportKind::Closed
        );
        assert_eq!(
            kind(io(io::ErrorKind::Other), Phase::Body),
            TransportKind::Closed
        );
        assert_eq!(
            kind(ureq::Error::BodyExceedsLimit(10), Phase::Body),
            TransportKind::BodyTooLarge
        );
        assert_eq!(
            kind(
                ureq::Error::Decompress("gzip", io::Error::from(io::ErrorKind::InvalidData)),
                Phase::Body
            ),
            TransportKind::Undecodable
        );
        assert_eq!(
            kind(ureq::Error::HostNotFound, Phase::Send),
            TransportKind::Connect
        );
        assert_eq!(
            kind(ureq::Error::Timeout(ureq::Timeout::Connect), Phase::Send),
            TransportKind::Connect
        );
        assert_eq!(
            kind(ureq::Error::Timeout(ureq::Timeout::Global), Phase::Body),
            TransportKind::Timeout
        );
        assert_eq!(
            kind(ureq::Error::TooManyRedirects, Phase::Send),
            TransportKind::Other
        );
    }
}
