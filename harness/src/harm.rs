//! Harm, measured, and the verdict it gives: `mitigated`, `absorbed` or `vulnerable`.
//!
//! Pure: the figures come from [`crate::process`] (the server's CPU time and RSS, for a local
//! target), [`crate::canary`] (fresh requests' latency before, during and after) and
//! [`crate::attack`] (what was sent, what came back); here they are summarised and judged,
//! so every rule is unit-tested on made-up runs.
//!
//! The question is the user's: is this server harmed by this attack class, and how badly?
//! A reaction alone does not answer it (a server can GOAWAY after it has already spent the
//! memory), and neither does its absence (a server may absorb an attack at no cost). So:
//!
//! - **vulnerable** (a failure): the server died or stopped answering, the canary degraded
//!   beyond [`CANARY_FACTOR`] (and [`CANARY_FLOOR_US`]), or — without a reaction — harm grew
//!   with the attack's size from N to 4N beyond [`RSS_GROWTH_EXPONENT`] / [`CPU_GROWTH_RATIO`]
//!   or each connection of an attack over many pinned more than [`RSS_PER_CONNECTION_KIB`],
//!   or one attacking connection took more than [`RSS_ABSOLUTE_KIB`];
//! - **mitigated**: it reacted (GOAWAY, close, RST_STREAM(ENHANCE_YOUR_CALM)) after K frames or
//!   streams, and the canary held;
//! - **absorbed**: no reaction, and harm stayed bounded at both sizes.
//!
//! A target without process figures (remote, or inside h2probe itself) is judged on the
//! canary alone, and says so.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The canary is judged at its 90th percentile: the latency one fresh request in ten waits
/// at least. The p99 of a phase of 16 canaries is its slowest one, and on a 2-core machine
/// that the attacker shares, one canary scheduled late is noise that made classes flip
/// between runs; a server that stalls fresh requests for a tenth of the attack or more is
/// harm that every tenth user meets.
pub const CANARY_QUANTILE: f64 = 0.9;
/// The canary's p90 during or after an attack may be this many times its median before (the
/// median: a baseline that one slow canary does not move). A loaded 2-core machine moves
/// loopback latencies by a few times; a server that queues the canary behind the attack moves
/// them by orders of magnitude.
pub const CANARY_FACTOR: f64 = 10.0;
/// …and must also be this much slower, in µs, before it counts: a 0.3 ms baseline times ten
/// is still no harm anyone notices, and scheduling noise alone reaches tens of ms.
pub const CANARY_FLOOR_US: u64 = 200_000;
/// Share of canaries during the attack that may go unanswered (refused, reset, timed out).
/// One lost to a busy scheduler is noise; one in five is a server that stops serving.
pub const CANARY_MAX_FAILED_SHARE: f64 = 0.2;
/// Canaries a phase needs before its latency or its share of unanswered canaries alone can
/// call a server vulnerable. A short attack on a loaded 2-core machine leaves room for two to
/// five canaries, whose p99 is their slowest one and whose share moves by a third with one
/// lost to the scheduler: that is noise, and it made classes flip from run to run. Eight
/// (200 ms of canaries at [`crate::canary::CANARY_EVERY`], half the baseline) is the fewest
/// where one slow or lost canary is not the whole figure. With fewer, the verdict says so
/// and rests on the other figures. Not applied to "no canary answered after the attack":
/// that is no statistic — each of those waited its whole timeout or was refused, and a hung
/// server leaves time for only one or two.
pub const MIN_CANARY_SAMPLES: u32 = 8;
/// RSS growth below this (KiB) is allocator noise, not harm: servers grow and shrink arenas
/// by a few MiB under any load.
pub const RSS_NOISE_KIB: u64 = 16 * 1024;
/// Without a reaction, RSS growth in the larger run may be at most the square root of the
/// ratio of the units the two runs sent (2 for a full N and 4N) times the growth in the
/// smaller one. Memory that is bounded grows by ~1× (it is the same buffers); memory held per
/// unit grows by the ratio itself. The geometric middle of the two sits as far from either;
/// a fixed 2 sat on top of per-unit growth whenever the larger run's time bound stopped it
/// near 2N, and the class flipped with each run's rate.
pub const RSS_GROWTH_EXPONENT: f64 = 0.5;
/// Runs whose units differ by less than this ratio cannot tell bounded from per-unit memory
/// (√1.5 ≈ 1.22 is within allocator noise): the larger run's time bound stopped it early, and
/// the verdict says that growth was not measured.
pub const MIN_SIZE_RATIO: f64 = 2.0;
/// Without a reaction, each connection of an attack spread over many (streams held at the
/// limit, slow prefaces) may pin at most this much memory (KiB). Such an attack grows by
/// connections, which cost any server memory, so its growth from N to 4N says nothing; what
/// it costs per connection does. The bound is what flow control can make a server need: 100
/// held streams with two initial windows (2 × 65 535 octets) of response ready each is
/// 12.5 MiB, and 16 MiB leaves the allocator its share. More is a server buffering
/// regardless of the windows, per held stream (the flaw of CVE-2019-9517, made by holding
/// instead of by not reading). The servers measured pin 0.03-5 MiB (Apache's mod_http2 most).
pub const RSS_PER_CONNECTION_KIB: u64 = 16 * 1024;
/// One attacking connection may cost the server at most this much memory (KiB), whatever
/// the ratio: 256 MiB per connection takes a few hundred connections to exhaust a host.
pub const RSS_ABSOLUTE_KIB: u64 = 256 * 1024;
/// Without a reaction, CPU time per attack frame at 4N may be at most this many times the
/// figure at N. Per-frame work that is constant gives ~1×; work that grows with what the
/// attack built up (a priority tree, a queue scanned per frame) gives ~4× or more.
pub const CPU_GROWTH_RATIO: f64 = 2.5;
/// CPU time below this (ms) at 4N is too little to compare (clock ticks are 10 ms).
pub const CPU_NOISE_MS: u64 = 200;

