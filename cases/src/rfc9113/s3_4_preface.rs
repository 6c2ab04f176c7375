//! RFC 9113 §3.4: HTTP/2 connection preface.

use crate::common::*;
use h2probe_codec::frame::PREFACE;
use h2probe_harness::case::{Case, Script, Setup};
use h2probe_harness::conn::Outgoing;
use h2probe_harness::expectation::Expectation;

const S: &str = "RFC 9113 §3.4";

/// An invalid client preface of exactly the preface's 24 octets: a server that skips 24
/// octets without comparing them reads the SETTINGS and PING that follow as valid frames
/// and answers them, so not checking the preface shows.
const BAD_PREFACE: &[u8; 24] = b"INVALID H2 PREFACE\r\n\r\n\r\n";

/// The SETTINGS a split-preface case sends after the 24 octets (ENABLE_PUSH 0, as clients send).
fn preface_settings() -> Outgoing {
    frames::settings().set(SettingId::ENABLE_PUSH, 0).build().into()
}

/// The 24-octet preface in three writes, 50 ms apart, the last with the SETTINGS. The
/// splits never leave a complete HTTP/1.1 request line. (The client's automatic replies,
/// the ACK of the server's SETTINGS, are held until the 24 octets are out, and then follow
/// our SETTINGS, which goes in the same write as the last piece.)
fn split_preface() -> Script {
    let pause = || Step::Pause(std::time::Duration::from_millis(50));
    Script::steps(
        vec![
            send([Outgoing::Bytes(PREFACE[..3].to_vec(), "preface octets 1-3".into())]),
            pause(),
            send([Outgoing::Bytes(PREFACE[3..10].to_vec(), "preface octets 4-10".into())]),
            pause(),
            send([Outgoing::Bytes(PREFACE[10..].to_vec(), "preface octets 11-24".into()), preface_settings()]),
        ],
        Expectation::SettingsAck,
    )
}

/// The 24-octet magic in one write, then our SETTINGS (ENABLE_PUSH 0, 15 octets) in three
/// writes, 50 ms apart: 4 octets of its frame header, the other 5 with 2 octets of the
/// payload, then the last 4. The server's SETTINGS ACK must follow all the same. (The
/// client's automatic replies are held until the SETTINGS is completely written, so nothing
/// lands inside it.)
fn split_settings() -> Script {
    let pause = || Step::Pause(std::time::Duration::from_millis(50));
    let settings = frames::settings().set(SettingId::ENABLE_PUSH, 0).build().to_bytes();
    let piece = |from: usize, to: usize| send([Outgoing::Bytes(settings[from..to].to_vec(), format!("SETTINGS octets {}-{}", from + 1, to))]);
    Script::steps(
        vec![
            send([Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into())]),
            pause(),
            piece(0, 4),
            pause(),
            piece(4, 11),
            pause(),
            piece(11, settings.len()),
        ],
        Expectation::SettingsAck,
    )
}

/// A SETTINGS that must be acknowledged: the ACK passes; no ACK, a dropped preface, an
/// error or a close fail.
const ACKED_ROWS: &[Row] = &[
    row(Ignore, Pass),
    row(NoSettingsAck, Fail),
    row(Drop, Fail),
    row(GoAway(E::PROTOCOL_ERROR), Fail),
    row(Close, Fail),
];

