//! The runner: every case on its own connection, several at once, each bounded in time.

use crate::case::{Case, Ctx, Script, Step};
use crate::conn::{Conn, ConnOptions, ReadBudget, Retained};
use crate::event::Event;
use crate::judge::{End, Judge, FENCE};

/// Opaque data of the PING that [`Step::NoResponseYet`] sends.
const PROBE: [u8; 8] = *b"h2pprobe";
/// How long [`Step::NoResponseYet`] reads on past the PING's ACK: servers that answer from
/// another task may need a moment.
const NO_RESPONSE_SETTLE: Duration = Duration::from_millis(20);
/// Octets kept of each text of a verdict (what was observed, expected, the reason). Every
/// verdict about a conforming server is well under 1 KiB; the texts quote the server's
/// frames, whose printed form a server chooses (a SETTINGS frame with thousands of
/// parameters), so each is cut with a marker past 4 KiB.
pub const MAX_VERDICT_TEXT: usize = 4096;
use crate::model::{CaseResult, DecidedBy, RunReport, Verdict};
use crate::resilience::FloodLimits;
use crate::safety::FloodPermit;
use crate::transcript::{bound_text, RunBudget};
use crate::transport::{Connector, Scheme, Target};
use h2probe_codec::frame::Frame;
use h2probe_codec::{frames, StreamId};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Per-wait deadline of a case (h2spec's `--timeout`, but in milliseconds).
    pub timeout: Duration,
    /// Cases in flight at once.
    pub jobs: usize,
    /// Refuse lenient answers.
    pub strict: bool,
    /// Deadline of the whole run; cases not finished by then are reported as errors.
    pub overall: Duration,
    /// Send the PING fence after violations. Off only to compare against waiting.
    pub fence: bool,
    /// Bounds of every flood (`--max-frames`, `--max-seconds`).
    pub limits: FloodLimits,
    /// Permission to run flood cases; without it they end as errors, unsent. Only
    /// [`crate::safety::authorize`] makes one.
    pub flood_permit: Option<FloodPermit>,
    /// `--server-pid`: the server process whose CPU and RSS an attack measures, in place
    /// of the owners of the target's listening socket.
    pub server_pid: Option<u32>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_millis(2000),
            jobs: 8,
            strict: false,
            overall: Duration::from_secs(600),
            fence: true,
            limits: FloodLimits::default(),
            flood_permit: None,
            server_pid: None,
        }
    }
}

/// How long a verdict waits for a late error after the fence was acknowledged: some
/// servers queue an RST_STREAM behind the PING ACK they write first.
pub fn fence_grace(timeout: Duration) -> Duration {
    (timeout / 20).clamp(Duration::from_millis(50), Duration::from_millis(250))
}

/// Called with each result as it completes (progress bars).
pub type Progress = Arc<dyn Fn(&CaseResult) + Send + Sync>;

