//! The Engineering tab: the story map (releases × layers) and, below it, the
//! blocked items, dependencies and interfaces.
//!
//! The geometry is a function of the view and the width only, so the cursor
//! and scroll can be updated without drawing and mouse clicks map back to
//! cells.

use super::doc::{Doc, clean, keep_visible};
use super::theme::{Role, Theme};
use crate::lens::{EngineeringView, ItemRef, WorkCard};
use crate::model::EntityKind;
pub use crate::vocab::fit;
use crate::vocab::{self, status_glyph};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Lines the release column uses per row: name, target, status, the health
/// when it is troubled, and the release's effort.
fn head_lines(r: &crate::lens::ReleaseHead) -> usize {
    if r.health.is_some_and(|h| h.is_troubled()) {
        5
    } else {
        4
    }
}

/// Cells start with a header line (their summed estimates); cards follow.
const CELL_HEAD: usize = 1;

/// A cell's header: `Σ 12w`, `Σ 12w +1?` (one without estimate), `·` for a
/// cell the release does not touch.
fn cell_head(cards: &[WorkCard], e: Option<&crate::lens::CellEffort>) -> String {
    if cards.is_empty() {
        return "·".into();
    }
    let Some(e) = e else {
        return String::new();
    };
    let mut t = format!("Σ {}", vocab::effort_short(e.days));
    if e.unestimated > 0 {
        t.push_str(&format!(" +{}?", e.unestimated));
    }
    t
}
/// Lines of the sticky column header (layer names, rule).
pub const HEADER_LINES: u16 = 2;
/// Lines of the info panel under the grid.
pub const INFO_LINES: u16 = 3;
const MIN_COL: u16 = 20;

/// Where the cursor is: a cell (and an item in it), or an item of the
/// lists below the grid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GridCursor {
    pub row: usize,
    pub col: usize,
    pub item: usize,
    /// `Some(i)`: item `i` of the lists below the grid.
    pub list: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GridState {
    pub cursor: GridCursor,
    /// First line of the scrolled region shown.
    pub scroll: usize,
    /// First layer column shown.
    pub col_scroll: usize,
}

pub struct Geom {
    pub row_w: u16,
    pub col_w: u16,
    pub vis_cols: usize,
    /// First line of each row in the scrolled region; a row ends with a rule.
    pub row_tops: Vec<usize>,
    /// Lines of the rows; the lists start after one blank line.
    pub rows_end: usize,
}

impl Geom {
    pub fn new(v: &EngineeringView, width: u16) -> Geom {
        let row_w = if width >= 140 { 26 } else { 18 }.min(width / 3);
        let ncols = v.layers.len().max(1) as u16;
        let avail = width.saturating_sub(row_w);
        let col_w = (avail / ncols).max(MIN_COL.min(avail.max(1)));
        let vis_cols = ((avail / col_w.max(1)) as usize).clamp(1, v.layers.len().max(1));
        let mut row_tops = vec![];
        let mut y = 0;
        for row in &v.rows {
            row_tops.push(y);
            y += row_height(row) + 1;
        }
        Geom {
            row_w,
            col_w,
            vis_cols,
            row_tops,
            rows_end: y,
        }
    }

    fn row_lines(&self, row: usize) -> (usize, usize) {
        let top = self.row_tops.get(row).copied().unwrap_or(0);
        let next = self.row_tops.get(row + 1).copied().unwrap_or(self.rows_end);
        (top, next.saturating_sub(2).max(top))
    }

    fn list_start(&self) -> usize {
        self.rows_end + 1
    }
}

fn row_height(row: &crate::lens::StoryRow) -> usize {
    let cards = row.cells.iter().map(Vec::len).max().unwrap_or(0);
    (CELL_HEAD + cards).max(head_lines(&row.release))
}

/// The height of the scrolled region in a main area of `height` lines.
pub fn body_height(height: u16) -> usize {
    height.saturating_sub(HEADER_LINES + INFO_LINES).max(1) as usize
}

fn cell<'a>(v: &'a EngineeringView, c: &GridCursor) -> Option<&'a Vec<WorkCard>> {
    v.rows.get(c.row)?.cells.get(c.col)
}

