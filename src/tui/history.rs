//! The History tab: entries streamed from the background, the semantic diff
//! of the selected one (against its parent, or against a marked base),
//! filtered by a lens, or the raw text diff.

use super::doc::{clean, keep_visible, wrap};
use super::grid::fit;
use super::theme::{Role, Theme};
use super::worker::{DiffKey, DiffResult, DiffWhat, day, stamp};
use crate::diff::history::by_quarter;
use crate::diff::{Change, FileStatus};
use crate::lens::Lens;
use crate::repo::{HistoryEntry, Rev};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use std::collections::HashMap;

const CACHE_MAX: usize = 256;

#[derive(Default)]
pub struct History {
    pub started: bool,
    pub loading: bool,
    pub no_repo: Option<String>,
    pub error: Option<String>,
    pub entries: Vec<HistoryEntry>,
    pub selected: usize,
    pub scroll: usize,
    /// The marked base revision (Space).
    pub base: Option<Rev>,
    /// The lens that filters the diff (None: every change).
    pub filter: Option<Lens>,
    pub raw: bool,
    /// The diff fills the main area.
    pub zoom: bool,
    pub diff_scroll: usize,
    /// The furthest the diff scrolls, as last drawn (keys keep
    /// `diff_scroll` within it, so the way back is never dead keys).
    pub diff_max: std::cell::Cell<usize>,
    /// Bumped when the working tree or the index changes.
    pub generation: u64,
    /// The history stream being listed (bumped when history reloads).
    pub stream: u64,
    /// The next batch of commits of `stream` replaces the commits listed.
    fresh: bool,
    pub pending: Option<DiffKey>,
    cache: HashMap<DiffKey, DiffResult>,
    /// Entries the filter's lens notices nothing in, as learnt so far in
    /// the background: not listed (`roadlens log --lens` leaves them out).
    pub unnoticed: std::collections::HashSet<Rev>,
    /// The notice request `unnoticed` answers.
    pub notice_seq: u64,
}

impl History {
    /// A new history stream (start, or reload after a commit or checkout):
    /// its number. The entries listed stay until its first commits arrive.
    pub fn restart(&mut self) -> u64 {
        self.stream += 1;
        self.fresh = true;
        self.loading = true;
        self.error = None;
        self.stream
    }

    /// Entries from stream `stream` (those of an older stream are dropped):
    /// uncommitted ones replace the uncommitted ones, the stream's first
    /// commits replace the commits listed, later ones are appended.
    /// Returns whether they were taken.
    pub fn receive(&mut self, stream: u64, uncommitted: bool, entries: Vec<HistoryEntry>) -> bool {
        if stream != self.stream {
            return false;
        }
        if !uncommitted && self.fresh {
            self.fresh = false;
            let n = self
                .entries
                .iter()
                .take_while(|e| e.rev.commit().is_none())
                .count();
            let selected = self.entries.get(self.selected).map(|e| e.rev.clone());
            self.entries.truncate(n);
            self.entries.extend(entries);
            self.reselect(selected);
            return true;
        }
        self.add(uncommitted, entries);
        true
    }

    /// Keep the selection on the same revision (else the top). A marked
    /// base stays while the list streams in (an older commit arrives after
    /// a reload's first entries): see [`History::drop_unlisted_base`].
    fn reselect(&mut self, selected: Option<Rev>) {
        let at = selected.and_then(|r| self.entries.iter().position(|e| e.rev == r));
        self.selected = at.unwrap_or(0).min(self.entries.len().saturating_sub(1));
    }

    /// The whole list is known: drop a marked base that is no longer in it
    /// (a commit rewritten or left behind by a checkout elsewhere).
    pub fn drop_unlisted_base(&mut self) {
        if self
            .base
            .as_ref()
            .is_some_and(|b| !self.entries.iter().any(|e| &e.rev == b))
        {
            self.base = None;
        }
    }

    /// New entries: uncommitted ones replace the current uncommitted ones
    /// (at the top), commits are appended.
    pub fn add(&mut self, uncommitted: bool, entries: Vec<HistoryEntry>) {
        let selected = self.entries.get(self.selected).map(|e| e.rev.clone());
        if uncommitted {
            let n = self
                .entries
                .iter()
                .take_while(|e| e.rev.commit().is_none())
                .count();
            self.entries.splice(0..n, entries);
        } else {
            self.entries.extend(entries);
        }
        self.reselect(selected);
    }

