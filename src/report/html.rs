//! The page as HTML: a maud template, so every value is escaped for its
//! context by construction (text and attribute values alike); roadmap text,
//! commit messages and paths go through the one sanitizer first ([`l`],
//! [`m`]). No attribute holds roadmap text, nothing links anywhere, and the
//! only unescaped inserts are this module's own CSS and the timeline's SVG
//! (escaped by its own XML writer).

use super::{Page, Revision, Since};
use crate::cli::diffprint::{count_line, groups};
use crate::diff::{ChangeKind, FileDiff, FileStatus};
use crate::lens::{
    CanvasView, ConflictLine, DecisionCell, DepEdge, EngineeringView, ExecRelease, ExecView,
    InterfaceLine, LayerHead, LayerView, LensView, ReleaseHead, SalesView, WorkCard,
};
use crate::model::{Commitment, Confidence, DecisionStatus, Health, Status, Visibility};
use crate::text::{sanitize, sanitize_line};
use crate::vocab::{self, Role};
use maud::{DOCTYPE, Markup, PreEscaped, html as markup};

/// The `generator` of every page roadmap writes: how roadlens knows a file
/// is its own (see [`super::place`]).
pub const GENERATOR: &str = "roadlens";

/// The stylesheet, inline: the page loads nothing.
const CSS: &str = include_str!("page.css");

/// Nothing may load or run: no script, no frame, no request; the inline
/// stylesheet and inline images (the timeline's SVG) only.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                   base-uri 'none'; form-action 'none'";

/// Roadmap or git text on one line, sanitized.
fn l(s: &str) -> String {
    sanitize_line(s).into_owned()
}

/// Roadmap text that may span lines (shown with `white-space: pre-line`).
fn m(s: &str) -> String {
    sanitize(s).into_owned()
}

/// The CSS class of a vocabulary role (a fixed set: never roadmap text).
fn class(role: Role) -> &'static str {
    match role {
        Role::Plain | Role::Match => "",
        Role::Dim => "dim",
        Role::Heading | Role::Key => "heading",
        Role::Title => "strong",
        Role::Good => "good",
        Role::Bad => "bad",
        Role::Warn => "warn",
        Role::Status(s) => match s {
            Status::Planned => "st-planned",
            Status::InProgress => "st-in-progress",
            Status::Shipped => "st-shipped",
            Status::Deferred => "st-deferred",
            Status::Cancelled => "st-cancelled",
        },
        Role::Health(h) => match h {
            Health::OnTrack => "h-on-track",
            Health::AtRisk => "h-at-risk",
            Health::OffTrack => "h-off-track",
            Health::Blocked => "h-blocked",
        },
        Role::Commitment(c) => match c {
            Commitment::Committed => "c-committed",
            Commitment::Planned => "c-planned",
            Commitment::Exploring => "c-exploring",
        },
        Role::Change(k) => change_class(k),
    }
}

fn change_class(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "chg-added",
        ChangeKind::Removed => "chg-removed",
        ChangeKind::Renamed => "chg-renamed",
        ChangeKind::Changed => "chg-changed",
        ChangeKind::Moved => "chg-moved",
        ChangeKind::Slipped => "chg-slipped",
        ChangeKind::PulledIn => "chg-pulled_in",
        ChangeKind::Status => "chg-status",
        ChangeKind::Health => "chg-health",
        ChangeKind::Confidence => "chg-confidence",
        ChangeKind::Commitment => "chg-commitment",
        ChangeKind::Visibility => "chg-visibility",
        ChangeKind::Dependencies => "chg-dependencies",
        ChangeKind::CriticalPath => "chg-critical_path",
        ChangeKind::Conflict => "chg-conflict",
    }
}

/// Styled vocabulary parts as spans.
fn parts(ps: &[(String, Role)]) -> Markup {
    markup! {
        @for (t, r) in ps {
            @match class(*r) {
                "" => (l(t)),
                c => span class=(c) { (l(t)) },
            }
        }
    }
}

/// Vocabulary facts (status, health, confidence, span) as badges.
fn badges(facts: Vec<(String, Role)>) -> Markup {
    markup! {
        @for (t, r) in &facts {
            span class={ "badge " (class(*r)) } { (l(t)) }
        }
    }
}

fn facts(
    status: Status,
    health: Option<Health>,
    confidence: Option<Confidence>,
    span: Option<String>,
) -> Markup {
    badges(vocab::facts(status, health, confidence, span))
}

