//! One connection and one HTTP/2 handshake before a run: is this endpoint HTTP/2 at all?
//!
//! Without it, a target that is not HTTP/2 (an HTTP/1.1 server, a TLS port given as
//! `http://`, a port that accepts and never speaks) makes every case of the suite error, one
//! by one, each after its own timeout, and the few cases whose pass is a close or a bad
//! answer to a bad preface even pass. The CLI runs [`check`] first and turns its error into
//! one line and exit status 2 (README.md: "2 for a usage or connection error").
//!
//! The check records the first octets the server sends (while the ordinary driver performs
//! the handshake over them) and, when the handshake fails, names what those octets were: an
//! HTTP/1.x status line, a TLS record, nothing at all, a close, or something else.

use crate::conn::{Conn, ConnOptions, HandshakeError};
use crate::event::Event;
use crate::transport::{BoxIo, ConnectError, Connector, Scheme, Target, TlsInfo};
use h2probe_codec::{frames, StreamId};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// How many of the server's first octets are kept to name what it speaks.
const RECORDED: usize = 64;

/// A server that completed the HTTP/2 handshake.
pub struct Ready {
    /// The connection, handshake done: more requests can go on it.
    pub conn: Conn,
    /// What TLS settled, for `https://` targets.
    pub tls: Option<TlsInfo>,
}

/// What a plain GET of the target's path got (see [`Ready::get`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAnswer {
    /// The response's `:status`, if it had one.
    pub status: Option<u16>,
    /// The `server` header, control characters removed, at most 100 characters.
    pub server: Option<String>,
}

/// Why the endpoint cannot be tested. Each message is one line, shown verbatim.
#[derive(Debug, thiserror::Error)]
pub enum NotHttp2 {
    /// No connection at all (refused, TLS failure, no ALPN h2, ...).
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The server answered the HTTP/2 preface in HTTP/1.x.
    #[error("{addr}: the server answered {status}: it does not speak {} on this port (\"{line}\")",
        if *.tls { "HTTP/2 over TLS" } else { "h2c with prior knowledge" })]
    Http1 {
        /// `host:port`.
        addr: String,
        /// `HTTP/1.1 400`.
        status: String,
        /// The whole status line, cut at 80 characters.
        line: String,
        /// Whether this was inside TLS.
        tls: bool,
    },
    /// An `http://` URL, but the port answered with a TLS record.
    #[error("{addr}: this port speaks TLS ({how}): use {https}")]
    TlsOnH2c {
        /// `host:port`.
        addr: String,
        /// What showed it: `it answered the h2c preface with a TLS alert record`, ...
        how: String,
        /// The same URL with `https://`.
        https: String,
    },
    /// An HTML page with no status line: an HTTP/1.x server that took the preface for an
    /// HTTP/0.9 request (Python's http.server does) and sent only the error page.
    #[error("{addr}: the server answered with an HTML page and no status line (an HTTP/1.x server's error page): it does not speak {} on this port",
        if *.tls { "HTTP/2 over TLS" } else { "h2c with prior knowledge" })]
    Html {
        /// `host:port`.
        addr: String,
        /// Whether this was inside TLS.
        tls: bool,
    },
    /// Nothing within the timeout.
    #[error("{addr}: no SETTINGS within {}: the server accepted the connection but sent nothing{}",
        humanize(*.after), if *.tls { "" } else { " (an HTTP/1.1 server waiting for the rest of a request, or a TLS port? then use https://)" })]
    Silent {
        /// `host:port`.
        addr: String,
        /// The timeout that passed.
        after: Duration,
        /// Whether this was inside TLS.
        tls: bool,
    },
    /// Closed (or reset) before sending a single octet.
    #[error("{addr}: the server {} the connection before sending any frame{}",
        if *.reset { "reset" } else { "closed" }, if *.tls { "" } else { " (is it a TLS port? then use https://)" })]
    Closed {
        /// `host:port`.
        addr: String,
        /// A reset rather than an orderly close.
        reset: bool,
        /// Whether this was inside TLS.
        tls: bool,
    },
    /// Something that is neither HTTP/2 nor any of the above.
    #[error("{addr}: the server does not speak HTTP/2: garbage where its SETTINGS frame was due, first octets {octets}")]
    Garbage {
        /// `host:port`.
        addr: String,
        /// The first octets in hex, with their printable ASCII.
        octets: String,
    },
    /// HTTP/2 frames came, but the handshake did not complete (GOAWAY, a close after
    /// SETTINGS, our SETTINGS never acknowledged).
    #[error("{addr}: the HTTP/2 handshake failed: {detail}")]
    Handshake {
        /// `host:port`.
        addr: String,
        /// What happened, from the driver.
        detail: String,
    },
}

