//! The rustls client configuration and the TLS half of connecting.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, ProtocolVersion, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use super::error::{is_client_cert_alert, ConnectError, Stage};
use super::{TlsInfo, TlsOptions};

/// Everything TLS needs, built once per run by [`super::Connector::new`].
#[derive(Debug, Clone)]
pub(crate) struct TlsSetup {
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    has_client_cert: bool,
    has_ca_file: bool,
}

impl TlsSetup {
    /// Loads the files named by the options and builds the client configuration: ring
    /// provider, TLS 1.2 and 1.3, ALPN `["h2"]`, trust from `--ca`, the bundled Mozilla
    /// roots, or nothing at all with `--insecure`.
    pub(crate) fn new(host: &str, opts: &TlsOptions) -> Result<TlsSetup, ConnectError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(rustls::ALL_VERSIONS)
            .map_err(|e| ConnectError::TlsConfig { reason: e.to_string() })?;
        let builder = if opts.insecure {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCert::new(&provider)))
        } else if let Some(path) = &opts.ca_file {
            let certs = read_certs(path).map_err(|reason| ConnectError::CaFile { path: path.clone(), reason })?;
            let mut roots = RootCertStore::empty();
            let (added, _ignored) = roots.add_parsable_certificates(certs.clone());
            if added == 0 {
                return Err(ConnectError::CaFile {
                    path: path.clone(),
                    reason: "none of its certificates is usable as a trust anchor".to_string(),
                });
            }
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| ConnectError::TlsConfig { reason: e.to_string() })?;
            builder.dangerous().with_custom_certificate_verifier(Arc::new(CaOrPinned { webpki, pinned: certs }))
        } else {
            let mut roots = RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            builder.with_root_certificates(roots)
        };
        let mut config = match &opts.client_cert {
            Some((cert_path, key_path)) => {
                let chain = read_certs(cert_path)
                    .map_err(|reason| ConnectError::ClientCertFile { path: cert_path.clone(), reason })?;
                let key = read_key(key_path)
                    .map_err(|reason| ConnectError::ClientKeyFile { path: key_path.clone(), reason })?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| ConnectError::ClientAuthConfig { reason: e.to_string() })?
            }
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        let server_name = match &opts.sni {
            Some(name) => {
                ServerName::try_from(name.clone()).map_err(|_| ConnectError::InvalidSni { name: name.clone() })?
            }
            None => ServerName::try_from(host.to_string())
                .map_err(|_| ConnectError::InvalidServerName { host: host.to_string() })?,
        };
        Ok(TlsSetup {
            config: Arc::new(config),
            server_name,
            has_client_cert: opts.client_cert.is_some(),
            has_ca_file: opts.ca_file.is_some() && !opts.insecure,
        })
    }

    /// Runs the TLS handshake over `tcp` until `deadline`, checks ALPN, and in TLS 1.3 waits
    /// briefly for the server's verdict on our client certificate (see [`await_client_auth_verdict`]).
    pub(crate) async fn handshake(
        &self,
        tcp: TcpStream,
        addr: &str,
        rtt: Duration,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<(TlsStream<TcpStream>, TlsInfo), ConnectError> {
        // A per-connection copy (cheap: mostly `Arc`s) so that we learn whether *this*
        // server asked for a client certificate.
        let requested = Arc::new(AtomicBool::new(false));
        let mut config = (*self.config).clone();
        config.client_auth_cert_resolver = Arc::new(WatchCertRequest {
            inner: self.config.client_auth_cert_resolver.clone(),
            requested: requested.clone(),
        });
        let connector = TlsConnector::from(Arc::new(config));
        let timed_out =
            || ConnectError::TimedOut { stage: Stage::TlsHandshake, addr: addr.to_string(), after: timeout };
        let mut stream = match tokio::time::timeout_at(deadline, connector.connect(self.server_name.clone(), tcp)).await
        {
            Err(_) => return Err(timed_out()),
            Ok(Err(e)) => return Err(self.classify_io(addr, e, requested.load(Ordering::Relaxed))),
            Ok(Ok(s)) => s,
        };
        let conn = &stream.get_ref().1;
        if conn.alpn_protocol() != Some(b"h2") {
            let got = conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned());
            return Err(ConnectError::AlpnNotH2 { got });
        }
        if conn.protocol_version() == Some(ProtocolVersion::TLSv1_3)
            && requested.load(Ordering::Relaxed)
            && conn.tls13_tickets_received() == 0
        {
            let window = rtt.saturating_mul(4).clamp(Duration::from_millis(100), Duration::from_secs(1));
            let until = (Instant::now() + window).min(deadline);
            self.await_client_auth_verdict(&mut stream, addr, until).await?;
        }
        let info = tls_info(stream.get_ref().1);
        Ok((stream, info))
    }

    /// In TLS 1.3 the client's handshake is over before the server has seen our
    /// Certificate/Finished flight, so a server that rejects our (missing) client
    /// certificate says so only afterwards, with an alert. Without this wait that alert would
    /// surface later as a confusing failure of the HTTP/2 preface. We read raw records into
    /// rustls (decrypted application data stays buffered in it, nothing is lost) until the
    /// server's verdict is clear: an alert or EOF (rejected), a session ticket or application
    /// data (accepted), or `until` (assumed accepted). Only done when the server asked for a
    /// certificate, so ordinary servers cost nothing.
    async fn await_client_auth_verdict(
        &self,
        stream: &mut TlsStream<TcpStream>,
        addr: &str,
        until: Instant,
    ) -> Result<(), ConnectError> {
        let (tcp, conn) = stream.get_mut();
        let mut buf = [0u8; 4096];
        loop {
            match tokio::time::timeout_at(until, tcp.readable()).await {
                Err(_) => return Ok(()),
                Ok(Err(source)) => return Err(ConnectError::TlsIo { addr: addr.to_string(), source }),
                Ok(Ok(())) => {}
            }
            let n = match tcp.try_read(&mut buf) {
                Ok(0) => {
                    return Err(ConnectError::ClosedAfterHandshake {
                        addr: addr.to_string(),
                        sent_cert: self.has_client_cert,
                    })
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {
                    return Err(ConnectError::ClosedAfterHandshake {
                        addr: addr.to_string(),
                        sent_cert: self.has_client_cert,
                    })
                }
                Err(source) => return Err(ConnectError::TlsIo { addr: addr.to_string(), source }),
            };
            let mut pending = buf.get(..n).unwrap_or_default();
            while !pending.is_empty() {
                match conn.read_tls(&mut pending) {
                    Ok(0) => {
                        return Err(ConnectError::TlsIo {
                            addr: addr.to_string(),
                            source: io::Error::other("rustls accepted no more data after the handshake"),
                        })
                    }
                    Ok(_) => {}
                    Err(source) => return Err(ConnectError::TlsIo { addr: addr.to_string(), source }),
                }
            }
            match conn.process_new_packets() {
                Err(error) => return Err(self.classify(addr, error, true)),
                Ok(state) => {
                    if state.plaintext_bytes_to_read() > 0 || conn.tls13_tickets_received() > 0 {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Maps a handshake I/O error from tokio-rustls to the most specific [`ConnectError`].
    fn classify_io(&self, addr: &str, e: io::Error, requested: bool) -> ConnectError {
        let is_rustls = e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>());
        if is_rustls {
            let kind = e.kind();
            if let Some(inner) = e.into_inner() {
                return match inner.downcast::<rustls::Error>() {
                    Ok(error) => self.classify(addr, *error, requested),
                    Err(other) => ConnectError::TlsIo { addr: addr.to_string(), source: io::Error::new(kind, other) },
                };
            }
            return ConnectError::TlsIo { addr: addr.to_string(), source: io::Error::from(kind) };
        }
        ConnectError::TlsIo { addr: addr.to_string(), source: e }
    }

    /// Maps a rustls error to the most specific [`ConnectError`]; `requested` says whether the
    /// server asked for a client certificate (so a `handshake_failure` is probably about it).
    fn classify(&self, addr: &str, error: rustls::Error, requested: bool) -> ConnectError {
        let addr = addr.to_string();
        match error {
            rustls::Error::InvalidCertificate(_) => {
                ConnectError::ServerCertificate { addr, error, ca_file: self.has_ca_file }
            }
            rustls::Error::AlertReceived(rustls::AlertDescription::NoApplicationProtocol) => {
                ConnectError::AlpnNotH2 { got: None }
            }
            rustls::Error::AlertReceived(alert)
                if is_client_cert_alert(alert)
                    || (requested && alert == rustls::AlertDescription::HandshakeFailure) =>
            {
                ConnectError::ClientCertificateRejected { addr, error, sent_cert: self.has_client_cert }
            }
            error => ConnectError::Tls { addr, error },
        }
    }
}

/// What `-v` shows of a finished handshake: the names as IANA registers them.
fn tls_info(conn: &rustls::ClientConnection) -> TlsInfo {
    let version = match conn.protocol_version() {
        Some(ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
        Some(ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_string(),
    };
    let cipher = conn.negotiated_cipher_suite().map_or_else(
        || "unknown".to_string(),
        |s| s.suite().as_str().map_or_else(|| format!("{:?}", s.suite()), str::to_string),
    );
    let alpn = conn.alpn_protocol().map_or_else(|| "none".to_string(), |p| String::from_utf8_lossy(p).into_owned());
    TlsInfo { version, cipher, alpn }
}

/// Reads every PEM certificate in `path`; errors are plain strings for the message.
pub(super) fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let certs = rustls_pemfile::certs(&mut bytes.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("bad PEM: {e}"))?;
    if certs.is_empty() {
        return Err("no PEM certificate (-----BEGIN CERTIFICATE-----) in it".to_string());
    }
    Ok(certs)
}

/// Reads the first PEM private key (PKCS#8, PKCS#1 or SEC1) in `path`.
pub(super) fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    rustls_pemfile::private_key(&mut bytes.as_slice())
        .map_err(|e| format!("bad PEM: {e}"))?
        .ok_or_else(|| "no PEM private key (-----BEGIN ... PRIVATE KEY-----) in it".to_string())
}

/// `--insecure`: accepts any server certificate, but still checks that the server holds the
/// certificate's key (handshake signatures), so the TLS session itself stays sound. Servers
/// under test often have self-signed certificates.
#[derive(Debug)]
struct AcceptAnyCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptAnyCert {
    fn new(provider: &CryptoProvider) -> AcceptAnyCert {
        AcceptAnyCert { algorithms: provider.signature_verification_algorithms }
    }
}

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// `--ca FILE`: the WebPKI verifier over the file's certificates, plus what curl (OpenSSL)
/// also accepts: a server certificate that is itself one of the file's certificates, even
/// when it is marked as a CA, or issued by a CA the file does not hold. `openssl req -x509`
/// makes the first kind (basicConstraints CA:TRUE) and test servers use it as their own;
/// WebPKI refuses a CA as an end entity (`CaUsedAsEndEntity`), and a leaf without its issuer
/// (`UnknownIssuer`), each only after the validity period has been checked. So the exception
/// is narrow: the leaf must be byte-for-byte a certificate the user gave, in date, and valid
/// for the server name; the handshake signature still proves the server holds its key.
#[derive(Debug)]
struct CaOrPinned {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for CaOrPinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(ref refused))
                if pinnable(refused) && self.pinned.iter().any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                let parsed = ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// Whether WebPKI refused the certificate only for what pinning it answers: a CA used as the
/// server's own, or an issuer the `--ca` file does not hold.
fn pinnable(refused: &CertificateError) -> bool {
    match refused {
        CertificateError::UnknownIssuer => true,
        CertificateError::Other(other) => is_ca_used_as_end_entity(other),
        _ => false,
    }
}

/// Whether WebPKI refused the certificate because it is a CA used as the server's own.
pub(crate) fn is_ca_used_as_end_entity(other: &rustls::OtherError) -> bool {
    other.0.downcast_ref::<webpki::Error>().is_some_and(|e| matches!(e, webpki::Error::CaUsedAsEndEntity))
}

/// Wraps the configured client-certificate resolver to record that the server sent a
/// CertificateRequest (rustls exposes no other way to learn it).
#[derive(Debug)]
struct WatchCertRequest {
    inner: Arc<dyn ResolvesClientCert>,
    requested: Arc<AtomicBool>,
}

impl ResolvesClientCert for WatchCertRequest {
    fn resolve(&self, root_hint_subjects: &[&[u8]], sigschemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.requested.store(true, Ordering::Relaxed);
        self.inner.resolve(root_hint_subjects, sigschemes)
    }

    fn only_raw_public_keys(&self) -> bool {
        self.inner.only_raw_public_keys()
    }

    fn has_certs(&self) -> bool {
        self.inner.has_certs()
    }
}
