//! What an audience notices: the difference between its two views.
//!
//! An audience's diff is computed from the two projected views of its lens
//! ([`crate::lens::project`]), never from a second copy of the lens's rules.
//! Each view is flattened into *records*, one per entity it shows, holding
//! exactly the values the view holds (typed where the diff needs it: targets
//! and the sales "when"); the records of the two sides are then compared
//! entity by entity and field by field and worded like the full diff
//! ([`super::words`]). So a change reaches an audience exactly when its view
//! changed, and is said only with what that view holds.
//!
//! The flattening keeps every value of a view that a reader can see, and
//! values a view repeats (a feature's title on each of its work cards) are
//! one field of one record. Whatever difference the records cannot name
//! (only the order of the view changed) is one `changed` change of the
//! roadmap, "order changed", so the diff is empty exactly when the two views
//! are equal.

use super::words::{self, Changes};
use super::{Change, ChangeKind};
use crate::lens::{
    self, CanvasView, CellEffort, ConflictLine, CriticalPath, DecisionCell, DepEdge,
    EngineeringView, ExecView, Header, InterfaceLine, LayerEffort, LayerHead, LayerView, Lens,
    LensView, ReleaseHead, SalesView, When, WorkCard,
};
use crate::model::date::{DateSpec, compare};
use crate::model::{EntityKind, Roadmap};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What `lens` notices between two versions of a roadmap (`None`: the
/// roadmap does not exist on that side). Empty exactly when the two views
/// are equal.
pub fn audience(old: Option<&Roadmap>, new: Option<&Roadmap>, lens: &Lens) -> Vec<Change> {
    let (vo, vn) = (
        old.and_then(|r| lens::project(r, lens)),
        new.and_then(|r| lens::project(r, lens)),
    );
    if vo == vn {
        return vec![];
    }
    let today = new.or(old).map(|r| r.today).unwrap_or(Date::MIN);
    let (ro, rn) = (
        vo.as_ref().map(Records::of).unwrap_or_default(),
        vn.as_ref().map(Records::of).unwrap_or_default(),
    );
    // A roadmap that appears or disappears whole is said as a whole one is
    // in the full diff: the roadmap, its releases and features.
    let whole = vo.is_none() || vn.is_none();
    let mut d = Differ {
        lens,
        today,
        sides: [Existing::new(old), Existing::new(new)],
        out: Changes {
            by_title: matches!(lens, Lens::Sales),
            ..Changes::default()
        },
    };
    d.records(&ro, &rn, whole);
    let mut changes = d.out.finish();
    if changes.is_empty() {
        // Only the order of what the view shows changed.
        let id = vn
            .as_ref()
            .or(vo.as_ref())
            .map(|v| header_id(v).to_string())
            .unwrap_or_default();
        let mut c = Changes::default();
        c.push(
            EntityKind::Roadmap,
            &id,
            "",
            ChangeKind::Changed,
            Some("order"),
            None,
            None,
            "order changed".into(),
            0,
        );
        changes = c.finish();
    }
    changes
}

fn header_id(v: &LensView) -> &str {
    match v {
        LensView::Exec(v) => &v.roadmap.id,
        LensView::Engineering(v) => &v.roadmap.id,
        LensView::Layer(v) => &v.roadmap.id,
        LensView::Decisions(v) => &v.roadmap.id,
        // The sales view holds no roadmap id.
        LensView::Sales(_) => "",
    }
}

// ------------------------------------------------------------------ records

/// One value of a record, typed by how its change is said.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    /// The title or name: `renamed`.
    Title(Option<String>),
    /// Free text or a value without a kind of its own: `changed`.
    Text(Option<String>),
    /// A target or end date: `slipped` / `pulled_in` / refined.
    Target(Option<DateSpec>),
    /// The sales "when".
    When(Option<When>),
    /// Status, health, confidence, commitment or visibility (the change
    /// kind, and the value as the view writes it).
    State(ChangeKind, Option<String>),
    /// The entity holding this one (`release`, `layer`, `feature`): `moved`.
    Ref(Option<String>),
    /// What it depends on (a set): `dependencies`.
    Deps(BTreeSet<String>),
    /// What depends on it (a set): `dependencies`.
    Dependents(BTreeSet<String>),
    /// A list whose order the view shows: `changed`.
    List(Vec<String>),
    /// A number.
    Num(Option<u64>),
    /// Listed as blocked (the engineering lens's blocked list).
    Blocked(bool),
    /// A release's critical path: its work items' keys, first to last.
    Path(Vec<String>),
    /// Where a release's critical path ends (its last day) and its slack to
    /// the target in days: `critical_path`.
    PathEnd(Option<(Date, Option<i64>)>),
    /// On a critical path: `critical_path`.
    Critical(bool),
    /// Days of slack.
    Slack(Option<i64>),
    /// Effort per layer as the view lists it: (layer name, days as bits,
    /// work items without an estimate).
    Effort(Vec<(String, u64, usize)>),
    /// Schedule conflicts about this entity: `kind:dependency` → the
    /// sentence: `conflict`.
    Conflicts(BTreeMap<String, String>),
}

