//! `h2probe fuzz` and `h2probe replay`: the command line around `h2probe_harness::fuzz`.
//!
//! Here, not in the harness, because the seed corpus is the catalogue (`h2probe_cases`),
//! which the harness must not depend on. Order of a campaign's start, each step able to
//! refuse with exit 2 before the next: the loopback gate for every target (the same
//! `safety::authorize` as floods, before any connection or spawn), the spawned server, the
//! handshake with every target (`preflight`), the seeds built from the server's SETTINGS.

use crate::cli::{FuzzArgs, ReplayArgs, TlsArgs};
use crate::matrix::{parse_targets, TargetsError};
use crate::output;
use crate::UsageError;
use h2probe_harness::case::{Ctx, Step};
use h2probe_harness::fuzz::campaign::{self, Campaign, Config, Progress, Summary};
use h2probe_harness::fuzz::execute::Env;
use h2probe_harness::fuzz::generate::Context;
use h2probe_harness::fuzz::reproducer::Reproducer;
use h2probe_harness::fuzz::seeds::{self, Seed};
use h2probe_harness::fuzz::server::{Server, Spawned};
use h2probe_harness::fuzz::server_log::ServerLog;
use h2probe_harness::preflight;
use h2probe_harness::resilience::FloodLimits;
use h2probe_harness::safety::{self, Ownership};
use h2probe_harness::transport::{Connector, Scheme, Target, TlsOptions};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// How long a spawned server may take to accept its first connection.
const SPAWN_WAIT: Duration = Duration::from_secs(10);

/// The servers of a run: `(name, target, connector)`.
fn targets(url: Option<&str>, file: Option<&Path>, tls: &TlsArgs, path: Option<&str>) -> Result<Vec<(String, Target, Connector)>, UsageError> {
    let mut out = Vec::new();
    if let Some(file) = file {
        let p = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|source| UsageError(TargetsError::Read { path: p.clone(), source }.to_string()))?;
        for row in parse_targets(&text, &p).map_err(|e| UsageError(e.to_string()))? {
            let mut target = Target::parse(&row.url).map_err(|e| UsageError(format!("{}: {e}", row.name)))?;
            if let Some(path) = path {
                target.path = path.to_string();
            }
            let connector = Connector::new(&target, &TlsOptions { insecure: true, ..TlsOptions::default() })
                .map_err(|e| UsageError(format!("{}: {e}", row.name)))?;
            out.push((row.name, target, connector));
        }
        return Ok(out);
    }
    let url = url.ok_or_else(|| UsageError("give a URL or --targets FILE".into()))?;
    let mut target = Target::parse(url).map_err(|e| UsageError(e.to_string()))?;
    if let Some(p) = path {
        if !p.starts_with('/') {
            return Err(UsageError(format!("--path must start with '/': {p}")));
        }
        target.path = p.to_string();
    }
    let options = TlsOptions {
        insecure: tls.insecure,
        ca_file: tls.ca.clone(),
        client_cert: tls.cert.clone().zip(tls.key.clone()),
        sni: tls.sni.clone(),
    };
    let connector = Connector::new(&target, &options).map_err(|e| UsageError(e.to_string()))?;
    Ok(vec![(target.url(), target, connector)])
}

/// Every target through the loopback gate, into an [`Env`] each.
async fn envs(servers: Vec<(String, Target, Connector)>, ownership: Ownership, timeout: Duration, strict: bool, send_only: bool) -> Result<Vec<Env>, UsageError> {
    let mut out = Vec::new();
    for (name, target, connector) in servers {
        let permit = safety::authorize(&target, ownership).await.map_err(|e| UsageError(e.to_string().replace("to flood", "to fuzz")))?;
        out.push(Env { name, target, connector, permit, timeout, strict, send_only });
    }
    Ok(out)
}

/// The catalogue's scripts as seeds: every case that runs after the handshake (flood cases
/// and passive checks aside), its `Send` steps concatenated, built for this server.
fn catalogue_seeds(env: &Env, server: &h2probe_harness::conn::ServerSettings) -> Vec<Seed> {
    let ctx = Ctx { server: server.clone(), limits: FloodLimits::default(), ..env.ctx() };
    let mut out = Vec::new();
    for case in h2probe_cases::all() {
        if case.is_passive() || case.is_flood() || !case.setup.handshake {
            continue;
        }
        let Ok(script) = (case.script)(&ctx) else { continue };
        let outs: Vec<_> = script
            .steps
            .into_iter()
            .filter_map(|s| match s {
                Step::Send(o) => Some(o),
                _ => None,
            })
            .flatten()
            .collect();
        if !outs.is_empty() {
            out.push(Seed::from_outgoing(case.id, &outs));
        }
    }
    out
}

