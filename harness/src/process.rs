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

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Most processes summed into one sample (the root and its descendants).
pub const MAX_PROCESSES: usize = 4096;

/// One reading of a process tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    /// Resident set size of the tree, octets (VmRSS summed).
    pub rss_bytes: u64,
    /// User plus system CPU time of the tree so far, milliseconds (children that already
    /// exited and were reaped count through their parent's `cutime`/`cstime`).
    pub cpu_ms: u64,
    /// How many processes were summed.
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
    let root = read_stat(pid)?;
    let tree = descendants(pid);
    let mut s = Sample::default();
    for p in std::iter::once(pid).chain(tree).take(MAX_PROCESSES) {
        let stat = if p == pid { Some(root) } else { read_stat(p) };
        let Some(stat) = stat else { continue };
        s.cpu_ms += stat.cpu_ticks.saturating_mul(1000) / clock_ticks();
        s.rss_bytes += read_rss(p).unwrap_or(0);
        s.processes += 1;
    }
    Some(s)
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

fn read_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_rss(&status)
}

/// `VmRSS:   1234 kB` → octets. Kernel threads have no VmRSS line.
fn parse_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Every descendant of `root`, found by scanning `/proc/*/stat` for parent links.
fn descendants(root: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir(Path::new("/proc")) else { return Vec::new() };
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for entry in dir.flatten().take(1 << 16) {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if let Some(stat) = read_stat(pid) {
            children.entry(stat.ppid).or_default().push(pid);
        }
    }
    tree_below(root, &children)
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
    fn rss_is_read_in_kilobytes() {
        assert_eq!(parse_rss("Name:\tx\nVmRSS:\t    2048 kB\n"), Some(2048 * 1024));
        assert_eq!(parse_rss("Name:\tkthreadd\n"), None);
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
}
