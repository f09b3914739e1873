//! Drawing: a pure function of the app state.

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Tab, areas};
use super::doc::clean;
use super::grid::{self, fit};
use super::history;
use super::keys::{self, Action, Ctx, TABLE};
use super::search::Search;
use super::theme::{Role, Theme};
use crate::lens::file_name;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(area, buf, &app.theme);
        return;
    }
    if let Some(page) = app.present {
        super::present::render(app, page, area, buf);
        return;
    }
    let a = areas(area);
    header(app, a.header, buf);
    tabs(app, a.tabs, buf);
    main(app, a.main, buf);
    if let Some(s) = &app.search {
        search_results(s, a.main, buf, &app.theme);
        query_line(s, a.hints, buf, &app.theme);
    } else {
        hint_bar(app, a.hints, buf);
    }
    if let Some(scroll) = app.help {
        help(scroll, a.main, buf, &app.theme);
    }
    if let Some(sel) = app.picker {
        picker(app, sel, a.main, buf);
    }
    super::timeline::render_picker(app, a.main, buf);
}

fn too_small(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let text = vec![
        Line::styled("Terminal too small", theme.style(Role::Title)),
        Line::raw(format!(
            "{}x{}: roadlens needs at least {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
    ];
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

/// The labels of the tab bar, for drawing and for mouse clicks.
/// The tab bar's labels: the titles, or their short forms when the titles
/// do not fit in `width` columns (`1 Exec 2 Sales 3 Eng …` fits 40).
fn tab_labels(width: u16) -> Vec<String> {
    let full: Vec<String> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title()))
        .collect();
    let needed: usize = 1 + full.iter().map(|l| l.width() + 1).sum::<usize>();
    if needed <= width as usize {
        return full;
    }
    Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {}", i + 1, t.short()))
        .collect()
}

/// The tab under column `x` of the tab bar.
pub fn tab_at(x: u16, width: u16) -> Option<usize> {
    let mut start = 1u16;
    for (i, l) in tab_labels(width).iter().enumerate() {
        let w = l.width() as u16;
        if x >= start && x < start + w {
            return Some(i);
        }
        start += w + 1;
    }
    None
}

fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.bar());
    // Its title; a roadmap that does not load by its file's name, as the
    // tab's lens names a file (sales: not by its path).
    let tab_lens = app.tab_lens(app.tab);
    let title = match app.source() {
        Some(s) if s.roadmap().is_some() => s.title(),
        Some(s) => clean(&file_name(tab_lens.as_ref(), &s.display, Some("roadlens"))),
        None => "roadlens".into(),
    };
    let mut left = vec![(format!(" {title}"), Role::Title)];
    let lens = match app.tab {
        Tab::Layers if app.canvas => "Decision canvas".to_string(),
        Tab::Layers => match app.views().and_then(|v| v.layer(app.layer)) {
            Some(l) => format!("Layer: {}", clean(&l.layer.name)),
            None => "Layers".into(),
        },
        t => t.title().to_string(),
    };
    left.push((format!("  ▸ {lens}"), Role::Plain));
    let n = app.sources().len();
    if n > 1 {
        // Named as the tab's lens names a file (sales: by its title).
        let path = app
            .source()
            .map(|s| {
                let title = s.roadmap().map(|r| r.meta.title.as_str());
                clean(&file_name(
                    app.tab_lens(app.tab).as_ref(),
                    &s.display,
                    title,
                ))
            })
            .unwrap_or_default();
        left.push((format!("  [{}/{n} {path}]", app.current + 1), Role::Plain));
    }
    let right = match &app.travel {
        // Named as the tab's lens (History: its filter) names a revision.
        Some(t) => {
            let lens = match app.tab {
                Tab::History => app.history.filter.clone(),
                tab => app.tab_lens(tab),
            };
            let label = match lens {
                Some(crate::lens::Lens::Sales) => &t.sales_label,
                _ => &t.label,
            };
            format!("@ {} (O: back) ", clean(label))
        }
        None => "working tree ".into(),
    };
    let rw = right.width() as u16;
    let lw = area.width.saturating_sub(rw + 1);
    // Cut to its room with an ellipsis, as every line is.
    let left: Vec<Span> = crate::vocab::fit_runs(left, lw as usize)
        .into_iter()
        .map(|(t, r)| Span::styled(t, theme.bar().patch(theme.style(r))))
        .collect();
    Line::from(left)
        .style(theme.bar())
        .render(Rect::new(area.x, area.y, lw, 1), buf);
    let rstyle = if app.travel.is_some() {
        theme.bar().patch(theme.style(Role::Title))
    } else {
        theme.bar()
    };
    Line::styled(right, rstyle).render(
        Rect::new(
            area.x + area.width.saturating_sub(rw),
            area.y,
            rw.min(area.width),
            1,
        ),
        buf,
    );
}

