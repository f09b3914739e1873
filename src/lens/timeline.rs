//! The timeline: a lens's view drawn over time, against an optional
//! baseline (any earlier version of the same roadmap).
//!
//! [`timeline`] is a pure projection like every lens: `(&Roadmap, lens,
//! grouping, baseline, today) -> TimelineView`, plain data that the TUI,
//! the text chart, Mermaid, JSON and SVG printers draw.
//!
//! - **exec**: one group per release (time order): the release itself
//!   (start → target, the target a milestone ◆), then its features (as
//!   the schedule places their work).
//! - **sales**: built from the sales view only ([`super::sales`]): public
//!   features by commitment, each over the period the view says (a
//!   quarter at the finest), "available now" once shipped, exploring
//!   features without a bar. No release names, ids, exact dates, health.
//! - **engineering**, **`layer:<id>`**: work items in swimlanes per layer
//!   (`By::Layer`) or per release (`By::Release`).
//! - Work items and features are where the schedule puts them
//!   ([`crate::plan::schedule`], worked out once per projection): a bar over
//!   their interval, in the Now / Next / Later column after the dated part
//!   when a horizon places them ([`crate::plan::Planned::horizon`],
//!   [`Place::Horizon`]), "no date" when nothing does; a release runs from
//!   its start (written, else its earliest work's, as the schedule says) to
//!   its target, in its column when that is a horizon.
//! - With a baseline, each row also holds where the same entity was in
//!   the baseline ([`Was`]) and how its end moved ([`RowShift`]), in the
//!   diff's units and words ("slipped by 1 quarter: 2027-Q3 → 2027-Q4",
//!   tag "+1 quarter"); entities the baseline had and this version has not
//!   are listed in `removed`.

use super::common::releases_in_time_order;
use super::{Lens, When, sales};
use crate::model::date::{Amount, Shift, compare};
use crate::model::{
    Commitment, Confidence, DateSpec, EntityKind, Health, Horizon, Roadmap, Status,
};
use crate::plan::{self, Basis, Planned, Schedule};
use foldhash::HashMap;
use foldhash::HashMapExt;
use jiff::civil::Date;
use serde::Serialize;

/// How rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Release,
    Layer,
    /// The sales lens: committed / planned / exploring.
    Commitment,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Release => "release",
            By::Layer => "layer",
            By::Commitment => "commitment",
        }
    }

    /// The grouping a lens uses unless told otherwise.
    pub fn default_for(lens: &Lens) -> By {
        match lens {
            Lens::Exec => By::Release,
            Lens::Sales => By::Commitment,
            Lens::Engineering | Lens::Layer(_) | Lens::Decisions => By::Layer,
        }
    }

    /// Whether `lens` can be grouped this way (exec by release, sales by
    /// commitment, engineering and layers by layer or release).
    pub fn fits(self, lens: &Lens) -> bool {
        match lens {
            Lens::Exec => self == By::Release,
            Lens::Sales => self == By::Commitment,
            Lens::Engineering | Lens::Layer(_) => matches!(self, By::Layer | By::Release),
            Lens::Decisions => false,
        }
    }
}

/// Whether a lens can be drawn over time: every lens but the decision
/// canvas (decisions have no dates).
pub fn has_timeline(lens: &Lens) -> bool {
    !matches!(lens, Lens::Decisions)
}

/// A lens's view over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineView {
    /// The roadmap's title.
    pub title: String,
    /// `exec`, `sales`, `engineering`, `layer:<id>`.
    pub lens: String,
    pub by: By,
    /// The day the chart is drawn for (the today line; horizons resolve
    /// against it): today, or in the sales lens the first day of today's
    /// quarter.
    #[serde(skip)]
    pub today: Date,
    /// Today as the lens may say it: the day, or its quarter in the sales
    /// lens (which never shows a date finer than a quarter).
    #[serde(rename = "today")]
    pub today_text: String,
    /// What the baseline is (set by the caller: a revision and its date);
    /// `None` without a baseline.
    pub baseline: Option<BaselineLabel>,
    pub groups: Vec<TimelineGroup>,
    /// Entities the baseline had that this version has not (ghosts only).
    pub removed: Vec<TimelineRow>,
    /// The dated extent and the horizon columns used, computed once
    /// ([`TimelineView::measure`]).
    #[serde(skip)]
    pub extent: Extent,
}

/// What the chart's axis needs to know of every row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extent {
    pub range: Option<(Date, Date)>,
    pub horizons: Vec<Horizon>,
}

fn opt_as_text<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// How a baseline is named in headers: `v2027.1 · 2027-01-15`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BaselineLabel {
    /// The revision as the user named it (a tag, a short commit id).
    pub rev: String,
    /// The commit's date.
    #[serde(serialize_with = "opt_as_text")]
    pub date: Option<Date>,
}

