//! Delta debugging: the smallest input that still shows a finding.
//!
//! A finding a person can act on is a handful of frames, not the forty a mutator stacked.
//! [`minimise`] keeps the oracle signature fixed ([`Reproduce`] re-runs the input against the
//! server and says whether the same finding appears) and shrinks, in order: the transport
//! (one write instead of many), the frames (Zeller's ddmin over units, which ends
//! 1-minimal: no single unit can go), each frame's flags and payload octets (ddmin again,
//! with the length field kept honest unless it lied to begin with), and last the cut points
//! that had to stay. Every step is bounded by a [`Budget`] of re-runs and a deadline; what
//! is left when it runs out is still a reproducer, only a longer one.

use super::input::{Input, Unit};
use h2probe_codec::frame::{Frame, Head, RawFrame, HEAD_LEN};
use std::future::Future;
use tokio::time::Instant;

/// Re-runs an input and says whether the finding is still there.
pub trait Reproduce {
    /// Whether `input` shows the same finding (the same oracle signature).
    fn reproduces(&mut self, input: &Input) -> impl Future<Output = bool>;
}

/// How much minimising may cost.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Re-runs left.
    pub checks: usize,
    /// No re-run starts after this.
    pub until: Instant,
}

impl Budget {
    fn spend(&mut self) -> bool {
        if self.checks == 0 || Instant::now() >= self.until {
            return false;
        }
        self.checks -= 1;
        true
    }
}

/// What minimising did.
#[derive(Debug, Clone)]
pub struct Minimised {
    /// The smallest input found.
    pub input: Input,
    /// Re-runs spent.
    pub checks: usize,
    /// False when the budget ran out before the last step finished.
    pub complete: bool,
}

/// Shrinks `input` while `r` says it reproduces. `input` itself is assumed to.
pub async fn minimise<R: Reproduce>(input: Input, r: &mut R, mut budget: Budget) -> Minimised {
    let start = budget.checks;
    let mut best = input;
    let mut complete = true;
    let check = |budget: &mut Budget, complete: &mut bool| {
        let ok = budget.spend();
        *complete &= ok;
        ok
    };
    // 1. One write.
    if !best.cuts.is_empty() && check(&mut budget, &mut complete) {
        let one = Input { units: best.units.clone(), cuts: Vec::new() };
        if r.reproduces(&one).await {
            best = one;
        }
    }
    // 2. Frames.
    let cuts = best.cuts.clone();
    let units = reduce(best.units.clone(), r, &mut budget, &mut complete, |u| Input { units: u.to_vec(), cuts: cuts.clone() }).await;
    best.units = units;
    // 2b. A field block in one HEADERS rather than spread over CONTINUATIONs (ddmin cannot
    // drop a CONTINUATION that ends a block the finding needs).
    if best.cuts.is_empty() {
        let mut i = 0;
        while i < best.units.len() {
            if let Some(units) = merged_block(&best.units, i) {
                if check(&mut budget, &mut complete) {
                    let one = Input { units, cuts: Vec::new() };
                    if r.reproduces(&one).await {
                        best = one;
                    }
                }
            }
            i += 1;
        }
    }
    // 3. Each frame: its flags, then its payload octets.
    for i in 0..best.units.len() {
        best = flags(best, i, r, &mut budget, &mut complete).await;
        best = payload(best, i, r, &mut budget, &mut complete).await;
    }
    // 4. The cut points that are still there.
    if !best.cuts.is_empty() {
        let units = best.units.clone();
        let cuts = best.effective_cuts();
        best.cuts = reduce(cuts, r, &mut budget, &mut complete, |c| Input { units: units.clone(), cuts: c.to_vec() }).await;
    }
    Minimised { input: best.normalised(), checks: start - budget.checks, complete }
}

