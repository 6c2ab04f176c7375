//! `<URL>` parsing: schemes, default ports, IPv6, path+query, `:authority`, and refusals.

use h2probe_harness::transport::{Scheme, Target, TargetError};

#[test]
fn good_urls() {
    // url, scheme, host, port, path, authority
    let table: &[(&str, Scheme, &str, u16, &str, &str)] = &[
        ("http://localhost:8080/", Scheme::H2c, "localhost", 8080, "/", "localhost:8080"),
        ("http://example.com", Scheme::H2c, "example.com", 80, "/", "example.com"),
        ("https://example.com", Scheme::Tls, "example.com", 443, "/", "example.com"),
        ("https://example.com:8443/a/b?c=d&e", Scheme::Tls, "example.com", 8443, "/a/b?c=d&e", "example.com:8443"),
        ("http://example.com:80/", Scheme::H2c, "example.com", 80, "/", "example.com:80"),
        ("https://example.com:443", Scheme::Tls, "example.com", 443, "/", "example.com:443"),
        ("http://127.0.0.1:9/x", Scheme::H2c, "127.0.0.1", 9, "/x", "127.0.0.1:9"),
        ("http://[::1]:8080/x", Scheme::H2c, "::1", 8080, "/x", "[::1]:8080"),
        ("https://[2001:db8::1]/", Scheme::Tls, "2001:db8::1", 443, "/", "[2001:db8::1]"),
        ("HTTPS://Example.COM/Path", Scheme::Tls, "example.com", 443, "/Path", "example.com"),
        ("http://h/?q", Scheme::H2c, "h", 80, "/?q", "h"),
        ("http://h?q=1", Scheme::H2c, "h", 80, "/?q=1", "h"),
        ("http://h/a b", Scheme::H2c, "h", 80, "/a%20b", "h"),
        ("  http://h:1/  ", Scheme::H2c, "h", 1, "/", "h:1"),
        ("http://h:/", Scheme::H2c, "h", 80, "/", "h"),
    ];
    for &(url, scheme, host, port, path, authority) in table {
        let t = Target::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(t.scheme, scheme, "{url}");
        assert_eq!(t.host, host, "{url}");
        assert_eq!(t.port, port, "{url}");
        assert_eq!(t.path, path, "{url}");
        assert_eq!(t.authority, authority, "{url}");
    }
}

#[test]
fn bad_urls() {
    let is = |url: &str, pred: fn(&TargetError) -> bool| {
        let e = Target::parse(url).expect_err(url);
        assert!(pred(&e), "{url}: unexpected {e:?}");
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "{url}: message not one line: {msg}");
    };
    is("", |e| matches!(e, TargetError::Empty));
    is("   ", |e| matches!(e, TargetError::Empty));
    is("localhost:8080", |e| matches!(e, TargetError::MissingScheme { .. }));
    is("example.com", |e| matches!(e, TargetError::MissingScheme { .. }));
    is("[::1]:80", |e| matches!(e, TargetError::MissingScheme { .. }));
    is("ftp://example.com/", |e| matches!(e, TargetError::UnsupportedScheme { scheme } if scheme == "ftp"));
    is("h2c://example.com/", |e| matches!(e, TargetError::UnsupportedScheme { .. }));
    is("ws://example.com/", |e| matches!(e, TargetError::UnsupportedScheme { .. }));
    is("mailto:a@b", |e| matches!(e, TargetError::UnsupportedScheme { .. }));
    is("http://", |e| matches!(e, TargetError::MissingHost { .. }));
    is("http:///x", |e| matches!(e, TargetError::MissingHost { .. }));
    is("https://:8443/", |e| matches!(e, TargetError::MissingHost { .. }));
    is("http://user@h/", |e| matches!(e, TargetError::UserInfo { .. }));
    is("http://user:pw@h/", |e| matches!(e, TargetError::UserInfo { .. }));
    is("http://@h/", |e| matches!(e, TargetError::UserInfo { .. }));
    is("http://h/#frag", |e| matches!(e, TargetError::Fragment { .. }));
    is("http://h/#", |e| matches!(e, TargetError::Fragment { .. }));
    is("http://h:99999/", |e| matches!(e, TargetError::Invalid { .. }));
    is("http://h:port/", |e| matches!(e, TargetError::Invalid { .. }));
    is("http://[::1/", |e| matches!(e, TargetError::Invalid { .. }));
    is("http://[::g]/", |e| matches!(e, TargetError::Invalid { .. }));
    is("http://h h/", |e| matches!(e, TargetError::Invalid { .. }));
}

#[test]
fn error_messages_name_the_fix() {
    let msg = |u: &str| Target::parse(u).expect_err(u).to_string();
    assert!(msg("localhost:8080").contains("http://localhost:8080"));
    assert!(msg("ftp://x/").contains("use http:// (h2c, prior knowledge) or https://"));
    assert!(msg("http://h:99999/").contains("invalid port number"));
    // A known scheme missing its slashes is not an "unsupported scheme 'http'".
    assert_eq!(msg("http:/127.0.0.1:18480/"), "URL 'http:/127.0.0.1:18480/' needs two slashes after 'http:': write http://127.0.0.1:18480/");
    assert_eq!(msg("HTTPS:host:8443"), "URL 'HTTPS:host:8443' needs two slashes after 'HTTPS:': write HTTPS://host:8443");
}

#[test]
fn helpers() {
    let t = Target::parse("https://[::1]:8443/x?y").expect("valid");
    assert_eq!(t.scheme_str(), "https");
    assert_eq!(t.url(), "https://[::1]:8443/x?y");
    assert_eq!(t.to_string(), t.url());
    assert_eq!(t.host_port(), "[::1]:8443");
    let t = Target::parse("http://example.com/").expect("valid");
    assert_eq!(t.scheme_str(), "http");
    assert_eq!(t.url(), "http://example.com/");
    assert_eq!(t.host_port(), "example.com:80");
    assert_eq!("http://a:1/".parse::<Target>().map(|t| t.port), Ok(1));
}

#[test]
fn loopback() {
    for url in [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/",
        "http://[::1]:80/",
        "http://localhost/",
        "https://LOCALHOST:8443/",
        "http://[0:0:0:0:0:0:0:1]/",
    ] {
        assert!(Target::parse(url).expect(url).is_loopback(), "{url}");
    }
    for url in [
        "http://128.0.0.1/",
        "http://10.0.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://example.com/",
        "http://localhost.example.com/",
        "http://foo.localhost/",
        "http://127.0.0.1.nip.io/",
    ] {
        assert!(!Target::parse(url).expect(url).is_loopback(), "{url}");
    }
}
