//! The verdict engine's rules, one event stream at a time. No server involved.
//!
//! Each test pins one rule of the taxonomy: what passes as the case names it, what passes
//! as an alternative the RFC allows, what is lenient, what fails.

use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::HeaderField;
use h2probe_codec::{frames, ErrorCode as E, StreamId};
use h2probe_harness::event::Event;
use h2probe_harness::expectation::{Accept, Expectation};
use h2probe_harness::judge::{judge, End, Judge, FENCE};
use h2probe_harness::model::{Class, Verdict};

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
fn complete_response(stream: u32, status: u16) -> Event {
    Event::Response { stream: StreamId(stream), status: Some(status), end_stream: true, fields: vec![] }
}
fn data_end(stream: u32) -> Event {
    f(frames::data(stream, b"body".to_vec()).end_stream().build())
}
const EOF: Event = Event::Closed { reset: false };
const RESET: Event = Event::Closed { reset: true };

fn ce(codes: &[E]) -> Expectation {
    Expectation::connection_error(codes)
}
fn se(stream: u32, codes: &[E]) -> Expectation {
    Expectation::stream_error(stream, codes)
}
fn malformed(stream: u32) -> Expectation {
    Expectation::malformed(stream)
}
fn class(expect: Expectation, strict: bool, events: &[Event]) -> Class {
    judge(expect, strict, events).class()
}
/// Feeds the events, then lets the grace period after the fence ACK run out.
fn after_grace(expect: Expectation, events: &[Event]) -> Verdict {
    let mut j = Judge::new(expect, false);
    for ev in events {
        if let Some(v) = j.observe(ev) {
            return v;
        }
    }
    assert!(j.fence_acked(), "the events should end in the grace period");
    j.finish(End::GraceExpired)
}

#[test]
fn connection_error_named_code_passes_and_benign_frames_are_skipped() {
    let events = [
        f(frames::settings().build()),
        f(frames::window_update(0, 100)),
        f(frames::unknown(0x77, 0, vec![1, 2])),
        response(3, 200),
        goaway(E::PROTOCOL_ERROR),
    ];
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), true, &events), Class::Pass);
}

#[test]
fn generic_codes_replace_specific_ones_as_an_allowed_alternative() {
    // RFC 9113 §5.4: "a generic error code … can always be used in place of more specific error codes".
    for generic in [E::PROTOCOL_ERROR, E::INTERNAL_ERROR] {
        for want in [ce(&[E::FRAME_SIZE_ERROR]), ce(&[E::COMPRESSION_ERROR]), ce(&[E::FLOW_CONTROL_ERROR])] {
            let v = judge(want, true, &[goaway(generic)]);
            assert_eq!(v.class(), Class::Alternative, "{v:?}");
            assert_eq!(v.rule().map(|r| r.section.as_str()), Some("RFC 9113 §5.4"));
        }
        assert_eq!(class(se(1, &[E::STREAM_CLOSED]), true, &[rst(1, generic)]), Class::Alternative);
    }
}

#[test]
fn internal_error_where_protocol_error_is_named_is_lenient() {
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), false, &[goaway(E::INTERNAL_ERROR)]), Class::Lenient);
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), true, &[goaway(E::INTERNAL_ERROR)]), Class::Fail);
    assert_eq!(class(se(1, &[E::PROTOCOL_ERROR]), false, &[rst(1, E::INTERNAL_ERROR)]), Class::Lenient);
    // Where a specific code is named beside PROTOCOL_ERROR, INTERNAL_ERROR replaces it.
    assert_eq!(class(se(1, &[E::PROTOCOL_ERROR, E::STREAM_CLOSED]), true, &[rst(1, E::INTERNAL_ERROR)]), Class::Alternative);
}

#[test]
fn wrong_or_undefined_codes_fail_at_once() {
    let mut j = Judge::new(ce(&[E::PROTOCOL_ERROR]), false);
    match j.observe(&goaway(E::FLOW_CONTROL_ERROR)).expect("decided at once") {
        Verdict::Fail { actual, .. } => assert!(actual.contains("FLOW_CONTROL_ERROR"), "{actual}"),
        other => panic!("{other:?}"),
    }
    let v = judge(ce(&[E::PROTOCOL_ERROR]), false, &[goaway(E(0xfe))]);
    assert_eq!(v.class(), Class::Fail);
    assert_eq!(v.rule().map(|r| r.section.as_str()), Some("RFC 9113 §7"));
    assert_eq!(class(se(3, &[E::STREAM_CLOSED]), false, &[rst(3, E::CANCEL)]), Class::Fail);
}

