//! Printers for semantic diffs: text (grouped per file, then per entity),
//! markdown (for a pull-request description) and JSON (the stable object
//! documented in DESIGN.md).
//!
//! Every roadmap or git string is passed through [`crate::text::sanitize_line`]
//! in text and markdown; JSON keeps the data and escapes what a terminal must
//! not see raw ([`crate::text::json_safe`]).

use crate::diff::{Change, ChangeKind, FileDiff, FileStatus};
use crate::lens::Lens;
use crate::text::sanitize_line;
use crate::vocab::{self, Role};
use serde::Serialize;
use std::fmt::Write as _;

/// One side of a comparison: `HEAD` / `9f2c1ab` / `working tree` / `index`,
/// and the full commit id when it is a commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideLabel {
    pub label: String,
    pub commit: Option<String>,
}

/// A whole `roadlens diff` result: `files` hold the changes `lens` notices
/// (every change without a lens).
#[derive(Clone, Debug)]
pub struct DiffReport {
    pub base: SideLabel,
    pub target: SideLabel,
    pub lens: Option<Lens>,
    pub files: Vec<FileDiff>,
}

impl DiffReport {
    /// The files with something to show: files the lens notices nothing in
    /// are dropped (unparseable files are always kept: the lens cannot tell).
    pub fn visible_files(&self) -> Vec<FileDiff> {
        self.files
            .iter()
            .filter(|f| f.status == FileStatus::Unparseable || !f.changes.is_empty())
            .cloned()
            .collect()
    }

    /// True when the lens shows any change (or a file could not be compared).
    pub fn has_changes(&self) -> bool {
        !self.visible_files().is_empty()
    }

    fn lens_name(&self) -> String {
        self.lens
            .as_ref()
            .map(Lens::name)
            .unwrap_or_else(|| "all".into())
    }

    /// The two sides and the lens for a title, each escaped with `esc`:
    /// `HEAD → working tree (lens exec)`.
    fn sides(&self, esc: impl Fn(&str) -> String) -> String {
        let lens = match &self.lens {
            Some(l) => format!(" (lens {})", esc(&l.name())),
            None => String::new(),
        };
        format!(
            "{} → {}{lens}",
            esc(&self.base.label),
            esc(&self.target.label)
        )
    }

    /// What the printers say when the lens shows no change.
    fn nothing_changed(&self) -> &'static str {
        match self.lens {
            Some(_) => "No roadmap changes in this lens.\n",
            None => "No roadmap changes.\n",
        }
    }
}

// ---------------------------------------------------------------- text

/// Styled parts as text: ANSI from the shared palette when `color`.
fn painted(parts: &[(String, Role)], color: bool) -> String {
    parts
        .iter()
        .map(|(t, r)| vocab::paint(*r, t, color))
        .collect()
}

/// A heading for an entity: `release v2 — Connected fleet`.
pub fn entity_heading(c: &Change, sales: bool) -> String {
    vocab::plain(&vocab::entity_heading(c.entity, &c.id, &c.title, sales))
}

/// Consecutive changes of one entity (changes are already grouped).
pub fn groups(changes: &[Change]) -> Vec<&[Change]> {
    let mut out = vec![];
    let mut start = 0;
    for i in 1..=changes.len() {
        let split = i == changes.len()
            || (changes[i].entity, &changes[i].id) != (changes[i - 1].entity, &changes[i - 1].id);
        if split {
            out.push(&changes[start..i]);
            start = i;
        }
    }
    out
}

/// The text form: per file a heading, then per entity a heading and one
/// indented line per change (its marker and sentence, see
/// [`crate::vocab::change`]). Readable without colour.
pub fn text(r: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let files = r.visible_files();
    let sides = r.sides(|s| sanitize_line(s).into_owned());
    let _ = writeln!(
        out,
        "{}",
        vocab::paint(Role::Dim, &format!("roadmap diff {sides}"), color)
    );
    if files.is_empty() {
        out.push_str(r.nothing_changed());
        return out;
    }
    for f in &files {
        out.push('\n');
        out.push_str(&file_text(f, color, "", is_sales(r.lens.as_ref())));
    }
    out
}

/// The sales lens names entities by title only.
fn is_sales(lens: Option<&Lens>) -> bool {
    matches!(lens, Some(Lens::Sales))
}

fn file_text(f: &FileDiff, color: bool, prefix: &str, sales: bool) -> String {
    let mut out = String::new();
    let mut head = vec![(prefix.to_string(), Role::Title)];
    head.extend(vocab::file_heading(&f.shown_path(), f, f.changes.len(), 0));
    let _ = writeln!(out, "{}", painted(&head, color));
    if let Some(e) = &f.error {
        let _ = writeln!(out, "  error: {}", sanitize_line(e));
    }
    for g in groups(&f.changes) {
        let c0 = &g[0];
        let head = vocab::entity_heading(c0.entity, &c0.id, &c0.title, sales);
        let _ = writeln!(out, "  {}", painted(&head, color));
        for c in g {
            let _ = writeln!(out, "    {}", painted(&vocab::change(c), color));
            for (k, v) in vocab::change_values(c) {
                let _ = writeln!(out, "      {}", painted(&vocab::value_line(k, &v), color));
            }
        }
    }
    out
}