/// Runs `cases` against `target` and collects the report, in catalogue order. Conformance
/// cases run `jobs` at a time; flood cases run afterwards, one at a time, so that each
/// flood's probes measure that flood alone and no other case competes with it.
pub async fn run(
    cases: Vec<&'static Case>,
    target: Arc<Target>,
    connector: Arc<Connector>,
    opts: RunOptions,
    known_failures: &std::collections::HashMap<String, String>,
    progress: Option<Progress>,
) -> RunReport {
    let started = Instant::now();
    let started_at = std::time::SystemTime::now();
    let overall_deadline = started + opts.overall;
    let budget = Arc::new(RunBudget::new());
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    let (passive, active): (Vec<_>, Vec<_>) = cases.iter().copied().enumerate().partition(|(_, c)| c.is_passive());
    let (floods, others): (Vec<_>, Vec<_>) = active.into_iter().partition(|(_, c)| c.is_flood());
    for (phase, jobs) in [(others, opts.jobs.max(1)), (floods, 1)] {
        let sem = Arc::new(Semaphore::new(jobs));
        let mut set = tokio::task::JoinSet::new();
        for (i, case) in phase {
            let (sem, target, connector, opts, progress, budget) =
                (sem.clone(), target.clone(), connector.clone(), opts.clone(), progress.clone(), budget.clone());
            let known = known_failures.get(case.id).cloned();
            set.spawn(async move {
                let slot = sem.acquire_owned().await.ok();
                let mut result = if Instant::now() >= overall_deadline {
                    not_run(case, "the run's overall deadline passed before this case started", DecidedBy::Deadline)
                } else {
                    match tokio::time::timeout_at(overall_deadline, run_case_in_slot(case, &target, &connector, &opts, slot, Some(&budget))).await {
                        Ok((r, _)) => r,
                        Err(_) => not_run(case, "the run's overall deadline passed while this case ran", DecidedBy::Deadline),
                    }
                };
                result.known_failure = known;
                if let Some(p) = &progress {
                    p(&result);
                }
                (i, result)
            });
        }
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok((i, r)) => results[i] = Some(r),
                // A panic in a case is our bug, never the server's: report it as an error.
                Err(e) => eprintln!("h2probe: internal error in a case task: {e}"),
            }
        }
    }
    // The passive checks, once every connection of the run has been watched.
    let ran: Vec<CaseResult> = results.iter().flatten().cloned().collect();
    for (i, case) in passive {
        let mut r = passive_result(case, &ran);
        r.known_failure = known_failures.get(case.id).cloned();
        if let Some(p) = &progress {
            p(&r);
        }
        results[i] = Some(r);
    }
    let results = results
        .into_iter()
        .zip(cases)
        .map(|(r, c)| r.unwrap_or_else(|| not_run(c, "internal error: the case task panicked", DecidedBy::Setup)))
        .collect();
    RunReport {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        target: target.url(),
        strict: opts.strict,
        duration_ms: started.elapsed().as_millis() as u64,
        results,
        started_at: Some(humantime::format_rfc3339_seconds(started_at).to_string()),
        // The caller knows the rest (the binary's commit, the first handshake's SETTINGS).
        ..RunReport::default()
    }
}

/// The result of a passive check over the results of a run: the first connection that broke
/// its rule, or a pass when none did, or a skip when no connection gave it occasion.
pub fn passive_result(case: &Case, results: &[CaseResult]) -> CaseResult {
    let exercised: u64 = results.iter().filter_map(|r| r.checked.get(case.id)).sum();
    let connections = results.iter().filter(|r| r.checked.contains_key(case.id)).count();
    let first = results.iter().find_map(|r| r.server_output.iter().find(|f| f.check == case.id).map(|f| (r, f)));
    let rule = crate::model::Citation { section: case.section.to_string(), text: case.requirement.to_string() };
    let (verdict, transcript) = match first {
        Some((r, f)) => (
            Verdict::Fail {
                expected: case.description.to_string(),
                actual: format!("{} (in case {}, {} ms into its connection)", f.detail, r.info.id, f.at_ms),
                rule,
            },
            r.transcript.clone(),
        ),
        None if exercised == 0 => (
            Verdict::Skip { reason: "no connection of this run gave the server occasion to break this rule".into() },
            vec![],
        ),
        None => (
            Verdict::Pass {
                observed: format!("no connection broke it ({exercised} frames or blocks checked on {connections} connections)"),
                rule,
            },
            vec![],
        ),
    };
    CaseResult {
        info: case.info(),
        verdict,
        decided_by: DecidedBy::Event,
        known_failure: None,
        duration_ms: 0,
        duration_us: 0,
        transcript,
        server_output: vec![],
        checked: Default::default(),
        harm: None,
    }
}

fn not_run(case: &Case, why: &str, decided_by: DecidedBy) -> CaseResult {
    CaseResult {
        info: case.info(),
        verdict: Verdict::Error { problem: why.to_string() },
        decided_by,
        known_failure: None,
        duration_ms: 0,
        duration_us: 0,
        transcript: vec![],
        server_output: vec![],
        checked: Default::default(),
        harm: None,
    }
}

/// Attempts a case whose check needs its stream open gets, when the server keeps finishing
/// the stream first: each attempt is a fair trial on a fresh connection, and a server that
/// wins the race 1 time in 20 (Caddy under load) would otherwise flip between a verdict and
/// a skip from run to run.
pub const RACE_ATTEMPTS: u32 = 5;

/// Runs one case on a fresh connection.
pub async fn run_case(case: &Case, target: &Target, connector: &Connector, opts: &RunOptions) -> CaseResult {
    run_case_in_slot(case, target, connector, opts, None, None).await.0
}

