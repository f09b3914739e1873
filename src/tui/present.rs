//! Presentation mode: the current lens full screen, one release (or one
//! layer, or one sales horizon) per page, large and uncluttered.

use super::app::{App, Tab};
use super::doc::{clean, wrap};
use super::theme::{Role, Theme};
use super::views::{Views, health_label, metric_text, status_glyph};
use crate::lens::{SalesFeature, SalesView};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// How many pages the current tab has.
pub fn pages(app: &App) -> usize {
    let Some(v) = app.views() else { return 0 };
    match app.tab {
        Tab::Exec => v.exec.timeline.iter().map(|b| b.releases.len()).sum(),
        Tab::Sales => sales_pages(&v.sales).len(),
        Tab::Eng => v.eng().rows.len(),
        Tab::Layers => v.layer_count(),
        Tab::History => 0,
    }
}

/// Sales pages: public features by when customers can have them (available
/// now, then each period in order of first appearance, exploring last).
fn sales_pages(v: &SalesView) -> Vec<(String, Vec<&SalesFeature>)> {
    let mut pages: Vec<(String, Vec<&SalesFeature>)> = vec![];
    let mut exploring = vec![];
    let mut now = vec![];
    for g in &v.groups {
        for f in &g.features {
            match &f.when {
                None => exploring.push(f),
                Some(crate::lens::When::AvailableNow) => now.push(f),
                Some(w) => {
                    let w = w.to_string();
                    match pages.iter_mut().find(|(k, _)| *k == w) {
                        Some((_, fs)) => fs.push(f),
                        None => pages.push((w, vec![f])),
                    }
                }
            }
        }
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = vec![];
    if !now.is_empty() {
        out.push(("Available now".to_string(), now));
    }
    out.extend(pages);
    if !exploring.is_empty() {
        out.push(("Exploring".to_string(), exploring));
    }
    out
}

fn title(text: String, theme: &Theme) -> Line<'static> {
    Line::styled(
        text,
        theme
            .style(Role::Heading)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )
}

/// Untrusted prose, sanitized and wrapped with a hanging indent.
fn prose(out: &mut Vec<Line<'static>>, indent: usize, text: &str, style: Style, width: usize) {
    let pad = " ".repeat(indent);
    for l in wrap(&clean(text), width.saturating_sub(indent).max(10)) {
        out.push(Line::styled(format!("{pad}{l}"), style));
    }
}

