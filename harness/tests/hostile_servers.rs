//! The tester against hostile servers (`support/hostile.rs`): whatever a server sends, a
//! case ends within its deadline (plus a margin for the machine, not a benchmark), is never
//! judged a pass on a hostile answer, and keeps what it holds under the named bounds. The
//! bounds are asserted on what the code keeps (counts of events, lines and octets, from
//! [`Retained`] and the result itself), never on timing or on the process's memory, which
//! `ci/bench/hostile.sh` measures.
//!
//! The cases are the catalogue's own (an §8.1.1 content-length case with its
//! "no response yet" wait, a GET, a PING connection error, a response that must complete,
//! floods), plus two local scripts where the catalogue has none (a 16 MB upload, a run).

mod support;

use h2probe_harness::case::{Case, Ctx, Script};
use h2probe_harness::checker::{MAX_FINDING_OCTETS, MAX_REMEMBERED_PING_ACKS, MAX_TRACKED_STREAMS};
use h2probe_harness::conn::{Outgoing, ReadBudget, Retained, MAX_FIELD_BLOCK, MAX_HELD_REPLIES, MAX_QUEUED_EVENTS, MAX_SERVER_SETTINGS, OUR_MAX_FRAME_SIZE};
use h2probe_harness::expectation::Expectation;
use h2probe_harness::model::{CaseResult, DecidedBy, RunReport, Verdict};
use h2probe_harness::resilience::FloodLimits;
use h2probe_harness::runner::{self, RunOptions, MAX_VERDICT_TEXT};
use h2probe_harness::safety::{authorize, Ownership};
use h2probe_harness::transcript::{DEFAULT_LIMIT, LINE_OVERHEAD, MAX_CASE_OCTETS, MAX_LINE_OCTETS};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::hostile::{self, Bounds, Mode};

/// The per-wait timeout of these runs.
const TIMEOUT: Duration = Duration::from_millis(800);
/// What a case may take past its deadline on a loaded test machine: a bound, not a benchmark.
const MARGIN: Duration = Duration::from_secs(1);
/// A case's result as JSON, at most: its transcript ([`MAX_CASE_OCTETS`], escaping doubles
/// at worst what is not already escaped, plus about 60 octets of structure per line), its
/// verdict texts and one finding per passive check, each bounded.
const MAX_RESULT_JSON: usize = 512 * 1024;

const CONTENT_LENGTH: &str = "rfc9113/8.1.1/content-length-too-large";
const GET: &str = "rfc9113/8.1/accepts-get";
const PING_ON_STREAM: &str = "rfc9113/6.7/nonzero-stream";
const COMPLETE: &str = "rfc9113/6.9.1/stream-window-at-maximum";

fn catalogue(id: &str) -> &'static Case {
    h2probe_cases::all().iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{id} is in the catalogue"))
}

/// One case's run against a hostile server.
struct Ran {
    mode: Mode,
    result: CaseResult,
    retained: Retained,
    took: Duration,
    deadline: Duration,
}

impl Ran {
    fn verdict(&self) -> &Verdict {
        &self.result.verdict
    }

    fn what(&self) -> String {
        format!("{} against {}", self.result.info.id, self.mode.name())
    }

    /// A failure or an error, with a reason a person can act on; never a pass.
    fn not_a_pass(&self) -> &Self {
        let v = self.verdict();
        assert!(matches!(v, Verdict::Fail { .. } | Verdict::Error { .. }), "{}: {v:?}", self.what());
        self
    }

    /// Ended by a bound while the server kept sending: the read budget (an error saying so)
    /// or, where the machine reads slower than the budget allows for, the deadline (a
    /// failure saying nothing decisive came).
    fn ended_by_a_bound(&self) -> &Self {
        match self.verdict() {
            Verdict::Fail { actual, .. } if actual.contains("nothing decisive within") => {
                assert_eq!(self.result.decided_by, DecidedBy::Deadline, "{}", self.what());
                self
            }
            // Where a connection error was due, frames without end are the answer: the
            // peer went on past the violation (Judge::overran).
            Verdict::Fail { actual, .. } if actual.contains("went on as if nothing was wrong") => self,
            _ => self.read_budget_error(),
        }
    }

