//! Lenses: pure projections of a roadmap for one audience.
//!
//! Each lens is a function `&Roadmap -> view` returning plain data (no
//! widgets). The text/markdown/JSON printers and the TUI render these views
//! and nothing else, so a lens means one thing everywhere. Strings in views
//! are raw roadmap text: every renderer passes them through
//! [`crate::text::sanitize`] / [`crate::text::sanitize_line`].
//!
//! JSON (`serde::Serialize`) of a view is exactly what the lens shows.

use crate::model::{
    Area, Commitment, Confidence, DateSpec, DecisionStatus, EntityKind, Health, Roadmap, Status,
    Visibility,
};
use serde::Serialize;

mod canvas;
mod common;
pub mod detail;
mod engineering;
mod exec;
mod layer;
mod sales;
mod search;
#[cfg(test)]
mod testutil;
pub mod timeline;

pub use canvas::decisions;
pub use common::fmt_num;
pub use detail::detail;
pub use engineering::engineering;
pub use exec::exec;
pub use layer::layer;
pub use sales::{AVAILABLE_NOW, sales};
pub use search::search_items;
pub use timeline::{By, TimelineView, timeline};

/// Project a roadmap through a lens; `None` for a layer the roadmap lacks.
pub fn project(r: &Roadmap, lens: &Lens) -> Option<LensView> {
    Some(match lens {
        Lens::Exec => LensView::Exec(exec(r)),
        Lens::Sales => LensView::Sales(sales(r)),
        Lens::Engineering => LensView::Engineering(engineering(r)),
        Lens::Decisions => LensView::Decisions(decisions(r)),
        Lens::Layer(id) => LensView::Layer(layer(r, id)?),
    })
}

/// Every lens a roadmap can be seen through: `exec`, `sales`,
/// `engineering`, `decisions`, then `layer:<id>` for each of its layers.
pub fn lenses(r: &Roadmap) -> Vec<Lens> {
    let mut out = vec![Lens::Exec, Lens::Sales, Lens::Engineering, Lens::Decisions];
    out.extend(r.layers.iter().map(|l| Lens::Layer(l.id.clone())));
    out
}

/// How `lens` names a roadmap file (`None`: no lens, every detail): the
/// sales lens by its roadmap's title (a path can name a release or a
/// customer: `roadmaps/v3-aquatech.toml`), the others by its path. The one
/// rule for every command, format and view that heads a file.
pub fn file_name(lens: Option<&Lens>, path: &str, title: Option<&str>) -> String {
    match lens {
        Some(Lens::Sales) => title.unwrap_or(crate::vocab::A_ROADMAP).to_string(),
        _ => path.to_string(),
    }
}

/// Which lens to look through.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lens {
    Exec,
    Sales,
    Engineering,
    /// The decision canvas of the whole product (layers × decision areas).
    Decisions,
    /// One layer's vertical slice (the layer id).
    Layer(String),
}

impl Lens {
    /// Parse `exec`/`executive`, `sales`, `engineering`/`eng`,
    /// `decisions`/`canvas`, `layer:<id>`.
    pub fn parse(s: &str) -> Option<Lens> {
        match s {
            "exec" | "executive" => Some(Lens::Exec),
            "sales" => Some(Lens::Sales),
            "engineering" | "eng" => Some(Lens::Engineering),
            "decisions" | "canvas" => Some(Lens::Decisions),
            _ => s
                .strip_prefix("layer:")
                .filter(|id| !id.is_empty())
                .map(|id| Lens::Layer(id.to_string())),
        }
    }
    /// Whether this audience reads a broken file's diagnostics. They quote
    /// the file's lines (internal items, release ids, exact dates) and name
    /// its path: the sales lens is told only how many errors there are and
    /// where to look.
    pub fn reads_diagnostics(&self) -> bool {
        !matches!(self, Lens::Sales)
    }

