//! The command line: the contract scripts and CI jobs rely on (README.md, "Use").
//!
//! Each command gets only the options that do something for it: `stress` has no `--jobs`
//! (floods run one at a time), `demo` no `--i-own-this-target` (it floods only its own
//! loopback server). Durations carry their unit (`2s`, `500ms`), because a bare number means
//! seconds to h2spec users and milliseconds to others.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Conformance and resilience test suite for HTTP/2 servers (an h2spec successor).
#[derive(Debug, Parser)]
#[command(name = "h2probe", version = env!("H2PROBE_VERSION"), long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the conformance suite against a server.
    Conform(ConformArgs),
    /// Run the resilience group (RFC 9113 §10.5 floods) against a server you own.
    Stress(StressArgs),
    /// Test an HTTP/2 client: h2probe plays the server on loopback, the client makes requests.
    Client(ClientArgs),
    /// List the cases, grouped by RFC section (conform's default set, or a selection).
    List(ListArgs),
    /// Start a built-in HTTP/2 server (hyper) on loopback and run the suite against it.
    Demo(DemoArgs),
    /// Run the suite against every server of a targets file: a compatibility matrix.
    Matrix(crate::matrix::MatrixArgs),
    /// Serve the demo's hyper HTTP/2 server on loopback until killed (a target for CI).
    ServeDemo(ServeDemoArgs),
    /// Fuzz a live server (loopback unless you own it): findings saved as minimised reproducers.
    Fuzz(FuzzArgs),
    /// Re-send a fuzz finding's reproducer; exit 1 when the finding reproduces.
    Replay(ReplayArgs),
    /// Serve a deliberately vulnerable HTTP/2 server (h2c) on loopback until killed: the
    /// resilience suite's known truth, its mitigations switched on one by one.
    ServeVulnerable(ServeVulnerableArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout: `h2probe man > h2probe.1`.
    Man,
}

/// The server under test, for `conform` and `stress`.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// http://host:port/path (h2c, prior knowledge) or https://host:port/path (TLS, ALPN h2).
    pub url: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Path of a resource that answers GET and POST with 200 and a body (overrides the URL's).
    #[arg(long, value_name = "P")]
    pub path: Option<String>,
}

/// `h2probe conform`.
#[derive(Debug, Args)]
pub struct ConformArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Case ids, id prefixes (rfc9113/6.5), tags, or h2spec ids (http2/6.5/1). Default: all.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub suite: SuiteArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub flood: FloodArgs,
}

/// `h2probe stress`: the flood cases only, one at a time.
#[derive(Debug, Args)]
pub struct StressArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Resilience cases to run (ids, id prefixes such as rfc9113/10.5/ping-flood). Default: all.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub suite: StressSuiteArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub flood: FloodArgs,
}

/// `h2probe client`: the client under test is a command run once per case (`--exec`), with
/// one template per kind of request, since clients differ in how they are told to POST or
/// to fetch several URLs at once.
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// Command that GETs {url} and prints the body (or `status <code> <octets>`), run with sh -c
    /// once per case; placeholders {url} {host} {port} {path}, filled in quoted.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Command that POSTs the octets of {file} to {url} (cases that upload skip without it).
    #[arg(long, value_name = "CMD")]
    pub exec_post: Option<String>,
    /// Command that GETs every URL of {urls} at once on one connection (cases that need
    /// parallel requests skip without it).
    #[arg(long, value_name = "CMD")]
    pub exec_multi: Option<String>,
    /// Directory the commands run in (default: the current one).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Speak TLS with ALPN h2 (URLs are https://): a self-signed certificate generated at
    /// start, or --cert/--key.
    #[arg(long)]
    pub tls: bool,
    /// Certificate chain (PEM) for --tls (or --listen) instead of a generated one.
    #[arg(long, value_name = "PEM", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Private key (PEM) for --cert.
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Listen on ::1 instead of 127.0.0.1.
    #[arg(long)]
    pub ipv6: bool,
    /// h2c listeners also take an HTTP/1.1 request with Upgrade: h2c (RFC 7540 §3.2), for
    /// clients that only start HTTP/2 that way; prior knowledge still works.
    #[arg(long, conflicts_with = "tls")]
    pub upgrade: bool,
    /// Wait for a client the user drives (a browser) at this loopback address instead of
    /// running a command: https://ADDR/ lists the cases and runs them one by one; TLS unless --h2c.
    #[arg(long, value_name = "ADDR", conflicts_with_all = ["exec", "exec_post", "exec_multi", "tls"])]
    pub listen: Option<std::net::SocketAddr>,
    /// With --listen: h2c (prior knowledge, or --upgrade) instead of TLS; no browser speaks
    /// it, but the index page is served over HTTP/1.1 too.
    #[arg(long, requires = "listen")]
    pub h2c: bool,
    /// Case ids, id prefixes (client/rfc9113/8.1), or tags. Default: all client cases.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub suite: SuiteArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Permission and bounds of floods, for `stress` and for `conform` selections that include
