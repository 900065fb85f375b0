//! The root certificates TLS trusts: Mozilla's or the system's, plus extra ones from a PEM
//! file, all checked when the client is built.

use std::path::Path;

use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{Config, Error, InvalidArgument, RootStore};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// What ureq is told to trust.
pub(crate) fn root_certs(config: &Config) -> Result<ureq::tls::RootCerts, Error> {
    let extra = match config.ca_cert_file() {
        Some(path) => extra_roots(path)?,
        None => Vec::new(),
    };
    let base: Vec<CertificateDer<'static>> = match config.root_store() {
        // ureq's own Mozilla roots, without converting them, when nothing joins them
        RootStore::Mozilla if extra.is_empty() => return Ok(ureq::tls::RootCerts::WebPki),
        RootStore::Mozilla => webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec(),
        _ => system_roots()?,
    };
    Ok(base
        .iter()
        .chain(&extra)
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .into())
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
pub(crate) fn extra_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
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
