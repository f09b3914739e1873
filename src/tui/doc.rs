//! A lens page as lines of styled text with anchors for the items on it.
//!
//! Pages are built once per loaded roadmap (strings sanitized then), not per
//! frame, for a measure: prose is wrapped at [`MEASURE`] columns, or at the
//! width the page is drawn in when that is less (pages are built again when
//! a resize changes it); other lines wider than the screen end with `…`. So
//! the line of every item is known without drawing, and the cursor (an item)
//! and scroll position are plain state.

use super::theme::{Role, Theme};
use crate::lens::ItemRef;
use crate::text::sanitize_line;
pub use crate::vocab::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Prose wider than this is wrapped when a page is built.
pub const MEASURE: usize = 72;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocLine {
    pub spans: Vec<(String, Role)>,
    /// The item this line belongs to (index into `Doc::items`).
    pub item: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    pub target: ItemRef,
    /// First and last line of the item's block.
    pub first: usize,
    pub last: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub lines: Vec<DocLine>,
    pub items: Vec<Anchor>,
    /// Whether lines pushed now belong to the last item.
    open: bool,
    /// The width prose is wrapped at: [`MEASURE`], or less when the page is
    /// drawn narrower (see [`measure_for`]).
    pub measure: usize,
}

impl Default for Doc {
    fn default() -> Doc {
        Doc::new(MEASURE)
    }
}

/// The measure of a page drawn `width` columns wide: [`MEASURE`] at most, so
/// that a narrow screen wraps prose rather than cutting words out of it.
pub fn measure_for(width: u16) -> usize {
    (width as usize).clamp(24, MEASURE)
}

