//! h2c by `Upgrade` (RFC 7540 §3.2), for clients that only start HTTP/2 that way over
//! cleartext (Java's `HttpClient`, curl's `--http2` on `http://`), and the HTTP/1.1 request
//! head it needs, which the listen mode's index page reuses.
//!
//! With `--upgrade` an h2c listener takes both openings, told apart by the first octets:
//! the connection preface is prior knowledge; an HTTP/1.1 request with `Upgrade: h2c` and
//! one `HTTP2-Settings` gets `101 Switching Protocols`, and the request becomes stream 1,
//! half-closed (remote), answered by the case as any first request. Both, not Upgrade
//! only: a client may upgrade its first connection and open the next (a retry) with prior
//! knowledge, and the octets leave no doubt which it did. The transcript says which.
//! RFC 9113 deprecated the upgrade (§3.1); it is judged nowhere, only made possible.

use crate::event::Event;
use crate::transport::BoxIo;
use base64::Engine;
use h2probe_codec::frame::PREFACE;
use h2probe_codec::hpack::HeaderField;
use h2probe_codec::{SettingId, StreamId};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::time::{timeout_at, Instant};

/// Octets of an HTTP/1.1 request head we read at most: far above any real client's.
pub const MAX_HEAD: usize = 16 * 1024;
/// Octets of an upgrade request's body we read at most (RFC 7540 §3.2: sent in full before
/// the switch); a larger body is refused with 413.
pub const MAX_BODY: usize = 1 << 20;

/// Our answer to a valid upgrade request (RFC 7540 §3.2).
pub const SWITCHING: &[u8] = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";

/// An HTTP/1.x request as read off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http1Request {
    /// The method.
    pub method: String,
    /// The request target (a path).
    pub target: String,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (content-length octets).
    pub body: Vec<u8>,
}

impl Http1Request {
    /// Every value of the header `name` (case-insensitive).
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether a comma-separated header (`Connection`, `Upgrade`) names `token`.
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.values(name).flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// What a connection opened with.
#[derive(Debug)]
pub enum Opening {
    /// The HTTP/2 connection preface (prior knowledge).
    Preface,
    /// An HTTP/1.x request.
    Http1(Http1Request),
}

/// A connection after its first octets were looked at: the transport, with what was read
/// past the opening given back to the next reader, and the upgrade if there was one.
pub struct Opened {
    /// The transport.
    pub io: BoxIo,
    /// The upgrade request, when the client upgraded.
    pub upgraded: Option<Upgraded>,
}

/// The HTTP/2 side of an accepted upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgraded {
    /// The client's SETTINGS, from `HTTP2-Settings` (in force without an ACK: the 101 is one).
    pub settings: Vec<(SettingId, u32)>,
    /// The request as HTTP/2 fields (pseudo-headers first), on stream 1.
    pub fields: Vec<HeaderField>,
    /// Octets of the request's body, already read.
    pub body_len: usize,
    /// What the request did that RFC 7540 §3.2 does not allow, noted in the transcript.
    pub notes: Vec<String>,
}

impl Upgraded {
    /// The request as the event a client's HEADERS on stream 1 would have given.
    pub fn request_event(&self) -> Event {
        Event::Request { stream: StreamId(1), end_stream: true, fields: self.fields.clone() }
    }
}

/// Why a connection could not be opened as HTTP/2.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UpgradeError {
    /// The connection ended, or the deadline passed, before the opening was complete.
    #[error("the client sent {0} octets and no complete opening before it stopped or the deadline passed")]
    Incomplete(usize),
    /// Neither the preface nor an HTTP/1.1 request head.
    #[error("the client's first octets are neither the HTTP/2 preface nor an HTTP/1.1 request: {0}")]
    Garbage(String),
    /// A request head, but not one we can upgrade.
    #[error("{0}")]
    Refused(String),
}

/// Reads the opening of a connection: the preface, or an HTTP/1.x request head and its
/// body. What follows it stays in the returned transport.
pub async fn sniff(mut io: BoxIo, deadline: Instant) -> Result<(Opening, BoxIo), (UpgradeError, BoxIo)> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = buf.len().min(PREFACE.len());
        if buf[..n] == PREFACE[..n] {
            if buf.len() >= PREFACE.len() {
                return Ok((Opening::Preface, rewound(io, buf)));
            }
        } else {
            match parse_head(&buf) {
                Ok(Some((mut req, used, body))) => {
                    if body > MAX_BODY {
                        return Err((UpgradeError::Refused(format!("the request announces a body of {body} octets, above {MAX_BODY}")), io));
                    }
                    while buf.len() < used + body {
                        match timeout_at(deadline, io.read(&mut chunk)).await {
                            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                            _ => return Err((UpgradeError::Incomplete(buf.len()), io)),
                        }
                    }
                    req.body = buf[used..used + body].to_vec();
                    return Ok((Opening::Http1(req), rewound(io, buf.split_off(used + body))));
                }
                Ok(None) if buf.len() < MAX_HEAD => {}
                Ok(None) => return Err((UpgradeError::Refused(format!("no end of the request head in {MAX_HEAD} octets")), io)),
                Err(why) => return Err((UpgradeError::Garbage(why), io)),
            }
        }
        match timeout_at(deadline, io.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return Err((UpgradeError::Incomplete(buf.len()), io)),
        }
    }
}

