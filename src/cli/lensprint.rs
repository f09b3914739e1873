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
    CanvasView, CellEffort, ConflictLine, DepEdge, EngineeringView, ExecRelease, ExecTheme,
    ExecView, InterfaceLine, LayerHead, LayerView, LensView, ReleaseHead, SalesView, WorkCard,
    fmt_num,
};
use crate::model::{Confidence, Health, Status, Visibility};
use crate::text::{sanitize, sanitize_line};
use crate::vocab::{self, GLUE, Role, glued};
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
                LensView::Decisions(v) => text_canvas(&mut d, v),
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
                LensView::Decisions(v) => md_canvas(&mut m, v),
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
        LensView::Decisions(_) => "decision canvas".into(),
    }
}

/// Facts of a release or work item (`◐ in-progress · ▲ at-risk`), each
/// glued so a phrase never breaks inside.
fn facts(
    status: Status,
    health: Option<Health>,
    confidence: Option<Confidence>,
    span: Option<String>,
) -> Vec<Seg> {
    vocab::facts(status, health, confidence, span)
        .into_iter()
        .map(|(t, r)| (glued(&t), r))
        .collect()
}

fn layer_name<'a>(layers: &'a [LayerHead], id: &'a str) -> &'a str {
    layers
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.as_str())
        .unwrap_or(id)
}

// -------------------------------------------------------------------- text

type Seg = (String, Role);

fn seg(s: impl Into<String>, st: Role) -> Seg {
    (s.into(), st)
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

    fn styled(&self, s: &str, st: Role) -> String {
        vocab::paint(st, s, self.color)
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
                seg(t.into_owned(), Role::Title),
                seg(format!(" — {lens}"), Role::Dim),
            ],
        );
        let rule = "═".repeat(w);
        let rule = self.styled(&rule, Role::Dim);
        self.out.push_str(&rule);
        self.out.push('\n');
    }

    /// A section heading: blank line, upper-case name, underline.
    fn heading(&mut self, s: &str) {
        self.blank();
        let h = s.to_uppercase();
        let w = h.width().min(WIDTH);
        let line = self.styled(&h, Role::Title);
        self.out.push_str(&line);
        self.out.push('\n');
        let rule = self.styled(&"─".repeat(w), Role::Dim);
        self.out.push_str(&rule);
        self.out.push('\n');
    }

    /// Multi-line roadmap text (sanitized, each line wrapped) at `indent`.
    fn para(&mut self, indent: usize, s: &str, st: Role) {
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
            &[
                seg(format!("{label}: "), Role::Dim),
                seg(first, Role::Plain),
            ],
        );
        for l in lines {
            self.wrap(indent + 2, indent + 2, &[seg(l, Role::Plain)]);
        }
    }

    fn none(&mut self, indent: usize, what: &str) {
        self.wrap(indent, indent, &[seg(what, Role::Dim)]);
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
    /// at spaces to fit [`WIDTH`] ([`vocab::wrap_styled`]).
    fn wrap(&mut self, indent: usize, hang: usize, segs: &[Seg]) {
        let avail = |pad: usize| WIDTH.saturating_sub(pad).max(20);
        let lines = vocab::wrap_styled(segs, avail(indent), avail(hang));
        for (i, runs) in lines.iter().enumerate() {
            // No trailing spaces on an empty line.
            if !runs.is_empty() {
                let pad = if i == 0 { indent } else { hang };
                self.out.extend(std::iter::repeat_n(' ', pad));
            }
            for (t, st) in runs {
                let s = self.styled(t, *st);
                self.out.push_str(&s);
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
        d.wrap(0, 0, &[seg(sanitize_line(&b.label), Role::Title)]);
        for r in &b.releases {
            text_exec_release(d, r);
        }
    });

    d.section("Themes", &v.themes, "No themes.", |d, t| {
        d.wrap(
            2,
            4,
            &[
                seg(vocab::BULLET, Role::Plain),
                seg(sanitize_line(&t.title), Role::Title),
            ],
        );
        if let Some(o) = &t.outcome {
            d.field(4, "Outcome", o);
        }
        if let Some(m) = &t.metric {
            d.field(
                4,
                "Metric",
                &format!("{}: {}", m.name, vocab::metric_line(m)),
            );
        }
        if t.features.is_empty() {
            d.none(4, "No features yet.");
        }
        for f in &t.features {
            d.wrap(
                4,
                6,
                &[
                    seg("- ", Role::Plain),
                    seg(sanitize_line(&f.title), Role::Plain),
                    seg(format!(" ({})", sanitize_line(&f.release)), Role::Dim),
                ],
            );
        }
    });

    d.section("Metrics", &v.metrics, "No metrics.", |d, m| {
        d.wrap(
            2,
            4,
            &[
                seg(vocab::BULLET, Role::Plain),
                seg(format!("{}: ", sanitize_line(&m.name)), Role::Plain),
                seg(vocab::metric_line(m), Role::Title),
            ],
        );
    });

    text_conflicts(d, &v.conflicts);

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
                seg(vocab::BULLET, Role::Plain),
                seg(
                    format!("{}:", vocab::health(r.health)),
                    Role::Health(r.health),
                ),
                seg(" ", Role::Plain),
                seg(sanitize_line(&r.title), Role::Plain),
                seg(tail, Role::Dim),
            ],
        );
    });
}

