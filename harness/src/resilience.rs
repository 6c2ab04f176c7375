//! Resilience (RFC 9113 §10.5): a flood as data, what the server did about it, and the
//! verdict. Pure: the I/O lives in [`crate::flood`], so every rule here is unit-tested on
//! made-up outcomes.
//!
//! The oracle follows the DoS catalogue. RFC 9113 §10.5 says "Implementations SHOULD track
//! the use of these features and set limits … An endpoint MAY treat activity that is
//! suspicious as a connection error (Section 5.4.1) of type ENHANCE_YOUR_CALM". So:
//!
//! - the server **reacted** (GOAWAY with any code, a close, or for a watched stream a
//!   RST_STREAM or a 4xx/5xx answer; RST_STREAM(ENHANCE_YOUR_CALM) anywhere): pass;
//! - it **kept accepting** up to our bound while a fresh connection's GET, during and after
//!   the flood, was still answered: a lenient pass ("no limit seen up to N"), which
//!   `--strict` turns into a failure, since nothing shows a limit exists;
//! - the probe **failed** (refused, reset, no answer within the timeout, or a 5xx where the
//!   server answered before the flood): fail, whatever the flooded connection showed;
//! - before the flood the probe already failed: error, since nothing can be judged.

use crate::conn::Outgoing;
use crate::event::Event;
use crate::model::Verdict;
use core::fmt;
use h2probe_codec::frame::Frame;
use h2probe_codec::{ErrorCode, StreamId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

/// How far a flood may go. Every flood stops by itself at the first bound it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloodLimits {
    /// Frames of the flood itself (set-up frames and PING fences not counted).
    pub max_frames: u64,
    /// Wall time of the sending phase.
    pub max_duration: Duration,
    /// Decoded header-list size of an HPACK bomb (name + value + 32 per field, RFC 7541 §4.1).
    pub max_decoded: u64,
    /// `--attack-size`: N of every attack in place of its own (the 4N run follows).
    pub attack_size: Option<u64>,
}

impl Default for FloodLimits {
    fn default() -> Self {
        FloodLimits { max_frames: 1_000_000, max_duration: Duration::from_secs(5), max_decoded: 64 << 20, attack_size: None }
    }
}

/// One repetition of a flood: its frames, and the stream it opens if the stream stays open
/// until the server closes it (counted against SETTINGS_MAX_CONCURRENT_STREAMS).
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// Frames written back to back.
    pub frames: Vec<Outgoing>,
    /// A stream this unit leaves open.
    pub opens: Option<StreamId>,
}

/// Builds the `i`-th unit of a flood (0-based).
pub type UnitFn = Arc<dyn Fn(u64) -> Unit + Send + Sync>;

/// A flood: a frame generator plus what the driver needs to send it safely.
#[derive(Clone)]
pub struct Flood {
    /// What one unit is, for the transcript: `HEADERS + RST_STREAM(CANCEL)`.
    pub unit_desc: &'static str,
    /// The noun for a count of units in verdicts: `streams`, `PINGs`.
    pub noun: &'static str,
    /// The generator.
    pub units: UnitFn,
    /// A cap on units independent of the frame bound (an HPACK bomb is one unit).
    pub max_units: Option<u64>,
    /// Whether a PING may be sent between units. The driver then sends one after every
    /// batch and waits for its ACK before running more than two batches ahead: servers
    /// process a connection in order, so the ACK says how far the server has read, which
    /// keeps the reported frame count honest and our send buffers bounded. Off where a PING
    /// would itself be a violation (inside a field block).
    pub fence: bool,
    /// Said after the unit count in verdicts, e.g. `a 16 KiB field block that decodes to 64 MiB`.
    pub note: Option<String>,
}

impl fmt::Debug for Flood {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flood")
            .field("unit_desc", &self.unit_desc)
            .field("max_units", &self.max_units)
            .field("fence", &self.fence)
            .field("note", &self.note)
            .finish_non_exhaustive()
    }
}

