//! The flood driver: sends a [`Flood`] in bounded batches on the case's connection while
//! reading everything the server sends, probes the server on fresh connections before,
//! during and after, and hands the outcome to [`resilience::verdict`].
//!
//! Memory stays bounded on our side whatever the server does: a batch is at most
//! [`MAX_BATCH`] frames, events are classified one at a time and only counted, the
//! transcript keeps its head and tail, and with PING fences at most two batches are
//! in flight. Time is bounded by `--max-seconds` for sending, plus the per-wait timeout for
//! each fence and probe, and the whole case by [`deadline`]: every read checks its deadline
//! before each frame, and polling between batches takes at most [`MAX_POLL_EVENTS`], so a
//! server that never stops sending cannot hold the driver.
//!
//! What the verdict counts as read is what the server acknowledged (a fence's PING ACK) or
//! answered, never what left our socket: a server that stops reading leaves our frames in
//! socket buffers, and is reported as having stopped reading, after how many octets.

use crate::case::{Ctx, Script, Step};
use crate::conn::{Conn, ConnOptions, Written};
use crate::event::Event;
use crate::expectation::Expectation;
use crate::model::Verdict;
use crate::resilience::{self, count, Flood, FloodLimits, FloodOutcome, Probe, Probes, Reaction, Stop, Watcher};
use crate::runner::{fence_grace, RunOptions};
use crate::safety::FloodPermit;
use crate::transport::Connector;
use h2probe_codec::frame::Frame;
use crate::conn::Outgoing;
use h2probe_codec::{frames, ErrorCode, StreamId};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// Frames per write at full speed. Large enough that a server sees many frames per read
/// (as from an attacker at line rate), small enough that a reaction is located within a
/// few hundred frames.
pub const MAX_BATCH: u64 = 256;
/// Fenced batches in flight: the next one is written while the previous is being read.
const IN_FLIGHT: usize = 2;
/// Unfenced floods (no PING allowed) send their first frames one at a time with a short
/// look for a reaction, so a server that stops after a handful (nghttp2 allows 8
/// CONTINUATIONs) is located exactly.
const SLOW_START_FRAMES: u64 = 32;
const SLOW_START_LOOK: Duration = Duration::from_millis(2);
/// Streams left open at once when the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS
/// (RFC 9113 §5.1.2 recommends allowing at least 100).
const DEFAULT_STREAM_CAP: u32 = 100;
/// How long to wait for the close that usually follows a GOAWAY.
const CLOSE_AFTER_GOAWAY: Duration = Duration::from_millis(500);
/// Opaque-data prefixes of our PINGs: fences, and the PING flood's own.
const FENCE_TAG: [u8; 4] = *b"h2pf";
/// Events taken in one poll between batches. A batch of [`MAX_BATCH`] frames draws at most
/// two events per frame from a conforming server (a response is a frame and its field
/// block); what is left waits for the next read, so a server that sends without pause
/// cannot keep the driver from its bounds.
pub const MAX_POLL_EVENTS: usize = 4 * MAX_BATCH as usize;

/// The longest a flood case takes, from connecting to its verdict, at the per-wait
/// `timeout` and the flood's `limits`: its connection and handshake (2 waits), the probe
/// before (a connection, and the handshake and GET within one wait: 2), the set-up frames and
/// their fence (2), the sending phase (`max_duration`) and the last round of it (a batch
/// write, a fence write and its wait: 3), the settling (a write and a wait: 2, and the grace
/// period), the close after a GOAWAY, and the probe after (2). The probe during the flood
/// runs beside it. The flooded connection is cut at this instant whatever happens.
pub fn deadline(timeout: Duration, limits: &FloodLimits) -> Duration {
    timeout * 13 + limits.max_duration + fence_grace(timeout) + CLOSE_AFTER_GOAWAY
}

