//! The passive checker, rule by rule: for each check, a conforming frame sequence from the
//! server that passes and a violating one that is found. No server involved.

use h2probe_codec::frame::{flags, Frame, Head, PREFACE};
use h2probe_codec::hpack::{Encoder, HeaderField};
use h2probe_codec::{frames, ErrorCode as E, FrameType, SettingId};
use h2probe_harness::checker::Checker;
use h2probe_harness::checks::CheckId;

/// A connection where the handshake is done and we opened `streams` with GETs (END_STREAM).
struct Conn {
    c: Checker,
    enc: Encoder,
}

impl Conn {
    fn new() -> Conn {
        Conn::with_settings(&[(SettingId::ENABLE_PUSH, 0), (SettingId::INITIAL_WINDOW_SIZE, 1000)])
    }

    fn with_settings(ours: &[(SettingId, u32)]) -> Conn {
        let mut c = Checker::new(false, h2probe_harness::conn::Role::Client);
        let mut b = PREFACE.to_vec();
        let mut s = frames::settings();
        for &(id, v) in ours {
            s = s.set(id, v);
        }
        s.build().encode(&mut b);
        c.sent(&b);
        let mut conn = Conn { c, enc: Encoder::new() };
        conn.recv(frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 100).build());
        conn.send(frames::settings_ack());
        conn.recv(frames::settings_ack());
        conn
    }

    fn send(&mut self, f: impl Into<Frame>) {
        self.c.sent(&f.into().to_bytes());
    }

    fn get(&mut self, stream: u32) {
        self.send(frames::headers(stream).request("GET", "/").scheme("http").authority("a").end_stream().build());
    }

    fn recv_bytes(&mut self, bytes: &[u8]) {
        let head = Head::parse(bytes).expect("a frame header");
        let payload = &bytes[9..];
        let decoded = Frame::decode(&head, payload);
        self.c.received(&head, payload, decoded.as_ref());
    }

    fn recv(&mut self, f: impl Into<Frame>) {
        self.recv_bytes(&f.into().to_bytes());
    }

    /// The server's response HEADERS on `stream`, decoded as the connection would.
    fn response(&mut self, stream: u32, fields: &[(&str, &str)], end_stream: bool) {
        let fields: Vec<HeaderField> = fields.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect();
        let mut block = Vec::new();
        self.enc.encode(&fields, &mut block);
        let mut h = frames::headers(stream).block(block);
        if end_stream {
            h = h.end_stream();
        }
        self.recv(h.build());
        self.c.block(stream, end_stream, Ok(&fields));
    }

    /// A PUSH_PROMISE on `stream` promising `promised` with this request, decoded as the
    /// connection would.
    fn push(&mut self, stream: u32, promised: u32, fields: &[(&str, &str)]) {
        let fields: Vec<HeaderField> = fields.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect();
        let mut block = Vec::new();
        self.enc.encode(&fields, &mut block);
        self.recv(frames::push_promise(stream, promised).block(block).build());
        self.c.push_block(promised, Ok(&fields));
    }

    fn found(self) -> Vec<String> {
        self.c.finish().0.into_iter().map(|f| f.check).collect()
    }
}

fn id(c: CheckId) -> String {
    c.def().server_id.or(c.def().client_id).unwrap_or_default().to_string()
}

fn assert_clean(conn: Conn, c: CheckId) {
    let found = conn.found();
    assert!(!found.contains(&id(c)), "conforming sequence flagged for {}: {found:?}", id(c));
}

fn assert_found(conn: Conn, c: CheckId) {
    let found = conn.found();
    assert!(found.contains(&id(c)), "violation of {} not found; found {found:?}", id(c));
}

#[test]
fn server_preface_is_settings() {
    assert_clean(Conn::new(), CheckId::PrefaceSettings);
    let mut c = Checker::new(false, h2probe_harness::conn::Role::Client);
    let mut b = PREFACE.to_vec();
    frames::settings().build().encode(&mut b);
    c.sent(&b);
    let mut conn = Conn { c, enc: Encoder::new() };
    conn.recv(frames::window_update(0, 10));
    conn.recv(frames::settings().build());
    assert_found(conn, CheckId::PrefaceSettings);
}

