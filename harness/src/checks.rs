//! The passive checks: rules that bind the server's own output, watched on every connection.
//!
//! Active cases provoke a reaction; these judge everything else the server sends meanwhile
//! (its SETTINGS, its frames' format, stream states, flow control, GOAWAY, its responses and
//! its HPACK encoder), by [`crate::checker::Checker`]. Each is reported like a case: its id
//! ends in `server-…`, it carries the tag `server-output`, and it passes when no connection
//! of the run broke the rule. Requirements are quoted from the RFCs via the requirement map
//! (cases/requirements/*.toml).

use crate::conn::Role;
use crate::model::Level;

/// The tag of every passive check.
pub const SERVER_OUTPUT_TAG: &str = "server-output";

/// One passive check: identity per role, level and the rule in words. Most rules bind
/// either endpoint and are judged in both roles; a few bind only a server (push) or only a
/// client (the stream ids it opens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// The id when h2probe plays the client and judges a server, e.g.
    /// `rfc9113/4.1/server-reserved-bit`; `None` if the rule binds no server.
    pub server_id: Option<&'static str>,
    /// The id when h2probe plays the server and judges a client; `None` if it binds no client.
    pub client_id: Option<&'static str>,
    /// RFC and section.
    pub section: &'static str,
    /// MUST or SHOULD.
    pub level: Level,
    /// The rule, in one line, as a server must follow it.
    pub rule: &'static str,
    /// The rule as a client must follow it, where the words differ ("" = the same).
    pub client_rule: &'static str,
    /// The requirement sentences, quoted.
    pub requirement: &'static str,
}

impl Check {
    /// The id in `role` (the side h2probe plays), if the rule applies there.
    pub fn id(&self, role: Role) -> Option<&'static str> {
        match role {
            Role::Client => self.server_id,
            Role::Server => self.client_id,
        }
    }

    /// The rule in words for `role`.
    pub fn rule(&self, role: Role) -> &'static str {
        match role {
            Role::Server if !self.client_rule.is_empty() => self.client_rule,
            _ => self.rule,
        }
    }
}

/// The passive checks as catalogue entries for h2probe playing `role`, so `list`, selection,
/// `--expect` and every report treat them like cases. Never run on a connection of their own.
pub fn cases_for(role: Role) -> Vec<crate::case::Case> {
    CHECKS
        .iter()
        .filter_map(|c| {
            Some(crate::case::Case {
                id: c.id(role)?,
                section: c.section,
                h2spec: None,
                aliases: &[],
                level: c.level,
                description: c.rule(role),
                requirement: c.requirement,
                tags: &[SERVER_OUTPUT_TAG],
                setup: crate::case::Setup::STANDARD,
                script: |_| Err("a passive check is judged over the run's connections".into()),
                reactions: &[],
                // Never run; the action only places it in the client catalogue.
                peer: match role {
                    Role::Client => crate::case::Peer::Server,
                    Role::Server => crate::case::Peer::Client(crate::case::Action::Get),
                },
            })
        })
        .collect()
}

/// The passive checks of a server's output (h2probe playing the client).
pub fn cases() -> Vec<crate::case::Case> {
    cases_for(Role::Client)
}

