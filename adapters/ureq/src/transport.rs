//! What a ureq failure means to core: which [`TransportKind`] it is, found in ureq's typed
//! error and the typed errors under it (an I/O error's inner error, rustls's error), never in
//! message text. What cannot be told is [`TransportKind::Other`].

use std::io;

use pinecone_restore_adapter::{Failure, tls};
use pinecone_restore_core::{TlsProblem, TransportError, TransportKind};

/// Where in an exchange a ureq error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending the request, receiving the response head.
    Send,
    /// Reading the response body.
    Body,
}

/// Failureifies a ureq error for core, which decides what it means and words the message; the
/// ureq error stays as the source.
pub(crate) fn failure(error: ureq::Error, phase: Phase) -> TransportError {
    classify(&error, phase).caused_by(Box::new(error))
}

fn classify(error: &ureq::Error, phase: Phase) -> Failure {
    use TransportKind as K;
    Failure::Kind(match error {
        // the resolver (`resolve.rs`) reports every failed lookup as `HostNotFound`
        ureq::Error::HostNotFound | ureq::Error::Timeout(ureq::Timeout::Resolve) => K::Resolve,
        // nothing was sent before these
        ureq::Error::ConnectionFailed | ureq::Error::Timeout(ureq::Timeout::Connect) => K::Connect,
        ureq::Error::Timeout(_) => K::Timeout,
        ureq::Error::Rustls(e) => return Failure::Tls(tls::problem(e)),
        ureq::Error::Tls(_) | ureq::Error::TlsRequired => {
            return Failure::Tls(TlsProblem::Protocol);
        }
        ureq::Error::BodyExceedsLimit(_) => K::BodyTooLarge,
        ureq::Error::Decompress(..) => K::Undecodable,
        ureq::Error::Io(io) => return classify_io(io, phase),
        _ => K::Other,
    })
}

/// An I/O error by its kind, or by the rustls error inside it (rustls's stream reports a
/// failed handshake as an I/O error wrapping it, maybe itself wrapped in another).
fn classify_io(error: &io::Error, phase: Phase) -> Failure {
    use io::ErrorKind as E;
    if let Some(problem) = tls::problem_in(error) {
        return Failure::Tls(problem);
    }
    Failure::Kind(match (error.kind(), phase) {
        (E::TimedOut | E::WouldBlock, _) => TransportKind::Timeout,
        (
            E::ConnectionRefused | E::AddrNotAvailable | E::NetworkUnreachable | E::HostUnreachable,
            Phase::Send,
        ) => TransportKind::Connect,
        (E::ConnectionReset | E::ConnectionAborted | E::UnexpectedEof | E::BrokenPipe, _) => {
            TransportKind::Closed
        }
        _ => TransportKind::Other,
    })
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
            TransportKind::Other,
            "what cannot be told is not `Closed`"
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
            TransportKind::Resolve
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

    #[test]
    fn a_rustls_error_inside_an_io_error_is_tls() {
        let wrapped = |e: rustls::Error| {
            failure(
                ureq::Error::Io(io::Error::new(io::ErrorKind::InvalidData, e)),
                Phase::Send,
            )
        };
        let plain_http = wrapped(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        ));
        assert_eq!(plain_http.kind(), TransportKind::Tls);
        assert_eq!(plain_http.tls_problem(), Some(TlsProblem::NotTls));
        let untrusted = wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(
            untrusted.tls_problem(),
            Some(TlsProblem::UntrustedCertificate)
        );
    }
}
