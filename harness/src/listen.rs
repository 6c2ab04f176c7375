//! `h2probe client --listen ADDR`: the client under test is one the user drives, a browser.
//!
//! ADDR serves an index page that lists every case and runs them in order. Each case has a
//! listener of its own, on a port of its own: a browser pools every request to one origin
//! on one connection, and keeps that connection while it lives, so the only sure way to give
//! each case the fresh connection its script expects (its own SETTINGS first, stream 1 its
//! request, a GOAWAY that ends nothing else) is another origin, and a port makes one without
//! names or certificates of its own. (Closing each case's connection with GOAWAY so the
//! browser reconnects on one port was the other way: it races the browser's next request
//! against our GOAWAY and lets a case's connection start with an index request.) Each case's
//! port runs [`client_run::run_case`] unchanged: the first connection to it is the case's,
//! later ones (retries) are served as in exec mode, the same judge decides with the PING
//! fence (a browser has no exit status: [`Launcher::exits`] is false).
//!
//! The page's script fetches each case's URL (`fetch` in `no-cors` mode: no CORS headers
//! are needed, and what is judged is what the browser sent on the wire, not what the page
//! could read), POSTs a body for upload cases and fetches a parallel case's URLs together,
//! then polls `/verdict/N` on ADDR until the case is decided and goes on to the next; at the
//! end it asks `/done`. The run ends there, at `--deadline`, or when the caller's
//! `interrupted` resolves (Ctrl-C), and the report is written: cases the browser never
//! requested are skipped with that reason. Over h2c (`--h2c`), where no browser speaks
//! HTTP/2, a first request in HTTP/1.1 gets the same pages over HTTP/1.1.

use crate::case::{Action, Case, Peer};
use crate::client_run::{self, ClientOptions, SERVER_SETTINGS};
use crate::conn::{Conn, ConnOptions, ReadBudget, Role};
use crate::event::Event;
use crate::launch::{Ended, Launch, LaunchError, Launched, Launcher};
use crate::model::{CaseResult, RunReport};
use crate::runner::Progress;
use crate::upgrade::{self, Opening};
use h2probe_codec::frame::Frame;
use h2probe_codec::{frames, SettingId};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::time::{timeout_at, Instant};

/// How long the index page waits for every case's listener before it lists what it has.
const BOARD_WAIT: Duration = Duration::from_secs(3);
/// How long the index server stays up after the report is made, so the page reads the
/// last verdict and its `/done`.
const LINGER: Duration = Duration::from_millis(500);
/// Requests waiting on one index connection while a response waits for window, at most.
const MAX_PENDING: usize = 64;
/// Characters of a verdict's observation the page shows.
const VERDICT_CHARS: usize = 300;

/// What can go wrong before any case runs.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The address is not loopback: client mode listens on loopback only.
    #[error("--listen {0}: not a loopback address (client mode listens on 127.0.0.1 or ::1 only)")]
    NotLoopback(SocketAddr),
    /// The address could not be bound.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
}

/// The index listener, bound: [`Lobby::url`] is what the user opens.
pub struct Lobby {
    listener: TcpListener,
    addr: SocketAddr,
    opts: ClientOptions,
}

impl Lobby {
    /// Binds the index page's address. `opts.bind` is set to its address, so every case's
    /// port is on the same host as the page.
    pub async fn bind(addr: SocketAddr, mut opts: ClientOptions) -> Result<Lobby, ListenError> {
        if !addr.ip().is_loopback() {
            return Err(ListenError::NotLoopback(addr));
        }
        let listener = TcpListener::bind(addr).await.map_err(|e| ListenError::Bind(addr, e))?;
        let addr = listener.local_addr().unwrap_or(addr);
        opts.bind = addr.ip();
        Ok(Lobby { listener, addr, opts })
    }

