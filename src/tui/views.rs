//! One loaded roadmap file with every lens projected and laid out as pages.
//!
//! Built once per load (also off the UI thread, for time travel), so that
//! switching tabs never re-reads files or re-projects.

use super::doc::{Doc, clean};
use super::theme::Role;
use crate::lens::{
    self, CanvasView, ConflictLine, DepEdge, EngineeringView, ExecView, InterfaceLine, ItemRef,
    LayerView, Lens, LensView, SalesView, WorkCard,
};
use crate::model::{EntityKind, LoadedFile, Roadmap};
use crate::vocab;
use std::cell::OnceCell;

/// One roadmap file: as loaded, and (when it has no errors) projected.
#[derive(Debug)]
pub struct Source {
    /// The path as shown to the user.
    pub display: String,
    /// Where it is on disk (working-tree files only).
    pub path: Option<std::path::PathBuf>,
    /// The file; its roadmap has moved into `views`.
    pub file: LoadedFile,
    pub views: Option<Box<Views>>,
}

impl Source {
    /// Its pages laid out at `measure` (see [`Views::remeasure`]).
    pub fn new(display: String, mut file: LoadedFile, measure: usize) -> Source {
        let views = file
            .roadmap
            .take()
            .map(|r| Box::new(Views::build(r, measure)));
        Source {
            display,
            path: None,
            file,
            views,
        }
    }

    pub fn roadmap(&self) -> Option<&Roadmap> {
        self.views.as_ref().map(|v| &v.roadmap)
    }

    /// The roadmap's title, or its path when it did not load.
    pub fn title(&self) -> String {
        match self.roadmap() {
            Some(r) if !r.meta.title.is_empty() => clean(&r.meta.title),
            _ => clean(&self.display),
        }
    }
}

/// Every lens of one roadmap, projected, with its pages. The Executive and
/// Sales lenses are projected at load (the first frame needs them); the
/// story map and the layer lenses on first use, from the same in-memory
/// roadmap (memoized: never re-read, never re-projected).
#[derive(Debug)]
pub struct Views {
    pub roadmap: Roadmap,
    pub exec: ExecView,
    pub sales: SalesView,
    pub exec_doc: Doc,
    pub sales_doc: Doc,
    eng: OnceCell<(EngineeringView, Doc)>,
    layers: Vec<OnceCell<Option<(LayerView, Doc)>>>,
    canvas: OnceCell<(CanvasView, Doc)>,
    /// The measure the pages are laid out at.
    measure: usize,
}

impl Views {
    pub fn build(roadmap: Roadmap, measure: usize) -> Views {
        let exec = lens::exec(&roadmap);
        let sales = lens::sales(&roadmap);
        Views {
            exec_doc: exec_doc(&exec, measure),
            sales_doc: sales_doc(&sales, measure),
            exec,
            sales,
            eng: OnceCell::new(),
            layers: roadmap.layers.iter().map(|_| OnceCell::new()).collect(),
            canvas: OnceCell::new(),
            measure,
            roadmap,
        }
    }

    /// Lay the pages out again at another measure (a resize): the views stay,
    /// the pages built so far are built again, the others when first used.
    pub fn remeasure(&mut self, measure: usize) {
        if measure == self.measure {
            return;
        }
        self.measure = measure;
        self.exec_doc = exec_doc(&self.exec, measure);
        self.sales_doc = sales_doc(&self.sales, measure);
        if let Some((v, d)) = self.eng.get_mut() {
            *d = eng_doc(v, measure);
        }
        for (v, d) in self.layers.iter_mut().filter_map(|c| c.get_mut()?.as_mut()) {
            *d = layer_doc(v, measure);
        }
        if let Some((v, d)) = self.canvas.get_mut() {
            *d = canvas_doc(v, measure);
        }
    }

    fn eng_pair(&self) -> &(EngineeringView, Doc) {
        self.eng.get_or_init(|| {
            let v = lens::engineering(&self.roadmap);
            let d = eng_doc(&v, self.measure);
            (v, d)
        })
    }

