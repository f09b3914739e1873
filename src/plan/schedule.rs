//! The schedule: effective intervals, critical paths, slack and effort (the
//! rules are documented on [`super`]).

use crate::model::{DateSpec, EntityKind, Horizon, Interval, Roadmap, Status};
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::HashMap;

/// Estimates longer than this many days are taken as this long (a century).
const MAX_DAYS: i64 = 36_525;

/// A feature, or one of its work items, by position in the roadmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub feature: usize,
    pub work: Option<usize>,
}

/// Where a start or an end comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The item's own `start` / `end`.
    Written(DateSpec),
    /// The other end and the estimate.
    Estimate,
    /// An end without an estimate: the start (zero days).
    NoEstimate,
    /// A start: as early as dependencies allow; the id of the one that ends
    /// last.
    DependsOn(String),
    /// A start: its release's `start` (release id).
    ReleaseStart(String),
    /// A start: its release has no `start` and targets `next` or `later`:
    /// that horizon's first day (release id).
    ReleaseHorizon(String, Horizon),
    /// A start: nothing earlier is known.
    Today,
    /// A feature: from its work items.
    Work,
}

/// One item's place in the schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub node: Node,
    pub entity: EntityKind,
    /// The feature's id, or the work item's key ([`crate::model::WorkItem::key`]).
    pub key: String,
    /// The release of its feature (id).
    pub release: String,
    /// A work item's layer (id).
    pub layer: Option<String>,
    /// First day.
    pub start: Date,
    /// The day after the last day (`end == start`: no days).
    pub end: Date,
    pub start_basis: Basis,
    pub end_basis: Basis,
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

impl Planned {
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

/// The schedule of a whole roadmap.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// Features and work items, each feature followed by its work items, in
    /// file order.
    pub items: Vec<Planned>,
    /// Releases in file order.
    pub releases: Vec<ReleasePlan>,
    /// Index of each feature's own item.
    feature_at: Vec<usize>,
    /// Features by id and work items by key (the first of each wins).
    features_by_id: HashMap<String, usize>,
    work_by_key: HashMap<String, usize>,
}

impl Schedule {
    /// A feature (by id) or work item (by key).
    pub fn get(&self, entity: EntityKind, key: &str) -> Option<&Planned> {
        self.index(entity, key).map(|i| &self.items[i])
    }

    /// The index of an item in [`Schedule::items`].
    pub fn index(&self, entity: EntityKind, key: &str) -> Option<usize> {
        match entity {
            EntityKind::Feature => self.features_by_id.get(key).copied(),
            EntityKind::Work => self.work_by_key.get(key).copied(),
            _ => None,
        }
    }

    /// The item of a feature (by position in the roadmap).
    pub fn feature(&self, feature: usize) -> &Planned {
        &self.items[self.feature_at[feature]]
    }

    /// The item of a work item (by positions in the roadmap).
    pub fn work(&self, feature: usize, work: usize) -> &Planned {
        &self.items[self.feature_at[feature] + 1 + work]
    }