/// The schedule conflicts, as `check` says them.
fn text_conflicts(d: &mut Doc, conflicts: &[ConflictLine]) {
    d.section(vocab::CONFLICTS, conflicts, vocab::NO_CONFLICTS, |d, c| {
        d.wrap(2, 4, &vocab::conflict(c));
    });
}

fn text_exec_release(d: &mut Doc, r: &ExecRelease) {
    d.wrap(
        2,
        6,
        &[
            seg(format!("{}{GLUE}{GLUE}", sanitize_line(&r.id)), Role::Dim),
            seg(sanitize_line(&r.name), Role::Title),
        ],
    );
    let span = vocab::span(r.start, r.target);
    let parts = facts(r.status, r.health, r.confidence, span);
    d.wrap(6, 6, &vocab::dotted(parts));
    if let Some(c) = &r.critical_path {
        let mut segs = vec![seg("Critical path: ", Role::Dim)];
        segs.extend(vocab::critical_path(c));
        d.wrap(6, 8, &segs);
    }
    if let Some(e) = vocab::effort_share(&r.effort) {
        d.field(6, "Effort", &e);
    }
    if let Some(s) = &r.summary {
        d.para(6, s, Role::Plain);
    }
    if !r.themes.is_empty() {
        d.field(6, "Themes", &r.themes.join("; "));
    }
    if r.features.is_empty() {
        d.none(6, "No features.");
    }
    for f in &r.features {
        let mut segs = vec![
            seg(vocab::BULLET, Role::Plain),
            seg(sanitize_line(&f.title), Role::Plain),
        ];
        let mut parts = facts(f.status, f.health, None, None);
        if f.visibility == Visibility::Internal {
            parts.push(seg(vocab::INTERNAL, Role::Dim));
        }
        segs.push(seg(" (", Role::Plain));
        segs.extend(vocab::dotted(parts));
        segs.push(seg(")", Role::Plain));
        d.wrap(6, 8, &segs);
        if let Some(bv) = &f.business_value {
            d.para(8, bv, Role::Dim);
        }
    }
}

