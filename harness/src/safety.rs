//! The one gate every flood goes through.
//!
//! A resilience case sends thousands of frames on purpose; pointed at someone else's
//! server that is an attack. So a flood runs only against loopback (127.0.0.0/8, ::1, or a
//! name that resolves to nothing but loopback) unless the user states they own the target
//! (`--i-own-this-target`). The rule is decided here, once, by [`authorize`]; the flood
//! driver takes a [`FloodPermit`] by type, and only [`authorize`] makes one, so no path
//! (`stress`, `conform` with the `flood` tag, `demo`, tests) can flood without passing
//! through it. Connections of a flood are opened by [`FloodPermit::connect`], which for a
//! loopback-only permit refuses any address that is not loopback at connect time too, so a
//! name that resolves differently later cannot redirect the flood.

use crate::transport::{BoxIo, ConnectError, Connector, Target};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Proof that floods against one target were authorised. Only [`authorize`] creates one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloodPermit {
    loopback_only: bool,
}

/// Why floods against a target were refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FloodRefused {
    /// The target is not (or does not resolve only to) loopback, and the user did not say
    /// they own it.
    #[error(
        "refusing to flood {host}: {why}; resilience cases run only against loopback (127.0.0.0/8, ::1) \
         unless you own the target and pass --i-own-this-target"
    )]
    NotLoopback {
        /// The host from the URL.
        host: String,
        /// What it is or resolves to.
        why: String,
    },
}

/// Whether the user has declared that they own the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// No declaration: loopback only.
    NotDeclared,
    /// `--i-own-this-target`.
    Declared,
}

/// Decides whether floods may be sent to `target`: always with [`Ownership::Declared`];
/// otherwise only when the host is a loopback literal or resolves to loopback addresses
/// only (a name with one public address among loopback ones is refused).
pub async fn authorize(target: &Target, ownership: Ownership) -> Result<FloodPermit, FloodRefused> {
    if ownership == Ownership::Declared {
        return Ok(FloodPermit { loopback_only: false });
    }
    let refuse = |why: String| FloodRefused::NotLoopback { host: target.host.clone(), why };
    if let Ok(ip) = target.host.parse::<IpAddr>() {
        return if ip.is_loopback() {
            Ok(FloodPermit { loopback_only: true })
        } else {
            Err(refuse(format!("{ip} is not a loopback address")))
        };
    }
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::lookup_host((target.host.as_str(), target.port)),
    )
    .await
    {
        Ok(Ok(a)) => a.collect(),
        Ok(Err(e)) => return Err(refuse(format!("it does not resolve ({e})"))),
        Err(_) => return Err(refuse("resolving it timed out".into())),
    };
    if addrs.is_empty() {
        return Err(refuse("it resolves to no address".into()));
    }
    match addrs.iter().find(|a| !a.ip().is_loopback()) {
        Some(a) => Err(refuse(format!("it resolves to {}, which is not loopback", a.ip()))),
        None => Ok(FloodPermit { loopback_only: true }),
    }
}

impl FloodPermit {
    /// Whether connections are restricted to loopback addresses.
    pub fn loopback_only(&self) -> bool {
        self.loopback_only
    }

    /// Opens an attack's connection under this permit, with a small receive buffer
    /// ([`Connector::connect_small_receive`]).
    pub async fn connect_small_receive(&self, connector: &Connector, timeout: Duration, recv_buffer: u32) -> Result<BoxIo, ConnectError> {
        let allowed: fn(&SocketAddr) -> bool = if self.loopback_only { |a| a.ip().is_loopback() } else { |_| true };
        connector.connect_small_receive(timeout, allowed, recv_buffer).await
    }

    /// Opens a connection for a flood (or its probes) under this permit.
    pub async fn connect(&self, connector: &Connector, timeout: Duration) -> Result<BoxIo, ConnectError> {
        if self.loopback_only {
            connector.connect_where(timeout, |a| a.ip().is_loopback()).await
        } else {
            connector.connect(timeout).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn check(url: &str) -> Result<FloodPermit, FloodRefused> {
        let t = Target::parse(url).expect("url");
        authorize(&t, Ownership::NotDeclared).await
    }

    #[tokio::test]
    async fn loopback_literals_pass() {
        for url in ["http://127.0.0.1:1/", "http://127.8.9.10:1/", "https://[::1]:1/", "http://localhost:1/"] {
            let p = check(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(p.loopback_only(), "{url}");
        }
    }

    #[tokio::test]
    async fn other_addresses_are_refused_unless_owned() {
        for url in ["http://10.0.0.1:1/", "http://192.0.2.1:80/", "https://[2001:db8::1]:1/", "http://0.0.0.0:1/"] {
            let e = check(url).await.expect_err(url);
            assert!(e.to_string().contains("--i-own-this-target"), "{e}");
        }
        let t = Target::parse("http://192.0.2.1:80/").expect("url");
        let p = authorize(&t, Ownership::Declared).await.expect("declared ownership");
        assert!(!p.loopback_only());
    }
}
