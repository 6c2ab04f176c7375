//! The compatibility matrix: cases × servers, as Markdown or HTML.
//!
//! The Markdown is meant to be committed and diffed by CI, so it holds only what a rerun
//! reproduces exactly: verdicts, counts and URLs — no times, dates, versions or observed
//! text (a GOAWAY's debug data may change between runs without the verdict changing). The
//! HTML is for people: it adds the server's own name for itself, and every cell carries the
//! details of its verdict (hover for observed/expected, failures open to their transcript).

use crate::html::{escape, STYLE};
use crate::{failure_text, transcript_text};
use h2probe_harness::model::{CaseResult, Class, RunReport, Verdict};
use std::collections::{BTreeMap, HashSet};

/// One server's column.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The name the targets file gives it, e.g. `nginx tls`.
    pub name: &'a str,
    /// What the server says it is (its `server` response header), when it says; HTML only,
    /// because a package update changes it without changing any verdict.
    pub server: Option<&'a str>,
    /// Its run.
    pub report: &'a RunReport,
    /// The cases whose golden verdict is a set the peer's own race chooses from
    /// ([`crate::golden::races`]): such a cell shows the least favourable of the set when this
    /// run saw one of them, so the committed matrix does not depend on the machine's timing.
    pub races: Option<&'a BTreeMap<String, Vec<Class>>>,
}

impl Column<'_> {
    /// The class a cell shows: the verdict's, or for a race the least favourable of its set.
    pub fn shown(&self, r: &CaseResult) -> Class {
        let seen = r.verdict.class();
        match self.races.and_then(|m| m.get(&r.info.id)) {
            Some(set) if set.contains(&seen) => set.iter().copied().max().unwrap_or(seen),
            _ => seen,
        }
    }
}

/// The matrix's word for a verdict; upper-case FAIL so failures stand out in a wide table.
pub fn cell_label(c: Class) -> &'static str {
    match c {
        Class::Fail => "FAIL",
        Class::Alternative => "alt",
        other => other.label(),
    }
}

fn find<'r>(report: &'r RunReport, id: &str) -> Option<&'r CaseResult> {
    report.results.iter().find(|r| r.info.id == id)
}

/// Every case id of every column, in catalogue order (the first column's order, then any
/// id only a later column ran).
fn rows<'r>(cols: &[Column<'r>]) -> Vec<&'r CaseResult> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in cols {
        for r in &c.report.results {
            if seen.insert(r.info.id.as_str()) {
                out.push(r);
            }
        }
    }
    out
}

/// Whose matrix it is: the words of the page follow. The server matrix's text is unchanged
/// by the client one, so its committed file does not move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peers {
    /// `h2probe conform` against servers.
    Servers,
    /// `h2probe client` against clients.
    Clients,
}

impl Peers {
    /// `server` or `client`.
    pub fn noun(self) -> &'static str {
        match self {
            Peers::Servers => "server",
            Peers::Clients => "client",
        }
    }
    fn heading(self) -> &'static str {
        match self {
            Peers::Servers => "Servers",
            Peers::Clients => "Clients",
        }
    }
    fn scope(self) -> &'static str {
        match self {
            Peers::Servers => "cases (RFC 9113, RFC 7541 and the extensions RFC 8441 and RFC 9218)",
            Peers::Clients => "client cases (RFC 9113 and RFC 7541; h2probe is the server)",
        }
    }
    fn place(self) -> &'static str {
        match self {
            Peers::Servers => "URL",
            Peers::Clients => "driven by",
        }
    }
    fn reproduce(self) -> &'static str {
        match self {
            Peers::Servers => "`h2probe conform <URL> --verbose <case-id>`",
            Peers::Clients => "`h2probe client --exec '<command>' [--tls] --verbose <case-id>`",
        }
    }
    fn verdicts_md(self) -> String {
        let n = self.noun();
        format!(
            "Verdicts: **pass**: the {n} did what the case names; **alt**: pass (alternative), \
another reaction the RFC allows (a generic error code, a connection error for a stream error, {}); **lenient**: acceptable only without `--strict` (a SHOULD missed, e.g. a bare TCP close where the RFC \
asks for GOAWAY, or a reading the RFC leaves open); **FAIL**: the {n} contradicted the RFC; \
**skip**: a precondition was missing (not a failure of the {n}); **error**: h2probe could not run the case.",
            match self {
                Peers::Servers => "a 4xx response to a \
malformed request",
                Peers::Clients => "a malformed response refused by closing the connection",
            }
        )
    }
}

