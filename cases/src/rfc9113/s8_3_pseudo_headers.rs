//! RFC 9113 §8.3: HTTP control data (pseudo-header fields), §8.3.1 request pseudo-headers,
//! and §8.5 the pseudo-headers of CONNECT.

use crate::common::*;
use h2probe_harness::case::{Case, Script};
use h2probe_harness::expectation::{Accept, Expectation};

const S: &str = "RFC 9113 §8.3";
const S1: &str = "RFC 9113 §8.3.1";
const S5: &str = "RFC 9113 §8.5";
const REQUIRED: &str = "All HTTP/2 requests MUST include exactly one valid value for the \":method\", \":scheme\", and \":path\" pseudo-header fields, unless they are CONNECT requests (Section 8.5). An HTTP request that omits mandatory pseudo-header fields is malformed (Section 8.1.1).";
const REPEATED: &str = "The same pseudo-header field name MUST NOT appear more than once in a field block. A field block for an HTTP request or response that contains a repeated pseudo-header field name MUST be treated as malformed (Section 8.1.1).";
const CONNECT_RULES: &str = "The \":scheme\" and \":path\" pseudo-header fields MUST be omitted. The \":authority\" pseudo-header field contains the host and port to connect to (equivalent to the authority-form of the request-target of CONNECT requests; see Section 3.2.3 of [HTTP/1.1]). A CONNECT request that does not conform to these restrictions is malformed (Section 8.1.1).";

