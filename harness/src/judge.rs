//! The verdict engine: a pure state machine from events to a verdict.
//!
//! The runner feeds every server [`Event`] to [`Judge::observe`] until it returns a
//! verdict, and calls [`Judge::finish`] when its deadline passes. All leniency lives here,
//! once, for every case: which reactions pass as the case names them, which pass as an
//! alternative the RFC allows (a generic code, RFC 9113 §5.4; a connection error for a
//! stream error, §5.4.1; a response before the reset of a malformed request, §8.1.1),
//! which are lenient (a SHOULD missed, or a reading the RFC leaves open), and which fail.
//! Every verdict cites the sentence that decided it: the case's requirement or a rule of
//! [`crate::rules`].
//!
//! The fence: after the case's frames the runner sends a PING with [`FENCE`]. Servers
//! process a connection's frames in order, so a fence ACK with no error before it means the
//! violation was ignored (or, for a PING or SETTINGS that must be answered, that it was not
//! answered). Some servers send the error a moment after acting on later frames, so a fence
//! ACK starts a short grace period ([`Judge::fence_acked`]) rather than deciding at once.

use crate::event::Event;
use crate::expectation::{codes, Accept, Expectation};
use crate::model::{Citation, Verdict};
use crate::rules::{self, Rule};
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

/// How an error code the server sent fits the codes a case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// One of the codes the RFC names.
    Named,
    /// PROTOCOL_ERROR or INTERNAL_ERROR in place of a specific code (§5.4).
    Generic,
    /// INTERNAL_ERROR where only PROTOCOL_ERROR is named: an open reading.
    InternalForProtocol,
    /// A specific code the case argues applies.
    Applicable,
    /// Another code RFC 9113 defines: wrong.
    Wrong,
    /// A code RFC 9113 does not define.
    Undefined,
}

fn fit(code: ErrorCode, named: &[ErrorCode], applicable: &[ErrorCode]) -> Fit {
    if named.contains(&code) {
        Fit::Named
    } else if code == ErrorCode::PROTOCOL_ERROR {
        Fit::Generic
    } else if code == ErrorCode::INTERNAL_ERROR {
        if named.iter().all(|c| *c == ErrorCode::PROTOCOL_ERROR) {
            Fit::InternalForProtocol
        } else {
            Fit::Generic
        }
    } else if applicable.contains(&code) {
        Fit::Applicable
    } else if code.0 <= ErrorCode::HTTP_1_1_REQUIRED.0 {
        Fit::Wrong
    } else {
        Fit::Undefined
    }
}

/// Judges one case's events against its expectation.
#[derive(Debug, Clone)]
pub struct Judge {
    expect: Expectation,
    strict: bool,
    /// The case's own requirement: what a pass or a plain failure cites.
    requirement: Citation,
    /// Judging a set-up step: a reaction other than the one awaited means the case cannot
    /// run (skip), unless the server broke a rule itself (fail).
    precondition: bool,
    /// RST_STREAM where a connection error is due: a later GOAWAY or close may still make
    /// it right; the fence ACK makes it a failure (§5.4: the connection error MUST be reported).
    pending: Option<String>,
    fence_acked: bool,
    goaway_seen: Option<ErrorCode>,
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
    /// Malformed request: a non-4xx response began on the stream; only its end (processed)
    /// or a reset (rejected after all, §8.1.1) decides.
    started: Option<u16>,
    /// Flow control: exactly the window arrived; a PING is asked for to show nothing more follows.
    window_reached: bool,
    probe_wanted: bool,
    /// The stream the check needed open was completed first: a race the runner may retry.
    lost_race: bool,
    /// Who is under test, for the verdict texts: "server", or "client" in client mode.
    peer: &'static str,
    /// Client mode with a command: its exit is an event, and decides what the wire cannot
    /// (whether a response was delivered as valid).
    exits: bool,
    /// Client mode: the connection closed; the client's exit still to come.
    closed: Option<String>,
    /// Client mode: the client exited without taking the response; its close still to come.
    exit_seen: Option<String>,
    /// Client mode: the verdict of the wire (a reset, a GOAWAY), held until the client's exit
    /// shows whether it reported success anyway.
    held: Option<Verdict>,
    /// Client mode: the refused request came again.
    retried: Option<String>,
    /// Client mode: how many times it came again.
    attempts: u32,
    /// SETTINGS ACKs still owed for SETTINGS of ours sent before the case's (in client mode
    /// the handshake's, which the handshake does not wait for): the first ACKs answer those,
    /// so they are not the answer to the case's.
    earlier_settings: usize,
}

impl Judge {
    /// A judge for `expect`; `strict` refuses lenient answers. Passes and failures of the
    /// case's own requirement cite [`Judge::citing`] (a placeholder until then).
    pub fn new(expect: Expectation, strict: bool) -> Judge {
        Judge {
            expect,
            strict,
            requirement: Citation { section: String::new(), text: "the requirement of the case".into() },
            precondition: false,
            pending: None,
            fence_acked: false,
            goaway_seen: None,
            data_received: 0,
            last_benign: None,
            completed: Vec::new(),
            waiting: false,
            needs_open: None,
            started: None,
            window_reached: false,
            probe_wanted: false,
            lost_race: false,
            peer: "server",
            exits: false,
            closed: None,
            exit_seen: None,
            held: None,
            retried: None,
            attempts: 0,
            earlier_settings: 0,
        }
    }

    /// Judges a client under test (client mode); `exits` when a command's exit status and
    /// output are events too (not for a browser driven by hand).
    pub fn for_client(mut self, exits: bool) -> Judge {
        self.peer = "client";
        self.exits = exits;
        self
    }

    /// `n` SETTINGS of ours were unacknowledged when the case's frames began: the first `n`
    /// SETTINGS ACKs are theirs (RFC 9113 §6.5.3: ACKs come in order), not the case's answer.
    pub fn after_unacked_settings(mut self, n: usize) -> Judge {
        self.earlier_settings = n;
        self
    }

