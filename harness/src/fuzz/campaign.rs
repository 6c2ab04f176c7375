//! The campaign: inputs in batches, oracles on every outcome, findings minimised and saved.
//!
//! **Determinism.** Input `i` of shard `K/N` has the global index `g = i·N + K`. The first
//! inputs are the seeds as they are (seed `g` runs on the shard with `g mod N = K`); after
//! them, input `g` is drawn from a generator seeded with `(--seed, g)` alone
//! ([`Rng::for_input`]): generated fresh, or mutated from corpus entries it picks. The
//! corpus grows from the server's answers (an input is kept when its outcome shows a token
//! no earlier outcome showed), and only between batches of [`BATCH`] inputs, in index
//! order, whatever `--jobs` is; so a campaign is a pure function of its seed, its shard and
//! the sequence of the server's answers. Shards draw disjoint indices, so N machines with
//! the same seed run one campaign without overlap, and their findings directories merge
//! (files are named by signature).
//!
//! **Oracles** (see [`super::oracle`]) are applied to each batch in order: first the crash
//! check (a refused connection, an exited process, or the liveness GET every
//! `probe_every` inputs), whose culprit is searched among the last two batches after the
//! server is brought back; then each input's spec, server-output, hang and differential
//! outcomes; then the resource check (RSS and CPU of a local server since the last batch).
//! A candidate is confirmed by running it again, skipped when its signature is known
//! (found earlier, or already in the findings directory), minimised keeping its signature,
//! and saved.

use super::execute::{execute, execute_lingering, liveness, Env, Execution, Liveness};
use super::generate::{generate, Context};
use super::input::{Input, InputFile, Unit};
use super::minimise::{minimise, Budget, Reproduce};
use super::mutate::mutate;
use super::oracle::{Class, Oracle, Violation};
use super::reproducer::{Minimisation, Provenance, Reproducer};
use super::rng::{fnv64, Rng};
use super::seeds::Seed;
use super::server::{Process, Server};
use crate::checks::CHECKS;
use crate::model::Citation;
use h2probe_codec::frame::hex;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// Inputs per batch: the corpus changes only between batches, so that what input `g` is
/// does not depend on `--jobs` or on timing.
pub const BATCH: u64 = 64;
/// Corpus entries kept at most (seeds included).
pub const MAX_CORPUS: usize = 4096;
/// How much longer than `--max-seconds` the minimisation of a late finding may take.
pub const MINIMISE_OVERRUN: Duration = Duration::from_secs(30);
/// How far back the crash oracle looks for the input behind a worker's death in the log.
const RECENT_WINDOW: Duration = Duration::from_secs(4);
/// And at most how many inputs.
const RECENT_MAX: usize = 8192;

/// `--shard K/N`: this machine runs the inputs whose global index is `K` modulo `N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0..n`.
    pub k: u64,
    /// How many shards.
    pub n: u64,
}

impl Shard {
    /// The whole campaign on one machine.
    pub const ONE: Shard = Shard { k: 0, n: 1 };

    /// Parses `K/N` with `0 <= K < N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| format!("'{s}' is not K/N (e.g. 0/4)"))?;
        let k: u64 = k.trim().parse().map_err(|_| format!("'{k}' in '{s}' is not a number"))?;
        let n: u64 = n.trim().parse().map_err(|_| format!("'{n}' in '{s}' is not a number"))?;
        if n == 0 || k >= n {
            return Err(format!("'{s}': K must be 0 to N-1 and N at least 1 (shards are numbered from 0, as JOB_COMPLETION_INDEX is)"));
        }
        Ok(Shard { k, n })
    }

    /// The global index of this shard's `i`-th input.
    pub fn global(self, i: u64) -> u64 {
        i.saturating_mul(self.n).saturating_add(self.k)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// How a campaign runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `--seed`.
    pub seed: u64,
    /// `--shard`.
    pub shard: Shard,
    /// Inputs this shard runs at most (re-runs to confirm and minimise do not count).
    pub max_inputs: u64,
    /// Wall time at most (a finding being minimised may take [`MINIMISE_OVERRUN`] more).
    pub max_duration: Duration,
    /// Inputs in flight at once, each on its own connection.
    pub jobs: usize,
    /// A GET on a fresh connection every this many inputs.
    pub probe_every: u64,
    /// Where reproducers go (none: findings are only reported).
    pub findings_dir: Option<PathBuf>,
    /// Where the corpus is kept between campaigns.
    pub corpus_dir: Option<PathBuf>,
    /// Minimise findings before saving them.
    pub minimise: bool,
    /// Re-runs one minimisation may spend.
    pub minimise_checks: usize,
    /// Wall time one minimisation may take.
    pub minimise_time: Duration,
    /// How long to wait for a crashed server to accept connections again.
    pub restart_wait: Duration,
    /// RSS growth of a local server since the last check that starts a search for a leak.
    pub rss_step: u64,
    /// RSS growth per repetition of one input that makes it a leak.
    pub rss_per_repeat: u64,
    /// CPU time per repetition of one input that makes it a finding.
    pub cpu_per_input: Duration,
    /// Repetitions of an input in a resource measurement.
    pub repeats: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 0,
            shard: Shard::ONE,
            max_inputs: 10_000,
            max_duration: Duration::from_secs(60),
            jobs: 8,
            probe_every: 100,
            findings_dir: None,
            corpus_dir: None,
            minimise: true,
            minimise_checks: 400,
            minimise_time: Duration::from_secs(60),
            restart_wait: Duration::from_secs(10),
            rss_step: 8 << 20,
            rss_per_repeat: 256 << 10,
            cpu_per_input: Duration::from_millis(200),
            repeats: 8,
        }
    }
}

/// The progress line's numbers.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Inputs run.
    pub inputs: u64,
    /// Since the start.
    pub elapsed: Duration,
    /// Corpus entries.
    pub corpus: usize,
    /// Distinct findings so far, by oracle.
    pub findings: BTreeMap<Oracle, usize>,
    /// Restarts of the server.
    pub restarts: u32,
    /// What the campaign is doing besides running inputs (`minimising a crash`), if anything.
    pub doing: Option<String>,
}

/// One finding of the campaign.
#[derive(Debug, Clone)]
pub struct Found {
    /// The reproducer (also saved when there is a findings directory).
    pub reproducer: Reproducer,
    /// Where it was saved.
    pub path: Option<PathBuf>,
    /// Inputs run before it was detected.
    pub after_inputs: u64,
    /// Time from the start to its detection.
    pub after: Duration,
}

