//! The verdict engine: a pure state machine from events to a verdict.
//!
//! The runner feeds every server [`Event`] to [`Judge::observe`] until it returns a
//! verdict, and calls [`Judge::finish`] when its deadline passes. All leniency lives here:
//! which answers pass, which pass only leniently (a bare close where GOAWAY is due), which
//! frames are benign while waiting (WINDOW_UPDATE, SETTINGS, PING, unknown types, responses
//! on other streams), and how the PING fence turns "nothing happened" into a fast failure.
//!
//! The fence: after the case's frames the runner sends a PING with [`FENCE`]. Servers
//! process a connection's frames in order, so a fence ACK with no error before it means the
//! violation was ignored. Some servers send the error a moment after acting on later
//! frames, so a fence ACK starts a short grace period ([`Judge::fence_acked`]) rather than
//! failing at once.

use crate::event::Event;
use crate::expectation::{codes, Expectation};
use crate::model::Verdict;
use h2probe_codec::frame::Frame;
use h2probe_codec::{ErrorCode, StreamId};

/// Opaque data of the fence PING: recognisable in transcripts, unlikely in a case.
pub const FENCE: [u8; 8] = *b"h2pfence";

/// Why the runner stopped waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The per-case deadline passed with no decision.
    Deadline {
        /// How long the runner waited, for the failure text.
        waited_ms: u64,
    },
    /// The grace period after the fence ACK ran out.
    GraceExpired,
}

/// Judges one case's events against its expectation.
#[derive(Debug, Clone)]
pub struct Judge {
    expect: Expectation,
    strict: bool,
    /// A contradiction that a later frame may still redeem (RST_STREAM where a connection
    /// error is due may be followed by the GOAWAY).
    pending: Option<String>,
    fence_acked: bool,
    goaway_seen: Option<ErrorCode>,
    frames_seen: usize,
    data_received: usize,
    last_benign: Option<String>,
    /// Streams whose response completed (END_STREAM seen): a later RST_STREAM(NO_ERROR)
    /// there is the early-response abort of RFC 9113 §8.1, not an error signal.
    completed: Vec<StreamId>,
    /// Judging without the fence: silence until the deadline is what "ignored" looks like.
    waiting: bool,
    /// A stream the check needs open on the server until the offending frames are processed
    /// (see [`crate::case::Script::needs_open`]).
    needs_open: Option<StreamId>,
}

impl Judge {
    /// A judge for `expect`; `strict` refuses lenient answers.
    pub fn new(expect: Expectation, strict: bool) -> Judge {
        Judge {
            expect,
            strict,
            pending: None,
            fence_acked: false,
            goaway_seen: None,
            frames_seen: 0,
            data_received: 0,
            last_benign: None,
            completed: Vec::new(),
            waiting: false,
            needs_open: None,
        }
    }

    /// The check is only meaningful while `stream` is open on the server: if the server ends
    /// its response there (END_STREAM) and shows no error at all, the offending frames may
    /// have been processed after the stream closed, and the case is skipped, not failed.
    pub fn needing_open(mut self, stream: StreamId) -> Judge {
        self.needs_open = Some(stream);
        self
    }

    /// Judges without the PING fence (`--no-fence`): an "ignored" expectation passes when
    /// the deadline passes with no error, as h2spec judged it. Only for comparing verdicts.
    pub fn without_fence(mut self) -> Judge {
        self.waiting = true;
        self
    }

    /// The expectation being judged.
    pub fn expectation(&self) -> &Expectation {
        &self.expect
    }

    /// True once the fence PING was acknowledged and the verdict awaits only the grace period.
    pub fn fence_acked(&self) -> bool {
        self.fence_acked
    }

    fn pass(&self, observed: impl Into<String>) -> Option<Verdict> {
        Some(Verdict::Pass { observed: observed.into() })
    }

    fn fail(&self, actual: impl Into<String>) -> Option<Verdict> {
        Some(Verdict::Fail { expected: self.expect.to_string(), actual: actual.into() })
    }

    /// A close where GOAWAY or RST_STREAM was due: lenient unless strict.
    /// A close that comes after the fence was acknowledged is not counted: the server had
    /// already answered the PING sent after the violation with no error, and servers close
    /// idle connections for their own reasons (Apache reaps them under load), so only an
    /// error frame in the grace period can still redeem the case.
    fn lenient_close(&self, observed: &str, strict_expected: &str) -> Option<Verdict> {
        if self.fence_acked && !self.waiting {
            return None;
        }
        if self.strict {
            self.fail(format!("{observed} without {strict_expected} (accepted only without --strict)"))
        } else {
            Some(Verdict::LenientPass { observed: observed.to_string(), strict_expected: strict_expected.into() })
        }
    }