    /// The entries listed: every entry but those the filter's lens notices
    /// nothing in (indices into `entries`).
    pub fn shown(&self) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| !self.unnoticed.contains(&self.entries[i].rev))
            .collect()
    }

    /// Learnt: `revs` change nothing the filter's lens shows. A selection
    /// among them moves to the next entry listed (else the one before).
    /// Returns whether the selection moved.
    pub fn hide(&mut self, revs: Vec<Rev>) -> bool {
        self.unnoticed.extend(revs);
        let shown = self.shown();
        if shown.contains(&self.selected) {
            return false;
        }
        let to = shown
            .iter()
            .find(|&&i| i > self.selected)
            .or(shown.last())
            .copied();
        if let Some(to) = to {
            self.select(to);
        }
        true
    }

    /// The entry listed `step` places from the selected one (clamped);
    /// `None` when nothing is listed.
    pub fn step(&self, step: isize) -> Option<usize> {
        let shown = self.shown();
        if shown.is_empty() {
            return None;
        }
        let at = shown.iter().position(|&i| i >= self.selected).unwrap_or(0);
        let to = (at as isize + step).clamp(0, shown.len() as isize - 1);
        shown.get(to as usize).copied()
    }

    pub fn select(&mut self, i: usize) {
        if i != self.selected {
            self.selected = i.min(self.entries.len().saturating_sub(1));
            self.diff_scroll = 0;
        }
    }

    fn generation_of(&self, revs: &[Option<&Rev>]) -> u64 {
        let live = revs
            .iter()
            .flatten()
            .any(|r| matches!(r, Rev::WorkTree | Rev::Index));
        if live { self.generation } else { 0 }
    }

    /// Whether the selected entry is compared with a marked base (else
    /// with its parent).
    fn against_base(&self) -> bool {
        let e = self.entries.get(self.selected);
        self.base.is_some() && self.base.as_ref() != e.map(|e| &e.rev)
    }

    /// The diff the tab should show now.
    pub fn wanted(&self) -> Option<DiffKey> {
        let e = self.entries.get(self.selected)?;
        let base = if self.against_base() {
            self.base.clone()
        } else {
            e.parent.clone()
        };
        let generation = self.generation_of(&[base.as_ref(), Some(&e.rev)]);
        Some(DiffKey {
            base,
            target: e.rev.clone(),
            generation,
        })
    }

    /// The diff the tab should show now and what it compares: the selected
    /// entry against its parent by the history rule (with the entries
    /// older than it, for a parent that does not parse), or every roadmap
    /// file against the marked base.
    pub fn request(&self) -> Option<(DiffKey, DiffWhat)> {
        let key = self.wanted()?;
        let what = if self.against_base() {
            DiffWhat::Sides
        } else {
            let at = self.selected;
            DiffWhat::Entry {
                entry: self.entries[at].clone(),
                older: self.entries[at + 1..]
                    .iter()
                    .take(crate::diff::history::MAX_LOOKBACK)
                    .cloned()
                    .collect(),
            }
        };
        Some((key, what))
    }

    pub fn needs(&self, key: &DiffKey) -> bool {
        !self.cache.contains_key(key) && self.pending.as_ref() != Some(key)
    }

    pub fn store(&mut self, key: DiffKey, result: DiffResult) {
        if self.pending.as_ref() == Some(&key) {
            self.pending = None;
        }
        if self.cache.len() >= CACHE_MAX {
            self.cache.clear();
        }
        self.cache.insert(key, result);
    }

    /// Forget the diffs that have a file that does not parse: computed
    /// while the list was still streaming in, they may not have seen the
    /// older version that parses (asked again when shown).
    pub fn forget_unparseable(&mut self) {
        self.cache.retain(|_, r| {
            !r.as_ref().is_ok_and(|files| {
                files
                    .iter()
                    .any(|f| f.diff.status == FileStatus::Unparseable)
            })
        });
    }

    pub fn current(&self) -> Option<&DiffResult> {
        self.cache.get(&self.wanted()?)
    }

    /// How a revision is named on screen: `abc1234 2027-03-01`.
    pub fn rev_label(&self, rev: &Rev) -> String {
        self.rev_label_as(rev, self.filter.as_ref())
    }

    /// A revision's label as `lens` names it (`None`: every detail).
    pub fn rev_label_as(&self, rev: &Rev, lens: Option<&Lens>) -> String {
        match self.entries.iter().find(|e| &e.rev == rev) {
            // Under the sales filter, the quarter only (as `log --lens sales`).
            Some(e) if quarter_only(e, lens) => stamp_of(e, lens),
            Some(e) if rev.commit().is_some() => {
                format!("{} {}", rev.label(), day(e.time, e.offset_minutes))
            }
            // A commit not listed (it changed no roadmap file): under sales
            // not by its id either.
            None if rev.commit().is_some() && by_quarter(lens) => "an earlier version".into(),
            _ => rev_name(rev),
        }
    }

    /// An entry the filter names by its quarter only (the sales lens: no
    /// commit id, day, author or message; [`crate::diff::history::Stamp::for_lens`]).
    fn quarter_only(&self, e: &HistoryEntry) -> bool {
        quarter_only(e, self.filter.as_ref())
    }
}

