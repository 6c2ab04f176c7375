//! Connecting over real sockets on 127.0.0.1 (and ::1 when available): refusals, timeouts,
//! h2c, and TLS against in-process tokio-rustls servers with rcgen-made certificates.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use h2probe_harness::transport::{BoxIo, ConnectError, Connector, Stage, Target, TlsOptions};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const TIMEOUT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------
// Certificates

/// A CA and the PEM file holding it.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
    pem_file: PathBuf,
}

/// A leaf certificate signed by a [`Ca`], in DER for servers and PEM files for `--cert/--key`.
struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
    cert_file: PathBuf,
    key_file: PathBuf,
}

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("transport_connect");
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir.join(format!("{}-{}-{name}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)))
}

fn make_ca(name: &str) -> Ca {
    let key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let cert = params.self_signed(&key).expect("self-sign ca");
    let pem_file = scratch("ca.pem");
    std::fs::write(&pem_file, cert.pem()).expect("write ca");
    Ca { cert, key, pem_file }
}

fn make_leaf(ca: &Ca, names: &[&str], purpose: ExtendedKeyUsagePurpose) -> Leaf {
    let key = KeyPair::generate().expect("leaf key");
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("client"));
    params.extended_key_usages = vec![purpose];
    let cert = params.signed_by(&key, &ca.cert, &ca.key).expect("sign leaf");
    let cert_file = scratch("leaf.pem");
    let key_file = scratch("leaf.key");
    std::fs::write(&cert_file, cert.pem()).expect("write leaf");
    std::fs::write(&key_file, key.serialize_pem()).expect("write key");
    Leaf { chain: vec![cert.der().clone()], key_der: key.serialize_der(), cert_file, key_file }
}

fn server_leaf(ca: &Ca) -> Leaf {
    make_leaf(ca, &["localhost", "127.0.0.1", "other.name"], ExtendedKeyUsagePurpose::ServerAuth)
}

fn client_leaf(ca: &Ca) -> Leaf {
    make_leaf(ca, &["client.test"], ExtendedKeyUsagePurpose::ClientAuth)
}

// ---------------------------------------------------------------------------------------
// Servers

/// What the TLS server saw on its single connection.
#[derive(Debug)]
struct Seen {
    /// The handshake result (the server's view).
    result: Result<(), String>,
    /// SNI sent by the client.
    server_name: Option<String>,
}

struct ServerOpts {
    alpn: Vec<Vec<u8>>,
    client_ca: Option<PathBuf>,
    tickets: usize,
    greet: bool,
}

impl Default for ServerOpts {
    fn default() -> Self {
        ServerOpts { alpn: vec![b"h2".to_vec()], client_ca: None, tickets: 2, greet: true }
    }
}

/// Starts a TLS server on 127.0.0.1 that handles one connection: handshake, then (when
/// `greet`) writes `hello`, then waits for the client to hang up.
async fn tls_server(leaf: &Leaf, opts: ServerOpts) -> (u16, oneshot::Receiver<Seen>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .expect("versions");
    let builder = match &opts.client_ca {
        None => builder.with_no_client_auth(),
        Some(ca_file) => {
            let mut roots = RootCertStore::empty();
            let pem = std::fs::read(ca_file).expect("read client ca");
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                roots.add(cert.expect("pem")).expect("add root");
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        }
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key_der.clone()));
    let mut config = builder.with_single_cert(leaf.chain.clone(), key).expect("server cert");
    config.alpn_protocols = opts.alpn;
    config.send_tls13_tickets = opts.tickets;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else { return };
        match acceptor.accept(tcp).await {
            Err(e) => {
                let _ = tx.send(Seen { result: Err(e.to_string()), server_name: None });
            }
            Ok(mut tls) => {
                let server_name = tls.get_ref().1.server_name().map(str::to_string);
                let _ = tx.send(Seen { result: Ok(()), server_name });
                if opts.greet {
                    let _ = tls.write_all(b"hello").await;
                    let _ = tls.flush().await;
                }
                let mut sink = [0u8; 64];
                while let Ok(n) = tls.read(&mut sink).await {
                    if n == 0 {
                        break;
                    }
                }
            }
        }
    });
    (port, rx)
}

fn target(url: &str) -> Target {
    Target::parse(url).expect("test URL")
}

async fn connect(url: &str, tls: &TlsOptions) -> Result<BoxIo, ConnectError> {
    Connector::new(&target(url), tls)?.connect(TIMEOUT).await
}

