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
    #[error("TLS handshake with {addr} failed: {} ({})", tls_sentence(error), cert_hint(error, *.ca_file))]
    ServerCertificate {
        /// The address connected to.
        addr: String,
        /// rustls' verdict, always [`rustls::Error::InvalidCertificate`].
        error: rustls::Error,
        /// Whether `--ca FILE` was given (the hint then points elsewhere).
        ca_file: bool,
    },
    /// The server refused our client certificate, or our lack of one (mutual TLS).
    #[error("TLS handshake with {addr} failed: the server rejected {} ({}); {}",
        if *.sent_cert { "our client certificate" } else { "the connection without a client certificate" },
        tls_sentence(error),
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
    #[error("TLS handshake with {addr} failed: {}{}", tls_sentence(error), tls_hint(error))]
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

fn cert_hint(error: &rustls::Error, ca_file: bool) -> &'static str {
    match error {
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "use --sni NAME, --ca FILE or --insecure",
        rustls::Error::InvalidCertificate(CertificateError::Other(o)) if super::tls::is_ca_used_as_end_entity(o) => {
            if ca_file {
                "--ca pins such a certificate only when the file holds that very certificate; or use --insecure"
            } else {
                "pass that certificate file with --ca FILE to trust it, as curl --cacert does, or use --insecure"
            }
        }
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) if ca_file => {
            "is the --ca file the CA that issued it? --insecure skips the check"
        }
        _ if ca_file => "check the --ca file, or use --insecure",
        _ => "use --insecure or --ca FILE",
    }
}

/// A rustls error as a sentence. rustls's own messages often end in a Rust debug name
/// (`invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))`, `received corrupt
/// message of type InvalidContentType`), which tells a user nothing.
pub(crate) fn tls_sentence(error: &rustls::Error) -> String {
    use rustls::Error as E;
    match error {
        E::InvalidCertificate(c) => cert_sentence(c),
        E::InvalidMessage(m) => format!("the server sent something that is not TLS ({})", words(&format!("{m:?}"))),
        E::InappropriateMessage { .. } | E::InappropriateHandshakeMessage { .. } => {
            "the server sent a TLS message out of order".to_string()
        }
        E::AlertReceived(a) => format!("the server sent the TLS alert {}", alert_name(*a)),
        E::PeerIncompatible(p) => format!(
            "the server and h2probe have no TLS version, cipher suite or key exchange in common ({})",
            words(&format!("{p:?}"))
        ),
        E::PeerMisbehaved(p) => format!("the server broke the TLS protocol ({})", words(&format!("{p:?}"))),
        E::NoCertificatesPresented => "the server sent no certificate".to_string(),
        E::DecryptError => "a TLS record from the server did not decrypt".to_string(),
        other => other.to_string(),
    }
}

fn cert_sentence(c: &CertificateError) -> String {
    use CertificateError as C;
    match c {
        C::UnknownIssuer => "its certificate is not signed by a CA h2probe trusts".to_string(),
        C::BadEncoding => "its certificate does not parse".to_string(),
        C::Expired | C::ExpiredContext { .. } => "its certificate has expired".to_string(),
        C::NotValidYet | C::NotValidYetContext { .. } => {
            "its certificate is not valid yet (is this machine's clock right?)".to_string()
        }
        C::NotValidForName => "its certificate is not valid for this host name".to_string(),
        C::NotValidForNameContext { expected, presented } => {
            let names: Vec<String> = presented.iter().map(|n| plain_name(n)).collect();
            let names = if names.is_empty() { "no names".to_string() } else { names.join(", ") };
            format!("its certificate is not valid for {} (it names {names})", expected.to_str())
        }
        C::Revoked => "its certificate has been revoked".to_string(),
        C::UnhandledCriticalExtension => "its certificate has a critical extension h2probe does not know".to_string(),
        C::BadSignature => "its certificate's signature does not verify".to_string(),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "its certificate is not meant for TLS servers (extended key usage)".to_string()
        }
        C::Other(o) if super::tls::is_ca_used_as_end_entity(o) => {
            "its certificate is a CA certificate used as the server's own (a self-signed one, as `openssl req -x509` makes)"
                .to_string()
        }
        C::Other(o) => format!("its certificate was refused ({})", words(&o.to_string())),
        other => format!("its certificate was refused ({})", words(&format!("{other:?}"))),
    }
}

/// `DnsName("localhost")` → `localhost`, `IpAddress(127.0.0.1)` → `127.0.0.1`.
fn plain_name(n: &str) -> String {
    let inner = n.strip_prefix("DnsName(").or_else(|| n.strip_prefix("IpAddress(")).and_then(|r| r.strip_suffix(')'));
    inner.unwrap_or(n).trim_matches('"').to_string()
}

/// An alert by its registered name: `HandshakeFailure` → `handshake_failure`.
fn alert_name(a: AlertDescription) -> String {
    let mut out = String::new();
    for (i, ch) in format!("{a:?}").chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// A Rust debug name in words: `InvalidContentType` → `invalid content type`.
fn words(debug: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for ch in debug.chars() {
        if ch.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        out.push(if ch.is_ascii_uppercase() { ch.to_ascii_lowercase() } else { ch });
    }
    out.replace(['(', ')', '{', '}'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_errors_read_as_sentences() {
        let e = rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType);
        assert_eq!(tls_sentence(&e), "the server sent something that is not TLS (invalid content type)");
        let e = rustls::Error::AlertReceived(AlertDescription::HandshakeFailure);
        assert_eq!(tls_sentence(&e), "the server sent the TLS alert handshake_failure");
        let e = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        assert_eq!(tls_sentence(&e), "its certificate is not signed by a CA h2probe trusts");
        assert_eq!(plain_name("DnsName(\"localhost\")"), "localhost");
        assert_eq!(plain_name("IpAddress(127.0.0.1)"), "127.0.0.1");
    }
}
