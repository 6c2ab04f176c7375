//! `h2probe matrix`: the suite against every server of a targets file, as one compatibility
//! matrix (Markdown to commit and diff, HTML to read).
//!
//! Flakiness is a bug: a verdict that changes between runs is a race in the tester or a
//! judgement that depends on timing, and a matrix built on it would state something false.
//! So `--runs N` repeats the whole matrix and, if any case's verdict differs between runs,
//! names it, writes nothing and exits 1.

use crate::UsageError;
use clap::Args;
use h2probe_harness::client_run::{self, ClientOptions};
use h2probe_harness::launch::{parse_clients, Commands};
use h2probe_harness::model::{Class, RunReport};
use h2probe_harness::preflight::{self, NotHttp2};
use h2probe_harness::runner;
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use h2probe_reports::golden;
use h2probe_reports::matrix::{self, Column, Peers};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `h2probe matrix`. Kept here rather than in cli.rs: it is this module's contract alone.
#[derive(Debug, Args)]
#[command(mut_arg("deadline", |a| a.help("Deadline of each server's run, with its unit: 600s, 10m, 1h")))]
pub struct MatrixArgs {
    /// Servers, one per line: `name scheme port` (http or https on 127.0.0.1, the format of
    /// ci/servers/targets.tsv) or `name URL`; `#` starts a comment. TLS certificates are not
    /// verified (as with --insecure): the matrix judges HTTP/2, not the certificate.
    #[arg(long, value_name = "FILE", required_unless_present = "clients", conflicts_with = "clients")]
    pub targets: Option<PathBuf>,
    /// Clients instead of servers: a table in the format of ci/clients/clients.tsv (one
    /// client per line, TAB-separated `name version get post multi`, `-` for a command it
    /// lacks). Each client runs the client catalogue over h2c and over TLS (a self-signed
    /// certificate); its command lines run in the current directory.
    #[arg(long, value_name = "FILE")]
    pub clients: Option<PathBuf>,
    /// Run the whole matrix N times; a verdict that differs between runs fails (exit 1).
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,
    /// Write the matrix as Markdown (deterministic: verdicts and counts only).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write the matrix as a self-contained HTML page with each verdict's details.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write what changes from run to run (server versions, wall times) as Markdown.
    #[arg(long, value_name = "FILE")]
    pub times: Option<PathBuf>,
    /// The golden verdict files (ci/expectations: `<name>-<http|https>.verdicts` for a server,
    /// `client-<name>-<http|https>.verdicts` for a client). Where one allows a set of verdicts
    /// (`fail|lenient`: the peer's own race chooses, e.g. whether its GOAWAY is flushed before
    /// it closes), the matrix shows the least favourable of the set, so the same peer gives the
    /// same matrix on a fast machine and a slow one. A missing file is no set.
    #[arg(long, value_name = "DIR")]
    pub expectations: Option<PathBuf>,
    /// Selection (same forms as `conform`). Default: the default suite.
    pub selection: Vec<String>,
    #[command(flatten)]
    pub suite: crate::cli::SuiteArgs,
}

/// One server of the targets file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Column name: `name` of a `name URL` line; `name h2c` / `name tls` of a
    /// `name scheme port` line, so both listeners of one server get distinct columns.
    pub name: String,
    /// Where it listens.
    pub url: String,
    /// Its golden file's stem in ci/expectations: `name-scheme`.
    pub golden: String,
}

/// Why a targets file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    /// The file could not be read.
    #[error("cannot read targets file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is neither `name scheme port` nor `name URL`, or repeats a name.
    #[error("{path}:{line}: {why}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
    /// Only comments and blank lines.
    #[error("targets file {path} lists no server")]
    Empty {
        /// The file.
        path: String,
    },
}

