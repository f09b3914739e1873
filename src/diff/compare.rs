//! Entity-by-entity comparison of two roadmaps.
//!
//! Every entity kind is matched across the two sides the same way
//! ([`pairs`]: added, on both sides, removed) and driven by one loop
//! ([`Differ::entities`]); what differs per kind is in its [`Entity`]
//! implementation: its key, title, lens scope, and the list of its fields.

use super::lenses::{self, Scope};
use super::{Change, ChangeKind, entity_noun};
use crate::model::date::{DateSpec, Shift, compare};
use crate::model::{
    Commitment, Decision, EntityKind, Extra, Feature, Layer, Metric, Release, Roadmap, Theme,
    Visibility, WorkItem,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Display;

/// Values longer than this are not repeated in a summary sentence.
const SHORT: usize = 48;

pub(super) fn diff(old: &Roadmap, new: &Roadmap) -> Vec<Change> {
    let mut d = Differ::new(old, new);
    d.roadmap();
    d.entities(&old.layers, &new.layers);
    d.entities(&old.themes, &new.themes);
    d.entities(&old.metrics, &new.metrics);
    d.entities(&old.releases, &new.releases);
    d.entities(&old.features, &new.features);
    let (old_work, new_work) = (work_index(old), work_index(new));
    d.entities(
        old_work.iter().map(Work::from),
        new_work.iter().map(Work::from),
    );
    d.entities(&old.decisions, &new.decisions);
    d.derived_sales();
    d.finish()
}

pub(super) fn whole(r: &Roadmap, added: bool) -> Vec<Change> {
    let mut d = Differ::new(r, r);
    let kind = if added {
        ChangeKind::Added
    } else {
        ChangeKind::Removed
    };
    d.presence(
        EntityKind::Roadmap,
        &r.meta.id,
        &r.meta.title,
        kind,
        Scope::Roadmap,
        0,
        None,
    );
    d.whole_entities(&r.releases, kind);
    d.whole_entities(&r.features, kind);
    d.finish()
}

/// A change before ordering: where its entity sits, for grouping.
struct Pending {
    change: Change,
    /// Position of the entity in its file (new side, else old), for ties.
    pos: usize,
    seq: usize,
}

struct Differ<'a> {
    old: &'a Roadmap,
    new: &'a Roadmap,
    /// Lookups by id on each side (large roadmaps stay linear).
    oi: Ids<'a>,
    ni: Ids<'a>,
    /// The layers with work in each release, on either side.
    release_layers: HashMap<&'a str, BTreeSet<String>>,
    out: Vec<Pending>,
}

/// One side's releases and features by id (the first of duplicates, as
/// `Roadmap::feature` finds).
struct Ids<'a> {
    releases: HashMap<&'a str, &'a Release>,
    features: HashMap<&'a str, &'a Feature>,
}

impl<'a> Ids<'a> {
    fn new(r: &'a Roadmap) -> Self {
        Ids {
            releases: by_id(&r.releases, |x| &x.id),
            features: by_id(&r.features, |x| &x.id),
        }
    }
}

fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
    let mut m = HashMap::with_capacity(items.len());
    for x in items {
        m.entry(id(x)).or_insert(x);
    }
    m
}

/// An entity matched across the two sides by its key.
#[derive(Clone, Copy)]
enum Pair<T> {
    /// Only on the new side.
    Added(T),
    /// On both sides: (old, new).
    Both(T, T),
    /// Only on the old side.
    Removed(T),
}

impl<T: Copy> Pair<T> {
    fn old_side(&self) -> Option<T> {
        match *self {
            Pair::Both(o, _) | Pair::Removed(o) => Some(o),
            Pair::Added(_) => None,
        }
    }
    fn new_side(&self) -> Option<T> {
        match *self {
            Pair::Added(n) | Pair::Both(_, n) => Some(n),
            Pair::Removed(_) => None,
        }
    }
    /// The new side, else the old.
    fn latest(&self) -> T {
        match *self {
            Pair::Added(x) | Pair::Both(_, x) | Pair::Removed(x) => x,
        }
    }
}