/// [`run_case`], also returning the most its connection held at once (see [`Retained`]):
/// what the hostile-server tests assert bounds on.
pub async fn run_case_measured(case: &Case, target: &Target, connector: &Connector, opts: &RunOptions) -> (CaseResult, Retained) {
    run_case_in_slot(case, target, connector, opts, None, None).await
}

/// The deadline of a case whose script is `script`, from the moment it starts connecting:
/// that of one attempt ([`attempt_deadline`]), times [`RACE_ATTEMPTS`] for a check that
/// needs its stream open (each attempt that loses the race is retried on a fresh
/// connection, with a deadline of its own).
pub fn case_deadline(script: &Script, opts: &RunOptions) -> Duration {
    let one = attempt_deadline(script, opts);
    if script.needs_open.is_some() {
        one * RACE_ATTEMPTS
    } else {
        one
    }
}

/// The deadline of one attempt at a case, from the moment it starts connecting: the waits
/// it may make, each at most `timeout` — the connection, the handshake, the writes (once:
/// after a write times out nothing more is written), each step that waits ([`Step::Await`],
/// [`Step::NoResponseYet`] with its settling), the pauses, and the wait for the verdict. An
/// attack case has [`crate::attack::deadline`]. The attempt's connection is cut at this
/// instant, so it ends by then whatever the server sends.
pub fn attempt_deadline(script: &Script, opts: &RunOptions) -> Duration {
    if let Some(Step::Attack(a)) = script.steps.iter().find(|s| matches!(s, Step::Attack(_))) {
        return crate::attack::deadline(opts.timeout, &opts.limits, a);
    }
    let mut total = opts.timeout * 4;
    for step in &script.steps {
        total += match step {
            Step::Await(_) => opts.timeout,
            Step::NoResponseYet(_) => opts.timeout + NO_RESPONSE_SETTLE,
            Step::Pause(d) => *d,
            Step::Send(_) | Step::Attack(_) => Duration::ZERO,
        };
    }
    total
}

/// The deadline of `case` as [`case_deadline`] computes it for the script `ctx` makes (a
/// case whose script declines to run only connects and makes the handshake).
pub fn deadline_of(case: &Case, ctx: &Ctx, opts: &RunOptions) -> Duration {
    match (case.script)(ctx) {
        Ok(script) => case_deadline(&script, opts),
        Err(_) => opts.timeout * 2,
    }
}

/// Cuts every text of a verdict to [`MAX_VERDICT_TEXT`] (the citations are ours and stay).
fn bound_verdict(v: Verdict) -> Verdict {
    let b = |t: String| bound_text(t, MAX_VERDICT_TEXT);
    match v {
        Verdict::Pass { observed, rule } => Verdict::Pass { observed: b(observed), rule },
        Verdict::Alternative { observed, alternative, rule } => Verdict::Alternative { observed: b(observed), alternative: b(alternative), rule },
        Verdict::Lenient { observed, strict_expected, rule } => Verdict::Lenient { observed: b(observed), strict_expected: b(strict_expected), rule },
        Verdict::Fail { expected, actual, rule } => Verdict::Fail { expected: b(expected), actual: b(actual), rule },
        Verdict::Skip { reason } => Verdict::Skip { reason: b(reason) },
        Verdict::Error { problem } => Verdict::Error { problem: b(problem) },
    }
}

/// [`run_case`] holding one of the run's `--jobs` slots. The slot is given back when the
/// case starts its fence grace period: from then on it only waits for a late error, and a
/// server that ignores several violations would otherwise keep every slot idle for the
/// grace time while other cases queue behind them. `budget` is the run's transcript budget.
async fn run_case_in_slot(
    case: &Case,
    target: &Target,
    connector: &Connector,
    opts: &RunOptions,
    slot: Option<OwnedSemaphorePermit>,
    budget: Option<&RunBudget>,
) -> (CaseResult, Retained) {
    run_case_attempt(case, target, connector, opts, slot, budget, 0).await
}

