//! `h2probe demo`: a real HTTP/2 server (hyper) on loopback, and the suite run against it,
//! so a newcomer sees a real report from one command with nothing else installed.

use crate::cli::DemoArgs;
use crate::UsageError;
use bytes::Bytes;
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::convert::Infallible;
use std::process::ExitCode;
use tokio::net::TcpListener;

/// Body served at every path: a few KiB so flow-control cases have something to limit.
fn page() -> Bytes {
    let line = "h2probe demo server: the quick brown fox jumps over the lazy dog\n";
    Bytes::from(line.repeat(64))
}

/// Bound on a request body the demo server reads.
const MAX_BODY: usize = 1 << 20;

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read (and discard) the body so content-length and flow control are exercised.
    let ok = Limited::new(req.into_body(), MAX_BODY).collect().await.is_ok();
    let status = if ok { 200 } else { 400 };
    let mut resp = Response::new(Full::new(if ok { page() } else { Bytes::from_static(b"bad request\n") }));
    *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    Ok(resp)
}

/// Starts hyper's HTTP/2 server (h2c, prior knowledge) on an ephemeral loopback port.
pub async fn serve() -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let conn = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), hyper::service::service_fn(handle));
                let _ = conn.await;
            });
        }
    });
    Ok(addr)
}

/// Runs the suite against the built-in server.
pub async fn run(args: DemoArgs) -> Result<ExitCode, UsageError> {
    let addr = serve().await.map_err(|e| UsageError(format!("cannot start the demo server: {e}")))?;
    let url = format!("http://{addr}/");
    eprintln!("h2probe demo: hyper {} HTTP/2 server (h2c) listening on {url}", "1.x");
    let target = Target::parse(&url).map_err(|e| UsageError(e.to_string()))?;
    let connector = Connector::new(&target, &TlsOptions::default()).map_err(|e| UsageError(e.to_string()))?;
    let cases = h2probe_harness::select::select(h2probe_cases::all(), &args.selection, &args.run.exclude, args.run.strict)
        .map_err(|e| UsageError(e.to_string()))?;
    crate::run_suite(target, connector, cases, &args.run, &args.flood).await
}
