//! The command line: the contract scripts and CI jobs rely on (see DESIGN.md).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Conformance, resilience and fuzz test suite for HTTP/2 servers.
#[derive(Debug, Parser)]
#[command(name = "h2probe", version, about, long_about = None)]
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
    /// List the cases (all, or those a selection picks).
    List(ListArgs),
    /// Start a built-in HTTP/2 server (hyper) on loopback and run the suite against it.
    Demo(DemoArgs),
    /// Run the suite against every server of a targets file: a compatibility matrix.
    Matrix(crate::matrix::MatrixArgs),
    /// Serve the demo's hyper HTTP/2 server on loopback until killed (a target for CI).
    ServeDemo(ServeDemoArgs),
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
    pub run: RunArgs,
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
    pub run: RunArgs,
    #[command(flatten)]
    pub flood: FloodArgs,
}

/// Bounds and permission of floods, for `stress` and for `conform` selections that include
/// the `flood` tag.
#[derive(Debug, Args)]
pub struct FloodArgs {
    /// Allow floods against a target that is not loopback. Only for servers you own.
    #[arg(long)]
    pub i_own_this_target: bool,
    /// Frames per flood, at most.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub max_frames: u64,
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

/// Options shared by `conform`, `stress` and `demo`: the suite, the reports.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub suite: SuiteArgs,
    /// Write a JUnit XML report.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report (schema h2probe-report/2).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a self-contained HTML report.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Known failures of this server: lines of `<case-id> <reason>`; `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// Print every case's frame transcript, not only failures'.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Do not send the PING fence; wait out the timeout instead (to compare verdicts).
    #[arg(long, hide = true)]
    pub no_fence: bool,
}

/// TLS options.
#[derive(Debug, Args)]
pub struct TlsArgs {
    /// Accept any server certificate.
    #[arg(long, short = 'k')]
    pub insecure: bool,
    /// Trust this CA (PEM) instead of the public roots.
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
    /// One line per case.
    Text,
    /// One JSON array of objects.
    Json,
}

/// `h2probe list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Include SHOULD-level and off-by-default cases when no selection is given.
    #[arg(long)]
    pub all: bool,
    /// Selection (same forms as `conform`).
    pub selection: Vec<String>,
}

/// `h2probe demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Selection (same forms as `conform`). Default: all.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub flood: FloodArgs,
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

/// How the suite runs against one server; `matrix` takes these too.
#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// Cases to leave out (same forms as the selection).
    #[arg(long, value_name = "SEL", num_args = 1..)]
    pub exclude: Vec<String>,
    /// Demand exactly what the RFC says (no lenient passes) and run SHOULD-level cases.
    #[arg(long)]
    pub strict: bool,
    /// Cases run in parallel, each on its own connection.
    #[arg(long, short = 'j', default_value_t = 8, value_name = "N")]
    pub jobs: usize,
    /// Per-wait timeout in milliseconds.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub timeout: u64,
    /// Deadline of the whole run (of each server's, in a matrix) in seconds.
    #[arg(long, default_value_t = 600, value_name = "S")]
    pub deadline: u64,
}

impl SuiteArgs {
    /// The runner's options these stand for (fence on, no flood permit).
    pub fn run_options(&self) -> h2probe_harness::runner::RunOptions {
        h2probe_harness::runner::RunOptions {
            timeout: std::time::Duration::from_millis(self.timeout.max(1)),
            jobs: self.jobs.max(1),
            strict: self.strict,
            overall: std::time::Duration::from_secs(self.deadline.max(1)),
            ..h2probe_harness::runner::RunOptions::default()
        }
    }
}