impl BaselineLabel {
    /// How `lens` names a baseline: the revision as the user named it and
    /// its date; under the sales lens only the quarter of that date (a tag
    /// may name a release, and sales never shows a date finer than a
    /// quarter).
    pub fn for_lens(lens: &Lens, rev: &str, date: Option<Date>) -> BaselineLabel {
        match lens {
            Lens::Sales => BaselineLabel {
                rev: date
                    .map(|d| DateSpec::Day(d).coarse_quarter().to_string())
                    .unwrap_or_default(),
                date: None,
            },
            _ => BaselineLabel {
                rev: rev.to_string(),
                date,
            },
        }
    }
}

impl std::fmt::Display for BaselineLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.rev.is_empty(), self.date) {
            (false, Some(d)) => write!(f, "{} · {d}", self.rev),
            (false, None) => f.write_str(&self.rev),
            (true, Some(d)) => write!(f, "{d}"),
            (true, None) => f.write_str("baseline"),
        }
    }
}

/// A release, a layer or a commitment group, with its rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineGroup {
    /// The release or layer id, or the commitment.
    pub id: String,
    pub title: String,
    pub rows: Vec<TimelineRow>,
}

/// One bar of the chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineRow {
    pub entity: EntityKind,
    /// The id (work items: [`WorkItem::key`]).
    pub id: String,
    pub label: String,
    /// 0: a release (or a row of its own); 1: under a release.
    pub depth: u8,
    pub place: Place,
    /// The end is a milestone (a release's target).
    pub milestone: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Commitment>,
    /// The layer of a work item (engineering and layer lenses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Where it was in the baseline (`None`: no baseline asked).
    pub baseline: Option<Was>,
    /// How its end moved since the baseline (`None`: no baseline, not in
    /// it, or no end on either side).
    pub shift: Option<Box<RowShift>>,
}

/// Where a row sits in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// A bar from the start of `start`'s period to the end of `end`'s
    /// (written as in the file, or a derived day; `derived` when either
    /// came from the schedule or the release rather than the row itself).
    Bar {
        start: DateSpec,
        end: DateSpec,
        derived: bool,
    },
    /// In the Now / Next / Later column after the dated part.
    Horizon { horizon: Horizon },
    /// Shipped (sales: "available now").
    AvailableNow,
    /// No date (no target, or exploring).
    Unscheduled,
}

impl Place {
    /// The dated interval `[start, end)` of a bar.
    pub fn interval(&self, today: Date) -> Option<(Date, Date)> {
        match self {
            Place::Bar { start, end, .. } => {
                let s = start.interval(today).start;
                let e = end.interval(today).end?;
                Some((s.min(e), e))
            }
            _ => None,
        }
    }

    /// The target the end stands for (what slips are measured on).
    pub fn end_spec(&self) -> Option<DateSpec> {
        match self {
            Place::Bar { end, .. } => Some(*end),
            Place::Horizon { horizon } => Some(DateSpec::Horizon(*horizon)),
            Place::AvailableNow | Place::Unscheduled => None,
        }
    }
}

/// Where a row's entity was in the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Was {
    pub in_baseline: bool,
    /// Its place there (`None` when not in the baseline).
    pub place: Option<Place>,
    /// Its commitment there, where the lens shows one (sales).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Commitment>,
}

/// How a target is said to have moved between two versions (the diff's
/// kinds: a refinement or a target made less precise is no slip).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    Same,
    Slipped,
    PulledIn,
    Refined,
    LessPrecise,
}

/// A row's move since the baseline: the diff's comparison of its two
/// ends, worded when shown or serialized (as `kind`, `amount`, `tag`,
/// `summary`).
#[derive(Clone, Debug, PartialEq)]
pub struct RowShift {
    pub kind: ShiftKind,
    pub shift: Shift,
    /// The end in the baseline and now.
    pub old: DateSpec,
    pub new: DateSpec,
}

impl RowShift {
    fn new(old: &DateSpec, new: &DateSpec, today: Date) -> RowShift {
        let shift = compare(old, new, today);
        let kind = match shift {
            Shift::Same => ShiftKind::Same,
            Shift::Slipped { .. } => ShiftKind::Slipped,
            Shift::PulledIn { .. } => ShiftKind::PulledIn,
            Shift::Refined => ShiftKind::Refined,
            Shift::Coarsened => ShiftKind::LessPrecise,
        };
        RowShift {
            kind,
            shift,
            old: *old,
            new: *new,
        }
    }

    /// `1 quarter`, `3 weeks` (`None` where a horizon is involved or for
    /// anything but a slip or pull-in).
    pub fn amount(&self) -> Option<Amount> {
        self.shift.amount()
    }

