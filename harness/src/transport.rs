//! Transports: the `<URL>` argument, TCP, and TLS with ALPN `h2`.
//!
//! [`Target::parse`] turns the URL into what the driver needs; a [`Connector`], built once
//! per run so that certificate files are read and the TLS configuration is built only once,
//! then opens as many fresh connections as the cases need ([`Connector::connect`]). Both
//! report problems as one-line, user-facing errors ([`TargetError`], [`ConnectError`]):
//! connection problems are the user's most common trouble, and the CLI shows them verbatim.

pub mod accept;
mod error;
mod target;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

pub use error::{ConnectError, Stage};
pub use target::{Scheme, Target, TargetError};

use tls::TlsSetup;

/// The TLS flags of the command line (`--insecure`, `--ca`, `--cert/--key`, `--sni`).
/// Ignored for `http://` targets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// `--insecure`: accept any server certificate (handshake signatures are still checked).
    pub insecure: bool,
    /// `--ca FILE`: trust only the PEM certificates in this file instead of the bundled
    /// Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// `--cert FILE --key FILE`: a PEM certificate chain and its PEM private key, for servers
    /// that require mutual TLS.
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// `--sni NAME`: the server name to send and verify, instead of the URL's host.
    pub sni: Option<String>,
}

/// What a TLS handshake settled, for `-v`: `TLS 1.3`, `TLS13_AES_256_GCM_SHA384`, `h2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsInfo {
    /// The protocol version (`TLS 1.2`, `TLS 1.3`).
    pub version: String,
    /// The cipher suite's IANA name.
    pub cipher: String,
    /// The ALPN protocol the server selected (always `h2` once connected).
    pub alpn: String,
}

impl std::fmt::Display for TlsInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, cipher {}, ALPN {}", self.version, self.cipher, self.alpn)
    }
}

/// A byte stream to the server: a plain TCP socket (h2c) or a TLS session over one.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// An established connection, whatever its kind; the driver only reads and writes bytes.
pub type BoxIo = Box<dyn Io>;

/// Opens connections to one target. Build it once per run ([`Connector::new`]) and share it
/// (it is `Send + Sync`) between the parallel cases.
#[derive(Debug, Clone)]
pub struct Connector {
    host: String,
    port: u16,
    host_port: String,
    tls: Option<TlsSetup>,
}

impl Connector {
    /// Prepares connections to `target`. For `https://` targets this reads the `--ca`,
    /// `--cert` and `--key` files and builds the TLS configuration, so that bad files are
    /// reported once, up front, rather than by every case.
    pub fn new(target: &Target, tls: &TlsOptions) -> Result<Connector, ConnectError> {
        let tls = match target.scheme {
            Scheme::H2c => None,
            Scheme::Tls => Some(TlsSetup::new(&target.host, tls)?),
        };
        Ok(Connector { host: target.host.clone(), port: target.port, host_port: target.host_port(), tls })
    }

    /// Opens a fresh connection: resolves the host, connects over TCP (with `TCP_NODELAY`,
    /// since the driver writes frames individually and timing matters), and for TLS performs
    /// the handshake and checks that ALPN selected `h2`. The whole sequence shares one
    /// `timeout`. Addresses are tried in resolver order until one accepts.
    pub async fn connect(&self, timeout: Duration) -> Result<BoxIo, ConnectError> {
        self.connect_where(timeout, |_| true).await
    }

    /// Like [`Connector::connect`], and says what TLS settled (`None` for h2c), so the
    /// first connection of a run can show it.
    pub async fn connect_with_info(&self, timeout: Duration) -> Result<(BoxIo, Option<TlsInfo>), ConnectError> {
        self.connect_inner(timeout, |_| true, None).await
    }

