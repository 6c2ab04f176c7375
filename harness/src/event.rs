//! Everything the peer under test can do, normalised into one event stream.
//!
//! The verdict engine never sees sockets: frames, decoded responses, transport closes and
//! the server's own protocol violations all arrive here as data, so `judge` is a pure
//! function of this stream and can be unit-tested without a server.

use core::fmt;
use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::HeaderField;
use h2probe_codec::StreamId;

/// One thing the server did, in the order it did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A frame that decoded under RFC 9113. HEADERS/CONTINUATION are reported here too, and
    /// additionally as one [`Event::Response`] once the field block is complete.
    Frame(Frame),
    /// A complete field block from the server (HEADERS plus any CONTINUATION), decoded.
    Response {
        /// Stream it arrived on.
        stream: StreamId,
        /// `:status`, when present and numeric.
        status: Option<u16>,
        /// Whether the HEADERS frame had END_STREAM.
        end_stream: bool,
        /// The decoded fields.
        fields: Vec<HeaderField>,
    },
    /// A complete field block from the client (h2probe playing the server): a request or its
    /// trailers, decoded.
    Request {
        /// Stream it arrived on.
        stream: StreamId,
        /// Whether the HEADERS frame had END_STREAM.
        end_stream: bool,
        /// The decoded fields.
        fields: Vec<HeaderField>,
    },
    /// The server broke the protocol itself (an undecodable frame, a bad HPACK block). The
    /// connection cannot be read further after this.
    ServerViolation(String),
    /// Client mode: the client under test opened another connection and sent a request on
    /// it (a retry after GOAWAY or REFUSED_STREAM, say). `index` counts connections from 1
    /// for the case's own.
    NewConnection {
        /// Which connection of the case: 2 for the first one after the case's own.
        index: u32,
        /// The request's `:path`.
        path: String,
    },
    /// Client mode: the client under test ended.
    Exited(Exit),
    /// The transport ended: EOF, or a reset/broken pipe.
    Closed {
        /// True for ECONNRESET / EPIPE, false for an orderly EOF (or TLS close_notify).
        reset: bool,
    },
}

/// How the client under test ended: what the command reported to its user, which is how
/// a case sees whether a response was delivered as valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// The exit status; `None` when a signal ended it.
    pub code: Option<i32>,
    /// The signal that ended it, if one did (ours at the deadline, or a crash).
    pub signal: Option<i32>,
    /// Whether its standard output holds the body marker of the case's response.
    pub delivered: bool,
    /// Whether we ended it at the case's deadline.
    pub killed: bool,
    /// The end of its standard error, for the failure text.
    pub stderr_tail: String,
    /// The start of its standard output, for the transcript.
    pub stdout_head: String,
}

impl Exit {
    /// Reported success: exit status 0 and the body we sent in its output.
    pub fn succeeded(&self) -> bool {
        self.code == Some(0) && self.delivered
    }

    /// A crash: a signal we did not send (SIGSEGV, SIGABRT …).
    pub fn crashed(&self) -> bool {
        self.signal.is_some() && !self.killed
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code, self.signal) {
            (Some(c), _) => write!(f, "the client exited with status {c}")?,
            (None, Some(s)) if self.killed => write!(f, "the client was still running at the deadline (ended with signal {s})")?,
            (None, Some(s)) => write!(f, "the client died of signal {s}")?,
            (None, None) => f.write_str("the client ended")?,
        }
        if self.code == Some(0) {
            f.write_str(if self.delivered { ", the body in its output" } else { ", without the body in its output" })?;
        }
        let err = self.stderr_tail.trim();
        if !err.is_empty() && self.code != Some(0) {
            let line = err.lines().last().unwrap_or(err);
            write!(f, " (\"{}\")", line.chars().take(160).collect::<String>())?;
        }
        Ok(())
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Frame(fr) => write!(f, "{fr}"),
            Event::Response { stream, status, end_stream, fields } => {
                write!(f, "response on stream {stream}: ")?;
                match status {
                    Some(s) => write!(f, ":status {s}")?,
                    None => f.write_str("no :status")?,
                }
                write!(f, " ({} fields{})", fields.len(), if *end_stream { ", END_STREAM" } else { "" })
            }
            Event::Request { stream, end_stream, fields } => {
                let field = |n: &[u8]| fields.iter().find(|f| f.name == n).map(|f| String::from_utf8_lossy(&f.value).into_owned());
                match (field(b":method"), field(b":path")) {
                    (Some(m), Some(p)) => write!(f, "request on stream {stream}: {m} {p}")?,
                    _ => write!(f, "field block on stream {stream}")?,
                }
                write!(f, " ({} fields{})", fields.len(), if *end_stream { ", END_STREAM" } else { "" })
            }
            Event::ServerViolation(why) => write!(f, "protocol violation by the peer: {why}"),
            Event::NewConnection { index, path } => write!(f, "a request for {path} on a new connection (#{index})"),
            Event::Exited(e) => write!(f, "{e}"),
            Event::Closed { reset: false } => f.write_str("connection closed by the peer (EOF)"),
            Event::Closed { reset: true } => f.write_str("connection reset by the peer"),
        }
    }
}