/// What the server did that stopped the flood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// GOAWAY, any code.
    GoAway {
        /// Its code.
        code: ErrorCode,
        /// Its last stream id.
        last_stream: StreamId,
        /// Its debug data, as text when printable.
        debug: String,
        /// Whether the transport closed soon after.
        closed: bool,
    },
    /// The transport ended without GOAWAY.
    Closed {
        /// A reset rather than an orderly EOF.
        reset: bool,
    },
    /// RST_STREAM(ENHANCE_YOUR_CALM) on any stream, or any RST_STREAM on the watched stream.
    Reset {
        /// The stream.
        stream: StreamId,
        /// The code.
        code: ErrorCode,
    },
    /// A 4xx or 5xx response on the watched stream (431 for an HPACK bomb, say).
    Refused {
        /// The stream.
        stream: StreamId,
        /// The status.
        status: u16,
    },
}

impl fmt::Display for Reaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reaction::GoAway { code, last_stream, debug, closed } => {
                write!(f, "GOAWAY({code}")?;
                if !debug.is_empty() {
                    write!(f, ", \"{debug}\"")?;
                }
                write!(f, ", last stream {last_stream})")?;
                if *closed {
                    f.write_str(" + close")?;
                }
                Ok(())
            }
            Reaction::Closed { reset: false } => f.write_str("closed the connection (no GOAWAY)"),
            Reaction::Closed { reset: true } => f.write_str("reset the connection (no GOAWAY)"),
            Reaction::Reset { stream, code } => write!(f, "RST_STREAM({code}) on stream {stream}"),
            Reaction::Refused { stream, status } => write!(f, "answered {status} on stream {stream}"),
        }
    }
}

/// Why the flood stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The server reacted.
    Reacted(Reaction),
    /// The server broke the protocol itself (an undecodable frame, a bad HPACK block).
    Violation(String),
    /// Every frame up to `--max-frames` was sent; no reaction.
    FrameBound,
    /// Every unit was sent (`Flood::max_units`); no reaction.
    UnitBound,
    /// `--max-seconds` passed; no reaction.
    TimeBound,
    /// A write did not complete within the timeout: the server stopped reading (TCP
    /// backpressure) without closing.
    NotReading {
        /// The timeout, ms.
        waited_ms: u64,
    },
    /// A PING fence was not acknowledged within the timeout: the server stopped answering
    /// on the flooded connection (it may be throttling it) without closing it.
    NoFenceAck {
        /// The timeout, ms.
        waited_ms: u64,
    },
    /// Streams we opened stayed open up to SETTINGS_MAX_CONCURRENT_STREAMS: the frame meant
    /// to make the server reset them did not, so the flood could not go on.
    StreamsStayedOpen {
        /// How many.
        open: usize,
    },
}

impl Stop {
    /// True when the server did something about the flood.
    pub fn reacted(&self) -> bool {
        matches!(self, Stop::Reacted(_))
    }
}

/// Distinct RST_STREAM codes counted one by one in a [`Tally`]; RFC 9113 defines 14, and a
/// server that resets with ever new codes must not grow the tally: the rest are summed in
/// [`Tally::other_resets`].
pub const MAX_TALLIED_CODES: usize = 16;

/// Counts of what the server sent during the flood, for the verdict's wording.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Frames received on the flooded connection.
    pub frames: u64,
    /// Responses (complete field blocks with `:status`).
    pub responses: u64,
    /// RST_STREAM frames by code, for the first [`MAX_TALLIED_CODES`] codes seen.
    pub resets: BTreeMap<ErrorCode, u64>,
    /// RST_STREAM frames with any other code.
    pub other_resets: u64,
    /// The watched stream's status, when it was answered without a reaction (an HPACK bomb
    /// that was accepted).
    pub watched_status: Option<u16>,
}

