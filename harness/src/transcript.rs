//! The frame transcript of one case: what was sent and received, in order, bounded.

use crate::model::{Direction, TranscriptLine};
use std::collections::VecDeque;
use std::time::Instant;

/// Lines kept per case; a flood would otherwise grow the report without bound.
pub const DEFAULT_LIMIT: usize = 400;

/// Collects transcript lines: the first lines and the last ones, with a count of those in
/// between. The end is kept because that is where a flooded server's reaction shows up
/// (a GOAWAY after thousands of frames); the beginning shows the set-up.
#[derive(Debug)]
pub struct Transcript {
    start: Instant,
    head: Vec<TranscriptLine>,
    tail: VecDeque<TranscriptLine>,
    head_limit: usize,
    tail_limit: usize,
    dropped: usize,
}

impl Transcript {
    /// An empty transcript whose clock starts now, keeping at most `limit` lines (three
    /// quarters from the start, a quarter from the end).
    pub fn new(limit: usize) -> Transcript {
        let tail_limit = limit / 4;
        Transcript {
            start: Instant::now(),
            head: Vec::new(),
            tail: VecDeque::new(),
            head_limit: limit - tail_limit,
            tail_limit,
            dropped: 0,
        }
    }

    /// Appends a line; past the limit the oldest line of the tail is counted and let go.
    pub fn push(&mut self, dir: Direction, text: impl Into<String>) {
        let line = TranscriptLine { at_ms: self.elapsed_ms(), dir, text: text.into() };
        if self.head.len() < self.head_limit {
            self.head.push(line);
            return;
        }
        if self.tail_limit == 0 {
            self.dropped += 1;
            return;
        }
        if self.tail.len() == self.tail_limit {
            self.tail.pop_front();
            self.dropped += 1;
        }
        self.tail.push_back(line);
    }

    /// A note of the harness.
    pub fn note(&mut self, text: impl Into<String>) {
        self.push(Direction::Note, text)
    }

    /// Milliseconds since the transcript started.
    pub fn elapsed_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// The lines, with a note where lines were left out.
    pub fn finish(self) -> Vec<TranscriptLine> {
        let mut lines = self.head;
        if self.dropped > 0 {
            let at_ms = self.tail.front().map_or(0, |l| l.at_ms);
            lines.push(TranscriptLine {
                at_ms,
                dir: Direction::Note,
                text: format!("… {} lines not kept …", self.dropped),
            });
        }
        lines.extend(self.tail);
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_head_and_tail_within_the_limit() {
        let mut t = Transcript::new(8);
        for i in 0..100 {
            t.push(Direction::Received, format!("line {i}"));
        }
        let lines = t.finish();
        assert_eq!(lines.len(), 9);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(&texts[..6], &["line 0", "line 1", "line 2", "line 3", "line 4", "line 5"]);
        assert_eq!(texts[6], "… 92 lines not kept …");
        assert_eq!(&texts[7..], &["line 98", "line 99"]);
    }

    #[test]
    fn short_transcripts_are_whole() {
        let mut t = Transcript::new(8);
        for i in 0..7 {
            t.push(Direction::Sent, format!("{i}"));
        }
        assert_eq!(t.finish().len(), 7);
    }
}
