//! The `<URL>` argument: which server to probe and how to reach it.

use std::fmt;
use std::net::IpAddr;

use thiserror::Error;

/// How h2probe speaks HTTP/2 to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http://`: cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3); no Upgrade dance.
    H2c,
    /// `https://`: TLS with ALPN `h2` (RFC 9113 §3.2).
    Tls,
}

impl Scheme {
    /// The port used when the URL names none: 80 for `http`, 443 for `https`.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::H2c => 80,
            Scheme::Tls => 443,
        }
    }

    /// The URL scheme, which is also the `:scheme` pseudo-header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::H2c => "http",
            Scheme::Tls => "https",
        }
    }
}

/// A parsed `<URL>`: everything the transport needs to connect and the driver needs for the
/// `:scheme`, `:authority` and `:path` pseudo-headers of its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Cleartext prior knowledge or TLS.
    pub scheme: Scheme,
    /// The host to resolve and connect to: a DNS name (lowercased, IDNA-encoded), an IPv4
    /// literal, or an IPv6 literal *without* brackets (`::1`).
    pub host: String,
    /// The TCP port; the scheme's default when the URL names none.
    pub port: u16,
    /// Path and query (`/a/b?c=d`), percent-encoded as it goes on the wire; `/` when empty.
    pub path: String,
    /// The `:authority` value: the host (IPv6 in brackets) plus `:port` exactly when the URL
    /// wrote a port, so that `http://h:80/` sends `h:80` and `http://h/` sends `h`.
    pub authority: String,
}

/// Why a `<URL>` argument was refused. Each message names the problem and how to fix it,
/// because it is shown to the user verbatim (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetError {
    /// The argument was empty or only whitespace.
    #[error("empty URL: expected http://host[:port][/path] (h2c) or https://host[:port][/path] (TLS)")]
    Empty,
    /// No `scheme://` prefix (e.g. `localhost:8080`); we refuse to guess between h2c and TLS.
    #[error("URL '{url}' has no scheme: write http://{url} for h2c (prior knowledge) or https://{url} for TLS")]
    MissingScheme {
        /// The argument as given.
        url: String,
    },
    /// `http:/host` or `http:host`: a known scheme without its two slashes.
    #[error("URL '{url}' needs two slashes after '{scheme}:': write {fixed}")]
    MissingSlashes {
        /// The argument as given.
        url: String,
        /// `http` or `https`, as written.
        scheme: String,
        /// The URL with `//`.
        fixed: String,
    },
    /// A scheme other than `http` or `https`.
    #[error("unsupported URL scheme '{scheme}': use http:// (h2c, prior knowledge) or https:// (TLS with ALPN h2)")]
    UnsupportedScheme {
        /// The scheme as written.
        scheme: String,
    },
    /// Nothing between `://` and the path (`http:///x`, `https://:8443/`).
    #[error("URL '{url}' has no host")]
    MissingHost {
        /// The argument as given.
        url: String,
    },
    /// `user:pass@host`: h2probe sends no credentials, and silently dropping them would
    /// probe something other than what the user asked for.
    #[error("URL '{url}' contains user credentials (user@host), which h2probe does not send: remove them")]
    UserInfo {
        /// The argument as given.
        url: String,
    },
    /// `#fragment`: fragments are never sent to servers, so one is almost certainly a mistake.
    #[error("URL '{url}' contains a fragment (#...), which is never sent to a server: remove it")]
    Fragment {
        /// The argument as given.
        url: String,
    },
    /// Anything else the URL parser rejected (bad port, bad IP literal, bad characters).
    #[error("invalid URL '{url}': {reason}")]
    Invalid {
        /// The argument as given.
        url: String,
        /// The parser's explanation, e.g. "invalid port number".
        reason: String,
    },
}