/// Runs a resilience case on its connection: probe, set-up frames, flood, probe.
pub(crate) async fn execute(
    conn: &mut Conn,
    script: Script,
    ctx: &Ctx,
    opts: &RunOptions,
    connector: &Connector,
    permit: &FloodPermit,
) -> Verdict {
    let Expectation::Resilience { watch } = script.expect else {
        return Verdict::Error { problem: "internal: a flood step without a resilience expectation".into() };
    };
    let before = probe(permit, connector, ctx, opts.timeout).await;
    conn.transcript.note(format!("probe before the flood: {}", describe_probe(&before)));
    if let Probe::Failed(why) = &before {
        // Flooding a server that does not answer a plain GET would judge nothing.
        return Verdict::Error {
            problem: format!("before the flood, a GET on a fresh connection was not answered ({why}); nothing can be judged"),
        };
    }
    let mut result: Option<(FloodOutcome, Probe)> = None;
    for step in script.steps {
        match step {
            Step::Send(outs) => conn.send_all(&outs, Instant::now() + opts.timeout).await,
            Step::Flood(flood) if result.is_none() => {
                let (tx, rx) = oneshot::channel::<()>();
                let during = async {
                    match rx.await {
                        Ok(()) => probe(permit, connector, ctx, opts.timeout).await,
                        Err(_) => Probe::NotRun("the flood stopped before its midpoint"),
                    }
                };
                let (outcome, during) = tokio::join!(drive(conn, &flood, watch, ctx, opts, tx), during);
                conn.transcript.note(format!("probe during the flood: {}", describe_probe(&during)));
                result = Some((outcome, during));
            }
            _ => return Verdict::Error { problem: "internal: a resilience script has Send steps and one Flood step only".into() },
        }
    }
    let Some((outcome, during)) = result else {
        return Verdict::Error { problem: "internal: a resilience case without a Flood step".into() };
    };
    let after = probe(permit, connector, ctx, opts.timeout).await;
    conn.transcript.note(format!("probe after the flood: {}", describe_probe(&after)));
    resilience::verdict(&outcome, &Probes { before, during, after }, &opts.limits, opts.strict)
}

fn describe_probe(p: &Probe) -> String {
    match p {
        Probe::Answered { status, us } => format!("GET on a fresh connection answered {status} in {}", resilience::millis(*us)),
        Probe::Failed(why) => format!("GET on a fresh connection failed: {why}"),
        Probe::NotRun(why) => format!("not run ({why})"),
    }
}

/// A GET on a fresh connection: the side channel that tells a server coping with a flood
/// from one that stopped serving.
pub async fn probe(permit: &FloodPermit, connector: &Connector, ctx: &Ctx, timeout: Duration) -> Probe {
    let start = Instant::now();
    let deadline = start + timeout;
    let io = match permit.connect(connector, timeout).await {
        Ok(io) => io,
        Err(e) => return Probe::Failed(e.to_string()),
    };
    let mut conn = Conn::new(io, ConnOptions::default());
    if let Err(e) = conn.handshake(deadline).await {
        return Probe::Failed(e.to_string());
    }
    conn.send(&ctx.get(1).build().into(), deadline).await;
    loop {
        match conn.next_event(deadline).await {
            None => return Probe::Failed(format!("no response within {} ms", timeout.as_millis())),
            Some(Event::Response { stream: StreamId(1), status: Some(status), .. }) => {
                return Probe::Answered { status, us: start.elapsed().as_micros() as u64 }
            }
            Some(Event::Frame(Frame::RstStream(r))) if r.stream_id == StreamId(1) => {
                return Probe::Failed(format!("RST_STREAM({}) instead of a response", r.code))
            }
            Some(Event::Frame(Frame::GoAway(g))) if g.code != ErrorCode::NO_ERROR => {
                return Probe::Failed(format!("GOAWAY({}) instead of a response", g.code))
            }
            Some(ev @ (Event::Closed { .. } | Event::ServerViolation(_))) => return Probe::Failed(ev.to_string()),
            Some(_) => {}
        }
    }
}

/// The state of one flood on its connection.
struct Driver<'a> {
    conn: &'a mut Conn,
    watcher: Watcher,
    timeout: Duration,
    started: Instant,
    /// Flood frames written.
    sent: u64,
    /// Units written.
    units: u64,
    /// Frames covered by the last acknowledged fence (or by the answer to an unfenced
    /// flood's end, see [`Driver::confirm_unfenced`]).
    confirmed: u64,
    /// Octets written on the connection before the flood's first frame.
    base_octets: u64,
    /// Octets written (since the connection opened) before the last acknowledged fence.
    confirmed_octets: u64,
    /// An unfenced flood's end was answered: `confirmed` holds.
    unfenced_confirmed: bool,
    /// What the server answered to the end of an unfenced flood.
    confirmation: Option<String>,
    /// Fences written and not yet acknowledged: (number, flood frames written before it,
    /// octets written on the connection before it).
    fences: VecDeque<(u32, u64, u64)>,
    next_fence: u32,
}

