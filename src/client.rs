//! `h2probe client`: the client catalogue against a client the user names by its command
//! lines. The reports, known failures and exit status are those of `conform`.

use crate::cli::ClientArgs;
use crate::{known_failures, output, progress, selection, UsageError, INTERRUPTED};
use h2probe_harness::client_run::{self, ClientOptions};
use h2probe_harness::launch::Commands;
use h2probe_harness::transport::accept;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::process::ExitCode;
use std::sync::Arc;

/// Runs the selected client cases, one client run each, and writes the reports.
pub async fn run(args: ClientArgs) -> Result<ExitCode, UsageError> {
    if args.exec.is_none() && args.exec_post.is_none() && args.exec_multi.is_none() {
        return Err(UsageError(
            "name the client: --exec 'curl -s --http2-prior-knowledge {url}' (and --exec-post, --exec-multi for uploads and parallel requests)"
                .into(),
        ));
    }
    output::check_paths(&args.report)?;
    let all = h2probe_cases::client();
    let cases = selection::select(all, &args.selection, &args.suite.exclude, args.suite.strict)?;
    let known = match &args.report.expect {
        Some(path) => known_failures::load(path, all).map_err(|e| UsageError(e.to_string()))?,
        None => Default::default(),
    };
    let tls = match (args.tls, &args.cert, &args.key) {
        (false, _, _) => None,
        (true, Some(cert), Some(key)) => Some(accept::from_pem(cert, key).map_err(|e| UsageError(e.to_string()))?),
        (true, _, _) => Some(accept::self_signed().map_err(|e| UsageError(e.to_string()))?),
    };
    let bind = if args.ipv6 { IpAddr::V6(Ipv6Addr::LOCALHOST) } else { IpAddr::V4(Ipv4Addr::LOCALHOST) };
    let commands = Commands { get: args.exec.clone(), post: args.exec_post.clone(), multi: args.exec_multi.clone(), dir: args.dir.clone() };
    let opts = ClientOptions { run: args.suite.run_options(), tls, bind };
    let progress = progress::bar(cases.len());
    let running = client_run::run(cases, Arc::new(commands), opts, &known, progress.as_ref().map(|(_, p)| p.clone()));
    let report = tokio::select! {
        report = running => report,
        _ = tokio::signal::ctrl_c() => {
            if let Some((bar, _)) = &progress {
                bar.finish_and_clear();
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            output::stderr("h2probe: interrupted: no report written (the clients started are ended with their runs)\n");
            return Ok(ExitCode::from(INTERRUPTED));
        }
    };
    if let Some((bar, _)) = progress {
        bar.finish_and_clear();
    }
    let command = crate::regenerate_command_line("client", "--exec …");
    crate::write_reports(&report, &args.report, &known, &command)?;
    Ok(ExitCode::from(report.exit_status() as u8))
}
