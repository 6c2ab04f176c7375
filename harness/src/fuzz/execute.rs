//! Runs one input on one fresh connection and records what the server did.
//!
//! The connection is the conformance runner's: [`Conn`] makes the handshake, answers the
//! server's SETTINGS and PINGs, decodes every response block and feeds the passive checker.
//! After the input comes the PING fence, as after a case's frames, when the input ends on a
//! frame boundary: its ACK proves the server read everything before it (the liveness check
//! of the connection), and when the input breaks a rule the codec names, the judge decides
//! the server's reaction to it exactly as it decides a case's ([`Judge`], with the fence's
//! grace period of [`fence_grace`]). Every wait has a deadline: `timeout` after the input.

use super::input::{Ending, Input, Unit};
use super::oracle::{first_violation, Class, Violation};
use crate::case::Ctx;
use crate::checks::CHECKS;
use crate::conn::{Conn, ConnOptions, HandshakeError, OUR_MAX_FRAME_SIZE};
use crate::event::Event;
use crate::judge::{End, Judge, FENCE};
use crate::model::{Finding, Level, TranscriptLine, Verdict};
use crate::resilience::FloodLimits;
use crate::runner::fence_grace;
use crate::safety::FloodPermit;
use crate::transport::{Connector, Scheme, Target};
use h2probe_codec::frame::{Frame, PREFACE};
use h2probe_codec::{frames, ErrorCode, FrameType, SettingId};
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::time::Instant;

/// How long to look for a reaction when no fence can follow the input (it ends inside a
/// frame or a field block): the server is waiting for more, so nothing is proved by silence.
const UNFENCED_LOOK: Duration = Duration::from_millis(30);
/// How long to wait for the close after a GOAWAY, when no judge is waiting for it.
const CLOSE_AFTER_GOAWAY: Duration = Duration::from_millis(100);

/// One server under test and how to reach it.
#[derive(Debug)]
pub struct Env {
    /// Its name in findings (`nginx h2c`, or the URL).
    pub name: String,
    /// Where it listens.
    pub target: Target,
    /// Opens its connections.
    pub connector: Connector,
    /// The loopback gate: every connection goes through it.
    pub permit: FloodPermit,
    /// Per-wait deadline.
    pub timeout: Duration,
    /// Judge lenient answers as failures (`--strict`), and report SHOULD-level passive checks.
    pub strict: bool,
    /// Send inputs without reading anything (the benchmark's discarding sink): only the
    /// crash oracle can fire.
    pub send_only: bool,
}

impl Env {
    /// What a request to the target needs to know about it.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            scheme: match self.target.scheme {
                Scheme::H2c => "http",
                Scheme::Tls => "https",
            },
            authority: self.target.authority.clone(),
            path: self.target.path.clone(),
            server: Default::default(),
            limits: FloodLimits::default(),
            request: None,
            marker: Vec::new(),
        }
    }
}

/// The spec oracle's judgement of one input.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The rule the input breaks.
    pub violation: Violation,
    /// The judge's verdict on the server's reaction.
    pub verdict: Verdict,
}

/// What the server did with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    /// In words: `GOAWAY(PROTOCOL_ERROR)`, `RST_STREAM(STREAM_CLOSED), answered`, `hang`.
    pub label: String,
    /// Its class for the differential oracle; `None` when no fence could follow the input.
    pub class: Option<Class>,
    /// The connection could not be opened, or the handshake failed: why.
    pub refused: Option<String>,
}

/// The record of one input's run.
#[derive(Debug, Clone)]
pub struct Execution {
    /// What the server did.
    pub reaction: Reaction,
    /// The judge's verdict, when the input breaks a rule the codec names.
    pub spec: Option<Spec>,
    /// Passive checks of the server's output that failed on the connection.
    pub server_output: Vec<Finding>,
    /// What was new about the server's behaviour, in tokens (the corpus keeps inputs that
    /// show a token it has not seen).
    pub tokens: BTreeSet<String>,
    /// The frames of the connection.
    pub transcript: Vec<TranscriptLine>,
    /// Streams the server reset.
    pub reset_streams: BTreeSet<u32>,
}

