//! Printing lens views as text, markdown or JSON.
//!
//! The printers read only the view (never the roadmap), so each format shows
//! exactly what the lens shows. Every roadmap string goes through
//! [`crate::text::sanitize_line`] / [`crate::text::sanitize`] in text and
//! markdown; JSON is escaped by serde_json and then by [`to_json`], which also
//! writes invisible format characters (bidi, zero-width, C1, DEL) as `\uXXXX`.
//!
//! Text is laid out for 80 columns (long text wraps), readable without
//! colour; `color` adds ANSI styling from the terminal's own 16 colours.

use super::Format;
use crate::lens::{
    DepEdge, EngineeringView, ExecRelease, ExecTheme, ExecView, InterfaceLine, LayerHead,
    LayerView, LensView, MetricLine, ReleaseHead, SalesView, When, WorkCard, fmt_num,
};
use crate::model::{Commitment, Health, Status, Visibility};
use crate::text::{sanitize, sanitize_line};
use serde::Serialize;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Text output width.
pub const WIDTH: usize = 80;

/// Render a view in `format`. `color` applies to text only.
pub fn render(view: &LensView, format: Format, color: bool) -> String {
    match format {
        Format::Json => {
            let mut s = to_json(view);
            s.push('\n');
            s
        }
        Format::Text => {
            let mut d = Doc::new(color);
            match view {
                LensView::Exec(v) => text_exec(&mut d, v),
                LensView::Sales(v) => text_sales(&mut d, v),
                LensView::Engineering(v) => text_engineering(&mut d, v),
                LensView::Layer(v) => text_layer(&mut d, v),
            }
            d.finish()
        }
        Format::Markdown => {
            let mut m = Md::default();
            match view {
                LensView::Exec(v) => md_exec(&mut m, v),
                LensView::Sales(v) => md_sales(&mut m, v),
                LensView::Engineering(v) => md_engineering(&mut m, v),
                LensView::Layer(v) => md_layer(&mut m, v),
            }
            m.finish()
        }
    }
}

/// Pretty JSON of any value, with every character that must not reach a
/// terminal raw (see [`is_unsafe_char`]) written as a `\uXXXX` escape.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    crate::text::json_safe(s)
}

// ------------------------------------------------------------ shared words

fn lens_title(view: &LensView) -> String {
    match view {
        LensView::Exec(_) => "executive view".into(),
        LensView::Sales(_) => "sales view".into(),
        LensView::Engineering(_) => "engineering view".into(),
        LensView::Layer(v) => format!("{} layer", sanitize_line(&v.layer.name)),
    }
}

fn commitment_title(c: Commitment) -> &'static str {
    match c {
        Commitment::Committed => "Committed",
        Commitment::Planned => "Planned",
        Commitment::Exploring => "Exploring",
    }
}

fn health_style(h: Health) -> St {
    match h {
        Health::OnTrack => St::Green,
        Health::AtRisk => St::Yellow,
        Health::OffTrack | Health::Blocked => St::Red,
    }
}

fn status_style(s: Status) -> St {
    match s {
        Status::Shipped => St::Green,
        Status::Cancelled | Status::Deferred => St::Dim,
        Status::InProgress => St::Cyan,
        Status::Planned => St::Plain,
    }
}

/// "62% → 90%", "41 → 28 hours", "? → 5 s".
fn metric_values(m: &MetricLine) -> String {
    let v = |x: Option<f64>| x.map(fmt_num).unwrap_or_else(|| "?".into());
    match m.unit.as_deref().map(sanitize_line) {
        Some(u) if u == "%" => format!("{}% → {}%", v(m.current), v(m.target)),
        Some(u) if !u.is_empty() => format!("{} → {} {u}", v(m.current), v(m.target)),
        _ => format!("{} → {}", v(m.current), v(m.target)),
    }
}

/// "2027-01 → 2027-Q3", "→ 2027-Q3", "from 2027-01", or nothing.
fn span_text(start: Option<&str>, end: Option<&str>) -> Option<String> {
    let t = match (start, end) {
        (Some(s), Some(e)) => format!("{} → {}", sanitize_line(s), sanitize_line(e)),
        (None, Some(e)) => format!("→ {}", sanitize_line(e)),
        (Some(s), None) => format!("from {}", sanitize_line(s)),
        (None, None) => return None,
    };
    Some(t)
}

fn layer_name<'a>(layers: &'a [LayerHead], id: &'a str) -> &'a str {
    layers
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.as_str())
        .unwrap_or(id)
}

// -------------------------------------------------------------------- text

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    Plain,
    Bold,
    Dim,
    Red,
    Green,
    Yellow,
    Cyan,
}

impl St {
    fn ansi(self) -> &'static str {
        match self {
            St::Plain => "",
            St::Bold => "\x1b[1m",
            St::Dim => "\x1b[2m",
            St::Red => "\x1b[31m",
            St::Green => "\x1b[32m",
            St::Yellow => "\x1b[33m",
            St::Cyan => "\x1b[36m",
        }
    }
}

type Seg = (String, St);

/// A space the wrapper never breaks at (written as a space). Roadmap text
/// cannot contain it: the sanitizer makes every C0 control visible.
const GLUE: char = '\u{1}';

/// Keep a short phrase on one line.
fn glued(s: &str) -> String {
    s.replace(' ', &GLUE.to_string())
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c == GLUE {
                1
            } else {
                unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
            }
        })
        .sum()
}