/// What a campaign did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs run.
    pub inputs: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Corpus entries at the end.
    pub corpus: usize,
    /// Corpus entries added by this campaign.
    pub corpus_added: usize,
    /// New findings.
    pub found: Vec<Found>,
    /// Candidates whose signature was already known (found earlier in this campaign or in
    /// the findings directory).
    pub duplicates: usize,
    /// Restarts of the server.
    pub restarts: u32,
    /// Things a person should know (oracles that were off, candidates that did not confirm).
    pub notes: Vec<String>,
    /// Why the campaign stopped before its bounds, if it did.
    pub stopped: Option<String>,
}

/// What [`Campaign::on_progress`] is given.
type ProgressFn = Box<dyn FnMut(&Progress)>;

/// A corpus entry.
#[derive(Debug, Clone)]
struct Entry {
    input: Input,
    /// The seed (or `generated`, or a corpus file) it grew from.
    root: String,
    /// Mutations applied since, most recent last (the last 16).
    ops: Vec<&'static str>,
}

impl Entry {
    fn origin(&self) -> String {
        if self.ops.is_empty() {
            self.root.clone()
        } else {
            format!("{}, mutated: {}", self.root, self.ops.join(", "))
        }
    }
}

/// Batches run lately, each with when it ended.
type Recent = VecDeque<(Instant, Vec<(u64, Input, Entry)>)>;

/// A campaign ready to run.
pub struct Campaign {
    config: Config,
    envs: Vec<Arc<Env>>,
    server: Server,
    cx: Context,
    seeds: Vec<Seed>,
    corpus: Vec<Entry>,
    tokens: BTreeSet<String>,
    /// Findings known so far (this campaign's and the findings directory's): oracle,
    /// signature, minimised input.
    known: Vec<(Oracle, String, Input)>,
    summary: Summary,
    started: Instant,
    deadline: Instant,
    progress: Option<ProgressFn>,
    last_progress: Instant,
    rss_checkpoint: Option<u64>,
    cpu_last: Option<u64>,
    /// Restarts when the resource samples were last taken (a restart resets them).
    restarts_sampled: u32,
    inputs_at_probe: u64,
}

/// A candidate finding from one input's outcome.
#[derive(Debug, Clone)]
enum Kind {
    Spec { rule: String, reaction: String },
    ServerOutput { check: String },
    Hang,
    Differential { classes: Vec<Option<Class>> },
    Down { oracle: Oracle, detail: String },
    Rss,
    Cpu,
}

impl Campaign {
    /// A campaign against `envs` (the first is the primary target; more make it
    /// differential), with `server` watching the primary's process, requests shaped by `cx`,
    /// and `seeds` as the first inputs and the corpus's start.
    pub fn new(config: Config, envs: Vec<Env>, server: Server, cx: Context, seeds: Vec<Seed>) -> Campaign {
        let now = Instant::now();
        Campaign {
            deadline: now + config.max_duration,
            config,
            envs: envs.into_iter().map(Arc::new).collect(),
            server,
            cx,
            corpus: seeds.iter().map(|s| Entry { input: s.input.clone(), root: format!("seed {}", s.name), ops: Vec::new() }).collect(),
            seeds,
            tokens: BTreeSet::new(),
            known: Vec::new(),
            summary: Summary::default(),
            started: now,
            progress: None,
            last_progress: now,
            rss_checkpoint: None,
            cpu_last: None,
            restarts_sampled: 0,
            inputs_at_probe: 0,
        }
    }

