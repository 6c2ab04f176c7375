//! Client mode: h2probe plays the server and a client under test makes requests of it.
//!
//! Each case gets a listener of its own on loopback and one run of the client (see
//! [`crate::launch`]); the first connection the client opens is the case's. The driver
//! ([`Conn`] in [`Role::Server`]), the steps of a script, the judge, the fence and the
//! passive checks are those of server mode with the roles mirrored; what only a client adds
//! arrives as events too: its exit status and output ([`Event::Exited`]) and requests on
//! further connections ([`Event::NewConnection`]), which a retry after GOAWAY opens and a
//! plain responder answers.

use crate::case::{body_marker, Action, Case, Ctx, Others, Peer, Request};
use crate::conn::{Conn, ConnOptions, Outgoing, Role};
use crate::event::{Event, Exit};
use crate::expectation::Expectation;
use crate::judge::Judge;
use crate::launch::{Ended, Launch, Launched, Launcher};
use crate::model::{CaseResult, DecidedBy, RunReport, TranscriptLine, Verdict};
use crate::runner::{execute_once, RunOptions, Session};
use crate::upgrade::{self, Opened};
use h2probe_codec::frame::Frame;
use h2probe_codec::hpack::HeaderField;
use h2probe_codec::{frames, ErrorCode, SettingId};
use std::collections::{BTreeMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::{timeout_at, Instant};

/// Connections a client may open in one case after its first (retries); more are refused.
pub const MAX_EXTRA_CONNECTIONS: u32 = 32;

/// How long a launched client may take to connect, at least. Its start-up (an interpreter
/// loading its modules, on a CI machine busy with parallel cases) is not its HTTP/2 behaviour,
/// so it is not held to the per-case time-out, which starts once the client has connected.
const CLIENT_START: Duration = Duration::from_secs(10);

/// Each wait of a client case, at least: a verdict that waits for the client's exit must not
/// turn on how fast an interpreter tears itself down on a loaded machine (Python took over
/// 2 s with eight parallel builds). Only a client that hangs waits this long.
const CLIENT_WAIT: Duration = Duration::from_secs(5);

/// How long a run gets to end after we stop it.
const STOP_WAIT: Duration = Duration::from_secs(2);

/// How long the client's exit waits for its connection to end, so that what it sent first
/// is read first.
const EXIT_SETTLE: Duration = Duration::from_millis(200);

/// Slices in which the case's connection is read, so the client's exit and its other
/// connections are seen while it is quiet.
const POLL: Duration = Duration::from_millis(10);

/// How a client run behaves.
#[derive(Clone)]
pub struct ClientOptions {
    /// Timeouts, `--jobs`, `--strict`, the fence: as for a server run.
    pub run: RunOptions,
    /// TLS with ALPN h2 (a self-signed certificate, or the user's); `None` for h2c.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// The loopback address listeners bind.
    pub bind: IpAddr,
    /// h2c listeners also take an HTTP/1.1 request with `Upgrade: h2c` (see [`crate::upgrade`]).
    pub upgrade: bool,
    /// How long a case waits for the client's connection; `None`: the per-wait timeout. A
    /// browser the user drives ([`crate::listen`]) comes to each case in its own time.
    pub accept_within: Option<Duration>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions { run: RunOptions::default(), tls: None, bind: IpAddr::V4(Ipv4Addr::LOCALHOST), upgrade: false, accept_within: None }
    }
}

/// Our SETTINGS toward a client unless a case says otherwise: a limit on streams (clients
/// must see one to have one to respect), the rest at the RFC's initial values.
pub const SERVER_SETTINGS: &[(SettingId, u32)] = &[(SettingId::MAX_CONCURRENT_STREAMS, 100)];

