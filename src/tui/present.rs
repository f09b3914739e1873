//! Presentation mode: the current lens full screen, one slide per release
//! (or layer, or sales period), large and uncluttered.
//!
//! A slide taller than the screen is paged, never cut: its title stays at
//! the top of every page, the footer says `page 1/3`, and `Space` steps
//! through the pages and then to the next slide. Pages break between items
//! (a feature and its text stay together) unless one item alone is taller
//! than a page.

use super::app::{App, Tab};
use super::doc::clean;
use super::theme::{Role, Theme};
use super::views::Views;
use crate::lens::{SalesFeature, When};
use crate::vocab::{self, GLUE};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Where presentation mode is: a slide, and a page of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub slide: usize,
    pub page: usize,
}

/// How many slides the current tab has.
pub fn slides(app: &App) -> usize {
    let Some(v) = app.views() else { return 0 };
    match app.tab {
        Tab::Exec => v.exec.timeline.iter().map(|b| b.releases.len()).sum(),
        Tab::Sales => sales_slides(v).len(),
        Tab::Eng => v.eng().rows.len(),
        Tab::Layers => v.layer_count(),
        Tab::History => 0,
    }
}

/// Sales slides: public features by when customers can have them, in time
/// order (available now, then each period by its end, exploring last).
fn sales_slides(v: &Views) -> Vec<(String, Vec<&SalesFeature>)> {
    let today = v.roadmap.today;
    let mut slides: Vec<(Option<When>, Vec<&SalesFeature>)> = vec![];
    for f in v.sales.groups.iter().flat_map(|g| &g.features) {
        let w = f.when;
        match slides.iter_mut().find(|(k, _)| *k == w) {
            Some((_, fs)) => fs.push(f),
            None => slides.push((w, vec![f])),
        }
    }
    slides.sort_by_key(|(w, _)| vocab::sales_when_key(w.as_ref(), today));
    slides
        .into_iter()
        .map(|(w, fs)| {
            let title = match w {
                None => vocab::commitment(crate::model::Commitment::Exploring).to_string(),
                Some(w) => capitalized(&w.to_string()),
            };
            (title, fs)
        })
        .collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One slide laid out for a width: the lines kept at the top of every page,
/// and the blocks under them (a block is not split unless it alone is
/// taller than a page).
struct Slide {
    /// The roadmap's title (the dim top line).
    heading: String,
    title: Vec<Line<'static>>,
    blocks: Vec<Vec<Line<'static>>>,
    width: usize,
    theme: Theme,
}

type Parts = Vec<(String, Role)>;

/// A tag after the text before it (`   ▲ at-risk`), never broken from it.
fn tag(s: &str) -> String {
    format!("{GLUE}{GLUE}{GLUE}{}", vocab::glued(s))
}

/// `v1  Vibration monitoring`.
fn named(id: &str, name: &str) -> String {
    format!("{}{GLUE}{GLUE}{}", clean(id), clean(name))
}

impl Slide {
    fn new(theme: &Theme, width: usize) -> Slide {
        Slide {
            heading: String::new(),
            title: vec![],
            blocks: vec![],
            width: width.max(10),
            theme: *theme,
        }
    }

    fn lines(&self, indent: usize, hang: usize, parts: &Parts) -> Vec<Line<'static>> {
        let w = |pad: usize| self.width.saturating_sub(pad).max(10);
        vocab::wrap_styled(parts, w(indent), w(hang))
            .into_iter()
            .enumerate()
            .map(|(i, runs)| {
                let pad = if i == 0 { indent } else { hang };
                let mut spans = vec![Span::raw(" ".repeat(pad))];
                spans.extend(
                    runs.into_iter()
                        .map(|(t, r)| Span::styled(t, self.theme.style(r))),
                );
                Line::from(spans)
            })
            .collect()
    }

    /// Lines at the top of every page (then a blank line).
    fn title(&mut self, text: String) {
        let style = self
            .theme
            .style(Role::Heading)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        let lines = self.lines(0, 0, &vec![(text, Role::Heading)]);
        self.title
            .extend(lines.into_iter().map(|l| l.patch_style(style)));
        self.title.push(Line::raw(""));
    }

    /// Start a block (after a blank line, which a page never starts with).
    fn block(&mut self) {
        self.blocks.push(vec![Line::raw("")]);
    }

    /// Wrapped text in the current block.
    fn add(&mut self, indent: usize, hang: usize, parts: Parts) {
        let lines = self.lines(indent, hang, &parts);
        match self.blocks.last_mut() {
            Some(b) => b.extend(lines),
            None => self.blocks.push(lines),
        }
    }

    /// Sanitized prose in the current block.
    fn prose(&mut self, indent: usize, text: &str, role: Role) {
        let text = crate::text::sanitize(text).into_owned();
        self.add(indent, indent, vec![(text, role)]);
    }

    /// The pages of `rows` lines each (title included).
    fn pages(&self, rows: usize) -> Vec<Vec<Line<'static>>> {
        let room = rows.saturating_sub(self.title.len()).max(1);
        let blank = |l: &Line<'_>| l.spans.iter().all(|s| s.content.trim().is_empty());
        let mut pages: Vec<Vec<Line<'static>>> = vec![vec![]];
        for b in &self.blocks {
            let used = pages.last().map_or(0, Vec::len);
            // Keep a block whole when it fits a page.
            let len = b.iter().skip_while(|l| blank(l)).count();
            if used > 0 && used + b.len() > room && len <= room {
                pages.push(vec![]);
            }
            for l in b {
                if pages.last().is_some_and(|p| p.len() >= room) {
                    pages.push(vec![]);
                }
                let Some(page) = pages.last_mut() else { break };
                if page.is_empty() && blank(l) {
                    continue;
                }
                page.push(l.clone());
            }
        }
        if pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
            pages.pop();
        }
        pages
            .into_iter()
            .map(|p| self.title.iter().cloned().chain(p).collect())
            .collect()
    }
}

