//! The result model: what a run found, as plain serde data.
//!
//! Reports (terminal, JUnit, JSON, HTML) are pure renderers over these types, so every
//! output format says the same thing and golden-file tests can pin each of them.

use serde::{Deserialize, Serialize};

/// How strong the RFC requirement behind a case is. SHOULD-level cases run only under
/// `--strict`, because failing a vendor on a recommendation would teach them to ignore us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// An absolute requirement (MUST, MUST NOT, REQUIRED).
    Must,
    /// A recommendation (SHOULD, SHOULD NOT).
    Should,
}

/// The static description of one case, as `h2probe list` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInfo {
    /// Stable id named after the RFC section, e.g. `rfc9113/6.7/nonzero-stream-id`.
    pub id: String,
    /// RFC and section, e.g. `RFC 9113 §6.7`.
    pub section: String,
    /// The h2spec id this case replaces, e.g. `http2/6.7/3`.
    pub h2spec: Option<String>,
    /// Other names: ids of cases merged into this one, and their h2spec ids.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// MUST or SHOULD.
    pub level: Level,
    /// One line saying what the case sends.
    pub description: String,
    /// The requirement sentence quoted from the RFC.
    pub requirement: String,
    /// Free-form tags used for selection (`hpack`, `flood`, `rfc7540-only` …).
    pub tags: Vec<String>,
}

/// The RFC sentence that decided a verdict: the case's own requirement, or one of the rules
/// that cut across sections (RFC 9113 §5.4's generic codes, say; see `rules`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// RFC and section, e.g. `RFC 9113 §5.4`.
    pub section: String,
    /// The sentence, quoted.
    pub text: String,
}

/// The judgement on one case. The taxonomy is the judge's, in one place: what the case
/// names passes; what the RFC also allows passes as an alternative, named; what misses only
/// a SHOULD, or rests on a reading the RFC leaves open, is lenient (a failure under
/// `--strict`); what the RFC forbids fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    /// The server did what the case names, e.g. GOAWAY(PROTOCOL_ERROR).
    Pass {
        /// What was observed.
        observed: String,
        /// The sentence that decided it.
        rule: Citation,
    },
    /// The server did something else the RFC explicitly allows: a generic code in place of
    /// a specific one, a connection error for a stream error, a 4xx response to a
    /// malformed request. A pass, also under `--strict`.
    Alternative {
        /// What was observed.
        observed: String,
        /// Which allowed alternative it is, in words.
        alternative: String,
        /// The sentence that allows it.
        rule: Citation,
    },
    /// Acceptable only by the lenient default: a SHOULD missed (a bare TCP close where
    /// GOAWAY should come first), or a reading the RFC leaves open. `--strict` fails it.
    Lenient {
        /// What was observed.
        observed: String,
        /// What strict mode demands.
        strict_expected: String,
        /// The sentence that makes it lenient rather than a failure.
        rule: Citation,
    },
    /// The server contradicted the RFC.
    Fail {
        /// What the RFC requires, in words a person can act on.
        expected: String,
        /// What came back instead.
        actual: String,
        /// The sentence that was broken.
        rule: Citation,
    },
    /// A precondition was missing (server refused POST, tiny MAX_CONCURRENT_STREAMS …).
    /// Not a failure of the server.
    Skip {
        /// Why the case could not be judged.
        reason: String,
    },
    /// The tester could not run the case (connect refused, TLS failure, deadline of the
    /// whole run). Not a failure of the server either.
    Error {
        /// What went wrong on our side of the wire.
        problem: String,
    },
}

/// The class of a verdict, without its data: what reaction rows and summaries count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// [`Verdict::Pass`].
    Pass,
    /// [`Verdict::Alternative`].
    Alternative,
    /// [`Verdict::Lenient`].
    Lenient,
    /// [`Verdict::Fail`].
    Fail,
    /// [`Verdict::Skip`].
    Skip,
    /// [`Verdict::Error`].
    Error,
}