    pub fn release(&self, id: &str) -> Option<&ReleasePlan> {
        self.releases.iter().find(|r| r.id == id)
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
pub fn schedule(r: &Roadmap) -> Schedule {
    let today = r.today;
    // Items: each feature, then its work items.
    let mut items: Vec<Planned> = Vec::new();
    let mut feature_at = Vec::with_capacity(r.features.len());
    let rel_status: HashMap<&str, Status> = r
        .releases
        .iter()
        .rev()
        .map(|x| (x.id.as_str(), x.status()))
        .collect();
    let sprint: HashMap<&str, f64> = r
        .layers
        .iter()
        .rev()
        .map(|l| (l.id.as_str(), l.sprint_days()))
        .collect();
    for (fi, f) in r.features.iter().enumerate() {
        feature_at.push(items.len());
        let rel_dropped = rel_status
            .get(f.release.as_str())
            .is_some_and(|s| dropped(*s));
        let context_dropped = dropped(f.status()) || rel_dropped;
        let blank = |node, entity, key: String, layer, days, open| Planned {
            node,
            entity,
            key,
            release: f.release.clone(),
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
            f.id.clone(),
            None,
            None,
            !finished(f.status()) && !rel_dropped,
        ));
        for (wi, w) in f.work.iter().enumerate() {
            let per_sprint = sprint
                .get(w.layer.as_str())
                .copied()
                .unwrap_or(crate::model::date::SPRINT_DAYS);
            items.push(blank(
                Node {
                    feature: fi,
                    work: Some(wi),
                },
                EntityKind::Work,
                w.key(&f.id),
                Some(w.layer.clone()),
                w.estimate.as_ref().map(|e| e.days_with_sprint(per_sprint)),
                !finished(w.status()) && !context_dropped,
            ));
        }
    }
    // Ids others can depend on: features first, then work items (the first
    // with an id wins, as everywhere else).
    let mut by_id: HashMap<&str, usize> = HashMap::default();
    for (fi, f) in r.features.iter().enumerate() {
        by_id.entry(f.id.as_str()).or_insert(feature_at[fi]);
    }
    for (fi, f) in r.features.iter().enumerate() {
        for (wi, w) in f.work.iter().enumerate() {
            if let Some(id) = &w.id {
                by_id.entry(id.as_str()).or_insert(feature_at[fi] + 1 + wi);
            }
        }
    }
    // What each item waits for: a work item its own and its feature's
    // dependencies; a feature its work (the counted work, or all of it when
    // none counts), or without work its own dependencies.
    let n = items.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (fi, f) in r.features.iter().enumerate() {
        let me = feature_at[fi];
        let resolve = |ids: &mut dyn Iterator<Item = &String>, own: usize| -> Vec<usize> {
            let mut out: Vec<usize> = Vec::new();
            for id in ids {
                if let Some(&j) = by_id.get(id.as_str())
                    && j != own
                    && j != me
                    && !out.contains(&j)
                {
                    out.push(j);
                }
            }
            out
        };
        if f.work.is_empty() {
            preds[me] = resolve(&mut f.depends_on.iter(), me);
        } else {
            let counted: Vec<usize> = (0..f.work.len())
                .filter(|&wi| !dropped(f.work[wi].status()))
                .map(|wi| me + 1 + wi)
                .collect();
            preds[me] = if counted.is_empty() {
                (0..f.work.len()).map(|wi| me + 1 + wi).collect()
            } else {
                counted
            };
        }
        for (wi, w) in f.work.iter().enumerate() {
            let own = me + 1 + wi;
            preds[own] = resolve(&mut w.depends_on.iter().chain(&f.depends_on), own);
        }
    }
    let order = topological(&mut preds);
    let rel_index: HashMap<&str, usize> = r
        .releases
        .iter()
        .enumerate()
        .rev()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    // Forward pass: every item after what it waits for.
    for &i in &order {
        let node = items[i].node;
        let f = &r.features[node.feature];
        let rel = rel_index.get(f.release.as_str()).map(|&i| &r.releases[i]);
        // As early as its dependencies allow, not before its release starts.
        let earliest = || -> (Date, Basis) {
            let mut best: Option<(Date, Basis)> = None;
            for &p in &preds[i] {
                let e = items[p].end;
                if best.as_ref().is_none_or(|(d, _)| e > *d) {
                    best = Some((e, Basis::DependsOn(items[p].key.clone())));
                }
            }
            let rel_start = rel.and_then(|x| match (x.start, x.target) {
                (Some(s), _) => Some((first_day(&s, today), Basis::ReleaseStart(x.id.clone()))),
                (None, Some(DateSpec::Horizon(h @ (Horizon::Next | Horizon::Later)))) => Some((
                    first_day(&DateSpec::Horizon(h), today),
                    Basis::ReleaseHorizon(x.id.clone(), h),
                )),
                _ => None,
            });
            match (best, rel_start) {
                (Some((d, _)), Some((s, b))) if s > d => (s, b),
                (Some(x), _) => x,
                (None, Some(x)) => x,
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
    // The items each work item waits for (a feature with work stands for
    // its work), and who waits for each.
    let expand = |i: usize| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut add = |q: usize| {
            if q != i && !out.contains(&q) {
                out.push(q);
            }
        };
        for &p in &preds[i] {
            if items[p].entity == EntityKind::Feature
                && !r.features[items[p].node.feature].work.is_empty()
            {
                preds[p].iter().for_each(|&q| add(q));
            } else {
                add(p);
            }
        }
        out
    };
    let waits: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            if items[i].entity == EntityKind::Work {
                expand(i)
            } else {
                vec![]
            }
        })
        .collect();
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
        let Some(&ri) = rel_index.get(it.release.as_str()) else {
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
        if it.open {
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
            for &p in &waits[cur] {
                let it = &items[p];
                if it.open
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
            let l = items[i].layer.as_deref().unwrap_or("");
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
    // Slack, backward: who waits for an item before the item.
    let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ps) in waits.iter().enumerate() {
        if items[i].open {
            for &p in ps {
                waiters[p].push(i);
            }
        }
    }
    let deadline: Vec<Option<Date>> = items
        .iter()
        .map(|it| {
            rel_index
                .get(it.release.as_str())
                .and_then(|&ri| releases[ri].target_end)
        })
        .collect();
    for &i in order.iter().rev() {
        if items[i].entity != EntityKind::Work || !items[i].open {
            continue;
        }
        let end = items[i].end;
        let mut slack = deadline[i].map(|d| days_between(end, d));
        for &s in &waiters[i] {
            if let Some(ss) = items[s].slack {
                let gap = days_between(end, items[s].start).max(0);
                let via = ss + gap;
                slack = Some(slack.map_or(via, |x| x.min(via)));
            }
        }
        items[i].slack = slack;
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
    let mut features_by_id = HashMap::default();
    let mut work_by_key = HashMap::default();
    for (i, it) in items.iter().enumerate() {
        let map = if it.entity == EntityKind::Feature {
            &mut features_by_id
        } else {
            &mut work_by_key
        };
        map.entry(it.key.clone()).or_insert(i);
    }
    Schedule {
        items,
        releases,
        feature_at,
        features_by_id,
        work_by_key,
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
