//! RFC 9113 §5.1.2: stream concurrency.

use crate::common::*;
use h2probe_harness::case::{Case, Script, Setup};

const S: &str = "RFC 9113 §5.1.2";

/// Above this many allowed streams the case would send too much to be a quick check.
const MAX_TESTABLE: u32 = 1000;

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/5.1.2/exceed-max-concurrent-streams",
    h2spec: Some("http2/5.1.2/1"),
    description: "Opens SETTINGS_MAX_CONCURRENT_STREAMS + 1 streams whose responses cannot complete (stream window 0)",
    requirement: "An endpoint that receives a HEADERS frame that causes its advertised concurrent stream limit to be exceeded MUST treat this as a stream error (Section 5.4.2) of type PROTOCOL_ERROR or REFUSED_STREAM.",
    // A zero stream window keeps every response from completing, so the streams stay open.
    setup: Setup::with_settings(&[(SettingId::INITIAL_WINDOW_SIZE, 0)]),
    script: |ctx| {
        let max = ctx.server.max_concurrent_streams().ok_or("the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS")?;
        if max > MAX_TESTABLE {
            return Err(format!("SETTINGS_MAX_CONCURRENT_STREAMS is {max}, above the {MAX_TESTABLE} this case opens"));
        }
        let streams: Vec<_> = (0..=max).map(|i| ctx.get(1 + 2 * i).build()).collect();
        Ok(Script::send(streams, se(1 + 2 * max, &[E::PROTOCOL_ERROR, E::REFUSED_STREAM])))
    },
    // The scripted server advertises 100 concurrent streams: the extra one is stream 201.
    reactions: &[&[
        row(Reset(201, E::REFUSED_STREAM), Pass),
        row(Reset(201, E::PROTOCOL_ERROR), Pass),
        row(Reset(201, E::INTERNAL_ERROR), Alternative),
        row(GoAway(E::PROTOCOL_ERROR), Alternative),
        row(GoAway(E::REFUSED_STREAM), Alternative),
        row(Close, Lenient),
        row(Ignore, Fail),
        row(Reset(201, E::NO_ERROR), Fail),
        row(Reset(201, E::STREAM_CLOSED), Fail),
        row(GoAway(E::FLOW_CONTROL_ERROR), Fail),
    ]],
    ..must(S)
}];