/// the `flood` tag.
#[derive(Debug, Args)]
pub struct FloodArgs {
    /// Allow floods against a target that is not loopback. Only for servers you own.
    #[arg(long)]
    pub i_own_this_target: bool,
    #[command(flatten)]
    pub bounds: FloodBounds,
}

/// How far a flood goes.
#[derive(Debug, Args)]
pub struct FloodBounds {
    /// Frames per flood, at most (per run of an attack: its 4N run stops here too).
    #[arg(long, default_value_t = 1_000_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub max_frames: u64,
    /// N of every attack in place of its own (`h2probe list flood` shows each one's); the
    /// 4N run follows unless N decided. Still bounded by --max-frames and --max-seconds.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub attack_size: Option<u64>,
    /// Seconds of sending per flood, at most (probes and waits come on top).
    #[arg(long, default_value_t = 5.0, value_name = "S", value_parser = seconds)]
    pub max_seconds: f64,
}

/// A duration in seconds, above 0 and at most 300: floods stop by themselves.
fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if v > 0.0 && v <= 300.0 {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 < S <= 300"))
    }
}

/// When to colour the terminal report.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    // On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE or FORCE_COLOR forces it).
    Auto,
    // Always, even into a pipe or file.
    Always,
    // Never.
    Never,
}

/// Reports and their form, for `conform`, `stress` and `demo`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Write a JUnit XML report (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report, schema h2probe-report/2 (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a self-contained HTML report (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Known failures of this server: lines of `<case-id> <reason>` (h2spec ids too); `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// Write this run's failures as a known-failures file for --expect, reasons filled in.
    #[arg(long, value_name = "FILE")]
    pub write_expect: Option<PathBuf>,
    /// Print every case's frame transcript, and the TLS version, cipher and ALPN.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print only failures, errors and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Colour the terminal report.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// TLS options.
#[derive(Debug, Args)]
pub struct TlsArgs {
    /// Accept any server certificate.
    #[arg(long, short = 'k')]
    pub insecure: bool,
    /// Trust the certificates of this PEM file (a CA, or the server's own certificate, pinned) instead of the public roots.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Client certificate chain (PEM) for mutual TLS.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Client private key (PEM) for mutual TLS.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Server name to send in SNI (default: the URL's host).
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,
}

/// Output format of `list`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    // Sections with their titles, one line per case.
    Text,
    // One JSON array of objects.
    Json,
}

/// `h2probe list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Every case, SHOULD-level and off-by-default ones too (what a selection matches under --strict).
    #[arg(long)]
    pub all: bool,
    /// The requirement map instead: every MUST/SHOULD sentence of RFC 9113 and RFC 7541 (and
    /// the tested parts of RFC 9218 and RFC 8441) with the cases and checks that test it, as
    /// Markdown (docs/requirements.md is this output), or JSON with --format json.
    #[arg(long, conflicts_with_all = ["all", "selection", "client"])]
    pub requirements: bool,
    /// The client catalogue (what `h2probe client` runs) instead of the server one.
    #[arg(long)]
    pub client: bool,
    /// Selection (same forms as `conform`).
    pub selection: Vec<String>,
}

/// `h2probe demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Selection (same forms as `conform`). Default: all.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub suite: SuiteArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub bounds: FloodBounds,
}

