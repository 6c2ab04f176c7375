//! Fuzzing campaigns against live servers: `h2probe fuzz` and `h2probe replay`.
//!
//! The engine is stateful and HTTP/2-aware, and it reuses the rest of the harness rather
//! than copying it: inputs are sequences of the codec's own frames ([`input`]), generated
//! from plans drawn with `arbitrary` ([`generate`]) and mutated at field, sequence, HPACK
//! and transport level ([`mutate`]), starting from the catalogue's scripts ([`seeds`]).
//! Each input runs on a fresh connection of the conformance driver ([`execute`]), whose
//! PING fence, judge and passive checker supply most of the oracles ([`oracle`]); a local
//! server's process is watched and sampled ([`server`], [`crate::process`]), and its log read
//! for workers that die ([`server_log`]). Findings are
//! minimised by delta debugging ([`minimise`]) and saved as versioned reproducer files
//! ([`reproducer`]); the loop, corpus, findings directory, sharding and progress are the
//! [`campaign`]'s. Every connection goes through the same [`crate::safety::FloodPermit`]
//! as floods, and every loop is bounded in inputs, re-runs and time.

pub mod campaign;
pub mod execute;
pub mod generate;
pub mod input;
pub mod minimise;
pub mod mutate;
pub mod oracle;
pub mod reproducer;
pub mod rng;
pub mod seeds;
pub mod server;
pub mod server_log;