async fn run_case_attempt(
    case: &Case,
    target: &Target,
    connector: &Connector,
    opts: &RunOptions,
    mut slot: Option<OwnedSemaphorePermit>,
    budget: Option<&RunBudget>,
    attempt: u32,
) -> (CaseResult, Retained) {
    let started = Instant::now();
    let finish_with = |(verdict, decided_by): (Verdict, DecidedBy), conn: Option<Conn>, harm: Option<crate::harm::HarmReport>| {
        let (retained, (transcript, server_output, checked)) = match conn {
            Some(mut c) => (c.retained(), c.finish()),
            None => (Retained::default(), Default::default()),
        };
        let transcript = match budget {
            Some(b) => b.charge(transcript),
            None => transcript,
        };
        let result = CaseResult {
            info: case.info(),
            verdict: bound_verdict(verdict),
            decided_by,
            known_failure: None,
            duration_ms: started.elapsed().as_millis() as u64,
            duration_us: started.elapsed().as_micros() as u64,
            transcript,
            server_output,
            checked,
            harm,
        };
        (result, retained)
    };
    let finish = |v: (Verdict, DecidedBy), conn: Option<Conn>| finish_with(v, conn, None);
    // Floods go only where `safety::authorize` allowed them, over connections it opens.
    let permit = match (case.is_flood(), &opts.flood_permit) {
        (false, _) => None,
        (true, Some(p)) => Some(p),
        (true, None) => {
            return finish(
                (
                    Verdict::Error { problem: "flood cases need a flood permit (h2probe stress, or conform with the target's loopback check)".into() },
                    DecidedBy::Setup,
                ),
                None,
            )
        }
    };
    let connected = match permit {
        Some(p) => p.connect(connector, opts.timeout).await,
        None => connector.connect(opts.timeout).await,
    };
    let io = match connected {
        Ok(io) => io,
        Err(e) => return finish((Verdict::Error { problem: e.to_string() }, DecidedBy::Setup), None),
    };
    let mut options = ConnOptions {
        auto_window_update: case.setup.auto_window_update,
        tls: target.scheme == Scheme::Tls,
        // A flood's server answers every flood frame; there only counts are kept, and the
        // flood's own bounds end it.
        read_budget: if case.is_flood() { ReadBudget::UNLIMITED } else { ReadBudget::CASE },
        ..ConnOptions::default()
    };
    options.settings = case.setup.our_settings(options.settings);
    let mut conn = Conn::new(io, options);
    // Until the script is known, the case may take the connection and the handshake.
    conn.set_limit(started + opts.timeout * 2);
    if case.setup.handshake {
        if let Err(e) = conn.handshake(Instant::now() + opts.timeout).await {
            let verdict = Verdict::Error { problem: format!("handshake failed: {e}") };
            return finish((verdict, DecidedBy::Setup), Some(conn));
        }
    }
    let ctx = Ctx {
        scheme: match target.scheme {
            Scheme::H2c => "http",
            Scheme::Tls => "https",
        },
        authority: target.authority.clone(),
        path: target.path.clone(),
        server: conn.server.clone(),
        limits: opts.limits,
        request: None,
        marker: Vec::new(),
    };
    let script = match (case.script)(&ctx) {
        Ok(s) => s,
        Err(reason) => return finish((Verdict::Skip { reason }, DecidedBy::Setup), Some(conn)),
    };
    let deadline = started + attempt_deadline(&script, opts);
    conn.set_limit(deadline);
    if let Some(Step::Attack(attack)) = script.steps.iter().find(|s| matches!(s, Step::Attack(_))) {
        let Some(p) = permit else {
            return finish((Verdict::Error { problem: "internal: an attack step in a case not tagged 'flood'".into() }, DecidedBy::Setup), Some(conn));
        };
        let setting = crate::attack::Setting {
            permit: p,
            connector,
            target,
            server_pid: opts.server_pid,
            timeout: opts.timeout,
            limits: opts.limits,
            strict: opts.strict,
        };
        conn.transcript.note(format!("attack: {}", attack.unit_desc));
        let (verdict, harm) = crate::attack::execute(attack.clone(), &ctx, &setting).await;
        conn.transcript.note(format!("harm: {}: {}", harm.class, harm.why));
        return finish_with((verdict, DecidedBy::Event), Some(conn), Some(harm));
    }
    let (verdict, lost_race) = execute(&mut conn, script, case, opts, &mut slot).await;
    if lost_race && attempt + 1 < RACE_ATTEMPTS {
        conn.transcript.note("the server finished the stream before the check's frames were processed; trying again");
        return Box::pin(run_case_attempt(case, target, connector, opts, slot, budget, attempt + 1)).await;
    }
    finish(verdict, Some(conn))
}

