//! The crash oracle for servers whose workers die and are replaced (Apache's children,
//! nginx's and h2o's workers): the port keeps accepting and the master keeps running, so
//! only the server's own log says that a process died of a signal. `--server-log FILE`
//! names that log; what it gains from the campaign's start on is read, bounded, and a line
//! naming a fatal signal or a sanitizer report is a crash.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a master may take to reap a dead worker and log it (Apache's maintenance loop
/// runs once a second).
pub const SETTLE: Duration = Duration::from_millis(1500);
/// The most read per look: a log that grows faster than this is only skimmed.
const MAX_READ: u64 = 1 << 20;

/// What a crash line says, in the words the signature keeps: the line itself carries PIDs
/// and times, which differ on every crash.
const PATTERNS: &[(&str, &str)] = &[
    ("Segmentation fault", "SIGSEGV"),
    ("SIGSEGV", "SIGSEGV"),
    ("signal 11", "SIGSEGV"),
    ("Bus error", "SIGBUS"),
    ("SIGBUS", "SIGBUS"),
    ("exit signal Aborted", "SIGABRT"),
    ("SIGABRT", "SIGABRT"),
    ("signal 6", "SIGABRT"),
    ("Illegal instruction", "SIGILL"),
    ("Floating point exception", "SIGFPE"),
    ("AddressSanitizer", "AddressSanitizer"),
    ("core dumped", "core dumped"),
    ("panicked at", "panic"),
];

/// A server's log, read from where it was when the campaign started.
#[derive(Debug)]
pub struct ServerLog {
    path: PathBuf,
    offset: u64,
    /// A crash read but not yet taken by the oracle.
    pending: Option<Crash>,
}

/// A crash the log reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    /// The signal or report, for the signature: `SIGSEGV`.
    pub what: &'static str,
    /// The log's line, trimmed.
    pub line: String,
}

impl ServerLog {
    /// Watches `path` from its current end.
    pub fn open(path: &Path) -> std::io::Result<ServerLog> {
        let offset = std::fs::metadata(path)?.len();
        Ok(ServerLog { path: path.to_path_buf(), offset, pending: None })
    }

    /// Reads what the log gained; whether a crash is waiting to be taken.
    pub fn poll(&mut self) -> bool {
        if self.pending.is_none() {
            self.pending = self.read_new().into_iter().next();
        } else {
            // Later crash lines are the same crash's or the next one's: the oracle runs
            // each suspect alone, so they are skipped, not queued.
            let _ = self.read_new();
        }
        self.pending.is_some()
    }

    /// The crash waiting, if any (read first).
    pub fn take(&mut self) -> Option<Crash> {
        self.poll();
        self.pending.take()
    }

    /// Forgets what the log says up to now (after a crash was attributed).
    pub fn skip(&mut self) {
        let _ = self.read_new();
        self.pending = None;
    }

    fn read_new(&mut self) -> Vec<Crash> {
        let Ok(mut f) = std::fs::File::open(&self.path) else { return Vec::new() };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        if len < self.offset {
            // Rotated or truncated: start over.
            self.offset = 0;
        }
        let from = self.offset.max(len.saturating_sub(MAX_READ));
        if f.seek(SeekFrom::Start(from)).is_err() {
            return Vec::new();
        }
        let mut buf = Vec::new();
        if f.take(len - from).read_to_end(&mut buf).is_err() {
            return Vec::new();
        }
        // Only whole lines: a line being written is read on the next look.
        let whole = buf.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        self.offset = from + whole as u64;
        crashes(&String::from_utf8_lossy(&buf[..whole]))
    }
}

/// The crash lines of `text`.
fn crashes(text: &str) -> Vec<Crash> {
    text.lines()
        .filter_map(|l| {
            PATTERNS.iter().find(|(p, _)| l.contains(p)).map(|(_, what)| Crash { what, line: l.trim().chars().take(300).collect() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn only_new_whole_crash_lines_count() {
        let dir = std::env::temp_dir().join(format!("h2probe-server-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("error.log");
        std::fs::write(&path, "[core:notice] AH00052: child pid 1 exit signal Segmentation fault (11)\n").expect("write");
        let mut log = ServerLog::open(&path).expect("open");
        assert!(!log.poll(), "what was there before is not a crash of this campaign");
        let mut f = std::fs::OpenOptions::new().append(true).open(&path).expect("append");
        write!(f, "[mpm_event:notice] AH00489: resuming normal operations\n[core:notice] AH00052: child pid 42 exit signal Segmentation fault (11)").expect("write");
        assert!(!log.poll(), "half a line waits");
        writeln!(f).expect("write");
        let c = log.take().expect("a crash");
        assert_eq!(c.what, "SIGSEGV");
        assert!(c.line.contains("child pid 42"));
        assert!(log.take().is_none());
        std::fs::write(&path, "thread 'main' panicked at src/main.rs:1:1\n").expect("truncate");
        assert_eq!(log.take().map(|c| c.what), Some("panic"), "a truncated log is read from its start");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