fn insecure() -> TlsOptions {
    TlsOptions { insecure: true, ..TlsOptions::default() }
}

fn trusting(ca: &Ca) -> TlsOptions {
    TlsOptions { ca_file: Some(ca.pem_file.clone()), ..TlsOptions::default() }
}

async fn expect_hello(io: &mut BoxIo) {
    let mut buf = [0u8; 5];
    tokio::time::timeout(TIMEOUT, io.read_exact(&mut buf)).await.expect("greeting in time").expect("read greeting");
    assert_eq!(&buf, b"hello");
}

fn one_line(e: &ConnectError) -> String {
    let msg = e.to_string();
    eprintln!("message: {msg}");
    assert!(!msg.contains('\n'), "message not one line: {msg}");
    msg
}

// ---------------------------------------------------------------------------------------
// TCP

#[tokio::test]
async fn refused() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        l.local_addr().expect("addr").port()
    };
    let started = Instant::now();
    let e = connect(&format!("http://127.0.0.1:{port}/"), &TlsOptions::default()).await.err().expect("must fail");
    assert!(started.elapsed() < TIMEOUT);
    assert!(matches!(&e, ConnectError::Refused { addr } if *addr == format!("127.0.0.1:{port}")), "{e:?}");
    assert_eq!(one_line(&e), format!("connection refused by 127.0.0.1:{port} (is the server running?)"));
}

#[tokio::test]
async fn h2c_ipv4_round_trip() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf).await.expect("read");
        s.write_all(&buf).await.expect("echo");
    });
    let mut io = connect(&format!("http://127.0.0.1:{port}/"), &TlsOptions::default()).await.expect("connect");
    io.write_all(b"ping").await.expect("write");
    let mut buf = [0u8; 4];
    io.read_exact(&mut buf).await.expect("read");
    assert_eq!(&buf, b"ping");
    server.await.expect("server");
}

#[tokio::test]
async fn h2c_ipv6_round_trip() {
    let listener = match TcpListener::bind("[::1]:0").await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("note: skipping the IPv6 test, ::1 is unavailable here ({e})");
            return;
        }
    };
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move {
        let (mut s, peer) = listener.accept().await.expect("accept");
        assert!(peer.is_ipv6());
        s.write_all(b"v6").await.expect("write");
    });
    let t = target(&format!("http://[::1]:{port}/x"));
    assert_eq!(t.host, "::1");
    assert!(t.is_loopback());
    let mut io =
        Connector::new(&t, &TlsOptions::default()).expect("connector").connect(TIMEOUT).await.expect("connect");
    let mut buf = [0u8; 2];
    io.read_exact(&mut buf).await.expect("read");
    assert_eq!(&buf, b"v6");
    server.await.expect("server");
}

#[tokio::test]
async fn localhost_name_resolves() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let _held = listener.accept().await;
        tokio::time::sleep(TIMEOUT).await;
    });
    // `localhost` may resolve to ::1 first, where nothing listens: the next address is tried.
    connect(&format!("http://localhost:{port}/"), &TlsOptions::default()).await.expect("connect");
}

#[tokio::test]
async fn tls_handshake_never_answered_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let held = listener.accept().await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(held);
    });
    let timeout = Duration::from_millis(300);
    let connector = Connector::new(&target(&format!("https://127.0.0.1:{port}/")), &insecure()).expect("connector");
    let started = Instant::now();
    let e = connector.connect(timeout).await.err().expect("must time out");
    let elapsed = started.elapsed();
    assert!(elapsed >= timeout && elapsed < timeout + Duration::from_secs(2), "took {elapsed:?}");
    assert!(matches!(e, ConnectError::TimedOut { stage: Stage::TlsHandshake, after, .. } if after == timeout), "{e:?}");
    assert!(one_line(&e).starts_with(&format!("timed out in the TLS handshake with 127.0.0.1:{port} after 300 ms")));
}

#[tokio::test]
async fn tls_to_a_cleartext_server() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 512];
        let _ = s.read(&mut buf).await;
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
    });
    let e = connect(&format!("https://127.0.0.1:{port}/"), &insecure()).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::Tls { .. } | ConnectError::TlsIo { .. }), "{e:?}");
    assert!(one_line(&e).contains("for h2c use http://"), "{e}");
}

