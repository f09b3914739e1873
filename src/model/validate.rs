//! Cross-entity validation: duplicate ids, unknown references, dependency
//! cycles, and the warnings of the format (a feature without work, a release
//! without features, a public feature without `customer_value`, work that
//! ends after its release's target, work that ends before it starts and a
//! release that starts after its target).

//!
//! An entity whose id is invalid still takes part (its id is reported
//! already); one without an id (empty) is left out of the checks by id.
//! Every check is linear in the size of the roadmap.

use super::date::DateSpec;
use super::diag::Diagnostic;
use super::read::did_you_mean;
use super::types::*;
use std::collections::VecDeque;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// `complete` is false when some entity could not be read (its errors are
/// reported already); warnings that count references are then skipped.
pub fn validate(r: &Roadmap, complete: bool, diags: &mut Vec<Diagnostic>) {
    duplicate_ids(r, diags);
    let graph = Graph::new(r);
    references(r, &graph, diags);
    cycles(&graph, diags);
    warnings(r, complete, diags);
}

/// The dependency graph: every feature and work item as a node, and by id
/// the ones that have one (a duplicated id names its last definition;
/// duplicates are errors of their own).
struct Graph<'r> {
    index: HashMap<&'r str, usize>,
    nodes: Vec<GraphNode<'r>>,
}

struct GraphNode<'r> {
    /// Its id, or a work item's key when it has none.
    name: std::borrow::Cow<'r, str>,
    depends_on: &'r [String],
    spans: &'r Spans,
    /// A work item's feature (node).
    feature: Option<usize>,
    /// A feature's work items (nodes).
    work: Vec<usize>,
}

/// Why one item waits for another.
#[derive(Clone, Copy, PartialEq)]
enum Wait {
    /// Its own `depends_on[i]`.
    Own(usize),
    /// A feature waits for each of its work items.
    Work,
    /// A work item waits for what its feature depends on
    /// (`depends_on[i]` of the feature).
    Feature(usize),
}

impl<'r> Graph<'r> {
    fn new(r: &'r Roadmap) -> Graph<'r> {
        let mut index: HashMap<&str, usize> = HashMap::default();
        let mut nodes: Vec<GraphNode<'r>> = Vec::new();
        let mut name = |id: &'r str, at: usize| {
            if !id.is_empty() {
                index.insert(id, at);
            }
        };
        for f in &r.features {
            let me = nodes.len();
            name(&f.id, me);
            nodes.push(GraphNode {
                name: f.id.as_str().into(),
                depends_on: &f.depends_on,
                spans: &f.spans,
                feature: None,
                work: Vec::with_capacity(f.work.len()),
            });
            for w in &f.work {
                let at = nodes.len();
                if let Some(id) = w.id.as_deref() {
                    name(id, at);
                }
                nodes.push(GraphNode {
                    name: match w.id.as_deref() {
                        Some(id) => id.into(),
                        None => w.key(&f.id).into(),
                    },
                    depends_on: &w.depends_on,
                    spans: &w.spans,
                    feature: Some(me),
                    work: vec![],
                });
                nodes[me].work.push(at);
            }
        }
        Graph { index, nodes }
    }

    /// What node `v` waits for, and why.
    fn waits(&self, v: usize) -> impl Iterator<Item = (Wait, usize)> + '_ {
        let node = &self.nodes[v];
        let resolve = move |deps: &'r [String], why: fn(usize) -> Wait| {
            deps.iter()
                .enumerate()
                .filter_map(move |(i, d)| self.index.get(d.as_str()).map(|&w| (why(i), w)))
        };
        let inherited = node
            .feature
            .map(|f| self.nodes[f].depends_on)
            .unwrap_or(&[]);
        resolve(node.depends_on, Wait::Own)
            .chain(node.work.iter().map(|&w| (Wait::Work, w)))
            .chain(resolve(inherited, Wait::Feature))
    }
}

fn span_of(spans: &Spans, key: &str) -> Option<Span> {
    spans.of(key)
}

