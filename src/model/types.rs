//! The roadmap types: every entity and field of the file format.
//!
//! Optional fields stay `Option` so a diff can tell "absent" from a default;
//! the accessors (`status()`, `visibility()`, ...) apply the defaults.

use super::date::{DateSpec, Estimate};
use jiff::civil::Date;
use std::ops::Range;

/// A byte range into the source text.
pub type Span = Range<usize>;

/// Byte spans of an entity's fields, by key (`"id"`, `"release"`, ...), of
/// the entries of its list fields (`"depends_on[2]"`), and of the entity
/// itself under `""`. Used by validation to point at errors.
///
/// A small list rather than a map: an entity has a dozen spans at most, and
/// a large roadmap has thousands of entities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans(Vec<(SpanKey, Span)>);

/// The key of one span in [`Spans`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SpanKey {
    /// A field (`"id"`), or the entity itself (`""`).
    Field(&'static str),
    /// An entry of a list field: `depends_on[2]`.
    Item(&'static str, usize),
}

impl Spans {
    /// Room for `n` spans.
    pub fn with_capacity(n: usize) -> Spans {
        Spans(Vec::with_capacity(n))
    }
    /// Set the span of a field (`""` for the entity itself).
    pub fn insert(&mut self, key: &'static str, span: Span) {
        self.put(SpanKey::Field(key), span);
    }
    /// Set the span of entry `index` of list field `key` (`depends_on[2]`).
    pub fn insert_item(&mut self, key: &'static str, index: usize, span: Span) {
        self.put(SpanKey::Item(key, index), span);
    }
    /// Appends: a key set again is found at its last entry (`find` looks
    /// from the back), so setting a key twice still replaces it.
    fn put(&mut self, key: SpanKey, span: Span) {
        self.0.push((key, span));
    }
    /// The span of a field (`"id"`), a list entry (`"depends_on[2]"`) or the
    /// entity (`""`).
    pub fn get(&self, key: &str) -> Option<Span> {
        let want = match key.strip_suffix(']').and_then(|k| k.split_once('[')) {
            Some((name, index)) => {
                // Only the form `format!("{key}[{i}]")` writes: no sign, no
                // leading zero.
                if !index.bytes().all(|b| b.is_ascii_digit())
                    || (index.len() > 1 && index.starts_with('0'))
                {
                    return None;
                }
                let i: usize = index.parse().ok()?;
                return self.find(|k| matches!(k, SpanKey::Item(n, j) if *n == name && *j == i));
            }
            None => key,
        };
        self.find(|k| matches!(k, SpanKey::Field(n) if *n == want))
    }
    fn find(&self, want: impl Fn(&SpanKey) -> bool) -> Option<Span> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| want(k))
            .map(|(_, s)| s.clone())
    }
    /// The span of `key`, or of the entity when the key is absent.
    pub fn of(&self, key: &str) -> Option<Span> {
        self.get(key).or_else(|| self.get(""))
    }
}

/// The user's own fields from an `[extra]` table, in file order, each with
/// its TOML value (`0x10` is the integer 16, `"16"` a string).
///
/// Two tables are equal when they hold the same keys with equal values,
/// whatever their order.
#[derive(Clone, Debug, Default)]
pub struct Extra(pub Vec<(String, ExtraValue)>);