/// An invalid preface: GOAWAY(PROTOCOL_ERROR) or a bare close (§3.4: the GOAWAY MAY be
/// omitted); INTERNAL_ERROR is the open reading of §5.4; answering the frames that follow,
/// staying silent, a wrong or an undefined code fail.
const PREFACE_REJECTED_ROWS: &[Row] = &[
    row(GoAway(E::PROTOCOL_ERROR), Pass),
    row(Close, Alternative),
    row(GoAway(E::INTERNAL_ERROR), Lenient),
    row(Ignore, Fail),
    row(Drop, Fail),
    row(GoAway(E::FRAME_SIZE_ERROR), Fail),
    row(GoAway(E(0xfe)), Fail),
];

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "rfc9113/3.4/server-preface-is-settings",
        h2spec: Some("http2/3.5/1"),
        description: "Sends the client connection preface; the server's first frame must be SETTINGS",
        requirement: "The server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends in the HTTP/2 connection.",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into()), frames::settings().build().into()],
                Expectation::FirstFrameSettings,
            ))
        },
        // The scripted server writes its SETTINGS as soon as it accepts, before any reaction
        // to the client's frames: a GOAWAY or a close afterwards still came second.
        reactions: &[&[
            row(Ignore, Pass),
            row(Close, Pass),
            row(GoAway(E::PROTOCOL_ERROR), Pass),
            row(FirstFrameNotSettings, Fail),
            row(NoServerPreface, Fail),
        ]],
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
        reactions: &[ACKED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/invalid-preface",
        h2spec: Some("http2/3.5/2"),
        description: "Sends 24 octets that are not the connection preface, then a valid SETTINGS frame (and the PING fence)",
        requirement: "Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. A GOAWAY frame (Section 6.8) MAY be omitted in this case, since an invalid preface indicates that the peer is not using HTTP/2. (The invalid preface has the length of the real one and is followed by a valid SETTINGS frame and a PING: a server that does not check the 24 octets answers those, which shows it took the connection for HTTP/2. An HTTP/1.1 answer, from a server sharing the port, also rejects the preface.)",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(BAD_PREFACE.to_vec(), "invalid preface".into()), frames::settings().build().into()],
                Expectation::PrefaceRejected,
            ))
        },
        reactions: &[PREFACE_REJECTED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/preface-not-followed-by-settings",
        description: "Sends the connection preface followed by a PING instead of a SETTINGS frame",
        requirement: "That is, the connection preface starts with the string \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\". This sequence MUST be followed by a SETTINGS frame (Section 6.5), which MAY be empty. … Clients and servers MUST treat an invalid connection preface as a connection error (Section 5.4.1) of type PROTOCOL_ERROR. (The client preface is the 24 octets and the SETTINGS frame: a PING in place of the SETTINGS makes it invalid, and answering that PING, or the PING sent after it, accepts an invalid preface.)",
        setup: Setup::RAW,
        script: |_| {
            Ok(Script::send(
                [Outgoing::Bytes(PREFACE.to_vec(), "connection preface".into()), frames::ping(*b"notfirst").build().into()],
                Expectation::PrefaceRejected,
            ))
        },
        reactions: &[PREFACE_REJECTED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/preface-in-pieces",
        description: "Over TLS, sends the 24-octet connection preface in three writes (3, 7, 14 octets), 50 ms apart, then SETTINGS; it must be acknowledged",
        requirement: "The client connection preface starts with a sequence of 24 octets … This sequence MUST be followed by a SETTINGS frame (Section 6.5), which MAY be empty. … The SETTINGS frames received from a peer as part of the connection preface MUST be acknowledged (see Section 6.5.3) after sending the connection preface. (Over TLS the protocol is settled by ALPN before the first octet, §3.2, and TLS keeps no write boundaries, RFC 8446 §5.1: \"Application Data fragments MAY be split across multiple records or coalesced into a single record.\" A preface split across records is still the preface; lighttpd answers it with GOAWAY(FRAME_SIZE_ERROR) when it has read part of the 24 octets. Over cleartext, where a server may share the port with HTTP/1.1, see rfc9113/3.4/preface-in-pieces-cleartext.)",
        setup: Setup::RAW,
        script: |ctx| {
            if ctx.scheme != "https" {
                return Err("over cleartext a server may tell HTTP/2 from HTTP/1.1 by the first octets; see rfc9113/3.4/preface-in-pieces-cleartext (SHOULD level)".into());
            }
            Ok(split_preface())
        },
        reactions: &[ACKED_ROWS],
        ..must(S)
    },
    Case {
        id: "rfc9113/3.4/preface-in-pieces-cleartext",
        description: "Over cleartext (prior knowledge), sends the 24-octet connection preface in three writes (3, 7, 14 octets), 50 ms apart, then SETTINGS; it should be acknowledged",
        requirement: "The client connection preface starts with a sequence of 24 octets … This sequence MUST be followed by a SETTINGS frame. … The SETTINGS frames received from a peer as part of the connection preface MUST be acknowledged. (An interoperability check, SHOULD level: TCP keeps no write boundaries, but RFC 9113 §3.3 leaves open how a server tells a prior-knowledge connection from HTTP/1.1 on a shared port, \"Servers can identify these connections by the presence of the connection preface\", and such a server decides on the first octets it reads: Apache's h2c direct mode answers HTTP/1.1 400 after 3 octets. Clients write the 24 octets at once. The splits never leave a complete HTTP/1.1 request line. Over TLS this is rfc9113/3.4/preface-in-pieces, at MUST level.)",
        tags: &["interop"],
        setup: Setup::RAW,
        script: |ctx| {
            if ctx.scheme != "http" {
                return Err("over TLS this is rfc9113/3.4/preface-in-pieces (MUST level)".into());
            }
            Ok(split_preface())
        },
        reactions: &[ACKED_ROWS],
        ..should(S)
    },
    Case {
        id: "rfc9113/3.4/preface-settings-in-pieces",
        description: "Sends the 24-octet connection preface in one write, then the SETTINGS frame that must follow it in three writes (4, 7 and 4 octets), 50 ms apart; it must be acknowledged",
        requirement: "That is, the connection preface starts with the string \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\". This sequence MUST be followed by a SETTINGS frame (Section 6.5), which MAY be empty. … The SETTINGS frames received from a peer as part of the connection preface MUST be acknowledged (see Section 6.5.3) after sending the connection preface. (The 24 octets arrive whole, so even a server that tells HTTP/2 from HTTP/1.1 by the first octets on a shared port sees the preface at once, over cleartext as over TLS; what follows is a frame, and TCP and TLS keep no write boundaries: RFC 8446 §5.1, \"Application Data fragments MAY be split across multiple records or coalesced into a single record.\" A SETTINGS split across writes is still the SETTINGS of the preface. A server that waits for more, rejects it, or closes fails.)",
        setup: Setup::RAW,
        script: |_| Ok(split_settings()),
        reactions: &[ACKED_ROWS],
        ..must(S)
    },
];