/// Every id-bearing entity, in file order: (kind, id, span of the id, or
/// of the entity without one).
fn entities(r: &Roadmap) -> Vec<(&'static str, &str, Option<Span>)> {
    fn entry<'r>(kind: &'static str, id: &'r str, spans: &'r Spans) -> Entity<'r> {
        let id_span = spans.get("id");
        let start = id_span.as_ref().map_or(0, |s| s.start);
        (start, kind, id, id_span.or_else(|| spans.get("")))
    }
    type Entity<'r> = (usize, &'static str, &'r str, Option<Span>);
    let mut out: Vec<Entity<'_>> = Vec::new();
    // The roadmap's own id is one of them (docs/format.md).
    out.push(entry("roadmap", &r.meta.id, &r.meta.spans));
    // Declared layers only: an implicit default layer has no span.
    let declared = r.layers.iter().filter(|l| l.spans.get("").is_some());
    out.extend(declared.map(|l| entry("layer", &l.id, &l.spans)));
    out.extend(r.themes.iter().map(|t| entry("theme", &t.id, &t.spans)));
    out.extend(r.metrics.iter().map(|m| entry("metric", &m.id, &m.spans)));
    out.extend(r.releases.iter().map(|x| entry("release", &x.id, &x.spans)));
    for f in &r.features {
        out.push(entry("feature", &f.id, &f.spans));
        out.extend(
            f.work
                .iter()
                .filter_map(|w| w.id.as_deref().map(|id| entry("work item", id, &w.spans))),
        );
    }
    out.extend(
        r.decisions
            .iter()
            .map(|d| entry("decision", &d.id, &d.spans)),
    );
    out.retain(|e| !e.2.is_empty());
    // Stable: entities without an id span keep their relative order.
    out.sort_by_key(|e| e.0);
    out.into_iter()
        .map(|(_, kind, id, span)| (kind, id, span))
        .collect()
}

/// Where an entity's `id` value starts (0 without one): the file-order key.
fn duplicate_ids(r: &Roadmap, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&'static str, Option<Span>)> = HashMap::default();
    for (kind, id, span) in entities(r) {
        match seen.entry(id) {
            Entry::Occupied(first) => {
                let (first_kind, first_span) = first.get();
                let mut d = Diagnostic::error(
                    span,
                    format!("duplicate id `{id}`: already used by a {first_kind}"),
                )
                .with_label(format!("this {kind} reuses `{id}`"));
                if let Some(first_span) = first_span {
                    d = d
                        .with_secondary(
                            first_span.clone(),
                            format!("first used by this {first_kind}"),
                        )
                        .with_note("ids must be unique across all entities of a roadmap");
                }
                diags.push(d);
            }
            Entry::Vacant(slot) => {
                slot.insert((kind, span));
            }
        }
    }
}

fn known_list(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "none are defined".into();
    }
    // Each once (a duplicated id is an error of its own).
    let mut seen = HashSet::new();
    let ids: Vec<&str> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let shown: Vec<&str> = ids.iter().take(12).copied().collect();
    let more = if ids.len() > 12 {
        format!(", … ({} in all)", ids.len())
    } else {
        String::new()
    };
    format!("known: {}{more}", shown.join(", "))
}

