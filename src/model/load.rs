//! Loading roadmap files: discovery, TOML with spans, typed fields, validation.
//!
//! The TOML is parsed once into a spanned document ([`super::doc`]: a fast
//! scanner for the usual subset, `toml` for the rest and for syntax errors);
//! every entity is then read field by field so that each problem is reported
//! at its own `line:col`, and all of them are reported, not just the first.

use super::date::{DATE_FORMS, DateSpec, Estimate, EstimateUnit};
use super::diag::Diagnostic;
use super::doc::{self, Key, Node, Table, Value};
use super::types::*;
use super::validate;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Files larger than this are rejected with an error (not parsed).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// One roadmap file after loading: its text, the roadmap when it has no
/// errors, and every diagnostic (errors and warnings) found.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub path: String,
    /// The text (lossy when the file was not valid UTF-8).
    pub source: String,
    /// `Some` when there are no errors (warnings allowed).
    pub roadmap: Option<Roadmap>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedFile {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
    /// Every diagnostic rendered (`path:line:col: error: ...` + snippet).
    pub fn render_diagnostics(&self, color: bool) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.path, &self.source, color))
            .collect()
    }
    /// The first error as one line, e.g. for a diff's `unparseable` status.
    pub fn first_error(&self) -> Option<String> {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.headline(&self.path, &self.source))
    }
    fn failed(path: &str, source: String, d: Diagnostic) -> LoadedFile {
        LoadedFile {
            path: path.to_string(),
            source,
            roadmap: None,
            diagnostics: vec![d],
        }
    }
}

/// "Today" for horizons: `ROADLENS_TODAY` (YYYY-MM-DD) when set, else the
/// system's local date.
pub fn today() -> Date {
    if let Ok(d) = std::env::var("ROADLENS_TODAY")
        .unwrap_or_default()
        .parse::<Date>()
    {
        return d;
    }
    jiff::Zoned::now().date()
}

/// Load a file from disk (any file: a path named by the user is always loaded).
pub fn load_path(display: &str, path: &Path, today: Date) -> LoadedFile {
    match crate::fsread::read_regular(path, MAX_FILE_BYTES as u64 + 1) {
        Ok(bytes) => load_bytes(display, &bytes, today),
        Err(e) => LoadedFile::failed(
            display,
            String::new(),
            Diagnostic::error(None, format!("cannot read file: {e}")),
        ),
    }
}

/// Load from bytes: checks size, NUL bytes and UTF-8 first.
pub fn load_bytes(path: &str, bytes: &[u8], today: Date) -> LoadedFile {
    if bytes.len() > MAX_FILE_BYTES {
        return LoadedFile::failed(
            path,
            String::new(),
            Diagnostic::error(
                None,
                format!(
                    "file is too large: over the limit of {} MiB",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ),
        );
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let source = String::from_utf8_lossy(&bytes[..at]).into_owned();
        let end = source.len();
        return LoadedFile::failed(
            path,
            source,
            Diagnostic::error(
                Some(end..end),
                format!("binary file: a NUL byte at byte offset {at}"),
            ),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => load_str(path, s, today),
        Err(e) => {
            let at = e.valid_up_to();
            let source = String::from_utf8_lossy(bytes).into_owned();
            // Offsets before `at` are the same in the lossy text.
            LoadedFile::failed(
                path,
                source,
                Diagnostic::error(
                    Some(at..at + 1),
                    format!("not valid UTF-8 (at byte offset {at})"),
                )
                .with_label("invalid byte sequence"),
            )
        }
    }
}

/// Parse and validate TOML text.
pub fn load_str(path: &str, source: &str, today: Date) -> LoadedFile {
    let doc = match doc::parse(source) {
        Ok(doc) => doc,
        Err(errors) => return syntax_errors(path, source, &errors),
    };
    let mut cx = Cx::default();
    let roadmap = match &doc.value {
        Value::Table(t) => read_document(&mut cx, path, t, doc.span.clone(), today),
        _ => None,
    };
    finish(path, source, roadmap, cx)
}

/// Validate what was read and sort every diagnostic.
fn finish(path: &str, source: &str, roadmap: Option<Roadmap>, mut cx: Cx) -> LoadedFile {
    if let Some(r) = &roadmap {
        validate::validate(r, !cx.dropped, &mut cx.diags);
    }
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.severity, d.span.as_ref().map(|s| s.start).unwrap_or(0)));
    let has_errors = diagnostics.iter().any(|d| d.is_error());
    LoadedFile {
        path: path.to_string(),
        source: source.to_string(),
        roadmap: if has_errors { None } else { roadmap },
        diagnostics,
    }
}

