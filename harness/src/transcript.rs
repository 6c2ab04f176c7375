//! The frame transcript of one case: what was sent and received, in order, bounded.
//!
//! Three bounds, each because a server controls what we write down: lines per case
//! ([`DEFAULT_LIMIT`]), octets per line ([`MAX_LINE_OCTETS`]: one SETTINGS frame with
//! thousands of parameters renders as a line of tens of kilobytes) and octets per case
//! ([`MAX_CASE_OCTETS`]). A run as a whole is bounded by [`RunBudget`].

use crate::model::{Direction, TranscriptLine};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Lines kept per case; a flood would otherwise grow the report without bound.
pub const DEFAULT_LIMIT: usize = 400;

/// Octets of text kept per line. Every line h2probe writes about a conforming server is
/// well below it (the longest are GOAWAYs with 200 octets of debug data, about 300 octets
/// once escaped); what is longer is a server's padding, so its start is kept with a marker
/// saying how much was cut.
pub const MAX_LINE_OCTETS: usize = 1024;

/// Octets a line takes in a report besides its text: its time and direction and the JSON
/// around them, as the pretty-printed JSON report writes them (about 95 octets of keys,
/// quotes and indentation). Counted with the text against the bounds below, so that they
/// bound the report a transcript makes, not only its text.
pub const LINE_OVERHEAD: usize = 96;

/// Octets kept per case, text and [`LINE_OVERHEAD`] (three quarters from the start, a
/// quarter from the end, as for lines). A flood's 400 lines about a conforming server, some
/// 100 octets of text each, take about 80 KiB; 96 KiB keeps all of that, while a hostile
/// case at the line limit would otherwise keep 440 KiB.
pub const MAX_CASE_OCTETS: usize = 96 * 1024;

/// Octets of transcript kept per run over all cases, text and [`LINE_OVERHEAD`]. A full run
/// against a conforming server keeps well under 1 MiB (a few lines per case); 4 MiB leaves
/// that untouched while a run
/// against a hostile server, whose every case fills its transcript, stays bounded. Once it
/// is spent, each further case keeps only its first and last [`SPENT_KEEP`] lines.
pub const MAX_RUN_OCTETS: usize = 4 << 20;

/// Lines kept at each end of a case's transcript once the run's budget is spent: enough to
/// show the set-up and the end (where a reaction shows up).
pub const SPENT_KEEP: usize = 4;

/// Cuts `text` to at most `max` octets (on a character boundary), ending it with a marker
/// that says how many octets were cut. Text within the bound is returned as it is.
pub fn bound_text(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    // The marker's own length is at most this; the kept part makes room for it.
    const MARKER: usize = 48;
    let mut keep = max.saturating_sub(MARKER);
    while !text.is_char_boundary(keep) {
        keep -= 1;
    }
    // A new string: truncating in place would keep the long one's allocation.
    let mut out = String::with_capacity(keep + MARKER);
    out.push_str(&text[..keep]);
    out.push_str(&format!(" … [{} octets cut]", text.len() - keep));
    out
}

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
    head_octets: usize,
    tail_octets: usize,
    /// The head is full (lines or octets): every later line goes to the tail.
    head_closed: bool,
    dropped: usize,
}

impl Transcript {
    /// An empty transcript whose clock starts now, keeping at most `limit` lines (three
    /// quarters from the start, a quarter from the end) and [`MAX_CASE_OCTETS`] of text.
    pub fn new(limit: usize) -> Transcript {
        let tail_limit = limit / 4;
        Transcript {
            start: Instant::now(),
            head: Vec::new(),
            tail: VecDeque::new(),
            head_limit: limit - tail_limit,
            tail_limit,
            head_octets: 0,
            tail_octets: 0,
            head_closed: false,
            dropped: 0,
        }
    }