/// Match two sides by key (linear): every new-side entity in file order,
/// paired with the first old-side entity of its key or else added; then every
/// old-side entity whose key the new side lacks, removed. Each comes with its
/// position on its own side.
fn pairs<'k, T: Copy>(
    old: impl IntoIterator<Item = T>,
    new: impl IntoIterator<Item = T>,
    key: impl Fn(T) -> &'k str,
) -> Vec<(usize, Pair<T>)> {
    let old: Vec<T> = old.into_iter().collect();
    let new: Vec<T> = new.into_iter().collect();
    let mut first_old: HashMap<&str, T> = HashMap::with_capacity(old.len());
    for &o in &old {
        first_old.entry(key(o)).or_insert(o);
    }
    let new_keys: HashSet<&str> = new.iter().map(|&n| key(n)).collect();
    let mut out = Vec::with_capacity(new.len() + old.len());
    for (pos, &n) in new.iter().enumerate() {
        let pair = match first_old.get(key(n)) {
            Some(&o) => Pair::Both(o, n),
            None => Pair::Added(n),
        };
        out.push((pos, pair));
    }
    for (pos, &o) in old.iter().enumerate() {
        if !new_keys.contains(key(o)) {
            out.push((pos, Pair::Removed(o)));
        }
    }
    out
}

/// How a value is written in a change: as TOML would write it.
fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}
/// Dates, numbers of the schema, and enum values (`in-progress`).
fn display<V: Display>(v: Option<V>) -> Option<String> {
    v.map(|x| x.to_string())
}
fn num(v: Option<f64>) -> Option<String> {
    v.map(|x| toml::Value::Float(x).to_string())
}
fn arr(v: &[String]) -> Option<String> {
    Some(toml::Value::Array(v.iter().map(|x| toml::Value::String(x.clone())).collect()).to_string())
}

fn is_short(v: &Option<String>) -> bool {
    v.as_deref()
        .is_none_or(|t| t.chars().count() <= SHORT && !t.contains('\n'))
}

