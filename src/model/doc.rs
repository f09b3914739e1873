//! The parsed TOML document the loader reads: tables in file order, every key
//! and value with its byte span.
//!
//! Two parsers produce it:
//! - `toml` (`DeTable`), the reference: it accepts all of TOML and is the only
//!   one that reports syntax errors;
//! - [`scan`], a fast single pass over the subset roadmaps are written in:
//!   bare and quoted keys, `[table]` / `[[array]]` headers of one or two
//!   bare keys, basic / literal / multi-line strings, decimal integers and
//!   floats, local dates, booleans, arrays, one-line inline tables,
//!   dotted keys, comments. It gives up (`None`) on anything else —
//!   date-times, other number forms, a key defined twice, any syntax error —
//!   and the text then goes to `toml`.
//!
//! Where the scanner accepts, both give the same document (same values, same
//! spans); the tests below and `tests/check.rs` check that on every fixture
//! and on thousands of mutated roadmaps. The scanner exists for speed: a
//! 1.2 MB roadmap scans about five times faster than `toml` parses it.

use super::types::Span;
use std::borrow::Cow;
use toml::de::{DeTable, DeValue};

/// A key with the span of its first appearance.
#[derive(Clone, Debug, PartialEq)]
pub struct Key<'i> {
    pub name: Cow<'i, str>,
    pub span: Span,
}

/// A value with its span (a table made by a header: the header's span).
#[derive(Clone, Debug)]
pub struct Node<'i> {
    pub value: Value<'i>,
    pub span: Span,
    /// Scanner bookkeeping: made by a `[table]` or `[[array]]` header (so a
    /// later header may extend it). Not part of the document's meaning.
    header: bool,
    /// Scanner bookkeeping: a table made by a dotted key (`a.b = 1`), which
    /// later dotted keys of the same table may extend.
    dotted: bool,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.span == other.span && self.value == other.value
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'i> {
    String(Cow<'i, str>),
    /// The integer as written, and its radix.
    Integer(Cow<'i, str>, u32),
    /// The float as written.
    Float(Cow<'i, str>),
    Boolean(bool),
    Datetime(toml::value::Datetime),
    Array(Vec<Node<'i>>),
    Table(Table<'i>),
}

/// A table's entries in file order (by where each key first appears).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table<'i> {
    pub entries: Vec<(Key<'i>, Node<'i>)>,
}

impl<'i> Table<'i> {
    pub fn get(&self, key: &str) -> Option<&Node<'i>> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }
    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.name == key)
    }
}

/// Parse a whole document: the scanner when it accepts the text, else `toml`
/// (whose errors are returned, each with its span and message).
pub fn parse(source: &str) -> Result<Node<'_>, Vec<toml::de::Error>> {
    if let Some(doc) = scan(source) {
        return Ok(doc);
    }
    reference(source)
}

/// Parse with `toml` only (the reference; also used by the tests).
pub fn reference(source: &str) -> Result<Node<'_>, Vec<toml::de::Error>> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(errors);
    }
    let span = doc.span();
    Ok(Node {
        value: Value::Table(from_table(doc.into_inner())),
        span,
        header: false,
        dotted: false,
    })
}