fn seg(s: impl Into<String>, st: St) -> Seg {
    (s.into(), st)
}

/// Segments joined by ` · `.
fn dotted(parts: Vec<Seg>) -> Vec<Seg> {
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(seg(" · ", St::Plain));
        }
        out.push(p);
    }
    out
}

/// A document ends in exactly one newline (text and markdown alike).
fn finished(mut out: String) -> String {
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// End the paragraph so far with a blank line (none at the very top).
fn blank_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

struct Doc {
    out: String,
    color: bool,
}

impl Doc {
    fn new(color: bool) -> Doc {
        Doc {
            out: String::new(),
            color,
        }
    }

    fn finish(self) -> String {
        finished(self.out)
    }

    fn blank(&mut self) {
        blank_line(&mut self.out);
    }

    fn styled(&self, s: &str, st: St) -> String {
        if self.color && st != St::Plain && !s.is_empty() {
            format!("{}{s}\x1b[0m", st.ansi())
        } else {
            s.to_string()
        }
    }

    /// The document title: roadmap title and the lens, then an underline.
    fn title(&mut self, title: &str, lens: &str) {
        let t = sanitize_line(title);
        let line = format!("{t} — {lens}");
        let w = line.width().min(WIDTH);
        self.wrap(
            0,
            2,
            &[
                seg(t.into_owned(), St::Bold),
                seg(format!(" — {lens}"), St::Dim),
            ],
        );
        let rule = "═".repeat(w);
        let rule = self.styled(&rule, St::Dim);
        self.out.push_str(&rule);
        self.out.push('\n');
    }

    /// A section heading: blank line, upper-case name, underline.
    fn heading(&mut self, s: &str) {
        self.blank();
        let h = s.to_uppercase();
        let w = h.width().min(WIDTH);
        let line = self.styled(&h, St::Bold);
        self.out.push_str(&line);
        self.out.push('\n');
        let rule = self.styled(&"─".repeat(w), St::Dim);
        self.out.push_str(&rule);
        self.out.push('\n');
    }

    /// Multi-line roadmap text (sanitized, each line wrapped) at `indent`.
    fn para(&mut self, indent: usize, s: &str, st: St) {
        let clean = sanitize(s);
        for l in clean.split('\n') {
            self.wrap(indent, indent, &[seg(l, st)]);
        }
    }

    /// A labelled value: `label: text`, wrapped under the text.
    fn field(&mut self, indent: usize, label: &str, s: &str) {
        let clean = sanitize(s);
        let mut lines = clean.split('\n');
        let first = lines.next().unwrap_or_default();
        self.wrap(
            indent,
            indent + 2,
            &[seg(format!("{label}: "), St::Dim), seg(first, St::Plain)],
        );
        for l in lines {
            self.wrap(indent + 2, indent + 2, &[seg(l, St::Plain)]);
        }
    }

    fn none(&mut self, indent: usize, what: &str) {
        self.wrap(indent, indent, &[seg(what, St::Dim)]);
    }

    /// A section: its heading, then each item, or the dim line `empty` when
    /// there is none.
    fn section<T>(
        &mut self,
        title: &str,
        items: &[T],
        empty: &str,
        mut each: impl FnMut(&mut Doc, &T),
    ) {
        self.heading(title);
        if items.is_empty() {
            self.none(2, empty);
        }
        for x in items {
            each(self, x);
        }
    }

    /// Lay out segments at `indent` (continuation lines at `hang`), breaking
    /// at spaces to fit [`WIDTH`]; words wider than a line are split.
    fn wrap(&mut self, indent: usize, hang: usize, segs: &[Seg]) {
        // Words: runs of non-space text, each a list of styled pieces.
        let mut words: Vec<Vec<Seg>> = Vec::new();
        let mut cur: Vec<Seg> = Vec::new();
        for (text, st) in segs {
            for (i, part) in text.split(' ').enumerate() {
                if i > 0 && !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                if !part.is_empty() {
                    cur.push((part.to_string(), *st));
                }
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        let avail = |first: bool| {
            WIDTH
                .saturating_sub(if first { indent } else { hang })
                .max(20)
        };
        let mut lines: Vec<Vec<Vec<Seg>>> = vec![vec![]];
        let mut used = 0usize;
        for w in words {
            let ww: usize = w.iter().map(|(t, _)| width(t)).sum();
            let first = lines.len() == 1;
            if used > 0 && used + 1 + ww > avail(first) {
                lines.push(vec![]);
                used = 0;
            }
            let first = lines.len() == 1;
            if ww > avail(first) {
                // Split an over-long word into line-sized chunks.
                let mut chunk: Vec<Seg> = Vec::new();
                let mut cw = 0usize;
                for (t, st) in w {
                    for ch in t.chars() {
                        let chw = width(ch.encode_utf8(&mut [0u8; 4]));
                        let room =
                            avail(lines.len() == 1).saturating_sub(used + usize::from(used > 0));
                        if cw + chw > room && cw > 0 {
                            if let Some(l) = lines.last_mut() {
                                l.push(std::mem::take(&mut chunk));
                            }
                            lines.push(vec![]);
                            used = 0;
                            cw = 0;
                        }
                        match chunk.last_mut() {
                            Some((s, cst)) if *cst == st => s.push(ch),
                            _ => chunk.push((ch.to_string(), st)),
                        }
                        cw += chw;
                    }
                }
                if !chunk.is_empty()
                    && let Some(l) = lines.last_mut()
                {
                    used += usize::from(!l.is_empty()) + cw;
                    l.push(chunk);
                }
                continue;
            }
            if let Some(l) = lines.last_mut() {
                used += usize::from(!l.is_empty()) + ww;
                l.push(w);
            }
        }
        for (i, l) in lines.iter().enumerate() {
            if l.is_empty() && i > 0 {
                continue;
            }
            let pad = if i == 0 { indent } else { hang };
            self.out.extend(std::iter::repeat_n(' ', pad));
            // Runs of one style (a space between two words of the same style
            // joins their run), so each run costs one escape pair.
            let mut runs: Vec<Seg> = Vec::new();
            for (j, w) in l.iter().enumerate() {
                for (k, (t, st)) in w.iter().enumerate() {
                    let text = t.replace(GLUE, " ");
                    let sep = if j > 0 && k == 0 { " " } else { "" };
                    match runs.last_mut() {
                        Some((s, rst)) if rst == st => {
                            s.push_str(sep);
                            s.push_str(&text);
                        }
                        _ => {
                            if !sep.is_empty() {
                                match runs.last_mut() {
                                    Some((s, St::Plain)) => s.push(' '),
                                    _ => runs.push((" ".to_string(), St::Plain)),
                                }
                            }
                            runs.push((text, *st));
                        }
                    }
                }
            }
            for (t, st) in &runs {
                let s = self.styled(t, *st);
                self.out.push_str(&s);
            }
            // No trailing spaces on an empty line.
            if l.is_empty() {
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
            }
            self.out.push('\n');
        }
    }
}

fn header_lines(d: &mut Doc, title: &str, lens: &str, owner: Option<&str>, vision: Option<&str>) {
    d.title(title, lens);
    if let Some(o) = owner {
        d.field(0, "Owner", o);
    }
    if let Some(v) = vision {
        d.field(0, "Vision", v);
    }
}

fn release_status(status: Status, health: Option<Health>) -> Vec<Seg> {
    let mut parts = vec![seg(status.as_str(), status_style(status))];
    if let Some(h) = health {
        parts.push(seg(h.as_str(), health_style(h)));
    }
    parts
}

fn text_exec(d: &mut Doc, v: &ExecView) {
    let h = &v.roadmap;
    header_lines(
        d,
        &h.title,
        "executive view",
        h.owner.as_deref(),
        h.vision.as_deref(),
    );

    d.section("Timeline", &v.timeline, "No releases.", |d, b| {
        d.blank();
        d.wrap(0, 0, &[seg(sanitize_line(&b.label), St::Bold)]);
        for r in &b.releases {
            text_exec_release(d, r);
        }
    });

    d.section("Themes", &v.themes, "No themes.", |d, t| {
        d.wrap(
            2,
            4,
            &[seg("• ", St::Plain), seg(sanitize_line(&t.title), St::Bold)],
        );
        if let Some(o) = &t.outcome {
            d.field(4, "Outcome", o);
        }
        if let Some(m) = &t.metric {
            d.field(4, "Metric", &format!("{}: {}", m.name, metric_values(m)));
        }
        if t.features.is_empty() {
            d.none(4, "No features yet.");
        }
        for f in &t.features {
            d.wrap(
                4,
                6,
                &[
                    seg("- ", St::Plain),
                    seg(sanitize_line(&f.title), St::Plain),
                    seg(format!(" ({})", sanitize_line(&f.release)), St::Dim),
                ],
            );
        }
    });

    d.section("Metrics", &v.metrics, "No metrics.", |d, m| {
        d.wrap(
            2,
            4,
            &[
                seg("• ", St::Plain),
                seg(format!("{}: ", sanitize_line(&m.name)), St::Plain),
                seg(metric_values(m), St::Bold),
            ],
        );
    });

    let no_risks = "Nothing at risk, off track or blocked.";
    d.section("Risks", &v.risks, no_risks, |d, r| {
        let mut tail = format!(" ({} {}", r.entity, sanitize_line(&r.id));
        if let Some(rel) = &r.release {
            let _ = write!(tail, ", release {}", sanitize_line(rel));
        }
        tail.push(')');
        d.wrap(
            2,
            4,
            &[
                seg("• ", St::Plain),
                seg(format!("{}:", r.health), health_style(r.health)),
                seg(" ", St::Plain),
                seg(sanitize_line(&r.title), St::Plain),
                seg(tail, St::Dim),
            ],
        );
    });
}

fn text_exec_release(d: &mut Doc, r: &ExecRelease) {
    d.wrap(
        2,
        6,
        &[
            seg(format!("{}{GLUE}{GLUE}", sanitize_line(&r.id)), St::Dim),
            seg(sanitize_line(&r.name), St::Bold),
        ],
    );
    let mut parts = release_status(r.status, r.health);
    if let Some(c) = r.confidence {
        parts.push(seg(glued(&format!("confidence {c}")), St::Plain));
    }
    if let Some(s) = span_text(r.start.as_deref(), r.target.as_deref()) {
        parts.push(seg(glued(&s), St::Plain));
    }
    d.wrap(6, 6, &dotted(parts));
    if let Some(c) = &r.critical_layer {
        d.field(6, "Critical path", c);
    }
    if let Some(s) = &r.summary {
        d.para(6, s, St::Plain);
    }
    if !r.themes.is_empty() {
        d.field(6, "Themes", &r.themes.join("; "));
    }
    if r.features.is_empty() {
        d.none(6, "No features.");
    }
    for f in &r.features {
        let mut segs = vec![
            seg("• ", St::Plain),
            seg(sanitize_line(&f.title), St::Plain),
        ];
        let mut parts = vec![seg(f.status.as_str(), status_style(f.status))];
        if let Some(h) = f.health {
            parts.push(seg(h.as_str(), health_style(h)));
        }
        if f.visibility == Visibility::Internal {
            parts.push(seg("internal", St::Dim));
        }
        segs.push(seg(" (", St::Plain));
        segs.extend(dotted(parts));
        segs.push(seg(")", St::Plain));
        d.wrap(6, 8, &segs);
        if let Some(bv) = &f.business_value {
            d.para(8, bv, St::Dim);
        }
    }
}

fn text_sales(d: &mut Doc, v: &SalesView) {
    d.title(&v.roadmap.title, "what we can tell customers");
    if let Some(vis) = &v.roadmap.vision {
        d.para(0, vis, St::Plain);
    }
    for g in &v.groups {
        let title = commitment_title(g.commitment);
        d.section(title, &g.features, "Nothing here yet.", |d, f| {
            let mut segs = vec![seg("• ", St::Plain), seg(sanitize_line(&f.title), St::Bold)];
            if let Some(w) = &f.when {
                let st = if *w == When::AvailableNow {
                    St::Green
                } else {
                    St::Cyan
                };
                segs.push(seg(" — ", St::Plain));
                segs.push(seg(w.to_string(), st));
            }
            d.wrap(2, 4, &segs);
            if let Some(cv) = &f.customer_value {
                d.para(4, cv, St::Plain);
            }
        });
    }
}

fn text_card(d: &mut Doc, c: &WorkCard, indent: usize, show_layer: Option<&str>) {
    let i2 = indent + 2;
    d.wrap(
        indent,
        i2,
        &[
            seg("• ", St::Plain),
            seg(sanitize_line(&c.title), St::Plain),
            seg(format!(" [{}]", sanitize_line(&c.key)), St::Dim),
        ],
    );
    let mut parts = release_status(c.status, c.health);
    if let Some(l) = show_layer {
        parts.push(seg(sanitize_line(l), St::Plain));
    }
    if let Some(t) = &c.team {
        parts.push(seg(sanitize_line(t), St::Plain));
    }
    if let Some(e) = &c.estimate {
        parts.push(seg(sanitize_line(e), St::Plain));
    }
    if let Some(s) = span_text(c.start.as_deref(), c.end.as_deref()) {
        parts.push(seg(glued(&s), St::Plain));
    }
    d.wrap(i2, i2, &dotted(parts));
    d.field(i2, "feature", &c.feature_title);
    if !c.depends_on.is_empty() {
        d.field(i2, "needs", &c.depends_on.join(", "));
    }
    if !c.depended_on_by.is_empty() {
        d.field(i2, "needed by", &c.depended_on_by.join(", "));
    }
    if let Some(i) = &c.interface {
        d.field(i2, "interface", i);
    }
}

fn text_release_head(d: &mut Doc, r: &ReleaseHead, indent: usize) {
    let mut segs = vec![
        seg(format!("{}{GLUE}{GLUE}", sanitize_line(&r.id)), St::Dim),
        seg(sanitize_line(&r.name), St::Bold),
        seg(" · ", St::Plain),
    ];
    let mut parts = Vec::new();
    if let Some(t) = &r.target {
        parts.push(seg(sanitize_line(t), St::Plain));
    }
    parts.extend(release_status(r.status, r.health));
    segs.extend(dotted(parts));
    d.wrap(indent, indent + 4, &segs);
}

fn edge_text(e: &DepEdge, mark_cross: bool) -> Vec<Seg> {
    let end = |id: &str, layer: &Option<String>, entity: crate::model::EntityKind| -> String {
        match layer {
            Some(l) => format!("{} ({})", sanitize_line(id), sanitize_line(l)),
            None => format!("{} ({entity})", sanitize_line(id)),
        }
    };
    let mut segs = vec![
        seg("• ", St::Plain),
        seg(end(&e.from.id, &e.from_layer, e.from.entity), St::Plain),
        seg(" → ", St::Plain),
        seg(end(&e.to.id, &e.to_layer, e.to.entity), St::Plain),
    ];
    if mark_cross && e.cross_layer {
        segs.push(seg(" (cross-layer)", St::Cyan));
    }
    segs
}

fn text_interface(d: &mut Doc, i: &InterfaceLine, layer: Option<&str>) {
    let mut segs = vec![seg("• ", St::Plain)];
    if let Some(l) = layer {
        segs.push(seg(format!("{}: ", sanitize_line(l)), St::Dim));
    }
    segs.push(seg(sanitize_line(&i.title), St::Plain));
    segs.push(seg(format!(" [{}]", sanitize_line(&i.work)), St::Dim));
    d.wrap(2, 4, &segs);
    d.para(4, &i.contract, St::Bold);
    if i.consumers.is_empty() {
        d.none(4, "no consumers in other layers");
    } else {
        d.field(4, "consumers", &i.consumers.join(", "));
    }
}

/// The releases × layers grid of work-item counts, when it fits 80 columns.
fn text_grid(d: &mut Doc, v: &EngineeringView) {
    let n = v.layers.len();
    if n == 0 || v.rows.is_empty() {
        return;
    }
    let ids: Vec<String> = v
        .rows
        .iter()
        .map(|r| sanitize_line(&r.release.id).into_owned())
        .collect();
    let label_w = ids
        .iter()
        .map(|s| s.width())
        .max()
        .unwrap_or(0)
        .clamp(7, 16);
    let room = WIDTH.saturating_sub(label_w);
    let col_w = (room / n).min(14);
    if col_w < 4 {
        return;
    }
    let fit = |s: &str, w: usize| -> String {
        if s.width() <= w {
            return s.to_string();
        }
        let mut out = String::new();
        for ch in s.chars() {
            if out.width() + UnicodeWidthStr::width(ch.encode_utf8(&mut [0u8; 4]) as &str) + 1 > w {
                break;
            }
            out.push(ch);
        }
        out.push('…');
        out
    };
    let mut line = format!("{:label_w$}", "release");
    for l in &v.layers {
        let h = fit(&sanitize_line(&l.id), col_w - 1);
        let pad = col_w.saturating_sub(h.width());
        line.push_str(&" ".repeat(pad));
        line.push_str(&h);
    }
    let line = d.styled(line.trim_end(), St::Dim);
    d.out.push_str(&line);
    d.out.push('\n');
    for (row, id) in v.rows.iter().zip(&ids) {
        let label = fit(id, label_w - 1);
        let mut line = label.clone();
        line.push_str(&" ".repeat(label_w.saturating_sub(label.width())));
        for cell in &row.cells {
            let c = if cell.is_empty() {
                "·".to_string()
            } else {
                cell.len().to_string()
            };
            line.push_str(&" ".repeat(col_w.saturating_sub(c.width())));
            line.push_str(&c);
        }
        d.out.push_str(&line);
        d.out.push('\n');
    }
    d.none(
        0,
        "(work items per release and layer; · = the release does not touch the layer)",
    );
}

fn text_engineering(d: &mut Doc, v: &EngineeringView) {
    let h = &v.roadmap;
    header_lines(d, &h.title, "engineering view", h.owner.as_deref(), None);

    d.heading("Story map");
    if v.rows.is_empty() {
        d.none(2, "No releases.");
    }
    text_grid(d, v);
    for row in &v.rows {
        d.blank();
        text_release_head(d, &row.release, 0);
        for (l, cell) in v.layers.iter().zip(&row.cells) {
            let mut segs = vec![seg(sanitize_line(&l.name), St::Bold)];
            if let Some(t) = &l.team {
                segs.push(seg(format!(" ({})", sanitize_line(t)), St::Dim));
            }
            d.wrap(2, 4, &segs);
            if cell.is_empty() {
                d.none(4, "(no work)");
            }
            for c in cell {
                text_card(d, c, 4, None);
            }
        }
    }

    d.section("Blocked", &v.blocked, "Nothing is blocked.", |d, c| {
        text_card(d, c, 2, Some(layer_name(&v.layers, &c.layer)));
    });

    d.heading("Dependencies");
    if v.dependencies.is_empty() {
        d.none(2, "No dependencies.");
    } else {
        d.none(2, "(A → B: A depends on B)");
    }
    for e in &v.dependencies {
        d.wrap(2, 4, &edge_text(e, true));
    }

    let no_interfaces = "No interface contracts.";
    d.section("Interfaces", &v.interfaces, no_interfaces, |d, i| {
        text_interface(d, i, Some(layer_name(&v.layers, &i.layer)));
    });
}

fn text_layer(d: &mut Doc, v: &LayerView) {
    let h = &v.roadmap;
    let lens = format!("{} layer", sanitize_line(&v.layer.name));
    d.title(&h.title, &lens);
    if let Some(t) = &v.layer.team {
        d.field(0, "Team", t);
    }
    if let Some(c) = &v.layer.cadence {
        d.field(0, "Cadence", c);
    }

    d.section("Work by release", &v.slices, "No releases.", |d, s| {
        d.blank();
        text_release_head(d, &s.release, 0);
        if s.work.is_empty() {
            d.none(2, "(no work for this layer)");
        }
        for c in &s.work {
            text_card(d, c, 2, None);
        }
    });

    let edge = |d: &mut Doc, e: &DepEdge| d.wrap(2, 4, &edge_text(e, false));
    d.section("Depends on other layers", &v.depends_on, "Nothing.", edge);
    d.section(
        "Depended on by other layers",
        &v.depended_on_by,
        "Nothing.",
        edge,
    );

    d.section(
        "Interfaces this layer exposes",
        &v.interfaces_out,
        "None.",
        |d, i| text_interface(d, i, None),
    );
    d.section(
        "Interfaces this layer consumes",
        &v.interfaces_in,
        "None.",
        |d, i| text_interface(d, i, Some(&i.layer)),
    );

    d.heading("Decisions");
    for cell in &v.decisions {
        d.wrap(2, 4, &[seg(cell.area.title(), St::Bold)]);
        if cell.decisions.is_empty() {
            d.none(4, "(none)");
        }
        for dl in &cell.decisions {
            let st = match dl.status {
                crate::model::DecisionStatus::Decided => St::Green,
                crate::model::DecisionStatus::Open => St::Yellow,
            };
            d.wrap(
                4,
                6,
                &[
                    seg("• ", St::Plain),
                    seg(sanitize_line(&dl.title), St::Plain),
                    seg(" — ", St::Plain),
                    seg(dl.status.as_str(), st),
                ],
            );
            if let Some(c) = &dl.choice {
                d.para(6, c, St::Plain);
            }
        }
    }
}

// ---------------------------------------------------------------- markdown

/// Escape roadmap text for markdown: sanitized, on one line, with markdown
/// punctuation (and `|`, for table cells) backslash-escaped.
pub fn md(s: &str) -> String {
    let clean = sanitize(s);
    let mut out = String::with_capacity(clean.len());
    for (i, line) in clean.split('\n').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in line.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Roadmap text inside a markdown code span: sanitized, no backticks, and
/// `|` escaped (GFM splits table cells even inside code spans).
pub fn code(s: &str) -> String {
    sanitize_line(s).replace('`', "'").replace('|', "\\|")
}

#[derive(Default)]
struct Md {
    out: String,
}

impl Md {
    fn finish(self) -> String {
        finished(self.out)
    }
    fn blank(&mut self) {
        blank_line(&mut self.out);
    }
    fn h(&mut self, level: usize, s: &str) {
        self.blank();
        let _ = writeln!(self.out, "{} {s}", "#".repeat(level));
        self.out.push('\n');
    }
    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }
    fn para(&mut self, s: &str) {
        self.blank();
        self.line(s);
        self.out.push('\n');
    }
    /// A `##` section: the paragraph `empty` when there is nothing to show,
    /// else `body`.
    fn section<T>(
        &mut self,
        title: &str,
        items: &[T],
        empty: &str,
        body: impl FnOnce(&mut Md, &[T]),
    ) {
        self.h(2, title);
        if items.is_empty() {
            self.para(empty);
        } else {
            body(self, items);
        }
    }
    fn table(&mut self, head: &[&str], rows: &[Vec<String>]) {
        self.blank();
        self.line(&format!("| {} |", head.join(" | ")));
        self.line(&format!("|{}", "---|".repeat(head.len())));
        for r in rows {
            self.line(&format!("| {} |", r.join(" | ")));
        }
        self.out.push('\n');
    }
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(md).unwrap_or_default()
}

fn md_header(m: &mut Md, title: &str, lens: &str, owner: Option<&str>, vision: Option<&str>) {
    m.line(&format!("# {} — {lens}", md(title)));
    m.out.push('\n');
    if let Some(v) = vision {
        m.line(&format!("> {}", md(v)));
        m.out.push('\n');
    }
    if let Some(o) = owner {
        m.line(&format!("Owner: {}", md(o)));
        m.out.push('\n');
    }
}

fn status_md(status: Status, health: Option<Health>) -> String {
    match health {
        Some(h) => format!("{status}, {h}"),
        None => status.to_string(),
    }
}

fn md_exec(m: &mut Md, v: &ExecView) {
    let h = &v.roadmap;
    md_header(
        m,
        &h.title,
        "executive view",
        h.owner.as_deref(),
        h.vision.as_deref(),
    );
    m.section("Timeline", &v.timeline, "_No releases._", |m, buckets| {
        for b in buckets {
            m.h(3, &md(&b.label));
            for r in &b.releases {
                exec_release_md(m, r);
            }
        }
    });
    m.section("Themes", &v.themes, "_No themes._", |m, themes| {
        for t in themes {
            exec_theme_md(m, t);
        }
    });
    m.section("Metrics", &v.metrics, "_No metrics._", |m, metrics| {
        let v2 = |x: Option<f64>| x.map(fmt_num).unwrap_or_default();
        let rows: Vec<Vec<String>> = metrics
            .iter()
            .map(|x| vec![md(&x.name), v2(x.current), v2(x.target), opt(&x.unit)])
            .collect();
        m.table(&["Metric", "Current", "Target", "Unit"], &rows);
    });
    let no_risks = "_Nothing at risk, off track or blocked._";
    m.section("Risks", &v.risks, no_risks, |m, risks| {
        let rows: Vec<Vec<String>> = risks
            .iter()
            .map(|r| {
                vec![
                    format!("**{}**", r.health),
                    r.entity.to_string(),
                    format!("{} (`{}`)", md(&r.title), code(&r.id)),
                    opt(&r.release),
                ]
            })
            .collect();
        m.table(&["Health", "Kind", "Item", "Release"], &rows);
    });
}

fn exec_release_md(m: &mut Md, r: &ExecRelease) {
    m.h(4, &format!("{} — {}", md(&r.id), md(&r.name)));
    let mut facts = vec![format!("**{}**", status_md(r.status, r.health))];
    if let Some(c) = r.confidence {
        facts.push(format!("confidence {c}"));
    }
    if let Some(s) = span_text(r.start.as_deref(), r.target.as_deref()) {
        facts.push(md(&s));
    }
    m.line(&format!("- Status: {}", facts.join(" · ")));
    if let Some(c) = &r.critical_layer {
        m.line(&format!("- Critical path: {}", md(c)));
    }
    if !r.themes.is_empty() {
        let t: Vec<String> = r.themes.iter().map(|t| md(t)).collect();
        m.line(&format!("- Themes: {}", t.join("; ")));
    }
    if let Some(s) = &r.summary {
        m.para(&md(s));
    }
    if r.features.is_empty() {
        m.para("_No features._");
    } else {
        let rows: Vec<Vec<String>> = r
            .features
            .iter()
            .map(|f| {
                let mut st = status_md(f.status, f.health);
                if f.visibility == Visibility::Internal {
                    st.push_str(", internal");
                }
                vec![md(&f.title), st, opt(&f.business_value)]
            })
            .collect();
        m.table(&["Feature", "Status", "Business value"], &rows);
    }
}

fn exec_theme_md(m: &mut Md, t: &ExecTheme) {
    m.h(3, &md(&t.title));
    if let Some(o) = &t.outcome {
        m.line(&format!("- Outcome: {}", md(o)));
    }
    if let Some(x) = &t.metric {
        m.line(&format!(
            "- Metric: {}: {}",
            md(&x.name),
            md(&metric_values(x))
        ));
    }
    if t.features.is_empty() {
        m.line("- Features: _none yet_");
    } else {
        let f: Vec<String> = t
            .features
            .iter()
            .map(|f| format!("{} ({})", md(&f.title), md(&f.release)))
            .collect();
        m.line(&format!("- Features: {}", f.join("; ")));
    }
}

fn md_sales(m: &mut Md, v: &SalesView) {
    m.line(&format!("# {}", md(&v.roadmap.title)));
    m.out.push('\n');
    if let Some(vis) = &v.roadmap.vision {
        m.line(&format!("> {}", md(vis)));
        m.out.push('\n');
    }
    for g in &v.groups {
        let title = commitment_title(g.commitment);
        m.section(title, &g.features, "_Nothing here yet._", |m, features| {
            for f in features {
                let mut l = format!("- **{}**", md(&f.title));
                if let Some(w) = &f.when {
                    let _ = write!(l, " — {}", md(&w.to_string()));
                }
                m.line(&l);
                if let Some(cv) = &f.customer_value {
                    m.line(&format!("  {}", md(cv)));
                }
            }
            m.out.push('\n');
        });
    }
}

fn card_md(c: &WorkCard) -> String {
    let mut facts = vec![status_md(c.status, c.health)];
    if let Some(t) = &c.team {
        facts.push(md(t));
    }
    if let Some(e) = &c.estimate {
        facts.push(md(e));
    }
    if let Some(s) = span_text(c.start.as_deref(), c.end.as_deref()) {
        facts.push(md(&s));
    }
    let mut l = format!(
        "- {} (`{}`) — {}; feature: {}",
        md(&c.title),
        code(&c.key),
        facts.join(", "),
        md(&c.feature_title)
    );
    if !c.depends_on.is_empty() {
        let d: Vec<String> = c.depends_on.iter().map(|x| md(x)).collect();
        let _ = write!(l, "; needs {}", d.join(", "));
    }
    if !c.depended_on_by.is_empty() {
        let d: Vec<String> = c.depended_on_by.iter().map(|x| md(x)).collect();
        let _ = write!(l, "; needed by {}", d.join(", "));
    }
    if let Some(i) = &c.interface {
        let _ = write!(l, "; interface: {}", md(i));
    }
    l
}

fn release_head_md(r: &ReleaseHead) -> String {
    let mut s = format!("{} — {}", md(&r.id), md(&r.name));
    let mut facts = Vec::new();
    if let Some(t) = &r.target {
        facts.push(md(t));
    }
    facts.push(status_md(r.status, r.health));
    let _ = write!(s, " ({})", facts.join(", "));
    s
}

/// Work cards as a list, then a blank line.
fn cards_md(m: &mut Md, cards: &[WorkCard]) {
    for c in cards {
        m.line(&card_md(c));
    }
    m.out.push('\n');
}

fn edges_md(m: &mut Md, edges: &[DepEdge]) {
    let end = |id: &str, l: &Option<String>| match l {
        Some(l) => format!("`{}` ({})", code(id), md(l)),
        None => format!("`{}`", code(id)),
    };
    let rows: Vec<Vec<String>> = edges
        .iter()
        .map(|e| {
            vec![
                end(&e.from.id, &e.from_layer),
                e.from.entity.to_string(),
                end(&e.to.id, &e.to_layer),
                e.to.entity.to_string(),
                if e.cross_layer {
                    "yes".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    m.table(
        &["From", "Kind", "Depends on", "Kind", "Cross-layer"],
        &rows,
    );
}

fn interfaces_md(m: &mut Md, items: &[InterfaceLine]) {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let c: Vec<String> = i.consumers.iter().map(|x| md(x)).collect();
            vec![
                md(&i.layer),
                format!("{} (`{}`)", md(&i.title), code(&i.work)),
                md(&i.contract),
                c.join(", "),
            ]
        })
        .collect();
    m.table(&["Layer", "Work", "Contract", "Consumers"], &rows);
}

fn md_engineering(m: &mut Md, v: &EngineeringView) {
    let h = &v.roadmap;
    md_header(m, &h.title, "engineering view", h.owner.as_deref(), None);
    m.h(2, "Story map");
    if v.rows.is_empty() {
        m.para("_No releases._");
    } else {
        let mut head = vec!["Release".to_string()];
        head.extend(v.layers.iter().map(|l| md(&l.name)));
        let head_ref: Vec<&str> = head.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = v
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![md(&r.release.id)];
                row.extend(r.cells.iter().map(|c| {
                    if c.is_empty() {
                        "—".to_string()
                    } else {
                        c.len().to_string()
                    }
                }));
                row
            })
            .collect();
        m.table(&head_ref, &rows);
        m.para("Work items per release and layer; — marks a layer the release does not touch.");
    }
    for row in &v.rows {
        m.h(3, &release_head_md(&row.release));
        for (l, cell) in v.layers.iter().zip(&row.cells) {
            let mut t = format!("**{}**", md(&l.name));
            if let Some(team) = &l.team {
                let _ = write!(t, " ({})", md(team));
            }
            m.line(&t);
            m.out.push('\n');
            if cell.is_empty() {
                m.line("- _no work_");
            }
            cards_md(m, cell);
        }
    }
    m.section("Blocked", &v.blocked, "_Nothing is blocked._", cards_md);
    m.section(
        "Dependencies",
        &v.dependencies,
        "_No dependencies._",
        edges_md,
    );
    let no_interfaces = "_No interface contracts._";
    m.section("Interfaces", &v.interfaces, no_interfaces, interfaces_md);
}

fn md_layer(m: &mut Md, v: &LayerView) {
    let h = &v.roadmap;
    let lens = format!("{} layer", md(&v.layer.name));
    m.line(&format!("# {} — {lens}", md(&h.title)));
    m.out.push('\n');
    if let Some(t) = &v.layer.team {
        m.line(&format!("- Team: {}", md(t)));
    }
    if let Some(c) = &v.layer.cadence {
        m.line(&format!("- Cadence: {}", md(c)));
    }
    m.section(
        "Work by release",
        &v.slices,
        "_No releases._",
        |m, slices| {
            for s in slices {
                m.h(3, &release_head_md(&s.release));
                if s.work.is_empty() {
                    m.line("- _no work for this layer_");
                }
                cards_md(m, &s.work);
            }
        },
    );
    m.section(
        "Depends on other layers",
        &v.depends_on,
        "_Nothing._",
        edges_md,
    );
    m.section(
        "Depended on by other layers",
        &v.depended_on_by,
        "_Nothing._",
        edges_md,
    );
    m.section(
        "Interfaces this layer exposes",
        &v.interfaces_out,
        "_None._",
        interfaces_md,
    );
    m.section(
        "Interfaces this layer consumes",
        &v.interfaces_in,
        "_None._",
        interfaces_md,
    );
    m.h(2, "Decisions");
    let rows: Vec<Vec<String>> = v
        .decisions
        .iter()
        .flat_map(|cell| {
            if cell.decisions.is_empty() {
                vec![vec![
                    cell.area.title().to_string(),
                    "_none_".into(),
                    String::new(),
                    String::new(),
                ]]
            } else {
                cell.decisions
                    .iter()
                    .map(|d| {
                        vec![
                            cell.area.title().to_string(),
                            md(&d.title),
                            d.status.to_string(),
                            opt(&d.choice),
                        ]
                    })
                    .collect()
            }
        })
        .collect();
    m.table(&["Area", "Decision", "Status", "Choice"], &rows);
}

/// A title line for one of several roadmaps in one output.
pub fn separator(path: &str, view: &LensView, format: Format, color: bool) -> String {
    match format {
        Format::Markdown => format!("---\n\n_{}_ — {}\n\n", md(path), lens_title(view)),
        _ => {
            let rule = "━".repeat(WIDTH);
            let p = sanitize_line(path);
            if color {
                format!("\x1b[2m{rule}\x1b[0m\n\x1b[1m{p}\x1b[0m\n\n")
            } else {
                format!("{rule}\n{p}\n\n")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_fits_80_columns_and_splits_long_words() {
        let mut d = Doc::new(false);
        let long = format!("{} {}", "word ".repeat(40), "x".repeat(200));
        d.wrap(4, 6, &[seg(long, St::Plain)]);
        for l in d.out.lines() {
            assert!(l.width() <= WIDTH, "{l:?}");
        }
        assert!(d.out.starts_with("    word word"));
        assert!(d.out.lines().nth(1).unwrap().starts_with("      word"));
        assert!(d.out.contains(&"x".repeat(60)));
    }

    #[test]
    fn colour_only_when_asked() {
        let mut d = Doc::new(true);
        d.wrap(0, 0, &[seg("hi there", St::Red), seg(" plain", St::Plain)]);
        // One escape pair per run of a style, not per word.
        assert_eq!(d.out, "\x1b[31mhi there\x1b[0m plain\n");
        let mut d = Doc::new(false);
        d.wrap(0, 0, &[seg("hi", St::Red)]);
        assert_eq!(d.out, "hi\n");
    }

    #[test]
    fn json_escapes_invisible_characters_but_keeps_data() {
        let s = to_json(&vec!["a\u{202e}b\u{200b}c\u{7f}\u{9b}d\u{1b}e\u{e0041}"]);
        assert!(
            !s.chars()
                .any(|c| c != '\n' && crate::text::is_unsafe_char(c)),
            "{s:?}"
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "a\u{202e}b\u{200b}c\u{7f}\u{9b}d\u{1b}e\u{e0041}");
    }

    #[test]
    fn markdown_escapes_table_pipes_and_markup() {
        assert_eq!(md("a|b *c* <d>"), "a\\|b \\*c\\* \\<d\\>");
        assert_eq!(md("x\ny\u{1b}[31m"), "x y");
    }
}