impl Extra {
    pub fn new(fields: Vec<(String, ExtraValue)>) -> Extra {
        Extra(fields)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The fields in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ExtraValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
    pub fn get(&self, key: &str) -> Option<&ExtraValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// The fields whose value differs between `old` and `new` (new-side
    /// order, then keys only `old` has): key, old text, new text (`None`
    /// where absent). The texts are as [`ExtraValue`] shows them, except
    /// that a string facing a value of another type is quoted, so that
    /// `"1"` → `1` reads as the change it is.
    pub fn changes<'e>(
        old: &'e Extra,
        new: &'e Extra,
    ) -> Vec<(&'e str, Option<String>, Option<String>)> {
        let keys = new
            .iter()
            .map(|(k, _)| k)
            .chain(old.iter().map(|(k, _)| k).filter(|k| new.get(k).is_none()));
        keys.filter_map(|k| {
            let (a, b) = (old.get(k), new.get(k));
            if a == b {
                return None;
            }
            let text = |v: &ExtraValue, other: Option<&ExtraValue>| match other {
                Some(o) if v.is_string() != o.is_string() => v.toml(),
                _ => v.to_string(),
            };
            Some((k, a.map(|v| text(v, b)), b.map(|v| text(v, a))))
        })
        .collect()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.0.len() == other.0.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

/// One value of an `[extra]` table, compared by value as TOML reads it
/// (`0x10` equals `16`; `"1"` is not `1`; `nan` equals `nan`) and shown as
/// TOML writes it, a string without its quotes.
#[derive(Clone, Debug)]
pub struct ExtraValue(pub toml::Value);

impl ExtraValue {
    pub fn is_string(&self) -> bool {
        matches!(self.0, toml::Value::String(_))
    }
    /// The value in TOML syntax, a string quoted.
    pub fn toml(&self) -> String {
        self.0.to_string()
    }
}

impl PartialEq for ExtraValue {
    fn eq(&self, other: &ExtraValue) -> bool {
        same_value(&self.0, &other.0)
    }
}

fn same_value(a: &toml::Value, b: &toml::Value) -> bool {
    use toml::Value as V;
    match (a, b) {
        (V::Float(x), V::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (V::Table(x), V::Table(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

impl std::fmt::Display for ExtraValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            toml::Value::String(s) => f.write_str(s),
            v => write!(f, "{v}"),
        }
    }
}

impl From<&str> for ExtraValue {
    fn from(s: &str) -> ExtraValue {
        ExtraValue(toml::Value::String(s.to_string()))
    }
}

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub const NAMES: &'static [&'static str] = &[$($s),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(
    /// Lifecycle of a release, feature or work item.
    Status { Planned = "planned", InProgress = "in-progress", Shipped = "shipped", Deferred = "deferred", Cancelled = "cancelled" }
);
str_enum!(
    /// How a release, feature or work item is doing.
    Health { OnTrack = "on-track", AtRisk = "at-risk", OffTrack = "off-track", Blocked = "blocked" }
);
str_enum!(
    /// How sure a release's target date is.
    Confidence { High = "high", Medium = "medium", Low = "low" }
);
str_enum!(
    /// What sales may promise about a feature.
    Commitment { Committed = "committed", Planned = "planned", Exploring = "exploring" }
);
str_enum!(
    /// Who may see a feature: `internal` never reaches the sales lens.
    Visibility { Public = "public", Internal = "internal" }
);
str_enum!(
    /// The six decision areas of the decision canvas.
    Area { Business = "business", Technology = "technology", Ux = "ux", Data = "data", Security = "security", Standards = "standards" }
);
str_enum!(
    /// Whether a product decision is made.
    DecisionStatus { Open = "open", Decided = "decided" }
);

impl Area {
    pub fn title(self) -> &'static str {
        match self {
            Area::Business => "Business",
            Area::Technology => "Technology",
            Area::Ux => "UX",
            Area::Data => "Data",
            Area::Security => "Security",
            Area::Standards => "Standards & regulations",
        }
    }
}

impl Health {
    /// At risk, off track or blocked.
    pub fn is_troubled(self) -> bool {
        !matches!(self, Health::OnTrack)
    }
}

/// A parsed, validated roadmap file.
#[derive(Clone, Debug, PartialEq)]
pub struct Roadmap {
    /// The path as shown to the user (relative to the repository or as given).
    pub path: String,
    /// The date horizons (`now`, `next`, `later`) resolve against.
    pub today: Date,
    pub schema: Option<i64>,
    pub meta: Meta,
    /// The layers: as declared, or the five IoT defaults (`layers_declared` false).
    pub layers: Vec<Layer>,
    pub layers_declared: bool,
    pub themes: Vec<Theme>,
    pub metrics: Vec<Metric>,
    pub releases: Vec<Release>,
    pub features: Vec<Feature>,
    pub decisions: Vec<Decision>,
}

/// The `[roadmap]` table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub vision: Option<String>,
    pub updated: Option<DateSpec>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub cadence: Option<String>,
    /// How long this layer's sprints are (`"3w"`; days or weeks), for
    /// estimates given in sprints. Absent: two weeks.
    pub sprint: Option<Estimate>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub outcome: Option<String>,
    pub metric: Option<String>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub current: Option<f64>,
    pub target: Option<f64>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Release {
    pub id: String,
    pub name: String,
    pub start: Option<DateSpec>,
    pub target: Option<DateSpec>,
    pub status: Option<Status>,
    pub health: Option<Health>,
    pub confidence: Option<Confidence>,
    pub summary: Option<String>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub id: String,
    pub title: String,
    pub release: String,
    pub themes: Vec<String>,
    pub status: Option<Status>,
    pub health: Option<Health>,
    pub commitment: Option<Commitment>,
    pub visibility: Option<Visibility>,
    pub customer_value: Option<String>,
    pub business_value: Option<String>,
    pub depends_on: Vec<String>,
    pub tags: Vec<String>,
    pub work: Vec<WorkItem>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WorkItem {
    /// Optional: without it a work item is known by feature + layer + title.
    pub id: Option<String>,
    pub layer: String,
    pub title: String,
    pub status: Option<Status>,
    pub health: Option<Health>,
    pub team: Option<String>,
    pub estimate: Option<Estimate>,
    /// The estimate as written (`"10w"`), for display and diffs.
    pub estimate_text: Option<String>,
    pub start: Option<DateSpec>,
    pub end: Option<DateSpec>,
    pub depends_on: Vec<String>,
    pub interface: Option<String>,
    pub extra: Extra,
    pub spans: Spans,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub id: String,
    pub layer: String,
    pub area: Area,
    pub title: String,
    pub status: Option<DecisionStatus>,
    pub choice: Option<String>,
    pub extra: Extra,
    pub spans: Spans,
}

impl Release {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Planned)
    }
}

impl Feature {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Planned)
    }
    pub fn visibility(&self) -> Visibility {
        self.visibility.unwrap_or(Visibility::Public)
    }
    pub fn is_public(&self) -> bool {
        self.visibility() == Visibility::Public
    }
    /// Absent commitment counts as `planned`.
    pub fn commitment(&self) -> Commitment {
        self.commitment.unwrap_or(Commitment::Planned)
    }
}