    /// Calls `f` with the numbers of the progress line, about once a second.
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + 'static) -> Campaign {
        self.progress = Some(Box::new(f));
        self
    }

    fn primary(&self) -> &Env {
        &self.envs[0]
    }

    fn report(&mut self, doing: Option<String>, force: bool) {
        if !force && self.last_progress.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last_progress = Instant::now();
        let mut findings = BTreeMap::new();
        for f in &self.summary.found {
            *findings.entry(f.reproducer.oracle).or_insert(0) += 1;
        }
        let p = Progress {
            inputs: self.summary.inputs,
            elapsed: self.started.elapsed(),
            corpus: self.corpus.len(),
            findings,
            restarts: self.server.restarts(),
            doing,
        };
        if let Some(f) = self.progress.as_mut() {
            f(&p);
        }
    }

    /// Runs until `max_inputs` or `max_duration`, or until the server is lost.
    pub async fn run(mut self) -> Summary {
        self.load();
        if self.envs.len() == 1 && self.server.sample().is_none() {
            self.summary.notes.push(
                "the resource oracle is off: no local server process to sample (give --server-pid or --spawn; Linux only)".into(),
            );
        }
        if self.envs.iter().any(|e| e.send_only) {
            self.summary.notes.push("send-only: no answers read, so only the crash oracle applies".into());
        }
        self.rss_checkpoint = self.server.sample().map(|s| s.rss_bytes);
        self.cpu_last = self.server.sample().map(|s| s.cpu_ms);
        let mut local = 0u64;
        // The batches of the last few seconds, newest last: a worker's death reaches the
        // log up to a second after it, when many batches have run since.
        let mut recent: Recent = VecDeque::new();
        while local < self.config.max_inputs && Instant::now() < self.deadline && self.summary.stopped.is_none() {
            let n = BATCH.min(self.config.max_inputs - local);
            let batch: Vec<(u64, Input, Entry)> = (local..local + n)
                .map(|i| {
                    let g = self.config.shard.global(i);
                    let (input, entry) = self.make(g);
                    (g, input, entry)
                })
                .collect();
            local += n;
            let results = self.run_batch(&batch).await;
            let ran = results.iter().filter(|r| r.is_some()).count() as u64;
            self.summary.inputs += ran;
            self.grow_corpus(&batch, &results);
            self.report(None, false);
            if !self.crash_check(&batch, &results, &recent).await {
                break;
            }
            for (k, (g, input, entry)) in batch.iter().enumerate() {
                let Some(execs) = &results[k] else { continue };
                for c in candidates(execs) {
                    let input = c.keep.map_or_else(|| input.clone(), |n| input.truncated(n));
                    self.candidate(c.kind, *g, &input, entry).await;
                    if self.summary.stopped.is_some() {
                        break;
                    }
                }
            }
            self.resource_check(&batch).await;
            recent.push_back((Instant::now(), batch));
            while recent.front().is_some_and(|(t, _)| t.elapsed() > RECENT_WINDOW) || recent.iter().map(|(_, b)| b.len()).sum::<usize>() > RECENT_MAX {
                if recent.len() <= 1 {
                    break;
                }
                recent.pop_front();
            }
        }
        self.summary.elapsed = self.started.elapsed();
        self.summary.corpus = self.corpus.len();
        self.report(None, true);
        self.server.stop().await;
        self.summary
    }

    /// Loads the corpus directory and the signatures the findings directory holds.
    fn load(&mut self) {
        if let Some(dir) = &self.config.findings_dir {
            self.known = Reproducer::signatures_in(dir);
        }
        let Some(dir) = self.config.corpus_dir.clone() else { return };
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        paths.sort();
        for p in paths.into_iter().take(MAX_CORPUS) {
            let parsed = std::fs::read_to_string(&p).ok().and_then(|t| serde_json::from_str::<InputFile>(&t).ok());
            match parsed.map(|f| Input::from_file(&f)) {
                Some(Ok(input)) => {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    self.corpus.push(Entry { input, root: format!("corpus {name}"), ops: Vec::new() });
                }
                _ => self.summary.notes.push(format!("{}: not a corpus entry, skipped", p.display())),
            }
        }
    }

    /// Input `g`: a seed as it is, or a fresh or mutated input drawn with `(seed, g)`.
    fn make(&self, g: u64) -> (Input, Entry) {
        if let Some(s) = usize::try_from(g).ok().and_then(|g| self.seeds.get(g)) {
            return (s.input.clone(), Entry { input: s.input.clone(), root: format!("seed {}", s.name), ops: Vec::new() });
        }
        let mut rng = Rng::for_input(self.config.seed, g);
        let mut drawn = self.draw(&mut rng);
        // A few more draws from the same stream when it would set off a known crash.
        for _ in 0..8 {
            if !self.would_crash(&drawn.0) {
                break;
            }
            drawn = self.draw(&mut rng);
        }
        drawn
    }

    fn draw(&self, rng: &mut Rng) -> (Input, Entry) {
        let rng = &mut *rng;
        if self.corpus.is_empty() || rng.chance(1, 5) {
            let input = generate(rng, &self.cx);
            return (input.clone(), Entry { input, root: "generated".into(), ops: Vec::new() });
        }
        let base = &self.corpus[rng.below(self.corpus.len())];
        let other = &self.corpus[rng.below(self.corpus.len())];
        let (input, names) = mutate(&base.input, &other.input, rng, &self.cx);
        let mut ops = base.ops.clone();
        ops.extend(names);
        let skip = ops.len().saturating_sub(16);
        ops.drain(..skip);
        (input.clone(), Entry { input, root: base.root.clone(), ops })
    }

    /// Runs a batch, `jobs` at a time; `None` for inputs the deadline left unrun.
    async fn run_batch(&self, batch: &[(u64, Input, Entry)]) -> Vec<Option<Vec<Execution>>> {
        self.run_batch_until(batch, self.deadline).await
    }

    async fn run_batch_until(&self, batch: &[(u64, Input, Entry)], deadline: Instant) -> Vec<Option<Vec<Execution>>> {
        let sem = Arc::new(Semaphore::new(self.config.jobs.max(1)));
        let mut set = tokio::task::JoinSet::new();
        for (k, (_, input, _)) in batch.iter().enumerate() {
            let (sem, envs, input) = (sem.clone(), self.envs.clone(), input.clone());
            set.spawn(async move {
                let _slot = sem.acquire_owned().await.ok();
                if Instant::now() >= deadline {
                    return (k, None);
                }
                let mut out = Vec::with_capacity(envs.len());
                for env in &envs {
                    out.push(execute(env, &input).await);
                }
                (k, Some(out))
            });
        }
        let mut results = vec![None; batch.len()];
        while let Some(joined) = set.join_next().await {
            if let Ok((k, r)) = joined {
                results[k] = r;
            }
        }
        results
    }

    /// Keeps, in index order, every input whose outcome showed a token not seen before.
    fn grow_corpus(&mut self, batch: &[(u64, Input, Entry)], results: &[Option<Vec<Execution>>]) {
        for ((_, _, entry), r) in batch.iter().zip(results) {
            let Some(execs) = r else { continue };
            let mut new = false;
            for (e, ex) in execs.iter().enumerate() {
                for t in &ex.tokens {
                    let t = if e == 0 { t.clone() } else { format!("{e}:{t}") };
                    new |= self.tokens.insert(t);
                }
            }
            if execs.len() > 1 {
                let classes: Vec<&str> = execs.iter().map(|x| x.reaction.class.map_or("-", Class::name)).collect();
                new |= self.tokens.insert(format!("classes:{}", classes.join(",")));
            }
            if new && self.corpus.len() < MAX_CORPUS {
                self.corpus.push(entry.clone());
                self.summary.corpus_added += 1;
                if let Some(dir) = &self.config.corpus_dir {
                    let file = entry.input.to_file();
                    let mut key = entry.input.octets();
                    key.extend(file.writes.iter().flat_map(|c| (*c as u64).to_le_bytes()));
                    let path = dir.join(format!("{:016x}.json", fnv64(&key)));
                    if std::fs::create_dir_all(dir).is_ok() && !path.exists() {
                        if let Ok(json) = serde_json::to_string_pretty(&file) {
                            let _ = std::fs::write(&path, json + "\n");
                        }
                    }
                }
            }
        }
    }

    /// The crash oracle over one batch. False when the campaign cannot go on.
    async fn crash_check(&mut self, batch: &[(u64, Input, Entry)], results: &[Option<Vec<Execution>>], recent: &Recent) -> bool {
        let refused = results.iter().flatten().any(|e| e.iter().any(|x| x.reaction.refused.is_some()));
        let probe_due = self.summary.inputs - self.inputs_at_probe >= self.config.probe_every;
        let exited = self.server.exited();
        let log_crashed = self.server.log_crashed();
        if !(refused || probe_due || exited.is_some() || log_crashed) {
            return true;
        }
        self.inputs_at_probe = self.summary.inputs;
        // The other servers of a differential campaign are only watched: one that goes down
        // ends the campaign, with the advice to fuzz it alone.
        for env in self.envs.iter().skip(1) {
            if let Some((_, detail)) = down(&mut Server::external(), env, false).await {
                self.summary.stopped = Some(format!(
                    "{} went down ({detail}); fuzz it alone (`h2probe fuzz {} --spawn …`) to find and minimise the input",
                    env.name,
                    env.target.url()
                ));
                return false;
            }
        }
        let Some((oracle, detail)) = down(&mut self.server, &self.envs[0], false).await else { return true };
        let after = (self.summary.inputs, self.started.elapsed());
        self.report(Some(format!("the server is down ({detail}); looking for the input that did it")), true);
        if let Err(why) = self.recover().await {
            // The server is lost: save the most recent input, unminimised, and stop.
            if let Some((g, input, entry)) = batch.last() {
                let kind = Kind::Down { oracle, detail: detail.clone() };
                self.save(kind, *g, input.clone(), entry, None, after, unminimised(input)).await;
            }
            self.summary.stopped = Some(format!("the server went down ({detail}) and did not come back: {why}"));
            return false;
        }
        // The culprit: the first input of the last two batches that brings it down alone;
        // for a death the log reported, of the last seconds' batches, halved (each half run
        // as the campaign ran it) down to one.
        let from_log = detail.starts_with(WORKER_DIED);
        let older = recent.iter().rev().take(if from_log { recent.len() } else { 1 });
        let mut suspects: Vec<(u64, Input, Entry)> = batch.iter().cloned().chain(older.flat_map(|(_, b)| b.iter().cloned())).collect();
        if suspects.iter().any(|(_, input, _)| self.is_known_shape(oracle, input)) {
            // A known crash again (seeds and corpus files are sent whatever they contain).
            self.summary.duplicates += 1;
            return true;
        }
        if from_log {
            let searched = suspects.len();
            suspects = self.narrow(suspects).await;
            if suspects.is_empty() {
                self.summary.notes.push(format!(
                    "the server went down ({detail}) after input {}, but none of the {searched} inputs of the last {} s brings it down again",
                    batch.last().map_or(0, |b| b.0),
                    RECENT_WINDOW.as_secs_f64()
                ));
                return self.summary.stopped.is_none();
            }
        }
        for (g, input, entry) in &suspects {
            if Instant::now() >= self.deadline + MINIMISE_OVERRUN {
                break;
            }
            let kind = Kind::Down { oracle, detail: detail.clone() };
            execute(self.primary(), input).await;
            if down(&mut self.server, &self.envs[0], true).await.is_some() {
                if let Err(why) = self.recover().await {
                    self.save(kind, *g, input.clone(), entry, None, after, unminimised(input)).await;
                    self.summary.stopped = Some(format!("the server did not come back after a crash: {why}"));
                    return false;
                }
                self.confirmed(kind, *g, input, entry, after, None).await;
                return self.summary.stopped.is_none();
            }
        }
        self.summary.notes.push(format!(
            "the server went down ({detail}) after input {} but no single input of the last two batches brings it down alone",
            batch.last().map_or(0, |b| b.0)
        ));
        true
    }

    /// Halves `suspects` down to one: each half is run as the campaign runs inputs (`jobs`
    /// at a time), and the half after which the server is down is kept. Empty when neither
    /// half brings it down, or time is up. For crashes seen late (in a log), where running
    /// each suspect alone would cost the log's settling time every time.
    async fn narrow(&mut self, mut suspects: Vec<(u64, Input, Entry)>) -> Vec<(u64, Input, Entry)> {
        while suspects.len() > 1 {
            self.report(Some(format!("the server is down; looking for the input among {}", suspects.len())), true);
            let second = suspects.split_off(suspects.len() / 2);
            let mut kept = None;
            for half in [std::mem::take(&mut suspects), second] {
                if Instant::now() >= self.deadline + MINIMISE_OVERRUN {
                    return Vec::new();
                }
                self.run_batch_until(&half, self.deadline + MINIMISE_OVERRUN).await;
                if down(&mut self.server, &self.envs[0], true).await.is_some() {
                    if let Err(why) = self.recover().await {
                        self.summary.stopped = Some(format!("the server did not come back after a crash: {why}"));
                        return Vec::new();
                    }
                    kept = Some(half);
                    break;
                }
            }
            match kept {
                Some(h) => suspects = h,
                None => return Vec::new(),
            }
        }
        suspects
    }

    /// Brings the server back (a restart of ours, or a bounded wait for another's).
    async fn recover(&mut self) -> Result<(), String> {
        let wait = self.config.restart_wait;
        recover(&mut self.server, &self.envs[0], wait).await
    }

    fn is_known(&self, signature: &str) -> bool {
        self.known.iter().any(|(_, s, _)| s == signature)
    }

    /// Whether a finding of `oracle` is known whose frames appear in `input` (in order, on
    /// related streams, [`Input::contains`]): the same crash, hang or leak again, since those
    /// have no rule or check to tell them apart.
    fn is_known_shape(&self, oracle: Oracle, input: &Input) -> bool {
        self.known.iter().filter(|(o, _, _)| *o == oracle).any(|(_, _, known)| input.contains(known))
    }

    /// Whether `input` would set off a known crash again: such inputs are not sent, so that
    /// one crash does not keep the server restarting and hide what else there is.
    fn would_crash(&self, input: &Input) -> bool {
        self.known.iter().any(|(o, sig, known)| {
            (*o == Oracle::Crash || (*o == Oracle::Hang && !sig.starts_with("hang/"))) && !known.units.is_empty() && input.contains(known)
        })
    }

    /// One candidate: skipped when known, confirmed by a re-run, then minimised and saved.
    async fn candidate(&mut self, mut kind: Kind, g: u64, input: &Input, entry: &Entry) {
        if let Kind::Spec { rule, reaction } = &mut kind {
            // The input ends with the violating frame here: what the server does about the
            // violation itself (a later frame's error would otherwise be taken for it).
            let ex = execute(&self.envs[0], input).await;
            let violation = match ex.spec_failed() {
                Some(s) if &s.violation.rule == rule => s.violation.clone(),
                _ => return,
            };
            *reaction = main_reaction(&ex.reaction.label);
            // RFC 9113 §10.5: a server may end a connection it finds abusive with
            // ENHANCE_YOUR_CALM, which judges the load, not the frame.
            if reaction.contains("ENHANCE_YOUR_CALM") {
                return;
            }
            // Not a finding, nor one that fails to reproduce, when the frames before the
            // violation are not ones the server accepts (every re-run asks again).
            if !context_accepted(&self.envs[0], input, &violation).await {
                return;
            }
        }
        if let Some(sig) = signature_before(&kind) {
            if self.is_known(&sig) {
                self.summary.duplicates += 1;
                return;
            }
        } else if let Kind::Hang = kind {
            if self.is_known_shape(Oracle::Hang, input) {
                self.summary.duplicates += 1;
                return;
            }
        }
        if Instant::now() >= self.deadline + MINIMISE_OVERRUN {
            return;
        }
        let after = (self.summary.inputs, self.started.elapsed());
        let mut check = Recheck { envs: &self.envs, server: &mut self.server, kind: kind.clone(), config: &self.config, last: None, lost: false, seen: String::new(), note: None };
        let confirmed = check.reproduces(input).await;
        let confirmation = check.last.take();
        if !confirmed {
            let lost = check.lost;
            self.summary.notes.push(format!("a {} candidate (input {g}) did not reproduce when run again", oracle_of(&kind)));
            if lost {
                self.summary.stopped = Some("the server went down while a candidate was re-run, and did not come back".into());
            }
            return;
        }
        self.confirmed(kind, g, input, entry, after, confirmation).await;
    }

    /// A confirmed candidate: minimised (when configured) and saved. `confirmation` is the
    /// run that confirmed it, for the file when the minimised input is flaky.
    async fn confirmed(&mut self, kind: Kind, g: u64, input: &Input, entry: &Entry, after: (u64, Duration), confirmation: Option<Vec<Execution>>) {
        let oracle = oracle_of(&kind);
        let mut min = unminimised(input);
        let mut best = input.clone();
        if self.config.minimise {
            self.report(Some(format!("minimising a {oracle} finding ({} frames)", input.units.len())), true);
            let until = (Instant::now() + self.config.minimise_time).min(self.deadline + MINIMISE_OVERRUN);
            let budget = Budget { checks: self.config.minimise_checks, until };
            let mut check = Recheck { envs: &self.envs, server: &mut self.server, kind: kind.clone(), config: &self.config, last: None, lost: false, seen: String::new(), note: None };
            let m = minimise(input.clone(), &mut check, budget).await;
            let lost = check.lost;
            min.checks = m.checks;
            min.complete = m.complete;
            best = m.input;
            if lost {
                self.summary.stopped = Some("the server went down while a finding was minimised, and did not come back".into());
            }
        }
        // A last run of the minimised input gives the file its transcript and observations.
        let mut check = Recheck { envs: &self.envs, server: &mut self.server, kind: kind.clone(), config: &self.config, last: None, lost: false, seen: String::new(), note: None };
        let still = check.reproduces(&best).await;
        let mut last = check.last.take();
        if !still {
            // Flaky after minimising: keep the original, which was confirmed.
            best = input.clone();
            min.complete = false;
            last = confirmation;
        }
        self.save(kind, g, best, entry, last, after, min).await;
    }

    /// Builds, names and saves the reproducer of a finding.
    #[allow(clippy::too_many_arguments)]
    async fn save(&mut self, kind: Kind, g: u64, input: Input, entry: &Entry, last: Option<Vec<Execution>>, after: (u64, Duration), min: Minimisation) {
        let oracle = oracle_of(&kind);
        let shape = input.shape();
        let names: Vec<String> = self.envs.iter().map(|e| e.name.clone()).collect();
        let signature = match &kind {
            Kind::Spec { rule, reaction } => format!("spec/{rule}/{reaction}"),
            Kind::ServerOutput { check } => format!("server-output/{check}"),
            Kind::Differential { classes } => differential_signature(&names, classes),
            Kind::Down { oracle, detail } => format!("{}/{detail}/{}", oracle.name(), shape.join(",")),
            Kind::Hang => format!("hang/{}", shape.join(",")),
            Kind::Rss => format!("resource-rss/{}", shape.join(",")),
            Kind::Cpu => format!("resource-cpu/{}", shape.join(",")),
        };
        let by_shape = matches!(kind, Kind::Down { .. } | Kind::Hang | Kind::Rss | Kind::Cpu) && self.is_known_shape(oracle, &input);
        if self.is_known(&signature) || by_shape {
            self.summary.duplicates += 1;
            return;
        }
        let mut r = Reproducer::new(oracle, signature.clone(), &input);
        r.target = names.join(", ");
        r.provenance = Provenance { seed: self.config.seed, shard: self.config.shard.to_string(), index: g, origin: entry.origin() };
        r.minimised = min;
        let primary = last.as_ref().and_then(|l| l.first());
        if let Some(ex) = primary {
            r.transcript = ex.transcript.iter().map(|l| format!("{:>6} ms {} {}", l.at_ms, arrow(l.dir), l.text)).collect();
        }
        describe(&mut r, &kind, primary, last.as_deref().unwrap_or(&[]), &names, &input);
        let path = match &self.config.findings_dir {
            Some(dir) => match r.save(dir) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.summary.notes.push(format!("could not save a finding: {e}"));
                    None
                }
            },
            None => None,
        };
        self.known.push((oracle, signature, input));
        self.summary.found.push(Found { reproducer: r, path, after_inputs: after.0, after: after.1 });
        self.report(None, true);
    }

    /// The resource oracle after a batch: RSS growth past `rss_step`, or CPU per input past
    /// half the limit, starts a search of the batch by repetition.
    async fn resource_check(&mut self, batch: &[(u64, Input, Entry)]) {
        if self.envs.len() != 1 || self.primary().send_only {
            return;
        }
        let Some(now) = self.server.sample() else { return };
        if self.server.restarts() != self.restarts_sampled {
            // A new process: its growth starts from here.
            self.restarts_sampled = self.server.restarts();
            self.rss_checkpoint = Some(now.rss_bytes);
            self.cpu_last = Some(now.cpu_ms);
            return;
        }
        let rss_grew = self.rss_checkpoint.is_some_and(|c| now.rss_bytes >= c.saturating_add(self.config.rss_step));
        let cpu = self.cpu_last.map(|c| now.cpu_ms.saturating_sub(c)).unwrap_or(0);
        let cpu_high = !batch.is_empty() && cpu / batch.len() as u64 >= self.config.cpu_per_input.as_millis() as u64 / 2;
        if rss_grew || cpu_high {
            let kind = if rss_grew { Kind::Rss } else { Kind::Cpu };
            let oracle = oracle_of(&kind);
            self.report(Some(format!("looking for the input behind the {oracle} growth")), true);
            for (g, input, entry) in batch {
                if Instant::now() >= self.deadline + MINIMISE_OVERRUN || self.summary.stopped.is_some() {
                    break;
                }
                if self.is_known_shape(oracle, input) {
                    continue;
                }
                let after = (self.summary.inputs, self.started.elapsed());
                let mut check = Recheck { envs: &self.envs, server: &mut self.server, kind: kind.clone(), config: &self.config, last: None, lost: false, seen: String::new(), note: None };
                let reproduced = check.reproduces(input).await;
                if let Some(n) = check.note.take() {
                    if !self.summary.notes.iter().any(|m| m.starts_with("the server's RSS grows with plain GETs")) {
                        self.summary.notes.push(n);
                    }
                }
                if reproduced {
                    let confirmation = check.last.take();
                    self.confirmed(kind.clone(), *g, input, entry, after, confirmation).await;
                }
            }
        }
        // RSS is compared with the last investigation (slow leaks add up); CPU per batch.
        let after = self.server.sample();
        if rss_grew {
            self.rss_checkpoint = after.map(|s| s.rss_bytes).or(self.rss_checkpoint);
        }
        self.cpu_last = after.map(|s| s.cpu_ms);
    }
}

