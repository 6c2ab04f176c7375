//! Text from the model made safe to show, whatever the server put in it.
//!
//! A terminal obeys control sequences (`\x1b[2J` clears the screen, OSC 8 makes links, a
//! C1 `\u{9b}` starts a CSI on some terminals), bidirectional overrides reorder what a reader
//! sees, and XML 1.0 forbids most control characters even as character references. So every
//! such character is replaced by a visible escape (`\x1b`, `\u{202e}`) before any format's
//! own escaping: the reader sees what the server sent, and nothing acts on it.

use std::borrow::Cow;

/// Escapes control characters, keeping newlines and tabs: for text of several lines that
/// h2probe itself wrote (a requirement quoted from the RFC, say).
pub fn clean(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Escapes control characters including newlines (`\n`): for one line of text that may come
/// from the server (an observed reaction, a transcript line), so it cannot start lines of its
/// own in a report.
pub fn clean_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !needs_escape(c, keep_newlines) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// C0 controls but tab (and newline when kept), DEL, C1 controls, the bidirectional
/// formatting characters, and the two non-characters XML 1.0 forbids.
fn needs_escape(c: char, keep_newlines: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newlines,
        '\0'..='\x1f' | '\x7f'..='\u{9f}' => true,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_become_visible_escapes() {
        assert_eq!(clean("a\x1b[2Jb\0c\x7f\u{9b}d\u{202e}e\r"), "a\\x1b[2Jb\\x00c\\x7f\\u{9b}d\\u{202e}e\\r");
        assert_eq!(clean("two\nlines\tand a tab"), "two\nlines\tand a tab");
        assert_eq!(clean_line("two\nlines"), "two\\nlines");
        assert!(matches!(clean("plain ✓ text"), Cow::Borrowed(_)));
    }
}