#[test]
fn settings_are_acknowledged_once() {
    let mut ok = Conn::new();
    ok.send(frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 10).build());
    ok.send(frames::ping(*b"fencefen").build());
    ok.recv(frames::settings_ack());
    ok.recv(frames::ping(*b"fencefen").ack().build());
    assert_clean(ok, CheckId::SettingsAck);
    // An ACK for nothing.
    let mut extra = Conn::new();
    extra.recv(frames::settings_ack());
    assert_found(extra, CheckId::SettingsAck);
    // Never acknowledged, although a PING sent after it was answered.
    let mut never = Conn::new();
    never.send(frames::settings().set(SettingId::MAX_CONCURRENT_STREAMS, 10).build());
    never.send(frames::ping(*b"fencefen").build());
    never.recv(frames::ping(*b"fencefen").ack().build());
    assert_found(never, CheckId::SettingsAck);
}

#[test]
fn reserved_bit_and_undefined_flags() {
    let mut ok = Conn::new();
    ok.recv(frames::ping(*b"12345678").build());
    assert_clean(ok, CheckId::ReservedBit);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::PING).reserved().payload(*b"12345678").build().to_bytes());
    assert_found(bad, CheckId::ReservedBit);
    let mut ok = Conn::new();
    ok.recv(frames::settings_ack());
    assert_clean(ok, CheckId::UnusedFlags);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::PING).flags(0x10).payload(*b"12345678").build().to_bytes());
    assert_found(bad, CheckId::UnusedFlags);
    // Extension frame types define their own flags: never judged.
    let mut ext = Conn::new();
    ext.recv(frames::unknown(0x77, 0, vec![1]));
    assert_clean(ext, CheckId::UnusedFlags);
}

#[test]
fn frame_formats_the_codec_refuses() {
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::PING).payload(*b"123456").build().to_bytes());
    assert_found(bad, CheckId::PingFormat);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::SETTINGS).flags(flags::ACK).payload([0, 3, 0, 0, 0, 1]).build().to_bytes());
    assert_found(bad, CheckId::SettingsFormat);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::DATA).stream(0).payload(*b"x").build().to_bytes());
    assert_found(bad, CheckId::StreamIdClass);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::RST_STREAM).stream(1).payload([0, 0]).build().to_bytes());
    assert_found(bad, CheckId::StreamIdClass);
}

#[test]
fn padding_is_zero() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200")], false);
    ok.recv_bytes(&frames::data(1, b"ab".to_vec()).padded(3).build().to_bytes());
    assert_clean(ok, CheckId::Padding);
    let mut bad = Conn::new();
    bad.get(1);
    bad.response(1, &[(":status", "200")], false);
    bad.recv_bytes(&frames::raw(FrameType::DATA).stream(1).flags(flags::PADDED).payload([2, b'a', 0xff, 0xff]).build().to_bytes());
    assert_found(bad, CheckId::Padding);
}

#[test]
fn pings_are_answered_and_acks_are_not() {
    let mut ok = Conn::new();
    ok.send(frames::ping(*b"aaaaaaaa").build());
    ok.recv(frames::ping(*b"aaaaaaaa").ack().build());
    ok.send(frames::ping(*b"unsolict").ack().build());
    assert_clean(ok, CheckId::PingAck);
    let mut echo = Conn::new();
    echo.send(frames::ping(*b"unsolict").ack().build());
    echo.recv(frames::ping(*b"unsolict").ack().build());
    assert_found(echo, CheckId::PingAck);
    let mut dropped = Conn::new();
    dropped.send(frames::ping(*b"aaaaaaaa").build());
    dropped.send(frames::ping(*b"bbbbbbbb").build());
    dropped.recv(frames::ping(*b"bbbbbbbb").ack().build());
    assert_found(dropped, CheckId::PingAck);
    // A server that ends the connection with an error owes no answer.
    let mut errored = Conn::new();
    errored.send(frames::ping(*b"aaaaaaaa").build());
    errored.send(frames::ping(*b"bbbbbbbb").build());
    errored.recv(frames::ping(*b"bbbbbbbb").ack().build());
    errored.recv(frames::goaway(0, E::ENHANCE_YOUR_CALM).build());
    assert_clean(errored, CheckId::PingAck);
}