/// Where a reference sits in an entity: a field, or an entry of a list
/// field (`depends_on[2]`). The key text is built only for an error.
#[derive(Clone, Copy)]
enum RefKey {
    Field(&'static str),
    Item(&'static str, usize),
}

impl RefKey {
    fn text(self) -> std::borrow::Cow<'static, str> {
        match self {
            RefKey::Field(k) => k.into(),
            RefKey::Item(k, i) => format!("{k}[{i}]").into(),
        }
    }
}

/// How many known ids the "did you mean" of unknown references may look at
/// in all, per roadmap.
const SUGGESTION_BUDGET: usize = 1_000_000;

fn references(r: &Roadmap, graph: &Graph<'_>, diags: &mut Vec<Diagnostic>) {
    let releases: Vec<&str> = r.releases.iter().map(|x| x.id.as_str()).collect();
    let layers: Vec<&str> = r.layers.iter().map(|x| x.id.as_str()).collect();
    let themes: Vec<&str> = r.themes.iter().map(|x| x.id.as_str()).collect();
    let metrics: Vec<&str> = r.metrics.iter().map(|x| x.id.as_str()).collect();
    let mut deps: Vec<&str> = r.features.iter().map(|f| f.id.as_str()).collect();
    deps.extend(r.work_items().filter_map(|(_, w)| w.id.as_deref()));

    /// How a kind's ids are looked up.
    enum Lookup<'k> {
        /// A few ids: scanning them beats hashing.
        Few,
        Set(HashSet<&'k str>),
        /// Features and work items: the dependency graph's index holds
        /// exactly their ids.
        Graph(&'k HashMap<&'k str, usize>),
    }
    /// One kind of referenced entity: its ids in file order (for the note)
    /// and how to look them up.
    struct Known<'k> {
        what: &'static str,
        ids: &'k [&'k str],
        lookup: Lookup<'k>,
    }
    impl Known<'_> {
        fn contains(&self, id: &str) -> bool {
            match &self.lookup {
                Lookup::Few => self.ids.contains(&id),
                Lookup::Set(set) => set.contains(id),
                Lookup::Graph(index) => index.contains_key(id),
            }
        }
    }
    fn known<'k>(what: &'static str, ids: &'k [&'k str]) -> Known<'k> {
        let lookup = if ids.len() <= 16 {
            Lookup::Few
        } else {
            Lookup::Set(ids.iter().copied().collect())
        };
        Known { what, ids, lookup }
    }
    let releases = known("release", &releases);
    let layers = known("layer", &layers);
    let themes = known("theme", &themes);
    let metrics = known("metric", &metrics);
    let deps = Known {
        what: "feature or work item",
        ids: &deps,
        lookup: Lookup::Graph(&graph.index),
    };
    let mut suggestions = SUGGESTION_BUDGET;
    let mut check = |spans: &Spans, key: RefKey, value: &str, known: &Known<'_>| {
        // An empty value is a missing required field, reported already.
        if !value.is_empty() && !known.contains(value) {
            let key = key.text();
            let what = known.what;
            let mut d = Diagnostic::error(
                span_of(spans, &key),
                format!("unknown {what} `{value}` in `{key}`"),
            )
            .with_label(format!("no {what} has this id"));
            // Bounded: many unknown references among many ids stay linear.
            if suggestions >= known.ids.len() {
                suggestions -= known.ids.len();
                if let Some(m) = did_you_mean(value, known.ids.iter().copied()) {
                    d = d.with_note(format!("did you mean `{m}`?"));
                }
            }
            diags.push(d.with_note(known_list(known.ids)));
        }
    };
    for t in &r.themes {
        if let Some(m) = &t.metric {
            check(&t.spans, RefKey::Field("metric"), m, &metrics);
        }
    }
    for f in &r.features {
        check(&f.spans, RefKey::Field("release"), &f.release, &releases);
        for (i, t) in f.themes.iter().enumerate() {
            check(&f.spans, RefKey::Item("themes", i), t, &themes);
        }
        for (i, d) in f.depends_on.iter().enumerate() {
            check(&f.spans, RefKey::Item("depends_on", i), d, &deps);
        }
        for w in &f.work {
            check(&w.spans, RefKey::Field("layer"), &w.layer, &layers);
            for (i, d) in w.depends_on.iter().enumerate() {
                check(&w.spans, RefKey::Item("depends_on", i), d, &deps);
            }
        }
    }
    for d in &r.decisions {
        check(&d.spans, RefKey::Field("layer"), &d.layer, &layers);
    }
}

