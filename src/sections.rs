//! Section titles for `h2probe list`, keyed as cases name their section (`RFC 9113 §6.5.3`).
//!
//! Checked in rather than read at run time: the binary must not depend on the RFC text being
//! around. The RFC 9113 and RFC 7541 rows are every numbered heading of those RFCs, taken from
//! their text with
//!
//! ```text
//! python3 -c 'import re,sys
//! for rfc in sys.argv[1:]:
//!     for l in open(f"rfc{rfc}.txt"):
//!         m = re.match(r"^(\d+(?:\.\d+)*)\.  (\S.*)$", l)
//!         if m: print(f"    (\"RFC {rfc} §{m[1]}\", \"{m[2].strip()}\"),")' 9113 7541
//! ```
//!
//! run in the design brief's `rfc/` folder. The RFC 9218 and RFC 8441 rows are the headings of
//! the sections the catalogue uses, from those RFCs' tables of contents. A unit test checks
//! that every section a case names has a title here.

/// `(section, title)`, in RFC order.
const TITLES: &[(&str, &str)] = &[
    ("RFC 9113 §1", "Introduction"),
    ("RFC 9113 §2", "HTTP/2 Protocol Overview"),
    ("RFC 9113 §2.1", "Document Organization"),
    ("RFC 9113 §2.2", "Conventions and Terminology"),
    ("RFC 9113 §3", "Starting HTTP/2"),
    ("RFC 9113 §3.1", "HTTP/2 Version Identification"),
    ("RFC 9113 §3.2", "Starting HTTP/2 for \"https\" URIs"),
    ("RFC 9113 §3.3", "Starting HTTP/2 with Prior Knowledge"),
    ("RFC 9113 §3.4", "HTTP/2 Connection Preface"),
    ("RFC 9113 §4", "HTTP Frames"),
    ("RFC 9113 §4.1", "Frame Format"),
    ("RFC 9113 §4.2", "Frame Size"),
    ("RFC 9113 §4.3", "Field Section Compression and Decompression"),
    ("RFC 9113 §4.3.1", "Compression State"),
    ("RFC 9113 §5", "Streams and Multiplexing"),
    ("RFC 9113 §5.1", "Stream States"),
    ("RFC 9113 §5.1.1", "Stream Identifiers"),
    ("RFC 9113 §5.1.2", "Stream Concurrency"),
    ("RFC 9113 §5.2", "Flow Control"),
    ("RFC 9113 §5.2.1", "Flow-Control Principles"),
    ("RFC 9113 §5.2.2", "Appropriate Use of Flow Control"),
    ("RFC 9113 §5.2.3", "Flow-Control Performance"),
    ("RFC 9113 §5.3", "Prioritization"),
    ("RFC 9113 §5.3.1", "Background on Priority in RFC 7540"),
    ("RFC 9113 §5.3.2", "Priority Signaling in This Document"),
    ("RFC 9113 §5.4", "Error Handling"),
    ("RFC 9113 §5.4.1", "Connection Error Handling"),
    ("RFC 9113 §5.4.2", "Stream Error Handling"),
    ("RFC 9113 §5.4.3", "Connection Termination"),
    ("RFC 9113 §5.5", "Extending HTTP/2"),
    ("RFC 9113 §6", "Frame Definitions"),
    ("RFC 9113 §6.1", "DATA"),
    ("RFC 9113 §6.2", "HEADERS"),
    ("RFC 9113 §6.3", "PRIORITY"),
    ("RFC 9113 §6.4", "RST_STREAM"),
    ("RFC 9113 §6.5", "SETTINGS"),
    ("RFC 9113 §6.5.1", "SETTINGS Format"),
    ("RFC 9113 §6.5.2", "Defined Settings"),
    ("RFC 9113 §6.5.3", "Settings Synchronization"),
    ("RFC 9113 §6.6", "PUSH_PROMISE"),
    ("RFC 9113 §6.7", "PING"),
    ("RFC 9113 §6.8", "GOAWAY"),
    ("RFC 9113 §6.9", "WINDOW_UPDATE"),
    ("RFC 9113 §6.9.1", "The Flow-Control Window"),
    ("RFC 9113 §6.9.2", "Initial Flow-Control Window Size"),
    ("RFC 9113 §6.9.3", "Reducing the Stream Window Size"),
    ("RFC 9113 §6.10", "CONTINUATION"),
    ("RFC 9113 §7", "Error Codes"),
    ("RFC 9113 §8", "Expressing HTTP Semantics in HTTP/2"),
    ("RFC 9113 §8.1", "HTTP Message Framing"),
    ("RFC 9113 §8.1.1", "Malformed Messages"),
    ("RFC 9113 §8.2", "HTTP Fields"),
    ("RFC 9113 §8.2.1", "Field Validity"),
    ("RFC 9113 §8.2.2", "Connection-Specific Header Fields"),
    ("RFC 9113 §8.2.3", "Compressing the Cookie Header Field"),
    ("RFC 9113 §8.3", "HTTP Control Data"),
    ("RFC 9113 §8.3.1", "Request Pseudo-Header Fields"),
    ("RFC 9113 §8.3.2", "Response Pseudo-Header Fields"),
    ("RFC 9113 §8.4", "Server Push"),
    ("RFC 9113 §8.4.1", "Push Requests"),
    ("RFC 9113 §8.4.2", "Push Responses"),
    ("RFC 9113 §8.5", "The CONNECT Method"),
    ("RFC 9113 §8.6", "The Upgrade Header Field"),
    ("RFC 9113 §8.7", "Request Reliability"),
    ("RFC 9113 §8.8", "Examples"),
    ("RFC 9113 §8.8.1", "Simple Request"),
    ("RFC 9113 §8.8.2", "Simple Response"),
    ("RFC 9113 §8.8.3", "Complex Request"),
    ("RFC 9113 §8.8.4", "Response with Body"),
    ("RFC 9113 §8.8.5", "Informational Responses"),
    ("RFC 9113 §9", "HTTP/2 Connections"),
    ("RFC 9113 §9.1", "Connection Management"),
    ("RFC 9113 §9.1.1", "Connection Reuse"),
    ("RFC 9113 §9.2", "Use of TLS Features"),
    ("RFC 9113 §9.2.1", "TLS 1.2 Features"),
    ("RFC 9113 §9.2.2", "TLS 1.2 Cipher Suites"),
    ("RFC 9113 §9.2.3", "TLS 1.3 Features"),
    ("RFC 9113 §10", "Security Considerations"),
    ("RFC 9113 §10.1", "Server Authority"),
    ("RFC 9113 §10.2", "Cross-Protocol Attacks"),
    ("RFC 9113 §10.3", "Intermediary Encapsulation Attacks"),
    ("RFC 9113 §10.4", "Cacheability of Pushed Responses"),
    ("RFC 9113 §10.5", "Denial-of-Service Considerations"),
    ("RFC 9113 §10.5.1", "Limits on Field Block Size"),
    ("RFC 9113 §10.5.2", "CONNECT Issues"),
    ("RFC 9113 §10.6", "Use of Compression"),
    ("RFC 9113 §10.7", "Use of Padding"),
    ("RFC 9113 §10.8", "Privacy Considerations"),
    ("RFC 9113 §10.9", "Remote Timing Attacks"),
    ("RFC 9113 §11", "IANA Considerations"),
    ("RFC 9113 §11.1", "HTTP2-Settings Header Field Registration"),
    ("RFC 9113 §11.2", "The h2c Upgrade Token"),
    ("RFC 9113 §12", "References"),
    ("RFC 9113 §12.1", "Normative References"),
    ("RFC 9113 §12.2", "Informative References"),
    ("RFC 7541 §1", "Introduction"),
    ("RFC 7541 §1.1", "Overview"),
    ("RFC 7541 §1.2", "Conventions"),
    ("RFC 7541 §1.3", "Terminology"),
    ("RFC 7541 §2", "Compression Process Overview"),
    ("RFC 7541 §2.1", "Header List Ordering"),
    ("RFC 7541 §2.2", "Encoding and Decoding Contexts"),
    ("RFC 7541 §2.3", "Indexing Tables"),
    ("RFC 7541 §2.3.1", "Static Table"),
    ("RFC 7541 §2.3.2", "Dynamic Table"),
    ("RFC 7541 §2.3.3", "Index Address Space"),
    ("RFC 7541 §2.4", "Header Field Representation"),
    ("RFC 7541 §3", "Header Block Decoding"),
    ("RFC 7541 §3.1", "Header Block Processing"),
    ("RFC 7541 §3.2", "Header Field Representation Processing"),
    ("RFC 7541 §4", "Dynamic Table Management"),
    ("RFC 7541 §4.1", "Calculating Table Size"),
    ("RFC 7541 §4.2", "Maximum Table Size"),
    ("RFC 7541 §4.3", "Entry Eviction When Dynamic Table Size Changes"),
    ("RFC 7541 §4.4", "Entry Eviction When Adding New Entries"),
    ("RFC 7541 §5", "Primitive Type Representations"),
    ("RFC 7541 §5.1", "Integer Representation"),
    ("RFC 7541 §5.2", "String Literal Representation"),
    ("RFC 7541 §6", "Binary Format"),
    ("RFC 7541 §6.1", "Indexed Header Field Representation"),
    ("RFC 7541 §6.2", "Literal Header Field Representation"),
    ("RFC 7541 §6.2.1", "Literal Header Field with Incremental Indexing"),
    ("RFC 7541 §6.2.2", "Literal Header Field without Indexing"),
    ("RFC 7541 §6.2.3", "Literal Header Field Never Indexed"),
    ("RFC 7541 §6.3", "Dynamic Table Size Update"),
    ("RFC 7541 §7", "Security Considerations"),
    ("RFC 7541 §7.1", "Probing Dynamic Table State"),
    ("RFC 7541 §7.1.1", "Applicability to HPACK and HTTP"),
    ("RFC 7541 §7.1.2", "Mitigation"),
    ("RFC 7541 §7.1.3", "Never-Indexed Literals"),
    ("RFC 7541 §7.2", "Static Huffman Encoding"),
    ("RFC 7541 §7.3", "Memory Consumption"),
    ("RFC 7541 §7.4", "Implementation Limits"),
    ("RFC 7541 §8", "References"),
    ("RFC 7541 §8.1", "Normative References"),
    ("RFC 7541 §8.2", "Informative References"),
    ("RFC 8441 §3", "The SETTINGS_ENABLE_CONNECT_PROTOCOL SETTINGS Parameter"),
    ("RFC 8441 §4", "The Extended CONNECT Method"),
    ("RFC 8441 §5", "Using Extended CONNECT to Bootstrap the WebSocket Protocol"),
    ("RFC 9218 §2.1", "Disabling RFC 7540 Priorities"),
    ("RFC 9218 §4", "Priority Parameters"),
    ("RFC 9218 §5", "The Priority HTTP Header Field"),
    ("RFC 9218 §7", "The PRIORITY_UPDATE Frame"),
    ("RFC 9218 §7.1", "HTTP/2 PRIORITY_UPDATE Frame"),
];

