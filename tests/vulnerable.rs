//! The resilience suite on known truth: every attack class against the deliberately
//! vulnerable server (`h2probe serve-vulnerable`, a process of its own so that its CPU and
//! RSS are its own), once with every mitigation off — the class must say `vulnerable` — and
//! once with the class's own mitigation on — it must say `mitigated` or `absorbed`. A fresh
//! server for every run: memory a previous attack left in its allocator would hide growth.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Attacks run at once. Each is an attacker and a server busy on a core; the test harness
/// would start all 24 together, and harm measured with 24 attacks sharing 2 cores is the
/// machine's: a fixture too starved to read looked like a server that stopped reading, and
/// classes flipped under load.
const AT_ONCE: usize = 2;
static SLOTS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// One of the [`AT_ONCE`] places, held for a case's two runs.
struct Slot;

impl Slot {
    fn take() -> Slot {
        let (taken, freed) = &SLOTS;
        let mut n = taken.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= AT_ONCE {
            n = freed.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (taken, freed) = &SLOTS;
        *taken.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        freed.notify_one();
    }
}

/// The fixture, killed (by its pid) when dropped.
struct Fixture {
    child: Child,
    url: String,
}

impl Fixture {
    fn start(mitigate: &[&str]) -> Fixture {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2probe"));
        cmd.args(["serve-vulnerable", "--listen", "127.0.0.1:0"]);
        for m in mitigate {
            cmd.args(["--mitigate", m]);
        }
        let mut child = cmd.stderr(Stdio::piped()).stdout(Stdio::null()).spawn().expect("spawn serve-vulnerable");
        let stderr = child.stderr.take().expect("stderr");
        let mut line = String::new();
        BufReader::new(stderr).read_line(&mut line).expect("first line");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("url in the first line").to_string();
        Fixture { child, url }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The harm class `h2probe stress` gives `case` against a fresh fixture, and its reason.
fn class(case: &str, mitigate: &[&str]) -> (String, String) {
    let fx = Fixture::start(mitigate);
    let dir = std::env::temp_dir().join(format!("h2probe-vuln-{}-{}", std::process::id(), case.replace('/', "_")));
    let _ = std::fs::create_dir_all(&dir);
    let json = dir.join("r.json");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_h2probe"))
        .args(["stress", &fx.url, case, "--json"])
        .arg(&json)
        .args(["--timeout", "1s"])
        .output()
        .expect("run h2probe stress");
    assert!(started.elapsed() < Duration::from_secs(120), "{case} took {:?}", started.elapsed());
    let text = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("{case}: no report; stderr: {}", String::from_utf8_lossy(&out.stderr)));
    let _ = std::fs::remove_dir_all(&dir);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json report");
    let r = &v["results"][0];
    let harm = &r["harm"];
    (harm["class"].as_str().unwrap_or("none").to_string(), harm["why"].as_str().unwrap_or_default().to_string() + " | " + &r["verdict"].to_string())
}

fn check(case: &str, mitigations: &[&str]) {
    let slot = Slot::take();
    let (off, why_off) = class(case, &[]);
    let (on, why_on) = class(case, mitigations);
    drop(slot);
    assert_eq!(off, "vulnerable", "{case} with every mitigation off: {why_off}");
    assert!(on == "mitigated" || on == "absorbed", "{case} with {mitigations:?} on: {on}: {why_on}");
}

macro_rules! known_truth {
    ($($name:ident: $case:literal => [$($m:literal),+];)+) => {$(
        #[test]
        fn $name() {
            check(concat!("rfc9113/10.5/", $case), &[$($m),+]);
        }
    )+};
}

known_truth! {
    ping_flood: "ping-flood" => ["ack-cap"];
    settings_flood: "settings-flood" => ["ack-cap"];
    reset_flood: "reset-flood" => ["reset-budget"];
    internal_data_buffering: "internal-data-buffering" => ["backpressure"];
    data_dribble: "data-dribble" => ["small-window-updates"];
    zero_length_headers: "zero-length-headers" => ["header-caps", "reset-budget"];
    empty_data_flood: "empty-data-flood" => ["empty-frames"];
    empty_continuation_flood: "empty-continuation-flood" => ["empty-frames"];
    priority_churn: "priority-churn" => ["priority-cap"];
    rapid_reset: "rapid-reset" => ["rapid-reset-budget"];
    rapid_reset_concurrent: "rapid-reset-concurrent" => ["rapid-reset-budget"];
    madeyoureset_window_update_0: "madeyoureset-window-update-0" => ["reset-budget"];
    madeyoureset_window_overflow: "madeyoureset-window-overflow" => ["reset-budget"];
    madeyoureset_priority_self: "madeyoureset-priority-self" => ["reset-budget"];
    madeyoureset_data_after_end: "madeyoureset-data-after-end" => ["reset-budget"];
    madeyoureset_headers_after_end: "madeyoureset-headers-after-end" => ["reset-budget"];
    continuation_flood: "continuation-flood" => ["header-caps"];
    continuation_endless_field: "continuation-endless-field" => ["header-caps"];
    continuation_byte_at_a_time: "continuation-byte-at-a-time" => ["header-caps"];
    hpack_bomb: "hpack-bomb" => ["header-caps"];
    http2_bomb: "http2-bomb" => ["header-caps"];
    unacknowledged_settings: "unacknowledged-settings" => ["concurrency-before-ack"];
    slow_preface: "slow-preface" => ["preface-timeout"];
    zero_window_hold: "zero-window-hold" => ["reap-stalled"];
}
