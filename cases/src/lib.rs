//! The h2probe catalogue: every case, one module per RFC section.
//!
//! Each case is data: a stable id named after its section (never a position), the h2spec id
//! it replaces, MUST or SHOULD, the requirement sentence, and a script that returns frames
//! plus a typed expectation. The leniency rules are not here: they live once in the
//! harness's judge.

use h2probe_harness::case::Case;
use std::sync::LazyLock;

pub mod client;
mod common;
pub mod requirements;
pub mod rfc7541;
pub mod rfc8441;
pub mod rfc9113;
pub mod rfc9218;

static ALL: LazyLock<Vec<Case>> = LazyLock::new(|| {
    let mut v = Vec::new();
    v.extend_from_slice(&rfc9113::cases());
    v.extend_from_slice(&rfc9218::cases());
    v.extend_from_slice(&rfc8441::cases());
    v.extend_from_slice(&rfc7541::cases());
    v.extend(h2probe_harness::checks::cases());
    v
});

/// Every case, in catalogue order.
pub fn all() -> &'static [Case] {
    &ALL
}

static CLIENT: LazyLock<Vec<Case>> = LazyLock::new(client::cases);

/// Every client case (`h2probe client`), in catalogue order; the passive checks of what a
/// client sends last.
pub fn client() -> &'static [Case] {
    &CLIENT
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_aliases_are_unique() {
        let mut names = HashSet::new();
        for c in all() {
            assert!(names.insert(c.id), "the name {} is used twice", c.id);
            for a in c.h2spec.iter().chain(c.aliases) {
                assert!(names.insert(a), "the name {a} (an alias of {}) is used twice", c.id);
            }
        }
    }

    /// Attack classes of RFC 9113 §10.5 (cases/src/rfc9113/s10_5_resilience.rs).
    const CLASSES: usize = 24;

    /// Floods run only through the permit gate, which the runner applies by tag: a flood
    /// step in an untagged case, or a flood case that does not flood, would slip past it.
    #[test]
    fn flood_steps_and_the_flood_tag_go_together() {
        use h2probe_harness::case::Step;
        use h2probe_harness::expectation::Expectation;
        let ctx = h2probe_harness::case::Ctx::example();
        let mut n = 0;
        for c in all() {
            let Ok(script) = (c.script)(&ctx) else { continue };
            let floods = script.steps.iter().filter(|s| matches!(s, Step::Attack(_))).count();
            let resilience = matches!(script.expect, Expectation::Resilience);
            assert_eq!(c.is_flood(), floods == 1, "{}: tag 'flood' iff exactly one flood step", c.id);
            assert_eq!(c.is_flood(), resilience, "{}: tag 'flood' iff a resilience expectation", c.id);
            n += usize::from(c.is_flood());
        }
        assert_eq!(n, CLASSES, "one flood case per class");
        let default = h2probe_harness::select::select(all(), &[], &[], true).expect("default selection");
        assert!(default.iter().all(|c| !c.is_flood()), "floods must be off by default, even under --strict");
        let named = h2probe_harness::select::select(all(), &["flood".to_string()], &[], false).expect("flood tag");
        assert_eq!(named.len(), CLASSES, "selecting the flood tag runs the SHOULD-level group without --strict");
    }

    #[test]
    fn the_catalogue_has_at_least_250_cases() {
        // Issue 4's bar; a refactor that drops a module shows up here, not in a report.
        assert!(all().len() >= 250, "only {} cases", all().len());
    }

    #[test]
    fn every_case_is_documented_and_scripts_build() {
        let ctx = h2probe_harness::case::Ctx::example();
        for c in all() {
            assert!(!c.id.is_empty() && !c.description.is_empty() && !c.requirement.is_empty(), "{}", c.id);
            assert!(c.id.starts_with("rfc9113/") || c.id.starts_with("rfc7541/") || c.id.starts_with("rfc9218/") || c.id.starts_with("rfc8441/"), "{}", c.id);
            let prefix = c.id.split('/').nth(1).unwrap_or_default();
            assert!(c.section.ends_with(&format!("§{prefix}")), "{}: section {} does not match the id", c.id, c.section);
            // Building the script against an example context must not panic.
            let _ = (c.script)(&ctx);
        }
    }
}