/// Opens an h2c connection that may start with an upgrade: the preface passes through; a
/// valid upgrade request is answered 101; any other request gets 426 (or 400) and an error.
pub async fn accept(io: BoxIo, deadline: Instant) -> Result<Opened, String> {
    let (opening, mut io) = sniff(io, deadline).await.map_err(|(e, _)| e.to_string())?;
    match opening {
        Opening::Preface => Ok(Opened { io, upgraded: None }),
        Opening::Http1(req) => match upgrade_of(&req) {
            Ok(upgraded) => {
                let _ = timeout_at(deadline, async {
                    io.write_all(SWITCHING).await?;
                    io.flush().await
                })
                .await;
                Ok(Opened { io, upgraded: Some(upgraded) })
            }
            Err(why) => {
                let status = if req.has_token("upgrade", "h2c") { "400 Bad Request" } else { "426 Upgrade Required" };
                let body = format!("{why}\n");
                let answer = format!(
                    "HTTP/1.1 {status}\r\nUpgrade: h2c\r\nConnection: Upgrade, close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = timeout_at(deadline, io.write_all(answer.as_bytes())).await;
                Err(format!("{} {} over HTTP/1.1: {why}", req.method, req.target))
            }
        },
    }
}

/// The HTTP/2 request an upgrade request stands for, or why it cannot be upgraded
/// (RFC 7540 §3.2, §3.2.1).
pub fn upgrade_of(req: &Http1Request) -> Result<Upgraded, String> {
    if !req.has_token("upgrade", "h2c") {
        return Err("an HTTP/1.1 request without Upgrade: h2c (h2probe speaks only HTTP/2 here)".into());
    }
    // RFC 7540 §3.2.1: "A server MUST NOT upgrade the connection to HTTP/2 if this header
    // field is not present or if more than one is present."
    let settings: Vec<&str> = req.values("http2-settings").collect();
    let [encoded] = settings[..] else {
        return Err(format!("Upgrade: h2c with {} HTTP2-Settings header fields, not one (RFC 7540 §3.2.1)", settings.len()));
    };
    let settings = decode_settings(encoded)?;
    let mut notes = Vec::new();
    if !req.has_token("connection", "http2-settings") || !req.has_token("connection", "upgrade") {
        notes.push("the upgrade request's Connection field does not name both Upgrade and HTTP2-Settings (RFC 7540 §3.2.1: a client MUST send HTTP2-Settings as a connection option)".into());
    }
    let authority = req.values("host").next().unwrap_or_default();
    let mut fields = vec![
        HeaderField::new(":method", req.method.as_str()),
        HeaderField::new(":scheme", "http"),
        HeaderField::new(":authority", authority),
        HeaderField::new(":path", req.target.as_str()),
    ];
    const CONNECTION_SPECIFIC: &[&str] = &["connection", "upgrade", "http2-settings", "host", "keep-alive", "proxy-connection", "transfer-encoding"];
    for (name, value) in &req.headers {
        let name = name.to_ascii_lowercase();
        if !CONNECTION_SPECIFIC.contains(&name.as_str()) {
            fields.push(HeaderField::new(name.as_str(), value.as_str()));
        }
    }
    Ok(Upgraded { settings, fields, body_len: req.body.len(), notes })
}

/// `HTTP2-Settings`: a SETTINGS payload in base64url (RFC 7540 §3.2.1), padding optional.
pub fn decode_settings(value: &str) -> Result<Vec<(SettingId, u32)>, String> {
    let trimmed = value.trim().trim_end_matches('=');
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .map_err(|e| format!("HTTP2-Settings {value:?} is not base64url: {e} (RFC 7540 §3.2.1)"))?;
    if payload.len() % 6 != 0 {
        return Err(format!("HTTP2-Settings decodes to {} octets, not a multiple of 6 (RFC 7540 §3.2.1)", payload.len()));
    }
    Ok(payload
        .chunks_exact(6)
        .map(|c| (SettingId(u16::from_be_bytes([c[0], c[1]])), u32::from_be_bytes([c[2], c[3], c[4], c[5]])))
        .collect())
}

/// `HTTP2-Settings` for these parameters (for scripted clients and tests).
pub fn encode_settings(params: &[(SettingId, u32)]) -> String {
    let payload: Vec<u8> = params.iter().flat_map(|&(id, v)| id.0.to_be_bytes().into_iter().chain(v.to_be_bytes())).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload)
}