/// The checks, by name, in the order of [`CHECKS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    /// rfc9113/3.4/server-preface-settings
    PrefaceSettings,
    /// rfc9113/6.5.3/server-settings-ack
    SettingsAck,
    /// rfc9113/6.8/server-goaway-before-close
    GoawayBeforeClose,
    /// rfc9113/6.8/server-goaway-last-stream-id
    GoawayLastStream,
    /// rfc9113/6.8/server-graceful-shutdown-two-step
    GracefulTwoStep,
    /// rfc9113/5.4/server-one-connection-error
    OneConnectionError,
    /// rfc9113/9.2.2/server-inadequate-security
    InadequateSecurity,
    /// rfc9113/4.1/server-frame-size
    FrameSize,
    /// rfc9113/4.1/server-unused-flags
    UnusedFlags,
    /// rfc9113/4.1/server-reserved-bit
    ReservedBit,
    /// rfc9113/6/server-stream-identifier-class
    StreamIdClass,
    /// rfc9113/6.1/server-zero-padding
    Padding,
    /// rfc9113/6.5/server-settings-format
    SettingsFormat,
    /// rfc9113/6.7/server-ping-format
    PingFormat,
    /// rfc9113/6.7/server-ping-ack
    PingAck,
    /// rfc9113/4.3/server-contiguous-field-block
    ContiguousBlock,
    /// rfc9113/5.1/server-closed-stream-frames
    ClosedStreamFrames,
    /// rfc9113/6.4/server-silent-after-rst
    SilentAfterRst,
    /// rfc9113/6.4/server-no-rst-on-idle
    RstOnIdle,
    /// rfc9113/5.4.2/server-one-rst-per-stream
    OneRstPerStream,
    /// rfc9113/5.4.2/server-no-rst-for-rst
    NoRstForRst,
    /// rfc9113/8.7/server-refused-after-processing
    RefusedAfterProcessing,
    /// rfc9113/6.9.1/server-flow-control-window
    FlowControlWindow,
    /// rfc9113/6.9/server-window-update-increment
    WindowUpdateIncrement,
    /// rfc9113/6.5.2/server-enable-push
    EnablePush,
    /// rfc9113/6.5.2/server-settings-values
    SettingsValues,
    /// rfc9113/6.5.2/server-push-when-disabled
    PushWhenDisabled,
    /// rfc9113/8.3/server-response-pseudo-headers
    ResponsePseudoHeaders,
    /// rfc9113/8.1/server-response-framing
    ResponseFraming,
    /// rfc9113/8.2.1/server-field-validity
    FieldValidity,
    /// rfc9113/8.2.2/server-connection-specific-fields
    ConnectionSpecific,
    /// rfc9113/8.1.1/server-content-length
    ContentLength,
    /// rfc7541/3.2/server-block-decodes
    BlockDecodes,
    /// rfc7541/2.3.3/server-index-in-range
    IndexInRange,
    /// rfc7541/5.1/server-integer-limits
    IntegerLimits,
    /// rfc7541/5.2/server-huffman-valid
    HuffmanValid,
    /// rfc7541/4.2/server-size-update-first
    SizeUpdateFirst,
    /// rfc7541/6.3/server-size-update-limit
    SizeUpdateLimit,
    /// rfc9218/2.1/server-no-rfc7540-priorities
    NoRfc7540Priorities,
    /// rfc9218/7.1/server-no-priority-update
    NoPriorityUpdate,
    /// rfc8441/3/server-enable-connect-protocol
    EnableConnectProtocol,
    /// rfc9113/5.1.1/server-promised-stream-id
    PromisedStreamId,
    /// rfc9113/6.6/server-push-promise-stream
    PushPromiseStream,
    /// rfc9113/8.4.1/server-push-request
    PushRequest,
    /// rfc9113/5.1/server-reserved-local-frames
    ReservedLocalFrames,
    /// rfc9113/5.1.2/server-push-concurrency
    PushConcurrency,
    /// rfc9113/8.4.1/server-push-promise-early
    PushPromiseEarly,
    /// rfc9113/6.8/server-no-push-after-goaway
    NoPushAfterGoaway,
    /// rfc9113/8.5/server-connect-stream-frames
    ConnectStreamFrames,
    /// rfc9113/5.1.1/client-stream-ids
    NewStreamIds,
}

impl CheckId {
    /// Every check, in catalogue order.
    pub const ALL: &'static [CheckId] = &[
        CheckId::PrefaceSettings,
        CheckId::SettingsAck,
        CheckId::GoawayBeforeClose,
        CheckId::GoawayLastStream,
        CheckId::GracefulTwoStep,
        CheckId::OneConnectionError,
        CheckId::InadequateSecurity,
        CheckId::FrameSize,
        CheckId::UnusedFlags,
        CheckId::ReservedBit,
        CheckId::StreamIdClass,
        CheckId::Padding,
        CheckId::SettingsFormat,
        CheckId::PingFormat,
        CheckId::PingAck,
        CheckId::ContiguousBlock,
        CheckId::ClosedStreamFrames,
        CheckId::SilentAfterRst,
        CheckId::RstOnIdle,
        CheckId::OneRstPerStream,
        CheckId::NoRstForRst,
        CheckId::RefusedAfterProcessing,
        CheckId::FlowControlWindow,
        CheckId::WindowUpdateIncrement,
        CheckId::EnablePush,
        CheckId::SettingsValues,
        CheckId::PushWhenDisabled,
        CheckId::ResponsePseudoHeaders,
        CheckId::ResponseFraming,
        CheckId::FieldValidity,
        CheckId::ConnectionSpecific,
        CheckId::ContentLength,
        CheckId::BlockDecodes,
        CheckId::IndexInRange,
        CheckId::IntegerLimits,
        CheckId::HuffmanValid,
        CheckId::SizeUpdateFirst,
        CheckId::SizeUpdateLimit,
        CheckId::NoRfc7540Priorities,
        CheckId::NoPriorityUpdate,
        CheckId::EnableConnectProtocol,
        CheckId::PromisedStreamId,
        CheckId::PushPromiseStream,
        CheckId::PushRequest,
        CheckId::ReservedLocalFrames,
        CheckId::PushConcurrency,
        CheckId::PushPromiseEarly,
        CheckId::NoPushAfterGoaway,
        CheckId::ConnectStreamFrames,
        CheckId::NewStreamIds,
    ];

    /// The check's definition.
    pub fn def(self) -> &'static Check {
        &CHECKS[self as usize]
    }
}