/// The title of `section` (`RFC 9113 §6.5.3` → `Settings Synchronization`), if known.
pub fn title(section: &str) -> Option<&'static str> {
    TITLES.iter().find(|(s, _)| *s == section).map(|(_, t)| *t)
}

/// Sort key of a section name: the RFC number, then each number of the section, so that
/// §6.5.3 comes before §6.10 and §3.4 before §10.5.
pub fn sort_key(section: &str) -> (u32, Vec<u32>) {
    let rest = section.trim_start_matches("RFC ");
    let (rfc, sec) = rest.split_once(" §").unwrap_or((rest, ""));
    let nums = sec.split('.').map(|n| n.parse().unwrap_or(u32::MAX)).collect();
    (rfc.parse().unwrap_or(u32::MAX), nums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_section_has_a_title() {
        let missing: Vec<&str> =
            h2probe_cases::all().iter().map(|c| c.section).filter(|s| title(s).is_none()).collect();
        assert!(missing.is_empty(), "add these to TITLES: {missing:?}");
        assert_eq!(title("RFC 9113 §6.5.3"), Some("Settings Synchronization"));
        assert_eq!(title("RFC 7541 §2.3.3"), Some("Index Address Space"));
    }

    #[test]
    fn sections_sort_numerically() {
        let mut s = vec!["RFC 9113 §6.10", "RFC 9113 §10.5", "RFC 7541 §6.1", "RFC 9113 §6.5.3", "RFC 9113 §3.4", "RFC 9113 §6.5"];
        s.sort_by_key(|x| sort_key(x));
        assert_eq!(s, ["RFC 7541 §6.1", "RFC 9113 §3.4", "RFC 9113 §6.5", "RFC 9113 §6.5.3", "RFC 9113 §6.10", "RFC 9113 §10.5"]);
    }
}
