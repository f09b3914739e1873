//! Entity-by-entity comparison of two roadmaps.
//!
//! Every entity kind is matched across the two sides the same way
//! ([`pairs`]: added, on both sides, removed) and driven by one loop
//! ([`Differ::entities`]); what differs per kind is in its [`Entity`]
//! implementation: its key, title, lens scope, and the list of its fields.

use super::words::{self, Changes};
use super::{Change, ChangeKind};
use crate::model::date::{DateSpec, compare};
use crate::model::{
    Decision, EntityKind, Extra, Feature, Layer, Metric, Release, Roadmap, Theme, Visibility,
    WorkItem,
};
use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Display;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

pub(super) fn diff(old: &Roadmap, new: &Roadmap) -> Vec<Change> {
    let mut d = Differ::new(old, new);
    d.roadmap();
    d.entities(&old.layers, &new.layers);
    d.entities(&old.themes, &new.themes);
    d.entities(&old.metrics, &new.metrics);
    d.entities(&old.releases, &new.releases);
    d.entities(&old.features, &new.features);
    d.entities(work_index(old), work_index(new));
    d.entities(&old.decisions, &new.decisions);
    d.out.finish()
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
        0,
        None,
    );
    d.whole_entities(&r.releases, kind);
    d.whole_entities(&r.features, kind);
    d.out.finish()
}

struct Differ<'a> {
    old: &'a Roadmap,
    new: &'a Roadmap,
    out: Changes,
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