/// What the events of the steps that wait without awaiting anything ([`Step::Pause`],
/// [`Step::NoResponseYet`]) leave for the verdict. They count for it as if judged after the
/// last step, as they always were; the judge is a pure state machine, so judging each as it
/// comes is the same, and nothing is kept of them but this: the first verdict they decided
/// and which watched streams were answered. A server that sends without pause while a case
/// waits grows nothing.
struct Waited {
    /// The first verdict the events decided, returned once the steps are done.
    verdict: Option<Verdict>,
    /// Streams of the script's [`Step::NoResponseYet`] steps.
    watched: Vec<StreamId>,
    /// Those of them a response arrived on.
    answered: Vec<StreamId>,
}

impl Waited {
    fn observe(&mut self, judge: &mut Judge, ev: &Event) {
        if let Event::Response { stream, .. } = ev {
            if self.watched.contains(stream) && !self.answered.contains(stream) {
                self.answered.push(*stream);
            }
        }
        if self.verdict.is_none() {
            self.verdict = judge.observe(ev);
        }
    }
}

/// The verdict when reading stopped before an answer: the case's deadline passed, or the
/// server sent more than the read budget. Nothing after that point is judged.
fn cut_short<S: Session>(conn: &mut S, judge: &mut Judge, started_wait: Instant, during: &str) -> (Verdict, DecidedBy) {
    if conn.budget_spent() {
        let (frames, octets) = conn.read_so_far();
        if let Some(v) = judge.overran(frames, octets) {
            return (v, DecidedBy::Event);
        }
        let problem = format!(
            "the peer sent {frames} frames ({octets} octets) {during} without a decisive answer, more than h2probe reads in one \
             case ({} frames, {} MiB); the case could not be judged",
            ReadBudget::CASE.frames,
            ReadBudget::CASE.octets >> 20
        );
        return (Verdict::Error { problem }, DecidedBy::Deadline);
    }
    let waited_ms = started_wait.elapsed().as_millis() as u64;
    conn.note(format!("the case's deadline passed {during}; nothing after it is judged"));
    (judge.finish(End::Deadline { waited_ms }), DecidedBy::Deadline)
}

/// What the steps of a script and the judge's wait need of the peer under test: one
/// connection to a server, or (client mode) the connection a client opened plus what else
/// the client did (its exit, further connections).
pub(crate) trait Session {
    /// Sends one thing.
    async fn send(&mut self, out: &crate::conn::Outgoing, deadline: Instant);
    /// Sends several things in one write.
    async fn send_all(&mut self, outs: &[crate::conn::Outgoing], deadline: Instant);
    /// The next event, or `None` when `deadline` passes first (or nothing more can come).
    async fn next_event(&mut self, deadline: Instant) -> Option<Event>;
    /// Whether the connection has ended.
    fn is_closed(&self) -> bool;
    /// A line in the transcript.
    fn note(&mut self, line: String);
    /// The judge for an expectation, set up for the peer under test.
    fn judge(&self, expect: crate::expectation::Expectation, strict: bool) -> Judge {
        Judge::new(expect, strict)
    }
    /// Whether the fence PING follows the script's frames.
    fn wants_fence(&self, expect: &crate::expectation::Expectation) -> bool {
        expect.wants_fence()
    }
    /// Reads events until `deadline`, handing each to `each` as it comes: nothing is kept,
    /// so a peer that sends without pause while a case waits grows no list.
    async fn drain_until(&mut self, deadline: Instant, mut each: impl FnMut(Event)) {
        while let Some(ev) = self.next_event(deadline).await {
            each(ev);
        }
    }
    /// The instant past which nothing of the case waits (its deadline), if the session has one.
    fn limit(&self) -> Option<Instant> {
        None
    }
    /// Whether the case's deadline ([`Session::limit`]) has passed.
    fn limit_passed(&self) -> bool {
        self.limit().is_some_and(|l| Instant::now() >= l)
    }
    /// Whether the peer sent more than the read budget, so nothing more is read.
    fn budget_spent(&self) -> bool {
        false
    }
    /// Frames and octets read from the peer so far.
    fn read_so_far(&self) -> (u64, u64) {
        (0, 0)
    }
    /// How many SETTINGS ACKs still to come answer SETTINGS already sent
    /// ([`Conn::settings_acks_owed`]).
    fn settings_acks_owed(&self) -> usize {
        0
    }
}