/// What an attack case expects, in words (for `expected` in failures).
pub const EXPECTED: &str = "no harm: a limit (GOAWAY, close, RST_STREAM(ENHANCE_YOUR_CALM)) with the canary answered, \
     or the attack absorbed with memory, CPU per frame and canary latency bounded at N and 4N (RFC 9113 §10.5)";

/// The class of one attack against one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HarmClass {
    /// It reacted after K, with the canary intact.
    Mitigated,
    /// No reaction, bounded harm.
    Absorbed,
    /// Harmed: died, stopped answering, canary degraded, or harm grew with the attack.
    Vulnerable,
}

impl HarmClass {
    /// `mitigated`, `absorbed`, `vulnerable`.
    pub fn label(self) -> &'static str {
        match self {
            HarmClass::Mitigated => "mitigated",
            HarmClass::Absorbed => "absorbed",
            HarmClass::Vulnerable => "vulnerable",
        }
    }
}

impl fmt::Display for HarmClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Latencies of the canaries in one phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Canaries answered.
    pub answered: u32,
    /// Canaries not answered (refused, reset, timed out).
    pub failed: u32,
    /// Median latency of the answered ones, µs.
    pub median_us: Option<u64>,
    /// [`CANARY_QUANTILE`] (nearest rank), µs: what the verdict compares.
    #[serde(default)]
    pub p90_us: Option<u64>,
    /// 99th percentile (nearest rank), µs.
    pub p99_us: Option<u64>,
}

impl Latency {
    /// Summarises the canaries of one phase: `Some(µs)` answered, `None` not.
    pub fn of(samples: impl IntoIterator<Item = Option<u64>>) -> Latency {
        let mut ok = Vec::new();
        let mut failed = 0u32;
        for s in samples {
            match s {
                Some(us) => ok.push(us),
                None => failed += 1,
            }
        }
        ok.sort_unstable();
        let rank = |q: f64| -> Option<u64> {
            if ok.is_empty() {
                return None;
            }
            let i = ((q * ok.len() as f64).ceil() as usize).clamp(1, ok.len()) - 1;
            Some(ok[i])
        };
        Latency { answered: ok.len() as u32, failed, median_us: rank(0.5), p90_us: rank(CANARY_QUANTILE), p99_us: rank(0.99) }
    }

    fn samples(&self) -> u32 {
        self.answered + self.failed
    }

    fn failed_share(&self) -> f64 {
        let all = self.answered + self.failed;
        if all == 0 {
            0.0
        } else {
            f64::from(self.failed) / f64::from(all)
        }
    }

    fn describe(&self) -> String {
        let ms = crate::resilience::millis;
        match (self.median_us, self.p90_us, self.p99_us) {
            (Some(m), Some(p9), Some(p)) if self.failed == 0 => format!("median {} p90 {} p99 {}", ms(m), ms(p9), ms(p)),
            (Some(m), Some(p9), Some(p)) => format!(
                "median {} p90 {} p99 {}, {} of {} unanswered",
                ms(m),
                ms(p9),
                ms(p),
                self.failed,
                self.failed + self.answered
            ),
            _ if self.failed > 0 => format!("all {} unanswered", self.failed),
            _ => "none run".to_string(),
        }
    }
}

