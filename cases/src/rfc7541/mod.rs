//! RFC 7541, HPACK (cases pending the HPACK encoder API).
use h2probe_harness::case::Case;
/// The RFC 7541 cases.
pub fn cases() -> Vec<Case> { Vec::new() }