#[test]
fn frames_on_idle_and_closed_streams() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200")], true);
    ok.recv(frames::priority(1, 0, 15).build());
    assert_clean(ok, CheckId::ClosedStreamFrames);
    let mut idle = Conn::new();
    idle.get(1);
    idle.recv(frames::data(3, b"x".to_vec()).build());
    assert_found(idle, CheckId::RstOnIdle);
    let mut idle_rst = Conn::new();
    idle_rst.recv(frames::rst_stream(5, E::CANCEL));
    assert_found(idle_rst, CheckId::RstOnIdle);
    let mut closed = Conn::new();
    closed.get(1);
    closed.response(1, &[(":status", "200")], true);
    closed.recv(frames::window_update(1, 100));
    assert_found(closed, CheckId::ClosedStreamFrames);
    // Answering a frame we sent on the closed stream is the stream error §6.1 asks for.
    let mut answering = Conn::new();
    answering.get(1);
    answering.response(1, &[(":status", "200")], true);
    answering.send(frames::data(1, b"x".to_vec()).build());
    answering.recv(frames::rst_stream(1, E::STREAM_CLOSED));
    assert_clean(answering, CheckId::ClosedStreamFrames);
}

#[test]
fn silence_after_our_reset() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.send(frames::rst_stream(1, E::CANCEL));
    ok.recv(frames::data(1, b"in flight".to_vec()).build());
    assert_clean(ok, CheckId::SilentAfterRst);
    let mut bad = Conn::new();
    bad.get(1);
    bad.send(frames::rst_stream(1, E::CANCEL));
    bad.send(frames::ping(*b"fencefen").build());
    bad.recv(frames::ping(*b"fencefen").ack().build());
    bad.recv(frames::data(1, b"after".to_vec()).build());
    assert_found(bad, CheckId::SilentAfterRst);
    let mut rst = Conn::new();
    rst.get(1);
    rst.send(frames::rst_stream(1, E::CANCEL));
    rst.send(frames::ping(*b"fencefen").build());
    rst.recv(frames::ping(*b"fencefen").ack().build());
    rst.recv(frames::rst_stream(1, E::CANCEL));
    assert_found(rst, CheckId::NoRstForRst);
}

#[test]
fn one_reset_per_stream_and_refused_only_unprocessed() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.recv(frames::rst_stream(1, E::REFUSED_STREAM));
    assert_clean(ok, CheckId::RefusedAfterProcessing);
    let mut twice = Conn::new();
    twice.get(1);
    twice.recv(frames::rst_stream(1, E::INTERNAL_ERROR));
    twice.recv(frames::rst_stream(1, E::INTERNAL_ERROR));
    let found = twice.found();
    assert!(found.contains(&id(CheckId::OneRstPerStream)) || found.contains(&id(CheckId::ClosedStreamFrames)), "{found:?}");
    let mut refused = Conn::new();
    refused.get(1);
    refused.response(1, &[(":status", "200")], false);
    refused.recv(frames::rst_stream(1, E::REFUSED_STREAM));
    assert_found(refused, CheckId::RefusedAfterProcessing);
}

#[test]
fn data_within_the_windows_we_granted() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200")], false);
    ok.recv(frames::data(1, vec![b'x'; 1000]).build());
    ok.send(frames::window_update(1, 500));
    ok.recv(frames::data(1, vec![b'x'; 500]).end_stream().build());
    assert_clean(ok, CheckId::FlowControlWindow);
    let mut over = Conn::new();
    over.get(1);
    over.response(1, &[(":status", "200")], false);
    over.recv(frames::data(1, vec![b'x'; 1001]).build());
    assert_found(over, CheckId::FlowControlWindow);
    // Our lowered SETTINGS_INITIAL_WINDOW_SIZE binds the server only from its ACK.
    let mut lowered = Conn::new();
    lowered.get(1);
    lowered.response(1, &[(":status", "200")], false);
    lowered.send(frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 10).build());
    lowered.recv(frames::data(1, vec![b'x'; 500]).build());
    assert_clean(lowered, CheckId::FlowControlWindow);
    // One SETTINGS frame naming the window twice: its last value is the window (§6.5).
    let mut twice = Conn::new();
    twice.send(frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 1).set(SettingId::INITIAL_WINDOW_SIZE, 600).build());
    twice.recv(frames::settings().ack().build());
    twice.get(1);
    twice.response(1, &[(":status", "200")], false);
    twice.recv(frames::data(1, vec![b'x'; 600]).build());
    assert_clean(twice, CheckId::FlowControlWindow);
    let mut past = Conn::new();
    past.send(frames::settings().set(SettingId::INITIAL_WINDOW_SIZE, 600).set(SettingId::INITIAL_WINDOW_SIZE, 1).build());
    past.recv(frames::settings().ack().build());
    past.get(1);
    past.response(1, &[(":status", "200")], false);
    past.recv(frames::data(1, vec![b'x'; 2]).build());
    assert_found(past, CheckId::FlowControlWindow);
}

