//! The cue of a scripted peer: where in the bytes it reads the case's offending frames end.
//!
//! Both scripted peers ([`crate::scripted`], the server; [`crate::scripted_client`], the
//! client) enact their reaction when the last `Send` step of the case's script has arrived.
//! h2probe writes each `Send` step in one write, so its bytes arrive contiguously; what
//! comes between steps (the handshake, automatic replies, the PING fence) is cut into whole
//! frames and served as it comes. The cutting is the same for both roles, so it lives here
//! once: a peer pushes what it reads and takes back pieces in order.

use h2probe_codec::frame::{Frame, FrameError, Head, HEAD_LEN};

/// The first frame of `buf` and the octets it spans, once it has all arrived (`None` until
/// then); a frame that does not decode comes back as its error, still with its length, so a
/// lenient peer can drop it and read on.
pub(crate) fn next_frame(buf: &[u8]) -> Option<(Result<Frame, FrameError>, usize)> {
    let head = Head::parse(buf)?;
    let total = HEAD_LEN + head.length as usize;
    let payload = buf.get(HEAD_LEN..total)?;
    Some((Frame::decode(&head, payload), total))
}

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
    /// Octets of `unfed` already known to match the start of the next segment: a step of
    /// many megabytes arrives in many reads, and each read compares only what it added.
    matched: usize,
    /// Octets at the start of the stream that are not a frame (the client preface's magic,
    /// when the peer reads a client): one unit, whatever they hold.
    lead: usize,
    /// No step to wait for, and the first unit that arrives is the cue.
    first_unit: bool,
}

impl Cue {
    /// A cue on the last of `segments` (the bytes of each `Send` step, in order); `lead`
    /// octets at the start are one unit that is not a frame (24 for a server reading the
    /// client preface, 0 for a client).
    pub fn new(segments: Vec<Vec<u8>>, lead: usize) -> Cue {
        Cue { segments, next: 0, unfed: Vec::new(), matched: 0, lead, first_unit: false }
    }

    /// A cue on the first unit that arrives (after `lead` octets that are not a frame): for
    /// a script without a `Send` step, whose case is about what the peer does from the
    /// start (an upload within the windows we advertised), the reaction comes at once.
    pub fn on_first_frame(lead: usize) -> Cue {
        Cue { first_unit: true, ..Cue::new(Vec::new(), lead) }
    }

    /// Takes bytes as read.
    pub fn push(&mut self, bytes: &[u8]) {
        self.unfed.extend_from_slice(bytes);
    }

    /// Whether the cue has been given out (or there is none to wait for).
    pub fn reached(&self) -> bool {
        self.next >= self.segments.len() && !self.first_unit
    }

    /// The next complete piece, or `None` until more bytes come.
    pub fn next_piece(&mut self) -> Option<Piece> {
        if self.first_unit {
            let n = self.unit()?;
            self.first_unit = false;
            return Some(Piece::Cue(self.take(n)));
        }
        let Some(segment) = self.segments.get(self.next) else {
            return (!self.unfed.is_empty()).then(|| Piece::Pass(std::mem::take(&mut self.unfed)));
        };
        let upto = self.unfed.len().min(segment.len());
        if self.unfed[self.matched.min(upto)..upto] == segment[self.matched.min(upto)..upto] {
            self.matched = upto;
            if upto < segment.len() {
                return None; // the step is arriving (or nothing is)
            }
            let bytes = self.take(segment.len());
            self.next += 1;
            return Some(if self.reached() { Piece::Cue(bytes) } else { Piece::Pass(bytes) });
        }
        // Bytes between steps, a unit at a time so a step that follows is still recognised.
        let n = self.unit()?;
        Some(Piece::Pass(self.take(n)))
    }

    /// The length of the whole unit at the start of what is unfed, once it has all come.
    fn unit(&self) -> Option<usize> {
        let n = if self.lead > 0 { self.lead } else { HEAD_LEN + Head::parse(&self.unfed)?.length as usize };
        (self.unfed.len() >= n).then_some(n)
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        self.lead = self.lead.saturating_sub(n);
        self.matched = 0;
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

    #[test]
    fn a_large_step_is_matched_as_it_arrives_and_a_mismatch_is_served() {
        let step: Vec<u8> = (0..50_000).flat_map(|i: u64| frames::ping(i.to_be_bytes()).build().to_bytes()).collect();
        let mut cue = Cue::new(vec![step.clone()], 0);
        for chunk in step.chunks(4096) {
            assert_eq!(cue.next_piece(), None);
            cue.push(chunk);
        }
        assert_eq!(cue.next_piece(), Some(Piece::Cue(step.clone())));
        // Frames that start like the step but are not it pass one by one.
        let mut cue = Cue::new(vec![step[..34].to_vec()], 0);
        cue.push(&step[..17]);
        assert_eq!(cue.next_piece(), None);
        cue.push(&step[34..51]);
        assert_eq!(cue.next_piece(), Some(Piece::Pass(step[..17].to_vec())));
        assert_eq!(cue.next_piece(), Some(Piece::Pass(step[34..51].to_vec())), "nor does the frame after it begin the step");
        cue.push(&step[..17]);
        assert_eq!(cue.next_piece(), None, "this one might");
    }

    #[test]
    fn without_steps_the_first_frame_is_the_cue() {
        let settings = frames::settings().build().to_bytes();
        let ping = frames::ping(*b"abcdefgh").build().to_bytes();
        let mut cue = Cue::on_first_frame(0);
        assert!(!cue.reached());
        cue.push(&settings[..5]);
        assert_eq!(cue.next_piece(), None);
        cue.push(&settings[5..]);
        cue.push(&ping);
        assert_eq!(cue.next_piece(), Some(Piece::Cue(settings)));
        assert!(cue.reached());
        assert_eq!(cue.next_piece(), Some(Piece::Pass(ping)));
    }
}