#[test]
fn applicable_codes_are_lenient() {
    let want = ce(&[E::COMPRESSION_ERROR]).or_applicable(&[E::FRAME_SIZE_ERROR]);
    assert_eq!(class(want.clone(), false, &[goaway(E::FRAME_SIZE_ERROR)]), Class::Lenient);
    assert_eq!(class(want, true, &[goaway(E::FRAME_SIZE_ERROR)]), Class::Fail);
}

#[test]
fn bare_close_is_lenient_unless_strict() {
    for close in [EOF, RESET] {
        for want in [ce(&[E::PROTOCOL_ERROR]), se(1, &[E::STREAM_CLOSED]), malformed(1)] {
            assert_eq!(class(want.clone(), false, &[close.clone()]), Class::Lenient);
            assert_eq!(class(want, true, &[close.clone()]), Class::Fail);
        }
    }
    // A graceful GOAWAY then the close is no report of the error (§7: NO_ERROR "is not a
    // result of an error"): what a server that took the frame for a harmless one does.
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), false, &[goaway(E::NO_ERROR), EOF]), Class::Fail);
    assert_eq!(class(se(1, &[E::STREAM_CLOSED]), false, &[goaway(E::NO_ERROR), EOF]), Class::Fail);
}

#[test]
fn rst_stream_where_a_connection_error_is_due() {
    // Redeemed by the GOAWAY that follows…
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), true, &[rst(1, E::PROTOCOL_ERROR), goaway(E::PROTOCOL_ERROR)]), Class::Pass);
    // …or a close (the connection error, without its GOAWAY)…
    assert_eq!(class(ce(&[E::PROTOCOL_ERROR]), false, &[rst(1, E::PROTOCOL_ERROR), EOF]), Class::Lenient);
    // …but not by a graceful close, which says there was no error (as without the RST; a
    // client that resets its stream and then shuts down as it ends does this).
    let v = judge(ce(&[E::PROTOCOL_ERROR]), false, &[rst(1, E::PROTOCOL_ERROR), goaway(E::NO_ERROR), EOF]);
    assert_eq!(v.class(), Class::Fail, "{v:?}");
    assert!(v.observed().contains("GOAWAY(NO_ERROR)") && !v.observed().contains("no GOAWAY"), "{v:?}");
    // …but not by the fence: §5.4 "If a frame causes a connection error, that error MUST be reported".
    let v = after_grace(ce(&[E::PROTOCOL_ERROR]), &[rst(1, E::PROTOCOL_ERROR), fence_ack()]);
    assert_eq!(v.class(), Class::Fail);
    assert_eq!(v.rule().map(|r| r.section.as_str()), Some("RFC 9113 §5.4"));
}

#[test]
fn fence_ack_turns_silence_into_a_failure_after_the_grace_period() {
    let mut j = Judge::new(se(1, &[E::PROTOCOL_ERROR]), false);
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.fence_acked());
    // A late RST during the grace period still passes.
    assert_eq!(j.observe(&rst(1, E::PROTOCOL_ERROR)).map(|v| v.class()), Some(Class::Pass));
    match after_grace(se(1, &[E::PROTOCOL_ERROR]), &[fence_ack()]) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("violation was ignored"), "{actual}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stream_error_may_be_a_connection_error() {
    let want = se(3, &[E::STREAM_CLOSED]);
    assert_eq!(class(want.clone(), true, &[rst(3, E::STREAM_CLOSED)]), Class::Pass);
    for code in [E::STREAM_CLOSED, E::PROTOCOL_ERROR, E::INTERNAL_ERROR] {
        let v = judge(want.clone(), true, &[goaway(code)]);
        assert_eq!(v.class(), Class::Alternative, "{v:?}");
        assert_eq!(v.rule().map(|r| r.section.as_str()), Some("RFC 9113 §5.4.1"));
    }
    assert_eq!(class(want.clone(), false, &[goaway(E::FLOW_CONTROL_ERROR)]), Class::Fail);
    // A reset of another stream is not the answer: keep waiting.
    let mut j = Judge::new(want.clone(), false);
    assert!(j.observe(&rst(1, E::CANCEL)).is_none());
    // A response on the stream before the reset is benign (the request was complete).
    assert_eq!(class(want.clone(), false, &[response(3, 200), rst(3, E::STREAM_CLOSED)]), Class::Pass);
    // RST_STREAM(NO_ERROR) without a complete response first reports no error.
    assert_eq!(class(want, false, &[rst(3, E::NO_ERROR)]), Class::Fail);
}