impl Val {
    /// The same kind of value, absent.
    fn absent(&self) -> Val {
        match self {
            Val::Title(_) => Val::Title(None),
            Val::Text(_) => Val::Text(None),
            Val::Target(_) => Val::Target(None),
            Val::When(_) => Val::When(None),
            Val::State(k, _) => Val::State(*k, None),
            Val::Ref(_) => Val::Ref(None),
            Val::Deps(_) => Val::Deps(BTreeSet::new()),
            Val::Dependents(_) => Val::Dependents(BTreeSet::new()),
            Val::List(_) => Val::List(vec![]),
            Val::Num(_) => Val::Num(None),
            Val::Blocked(_) => Val::Blocked(false),
            Val::Path(_) => Val::Path(vec![]),
            Val::PathEnd(_) => Val::PathEnd(None),
            Val::Critical(_) => Val::Critical(false),
            Val::Slack(_) => Val::Slack(None),
            Val::Effort(_) => Val::Effort(vec![]),
            Val::Conflicts(_) => Val::Conflicts(BTreeMap::new()),
        }
    }

    fn is_absent(&self) -> bool {
        *self == self.absent()
    }

    /// As a change writes it (TOML's way, strings unquoted).
    fn text(&self) -> Option<String> {
        match self {
            Val::Title(v) | Val::Text(v) | Val::State(_, v) | Val::Ref(v) => v.clone(),
            Val::Target(v) => v.map(|d| d.to_string()),
            Val::When(v) => v.map(|w| w.to_string()),
            Val::Deps(v) | Val::Dependents(v) => Some(toml_array(v.iter())),
            Val::List(v) => Some(toml_array(v.iter())),
            Val::Num(v) => v.map(|b| toml::Value::Float(f64::from_bits(b)).to_string()),
            Val::Blocked(b) | Val::Critical(b) => Some(b.to_string()),
            Val::Path(v) => {
                (!v.is_empty()).then(|| v.iter().rev().cloned().collect::<Vec<_>>().join(" ← "))
            }
            Val::PathEnd(v) => v.map(|(end, slack)| match slack {
                Some(d) if d < 0 => format!("{end} ({} days late)", -d),
                Some(d) => format!("{end} ({d} days of slack)"),
                None => end.to_string(),
            }),
            Val::Slack(v) => v.map(|d| {
                if d < 0 {
                    format!("{} days late", -d)
                } else {
                    format!("{d} days")
                }
            }),
            Val::Effort(v) => (!v.is_empty()).then(|| {
                v.iter()
                    .map(|(l, d, m)| words::effort_of(l, f64::from_bits(*d), *m))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            Val::Conflicts(v) => {
                (!v.is_empty()).then(|| v.values().cloned().collect::<Vec<_>>().join("; "))
            }
        }
    }
}

fn toml_array<'a>(v: impl Iterator<Item = &'a String>) -> String {
    toml::Value::Array(v.map(|x| toml::Value::String(x.clone())).collect()).to_string()
}

fn text(v: &Option<String>) -> Val {
    Val::Text(v.clone())
}
fn state(kind: ChangeKind, v: impl ToString) -> Val {
    Val::State(kind, Some(v.to_string()))
}
fn state_opt<T: ToString>(kind: ChangeKind, v: Option<T>) -> Val {
    Val::State(kind, v.map(|x| x.to_string()))
}
fn target(v: &Option<DateSpec>) -> Val {
    Val::Target(*v)
}
fn date_text(v: &Option<DateSpec>) -> Val {
    Val::Text(v.map(|d| d.to_string()))
}
fn num(v: Option<f64>) -> Val {
    Val::Num(v.map(f64::to_bits))
}

/// A critical path's fields: its chain, its layer, where it ends.
fn path_fields(cp: &Option<CriticalPath>) -> Vec<(&'static str, Val)> {
    let end = cp.as_ref().and_then(|c| match c.ends {
        DateSpec::Day(d) => Some((d, c.slack_days)),
        _ => None,
    });
    vec![
        (
            "critical_path",
            Val::Path(
                cp.iter()
                    .flat_map(|c| c.steps.iter().map(|s| s.key.clone()))
                    .collect(),
            ),
        ),
        (
            "critical_path_layer",
            Val::Text(cp.as_ref().and_then(|c| c.layer.clone())),
        ),
        ("critical_path_end", Val::PathEnd(end)),
    ]
}

/// Effort exactly as a view holds it, each layer in the view's order.
fn effort_text<'a>(cells: impl Iterator<Item = (&'a str, f64, usize)>) -> Val {
    Val::Effort(
        cells
            .map(|(name, days, missing)| (name.to_string(), days.to_bits(), missing))
            .collect(),
    )
}

