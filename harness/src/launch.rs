//! Starting the client under test for one case, and knowing how it ended.
//!
//! Clients differ in how they are driven, so the user gives one command line per action
//! (`--exec` for a GET, `--exec-post`, `--exec-multi`); a case names the action it needs and
//! is skipped when no command does it. Each run is a process group of its own, so a client
//! that forks (a wrapper script, `timeout`) is ended whole, by the PID we started, at the
//! case's end. Its output is kept bounded: a hostile case may make a client print a lot.

use crate::case::Action;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncReadExt;
use tokio::sync::oneshot;

/// Octets of standard output and of standard error kept per run; the rest is read and
/// dropped, so a client never blocks on a full pipe.
pub const OUTPUT_LIMIT: usize = 1 << 20;

/// One run of the client: what it is asked to do, where.
#[derive(Debug, Clone)]
pub struct Launch {
    /// What the client is asked to do.
    pub action: Action,
    /// The URLs to fetch (one, or several for [`Action::Parallel`]).
    pub urls: Vec<String>,
    /// The file whose octets a POST sends.
    pub file: Option<PathBuf>,
    /// The listener's host, as in the URL (`127.0.0.1`, `[::1]`).
    pub host: String,
    /// The listener's port.
    pub port: u16,
    /// The path of the first URL.
    pub path: String,
}

/// How a run ended, before a case reads it.
#[derive(Debug, Clone, Default)]
pub struct Ended {
    /// Exit status; `None` when a signal ended it.
    pub code: Option<i32>,
    /// The signal that ended it.
    pub signal: Option<i32>,
    /// Its standard output (at most [`OUTPUT_LIMIT`] octets).
    pub stdout: Vec<u8>,
    /// Its standard error (at most [`OUTPUT_LIMIT`] octets).
    pub stderr: Vec<u8>,
}

/// A running client.
pub struct Launched {
    /// Resolves when it ends.
    pub ended: oneshot::Receiver<Ended>,
    /// Ends it (and everything it started) now; later calls do nothing.
    pub stop: Box<dyn FnMut() + Send>,
    /// The PID we started, for the transcript.
    pub pid: Option<u32>,
}