    /// A graceful GOAWAY(NO_ERROR) says nothing about the violation: the close that follows
    /// counts like a bare close (lenient), and a server that keeps serving fails by the fence.
    fn graceful_goaway(&mut self) -> Option<Verdict> {
        self.goaway_seen = Some(ErrorCode::NO_ERROR);
        None
    }

    fn close_text(&self, ev: &Event) -> String {
        match self.goaway_seen {
            Some(c) => format!("GOAWAY({c}) then {ev}"),
            None => ev.to_string(),
        }
    }

    /// Feeds one event; `Some` is the final verdict.
    pub fn observe(&mut self, ev: &Event) -> Option<Verdict> {
        if let Event::Frame(_) = ev {
            self.frames_seen += 1;
        }
        if let Event::ServerViolation(why) = ev {
            if self.expect == Expectation::PrefaceRejected {
                return self.pass(format!("the server stopped speaking HTTP/2 to us ({why})"));
            }
            return self.fail(format!("the server broke the protocol itself: {why}"));
        }
        let fence_ack = matches!(ev, Event::Frame(Frame::Ping(p)) if p.ack && p.payload == FENCE);
        match ev {
            Event::Frame(Frame::Data(d)) if d.end_stream => self.completed.push(d.stream_id),
            Event::Response { stream, end_stream: true, .. } => self.completed.push(*stream),
            _ => {}
        }
        // "A server can send a complete response prior to the client sending an entire
        // request … a server MAY request that the client abort transmission of a request
        // without error by sending a RST_STREAM with an error code of NO_ERROR after sending
        // a complete response" (RFC 9113 §8.1). The stream is then closed on the server's
        // side, so a stream-level check sent on it afterwards cannot be judged.
        if let Event::Frame(Frame::RstStream(r)) = ev {
            if r.code == ErrorCode::NO_ERROR && self.completed.contains(&r.stream_id) {
                if let Some(target) = self.target_stream() {
                    if target == r.stream_id && self.expect_is_stream_level() {
                        return Some(Verdict::Skip {
                            reason: format!(
                                "the server completed its response on stream {target} and reset the stream with NO_ERROR \
                                 (RFC 9113 §8.1 allows this) before the offending frame was processed, so the check could \
                                 not be exercised; point --path at a resource that reads the request body"
                            ),
                        });
                    }
                }
                self.last_benign = Some(ev.to_string());
                return None;
            }
        }
        let verdict = match self.expect.clone() {
            Expectation::ConnectionError(ref want) => self.connection_error(ev, want),
            Expectation::StreamError { stream, codes: ref want } => self.stream_error(ev, stream, want),
            Expectation::Malformed { stream } => self.malformed(ev, stream),
            Expectation::Ignored { close_ok } => self.ignored(ev, close_ok, fence_ack),
            Expectation::PingAck(payload) => match ev {
                Event::Frame(Frame::Ping(p)) if p.ack && p.payload == payload => self.pass(ev.to_string()),
                _ => self.unexpected_end(ev),
            },
            Expectation::SettingsAck => match ev {
                Event::Frame(Frame::Settings(s)) if s.ack => self.pass(ev.to_string()),
                _ => self.unexpected_end(ev),
            },
            Expectation::FirstFrameSettings => match ev {
                Event::Frame(Frame::Settings(s)) if !s.ack => self.pass(ev.to_string()),
                Event::Frame(_) | Event::Closed { .. } => self.fail(format!("first from the server: {ev}")),
                _ => None,
            },
            Expectation::Response { stream } => self.response(ev, stream),
            Expectation::ConnectionClose => match ev {
                Event::Closed { .. } => self.pass(match self.goaway_seen {
                    Some(c) => format!("GOAWAY({c}) then {ev}"),
                    None => ev.to_string(),
                }),
                Event::Frame(Frame::GoAway(g)) => {
                    self.goaway_seen = Some(g.code);
                    None
                }
                _ => None,
            },
            Expectation::GoAway => match ev {
                Event::Frame(Frame::GoAway(_)) => self.pass(ev.to_string()),
                Event::Closed { .. } => self.fail(format!("{ev} without sending GOAWAY first")),
                _ => None,
            },
            Expectation::WindowLimitedData { stream, len } => self.window_limited(ev, stream, len),
            // A flood is judged by `resilience::verdict` on the flood's outcome and the
            // probes; the event judge never decides it.
            Expectation::Resilience { .. } => None,
            Expectation::PrefaceRejected => match ev {
                Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::PROTOCOL_ERROR => self.pass(ev.to_string()),
                Event::Frame(Frame::GoAway(g)) => self.fail(format!("GOAWAY with {} instead of PROTOCOL_ERROR", g.code)),
                Event::Closed { .. } => self.pass(format!("{ev} (GOAWAY may be omitted after an invalid preface)")),
                _ => None,
            },
            Expectation::ResponseComplete { stream } => match ev {
                Event::Frame(Frame::Data(d)) if d.stream_id == stream && d.end_stream => self.pass(ev.to_string()),
                Event::Response { stream: s, end_stream: true, .. } if *s == stream => self.pass(ev.to_string()),
                Event::Frame(Frame::RstStream(r)) if r.stream_id == stream && r.code == ErrorCode::NO_ERROR => {
                    self.pass(ev.to_string())
                }
                Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => self.fail(ev.to_string()),
                _ => self.unexpected_end(ev),
            },
        };
        if verdict.is_none() {
            let graceful_only = matches!(self.goaway_seen, None | Some(ErrorCode::NO_ERROR));
            if fence_ack && self.expect.wants_fence() && graceful_only {
                self.fence_acked = true;
            } else if let Event::Frame(f) = ev {
                self.last_benign = Some(f.to_string());
            }
        }
        verdict
    }