impl Class {
    /// Short lower-case label, as in golden files and JSON: pass, alternative, lenient,
    /// fail, skip, error.
    pub fn label(self) -> &'static str {
        match self {
            Class::Pass => "pass",
            Class::Alternative => "alternative",
            Class::Lenient => "lenient",
            Class::Fail => "fail",
            Class::Skip => "skip",
            Class::Error => "error",
        }
    }

    /// The label a person reads: `pass (alternative)` for an allowed alternative.
    pub fn display(self) -> &'static str {
        match self {
            Class::Alternative => "pass (alternative)",
            other => other.label(),
        }
    }

    /// Parses [`Class::label`].
    pub fn from_label(s: &str) -> Option<Class> {
        [Class::Pass, Class::Alternative, Class::Lenient, Class::Fail, Class::Skip, Class::Error].into_iter().find(|c| c.label() == s)
    }
}

impl Verdict {
    /// True for `Pass`, `Alternative` and `Lenient`.
    pub fn is_pass(&self) -> bool {
        matches!(self, Verdict::Pass { .. } | Verdict::Alternative { .. } | Verdict::Lenient { .. })
    }
    /// True for `Fail`.
    pub fn is_fail(&self) -> bool {
        matches!(self, Verdict::Fail { .. })
    }
    /// The verdict's class.
    pub fn class(&self) -> Class {
        match self {
            Verdict::Pass { .. } => Class::Pass,
            Verdict::Alternative { .. } => Class::Alternative,
            Verdict::Lenient { .. } => Class::Lenient,
            Verdict::Fail { .. } => Class::Fail,
            Verdict::Skip { .. } => Class::Skip,
            Verdict::Error { .. } => Class::Error,
        }
    }
    /// Short lower-case label: pass, alternative, lenient, fail, skip, error.
    pub fn label(&self) -> &'static str {
        self.class().label()
    }
    /// The sentence that decided the verdict, where one did (not for skips and errors).
    pub fn rule(&self) -> Option<&Citation> {
        match self {
            Verdict::Pass { rule, .. } | Verdict::Alternative { rule, .. } | Verdict::Lenient { rule, .. } | Verdict::Fail { rule, .. } => {
                Some(rule)
            }
            Verdict::Skip { .. } | Verdict::Error { .. } => None,
        }
    }
    /// What was observed, or why nothing could be: the one line a report shows.
    pub fn observed(&self) -> &str {
        match self {
            Verdict::Pass { observed, .. } | Verdict::Alternative { observed, .. } | Verdict::Lenient { observed, .. } => observed,
            Verdict::Fail { actual, .. } => actual,
            Verdict::Skip { reason } => reason,
            Verdict::Error { problem } => problem,
        }
    }
}

/// Direction of one transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A frame or bytes h2probe sent.
    Sent,
    /// A frame or transport event from the server.
    Received,
    /// A remark of the harness (deadline reached, PING fence sent …).
    Note,
}

/// One line of the frame transcript of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    /// Milliseconds since the case's connection was opened.
    pub at_ms: u64,
    /// Who sent it.
    pub dir: Direction,
    /// Human-readable rendering, e.g. `GOAWAY last_stream=1 code=PROTOCOL_ERROR`.
    pub text: String,
}

/// What ended the wait for a verdict. The fence exists so that "the server ignored it"
/// is proved by an ACK in milliseconds instead of by silence until a deadline; recording
/// which one decided lets a run show that no verdict waited where the fence could decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecidedBy {
    /// A frame, response or close from the server decided.
    Event,
    /// The PING fence decided: its ACK, or the grace period after it, with no error before.
    Fence,
    /// A deadline ran out: the case's own wait (`--timeout`) or the run's overall deadline.
    Deadline,
    /// Nothing was exchanged to decide on: the case was skipped before its frames were
    /// sent, or the connection or handshake failed.
    Setup,
}

impl DecidedBy {
    /// Lower-case name, as in the JSON report.
    pub fn label(self) -> &'static str {
        match self {
            DecidedBy::Event => "event",
            DecidedBy::Fence => "fence",
            DecidedBy::Deadline => "deadline",
            DecidedBy::Setup => "setup",
        }
    }
}

