//! The root certificates TLS trusts: Mozilla's or the system's, plus extra ones from a PEM
//! file, all checked when the client is built. The blocking adapter trusts the same.

use std::path::Path;

use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{Config, Error, InvalidArgument, RootStore};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// The store rustls checks server certificates against.
pub(crate) fn root_store(config: &Config) -> Result<RootCertStore, Error> {
    let mut store = match config.root_store() {
        RootStore::Mozilla => RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        },
        _ => system_roots()?,
    };
    if let Some(path) = config.ca_cert_file() {
        for cert in extra_roots(path)? {
            store.roots.push(cert);
        }
    }
    Ok(store)
}

/// The system's trust store; an error if it holds no certificate at all.
fn system_roots() -> Result<RootCertStore, Error> {
    let found = rustls_native_certs::load_native_certs();
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(found.certs);
    if store.is_empty() {
        return Err(InvalidArgument::new(
            "root store",
            "found no certificate in the system's trust store (set `SSL_CERT_FILE`, or use \
             Mozilla's roots)",
        )
        .into());
    }
    Ok(store)
}

/// The certificates of a PEM file as trust anchors, each checked; the file's content is never
/// quoted.
fn extra_roots(path: &Path) -> Result<Vec<rustls::pki_types::TrustAnchor<'static>>, Error> {
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
    for (n, cert) in certs.into_iter().enumerate() {
        store.add(cert).map_err(|_| {
            refuse(format!(
                "certificate {} of `{shown}` is not a valid X.509 certificate",
                n + 1
            ))
        })?;
    }
    Ok(store.roots)
}
