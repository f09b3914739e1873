//! Entity-by-entity comparison of two roadmaps.

use super::lenses::{self, Scope};
use super::{Change, ChangeKind, entity_noun};
use crate::model::date::{DateSpec, Shift, compare};
use crate::model::{EntityKind, Extra, Feature, Roadmap, Visibility, WorkItem};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Values longer than this are not repeated in a summary sentence.
const SHORT: usize = 48;

pub(super) fn diff(old: &Roadmap, new: &Roadmap) -> Vec<Change> {
    let mut d = Differ::new(old, new);
    d.roadmap();
    d.layers();
    d.themes();
    d.metrics();
    d.releases();
    d.features();
    d.work_items();
    d.decisions();
    d.derived_sales();
    d.finish()
}

pub(super) fn whole(r: &Roadmap, added: bool) -> Vec<Change> {
    let (old, new) = (r, r);
    let mut d = Differ::new(old, new);
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
    for (i, rel) in r.releases.iter().enumerate() {
        let extra = rel.target.map(|t| format!("target {t}"));
        let scope = d.release_scope(&rel.id);
        d.presence(
            EntityKind::Release,
            &rel.id,
            &rel.name,
            kind,
            scope,
            i,
            extra,
        );
    }
    for (i, f) in r.features.iter().enumerate() {
        let scope = Scope::Feature {
            public_old: (!added).then(|| f.is_public()),
            public_new: added.then(|| f.is_public()),
            layers: f.work.iter().map(|w| w.layer.clone()).collect(),
        };
        let extra = Some(format!("release {}", f.release));
        d.presence(EntityKind::Feature, &f.id, &f.title, kind, scope, i, extra);
    }
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

/// One side's entities by id (the first of duplicates, as `Roadmap::feature` finds).
struct Ids<'a> {
    layers: HashMap<&'a str, &'a crate::model::Layer>,
    themes: HashMap<&'a str, &'a crate::model::Theme>,
    metrics: HashMap<&'a str, &'a crate::model::Metric>,
    releases: HashMap<&'a str, &'a crate::model::Release>,
    features: HashMap<&'a str, &'a Feature>,
    decisions: HashMap<&'a str, &'a crate::model::Decision>,
}

fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
    let mut m = HashMap::with_capacity(items.len());
    for x in items {
        m.entry(id(x)).or_insert(x);
    }
    m
}

impl<'a> Ids<'a> {
    fn new(r: &'a Roadmap) -> Self {
        Ids {
            layers: by_id(&r.layers, |x| &x.id),
            themes: by_id(&r.themes, |x| &x.id),
            metrics: by_id(&r.metrics, |x| &x.id),
            releases: by_id(&r.releases, |x| &x.id),
            features: by_id(&r.features, |x| &x.id),
            decisions: by_id(&r.decisions, |x| &x.id),
        }
    }
}