    /// The short tag drawn beside the bar: `+1 quarter`, `-3 weeks`,
    /// `slipped`, `refined`, `same`.
    pub fn tag(&self) -> String {
        crate::vocab::shift_tag(&self.shift)
    }

    /// The diff's sentence: `slipped by 1 quarter: 2027-Q3 → 2027-Q4`.
    pub fn summary(&self) -> String {
        crate::diff::target_sentence("target", &self.shift, &self.old, &self.new)
            .map(|(_, s)| s)
            .unwrap_or_else(|| format!("{} {}", crate::vocab::SAME_TARGET, self.new))
    }
}

impl Serialize for RowShift {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("RowShift", 4)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("amount", &self.amount().map(|a| a.to_string()))?;
        st.serialize_field("tag", &self.tag())?;
        st.serialize_field("summary", &self.summary())?;
        st.end()
    }
}

/// How a row stands against the baseline: the one rule the chart, the
/// Mermaid notes and the SVG word (see [`crate::vocab::against_tag`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Against<'v> {
    /// Listed after the groups: the baseline had it, this version has not.
    NotInThisVersion,
    /// New since the baseline.
    NotInBaseline,
    /// Both have an end: how it moved (or `Same`), as the diff says it.
    Shift(&'v RowShift),
    /// No end to compare on one side or both (undated, available now),
    /// and the same place in both.
    Unchanged,
    /// No end to compare, and the place changed (e.g. a date given or
    /// taken away).
    Moved,
}

impl TimelineView {
    /// Whether `row` is one of [`TimelineView::removed`] (listed after the
    /// groups, not in this version): by place, so a row of this view, not a
    /// copy of one.
    pub fn is_removed(&self, row: &TimelineRow) -> bool {
        self.removed
            .as_ptr_range()
            .contains(&(row as *const TimelineRow))
    }

    /// How `row` (one of this view's) stands against the baseline; `None`
    /// without a baseline.
    pub fn against<'v>(&'v self, row: &'v TimelineRow) -> Option<Against<'v>> {
        let was = row.baseline.as_ref()?;
        Some(if self.is_removed(row) {
            Against::NotInThisVersion
        } else if !was.in_baseline {
            Against::NotInBaseline
        } else if let Some(s) = &row.shift {
            Against::Shift(s)
        } else if was.place == Some(row.place) {
            Against::Unchanged
        } else {
            Against::Moved
        })
    }

    /// Every row, group by group, then the removed ones.
    pub fn rows(&self) -> impl Iterator<Item = &TimelineRow> {
        self.groups
            .iter()
            .flat_map(|g| &g.rows)
            .chain(&self.removed)
    }

    /// The dated extent `[start, end)` of every bar and ghost bar, and
    /// today; `None` when nothing is dated.
    pub fn dated_range(&self) -> Option<(Date, Date)> {
        self.extent.range
    }

    /// Whether any row is drawn with a milestone (a release's target ◆; its
    /// ghost ◇ with a baseline): what a legend names, no more. Sales and
    /// work-item timelines have none.
    pub fn has_milestones(&self) -> bool {
        self.rows().any(|r| r.milestone)
    }

    /// The horizon columns any row or ghost uses, in order.
    pub fn horizons(&self) -> Vec<Horizon> {
        self.extent.horizons.clone()
    }

    /// Compute [`TimelineView::extent`] (after the rows changed).
    pub fn measure(&mut self) {
        let today = self.today;
        let mut lo: Option<Date> = None;
        let mut hi: Option<Date> = None;
        let mut used = [false; 3];
        let places = self
            .rows()
            .flat_map(|r| [Some(r.place), r.baseline.and_then(|w| w.place)])
            .flatten();
        for p in places {
            if let Some((s, e)) = p.interval(today) {
                lo = Some(lo.map_or(s, |l| l.min(s)));
                hi = Some(hi.map_or(e, |h| h.max(e)));
            }
            if let Place::Horizon { horizon } = p {
                used[horizon as usize] = true;
            }
        }
        self.extent = Extent {
            range: lo
                .zip(hi)
                .map(|(lo, hi)| (lo.min(today), hi.max(today.tomorrow().unwrap_or(today)))),
            horizons: [Horizon::Now, Horizon::Next, Horizon::Later]
                .into_iter()
                .filter(|h| used[*h as usize])
                .collect(),
        };
    }
}

