//! `h2probe list`: the cases `conform` would run (or a selection, or `--all`), grouped by RFC
//! section under the section's title, sections in RFC order, ids sorted within each.

use crate::cli::{ListArgs, ListFormat};
use crate::{output, sections, selection, UsageError};
use h2probe_harness::case::Case;
use h2probe_harness::model::Level;
use std::process::ExitCode;

/// Lists what `args` selects. Without `--all` this is exactly what `conform` runs for the
/// same selection (MUST-level cases, nothing off by default); `--all` is what `--strict`
/// would add, and with no selection every case of the catalogue.
pub fn run(args: &ListArgs) -> Result<ExitCode, UsageError> {
    let all = h2probe_cases::all();
    let cases: Vec<&Case> = if args.all && args.selection.is_empty() {
        all.iter().collect()
    } else {
        selection::select(all, &args.selection, &[], args.all)?
    };
    let text = match args.format {
        ListFormat::Json => {
            let infos: Vec<_> = cases.iter().map(|c| c.info()).collect();
            serde_json::to_string_pretty(&infos).map_err(|e| UsageError(e.to_string()))? + "\n"
        }
        ListFormat::Text => {
            let note = (!args.all && args.selection.is_empty()).then(|| {
                format!(
                    ": what `h2probe conform` runs; `h2probe list --all` adds {} (SHOULD-level, RFC 7540-only, floods)",
                    all.len() - cases.len()
                )
            });
            render(&cases, note.as_deref().unwrap_or_default())
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The text form: for each section `RFC 9113 §6.5.3  Settings Synchronization`, then its
/// cases, one per line: id (padded to the section's longest), description, h2spec id, level.
/// `note` is appended to the closing count line.
pub fn render(cases: &[&Case], note: &str) -> String {
    let mut groups: Vec<(&str, Vec<&Case>)> = Vec::new();
    for c in cases {
        match groups.iter_mut().find(|(s, _)| *s == c.section) {
            Some((_, v)) => v.push(c),
            None => groups.push((c.section, vec![c])),
        }
    }
    groups.sort_by_key(|(s, _)| sections::sort_key(s));
    let mut out = String::new();
    for (section, mut group) in groups {
        group.sort_by_key(|c| c.id);
        match sections::title(section) {
            Some(title) => out.push_str(&format!("{section}  {title}\n")),
            None => out.push_str(&format!("{section}\n")),
        }
        let width = group.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in group {
            let alias = c.h2spec.map(|a| format!(" (h2spec {a})")).unwrap_or_default();
            let level = if c.level == Level::Should { " [SHOULD]" } else { "" };
            out.push_str(&format!("  {:<width$}  {}{alias}{level}\n", c.id, c.description));
        }
        out.push('\n');
    }
    let n = cases.len();
    out.push_str(&format!("{n} case{}{note}\n", if n == 1 { "" } else { "s" }));
    out
}