#[test]
fn window_updates_stay_in_range() {
    let mut ok = Conn::new();
    ok.recv(frames::window_update(0, 1000));
    assert_clean(ok, CheckId::WindowUpdateIncrement);
    let mut overflow = Conn::new();
    overflow.recv(frames::window_update(0, 0x7fff_ffff));
    assert_found(overflow, CheckId::WindowUpdateIncrement);
    let mut zero = Conn::new();
    zero.recv_bytes(&frames::raw(FrameType::WINDOW_UPDATE).payload([0, 0, 0, 0]).build().to_bytes());
    assert_found(zero, CheckId::WindowUpdateIncrement);
}

#[test]
fn goaway_last_stream_id() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200")], true);
    ok.recv(frames::goaway(0x7fff_ffff, E::NO_ERROR).build());
    ok.recv(frames::goaway(1, E::NO_ERROR).build());
    assert_clean(ok, CheckId::GoawayLastStream);
    let mut rising = Conn::new();
    rising.recv(frames::goaway(1, E::NO_ERROR).build());
    rising.recv(frames::goaway(3, E::NO_ERROR).build());
    assert_found(rising, CheckId::GoawayLastStream);
    let mut below = Conn::new();
    below.get(1);
    below.get(3);
    below.response(3, &[(":status", "200")], true);
    below.recv(frames::goaway(1, E::NO_ERROR).build());
    assert_found(below, CheckId::GoawayLastStream);
}

#[test]
fn goaway_rules_at_should_level() {
    let mut two_step = Conn::new();
    two_step.recv(frames::goaway(0x7fff_ffff, E::NO_ERROR).build());
    assert_clean(two_step, CheckId::GracefulTwoStep);
    let mut one_step = Conn::new();
    one_step.recv(frames::goaway(0, E::NO_ERROR).build());
    assert_found(one_step, CheckId::GracefulTwoStep);
    let mut errors = Conn::new();
    errors.recv(frames::goaway(0, E::PROTOCOL_ERROR).build());
    errors.recv(frames::goaway(0, E::INTERNAL_ERROR).build());
    assert_found(errors, CheckId::OneConnectionError);
    let mut close = Conn::new();
    close.c.closed();
    assert_found(close, CheckId::GoawayBeforeClose);
    let mut graceful = Conn::new();
    graceful.recv(frames::goaway(0x7fff_ffff, E::NO_ERROR).build());
    graceful.c.closed();
    assert_clean(graceful, CheckId::GoawayBeforeClose);
}

#[test]
fn server_settings_values() {
    let mut ok = Conn::new();
    ok.recv(frames::settings().set(SettingId::ENABLE_PUSH, 0).build());
    assert_clean(ok, CheckId::EnablePush);
    let mut push = Conn::new();
    push.recv(frames::settings().set(SettingId::ENABLE_PUSH, 1).build());
    assert_found(push, CheckId::EnablePush);
    let mut bad = Conn::new();
    bad.recv_bytes(&frames::raw(FrameType::SETTINGS).payload([0, 5, 0, 0, 0, 1]).build().to_bytes());
    assert_found(bad, CheckId::SettingsValues);
    let mut late = Conn::new();
    late.recv(frames::settings().set(SettingId::NO_RFC7540_PRIORITIES, 1).build());
    assert_found(late, CheckId::NoRfc7540Priorities);
    let mut off = Conn::new();
    off.recv(frames::settings().set(SettingId::ENABLE_CONNECT_PROTOCOL, 1).build());
    off.recv(frames::settings().set(SettingId::ENABLE_CONNECT_PROTOCOL, 0).build());
    assert_found(off, CheckId::EnableConnectProtocol);
}

#[test]
fn push_and_priority_update_from_the_server() {
    let mut push = Conn::new();
    push.get(1);
    push.recv(frames::push_promise(1, 2).build());
    assert_found(push, CheckId::PushWhenDisabled);
    let mut allowed = Conn::with_settings(&[(SettingId::ENABLE_PUSH, 1)]);
    allowed.get(1);
    allowed.recv(frames::push_promise(1, 2).build());
    assert_clean(allowed, CheckId::PushWhenDisabled);
    let mut pu = Conn::new();
    pu.recv(frames::priority_update(1, "u=1"));
    assert_found(pu, CheckId::NoPriorityUpdate);
}

