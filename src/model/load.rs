//! Loading roadmap files: discovery, TOML with spans, typed fields, validation.

use super::diag::Diagnostic;
use super::types::Roadmap;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Files larger than this are rejected with an error (not read further).
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
}

/// "Today" for horizons: `ROADLENS_TODAY` (YYYY-MM-DD) when set, else the
/// system's local date.
pub fn today() -> Date {
    if let Ok(s) = std::env::var("ROADLENS_TODAY") {
        if let Ok(d) = s.parse::<Date>() {
            return d;
        }
    }
    jiff::Zoned::now().date()
}

/// Load a file from disk (any file: a path named by the user is always loaded).
pub fn load_path(display: &str, path: &Path, today: Date) -> LoadedFile {
    todo!("{display} {path:?} {today}")
}

/// Load from bytes: checks size, NUL bytes and UTF-8 first.
pub fn load_bytes(path: &str, bytes: &[u8], today: Date) -> LoadedFile {
    todo!("{path} {} {today}", bytes.len())
}

/// Parse and validate TOML text.
pub fn load_str(path: &str, source: &str, today: Date) -> LoadedFile {
    todo!("{path} {} {today}", source.len())
}

/// True when the bytes are a TOML document with a top-level `[roadmap]` table.
pub fn is_roadmap_source(bytes: &[u8]) -> bool {
    todo!("{}", bytes.len())
}

/// Roadmap files under `root` (sorted): `*.toml` files with a `[roadmap]`
/// table, skipping `.git`, `target` and hidden directories. A `root` that
/// names a file is returned as is.
pub fn discover(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    todo!("{root:?}")
}