/// A request that must be processed: the normal answer and any status but 400 pass (the
/// test resource may not support the method); a 400, a reset, an error or a close fail.
const NOT_BAD_REQUEST_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(Respond(1, 404), Pass),
    row(Respond(1, 405), Pass),
    row(Respond(1, 501), Pass),
    row(Respond(1, 400), Fail),
    row(Reset(1, E::PROTOCOL_ERROR), Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
    row(Drop, Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/8.3/unknown-pseudo-header",
        h2spec: Some("http2/8.1.2.1/1"),
        description: "Sends a GET with the undefined pseudo-header :test",
        requirement: "Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        script: |ctx| Ok(Script::send([ctx.get(1).field(":test", "ok")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3/response-pseudo-header-in-request",
        h2spec: Some("http2/8.1.2.1/2"),
        aliases: &["rfc9113/8.3.2/status-in-request"],
        description: "Sends a GET carrying the response pseudo-header :status",
        requirement: "Pseudo-header fields are only valid in the context in which they are defined. Pseudo-header fields defined for requests MUST NOT appear in responses; pseudo-header fields defined for responses MUST NOT appear in requests. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1). (Merged with rfc9113/8.3.2/status-in-request, which sent :status first instead of last.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field(":status", "200")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3/pseudo-header-in-trailers",
        h2spec: Some("http2/8.1.2.1/3"),
        description: "Sends a POST (content-length: 4) and its body, whose trailer section contains :method",
        requirement: "Pseudo-header fields MUST NOT appear in a trailer section. Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1). (RFC 9113 §8.1: \"An endpoint that receives pseudo-header fields in trailers MUST treat the request or response as malformed (Section 8.1.1).\" The status code cannot be sent in a trailer (§8.2.1), so RST_STREAM(PROTOCOL_ERROR) is the reaction; INTERNAL_ERROR is taken leniently.)",
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post_sized(1, 4)]),
                    Step::NoResponseYet(StreamId(1)),
                    send([frames::data(1, filler(4)).build(), frames::headers(1).field(":method", "POST").field("x-trailer", "ok").end_stream().build()]),
                ],
                malformed(1),
            ))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3/pseudo-header-after-regular",
        h2spec: Some("http2/8.1.2.1/4"),
        description: "Sends a GET whose :authority follows a regular field",
        requirement: "All pseudo-header fields MUST appear in a field block before all regular field lines. Any request or response that contains a pseudo-header field that appears in a field block after a regular field line MUST be treated as malformed (Section 8.1.1).",
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field("x-test", "ok").field(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3.1/empty-path",
        h2spec: Some("http2/8.1.2.3/1"),
        description: "Sends a GET with an empty :path",
        requirement: "This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs; \"http\" or \"https\" URIs that do not contain a path component MUST include a value of '/'. … All HTTP/2 requests MUST include exactly one valid value for the \":method\", \":scheme\", and \":path\" pseudo-header fields, unless they are CONNECT requests (Section 8.5). (RFC 9113 §8.3: \"Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).\")",
        script: |ctx| Ok(Script::send([ctx.get(1).set(":path", "")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-method",
        h2spec: Some("http2/8.1.2.3/2"),
        description: "Sends a request without :method",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":method")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-scheme",
        h2spec: Some("http2/8.1.2.3/3"),
        description: "Sends a request without :scheme",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":scheme")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-path",
        h2spec: Some("http2/8.1.2.3/4"),
        description: "Sends a request without :path",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":path")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-method",
        h2spec: Some("http2/8.1.2.3/5"),
        description: "Sends a request with :method twice",
        requirement: REPEATED,
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field(":method", "GET").field(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-scheme",
        h2spec: Some("http2/8.1.2.3/6"),
        description: "Sends a request with :scheme twice",
        requirement: REPEATED,
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field(":scheme", ctx.scheme).field(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-path",
        h2spec: Some("http2/8.1.2.3/7"),
        description: "Sends a request with :path twice",
        requirement: REPEATED,
        script: |ctx| {
            let (authority, path) = (ctx.authority.clone(), ctx.path.clone());
            Ok(Script::send([ctx.get(1).without(":authority").field(":path", path).field(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/authority-with-userinfo",
        description: "Sends a GET whose :authority contains userinfo (user@host)",
        requirement: "\":authority\" MUST NOT include the deprecated userinfo subcomponent for \"http\" or \"https\" schemed URIs. (This binds the sender; RFC 9113 names no reaction for a receiver, and §8.1.1 lists no userinfo among what makes a request malformed. The receiver's rule is RFC 9110 §4.2.4: \"Before making use of an \"http\" or \"https\" URI reference received from an untrusted source, a recipient SHOULD parse for userinfo and treat its presence as an error\": a SHOULD, checked only under --strict.)",
        script: |ctx| {
            let authority = format!("user@{}", ctx.authority);
            Ok(Script::send([ctx.get(1).set(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.3.1/host-disagrees-with-authority",
        description: "Sends a GET whose host field names a different host than :authority",
        requirement: "Clients MUST NOT generate a request with a Host header field that differs from the \":authority\" pseudo-header field. A server SHOULD treat a request as malformed if it contains a Host header field that identifies an entity that differs from the entity in the \":authority\" pseudo-header field. (The server's rule is a SHOULD.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("host", "other.invalid")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.5/connect-with-scheme",
        description: "Sends a CONNECT request (no :protocol) carrying :scheme and :path",
        requirement: CONNECT_RULES,
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([frames::headers(1).field(":method", "CONNECT").field(":scheme", ctx.scheme).field(":path", "/").field(":authority", authority)], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S5)
    },
    Case {
        id: "rfc9113/8.5/connect-without-authority",
        description: "Sends a CONNECT request with no :authority",
        requirement: CONNECT_RULES,
        script: |_| Ok(Script::send([frames::headers(1).field(":method", "CONNECT")], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S5)
    },
    Case {
        id: "rfc9113/8.5/protocol-without-enable-connect-protocol",
        description: "Sends an extended CONNECT (:protocol websocket) although the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1",
        requirement: "RFC 9113 §8.3: \"Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).\" §8.5: \"The \":scheme\" and \":path\" pseudo-header fields MUST be omitted. … A CONNECT request that does not conform to these restrictions is malformed (Section 8.1.1).\" (Without the extension :protocol is undefined, and the CONNECT carries :scheme and :path. RFC 8441 §3 says the same of a server that did not opt in: \"If a client were to use the provisions of the extended CONNECT method defined in this document without first receiving a SETTINGS_ENABLE_CONNECT_PROTOCOL parameter, a non-supporting peer would detect a malformed request and generate a stream error (Section 8.1.2.6 of [RFC7540]).\")",
        script: |ctx| {
            if ctx.server.get(SettingId::ENABLE_CONNECT_PROTOCOL) == Some(1) {
                return Err("the server enables extended CONNECT (SETTINGS_ENABLE_CONNECT_PROTOCOL=1)".into());
            }
            let authority = ctx.authority.clone();
            let path = ctx.path.clone();
            Ok(Script::send(
                [frames::headers(1).field(":method", "CONNECT").field(":protocol", "websocket").field(":scheme", ctx.scheme).field(":path", path).field(":authority", authority)],
                malformed(1),
            ))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S5)
    },
    Case {
        id: "rfc9113/8.3/uppercase-pseudo-header",
        description: "Sends a GET that also carries the pseudo-header :PATH in uppercase",
        requirement: "Pseudo-header fields are not HTTP header fields. Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1). (:PATH is not defined; RFC 9113 §8.2.1 also bars uppercase characters from every field name.)",
        script: |ctx| {
            let path = ctx.path.clone();
            let req = frames::headers(1)
                .field(":method", "GET")
                .field(":scheme", ctx.scheme)
                .field(":path", path.clone())
                .field(":PATH", path)
                .field(":authority", ctx.authority.clone())
                .end_stream();
            Ok(Script::send([req], malformed(1)))
        },
        reactions: &[&malformed_rows(1)],
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-authority",
        description: "Sends a GET with :authority twice",
        requirement: REPEATED,
        script: |ctx| Ok(Script::send([ctx.get(1).field(":authority", ctx.authority.clone())], malformed(1))),
        reactions: &[&malformed_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/host-without-authority-accepted",
        description: "Sends a GET that names its host in a host field instead of :authority",
        requirement: "The recipient of a HTTP/2 request MUST NOT use the Host header field to determine the target URI if \":authority\" is present. Clients that generate HTTP/2 requests directly MUST use the \":authority\" pseudo-header field to convey authority information, unless there is no authority information to convey (in which case it MUST NOT generate \":authority\"). … An intermediary that forwards a request over HTTP/2 MAY retain any Host header field. (:authority is not mandatory, §8.3.1 lists only :method, :scheme and :path; a request with Host instead is well-formed and must be served, not reset.)",
        script: |ctx| {
            let host = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field("host", host)], response(1)))
        },
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/host-matching-authority-accepted",
        description: "Sends a GET whose host field equals :authority",
        requirement: "Clients MUST NOT generate a request with a Host header field that differs from the \":authority\" pseudo-header field. A server SHOULD treat a request as malformed if it contains a Host header field that identifies an entity that differs from the entity in the \":authority\" pseudo-header field. … An intermediary that forwards a request over HTTP/2 MAY retain any Host header field. (A Host equal to :authority is the form the RFC allows: an intermediary may keep Host beside the :authority it MUST construct. Nothing makes the request malformed, so it must be served, not answered 400; RFC 2119 §5: an implementation \"MUST be prepared to interoperate with another implementation which does include the option\". nginx answers 400, \"client sent duplicate host header\": it takes :authority for a Host field.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("host", ctx.authority.clone())], response(1))),
        reactions: &[&served_rows(1)],
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/options-asterisk-accepted",
        description: "Sends OPTIONS with :path * (asterisk form); any response but 400 shows it was taken as a valid request",
        requirement: "This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs; \"http\" or \"https\" URIs that do not contain a path component MUST include a value of '/'. The exceptions to this rule are: an OPTIONS request for an \"http\" or \"https\" URI that does not include a path component; these MUST include a \":path\" pseudo-header field with a value of '*' (see Section 7.1 of [HTTP]). (The request is well-formed. The test resource need not implement OPTIONS *, so a 404, 405 or 501 is an application's answer to a valid request and passes; a 400, or a reset, treats the RFC's own form as malformed and fails.)",
        script: |ctx| {
            let req = frames::headers(1).field(":method", "OPTIONS").field(":scheme", ctx.scheme).field(":path", "*").field(":authority", ctx.authority.clone()).end_stream();
            Ok(Script::send([req], Expectation::Response { stream: StreamId(1), accept: Accept::NotBadRequest, after_goaway: None }))
        },
        reactions: &[NOT_BAD_REQUEST_ROWS],
        ..must(S1)
    },
];