/// Said only where a column has a race, so a matrix without any keeps its text.
fn races_md(cols: &[Column], peers: Peers) -> String {
    if cols.iter().any(|c| c.races.is_some_and(|m| !m.is_empty())) {
        format!(
            " Where the golden file (ci/expectations) allows a set of verdicts because the {}'s own race \
chooses between them (a GOAWAY written but not flushed before the close), the cell shows the least favourable of the set, \
whichever one this machine saw.",
            peers.noun()
        )
    } else {
        String::new()
    }
}

fn mode_line(cols: &[Column]) -> &'static str {
    if cols.iter().any(|c| c.report.strict) {
        "with `--strict` (SHOULD-level cases included; no lenient passes)"
    } else {
        "in the default mode (MUST-level cases; lenient passes allowed)"
    }
}

/// pass, alternative, lenient, fail, skip, error: counted by verdict, so a known failure
/// (`--expect`) still counts as the failure it is.
/// A race counts as the class its cell shows.
pub fn counts(col: &Column) -> [usize; 6] {
    let mut n = [0; 6];
    for r in &col.report.results {
        n[col.shown(r) as usize] += 1;
    }
    n
}

/// The matrix as a Markdown document: a legend, one summary row per server, then one row
/// per case and one column per server. Deterministic for identical verdicts.
pub fn matrix_markdown(cols: &[Column], peers: Peers) -> String {
    let cases = rows(cols);
    let n = peers.noun();
    let mut out = format!(
        "# HTTP/2 {n} compatibility matrix\n\n\
         Generated by `h2probe matrix` (do not edit by hand): {} {} against each \
         {n} below, {}.\n\n{}{} {} prints the reason and \
         the frame transcript behind any cell.\n\n## {}\n\n\
         | {n} | {} | pass | alt | lenient | fail | skip | error |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        cases.len(),
        peers.scope(),
        mode_line(cols),
        peers.verdicts_md(),
        races_md(cols, peers),
        peers.reproduce(),
        peers.heading(),
        peers.place(),
    );
    for c in cols {
        let [p, a, l, f, s, e] = counts(c);
        out.push_str(&format!("| {} | `{}` | {p} | {a} | {l} | {f} | {s} | {e} |\n", md_text(c.name), c.report.target));
    }
    out.push_str("\n## Cases\n\n| case |");
    for c in cols {
        out.push_str(&format!(" {} |", md_text(c.name)));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(cols.len()));
    out.push('\n');
    for r in cases {
        out.push_str(&format!("| `{}` |", r.info.id));
        for c in cols {
            out.push_str(&format!(" {} |", find(c.report, &r.info.id).map(|r| cell_label(c.shown(r))).unwrap_or("")));
        }
        out.push('\n');
    }
    out
}

