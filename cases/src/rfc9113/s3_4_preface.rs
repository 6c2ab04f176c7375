//! RFC 9113 §3.4: HTTP/2 connection preface.

use crate::common::*;
use h2probe_codec::frame::PREFACE;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §3.4";

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/3.4/server-preface-is-settings",
        h2spec: Some("http2/3.5/1"),
        description: "Sends the client connection preface; the server's first frame must be SETTINGS",
        requirement: "The server connection preface consists of a potentially empty SETTINGS frame that MUST be the first frame the server sends in the HTTP/2 connection.",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into()), frames::settings().build().into()],
                Expectation::FirstFrameSettings,
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/settings-exchange",
        h2spec: Some("generic/1/1"),
        description: "Sends the preface and SETTINGS; the server answers with its SETTINGS and acknowledges ours",
        requirement: "The SETTINGS frames received from a peer as part of the connection preface MUST be acknowledged (see Section 6.5.3) after sending the connection preface.",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into()), frames::settings().build().into()],
                Expectation::SettingsAck,
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/invalid-preface",
        h2spec: Some("http2/3.5/2"),
        description: "Sends an invalid connection preface",
        requirement: "Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. A GOAWAY frame (Section 6.8) MAY be omitted in this case, since an invalid preface indicates that the peer is not using HTTP/2.",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send([Outgoing::Bytes(b"INVALID CONNECTION PREFACE\r\n\r\n".to_vec(), "invalid preface".into())], Expectation::PrefaceRejected)
                .no_fence())
        },
        ..must(S)
    },
];
