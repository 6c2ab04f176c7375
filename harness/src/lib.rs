//! The h2probe peer: everything between a declarative case and a verdict.
//!
//! - [`model`]: the serde result model every report renders (one source of truth).
//! - [`event`], [`expectation`], [`judge`]: the verdict engine, pure and unit-tested.
//! - [`transport`]: URLs, TCP, TLS with ALPN h2.
//! - [`conn`]: the connection driver around the sans-IO codec.
//! - [`case`], [`select`], [`runner`]: declarative cases, selection, the parallel runner.

pub mod case;
pub mod conn;
pub mod event;
pub mod expectation;
pub mod judge;
pub mod model;
pub mod runner;
pub mod select;
pub mod transcript;
pub mod transport;