/// The canary in the three phases of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CanaryHarm {
    /// Before the attack's first frame.
    pub before: Latency,
    /// From its first frame until its connections closed.
    pub during: Latency,
    /// After.
    pub after: Latency,
}

/// The server process(es), measured (local targets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcHarm {
    /// The processes found (the listener's owners and their children), and how.
    pub found: String,
    /// CPU time (user + system) spent during the attack, ms.
    pub cpu_ms: u64,
    /// RSS just before the attack, KiB.
    pub rss_before_kib: u64,
    /// Highest RSS during it, KiB.
    pub rss_peak_kib: u64,
    /// RSS after the attack's connections closed, KiB.
    pub rss_after_kib: u64,
    /// Whether a server process still runs afterwards.
    pub alive_after: bool,
}

impl ProcHarm {
    /// RSS growth during the attack, KiB.
    pub fn growth_kib(&self) -> u64 {
        self.rss_peak_kib.saturating_sub(self.rss_before_kib)
    }
}

/// One point of the timeline plotted in the HTML report (ms since the run began).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// ms since the run began.
    pub t_ms: u32,
    /// The value: RSS in KiB, or a canary's latency in µs (`None`: unanswered).
    pub v: Option<u64>,
}

/// At most this many points per series in a report: the plot is small and the report must
/// stay bounded however long an attack ran.
pub const MAX_POINTS: usize = 200;

/// Keeps at most [`MAX_POINTS`] of a series, evenly spread, first and last included.
pub fn thin(points: Vec<Point>) -> Vec<Point> {
    if points.len() <= MAX_POINTS {
        return points;
    }
    let n = points.len();
    (0..MAX_POINTS).map(|i| points[i * (n - 1) / (MAX_POINTS - 1)].clone()).collect()
}

/// One run of an attack at one size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HarmRun {
    /// Units the run was to send (N or 4N).
    pub size: u64,
    /// Units sent.
    pub units: u64,
    /// Connections the units were spread over (most attacks: one).
    #[serde(default = "one")]
    pub connections: u64,
    /// Frames sent.
    pub frames: u64,
    /// Octets sent on the attack's connections.
    pub octets_sent: u64,
    /// Octets the server sent on them (read at the end, for an attack that does not read).
    pub octets_received: u64,
    /// Wall time of the sending, µs.
    pub send_us: u64,
    /// The server's reaction, in words, if it reacted.
    pub reaction: Option<String>,
    /// Frames or streams the server took before it reacted, and what counts them.
    pub k: Option<u64>,
    /// What K counts: `streams (GOAWAY last stream id)`, `PING ACKs sent before it`, …
    pub k_of: Option<String>,
    /// The server stopped reading (TCP backpressure) before the attack was all sent.
    pub stalled: bool,
    /// Process figures (local targets).
    pub proc: Option<ProcHarm>,
    /// Canary latencies.
    pub canary: CanaryHarm,
    /// Octets the server decoded, queued or sent per octet we sent, where it applies.
    pub amplification: Option<f64>,
    /// What the amplification counts.
    pub amplification_of: Option<String>,
    /// RSS over time, KiB.
    pub rss: Vec<Point>,
    /// Canary latency over time, µs.
    pub canary_points: Vec<Point>,
    /// When the attack began and ended, ms since the run began.
    pub attack_ms: (u32, u32),
}

impl HarmRun {
    /// Frames per second of the sending.
    pub fn frame_rate(&self) -> f64 {
        per_second(self.frames, self.send_us)
    }
    /// Units per second of the sending.
    pub fn unit_rate(&self) -> f64 {
        per_second(self.units, self.send_us)
    }
    /// Units per attacking connection: what grows from N to 4N for the connection's state.
    fn units_per_connection(&self) -> f64 {
        self.units as f64 / self.connections.max(1) as f64
    }
    /// RSS growth per attacking connection, KiB (local targets).
    fn growth_each_kib(&self) -> Option<u64> {
        self.proc.as_ref().map(|p| p.growth_kib() / self.connections.max(1))
    }
    fn cpu_per_frame(&self) -> Option<f64> {
        self.proc.as_ref().map(|p| p.cpu_ms as f64 / self.frames.max(1) as f64)
    }
}

fn one() -> u64 {
    1
}

fn per_second(n: u64, us: u64) -> f64 {
    if us == 0 {
        0.0
    } else {
        n as f64 * 1e6 / us as f64
    }
}