/// What happened on the flooded connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloodOutcome {
    /// Why it stopped.
    pub stop: Stop,
    /// Flood frames written before the stop was seen.
    pub frames_sent: u64,
    /// Flood frames the server had certainly read (covered by an acknowledged PING fence,
    /// or answered); `None` where nothing could confirm it (a flood without fences whose end
    /// could not be fenced either).
    pub frames_confirmed: Option<u64>,
    /// Octets written on the flooded connection from the flood's first frame on (its frames
    /// and our PINGs), as handed to the socket: an upper bound on what the server read.
    pub octets_sent: u64,
    /// Of those, octets the server had certainly read (before the last acknowledged fence).
    pub octets_confirmed: Option<u64>,
    /// What the server answered once an unfenced flood's field block was ended (shown with
    /// the count it confirms).
    pub confirmation: Option<String>,
    /// Units written.
    pub units: u64,
    /// From the first flood frame to the stop.
    pub elapsed: Duration,
    /// What the server sent.
    pub tally: Tally,
    /// `Flood::noun`.
    pub noun: &'static str,
    /// `Flood::note`.
    pub note: Option<String>,
}

/// A side-channel probe: a GET on a fresh connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A response arrived.
    Answered {
        /// Its status.
        status: u16,
        /// From connect to the response headers, in microseconds.
        us: u64,
    },
    /// No response: refused, reset, closed, or the timeout passed.
    Failed(String),
    /// Not attempted, and why.
    NotRun(&'static str),
}

/// The three probes of a resilience case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probes {
    /// Before the flood: the baseline (if it fails nothing can be judged).
    pub before: Probe,
    /// While the flood ran (from its midpoint).
    pub during: Probe,
    /// After the flood stopped, with the flooded connection still open.
    pub after: Probe,
}

/// Classifies the flooded connection's events, tracks streams we left open, and counts.
#[derive(Debug, Clone, Default)]
pub struct Watcher {
    watch: Option<StreamId>,
    watched_complete: bool,
    open: BTreeSet<StreamId>,
    /// What the server sent so far.
    pub tally: Tally,
}

impl Watcher {
    /// A watcher; `watch` is a stream whose reset or error response counts as a reaction.
    pub fn new(watch: Option<StreamId>) -> Watcher {
        Watcher { watch, ..Watcher::default() }
    }

    /// Records a stream a unit left open.
    pub fn opened(&mut self, stream: StreamId) {
        self.open.insert(stream);
    }

    /// Streams we opened that the server has neither reset nor finished.
    pub fn open_streams(&self) -> usize {
        self.open.len()
    }

    /// Feeds one event; `Some` stops the flood.
    pub fn observe(&mut self, ev: &Event) -> Option<Stop> {
        match ev {
            Event::Frame(f) => {
                self.tally.frames += 1;
                self.frame(f)
            }
            Event::Response { stream, status, end_stream, .. } => {
                self.tally.responses += 1;
                if *end_stream {
                    self.open.remove(stream);
                }
                if Some(*stream) != self.watch {
                    return None;
                }
                if *end_stream {
                    self.watched_complete = true;
                }
                match status {
                    Some(s) if *s >= 400 => Some(Stop::Reacted(Reaction::Refused { stream: *stream, status: *s })),
                    Some(s) if *s >= 200 => {
                        self.tally.watched_status = Some(*s);
                        None
                    }
                    _ => None,
                }
            }
            Event::Closed { reset } => Some(Stop::Reacted(Reaction::Closed { reset: *reset })),
            Event::ServerViolation(why) => Some(Stop::Violation(why.clone())),
            // Floods run with h2probe as the client: no requests arrive, and no client
            // process ends.
            Event::Request { .. } | Event::NewConnection { .. } | Event::Exited(_) => None,
        }
    }