const PUSHED: &[(&str, &str)] = &[(":method", "GET"), (":scheme", "http"), (":path", "/style.css"), (":authority", "a")];

fn push_conn() -> Conn {
    let mut c = Conn::with_settings(&[(SettingId::ENABLE_PUSH, 1), (SettingId::MAX_CONCURRENT_STREAMS, 1)]);
    c.get(1);
    c
}

#[test]
fn pushed_streams_follow_the_rules() {
    let mut ok = push_conn();
    ok.push(1, 2, PUSHED);
    ok.response(1, &[(":status", "200")], false);
    ok.response(2, &[(":status", "200")], false);
    ok.recv(frames::data(2, b"css".to_vec()).end_stream().build());
    ok.recv(frames::data(1, b"html".to_vec()).end_stream().build());
    let found = ok.found();
    for c in [CheckId::PromisedStreamId, CheckId::PushPromiseStream, CheckId::PushRequest, CheckId::ReservedLocalFrames, CheckId::PushPromiseEarly, CheckId::PushConcurrency] {
        assert!(!found.contains(&id(c)), "{found:?}");
    }
    let mut odd = push_conn();
    odd.push(1, 3, PUSHED);
    assert_found(odd, CheckId::PromisedStreamId);
    let mut not_ours = push_conn();
    not_ours.push(5, 2, PUSHED);
    assert_found(not_ours, CheckId::PushPromiseStream);
    let mut post = push_conn();
    post.push(1, 2, &[(":method", "POST"), (":scheme", "http"), (":path", "/"), (":authority", "a")]);
    assert_found(post, CheckId::PushRequest);
    let mut data_first = push_conn();
    data_first.push(1, 2, PUSHED);
    data_first.recv(frames::data(2, b"x".to_vec()).build());
    assert_found(data_first, CheckId::ReservedLocalFrames);
    let mut late = push_conn();
    late.response(1, &[(":status", "200")], false);
    late.recv(frames::data(1, b"<link>".to_vec()).build());
    late.push(1, 2, PUSHED);
    assert_found(late, CheckId::PushPromiseEarly);
    let mut two = push_conn();
    two.push(1, 2, PUSHED);
    two.push(1, 4, PUSHED);
    two.response(2, &[(":status", "200")], false);
    two.response(4, &[(":status", "200")], false);
    assert_found(two, CheckId::PushConcurrency);
    let mut after_goaway = push_conn();
    after_goaway.send(frames::goaway(0, E::NO_ERROR).build());
    after_goaway.send(frames::ping(*b"fencefen").build());
    after_goaway.recv(frames::ping(*b"fencefen").ack().build());
    after_goaway.push(1, 2, PUSHED);
    assert_found(after_goaway, CheckId::NoPushAfterGoaway);
}

#[test]
fn a_connect_tunnel_carries_no_more_headers() {
    let mut ok = Conn::new();
    ok.send(frames::headers(1).field(":method", "CONNECT").field(":authority", "a:443").build());
    ok.response(1, &[(":status", "200")], false);
    ok.recv(frames::data(1, b"tunnel".to_vec()).build());
    assert_clean(ok, CheckId::ConnectStreamFrames);
    let mut bad = Conn::new();
    bad.send(frames::headers(1).field(":method", "CONNECT").field(":authority", "a:443").build());
    bad.response(1, &[(":status", "200")], false);
    bad.response(1, &[("x-trailer", "no")], true);
    assert_found(bad, CheckId::ConnectStreamFrames);
}

