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
        level: Level::Must,
        description: "",
        requirement: "",
        tags: &[],
        setup: Setup::STANDARD,
        script: unscripted,
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
    Expectation::Malformed { stream: StreamId(stream) }
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