#[tokio::test]
async fn tls_server_hangs_up() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let (s, _) = listener.accept().await.expect("accept");
        drop(s);
    });
    let e = connect(&format!("https://127.0.0.1:{port}/"), &insecure()).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::TlsIo { .. }), "{e:?}");
    one_line(&e);
}

// ---------------------------------------------------------------------------------------
// TLS

#[tokio::test]
async fn tls_h2_with_insecure_and_with_ca() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    for (url_host, opts) in [("127.0.0.1", insecure()), ("127.0.0.1", trusting(&ca)), ("localhost", trusting(&ca))] {
        let (port, seen) = tls_server(&leaf, ServerOpts::default()).await;
        let mut io = connect(&format!("https://{url_host}:{port}/"), &opts).await.expect("connect");
        expect_hello(&mut io).await;
        let seen = seen.await.expect("server report");
        assert_eq!(seen.result, Ok(()));
        // IP literals send no SNI; names do.
        let expected_sni = (url_host != "127.0.0.1").then(|| url_host.to_string());
        assert_eq!(seen.server_name, expected_sni);
    }
}

/// `-v` prints what the first handshake settled; h2c has nothing to show.
#[tokio::test]
async fn the_handshake_says_what_tls_settled() {
    let ca = make_ca("h2probe test CA");
    let (port, _seen) = tls_server(&server_leaf(&ca), ServerOpts::default()).await;
    let connector = Connector::new(&target(&format!("https://localhost:{port}/")), &trusting(&ca)).expect("connector");
    let (_io, info) = connector.connect_with_info(TIMEOUT).await.expect("connect");
    let info = info.expect("TLS info");
    assert_eq!((info.version.as_str(), info.alpn.as_str()), ("TLS 1.3", "h2"));
    assert!(info.cipher.starts_with("TLS13_"), "an IANA name: {info}");
    assert_eq!(info.to_string(), format!("TLS 1.3, cipher {}, ALPN h2", info.cipher));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connector = Connector::new(&target(&format!("http://127.0.0.1:{port}/")), &TlsOptions::default()).expect("connector");
    let (_io, info) = connector.connect_with_info(TIMEOUT).await.expect("connect");
    assert_eq!(info, None);
}

/// The refusal of a certificate chain that leads to no trusted issuer.
fn unknown_issuer(e: &ConnectError) -> bool {
    matches!(
        e,
        ConnectError::ServerCertificate { error: rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer), .. }
    )
}

#[tokio::test]
async fn tls_untrusted_certificate() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &TlsOptions::default()).await.err().expect("must fail");
    assert!(unknown_issuer(&e), "{e:?}");
    assert_eq!(
        one_line(&e),
        format!("TLS handshake with 127.0.0.1:{port} failed: its certificate is not signed by a CA h2probe trusts (use --insecure or --ca FILE)")
    );

    // Trusting some other CA does not help either.
    let other = make_ca("some other CA");
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &trusting(&other)).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::ServerCertificate { .. }), "{e:?}");
}

/// What `openssl req -x509` makes and test servers use: one certificate, marked CA:TRUE,
/// that is the server's own.
fn self_signed_ca_leaf() -> Leaf {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "localhost");
    let cert = params.self_signed(&key).expect("self-sign");
    let cert_file = scratch("self-signed.pem");
    let key_file = scratch("self-signed.key");
    std::fs::write(&cert_file, cert.pem()).expect("write cert");
    std::fs::write(&key_file, key.serialize_pem()).expect("write key");
    Leaf { chain: vec![cert.der().clone()], key_der: key.serialize_der(), cert_file, key_file }
}

#[tokio::test]
async fn tls_self_signed_ca_certificate_is_pinned_by_ca_as_curl_does() {
    let leaf = self_signed_ca_leaf();
    let pinned = TlsOptions { ca_file: Some(leaf.cert_file.clone()), ..TlsOptions::default() };
    for host in ["127.0.0.1", "localhost"] {
        let (port, seen) = tls_server(&leaf, ServerOpts::default()).await;
        let mut io = connect(&format!("https://{host}:{port}/"), &pinned).await.expect("pinned leaf accepted");
        expect_hello(&mut io).await;
        assert_eq!(seen.await.expect("report").result, Ok(()));
    }

    // Without --ca: refused, in a sentence that says what to do (no debug dump).
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &TlsOptions::default()).await.err().expect("must fail");
    let msg = one_line(&e);
    assert!(msg.contains("its certificate is a CA certificate used as the server's own") && msg.contains("--ca FILE"), "{msg}");
    assert!(!msg.contains("Other(") && !msg.contains("CaUsedAsEndEntity"), "{msg}");

    // Pinned, but the name does not match: still refused.
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let opts = TlsOptions { sni: Some("other.name".into()), ..pinned.clone() };
    let e = connect(&format!("https://127.0.0.1:{port}/"), &opts).await.err().expect("must fail");
    assert!(one_line(&e).contains("not valid for other.name (it names localhost, 127.0.0.1)"), "{e}");

    // A --ca file with some other self-signed certificate pins nothing.
    let other = self_signed_ca_leaf();
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let opts = TlsOptions { ca_file: Some(other.cert_file.clone()), ..TlsOptions::default() };
    let e = connect(&format!("https://127.0.0.1:{port}/"), &opts).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::ServerCertificate { .. }), "{e:?}");
}

