//! Declarative cases: identity, RFC citation, and a script of frames with an expectation.

use crate::conn::{Outgoing, ServerSettings};
use crate::expectation::Expectation;
use crate::model::{CaseInfo, Level};
use crate::resilience::FloodLimits;
use h2probe_codec::frames::{self, HeadersBuilder};
use h2probe_codec::SettingId;
use std::time::Duration;

/// One conformance case. Everything but `script` is data, so `h2probe list` can print the
/// catalogue without a server.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Stable id named after the RFC section, never a position: `rfc9113/6.7/nonzero-stream`.
    pub id: &'static str,
    /// RFC and section, e.g. `RFC 9113 §6.7`.
    pub section: &'static str,
    /// The h2spec id this case replaces.
    pub h2spec: Option<&'static str>,
    /// Other names of the case: ids of cases merged into it and their h2spec ids. They
    /// select the case as its id does.
    pub aliases: &'static [&'static str],
    /// MUST or SHOULD; SHOULD-level cases run only under `--strict`.
    pub level: Level,
    /// What the case sends, in one line.
    pub description: &'static str,
    /// The requirement, quoted from the RFC.
    pub requirement: &'static str,
    /// Selection tags. Cases tagged [`OFF_BY_DEFAULT`] run only when selected explicitly.
    pub tags: &'static [&'static str],
    /// How the connection is opened before the script runs.
    pub setup: Setup,
    /// Builds the frames and the expectation once the server's SETTINGS are known;
    /// `Err` is a skip with its reason (a missing precondition).
    pub script: fn(&Ctx) -> Result<Script, String>,
    /// The reaction rows that prove the expectation: the canonical reaction, the
    /// alternatives the RFC allows, and forbidden reactions (ignoring the violation among
    /// them), each with the verdict it must get against [`crate::scripted`]. Groups of rows
    /// so shared sets can be named once.
    pub reactions: &'static [&'static [crate::reaction::Row]],
    /// Which peer the case tests: a server (h2probe plays the client), or a client driven
    /// to make a request of h2probe playing the server.
    pub peer: Peer,
}

/// The peer under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// A server: h2probe connects and sends the script.
    Server,
    /// A client: h2probe listens, the client makes the request `action` names, and the
    /// script answers it.
    Client(Action),
}

/// What a client under test is asked to do: each is one command line the user gives
/// (`--exec`, `--exec-post`, `--exec-multi`), since clients differ in how they are driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// GET the case's URL and print the body.
    Get,
    /// POST a body of this many octets to the case's URL and print the response body.
    Post(u32),
    /// GET this many URLs of the case at once, on one connection, and print the bodies.
    Parallel(u8),
}

impl Action {
    /// The command-line option that gives the command for this action.
    pub fn option(self) -> &'static str {
        match self {
            Action::Get => "--exec",
            Action::Post(_) => "--exec-post",
            Action::Parallel(_) => "--exec-multi",
        }
    }
}

/// Tags whose cases run only when a selector names them (or the case) explicitly:
/// `rfc7540` for rules RFC 9113 dropped, `flood` for the resilience group (thousands of
/// frames; loopback only unless the user owns the target, see [`crate::safety`]).
pub const OFF_BY_DEFAULT: &[&str] = &["rfc7540", FLOOD_TAG];

/// The tag of resilience cases: they run one at a time and need a
/// [`crate::safety::FloodPermit`].
pub const FLOOD_TAG: &str = "flood";

impl Case {
    /// Whether `name` is this case's id, h2spec id or one of its aliases.
    pub fn named_by(&self, name: &str) -> bool {
        self.id == name || self.h2spec == Some(name) || self.aliases.contains(&name)
    }

    /// Whether this is a passive check of the server's output (tag
    /// [`crate::checks::SERVER_OUTPUT_TAG`]): judged over every connection, never run itself.
    pub fn is_passive(&self) -> bool {
        self.tags.contains(&crate::checks::SERVER_OUTPUT_TAG)
    }

    /// Whether the case tests a client (run by `h2probe client`).
    pub fn is_client(&self) -> bool {
        matches!(self.peer, Peer::Client(_))
    }

    /// Whether this is a resilience case (tag [`FLOOD_TAG`]).
    pub fn is_flood(&self) -> bool {
        self.tags.contains(&FLOOD_TAG)
    }

    /// The serialisable description.
    pub fn info(&self) -> CaseInfo {
        CaseInfo {
            id: self.id.to_string(),
            section: self.section.to_string(),
            h2spec: self.h2spec.map(str::to_string),
            aliases: self.aliases.iter().map(|a| a.to_string()).collect(),
            level: self.level,
            description: self.description.to_string(),
            requirement: self.requirement.to_string(),
            tags: self.tags.iter().map(|t| t.to_string()).collect(),
        }
    }
}

