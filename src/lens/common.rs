//! Building blocks shared by the lenses: headers, time order, the dependency
//! graph (resolved by id, never panicking on dangling references), work cards.

use super::{
    CellEffort, ConflictLine, CriticalPath, DepEdge, Header, InterfaceLine, ItemRef, LayerEffort,
    LayerHead, PathStep, ReleaseHead, WorkCard,
};
use crate::model::{
    DateSpec, EntityKind, Estimate, Feature, Health, Layer, Release, Roadmap, Status, WorkItem,
};
use crate::plan::{self, Schedule};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use jiff::civil::Date;

pub(crate) fn header(r: &Roadmap) -> Header {
    Header {
        id: r.meta.id.clone(),
        title: r.meta.title.clone(),
        owner: r.meta.owner.clone(),
        vision: r.meta.vision.clone(),
    }
}

pub(crate) fn layer_head(l: &Layer) -> LayerHead {
    LayerHead {
        id: l.id.clone(),
        name: l.name.clone(),
        team: l.team.clone(),
        cadence: l.cadence.clone(),
    }
}

pub(crate) fn release_head(rel: &Release) -> ReleaseHead {
    ReleaseHead {
        id: rel.id.clone(),
        name: rel.name.clone(),
        target: rel.target,
        status: rel.status(),
        health: rel.health,
    }
}

/// A key ordering targets in time; no target sorts last.
pub(crate) fn target_key(t: Option<&DateSpec>, today: Date) -> (bool, (Date, Date)) {
    match t {
        Some(t) => (false, t.sort_key(today)),
        None => (true, (Date::MAX, Date::MAX)),
    }
}

/// Releases by target (end of interval), file order on ties, untargeted last.
pub(crate) fn releases_in_time_order(r: &Roadmap) -> Vec<&Release> {
    let mut rels: Vec<&Release> = r.releases.iter().collect();
    rels.sort_by_key(|rel| target_key(rel.target.as_ref(), r.today));
    rels
}

/// The estimate as written, or rebuilt from its parsed form.
pub(crate) fn estimate_text(w: &WorkItem) -> Option<String> {
    if let Some(t) = &w.estimate_text {
        return Some(t.clone());
    }
    w.estimate.as_ref().map(Estimate::to_string)
}

/// A number without a needless `.0`.
pub fn fmt_num(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Unfinished: neither shipped nor cancelled.
pub(crate) fn is_open(s: Status) -> bool {
    !matches!(s, Status::Shipped | Status::Cancelled)
}

/// Something a dependency id can name.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Feature(&'a Feature),
    Work(&'a Feature, &'a WorkItem),
}

impl<'a> Node<'a> {
    pub fn item_ref(&self) -> ItemRef {
        match self {
            Node::Feature(f) => ItemRef {
                entity: EntityKind::Feature,
                id: f.id.clone(),
            },
            Node::Work(f, w) => ItemRef {
                entity: EntityKind::Work,
                id: w.key(&f.id),
            },
        }
    }
    pub fn title(&self) -> &'a str {
        match self {
            Node::Feature(f) => &f.title,
            Node::Work(_, w) => &w.title,
        }
    }
    pub fn layer(&self) -> Option<&'a str> {
        match self {
            Node::Feature(_) => None,
            Node::Work(_, w) => Some(&w.layer),
        }
    }
    /// The id others can depend on (work items without one have none).
    pub fn id(&self) -> Option<&'a str> {
        match self {
            Node::Feature(f) => Some(&f.id),
            Node::Work(_, w) => w.id.as_deref(),
        }
    }
    pub fn depends_on(&self) -> &'a [String] {
        match self {
            Node::Feature(f) => &f.depends_on,
            Node::Work(_, w) => &w.depends_on,
        }
    }
    pub fn status(&self) -> Status {
        match self {
            Node::Feature(f) => f.status(),
            Node::Work(_, w) => w.status(),
        }
    }
    pub fn health(&self) -> Option<Health> {
        match self {
            Node::Feature(f) => f.health,
            Node::Work(_, w) => w.health,
        }
    }
}