    /// Like [`Connector::connect`], but only to resolved addresses that `allowed` accepts;
    /// [`crate::safety::FloodPermit`] uses it so a flood cannot leave loopback even if the
    /// name resolves differently by the time a case connects.
    pub async fn connect_where(&self, timeout: Duration, allowed: fn(&SocketAddr) -> bool) -> Result<BoxIo, ConnectError> {
        Ok(self.connect_inner(timeout, allowed, None).await?.0)
    }

    /// Like [`Connector::connect_where`], with the socket's receive buffer set to
    /// `recv_buffer` octets before connecting, so the window it advertises stays that small:
    /// an attack that does not read needs the server's output to back up into the server,
    /// not into a few MiB of our kernel buffers.
    pub async fn connect_small_receive(&self, timeout: Duration, allowed: fn(&SocketAddr) -> bool, recv_buffer: u32) -> Result<BoxIo, ConnectError> {
        Ok(self.connect_inner(timeout, allowed, Some(recv_buffer)).await?.0)
    }

    async fn connect_inner(
        &self,
        timeout: Duration,
        allowed: fn(&SocketAddr) -> bool,
        recv_buffer: Option<u32>,
    ) -> Result<(BoxIo, Option<TlsInfo>), ConnectError> {
        let start = Instant::now();
        // A huge --timeout must not overflow the clock: treat it as "a very long time".
        let deadline = start.checked_add(timeout).unwrap_or_else(|| start + Duration::from_secs(60 * 60 * 24 * 365));
        let timed_out = |stage, addr: &str| ConnectError::TimedOut { stage, addr: addr.to_string(), after: timeout };

        let addrs =
            match tokio::time::timeout_at(deadline, tokio::net::lookup_host((self.host.as_str(), self.port))).await {
                Err(_) => return Err(timed_out(Stage::Resolving, &self.host_port)),
                Ok(Err(source)) => return Err(ConnectError::Resolve { host: self.host.clone(), source }),
                Ok(Ok(addrs)) => addrs.collect::<Vec<_>>(),
            };
        let resolved = addrs.len();
        let addrs: Vec<SocketAddr> = addrs.into_iter().filter(allowed).collect();
        if resolved > 0 && addrs.is_empty() {
            return Err(ConnectError::AddressNotAllowed { host: self.host.clone() });
        }
        let mut first_error = None;
        let mut connected = None;
        for addr in addrs {
            let attempt_start = Instant::now();
            let socket = match addr {
                SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
                SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
            };
            let socket = match socket {
                Ok(s) => s,
                Err(source) => return Err(ConnectError::Tcp { addr: addr.to_string(), source }),
            };
            if let Some(size) = recv_buffer {
                // The kernel may round it; a failure only makes the attack less exact.
                let _ = socket.set_recv_buffer_size(size);
            }
            match tokio::time::timeout_at(deadline, socket.connect(addr)).await {
                Err(_) => return Err(timed_out(Stage::Connecting, &addr.to_string())),
                Ok(Ok(stream)) => {
                    connected = Some((stream, addr, attempt_start.elapsed()));
                    break;
                }
                Ok(Err(e)) => {
                    first_error.get_or_insert((addr, e));
                }
            }
        }
        let Some((tcp, addr, rtt)) = connected else {
            return Err(match first_error {
                None => ConnectError::NoAddress { host: self.host.clone() },
                Some((addr, e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    ConnectError::Refused { addr: addr.to_string() }
                }
                Some((addr, source)) => ConnectError::Tcp { addr: addr.to_string(), source },
            });
        };
        // Failing to disable Nagle only costs latency, never correctness: not worth failing.
        let _ = tcp.set_nodelay(true);
        match &self.tls {
            None => Ok((Box::new(tcp), None)),
            Some(tls) => {
                let (stream, info) = tls.handshake(tcp, &addr.to_string(), rtt, deadline, timeout).await?;
                Ok((Box::new(stream), Some(info)))
            }
        }
    }

    /// `host:port` of the target, as used in messages (`[::1]:8443`).
    pub fn host_port(&self) -> &str {
        &self.host_port
    }
}