impl Execution {
    fn refused(why: String) -> Execution {
        Execution {
            reaction: Reaction { label: "refused".into(), class: Some(Class::Refused), refused: Some(why) },
            spec: None,
            server_output: Vec::new(),
            tokens: BTreeSet::from(["refused".to_string()]),
            transcript: Vec::new(),
            reset_streams: BTreeSet::new(),
        }
    }

    /// Whether the spec oracle fired: the judge failed the reaction (and the server did not
    /// break the protocol itself, which is the server-output oracle's finding).
    pub fn spec_failed(&self) -> Option<&Spec> {
        self.spec.as_ref().filter(|s| s.verdict.is_fail() && self.reaction.label != "server-violation")
    }

    /// Whether the connection neither answered the fence nor closed in time.
    pub fn hung(&self) -> bool {
        self.reaction.class == Some(Class::Hang)
    }
}

/// What the events showed, for the reaction and the novelty tokens.
#[derive(Debug, Default)]
struct Observed {
    goaway: Option<ErrorCode>,
    rst: BTreeSet<ErrorCode>,
    reset_streams: BTreeSet<u32>,
    closed: Option<bool>,
    fence_acked: bool,
    timed_out: bool,
    violation: Option<String>,
    tokens: BTreeSet<String>,
    last: Option<String>,
}

impl Observed {
    fn observe(&mut self, ev: &Event) {
        match ev {
            Event::Frame(f) => {
                // Frames whose arrival depends on timing (window updates, our fence's ACK,
                // SETTINGS and their ACKs) would make the corpus a function of the clock.
                let h = f.head();
                if !matches!(h.kind, FrameType::WINDOW_UPDATE | FrameType::PING | FrameType::SETTINGS) {
                    let kind = h.kind.to_string();
                    self.tokens.insert(format!("rx:{kind}:{:02x}", h.flags));
                    if let Some(prev) = self.last.replace(kind.clone()) {
                        self.tokens.insert(format!("seq:{prev}>{kind}"));
                    }
                }
                match f {
                    Frame::GoAway(g) => {
                        self.tokens.insert(format!("goaway:{}", g.code));
                        if self.goaway.is_none_or(|c| c == ErrorCode::NO_ERROR) {
                            self.goaway = Some(g.code);
                        }
                    }
                    Frame::RstStream(r) => {
                        self.tokens.insert(format!("rst:{}", r.code));
                        self.rst.insert(r.code);
                        self.reset_streams.insert(r.stream_id.0);
                    }
                    Frame::Ping(p) if p.ack && p.payload == FENCE => self.fence_acked = true,
                    _ => {}
                }
            }
            Event::Response { status, .. } => {
                self.tokens.insert(format!("status:{}", status.map_or_else(|| "none".to_string(), |s| s.to_string())));
            }
            Event::ServerViolation(why) => {
                self.tokens.insert("violation".into());
                self.violation.get_or_insert_with(|| why.clone());
            }
            Event::Closed { reset } => {
                self.tokens.insert("closed".into());
                self.closed = Some(*reset);
            }
            // Client mode's events; a server under test never causes them.
            Event::Request { .. } | Event::NewConnection { .. } | Event::Exited(_) => {}
        }
    }

    fn reaction(&self, fenced: bool) -> Reaction {
        let (main, class) = if self.violation.is_some() {
            ("server-violation".to_string(), Class::ConnectionError)
        } else if let Some(c) = self.goaway.filter(|c| *c != ErrorCode::NO_ERROR) {
            (format!("GOAWAY({c})"), Class::ConnectionError)
        } else if self.goaway.is_some() {
            ("GOAWAY(NO_ERROR)".to_string(), Class::Graceful)
        } else if let Some(reset) = self.closed {
            ((if reset { "reset" } else { "close" }).to_string(), Class::ConnectionError)
        } else if self.fence_acked {
            ("answered".to_string(), if self.rst.is_empty() { Class::Accepted } else { Class::StreamError })
        } else if self.timed_out {
            ("hang".to_string(), Class::Hang)
        } else {
            ("unfenced".to_string(), Class::Accepted)
        };
        let label = if self.rst.is_empty() {
            main
        } else {
            let codes: Vec<String> = self.rst.iter().map(|c| c.to_string()).collect();
            format!("RST_STREAM({}), {main}", codes.join(", "))
        };
        Reaction { label, class: fenced.then_some(class), refused: None }
    }
}