/// A layer's name, or its id when the roadmap lacks it.
pub(crate) fn layer_name(r: &Roadmap, id: &str) -> String {
    r.layer(id)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A release's critical path as the lenses show it.
pub(crate) fn critical_path(r: &Roadmap, s: &Schedule, release: &str) -> Option<CriticalPath> {
    let rp = s.release(release)?;
    // Its last busy day: the day before its end (an item of no days at the
    // end adds none), but never before the path starts (a path of no days
    // ends the day it starts).
    let end = s.path_end(rp)?;
    let first = s.items[*rp.path.first()?].start;
    let last = end.yesterday().unwrap_or(end).max(first);
    let steps = rp
        .path
        .iter()
        .map(|&i| {
            let p = &s.items[i];
            let f = &r.features[p.node.feature];
            let title = match p.node.work {
                Some(wi) => f.work[wi].title.clone(),
                None => f.title.clone(),
            };
            PathStep {
                key: p.key.to_string(),
                title,
            }
        })
        .collect();
    Some(CriticalPath {
        steps,
        layer: rp.path_layer.as_deref().map(|l| layer_name(r, l)),
        ends: DateSpec::Day(last),
        slack_days: s.path_slack(rp),
    })
}

/// A release's effort per layer, most first (ties: layer order).
pub(crate) fn layer_effort(r: &Roadmap, s: &Schedule, release: &str) -> Vec<LayerEffort> {
    let Some(rp) = s.release(release) else {
        return vec![];
    };
    let mut out: Vec<LayerEffort> = rp
        .effort
        .iter()
        .map(|e| LayerEffort {
            layer: e.layer.clone(),
            name: layer_name(r, &e.layer),
            days: e.days,
            unestimated: e.unestimated,
        })
        .collect();
    // Stable: equal efforts keep the layer order.
    out.sort_by(|a, b| b.days.total_cmp(&a.days));
    out
}

/// One cell's effort (a release and a layer).
pub(crate) fn cell_effort(s: &Schedule, release: &str, layer: &str) -> CellEffort {
    match s.release(release).and_then(|rp| rp.effort_of(layer)) {
        Some(e) => CellEffort {
            days: e.days,
            unestimated: e.unestimated,
        },
        None => CellEffort {
            days: 0.0,
            unestimated: 0,
        },
    }
}

/// The schedule conflicts, as `check` words them.
pub(crate) fn conflict_lines(r: &Roadmap, s: &Schedule) -> Vec<ConflictLine> {
    plan::conflicts(r, s)
        .into_iter()
        .map(|c| ConflictLine {
            kind: c.kind,
            entity: c.entity,
            id: c.id,
            other: c.other,
            message: c.message,
        })
        .collect()
}

/// The dependency graph over features and work items, by id.
pub(crate) struct Graph<'a> {
    pub r: &'a Roadmap,
    /// The schedule (critical paths, slack).
    pub sched: Schedule<'a>,
    /// id → node; the first entity with an id wins (ids are unique in a
    /// validated roadmap).
    by_id: HashMap<&'a str, Node<'a>>,
    /// Every node that has dependencies, in file order (features, each
    /// followed by its work items).
    nodes: Vec<Node<'a>>,
    /// target id → dependents (in file order).
    dependents: HashMap<&'a str, Vec<Node<'a>>>,
}

impl<'a> Graph<'a> {
    pub fn new(r: &'a Roadmap) -> Graph<'a> {
        let mut by_id = HashMap::new();
        let mut nodes = Vec::new();
        for f in &r.features {
            by_id.entry(f.id.as_str()).or_insert(Node::Feature(f));
        }
        for f in &r.features {
            nodes.push(Node::Feature(f));
            for w in &f.work {
                if let Some(id) = &w.id {
                    by_id.entry(id.as_str()).or_insert(Node::Work(f, w));
                }
                nodes.push(Node::Work(f, w));
            }
        }
        let mut dependents: HashMap<&'a str, Vec<Node<'a>>> = HashMap::new();
        for n in &nodes {
            let mut seen = HashSet::new();
            for d in n.depends_on() {
                if seen.insert(d.as_str()) {
                    dependents.entry(d.as_str()).or_default().push(*n);
                }
            }
        }
        Graph {
            r,
            sched: plan::schedule(r),
            by_id,
            nodes,
            dependents,
        }
    }

    pub fn get(&self, id: &str) -> Option<Node<'a>> {
        self.by_id.get(id).copied()
    }