/// The slide `slide` of `tab`, laid out `width` columns wide.
fn slide(v: &Views, tab: Tab, index: usize, theme: &Theme, width: usize) -> Option<Slide> {
    let mut s = Slide::new(theme, width);
    match tab {
        Tab::Exec => {
            let (bucket, rel) = v
                .exec
                .timeline
                .iter()
                .flat_map(|b| b.releases.iter().map(move |r| (b, r)))
                .nth(index)?;
            s.heading = clean(&v.exec.roadmap.title);
            s.title
                .push(Line::styled(clean(&bucket.label), theme.style(Role::Dim)));
            s.title(named(&rel.id, &rel.name));
            let span = vocab::span(rel.start, rel.target);
            let facts = vocab::facts(rel.status, rel.health, rel.confidence, span);
            let facts: Parts = facts
                .into_iter()
                .map(|(t, r)| (vocab::glued(&t), r))
                .collect();
            s.add(0, 0, vocab::dotted(facts));
            if let Some(c) = &rel.critical_path {
                let mut line = vec![("critical path: ".into(), Role::Dim)];
                line.extend(vocab::critical_path(c));
                s.add(0, 2, line);
            }
            if let Some(e) = vocab::effort_share(&rel.effort) {
                s.add(0, 2, vec![("effort: ".into(), Role::Dim), (e, Role::Plain)]);
            }
            if let Some(sum) = &rel.summary {
                s.block();
                s.prose(0, sum, Role::Plain);
            }
            // The themes this release's features serve, found by release id.
            let themes: Vec<_> = v
                .exec
                .themes
                .iter()
                .filter(|t| t.features.iter().any(|f| f.release == rel.id))
                .collect();
            for (i, t) in themes.iter().enumerate() {
                s.block();
                if i == 0 {
                    s.add(0, 0, vec![("Outcomes".into(), Role::Heading)]);
                }
                s.add(2, 4, vec![(format!("◆ {}", clean(&t.title)), Role::Plain)]);
                if let Some(m) = &t.metric {
                    let text = format!("{}: {}", clean(&m.name), vocab::metric_line(m));
                    s.add(4, 4, vec![(text, Role::Dim)]);
                }
            }
            if rel.features.is_empty() {
                s.block();
                s.add(0, 0, vec![("Features".into(), Role::Heading)]);
                s.add(2, 2, vec![("no features yet".into(), Role::Dim)]);
            }
            for (i, f) in rel.features.iter().enumerate() {
                s.block();
                if i == 0 {
                    s.add(0, 0, vec![("Features".into(), Role::Heading)]);
                }
                let mut l = vec![
                    (
                        format!("{} ", vocab::status_glyph(f.status)),
                        Role::Status(f.status),
                    ),
                    (clean(&f.title), Role::Title),
                ];
                if let Some(h) = f.health.filter(|h| h.is_troubled()) {
                    l.push((tag(&vocab::health(h)), Role::Health(h)));
                }
                // As the Executive tab tags it: the presenter knows not to
                // promise it.
                if f.visibility != crate::model::Visibility::Public {
                    l.push((tag(vocab::INTERNAL), Role::Dim));
                }
                s.add(2, 4, l);
                if let Some(b) = &f.business_value {
                    s.prose(4, b, Role::Dim);
                }
            }
        }
        Tab::Sales => {
            let slides = sales_slides(v);
            let (when, fs) = slides.get(index)?;
            s.heading = clean(&v.sales.roadmap.title);
            s.title(when.clone());
            for f in fs {
                s.block();
                let c = v
                    .sales
                    .groups
                    .iter()
                    .find(|g| g.features.iter().any(|x| x.id == f.id))
                    .map(|g| g.commitment);
                let mut l = vec![
                    (vocab::BULLET.to_string(), Role::Title),
                    (clean(&f.title), Role::Title),
                ];
                // Committed or planned: what may be promised, on every feature.
                if let Some(c) = c {
                    l.push((tag(vocab::commitment_tag(c)), Role::Commitment(c)));
                }
                s.add(0, 2, l);
                if let Some(cv) = &f.customer_value {
                    s.prose(2, cv, Role::Plain);
                }
            }
        }
        Tab::Eng => {
            let row = v.eng().rows.get(index)?;
            let r = &row.release;
            s.heading = clean(&v.eng().roadmap.title);
            s.title(named(&r.id, &r.name));
            let span = vocab::span(None, r.target);
            let facts: Parts = vocab::facts(r.status, r.health, None, span)
                .into_iter()
                .map(|(t, r)| (vocab::glued(&t), r))
                .collect();
            s.add(0, 0, vocab::dotted(facts));
            for (layer, cards) in v.eng().layers.iter().zip(&row.cells) {
                s.block();
                s.add(0, 0, vec![(clean(&layer.name), Role::Heading)]);
                if cards.is_empty() {
                    s.add(2, 2, vec![("· no work in this release".into(), Role::Dim)]);
                }
                for c in cards {
                    let mut l = vec![
                        (
                            format!("{} ", vocab::status_glyph(c.status)),
                            Role::Status(c.status),
                        ),
                        (clean(&c.title), Role::Plain),
                    ];
                    if let Some(e) = &c.estimate {
                        l.push((tag(&clean(e)), Role::Dim));
                    }
                    s.add(2, 4, l);
                }
            }
        }
        Tab::Layers => {
            let lv = v.layer(index)?;
            s.heading = clean(&lv.roadmap.title);
            s.title(clean(&lv.layer.name));
            if let Some(t) = &lv.layer.team {
                s.add(0, 2, vec![(format!("team: {}", clean(t)), Role::Plain)]);
            }
            if let Some(c) = &lv.layer.cadence {
                s.add(0, 2, vec![(format!("cadence: {}", clean(c)), Role::Dim)]);
            }
            for sl in &lv.slices {
                s.block();
                let mut head = vec![(named(&sl.release.id, &sl.release.name), Role::Heading)];
                if let Some(span) = vocab::span(None, sl.release.target) {
                    head.push((tag(&span), Role::Dim));
                }
                s.add(0, 2, head);
                if sl.work.is_empty() {
                    s.add(2, 2, vec![("· nothing in this release".into(), Role::Dim)]);
                }
                for c in &sl.work {
                    s.add(
                        2,
                        4,
                        vec![
                            (
                                format!("{} ", vocab::status_glyph(c.status)),
                                Role::Status(c.status),
                            ),
                            (clean(&c.title), Role::Plain),
                        ],
                    );
                }
            }
            // The open decisions, each named (a page said "1 open
            // decision(s)" and no more).
            let open: Vec<_> = lv
                .decisions
                .iter()
                .flat_map(|c| &c.decisions)
                .filter(|d| d.status == crate::model::DecisionStatus::Open)
                .collect();
            if !open.is_empty() {
                s.block();
                let n = open.len();
                let plural = if n == 1 { "" } else { "s" };
                s.add(
                    0,
                    0,
                    vec![(format!("{n} open decision{plural}"), Role::Warn)],
                );
                for d in open {
                    s.add(
                        2,
                        4,
                        vec![("? ".into(), Role::Warn), (clean(&d.title), Role::Plain)],
                    );
                }
            }
        }
        Tab::History => return None,
    }
    Some(s)
}

