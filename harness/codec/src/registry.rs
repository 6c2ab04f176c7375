//! Open newtypes for the HTTP/2 wire registries.
//!
//! Every registry is a newtype over its wire integer rather than a closed enum: a tester
//! must be able to send and receive values no RFC defines, and an unknown value has to
//! survive a decode/encode round trip and still print usefully (as hex).

use core::fmt;

/// Declares an open newtype registry from one table: named constants, `name()`, and a
/// `Display` that falls back to hex for values the table does not know.
macro_rules! registry {
    (
        $(#[$meta:meta])*
        $ty:ident($int:ty), $hexwidth:literal {
            $( $(#[$cmeta:meta])* $name:ident = $val:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $ty(pub $int);

        impl $ty {
            $( $(#[$cmeta])* pub const $name: $ty = $ty($val); )*

            /// Every value the table names, in table order.
            pub const KNOWN: &'static [$ty] = &[$($ty($val)),*];

            /// The registry name, or `None` for a value the table does not define.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $val => Some(stringify!($name)), )*
                    _ => None,
                }
            }

            /// Looks a value up by its registry name (as printed by `Display`).
            pub fn from_name(name: &str) -> Option<$ty> {
                match name {
                    $( stringify!($name) => Some($ty($val)), )*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, concat!("0x{:0", $hexwidth, "x}"), self.0),
                }
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($ty), "({} = 0x{:0", $hexwidth, "x})"), self, self.0)
            }
        }

        impl From<$int> for $ty {
            fn from(v: $int) -> Self { $ty(v) }
        }

        impl From<$ty> for $int {
            fn from(v: $ty) -> Self { v.0 }
        }
    };
}

registry! {
    /// Frame type (RFC 9113 §11.2, RFC 9218 §7.1).
    FrameType(u8), 2 {
        /// §6.1
        DATA = 0x0,
        /// §6.2
        HEADERS = 0x1,
        /// §6.3
        PRIORITY = 0x2,
        /// §6.4
        RST_STREAM = 0x3,
        /// §6.5
        SETTINGS = 0x4,
        /// §6.6
        PUSH_PROMISE = 0x5,
        /// §6.7
        PING = 0x6,
        /// §6.8
        GOAWAY = 0x7,
        /// §6.9
        WINDOW_UPDATE = 0x8,
        /// §6.10
        CONTINUATION = 0x9,
        /// RFC 7838 §4
        ALTSVC = 0xa,
        /// RFC 8336
        ORIGIN = 0xc,
        /// RFC 9218 §7.1
        PRIORITY_UPDATE = 0x10,
    }
}

registry! {
    /// Error code carried by RST_STREAM and GOAWAY (RFC 9113 §7).
    ErrorCode(u32), 8 {
        /// Graceful shutdown or no error.
        NO_ERROR = 0x0,
        /// Unspecific protocol error.
        PROTOCOL_ERROR = 0x1,
        /// Unexpected internal error.
        INTERNAL_ERROR = 0x2,
        /// Flow-control protocol violated.
        FLOW_CONTROL_ERROR = 0x3,
        /// SETTINGS not acknowledged in time.
        SETTINGS_TIMEOUT = 0x4,
        /// Frame received for a closed stream.
        STREAM_CLOSED = 0x5,
        /// Frame size incorrect.
        FRAME_SIZE_ERROR = 0x6,
        /// Stream refused before any processing.
        REFUSED_STREAM = 0x7,
        /// Stream no longer needed.
        CANCEL = 0x8,
        /// Field compression context cannot be maintained.
        COMPRESSION_ERROR = 0x9,
        /// TCP connection for CONNECT reset or abnormally closed.
        CONNECT_ERROR = 0xa,
        /// Peer is generating excessive load.
        ENHANCE_YOUR_CALM = 0xb,
        /// Transport properties do not meet minimum security requirements.
        INADEQUATE_SECURITY = 0xc,
        /// HTTP/1.1 is required instead.
        HTTP_1_1_REQUIRED = 0xd,
    }
}

registry! {
    /// SETTINGS parameter identifier (RFC 9113 §6.5.2, §11.3; RFC 8441; RFC 9218).
    SettingId(u16), 4 {
        /// Maximum HPACK dynamic table size the sender's decoder allows.
        HEADER_TABLE_SIZE = 0x1,
        /// Whether server push is permitted (0 or 1).
        ENABLE_PUSH = 0x2,
        /// Maximum number of concurrent streams the sender allows the peer to open.
        MAX_CONCURRENT_STREAMS = 0x3,
        /// Initial stream-level flow-control window.
        INITIAL_WINDOW_SIZE = 0x4,
        /// Largest frame payload the sender is willing to receive.
        MAX_FRAME_SIZE = 0x5,
        /// Advisory maximum field section size.
        MAX_HEADER_LIST_SIZE = 0x6,
        /// RFC 8441 extended CONNECT.
        ENABLE_CONNECT_PROTOCOL = 0x8,
        /// RFC 9218 §2.1.
        NO_RFC7540_PRIORITIES = 0x9,
    }
}

/// A stream identifier: the 31-bit value, without the reserved bit.
///
/// Kept open (any `u32`) so a tester can name stream ids above 2^31-1 and have the encoder
/// emit the reserved bit deliberately; the decoder always masks it off.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct StreamId(pub u32);

impl StreamId {
    /// The connection control stream.
    pub const ZERO: StreamId = StreamId(0);
    /// Largest legal stream identifier, 2^31-1.
    pub const MAX: StreamId = StreamId(0x7fff_ffff);

    /// True for stream 0.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
    /// Client-initiated streams are odd (RFC 9113 §5.1.1).
    pub fn is_client_initiated(self) -> bool {
        self.0 % 2 == 1
    }
    /// Server-initiated streams are even and non-zero.
    pub fn is_server_initiated(self) -> bool {
        self.0 != 0 && self.0 % 2 == 0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StreamId({})", self.0)
    }
}

impl From<u32> for StreamId {
    fn from(v: u32) -> Self {
        StreamId(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_print_by_name_unknown_in_hex() {
        assert_eq!(ErrorCode::ENHANCE_YOUR_CALM.to_string(), "ENHANCE_YOUR_CALM");
        assert_eq!(ErrorCode(0xdead).to_string(), "0x0000dead");
        assert_eq!(FrameType(0x16).to_string(), "0x16");
        assert_eq!(FrameType::PRIORITY_UPDATE.to_string(), "PRIORITY_UPDATE");
        assert_eq!(SettingId(0xf00f).to_string(), "0xf00f");
        assert_eq!(format!("{:?}", ErrorCode::CANCEL), "ErrorCode(CANCEL = 0x00000008)");
    }

    #[test]
    fn names_round_trip() {
        for &c in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::from_name(&c.to_string()), Some(c));
        }
        for &t in FrameType::KNOWN {
            assert_eq!(FrameType::from_name(&t.to_string()), Some(t));
        }
        for &s in SettingId::KNOWN {
            assert_eq!(SettingId::from_name(&s.to_string()), Some(s));
        }
    }
}
