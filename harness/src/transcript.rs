//! The frame transcript of one case: what was sent and received, in order, bounded.

use crate::model::{Direction, TranscriptLine};
use std::time::Instant;

/// Lines kept per case; a flood would otherwise grow the report without bound.
pub const DEFAULT_LIMIT: usize = 400;

/// Collects transcript lines, keeping the first `limit` and counting the rest.
#[derive(Debug)]
pub struct Transcript {
    start: Instant,
    lines: Vec<TranscriptLine>,
    limit: usize,
    dropped: usize,
}

impl Transcript {
    /// An empty transcript whose clock starts now.
    pub fn new(limit: usize) -> Transcript {
        Transcript { start: Instant::now(), lines: Vec::new(), limit, dropped: 0 }
    }

    /// Appends a line (or counts it, past the limit).
    pub fn push(&mut self, dir: Direction, text: impl Into<String>) {
        if self.lines.len() < self.limit {
            let at_ms = self.start.elapsed().as_millis() as u64;
            self.lines.push(TranscriptLine { at_ms, dir, text: text.into() });
        } else {
            self.dropped += 1;
        }
    }

    /// A note of the harness.
    pub fn note(&mut self, text: impl Into<String>) {
        self.push(Direction::Note, text)
    }

    /// Milliseconds since the transcript started.
    pub fn elapsed_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// The lines, with a final note of how many were left out.
    pub fn finish(mut self) -> Vec<TranscriptLine> {
        if self.dropped > 0 {
            let at_ms = self.elapsed_ms();
            self.lines.push(TranscriptLine {
                at_ms,
                dir: Direction::Note,
                text: format!("… {} more lines not kept", self.dropped),
            });
        }
        self.lines
    }
}