/// Match two sides by key (linear): every new-side entity in file order,
/// paired with the first old-side entity of its key or else added; then every
/// old-side entity whose key the new side lacks, removed. Each comes with its
/// position on its own side.
///
/// Each key is hashed once per side: an old-side entity is removed unless a
/// new-side entity found the first old entity of its key.
fn pairs<T: Copy, K: Copy + Eq + Hash, S: BuildHasher + Default>(
    old: impl IntoIterator<Item = T>,
    new: impl IntoIterator<Item = T>,
    key: impl Fn(T) -> K,
) -> Vec<(usize, Pair<T>)> {
    let old: Vec<T> = old.into_iter().collect();
    let new: Vec<T> = new.into_iter().collect();
    let mut first: HashMap<K, usize, S> =
        HashMap::with_capacity_and_hasher(old.len(), S::default());
    // The position of the first old entity with the same key, per old entity.
    let first_of: Vec<usize> = old
        .iter()
        .enumerate()
        .map(|(i, &o)| *first.entry(key(o)).or_insert(i))
        .collect();
    // Per first old entity of a key: does the new side have the key?
    let mut kept = vec![false; old.len()];
    let mut out = Vec::with_capacity(new.len() + old.len());
    for (pos, &n) in new.iter().enumerate() {
        let pair = match first.get(&key(n)) {
            Some(&i) => {
                kept[i] = true;
                Pair::Both(old[i], n)
            }
            None => Pair::Added(n),
        };
        out.push((pos, pair));
    }
    for (pos, &o) in old.iter().enumerate() {
        if !kept[first_of[pos]] {
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

impl<'a> Differ<'a> {
    fn new(old: &'a Roadmap, new: &'a Roadmap) -> Self {
        Differ {
            old,
            new,
            out: Changes::default(),
        }
    }

    /// A whole entity added or removed.
    fn presence(
        &mut self,
        entity: EntityKind,
        id: &str,
        title: &str,
        kind: ChangeKind,
        pos: usize,
        note: Option<String>,
    ) {
        let detail = words::presence(kind, title, note.as_deref());
        self.out
            .push(entity, id, title, kind, None, None, None, detail, pos);
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
        let detail = words::field(field, kind, &old, &new);
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
        self.out.push(
            e.kind,
            &e.id,
            e.title,
            kind,
            Some(field),
            old,
            new,
            detail,
            e.pos,
        );
    }

    fn extra(&mut self, e: &Ent<'_>, old: &Extra, new: &Extra) {
        // Typed values: `0x10` → `16` is no change, `"1"` → `1` is one.
        for (k, a, b) in Extra::changes(old, new) {
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
        let detail = words::dependencies(&added, &removed);
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
        if let Some((kind, detail)) = words::target(field, &shift, &a, &b) {
            self.emit(e, kind, field, o, n, detail);
            if let Some(p) = self.out.out.last_mut() {
                p.change.amount = shift.amount();
            }
        }
    }

    // ------------------------------------------------------------ entities

    /// Compare one kind of entity: additions and field changes in new-side
    /// order, then removals in old-side order.
    fn entities<'e, T: Entity<'e>>(
        &mut self,
        old: impl IntoIterator<Item = T>,
        new: impl IntoIterator<Item = T>,
    ) {
        for (pos, pair) in pairs::<_, _, T::Hasher>(old, new, T::key) {
            let (kind, x, note) = match pair {
                Pair::Added(n) => (ChangeKind::Added, n, n.note()),
                Pair::Removed(o) => (ChangeKind::Removed, o, o.removed_note()),
                Pair::Both(o, n) => {
                    T::fields(&mut Fields {
                        d: self,
                        o,
                        n,
                        pos,
                        make: entity_ent::<T>,
                        ent: None,
                    });
                    continue;
                }
            };
            self.presence(T::KIND, &x.id(), x.title(), kind, pos, note);
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
            self.presence(T::KIND, &x.id(), x.title(), kind, pos, x.note());
        }
    }

    fn roadmap(&mut self) {
        let (old, new) = (self.old, self.new);
        let c = &mut Fields {
            d: self,
            o: old,
            n: new,
            pos: 0,
            make: |_, _, n: &Roadmap, pos| Ent {
                kind: EntityKind::Roadmap,
                id: Cow::Borrowed(&n.meta.id),
                title: &n.meta.title,
                pos,
            },
            ent: None,
        };
        c.changed_str("id", |r| Some(&r.meta.id));
        c.renamed("title", |r| &r.meta.title);
        c.changed_disp("schema", |r| r.schema);
        c.changed_str("owner", |r| r.meta.owner.as_deref());
        c.changed_str("vision", |r| r.meta.vision.as_deref());
        c.changed_disp("updated", |r| r.meta.updated);
        c.extra(|r| &r.meta.extra);
    }
}

/// The entity a field change belongs to.
struct Ent<'e> {
    kind: EntityKind,
    id: Cow<'e, str>,
    title: &'e str,
    pos: usize,
}

/// The [`Ent`] of an entity present on both sides.
fn entity_ent<'a, 'e, T: Entity<'e>>(_: &Differ<'a>, _: T, n: T, pos: usize) -> Ent<'e> {
    Ent {
        kind: T::KIND,
        id: n.id(),
        title: n.title(),
        pos,
    }
}

/// The field comparisons of one entity present on both sides: each method
/// reads one field on the old and the new side with `get` and records a
/// change where they differ. Values are compared as they are typed; their
/// text, and the entity's [`Ent`], are made only for a field that differs.
struct Fields<'d, 'a, 'e, T> {
    d: &'d mut Differ<'a>,
    o: T,
    n: T,
    pos: usize,
    make: fn(&Differ<'a>, T, T, usize) -> Ent<'e>,
    ent: Option<Ent<'e>>,
}

impl<'a, 'e, T: Copy> Fields<'_, 'a, 'e, T> {
    /// Record through `f`, with the entity (made on first use).
    fn with(&mut self, f: impl FnOnce(&mut Differ<'a>, &Ent<'e>)) {
        let Fields {
            d,
            o,
            n,
            pos,
            make,
            ent,
        } = self;
        let e = ent.get_or_insert_with(|| make(d, *o, *n, *pos));
        f(d, e);
    }

    /// Compare the typed values `get` reads; `text` writes them as a change
    /// does when they differ (values that are equal must write the same).
    fn cmp<V: PartialEq>(
        &mut self,
        name: &str,
        kind: ChangeKind,
        get: impl Fn(T) -> V,
        text: impl Fn(V) -> Option<String>,
    ) {
        let (o, n) = (get(self.o), get(self.n));
        if o == n {
            return;
        }
        let (o, n) = (text(o), text(n));
        self.with(|d, e| d.field(e, name, kind, o, n));
    }

    /// An optional text field: a `changed`.
    fn changed_str<'x>(&mut self, name: &str, get: impl Fn(T) -> Option<&'x str>) {
        self.cmp(name, ChangeKind::Changed, get, |v| v.map(str::to_string));
    }

    /// An optional date, number of the schema or enum value: a `changed`.
    fn changed_disp<V: PartialEq + Display>(&mut self, name: &str, get: impl Fn(T) -> Option<V>) {
        self.cmp(name, ChangeKind::Changed, get, display);
    }

    /// An optional enum value with its own change kind (`health`...).
    fn field_disp<V: PartialEq + Display>(
        &mut self,
        name: &str,
        kind: ChangeKind,
        get: impl Fn(T) -> Option<V>,
    ) {
        self.cmp(name, kind, get, display);
    }

    /// An optional number (compared bit for bit, as its text would be).
    fn changed_num(&mut self, name: &str, get: impl Fn(T) -> Option<f64>) {
        self.cmp(
            name,
            ChangeKind::Changed,
            |x| get(x).map(f64::to_bits),
            |b| num(b.map(f64::from_bits)),
        );
    }

    /// A list of strings, order significant: a `changed`.
    fn changed_arr<'x>(&mut self, name: &str, get: impl Fn(T) -> &'x [String]) {
        self.cmp(name, ChangeKind::Changed, get, arr);
    }

    /// The title (or name): a `renamed`.
    fn renamed<'x>(&mut self, name: &str, get: impl Fn(T) -> &'x str) {
        self.cmp(name, ChangeKind::Renamed, get, s);
    }

    /// A field with a default: `get` gives the value as written and the
    /// effective one.
    fn defaulted<V: Display + PartialEq>(
        &mut self,
        name: &str,
        kind: ChangeKind,
        get: impl Fn(T) -> (Option<V>, V),
    ) {
        let ((o, o_eff), (n, n_eff)) = (get(self.o), get(self.n));
        if o_eff == n_eff {
            return;
        }
        let (o_eff, n_eff) = (o_eff.to_string(), n_eff.to_string());
        self.with(|d, e| {
            d.defaulted(e, name, kind, (display(o), &o_eff), (display(n), &n_eff));
        });
    }

    /// A reference to the entity that holds this one (`release`, `layer`,
    /// `feature`): a `moved`.
    fn moved<'x>(&mut self, name: &str, get: impl Fn(T) -> &'x str) {
        let (o, n) = (get(self.o), get(self.n));
        if o != n {
            let detail = words::moved(name, o, n);
            self.with(|d, e| d.emit(e, ChangeKind::Moved, name, s(o), s(n), detail));
        }
    }

    /// A date compared as a target: slips, pull-ins and refinements.
    fn target(&mut self, name: &str, get: impl Fn(T) -> Option<DateSpec>) {
        let (o, n) = (get(self.o), get(self.n));
        if o != n {
            self.with(|d, e| d.target(e, name, o, n));
        }
    }

    fn deps<'x>(&mut self, get: impl Fn(T) -> &'x [String]) {
        let (o, n) = (get(self.o), get(self.n));
        if o != n {
            self.with(|d, e| d.deps(e, o, n));
        }
    }

    fn extra<'x>(&mut self, get: impl Fn(T) -> &'x Extra) {
        let (o, n) = (get(self.o), get(self.n));
        if o != n {
            self.with(|d, e| d.extra(e, o, n));
        }
    }
}

