//! h2probe's Rust client: hyper 1's HTTP/2 client connection (`hyper::client::conn::http2`)
//! over tokio, TLS by rustls, driven by one command line like every wrapped client (see
//! `ci/clients/clients.tsv`):
//!
//! ```text
//! h2probe-hyper-client get URL          one GET
//! h2probe-hyper-client post URL FILE    one POST of FILE's octets, with content-length
//! h2probe-hyper-client multi URL...     the GETs concurrently on one connection
//! ```
//!
//! Prints `status <code> <body-octets>` per request on stdout (multi: in argument order; a
//! failed request prints `error <reason>` in its place). Exit 0 when every request got a
//! response, 1 on a transport or protocol error (the error on stderr), 2 on a usage error.
//! `http://` is h2c with prior knowledge, `https://` TLS with ALPN h2 (anything else
//! negotiated is an error); any certificate is accepted (the scripted server's is
//! self-signed) unless `H2PROBE_CLIENT_VERIFY=1` (then the WebPKI roots of webpki-roots).
//! Everything ends within 10 s.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::client::conn::http2::SendRequest;
use hyper::{Method, Request, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;

/// The bound on the whole run: connect, handshake, every request and body.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The body type of every request: empty for GET, the file's octets for POST.
type Body = http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>;

/// What the command line asks for.
struct Args {
    /// `get`, `post` or `multi`.
    cmd: String,
    /// The URLs, all of one origin.
    urls: Vec<Uri>,
    /// The POST body.
    body: Option<Bytes>,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1).collect()) {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("h2probe-hyper-client: {msg}");
            }
            eprintln!("usage: h2probe-hyper-client get URL | post URL FILE | multi URL...");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("h2probe-hyper-client: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let outcomes = match rt.block_on(async { tokio::time::timeout(TIMEOUT, run(&args)).await }) {
        Ok(Ok(outcomes)) => outcomes,
        Ok(Err(e)) => {
            eprintln!("h2probe-hyper-client: {e}");
            return ExitCode::from(1);
        }
        Err(_) => {
            eprintln!("h2probe-hyper-client: no result within {} s", TIMEOUT.as_secs());
            return ExitCode::from(1);
        }
    };
    let mut failed = false;
    for outcome in outcomes {
        match outcome {
            Ok(line) => println!("{line}"),
            Err(e) => {
                failed = true;
                if args.cmd == "multi" {
                    println!("error {e}");
                }
                eprintln!("h2probe-hyper-client: {e}");
            }
        }
    }
    // The connection task and any stuck stream die with the runtime.
    rt.shutdown_background();
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The command line → [`Args`], or the usage error (empty: print the usage alone).
fn parse_args(argv: Vec<String>) -> Result<Args, String> {
    let (cmd, urls, file) = match argv.as_slice() {
        [c, u] if c == "get" => (c.clone(), vec![u.clone()], None),
        [c, u, f] if c == "post" => (c.clone(), vec![u.clone()], Some(f.clone())),
        [c, us @ ..] if c == "multi" && !us.is_empty() => (c.clone(), us.to_vec(), None),
        _ => return Err(String::new()),
    };
    let body = match file {
        Some(f) => Some(Bytes::from(std::fs::read(&f).map_err(|e| format!("cannot read {f}: {e}"))?)),
        None => None,
    };
    let mut parsed = Vec::with_capacity(urls.len());
    for u in &urls {
        let uri: Uri = u.parse().map_err(|_| format!("not a URL: {u}"))?;
        match (uri.scheme_str(), uri.authority()) {
            (Some("http" | "https"), Some(_)) => {}
            _ => return Err(format!("not an http:// or https:// URL: {u}")),
        }
        parsed.push(uri);
    }
    let origin = |u: &Uri| (u.scheme().cloned(), u.authority().cloned());
    if parsed.iter().any(|u| origin(u) != origin(&parsed[0])) {
        return Err("multi: every URL must have the same origin (one connection)".into());
    }
    Ok(Args { cmd, urls: parsed, body })
}

