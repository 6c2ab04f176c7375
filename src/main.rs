//! `h2probe`: conformance and resilience testing for HTTP/2 servers.

mod cli;
mod client;
mod demo;
mod fuzz;
mod known_failures;
mod list;
mod matrix;
mod output;
mod progress;
mod sections;
mod selection;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};
use cli::{Cli, Command, ConformArgs, FloodBounds, ReportArgs, StressArgs};
use h2probe_harness::case::{Case, FLOOD_TAG};
use h2probe_harness::model::{RunReport, Setting, Verdict};
use h2probe_harness::preflight;
use h2probe_harness::resilience::FloodLimits;
use h2probe_harness::runner::{self, RunOptions};
use h2probe_harness::safety::{self, Ownership};
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// A failure of the tester's own: one line on stderr, exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// What the user interrupted (Ctrl-C): exit 130, as a shell reports SIGINT.
pub(crate) const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => with_h2spec_hint(e).exit(),
    };
    let result = match cli.command {
        Command::List(args) => list::run(&args),
        Command::Completions(args) => completions(args.shell),
        Command::Man => man(),
        command => match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Err(e) => Err(UsageError(format!("cannot start the async runtime: {e}"))),
            Ok(rt) => rt.block_on(async move {
                match command {
                    Command::Conform(args) => conform(args).await,
                    Command::Stress(args) => stress(args).await,
                    Command::Client(args) => client::run(args).await,
                    Command::Demo(args) => demo::run(args).await,
                    Command::Matrix(args) => matrix::run(args).await,
                    Command::ServeDemo(args) => demo::serve_forever(args).await,
                    Command::Fuzz(args) => fuzz::run(args).await,
                    Command::Replay(args) => fuzz::replay(args).await,
                    Command::ServeVulnerable(args) => demo::serve_vulnerable(args).await,
                    Command::List(_) | Command::Completions(_) | Command::Man => Ok(ExitCode::SUCCESS),
                }
            }),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            output::stderr(&format!("h2probe: error: {e}\n"));
            ExitCode::from(2)
        }
    }
}

/// h2spec's flags that mean something else here or do not exist, with what to type instead:
/// people come to h2probe from h2spec with its muscle memory.
const H2SPEC_FLAGS: &[(&str, &str)] = &[
    ("-S", "use --strict"),
    ("--dryrun", "`h2probe list [SELECTION]` shows what would run"),
    ("--junit-report", "use --junit FILE"),
    ("-o", "use --timeout 2s (h2spec's -o is in seconds; give the unit)"),
    ("-P", "use --path P, or put the path in the URL"),
    ("-p", "put the port in the URL: http://host:PORT/"),
    ("-t", "give an https:// URL for TLS"),
    ("-s", "give a selection such as http2/6.5 (sections, ids and h2spec ids all work)"),
];

/// Adds "tip: use … instead" to clap's "unexpected argument '-S'" for an h2spec flag.
fn with_h2spec_hint(mut e: clap::Error) -> clap::Error {
    if e.kind() != ErrorKind::UnknownArgument {
        return e;
    }
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(a)) => a.split('=').next().unwrap_or_default().to_string(),
        _ => return e,
    };
    if let Some((_, instead)) = H2SPEC_FLAGS.iter().find(|(flag, _)| *flag == arg) {
        e.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![format!("h2probe has no {arg} (h2spec's): {instead}").into()]));
    }
    e
}

fn completions(shell: clap_complete::Shell) -> Result<ExitCode, UsageError> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "h2probe", &mut buf);
    output::stdout(&String::from_utf8_lossy(&buf))?;
    Ok(ExitCode::SUCCESS)
}

fn man() -> Result<ExitCode, UsageError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf).map_err(|e| UsageError(format!("man page: {e}")))?;
    output::stdout(&String::from_utf8_lossy(&buf))?;
    Ok(ExitCode::SUCCESS)
}