impl Driver<'_> {
    /// Feeds one event: a fence ACK moves the confirmed count, anything else goes to the
    /// watcher.
    fn handle(&mut self, ev: &Event) -> Option<Stop> {
        self.fence_ack(ev);
        self.watcher.observe(ev)
    }

    /// A fence's ACK moves the confirmed counts. An ACK of a fence not yet sent confirms
    /// nothing.
    fn fence_ack(&mut self, ev: &Event) -> bool {
        let Event::Frame(Frame::Ping(p)) = ev else { return false };
        if !p.ack || p.payload[..4] != FENCE_TAG[..] {
            return false;
        }
        let n = u32::from_be_bytes([p.payload[4], p.payload[5], p.payload[6], p.payload[7]]);
        if n > self.next_fence {
            return false;
        }
        while let Some(&(k, through, octets)) = self.fences.front() {
            if k > n {
                break;
            }
            self.confirmed = self.confirmed.max(through);
            self.confirmed_octets = self.confirmed_octets.max(octets);
            self.fences.pop_front();
        }
        true
    }

    /// Reads what has already arrived, without waiting, and at most [`MAX_POLL_EVENTS`].
    async fn poll_ready(&mut self) -> Option<Stop> {
        for _ in 0..MAX_POLL_EVENTS {
            let ev = self.conn.poll_event().await?;
            if let Some(stop) = self.handle(&ev) {
                return Some(stop);
            }
        }
        None
    }

    /// A write stalled: the server stopped reading. Fences it read before still arrive, and
    /// so may a reaction it had already sent; then the flood is over.
    async fn not_reading(&mut self) -> Stop {
        if let Some(stop) = self.read_for(Instant::now() + fence_grace(self.timeout)).await {
            return stop;
        }
        Stop::NotReading { waited_ms: self.timeout.as_millis() as u64 }
    }

    /// Reads until `until`.
    async fn read_for(&mut self, until: Instant) -> Option<Stop> {
        while let Some(ev) = self.conn.next_event(until).await {
            if let Some(stop) = self.handle(&ev) {
                return Some(stop);
            }
        }
        None
    }

    async fn send_fence(&mut self) -> Written {
        self.next_fence += 1;
        let mut payload = [0u8; 8];
        payload[..4].copy_from_slice(&FENCE_TAG);
        payload[4..].copy_from_slice(&self.next_fence.to_be_bytes());
        self.fences.push_back((self.next_fence, self.sent, self.conn.octets_written()));
        let label = format!("PING fence {} (after {} flood frames; its ACK shows the server read them)", self.next_fence, count(self.sent));
        self.conn.send_quiet(&[frames::ping(payload).build().into()], label, Instant::now() + self.timeout).await
    }

    /// An unfenced flood runs inside a field block, where no PING may go. Once it is over
    /// the block is ended (an empty CONTINUATION with END_HEADERS on its stream) and a fence
    /// follows: the fence's ACK, or any answer on that stream or a GOAWAY, shows the server
    /// read the whole flood. What the server answers to the completed block is its answer to
    /// the request, not a reaction to the flood, so it only confirms. No answer within the
    /// timeout: the server stopped reading (or answering). `None` when the count stands
    /// (confirmed, or no way to confirm: the flood's last frame opens no field block).
    async fn confirm_unfenced(&mut self, flood: &Flood) -> Option<Stop> {
        let last = (self.units > 0).then(|| (flood.units)(self.units - 1))?;
        let stream = match last.frames.last()? {
            Outgoing::Frame(Frame::Continuation(c)) if !c.end_headers => c.stream_id,
            Outgoing::Frame(Frame::Headers(h)) if !h.end_headers => h.stream_id,
            _ => return None,
        };
        let end = frames::continuation(stream.0, Vec::new()).end_headers().build();
        let label = format!("CONTINUATION END_HEADERS on stream {stream} (ends the field block, so a PING may follow)");
        match self.conn.send_quiet(&[end.into()], label, Instant::now() + self.timeout).await {
            Written::Done => {}
            Written::TimedOut => return Some(self.not_reading().await),
            Written::Failed => return self.read_for(Instant::now() + self.timeout).await,
        }
        let through = self.sent;
        match self.send_fence().await {
            Written::Done => {}
            Written::TimedOut => return Some(self.not_reading().await),
            Written::Failed => return self.read_for(Instant::now() + self.timeout).await,
        }
        let deadline = Instant::now() + self.timeout;
        while let Some(ev) = self.conn.next_event(deadline).await {
            let answer = match &ev {
                _ if self.fence_ack(&ev) => Some(String::new()),
                Event::Response { stream: s, status, .. } if *s == stream => {
                    Some(format!("; it answered {} once the field block ended", status.map_or("without :status".into(), |s| s.to_string())))
                }
                Event::Frame(f @ (Frame::RstStream(_) | Frame::GoAway(_))) if f.stream_id() == stream || matches!(f, Frame::GoAway(_)) => {
                    Some(format!("; it sent {f} once the field block ended"))
                }
                Event::Closed { .. } | Event::ServerViolation(_) => {
                    self.confirmation = Some(format!("; then, once the field block ended: {ev}"));
                    return None;
                }
                _ => None,
            };
            if let Some(answer) = answer {
                self.unfenced_confirmed = true;
                self.confirmed = through;
                self.confirmed_octets = self.confirmed_octets.max(self.fences.back().map_or(0, |f| f.2));
                if !answer.is_empty() {
                    self.confirmation.get_or_insert(answer);
                }
                if self.fences.is_empty() {
                    return None;
                }
            }
        }
        if self.unfenced_confirmed {
            return None;
        }
        Some(Stop::NoFenceAck { waited_ms: self.timeout.as_millis() as u64 })
    }

    /// Reads until at most `outstanding` fences are unacknowledged.
    async fn await_fences(&mut self, outstanding: usize) -> Option<Stop> {
        let deadline = Instant::now() + self.timeout;
        while self.fences.len() > outstanding {
            match self.conn.next_event(deadline).await {
                Some(ev) => {
                    if let Some(stop) = self.handle(&ev) {
                        return Some(stop);
                    }
                }
                None => return Some(Stop::NoFenceAck { waited_ms: self.timeout.as_millis() as u64 }),
            }
        }
        None
    }

    /// Sends batches until a bound or a reaction.
    async fn flood(&mut self, flood: &Flood, ctx: &Ctx, opts: &RunOptions, mut midpoint: Option<oneshot::Sender<()>>) -> Stop {
        let limits = opts.limits;
        let end_by = self.started + limits.max_duration;
        let max_units = flood.max_units.unwrap_or(u64::MAX);
        let stream_cap = ctx.server.max_concurrent_streams().unwrap_or(DEFAULT_STREAM_CAP) as usize;
        let mut batch: u64 = if flood.fence { 8 } else { 1 };
        loop {
            if let Some(stop) = self.poll_ready().await {
                return stop;
            }
            if self.sent >= limits.max_frames {
                return Stop::FrameBound;
            }
            if self.units >= max_units {
                return Stop::UnitBound;
            }
            if Instant::now() >= end_by {
                return Stop::TimeBound;
            }
            if self.sent * 2 >= limits.max_frames || self.started.elapsed() * 2 >= limits.max_duration {
                if let Some(tx) = midpoint.take() {
                    let _ = tx.send(());
                }
            }
            let (first_unit, mut outs, mut n) = (self.units, Vec::new(), 0u64);
            while n < batch && self.sent + n < limits.max_frames && self.units < max_units {
                let unit = (flood.units)(self.units);
                if let Some(s) = unit.opens {
                    if self.watcher.open_streams() >= stream_cap {
                        break;
                    }
                    self.watcher.opened(s);
                }
                n += unit.frames.len() as u64;
                outs.extend(unit.frames);
                self.units += 1;
            }
            if outs.is_empty() {
                // Every stream we may open is open: let the server catch up, then give up
                // if it still has not closed any.
                if !flood.fence {
                    return Stop::StreamsStayedOpen { open: self.watcher.open_streams() };
                }
                if self.fences.is_empty() && self.send_fence().await == Written::TimedOut {
                    return self.not_reading().await;
                }
                if let Some(stop) = self.await_fences(0).await {
                    return stop;
                }
                let grace = Instant::now() + fence_grace(self.timeout);
                if let Some(stop) = self.read_for(grace).await {
                    return stop;
                }
                if self.watcher.open_streams() >= stream_cap {
                    return Stop::StreamsStayedOpen { open: self.watcher.open_streams() };
                }
                continue;
            }
            let label = match n {
                1 => format!("flood frame {}: {}", count(self.sent + 1), flood.unit_desc),
                _ => format!(
                    "flood frames {}–{}: {} × {}",
                    count(self.sent + 1),
                    count(self.sent + n),
                    count(self.units - first_unit),
                    flood.unit_desc
                ),
            };
            match self.conn.send_quiet(&outs, label, Instant::now() + self.timeout).await {
                Written::Done => {}
                Written::TimedOut => return self.not_reading().await,
                // The server closed the connection under us; the read side says how.
                Written::Failed => {
                    let stop = self.read_for(Instant::now() + self.timeout).await;
                    return stop.unwrap_or(Stop::Reacted(Reaction::Closed { reset: true }));
                }
            }
            self.sent += n;
            if flood.fence {
                if self.send_fence().await == Written::TimedOut {
                    return self.not_reading().await;
                }
                if let Some(stop) = self.await_fences(IN_FLIGHT - 1).await {
                    return stop;
                }
            } else if self.sent <= SLOW_START_FRAMES {
                if let Some(stop) = self.read_for(Instant::now() + SLOW_START_LOOK).await {
                    return stop;
                }
                continue;
            }
            batch = (batch * 2).min(MAX_BATCH);
        }
    }

    /// After the last batch: a late reaction still counts, so read until the server has
    /// provably read everything (fences), or a short while and then end the field block to
    /// confirm it (no fences).
    async fn settle(&mut self, flood: &Flood) -> Option<Stop> {
        if self.conn.is_closed() {
            return None;
        }
        if flood.fence {
            if self.fences.is_empty() && self.send_fence().await == Written::TimedOut {
                return Some(self.not_reading().await);
            }
            if let Some(stop) = self.await_fences(0).await {
                return Some(stop);
            }
            self.read_for(Instant::now() + fence_grace(self.timeout)).await
        } else {
            if let Some(stop) = self.read_for(Instant::now() + self.timeout.min(Duration::from_secs(1))).await {
                return Some(stop);
            }
            self.confirm_unfenced(flood).await
        }
    }
}

