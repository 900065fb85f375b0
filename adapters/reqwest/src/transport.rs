//! What a reqwest failure means to core: which [`TransportKind`] it is, found in the typed
//! errors of the source chain (our resolver's, rustls's, hyper's, an I/O error's kind), never
//! in message text. What cannot be told is [`TransportKind::Other`].

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::SocketAddr;

use pinecone_restore_adapter::{Failure, tls};
use pinecone_restore_core::{TransportError, TransportKind};

/// The causes below a reqwest error, outermost first, I/O errors' own errors included.
fn causes(error: &reqwest::Error) -> impl Iterator<Item = &(dyn StdError + 'static)> {
    error.source().into_iter().flat_map(tls::causes)
}

/// Classifies a reqwest error for core, which decides what it means and words the message.
/// The error stays as the source, without its URL (a token can be in it).
pub(crate) fn failure(error: reqwest::Error) -> TransportError {
    classify(&error).caused_by(Box::new(error.without_url()))
}

fn classify(error: &reqwest::Error) -> Failure {
    use TransportKind as K;
    // the most telling typed error among the causes, outermost first
    for cause in causes(error) {
        if cause.is::<ResolveFailed>() {
            return Failure::Kind(K::Resolve);
        }
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Failure::Tls(tls::problem(tls));
        }
    }
    if error.is_connect() {
        // refused, unreachable, or the connect timeout: nothing was sent
        return Failure::Kind(K::Connect);
    }
    if error.is_timeout() {
        return Failure::Kind(K::Timeout);
    }
    if error.is_decode() && !causes(error).any(|c| c.is::<hyper::Error>()) {
        // reqwest reports a body that does not decompress as "decode"; a failing connection
        // under it would carry hyper's error
        return Failure::Kind(K::Undecodable);
    }
    for cause in causes(error) {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            use io::ErrorKind as E;
            match io.kind() {
                E::TimedOut => return Failure::Kind(K::Timeout),
                E::ConnectionReset | E::ConnectionAborted | E::UnexpectedEof | E::BrokenPipe => {
                    return Failure::Kind(K::Closed);
                }
                _ => {}
            }
        }
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled() {
                return Failure::Kind(K::Closed);
            }
            if hyper.is_timeout() {
                return Failure::Kind(K::Timeout);
            }
            if hyper.is_parse() {
                // a malformed answer: not HTTP, or not the HTTP we speak
                return Failure::Kind(K::Other);
            }
        }
    }
    Failure::Kind(K::Other)
}

/// The system's name lookup (as reqwest's default), with a failure of its own type, so that a
/// name that does not resolve is told from a refused connection by type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolver;

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // port 0: the connector sets the port of the URL
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| Box::new(ResolveFailed(e)) as Box<dyn StdError + Send + Sync>)?
                .collect();
            if addrs.is_empty() {
                let none = io::Error::new(io::ErrorKind::NotFound, "no address for the name");
                return Err(Box::new(ResolveFailed(none)) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// A name lookup that failed.
#[derive(Debug)]
pub(crate) struct ResolveFailed(io::Error);

impl fmt::Display for ResolveFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("name lookup failed")
    }
}

impl StdError for ResolveFailed {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}