/// Where the page text goes in `area`: x, the first row, width and rows.
fn geometry(area: Rect) -> (u16, u16, u16, u16) {
    let w = area.width.saturating_sub(4).min(96);
    let x = area.x + (area.width - w) / 2;
    let top = if area.height > 30 { 3 } else { 1 };
    let rows = area.height.saturating_sub(top + 2);
    (x, area.y + top, w, rows)
}

/// The pages of slide `index` on a screen of `area`.
fn pages(app: &App, index: usize, area: Rect) -> Option<(String, Vec<Vec<Line<'static>>>)> {
    let v = app.views()?;
    let (_, _, w, rows) = geometry(area);
    let s = slide(v, app.tab, index, &app.theme, w as usize)?;
    Some((s.heading.clone(), s.pages(rows as usize)))
}

fn page_count(app: &App, index: usize) -> usize {
    pages(app, index, app.size).map_or(1, |(_, p)| p.len())
}

/// The next page, else the first page of the next slide (stays on the last).
pub fn next(app: &App, pos: Pos) -> Pos {
    if pos.page + 1 < page_count(app, pos.slide) {
        Pos {
            page: pos.page + 1,
            ..pos
        }
    } else if pos.slide + 1 < slides(app) {
        Pos {
            slide: pos.slide + 1,
            page: 0,
        }
    } else {
        pos
    }
}

