//! HTTPS for the fake: a test CA generated at start-up, and a server certificate it signs for
//! `localhost` and `127.0.0.1` (or, to test clients, one that has expired or names another
//! host).

use std::io;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The server certificate an HTTPS fake presents; see [`FakeControlPlane::https`].
///
/// [`FakeControlPlane::https`]: crate::FakeControlPlane::https
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerCert {
    /// Valid now, for `localhost` and `127.0.0.1`, signed by the fake's CA.
    Valid,
    /// As `Valid`, but it expired yesterday.
    Expired,
    /// As `Valid`, but for `wrong-host.invalid` only.
    WrongName,
}

/// What an HTTPS fake serves with, and the CA a client must trust.
pub(crate) struct Generated {
    pub(crate) config: Arc<rustls::ServerConfig>,
    pub(crate) ca_pem: String,
}

/// A new CA and a server certificate of kind `cert` signed by it.
pub(crate) fn generate(cert: ServerCert) -> io::Result<Generated> {
    let ca_key = KeyPair::generate().map_err(other)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(other)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(
        DnType::CommonName,
        "pinecone-restore fake control plane test CA",
    );
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(other)?;
    let issuer = Issuer::new(ca, ca_key);

    let names: Vec<String> = match cert {
        ServerCert::WrongName => vec!["wrong-host.invalid".to_owned()],
        _ => vec!["localhost".to_owned(), "127.0.0.1".to_owned()],
    };
    let mut leaf = CertificateParams::new(names).map_err(other)?;
    leaf.distinguished_name
        .push(DnType::CommonName, "pinecone-restore fake control plane");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = time::OffsetDateTime::now_utc();
    leaf.not_before = now - time::Duration::days(1);
    leaf.not_after = now + time::Duration::days(30);
    if cert == ServerCert::Expired {
        leaf.not_before = now - time::Duration::days(30);
        leaf.not_after = now - time::Duration::days(1);
    }
    let key = KeyPair::generate().map_err(other)?;
    let leaf_cert = leaf.signed_by(&key, &issuer).map_err(other)?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(other)?
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Generated {
        config: Arc::new(config),
        ca_pem: ca_cert.pem(),
    })
}

fn other(e: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::other(e)
}