/// Clears the unit's flag bits one at a time, keeping each removal that reproduces.
async fn flags<R: Reproduce>(mut best: Input, i: usize, r: &mut R, budget: &mut Budget, complete: &mut bool) -> Input {
    let Some(raw) = raw(&best.units[i]) else { return best };
    let mut current = raw;
    for bit in 0..8 {
        let mask = 1u8 << bit;
        if current.flags & mask == 0 {
            continue;
        }
        let ok = budget.spend();
        *complete &= ok;
        if !ok {
            break;
        }
        let mut candidate = current.clone();
        candidate.flags &= !mask;
        let mut trial = best.clone();
        trial.units[i] = Unit::from_octets(&candidate.to_bytes());
        if r.reproduces(&trial).await {
            current = candidate;
            best = trial;
        }
    }
    best
}

/// Re-runs the octets of one unit may spend: ddmin is quadratic in the worst case, and a
/// frame's payload matters less than which frames there are.
const PAYLOAD_CHECKS: usize = 64;

/// ddmin over the unit's payload octets, at most [`PAYLOAD_CHECKS`] re-runs. An honest
/// length field stays honest; a lying one keeps its value (the lie may be the finding).
async fn payload<R: Reproduce>(best: Input, i: usize, r: &mut R, budget: &mut Budget, complete: &mut bool) -> Input {
    let mut local = Budget { checks: budget.checks.min(PAYLOAD_CHECKS), until: budget.until };
    let before = local.checks;
    // Running out of this frame's own allowance is not running out of the budget.
    let mut cut_short = false;
    let out = payload_within(best, i, r, &mut local, &mut cut_short).await;
    budget.checks -= before - local.checks;
    *complete &= !(cut_short && (budget.checks == 0 || Instant::now() >= budget.until));
    out
}

async fn payload_within<R: Reproduce>(best: Input, i: usize, r: &mut R, budget: &mut Budget, complete: &mut bool) -> Input {
    match &best.units[i] {
        Unit::Bytes(b) if b.len() > 1 => {
            let b = b.clone();
            let base = best.clone();
            let kept = reduce(b, r, budget, complete, |o| {
                let mut t = base.clone();
                t.units[i] = Unit::Bytes(o.to_vec());
                t
            })
            .await;
            let mut out = base;
            out.units[i] = Unit::Bytes(kept);
            out
        }
        u => {
            let Some(raw) = raw(u) else { return best };
            if raw.payload.is_empty() {
                return best;
            }
            let base = best.clone();
            let rebuild = |p: &[u8]| {
                let mut f = raw.clone();
                f.payload = p.to_vec();
                let mut t = base.clone();
                t.units[i] = Unit::from_octets(&f.to_bytes());
                t
            };
            let kept = reduce(raw.payload.clone(), r, budget, complete, rebuild).await;
            let mut f = raw.clone();
            f.payload = kept;
            let mut out = base;
            out.units[i] = Unit::from_octets(&f.to_bytes());
            out
        }
    }
}

/// `units` with the typed HEADERS at `i` and the typed CONTINUATIONs that complete its
/// block made one HEADERS with END_HEADERS, if that is what is there.
fn merged_block(units: &[Unit], i: usize) -> Option<Vec<Unit>> {
    let Unit::Frame(Frame::Headers(h)) = &units[i] else { return None };
    if h.end_headers {
        return None;
    }
    let mut merged = h.clone();
    for (j, u) in units.iter().enumerate().skip(i + 1) {
        let Unit::Frame(Frame::Continuation(c)) = u else { return None };
        if c.stream_id != h.stream_id {
            return None;
        }
        merged.block.extend_from_slice(&c.block);
        if c.end_headers {
            merged.end_headers = true;
            let mut out = units[..i].to_vec();
            out.push(Unit::Frame(Frame::Headers(merged)));
            out.extend_from_slice(&units[j + 1..]);
            return Some(out);
        }
    }
    None
}

/// The unit as a raw frame, when it is one frame.
fn raw(u: &Unit) -> Option<RawFrame> {
    let bytes = u.to_bytes();
    let head: Head = Head::parse(&bytes)?;
    if bytes.len() > HEAD_LEN + head.length as usize {
        return None;
    }
    Some(RawFrame::from_parts(head, &bytes[HEAD_LEN..]))
}

