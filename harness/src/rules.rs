//! The RFC sentences the judge applies across every case, written once.
//!
//! A case quotes the requirement it tests; these are the rules that cut across sections
//! and decide whether a reaction other than the one the case names is still right: a
//! generic error code, a connection error for a stream error, a response before a reset,
//! a close without GOAWAY. Every verdict the judge gives cites either the case's own
//! requirement or one of these, so a vendor can see which sentence decided it.

use crate::model::Citation;

/// One quoted RFC sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// RFC and section, e.g. `RFC 9113 §5.4`.
    pub section: &'static str,
    /// The sentence, verbatim.
    pub text: &'static str,
}

impl From<Rule> for Citation {
    fn from(r: Rule) -> Citation {
        Citation { section: r.section.to_string(), text: r.text.to_string() }
    }
}

/// A generic code may replace the specific one the case names.
pub const GENERIC_CODE: Rule = Rule {
    section: "RFC 9113 §5.4",
    text: "Additionally, an endpoint MAY use any applicable error code when it detects an error condition; a generic \
           error code (such as PROTOCOL_ERROR or INTERNAL_ERROR) can always be used in place of more specific error codes.",
};

/// INTERNAL_ERROR where PROTOCOL_ERROR is named: both are generic, and the RFC does not
/// say that one may replace the other, so the reading is open (lenient).
pub const INTERNAL_FOR_PROTOCOL: Rule = Rule {
    section: "RFC 9113 §5.4",
    text: "a generic error code (such as PROTOCOL_ERROR or INTERNAL_ERROR) can always be used in place of more specific \
           error codes. (PROTOCOL_ERROR is itself the generic code here; whether INTERNAL_ERROR may replace it is a reading \
           the RFC leaves open.)",
};

/// A specific code the case argues is applicable, though not the one the RFC names.
pub const APPLICABLE_CODE: Rule = Rule {
    section: "RFC 9113 §5.4",
    text: "Additionally, an endpoint MAY use any applicable error code when it detects an error condition. (The code sent \
           is not the one the RFC names for this error, but arguably applies to it.)",
};

/// A stream error may be reported as a connection error.
pub const STREAM_AS_CONNECTION: Rule = Rule {
    section: "RFC 9113 §5.4.1",
    text: "An endpoint can end a connection at any time. In particular, an endpoint MAY choose to treat a stream error as \
           a connection error.",
};

/// A connection error without GOAWAY misses only a SHOULD.
pub const GOAWAY_BEFORE_CLOSE: Rule = Rule {
    section: "RFC 9113 §5.4.1",
    text: "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame (Section 6.8) with the stream \
           identifier of the last stream that it successfully received from its peer.",
};

/// A connection error that is due must be reported as one: RST_STREAM is not enough.
pub const MUST_REPORT: Rule = Rule {
    section: "RFC 9113 §5.4",
    text: "If an endpoint detects multiple different errors, it MAY choose to report any one of those errors. If a frame \
           causes a connection error, that error MUST be reported.",
};

/// A malformed request may get a response before the stream is closed or reset.
pub const RESPONSE_BEFORE_RESET: Rule = Rule {
    section: "RFC 9113 §8.1.1",
    text: "Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type \
           PROTOCOL_ERROR. For malformed requests, a server MAY send an HTTP response prior to closing or resetting the \
           stream.",
};

/// A 5xx answer to a malformed request: rejected, but as the server's fault.
pub const SERVER_ERROR_FOR_MALFORMED: Rule = Rule {
    section: "RFC 9113 §8.1.1",
    text: "For malformed requests, a server MAY send an HTTP response prior to closing or resetting the stream. (A 5xx \
           response rejects the request but blames the server; a 4xx, or RST_STREAM(PROTOCOL_ERROR), is the reading the \
           RFC intends.)",
};

/// An invalid preface may be answered by a close alone.
pub const PREFACE_GOAWAY_OMITTED: Rule = Rule {
    section: "RFC 9113 §3.4",
    text: "Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type \
           PROTOCOL_ERROR. A GOAWAY frame (Section 6.8) MAY be omitted in this case, since an invalid preface indicates \
           that the peer is not using HTTP/2.",
};