fn shown(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

fn quoted(t: &str) -> String {
    format!("\"{t}\"")
}

/// A slip or a pull-in as its change kind and sentence
/// (`slipped by 1 quarter: 2027-Q3 → 2027-Q4`); `None` for the rest.
fn shift_detail(shift: Shift, a: &DateSpec, b: &DateSpec) -> Option<(ChangeKind, String)> {
    let (kind, verb, amount) = match shift {
        Shift::Slipped { amount } => (ChangeKind::Slipped, "slipped", amount),
        Shift::PulledIn { amount } => (ChangeKind::PulledIn, "pulled in", amount),
        Shift::Same | Shift::Refined => return None,
    };
    let by = amount.map(|x| format!(" by {x}")).unwrap_or_default();
    Some((kind, format!("{verb}{by}: {a} → {b}")))
}

impl<'a> Differ<'a> {
    fn new(old: &'a Roadmap, new: &'a Roadmap) -> Self {
        let mut release_layers: HashMap<&'a str, BTreeSet<String>> = HashMap::new();
        for r in [old, new] {
            for (f, w) in r.work_items() {
                release_layers
                    .entry(f.release.as_str())
                    .or_default()
                    .insert(w.layer.clone());
            }
        }
        Differ {
            old,
            new,
            oi: Ids::new(old),
            ni: Ids::new(new),
            release_layers,
            out: vec![],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        entity: EntityKind,
        id: &str,
        title: &str,
        kind: ChangeKind,
        field: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        detail: String,
        lenses: Vec<String>,
        pos: usize,
    ) {
        let summary = format!("{} {id} {detail}", entity_noun(entity));
        let seq = self.out.len();
        self.out.push(Pending {
            change: Change {
                entity,
                id: id.to_string(),
                kind,
                field: field.map(str::to_string),
                old,
                new,
                summary,
                detail,
                title: title.to_string(),
                lenses,
            },
            pos,
            seq,
        });
    }

    /// A whole entity added or removed.
    #[allow(clippy::too_many_arguments)]
    fn presence(
        &mut self,
        entity: EntityKind,
        id: &str,
        title: &str,
        kind: ChangeKind,
        scope: Scope,
        pos: usize,
        extra: Option<String>,
    ) {
        let verb = if kind == ChangeKind::Added {
            "added"
        } else {
            "removed"
        };
        let mut detail = format!("{verb}: {}", quoted(title));
        if let Some(e) = extra {
            detail.push_str(&format!(" ({e})"));
        }
        let lenses = lenses::of(&scope, kind, None);
        self.push(
            entity, id, title, kind, None, None, None, detail, lenses, pos,
        );
    }

    /// Compare one field; `kind` is the change kind when it differs.
    fn field(
        &mut self,
        e: &Ent<'_>,
        field: &str,
        kind: ChangeKind,
        old: Option<String>,
        new: Option<String>,
    ) {
        if old == new {
            return;
        }
        let detail = match kind {
            ChangeKind::Renamed => format!(
                "renamed: {} → {}",
                old.as_deref()
                    .map(quoted)
                    .unwrap_or_else(|| "(none)".into()),
                new.as_deref()
                    .map(quoted)
                    .unwrap_or_else(|| "(none)".into())
            ),
            _ if is_short(&old) && is_short(&new) => {
                format!("{field}: {} → {}", shown(&old), shown(&new))
            }
            _ => match (&old, &new) {
                (None, Some(_)) => format!("{field} set"),
                (Some(_), None) => format!("{field} removed"),
                _ => format!("{field} changed"),
            },
        };
        self.emit(e, kind, field, old, new, detail);
    }

    /// A field with a default: compared by effective value, written as in
    /// the file (`None` where absent), described with effective values.
    fn defaulted(
        &mut self,
        e: &Ent<'_>,
        field: &str,
        kind: ChangeKind,
        old: (Option<String>, &str),
        new: (Option<String>, &str),
    ) {
        if old.1 == new.1 {
            return;
        }
        let detail = format!("{field}: {} → {}", old.1, new.1);
        self.emit(e, kind, field, old.0, new.0, detail);
    }

    fn emit(
        &mut self,
        e: &Ent<'_>,
        kind: ChangeKind,
        field: &str,
        old: Option<String>,
        new: Option<String>,
        detail: String,
    ) {
        let lenses = lenses::of(&e.scope, kind, Some(field));
        self.push(
            e.kind,
            e.id,
            e.title,
            kind,
            Some(field),
            old,
            new,
            detail,
            lenses,
            e.pos,
        );
    }

    fn extra(&mut self, e: &Ent<'_>, old: &Extra, new: &Extra) {
        let o: BTreeMap<&str, &str> = old.0.iter().map(|(k, v)| (&**k, &**v)).collect();
        let n: BTreeMap<&str, &str> = new.0.iter().map(|(k, v)| (&**k, &**v)).collect();
        // New-side order first, then keys only the old side had.
        let mut keys: Vec<&str> = new.0.iter().map(|(k, _)| &**k).collect();
        keys.extend(
            old.0
                .iter()
                .map(|(k, _)| &**k)
                .filter(|k| !n.contains_key(k)),
        );
        for k in keys {
            let (a, b) = (
                o.get(k).map(|v| v.to_string()),
                n.get(k).map(|v| v.to_string()),
            );
            self.field(e, &format!("extra.{k}"), ChangeKind::Changed, a, b);
        }
    }

    fn deps(&mut self, e: &Ent<'_>, old: &[String], new: &[String]) {
        let o: BTreeSet<&String> = old.iter().collect();
        let n: BTreeSet<&String> = new.iter().collect();
        if o == n {
            return;
        }
        let added: Vec<&str> = new
            .iter()
            .filter(|d| !o.contains(d))
            .map(|d| d.as_str())
            .collect();
        let removed: Vec<&str> = old
            .iter()
            .filter(|d| !n.contains(d))
            .map(|d| d.as_str())
            .collect();
        let mut parts = vec![];
        if !added.is_empty() {
            parts.push(format!("now depends on {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("no longer on {}", removed.join(", ")));
        }
        let detail = format!("dependencies: {}", parts.join("; "));
        self.emit(
            e,
            ChangeKind::Dependencies,
            "depends_on",
            arr(old),
            arr(new),
            detail,
        );
    }

    /// A date field compared as a target: slips and pull-ins by the end of
    /// its interval, refinements as `changed`.
    fn target(&mut self, e: &Ent<'_>, field: &str, old: Option<DateSpec>, new: Option<DateSpec>) {
        let (o, n) = (display(old), display(new));
        let (Some(a), Some(b)) = (old, new) else {
            self.field(e, field, ChangeKind::Changed, o, n);
            return;
        };
        let shift = compare(&a, &b, self.new.today);
        if shift == Shift::Refined {
            let detail = format!("{field} refined: {a} → {b}");
            self.emit(e, ChangeKind::Changed, field, o, n, detail);
        } else if let Some((kind, detail)) = shift_detail(shift, &a, &b) {
            self.emit(e, kind, field, o, n, detail);
        }
    }

    fn finish(self) -> Vec<Change> {
        // Group by entity; order groups by their most important change.
        let mut groups: Vec<(EntityKind, String, Vec<Pending>)> = vec![];
        let mut index: HashMap<(EntityKind, String), usize> = HashMap::new();
        for p in self.out {
            let key = (p.change.entity, p.change.id.clone());
            match index.get(&key) {
                Some(&i) => groups[i].2.push(p),
                None => {
                    index.insert(key.clone(), groups.len());
                    groups.push((key.0, key.1, vec![p]));
                }
            }
        }
        for g in &mut groups {
            g.2.sort_by_key(|p| (p.change.kind.rank(), p.seq));
        }
        groups.sort_by_key(|(kind, _, ps)| {
            let best = ps
                .iter()
                .map(|p| p.change.kind.rank())
                .min()
                .unwrap_or(u8::MAX);
            let pos = ps.first().map(|p| p.pos).unwrap_or(0);
            let seq = ps.iter().map(|p| p.seq).min().unwrap_or(0);
            (best, kind_order(*kind), pos, seq)
        });
        groups
            .into_iter()
            .flat_map(|(_, _, ps)| ps.into_iter().map(|p| p.change))
            .collect()
    }

    // ------------------------------------------------------------ entities

    /// Compare one kind of entity: additions and field changes in new-side
    /// order, then removals in old-side order.
    fn entities<'e, T: Entity<'e>>(
        &mut self,
        old: impl IntoIterator<Item = T>,
        new: impl IntoIterator<Item = T>,
    ) {
        for (pos, pair) in pairs(old, new, T::key) {
            let scope = T::scope(self, &pair);
            let (kind, x, note) = match pair {
                Pair::Added(n) => (ChangeKind::Added, n, n.note()),
                Pair::Removed(o) => (ChangeKind::Removed, o, o.removed_note()),
                Pair::Both(o, n) => {
                    let e = Ent {
                        kind: T::KIND,
                        id: n.key(),
                        title: n.title(),
                        scope,
                        pos,
                    };
                    T::fields(&mut Fields { d: self, e, o, n });
                    continue;
                }
            };
            self.presence(T::KIND, x.key(), x.title(), kind, scope, pos, note);
        }
    }

    /// Every entity of one kind of a roadmap that appears (`kind` added) or
    /// disappears (removed) whole.
    fn whole_entities<'e, T: Entity<'e>>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        kind: ChangeKind,
    ) {
        for (pos, x) in items.into_iter().enumerate() {
            let pair = if kind == ChangeKind::Added {
                Pair::Added(x)
            } else {
                Pair::Removed(x)
            };
            let scope = T::scope(self, &pair);
            self.presence(T::KIND, x.key(), x.title(), kind, scope, pos, x.note());
        }
    }

    fn roadmap(&mut self) {
        let (old, new) = (self.old, self.new);
        let e = Ent {
            kind: EntityKind::Roadmap,
            id: &new.meta.id,
            title: &new.meta.title,
            scope: Scope::Roadmap,
            pos: 0,
        };
        let c = &mut Fields {
            d: self,
            e,
            o: old,
            n: new,
        };
        c.changed("id", |r| s(&r.meta.id));
        c.renamed("title", |r| &r.meta.title);
        c.changed("schema", |r| display(r.schema));
        c.changed("owner", |r| r.meta.owner.clone());
        c.changed("vision", |r| r.meta.vision.clone());
        c.changed("updated", |r| display(r.meta.updated));
        c.extra(|r| &r.meta.extra);
    }

    /// The layers with work in a release, on either side.
    fn release_scope(&self, id: &str) -> Scope {
        Scope::Release {
            layers: self.release_layers.get(id).cloned().unwrap_or_default(),
        }
    }

    /// The layers with work in a feature, on either side.
    fn feature_layers(&self, id: &str) -> BTreeSet<String> {
        [&self.oi, &self.ni]
            .iter()
            .filter_map(|ix| ix.features.get(id))
            .flat_map(|f| f.work.iter().map(|w| w.layer.clone()))
            .collect()
    }

    /// Sales-only feature changes: the coarse date a public, not exploring
    /// feature is sold with moved (its release slipped, or it changed release).
    fn derived_sales(&mut self) {
        let (old, new) = (self.old, self.new);
        let sellable = |f: &Feature| f.is_public() && f.commitment() != Commitment::Exploring;
        let coarse = |ix: &Ids<'_>, f: &Feature| {
            ix.releases
                .get(f.release.as_str())
                .and_then(|rel| rel.target)
                .map(|t| t.coarse_quarter())
        };
        for (pos, pair) in pairs(&old.features, &new.features, |f| &f.id) {
            let Pair::Both(o, n) = pair else {
                continue;
            };
            if !sellable(o) || !sellable(n) {
                continue;
            }
            let (Some(a), Some(b)) = (coarse(&self.oi, o), coarse(&self.ni, n)) else {
                continue;
            };
            let Some((kind, detail)) = shift_detail(compare(&a, &b, new.today), &a, &b) else {
                continue;
            };
            let why = if o.release != n.release {
                format!("moved to release {}", n.release)
            } else {
                format!("release {} moved", n.release)
            };
            self.push(
                EntityKind::Feature,
                &n.id,
                &n.title,
                kind,
                Some("target"),
                Some(a.to_string()),
                Some(b.to_string()),
                format!("{detail} ({why})"),
                vec!["sales".to_string()],
                pos,
            );
        }
    }
}

/// The entity a field change belongs to.
struct Ent<'e> {
    kind: EntityKind,
    id: &'e str,
    title: &'e str,
    scope: Scope,
    pos: usize,
}

/// The field comparisons of one entity present on both sides: each method
/// reads one field on the old and the new side with `get` and records a
/// change where they differ.
struct Fields<'d, 'a, T> {
    d: &'d mut Differ<'a>,
    e: Ent<'d>,
    o: T,
    n: T,
}

impl<T: Copy> Fields<'_, '_, T> {
    fn field(&mut self, name: &str, kind: ChangeKind, get: impl Fn(T) -> Option<String>) {
        self.d.field(&self.e, name, kind, get(self.o), get(self.n));
    }

    /// Any other field: a `changed`.
    fn changed(&mut self, name: &str, get: impl Fn(T) -> Option<String>) {
        self.field(name, ChangeKind::Changed, get);
    }

    /// The title (or name): a `renamed`.
    fn renamed<'x>(&mut self, name: &str, get: impl Fn(T) -> &'x str) {
        self.field(name, ChangeKind::Renamed, |x| s(get(x)));
    }

    /// A field with a default: `get` gives the value as written and the
    /// effective one.
    fn defaulted<V: Display>(
        &mut self,
        name: &str,
        kind: ChangeKind,
        get: impl Fn(T) -> (Option<V>, V),
    ) {
        let ((o, o_eff), (n, n_eff)) = (get(self.o), get(self.n));
        let (o_eff, n_eff) = (o_eff.to_string(), n_eff.to_string());
        self.d.defaulted(
            &self.e,
            name,
            kind,
            (display(o), &o_eff),
            (display(n), &n_eff),
        );
    }

    /// A reference to the entity that holds this one (`release`, `layer`,
    /// `feature`): a `moved`.
    fn moved<'x>(&mut self, name: &str, get: impl Fn(T) -> &'x str) {
        let (o, n) = (get(self.o), get(self.n));
        if o != n {
            let detail = format!("moved from {name} {o} to {n}");
            self.d
                .emit(&self.e, ChangeKind::Moved, name, s(o), s(n), detail);
        }
    }

    /// A date compared as a target: slips, pull-ins and refinements.
    fn target(&mut self, name: &str, get: impl Fn(T) -> Option<DateSpec>) {
        self.d.target(&self.e, name, get(self.o), get(self.n));
    }

    fn deps<'x>(&mut self, get: impl Fn(T) -> &'x [String]) {
        self.d.deps(&self.e, get(self.o), get(self.n));
    }

    fn extra<'x>(&mut self, get: impl Fn(T) -> &'x Extra) {
        self.d.extra(&self.e, get(self.o), get(self.n));
    }
}

