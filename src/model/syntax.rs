//! TOML text to the toml crate's spanned document, with every TOML error
//! located. The toml crate is the only grammar: its parser gives the
//! document (`DeTable`, every key and value with its byte span) and the
//! syntax errors; numbers it parses but cannot represent (`0x`, `1_0٠`,
//! `99999999999999999999`, `1e999`) are errors of its own value
//! conversion; its recursion limit, which it reports without a place, is
//! located here with its own event parser (`toml_parser`); and the same
//! limit holds for the document's nesting as a whole.

use super::types::Span;
use serde::Deserialize as _;
use std::borrow::Cow;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml_parser::parser::{EventReceiver, RecursionGuard};
use toml_parser::{ErrorSink, Source};

/// A parsed document: its root table with the span of the whole text.
pub type Document<'i> = Spanned<DeTable<'i>>;

/// How deep the toml crate lets a document nest (its `LIMIT`): a key of more
/// parts than this, or arrays and inline tables nested deeper, is an error.
/// `tests/check.rs` holds both sides of the limit, so a toml release that
/// changes it fails there.
pub const NESTING_LIMIT: usize = 80;

/// How deep a whole document may nest (tables and arrays in all): room for
/// any one construct the crate allows inside an entity's `[extra]`.
pub const DEPTH_LIMIT: usize = 2 * NESTING_LIMIT;

/// One TOML error: the toml crate's message and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Option<Span>,
    pub message: String,
}

impl SyntaxError {
    fn from_toml(e: &toml::de::Error) -> SyntaxError {
        let msg = e.message().trim();
        let msg = msg.lines().next().unwrap_or("invalid TOML");
        SyntaxError {
            span: e.span(),
            message: msg.trim_end_matches('.').to_string(),
        }
    }
}

/// Parse a document; every TOML error (sorted by place, each once) when it
/// is not valid TOML, or nested deeper than [`DEPTH_LIMIT`] levels in all.
pub fn parse(source: &str) -> Result<Document<'_>, Vec<SyntaxError>> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    let mut errors: Vec<SyntaxError> = errors.iter().map(SyntaxError::from_toml).collect();
    if errors.is_empty() {
        check_values(doc.get_ref(), &mut errors);
    }
    if errors.is_empty() {
        return Ok(doc);
    }
    dismantle(doc.into_inner());
    locate_deep_keys(source, &mut errors);
    errors.sort_by_key(|e| e.span.as_ref().map_or(0, |s| s.start));
    errors.dedup();
    Err(errors)
}

/// A value as the toml crate converts it (`0x10` is 16; a string is its
/// text), or the crate's error at the value.
pub fn to_value(v: &Spanned<DeValue<'_>>) -> Result<toml::Value, SyntaxError> {
    let de = toml::de::ValueDeserializer::from(v.clone());
    toml::Value::deserialize(de).map_err(|e| {
        let mut e = SyntaxError::from_toml(&e);
        e.span = e.span.or_else(|| Some(v.span()));
        if let DeValue::Integer(i) = v.get_ref() {
            e.message = integer_problem(i.as_str(), i.radix()).unwrap_or(e.message);
        }
        e
    })
}

/// What is wrong with an integer the crate parsed but could not convert,
/// in words (its own say "integer number overflowed" for `0x` and "u64
/// value was too large" for 2^63): `digits` as the crate holds them (sign,
/// digits; no prefix, no `_`).
fn integer_problem(digits: &str, radix: u32) -> Option<String> {
    let unsigned = digits.trim_start_matches(['+', '-']);
    let prefix = match radix {
        16 => "0x",
        8 => "0o",
        2 => "0b",
        _ => "",
    };
    if unsigned.is_empty() {
        return Some(format!("no digits after `{prefix}`"));
    }
    match unsigned.chars().find(|c| !c.is_digit(radix)) {
        Some(c) => Some(format!(
            "`{}` is not a digit of a base-{radix} integer",
            c.escape_debug()
        )),
        None => Some(
            "an integer out of the 64-bit range (-9223372036854775808 to 9223372036854775807)"
                .into(),
        ),
    }
}