    /// The canonical name (`exec`, `sales`, `engineering`, `layer:<id>`).
    pub fn name(&self) -> String {
        match self {
            Lens::Exec => "exec".into(),
            Lens::Sales => "sales".into(),
            Lens::Engineering => "engineering".into(),
            Lens::Decisions => "decisions".into(),
            Lens::Layer(id) => format!("layer:{id}"),
        }
    }
}

/// A reference to an entity, for details, search jumps and navigation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ItemRef {
    pub entity: EntityKind,
    /// The id (for work items: [`crate::model::WorkItem::key`]).
    pub id: String,
}

/// The roadmap's heading, common to every view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Header {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub vision: Option<String>,
}

// ---------------------------------------------------------------- executive

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecView {
    pub roadmap: Header,
    /// Releases bucketed by quarter (dated targets) or Now / Next / Later
    /// (horizon targets), in time order; "No target" last.
    pub timeline: Vec<TimelineBucket>,
    pub themes: Vec<ExecTheme>,
    pub metrics: Vec<MetricLine>,
    /// Releases, features and work items at risk, off track or blocked.
    pub risks: Vec<RiskLine>,
    /// Schedule conflicts, in file order.
    pub conflicts: Vec<ConflictLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineBucket {
    /// `2027-Q3`, `Now`, `Next`, `Later`, `No target`.
    pub label: String,
    pub releases: Vec<ExecRelease>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecRelease {
    pub id: String,
    pub name: String,
    pub start: Option<DateSpec>,
    pub target: Option<DateSpec>,
    pub status: Status,
    pub health: Option<Health>,
    pub confidence: Option<Confidence>,
    pub summary: Option<String>,
    /// Its critical path: the chain of open work that ends last
    /// ([`crate::plan`]); `None` when no open work is left.
    pub critical_path: Option<CriticalPath>,
    /// Summed estimates per layer, most first (layers without work left out).
    pub effort: Vec<LayerEffort>,
    /// Titles of the outcome themes its features serve.
    pub themes: Vec<String>,
    pub features: Vec<ExecFeature>,
}

/// A release's critical path, as the lenses show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriticalPath {
    /// The work items of the chain, first to last.
    pub steps: Vec<PathStep>,
    /// The name of the layer holding most of its days (its id when the
    /// roadmap lacks the layer).
    pub layer: Option<String>,
    /// Its last day (written as a date).
    pub ends: DateSpec,
    /// Days from its end to the end of the release's target: slack when
    /// positive, late when negative; `None` without a dated target.
    pub slack_days: Option<i64>,
}

/// One work item on a critical path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathStep {
    /// [`crate::model::WorkItem::key`].
    pub key: String,
    pub title: String,
}

/// Estimated effort of one layer in one release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerEffort {
    /// The layer's id.
    pub layer: String,
    /// The layer's name (its id when the roadmap lacks it).
    pub name: String,
    /// Summed estimates, in days.
    pub days: f64,
    /// Work items without an estimate (not in `days`).
    pub unestimated: usize,
}