fn context(env: &Env) -> Context {
    Context {
        scheme: match env.target.scheme {
            Scheme::H2c => "http".into(),
            Scheme::Tls => "https".into(),
        },
        authority: env.target.authority.clone(),
        path: env.target.path.clone(),
    }
}

/// `--server-log FILE`, read from its current end.
fn with_log(server: Server, log: Option<&Path>) -> Result<Server, UsageError> {
    match log {
        None => Ok(server),
        Some(p) => {
            let log = ServerLog::open(p).map_err(|e| UsageError(format!("--server-log {}: {e}", p.display())))?;
            Ok(server.with_log(log))
        }
    }
}

/// `h2probe fuzz`.
pub async fn run(args: FuzzArgs) -> Result<ExitCode, UsageError> {
    let servers = targets(args.url.as_deref(), args.targets.as_deref(), &args.tls, args.path.as_deref())?;
    let ownership = if args.i_own_this_target { Ownership::Declared } else { Ownership::NotDeclared };
    let envs = envs(servers, ownership, args.timeout, args.strict, args.send_only).await?;
    let config = Config {
        seed: args.seed,
        shard: args.shard,
        max_inputs: args.max_inputs,
        max_duration: Duration::from_secs_f64(args.max_seconds),
        jobs: args.jobs,
        probe_every: args.probe_every,
        findings_dir: Some(args.findings.clone()),
        corpus_dir: args.corpus.clone(),
        minimise: !args.no_minimise,
        rss_step: args.rss_step << 20,
        ..Config::default()
    };
    let server = match (&args.spawn, args.server_pid) {
        (Some(cmd), _) => Server::spawned(Spawned::start(cmd, &envs[0], SPAWN_WAIT, 50).await.map_err(|e| UsageError(e.to_string()))?),
        (None, Some(pid)) => {
            if !h2probe_harness::process::alive(pid) {
                return Err(UsageError(format!("--server-pid {pid}: no such process")));
            }
            Server::pid(pid)
        }
        (None, None) => Server::external(),
    };
    let server = with_log(server, args.server_log.as_deref())?;
    // Every server speaks HTTP/2 before anything is sent; the primary's SETTINGS shape the seeds.
    let mut settings = None;
    if !args.send_only {
        for env in &envs {
            let ready = preflight::check(&env.target, &env.connector, env.timeout).await.map_err(|e| UsageError(format!("{}: {e}", env.name)))?;
            settings.get_or_insert(ready.conn.server.clone());
        }
    }
    let cx = context(&envs[0]);
    let mut seeds = seeds::builtin(&cx);
    if !args.no_seeds {
        seeds.extend(catalogue_seeds(&envs[0], &settings.unwrap_or_default()));
    }
    let names: Vec<String> = envs.iter().map(|e| e.name.clone()).collect();
    if !args.quiet {
        output::stderr(&format!(
            "h2probe fuzz: {} — seed {}, shard {}, {} seed inputs, at most {} inputs / {} s, findings in {}\n",
            names.join(", "),
            args.seed,
            args.shard,
            seeds.len(),
            args.max_inputs,
            args.max_seconds,
            args.findings.display()
        ));
    }
    let mut campaign = Campaign::new(config, envs, server, cx, seeds);
    if !args.quiet {
        campaign = campaign.on_progress(progress_printer());
    }
    let summary = tokio::select! {
        s = campaign.run() => s,
        _ = tokio::signal::ctrl_c() => {
            output::stderr(&format!("\nh2probe: interrupted; findings saved so far are in {}\n", args.findings.display()));
            return Ok(ExitCode::from(crate::INTERRUPTED));
        }
    };
    if !args.quiet && std::io::stderr().is_terminal() {
        output::stderr("\n");
    }
    output::stdout(&render(&summary))?;
    Ok(if summary.found.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The progress line: on a terminal rewritten in place each second, otherwise one line
/// every ten seconds (CI logs).
fn progress_printer() -> impl FnMut(&Progress) {
    let tty = std::io::stderr().is_terminal();
    let mut last_line = std::time::Instant::now() - Duration::from_secs(60);
    move |p: &Progress| {
        let secs = p.elapsed.as_secs_f64().max(0.001);
        let found: Vec<String> = p.findings.iter().map(|(o, n)| format!("{o} {n}")).collect();
        let found = if found.is_empty() { "0".to_string() } else { format!("{} ({})", p.findings.values().sum::<usize>(), found.join(", ")) };
        let mut line = format!(
            "{:>6.0} s  {} inputs ({:.0}/s)  corpus {}  findings {}",
            secs,
            p.inputs,
            p.inputs as f64 / secs,
            p.corpus,
            found
        );
        if p.restarts > 0 {
            line.push_str(&format!("  restarts {}", p.restarts));
        }
        if let Some(d) = &p.doing {
            line.push_str(&format!("  — {d}"));
        }
        if tty {
            output::stderr(&format!("\r\x1b[2K{line}"));
        } else if last_line.elapsed() >= Duration::from_secs(10) || p.doing.is_some() {
            last_line = std::time::Instant::now();
            output::stderr(&format!("{line}\n"));
        }
    }
}

/// The summary on stdout: every new finding with its file, then the numbers.
fn render(s: &Summary) -> String {
    let mut out = String::new();
    for f in &s.found {
        let r = &f.reproducer;
        out.push_str(&format!("{:<14} {}\n", format!("[{}]", r.oracle), r.summary));
        if let Some(p) = &f.path {
            out.push_str(&format!("{:<14} {}\n", "", p.display()));
        }
        let minimised = match (r.minimised.checks, r.minimised.complete) {
            (0, false) => "not minimised".to_string(),
            (n, true) => format!("minimised from {} ({n} re-runs)", r.minimised.from_frames),
            (n, false) => format!("minimised from {} ({n} re-runs, budget exhausted)", r.minimised.from_frames),
        };
        out.push_str(&format!(
            "{:<14} found after {} inputs ({:.1} s); {} frames, {minimised}\n",
            "",
            f.after_inputs,
            f.after.as_secs_f64(),
            r.input.frames.len(),
        ));
    }
    let secs = s.elapsed.as_secs_f64().max(0.001);
    out.push_str(&format!(
        "{} inputs in {:.1} s ({:.0}/s), corpus {} (+{}), {} new finding{}, {} known again",
        s.inputs,
        secs,
        s.inputs as f64 / secs,
        s.corpus,
        s.corpus_added,
        s.found.len(),
        if s.found.len() == 1 { "" } else { "s" },
        s.duplicates
    ));
    if s.restarts > 0 {
        out.push_str(&format!(", {} restarts", s.restarts));
    }
    out.push('\n');
    for n in &s.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    if let Some(why) = &s.stopped {
        out.push_str(&format!("stopped early: {why}\n"));
    }
    out
}

/// `h2probe replay FILE URL`: exit 1 when the finding reproduces, 0 when it does not.
pub async fn replay(args: ReplayArgs) -> Result<ExitCode, UsageError> {
    let r = Reproducer::load(&args.file).map_err(|e| UsageError(e.to_string()))?;
    let servers = targets(args.url.as_deref(), args.targets.as_deref(), &args.tls, None)?;
    let ownership = if args.i_own_this_target { Ownership::Declared } else { Ownership::NotDeclared };
    let envs = envs(servers, ownership, args.timeout, false, false).await?;
    let server = match (&args.spawn, args.server_pid) {
        (Some(cmd), _) => Server::spawned(Spawned::start(cmd, &envs[0], SPAWN_WAIT, 1).await.map_err(|e| UsageError(e.to_string()))?),
        (None, Some(pid)) => Server::pid(pid),
        (None, None) => Server::external(),
    };
    let server = with_log(server, args.server_log.as_deref())?;
    for env in &envs {
        preflight::check(&env.target, &env.connector, env.timeout).await.map_err(|e| UsageError(format!("{}: {e}", env.name)))?;
    }
    let config = Config::default();
    let out = campaign::replay(&r, envs, server, &config, args.attempts as usize).await.map_err(|e| UsageError(e.to_string()))?;
    let mut text = String::new();
    if out.reproduced {
        text.push_str(&format!("reproduced [{}] {}\n  {}\n", r.oracle, r.signature, r.summary));
    } else {
        text.push_str(&format!("not reproduced [{}] {} ({} runs)\n", r.oracle, r.signature, out.attempts));
    }
    if !out.observed.is_empty() {
        text.push_str(&format!("  observed: {}\n", out.observed));
    }
    if args.verbose {
        for l in &out.transcript {
            text.push_str(&format!("  {l}\n"));
        }
    }
    output::stdout(&text)?;
    Ok(if out.reproduced { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
