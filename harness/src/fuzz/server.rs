//! The server process, as far as a campaign can see and control it.
//!
//! Three cases: a server the campaign started (`--spawn CMD`: it records the PID, samples
//! it, kills only that process, and starts it again after a crash so the campaign goes on,
//! a bounded number of times); a process named by `--server-pid` (sampled, watched, never
//! touched); or only a port (a crash is a refused connection, and the campaign waits a
//! bounded time for whatever supervises the server to bring it back). Any of them may also
//! have its log watched (`--server-log`) for workers that die while the port stays open.

use crate::process::{self, Sample};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::time::Instant;

use super::execute::Env;
use super::server_log::{Crash, ServerLog, SETTLE};

/// Why the server could not be started or brought back.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// `sh -c CMD` could not be run.
    #[error("cannot start the server ({cmd}): {source}")]
    Spawn {
        /// The command.
        cmd: String,
        /// Why.
        source: std::io::Error,
    },
    /// It exited before accepting connections.
    #[error("the server ({cmd}) exited before accepting connections: {status}")]
    ExitedEarly {
        /// The command.
        cmd: String,
        /// Its exit status.
        status: String,
    },
    /// It did not accept connections in time.
    #[error("the server did not accept connections within {0} s")]
    NotReady(u64),
    /// Restarts are used up.
    #[error("the server crashed again after {0} restarts; the campaign stops")]
    TooManyRestarts(u32),
}

/// The server of a campaign: its process, as far as it is known, and its log, if watched.
#[derive(Debug)]
pub struct Server {
    /// The process.
    pub process: Process,
    log: Option<ServerLog>,
}

/// What a campaign knows of the server's process.
#[derive(Debug)]
pub enum Process {
    /// Only its port is known.
    External,
    /// `--server-pid`: watched and sampled, never signalled.
    Pid(u32),
    /// `--spawn CMD`: ours.
    Spawned(Box<Spawned>),
}

/// A server the campaign started.
#[derive(Debug)]
pub struct Spawned {
    cmd: String,
    child: Child,
    pid: u32,
    /// Restarts so far.
    pub restarts: u32,
    max_restarts: u32,
}