fn arrow(d: crate::model::Direction) -> &'static str {
    match d {
        crate::model::Direction::Sent => "→",
        crate::model::Direction::Received => "←",
        crate::model::Direction::Note => "·",
    }
}

fn unminimised(input: &Input) -> Minimisation {
    Minimisation { from_frames: input.units.len(), from_octets: input.octets().len(), checks: 0, complete: false }
}

fn oracle_of(kind: &Kind) -> Oracle {
    match kind {
        Kind::Spec { .. } => Oracle::Spec,
        Kind::ServerOutput { .. } => Oracle::ServerOutput,
        Kind::Hang => Oracle::Hang,
        Kind::Differential { .. } => Oracle::Differential,
        Kind::Down { oracle, .. } => *oracle,
        Kind::Rss => Oracle::ResourceRss,
        Kind::Cpu => Oracle::ResourceCpu,
    }
}

/// The signature of a candidate that is known before minimising (those with a rule or a
/// check of their own).
fn signature_before(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Spec { rule, reaction } => Some(format!("spec/{rule}/{reaction}")),
        Kind::ServerOutput { check } => Some(format!("server-output/{check}")),
        _ => None,
    }
}

fn differential_signature(names: &[String], classes: &[Option<Class>]) -> String {
    let parts: Vec<String> = names.iter().zip(classes).map(|(n, c)| format!("{n}={}", c.map_or("-", Class::name))).collect();
    format!("differential/{}", parts.join(";"))
}

