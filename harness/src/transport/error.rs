//! Why a connection could not be made. Every message is one line that names the cause and,
//! where there is one, the flag that fixes it: these are shown to users verbatim.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use rustls::{AlertDescription, CertificateError};
use thiserror::Error;

/// The step of connecting that ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Looking the host name up.
    Resolving,
    /// The TCP three-way handshake.
    Connecting,
    /// The TLS handshake (including the short wait for a client-certificate verdict).
    TlsHandshake,
}

/// Why [`Connector::new`](super::Connector::new) or
/// [`Connector::connect`](super::Connector::connect) failed.
#[derive(Debug, Error)]
pub enum ConnectError {
    /// The `--ca` file could not be read or held no usable certificate.
    #[error("cannot read --ca file {}: {reason}", path.display())]
    CaFile {
        /// The file as given.
        path: PathBuf,
        /// What went wrong (I/O error, no PEM certificate, ...).
        reason: String,
    },
    /// The `--cert` file could not be read or held no certificate.
    #[error("cannot read --cert file {}: {reason}", path.display())]
    ClientCertFile {
        /// The file as given.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The `--key` file could not be read or held no private key.
    #[error("cannot read --key file {}: {reason}", path.display())]
    ClientKeyFile {
        /// The file as given.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The `--cert`/`--key` pair was read but rustls refused it (key does not match the
    /// certificate, unsupported key type, ...).
    #[error("cannot use --cert/--key: {reason}")]
    ClientAuthConfig {
        /// rustls' explanation.
        reason: String,
    },
    /// `--sni` is neither a DNS name nor an IP address.
    #[error("--sni '{name}' is not a valid DNS name or IP address")]
    InvalidSni {
        /// The value as given.
        name: String,
    },
    /// The URL's host is not acceptable as a TLS server name (e.g. it contains `_`).
    #[error("host '{host}' cannot be used as a TLS server name: pass --sni NAME")]
    InvalidServerName {
        /// The host from the URL.
        host: String,
    },
    /// The TLS client configuration could not be built (should not happen with the built-in
    /// provider; kept as an error rather than a panic).
    #[error("cannot set up TLS: {reason}")]
    TlsConfig {
        /// rustls' explanation.
        reason: String,
    },
    /// Name resolution failed.
    #[error("cannot resolve host '{host}': {source}")]
    Resolve {
        /// The host from the URL.
        host: String,
        /// The resolver's error.
        #[source]
        source: io::Error,
    },
    /// Name resolution succeeded but returned no address.
    #[error("no address for host '{host}'")]
    NoAddress {
        /// The host from the URL.
        host: String,
    },
    /// Every resolved address was refused by the caller's filter (a flood's loopback rule).
    #[error("host '{host}' no longer resolves to a loopback address; floods go only to loopback unless --i-own-this-target is given")]
    AddressNotAllowed {
        /// The host from the URL.
        host: String,
    },
    /// The server's machine answered the SYN with a reset: nothing listens on that port.
    #[error("connection refused by {addr} (is the server running?)")]
    Refused {
        /// The address tried (`127.0.0.1:9`, `[::1]:8080`).
        addr: String,
    },
    /// Any other TCP connect failure (unreachable network, permission, ...).
    #[error("cannot connect to {addr}: {source}")]
    Tcp {
        /// The address tried.
        addr: String,
        /// The socket error.
        #[source]
        source: io::Error,
    },
    /// The `--timeout` elapsed before the connection was ready.
    #[error("timed out {} {addr} after {} ms{}", stage_phrase(*.stage), .after.as_millis(), stage_hint(*.stage))]
    TimedOut {
        /// Which step was running.
        stage: Stage,
        /// The address (or `host:port` before resolution).
        addr: String,
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The server's certificate was rejected by our verifier (unknown issuer, wrong name,
    /// expired, ...).
    #[error("TLS handshake with {addr} failed: {error} ({})", cert_hint(error))]
    ServerCertificate {
        /// The address connected to.
        addr: String,
        /// rustls' verdict, always [`rustls::Error::InvalidCertificate`].
        error: rustls::Error,
    },
    /// The server refused our client certificate, or our lack of one (mutual TLS).
    #[error("TLS handshake with {addr} failed: the server rejected {} ({error}); {}",
        if *.sent_cert { "our client certificate" } else { "the connection without a client certificate" },
        if *.sent_cert { "is --cert issued by a CA the server trusts?" } else { "it requires one: pass --cert FILE --key FILE" })]
    ClientCertificateRejected {
        /// The address connected to.
        addr: String,
        /// What the server said, usually an alert such as `CertificateRequired`.
        error: rustls::Error,
        /// Whether we had a certificate to send (`--cert`/`--key` given).
        sent_cert: bool,
    },
    /// Any other TLS protocol failure (alert, no common cipher suite, garbage from a
    /// non-TLS server, ...).
    #[error("TLS handshake with {addr} failed: {error}{}", tls_hint(error))]
    Tls {
        /// The address connected to.
        addr: String,
        /// rustls' error.
        error: rustls::Error,
    },
    /// The socket failed or was closed during the TLS handshake.
    #[error("TLS handshake with {addr} failed: {} (is it a TLS server? for h2c use http://)", describe_io(source))]
    TlsIo {
        /// The address connected to.
        addr: String,
        /// The socket error (`UnexpectedEof` when the server hung up).
        #[source]
        source: io::Error,
    },
    /// The server finished the handshake, asked for a client certificate, then hung up.
    #[error("server {addr} closed the TLS connection right after the handshake; {}",
        if *.sent_cert { "it may not accept our client certificate (is --cert issued by a CA it trusts?)" }
        else { "it may require a client certificate (pass --cert FILE --key FILE)" })]
    ClosedAfterHandshake {
        /// The address connected to.
        addr: String,
        /// Whether we had a certificate to send.
        sent_cert: bool,
    },
    /// TLS succeeded but the server did not select ALPN `h2` (RFC 9113 §3.2 requires it).
    #[error("server did not negotiate ALPN h2 (got {})", alpn_phrase(got))]
    AlpnNotH2 {
        /// The protocol the server selected, if any (`http/1.1`).
        got: Option<String>,
    },
}

fn stage_phrase(stage: Stage) -> &'static str {
    match stage {
        Stage::Resolving => "resolving",
        Stage::Connecting => "connecting to",
        Stage::TlsHandshake => "in the TLS handshake with",
    }
}

fn stage_hint(stage: Stage) -> &'static str {
    match stage {
        Stage::TlsHandshake => " (is it a TLS server? for h2c use http://)",
        _ => "",
    }
}

fn cert_hint(error: &rustls::Error) -> &'static str {
    match error {
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "use --sni NAME, --ca FILE or --insecure",
        _ => "use --insecure or --ca FILE",
    }
}

fn tls_hint(error: &rustls::Error) -> &'static str {
    match error {
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            " (is it a TLS server? for h2c use http://)"
        }
        _ => "",
    }
}

fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "the server closed the connection".to_string(),
        io::ErrorKind::ConnectionReset => "the server reset the connection".to_string(),
        _ => e.to_string(),
    }
}

fn alpn_phrase(got: &Option<String>) -> String {
    match got {
        Some(p) => p.clone(),
        None => "none; does the server support HTTP/2 over TLS?".to_string(),
    }
}

/// Alerts a server sends about the client's certificate (or its absence).
pub(crate) fn is_client_cert_alert(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnknownCA
    )
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(stage_phrase(*self))
    }
}