/// Runs `input` on a fresh connection to `env`'s server.
pub async fn execute(env: &Env, input: &Input) -> Execution {
    run(env, input, false).await
}

/// As [`execute`], but after the fence's ACK the connection is watched for the grace
/// period still: a server may answer a PING ahead of what it decided while reading the
/// frames before it (nghttp2 queues PING ACKs first, a stream's RST_STREAM after), and the
/// spec oracle's context check must see those resets.
pub async fn execute_lingering(env: &Env, input: &Input) -> Execution {
    run(env, input, true).await
}

async fn run(env: &Env, input: &Input, linger: bool) -> Execution {
    let io = match env.permit.connect(&env.connector, env.timeout).await {
        Ok(io) => io,
        Err(e) => return Execution::refused(e.to_string()),
    };
    if env.send_only {
        return send_only(io, input, env.timeout).await;
    }
    let options = ConnOptions { tls: env.target.scheme == Scheme::Tls, ..ConnOptions::default() };
    let mut conn = Conn::new(io, options);
    if let Err(e) = conn.handshake(Instant::now() + env.timeout).await {
        let why = match e {
            HandshakeError::Timeout(_) => format!("handshake: no SETTINGS exchange within {} ms", env.timeout.as_millis()),
            other => format!("handshake: {other}"),
        };
        let mut ex = Execution::refused(why);
        ex.transcript = conn.finish().0;
        return ex;
    }
    let violation = first_violation(input, &conn.server);
    conn.send_split(&input.outgoing(), &input.effective_cuts(), Instant::now() + env.timeout).await;
    let fenced = input.ending() == Ending::Aligned && !conn.is_closed();
    if fenced {
        conn.send(&frames::ping(FENCE).build().into(), Instant::now() + env.timeout).await;
    }
    let mut judge = match (&violation, fenced) {
        (Some(v), true) => Some(Judge::new(v.expectation.clone(), env.strict).citing(v.section, v.requirement)),
        _ => None,
    };
    let mut obs = Observed::default();
    let deadline = Instant::now() + if fenced { env.timeout } else { UNFENCED_LOOK };
    let mut grace_from: Option<Instant> = None;
    let mut close_by: Option<Instant> = None;
    let mut verdict = None;
    loop {
        let mut until = deadline;
        if let (Some(t), Some(j)) = (grace_from, &judge) {
            if j.fence_acked() {
                until = until.min(t + fence_grace(env.timeout));
            }
        }
        if let Some(t) = close_by {
            until = until.min(t);
        }
        match conn.next_event(until).await {
            Some(ev) => {
                obs.observe(&ev);
                match judge.as_mut() {
                    Some(j) => {
                        if let Some(v) = j.observe(&ev) {
                            verdict = Some(v);
                            break;
                        }
                        if j.fence_acked() && grace_from.is_none() {
                            grace_from = Some(Instant::now());
                        }
                    }
                    None if linger && obs.fence_acked && obs.closed.is_none() && obs.violation.is_none() => {
                        close_by.get_or_insert_with(|| Instant::now() + fence_grace(env.timeout));
                    }
                    None if obs.fence_acked || obs.closed.is_some() || obs.violation.is_some() => break,
                    None if obs.goaway.is_some() && close_by.is_none() => close_by = Some(Instant::now() + CLOSE_AFTER_GOAWAY),
                    None => {}
                }
            }
            None => {
                let now = Instant::now();
                let in_grace = judge.as_ref().is_some_and(|j| j.fence_acked()) && now < deadline;
                if let Some(j) = judge.as_mut() {
                    verdict = Some(if in_grace {
                        j.finish(End::GraceExpired)
                    } else {
                        j.finish(End::Deadline { waited_ms: env.timeout.as_millis() as u64 })
                    });
                }
                let answered = obs.fence_acked || obs.closed.is_some() || close_by.is_some_and(|t| now >= t);
                if fenced && !answered && !in_grace {
                    obs.timed_out = true;
                }
                break;
            }
        }
    }
    let reaction = obs.reaction(fenced);
    let (transcript, findings, checked) = conn.finish();
    // What an input that leaves a frame or block unfinished gets within the short look is
    // a matter of timing: it adds no tokens, so the corpus does not depend on the clock.
    let mut tokens = if fenced { std::mem::take(&mut obs.tokens) } else { BTreeSet::from(["unfenced".to_string()]) };
    if fenced {
        // EOF or reset after an error is the kernel's timing, not the server's choice.
        tokens.insert(format!("reaction:{}", reaction.label.replace("reset", "close")));
        // The passive checks the server's output exercised: its output states.
        tokens.extend(checked.keys().map(|c| format!("check:{c}")));
    }
    let spec = match (violation, verdict) {
        (Some(violation), Some(verdict)) => {
            tokens.insert(format!("spec:{}:{}", violation.rule, verdict.label()));
            Some(Spec { violation, verdict })
        }
        _ => None,
    };
    let reset_streams = std::mem::take(&mut obs.reset_streams);
    let mut server_output = relevant(findings, input, env.strict);
    if let Some(why) = &obs.violation {
        if server_output.is_empty() && !caused_by_our_settings(why, input) {
            server_output.push(Finding { check: SERVER_VIOLATION.into(), detail: why.clone(), at_ms: 0 });
        }
    }
    Execution { reaction, spec, server_output, tokens, transcript, reset_streams }
}