/// An entry `lens` names by its quarter only.
fn quarter_only(e: &HistoryEntry, lens: Option<&Lens>) -> bool {
    e.rev.commit().is_some()
        && crate::diff::history::Stamp::of(e)
            .for_lens(lens)
            .quarter_only
}

/// An entry as `lens` names it (`2027-Q2` under sales).
fn stamp_of(e: &HistoryEntry, lens: Option<&Lens>) -> String {
    crate::diff::history::Stamp::of(e)
        .for_lens(lens)
        .to_string()
}

fn rev_name(rev: &Rev) -> String {
    match rev {
        Rev::Index => "staged".into(),
        r => r.label(),
    }
}

/// The list and the diff pane: side by side when wide, else stacked.
pub fn split(h: &History, area: Rect) -> (Rect, Rect) {
    if h.zoom {
        return (Rect::new(area.x, area.y, area.width, 0), area);
    }
    if area.width >= 120 {
        let lw = area.width * 2 / 5;
        (
            Rect::new(area.x, area.y, lw, area.height),
            Rect::new(area.x + lw + 1, area.y, area.width - lw - 1, area.height),
        )
    } else {
        let rows = (h.entries.len() as u16 + 1).clamp(3, (area.height / 3).max(3));
        let lh = rows.min(area.height);
        (
            Rect::new(area.x, area.y, area.width, lh),
            Rect::new(
                area.x,
                area.y + lh,
                area.width,
                area.height.saturating_sub(lh),
            ),
        )
    }
}

/// The entry under a click.
pub fn hit(h: &History, area: Rect, x: u16, y: u16) -> Option<usize> {
    let (list, _) = split(h, area);
    if x < list.x || x >= list.x + list.width || y <= list.y || y >= list.y + list.height {
        return None;
    }
    let rows = list.height.saturating_sub(1) as usize;
    let scroll = list_scroll(h, rows);
    h.shown().get(scroll + (y - list.y - 1) as usize).copied()
}

/// Keep the selected entry visible in the list.
pub fn follow(h: &mut History, area: Rect) {
    let (list, _) = split(h, area);
    let rows = list.height.saturating_sub(1) as usize;
    h.scroll = list_scroll(h, rows);
}

/// The list's first shown entry for `rows` rows: the selection in sight,
/// and no empty rows below the last entry while entries above are hidden
/// (a terminal that grew shows them).
fn list_scroll(h: &History, rows: usize) -> usize {
    let shown = h.shown();
    let at = shown.iter().position(|&i| i == h.selected).unwrap_or(0);
    let most = shown.len().saturating_sub(rows.max(1));
    keep_visible(h.scroll.min(most), at, at, rows)
}

/// The name of a filter for the hint bar and the diff pane.
pub fn filter_name(f: Option<&Lens>) -> String {
    match f {
        None => "all changes".into(),
        Some(Lens::Exec) => "executive lens".into(),
        Some(Lens::Sales) => "sales lens".into(),
        Some(Lens::Engineering) => "engineering lens".into(),
        Some(Lens::Decisions) => "decision canvas".into(),
        Some(Lens::Layer(id)) => format!("layer {} lens", clean(id)),
    }
}

/// A line of the pane at `row`; one too long for it ends with `…`.
fn put(buf: &mut Buffer, area: Rect, row: u16, line: Line<'_>) {
    if row < area.height {
        let Line {
            spans,
            style,
            alignment,
        } = line;
        let spans = super::doc::fit_spans(spans, area.width as usize);
        Line {
            spans,
            style,
            alignment,
        }
        .render(Rect::new(area.x, area.y + row, area.width, 1), buf);
    }
}