/// The timeline of `r` through `lens`, grouped `by` (see
/// [`By::default_for`]), against `baseline` when given. `None` for a layer
/// the roadmap lacks, or a grouping the lens has not ([`By::fits`]).
pub fn timeline(
    r: &Roadmap,
    lens: &Lens,
    by: By,
    baseline: Option<&Roadmap>,
    today: Date,
) -> Option<TimelineView> {
    let now = project(r, lens, by)?;
    // A baseline without the layer (or with nothing to draw): all is new.
    let base = baseline.map(|b| project(b, lens, by).unwrap_or_else(|| Projection::empty(by)));
    Some(TimelineView::of(now, lens, base.as_ref(), today))
}

/// One roadmap's rows through a lens, before any baseline: what
/// [`TimelineView::of`] compares. A caller that draws many versions
/// against one baseline (the TUI's time-lapse) projects the baseline once.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// The roadmap's title.
    pub title: String,
    pub by: By,
    pub groups: Vec<TimelineGroup>,
}

impl Projection {
    /// No rows (a baseline that lacks what the lens shows).
    pub fn empty(by: By) -> Projection {
        Projection {
            title: String::new(),
            by,
            groups: vec![],
        }
    }
}

impl TimelineView {
    /// The view of `now` (projected through `lens`) against `baseline`
    /// (projected through the same lens and grouping) when given.
    pub fn of(
        now: Projection,
        lens: &Lens,
        baseline: Option<&Projection>,
        today: Date,
    ) -> TimelineView {
        // The sales lens never shows a date finer than a quarter: its today
        // is drawn at the first day of today's quarter, and said as the
        // quarter.
        let (drawn_today, today_text) = match lens {
            Lens::Sales => {
                let q = DateSpec::Day(today).coarse_quarter();
                (q.interval(today).start, q.to_string())
            }
            _ => (today, today.to_string()),
        };
        let mut view = TimelineView {
            title: now.title,
            lens: lens.name(),
            by: now.by,
            today: drawn_today,
            today_text,
            baseline: None,
            groups: now.groups,
            removed: vec![],
            extent: Extent::default(),
        };
        if let Some(old) = baseline {
            compare_with(&mut view, &old.groups, today);
            view.baseline = Some(BaselineLabel::default());
        }
        view.measure();
        view
    }
}

impl TimelineView {
    /// The rows as projected, without what a baseline added: what
    /// [`TimelineView::of`] takes, to compare the same rows with another
    /// baseline without projecting them again.
    pub fn into_projection(self) -> Projection {
        let mut groups = self.groups;
        for row in groups.iter_mut().flat_map(|g| &mut g.rows) {
            row.baseline = None;
            row.shift = None;
        }
        Projection {
            title: self.title,
            by: self.by,
            groups,
        }
    }
}

/// Rows of the baseline by entity, and each current row's ghost and shift.
fn compare_with(view: &mut TimelineView, old: &[TimelineGroup], today: Date) {
    let old: Vec<&TimelineRow> = old.iter().flat_map(|g| &g.rows).collect();
    // The first row of each entity, by index.
    let mut index: HashMap<(EntityKind, &str), usize> = HashMap::with_capacity(old.len());
    for (i, row) in old.iter().enumerate() {
        index.entry((row.entity, row.id.as_str())).or_insert(i);
    }
    let mut taken = vec![false; old.len()];
    for g in &mut view.groups {
        for row in &mut g.rows {
            match index.get(&(row.entity, row.id.as_str())) {
                Some(&i) if !taken[i] => {
                    taken[i] = true;
                    let was = old[i].place;
                    row.baseline = Some(Was {
                        in_baseline: true,
                        place: Some(was),
                        commitment: old[i].commitment,
                    });
                    row.shift = match (was.end_spec(), row.place.end_spec()) {
                        (Some(a), Some(b)) => Some(Box::new(RowShift::new(&a, &b, today))),
                        _ => None,
                    };
                }
                _ => {
                    row.baseline = Some(Was {
                        in_baseline: false,
                        place: None,
                        commitment: None,
                    });
                }
            }
        }
    }
    // The baseline's entities this version has not, in the baseline's order.
    let mut first: Vec<usize> = index.into_values().filter(|&i| !taken[i]).collect();
    first.sort_unstable();
    for i in first {
        let mut row = old[i].clone();
        row.baseline = Some(Was {
            in_baseline: true,
            place: Some(row.place),
            commitment: row.commitment,
        });
        row.place = Place::Unscheduled;
        row.shift = None;
        row.depth = 0;
        view.removed.push(row);
    }
}