/// The main part of a reaction label (without the streams it reset on the way): what a spec
/// signature holds, so that minimising away an unrelated reset keeps the signature.
fn main_reaction(label: &str) -> String {
    label.rsplit(", ").next().unwrap_or(label).to_string()
}

/// A candidate finding from one input's outcome, before confirmation.
struct Candidate {
    kind: Kind,
    /// How many of the input's units it concerns (a spec candidate ends at its violating
    /// frame).
    keep: Option<usize>,
}

/// The candidates one input's outcome raises.
fn candidates(execs: &[Execution]) -> Vec<Candidate> {
    let mut out = Vec::new();
    if let Some(ex) = execs.first() {
        if ex.hung() {
            out.push(Candidate { kind: Kind::Hang, keep: None });
        } else if let Some(s) = ex.spec_failed() {
            let v = &s.violation;
            let kind = Kind::Spec { rule: v.rule.clone(), reaction: main_reaction(&ex.reaction.label) };
            out.push(Candidate { kind, keep: Some(v.unit + 1) });
        }
        for f in &ex.server_output {
            out.push(Candidate { kind: Kind::ServerOutput { check: f.check.clone() }, keep: None });
        }
    }
    if execs.len() > 1 {
        let classes: Vec<Option<Class>> = execs.iter().map(|e| e.reaction.class).collect();
        // A refused connection or a hang is the crash and hang oracles' business.
        let comparable = classes.iter().all(|c| c.is_some_and(|c| !matches!(c, Class::Refused | Class::Hang)));
        if comparable && classes.iter().any(|c| *c != classes[0]) {
            out.push(Candidate { kind: Kind::Differential { classes }, keep: None });
        }
    }
    out
}