/// One kind of entity as the diff compares it.
trait Entity<'e>: Copy {
    const KIND: EntityKind;
    /// What matches it across the two sides, and how that is hashed.
    type Key: Copy + Eq + Hash;
    type Hasher: BuildHasher + Default;
    fn key(self) -> Self::Key;
    /// Its id as changes name it (its key written out).
    fn id(self) -> Cow<'e, str>;
    /// Its title or name.
    fn title(self) -> &'e str;
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
    fn fields(c: &mut Fields<'_, '_, 'e, Self>);
}

/// The parts of an [`Entity`] keyed by its `id` field.
macro_rules! keyed_by_id {
    () => {
        type Key = &'e str;
        type Hasher = RandomState;
        fn key(self) -> &'e str {
            &self.id
        }
        fn id(self) -> Cow<'e, str> {
            Cow::Borrowed(&self.id)
        }
    };
}
impl<'e> Entity<'e> for &'e Layer {
    const KIND: EntityKind = EntityKind::Layer;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.name
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.renamed("name", |x| &x.name);
        c.changed_str("team", |x| x.team.as_deref());
        c.changed_str("cadence", |x| x.cadence.as_deref());
        c.changed_disp("sprint", |x| x.sprint.as_ref());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Theme {
    const KIND: EntityKind = EntityKind::Theme;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.title
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.renamed("title", |x| &x.title);
        c.changed_str("outcome", |x| x.outcome.as_deref());
        c.changed_str("metric", |x| x.metric.as_deref());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Metric {
    const KIND: EntityKind = EntityKind::Metric;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.name
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.renamed("name", |x| &x.name);
        c.changed_str("unit", |x| x.unit.as_deref());
        c.changed_num("current", |x| x.current);
        c.changed_num("target", |x| x.target);
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Release {
    const KIND: EntityKind = EntityKind::Release;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.name
    }
    fn note(self) -> Option<String> {
        self.target.map(|t| format!("target {t}"))
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.renamed("name", |x| &x.name);
        c.target("target", |x| x.target);
        c.changed_disp("start", |x| x.start);
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.field_disp("health", ChangeKind::Health, |x| x.health);
        c.field_disp("confidence", ChangeKind::Confidence, |x| x.confidence);
        c.changed_str("summary", |x| x.summary.as_deref());
        c.extra(|x| &x.extra);
    }
}

impl<'e> Entity<'e> for &'e Feature {
    const KIND: EntityKind = EntityKind::Feature;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.title
    }
    fn note(self) -> Option<String> {
        Some(format!("release {}", self.release))
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        let (o, n) = (c.o, c.n);
        if o.visibility() != n.visibility() {
            let detail = words::visibility(n.visibility() == Visibility::Public);
            let (a, b) = (display(o.visibility), display(n.visibility));
            c.with(|d, e| {
                d.emit(e, ChangeKind::Visibility, "visibility", a, b, detail.into());
            });
        }
        c.moved("release", |x| &x.release);
        c.renamed("title", |x| &x.title);
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.field_disp("health", ChangeKind::Health, |x| x.health);
        c.defaulted("commitment", ChangeKind::Commitment, |x| {
            (x.commitment, x.commitment())
        });
        c.changed_str("customer_value", |x| x.customer_value.as_deref());
        c.changed_str("business_value", |x| x.business_value.as_deref());
        c.changed_arr("themes", |x| &x.themes);
        c.deps(|x| &x.depends_on);
        c.changed_arr("tags", |x| &x.tags);
        c.extra(|x| &x.extra);
    }
}