/// `h2probe serve-vulnerable`.
#[derive(Debug, Args)]
pub struct ServeVulnerableArgs {
    /// Loopback address for h2c, e.g. 127.0.0.1:19100 (port 0: any; the address is printed).
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Instead: a sink that answers the preface with SETTINGS and discards everything
    /// after (the benchmark's baseline).
    #[arg(long)]
    pub sink: bool,
    /// A mitigation to switch on (repeat; `all` for every one): ack-cap, backpressure,
    /// reset-budget, rapid-reset-budget, empty-frames, small-window-updates, priority-cap,
    /// header-caps, concurrency-before-ack, reap-stalled, preface-timeout.
    #[arg(long, value_name = "NAME")]
    pub mitigate: Vec<String>,
}

/// `h2probe serve-demo`.
#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Loopback address for h2c (prior knowledge), e.g. 127.0.0.1:19019.
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Loopback address for TLS with ALPN h2; needs --cert and --key.
    #[arg(long, value_name = "ADDR", requires_all = ["cert", "key"])]
    pub tls_listen: Option<SocketAddr>,
    /// Server certificate chain (PEM) for --tls-listen.
    #[arg(long, value_name = "PEM", requires = "tls_listen")]
    pub cert: Option<PathBuf>,
    /// Server private key (PEM) for --tls-listen.
    #[arg(long, value_name = "PEM", requires = "tls_listen")]
    pub key: Option<PathBuf>,
}

/// `h2probe completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `h2probe fuzz`: a campaign against one server, or the same inputs against several.
#[derive(Debug, Args)]
pub struct FuzzArgs {
    /// http://host:port/path (h2c) or https://host:port/path (TLS); not with --targets.
    #[arg(required_unless_present = "targets", conflicts_with = "targets")]
    pub url: Option<String>,
    /// Fuzz every server of a targets file (as for `matrix`) with the same inputs; reactions
    /// of different classes are findings (the differential oracle). Certificates are not verified.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["spawn", "server_pid"])]
    pub targets: Option<PathBuf>,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Path of a resource that answers GET and POST (overrides the URL's).
    #[arg(long, value_name = "P")]
    pub path: Option<String>,
    /// Seed of the campaign: the same seed, shard and server answers give the same inputs.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,
    /// Run shard K of N (0-based): input i here has the global index i*N+K, so N machines
    /// with the same seed run one campaign without overlap.
    #[arg(long, default_value = "0/1", value_name = "K/N", value_parser = shard)]
    pub shard: h2probe_harness::fuzz::campaign::Shard,
    /// Directory of findings: one reproducer file per finding, named by its signature.
    #[arg(long, default_value = "h2probe-findings", value_name = "DIR")]
    pub findings: PathBuf,
    /// Directory of the corpus: loaded at the start, inputs with new reactions added.
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Start the server with this shell command (it must listen on the URL's port); h2probe
    /// samples it, restarts it after a crash, and kills it at the end.
    #[arg(long, value_name = "CMD", conflicts_with = "server_pid")]
    pub spawn: Option<String>,
    /// The PID of a local server to watch (crash) and sample (memory, CPU).
    #[arg(long, value_name = "PID")]
    pub server_pid: Option<u32>,
    /// The server's error log: a line it gains that names a fatal signal (a worker that
    /// segfaulted and was replaced, while the port kept accepting) is a crash.
    #[arg(long, value_name = "FILE", conflicts_with = "targets")]
    pub server_log: Option<PathBuf>,
    /// Allow fuzzing a target that is not loopback. Only for servers you own.
    #[arg(long)]
    pub i_own_this_target: bool,
    /// Inputs to run, at most (re-runs to confirm and minimise findings do not count).
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub max_inputs: u64,
    /// Seconds to run, at most (a finding still being minimised may take 30 s more).
    #[arg(long, default_value_t = 60.0, value_name = "S", value_parser = campaign_seconds)]
    pub max_seconds: f64,
    /// Inputs in flight at once, each on its own connection (1-256).
    #[arg(long, short = 'j', default_value = "8", value_name = "N", value_parser = fuzz_jobs)]
    pub jobs: usize,
    /// Per-wait timeout, with its unit (the hang oracle's deadline).
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = timeout)]
    pub timeout: Duration,
    /// A GET on a fresh connection every N inputs (the liveness check).
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub probe_every: u64,
    /// Save findings as found, without minimising them.
    #[arg(long)]
    pub no_minimise: bool,
    /// Start from the generator alone, without the catalogue's scripts as seeds.
    #[arg(long)]
    pub no_seeds: bool,
    /// Lenient reactions (a SHOULD missed) are spec findings too, and SHOULD-level passive checks count.
    #[arg(long)]
    pub strict: bool,
    /// RSS growth (MiB) of a local server that starts a search for a leaking input.
    #[arg(long, default_value_t = 8, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub rss_step: u64,
    /// Print findings and the summary only (no progress line).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Benchmark mode: write inputs without reading answers (only the crash oracle applies).
    #[arg(long, hide = true)]
    pub send_only: bool,
}