/// Parses a targets file.
pub fn parse_targets(text: &str, path: &str) -> Result<Vec<Row>, TargetsError> {
    let mut rows: Vec<(Row, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split_once('#').map_or(raw, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        let err = |why: String| TargetsError::Line { path: path.to_string(), line: i + 1, why };
        let fields: Vec<&str> = line.split_whitespace().collect();
        let row = match fields[..] {
            [name, url] => {
                let scheme = Target::parse(url).map_err(|e| err(e.to_string()))?.scheme.as_str();
                Row { name: name.to_string(), url: url.to_string(), golden: format!("{name}-{scheme}") }
            }
            [name, scheme, port] => {
                let port: u16 = port.parse().ok().filter(|p| *p > 0).ok_or_else(|| err(format!("port '{port}' is not 1-65535")))?;
                let kind = match scheme {
                    "http" => "h2c",
                    "https" => "tls",
                    _ => return Err(err(format!("scheme '{scheme}' is neither http (h2c) nor https (TLS)"))),
                };
                Row { name: format!("{name} {kind}"), url: format!("{scheme}://127.0.0.1:{port}/"), golden: format!("{name}-{scheme}") }
            }
            _ => return Err(err("expected `name scheme port` (e.g. `nginx https 8443`) or `name URL`".into())),
        };
        if let Some((_, first)) = rows.iter().find(|(r, _)| r.name == row.name) {
            return Err(err(format!("'{}' is listed twice (first on line {first})", row.name)));
        }
        rows.push((row, i + 1));
    }
    if rows.is_empty() {
        return Err(TargetsError::Empty { path: path.to_string() });
    }
    Ok(rows.into_iter().map(|(r, _)| r).collect())
}

/// A case whose verdict was not the same in every run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flaky {
    /// The server's column name.
    pub server: String,
    /// The case id.
    pub case: String,
    /// The verdict of each run, in run order, with its detail (`-` when the case did not run).
    pub verdicts: Vec<String>,
}

/// Compares every run with the first: `runs[run][server]`, servers in `names` order. Only the
/// verdict's kind counts (pass, lenient, fail, skip, error): the observed text may vary
/// (a GOAWAY's debug data) without the judgement changing.
pub fn flaky(names: &[String], runs: &[Vec<RunReport>]) -> Vec<Flaky> {
    let mut out = Vec::new();
    for (s, name) in names.iter().enumerate() {
        let per_run: Vec<HashMap<&str, &h2probe_harness::model::Verdict>> = runs
            .iter()
            .map(|reports| reports.get(s).map(|r| r.results.iter().map(|c| (c.info.id.as_str(), &c.verdict)).collect()).unwrap_or_default())
            .collect();
        let mut seen = HashSet::new();
        let ids = runs.iter().filter_map(|reports| reports.get(s)).flat_map(|r| r.results.iter().map(|c| c.info.id.as_str()));
        for id in ids {
            if !seen.insert(id) {
                continue;
            }
            let labels: Vec<Option<&str>> = per_run.iter().map(|m| m.get(id).map(|v| v.label())).collect();
            if labels.iter().all(|l| *l == labels[0]) {
                continue;
            }
            let seen: Option<Vec<&h2probe_harness::model::Verdict>> = per_run.iter().map(|m| m.get(id).copied()).collect();
            if seen.is_some_and(|v| goaway_race(&v)) {
                continue;
            }
            let verdicts = per_run
                .iter()
                .map(|m| match m.get(id) {
                    None => "-".to_string(),
                    Some(v) => match v {
                        h2probe_harness::model::Verdict::Fail { expected, actual, .. } => format!("fail (expected {expected}; got {actual})"),
                        h2probe_harness::model::Verdict::Skip { reason } => format!("skip ({reason})"),
                        h2probe_harness::model::Verdict::Error { problem } => format!("error ({problem})"),
                        other => other.label().to_string(),
                    },
                })
                .collect();
            out.push(Flaky { server: name.clone(), case: id.to_string(), verdicts });
        }
    }
    out
}