/// One file's semantic diff as text, its heading line starting with `prefix`
/// (`git-diff` uses `"roadlens: "`).
pub fn file_diff_text(f: &FileDiff, color: bool, prefix: &str) -> String {
    file_text(f, color, prefix, false)
}

// ------------------------------------------------------------ markdown

/// Escape what markdown would interpret (emphasis, code, links, HTML,
/// headings, tables, entities); `(` and `!` are harmless once `[` is escaped.
pub fn md_escape(s: &str) -> String {
    md_chars(&sanitize_line(s))
}

/// Backslash-escape what markdown would interpret: the one escape set of
/// every markdown printer (see also `lensprint::md`, which first puts
/// multi-line prose on one line).
pub fn md_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown that fits a pull-request description.
pub fn markdown(r: &DiffReport) -> String {
    let sales = is_sales(r.lens.as_ref());
    let mut out = String::new();
    let files = r.visible_files();
    let _ = writeln!(out, "### Roadmap changes: {}\n", r.sides(md_escape));
    if files.is_empty() {
        out.push_str(r.nothing_changed());
        return out;
    }
    for f in &files {
        let what = match f.status {
            FileStatus::Modified => vocab::changes_count(f.changes.len()),
            s => vocab::file_status(s).to_string(),
        };
        let _ = writeln!(out, "#### {} ({what})\n", md_escape(&f.shown_path()));
        if let Some(e) = &f.error {
            let _ = writeln!(out, "> **Error:** {}\n", md_escape(e));
        }
        for g in groups(&f.changes) {
            let c0 = &g[0];
            // The vocabulary's heading: its noun and name in bold.
            let parts = vocab::entity_heading(c0.entity, &c0.id, &c0.title, sales);
            let (name, rest) = parts.split_at(parts.len().min(2));
            let head = format!(
                "**{}**{}",
                md_escape(vocab::plain(name).trim_end()),
                md_escape(&vocab::plain(rest))
            );
            let _ = writeln!(out, "- {head}");
            for c in g {
                let line = md_escape(&vocab::sentence_text(c));
                let line = match c.kind {
                    ChangeKind::Visibility | ChangeKind::Slipped => format!("**{line}**"),
                    _ => line,
                };
                let _ = writeln!(out, "  - {line}");
                for (k, v) in vocab::change_values(c) {
                    let word = if k == ChangeKind::Removed {
                        "was"
                    } else {
                        "now"
                    };
                    let _ = writeln!(out, "    - {word}: {}", md_escape(&v));
                }
            }
        }
        out.push('\n');
    }
    out
}

// ----------------------------------------------------------------- raw

/// The unified text diff of one file between two sides, as `git diff`
/// heads it: `a/OLD_PATH` / `b/NEW_PATH`, `/dev/null` for an absent side.
/// The one raw diff of `diff --raw` and the TUI's History (`t`).
pub fn raw_file(
    old_path: Option<&str>,
    new_path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
) -> String {
    let a = match old {
        Some(_) => format!("a/{}", old_path.unwrap_or(new_path)),
        None => "/dev/null".into(),
    };
    let b = match new {
        Some(_) => format!("b/{new_path}"),
        None => "/dev/null".into(),
    };
    unified(&a, &b, old, new)
}

/// A unified text diff (`--- a/x`, `+++ b/x`, hunks) of two versions of a
/// file (`None`: absent), sanitized for the terminal. Binary or non-UTF-8
/// content is reported, not printed. Empty when the texts are equal.
pub fn unified(old_name: &str, new_name: &str, old: Option<&[u8]>, new: Option<&[u8]>) -> String {
    fn text(b: Option<&[u8]>) -> Option<&str> {
        match b {
            None => Some(""),
            Some(b) if b.contains(&0) => None,
            Some(b) => std::str::from_utf8(b).ok(),
        }
    }
    let (old_name, new_name) = (sanitize_line(old_name), sanitize_line(new_name));
    let (Some(a), Some(b)) = (text(old), text(new)) else {
        return if old == new {
            String::new()
        } else {
            format!("Binary files {old_name} and {new_name} differ\n")
        };
    };
    if a == b {
        return String::new();
    }
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(5))
        .diff_lines(a, b);
    let out = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    crate::text::sanitize(&out).into_owned()
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct JsonReport<'a> {
    base: &'a SideLabel,
    target: &'a SideLabel,
    lens: String,
    files: Vec<FileDiff>,
}