#[test]
fn response_pseudo_headers_and_framing() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "103"), ("link", "</a>")], false);
    ok.response(1, &[(":status", "200"), ("content-type", "text/plain")], false);
    ok.recv(frames::data(1, b"body".to_vec()).build());
    ok.response(1, &[("x-trailer", "ok")], true);
    let found = ok.found();
    for c in [CheckId::ResponsePseudoHeaders, CheckId::ResponseFraming, CheckId::FieldValidity, CheckId::ContentLength] {
        assert!(!found.contains(&id(c)), "{found:?}");
    }
    for (fields, check) in [
        (&[("content-type", "x")][..], CheckId::ResponsePseudoHeaders),
        (&[(":status", "200"), (":status", "200")][..], CheckId::ResponsePseudoHeaders),
        (&[(":status", "200"), (":path", "/")][..], CheckId::ResponsePseudoHeaders),
        (&[("x", "1"), (":status", "200")][..], CheckId::ResponsePseudoHeaders),
        (&[(":status", "2000")][..], CheckId::ResponsePseudoHeaders),
        (&[(":status", "200"), ("X-Upper", "1")][..], CheckId::FieldValidity),
        (&[(":status", "200"), ("x", " padded")][..], CheckId::FieldValidity),
        (&[(":status", "200"), ("connection", "close")][..], CheckId::ConnectionSpecific),
        (&[(":status", "200"), ("content-length", "ten")][..], CheckId::ContentLength),
    ] {
        let mut bad = Conn::new();
        bad.get(1);
        bad.response(1, fields, true);
        assert_found(bad, check);
    }
    let mut pseudo_trailer = Conn::new();
    pseudo_trailer.get(1);
    pseudo_trailer.response(1, &[(":status", "200")], false);
    pseudo_trailer.response(1, &[(":status", "200")], true);
    assert_found(pseudo_trailer, CheckId::ResponsePseudoHeaders);
    let mut open_trailer = Conn::new();
    open_trailer.get(1);
    open_trailer.response(1, &[(":status", "200")], false);
    open_trailer.response(1, &[("x", "1")], false);
    assert_found(open_trailer, CheckId::ResponseFraming);
    let mut interim_end = Conn::new();
    interim_end.get(1);
    interim_end.response(1, &[(":status", "100")], true);
    assert_found(interim_end, CheckId::ResponseFraming);
    let mut data_first = Conn::new();
    data_first.get(1);
    data_first.recv(frames::data(1, b"x".to_vec()).build());
    assert_found(data_first, CheckId::ResponseFraming);
}

#[test]
fn content_length_matches_the_data() {
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200"), ("content-length", "4")], false);
    ok.recv(frames::data(1, b"body".to_vec()).end_stream().build());
    assert_clean(ok, CheckId::ContentLength);
    let mut head = Conn::new();
    head.send(frames::headers(1).request("HEAD", "/").scheme("http").authority("a").end_stream().build());
    head.response(1, &[(":status", "200"), ("content-length", "4")], true);
    assert_clean(head, CheckId::ContentLength);
    // A request whose block does not decode (a size update after a field): maybe a HEAD.
    let mut unknown = Conn::new();
    unknown.send(frames::headers(1).block(vec![0x02, 0x04, b'H', b'E', b'A', b'D', 0x2e]).end_stream().build());
    unknown.response(1, &[(":status", "400"), ("content-length", "157")], true);
    assert_clean(unknown, CheckId::ContentLength);
    let mut short = Conn::new();
    short.get(1);
    short.response(1, &[(":status", "200"), ("content-length", "10")], false);
    short.recv(frames::data(1, b"body".to_vec()).end_stream().build());
    assert_found(short, CheckId::ContentLength);
}

#[test]
fn hpack_errors_map_to_their_checks() {
    use h2probe_codec::hpack::HpackError;
    for (e, c) in [
        (HpackError::IndexZero, CheckId::IndexInRange),
        (HpackError::HuffmanEos, CheckId::HuffmanValid),
        (HpackError::IntegerOverflow, CheckId::IntegerLimits),
        (HpackError::SizeUpdateMissing, CheckId::SizeUpdateFirst),
        (HpackError::SizeUpdateTooLarge { size: 9000, max: 4096 }, CheckId::SizeUpdateLimit),
        (HpackError::Truncated, CheckId::BlockDecodes),
    ] {
        let mut conn = Conn::new();
        conn.get(1);
        conn.c.block(1, true, Err(&e));
        assert_found(conn, c);
    }
    // Our own decoder limits are not the server's fault.
    let mut limit = Conn::new();
    limit.get(1);
    limit.c.block(1, true, Err(&HpackError::HeaderListTooLarge { size: 10, max: 1 }));
    assert!(limit.found().is_empty());
}