/// One kind of entity as the diff compares it.
trait Entity<'e>: Copy {
    const KIND: EntityKind;
    /// What matches it across the two sides.
    fn key(self) -> &'e str;
    /// Its title or name.
    fn title(self) -> &'e str;
    /// Who sees its changes (knowing both sides).
    fn scope(d: &Differ<'_>, pair: &Pair<Self>) -> Scope;
    /// What an addition says in parentheses (`target 2027-Q3`); also said
    /// of every entity of a roadmap added or removed whole.
    fn note(self) -> Option<String> {
        None
    }
    /// What a removal says in parentheses.
    fn removed_note(self) -> Option<String> {
        None
    }
    /// Its fields, compared in this order.
    fn fields(c: &mut Fields<'_, '_, Self>);
}

/// The layer of each side present.
fn side_layers<'x, T: Copy>(pair: &Pair<T>, layer: impl Fn(T) -> &'x str) -> BTreeSet<String> {
    [pair.old_side(), pair.new_side()]
        .into_iter()
        .flatten()
        .map(|x| layer(x).to_string())
        .collect()
}

impl<'e> Entity<'e> for &'e Layer {
    const KIND: EntityKind = EntityKind::Layer;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.name
    }
    fn scope(_: &Differ<'_>, pair: &Pair<Self>) -> Scope {
        Scope::Layer(pair.latest().id.clone())
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.renamed("name", |x| &x.name);
        c.changed("team", |x| x.team.clone());
        c.changed("cadence", |x| x.cadence.clone());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Theme {
    const KIND: EntityKind = EntityKind::Theme;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.title
    }
    fn scope(_: &Differ<'_>, _: &Pair<Self>) -> Scope {
        Scope::Theme
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.renamed("title", |x| &x.title);
        c.changed("outcome", |x| x.outcome.clone());
        c.changed("metric", |x| x.metric.clone());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Metric {
    const KIND: EntityKind = EntityKind::Metric;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.name
    }
    fn scope(_: &Differ<'_>, _: &Pair<Self>) -> Scope {
        Scope::Metric
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.renamed("name", |x| &x.name);
        c.changed("unit", |x| x.unit.clone());
        c.changed("current", |x| num(x.current));
        c.changed("target", |x| num(x.target));
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Release {
    const KIND: EntityKind = EntityKind::Release;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.name
    }
    fn scope(d: &Differ<'_>, pair: &Pair<Self>) -> Scope {
        d.release_scope(&pair.latest().id)
    }
    fn note(self) -> Option<String> {
        self.target.map(|t| format!("target {t}"))
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.renamed("name", |x| &x.name);
        c.target("target", |x| x.target);
        c.changed("start", |x| display(x.start));
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.field("health", ChangeKind::Health, |x| display(x.health));
        c.field("confidence", ChangeKind::Confidence, |x| {
            display(x.confidence)
        });
        c.changed("summary", |x| x.summary.clone());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Feature {
    const KIND: EntityKind = EntityKind::Feature;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.title
    }
    fn scope(d: &Differ<'_>, pair: &Pair<Self>) -> Scope {
        Scope::Feature {
            public_old: pair.old_side().map(Feature::is_public),
            public_new: pair.new_side().map(Feature::is_public),
            layers: d.feature_layers(&pair.latest().id),
        }
    }
    fn note(self) -> Option<String> {
        Some(format!("release {}", self.release))
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        let (o, n) = (c.o, c.n);
        if o.visibility() != n.visibility() {
            let detail = match n.visibility() {
                Visibility::Public => "is now visible to sales",
                Visibility::Internal => "is now internal (hidden from sales)",
            };
            let (a, b) = (display(o.visibility), display(n.visibility));
            c.d.emit(
                &c.e,
                ChangeKind::Visibility,
                "visibility",
                a,
                b,
                detail.into(),
            );
        }
        c.moved("release", |x| &x.release);
        c.renamed("title", |x| &x.title);
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.field("health", ChangeKind::Health, |x| display(x.health));
        c.defaulted("commitment", ChangeKind::Commitment, |x| {
            (x.commitment, x.commitment())
        });
        c.changed("customer_value", |x| x.customer_value.clone());
        c.changed("business_value", |x| x.business_value.clone());
        c.changed("themes", |x| arr(&x.themes));
        c.deps(|x| &x.depends_on);
        c.changed("tags", |x| arr(&x.tags));
        c.extra(|x| &x.extra);
    }
}

/// A work item with its key (see [`work_index`]) and the feature holding it.
#[derive(Clone, Copy)]
struct Work<'e> {
    key: &'e str,
    feature: &'e Feature,
    item: &'e WorkItem,
}

impl<'e> From<&'e (String, &'e Feature, &'e WorkItem)> for Work<'e> {
    fn from((key, feature, item): &'e (String, &'e Feature, &'e WorkItem)) -> Self {
        Work { key, feature, item }
    }
}

impl<'e> Entity<'e> for Work<'e> {
    const KIND: EntityKind = EntityKind::Work;
    fn key(self) -> &'e str {
        self.key
    }
    fn title(self) -> &'e str {
        &self.item.title
    }
    fn scope(_: &Differ<'_>, pair: &Pair<Self>) -> Scope {
        Scope::Work {
            layers: side_layers(pair, |w| &w.item.layer),
        }
    }
    fn note(self) -> Option<String> {
        Some(format!(
            "layer {}, feature {}",
            self.item.layer, self.feature.id
        ))
    }
    fn removed_note(self) -> Option<String> {
        self.note()
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.moved("layer", |w| &w.item.layer);
        c.moved("feature", |w| &w.feature.id);
        c.renamed("title", |w| &w.item.title);
        c.target("end", |w| w.item.end);
        c.defaulted("status", ChangeKind::Status, |w| {
            (w.item.status, w.item.status())
        });
        c.field("health", ChangeKind::Health, |w| display(w.item.health));
        c.changed("team", |w| w.item.team.clone());
        c.changed("estimate", |w| w.item.estimate_text.clone());
        c.changed("start", |w| display(w.item.start));
        c.deps(|w| &w.item.depends_on);
        c.changed("interface", |w| w.item.interface.clone());
        c.extra(|w| &w.item.extra);
    }
}