/// `h2probe replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A reproducer file written by `h2probe fuzz`.
    pub file: PathBuf,
    /// The server to replay it against; not for a differential finding (use --targets).
    #[arg(required_unless_present = "targets", conflicts_with = "targets")]
    pub url: Option<String>,
    /// The servers of a differential finding (a targets file naming them).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// The PID of the local server (needed for resource findings; a crash is also seen through it).
    #[arg(long, value_name = "PID", conflicts_with = "spawn")]
    pub server_pid: Option<u32>,
    /// Start the server with this shell command for the replay, and stop it after.
    #[arg(long, value_name = "CMD")]
    pub spawn: Option<String>,
    /// The server's error log, for a crash found through it (a worker's fatal signal).
    #[arg(long, value_name = "FILE")]
    pub server_log: Option<PathBuf>,
    /// Allow a target that is not loopback. Only for servers you own.
    #[arg(long)]
    pub i_own_this_target: bool,
    /// Per-wait timeout, with its unit.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = timeout)]
    pub timeout: Duration,
    /// Runs before concluding the finding does not reproduce (1-100).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100))]
    pub attempts: u64,
    /// Print the transcript of the run.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// `--shard K/N`.
fn shard(s: &str) -> Result<h2probe_harness::fuzz::campaign::Shard, String> {
    h2probe_harness::fuzz::campaign::Shard::parse(s)
}

/// A campaign's length in seconds: above 0, at most a week.
fn campaign_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if v > 0.0 && v <= 7.0 * 24.0 * 3600.0 {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 < S <= 604800 (a week)"))
    }
}

/// `--jobs` of `fuzz`: 1 to 256 connections at once.
fn fuzz_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=256) => Ok(n),
        _ => Err(format!("'{s}' is not 1 to 256 jobs")),
    }
}

/// How the suite runs against one server: `conform`, `demo`, and each server of `matrix`.
#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// Cases to leave out (same forms as the selection); repeat the flag for more.
    #[arg(long, value_name = "SEL")]
    pub exclude: Vec<String>,
    /// Demand exactly what the RFC says (no lenient passes) and run SHOULD-level cases.
    #[arg(long)]
    pub strict: bool,
    /// Cases run in parallel, each on its own connection (1-1024).
    #[arg(long, short = 'j', default_value = "8", value_name = "N", value_parser = jobs)]
    pub jobs: usize,
    /// Per-wait timeout, with its unit: 2s, 500ms, 1m.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = timeout)]
    pub timeout: Duration,
    /// Deadline of the whole run, with its unit: 600s, 10m, 1h.
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = deadline)]
    pub deadline: Duration,
    /// Do not send the PING fence; wait out --timeout instead (slow: to compare verdicts).
    #[arg(long)]
    pub no_fence: bool,
}

/// `stress`: floods run one at a time and carry their own fences, so no `--jobs` and no
/// `--no-fence`; `--strict` means something else than for conformance.
#[derive(Debug, Args)]
pub struct StressSuiteArgs {
    /// Flood cases to leave out; repeat the flag for more.
    #[arg(long, value_name = "SEL")]
    pub exclude: Vec<String>,
    /// A flood the server absorbs without setting any limit fails instead of passing leniently.
    #[arg(long)]
    pub strict: bool,
    /// Per-wait timeout (probe requests, the wait for a reaction), with its unit: 2s, 500ms.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = timeout)]
    pub timeout: Duration,
    /// Deadline of the whole run, with its unit: 600s, 10m, 1h.
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = deadline)]
    pub deadline: Duration,
    /// The server process whose CPU time and RSS (with its children's) measure the harm,
    /// in place of the owners of the target's listening socket (found through /proc).
    #[arg(long, value_name = "PID")]
    pub server_pid: Option<u32>,
}