/// curl (OpenSSL) also takes a CA-signed server certificate given alone to --cacert, as a
/// pinned trust anchor; so does --ca, for that very certificate and only while its name fits.
#[tokio::test]
async fn tls_ca_signed_leaf_is_pinned_by_ca_without_its_issuer() {
    let ca = make_ca("h2probe issuing CA");
    let leaf = make_leaf(&ca, &["localhost"], ExtendedKeyUsagePurpose::ServerAuth);
    let pinned = TlsOptions { ca_file: Some(leaf.cert_file.clone()), ..TlsOptions::default() };
    let (port, seen) = tls_server(&leaf, ServerOpts::default()).await;
    let mut io = connect(&format!("https://localhost:{port}/"), &pinned).await.expect("pinned leaf accepted");
    expect_hello(&mut io).await;
    assert_eq!(seen.await.expect("report").result, Ok(()));

    // The name still has to match.
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &pinned).await.err().expect("must fail");
    assert!(one_line(&e).contains("not valid for 127.0.0.1 (it names localhost)"), "{e}");

    // Another leaf of the same CA is not pinned by this one.
    let sibling = make_leaf(&ca, &["localhost"], ExtendedKeyUsagePurpose::ServerAuth);
    let (port, _seen) = tls_server(&sibling, ServerOpts::default()).await;
    let e = connect(&format!("https://localhost:{port}/"), &pinned).await.err().expect("must fail");
    assert!(unknown_issuer(&e), "{e:?}");
}

#[tokio::test]
async fn tls_wrong_name() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    let (port, _seen) = tls_server(&leaf, ServerOpts::default()).await;
    let opts = TlsOptions { sni: Some("not-in-cert.test".into()), ..trusting(&ca) };
    let e = connect(&format!("https://127.0.0.1:{port}/"), &opts).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::ServerCertificate { .. }), "{e:?}");
    assert!(one_line(&e).contains("--sni NAME"), "{e}");
}

#[tokio::test]
async fn tls_alpn_http11_only() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    let (port, _seen) =
        tls_server(&leaf, ServerOpts { alpn: vec![b"http/1.1".to_vec()], ..ServerOpts::default() }).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &insecure()).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::AlpnNotH2 { .. }), "{e:?}");
    one_line(&e);
}

#[tokio::test]
async fn tls_no_alpn_at_all() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    let (port, _seen) = tls_server(&leaf, ServerOpts { alpn: vec![], ..ServerOpts::default() }).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &insecure()).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::AlpnNotH2 { got: None }), "{e:?}");
    assert!(one_line(&e).starts_with("server did not negotiate ALPN h2 (got none"));
}

#[test]
fn alpn_message_names_what_was_negotiated() {
    let e = ConnectError::AlpnNotH2 { got: Some("http/1.1".into()) };
    assert_eq!(e.to_string(), "server did not negotiate ALPN h2 (got http/1.1)");
}