impl Session for Conn {
    async fn send(&mut self, out: &crate::conn::Outgoing, deadline: Instant) {
        Conn::send(self, out, deadline).await
    }
    async fn send_all(&mut self, outs: &[crate::conn::Outgoing], deadline: Instant) {
        Conn::send_all(self, outs, deadline).await
    }
    async fn next_event(&mut self, deadline: Instant) -> Option<Event> {
        Conn::next_event(self, deadline).await
    }
    fn is_closed(&self) -> bool {
        Conn::is_closed(self)
    }
    fn note(&mut self, line: String) {
        self.transcript.note(line)
    }
    async fn drain_until(&mut self, deadline: Instant, each: impl FnMut(Event)) {
        Conn::drain_until(self, deadline, each).await
    }
    fn limit(&self) -> Option<Instant> {
        Conn::limit(self)
    }
    fn budget_spent(&self) -> bool {
        Conn::budget_spent(self)
    }
    fn settings_acks_owed(&self) -> usize {
        Conn::settings_acks_owed(self)
    }
    fn read_so_far(&self) -> (u64, u64) {
        (self.frames_received() as u64, self.octets_received())
    }
}

async fn execute(
    conn: &mut Conn,
    script: crate::case::Script,
    case: &Case,
    opts: &RunOptions,
    slot: &mut Option<OwnedSemaphorePermit>,
) -> ((Verdict, DecidedBy), bool) {
    let mut lost_race = false;
    let v = execute_once(conn, script, case, opts, slot, &mut lost_race).await;
    (v, lost_race)
}