/// A code RFC 9113 does not define is no substitute for the one it names.
pub const UNDEFINED_CODE: Rule = Rule {
    section: "RFC 9113 §7",
    text: "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an \
           implementation as being equivalent to INTERNAL_ERROR. (The code sent is not one RFC 9113 defines.)",
};

/// Ending the connection is always allowed where the only rule is not to answer.
pub const END_AT_ANY_TIME: Rule = Rule {
    section: "RFC 9113 §5.4.1",
    text: "An endpoint can end a connection at any time.",
};

/// The server answered before the request was complete, and closed the stream cleanly.
pub const EARLY_RESPONSE: Rule = Rule {
    section: "RFC 9113 §8.1",
    text: "A server can send a complete response prior to the client sending an entire request if the response does not \
           depend on any portion of the request that has not been sent and received.",
};

/// What a server sends must be valid HTTP/2 itself.
pub const SERVER_OUTPUT: Rule = Rule {
    section: "RFC 9113 §4.1, §4.3",
    text: "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) of type \
           COMPRESSION_ERROR. (The server's own frames could not be decoded under RFC 9113 and RFC 7541.)",
};

/// Flow control binds the server's DATA.
pub const FLOW_CONTROL: Rule = Rule {
    section: "RFC 9113 §6.9.1",
    text: "A sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of \
           the flow-control windows advertised by the receiver.",
};

/// A PING must be answered: what shows a peer alive when nothing else may come.
pub const PING_ANSWERED: Rule = Rule {
    section: "RFC 9113 §6.7",
    text: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in \
           response, with an identical frame payload. (Nothing followed the window's worth of DATA, not even the PING's \
           answer: a peer that stopped altogether shows nothing of what it would have sent.)",
};

/// A response must carry exactly one :status.
pub const RESPONSE_STATUS: Rule = Rule {
    section: "RFC 9113 §8.3.2",
    text: "For HTTP/2 responses, a single \":status\" pseudo-header field is defined that carries the HTTP status code \
           field (see Section 15 of [HTTP]). This pseudo-header field MUST be included in all responses, including \
           interim responses; otherwise, the response is malformed (Section 8.1.1).",
};

/// Denial-of-service limits are a SHOULD.
pub const LIMITS: Rule = Rule {
    section: "RFC 9113 §10.5",
    text: "Implementations SHOULD track the use of these features and set limits on their use. An endpoint MAY treat \
           activity that is suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM.",
};

/// A peer's unknown error code may be taken for INTERNAL_ERROR.
pub const UNKNOWN_AS_INTERNAL: Rule = Rule {
    section: "RFC 9113 §7",
    text: "Unknown or unsupported error codes MUST NOT trigger any special behavior. These MAY be treated by an \
           implementation as being equivalent to INTERNAL_ERROR. (The server took our unknown code for an error, which \
           this allows, and closed with an error code of its own: a reading the RFC leaves open.)",
};

/// A client must not take a malformed response for a valid one.
pub const CLIENT_MALFORMED: Rule = Rule {
    section: "RFC 9113 §8.1.1",
    text: "Malformed requests or responses that are detected MUST be treated as a stream error (Section 5.4.2) of type \
           PROTOCOL_ERROR. For malformed requests, a server MAY send an HTTP response prior to closing or resetting the \
           stream. Clients MUST NOT accept a malformed response.",
};

/// No new stream on a connection after the peer's GOAWAY.
pub const NO_STREAMS_AFTER_GOAWAY: Rule = Rule {
    section: "RFC 9113 §6.8",
    text: "Receivers of a GOAWAY frame MUST NOT open additional streams on the connection, although a new connection can \
           be established for new streams.",
};

/// Unprocessed requests may be retried, and have not failed.
pub const UNPROCESSED_NOT_FAILED: Rule = Rule {
    section: "RFC 9113 §8.7",
    text: "Requests that have not been processed have not failed; clients MAY automatically retry them, even those with \
           non-idempotent methods. (The client reported the request as failed instead of retrying it: allowed, but its \
           user sees a failure the server said had not happened.)",
};

/// A client that crashes or hangs on a hostile server's output has no limit.
pub const CLIENT_LIMITS: Rule = Rule {
    section: "RFC 9113 §10.5",
    text: "An endpoint that doesn't monitor use of these features exposes itself to a risk of denial of service. \
           Implementations SHOULD track the use of these features and set limits on their use.",
};