    /// The node an edge end names (edge ends are always resolvable ids).
    pub fn get_by_ref(&self, r: &ItemRef) -> Option<Node<'a>> {
        self.get(&r.id).filter(|n| n.item_ref().entity == r.entity)
    }

    /// The nodes that depend on `id`.
    pub fn dependents_of(&self, id: &str) -> &[Node<'a>] {
        self.dependents.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every resolvable dependency edge, in file order. Dangling ids (only
    /// possible in hand-built roadmaps) are left out.
    pub fn edges(&self) -> Vec<DepEdge> {
        let mut out = Vec::new();
        for n in &self.nodes {
            let mut seen = HashSet::new();
            for d in n.depends_on() {
                if !seen.insert(d.as_str()) {
                    continue;
                }
                if let Some(to) = self.get(d) {
                    out.push(edge(n, &to));
                }
            }
        }
        out
    }

    /// Work card for one work item.
    pub fn card(&self, f: &Feature, w: &WorkItem) -> WorkCard {
        let key = w.key(&f.id);
        let planned = self.sched.get(EntityKind::Work, &key);
        let depended_on_by = match &w.id {
            Some(id) => self
                .dependents_of(id)
                .iter()
                .map(|n| n.item_ref().id)
                .collect(),
            None => vec![],
        };
        WorkCard {
            key,
            title: w.title.clone(),
            feature: f.id.clone(),
            feature_title: f.title.clone(),
            release: f.release.clone(),
            layer: w.layer.clone(),
            status: w.status(),
            health: w.health,
            team: self.r.team_of(w).map(str::to_string),
            estimate: estimate_text(w),
            start: w.start,
            end: w.end,
            depends_on: w.depends_on.clone(),
            depended_on_by,
            interface: w.interface.clone(),
            critical: planned.is_some_and(|p| p.critical),
            slack_days: planned.and_then(|p| p.slack),
        }
    }

    /// Interface line for a work item that exposes a contract.
    pub fn interface(&self, f: &Feature, w: &WorkItem) -> Option<InterfaceLine> {
        let contract = w.interface.as_ref()?;
        let consumers = match &w.id {
            Some(id) => self
                .dependents_of(id)
                .iter()
                .filter(|n| matches!(n.layer(), Some(l) if l != w.layer))
                .map(|n| n.item_ref().id)
                .collect(),
            None => vec![],
        };
        Some(InterfaceLine {
            work: w.key(&f.id),
            title: w.title.clone(),
            layer: w.layer.clone(),
            contract: contract.clone(),
            consumers,
        })
    }

    /// Work items that are blocked: health `blocked`, or (transitively)
    /// depending on a blocked feature or work item that is not finished.
    /// Shipped and cancelled items are never listed.
    pub fn blocked_work(&self) -> Vec<(&'a Feature, &'a WorkItem)> {
        let mut blocked: HashSet<String> = HashSet::new();
        let mut queue: Vec<&'a str> = Vec::new();
        // Seeds: unfinished nodes with health blocked.
        for n in &self.nodes {
            if n.health() == Some(Health::Blocked) && is_open(n.status()) {
                blocked.insert(n.item_ref().id);
                if let Some(id) = n.id() {
                    queue.push(id);
                }
            }
        }
        // Everything unfinished that depends on a blocked node is blocked too.
        while let Some(id) = queue.pop() {
            for n in self.dependents_of(id) {
                if is_open(n.status())
                    && blocked.insert(n.item_ref().id)
                    && let Some(nid) = n.id()
                {
                    queue.push(nid);
                }
            }
        }
        self.r
            .work_items()
            .filter(|(f, w)| is_open(w.status()) && blocked.contains(&w.key(&f.id)))
            .collect()
    }
}

fn edge(from: &Node<'_>, to: &Node<'_>) -> DepEdge {
    let (fl, tl) = (from.layer(), to.layer());
    DepEdge {
        from: from.item_ref(),
        from_title: from.title().to_string(),
        from_layer: fl.map(str::to_string),
        to: to.item_ref(),
        to_title: to.title().to_string(),
        to_layer: tl.map(str::to_string),
        cross_layer: matches!((fl, tl), (Some(a), Some(b)) if a != b),
    }
}
