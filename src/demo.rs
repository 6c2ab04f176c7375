//! `h2probe demo`: a real HTTP/2 server (hyper) on loopback, and the suite run against it,
//! so a newcomer sees a real report from one command with nothing else installed.
//! `h2probe serve-demo` runs the same server on fixed ports (h2c and TLS) so CI can treat it
//! like any other real server (ci/servers/hyper).

use crate::cli::{DemoArgs, ServeDemoArgs};
use crate::UsageError;
use bytes::Bytes;
use h2probe_harness::transport::{Connector, Target, TlsOptions};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

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

/// Serves one connection with hyper's HTTP/2 server, whatever the transport underneath.
async fn serve_connection<S>(io: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let conn = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(io), hyper::service::service_fn(handle));
    let _ = conn.await;
}

/// A TLS client that never finishes its handshake must not hold a task forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections for ever: h2c with prior knowledge, or TLS first when `tls` is set.
async fn accept_loop(listener: TcpListener, tls: Option<TlsAcceptor>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors and the like: back off rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Small frames (SETTINGS ACK, RST_STREAM, a short response) must not wait for
        // Nagle's algorithm: a ~40 ms delay would blur what the suite observes.
        let _ = stream.set_nodelay(true);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(stream).await,
                Some(acceptor) => {
                    if let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        serve_connection(stream).await;
                    }
                }
            }
        });
    }
}

/// Starts hyper's HTTP/2 server (h2c, prior knowledge) on an ephemeral loopback port.
pub async fn serve() -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(accept_loop(listener, None));
    Ok(addr)
}

/// The project only ever listens on loopback: a test target must not be reachable from outside.
fn loopback(addr: SocketAddr, flag: &str) -> Result<SocketAddr, UsageError> {
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err(UsageError(format!("{flag} {addr}: only loopback addresses (127.0.0.1, ::1) are allowed")))
    }
}

/// rustls server configuration: the given chain and key, ring, ALPN `h2` only (the server
/// speaks nothing else, so a client offering only HTTP/1.1 is refused in the handshake).
fn tls_acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, UsageError> {
    let open = |p: &Path| {
        std::fs::File::open(p)
            .map(std::io::BufReader::new)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", p.display())))
    };
    let chain: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut open(cert)?)
        .collect::<Result<_, _>>()
        .map_err(|e| UsageError(format!("{}: not a PEM certificate chain: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(UsageError(format!("{}: no certificate in it", cert.display())));
    }
    let key_der: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut open(key)?)
        .map_err(|e| UsageError(format!("{}: not a PEM private key: {e}", key.display())))?
        .ok_or_else(|| UsageError(format!("{}: no private key in it", key.display())))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| UsageError(format!("TLS configuration: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| UsageError(format!("{} / {}: {e}", cert.display(), key.display())))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// `h2probe serve-demo`: the same server as `demo`, on fixed loopback ports, until killed.
pub async fn serve_forever(args: ServeDemoArgs) -> Result<ExitCode, UsageError> {
    let listen = loopback(args.listen, "--listen")?;
    let tls = match (args.tls_listen, &args.cert, &args.key) {
        (Some(addr), Some(cert), Some(key)) => Some((loopback(addr, "--tls-listen")?, tls_acceptor(cert, key)?)),
        (None, None, None) => None,
        _ => return Err(UsageError("--tls-listen, --cert and --key go together".to_string())),
    };
    let bind = |addr: SocketAddr| async move {
        TcpListener::bind(addr).await.map_err(|e| UsageError(format!("cannot listen on {addr}: {e}")))
    };
    let clear = bind(listen).await?;
    eprintln!("h2probe serve-demo: hyper HTTP/2 server, h2c on http://{listen}/");
    match tls {
        None => accept_loop(clear, None).await,
        Some((addr, acceptor)) => {
            let secure = bind(addr).await?;
            eprintln!("h2probe serve-demo: hyper HTTP/2 server, TLS (ALPN h2) on https://{addr}/");
            tokio::join!(accept_loop(clear, None), accept_loop(secure, Some(acceptor)));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `h2probe serve-vulnerable`: the vulnerable fixture on a loopback port, until killed.
pub async fn serve_vulnerable(args: crate::cli::ServeVulnerableArgs) -> Result<ExitCode, UsageError> {
    let listen = loopback(args.listen, "--listen")?;
    let mut m = h2probe_harness::vulnerable::Mitigations::default();
    for name in &args.mitigate {
        m.enable(name).map_err(UsageError)?;
    }
    let listener = TcpListener::bind(listen).await.map_err(|e| UsageError(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener.local_addr().map_err(|e| UsageError(e.to_string()))?;
    if args.sink {
        eprintln!("h2probe serve-vulnerable: http://{addr}/ sink");
        h2probe_harness::vulnerable::sink(listener).await;
    } else {
        eprintln!("h2probe serve-vulnerable: http://{addr}/ mitigations: {m:?}");
        h2probe_harness::vulnerable::serve(listener, m).await;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the suite against the built-in server.
pub async fn run(args: DemoArgs) -> Result<ExitCode, UsageError> {
    let addr = serve().await.map_err(|e| UsageError(format!("cannot start the demo server: {e}")))?;
    let url = format!("http://{addr}/");
    eprintln!("h2probe demo: hyper HTTP/2 server (h2c) listening on {url}");
    let target = Target::parse(&url).map_err(|e| UsageError(e.to_string()))?;
    let connector = Connector::new(&target, &TlsOptions::default()).map_err(|e| UsageError(e.to_string()))?;
    let cases = crate::selection::select(h2probe_cases::all(), &args.selection, &args.suite.exclude, args.suite.strict)?;
    // Floods only ever go to this process's own loopback server: no ownership to declare.
    let run = crate::Run {
        target,
        connector,
        cases,
        opts: args.suite.run_options(),
        ownership: h2probe_harness::safety::Ownership::NotDeclared,
        bounds: &args.bounds,
    };
    crate::run_suite(run, &args.report, "demo").await
}
