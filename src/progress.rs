//! The progress bar of a run: on stderr, on a terminal only, for runs of 20 cases or more;
//! position, elapsed time, failures so far, the last case done. Cleared at the end and on
//! Ctrl-C.

use h2probe_harness::model::Verdict;
use h2probe_harness::runner::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Columns left free at the right edge. indicatif pads its last line to the terminal's full
/// width, so the echo of a Ctrl-C (`^C`) would wrap onto a new line and the bar, one line
/// up, would stay on screen after it is cleared. Drawing it narrower keeps the echo on it.
const SPARE: u16 = 3;

/// stderr, reported narrower by [`SPARE`] columns.
#[derive(Debug)]
struct Narrower(console::Term);

impl TermLike for Narrower {
    fn width(&self) -> u16 {
        self.0.size().1.saturating_sub(SPARE).max(20)
    }
    fn height(&self) -> u16 {
        self.0.size().0
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The bar and the callback the runner calls per result, or `None` off a terminal.
pub fn bar(n: usize) -> Option<(ProgressBar, Progress)> {
    if !std::io::stderr().is_terminal() || n < 20 {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::term_like(Box::new(Narrower(console::Term::stderr()))));
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
    let b = bar.clone();
    let failed = AtomicUsize::new(0);
    let cb: Progress = Arc::new(move |r| {
        if matches!(r.verdict, Verdict::Fail { .. }) && r.known_failure.is_none() {
            failed.fetch_add(1, Ordering::Relaxed);
        }
        b.inc(1);
        match failed.load(Ordering::Relaxed) {
            0 => b.set_message(r.info.id.clone()),
            f => b.set_message(format!("{f} failed · {}", r.info.id)),
        }
    });
    Some((bar, cb))
}

/// Runs `run` (given the bar's callback) under the bar, for `n` cases: the bar is cleared at
/// the end, and on Ctrl-C the run is dropped, `interrupted` goes to stderr and `None` comes
/// back (no report: a partial one would read as complete). Case tasks still finishing on
/// other threads must not draw the bar again, so it is hidden as well as cleared.
pub async fn run_under_bar<F, Fut, T>(n: usize, interrupted: &str, run: F) -> Option<T>
where
    F: FnOnce(Option<Progress>) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let progress = bar(n);
    let running = run(progress.as_ref().map(|(_, p)| p.clone()));
    let out = tokio::select! {
        out = running => Some(out),
        _ = tokio::signal::ctrl_c() => None,
    };
    if let Some((bar, _)) = progress {
        bar.finish_and_clear();
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if out.is_none() {
        crate::output::stderr(interrupted);
    }
    out
}