#[test]
fn inadequate_security_only_judged_on_tls() {
    let mut tls = Checker::new(true, h2probe_harness::conn::Role::Client);
    let mut b = PREFACE.to_vec();
    frames::settings().build().encode(&mut b);
    tls.sent(&b);
    let mut conn = Conn { c: tls, enc: Encoder::new() };
    conn.recv(frames::settings().build());
    conn.recv(frames::goaway(0, E::INADEQUATE_SECURITY).build());
    assert_found(conn, CheckId::InadequateSecurity);
    let mut clear = Conn::new();
    clear.recv(frames::goaway(0, E::INADEQUATE_SECURITY).build());
    assert_clean(clear, CheckId::InadequateSecurity);
}

#[test]
fn oversized_frames_and_broken_field_blocks_as_the_connection_reports_them() {
    use h2probe_codec::frame::FrameError;
    let mut ok = Conn::new();
    ok.recv(frames::data(1, vec![0; 100]).build());
    assert_clean(ok, CheckId::FrameSize);
    // The connection's frame decoder refuses a frame above our SETTINGS_MAX_FRAME_SIZE; the
    // head and the error reach the checker as the codec made them.
    let mut big = Conn::new();
    let head = Head { length: 70_000, kind: FrameType::DATA, flags: 0, reserved: false, stream_id: h2probe_codec::StreamId(1) };
    big.c.received(&head, &[], Err(&FrameError::TooLarge { kind: FrameType::DATA, stream_id: head.stream_id, length: 70_000, max: 65_536 }));
    assert_found(big, CheckId::FrameSize);
    let mut ok = Conn::new();
    ok.get(1);
    ok.response(1, &[(":status", "200")], true);
    assert_clean(ok, CheckId::ContiguousBlock);
    let mut interleaved = Conn::new();
    interleaved.c.stream_broken(CheckId::ContiguousBlock, "DATA while the field block on stream 1 was unfinished (§6.10)");
    assert_found(interleaved, CheckId::ContiguousBlock);
}

#[test]
fn every_check_has_a_rule_test_here() {
    // A new check cannot slip in untested.
    let src = include_str!("checker.rs");
    let untested: Vec<&str> = CheckId::ALL
        .iter()
        .filter(|c| !src.contains(&format!("CheckId::{c:?},")) && !src.contains(&format!("CheckId::{c:?})")))
        .map(|c| c.def().server_id.or(c.def().client_id).unwrap_or_default())
        .collect();
    assert!(untested.is_empty(), "checks without a test: {untested:?}");
}

/// A connection where h2probe is the server: our SETTINGS are out, the client's preface and
/// SETTINGS arrived and were acknowledged both ways.
fn server_side(ours: &[(SettingId, u32)]) -> Conn {
    use h2probe_harness::conn::Role;
    let mut c = Checker::new(false, Role::Server);
    let mut s = frames::settings();
    for &(id, v) in ours {
        s = s.set(id, v);
    }
    c.sent(&s.build().to_bytes());
    c.peer_preface(PREFACE);
    let mut conn = Conn { c, enc: Encoder::new() };
    conn.recv(frames::settings().build());
    conn.send(frames::settings_ack());
    conn.recv(frames::settings_ack());
    conn
}

impl Conn {
    /// A request HEADERS from the client on `stream`, decoded as the connection would.
    fn request(&mut self, stream: u32, fields: &[(&str, &str)], end_stream: bool) {
        self.response(stream, fields, end_stream);
    }
}

const GET: &[(&str, &str)] = &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "a")];

fn client_id(c: CheckId) -> String {
    c.def().client_id.unwrap_or_default().to_string()
}

fn assert_client_found(conn: Conn, c: CheckId) {
    let found = conn.found();
    assert!(found.contains(&client_id(c)), "violation of {} not found; found {found:?}", client_id(c));
}