impl WorkItem {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Planned)
    }
    /// The identity of a work item: its `id`, or `feature/layer/title`.
    pub fn key(&self, feature_id: &str) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("{feature_id}/{}/{}", self.layer, self.title),
        }
    }
}

impl Layer {
    /// Days in one of this layer's sprints.
    pub fn sprint_days(&self) -> f64 {
        self.sprint
            .as_ref()
            .map(Estimate::days)
            .unwrap_or(super::date::SPRINT_DAYS)
    }
}

impl Decision {
    pub fn status(&self) -> DecisionStatus {
        self.status.unwrap_or(DecisionStatus::Open)
    }
}

/// The five layers of an IoT product, used when a roadmap declares none.
pub fn default_layers() -> Vec<Layer> {
    [
        (
            "hardware",
            "Device hardware",
            "6-18 months, tied to manufacturing",
        ),
        (
            "firmware",
            "Device software",
            "Quarterly, with monthly hotfixes",
        ),
        ("comms", "Communications", "Quarterly"),
        ("cloud", "Cloud platform", "2-week sprints"),
        ("apps", "Cloud applications", "2-week sprints"),
    ]
    .into_iter()
    .map(|(id, name, cadence)| Layer {
        id: id.into(),
        name: name.into(),
        team: None,
        cadence: Some(cadence.into()),
        sprint: None,
        extra: Extra::default(),
        spans: Spans::default(),
    })
    .collect()
}

/// The layers a roadmap works with. No `[[layer]]` tables: the five
/// defaults. Tables that all use default ids (`hardware`, `firmware`,
/// `comms`, `cloud`, `apps`) describe those defaults (a team, a cadence):
/// the five stay, in stack order, each replaced by its declaration. Any other
/// id means the roadmap declares its own layers: exactly those, in file order.
pub fn with_default_layers(declared: Vec<Layer>) -> Vec<Layer> {
    let defaults = default_layers();
    let is_default = |l: &Layer| defaults.iter().any(|d| d.id == l.id);
    let unique = declared
        .iter()
        .enumerate()
        .all(|(i, l)| !declared[..i].iter().any(|m| m.id == l.id));
    // Duplicates stay as written so validation reports them.
    if !unique || !declared.iter().all(is_default) {
        return declared;
    }
    defaults
        .into_iter()
        .map(|d| match declared.iter().find(|l| l.id == d.id) {
            Some(l) => l.clone(),
            None => d,
        })
        .collect()
}