/// The definitions, in the order of [`CheckId`].
pub const CHECKS: &[Check] = &[
    Check {
        server_id: Some("rfc9113/3.4/server-preface-settings"),
        client_id: Some("rfc9113/3.4/client-preface"),
        section: "RFC 9113 §3.4",
        level: Level::Must,
        rule: "the server's first frame is a SETTINGS frame without ACK",
        client_rule: "the client's first octets are the connection preface and a SETTINGS frame",
        requirement: "Once TLS negotiation is complete, both the client and the server MUST send a connection preface (Section 3.4). … Likewise, the server MUST send a connection preface (Section 3.4). … The server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends in the HTTP/2 connection. … A SETTINGS frame MUST be sent by both endpoints at the start of a connection and MAY be sent at any other time by either endpoint over the lifetime of the connection.",
    },
    Check {
        server_id: Some("rfc9113/6.5.3/server-settings-ack"),
        client_id: Some("rfc9113/6.5.3/client-settings-ack"),
        section: "RFC 9113 §6.5.3",
        level: Level::Must,
        rule: "every valid SETTINGS we send is acknowledged, once, in order, and no ACK comes for a SETTINGS we did not send",
        client_rule: "",
        requirement: "The SETTINGS frames received from a peer as part of the connection preface MUST be acknowledged (see Section 6.5.3) after sending the connection preface. … Once all values have been processed, the recipient MUST immediately emit a SETTINGS frame with the ACK flag set.",
    },
    Check {
        server_id: Some("rfc9113/6.8/server-goaway-before-close"),
        client_id: Some("rfc9113/6.8/client-goaway-before-close"),
        section: "RFC 9113 §6.8",
        level: Level::Should,
        rule: "the server sends GOAWAY before it closes the connection",
        client_rule: "the client sends GOAWAY before it closes the connection",
        requirement: "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame (Section 6.8) with the stream identifier of the last stream that it successfully received from its peer. … Endpoints SHOULD send a GOAWAY frame when ending a connection, providing that circumstances permit it. … Endpoints SHOULD always send a GOAWAY frame before closing a connection so that the remote peer can know whether a stream has been partially processed or not. … A GOAWAY frame might not immediately precede closing of the connection; a receiver of a GOAWAY that has no more use for the connection SHOULD still send a GOAWAY frame before terminating the connection. … When either endpoint chooses to close the transport-layer TCP connection, the terminating endpoint SHOULD first send a GOAWAY (Section 6.8) frame so that both endpoints can reliably determine whether previously sent frames have been processed and gracefully complete or terminate any necessary remaining tasks.",
    },
    Check {
        server_id: Some("rfc9113/6.8/server-goaway-last-stream-id"),
        client_id: Some("rfc9113/6.8/client-goaway-last-stream-id"),
        section: "RFC 9113 §6.8",
        level: Level::Must,
        rule: "GOAWAY's last-stream-id never increases and is not below a stream the server has processed",
        client_rule: "",
        requirement: "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame (Section 6.8) with the stream identifier of the last stream that it successfully received from its peer. … Endpoints MUST NOT increase the value they send in the last stream identifier, since the peers might already have retried unprocessed requests on another connection. … a GOAWAY frame MUST include a stream identifier that is greater than or equal to the given stream identifier",
    },
    Check {
        server_id: Some("rfc9113/6.8/server-graceful-shutdown-two-step"),
        client_id: None,
        section: "RFC 9113 §6.8",
        level: Level::Should,
        rule: "a graceful shutdown starts with GOAWAY(NO_ERROR, 2^31-1)",
        client_rule: "",
        requirement: "A server that is attempting to gracefully shut down a connection SHOULD send an initial GOAWAY frame with the last stream identifier set to 2^31-1 and a NO_ERROR code.",
    },
    Check {
        server_id: Some("rfc9113/5.4/server-one-connection-error"),
        client_id: Some("rfc9113/5.4/client-one-connection-error"),
        section: "RFC 9113 §5.4",
        level: Level::Should,
        rule: "at most one GOAWAY with an error code per connection",
        client_rule: "",
        requirement: "Implementations MAY discover multiple errors during processing, but they SHOULD report at most one stream and one connection error as a result. … In comparison, the protocol permits multiple GOAWAY frames, though an endpoint SHOULD report just one type of connection error unless an error is encountered during graceful shutdown.",
    },
    Check {
        server_id: Some("rfc9113/9.2.2/server-inadequate-security"),
        client_id: Some("rfc9113/9.2.2/client-inadequate-security"),
        section: "RFC 9113 §9.2.2",
        level: Level::Must,
        rule: "no INADEQUATE_SECURITY on a TLS connection with TLS 1.3 or an allowed TLS 1.2 suite",
        client_rule: "",
        requirement: "Implementations MUST NOT generate this error in reaction to the negotiation of a cipher suite that is not prohibited.",
    },
    Check {
        server_id: Some("rfc9113/4.1/server-frame-size"),
        client_id: Some("rfc9113/4.1/client-frame-size"),
        section: "RFC 9113 §4.1",
        level: Level::Must,
        rule: "no frame longer than the SETTINGS_MAX_FRAME_SIZE we advertised",
        client_rule: "",
        requirement: "Values greater than 2^14 (16,384) MUST NOT be sent unless the receiver has set a larger value for SETTINGS_MAX_FRAME_SIZE. … Implementations MUST support all of the settings defined by this specification.",
    },
    Check {
        server_id: Some("rfc9113/4.1/server-unused-flags"),
        client_id: Some("rfc9113/4.1/client-unused-flags"),
        section: "RFC 9113 §4.1",
        level: Level::Must,
        rule: "flags a frame type does not define are left unset",
        client_rule: "",
        requirement: "MUST be left unset (0x00) when sending",
    },
    Check {
        server_id: Some("rfc9113/4.1/server-reserved-bit"),
        client_id: Some("rfc9113/4.1/client-reserved-bit"),
        section: "RFC 9113 §4.1",
        level: Level::Must,
        rule: "the reserved bit of the stream identifier is left unset",
        client_rule: "",
        requirement: "The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when sending",
    },
    Check {
        server_id: Some("rfc9113/6/server-stream-identifier-class"),
        client_id: Some("rfc9113/6/client-stream-identifier-class"),
        section: "RFC 9113 §6",
        level: Level::Must,
        rule: "stream-level frames never on stream 0, connection-level frames only on stream 0, frame lengths as each type requires",
        client_rule: "",
        requirement: "DATA frames MUST be associated with a stream. … HEADERS frames MUST be associated with a stream. … RST_STREAM frames MUST be associated with a stream. … The stream identifier for a SETTINGS frame MUST be zero (0x00). … CONTINUATION frames MUST be associated with a stream.",
    },
    Check {
        server_id: Some("rfc9113/6.1/server-zero-padding"),
        client_id: Some("rfc9113/6.1/client-zero-padding"),
        section: "RFC 9113 §6.1",
        level: Level::Must,
        rule: "padding fits the frame and is made of zero octets",
        client_rule: "",
        requirement: "Padding octets MUST be set to zero when sending. … Padding octets MUST be set to zero when sending. … Padding octets MUST be set to zero when sending.",
    },
    Check {
        server_id: Some("rfc9113/6.5/server-settings-format"),
        client_id: Some("rfc9113/6.5/client-settings-format"),
        section: "RFC 9113 §6.5",
        level: Level::Must,
        rule: "a SETTINGS ACK carries no payload",
        client_rule: "",
        requirement: "When this bit is set, the frame payload of the SETTINGS frame MUST be empty.",
    },
    Check {
        server_id: Some("rfc9113/6.7/server-ping-format"),
        client_id: Some("rfc9113/6.7/client-ping-format"),
        section: "RFC 9113 §6.7",
        level: Level::Must,
        rule: "PING frames carry exactly 8 octets",
        client_rule: "",
        requirement: "In addition to the frame header, PING frames MUST contain 8 octets of opaque data in the frame payload.",
    },
    Check {
        server_id: Some("rfc9113/6.7/server-ping-ack"),
        client_id: Some("rfc9113/6.7/client-ping-ack"),
        section: "RFC 9113 §6.7",
        level: Level::Must,
        rule: "every PING we send is answered by a PING ACK with the same payload, and a PING ACK is never answered",
        client_rule: "",
        requirement: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload. … An endpoint MUST set this flag in PING responses. … An endpoint MUST NOT respond to PING frames containing this flag.",
    },
    Check {
        server_id: Some("rfc9113/4.3/server-contiguous-field-block"),
        client_id: Some("rfc9113/4.3/client-contiguous-field-block"),
        section: "RFC 9113 §4.3",
        level: Level::Must,
        rule: "a field block is HEADERS or PUSH_PROMISE then CONTINUATION frames on the same stream, with nothing in between",
        client_rule: "",
        requirement: "Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved frames of any other type or from any other stream. … A HEADERS frame without the END_HEADERS flag set MUST be followed by a CONTINUATION frame for the same stream. … A PUSH_PROMISE frame without the END_HEADERS flag set MUST be followed by a CONTINUATION frame for the same stream. … If the END_HEADERS flag is not set, this frame MUST be followed by another CONTINUATION frame. … A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag set. … Other frames (from any stream) MUST NOT occur between the HEADERS frame and any CONTINUATION frames that might follow.",
    },
    Check {
        server_id: Some("rfc9113/5.1/server-closed-stream-frames"),
        client_id: Some("rfc9113/5.1/client-closed-stream-frames"),
        section: "RFC 9113 §5.1",
        level: Level::Must,
        rule: "no frames but PRIORITY on a stream the server has closed, unless answering a frame we sent on it",
        client_rule: "no frames but PRIORITY on a stream the client has closed, unless answering a frame we sent on it",
        requirement: "An endpoint MUST NOT send frames other than PRIORITY on a closed stream.",
    },
    Check {
        server_id: Some("rfc9113/6.4/server-silent-after-rst"),
        client_id: Some("rfc9113/6.4/client-silent-after-rst"),
        section: "RFC 9113 §6.4",
        level: Level::Must,
        rule: "no frames but PRIORITY on a stream once the server has processed our RST_STREAM on it",
        client_rule: "",
        requirement: "After receiving a RST_STREAM on a stream, the receiver MUST NOT send additional frames for that stream, except for PRIORITY.",
    },
    Check {
        server_id: Some("rfc9113/6.4/server-no-rst-on-idle"),
        client_id: Some("rfc9113/6.4/client-no-rst-on-idle"),
        section: "RFC 9113 §6.4",
        level: Level::Must,
        rule: "no RST_STREAM, and no other frame but PRIORITY, on an idle stream",
        client_rule: "",
        requirement: "RST_STREAM frames MUST NOT be sent for a stream in the \"idle\" state.",
    },
    Check {
        server_id: Some("rfc9113/5.4.2/server-one-rst-per-stream"),
        client_id: Some("rfc9113/5.4.2/client-one-rst-per-stream"),
        section: "RFC 9113 §5.4.2",
        level: Level::Should,
        rule: "at most one RST_STREAM per stream, unless frames keep arriving on it",
        client_rule: "",
        requirement: "Implementations MAY discover multiple errors during processing, but they SHOULD report at most one stream and one connection error as a result. … Normally, an endpoint SHOULD NOT send more than one RST_STREAM frame for any stream.",
    },
    Check {
        server_id: Some("rfc9113/5.4.2/server-no-rst-for-rst"),
        client_id: Some("rfc9113/5.4.2/client-no-rst-for-rst"),
        section: "RFC 9113 §5.4.2",
        level: Level::Must,
        rule: "no RST_STREAM in answer to our RST_STREAM",
        client_rule: "",
        requirement: "To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.",
    },
    Check {
        server_id: Some("rfc9113/8.7/server-refused-after-processing"),
        client_id: None,
        section: "RFC 9113 §8.7",
        level: Level::Must,
        rule: "no REFUSED_STREAM for a stream the server has already answered",
        client_rule: "",
        requirement: "A server MUST NOT indicate that a stream has not been processed unless it can guarantee that fact. … If frames that are on a stream are passed to the application layer for any stream, then REFUSED_STREAM MUST NOT be used for that stream",
    },
    Check {
        server_id: Some("rfc9113/6.9.1/server-flow-control-window"),
        client_id: Some("rfc9113/6.9.1/client-flow-control-window"),
        section: "RFC 9113 §6.9.1",
        level: Level::Must,
        rule: "DATA never exceeds the stream or connection window we granted",
        client_rule: "DATA never exceeds the stream or connection window we granted",
        requirement: "A sender MUST respect flow-control limits imposed by a receiver. … Implementations MUST support all of the settings defined by this specification. … The sender MUST NOT send a flow-controlled frame with a length that exceeds the space available in either of the flow-control windows advertised by the receiver. … When the value of SETTINGS_INITIAL_WINDOW_SIZE changes, a receiver MUST adjust the size of all stream flow-control windows that it maintains by the difference between the new value and the old value. … MUST NOT send new flow-controlled frames until it receives WINDOW_UPDATE frames that cause the flow-control window to become positive",
    },
    Check {
        server_id: Some("rfc9113/6.9/server-window-update-increment"),
        client_id: Some("rfc9113/6.9/client-window-update-increment"),
        section: "RFC 9113 §6.9",
        level: Level::Must,
        rule: "WINDOW_UPDATE increments are 1 to 2^31-1 and never raise our window past 2^31-1",
        client_rule: "",
        requirement: "The legal range for the increment to the flow-control window is 1 to 2^31-1 (2,147,483,647) octets. … A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets.",
    },
    Check {
        server_id: Some("rfc9113/6.5.2/server-enable-push"),
        client_id: None,
        section: "RFC 9113 §6.5.2",
        level: Level::Must,
        rule: "the server never sends SETTINGS_ENABLE_PUSH other than 0",
        client_rule: "",
        requirement: "A server MUST NOT explicitly set this value to 1. … A server MAY choose to omit this setting when it sends a SETTINGS frame, but if a server does include a value, it MUST be 0.",
    },
    Check {
        server_id: Some("rfc9113/6.5.2/server-settings-values"),
        client_id: Some("rfc9113/6.5.2/client-settings-values"),
        section: "RFC 9113 §6.5.2",
        level: Level::Must,
        rule: "SETTINGS values from the server are in range",
        client_rule: "SETTINGS values from the client are in range",
        requirement: "The value advertised by an endpoint MUST be between this initial value and the maximum allowed frame size (2^24-1 or 16,777,215 octets), inclusive.",
    },
    Check {
        server_id: Some("rfc9113/6.5.2/server-push-when-disabled"),
        client_id: Some("rfc9113/8.4/client-no-push"),
        section: "RFC 9113 §6.5.2",
        level: Level::Must,
        rule: "no PUSH_PROMISE while our SETTINGS_ENABLE_PUSH is 0",
        client_rule: "a client never sends PUSH_PROMISE",
        requirement: "Implementations MUST support all of the settings defined by this specification. … A server MUST NOT send a PUSH_PROMISE frame if it receives this parameter set to a value of 0; see Section 8.4. … PUSH_PROMISE MUST NOT be sent if the SETTINGS_ENABLE_PUSH setting of the peer endpoint is set to 0.",
    },
    Check {
        server_id: Some("rfc9113/8.3/server-response-pseudo-headers"),
        client_id: Some("rfc9113/8.3.1/client-request-pseudo-headers"),
        section: "RFC 9113 §8.3",
        level: Level::Must,
        rule: "a response has exactly one :status, before regular fields, no other pseudo-header, and trailers have none",
        client_rule: "a request has exactly one :method, :scheme and :path (none of the last two for CONNECT), pseudo-headers first and once, no response pseudo-header; trailers have none",
        requirement: "Trailers MUST NOT include pseudo-header fields (Section 8.3). … Clients MUST NOT accept a malformed response. … Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Pseudo-header fields defined for requests MUST NOT appear in responses … Pseudo-header fields MUST NOT appear in a trailer section. … All pseudo-header fields MUST appear in a field block before all regular field lines. … The same pseudo-header field name MUST NOT appear more than once in a field block. … This pseudo-header field MUST be included in all responses, including interim responses; otherwise, the response is malformed (Section 8.1.1).",
    },
    Check {
        server_id: Some("rfc9113/8.1/server-response-framing"),
        client_id: Some("rfc9113/8.1/client-request-framing"),
        section: "RFC 9113 §8.1",
        level: Level::Must,
        rule: "a response is interim HEADERS without END_STREAM, then the final HEADERS, DATA, and at most a trailer HEADERS with END_STREAM",
        client_rule: "a request is HEADERS, then DATA, and at most a trailer HEADERS with END_STREAM",
        requirement: "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a request or after receiving a final (non-informational) status code MUST treat the corresponding request or response as malformed (Section 8.1.1). … Clients MUST NOT accept a malformed response.",
    },
    Check {
        server_id: Some("rfc9113/8.2.1/server-field-validity"),
        client_id: Some("rfc9113/8.2.1/client-field-validity"),
        section: "RFC 9113 §8.2.1",
        level: Level::Must,
        rule: "field names are lowercase tokens without colons, values have no NUL, CR, LF or outer whitespace",
        client_rule: "",
        requirement: "Clients MUST NOT accept a malformed response. … Field names MUST be converted to lowercase when constructing an HTTP/2 message. … A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive). … With the exception of pseudo-header fields (Section 8.3), which have a name that starts with a single colon, field names MUST NOT include a colon (ASCII COLON, 0x3a). … A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position. … A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09).",
    },
    Check {
        server_id: Some("rfc9113/8.2.2/server-connection-specific-fields"),
        client_id: Some("rfc9113/8.2.2/client-connection-specific-fields"),
        section: "RFC 9113 §8.2.2",
        level: Level::Must,
        rule: "no connection-specific fields in responses",
        client_rule: "no connection-specific fields in requests (te only as \"trailers\")",
        requirement: "Clients MUST NOT accept a malformed response. … An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields. … The only exception to this is the TE header field, which MAY be present in an HTTP/2 request; when it is, it MUST NOT contain any value other than \"trailers\".",
    },
    Check {
        server_id: Some("rfc9113/8.1.1/server-content-length"),
        client_id: Some("rfc9113/8.1.1/client-content-length"),
        section: "RFC 9113 §8.1.1",
        level: Level::Must,
        rule: "content-length equals the DATA the response carries",
        client_rule: "content-length equals the DATA the request carries",
        requirement: "Clients MUST NOT accept a malformed response.",
    },
    Check {
        server_id: Some("rfc7541/3.2/server-block-decodes"),
        client_id: Some("rfc7541/3.2/client-block-decodes"),
        section: "RFC 7541 §3.2",
        level: Level::Must,
        rule: "every field block the server sends decodes",
        client_rule: "",
        requirement: "To ensure that the decoding will successfully produce a header list, a decoder MUST obey the following rules.",
    },
    Check {
        server_id: Some("rfc7541/2.3.3/server-index-in-range"),
        client_id: Some("rfc7541/2.3.3/client-index-in-range"),
        section: "RFC 7541 §2.3.3",
        level: Level::Must,
        rule: "HPACK indices are within the static and dynamic tables, never 0",
        client_rule: "",
        requirement: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error. … It MUST be treated as a decoding error if found in an indexed header field representation.",
    },
    Check {
        server_id: Some("rfc7541/5.1/server-integer-limits"),
        client_id: Some("rfc7541/5.1/client-integer-limits"),
        section: "RFC 7541 §5.1",
        level: Level::Must,
        rule: "HPACK integers stay within decoder limits",
        client_rule: "",
        requirement: "Integer encodings that exceed implementation limits -- in value or octet length -- MUST be treated as decoding errors.",
    },
    Check {
        server_id: Some("rfc7541/5.2/server-huffman-valid"),
        client_id: Some("rfc7541/5.2/client-huffman-valid"),
        section: "RFC 7541 §5.2",
        level: Level::Must,
        rule: "Huffman strings have valid padding and no EOS",
        client_rule: "",
        requirement: "A padding strictly longer than 7 bits MUST be treated as a decoding error. … A padding not corresponding to the most significant bits of the code for the EOS symbol MUST be treated as a decoding error. … A Huffman-encoded string literal containing the EOS symbol MUST be treated as a decoding error.",
    },
    Check {
        server_id: Some("rfc7541/4.2/server-size-update-first"),
        client_id: Some("rfc7541/4.2/client-size-update-first"),
        section: "RFC 7541 §4.2",
        level: Level::Must,
        rule: "a dynamic table size update comes first in a block, and after our lowered SETTINGS_HEADER_TABLE_SIZE is acknowledged the next block starts with one",
        client_rule: "",
        requirement: "This dynamic table size update MUST occur at the beginning of the first header block following the change to the dynamic table size. … In the case that this size is changed more than once in this interval, the smallest maximum table size that occurs in that interval MUST be signaled in a dynamic table size update. … Once an endpoint acknowledges a change to SETTINGS_HEADER_TABLE_SIZE that reduces the maximum below the current size of the dynamic table, its HPACK encoder MUST start the next field block with a Dynamic Table Size Update instruction that sets the dynamic table to a size that is less than or equal to the reduced maximum; see Section 4.2 of [COMPRESSION]. … Implementations MUST support all of the settings defined by this specification.",
    },
    Check {
        server_id: Some("rfc7541/6.3/server-size-update-limit"),
        client_id: Some("rfc7541/6.3/client-size-update-limit"),
        section: "RFC 7541 §6.3",
        level: Level::Must,
        rule: "a dynamic table size update never exceeds our SETTINGS_HEADER_TABLE_SIZE",
        client_rule: "",
        requirement: "An encoder can choose to use less capacity than this maximum size (see Section 6.3), but the chosen size MUST stay lower than or equal to the maximum set by the protocol. … The new maximum size MUST be lower than or equal to the limit determined by the protocol using HPACK.",
    },
    Check {
        server_id: Some("rfc9218/2.1/server-no-rfc7540-priorities"),
        client_id: Some("rfc9218/2.1/client-no-rfc7540-priorities"),
        section: "RFC 9218 §2.1",
        level: Level::Must,
        rule: "SETTINGS_NO_RFC7540_PRIORITIES is 0 or 1, in the first SETTINGS, and does not change",
        client_rule: "",
        requirement: "The value of SETTINGS_NO_RFC7540_PRIORITIES MUST be 0 or 1. … If endpoints use SETTINGS_NO_RFC7540_PRIORITIES, they MUST send it in the first SETTINGS frame. … Senders MUST NOT change the SETTINGS_NO_RFC7540_PRIORITIES value after the first SETTINGS frame.",
    },
    Check {
        server_id: Some("rfc9218/7.1/server-no-priority-update"),
        client_id: None,
        section: "RFC 9218 §7.1",
        level: Level::Must,
        rule: "servers send no PRIORITY_UPDATE frames",
        client_rule: "",
        requirement: "Servers MUST NOT send PRIORITY_UPDATE frames.",
    },
    Check {
        server_id: Some("rfc8441/3/server-enable-connect-protocol"),
        client_id: Some("rfc8441/3/client-enable-connect-protocol"),
        section: "RFC 8441 §3",
        level: Level::Must,
        rule: "SETTINGS_ENABLE_CONNECT_PROTOCOL is 0 or 1 and never goes from 1 to 0",
        client_rule: "",
        requirement: "The value of the parameter MUST be 0 or 1. … A sender MUST NOT send a SETTINGS_ENABLE_CONNECT_PROTOCOL parameter with the value of 0 after previously sending a value of 1.",
    },
    Check {
        server_id: Some("rfc9113/5.1.1/server-promised-stream-id"),
        client_id: None,
        section: "RFC 9113 §5.1.1",
        level: Level::Must,
        rule: "promised stream ids are even, new and increasing",
        client_rule: "",
        requirement: "those initiated by the server MUST use even-numbered stream identifiers … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved. … The promised stream identifier MUST be a valid choice for the next stream sent by the sender (see \"new stream identifier\" in Section 5.1.1). … the sender MUST ensure that the promised stream is a valid choice for a new stream identifier (Section 5.1.1) (that is, the promised stream MUST be in the \"idle\" state)",
    },
    Check {
        server_id: Some("rfc9113/6.6/server-push-promise-stream"),
        client_id: None,
        section: "RFC 9113 §6.6",
        level: Level::Must,
        rule: "PUSH_PROMISE only on a stream the client opened and the server has not ended",
        client_rule: "",
        requirement: "PUSH_PROMISE frames MUST only be sent on a peer-initiated stream that is in either the \"open\" or \"half-closed (remote)\" state. … A sender MUST NOT send a PUSH_PROMISE on a stream unless that stream is either \"open\" or \"half-closed (remote)\" … PUSH_PROMISE frames can be sent by the server on any client-initiated stream, but the stream MUST be in either the \"open\" or \"half-closed (remote)\" state with respect to the server.",
    },
    Check {
        server_id: Some("rfc9113/8.4.1/server-push-request"),
        client_id: None,
        section: "RFC 9113 §8.4.1",
        level: Level::Must,
        rule: "a promised request is a complete, safe, cacheable request",
        client_rule: "",
        requirement: "\":authority\" MUST NOT include the deprecated userinfo subcomponent for \"http\" or \"https\" schemed URIs. … This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs … \"http\" or \"https\" URIs that do not contain a path component MUST include a value of '/' … All HTTP/2 requests MUST include exactly one valid value for the \":method\", \":scheme\", and \":path\" pseudo-header fields, unless they are CONNECT requests (Section 8.5). … Promised requests MUST be safe (see Section 9.2.1 of [HTTP]) and cacheable (see Section 9.2.3 of [HTTP]). … The server MUST include a value in the \":authority\" pseudo-header field for which the server is authoritative (see Section 10.1). … The header fields in PUSH_PROMISE and any subsequent CONTINUATION frames MUST be a valid and complete set of request header fields (Section 8.3.1). … The server MUST include a method in the \":method\" pseudo-header field that is safe and cacheable.",
    },
    Check {
        server_id: Some("rfc9113/5.1/server-reserved-local-frames"),
        client_id: None,
        section: "RFC 9113 §5.1",
        level: Level::Must,
        rule: "on a stream it promised, the server sends only HEADERS, RST_STREAM or PRIORITY until its HEADERS",
        client_rule: "",
        requirement: "An endpoint MUST NOT send any type of frame other than HEADERS, RST_STREAM, or PRIORITY in this state.",
    },
    Check {
        server_id: Some("rfc9113/5.1.2/server-push-concurrency"),
        client_id: Some("rfc9113/5.1.2/client-concurrency"),
        section: "RFC 9113 §5.1.2",
        level: Level::Must,
        rule: "no more pushed streams open at once than our SETTINGS_MAX_CONCURRENT_STREAMS allows",
        client_rule: "no more streams open at once than our SETTINGS_MAX_CONCURRENT_STREAMS allows",
        requirement: "Endpoints MUST NOT exceed the limit set by their peer.",
    },
    Check {
        server_id: Some("rfc9113/8.4.1/server-push-promise-early"),
        client_id: None,
        section: "RFC 9113 §8.4.1",
        level: Level::Should,
        rule: "a PUSH_PROMISE comes before the response DATA that could refer to the pushed resource",
        client_rule: "",
        requirement: "The server SHOULD send PUSH_PROMISE (Section 6.6) frames prior to sending any frames that reference the promised responses.",
    },
    Check {
        server_id: Some("rfc9113/6.8/server-no-push-after-goaway"),
        client_id: None,
        section: "RFC 9113 §6.8",
        level: Level::Must,
        rule: "no new pushed streams once the server has processed our GOAWAY",
        client_rule: "",
        requirement: "Receivers of a GOAWAY frame MUST NOT open additional streams on the connection, although a new connection can be established for new streams.",
    },
    Check {
        server_id: Some("rfc9113/8.5/server-connect-stream-frames"),
        client_id: None,
        section: "RFC 9113 §8.5",
        level: Level::Must,
        rule: "on a CONNECT tunnel the server answered with a 2xx, only DATA, RST_STREAM, WINDOW_UPDATE and PRIORITY follow",
        client_rule: "",
        requirement: "Frame types other than DATA or stream management frames (RST_STREAM, WINDOW_UPDATE, and PRIORITY) MUST NOT be sent on a connected stream",
    },
    Check {
        server_id: None,
        client_id: Some("rfc9113/5.1.1/client-stream-ids"),
        section: "RFC 9113 §5.1.1",
        level: Level::Must,
        rule: "a new stream opened by the client has an odd id above every stream it opened before",
        client_rule: "",
        requirement: "Streams initiated by a client MUST use odd-numbered stream identifiers … The identifier of a newly established stream MUST be numerically greater than all streams that the initiating endpoint has opened or reserved.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_follow_the_enum() {
        assert_eq!(CheckId::ALL.len(), CHECKS.len());
        let mut ids = std::collections::HashSet::new();
        for (i, c) in CheckId::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "{c:?} out of order");
            let d = c.def();
            assert!(d.server_id.is_some() || d.client_id.is_some(), "{c:?} applies to no role");
            assert!(d.server_id.is_none_or(|id| id.contains("/server-")), "{c:?}");
            assert!(d.client_id.is_none_or(|id| id.contains("/client-")), "{c:?}");
            for id in d.server_id.iter().chain(&d.client_id) {
                assert!(ids.insert(*id), "{id} twice");
            }
        }
        // The variant and its definition are the same rule.
        assert_eq!(CheckId::ReservedBit.def().server_id, Some("rfc9113/4.1/server-reserved-bit"));
        assert_eq!(CheckId::ConnectStreamFrames.def().server_id, Some("rfc9113/8.5/server-connect-stream-frames"));
        assert_eq!(CheckId::NewStreamIds.def().client_id, Some("rfc9113/5.1.1/client-stream-ids"));
        assert_eq!(CheckId::PushWhenDisabled.def().client_id, Some("rfc9113/8.4/client-no-push"));
    }
}
