//! The verdict engine's rules, one event stream at a time. No server involved.

use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::HeaderField;
use h2probe_codec::{frames, ErrorCode as E, StreamId};
use h2probe_harness::event::Event;
use h2probe_harness::expectation::Expectation;
use h2probe_harness::judge::{judge, End, Judge, FENCE};
use h2probe_harness::model::Verdict;

fn f(frame: Frame) -> Event {
    Event::Frame(frame)
}
fn goaway(code: E) -> Event {
    f(frames::goaway(1, code).build())
}
fn rst(stream: u32, code: E) -> Event {
    f(frames::rst_stream(stream, code))
}
fn fence_ack() -> Event {
    f(frames::ping(FENCE).ack().build())
}
fn response(stream: u32, status: u16) -> Event {
    Event::Response {
        stream: StreamId(stream),
        status: Some(status),
        end_stream: false,
        fields: vec![HeaderField::new(":status", status.to_string())],
    }
}
const EOF: Event = Event::Closed { reset: false };
const RESET: Event = Event::Closed { reset: true };

fn ce(codes: &[E]) -> Expectation {
    Expectation::ConnectionError(codes.to_vec())
}
fn se(stream: u32, codes: &[E]) -> Expectation {
    Expectation::StreamError { stream: StreamId(stream), codes: codes.to_vec() }
}
fn label(v: &Verdict) -> &'static str {
    v.label()
}

#[test]
fn connection_error_goaway_with_code_passes_and_benign_frames_are_skipped() {
    let events = [
        f(frames::settings().build()),
        f(frames::window_update(0, 100)),
        f(frames::unknown(0x77, 0, vec![1, 2])),
        goaway(E::PROTOCOL_ERROR),
    ];
    assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), false, &events)), "pass");
}

#[test]
fn wrong_goaway_code_fails_at_once() {
    let mut j = Judge::new(ce(&[E::PROTOCOL_ERROR]), false);
    let v = j.observe(&goaway(E::INTERNAL_ERROR)).expect("decided at once");
    match v {
        Verdict::Fail { actual, .. } => assert!(actual.contains("INTERNAL_ERROR"), "{actual}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bare_close_is_lenient_unless_strict() {
    for close in [EOF, RESET] {
        assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), false, &[close.clone()])), "lenient");
        assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), true, &[close.clone()])), "fail");
        assert_eq!(label(&judge(se(1, &[E::STREAM_CLOSED]), false, &[close.clone()])), "lenient");
        assert_eq!(label(&judge(se(1, &[E::STREAM_CLOSED]), true, &[close])), "fail");
    }
}

#[test]
fn rst_where_connection_error_due_can_be_redeemed_by_goaway() {
    let events = [rst(1, E::PROTOCOL_ERROR), goaway(E::PROTOCOL_ERROR)];
    assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), true, &events)), "pass");
    // …but not by a bare close, nor by the fence.
    assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), false, &[rst(1, E::PROTOCOL_ERROR), EOF])), "fail");
    let mut j = Judge::new(ce(&[E::PROTOCOL_ERROR]), false);
    assert!(j.observe(&rst(1, E::PROTOCOL_ERROR)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.fence_acked());
    match j.finish(End::GraceExpired) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("stream error where the RFC requires a connection error"), "{actual}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fence_ack_turns_silence_into_a_failure() {
    let mut j = Judge::new(se(1, &[E::PROTOCOL_ERROR]), false);
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.fence_acked());
    // A late RST during the grace period still passes.
    assert_eq!(label(&j.observe(&rst(1, E::PROTOCOL_ERROR)).expect("decides")), "pass");
    let mut j = Judge::new(se(1, &[E::PROTOCOL_ERROR]), false);
    j.observe(&fence_ack());
    match j.finish(End::GraceExpired) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("violation was ignored"), "{actual}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stream_error_rules() {
    let want = se(3, &[E::STREAM_CLOSED]);
    assert_eq!(label(&judge(want.clone(), true, &[rst(3, E::STREAM_CLOSED)])), "pass");
    // Connection error with the same code is allowed (§5.4).
    assert_eq!(label(&judge(want.clone(), true, &[goaway(E::STREAM_CLOSED)])), "pass");
    // Wrong code on the stream fails at once.
    assert_eq!(label(&judge(want.clone(), false, &[rst(3, E::CANCEL)])), "fail");
    // A reset of another stream is not the answer: keep waiting.
    let mut j = Judge::new(want.clone(), false);
    assert!(j.observe(&rst(1, E::CANCEL)).is_none());
    // A response on the stream before the reset is benign (the request was complete).
    assert_eq!(label(&judge(want, false, &[response(3, 200), rst(3, E::STREAM_CLOSED)])), "pass");
}

