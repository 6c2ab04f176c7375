//! The judge in client mode, where the client's exit is an event too: a connection error the
//! client under test owes us, against every order in which its close and its exit arrive.

use h2probe_codec::{frames, ErrorCode as E};
use h2probe_harness::event::{Event, Exit};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::judge::{End, Judge, FENCE};
use h2probe_harness::model::Verdict;

fn exit(code: i32, delivered: bool) -> Event {
    Event::Exited(Exit { code: Some(code), signal: None, delivered, killed: false, stderr_tail: String::new(), stdout_head: String::new() })
}
fn killed() -> Event {
    Event::Exited(Exit { code: None, signal: Some(9), delivered: false, killed: true, stderr_tail: String::new(), stdout_head: String::new() })
}
const EOF: Event = Event::Closed { reset: false };

fn compression_error() -> Expectation {
    Expectation::ConnectionError { codes: vec![E::COMPRESSION_ERROR], applicable: vec![] }
}

/// Feeds `events` to a client-mode judge; the verdict, or the one at the deadline.
fn verdict(events: &[Event]) -> Verdict {
    let mut j = Judge::new(compression_error(), false).for_client(true);
    for ev in events {
        if let Some(v) = j.observe(ev) {
            return v;
        }
    }
    j.finish(End::Deadline { waited_ms: 2000 })
}

#[test]
fn goaway_with_the_code_passes() {
    let v = verdict(&[Event::Frame(frames::goaway(0, E::COMPRESSION_ERROR).build()), EOF]);
    assert_eq!(v.label(), "pass", "{v:?}");
}

#[test]
fn a_response_taken_after_the_offending_frames_fails_whatever_came_first() {
    // Over TLS a client that ignores the error may exit (and close) before it reads the
    // PING fence; over h2c it answers the fence first. Both are the same behaviour.
    for events in [vec![EOF, exit(0, true)], vec![exit(0, true)], vec![exit(0, true), EOF]] {
        let v = verdict(&events);
        assert_eq!(v.label(), "fail", "{events:?}: {v:?}");
    }
    let mut j = Judge::new(compression_error(), false).for_client(true);
    assert_eq!(j.observe(&Event::Frame(frames::ping(FENCE).ack().build())), None);
    let v = j.finish(End::GraceExpired);
    assert_eq!(v.label(), "fail", "the fence answered with no error: {v:?}");
}

#[test]
fn a_bare_close_with_the_request_failed_is_lenient_in_either_order() {
    for events in [vec![EOF, exit(1, false)], vec![exit(1, false), EOF], vec![EOF, killed()], vec![EOF]] {
        let v = verdict(&events);
        assert_eq!(v.label(), "lenient", "{events:?}: {v:?}");
    }
}

#[test]
fn a_graceful_goaway_where_an_error_is_due_fails() {
    let v = verdict(&[Event::Frame(frames::goaway(0, E::NO_ERROR).build()), EOF, exit(1, false)]);
    assert_eq!(v.label(), "fail", "{v:?}");
}

#[test]
fn a_reset_then_the_end_of_the_client_is_a_stream_error_where_a_connection_error_is_due() {
    let rst = Event::Frame(frames::rst_stream(1, E::PROTOCOL_ERROR));
    for events in [vec![rst.clone(), EOF, exit(1, false)], vec![rst.clone(), exit(1, false), EOF]] {
        let v = verdict(&events);
        assert_eq!(v.label(), "fail", "{events:?}: {v:?}");
    }
}

#[test]
fn frames_without_end_where_a_connection_error_is_due_fail() {
    let mut j = Judge::new(compression_error(), false).for_client(true);
    assert_eq!(j.overran(100_000, 900_000).map(|v| v.label()), Some("fail"));
    let mut j = Judge::new(Expectation::Survives { stream: h2probe_codec::StreamId(1) }, false).for_client(true);
    assert_eq!(j.overran(100_000, 900_000), None, "a hostile case cannot be judged on it");
}