    /// A SETTINGS ACK that another judge (a set-up step's) took: one fewer owed here.
    pub fn settings_ack_elsewhere(&mut self) {
        self.earlier_settings = self.earlier_settings.saturating_sub(1);
    }

    fn is_client(&self) -> bool {
        self.peer == "client"
    }

    /// The case's section and requirement sentence, which passes and plain failures cite.
    pub fn citing(mut self, section: &str, requirement: &str) -> Judge {
        self.requirement = Citation { section: section.to_string(), text: requirement.to_string() };
        self
    }

    /// Judges a set-up step ([`crate::case::Step::Await`]): anything but the awaited answer
    /// is a skip with the reason (the precondition failed), except a rule the server breaks
    /// on the way, which fails the case (a window overrun, frames that do not decode).
    pub fn precondition(mut self) -> Judge {
        self.precondition = true;
        self
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

    /// The peer sent more than h2probe reads in one case without a decisive answer. Where a
    /// connection error is due that is an answer: a peer that had treated the offending
    /// frames as one would have stopped, not sent on for 100,000 frames (Go's client, told
    /// SETTINGS_MAX_FRAME_SIZE=0, writes empty frames without end). Elsewhere it cannot be
    /// judged (`None`).
    pub fn overran(&mut self, frames: u64, octets: u64) -> Option<Verdict> {
        match self.expect {
            Expectation::ConnectionError { .. } | Expectation::PrefaceRejected if self.goaway_seen.is_none() => self.fail(format!(
                "the {} sent {frames} frames ({octets} octets) after the offending frames and no GOAWAY: it went on as if \
                 nothing was wrong",
                self.peer
            )),
            _ => None,
        }
    }

    /// The expectation being judged.
    pub fn expectation(&self) -> &Expectation {
        &self.expect
    }

    /// True while the verdict awaits only the grace period after the fence ACK. Not while a
    /// response to a malformed request is still under way: its end or reset decides.
    pub fn fence_acked(&self) -> bool {
        self.fence_acked && self.started.is_none()
    }

    /// Whether the verdict is a skip because the server finished the stream the check needed
    /// open before the check's frames were processed: timing, which another attempt on a
    /// fresh connection may win.
    pub fn lost_race(&self) -> bool {
        self.lost_race
    }

    /// Whether the runner should send a PING now (once): the window check has seen exactly
    /// the window's worth of DATA, and the PING's answer shows whether more follows.
    pub fn take_probe_request(&mut self) -> bool {
        std::mem::take(&mut self.probe_wanted)
    }

    fn pass(&self, observed: impl Into<String>) -> Option<Verdict> {
        Some(Verdict::Pass { observed: observed.into(), rule: self.requirement.clone() })
    }

    fn alternative(&self, observed: impl Into<String>, alternative: impl Into<String>, rule: Rule) -> Option<Verdict> {
        Some(Verdict::Alternative { observed: observed.into(), alternative: alternative.into(), rule: rule.into() })
    }

    /// Lenient unless strict, where it fails citing the same sentence.
    fn lenient(&self, observed: impl Into<String>, strict_expected: impl Into<String>, rule: Rule) -> Option<Verdict> {
        let (observed, strict_expected) = (observed.into(), strict_expected.into());
        if self.strict {
            Some(Verdict::Fail {
                expected: strict_expected,
                actual: format!("{observed} (accepted only without --strict)"),
                rule: rule.into(),
            })
        } else {
            Some(Verdict::Lenient { observed, strict_expected, rule: rule.into() })
        }
    }

    /// The case's requirement was not met. In a set-up step, a skip.
    fn fail(&self, actual: impl Into<String>) -> Option<Verdict> {
        self.fail_citing(actual, self.requirement.clone())
    }

    fn fail_by(&self, actual: impl Into<String>, rule: Rule) -> Option<Verdict> {
        self.fail_citing(actual, rule.into())
    }

    fn fail_citing(&self, actual: impl Into<String>, rule: Citation) -> Option<Verdict> {
        let actual = actual.into();
        if self.precondition {
            return Some(Verdict::Skip { reason: format!("precondition not met: expected {}; got {actual}", self.expect) });
        }
        Some(Verdict::Fail { expected: self.expect.to_string(), actual, rule })
    }

    /// The server broke a rule of its own: a failure even in a set-up step.
    fn violation(&self, actual: impl Into<String>, rule: Rule) -> Option<Verdict> {
        let actual = actual.into();
        let actual = if self.precondition { format!("in a set-up step: {actual}") } else { actual };
        Some(Verdict::Fail { expected: self.expect.to_string(), actual, rule: rule.into() })
    }

    fn close_text(&self, ev: &Event) -> String {
        let mut s = String::new();
        if let Some(p) = &self.pending {
            s.push_str(&format!("{p}, then "));
        }
        if let Some(c) = self.goaway_seen {
            s.push_str(&format!("GOAWAY({c}) then "));
        }
        s.push_str(&ev.to_string());
        s
    }

    /// Feeds one event; `Some` is the final verdict.
    pub fn observe(&mut self, ev: &Event) -> Option<Verdict> {
        if let Event::ServerViolation(why) = ev {
            if self.expect == Expectation::PrefaceRejected {
                return self.alternative(
                    format!("the {} stopped speaking HTTP/2 to us ({why})", self.peer),
                    "the connection refused without a GOAWAY",
                    rules::PREFACE_GOAWAY_OMITTED,
                );
            }
            return self.violation(format!("the {} broke the protocol itself: {why}", self.peer), rules::SERVER_OUTPUT);
        }
        let fence_ack = matches!(ev, Event::Frame(Frame::Ping(p)) if p.ack && p.payload == FENCE);
        // A set-up step cannot wait for a grace period: the ACK of the PING sent after
        // exactly the window's worth of DATA shows nothing more was sent before it.
        if fence_ack && self.precondition && self.window_reached {
            if let Expectation::WindowLimitedData { len, .. } = self.expect {
                return self.pass(format!("{len} octets of DATA, exactly the window, and nothing more before a PING's answer"));
            }
        }
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
                if self.target_stream() == Some(r.stream_id) {
                    return Some(Verdict::Skip {
                        reason: format!(
                            "the server completed its response on stream {} and reset the stream with NO_ERROR \
                             (RFC 9113 §8.1 allows this) before the offending frame was processed, so the check could \
                             not be exercised; point --path at a resource that reads the request body",
                            r.stream_id
                        ),
                    });
                }
                self.last_benign = Some(ev.to_string());
                return None;
            }
        }
        let verdict = match self.expect.clone() {
            Expectation::ConnectionError { codes, applicable } => self.connection_error(ev, &codes, &applicable),
            Expectation::StreamError { stream, codes, applicable } => self.stream_error(ev, stream, &codes, &applicable),
            Expectation::Malformed { stream, applicable } => self.malformed(ev, stream, &applicable),
            Expectation::Ignored { close_ok } => self.ignored(ev, close_ok, fence_ack),
            Expectation::NotAnswered(payload) => self.not_answered(ev, payload, fence_ack),
            Expectation::PingAck { payload, after_goaway } => match (ev, after_goaway) {
                (Event::Frame(Frame::Ping(p)), _) if p.ack && p.payload == payload => self.pass(ev.to_string()),
                (_, Some(ours)) => self.graceful_close(ev, ours),
                _ => self.unexpected_end(ev),
            },
            Expectation::SettingsAck => match ev {
                Event::Frame(Frame::Settings(s)) if s.ack && self.earlier_settings > 0 => {
                    self.earlier_settings -= 1;
                    None
                }
                Event::Frame(Frame::Settings(s)) if s.ack => self.pass(ev.to_string()),
                _ => self.unexpected_end(ev),
            },
            Expectation::FirstFrameSettings => match ev {
                Event::Frame(Frame::Settings(s)) if !s.ack => self.pass(ev.to_string()),
                Event::Frame(_) | Event::Closed { .. } => self.fail(format!("first from the {}: {ev}", self.peer)),
                _ => None,
            },
            Expectation::Response { stream, accept, after_goaway } => self.response(ev, stream, accept, after_goaway),
            Expectation::ConnectionClose => match ev {
                Event::Closed { .. } => self.pass(self.close_text(ev)),
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
            // An attack is judged by its harm (`harm::classify`); the event judge never
            // decides it.
            Expectation::Resilience => None,
            Expectation::PrefaceRejected => self.preface_rejected(ev),
            Expectation::Accepted { stream } => self.accepted(ev, stream, fence_ack),
            Expectation::Rejected { stream } => self.rejected(ev, stream),
            Expectation::Retried { stream, goaway_last } => self.retried(ev, stream, goaway_last),
            Expectation::Survives { stream } => self.survives(ev, stream),
            Expectation::RetriesBounded { max } => self.retries_bounded(ev, max),
            Expectation::ResponseComplete { stream } => match ev {
                Event::Frame(Frame::Data(d)) if d.stream_id == stream && d.end_stream => self.pass(ev.to_string()),
                Event::Response { stream: s, end_stream: true, .. } if *s == stream => self.pass(ev.to_string()),
                Event::Request { stream: s, end_stream: true, .. } if *s == stream => self.pass(ev.to_string()),
                Event::Frame(Frame::RstStream(r)) if r.stream_id == stream && r.code == ErrorCode::NO_ERROR => {
                    self.pass(ev.to_string())
                }
                Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => self.fail(ev.to_string()),
                _ => self.unexpected_end(ev),
            },
        };
        if verdict.is_none() {
            let graceful_only = matches!(self.goaway_seen, None | Some(ErrorCode::NO_ERROR));
            let fenced = self.expect.wants_fence() || self.window_reached;
            if fence_ack && fenced && graceful_only {
                self.fence_acked = true;
            } else if let Event::Frame(f) = ev {
                self.last_benign = Some(f.to_string());
            }
        }
        verdict
    }

