//! RFC 9113, HTTP/2: one module per section.

use h2probe_harness::case::Case;

mod s3_4_preface;
mod s4_1_frame_format;
mod s4_2_frame_size;
mod s4_3_1_compression_state;
mod s4_3_field_blocks;
mod s5_1_1_stream_ids;
mod s5_1_2_concurrency;
pub(crate) mod s5_1_stream_states;
mod s5_3_priority;
mod s5_4_error_handling;
mod s5_5_extensions;
mod s10_5_resilience;
mod s6_10_continuation;
mod s6_1_data;
mod s6_2_headers;
mod s6_3_priority;
mod s6_4_rst_stream;
mod s6_5_settings;
mod s6_7_ping;
mod s6_8_goaway;
mod s6_9_window_update;
mod s7_error_codes;
mod s8_1_message_framing;
mod s8_2_fields;
mod s8_3_pseudo_headers;
mod s8_4_push;
mod s10_5_1_field_block_size;

/// The RFC 9113 cases in section order.
pub fn cases() -> Vec<Case> {
    [
        s3_4_preface::CASES,
        s4_1_frame_format::CASES,
        s4_2_frame_size::CASES,
        s4_3_field_blocks::CASES,
        s4_3_1_compression_state::CASES,
        s5_1_stream_states::CASES,
        s5_1_1_stream_ids::CASES,
        s5_1_2_concurrency::CASES,
        s5_3_priority::CASES,
        s5_4_error_handling::CASES,
        s5_5_extensions::CASES,
        s6_1_data::CASES,
        s6_2_headers::CASES,
        s6_3_priority::CASES,
        s6_4_rst_stream::CASES,
        s6_5_settings::CASES,
        s6_7_ping::CASES,
        s6_8_goaway::CASES,
        s6_9_window_update::CASES,
        s6_10_continuation::CASES,
        s7_error_codes::CASES,
        s8_1_message_framing::CASES,
        s8_2_fields::CASES,
        s8_3_pseudo_headers::CASES,
        s8_4_push::CASES,
        s10_5_1_field_block_size::CASES,
        s10_5_resilience::CASES,
    ]
    .concat()
}