/// The item under the cursor: a work item, the release of an empty cell, or
/// an item of the lists.
pub fn selected(v: &EngineeringView, doc: &Doc, c: &GridCursor) -> Option<ItemRef> {
    if let Some(i) = c.list {
        return doc.items.get(i).map(|a| a.target.clone());
    }
    match cell(v, c)?.get(c.item) {
        Some(card) => Some(ItemRef {
            entity: EntityKind::Work,
            id: card.key.clone(),
        }),
        None => v.rows.get(c.row).map(|r| ItemRef {
            entity: EntityKind::Release,
            id: r.release.id.clone(),
        }),
    }
}

/// The cursor position of `target` (a card, a release row, or a list item).
pub fn locate(v: &EngineeringView, doc: &Doc, target: &ItemRef) -> Option<GridCursor> {
    for (row, r) in v.rows.iter().enumerate() {
        if target.entity == EntityKind::Release && r.release.id == target.id {
            return Some(GridCursor {
                row,
                ..GridCursor::default()
            });
        }
        for (col, cards) in r.cells.iter().enumerate() {
            if let Some(item) = cards
                .iter()
                .position(|c| target.entity == EntityKind::Work && c.key == target.id)
            {
                return Some(GridCursor {
                    row,
                    col,
                    item,
                    list: None,
                });
            }
        }
    }
    doc.find(target).map(|i| GridCursor {
        list: Some(i),
        ..GridCursor::default()
    })
}

/// Keep the cursor on a position the view has.
pub fn clamp(v: &EngineeringView, doc: &Doc, c: &mut GridCursor) {
    c.row = c.row.min(v.rows.len().saturating_sub(1));
    c.col = c.col.min(v.layers.len().saturating_sub(1));
    if let Some(i) = c.list {
        c.list = (!doc.items.is_empty()).then(|| i.min(doc.items.len() - 1));
    }
    let len = cell(v, c).map(Vec::len).unwrap_or(0);
    c.item = c.item.min(len.saturating_sub(1));
}

/// Move the cursor. `dy`: items down (negative up); `dx`: cells right.
pub fn step(v: &EngineeringView, doc: &Doc, c: &mut GridCursor, dx: i32, dy: i32) {
    let nrows = v.rows.len();
    let ncols = v.layers.len();
    if let Some(i) = c.list {
        if dy > 0 {
            c.list = Some((i + 1).min(doc.items.len().saturating_sub(1)));
        } else if dy < 0 {
            if i == 0 {
                c.list = None;
                c.row = nrows.saturating_sub(1);
                c.item = cell(v, c).map(|x| x.len().saturating_sub(1)).unwrap_or(0);
            } else {
                c.list = Some(i - 1);
            }
        }
        return;
    }
    if nrows == 0 {
        if dy > 0 && !doc.items.is_empty() {
            c.list = Some(0);
        }
        return;
    }
    if dx != 0 && ncols > 0 {
        c.col = (c.col as i32 + dx).clamp(0, ncols as i32 - 1) as usize;
        let len = cell(v, c).map(Vec::len).unwrap_or(0);
        c.item = c.item.min(len.saturating_sub(1));
    }
    if dy > 0 {
        let len = cell(v, c).map(Vec::len).unwrap_or(0);
        if c.item + 1 < len {
            c.item += 1;
        } else if c.row + 1 < nrows {
            c.row += 1;
            c.item = 0;
        } else if !doc.items.is_empty() {
            c.list = Some(0);
        }
    } else if dy < 0 {
        if c.item > 0 {
            c.item -= 1;
        } else if c.row > 0 {
            c.row -= 1;
            c.item = cell(v, c).map(|x| x.len().saturating_sub(1)).unwrap_or(0);
        }
    }
}

/// Jump a whole release row (page keys) or to the ends.
pub fn step_rows(v: &EngineeringView, doc: &Doc, c: &mut GridCursor, rows: i32) {
    let nrows = v.rows.len() as i32;
    if c.list.is_some() {
        if rows < 0 {
            c.list = None;
            c.row = (nrows + rows).max(0) as usize;
            c.item = 0;
        } else {
            c.list = Some(doc.items.len().saturating_sub(1));
        }
        return;
    }
    let r = c.row as i32 + rows;
    if r >= nrows {
        if !doc.items.is_empty() {
            c.list = Some(if rows > 1 { doc.items.len() - 1 } else { 0 });
        } else {
            c.row = nrows.saturating_sub(1).max(0) as usize;
        }
    } else {
        c.row = r.max(0) as usize;
    }
    c.item = 0;
}