    fn frame(&mut self, f: &Frame) -> Option<Stop> {
        match f {
            Frame::GoAway(g) => Some(Stop::Reacted(Reaction::GoAway {
                code: g.code,
                last_stream: g.last_stream_id,
                debug: printable(&g.debug_data),
                closed: false,
            })),
            Frame::RstStream(r) => {
                if self.tally.resets.len() < MAX_TALLIED_CODES || self.tally.resets.contains_key(&r.code) {
                    *self.tally.resets.entry(r.code).or_default() += 1;
                } else {
                    self.tally.other_resets += 1;
                }
                self.open.remove(&r.stream_id);
                let watched = Some(r.stream_id) == self.watch;
                // After a complete answer a RST_STREAM(NO_ERROR) only stops the upload
                // (RFC 9113 §8.1); it says nothing about the flood.
                let benign = watched && self.watched_complete && r.code == ErrorCode::NO_ERROR;
                if r.code == ErrorCode::ENHANCE_YOUR_CALM || (watched && !benign) {
                    Some(Stop::Reacted(Reaction::Reset { stream: r.stream_id, code: r.code }))
                } else {
                    None
                }
            }
            Frame::Data(d) if d.end_stream => {
                self.open.remove(&d.stream_id);
                if Some(d.stream_id) == self.watch {
                    self.watched_complete = true;
                }
                None
            }
            _ => None,
        }
    }
}

/// GOAWAY debug data as text, when it is short printable ASCII.
fn printable(b: &[u8]) -> String {
    if !b.is_empty() && b.len() <= 200 && b.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
        String::from_utf8_lossy(b).into_owned()
    } else if b.is_empty() {
        String::new()
    } else {
        format!("{} octets of debug data", b.len())
    }
}

/// `12 345` — counts in verdicts are read by people.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `1 stream`, `2 streams`: nouns are given in the plural.
fn units(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('s')) {
        (1, Some(one)) => format!("1 {one}"),
        _ => format!("{} {noun}", count(n)),
    }
}

