//! A measuring loop on a thread of its own (the process sampler, the canaries): started with
//! the attack, stopped after it, so a busy attacker never delays a measurement and the
//! figures are the server's, not ours.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The loop's thread and its stop flag; what the loop collected comes back at [`stop`].
/// Dropped without `stop`, the flag is still set, so the thread ends by itself.
///
/// [`stop`]: Background::stop
pub struct Background<T> {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<T>>>,
}

impl<T: Send + 'static> Background<T> {
    /// Runs `body` on a thread named `name`; `body` returns once the flag it is given is set.
    /// A thread that cannot be started collects nothing.
    pub fn spawn(name: &str, body: impl FnOnce(Arc<AtomicBool>) -> Vec<T> + Send + 'static) -> Background<T> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || body(flag)).ok();
        Background { stop, thread }
    }

    /// Sets the flag, waits for the loop to end and returns what it collected.
    pub fn stop(mut self) -> Vec<T> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