/// The title and rows of `r` through `lens`, grouped `by`: sales from the
/// sales view, the others from the schedule ([`plan::schedule`], worked out
/// once). `None` for a layer the roadmap lacks, or a grouping the lens has
/// not ([`By::fits`]).
pub fn project(r: &Roadmap, lens: &Lens, by: By) -> Option<Projection> {
    if !by.fits(lens) {
        return None;
    }
    let (title, groups) = match lens {
        Lens::Exec => (r.meta.title.clone(), exec_groups(r, &plan::schedule(r))),
        Lens::Sales => {
            let v = sales(r);
            (v.roadmap.title.clone(), sales_groups(&v))
        }
        Lens::Engineering => (
            r.meta.title.clone(),
            work_groups(r, &plan::schedule(r), None, by),
        ),
        Lens::Layer(id) => {
            r.layer(id)?;
            (
                r.meta.title.clone(),
                work_groups(r, &plan::schedule(r), Some(id), by),
            )
        }
        // Decisions have no dates: no timeline.
        Lens::Decisions => return None,
    };
    Some(Projection { title, by, groups })
}

fn row(entity: EntityKind, id: &str, label: &str, depth: u8, place: Place) -> TimelineRow {
    TimelineRow {
        entity,
        id: id.to_string(),
        label: label.to_string(),
        depth,
        place,
        milestone: false,
        status: None,
        health: None,
        confidence: None,
        commitment: None,
        layer: None,
        baseline: None,
        shift: None,
    }
}

/// The place of a bar from `start` to `end` (`end` a horizon: its column).
fn place(start: Option<DateSpec>, end: Option<DateSpec>, derived: bool) -> Place {
    match end {
        None => Place::Unscheduled,
        Some(DateSpec::Horizon(h)) => Place::Horizon { horizon: h },
        Some(end) => Place::Bar {
            start: start.filter(|s| !s.is_horizon()).unwrap_or(end),
            end,
            derived,
        },
    }
}

/// A scheduled item's place: its horizon's column, "no date" when nothing
/// places it, else a bar over its interval (its ends as written when the
/// schedule took them from the file, else the days).
fn scheduled(p: &Planned, today: Date) -> Place {
    if let Some(horizon) = p.horizon {
        return Place::Horizon { horizon };
    }
    if p.undated {
        return Place::Unscheduled;
    }
    let start = match p.start_basis {
        Basis::Written(d) => d,
        _ => DateSpec::Day(p.start),
    };
    let end = match p.end_basis {
        // A written end the schedule kept (not one before its start).
        Basis::Written(d) if d.interval(today).end == Some(p.end) => d,
        _ => DateSpec::Day(p.last_day()),
    };
    let written = |b: &Basis| matches!(b, Basis::Written(_));
    Place::Bar {
        start,
        end,
        derived: !(written(&p.start_basis) && written(&p.end_basis)),
    }
}

fn exec_groups(r: &Roadmap, s: &Schedule) -> Vec<TimelineGroup> {
    let mut by_release: HashMap<&str, Vec<usize>> = HashMap::new();
    for (fi, f) in r.features.iter().enumerate() {
        by_release.entry(f.release.as_str()).or_default().push(fi);
    }
    let mut seen = foldhash::HashSet::default();
    let mut groups = vec![];
    for rel in releases_in_time_order(r) {
        if !seen.insert(rel.id.as_str()) {
            continue; // a duplicate id (an invalid roadmap): the first wins
        }
        // From its start (written, else its earliest work's) to its target.
        let start = match rel.start {
            Some(st) => Some(st),
            None => s.release(&rel.id).and_then(|p| p.start).map(DateSpec::Day),
        };
        let derived = rel.start.is_none() && start.is_some();
        let mut head = row(
            EntityKind::Release,
            &rel.id,
            &format!("{} {}", rel.id, rel.name),
            0,
            place(start, rel.target, derived),
        );
        head.milestone = true;
        head.status = Some(rel.status());
        head.health = rel.health;
        head.confidence = rel.confidence;
        let mut rows = vec![head];
        for fi in by_release.remove(rel.id.as_str()).unwrap_or_default() {
            let f = &r.features[fi];
            let mut fr = row(
                EntityKind::Feature,
                &f.id,
                &f.title,
                1,
                scheduled(s.feature(fi), r.today),
            );
            fr.status = Some(f.status());
            fr.health = f.health;
            rows.push(fr);
        }
        groups.push(TimelineGroup {
            id: rel.id.clone(),
            title: format!("{} {}", rel.id, rel.name),
            rows,
        });
    }
    groups
}

fn sales_groups(v: &super::SalesView) -> Vec<TimelineGroup> {
    v.groups
        .iter()
        .map(|g| TimelineGroup {
            id: g.commitment.as_str().to_string(),
            title: crate::vocab::commitment(g.commitment).to_string(),
            rows: g
                .features
                .iter()
                .map(|f| {
                    let p = match f.when {
                        None => Place::Unscheduled,
                        Some(When::AvailableNow) => Place::AvailableNow,
                        Some(When::Period(p)) => place(Some(p), Some(p), false),
                    };
                    let mut r = row(EntityKind::Feature, &f.id, &f.title, 1, p);
                    r.commitment = Some(g.commitment);
                    r
                })
                .collect(),
        })
        .collect()
}

