//! Dependencies you can see: the chains up and down from one item, and the
//! whole graph laid out by release and layer.
//!
//! The edges are the `depends_on` lists as written (the story map's
//! dependencies). With `features_only` (the executive lens) the nodes are
//! the features, and a feature depends on the features its own and its work
//! items' dependencies belong to.

use super::schedule::Schedule;
use crate::model::{DateSpec, EntityKind, Roadmap, Status};
use serde::Serialize;
type HashMap<K, V> = std::collections::HashMap<K, V>;

/// One item in a chain or the graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DepNode {
    pub entity: EntityKind,
    /// Its id (a work item's key).
    pub id: String,
    pub title: String,
    /// Its release (id).
    pub release: String,
    /// A work item's layer (id).
    pub layer: Option<String>,
    pub status: Status,
    /// On a release's critical path.
    pub critical: bool,
    /// Days of slack (open items with a bounded slack).
    pub slack_days: Option<i64>,
}

/// A chain from one item, as a tree: each node's children are what it
/// depends on (upstream) or what depends on it (downstream).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tree {
    pub node: DepNode,
    /// The edge from its parent joins two layers.
    pub cross_layer: bool,
    /// Shown already elsewhere in this tree: its chain is not repeated.
    pub repeated: bool,
    /// The chain goes on below [`MAX_CHAIN_DEPTH`] levels: not shown.
    pub deeper: bool,
    pub children: Vec<Tree>,
}

/// How many levels of a chain a tree holds: a chain can be as long as the
/// roadmap (40,000 items each depending on the one before), and a tree that
/// deep has no readable picture (its indentation alone grows quadratically)
/// and is dropped and printed recursively.
pub const MAX_CHAIN_DEPTH: usize = 64;

/// The dependency chains of one item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chains {
    pub item: DepNode,
    /// What it depends on, and what those depend on.
    pub upstream: Vec<Tree>,
    /// What depends on it, and what depends on those.
    pub downstream: Vec<Tree>,
}

/// The whole graph: items that take part in a dependency, by release (in
/// time order) and layer (features first).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DepGraph {
    pub releases: Vec<GraphRelease>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphRelease {
    pub id: String,
    pub name: String,
    pub target: Option<DateSpec>,
    pub groups: Vec<GraphGroup>,
}

/// The items of one release in one layer (`layer` `None`: its features).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphGroup {
    pub layer: Option<String>,
    /// The layer's name, or "Features".
    pub name: String,
    pub items: Vec<GraphItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphItem {
    pub node: DepNode,
    /// What it depends on.
    pub depends_on: Vec<GraphEdge>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphEdge {
    pub entity: EntityKind,
    pub id: String,
    /// The release of the item depended on, when it is another release.
    pub release: Option<String>,
    pub layer: Option<String>,
    pub cross_layer: bool,
}

/// The graph as a lens sees it: nodes and upstream edges (indices).
struct Net {
    nodes: Vec<DepNode>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
}

impl Net {
    fn new(r: &Roadmap, s: &Schedule, features_only: bool) -> Net {
        let node = |i: usize| -> DepNode {
            let p = &s.items[i];
            let f = &r.features[p.node.feature];
            let (title, status) = match p.node.work {
                Some(wi) => (f.work[wi].title.clone(), f.work[wi].status()),
                None => (f.title.clone(), f.status()),
            };
            DepNode {
                entity: p.entity,
                id: p.key.to_string(),
                title,
                release: p.release.to_string(),
                layer: p.layer.map(str::to_string),
                status,
                critical: p.critical,
                slack_days: p.slack,
            }
        };
        // Item index → net node.
        let mut at: Vec<Option<usize>> = vec![None; s.items.len()];
        let mut nodes = Vec::new();
        for (i, p) in s.items.iter().enumerate() {
            if !features_only || p.entity == EntityKind::Feature {
                at[i] = Some(nodes.len());
                nodes.push(node(i));
            }
        }
        let mut by_id: HashMap<&str, usize> = HashMap::default();
        for f in r.features.iter() {
            if let Some(i) = s.index(EntityKind::Feature, &f.id) {
                by_id.entry(f.id.as_str()).or_insert(i);
            }
        }
        for (f, w) in r.work_items() {
            if let Some(id) = &w.id
                && let Some(i) = s.index(EntityKind::Work, &w.key(&f.id))
            {
                by_id.entry(id.as_str()).or_insert(i);
            }
        }
        let mut up: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, p) in s.items.iter().enumerate() {
            let f = &r.features[p.node.feature];
            let list = match p.node.work {
                Some(wi) => &f.work[wi].depends_on,
                None => &f.depends_on,
            };
            // Under features only, a work item's dependencies are its
            // feature's.
            let from = if features_only {
                s.index(EntityKind::Feature, &f.id).and_then(|j| at[j])
            } else {
                at[i]
            };
            let Some(from) = from else { continue };
            for id in list {
                let Some(&j) = by_id.get(id.as_str()) else {
                    continue;
                };
                let to = if features_only {
                    let g = &r.features[s.items[j].node.feature];
                    s.index(EntityKind::Feature, &g.id).and_then(|k| at[k])
                } else {
                    at[j]
                };
                if let Some(to) = to
                    && to != from
                    && !up[from].contains(&to)
                {
                    up[from].push(to);
                }
            }
        }
        let mut down: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, ups) in up.iter().enumerate() {
            for &j in ups {
                down[j].push(i);
            }
        }
        Net { nodes, up, down }
    }

    fn find(&self, id: &str) -> Option<usize> {
        let hit = |e: EntityKind| self.nodes.iter().position(|n| n.entity == e && n.id == id);
        hit(EntityKind::Feature).or_else(|| hit(EntityKind::Work))
    }

    fn cross(&self, a: usize, b: usize) -> bool {
        matches!((&self.nodes[a].layer, &self.nodes[b].layer), (Some(x), Some(y)) if x != y)
    }

    fn frame(&self, parent: usize, id: usize, seen: &mut [bool]) -> Frame {
        let repeated = seen[id];
        seen[id] = true;
        Frame {
            tree: Tree {
                node: self.nodes[id].clone(),
                cross_layer: self.cross(parent, id),
                repeated,
                deeper: false,
                children: vec![],
            },
            next: 0,
            id,
        }
    }

    /// The trees from `from` along `edges` (without recursion: a chain can
    /// be as long as the roadmap); each node is expanded once, then marked
    /// repeated.
    fn tree(&self, from: usize, edges: &[Vec<usize>], seen: &mut [bool]) -> Vec<Tree> {
        let mut out = Vec::new();
        for &child in &edges[from] {
            let mut stack: Vec<Frame> = vec![self.frame(from, child, seen)];
            loop {
                let depth = stack.len();
                let Some(top) = stack.last_mut() else { break };
                let id = top.id;
                if top.tree.repeated || top.next >= edges[id].len() {
                    let done = stack.pop().map(|f| f.tree);
                    match (stack.last_mut(), done) {
                        (Some(parent), Some(t)) => parent.tree.children.push(t),
                        (None, Some(t)) => out.push(t),
                        _ => {}
                    }
                    continue;
                }
                if depth >= MAX_CHAIN_DEPTH {
                    // Not followed further: said, not drawn.
                    top.tree.deeper = true;
                    top.next = edges[id].len();
                    continue;
                }
                let next = edges[id][top.next];
                top.next += 1;
                let f = self.frame(id, next, seen);
                stack.push(f);
            }
        }
        out
    }
}