/// The JSON object of DESIGN.md ("JSON output"), terminal-safe, one trailing newline.
pub fn json(r: &DiffReport) -> String {
    let doc = JsonReport {
        base: &r.base,
        target: &r.target,
        lens: r.lens_name(),
        files: r.visible_files(),
    };
    let s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    let mut s = crate::text::json_safe(s);
    s.push('\n');
    s
}

/// "3 changes: 1 slipped, 2 status" (empty list: "no changes").
pub fn count_line(changes: &[Change]) -> String {
    let counts = crate::diff::counts(changes);
    let n: usize = counts.iter().map(|(_, n)| n).sum();
    if n == 0 {
        return "no changes".into();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", vocab::change_label(*k)))
        .collect();
    format!("{}: {}", vocab::changes_count(n), parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn change(kind: ChangeKind, id: &str, detail: &str) -> Change {
        Change {
            entity: EntityKind::Release,
            id: id.into(),
            kind,
            field: Some("target".into()),
            old: Some("2027-Q3".into()),
            new: Some("2027-Q4".into()),
            summary: format!("release {id} {detail}"),
            detail: detail.into(),
            title: "Connected \u{1b}]52;c;aGk=\u{7}fleet".into(),
            amount: matches!(kind, ChangeKind::Slipped).then_some(crate::model::date::Amount {
                n: 1,
                unit: crate::model::date::AmountUnit::Quarter,
            }),
        }
    }

    fn report(changes: Vec<Change>) -> DiffReport {
        DiffReport {
            base: SideLabel {
                label: "HEAD".into(),
                commit: Some("9f2c".into()),
            },
            target: SideLabel {
                label: "working tree".into(),
                commit: None,
            },
            lens: None,
            files: vec![FileDiff {
                path: "road\u{202e}map.toml".into(),
                old_path: None,
                status: FileStatus::Modified,
                error: None,
                changes,
            }],
        }
    }

    #[test]
    fn text_groups_by_entity_and_sanitizes() {
        let r = report(vec![
            change(
                ChangeKind::Slipped,
                "v2",
                "slipped by 1 quarter: 2027-Q3 → 2027-Q4",
            ),
            change(ChangeKind::Health, "v2", "health: on-track → at-risk"),
        ]);
        let t = text(&r, false);
        assert_eq!(
            t,
            "roadmap diff HEAD → working tree\n\n\
             road⟨U+202E⟩map.toml (2 changes)\n  \
             release v2 — Connected fleet\n    \
             » slipped by 1 quarter: 2027-Q3 → 2027-Q4\n    \
             ~ health: on-track → at-risk\n"
        );
        let colored = text(&r, true);
        assert!(
            colored.contains("\u{1b}[1m\u{1b}[31m» slipped"),
            "{colored:?}"
        );
    }

    #[test]
    fn json_has_the_documented_shape() {
        let r = report(vec![change(ChangeKind::Slipped, "v2", "slipped")]);
        let out = json(&r);
        let v: serde_json::Value = serde_json::from_str(&out).expect(&out);
        assert_eq!(v["lens"], "all");
        assert_eq!(v["base"]["commit"], "9f2c");
        assert!(v["target"]["commit"].is_null());
        let c = &v["files"][0]["changes"][0];
        assert_eq!(c["kind"], "slipped");
        assert_eq!(c["entity"], "release");
        assert_eq!(
            c.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["entity", "field", "id", "kind", "new", "old", "summary"]
        );
        assert!(!out.contains('\u{202e}'));
        // Field order as documented.
        let pos = |k: &str| out.find(&format!("\"{k}\":")).unwrap();
        assert!(
            pos("entity") < pos("id") && pos("field") < pos("old") && pos("new") < pos("summary")
        );
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(md_escape("a*b_<c>"), "a\\*b\\_\\<c\\>");
        let r = report(vec![change(ChangeKind::Slipped, "v2", "slipped")]);
        let m = markdown(&r);
        assert!(m.contains("- **release v2** — Connected fleet"), "{m}");
        assert!(
            m.contains("  - **slipped by 1 quarter: 2027-Q3 → 2027-Q4**"),
            "{m}"
        );
    }

    #[test]
    fn unified_text_diff() {
        let u = unified(
            "a/x",
            "b/x",
            Some(b"one\ntwo\n"),
            Some(b"one\n\x1b[2Jthree\n"),
        );
        assert_eq!(u, "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n one\n-two\n+three\n");
        assert_eq!(unified("a", "b", Some(b"x"), Some(b"x")), "");
        assert_eq!(
            unified("a", "b", Some(b"\0"), None),
            "Binary files a and b differ\n"
        );
    }

    #[test]
    fn count_lines() {
        let cs = vec![
            change(ChangeKind::Status, "a", "x"),
            change(ChangeKind::Slipped, "b", "x"),
            change(ChangeKind::Status, "c", "x"),
        ];
        assert_eq!(count_line(&cs), "3 changes: 1 slipped, 2 status");
        assert_eq!(count_line(&[]), "no changes");
    }
}