    /// The index page's URL.
    pub fn url(&self) -> String {
        let scheme = if self.opts.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}/", self.addr)
    }

    /// Runs `cases` as the browser requests them, until all are decided, the browser says it
    /// is done, `until` passes or `interrupted` resolves; the report as in exec mode.
    pub async fn run(
        self,
        cases: Vec<&'static Case>,
        until: Duration,
        known_failures: &HashMap<String, String>,
        progress: Option<Progress>,
        interrupted: impl Future<Output = ()>,
    ) -> RunReport {
        // The page waits for a verdict as long as a case can take (its attempts, fence, grace).
        let wait = self.opts.run.timeout * 20;
        let board = Arc::new(Board::new(&cases, self.url(), wait));
        let mut opts = self.opts.clone();
        opts.accept_within = Some(until);
        // Every case waits for its request at once; the browser picks the order.
        opts.run.jobs = cases.len().max(1);
        // A case under way when the run ends still gets its own deadline.
        opts.run.overall = until + opts.run.timeout * 10;
        let lobby = tokio::spawn(serve(self.listener, board.clone(), self.opts.clone()));
        let recorded = {
            let board = board.clone();
            Arc::new(move |r: &CaseResult| {
                board.record(r);
                if let Some(p) = &progress {
                    p(r);
                }
            }) as Progress
        };
        let launcher: Arc<dyn Launcher> = Arc::new(Browser { board: board.clone() });
        let running = client_run::run(cases, launcher, opts, known_failures, Some(recorded));
        tokio::pin!(running);
        let ends = async {
            let deadline = tokio::time::sleep(until);
            tokio::select! {
                _ = deadline => "the run's --deadline passed",
                _ = interrupted => "interrupted",
                _ = board.finished.notified() => "the page asked /done",
            }
        };
        let report = tokio::select! {
            report = &mut running => report,
            why = ends => {
                board.end();
                eprintln!("h2probe: {why}: cases the browser has not requested are skipped");
                running.await
            }
        };
        board.end();
        tokio::time::sleep(LINGER).await;
        lobby.abort();
        report
    }
}

/// What the index page shows: every case in catalogue order, its URLs once its listener
/// is up, its verdict once decided; and the runs' stop handles.
struct Board {
    index: String,
    /// How long the page waits for one case's verdict.
    wait: Duration,
    entries: Mutex<Vec<Entry>>,
    /// Notified when the browser asks `/done`.
    finished: Notify,
    /// Notified when a case's listener is up.
    launched: Notify,
}

struct Entry {
    id: &'static str,
    description: &'static str,
    section: &'static str,
    action: Action,
    path: String,
    urls: Vec<String>,
    verdict: Option<String>,
    /// Dropped when the run ends: a case still waiting for its request then ends (skipped).
    waiting: Option<oneshot::Sender<Ended>>,
}

impl Board {
    fn new(cases: &[&'static Case], index: String, wait: Duration) -> Board {
        let entries = cases
            .iter()
            .filter(|c| !c.is_passive())
            .filter_map(|c| match c.peer {
                Peer::Client(action) => Some(Entry {
                    id: c.id,
                    description: c.description,
                    section: c.section,
                    action,
                    path: client_run::case_path(c),
                    urls: Vec::new(),
                    verdict: None,
                    waiting: None,
                }),
                Peer::Server => None,
            })
            .collect();
        Board { index, wait, entries: Mutex::new(entries), finished: Notify::new(), launched: Notify::new() }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, r: &CaseResult) {
        if let Some(e) = self.entries().iter_mut().find(|e| e.id == r.info.id) {
            let observed: String = r.verdict.observed().chars().take(VERDICT_CHARS).collect();
            e.verdict = Some(format!("{} {observed}", r.verdict.label()));
        }
    }

    /// Ends the wait of every case the browser has not requested.
    fn end(&self) {
        for e in self.entries().iter_mut() {
            e.waiting = None;
        }
    }

    fn all_launched(&self) -> bool {
        self.entries().iter().all(|e| !e.urls.is_empty() || e.verdict.is_some())
    }
}

/// The [`Launcher`] of a browser: a "run" puts the case's URLs on the board and waits for
/// the board to end it; there is nothing to start or stop.
struct Browser {
    board: Arc<Board>,
}

impl Launcher for Browser {
    fn launch(&self, launch: &Launch) -> Result<Launched, LaunchError> {
        let (tx, ended) = oneshot::channel();
        let at = {
            let mut entries = self.board.entries();
            let at = entries.iter().position(|e| e.path == launch.path);
            if let Some(i) = at {
                entries[i].urls = launch.urls.clone();
                entries[i].waiting = Some(tx);
            }
            at
        };
        self.board.launched.notify_waiters();
        let board = self.board.clone();
        let stop = Box::new(move || {
            if let Some(i) = at {
                board.entries()[i].waiting = None;
            }
        });
        Ok(Launched { ended, stop, pid: None })
    }