    /// Appends a line (cut to [`MAX_LINE_OCTETS`]); past the limits the oldest line of the
    /// tail is counted and let go.
    pub fn push(&mut self, dir: Direction, text: impl Into<String>) {
        let text = bound_text(text.into(), MAX_LINE_OCTETS);
        let len = text.len() + LINE_OVERHEAD;
        let line = TranscriptLine { at_ms: self.elapsed_ms(), dir, text };
        let tail_octets_limit = MAX_CASE_OCTETS / 4;
        if !self.head_closed && self.head.len() < self.head_limit && self.head_octets + len <= MAX_CASE_OCTETS - tail_octets_limit {
            self.head_octets += len;
            self.head.push(line);
            return;
        }
        self.head_closed = true;
        if self.tail_limit == 0 {
            self.dropped += 1;
            return;
        }
        while !self.tail.is_empty() && (self.tail.len() >= self.tail_limit || self.tail_octets + len > tail_octets_limit) {
            if let Some(old) = self.tail.pop_front() {
                self.tail_octets -= old.text.len() + LINE_OVERHEAD;
                self.dropped += 1;
            }
        }
        self.tail_octets += len;
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

    /// Lines kept now.
    pub fn lines(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// Octets kept now, text and [`LINE_OVERHEAD`].
    pub fn octets(&self) -> usize {
        self.head_octets + self.tail_octets
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

/// The transcript octets of a whole run, shared by its cases ([`MAX_RUN_OCTETS`]).
#[derive(Debug, Default)]
pub struct RunBudget {
    used: AtomicUsize,
}

impl RunBudget {
    /// A fresh budget.
    pub fn new() -> RunBudget {
        RunBudget::default()
    }

    /// Octets charged so far.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// Charges a finished case's transcript to the run. While the budget lasts the lines are
    /// kept whole; once it is spent the transcript keeps its first and last [`SPENT_KEEP`]
    /// lines and a note saying why.
    pub fn charge(&self, mut lines: Vec<TranscriptLine>) -> Vec<TranscriptLine> {
        let octets: usize = lines.iter().map(|l| l.text.len() + LINE_OVERHEAD).sum();
        let before = self.used.fetch_add(octets, Ordering::Relaxed);
        if before + octets <= MAX_RUN_OCTETS || lines.len() <= 2 * SPENT_KEEP {
            return lines;
        }
        let tail = lines.split_off(lines.len() - SPENT_KEEP);
        let cut = lines.len() - SPENT_KEEP;
        lines.truncate(SPENT_KEEP);
        let at_ms = tail.first().map_or(0, |l| l.at_ms);
        lines.push(TranscriptLine {
            at_ms,
            dir: Direction::Note,
            text: format!("… {cut} lines not kept: the run's transcripts reached {} MiB …", MAX_RUN_OCTETS >> 20),
        });
        lines.extend(tail);
        // Only what is kept counts against the run.
        let kept: usize = lines.iter().map(|l| l.text.len() + LINE_OVERHEAD).sum();
        self.used.fetch_sub(octets - kept, Ordering::Relaxed);
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

    #[test]
    fn long_lines_are_cut_with_a_marker() {
        let mut t = Transcript::new(8);
        t.push(Direction::Received, "é".repeat(30_000));
        let lines = t.finish();
        let text = &lines[0].text;
        assert!(text.len() <= MAX_LINE_OCTETS, "{}", text.len());
        assert!(text.capacity() <= MAX_LINE_OCTETS, "the long line's allocation is not kept: {}", text.capacity());
        assert!(text.ends_with("octets cut]"), "{text}");
        let cut: usize = text.rsplit('[').next().and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).expect("a count");
        assert_eq!(cut + text.find(" … [").expect("marker"), 60_000, "the marker says how much was cut");
        assert_eq!(bound_text("short".into(), MAX_LINE_OCTETS), "short");
    }

    #[test]
    fn a_case_keeps_at_most_its_octets() {
        let mut t = Transcript::new(DEFAULT_LIMIT);
        for i in 0..10_000 {
            t.push(Direction::Received, format!("{i} {}", "x".repeat(5_000)));
            assert!(t.octets() <= MAX_CASE_OCTETS);
        }
        assert!(t.lines() < DEFAULT_LIMIT);
        let lines = t.finish();
        assert!(lines[0].text.starts_with("0 "), "the start is kept");
        assert!(lines.last().is_some_and(|l| l.text.starts_with("9999 ")), "the end is kept");
        assert!(lines.iter().any(|l| l.text.contains("lines not kept")));
    }

    #[test]
    fn a_spent_run_budget_keeps_both_ends() {
        let budget = RunBudget::new();
        let line = |i: usize| TranscriptLine { at_ms: 0, dir: Direction::Received, text: format!("{i:04} {}", "y".repeat(1000)) };
        let mut kept = 0;
        for _ in 0..200 {
            let lines = budget.charge((0..60).map(line).collect());
            kept += lines.iter().map(|l| l.text.len() + LINE_OVERHEAD).sum::<usize>();
            assert!(lines.len() == 60 || lines.len() == 2 * SPENT_KEEP + 1);
        }
        assert_eq!(kept, budget.used());
        assert!(budget.used() <= MAX_RUN_OCTETS + 200 * (2 * SPENT_KEEP + 1) * (MAX_LINE_OCTETS + LINE_OVERHEAD));
        let last = budget.charge((0..60).map(line).collect());
        assert!(last[0].text.starts_with("0000") && last[last.len() - 1].text.starts_with("0059"));
        assert!(last[SPENT_KEEP].text.contains("the run's transcripts reached"), "{}", last[SPENT_KEEP].text);
    }
}