/// The verdicts of one case over the runs differ only in whether the peer's GOAWAY came
/// before its close: some runs judged the GOAWAY (pass, an alternative code, or a wrong code),
/// others the bare close (lenient by RFC 9113 §5.4.1's SHOULD, or after an invalid preface
/// the alternative §3.4 allows). Some peers race themselves there — Go's client (x/net 0.7)
/// writes its GOAWAY into a buffer and closes the connection without flushing it; Node's
/// sometimes ends its session before its GOAWAY is written — so which verdict a run gets is
/// the peer's chance, not ours; [`settle`] shows the least favourable of them. So for a
/// passive check of what such a GOAWAY says, which runs only when one arrives: pass in some
/// runs, skipped for want of occasion in others (shown as skipped).
pub fn goaway_race(verdicts: &[&h2probe_harness::model::Verdict]) -> bool {
    use h2probe_harness::model::Verdict;
    use h2probe_harness::rules::{GOAWAY_BEFORE_CLOSE, PREFACE_GOAWAY_OMITTED};
    let missed = |v: &Verdict| match v {
        Verdict::Lenient { rule, .. } => rule.text == GOAWAY_BEFORE_CLOSE.text,
        Verdict::Alternative { rule, .. } => rule.text == PREFACE_GOAWAY_OMITTED.text,
        _ => false,
    };
    let with_goaway = |v: &Verdict| match v {
        Verdict::Pass { observed, .. } | Verdict::Alternative { observed, .. } | Verdict::Lenient { observed, .. } => {
            observed.starts_with("GOAWAY")
        }
        Verdict::Fail { actual, .. } => actual.starts_with("GOAWAY"),
        _ => false,
    };
    let goaway = verdicts.iter().all(|v| missed(v) || with_goaway(v)) && verdicts.iter().any(|v| missed(v)) && verdicts.iter().any(|v| !missed(v));
    // A passive check about the peer's GOAWAY has occasion to run only when one arrives.
    let unchecked = |v: &Verdict| matches!(v, Verdict::Skip { reason } if reason.contains("gave the server occasion"));
    let occasion = verdicts.iter().all(|v| matches!(v, Verdict::Pass { .. }) || unchecked(v)) && verdicts.iter().any(|v| unchecked(v));
    goaway || occasion
}

/// The matrix's verdicts: the first run's, except that a case of [`goaway_race`] shows the
/// least favourable verdict of its runs: a SHOULD met only by chance is not met, and a wrong
/// code seen once is wrong.
pub fn settle(runs: &[Vec<RunReport>]) -> Vec<RunReport> {
    let Some(first) = runs.first() else { return Vec::new() };
    let mut out = first.clone();
    for (s, report) in out.iter_mut().enumerate() {
        for result in &mut report.results {
            let all: Vec<&h2probe_harness::model::CaseResult> =
                runs.iter().filter_map(|r| r.get(s)?.results.iter().find(|c| c.info.id == result.info.id)).collect();
            let verdicts: Vec<&h2probe_harness::model::Verdict> = all.iter().map(|c| &c.verdict).collect();
            if verdicts.len() == runs.len() && goaway_race(&verdicts) {
                if let Some(worst) = all.iter().max_by_key(|c| c.verdict.class() as u8) {
                    *result = (*worst).clone();
                }
            }
        }
    }
    out
}

/// Minimum, median and maximum, in milliseconds.
pub fn spread(times: &[u64]) -> (u64, u64, u64) {
    let mut t = times.to_vec();
    t.sort_unstable();
    match t.len() {
        0 => (0, 0, 0),
        n => (t[0], if n % 2 == 1 { t[n / 2] } else { (t[n / 2 - 1] + t[n / 2]) / 2 }, t[n - 1]),
    }
}

/// The server speaks HTTP/2 (the same one-handshake check as `conform`, so a server that is
/// not HTTP/2 is one line naming it, not a column of errors), and what it calls itself in the
/// `server` header of a GET response, if it says: the one version hint every HTTP server
/// volunteers. A server that will not answer a GET still gets its column.
async fn server_header(target: &Target, connector: &Connector, timeout: Duration) -> Result<Option<String>, NotHttp2> {
    let mut ready = preflight::check(target, connector, timeout).await?;
    Ok(ready.get(target, timeout).await.and_then(|a| a.server))
}

/// How a column's runs are made.
enum Drive {
    Server { target: Arc<Target>, connector: Arc<Connector> },
    Client { commands: Arc<Commands>, tls: Option<tokio_rustls::TlsAcceptor> },
}

/// One column: a server's listener, or a client over one transport.
struct Peer {
    name: String,
    /// Where it listens (a server's URL), or how it is reached (a client's transport).
    place: String,
    /// What it says it is: a server's `server` header, a client's version line.
    says: Option<String>,
    /// Its golden file's stem (`nginx-https`, `client-go-http`).
    golden: String,
    drive: Drive,
}

