//! The one sanitizer for untrusted text (roadmap strings, commit messages, file
//! contents shown to a user).
//!
//! Every string that came from a roadmap or from git goes through here before
//! any printer or widget sees it:
//! - whole ANSI escape sequences (CSI, OSC, DCS, SOS/PM/APC, two-byte ESC x)
//!   are removed, so nothing of them (`]52;c;…`) is drawn;
//! - tabs expand to spaces (tab stops every 4 columns);
//! - every other control or invisible format character (C0, DEL, C1, bidi
//!   overrides and isolates, zero-width characters, BOM, line/paragraph
//!   separators) becomes a visible placeholder: `␀`..`␟` and `␡` for C0/DEL,
//!   `⟨U+XXXX⟩` for the rest.
//!
//! [`sanitize`] keeps `\n` (for multi-line fields); [`sanitize_line`] turns
//! line breaks into a visible `⏎` so one value stays on one line.

use std::borrow::Cow;

const TAB_WIDTH: usize = 4;

/// True for a character that must never reach a terminal raw.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}'                      // soft hyphen (invisible)
        | '\u{61c}'                     // Arabic letter mark
        | '\u{180e}'                    // Mongolian vowel separator
        | '\u{200b}'..='\u{200f}'       // zero-width space/joiners, LRM, RLM
        | '\u{2028}'..='\u{202e}'       // line/para separators, bidi embeddings/overrides
        | '\u{2060}'..='\u{206f}'       // word joiner, invisible operators, bidi isolates
        | '\u{feff}'                    // BOM / zero-width no-break space
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{e0000}'..='\u{e007f}'     // tag characters
    )
}

/// Sanitize text that may span several lines (newlines are kept).
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// Sanitize text meant for one line: line breaks become a visible `⏎`.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

fn needs_work(s: &str) -> bool {
    s.chars().any(is_unsafe_char)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !needs_work(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut col = 0usize; // column on the current output line, for tab stops
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS / SOS / PM / APC introduce sequences too.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' => {
                let n = TAB_WIDTH - (col % TAB_WIDTH);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' if keep_newlines => {
                out.push('\n');
                col = 0;
            }
            '\r' if chars.peek() == Some(&'\n') => {} // CRLF: keep the LF only
            '\n' | '\r' | '\u{2028}' | '\u{2029}' if !keep_newlines => {
                out.push('⏎');
                col += 1;
            }
            c if is_unsafe_char(c) => {
                push_placeholder(&mut out, c);
                col += 1;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

fn push_placeholder(out: &mut String, c: char) {
    let cp = c as u32;
    if cp < 0x20 {
        // Unicode "control pictures": ␀ .. ␟
        out.push(char::from_u32(0x2400 + cp).unwrap_or('?'));
    } else if cp == 0x7f {
        out.push('␡');
    } else {
        out.push_str(&format!("⟨U+{cp:04X}⟩"));
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: drop the whole sequence.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        // ESC followed by intermediates (0x20-0x2f) then a final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&c) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&c) {
                    break;
                }
            }
        }
        // Two-character sequence (ESC c, ESC 7, ESC =, ...).
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte (0x40-0x7e).
fn skip_csi(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// OSC / DCS / SOS / PM / APC: up to BEL, ST (ESC \), or C1 ST. A newline also
/// ends it, so one hostile value cannot swallow the rest of a document.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                chars.next();
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            '\n' => return,
            _ => {
                chars.next();
            }
        }
    }
}

/// Source text as an error snippet shows it: every unsafe character made
/// visible as the sanitizer shows it (`␛`, `⟨U+202E⟩`; escape sequences
/// are shown, not removed: the reader is looking for what is in the file),
/// tabs and newlines kept. With it, where each byte offset of `s` is in the
/// text shown (`s.len() + 1` entries; an offset inside a character maps to
/// where the next one starts), so spans still point at what they marked.
pub fn visible_source(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut at = Vec::with_capacity(s.len() + 1);
    for c in s.chars() {
        at.push(out.len());
        if c != '\t' && c != '\n' && is_unsafe_char(c) {
            push_placeholder(&mut out, c);
        } else {
            out.push(c);
        }
        // The bytes inside it: where the next character starts.
        at.extend(std::iter::repeat_n(out.len(), c.len_utf8() - 1));
    }
    at.push(out.len());
    (out, at)
}