/// The page's heading: the roadmap's title and what the lens is.
fn heading(view: &LensView) -> (String, String) {
    match view {
        LensView::Exec(v) => (l(&v.roadmap.title), "Executive view".into()),
        LensView::Sales(v) => (
            l(&v.roadmap.title),
            "Sales view — what we can tell customers".into(),
        ),
        LensView::Engineering(v) => (l(&v.roadmap.title), "Engineering view".into()),
        LensView::Layer(v) => (l(&v.roadmap.title), format!("{} layer", l(&v.layer.name))),
        LensView::Decisions(v) => (
            l(&v.roadmap.title),
            "Decision canvas — every layer × the six areas".into(),
        ),
    }
}

/// The whole page.
pub fn html(p: &Page) -> String {
    let (title, kicker) = heading(&p.view);
    let sales = matches!(p.view, LensView::Sales(_));
    let lens_class = match &p.view {
        LensView::Exec(_) => "lens-exec",
        LensView::Sales(_) => "lens-sales",
        LensView::Engineering(_) => "lens-engineering",
        LensView::Layer(_) => "lens-layer",
        LensView::Decisions(_) => "lens-decisions",
    };
    markup! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="referrer" content="no-referrer";
                meta name="generator" content=(GENERATOR);
                title { (title) " — " (kicker) }
                style { (PreEscaped(CSS)) }
            }
            body class=(lens_class) {
                header.masthead {
                    p.kicker { (kicker) }
                    h1 { (title) }
                    (masthead(&p.view))
                }
                main {
                    // The timeline's SVG is its own XML writer's output, every
                    // text escaped there (see `super::timeline_svg`).
                    @if let Some(svg) = &p.timeline {
                        section.timeline {
                            h2 { "Timeline" }
                            figure.picture { (PreEscaped(svg)) }
                        }
                    }
                    @if let Some(s) = &p.since {
                        (changes(s, sales))
                    }
                    @match &p.view {
                        LensView::Exec(v) => (exec(v)),
                        LensView::Sales(v) => (sales_content(v)),
                        LensView::Engineering(v) => (engineering(v)),
                        LensView::Layer(v) => (layer(v)),
                        LensView::Decisions(v) => (canvas(v)),
                    }
                }
                (footer(p, sales))
            }
        }
    }
    .into_string()
}

/// Vision, owner, team and cadence: what each view's header holds.
fn masthead(view: &LensView) -> Markup {
    let (vision, owner) = match view {
        LensView::Exec(v) => (v.roadmap.vision.as_deref(), v.roadmap.owner.as_deref()),
        LensView::Sales(v) => (v.roadmap.vision.as_deref(), None),
        LensView::Engineering(v) => (None, v.roadmap.owner.as_deref()),
        LensView::Layer(_) => (None, None),
        LensView::Decisions(v) => (None, v.roadmap.owner.as_deref()),
    };
    markup! {
        @if let Some(v) = vision { p.vision { (m(v)) } }
        @if let Some(o) = owner { p.meta { "Owner: " (l(o)) } }
        @if let LensView::Layer(v) = view {
            @if let Some(t) = &v.layer.team { p.meta { "Team: " (l(t)) } }
            @if let Some(c) = &v.layer.cadence { p.meta { "Cadence: " (l(c)) } }
        }
    }
}

/// The label names the commit by its id (`3f1c2a9…`): it is shown short.
fn names_commit(r: &Revision) -> bool {
    r.label.len() >= 4
        && r.label.chars().all(|c| c.is_ascii_hexdigit())
        && r.commit
            .as_ref()
            .is_some_and(|c| c.id.starts_with(&r.label.to_ascii_lowercase()))
}

/// A revision's label as the user wrote it, sanitized; a commit id short.
fn label(r: &Revision) -> String {
    match &r.commit {
        Some(c) if names_commit(r) => c.short().to_string(),
        _ => l(&r.label),
    }
}

