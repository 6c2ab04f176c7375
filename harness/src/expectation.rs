//! What a case expects the server to do, as data.
//!
//! An expectation names the reaction the RFC sentence of the case requires (the canonical
//! one). Which other reactions the RFC also allows — a generic code, a connection error in
//! place of a stream error, a response before a reset — is not the case's business: the
//! judge applies those rules, once, for every case (see [`crate::judge`], [`crate::rules`]).

use core::fmt;
use h2probe_codec::{ErrorCode, StreamId};

/// A typed expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// Connection error (RFC 9113 §5.4.1): GOAWAY with one of `codes`, then close.
    ConnectionError {
        /// The codes the RFC names for this error (any one is canonical).
        codes: Vec<ErrorCode>,
        /// Other specific codes the case argues are applicable (§5.4 "MAY use any
        /// applicable error code"): a lenient pass, with the case's reason in its doc.
        applicable: Vec<ErrorCode>,
    },
    /// Stream error (§5.4.2) on `stream`: RST_STREAM with one of `codes`.
    StreamError {
        /// The stream that must be reset.
        stream: StreamId,
        /// The codes the RFC names.
        codes: Vec<ErrorCode>,
        /// Other specific codes the case argues are applicable.
        applicable: Vec<ErrorCode>,
    },
    /// Malformed request (§8.1.1): a stream error PROTOCOL_ERROR on `stream`; a response
    /// before the reset is allowed.
    Malformed {
        /// The request's stream.
        stream: StreamId,
        /// Specific codes the case argues are applicable besides PROTOCOL_ERROR (a decoder
        /// that stops mid-block answers COMPRESSION_ERROR, say): lenient.
        applicable: Vec<ErrorCode>,
    },
    /// The frames must be ignored: the PING fence is acknowledged with no error before it
    /// (or during the grace period after it). With `close_ok`, a graceful close is the
    /// right answer too (after a GOAWAY of ours, the server may close when done).
    Ignored {
        /// Whether closing the connection is also right.
        close_ok: bool,
    },
    /// A PING with this payload must not be answered (§6.7: a PING with ACK). The fence
    /// ACK with no echo before it passes; ending the connection is allowed (§5.4.1).
    NotAnswered([u8; 8]),
    /// A PING ACK echoing `payload`, before the fence PING sent after it is answered.
    PingAck {
        /// The PING's opaque data.
        payload: [u8; 8],
        /// The code of the GOAWAY we sent before, if any: the server may then close instead
        /// (§5.4.1: "An endpoint can end a connection at any time").
        after_goaway: Option<ErrorCode>,
    },
    /// A SETTINGS frame with ACK, before the fence PING sent after it is answered.
    SettingsAck,
    /// The first frame from the server is a non-ACK SETTINGS (§3.4).
    FirstFrameSettings,
    /// A final response on `stream` whose status `accept` allows: the request was
    /// processed. Interim (1xx) responses are waited past.
    Response {
        /// The request's stream.
        stream: StreamId,
        /// Which final statuses count as "processed".
        accept: Accept,
        /// The code of the GOAWAY we sent before, if any: the server may then close
        /// gracefully instead (an error GOAWAY fails, unless our code was one RFC 9113 does
        /// not define, which §7 lets the server take for INTERNAL_ERROR).
        after_goaway: Option<ErrorCode>,
    },
    /// The TCP connection is closed (a GOAWAY before it is optional).
    ConnectionClose,
    /// Any GOAWAY (the SHOULD of §5.4.1).
    GoAway,
    /// An invalid connection preface (§3.4): a connection error PROTOCOL_ERROR, with the
    /// GOAWAY optional.
    PrefaceRejected,
    /// The peer's side of `stream` ended (END_STREAM, or RST_STREAM(NO_ERROR)): the response
    /// (or, in client mode, the request) is complete. Used as an intermediate step.
    ResponseComplete {
        /// The request's stream.
        stream: StreamId,
    },
    /// Flow control: DATA on `stream` totalling exactly `len` octets, and nothing more by
    /// the time a PING sent after the last of them is answered.
    WindowLimitedData {
        /// The response's stream.
        stream: StreamId,
        /// The window the server must respect.
        len: usize,
    },
    /// Client mode: the client takes the response on `stream` as valid and reports success
    /// (exit status 0, the body in its output). Where no exit can be seen (a browser), the
    /// PING sent after the response answered with no error before it.
    Accepted {
        /// The request's stream.
        stream: StreamId,
    },
    /// Client mode: a malformed response on `stream` (§8.1.1) must not be accepted: a stream
    /// error PROTOCOL_ERROR, and no success reported.
    Rejected {
        /// The request's stream.
        stream: StreamId,
    },
    /// Client mode: the request on `stream` was refused unprocessed (REFUSED_STREAM, or a
    /// GOAWAY whose last stream id is below it). The client may retry it on a new stream or
    /// connection (§8.7) and must not open streams on a connection after its GOAWAY (§6.8).
    Retried {
        /// The refused request's stream.
        stream: StreamId,
        /// The last stream id of our GOAWAY, when a GOAWAY refused it.
        goaway_last: Option<u32>,
    },
    /// Client mode: every request is refused; the client may retry, but gives up (reports
    /// the failure) after at most `max` further attempts rather than retrying without end.
    RetriesBounded {
        /// Attempts after the first that still pass.
        max: u32,
    },
    /// Client mode, a hostile server: the client sets a limit (resets the stream, ends the
    /// connection, reports an error) or takes it all within bounded memory, and never
    /// crashes or hangs.
    Survives {
        /// The stream the hostile response is on.
        stream: StreamId,
    },
    /// Resilience (RFC 9113 §10.5): a limit on the attack, or its harm bounded. Judged by
    /// its harm ([`crate::harm`]), not by the event judge.
    Resilience,
}

