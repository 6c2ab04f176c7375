//! Canary requests: a GET on a fresh connection, one after another, before, during and after
//! an attack, on a thread and runtime of their own so that the attack's busy writer never
//! delays them and a latency is the server's, not ours.

use crate::case::Ctx;
use crate::resilience::Probe;
use crate::safety::FloodPermit;
use crate::transport::Connector;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A canary starts at most this often: enough for a median and a p99 over a phase of a
/// second, few enough that the canary is no load of its own.
pub const CANARY_EVERY: Duration = Duration::from_millis(25);
/// Canaries kept per run (ten minutes at [`CANARY_EVERY`]); later ones are dropped.
pub const MAX_CANARIES: usize = 24_000;

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
pub struct Canaries {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<Canary>>>,
}

impl Canaries {
    /// Starts the loop; each canary waits at most `timeout`.
    pub fn start(permit: FloodPermit, connector: Connector, ctx: Ctx, timeout: Duration, origin: Instant) -> Canaries {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("h2probe-canary".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return Vec::new() };
                rt.block_on(async move {
                    let mut out = Vec::new();
                    while !flag.load(Ordering::Relaxed) && out.len() < MAX_CANARIES {
                        let started = Instant::now();
                        let t_ms = origin.elapsed().as_millis() as u32;
                        let us = match crate::flood::probe(&permit, &connector, &ctx, timeout).await {
                            Probe::Answered { status, us } if status < 500 => Some(us),
                            _ => None,
                        };
                        out.push(Canary { t_ms, us });
                        if let Some(rest) = CANARY_EVERY.checked_sub(started.elapsed()) {
                            tokio::time::sleep(rest).await;
                        }
                    }
                    out
                })
            })
            .ok();
        Canaries { stop, thread }
    }

    /// Stops the loop after the canary in flight and returns them all.
    pub fn stop(mut self) -> Vec<Canary> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

impl Drop for Canaries {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