    /// Ends the case when the runner stops waiting.
    pub fn finish(&mut self, end: End) -> Verdict {
        if let Some(p) = self.pending.take() {
            return Verdict::Fail { expected: self.expect.to_string(), actual: p };
        }
        if let (true, Expectation::Ignored { .. }, End::Deadline { waited_ms }) = (self.waiting, &self.expect, end) {
            return Verdict::Pass { observed: format!("no error within {waited_ms} ms") };
        }
        if let Some(stream) = self.needs_open.filter(|s| self.completed.contains(s) && self.goaway_seen.is_none()) {
            return Verdict::Skip {
                reason: format!(
                    "the server completed its response on stream {stream} with no error, possibly before the offending \
                     frames were processed (they only break the rules while the stream is open), so the check could \
                     not be exercised"
                ),
            };
        }
        let actual = match (end, self.fence_acked) {
            (_, true) => {
                "the server acknowledged the PING sent after the offending frames, with no error before it: \
                 the violation was ignored"
                    .to_string()
            }
            (End::Deadline { waited_ms }, false) => {
                let mut s = match self.goaway_seen {
                    Some(c) => format!("GOAWAY({c}) but the connection stayed open for {waited_ms} ms"),
                    None => format!("nothing decisive within {waited_ms} ms"),
                };
                if let Some(last) = &self.last_benign {
                    s.push_str(&format!(" (last frame: {last})"));
                }
                s
            }
            (End::GraceExpired, false) => "no answer".to_string(),
        };
        if let (Expectation::WindowLimitedData { len, .. }, true) = (&self.expect, self.data_received > 0) {
            if self.data_received < *len {
                return Verdict::Fail {
                    expected: self.expect.to_string(),
                    actual: format!("only {} octets of DATA arrived while the window allowed {len}", self.data_received),
                };
            }
        }
        Verdict::Fail { expected: self.expect.to_string(), actual }
    }

    fn target_stream(&self) -> Option<StreamId> {
        match &self.expect {
            Expectation::StreamError { stream, .. } | Expectation::Malformed { stream, .. } => Some(*stream),
            _ => None,
        }
    }

    fn expect_is_stream_level(&self) -> bool {
        self.target_stream().is_some()
    }