async fn drive(
    conn: &mut Conn,
    flood: &Flood,
    watch: Option<StreamId>,
    ctx: &Ctx,
    opts: &RunOptions,
    midpoint: oneshot::Sender<()>,
) -> FloodOutcome {
    let limits = opts.limits;
    conn.transcript.note(format!(
        "flood: {} (at most {} frames, {} s)",
        flood.unit_desc,
        count(limits.max_frames),
        limits.max_duration.as_secs_f64()
    ));
    let mut d = Driver {
        conn,
        watcher: Watcher::new(watch),
        timeout: opts.timeout,
        started: Instant::now(),
        sent: 0,
        units: 0,
        confirmed: 0,
        base_octets: 0,
        confirmed_octets: 0,
        unfenced_confirmed: false,
        confirmation: None,
        fences: VecDeque::new(),
        next_fence: 0,
    };
    // Let the server answer the set-up frames first, so an answer to them (a 411 for the
    // request the flood rides on) is not taken for a reaction to the flood.
    let setup = if flood.fence {
        match d.send_fence().await {
            Written::TimedOut => Some(d.not_reading().await),
            _ => d.await_fences(0).await,
        }
    } else {
        None
    };
    d.started = Instant::now();
    d.base_octets = d.conn.octets_written();
    d.confirmed_octets = d.base_octets;
    let mut stop = match setup {
        Some(stop) => stop,
        None => d.flood(flood, ctx, opts, Some(midpoint)).await,
    };
    let mut elapsed = d.started.elapsed();
    if matches!(stop, Stop::FrameBound | Stop::UnitBound | Stop::TimeBound) {
        d.conn.transcript.note(format!("flood bound reached after {} frames; waiting for a late reaction", count(d.sent)));
        if let Some(late) = d.settle(flood).await {
            stop = late;
            if stop.reacted() {
                elapsed = d.started.elapsed();
            }
        }
    }
    if let Stop::Reacted(Reaction::GoAway { closed, .. }) = &mut stop {
        let until = Instant::now() + CLOSE_AFTER_GOAWAY;
        while let Some(ev) = d.conn.next_event(until).await {
            if let Event::Closed { .. } = ev {
                *closed = true;
                break;
            }
        }
    }
    d.conn.transcript.note(format!("flood stopped: {stop:?}"));
    let confirmed = flood.fence || d.unfenced_confirmed;
    FloodOutcome {
        stop,
        frames_sent: d.sent,
        frames_confirmed: confirmed.then_some(d.confirmed),
        octets_sent: d.conn.octets_written().saturating_sub(d.base_octets),
        octets_confirmed: confirmed.then_some(d.confirmed_octets.saturating_sub(d.base_octets)),
        confirmation: d.confirmation.take(),
        units: d.units,
        elapsed,
        tally: d.watcher.tally.clone(),
        noun: flood.noun,
        note: flood.note.clone(),
    }
}