/// Connects once and performs the HTTP/2 handshake, all within `timeout`.
pub async fn check(target: &Target, connector: &Connector, timeout: Duration) -> Result<Ready, NotHttp2> {
    let start = Instant::now();
    let deadline = start.checked_add(timeout).unwrap_or_else(|| start + Duration::from_secs(60 * 60 * 24 * 365));
    let (io, tls) = connector.connect_with_info(timeout).await?;
    let seen = Arc::new(Mutex::new(Vec::with_capacity(RECORDED)));
    let recorder: BoxIo = Box::new(Recorder { inner: io, seen: seen.clone(), full: false });
    let mut conn = Conn::new(recorder, ConnOptions::default());
    match conn.handshake(deadline).await {
        Ok(()) => Ok(Ready { conn, tls }),
        Err(e) => {
            let first = seen.lock().map(|v| v.clone()).unwrap_or_default();
            match classify(target, &first, &e, timeout) {
                NotHttp2::Closed { addr, tls: false, .. } if speaks_tls(target, timeout).await => {
                    Err(NotHttp2::TlsOnH2c {
                        addr,
                        how: "it closed on the h2c preface and answers a TLS ClientHello".to_string(),
                        https: https_url(target),
                    })
                }
                other => Err(other),
            }
        }
    }
}

/// Whether the port answers a TLS ClientHello. Many TLS servers (OpenSSL's among them) hang
/// up on the h2c preface without a word, which alone does not tell a TLS port from any other
/// server that closes; this second connection is made only then, and only for `http://`.
async fn speaks_tls(target: &Target, timeout: Duration) -> bool {
    let Ok(https) = Target::parse(&https_url(target)) else { return false };
    let Ok(connector) = Connector::new(&https, &crate::transport::TlsOptions { insecure: true, ..Default::default() }) else {
        return false;
    };
    match connector.connect(timeout).await {
        Ok(_) => true,
        Err(e) => !matches!(
            e,
            ConnectError::TlsIo { .. }
                | ConnectError::TimedOut { .. }
                | ConnectError::Refused { .. }
                | ConnectError::Tcp { .. }
                | ConnectError::Tls {
                    error: rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. },
                    ..
                }
        ),
    }
}

/// The same URL with `https://`.
fn https_url(target: &Target) -> String {
    let mut https = target.clone();
    https.scheme = Scheme::Tls;
    https.url()
}

impl Ready {
    /// A GET of `target.path` on stream 1, waiting at most `timeout`: what the status is
    /// (a `--path` that answers 404 is worth a warning) and what the server calls itself.
    /// `None` when no response came.
    pub async fn get(&mut self, target: &Target, timeout: Duration) -> Option<GetAnswer> {
        let deadline = Instant::now() + timeout;
        let get = frames::headers(1)
            .request("GET", &target.path)
            .scheme(target.scheme.as_str())
            .authority(&target.authority)
            .end_stream();
        self.conn.send(&get.into(), deadline).await;
        while let Some(ev) = self.conn.next_event(deadline).await {
            match ev {
                Event::Response { stream: StreamId(1), status, fields, .. } => {
                    let server = fields.iter().find(|f| f.name.eq_ignore_ascii_case(b"server")).map(|f| {
                        String::from_utf8_lossy(&f.value).chars().filter(|c| !c.is_control()).take(100).collect()
                    });
                    return Some(GetAnswer { status, server });
                }
                Event::Closed { .. } | Event::ServerViolation(_) => return None,
                _ => {}
            }
        }
        None
    }
}

/// Names what the first octets were, given how the handshake failed. Pure, for the tests.
pub fn classify(target: &Target, first: &[u8], error: &HandshakeError, timeout: Duration) -> NotHttp2 {
    let addr = target.host_port();
    let tls = target.scheme == Scheme::Tls;
    if let Some(line) = http1_status_line(first) {
        let status = line.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        return NotHttp2::Http1 { addr, status, line, tls };
    }
    if !tls {
        if let Some(record) = tls_record(first) {
            let how = format!("it answered the h2c preface with a TLS {record} record");
            return NotHttp2::TlsOnH2c { addr, how, https: https_url(target) };
        }
    }
    if looks_like_html(first) {
        return NotHttp2::Html { addr, tls };
    }
    if first.is_empty() {
        return match error {
            HandshakeError::Timeout(_) => NotHttp2::Silent { addr, after: timeout, tls },
            HandshakeError::Rejected(why) => NotHttp2::Closed { addr, reset: why.contains("reset"), tls },
        };
    }
    if looks_like_http2(first) {
        let detail = match error {
            HandshakeError::Timeout(_) => {
                format!("the server sent frames but the SETTINGS exchange did not finish within {}", humanize(timeout))
            }
            HandshakeError::Rejected(why) => why.clone(),
        };
        return NotHttp2::Handshake { addr, detail };
    }
    NotHttp2::Garbage { addr, octets: octets(first) }
}

/// `HTTP/1.1 400 Bad Request`, when `buf` starts with an HTTP/1.x status line.
fn http1_status_line(buf: &[u8]) -> Option<String> {
    if !buf.starts_with(b"HTTP/1.") {
        return None;
    }
    let line = buf.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or(buf);
    let line = &line[..line.len().min(80)];
    Some(String::from_utf8_lossy(line).chars().filter(|c| !c.is_control()).collect())
}

