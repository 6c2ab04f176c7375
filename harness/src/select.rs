//! Case selection: ids, id prefixes, tags and h2spec aliases.

use crate::case::{Case, OFF_BY_DEFAULT};
use crate::model::Level;

/// A selector matched no case.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no case matches '{0}' (try `h2probe list`)")]
pub struct UnknownSelector(pub String);

/// True if `sel` names `id` or a section above it: `rfc9113/6.5` matches `rfc9113/6.5/x`
/// and `rfc9113/6.5.2/y` (a subsection), but not `rfc9113/6.50/z`.
fn hier_match(sel: &str, id: &str) -> bool {
    let sel = sel.trim_end_matches('/');
    id == sel
        || id
            .strip_prefix(sel)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
}

fn matches(case: &Case, sel: &str) -> bool {
    hier_match(sel, case.id)
        || case.tags.contains(&sel)
        || case.h2spec.is_some_and(|h| hier_match(sel, h))
        || case.aliases.iter().any(|a| hier_match(sel, a))
}

/// Whether a selector names `case` so directly that its level should not hide it: its
/// exact id; and any flood case, which runs only when selected at all (its tag is off by
/// default) and is SHOULD-level because RFC 9113 §10.5 is.
fn named(case: &Case, include: &[String]) -> bool {
    case.is_flood() || include.iter().any(|s| case.named_by(s))
}

/// Picks the cases to run. With no selectors: every MUST case (and SHOULD cases under
/// `strict`) except those with an off-by-default tag. Named selectors run what they match,
/// off-by-default tags included; a SHOULD case runs without `strict` only when named by
/// its id or when it is a flood case. Excludes apply last. Every selector must match something.
pub fn select<'a>(all: &'a [Case], include: &[String], exclude: &[String], strict: bool) -> Result<Vec<&'a Case>, UnknownSelector> {
    for sel in include.iter().chain(exclude) {
        if !all.iter().any(|c| matches(c, sel)) {
            return Err(UnknownSelector(sel.clone()));
        }
    }
    Ok(all
        .iter()
        .filter(|c| strict || c.level == Level::Must || (!include.is_empty() && named(c, include)))
        .filter(|c| {
            if include.is_empty() {
                !c.tags.iter().any(|t| OFF_BY_DEFAULT.contains(t))
            } else {
                include.iter().any(|s| matches(c, s))
            }
        })
        .filter(|c| !exclude.iter().any(|s| matches(c, s)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::hier_match;

    #[test]
    fn hierarchy() {
        assert!(hier_match("rfc9113/6.5", "rfc9113/6.5/ack-with-payload"));
        assert!(hier_match("rfc9113/6.5", "rfc9113/6.5.2/enable-push"));
        assert!(hier_match("rfc9113/6.5/", "rfc9113/6.5/x"));
        assert!(!hier_match("rfc9113/6.5", "rfc9113/6.50/x"));
        assert!(hier_match("http2/6.5.2/1", "http2/6.5.2/1"));
        assert!(!hier_match("http2/6.5.2/1", "http2/6.5.2/10"));
        assert!(hier_match("http2", "http2/4.1/1"));
        assert!(!hier_match("http", "http2/4.1/1"));
    }
}