impl Peer {
    async fn run(&self, cases: &[&'static h2probe_harness::case::Case], opts: &runner::RunOptions) -> RunReport {
        match &self.drive {
            Drive::Server { target, connector } => runner::run(cases.to_vec(), target.clone(), connector.clone(), opts.clone(), &HashMap::new(), None).await,
            Drive::Client { commands, tls } => {
                let copts = ClientOptions { run: opts.clone(), tls: tls.clone(), ..ClientOptions::default() };
                client_run::run(cases.to_vec(), commands.clone(), copts, &HashMap::new(), None).await
            }
        }
    }
}

/// Every server reachable before anything runs, so a dead one is one clear line, not a
/// column of errors discovered minutes later.
async fn servers(path: &Path, timeout: Duration) -> Result<Vec<Peer>, UsageError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| UsageError(TargetsError::Read { path: shown.clone(), source }.to_string()))?;
    let mut peers = Vec::new();
    for row in parse_targets(&text, &shown).map_err(|e| UsageError(e.to_string()))? {
        let target = Target::parse(&row.url).map_err(|e| UsageError(format!("{}: {e}", row.name)))?;
        let connector = Connector::new(&target, &TlsOptions { insecure: true, ..TlsOptions::default() })
            .map_err(|e| UsageError(format!("{}: {e}", row.name)))?;
        let says = server_header(&target, &connector, timeout).await.map_err(|e| UsageError(format!("{} ({}): {e}", row.name, row.url)))?;
        peers.push(Peer { name: row.name, place: row.url, says, golden: row.golden, drive: Drive::Server { target: Arc::new(target), connector: Arc::new(connector) } });
    }
    Ok(peers)
}

/// Each client of the table twice, over h2c and over TLS. Its version line is asked for once,
/// bounded in time: a client that cannot say is still a column.
async fn clients(path: &Path) -> Result<Vec<Peer>, UsageError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| UsageError(format!("cannot read clients table {shown}: {e}")))?;
    let rows = parse_clients(&text).map_err(|e| UsageError(format!("{shown}: {e}")))?;
    if rows.is_empty() {
        return Err(UsageError(format!("clients table {shown} lists no client")));
    }
    let tls = h2probe_harness::transport::accept::self_signed().map_err(|e| UsageError(e.to_string()))?;
    let mut peers = Vec::new();
    for row in rows {
        let says = match &row.version {
            Some(cmd) => version_line(cmd).await,
            None => None,
        };
        let commands = Arc::new(row.commands);
        for (kind, scheme, tls) in [("h2c", "http", None), ("tls", "https", Some(tls.clone()))] {
            let place = if tls.is_some() { "TLS, ALPN h2" } else { "h2c, prior knowledge" };
            peers.push(Peer {
                name: format!("{} {kind}", row.name),
                place: place.into(),
                says: says.clone(),
                golden: format!("client-{}-{scheme}", row.name),
                drive: Drive::Client { commands: commands.clone(), tls },
            });
        }
    }
    Ok(peers)
}

/// The first line a version command prints, within 10 s.
async fn version_line(cmd: &str) -> Option<String> {
    let run = tokio::process::Command::new("sh").arg("-c").arg(cmd).stdin(std::process::Stdio::null()).kill_on_drop(true).output();
    let out = tokio::time::timeout(Duration::from_secs(10), run).await.ok()?.ok()?;
    String::from_utf8_lossy(&out.stdout).lines().next().map(|l| l.trim().to_string()).filter(|l| !l.is_empty())
}

