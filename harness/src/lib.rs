//! The h2probe peer: everything between a declarative case and a verdict.
//!
//! - [`model`]: the serde result model every report renders (one source of truth).
//! - [`verdict`] (planned here): typed expectations and the pure `verify` function.
//! - transports, the connection driver and the runner do the I/O around the sans-IO codec.

pub mod model;