fn tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, l) in tab_labels(area.width).into_iter().enumerate() {
        let style = if Tab::ALL[i] == app.tab {
            theme.tab_active()
        } else {
            Style::new()
        };
        spans.push(Span::styled(l, style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans).render(area, buf);
}

fn main(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    if app.tab == Tab::History {
        history::render(&app.history, area, buf, theme);
        return;
    }
    let Some(source) = app.source() else {
        let msg = match &app.load_error {
            Some(e) => clean(e),
            None if app.loading => "loading the roadmaps… (q quits)".into(),
            None => "no roadmap".into(),
        };
        Paragraph::new(vec![
            Line::raw(""),
            Line::styled(msg, theme.style(Role::Title)),
        ])
        .wrap(Wrap { trim: false })
        .render(area, buf);
        return;
    };
    let Some(v) = source.views.as_deref() else {
        diagnostics(app, area, buf);
        return;
    };
    if let Some(d) = &app.detail {
        d.doc.render(area, buf, theme, None, d.scroll);
        return;
    }
    if super::timeline::is_on(app) {
        super::timeline::render(app, area, buf);
        return;
    }
    let (area, preview) = if area.width >= 120 && app.preview.is_some() {
        // Pages are laid out for about 80 columns; the rest goes to the preview.
        let lw = super::app::list_width(area.width);
        (
            Rect::new(area.x, area.y, lw, area.height),
            Some(Rect::new(
                area.x + lw + 1,
                area.y,
                area.width - lw - 1,
                area.height,
            )),
        )
    } else {
        (area, None)
    };
    match app.tab {
        Tab::Eng => grid::render(v.eng(), v.eng_doc(), &app.grid, area, buf, theme),
        t => {
            if let Some((doc, nav)) = app.page(t) {
                doc.render(area, buf, theme, Some(nav.cursor), nav.scroll);
            }
        }
    }
    if let (Some(p), Some((_, _, doc))) = (preview, &app.preview) {
        for y in p.y..p.y + p.height {
            if let Some(c) = buf.cell_mut((p.x - 1, y)) {
                c.set_symbol("│").set_style(theme.border());
            }
        }
        doc.render(
            Rect::new(p.x + 1, p.y, p.width.saturating_sub(1), p.height),
            buf,
            theme,
            None,
            0,
        );
    }
}

/// A roadmap that does not load: its located errors instead of the lenses.
fn diagnostics(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(s) = app.source() else { return };
    let n = s.file.diagnostics.iter().filter(|d| d.is_error()).count();
    // A past revision cannot be fixed from here.
    let what = if app.travel.is_some() {
        "at this revision; O returns to the working tree."
    } else {
        "— fix and save; roadlens reloads it."
    };
    let lens = app.tab_lens(app.tab);
    let name = file_name(lens.as_ref(), &s.display, Some("This roadmap"));
    let mut lines = vec![
        Line::styled(
            format!(
                "{} has {n} error{} {what}",
                clean(&name),
                if n == 1 { "" } else { "s" }
            ),
            theme.style(Role::Bad),
        ),
        Line::raw(""),
    ];
    // The errors quote the file's lines (internal items, release ids):
    // not on the Sales tab, as History's sales filter does not show them.
    if lens.as_ref().is_some_and(|l| !l.reads_diagnostics()) {
        lines.push(Line::styled(
            "Where and what: any other tab (1, 3, 4), or roadlens check.",
            theme.style(Role::Dim),
        ));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(area, buf);
        return;
    }
    let text = s.file.render_diagnostics(false);
    for l in crate::text::sanitize(&text).lines() {
        lines.push(Line::raw(l.to_string()));
    }
    // Wrapped, not cut: the end of a message says what was expected.
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn highlighted(text: &str, indices: &[usize], base: Style, theme: &Theme) -> Vec<Span<'static>> {
    let m = theme.style(Role::Match);
    let mut spans = vec![];
    let mut cur = String::new();
    let mut cur_hit = false;
    let mut it = indices.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let hit = it.peek().is_some_and(|&&j| j == i);
        if hit {
            it.next();
        }
        if hit != cur_hit && !cur.is_empty() {
            let st = if cur_hit { base.patch(m) } else { base };
            spans.push(Span::styled(std::mem::take(&mut cur), st));
        }
        cur_hit = hit;
        cur.push(c);
    }
    if !cur.is_empty() {
        let st = if cur_hit { base.patch(m) } else { base };
        spans.push(Span::styled(cur, st));
    }
    spans
}