/// Runs client `cases` with `launcher`, `jobs` at a time, and collects the report in
/// catalogue order; the passive checks of what the clients sent come last.
pub async fn run(
    cases: Vec<&'static Case>,
    launcher: Arc<dyn Launcher>,
    opts: ClientOptions,
    known_failures: &std::collections::HashMap<String, String>,
    progress: Option<crate::runner::Progress>,
) -> RunReport {
    let started = Instant::now();
    let started_at = std::time::SystemTime::now();
    let overall = started + opts.run.overall;
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    let (passive, active): (Vec<_>, Vec<_>) = cases.iter().copied().enumerate().partition(|(_, c)| c.is_passive());
    let sem = Arc::new(Semaphore::new(opts.run.jobs.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (i, case) in active {
        let (sem, launcher, opts, progress) = (sem.clone(), launcher.clone(), opts.clone(), progress.clone());
        let known = known_failures.get(case.id).cloned();
        set.spawn(async move {
            let slot = sem.acquire_owned().await.ok();
            let mut r = match timeout_at(overall, run_case(case, launcher.as_ref(), &opts, slot)).await {
                Ok(r) => r,
                Err(_) => error_result(case, "the run's overall deadline passed while this case ran".into(), vec![]),
            };
            r.known_failure = known;
            if let Some(p) = &progress {
                p(&r);
            }
            (i, r)
        });
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((i, r)) => results[i] = Some(r),
            Err(e) => eprintln!("h2probe: internal error in a case task: {e}"),
        }
    }
    let ran: Vec<CaseResult> = results.iter().flatten().cloned().collect();
    for (i, case) in passive {
        let mut r = crate::runner::passive_result(case, &ran);
        r.known_failure = known_failures.get(case.id).cloned();
        if let Some(p) = &progress {
            p(&r);
        }
        results[i] = Some(r);
    }
    RunReport {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        target: format!("client: {}", launcher.describe()),
        strict: opts.run.strict,
        duration_ms: started.elapsed().as_millis() as u64,
        results: results
            .into_iter()
            .zip(cases)
            .map(|(r, c)| r.unwrap_or_else(|| error_result(c, "internal error: the case task panicked".into(), vec![])))
            .collect(),
        started_at: Some(humantime::format_rfc3339_seconds(started_at).to_string()),
        ..RunReport::default()
    }
}

fn error_result(case: &Case, problem: String, transcript: Vec<TranscriptLine>) -> CaseResult {
    result(case, Verdict::Error { problem }, DecidedBy::Setup, (transcript, vec![], BTreeMap::new()), 0)
}

type Finished = (Vec<TranscriptLine>, Vec<crate::model::Finding>, BTreeMap<String, u64>);

fn result(case: &Case, verdict: Verdict, decided_by: DecidedBy, (transcript, server_output, checked): Finished, us: u64) -> CaseResult {
    CaseResult { info: case.info(), verdict, decided_by, known_failure: None, duration_ms: us / 1000, duration_us: us, transcript, server_output, checked, harm: None }
}

/// The path of a case's URL: its id, so a transcript, a server log and the client's own
/// output all name the case.
pub fn case_path(case: &Case) -> String {
    format!("/{}", case.id)
}

/// Runs one client case: listener, client, the case's connection, the verdict.
pub async fn run_case(case: &Case, launcher: &dyn Launcher, opts: &ClientOptions, mut slot: Option<OwnedSemaphorePermit>) -> CaseResult {
    let started = Instant::now();
    let us = || started.elapsed().as_micros() as u64;
    let Peer::Client(action) = case.peer else {
        return error_result(case, "internal: a server case in a client run".into(), vec![]);
    };
    if !launcher.supports(action) {
        let reason = format!("needs a client command for this action ({}); none was given", action.option());
        return result(case, Verdict::Skip { reason }, DecidedBy::Setup, Default::default(), 0);
    }
    let listener = match TcpListener::bind(SocketAddr::new(opts.bind, 0)).await {
        Ok(l) => l,
        Err(e) => return error_result(case, format!("cannot listen on {}: {e}", opts.bind), vec![]),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let host = match opts.bind {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    };
    let scheme = if opts.tls.is_some() { "https" } else { "http" };
    let path = case_path(case);
    let urls: Vec<String> = match action {
        Action::Parallel(n) => (1..=n).map(|i| format!("{scheme}://{host}:{port}{path}/{i}")).collect(),
        _ => vec![format!("{scheme}://{host}:{port}{path}")],
    };
    let upload = match action {
        Action::Post(len) => match Upload::new(case, len) {
            Ok(u) => Some(u),
            Err(e) => return error_result(case, format!("cannot write the upload file: {e}"), vec![]),
        },
        _ => None,
    };
    let launch = Launch { action, urls, file: upload.as_ref().map(|u| u.path.clone()), host: host.clone(), port, path: path.clone() };
    let mut client = match launcher.launch(&launch) {
        Ok(c) => c,
        Err(e) => return error_result(case, e.to_string(), vec![]),
    };
    let accept_within = opts.accept_within.unwrap_or(opts.run.timeout.max(CLIENT_START));
    let accepted = tokio::select! {
        a = timeout_at(Instant::now() + accept_within, listener.accept()) => a,
        ended = &mut client.ended => {
            if !launcher.exits() {
                let reason = format!("the client did not request {} before the run ended", launch.urls[0]);
                return result(case, Verdict::Skip { reason }, DecidedBy::Setup, Default::default(), 0);
            }
            let exit = exit_of(ended.unwrap_or_default(), false, &Served::default(), case, action);
            return error_result(case, format!("{exit} before connecting to {}", launch.urls[0]), vec![]);
        }
    };
    let sock = match accepted {
        Ok(Ok((sock, _))) => sock,
        Ok(Err(e)) => return stop_with_error(case, client, format!("accept failed: {e}"), action).await,
        Err(_) => return stop_with_error(case, client, format!("the client did not connect within {} ms", accept_within.as_millis()), action).await,
    };
    // The TLS handshake is the client's start-up too: its bound, not the case's.
    let opened = match open(sock, opts, Instant::now() + opts.run.timeout.max(CLIENT_START)).await {
        Ok(o) => o,
        Err(why) => return stop_with_error(case, client, why, action).await,
    };
    let deadline = Instant::now() + opts.run.timeout;
    // An upload sent in the upgrade request went over HTTP/1.1: nothing of HTTP/2 flow
    // control or framing of it is left to judge.
    let uploaded_in_upgrade = match (&opened.upgraded, action) {
        (Some(u), Action::Post(_)) if u.body_len > 0 => {
            Some(format!("the client sent its upload in the HTTP/1.1 upgrade request ({} octets, RFC 7540 §3.2), not in HTTP/2 DATA", u.body_len))
        }
        _ => None,
    };
    let mut options = ConnOptions {
        settings: SERVER_SETTINGS.to_vec(),
        auto_window_update: case.setup.auto_window_update,
        tls: opts.tls.is_some(),
        role: Role::Server,
        ..ConnOptions::default()
    };
    options.settings = case.setup.our_settings(options.settings);
    let mut conn = server_conn(opened, options);
    let mut request = None;
    if case.setup.handshake {
        if let Err(e) = conn.handshake(deadline).await {
            let why = format!("the client's handshake failed: {}", e.to_string().replace("the server rejected", "it rejected"));
            return stop_conn_with_error(case, client, conn, why, action).await;
        }
        match first_request(&mut conn, deadline).await {
            Ok(r) => request = Some(r),
            Err(why) => return stop_conn_with_error(case, client, conn, why, action).await,
        }
    }
    let ctx = Ctx {
        scheme,
        authority: format!("{host}:{port}"),
        path: path.clone(),
        server: conn.server.clone(),
        limits: opts.run.limits,
        request,
        marker: body_marker(case.id).into_bytes(),
    };
    let script = match uploaded_in_upgrade.map_or_else(|| (case.script)(&ctx), Err) {
        Ok(s) => s,
        Err(reason) => {
            let mut s = Side::new(conn, client, &ctx, Others::Serve, launcher.exits(), case, action, listener, opts, deadline);
            s.stop().await;
            return result(case, Verdict::Skip { reason }, DecidedBy::Setup, s.finish(), us());
        }
    };
    let mut session = Side::new(conn, client, &ctx, script.others, launcher.exits(), case, action, listener, opts, deadline);
    // The case's deadline, as in server mode: nothing waits past it, whatever the client
    // sends. Each wait is at least CLIENT_WAIT long, since a verdict may wait for the
    // client's exit (see CLIENT_START).
    let run = RunOptions { timeout: opts.run.timeout.max(CLIENT_WAIT), ..opts.run.clone() };
    session.conn.set_limit(Instant::now() + crate::runner::attempt_deadline(&script, &run));
    let mut lost_race = false;
    let (verdict, decided_by) = execute_once(&mut session, script, case, &run, &mut slot, &mut lost_race).await;
    session.stop().await;
    drop(upload);
    result(case, verdict, decided_by, session.finish(), us())
}

/// The TLS handshake, when the run speaks TLS; the h2c upgrade, when the run allows it.
pub(crate) async fn open(sock: TcpStream, opts: &ClientOptions, deadline: Instant) -> Result<Opened, String> {
    let _ = sock.set_nodelay(true);
    match &opts.tls {
        None if opts.upgrade => upgrade::accept(Box::new(sock), deadline).await,
        None => Ok(Opened { io: Box::new(sock), upgraded: None }),
        Some(acceptor) => match timeout_at(deadline, acceptor.accept(sock)).await {
            Ok(Ok(tls)) => {
                let alpn = tls.get_ref().1.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned());
                match alpn.as_deref() {
                    Some("h2") => Ok(Opened { io: Box::new(tls), upgraded: None }),
                    Some(other) => Err(format!("the client negotiated ALPN {other:?}, not h2 (RFC 9113 §3.2)")),
                    None => Err("the client offered no ALPN protocol: TLS without h2 (RFC 9113 §3.2)".into()),
                }
            }
            Ok(Err(e)) => Err(format!("the TLS handshake with the client failed: {e}")),
            Err(_) => Err("the client did not complete the TLS handshake in time".into()),
        },
    }
}

/// Our side of a connection just opened; an upgrade's request is its first event.
pub(crate) fn server_conn(opened: Opened, options: ConnOptions) -> Conn {
    let mut conn = Conn::new(opened.io, options);
    if let Some(u) = &opened.upgraded {
        conn.upgraded(u);
    }
    conn
}

/// Waits for the client's first request; anything else decisive first makes the case an
/// error (the client never asked, so nothing can be judged).
async fn first_request(conn: &mut Conn, deadline: Instant) -> Result<Request, String> {
    loop {
        match conn.next_event(deadline).await {
            Some(Event::Request { stream, end_stream, fields }) => {
                let field = |n: &[u8]| fields.iter().find(|f| f.name == n).map(|f| String::from_utf8_lossy(&f.value).into_owned());
                return Ok(Request {
                    stream: stream.0,
                    method: field(b":method").unwrap_or_default(),
                    path: field(b":path").unwrap_or_default(),
                    end_stream,
                    fields,
                });
            }
            Some(ev @ (Event::Closed { .. } | Event::ServerViolation(_))) => return Err(format!("before its request: {ev}")),
            Some(Event::Frame(Frame::GoAway(g))) => return Err(format!("before its request: {}", Frame::GoAway(g))),
            Some(_) => {}
            None => return Err("the client sent no request within the deadline".into()),
        }
    }
}

async fn stop_with_error(case: &Case, mut client: Launched, why: String, action: Action) -> CaseResult {
    (client.stop)();
    let ended = timeout_at(Instant::now() + STOP_WAIT, &mut client.ended).await.ok().and_then(Result::ok);
    let mut why = why;
    if let Some(e) = ended {
        let exit = exit_of(e, true, &Served::default(), case, action);
        if !exit.stderr_tail.trim().is_empty() {
            why.push_str(&format!(" (its stderr: {})", exit.stderr_tail.trim().lines().last().unwrap_or("")));
        }
    }
    error_result(case, why, vec![])
}

async fn stop_conn_with_error(case: &Case, client: Launched, conn: Conn, why: String, action: Action) -> CaseResult {
    let (transcript, findings, checked) = conn.finish();
    let mut r = stop_with_error(case, client, why, action).await;
    (r.transcript, r.server_output, r.checked) = (transcript, findings, checked);
    r
}

/// The octets of a POST's body, in a file of its own, removed when the case ends.
struct Upload {
    path: std::path::PathBuf,
}

impl Upload {
    fn new(case: &Case, len: u32) -> std::io::Result<Upload> {
        let name: String = case.id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let path = std::env::temp_dir().join(format!("h2probe-{}-{name}.body", std::process::id()));
        let body: Vec<u8> = (0..len).map(|i| b"h2probe upload\n"[i as usize % 15]).collect();
        std::fs::write(&path, body)?;
        Ok(Upload { path })
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Octets of DATA we sent per stream: how a client's `status <code> <octets>` line is
/// matched to the response we gave.
#[derive(Debug, Default, Clone)]
struct Served {
    octets: BTreeMap<u32, usize>,
}

impl Served {
    fn record(&mut self, outs: &[Outgoing]) {
        for o in outs {
            match o {
                Outgoing::Frame(Frame::Data(d)) => *self.octets.entry(d.stream_id.0).or_default() += d.data.len(),
                // A raw DATA frame (undefined flags, the reserved bit): its payload, less any
                // padding its flags announce.
                Outgoing::Raw(r) if r.kind == h2probe_codec::FrameType::DATA => {
                    let padded = r.flags & h2probe_codec::frame::flags::PADDED != 0;
                    let pad = if padded { r.payload.first().map_or(0, |&p| usize::from(p) + 1) } else { 0 };
                    *self.octets.entry(r.stream_id.0).or_default() += r.payload.len().saturating_sub(pad);
                }
                _ => {}
            }
        }
    }
}

/// How a run ended, read for the case: a client "delivered" the response when its output
/// holds our body marker, or a `status <code> <octets>` line (the form of the wrappers in
/// ci/clients and of curl's `-w`) with a 2xx code and the octets we sent; a parallel fetch
/// delivers when every URL's response is in the output.
fn exit_of(e: Ended, killed: bool, served: &Served, case: &Case, action: Action) -> Exit {
    let out = String::from_utf8_lossy(&e.stdout);
    let marker = body_marker(case.id);
    let markers = out.matches(marker.trim_end()).count();
    let sizes: Vec<usize> = served.octets.values().copied().collect();
    let status_lines = out
        .lines()
        .filter(|l| {
            let mut f = l.split_whitespace();
            matches!((f.next(), f.next().and_then(|c| c.parse::<u16>().ok()), f.next().and_then(|n| n.parse::<usize>().ok())),
                (Some("status"), Some(200..=299), Some(n)) if sizes.contains(&n))
        })
        .count();
    let want = match action {
        Action::Parallel(n) => usize::from(n),
        _ => 1,
    };
    let stderr = String::from_utf8_lossy(&e.stderr);
    let tail: String = stderr.chars().rev().take(400).collect::<Vec<_>>().into_iter().rev().collect();
    let head: String = out.chars().take(300).collect();
    Exit { code: e.code, signal: e.signal, delivered: markers.max(status_lines) >= want, killed, stderr_tail: tail, stdout_head: head }
}

/// The case's connection and everything else the client does: the [`Session`] the steps
/// and the judge run on in client mode.
struct Side {
    conn: Conn,
    client: Launched,
    ended: Option<Exit>,
    ended_at: Option<Instant>,
    exit_reported: bool,
    stream: u32,
    others: Others,
    marker: Vec<u8>,
    served: Served,
    exits: bool,
    events: mpsc::Receiver<Event>,
    extra: Option<tokio::task::JoinHandle<()>>,
    case: Case,
    action: Action,
    queue: VecDeque<Event>,
}

impl Side {
    #[allow(clippy::too_many_arguments)]
    fn new(
        conn: Conn,
        client: Launched,
        ctx: &Ctx,
        others: Others,
        exits: bool,
        case: &Case,
        action: Action,
        listener: TcpListener,
        opts: &ClientOptions,
        deadline: Instant,
    ) -> Side {
        let (tx, events) = mpsc::channel(64);
        let marker = body_marker(case.id).into_bytes();
        let extra = tokio::spawn(serve_extra(listener, opts.clone(), others, marker.clone(), tx, deadline + opts.run.timeout));
        Side {
            conn,
            client,
            ended: None,
            ended_at: None,
            exit_reported: false,
            stream: ctx.stream(),
            others,
            marker,
            served: Served::default(),
            exits,
            events,
            extra: Some(extra),
            case: *case,
            action,
            queue: VecDeque::new(),
        }
    }

    /// The client's exit, once, when it has come — but only after what it wrote before it
    /// exited has been read: the exit often overtakes its last frames (an RST_STREAM, a
    /// GOAWAY) still in the socket, and the order decides verdicts. A connection that stays
    /// open (a child process holding it) is waited for [`EXIT_SETTLE`] at most.
    fn poll_exit(&mut self) -> Option<Event> {
        if self.ended.is_none() {
            if let Ok(e) = self.client.ended.try_recv() {
                let exit = exit_of(e, false, &self.served, &self.case, self.action);
                self.conn.transcript.note(format!("client: {exit}"));
                if !exit.stdout_head.trim().is_empty() {
                    self.conn.transcript.note(format!("client stdout: {}", exit.stdout_head.trim_end()));
                }
                self.ended = Some(exit);
                self.ended_at = Some(Instant::now());
            }
        }
        let settled = self.conn.is_closed() || self.ended_at.is_some_and(|t| t.elapsed() >= EXIT_SETTLE);
        match (&self.ended, self.exit_reported) {
            (Some(e), false) if settled => {
                self.exit_reported = true;
                Some(Event::Exited(e.clone()))
            }
            _ => None,
        }
    }

    /// Answers a request that is not the case's own, as the script asked.
    async fn answer_other(&mut self, ev: &Event) {
        let Event::Request { stream, fields, .. } = ev else { return };
        if stream.0 == self.stream || !is_request(fields) {
            return;
        }
        let outs = match self.others {
            Others::Serve => response(stream.0, &self.marker),
            Others::Refuse => vec![frames::rst_stream(stream.0, ErrorCode::REFUSED_STREAM).into()],
            Others::Leave => return,
        };
        self.served.record(&outs);
        self.conn.send_all(&outs, Instant::now() + Duration::from_millis(500)).await;
    }

    /// Ends the client (if it still runs) and waits for its end, briefly.
    async fn stop(&mut self) {
        if self.ended.is_none() {
            (self.client.stop)();
            let killed = timeout_at(Instant::now() + STOP_WAIT, &mut self.client.ended).await.ok().and_then(Result::ok);
            if let Some(e) = killed {
                let exit = exit_of(e, true, &self.served, &self.case, self.action);
                self.conn.transcript.note(format!("client stopped at the case's end: {exit}"));
                self.ended = Some(exit);
            }
        }
        if let Some(extra) = self.extra.take() {
            extra.abort();
        }
    }

    fn finish(self) -> Finished {
        self.conn.finish()
    }
}

fn is_request(fields: &[HeaderField]) -> bool {
    fields.iter().any(|f| f.name == b":method")
}

/// A plain 200 response carrying `body`.
fn response(stream: u32, body: &[u8]) -> Vec<Outgoing> {
    Ctx { marker: body.to_vec(), ..Ctx::example() }.respond(stream)
}

impl Session for Side {
    async fn send(&mut self, out: &Outgoing, deadline: Instant) {
        self.served.record(std::slice::from_ref(out));
        self.conn.send(out, deadline).await
    }

    async fn send_all(&mut self, outs: &[Outgoing], deadline: Instant) {
        self.served.record(outs);
        self.conn.send_all(outs, deadline).await
    }

    async fn next_event(&mut self, deadline: Instant) -> Option<Event> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(ev);
            }
            if let Some(ev) = self.poll_exit() {
                return Some(ev);
            }
            if let Ok(ev) = self.events.try_recv() {
                return Some(ev);
            }
            if Instant::now() >= deadline || self.conn.limit_passed() {
                return None;
            }
            if self.conn.is_closed() {
                // Only the exit and other connections can still come.
                let slice = deadline.min(Instant::now() + POLL);
                tokio::select! {
                    ev = self.events.recv() => if let Some(ev) = ev { return Some(ev) } else { tokio::time::sleep_until(slice).await },
                    _ = tokio::time::sleep_until(slice) => {}
                }
                continue;
            }
            if let Some(ev) = self.conn.next_event(deadline.min(Instant::now() + POLL)).await {
                self.answer_other(&ev).await;
                return Some(ev);
            }
        }
    }

    fn is_closed(&self) -> bool {
        self.conn.is_closed()
    }

    fn note(&mut self, line: String) {
        self.conn.transcript.note(line)
    }

    fn judge(&self, expect: Expectation, strict: bool) -> Judge {
        Judge::new(expect, strict).for_client(self.exits)
    }

    fn limit(&self) -> Option<Instant> {
        self.conn.limit()
    }

    fn budget_spent(&self) -> bool {
        self.conn.budget_spent()
    }

    fn read_so_far(&self) -> (u64, u64) {
        (self.conn.frames_received() as u64, self.conn.octets_received())
    }

    fn settings_acks_owed(&self) -> usize {
        self.conn.settings_acks_owed()
    }

    fn wants_fence(&self, expect: &Expectation) -> bool {
        expect.wants_fence() || (!self.exits && matches!(expect, Expectation::Accepted { .. }))
    }
}

