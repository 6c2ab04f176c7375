//! RFC 9113 §10.5.1: limits on field block size — SETTINGS_MAX_HEADER_LIST_SIZE is advisory,
//! but a server that advertises it has said what it is prepared to accept.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §10.5.1";

/// Room left for filler fields after the request's own fields, per RFC 9113 §6.5.2's size
/// rule (name + value + 32 octets per field), with a margin for what an intermediary adds.
const MARGIN: usize = 256;

pub(crate) const CASES: &[Case] = &[Case {
    id: "rfc9113/10.5.1/header-list-within-advertised-limit",
    description: "Sends a GET whose header list is just below the server's SETTINGS_MAX_HEADER_LIST_SIZE, over HEADERS and CONTINUATIONs; it must be processed",
    requirement: "SETTINGS_MAX_HEADER_LIST_SIZE: This advisory setting informs a peer of the maximum field section size that the sender is prepared to accept, in units of octets. The value is based on the uncompressed size of field lines, including the length of the name and value in units of octets plus an overhead of 32 octets for each field line. (A response of any status, even 431, shows the request was processed; a reset or connection error does not.)",
    script: |ctx| {
        let Some(limit) = ctx.server.get(SettingId::MAX_HEADER_LIST_SIZE) else {
            return Err("the server does not advertise SETTINGS_MAX_HEADER_LIST_SIZE".into());
        };
        let limit = limit as usize;
        if limit > 1 << 20 {
            return Err(format!("the server's SETTINGS_MAX_HEADER_LIST_SIZE ({limit}) is too large for a bounded test"));
        }
        let mut req = ctx.get(1);
        let used: usize = req.header_fields().iter().map(|f| f.name.len() + f.value.len() + 32).sum();
        let mut room = limit.saturating_sub(used + MARGIN);
        let mut i = 0;
        // Fields of at most 1000 octets each: some servers also cap a single field.
        while room > 32 + 10 {
            let name = format!("x-fill{i:04}");
            let value_len = (room - 32 - name.len()).min(1000);
            room -= 32 + name.len() + value_len;
            req = req.field(name, filler(value_len));
            i += 1;
        }
        let max = ctx.server.max_frame_size() as usize;
        Ok(Script::send(req.build_split(max), response(1)))
    },
    ..must(S)
}];
