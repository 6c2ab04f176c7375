//! The seed corpus: the catalogue's case scripts, and a few built-in inputs.
//!
//! The harness cannot depend on the catalogue (its arrows point down), so the CLI turns
//! each case's `Send` steps into a [`Seed`] with [`Seed::from_outgoing`] and passes them in.
//! Every case was written to reach one rule of the RFC, which makes them the best starting
//! points a mutator can have. The built-in seeds keep a campaign meaningful without them
//! (the library's own tests, `--no-seeds` aside).

use super::generate::{request, Context};
use super::input::{Input, Unit};
use crate::conn::Outgoing;
use h2probe_codec::{frames, ErrorCode};

/// A named starting input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Where it comes from: a case id, or `builtin/…`.
    pub name: String,
    /// The input.
    pub input: Input,
}

impl Seed {
    /// A seed from what a script sends (its `Send` steps, concatenated).
    pub fn from_outgoing(name: impl Into<String>, outs: &[Outgoing]) -> Seed {
        Seed { name: name.into(), input: Input::new(outs.iter().map(Unit::from_outgoing).collect()).bounded() }
    }
}

/// A handful of ordinary exchanges: a GET, a POST with its body, the control frames.
pub fn builtin(cx: &Context) -> Vec<Seed> {
    let f = |f: h2probe_codec::frame::Frame| Unit::Frame(f);
    let seeds = vec![
        ("builtin/get", vec![f(request(cx, 1, "GET").end_stream().build())]),
        (
            "builtin/post",
            vec![
                f(request(cx, 1, "POST").set("content-length", "4").build()),
                f(frames::data(1, b"ping".to_vec()).end_stream().build()),
            ],
        ),
        (
            "builtin/two-streams",
            vec![
                f(request(cx, 1, "GET").end_stream().build()),
                f(request(cx, 3, "POST").set("content-length", "2").build()),
                f(frames::window_update(0, 1024)),
                f(frames::data(3, b"ok".to_vec()).end_stream().build()),
            ],
        ),
        (
            "builtin/control",
            vec![
                f(frames::settings().set(h2probe_codec::SettingId::INITIAL_WINDOW_SIZE, 65_535).build()),
                f(frames::ping(*b"h2pseed!").build()),
                f(frames::priority(3, 1, 15).build()),
                f(frames::window_update(0, 1)),
            ],
        ),
        (
            "builtin/reset",
            vec![f(request(cx, 1, "GET").build()), f(frames::rst_stream(1, ErrorCode::CANCEL))],
        ),
    ];
    seeds.into_iter().map(|(name, units)| Seed { name: name.into(), input: Input::new(units).bounded() }).collect()
}