/// Work item rows of one layer (or every layer), grouped by layer or by
/// release; within a group in time order (start, then end), file order on
/// ties, then the horizons' columns, undated last.
fn work_groups(r: &Roadmap, s: &Schedule, only: Option<&str>, by: By) -> Vec<TimelineGroup> {
    let mut groups: Vec<TimelineGroup> = match by {
        By::Release => releases_in_time_order(r)
            .into_iter()
            .map(|rel| TimelineGroup {
                id: rel.id.clone(),
                title: format!("{} {}", rel.id, rel.name),
                rows: vec![],
            })
            .collect(),
        _ => r
            .layers
            .iter()
            .filter(|l| only.is_none_or(|o| o == l.id))
            .map(|l| TimelineGroup {
                id: l.id.clone(),
                title: l.name.clone(),
                rows: vec![],
            })
            .collect(),
    };
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        group_of.entry(g.id.as_str()).or_insert(i);
    }
    // Each row's group and place, in the order they are shown: by group,
    // dated by interval, then by horizon, then undated, then in file order.
    // Sorted as one number per row (see `show_order`); its low bits are the
    // row's index in `rows`, which is file order.
    let mut rows: Vec<(usize, usize, Place)> = Vec::new();
    let mut order: Vec<u128> = Vec::new();
    for (fi, f) in r.features.iter().enumerate() {
        for (wi, w) in f.work.iter().enumerate() {
            if only.is_some_and(|o| o != w.layer) {
                continue;
            }
            let gid = match by {
                By::Release => f.release.as_str(),
                _ => w.layer.as_str(),
            };
            let Some(&g) = group_of.get(gid) else {
                continue;
            };
            let p = s.work(fi, wi);
            let place = scheduled(p, r.today);
            let (rank, horizon) = match place {
                Place::Horizon { horizon } => (1, Some(horizon)),
                Place::Unscheduled => (2, None),
                _ => (0, None),
            };
            order.push(show_order(g, rank, horizon, p.start, p.end, rows.len()));
            rows.push((fi, wi, place));
        }
    }
    order.sort_unstable();
    for key in order {
        let (fi, wi, place) = rows[(key & u128::from(u32::MAX)) as usize];
        let g = (key >> 84) as usize;
        let w = &r.features[fi].work[wi];
        let mut wr = row(EntityKind::Work, &s.work(fi, wi).key, &w.title, 1, place);
        wr.status = Some(w.status());
        wr.health = w.health;
        wr.layer = Some(w.layer.clone());
        groups[g].rows.push(wr);
    }
    groups
}

