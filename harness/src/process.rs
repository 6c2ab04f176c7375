//! What a local server process costs: resident memory and CPU time, read from `/proc`.
//!
//! Harm, not only reaction, is what the fuzzer's resource oracle and the resilience suite
//! measure on a server running on this machine. A server is often a tree of processes (nginx
//! and Apache fork workers, a supervisor execs the real binary), so a [`Sample`] sums the
//! process named by its PID and all of its descendants. Only Linux has `/proc` in this form;
//! elsewhere [`sample`] returns `None` and the oracles that need it say they are off.
//!
//! Reading is bounded: at most [`MAX_PROCESSES`] processes are summed, and each file read
//! is small, so a hostile or enormous process table cannot make the tester slow or large.
//!
//! For a target on this machine the resilience suite finds the server by its listening
//! socket ([`listeners`]: the socket's inode in `/proc/net/tcp{,6}`, its holders in
//! `/proc/*/fd`) and samples the tree on a thread of its own ([`Sampler`]); the set of
//! descendants is taken again at every sample, so a worker forked during an attack counts.
//! Anything unreadable is skipped, never fatal: without figures a target is judged on its
//! canaries alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use crate::background::Background;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Most processes summed into one sample (the root and its descendants).
pub const MAX_PROCESSES: usize = 4096;

/// One reading of a process tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    /// Resident set size of the tree, octets (VmRSS summed).
    pub rss_bytes: u64,
    /// The kernel's high-water mark of each process's RSS, summed (VmHWM): since the process
    /// started, or since [`reset_peaks`].
    pub hwm_bytes: u64,
    /// User plus system CPU time of the tree so far, milliseconds (children that already
    /// exited and were reaped count through their parent's `cutime`/`cstime`).
    pub cpu_ms: u64,
    /// How many processes were summed (alive ones: a zombie is gone as far as serving goes).
    pub processes: usize,
}

/// Whether a process with this PID exists and is not a zombie (an exited child that was
/// not reaped yet is gone as far as serving goes).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => parse_stat(&stat).is_some_and(|s| s.state != 'Z' && s.state != 'X'),
        Err(_) => false,
    }
}

/// Samples the process `pid` and its descendants, or `None` when it does not exist or
/// `/proc` cannot be read.
pub fn sample(pid: u32) -> Option<Sample> {
    read_stat(pid)?;
    Some(sample_tree(&[pid]))
}

/// Samples `roots` and all their descendants (each once), skipping what has exited.
pub fn sample_tree(roots: &[u32]) -> Sample {
    let mut s = Sample::default();
    for p in tree_of(roots) {
        let Some(stat) = read_stat(p).filter(|st| st.state != 'Z' && st.state != 'X') else { continue };
        s.cpu_ms += stat.cpu_ticks.saturating_mul(1000) / clock_ticks();
        let (rss, hwm) = read_rss(p).unwrap_or((0, 0));
        s.rss_bytes += rss;
        s.hwm_bytes += hwm;
        s.processes += 1;
    }
    s
}

/// `roots` and all their descendants, each once, at most [`MAX_PROCESSES`].
fn tree_of(roots: &[u32]) -> Vec<u32> {
    let children = children_map();
    let mut tree: BTreeSet<u32> = roots.iter().copied().collect();
    for &r in roots {
        tree.extend(tree_below(r, &children));
    }
    tree.into_iter().take(MAX_PROCESSES).collect()
}

/// The processes serving a local TCP port: the holders of its listening socket.
pub fn listeners(port: u16) -> Vec<u32> {
    let mut inodes = BTreeSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        inodes.extend(listening_inodes(&text, port));
    }
    if inodes.is_empty() {
        return Vec::new();
    }
    let mut pids = Vec::new();
    for pid in all_pids().into_iter().take(1 << 16) {
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { continue };
        let holds = fds.flatten().any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| inodes.contains(&*l.to_string_lossy())));
        if holds {
            pids.push(pid);
        }
    }
    pids
}

/// `socket:[inode]` of every socket of a `/proc/net/tcp` table listening on `port`.
fn listening_inodes(table: &str, port: u16) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            let (local, state, inode) = (cols.get(1)?, cols.get(3)?, cols.get(9)?);
            let p = local.rsplit(':').next().and_then(|h| u16::from_str_radix(h, 16).ok())?;
            (*state == "0A" && p == port).then(|| format!("socket:[{inode}]"))
        })
        .collect()
}

/// How often the [`Sampler`] reads `/proc`: often enough to see a peak that lasts a tenth
/// of a second, rarely enough to cost nothing next to the attack.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// Samples kept per sampler: 10 minutes at [`SAMPLE_EVERY`]; later ones replace the last.
pub const MAX_SAMPLES: usize = 12_000;

/// A [`Sample`] and when it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timed {
    /// ms since the sampler's origin.
    pub t_ms: u32,
    /// The tree's figures then.
    pub sample: Sample,
}

/// Samples a process tree on a thread of its own every [`SAMPLE_EVERY`] until stopped, so
/// that a busy attack never delays a sample.
pub type Sampler = Background<Timed>;