    /// An error because the server outran the read budget while the case waited.
    fn read_budget_error(&self) -> &Self {
        match self.verdict() {
            Verdict::Error { problem } => assert!(problem.contains("more than h2probe reads in one case"), "{}: {problem}", self.what()),
            other => panic!("{}: expected the read budget's error, got {other:?}", self.what()),
        }
        assert_eq!(self.result.decided_by, DecidedBy::Deadline, "{}", self.what());
        self
    }

    fn fails_with(&self, needle: &str) -> &Self {
        match self.verdict() {
            Verdict::Fail { actual, .. } => assert!(actual.contains(needle), "{}: {actual}", self.what()),
            other => panic!("{}: expected a failure with {needle:?}, got {other:?}", self.what()),
        }
        self
    }

    fn transcript_has(&self, needle: &str) -> &Self {
        assert!(self.result.transcript.iter().any(|l| l.text.contains(needle)), "{}: no transcript line with {needle:?}", self.what());
        self
    }
}

fn opts() -> RunOptions {
    RunOptions { timeout: TIMEOUT, ..RunOptions::default() }
}

async fn run(mode: Mode, case: &Case) -> Ran {
    let url = hostile::serve(mode, Bounds::default()).await;
    run_at(mode, &url, case, &opts()).await
}

async fn run_at(mode: Mode, url: &str, case: &Case, opts: &RunOptions) -> Ran {
    let target = Target::parse(url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let deadline = runner::deadline_of(case, &Ctx::example(), opts);
    let start = Instant::now();
    let (result, retained) = runner::run_case_measured(case, &target, &connector, opts).await;
    let ran = Ran { mode, result, retained, took: start.elapsed(), deadline };
    eprintln!("{}: {:?} in {:?} (deadline {:?}); retained {:?}", ran.what(), ran.result.verdict, ran.took, ran.deadline, ran.retained);
    assert!(ran.took <= ran.deadline + MARGIN, "{}: took {:?}, its deadline is {:?}", ran.what(), ran.took, ran.deadline);
    assert_bounded(&ran, 16);
    ran
}

/// Every bound of what a case holds and keeps. `our_streams`: streams the case itself opens,
/// which the checker always tracks.
fn assert_bounded(ran: &Ran, our_streams: usize) {
    let (r, what) = (&ran.retained, ran.what());
    assert!(r.queued_events <= MAX_QUEUED_EVENTS, "{what}: {} events queued at once", r.queued_events);
    let frame = 9 + OUR_MAX_FRAME_SIZE as usize;
    assert!(r.read_buffer <= 2 * (frame + 16 * 1024), "{what}: read buffer of {} octets", r.read_buffer);
    assert!(r.field_block <= MAX_FIELD_BLOCK, "{what}: field block of {} octets", r.field_block);
    assert!(r.held_replies <= MAX_HELD_REPLIES, "{what}: {} replies held", r.held_replies);
    assert!(r.server_settings <= MAX_SERVER_SETTINGS, "{what}: {} settings kept", r.server_settings);
    assert!(r.transcript_lines <= DEFAULT_LIMIT, "{what}: {} transcript lines", r.transcript_lines);
    assert!(r.transcript_octets <= MAX_CASE_OCTETS, "{what}: {} transcript octets", r.transcript_octets);
    assert!(r.checker_streams <= MAX_TRACKED_STREAMS + our_streams, "{what}: {} streams tracked", r.checker_streams);
    assert!(r.checker_ping_acks <= MAX_REMEMBERED_PING_ACKS, "{what}: {} PING ACKs kept", r.checker_ping_acks);
    if !ran.result.info.tags.iter().any(|t| t == "flood") {
        assert!(r.frames_read <= ReadBudget::CASE.frames, "{what}: {} frames read", r.frames_read);
        assert!(r.octets_read <= ReadBudget::CASE.octets + frame as u64, "{what}: {} octets read", r.octets_read);
    }
    assert_result_bounded(&ran.result, &what);
}

/// What a result keeps: its transcript, verdict texts and findings, and its JSON form,
/// which must parse back to the same result whatever the server put in it.
fn assert_result_bounded(result: &CaseResult, what: &str) {
    let t = &result.transcript;
    assert!(t.len() <= DEFAULT_LIMIT + 1, "{what}: {} lines", t.len());
    assert!(t.iter().all(|l| l.text.len() <= MAX_LINE_OCTETS), "{what}: a line over {MAX_LINE_OCTETS} octets");
    let octets: usize = t.iter().map(|l| l.text.len() + LINE_OVERHEAD).sum();
    assert!(octets <= MAX_CASE_OCTETS + MAX_LINE_OCTETS, "{what}: {octets} transcript octets");
    let texts: Vec<&String> = match &result.verdict {
        Verdict::Pass { observed, .. } => vec![observed],
        Verdict::Alternative { observed, alternative, .. } => vec![observed, alternative],
        Verdict::Lenient { observed, strict_expected, .. } => vec![observed, strict_expected],
        Verdict::Fail { expected, actual, .. } => vec![expected, actual],
        Verdict::Skip { reason } => vec![reason],
        Verdict::Error { problem } => vec![problem],
    };
    assert!(texts.iter().all(|s| s.len() <= MAX_VERDICT_TEXT), "{what}: a verdict text over {MAX_VERDICT_TEXT} octets");
    assert!(result.server_output.iter().all(|f| f.detail.len() <= MAX_FINDING_OCTETS), "{what}: a finding over {MAX_FINDING_OCTETS} octets");
    let json = serde_json::to_string(result).expect("a result serialises");
    assert!(json.len() <= MAX_RESULT_JSON, "{what}: {} octets of JSON", json.len());
    let back: CaseResult = serde_json::from_str(&json).expect("the JSON parses");
    // `checked` is not part of the report.
    let sent = CaseResult { checked: Default::default(), ..result.clone() };
    assert_eq!(back, sent, "{what}: the JSON round-trips");
}

// Junk toward a case that waits (here: the §8.1.1 case's "no response yet" step, then its
// verdict wait; and a GET's wait for its response). None of it decides, so the server
// outruns the read budget (or, on a slow machine, the deadline) and the case says so.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_data_while_a_case_waits() {
    for id in [CONTENT_LENGTH, GET] {
        run(Mode::EndlessData, catalogue(id)).await.not_a_pass().ended_by_a_bound();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_unknown_frames_while_a_case_waits() {
    for id in [CONTENT_LENGTH, GET] {
        run(Mode::EndlessUnknown, catalogue(id)).await.not_a_pass().ended_by_a_bound();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_goaways_while_a_case_waits() {
    for id in [CONTENT_LENGTH, GET] {
        run(Mode::EndlessGoaway, catalogue(id)).await.not_a_pass().ended_by_a_bound();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_settings_while_a_case_waits() {
    for id in [CONTENT_LENGTH, GET] {
        let ran = run(Mode::EndlessSettings, catalogue(id)).await;
        ran.not_a_pass().ended_by_a_bound();
        // 2 000 parameters a frame: every SETTINGS line is cut.
        ran.transcript_has("octets cut]");
        assert!(ran.retained.server_settings <= MAX_SERVER_SETTINGS);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settings_frame_with_10000_parameters() {
    // A polite server otherwise: the GET is answered, the POST too (before its body, so the
    // §8.1.1 check cannot run: a skip saying why), and the PING on a stream is ignored.
    let ran = run(Mode::HugeSettings, catalogue(GET)).await;
    assert!(ran.verdict().is_pass(), "{:?}", ran.verdict());
    ran.transcript_has("octets cut]");
    assert_eq!(ran.retained.server_settings, MAX_SERVER_SETTINGS, "only the first {MAX_SERVER_SETTINGS} identifiers are kept");
    let ran = run(Mode::HugeSettings, catalogue(CONTENT_LENGTH)).await;
    assert!(matches!(ran.verdict(), Verdict::Skip { reason } if reason.contains("before the request body")), "{:?}", ran.verdict());
    run(Mode::HugeSettings, catalogue(PING_ON_STREAM)).await.fails_with("the violation was ignored");
}

// A server that floods the client faster than it can read fills the socket buffers: its
// answers (the fence's ACK, a response) sit behind megabytes of PINGs or SETTINGS, so the
// case ends on a bound, in time; before the deadlines were checked on every frame, the
// continuous stream kept single cases running for tens of seconds.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_flood_toward_the_client() {
    for id in [PING_ON_STREAM, GET] {
        let ran = run(Mode::PingFlood, catalogue(id)).await;
        if !ran.verdict().is_pass() {
            ran.ended_by_a_bound();
        }
        assert!(ran.retained.checker_ping_acks <= MAX_REMEMBERED_PING_ACKS);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_flood_toward_the_client() {
    let ran = run(Mode::SettingsFlood, catalogue(PING_ON_STREAM)).await;
    ran.not_a_pass();
    if !matches!(ran.verdict(), Verdict::Fail { actual, .. } if actual.contains("ignored")) {
        ran.ended_by_a_bound();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_octet_data_frames_for_a_large_body() {
    // The response must complete: 100 000 one-octet frames later it has not.
    run(Mode::TinyData, catalogue(COMPLETE)).await.not_a_pass().ended_by_a_bound();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_reads() {
    // Nothing is answered: the wait ends on its deadline and says so.
    let ran = run(Mode::NeverReads, catalogue(GET)).await;
    ran.fails_with("nothing decisive within");
    assert_eq!(ran.result.decided_by, DecidedBy::Deadline);
    // 16 MB of DATA toward it: the write times out, nothing more is written, the case ends
    // within its deadline.
    fn upload(ctx: &Ctx) -> Result<Script, String> {
        let mut frames: Vec<Outgoing> = vec![ctx.post(1).build().into()];
        for _ in 0..1024 {
            frames.push(h2probe_codec::frames::data(1, vec![0; 16_384]).build().into());
        }
        Ok(Script::send(frames, Expectation::served(1)))
    }
    let ran = run(Mode::NeverReads, &support::case("test/hostile-upload", upload)).await;
    ran.not_a_pass().transcript_has("write timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_in_every_text_field() {
    for id in [GET, PING_ON_STREAM, CONTENT_LENGTH] {
        let ran = run(Mode::Junk, catalogue(id)).await;
        if id == GET {
            // The status is a valid 200; the junk around it is for the passive checks.
            assert!(ran.verdict().is_pass(), "{:?}", ran.verdict());
            assert!(ran.result.server_output.iter().any(|f| f.check.contains("field")), "{:?}", ran.result.server_output);
        }
    }
    // A run of the whole default selection's first cases: the report serialises and parses
    // back, whatever the server put in its texts.
    let url = hostile::serve(Mode::Junk, Bounds::default()).await;
    let report = run_report(&url, 40, Duration::from_secs(60)).await;
    let json = serde_json::to_string(&report).expect("the report serialises");
    let back: RunReport = serde_json::from_str(&json).expect("the report parses");
    let mut sent = report.clone();
    sent.results.iter_mut().for_each(|r| r.checked = Default::default());
    assert_eq!(back, sent, "the report round-trips (`checked` is not part of it)");
    for r in &report.results {
        assert_result_bounded(r, &format!("{} against junk", r.info.id));
    }
}

async fn run_report(url: &str, cases: usize, overall: Duration) -> RunReport {
    let target = Target::parse(url).expect("url");
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let selection = h2probe_harness::select::select(h2probe_cases::all(), &[], &[], false).expect("default selection");
    let selection: Vec<&'static Case> = selection.into_iter().filter(|c| !c.is_passive()).take(cases).collect();
    let opts = RunOptions { overall, ..opts() };
    runner::run(selection, Arc::new(target), Arc::new(connector), opts, &Default::default(), None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_deadline_is_enforced() {
    // Every case waits out its deadline against a server that never reads; the run's own
    // deadline ends them all, and the cases it cut are errors that say so.
    let url = hostile::serve(Mode::NeverReads, Bounds::default()).await;
    let start = Instant::now();
    let report = run_report(&url, 40, Duration::from_secs(2)).await;
    let took = start.elapsed();
    assert!(took <= Duration::from_secs(2) + MARGIN, "the run took {took:?} past its 2 s deadline");
    let cut = report.results.iter().filter(|r| matches!(&r.verdict, Verdict::Error { problem } if problem.contains("overall deadline"))).count();
    assert!(cut > 0, "some cases must have been cut by the run's deadline");
    for r in &report.results {
        assert_result_bounded(r, &format!("{} against never-reads", r.info.id));
    }
}

// Floods (item 4 of the issue): what counts as read is what the server acknowledged or
// answered. A server that stops reading the flooded connection is reported as such.

async fn flood(mode: Mode, id: &str) -> Ran {
    flood_of(mode, id, 2_000).await
}

async fn flood_of(mode: Mode, id: &str, max_frames: u64) -> Ran {
    let url = hostile::serve(mode, Bounds::default()).await;
    let target = Target::parse(&url).expect("url");
    let permit = authorize(&target, Ownership::NotDeclared).await.expect("loopback is allowed");
    let limits = FloodLimits { max_frames, max_duration: Duration::from_secs(2), ..FloodLimits::default() };
    let opts = RunOptions { timeout: TIMEOUT, limits, flood_permit: Some(permit), ..RunOptions::default() };
    let connector = Connector::new(&target, &TlsOptions::default()).expect("connector");
    let case = catalogue(id);
    let deadline = runner::deadline_of(case, &Ctx::example(), &opts);
    let start = Instant::now();
    let (result, retained) = runner::run_case_measured(case, &target, &connector, &opts).await;
    let ran = Ran { mode, result, retained, took: start.elapsed(), deadline };
    eprintln!("{}: {:?} in {:?} (deadline {:?})", ran.what(), ran.result.verdict, ran.took, ran.deadline);
    assert!(ran.took <= ran.deadline + MARGIN, "{}: took {:?}, its deadline is {:?}", ran.what(), ran.took, ran.deadline);
    assert_bounded(&ran, limits.max_frames as usize);
    ran
}

fn observed(ran: &Ran) -> String {
    match ran.verdict() {
        Verdict::Pass { observed, .. } | Verdict::Lenient { observed, .. } => observed.clone(),
        Verdict::Fail { actual, .. } => actual.clone(),
        other => panic!("{}: {other:?}", ran.what()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_toward_a_server_that_stops_reading_is_not_accepted() {
    // 1 KiB CONTINUATIONs, more of them than loopback socket buffers hold: the attack's
    // write stalls, and the verdict says the server stopped reading, after how much.
    let ran = flood_of(Mode::StopsReading, "rfc9113/10.5/continuation-endless-field", 40_000).await;
    let text = observed(&ran);
    assert!(text.contains("the server stopped reading at "), "{text}");
    assert!(text.contains("octets sent, a write stalled"), "{text}");
    assert!(!text.contains("accepting"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_against_a_server_that_floods_back_ends_on_time() {
    // The flooded connection never falls silent: the driver's polls and waits must still
    // end, and the flood stops at its bounds.
    for id in ["rfc9113/10.5/ping-flood", "rfc9113/10.5/rapid-reset"] {
        let ran = flood(Mode::FloodsBack, id).await;
        let text = observed(&ran);
        assert!(!text.contains("accepting"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_blocks_of_a_megabyte() {
    // The largest response h2probe assembles and decodes: it is judged as any other.
    let ran = run(Mode::HugeHeaders, catalogue(GET)).await;
    assert!(ran.verdict().is_pass(), "{:?}", ran.verdict());
    assert!(ran.retained.field_block > 500_000 && ran.retained.field_block <= MAX_FIELD_BLOCK, "{:?}", ran.retained);
}