#[test]
fn as_the_server_the_client_is_judged() {
    let mut ok = server_side(&[(SettingId::MAX_CONCURRENT_STREAMS, 10), (SettingId::INITIAL_WINDOW_SIZE, 1000)]);
    ok.request(1, GET, true);
    ok.request(3, &[(":method", "POST"), (":scheme", "http"), (":path", "/"), ("content-length", "4"), ("te", "trailers")], false);
    ok.recv(frames::data(3, b"body".to_vec()).end_stream().build());
    let found = ok.found();
    assert!(found.is_empty(), "{found:?}");

    let mut garbage = Conn { c: Checker::new(false, h2probe_harness::conn::Role::Server), enc: Encoder::new() };
    garbage.c.peer_preface(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_client_found(garbage, CheckId::PrefaceSettings);

    let mut even = server_side(&[]);
    even.request(2, GET, true);
    assert_client_found(even, CheckId::NewStreamIds);
    let mut lower = server_side(&[]);
    lower.request(5, GET, true);
    lower.request(3, GET, true);
    assert_client_found(lower, CheckId::NewStreamIds);

    for (fields, check) in [
        (&[(":method", "GET"), (":scheme", "http"), (":authority", "a")][..], CheckId::ResponsePseudoHeaders),
        (&[(":method", "CONNECT"), (":authority", "a:443"), (":path", "/")][..], CheckId::ResponsePseudoHeaders),
        (&[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":status", "200")][..], CheckId::ResponsePseudoHeaders),
        (&[(":method", "GET"), (":scheme", "http"), (":path", "/"), ("te", "gzip")][..], CheckId::ConnectionSpecific),
        (&[(":method", "GET"), (":scheme", "http"), (":path", "/"), ("Upper", "x")][..], CheckId::FieldValidity),
    ] {
        let mut bad = server_side(&[]);
        bad.request(1, fields, true);
        assert_client_found(bad, check);
    }

    let mut push = server_side(&[]);
    push.request(1, GET, false);
    push.recv(frames::push_promise(1, 2).build());
    assert_client_found(push, CheckId::PushWhenDisabled);

    let mut many = server_side(&[(SettingId::MAX_CONCURRENT_STREAMS, 1)]);
    many.request(1, &[(":method", "POST"), (":scheme", "http"), (":path", "/")], false);
    many.request(3, &[(":method", "POST"), (":scheme", "http"), (":path", "/")], false);
    assert_client_found(many, CheckId::PushConcurrency);

    let mut over = server_side(&[(SettingId::INITIAL_WINDOW_SIZE, 1000)]);
    over.request(1, &[(":method", "POST"), (":scheme", "http"), (":path", "/")], false);
    over.recv(frames::data(1, vec![b'x'; 1001]).build());
    assert_client_found(over, CheckId::FlowControlWindow);

    let mut body = server_side(&[]);
    body.request(1, &[(":method", "POST"), (":scheme", "http"), (":path", "/"), ("content-length", "10")], false);
    body.recv(frames::data(1, b"four".to_vec()).end_stream().build());
    assert_client_found(body, CheckId::ContentLength);
}

/// A client's GOAWAY names the last *server*-initiated (pushed) stream it processed: 0
/// after a request the server answered is right, not "below a processed stream".
#[test]
fn a_clients_goaway_counts_pushed_streams() {
    let mut c = server_side(&[]);
    c.request(1, GET, true);
    c.send(frames::headers(1).status(200).end_stream().build());
    c.recv(frames::goaway(0, E::PROTOCOL_ERROR).build());
    let found = c.found();
    assert!(!found.contains(&client_id(CheckId::GoawayLastStream)), "{found:?}");
}

#[test]
fn what_a_hostile_server_sends_does_not_grow_the_checker() {
    use h2probe_harness::checker::{MAX_FINDING_OCTETS, MAX_REMEMBERED_PING_ACKS, MAX_TRACKED_STREAMS};
    let mut c = Conn::new();
    c.get(1);
    for i in 0..6_000u32 {
        // DATA and WINDOW_UPDATE on streams we never opened, GOAWAY after GOAWAY, PINGs we ACK.
        c.recv(frames::data(2 * i + 3, vec![0; 1]).build());
        c.recv(frames::window_update(2 * i + 4, 1));
        c.recv(frames::goaway(0x7fff_ffff, E::NO_ERROR).build());
        let p = (u64::from(i)).to_be_bytes();
        c.recv(frames::ping(p).build());
        c.send(frames::ping(p).ack().build());
    }
    let (streams, acks) = c.c.retained();
    assert!(streams <= MAX_TRACKED_STREAMS + 1, "{streams} streams tracked");
    assert!(acks <= MAX_REMEMBERED_PING_ACKS, "{acks} PING ACKs kept");
    // A finding quoting a frame that prints long (a PRIORITY_UPDATE with a 60 000-octet
    // value) keeps its start only.
    let mut c = Conn::new();
    c.recv(frames::priority_update(1, &"v".repeat(60_000)));
    let (findings, _) = c.c.finish();
    assert!(findings.iter().any(|f| f.check == id(CheckId::NoPriorityUpdate)), "{findings:?}");
    assert!(findings.iter().all(|f| f.detail.len() <= MAX_FINDING_OCTETS), "{findings:?}");
}
