//! Selections as users type them: any case (`RFC9113/3.4` works), and a did-you-mean when
//! nothing matches, over the catalogue's ids, h2spec aliases, tags and section prefixes.

use crate::UsageError;
use h2probe_harness::case::Case;
use h2probe_harness::select;

/// Every case the selection picks (see [`select::select`]), or a one-line error that offers
/// the nearest names.
pub fn select(all: &'static [Case], include: &[String], exclude: &[String], strict: bool) -> Result<Vec<&'static Case>, UsageError> {
    let lower = |v: &[String]| v.iter().map(|s| s.trim().to_ascii_lowercase()).collect::<Vec<_>>();
    select::select(all, &lower(include), &lower(exclude), strict).map_err(|select::UnknownSelector(sel)| {
        match suggestions(all, &sel).as_slice() {
            [] => UsageError(format!("no case matches '{sel}' (try `h2probe list`)")),
            [one] => UsageError(format!("no case matches '{sel}': did you mean '{one}'? (`h2probe list` shows them all)")),
            many => UsageError(format!(
                "no case matches '{sel}': did you mean {}? (`h2probe list` shows them all)",
                many.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(" or ")
            )),
        }
    })
}

/// Up to three names a typo of `sel` most likely meant: ids, aliases, tags and every section
/// prefix of them, within an edit distance that grows with the length.
fn suggestions(all: &[Case], sel: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in all {
        names.push(c.id.to_string());
        names.extend(c.h2spec.map(str::to_string));
        names.extend(c.tags.iter().map(|t| t.to_string()));
        names.extend(c.aliases.iter().map(|a| a.to_string()));
        for name in [Some(c.id), c.h2spec].into_iter().flatten() {
            let mut prefix = String::new();
            for part in name.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                names.push(prefix.clone());
            }
        }
    }
    names.sort();
    names.dedup();
    let limit = (sel.chars().count() / 4).clamp(1, 4);
    let mut scored: Vec<(usize, String)> =
        names.into_iter().map(|n| (strsim::levenshtein(sel, &n), n)).filter(|(d, _)| *d <= limit).collect();
    scored.sort();
    let best = scored.first().map(|(d, _)| *d);
    scored.into_iter().filter(|(d, _)| Some(*d) == best).take(3).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_and_did_you_mean() {
        let all = h2probe_cases::all();
        let upper = select(all, &["RFC9113/3.4".to_string()], &[], false).expect("case-insensitive");
        let lower = select(all, &["rfc9113/3.4".to_string()], &[], false).expect("selection");
        assert_eq!(upper.len(), lower.len());
        let e = select(all, &["rfc9113/3.4/invalid-prefac".to_string()], &[], false).expect_err("typo").0;
        assert_eq!(e, "no case matches 'rfc9113/3.4/invalid-prefac': did you mean 'rfc9113/3.4/invalid-preface'? (`h2probe list` shows them all)");
        let e = select(all, &["no-such-case".to_string()], &[], false).expect_err("nothing near").0;
        assert_eq!(e, "no case matches 'no-such-case' (try `h2probe list`)");
        let e = select(all, &["hpak".to_string()], &[], false).expect_err("tag typo").0;
        assert!(e.contains("'hpack'"), "{e}");
    }
}