/// Serves the connections a client opens after its first, until `deadline`: each request
/// answered as `others` says (a retry gets the normal response), each connection's first
/// request reported to the case.
async fn serve_extra(
    listener: TcpListener,
    opts: ClientOptions,
    others: Others,
    marker: Vec<u8>,
    tx: mpsc::Sender<Event>,
    deadline: Instant,
) {
    let mut index = 1;
    let mut tasks = tokio::task::JoinSet::new();
    while index <= MAX_EXTRA_CONNECTIONS {
        let Ok(Ok((sock, _))) = timeout_at(deadline, listener.accept()).await else { break };
        index += 1;
        let (opts, marker, tx) = (opts.clone(), marker.clone(), tx.clone());
        tasks.spawn(async move {
            let Ok(opened) = open(sock, &opts, deadline).await else { return };
            let options = ConnOptions { settings: SERVER_SETTINGS.to_vec(), role: Role::Server, tls: opts.tls.is_some(), ..ConnOptions::default() };
            let mut conn = server_conn(opened, options);
            if conn.handshake(deadline).await.is_err() {
                return;
            }
            let mut reported = false;
            while let Some(ev) = conn.next_event(deadline).await {
                let Event::Request { stream, fields, .. } = &ev else { continue };
                if !is_request(fields) {
                    continue;
                }
                if !reported {
                    reported = true;
                    let path = fields.iter().find(|f| f.name == b":path").map(|f| String::from_utf8_lossy(&f.value).into_owned());
                    let _ = tx.send(Event::NewConnection { index, path: path.unwrap_or_default() }).await;
                }
                let outs = match others {
                    Others::Refuse => vec![frames::rst_stream(stream.0, ErrorCode::REFUSED_STREAM).into()],
                    _ => response(stream.0, &marker),
                };
                conn.send_all(&outs, Instant::now() + Duration::from_millis(500)).await;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}