/// Adjust the scroll positions so the cursor is visible in `area`
/// (the whole main area of the tab).
pub fn follow(v: &EngineeringView, doc: &Doc, s: &mut GridState, area: Rect) {
    let g = Geom::new(v, area.width);
    let h = body_height(area.height);
    let (first, last) = match s.cursor.list {
        Some(i) => doc
            .items
            .get(i)
            .map(|a| (g.list_start() + a.first, g.list_start() + a.last))
            .unwrap_or((0, 0)),
        None => g.row_lines(s.cursor.row),
    };
    s.scroll = keep_visible(s.scroll, first, last, h);
    let c = s.cursor.col;
    if c < s.col_scroll {
        s.col_scroll = c;
    } else if c >= s.col_scroll + g.vis_cols {
        s.col_scroll = c + 1 - g.vis_cols;
    }
    s.col_scroll = s.col_scroll.min(v.layers.len().saturating_sub(g.vis_cols));
}

/// The cursor position under a click at (`x`, `y`) in `area`.
pub fn hit(
    v: &EngineeringView,
    doc: &Doc,
    s: &GridState,
    area: Rect,
    x: u16,
    y: u16,
) -> Option<GridCursor> {
    let g = Geom::new(v, area.width);
    if y < area.y + HEADER_LINES || x < area.x {
        return None;
    }
    let line = s.scroll + (y - area.y - HEADER_LINES) as usize;
    if line >= g.list_start() {
        let i = doc.lines.get(line - g.list_start())?.item?;
        return Some(GridCursor {
            list: Some(i),
            ..GridCursor::default()
        });
    }
    let row = g.row_tops.iter().rposition(|t| *t <= line)?;
    let dx = x - area.x;
    let col = if dx < g.row_w {
        0
    } else {
        s.col_scroll + ((dx - g.row_w) / g.col_w.max(1)) as usize
    };
    let cards = v.rows.get(row)?.cells.get(col)?;
    let item = (line - g.row_tops[row])
        .saturating_sub(CELL_HEAD)
        .min(cards.len().saturating_sub(1));
    Some(GridCursor {
        row,
        col,
        item,
        list: None,
    })
}

/// `spans` at `x, y` in `w` cells; drawn as the selection when `selected`
/// holds the theme.
fn put(buf: &mut Buffer, x: u16, y: u16, w: u16, spans: Vec<Span<'_>>, selected: Option<&Theme>) {
    if w == 0 {
        return;
    }
    let rect = Rect::new(x, y, w, 1).intersection(buf.area);
    if rect.is_empty() {
        return;
    }
    let mut line = Line::from(super::doc::fit_spans(spans, rect.width as usize));
    if let Some(t) = selected {
        buf.set_style(rect, t.selected());
        line = t.select(line);
    }
    line.render(rect, buf);
}

