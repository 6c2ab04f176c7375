//! Reactions a scripted peer can enact (the scripted server, or in client mode the scripted
//! client), and the verdict class each must get.
//!
//! Beside every case stand its reaction rows: the canonical reaction, each alternative the
//! RFC allows, and reactions the RFC forbids (one of them: ignoring the violation). The
//! reaction test runs the case against [`crate::scripted`] enacting each row and checks the
//! verdict, so a case's expectation is proven against reactions no real server happens to
//! show. Rows are `const` data, written next to the case they prove.

use crate::model::Class;
use core::fmt;
use h2probe_codec::ErrorCode;

/// What the scripted peer does once the last frames of a case's script have arrived (the
/// trigger), or, for the output variants, throughout the connection.
///
/// Where a text says "server", the scripted client does the mirror image: it resets its own
/// request's stream, sends its GOAWAY, ends its run with exit status 1 when its request did
/// not succeed (and 0, printing the body, when it did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// A peer that does not notice the violation: it processes everything as a lenient
    /// peer would, answering requests (a client: taking responses, printing a 2xx body and
    /// exiting 0), PINGs and SETTINGS.
    Ignore,
    /// GOAWAY with this code, then close.
    GoAway(ErrorCode),
    /// GOAWAY with this code, and keep serving (no close).
    GoAwayOpen(ErrorCode),
    /// Close the connection without GOAWAY.
    Close,
    /// RST_STREAM(stream, code), then keep serving the other streams.
    Reset(u32, ErrorCode),
    /// RST_STREAM(stream, code), then GOAWAY(code) and close.
    ResetThenGoAway(u32, ErrorCode, ErrorCode),
    /// RST_STREAM(stream, code), then close without GOAWAY.
    ResetThenClose(u32, ErrorCode),
    /// Server only: a complete response with this status on the stream (END_STREAM on its
    /// HEADERS), in place of the normal one.
    Respond(u32, u16),
    /// Server only: response HEADERS with this status (no END_STREAM), then RST_STREAM(code).
    RespondThenReset(u32, u16, ErrorCode),
    /// Server only: response HEADERS with this status and nothing more on the stream.
    RespondOpen(u32, u16),
    /// Discard the last frames of the script unanswered; keep serving what follows.
    Drop,
    /// Process everything, and also answer PING frames that carry ACK (which §6.7 forbids).
    EchoAcks,
    /// Process everything, and answer PING frames that carry ACK with a new PING (no ACK)
    /// of the same payload: a response too.
    PingBack,
    /// Never acknowledge the client's SETTINGS (output variant).
    NoSettingsAck,
    /// Send a WINDOW_UPDATE before the server's first SETTINGS (output variant).
    FirstFrameNotSettings,
    /// Close the connection at once, without a server preface (output variant).
    NoServerPreface,
    /// Never start a field block with the dynamic table size update RFC 9113 §4.3.1
    /// requires after the client lowers SETTINGS_HEADER_TABLE_SIZE (output variant).
    NoSizeUpdate,
    /// Send response bodies whole, ignoring the client's flow-control windows (output variant).
    IgnoreFlowControl,
    /// Client: repeat the refused request on a new connection, then report its response.
    RetryNewConnection,
    /// Client: repeat the refused request on a new stream of the same connection
    /// (forbidden after a GOAWAY, RFC 9113 §6.8).
    RetrySameConnection,
    /// Client: report a failure (exit 1) without a word on the wire.
    GiveUp,
    /// Client: repeat a refused request again and again, on new connections.
    RetryForever,
    /// Client: stop doing anything and never exit.
    Hang,
    /// Client: die as if of SIGSEGV.
    Crash,
    /// Client: process the frames as the lenient client, then report success at once
    /// (exit 0, printing whatever body arrived), complete response or not.
    Deliver,
    /// Client: process the frames, RST_STREAM(stream, code) on the wire, and report success
    /// anyway (exit 0, printing the body): right on the wire, wrong to its user.
    ResetAndDeliver(u32, ErrorCode),
}