/// Connection set-up before a case's script.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// Send the preface and SETTINGS and wait for the exchange. Off for cases that test
    /// the preface itself.
    pub handshake: bool,
    /// Extra parameters for our first SETTINGS frame (appended to the defaults).
    pub settings: &'static [(SettingId, u32)],
    /// Replenish flow-control windows automatically.
    pub auto_window_update: bool,
    /// Our default SETTINGS parameters go into the handshake too. Off for a case about the
    /// SETTINGS frame itself (an empty one is a valid preface, RFC 9113 §3.4) that still
    /// needs the handshake, e.g. to learn the stream of the client's request.
    pub defaults: bool,
}

impl Setup {
    /// Preface, default SETTINGS, automatic window updates.
    pub const STANDARD: Setup = Setup { handshake: true, settings: &[], auto_window_update: true, defaults: true };
    /// No preface: the script sends everything itself.
    pub const RAW: Setup = Setup { handshake: false, settings: &[], auto_window_update: true, defaults: true };
    /// The standard handshake with extra SETTINGS parameters.
    pub const fn with_settings(settings: &'static [(SettingId, u32)]) -> Setup {
        Setup { handshake: true, settings, auto_window_update: true, defaults: true }
    }
    /// The same set-up with `settings` as the extra parameters.
    pub const fn with(self, settings: &'static [(SettingId, u32)]) -> Setup {
        Setup { settings, ..self }
    }
    /// Leaves flow-control windows to the script.
    pub const fn manual_flow_control(self) -> Setup {
        Setup { auto_window_update: false, ..self }
    }
    /// Only the case's own parameters in our SETTINGS frame.
    pub const fn without_defaults(self) -> Setup {
        Setup { defaults: false, ..self }
    }
    /// The parameters of our first SETTINGS frame: the role's `defaults` (unless the case
    /// leaves them out), each replaced by the case's value for the same identifier, then the
    /// case's others. A SETTINGS frame repeating an identifier is legal but unusual, and some
    /// peers (Go) reject it, so only the case that tests duplicates sends them.
    pub fn our_settings(&self, defaults: Vec<(SettingId, u32)>) -> Vec<(SettingId, u32)> {
        let mut settings = if self.defaults { defaults } else { Vec::new() };
        for &(id, value) in self.settings {
            match settings.iter_mut().find(|(i, _)| *i == id) {
                Some(slot) => slot.1 = value,
                None => settings.push((id, value)),
            }
        }
        settings
    }
}

/// One step of a script.
#[derive(Debug, Clone)]
pub enum Step {
    /// Frames written back to back in one write.
    Send(Vec<Outgoing>),
    /// Waits for an intermediate expectation (e.g. the response headers) before going on;
    /// if it is not met the case is skipped with the reason, since the precondition failed.
    Await(Expectation),
    /// Waits this long, reading and keeping events for the verdict.
    Pause(Duration),
    /// Checks that the server has not answered on this stream yet (a PING round trip plus
    /// a short wait). A server may answer before reading the request body (RFC 9113 §8.1);
    /// then a malformation in the body cannot be judged and the case is skipped, rather
    /// than failed for a response that predates the violation.
    NoResponseYet(h2probe_codec::StreamId),
    /// Attacks the server as the attack is really run (RFC 9113 §10.5), measuring the harm
    /// ([`crate::attack`]), bounded by the run's [`FloodLimits`]. Only in cases tagged
    /// [`FLOOD_TAG`] whose expectation is [`Expectation::Resilience`].
    Attack(crate::attack::Attack),
}

/// What a case does once the connection is up.
#[derive(Debug, Clone)]
pub struct Script {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// The final expectation.
    pub expect: Expectation,
    /// Send the PING fence after the steps (off for cases where a PING would itself be a
    /// violation, e.g. in the middle of a field block).
    pub fence: bool,
    /// A stream that must still be open on the server when the offending frames are
    /// processed; see [`Script::needs_open`].
    pub needs_open: Option<h2probe_codec::StreamId>,
    /// Client mode: how requests other than the case's own are answered (retries, the
    /// other requests of a parallel fetch).
    pub others: Others,
}

/// Client mode: the answer to every request but the one the script is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Others {
    /// A normal 200 response with the case's body.
    #[default]
    Serve,
    /// RST_STREAM(REFUSED_STREAM): the server keeps refusing.
    Refuse,
    /// Nothing: the script answers them itself, or never.
    Leave,
}

impl Script {
    /// A script that sends `frames` in one write and expects `expect`.
    pub fn send<I, O>(frames: I, expect: Expectation) -> Script
    where
        I: IntoIterator<Item = O>,
        O: Into<Outgoing>,
    {
        Script { steps: vec![Step::Send(frames.into_iter().map(Into::into).collect())], expect, fence: true, needs_open: None, others: Others::Serve }
    }
    /// A script of explicit steps.
    pub fn steps(steps: Vec<Step>, expect: Expectation) -> Script {
        Script { steps, expect, fence: true, needs_open: None, others: Others::Serve }
    }
    /// Turns the PING fence off.
    pub fn no_fence(mut self) -> Script {
        self.fence = false;
        self
    }
    /// Client mode: how the other requests are answered.
    pub fn others(mut self, others: Others) -> Script {
        self.others = others;
        self
    }
    /// The violation exists only while `stream` is open on the server (a window that can
    /// overflow, say), and the server may legitimately finish the stream first: if it does,
    /// with no error, the case is skipped rather than failed.
    pub fn needs_open(mut self, stream: u32) -> Script {
        self.needs_open = Some(h2probe_codec::StreamId(stream));
        self
    }
}