/// Tries no items at all, then runs [`Ddmin`] over `items`, building each candidate input
/// with `build`.
async fn reduce<T: Clone, R: Reproduce>(
    items: Vec<T>,
    r: &mut R,
    budget: &mut Budget,
    complete: &mut bool,
    build: impl Fn(&[T]) -> Input,
) -> Vec<T> {
    // Nothing at all first: a finding of the handshake, a payload that does not matter.
    if !items.is_empty() {
        if !budget.spend() {
            *complete = false;
            return items;
        }
        if r.reproduces(&build(&[])).await {
            return Vec::new();
        }
    }
    let mut dd = Ddmin::new(items);
    while let Some(candidate) = dd.next_candidate() {
        if !budget.spend() {
            *complete = false;
            break;
        }
        let ok = r.reproduces(&build(&candidate)).await;
        dd.result(ok);
    }
    dd.into_items()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Subsets,
    Complements,
}

/// Zeller and Hildebrandt's ddmin (2002) as a state machine: it proposes candidates
/// ([`Ddmin::next_candidate`]) and is told whether each one still fails
/// ([`Ddmin::result`]), so the test can be asynchronous and the algorithm stays pure.
#[derive(Debug, Clone)]
pub struct Ddmin<T> {
    items: Vec<T>,
    n: usize,
    phase: Phase,
    i: usize,
    pending: Option<(Vec<T>, Phase)>,
    done: bool,
}

impl<T: Clone> Ddmin<T> {
    /// Starts on `items`, which fail the test.
    pub fn new(items: Vec<T>) -> Ddmin<T> {
        Ddmin { items, n: 2, phase: Phase::Subsets, i: 0, pending: None, done: false }
    }

    fn chunk(&self, k: usize) -> (usize, usize) {
        let len = self.items.len();
        (k * len / self.n, (k + 1) * len / self.n)
    }

    /// The next candidate to test, or `None` when the items are 1-minimal.
    pub fn next_candidate(&mut self) -> Option<Vec<T>> {
        loop {
            if self.done || self.items.len() < 2 {
                self.done = true;
                return None;
            }
            let n = self.n.min(self.items.len());
            self.n = n;
            match self.phase {
                Phase::Subsets if self.i < n => {
                    let (a, b) = self.chunk(self.i);
                    self.i += 1;
                    let c = self.items[a..b].to_vec();
                    self.pending = Some((c.clone(), Phase::Subsets));
                    return Some(c);
                }
                Phase::Subsets => {
                    self.phase = Phase::Complements;
                    self.i = 0;
                    // With two chunks the complements are the subsets again.
                    if n == 2 {
                        self.i = n;
                    }
                }
                Phase::Complements if self.i < n => {
                    let (a, b) = self.chunk(self.i);
                    self.i += 1;
                    let c: Vec<T> = self.items[..a].iter().chain(&self.items[b..]).cloned().collect();
                    self.pending = Some((c.clone(), Phase::Complements));
                    return Some(c);
                }
                Phase::Complements => {
                    if n >= self.items.len() {
                        self.done = true;
                        return None;
                    }
                    self.n = (2 * n).min(self.items.len());
                    self.phase = Phase::Subsets;
                    self.i = 0;
                }
            }
        }
    }

    /// Whether the last candidate still fails the test.
    pub fn result(&mut self, fails: bool) {
        let Some((c, phase)) = self.pending.take() else { return };
        if fails {
            self.items = c;
            self.n = match phase {
                Phase::Subsets => 2,
                Phase::Complements => self.n.saturating_sub(1).max(2),
            };
            self.phase = Phase::Subsets;
            self.i = 0;
        }
    }