/// A tree being built.
struct Frame {
    tree: Tree,
    /// The next edge to follow.
    next: usize,
    id: usize,
}

/// The chains up and down from the feature or work item `id` (a feature's
/// id first, then a work item's key); `None` when the graph has no such
/// item.
pub fn chains(r: &Roadmap, s: &Schedule, id: &str, features_only: bool) -> Option<Chains> {
    let net = Net::new(r, s, features_only);
    let at = net.find(id)?;
    let mut seen = vec![false; net.nodes.len()];
    seen[at] = true;
    let upstream = net.tree(at, &net.up, &mut seen);
    let mut seen = vec![false; net.nodes.len()];
    seen[at] = true;
    let downstream = net.tree(at, &net.down, &mut seen);
    Some(Chains {
        item: net.nodes[at].clone(),
        upstream,
        downstream,
    })
}

/// The whole graph by release and layer; with `layer`, only the edges with
/// an end in that layer (and their items).
pub fn graph(r: &Roadmap, s: &Schedule, features_only: bool, layer: Option<&str>) -> DepGraph {
    let net = Net::new(r, s, features_only);
    let in_layer = |i: usize| layer.is_none_or(|l| net.nodes[i].layer.as_deref() == Some(l));
    let keep_edge = |a: usize, b: usize| in_layer(a) || in_layer(b);
    let mut shown = vec![false; net.nodes.len()];
    for (a, ups) in net.up.iter().enumerate() {
        for &b in ups {
            if keep_edge(a, b) {
                shown[a] = true;
                shown[b] = true;
            }
        }
    }
    let mut rels: Vec<&crate::model::Release> = r.releases.iter().collect();
    rels.sort_by_key(|x| match &x.target {
        Some(t) => (false, t.sort_key(r.today)),
        None => (true, (jiff::civil::Date::MAX, jiff::civil::Date::MAX)),
    });
    let group_name = |l: Option<&str>| match l {
        None => "Features".to_string(),
        Some(id) => r
            .layer(id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| id.to_string()),
    };
    let mut releases = Vec::new();
    for rel in rels {
        let mut groups: Vec<GraphGroup> = Vec::new();
        let order = std::iter::once(None).chain(r.layers.iter().map(|l| Some(l.id.as_str())));
        let mut keys: Vec<Option<&str>> = order.collect();
        for n in &net.nodes {
            if n.release == rel.id
                && let Some(l) = n.layer.as_deref()
                && !keys.contains(&Some(l))
            {
                keys.push(Some(l));
            }
        }
        for key in keys {
            let items: Vec<GraphItem> = (0..net.nodes.len())
                .filter(|&i| shown[i])
                .filter(|&i| net.nodes[i].release == rel.id && net.nodes[i].layer.as_deref() == key)
                .map(|i| GraphItem {
                    node: net.nodes[i].clone(),
                    depends_on: net.up[i]
                        .iter()
                        .filter(|&&j| keep_edge(i, j))
                        .map(|&j| {
                            let n = &net.nodes[j];
                            GraphEdge {
                                entity: n.entity,
                                id: n.id.clone(),
                                release: (n.release != rel.id).then(|| n.release.clone()),
                                layer: n.layer.clone(),
                                cross_layer: net.cross(i, j),
                            }
                        })
                        .collect(),
                })
                .collect();
            if !items.is_empty() {
                groups.push(GraphGroup {
                    layer: key.map(str::to_string),
                    name: group_name(key),
                    items,
                });
            }
        }
        if !groups.is_empty() {
            releases.push(GraphRelease {
                id: rel.id.clone(),
                name: rel.name.clone(),
                target: rel.target,
                groups,
            });
        }
    }
    DepGraph { releases }
}