/// The peer a scripted reaction is enacted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// [`crate::scripted`], the server of a server case.
    Server,
    /// [`crate::scripted_client`], the client of a client case.
    Client,
}

impl Reaction {
    /// Whether the reaction changes the server's output from the start rather than at the
    /// trigger.
    pub fn is_output_variant(self) -> bool {
        matches!(
            self,
            Reaction::NoSettingsAck
                | Reaction::FirstFrameNotSettings
                | Reaction::NoServerPreface
                | Reaction::NoSizeUpdate
                | Reaction::IgnoreFlowControl
        )
    }

    /// Whether the reaction means something for `role`: the response reactions are a
    /// server's, the retries, hangs and crashes a client's; the rest both have.
    pub fn applies_to(self, role: Role) -> bool {
        let server_only = matches!(self, Reaction::Respond(..) | Reaction::RespondThenReset(..) | Reaction::RespondOpen(..));
        let client_only = matches!(
            self,
            Reaction::RetryNewConnection
                | Reaction::RetrySameConnection
                | Reaction::GiveUp
                | Reaction::RetryForever
                | Reaction::Hang
                | Reaction::Crash
                | Reaction::Deliver
                | Reaction::ResetAndDeliver(..)
        );
        match role {
            Role::Server => !client_only,
            Role::Client => !server_only,
        }
    }
}

impl fmt::Display for Reaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Reaction::Ignore => f.write_str("ignore the violation"),
            Reaction::GoAway(c) => write!(f, "GOAWAY({c}) + close"),
            Reaction::GoAwayOpen(c) => write!(f, "GOAWAY({c}), stay open"),
            Reaction::Close => f.write_str("close without GOAWAY"),
            Reaction::Reset(s, c) => write!(f, "RST_STREAM({s}, {c})"),
            Reaction::ResetThenGoAway(s, c, g) => write!(f, "RST_STREAM({s}, {c}) + GOAWAY({g}) + close"),
            Reaction::ResetThenClose(s, c) => write!(f, "RST_STREAM({s}, {c}) + close"),
            Reaction::Respond(s, st) => write!(f, "complete {st} response on stream {s}"),
            Reaction::RespondThenReset(s, st, c) => write!(f, "{st} response on stream {s}, then RST_STREAM({c})"),
            Reaction::RespondOpen(s, st) => write!(f, "{st} response headers on stream {s}, then nothing"),
            Reaction::Drop => f.write_str("drop the frames unanswered"),
            Reaction::EchoAcks => f.write_str("answer PING ACKs"),
            Reaction::PingBack => f.write_str("answer PING ACKs with a new PING"),
            Reaction::NoSettingsAck => f.write_str("never ACK the peer's SETTINGS"),
            Reaction::FirstFrameNotSettings => f.write_str("WINDOW_UPDATE before its first SETTINGS"),
            Reaction::NoServerPreface => f.write_str("close without a preface"),
            Reaction::NoSizeUpdate => f.write_str("no dynamic table size update after the peer lowers its table"),
            Reaction::IgnoreFlowControl => f.write_str("ignore the peer's flow-control windows"),
            Reaction::Deliver => f.write_str("report success with whatever body arrived"),
            Reaction::ResetAndDeliver(s, c) => write!(f, "RST_STREAM({s}, {c}), yet report success with the body"),
            Reaction::RetryNewConnection => f.write_str("retry the request on a new connection"),
            Reaction::RetrySameConnection => f.write_str("retry the request on a new stream of the same connection"),
            Reaction::GiveUp => f.write_str("report a failure without a frame"),
            Reaction::RetryForever => f.write_str("retry the refused request without end"),
            Reaction::Hang => f.write_str("hang: never answer, never exit"),
            Reaction::Crash => f.write_str("crash (SIGSEGV)"),
        }
    }
}

/// One reaction row: a reaction and the verdict class the judge must give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// What the scripted server does.
    pub reaction: Reaction,
    /// The verdict the case must then get.
    pub verdict: Class,
}

/// A row.
pub const fn row(reaction: Reaction, verdict: Class) -> Row {
    Row { reaction, verdict }
}