fn text_sales(d: &mut Doc, v: &SalesView) {
    d.title(&v.roadmap.title, "what we can tell customers");
    if let Some(vis) = &v.roadmap.vision {
        d.para(0, vis, Role::Plain);
    }
    for g in &v.groups {
        let title = vocab::commitment(g.commitment);
        d.section(title, &g.features, "Nothing here yet.", |d, f| {
            let mut segs = vec![
                seg(vocab::BULLET, Role::Plain),
                seg(sanitize_line(&f.title), Role::Title),
            ];
            if let Some(w) = &f.when {
                segs.push(seg(" — ", Role::Plain));
                segs.push(seg(w.to_string(), vocab::sales_when_role(w)));
            }
            d.wrap(2, 4, &segs);
            if let Some(cv) = &f.customer_value {
                d.para(4, cv, Role::Plain);
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
            seg(vocab::BULLET, Role::Plain),
            seg(sanitize_line(&c.title), Role::Plain),
            seg(format!(" [{}]", sanitize_line(&c.key)), Role::Dim),
        ],
    );
    let mut parts = facts(c.status, c.health, None, None);
    if let Some(l) = show_layer {
        parts.push(seg(sanitize_line(l), Role::Plain));
    }
    parts.extend(
        vocab::work_details(c)
            .iter()
            .map(|t| seg(glued(t), Role::Plain)),
    );
    parts.extend(
        vocab::schedule_facts(c)
            .into_iter()
            .map(|(t, r)| seg(glued(&t), r)),
    );
    d.wrap(i2, i2, &vocab::dotted(parts));
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
        seg(format!("{}{GLUE}{GLUE}", sanitize_line(&r.id)), Role::Dim),
        seg(sanitize_line(&r.name), Role::Title),
        seg(" · ", Role::Plain),
    ];
    let span = vocab::span(None, r.target);
    segs.extend(vocab::dotted(facts(r.status, r.health, None, span)));
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
        seg(vocab::BULLET, Role::Plain),
        seg(end(&e.from.id, &e.from_layer, e.from.entity), Role::Plain),
        seg(" → ", Role::Plain),
        seg(end(&e.to.id, &e.to_layer, e.to.entity), Role::Plain),
    ];
    if mark_cross && e.cross_layer {
        segs.push(seg(" (cross-layer)", Role::Warn));
    }
    segs
}

