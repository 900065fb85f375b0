//! What a reqwest failure means to core: which [`TransportKind`] it is.

use std::error::Error as StdError;

use pinecone_restore_core::{TransportError, TransportKind};

/// Classifies a reqwest error for core, which decides what it means and words the message.
/// The error stays as the source, without its URL (a token can be in it).
pub(crate) fn failure(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        // a connect timeout too: nothing was sent
        if caused_by_tls(&error) {
            TransportKind::Tls
        } else {
            TransportKind::Connect
        }
    } else if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_decode() {
        // reqwest reports every failure while reading a body it may decompress as "decode";
        // one that hyper raised came from the connection (a reset, an early end)
        if from_hyper(&error) {
            TransportKind::Closed
        } else {
            TransportKind::Undecodable
        }
    } else if error.is_body() || error.is_request() {
        TransportKind::Closed
    } else {
        TransportKind::Other
    };
    TransportError::new(kind, Some(Box::new(error.without_url())))
}

/// `true` when hyper's own error is among the causes: the connection failed, not the data.
fn from_hyper(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(e) = cause {
        if e.is::<hyper::Error>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// `true` when a rustls error is among the causes (an I/O error may carry it inside).
fn caused_by_tls(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(e) = cause {
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn StdError + 'static));
        if e.is::<rustls::Error>() || inner.is_some_and(|i| i.is::<rustls::Error>()) {
            return true;
        }
        cause = e.source();
    }
    false
}
