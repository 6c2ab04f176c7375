//! Pad Length handling shared by DATA, HEADERS and PUSH_PROMISE.

use super::error::FrameError;
use super::head::Head;

/// Splits off the Pad Length byte and trailing padding, returning the inner payload and
/// the pad length. Fails when "the length of the padding is the length of the frame
/// payload or greater" (RFC 9113 §6.1).
pub(crate) fn strip<'a>(
    head: &Head,
    payload: &'a [u8],
    fixed: usize,
) -> Result<(&'a [u8], Option<u8>), FrameError> {
    if !head.has(super::flags::PADDED) {
        return Ok((payload, None));
    }
    let Some((&pad_len, rest)) = payload.split_first() else {
        return Err(FrameError::BadLength {
            kind: head.kind,
            stream_id: head.stream_id,
            length: head.length,
            expected: "too short for the Pad Length field",
        });
    };
    // The padding may not eat into fixed fields (HEADERS priority, PUSH_PROMISE promised id).
    if pad_len as usize + fixed > rest.len() {
        return Err(FrameError::BadPadding { kind: head.kind, pad_len, length: head.length });
    }
    Ok((&rest[..rest.len() - pad_len as usize], Some(pad_len)))
}

/// Writes the Pad Length byte (if any) before `body` and zero padding after it.
pub(crate) fn payload_len(body_len: usize, pad: Option<u8>) -> usize {
    body_len + pad.map_or(0, |p| 1 + p as usize)
}

/// Appends `pad` zero bytes.
pub(crate) fn write_padding(dst: &mut Vec<u8>, pad: Option<u8>) {
    if let Some(p) = pad {
        dst.resize(dst.len() + p as usize, 0);
    }
}
