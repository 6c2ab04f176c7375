//! RFC 9113 §8.1–§8.3: responses: the valid shapes a client must take (interim responses,
//! trailers, bodies in pieces) and the malformed ones it must not accept (§8.1.1).
//!
//! Every malformed response carries our body and ends its stream, so a client that takes
//! it for a valid one reports success with the body: the exit status shows what the wire
//! cannot.

use super::*;
use h2probe_codec::frames::HeadersBuilder;
use h2probe_harness::case::{Ctx, Script};
use h2probe_harness::conn::Outgoing;

const S81: &str = "RFC 9113 §8.1";
const S811: &str = "RFC 9113 §8.1.1";
const S821: &str = "RFC 9113 §8.2.1";
const S822: &str = "RFC 9113 §8.2.2";
const S83: &str = "RFC 9113 §8.3";
const S832: &str = "RFC 9113 §8.3.2";

const CONNECTION_SPECIFIC: &str = "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields. … Any message containing connection-specific header fields MUST be treated as malformed (Section 8.1.1).";

/// The malformed response: `headers` (its block as built), then our body with END_STREAM.
fn malformed_response(ctx: &Ctx, headers: HeadersBuilder) -> Result<Script, String> {
    let s = ctx.stream();
    Ok(Script::send([headers.build().into(), ctx.body(s)], rejected(s)))
}

/// A 200 response whose headers carry one more field, `name: value`.
fn with_field(ctx: &Ctx, name: &[u8], value: &[u8]) -> Result<Script, String> {
    malformed_response(ctx, ctx.response_headers(ctx.stream(), 200).field(name.to_vec(), value.to_vec()))
}

/// A valid response: `before` (interim responses, PRIORITY …), the response, `after`.
fn valid(ctx: &Ctx, before: Vec<Outgoing>, final_headers: HeadersBuilder, after: Vec<Outgoing>) -> Result<Script, String> {
    let s = ctx.stream();
    let mut f = before;
    f.push(final_headers.build().into());
    f.extend(after);
    Ok(Script::send(f, accepted(s)))
}

/// Our body without END_STREAM (trailers follow).
fn body_open(ctx: &Ctx) -> Outgoing {
    frames::data(ctx.stream(), ctx.marker.clone()).build().into()
}

/// The 103 that ends its stream: nothing can follow it there, so a client that does not see
/// it as malformed ends the request without a final response, a failure as a client that
/// refuses it without a frame reports it (lenient); the wrong codes and a hang still fail.
const INTERIM_END_ROWS: &[Row] = &[
    row(Reset(1, E::PROTOCOL_ERROR), Pass),
    row(GoAway(E::PROTOCOL_ERROR), Alternative),
    row(Ignore, Lenient),
    row(GiveUp, Lenient),
    row(Reset(1, E::CANCEL), Lenient),
    row(Reset(1, E::NO_ERROR), Fail),
    row(Hang, Fail),
    row(Crash, Fail),
];

macro_rules! rejects {
    ($id:expr, $section:expr, $desc:expr, $req:expr, $script:expr) => {
        Case { id: $id, description: $desc, requirement: $req, script: $script, reactions: &[REJECTED_ROWS], ..client($section) }
    };
}