/// A schedule conflict ([`crate::plan::conflicts`]), as `check` words it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictLine {
    pub kind: crate::plan::ConflictKind,
    /// What it is about: a work item, a feature or a release.
    pub entity: EntityKind,
    pub id: String,
    /// The dependency involved.
    pub other: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecFeature {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub health: Option<Health>,
    pub visibility: Visibility,
    pub business_value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecTheme {
    pub id: String,
    pub title: String,
    pub outcome: Option<String>,
    pub metric: Option<MetricLine>,
    /// The features that deliver it: (id, title, release id).
    pub features: Vec<ThemeFeature>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThemeFeature {
    pub id: String,
    pub title: String,
    pub release: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricLine {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub current: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskLine {
    pub entity: EntityKind,
    pub id: String,
    pub title: String,
    pub health: Health,
    /// The release it belongs to (id), for features and work items.
    pub release: Option<String>,
}

// -------------------------------------------------------------------- sales

/// Only public features, by commitment; customer-facing text and dates no
/// finer than a quarter. Never: internal features, health, effort, teams,
/// work items, business values, decisions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SalesView {
    pub roadmap: SalesHeader,
    /// Always three groups, in order: committed, planned, exploring.
    pub groups: Vec<SalesGroup>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SalesHeader {
    pub title: String,
    pub vision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SalesGroup {
    pub commitment: Commitment,
    pub features: Vec<SalesFeature>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SalesFeature {
    pub id: String,
    pub title: String,
    pub customer_value: Option<String>,
    /// When customers can have it; `None` for exploring (or no target).
    pub when: Option<When>,
}

/// When customers can have a feature, as the sales lens may say it: never
/// finer than a quarter. Written (and serialized) as `available now` or the
/// period (`2027-Q3`, `2027-H2`, `later`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// Shipped.
    AvailableNow,
    /// A quarter or coarser.
    Period(crate::model::DateSpec),
}

impl When {
    /// A key ordering "when"s in time: available now first, then periods by
    /// the end of their interval.
    pub fn sort_key(
        &self,
        today: jiff::civil::Date,
    ) -> (u8, (jiff::civil::Date, jiff::civil::Date)) {
        match self {
            When::AvailableNow => (0, (jiff::civil::Date::MIN, jiff::civil::Date::MIN)),
            When::Period(p) => (1, p.sort_key(today)),
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            When::AvailableNow => f.write_str(sales::AVAILABLE_NOW),
            When::Period(p) => write!(f, "{p}"),
        }
    }
}

impl Serialize for When {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// -------------------------------------------------------------- engineering

/// The story map: releases (rows) × layers (columns), work items per cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngineeringView {
    pub roadmap: Header,
    pub layers: Vec<LayerHead>,
    pub rows: Vec<StoryRow>,
    /// Blocked work items (health blocked, or depending on unfinished work in
    /// a blocked item).
    pub blocked: Vec<WorkCard>,
    /// Every dependency edge (feature or work item → what it depends on).
    pub dependencies: Vec<DepEdge>,
    /// Every interface contract a work item exposes.
    pub interfaces: Vec<InterfaceLine>,
    /// Schedule conflicts, in file order.
    pub conflicts: Vec<ConflictLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerHead {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub cadence: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseHead {
    pub id: String,
    pub name: String,
    pub target: Option<DateSpec>,
    pub status: Status,
    pub health: Option<Health>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryRow {
    pub release: ReleaseHead,
    /// One cell per layer, in the order of `EngineeringView::layers`; an empty
    /// cell is a layer this release does not touch.
    pub cells: Vec<Vec<WorkCard>>,
    /// Each cell's summed estimates (cancelled and deferred work left out).
    pub effort: Vec<CellEffort>,
    /// The release's critical path.
    pub critical_path: Option<CriticalPath>,
}

/// The summed estimates of one cell of the story map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellEffort {
    /// In days.
    pub days: f64,
    /// Work items without an estimate (not in `days`).
    pub unestimated: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkCard {
    /// [`crate::model::WorkItem::key`].
    pub key: String,
    pub title: String,
    pub feature: String,
    pub feature_title: String,
    pub release: String,
    pub layer: String,
    pub status: Status,
    pub health: Option<Health>,
    /// Own team or the layer's.
    pub team: Option<String>,
    pub estimate: Option<String>,
    pub start: Option<DateSpec>,
    pub end: Option<DateSpec>,
    /// Ids this item depends on.
    pub depends_on: Vec<String>,
    /// Keys of items that depend on this one.
    pub depended_on_by: Vec<String>,
    pub interface: Option<String>,
    /// On its release's (or another release's) critical path.
    pub critical: bool,
    /// Days its end can move before a release's critical path ends after
    /// its target (open work with a bounded slack).
    pub slack_days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DepEdge {
    pub from: ItemRef,
    pub from_title: String,
    /// Layer of `from` (work items only).
    pub from_layer: Option<String>,
    pub to: ItemRef,
    pub to_title: String,
    pub to_layer: Option<String>,
    /// Both ends are work items in different layers.
    pub cross_layer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InterfaceLine {
    /// The work item exposing the contract (key) and its layer.
    pub work: String,
    pub title: String,
    pub layer: String,
    pub contract: String,
    /// Keys of work items in other layers that depend on it.
    pub consumers: Vec<String>,
}

// ------------------------------------------------------------------- layer

/// One layer's vertical slice across all releases.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerView {
    pub roadmap: Header,
    pub layer: LayerHead,
    /// Every release in time order, with this layer's work (possibly none).
    pub slices: Vec<LayerSlice>,
    /// Edges where this layer's work depends on another layer's work.
    pub depends_on: Vec<DepEdge>,
    /// Edges where another layer's work depends on this layer's work.
    pub depended_on_by: Vec<DepEdge>,
    /// Contracts this layer exposes.
    pub interfaces_out: Vec<InterfaceLine>,
    /// Contracts of other layers that this layer's work consumes.
    pub interfaces_in: Vec<InterfaceLine>,
    /// All six decision areas, in order, each with this layer's decisions.
    pub decisions: Vec<DecisionCell>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerSlice {
    pub release: ReleaseHead,
    pub work: Vec<WorkCard>,
    /// The summed estimates of this layer's work in the release.
    pub effort: CellEffort,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionCell {
    pub area: Area,
    pub decisions: Vec<DecisionLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionLine {
    pub id: String,
    pub title: String,
    pub status: DecisionStatus,
    pub choice: Option<String>,
}

// ---------------------------------------------------------------- decisions

/// The decision canvas of the whole product: every layer × the six areas.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanvasView {
    pub roadmap: Header,
    /// The six areas, in order (the columns).
    pub areas: Vec<Area>,
    /// One row per layer, each with a cell per area (in `areas` order).
    pub rows: Vec<CanvasRow>,
    /// The empty cells: a layer with no decision in an area, in row order.
    pub gaps: Vec<CanvasGap>,
    /// How many decisions are decided, and how many open.
    pub decided: usize,
    pub open: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanvasRow {
    pub layer: LayerHead,
    pub cells: Vec<DecisionCell>,
}

/// No decision for this layer in this area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanvasGap {
    /// The layer's id and name.
    pub layer: String,
    pub layer_name: String,
    pub area: Area,
}

// ------------------------------------------------------- any lens's view

impl LensView {
    /// The lens this view was projected through.
    pub fn lens(&self) -> Lens {
        match self {
            LensView::Exec(_) => Lens::Exec,
            LensView::Sales(_) => Lens::Sales,
            LensView::Engineering(_) => Lens::Engineering,
            LensView::Decisions(_) => Lens::Decisions,
            LensView::Layer(v) => Lens::Layer(v.layer.id.clone()),
        }
    }
}

/// A projected view, for code that handles every lens alike.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LensView {
    Exec(ExecView),
    Sales(SalesView),
    Engineering(EngineeringView),
    Decisions(CanvasView),
    Layer(LayerView),
}

/// One searchable thing a lens shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchItem {
    pub target: ItemRef,
    /// The main line shown in results (usually the title).
    pub title: String,
    /// Other text the lens shows for it (id, values, ...), searched too.
    pub text: Vec<String>,
}

/// The detail of one item as a lens may show it: every field the lens
/// allows, in order. The sales lens's detail holds only sales fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detail {
    pub target: ItemRef,
    pub title: String,
    /// (field, value) pairs; `[extra]` fields as `extra.<key>`.
    pub fields: Vec<(String, String)>,
    /// Titled lists: "Depends on", "Depended on by", "Themes", "Work items"...
    pub sections: Vec<(String, Vec<String>)>,
}