/// Whether the frames before a violation (its frame, or its field block) are ones the
/// server accepts, run alone: if they end the connection, the reaction was to them (a
/// flow-control overflow, a rule the codec does not name), and if they make the server
/// reset the violation's stream (a malformed request), frames on it "MUST" be ignored
/// (RFC 9113 §5.1). Asked of every input a spec finding is confirmed or minimised on.
async fn context_accepted(env: &Env, input: &Input, v: &Violation) -> bool {
    if v.first_unit == 0 {
        return true;
    }
    let prefix = execute_lingering(env, &input.truncated(v.first_unit)).await;
    let ended = matches!(prefix.reaction.class, Some(Class::ConnectionError | Class::Graceful | Class::Hang | Class::Refused));
    !ended && (v.stream == 0 || !prefix.reset_streams.contains(&v.stream))
}

/// The detail of a crash the server's log reported.
const WORKER_DIED: &str = "a worker died";

/// Whether the server is down: its process exited, its log reports a worker's death, or
/// two liveness checks 100 ms apart failed. The oracle (crash or hang) and the detail that
/// goes into the signature. `settle`: right after an input alone, give the log time to
/// report it.
async fn down(server: &mut Server, env: &Env, settle: bool) -> Option<(Oracle, String)> {
    if let Some(status) = server.exited() {
        return Some((Oracle::Crash, status));
    }
    if let Some(c) = server.log_crash(settle).await {
        return Some((Oracle::Crash, format!("{WORKER_DIED} ({})", c.what)));
    }
    if env.send_only {
        // A sink answers nothing: only a refused connection says it is gone.
        return match env.permit.connect(&env.connector, env.timeout).await {
            Ok(_) => None,
            Err(_) => Some((Oracle::Crash, "refuses connections".into())),
        };
    }
    if liveness(env).await == Liveness::Up {
        return None;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    if let Some(status) = server.exited() {
        return Some((Oracle::Crash, status));
    }
    match liveness(env).await {
        Liveness::Up => None,
        Liveness::Refused(_) => Some((Oracle::Crash, "refuses connections".into())),
        Liveness::Closes(_) => Some((Oracle::Crash, "closes connections".into())),
        Liveness::NoAnswer(_) => Some((Oracle::Hang, "does not answer".into())),
    }
}

/// Brings a down server back: ours is restarted; another is waited for until it answers.
async fn recover(server: &mut Server, env: &Env, wait: Duration) -> Result<(), String> {
    if let Process::Pid(_) = server.process {
        if server.exited().is_some() {
            server.process = Process::External;
        }
    }
    if let Process::Spawned(_) = server.process {
        server.restart(env, wait).await.map_err(|e| e.to_string())?;
        if liveness(env).await == Liveness::Up {
            return Ok(());
        }
        return Err("it was restarted but does not answer a GET".into());
    }
    let until = Instant::now() + wait;
    loop {
        if liveness(env).await == Liveness::Up {
            return Ok(());
        }
        if Instant::now() >= until {
            return Err(format!("it did not answer a GET within {} s", wait.as_secs()));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Re-runs an input and checks for the same finding: confirmation and minimisation.
struct Recheck<'a> {
    envs: &'a [Arc<Env>],
    server: &'a mut Server,
    kind: Kind,
    config: &'a Config,
    /// The executions of the last run that reproduced.
    last: Option<Vec<Execution>>,
    /// The server went down and did not come back: nothing reproduces any more.
    lost: bool,
    /// What the last run showed, reproduced or not (for replay's output).
    seen: String,
    /// A resource measurement that plain GETs explained as well, for the summary.
    note: Option<String>,
}

impl Reproduce for Recheck<'_> {
    async fn reproduces(&mut self, input: &Input) -> bool {
        if self.lost {
            return false;
        }
        let env = &self.envs[0];
        let ok = match &self.kind {
            Kind::Spec { rule, reaction } => {
                let ex = execute(env, input).await;
                let failed = ex.spec_failed().filter(|s| &s.violation.rule == rule && &main_reaction(&ex.reaction.label) == reaction);
                let ok = match failed {
                    Some(s) => context_accepted(env, input, &s.violation).await,
                    None => false,
                };
                self.keep(ok, vec![ex])
            }
            Kind::ServerOutput { check } => {
                let ex = execute(env, input).await;
                let ok = ex.server_output.iter().any(|f| &f.check == check);
                self.keep(ok, vec![ex])
            }
            Kind::Hang => {
                let ex = execute(env, input).await;
                let ok = ex.hung();
                self.keep(ok, vec![ex])
            }
            Kind::Differential { classes } => {
                let mut all = Vec::new();
                for e in self.envs {
                    all.push(execute(e, input).await);
                }
                let ok = all.iter().map(|x| x.reaction.class).eq(classes.iter().copied());
                self.keep(ok, all)
            }
            Kind::Down { oracle, .. } => {
                let ex = execute(env, input).await;
                let went = down(self.server, env, true).await;
                let ok = went.as_ref().is_some_and(|(o, _)| o == oracle);
                if went.is_some() && recover(self.server, env, self.config.restart_wait).await.is_err() {
                    self.lost = true;
                }
                self.keep(ok, vec![ex])
            }
            Kind::Rss | Kind::Cpu => {
                let Some(before) = self.server.sample() else { return false };
                let mut last = None;
                for _ in 0..self.config.repeats.max(1) {
                    last = Some(execute(env, input).await);
                }
                let Some(mut after) = self.server.sample() else { return false };
                let n = self.config.repeats.max(1) as u64;
                let ok = if matches!(self.kind, Kind::Rss) {
                    let grew = |from: u64, to: u64| to >= from.saturating_add(n * self.config.rss_per_repeat);
                    // A garbage-collected server's heap grows in steps, then levels off; a
                    // leak keeps growing: a second round must grow as much again.
                    grew(before.rss_bytes, after.rss_bytes) && {
                        let mid = after.rss_bytes;
                        for _ in 0..n {
                            last = Some(execute(env, input).await);
                        }
                        match self.server.sample() {
                            Some(end) => {
                                after = end;
                                grew(mid, end.rss_bytes)
                            }
                            None => false,
                        }
                    } && {
                        // And as many plain GETs must not grow it as much: a heap still
                        // growing under the campaign's load (or others') grows for them too.
                        let control = Input::new(vec![Unit::Frame(env.ctx().get(1).end_stream().build())]);
                        let from = self.server.sample().map_or(0, |x| x.rss_bytes);
                        for _ in 0..2 * n {
                            execute(env, &control).await;
                        }
                        let to = self.server.sample().map_or(u64::MAX, |x| x.rss_bytes);
                        let explained = to.saturating_sub(from) >= after.rss_bytes.saturating_sub(before.rss_bytes) / 2;
                        if explained {
                            self.note = Some(format!(
                                "the server's RSS grows with plain GETs too ({} → {} over {} fresh connections): a leak per connection, or a heap still growing; not attributed to an input",
                                mib(from),
                                mib(to),
                                2 * n
                            ));
                        }
                        !explained
                    }
                } else {
                    after.cpu_ms.saturating_sub(before.cpu_ms) >= n * self.config.cpu_per_input.as_millis() as u64
                };
                if ok {
                    if let Some(mut ex) = last.take() {
                        let what = if matches!(self.kind, Kind::Rss) {
                            format!(
                                "RSS {} → {} over {} repetitions (+{} per repetition)",
                                mib(before.rss_bytes),
                                mib(after.rss_bytes),
                                2 * n,
                                mib((after.rss_bytes.saturating_sub(before.rss_bytes)) / (2 * n))
                            )
                        } else {
                            format!("{} ms of CPU over {n} repetitions", after.cpu_ms.saturating_sub(before.cpu_ms))
                        };
                        ex.reaction.label = what;
                        last = Some(ex);
                    }
                }
                self.keep(ok, last.into_iter().collect())
            }
        };
        ok
    }
}

impl Recheck<'_> {
    fn keep(&mut self, ok: bool, execs: Vec<Execution>) -> bool {
        self.seen = execs
            .iter()
            .map(|e| match e.spec.as_ref() {
                Some(s) => format!("{} (judge: {}: {})", e.reaction.label, s.verdict.label(), s.verdict.observed()),
                None => match e.server_output.first() {
                    Some(f) => format!("{}; {}: {}", e.reaction.label, f.check, f.detail),
                    None => e.reaction.label.clone(),
                },
            })
            .collect::<Vec<_>>()
            .join(" | ");
        if ok {
            self.last = Some(execs);
        }
        ok
    }
}

fn mib(b: u64) -> String {
    format!("{:.1} MiB", b as f64 / f64::from(1 << 20))
}

/// Fills in what a person reads first: the summary line, expected and observed, the rule.
fn describe(r: &mut Reproducer, kind: &Kind, ex: Option<&Execution>, all: &[Execution], names: &[String], input: &Input) {
    let frames = input.units.iter().map(|u| u.describe()).collect::<Vec<_>>().join("; ");
    let observed = ex.map(|e| e.reaction.label.clone()).unwrap_or_default();
    match kind {
        Kind::Spec { rule, reaction } => {
            r.key = rule.clone();
            r.reactions.insert("reaction".into(), reaction.clone());
            if let Some(s) = ex.and_then(|e| e.spec.as_ref()) {
                r.rule = s.verdict.rule().cloned();
                r.expected = Some(s.violation.expectation.to_string());
                r.observed = s.verdict.observed().to_string();
                r.summary = format!("{}: {} ({}); the server's reaction: {}", s.violation.section, s.violation.what, rule, reaction);
            } else {
                r.summary = format!("rule {rule}: the server's reaction: {reaction}");
                r.observed = observed;
            }
        }
        Kind::ServerOutput { check } => {
            r.key = check.clone();
            if let Some(c) = CHECKS.iter().find(|c| c.server_id == Some(check.as_str())) {
                r.rule = Some(Citation { section: c.section.into(), text: c.requirement.into() });
                r.expected = Some(c.rule.into());
            }
            let detail = ex.and_then(|e| e.server_output.iter().find(|f| &f.check == check)).map(|f| f.detail.clone()).unwrap_or_default();
            r.summary = format!("{check}: {detail}");
            r.observed = detail;
        }
        Kind::Differential { classes } => {
            r.key = "classes".into();
            for ((n, c), e) in names.iter().zip(classes).zip(all.iter().map(Some).chain(std::iter::repeat(None))) {
                let label = e.map(|e| e.reaction.label.clone()).unwrap_or_default();
                r.reactions.insert(n.clone(), format!("{}: {label}", c.map_or("-", Class::name)));
            }
            let parts: Vec<String> = names.iter().zip(classes).map(|(n, c)| format!("{n} {}", c.map_or("-", Class::name))).collect();
            r.summary = format!("servers disagree on {frames}: {}", parts.join(", "));
            r.observed = parts.join(", ");
        }
        Kind::Down { oracle, detail } => {
            r.key = detail.clone();
            r.summary = format!("the server {} after: {frames}", if *oracle == Oracle::Crash { format!("went down ({detail})") } else { format!("stopped answering ({detail})") });
            r.expected = Some("the server keeps serving other connections whatever one connection sends".into());
            r.observed = detail.clone();
        }
        Kind::Hang => {
            r.summary = format!("the connection neither answered a PING nor closed after: {frames}");
            r.expected = Some("a PING ACK (RFC 9113 §6.7: a PING without ACK MUST be answered), or an error and a close".into());
            r.observed = observed;
        }
        Kind::Rss | Kind::Cpu => {
            r.key = if matches!(kind, Kind::Rss) { "rss".into() } else { "cpu".into() };
            r.summary = format!("{observed}, repeating: {frames}");
            r.expected = Some("memory and CPU that do not grow with repetitions of one input on fresh connections".into());
            r.observed = observed;
        }
    }
    if r.transcript.is_empty() {
        r.transcript = vec![format!("octets: {}", hex(&input.octets()))];
    }
}

/// What `h2probe replay` found.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// Whether the finding reproduced (on any attempt).
    pub reproduced: bool,
    /// What the last run showed.
    pub observed: String,
    /// The transcript of the run that reproduced it (or of the last run's primary target).
    pub transcript: Vec<String>,
    /// Runs made.
    pub attempts: usize,
}

