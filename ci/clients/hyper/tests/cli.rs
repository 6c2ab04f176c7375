//! The client's command line against an in-process hyper server (h2c and TLS) that counts
//! its connections: the output lines, the exit status, one connection for `multi`.

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

/// A running test server: its address and how many connections it accepted.
struct Server {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

/// GET /N answers 200 with N octets; GET /fail fails the stream (hyper resets it); POST
/// echoes the body; anything else 404.
async fn serve(req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, String> {
    let path = req.uri().path().trim_start_matches('/').to_string();
    if req.method() == hyper::Method::POST {
        let body = req.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        return Ok(Response::new(Full::new(body)));
    }
    if path == "fail" {
        return Err("asked to fail".into());
    }
    match path.parse::<usize>() {
        Ok(n) => Ok(Response::new(Full::new(Bytes::from(vec![b'x'; n])))),
        Err(_) => Ok(Response::builder().status(404).body(Full::new(Bytes::new())).map_err(|e| e.to_string())?),
    }
}

/// Starts the server on 127.0.0.1 in a thread of its own (TLS with ALPN h2 when `tls`).
fn start(tls: bool) -> Server {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let addr = std_listener.local_addr().expect("addr");
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let acceptor = tls.then(tls_acceptor);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(std_listener).expect("listener");
            loop {
                let Ok((tcp, _)) = listener.accept().await else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(serve);
                    let builder = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
                    match acceptor {
                        Some(a) => {
                            if let Ok(tls) = a.accept(tcp).await {
                                let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                            }
                        }
                        None => {
                            let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
                        }
                    }
                });
            }
        });
    });
    Server { addr, connections }
}

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).expect("cert");
    let cert = ck.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(ck.key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec()];
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

fn client(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_h2probe-hyper-client")).args(args).output().expect("run the client")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn check_all_commands(tls: bool) {
    let s = start(tls);
    let base = format!("{}://{}", if tls { "https" } else { "http" }, s.addr);

    let o = client(&["get", &format!("{base}/1234")]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "status 200 1234\n"), "{o:?}");

    let file = std::env::temp_dir().join(format!("h2probe-hyper-client-{}-{tls}.bin", std::process::id()));
    std::fs::write(&file, vec![7u8; 70_000]).expect("write body");
    let o = client(&["post", &format!("{base}/echo"), file.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&file);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "status 200 70000\n"), "{o:?}");

    let before = s.connections.load(Ordering::SeqCst);
    let urls: Vec<String> = ["5", "100000", "nope", "0"].iter().map(|p| format!("{base}/{p}")).collect();
    let mut args = vec!["multi"];
    args.extend(urls.iter().map(String::as_str));
    let o = client(&args);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "status 200 5\nstatus 200 100000\nstatus 404 0\nstatus 200 0\n"),
        "{o:?}"
    );
    assert_eq!(s.connections.load(Ordering::SeqCst) - before, 1, "multi used one connection");

    // A reset stream among others: its line says error, the others still answer, exit 1.
    let o = client(&["multi", &format!("{base}/3"), &format!("{base}/fail"), &format!("{base}/4")]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(lines.len(), 3, "{o:?}");
    assert_eq!((lines[0], lines[2]), ("status 200 3", "status 200 4"), "{o:?}");
    assert!(lines[1].starts_with("error "), "{o:?}");
}

#[test]
fn h2c_get_post_multi() {
    check_all_commands(false);
}

#[test]
fn tls_get_post_multi() {
    check_all_commands(true);
}

#[test]
fn refused_is_exit_1_and_usage_is_exit_2() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = l.local_addr().expect("addr");
    drop(l);
    let o = client(&["get", &format!("http://{addr}/")]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(o.stdout.is_empty() && !o.stderr.is_empty(), "{o:?}");
    for bad in [&[][..], &["get"][..], &["put", "http://127.0.0.1/"][..], &["get", "ftp://127.0.0.1/"][..]] {
        assert_eq!(client(bad).status.code(), Some(2), "{bad:?}");
    }
    let o = client(&["multi", "http://127.0.0.1:1/", "http://127.0.0.1:2/"]);
    assert_eq!(o.status.code(), Some(2), "two origins: {o:?}");
}

#[test]
fn tls_to_an_h2c_port_is_exit_1() {
    let s = start(false);
    let o = client(&["get", &format!("https://{}/1", s.addr)]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}
