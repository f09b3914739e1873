//! Loading a roadmap file: bytes to text, the toml crate's spanned document
//! ([`super::syntax`]), the entities read field by field ([`super::read`]),
//! then validation ([`super::validate`]). Every problem is reported, each at
//! its own `line:col`.

use super::diag::{Diagnostic, LineIndex};
use super::types::*;
use super::{read, syntax, validate};
use jiff::civil::Date;
use std::path::Path;

/// Files larger than this are rejected with an error (not parsed).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Diagnostics rendered per file at most; the rest are counted.
pub const DIAGNOSTICS_SHOWN: usize = 50;

/// `23912` as `23,912`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

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
    /// The diagnostics rendered (`path:line:col: error: ...` + snippet):
    /// the first [`DIAGNOSTICS_SHOWN`], then one line saying how many more
    /// there are (errors come first).
    pub fn render_diagnostics(&self, color: bool) -> String {
        let lines = LineIndex::new(&self.source);
        let mut out: String = self
            .diagnostics
            .iter()
            .take(DIAGNOSTICS_SHOWN)
            .map(|d| d.render_with(&self.path, &self.source, &lines, color))
            .collect();
        let rest = &self.diagnostics[self.diagnostics.len().min(DIAGNOSTICS_SHOWN)..];
        if !rest.is_empty() {
            let errors = rest.iter().filter(|d| d.is_error()).count();
            let counts = [(errors, "error"), (rest.len() - errors, "warning")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{} more {what}{}", thousands(n), plural(n)))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push_str(&format!(
                "… and {counts} in {}\n",
                crate::text::sanitize_line(&self.path)
            ));
        }
        out
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

/// A day this process takes as today (see [`pin_today`]).
static PINNED_TODAY: std::sync::OnceLock<Date> = std::sync::OnceLock::new();

/// Take `d` as today for the rest of the process unless `ROADLENS_TODAY`
/// says otherwise: `roadlens demo` opens its story on the day it is told
/// (its history runs to May 2027, whatever the clock says).
pub fn pin_today(d: Date) {
    let _ = PINNED_TODAY.set(d);
}

/// Why `ROADLENS_TODAY` is not taken, when it is set to something that is
/// not a day (it would be ignored silently otherwise).
pub fn today_setting_problem() -> Option<String> {
    let v = std::env::var_os("ROADLENS_TODAY")?;
    let ok = v.to_str().is_some_and(|s| s.parse::<Date>().is_ok());
    (!ok && !v.is_empty()).then(|| {
        format!(
            "ROADLENS_TODAY={} is not a day (YYYY-MM-DD), so it is ignored",
            crate::text::sanitize_line(&v.to_string_lossy())
        )
    })
}

/// "Today" for horizons: `ROADLENS_TODAY` (YYYY-MM-DD) when set, else a
/// pinned day ([`pin_today`]), else the system's local date.
pub fn today() -> Date {
    if let Ok(d) = std::env::var("ROADLENS_TODAY")
        .unwrap_or_default()
        .parse::<Date>()
    {
        return d;
    }
    if let Some(d) = PINNED_TODAY.get() {
        return *d;
    }
    jiff::Timestamp::now()
        .to_zoned(super::date::local_time_zone())
        .date()
}

/// Load a file from disk (any file: a path named by the user is always loaded).
pub fn load_path(display: &str, path: &Path, today: Date) -> LoadedFile {
    // Never opens a FIFO or device (see `crate::fsread`).
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

/// Parse and validate TOML text. A byte order mark is dropped first: the
/// places reported are then those an editor shows.
pub fn load_str(path: &str, source: &str, today: Date) -> LoadedFile {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // One mark is dropped above; the toml crate would drop a second one
    // too, where TOML allows none (a key cannot hold U+FEFF).
    let second_bom = source.starts_with('\u{feff}').then(|| syntax::SyntaxError {
        span: Some(0..'\u{feff}'.len_utf8()),
        message: "a second byte order mark (U+FEFF): only one may begin a file".into(),
    });
    let doc = match (syntax::parse(source), second_bom) {
        (Ok(doc), None) => doc,
        (Ok(_), Some(bom)) => return syntax_errors(path, source, vec![bom]),
        (Err(errors), bom) => {
            return syntax_errors(path, source, bom.into_iter().chain(errors).collect());
        }
    };
    let mut cx = read::Cx::default();
    let roadmap = read::document(&mut cx, path, doc.get_ref(), doc.span(), today);
    // Freed before validation, which reads only the roadmap.
    drop(doc);
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

/// TOML syntax errors, sorted by where they are.
fn syntax_errors(path: &str, source: &str, errors: Vec<syntax::SyntaxError>) -> LoadedFile {
    let diagnostics = errors
        .into_iter()
        .map(|e| {
            let deep = e.message.contains("recurs") || e.message.contains("nested deeper");
            // Deep nesting is valid TOML that roadlens does not read: said
            // as its limit, not as a syntax error.
            let message = if deep {
                let what = if e.message.starts_with("nested deeper") {
                    e.message.clone()
                } else {
                    format!("nested deeper than {} levels", syntax::NESTING_LIMIT)
                };
                format!("{what}: past what roadlens reads (valid TOML, not a syntax error)")
            } else {
                format!("TOML syntax: {}", e.message)
            };
            let d = Diagnostic::error(e.span, message);
            if deep {
                d.with_note(format!(
                    "roadlens reads keys of at most {0} parts, arrays and inline tables \
                     nested at most {0} deep, and documents at most {1} levels deep",
                    syntax::NESTING_LIMIT,
                    syntax::DEPTH_LIMIT
                ))
            } else {
                d
            }
        })
        .collect();
    LoadedFile {
        path: path.to_string(),
        source: source.to_string(),
        roadmap: None,
        diagnostics,
    }
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
        let shown = |e: &Extra| {
            e.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&r.meta.extra), ["jira=PUMP"]);
        let feat = &r.features[0];
        assert_eq!(shown(&feat.extra), ["points=3", "labels=[\"a\", \"b\"]"]);
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

    /// The deepest document allowed, with its deepest part in an entity's
    /// `[extra]` (read through the crate's recursive conversion), loads on a
    /// thread's stack (the TUI and `log` load on threads).
    #[test]
    fn the_deepest_document_allowed_loads_on_a_thread() {
        let key = vec!["a"; syntax::NESTING_LIMIT].join(".");
        // roadmap, extra, 79 tables of the key: 81 levels; 79 arrays more.
        let arrays = syntax::DEPTH_LIMIT - 81;
        let src = format!(
            "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[roadmap.extra]\n{key} = {}1{}\n",
            "[".repeat(arrays),
            "]".repeat(arrays)
        );
        let f = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || load(&src))
            .unwrap()
            .join()
            .unwrap();
        assert!(!f.has_errors(), "{}", f.render_diagnostics(false));
        let deeper = format!(
            "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[roadmap.extra]\n{key} = {}1{}\n",
            "[".repeat(arrays + 1),
            "]".repeat(arrays + 1)
        );
        assert!(
            load(&deeper)
                .first_error()
                .unwrap()
                .contains("nested deeper than 160")
        );
    }
}
