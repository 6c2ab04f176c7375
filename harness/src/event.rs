//! Everything the server can do, normalised into one event stream.
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
    /// The transport ended: EOF, or a reset/broken pipe.
    Closed {
        /// True for ECONNRESET / EPIPE, false for an orderly EOF (or TLS close_notify).
        reset: bool,
    },
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
            Event::Closed { reset: false } => f.write_str("connection closed by server (EOF)"),
            Event::Closed { reset: true } => f.write_str("connection reset by server"),
        }
    }
}