/// A work item with its key (see [`work_index`]) and the feature holding it.
#[derive(Clone, Copy)]
struct Work<'e> {
    key: WorkKey<'e>,
    feature: &'e Feature,
    item: &'e WorkItem,
}

impl<'e> Entity<'e> for Work<'e> {
    const KIND: EntityKind = EntityKind::Work;
    type Key = WorkKey<'e>;
    type Hasher = BuildHasherDefault<KeyHasher>;
    fn key(self) -> WorkKey<'e> {
        self.key
    }
    fn id(self) -> Cow<'e, str> {
        self.key.text()
    }
    fn title(self) -> &'e str {
        &self.item.title
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
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.moved("layer", |w| &w.item.layer);
        c.moved("feature", |w| &w.feature.id);
        c.renamed("title", |w| &w.item.title);
        c.target("end", |w| w.item.end);
        c.defaulted("status", ChangeKind::Status, |w| {
            (w.item.status, w.item.status())
        });
        c.field_disp("health", ChangeKind::Health, |w| w.item.health);
        c.changed_str("team", |w| w.item.team.as_deref());
        c.changed_str("estimate", |w| w.item.estimate_text.as_deref());
        c.changed_disp("start", |w| w.item.start);
        c.deps(|w| &w.item.depends_on);
        c.changed_str("interface", |w| w.item.interface.as_deref());
        c.extra(|w| &w.item.extra);
    }
}

