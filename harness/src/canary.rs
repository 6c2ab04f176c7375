//! Canary requests: a GET on a fresh connection before, during and after an attack, on a
//! thread and runtime of their own so that the attack's busy writer never delays them and a
//! latency is the server's, not ours.
//!
//! Open loop: a canary starts every [`CANARY_EVERY`] whether or not the ones before it were
//! answered. One after another, a server that stalls for half a second gave a single slow
//! canary for the whole attack — too few to judge, so the same stall read as harm in one run
//! and as nothing in the next — and hid the stall from the users who would have arrived
//! meanwhile. Started on the clock, every one of them waits out the stall and says so.

use crate::case::Ctx;
use crate::conn::{Conn, ConnOptions};
use crate::event::Event;
use crate::resilience::Probe;
use crate::safety::FloodPermit;
use crate::transport::Connector;
use h2probe_codec::frame::Frame;
use h2probe_codec::{ErrorCode, StreamId};
use crate::background::Background;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A canary starts at most this often: enough for a median and a p99 over a phase of a
/// second, few enough that the canary is no load of its own.
pub const CANARY_EVERY: Duration = Duration::from_millis(25);
/// Canaries kept per run (ten minutes at [`CANARY_EVERY`]); later ones are dropped.
pub const MAX_CANARIES: usize = 24_000;
/// Canaries waiting at once, at most: a hung server holds each for its whole timeout, and
/// 128 covers a 3 s wait at [`CANARY_EVERY`]; beyond, a tick starts none (the ones in flight
/// already record the stall).
pub const MAX_IN_FLIGHT: usize = 128;

/// One canary: when it started (ms since the origin) and its latency in µs, `None` when it
/// was not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canary {
    /// ms since the origin, at its start.
    pub t_ms: u32,
    /// µs from connect to the response's HEADERS; `None`: refused, reset, timed out.
    pub us: Option<u64>,
}

/// The canary loop, running until stopped.
pub type Canaries = Background<Canary>;

impl Background<Canary> {
    /// Starts the loop; each canary waits at most `timeout`. [`Background::stop`] waits for
    /// the canaries in flight and returns them all, in start order.
    pub fn start(permit: FloodPermit, connector: Connector, ctx: Ctx, timeout: Duration, origin: Instant) -> Canaries {
        Background::spawn("h2probe-canary", move |flag| {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return Vec::new() };
            rt.block_on(async move {
                let (permit, connector, ctx) = (Arc::new(permit), Arc::new(connector), Arc::new(ctx));
                let slots = Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT));
                let mut tasks = tokio::task::JoinSet::new();
                let mut tick = tokio::time::interval(CANARY_EVERY);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                let mut started = 0;
                while !flag.load(Ordering::Relaxed) && started < MAX_CANARIES {
                    tick.tick().await;
                    let Ok(slot) = slots.clone().try_acquire_owned() else { continue };
                    let (permit, connector, ctx) = (permit.clone(), connector.clone(), ctx.clone());
                    let t_ms = origin.elapsed().as_millis() as u32;
                    started += 1;
                    tasks.spawn(async move {
                        let us = match probe(&permit, &connector, &ctx, timeout).await {
                            Probe::Answered { status, us } if status < 500 => Some(us),
                            _ => None,
                        };
                        drop(slot);
                        Canary { t_ms, us }
                    });
                }
                // Those in flight belong to the phase they started in; each is bounded by
                // its timeout.
                let mut out = Vec::with_capacity(started);
                while let Some(done) = tasks.join_next().await {
                    if let Ok(c) = done {
                        out.push(c);
                    }
                }
                out.sort_by_key(|c| c.t_ms);
                out
            })
        })
    }
}

/// A GET on a fresh connection: the side channel that tells a server coping with a flood
/// from one that stopped serving.
pub async fn probe(permit: &FloodPermit, connector: &Connector, ctx: &Ctx, timeout: Duration) -> Probe {
    let start = tokio::time::Instant::now();
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
