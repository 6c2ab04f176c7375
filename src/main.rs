//! `h2probe`: conformance, resilience and fuzz testing for HTTP/2 servers.

mod cli;
mod demo;
mod known_failures;
mod matrix;

use clap::Parser;
use cli::{Cli, Command, ConformArgs, FloodArgs, ListArgs, ListFormat, RunArgs, StressArgs};
use h2probe_harness::case::{Case, FLOOD_TAG};
use h2probe_harness::resilience::FloodLimits;
use h2probe_harness::safety::{self, Ownership};
use h2probe_harness::model::{Level, RunReport};
use h2probe_harness::runner::{self, Progress, RunOptions};
use h2probe_harness::select;
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// A failure of the tester's own: one line on stderr, exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fatal(&format!("cannot start the async runtime: {e}")),
    };
    let result = match cli.command {
        Command::List(args) => list(&args),
        Command::Conform(args) => rt.block_on(conform(args)),
        Command::Stress(args) => rt.block_on(stress(args)),
        Command::Demo(args) => rt.block_on(demo::run(args)),
        Command::Matrix(args) => rt.block_on(matrix::run(args)),
        Command::ServeDemo(args) => rt.block_on(demo::serve_forever(args)),
    };
    match result {
        Ok(code) => code,
        Err(e) => fatal(&e.to_string()),
    }
}

fn fatal(msg: &str) -> ExitCode {
    eprintln!("h2probe: error: {msg}");
    ExitCode::from(2)
}

fn list(args: &ListArgs) -> Result<ExitCode, UsageError> {
    let all = h2probe_cases::all();
    let cases: Vec<&Case> = if args.all && args.selection.is_empty() {
        all.iter().collect()
    } else {
        select::select(all, &args.selection, &[], true).map_err(|e| UsageError(e.to_string()))?
    };
    match args.format {
        ListFormat::Json => {
            let infos: Vec<_> = cases.iter().map(|c| c.info()).collect();
            let text = serde_json::to_string_pretty(&infos).map_err(|e| UsageError(e.to_string()))?;
            println!("{text}");
        }
        ListFormat::Text => {
            for c in &cases {
                let level = if c.level == Level::Should { " [SHOULD]" } else { "" };
                let alias = c.h2spec.map(|a| format!(" (h2spec {a})")).unwrap_or_default();
                println!("{:<58} {}{}{}", c.id, c.description, alias, level);
            }
            println!("{} cases", cases.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn conform(args: ConformArgs) -> Result<ExitCode, UsageError> {
    let (target, connector) = open_target(&args.target)?;
    let cases = select::select(h2probe_cases::all(), &args.selection, &args.run.suite.exclude, args.run.suite.strict)
        .map_err(|e| UsageError(e.to_string()))?;
    run_suite(target, connector, cases, &args.run, &args.flood).await
}

/// `stress`: the flood cases only (all of them by default), whatever their level.
async fn stress(args: StressArgs) -> Result<ExitCode, UsageError> {
    let (target, connector) = open_target(&args.target)?;
    let all = h2probe_cases::all();
    let selection = if args.selection.is_empty() { vec![FLOOD_TAG.to_string()] } else { args.selection.clone() };
    for sel in &selection {
        let matched = select::select(all, std::slice::from_ref(sel), &[], true).map_err(|e| UsageError(e.to_string()))?;
        if !matched.iter().any(|c| c.is_flood()) {
            return Err(UsageError(format!(
                "'{sel}' names no resilience case; `h2probe stress` runs only those (`h2probe list {FLOOD_TAG}`)"
            )));
        }
    }
    let cases = select::select(all, &selection, &args.run.suite.exclude, true).map_err(|e| UsageError(e.to_string()))?;
    let cases = cases.into_iter().filter(|c| c.is_flood()).collect();
    run_suite(target, connector, cases, &args.run, &args.flood).await
}

fn open_target(args: &cli::TargetArgs) -> Result<(Target, Connector), UsageError> {
    let (url, path, tls) = (args.url.as_str(), args.path.as_deref(), &args.tls);
    let mut target = Target::parse(url).map_err(|e| UsageError(e.to_string()))?;
    if let Some(p) = path {
        if !p.starts_with('/') {
            return Err(UsageError(format!("--path must start with '/': {p}")));
        }
        target.path = p.to_string();
    }
    let tls = TlsOptions {
        insecure: tls.insecure,
        ca_file: tls.ca.clone(),
        client_cert: tls.cert.clone().zip(tls.key.clone()),
        sni: tls.sni.clone(),
    };
    let connector = Connector::new(&target, &tls).map_err(|e| UsageError(e.to_string()))?;
    Ok((target, connector))
}

/// Runs the selected cases and reports; shared by `conform`, `stress` and `demo`. When the
/// selection holds flood cases, the target must pass `safety::authorize` first (exit 2 if
/// it does not), so no command can flood a target that is not loopback by mistake.
pub(crate) async fn run_suite(
    target: Target,
    connector: Connector,
    cases: Vec<&'static Case>,
    args: &RunArgs,
    flood: &FloodArgs,
) -> Result<ExitCode, UsageError> {
    let known = match &args.expect {
        Some(path) => known_failures::load(path, h2probe_cases::all()).map_err(|e| UsageError(e.to_string()))?,
        None => Default::default(),
    };
    let flood_permit = if cases.iter().any(|c| c.is_flood()) {
        let ownership = if flood.i_own_this_target { Ownership::Declared } else { Ownership::NotDeclared };
        Some(safety::authorize(&target, ownership).await.map_err(|e| UsageError(e.to_string()))?)
    } else {
        None
    };
    let base = args.suite.run_options();
    let timeout = base.timeout;
    // One connection up front, so "connection refused" or a TLS failure is one clear line
    // rather than a report in which every case errored.
    connector.connect(timeout).await.map_err(|e| UsageError(e.to_string()))?;
    let opts = RunOptions {
        fence: !args.no_fence,
        limits: FloodLimits {
            max_frames: flood.max_frames,
            max_duration: Duration::from_secs_f64(flood.max_seconds),
            ..FloodLimits::default()
        },
        flood_permit,
        ..base
    };
    let progress = progress_bar(cases.len());
    let report = runner::run(cases, Arc::new(target), Arc::new(connector), opts, &known, progress.as_ref().map(|(_, p)| p.clone())).await;
    if let Some((bar, _)) = progress {
        bar.finish_and_clear();
    }
    write_reports(&report, args)?;
    Ok(ExitCode::from(report.exit_status() as u8))
}

fn progress_bar(n: usize) -> Option<(indicatif::ProgressBar, Progress)> {
    if !std::io::stderr().is_terminal() || n < 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let b = bar.clone();
    let cb: Progress = Arc::new(move |r| {
        b.inc(1);
        b.set_message(r.info.id.clone());
    });
    Some((bar, cb))
}

fn write_reports(report: &RunReport, args: &RunArgs) -> Result<(), UsageError> {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let opts = h2probe_reports::terminal::TerminalOptions { color, verbose: args.verbose };
    print!("{}", h2probe_reports::terminal::render(report, &opts));
    let write = |path: &std::path::Path, text: String| {
        std::fs::write(path, text).map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))
    };
    if let Some(p) = &args.junit {
        let xml = h2probe_reports::junit::render(report).map_err(|e| UsageError(format!("JUnit report: {e}")))?;
        write(p, xml)?;
    }
    if let Some(p) = &args.json {
        write(p, h2probe_reports::json::render(report))?;
    }
    if let Some(p) = &args.html {
        write(p, h2probe_reports::html::render(report))?;
    }
    Ok(())
}
