//! The h2probe peer: everything between a declarative case and a verdict.
//!
//! - [`model`]: the serde result model every report renders (one source of truth).
//! - [`event`], [`expectation`], [`judge`]: the verdict engine, pure and unit-tested.
//! - [`transport`]: URLs, TCP, TLS with ALPN h2.
//! - [`conn`]: the connection driver around the sans-IO codec; [`describe`]: its transcript
//!   lines of what we send, our header fields decoded.
//! - [`preflight`]: one handshake before a run, naming what a non-HTTP/2 endpoint speaks.
//! - [`case`], [`select`], [`runner`]: declarative cases, selection, the parallel runner.
//! - [`attack`], [`harm`], [`canary`], [`resilience`], [`safety`]: the resilience group (RFC
//!   9113 §10.5): attacks as data and their runner, the verdict by harm, canary requests, the
//!   bounds and words they share, and the loopback-only gate.
//! - [`launch`], [`client_run`]: client mode: the client under test started per case, and
//!   the runner that plays the server toward it.
//! - [`reaction`], [`cue`], [`scripted`], [`scripted_client`]: the scripted peers of the
//!   reaction tests, which enact one reaction on cue to prove each case's verdicts.
//! - [`fuzz`], [`process`]: fuzzing campaigns against live servers (generator, mutators,
//!   oracles, delta debugging, reproducers, sharding) and the `/proc` sampling of a local
//!   server's memory and CPU that the resource oracle (and the resilience suite) measure.

pub mod attack;
pub mod background;
pub mod canary;
pub mod case;
pub mod checker;
pub mod checks;
pub mod client_run;
pub mod cue;
pub mod conn;
pub mod describe;
pub mod event;
pub mod expectation;
pub mod fuzz;
pub mod harm;
pub mod judge;
pub mod launch;
pub mod listen;
pub mod model;
pub mod preflight;
pub mod process;
pub mod resilience;
pub mod reaction;
pub mod rules;
pub mod scripted;
pub mod scripted_client;
pub mod runner;
pub mod safety;
pub mod select;
pub mod transcript;
pub mod transport;
pub mod upgrade;
pub mod vulnerable;