pub fn render(h: &History, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if let Some(e) = &h.no_repo {
        let lines = [
            Line::styled("not a git repository", theme.style(Role::Title)),
            Line::styled(clean(e), theme.style(Role::Dim)),
            Line::styled(
                "History needs the roadmap to be in a git repository; the lenses work without one.",
                theme.style(Role::Dim),
            ),
        ];
        for (i, l) in lines.into_iter().enumerate() {
            put(buf, area, 1 + i as u16, l);
        }
        return;
    }
    let (list, pane) = split(h, area);
    if list.height > 0 {
        render_list(h, list, buf, theme);
    }
    if area.width >= 120 && !h.zoom {
        for y in area.y..area.y + area.height {
            if let Some(c) = buf.cell_mut((list.x + list.width, y)) {
                c.set_symbol("│").set_style(theme.border());
            }
        }
    }
    render_diff(h, pane, area.width < 120 && !h.zoom, buf, theme);
}

fn render_list(h: &History, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let shown = h.shown();
    let n = shown.len();
    // (Only the sales filter leaves entries out, and how many is not its
    // audience's to know: the count is of what is listed.)
    let mut title = format!("History: {n} {}", if n == 1 { "entry" } else { "entries" });
    if h.loading {
        title.push_str("  ⟳ loading…");
    }
    if let Some(e) = &h.error {
        title.push_str(&format!("  (stopped: {})", clean(e)));
    }
    put(
        buf,
        area,
        0,
        Line::styled(fit(&title, area.width as usize), theme.style(Role::Heading)),
    );
    if shown.is_empty() && !h.entries.is_empty() {
        put(
            buf,
            area,
            1,
            Line::styled(
                format!(
                    "nothing in this history changes what the {} shows (f: another filter)",
                    filter_name(h.filter.as_ref())
                ),
                theme.style(Role::Dim),
            ),
        );
    }
    if h.entries.is_empty() && !h.loading {
        put(
            buf,
            area,
            1,
            Line::styled(
                "no commits touch a roadmap file yet",
                theme.style(Role::Dim),
            ),
        );
    }
    let rows = area.height.saturating_sub(1) as usize;
    let scroll = list_scroll(h, rows);
    // "working tree" and "staged" are wider than a short commit id.
    let label_w = if h.entries.iter().any(|e| e.rev.commit().is_none()) {
        12
    } else {
        7
    };
    for (row, (i, e)) in shown
        .iter()
        .map(|&i| (i, &h.entries[i]))
        .skip(scroll)
        .take(rows)
        .enumerate()
    {
        let is_base = h.base.as_ref() == Some(&e.rev);
        let mark = if is_base { "B " } else { "  " };
        let quarter = h.quarter_only(e);
        let label = match &e.rev {
            Rev::Commit(_) if quarter => stamp_of(e, h.filter.as_ref()),
            Rev::Commit(_) => e.rev.label(),
            r => rev_name(r),
        };
        let when = if e.rev.commit().is_some() && !quarter {
            day(e.time, e.offset_minutes)
        } else {
            String::new()
        };
        let author = if e.rev.commit().is_some() && !quarter {
            fit(&clean(&e.author), 14)
        } else {
            String::new()
        };
        let label_style = if e.rev.commit().is_some() {
            theme.style(Role::Dim)
        } else {
            theme.style(Role::Warn)
        };
        let mut spans = vec![
            Span::styled(mark, theme.marked()),
            Span::styled(format!("{label:<label_w$} "), label_style),
        ];
        // Narrow lists keep the summary readable: the author goes first,
        // then the date.
        if area.width >= 56 && !quarter {
            spans.push(Span::styled(format!("{when:<10} "), theme.style(Role::Dim)));
        }
        if area.width >= 80 && !quarter {
            spans.push(Span::styled(
                format!("{author:<14} "),
                theme.style(Role::Dim),
            ));
        }
        // The subject in the room left, cut with an ellipsis, never mid-word
        // at the screen's edge.
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 1);
        spans.push(Span::raw(fit(&list_subject(h, e), room)));
        let rect = Rect::new(area.x, area.y + 1 + row as u16, area.width, 1);
        let mut line = Line::from(spans);
        if i == h.selected {
            buf.set_style(rect, theme.selected());
            line = theme.select(line);
        } else if is_base {
            line = line.patch_style(theme.marked());
        }
        line.render(rect, buf);
    }
}

/// What the list says of an entry after its author: the commit's subject,
/// except under the sales filter, which hides commit messages as
/// `roadlens log --lens sales` does (they name releases, health and dates).
fn list_subject(h: &History, e: &HistoryEntry) -> String {
    if hides_message(h, e) {
        "roadmap change".into()
    } else {
        clean(&e.summary)
    }
}