impl Target {
    /// Parses the `<URL>` argument. Only `http://` (h2c) and `https://` (TLS) are accepted;
    /// user credentials and fragments are errors rather than silently dropped.
    pub fn parse(url: &str) -> Result<Target, TargetError> {
        let input = url.trim();
        if input.is_empty() {
            return Err(TargetError::Empty);
        }
        let owned = || input.to_string();
        let Some((scheme_raw, rest)) = input.split_once("://") else {
            if let Some((s, rest)) = input.split_once(':') {
                if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") {
                    let fixed = format!("{s}://{}", rest.trim_start_matches('/'));
                    return Err(TargetError::MissingSlashes { url: owned(), scheme: s.to_string(), fixed });
                }
            }
            // `host:port` parses as a URL with scheme `host`; catch it with a clearer message.
            return Err(match input.split_once(':') {
                Some((s, _)) if is_scheme_like(s) && !looks_like_host_port(input) => {
                    TargetError::UnsupportedScheme { scheme: s.to_string() }
                }
                _ => TargetError::MissingScheme { url: owned() },
            });
        };
        let scheme = match scheme_raw.to_ascii_lowercase().as_str() {
            "http" => Scheme::H2c,
            "https" => Scheme::Tls,
            _ => return Err(TargetError::UnsupportedScheme { scheme: scheme_raw.to_string() }),
        };
        // The authority as written, for the checks the URL parser would paper over
        // (`http:///x` means host `x` to it; `@` userinfo would be dropped by us).
        let raw_authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
        if raw_authority.contains('@') {
            return Err(TargetError::UserInfo { url: owned() });
        }
        if raw_authority.is_empty() || raw_authority.starts_with(':') {
            return Err(TargetError::MissingHost { url: owned() });
        }
        let parsed = url::Url::parse(input).map_err(|e| match e {
            url::ParseError::EmptyHost => TargetError::MissingHost { url: owned() },
            other => TargetError::Invalid { url: owned(), reason: other.to_string() },
        })?;
        if parsed.fragment().is_some() {
            return Err(TargetError::Fragment { url: owned() });
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(TargetError::UserInfo { url: owned() });
        }
        let (host, authority_host) = match parsed.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => (d.to_string(), d.to_string()),
            Some(url::Host::Ipv4(a)) => (a.to_string(), a.to_string()),
            Some(url::Host::Ipv6(a)) => (a.to_string(), format!("[{a}]")),
            _ => return Err(TargetError::MissingHost { url: owned() }),
        };
        let port = parsed.port().unwrap_or(scheme.default_port());
        let authority =
            if has_explicit_port(raw_authority) { format!("{authority_host}:{port}") } else { authority_host };
        let mut path = parsed.path().to_string();
        if path.is_empty() {
            path.push('/');
        }
        if let Some(q) = parsed.query() {
            path.push('?');
            path.push_str(q);
        }
        Ok(Target { scheme, host, port, path, authority })
    }

    /// The `:scheme` value: `"http"` or `"https"`.
    pub fn scheme_str(&self) -> &'static str {
        self.scheme.as_str()
    }

    /// The target as a normalized URL (`https://[::1]:8443/x?y`), for reports.
    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme_str(), self.authority, self.path)
    }

    /// `host:port` as used in connection error messages (`[::1]:8080`, `example.com:443`).
    pub fn host_port(&self) -> String {
        match self.ip() {
            Some(IpAddr::V6(a)) => format!("[{a}]:{}", self.port),
            _ => format!("{}:{}", self.host, self.port),
        }
    }

    /// The host as an IP address when the URL names one literally.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// Whether the target is certainly this machine: an IP literal in 127.0.0.0/8, `::1`,
    /// or the name `localhost`. Floods are refused against anything else unless the user
    /// says they own it, so this errs on the side of `false` (no DNS lookup, no
    /// `*.localhost`, no IPv4-mapped forms).
    pub fn is_loopback(&self) -> bool {
        match self.ip() {
            Some(IpAddr::V4(a)) => a.is_loopback(),
            Some(IpAddr::V6(a)) => a.is_loopback(),
            None => self.host.eq_ignore_ascii_case("localhost"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

impl std::str::FromStr for Target {
    type Err = TargetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

/// RFC 3986 scheme syntax: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
fn is_scheme_like(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `localhost:8080` or `example.com:443/x`: a forgotten scheme rather than a strange one.
fn looks_like_host_port(s: &str) -> bool {
    s.split_once(':').is_some_and(|(_, rest)| {
        let port = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Whether the authority as written carries a non-empty `:port` (after any `[v6]` literal).
fn has_explicit_port(raw_authority: &str) -> bool {
    let port = match raw_authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').and_then(|(_, after)| after.strip_prefix(':')),
        None => raw_authority.split_once(':').map(|(_, port)| port),
    };
    port.is_some_and(|p| !p.is_empty())
}