impl Background<Timed> {
    /// Starts sampling `roots` (and their descendants); [`Background::stop`] takes one more
    /// sample and returns them all.
    pub fn start(roots: Vec<u32>, origin: Instant) -> Sampler {
        Background::spawn("h2probe-sampler", move |flag| {
            let mut out = Vec::new();
            loop {
                let s = Timed { t_ms: origin.elapsed().as_millis() as u32, sample: sample_tree(&roots) };
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
    }
}

/// The fields of `/proc/PID/stat` the samples need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    state: char,
    ppid: u32,
    /// utime + stime + cutime + cstime, in clock ticks.
    cpu_ticks: u64,
}

fn read_stat(pid: u32) -> Option<Stat> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Parses `/proc/PID/stat`. The command name (field 2) is in parentheses and may itself
/// contain spaces and parentheses, so fields are counted from the last `)`.
fn parse_stat(s: &str) -> Option<Stat> {
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
    let field = |n: usize| f.get(n - 3).copied();
    let num = |n: usize| field(n).and_then(|v| v.parse::<i64>().ok()).map(|v| v.max(0) as u64);
    Some(Stat {
        state: field(3)?.chars().next()?,
        ppid: field(4)?.parse().ok()?,
        cpu_ticks: num(14)? + num(15)? + num(16)? + num(17)?,
    })
}

/// (VmRSS, VmHWM) in octets.
fn read_rss(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = parse_kb(&status, "VmRSS:")?;
    Some((rss, parse_kb(&status, "VmHWM:").unwrap_or(rss)))
}

/// `VmRSS:   1234 kB` → octets. Kernel threads have no such lines.
fn parse_kb(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the RSS high-water mark of `roots` and their descendants to their present RSS
/// (`5` to `/proc/PID/clear_refs`, which changes nothing else about the process), so that
/// VmHWM read later is the peak since now. A sample every [`SAMPLE_EVERY`] misses a peak
/// that comes and goes between two (a bomb decoded and freed within milliseconds), and
/// whether it was caught changed from run to run; the kernel's own mark misses nothing.
/// `false` when one could not be reset (another user's process): then only samples count.
pub fn reset_peaks(roots: &[u32]) -> bool {
    let tree = tree_of(roots);
    let mut all = !tree.is_empty();
    for p in tree {
        all &= std::fs::write(format!("/proc/{p}/clear_refs"), "5").is_ok();
    }
    all
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir(Path::new("/proc"))
        .map(|d| d.flatten().take(1 << 16).filter_map(|e| e.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

/// Parent → children, from the parent links in `/proc/*/stat`.
fn children_map() -> BTreeMap<u32, Vec<u32>> {
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for pid in all_pids() {
        if let Some(stat) = read_stat(pid) {
            children.entry(stat.ppid).or_default().push(pid);
        }
    }
    children
}

/// Walks a parent → children map from `root` (breadth first, each PID once, bounded).
fn tree_below(root: u32, children: &BTreeMap<u32, Vec<u32>>) -> Vec<u32> {
    let mut seen = BTreeSet::from([root]);
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([root]);
    while let Some(p) = queue.pop_front() {
        for &c in children.get(&p).into_iter().flatten() {
            if out.len() + 1 >= MAX_PROCESSES {
                return out;
            }
            if seen.insert(c) {
                out.push(c);
                queue.push_back(c);
            }
        }
    }
    out
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`): 100 on every Linux this runs on; the
/// kernel has exported a fixed USER_HZ of 100 to user space since 2.6, whatever its tick.
fn clock_ticks() -> u64 {
    100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let s = "4242 (we (ird) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 3 2 20 0 1 0 100 1000 200";
        let st = parse_stat(s).expect("parses");
        assert_eq!(st.state, 'S');
        assert_eq!(st.ppid, 17);
        assert_eq!(st.cpu_ticks, 250 + 50 + 3 + 2);
        assert!(parse_stat("garbage").is_none());
    }

    #[test]
    fn the_peak_of_this_process_is_reset_to_its_rss() {
        let me = std::process::id();
        let Some(s) = sample(me) else { return };
        assert!(s.hwm_bytes >= s.rss_bytes, "{s:?}");
        if reset_peaks(&[me]) {
            let after = sample(me).unwrap_or_default();
            assert!(after.hwm_bytes <= s.hwm_bytes.max(after.rss_bytes), "{s:?} then {after:?}");
        }
    }

    #[test]
    fn rss_is_read_in_kilobytes() {
        assert_eq!(parse_kb("Name:\tx\nVmHWM:\t    4096 kB\nVmRSS:\t    2048 kB\n", "VmRSS:"), Some(2048 * 1024));
        assert_eq!(parse_kb("Name:\tx\nVmHWM:\t    4096 kB\nVmRSS:\t    2048 kB\n", "VmHWM:"), Some(4096 * 1024));
        assert_eq!(parse_kb("Name:\tkthreadd\n", "VmRSS:"), None);
    }

    #[test]
    fn the_tree_is_walked_once_per_process_even_with_a_cycle() {
        let children = BTreeMap::from([(1, vec![2, 3]), (2, vec![4]), (4, vec![1])]);
        assert_eq!(tree_below(1, &children), vec![2, 3, 4]);
    }

    #[test]
    fn this_process_can_be_sampled_on_linux() {
        if !Path::new("/proc/self/stat").exists() {
            return; // not Linux: the oracles that need samples are off there
        }
        let me = std::process::id();
        assert!(alive(me));
        let s = sample(me).expect("our own process");
        assert!(s.rss_bytes > 0 && s.processes >= 1, "{s:?}");
        assert!(!alive(u32::MAX - 1));
    }

    #[test]
    fn the_listener_of_a_port_is_found_by_its_socket() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:4A39 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1\n   1: 0100007F:4A39 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 778 1\n";
        assert_eq!(listening_inodes(table, 0x4A39), vec!["socket:[777]".to_string()], "listening only, not the established one");
        assert!(listening_inodes(table, 80).is_empty());
        if !Path::new("/proc/net/tcp").exists() {
            return;
        }
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let me = std::process::id();
        assert_eq!(listeners(port), vec![me]);
        let s = sample_tree(&[me]);
        assert!(s.processes >= 1 && s.rss_bytes > 0, "{s:?}");
    }
}
