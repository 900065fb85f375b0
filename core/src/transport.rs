//! How an exchange failed below HTTP, as an adapter reports it: the [`TransportKind`], for a
//! TLS failure its [`TlsProblem`], and the [`TransportError`] that carries them with the
//! transport's own error as the cause, scrubbed.
//!
//! A leaf: the retry table ([`crate::engine::verdict`]) and the error type read it.

use std::fmt;
use std::sync::Arc;

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
    /// [`InvalidResponseKind::TooLarge`](crate::InvalidResponseKind::TooLarge): the server answered, and the answer is unacceptable.
    BodyTooLarge,
    /// The body could not be decoded (content encoding). Core reports it as an invalid
    /// response of kind [`InvalidResponseKind::Undecodable`](crate::InvalidResponseKind::Undecodable).
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
    use crate::error::Error;
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