/// `0.4 ms`, `12 ms`: loopback latencies are often below a millisecond.
pub fn millis(us: u64) -> String {
    if us < 10_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else {
        format!("{} ms", count(us / 1000))
    }
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        millis(d.as_micros() as u64)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

impl FloodOutcome {
    /// `after 1 204 frames (602 streams) in 0.08 s`, or a range when the server's read
    /// position is known only between the last acknowledged fence and what was written.
    fn after(&self) -> String {
        let n = units(self.frames_sent, "frames");
        let (frames, exact) = match self.frames_confirmed {
            Some(lo) if lo >= self.frames_sent => (n, true),
            Some(lo) if lo > 0 => (format!("{}–{n}", count(lo)), false),
            // Without fences (or before the first ACK) only an upper bound is certain: the
            // reaction may have been to any frame already written.
            _ => (format!("at most {n}"), true),
        };
        let units = if exact && self.units != self.frames_sent { format!(" ({})", units(self.units, self.noun)) } else { String::new() };
        format!("after {frames}{units} in {}", secs(self.elapsed))
    }

    fn note(&self) -> String {
        self.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
    }

    fn tally(&self) -> String {
        let mut parts = Vec::new();
        if self.tally.responses > 0 {
            parts.push(units(self.tally.responses, "responses"));
        }
        for (code, n) in &self.tally.resets {
            parts.push(format!("{} RST_STREAM({code})", count(*n)));
        }
        if self.tally.other_resets > 0 {
            parts.push(format!("{} RST_STREAM with other codes", count(self.tally.other_resets)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("; meanwhile the server sent {}", parts.join(", "))
        }
    }

    /// Whether the server is known to have read every flood frame written.
    fn all_read(&self) -> bool {
        self.frames_confirmed.is_some_and(|c| c >= self.frames_sent)
    }

    /// `after 12 345 of the 40 960 octets we wrote during the flood`: what the server had
    /// certainly read, or at most what was written when nothing confirms a lower bound.
    fn read_octets(&self) -> String {
        match self.octets_confirmed {
            Some(n) => format!("after {} of the {} octets we wrote during the flood", count(n), count(self.octets_sent)),
            None => format!("after at most the {} octets we wrote during the flood", count(self.octets_sent)),
        }
    }

    /// `1 280 frames sent, 1 153 of them acknowledged`.
    fn written(&self) -> String {
        let acked = match self.frames_confirmed {
            Some(c) => format!(", {} of them acknowledged", count(c)),
            None => String::new(),
        };
        format!("{} sent{acked}", units(self.frames_sent, "frames"))
    }

    /// Not confirmed as read: said instead of "accepted", since the frames may only sit in
    /// socket buffers.
    fn unconfirmed(&self) -> String {
        match self.frames_confirmed {
            Some(c) => format!("; the server confirmed reading only {} of them", count(c)),
            None => "; whether the server read them is not known (no PING may follow them)".to_string(),
        }
    }

    /// The flooded connection's story in one clause.
    pub fn describe(&self, limits: &FloodLimits) -> String {
        let after = self.after();
        let confirmation = self.confirmation.as_deref().unwrap_or_default();
        match &self.stop {
            Stop::Reacted(r) => format!("{r} {after}{}", self.note()),
            Stop::Violation(why) => format!("broke the protocol itself {after}: {why}"),
            Stop::FrameBound if self.all_read() => format!(
                "kept accepting all {} frames ({}) in {}{}{confirmation}",
                count(self.frames_sent),
                units(self.units, self.noun),
                secs(self.elapsed),
                self.tally()
            ),
            Stop::FrameBound => format!(
                "sent all {} frames ({}) in {} with no reaction{}{}{confirmation}",
                count(self.frames_sent),
                units(self.units, self.noun),
                secs(self.elapsed),
                self.unconfirmed(),
                self.tally()
            ),
            Stop::UnitBound => match self.tally.watched_status {
                Some(s) => format!("answered {s} to {}{} in {}", units(self.units, self.noun), self.note(), secs(self.elapsed)),
                None => format!("did not react to {}{} {after}{confirmation}", units(self.units, self.noun), self.note()),
            },
            Stop::TimeBound if self.all_read() => format!(
                "kept accepting {} frames until the {} time bound{}{confirmation}",
                count(self.frames_sent),
                secs(limits.max_duration),
                self.tally()
            ),
            Stop::TimeBound => format!(
                "sent {} frames until the {} time bound with no reaction{}{}{confirmation}",
                count(self.frames_sent),
                secs(limits.max_duration),
                self.unconfirmed(),
                self.tally()
            ),
            // The elapsed time there is mostly our own wait, so it is left out.
            Stop::NotReading { waited_ms } => format!(
                "the server stopped reading {} ({}; a write stalled for {waited_ms} ms), without GOAWAY or close",
                self.read_octets(),
                self.written()
            ),
            Stop::NoFenceAck { waited_ms } => format!(
                "the server stopped reading or answering {} ({}; no PING ACK within {waited_ms} ms), without GOAWAY or close",
                self.read_octets(),
                self.written()
            ),
            Stop::StreamsStayedOpen { open } => format!(
                "left {open} of our streams open {after}: the frame did not make it reset them, so the flood could not go on \
                 within SETTINGS_MAX_CONCURRENT_STREAMS{}",
                self.tally()
            ),
        }
    }
}

impl Probe {
    fn describe(&self) -> String {
        match self {
            Probe::Answered { status, us } => format!("answered {status} in {}", millis(*us)),
            Probe::Failed(why) => format!("failed: {why}"),
            Probe::NotRun(why) => format!("not run ({why})"),
        }
    }

    /// `None` when the probe shows the server serving; else why not. A 5xx counts as a
    /// failure only when the baseline was not one already.
    fn problem(&self, before: &Probe) -> Option<String> {
        match (self, before) {
            (Probe::Failed(why), _) => Some(why.clone()),
            (Probe::Answered { status, .. }, Probe::Answered { status: b, .. }) if *status >= 500 && *b < 500 => {
                Some(format!("answered {status} (before the flood: {b})"))
            }
            _ => None,
        }
    }
}

impl Probes {
    fn describe(&self) -> String {
        let mut s = format!("a fresh connection's GET {}", self.after.describe());
        if let Probe::Answered { .. } = self.during {
            s.push_str(&format!(" (during the flood: {})", self.during.describe()));
        }
        if let Probe::Answered { us, .. } = self.before {
            s.push_str(&format!("; before the flood {}", millis(us)));
        }
        s
    }
}

/// What a resilience case expects, in words (for `expected` in failures).
pub const EXPECTED: &str = "a limit on the flood (GOAWAY with any code, a close, or RST_STREAM/4xx on the flooded stream), \
     or continued service: a fresh connection's GET answered during and after the flood (RFC 9113 §10.5)";

/// What `--strict` demands.
pub const STRICT_EXPECTED: &str = "a limit: GOAWAY (ENHANCE_YOUR_CALM or another code), a close, or RST_STREAM/4xx \
     on the flooded stream before our bound (RFC 9113 §10.5: \"Implementations SHOULD track the use of these features and set limits\")";

/// The verdict of a resilience case.
pub fn verdict(outcome: &FloodOutcome, probes: &Probes, limits: &FloodLimits, strict: bool) -> Verdict {
    if let Probe::Failed(why) = &probes.before {
        return Verdict::Error {
            problem: format!("before the flood, a GET on a fresh connection was not answered ({why}); nothing can be judged"),
        };
    }
    let story = outcome.describe(limits);
    let fail = |actual: String| Verdict::Fail { expected: EXPECTED.to_string(), actual, rule: crate::rules::LIMITS.into() };
    if let Some(why) = probes.after.problem(&probes.before) {
        return fail(format!("{story}; then a fresh connection's GET failed: {why}"));
    }
    if let Some(why) = probes.during.problem(&probes.before) {
        return fail(format!("{story}; while the flood ran, a fresh connection's GET failed: {why}"));
    }
    if let Stop::Violation(_) = outcome.stop {
        return fail(format!("the server {story}"));
    }
    if outcome.frames_sent == 0 {
        // The server answered the set-up frames (the request the flood rides on) before
        // the first flood frame: that says nothing about the flood.
        return Verdict::Skip {
            reason: format!("the server {story}, before the flood began: the set-up request was refused, so the flood could not run"),
        };
    }
    let observed = format!("{story}; {}", probes.describe());
    if outcome.stop.reacted() {
        return Verdict::Pass { observed, rule: crate::rules::LIMITS.into() };
    }
    if strict {
        Verdict::Fail { expected: STRICT_EXPECTED.to_string(), actual: format!("no limit seen: {observed}"), rule: crate::rules::LIMITS.into() }
    } else {
        Verdict::Lenient {
            observed: format!("no limit seen: {observed}"),
            strict_expected: STRICT_EXPECTED.to_string(),
            rule: crate::rules::LIMITS.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frames;

    fn outcome(stop: Stop, sent: u64, confirmed: Option<u64>) -> FloodOutcome {
        FloodOutcome {
            stop,
            frames_sent: sent,
            frames_confirmed: confirmed,
            octets_sent: sent * 17,
            octets_confirmed: confirmed.map(|c| c * 17),
            confirmation: None,
            units: sent / 2,
            elapsed: Duration::from_millis(80),
            tally: Tally::default(),
            noun: "streams",
            note: None,
        }
    }

    fn ok(ms: u64) -> Probe {
        Probe::Answered { status: 200, us: ms * 1000 }
    }

    fn probes(after: Probe) -> Probes {
        Probes { before: ok(1), during: ok(3), after }
    }

    fn eyc() -> Stop {
        Stop::Reacted(Reaction::GoAway {
            code: ErrorCode::ENHANCE_YOUR_CALM,
            last_stream: StreamId(1203),
            debug: "too_many_resets".into(),
            closed: true,
        })
    }

    #[test]
    fn reaction_passes_and_says_when() {
        let v = verdict(&outcome(eyc(), 1204, Some(1204)), &probes(ok(2)), &FloodLimits::default(), true);
        match v {
            Verdict::Pass { observed, .. } => {
                assert!(observed.starts_with("GOAWAY(ENHANCE_YOUR_CALM, \"too_many_resets\", last stream 1203) + close after 1 204 frames (602 streams) in 80 ms"), "{observed}");
                assert!(observed.contains("GET answered 200 in 2.0 ms (during the flood: answered 200 in 3.0 ms)"), "{observed}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fenced_counts_are_a_range() {
        let o = outcome(Stop::Reacted(Reaction::Closed { reset: false }), 1280, Some(1153));
        let unfenced = outcome(Stop::Reacted(Reaction::Closed { reset: false }), 9, None);
        assert!(unfenced.describe(&FloodLimits::default()).contains("after at most 9 frames (4 streams) in 80 ms"), "{}", unfenced.describe(&FloodLimits::default()));
        assert!(o.describe(&FloodLimits::default()).contains("after 1 153–1 280 frames in"), "{}", o.describe(&FloodLimits::default()));
    }

    #[test]
    fn no_limit_is_lenient_and_fails_under_strict() {
        let o = outcome(Stop::FrameBound, 10_000, Some(10_000));
        let v = verdict(&o, &probes(ok(2)), &FloodLimits::default(), false);
        match &v {
            Verdict::Lenient { observed, .. } => {
                assert!(observed.contains("no limit seen: kept accepting all 10 000 frames (5 000 streams) in 80 ms"), "{observed}")
            }
            other => panic!("{other:?}"),
        }
        assert!(verdict(&o, &probes(ok(2)), &FloodLimits::default(), true).is_fail());
        for stop in [Stop::TimeBound, Stop::NotReading { waited_ms: 2000 }, Stop::NoFenceAck { waited_ms: 2000 }, Stop::UnitBound, Stop::StreamsStayedOpen { open: 100 }] {
            assert_eq!(verdict(&outcome(stop.clone(), 10, None), &probes(ok(2)), &FloodLimits::default(), false).label(), "lenient", "{stop:?}");
        }
    }

    #[test]
    fn a_server_that_stops_reading_is_reported_so_never_as_accepting() {
        let mut o = outcome(Stop::NotReading { waited_ms: 2000 }, 1280, Some(1024));
        o.octets_sent = 2_000_000;
        o.octets_confirmed = Some(17_408);
        let text = o.describe(&FloodLimits::default());
        assert_eq!(
            text,
            "the server stopped reading after 17 408 of the 2 000 000 octets we wrote during the flood (1 280 frames sent, \
             1 024 of them acknowledged; a write stalled for 2000 ms), without GOAWAY or close"
        );
        // Written to the socket but never confirmed: not "accepting".
        let mut o = outcome(Stop::FrameBound, 10_000, None);
        o.units = 10_000;
        let text = o.describe(&FloodLimits::default());
        assert!(text.starts_with("sent all 10 000 frames (10 000 streams) in 80 ms with no reaction; whether the server read them is not known"), "{text}");
        let o = outcome(Stop::FrameBound, 10_000, Some(9_000));
        assert!(o.describe(&FloodLimits::default()).contains("the server confirmed reading only 9 000 of them"));
        let o = outcome(Stop::NoFenceAck { waited_ms: 800 }, 24, None);
        assert!(o.describe(&FloodLimits::default()).starts_with("the server stopped reading or answering after at most the 408 octets we wrote"));
    }

    #[test]
    fn a_failed_probe_fails_whatever_the_connection_showed() {
        for stop in [eyc(), Stop::FrameBound] {
            let v = verdict(&outcome(stop, 100, None), &probes(Probe::Failed("connection refused".into())), &FloodLimits::default(), false);
            match v {
                Verdict::Fail { actual, .. } => assert!(actual.contains("then a fresh connection's GET failed: connection refused"), "{actual}"),
                other => panic!("{other:?}"),
            }
        }
        let during = Probes { before: ok(1), during: Probe::Failed("no response within 2000 ms".into()), after: ok(5) };
        assert!(verdict(&outcome(Stop::FrameBound, 100, None), &during, &FloodLimits::default(), false).is_fail());
        let overloaded = Probes { before: ok(1), during: Probe::NotRun("x"), after: Probe::Answered { status: 503, us: 4000 } };
        assert!(verdict(&outcome(eyc(), 100, None), &overloaded, &FloodLimits::default(), false).is_fail());
    }

    #[test]
    fn a_failed_baseline_is_an_error_not_a_failure() {
        let p = Probes { before: Probe::Failed("refused".into()), during: Probe::NotRun("x"), after: Probe::Failed("refused".into()) };
        assert_eq!(verdict(&outcome(Stop::FrameBound, 1, None), &p, &FloodLimits::default(), false).label(), "error");
    }

    #[test]
    fn a_reaction_to_the_set_up_is_a_skip() {
        let o = outcome(Stop::Reacted(Reaction::Refused { stream: StreamId(1), status: 411 }), 0, Some(0));
        match verdict(&o, &probes(ok(1)), &FloodLimits::default(), true) {
            Verdict::Skip { reason } => assert!(reason.contains("answered 411 on stream 1"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_server_violation_fails() {
        let v = verdict(&outcome(Stop::Violation("bad frame".into()), 10, None), &probes(ok(1)), &FloodLimits::default(), false);
        assert!(v.is_fail(), "{v:?}");
    }

    #[test]
    fn watcher_classifies_events() {
        let mut w = Watcher::new(Some(StreamId(3)));
        w.opened(StreamId(5));
        assert_eq!(w.observe(&Event::Frame(frames::rst_stream(1, ErrorCode::PROTOCOL_ERROR))), None);
        assert_eq!(w.observe(&Event::Frame(frames::rst_stream(5, ErrorCode::PROTOCOL_ERROR))), None);
        assert_eq!(w.open_streams(), 0);
        assert_eq!(w.tally.resets.get(&ErrorCode::PROTOCOL_ERROR), Some(&2));
        assert!(matches!(
            w.observe(&Event::Frame(frames::rst_stream(7, ErrorCode::ENHANCE_YOUR_CALM))),
            Some(Stop::Reacted(Reaction::Reset { code: ErrorCode::ENHANCE_YOUR_CALM, .. }))
        ));
        let resp = |stream, status, end_stream| Event::Response { stream: StreamId(stream), status: Some(status), end_stream, fields: vec![] };
        assert_eq!(w.observe(&resp(1, 500, true)), None, "only the watched stream's answer counts");
        assert!(matches!(w.observe(&resp(3, 431, true)), Some(Stop::Reacted(Reaction::Refused { status: 431, .. }))));

        let mut w = Watcher::new(Some(StreamId(3)));
        assert_eq!(w.observe(&resp(3, 200, true)), None);
        assert_eq!(w.tally.watched_status, Some(200));
        assert_eq!(w.observe(&Event::Frame(frames::rst_stream(3, ErrorCode::NO_ERROR))), None, "§8.1 abort after a complete answer");
        assert!(matches!(w.observe(&Event::Frame(frames::goaway(3, ErrorCode::NO_ERROR).build())), Some(Stop::Reacted(Reaction::GoAway { .. }))));
        assert!(matches!(w.observe(&Event::Closed { reset: true }), Some(Stop::Reacted(Reaction::Closed { reset: true }))));
        assert!(matches!(w.observe(&Event::ServerViolation("x".into())), Some(Stop::Violation(_))));
    }

    #[test]
    fn reaction_before_the_first_fence_is_an_upper_bound() {
        let mut o = outcome(Stop::Reacted(Reaction::Reset { stream: StreamId(3), code: ErrorCode::REFUSED_STREAM }), 2, Some(0));
        o.units = 1;
        o.noun = "bomb requests";
        assert!(o.describe(&FloodLimits::default()).contains("after at most 2 frames (1 bomb request) in"), "{}", o.describe(&FloodLimits::default()));
        assert_eq!(millis(420), "0.4 ms");
        assert_eq!(millis(12_345), "12 ms");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1204), "1 204");
        assert_eq!(count(10_000_000), "10 000 000");
    }
}