    fn exits(&self) -> bool {
        false
    }

    fn supports(&self, _action: Action) -> bool {
        true
    }

    fn describe(&self) -> String {
        format!("a browser at {}", self.board.index)
    }
}

/// The index server: every connection to ADDR, until aborted.
async fn serve(listener: TcpListener, board: Arc<Board>, opts: ClientOptions) {
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((sock, _)) => {
                let (board, opts) = (board.clone(), opts.clone());
                tasks.spawn(async move { serve_one(sock, board, opts).await });
            }
            // Out of descriptors, say: the next accept may work.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
        while tasks.try_join_next().is_some() {}
    }
}

async fn serve_one(sock: tokio::net::TcpStream, board: Arc<Board>, opts: ClientOptions) {
    // An index connection lives as long as the page: bounded by the run, not by a case.
    let deadline = Instant::now() + opts.accept_within.unwrap_or(Duration::from_secs(3600));
    let plain = ClientOptions { upgrade: false, ..opts.clone() };
    let Ok(opened) = client_run::open(sock, &plain, Instant::now() + opts.run.timeout).await else { return };
    let io = if opts.tls.is_some() {
        opened.io
    } else {
        match upgrade::sniff(opened.io, Instant::now() + opts.run.timeout).await {
            Ok((Opening::Preface, io)) => io,
            Ok((Opening::Http1(req), mut io)) => {
                let page = route(&board, &req.method, &req.target).await;
                let head = format!(
                    "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                    page.status,
                    if page.status == 200 { "OK" } else { "Not Found" },
                    page.content_type,
                    page.body.len()
                );
                let _ = timeout_at(Instant::now() + opts.run.timeout, async {
                    use tokio::io::AsyncWriteExt;
                    io.write_all(head.as_bytes()).await?;
                    io.write_all(&page.body).await?;
                    io.flush().await
                })
                .await;
                return;
            }
            Err(_) => return,
        }
    };
    let options = ConnOptions {
        settings: SERVER_SETTINGS.to_vec(),
        role: Role::Server,
        tls: opts.tls.is_some(),
        read_budget: ReadBudget::UNLIMITED,
        transcript_limit: 16,
        ..ConnOptions::default()
    };
    let mut conn = Conn::new(io, options);
    if conn.handshake(Instant::now() + opts.run.timeout).await.is_err() {
        return;
    }
    let mut out = Responder { windows: Windows::default(), pending: VecDeque::new() };
    loop {
        let ev = match out.pending.pop_front() {
            Some(ev) => ev,
            None => match conn.next_event(deadline).await {
                Some(ev) => ev,
                None => return,
            },
        };
        match ev {
            Event::Request { stream, fields, .. } => {
                let field = |n: &[u8]| fields.iter().find(|f| f.name == n).map(|f| String::from_utf8_lossy(&f.value).into_owned());
                let (Some(method), Some(path)) = (field(b":method"), field(b":path")) else { continue };
                let page = route(&board, &method, &path).await;
                if !out.respond(&mut conn, stream.0, page, deadline).await {
                    return;
                }
            }
            Event::Closed { .. } | Event::ServerViolation(_) => return,
            other => out.windows.observe(&other),
        }
    }
}