/// How a value is written in a change: as TOML would write it.
fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}
fn os(v: &Option<String>) -> Option<String> {
    v.clone()
}
fn date(v: &Option<DateSpec>) -> Option<String> {
    v.map(|d| d.to_string())
}
fn num(v: Option<f64>) -> Option<String> {
    v.map(|x| toml::Value::Float(x).to_string())
}
fn arr(v: &[String]) -> Option<String> {
    Some(toml::Value::Array(v.iter().map(|x| toml::Value::String(x.clone())).collect()).to_string())
}
fn en<T: Copy>(v: Option<T>, f: impl Fn(T) -> &'static str) -> Option<String> {
    v.map(|x| f(x).to_string())
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
    #[allow(clippy::too_many_arguments)]
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
        let (o, n) = (date(&old), date(&new));
        let (Some(a), Some(b)) = (old, new) else {
            self.field(e, field, ChangeKind::Changed, o, n);
            return;
        };
        match compare(&a, &b, self.new.today) {
            Shift::Same => {}
            Shift::Refined => {
                let detail = format!("{field} refined: {a} → {b}");
                self.emit(e, ChangeKind::Changed, field, o, n, detail);
            }
            Shift::Slipped { amount } => {
                let detail = match amount {
                    Some(x) => format!("slipped by {x}: {a} → {b}"),
                    None => format!("slipped: {a} → {b}"),
                };
                self.emit(e, ChangeKind::Slipped, field, o, n, detail);
            }
            Shift::PulledIn { amount } => {
                let detail = match amount {
                    Some(x) => format!("pulled in by {x}: {a} → {b}"),
                    None => format!("pulled in: {a} → {b}"),
                };
                self.emit(e, ChangeKind::PulledIn, field, o, n, detail);
            }
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

    fn roadmap(&mut self) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        let e = Ent {
            kind: EntityKind::Roadmap,
            id: &n.id,
            title: &n.title,
            scope: Scope::Roadmap,
            pos: 0,
        };
        self.field(&e, "id", ChangeKind::Changed, s(&o.id), s(&n.id));
        self.field(&e, "title", ChangeKind::Renamed, s(&o.title), s(&n.title));
        self.field(
            &e,
            "schema",
            ChangeKind::Changed,
            self.old.schema.map(|v| v.to_string()),
            self.new.schema.map(|v| v.to_string()),
        );
        self.field(&e, "owner", ChangeKind::Changed, os(&o.owner), os(&n.owner));
        self.field(
            &e,
            "vision",
            ChangeKind::Changed,
            os(&o.vision),
            os(&n.vision),
        );
        self.field(
            &e,
            "updated",
            ChangeKind::Changed,
            date(&o.updated),
            date(&n.updated),
        );
        self.extra(&e, &o.extra, &n.extra);
    }

    fn layers(&mut self) {
        let (old, new) = (self.old, self.new);
        let olds: HashMap<&str, _> = old.layers.iter().map(|l| (l.id.as_str(), l)).collect();
        for (pos, n) in new.layers.iter().enumerate() {
            let scope = Scope::Layer(n.id.clone());
            match olds.get(n.id.as_str()) {
                None => self.presence(
                    EntityKind::Layer,
                    &n.id,
                    &n.name,
                    ChangeKind::Added,
                    scope,
                    pos,
                    None,
                ),
                Some(o) => {
                    let e = Ent {
                        kind: EntityKind::Layer,
                        id: &n.id,
                        title: &n.name,
                        scope,
                        pos,
                    };
                    self.field(&e, "name", ChangeKind::Renamed, s(&o.name), s(&n.name));
                    self.field(&e, "team", ChangeKind::Changed, os(&o.team), os(&n.team));
                    self.field(
                        &e,
                        "cadence",
                        ChangeKind::Changed,
                        os(&o.cadence),
                        os(&n.cadence),
                    );
                    self.extra(&e, &o.extra, &n.extra);
                }
            }
        }
        for (pos, o) in old.layers.iter().enumerate() {
            if !self.ni.layers.contains_key(o.id.as_str()) {
                let scope = Scope::Layer(o.id.clone());
                self.presence(
                    EntityKind::Layer,
                    &o.id,
                    &o.name,
                    ChangeKind::Removed,
                    scope,
                    pos,
                    None,
                );
            }
        }
    }

    fn themes(&mut self) {
        let (old, new) = (self.old, self.new);
        for (pos, n) in new.themes.iter().enumerate() {
            match self.oi.themes.get(n.id.as_str()).copied() {
                None => self.presence(
                    EntityKind::Theme,
                    &n.id,
                    &n.title,
                    ChangeKind::Added,
                    Scope::Theme,
                    pos,
                    None,
                ),
                Some(o) => {
                    let e = Ent {
                        kind: EntityKind::Theme,
                        id: &n.id,
                        title: &n.title,
                        scope: Scope::Theme,
                        pos,
                    };
                    self.field(&e, "title", ChangeKind::Renamed, s(&o.title), s(&n.title));
                    self.field(
                        &e,
                        "outcome",
                        ChangeKind::Changed,
                        os(&o.outcome),
                        os(&n.outcome),
                    );
                    self.field(
                        &e,
                        "metric",
                        ChangeKind::Changed,
                        os(&o.metric),
                        os(&n.metric),
                    );
                    self.extra(&e, &o.extra, &n.extra);
                }
            }
        }
        for (pos, o) in old.themes.iter().enumerate() {
            if !self.ni.themes.contains_key(o.id.as_str()) {
                self.presence(
                    EntityKind::Theme,
                    &o.id,
                    &o.title,
                    ChangeKind::Removed,
                    Scope::Theme,
                    pos,
                    None,
                );
            }
        }
    }

    fn metrics(&mut self) {
        let (old, new) = (self.old, self.new);
        for (pos, n) in new.metrics.iter().enumerate() {
            match self.oi.metrics.get(n.id.as_str()).copied() {
                None => self.presence(
                    EntityKind::Metric,
                    &n.id,
                    &n.name,
                    ChangeKind::Added,
                    Scope::Metric,
                    pos,
                    None,
                ),
                Some(o) => {
                    let e = Ent {
                        kind: EntityKind::Metric,
                        id: &n.id,
                        title: &n.name,
                        scope: Scope::Metric,
                        pos,
                    };
                    self.field(&e, "name", ChangeKind::Renamed, s(&o.name), s(&n.name));
                    self.field(&e, "unit", ChangeKind::Changed, os(&o.unit), os(&n.unit));
                    self.field(
                        &e,
                        "current",
                        ChangeKind::Changed,
                        num(o.current),
                        num(n.current),
                    );
                    self.field(
                        &e,
                        "target",
                        ChangeKind::Changed,
                        num(o.target),
                        num(n.target),
                    );
                    self.extra(&e, &o.extra, &n.extra);
                }
            }
        }
        for (pos, o) in old.metrics.iter().enumerate() {
            if !self.ni.metrics.contains_key(o.id.as_str()) {
                self.presence(
                    EntityKind::Metric,
                    &o.id,
                    &o.name,
                    ChangeKind::Removed,
                    Scope::Metric,
                    pos,
                    None,
                );
            }
        }
    }

    /// The layers with work in a release, on either side.
    fn release_scope(&self, id: &str) -> Scope {
        Scope::Release {
            layers: self.release_layers.get(id).cloned().unwrap_or_default(),
        }
    }

    fn releases(&mut self) {
        let (old, new) = (self.old, self.new);
        for (pos, n) in new.releases.iter().enumerate() {
            let scope = self.release_scope(&n.id);
            match self.oi.releases.get(n.id.as_str()).copied() {
                None => {
                    let extra = n.target.map(|t| format!("target {t}"));
                    self.presence(
                        EntityKind::Release,
                        &n.id,
                        &n.name,
                        ChangeKind::Added,
                        scope,
                        pos,
                        extra,
                    )
                }
                Some(o) => {
                    let e = Ent {
                        kind: EntityKind::Release,
                        id: &n.id,
                        title: &n.name,
                        scope,
                        pos,
                    };
                    self.field(&e, "name", ChangeKind::Renamed, s(&o.name), s(&n.name));
                    self.target(&e, "target", o.target, n.target);
                    self.field(
                        &e,
                        "start",
                        ChangeKind::Changed,
                        date(&o.start),
                        date(&n.start),
                    );
                    self.defaulted(
                        &e,
                        "status",
                        ChangeKind::Status,
                        (en(o.status, |v| v.as_str()), o.status().as_str()),
                        (en(n.status, |v| v.as_str()), n.status().as_str()),
                    );
                    self.field(
                        &e,
                        "health",
                        ChangeKind::Health,
                        en(o.health, |h| h.as_str()),
                        en(n.health, |h| h.as_str()),
                    );
                    self.field(
                        &e,
                        "confidence",
                        ChangeKind::Confidence,
                        en(o.confidence, |c| c.as_str()),
                        en(n.confidence, |c| c.as_str()),
                    );
                    self.field(
                        &e,
                        "summary",
                        ChangeKind::Changed,
                        os(&o.summary),
                        os(&n.summary),
                    );
                    self.extra(&e, &o.extra, &n.extra);
                }
            }
        }
        for (pos, o) in old.releases.iter().enumerate() {
            if !self.ni.releases.contains_key(o.id.as_str()) {
                let scope = self.release_scope(&o.id);
                self.presence(
                    EntityKind::Release,
                    &o.id,
                    &o.name,
                    ChangeKind::Removed,
                    scope,
                    pos,
                    None,
                );
            }
        }
    }

    fn feature_layers(&self, id: &str) -> BTreeSet<String> {
        [&self.oi, &self.ni]
            .iter()
            .filter_map(|ix| ix.features.get(id))
            .flat_map(|f| f.work.iter().map(|w| w.layer.clone()))
            .collect()
    }

    fn features(&mut self) {
        let (old, new) = (self.old, self.new);
        for (pos, n) in new.features.iter().enumerate() {
            let o = self.oi.features.get(n.id.as_str()).copied();
            let scope = Scope::Feature {
                public_old: o.map(Feature::is_public),
                public_new: Some(n.is_public()),
                layers: self.feature_layers(&n.id),
            };
            let Some(o) = o else {
                let extra = Some(format!("release {}", n.release));
                self.presence(
                    EntityKind::Feature,
                    &n.id,
                    &n.title,
                    ChangeKind::Added,
                    scope,
                    pos,
                    extra,
                );
                continue;
            };
            let e = Ent {
                kind: EntityKind::Feature,
                id: &n.id,
                title: &n.title,
                scope,
                pos,
            };
            if o.visibility() != n.visibility() {
                let detail = match n.visibility() {
                    Visibility::Public => "is now visible to sales".to_string(),
                    Visibility::Internal => "is now internal (hidden from sales)".to_string(),
                };
                self.emit(
                    &e,
                    ChangeKind::Visibility,
                    "visibility",
                    en(o.visibility, |v| v.as_str()),
                    en(n.visibility, |v| v.as_str()),
                    detail,
                );
            }
            if o.release != n.release {
                let detail = format!("moved from release {} to {}", o.release, n.release);
                self.emit(
                    &e,
                    ChangeKind::Moved,
                    "release",
                    s(&o.release),
                    s(&n.release),
                    detail,
                );
            }
            self.field(&e, "title", ChangeKind::Renamed, s(&o.title), s(&n.title));
            self.defaulted(
                &e,
                "status",
                ChangeKind::Status,
                (en(o.status, |v| v.as_str()), o.status().as_str()),
                (en(n.status, |v| v.as_str()), n.status().as_str()),
            );
            self.field(
                &e,
                "health",
                ChangeKind::Health,
                en(o.health, |h| h.as_str()),
                en(n.health, |h| h.as_str()),
            );
            self.defaulted(
                &e,
                "commitment",
                ChangeKind::Commitment,
                (en(o.commitment, |v| v.as_str()), o.commitment().as_str()),
                (en(n.commitment, |v| v.as_str()), n.commitment().as_str()),
            );
            self.field(
                &e,
                "customer_value",
                ChangeKind::Changed,
                os(&o.customer_value),
                os(&n.customer_value),
            );
            self.field(
                &e,
                "business_value",
                ChangeKind::Changed,
                os(&o.business_value),
                os(&n.business_value),
            );
            if o.themes != n.themes {
                self.field(
                    &e,
                    "themes",
                    ChangeKind::Changed,
                    arr(&o.themes),
                    arr(&n.themes),
                );
            }
            self.deps(&e, &o.depends_on, &n.depends_on);
            if o.tags != n.tags {
                self.field(&e, "tags", ChangeKind::Changed, arr(&o.tags), arr(&n.tags));
            }
            self.extra(&e, &o.extra, &n.extra);
        }
        for (pos, o) in old.features.iter().enumerate() {
            if !self.ni.features.contains_key(o.id.as_str()) {
                let scope = Scope::Feature {
                    public_old: Some(o.is_public()),
                    public_new: None,
                    layers: self.feature_layers(&o.id),
                };
                self.presence(
                    EntityKind::Feature,
                    &o.id,
                    &o.title,
                    ChangeKind::Removed,
                    scope,
                    pos,
                    None,
                );
            }
        }
    }

    fn work_items(&mut self) {
        let (old, new) = (self.old, self.new);
        let olds = work_index(old);
        let news = work_index(new);
        for (pos, (key, (nf, n))) in news.iter().enumerate() {
            let Some((of, o)) = olds.get(key).map(|(_, v)| *v) else {
                let scope = Scope::Work {
                    layers: BTreeSet::from([n.layer.clone()]),
                };
                let extra = Some(format!("layer {}, feature {}", n.layer, nf.id));
                self.presence(
                    EntityKind::Work,
                    key,
                    &n.title,
                    ChangeKind::Added,
                    scope,
                    pos,
                    extra,
                );
                continue;
            };
            let e = Ent {
                kind: EntityKind::Work,
                id: key,
                title: &n.title,
                scope: Scope::Work {
                    layers: BTreeSet::from([o.layer.clone(), n.layer.clone()]),
                },
                pos,
            };
            if o.layer != n.layer {
                let detail = format!("moved from layer {} to {}", o.layer, n.layer);
                self.emit(
                    &e,
                    ChangeKind::Moved,
                    "layer",
                    s(&o.layer),
                    s(&n.layer),
                    detail,
                );
            }
            if of.id != nf.id {
                let detail = format!("moved from feature {} to {}", of.id, nf.id);
                self.emit(
                    &e,
                    ChangeKind::Moved,
                    "feature",
                    s(&of.id),
                    s(&nf.id),
                    detail,
                );
            }
            self.field(&e, "title", ChangeKind::Renamed, s(&o.title), s(&n.title));
            self.target(&e, "end", o.end, n.end);
            self.defaulted(
                &e,
                "status",
                ChangeKind::Status,
                (en(o.status, |v| v.as_str()), o.status().as_str()),
                (en(n.status, |v| v.as_str()), n.status().as_str()),
            );
            self.field(
                &e,
                "health",
                ChangeKind::Health,
                en(o.health, |h| h.as_str()),
                en(n.health, |h| h.as_str()),
            );
            self.field(&e, "team", ChangeKind::Changed, os(&o.team), os(&n.team));
            self.field(
                &e,
                "estimate",
                ChangeKind::Changed,
                os(&o.estimate_text),
                os(&n.estimate_text),
            );
            self.field(
                &e,
                "start",
                ChangeKind::Changed,
                date(&o.start),
                date(&n.start),
            );
            self.deps(&e, &o.depends_on, &n.depends_on);
            self.field(
                &e,
                "interface",
                ChangeKind::Changed,
                os(&o.interface),
                os(&n.interface),
            );
            self.extra(&e, &o.extra, &n.extra);
        }
        for (pos, (key, (of, o))) in olds.iter().enumerate() {
            if !news.contains_key(key) {
                let scope = Scope::Work {
                    layers: BTreeSet::from([o.layer.clone()]),
                };
                let extra = Some(format!("layer {}, feature {}", o.layer, of.id));
                self.presence(
                    EntityKind::Work,
                    key,
                    &o.title,
                    ChangeKind::Removed,
                    scope,
                    pos,
                    extra,
                );
            }
        }
    }

    fn decisions(&mut self) {
        let (old, new) = (self.old, self.new);
        for (pos, n) in new.decisions.iter().enumerate() {
            let o = self.oi.decisions.get(n.id.as_str()).copied();
            let mut layers = BTreeSet::from([n.layer.clone()]);
            if let Some(o) = o {
                layers.insert(o.layer.clone());
            }
            let scope = Scope::Decision { layers };
            let Some(o) = o else {
                let extra = Some(format!("layer {}, {}", n.layer, n.area.as_str()));
                self.presence(
                    EntityKind::Decision,
                    &n.id,
                    &n.title,
                    ChangeKind::Added,
                    scope,
                    pos,
                    extra,
                );
                continue;
            };
            let e = Ent {
                kind: EntityKind::Decision,
                id: &n.id,
                title: &n.title,
                scope,
                pos,
            };
            self.field(&e, "title", ChangeKind::Renamed, s(&o.title), s(&n.title));
            self.defaulted(
                &e,
                "status",
                ChangeKind::Status,
                (en(o.status, |v| v.as_str()), o.status().as_str()),
                (en(n.status, |v| v.as_str()), n.status().as_str()),
            );
            self.field(&e, "layer", ChangeKind::Changed, s(&o.layer), s(&n.layer));
            self.field(
                &e,
                "area",
                ChangeKind::Changed,
                s(o.area.as_str()),
                s(n.area.as_str()),
            );
            self.field(
                &e,
                "choice",
                ChangeKind::Changed,
                os(&o.choice),
                os(&n.choice),
            );
            self.extra(&e, &o.extra, &n.extra);
        }
        for (pos, o) in old.decisions.iter().enumerate() {
            if !self.ni.decisions.contains_key(o.id.as_str()) {
                let scope = Scope::Decision {
                    layers: BTreeSet::from([o.layer.clone()]),
                };
                self.presence(
                    EntityKind::Decision,
                    &o.id,
                    &o.title,
                    ChangeKind::Removed,
                    scope,
                    pos,
                    None,
                );
            }
        }
    }

    /// Sales-only feature changes: the coarse date a public, not exploring
    /// feature is sold with moved (its release slipped, or it changed release).
    fn derived_sales(&mut self) {
        let new = self.new;
        for (pos, n) in new.features.iter().enumerate() {
            let Some(o) = self.oi.features.get(n.id.as_str()).copied() else {
                continue;
            };
            let sellable = |f: &Feature| {
                f.is_public() && f.commitment() != crate::model::Commitment::Exploring
            };
            if !sellable(o) || !sellable(n) {
                continue;
            }
            let coarse = |ix: &Ids<'_>, f: &Feature| {
                ix.releases
                    .get(f.release.as_str())
                    .and_then(|rel| rel.target)
                    .map(|t| t.coarse_quarter())
            };
            let (Some(a), Some(b)) = (coarse(&self.oi, o), coarse(&self.ni, n)) else {
                continue;
            };
            let why = if o.release != n.release {
                format!("moved to release {}", n.release)
            } else {
                format!("release {} moved", n.release)
            };
            let (kind, detail) = match compare(&a, &b, new.today) {
                Shift::Slipped { amount } => (
                    ChangeKind::Slipped,
                    match amount {
                        Some(x) => format!("slipped by {x}: {a} → {b} ({why})"),
                        None => format!("slipped: {a} → {b} ({why})"),
                    },
                ),
                Shift::PulledIn { amount } => (
                    ChangeKind::PulledIn,
                    match amount {
                        Some(x) => format!("pulled in by {x}: {a} → {b} ({why})"),
                        None => format!("pulled in: {a} → {b} ({why})"),
                    },
                ),
                Shift::Same | Shift::Refined => continue,
            };
            self.push(
                EntityKind::Feature,
                &n.id,
                &n.title,
                kind,
                Some("target"),
                Some(a.to_string()),
                Some(b.to_string()),
                detail,
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

/// Work items by key, in file order. Duplicate keys (two id-less items with
/// the same feature, layer and title) get `#2`, `#3`... so none is lost.
fn work_index(r: &Roadmap) -> indexmap_lite::OrderedMap<'_> {
    let mut m = indexmap_lite::OrderedMap::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (f, w) in r.work_items() {
        let base = w.key(&f.id);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { base } else { format!("{base}#{n}") };
        m.insert(key, (f, w));
    }
    m
}

/// A tiny insertion-ordered map (no extra dependency).
mod indexmap_lite {
    use super::{Feature, WorkItem};
    use std::collections::HashMap;

    type Item<'r> = (&'r Feature, &'r WorkItem);

    #[derive(Default)]
    pub struct OrderedMap<'r> {
        items: Vec<(String, Item<'r>)>,
        index: HashMap<String, usize>,
    }

    impl<'r> OrderedMap<'r> {
        pub fn insert(&mut self, key: String, v: Item<'r>) {
            if !self.index.contains_key(&key) {
                self.index.insert(key.clone(), self.items.len());
                self.items.push((key, v));
            }
        }
        pub fn get(&self, key: &str) -> Option<&(String, Item<'r>)> {
            self.index.get(key).and_then(|&i| self.items.get(i))
        }
        pub fn contains_key(&self, key: &str) -> bool {
            self.index.contains_key(key)
        }
        pub fn iter(&self) -> impl Iterator<Item = (&String, &Item<'r>)> {
            self.items.iter().map(|(k, v)| (k, v))
        }
    }
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
