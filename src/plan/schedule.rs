//! The schedule: effective intervals, critical paths, slack and effort (the
//! rules are documented on [`super`]).

use crate::model::date::EstimateUnit;
use crate::model::{DateSpec, EntityKind, Estimate, Horizon, Interval, Roadmap, Status};
use foldhash::HashMap;
use foldhash::HashMapExt;
use jiff::ToSpan;
use jiff::civil::Date;
use std::borrow::Cow;

/// Estimates longer than this many days are taken as this long (a century;
/// `check` rejects a longer one, but a layer's long sprints can get there).
const MAX_DAYS: i64 = crate::model::date::MAX_ESTIMATE_DAYS;

/// A feature, or one of its work items, by position in the roadmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub feature: usize,
    pub work: Option<usize>,
}

/// Where a start or an end comes from (ids borrowed from the roadmap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis<'r> {
    /// The item's own `start` / `end`.
    Written(DateSpec),
    /// The other end and the estimate.
    Estimate,
    /// An end without an estimate: the start (zero days).
    NoEstimate,
    /// A start: as early as dependencies allow; the id of the one that ends
    /// last.
    DependsOn(Cow<'r, str>),
    /// A start: its release's `start` (release id).
    ReleaseStart(&'r str),
    /// A start: its release has no `start` and targets `next` or `later`:
    /// that horizon's first day (release id).
    ReleaseHorizon(&'r str, Horizon),
    /// A start: nothing earlier is known.
    Today,
    /// A feature: from its work items.
    Work,
}

/// One item's place in the schedule (its ids borrowed from the roadmap).
#[derive(Clone, Debug, PartialEq)]
pub struct Planned<'r> {
    pub node: Node,
    pub entity: EntityKind,
    /// The feature's id, or the work item's key ([`crate::model::WorkItem::key`]).
    pub key: Cow<'r, str>,
    /// The release of its feature (id).
    pub release: &'r str,
    /// A work item's layer (id).
    pub layer: Option<&'r str>,
    /// First day.
    pub start: Date,
    /// The day after the last day (`end == start`: no days).
    pub end: Date,
    pub start_basis: Basis<'r>,
    pub end_basis: Basis<'r>,
    /// Its estimate in days (sprints as its layer counts them).
    pub days: Option<f64>,
    /// Planned or in-progress, in a feature and release neither cancelled nor
    /// deferred: work that can still hold something up.
    pub open: bool,
    /// Days its end can move later before a release's critical path ends
    /// after its target (open items only; `None`: nothing bounds it).
    pub slack: Option<i64>,
    /// On some release's critical path.
    pub critical: bool,
    /// The horizon (`now`, `next`, `later`) that places it rather than a
    /// date: its own `end`, else (no `end`) its own `start`, else (neither)
    /// its release's target, when that is a horizon; a feature with work,
    /// when all its work is in one (the latest).
    pub horizon: Option<Horizon>,
    /// Nothing places it: no date, estimate, dependency, release start or
    /// horizon, so it is put at today with no days (a feature with work:
    /// all its work is so).
    pub undated: bool,
}

impl Planned<'_> {
    /// The last day (the day before `end`; `start` for an item of no days).
    pub fn last_day(&self) -> Date {
        if self.end > self.start {
            self.end.yesterday().unwrap_or(self.end)
        } else {
            self.start
        }
    }

    /// Its length in days.
    pub fn length(&self) -> i64 {
        days_between(self.start, self.end).max(0)
    }

    /// Its days as a half-open interval `[start, end)`, as
    /// [`crate::model::DateSpec::interval`] gives them (for a timeline).
    pub fn interval(&self) -> Interval {
        Interval {
            start: self.start,
            end: Some(self.end),
        }
    }
}

/// Estimated effort of one release in one layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Effort {
    /// The layer's id.
    pub layer: String,
    /// The sum of the estimates, in days.
    pub days: f64,
    /// Work items counted (neither cancelled nor deferred).
    pub items: usize,
    /// How many of them have no estimate.
    pub unestimated: usize,
}

/// One release in the schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleasePlan {
    pub id: String,
    /// Its `start`, else its earliest work's start.
    pub start: Option<Date>,
    /// The day after its last counted work ends.
    pub end: Option<Date>,
    /// The day after its target's period ends (`None`: no target, or an
    /// open-ended one).
    pub target_end: Option<Date>,
    /// Its critical path: indices into [`Schedule::items`], first to last.
    pub path: Vec<usize>,
    /// The layer (id) holding the most days of the critical path.
    pub path_layer: Option<String>,
    /// Effort per layer (layers without counted work left out), in the
    /// roadmap's layer order.
    pub effort: Vec<Effort>,
}