pub fn render(
    v: &EngineeringView,
    doc: &Doc,
    s: &GridState,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let g = Geom::new(v, area.width);
    let mut s = *s;
    follow(v, doc, &mut s, area);
    let dim = theme.style(Role::Dim);
    let border = theme.border();
    let body_h = body_height(area.height);
    let cols: Vec<usize> =
        (s.col_scroll..(s.col_scroll + g.vis_cols).min(v.layers.len())).collect();
    let col_x = |i: usize| area.x + g.row_w + (i as u16) * g.col_w;

    // Sticky header: layer names, with arrows when columns are hidden.
    let left_more = s.col_scroll > 0;
    let right_more = s.col_scroll + g.vis_cols < v.layers.len();
    let rel_head = match (left_more, right_more) {
        (true, true) => "Release    ◀ ▶",
        (true, false) => "Release    ◀",
        (false, true) => "Release      ▶",
        _ => "Release",
    };
    put(
        buf,
        area.x,
        area.y,
        g.row_w,
        vec![Span::styled(
            fit(rel_head, g.row_w as usize - 1),
            theme.style(Role::Heading),
        )],
        None,
    );
    for (i, &c) in cols.iter().enumerate() {
        let l = &v.layers[c];
        let style = if s.cursor.list.is_none() && c == s.cursor.col {
            theme.style(Role::Heading)
        } else {
            theme.style(Role::Title)
        };
        put(
            buf,
            col_x(i),
            area.y,
            g.col_w,
            vec![
                Span::styled("│ ", border),
                Span::styled(
                    fit(&clean(&l.name), (g.col_w as usize).saturating_sub(2)),
                    style,
                ),
            ],
            None,
        );
    }
    let rule: String = "─".repeat(area.width as usize);
    // A horizontal rule across the grid, crossed at every column border.
    let draw_rule = |buf: &mut Buffer, y: u16| {
        put(
            buf,
            area.x,
            y,
            area.width,
            vec![Span::styled(rule.clone(), border)],
            None,
        );
        for i in 0..cols.len() {
            put(buf, col_x(i), y, 1, vec![Span::styled("┼", border)], None);
        }
    };
    draw_rule(buf, area.y + 1);

    // The scrolled region: rows, then the lists.
    let top = area.y + HEADER_LINES;
    let visible = |line: usize| line >= s.scroll && line < s.scroll + body_h;
    let y_of = |line: usize| top + (line - s.scroll) as u16;
    for (ri, row) in v.rows.iter().enumerate() {
        let t = g.row_tops[ri];
        let h = row_height(row);
        let rel = &row.release;
        let sel_row = s.cursor.list.is_none() && s.cursor.row == ri;
        let mut head: Vec<Vec<Span>> = vec![
            vec![Span::styled(
                fit(
                    &format!("{} {}", clean(&rel.id), clean(&rel.name)),
                    g.row_w as usize - 1,
                ),
                if sel_row {
                    theme.style(Role::Heading)
                } else {
                    theme.style(Role::Title)
                },
            )],
            vec![Span::styled(
                fit(
                    &rel.target
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "no target".into()),
                    g.row_w as usize - 1,
                ),
                dim,
            )],
            vec![Span::styled(
                vocab::status(rel.status),
                theme.style(Role::Status(rel.status)),
            )],
        ];
        if let Some(hl) = rel.health.filter(|h| h.is_troubled()) {
            head.push(vec![Span::styled(
                vocab::health(hl),
                theme.style(Role::Health(hl)),
            )]);
        }
        // The release's total, said as its cells say theirs (work without
        // an estimate counted apart: `+1?`).
        let total: f64 = row.effort.iter().map(|e| e.days).sum();
        let unestimated: usize = row.effort.iter().map(|e| e.unestimated).sum();
        let mut sum = format!("Σ {}", vocab::effort(total));
        if unestimated > 0 {
            sum.push_str(&format!(" +{unestimated}?"));
        }
        head.push(vec![Span::styled(fit(&sum, g.row_w as usize - 1), dim)]);
        for (k, spans) in head.into_iter().enumerate() {
            if visible(t + k) {
                put(buf, area.x, y_of(t + k), g.row_w - 1, spans, None);
            }
        }
        for (i, &c) in cols.iter().enumerate() {
            let cards = &row.cells[c];
            let w = g.col_w as usize - 2;
            for k in 0..h {
                if !visible(t + k) {
                    continue;
                }
                let y = y_of(t + k);
                put(buf, col_x(i), y, 1, vec![Span::styled("│", border)], None);
                let card_at = k.checked_sub(CELL_HEAD);
                let selected = sel_row
                    && s.cursor.col == c
                    && (card_at == Some(s.cursor.item) || (cards.is_empty() && k == 0));
                let sel = selected.then_some(theme);
                match card_at.and_then(|j| cards.get(j)) {
                    Some(card) => {
                        let mut spans = vec![Span::styled(
                            format!("{} ", status_glyph(card.status)),
                            theme.style(Role::Status(card.status)),
                        )];
                        let mut title_w = w.saturating_sub(2);
                        let mark = card.health.filter(|h| h.is_troubled());
                        if mark.is_some() {
                            title_w = title_w.saturating_sub(2);
                        }
                        if card.critical {
                            title_w = title_w.saturating_sub(2);
                        }
                        let title_role = if card.critical {
                            Role::Warn
                        } else {
                            Role::Plain
                        };
                        spans.push(Span::styled(
                            fit(&clean(&card.title), title_w),
                            theme.style(title_role),
                        ));
                        if card.critical {
                            spans.push(Span::styled(
                                format!(" {}", vocab::CRITICAL),
                                theme.style(Role::Warn),
                            ));
                        }
                        if let Some(hl) = mark {
                            spans.push(Span::styled(" ▲", theme.style(Role::Health(hl))));
                        }
                        put(buf, col_x(i) + 1, y, g.col_w - 1, spans, sel);
                    }
                    None if k == 0 => {
                        let head = cell_head(cards, row.effort.get(c));
                        put(
                            buf,
                            col_x(i) + 1,
                            y,
                            g.col_w - 1,
                            vec![Span::styled(fit(&format!(" {head}"), w), dim)],
                            sel,
                        );
                    }
                    None => {}
                }
            }
        }
        let rule_line = t + h;
        if visible(rule_line) {
            draw_rule(buf, y_of(rule_line));
        }
    }
    if v.rows.is_empty() && visible(0) {
        put(
            buf,
            area.x,
            top,
            area.width,
            vec![Span::styled("(no releases)", dim)],
            None,
        );
    }
    let start = g.list_start();
    let first_doc_line = s.scroll.max(start);
    if first_doc_line < s.scroll + body_h {
        let y = y_of(first_doc_line);
        let h = (s.scroll + body_h - first_doc_line) as u16;
        let rect = Rect::new(area.x, y, area.width, h);
        doc.render(rect, buf, theme, s.cursor.list, first_doc_line - start);
    }

    // Info panel: what the cursor is on.
    let info_y = area.y + area.height.saturating_sub(INFO_LINES);
    if area.height > HEADER_LINES + INFO_LINES {
        put(
            buf,
            area.x,
            info_y,
            area.width,
            vec![Span::styled(rule, border)],
            None,
        );
        let lines = info(v, &s.cursor);
        for (k, l) in lines.into_iter().take(INFO_LINES as usize - 1).enumerate() {
            put(
                buf,
                area.x,
                info_y + 1 + k as u16,
                area.width,
                vocab::fit_runs(l, area.width as usize)
                    .into_iter()
                    .map(|(t, r)| Span::styled(t, theme.style(r)))
                    .collect(),
                None,
            );
        }
    }
}