/// The verdict and its evidence, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarmReport {
    /// The class.
    pub class: HarmClass,
    /// Why, in one sentence.
    pub why: String,
    /// What one unit of the attack is, and its bounds.
    pub unit: String,
    /// The noun of a count of units (`streams`, `PINGs`).
    pub noun: String,
    /// The runs: N, then 4N when the first neither reacted nor harmed.
    pub runs: Vec<HarmRun>,
    /// Whether process figures were measured; if not, why (a remote target).
    pub local: Result<(), String>,
}

/// Judges the runs of one attack, N first and 4N second (absent when N already decided),
/// and says what the figures could not show: a server that stopped reading, a canary phase
/// too short to judge.
pub fn classify(runs: &[HarmRun], noun: &str) -> (HarmClass, String) {
    let (class, mut why) = judge(runs, noun);
    if let Some(r) = runs.iter().find(|r| r.stalled) {
        why.push_str(&format!(
            "; the server stopped reading at {} {noun} ({} octets sent, a write stalled for the per-wait timeout)",
            crate::resilience::count(r.units),
            crate::resilience::count(r.octets_sent)
        ));
    }
    if class != HarmClass::Vulnerable {
        let thin: Vec<String> = runs.iter().filter_map(|r| too_few_canaries(r, noun)).collect();
        if !thin.is_empty() {
            why.push_str(&format!("; canary not judged {} (fewer than {MIN_CANARY_SAMPLES}: judged on the other figures)", thin.join(", ")));
        }
    }
    (class, why)
}

fn judge(runs: &[HarmRun], noun: &str) -> (HarmClass, String) {
    for r in runs {
        if let Some(why) = harmed(r, noun) {
            return (HarmClass::Vulnerable, why);
        }
    }
    if let Some(r) = runs.iter().find(|r| r.reaction.is_some()) {
        let k = match (r.k, &r.k_of) {
            (Some(k), Some(of)) => format!(" after K = {} ({of})", crate::resilience::count(k)),
            _ => format!(" after at most {} {noun}", crate::resilience::count(r.units)),
        };
        return (HarmClass::Mitigated, format!("{}{k}; the canary held ({})", r.reaction.as_deref().unwrap_or_default(), canary_story(r)));
    }
    for r in runs.iter().filter(|r| r.connections > 1) {
        let each = r.growth_each_kib().unwrap_or(0);
        if each > RSS_PER_CONNECTION_KIB {
            return (
                HarmClass::Vulnerable,
                format!(
                    "each of {} attacking connections pinned {} of server memory at {} {noun}, with no reaction (limit {} a connection)",
                    crate::resilience::count(r.connections),
                    kib(each),
                    crate::resilience::count(r.units),
                    kib(RSS_PER_CONNECTION_KIB)
                ),
            );
        }
    }
    let (Some(small), Some(large)) = (runs.first(), runs.get(1)) else {
        let only = runs.first().map(|r| format!(" at {} {noun}", crate::resilience::count(r.units))).unwrap_or_default();
        return (HarmClass::Absorbed, format!("no reaction and no harm seen{only} (one size only, so growth was not measured)"));
    };
    let mut unmeasured = String::new();
    if let (Some(ps), Some(pl)) = (&small.proc, &large.proc) {
        // Both from the RSS before the first run: memory the allocator kept from N and
        // reused at 4N would otherwise hide the growth.
        let (gs, gl) = (ps.growth_kib(), pl.rss_peak_kib.saturating_sub(ps.rss_before_kib));
        // Per attacking connection: an attack of many connections (held streams, slow
        // prefaces) costs any server memory per connection, and what must stay bounded is
        // the cost of each; for one connection these are the figures themselves.
        let (cs, cl) = (small.connections.max(1), large.connections.max(1));
        let (gs_each, gl_each) = (gs / cs, gl / cl);
        let ratio = large.units_per_connection() / small.units_per_connection().max(1.0);
        let limit = ratio.powf(RSS_GROWTH_EXPONENT);
        if ratio < MIN_SIZE_RATIO {
            unmeasured = if cs == 1 && cl == 1 {
                format!(
                    "; memory growth not compared: the larger run sent {} {noun}, {ratio:.1}× the smaller, fewer than {MIN_SIZE_RATIO}×",
                    crate::resilience::count(large.units)
                )
            } else {
                format!(
                    "; memory growth per connection not compared: {} {noun} on each of {} connections, {ratio:.1}× the smaller run's, fewer than {MIN_SIZE_RATIO}× ({} per connection)",
                    crate::resilience::count(large.units_per_connection() as u64),
                    crate::resilience::count(cl),
                    kib(gl_each)
                )
            };
        } else if gl > RSS_NOISE_KIB && gl_each as f64 > limit * gs_each.max(RSS_NOISE_KIB / 4 / cs) as f64 {
            return (
                HarmClass::Vulnerable,
                format!(
                    "memory grows with the attack: RSS +{} at {} {noun}, +{} at {} (from before the first; more than {limit:.1}× for {ratio:.1}× the attack, no reaction)",
                    kib(gs),
                    crate::resilience::count(small.units),
                    kib(gl),
                    crate::resilience::count(large.units)
                ),
            );
        }
        if let (Some(cs), Some(cl)) = (small.cpu_per_frame(), large.cpu_per_frame()) {
            if pl.cpu_ms > CPU_NOISE_MS && cl > CPU_GROWTH_RATIO * cs.max(CPU_NOISE_MS as f64 / large.frames.max(1) as f64) {
                return (
                    HarmClass::Vulnerable,
                    format!(
                        "CPU per frame grows with the attack: {:.1} µs at {} {noun}, {:.1} µs at {} (more than {CPU_GROWTH_RATIO}×, no reaction)",
                        cs * 1000.0,
                        crate::resilience::count(small.units),
                        cl * 1000.0,
                        crate::resilience::count(large.units)
                    ),
                );
            }
        }
    }
    let proc_story = match &large.proc {
        Some(p) => format!(", RSS +{} and {} ms CPU at {} {noun}", kib(p.growth_kib()), p.cpu_ms, crate::resilience::count(large.units)),
        None => " (no process figures: judged on the canary alone)".to_string(),
    };
    (
        HarmClass::Absorbed,
        format!("no reaction, harm bounded{proc_story}; the canary held ({}){unmeasured}", canary_story(large)),
    )
}