/// Why a reproducer cannot be replayed with what was given.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// A resource finding needs the server's process.
    #[error("a {0} finding is measured on the server's process: give --server-pid PID or --spawn CMD")]
    NeedsProcess(Oracle),
    /// A crash seen in the server's log needs the log.
    #[error("this crash was seen in the server's log (a worker died): give --server-log FILE")]
    NeedsLog,
    /// A differential finding needs its servers.
    #[error("a differential finding compares servers: give --targets FILE naming {0}")]
    NeedsTargets(String),
    /// The file's input does not load.
    #[error("{0}")]
    Input(String),
}

/// Re-sends a reproducer's input and checks that its oracle fires the same way: up to
/// `attempts` runs, stopping at the first that reproduces. `envs` are the target (or, for a
/// differential finding, the servers named in the file, in any order).
pub async fn replay(r: &Reproducer, envs: Vec<Env>, mut server: Server, config: &Config, attempts: usize) -> Result<Replayed, ReplayError> {
    let input = r.to_input().map_err(ReplayError::Input)?;
    let mut envs = envs;
    let kind = match r.oracle {
        Oracle::Spec => Kind::Spec { rule: r.key.clone(), reaction: r.reactions.get("reaction").cloned().unwrap_or_default() },
        Oracle::ServerOutput => Kind::ServerOutput { check: r.key.clone() },
        Oracle::Hang if r.key.is_empty() => Kind::Hang,
        Oracle::Crash if r.key.starts_with(WORKER_DIED) && !server.has_log() => return Err(ReplayError::NeedsLog),
        Oracle::Hang | Oracle::Crash => Kind::Down { oracle: r.oracle, detail: r.key.clone() },
        Oracle::ResourceRss | Oracle::ResourceCpu => {
            if server.sample().is_none() {
                return Err(ReplayError::NeedsProcess(r.oracle));
            }
            if r.oracle == Oracle::ResourceRss {
                Kind::Rss
            } else {
                Kind::Cpu
            }
        }
        Oracle::Differential => {
            let wanted: Vec<String> = r.reactions.keys().cloned().collect();
            let mut ordered = Vec::new();
            for name in &wanted {
                match envs.iter().position(|e| &e.name == name) {
                    Some(i) => ordered.push(envs.swap_remove(i)),
                    None => return Err(ReplayError::NeedsTargets(wanted.join(", "))),
                }
            }
            envs = ordered;
            let class_of = |v: &str| {
                let name = v.split(':').next().unwrap_or("");
                [Class::Accepted, Class::StreamError, Class::ConnectionError, Class::Graceful, Class::Hang, Class::Refused]
                    .into_iter()
                    .find(|c| c.name() == name)
            };
            Kind::Differential { classes: wanted.iter().map(|n| r.reactions.get(n).and_then(|v| class_of(v))).collect() }
        }
    };
    let envs: Vec<Arc<Env>> = envs.into_iter().map(Arc::new).collect();
    let mut check = Recheck { envs: &envs, server: &mut server, kind, config, last: None, lost: false, seen: String::new(), note: None };
    let mut reproduced = false;
    let mut runs = 0;
    while runs < attempts.max(1) && !reproduced && !check.lost {
        runs += 1;
        reproduced = check.reproduces(&input).await;
    }
    let transcript = check
        .last
        .as_ref()
        .and_then(|l| l.first())
        .map(|ex| ex.transcript.iter().map(|l| format!("{:>6} ms {} {}", l.at_ms, arrow(l.dir), l.text)).collect())
        .unwrap_or_default();
    let observed = check.seen.clone();
    server.stop().await;
    Ok(Replayed { reproduced, observed, transcript, attempts: runs })
}