/// Builds a `Step::Send` from anything frame-like.
pub fn send<I, O>(frames: I) -> Step
where
    I: IntoIterator<Item = O>,
    O: Into<Outgoing>,
{
    Step::Send(frames.into_iter().map(Into::into).collect())
}

/// What a script may know: the target and the server's SETTINGS.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// `:authority` to send.
    pub authority: String,
    /// Path of a resource that answers GET and POST with 200 and a body.
    pub path: String,
    /// The server's SETTINGS.
    pub server: ServerSettings,
    /// Bounds of floods, so a script can size what it sends (an HPACK bomb).
    pub limits: FloodLimits,
    /// Client mode: the client's request the script answers.
    pub request: Option<Request>,
    /// Client mode: the body our responses carry ([`body_marker`] of the case), by which a
    /// client's output shows it delivered the response.
    pub marker: Vec<u8>,
}

/// Client mode: the request a client case answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Its stream.
    pub stream: u32,
    /// `:method`.
    pub method: String,
    /// `:path`.
    pub path: String,
    /// Whether its HEADERS ended the stream (no body follows).
    pub end_stream: bool,
    /// Every field, decoded.
    pub fields: Vec<h2probe_codec::hpack::HeaderField>,
}

/// The marker every response body of a client case carries: a client that prints it has
/// delivered the response to its user.
pub fn body_marker(case_id: &str) -> String {
    format!("h2probe-body:{case_id}\n")
}

impl Ctx {
    /// A request HEADERS on `stream` with the target's scheme, authority and path.
    pub fn request(&self, stream: u32, method: &str) -> HeadersBuilder {
        frames::headers(stream).request(method, &self.path).scheme(self.scheme).authority(&self.authority)
    }
    /// A complete GET (END_STREAM).
    pub fn get(&self, stream: u32) -> HeadersBuilder {
        self.request(stream, "GET").end_stream()
    }
    /// A POST whose body follows in DATA frames, with no content-length. Some servers
    /// answer that 411 before looking further (lighttpd): prefer [`Ctx::post_sized`] unless
    /// the missing length is the point.
    pub fn post(&self, stream: u32) -> HeadersBuilder {
        self.request(stream, "POST")
    }
    /// A POST announcing a body of `len` octets (content-length), which DATA frames follow:
    /// the request every server accepts, so only the case's own twist can make it fail.
    pub fn post_sized(&self, stream: u32, len: usize) -> HeadersBuilder {
        self.request(stream, "POST").set("content-length", len.to_string())
    }
    /// A default Ctx for unit tests and `list`.
    pub fn example() -> Ctx {
        Ctx {
            scheme: "http",
            authority: "127.0.0.1:8080".into(),
            path: "/".into(),
            server: ServerSettings::default(),
            limits: FloodLimits::default(),
            request: None,
            marker: Vec::new(),
        }
    }

    /// A default client-mode Ctx: a GET on stream 1, for unit tests and `list`.
    pub fn example_client() -> Ctx {
        let fields = [(":method", "GET"), (":scheme", "http"), (":authority", "127.0.0.1:8080"), (":path", "/")]
            .into_iter()
            .map(|(n, v)| h2probe_codec::hpack::HeaderField::new(n, v))
            .collect();
        Ctx {
            request: Some(Request { stream: 1, method: "GET".into(), path: "/".into(), end_stream: true, fields }),
            marker: body_marker("client/example").into_bytes(),
            ..Ctx::example()
        }
    }

    /// Client mode: response HEADERS with `status` and the content-length of our body (no
    /// END_STREAM; [`Ctx::body`] follows).
    pub fn response_headers(&self, stream: u32, status: u16) -> HeadersBuilder {
        frames::headers(stream).status(status).set("content-type", "text/plain").set("content-length", self.marker.len().to_string())
    }

    /// Client mode: our body in one DATA frame with END_STREAM.
    pub fn body(&self, stream: u32) -> Outgoing {
        frames::data(stream, self.marker.clone()).end_stream().build().into()
    }

    /// Client mode: a complete 200 response on `stream`: HEADERS, then the body.
    pub fn respond(&self, stream: u32) -> Vec<Outgoing> {
        vec![self.response_headers(stream, 200).build().into(), self.body(stream)]
    }

    /// Client mode: the stream of the client's request (1 outside client mode).
    pub fn stream(&self) -> u32 {
        self.request.as_ref().map_or(1, |r| r.stream)
    }
}
