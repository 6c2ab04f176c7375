//! Shorthands shared by the section modules, so a case reads as its RFC sentence.

use h2probe_codec::ErrorCode;
use h2probe_harness::case::{Case, Ctx, Script, Setup};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::model::Level;

pub(crate) use h2probe_codec::{frames, ErrorCode as E, FrameType, SettingId, StreamId};
pub(crate) use h2probe_harness::case::{send, Step};

/// A MUST-level case of `section` with the standard set-up; fill in the rest with `..`.
pub(crate) const fn must(section: &'static str) -> Case {
    Case {
        id: "",
        section,
        h2spec: None,
        aliases: &[],
        level: Level::Must,
        description: "",
        requirement: "",
        tags: &[],
        setup: Setup::STANDARD,
        script: unscripted,
        reactions: &[],
        peer: h2probe_harness::case::Peer::Server,
    }
}

/// A SHOULD-level case (runs only under `--strict`).
pub(crate) const fn should(section: &'static str) -> Case {
    Case { level: Level::Should, ..must(section) }
}

fn unscripted(_: &Ctx) -> Result<Script, String> {
    Err("this case has no script".into())
}

/// Connection error with one of `codes`.
pub(crate) fn ce(codes: &[ErrorCode]) -> Expectation {
    Expectation::connection_error(codes)
}

/// Stream error on `stream` with one of `codes`.
pub(crate) fn se(stream: u32, codes: &[ErrorCode]) -> Expectation {
    Expectation::stream_error(stream, codes)
}

/// Malformed request on `stream` (§8.1.1).
pub(crate) fn malformed(stream: u32) -> Expectation {
    Expectation::malformed(stream)
}

/// The frames must be ignored.
pub(crate) const IGNORED: Expectation = Expectation::Ignored { close_ok: false };

/// A 2xx or 3xx response on `stream`: the request was served.
pub(crate) fn response(stream: u32) -> Expectation {
    Expectation::served(stream)
}

/// `n` octets of filler, for payloads whose content does not matter.
pub(crate) fn filler(n: usize) -> Vec<u8> {
    vec![b'x'; n]
}

/// Header fields that together encode to more than `min_len` octets (h2spec's
/// `--max-header-length` dummies), for oversized and split field blocks.
pub(crate) fn dummy_fields(min_len: usize) -> Vec<(String, Vec<u8>)> {
    let per = 4000;
    (0..min_len.div_ceil(per).max(1)).map(|i| (format!("x-dummy{i}"), filler(per))).collect()
}

/// Our first SETTINGS closes the stream window, so the server cannot complete a response:
/// the stream stays open (or "half-closed (remote)") until the offending frame has been
/// processed, instead of racing the response (h2spec raced it, and an early complete
/// response plus RST_STREAM(NO_ERROR), allowed by RFC 9113 §8.1, closed the stream first).
pub(crate) const HOLD_RESPONSE: h2probe_harness::case::Setup =
    h2probe_harness::case::Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]);

// Reaction rows: what a scripted server does and the verdict it must get (see
// `h2probe_harness::reaction`). One set per kind of expectation, parameterised by the
// case's stream and code, so each case states in its own rows which reactions are right.

pub(crate) use h2probe_harness::model::Class::{Alternative, Fail, Lenient, Pass};
pub(crate) use h2probe_harness::reaction::{row, Reaction::*, Row};

/// A code no case names: a wrong specific code.
const WRONG: ErrorCode = ErrorCode::HTTP_1_1_REQUIRED;

const fn is_protocol(code: ErrorCode) -> bool {
    code.0 == ErrorCode::PROTOCOL_ERROR.0
}