fn search_results(s: &Search, area: Rect, buf: &mut Buffer, theme: &Theme) {
    Clear.render(area, buf);
    let title = format!("Search: {} of {} items match", s.hits.len(), s.cands.len());
    Line::styled(title, theme.style(Role::Heading))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
    let rows = area.height.saturating_sub(1) as usize;
    let scroll = super::doc::keep_visible(0, s.selected, s.selected, rows);
    for (row, (i, h)) in s
        .hits
        .iter()
        .enumerate()
        .skip(scroll)
        .take(rows)
        .enumerate()
    {
        let c = &s.cands[h.cand];
        let y = area.y + 1 + row as u16;
        let rect = Rect::new(area.x, y, area.width, 1);
        let base = if i == s.selected {
            theme.selected()
        } else {
            Style::new()
        };
        let mut spans = vec![Span::styled(
            format!(" {:<9}", c.target.entity.as_str()),
            base.patch(if i == s.selected {
                Style::new()
            } else {
                theme.style(Role::Dim)
            }),
        )];
        let title_idx: &[usize] = if h.field == 0 { &h.indices } else { &[] };
        spans.extend(highlighted(&c.fields[0], title_idx, base, theme));
        if h.field > 0 {
            let text = &c.fields[h.field];
            spans.push(Span::styled("   ", base));
            spans.extend(highlighted(
                text,
                &h.indices,
                base.patch(if i == s.selected {
                    Style::new()
                } else {
                    theme.style(Role::Dim)
                }),
                theme,
            ));
        }
        if i == s.selected {
            buf.set_style(rect, theme.selected());
        }
        Line::from(super::doc::fit_spans(spans, rect.width as usize)).render(rect, buf);
    }
}

fn query_line(s: &Search, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let keys: Vec<String> = keys::hints(&[Ctx::Search])
        .into_iter()
        .map(|(k, _, t)| format!("{k} {t}"))
        .collect();
    let spans = vec![
        Span::styled("/", theme.style(Role::Key)),
        Span::raw(clean(&s.query)),
        Span::styled("▏", theme.style(Role::Key)),
        Span::styled(format!("   {}", keys.join(" · ")), theme.style(Role::Dim)),
    ];
    Line::from(spans).render(area, buf);
}

fn hint_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    if let Some(m) = &app.message {
        // A message wider than the bar (a report's path) wraps upward over
        // the screen's last lines: it is never cut.
        let lines = crate::vocab::wrap(&clean(m), (area.width as usize).saturating_sub(2).max(1));
        let n = (lines.len() as u16).clamp(1, area.y.max(1));
        let top = Rect::new(area.x, area.y + 1 - n, area.width, n);
        Clear.render(top, buf);
        for (i, l) in lines.iter().take(n as usize).enumerate() {
            let r = Rect::new(area.x, top.y + i as u16, area.width, 1);
            Line::styled(format!(" {l}"), theme.style(Role::Warn)).render(r, buf);
        }
        return;
    }
    let mut spans = vec![];
    let mut width = 0usize;
    // What this screen does first, then help and quit, then the keys that
    // work everywhere: on a narrow bar the screen's last keys and the
    // everywhere ones give way, help and quit never (they were cut at
    // 80 columns on the Executive tab).
    let rank = |a: &Action| match a {
        Action::Help | Action::Quit => 1,
        Action::Up | Action::Down | Action::Tab(_) => 2,
        _ => 0,
    };
    let mut hints = keys::hints(&app.contexts());
    hints.sort_by_key(|(_, a, _)| rank(a));
    // `v` where the lens has no timeline (the decision canvas) only says so.
    let no_timeline = app
        .tab_lens(app.tab)
        .is_some_and(|l| !crate::lens::timeline::has_timeline(&l));
    hints.retain(|(_, a, _)| !(*a == Action::ToggleTimeline && no_timeline));
    let hint_width = |k: &str, text: &str| k.width() + text.width() + 3;
    let kept: usize = hints
        .iter()
        .filter(|(_, a, _)| rank(a) == 1)
        .map(|(k, _, t)| hint_width(k, t))
        .sum();
    let mut screen_full = false;
    for (k, action, text) in hints {
        let text = if action == Action::CycleFilter {
            format!(
                "{text}: {}",
                history::filter_name(app.history.filter.as_ref())
            )
        } else {
            text.to_string()
        };
        let w = hint_width(&k, &text);
        let room = match rank(&action) {
            0 => (area.width as usize).saturating_sub(kept),
            _ => area.width as usize,
        };
        if screen_full && rank(&action) == 0 {
            continue;
        }
        if width + w > room {
            if rank(&action) == 0 {
                screen_full = true;
                continue;
            }
            break;
        }
        width += w;
        spans.push(Span::styled(format!(" {k}"), theme.style(Role::Key)));
        spans.push(Span::raw(format!(" {text} ")));
    }
    Line::from(spans).render(area, buf);
}