/// An HTTP/1.x request head at the start of `buf`: the request, the octets of the head and
/// the body's length; `None` while incomplete; `Err` when it is not one.
pub fn parse_head(buf: &[u8]) -> Result<Option<(Http1Request, usize, usize)>, String> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let line_end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    let first = &buf[..line_end.min(buf.len())];
    // Reject early what cannot become a request line: a method is a token.
    if !first.iter().take_while(|&&b| b != b' ').all(|b| b.is_ascii_alphabetic() || *b == b'-') {
        return Err(format!("0x{}", h2probe_codec::frame::hex(&buf[..buf.len().min(16)])));
    }
    let Some(end) = end else { return Ok(None) };
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| "a request head that is not UTF-8".to_string())?;
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(format!("the request line {line:?} is not METHOD TARGET VERSION"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(format!("the request line {line:?} is not HTTP/1.x"));
    }
    let mut headers = Vec::new();
    for l in lines {
        let Some((name, value)) = l.split_once(':') else { return Err(format!("the header line {l:?} has no colon")) };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let req = Http1Request { method: method.into(), target: target.into(), headers, body: Vec::new() };
    if req.values("transfer-encoding").next().is_some() {
        return Err("a request body in chunked transfer coding (h2probe reads content-length bodies only)".into());
    }
    let body = match req.values("content-length").next() {
        Some(v) => v.parse::<usize>().map_err(|_| format!("content-length {v:?} is not a number"))?,
        None => 0,
    };
    Ok(Some((req, end + 4, body)))
}

/// A transport whose first reads return octets already read from it.
struct Rewound {
    prefix: Vec<u8>,
    at: usize,
    inner: BoxIo,
}

fn rewound(io: BoxIo, prefix: Vec<u8>) -> BoxIo {
    if prefix.is_empty() {
        io
    } else {
        Box::new(Rewound { prefix, at: 0, inner: io })
    }
}

impl AsyncRead for Rewound {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if self.at < self.prefix.len() {
            let n = (self.prefix.len() - self.at).min(buf.remaining());
            let at = self.at;
            buf.put_slice(&self.prefix[at..at + n]);
            self.at += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewound {
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

    const REQUEST: &str = "GET /case HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nUser-Agent: t\r\n\r\n";

    #[test]
    fn an_upgrade_request_becomes_stream_1() {
        let (req, used, body) = parse_head(REQUEST.as_bytes()).expect("parses").expect("complete");
        assert_eq!((used, body), (REQUEST.len(), 0));
        let u = upgrade_of(&req).expect("upgrades");
        assert_eq!(u.settings, vec![(SettingId(3), 100), (SettingId(4), 0xa0_0000), (SettingId(2), 0)]);
        let names: Vec<String> = u.fields.iter().map(|f| String::from_utf8_lossy(&f.name).into_owned()).collect();
        assert_eq!(names, [":method", ":scheme", ":authority", ":path", "user-agent"]);
        assert!(u.notes.is_empty());
        assert_eq!(encode_settings(&u.settings), "AAMAAABkAAQAoAAAAAIAAAAA");
    }

    #[test]
    fn what_cannot_be_upgraded_says_why() {
        let parsed = |s: &str| parse_head(s.as_bytes()).expect("parses").expect("complete").0;
        let plain = parsed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(upgrade_of(&plain).expect_err("plain").contains("without Upgrade: h2c"));
        let twice = parsed("GET / HTTP/1.1\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\nHTTP2-Settings: \r\n\r\n");
        assert!(upgrade_of(&twice).expect_err("twice").contains("2 HTTP2-Settings"));
        let odd = parsed("GET / HTTP/1.1\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMA\r\n\r\n");
        assert!(upgrade_of(&odd).expect_err("odd").contains("multiple of 6"));
        let no_option = parsed("GET / HTTP/1.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nHTTP2-Settings: \r\n\r\n");
        assert_eq!(upgrade_of(&no_option).expect("upgrades").notes.len(), 1);
        assert!(parse_head(b"\x16\x03\x01\x02").is_err(), "a TLS hello is no request");
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\nHost"), Ok(None));
    }

    #[tokio::test]
    async fn sniffing_gives_back_what_follows_the_opening() {
        let (mut a, b) = tokio::io::duplex(1 << 16);
        let mut sent = b"POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".to_vec();
        sent.extend_from_slice(PREFACE);
        a.write_all(&sent).await.expect("write");
        let deadline = Instant::now() + std::time::Duration::from_secs(2);
        let (opening, mut io) = sniff(Box::new(b), deadline).await.map_err(|(e, _)| e).expect("sniffs");
        let Opening::Http1(req) = opening else { panic!("not HTTP/1.1") };
        assert_eq!(req.body, b"abc");
        let mut rest = vec![0u8; PREFACE.len()];
        io.read_exact(&mut rest).await.expect("read");
        assert_eq!(rest, PREFACE);

        let (mut a, b) = tokio::io::duplex(1 << 16);
        a.write_all(PREFACE).await.expect("write");
        let (opening, _) = sniff(Box::new(b), deadline).await.map_err(|(e, _)| e).expect("sniffs");
        assert!(matches!(opening, Opening::Preface));
    }
}