/// Dependency cycles among features and work items: one error per group of
/// items that wait for each other (a strongly connected component), at the
/// `depends_on` entry that closes the shortest cycle through the group's
/// first item in the file. An item waits for what it depends on; a feature
/// for all its work; a work item for what its feature depends on (so a work
/// item that depends on its own feature, or a feature on its own work, is a
/// cycle). Linear in items and edges.
fn cycles(graph: &Graph<'_>, diags: &mut Vec<Diagnostic>) {
    let nodes = &graph.nodes;
    let n = nodes.len();
    // File order, so groups are found (and ties broken) as written.
    let start_of = |spans: &Spans| {
        spans
            .get("id")
            .or_else(|| spans.get(""))
            .map_or(0, |s| s.start)
    };
    let mut order: Vec<(usize, usize)> = nodes
        .iter()
        .enumerate()
        .map(|(v, node)| (start_of(node.spans), v))
        .collect();
    order.sort_unstable();
    let rank: Vec<usize> = {
        let mut rank = vec![0; n];
        for (r, (_, v)) in order.iter().enumerate() {
            rank[*v] = r;
        }
        rank
    };
    let group = strongly_connected(n, &order.iter().map(|o| o.1).collect::<Vec<_>>(), |v| {
        graph.waits(v).map(|(_, w)| w).collect()
    });
    let mut members: Vec<Vec<usize>> = Vec::new();
    for v in order.iter().map(|o| o.1) {
        let g = group[v];
        if g >= members.len() {
            members.resize(g + 1, Vec::new());
        }
        members[g].push(v);
    }
    // Breadth-first search state, reused: the edge that reached a node.
    let mut reached: Vec<Option<(usize, Wait)>> = vec![None; n];
    for m in members.iter().filter(|m| !m.is_empty()) {
        let start = *m.iter().min_by_key(|&&v| rank[v]).unwrap_or(&m[0]);
        let g = group[start];
        let self_loop = graph.waits(start).any(|(_, w)| w == start);
        if m.len() < 2 && !self_loop {
            continue;
        }
        // The shortest way back to `start` inside the group.
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(v) = queue.pop_front() {
            for (why, w) in graph.waits(v) {
                if w == start {
                    closing = Some((v, why));
                    break 'search;
                }
                if group[w] == g && reached[w].is_none() {
                    reached[w] = Some((v, why));
                    queue.push_back(w);
                }
            }
        }
        let Some(closing) = closing else {
            continue;
        };
        // The cycle's edges, first to last: (from, why).
        let mut edges = vec![closing];
        let mut at = closing.0;
        while at != start {
            let Some((prev, why)) = reached[at] else {
                break;
            };
            edges.push((prev, why));
            at = prev;
        }
        edges.reverse();
        for &v in m {
            reached[v] = None;
        }
        let mut cycle: Vec<&str> = edges.iter().map(|&(v, _)| &*nodes[v].name).collect();
        cycle.push(&nodes[start].name);
        // Located at the last `depends_on` entry on the way round (every
        // cycle has one: a feature's waiting for its work alone is none).
        let entry = edges.iter().rev().find_map(|&(v, why)| match why {
            Wait::Own(i) => Some((nodes[v].spans, i)),
            Wait::Feature(i) => nodes[v].feature.map(|f| (nodes[f].spans, i)),
            Wait::Work => None,
        });
        let span = entry.and_then(|(spans, i)| span_of(spans, &format!("depends_on[{i}]")));
        // A feature that depends on one of its own work items: said so.
        let message = match edges.as_slice() {
            [(v, Wait::Feature(_))] if *v == start => format!(
                "dependency cycle: feature {} depends on its own work item {}",
                nodes[start].feature.map_or("", |f| &*nodes[f].name),
                nodes[start].name
            ),
            _ => format!("dependency cycle: {}", cycle.join(" → ")),
        };
        let mut d = Diagnostic::error(span, message).with_label("this dependency closes the cycle");
        if edges.iter().any(|(_, why)| !matches!(why, Wait::Own(_))) {
            d = d.with_note(
                "a feature waits for all its work, and its work for what the feature depends on",
            );
        }
        if m.len() > edges.len() {
            let shown: Vec<&str> = m.iter().take(12).map(|&v| &*nodes[v].name).collect();
            let more = match m.len() - shown.len() {
                0 => String::new(),
                k => format!(" and {k} more"),
            };
            d = d.with_note(format!(
                "{} features and work items depend on each other in cycles: {}{more}",
                m.len(),
                shown.join(", ")
            ));
        }
        diags.push(d);
    }
}

/// Tarjan's strongly connected components, iterative: the component of
/// each node (`roots` in the order to start from).
fn strongly_connected(
    n: usize,
    roots: &[usize],
    successors: impl Fn(usize) -> Vec<usize>,
) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut group = vec![NONE; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut groups = 0;
    let mut calls: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    for &root in roots {
        if index[root] != NONE {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, successors(root), 0));
        while let Some((v, succ, i)) = calls.last_mut() {
            let v = *v;
            if let Some(&w) = succ.get(*i) {
                *i += 1;
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, successors(w), 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some((u, _, _)) = calls.last() {
                low[*u] = low[*u].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group[w] = groups;
                    if w == v {
                        break;
                    }
                }
                groups += 1;
            }
        }
    }
    group
}