/// A revision as the footer and the changes heading say it:
/// `v2027.1 · 3f1c2a9 · 2027-01-15 · “Quarterly plan”` (no commit message in
/// the sales page).
fn revision_text(r: &Revision, sales: bool) -> String {
    if sales {
        return sales_revision(r);
    }
    let mut s = label(r);
    if r.uncommitted {
        s.push_str(" (with uncommitted changes)");
    }
    if let Some(c) = &r.commit {
        if r.head {
            s.push_str(&format!(" · HEAD {}", c.short()));
        } else if !names_commit(r) {
            s.push_str(&format!(" · {}", c.short()));
        }
        s.push_str(&format!(" · {}", c.day));
        if !sales && !c.subject.is_empty() {
            s.push_str(&format!(" · “{}”", l(&c.subject)));
        }
    }
    s
}

/// A revision as the sales page names it: only the quarter of its commit's
/// date (a tag or a commit id may name a release, and the sales lens never
/// shows a date finer than a quarter), as `roadlens timeline --lens sales`
/// names its baseline.
fn sales_revision(r: &Revision) -> String {
    let when = r
        .commit
        .as_ref()
        .map(|c| match c.day.parse() {
            Ok(d) => quarter(d),
            Err(_) => "an earlier version".into(),
        })
        .unwrap_or_else(|| "files on disk".into());
    if r.uncommitted {
        format!("{when} (with uncommitted changes)")
    } else {
        when
    }
}

/// `2027-Q2`.
fn quarter(d: jiff::civil::Date) -> String {
    // The one rule for how sales names a revision's day.
    crate::lens::timeline::BaselineLabel::for_lens(&crate::lens::Lens::Sales, "", Some(d)).rev
}

/// The heading's name of a base revision (under sales, its quarter).
fn base_name(r: &Revision, sales: bool) -> String {
    if sales { sales_revision(r) } else { label(r) }
}

fn footer(p: &Page, sales: bool) -> Markup {
    markup! {
        footer {
            p { span.label { "Revision: " } (revision_text(&p.revision, sales)) }
            @if let Some(s) = &p.since {
                p { span.label { "Changes since: " } (revision_text(&s.base, sales)) }
            }
            p { span.label { "Lens: " } (l(&p.lens().name())) }
            @if !sales {
                p { span.label { "File: " } (l(&p.path)) }
            }
            p { span.label { "Made: " } (if sales { quarter(p.made) } else { p.made.to_string() }) " by roadlens " (env!("CARGO_PKG_VERSION")) }
        }
    }
}

// ------------------------------------------------------------------ changes

