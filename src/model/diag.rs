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
    /// Other places that explain this one (the first use of a duplicate
    /// id), each with its label.
    pub secondary: Vec<(Range<usize>, String)>,
    /// Extra lines (`help: ...`).
    pub notes: Vec<String>,
}

/// Source lines shown around a span at most: a longer span shows its first
/// lines only.
const MAX_SNIPPET_LINES: usize = 8;

/// Secondary places at most this many lines away share the primary's
/// snippet; farther ones get a snippet of their own.
const SHARED_SNIPPET_GAP: usize = 6;

impl Diagnostic {
    pub fn error(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, span, message.into())
    }
    pub fn warning(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, span, message.into())
    }
    fn new(severity: Severity, span: Option<Range<usize>>, message: String) -> Self {
        Diagnostic {
            severity,
            span,
            message,
            label: None,
            secondary: vec![],
            notes: vec![],
        }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    /// Another place to show, with its label (`first used here`).
    pub fn with_secondary(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
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
        self.headline_at(path, self.line_col(source))
    }

    fn headline_at(&self, path: &str, (line, col): (usize, usize)) -> String {
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
        self.render_with(path, source, &LineIndex::new(source), color)
    }

    /// [`Diagnostic::render`] with the file's lines found once: the work is
    /// that of the lines shown, not of the whole file.
    pub fn render_with(&self, path: &str, source: &str, lines: &LineIndex, color: bool) -> String {
        let at = match &self.span {
            Some(span) => lines.line_col(source, span.start),
            None => (1, 1),
        };
        let mut out = self.headline_at(path, at);
        out.push('\n');
        let Some(primary) = self.span.clone().filter(|s| s.start <= source.len()) else {
            for n in &self.notes {
                out.push_str(&format!("  = help: {}\n", text::sanitize_line(n)));
            }
            return out;
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let label = |l: &str| text::sanitize_line(l).into_owned();
        // Annotations: (span, label, primary).
        let mut marks = vec![(primary, self.label.as_deref().map(label), true)];
        for (span, l) in self
            .secondary
            .iter()
            .filter(|(s, _)| s.start <= source.len())
        {
            marks.push((span.clone(), Some(label(l)), false));
        }
        // Marks close to each other share a snippet; the primary's first.
        let mut snippets: Vec<Excerpt> = Vec::new();
        for (span, l, primary) in marks {
            let line = lines.line_of(span.start);
            match snippets.iter_mut().find(|e| e.near(line)) {
                Some(e) => e.add(span, l, primary, line),
                None => snippets.push(Excerpt::new(span, l, primary, line)),
            }
        }
        let mut group = Group::with_level(level);
        let texts: Vec<_> = snippets
            .iter()
            .map(|e| {
                let (offset, raw) = e.text(source, lines);
                (offset, raw, text::visible_source(raw))
            })
            .collect();
        // A snippet of its own after the primary's is headed with where it
        // is (`::: file:line:col`, as rustc does); the primary's place is
        // the headline's.
        let shown_path = text::sanitize_line(path);
        for (i, (e, (offset, raw, (text, at)))) in snippets.iter().zip(&texts).enumerate() {
            let first = e.first_line;
            let mut snippet = Snippet::source(text.as_str())
                .line_start(first + 1)
                .fold(true);
            if i > 0 {
                snippet = snippet.path(shown_path.as_ref());
            }
            for (span, l, primary) in &e.marks {
                // Offsets in the file's text, then in the text shown.
                let start = floor_char(raw, span.start.saturating_sub(*offset));
                let end = ceil_char(raw, span.end.clamp(span.start, offset + raw.len()) - offset);
                let (start, end) = (at[start], at[end]);
                let kind = if *primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                let mut ann = kind.span(start..end.max(start));
                if let Some(l) = l {
                    ann = ann.label(l.as_str());
                }
                snippet = snippet.annotation(ann);
            }
            group = group.element(snippet);
        }
        let notes: Vec<String> = self.notes.iter().map(|n| label(n)).collect();
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
        out
    }
}

/// The lines one snippet shows and the marks on them.
struct Excerpt {
    first_line: usize,
    last_line: usize,
    marks: Vec<(Range<usize>, Option<String>, bool)>,
}

impl Excerpt {
    fn new(span: Range<usize>, label: Option<String>, primary: bool, line: usize) -> Excerpt {
        Excerpt {
            first_line: line,
            last_line: line,
            marks: vec![(span, label, primary)],
        }
    }
    fn near(&self, line: usize) -> bool {
        line + SHARED_SNIPPET_GAP >= self.first_line && line <= self.last_line + SHARED_SNIPPET_GAP
    }
    fn add(&mut self, span: Range<usize>, label: Option<String>, primary: bool, line: usize) {
        self.first_line = self.first_line.min(line);
        self.last_line = self.last_line.max(line);
        self.marks.push((span, label, primary));
    }
    /// The excerpt's text (sanitized, same length) and its offset in the
    /// source: its lines, and of a span running past them a few more.
    fn text<'s>(&self, source: &'s str, lines: &LineIndex) -> (usize, &'s str) {
        let end_line = self
            .marks
            .iter()
            .map(|(s, _, _)| lines.line_of(s.end.saturating_sub(1).max(s.start)))
            .max()
            .unwrap_or(self.last_line)
            .max(self.last_line)
            .min(self.last_line + MAX_SNIPPET_LINES - 1);
        let start = lines.start_of(self.first_line);
        let end = lines.end_of(end_line, source);
        (
            start,
            &source[floor_char(source, start)..ceil_char(source, end)],
        )
    }
}

/// Where each line of a text starts, found once: the line and column of
/// any offset then cost a search and the length of that one line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }
    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
    fn start_of(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }
    /// Where `line` ends (before its newline, and before the `\r` of a
    /// CRLF line ending, which is no part of the line).
    fn end_of(&self, line: usize, source: &str) -> usize {
        let end = match self.starts.get(line + 1) {
            Some(next) => next - 1,
            None => source.len(),
        };
        let start = self.start_of(line);
        if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char(source, offset);
        let line = self.line_of(offset);
        let start = self.start_of(line).min(offset);
        (line + 1, source[start..offset].chars().count() + 1)
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
        // Shown as the sanitizer shows them elsewhere (not `?`, `¿`, `�`),
        // and the caret still under what it marks.
        assert!(out.contains("1 | id = \"␛]52;c;aGk=␇\""), "{out}");
        let src = "[roadmap]\nbo\u{202e}gus = 7\n";
        let at = src.find("gus").unwrap();
        let d = Diagnostic::error(Some(at..at + 3), "bad");
        let out = d.render("a.toml", src, false);
        assert!(out.contains("2 | bo⟨U+202E⟩gus = 7\n"), "{out}");
        assert!(out.contains("  |           ^^^\n"), "{out}");
    }

    /// A CRLF file's excerpt shows its line without the `\r` (it showed as
    /// a stray `?`).
    #[test]
    fn crlf_lines_are_shown_without_their_carriage_return() {
        let src = "[roadmap]\r\nid = 7\r\n";
        let at = src.find('7').unwrap();
        let out = Diagnostic::error(Some(at..at + 1), "bad").render("f.toml", src, false);
        assert!(out.contains("2 | id = 7\n"), "{out:?}");
        assert!(
            !out.contains('?') && !out.contains('\r') && !out.contains('␍'),
            "{out:?}"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