/// A connection error with `code`: the code, a generic code (§5.4), RST_STREAM then the
/// GOAWAY, and a bare close pass in their classes; ignoring it, a stream error alone and a
/// wrong code fail.
pub(crate) const fn ce_rows(code: ErrorCode) -> [Row; 9] {
    let generic = if is_protocol(code) { Pass } else { Alternative };
    let internal = if is_protocol(code) { Lenient } else { Alternative };
    [
        row(GoAway(code), Pass),
        row(GoAway(ErrorCode::PROTOCOL_ERROR), generic),
        row(GoAway(ErrorCode::INTERNAL_ERROR), internal),
        row(ResetThenGoAway(1, code, code), Pass),
        row(Close, Lenient),
        row(Ignore, Fail),
        row(Reset(1, code), Fail),
        row(GoAway(WRONG), Fail),
        row(GoAway(ErrorCode(0xfe)), Fail),
    ]
}

/// A stream error with `code` on `stream`: RST_STREAM with the code or a generic one, a
/// connection error in its place (§5.4.1), a bare close; ignoring it and wrong codes fail.
pub(crate) const fn se_rows(stream: u32, code: ErrorCode) -> [Row; 10] {
    let generic = if is_protocol(code) { Pass } else { Alternative };
    let internal = if is_protocol(code) { Lenient } else { Alternative };
    [
        row(Reset(stream, code), Pass),
        row(Reset(stream, ErrorCode::PROTOCOL_ERROR), generic),
        row(Reset(stream, ErrorCode::INTERNAL_ERROR), internal),
        row(GoAway(code), Alternative),
        row(GoAway(ErrorCode::PROTOCOL_ERROR), Alternative),
        row(Close, Lenient),
        row(Ignore, Fail),
        row(Reset(stream, WRONG), Fail),
        row(Reset(stream, ErrorCode::NO_ERROR), Fail),
        row(GoAway(WRONG), Fail),
    ]
}

/// A malformed request on `stream` (§8.1.1): RST_STREAM(PROTOCOL_ERROR); a 4xx, a
/// response then the reset, or a connection error as alternatives; a 5xx, INTERNAL_ERROR
/// or a bare close leniently; serving it, or a response that never ends, fail.
pub(crate) const fn malformed_rows(stream: u32) -> [Row; 12] {
    [
        row(Reset(stream, ErrorCode::PROTOCOL_ERROR), Pass),
        row(Respond(stream, 400), Alternative),
        row(RespondThenReset(stream, 400, ErrorCode::PROTOCOL_ERROR), Alternative),
        row(RespondThenReset(stream, 200, ErrorCode::PROTOCOL_ERROR), Alternative),
        row(GoAway(ErrorCode::PROTOCOL_ERROR), Alternative),
        row(Reset(stream, ErrorCode::INTERNAL_ERROR), Lenient),
        row(Respond(stream, 500), Lenient),
        row(Close, Lenient),
        row(Ignore, Fail),
        row(Respond(stream, 200), Fail),
        row(Reset(stream, ErrorCode::CANCEL), Fail),
        row(RespondOpen(stream, 200), Fail),
    ]
}

/// Frames that must be ignored: a server that processes them (or drops them) and goes on
/// passes; one that answers with an error or a close fails.
pub(crate) const IGNORED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(Drop, Pass),
    row(GoAway(ErrorCode::PROTOCOL_ERROR), Fail),
    row(GoAwayOpen(ErrorCode::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
    row(Reset(1, ErrorCode::PROTOCOL_ERROR), Fail),
];

/// A request that must be served on `stream`: the normal answer passes; a rejection (400,
/// a reset, a connection error), a close and losing the request fail.
pub(crate) const fn served_rows(stream: u32) -> [Row; 6] {
    [
        row(Ignore, Pass),
        row(Respond(stream, 400), Fail),
        row(Reset(stream, ErrorCode::PROTOCOL_ERROR), Fail),
        row(GoAway(ErrorCode::PROTOCOL_ERROR), Fail),
        row(Close, Fail),
        row(Drop, Fail),
    ]
}

/// A PING or SETTINGS that must be answered: answering passes, dropping it, an error or a
/// close fails.
pub(crate) const ANSWERED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(Drop, Fail),
    row(GoAway(ErrorCode::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
];