/// Two lines about the cell or card under the cursor.
fn info(v: &EngineeringView, c: &GridCursor) -> Vec<Vec<(String, Role)>> {
    if c.list.is_some() {
        return vec![vec![(
            "Enter: detail of the selected item".into(),
            Role::Dim,
        )]];
    }
    let Some(row) = v.rows.get(c.row) else {
        return vec![];
    };
    let layer = v
        .layers
        .get(c.col)
        .map(|l| clean(&l.name))
        .unwrap_or_default();
    let Some(card) = row.cells.get(c.col).and_then(|x| x.get(c.item)) else {
        return vec![vec![
            (
                format!("{} × {layer}: ", clean(&row.release.id)),
                Role::Title,
            ),
            (
                "no work — this release does not touch this layer".into(),
                Role::Dim,
            ),
        ]];
    };
    let mut l1 = vec![
        (format!("{} ", clean(&card.key)), Role::Dim),
        (clean(&card.title), Role::Title),
        (
            format!("  feature: {}", clean(&card.feature_title)),
            Role::Dim,
        ),
    ];
    if let Some(h) = card.health {
        l1.push((format!("  {}", vocab::health(h)), Role::Health(h)));
    }
    let mut parts = vec![vocab::status(card.status)];
    parts.extend(vocab::work_details(card));
    parts.extend(vocab::schedule_facts(card).into_iter().map(|(t, _)| t));
    if !card.depends_on.is_empty() {
        parts.push(format!(
            "needs {}",
            card.depends_on
                .iter()
                .map(|d| clean(d))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !card.depended_on_by.is_empty() {
        parts.push(format!(
            "needed by {}",
            card.depended_on_by
                .iter()
                .map(|d| clean(d))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(i) = &card.interface {
        parts.push(format!("⇄ {}", clean(i)));
    }
    vec![l1, vec![(parts.join(vocab::DOT), Role::Plain)]]
}