/// Why one run shows harm, whatever the server did on the attacking connection.
fn harmed(r: &HarmRun, noun: &str) -> Option<String> {
    let at = format!("at {} {noun}", crate::resilience::count(r.units));
    if let Some(p) = &r.proc {
        if !p.alive_after {
            return Some(format!("the server process died {at} ({})", p.found));
        }
        let each = r.growth_each_kib().unwrap_or(0);
        if each > RSS_ABSOLUTE_KIB {
            let who = if r.connections > 1 { format!("each of {} attacking connections", r.connections) } else { "one attacking connection".into() };
            return Some(format!("{who} took {} of server memory {at} (limit {})", kib(each), kib(RSS_ABSOLUTE_KIB)));
        }
    }
    let c = &r.canary;
    if c.after.answered == 0 && c.after.failed > 0 {
        return Some(format!("the server stopped answering {at}: no canary answered after the attack ({})", c.after.describe()));
    }
    if c.during.samples() >= MIN_CANARY_SAMPLES && c.during.failed_share() > CANARY_MAX_FAILED_SHARE {
        return Some(format!("the canary went unanswered during the attack {at}: {}", c.during.describe()));
    }
    if c.before.samples() < MIN_CANARY_SAMPLES {
        return None;
    }
    let base = c.before.median_us?;
    for (phase, l) in [("during", &c.during), ("after", &c.after)] {
        if l.samples() < MIN_CANARY_SAMPLES {
            continue;
        }
        if let Some(p90) = l.p90_us {
            if p90 as f64 > base as f64 * CANARY_FACTOR && p90 > base + CANARY_FLOOR_US {
                return Some(format!(
                    "the canary degraded {phase} the attack {at}: p90 {} against a median of {} before (more than {CANARY_FACTOR}× and {} slower)",
                    crate::resilience::millis(p90),
                    crate::resilience::millis(base),
                    crate::resilience::millis(CANARY_FLOOR_US)
                ));
            }
        }
    }
    None
}

/// The phases of one run with some canaries, but too few to judge: `during the attack at
/// 800 streams (3 canaries)`. A phase with none (a reaction that came at once) is not news.
fn too_few_canaries(r: &HarmRun, noun: &str) -> Option<String> {
    let c = &r.canary;
    let thin: Vec<String> = [("before", &c.before), ("during", &c.during), ("after", &c.after)]
        .iter()
        .filter(|(_, l)| (1..MIN_CANARY_SAMPLES).contains(&l.samples()))
        .map(|(phase, l)| format!("{phase} the attack ({} canaries)", l.samples()))
        .collect();
    (!thin.is_empty()).then(|| format!("{} at {} {noun}", thin.join(" and "), crate::resilience::count(r.units)))
}