#[test]
fn malformed_request_reactions() {
    let want = malformed(1);
    assert_eq!(class(want.clone(), true, &[rst(1, E::PROTOCOL_ERROR)]), Class::Pass);
    assert_eq!(class(want.clone(), true, &[response(1, 400)]), Class::Alternative);
    assert_eq!(class(want.clone(), true, &[complete_response(1, 431)]), Class::Alternative);
    assert_eq!(class(want.clone(), true, &[goaway(E::PROTOCOL_ERROR)]), Class::Alternative);
    assert_eq!(class(want.clone(), false, &[rst(1, E::INTERNAL_ERROR)]), Class::Lenient);
    assert_eq!(class(want.clone(), false, &[rst(1, E::CANCEL)]), Class::Fail);
    // 1xx is interim: read on.
    assert_eq!(class(want.clone(), true, &[response(1, 103), rst(1, E::PROTOCOL_ERROR)]), Class::Pass);
    assert_eq!(class(want, false, &[EOF]), Class::Lenient);
}

#[test]
fn malformed_request_judge_reads_on_after_a_non_4xx_response() {
    // §8.1.1: "a server MAY send an HTTP response prior to closing or resetting the stream".
    let want = malformed(1);
    let v = judge(want.clone(), true, &[response(1, 200), fence_ack(), rst(1, E::PROTOCOL_ERROR)]);
    assert_eq!(v.class(), Class::Alternative, "{v:?}");
    assert_eq!(v.rule().map(|r| r.section.as_str()), Some("RFC 9113 §8.1.1"));
    // The response completes: the malformed request was processed.
    assert_eq!(class(want.clone(), false, &[response(1, 200), data_end(1)]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[complete_response(1, 200)]), Class::Fail);
    // A 5xx rejects, but as the server's fault: an open reading.
    assert_eq!(class(want.clone(), false, &[response(1, 500), data_end(1)]), Class::Lenient);
    assert_eq!(class(want.clone(), true, &[complete_response(1, 503)]), Class::Fail);
    // Reset with a code that reports no malformation.
    assert_eq!(class(want.clone(), false, &[response(1, 200), rst(1, E::NO_ERROR)]), Class::Fail);
    // While the response is under way, the fence ACK does not start the grace period.
    let mut j = Judge::new(want, false);
    assert!(j.observe(&response(1, 200)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert!(!j.fence_acked());
    assert_eq!(j.finish(End::Deadline { waited_ms: 100 }).class(), Class::Fail);
}

#[test]
fn ignored_needs_the_fence_ack_no_error_and_the_grace_period() {
    let want = Expectation::Ignored { close_ok: false };
    let v = after_grace(want.clone(), &[f(frames::window_update(0, 1)), fence_ack()]);
    assert_eq!(v.class(), Class::Pass);
    // An error during the grace period after the ACK still fails.
    assert_eq!(class(want.clone(), false, &[fence_ack(), goaway(E::PROTOCOL_ERROR)]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[fence_ack(), rst(1, E::PROTOCOL_ERROR)]), Class::Fail);
    // §5.4.2: no RST_STREAM in answer to an RST_STREAM, whatever its code.
    assert_eq!(class(want.clone(), false, &[rst(1, E::NO_ERROR)]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[goaway(E::PROTOCOL_ERROR)]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[goaway(E::NO_ERROR)]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[EOF]), Class::Fail);
    assert_eq!(class(want, false, &[]), Class::Fail);
}

#[test]
fn ignored_after_our_goaway_allows_only_a_graceful_close() {
    let close_ok = Expectation::Ignored { close_ok: true };
    assert_eq!(class(close_ok.clone(), false, &[goaway(E::NO_ERROR), EOF]), Class::Pass);
    assert_eq!(class(close_ok.clone(), false, &[EOF]), Class::Pass);
    assert_eq!(after_grace(close_ok.clone(), &[fence_ack()]).class(), Class::Pass);
    // §7: an unknown code "MUST NOT trigger any special behavior"; an error GOAWAY is one.
    assert_eq!(class(close_ok, false, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Fail);
}

#[test]
fn not_answered_fails_on_the_echo_and_allows_ending_the_connection() {
    let want = Expectation::NotAnswered(*b"unsolict");
    assert_eq!(after_grace(want.clone(), &[fence_ack()]).class(), Class::Pass);
    assert_eq!(class(want.clone(), false, &[f(frames::ping(*b"unsolict").ack().build())]), Class::Fail);
    assert_eq!(class(want.clone(), false, &[fence_ack(), f(frames::ping(*b"unsolict").ack().build())]), Class::Fail);
    assert_eq!(class(want.clone(), true, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Alternative);
    assert_eq!(class(want.clone(), true, &[EOF]), Class::Alternative);
    // Without the fence (--no-fence), silence until the deadline is what "not answered" looks like.
    assert_eq!(Judge::new(want, false).without_fence().finish(End::Deadline { waited_ms: 10 }).class(), Class::Pass);
}

#[test]
fn ping_and_settings_acks_are_checked_against_the_fence() {
    let want = Expectation::ping_ack(*b"12345678");
    assert_eq!(class(want.clone(), true, &[f(frames::ping(*b"12345678").ack().build())]), Class::Pass);
    // Only the fence answered: the PING was dropped.
    match after_grace(want.clone(), &[f(frames::ping(*b"xxxxxxxx").ack().build()), fence_ack()]) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("not answered"), "{actual}"),
        other => panic!("{other:?}"),
    }
    // The echo may come during the grace period.
    assert_eq!(class(want.clone(), true, &[fence_ack(), f(frames::ping(*b"12345678").ack().build())]), Class::Pass);
    assert_eq!(class(want, true, &[goaway(E::PROTOCOL_ERROR)]), Class::Fail);
    assert_eq!(class(Expectation::SettingsAck, true, &[f(frames::settings_ack())]), Class::Pass);
    assert_eq!(after_grace(Expectation::SettingsAck, &[fence_ack()]).class(), Class::Fail);
    // Client mode: the handshake's SETTINGS may still be unacknowledged when the case's go
    // out; the first ACK is that one's, not the case's answer.
    let mut j = Judge::new(Expectation::SettingsAck, false).for_client(true).after_unacked_settings(1);
    assert!(j.observe(&f(frames::settings_ack())).is_none(), "the handshake's ACK");
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Fail);
    let mut j = Judge::new(Expectation::SettingsAck, false).after_unacked_settings(1);
    assert!(j.observe(&f(frames::settings_ack())).is_none());
    assert_eq!(j.observe(&f(frames::settings_ack())).map(|v| v.class()), Some(Class::Pass));
}

#[test]
fn first_frame_must_be_settings() {
    let want = Expectation::FirstFrameSettings;
    assert_eq!(class(want.clone(), true, &[f(frames::settings().build())]), Class::Pass);
    assert_eq!(class(want.clone(), true, &[f(frames::window_update(0, 5)), f(frames::settings().build())]), Class::Fail);
    assert_eq!(class(want, true, &[EOF]), Class::Fail);
}

#[test]
fn a_request_that_must_be_served_needs_a_success_status() {
    let want = Expectation::served(1);
    assert_eq!(class(want.clone(), true, &[response(3, 200), response(1, 204)]), Class::Pass);
    // A rejection of a legal request is what such a case tests for.
    assert_eq!(class(want.clone(), true, &[response(1, 400)]), Class::Fail);
    assert_eq!(class(want.clone(), true, &[response(1, 411)]), Class::Fail);
    // Interim responses are waited past.
    assert_eq!(class(want.clone(), true, &[response(1, 100), response(1, 200)]), Class::Pass);
    assert_eq!(class(want.clone(), true, &[rst(1, E::PROTOCOL_ERROR)]), Class::Fail);
    assert_eq!(class(want.clone(), true, &[goaway(E::PROTOCOL_ERROR)]), Class::Fail);
    // Graceful GOAWAY covering the stream: keep waiting for the response.
    assert_eq!(class(want, true, &[goaway(E::NO_ERROR), response(1, 200)]), Class::Pass);
    let any = Expectation::Response { stream: StreamId(1), accept: Accept::NotBadRequest, after_goaway: None };
    assert_eq!(class(any.clone(), true, &[response(1, 405)]), Class::Pass);
    assert_eq!(class(any, true, &[response(1, 400)]), Class::Fail);
}

#[test]
fn after_our_goaway_a_graceful_close_is_an_alternative_to_the_answer() {
    let want = Expectation::served(1).after_our_goaway(E::NO_ERROR);
    assert_eq!(class(want.clone(), true, &[response(1, 200)]), Class::Pass);
    assert_eq!(class(want.clone(), true, &[goaway(E::NO_ERROR), EOF]), Class::Alternative);
    assert_eq!(class(want.clone(), true, &[EOF]), Class::Alternative);
    assert_eq!(class(want, true, &[goaway(E::PROTOCOL_ERROR)]), Class::Fail);
    let ping = Expectation::ping_ack(*b"12345678").after_our_goaway(E::NO_ERROR);
    assert_eq!(class(ping.clone(), true, &[goaway(E::NO_ERROR), EOF]), Class::Alternative);
    assert_eq!(class(ping, true, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Fail);
    // §7: our unknown code may be taken for INTERNAL_ERROR; an error close in answer is an open reading.
    let unknown = Expectation::served(1).after_our_goaway(E(0xff));
    assert_eq!(class(unknown.clone(), false, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Lenient);
    assert_eq!(class(unknown, true, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Fail);
}

#[test]
fn connection_close_and_goaway() {
    assert_eq!(class(Expectation::ConnectionClose, true, &[goaway(E::PROTOCOL_ERROR), EOF]), Class::Pass);
    assert_eq!(class(Expectation::ConnectionClose, true, &[RESET]), Class::Pass);
    match judge(Expectation::ConnectionClose, true, &[goaway(E::PROTOCOL_ERROR)]) {
        Verdict::Fail { actual, .. } => assert!(actual.contains("stayed open"), "{actual}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(class(Expectation::GoAway, true, &[goaway(E::FRAME_SIZE_ERROR)]), Class::Pass);
    assert_eq!(class(Expectation::GoAway, true, &[EOF]), Class::Fail);
}

#[test]
fn window_limited_data_checks_that_nothing_more_follows() {
    let want = Expectation::WindowLimitedData { stream: StreamId(1), len: 1 };
    let one = f(frames::data(1, vec![b'x']).build());
    let mut j = Judge::new(want.clone(), false);
    assert!(j.observe(&response(1, 200)).is_none());
    assert!(j.observe(&one).is_none(), "exactly the window: not decided until a PING shows nothing more follows");
    assert!(j.take_probe_request(), "the judge asks for the PING");
    assert!(!j.take_probe_request(), "once");
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Pass);
    // More than the window, in one frame or after the PING: a flow-control violation.
    let two = f(frames::data(1, vec![b'x'; 2]).build());
    assert_eq!(class(want.clone(), true, &[two]), Class::Fail);
    assert_eq!(class(want.clone(), true, &[one.clone(), fence_ack(), one.clone()]), Class::Fail);
    let empty = Event::Response { stream: StreamId(1), status: Some(200), end_stream: true, fields: vec![] };
    assert_eq!(class(want.clone(), true, &[empty]), Class::Skip);
    // A client's upload: the window's worth and then silence, the PING after it unanswered,
    // is a client that stopped altogether, not one that stopped for the window.
    let stuck = |client: bool| {
        let j = Judge::new(want.clone(), false);
        let mut j = if client { j.for_client(true) } else { j };
        assert!(j.observe(&one).is_none());
        j.finish(End::Deadline { waited_ms: 500 }).class()
    };
    assert_eq!(stuck(true), Class::Fail);
    assert_eq!(stuck(false), Class::Pass, "server mode unchanged");
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
    assert_eq!(class(Expectation::PrefaceRejected, true, &[goaway(E::PROTOCOL_ERROR)]), Class::Pass);
    // §3.4 "A GOAWAY frame MAY be omitted in this case".
    assert_eq!(class(Expectation::PrefaceRejected, true, &[EOF]), Class::Alternative);
    assert_eq!(class(Expectation::PrefaceRejected, true, &[Event::ServerViolation("HTTP/1.1 400".into())]), Class::Alternative);
    assert_eq!(class(Expectation::PrefaceRejected, false, &[goaway(E::INTERNAL_ERROR)]), Class::Lenient);
    assert_eq!(class(Expectation::PrefaceRejected, false, &[goaway(E::FRAME_SIZE_ERROR)]), Class::Fail);
    // The GOAWAY may be omitted, but one saying NO_ERROR reports no error at all.
    assert_eq!(class(Expectation::PrefaceRejected, false, &[goaway(E::NO_ERROR), EOF]), Class::Fail);
    assert_eq!(after_grace(Expectation::PrefaceRejected, &[fence_ack()]).class(), Class::Fail);
}

#[test]
fn response_complete() {
    let want = Expectation::ResponseComplete { stream: StreamId(1) };
    assert_eq!(class(want.clone(), true, &[response(1, 200), f(frames::data(1, vec![1]).end_stream().build())]), Class::Pass);
    assert_eq!(class(want, true, &[rst(1, E::NO_ERROR)]), Class::Pass);
}

#[test]
fn set_up_steps_skip_when_declined_and_fail_when_the_server_breaks_a_rule() {
    let step = |exp: Expectation, events: &[Event]| {
        let mut j = Judge::new(exp, false).precondition();
        for ev in events {
            if let Some(v) = j.observe(ev) {
                return v;
            }
        }
        j.finish(End::Deadline { waited_ms: 10 })
    };
    let complete = Expectation::ResponseComplete { stream: StreamId(1) };
    assert_eq!(step(complete.clone(), &[rst(1, E::REFUSED_STREAM)]).class(), Class::Skip);
    assert_eq!(step(complete.clone(), &[EOF]).class(), Class::Skip);
    assert_eq!(step(complete, &[Event::ServerViolation("bad HPACK".into())]).class(), Class::Fail);
    let window = Expectation::WindowLimitedData { stream: StreamId(1), len: 3 };
    assert_eq!(step(window.clone(), &[f(frames::data(1, vec![b'x'; 3]).build()), fence_ack()]).class(), Class::Pass);
    // More DATA before the probe's answer: the first window was overrun.
    let more = [f(frames::data(1, vec![b'x'; 3]).build()), f(frames::data(1, vec![b'x'; 1]).build())];
    assert_eq!(step(window.clone(), &more).class(), Class::Fail);
    assert_eq!(step(window, &[f(frames::data(1, vec![b'x'; 4]).build())]).class(), Class::Fail);
}

#[test]
fn early_response_then_rst_no_error_is_inconclusive_not_a_wrong_code() {
    // RFC 9113 §8.1: complete response, then RST_STREAM(NO_ERROR) to stop the upload.
    let done = complete_response(1, 200);
    assert_eq!(class(se(1, &[E::FRAME_SIZE_ERROR]), true, &[done.clone(), rst(1, E::NO_ERROR)]), Class::Skip);
    // Without a complete response first, NO_ERROR is simply not an error report.
    assert_eq!(class(se(1, &[E::FRAME_SIZE_ERROR]), true, &[rst(1, E::NO_ERROR)]), Class::Fail);
    // And it never breaks an "ignored" expectation.
    let v = after_grace(Expectation::Ignored { close_ok: false }, &[done, rst(1, E::NO_ERROR), fence_ack()]);
    assert_eq!(v.class(), Class::Pass);
}

#[test]
fn a_graceful_goaway_and_business_as_usual_still_fails_by_the_fence() {
    let mut j = Judge::new(se(1, &[E::STREAM_CLOSED]), false);
    assert!(j.observe(&goaway(E::NO_ERROR)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.fence_acked());
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Fail);
}

#[test]
fn a_check_needing_an_open_stream_skips_when_the_server_completes_it_without_error() {
    let done = data_end(1);
    let mut j = Judge::new(ce(&[E::FLOW_CONTROL_ERROR]), false).needing_open(StreamId(1));
    assert!(j.observe(&done).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Skip);
    // Without the stream completing, silence is still a failure ...
    assert_eq!(after_grace(ce(&[E::FLOW_CONTROL_ERROR]), &[fence_ack()]).class(), Class::Fail);
    // ... and a stream error where a connection error is due fails even if it completed.
    let mut j = Judge::new(ce(&[E::FLOW_CONTROL_ERROR]), false).needing_open(StreamId(1));
    assert!(j.observe(&rst(1, E::FLOW_CONTROL_ERROR)).is_none());
    assert!(j.observe(&fence_ack()).is_none());
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Fail);
}

#[test]
fn a_close_after_the_fence_ack_does_not_count_as_the_error() {
    let mut j = Judge::new(se(1, &[E::STREAM_CLOSED]), false);
    assert!(j.observe(&fence_ack()).is_none());
    assert!(j.observe(&EOF).is_none(), "a close after the ACK is not the server's answer to the violation");
    assert_eq!(j.finish(End::GraceExpired).class(), Class::Fail);
}

#[test]
fn every_judged_verdict_cites_a_sentence() {
    let j = Judge::new(ce(&[E::PROTOCOL_ERROR]), false).citing("RFC 9113 §6.7", "the case's requirement");
    let mut j2 = j.clone();
    let v = j2.observe(&goaway(E::PROTOCOL_ERROR)).expect("decided");
    assert_eq!(v.rule().map(|r| r.text.as_str()), Some("the case's requirement"));
    let mut j3 = j;
    let v = j3.observe(&goaway(E::INTERNAL_ERROR)).expect("decided");
    assert!(v.rule().is_some_and(|r| r.section == "RFC 9113 §5.4"), "{v:?}");
}

#[test]
fn a_client_that_survives_is_told_from_one_that_crashed_by_its_exit() {
    use h2probe_harness::event::Exit;
    let exit = |code: Option<i32>, signal: Option<i32>| {
        Event::Exited(Exit { code, signal, delivered: false, killed: false, stderr_tail: String::new(), stdout_head: String::new() })
    };
    let survives = || Expectation::Survives { stream: StreamId(1) };
    let run = |exits: bool, events: &[Event]| {
        let mut j = Judge::new(survives(), false).for_client(exits);
        for ev in events {
            if let Some(v) = j.observe(ev) {
                return v;
            }
        }
        j.finish(End::Deadline { waited_ms: 0 })
    };
    // The close of a crash is no limit.
    assert_eq!(run(true, &[EOF, exit(None, Some(11))]).class(), Class::Fail);
    assert_eq!(run(true, &[rst(1, E::ENHANCE_YOUR_CALM), EOF, exit(None, Some(6))]).class(), Class::Fail);
    // A limit, then an exit that reports it (or anything but a crash), passes.
    assert_eq!(run(true, &[goaway(E::ENHANCE_YOUR_CALM), EOF, exit(Some(1), None)]).class(), Class::Pass);
    assert_eq!(run(true, &[EOF, exit(Some(0), None)]).class(), Class::Pass);
    // A limit on the wire and no exit by the deadline still set a limit.
    assert_eq!(run(true, &[rst(1, E::ENHANCE_YOUR_CALM)]).class(), Class::Pass);
    // Without an exit to wait for (a browser), the wire decides at once.
    assert_eq!(run(false, &[EOF]).class(), Class::Pass);
}

#[test]
fn a_crash_is_no_refusal_and_no_report() {
    use h2probe_harness::event::Exit;
    let exit = |code, signal| Exit { code, signal, delivered: false, killed: false, stderr_tail: String::new(), stdout_head: String::new() };
    let (crash, failed) = (Event::Exited(exit(None, Some(11))), Event::Exited(exit(Some(1), None)));
    let run = |expect: Expectation, events: &[Event]| {
        let mut j = Judge::new(expect, false).for_client(true);
        for ev in events {
            if let Some(v) = j.observe(ev) {
                return v;
            }
        }
        j.finish(End::Deadline { waited_ms: 0 })
    };
    let rejected = || Expectation::Rejected { stream: StreamId(1) };
    let retried = || Expectation::Retried { stream: StreamId(1), goaway_last: None };
    // A malformed response: reset then a crash fails; so does a crash alone; a reported
    // failure without a reset stays lenient.
    assert_eq!(run(rejected(), &[rst(1, E::PROTOCOL_ERROR), EOF, crash.clone()]).class(), Class::Fail);
    assert_eq!(run(rejected(), &[EOF, crash.clone()]).class(), Class::Fail);
    assert_eq!(run(rejected(), &[rst(1, E::PROTOCOL_ERROR), EOF, failed.clone()]).class(), Class::Pass);
    assert_eq!(run(rejected(), &[EOF, failed.clone()]).class(), Class::Lenient);
    // A refusal: crashing on it fails; giving up is lenient.
    assert_eq!(run(retried(), &[crash]).class(), Class::Fail);
    assert_eq!(run(retried(), &[failed]).class(), Class::Lenient);
}
