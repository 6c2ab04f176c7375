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
    Case {
        id: "rfc9113/3.4/preface-not-followed-by-settings",
        description: "Sends the connection preface followed by a PING instead of a SETTINGS frame",
        requirement: "That is, the connection preface starts with the string \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\". This sequence MUST be followed by a SETTINGS frame (Section 6.5), which MAY be empty. … Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into()), frames::ping(*b"notfirst").build().into()],
                Expectation::PrefaceRejected,
            ))
        },
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/preface-in-pieces",
        description: "Sends the connection preface in three TCP writes, 50 ms apart, then SETTINGS; it must be acknowledged",
        requirement: "The client connection preface starts with a sequence of 24 octets … This sequence MUST be followed by a SETTINGS frame. (TCP is a byte stream: a preface split across segments is still the preface, and the SETTINGS that follows MUST be acknowledged, §6.5.3. The splits never leave a complete HTTP/1.1 request line, so a server that also speaks HTTP/1.1 on the port can tell the protocols apart.)",
        setup: Setup::RAW,
        script: |_| {
            let pause = Step::Pause(std::time::Duration::from_millis(50));
            Ok(Script::steps(
                vec![
                    send([Outgoing::Bytes(PREFACE[..3].to_vec(), "preface octets 1-3".into())]),
                    pause.clone(),
                    send([Outgoing::Bytes(PREFACE[3..10].to_vec(), "preface octets 4-10".into())]),
                    pause,
                    send([Outgoing::Bytes(PREFACE[10..].to_vec(), "preface octets 11-24".into()), frames::settings().build().into()]),
                ],
                Expectation::SettingsAck,
            ))
        },
        ..must(S)
    },
];