/// A name inside a Markdown table cell: a `|` would split the cell.
fn md_text(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A cell's tooltip: what the server did, in one or two lines (the row's tooltip holds the
/// requirement, so a page of many servers stays small).
fn verdict_detail(v: &Verdict) -> String {
    match v {
        Verdict::Pass { observed, .. } => format!("observed: {observed}"),
        Verdict::Alternative { observed, alternative, .. } => format!("observed: {observed}\n(pass, alternative: {alternative})"),
        Verdict::Lenient { observed, strict_expected, .. } => format!("observed: {observed}\n(lenient; --strict requires {strict_expected})"),
        Verdict::Fail { expected, actual, .. } => format!("expected: {expected}\nactual: {actual}"),
        Verdict::Skip { reason } => format!("skipped: {reason}"),
        Verdict::Error { problem } => format!("error: {problem}"),
    }
}

const MATRIX_STYLE: &str = ".matrix td,.matrix th{white-space:nowrap;border:1px solid #ddd}\
.matrix thead th{position:sticky;top:0;background:#fff}.matrix td[title]{cursor:help}\
.matrix tr:hover td{background:#f4f8ff}td.num{text-align:right}";

/// The matrix as one self-contained HTML page (no scripts). Hovering a cell shows what was
/// observed, or expected and got; a failure opens to its frame transcript.
pub fn matrix_html(cols: &[Column], peers: Peers) -> String {
    let cases = rows(cols);
    let n = peers.noun();
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>h2probe compatibility matrix</title>\
         <style>{STYLE}{MATRIX_STYLE}</style></head><body><h1>HTTP/2 {n} compatibility matrix</h1>\
         <p>{} {} against each {n}, {}. {}{}</p>\
         <p>Hover over a verdict for what the {n} did; a failure opens to its frame transcript.</p>\
         <h2>{}</h2><table><tr><th>{n}</th><th>says it is</th><th>{}</th><th>pass</th><th>alt</th><th>lenient</th>\
         <th>fail</th><th>skip</th><th>error</th></tr>",
        cases.len(),
        peers.scope(),
        escape(&mode_line(cols).replace('`', "")),
        escape(&peers.verdicts_md().replace("**", "").replace('`', "")),
        escape(&races_md(cols, peers)),
        peers.heading(),
        peers.place(),
    );
    for c in cols {
        let [p, a, l, f, s, e] = counts(c);
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"num\">{p}</td><td class=\"num\">{a}</td><td class=\"num\">{l}</td>\
             <td class=\"num\">{f}</td><td class=\"num\">{s}</td><td class=\"num\">{e}</td></tr>",
            escape(c.name),
            escape(c.server.unwrap_or("")),
            escape(&c.report.target),
        ));
    }
    out.push_str("</table><h2>Cases</h2><table class=\"matrix\"><thead><tr><th>case</th>");
    for c in cols {
        out.push_str(&format!("<th>{}</th>", escape(c.name)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in cases {
        let alias = row.info.h2spec.as_deref().map(|a| format!(" (h2spec {a})")).unwrap_or_default();
        out.push_str(&format!(
            "<tr><td title=\"{}\"><code>{}</code></td>",
            escape(&format!("{}{alias}\n{}", row.info.description, row.info.requirement)),
            escape(&row.info.id)
        ));
        for c in cols {
            match find(c.report, &row.info.id) {
                None => out.push_str("<td></td>"),
                Some(r) => {
                    let shown = c.shown(r);
                    let (cls, label) = (shown.label(), cell_label(shown));
                    let mut detail = verdict_detail(&r.verdict);
                    if shown != r.verdict.class() {
                        detail.push_str(&format!(
                            "\n(shown as {}: the {n}'s own race decides between {} here, and the matrix shows the least favourable)",
                            shown.label(),
                            c.races.and_then(|m| m.get(&r.info.id)).map(|set| set.iter().map(|c| c.label()).collect::<Vec<_>>().join(" and ")).unwrap_or_default()
                        ));
                    }
                    let detail = escape(&detail);
                    if r.verdict.is_fail() {
                        out.push_str(&format!(
                            "<td class=\"{cls}\" title=\"{detail}\"><details><summary>{label}</summary><pre>{}\ntranscript:\n{}</pre></details></td>",
                            escape(&failure_text(r)),
                            escape(&transcript_text(r))
                        ));
                    } else {
                        out.push_str(&format!("<td class=\"{cls}\" title=\"{detail}\">{label}</td>"));
                    }
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></body></html>\n");
    out
}