/// Two checks over every value of a parsed document:
/// - numbers the parser accepts but the crate cannot represent, converted
///   as the crate converts them;
/// - nesting: the crate limits each construct (a key's parts, arrays and
///   inline tables) to [`NESTING_LIMIT`] levels, but together they nest far
///   deeper (inline tables of dotted keys), deep enough for the recursion
///   of any reader, the crate's own conversion and drop included, to
///   overflow a thread's stack. The whole document is limited to
///   [`DEPTH_LIMIT`] levels.
fn check_values(root: &DeTable<'_>, errors: &mut Vec<SyntaxError>) {
    // A stack, not recursion: this walk is what bounds the depth.
    let mut stack: Vec<(&Spanned<DeValue<'_>>, usize)> = root.values().map(|v| (v, 1)).collect();
    while let Some((v, depth)) = stack.pop() {
        let container = matches!(v.get_ref(), DeValue::Array(_) | DeValue::Table(_));
        if container && depth > DEPTH_LIMIT {
            errors.push(SyntaxError {
                span: Some(v.span()),
                message: format!("nested deeper than {DEPTH_LIMIT} levels"),
            });
            return;
        }
        match v.get_ref() {
            DeValue::Integer(_) | DeValue::Float(_) => {
                if let Err(e) = to_value(v) {
                    errors.push(e);
                }
            }
            DeValue::Array(a) => stack.extend(a.iter().map(|x| (x, depth + 1))),
            DeValue::Table(t) => stack.extend(t.values().map(|x| (x, depth + 1))),
            DeValue::String(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => {}
        }
    }
}

/// Drop a document level by level: dropping it whole recurses once per
/// level of nesting.
fn dismantle(root: DeTable<'_>) {
    let mut stack: Vec<DeValue<'_>> = root.into_iter().map(|(_, v)| v.into_inner()).collect();
    while let Some(v) = stack.pop() {
        match v {
            DeValue::Table(t) => stack.extend(t.into_iter().map(|(_, v)| v.into_inner())),
            DeValue::Array(a) => stack.extend(a.into_iter().map(|v| v.into_inner())),
            _ => {}
        }
    }
}

/// The crate reports a key of too many parts as "recursion limit" without a
/// place: give each such error the place of the next such key.
fn locate_deep_keys(source: &str, errors: &mut [SyntaxError]) {
    if !errors.iter().any(|e| e.span.is_none()) {
        return;
    }
    let mut keys = DeepKeys::default();
    each_event(source, &mut keys);
    let mut deep = keys.found.into_iter();
    for e in errors.iter_mut().filter(|e| e.span.is_none()) {
        if e.message.contains("recursion") {
            e.span = deep.next();
        }
    }
}

/// Run the crate's own lexer and event parser over `source`, nested no
/// deeper than the crate allows.
fn each_event(source: &str, receiver: &mut dyn EventReceiver) {
    let source = Source::new(source);
    let tokens = source.lex().into_vec();
    let mut guard = RecursionGuard::new(receiver, NESTING_LIMIT as u32);
    toml_parser::parser::parse_document(&tokens, &mut guard, &mut ());
}

/// Keys (dotted, in a header or before `=`) of more parts than the limit.
#[derive(Default)]
struct DeepKeys {
    parts: usize,
    start: usize,
    end: usize,
    found: Vec<Span>,
}

impl DeepKeys {
    fn close(&mut self) {
        if self.parts > NESTING_LIMIT {
            self.found.push(self.start..self.end);
        }
        self.parts = 0;
    }
}

type PSpan = toml_parser::Span;
type Enc = Option<toml_parser::decoder::Encoding>;

impl EventReceiver for DeepKeys {
    fn simple_key(&mut self, span: PSpan, _: Enc, _: &mut dyn ErrorSink) {
        if self.parts == 0 {
            self.start = span.start();
        }
        self.parts += 1;
        self.end = span.end();
    }
    // A key's parts are separated by dots and whitespace only.
    fn key_sep(&mut self, _: PSpan, _: &mut dyn ErrorSink) {}
    fn whitespace(&mut self, _: PSpan, _: &mut dyn ErrorSink) {}
    fn std_table_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn std_table_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn array_table_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn array_table_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn inline_table_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) -> bool {
        self.close();
        true
    }
    fn inline_table_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn array_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) -> bool {
        self.close();
        true
    }
    fn array_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn key_val_sep(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn scalar(&mut self, _: PSpan, _: Enc, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn value_sep(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn comment(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn newline(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
    fn error(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.close();
    }
}

/// Whether a text names a top-level `roadmap` table in any spelling TOML
/// allows (`[roadmap]`, `[ "roadmap" ]`, `['roadmap'.extra]`, `[[roadmap]]`,
/// `roadmap = {…}`, `roadmap.id = …` before any header, a BOM first), however
/// broken the rest of the text is: the crate's parser recovers from errors
/// and keeps giving events.
pub fn names_roadmap(source: &str) -> bool {
    // Byte order marks first (more than one is an error `check` reports).
    let source = source.trim_start_matches('\u{feff}');
    // Every spelling holds the word, or an escape (`"\u0072oadmap"`).
    if !source.contains("roadmap") && !source.contains('\\') {
        return false;
    }
    // The header is usually near the top: the beginning first, cut after a
    // newline. The parser reads left to right, so a header it finds there
    // is one in the whole text too.
    if source.len() > QUICK_PREFIX
        && let Some(cut) = source[..QUICK_PREFIX].rfind('\n')
        && first_keys_name_roadmap(&source[..=cut])
    {
        return true;
    }
    first_keys_name_roadmap(source)
}

/// How much of a long text [`names_roadmap`] reads first.
const QUICK_PREFIX: usize = 16 * 1024;

fn first_keys_name_roadmap(source: &str) -> bool {
    let mut r = FirstKeys {
        source,
        depth: 0,
        in_header: false,
        headers_seen: false,
        expect_key: true,
        found: false,
    };
    each_event(source, &mut r);
    r.found
}

/// Looks at the first key of each header and of each top-level key/value
/// line before the first header.
struct FirstKeys<'s> {
    source: &'s str,
    /// Arrays and inline tables open.
    depth: usize,
    in_header: bool,
    headers_seen: bool,
    /// The next simple key is the first of a header or top-level line.
    expect_key: bool,
    found: bool,
}

impl EventReceiver for FirstKeys<'_> {
    fn simple_key(&mut self, span: PSpan, encoding: Enc, _: &mut dyn ErrorSink) {
        if !std::mem::take(&mut self.expect_key) || self.depth > 0 {
            return;
        }
        // A key/value line after a header belongs to that header's table.
        if !self.in_header && self.headers_seen {
            return;
        }
        let Some(text) = self.source.get(span.start()..span.end()) else {
            return;
        };
        let raw = toml_parser::Raw::new_unchecked(text, encoding, span);
        let mut key = Cow::Borrowed("");
        raw.decode_key(&mut key, &mut ());
        self.found |= key == "roadmap";
    }
    fn std_table_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.in_header = true;
        self.headers_seen = true;
        self.expect_key = true;
        self.depth = 0;
    }
    fn array_table_open(&mut self, s: PSpan, e: &mut dyn ErrorSink) {
        self.std_table_open(s, e);
    }
    fn std_table_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.in_header = false;
        self.expect_key = false;
    }
    fn array_table_close(&mut self, s: PSpan, e: &mut dyn ErrorSink) {
        self.std_table_close(s, e);
    }
    fn inline_table_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) -> bool {
        self.depth += 1;
        true
    }
    fn inline_table_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn array_open(&mut self, _: PSpan, _: &mut dyn ErrorSink) -> bool {
        self.depth += 1;
        true
    }
    fn array_close(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn key_val_sep(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        self.expect_key = false;
    }
    fn newline(&mut self, _: PSpan, _: &mut dyn ErrorSink) {
        if self.depth == 0 {
            self.in_header = false;
            self.expect_key = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(src: &str) -> Vec<SyntaxError> {
        parse(src).err().unwrap_or_default()
    }

    #[test]
    fn numbers_the_crate_cannot_represent_are_located_errors() {
        let range = "an integer out of the 64-bit range";
        for (src, at, says) in [
            ("a = 0x\n", 4..6, "no digits after `0x`"),
            ("a = 0o\n", 4..6, "no digits after `0o`"),
            ("a = 0b\n", 4..6, "no digits after `0b`"),
            (
                "a = 1_0٠\n",
                4..9,
                "`٠` is not a digit of a base-10 integer",
            ),
            ("a = 99999999999999999999\n", 4..24, range),
            ("a = -9223372036854775809\n", 4..24, range),
            ("a = 0xFFFFFFFFFFFFFFFF\n", 4..22, range),
            ("a = 1e999\n", 4..9, ""),
            ("[t]\nb = [1, 0x]\n", 12..14, "no digits after `0x`"),
            ("t = { b = { c = 9223372036854775808 } }\n", 16..35, range),
        ] {
            let e = errors(src);
            assert_eq!(e.len(), 1, "{src:?}: {e:?}");
            assert_eq!(e[0].span, Some(at), "{src:?}: {e:?}");
            assert!(e[0].message.starts_with(says), "{src:?}: {e:?}");
        }
        assert!(parse("a = 0x10\nb = -9223372036854775808\nc = inf\n").is_ok());
    }

    #[test]
    fn a_key_of_too_many_parts_is_located() {
        let key = |n: usize| vec!["a"; n].join(".");
        let ok = format!("x = 1\n[t]\n{} = 1\n", key(NESTING_LIMIT));
        assert!(parse(&ok).is_ok());
        let src = format!("x = 1\n[t]\n{} = 1\n", key(NESTING_LIMIT + 1));
        let e = errors(&src);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].span, Some(10..10 + key(NESTING_LIMIT + 1).len()));
        let src = format!("x = 1\n[{}]\n", key(40_000));
        assert_eq!(errors(&src)[0].span.as_ref().map(|s| s.start), Some(7));
    }

    /// Inline tables of dotted keys, each construct within the crate's
    /// limit: 6,000 levels in all. An error, also on a thread's stack (the
    /// TUI's and `log`'s threads), not a stack overflow.
    #[test]
    fn deep_nesting_of_allowed_constructs_is_an_error() {
        let key = vec!["a"; NESTING_LIMIT - 1].join(".");
        let mut src = String::from("x = 1\ny = ");
        for _ in 0..NESTING_LIMIT - 1 {
            src.push_str(&format!("{{{key} = "));
        }
        src.push('1');
        src.push_str(&"}".repeat(NESTING_LIMIT - 1));
        src.push('\n');
        let e = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || errors(&src))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message.contains("nested deeper than 160 levels"),
            "{e:?}"
        );
        assert!(e[0].span.as_ref().is_some_and(|s| s.start > 6), "{e:?}");
    }

    #[test]
    fn roadmap_headers_in_every_spelling() {
        for yes in [
            "[roadmap]\n",
            "\u{feff}[roadmap]\nid = \"x\n",
            "[ roadmap ]\n",
            "[\"roadmap\"]\n",
            "['roadmap']\n",
            "[roadmap . extra]\n",
            "[[roadmap]]\n",
            "[\"\\u0072oadmap\"]\n",
            "a = \"\nbroken\n[roadmap]\n",
            "roadmap = { id = \"x\" }\n",
            "roadmap.id = \"x\"\n",
            "x = [\n1,\n]\n[roadmap]\n",
            &format!("{}\n[roadmap]\n", "# padding\n".repeat(5000)),
        ] {
            assert!(names_roadmap(yes), "{yes:?}");
        }
        for no in [
            "[package]\nname = \"roadmap\"\n",
            "[tool.roadmap]\n",
            "[tool]\nroadmap = 1\n",
            "a = \"\"\"\n[roadmap]\n\"\"\"\n",
            "x = { roadmap = 1 }\n",
            "# [roadmap]\n",
            &format!(
                "x = \"\"\"\n{}[roadmap]\n\"\"\"\n",
                "padding\n".repeat(5000)
            ),
        ] {
            assert!(!names_roadmap(no), "{no:?}");
        }
    }
}