/// A row's place in the shown order as one number: its group, then dated
/// (0) / horizon (1) / undated (2), the horizon, the start, the end, and its
/// index (file order, below 2^32). Sorting these is sorting the rows.
fn show_order(
    group: usize,
    rank: u8,
    horizon: Option<Horizon>,
    start: Date,
    end: Date,
    index: usize,
) -> u128 {
    // A day as a number that sorts as the day does (24 bits).
    let day = |d: Date| {
        let year = (i32::from(d.year()) + 10_000) as u128;
        (year << 9) | (u128::from(d.month() as u8) << 5) | u128::from(d.day() as u8)
    };
    let horizon = horizon.map_or(0, |h| h as u128 + 1);
    ((group as u128 & u128::from(u32::MAX)) << 84)
        | (u128::from(rank) << 82)
        | (horizon << 80)
        | (day(start) << 56)
        | (day(end) << 32)
        | (index as u128 & u128::from(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::Visibility;

    const TODAY: Date = jiff::civil::date(2027, 5, 10);

    fn sample() -> Roadmap {
        let mut r = roadmap();
        let mut v1 = release("v1", Some("2027-Q3"));
        v1.start = Some(spec("2027-01"));
        v1.status = Some(Status::InProgress);
        v1.health = Some(Health::AtRisk);
        let v2 = release("v2", Some("2027-Q4"));
        let v3 = release("v3", Some("later"));
        r.releases = vec![v2, v1, v3];
        let mut a = feature("a", "v1");
        a.work = vec![
            work("w1", "hardware", Some("2027-06"), Some("8w")),
            work("w2", "cloud", None, None),
        ];
        let mut b = feature("b", "v2");
        b.visibility = Some(Visibility::Internal);
        b.work = vec![work("w3", "firmware", None, Some("2w"))];
        let c = feature("c", "v3");
        r.features = vec![a, b, c];
        r
    }

    fn ids(v: &TimelineView) -> Vec<Vec<&str>> {
        v.groups
            .iter()
            .map(|g| g.rows.iter().map(|r| r.id.as_str()).collect())
            .collect()
    }

    #[test]
    fn exec_is_releases_in_time_order_with_their_features() {
        let v = timeline(&sample(), &Lens::Exec, By::Release, None, TODAY).unwrap();
        assert_eq!(ids(&v), [vec!["v1", "a"], vec!["v2", "b"], vec!["v3", "c"]]);
        let v1 = &v.groups[0].rows[0];
        assert!(v1.milestone);
        assert_eq!(
            v1.place,
            Place::Bar {
                start: spec("2027-01"),
                end: spec("2027-Q3"),
                derived: false
            }
        );
        // A feature spans its work, as the schedule places it.
        let a = &v.groups[0].rows[1];
        assert_eq!(
            a.place.interval(TODAY),
            Some((day(2027, 1, 1), day(2027, 7, 1)))
        );
        // v2 has no start: from its earliest work (w3: today, nothing
        // earlier is known) to its target.
        assert_eq!(
            v.groups[1].rows[0].place.interval(TODAY),
            Some((TODAY, day(2028, 1, 1)))
        );
        assert_eq!(
            v.groups[1].rows[1].place.interval(TODAY),
            Some((TODAY, day(2027, 5, 24)))
        );
        assert_eq!(
            v.groups[2].rows[0].place,
            Place::Horizon {
                horizon: Horizon::Later
            }
        );
        assert_eq!(v.horizons(), [Horizon::Later]);
    }

    fn place_of(v: &TimelineView, id: &str) -> Place {
        v.rows().find(|r| r.id == id).unwrap().place
    }

    fn day(y: i16, m: i8, d: i8) -> Date {
        jiff::civil::date(y, m, d)
    }

    #[test]
    fn work_is_drawn_where_the_schedule_puts_it() {
        let mut r = sample();
        // After w1, two weeks.
        let mut x = work("x", "apps", None, Some("2w"));
        x.depends_on = vec!["w1".into()];
        r.features[0].work.push(x);
        // In a release targeted `later`: that column.
        let mut d = feature("d", "v3");
        d.work = vec![work("w4", "cloud", None, Some("1w"))];
        // In a release without a target or start, no estimate: no date.
        let mut e = feature("e", "v4");
        e.work = vec![work("w5", "cloud", None, None)];
        r.releases.push(release("v4", None));
        r.features.extend([d, e]);
        let v = timeline(&r, &Lens::Engineering, By::Layer, None, TODAY).unwrap();
        // An end and 8 weeks: the start is 56 days before the end of June.
        assert_eq!(
            place_of(&v, "w1"),
            Place::Bar {
                start: DateSpec::Day(day(2027, 5, 6)),
                end: spec("2027-06"),
                derived: true
            }
        );
        // No estimate: no days, at its release's start.
        assert_eq!(
            place_of(&v, "w2").interval(TODAY),
            Some((day(2027, 1, 1), day(2027, 1, 2)))
        );
        // As early as its dependency allows.
        assert_eq!(
            place_of(&v, "x").interval(TODAY),
            Some((day(2027, 7, 1), day(2027, 7, 15)))
        );
        // No release start: today.
        assert_eq!(
            place_of(&v, "w3").interval(TODAY),
            Some((TODAY, day(2027, 5, 24)))
        );
        assert_eq!(
            place_of(&v, "w4"),
            Place::Horizon {
                horizon: Horizon::Later
            }
        );
        assert_eq!(place_of(&v, "w5"), Place::Unscheduled);
        // Every bar of a work item or feature is the schedule's interval (an
        // item of no days: its first day).
        let s = plan::schedule(&r);
        let exec = timeline(&r, &Lens::Exec, By::Release, None, TODAY).unwrap();
        for row in v.rows().chain(exec.rows()) {
            let Some(p) = s.get(row.entity, &row.id) else {
                assert_eq!(row.entity, EntityKind::Release);
                continue;
            };
            match row.place.interval(TODAY) {
                Some(iv) => assert_eq!(iv, (p.start, p.end.max(p.start.tomorrow().unwrap()))),
                None => assert!(p.horizon.is_some() || p.undated, "{row:?}"),
            }
        }
    }

    #[test]
    fn engineering_is_swimlanes_per_layer_or_release() {
        let v = timeline(&sample(), &Lens::Engineering, By::Layer, None, TODAY).unwrap();
        let titles: Vec<&str> = v.groups.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles.len(), 5);
        assert_eq!(ids(&v)[0], ["w1"]);
        let v = timeline(&sample(), &Lens::Engineering, By::Release, None, TODAY).unwrap();
        assert_eq!(ids(&v), [vec!["w2", "w1"], vec!["w3"], vec![]]);
        let v = timeline(
            &sample(),
            &Lens::Layer("cloud".into()),
            By::Layer,
            None,
            TODAY,
        )
        .unwrap();
        assert_eq!(ids(&v), [vec!["w2"]]);
        assert!(
            timeline(
                &sample(),
                &Lens::Layer("nope".into()),
                By::Layer,
                None,
                TODAY
            )
            .is_none()
        );
        assert!(timeline(&sample(), &Lens::Exec, By::Layer, None, TODAY).is_none());
    }

    #[test]
    fn a_view_compared_again_is_the_view_against_the_other_baseline() {
        let old = sample();
        let mut new = sample();
        new.releases[1].target = Some(spec("2027-Q4"));
        new.features.remove(2);
        for lens in [Lens::Exec, Lens::Sales, Lens::Engineering] {
            let by = By::default_for(&lens);
            let first = timeline(&new, &lens, by, Some(&old), TODAY).unwrap();
            assert!(first.rows().any(|r| r.baseline.is_some()));
            // Against no baseline, and against `new` itself, from the rows of
            // the view against `old`.
            let rows = first.clone().into_projection();
            assert_eq!(rows, project(&new, &lens, by).unwrap());
            let none = TimelineView::of(rows.clone(), &lens, None, TODAY);
            assert_eq!(none, timeline(&new, &lens, by, None, TODAY).unwrap());
            let itself = project(&new, &lens, by).unwrap();
            let again = TimelineView::of(rows, &lens, Some(&itself), TODAY);
            assert_eq!(again, timeline(&new, &lens, by, Some(&new), TODAY).unwrap());
        }
    }

    #[test]
    fn a_baseline_gives_ghosts_and_shifts_in_the_diffs_words() {
        let old = sample();
        let mut new = sample();
        new.releases[1].target = Some(spec("2027-Q4")); // v1 slips a quarter
        new.releases[0].target = Some(spec("2027-11-20")); // v2 refined
        new.features.remove(2); // c gone
        let mut d = feature("d", "v2");
        d.title = "New one".into();
        new.features.push(d);
        let v = timeline(&new, &Lens::Exec, By::Release, Some(&old), TODAY).unwrap();
        let get = |id: &str| v.rows().find(|r| r.id == id).unwrap();
        let v1 = get("v1");
        let s = v1.shift.as_ref().unwrap();
        assert_eq!(s.kind, ShiftKind::Slipped);
        assert_eq!(s.tag(), "+1 quarter");
        assert_eq!(s.summary(), "slipped by 1 quarter: 2027-Q3 → 2027-Q4");
        assert_eq!(
            v1.baseline.unwrap().place.unwrap().end_spec(),
            Some(spec("2027-Q3"))
        );
        let v2 = get("v2");
        assert_eq!(v2.shift.as_ref().unwrap().kind, ShiftKind::Refined);
        assert_eq!(v2.shift.as_ref().unwrap().tag(), "refined");
        // A feature is where its work is: that did not move.
        assert_eq!(get("a").shift.as_ref().unwrap().tag(), "same");
        assert_eq!(
            get("d").baseline,
            Some(Was {
                in_baseline: false,
                place: None,
                commitment: None,
            })
        );
        assert_eq!(get("d").shift, None);
        assert_eq!(v.removed.len(), 1);
        assert_eq!(v.removed[0].id, "c");
        assert_eq!(v.removed[0].place, Place::Unscheduled);
        // Pulled in.
        let v = timeline(&old, &Lens::Exec, By::Release, Some(&new), TODAY).unwrap();
        let s = v
            .rows()
            .find(|r| r.id == "v1")
            .unwrap()
            .shift
            .clone()
            .unwrap();
        assert_eq!(
            (s.kind, s.tag().as_str()),
            (ShiftKind::PulledIn, "-1 quarter")
        );
    }

    #[test]
    fn sales_holds_only_the_sales_view() {
        let mut r = sample();
        r.releases[1].name = "SECRET-NAME".into();
        r.releases[1].target = Some(spec("2027-08-14"));
        r.features[0].commitment = Some(Commitment::Committed);
        let v = timeline(&r, &Lens::Sales, By::Commitment, None, TODAY).unwrap();
        assert_eq!(ids(&v), [vec!["a"], vec!["c"], vec![]]);
        assert_eq!(
            v.groups[0].rows[0].place,
            Place::Bar {
                start: spec("2027-Q3"),
                end: spec("2027-Q3"),
                derived: false
            }
        );
        let json = serde_json::to_string(&v).unwrap();
        for secret in ["SECRET", "v1", "2027-08", "at-risk", "hardware", "status"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
    }
}