    /// For positive expectations: an error or close ends the case as a failure.
    fn unexpected_end(&self, ev: &Event) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::GoAway(g)) if g.code != ErrorCode::NO_ERROR => self.fail(ev.to_string()),
            Event::Closed { .. } => self.fail(ev.to_string()),
            _ => None,
        }
    }

    fn connection_error(&mut self, ev: &Event, want: &[ErrorCode]) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::GoAway(g)) if want.contains(&g.code) => {
                self.pending = None;
                self.pass(ev.to_string())
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => self.graceful_goaway(),
            // A GOAWAY is final: a wrong code cannot be taken back.
            Event::Frame(Frame::GoAway(g)) => self.fail(format!("GOAWAY with {} instead of {}", g.code, codes(want))),
            Event::Frame(Frame::RstStream(_)) => {
                self.pending.get_or_insert_with(|| {
                    format!("{ev}: a stream error where the RFC requires a connection error (GOAWAY {})", codes(want))
                });
                None
            }
            Event::Closed { .. } => match self.pending.take() {
                Some(p) => self.fail(format!("{p}, then {ev}")),
                None => self.lenient_close(&self.close_text(ev), &format!("GOAWAY({})", codes(want))),
            },
            _ => None,
        }
    }

    fn stream_error(&mut self, ev: &Event, stream: StreamId, want: &[ErrorCode]) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => {
                if want.contains(&r.code) {
                    self.pass(ev.to_string())
                } else {
                    self.fail(format!("RST_STREAM on stream {stream} with {} instead of {}", r.code, codes(want)))
                }
            }
            Event::Frame(Frame::GoAway(g)) if want.contains(&g.code) => {
                self.pass(format!("{ev} (a connection error in place of the stream error, allowed by RFC 9113 §5.4)"))
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => self.graceful_goaway(),
            Event::Frame(Frame::GoAway(g)) => self.fail(format!("GOAWAY with {} instead of {}", g.code, codes(want))),
            Event::Closed { .. } => self.lenient_close(&self.close_text(ev), &format!("RST_STREAM({})", codes(want))),
            _ => None,
        }
    }

    fn malformed(&mut self, ev: &Event, stream: StreamId) -> Option<Verdict> {
        match ev {
            Event::Response { stream: s, status: Some(st), .. } if *s == stream => {
                if (400..500).contains(st) {
                    self.pass(format!("{ev} (a 4xx response is allowed by RFC 9113 §8.1.1)"))
                } else {
                    self.fail(format!("{ev}: the server processed a malformed request"))
                }
            }
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => {
                if r.code == ErrorCode::PROTOCOL_ERROR {
                    self.pass(ev.to_string())
                } else {
                    self.fail(format!("RST_STREAM on stream {stream} with {} instead of PROTOCOL_ERROR", r.code))
                }
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::PROTOCOL_ERROR => {
                self.pass(format!("{ev} (a connection error in place of the stream error, allowed by RFC 9113 §5.4)"))
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => self.graceful_goaway(),
            Event::Frame(Frame::GoAway(g)) => self.fail(format!("GOAWAY with {} instead of PROTOCOL_ERROR", g.code)),
            Event::Closed { .. } => self.lenient_close(&self.close_text(ev), "RST_STREAM(PROTOCOL_ERROR) or a 4xx response"),
            _ => None,
        }
    }

    fn ignored(&mut self, ev: &Event, close_ok: bool, fence_ack: bool) -> Option<Verdict> {
        match ev {
            _ if fence_ack => self.pass("PING ACK for the fence, no error before it"),
            // After our own GOAWAY the server may close as it likes, with any code.
            Event::Frame(Frame::GoAway(g)) if close_ok => {
                self.goaway_seen = Some(g.code);
                None
            }
            Event::Frame(Frame::GoAway(_)) => self.fail(format!("{ev}: the frame should have been ignored")),
            Event::Frame(Frame::RstStream(r)) if !close_ok && r.code != ErrorCode::NO_ERROR => {
                self.fail(format!("{ev}: the frame should have been ignored"))
            }
            Event::Closed { .. } if close_ok => self.pass(ev.to_string()),
            Event::Closed { .. } => self.fail(format!("{ev}: the frame should have been ignored")),
            _ => None,
        }
    }

    fn response(&mut self, ev: &Event, stream: StreamId) -> Option<Verdict> {
        match ev {
            Event::Response { stream: s, status: Some(_), .. } if *s == stream => self.pass(ev.to_string()),
            Event::Response { stream: s, status: None, .. } if *s == stream => {
                self.fail(format!("{ev}: a response without :status is malformed (RFC 9113 §8.3.2)"))
            }
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => self.fail(ev.to_string()),
            Event::Frame(Frame::GoAway(g)) if g.code != ErrorCode::NO_ERROR || g.last_stream_id < stream => {
                self.fail(ev.to_string())
            }
            Event::Closed { .. } => self.fail(ev.to_string()),
            _ => None,
        }
    }

    fn window_limited(&mut self, ev: &Event, stream: StreamId, len: usize) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::Data(d)) if d.stream_id == stream => {
                self.data_received += d.flow_len();
                if self.data_received > len {
                    self.fail(format!(
                        "{} octets of DATA on stream {stream}, more than the {len}-octet window (RFC 9113 §6.9.1)",
                        self.data_received
                    ))
                } else if self.data_received == len {
                    self.pass(format!("{len} octets of DATA, exactly the window"))
                } else if d.end_stream {
                    Some(Verdict::Skip {
                        reason: format!("the response body ({} octets) is smaller than the window; use --path with a larger resource", self.data_received),
                    })
                } else {
                    None
                }
            }
            Event::Response { stream: s, end_stream: true, .. } if *s == stream => Some(Verdict::Skip {
                reason: "the response has no body; use --path with a resource of a few KiB".into(),
            }),
            _ => self.unexpected_end(ev),
        }
    }
}

/// Judges a finished list of events (for tests and replay): feeds them in order, then ends
/// at the deadline.
pub fn judge(expect: Expectation, strict: bool, events: &[Event]) -> Verdict {
    let mut j = Judge::new(expect, strict);
    for ev in events {
        if let Some(v) = j.observe(ev) {
            return v;
        }
    }
    j.finish(End::Deadline { waited_ms: 0 })
}