fn warnings(r: &Roadmap, complete: bool, diags: &mut Vec<Diagnostic>) {
    // The first release with each id (as `Roadmap::release` finds it).
    let mut release_by_id: HashMap<&str, &Release> = HashMap::default();
    for rel in &r.releases {
        release_by_id.entry(&rel.id).or_insert(rel);
    }
    for f in r.features.iter().filter(|f| !f.id.is_empty()) {
        if f.work.is_empty() {
            diags.push(
                Diagnostic::warning(
                    span_of(&f.spans, "id"),
                    format!("feature `{}` has no work items", f.id),
                )
                .with_note("add `[[feature.work]]` tables to show which layers deliver it"),
            );
        }
        if f.is_public()
            && f.customer_value
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            diags.push(
                Diagnostic::warning(span_of(&f.spans, "id"), format!("public feature `{}` has no `customer_value`", f.id))
                    .with_note("the sales lens shows `customer_value`; add it, or set `visibility = \"internal\"`"),
            );
        }
        let Some(target) = release_by_id
            .get(f.release.as_str())
            .and_then(|rel| rel.target)
        else {
            continue;
        };
        let Some(target_end) = target.interval(r.today).end else {
            continue;
        };
        for w in &f.work {
            let Some(end) = w.end else { continue };
            let Some(work_end) = end.interval(r.today).end else {
                continue;
            };
            if work_end > target_end {
                diags.push(
                    Diagnostic::warning(
                        span_of(&w.spans, "end"),
                        format!("work item ends after its release's target: {end} is later than {} ({target})", f.release),
                    )
                    .with_label("ends too late"),
                );
            }
        }
    }
    // Dates written the wrong way round: an end (a release's target) whose
    // period is over before the start's begins. Overlapping periods
    // (`start = "2027-Q3"`, `end = "2027-08"`) are fine; horizons are no
    // dates and are not compared.
    for f in &r.features {
        for w in &f.work {
            let (Some(start), Some(end)) = (w.start, w.end) else {
                continue;
            };
            if ends_before_start(start, end, r.today) {
                diags.push(
                    Diagnostic::warning(
                        span_of(&w.spans, "end"),
                        format!(
                            "work item `{}` ends before it starts: its end {end} is earlier than its start {start}",
                            w.key(&f.id)
                        ),
                    )
                    .with_label("ends before its start")
                    .with_note("move the end after the start, or the start before the end"),
                );
            }
        }
    }
    for rel in &r.releases {
        let (Some(start), Some(target)) = (rel.start, rel.target) else {
            continue;
        };
        if ends_before_start(start, target, r.today) {
            diags.push(
                Diagnostic::warning(
                    span_of(&rel.spans, "start"),
                    format!(
                        "release `{}` starts after its target: its start {start} is later than its target {target}",
                        rel.id
                    ),
                )
                .with_label("starts after the target")
                .with_note("move the start before the target, or the target after the start"),
            );
        }
    }
    let released: HashSet<&str> = r.features.iter().map(|f| f.release.as_str()).collect();
    for rel in r.releases.iter().filter(|x| complete && !x.id.is_empty()) {
        if !released.contains(rel.id.as_str()) {
            diags.push(
                Diagnostic::warning(
                    span_of(&rel.spans, "id"),
                    format!("release `{}` has no features", rel.id),
                )
                .with_note("features name their release with `release = \"<id>\"`"),
            );
        }
    }
}

/// True when the period of `end` is over before the period of `start`
/// begins (`2027-05-01` before `2027-06-01`, `2027-Q3` before `2028-01`);
/// never for a horizon, which is no date.
fn ends_before_start(start: DateSpec, end: DateSpec, today: jiff::civil::Date) -> bool {
    if start.is_horizon() || end.is_horizon() {
        return false;
    }
    end.interval(today)
        .end
        .is_some_and(|e| e <= start.interval(today).start)
}
