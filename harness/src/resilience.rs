//! Resilience (RFC 9113 §10.5): the words and bounds the attack classes share — the run's
//! [`FloodLimits`], the server's [`Reaction`], a fresh connection's [`Probe`] — and how
//! counts and latencies read in verdicts. The attacks themselves are [`crate::attack`], their
//! harm and verdict [`crate::harm`].

use core::fmt;
use h2probe_codec::{ErrorCode, StreamId};
use std::time::Duration;

/// How far a flood may go. Every flood stops by itself at the first bound it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloodLimits {
    /// Frames of the attack itself (set-up frames not counted).
    pub max_frames: u64,
    /// Wall time of the sending phase.
    pub max_duration: Duration,
    /// `--attack-size`: N of every attack in place of its own (the 4N run follows).
    pub attack_size: Option<u64>,
}

impl Default for FloodLimits {
    fn default() -> Self {
        FloodLimits { max_frames: 1_000_000, max_duration: Duration::from_secs(5), attack_size: None }
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
}

/// GOAWAY debug data as text, when it is short printable ASCII.
pub fn printable(b: &[u8]) -> String {
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

/// `0.4 ms`, `12 ms`: loopback latencies are often below a millisecond.
pub fn millis(us: u64) -> String {
    if us < 10_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else {
        format!("{} ms", count(us / 1000))
    }
}

/// What a resilience case expects, in words (for `expected` in failures).
pub const EXPECTED: &str = "a limit on the flood (GOAWAY with any code, a close, or RST_STREAM/4xx on the flooded stream), \
     or continued service: a fresh connection's GET answered during and after the flood (RFC 9113 §10.5)";

/// What `--strict` demands.
pub const STRICT_EXPECTED: &str = "a limit: GOAWAY (ENHANCE_YOUR_CALM or another code), a close, or RST_STREAM/4xx \
     on the flooded stream before our bound (RFC 9113 §10.5: \"Implementations SHOULD track the use of these features and set limits\")";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1204), "1 204");
        assert_eq!(count(10_000_000), "10 000 000");
    }
}
