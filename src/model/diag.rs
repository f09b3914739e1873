//! Located errors and warnings: `path:line:col: error: message`, then the
//! source line with a caret under the offending span.

use crate::text;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte span in the source; `None` for whole-file problems.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Text under the caret.
    pub label: Option<String>,
    /// Extra lines (`help: ...`).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            label: None,
            notes: vec![],
        }
    }
    pub fn warning(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            label: None,
            notes: vec![],
        }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column (in characters) of the span start.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        match &self.span {
            Some(span) => line_col(source, span.start),
            None => (1, 1),
        }
    }

    /// The first line: `path:line:col: error: message` (sanitized).
    pub fn headline(&self, path: &str, source: &str) -> String {
        let (line, col) = self.line_col(source);
        format!(
            "{}:{line}:{col}: {}: {}",
            text::sanitize_line(path),
            self.severity.as_str(),
            text::sanitize_line(&self.message)
        )
    }

    /// The full report: headline, source line, caret, notes. `color` adds
    /// ANSI styling (only when printing to a terminal without `NO_COLOR`).
    pub fn render(&self, path: &str, source: &str, color: bool) -> String {
        let mut out = self.headline(path, source);
        out.push('\n');
        if let Some(span) = self.span.clone().filter(|s| s.start <= source.len()) {
            let safe = text::sanitize_same_len(source);
            let end = span.end.clamp(span.start, safe.len());
            let span = floor_char(&safe, span.start)..ceil_char(&safe, end);
            let level = match self.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
            };
            let label = self
                .label
                .as_deref()
                .map(|l| text::sanitize_line(l).into_owned());
            let mut ann = AnnotationKind::Primary.span(span);
            if let Some(l) = &label {
                ann = ann.label(l.as_str());
            }
            let notes: Vec<String> = self
                .notes
                .iter()
                .map(|n| text::sanitize_line(n).into_owned())
                .collect();
            let mut group = Group::with_level(level)
                .element(Snippet::source(safe.as_ref()).fold(true).annotation(ann));
            for n in &notes {
                group = group.element(Level::HELP.message(n.as_str()));
            }
            let renderer = if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        } else {
            for n in &self.notes {
                out.push_str(&format!("  = help: {}\n", text::sanitize_line(n)));
            }
        }
        out
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char(source, offset);
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let src = "[roadmap]\nid = \"x\"\ntitel = \"oops\"\n";
        let d = Diagnostic::error(Some(19..24), "unknown key `titel`")
            .with_label("not a roadmap field");
        let out = d.render("a.toml", src, false);
        assert!(
            out.starts_with("a.toml:3:1: error: unknown key `titel`\n"),
            "{out}"
        );
        assert!(out.contains("titel = \"oops\""), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
    }

    #[test]
    fn hostile_source_is_not_echoed_raw() {
        let src = "id = \"\u{1b}]52;c;aGk=\u{7}\"\n";
        let d = Diagnostic::error(Some(0..2), "bad");
        let out = d.render("a.toml", src, false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
