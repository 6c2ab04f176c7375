//! A self-contained HTML report, for a vendor to read and to link to.
//!
//! From the top: what ran against what and when (target, date, version, mode, the server's
//! name, TLS session and SETTINGS); the counts of each class; what needs attention (failures,
//! errors, unexpected passes, known failures), each linked to its row; a filter by verdict
//! and a search box; then the cases by RFC section, each section linked to its text on
//! rfc-editor.org and each case a row with an anchor of its own (`#rfc9113/6.5/ack`); then
//! the passive checks of the server's own output, a failed one linked to the case where the
//! server first broke the rule. Every verdict shows its class and the RFC sentence that
//! decided it. Transcripts wrap instead of widening the page, and below 700 px the rows
//! stack.
//!
//! The filter and search are a small inline script; without JavaScript the controls stay
//! hidden and every row is shown, so the page reads the same with it off. All text is
//! escaped (control characters first, see [`crate::escape`]).

use crate::escape::{clean, clean_line};
use crate::{duration_us, first_seen, verdict_label, group_counts, is_passive, rfc_url, section_slug, transcript_lines};
use h2probe_harness::model::{CaseResult, Citation, Direction, Outcome, RunReport, Verdict};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values, after making control
/// characters visible (a page should not carry a server's `\x1b` or NUL either).
pub fn escape(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// [`escape`] of one line: a newline in it is shown as `\n`.
fn esc1(s: &str) -> String {
    escape(&clean_line(s))
}

/// The compatibility matrix's style (see `matrix.rs`).
pub(crate) const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}\
.pass{color:#17702b}.alternative{color:#17702b}.lenient{color:#a06000}.fail{color:#b00020;font-weight:bold}.skip{color:#777}.error{color:#b00020}\
.known{color:#a06000}pre{background:#f6f6f6;padding:.5em;overflow:auto;font-size:12px}code{font-size:12px}";

/// The report's style: readable at 390 px and at 1400 px; nothing may widen the page.
const REPORT_STYLE: &str = r#"
*{box-sizing:border-box}
[hidden]{display:none!important}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fff;margin:0 auto;max-width:1280px;padding:1rem 1.25rem 3rem}
a{color:#0b57d0}
h1{font-size:1.45rem;margin:.2rem 0 .6rem}
h1 code{font-size:1.2rem;overflow-wrap:anywhere}
h2{font-size:1.12rem;margin:1.8rem 0 .4rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}
h2 .counts{font-size:.85rem;font-weight:normal;color:#555}
h2 .anchor{font-size:.85rem;color:#888;text-decoration:none}
h3{font-size:1rem;margin:1rem 0 .3rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{font-size:.88em;overflow-wrap:anywhere}
dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem 1rem;margin:.4rem 0 1rem;font-size:.92rem}
dl.meta dt{color:#555}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:.35rem;margin:.6rem 0;padding:0;list-style:none}
.chips li{border-radius:1rem;padding:.1rem .65rem;font-size:.9rem;border:1px solid #ccc;background:#fafafa}
.chips li.b-fail{border-color:#b00020}
.chips b{font-variant-numeric:tabular-nums}
.attention{border:1px solid #e7c1c7;background:#fff7f8;border-radius:.5rem;padding:.4rem 1rem .7rem;margin:1rem 0}
.attention.ok{border-color:#bfe0c6;background:#f5fbf6}
.attention h2:first-child{margin-top:.5rem}
.attention ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
.attention li{margin:.25rem 0;overflow-wrap:anywhere}
.attention .why{color:#444;font-size:.9rem;margin-left:.4rem}
form.filter{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 0;margin:1rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
form.filter fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}
form.filter legend{float:left;margin-right:.5rem;font-weight:600}
form.filter label{white-space:nowrap;font-size:.92rem}
form.filter input[type=search]{flex:1 1 16rem;min-width:0;font:inherit;padding:.3rem .5rem;border:1px solid #bbb;border-radius:.3rem}
form.filter output{font-size:.85rem;color:#555}
table{border-collapse:collapse;width:100%;table-layout:fixed}
col.c-case{width:36%}col.c-verdict{width:10.5rem}
th{text-align:left;font-size:.8rem;color:#555;font-weight:600;border-bottom:2px solid #ddd;padding:.3rem .5rem}
td{vertical-align:top;border-bottom:1px solid #e6e6e6;padding:.45rem .5rem;overflow-wrap:anywhere;min-width:0}
tr:target td{background:#fff8d6}
td.case a.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88rem;text-decoration:none;color:#1d1d1f;font-weight:600}
td.case a.id:hover{text-decoration:underline}
td.case .desc{color:#555;font-size:.9rem;margin-top:.15rem}
.badge{display:inline-block;border-radius:.3rem;padding:.05rem .45rem;font-size:.85rem;font-weight:600}
.b-pass{background:#e3f4e6;color:#145c25}.b-alternative{background:#dff1f1;color:#0f5757}.b-lenient{background:#fff0cc;color:#6b4700}
.badge.b-fail,.chips li.b-fail{background:#b00020;color:#fff}.b-fail{color:#b00020}.b-known{background:#fde6c8;color:#7a3d00}.b-unexpected{background:#efe0ff;color:#4b1d80}
.b-skip{background:#eee;color:#555}.b-error{background:#fbe0e0;color:#8a0015}
td.verdict .time{display:block;color:#777;font-size:.78rem;margin-top:.2rem;font-variant-numeric:tabular-nums}
.observed{margin:0 0 .2rem}
details{margin:.15rem 0}
summary{cursor:pointer;color:#0b57d0;font-size:.9rem}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem .8rem;margin:.4rem 0;font-size:.9rem}
dl.facts dt{color:#555}
dl.facts dd{margin:0;overflow-wrap:anywhere}
blockquote{margin:.1rem 0;padding:.1rem .6rem;border-left:3px solid #c9d4e6;color:#333}
pre{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;background:#f6f7f9;border:1px solid #e4e6ea;border-radius:.3rem;padding:.5rem .6rem;font-size:12px;line-height:1.4;margin:.3rem 0;max-width:100%}
pre.tr span{display:block;padding-left:12ch;text-indent:-12ch}
pre.tr span.r{color:#6b1020}
footer{margin-top:2.5rem;color:#666;font-size:.85rem}
@media (max-width:700px){
 body{padding:.75rem .75rem 2rem;font-size:14.5px}
 form.filter{position:static}
 table,tbody,tr,td{display:block;width:100%}
 thead,colgroup{display:none}
 tr{border-bottom:1px solid #ddd;padding:.5rem 0}
 td{border:0;padding:.15rem 0}
 dl.facts{grid-template-columns:minmax(0,1fr)}
 dl.facts dt{margin-top:.3rem}
 .attention{padding:.3rem .7rem .5rem}
 .attention ul{padding-left:1rem}
 .attention .why{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;margin-left:0}
 pre.tr span{padding-left:4ch;text-indent:-4ch}
 td.verdict .time{display:inline;margin-left:.5rem}
}
"#;

/// Filter by verdict and search, on the rows' `data-v` and text. The controls start
/// `hidden`, so without JavaScript they do not show and every row does.
const SCRIPT: &str = r#"(function(){
var f=document.getElementById('filter');if(!f)return;f.hidden=false;
var boxes=[].slice.call(f.querySelectorAll('input[type=checkbox]')),q=document.getElementById('q'),out=document.getElementById('shown');
var rows=[].slice.call(document.querySelectorAll('tr.case')),groups=[].slice.call(document.querySelectorAll('section.group'));
function apply(){var on={};boxes.forEach(function(b){on[b.value]=b.checked;});var s=q.value.trim().toLowerCase(),n=0;
rows.forEach(function(r){var show=on[r.getAttribute('data-v')]&&(!s||r.textContent.toLowerCase().indexOf(s)>=0);r.hidden=!show;if(show)n++;});
groups.forEach(function(g){g.hidden=!g.querySelector('tr.case:not([hidden])');});
out.textContent=n+' of '+rows.length+' shown';}
function reveal(){var id=decodeURIComponent(location.hash.slice(1)),t=id&&document.getElementById(id);
if(t&&(t.hidden||t.closest('[hidden]'))){boxes.forEach(function(b){b.checked=true;});q.value='';apply();t.scrollIntoView();}}
boxes.forEach(function(b){b.addEventListener('change',apply);});q.addEventListener('input',apply);
f.addEventListener('submit',function(e){e.preventDefault();});window.addEventListener('hashchange',reveal);apply();
})();"#;

/// The verdict classes a row can be filtered by: the judge's six, with known failures and
/// unexpected passes apart (what `--expect` did to them is what a reader filters for).
const FILTERS: [(&str, &str); 8] = [
    ("fail", "fail"),
    ("error", "error"),
    ("unexpected", "unexpected pass"),
    ("known", "known failure"),
    ("lenient", "lenient"),
    ("alternative", "pass (alternative)"),
    ("pass", "pass"),
    ("skip", "skip"),
];

/// The filter key and the label of a result's row.
fn row_class(r: &CaseResult) -> (&'static str, String) {
    match r.outcome() {
        Outcome::Failed => ("fail", "fail".into()),
        Outcome::ExpectedFailure => ("known", "known failure".into()),
        Outcome::UnexpectedPass => ("unexpected", "unexpected pass".into()),
        Outcome::Skipped => ("skip", "skip".into()),
        Outcome::Errored => ("error", "error".into()),
        Outcome::Passed => match r.verdict {
            Verdict::Alternative { .. } => ("alternative", "pass (alternative)".into()),
            Verdict::Lenient { .. } => ("lenient", "lenient".into()),
            _ => ("pass", "pass".into()),
        },
    }
}

/// Renders the report as one HTML page.
pub fn render(report: &RunReport) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.results.len() * 2048);
    let target = esc1(&report.target);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>h2probe: {target}</title><style>{REPORT_STYLE}</style></head><body>\n\
         <header><h1>h2probe conformance report: <code>{target}</code></h1>\n"
    );
    meta(&mut out, report);
    chips(&mut out, report);
    out.push_str("</header>\n");
    attention(&mut out, report);
    filter_form(&mut out, report);
    out.push_str("<main>\n");
    for (section, results) in report.by_section() {
        let results: Vec<&CaseResult> = results.into_iter().filter(|r| !is_passive(r)).collect();
        if results.is_empty() {
            continue;
        }
        let slug = section_slug(section);
        let heading = section_link(section);
        let _ = writeln!(
            out,
            "<section class=\"group\" id=\"{id}\"><h2>{heading} <span class=\"counts\">{counts}</span> <a class=\"anchor\" href=\"#{id}\" aria-label=\"link to this section\">#</a></h2>",
            id = esc1(&slug),
            counts = escape(&group_counts(&results)),
        );
        table(&mut out, report, &results);
        out.push_str("</section>\n");
    }
    let passive: Vec<&CaseResult> = report.results.iter().filter(|r| is_passive(r)).collect();
    if !passive.is_empty() {
        let _ = write!(
            out,
            "<section class=\"group\" id=\"server-output\"><h2>Server output <span class=\"counts\">{}</span> <a class=\"anchor\" href=\"#server-output\" aria-label=\"link to this section\">#</a></h2>\n\
             <p>Passive checks of everything the server sent on every connection of the run (frame format, SETTINGS, stream states, flow control, GOAWAY, responses, HPACK). A failed one names the case whose connection first broke the rule, with that case's transcript.</p>\n",
            escape(&group_counts(&passive))
        );
        table(&mut out, report, &passive);
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer>Generated by h2probe {}{}. Verdicts: <b>pass</b>: the reaction the case names; <b>pass (alternative)</b>: another reaction the RFC allows, named; \
         <b>lenient</b>: only a SHOULD missed, or a reading the RFC leaves open (fails under <code>--strict</code>); <b>fail</b>: the server contradicted the RFC; \
         <b>skip</b>: a precondition was missing; <b>error</b>: h2probe could not run the case.</footer>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc1(&report.tool_version),
        report.tool_commit.as_deref().map(|c| format!(" ({})", esc1(c))).unwrap_or_default(),
    );
    out
}

fn meta(out: &mut String, report: &RunReport) {
    out.push_str("<dl class=\"meta\">");
    let mut row = |k: &str, v: String| {
        let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("target", format!("<code>{}</code>", esc1(&report.target)));
    if let Some(t) = &report.started_at {
        row("run", format!("<time datetime=\"{t}\">{t}</time>, {:.2} s", report.duration_ms as f64 / 1000.0, t = esc1(t)));
    } else {
        row("run", format!("{:.2} s", report.duration_ms as f64 / 1000.0));
    }
    let commit = report.tool_commit.as_deref().map(|c| format!(" ({})", esc1(c))).unwrap_or_default();
    row("h2probe", format!("{}{commit}", esc1(&report.tool_version)));
    row(
        "mode",
        if report.strict {
            "strict: SHOULD-level cases run, lenient answers fail".to_string()
        } else {
            "default: MUST-level cases, lenient answers pass".to_string()
        },
    );
    if let Some(s) = &report.server {
        row("server says", format!("<code>{}</code>", esc1(s)));
    }
    if let Some(t) = &report.tls {
        row("TLS", esc1(t));
    }
    if !report.server_settings.is_empty() {
        let list: Vec<String> =
            report.server_settings.iter().map(|s| format!("<code>{}={}</code>", esc1(&s.name), s.value)).collect();
        row("server SETTINGS", list.join(" "));
    }
    out.push_str("</dl>\n");
}

fn chips(out: &mut String, report: &RunReport) {
    let s = report.summary();
    out.push_str("<ul class=\"chips\" aria-label=\"counts\">");
    for (n, label, key) in [
        (s.passed, "pass", "pass"),
        (s.alternative, "pass (alternative)", "alternative"),
        (s.lenient, "lenient", "lenient"),
        (s.failed, "fail", "fail"),
        (s.skipped, "skip", "skip"),
        (s.errors, "error", "error"),
        (s.expected_failures, "known failures", "known"),
        (s.unexpected_passes, "unexpected passes", "unexpected"),
    ] {
        let _ = write!(out, "<li class=\"b-{key}\"><b>{n}</b> {label}</li>");
    }
    let _ = writeln!(out, "<li><b>{}</b> in all</li></ul>", s.total);
}

/// Failures first: every result that needs a look, linked to its row.
fn attention(out: &mut String, report: &RunReport) {
    let pick = |o: Outcome| report.results.iter().filter(move |r| r.outcome() == o).collect::<Vec<_>>();
    let lists = [
        ("Failures", pick(Outcome::Failed)),
        ("Errors (h2probe could not run these)", pick(Outcome::Errored)),
        ("Unexpected passes (listed as known failures: update the expectations file)", pick(Outcome::UnexpectedPass)),
        ("Known failures (listed with --expect)", pick(Outcome::ExpectedFailure)),
    ];
    if lists.iter().all(|(_, l)| l.is_empty()) {
        out.push_str("<section class=\"attention ok\"><h2>No failures</h2><p>Nothing failed and nothing errored.</p></section>\n");
        return;
    }
    out.push_str("<section class=\"attention\" id=\"attention\">");
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{} ({})</h2><ul>", escape(title), list.len());
        for r in list {
            let why = match (&r.verdict, r.outcome()) {
                (_, Outcome::ExpectedFailure) => format!("known: {}", r.known_failure.as_deref().unwrap_or_default()),
                (Verdict::Fail { expected, actual, .. }, _) => format!("expected {expected}; got {actual}"),
                (Verdict::Error { problem }, _) => problem.clone(),
                (v, _) => format!("{}: {}", v.class().display(), v.observed()),
            };
            let _ = write!(
                out,
                "<li><a href=\"#{id}\"><code>{id}</code></a> <span class=\"why\">{}</span></li>",
                esc1(&why),
                id = esc1(&r.info.id)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

fn filter_form(out: &mut String, report: &RunReport) {
    out.push_str("<form class=\"filter\" id=\"filter\" hidden><fieldset><legend>Show</legend>");
    for (key, label) in FILTERS {
        let n = report.results.iter().filter(|r| row_class(r).0 == key).count();
        let _ = write!(out, "<label><input type=\"checkbox\" value=\"{key}\" checked> {label} ({n})</label>");
    }
    out.push_str(
        "</fieldset><input type=\"search\" id=\"q\" placeholder=\"Search ids, descriptions, observed text, transcripts\" aria-label=\"search\">\
         <output id=\"shown\"></output></form>\n",
    );
}

fn table(out: &mut String, report: &RunReport, results: &[&CaseResult]) {
    out.push_str(
        "<table><colgroup><col class=\"c-case\"><col class=\"c-verdict\"><col></colgroup>\
         <thead><tr><th>case</th><th>verdict</th><th>observed and details</th></tr></thead><tbody>\n",
    );
    for r in results {
        row(out, report, r);
    }
    out.push_str("</tbody></table>\n");
}

fn row(out: &mut String, report: &RunReport, r: &CaseResult) {
    let (key, label) = row_class(r);
    let id = esc1(&r.info.id);
    let us = duration_us(r);
    let time = if us >= 1000 { format!("{:.1} ms", us as f64 / 1000.0) } else { format!("{us} µs") };
    let _ = write!(
        out,
        "<tr class=\"case\" id=\"{id}\" data-v=\"{key}\"><td class=\"case\"><a class=\"id\" href=\"#{id}\">{id}</a><div class=\"desc\">{}{}</div></td>\
         <td class=\"verdict\"><span class=\"badge b-{key}\">{}</span>{}</td><td class=\"details\">",
        // Passive checks are grouped apart from their sections: say which, linked.
        if is_passive(r) { format!("{} · ", section_link(&r.info.section)) } else { String::new() },
        esc1(&r.info.description),
        escape(&label),
        if is_passive(r) { String::new() } else { format!("<span class=\"time\">{time}</span>") },
    );
    let observed = match &r.verdict {
        Verdict::Fail { actual, .. } => format!("<b>got</b> {}", esc1(actual)),
        Verdict::Skip { reason } => format!("<b>skipped:</b> {}", esc1(reason)),
        Verdict::Error { problem } => format!("<b>error:</b> {}", esc1(problem)),
        v => esc1(v.observed()),
    };
    let _ = write!(out, "<p class=\"observed\">{observed}</p>");
    let open = if r.outcome() == Outcome::Failed { " open" } else { "" };
    let _ = write!(out, "<details{open}><summary>{}</summary><dl class=\"facts\">", if r.transcript.is_empty() && first_seen(report, r).is_none() { "details" } else { "details and transcript" });
    facts(out, report, r);
    out.push_str("</dl>");
    match first_seen(report, r) {
        Some((case, _)) => {
            let _ = write!(out, "<div>transcript of <a href=\"#{id}\"><code>{id}</code></a>:</div>{}", transcript(case), id = esc1(&case.info.id));
        }
        None if r.transcript.is_empty() => {}
        None => out.push_str(&transcript(r)),
    }
    out.push_str("</details></td></tr>\n");
}

fn facts(out: &mut String, report: &RunReport, r: &CaseResult) {
    let mut fact = |k: &str, v: String| {
        let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
    };
    fact("verdict", escape(&verdict_label(r)));
    match &r.verdict {
        Verdict::Pass { observed, .. } => fact("observed", esc1(observed)),
        Verdict::Alternative { observed, alternative, .. } => {
            fact("observed", esc1(observed));
            fact("alternative", format!("{} (a pass: the RFC allows it)", esc1(alternative)));
        }
        Verdict::Lenient { observed, strict_expected, .. } => {
            fact("observed", esc1(observed));
            fact("lenient", format!("accepted without <code>--strict</code>, which requires {}", esc1(strict_expected)));
        }
        Verdict::Fail { expected, actual, .. } => {
            fact("expected", esc1(expected));
            fact("actual", esc1(actual));
        }
        Verdict::Skip { reason } => fact("skipped", esc1(reason)),
        Verdict::Error { problem } => fact("error", esc1(problem)),
    }
    if let Some(h) = &r.harm {
        let mut v = crate::harm_lines(h).iter().map(|l| format!("<div>{}</div>", esc1(l))).collect::<String>();
        for run in &h.runs {
            v.push_str(&harm_plot(run));
        }
        fact("harm", v);
    }
    if let Some(rule) = r.verdict.rule() {
        fact("decided by", citation(rule));
    }
    let requirement = Citation { section: r.info.section.clone(), text: r.info.requirement.clone() };
    if r.verdict.rule() != Some(&requirement) {
        fact("requirement", citation(&requirement));
    }
    if let Some((case, finding)) = first_seen(report, r) {
        fact(
            "first seen",
            format!("in case <a href=\"#{id}\"><code>{id}</code></a>, {} ms into its connection: {}", finding.at_ms, esc1(&finding.detail), id = esc1(&case.info.id)),
        );
    }
    if let Some(k) = &r.known_failure {
        fact("known failure", esc1(k));
    }
    for f in &r.server_output {
        fact(
            "server output",
            format!("broke <a href=\"#{c}\"><code>{c}</code></a> at {} ms: {}", f.at_ms, esc1(&f.detail), c = esc1(&f.check)),
        );
    }
    let mut about = vec![format!("{:?}", r.info.level).to_uppercase()];
    if let Some(h) = &r.info.h2spec {
        about.push(format!("h2spec {}", esc1(h)));
    }
    if !r.info.aliases.is_empty() {
        about.push(format!("also {}", r.info.aliases.iter().map(|a| esc1(a)).collect::<Vec<_>>().join(", ")));
    }
    if !r.info.tags.is_empty() {
        about.push(format!("tags {}", r.info.tags.iter().map(|a| esc1(a)).collect::<Vec<_>>().join(", ")));
    }
    fact("case", about.join(" · "));
    if !is_passive(r) {
        fact("decided on", escape(r.decided_by.label()));
    }
}

/// A small plot of one attack run: the server's RSS (line, left scale) and the canaries'
/// latency (dots; a cross at the top for one unanswered) over time, the attack shaded.
fn harm_plot(run: &h2probe_harness::harm::HarmRun) -> String {
    let (w, h) = (360.0_f64, 110.0_f64);
    let end = run.rss.iter().chain(&run.canary_points).map(|p| p.t_ms).max().unwrap_or(1).max(1) as f64;
    let x = |t: u32| 30.0 + f64::from(t) / end * (w - 40.0);
    let rss: Vec<u64> = run.rss.iter().filter_map(|p| p.v).collect();
    let (lo, hi) = (rss.iter().min().copied().unwrap_or(0) as f64, rss.iter().max().copied().unwrap_or(1) as f64);
    let ry = |v: u64| 10.0 + (h - 20.0) * (1.0 - (v as f64 - lo) / (hi - lo).max(1.0));
    let lat_max = run.canary_points.iter().filter_map(|p| p.v).max().unwrap_or(1).max(1) as f64;
    let ly = |us: u64| 10.0 + (h - 20.0) * (1.0 - us as f64 / lat_max);
    let mut svg = format!(
        "<svg class=\"harm\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"RSS and canary latency over time, N={n}\">\
         <rect x=\"{ax:.1}\" y=\"5\" width=\"{aw:.1}\" height=\"{ah:.1}\" fill=\"#fde2e2\"/>",
        n = run.size,
        ax = x(run.attack_ms.0),
        aw = (x(run.attack_ms.1) - x(run.attack_ms.0)).max(1.0),
        ah = h - 10.0
    );
    let points: Vec<String> = run.rss.iter().filter_map(|p| Some(format!("{:.1},{:.1}", x(p.t_ms), ry(p.v?)))).collect();
    if !points.is_empty() {
        let _ = write!(svg, "<polyline fill=\"none\" stroke=\"#2456a6\" stroke-width=\"1.5\" points=\"{}\"/>", points.join(" "));
    }
    for p in &run.canary_points {
        match p.v {
            Some(us) => {
                let _ = write!(svg, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.6\" fill=\"#c77800\"/>", x(p.t_ms), ly(us));
            }
            None => {
                let _ = write!(svg, "<text x=\"{:.1}\" y=\"12\" font-size=\"9\" fill=\"#b00\">×</text>", x(p.t_ms));
            }
        }
    }
    let _ = write!(
        svg,
        "<text x=\"2\" y=\"12\" font-size=\"8\" fill=\"#2456a6\">{}</text><text x=\"2\" y=\"{:.0}\" font-size=\"8\" fill=\"#2456a6\">{}</text>\
         <text x=\"{:.0}\" y=\"{:.0}\" font-size=\"8\" fill=\"#c77800\">canary ≤ {}</text></svg>",
        escape(&h2probe_harness::harm::kib(hi as u64)),
        h - 2.0,
        escape(&h2probe_harness::harm::kib(lo as u64)),
        w - 110.0,
        h - 2.0,
        escape(&h2probe_harness::resilience::millis(lat_max as u64))
    );
    svg
}

/// The transcript, one block per line so a wrapped line hangs under its text, not its
/// timestamp; what the server sent in a colour of its own.
fn transcript(r: &CaseResult) -> String {
    let mut out = String::from("<pre class=\"tr\">");
    for (dir, line) in transcript_lines(r) {
        let class = if dir == Direction::Received { " class=\"r\"" } else { "" };
        let _ = write!(out, "<span{class}>{}</span>", escape(&line));
    }
    out.push_str("</pre>");
    out
}

/// An RFC sentence, quoted, with its section linked to rfc-editor.org.
fn citation(c: &Citation) -> String {
    format!("{}<blockquote>{}</blockquote>", section_link(&c.section), escape(&c.text))
}

/// `RFC 9113 §6.5`, linked to the section on rfc-editor.org where it names one.
fn section_link(section: &str) -> String {
    match rfc_url(section) {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(&url), esc1(section)),
        None => esc1(section),
    }
}