/// Commit messages are written for the team (release ids, health, dates):
/// the sales filter shows only what the sales view holds.
fn hides_message(h: &History, e: &HistoryEntry) -> bool {
    by_quarter(h.filter.as_ref()) && e.rev.commit().is_some()
}

/// The lines of the diff pane, `width` columns wide (errors wrap).
pub fn diff_lines(h: &History, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let st = |r: Role| theme.style(r);
    let mut out: Vec<Line<'static>> = vec![];
    let Some(e) = h.entries.get(h.selected) else {
        if h.loading {
            out.push(Line::styled("loading history…", st(Role::Dim)));
        }
        return out;
    };
    let Some(key) = h.wanted() else {
        return out;
    };
    let base = match &key.base {
        Some(b) => h.rev_label(b),
        None => "(none: first commit)".into(),
    };
    let compare = if h.base.is_some() && h.base.as_ref() != Some(&e.rev) {
        "marked base"
    } else {
        "parent"
    };
    let sides = vec![
        Span::styled(format!("{compare} {base}"), st(Role::Dim)),
        Span::styled(" → ", st(Role::Dim)),
        Span::styled(h.rev_label(&e.rev), st(Role::Title)),
    ];
    let mode = format!(
        "filter: {}{}",
        filter_name(h.filter.as_ref()),
        if h.raw { "   raw text" } else { "" }
    );
    // On one line when it fits, else the filter on a line of its own (a
    // narrow pane cut it: "raw t…").
    let used: usize = sides.iter().map(|s| crate::vocab::width(&s.content)).sum();
    if used + 3 + crate::vocab::width(&mode) <= width {
        let mut line = sides;
        line.push(Span::styled(format!("   {mode}"), st(Role::Dim)));
        out.push(Line::from(line));
    } else {
        out.push(Line::from(sides));
        out.push(Line::styled(mode, st(Role::Dim)));
    }
    if e.rev.commit().is_some() && !h.quarter_only(e) {
        out.push(Line::from(vec![
            Span::styled(clean(&e.author), st(Role::Plain)),
            Span::styled(
                format!(
                    "  {}",
                    stamp(e.time, e.offset_minutes, "%Y-%m-%d %H:%M %:z")
                ),
                st(Role::Dim),
            ),
        ]));
    }
    let hide = hides_message(h, e);
    if hide {
        out.push(Line::styled(
            "(commit message not shown in the sales lens)",
            st(Role::Dim),
        ));
    } else {
        out.push(Line::styled(clean(&e.summary), st(Role::Title)));
    }
    let body: Vec<&str> = e
        .message
        .lines()
        .skip(1)
        .skip_while(|l| l.trim().is_empty() || hide)
        .collect();
    // Paragraphs reflowed to the pane (a message is wrapped at 72 columns
    // by its author: re-wrapped line by line it reads ragged), list items
    // and indented lines kept as they start.
    let mut shown: Vec<Line<'static>> = vec![];
    for para in paragraphs(&body).into_iter().take(100) {
        if para.is_empty() {
            shown.push(Line::raw(""));
        } else {
            shown.extend(wrapped(&[(clean(&para), Role::Dim)], 2, 2, width, theme));
        }
    }
    let cut = !h.zoom && shown.len() > 4;
    out.extend(shown.into_iter().take(if h.zoom { usize::MAX } else { 4 }));
    if cut {
        out.push(Line::styled("  … (Enter shows all)", st(Role::Dim)));
    }
    out.push(Line::raw(""));
    let files = match h.current() {
        None => {
            out.push(Line::styled("computing diff…", st(Role::Dim)));
            return out;
        }
        Some(Err(err)) => {
            out.push(Line::styled(
                format!("cannot diff: {}", clean(err)),
                st(Role::Bad),
            ));
            return out;
        }
        Some(Ok(f)) => f,
    };
    if files.is_empty() {
        out.push(Line::styled("no roadmap changes", st(Role::Dim)));
    }
    for f in files {
        let shown = f.changes(h.filter.as_ref()).unwrap_or_default();
        // Changes the lens does not notice (all of them when it notices
        // none; audience changes are not a subset of the full ones).
        let hidden = if shown.is_empty() {
            f.diff.changes.len()
        } else {
            0
        };
        let mut head = vec![("▌ ".to_string(), Role::Heading)];
        // Named as the filter's lens names files (sales: by the roadmap's
        // title, never a path).
        let name = f.diff.name_as(h.filter.as_ref(), f.title.as_deref());
        head.extend(crate::vocab::file_heading(
            &name,
            &f.diff,
            shown.len(),
            hidden,
        ));
        out.push(spans(head, theme));
        let broken = f.diff.status == FileStatus::Unparseable;
        if let Some(err) = &f.diff.error_as(h.filter.as_ref()) {
            // An error, or a note (compared with an older version).
            let role = if broken { Role::Bad } else { Role::Dim };
            for l in wrap(&crate::text::sanitize(err), width.saturating_sub(4).max(20)) {
                out.push(Line::styled(format!("  {l}"), st(role)));
            }
        }
        if (h.raw || broken)
            && let Some(l) = &h.filter
        {
            // Every lens hides something the file holds: no raw text under
            // an audience.
            let why = if broken {
                "the semantic diff needs both sides to parse; "
            } else {
                ""
            };
            let msg = format!(
                "{why}raw text is not available in the {} (f to \"{}\" shows it)",
                filter_name(Some(l)),
                filter_name(None)
            );
            for l in wrap(&msg, width.saturating_sub(4).max(20)) {
                out.push(Line::styled(format!("  {l}"), st(Role::Dim)));
            }
            out.push(Line::raw(""));
            continue;
        }
        if h.raw || broken {
            if broken {
                out.push(Line::styled("  raw text diff:", st(Role::Dim)));
            }
            for l in &f.raw {
                let role = if l.starts_with("+++") || l.starts_with("---") {
                    Role::Title
                } else if l.starts_with('+') {
                    Role::Good
                } else if l.starts_with('-') {
                    Role::Bad
                } else if l.starts_with("@@") {
                    Role::Heading
                } else {
                    Role::Plain
                };
                // Wrapped, not cut: a change at the end of a long line
                // is the change.
                for part in crate::vocab::hard_wrap(l, width.max(1)) {
                    out.push(Line::styled(part, st(role)));
                }
            }
            out.push(Line::raw(""));
            continue;
        }
        if shown.is_empty() {
            let hidden = f.diff.changes.len();
            let msg = if hidden == 0 {
                "  no semantic changes (formatting or comments only; t shows the text)".to_string()
            } else if matches!(h.filter, Some(Lens::Sales)) {
                // How much changed out of its sight is not the audience's
                // to know either.
                format!(
                    "  nothing the {} shows changed (f changes the filter)",
                    filter_name(h.filter.as_ref())
                )
            } else {
                format!(
                    "  nothing the {} shows changed ({hidden} other change{}; f changes the filter)",
                    filter_name(h.filter.as_ref()),
                    if hidden == 1 { "" } else { "s" }
                )
            };
            // Wrapped (it was cut at 80 columns).
            for l in wrap(msg.trim_start(), width.saturating_sub(4).max(20)) {
                out.push(Line::styled(format!("  {l}"), st(Role::Dim)));
            }
        }
        let mut last: Option<(crate::model::EntityKind, &str)> = None;
        for c in shown {
            if last != Some((c.entity, c.id.as_str())) {
                last = Some((c.entity, c.id.as_str()));
                let sales = matches!(h.filter, Some(Lens::Sales));
                let head = crate::vocab::entity_heading(c.entity, &c.id, &c.title, sales);
                out.extend(wrapped(&head, 2, 4, width, theme));
            }
            out.extend(change_lines(c, theme, width));
        }
        out.push(Line::raw(""));
    }
    out
}

