//! A hostile HTTP/2 server on loopback, for `ci/bench/hostile.sh`: serves one mode of
//! `tests/support/hostile.rs` (the same servers the hostile-server tests use).
//!
//! ```text
//! hostile_server MODE PORT [SECONDS]   serve MODE on 127.0.0.1:PORT, for at most SECONDS (default 300)
//! hostile_server --list                the modes, one a line
//! hostile_server --deadlines TIMEOUT_MS
//!                                      each case of the default selection, and each flood case
//!                                      (at the default --max-frames and --max-seconds), with its
//!                                      deadline in ms at that --timeout, one "id ms" a line
//! ```
//!
//! Every connection lasts at most 10 s and sends at most 256 MiB; the process exits after
//! SECONDS whatever happens.

#[path = "../tests/support/hostile.rs"]
mod hostile;

use h2probe_codec::SettingId;
use h2probe_harness::case::Ctx;
use h2probe_harness::runner::{deadline_of, RunOptions};
use hostile::{Bounds, Mode};
use std::process::ExitCode;
use std::time::Duration;

fn usage() -> ExitCode {
    eprintln!("usage: hostile_server MODE PORT [SECONDS] | --list | --deadlines TIMEOUT_MS");
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--list") => {
            for m in Mode::ALL {
                println!("{}", m.name());
            }
            ExitCode::SUCCESS
        }
        Some("--deadlines") => {
            let Some(ms) = args.get(1).and_then(|a| a.parse::<u64>().ok()) else { return usage() };
            let opts = RunOptions { timeout: Duration::from_millis(ms), ..RunOptions::default() };
            let Ok(cases) = h2probe_harness::select::select(h2probe_cases::all(), &[], &[], false) else { return usage() };
            // A script may depend on what the server advertises (a case that needs
            // SETTINGS_MAX_CONCURRENT_STREAMS, or extended CONNECT, or TLS, skips without);
            // the deadline printed is the largest over servers that advertise each of them.
            let mut advertising = Ctx::example();
            for (id, v) in [
                (SettingId::MAX_CONCURRENT_STREAMS, 100),
                (SettingId::ENABLE_CONNECT_PROTOCOL, 1),
                (SettingId::NO_RFC7540_PRIORITIES, 1),
                (SettingId::MAX_FRAME_SIZE, 16_384),
                (SettingId::MAX_HEADER_LIST_SIZE, 1 << 20),
            ] {
                advertising.server.params.insert(id, v);
            }
            let tls = Ctx { scheme: "https", ..advertising.clone() };
            let floods = h2probe_cases::all().iter().filter(|c| c.is_flood());
            for case in cases.into_iter().filter(|c| !c.is_passive()).chain(floods) {
                let ms = [Ctx::example(), advertising.clone(), tls.clone()].iter().map(|ctx| deadline_of(case, ctx, &opts)).max();
                println!("{} {}", case.id, ms.unwrap_or_default().as_millis());
            }
            ExitCode::SUCCESS
        }
        Some(name) => {
            let (Some(mode), Some(port)) = (Mode::parse(name), args.get(1).and_then(|p| p.parse::<u16>().ok())) else {
                return usage();
            };
            let seconds = match args.get(2).map(|s| s.parse::<u64>()) {
                None => 300,
                Some(Ok(s)) => s,
                Some(Err(_)) => return usage(),
            };
            let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("hostile_server: cannot listen on 127.0.0.1:{port}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(seconds), hostile::accept(listener, mode, Bounds::default())).await;
            ExitCode::SUCCESS
        }
        None => usage(),
    }
}