/// Whether the server serves a fresh connection: the liveness check every N inputs, and
/// the crash oracle's test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Liveness {
    /// A GET was answered (a response, or an explicit RST_STREAM or GOAWAY: the server is
    /// there and speaking HTTP/2).
    Up,
    /// The connection was refused or failed: nothing listens.
    Refused(String),
    /// It accepted, then neither answered nor closed within the deadline.
    NoAnswer(String),
    /// It accepted, then closed or broke the connection before answering.
    Closes(String),
}

/// A GET of the target's path on a fresh connection, every wait bounded by the timeout.
pub async fn liveness(env: &Env) -> Liveness {
    let deadline = Instant::now() + env.timeout;
    let io = match env.permit.connect(&env.connector, env.timeout).await {
        Ok(io) => io,
        Err(e) => return Liveness::Refused(e.to_string()),
    };
    let mut conn = Conn::new(io, ConnOptions { tls: env.target.scheme == Scheme::Tls, ..ConnOptions::default() });
    match conn.handshake(deadline).await {
        Ok(()) => {}
        Err(HandshakeError::Timeout(_)) => {
            return Liveness::NoAnswer(format!("a fresh connection got no SETTINGS within {} ms", env.timeout.as_millis()))
        }
        Err(e) => return Liveness::Closes(format!("a fresh connection: {e}")),
    }
    conn.send(&env.ctx().get(1).build().into(), deadline).await;
    loop {
        match conn.next_event(deadline).await {
            None => return Liveness::NoAnswer(format!("a GET on a fresh connection got no answer within {} ms", env.timeout.as_millis())),
            Some(Event::Response { stream, .. }) if stream.0 == 1 => return Liveness::Up,
            Some(Event::Frame(Frame::RstStream(_) | Frame::GoAway(_))) => return Liveness::Up,
            Some(ev @ (Event::Closed { .. } | Event::ServerViolation(_))) => return Liveness::Closes(format!("a GET on a fresh connection: {ev}")),
            Some(_) => {}
        }
    }
}

/// The pseudo-check of a server violation no passive check names (an HTTP/1.x answer, a
/// field block above the driver's bound).
pub const SERVER_VIOLATION: &str = "h2probe/server-violation";

