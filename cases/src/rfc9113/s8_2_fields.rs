//! RFC 9113 §8.2: HTTP fields — field validity (§8.2.1) and connection-specific fields (§8.2.2).

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S1: &str = "RFC 9113 §8.2.1";
const S2: &str = "RFC 9113 §8.2.2";

// The quoted sentences are macros so the trailer cases can append their note with concat!.
macro_rules! malformed_if_violated {
    () => {
        "A request or response that contains a field that violates any of these conditions MUST be treated as malformed (Section 8.1.1)."
    };
}
macro_rules! name_chars {
    () => {
        concat!(
            "A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff (all ranges inclusive). This specifically excludes all non-visible ASCII characters, ASCII SP (0x20), and uppercase characters ('A' to 'Z', ASCII 0x41 to 0x5a). … ",
            malformed_if_violated!()
        )
    };
}
macro_rules! value_chars {
    () => {
        concat!(
            "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position. … ",
            malformed_if_violated!()
        )
    };
}
macro_rules! connection_specific {
    () => {
        "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header fields. This includes the Connection header field and those listed as having connection-specific semantics in Section 7.6.1 of [HTTP] (that is, Proxy-Connection, Keep-Alive, Transfer-Encoding, and Upgrade). Any message containing connection-specific header fields MUST be treated as malformed (Section 8.1.1)."
    };
}
/// What the trailer cases add: the 400 the section recommends cannot come in a trailer,
/// so the stream error is the reaction; a code RFC 9113 does not define is not one.
macro_rules! in_trailers {
    () => {
        " (The field is in the trailer section: \"When a request message violates one of these requirements, an implementation SHOULD generate a 400 (Bad Request) status code …, unless a more suitable status code is defined or the status code cannot be sent (e.g., because the error occurs in a trailer field).\" So RST_STREAM(PROTOCOL_ERROR) is the reaction; INTERNAL_ERROR is taken leniently; a GOAWAY with a code RFC 9113 does not define (h2o sends 0xfe) is no PROTOCOL_ERROR and fails, RFC 9113 §7.)"
    };
}

const NAME_CHARS: &str = name_chars!();
const VALUE_CHARS: &str = value_chars!();
const WHITESPACE: &str = concat!(
    "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09). … ",
    malformed_if_violated!(),
    " (A MUST that RFC 9113 added; RFC 7540 had no such rule. A server that strips the whitespace, or keeps it, and serves the request breaks it: the request MUST be treated as malformed, i.e. reset with PROTOCOL_ERROR or answered 4xx.)"
);
const COLON: &str = concat!(
    "With the exception of pseudo-header fields (Section 8.3), which have a name that starts with a single colon, field names MUST NOT include a colon (ASCII COLON, 0x3a). … ",
    malformed_if_violated!()
);
const CONNECTION_SPECIFIC: &str = connection_specific!();
const TE: &str = "Any message containing connection-specific header fields MUST be treated as malformed (Section 8.1.1). The only exception to this is the TE header field, which MAY be present in an HTTP/2 request; when it is, it MUST NOT contain any value other than \"trailers\".";