pub(crate) const CASES: &[Case] = &[
    // Valid shapes.
    Case {
        id: "client/rfc9113/8.1/interim-103-before-final",
        description: "Sends a 103 (Early Hints) interim response, then the final 200",
        requirement: "For a response only, a server MAY send any number of interim responses before the HEADERS frame containing a final response.",
        script: |ctx| {
            let s = ctx.stream();
            valid(ctx, vec![frames::headers(s).status(103).set("link", "</style.css>; rel=preload").build().into()], ctx.response_headers(s, 200), vec![ctx.body(s)])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S81)
    },
    Case {
        id: "client/rfc9113/8.1/several-interim-responses",
        description: "Sends 100, 103 and 103 interim responses, then the final 200",
        requirement: "For a response only, a server MAY send any number of interim responses before the HEADERS frame containing a final response.",
        script: |ctx| {
            let s = ctx.stream();
            let interim = [100, 103, 103].map(|st| Outgoing::from(frames::headers(s).status(st).build())).to_vec();
            valid(ctx, interim, ctx.response_headers(s, 200), vec![ctx.body(s)])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S81)
    },
    Case {
        id: "client/rfc9113/8.1/trailers",
        description: "Sends the response, its body, then a trailer section ending the stream",
        requirement: "An HTTP message (request or response) consists of: … optionally, one HEADERS frame (followed by zero or more CONTINUATION frames) containing the trailer section, if present (see Section 6.5 of [HTTP]).",
        script: |ctx| {
            let s = ctx.stream();
            valid(ctx, vec![], ctx.response_headers(s, 200).set("trailer", "x-checksum"), vec![body_open(ctx), frames::headers(s).set("x-checksum", "abc").end_stream().build().into()])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S81)
    },
    Case {
        id: "client/rfc9113/8.1/trailers-in-continuation",
        description: "Sends a trailer section as HEADERS (END_STREAM) plus a CONTINUATION frame",
        requirement: "The last frame in the sequence bears an END_STREAM flag, noting that a HEADERS frame with the END_STREAM flag set can be followed by CONTINUATION frames that carry any remaining fragments of the field block.",
        script: |ctx| {
            let s = ctx.stream();
            let mut after = vec![body_open(ctx)];
            after.extend(frames::headers(s).set("x-checksum", "abcdefghijklmnop").end_stream().build_split(8).into_iter().map(Outgoing::from));
            valid(ctx, vec![], ctx.response_headers(s, 200), after)
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S81)
    },
    Case {
        id: "client/rfc9113/8.1/no-content-length",
        description: "Sends the response without content-length, its body in two DATA frames",
        requirement: "A request or response that includes message content can include a content-length header field.",
        script: |ctx| {
            let s = ctx.stream();
            let (a, b) = ctx.marker.split_at(ctx.marker.len() / 2);
            valid(ctx, vec![], frames::headers(s).status(200), vec![frames::data(s, a.to_vec()).build().into(), frames::data(s, b.to_vec()).end_stream().build().into()])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client(S81)
    },
    Case {
        id: "client/rfc9113/8.2/empty-field-value",
        description: "Sends the response with a field whose value is empty",
        requirement: "Note: Field values that are not valid according to the definition of the corresponding field do not cause a request to be malformed; the requirements above only apply to the generic syntax for fields as defined in Section 5 of [HTTP]. (An empty value breaks none of them.)",
        script: |ctx| {
            let s = ctx.stream();
            valid(ctx, vec![], ctx.response_headers(s, 200).field("x-empty", ""), vec![ctx.body(s)])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client("RFC 9113 §8.2")
    },
    Case {
        id: "client/rfc9113/8.2/repeated-fields",
        description: "Sends the response with set-cookie twice and another field repeated",
        requirement: "HTTP fields (Section 5 of [HTTP]) are conveyed by HTTP/2 in the HEADERS, CONTINUATION, and PUSH_PROMISE frames, compressed with HPACK [COMPRESSION]. (A field may repeat in HTTP; a repeated one is no reason to refuse the response.)",
        script: |ctx| {
            let s = ctx.stream();
            valid(ctx, vec![], ctx.response_headers(s, 200).field("set-cookie", "a=1").field("set-cookie", "b=2").field("x-dup", "1").field("x-dup", "2"), vec![ctx.body(s)])
        },
        reactions: &[ACCEPTED_ROWS],
        ..client("RFC 9113 §8.2")
    },
    // Malformed: pseudo-header fields.
    rejects!("client/rfc9113/8.3.2/missing-status", S832, "Sends a response whose field block has no :status",
        "This pseudo-header field MUST be included in all responses, including interim responses; otherwise, the response is malformed (Section 8.1.1).",
        |ctx| malformed_response(ctx, ctx.response_headers(ctx.stream(), 200).without(":status"))),
    rejects!("client/rfc9113/8.3.2/interim-missing-status", S832, "Sends an interim response without :status (a 103's link field alone), then the final 200",
        "This pseudo-header field MUST be included in all responses, including interim responses; otherwise, the response is malformed (Section 8.1.1).",
        |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::headers(s).set("link", "</a.css>; rel=preload").build().into(), ctx.response_headers(s, 200).build().into(), ctx.body(s)], rejected(s)))
        }),
    rejects!("client/rfc9113/8.3/duplicate-status", S83, "Sends a response with :status twice (200 and 204)",
        "The same pseudo-header field name MUST NOT appear more than once in a field block. A field block for an HTTP request or response that contains a repeated pseudo-header field name MUST be treated as malformed (Section 8.1.1).",
        |ctx| malformed_response(ctx, ctx.response_headers(ctx.stream(), 200).field(":status", "204"))),
    rejects!("client/rfc9113/8.3/request-pseudo-in-response", S83, "Sends a response carrying :method",
        "Pseudo-header fields defined for requests MUST NOT appear in responses; pseudo-header fields defined for responses MUST NOT appear in requests. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        |ctx| malformed_response(ctx, frames::headers(ctx.stream()).status(200).field(":method", "GET").set("content-length", ctx.marker.len().to_string()))),
    rejects!("client/rfc9113/8.3/undefined-pseudo", S83, "Sends a response carrying the undefined pseudo-header :h2probe",
        "Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        |ctx| malformed_response(ctx, frames::headers(ctx.stream()).status(200).field(":h2probe", "1").set("content-length", ctx.marker.len().to_string()))),
    rejects!("client/rfc9113/8.3/pseudo-after-regular", S83, "Sends a response whose :status follows a regular field",
        "All pseudo-header fields MUST appear in a field block before all regular field lines. Any request or response that contains a pseudo-header field that appears in a field block after a regular field line MUST be treated as malformed (Section 8.1.1).",
        |ctx| malformed_response(ctx, frames::headers(ctx.stream()).field("content-length", ctx.marker.len().to_string()).field(":status", "200"))),
    rejects!("client/rfc9113/8.1/pseudo-in-trailers", S81, "Sends the response and body, then trailers carrying :status",
        "Trailers MUST NOT include pseudo-header fields (Section 8.3). … Pseudo-header fields MUST NOT appear in a trailer section.",
        |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).build().into(), body_open(ctx), frames::headers(s).field(":status", "200").end_stream().build().into()], rejected(s)))
        }),
    // Malformed: field names and values.
    rejects!("client/rfc9113/8.2.1/uppercase-field-name", S821, "Sends a response with the field name X-H2probe",
        "A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive). This specifically excludes all non-visible ASCII characters, ASCII SP (0x20), and uppercase characters ('A' to 'Z', ASCII 0x41 to 0x5a). … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"X-H2probe", b"1")),
    rejects!("client/rfc9113/8.2.1/space-in-field-name", S821, "Sends a response with the field name \"x h2probe\"",
        "A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive). … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x h2probe", b"1")),
    rejects!("client/rfc9113/8.2.1/colon-in-field-name", S821, "Sends a response with the field name x:h2probe",
        "With the exception of pseudo-header fields (Section 8.3), which have a name that starts with a single colon, field names MUST NOT include a colon (ASCII COLON, 0x3a). … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x:h2probe", b"1")),
    rejects!("client/rfc9113/8.2.1/nul-in-field-value", S821, "Sends a response whose field value contains NUL",
        "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position. … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x-h2probe", b"a\0b")),
    rejects!("client/rfc9113/8.2.1/lf-in-field-value", S821, "Sends a response whose field value contains LF (a header injection)",
        "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position. … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x-h2probe", b"a\nset-cookie: injected=1")),
    rejects!("client/rfc9113/8.2.1/cr-in-field-value", S821, "Sends a response whose field value contains CR",
        "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position. … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x-h2probe", b"a\rb")),
    rejects!("client/rfc9113/8.2.1/leading-space-in-value", S821, "Sends a response whose field value starts with a space",
        "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09). … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x-h2probe", b" leading")),
    rejects!("client/rfc9113/8.2.1/trailing-tab-in-value", S821, "Sends a response whose field value ends with a tab",
        "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09). … A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1).",
        |ctx| with_field(ctx, b"x-h2probe", b"trailing\t")),
    // Malformed: connection-specific fields.
    rejects!("client/rfc9113/8.2.2/connection-header", S822, "Sends a response carrying connection: keep-alive", CONNECTION_SPECIFIC,
        |ctx| with_field(ctx, b"connection", b"keep-alive")),
    rejects!("client/rfc9113/8.2.2/keep-alive-header", S822, "Sends a response carrying keep-alive: timeout=5", CONNECTION_SPECIFIC,
        |ctx| with_field(ctx, b"keep-alive", b"timeout=5")),
    rejects!("client/rfc9113/8.2.2/transfer-encoding-header", S822, "Sends a response carrying transfer-encoding: chunked", CONNECTION_SPECIFIC,
        |ctx| with_field(ctx, b"transfer-encoding", b"chunked")),
    rejects!("client/rfc9113/8.2.2/upgrade-header", S822, "Sends a response carrying upgrade: h2c", CONNECTION_SPECIFIC,
        |ctx| with_field(ctx, b"upgrade", b"h2c")),
    rejects!("client/rfc9113/8.2.2/proxy-connection-header", S822, "Sends a response carrying proxy-connection: close", CONNECTION_SPECIFIC,
        |ctx| with_field(ctx, b"proxy-connection", b"close")),
    // Malformed: framing of the message.
    rejects!("client/rfc9113/8.1.1/content-length-shorter-than-body", S811, "Sends content-length 1 with a longer body",
        "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content.",
        |ctx| malformed_response(ctx, frames::headers(ctx.stream()).status(200).set("content-length", "1"))),
    rejects!("client/rfc9113/8.1.1/content-length-longer-than-body", S811, "Sends a content-length 100 octets longer than the body, then ends the stream",
        "A request or response is also malformed if the value of a content-length header field does not equal the sum of the DATA frame payload lengths that form the content, unless the message is defined as having no content.",
        |ctx| malformed_response(ctx, frames::headers(ctx.stream()).status(200).set("content-length", (ctx.marker.len() + 100).to_string()))),
    Case {
        id: "client/rfc9113/8.1/interim-with-end-stream",
        description: "Sends a 103 interim response with END_STREAM",
        requirement: "A HEADERS frame with the END_STREAM flag set that carries an informational status code is malformed (Section 8.1.1).",
        script: |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::headers(s).status(103).end_stream().build()], rejected(s)))
        },
        reactions: &[INTERIM_END_ROWS],
        ..client(S81)
    },
    rejects!("client/rfc9113/8.1/second-headers-without-end-stream", S81, "Sends the final response headers, then a second HEADERS without END_STREAM, then the body",
        "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a request or after receiving a final (non-informational) status code MUST treat the corresponding request or response as malformed (Section 8.1.1).",
        |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).build().into(), frames::headers(s).set("x-second", "1").build().into(), ctx.body(s)], rejected(s)))
        }),
    rejects!("client/rfc9113/8.1/data-before-headers", S81, "Sends the body in DATA before any response HEADERS, then the headers with END_STREAM",
        "A malformed request or response is one that is an otherwise valid sequence of HTTP/2 frames but is invalid due to the presence of extraneous frames, prohibited fields or pseudo-header fields, the absence of mandatory pseudo-header fields, the inclusion of uppercase field names, or invalid field names and/or values (in certain circumstances; see Section 8.2). (An HTTP message starts with its HEADERS frame, §8.1.)",
        |ctx| {
            let s = ctx.stream();
            Ok(Script::send([frames::data(s, ctx.marker.clone()).build(), ctx.response_headers(s, 200).end_stream().build()], rejected(s)))
        }),
    rejects!("client/rfc9113/8.1/data-after-trailers", S81, "Sends the response, trailers without END_STREAM, then the body",
        "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a request or after receiving a final (non-informational) status code MUST treat the corresponding request or response as malformed (Section 8.1.1).",
        |ctx| {
            let s = ctx.stream();
            Ok(Script::send([ctx.response_headers(s, 200).build().into(), frames::headers(s).set("x-checksum", "1").build().into(), ctx.body(s)], rejected(s)))
        }),
];