fn page_lines(
    v: &Views,
    tab: Tab,
    page: usize,
    theme: &Theme,
    width: usize,
    compact: bool,
) -> (String, Vec<Line<'static>>) {
    let st = |r: Role| theme.style(r);
    let mut out: Vec<Line<'static>> = vec![];
    let blank = || Line::raw("");
    match tab {
        Tab::Exec => {
            let Some((bucket, rel)) = v
                .exec
                .timeline
                .iter()
                .flat_map(|b| b.releases.iter().map(move |r| (b, r)))
                .nth(page)
            else {
                return (String::new(), out);
            };
            out.push(Line::styled(clean(&bucket.label), st(Role::Dim)));
            out.push(title(
                format!("{}  {}", clean(&rel.id), clean(&rel.name)),
                theme,
            ));
            out.push(blank());
            let mut l = vec![Span::styled(
                format!("{} {}", status_glyph(rel.status), rel.status),
                st(Role::Status(rel.status)),
            )];
            if let Some(h) = rel.health {
                l.push(Span::raw("   "));
                l.push(Span::styled(health_label(h), st(Role::Health(h))));
            }
            if let Some(c) = rel.confidence {
                l.push(Span::raw(format!("   confidence {c}")));
            }
            if let Some(t) = &rel.target {
                l.push(Span::styled(
                    format!("   target {}", clean(t)),
                    st(Role::Title),
                ));
            }
            out.push(Line::from(l));
            if let Some(c) = &rel.critical_layer {
                out.push(Line::from(vec![
                    Span::styled("critical path: ", st(Role::Dim)),
                    Span::styled(clean(c), st(Role::Warn)),
                ]));
            }
            out.push(blank());
            if let Some(s) = &rel.summary {
                prose(&mut out, 0, s, st(Role::Plain), width);
                out.push(blank());
            }
            if !rel.themes.is_empty() {
                out.push(Line::styled("Outcomes", st(Role::Heading)));
                for t in &rel.themes {
                    out.push(Line::raw(format!("  ◆ {}", clean(t))));
                    let metric = v
                        .exec
                        .themes
                        .iter()
                        .find(|x| x.title == *t)
                        .and_then(|x| x.metric.as_ref());
                    if let Some(m) = metric {
                        let text = format!("{}: {}", m.name, metric_text(m));
                        prose(&mut out, 4, &text, st(Role::Dim), width);
                    }
                }
                out.push(blank());
            }
            out.push(Line::styled("Features", st(Role::Heading)));
            for f in &rel.features {
                let mut l = vec![
                    Span::styled(
                        format!("  {} ", status_glyph(f.status)),
                        st(Role::Status(f.status)),
                    ),
                    Span::styled(clean(&f.title), st(Role::Title)),
                ];
                if let Some(h) = f.health.filter(|h| h.is_troubled()) {
                    l.push(Span::styled(
                        format!("   {}", health_label(h)),
                        st(Role::Health(h)),
                    ));
                }
                out.push(Line::from(l));
                if let Some(b) = f.business_value.as_ref().filter(|_| !compact) {
                    prose(&mut out, 6, b, st(Role::Dim), width);
                }
            }
            (clean(&v.exec.roadmap.title), out)
        }
        Tab::Sales => {
            let pages = sales_pages(&v.sales);
            let Some((when, fs)) = pages.get(page) else {
                return (String::new(), out);
            };
            out.push(title(clean(when), theme));
            out.push(blank());
            for f in fs {
                out.push(Line::styled(
                    format!("● {}", clean(&f.title)),
                    st(Role::Title),
                ));
                if let Some(cv) = &f.customer_value {
                    prose(&mut out, 2, cv, st(Role::Plain), width);
                }
                out.push(blank());
            }
            (clean(&v.sales.roadmap.title), out)
        }
        Tab::Eng => {
            let Some(row) = v.eng().rows.get(page) else {
                return (String::new(), out);
            };
            let r = &row.release;
            out.push(title(
                format!("{}  {}", clean(&r.id), clean(&r.name)),
                theme,
            ));
            let mut l = vec![Span::styled(
                format!("{} {}", status_glyph(r.status), r.status),
                st(Role::Status(r.status)),
            )];
            if let Some(t) = &r.target {
                l.push(Span::raw(format!("   target {}", clean(t))));
            }
            out.push(Line::from(l));
            out.push(blank());
            for (layer, cards) in v.eng().layers.iter().zip(&row.cells) {
                out.push(Line::styled(clean(&layer.name), st(Role::Heading)));
                if cards.is_empty() {
                    out.push(Line::styled("  · no work in this release", st(Role::Dim)));
                }
                for c in cards {
                    let mut l = vec![
                        Span::styled(
                            format!("  {} ", status_glyph(c.status)),
                            st(Role::Status(c.status)),
                        ),
                        Span::raw(clean(&c.title)),
                    ];
                    if let Some(e) = &c.estimate {
                        l.push(Span::styled(format!("   {}", clean(e)), st(Role::Dim)));
                    }
                    out.push(Line::from(l));
                }
            }
            (clean(&v.eng().roadmap.title), out)
        }
        Tab::Layers => {
            let Some(lv) = v.layer(page) else {
                return (String::new(), out);
            };
            out.push(title(clean(&lv.layer.name), theme));
            let mut l = vec![];
            if let Some(t) = &lv.layer.team {
                l.push(Span::raw(format!("team {}", clean(t))));
            }
            if let Some(c) = &lv.layer.cadence {
                l.push(Span::styled(
                    format!("   cadence: {}", clean(c)),
                    st(Role::Dim),
                ));
            }
            out.push(Line::from(l));
            out.push(blank());
            for s in &lv.slices {
                out.push(Line::from(vec![
                    Span::styled(
                        format!("{}  {}", clean(&s.release.id), clean(&s.release.name)),
                        st(Role::Heading),
                    ),
                    Span::styled(
                        s.release
                            .target
                            .as_deref()
                            .map(|t| format!("   {}", clean(t)))
                            .unwrap_or_default(),
                        st(Role::Dim),
                    ),
                ]));
                if s.work.is_empty() {
                    out.push(Line::styled("  · nothing in this release", st(Role::Dim)));
                }
                for c in &s.work {
                    out.push(Line::from(vec![
                        Span::styled(
                            format!("  {} ", status_glyph(c.status)),
                            st(Role::Status(c.status)),
                        ),
                        Span::raw(clean(&c.title)),
                    ]));
                }
            }
            let open: usize = lv
                .decisions
                .iter()
                .flat_map(|c| &c.decisions)
                .filter(|d| d.status == crate::model::DecisionStatus::Open)
                .count();
            if open > 0 {
                out.push(blank());
                out.push(Line::styled(
                    format!("{open} open decision(s)"),
                    st(Role::Warn),
                ));
            }
            (clean(&lv.roadmap.title), out)
        }
        Tab::History => (String::new(), out),
    }
}

pub fn render(app: &App, page: usize, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(v) = app.views() else { return };
    let n = pages(app);
    let w = area.width.saturating_sub(4).min(96);
    let page_at = |compact| page_lines(v, app.tab, page, theme, w as usize, compact);
    let (heading, mut lines) = page_at(false);
    if lines.len() > area.height.saturating_sub(4) as usize {
        // Too tall: leave out the secondary text (business values).
        lines = page_at(true).1;
    }
    let x = area.x + (area.width - w) / 2;
    let top = if area.height > 30 { 3 } else { 1 };
    let body = Rect::new(x, area.y + top, w, area.height.saturating_sub(top + 2));
    Line::styled(heading, theme.style(Role::Dim)).render(Rect::new(x, area.y, w, 1), buf);
    if n == 0 {
        Line::styled("nothing to present in this lens", theme.style(Role::Dim)).render(body, buf);
    } else {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(body, buf);
    }
    let keys: Vec<String> = super::keys::hints(&[super::keys::Ctx::Present])
        .into_iter()
        .map(|(k, _, t)| format!("{k} {t}"))
        .collect();
    let footer = format!("{} / {}   {}", (page + 1).min(n), n, keys.join(" · "));
    Line::styled(footer, theme.style(Role::Dim))
        .right_aligned()
        .render(
            Rect::new(x, area.y + area.height.saturating_sub(1), w, 1),
            buf,
        );
}