/// "What changed since REV": the audience diff grouped by entity, each
/// change with its marker and sentence from the vocabulary (the words of
/// `roadlens diff --lens L`).
fn changes(s: &Since, sales: bool) -> Markup {
    let d: &FileDiff = &s.diff;
    markup! {
        section.changes {
            h2 { "What changed since " (base_name(&s.base, sales)) }
            @if !sales {
                p.intro.revision { (revision_text(&s.base, sales)) }
            }
            @if d.status == FileStatus::Unparseable {
                p.bad {
                    (vocab::file_status(FileStatus::Unparseable))
                    // (Under sales the audience diff's error names no place.)
                    @if let Some(e) = &d.error {
                        ": " (l(e))
                    }
                }
            } @else if d.changes.is_empty() {
                p.none { "No roadmap changes in this lens." }
            } @else {
                p.summary {
                    (l(&count_line(&d.changes)))
                    @if d.status != FileStatus::Modified {
                        " (" (vocab::file_status(d.status)) ")"
                    }
                }
                @if !sales && d.old_path.is_some() {
                    p.dim { "File: " (l(&d.shown_path())) }
                }
                @for g in groups(&d.changes) {
                    div.entity {
                        h3 { (parts(&vocab::entity_heading(g[0].entity, &g[0].id, &g[0].title, sales))) }
                        ul.change-list {
                            @for c in g {
                                li class=(change_class(c.kind)) {
                                    span.marker { (vocab::change_marker(c.kind)) } " "
                                    (parts(&vocab::sentence(c)))
                                    @for (k, v) in vocab::change_values(c) {
                                        div.value {
                                            span.marker { (vocab::change_marker(k)) } " "
                                            (l(&v))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// -------------------------------------------------------------- executive

fn exec(v: &ExecView) -> Markup {
    markup! {
        section.releases {
            h2 { "Releases" }
            @if v.timeline.is_empty() { p.none { "No releases." } }
            @for b in &v.timeline {
                h3 { (l(&b.label)) }
                div.cards { @for r in &b.releases { (exec_release(r)) } }
            }
        }
        section.themes {
            h2 { "Themes" }
            @if v.themes.is_empty() { p.none { "No themes." } }
            div.cards {
                @for t in &v.themes {
                    article.card {
                        h4 { (l(&t.title)) }
                        @if let Some(o) = &t.outcome { p.text { span.label { "Outcome: " } (m(o)) } }
                        @if let Some(x) = &t.metric {
                            p { span.label { "Metric: " } (l(&x.name)) ": " span.strong { (l(&vocab::metric_line(x))) } }
                        }
                        @if t.features.is_empty() {
                            p.none { "No features yet." }
                        } @else {
                            ul {
                                @for f in &t.features {
                                    li { (l(&f.title)) " " span.id { (l(&f.release)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.metrics {
            h2 { "Metrics" }
            @if v.metrics.is_empty() {
                p.none { "No metrics." }
            } @else {
                div.scroll {
                    table {
                        thead { tr { th { "Metric" } th { "Current → target" } } }
                        tbody {
                            @for x in &v.metrics {
                                tr { td { (l(&x.name)) } td.num { (l(&vocab::metric_line(x))) } }
                            }
                        }
                    }
                }
            }
        }
        (conflicts(&v.conflicts))
        section.risks {
            h2 { "Risks" }
            @if v.risks.is_empty() {
                p.none { "Nothing at risk, off track or blocked." }
            } @else {
                ul {
                    @for r in &v.risks {
                        li {
                            span class={ "badge " (class(Role::Health(r.health))) } { (vocab::health(r.health)) }
                            (l(&r.title))
                            " "
                            span.dim {
                                "(" (r.entity.as_str()) " " (l(&r.id))
                                @if let Some(rel) = &r.release { ", release " (l(rel)) }
                                ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

fn exec_release(r: &ExecRelease) -> Markup {
    markup! {
        article.card {
            div.card-head { h4 { (l(&r.name)) } span.id { (l(&r.id)) } }
            p.badges { (facts(r.status, r.health, r.confidence, vocab::span(r.start, r.target))) }
            @if let Some(c) = &r.critical_path {
                p { span.label { "Critical path: " } (parts(&vocab::critical_path(c))) }
            }
            @if let Some(e) = vocab::effort_share(&r.effort) {
                p { span.label { "Effort: " } (l(&e)) }
            }
            @if let Some(s) = &r.summary { p.text { (m(s)) } }
            @if !r.themes.is_empty() {
                p { span.label { "Themes: " } (l(&r.themes.join("; "))) }
            }
            @if r.features.is_empty() {
                p.none { "No features." }
            } @else {
                ul.features {
                    @for f in &r.features {
                        li {
                            span.title { (l(&f.title)) } " "
                            (facts(f.status, f.health, None, None))
                            @if f.visibility == Visibility::Internal {
                                span.badge.dim { (vocab::INTERNAL) }
                            }
                            @if let Some(bv) = &f.business_value { div.note { (m(bv)) } }
                        }
                    }
                }
            }
        }
    }
}

// ------------------------------------------------------------------ sales

fn sales_content(v: &SalesView) -> Markup {
    markup! {
        @for g in &v.groups {
            section.group {
                h2 class=(class(Role::Commitment(g.commitment))) { (vocab::commitment(g.commitment)) }
                @if g.features.is_empty() {
                    p.none { "Nothing here yet." }
                } @else {
                    div.cards {
                        @for f in &g.features {
                            article.card {
                                div.card-head {
                                    h4 { (l(&f.title)) }
                                    @if let Some(w) = &f.when {
                                        span class={ "badge " (class(vocab::sales_when_role(w))) } { (l(&w.to_string())) }
                                    }
                                }
                                @if let Some(cv) = &f.customer_value { p.text { (m(cv)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ------------------------------------------------------------ engineering

fn layer_name<'a>(layers: &'a [LayerHead], id: &'a str) -> &'a str {
    layers
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.as_str())
        .unwrap_or(id)
}

fn release_head(r: &ReleaseHead) -> Markup {
    markup! {
        div.card-head { span.title { (l(&r.name)) } span.id { (l(&r.id)) } }
        div.badges { (facts(r.status, r.health, None, vocab::span(None, r.target))) }
    }
}

/// A work item: title and key, status and health, its effort (estimate),
/// team and dates; `full` adds what it needs, what needs it and its
/// interface.
fn work(c: &WorkCard, layer: Option<&str>, full: bool) -> Markup {
    markup! {
        div.work {
            span.title { (l(&c.title)) } " " span.id { (l(&c.key)) }
            div {
                (facts(c.status, c.health, None, None))
                @if let Some(x) = layer { span.badge { (l(x)) } }
                @if let Some(e) = &c.estimate { span.badge.strong { "effort " (l(e)) } }
                @if let Some(t) = &c.team { span.badge { (l(t)) } }
                @if let Some(s) = vocab::span(c.start, c.end) { span.badge { (l(&s)) } }
            }
            @if full {
                p.note { "feature: " (l(&c.feature_title)) }
                @if !c.depends_on.is_empty() { p.note { "needs: " (l(&c.depends_on.join(", "))) } }
                @if !c.depended_on_by.is_empty() { p.note { "needed by: " (l(&c.depended_on_by.join(", "))) } }
                @if let Some(i) = &c.interface { p.note { "interface: " (l(i)) } }
            }
        }
    }
}

fn edge(e: &DepEdge, mark_cross: bool) -> Markup {
    let end = |id: &str, layer: &Option<String>, entity: crate::model::EntityKind| match layer {
        Some(x) => format!("{} ({})", l(id), l(x)),
        None => format!("{} ({entity})", l(id)),
    };
    markup! {
        li {
            (end(&e.from.id, &e.from_layer, e.from.entity))
            " → "
            (end(&e.to.id, &e.to_layer, e.to.entity))
            @if mark_cross && e.cross_layer { " " span.warn { "(cross-layer)" } }
        }
    }
}

fn edges(title: &str, es: &[DepEdge], mark_cross: bool, empty: &str) -> Markup {
    markup! {
        section.deps {
            h2 { (title) }
            @if es.is_empty() {
                p.none { (empty) }
            } @else {
                p.intro { "A → B: A depends on B." }
                ul { @for e in es { (edge(e, mark_cross)) } }
            }
        }
    }
}

fn interfaces(title: &str, is: &[InterfaceLine], layers: Option<&[LayerHead]>) -> Markup {
    markup! {
        section.interfaces {
            h2 { (title) }
            @if is.is_empty() { p.none { "None." } }
            div.cards {
                @for i in is {
                    article.card {
                        div.card-head { span.title { (l(&i.title)) } span.id { (l(&i.work)) } }
                        @if let Some(ls) = layers { p.dim { (l(layer_name(ls, &i.layer))) } }
                        p.contract { (m(&i.contract)) }
                        @if i.consumers.is_empty() {
                            p.none { "No consumers in other layers." }
                        } @else {
                            p.note { "consumers: " (l(&i.consumers.join(", "))) }
                        }
                    }
                }
            }
        }
    }
}

fn engineering(v: &EngineeringView) -> Markup {
    markup! {
        section.storymap-section {
            h2 { "Story map" }
            @if v.rows.is_empty() {
                p.none { "No releases." }
            } @else {
                p.intro { "Releases × layers: each cell holds the release's work in that layer, with its effort; · marks a layer the release does not touch." }
                div.scroll {
                    table.storymap {
                        thead {
                            tr {
                                th scope="col" { "Release" }
                                @for x in &v.layers {
                                    th scope="col" {
                                        (l(&x.name))
                                        @if let Some(t) = &x.team { br; span.dim { (l(t)) } }
                                    }
                                }
                            }
                        }
                        tbody {
                            @for row in &v.rows {
                                tr {
                                    th scope="row" { (release_head(&row.release)) }
                                    @for cell in &row.cells {
                                        @if cell.is_empty() {
                                            td.empty { "·" }
                                        } @else {
                                            td { @for c in cell { (work(c, None, false)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.blocked {
            h2 { "Blocked" }
            @if v.blocked.is_empty() { p.none { "Nothing is blocked." } }
            div.cards {
                @for c in &v.blocked {
                    article.card { (work(c, Some(layer_name(&v.layers, &c.layer)), true)) }
                }
            }
        }
        (edges("Dependencies", &v.dependencies, true, "No dependencies."))
        (interfaces("Interfaces", &v.interfaces, Some(&v.layers)))
        (conflicts(&v.conflicts))
    }
}

/// The schedule conflicts of the view, as `roadlens show` lists them (the
/// same lines, in `check`'s words: [`vocab::conflict`]).
fn conflicts(cs: &[ConflictLine]) -> Markup {
    markup! {
        section.conflicts {
            h2 { (vocab::CONFLICTS) }
            @if cs.is_empty() {
                p.none { (vocab::NO_CONFLICTS) }
            } @else {
                ul {
                    @for c in cs {
                        li { (parts(&vocab::conflict(c))) }
                    }
                }
            }
        }
    }
}

// ------------------------------------------------------------------ layer

fn layer(v: &LayerView) -> Markup {
    markup! {
        section.slices {
            h2 { "Work by release" }
            @if v.slices.is_empty() { p.none { "No releases." } }
            div.cards {
                @for s in &v.slices {
                    article.card {
                        (release_head(&s.release))
                        @if s.work.is_empty() {
                            p.none { "No work for this layer." }
                        } @else {
                            @for c in &s.work { (work(c, None, true)) }
                        }
                    }
                }
            }
        }
        (edges("Depends on other layers", &v.depends_on, false, "Nothing."))
        (edges("Depended on by other layers", &v.depended_on_by, false, "Nothing."))
        (interfaces("Interfaces this layer exposes", &v.interfaces_out, None))
        (interfaces("Interfaces this layer consumes", &v.interfaces_in, Some(&[])))
        section.decisions {
            h2 { "Decisions" }
            div.canvas {
                @for cell in &v.decisions { (area_cell(cell)) }
            }
        }
    }
}

/// One layer's decisions in one area (a gap dashed).
fn area_cell(cell: &DecisionCell) -> Markup {
    markup! {
        article class={ "card area" @if cell.decisions.is_empty() { " gap" } } {
            h3 { (cell.area.title()) }
            @if cell.decisions.is_empty() {
                p.none { "No decision yet." }
            } @else {
                ul {
                    @for d in &cell.decisions {
                        li {
                            (l(&d.title)) " "
                            (decision(d.status))
                            @if let Some(c) = &d.choice { div.note { (m(c)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The decision canvas of the whole product: each layer's six areas, and
/// the gaps said in words.
fn canvas(v: &CanvasView) -> Markup {
    markup! {
        section.decisions {
            h2 { "Decisions: " (v.decided) " decided, " (v.open) " open" }
            @for row in &v.rows {
                h3 { (l(&row.layer.name)) }
                div.canvas {
                    @for cell in &row.cells { (area_cell(cell)) }
                }
            }
        }
        @if !v.gaps.is_empty() {
            section.gaps {
                h2 { "Gaps" }
                ul {
                    @for (layer, areas) in vocab::canvas_gaps(v) {
                        li { (vocab::gap(layer, &areas)) }
                    }
                }
            }
        }
    }
}

fn decision(s: DecisionStatus) -> Markup {
    let (word, role) = vocab::decision(s);
    markup! { span class={ "badge " (class(role)) } { (word) } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CommitInfo;

    fn rev(label: &str) -> Revision {
        Revision {
            label: label.into(),
            commit: Some(CommitInfo {
                id: "3f1c2a9d00000000000000000000000000000000".into(),
                day: "2027-01-15".into(),
                subject: "Plan \u{1b}[31m<b>".into(),
            }),
            head: false,
            uncommitted: false,
        }
    }

    #[test]
    fn revisions_are_named_short_with_their_day_and_subject() {
        assert_eq!(
            revision_text(&rev("3f1c2a9d00000000000000000000000000000000"), false),
            "3f1c2a9 · 2027-01-15 · “Plan <b>”"
        );
        assert_eq!(
            revision_text(&rev("v2027.1"), false),
            "v2027.1 · 3f1c2a9 · 2027-01-15 · “Plan <b>”"
        );
        // The sales page: the quarter only (no tag, commit id, day or
        // commit message).
        assert_eq!(revision_text(&rev("v2027.1"), true), "2027-Q1");
        let mut w = rev("working tree");
        w.head = true;
        w.uncommitted = true;
        assert_eq!(
            revision_text(&w, false),
            "working tree (with uncommitted changes) · HEAD 3f1c2a9 · 2027-01-15 · “Plan <b>”"
        );
        assert_eq!(
            revision_text(&w, true),
            "2027-Q1 (with uncommitted changes)"
        );
        assert_eq!(label(&rev("3F1C2A9D")), "3f1c2a9");
        assert_eq!(label(&rev("beef")), "beef");
    }
}
