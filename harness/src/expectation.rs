//! What a case expects the server to do, as data.

use core::fmt;
use h2probe_codec::{ErrorCode, StreamId};

/// A typed expectation. The leniency rules live in [`crate::judge`], once, not in cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// Connection error (RFC 9113 §5.4.1): GOAWAY with one of these codes. A bare close is
    /// a lenient pass.
    ConnectionError(Vec<ErrorCode>),
    /// Stream error (§5.4.2) on `stream`: RST_STREAM with one of these codes; a connection
    /// error with one of them passes too ("an endpoint MAY choose to treat a stream error
    /// as a connection error", §5.4).
    StreamError {
        /// The stream that must be reset.
        stream: StreamId,
        /// Acceptable codes.
        codes: Vec<ErrorCode>,
    },
    /// Malformed request (§8.1.1): RST_STREAM(PROTOCOL_ERROR), or an HTTP 4xx response
    /// ("a server MAY send an HTTP response prior to closing or resetting the stream"), or
    /// a connection error PROTOCOL_ERROR.
    Malformed {
        /// The request's stream.
        stream: StreamId,
    },
    /// The frames must be ignored: the PING fence is acknowledged with no error before it.
    /// With `close_ok`, a graceful close is accepted as well (after GOAWAY from us, say).
    Ignored {
        /// Whether closing the connection is also acceptable.
        close_ok: bool,
    },
    /// A PING ACK echoing this payload.
    PingAck([u8; 8]),
    /// A SETTINGS frame with ACK.
    SettingsAck,
    /// The first frame from the server is a non-ACK SETTINGS (§3.4).
    FirstFrameSettings,
    /// A response (HEADERS with `:status`) on `stream`: the request was processed.
    Response {
        /// The request's stream.
        stream: StreamId,
    },
    /// The TCP connection is closed (a GOAWAY before it is optional).
    ConnectionClose,
    /// Any GOAWAY (the SHOULD of §5.4.1).
    GoAway,
    /// An invalid connection preface (§3.4): "MUST treat an invalid connection preface as
    /// a connection error of type PROTOCOL_ERROR. A GOAWAY frame MAY be omitted", so a bare
    /// close passes, and so does an answer in another protocol (an HTTP/1.1 400).
    PrefaceRejected,
    /// The response on `stream` ended (END_STREAM, or RST_STREAM(NO_ERROR)): the stream is
    /// closed. Used as an intermediate step.
    ResponseComplete {
        /// The request's stream.
        stream: StreamId,
    },
    /// Flow control: DATA on `stream` totalling exactly `len` octets, no more (the window).
    WindowLimitedData {
        /// The response's stream.
        stream: StreamId,
        /// The window the server must respect.
        len: usize,
    },
    /// Resilience (RFC 9113 §10.5): a limit on the flood, or continued service on a fresh
    /// connection. Judged by [`crate::resilience::verdict`], not by the event judge.
    Resilience {
        /// A stream whose RST_STREAM or 4xx/5xx answer also counts as a reaction (the HPACK
        /// bomb's request, the stream carrying empty DATA).
        watch: Option<StreamId>,
    },
}

impl Expectation {
    /// Whether the runner should send the PING fence after the case's frames: only where a
    /// PING ACK can prove the violation was processed and ignored.
    pub fn wants_fence(&self) -> bool {
        matches!(
            self,
            Expectation::ConnectionError(_)
                | Expectation::StreamError { .. }
                | Expectation::Malformed { .. }
                | Expectation::Ignored { .. }
                | Expectation::ConnectionClose
                | Expectation::GoAway
                | Expectation::PrefaceRejected
        )
    }
}

/// `A, B or C`.
pub(crate) fn codes(codes: &[ErrorCode]) -> String {
    let names: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    match names.len() {
        0 => "any code".into(),
        1 => names[0].clone(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// The expectation in words a vendor can act on.
impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expectation::ConnectionError(c) => write!(f, "connection error {}: GOAWAY({}) and close", codes(c), codes(c)),
            Expectation::StreamError { stream, codes: c } => {
                write!(f, "stream error {}: RST_STREAM(stream {stream}, {}) (or GOAWAY with that code)", codes(c), codes(c))
            }
            Expectation::Malformed { stream } => write!(
                f,
                "malformed request: RST_STREAM(stream {stream}, PROTOCOL_ERROR) or a 4xx response (or GOAWAY(PROTOCOL_ERROR))"
            ),
            Expectation::Ignored { close_ok: false } => f.write_str("frame ignored: PING ACK with no error before it"),
            Expectation::Ignored { close_ok: true } => f.write_str("frame ignored: PING ACK with no error before it, or a graceful close"),
            Expectation::PingAck(p) => write!(f, "PING ACK echoing {}", h2probe_codec::frame::hex(p)),
            Expectation::SettingsAck => f.write_str("SETTINGS ACK"),
            Expectation::FirstFrameSettings => f.write_str("a SETTINGS frame (without ACK) as the server's first frame"),
            Expectation::Response { stream } => write!(f, "a response (HEADERS with :status) on stream {stream}"),
            Expectation::ConnectionClose => f.write_str("the connection closed (GOAWAY optional)"),
            Expectation::GoAway => f.write_str("a GOAWAY frame before the connection closes"),
            Expectation::PrefaceRejected => {
                f.write_str("the preface rejected: GOAWAY(PROTOCOL_ERROR) or a close (GOAWAY may be omitted)")
            }
            Expectation::ResponseComplete { stream } => write!(f, "the response on stream {stream} to end (END_STREAM)"),
            Expectation::WindowLimitedData { stream, len } => {
                write!(f, "DATA on stream {stream} totalling exactly {len} octets (the flow-control window), then nothing more")
            }
            Expectation::Resilience { .. } => f.write_str(crate::resilience::EXPECTED),
        }
    }
}