/// Why a client could not be started.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// No command does this action.
    #[error("this case needs a client command for {0}")]
    Unsupported(&'static str),
    /// The command could not be spawned.
    #[error("cannot start the client command: {0}")]
    Spawn(#[from] std::io::Error),
}

/// What starts the client under test.
pub trait Launcher: Send + Sync {
    /// Starts one run.
    fn launch(&self, launch: &Launch) -> Result<Launched, LaunchError>;
    /// Whether a run ends with an exit status and output that a case can judge (a command),
    /// or not (a browser the user drives).
    fn exits(&self) -> bool {
        true
    }
    /// Whether a command does `action`.
    fn supports(&self, action: Action) -> bool;
    /// How the client is driven, for the report's target line.
    fn describe(&self) -> String;
}

/// Command-line templates, one per action, run with `sh -c`.
///
/// Placeholders: `{url}`, `{urls}` (space-separated), `{host}`, `{port}`, `{path}`,
/// `{file}`; each value is single-quoted for sh, so a template needs no quotes of its own.
#[derive(Debug, Clone, Default)]
pub struct Commands {
    /// A GET of `{url}` that prints the body (or `status <code> <octets>`).
    pub get: Option<String>,
    /// A POST of `{file}` to `{url}`.
    pub post: Option<String>,
    /// GETs of every URL in `{urls}` at once, on one connection.
    pub multi: Option<String>,
    /// The directory commands run in.
    pub dir: Option<PathBuf>,
}

impl Commands {
    fn template(&self, action: Action) -> Option<&str> {
        match action {
            Action::Get => self.get.as_deref(),
            Action::Post(_) => self.post.as_deref(),
            Action::Parallel(_) => self.multi.as_deref(),
        }
    }

    /// The command line for one run, its placeholders filled in.
    pub fn command_line(&self, launch: &Launch) -> Option<String> {
        let t = self.template(launch.action)?;
        let url = launch.urls.first().map(|u| quote(u)).unwrap_or_default();
        let urls: Vec<String> = launch.urls.iter().map(|u| quote(u)).collect();
        let file = launch.file.as_ref().map(|f| quote(&f.to_string_lossy())).unwrap_or_default();
        Some(
            t.replace("{urls}", &urls.join(" "))
                .replace("{url}", &url)
                .replace("{host}", &quote(&launch.host))
                .replace("{port}", &launch.port.to_string())
                .replace("{path}", &quote(&launch.path))
                .replace("{file}", &file),
        )
    }
}

/// `s` single-quoted for sh.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Launcher for Commands {
    fn launch(&self, launch: &Launch) -> Result<Launched, LaunchError> {
        let line = self.command_line(launch).ok_or(LaunchError::Unsupported(launch.action.option()))?;
        let mut cmd = tokio::process::Command::new("sh");
        cmd.arg("-c").arg(&line).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
        // Dropped handles kill too: a panic in a case never leaves a client behind.
        cmd.kill_on_drop(true);
        if let Some(dir) = &self.dir {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn()?;
        let pid = child.id();
        let (tx, ended) = oneshot::channel();
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        tokio::spawn(async move {
            let (out, err, status) = tokio::join!(read_bounded(stdout.as_mut()), read_bounded(stderr.as_mut()), child.wait());
            let (code, signal) = match status {
                Ok(s) => {
                    use std::os::unix::process::ExitStatusExt;
                    (s.code(), s.signal())
                }
                Err(_) => (None, None),
            };
            let _ = tx.send(Ended { code, signal, stdout: out, stderr: err });
        });
        let mut stopped = false;
        let stop = Box::new(move || {
            if let (Some(pid), false) = (pid, stopped) {
                stopped = true;
                kill_group(pid);
            }
        });
        Ok(Launched { ended, stop, pid })
    }

    fn supports(&self, action: Action) -> bool {
        self.template(action).is_some()
    }

    fn describe(&self) -> String {
        self.get.clone().or_else(|| self.post.clone()).or_else(|| self.multi.clone()).unwrap_or_default()
    }
}

/// SIGKILL to the process group we created (its id is the PID we started).
fn kill_group(pid: u32) {
    let Ok(pid) = i32::try_from(pid) else { return };
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
}

async fn read_bounded<R: tokio::io::AsyncRead + Unpin>(r: Option<&mut R>) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(r) = r else { return kept };
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => return kept,
            Ok(n) => {
                let room = OUTPUT_LIMIT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
}

/// One client of a clients table: its name, the command that prints its version, and its
/// command lines.
#[derive(Debug, Clone)]
pub struct ClientRow {
    /// The client's name (unique in the table).
    pub name: String,
    /// A command printing one line that names the client and its HTTP/2 code.
    pub version: Option<String>,
    /// Its get, post and multi command lines (`dir` left to the caller).
    pub commands: Commands,
}

/// Why a clients table cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {why}")]
pub struct TableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

/// Parses a clients table (the format of ci/clients/clients.tsv): one client per line,
/// columns `name version get post multi [output]` separated by one TAB, `-` for a command
/// the client cannot do, `#` lines and blank lines ignored. TABs, because command lines
/// contain spaces; a later column (`output`) is for people and scripts, not read here.
pub fn parse_clients(text: &str) -> Result<Vec<ClientRow>, TableError> {
    let mut rows: Vec<ClientRow> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let err = |why: String| TableError { line: i + 1, why };
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, version, get, post, multi, ..] = cols[..] else {
            return Err(err(format!("expected at least 5 TAB-separated columns (name version get post multi), found {}", cols.len())));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(err(format!("'{name}' is not a client name (one word)")));
        }
        if rows.iter().any(|r| r.name == name) {
            return Err(err(format!("client '{name}' is listed twice")));
        }
        let given = |c: &str| Some(c.trim()).filter(|c| !c.is_empty() && *c != "-").map(str::to_string);
        let commands = Commands { get: given(get), post: given(post), multi: given(multi), dir: None };
        if commands.get.is_none() && commands.post.is_none() && commands.multi.is_none() {
            return Err(err(format!("client '{name}' has no command (get, post and multi are all -)")));
        }
        rows.push(ClientRow { name: name.to_string(), version: given(version), commands });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(action: Action) -> Launch {
        Launch {
            action,
            urls: vec!["http://127.0.0.1:1/a".into(), "http://127.0.0.1:1/b'c".into()],
            file: Some("/tmp/x y".into()),
            host: "127.0.0.1".into(),
            port: 1,
            path: "/a".into(),
        }
    }

    #[test]
    fn placeholders_are_quoted_for_sh() {
        let c = Commands { get: Some("curl {url}".into()), multi: Some("x {urls} {port} {path} {host}".into()), post: Some("p {file}".into()), dir: None };
        assert_eq!(c.command_line(&launch(Action::Get)).as_deref(), Some("curl 'http://127.0.0.1:1/a'"));
        assert_eq!(
            c.command_line(&launch(Action::Parallel(2))).as_deref(),
            Some("x 'http://127.0.0.1:1/a' 'http://127.0.0.1:1/b'\\''c' 1 '/a' '127.0.0.1'")
        );
        assert_eq!(c.command_line(&launch(Action::Post(3))).as_deref(), Some("p '/tmp/x y'"));
    }

    #[tokio::test]
    async fn a_run_reports_its_status_and_output_and_can_be_stopped() {
        let c = Commands { get: Some("echo out; echo err >&2; exit 3".into()), ..Commands::default() };
        let run = c.launch(&launch(Action::Get)).expect("spawn");
        let e = run.ended.await.expect("ended");
        assert_eq!((e.code, e.stdout.as_slice(), e.stderr.as_slice()), (Some(3), &b"out\n"[..], &b"err\n"[..]));

        let c = Commands { get: Some("sleep 30 & sleep 30".into()), ..Commands::default() };
        let mut run = c.launch(&launch(Action::Get)).expect("spawn");
        (run.stop)();
        let e = tokio::time::timeout(std::time::Duration::from_secs(5), run.ended).await.expect("stopped in time").expect("ended");
        assert_eq!(e.signal, Some(9), "{e:?}");
        assert!(!c.supports(Action::Post(1)));
        assert!(matches!(c.launch(&launch(Action::Post(1))), Err(LaunchError::Unsupported("--exec-post"))));
    }

    #[test]
    fn a_clients_table_parses_and_its_errors_name_the_line() {
        let t = "# comment\n\ncurl\tcurl --version\tcurl {url}\t-\tcurl {urls}\tcurl\nnode\t-\tnode get {url}\tnode post {url} {file}\t-\n";
        let rows = parse_clients(t).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].name.as_str(), rows[0].version.as_deref()), ("curl", Some("curl --version")));
        assert_eq!((rows[0].commands.get.as_deref(), rows[0].commands.post.as_deref()), (Some("curl {url}"), None));
        assert_eq!((rows[1].version.as_deref(), rows[1].commands.multi.as_deref()), (None, None));
        let e = parse_clients("curl\tv\tget\n").expect_err("too few columns");
        assert_eq!(e.line, 1);
        assert!(parse_clients("a\tv\tg\t-\t-\na\tv\tg\t-\t-\n").expect_err("twice").why.contains("twice"));
        assert!(parse_clients("a\tv\t-\t-\t-\n").expect_err("no command").why.contains("no command"));
    }
}