/// Which final statuses show that a request the RFC says must be accepted was processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// 2xx or 3xx: the resource served it as it serves a plain GET. A 4xx or 5xx fails:
    /// a rejection of a legal request is what the case tests for.
    Success,
    /// Any final status but 400 (the server's answer to a malformed request): for
    /// requests the test resource may not support (OPTIONS *), where 404 or 405 still
    /// shows the request was taken as valid.
    NotBadRequest,
}

impl Accept {
    /// Whether `status` shows the request was processed.
    pub fn allows(self, status: u16) -> bool {
        match self {
            Accept::Success => (200..400).contains(&status),
            Accept::NotBadRequest => status >= 200 && status != 400,
        }
    }
}

impl Expectation {
    /// A connection error with the named codes.
    pub fn connection_error(codes: &[ErrorCode]) -> Expectation {
        Expectation::ConnectionError { codes: codes.to_vec(), applicable: Vec::new() }
    }

    /// A stream error on `stream` with the named codes.
    pub fn stream_error(stream: u32, codes: &[ErrorCode]) -> Expectation {
        Expectation::StreamError { stream: StreamId(stream), codes: codes.to_vec(), applicable: Vec::new() }
    }

    /// A malformed request on `stream` (§8.1.1).
    pub fn malformed(stream: u32) -> Expectation {
        Expectation::Malformed { stream: StreamId(stream), applicable: Vec::new() }
    }

    /// A 2xx or 3xx response on `stream`.
    pub fn served(stream: u32) -> Expectation {
        Expectation::Response { stream: StreamId(stream), accept: Accept::Success, after_goaway: None }
    }

    /// A PING ACK echoing `payload`.
    pub fn ping_ack(payload: [u8; 8]) -> Expectation {
        Expectation::PingAck { payload, after_goaway: None }
    }

    /// The same expectation after we sent GOAWAY(`code`): a graceful close is then an
    /// allowed alternative.
    pub fn after_our_goaway(mut self, code: ErrorCode) -> Expectation {
        if let Expectation::Response { after_goaway, .. } | Expectation::PingAck { after_goaway, .. } = &mut self {
            *after_goaway = Some(code);
        }
        self
    }

    /// The same error, with `codes` accepted leniently as applicable.
    pub fn or_applicable(mut self, codes: &[ErrorCode]) -> Expectation {
        if let Expectation::ConnectionError { applicable, .. }
        | Expectation::StreamError { applicable, .. }
        | Expectation::Malformed { applicable, .. } = &mut self
        {
            applicable.extend_from_slice(codes);
        }
        self
    }