/// A POST (content-length: 4) with its body, whose trailer section carries `name: value`,
/// after checking the server has not answered before reading the body (§8.1 allows that,
/// and then the trailers cannot be judged).
fn bad_trailers(ctx: &h2probe_harness::case::Ctx, name: &str, value: &[u8]) -> Result<Script, String> {
    Ok(Script::steps(
        vec![
            send([ctx.post_sized(1, 4)]),
            Step::NoResponseYet(StreamId(1)),
            send([frames::data(1, filler(4)).build(), frames::headers(1).field(name, value.to_vec()).end_stream().build()]),
        ],
        malformed(1),
    ))
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/8.2.1/uppercase-field-name",
        h2spec: Some("http2/8.1.2/1"),
        description: "Sends a GET with the field name X-TEST in uppercase",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field("X-TEST", "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.2/connection-header",
        h2spec: Some("http2/8.1.2.2/1"),
        description: "Sends a GET with connection: keep-alive",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("connection", "keep-alive")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/te-not-trailers",
        h2spec: Some("http2/8.1.2.2/2"),
        description: "Sends a GET with te: trailers, deflate",
        requirement: TE,
        script: |ctx| Ok(Script::send([ctx.get(1).field("te", "trailers, deflate")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.1/space-in-field-name",
        description: "Sends a GET with a field name containing a space (x test)",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![0x78, 0x20, 0x74, 0x65, 0x73, 0x74], "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/control-char-in-field-name",
        description: "Sends a GET with a field name containing 0x01",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![0x78, 0x01, 0x74, 0x65, 0x73, 0x74], "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/del-in-field-name",
        description: "Sends a GET with a field name containing DEL (0x7f)",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![0x78, 0x7f, 0x74, 0x65, 0x73, 0x74], "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/non-ascii-field-name",
        description: "Sends a GET with a field name containing 0xe9 (non-ASCII)",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![0x78, 0x2d, 0x63, 0x61, 0x66, 0xe9], "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/colon-in-field-name",
        description: "Sends a GET with a regular field name containing a colon (x:test)",
        requirement: COLON,
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![0x78, 0x3a, 0x74, 0x65, 0x73, 0x74], "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/non-token-char-in-field-name",
        description: "Sends a GET with the field names x(test and x@test, whose characters the minimal validation allows but a token does not",
        requirement: "HTTP/2 implementations SHOULD validate field names and values according to their definitions in Sections 5.1 and 5.5 of [HTTP], respectively, and treat messages that contain prohibited characters as malformed (Section 8.1.1). (RFC 9110 §5.1: \"field-name = token\", and §5.6.2 leaves \"(\" and \"@\" out of tchar, as delimiters. Neither is in the ranges the MUST-level minimal validation prohibits, 0x00-0x20, 0x41-0x5a, 0x7f-0xff and the colon, so only this SHOULD applies: a server that serves the request skips the full validation.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("x(test", "ok").field("x@test", "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.2.1/ctl-in-field-value",
        description: "Sends a GET with a field value holding 0x01 and another holding 0x7f (DEL), control characters other than NUL, CR and LF",
        requirement: "HTTP/2 implementations SHOULD validate field names and values according to their definitions in Sections 5.1 and 5.5 of [HTTP], respectively, and treat messages that contain prohibited characters as malformed (Section 8.1.1). (RFC 9110 §5.5: field values are made of field-vchar = VCHAR / obs-text with SP and HTAB between them, so 0x01 and 0x7f are prohibited; the MUST-level minimal validation names only NUL, CR and LF in values. RFC 9110 §5.5 also lets a recipient keep them: \"Field values containing other CTL characters are also invalid; however, recipients MAY retain such characters for the sake of robustness when they appear within a safe context\", so serving the request misses only this SHOULD of RFC 9113.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-h2probe-ctl", b"a\x01b".to_vec()).field("x-h2probe-del", b"a\x7fb".to_vec())], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.2.1/empty-field-name",
        description: "Sends a GET with an empty field name",
        requirement: "HTTP/2 implementations SHOULD validate field names and values according to their definitions in Sections 5.1 and 5.5 of [HTTP], respectively, and treat messages that contain prohibited characters as malformed (Section 8.1.1). (An empty name contains none of the characters the MUST-level minimal validation prohibits, so no MUST applies; it is not a token, which RFC 9110 §5.1 requires a field name to be, so treating it as malformed is this SHOULD. GOAWAY(COMPRESSION_ERROR), from a decoder that refuses the empty name, is an applicable code at best: RFC 7541 allows empty strings.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field(vec![], "ok")], malformed(1).or_applicable(&[E::COMPRESSION_ERROR]))),
        // HAProxy and lighttpd reject the empty name in their HPACK decoder: GOAWAY
        // (COMPRESSION_ERROR). RFC 7541 allows an empty string, so no decoding error
        // occurred, but a decoder that stops mid-block cannot keep the compression context
        // (§7: COMPRESSION_ERROR) and §5.4 lets an endpoint "use any applicable error code":
        // an open reading, lenient.
        reactions: &[&malformed_rows(1), &[row(GoAway(E::COMPRESSION_ERROR), Lenient)]],
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.2.1/nul-in-field-value",
        description: "Sends a GET with a field value containing NUL",
        requirement: VALUE_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x61, 0x00, 0x62])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/cr-in-field-value",
        description: "Sends a GET with a field value containing CR",
        requirement: VALUE_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x61, 0x0d, 0x62])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/lf-in-field-value",
        description: "Sends a GET with a field value containing LF",
        requirement: VALUE_CHARS,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x61, 0x0a, 0x62])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/leading-space-in-value",
        description: "Sends a GET with a field value starting with SP",
        requirement: WHITESPACE,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x20, 0x6f, 0x6b])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/trailing-tab-in-value",
        description: "Sends a GET with a field value ending with HTAB",
        requirement: WHITESPACE,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x6f, 0x6b, 0x09])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.2/proxy-connection-header",
        description: "Sends a GET with proxy-connection: keep-alive",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("proxy-connection", "keep-alive")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/keep-alive-header",
        description: "Sends a GET with keep-alive: timeout=5",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("keep-alive", "timeout=5")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/transfer-encoding-header",
        description: "Sends a GET with transfer-encoding: chunked",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("transfer-encoding", "chunked")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/upgrade-header",
        description: "Sends a GET with upgrade: h2c",
        requirement: CONNECTION_SPECIFIC,
        script: |ctx| Ok(Script::send([ctx.get(1).field("upgrade", "h2c")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.2/te-trailers-accepted",
        description: "Sends a GET with te: trailers, the one allowed value",
        requirement: "The only exception to this is the TE header field, which MAY be present in an HTTP/2 request; when it is, it MUST NOT contain any value other than \"trailers\". (te: trailers is allowed: the request is well-formed and must be served, not reset or answered 400.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("te", "trailers")], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S2)
    },
    Case {
        id: "rfc9113/8.2.3/cookie-crumbs-accepted",
        description: "Sends a GET whose cookie is split into three cookie fields",
        requirement: "To allow for better compression efficiency, the Cookie header field MAY be split into separate header fields, each with one or more cookie-pairs. (The request is well-formed and must be served.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("cookie", "a=1").field("cookie", "b=2").field("cookie", "c=3")], response(1))),
        reactions: &[&served_rows(1)],
        ..must("RFC 9113 §8.2.3")
    },
    Case {
        id: "rfc9113/8.2.1/leading-tab-in-value",
        description: "Sends a GET with a field value starting with HTAB",
        requirement: WHITESPACE,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x09, 0x6f, 0x6b])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/trailing-space-in-value",
        description: "Sends a GET with a field value ending with SP",
        requirement: WHITESPACE,
        script: |ctx| Ok(Script::send([ctx.get(1).field("x-test", vec![0x6f, 0x6b, 0x20])], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/uppercase-field-name-in-continuation",
        description: "Sends a GET whose field block is split over HEADERS and CONTINUATIONs, the uppercase field X-TEST in a CONTINUATION",
        requirement: NAME_CHARS,
        script: |ctx| Ok(Script::send(ctx.get(1).field("X-TEST", "ok").build_split(12), malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/uppercase-field-name-in-trailers",
        description: "Sends a POST (content-length: 4) whose trailer section contains the uppercase field name X-TRAILER",
        requirement: concat!(name_chars!(), in_trailers!()),
        script: |ctx| bad_trailers(ctx, "X-TRAILER", b"ok"),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.1/lf-in-trailer-value",
        description: "Sends a POST (content-length: 4) whose trailer section has a field value containing LF",
        requirement: concat!(value_chars!(), in_trailers!()),
        script: |ctx| bad_trailers(ctx, "x-trailer", b"a\nb"),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.2.2/connection-header-in-trailers",
        description: "Sends a POST (content-length: 4) whose trailer section contains connection: close",
        requirement: concat!(connection_specific!(), in_trailers!()),
        script: |ctx| bad_trailers(ctx, "connection", b"close"),
        reactions: &[&malformed_rows(1)],
        ..must(S2)
    },
];
