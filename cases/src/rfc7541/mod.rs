//! RFC 7541, HPACK: one module per section. Every block is a valid request with one
//! representation under test added, so the only thing wrong (or unusual) is that one.

use h2probe_codec::hpack::{Encoder, Representation};
use h2probe_harness::case::{Case, Ctx};

mod s2_3_2_dynamic_table;
mod s2_3_3_index_space;
mod s4_2_table_size;
mod s4_4_eviction;
mod s5_1_integers;
mod s5_2_strings;
mod s6_1_indexed;
mod s6_2_literals;
mod s6_3_size_update;

/// The RFC 7541 cases in section order.
pub fn cases() -> Vec<Case> {
    [
        s2_3_2_dynamic_table::CASES,
        s2_3_3_index_space::CASES,
        s4_2_table_size::CASES,
        s4_4_eviction::CASES,
        s5_1_integers::CASES,
        s5_2_strings::CASES,
        s6_1_indexed::CASES,
        s6_2_literals::CASES,
        s6_3_size_update::CASES,
    ]
    .concat()
}

/// A GET on `stream` whose field block is `before`, the request's fields, then `after`.
pub(crate) fn request_block(
    ctx: &Ctx,
    before: &[Representation],
    after: &[Representation],
) -> Vec<u8> {
    let mut enc = Encoder::new();
    let mut out = Vec::new();
    enc.encode_block(before, &mut out);
    out.extend_from_slice(&ctx.get(1).encoded_block());
    enc.encode_block(after, &mut out);
    out
}

/// The HEADERS frame of a GET on stream 1 carrying `block`.
pub(crate) fn get_with_block(ctx: &Ctx, block: Vec<u8>) -> h2probe_codec::frame::Frame {
    ctx.get(1).block(block).build()
}

/// A GET on stream 3 whose field block is `before`, the request's fields, then `after`: the
/// second request of a case, decoded with whatever dynamic table the first one left.
pub(crate) fn second_get(ctx: &Ctx, before: &[Representation], after: &[Representation]) -> h2probe_codec::frame::Frame {
    let mut enc = Encoder::new();
    let mut block = Vec::new();
    enc.encode_block(before, &mut block);
    block.extend_from_slice(&ctx.get(3).encoded_block());
    enc.encode_block(after, &mut block);
    ctx.get(3).block(block).build()
}

/// The dynamic table size the cases work with: 4096 (the initial value), or the server's
/// SETTINGS_HEADER_TABLE_SIZE if it is smaller. Blocks that depend on it start with a
/// size update to it, so no decoder has to guess whether a larger setting is in use.
pub(crate) fn table_size(ctx: &Ctx) -> u64 {
    u64::from(
        ctx.server
            .get(h2probe_codec::SettingId::HEADER_TABLE_SIZE)
            .unwrap_or(4096)
            .min(4096),
    )
}
