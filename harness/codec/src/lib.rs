//! Sans-IO HTTP/2 frame and HPACK codec for h2probe.
//!
//! A conformance tester has to control every bit it sends, including the bits the RFC
//! forbids. So this crate has two layers that never assert validity on the way out:
//!
//! - [`frame`]: a strict typed [`frame::Frame`] (one module per RFC 9113 §6.x frame) whose
//!   decode errors carry their RFC consequence, and a [`frame::RawFrame`] that encodes
//!   anything (lying length, reserved bit, stream 0, bad padding, oversize).
//! - [`hpack`]: RFC 7541 with an encoder that can emit any representation on demand,
//!   including deliberate violations, and a decoder that enforces memory limits.
//!
//! [`frames`] is the builder DSL shared by cases, tests and fuzz seeds. No I/O, no clock,
//! no async runtime: the harness drives this crate, and fuzzers and benchmarks link it alone.

#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod frame;
pub mod frames;
pub mod hpack;
pub mod registry;

pub use registry::{ErrorCode, FrameType, SettingId, StreamId};