/// Polls `env`'s port until a connection opens, the process (if any) exits, or `wait` passes.
async fn ready(env: &Env, child: Option<&mut Child>, cmd: &str, wait: Duration) -> Result<(), ServerError> {
    let until = Instant::now() + wait;
    let mut child = child;
    loop {
        if let Some(c) = child.as_deref_mut() {
            if let Ok(Some(status)) = c.try_wait() {
                return Err(ServerError::ExitedEarly { cmd: cmd.to_string(), status: status.to_string() });
            }
        }
        if env.permit.connect(&env.connector, Duration::from_millis(500)).await.is_ok() {
            return Ok(());
        }
        if Instant::now() >= until {
            return Err(ServerError::NotReady(wait.as_secs()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Spawned {
    /// Runs `sh -c 'exec CMD'` (so the PID is the server's own, not a shell's), with its
    /// output discarded, and waits until `env`'s port accepts connections.
    pub async fn start(cmd: &str, env: &Env, wait: Duration, max_restarts: u32) -> Result<Spawned, ServerError> {
        let (child, pid) = spawn(cmd)?;
        let mut s = Spawned { cmd: cmd.to_string(), child, pid, restarts: 0, max_restarts };
        ready(env, Some(&mut s.child), cmd, wait).await?;
        Ok(s)
    }

    /// The PID of the running server.
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

fn spawn(cmd: &str) -> Result<(Child, u32), ServerError> {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {cmd}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| ServerError::Spawn { cmd: cmd.to_string(), source })?;
    let pid = child.id().unwrap_or(0);
    Ok((child, pid))
}

impl Server {
    /// A server known by its port only.
    pub fn external() -> Server {
        Server { process: Process::External, log: None }
    }

    /// A server whose process is watched and sampled, never signalled.
    pub fn pid(pid: u32) -> Server {
        Server { process: Process::Pid(pid), log: None }
    }

    /// A server the campaign started.
    pub fn spawned(s: Spawned) -> Server {
        Server { process: Process::Spawned(Box::new(s)), log: None }
    }

    /// Watches `log` too: a worker's death it reports is a crash.
    pub fn with_log(mut self, log: ServerLog) -> Server {
        self.log = Some(log);
        self
    }

    /// Whether a log is watched.
    pub fn has_log(&self) -> bool {
        self.log.is_some()
    }

    /// Whether the log has reported a crash since it was last taken (read without waiting).
    pub fn log_crashed(&mut self) -> bool {
        self.log.as_mut().is_some_and(ServerLog::poll)
    }

    /// A crash the log reports; with `settle`, waiting up to [`SETTLE`] for a master to
    /// reap and log a worker that has just died.
    pub async fn log_crash(&mut self, settle: bool) -> Option<Crash> {
        let log = self.log.as_mut()?;
        let until = Instant::now() + if settle { SETTLE } else { Duration::ZERO };
        loop {
            if let Some(c) = log.take() {
                // A crash brings more lines (the master's notice, a core dump's): one crash.
                tokio::time::sleep(Duration::from_millis(100)).await;
                log.skip();
                return Some(c);
            }
            if Instant::now() >= until {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The PID to sample, if there is one.
    pub fn pid_of(&self) -> Option<u32> {
        match &self.process {
            Process::External => None,
            Process::Pid(p) => Some(*p),
            Process::Spawned(s) => Some(s.pid),
        }
    }

    /// Memory and CPU of the server's process tree, when it is local and `/proc` has it.
    pub fn sample(&self) -> Option<Sample> {
        self.pid_of().and_then(process::sample)
    }

    /// How the process ended, if it did (`None` while it runs, or when there is no process
    /// to watch).
    pub fn exited(&mut self) -> Option<String> {
        match &mut self.process {
            Process::External => None,
            Process::Pid(p) => (!process::alive(*p)).then(|| format!("process {p} is gone")),
            Process::Spawned(s) => match s.child.try_wait() {
                Ok(Some(status)) => Some(status.to_string()),
                _ => None,
            },
        }
    }

    /// Whether a crashed server can be brought back and a finding minimised against it.
    pub fn can_restart(&self) -> bool {
        !matches!(self.process, Process::Pid(_))
    }

    /// Brings the server back after a crash: ours is killed (if it still runs, hung) and
    /// started again; another is waited for, `wait` at most. A `--server-pid` process that
    /// is gone cannot come back under the same PID, so the campaign watches its port only.
    pub async fn restart(&mut self, env: &Env, wait: Duration) -> Result<(), ServerError> {
        match &mut self.process {
            Process::External => ready(env, None, "", wait).await,
            Process::Pid(_) => {
                self.process = Process::External;
                ready(env, None, "", wait).await
            }
            Process::Spawned(s) => {
                if s.restarts >= s.max_restarts {
                    return Err(ServerError::TooManyRestarts(s.restarts));
                }
                s.restarts += 1;
                let _ = s.child.start_kill();
                let _ = tokio::time::timeout(Duration::from_secs(5), s.child.wait()).await;
                let (child, pid) = spawn(&s.cmd)?;
                s.child = child;
                s.pid = pid;
                let cmd = s.cmd.clone();
                ready(env, Some(&mut s.child), &cmd, wait).await
            }
        }
    }

    /// Restarts so far (for the summary).
    pub fn restarts(&self) -> u32 {
        match &self.process {
            Process::Spawned(s) => s.restarts,
            _ => 0,
        }
    }

    /// Stops a server the campaign started; leaves any other alone.
    pub async fn stop(&mut self) {
        if let Process::Spawned(s) = &mut self.process {
            let _ = s.child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(5), s.child.wait()).await;
        }
    }
}