fn from_table(t: DeTable<'_>) -> Table<'_> {
    let mut entries: Vec<(Key<'_>, Node<'_>)> = t
        .into_iter()
        .map(|(k, v)| {
            let key = Key {
                span: k.span(),
                name: k.into_inner(),
            };
            let span = v.span();
            (key, from_value(v.into_inner(), span))
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    Table { entries }
}

fn from_value(v: DeValue<'_>, span: Span) -> Node<'_> {
    let value = match v {
        DeValue::String(s) => Value::String(s),
        DeValue::Integer(i) => Value::Integer(Cow::Owned(i.as_str().to_string()), i.radix()),
        DeValue::Float(f) => Value::Float(Cow::Owned(f.as_str().to_string())),
        DeValue::Boolean(b) => Value::Boolean(b),
        DeValue::Datetime(d) => Value::Datetime(d),
        DeValue::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| {
                    let span = x.span();
                    from_value(x.into_inner(), span)
                })
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(from_table(t)),
    };
    Node {
        value,
        span,
        header: false,
        dotted: false,
    }
}

// ------------------------------------------------------------------ scanner

/// The fast scanner: `Some(document)` when the text is in the subset it
/// knows, `None` to let `toml` parse it (and report any error).
pub fn scan(src: &str) -> Option<Node<'_>> {
    scan_ranges(src, std::iter::once(0..src.len()))
}

/// [`scan`] of some byte ranges of `src` as if they were the whole text
/// (each range must start at a line start; spans are positions in `src`).
pub fn scan_ranges(src: &str, ranges: impl IntoIterator<Item = Span>) -> Option<Node<'_>> {
    let mut root = Table::default();
    for range in ranges {
        let end = range.end.min(src.len());
        let text = src.get(..end)?;
        let mut s = Scanner {
            src: text,
            b: text.as_bytes(),
            pos: range.start,
            depth: 0,
        };
        s.lines(&mut root)?;
    }
    Some(Node {
        value: Value::Table(root),
        span: 0..0,
        header: false,
        dotted: false,
    })
}

impl<'i> Scanner<'i> {
    /// Key/values and headers up to the end of the text, into `root`.
    fn lines(&mut self, root: &mut Table<'i>) -> Option<()> {
        let s = self;
        // Where key/values go: the root, or the table named by the last
        // header, as entry indexes from the root (an array of tables: its
        // last element).
        let mut path: Vec<usize> = Vec::new();
        loop {
            s.skip_ws();
            match s.peek() {
                None => break,
                Some(b'\n') | Some(b'\r') => s.newline()?,
                Some(b'#') => {
                    s.comment()?;
                    s.newline_or_eof()?;
                }
                Some(b'[') => {
                    path = s.header(root)?;
                    s.end_of_line()?;
                }
                Some(_) => {
                    let (key, dotted, node) = s.key_value()?;
                    insert(at_path(root, &path)?, key, dotted, node)?;
                    s.end_of_line()?;
                }
            }
        }
        Some(())
    }
}

/// The table at `path` (entry indexes; an array of tables means its last
/// element).
fn at_path<'t, 'i>(root: &'t mut Table<'i>, path: &[usize]) -> Option<&'t mut Table<'i>> {
    let mut t = root;
    for &i in path {
        let node = &mut t.entries.get_mut(i)?.1;
        t = match &mut node.value {
            Value::Table(t) => t,
            Value::Array(items) => match &mut items.last_mut()?.value {
                Value::Table(t) => t,
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(t)
}

struct Scanner<'i> {
    src: &'i str,
    b: &'i [u8],
    pos: usize,
    /// Arrays and inline tables open around the current value.
    depth: usize,
}

/// Nesting of arrays and inline tables the scanner reads (`toml` allows 80).
const MAX_DEPTH: usize = 32;

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// A byte TOML forbids in comments and strings (tab is allowed).
fn is_control(c: u8) -> bool {
    (c < 0x20 && c != b'\t') || c == 0x7f
}

impl<'i> Scanner<'i> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn newline(&mut self) -> Option<()> {
        match self.peek()? {
            b'\n' => self.pos += 1,
            b'\r' if self.b.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
            _ => return None,
        }
        Some(())
    }

    fn newline_or_eof(&mut self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(_) => self.newline(),
        }
    }

    /// A comment up to (not including) the end of its line.
    fn comment(&mut self) -> Option<()> {
        self.pos += 1;
        while let Some(c) = self.peek() {
            if c == b'\n' || c == b'\r' {
                break;
            }
            if is_control(c) {
                return None;
            }
            self.pos += 1;
        }
        Some(())
    }

    /// After a header or key/value: spaces, an optional comment, the end of
    /// the line (or of the text).
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        self.newline_or_eof()
    }

    fn bare_key(&mut self) -> Option<Key<'i>> {
        let start = self.pos;
        while self.peek().is_some_and(is_bare) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        Some(Key {
            name: Cow::Borrowed(&self.src[start..self.pos]),
            span: start..self.pos,
        })
    }

    /// `[a]`, `[a.b]`, `[[a]]` or `[[a.b]]`: makes the table (or appends the
    /// array element) and returns the path to it.
    fn header(&mut self, root: &mut Table<'i>) -> Option<Vec<usize>> {
        let start = self.pos;
        let array = self.b.get(self.pos + 1) == Some(&b'[');
        self.pos += if array { 2 } else { 1 };
        let first = self.bare_key()?;
        let second = if self.peek() == Some(b'.') {
            self.pos += 1;
            Some(self.bare_key()?)
        } else {
            None
        };
        for _ in 0..1 + usize::from(array) {
            if self.peek() != Some(b']') {
                return None;
            }
            self.pos += 1;
        }
        let span = start..self.pos;
        match second {
            None => Some(vec![open(root, first, span, array)?]),
            Some(second) => {
                // The parent must be a table or array of tables made by a
                // header (an implicit parent is left to `toml`).
                let parent = root.position(&first.name)?;
                if !root.entries[parent].1.header {
                    return None;
                }
                let table = at_path(root, &[parent])?;
                Some(vec![parent, open(table, second, span, array)?])
            }
        }
    }

    /// A bare or quoted key (one part: a dotted key is left to `toml`).
    fn key(&mut self) -> Option<Key<'i>> {
        let start = self.pos;
        let name = match self.peek()? {
            b'"' if !self.b[self.pos..].starts_with(b"\"\"\"") => self.basic_string()?,
            b'\'' if !self.b[self.pos..].starts_with(b"\'\'\'") => self.literal_string()?,
            _ => return self.bare_key(),
        };
        Some(Key {
            name,
            span: start..self.pos,
        })
    }

    /// `key = value`; a dotted key (`a.b.c`, no spaces around the dots)
    /// gives its first part and the others.
    fn key_value(&mut self) -> Option<(Key<'i>, Vec<Key<'i>>, Node<'i>)> {
        let key = self.key()?;
        let mut more = Vec::new();
        while self.peek() == Some(b'.') {
            self.pos += 1;
            more.push(self.key()?);
        }
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        let value = self.value()?;
        Some((key, more, value))
    }

    fn value(&mut self) -> Option<Node<'i>> {
        let start = self.pos;
        let value = match self.peek()? {
            b'"' => Value::String(self.basic_string()?),
            b'\'' => Value::String(self.literal_string()?),
            b'[' | b'{' => {
                // Deep nesting is left to `toml`, which limits it (and the
                // stack stays small).
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let v = if self.peek()? == b'[' {
                    Value::Array(self.array()?)
                } else {
                    Value::Table(self.inline_table()?)
                };
                self.depth -= 1;
                v
            }
            b't' if self.b[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Value::Boolean(true)
            }
            b'f' if self.b[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Value::Boolean(false)
            }
            b'0'..=b'9' if self.is_date() => self.date()?,
            b'0'..=b'9' | b'-' => self.number()?,
            _ => return None,
        };
        // A value ends at a delimiter (`true1` or `1x` are not values here).
        if self
            .peek()
            .is_some_and(|c| is_bare(c) || c == b'.' || c == b':')
        {
            return None;
        }
        Some(Node {
            value,
            span: start..self.pos,
            header: false,
            dotted: false,
        })
    }

    /// `YYYY-MM-DD` ahead (a local date, maybe followed by a time).
    fn is_date(&self) -> bool {
        let d = |i: usize| self.b.get(self.pos + i).is_some_and(u8::is_ascii_digit);
        (0..4).all(d)
            && self.b.get(self.pos + 4) == Some(&b'-')
            && (5..7).all(d)
            && self.b.get(self.pos + 7) == Some(&b'-')
            && (8..10).all(d)
    }

    /// A local date (`2027-03-15`) that exists. A time after it, or a day
    /// that does not exist, is left to `toml`.
    fn date(&mut self) -> Option<Value<'i>> {
        let text = &self.src[self.pos..self.pos + 10];
        let (year, month, day) = (
            text[..4].parse::<u16>().ok()?,
            text[5..7].parse::<u8>().ok()?,
            text[8..].parse::<u8>().ok()?,
        );
        jiff::civil::Date::new(year as i16, month as i8, day as i8).ok()?;
        // `2027-03-15 10:00` is a date-time.
        if self.b.get(self.pos + 10) == Some(&b' ')
            && self.b.get(self.pos + 11).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        self.pos += 10;
        Some(Value::Datetime(toml::value::Datetime {
            date: Some(toml::value::Date { year, month, day }),
            time: None,
            offset: None,
        }))
    }

    /// `-?(0|[1-9][0-9]*)` (an integer) or that with `.[0-9]+` (a float).
    fn number(&mut self) -> Option<Value<'i>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let n = self.pos - digits;
        if n == 0 || (n > 1 && self.b[digits] == b'0') {
            return None;
        }
        if self.peek() != Some(b'.') {
            // Out of range: `toml` reports it.
            self.src[start..self.pos].parse::<i64>().ok()?;
            return Some(Value::Integer(
                Cow::Borrowed(&self.src[start..self.pos]),
                10,
            ));
        }
        self.pos += 1;
        let frac = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == frac {
            return None;
        }
        Some(Value::Float(Cow::Borrowed(&self.src[start..self.pos])))
    }

    fn array(&mut self) -> Option<Vec<Node<'i>>> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank()?;
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(items);
            }
            items.push(self.value()?);
            self.skip_blank()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }

    /// `{ a = 1, b = "x" }` on one line, without a trailing comma (TOML 1.0).
    fn inline_table(&mut self) -> Option<Table<'i>> {
        self.pos += 1;
        let mut t = Table::default();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(t);
        }
        loop {
            self.skip_ws();
            let (key, dotted, value) = self.key_value()?;
            if !dotted.is_empty() || t.position(&key.name).is_some() {
                return None;
            }
            t.entries.push((key, value));
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(t);
                }
                _ => return None,
            }
        }
    }

    /// Spaces, newlines and comments (inside an array).
    fn skip_blank(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\n' | b'\r') => self.newline()?,
                Some(b'#') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    fn literal_string(&mut self) -> Option<Cow<'i, str>> {
        if self.b[self.pos..].starts_with(b"'''") {
            return self.multiline(b'\'');
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'\'' => break,
                c if is_control(c) => return None,
                _ => self.pos += 1,
            }
        }
        let s = &self.src[start..self.pos];
        self.pos += 1;
        Some(Cow::Borrowed(s))
    }

    fn basic_string(&mut self) -> Option<Cow<'i, str>> {
        if self.b[self.pos..].starts_with(b"\"\"\"") {
            return self.multiline(b'"');
        }
        self.pos += 1;
        let start = self.pos;
        // Borrowed until the first escape.
        loop {
            match self.peek()? {
                b'"' => {
                    let s = &self.src[start..self.pos];
                    self.pos += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => break,
                c if is_control(c) => return None,
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.src[start..self.pos]);
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => self.escape(&mut out)?,
                c if is_control(c) => return None,
                _ => {
                    let run = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c != b'"' && c != b'\\' && !is_control(c))
                    {
                        self.pos += 1;
                    }
                    out.push_str(&self.src[run..self.pos]);
                }
            }
        }
    }

    /// One escape (`self.pos` at the backslash) of TOML 1.0.
    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = *self.b.get(self.pos + 1)?;
        self.pos += 2;
        let ch = match c {
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let hex = self.src.get(self.pos..self.pos + n)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                self.pos += n;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        out.push(ch);
        Some(())
    }

    /// `"""…"""` or `'''…'''` (`self.pos` at the opening delimiter).
    fn multiline(&mut self, quote: u8) -> Option<Cow<'i, str>> {
        self.pos += 3;
        // A newline right after the opening delimiter is not content.
        if self.peek() == Some(b'\n') {
            self.pos += 1;
        } else if self.b[self.pos..].starts_with(b"\r\n") {
            // toml keeps CRLFs of the content as written; leave those to it.
            return None;
        }
        let start = self.pos;
        let mut out: Option<String> = None;
        loop {
            let c = self.peek()?;
            if c == quote {
                let mut n = 0;
                while self.b.get(self.pos + n) == Some(&quote) {
                    n += 1;
                }
                if n >= 3 {
                    if n > 5 {
                        return None;
                    }
                    // Up to two quotes before the closing three are content.
                    let end = self.pos + n - 3;
                    self.pos += n;
                    return Some(match out {
                        None => Cow::Borrowed(&self.src[start..end]),
                        Some(mut s) => {
                            s.push_str(&self.src[end - (n - 3)..end]);
                            Cow::Owned(s)
                        }
                    });
                }
                if let Some(s) = &mut out {
                    s.push_str(&self.src[self.pos..self.pos + n]);
                }
                self.pos += n;
            } else if c == b'\\' && quote == b'"' {
                let mut s = out
                    .take()
                    .unwrap_or_else(|| String::from(&self.src[start..self.pos]));
                if !self.line_ending_backslash()? {
                    self.escape(&mut s)?;
                }
                out = Some(s);
            } else if c == b'\n' || c == b'\t' || !is_control(c) {
                if let Some(s) = &mut out {
                    let ch_len = utf8_len(c);
                    s.push_str(&self.src[self.pos..self.pos + ch_len]);
                    self.pos += ch_len;
                } else {
                    self.pos += 1;
                }
            } else {
                return None;
            }
        }
    }

    /// `\` then only spaces up to the end of the line: the newline and all
    /// whitespace after it are trimmed. `Some(false)` when not that case.
    fn line_ending_backslash(&mut self) -> Option<bool> {
        let mut p = self.pos + 1;
        while let Some(b' ' | b'\t') = self.b.get(p) {
            p += 1;
        }
        match self.b.get(p) {
            Some(b'\n') => {}
            Some(b'\r') => return None,
            _ => return Some(false),
        }
        while let Some(b' ' | b'\t' | b'\n') = self.b.get(p) {
            p += 1;
        }
        if self.b.get(p) == Some(&b'\r') {
            return None;
        }
        self.pos = p;
        Some(true)
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// Put `value` at key `first.more…` of `table`. Dotted keys make tables of
/// their own (spanning the key where it first appears) and extend only such
/// tables; any other clash is for `toml` to report.
fn insert<'i>(
    table: &mut Table<'i>,
    first: Key<'i>,
    more: Vec<Key<'i>>,
    value: Node<'i>,
) -> Option<()> {
    let mut t = table;
    let mut key = first;
    for next in more {
        let i = match t.position(&key.name) {
            Some(i) if t.entries[i].1.dotted => i,
            Some(_) => return None,
            None => {
                let node = Node {
                    value: Value::Table(Table::default()),
                    span: key.span.clone(),
                    header: false,
                    dotted: true,
                };
                t.entries.push((key, node));
                t.entries.len() - 1
            }
        };
        t = match &mut t.entries[i].1.value {
            Value::Table(inner) => inner,
            _ => return None,
        };
        key = next;
    }
    if t.position(&key.name).is_some() {
        return None;
    }
    t.entries.push((key, value));
    Some(())
}

