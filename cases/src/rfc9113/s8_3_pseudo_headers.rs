//! RFC 9113 §8.3: HTTP control data (pseudo-header fields), and §8.3.1 request pseudo-headers.

use crate::common::*;
use h2probe_harness::case::{Case, Script};

const S: &str = "RFC 9113 §8.3";
const S1: &str = "RFC 9113 §8.3.1";
const REQUIRED: &str = "All HTTP/2 requests MUST include exactly one valid value for the \":method\", \":scheme\", and \":path\" pseudo-header fields, unless they are CONNECT requests (Section 8.5). An HTTP request that omits mandatory pseudo-header fields is malformed (Section 8.1.1).";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/8.3/unknown-pseudo-header",
        h2spec: Some("http2/8.1.2.1/1"),
        description: "Sends a GET with the undefined pseudo-header :test",
        requirement: "Pseudo-header fields are only valid in the context in which they are defined. … Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        script: |ctx| Ok(Script::send([ctx.get(1).field(":test", "ok")], malformed(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3/response-pseudo-header-in-request",
        h2spec: Some("http2/8.1.2.1/2"),
        description: "Sends a GET carrying the response pseudo-header :status",
        requirement: "Pseudo-header fields defined for requests MUST NOT appear in responses; pseudo-header fields defined for responses MUST NOT appear in requests. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        script: |ctx| Ok(Script::send([ctx.get(1).field(":status", "200")], malformed(1))),
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3/pseudo-header-in-trailers",
        h2spec: Some("http2/8.1.2.1/3"),
        description: "Sends a POST whose trailer section contains :method",
        requirement: "Pseudo-header fields MUST NOT appear in a trailer section. Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        script: |ctx| {
            Ok(Script::steps(
                vec![
                    send([ctx.post(1)]),
                    Step::NoResponseYet(StreamId(1)),
                    send([frames::data(1, filler(4)).build(), frames::headers(1).field(":method", "POST").field("x-trailer", "ok").end_stream().build()]),
                ],
                malformed(1),
            ))
        },
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
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3.1/empty-path",
        h2spec: Some("http2/8.1.2.3/1"),
        description: "Sends a GET with an empty :path",
        requirement: "\":path\" … This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs; \"http\" or \"https\" URIs that do not contain a path component MUST include a value of '/'.",
        script: |ctx| Ok(Script::send([ctx.get(1).set(":path", "")], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-method",
        h2spec: Some("http2/8.1.2.3/2"),
        description: "Sends a request without :method",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":method")], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-scheme",
        h2spec: Some("http2/8.1.2.3/3"),
        description: "Sends a request without :scheme",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":scheme")], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/missing-path",
        h2spec: Some("http2/8.1.2.3/4"),
        description: "Sends a request without :path",
        requirement: REQUIRED,
        script: |ctx| Ok(Script::send([ctx.get(1).without(":path")], malformed(1))),
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-method",
        h2spec: Some("http2/8.1.2.3/5"),
        description: "Sends a request with :method twice",
        requirement: REQUIRED,
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field(":method", "GET").field(":authority", authority)], malformed(1)))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-scheme",
        h2spec: Some("http2/8.1.2.3/6"),
        description: "Sends a request with :scheme twice",
        requirement: REQUIRED,
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field(":scheme", ctx.scheme).field(":authority", authority)], malformed(1)))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-path",
        h2spec: Some("http2/8.1.2.3/7"),
        description: "Sends a request with :path twice",
        requirement: REQUIRED,
        script: |ctx| {
            let (authority, path) = (ctx.authority.clone(), ctx.path.clone());
            Ok(Script::send([ctx.get(1).without(":authority").field(":path", path).field(":authority", authority)], malformed(1)))
        },
        ..must(S1)
    },
    Case {
        id: "rfc9113/8.3.1/authority-with-userinfo",
        description: "Sends a GET whose :authority contains userinfo (user@host)",
        requirement: "\":authority\" … MUST NOT include the deprecated userinfo subcomponent for \"http\" or \"https\" schemed URIs. (This binds the sender; RFC 9113 names no reaction for a receiver, so rejecting it is checked only under --strict.)",
        script: |ctx| {
            let authority = format!("user@{}", ctx.authority);
            Ok(Script::send([ctx.get(1).set(":authority", authority)], malformed(1)))
        },
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.3.1/host-disagrees-with-authority",
        description: "Sends a GET whose host field names a different host than :authority",
        requirement: "A server SHOULD treat a request as malformed if it contains a Host header field that identifies an entity that differs from the entity in the \":authority\" pseudo-header field.",
        script: |ctx| Ok(Script::send([ctx.get(1).field("host", "other.invalid")], malformed(1))),
        ..should(S1)
    },
    Case {
        id: "rfc9113/8.3.2/status-in-request",
        description: "Sends a request with :status before :method",
        requirement: "Pseudo-header fields defined for responses MUST NOT appear in requests. Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1).",
        script: |ctx| {
            let mut req = ctx.get(1);
            req = frames::headers(1).field(":status", "200").fields(req.header_fields().iter().map(|f| (f.name.clone(), f.value.clone()))).end_stream();
            Ok(Script::send([req], malformed(1)))
        },
        ..must("RFC 9113 §8.3.2")
    },
    Case {
        id: "rfc9113/8.5/connect-with-scheme",
        description: "Sends a CONNECT request carrying :scheme and :path",
        requirement: "The \":scheme\" and \":path\" pseudo-header fields MUST be omitted. … A CONNECT request that does not conform to these restrictions is malformed (Section 8.1.1).",
        script: |ctx| {
            let authority = ctx.authority.clone();
            Ok(Script::send([frames::headers(1).field(":method", "CONNECT").field(":scheme", ctx.scheme).field(":path", "/").field(":authority", authority)], malformed(1)))
        },
        ..must("RFC 9113 §8.5")
    },
    Case {
        id: "rfc9113/8.5/connect-without-authority",
        description: "Sends a CONNECT request with no :authority",
        requirement: "The \":authority\" pseudo-header field contains the host and port to connect to … A CONNECT request that does not conform to these restrictions is malformed (Section 8.1.1).",
        script: |_| Ok(Script::send([frames::headers(1).field(":method", "CONNECT")], malformed(1))),
        ..must("RFC 9113 §8.5")
    },
    Case {
        id: "rfc9113/8.5/protocol-without-enable-connect-protocol",
        description: "Sends an extended CONNECT (:protocol websocket) although the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1",
        requirement: "RFC 8441 §4: A client MUST NOT send a CONNECT request with the \":protocol\" pseudo-header unless the server has sent SETTINGS_ENABLE_CONNECT_PROTOCOL with a value of 1. (RFC 9113 §8.3: undefined pseudo-header fields make a request malformed.)",
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
        ..must("RFC 9113 §8.5")
    },
    Case {
        id: "rfc9113/8.3/uppercase-pseudo-header",
        description: "Sends a GET that also carries the pseudo-header :PATH in uppercase",
        requirement: "Pseudo-header fields are not HTTP header fields. Endpoints MUST NOT generate pseudo-header fields other than those defined in this document. … Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header fields as malformed (Section 8.1.1). (RFC 9113 §8.2.1: field names MUST NOT contain uppercase characters.)",
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
        ..must(S)
    },
    Case {
        id: "rfc9113/8.3.1/duplicate-authority",
        description: "Sends a GET with :authority twice",
        requirement: "The same pseudo-header field name MUST NOT appear more than once in a field block, unless the pseudo-header field is defined as allowing that. (RFC 9113 §8.3; no request pseudo-header allows it; such a request is malformed, §8.1.1.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field(":authority", ctx.authority.clone())], malformed(1))),
        ..must("RFC 9113 §8.3.1")
    },
    Case {
        id: "rfc9113/8.3.1/host-without-authority-accepted",
        description: "Sends a GET that names its host in a host field instead of :authority",
        requirement: "The :authority pseudo-header field … Clients that generate HTTP/2 requests directly MUST use the :authority pseudo-header field to convey authority information, unless there is no authority information to convey … An intermediary that forwards a request over HTTP/2 MAY retain any Host header field. (:authority is optional; a request with Host instead is well-formed and must be served, not reset.)",
        script: |ctx| {
            let host = ctx.authority.clone();
            Ok(Script::send([ctx.get(1).without(":authority").field("host", host)], response(1)))
        },
        ..must("RFC 9113 §8.3.1")
    },
    Case {
        id: "rfc9113/8.3.1/host-matching-authority-accepted",
        description: "Sends a GET whose host field equals :authority",
        requirement: "A server SHOULD treat a request as malformed if it contains a Host header field that identifies an entity that differs from the entity in the \":authority\" pseudo-header field. (A Host that agrees with :authority is allowed and must be served.)",
        script: |ctx| Ok(Script::send([ctx.get(1).field("host", ctx.authority.clone())], response(1))),
        ..must("RFC 9113 §8.3.1")
    },
    Case {
        id: "rfc9113/8.3.1/options-asterisk-accepted",
        description: "Sends OPTIONS with :path * (asterisk form); any response shows it was processed",
        requirement: "This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs; \"http\" or \"https\" URIs that do not contain a path component MUST include a value of '/'. The exceptions to this rule are: an OPTIONS request for an \"http\" or \"https\" URI that does not include a path component; these MUST include a \":path\" pseudo-header field with a value of '*' (see Section 7.1 of [HTTP]).",
        script: |ctx| {
            let req = frames::headers(1).field(":method", "OPTIONS").field(":scheme", ctx.scheme).field(":path", "*").field(":authority", ctx.authority.clone()).end_stream();
            Ok(Script::send([req], response(1)))
        },
        ..must("RFC 9113 §8.3.1")
    },
];
