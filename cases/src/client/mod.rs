//! The client catalogue: cases that test an HTTP/2 client, h2probe playing the server.
//!
//! Each case answers the request its client makes (or, for cases about our own SETTINGS,
//! sends them itself, [`Setup::RAW`]) with the frames its RFC sentence is about. The framing
//! cases mirror the server catalogue where the rule binds a client too; the semantic ones
//! (retries, limits, interim responses, trailers) and the malformed responses exist only
//! here. Ids start with `client/` and otherwise follow the server catalogue's scheme.

use crate::common::*;
use h2probe_harness::case::{Action, Case, Peer, Setup};
use h2probe_harness::expectation::Expectation;

mod s3_4_preface;
mod s4_frames;
mod s5_1_streams;
mod s6_1_data;
mod s6_2_headers;
mod s6_3_priority;
mod s6_4_rst_stream;
mod s6_5_settings;
mod s6_6_push;
mod s6_7_ping;
mod s6_8_goaway;
mod s6_9_flow_control;
mod s6_10_continuation;
mod s8_1_responses;
mod s8_7_reliability;
mod s10_5_hostile;
mod rfc7541;

/// Every client case, in catalogue order.
pub fn cases() -> Vec<Case> {
    [
        s3_4_preface::CASES,
        s4_frames::CASES,
        s5_1_streams::CASES,
        s6_1_data::CASES,
        s6_2_headers::CASES,
        s6_3_priority::CASES,
        s6_4_rst_stream::CASES,
        s6_5_settings::CASES,
        s6_6_push::CASES,
        s6_7_ping::CASES,
        s6_8_goaway::CASES,
        s6_9_flow_control::CASES,
        s6_10_continuation::CASES,
        s8_1_responses::CASES,
        s8_7_reliability::CASES,
        s10_5_hostile::CASES,
        rfc7541::CASES,
    ]
    .concat()
    .into_iter()
    .chain(h2probe_harness::checks::cases_for(h2probe_harness::conn::Role::Server))
    .collect()
}

/// A MUST-level client case whose client makes one GET.
pub(crate) const fn client(section: &'static str) -> Case {
    Case { peer: Peer::Client(Action::Get), ..must(section) }
}

/// A SHOULD-level client case (runs only under `--strict`).
pub(crate) const fn client_should(section: &'static str) -> Case {
    Case { peer: Peer::Client(Action::Get), ..should(section) }
}

/// A MUST-level client case whose client POSTs `len` octets.
pub(crate) const fn client_post(section: &'static str, len: u32) -> Case {
    Case { peer: Peer::Client(Action::Post(len)), ..must(section) }
}

/// A MUST-level client case whose client GETs `n` URLs at once on one connection.
pub(crate) const fn client_parallel(section: &'static str, n: u8) -> Case {
    Case { peer: Peer::Client(Action::Parallel(n)), ..must(section) }
}

/// No SETTINGS of ours until the script sends them: cases about our SETTINGS frame.
pub(crate) const OWN_SETTINGS: Setup = Setup::RAW;

/// The client takes the response on `stream` as valid.
pub(crate) fn accepted(stream: u32) -> Expectation {
    Expectation::Accepted { stream: StreamId(stream) }
}

/// The client does not accept the malformed response on `stream`.
pub(crate) fn rejected(stream: u32) -> Expectation {
    Expectation::Rejected { stream: StreamId(stream) }
}

/// The client survives a hostile response on `stream`.
pub(crate) fn survives(stream: u32) -> Expectation {
    Expectation::Survives { stream: StreamId(stream) }
}

/// A response the client must take: taking it passes; any refusal fails.
pub(crate) const ACCEPTED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Reset(1, E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
    row(GiveUp, Fail),
    row(Hang, Fail),
];

/// A malformed response on stream 1: RST_STREAM(PROTOCOL_ERROR) passes, a connection error
/// in its place is an alternative (§5.4.1), INTERNAL_ERROR or a bare close and a reported
/// error, or a reset with CANCEL, are lenient; delivering it, NO_ERROR or hanging fail.
pub(crate) const REJECTED_ROWS: &[Row] = &[
    row(Reset(1, E::PROTOCOL_ERROR), Pass),
    row(ResetThenClose(1, E::PROTOCOL_ERROR), Pass),
    row(GoAway(E::PROTOCOL_ERROR), Alternative),
    row(Reset(1, E::INTERNAL_ERROR), Lenient),
    row(Close, Lenient),
    row(GiveUp, Lenient),
    row(Ignore, Fail),
    row(Reset(1, E::CANCEL), Lenient),
    row(Reset(1, E::NO_ERROR), Fail),
    row(Hang, Fail),
];

/// A hostile response: any limit passes, taking it passes; a crash or a hang fails.
pub(crate) const SURVIVES_ROWS: &[Row] = &[
    row(GoAway(E::ENHANCE_YOUR_CALM), Pass),
    row(GoAway(E::PROTOCOL_ERROR), Pass),
    row(Reset(1, E::ENHANCE_YOUR_CALM), Pass),
    row(Close, Pass),
    row(GiveUp, Pass),
    row(Crash, Fail),
    row(Hang, Fail),
];