/// A commit message's lines as paragraphs: a line joins the one before it
/// unless either is blank, or it is indented or starts a list item; a blank
/// line is an empty paragraph.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let starts_item = |l: &str| {
        let t = l.trim_start();
        l.starts_with([' ', '\t'])
            || ["- ", "* ", "• ", "+ "].iter().any(|m| t.starts_with(m))
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    let mut out: Vec<String> = vec![];
    for l in lines {
        let l = l.trim_end();
        match out.last_mut() {
            _ if l.is_empty() => out.push(String::new()),
            Some(p) if !p.is_empty() && !starts_item(l) => {
                p.push(' ');
                p.push_str(l);
            }
            _ => out.push(l.to_string()),
        }
    }
    out
}

/// Styled parts as a line.
fn spans(parts: Vec<(String, Role)>, theme: &Theme) -> Line<'static> {
    Line::from(
        parts
            .into_iter()
            .map(|(t, r)| Span::styled(t, theme.style(r)))
            .collect::<Vec<_>>(),
    )
}

/// Styled parts wrapped to `width` columns, at `indent` then `hang`.
fn wrapped(
    parts: &[(String, Role)],
    indent: usize,
    hang: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let w = |pad: usize| width.saturating_sub(pad).max(20);
    crate::vocab::wrap_styled(parts, w(indent), w(hang))
        .into_iter()
        .enumerate()
        .map(|(i, runs)| {
            let pad = if i == 0 { indent } else { hang };
            let mut l = vec![(" ".repeat(pad), Role::Plain)];
            l.extend(runs);
            spans(l, theme)
        })
        .collect()
}