/// A roadmap read without a problem, validated (for `model::pair`).
pub(super) fn validated(path: &str, source: &str, roadmap: Roadmap) -> LoadedFile {
    let cx = Cx::default();
    finish(path, source, Some(roadmap), cx)
}

/// Read one entity table; `None` when it has any problem (for
/// `model::pair`, which then loads the whole file the plain way).
pub(super) fn read_clean<T>(
    read: fn(&mut Cx, &Table<'_>, Span) -> Option<T>,
    t: &Table<'_>,
    span: Span,
) -> Option<T> {
    let mut cx = Cx::default();
    let e = read(&mut cx, t, span)?;
    cx.diags.is_empty().then_some(e)
}

/// The document without its entity tables (`schema`, `[roadmap]`), read
/// without any problem: a roadmap with no entities (for `model::pair`).
pub(super) fn read_head(path: &str, t: &Table<'_>, span: Span, today: Date) -> Option<Roadmap> {
    let mut cx = Cx::default();
    let r = read_document(&mut cx, path, t, span, today)?;
    (cx.diags.is_empty() && !cx.dropped).then_some(r)
}

/// TOML syntax errors, sorted by where they are.
fn syntax_errors(path: &str, source: &str, errors: &[toml::de::Error]) -> LoadedFile {
    let mut diagnostics: Vec<Diagnostic> = errors
        .iter()
        .map(|e| {
            let msg = e.message().trim().trim_end_matches('.').to_string();
            let msg = msg.lines().next().unwrap_or("invalid TOML").to_string();
            Diagnostic::error(e.span(), format!("TOML syntax: {msg}"))
        })
        .collect();
    diagnostics.sort_by_key(|d| d.span.as_ref().map(|s| s.start).unwrap_or(0));
    LoadedFile {
        path: path.to_string(),
        source: source.to_string(),
        roadmap: None,
        diagnostics,
    }
}

/// True when the bytes look like a roadmap: a `[roadmap]` table (a line
/// starting with `[roadmap]` or `[roadmap.`, so a roadmap with broken TOML
/// still counts), or a parsed document with a top-level `roadmap` table.
pub fn is_roadmap_source(bytes: &[u8]) -> bool {
    if bytes.len() > MAX_FILE_BYTES || memchr::memmem::find(bytes, b"roadmap").is_none() {
        return false;
    }
    // Only the lines holding "roadmap" can be such a header line.
    let header_line = |at: usize| {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let line = String::from_utf8_lossy(&bytes[start..end]);
        let l = line.trim_start();
        l.starts_with("[roadmap]") || l.starts_with("[roadmap.") || l.starts_with("[ roadmap ]")
    };
    if memchr::memmem::find_iter(bytes, b"roadmap").any(header_line) {
        return true;
    }
    let text = String::from_utf8_lossy(bytes);
    match doc::parse(&text) {
        Ok(Node {
            value: Value::Table(t),
            ..
        }) => t
            .get("roadmap")
            .is_some_and(|v| matches!(v.value, Value::Table(_))),
        _ => false,
    }
}

/// Roadmap files under `root` (sorted): `*.toml` files with a `[roadmap]`
/// table, skipping `.git`, `target`, `node_modules` and hidden directories,
/// never following symbolic links to directories. A `root` that names a file
/// is returned as is (whatever it holds).
pub fn discover(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        // A file (or a FIFO, a device: loading says it is not a regular file).
        return Ok(vec![root.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir == root => return Err(e),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                    stack.push(path);
                }
            } else if name.ends_with(".toml")
                && (ft.is_file() || ft.is_symlink())
                && file_is_roadmap(&path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn file_is_roadmap(path: &Path) -> bool {
    // Never opens a FIFO or device (see `crate::fsread`).
    let Ok(bytes) = crate::fsread::read_regular(path, MAX_FILE_BYTES as u64 + 1) else {
        return false;
    };
    if bytes.len() > MAX_FILE_BYTES {
        // Too large to parse: included when it says it is a roadmap, so that
        // loading reports the size instead of silently skipping it.
        return bytes[..64 * 1024].windows(9).any(|w| w == b"[roadmap]");
    }
    is_roadmap_source(&bytes)
}

// ------------------------------------------------------------------ reading

#[derive(Default)]
pub(super) struct Cx {
    diags: Vec<Diagnostic>,
    /// An entity was dropped (no valid id): counts of references are
    /// incomplete, so warnings built on them would be noise.
    dropped: bool,
}

impl Cx {
    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(Some(span), msg));
    }
}

type Val<'i> = Node<'i>;

fn type_name(v: &Value<'_>) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(..) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// One entry of a table being read: key, value, and whether it was read.
struct Entry<'a, 'i> {
    key: &'a Key<'i>,
    value: &'a Val<'i>,
    used: bool,
}

/// Reads the fields of one table, remembering which keys were used so the
/// rest can be reported as unknown.
struct Fields<'a, 'i> {
    /// The table's entries, in the table's (key) order. A table has a
    /// handful of keys: one pass to collect them, then a short scan per
    /// field beats a tree search per field.
    entries: Vec<Entry<'a, 'i>>,
    /// `[[feature]]`, `[roadmap]`...: how the table is named in messages.
    what: &'static str,
    span: Span,
    spans: Spans,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn new(table: &'a Table<'i>, span: Span, what: &'static str) -> Self {
        // The entity, its fields, and a few list entries.
        let mut spans = Spans::with_capacity(table.entries.len() + 4);
        spans.insert("", span.clone());
        Fields {
            entries: table
                .entries
                .iter()
                .map(|(key, value)| Entry {
                    key,
                    value,
                    used: false,
                })
                .collect(),
            what,
            span,
            spans,
        }
    }

    /// The entry for `key` (keys are unique within a table).
    fn find(&self, key: &str) -> Option<usize> {
        let first = key.as_bytes().first();
        self.entries.iter().position(|e| {
            let k: &str = &e.key.name;
            // Length and first byte first: most keys differ there.
            k.len() == key.len() && k.as_bytes().first() == first && k == key
        })
    }

    /// Whether the table has `key` (without reading it).
    fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Val<'i>> {
        let at = self.find(key)?;
        let e = &mut self.entries[at];
        e.used = true;
        let v = e.value;
        self.spans.insert(key, v.span.clone());
        Some(v)
    }

    fn wrong_type(&self, cx: &mut Cx, key: &str, v: &Val<'_>, expected: &str) {
        cx.error(
            v.span.clone(),
            format!(
                "wrong type for `{key}` in {}: expected {expected}, found {}",
                self.what,
                type_name(&v.value)
            ),
        );
    }

    fn missing(&self, cx: &mut Cx, key: &str) {
        cx.error(
            self.span.clone(),
            format!("missing required field `{key}` in {}", self.what),
        );
    }

    fn string(&mut self, cx: &mut Cx, key: &'static str) -> Option<String> {
        let v = self.get(key)?;
        match &v.value {
            Value::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(cx, key, v, "a string");
                None
            }
        }
    }

    fn required(&mut self, cx: &mut Cx, key: &'static str) -> Option<String> {
        if !self.has(key) {
            self.missing(cx, key);
            return None;
        }
        self.string(cx, key)
    }

    /// A required id: lowercase letters, digits, `-` and `_`.
    fn id(&mut self, cx: &mut Cx, key: &'static str, required: bool) -> Option<String> {
        let id = if required {
            self.required(cx, key)?
        } else {
            self.string(cx, key)?
        };
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            let span = self.spans.of(key).unwrap_or(self.span.clone());
            cx.diags.push(
                Diagnostic::error(
                    Some(span),
                    format!("invalid {key} `{id}`: use lowercase letters, digits, `-` and `_`"),
                )
                .with_label("not a valid id"),
            );
            return None;
        }
        Some(id)
    }

    fn float(&mut self, cx: &mut Cx, key: &'static str) -> Option<f64> {
        let v = self.get(key)?;
        match &v.value {
            Value::Float(f) => f.replace('_', "").parse::<f64>().ok(),
            Value::Integer(i, radix) => parse_int(i, *radix).map(|n| n as f64),
            _ => {
                self.wrong_type(cx, key, v, "a number");
                None
            }
        }
    }

    fn int(&mut self, cx: &mut Cx, key: &'static str) -> Option<i64> {
        let v = self.get(key)?;
        match &v.value {
            Value::Integer(i, radix) => parse_int(i, *radix),
            _ => {
                self.wrong_type(cx, key, v, "an integer");
                None
            }
        }
    }

    fn date(&mut self, cx: &mut Cx, key: &'static str) -> Option<DateSpec> {
        let v = self.get(key)?;
        match &v.value {
            Value::String(s) => match DateSpec::parse(s) {
                Ok(d) => Some(d),
                Err(msg) => {
                    cx.error(v.span.clone(), msg);
                    None
                }
            },
            Value::Datetime(dt) => {
                match (dt.date, dt.time) {
                    (Some(d), None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                        Ok(d) => Some(DateSpec::Day(d)),
                        Err(_) => {
                            cx.error(v.span.clone(), format!("invalid date `{dt}`: no such day"));
                            None
                        }
                    },
                    _ => {
                        cx.error(v.span.clone(), format!("invalid date `{dt}` for `{key}`: expected {DATE_FORMS}, without a time"));
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(cx, key, v, DATE_FORMS);
                None
            }
        }
    }

    fn enumerated<E>(
        &mut self,
        cx: &mut Cx,
        key: &'static str,
        parse: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<E> {
        let v = self.get(key)?;
        let s = match &v.value {
            Value::String(s) => s,
            _ => {
                self.wrong_type(cx, key, v, "a string");
                return None;
            }
        };
        match parse(s) {
            Some(e) => Some(e),
            None => {
                let allowed = names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                cx.diags.push(
                    Diagnostic::error(
                        Some(v.span.clone()),
                        format!("invalid {key} `{s}`: expected one of {allowed}"),
                    )
                    .with_label(format!("not a valid {key}")),
                );
                None
            }
        }
    }

    fn string_list(&mut self, cx: &mut Cx, key: &'static str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Value::Array(arr) = &v.value else {
            self.wrong_type(cx, key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in arr.iter() {
            match &item.value {
                Value::String(s) => {
                    self.spans.insert_item(key, out.len(), item.span.clone());
                    out.push(s.to_string());
                }
                other => cx.error(
                    item.span.clone(),
                    format!(
                        "wrong type in `{key}`: expected a string, found {}",
                        type_name(other)
                    ),
                ),
            }
        }
        out
    }

    fn extra(&mut self, cx: &mut Cx) -> Extra {
        let Some(v) = self.get("extra") else {
            return Extra::default();
        };
        match &v.value {
            Value::Table(t) => Extra(
                t.entries
                    .iter()
                    .map(|(k, v)| (k.name.to_string(), toml_text(&v.value, false)))
                    .collect(),
            ),
            _ => {
                self.wrong_type(cx, "extra", v, "a table");
                Extra::default()
            }
        }
    }

    /// The tables of an array of tables (`[[feature.work]]`).
    fn tables(&mut self, cx: &mut Cx, key: &'static str) -> Vec<(&'a Table<'i>, Span)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        array_of_tables(cx, key, v)
    }

    /// Report every key not read as unknown.
    fn finish(self, cx: &mut Cx) -> Spans {
        for Entry { key: k, .. } in self.entries.iter().filter(|e| !e.used) {
            let name: &str = &k.name;
            cx.diags.push(
                Diagnostic::error(
                    Some(k.span.clone()),
                    format!("unknown key `{name}` in {}", self.what),
                )
                .with_label("unknown key")
                .with_note("custom fields belong in an `[extra]` table"),
            );
        }
        self.spans
    }
}

fn array_of_tables<'a, 'i>(cx: &mut Cx, key: &str, v: &'a Val<'i>) -> Vec<(&'a Table<'i>, Span)> {
    match &v.value {
        Value::Array(arr) => arr
            .iter()
            .filter_map(|item| match &item.value {
                Value::Table(t) => Some((t, item.span.clone())),
                other => {
                    cx.error(
                        item.span.clone(),
                        format!(
                            "wrong type in `{key}`: expected a table (`[[{key}]]`), found {}",
                            type_name(other)
                        ),
                    );
                    None
                }
            })
            .collect(),
        other => {
            cx.error(
                v.span.clone(),
                format!(
                    "wrong type for `{key}`: expected an array of tables (`[[{key}]]`), found {}",
                    type_name(other)
                ),
            );
            Vec::new()
        }
    }
}

fn parse_int(s: &str, radix: u32) -> Option<i64> {
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let body = clean.trim_start_matches('+');
    let body = match radix {
        16 => body.trim_start_matches("0x"),
        8 => body.trim_start_matches("0o"),
        2 => body.trim_start_matches("0b"),
        _ => body,
    };
    i64::from_str_radix(body, radix).ok()
}

/// A value as TOML would write it; strings unquoted at the top level.
fn toml_text(v: &Value<'_>, nested: bool) -> String {
    match v {
        Value::String(s) if nested => format!("{:?}", s.as_ref()),
        Value::String(s) => s.to_string(),
        Value::Integer(i, _) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter()
                .map(|x| toml_text(&x.value, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Table(t) => format!(
            "{{ {} }}",
            t.entries
                .iter()
                .map(|(k, v)| format!("{} = {}", k.name, toml_text(&v.value, true)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn read_document(
    cx: &mut Cx,
    path: &str,
    doc: &Table<'_>,
    span: Span,
    today: Date,
) -> Option<Roadmap> {
    let mut top = Fields::new(doc, 0..0, "the document");
    let schema = top.int(cx, "schema");
    if let (Some(s), Some(sp)) = (schema, top.spans.get("schema"))
        && s != 1
    {
        cx.error(
            sp,
            format!("unsupported schema version {s}: roadlens reads version 1"),
        );
    }
    let meta = match top.get("roadmap") {
        None => {
            // Not a roadmap at all: one clear error, not one per key.
            let end = span.end.min(1);
            cx.diags.push(
                Diagnostic::error(Some(0..end), "not a roadmap: no `[roadmap]` table").with_note(
                    "a roadmap file starts with a `[roadmap]` table holding `id` and `title`",
                ),
            );
            return None;
        }
        Some(v) => match &v.value {
            Value::Table(t) => Some(read_meta(cx, t, v.span.clone())),
            other => {
                cx.error(
                    v.span.clone(),
                    format!(
                        "wrong type for `roadmap`: expected a table, found {}",
                        type_name(other)
                    ),
                );
                None
            }
        },
    };
    let layer_tables = top.tables(cx, "layer");
    let layers_declared = !layer_tables.is_empty();
    let layers: Vec<Layer> = layer_tables
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_layer(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let themes = top
        .tables(cx, "theme")
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_theme(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let metrics = top
        .tables(cx, "metric")
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_metric(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let releases = top
        .tables(cx, "release")
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_release(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let features = top
        .tables(cx, "feature")
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_feature(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let decisions = top
        .tables(cx, "decision")
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_decision(cx, t, s);
            kept(cx, e)
        })
        .collect();
    top.finish(cx);
    Some(Roadmap {
        path: path.to_string(),
        today,
        schema,
        meta: meta?,
        layers: with_default_layers(layers),
        layers_declared,
        themes,
        metrics,
        releases,
        features,
        decisions,
    })
}

fn kept<T>(cx: &mut Cx, entity: Option<T>) -> Option<T> {
    cx.dropped |= entity.is_none();
    entity
}

fn read_meta(cx: &mut Cx, t: &Table<'_>, span: Span) -> Meta {
    let mut f = Fields::new(t, span, "[roadmap]");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let owner = f.string(cx, "owner");
    let vision = f.string(cx, "vision");
    let updated = f.date(cx, "updated");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Meta {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        owner,
        vision,
        updated,
        extra,
        spans,
    }
}

pub(super) fn read_layer(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Layer> {
    let mut f = Fields::new(t, span, "[[layer]]");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let team = f.string(cx, "team");
    let cadence = f.string(cx, "cadence");
    let sprint = f
        .string(cx, "sprint")
        .and_then(|s| match Estimate::parse(&s) {
            Ok(e) if matches!(e.unit, EstimateUnit::Day | EstimateUnit::Week) && e.amount > 0.0 => {
                Some(e)
            }
            _ => {
                let sp = f.spans.of("sprint").unwrap_or(f.span.clone());
                cx.error(
                    sp,
                    format!("invalid sprint length `{s}`: expected days or weeks: \"2w\", \"10d\""),
                );
                None
            }
        });
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Layer {
        id: id?,
        name: name.unwrap_or_default(),
        team,
        cadence,
        sprint,
        extra,
        spans,
    })
}

pub(super) fn read_theme(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Theme> {
    let mut f = Fields::new(t, span, "[[theme]]");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let outcome = f.string(cx, "outcome");
    let metric = f.string(cx, "metric");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Theme {
        id: id?,
        title: title.unwrap_or_default(),
        outcome,
        metric,
        extra,
        spans,
    })
}

pub(super) fn read_metric(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Metric> {
    let mut f = Fields::new(t, span, "[[metric]]");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let unit = f.string(cx, "unit");
    let current = f.float(cx, "current");
    let target = f.float(cx, "target");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Metric {
        id: id?,
        name: name.unwrap_or_default(),
        unit,
        current,
        target,
        extra,
        spans,
    })
}

pub(super) fn read_release(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Release> {
    let mut f = Fields::new(t, span, "[[release]]");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let start = f.date(cx, "start");
    let target = f.date(cx, "target");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let confidence = f.enumerated(cx, "confidence", Confidence::parse, Confidence::NAMES);
    let summary = f.string(cx, "summary");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Release {
        id: id?,
        name: name.unwrap_or_default(),
        start,
        target,
        status,
        health,
        confidence,
        summary,
        extra,
        spans,
    })
}

pub(super) fn read_feature(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Feature> {
    let mut f = Fields::new(t, span, "[[feature]]");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let release = f.required(cx, "release");
    let themes = f.string_list(cx, "themes");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let commitment = f.enumerated(cx, "commitment", Commitment::parse, Commitment::NAMES);
    let visibility = f.enumerated(cx, "visibility", Visibility::parse, Visibility::NAMES);
    let customer_value = f.string(cx, "customer_value");
    let business_value = f.string(cx, "business_value");
    let depends_on = f.string_list(cx, "depends_on");
    let tags = f.string_list(cx, "tags");
    let work_tables = f.tables(cx, "work");
    let work = work_tables
        .into_iter()
        .filter_map(|(t, s)| {
            let e = read_work(cx, t, s);
            kept(cx, e)
        })
        .collect();
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Feature {
        id: id?,
        title: title.unwrap_or_default(),
        release: release.unwrap_or_default(),
        themes,
        status,
        health,
        commitment,
        visibility,
        customer_value,
        business_value,
        depends_on,
        tags,
        work,
        extra,
        spans,
    })
}

fn read_work(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<WorkItem> {
    let mut f = Fields::new(t, span, "[[feature.work]]");
    let id = f.id(cx, "id", false);
    let id_ok = !f.has("id") || id.is_some();
    let layer = f.required(cx, "layer");
    let title = f.required(cx, "title");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let team = f.string(cx, "team");
    let estimate_text = f.string(cx, "estimate");
    let estimate = match &estimate_text {
        Some(s) => match Estimate::parse(s) {
            Ok(e) => Some(e),
            Err(msg) => {
                let sp = f.spans.of("estimate").unwrap_or(f.span.clone());
                cx.error(sp, msg);
                None
            }
        },
        None => None,
    };
    let start = f.date(cx, "start");
    let end = f.date(cx, "end");
    let depends_on = f.string_list(cx, "depends_on");
    let interface = f.string(cx, "interface");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    if !id_ok {
        return None;
    }
    Some(WorkItem {
        id,
        layer: layer.unwrap_or_default(),
        title: title.unwrap_or_default(),
        status,
        health,
        team,
        estimate,
        estimate_text,
        start,
        end,
        depends_on,
        interface,
        extra,
        spans,
    })
}

pub(super) fn read_decision(cx: &mut Cx, t: &Table<'_>, span: Span) -> Option<Decision> {
    let mut f = Fields::new(t, span, "[[decision]]");
    let id = f.id(cx, "id", true);
    let layer = f.required(cx, "layer");
    let area = if !f.has("area") {
        f.missing(cx, "area");
        None
    } else {
        f.enumerated(cx, "area", Area::parse, Area::NAMES)
    };
    let title = f.required(cx, "title");
    let status = f.enumerated(cx, "status", DecisionStatus::parse, DecisionStatus::NAMES);
    let choice = f.string(cx, "choice");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Some(Decision {
        id: id?,
        layer: layer.unwrap_or_default(),
        area: area.unwrap_or(Area::Business),
        title: title.unwrap_or_default(),
        status,
        choice,
        extra,
        spans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2027, 5, 10);

    fn load(src: &str) -> LoadedFile {
        load_str("t.toml", src, TODAY)
    }

    #[test]
    fn defaults_extra_and_work_keys() {
        let f = load(
            r#"
[roadmap]
id = "r"
title = "R"
[roadmap.extra]
jira = "PUMP"
[[release]]
id = "v1"
name = "One"
target = 2027-08-14
[[feature]]
id = "f"
title = "F"
release = "v1"
customer_value = "c"
[feature.extra]
points = 3
labels = ["a", "b"]
  [[feature.work]]
  layer = "cloud"
  title = "Ingest"
  estimate = "3 sprints"
"#,
        );
        assert!(f.diagnostics.is_empty(), "{}", f.render_diagnostics(false));
        let r = f.roadmap.unwrap();
        assert!(!r.layers_declared);
        assert_eq!(
            r.layers.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["hardware", "firmware", "comms", "cloud", "apps"]
        );
        assert_eq!(
            r.meta.extra.0,
            vec![("jira".to_string(), "PUMP".to_string())]
        );
        let feat = &r.features[0];
        assert_eq!(
            feat.extra.0[1],
            ("labels".to_string(), "[\"a\", \"b\"]".to_string())
        );
        assert_eq!(feat.visibility(), Visibility::Public);
        assert_eq!(feat.commitment(), Commitment::Planned);
        assert_eq!(feat.work[0].key("f"), "f/cloud/Ingest");
        assert_eq!(feat.work[0].estimate.as_ref().map(|e| e.days()), Some(42.0));
        assert_eq!(
            r.releases[0].target.map(|t| t.to_string()).as_deref(),
            Some("2027-08-14")
        );
    }

    #[test]
    fn declaring_some_default_layers_keeps_the_other_defaults() {
        // As in FORMAT.md's example: `hardware` described, `comms` still usable.
        let f = load(
            "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[[layer]]\nid = \"hardware\"\nname = \"HW\"\nteam = \"EE\"\n[[decision]]\nid = \"d\"\nlayer = \"comms\"\narea = \"security\"\ntitle = \"T\"\n",
        );
        assert!(!f.has_errors(), "{}", f.render_diagnostics(false));
        let r = f.roadmap.unwrap();
        let ids: Vec<&str> = r.layers.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["hardware", "firmware", "comms", "cloud", "apps"]);
        assert_eq!(r.layers[0].team.as_deref(), Some("EE"));
        // A duplicate declaration is still an error.
        let f = load(
            "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[[layer]]\nid = \"cloud\"\nname = \"A\"\n[[layer]]\nid = \"cloud\"\nname = \"B\"\n",
        );
        assert!(
            f.first_error().unwrap().contains("duplicate id `cloud`"),
            "{:?}",
            f.first_error()
        );
    }

    #[test]
    fn declared_layers_replace_the_defaults() {
        let f = load(
            "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[[layer]]\nid = \"web\"\nname = \"Web\"\n[[decision]]\nid = \"d\"\nlayer = \"hardware\"\narea = \"ux\"\ntitle = \"T\"\n",
        );
        assert!(f.has_errors());
        assert!(
            f.first_error()
                .unwrap()
                .contains("unknown layer `hardware`")
        );
    }

    #[test]
    fn detects_roadmap_sources() {
        assert!(is_roadmap_source(b"[roadmap]\nid = \"x\"\n"));
        assert!(is_roadmap_source(b"# c\n  [roadmap]\nid = \"x\n broken"));
        assert!(is_roadmap_source(b"roadmap = { id = \"x\" }\n"));
        assert!(!is_roadmap_source(b"[package]\nname = \"roadmap\"\n"));
        assert!(!is_roadmap_source(b"[tool.roadmap]\n"));
    }

    #[test]
    fn discovery_skips_git_target_and_non_roadmaps() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for sub in [".git", "target", "docs/plans", "node_modules"] {
            std::fs::create_dir_all(p.join(sub)).unwrap();
        }
        let rm = "[roadmap]\nid = \"x\"\ntitle = \"X\"\n";
        std::fs::write(p.join("a.toml"), rm).unwrap();
        std::fs::write(p.join("docs/plans/b.toml"), rm).unwrap();
        std::fs::write(p.join(".git/c.toml"), rm).unwrap();
        std::fs::write(p.join("target/d.toml"), rm).unwrap();
        std::fs::write(p.join("node_modules/e.toml"), rm).unwrap();
        std::fs::write(p.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
        let found = discover(p).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.toml", "docs/plans/b.toml"]);
        // A file named explicitly is always returned.
        assert_eq!(discover(&p.join("Cargo.toml")).unwrap().len(), 1);
    }
}
