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
    if args.requirements {
        return requirements(args.format);
    }
    let all = if args.client { h2probe_cases::client() } else { h2probe_cases::all() };
    let command = if args.client { "h2probe client" } else { "h2probe conform" };
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
                    ": what `{command}` runs; `h2probe list{} --all` adds {} (SHOULD-level, RFC 7540-only, floods)",
                    if args.client { " --client" } else { "" },
                    all.len() - cases.len()
                )
            });
            // On a terminal, long descriptions wrap at a word, under their own column; into a
            // pipe every case stays on one line, for grep.
            let width = console::Term::stdout().size_checked().map(|(_, cols)| cols as usize);
            render(&cases, note.as_deref().unwrap_or_default(), width)
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `list --requirements`: the map as Markdown, or as JSON.
fn requirements(format: ListFormat) -> Result<ExitCode, UsageError> {
    let reqs = h2probe_cases::requirements::all().map_err(|e| UsageError(e.to_string()))?;
    let text = match format {
        ListFormat::Text => h2probe_cases::requirements::markdown(&reqs),
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = reqs
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "section": r.section, "level": r.level, "binds": r.binds, "text": r.text,
                        "cases": r.cases, "checks": r.checks, "unobservable": r.unobservable, "client_mode": r.client_mode,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).map_err(|e| UsageError(e.to_string()))? + "\n"
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The text form: for each section `RFC 9113 §6.5.3  Settings Synchronization`, then its
/// cases, one per line: id (padded to the section's longest), description, h2spec id, level.
/// `note` is appended to the closing count line; `width`, when given, is the terminal's.
pub fn render(cases: &[&Case], note: &str, width: Option<usize>) -> String {
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
        let id_width = group.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in group {
            let alias = c.h2spec.map(|a| format!(" (h2spec {a})")).unwrap_or_default();
            let level = if c.level == Level::Should { " [SHOULD]" } else { "" };
            let text = format!("{}{alias}{level}", c.description);
            out.push_str(&line(c.id, id_width, &text, width));
        }
        out.push('\n');
    }
    let n = cases.len();
    if let Some(w) = width {
        let count = format!("{n} case{}{note}", if n == 1 { "" } else { "s" });
        out.extend(textwrap::wrap(&count, w).iter().map(|l| format!("{l}\n")));
        return out;
    }
    out.push_str(&format!("{n} case{}{note}\n", if n == 1 { "" } else { "s" }));
    out
}

/// One case: `  id  description`, the description wrapped under its column when a terminal
/// width is given (or under a four-space indent when the id column leaves too little room).
fn line(id: &str, id_width: usize, text: &str, width: Option<usize>) -> String {
    let column = 2 + id_width + 2;
    let Some(width) = width.filter(|w| column + text.chars().count() > *w) else {
        return format!("  {id:<id_width$}  {text}\n");
    };
    if width >= column + 30 {
        let indent = " ".repeat(column);
        let opts = textwrap::Options::new(width).initial_indent(&indent).subsequent_indent(&indent);
        let wrapped = textwrap::fill(text, opts);
        format!("  {id:<id_width$}  {}\n", &wrapped[column..])
    } else {
        let opts = textwrap::Options::new(width.max(24)).initial_indent("    ").subsequent_indent("    ");
        format!("  {id}\n{}\n", textwrap::fill(text, opts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_gets_word_wrapped_lines_a_pipe_one_line_per_case() {
        let cases: Vec<&Case> = crate::selection::select(h2probe_cases::all(), &["rfc9113/6.5.3".to_string()], &[], false)
            .expect("selection");
        let piped = render(&cases, "", None);
        assert!(piped.lines().any(|l| l.chars().count() > 80), "the long description stays on one line: {piped}");
        let narrow = render(&cases, "", Some(80));
        assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
        assert!(narrow.contains("\n                                 "), "continued under the description column: {narrow}");
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&piped), words(&narrow), "the same words, wrapped only at spaces");
    }
}