    /// Ends the case when the runner stops waiting.
    pub fn finish(&mut self, end: End) -> Verdict {
        let done = |v: Option<Verdict>| v.unwrap_or_else(|| Verdict::Error { problem: "internal: no verdict".into() });
        // Client mode: the wire decided and the client did not exit to contradict it.
        if let Some(v) = self.held.take() {
            return v;
        }
        if let Some(v) = self.client_deadline(end) {
            return v;
        }
        if let Some(p) = self.pending.take() {
            return done(self.fail_by(
                format!("{p}, and the connection stayed open: a stream error where the RFC requires a connection error"),
                rules::MUST_REPORT,
            ));
        }
        if let Some(stream) = self.needs_open.filter(|s| self.completed.contains(s) && self.goaway_seen.is_none()) {
            self.lost_race = true;
            return Verdict::Skip {
                reason: format!(
                    "the server completed its response on stream {stream} with no error, possibly before the offending \
                     frames were processed (they only break the rules while the stream is open), so the check could \
                     not be exercised"
                ),
            };
        }
        let waited = match end {
            End::Deadline { waited_ms } => Some(waited_ms),
            End::GraceExpired => None,
        };
        // Expectations that pass when nothing wrong happened by the end.
        match &self.expect {
            Expectation::Ignored { .. } if self.fence_acked => {
                return done(self.pass("the PING sent after the frames was answered, with no error before or after it"));
            }
            Expectation::Ignored { .. } | Expectation::NotAnswered(_) if self.waiting && waited.is_some() => {
                return done(self.pass(format!("no error and no answer within {} ms", waited.unwrap_or(0))));
            }
            Expectation::NotAnswered(_) if self.fence_acked => {
                return done(self.pass("not answered: the PING sent after it was answered, with no echo before or after it"));
            }
            // A client's upload: the PING sent once the window was full is what shows it
            // stopped for the window, not altogether (a stuck client sends nothing more either).
            Expectation::WindowLimitedData { len, .. } if self.window_reached && self.is_client() && !self.fence_acked => {
                return done(self.fail_by(
                    format!("{len} octets of DATA, exactly the window, then nothing: not even the PING sent after them was answered"),
                    rules::PING_ANSWERED,
                ));
            }
            Expectation::WindowLimitedData { len, .. } if self.window_reached => {
                return done(self.pass(format!("{len} octets of DATA, exactly the window, and nothing more")));
            }
            Expectation::Malformed { .. } => {
                if let Some(st) = self.started {
                    let what = format!(
                        "a {st} response began and the stream was neither reset nor completed within {} ms",
                        waited.unwrap_or(0)
                    );
                    return done(if st >= 500 {
                        self.lenient(what, "RST_STREAM(PROTOCOL_ERROR) or a 4xx response", rules::SERVER_ERROR_FOR_MALFORMED)
                    } else {
                        self.fail(format!("{what}: the server took the malformed request for a valid one"))
                    });
                }
            }
            _ => {}
        }
        if let (Expectation::WindowLimitedData { len, .. }, true) = (&self.expect, self.data_received > 0) {
            if self.data_received < *len {
                return done(self.fail(format!(
                    "only {} octets of DATA arrived while the window allowed {len}",
                    self.data_received
                )));
            }
        }
        let actual = match (end, self.fence_acked) {
            (_, true) => match &self.expect {
                Expectation::PingAck { .. } | Expectation::SettingsAck => {
                    format!("not answered: the {} answered the PING sent after it, but not this", self.peer)
                }
                _ => format!(
                    "the {} acknowledged the PING sent after the offending frames, with no error before it: the violation was ignored",
                    self.peer
                ),
            },
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
        done(self.fail(actual))
    }

    fn target_stream(&self) -> Option<StreamId> {
        match &self.expect {
            Expectation::StreamError { stream, .. } | Expectation::Malformed { stream, .. } => Some(*stream),
            _ => None,
        }
    }

    /// For positive expectations: an error or close ends the case as a failure.
    fn unexpected_end(&self, ev: &Event) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::GoAway(g)) if g.code != ErrorCode::NO_ERROR => self.fail(ev.to_string()),
            Event::Closed { .. } => self.fail(self.close_text(ev)),
            _ => None,
        }
    }

    /// The verdict on an error code, as a connection error (`GOAWAY`) or a stream error
    /// (`RST_STREAM`), against the codes the case names.
    fn code_verdict(&self, observed: String, code: ErrorCode, named: &[ErrorCode], applicable: &[ErrorCode], frame: &str) -> Option<Verdict> {
        let want = format!("{frame}({})", codes(named));
        match fit(code, named, applicable) {
            Fit::Named => self.pass(observed),
            Fit::Generic => {
                self.alternative(observed, format!("the generic code {code} in place of {}", codes(named)), rules::GENERIC_CODE)
            }
            Fit::InternalForProtocol => self.lenient(observed, want, rules::INTERNAL_FOR_PROTOCOL),
            Fit::Applicable => self.lenient(observed, want, rules::APPLICABLE_CODE),
            Fit::Wrong => self.fail(format!("{frame} with {code} instead of {}", codes(named))),
            Fit::Undefined => self.fail_by(
                format!("{frame} with {code}, a code RFC 9113 does not define, instead of {}", codes(named)),
                rules::UNDEFINED_CODE,
            ),
        }
    }

    /// A GOAWAY where a stream error is due: allowed (§5.4.1), judged on its code.
    fn as_connection_error(&self, ev: &Event, code: ErrorCode, named: &[ErrorCode], applicable: &[ErrorCode]) -> Option<Verdict> {
        match fit(code, named, applicable) {
            Fit::Named | Fit::Generic => {
                let generic = if named.contains(&code) { String::new() } else { format!(", with the generic code {code}") };
                self.alternative(ev.to_string(), format!("a connection error in place of the stream error{generic}"), rules::STREAM_AS_CONNECTION)
            }
            _ => self.code_verdict(ev.to_string(), code, named, applicable, "GOAWAY"),
        }
    }

    fn connection_error(&mut self, ev: &Event, named: &[ErrorCode], applicable: &[ErrorCode]) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => {
                self.goaway_seen = Some(ErrorCode::NO_ERROR);
                None
            }
            Event::Frame(Frame::GoAway(g)) => {
                let observed = match self.pending.take() {
                    Some(p) => format!("{p}, then {ev}"),
                    None => ev.to_string(),
                };
                self.code_verdict(observed, g.code, named, applicable, "GOAWAY")
            }
            Event::Frame(Frame::RstStream(_)) => {
                self.pending.get_or_insert_with(|| ev.to_string());
                None
            }
            // After the fence ACK a close is the server reaping a connection it already
            // answered with no error (Apache does under load), not its reaction.
            Event::Closed { .. } if self.fence_acked && !self.waiting => None,
            // A stream error before it does not make the graceful close the connection error.
            Event::Closed { .. } if self.goaway_seen == Some(ErrorCode::NO_ERROR) => self.graceful_instead(ev),
            // A client under test closes its connection when it exits, so a bare close is
            // a reaction only if the exit does not show the response taken; see below.
            Event::Closed { .. } if self.exits && self.exit_seen.is_some() && self.pending.is_some() => {
                let e = self.exit_seen.take().unwrap_or_default();
                self.fail_by(
                    format!("{}, with {e}: a stream error where the RFC requires a connection error (the connection ended with the client)", self.close_text(ev)),
                    rules::MUST_REPORT,
                )
            }
            Event::Closed { .. } if self.exits => match self.exit_seen.take() {
                Some(e) => self.lenient(
                    format!("{e}, then {} (no GOAWAY)", self.close_text(ev)),
                    format!("GOAWAY({}) before the close", codes(named)),
                    rules::GOAWAY_BEFORE_CLOSE,
                ),
                None => {
                    if self.closed.is_none() {
                        self.closed = Some(self.close_text(ev));
                    }
                    None
                }
            },
            Event::Closed { .. } => self.lenient(
                format!("{} (no GOAWAY)", self.close_text(ev)),
                format!("GOAWAY({}) before the close", codes(named)),
                rules::GOAWAY_BEFORE_CLOSE,
            ),
            // Client cases send the offending frames before or inside the response (the
            // response's own field block, for HPACK), never after it: a client that reports
            // the response as taken went on using the connection past them. Its close on
            // exit (before it read the fence PING, over TLS) is no connection error.
            Event::Exited(e) if e.succeeded() => self.fail(match &self.closed {
                Some(c) => format!("{c}, but {e}: the client took the response sent with the offending frames, so it ignored them"),
                None => format!("{e}: the client took the response sent with the offending frames, so it ignored them"),
            }),
            Event::Exited(e) if self.closed.is_none() => {
                self.exit_seen = Some(e.to_string());
                None
            }
            // A reset, then the connection ended with the client's exit: the client treated
            // the offending frames as a stream error and then gave up its request.
            Event::Exited(e) if !e.killed && self.pending.is_some() => {
                let c = self.closed.clone().unwrap_or_default();
                self.fail_by(
                    format!("{c}, then {e}: a stream error where the RFC requires a connection error (the connection ended with the client)"),
                    rules::MUST_REPORT,
                )
            }
            Event::Exited(e) if !e.killed => {
                let c = self.closed.clone().unwrap_or_default();
                self.lenient(
                    format!("{c} (no GOAWAY), then {e}"),
                    format!("GOAWAY({}) before the close", codes(named)),
                    rules::GOAWAY_BEFORE_CLOSE,
                )
            }
            _ => None,
        }
    }

    /// A graceful shutdown (GOAWAY(NO_ERROR), then the close) where an error was due: NO_ERROR
    /// says "not a result of an error" (§7), so the error was not reported — which is just
    /// what a server that took the offending frame for a harmless one does.
    fn graceful_instead(&self, ev: &Event) -> Option<Verdict> {
        self.fail_by(
            format!("{}: a graceful shutdown, so the error was not reported", self.close_text(ev)),
            rules::MUST_REPORT,
        )
    }

    fn stream_error(&mut self, ev: &Event, stream: StreamId, named: &[ErrorCode], applicable: &[ErrorCode]) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => {
                if r.code == ErrorCode::NO_ERROR {
                    return self.fail(format!("{ev}: the stream was closed with no error code instead of the error being reported"));
                }
                self.code_verdict(ev.to_string(), r.code, named, applicable, "RST_STREAM")
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => {
                self.goaway_seen = Some(ErrorCode::NO_ERROR);
                None
            }
            Event::Frame(Frame::GoAway(g)) => self.as_connection_error(ev, g.code, named, applicable),
            Event::Closed { .. } if self.fence_acked && !self.waiting => None,
            Event::Closed { .. } if self.goaway_seen == Some(ErrorCode::NO_ERROR) => self.graceful_instead(ev),
            Event::Closed { .. } => self.lenient(
                format!("{} (a connection error without GOAWAY)", self.close_text(ev)),
                format!("RST_STREAM({}), or GOAWAY before the close", codes(named)),
                rules::GOAWAY_BEFORE_CLOSE,
            ),
            _ => None,
        }
    }

    fn malformed(&mut self, ev: &Event, stream: StreamId, applicable: &[ErrorCode]) -> Option<Verdict> {
        const NAMED: &[ErrorCode] = &[ErrorCode::PROTOCOL_ERROR];
        match ev {
            Event::Response { stream: s, status, end_stream, .. } if *s == stream => match *status {
                None => self.violation(format!("{ev}: a response without :status"), rules::RESPONSE_STATUS),
                Some(st) if st < 200 => None,
                Some(st) if (400..500).contains(&st) => {
                    self.alternative(ev.to_string(), format!("a {st} response to the malformed request"), rules::RESPONSE_BEFORE_RESET)
                }
                Some(st) if *end_stream => self.response_ended(ev, st),
                Some(st) => {
                    // §8.1.1 lets a response come before the reset: read on.
                    self.started = Some(st);
                    None
                }
            },
            Event::Frame(Frame::Data(d)) if d.stream_id == stream && d.end_stream => match self.started {
                Some(st) => self.response_ended(ev, st),
                None => None,
            },
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream && self.started.is_some() => {
                let st = self.started.unwrap_or(0);
                let observed = format!("a {st} response, then {ev}");
                match fit(r.code, NAMED, &[]) {
                    Fit::Named | Fit::Generic => self.alternative(
                        observed,
                        format!("a {st} response, then the reset of the malformed request"),
                        rules::RESPONSE_BEFORE_RESET,
                    ),
                    Fit::InternalForProtocol => self.lenient(observed, "RST_STREAM(PROTOCOL_ERROR)", rules::INTERNAL_FOR_PROTOCOL),
                    _ => self.fail(format!("{observed}: the request was answered, then reset with {} instead of PROTOCOL_ERROR", r.code)),
                }
            }
            _ => self.stream_error(ev, stream, NAMED, applicable),
        }
    }

    /// A malformed request's non-4xx response ended: processed (2xx, 3xx), or rejected as
    /// the server's own fault (5xx).
    fn response_ended(&self, ev: &Event, status: u16) -> Option<Verdict> {
        if status >= 500 {
            self.lenient(
                format!("a {status} response ({ev})"),
                "RST_STREAM(PROTOCOL_ERROR) or a 4xx response",
                rules::SERVER_ERROR_FOR_MALFORMED,
            )
        } else {
            self.fail(format!("a complete {status} response ({ev}): the server processed a malformed request"))
        }
    }

    fn ignored(&mut self, ev: &Event, close_ok: bool, fence_ack: bool) -> Option<Verdict> {
        match ev {
            _ if fence_ack => None,
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR && (close_ok || self.fence_acked) => {
                self.goaway_seen = Some(g.code);
                None
            }
            Event::Frame(Frame::GoAway(_)) => self.fail(format!("{ev}: the frame should have been ignored")),
            Event::Frame(Frame::RstStream(_)) if !close_ok => self.fail(format!("{ev}: the frame should have been ignored")),
            Event::Closed { .. } if close_ok => self.pass(self.close_text(ev)),
            Event::Closed { .. } if self.fence_acked => None,
            Event::Closed { .. } => self.fail(format!("{}: the frame should have been ignored", self.close_text(ev))),
            _ => None,
        }
    }

    fn not_answered(&mut self, ev: &Event, payload: [u8; 8], fence_ack: bool) -> Option<Verdict> {
        match ev {
            _ if fence_ack => None,
            Event::Frame(Frame::Ping(p)) if p.payload == payload => self.fail(format!("{ev}: the {} answered it", self.peer)),
            Event::Frame(Frame::GoAway(_)) | Event::Closed { .. } if !self.fence_acked => self.alternative(
                self.close_text(ev),
                "the connection ended instead (nothing was answered)",
                rules::END_AT_ANY_TIME,
            ),
            _ => None,
        }
    }

    /// After our GOAWAY(`ours`): the server may end the connection (with no error) instead
    /// of answering. An error GOAWAY fails, unless our code is one RFC 9113 does not define:
    /// §7 lets the server take it for INTERNAL_ERROR, and a server that answers a peer's
    /// error by closing with an error of its own is within that reading (lenient).
    fn graceful_close(&mut self, ev: &Event, ours: ErrorCode) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => {
                self.goaway_seen = Some(g.code);
                None
            }
            Event::Frame(Frame::GoAway(_)) if ours.0 > ErrorCode::HTTP_1_1_REQUIRED.0 => self.lenient(
                ev.to_string(),
                "the request answered, or a graceful close (GOAWAY(NO_ERROR))",
                rules::UNKNOWN_AS_INTERNAL,
            ),
            Event::Closed { .. } if matches!(self.goaway_seen, None | Some(ErrorCode::NO_ERROR)) => {
                self.alternative(self.close_text(ev), "a graceful close after our GOAWAY", rules::END_AT_ANY_TIME)
            }
            _ => self.unexpected_end(ev),
        }
    }

    fn response(&mut self, ev: &Event, stream: StreamId, accept: Accept, after_goaway: Option<ErrorCode>) -> Option<Verdict> {
        match ev {
            Event::Response { stream: s, status, .. } if *s == stream => match *status {
                None => self.violation(format!("{ev}: a response without :status"), rules::RESPONSE_STATUS),
                Some(st) if st < 200 => None,
                Some(st) if accept.allows(st) => self.pass(ev.to_string()),
                Some(st) => self.fail(format!("{ev}: the server rejected with {st} a request the RFC requires it to accept")),
            },
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => self.fail(ev.to_string()),
            Event::Frame(Frame::GoAway(_)) | Event::Closed { .. } if after_goaway.is_some() => {
                self.graceful_close(ev, after_goaway.unwrap_or(ErrorCode::NO_ERROR))
            }
            Event::Frame(Frame::GoAway(g)) if g.code != ErrorCode::NO_ERROR || g.last_stream_id < stream => {
                self.fail(ev.to_string())
            }
            Event::Closed { .. } => self.fail(self.close_text(ev)),
            _ => None,
        }
    }

    fn window_limited(&mut self, ev: &Event, stream: StreamId, len: usize) -> Option<Verdict> {
        match ev {
            Event::Frame(Frame::Data(d)) if d.stream_id == stream => {
                self.data_received += d.flow_len();
                if self.data_received > len {
                    self.violation(
                        format!("{} octets of DATA on stream {stream}, more than the {len}-octet window", self.data_received),
                        rules::FLOW_CONTROL,
                    )
                } else if d.end_stream {
                    Some(Verdict::Skip {
                        reason: format!(
                            "the response body ({} octets) is not larger than the window; use --path with a larger resource",
                            self.data_received
                        ),
                    })
                } else if self.data_received == len {
                    self.window_reached = true;
                    self.probe_wanted = true;
                    None
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

    fn preface_rejected(&mut self, ev: &Event) -> Option<Verdict> {
        const NAMED: &[ErrorCode] = &[ErrorCode::PROTOCOL_ERROR];
        match ev {
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => {
                self.goaway_seen = Some(g.code);
                None
            }
            Event::Frame(Frame::GoAway(g)) => self.code_verdict(ev.to_string(), g.code, NAMED, &[], "GOAWAY"),
            Event::Closed { .. } if self.fence_acked && !self.waiting => None,
            // §3.4 lets the GOAWAY be omitted, not say NO_ERROR: "not a result of an error".
            Event::Closed { .. } if self.goaway_seen.is_some() => self.graceful_instead(ev),
            Event::Closed { .. } => {
                self.alternative(ev.to_string(), "the connection closed without a GOAWAY", rules::PREFACE_GOAWAY_OMITTED)
            }
            _ => None,
        }
    }
}

/// Client mode: the expectations about a client under test.
impl Judge {
    /// Waits for the client's exit where it decides: without one (a browser), the PING sent
    /// after the response, answered with no error, shows the response was taken.
    fn accepted(&mut self, ev: &Event, stream: StreamId, fence_ack: bool) -> Option<Verdict> {
        match ev {
            Event::Exited(e) if e.succeeded() => self.pass(e.to_string()),
            Event::Exited(e) => self.fail(match &self.closed {
                Some(c) => format!("{c}, then {e}: the client did not take the valid response"),
                None => format!("{e}: the client did not take the valid response"),
            }),
            Event::Frame(Frame::RstStream(r))
                if r.stream_id == stream && !matches!(r.code, ErrorCode::NO_ERROR | ErrorCode::CANCEL) =>
            {
                self.fail(format!("{ev}: the client rejected a valid response"))
            }
            Event::Frame(Frame::GoAway(g)) if g.code != ErrorCode::NO_ERROR => {
                self.fail(format!("{ev}: the client took a valid response for a connection error"))
            }
            _ if fence_ack && !self.exits => self.pass("the PING sent after the response was answered, with no error before it"),
            Event::Closed { .. } if !self.exits => self.fail(format!("{ev} before the response was taken")),
            Event::Closed { .. } => {
                self.closed = Some(ev.to_string());
                None
            }
            _ => None,
        }
    }

    /// A stream error PROTOCOL_ERROR (a connection error is an alternative, §5.4.1), then,
    /// where an exit can be seen, no success reported.
    fn rejected(&mut self, ev: &Event, stream: StreamId) -> Option<Verdict> {
        const NAMED: &[ErrorCode] = &[ErrorCode::PROTOCOL_ERROR];
        let wire = match ev {
            Event::Exited(e) if e.succeeded() => {
                self.held = None;
                return self.fail_by(format!("{e}: the client accepted the malformed response"), rules::CLIENT_MALFORMED);
            }
            // Whatever came on the wire before, a crash is no way to refuse a response.
            Event::Exited(e) if e.crashed() => {
                self.held = None;
                return self.fail_by(format!("{e}: the malformed response crashed the client"), rules::CLIENT_LIMITS);
            }
            Event::Exited(e) => {
                return self.held.take().or_else(|| {
                    let how = self.closed.clone().unwrap_or_else(|| "no RST_STREAM or GOAWAY".into());
                    self.lenient(
                        format!("{how}, then {e}: the client refused the response but ended the connection without GOAWAY"),
                        "RST_STREAM(PROTOCOL_ERROR), or GOAWAY before the close",
                        rules::GOAWAY_BEFORE_CLOSE,
                    )
                });
            }
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream && r.code == ErrorCode::NO_ERROR => {
                self.fail_by(format!("{ev}: the stream closed with no error code"), rules::CLIENT_MALFORMED)
            }
            // CANCEL refuses the stream without naming the error: a client that tears the
            // stream down on its way out of a connection error (Go's) sends it in a race with
            // its close. Lenient: §8.1.1 names PROTOCOL_ERROR.
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => {
                self.code_verdict(ev.to_string(), r.code, NAMED, &[ErrorCode::CANCEL], "RST_STREAM")
            }
            Event::Frame(Frame::GoAway(g)) if g.code == ErrorCode::NO_ERROR => {
                self.goaway_seen = Some(g.code);
                None
            }
            Event::Frame(Frame::GoAway(g)) => self.as_connection_error(ev, g.code, NAMED, &[]),
            Event::Closed { .. } if self.exits => {
                self.closed.get_or_insert_with(|| ev.to_string());
                None
            }
            Event::Closed { .. } => self.lenient(
                format!("{} (no RST_STREAM or GOAWAY)", self.close_text(ev)),
                "RST_STREAM(PROTOCOL_ERROR), or GOAWAY before the close",
                rules::GOAWAY_BEFORE_CLOSE,
            ),
            _ => None,
        };
        match wire {
            // A failure on the wire stands whatever the exit; a right reaction waits for it.
            Some(v) if self.exits && !matches!(v, Verdict::Fail { .. }) => {
                self.held.get_or_insert(v);
                None
            }
            v => v,
        }
    }

    fn retried(&mut self, ev: &Event, stream: StreamId, goaway_last: Option<u32>) -> Option<Verdict> {
        match ev {
            Event::Request { stream: s, .. } if *s != stream => match goaway_last {
                Some(last) if s.0 > last => self.fail_by(
                    format!("{ev} on the connection after our GOAWAY (last stream {last})"),
                    rules::NO_STREAMS_AFTER_GOAWAY,
                ),
                _ => self.note_retry(ev),
            },
            Event::NewConnection { .. } => self.note_retry(ev),
            Event::Exited(e) if e.crashed() => self.fail_by(format!("{e}: the refusal crashed the client"), rules::CLIENT_LIMITS),
            Event::Exited(e) if e.succeeded() => {
                self.pass(format!("{}{e}", self.retried.as_ref().map(|r| format!("{r}, then ")).unwrap_or_default()))
            }
            Event::Exited(e) => self.lenient(
                match &self.retried {
                    Some(r) => format!("{r}, served with 200, yet {e}"),
                    None => format!("{e} without retrying the unprocessed request"),
                },
                "the request retried, or its failure not reported",
                rules::UNPROCESSED_NOT_FAILED,
            ),
            _ => None,
        }
    }

    fn note_retry(&mut self, ev: &Event) -> Option<Verdict> {
        self.retried.get_or_insert_with(|| format!("retried: {ev}"));
        if self.exits {
            None
        } else {
            self.pass(format!("retried: {ev}"))
        }
    }

    /// Counts the attempts after the first: more than `max` fails as soon as it happens.
    fn retries_bounded(&mut self, ev: &Event, max: u32) -> Option<Verdict> {
        match ev {
            Event::Request { fields, .. } if fields.iter().any(|f| f.name == b":method") => self.attempts += 1,
            Event::NewConnection { .. } => self.attempts += 1,
            Event::Exited(e) if e.crashed() => return self.fail_by(format!("{e} after {} retries", self.attempts), rules::CLIENT_LIMITS),
            Event::Exited(e) if !e.killed => return self.pass(format!("{e} after {} retries", self.attempts)),
            _ => return None,
        }
        if self.attempts > max {
            return self.fail_by(
                format!("{} retries of a request the server keeps refusing, and still going", self.attempts),
                rules::CLIENT_LIMITS,
            );
        }
        None
    }

    /// Any limit passes; so does taking it all, if the runner's memory check agrees; a
    /// crash fails. Where an exit can be seen, a limit on the wire waits for it: a crash
    /// closes the connection too, and only the exit tells the two apart.
    fn survives(&mut self, ev: &Event, stream: StreamId) -> Option<Verdict> {
        let limit = match ev {
            Event::Exited(e) if e.crashed() => {
                self.held = None;
                return self.fail_by(format!("{e}: the hostile response crashed the client"), rules::CLIENT_LIMITS);
            }
            Event::Exited(e) if e.killed => return None,
            Event::Exited(e) => return self.held.take().or_else(|| self.pass(format!("{e}: it set a limit or took the response"))),
            Event::Frame(Frame::RstStream(r)) if r.stream_id == stream => self.pass(format!("a limit: {ev}")),
            Event::Frame(Frame::GoAway(_)) | Event::Closed { .. } => self.pass(format!("a limit: {ev}")),
            _ => None,
        };
        match limit {
            Some(v) if self.exits => {
                self.held.get_or_insert(v);
                None
            }
            v => v,
        }
    }

    /// At the deadline, the client-mode expectations that an exit would have decided.
    fn client_deadline(&mut self, end: End) -> Option<Verdict> {
        let waited = match end {
            End::Deadline { waited_ms } => waited_ms,
            End::GraceExpired => 0,
        };
        let hang = |what: &str| format!("{what} within {waited} ms (the client was still running)");
        match self.expect {
            Expectation::Accepted { .. } => self.fail(hang("no exit")),
            // A client without an exit (a browser) may have refused the response where only
            // its page sees it: the wire shows only that no stream error was sent.
            Expectation::Rejected { .. } if !self.exits => self.lenient(
                format!("no RST_STREAM or GOAWAY within {waited} ms (a browser's refusal shows only in its page, not on the wire)"),
                "RST_STREAM(PROTOCOL_ERROR) for the malformed response",
                rules::CLIENT_MALFORMED,
            ),
            Expectation::Rejected { .. } => self.fail_by(hang("neither a reset of the stream nor a reported error"), rules::CLIENT_MALFORMED),
            Expectation::Retried { .. } if !self.exits && self.retried.is_none() => self.lenient(
                format!("no retry within {waited} ms"),
                "the request retried on a new stream or connection",
                rules::UNPROCESSED_NOT_FAILED,
            ),
            Expectation::Retried { .. } if self.exits => self.fail(match &self.retried {
                Some(r) => hang(&format!("{r}, served with 200, but no exit")),
                None => hang("no retry and no reported failure"),
            }),
            Expectation::Survives { .. } => self.fail_by(hang("no limit and no end of the exchange"), rules::CLIENT_LIMITS),
            // The client closed the connection without GOAWAY and has not exited: the close
            // was its reaction.
            Expectation::ConnectionError { .. } if self.closed.is_some() => {
                let c = self.closed.clone().unwrap_or_default();
                self.lenient(format!("{c} (no GOAWAY)"), "GOAWAY before the close", rules::GOAWAY_BEFORE_CLOSE)
            }
            Expectation::RetriesBounded { .. } if !self.exits => self.pass(format!("{} retries within {waited} ms", self.attempts)),
            Expectation::RetriesBounded { .. } => {
                self.fail_by(hang(&format!("{} retries, no reported failure", self.attempts)), rules::CLIENT_LIMITS)
            }
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_that_sends_no_reset_for_a_malformed_response_is_lenient_not_failed() {
        let expect = Expectation::Rejected { stream: StreamId(1) };
        let mut j = Judge::new(expect.clone(), false).for_client(false);
        let v = j.finish(End::Deadline { waited_ms: 10 });
        assert_eq!(v.label(), "lenient", "{v:?}");
        let mut j = Judge::new(expect.clone(), true).for_client(false);
        assert_eq!(j.finish(End::Deadline { waited_ms: 10 }).label(), "fail", "--strict");
        let mut j = Judge::new(expect, false).for_client(true);
        assert_eq!(j.finish(End::Deadline { waited_ms: 10 }).label(), "fail", "a command that hangs");
    }

    #[test]
    fn code_fit_follows_section_5_4() {
        use ErrorCode as E;
        assert_eq!(fit(E::FRAME_SIZE_ERROR, &[E::FRAME_SIZE_ERROR], &[]), Fit::Named);
        assert_eq!(fit(E::PROTOCOL_ERROR, &[E::FRAME_SIZE_ERROR], &[]), Fit::Generic);
        assert_eq!(fit(E::INTERNAL_ERROR, &[E::FRAME_SIZE_ERROR], &[]), Fit::Generic);
        assert_eq!(fit(E::INTERNAL_ERROR, &[E::PROTOCOL_ERROR], &[]), Fit::InternalForProtocol);
        assert_eq!(fit(E::INTERNAL_ERROR, &[E::PROTOCOL_ERROR, E::STREAM_CLOSED], &[]), Fit::Generic);
        assert_eq!(fit(E::FRAME_SIZE_ERROR, &[E::COMPRESSION_ERROR], &[E::FRAME_SIZE_ERROR]), Fit::Applicable);
        assert_eq!(fit(E::FLOW_CONTROL_ERROR, &[E::PROTOCOL_ERROR], &[]), Fit::Wrong);
        assert_eq!(fit(ErrorCode(0xfe), &[E::PROTOCOL_ERROR], &[]), Fit::Undefined);
    }
}
