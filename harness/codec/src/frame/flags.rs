//! Frame flag bits (RFC 9113 §6). Plain `u8` constants because a tester sets undefined
//! flags on purpose and must be able to name any combination.

/// DATA, HEADERS: last frame the endpoint sends on this stream.
pub const END_STREAM: u8 = 0x01;
/// SETTINGS, PING: acknowledgement.
pub const ACK: u8 = 0x01;
/// HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends in this frame.
pub const END_HEADERS: u8 = 0x04;
/// DATA, HEADERS, PUSH_PROMISE: a Pad Length field and padding are present.
pub const PADDED: u8 = 0x08;
/// HEADERS: Exclusive, Stream Dependency and Weight fields are present.
pub const PRIORITY: u8 = 0x20;