/// Make serialized JSON terminal-safe: serde_json escapes C0 controls but
/// writes DEL, C1 controls, bidi and zero-width characters raw. They can only
/// occur inside JSON strings, so each becomes a `\uXXXX` escape (surrogate
/// pairs above U+FFFF). The data is unchanged for a JSON reader.
pub fn json_safe(json: String) -> String {
    // `\n` is structure in pretty-printed JSON (inside strings serde_json
    // already writes it as `\n`), so it stays.
    let unsafe_here = |c: char| c != '\n' && is_unsafe_char(c);
    if !json.chars().any(unsafe_here) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_here(c) {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean_all(s: &str) -> String {
        sanitize(s).into_owned()
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("Smart Pump v2 — ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn removes_whole_escape_sequences() {
        assert_eq!(clean_all("a\u{1b}[31mred\u{1b}[0m"), "ared");
        assert_eq!(clean_all("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(clean_all("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(clean_all("x\u{1b}Pq#0;2;0;0;0\u{1b}\\y"), "xy");
        assert_eq!(clean_all("x\u{9b}2Jy"), "xy");
        assert_eq!(clean_all("x\u{1b}cy"), "xy");
        assert_eq!(clean_all("x\u{1b}(By"), "xy");
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(clean_all("a\u{7}b\u{0}c\u{7f}"), "a␇b␀c␡");
        assert_eq!(clean_all("ab\u{202e}cd"), "ab⟨U+202E⟩cd");
        assert_eq!(clean_all("a\u{200b}b"), "a⟨U+200B⟩b");
        assert_eq!(clean_all("a\u{85}b"), "a⟨U+0085⟩b");
    }

    #[test]
    fn tabs_expand_and_newlines_follow_mode() {
        assert_eq!(clean_all("a\tb"), "a   b");
        assert_eq!(clean_all("abcd\te"), "abcd    e");
        assert_eq!(clean_all("a\r\nb"), "a\nb");
        assert_eq!(sanitize_line("a\nb\rc"), "a⏎b⏎c");
    }

    #[test]
    fn nothing_unsafe_survives() {
        let hostile = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{2066}\u{feff}\r\u{8}end";
        for out in [sanitize(hostile), sanitize_line(hostile)] {
            assert!(
                !out.chars().any(|c| is_unsafe_char(c) && c != '\n'),
                "{out:?}"
            );
            assert!(!out.contains("52;c"), "{out:?}");
        }
    }

    #[test]
    fn json_safe_escapes_what_serde_json_leaves_raw() {
        let v = serde_json::json!({ "t": "a\u{202e}b\u{7f}c\u{1b}]52\u{e0041}" });
        let out = json_safe(serde_json::to_string_pretty(&v).unwrap());
        assert!(
            !out.chars().any(|c| c != '\n' && is_unsafe_char(c)),
            "{out}"
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn visible_source_shows_each_character_and_maps_offsets() {
        let s = "id = \"a\u{1b}b\u{202e}c\u{85}\"";
        let (out, at) = visible_source(s);
        assert_eq!(out, "id = \"a␛b⟨U+202E⟩c⟨U+0085⟩\"");
        assert!(!out.chars().any(is_unsafe_char));
        assert_eq!(at.len(), s.len() + 1);
        // `c` is where it was shown, and so is the end.
        let c = s.find('c').unwrap();
        assert_eq!(&out[at[c]..at[c] + 1], "c");
        assert_eq!(at[s.len()], out.len());
    }
}