async fn conform(args: ConformArgs) -> Result<ExitCode, UsageError> {
    let (target, connector) = open_target(&args.target)?;
    let cases = selection::select(h2probe_cases::all(), &args.selection, &args.suite.exclude, args.suite.strict)?;
    let ownership = if args.flood.i_own_this_target { Ownership::Declared } else { Ownership::NotDeclared };
    let run = Run { target, connector, cases, opts: args.suite.run_options(), ownership, bounds: &args.flood.bounds };
    run_suite(run, &args.report, "conform").await
}

/// `stress`: the flood cases only (all of them by default), whatever their level.
async fn stress(args: StressArgs) -> Result<ExitCode, UsageError> {
    let (target, connector) = open_target(&args.target)?;
    let all = h2probe_cases::all();
    let selection = if args.selection.is_empty() { vec![FLOOD_TAG.to_string()] } else { args.selection.clone() };
    for sel in &selection {
        let matched = selection::select(all, std::slice::from_ref(sel), &[], true)?;
        if !matched.iter().any(|c| c.is_flood()) {
            return Err(UsageError(format!(
                "'{sel}' names no resilience case; `h2probe stress` runs only those (`h2probe list {FLOOD_TAG}`)"
            )));
        }
    }
    let cases = selection::select(all, &selection, &args.suite.exclude, true)?;
    let cases = cases.into_iter().filter(|c| c.is_flood()).collect();
    let ownership = if args.flood.i_own_this_target { Ownership::Declared } else { Ownership::NotDeclared };
    let run = Run { target, connector, cases, opts: args.suite.run_options(), ownership, bounds: &args.flood.bounds };
    run_suite(run, &args.report, "stress").await
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

/// One run of the suite, as `conform`, `stress` and `demo` set it up.
pub(crate) struct Run<'a> {
    pub target: Target,
    pub connector: Connector,
    pub cases: Vec<&'static Case>,
    pub opts: RunOptions,
    pub ownership: Ownership,
    pub bounds: &'a FloodBounds,
}

/// Runs the selected cases and reports; shared by `conform`, `stress` and `demo`.
///
/// Before any case: the report paths are checked; when the selection holds flood cases, the
/// target must pass `safety::authorize` (so no command can flood a target that is not
/// loopback by mistake); and one connection makes the HTTP/2 handshake (`preflight`), so
/// an endpoint that is not HTTP/2 is one line and exit 2, never a report of errors.
pub(crate) async fn run_suite(run: Run<'_>, args: &ReportArgs, command: &str) -> Result<ExitCode, UsageError> {
    let Run { target, connector, cases, opts, ownership, bounds } = run;
    output::check_paths(args)?;
    let known = match &args.expect {
        Some(path) => known_failures::load(path, h2probe_cases::all()).map_err(|e| UsageError(e.to_string()))?,
        None => Default::default(),
    };
    let flood_permit = if cases.iter().any(|c| c.is_flood()) {
        Some(safety::authorize(&target, ownership).await.map_err(|e| UsageError(e.to_string()))?)
    } else {
        None
    };
    let timeout = opts.timeout;
    let mut ready = preflight::check(&target, &connector, timeout).await.map_err(|e| UsageError(e.to_string()))?;
    if let (true, Some(tls)) = (args.verbose, &ready.tls) {
        output::stderr(&format!("h2probe: {}: {tls}\n", target.host_port()));
    }
    let answer = ready.get(&target, timeout).await;
    match answer.as_ref().and_then(|a| a.status) {
        Some(status) if !(200..300).contains(&status) => output::stderr(&format!(
            "h2probe: warning: GET {} answered {status}; cases that need a body or a 200 skip (--path names a resource that answers 200)\n",
            target.path
        )),
        _ => {}
    }
    // What the reports say about the server besides verdicts: its first handshake's
    // SETTINGS, what it calls itself, the TLS session.
    let about = About {
        server_settings: settings_of(&ready.conn.server),
        server: answer.and_then(|a| a.server),
        tls: ready.tls.as_ref().map(|t| t.to_string()),
    };
    drop(ready);
    let opts = RunOptions {
        limits: FloodLimits {
            max_frames: bounds.max_frames,
            max_duration: Duration::from_secs_f64(bounds.max_seconds),
            attack_size: bounds.attack_size,
        },
        flood_permit,
        ..opts
    };
    let n = cases.len();
    let Some(report) = progress::run_under_bar(n, "h2probe: interrupted: no report written\n", |progress| {
        runner::run(cases, Arc::new(target.clone()), Arc::new(connector), opts, &known, progress)
    })
    .await
    else {
        return Ok(ExitCode::from(INTERRUPTED));
    };
    let report = RunReport {
        tool_commit: tool_commit(),
        server_settings: about.server_settings,
        server: about.server,
        tls: about.tls,
        ..report
    };
    write_reports(&report, args, &known, &regenerate_command(command, &target))?;
    Ok(ExitCode::from(report.exit_status() as u8))
}