fn layer_effort(e: &[LayerEffort]) -> Val {
    effort_text(e.iter().map(|x| (x.name.as_str(), x.days, x.unestimated)))
}

fn cell_effort<'a>(layers: impl Iterator<Item = &'a str>, cells: &[CellEffort]) -> Val {
    effort_text(layers.zip(cells).map(|(l, c)| (l, c.days, c.unestimated)))
}

/// How a record's appearance or disappearance is said.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Presence {
    /// The entity itself: added / removed (or, when the entity is still in
    /// the roadmap, moved into / out of this view).
    Entity,
    /// Shown only because it is at risk (the executive risks list).
    Risk,
    /// Shown only as context of something else (a feature named on a work
    /// card, another layer's item at the end of a dependency): its coming
    /// and going is said by the records that name it; only its own values
    /// are compared.
    Context,
}

#[derive(Clone, Debug)]
struct Record {
    entity: EntityKind,
    id: String,
    presence: Presence,
    /// Said on an addition, in parentheses (`target 2027-Q3`).
    note: Option<String>,
    fields: Vec<(&'static str, Val)>,
}

impl Record {
    fn title(&self) -> &str {
        self.fields
            .iter()
            .find_map(|(_, v)| match v {
                Val::Title(Some(t)) => Some(t.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }
    fn get(&self, name: &str) -> Option<&Val> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// The records of one view, in view order, one per entity.
#[derive(Default)]
struct Records {
    list: Vec<Record>,
    index: HashMap<(EntityKind, String), usize>,
}

impl Records {
    fn of(v: &LensView) -> Records {
        let mut r = Records::default();
        match v {
            LensView::Exec(v) => r.exec(v),
            LensView::Sales(v) => r.sales(v),
            LensView::Engineering(v) => r.engineering(v),
            LensView::Layer(v) => r.layer(v),
            LensView::Decisions(v) => r.canvas(v),
        }
        r
    }

    fn get(&self, entity: EntityKind, id: &str) -> Option<&Record> {
        self.index
            .get(&(entity, id.to_string()))
            .map(|&i| &self.list[i])
    }

    /// Add a record, or merge it into the one the entity already has: fields
    /// it lacks are added, dependency sets joined; an entity shown as itself
    /// anywhere is an entity, not context.
    fn put(&mut self, rec: Record) {
        let key = (rec.entity, rec.id.clone());
        let Some(&i) = self.index.get(&key) else {
            self.index.insert(key, self.list.len());
            self.list.push(rec);
            return;
        };
        let have = &mut self.list[i];
        if rec.presence == Presence::Entity
            || (rec.presence == Presence::Risk && have.presence == Presence::Context)
        {
            have.presence = rec.presence;
        }
        if have.note.is_none() {
            have.note = rec.note;
        }
        for (name, val) in rec.fields {
            match have.fields.iter_mut().find(|(n, _)| *n == name) {
                None => have.fields.push((name, val)),
                Some((_, Val::Deps(set) | Val::Dependents(set))) => {
                    if let Val::Deps(more) | Val::Dependents(more) = val {
                        set.extend(more);
                    }
                }
                Some((_, Val::Conflicts(map))) => {
                    if let Val::Conflicts(more) = val {
                        map.extend(more);
                    }
                }
                Some((_, old)) => {
                    if old.is_absent() {
                        *old = val;
                    }
                }
            }
        }
    }

    fn rec(
        &mut self,
        entity: EntityKind,
        id: &str,
        presence: Presence,
        note: Option<String>,
        fields: Vec<(&'static str, Val)>,
    ) {
        self.put(Record {
            entity,
            id: id.to_string(),
            presence,
            note,
            fields,
        });
    }

    fn header(&mut self, h: &Header) {
        self.rec(
            EntityKind::Roadmap,
            "",
            Presence::Entity,
            None,
            vec![
                ("id", Val::Text(Some(h.id.clone()))),
                ("title", Val::Title(Some(h.title.clone()))),
                ("owner", text(&h.owner)),
                ("vision", text(&h.vision)),
            ],
        );
    }

    // ------------------------------------------------------------- exec

    fn exec(&mut self, v: &ExecView) {
        self.header(&v.roadmap);
        for b in &v.timeline {
            for rel in &b.releases {
                self.rec(
                    EntityKind::Release,
                    &rel.id,
                    Presence::Entity,
                    rel.target.as_ref().map(|t| format!("target {t}")),
                    vec![
                        ("name", Val::Title(Some(rel.name.clone()))),
                        ("target", target(&rel.target)),
                        ("start", date_text(&rel.start)),
                        ("status", state(ChangeKind::Status, rel.status)),
                        ("health", state_opt(ChangeKind::Health, rel.health)),
                        (
                            "confidence",
                            state_opt(ChangeKind::Confidence, rel.confidence),
                        ),
                        ("summary", text(&rel.summary)),
                        ("effort", layer_effort(&rel.effort)),
                        ("themes", Val::List(rel.themes.clone())),
                    ]
                    .into_iter()
                    .chain(path_fields(&rel.critical_path))
                    .collect(),
                );
                self.path_steps(&rel.critical_path);
                for f in &rel.features {
                    self.rec(
                        EntityKind::Feature,
                        &f.id,
                        Presence::Entity,
                        Some(format!("release {}", rel.id)),
                        vec![
                            ("release", Val::Ref(Some(rel.id.clone()))),
                            ("title", Val::Title(Some(f.title.clone()))),
                            ("visibility", state(ChangeKind::Visibility, f.visibility)),
                            ("status", state(ChangeKind::Status, f.status)),
                            ("health", state_opt(ChangeKind::Health, f.health)),
                            ("business_value", text(&f.business_value)),
                        ],
                    );
                }
            }
        }
        for t in &v.themes {
            self.rec(
                EntityKind::Theme,
                &t.id,
                Presence::Entity,
                None,
                vec![
                    ("title", Val::Title(Some(t.title.clone()))),
                    ("outcome", text(&t.outcome)),
                    ("metric", Val::Text(t.metric.as_ref().map(|m| m.id.clone()))),
                    (
                        "features",
                        Val::List(t.features.iter().map(|f| f.id.clone()).collect()),
                    ),
                ],
            );
            // What the theme shows of its features and metric is theirs.
            for f in &t.features {
                self.rec(
                    EntityKind::Feature,
                    &f.id,
                    Presence::Context,
                    None,
                    vec![
                        ("title", Val::Title(Some(f.title.clone()))),
                        ("release", Val::Ref(Some(f.release.clone()))),
                    ],
                );
            }
            if let Some(m) = &t.metric {
                self.metric(m, Presence::Context);
            }
        }
        for m in &v.metrics {
            self.metric(m, Presence::Entity);
        }
        for r in &v.risks {
            // A release calls its title `name`, as its own record does.
            let title = if r.entity == EntityKind::Release {
                "name"
            } else {
                "title"
            };
            let mut fields = vec![
                (title, Val::Title(Some(r.title.clone()))),
                ("health", state(ChangeKind::Health, r.health)),
            ];
            if let Some(rel) = &r.release {
                fields.push(("release", Val::Ref(Some(rel.clone()))));
            }
            self.rec(r.entity, &r.id, Presence::Risk, None, fields);
        }
        self.conflicts(&v.conflicts);
    }

    /// The work items a critical path names, as it names them.
    fn path_steps(&mut self, cp: &Option<CriticalPath>) {
        for s in cp.iter().flat_map(|c| &c.steps) {
            self.rec(
                EntityKind::Work,
                &s.key,
                Presence::Context,
                None,
                vec![("title", Val::Title(Some(s.title.clone())))],
            );
        }
    }

    /// Schedule conflicts, each a value of the entity it is about.
    fn conflicts(&mut self, list: &[ConflictLine]) {
        for c in list {
            let key = format!("{}:{}", c.kind.as_str(), c.other.as_deref().unwrap_or(""));
            self.rec(
                c.entity,
                &c.id,
                Presence::Context,
                None,
                vec![(
                    "schedule",
                    Val::Conflicts([(key, c.message.clone())].into()),
                )],
            );
        }
    }

    fn metric(&mut self, m: &lens::MetricLine, presence: Presence) {
        self.rec(
            EntityKind::Metric,
            &m.id,
            presence,
            None,
            vec![
                ("name", Val::Title(Some(m.name.clone()))),
                ("unit", text(&m.unit)),
                ("current", num(m.current)),
                ("target", num(m.target)),
            ],
        );
    }

    // ------------------------------------------------------------ sales

    fn sales(&mut self, v: &SalesView) {
        self.rec(
            EntityKind::Roadmap,
            "",
            Presence::Entity,
            None,
            vec![
                ("title", Val::Title(Some(v.roadmap.title.clone()))),
                ("vision", text(&v.roadmap.vision)),
            ],
        );
        for g in &v.groups {
            for f in &g.features {
                self.rec(
                    EntityKind::Feature,
                    &f.id,
                    Presence::Entity,
                    f.when.map(|w| w.to_string()),
                    vec![
                        ("title", Val::Title(Some(f.title.clone()))),
                        ("when", Val::When(f.when)),
                        ("commitment", state(ChangeKind::Commitment, g.commitment)),
                        ("customer_value", text(&f.customer_value)),
                    ],
                );
            }
        }
    }

    // ------------------------------------------------------ engineering

    fn layer_head(&mut self, l: &LayerHead) {
        self.rec(
            EntityKind::Layer,
            &l.id,
            Presence::Entity,
            None,
            vec![
                ("name", Val::Title(Some(l.name.clone()))),
                ("team", text(&l.team)),
                ("cadence", text(&l.cadence)),
            ],
        );
    }

    fn release_head(&mut self, r: &ReleaseHead) {
        self.rec(
            EntityKind::Release,
            &r.id,
            Presence::Entity,
            r.target.as_ref().map(|t| format!("target {t}")),
            vec![
                ("name", Val::Title(Some(r.name.clone()))),
                ("target", target(&r.target)),
                ("status", state(ChangeKind::Status, r.status)),
                ("health", state_opt(ChangeKind::Health, r.health)),
            ],
        );
    }

    fn card(&mut self, c: &WorkCard, presence: Presence) {
        self.rec(
            EntityKind::Work,
            &c.key,
            presence,
            Some(format!("layer {}, feature {}", c.layer, c.feature)),
            vec![
                ("layer", Val::Ref(Some(c.layer.clone()))),
                ("feature", Val::Ref(Some(c.feature.clone()))),
                ("title", Val::Title(Some(c.title.clone()))),
                ("end", target(&c.end)),
                ("status", state(ChangeKind::Status, c.status)),
                ("health", state_opt(ChangeKind::Health, c.health)),
                ("team", text(&c.team)),
                ("estimate", text(&c.estimate)),
                ("start", date_text(&c.start)),
                (
                    "depends_on",
                    Val::Deps(c.depends_on.iter().cloned().collect()),
                ),
                (
                    "depended_on_by",
                    Val::Dependents(c.depended_on_by.iter().cloned().collect()),
                ),
                ("interface", text(&c.interface)),
                ("critical", Val::Critical(c.critical)),
                ("slack", Val::Slack(c.slack_days)),
            ],
        );
        // Its feature, as the card names it.
        self.rec(
            EntityKind::Feature,
            &c.feature,
            Presence::Context,
            None,
            vec![
                ("title", Val::Title(Some(c.feature_title.clone()))),
                ("release", Val::Ref(Some(c.release.clone()))),
            ],
        );
    }

    /// Both ends of a dependency edge, and the dependency itself.
    fn edge(&mut self, e: &DepEdge) {
        for (item, title, layer) in [
            (&e.from, &e.from_title, &e.from_layer),
            (&e.to, &e.to_title, &e.to_layer),
        ] {
            let mut fields = vec![("title", Val::Title(Some(title.clone())))];
            if let Some(l) = layer {
                fields.push(("layer", Val::Ref(Some(l.clone()))));
            }
            self.rec(item.entity, &item.id, Presence::Context, None, fields);
        }
        self.rec(
            e.from.entity,
            &e.from.id,
            Presence::Context,
            None,
            vec![("depends_on", Val::Deps([e.to.id.clone()].into()))],
        );
    }

    /// A contract a work item exposes, as an interface line shows it.
    fn interface(&mut self, i: &InterfaceLine) {
        self.rec(
            EntityKind::Work,
            &i.work,
            Presence::Context,
            None,
            vec![
                ("title", Val::Title(Some(i.title.clone()))),
                ("layer", Val::Ref(Some(i.layer.clone()))),
                ("interface", Val::Text(Some(i.contract.clone()))),
                (
                    "depended_on_by",
                    Val::Dependents(i.consumers.iter().cloned().collect()),
                ),
            ],
        );
    }

    fn engineering(&mut self, v: &EngineeringView) {
        self.header(&v.roadmap);
        for l in &v.layers {
            self.layer_head(l);
        }
        for row in &v.rows {
            self.release_head(&row.release);
            let layers = v.layers.iter().map(|l| l.name.as_str());
            let mut fields = vec![("effort", cell_effort(layers, &row.effort))];
            fields.extend(path_fields(&row.critical_path));
            self.rec(
                EntityKind::Release,
                &row.release.id,
                Presence::Context,
                None,
                fields,
            );
            self.path_steps(&row.critical_path);
            for c in row.cells.iter().flatten() {
                self.card(c, Presence::Entity);
            }
        }
        for c in &v.blocked {
            self.card(c, Presence::Context);
            self.rec(
                EntityKind::Work,
                &c.key,
                Presence::Context,
                None,
                vec![("blocked", Val::Blocked(true))],
            );
        }
        for e in &v.dependencies {
            self.edge(e);
        }
        for i in &v.interfaces {
            self.interface(i);
        }
        self.conflicts(&v.conflicts);
    }

    // ------------------------------------------------------------ layer

    fn layer(&mut self, v: &LayerView) {
        self.header(&v.roadmap);
        self.layer_head(&v.layer);
        for s in &v.slices {
            self.release_head(&s.release);
            let name = std::iter::once(v.layer.name.as_str());
            self.rec(
                EntityKind::Release,
                &s.release.id,
                Presence::Context,
                None,
                vec![("effort", cell_effort(name, std::slice::from_ref(&s.effort)))],
            );
            for c in &s.work {
                self.card(c, Presence::Entity);
            }
        }
        for e in v.depends_on.iter().chain(&v.depended_on_by) {
            self.edge(e);
        }
        for i in v.interfaces_out.iter().chain(&v.interfaces_in) {
            self.interface(i);
        }
        for cell in &v.decisions {
            self.decisions(cell);
        }
    }

    // ----------------------------------------------------------- canvas

    fn canvas(&mut self, v: &CanvasView) {
        self.header(&v.roadmap);
        for row in &v.rows {
            self.layer_head(&row.layer);
            // Its gaps: the areas it has no decision in (said as such; the
            // list follows from its decisions).
            let gaps: Vec<String> = v
                .gaps
                .iter()
                .filter(|g| g.layer == row.layer.id)
                .map(|g| g.area.as_str().to_string())
                .collect();
            self.rec(
                EntityKind::Layer,
                &row.layer.id,
                Presence::Entity,
                None,
                vec![("gaps", Val::List(gaps))],
            );
            for cell in &row.cells {
                self.decisions(cell);
                for d in &cell.decisions {
                    self.rec(
                        EntityKind::Decision,
                        &d.id,
                        Presence::Entity,
                        None,
                        vec![("layer", Val::Ref(Some(row.layer.id.clone())))],
                    );
                }
            }
        }
    }

    fn decisions(&mut self, cell: &DecisionCell) {
        for d in &cell.decisions {
            self.rec(
                EntityKind::Decision,
                &d.id,
                Presence::Entity,
                Some(cell.area.as_str().to_string()),
                vec![
                    ("title", Val::Title(Some(d.title.clone()))),
                    ("status", state(ChangeKind::Status, d.status)),
                    ("area", Val::Text(Some(cell.area.as_str().to_string()))),
                    ("choice", text(&d.choice)),
                ],
            );
        }
    }
}

// -------------------------------------------------------------- comparing

/// Which entities a roadmap holds, to tell an entity that left a view from
/// one that left the roadmap (built on first use).
struct Existing<'a> {
    roadmap: Option<&'a Roadmap>,
    ids: std::cell::OnceCell<HashSet<(EntityKind, String)>>,
}

impl<'a> Existing<'a> {
    fn new(roadmap: Option<&'a Roadmap>) -> Self {
        Existing {
            roadmap,
            ids: std::cell::OnceCell::new(),
        }
    }

    fn has(&self, entity: EntityKind, id: &str) -> bool {
        let Some(r) = self.roadmap else {
            return false;
        };
        self.ids
            .get_or_init(|| {
                let mut s = HashSet::new();
                let mut put = |k: EntityKind, id: &str| s.insert((k, id.to_string()));
                for x in &r.layers {
                    put(EntityKind::Layer, &x.id);
                }
                for x in &r.themes {
                    put(EntityKind::Theme, &x.id);
                }
                for x in &r.metrics {
                    put(EntityKind::Metric, &x.id);
                }
                for x in &r.releases {
                    put(EntityKind::Release, &x.id);
                }
                for x in &r.features {
                    put(EntityKind::Feature, &x.id);
                }
                for (f, w) in r.work_items() {
                    put(EntityKind::Work, &w.key(&f.id));
                }
                for x in &r.decisions {
                    put(EntityKind::Decision, &x.id);
                }
                s
            })
            .contains(&(entity, id.to_string()))
    }
}

struct Differ<'a> {
    lens: &'a Lens,
    today: Date,
    /// The old and the new roadmap.
    sides: [Existing<'a>; 2],
    out: Changes,
}

impl Differ<'_> {
    /// Records of the new side in view order (added or compared), then those
    /// only the old side has (removed) in its order.
    fn records(&mut self, old: &Records, new: &Records, whole: bool) {
        for (pos, n) in new.list.iter().enumerate() {
            match old.get(n.entity, &n.id) {
                Some(o) => self.fields(o, n, pos),
                None => self.presence(n, true, pos, whole),
            }
        }
        for (pos, o) in old.list.iter().enumerate() {
            if new.get(o.entity, &o.id).is_none() {
                self.presence(o, false, pos, whole);
            }
        }
    }

    /// The id a change names: the roadmap's own id for the roadmap record.
    fn id<'r>(&self, r: &'r Record, other: Option<&'r Record>) -> &'r str {
        if r.entity != EntityKind::Roadmap {
            return &r.id;
        }
        [Some(r), other]
            .into_iter()
            .flatten()
            .find_map(|x| match x.get("id") {
                Some(Val::Text(Some(id))) => Some(id.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    fn presence(&mut self, r: &Record, added: bool, pos: usize, whole: bool) {
        if whole
            && !matches!(
                r.entity,
                EntityKind::Roadmap | EntityKind::Release | EntityKind::Feature
            )
        {
            return;
        }
        let id = self.id(r, None).to_string();
        let title = r.title().to_string();
        // Is the entity in the roadmap on the side where the view lacks it?
        let still = !whole && self.sides[usize::from(!added)].has(r.entity, &r.id);
        let (kind, detail) = match r.presence {
            Presence::Context => {
                // Said by the records that name it; only its own
                // dependencies count (a feature's first dependency is
                // shown only as an edge).
                let own = Record {
                    fields: r
                        .fields
                        .iter()
                        .filter(|(_, v)| {
                            matches!(v, Val::Deps(_) | Val::Dependents(_) | Val::Conflicts(_))
                        })
                        .cloned()
                        .collect(),
                    ..r.clone()
                };
                let blank = Record {
                    fields: own.fields.iter().map(|(n, v)| (*n, v.absent())).collect(),
                    ..own.clone()
                };
                if added {
                    self.fields(&blank, &own, pos);
                } else {
                    self.fields(&own, &blank, pos);
                }
                return;
            }
            Presence::Risk => {
                let health = match r.get("health") {
                    Some(v) => v.text().unwrap_or_default(),
                    None => String::new(),
                };
                if added {
                    (ChangeKind::Health, format!("is now at risk ({health})"))
                } else {
                    (ChangeKind::Health, "is no longer at risk".to_string())
                }
            }
            Presence::Entity if still => self.moved_view(r, added),
            Presence::Entity => {
                let kind = if added {
                    ChangeKind::Added
                } else {
                    ChangeKind::Removed
                };
                let note = if added { r.note.as_deref() } else { None };
                (kind, words::presence(kind, &title, note))
            }
        };
        self.out
            .push(r.entity, &id, &title, kind, None, None, None, detail, pos);
    }

    /// An entity that came into (or left) this view while staying in the
    /// roadmap, as this audience can say it.
    fn moved_view(&self, r: &Record, added: bool) -> (ChangeKind, String) {
        let title = words::quoted(r.title());
        match self.lens {
            Lens::Sales => {
                let detail = if added {
                    match &r.note {
                        Some(n) => format!("is now visible to sales: {title} ({n})"),
                        None => format!("is now visible to sales: {title}"),
                    }
                } else {
                    format!("is no longer visible to sales: {title}")
                };
                (ChangeKind::Visibility, detail)
            }
            Lens::Layer(l) => {
                let dir = if added { "into" } else { "out of" };
                (ChangeKind::Moved, format!("moved {dir} layer {l}: {title}"))
            }
            _ => {
                let verb = if added {
                    "now shown"
                } else {
                    "no longer shown"
                };
                (ChangeKind::Moved, format!("{verb} in this lens: {title}"))
            }
        }
    }

    fn fields(&mut self, o: &Record, n: &Record, pos: usize) {
        // An entity the view shows only where others name it (a critical
        // path step, a conflict, a risk) on one side or both: its title and
        // its release appearing or going are said by the records that name
        // it (the path, the conflict), never as a rename or a move; coming
        // into or leaving the risks is said as that.
        let context = o.presence != Presence::Entity || n.presence != Presence::Entity;
        let risk = |r: &Record| r.presence == Presence::Risk;
        let risk_change =
            risk(o) != risk(n) && o.presence != Presence::Entity && n.presence != Presence::Entity;
        if risk_change {
            let (r, added) = if risk(n) { (n, true) } else { (o, false) };
            self.presence(r, added, pos, false);
        }
        let id = self.id(n, Some(o)).to_string();
        let title = match n.title() {
            "" => o.title(),
            t => t,
        }
        .to_string();
        // New-side order, then fields only the old side has.
        let mut names: Vec<&'static str> = n.fields.iter().map(|(k, _)| *k).collect();
        names.extend(
            o.fields
                .iter()
                .map(|(k, _)| *k)
                .filter(|k| n.get(k).is_none()),
        );
        // A field on one side only of a context entity is said by the
        // records that name it (see above).
        let said_elsewhere = |v: &Val, name: &str| {
            context
                && (matches!(v, Val::Title(_) | Val::Ref(_)) || (risk_change && name == "health"))
        };
        for name in names {
            let (a, b) = match (o.get(name), n.get(name)) {
                (Some(a), Some(b)) => (a.clone(), b.clone()),
                (Some(v), None) | (None, Some(v)) if said_elsewhere(v, name) => continue,
                (Some(a), None) => (a.clone(), a.absent()),
                (None, Some(b)) => (b.absent(), b.clone()),
                (None, None) => continue,
            };
            if a == b {
                continue;
            }
            self.field(n.entity, &id, &title, name, &a, &b, pos);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        entity: EntityKind,
        id: &str,
        title: &str,
        name: &str,
        a: &Val,
        b: &Val,
        pos: usize,
    ) {
        let (old, new) = (a.text(), b.text());
        let mut amount = None;
        let (kind, detail) = match (a, b) {
            (Val::Title(_), _) => (
                ChangeKind::Renamed,
                words::field(name, ChangeKind::Renamed, &old, &new),
            ),
            (Val::State(ChangeKind::Visibility, _), Val::State(_, v)) => (
                ChangeKind::Visibility,
                words::visibility(v.as_deref() == Some("public")).to_string(),
            ),
            (Val::State(k, _), _) => (*k, words::field(name, *k, &old, &new)),
            (Val::Ref(Some(x)), Val::Ref(Some(y))) => (ChangeKind::Moved, words::moved(name, x, y)),
            (Val::Target(Some(x)), Val::Target(Some(y)))
            | (Val::When(Some(When::Period(x))), Val::When(Some(When::Period(y)))) => {
                let shift = compare(x, y, self.today);
                amount = shift.amount();
                match words::target(name, &shift, x, y) {
                    Some(kd) => kd,
                    None => return,
                }
            }
            (Val::When(Some(When::Period(x))), Val::When(Some(When::AvailableNow))) => {
                (ChangeKind::Status, format!("now available (was {x})"))
            }
            (Val::When(Some(When::AvailableNow)), Val::When(Some(When::Period(y)))) => {
                (ChangeKind::Status, format!("no longer available now: {y}"))
            }
            (Val::Deps(x), Val::Deps(y)) => {
                let added: Vec<&str> = y.difference(x).map(String::as_str).collect();
                let removed: Vec<&str> = x.difference(y).map(String::as_str).collect();
                (
                    ChangeKind::Dependencies,
                    words::dependencies(&added, &removed),
                )
            }
            (Val::Blocked(_), Val::Blocked(now)) => (
                ChangeKind::Health,
                if *now {
                    "is now blocked".to_string()
                } else {
                    "is no longer blocked".to_string()
                },
            ),
            (Val::Path(x), Val::Path(y)) => (ChangeKind::CriticalPath, words::critical_chain(x, y)),
            // The same end: only the target moved, and its change says so.
            (Val::PathEnd(Some((a, _))), Val::PathEnd(Some((b, _)))) if a == b => return,
            (Val::PathEnd(x), Val::PathEnd(y)) => {
                (ChangeKind::CriticalPath, words::critical_end(*x, *y))
            }
            (Val::Text(x), Val::Text(y)) if name == "critical_path_layer" => (
                ChangeKind::CriticalPath,
                words::critical_layer(x.as_deref(), y.as_deref()),
            ),
            (Val::Critical(_), Val::Critical(now)) => (
                ChangeKind::CriticalPath,
                words::critical_mark(*now).to_string(),
            ),
            (Val::Conflicts(x), Val::Conflicts(y)) => {
                (ChangeKind::Conflict, words::conflicts(x, y))
            }
            (Val::Effort(x), Val::Effort(y)) => (ChangeKind::Changed, words::effort(x, y)),
            (Val::Dependents(x), Val::Dependents(y)) => {
                let added: Vec<&str> = y.difference(x).map(String::as_str).collect();
                let removed: Vec<&str> = x.difference(y).map(String::as_str).collect();
                (
                    ChangeKind::Dependencies,
                    words::dependents(&added, &removed),
                )
            }
            _ => (
                ChangeKind::Changed,
                words::field(name, ChangeKind::Changed, &old, &new),
            ),
        };
        let c = self
            .out
            .push(entity, id, title, kind, Some(name), old, new, detail, pos);
        c.amount = amount;
    }
}