/// Runs the matrix and writes the files.
pub async fn run(args: MatrixArgs) -> Result<ExitCode, UsageError> {
    let (peers_kind, catalogue) = match args.clients {
        Some(_) => (Peers::Clients, h2probe_cases::client()),
        None => (Peers::Servers, h2probe_cases::all()),
    };
    let cases = crate::selection::select(catalogue, &args.selection, &args.suite.exclude, args.suite.strict)?;
    let outputs: Vec<(&str, &Path)> = [("--markdown", &args.markdown), ("--html", &args.html), ("--times", &args.times)]
        .into_iter()
        .filter_map(|(flag, p)| p.as_deref().map(|p| (flag, p)))
        .collect();
    crate::output::check_named(&outputs)?;
    // Checked before minutes of runs, not after: a mistyped directory would silently hold no sets.
    if let Some(dir) = args.expectations.as_deref().filter(|d| !d.is_dir()) {
        return Err(UsageError(format!("--expectations {}: not a directory (the golden files, e.g. ci/expectations)", dir.display())));
    }
    // With a file on stdout (`--markdown -`), the summary goes to stderr so stdout is the file.
    let say = |text: String| {
        if outputs.iter().any(|(_, p)| p.as_os_str() == "-") {
            crate::output::stderr(&format!("{text}\n"));
            Ok(())
        } else {
            crate::output::stdout(&format!("{text}\n"))
        }
    };
    // No flood permit: the matrix is conformance only; a selected flood case reports that
    // it needs `h2probe stress`.
    let opts = args.suite.run_options();
    let peers = match (&args.clients, &args.targets) {
        (Some(path), _) => clients(path).await?,
        (None, Some(path)) => servers(path, opts.timeout).await?,
        (None, None) => return Err(UsageError("name the peers: --targets FILE (servers) or --clients FILE".into())),
    };

    let mut runs: Vec<Vec<RunReport>> = Vec::new();
    for n in 1..=args.runs {
        let mut reports = Vec::new();
        for p in &peers {
            let report = p.run(&cases, &opts).await;
            eprintln!("run {n}/{}: {:<20} {:>7.2} s", args.runs, p.name, report.duration_ms as f64 / 1000.0);
            let sum = report.summary();
            if sum.total > 0 && sum.errors == sum.total {
                let problem = report.results.iter().find_map(|r| match &r.verdict {
                    h2probe_harness::model::Verdict::Error { problem } => Some(problem.clone()),
                    _ => None,
                });
                return Err(UsageError(format!("{} ({}): every case errored: {}", p.name, p.place, problem.unwrap_or_default())));
            }
            reports.push(report);
        }
        runs.push(reports);
    }
    let names: Vec<String> = peers.iter().map(|p| p.name.clone()).collect();
    let settled = settle(&runs);
    let races = races(&peers, args.expectations.as_deref())?;
    let cols: Vec<Column> = peers
        .iter()
        .zip(&settled)
        .zip(&races)
        .map(|((p, report), races)| Column { name: &p.name, server: p.says.as_deref(), report, races: Some(races) })
        .collect();
    let times: Vec<Vec<u64>> = (0..peers.len()).map(|i| runs.iter().map(|r| r[i].duration_ms).collect()).collect();

    say(summary_table(&peers, &cols, &times, peers_kind))?;
    let flakes = flaky(&names, &runs);
    if !flakes.is_empty() {
        eprintln!("h2probe: verdicts differ between the {} runs (flaky; nothing written):", args.runs);
        for f in &flakes {
            eprintln!("  {} {}:", f.server, f.case);
            for (i, v) in f.verdicts.iter().enumerate() {
                eprintln!("    run {}: {v}", i + 1);
            }
        }
        return Ok(ExitCode::from(1));
    }
    if args.runs > 1 {
        say(format!("verdicts identical in all {} runs", args.runs))?;
    }

    let write = |path: &Path, text: String| {
        crate::output::write(path, &text)?;
        if path.as_os_str() != "-" {
            say(format!("wrote {}", path.display()))?;
        }
        Ok::<(), UsageError>(())
    };
    if let Some(p) = &args.markdown {
        write(p, matrix::matrix_markdown(&cols, peers_kind))?;
    }
    if let Some(p) = &args.html {
        write(p, matrix::matrix_html(&cols, peers_kind))?;
    }
    if let Some(p) = &args.times {
        write(p, times_markdown(&peers, &times, &args, peers_kind))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Each peer's races from its golden file (none without `--expectations`).
fn races(peers: &[Peer], dir: Option<&Path>) -> Result<Vec<BTreeMap<String, Vec<Class>>>, UsageError> {
    peers
        .iter()
        .map(|p| {
            let Some(dir) = dir else { return Ok(BTreeMap::new()) };
            let path = dir.join(format!("{}.verdicts", p.golden));
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(golden::races(&golden::parse(&text))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
                Err(e) => Err(UsageError(format!("cannot read {}: {e}", path.display()))),
            }
        })
        .collect()
}

fn summary_table(peers: &[Peer], cols: &[Column], times: &[Vec<u64>], kind: Peers) -> String {
    let noun = kind.noun();
    let name_w = peers.iter().map(|p| p.name.chars().count()).max().unwrap_or(0).max(6);
    let says_w = peers.iter().map(|p| p.says.as_deref().map_or(1, |v| v.chars().count())).max().unwrap_or(0).max(10);
    let mut out = format!(
        "{:<name_w$}  {:<says_w$}  {:>5} {:>5} {:>7} {:>5} {:>5} {:>5}   wall time min / median / max ({})\n",
        noun,
        "says it is",
        "pass",
        "alt",
        "lenient",
        "fail",
        "skip",
        "error",
        match times.first().map_or(0, Vec::len) {
            1 => "1 run".to_string(),
            n => format!("{n} runs"),
        }
    );
    for ((p, col), t) in peers.iter().zip(cols).zip(times) {
        let [pa, a, l, f, k, e] = matrix::counts(col);
        let (min, med, max) = spread(t);
        out.push_str(&format!(
            "{:<name_w$}  {:<says_w$}  {pa:>5} {a:>5} {l:>7} {f:>5} {k:>5} {e:>5}   {:.2} / {:.2} / {:.2} s\n",
            p.name,
            p.says.as_deref().unwrap_or("-"),
            min as f64 / 1000.0,
            med as f64 / 1000.0,
            max as f64 / 1000.0
        ));
    }
    out
}

fn times_markdown(peers: &[Peer], times: &[Vec<u64>], args: &MatrixArgs, kind: Peers) -> String {
    let noun = kind.noun();
    let (place, order) = match kind {
        Peers::Servers => ("URL", "servers run one after another"),
        Peers::Clients => ("transport", "clients run one after another, each case a client process of its own"),
    };
    let mut out = format!(
        "# h2probe compatibility matrix: {noun}s and wall times\n\n\
         What changes from machine to machine and run to run, kept apart from the matrix so CI can diff that. \
         h2probe {}, {} runs of the whole matrix, `--jobs {}`, `--timeout {}`; {order}.\n\n\
         | {noun} | says it is | {place} | min (s) | median (s) | max (s) |\n|---|---|---|---:|---:|---:|\n",
        env!("CARGO_PKG_VERSION"),
        args.runs,
        args.suite.jobs,
        humantime::format_duration(args.suite.timeout)
    );
    for (p, t) in peers.iter().zip(times) {
        let (min, med, max) = spread(t);
        out.push_str(&format!(
            "| {} | {} | `{}` | {:.2} | {:.2} | {:.2} |\n",
            p.name,
            p.says.as_deref().unwrap_or("").replace('|', "\\|"),
            p.place,
            min as f64 / 1000.0,
            med as f64 / 1000.0,
            max as f64 / 1000.0
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2probe_harness::model::{CaseInfo, CaseResult, Level, Verdict};

    #[test]
    fn parses_both_line_forms_with_comments() {
        let text = "# name\tscheme\tport\nnginx\thttp\t19001\nnginx https 19002  # TLS\n\nmine https://[::1]:8443/app\n";
        let rows = parse_targets(text, "t.tsv").expect("valid");
        let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.name.as_str(), r.url.as_str())).collect();
        assert_eq!(
            got,
            [("nginx h2c", "http://127.0.0.1:19001/"), ("nginx tls", "https://127.0.0.1:19002/"), ("mine", "https://[::1]:8443/app")]
        );
    }

    #[test]
    fn bad_lines_name_the_line_and_the_problem() {
        let cases = [
            ("a ftp 80", "t:1: scheme 'ftp'"),
            ("a http 0", "t:1: port '0'"),
            ("a http 70000", "t:1: port '70000'"),
            ("\na", "t:2: expected `name scheme port`"),
            ("a b c d", "t:1: expected"),
            ("a 127.0.0.1:80", "t:1: URL '127.0.0.1:80' has no scheme"),
            ("a http 1\nb http 2\na http 3", "t:3: 'a h2c' is listed twice (first on line 1)"),
            ("# nothing\n", "targets file t lists no server"),
        ];
        for (text, want) in cases {
            let err = parse_targets(text, "t").expect_err(text).to_string();
            assert!(err.starts_with(want), "{text:?}: {err}");
        }
    }

    fn report(verdicts: &[(&str, Verdict)]) -> RunReport {
        RunReport {
            tool_version: "0".into(),
            target: "http://127.0.0.1:1/".into(),
            strict: false,
            duration_ms: 0,
            results: verdicts
                .iter()
                .map(|(id, v)| CaseResult {
                    info: CaseInfo {
                        id: id.to_string(),
                        section: "s".into(),
                        h2spec: None,
                        aliases: vec![],
                        level: Level::Must,
                        description: String::new(),
                        requirement: String::new(),
                        tags: vec![],
                    },
                    verdict: v.clone(),
                    decided_by: h2probe_harness::model::DecidedBy::Event,
                    known_failure: None,
                    duration_ms: 0,
                    duration_us: 0,
                    transcript: vec![],
                    server_output: vec![],
                    checked: Default::default(),
                    harm: None,
                })
                .collect(),
            ..RunReport::default()
        }
    }

    #[test]
    fn flakiness_compares_verdict_kinds_only() {
        let rule = || h2probe_harness::model::Citation { section: "RFC 9113 §6.8".into(), text: "t".into() };
        let pass = |o: &str| Verdict::Pass { observed: o.into(), rule: rule() };
        let fail = Verdict::Fail { expected: "GOAWAY".into(), actual: "nothing".into(), rule: rule() };
        let names = vec!["a h2c".to_string(), "b tls".to_string()];
        let stable = vec![
            vec![report(&[("x", pass("GOAWAY debug=1")), ("y", fail.clone())]), report(&[("x", pass("-"))])],
            vec![report(&[("x", pass("GOAWAY debug=2")), ("y", fail.clone())]), report(&[("x", pass("-"))])],
        ];
        assert!(flaky(&names, &stable).is_empty(), "observed text differs, verdict does not");
        let shaky = vec![
            vec![report(&[("x", pass("-")), ("y", fail.clone())]), report(&[("x", pass("-"))])],
            vec![report(&[("x", pass("-")), ("y", fail.clone())]), report(&[("x", Verdict::Skip { reason: "r".into() })])],
            vec![report(&[("x", pass("-")), ("y", pass("-"))]), report(&[("x", pass("-"))])],
        ];
        let f = flaky(&names, &shaky);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].server.as_str(), f[0].case.as_str()), ("a h2c", "y"));
        assert_eq!(f[0].verdicts, ["fail (expected GOAWAY; got nothing)", "fail (expected GOAWAY; got nothing)", "pass"]);
        assert_eq!((f[1].server.as_str(), f[1].case.as_str()), ("b tls", "x"));
        assert_eq!(f[1].verdicts, ["pass", "skip (r)", "pass"]);
        // A case missing from one run is a difference too.
        let missing = vec![vec![report(&[("x", pass("-"))])], vec![report(&[])]];
        assert_eq!(flaky(&names[..1], &missing)[0].verdicts, ["pass", "-"]);
    }

    #[test]
    fn a_goaway_met_by_chance_is_not_flaky_and_shows_as_missed() {
        use h2probe_harness::model::Citation;
        let goaway = h2probe_harness::rules::GOAWAY_BEFORE_CLOSE;
        let rule = Citation { section: "RFC 7541 §6.1".into(), text: "t".into() };
        let pass = Verdict::Pass { observed: "GOAWAY".into(), rule: rule.clone() };
        let missed = Verdict::Lenient {
            observed: "closed (no GOAWAY)".into(),
            strict_expected: "GOAWAY".into(),
            rule: Citation { section: goaway.section.into(), text: goaway.text.into() },
        };
        let other = Verdict::Lenient { observed: "x".into(), strict_expected: "y".into(), rule };
        let names = vec!["go h2c".to_string()];
        let runs = vec![vec![report(&[("x", pass.clone())])], vec![report(&[("x", missed.clone())])]];
        assert!(flaky(&names, &runs).is_empty());
        assert_eq!(settle(&runs)[0].results[0].verdict.label(), "lenient");
        // Any other difference stays flaky; equal passes stay passes.
        let runs = vec![vec![report(&[("x", pass.clone())])], vec![report(&[("x", other)])]];
        assert_eq!(flaky(&names, &runs).len(), 1);
        let runs = vec![vec![report(&[("x", pass.clone())])], vec![report(&[("x", pass)])]];
        assert_eq!(settle(&runs)[0].results[0].verdict.label(), "pass");
    }

    #[test]
    fn spread_is_min_median_max() {
        assert_eq!(spread(&[30, 10, 20]), (10, 20, 30));
        assert_eq!(spread(&[40, 10, 20, 30]), (10, 25, 40));
        assert_eq!(spread(&[]), (0, 0, 0));
    }
}