    /// The story map.
    pub fn eng(&self) -> &EngineeringView {
        &self.eng_pair().0
    }

    /// The lists under the story map: blocked, dependencies, interfaces.
    pub fn eng_doc(&self) -> &Doc {
        &self.eng_pair().1
    }

    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    fn layer_pair(&self, i: usize) -> Option<&(LayerView, Doc)> {
        self.layers
            .get(i)?
            .get_or_init(|| {
                let v = lens::layer(&self.roadmap, &self.roadmap.layers.get(i)?.id)?;
                let d = layer_doc(&v, self.measure);
                Some((v, d))
            })
            .as_ref()
    }

    /// The view of the `i`-th layer.
    pub fn layer(&self, i: usize) -> Option<&LayerView> {
        self.layer_pair(i).map(|p| &p.0)
    }

    pub fn layer_doc(&self, i: usize) -> Option<&Doc> {
        self.layer_pair(i).map(|p| &p.1)
    }

    fn canvas_pair(&self) -> &(CanvasView, Doc) {
        self.canvas.get_or_init(|| {
            let v = lens::decisions(&self.roadmap);
            let d = canvas_doc(&v, self.measure);
            (v, d)
        })
    }

    /// The decision canvas of the whole product.
    pub fn canvas(&self) -> &CanvasView {
        &self.canvas_pair().0
    }

    pub fn canvas_doc(&self) -> &Doc {
        &self.canvas_pair().1
    }

    /// The projected view of `lens`, for search (a copy: search owns it).
    pub fn lens_view(&self, lens: &Lens) -> Option<LensView> {
        Some(match lens {
            Lens::Exec => LensView::Exec(self.exec.clone()),
            Lens::Sales => LensView::Sales(self.sales.clone()),
            Lens::Engineering => LensView::Engineering(self.eng().clone()),
            Lens::Decisions => LensView::Decisions(self.canvas().clone()),
            Lens::Layer(id) => {
                let i = self.roadmap.layers.iter().position(|l| l.id == *id)?;
                LensView::Layer(self.layer(i)?.clone())
            }
        })
    }
}

fn r(entity: EntityKind, id: &str) -> ItemRef {
    ItemRef {
        entity,
        id: id.to_string(),
    }
}