#[test]
fn malformed_accepts_rst_protocol_error_4xx_or_goaway() {
    let want = Expectation::Malformed { stream: StreamId(1) };
    assert_eq!(label(&judge(want.clone(), true, &[rst(1, E::PROTOCOL_ERROR)])), "pass");
    assert_eq!(label(&judge(want.clone(), true, &[response(1, 400)])), "pass");
    assert_eq!(label(&judge(want.clone(), true, &[goaway(E::PROTOCOL_ERROR)])), "pass");
    assert_eq!(label(&judge(want.clone(), false, &[response(1, 200)])), "fail");
    assert_eq!(label(&judge(want.clone(), false, &[response(1, 500)])), "fail");
    assert_eq!(label(&judge(want.clone(), false, &[rst(1, E::INTERNAL_ERROR)])), "fail");
    assert_eq!(label(&judge(want, false, &[EOF])), "lenient");
}

#[test]
fn ignored_needs_the_fence_ack_and_no_error() {
    let want = Expectation::Ignored { close_ok: false };
    assert_eq!(label(&judge(want.clone(), true, &[f(frames::window_update(0, 1)), fence_ack()])), "pass");
    assert_eq!(label(&judge(want.clone(), false, &[goaway(E::PROTOCOL_ERROR)])), "fail");
    assert_eq!(label(&judge(want.clone(), false, &[EOF])), "fail");
    assert_eq!(label(&judge(want, false, &[])), "fail");
    let close_ok = Expectation::Ignored { close_ok: true };
    assert_eq!(label(&judge(close_ok.clone(), false, &[goaway(E::NO_ERROR), EOF])), "pass");
    assert_eq!(label(&judge(close_ok, false, &[fence_ack()])), "pass");
}

#[test]
fn ping_and_settings_acks() {
    let want = Expectation::PingAck(*b"12345678");
    assert_eq!(label(&judge(want.clone(), true, &[f(frames::ping(*b"12345678").ack().build())])), "pass");
    // Another payload is not the echo.
    assert_eq!(label(&judge(want.clone(), true, &[f(frames::ping(*b"xxxxxxxx").ack().build())])), "fail");
    assert_eq!(label(&judge(want, true, &[goaway(E::PROTOCOL_ERROR)])), "fail");
    assert_eq!(label(&judge(Expectation::SettingsAck, true, &[f(frames::settings_ack())])), "pass");
}

#[test]
fn first_frame_must_be_settings() {
    let want = Expectation::FirstFrameSettings;
    assert_eq!(label(&judge(want.clone(), true, &[f(frames::settings().build())])), "pass");
    assert_eq!(label(&judge(want.clone(), true, &[f(frames::window_update(0, 5)), f(frames::settings().build())])), "fail");
    assert_eq!(label(&judge(want, true, &[EOF])), "fail");
}

#[test]
fn response_rules() {
    let want = Expectation::Response { stream: StreamId(1) };
    assert_eq!(label(&judge(want.clone(), true, &[response(3, 200), response(1, 404)])), "pass");
    assert_eq!(label(&judge(want.clone(), true, &[rst(1, E::PROTOCOL_ERROR)])), "fail");
    assert_eq!(label(&judge(want.clone(), true, &[goaway(E::PROTOCOL_ERROR)])), "fail");
    // Graceful GOAWAY covering the stream: keep waiting for the response.
    assert_eq!(label(&judge(want, true, &[goaway(E::NO_ERROR), response(1, 200)])), "pass");
}

#[test]
fn connection_close_and_goaway() {
    assert_eq!(label(&judge(Expectation::ConnectionClose, true, &[goaway(E::PROTOCOL_ERROR), EOF])), "pass");
    assert_eq!(label(&judge(Expectation::ConnectionClose, true, &[RESET])), "pass");
    match judge(Expectation::ConnectionClose, true, &[goaway(E::PROTOCOL_ERROR)]) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("stayed open"), "{actual}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(label(&judge(Expectation::GoAway, true, &[goaway(E::FRAME_SIZE_ERROR)])), "pass");
    assert_eq!(label(&judge(Expectation::GoAway, true, &[EOF])), "fail");
}

#[test]
fn window_limited_data() {
    let want = Expectation::WindowLimitedData { stream: StreamId(1), len: 1 };
    let one = f(frames::data(1, vec![b'x']).build());
    assert_eq!(label(&judge(want.clone(), true, &[response(1, 200), one.clone()])), "pass");
    let two = f(frames::data(1, vec![b'x'; 2]).build());
    assert_eq!(label(&judge(want.clone(), true, &[two])), "fail");
    let empty = Event::Response { stream: StreamId(1), status: Some(200), end_stream: true, fields: vec![] };
    assert_eq!(label(&judge(want, true, &[empty])), "skip");
}