impl Roadmap {
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }
    pub fn release(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.id == id)
    }
    pub fn feature(&self, id: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.id == id)
    }
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }
    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }
    /// Every work item with the feature it belongs to.
    pub fn work_items(&self) -> impl Iterator<Item = (&Feature, &WorkItem)> {
        self.features
            .iter()
            .flat_map(|f| f.work.iter().map(move |w| (f, w)))
    }
    /// The work item with this id (only work items that have one).
    pub fn work_item(&self, id: &str) -> Option<(&Feature, &WorkItem)> {
        self.work_items().find(|(_, w)| w.id.as_deref() == Some(id))
    }
    /// Something in the roadmap has this id: the roadmap itself, a layer,
    /// release, feature, theme, metric, work item or decision.
    pub fn has_id(&self, id: &str) -> bool {
        self.meta.id == id
            || self.layer(id).is_some()
            || self.release(id).is_some()
            || self.feature(id).is_some()
            || self.theme(id).is_some()
            || self.metric(id).is_some()
            || self.work_item(id).is_some()
            || self.decisions.iter().any(|d| d.id == id)
    }
    /// The effective team of a work item: its own, or its layer's.
    pub fn team_of<'a>(&'a self, w: &'a WorkItem) -> Option<&'a str> {
        w.team
            .as_deref()
            .or_else(|| self.layer(&w.layer).and_then(|l| l.team.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A release's `[extra]` in two versions: the changes a diff reports.
    fn extra_changes(old: &str, new: &str) -> Vec<String> {
        let file = |extra: &str| {
            format!(
                "[roadmap]\nid = \"r\"\ntitle = \"R\"\n[[release]]\nid = \"v1\"\nname = \"One\"\n[release.extra]\n{extra}\n"
            )
        };
        let (a, b) = (file(old), file(new));
        let d = crate::diff::diff_sources(
            "r.toml",
            Some(a.as_bytes()),
            Some(b.as_bytes()),
            jiff::civil::date(2027, 5, 10),
        );
        assert!(d.error.is_none(), "{:?}", d.error);
        d.changes
            .iter()
            .map(|c| {
                format!(
                    "{} | {} | {}",
                    c.old.as_deref().unwrap_or("-"),
                    c.new.as_deref().unwrap_or("-"),
                    c.summary
                )
            })
            .collect()
    }

    /// Issue 9, item 11: `[extra]` values keep their TOML type.
    #[test]
    fn extra_values_are_compared_and_shown_as_typed_toml() {
        assert_eq!(
            extra_changes("budget = 0x10", "budget = 10"),
            ["16 | 10 | release v1 extra.budget: 16 → 10"]
        );
        assert!(extra_changes("budget = 16", "budget = 0x10").is_empty());
        assert!(extra_changes("a = 1\nb = 2", "b = 2\na = 1").is_empty());
        assert!(extra_changes("x = nan", "x = nan").is_empty());
        assert_eq!(
            extra_changes("budget = \"1\"", "budget = 1"),
            ["\"1\" | 1 | release v1 extra.budget: \"1\" → 1"]
        );
        assert_eq!(
            extra_changes("ok = \"true\"", "ok = true"),
            ["\"true\" | true | release v1 extra.ok: \"true\" → true"]
        );
        assert_eq!(
            extra_changes("n = 1", "n = 1.0"),
            ["1 | 1.0 | release v1 extra.n: 1 → 1.0"]
        );
        // Strings on both sides stay unquoted.
        assert_eq!(
            extra_changes("s = \"a\"", "s = \"b\""),
            ["a | b | release v1 extra.s: a → b"]
        );
    }

    #[test]
    fn extra_values_display_as_toml_writes_them() {
        let shown = |src: &str| {
            let v: toml::Value = src.parse().unwrap();
            ExtraValue(v).to_string()
        };
        assert_eq!(shown("0x10"), "16");
        assert_eq!(shown("0o17"), "15");
        assert_eq!(shown("1_000"), "1000");
        assert_eq!(shown("\"text\""), "text");
        assert_eq!(shown("[1, \"a\"]"), "[1, \"a\"]");
        assert_eq!(shown("{ a = 1, b = \"x\" }"), "{ a = 1, b = \"x\" }");
        assert_eq!(shown("2027-01-02"), "2027-01-02");
        assert_eq!(shown("1e3"), "1000.0");
    }
}