impl<'e> Entity<'e> for &'e Decision {
    const KIND: EntityKind = EntityKind::Decision;
    fn key(self) -> &'e str {
        &self.id
    }
    fn title(self) -> &'e str {
        &self.title
    }
    fn scope(_: &Differ<'_>, pair: &Pair<Self>) -> Scope {
        Scope::Decision {
            layers: side_layers(pair, |d| &d.layer),
        }
    }
    fn note(self) -> Option<String> {
        Some(format!("layer {}, {}", self.layer, self.area.as_str()))
    }
    fn fields(c: &mut Fields<'_, '_, Self>) {
        c.renamed("title", |x| &x.title);
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.changed("layer", |x| s(&x.layer));
        c.changed("area", |x| s(x.area.as_str()));
        c.changed("choice", |x| x.choice.clone());
        c.extra(|x| &x.extra);
    }
}

/// Work items by key, in file order. Duplicate keys (two id-less items with
/// the same feature, layer and title) get `#2`, `#3`... so none is lost; a
/// key that is still taken (an id written like such a key) keeps its first
/// item only.
fn work_index(r: &Roadmap) -> Vec<(String, &Feature, &WorkItem)> {
    let mut out = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (f, w) in r.work_items() {
        let base = w.key(&f.id);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { base } else { format!("{base}#{n}") };
        if taken.insert(key.clone()) {
            out.push((key, f, w));
        }
    }
    out
}

/// Entity kinds by how much a reader cares, for ties between groups.
fn kind_order(k: EntityKind) -> u8 {
    match k {
        EntityKind::Roadmap => 0,
        EntityKind::Release => 1,
        EntityKind::Feature => 2,
        EntityKind::Theme => 3,
        EntityKind::Metric => 4,
        EntityKind::Layer => 5,
        EntityKind::Work => 6,
        EntityKind::Decision => 7,
    }
}
