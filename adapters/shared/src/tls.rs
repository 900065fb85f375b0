//! TLS for every adapter: the root certificates it trusts, checked when the client is built,
//! and the name of a TLS failure, read from rustls's typed error (never from message text).

use std::error::Error as StdError;
use std::io;
use std::path::Path;

use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{Config, Error, InvalidArgument, RootStore, TlsProblem};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// The roots a configuration trusts, as certificates: Mozilla's alone (an HTTP stack with
/// Mozilla's roots built in uses its own), or a list (the system's, or either one with the
/// extra roots of the configured PEM file). Exhaustive on purpose: an adapter that met a
/// new kind of roots it does not know must not compile, rather than fall back to Mozilla's
/// and drop the configured ones.
#[derive(Debug, Clone)]
pub enum Roots {
    /// Mozilla's roots and nothing else.
    Mozilla,
    /// These certificates, each checked as a root.
    Certificates(Vec<CertificateDer<'static>>),
}

/// The roots `config` trusts, as certificates (see [`Roots`]).
///
/// # Errors
///
/// An invalid argument for a CA certificate file that cannot be read or holds no valid
/// certificate (named, its content never quoted), or a system store without certificates.
///
/// ```
/// use pinecone_restore_adapter::tls::{Roots, root_certs};
/// use pinecone_restore_core::{ApiKey, Config};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// assert!(matches!(root_certs(&config)?, Roots::Mozilla));
/// let missing = Config::builder(ApiKey::new("k")?).ca_cert_file("/no/such.pem").build()?;
/// assert!(root_certs(&missing).unwrap_err().to_string().starts_with(
///     "invalid CA certificate file: cannot read `/no/such.pem`"
/// ));
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
pub fn root_certs(config: &Config) -> Result<Roots, Error> {
    let extra = match config.ca_cert_file() {
        Some(path) => extra_roots(path)?,
        None => Vec::new(),
    };
    let mut certs = match config.root_store() {
        RootStore::Mozilla if extra.is_empty() => return Ok(Roots::Mozilla),
        RootStore::Mozilla => webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec(),
        _ => system_roots()?,
    };
    certs.extend(extra);
    Ok(Roots::Certificates(certs))
}

/// The roots `config` trusts, as rustls's store: the same roots as [`root_certs`], Mozilla's
/// as ready trust anchors.
///
/// # Errors
///
/// As [`root_certs`].
pub fn root_store(config: &Config) -> Result<RootCertStore, Error> {
    let mut store = match config.root_store() {
        RootStore::Mozilla => RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        },
        _ => {
            let mut store = RootCertStore::empty();
            store.add_parsable_certificates(system_roots()?);
            store
        }
    };
    if let Some(path) = config.ca_cert_file() {
        // each was checked as a root by `extra_roots`
        store.add_parsable_certificates(extra_roots(path)?);
    }
    Ok(store)
}

/// The system's trust store; an error if it holds no certificate at all.
fn system_roots() -> Result<Vec<CertificateDer<'static>>, Error> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        return Err(InvalidArgument::new(
            "root store",
            "found no certificate in the system's trust store (set `SSL_CERT_FILE`, or use \
             Mozilla's roots)",
        )
        .into());
    }
    Ok(found.certs)
}

/// The certificates of a PEM file, each checked as a root; the file's content is never quoted.
fn extra_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let shown = text::quote(&path.display().to_string(), &Secrets::none());
    let refuse = |reason: String| Error::from(InvalidArgument::new("CA certificate file", reason));
    let bytes = std::fs::read(path).map_err(|e| refuse(format!("cannot read `{shown}`: {e}")))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| refuse(format!("`{shown}` is not a valid PEM file")))?;
    if certs.is_empty() {
        return Err(refuse(format!(
            "found no `BEGIN CERTIFICATE` section in `{shown}`"
        )));
    }
    let mut store = RootCertStore::empty();
    for (n, cert) in certs.iter().enumerate() {
        store.add(cert.clone()).map_err(|_| {
            refuse(format!(
                "certificate {} of `{shown}` is not a valid X.509 certificate",
                n + 1
            ))
        })?;
    }
    Ok(certs)
}

/// The causes of `error`, outermost first, `error` included. An I/O error's own error comes
/// next after it: its `source()` skips that error and gives the one below (a TLS stream wraps
/// rustls's error in an I/O error, which an HTTP stack may wrap in another).
pub fn causes<'e>(
    error: &'e (dyn StdError + 'static),
) -> impl Iterator<Item = &'e (dyn StdError + 'static)> {
    let mut next = Some(error);
    std::iter::from_fn(move || {
        let cause = next?;
        next = match cause
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => cause.source(),
        };
        Some(cause)
    })
}

/// Which way a handshake failed, when rustls's error is among the causes of `error`.
pub fn problem_in(error: &(dyn StdError + 'static)) -> Option<TlsProblem> {
    causes(error)
        .find_map(|cause| cause.downcast_ref::<rustls::Error>())
        .map(problem)
}

/// Which way a handshake failed, from rustls's error.
///
/// ```
/// use pinecone_restore_adapter::tls::problem;
/// use pinecone_restore_core::TlsProblem;
///
/// let plain_http = rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType);
/// assert_eq!(problem(&plain_http), TlsProblem::NotTls);
/// let untrusted = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
/// assert_eq!(problem(&untrusted), TlsProblem::UntrustedCertificate);
/// ```
pub fn problem(error: &rustls::Error) -> TlsProblem {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer | C::BadSignature | C::UnknownRevocationStatus => {
                TlsProblem::UntrustedCertificate
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsProblem::NameMismatch,
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => TlsProblem::Expired,
            _ => TlsProblem::Protocol,
        },
        // the first bytes back are not a TLS record: an HTTP answer, most likely
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
            TlsProblem::NotTls
        }
        _ => TlsProblem::Protocol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rustls_error_is_found_under_io_errors() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::Expired);
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, io::Error::other(tls));
        assert_eq!(problem_in(&wrapped), Some(TlsProblem::Expired));
        let plain = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(problem_in(&plain), None);
        assert_eq!(causes(&plain).count(), 1);
    }
}