/// A rule of the server's own output broken on a connection (a passive check, see
/// `checks`): which, what the server sent, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The check's id, e.g. `rfc9113/4.1/server-reserved-bit`.
    pub check: String,
    /// The offending frame or field, in words.
    pub detail: String,
    /// Milliseconds since the connection opened.
    pub at_ms: u64,
}

/// The result of one case in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// What the case is.
    pub info: CaseInfo,
    /// What the server did about it.
    pub verdict: Verdict,
    /// What ended the wait for the verdict.
    pub decided_by: DecidedBy,
    /// Set when `--expect FILE` lists this case as a known failure of this server; the
    /// string is the reason given there.
    pub known_failure: Option<String>,
    /// Wall time of the case, milliseconds.
    pub duration_ms: u64,
    /// The same wall time in microseconds: most cases against a loopback server take less
    /// than a millisecond, and reports should say how long, not 0.
    #[serde(default)]
    pub duration_us: u64,
    /// The frames exchanged, in order.
    pub transcript: Vec<TranscriptLine>,
    /// Rules of the server's own output that its connection broke (the first breach of each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_output: Vec<Finding>,
    /// How often each passive check was exercised on the case's connection (for the run's
    /// check results; not part of the report).
    #[serde(skip)]
    pub checked: std::collections::BTreeMap<String, u64>,
    /// An attack case's harm: class, reaction and K, rates, the server's figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm: Option<crate::harm::HarmReport>,
}

/// How a result counts towards the run's outcome, once known failures are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Pass, alternative or lenient, not listed as a known failure.
    Passed,
    /// Fail, not listed as a known failure: fails the run.
    Failed,
    /// Fail that the expectations file lists: does not fail the run.
    ExpectedFailure,
    /// Listed as a known failure but passed: the expectations file is out of date.
    UnexpectedPass,
    /// Skip.
    Skipped,
    /// Harness error: fails the run as a usage/connection problem.
    Errored,
}

impl CaseResult {
    /// Applies the known-failure list to the verdict.
    pub fn outcome(&self) -> Outcome {
        match (&self.verdict, self.known_failure.is_some()) {
            (v, false) if v.is_pass() => Outcome::Passed,
            (v, true) if v.is_pass() => Outcome::UnexpectedPass,
            (Verdict::Fail { .. }, false) => Outcome::Failed,
            (Verdict::Fail { .. }, true) => Outcome::ExpectedFailure,
            (Verdict::Skip { .. }, _) => Outcome::Skipped,
            _ => Outcome::Errored,
        }
    }
}

/// Counts per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Cases run.
    pub total: usize,
    /// Passes of the reaction the case names.
    pub passed: usize,
    /// Passes by an alternative the RFC allows.
    pub alternative: usize,
    /// Lenient passes (a SHOULD missed, or an open reading); failures under `--strict`.
    pub lenient: usize,
    /// Failures that fail the run.
    pub failed: usize,
    /// Failures listed as known.
    pub expected_failures: usize,
    /// Known failures that passed.
    pub unexpected_passes: usize,
    /// Skips.
    pub skipped: usize,
    /// Harness errors.
    pub errors: usize,
}

/// One SETTINGS parameter the server advertised, by its registry name
/// (`MAX_CONCURRENT_STREAMS`, or hex for an unknown id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: u32,
}

/// Everything one `h2probe conform` run found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Version of h2probe that produced the report.
    pub tool_version: String,
    /// The URL the suite ran against.
    pub target: String,
    /// Whether `--strict` was in force.
    pub strict: bool,
    /// Wall time of the whole run, milliseconds.
    pub duration_ms: u64,
    /// One entry per case, in catalogue order.
    pub results: Vec<CaseResult>,
    /// When the run started, RFC 3339 in UTC (`2026-11-23T09:14:03Z`): a report read a
    /// month later says when the server behaved so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// The commit h2probe was built from, when known (see build.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_commit: Option<String>,
    /// The server's SETTINGS in its first handshake of the run, in id order: many verdicts
    /// (skips above all) follow from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_settings: Vec<Setting>,
    /// What the server calls itself: its `server` response header, control characters
    /// removed, when it sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The TLS session of that handshake (version, cipher suite, ALPN), for `https://`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<String>,
}