impl SuiteArgs {
    /// The runner's options these stand for (no flood permit).
    pub fn run_options(&self) -> h2probe_harness::runner::RunOptions {
        h2probe_harness::runner::RunOptions {
            timeout: self.timeout,
            jobs: self.jobs,
            strict: self.strict,
            overall: self.deadline,
            fence: !self.no_fence,
            ..h2probe_harness::runner::RunOptions::default()
        }
    }
}

impl StressSuiteArgs {
    /// The runner's options these stand for (no flood permit yet).
    pub fn run_options(&self) -> h2probe_harness::runner::RunOptions {
        h2probe_harness::runner::RunOptions {
            timeout: self.timeout,
            strict: self.strict,
            overall: self.deadline,
            server_pid: self.server_pid,
            ..h2probe_harness::runner::RunOptions::default()
        }
    }
}

/// `--jobs`: 1 to 1024. h2spec's `-j` takes a JUnit file, so a file name gets that hint.
fn jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=1024) => Ok(n),
        Ok(0) => Err("0 jobs would run nothing: give 1 to 1024".to_string()),
        Ok(_) => Err(format!("{s} is more than 1024 jobs")),
        Err(_) if s.contains('.') || s.contains('/') => {
            Err(format!("'{s}' is not a number of jobs (h2spec's -j FILE is --junit FILE here)"))
        }
        Err(_) => Err(format!("'{s}' is not a number of jobs: give 1 to 1024")),
    }
}

/// A duration with its unit (humantime: `2s`, `500ms`, `1m30s`), above zero. A bare number
/// is refused: h2spec's `-o 2` means two seconds, h2probe's old `--timeout 2000` meant
/// milliseconds, and guessing wrong silently changes verdicts.
fn duration(s: &str, example: &str) -> Result<Duration, String> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        // A bare 0 would only be refused again as `0s`: say so at once.
        if s.contains('0') && s.bytes().all(|b| b == b'0' || b == b'.') {
            return Err(format!("'{s}' is zero: give a duration above zero, with its unit, e.g. {example}"));
        }
        return Err(format!("'{s}' has no unit: write {s}s for seconds or {s}ms for milliseconds (e.g. {example})"));
    }
    let d = humantime::parse_duration(s).map_err(|e| format!("'{s}' is not a duration ({e}): write e.g. {example}"))?;
    if d.is_zero() {
        return Err(format!("'{s}' is zero: give a duration above zero, e.g. {example}"));
    }
    Ok(d)
}

fn timeout(s: &str) -> Result<Duration, String> {
    let d = duration(s, "2s or 500ms")?;
    if d > Duration::from_secs(3600) {
        return Err(format!("'{s}' is more than an hour"));
    }
    Ok(d)
}

fn deadline(s: &str) -> Result<Duration, String> {
    let d = duration(s, "600s or 10m")?;
    if d > Duration::from_secs(7 * 24 * 3600) {
        return Err(format!("'{s}' is more than a week"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_need_a_unit_and_must_not_be_zero() {
        assert_eq!(timeout("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(timeout("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(deadline("10m"), Ok(Duration::from_secs(600)));
        let bare = timeout("2").expect_err("bare number");
        assert!(bare.contains("2s") && bare.contains("2ms"), "{bare}");
        assert!(timeout("0s").expect_err("zero").contains("zero"));
        assert!(timeout("0").expect_err("bare zero").contains("is zero"), "not sent on to 0s");
        assert!(deadline("0").expect_err("bare zero").contains("is zero"));
        assert!(timeout("0.0").expect_err("bare zero").contains("is zero"));
        assert!(timeout("soon").is_err());
        assert!(timeout("2h").is_err());
    }

    #[test]
    fn fuzz_bounds_are_checked() {
        assert!(campaign_seconds("0").is_err() && campaign_seconds("604801").is_err() && campaign_seconds("600").is_ok());
        assert!(fuzz_jobs("0").is_err() && fuzz_jobs("257").is_err() && fuzz_jobs("4").is_ok());
        assert!(shard("2/2").is_err() && shard("1").is_err() && shard("1/3").is_ok());
    }

    #[test]
    fn jobs_are_1_to_1024_and_a_file_name_gets_the_h2spec_hint() {
        assert_eq!(jobs("8"), Ok(8));
        assert!(jobs("0").is_err());
        assert!(jobs("1025").is_err());
        assert!(jobs("report.xml").expect_err("file").contains("--junit FILE"));
    }
}