fn canary_story(r: &HarmRun) -> String {
    format!("before {}; during {}; after {}", r.canary.before.describe(), r.canary.during.describe(), r.canary.after.describe())
}

/// `12.5 MiB`, `640 KiB`.
pub fn kib(k: u64) -> String {
    if k >= 10 * 1024 {
        format!("{:.1} MiB", k as f64 / 1024.0)
    } else {
        format!("{k} KiB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lat(us: &[u64], failed: u32) -> Latency {
        Latency::of(us.iter().map(|u| Some(*u)).chain((0..failed).map(|_| None)))
    }

    /// `n` canaries at 400 µs, then `tail`.
    fn steady(n: usize, tail: &[u64]) -> Vec<u64> {
        std::iter::repeat_n(400, n).chain(tail.iter().copied()).collect()
    }

    fn calm() -> CanaryHarm {
        CanaryHarm { before: lat(&steady(7, &[600]), 0), during: lat(&steady(7, &[1200]), 0), after: lat(&steady(8, &[]), 0) }
    }

    fn run(units: u64, growth_kib: u64, cpu_ms: u64) -> HarmRun {
        HarmRun {
            size: units,
            units,
            connections: 1,
            frames: units * 2,
            send_us: 100_000,
            proc: Some(ProcHarm {
                found: "pid 7 (listener 127.0.0.1:8080)".into(),
                cpu_ms,
                rss_before_kib: 10_000,
                rss_peak_kib: 10_000 + growth_kib,
                rss_after_kib: 10_000,
                alive_after: true,
            }),
            canary: calm(),
            ..HarmRun::default()
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let l = Latency::of((1..=100).map(Some));
        assert_eq!((l.median_us, l.p90_us, l.p99_us, l.answered), (Some(50), Some(90), Some(99), 100));
        let l = Latency::of([Some(5), None]);
        assert_eq!((l.median_us, l.p99_us, l.failed), (Some(5), Some(5), 1));
        assert_eq!(Latency::of([]).p99_us, None);
    }

    #[test]
    fn a_reaction_with_the_canary_intact_is_mitigated_with_k() {
        let mut r = run(25_000, 500, 30);
        r.reaction = Some("GOAWAY(ENHANCE_YOUR_CALM) + close".into());
        r.k = Some(1000);
        r.k_of = Some("streams, from its last stream id".into());
        let (class, why) = classify(&[r], "streams");
        assert_eq!(class, HarmClass::Mitigated);
        assert!(why.starts_with("GOAWAY(ENHANCE_YOUR_CALM) + close after K = 1 000 (streams, from its last stream id)"), "{why}");
    }

    #[test]
    fn bounded_harm_at_n_and_4n_is_absorbed() {
        let (class, why) = classify(&[run(25_000, 2_000, 50), run(100_000, 3_000, 190)], "PINGs");
        assert_eq!(class, HarmClass::Absorbed, "{why}");
        assert!(why.contains("RSS +3000 KiB and 190 ms CPU at 100 000 PINGs"), "{why}");
    }

    #[test]
    fn memory_growing_with_the_attack_is_vulnerable() {
        let (class, why) = classify(&[run(25_000, 6_000, 50), run(100_000, 24_000, 190)], "PINGs");
        assert_eq!(class, HarmClass::Vulnerable);
        assert!(
            why.starts_with("memory grows with the attack: RSS +6000 KiB at 25 000 PINGs, +23.4 MiB at 100 000 (from before the first; more than 2.0× for 4.0× the attack"),
            "{why}"
        );
        // Growth below the noise floor is not harm, whatever the ratio.
        assert_eq!(classify(&[run(25_000, 100, 0), run(100_000, 8_000, 0)], "PINGs").0, HarmClass::Absorbed);
        // Too much for one connection, even with a reaction.
        let mut r = run(25_000, 300 * 1024, 10);
        r.reaction = Some("GOAWAY".into());
        assert_eq!(classify(&[r], "x").0, HarmClass::Vulnerable);
    }

    #[test]
    fn memory_growth_is_judged_against_the_units_each_run_reached() {
        // The larger run's time bound stopped it at 2.2×N: per-unit memory grows 2.2×, above
        // √2.2 ≈ 1.48, where a fixed 2× would have called it bounded in one run and not the next.
        let (class, why) = classify(&[run(20_000, 12_000, 50), run(44_000, 26_400, 100)], "streams");
        assert_eq!(class, HarmClass::Vulnerable, "{why}");
        assert!(why.contains("more than 1.5× for 2.2× the attack"), "{why}");
        // The same buffers reused: bounded.
        assert_eq!(classify(&[run(20_000, 20_000, 50), run(44_000, 24_000, 100)], "streams").0, HarmClass::Absorbed);
        // Runs too close in size cannot tell the two apart, and the verdict says so.
        let (class, why) = classify(&[run(20_000, 12_000, 50), run(30_000, 40_000, 75)], "streams");
        assert_eq!(class, HarmClass::Absorbed, "{why}");
        assert!(why.ends_with("memory growth not compared: the larger run sent 30 000 streams, 1.5× the smaller, fewer than 2×"), "{why}");
    }

    #[test]
    fn memory_of_many_connections_is_judged_per_connection() {
        // 8 then 32 connections of 100 held streams: 4× the memory is 4× the connections, each
        // costing the same; that is not growth with the attack.
        let many = |units: u64, growth: u64| HarmRun { connections: units / 100, ..run(units, growth, 50) };
        let (class, why) = classify(&[many(800, 8_000), many(3_200, 32_000)], "streams");
        assert_eq!(class, HarmClass::Absorbed, "{why}");
        assert!(why.ends_with("memory growth per connection not compared: 100 streams on each of 32 connections, 1.0× the smaller run's, fewer than 2× (1000 KiB per connection)"), "{why}");
        // What each pins is bounded, without a reaction…
        let (class, why) = classify(&[many(800, 8 * 20 * 1024), many(3_200, 32 * 20 * 1024)], "streams");
        assert_eq!(class, HarmClass::Vulnerable);
        assert!(why.starts_with("each of 8 attacking connections pinned 20.0 MiB of server memory at 800 streams, with no reaction (limit 16.0 MiB a connection)"), "{why}");
        assert_eq!(classify(&[many(800, 8 * 5 * 1024), many(3_200, 32 * 5 * 1024)], "streams").0, HarmClass::Absorbed, "Apache's 5 MiB");
        // …not with one: a server that reaps held connections bounds how long it pins them.
        let mut reaped = many(800, 8 * 20 * 1024);
        reaped.reaction = Some("GOAWAY(ENHANCE_YOUR_CALM)".into());
        assert_eq!(classify(&[reaped], "streams").0, HarmClass::Mitigated);
        // The absolute bound holds for each of them, whatever the reaction.
        let (class, why) = classify(&[many(3_200, 32 * 300 * 1024)], "streams");
        assert_eq!(class, HarmClass::Vulnerable);
        assert!(why.starts_with("each of 32 attacking connections took 300.0 MiB of server memory"), "{why}");
    }

    #[test]
    fn cpu_per_frame_growing_is_vulnerable() {
        let (class, why) = classify(&[run(10_000, 0, 100), run(40_000, 0, 2_000)], "PRIORITY frames");
        assert_eq!(class, HarmClass::Vulnerable, "{why}");
        assert!(why.starts_with("CPU per frame grows with the attack: 5.0 µs at 10 000"), "{why}");
        assert_eq!(classify(&[run(10_000, 0, 100), run(40_000, 0, 420)], "x").0, HarmClass::Absorbed, "linear CPU is bounded per frame");
        assert_eq!(classify(&[run(10_000, 0, 1), run(40_000, 0, 150)], "x").0, HarmClass::Absorbed, "below the CPU noise floor");
    }

    #[test]
    fn canary_harm_is_vulnerable_whatever_the_reaction() {
        let mut r = run(25_000, 0, 10);
        r.reaction = Some("GOAWAY".into());
        r.canary.during = lat(&steady(7, &[800_000]), 0);
        let (class, why) = classify(&[r.clone()], "streams");
        assert_eq!(class, HarmClass::Vulnerable);
        assert!(
            why.starts_with("the canary degraded during the attack at 25 000 streams: p90 800 ms against a median of 0.4 ms before (more than 10× and 200 ms slower)"),
            "{why}"
        );
        r.canary.during = lat(&steady(6, &[]), 3);
        assert!(classify(&[r.clone()], "streams").1.contains("went unanswered during the attack"));
        r.canary.during = lat(&steady(8, &[]), 0);
        r.canary.after = lat(&[], 4);
        assert!(classify(&[r.clone()], "streams").1.contains("stopped answering"));
        r.canary.after = lat(&steady(8, &[]), 0);
        if let Some(p) = r.proc.as_mut() {
            p.alive_after = false;
        }
        assert!(classify(&[r], "streams").1.starts_with("the server process died at 25 000 streams"));
        // Slower, but within the floor: noise.
        let mut r = run(25_000, 0, 10);
        r.canary.during = lat(&steady(7, &[90_000]), 0);
        assert_eq!(classify(&[r], "x").0, HarmClass::Absorbed);
    }

    #[test]
    fn one_slow_canary_in_a_phase_is_noise_and_one_in_ten_is_harm() {
        // 16 canaries during (400 ms of them): one scheduled late is not the server's doing.
        let mut r = run(25_000, 0, 10);
        r.canary.during = lat(&steady(15, &[400_000]), 0);
        assert_eq!(classify(&[r.clone()], "x").0, HarmClass::Absorbed);
        // Two of them, an eighth of the phase: every eighth user waited.
        r.canary.during = lat(&steady(14, &[400_000, 450_000]), 0);
        assert_eq!(classify(&[r.clone()], "x").0, HarmClass::Vulnerable);
        // A baseline with its own slow canary is still judged from its median.
        r.canary.before = lat(&steady(15, &[150_000]), 0);
        let (class, why) = classify(&[r], "x");
        assert_eq!(class, HarmClass::Vulnerable, "{why}");
        assert!(why.contains("p90 400 ms against a median of 0.4 ms before"), "{why}");
    }

    #[test]
    fn too_few_canaries_do_not_make_a_class_vulnerable_alone() {
        // Two canaries during a short attack, one slow: its p99 is that one, noise.
        let mut r = run(25_000, 0, 10);
        r.canary.during = lat(&[400, 800_000], 0);
        let (class, why) = classify(&[r.clone()], "streams");
        assert_eq!(class, HarmClass::Absorbed, "{why}");
        assert!(why.contains("canary not judged during the attack (2 canaries) at 25 000 streams (fewer than 8: judged on the other figures)"), "{why}");
        // One of two lost: a share of a half, from one canary.
        r.canary.during = lat(&[400], 1);
        assert_eq!(classify(&[r.clone()], "streams").0, HarmClass::Absorbed);
        // A thin baseline cannot be the reference either.
        r.canary.during = lat(&steady(7, &[800_000]), 0);
        r.canary.before = lat(&[400, 500], 0);
        let (class, why) = classify(&[r.clone()], "streams");
        assert_eq!(class, HarmClass::Absorbed, "{why}");
        assert!(why.contains("before the attack (2 canaries)"), "{why}");
        // The other figures still judge: memory per connection beyond the absolute bound.
        if let Some(p) = r.proc.as_mut() {
            p.rss_peak_kib += 300 * 1024;
        }
        assert_eq!(classify(&[r.clone()], "streams").0, HarmClass::Vulnerable);
        // Every canary after the attack unanswered is no statistic: one suffices.
        let mut r = run(25_000, 0, 10);
        r.canary.after = lat(&[], 1);
        assert!(classify(&[r], "streams").1.contains("stopped answering"));
        // A phase with no canary at all (a reaction at once) is not worth a note.
        let mut r = run(25_000, 0, 10);
        r.reaction = Some("GOAWAY".into());
        r.canary.during = lat(&[], 0);
        assert!(!classify(&[r], "streams").1.contains("not judged"));
    }

    #[test]
    fn a_server_that_stopped_reading_is_said_to() {
        let mut r = run(25_000, 0, 10);
        r.stalled = true;
        r.octets_sent = 212_992;
        let (class, why) = classify(&[r], "CONTINUATIONs");
        assert_eq!(class, HarmClass::Absorbed);
        assert!(why.contains("the server stopped reading at 25 000 CONTINUATIONs (212 992 octets sent"), "{why}");
    }

    #[test]
    fn remote_targets_say_they_are_judged_on_the_canary() {
        let mut a = run(1, 0, 0);
        let mut b = run(4, 0, 0);
        a.proc = None;
        b.proc = None;
        let (class, why) = classify(&[a, b], "x");
        assert_eq!(class, HarmClass::Absorbed);
        assert!(why.contains("no process figures: judged on the canary alone"), "{why}");
    }

    #[test]
    fn series_are_thinned_to_a_bound() {
        let pts: Vec<Point> = (0..1000).map(|i| Point { t_ms: i, v: Some(u64::from(i)) }).collect();
        let t = thin(pts);
        assert_eq!(t.len(), MAX_POINTS);
        assert_eq!((t[0].t_ms, t[MAX_POINTS - 1].t_ms), (0, 999));
    }
}