#[tokio::test]
async fn tls_mutual_auth() {
    let server_ca = make_ca("server CA");
    let client_ca = make_ca("client CA");
    let leaf = server_leaf(&server_ca);
    let client = client_leaf(&client_ca);
    let mtls = || ServerOpts { client_ca: Some(client_ca.pem_file.clone()), ..ServerOpts::default() };

    // No client certificate: refused, and said so by connect() itself.
    let (port, seen) = tls_server(&leaf, mtls()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &insecure()).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::ClientCertificateRejected { sent_cert: false, .. }), "{e:?}");
    assert!(one_line(&e).contains("--cert FILE --key FILE"), "{e}");
    assert!(seen.await.expect("report").result.is_err());

    // With the client certificate: accepted, and the greeting still arrives intact.
    let with_cert = TlsOptions { client_cert: Some((client.cert_file.clone(), client.key_file.clone())), ..insecure() };
    let (port, seen) = tls_server(&leaf, mtls()).await;
    let mut io = connect(&format!("https://127.0.0.1:{port}/"), &with_cert).await.expect("connect");
    expect_hello(&mut io).await;
    assert_eq!(seen.await.expect("report").result, Ok(()));

    // Accepted by a server that sends no tickets and says nothing: connect waits briefly, then succeeds.
    let quiet = || ServerOpts { tickets: 0, greet: false, ..mtls() };
    let (port, _seen) = tls_server(&leaf, quiet()).await;
    connect(&format!("https://127.0.0.1:{port}/"), &with_cert).await.expect("connect");

    // A certificate from a CA the server does not trust: rejected.
    let stranger = client_leaf(&make_ca("unknown client CA"));
    let wrong_cert =
        TlsOptions { client_cert: Some((stranger.cert_file.clone(), stranger.key_file.clone())), ..insecure() };
    let (port, _seen) = tls_server(&leaf, quiet()).await;
    let e = connect(&format!("https://127.0.0.1:{port}/"), &wrong_cert).await.err().expect("must fail");
    assert!(matches!(e, ConnectError::ClientCertificateRejected { sent_cert: true, .. }), "{e:?}");
    one_line(&e);
}

#[tokio::test]
async fn tls_sni_override() {
    let ca = make_ca("h2probe test CA");
    let leaf = server_leaf(&ca);
    for opts in [insecure(), trusting(&ca)] {
        let (port, seen) = tls_server(&leaf, ServerOpts::default()).await;
        let opts = TlsOptions { sni: Some("other.name".into()), ..opts };
        let mut io = connect(&format!("https://127.0.0.1:{port}/"), &opts).await.expect("connect");
        expect_hello(&mut io).await;
        assert_eq!(seen.await.expect("report").server_name.as_deref(), Some("other.name"));
    }
}

// ---------------------------------------------------------------------------------------
// Configuration errors, reported by Connector::new before any connection

#[test]
fn bad_files_and_names() {
    let t = target("https://127.0.0.1:1/");
    let missing = scratch("does-not-exist.pem");
    let e =
        Connector::new(&t, &TlsOptions { ca_file: Some(missing.clone()), ..TlsOptions::default() }).expect_err("fail");
    assert!(matches!(&e, ConnectError::CaFile { path, .. } if *path == missing), "{e:?}");
    assert!(one_line(&e).starts_with(&format!("cannot read --ca file {}: ", missing.display())));

    let not_pem = scratch("not.pem");
    std::fs::write(&not_pem, "hello").expect("write");
    let e =
        Connector::new(&t, &TlsOptions { ca_file: Some(not_pem.clone()), ..TlsOptions::default() }).expect_err("fail");
    assert!(matches!(e, ConnectError::CaFile { .. }), "{e:?}");

    let e = Connector::new(&t, &TlsOptions { client_cert: Some((missing.clone(), missing.clone())), ..insecure() })
        .expect_err("fail");
    assert!(matches!(e, ConnectError::ClientCertFile { .. }), "{e:?}");

    let ca = make_ca("h2probe test CA");
    let leaf = client_leaf(&ca);
    let e =
        Connector::new(&t, &TlsOptions { client_cert: Some((leaf.cert_file.clone(), not_pem.clone())), ..insecure() })
            .expect_err("fail");
    assert!(matches!(e, ConnectError::ClientKeyFile { .. }), "{e:?}");

    // A key that does not belong to the certificate.
    let other = client_leaf(&ca);
    let e = Connector::new(
        &t,
        &TlsOptions { client_cert: Some((leaf.cert_file.clone(), other.key_file.clone())), ..insecure() },
    )
    .expect_err("fail");
    assert!(matches!(e, ConnectError::ClientAuthConfig { .. }), "{e:?}");

    let e = Connector::new(&t, &TlsOptions { sni: Some("not a name!".into()), ..insecure() }).expect_err("fail");
    assert!(matches!(e, ConnectError::InvalidSni { .. }), "{e:?}");

    // TLS options are irrelevant to h2c targets.
    Connector::new(&target("http://127.0.0.1:1/"), &TlsOptions { ca_file: Some(missing), ..TlsOptions::default() })
        .expect("h2c ignores TLS options");
}