/// A change as every printer writes it ([`crate::vocab::change`]), wrapped
/// under its marker, then its long values in full.
fn change_lines(c: &Change, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = wrapped(&crate::vocab::change(c), 4, 6, width, theme);
    for (k, v) in crate::vocab::change_values(c) {
        out.extend(wrapped(
            &crate::vocab::value_line(k, &v),
            6,
            8,
            width,
            theme,
        ));
    }
    out
}

fn render_diff(h: &History, area: Rect, stacked: bool, buf: &mut Buffer, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let lines = diff_lines(h, theme, area.width as usize);
    let max = lines.len().saturating_sub(area.height as usize);
    h.diff_max.set(max);
    let scroll = h.diff_scroll.min(max);
    // A rule above the pane when stacked.
    let mut area = area;
    if stacked {
        let rule = "─".repeat(area.width as usize);
        put(buf, area, 0, Line::styled(rule, theme.border()));
        area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    }
    for (i, l) in lines
        .into_iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        put(buf, area, i as u16, l);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_reflows_by_paragraph_and_keeps_its_lists() {
        let msg = [
            "With the certificate expected at the end of July, the",
            "200-unit pilot build moves.",
            "",
            "- first item",
            "- second item",
            "  indented code",
        ];
        assert_eq!(
            super::paragraphs(&msg),
            [
                "With the certificate expected at the end of July, the 200-unit pilot build moves.",
                "",
                "- first item",
                "- second item",
                "  indented code",
            ]
        );
    }

    use super::*;
    use crate::repo::FileChange;

    fn entry(rev: Rev, parent: Option<Rev>) -> HistoryEntry {
        HistoryEntry {
            rev,
            parent,
            author: "a".into(),
            time: 0,
            offset_minutes: 0,
            summary: "s".into(),
            message: "s".into(),
            files: vec![FileChange {
                old_path: Some("r.toml".into()),
                new_path: Some("r.toml".into()),
            }],
        }
    }

    fn commit(c: &str) -> Rev {
        Rev::Commit(c.repeat(40))
    }

    /// Entries a filter notices nothing in leave the list; the selection
    /// and the moving keys go over what is listed, and a list left empty
    /// is never stepped in (it panicked on an empty range).
    #[test]
    fn hidden_entries_are_skipped_and_an_empty_list_is_safe() {
        let mut h = History::default();
        for (c, p) in [("a", Some("b")), ("b", Some("c")), ("c", None)] {
            h.add(false, vec![entry(commit(c), p.map(commit))]);
        }
        h.select(1);
        assert!(h.hide(vec![commit("b")]), "the selection moved");
        assert_eq!(h.entries[h.selected].rev, commit("c"));
        assert_eq!(h.shown(), [0, 2]);
        assert_eq!(h.step(-1), Some(0));
        assert_eq!(h.step(1), Some(2));
        assert!(h.hide(vec![commit("a"), commit("c")]));
        assert!(h.shown().is_empty());
        assert_eq!(h.step(1), None);
        assert_eq!(h.step(-5), None);
    }

    #[test]
    fn uncommitted_entries_are_replaced_and_the_selection_stays() {
        let mut h = History::default();
        h.add(true, vec![entry(Rev::WorkTree, Some(commit("a")))]);
        h.add(false, vec![entry(commit("a"), Some(commit("b")))]);
        h.add(false, vec![entry(commit("b"), None)]);
        h.select(2);
        h.base = Some(commit("a"));
        // The working tree went back to HEAD: no uncommitted entry.
        h.add(true, vec![]);
        assert_eq!(h.entries.len(), 2);
        assert_eq!(h.entries[h.selected].rev, commit("b"));
        assert_eq!(h.base, Some(commit("a")));
    }

    /// A reload after a commit elsewhere streams the list in again: the
    /// marked base (an older commit) stays until the whole list is known,
    /// and goes only if it is not in it.
    #[test]
    fn a_marked_base_survives_a_reload_streaming_in() {
        let mut h = History::default();
        h.add(false, vec![entry(commit("a"), Some(commit("b")))]);
        h.add(false, vec![entry(commit("b"), None)]);
        h.base = Some(commit("b"));
        h.stream += 1;
        h.fresh = true;
        let s = h.stream;
        assert!(h.receive(s, false, vec![entry(commit("c"), Some(commit("a")))]));
        assert_eq!(h.base, Some(commit("b")), "kept while streaming");
        h.receive(s, false, vec![entry(commit("a"), Some(commit("b")))]);
        h.receive(s, false, vec![entry(commit("b"), None)]);
        h.drop_unlisted_base();
        assert_eq!(h.base, Some(commit("b")));
        h.base = Some(commit("z"));
        h.drop_unlisted_base();
        assert_eq!(h.base, None);
    }

    #[test]
    fn the_wanted_diff_is_against_the_parent_or_the_marked_base() {
        let mut h = History::default();
        h.add(true, vec![entry(Rev::WorkTree, Some(commit("a")))]);
        h.add(false, vec![entry(commit("a"), Some(commit("b")))]);
        let k = h.wanted().expect("wanted");
        assert_eq!(
            (k.base.clone(), k.target.clone()),
            (Some(commit("a")), Rev::WorkTree)
        );
        // Against the parent: the entry, with the older ones.
        match h.request().expect("request").1 {
            DiffWhat::Entry { entry, older } => {
                assert_eq!(entry.rev, Rev::WorkTree);
                assert_eq!(older.len(), 1);
            }
            DiffWhat::Sides => panic!("a parent diff"),
        }
        // Uncommitted diffs go stale when the working tree changes.
        h.generation = 7;
        assert_eq!(h.wanted().expect("wanted").generation, 7);
        h.base = Some(commit("a"));
        h.select(1);
        // Selecting the base itself: the diff against its parent.
        assert_eq!(h.wanted().expect("wanted").base, Some(commit("b")));
        h.select(0);
        let k = h.wanted().expect("wanted");
        assert_eq!(k.base, Some(commit("a")));
        assert!(
            matches!(h.request().expect("request").1, DiffWhat::Sides),
            "a base diff compares every roadmap file"
        );
        assert!(h.needs(&k));
        h.store(k.clone(), Ok(vec![]));
        assert!(!h.needs(&k));
        assert!(h.current().is_some());
    }

    #[test]
    fn unparseable_diffs_are_asked_again_once_the_list_is_complete() {
        let mut h = History::default();
        h.add(false, vec![entry(commit("a"), Some(commit("b")))]);
        let k = h.wanted().expect("wanted");
        let file = |status| super::super::worker::FileResult {
            diff: crate::diff::FileDiff {
                path: "r.toml".into(),
                old_path: None,
                status,
                error: None,
                changes: vec![],
            },
            audiences: vec![],
            raw: vec![],
            title: None,
        };
        h.store(k.clone(), Ok(vec![file(FileStatus::Unparseable)]));
        assert!(!h.needs(&k));
        h.forget_unparseable();
        assert!(h.needs(&k));
        h.store(k.clone(), Ok(vec![file(FileStatus::Modified)]));
        h.forget_unparseable();
        assert!(!h.needs(&k));
    }

    #[test]
    fn a_reloaded_stream_replaces_the_commits_and_drops_stale_batches() {
        let mut h = History::default();
        let s1 = h.restart();
        assert!(h.receive(s1, true, vec![]));
        assert!(h.receive(s1, false, vec![entry(commit("a"), None)]));
        h.select(0);
        // A commit elsewhere: a new stream. Until its commits arrive the
        // list stays; batches of the old stream are dropped.
        let s2 = h.restart();
        assert!(!h.receive(s1, false, vec![entry(commit("x"), None)]));
        assert_eq!(h.entries.len(), 1);
        assert!(h.receive(s2, true, vec![entry(Rev::Index, Some(commit("b")))]));
        assert!(h.receive(
            s2,
            false,
            vec![
                entry(commit("b"), Some(commit("a"))),
                entry(commit("a"), None)
            ]
        ));
        assert!(h.receive(s2, false, vec![entry(commit("c"), None)]));
        let revs: Vec<Rev> = h.entries.iter().map(|e| e.rev.clone()).collect();
        assert_eq!(
            revs,
            [Rev::Index, commit("b"), commit("a"), commit("c")],
            "uncommitted first, the new commits replaced the old, later batches append"
        );
    }
}