/// Styled spans in `w` columns: as they are when they fit, else cut where
/// they reach the edge, the cut marked with `…`.
pub fn fit_spans(spans: Vec<Span<'_>>, w: usize) -> Vec<Span<'static>> {
    let runs = spans
        .into_iter()
        .map(|s| (s.content.into_owned(), s.style))
        .collect();
    crate::vocab::cut_runs(runs, w)
        .into_iter()
        .map(|(t, style)| Span::styled(t, style))
        .collect()
}

/// Sanitize one untrusted value for a single line.
pub fn clean(s: &str) -> String {
    sanitize_line(s).into_owned()
}

impl Doc {
    /// An empty page whose prose is wrapped at `measure`.
    pub fn new(measure: usize) -> Doc {
        Doc {
            lines: vec![],
            items: vec![],
            open: false,
            measure,
        }
    }

    pub fn blank(&mut self) {
        self.lines.push(DocLine::default());
    }

    pub fn heading(&mut self, text: &str) {
        self.end_item();
        if !self.lines.is_empty() {
            self.blank();
        }
        self.line(vec![(text.to_string(), Role::Heading)]);
    }

    /// A line of already-sanitized spans (use [`clean`] on untrusted text).
    pub fn line(&mut self, spans: Vec<(String, Role)>) {
        let item = self.open_item();
        self.lines.push(DocLine { spans, item });
    }

    /// Prose: sanitized and wrapped at the page's measure, each line
    /// indented.
    pub fn prose(&mut self, indent: usize, text: &str, role: Role) {
        let pad = " ".repeat(indent);
        for l in wrap(&clean(text), self.measure.saturating_sub(indent).max(12)) {
            self.line(vec![(format!("{pad}{l}"), role)]);
        }
    }

    /// Styled parts (already sanitized) wrapped at the page's measure: the
    /// first line at `indent`, the others at `hang`.
    pub fn styled(&mut self, indent: usize, hang: usize, parts: &[(String, Role)]) {
        let measure = self.measure;
        let avail = |pad: usize| measure.saturating_sub(pad).max(12);
        let lines = crate::vocab::wrap_styled(parts, avail(indent), avail(hang));
        for (i, runs) in lines.into_iter().enumerate() {
            let pad = if i == 0 { indent } else { hang };
            let mut spans = vec![(" ".repeat(pad), Role::Plain)];
            spans.extend(runs);
            self.line(spans);
        }
    }

    /// Start an item: following lines belong to it until [`Doc::end_item`]
    /// or the next item.
    pub fn item(&mut self, target: ItemRef) {
        self.end_item();
        self.open = true;
        let line = self.lines.len();
        self.items.push(Anchor {
            target,
            first: line,
            last: line,
        });
    }

    fn open_item(&mut self) -> Option<usize> {
        if !self.open {
            return None;
        }
        let n = self.lines.len();
        let idx = self.items.len().checked_sub(1)?;
        self.items[idx].last = n;
        Some(idx)
    }

    /// Close the current item: the next lines are not part of it.
    pub fn end_item(&mut self) {
        if self.open {
            self.open = false;
            if self
                .items
                .last()
                .is_some_and(|a| a.first >= self.lines.len())
            {
                self.items.pop(); // an item without lines
            }
        }
    }

    /// The index of the item for `target`, if this page shows it.
    pub fn find(&self, target: &ItemRef) -> Option<usize> {
        self.items.iter().position(|a| &a.target == target)
    }

    /// The scroll offset to use so that the item at `cursor` is visible in
    /// `height` lines, starting from the previous offset `scroll`.
    pub fn scroll_for(&self, cursor: Option<usize>, scroll: usize, height: usize) -> usize {
        let max = self.lines.len().saturating_sub(height.max(1));
        let Some(a) = cursor.and_then(|c| self.items.get(c)) else {
            return scroll.min(max);
        };
        if a.last < height {
            return 0; // the cursor fits on the first screen: show the top
        }
        keep_visible(scroll, a.first, a.last, height).min(max)
    }

    /// Draw lines from `scroll`, highlighting the cursor item's first line.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        cursor: Option<usize>,
        scroll: usize,
    ) {
        let scroll = self.scroll_for(cursor, scroll, area.height as usize);
        let sel_line = cursor.and_then(|c| self.items.get(c)).map(|a| a.first);
        for (row, (i, l)) in self
            .lines
            .iter()
            .enumerate()
            .skip(scroll)
            .take(area.height as usize)
            .enumerate()
        {
            let y = area.y + row as u16;
            // A line wider than the area ends with an ellipsis, never cut
            // at the edge unmarked.
            let width = area.width as usize;
            let wide = l
                .spans
                .iter()
                .map(|(t, _)| crate::vocab::width(t))
                .sum::<usize>()
                > width;
            let line = if wide {
                Line::from(
                    crate::vocab::fit_runs(l.spans.clone(), width)
                        .into_iter()
                        .map(|(t, r)| Span::styled(t, theme.style(r)))
                        .collect::<Vec<_>>(),
                )
            } else {
                Line::from(
                    l.spans
                        .iter()
                        .map(|(t, r)| Span::styled(t.as_str(), theme.style(*r)))
                        .collect::<Vec<_>>(),
                )
            };
            let rect = Rect::new(area.x, y, area.width, 1);
            if Some(i) == sel_line {
                buf.set_style(rect, theme.selected());
                ratatui::widgets::Widget::render(theme.select(line), rect, buf);
            } else {
                ratatui::widgets::Widget::render(line, rect, buf);
            }
        }
    }
}

/// The smallest change to `scroll` that shows lines `first..=last` (or at
/// least `first`) in `height` lines.
pub fn keep_visible(scroll: usize, first: usize, last: usize, height: usize) -> usize {
    let height = height.max(1);
    let mut s = scroll;
    if last >= s + height {
        s = last + 1 - height;
    }
    if first < s {
        s = first;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn r(id: &str) -> ItemRef {
        ItemRef {
            entity: EntityKind::Feature,
            id: id.into(),
        }
    }

    #[test]
    fn items_own_their_lines() {
        let mut d = Doc::default();
        d.heading("H");
        d.item(r("a"));
        d.line(vec![("a".into(), Role::Plain)]);
        d.line(vec![("a2".into(), Role::Plain)]);
        d.item(r("b"));
        d.line(vec![("b".into(), Role::Plain)]);
        d.end_item();
        d.line(vec![("after".into(), Role::Plain)]);
        assert_eq!(d.items.len(), 2);
        assert_eq!((d.items[0].first, d.items[0].last), (1, 2));
        assert_eq!((d.items[1].first, d.items[1].last), (3, 3));
        assert_eq!(d.lines[4].item, None);
        assert_eq!(d.find(&r("b")), Some(1));
    }

    #[test]
    fn keep_visible_moves_minimally() {
        assert_eq!(keep_visible(0, 5, 5, 10), 0);
        assert_eq!(keep_visible(0, 12, 12, 10), 3);
        assert_eq!(keep_visible(8, 2, 2, 10), 2);
        assert_eq!(keep_visible(0, 3, 20, 5), 3);
    }
}