    /// Whether the runner sends the PING fence after the case's frames: where a PING ACK
    /// can show the frames were processed and the required reaction did not come.
    pub fn wants_fence(&self) -> bool {
        matches!(
            self,
            Expectation::ConnectionError { .. }
                | Expectation::StreamError { .. }
                | Expectation::Malformed { .. }
                | Expectation::Ignored { .. }
                | Expectation::NotAnswered(_)
                | Expectation::PingAck { .. }
                | Expectation::SettingsAck
                | Expectation::ConnectionClose
                | Expectation::GoAway
                | Expectation::PrefaceRejected
        )
    }

    /// Whether the expectation is about a client under test (client mode only).
    pub fn is_client_only(&self) -> bool {
        matches!(
            self,
            Expectation::Accepted { .. }
                | Expectation::Rejected { .. }
                | Expectation::Retried { .. }
                | Expectation::RetriesBounded { .. }
                | Expectation::Survives { .. }
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
            Expectation::ConnectionError { codes: c, .. } => write!(f, "connection error {}: GOAWAY({}) and close", codes(c), codes(c)),
            Expectation::StreamError { stream, codes: c, .. } => {
                write!(f, "stream error {}: RST_STREAM(stream {stream}, {})", codes(c), codes(c))
            }
            Expectation::Malformed { stream, .. } => write!(f, "malformed request: RST_STREAM(stream {stream}, PROTOCOL_ERROR) or a 4xx response"),
            Expectation::Ignored { close_ok: false } => f.write_str("frame ignored: the PING sent after it answered, no error"),
            Expectation::Ignored { close_ok: true } => f.write_str("frame ignored: the PING sent after it answered, no error, or a graceful close"),
            Expectation::NotAnswered(p) => write!(f, "no PING echoing {} in answer, no error", h2probe_codec::frame::hex(p)),
            Expectation::PingAck { payload, after_goaway: None } => write!(f, "PING ACK echoing {}", h2probe_codec::frame::hex(payload)),
            Expectation::PingAck { payload, after_goaway: Some(_) } => {
                write!(f, "PING ACK echoing {}, or a graceful close", h2probe_codec::frame::hex(payload))
            }
            Expectation::SettingsAck => f.write_str("SETTINGS ACK"),
            Expectation::FirstFrameSettings => f.write_str("a SETTINGS frame (without ACK) as the server's first frame"),
            Expectation::Response { stream, accept, after_goaway } => {
                match accept {
                    Accept::Success => write!(f, "a 2xx or 3xx response on stream {stream}")?,
                    Accept::NotBadRequest => write!(f, "a response other than 400 on stream {stream}")?,
                }
                if after_goaway.is_some() {
                    f.write_str(", or a graceful close")?;
                }
                Ok(())
            }
            Expectation::ConnectionClose => f.write_str("the connection closed (GOAWAY optional)"),
            Expectation::GoAway => f.write_str("a GOAWAY frame before the connection closes"),
            Expectation::PrefaceRejected => {
                f.write_str("the preface rejected: GOAWAY(PROTOCOL_ERROR) or a close (GOAWAY may be omitted)")
            }
            Expectation::ResponseComplete { stream } => write!(f, "the peer's side of stream {stream} to end (END_STREAM)"),
            Expectation::WindowLimitedData { stream, len } => {
                write!(f, "DATA on stream {stream} totalling exactly {len} octets (the flow-control window), then nothing more")
            }
            Expectation::Resilience => f.write_str(crate::resilience::EXPECTED),
            Expectation::Accepted { stream } => write!(f, "the response on stream {stream} taken as valid: exit status 0 with the body"),
            Expectation::Rejected { stream } => write!(
                f,
                "the malformed response not accepted: RST_STREAM(stream {stream}, PROTOCOL_ERROR) and no success reported"
            ),
            Expectation::Retried { stream, goaway_last: Some(last) } => write!(
                f,
                "no new stream after our GOAWAY (last stream {last}); the unprocessed request on stream {stream} retried on a new connection, or reported"
            ),
            Expectation::Retried { stream, goaway_last: None } => {
                write!(f, "the refused request on stream {stream} retried on a new stream or connection, or reported")
            }
            Expectation::RetriesBounded { max } => {
                write!(f, "the refused request given up (a failure reported) after at most {max} retries")
            }
            Expectation::Survives { .. } => f.write_str(
                "a limit (RST_STREAM, GOAWAY, close or a reported error) or the response taken in bounded memory; no crash, no hang",
            ),
        }
    }
}
