//! TLS for the listening side (client mode, the scripted server): a certificate generated at
//! start, or the user's own, with ALPN h2 only, since a client that does not offer h2 has
//! nothing to be tested on.

use std::path::Path;
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// Why the listening side's TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// The certificate or key file could not be read.
    #[error("{path}: {why}")]
    File {
        /// The file.
        path: String,
        /// What was wrong with it.
        why: String,
    },
    /// Generating the certificate or building the configuration failed.
    #[error("cannot set up TLS: {0}")]
    Config(String),
}

/// A fresh self-signed certificate for `localhost`, `127.0.0.1` and `::1`.
pub fn self_signed() -> Result<TlsAcceptor, AcceptError> {
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
    let cert = rcgen::generate_simple_self_signed(names).map_err(|e| AcceptError::Config(e.to_string()))?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into());
    build(vec![cert.cert.der().clone()], key)
}

/// The certificate chain and key of these PEM files (`--cert`, `--key`).
pub fn from_pem(cert: &Path, key: &Path) -> Result<TlsAcceptor, AcceptError> {
    let file = |p: &Path, why: String| AcceptError::File { path: p.display().to_string(), why };
    let chain = super::tls::read_certs(cert).map_err(|why| file(cert, why))?;
    let key = super::tls::read_key(key).map_err(|why| file(key, why))?;
    build(chain, key)
}

fn build(
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> Result<TlsAcceptor, AcceptError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| AcceptError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| AcceptError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