impl<'e> Entity<'e> for &'e Decision {
    const KIND: EntityKind = EntityKind::Decision;
    keyed_by_id!();
    fn title(self) -> &'e str {
        &self.title
    }
    fn note(self) -> Option<String> {
        Some(format!("layer {}, {}", self.layer, self.area.as_str()))
    }
    fn fields(c: &mut Fields<'_, '_, 'e, Self>) {
        c.renamed("title", |x| &x.title);
        c.defaulted("status", ChangeKind::Status, |x| (x.status, x.status()));
        c.cmp("layer", ChangeKind::Changed, |x| &*x.layer, s);
        c.cmp("area", ChangeKind::Changed, |x| x.area.as_str(), s);
        c.changed_str("choice", |x| x.choice.as_deref());
        c.extra(|x| &x.extra);
    }
}

/// A work item's key as written (see [`crate::model::WorkItem::key`]),
/// without allocating: its id, or `feature/layer/title`.
#[derive(Clone, Copy)]
enum WorkBase<'e> {
    Id(&'e str),
    Path(&'e str, &'e str, &'e str),
}

/// A work item's key: its [`WorkBase`], with `#n` appended for the n-th
/// item of the same base (`n` > 1). Keys are equal when their texts are;
/// the text's hash is computed once.
#[derive(Clone, Copy)]
struct WorkKey<'e> {
    base: WorkBase<'e>,
    n: usize,
    hash: u64,
}

impl<'e> WorkKey<'e> {
    fn new(base: WorkBase<'e>, n: usize) -> Self {
        let mut h = KeyHasher::default();
        match base {
            WorkBase::Id(id) => h.write(id.as_bytes()),
            WorkBase::Path(f, l, t) => {
                for part in [f, "/", l, "/", t] {
                    h.write(part.as_bytes());
                }
            }
        }
        if n > 1 {
            h.write(format!("#{n}").as_bytes());
        }
        WorkKey {
            base,
            n,
            hash: h.finish(),
        }
    }

    fn text(&self) -> Cow<'e, str> {
        let base = match self.base {
            WorkBase::Id(id) => Cow::Borrowed(id),
            WorkBase::Path(f, l, t) => Cow::Owned(format!("{f}/{l}/{t}")),
        };
        if self.n > 1 {
            Cow::Owned(format!("{base}#{}", self.n))
        } else {
            base
        }
    }
}

impl PartialEq for WorkKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.hash != other.hash {
            return false;
        }
        let same_parts = self.n == other.n
            && match (self.base, other.base) {
                (WorkBase::Id(a), WorkBase::Id(b)) => a == b,
                (WorkBase::Path(a, b, c), WorkBase::Path(x, y, z)) => a == x && b == y && c == z,
                _ => false,
            };
        // Different parts may still write the same text (rare: compare it).
        same_parts || self.text() == other.text()
    }
}

impl Eq for WorkKey<'_> {}

impl Hash for WorkKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A byte-at-a-time hash (FNV-1a) whose result does not depend on how the
/// bytes are split into writes, so a key is hashed by its text; a `u64`
/// written whole (a [`WorkKey`]'s precomputed hash) is taken as the hash.
struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Work items by key, in file order. Duplicate keys (two id-less items with
/// the same feature, layer and title) get `#2`, `#3`... so none is lost; a
/// key that is still taken (an id written like such a key) keeps its first
/// item only.
fn work_index(r: &Roadmap) -> Vec<Work<'_>> {
    let mut out = Vec::with_capacity(r.features.iter().map(|f| f.work.len()).sum());
    // Per key text: how many items had it as their base, and whether an
    // item holds it as its key.
    let mut keys: HashMap<WorkKey<'_>, (usize, bool), BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(out.capacity(), Default::default());
    for (feature, item) in r.work_items() {
        let base = match &item.id {
            Some(id) => WorkBase::Id(id),
            None => WorkBase::Path(&feature.id, &item.layer, &item.title),
        };
        let key = WorkKey::new(base, 1);
        let seen = keys.entry(key).or_insert((0, false));
        seen.0 += 1;
        let (key, taken) = match seen.0 {
            1 => (key, &mut seen.1),
            n => {
                let key = WorkKey::new(base, n);
                (key, &mut keys.entry(key).or_insert((0, false)).1)
            }
        };
        if !std::mem::replace(taken, true) {
            out.push(Work { key, feature, item });
        }
    }
    out
}