/// The previous page, else the last page of the previous slide.
pub fn prev(app: &App, pos: Pos) -> Pos {
    if pos.page > 0 {
        Pos {
            page: pos.page - 1,
            ..pos
        }
    } else if pos.slide > 0 {
        let slide = pos.slide - 1;
        Pos {
            slide,
            page: page_count(app, slide).saturating_sub(1),
        }
    } else {
        pos
    }
}

/// Keep `pos` on a slide and page that exist (after a reload or a resize).
pub fn clamp(app: &App, pos: Pos) -> Pos {
    let slide = pos.slide.min(slides(app).saturating_sub(1));
    let page = pos.page.min(page_count(app, slide).saturating_sub(1));
    Pos { slide, page }
}

pub fn render(app: &App, pos: Pos, area: Rect, buf: &mut Buffer) {
    if super::timeline::is_on(app) {
        super::timeline::render_present(app, area, buf);
        return;
    }
    let theme = &app.theme;
    let n = slides(app);
    let (x, y, w, rows) = geometry(area);
    let (heading, pages) = pages(app, pos.slide, area).unwrap_or_default();
    Line::styled(heading, theme.style(Role::Dim)).render(Rect::new(x, area.y, w, 1), buf);
    let page = pos.page.min(pages.len().saturating_sub(1));
    if n == 0 {
        Line::styled("nothing to present in this lens", theme.style(Role::Dim))
            .render(Rect::new(x, y, w, 1), buf);
    } else if let Some(lines) = pages.get(page) {
        for (i, l) in lines.iter().take(rows as usize).enumerate() {
            l.clone().render(Rect::new(x, y + i as u16, w, 1), buf);
        }
    }
    let keys: Vec<String> = super::keys::hints(&[super::keys::Ctx::Present])
        .into_iter()
        .map(|(k, _, t)| format!("{k} {t}"))
        .collect();
    let mut place = format!("slide {}/{n}", (pos.slide + 1).min(n));
    if pages.len() > 1 {
        place = format!("page {}/{} · {place}", page + 1, pages.len());
    }
    let footer = format!("{place}   {}", keys.join(" · "));
    Line::styled(vocab::fit(&footer, w as usize), theme.style(Role::Dim))
        .right_aligned()
        .render(
            Rect::new(x, area.y + area.height.saturating_sub(1), w, 1),
            buf,
        );
}
