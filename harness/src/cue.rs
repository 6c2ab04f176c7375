//! The cue of a scripted peer: where in the bytes it reads the case's offending frames end.
//!
//! Both scripted peers ([`crate::scripted`], the server; [`crate::scripted_client`], the
//! client) enact their reaction when the last `Send` step of the case's script has arrived.
//! h2probe writes each `Send` step in one write, so its bytes arrive contiguously; what
//! comes between steps (the handshake, automatic replies, the PING fence) is cut into whole
//! frames and served as it comes. The cutting is the same for both roles, so it lives here
//! once: a peer pushes what it reads and takes back pieces in order.

use h2probe_codec::frame::{Head, HEAD_LEN};

/// A run of bytes, whole frames (or a whole step), in the order they arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Served normally: bytes between steps, an earlier step, or anything after the cue.
    Pass(Vec<u8>),
    /// The last step's bytes, complete: the reaction replaces or accompanies serving them.
    Cue(Vec<u8>),
}

/// Cuts incoming bytes into [`Piece`]s.
#[derive(Debug, Clone)]
pub struct Cue {
    segments: Vec<Vec<u8>>,
    next: usize,
    unfed: Vec<u8>,
    /// Octets at the start of the stream that are not a frame (the client preface's magic,
    /// when the peer reads a client): one unit, whatever they hold.
    lead: usize,
}

impl Cue {
    /// A cue on the last of `segments` (the bytes of each `Send` step, in order); `lead`
    /// octets at the start are one unit that is not a frame (24 for a server reading the
    /// client preface, 0 for a client).
    pub fn new(segments: Vec<Vec<u8>>, lead: usize) -> Cue {
        Cue { segments, next: 0, unfed: Vec::new(), lead }
    }

    /// Takes bytes as read.
    pub fn push(&mut self, bytes: &[u8]) {
        self.unfed.extend_from_slice(bytes);
    }

    /// Whether the cue has been given out (or there is none to wait for).
    pub fn reached(&self) -> bool {
        self.next >= self.segments.len()
    }

    /// The next complete piece, or `None` until more bytes come.
    pub fn next_piece(&mut self) -> Option<Piece> {
        let Some(segment) = self.segments.get(self.next) else {
            return (!self.unfed.is_empty()).then(|| Piece::Pass(std::mem::take(&mut self.unfed)));
        };
        if self.unfed.starts_with(segment) {
            let bytes = self.take(segment.len());
            self.next += 1;
            return Some(if self.reached() { Piece::Cue(bytes) } else { Piece::Pass(bytes) });
        }
        if segment.starts_with(&self.unfed) {
            return None; // the step is arriving (or nothing is)
        }
        // Bytes between steps, a unit at a time so a step that follows is still recognised.
        let unit = if self.lead > 0 { Some(self.lead) } else { Head::parse(&self.unfed).map(|h| HEAD_LEN + h.length as usize) };
        match unit {
            Some(n) if self.unfed.len() >= n => Some(Piece::Pass(self.take(n))),
            _ => None,
        }
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        self.lead = self.lead.saturating_sub(n);
        self.unfed.drain(..n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_codec::frames;

    #[test]
    fn frames_between_steps_pass_and_the_last_step_is_the_cue() {
        let ping = frames::ping(*b"12345678").build().to_bytes();
        let ack = frames::settings_ack().to_bytes();
        let step1 = frames::headers(1).status(200).build().to_bytes();
        let step2 = frames::data(1, b"x".to_vec()).end_stream().build().to_bytes();
        let mut cue = Cue::new(vec![step1.clone(), step2.clone()], 0);
        cue.push(&ack);
        cue.push(&step1[..3]);
        assert_eq!(cue.next_piece(), Some(Piece::Pass(ack.clone())));
        assert_eq!(cue.next_piece(), None, "half a step: wait");
        cue.push(&step1[3..]);
        cue.push(&ping);
        assert_eq!(cue.next_piece(), Some(Piece::Pass(step1)));
        assert_eq!(cue.next_piece(), Some(Piece::Pass(ping.clone())));
        cue.push(&step2);
        cue.push(&ping);
        assert_eq!(cue.next_piece(), Some(Piece::Cue(step2)));
        assert!(cue.reached());
        assert_eq!(cue.next_piece(), Some(Piece::Pass(ping)));
        assert_eq!(cue.next_piece(), None);
    }

    #[test]
    fn a_leading_unit_that_is_not_a_frame_is_cut_whole() {
        let preface = h2probe_codec::frame::PREFACE.to_vec();
        let settings = frames::settings().build().to_bytes();
        let step = frames::ping(*b"abcdefgh").build().to_bytes();
        let mut cue = Cue::new(vec![step.clone()], preface.len());
        cue.push(&preface);
        cue.push(&settings);
        cue.push(&step);
        assert_eq!(cue.next_piece(), Some(Piece::Pass(preface)));
        assert_eq!(cue.next_piece(), Some(Piece::Pass(settings)));
        assert_eq!(cue.next_piece(), Some(Piece::Cue(step)));
    }
}
