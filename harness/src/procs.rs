//! The server process(es) behind a local target, and their CPU time and RSS over time.
//!
//! Linux only (`/proc`): the listening socket's inode is looked up in `/proc/net/tcp{,6}`,
//! the processes holding it in `/proc/*/fd`, and their descendants through `/proc/*/stat`
//! (nginx and apache serve from worker children; a worker forked during the attack counts
//! too, since the set is taken again at every sample). `--server-pid` names the root
//! process instead. Anything unreadable is skipped, never fatal: without figures a target
//! is judged on the canary alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One sample of the processes, summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// ms since the origin.
    pub t_ms: u32,
    /// User + system CPU time of all of them, ms.
    pub cpu_ms: u64,
    /// Resident set size of all of them, KiB.
    pub rss_kib: u64,
    /// How many were alive.
    pub alive: usize,
}

/// How often the sampler reads `/proc`: often enough to see a peak that lasts a tenth of
/// a second, rarely enough to cost nothing next to the attack.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// Samples kept per sampler: 10 minutes at [`SAMPLE_EVERY`]; later ones replace the last.
pub const MAX_SAMPLES: usize = 12_000;

/// The processes serving a local TCP port: the owners of its listening socket.
pub fn listeners(port: u16) -> Vec<u32> {
    let mut inodes = BTreeSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            let (Some(local), Some(state), Some(inode)) = (cols.get(1), cols.get(3), cols.get(9)) else { continue };
            let listening = *state == "0A";
            let p = local.rsplit(':').next().and_then(|h| u16::from_str_radix(h, 16).ok());
            if listening && p == Some(port) {
                inodes.insert(format!("socket:[{inode}]"));
            }
        }
    }
    if inodes.is_empty() {
        return Vec::new();
    }
    let mut pids = Vec::new();
    for pid in all_pids() {
        let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else { continue };
        let holds = fds.flatten().any(|fd| fs::read_link(fd.path()).is_ok_and(|l| inodes.contains(&*l.to_string_lossy())));
        if holds {
            pids.push(pid);
        }
    }
    pids
}

fn all_pids() -> Vec<u32> {
    fs::read_dir("/proc").map(|d| d.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect()).unwrap_or_default()
}

/// `roots` and every process descending from one of them.
pub fn with_descendants(roots: &[u32]) -> Vec<u32> {
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for pid in all_pids() {
        if let Some(ppid) = stat_fields(pid).and_then(|f| f.get(1)?.parse().ok()) {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut out: BTreeSet<u32> = BTreeSet::new();
    let mut todo: Vec<u32> = roots.to_vec();
    while let Some(p) = todo.pop() {
        if out.insert(p) {
            todo.extend(children.get(&p).into_iter().flatten());
        }
    }
    out.into_iter().collect()
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces and
/// parentheses): state, ppid, …
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let s = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// Clock ticks per second of `/proc/PID/stat` times: Linux's USER_HZ, which is 100 on every
/// architecture (the kernel converts to it for user space, whatever its internal HZ).
const USER_HZ: u64 = 100;

/// CPU ms and RSS KiB of one process, if it is alive (a zombie counts as dead).
fn measure(pid: u32, ticks: u64) -> Option<(u64, u64)> {
    let f = stat_fields(pid)?;
    if f.first().is_some_and(|s| s == "Z" || s == "X") {
        return None;
    }
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    let cpu: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap_or(0);
    Some((cpu * 1000 / ticks, rss))
}

/// One sample of `roots` and their descendants now.
pub fn sample(roots: &[u32], origin: Instant) -> Sample {
    let ticks = USER_HZ;
    let mut s = Sample { t_ms: origin.elapsed().as_millis() as u32, cpu_ms: 0, rss_kib: 0, alive: 0 };
    for pid in with_descendants(roots) {
        if let Some((cpu, rss)) = measure(pid, ticks) {
            s.cpu_ms += cpu;
            s.rss_kib += rss;
            s.alive += 1;
        }
    }
    s
}

/// Samples processes on a thread of its own every [`SAMPLE_EVERY`] until stopped, so that
/// a busy attack never delays a sample.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<Sample>>>,
}

impl Sampler {
    /// Starts sampling `roots` (and their descendants).
    pub fn start(roots: Vec<u32>, origin: Instant) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("h2probe-sampler".into())
            .spawn(move || {
                let mut out = Vec::new();
                loop {
                    let s = sample(&roots, origin);
                    if out.len() < MAX_SAMPLES {
                        out.push(s);
                    } else if let Some(last) = out.last_mut() {
                        *last = s;
                    }
                    if flag.load(Ordering::Relaxed) {
                        return out;
                    }
                    std::thread::sleep(SAMPLE_EVERY);
                }
            })
            .ok();
        Sampler { stop, thread }
    }

    /// Stops and returns the samples (one more is taken at the stop).
    pub fn stop(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_listener_of_a_port_and_measures_it() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let me = std::process::id();
        assert_eq!(listeners(port), vec![me]);
        let s = sample(&[me], Instant::now());
        assert_eq!(s.alive, 1);
        assert!(s.rss_kib > 0);
        assert!(with_descendants(&[1]).len() > 1 || with_descendants(&[me]) == vec![me]);
        assert!(listeners(1).is_empty() || !listeners(1).contains(&me));
    }
}