    /// The items as reduced so far.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(items: Vec<u32>, fails: impl Fn(&[u32]) -> bool) -> (Vec<u32>, usize) {
        let mut dd = Ddmin::new(items);
        let mut tests = 0;
        while let Some(c) = dd.next_candidate() {
            tests += 1;
            assert!(tests < 10_000, "ddmin does not terminate");
            dd.result(fails(&c));
        }
        (dd.into_items(), tests)
    }

    #[test]
    fn ddmin_finds_the_three_items_that_matter() {
        let fails = |c: &[u32]| [3, 17, 29].iter().all(|x| c.contains(x));
        let (min, _) = run((0..40).collect(), fails);
        assert_eq!(min, vec![3, 17, 29]);
    }

    #[test]
    fn ddmin_result_is_one_minimal() {
        // Fails when the sum of the kept items is at least 10: any single removal must fix it.
        let fails = |c: &[u32]| c.iter().sum::<u32>() >= 10;
        let (min, _) = run(vec![1, 2, 3, 4, 5, 6], fails);
        assert!(fails(&min));
        for k in 0..min.len() {
            let mut less = min.clone();
            less.remove(k);
            assert!(!fails(&less), "{min:?} minus item {k} still fails");
        }
    }

    #[test]
    fn ddmin_leaves_a_single_item_alone() {
        assert_eq!(run(vec![7], |_| true).0, vec![7]);
        assert_eq!(run(vec![], |_| true).0, Vec::<u32>::new());
    }

    struct Pattern(Vec<String>, usize);

    impl Reproduce for Pattern {
        async fn reproduces(&mut self, input: &Input) -> bool {
            self.1 += 1;
            let shape = input.shape();
            let mut it = shape.iter();
            self.0.iter().all(|k| it.any(|s| s == k))
        }
    }

    #[test]
    fn a_split_block_merges_into_one_headers() {
        use h2probe_codec::{frames, ErrorCode};
        let units = vec![
            Unit::Frame(frames::headers(1).block(vec![0x82]).no_end_headers().build()),
            Unit::Frame(frames::continuation(1, vec![0x86]).build()),
            Unit::Frame(frames::continuation(1, vec![0x84]).end_headers().build()),
            Unit::Frame(frames::rst_stream(1, ErrorCode::CANCEL)),
        ];
        let merged = merged_block(&units, 0).expect("a block to merge");
        assert_eq!(Input::new(merged.clone()).shape(), vec!["HEADERS", "RST_STREAM"]);
        let Unit::Frame(Frame::Headers(h)) = &merged[0] else { panic!("HEADERS first") };
        assert!(h.end_headers && h.block == [0x82, 0x86, 0x84]);
        assert!(merged_block(&units, 1).is_none() && merged_block(&units[..2], 0).is_none(), "only a whole block");
    }

    #[tokio::test]
    async fn an_input_shrinks_to_its_pattern_and_octets() {
        use h2probe_codec::{frames, ErrorCode};
        let units = vec![
            Unit::Frame(frames::ping([1; 8]).build()),
            Unit::Frame(frames::headers(1).request("GET", "/").build()),
            Unit::Frame(frames::window_update(0, 5)),
            Unit::Frame(frames::rst_stream(1, ErrorCode::CANCEL)),
            Unit::Frame(frames::settings().build()),
            Unit::Frame(frames::data(1, b"xyz".to_vec()).end_stream().build()),
        ];
        let mut p = Pattern(vec!["HEADERS".into(), "RST_STREAM".into(), "DATA".into()], 0);
        let budget = Budget { checks: 500, until: Instant::now() + std::time::Duration::from_secs(60) };
        let m = minimise(Input { units, cuts: vec![4, 30] }, &mut p, budget).await;
        assert_eq!(m.input.shape(), vec!["HEADERS", "RST_STREAM", "DATA"]);
        assert!(m.input.cuts.is_empty());
        assert!(m.complete && m.checks == p.1);
        let data = m.input.units[2].to_bytes();
        assert_eq!(data.len(), HEAD_LEN, "the DATA payload and its END_STREAM flag go too: {data:?}");
    }
}