/// Runs a script's steps on `conn` and waits for the judge's verdict.
pub(crate) async fn execute_once<S: Session>(
    conn: &mut S,
    script: crate::case::Script,
    case: &Case,
    opts: &RunOptions,
    slot: &mut Option<OwnedSemaphorePermit>,
    lost_race: &mut bool,
) -> (Verdict, DecidedBy) {
    let mut judge =
        conn.judge(script.expect, opts.strict).citing(case.section, case.requirement).after_unacked_settings(conn.settings_acks_owed());
    // The ACKs owed before the last `Send`: a set-up step awaiting a SETTINGS ACK waits for
    // the one of that step's SETTINGS.
    let mut owed_before_send = conn.settings_acks_owed();
    if let Some(stream) = script.needs_open {
        judge = judge.needing_open(stream);
    }
    if !opts.fence {
        judge = judge.without_fence();
    }
    // Events read during pauses count for the final verdict; those an `Await` consumed were
    // the precondition (a response, the first window of DATA) and do not.
    let watched = script.steps.iter().filter_map(|s| if let Step::NoResponseYet(st) = s { Some(*st) } else { None }).collect();
    let mut waited = Waited { verdict: None, watched, answered: Vec::new() };
    let steps_started = Instant::now();
    for step in script.steps {
        match step {
            Step::Send(outs) => {
                owed_before_send = conn.settings_acks_owed();
                conn.send_all(&outs, Instant::now() + opts.timeout).await
            }
            Step::Pause(d) => conn.drain_until(Instant::now() + d, |ev| waited.observe(&mut judge, &ev)).await,
            Step::NoResponseYet(stream) => {
                conn.send(&frames::ping(PROBE).build().into(), Instant::now() + opts.timeout).await;
                let deadline = Instant::now() + opts.timeout;
                let mut acked = false;
                while !acked {
                    let Some(ev) = conn.next_event(deadline).await else { break };
                    acked = matches!(&ev, Event::Frame(Frame::Ping(p)) if p.ack && p.payload == PROBE);
                    waited.observe(&mut judge, &ev);
                }
                // Servers that answer from another task may need a moment past the ACK.
                conn.drain_until(Instant::now() + NO_RESPONSE_SETTLE, |ev| waited.observe(&mut judge, &ev)).await;
                if waited.answered.contains(&stream) {
                    let skip = Verdict::Skip {
                        reason: format!(
                            "the server answered on stream {stream} before the request body was sent (RFC 9113 §8.1 allows \
                             an early response), so a malformed body or trailer cannot be judged on this resource; point \
                             --path at a resource that reads the request body"
                        ),
                    };
                    return (skip, DecidedBy::Event);
                }
            }
            Step::Attack(_) => {
                return (Verdict::Error { problem: "internal: a flood step in a case not tagged 'flood'".into() }, DecidedBy::Setup);
            }
            Step::Await(exp) => {
                // A set-up step: a server that declines it (resets, closes, answers 404)
                // makes the case impossible here (skip); one that breaks a rule on the way
                // (a window overrun) fails it.
                let mut sub =
                    conn.judge(exp, false).citing(case.section, case.requirement).precondition().after_unacked_settings(owed_before_send);
                let deadline = Instant::now() + opts.timeout;
                let (v, by) = loop {
                    match conn.next_event(deadline).await {
                        Some(ev) => {
                            if matches!(&ev, Event::Frame(Frame::Settings(s)) if s.ack) {
                                judge.settings_ack_elsewhere();
                            }
                            if let Some(v) = sub.observe(&ev) {
                                break (v, DecidedBy::Event);
                            }
                            if sub.take_probe_request() && !conn.is_closed() {
                                conn.send(&frames::ping(FENCE).build().into(), Instant::now() + opts.timeout).await;
                            }
                        }
                        None if conn.budget_spent() => return cut_short(conn, &mut judge, steps_started, "during a set-up step"),
                        None => break (sub.finish(End::Deadline { waited_ms: opts.timeout.as_millis() as u64 }), DecidedBy::Deadline),
                    }
                };
                if !v.is_pass() {
                    return (v, by);
                }
            }
        }
        // A verdict the waiting steps' events decided stands; otherwise a case whose
        // deadline passed (or whose server outran the read budget) ends here.
        if waited.verdict.is_none() && (conn.limit_passed() || conn.budget_spent()) {
            return cut_short(conn, &mut judge, steps_started, "during the case's steps");
        }
    }
    if let Some(v) = waited.verdict {
        return (v, DecidedBy::Event);
    }
    let wants_fence = script.fence && opts.fence && conn.wants_fence(judge.expectation());
    if wants_fence && !conn.is_closed() {
        conn.send(&frames::ping(FENCE).build().into(), Instant::now() + opts.timeout).await;
    }
    let wait_started = Instant::now();
    // The case's own deadline (the session's limit) cuts the wait short, never lengthens it.
    let deadline = conn.limit().map_or(wait_started + opts.timeout, |l| l.min(wait_started + opts.timeout));
    // When the fence ACK arrived with nothing decisive before it: the verdict then waits
    // only for the grace period, unless the judge is still reading a response that began.
    let mut grace_from: Option<Instant> = None;
    loop {
        let until = match grace_from {
            Some(t) if judge.fence_acked() => deadline.min(t + fence_grace(opts.timeout)),
            _ => deadline,
        };
        match conn.next_event(until).await {
            Some(ev) => {
                if let Some(v) = judge.observe(&ev) {
                    let fence_ack = matches!(&ev, Event::Frame(Frame::Ping(p)) if p.ack && p.payload == FENCE);
                    return (v, if fence_ack { DecidedBy::Fence } else { DecidedBy::Event });
                }
                if judge.take_probe_request() && opts.fence && !conn.is_closed() {
                    conn.send(&frames::ping(FENCE).build().into(), Instant::now() + opts.timeout).await;
                }
                if judge.fence_acked() && grace_from.is_none() {
                    grace_from = Some(Instant::now());
                    drop(slot.take());
                }
            }
            None if conn.budget_spent() => return cut_short(conn, &mut judge, wait_started, "while the case waited for its answer"),
            None if judge.fence_acked() && Instant::now() < deadline => {
                conn.note("fence acknowledged; grace period over".into());
                let v = judge.finish(End::GraceExpired);
                *lost_race = judge.lost_race();
                return (v, DecidedBy::Fence);
            }
            None => {
                let waited_ms = if deadline < wait_started + opts.timeout {
                    conn.note("the case's deadline passed while it waited for its answer; nothing after it is judged".into());
                    deadline.saturating_duration_since(wait_started).as_millis() as u64
                } else {
                    opts.timeout.as_millis() as u64
                };
                conn.note(format!("deadline of {waited_ms} ms reached"));
                let v = judge.finish(End::Deadline { waited_ms });
                *lost_race = judge.lost_race();
                return (v, DecidedBy::Deadline);
            }
        }
    }
}