impl ReleasePlan {
    /// Summed estimates of all its counted work, in days.
    pub fn effort_days(&self) -> f64 {
        self.effort.iter().map(|e| e.days).sum()
    }

    /// The effort of one layer.
    pub fn effort_of(&self, layer: &str) -> Option<&Effort> {
        self.effort.iter().find(|e| e.layer == layer)
    }
}

/// The schedule of a whole roadmap (borrowing its ids).
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule<'r> {
    /// Features and work items, each feature followed by its work items, in
    /// file order.
    pub items: Vec<Planned<'r>>,
    /// Releases in file order.
    pub releases: Vec<ReleasePlan>,
    /// Index of each feature's own item.
    feature_at: Vec<usize>,
    /// Features by id, then work items by id, the first of each winning (a
    /// feature before a work item): what dependencies name.
    ids: HashMap<&'r str, usize>,
    /// Work items `ids` does not find by their key (no id, or a feature's
    /// id), the first winning.
    other_work: HashMap<Cow<'r, str>, usize>,
    /// Releases by id, the first winning (a lens asks for each release's
    /// plan: a search would make it quadratic in the releases).
    release_at: HashMap<&'r str, usize>,
}

impl<'r> Schedule<'r> {
    /// A feature (by id) or work item (by key).
    pub fn get(&self, entity: EntityKind, key: &str) -> Option<&Planned<'r>> {
        self.index(entity, key).map(|i| &self.items[i])
    }

    /// The index of an item in [`Schedule::items`].
    pub fn index(&self, entity: EntityKind, key: &str) -> Option<usize> {
        let found = self.ids.get(key).copied();
        let is = |i: usize| self.items[i].entity == entity;
        match entity {
            EntityKind::Feature => found.filter(|&i| is(i)),
            EntityKind::Work => match found {
                Some(i) if is(i) => Some(i),
                _ => self.other_work.get(key).copied(),
            },
            _ => None,
        }
    }

    /// The item of a feature (by position in the roadmap).
    pub fn feature(&self, feature: usize) -> &Planned<'r> {
        &self.items[self.feature_at[feature]]
    }

    /// The item of a work item (by positions in the roadmap).
    pub fn work(&self, feature: usize, work: usize) -> &Planned<'r> {
        &self.items[self.feature_at[feature] + 1 + work]
    }

    pub fn release(&self, id: &str) -> Option<&ReleasePlan> {
        self.release_at.get(id).map(|&i| &self.releases[i])
    }

    /// The release whose critical path an item is on, if any (the first).
    pub fn critical_in(&self, index: usize) -> Option<&ReleasePlan> {
        self.releases.iter().find(|r| r.path.contains(&index))
    }

    /// The day after a release's critical path ends.
    pub fn path_end(&self, rel: &ReleasePlan) -> Option<Date> {
        rel.path.last().map(|&i| self.items[i].end)
    }

    /// Days from a release's critical path end to its target's end:
    /// positive is slack, negative is late. `None` without a path or a
    /// dated target.
    pub fn path_slack(&self, rel: &ReleasePlan) -> Option<i64> {
        Some(days_between(self.path_end(rel)?, rel.target_end?))
    }
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    (b - a).get_days() as i64
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days())
        .unwrap_or(if n < 0 { Date::MIN } else { Date::MAX })
}

/// An estimate in whole days (rounded up).
fn whole_days(days: f64) -> i64 {
    if days.is_finite() && days > 0.0 {
        (days.ceil() as i64).min(MAX_DAYS)
    } else {
        0
    }
}

fn finished(s: Status) -> bool {
    !matches!(s, Status::Planned | Status::InProgress)
}

fn dropped(s: Status) -> bool {
    matches!(s, Status::Cancelled | Status::Deferred)
}

/// The first day of a written start.
fn first_day(d: &DateSpec, today: Date) -> Date {
    d.interval(today).start
}

/// The day after a written end's period (an open period: its first day).
fn end_day(d: &DateSpec, today: Date) -> Date {
    let iv = d.interval(today);
    iv.end.unwrap_or(iv.start)
}

