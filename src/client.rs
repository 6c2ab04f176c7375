//! `h2probe client`: the client catalogue against a client the user names by its command
//! lines. The reports, known failures and exit status are those of `conform`.

use crate::cli::ClientArgs;
use crate::{known_failures, output, progress, selection, UsageError, INTERRUPTED};
use h2probe_harness::client_run::{self, ClientOptions};
use h2probe_harness::launch::Commands;
use h2probe_harness::listen::Lobby;
use h2probe_harness::transport::accept;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::process::ExitCode;
use std::sync::Arc;

/// Runs the selected client cases, one client run each, and writes the reports.
pub async fn run(args: ClientArgs) -> Result<ExitCode, UsageError> {
    if args.exec.is_none() && args.exec_post.is_none() && args.exec_multi.is_none() && args.listen.is_none() {
        return Err(UsageError(
            "name the client: --exec 'curl -s --http2-prior-knowledge {url}' (and --exec-post, --exec-multi for uploads and parallel requests), or --listen 127.0.0.1:8443 for a browser"
                .into(),
        ));
    }
    let tls_wanted = if args.listen.is_some() { !args.h2c } else { args.tls };
    if args.cert.is_some() && !tls_wanted {
        return Err(UsageError("--cert/--key are for TLS: give --tls (or --listen without --h2c)".into()));
    }
    if args.upgrade && tls_wanted {
        return Err(UsageError("--upgrade is h2c's (Upgrade: h2c is cleartext only): with --listen, give --h2c too".into()));
    }
    output::check_paths(&args.report)?;
    let all = h2probe_cases::client();
    let cases = selection::select(all, &args.selection, &args.suite.exclude, args.suite.strict)?;
    let known = match &args.report.expect {
        Some(path) => known_failures::load(path, all).map_err(|e| UsageError(e.to_string()))?,
        None => Default::default(),
    };
    let tls = match (tls_wanted, &args.cert, &args.key) {
        (false, _, _) => None,
        (true, Some(cert), Some(key)) => Some(accept::from_pem(cert, key).map_err(|e| UsageError(e.to_string()))?),
        (true, _, _) => Some(accept::self_signed().map_err(|e| UsageError(e.to_string()))?),
    };
    let bind = if args.ipv6 { IpAddr::V6(Ipv6Addr::LOCALHOST) } else { IpAddr::V4(Ipv4Addr::LOCALHOST) };
    let commands = Commands { get: args.exec.clone(), post: args.exec_post.clone(), multi: args.exec_multi.clone(), dir: args.dir.clone() };
    let opts = ClientOptions { run: args.suite.run_options(), tls, bind, upgrade: args.upgrade, accept_within: None };
    if let Some(addr) = args.listen {
        return listen(addr, cases, opts, &args, &known).await;
    }
    let n = cases.len();
    let interrupted = "h2probe: interrupted: no report written (the clients started are ended with their runs)\n";
    let Some(report) = progress::run_under_bar(n, interrupted, |progress| client_run::run(cases, Arc::new(commands), opts, &known, progress)).await
    else {
        return Ok(ExitCode::from(INTERRUPTED));
    };
    let command = crate::regenerate_command_line("client", "--exec …");
    crate::write_reports(&report, &args.report, &known, &command)?;
    Ok(ExitCode::from(report.exit_status() as u8))
}

/// `--listen`: the index page at `addr`, the browser the user points at it, the report
/// when the page is done, `--deadline` passes or Ctrl-C comes.
async fn listen(
    addr: std::net::SocketAddr,
    cases: Vec<&'static h2probe_harness::case::Case>,
    opts: ClientOptions,
    args: &ClientArgs,
    known: &std::collections::HashMap<String, String>,
) -> Result<ExitCode, UsageError> {
    let lobby = Lobby::bind(addr, opts).await.map_err(|e| UsageError(e.to_string()))?;
    output::stderr(&format!(
        "h2probe: {} client cases; open {} in the browser under test (the page runs them in order; each case is a port of its own)\n",
        cases.len(),
        lobby.url()
    ));
    let progress = progress::bar(cases.len());
    let interrupted = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let report = lobby.run(cases, args.suite.deadline, known, progress.as_ref().map(|(_, p)| p.clone()), interrupted).await;
    if let Some((bar, _)) = progress {
        bar.finish_and_clear();
    }
    let command = crate::regenerate_command_line("client", "--listen …");
    crate::write_reports(&report, &args.report, known, &command)?;
    Ok(ExitCode::from(report.exit_status() as u8))
}