/// `<!DOCTYPE html…` or `<html…`, after any whitespace.
fn looks_like_html(buf: &[u8]) -> bool {
    let start: Vec<u8> = buf.iter().skip_while(|b| b.is_ascii_whitespace()).take(9).map(u8::to_ascii_lowercase).collect();
    start.starts_with(b"<!doctype") || start.starts_with(b"<html")
}

/// The record type, when `buf` starts like a TLS record (type 20-23, version 3.x).
fn tls_record(buf: &[u8]) -> Option<&'static str> {
    let kind = match buf.first()? {
        0x14 => "change_cipher_spec",
        0x15 => "alert",
        0x16 => "handshake",
        0x17 => "application_data",
        _ => return None,
    };
    (buf.get(1) == Some(&0x03)).then_some(kind)
}

/// Whether `buf` starts with a frame header a server's first frame could have: SETTINGS or
/// GOAWAY, on stream 0.
fn looks_like_http2(buf: &[u8]) -> bool {
    match buf.get(..9) {
        Some(h) => matches!(h[3], 0x4 | 0x7) && u32::from_be_bytes([h[5] & 0x7f, h[6], h[7], h[8]]) == 0,
        None => false,
    }
}

/// `48 65 6c 6c 6f ("Hello")`: up to 16 octets in hex, then their printable ASCII.
fn octets(buf: &[u8]) -> String {
    let shown = &buf[..buf.len().min(16)];
    let hex: Vec<String> = shown.iter().map(|b| format!("{b:02x}")).collect();
    let ascii: String = shown.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }).collect();
    let more = if buf.len() > shown.len() { " …" } else { "" };
    format!("{}{more} (\"{ascii}\")", hex.join(" "))
}

/// `2s`, `500ms`: a timeout as the user wrote it.
fn humanize(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// Passes everything through and keeps a copy of the first [`RECORDED`] octets read.
struct Recorder {
    inner: BoxIo,
    seen: Arc<Mutex<Vec<u8>>>,
    full: bool,
}

impl AsyncRead for Recorder {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if !self.full {
            let new = &buf.filled()[before..];
            let full = match self.seen.lock() {
                Ok(mut seen) => {
                    let room = RECORDED.saturating_sub(seen.len());
                    seen.extend_from_slice(&new[..new.len().min(room)]);
                    seen.len() >= RECORDED
                }
                Err(_) => true,
            };
            self.full = full;
        }
        polled
    }
}

impl AsyncWrite for Recorder {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h2c() -> Target {
        Target::parse("http://127.0.0.1:8080/x").expect("url")
    }

    #[test]
    fn names_what_the_first_octets_were() {
        let t = h2c();
        let rejected = HandshakeError::Rejected("connection closed by the peer (EOF)".into());
        let timeout = HandshakeError::Timeout(2000);
        let d = Duration::from_secs(2);
        let e = classify(&t, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", &rejected, d).to_string();
        assert_eq!(
            e,
            "127.0.0.1:8080: the server answered HTTP/1.1 400: it does not speak h2c with prior knowledge on this port (\"HTTP/1.1 400 Bad Request\")"
        );
        let e = classify(&t, &[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32], &rejected, d).to_string();
        assert_eq!(e, "127.0.0.1:8080: this port speaks TLS (it answered the h2c preface with a TLS alert record): use https://127.0.0.1:8080/x");
        let e = classify(&t, b"", &timeout, d).to_string();
        assert!(e.starts_with("127.0.0.1:8080: no SETTINGS within 2s: the server accepted the connection but sent nothing"), "{e}");
        let e = classify(&t, b"", &rejected, Duration::from_millis(500)).to_string();
        assert!(e.starts_with("127.0.0.1:8080: the server closed the connection before sending any frame"), "{e}");
        let e = classify(&t, b"SSH-2.0-OpenSSH_9.2\r\n", &rejected, d).to_string();
        assert_eq!(
            e,
            "127.0.0.1:8080: the server does not speak HTTP/2: garbage where its SETTINGS frame was due, first octets 53 53 48 2d 32 2e 30 2d 4f 70 65 6e 53 53 48 5f … (\"SSH-2.0-OpenSSH_\")"
        );
        let e = classify(&t, b"<!DOCTYPE HTML>\n<html lang=\"en\">", &rejected, d).to_string();
        assert!(e.contains("HTML page and no status line") && e.contains("h2c with prior knowledge"), "{e}");
        let settings = frames::settings().build().to_bytes();
        let e = classify(&t, &settings, &rejected, d).to_string();
        assert_eq!(e, "127.0.0.1:8080: the HTTP/2 handshake failed: connection closed by the peer (EOF)");
    }

    #[test]
    fn tls_targets_are_not_told_to_use_https() {
        let t = Target::parse("https://127.0.0.1:8443/").expect("url");
        let e = classify(&t, &[0x15, 0x03, 0x03, 0x00, 0x02], &HandshakeError::Timeout(1), Duration::from_secs(1));
        assert!(matches!(e, NotHttp2::Garbage { .. }), "{e}");
        let e = classify(&t, b"", &HandshakeError::Timeout(1), Duration::from_millis(1500)).to_string();
        assert_eq!(e, "127.0.0.1:8443: no SETTINGS within 1500ms: the server accepted the connection but sent nothing");
    }
}