impl RunReport {
    /// Counts the results by outcome.
    pub fn summary(&self) -> Summary {
        let mut s = Summary { total: self.results.len(), ..Summary::default() };
        for r in &self.results {
            match r.outcome() {
                Outcome::Passed => match r.verdict.class() {
                    Class::Alternative => s.alternative += 1,
                    Class::Lenient => s.lenient += 1,
                    _ => s.passed += 1,
                },
                Outcome::Failed => s.failed += 1,
                Outcome::ExpectedFailure => s.expected_failures += 1,
                Outcome::UnexpectedPass => s.unexpected_passes += 1,
                Outcome::Skipped => s.skipped += 1,
                Outcome::Errored => s.errors += 1,
            }
        }
        s
    }

    /// Process exit status per the CLI contract: 0 nothing failed, 1 a case failed,
    /// 2 the tester could not run (every case errored, e.g. connection refused).
    pub fn exit_status(&self) -> i32 {
        let s = self.summary();
        if s.failed > 0 {
            1
        } else if s.total > 0 && s.errors == s.total {
            2
        } else {
            0
        }
    }

    /// The RFC section of each result, grouped in first-seen order (for per-section
    /// summaries and JUnit test suites).
    pub fn by_section(&self) -> Vec<(&str, Vec<&CaseResult>)> {
        let mut groups: Vec<(&str, Vec<&CaseResult>)> = Vec::new();
        for r in &self.results {
            match groups.iter_mut().find(|(s, _)| *s == r.info.section) {
                Some((_, v)) => v.push(r),
                None => groups.push((r.info.section.as_str(), vec![r])),
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite() -> Citation {
        Citation { section: "RFC 9113 §6.7".into(), text: "t".into() }
    }

    fn result(verdict: Verdict, known: bool) -> CaseResult {
        CaseResult {
            info: CaseInfo {
                id: "rfc9113/6.7/x".into(),
                section: "RFC 9113 §6.7".into(),
                h2spec: None,
                aliases: vec![],
                level: Level::Must,
                description: String::new(),
                requirement: String::new(),
                tags: vec![],
            },
            verdict,
            decided_by: DecidedBy::Event,
            known_failure: known.then(|| "reason".to_string()),
            duration_ms: 0,
            duration_us: 0,
            transcript: vec![],
            server_output: vec![],
            checked: Default::default(),
            harm: None,
        }
    }

    #[test]
    fn known_failures_flip_outcomes() {
        let fail = Verdict::Fail { expected: "a".into(), actual: "b".into(), rule: cite() };
        let pass = Verdict::Pass { observed: "x".into(), rule: cite() };
        assert_eq!(result(fail.clone(), false).outcome(), Outcome::Failed);
        assert_eq!(result(fail, true).outcome(), Outcome::ExpectedFailure);
        assert_eq!(result(pass.clone(), true).outcome(), Outcome::UnexpectedPass);
        assert_eq!(result(pass, false).outcome(), Outcome::Passed);
    }

    #[test]
    fn exit_status_follows_contract() {
        let mut run = RunReport {
            tool_version: "0".into(),
            target: "http://127.0.0.1:1/".into(),
            strict: false,
            duration_ms: 0,
            results: vec![result(Verdict::Pass { observed: "x".into(), rule: cite() }, false)],
            ..RunReport::default()
        };
        assert_eq!(run.exit_status(), 0);
        run.results.push(result(Verdict::Fail { expected: "a".into(), actual: "b".into(), rule: cite() }, true));
        assert_eq!(run.exit_status(), 0);
        run.results.push(result(Verdict::Fail { expected: "a".into(), actual: "b".into(), rule: cite() }, false));
        assert_eq!(run.exit_status(), 1);
        run.results = vec![result(Verdict::Error { problem: "refused".into() }, false)];
        assert_eq!(run.exit_status(), 2);
    }
}
