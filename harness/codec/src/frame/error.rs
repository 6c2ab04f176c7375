//! Frame decode errors and the one place that maps each to its RFC consequence.

use crate::registry::{ErrorCode, FrameType, SettingId, StreamId};
use thiserror::Error;

/// What RFC 9113 says the receiver of a bad frame must do (§5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Consequence {
    /// Connection error (§5.4.1): GOAWAY with this code, then close.
    Connection(ErrorCode),
    /// Stream error (§5.4.2): RST_STREAM on this stream with this code.
    Stream(StreamId, ErrorCode),
}

impl Consequence {
    /// The error code, whichever the kind.
    pub fn code(self) -> ErrorCode {
        match self {
            Consequence::Connection(c) | Consequence::Stream(_, c) => c,
        }
    }
}

/// Why a frame does not decode as the RFC defines it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// The length field exceeds the SETTINGS_MAX_FRAME_SIZE we advertised (§4.2).
    #[error("{kind} frame of {length} octets exceeds the maximum frame size {max}")]
    TooLarge {
        /// Frame type.
        kind: FrameType,
        /// Stream the frame was sent on.
        stream_id: StreamId,
        /// Claimed length.
        length: u32,
        /// Our limit.
        max: u32,
    },
    /// A frame type that must be on a stream arrived on stream 0.
    #[error("{kind} frame on stream 0")]
    StreamIdZero {
        /// Frame type.
        kind: FrameType,
    },
    /// A connection-level frame type arrived on a non-zero stream.
    #[error("{kind} frame on stream {stream_id}, must be stream 0")]
    StreamIdNonZero {
        /// Frame type.
        kind: FrameType,
        /// Offending id.
        stream_id: StreamId,
    },
    /// The payload length is wrong for the frame type.
    #[error("{kind} frame with payload length {length}, {expected}")]
    BadLength {
        /// Frame type.
        kind: FrameType,
        /// Stream the frame was on.
        stream_id: StreamId,
        /// Actual payload length.
        length: u32,
        /// Human description of the rule, e.g. "must be 8".
        expected: &'static str,
    },
    /// Pad Length is as long as the payload or longer (§6.1, §6.2, §6.6).
    #[error("{kind} frame pad length {pad_len} does not fit in payload of {length} octets")]
    BadPadding {
        /// Frame type.
        kind: FrameType,
        /// Pad Length field.
        pad_len: u8,
        /// Payload length.
        length: u32,
    },
    /// A SETTINGS ACK carried a payload (§6.5).
    #[error("SETTINGS ACK with a payload of {length} octets")]
    SettingsAckWithPayload {
        /// Payload length.
        length: u32,
    },
    /// A SETTINGS value outside its allowed range (§6.5.2, RFC 8441, RFC 9218).
    #[error("SETTINGS {id} = {value} is out of range")]
    BadSettingValue {
        /// Setting id.
        id: SettingId,
        /// Offending value.
        value: u32,
    },
    /// WINDOW_UPDATE with an increment of 0 (§6.9).
    #[error("WINDOW_UPDATE with increment 0 on stream {stream_id}")]
    ZeroWindowIncrement {
        /// Stream the frame was on (0 = connection).
        stream_id: StreamId,
    },
    /// PRIORITY_UPDATE naming stream 0 as the prioritized stream (RFC 9218 §7.1).
    #[error("PRIORITY_UPDATE for prioritized stream 0")]
    PriorityUpdateStreamZero,
}

impl FrameError {
    /// The RFC consequence for the receiver. This is the only place that decides it.
    pub fn consequence(&self) -> Consequence {
        use Consequence::{Connection, Stream};
        use ErrorCode as E;
        match *self {
            // §4.2: a frame that could alter connection state (field blocks, SETTINGS,
            // stream 0) is a connection error; others may be a stream error.
            FrameError::TooLarge { kind, stream_id, .. } => {
                if stream_id.is_zero() || carries_field_block(kind) || kind == FrameType::SETTINGS {
                    Connection(E::FRAME_SIZE_ERROR)
                } else {
                    Stream(stream_id, E::FRAME_SIZE_ERROR)
                }
            }
            FrameError::StreamIdZero { .. } | FrameError::StreamIdNonZero { .. } => {
                Connection(E::PROTOCOL_ERROR)
            }
            // §6.3: "A PRIORITY frame with a length other than 5 octets MUST be treated as a
            // stream error (Section 5.4.2) of type FRAME_SIZE_ERROR."
            FrameError::BadLength { kind: FrameType::PRIORITY, stream_id, .. } => {
                Stream(stream_id, E::FRAME_SIZE_ERROR)
            }
            // §4.2: DATA too short for its Pad Length field is a frame size error on the
            // stream; every other length error touches connection state.
            FrameError::BadLength { kind: FrameType::DATA, stream_id, .. } => {
                Stream(stream_id, E::FRAME_SIZE_ERROR)
            }
            FrameError::BadLength { .. } | FrameError::SettingsAckWithPayload { .. } => {
                Connection(E::FRAME_SIZE_ERROR)
            }
            // §6.1/§6.2/§6.6: "the recipient MUST treat this as a connection error of type
            // PROTOCOL_ERROR".
            FrameError::BadPadding { .. } => Connection(E::PROTOCOL_ERROR),
            // §6.5.2: INITIAL_WINDOW_SIZE above 2^31-1 is FLOW_CONTROL_ERROR, other range
            // violations PROTOCOL_ERROR.
            FrameError::BadSettingValue { id, .. } => {
                if id == SettingId::INITIAL_WINDOW_SIZE {
                    Connection(E::FLOW_CONTROL_ERROR)
                } else {
                    Connection(E::PROTOCOL_ERROR)
                }
            }
            // §6.9: "a stream error … PROTOCOL_ERROR; errors on the connection flow-control
            // window MUST be treated as a connection error".
            FrameError::ZeroWindowIncrement { stream_id } => {
                if stream_id.is_zero() {
                    Connection(E::PROTOCOL_ERROR)
                } else {
                    Stream(stream_id, E::PROTOCOL_ERROR)
                }
            }
            FrameError::PriorityUpdateStreamZero => Connection(E::PROTOCOL_ERROR),
        }
    }
}

/// HEADERS, PUSH_PROMISE and CONTINUATION carry HPACK state.
pub fn carries_field_block(kind: FrameType) -> bool {
    matches!(kind, FrameType::HEADERS | FrameType::PUSH_PROMISE | FrameType::CONTINUATION)
}