/// The server's side of the first handshake, for the reports.
struct About {
    server_settings: Vec<Setting>,
    server: Option<String>,
    tls: Option<String>,
}

/// The server's SETTINGS as received, in id order, by registry name (hex when unknown).
fn settings_of(server: &h2probe_harness::conn::ServerSettings) -> Vec<Setting> {
    let mut params: Vec<_> = server.params.iter().map(|(&id, &value)| (id, value)).collect();
    params.sort();
    params.into_iter().map(|(id, value)| Setting { name: id.to_string(), value }).collect()
}

/// The commit of this build, from the version string build.rs makes (`0.1.0 (3f2a9c1e0b)`).
pub(crate) fn tool_commit() -> Option<String> {
    let (_, rest) = env!("H2PROBE_VERSION").split_once(" (")?;
    Some(rest.trim_end_matches(')').to_string())
}

/// The command line a written known-failures file names for regenerating itself.
pub(crate) fn regenerate_command_line(command: &str, fallback: &str) -> String {
    let mut words: Vec<String> = std::env::args().skip(1).collect();
    if words.is_empty() {
        words = vec![command.to_string(), fallback.to_string()];
    }
    format!("h2probe {}", words.join(" "))
}

fn regenerate_command(command: &str, target: &Target) -> String {
    let mut words: Vec<String> = std::env::args().skip(1).collect();
    if words.is_empty() {
        words = vec![command.to_string(), target.url()];
    }
    format!("h2probe {}", words.join(" "))
}

pub(crate) fn write_reports(
    report: &RunReport,
    args: &ReportArgs,
    known: &std::collections::HashMap<String, String>,
    command: &str,
) -> Result<(), UsageError> {
    // With a report on stdout (`--json -`), the terminal report goes to stderr, so that
    // stdout is the report alone (for jq and the like).
    let to_stderr = output::report_on_stdout(args);
    let terminal = if to_stderr { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let color = output::color(args.color, |k| std::env::var(k).ok(), terminal);
    let opts = h2probe_reports::terminal::TerminalOptions { color, verbose: args.verbose, quiet: args.quiet };
    let text = h2probe_reports::terminal::render(report, &opts);
    if to_stderr {
        output::stderr(&text);
    } else {
        output::stdout(&text)?;
    }
    if let Some(p) = &args.junit {
        let xml = h2probe_reports::junit::render(report).map_err(|e| UsageError(format!("JUnit report: {e}")))?;
        output::write(p, &xml)?;
    }
    if let Some(p) = &args.json {
        output::write(p, &h2probe_reports::json::render(report))?;
    }
    if let Some(p) = &args.html {
        output::write(p, &h2probe_reports::html::render(report))?;
    }
    if let Some(p) = &args.write_expect {
        output::write(p, &known_failures::render(report, known, command))?;
        if p.as_os_str() != "-" {
            let n = report.results.iter().filter(|r| matches!(r.verdict, Verdict::Fail { .. })).count();
            output::stderr(&format!("h2probe: wrote {n} known failure{} to {}\n", if n == 1 { "" } else { "s" }, p.display()));
        }
    }
    Ok(())
}