/// The passive findings an input's own SETTINGS cannot explain, at the run's level. Our
/// connection driver reads frames up to [`OUR_MAX_FRAME_SIZE`], takes push as disabled, and
/// follows SETTINGS_HEADER_TABLE_SIZE only in the typed SETTINGS it sends; an input that
/// advertises more, or changes the table size in a raw SETTINGS (an undefined flag set, say),
/// lets the server send what the driver then calls invalid.
fn relevant(findings: Vec<Finding>, input: &Input, strict: bool) -> Vec<Finding> {
    let frame_size = crate::checks::CheckId::FrameSize.def().server_id.unwrap_or_default();
    let push = crate::checks::CheckId::PushWhenDisabled.def().server_id.unwrap_or_default();
    let ours = Ours::of(input);
    // A server may act on a frame before all of it arrived (nghttp2 decodes a field block
    // as it comes): the checker, which counts only whole frames of ours, then takes the
    // stream for idle.
    let rst_on_idle = crate::checks::CheckId::RstOnIdle.def().server_id.unwrap_or_default();
    let partial = input.ending() == Ending::MidFrame;
    findings
        .into_iter()
        .filter(|f| !(partial && f.check == rst_on_idle))
        .filter(|f| !(ours.raised_frame_size && f.check == frame_size || ours.enabled_push && f.check == push))
        .filter(|f| !(ours.untracked_table_size && f.check.starts_with("rfc7541/")))
        .filter(|f| strict || CHECKS.iter().find(|c| c.server_id == Some(f.check.as_str())).is_none_or(|c| c.level == Level::Must))
        .collect()
}

fn caused_by_our_settings(why: &str, input: &Input) -> bool {
    let ours = Ours::of(input);
    (ours.raised_frame_size && why.contains("SETTINGS_MAX_FRAME_SIZE"))
        || (ours.enabled_push && why.contains("PUSH_PROMISE"))
        || (ours.untracked_table_size && why.contains("does not decode"))
}

/// What the input's own SETTINGS frames allow the server.
#[derive(Debug, Default)]
struct Ours {
    raised_frame_size: bool,
    enabled_push: bool,
    untracked_table_size: bool,
}

impl Ours {
    fn of(input: &Input) -> Ours {
        let mut o = Ours::default();
        for u in &input.units {
            let tracked = matches!(u, Unit::Frame(_));
            let bytes = u.to_bytes();
            let mut at = 0;
            while let Some(head) = h2probe_codec::frame::Head::parse(&bytes[at..]) {
                let end = at + h2probe_codec::frame::HEAD_LEN + head.length as usize;
                let Some(payload) = bytes.get(at + h2probe_codec::frame::HEAD_LEN..end) else { break };
                if head.kind == h2probe_codec::FrameType::SETTINGS {
                    if let Ok(s) = h2probe_codec::frame::Settings::decode(&head, payload) {
                        for &(id, v) in &s.params {
                            o.raised_frame_size |= id == SettingId::MAX_FRAME_SIZE && v > OUR_MAX_FRAME_SIZE;
                            o.enabled_push |= id == SettingId::ENABLE_PUSH && v != 0;
                            o.untracked_table_size |= id == SettingId::HEADER_TABLE_SIZE && !tracked;
                        }
                    }
                }
                at = end;
            }
        }
        o
    }
}

/// The benchmark's mode: the preface, our SETTINGS and the input, written without reading.
async fn send_only(mut io: crate::transport::BoxIo, input: &Input, timeout: Duration) -> Execution {
    let mut bytes = PREFACE.to_vec();
    Frame::Settings(h2probe_codec::frame::Settings { ack: false, params: ConnOptions::default().settings }).encode(&mut bytes);
    let head = bytes.len();
    bytes.extend_from_slice(&input.octets());
    let mut from = 0;
    let cuts = input.effective_cuts();
    let ends = cuts.iter().map(|c| c + head).chain(std::iter::once(bytes.len()));
    let deadline = Instant::now() + timeout;
    let mut label = "sent";
    for end in ends {
        let ok = tokio::time::timeout_at(deadline, io.write_all(&bytes[from..end])).await;
        if !matches!(ok, Ok(Ok(()))) {
            label = "write failed";
            break;
        }
        from = end;
    }
    let _ = tokio::time::timeout_at(deadline, io.shutdown()).await;
    Execution {
        reaction: Reaction { label: label.into(), class: None, refused: None },
        spec: None,
        server_output: Vec::new(),
        tokens: BTreeSet::new(),
        transcript: Vec::new(),
        reset_streams: BTreeSet::new(),
    }
}