/// Make the table (`[name]`) or append an element to the array of tables
/// (`[[name]]`) `name` in `table`; the entry's index.
fn open<'i>(table: &mut Table<'i>, name: Key<'i>, span: Span, array: bool) -> Option<usize> {
    let element = || Node {
        value: Value::Table(Table::default()),
        span: span.clone(),
        header: true,
        dotted: false,
    };
    match table.position(&name.name) {
        None => {
            let value = if array {
                Value::Array(vec![element()])
            } else {
                Value::Table(Table::default())
            };
            table.entries.push((
                name,
                Node {
                    value,
                    span: span.clone(),
                    header: true,
                    dotted: false,
                },
            ));
            Some(table.entries.len() - 1)
        }
        // Only an array of tables made by `[[name]]` headers grows.
        Some(i) if array => {
            let node = &mut table.entries[i].1;
            match &mut node.value {
                Value::Array(items) if node.header => {
                    items.push(element());
                    Some(i)
                }
                _ => None,
            }
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner accepts and agrees with `toml`.
    fn same(src: &str) {
        let fast = scan(src).unwrap_or_else(|| panic!("scanner gave up on:\n{src}"));
        let reference = reference(src).expect("toml parses it");
        assert_eq!(fast, reference, "for:\n{src}");
    }

    /// The scanner leaves the text to `toml`.
    fn declined(src: &str) {
        assert!(scan(src).is_none(), "scanner accepted:\n{src}");
    }

    #[test]
    fn agrees_with_toml_on_the_subset() {
        same("");
        same("# only a comment");
        same("schema = 1\n[roadmap]\nid = \"x\" # c\ntitle = 'lit'\n");
        same("a = [ \"x\", 'y' ,\n  \"z\", # c\n]\nb = []\nc = [[1, 2], [\"a\"]]\n");
        same("n = -12\nf = 3.25\nt = true\nu = false\nz = 0\nnz = -0\n");
        same("s = \"tab\\tq\\\" \\\\ \\u00e9 \\U0001F600 \\b\\f\\r\\n\"\n");
        same("m = \"\"\"\nline 1\nline \"2\" \"\"\"\nk = '''\n x ''y'' '''\n");
        same("m = \"\"\"a \\\n   b\\n\"\"\"\nq = \"\"\"two\"\"\"\"\"\nr = '''x'''''\n");
        same(
            "[[feature]]\nid = \"f\"\n  [[feature.work]]\n  id = \"w\"\n[feature.extra]\nk = 1\n  [[feature.work]]\n  id = \"w2\"\n[[feature]]\nid = \"g\"\n",
        );
        same(
            "[roadmap]\nid = \"x\"\n[roadmap.extra]\nnote = \"é ünïcödé\"\n\r\n[[release]]\r\nid = \"r\"\r\n",
        );
        same("d = 2027-03-15\ne = [2028-02-29, 0001-01-01]\n");
        same(&format!("deep = {}1{}\n", "[".repeat(32), "]".repeat(32)));
        same("[roadmap]\nextra = { jira = \"P-1\", n = 2, t = {}, a = [1, { x = 'y' }] }\n");
        same(
            "x = 1\nextra.jira = \"P-1\"\nextra.n = 2\n[t]\na.b.c = true\na.d = 1\n\"q\".'r' = 3\n",
        );
        same("[[feature]]\nid = \"f\"\nextra.k = 1\n[[feature]]\nid = \"g\"\nextra.k = 2\n");
        same("\"quoted key\" = 1\n'lit key' = 2\n\"esc\\u00e9\" = { \"in line\" = true }\n");
        same("x = \"\"\"\n\"\"\"\ny = \"\"\"\"\"\"\nz = ''\n");
    }

    #[test]
    fn leaves_the_rest_to_toml() {
        for src in [
            "a . b = 1",
            "a.b = 1\n[a]",
            "a = { x = 1 }\na.y = 2",
            "a = 1\na.b = 2",
            "a.b = 1\na.b = 2",
            "a.b = 1\na = 2",
            "[t]\na.b = 1\n[t.a]",
            "x = { a.b = 1 }",
            "a = { b.c = 1 }",
            "a = { b = 1, }",
            "a = { b = 1,\n c = 2 }",
            "a = { b = 1, b = 2 }",
            "a = { b = 1 }\n[a]",
            "\"\"\"k\"\"\" = 1",
            "d = 2027-03-15T10:00:00",
            "d = 2027-03-15 10:00:00",
            "d = 2027-02-29",
            "d = 2027-13-01",
            "d = 2027-03-15Z",
            "n = 1_000",
            "n = 0x1f",
            "n = +1",
            "f = 1e5",
            "f = inf",
            "n = 01",
            "[a.b.c]",
            "[ a ]",
            "[a.b]\n",
            "a = 1\na = 2",
            "[a]\n[a]",
            "[a]\n[[a]]",
            "a = []\n[[a]]",
            "s = \"bad \\x41\"",
            "s = \"unterminated",
            "s = \"ctrl \u{1}\"",
            "# ctrl \u{7f}",
            "a = 1 b = 2",
            "a = truex",
            "x = '''\r\nwin'''",
            "a = 1\rb = 2",
            "= 1",
            "n = 99999999999999999999",
            &format!("deep = {}1{}", "[".repeat(33), "]".repeat(33)),
            &format!("deep = {}{}", "{ a = ".repeat(33), "}".repeat(33)),
        ] {
            declined(src);
        }
    }
}