/// Every key, from the key table, grouped by where it applies, for a help
/// box `width` columns wide inside: each description wraps under itself.
pub fn help_lines(theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let order = [
        Ctx::Global,
        Ctx::Move,
        Ctx::Lens,
        Ctx::Items,
        Ctx::Layers,
        Ctx::History,
        Ctx::DiffZoom,
        Ctx::Detail,
        Ctx::Search,
        Ctx::Present,
        Ctx::Picker,
        Ctx::Help,
        Ctx::Timeline,
        Ctx::BaselinePicker,
    ];
    let mut out = vec![Line::styled(
        "Every key (Esc or ? closes; j/k scroll)",
        theme.style(Role::Dim),
    )];
    // A key in its column, then what it does, wrapped under itself.
    let key_line = |out: &mut Vec<Line<'static>>, key: &str, what: &str| {
        let avail = (width as usize).saturating_sub(26).max(16);
        for (i, l) in crate::vocab::wrap(what, avail).into_iter().enumerate() {
            let k = if i == 0 { key } else { "" };
            out.push(Line::from(vec![
                Span::styled(format!("  {k:<24}"), theme.style(Role::Key)),
                Span::raw(l),
            ]));
        }
    };
    for ctx in order {
        out.push(Line::raw(""));
        out.push(Line::styled(
            ctx.title().to_string(),
            theme.style(Role::Heading),
        ));
        for b in TABLE.iter().filter(|b| b.context == ctx) {
            key_line(&mut out, &keys::keys_label(b), b.description);
        }
        if ctx == Ctx::Move {
            key_line(
                &mut out,
                "mouse (with --mouse)",
                "wheel moves, click selects a tab, an item or a cell",
            );
        }
        if ctx == Ctx::Search {
            key_line(
                &mut out,
                "any character",
                "type the query (matches are ranked as you type)",
            );
        }
    }
    out
}

fn help(scroll: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    Clear.render(area, buf);
    let block = Block::bordered()
        .title(" Help ")
        .border_style(theme.border());
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = help_lines(theme, inner.width);
    let max = lines.len().saturating_sub(inner.height as usize);
    Paragraph::new(lines)
        .scroll((scroll.min(max) as u16, 0))
        .render(inner, buf);
}

fn picker(app: &App, sel: usize, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let sources = app.sources();
    let w = area.width.saturating_sub(4).min(90);
    let h = (sources.len() as u16 + 2).min(area.height);
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(" Roadmaps (Enter opens) ")
        .border_style(theme.border());
    let inner = block.inner(rect);
    block.render(rect, buf);
    for (i, s) in sources.iter().enumerate().take(inner.height as usize) {
        let errors = s.file.diagnostics.iter().filter(|d| d.is_error()).count();
        let state = if errors > 0 {
            format!("  {errors} error{}", if errors == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        // A file named as the tab's lens names it (sales: by its title alone).
        let (title, lens) = (s.title(), app.tab_lens(app.tab));
        let loaded = s.roadmap().map(|r| r.meta.title.as_str());
        let name = clean(&file_name(lens.as_ref(), &s.display, loaded));
        let named = if name == title {
            format!("{title}{state}")
        } else {
            format!("{title}  {name}{state}")
        };
        let text = fit(&named, inner.width as usize);
        let style = if i == sel {
            theme.selected()
        } else {
            Style::new()
        };
        let r = Rect::new(inner.x, inner.y + i as u16, inner.width, 1);
        buf.set_style(r, style);
        Line::styled(text, style).render(r, buf);
    }
}