fn text_interface(d: &mut Doc, i: &InterfaceLine, layer: Option<&str>) {
    let mut segs = vec![seg(vocab::BULLET, Role::Plain)];
    if let Some(l) = layer {
        segs.push(seg(format!("{}: ", sanitize_line(l)), Role::Dim));
    }
    segs.push(seg(sanitize_line(&i.title), Role::Plain));
    segs.push(seg(format!(" [{}]", sanitize_line(&i.work)), Role::Dim));
    d.wrap(2, 4, &segs);
    d.para(4, &i.contract, Role::Title);
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
    let fit = vocab::fit;
    let mut line = format!("{:label_w$}", "release");
    for l in &v.layers {
        let h = fit(&sanitize_line(&l.id), col_w - 1);
        let pad = col_w.saturating_sub(h.width());
        line.push_str(&" ".repeat(pad));
        line.push_str(&h);
    }
    let line = d.styled(line.trim_end(), Role::Dim);
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
        let total: f64 = row.effort.iter().map(|e| e.days).sum();
        if total > 0.0 {
            d.field(2, "Effort", &vocab::effort(total));
        }
        if let Some(c) = &row.critical_path {
            let mut segs = vec![seg("Critical path: ", Role::Dim)];
            segs.extend(vocab::critical_path(c));
            d.wrap(2, 4, &segs);
        }
        for ((l, cell), effort) in v.layers.iter().zip(&row.cells).zip(&row.effort) {
            let mut segs = vec![seg(sanitize_line(&l.name), Role::Title)];
            if let Some(t) = &l.team {
                segs.push(seg(format!(" ({})", sanitize_line(t)), Role::Dim));
            }
            if let Some(e) = cell_effort(effort) {
                segs.push(seg(format!(" — {e}"), Role::Dim));
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

    text_conflicts(d, &v.conflicts);
}

/// A cell's effort: `31 weeks`, `2 weeks + 1 without estimate`; `None` for
/// an empty cell.
fn cell_effort(e: &CellEffort) -> Option<String> {
    let days = (e.days > 0.0).then(|| vocab::effort(e.days));
    let missing = (e.unestimated > 0).then(|| format!("{} without estimate", e.unestimated));
    match (days, missing) {
        (Some(a), Some(b)) => Some(format!("{a} + {b}")),
        (a, b) => a.or(b),
    }
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
        if let Some(e) = cell_effort(&s.effort) {
            d.field(2, "Effort", &e);
        }
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
        d.wrap(2, 4, &[seg(cell.area.title(), Role::Title)]);
        if cell.decisions.is_empty() {
            d.none(4, "(none)");
        }
        for dl in &cell.decisions {
            let (word, st) = vocab::decision(dl.status);
            d.wrap(
                4,
                6,
                &[
                    seg(vocab::BULLET, Role::Plain),
                    seg(sanitize_line(&dl.title), Role::Plain),
                    seg(" — ", Role::Plain),
                    seg(word, st),
                ],
            );
            if let Some(c) = &dl.choice {
                d.para(6, c, Role::Plain);
            }
        }
    }
}

fn text_canvas(d: &mut Doc, v: &CanvasView) {
    d.title(&v.roadmap.title, "decision canvas");
    let gaps = vocab::canvas_gaps(v);
    d.wrap(
        0,
        0,
        &[seg(
            format!(
                "{} decided, {} open, {} gap{} (layer × area without a decision)",
                v.decided,
                v.open,
                v.gaps.len(),
                if v.gaps.len() == 1 { "" } else { "s" }
            ),
            Role::Dim,
        )],
    );
    // The matrix: a row per layer, a column per area.
    let (label_w, cols) = vocab::canvas_columns(v, WIDTH);
    d.blank();
    let mut head = format!("{:label_w$}", "layer");
    for (a, w) in v.areas.iter().zip(&cols) {
        head.push_str(&format!("{:>w$}", vocab::area_short(*a)));
    }
    let head = d.styled(head.trim_end(), Role::Dim);
    d.out.push_str(&head);
    d.out.push('\n');
    for row in &v.rows {
        let name = vocab::fit(&sanitize_line(&row.layer.name), label_w - 1);
        let mut line = name.clone();
        line.push_str(&" ".repeat(label_w.saturating_sub(name.width())));
        let mut styled = d.styled(&line, Role::Plain);
        for (cell, w) in row.cells.iter().zip(&cols) {
            let (decided, open) = vocab::canvas_counts(cell);
            let t = vocab::canvas_cell(decided, open);
            let pad = " ".repeat(w.saturating_sub(t.width()));
            let role = match (decided, open) {
                (0, 0) => Role::Warn,
                (_, 0) => Role::Good,
                _ => Role::Plain,
            };
            styled.push_str(&pad);
            styled.push_str(&d.styled(&t, role));
        }
        d.out.push_str(&styled);
        d.out.push('\n');
    }
    d.none(0, "(✓ decided, ? open, · no decision: a gap)");
    d.section(
        "Gaps",
        &gaps,
        "None: every layer has a decision in every area.",
        |d, (layer, areas)| {
            d.wrap(
                2,
                4,
                &[
                    seg(vocab::BULLET, Role::Warn),
                    seg(vocab::gap(layer, areas), Role::Plain),
                ],
            );
        },
    );
    for row in &v.rows {
        d.heading(&sanitize_line(&row.layer.name));
        let cells: Vec<_> = row
            .cells
            .iter()
            .filter(|c| !c.decisions.is_empty())
            .collect();
        if cells.is_empty() {
            d.none(2, "No decisions yet.");
        }
        for cell in cells {
            d.wrap(2, 4, &[seg(cell.area.title(), Role::Title)]);
            for dl in &cell.decisions {
                let (word, st) = vocab::decision(dl.status);
                d.wrap(
                    4,
                    6,
                    &[
                        seg(vocab::BULLET, Role::Plain),
                        seg(sanitize_line(&dl.title), Role::Plain),
                        seg(" — ", Role::Plain),
                        seg(word, st),
                    ],
                );
                if let Some(c) = &dl.choice {
                    d.para(6, c, Role::Plain);
                }
            }
        }
    }
}

// ---------------------------------------------------------------- markdown

/// Escape roadmap text for markdown: sanitized, on one line, with markdown
/// punctuation (and `|`, for table cells) backslash-escaped.
pub fn md(s: &str) -> String {
    let one_line = sanitize(s).split('\n').collect::<Vec<_>>().join(" ");
    super::diffprint::md_chars(&one_line)
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

/// Facts joined by ` · `, escaped for markdown.
fn facts_md(parts: Vec<(String, Role)>) -> String {
    md(&vocab::plain(&vocab::dotted(parts)))
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
    conflicts_md(m, &v.conflicts);
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

fn conflicts_md(m: &mut Md, conflicts: &[ConflictLine]) {
    let none = format!("_{}_", vocab::NO_CONFLICTS);
    m.section(vocab::CONFLICTS, conflicts, &none, |m, conflicts| {
        for c in conflicts {
            m.line(&format!("- {}", md(&c.message)));
        }
        m.out.push('\n');
    });
}

fn exec_release_md(m: &mut Md, r: &ExecRelease) {
    m.h(4, &format!("{} — {}", md(&r.id), md(&r.name)));
    let span = vocab::span(r.start, r.target);
    let facts = vocab::facts(r.status, r.health, r.confidence, span);
    m.line(&format!("- Status: {}", facts_md(facts)));
    if let Some(c) = &r.critical_path {
        m.line(&format!(
            "- Critical path: {}",
            md(&vocab::plain(&vocab::critical_path(c)))
        ));
    }
    if let Some(e) = vocab::effort_share(&r.effort) {
        m.line(&format!("- Effort: {}", md(&e)));
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
                let mut facts = vocab::facts(f.status, f.health, None, None);
                if f.visibility == Visibility::Internal {
                    facts.push((vocab::INTERNAL.into(), Role::Dim));
                }
                let st = facts_md(facts);
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
            md(&vocab::metric_line(x))
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
        let title = vocab::commitment(g.commitment);
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
    let mut facts = vocab::facts(c.status, c.health, None, None);
    facts.extend(vocab::work_details(c).into_iter().map(|t| (t, Role::Plain)));
    facts.extend(vocab::schedule_facts(c));
    let mut l = format!(
        "- {} (`{}`) — {}; feature: {}",
        md(&c.title),
        code(&c.key),
        facts_md(facts),
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
    let span = vocab::span(None, r.target);
    let facts = vocab::facts(r.status, r.health, None, span);
    let _ = write!(s, " ({})", facts_md(facts));
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
        let rows: Vec<Vec<String>> = v
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![md(&r.release.id)];
                row.extend(r.cells.iter().zip(&r.effort).map(|(c, e)| {
                    if c.is_empty() {
                        "—".to_string()
                    } else if e.days > 0.0 {
                        format!("{} · {}", c.len(), vocab::effort_short(e.days))
                    } else {
                        c.len().to_string()
                    }
                }));
                let total: f64 = r.effort.iter().map(|e| e.days).sum();
                row.push(if total > 0.0 {
                    vocab::effort_short(total)
                } else {
                    String::new()
                });
                row
            })
            .collect();
        head.push("Effort".to_string());
        let head_ref: Vec<&str> = head.iter().map(String::as_str).collect();
        m.table(&head_ref, &rows);
        m.para("Work items and summed estimates per release and layer; — marks a layer the release does not touch.");
    }
    for row in &v.rows {
        m.h(3, &release_head_md(&row.release));
        if let Some(c) = &row.critical_path {
            m.line(&format!(
                "Critical path: {}",
                md(&vocab::plain(&vocab::critical_path(c)))
            ));
            m.out.push('\n');
        }
        for ((l, cell), effort) in v.layers.iter().zip(&row.cells).zip(&row.effort) {
            let mut t = format!("**{}**", md(&l.name));
            if let Some(team) = &l.team {
                let _ = write!(t, " ({})", md(team));
            }
            if let Some(e) = cell_effort(effort) {
                let _ = write!(t, " — {}", md(&e));
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
    conflicts_md(m, &v.conflicts);
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
                if let Some(e) = cell_effort(&s.effort) {
                    m.line(&format!("Effort: {}", md(&e)));
                    m.out.push('\n');
                }
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

fn md_canvas(m: &mut Md, v: &CanvasView) {
    md_header(m, &v.roadmap.title, "decision canvas", None, None);
    m.para(&format!(
        "{} decided, {} open, {} gaps (layer × area without a decision).",
        v.decided,
        v.open,
        v.gaps.len()
    ));
    let mut head = vec!["Layer".to_string()];
    head.extend(v.areas.iter().map(|a| a.title().to_string()));
    let head_ref: Vec<&str> = head.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = v
        .rows
        .iter()
        .map(|row| {
            let mut r = vec![md(&row.layer.name)];
            r.extend(row.cells.iter().map(|c| {
                if c.decisions.is_empty() {
                    "_gap_".to_string()
                } else {
                    c.decisions
                        .iter()
                        .map(|d| {
                            let mark = match d.status {
                                crate::model::DecisionStatus::Decided => "✓",
                                crate::model::DecisionStatus::Open => "?",
                            };
                            format!("{mark} {}", md(&d.title))
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            }));
            r
        })
        .collect();
    m.table(&head_ref, &rows);
    m.para("✓ decided, ? open, _gap_: no decision for that layer in that area.");
    let gaps = vocab::canvas_gaps(v);
    m.section(
        "Gaps",
        &gaps,
        "_None: every layer has a decision in every area._",
        |m, gaps| {
            for (layer, areas) in gaps {
                m.line(&format!("- {}", md(&vocab::gap(layer, areas))));
            }
            m.out.push('\n');
        },
    );
    let decided: Vec<(&str, &crate::lens::DecisionCell, &crate::lens::DecisionLine)> = v
        .rows
        .iter()
        .flat_map(|row| {
            row.cells.iter().flat_map(move |c| {
                c.decisions
                    .iter()
                    .map(move |d| (row.layer.name.as_str(), c, d))
            })
        })
        .collect();
    m.section("Decisions", &decided, "_No decisions yet._", |m, list| {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|(layer, c, d)| {
                vec![
                    md(layer),
                    c.area.title().to_string(),
                    format!("{} (`{}`)", md(&d.title), code(&d.id)),
                    d.status.to_string(),
                    opt(&d.choice),
                ]
            })
            .collect();
        m.table(&["Layer", "Area", "Decision", "Status", "Choice"], &rows);
    });
}

/// A title line for one of several roadmaps in one output.
pub fn separator(path: &str, view: &LensView, format: Format, color: bool) -> String {
    match format {
        Format::Markdown => format!("---\n\n_{}_ — {}\n\n", md(path), lens_title(view)),
        _ => {
            let rule = vocab::paint(Role::Dim, &"━".repeat(WIDTH), color);
            let p = vocab::paint(Role::Title, &sanitize_line(path), color);
            format!("{rule}\n{p}\n\n")
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
        d.wrap(4, 6, &[seg(long, Role::Plain)]);
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
        d.wrap(
            0,
            0,
            &[seg("hi there", Role::Good), seg(" plain", Role::Plain)],
        );
        // One escape pair per run of a style, not per word.
        assert_eq!(d.out, "\x1b[32mhi there\x1b[0m plain\n");
        let mut d = Doc::new(false);
        d.wrap(0, 0, &[seg("hi", Role::Good)]);
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