/// The schedule of every feature, work item and release of `r`.
pub fn schedule(r: &Roadmap) -> Schedule<'_> {
    let today = r.today;
    // Releases by id (the first wins), and each feature's release.
    let rel_index: HashMap<&str, usize> = r
        .releases
        .iter()
        .enumerate()
        .rev()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let feature_rel: Vec<Option<usize>> = r
        .features
        .iter()
        .map(|f| rel_index.get(f.release.as_str()).copied())
        .collect();
    let sprint: HashMap<&str, f64> = r
        .layers
        .iter()
        .rev()
        .map(|l| (l.id.as_str(), l.sprint_days()))
        .collect();
    // An estimate in days (sprints as the layer counts them).
    let days = |e: &Estimate, layer: &str| -> f64 {
        let per_sprint = match e.unit {
            EstimateUnit::Sprint => sprint.get(layer).copied(),
            _ => None,
        };
        e.days_with_sprint(per_sprint.unwrap_or(crate::model::date::SPRINT_DAYS))
    };
    // Items: each feature, then its work items.
    let n_work: usize = r.features.iter().map(|f| f.work.len()).sum();
    let mut items: Vec<Planned> = Vec::with_capacity(r.features.len() + n_work);
    let mut feature_at = Vec::with_capacity(r.features.len());
    for (fi, f) in r.features.iter().enumerate() {
        feature_at.push(items.len());
        let rel_dropped = feature_rel[fi].is_some_and(|ri| dropped(r.releases[ri].status()));
        let context_dropped = dropped(f.status()) || rel_dropped;
        let blank = |node, entity, key, layer, days, open| Planned {
            node,
            entity,
            key,
            release: f.release.as_str(),
            layer,
            start: today,
            end: today,
            start_basis: Basis::Today,
            end_basis: Basis::NoEstimate,
            days,
            open,
            slack: None,
            critical: false,
            horizon: None,
            undated: false,
        };
        items.push(blank(
            Node {
                feature: fi,
                work: None,
            },
            EntityKind::Feature,
            Cow::Borrowed(f.id.as_str()),
            None,
            None,
            !finished(f.status()) && !rel_dropped,
        ));
        for (wi, w) in f.work.iter().enumerate() {
            let key = match &w.id {
                Some(id) => Cow::Borrowed(id.as_str()),
                None => Cow::Owned(w.key(&f.id)),
            };
            items.push(blank(
                Node {
                    feature: fi,
                    work: Some(wi),
                },
                EntityKind::Work,
                key,
                Some(w.layer.as_str()),
                w.estimate.as_ref().map(|e| days(e, &w.layer)),
                !finished(w.status()) && !context_dropped,
            ));
        }
    }
    // What dependencies name (and `get` finds): features by id, then work
    // items by id, the first of each winning; other work items by key.
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (fi, f) in r.features.iter().enumerate() {
        ids.entry(f.id.as_str()).or_insert(feature_at[fi]);
    }
    let mut other_work: HashMap<Cow<str>, usize> = HashMap::new();
    for (fi, f) in r.features.iter().enumerate() {
        for (wi, w) in f.work.iter().enumerate() {
            let i = feature_at[fi] + 1 + wi;
            match w.id.as_deref().map(|id| (id, ids.entry(id))) {
                Some((_, std::collections::hash_map::Entry::Vacant(e))) => {
                    e.insert(i);
                }
                // A feature's id: found by key apart.
                Some((id, std::collections::hash_map::Entry::Occupied(e)))
                    if items[*e.get()].entity == EntityKind::Feature =>
                {
                    other_work.entry(Cow::Borrowed(id)).or_insert(i);
                }
                Some(_) => {}
                None => {
                    other_work.entry(items[i].key.clone()).or_insert(i);
                }
            }
        }
    }
    // What each item waits for: a work item its own and its feature's
    // dependencies; a feature its work (the counted work, or all of it when
    // none counts), or without work its own dependencies. Each id once, never
    // the item itself or its own feature.
    let n = items.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut feature_deps: Vec<usize> = Vec::new();
    for (fi, f) in r.features.iter().enumerate() {
        let me = feature_at[fi];
        let add = |out: &mut Vec<usize>, id: &str, own: usize| {
            if let Some(&j) = ids.get(id)
                && j != own
                && j != me
                && !out.contains(&j)
            {
                out.push(j);
            }
        };
        feature_deps.clear();
        for id in &f.depends_on {
            add(&mut feature_deps, id, me);
        }
        if f.work.is_empty() {
            preds[me] = feature_deps.clone();
            continue;
        }
        let counted = |wi: &usize| !dropped(f.work[*wi].status());
        let all = (0..f.work.len()).any(|wi| counted(&wi));
        preds[me] = (0..f.work.len())
            .filter(|wi| !all || counted(wi))
            .map(|wi| me + 1 + wi)
            .collect();
        for (wi, w) in f.work.iter().enumerate() {
            let own = me + 1 + wi;
            let mut out = Vec::with_capacity(w.depends_on.len() + feature_deps.len());
            for id in &w.depends_on {
                add(&mut out, id, own);
            }
            for &j in &feature_deps {
                if j != own && !out.contains(&j) {
                    out.push(j);
                }
            }
            preds[own] = out;
        }
    }
    let order = topological(&mut preds);
    // Where each release's work starts at the earliest: its `start`, else
    // the first day of its horizon (`next`, `later`).
    let rel_from: Vec<Option<(Date, Basis)>> = r
        .releases
        .iter()
        .map(|x| match (x.start, x.target) {
            (Some(s), _) => Some((first_day(&s, today), Basis::ReleaseStart(x.id.as_str()))),
            (None, Some(DateSpec::Horizon(h @ (Horizon::Next | Horizon::Later)))) => Some((
                first_day(&DateSpec::Horizon(h), today),
                Basis::ReleaseHorizon(x.id.as_str(), h),
            )),
            _ => None,
        })
        .collect();
    // Forward pass: every item after what it waits for.
    for &i in &order {
        let node = items[i].node;
        let f = &r.features[node.feature];
        let ri = feature_rel[node.feature];
        let rel = ri.map(|i| &r.releases[i]);
        // As early as its dependencies allow, not before its release starts.
        let earliest = || -> (Date, Basis) {
            // The dependency that ends last (ties: the first listed); work
            // shipped, cancelled or deferred holds nothing up.
            let mut best: Option<usize> = None;
            for &p in preds[i].iter().filter(|&&p| items[p].open) {
                if best.is_none_or(|b| items[p].end > items[b].end) {
                    best = Some(p);
                }
            }
            let from = ri.and_then(|ri| rel_from[ri].as_ref());
            match (best, from) {
                (Some(p), Some((s, b))) if *s > items[p].end => (*s, b.clone()),
                (Some(p), _) => (items[p].end, Basis::DependsOn(items[p].key.clone())),
                (None, Some((s, b))) => (*s, b.clone()),
                (None, None) => (today, Basis::Today),
            }
        };
        // The horizon of its release's target.
        let rel_horizon = rel.and_then(|x| match x.target {
            Some(DateSpec::Horizon(h)) => Some(h),
            _ => None,
        });
        // Placed by a horizon; with work, undated when all its work is.
        let (horizon, work_undated) = match node.work {
            None if !f.work.is_empty() => {
                let work = || preds[i].iter().map(|&p| &items[p]);
                let horizon = if work().all(|p| p.horizon.is_some()) {
                    work().filter_map(|p| p.horizon).max()
                } else {
                    None
                };
                (horizon, Some(work().all(|p| p.undated)))
            }
            None => (rel_horizon, None),
            Some(wi) => {
                let w = &f.work[wi];
                let horizon = match (w.end, w.start) {
                    (Some(DateSpec::Horizon(h)), _) | (None, Some(DateSpec::Horizon(h))) => Some(h),
                    (None, None) => rel_horizon,
                    _ => None,
                };
                (horizon, None)
            }
        };
        let (start, end, sb, eb) = match node.work {
            None if !f.work.is_empty() => {
                let start = preds[i].iter().map(|&p| items[p].start).min();
                let end = preds[i].iter().map(|&p| items[p].end).max();
                let start = start.unwrap_or(today);
                (start, end.unwrap_or(start), Basis::Work, Basis::Work)
            }
            None => {
                let (s, b) = earliest();
                (s, s, b, Basis::NoEstimate)
            }
            Some(wi) => {
                let w = &f.work[wi];
                let dur = items[i].days.map(whole_days);
                match (&w.start, &w.end, dur) {
                    (Some(s), Some(e), _) => {
                        let (s0, e0) = (first_day(s, today), end_day(e, today));
                        (s0, e0.max(s0), Basis::Written(*s), Basis::Written(*e))
                    }
                    (Some(s), None, Some(d)) => {
                        let s0 = first_day(s, today);
                        (s0, add_days(s0, d), Basis::Written(*s), Basis::Estimate)
                    }
                    (Some(s), None, None) => {
                        let s0 = first_day(s, today);
                        (s0, s0, Basis::Written(*s), Basis::NoEstimate)
                    }
                    (None, Some(e), Some(d)) => {
                        let e0 = end_day(e, today);
                        (add_days(e0, -d), e0, Basis::Estimate, Basis::Written(*e))
                    }
                    (None, Some(e), None) => {
                        let e0 = end_day(e, today);
                        let (s, b) = earliest();
                        (s.min(e0), e0, b, Basis::Written(*e))
                    }
                    (None, None, Some(d)) => {
                        let (s, b) = earliest();
                        (s, add_days(s, d), b, Basis::Estimate)
                    }
                    (None, None, None) => {
                        let (s, b) = earliest();
                        (s, s, b, Basis::NoEstimate)
                    }
                }
            }
        };
        let it = &mut items[i];
        it.undated = work_undated
            .unwrap_or_else(|| horizon.is_none() && sb == Basis::Today && eb == Basis::NoEstimate);
        it.horizon = horizon;
        it.start = start;
        it.end = end;
        it.start_basis = sb;
        it.end_basis = eb;
    }
    // What each work item waits for from here on: a feature with work
    // stands for its work.
    let stands_for_work = |p: usize| {
        items[p].node.work.is_none() && !r.features[items[p].node.feature].work.is_empty()
    };
    for i in 0..n {
        if items[i].node.work.is_none() || !preds[i].iter().any(|&p| stands_for_work(p)) {
            continue;
        }
        let mut out: Vec<usize> = Vec::new();
        for &p in &preds[i] {
            let expanded = if stands_for_work(p) {
                &preds[p][..]
            } else {
                std::slice::from_ref(&p)
            };
            for &q in expanded {
                if q != i && !out.contains(&q) {
                    out.push(q);
                }
            }
        }
        preds[i] = out;
    }
    let waits = |i: usize| -> &[usize] {
        match items[i].node.work {
            Some(_) => &preds[i],
            None => &[],
        }
    };
    // Releases: effort, span, critical path.
    let layer_pos: HashMap<&str, usize> = r
        .layers
        .iter()
        .enumerate()
        .rev()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut releases: Vec<ReleasePlan> = r
        .releases
        .iter()
        .map(|rel| ReleasePlan {
            id: rel.id.clone(),
            start: rel.start.map(|s| first_day(&s, today)),
            end: None,
            target_end: rel.target.and_then(|t| t.interval(today).end),
            path: vec![],
            path_layer: None,
            effort: vec![],
        })
        .collect();
    // The open work items of each release that end last.
    let mut last: Vec<Vec<usize>> = vec![Vec::new(); releases.len()];
    for (i, it) in items.iter().enumerate() {
        if it.entity != EntityKind::Work {
            continue;
        }
        let Some(ri) = feature_rel[it.node.feature] else {
            continue;
        };
        let (fi, wi) = (it.node.feature, it.node.work.unwrap_or(0));
        let w = &r.features[fi].work[wi];
        let counted = !dropped(w.status()) && !dropped(r.features[fi].status());
        let rp = &mut releases[ri];
        if counted {
            if rp.start.is_none_or(|s| it.start < s) && r.releases[ri].start.is_none() {
                rp.start = Some(it.start);
            }
            if rp.end.is_none_or(|e| it.end > e) {
                rp.end = Some(it.end);
            }
            let e = match rp.effort.iter_mut().find(|e| e.layer == w.layer) {
                Some(e) => e,
                None => {
                    rp.effort.push(Effort {
                        layer: w.layer.clone(),
                        days: 0.0,
                        items: 0,
                        unestimated: 0,
                    });
                    rp.effort.last_mut().expect("just pushed")
                }
            };
            e.items += 1;
            match it.days {
                Some(d) if d.is_finite() => e.days += d,
                _ => e.unestimated += 1,
            }
        }
        // An item nothing places (no date, estimate, dependency or
        // release start: drawn "no date") ends no critical path.
        if it.open && !it.undated {
            let ends = &mut last[ri];
            match ends.first().map(|&l| items[l].end) {
                Some(e) if it.end < e => {}
                Some(e) if it.end == e => ends.push(i),
                _ => *ends = vec![i],
            }
        }
    }
    // The chain back from `from`: each step the dependency that holds it up
    // and ends last.
    let chain = |from: usize| -> Vec<usize> {
        let mut path = vec![from];
        let mut cur = from;
        loop {
            let start = items[cur].start;
            let mut next: Option<usize> = None;
            for &p in waits(cur) {
                let it = &items[p];
                if it.open
                    && !it.undated
                    && it.end >= start
                    && !path.contains(&p)
                    && next.is_none_or(|q| it.end > items[q].end)
                {
                    next = Some(p);
                }
            }
            match next {
                Some(p) => {
                    path.push(p);
                    cur = p;
                }
                None => break,
            }
        }
        path.reverse();
        path
    };
    for (ri, rp) in releases.iter_mut().enumerate() {
        rp.effort.sort_by_key(|e| {
            layer_pos
                .get(e.layer.as_str())
                .copied()
                .unwrap_or(usize::MAX)
        });
        // Of the chains that end last, the longest (ties: the first).
        let mut path: Vec<usize> = Vec::new();
        for &end in &last[ri] {
            let p = chain(end);
            if p.len() > path.len() {
                path = p;
            }
        }
        if path.is_empty() {
            continue;
        }
        // The layer with the most days on the path (ties: the later one).
        let mut by_layer: Vec<(&str, i64)> = Vec::new();
        for &i in path.iter().rev() {
            let l = items[i].layer.unwrap_or("");
            match by_layer.iter_mut().find(|(x, _)| *x == l) {
                Some((_, d)) => *d += items[i].length(),
                None => by_layer.push((l, items[i].length())),
            }
        }
        let mut best: Option<(&str, i64)> = None;
        for (l, d) in by_layer {
            if best.is_none_or(|(_, b)| d > b) {
                best = Some((l, d));
            }
        }
        rp.path_layer = best.map(|(l, _)| l.to_string());
        rp.path = path;
    }
    for rp in &releases {
        for &i in &rp.path {
            items[i].critical = true;
        }
    }
    // Slack, backward: an item's is final once all that wait for it (later
    // in `order`) have passed theirs on.
    // (Work nothing places has no end to measure slack from.)
    for it in items.iter_mut() {
        if it.entity == EntityKind::Work && it.open && !it.undated {
            let deadline = feature_rel[it.node.feature].and_then(|ri| releases[ri].target_end);
            it.slack = deadline.map(|d| days_between(it.end, d));
        }
    }
    for &s in order.iter().rev() {
        let (start, open) = (items[s].start, items[s].open);
        let Some(ss) = items[s].slack.filter(|_| open) else {
            continue;
        };
        // (A feature's slack comes from its work, below.)
        if items[s].node.work.is_none() {
            continue;
        }
        for &p in &preds[s] {
            let it = &mut items[p];
            if it.entity == EntityKind::Work && it.open && !it.undated {
                let via = ss + days_between(it.end, start).max(0);
                it.slack = Some(it.slack.map_or(via, |x| x.min(via)));
            }
        }
    }
    // A feature's slack: the least of its open work's.
    for &me in &feature_at {
        if !items[me].open {
            continue;
        }
        let least = preds[me]
            .iter()
            .filter(|&&p| items[p].entity == EntityKind::Work && items[p].open)
            .filter_map(|&p| items[p].slack)
            .min();
        items[me].slack = least;
    }
    Schedule {
        items,
        releases,
        feature_at,
        ids,
        other_work,
        release_at: rel_index,
    }
}

/// An order in which every item comes after what it waits for. An edge that
/// closes a cycle is removed from `preds` (only a cycle through a feature's
/// own work can get here: `check` rejects the others).
fn topological(preds: &mut [Vec<usize>]) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let n = preds.len();
    let mut mark = vec![Mark::New; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        mark[root] = Mark::Active;
        stack.push((root, 0));
        while let Some(&mut (node, ref mut k)) = stack.last_mut() {
            if *k < preds[node].len() {
                let p = preds[node][*k];
                match mark[p] {
                    Mark::New => {
                        *k += 1;
                        mark[p] = Mark::Active;
                        stack.push((p, 0));
                    }
                    Mark::Active => {
                        preds[node].remove(*k);
                    }
                    Mark::Done => *k += 1,
                }
            } else {
                mark[node] = Mark::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    order
}