/// One response of the index server.
struct Page {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn text(status: u16, body: impl Into<String>) -> Page {
    Page { status, content_type: "text/plain; charset=utf-8", body: body.into().into_bytes() }
}

/// `/` the index, `/verdict/N` the verdict of the N-th case (or `pending`), `/done` the end.
async fn route(board: &Board, method: &str, target: &str) -> Page {
    let path = target.split('?').next().unwrap_or_default();
    match (method, path) {
        ("GET", "/") => {
            let until = Instant::now() + BOARD_WAIT;
            while !board.all_launched() && Instant::now() < until {
                let _ = timeout_at(until.min(Instant::now() + Duration::from_millis(50)), board.launched.notified()).await;
            }
            Page { status: 200, content_type: "text/html; charset=utf-8", body: index_html(board).into_bytes() }
        }
        ("GET", p) if p.starts_with("/verdict/") => {
            let n: Option<usize> = p["/verdict/".len()..].parse().ok();
            match n.and_then(|n| board.entries().get(n).map(|e| e.verdict.clone())) {
                Some(Some(v)) => text(200, v),
                Some(None) => text(200, "pending"),
                None => text(404, "no such case"),
            }
        }
        (_, "/done") => {
            board.finished.notify_one();
            text(200, "done: the report is being written")
        }
        _ => text(404, "not found"),
    }
}

/// Flow control of our responses on one index connection: the browser's windows.
#[derive(Default)]
struct Windows {
    /// WINDOW_UPDATEs on the connection, less what we sent.
    conn: i64,
    /// Per stream: WINDOW_UPDATEs less what we sent (the initial window is added on use).
    streams: HashMap<u32, i64>,
}

impl Windows {
    fn observe(&mut self, ev: &Event) {
        if let Event::Frame(Frame::WindowUpdate(w)) = ev {
            match w.stream_id.0 {
                0 => self.conn += i64::from(w.increment),
                s => *self.streams.entry(s).or_default() += i64::from(w.increment),
            }
        }
    }
}

struct Responder {
    windows: Windows,
    /// Requests that came while a response waited for window.
    pending: VecDeque<Event>,
}

impl Responder {
    /// Sends `page` on `stream` within the browser's windows; false when the connection is gone.
    async fn respond(&mut self, conn: &mut Conn, stream: u32, page: Page, deadline: Instant) -> bool {
        let head = frames::headers(stream)
            .status(page.status)
            .set("content-type", page.content_type)
            .set("content-length", page.body.len().to_string())
            .set("cache-control", "no-store");
        let head = if page.body.is_empty() { head.end_stream() } else { head };
        conn.send(&head.build().into(), deadline).await;
        let mut at = 0;
        while at < page.body.len() {
            let initial = i64::from(conn.server.get(SettingId::INITIAL_WINDOW_SIZE).unwrap_or(65_535));
            let room = (65_535 + self.windows.conn).min(initial + self.windows.streams.get(&stream).copied().unwrap_or(0));
            let max = i64::from(conn.server.max_frame_size());
            let n = room.min(max).min((page.body.len() - at) as i64);
            if n <= 0 {
                match conn.next_event(deadline).await {
                    Some(ev @ Event::Request { .. }) if self.pending.len() < MAX_PENDING => self.pending.push_back(ev),
                    Some(Event::Closed { .. } | Event::ServerViolation(_)) | None => return false,
                    Some(ev) => self.windows.observe(&ev),
                }
                continue;
            }
            let n = n as usize;
            let last = at + n == page.body.len();
            let data = frames::data(stream, page.body[at..at + n].to_vec());
            let data = if last { data.end_stream() } else { data };
            conn.send(&data.build().into(), deadline).await;
            self.windows.conn -= n as i64;
            *self.windows.streams.entry(stream).or_default() -= n as i64;
            at += n;
        }
        self.windows.streams.remove(&stream);
        !conn.is_closed()
    }
}

/// `s` for HTML text and attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The index page: the cases as a table of links, and the script that runs them in order.
fn index_html(board: &Board) -> String {
    let entries = board.entries();

    let mut rows = String::new();
    let mut script_cases = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let (method, len) = match e.action {
            Action::Post(len) => ("POST", len),
            _ => ("GET", 0),
        };
        let link = match e.urls.first() {
            Some(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(e.id)),
            None => escape(e.id),
        };
        let verdict = e.verdict.as_deref().unwrap_or("");
        rows.push_str(&format!(
            "<tr id=\"c{i}\"><td>{i}</td><td>{link}</td><td>{}</td><td>{}</td><td>{method}{}</td><td class=\"state\"></td><td class=\"verdict\">{}</td><td><button onclick=\"runCase({i})\">run</button></td></tr>\n",
            escape(e.section),
            escape(e.description),
            match e.action { Action::Parallel(n) => format!(" ×{n}"), Action::Post(n) => format!(" {n} octets"), Action::Get => String::new() },
            escape(verdict)
        ));
        script_cases.push(serde_json::json!({ "id": e.id, "urls": e.urls, "method": method, "len": len, "done": e.verdict.is_some() }));
    }
    let cases = serde_json::to_string(&script_cases).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/");
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>h2probe client cases</title>
<style>body{{font-family:sans-serif}} td{{padding:2px 6px;vertical-align:top}} tr.pass td.verdict{{color:green}}
tr.fail td.verdict{{color:#b00;font-weight:bold}} tr.lenient td.verdict,tr.alternative td.verdict{{color:#960}} tr.skip td.verdict,tr.error td.verdict{{color:#666}}</style>
</head><body>
<h1>h2probe client cases</h1>
<p>Each case is its own origin (a port of its own), so the browser opens a fresh HTTP/2 connection for it.
This page runs every case in order (add <code>?manual</code> to the address to run them one by one with the buttons);
the verdicts also go to the report h2probe writes when the run ends.</p>
<p id="summary">running…</p>
<table><tr><th>#</th><th>case</th><th>section</th><th>what h2probe sends</th><th>request</th><th>fetch</th><th>verdict</th><th></th></tr>
{rows}</table>
<script>
const CASES = {cases};
const sleep = ms => new Promise(r => setTimeout(r, ms));
const upload = n => 'h2probe upload\n'.repeat(Math.ceil(n / 15)).slice(0, n);
async function verdict(i, until) {{
  while (Date.now() < until) {{
    try {{ const t = await (await fetch('/verdict/' + i, {{cache: 'no-store'}})).text(); if (!t.startsWith('pending')) return t; }} catch (e) {{}}
    await sleep(200);
  }}
  return 'pending (the page stopped waiting)';
}}
async function runCase(i) {{
  const c = CASES[i], row = document.getElementById('c' + i);
  if (!c.urls.length) return;
  row.querySelector('.state').textContent = 'running';
  const ctl = new AbortController();
  const opts = {{mode: 'no-cors', cache: 'no-store', method: c.method, signal: ctl.signal}};
  if (c.len) opts.body = upload(c.len);
  const fetches = [];
  for (const [k, u] of c.urls.entries()) {{
    // The first request opens the connection; the others join it once it is up.
    if (k === 1) await sleep(150);
    fetches.push(fetch(u, opts).then(() => 'response', e => 'network error'));
  }}
  const outcome = Promise.all(fetches).then(o => o.join(', '));
  const v = await verdict(i, Date.now() + {wait_ms});
  row.querySelector('.state').textContent = await Promise.race([outcome, sleep(50).then(() => 'still waiting')]);
  ctl.abort();
  row.querySelector('.verdict').textContent = v;
  row.className = v.split(' ')[0];
  c.done = true;
}}
async function runAll() {{
  for (let i = 0; i < CASES.length; i++) if (!CASES[i].done) await runCase(i);
  const counts = {{}};
  for (const r of document.querySelectorAll('tr[id]')) counts[r.className || 'pending'] = (counts[r.className || 'pending'] || 0) + 1;
  document.getElementById('summary').textContent = 'done: ' + JSON.stringify(counts);
  try {{ await fetch('/done', {{cache: 'no-store'}}); }} catch (e) {{}}
}}
if (!location.search.includes('manual')) runAll(); else document.getElementById('summary').textContent = 'manual';
</script>
</body></html>
"#,
        wait_ms = board.wait.as_millis(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }
}