#[test]
fn server_violation_is_a_failure_with_the_reason() {
    match judge(Expectation::SettingsAck, false, &[Event::ServerViolation("bad HPACK".into())]) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("bad HPACK")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_preface_may_be_answered_by_close_or_http1() {
    assert_eq!(label(&judge(Expectation::PrefaceRejected, true, &[EOF])), "pass");
    assert_eq!(label(&judge(Expectation::PrefaceRejected, true, &[goaway(E::PROTOCOL_ERROR)])), "pass");
    assert_eq!(label(&judge(Expectation::PrefaceRejected, true, &[Event::ServerViolation("HTTP/1.1 400".into())])), "pass");
    assert_eq!(label(&judge(Expectation::PrefaceRejected, true, &[goaway(E::INTERNAL_ERROR)])), "fail");
    assert_eq!(label(&judge(Expectation::PrefaceRejected, true, &[fence_ack()])), "fail");
}

#[test]
fn response_complete() {
    let want = Expectation::ResponseComplete { stream: StreamId(1) };
    assert_eq!(label(&judge(want.clone(), true, &[response(1, 200), f(frames::data(1, vec![1]).end_stream().build())])), "pass");
    assert_eq!(label(&judge(want, true, &[rst(1, E::NO_ERROR)])), "pass");
}

#[test]
fn early_response_then_rst_no_error_is_inconclusive_not_a_wrong_code() {
    // RFC 9113 §8.1: complete response, then RST_STREAM(NO_ERROR) to stop the upload.
    let done = Event::Response { stream: StreamId(1), status: Some(200), end_stream: true, fields: vec![] };
    let v = judge(se(1, &[E::FRAME_SIZE_ERROR]), true, &[done.clone(), rst(1, E::NO_ERROR)]);
    assert_eq!(label(&v), "skip", "{v:?}");
    // (A complete 2xx to a malformed request is a failure; the runner's NoResponseYet step
    // is what keeps an answer that predates the malformation from being judged.)
    // Without a complete response first, NO_ERROR is simply the wrong code.
    assert_eq!(label(&judge(se(1, &[E::FRAME_SIZE_ERROR]), true, &[rst(1, E::NO_ERROR)])), "fail");
    // And it never breaks an "ignored" expectation.
    assert_eq!(label(&judge(Expectation::Ignored { close_ok: false }, true, &[done, rst(1, E::NO_ERROR), fence_ack()])), "pass");
}

#[test]
fn graceful_goaway_then_close_counts_as_a_close() {
    let events = [goaway(E::NO_ERROR), EOF];
    assert_eq!(label(&judge(se(1, &[E::STREAM_CLOSED]), false, &events)), "lenient");
    assert_eq!(label(&judge(se(1, &[E::STREAM_CLOSED]), true, &events)), "fail");
    assert_eq!(label(&judge(ce(&[E::PROTOCOL_ERROR]), false, &events)), "lenient");
    // A graceful GOAWAY and then business as usual: the fence still fails it.
    let mut j = Judge::new(se(1, &[E::STREAM_CLOSED]), false);
    assert!(j.observe(&goaway(E::NO_ERROR)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.fence_acked());
    // After our own GOAWAY, the server may close with any code.
    let close_ok = Expectation::Ignored { close_ok: true };
    assert_eq!(label(&judge(close_ok, false, &[goaway(E::PROTOCOL_ERROR), EOF])), "pass");
}

#[test]
fn a_check_needing_an_open_stream_skips_when_the_server_completes_it_without_error() {
    let done = f(frames::data(1, b"body".to_vec()).end_stream().build());
    let mut j = Judge::new(ce(&[E::FLOW_CONTROL_ERROR]), false).needing_open(StreamId(1));
    assert!(j.observe(&done).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(label(&j.finish(End::GraceExpired)), "skip");
    // Without the stream completing, silence is still a failure ...
    let mut j = Judge::new(ce(&[E::FLOW_CONTROL_ERROR]), false).needing_open(StreamId(1));
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(label(&j.finish(End::GraceExpired)), "fail");
    // ... and a stream error where a connection error is due fails even if it completed.
    let mut j = Judge::new(ce(&[E::FLOW_CONTROL_ERROR]), false).needing_open(StreamId(1));
    assert!(j.observe(&rst(1, E::FLOW_CONTROL_ERROR)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(label(&j.finish(End::GraceExpired)), "fail");
}

#[test]
fn a_close_after_the_fence_ack_does_not_count_as_the_error() {
    let mut j = Judge::new(se(1, &[E::STREAM_CLOSED]), false);
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.observe(&EOF).is_none(), "a close after the ACK is not the server's answer to the violation");
    assert_eq!(label(&j.finish(End::GraceExpired)), "fail");
    // Before the ACK, a bare close is still the lenient answer.
    let mut j = Judge::new(se(1, &[E::STREAM_CLOSED]), false);
    assert_eq!(label(&j.observe(&EOF).expect("decided")), "lenient");
}