fn pad(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let n = s.width();
    if n >= w {
        format!("{s}  ")
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// A name's column: `max` wide at most, leaving `rest` columns of the
/// measure for what follows it on the line.
fn column(measure: usize, max: usize, rest: usize) -> usize {
    max.min(measure.saturating_sub(rest)).max(12)
}

fn header_lines(d: &mut Doc, vision: Option<&str>, owner: Option<&str>) {
    if let Some(v) = vision {
        d.prose(0, v, Role::Title);
    }
    if let Some(o) = owner {
        d.line(vec![("Owner: ".into(), Role::Dim), (clean(o), Role::Plain)]);
    }
}

pub fn exec_doc(v: &ExecView, measure: usize) -> Doc {
    let mut d = Doc::new(measure);
    header_lines(
        &mut d,
        v.roadmap.vision.as_deref(),
        v.roadmap.owner.as_deref(),
    );
    d.heading("TIMELINE");
    if v.timeline.is_empty() {
        d.line(vec![("  (no releases)".into(), Role::Dim)]);
    }
    for b in &v.timeline {
        d.end_item();
        d.line(vec![(clean(&b.label), Role::Heading)]);
        for rel in &b.releases {
            d.item(r(EntityKind::Release, &rel.id));
            d.line(vec![
                ("  ".into(), Role::Plain),
                (pad(&clean(&rel.id), 4), Role::Dim),
                (clean(&rel.name), Role::Title),
            ]);
            let mut l = vec![("      ".into(), Role::Plain)];
            let span = vocab::span(rel.start, rel.target);
            l.extend(vocab::dotted(vocab::facts(
                rel.status,
                rel.health,
                rel.confidence,
                span,
            )));
            d.line(l);
            if let Some(c) = &rel.critical_path {
                let mut parts = vec![("critical path: ".to_string(), Role::Dim)];
                parts.extend(vocab::critical_path(c));
                d.styled(6, 8, &parts);
            }
            if let Some(e) = vocab::effort_share(&rel.effort) {
                d.line(vec![("      effort: ".into(), Role::Dim), (e, Role::Plain)]);
            }
            if !rel.themes.is_empty() {
                let t: Vec<String> = rel.themes.iter().map(|t| clean(t)).collect();
                d.line(vec![
                    ("      themes: ".into(), Role::Dim),
                    (t.join(" · "), Role::Plain),
                ]);
            }
            if let Some(s) = &rel.summary {
                d.prose(6, s, Role::Dim);
            }
            for f in &rel.features {
                d.item(r(EntityKind::Feature, &f.id));
                let mut l = vec![
                    ("    ".into(), Role::Plain),
                    (
                        format!("{} ", vocab::status_glyph(f.status)),
                        Role::Status(f.status),
                    ),
                    (
                        pad(&clean(&f.title), column(d.measure, 40, 26)),
                        Role::Plain,
                    ),
                    (f.status.to_string(), Role::Status(f.status)),
                ];
                if let Some(h) = f.health.filter(|h| h.is_troubled()) {
                    l.push((vocab::DOT.into(), Role::Plain));
                    l.push((vocab::health(h), Role::Health(h)));
                }
                if !f.visibility.eq(&crate::model::Visibility::Public) {
                    l.push((vocab::DOT.into(), Role::Plain));
                    l.push((vocab::INTERNAL.into(), Role::Dim));
                }
                d.line(l);
            }
            d.end_item();
        }
    }
    d.heading("OUTCOME THEMES");
    if v.themes.is_empty() {
        d.line(vec![("  (no themes)".into(), Role::Dim)]);
    }
    for t in &v.themes {
        d.item(r(EntityKind::Theme, &t.id));
        d.line(vec![
            ("  ".into(), Role::Plain),
            (clean(&t.title), Role::Title),
        ]);
        if let Some(o) = &t.outcome {
            d.line(vec![
                ("      outcome: ".into(), Role::Dim),
                (clean(o), Role::Plain),
            ]);
        }
        if let Some(m) = &t.metric {
            d.line(vec![
                ("      metric: ".into(), Role::Dim),
                (clean(&m.name), Role::Plain),
                (format!("  {}", vocab::metric_line(m)), Role::Good),
            ]);
        }
        for f in &t.features {
            d.item(r(EntityKind::Feature, &f.id));
            d.line(vec![
                ("      ".into(), Role::Plain),
                (pad(&clean(&f.release), 4), Role::Dim),
                (clean(&f.title), Role::Plain),
            ]);
        }
        d.end_item();
    }
    d.heading("METRICS (current → target)");
    if v.metrics.is_empty() {
        d.line(vec![("  (no metrics)".into(), Role::Dim)]);
    }
    for m in &v.metrics {
        d.item(r(EntityKind::Metric, &m.id));
        d.line(vec![
            ("  ".into(), Role::Plain),
            (pad(&clean(&m.name), column(d.measure, 48, 22)), Role::Plain),
            (vocab::metric_line(m), Role::Good),
        ]);
    }
    conflicts_doc(&mut d, &v.conflicts);
    d.heading("AT RISK OR BLOCKED");
    if v.risks.is_empty() {
        d.line(vec![("  nothing at risk".into(), Role::Good)]);
    }
    for x in &v.risks {
        d.item(r(x.entity, &x.id));
        let mut l = vec![
            ("  ".into(), Role::Plain),
            (pad(&vocab::health(x.health), 12), Role::Health(x.health)),
            (format!("{} ", x.entity), Role::Dim),
            (clean(&x.title), Role::Plain),
        ];
        if let Some(rel) = &x.release {
            l.push((format!("  ({})", clean(rel)), Role::Dim));
        }
        d.line(l);
    }
    d.end_item();
    d
}

/// The schedule conflicts, each an item (Enter: what it is about).
fn conflicts_doc(d: &mut Doc, conflicts: &[ConflictLine]) {
    d.heading(&vocab::CONFLICTS.to_uppercase());
    if conflicts.is_empty() {
        d.line(vec![("  no schedule conflicts".into(), Role::Good)]);
    }
    for c in conflicts {
        d.item(r(c.entity, &c.id));
        d.styled(2, 4, &vocab::conflict(c));
    }
    d.end_item();
}

pub fn sales_doc(v: &SalesView, measure: usize) -> Doc {
    let mut d = Doc::new(measure);
    header_lines(&mut d, v.roadmap.vision.as_deref(), None);
    for g in &v.groups {
        d.heading(&vocab::commitment(g.commitment).to_uppercase());
        if g.features.is_empty() {
            d.line(vec![("  (nothing yet)".into(), Role::Dim)]);
        }
        for f in &g.features {
            d.item(r(EntityKind::Feature, &f.id));
            // The quarter is the one time sales may say: whole, the title
            // cut before it when the line would not fit the measure.
            let when = f.when.as_ref().map(|w| w.to_string()).unwrap_or_default();
            let title = crate::vocab::fit(
                &clean(&f.title),
                d.measure.saturating_sub(4 + vocab::width(&when)).max(12),
            );
            let mut l = vec![
                ("  ".into(), Role::Plain),
                (pad(&title, column(d.measure, 44, 14)), Role::Title),
            ];
            if let Some(w) = &f.when {
                l.push((when, vocab::sales_when_role(w)));
            }
            d.line(l);
            if let Some(cv) = &f.customer_value {
                d.prose(4, cv, Role::Plain);
            }
        }
        d.end_item();
    }
    d
}

fn card_line(indent: &str, c: &WorkCard, d: &mut Doc) {
    d.item(r(EntityKind::Work, &c.key));
    let mut l = vec![
        (indent.to_string(), Role::Plain),
        (
            format!("{} ", vocab::status_glyph(c.status)),
            Role::Status(c.status),
        ),
        (
            pad(&clean(&c.title), column(d.measure, 44, indent.len() + 24)),
            Role::Plain,
        ),
    ];
    if let Some(h) = c.health.filter(|h| h.is_troubled()) {
        l.push((format!("{}  ", vocab::health(h)), Role::Health(h)));
    }
    l.push((vocab::work_details(c).join(vocab::DOT), Role::Dim));
    for (t, role) in vocab::schedule_facts(c) {
        l.push((vocab::DOT.into(), Role::Dim));
        l.push((t, role));
    }
    d.line(l);
}

fn edge_line(d: &mut Doc, e: &DepEdge, show_from: bool) {
    let (target, title, layer) = if show_from {
        (&e.from, &e.from_title, &e.from_layer)
    } else {
        (&e.to, &e.to_title, &e.to_layer)
    };
    d.item(target.clone());
    let mut l = vec![("  ".into(), Role::Plain), (clean(title), Role::Plain)];
    if let Some(layer) = layer {
        l.push((format!("  [{}]", clean(layer)), Role::Dim));
    }
    d.line(l);
}

fn interface_line(d: &mut Doc, i: &InterfaceLine) {
    d.item(r(EntityKind::Work, &i.work));
    d.line(vec![
        ("  ".into(), Role::Plain),
        (clean(&i.title), Role::Plain),
        (format!("  [{}]", clean(&i.layer)), Role::Dim),
    ]);
    d.line(vec![
        ("      ⇄ ".into(), Role::Dim),
        (clean(&i.contract), Role::Good),
    ]);
    if !i.consumers.is_empty() {
        let c: Vec<String> = i.consumers.iter().map(|c| clean(c)).collect();
        d.line(vec![
            ("      used by: ".into(), Role::Dim),
            (c.join(", "), Role::Plain),
        ]);
    }
}

pub fn eng_doc(v: &EngineeringView, measure: usize) -> Doc {
    let mut d = Doc::new(measure);
    d.heading("CRITICAL PATHS (★ in the story map)");
    if v.rows.iter().all(|row| row.critical_path.is_none()) {
        d.line(vec![("  no open work".into(), Role::Dim)]);
    }
    for row in &v.rows {
        let Some(c) = &row.critical_path else {
            continue;
        };
        d.item(r(EntityKind::Release, &row.release.id));
        let total: f64 = row.effort.iter().map(|e| e.days).sum();
        let mut parts = vec![(format!("{} ", clean(&row.release.id)), Role::Title)];
        parts.extend(vocab::critical_path(c));
        if total > 0.0 {
            parts.push((format!(" · effort {}", vocab::effort(total)), Role::Dim));
        }
        d.styled(2, 6, &parts);
    }
    d.end_item();
    conflicts_doc(&mut d, &v.conflicts);
    d.heading("BLOCKED");
    if v.blocked.is_empty() {
        d.line(vec![("  nothing blocked".into(), Role::Good)]);
    }
    for c in &v.blocked {
        card_line("  ", c, &mut d);
    }
    d.heading("DEPENDENCIES (→ depends on)");
    if v.dependencies.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for e in &v.dependencies {
        d.item(e.from.clone());
        let mut l = vec![
            ("  ".into(), Role::Plain),
            (clean(&e.from_title), Role::Plain),
        ];
        if let Some(x) = &e.from_layer {
            l.push((format!(" [{}]", clean(x)), Role::Dim));
        }
        l.push((
            "  →  ".into(),
            if e.cross_layer { Role::Warn } else { Role::Dim },
        ));
        l.push((clean(&e.to_title), Role::Plain));
        if let Some(x) = &e.to_layer {
            l.push((format!(" [{}]", clean(x)), Role::Dim));
        }
        if e.cross_layer {
            l.push(("  cross-layer".into(), Role::Warn));
        }
        d.line(l);
    }
    d.heading("INTERFACES");
    if v.interfaces.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for i in &v.interfaces {
        interface_line(&mut d, i);
    }
    d.end_item();
    d
}

pub fn layer_doc(v: &LayerView, measure: usize) -> Doc {
    let mut d = Doc::new(measure);
    let l = &v.layer;
    d.line(vec![
        (clean(&l.name), Role::Title),
        (format!("  ({})", clean(&l.id)), Role::Dim),
    ]);
    if let Some(t) = &l.team {
        d.line(vec![("Team: ".into(), Role::Dim), (clean(t), Role::Plain)]);
    }
    if let Some(c) = &l.cadence {
        d.line(vec![
            ("Cadence: ".into(), Role::Dim),
            (clean(c), Role::Plain),
        ]);
    }
    d.heading("SLICE ACROSS RELEASES");
    for s in &v.slices {
        d.item(r(EntityKind::Release, &s.release.id));
        let mut h = vec![
            (pad(&clean(&s.release.id), 4), Role::Dim),
            (clean(&s.release.name), Role::Title),
        ];
        h.push(("  ".into(), Role::Plain));
        let span = vocab::span(None, s.release.target);
        h.extend(vocab::dotted(vocab::facts(
            s.release.status,
            s.release.health,
            None,
            span,
        )));
        if s.effort.days > 0.0 {
            h.push((format!("  Σ {}", vocab::effort(s.effort.days)), Role::Dim));
        }
        d.line(h);
        if s.work.is_empty() {
            d.line(vec![("    (no work for this layer)".into(), Role::Dim)]);
        }
        for c in &s.work {
            card_line("    ", c, &mut d);
        }
        d.end_item();
    }
    d.heading("DEPENDS ON (other layers)");
    if v.depends_on.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for e in &v.depends_on {
        edge_line(&mut d, e, false);
    }
    d.end_item();
    d.heading("DEPENDED ON BY (other layers)");
    if v.depended_on_by.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for e in &v.depended_on_by {
        edge_line(&mut d, e, true);
    }
    d.end_item();
    d.heading("INTERFACES IT EXPOSES");
    if v.interfaces_out.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for i in &v.interfaces_out {
        interface_line(&mut d, i);
    }
    d.end_item();
    d.heading("INTERFACES IT CONSUMES");
    if v.interfaces_in.is_empty() {
        d.line(vec![("  (none)".into(), Role::Dim)]);
    }
    for i in &v.interfaces_in {
        interface_line(&mut d, i);
    }
    d.end_item();
    d.heading("DECISION CANVAS");
    for cell in &v.decisions {
        d.end_item();
        d.line(vec![(format!("  {}", cell.area.title()), Role::Title)]);
        if cell.decisions.is_empty() {
            d.line(vec![("    (no decisions)".into(), Role::Dim)]);
        }
        for x in &cell.decisions {
            d.item(r(EntityKind::Decision, &x.id));
            let (word, role) = vocab::decision(x.status);
            d.line(vec![
                ("    ".into(), Role::Plain),
                (pad(word, 8), role),
                (clean(&x.title), Role::Plain),
            ]);
            if let Some(c) = &x.choice {
                d.prose(13, c, Role::Dim);
            }
        }
    }
    d.end_item();
    d
}

/// The decision canvas: the matrix of layers × areas, the gaps, then each
/// layer's decisions (items: Enter opens a decision).
pub fn canvas_doc(v: &CanvasView, measure: usize) -> Doc {
    let mut d = Doc::new(measure);
    d.line(vec![
        ("Decision canvas".into(), Role::Title),
        (
            format!(
                "  {} decided · {} open · {} gaps",
                v.decided,
                v.open,
                v.gaps.len()
            ),
            Role::Dim,
        ),
    ]);
    d.blank();
    // The matrix: a column of layer names, one per area (laid out as the
    // CLI lays it out).
    let (name_w, cols) = vocab::canvas_columns(v, measure);
    let mut head = vec![(" ".repeat(name_w), Role::Dim)];
    for (a, w) in v.areas.iter().zip(&cols) {
        head.push((format!("{:>w$}", vocab::area_short(*a)), Role::Dim));
    }
    d.line(head);
    for row in &v.rows {
        d.item(r(EntityKind::Layer, &row.layer.id));
        let name = vocab::fit(&clean(&row.layer.name), name_w.saturating_sub(1));
        let mut l = vec![(pad(&name, name_w), Role::Title)];
        for (cell, w) in row.cells.iter().zip(&cols) {
            let (decided, open) = vocab::canvas_counts(cell);
            let role = match (decided, open) {
                (0, 0) => Role::Warn,
                (_, 0) => Role::Good,
                _ => Role::Plain,
            };
            let text = vocab::canvas_cell(decided, open);
            let gap = w.saturating_sub(vocab::width(&text));
            l.push((format!("{}{text}", " ".repeat(gap)), role));
        }
        d.line(l);
    }
    d.end_item();
    d.line(vec![(
        "✓ decided  ? open  · gap: no decision".into(),
        Role::Dim,
    )]);
    d.heading("GAPS");
    if v.gaps.is_empty() {
        d.line(vec![("  none".into(), Role::Good)]);
    }
    for (layer, areas) in vocab::canvas_gaps(v) {
        d.styled(
            2,
            4,
            &[
                ("▲ ".into(), Role::Warn),
                (vocab::gap(layer, &areas), Role::Plain),
            ],
        );
    }
    for row in &v.rows {
        d.heading(&clean(&row.layer.name).to_uppercase());
        let mut any = false;
        for cell in &row.cells {
            if cell.decisions.is_empty() {
                continue;
            }
            any = true;
            d.end_item();
            d.line(vec![(format!("  {}", cell.area.title()), Role::Title)]);
            for x in &cell.decisions {
                d.item(r(EntityKind::Decision, &x.id));
                let (word, role) = vocab::decision(x.status);
                d.line(vec![
                    ("    ".into(), Role::Plain),
                    (pad(word, 8), role),
                    (clean(&x.title), Role::Plain),
                ]);
                if let Some(c) = &x.choice {
                    d.prose(13, c, Role::Dim);
                }
            }
        }
        d.end_item();
        if !any {
            d.line(vec![("  (no decisions yet)".into(), Role::Dim)]);
        }
    }
    d
}