/// Opens the one connection and sends every request on it concurrently.
async fn run(args: &Args) -> Result<Vec<Result<String, String>>, String> {
    let first = &args.urls[0];
    let authority = first.authority().ok_or("no authority")?;
    let host = authority.host().trim_start_matches('[').trim_end_matches(']').to_string();
    let port = authority.port_u16().unwrap_or(if first.scheme_str() == Some("https") { 443 } else { 80 });
    let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(|e| format!("connect to {authority}: {e}"))?;
    // Requests and responses are small; Nagle would only add latency.
    let _ = tcp.set_nodelay(true);
    let (sender, conn) = if first.scheme_str() == Some("https") {
        let tls = tls_connect(tcp, &host).await?;
        handshake(tls).await?
    } else {
        handshake(tcp).await?
    };
    let tasks: Vec<_> = args
        .urls
        .iter()
        .map(|u| {
            let mut sender = sender.clone();
            let req = request(u, args.body.clone());
            tokio::spawn(async move {
                let req = req?;
                let resp = sender.send_request(req).await.map_err(|e| error_chain(&e))?;
                let status = resp.status().as_u16();
                let mut body = resp.into_body();
                let mut octets = 0usize;
                while let Some(frame) = body.frame().await {
                    let frame = frame.map_err(|e| format!("reading the body after {octets} octets: {}", error_chain(&e)))?;
                    if let Some(data) = frame.data_ref() {
                        octets += data.len();
                    }
                }
                Ok(format!("status {status} {octets}"))
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for t in tasks {
        outcomes.push(t.await.unwrap_or_else(|e| Err(format!("request task failed: {e}"))));
    }
    // The last sender dropped, hyper shuts the connection down (GOAWAY, then close); a
    // second at most for that, within the overall bound.
    drop(sender);
    let _ = tokio::time::timeout(Duration::from_secs(1), conn).await;
    Ok(outcomes)
}

/// One request: absolute URI (hyper takes :scheme and :authority from it), content-length
/// on a POST.
fn request(uri: &Uri, body: Option<Bytes>) -> Result<Request<Body>, String> {
    let b = Request::builder().uri(uri.clone());
    let r = match body {
        Some(bytes) => b
            .method(Method::POST)
            .header(hyper::header::CONTENT_LENGTH, bytes.len())
            .body(Full::new(bytes).boxed()),
        None => b.method(Method::GET).body(Empty::new().boxed()),
    };
    r.map_err(|e| format!("building the request: {e}"))
}

/// The HTTP/2 handshake on `io`; the connection is driven by a task of its own, returned.
async fn handshake<T>(io: T) -> Result<(SendRequest<Body>, tokio::task::JoinHandle<()>), String>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP/2 handshake: {}", error_chain(&e)))?;
    let task = tokio::spawn(async move {
        if let Err(e) = conn.await {
            eprintln!("h2probe-hyper-client: connection: {}", error_chain(&e));
        }
    });
    Ok((sender, task))
}

/// TLS with ALPN h2 only; fails unless the server selected h2.
async fn tls_connect(tcp: TcpStream, host: &str) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up: {e}"))?;
    let mut config = if std::env::var("H2PROBE_CLIENT_VERIFY").as_deref() == Ok("1") {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCert::new(&provider)))
            .with_no_client_auth()
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let name = ServerName::try_from(host.to_string()).map_err(|e| format!("server name {host}: {e}"))?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS handshake: {e}"))?;
    match tls.get_ref().1.alpn_protocol() {
        Some(b"h2") => Ok(tls),
        Some(other) => Err(format!("the server selected ALPN {:?}, not h2", String::from_utf8_lossy(other))),
        None => Err("the server selected no ALPN protocol (h2 offered)".into()),
    }
}

/// An error and its sources on one line (hyper's own message is often just "http2 error").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Accepts any server certificate, but still checks the handshake signatures, so the
/// server must hold the key of the certificate it sent.
#[derive(Debug)]
struct AcceptAnyCert {
    /// The provider's signature algorithms.
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptAnyCert {
    fn new(provider: &CryptoProvider) -> AcceptAnyCert {
        AcceptAnyCert { algorithms: provider.signature_verification_algorithms }
    }
}

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
