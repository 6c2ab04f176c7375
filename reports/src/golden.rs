//! Golden verdict files: one line per case, `<id> <verdict>`, a failure's or lenient
//! verdict's reason after `#`. The real-server and real-client tests compare runs with them;
//! the matrix reads their allowed sets (`fail|lenient`), so a verdict that a peer's own race
//! decides shows the same on every machine.

use h2probe_harness::model::{Class, RunReport, Verdict};
use std::collections::BTreeMap;

/// A parsed golden file: case id → (verdict or set of verdicts, reason).
pub type Golden = BTreeMap<String, (String, Option<String>)>;

/// One line per case: `<id> <verdict>`, plus `# reason` for failures and lenient verdicts:
/// the RFC section whose sentence decided it and what the peer did, both from the verdict,
/// so a regenerated file never keeps a reason that no longer holds.
///
/// A verdict written `lenient|pass` (by hand, with its reason) allows either: for a peer
/// whose own race decides a SHOULD (Go's client writes its GOAWAY and closes without
/// flushing it, so the GOAWAY reaches the wire now and then). Regenerating keeps such a
/// line while the verdict is one it allows.
pub fn render(report: &RunReport, old: &Golden, peer: &str) -> String {
    let mut out = format!(
        "# h2probe golden verdicts for {} (regenerate: UPDATE_GOLDEN=1 ci/test.sh)\n# A failure or lenient verdict carries its reason: the RFC section that decided it, and what the {peer} did.\n",
        report.target
    );
    for r in &report.results {
        let label = r.verdict.label();
        if let Some((was, reason)) = old.get(&r.info.id).filter(|(was, _)| was.contains('|') && allows(was, label)) {
            out.push_str(&format!("{} {was}{}\n", r.info.id, reason.as_ref().map(|r| format!("  # {r}")).unwrap_or_default()));
            continue;
        }
        match (&r.verdict, r.verdict.rule()) {
            (Verdict::Fail { .. } | Verdict::Lenient { .. }, Some(rule)) => {
                let now = format!("{}: {}", rule.section, r.verdict.observed().replace('\n', " "));
                let reason = match old.get(&r.info.id) {
                    Some((was, Some(before))) if was == label && same_reason(before, &now) => before.clone(),
                    _ => now,
                };
                out.push_str(&format!("{} {label}  # {reason}\n", r.info.id))
            }
            _ => out.push_str(&format!("{} {label}\n", r.info.id)),
        }
    }
    out
}

/// Two reasons that differ only in timings or in how a connection without GOAWAY ended (a
/// FIN or a reset, which depends on unread octets in the server's buffer) say the same
/// thing; keeping the old one keeps a regenerated golden file's diff to real changes.
pub fn same_reason(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.replace("connection reset by the peer", "connection closed by the peer (EOF)")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    norm(a) == norm(b)
}

/// Whether a golden verdict (`pass`, or a set such as `lenient|pass`) allows `now`.
pub fn allows(golden: &str, now: &str) -> bool {
    golden.split('|').any(|v| v == now)
}

/// Parses a golden file into id → (verdict, reason).
pub fn parse(text: &str) -> Golden {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (main, reason) = match l.split_once('#') {
                Some((m, r)) => (m, Some(r.trim().to_string())),
                None => (l, None),
            };
            let mut f = main.split_whitespace();
            Some((f.next()?.to_string(), (f.next()?.to_string(), reason)))
        })
        .collect()
}

/// Every difference between a run and its golden file: a new case, a changed verdict (with
/// what the peer did now), a case that no longer runs. Reasons after `#` are not compared.
pub fn compare(peer: &str, report: &RunReport, golden: &Golden, problems: &mut Vec<String>) {
    for r in &report.results {
        let now = r.verdict.label();
        match golden.get(&r.info.id) {
            None => problems.push(format!("{peer}: {} is new (verdict {now})", r.info.id)),
            Some((was, _)) if !allows(was, now) => {
                let detail = match &r.verdict {
                    Verdict::Fail { expected, actual, .. } => format!(": expected {expected}; got {actual}"),
                    other => format!(": {}", other.observed()),
                };
                problems.push(format!("{peer}: {} was {was}, now {now}{detail}", r.info.id));
            }
            Some(_) => {}
        }
    }
    for id in golden.keys() {
        if !report.results.iter().any(|r| &r.info.id == id) {
            problems.push(format!("{peer}: {id} is in the golden file but no longer runs"));
        }
    }
}


/// The cases whose golden verdict is a set, each with its verdicts: where a peer's own race
/// decides between them, the matrix shows the least favourable, whichever this machine saw.
pub fn races(golden: &Golden) -> BTreeMap<String, Vec<Class>> {
    golden
        .iter()
        .filter(|(_, (v, _))| v.contains('|'))
        .map(|(id, (v, _))| (id.clone(), v.split('|').filter_map(Class::from_label).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_a_race_and_a_single_verdict_is_not() {
        let g = parse("# head\na fail|lenient  # why\nb pass\nc pass|skip\n");
        let r = races(&g);
        assert_eq!(r.get("a"), Some(&vec![Class::Fail, Class::Lenient]));
        assert_eq!(r.get("c"), Some(&vec![Class::Pass, Class::Skip]));
        assert!(!r.contains_key("b"));
        assert!(allows("fail|lenient", "lenient") && !allows("fail|lenient", "pass"));
    }
}
