//! Reading the entities of a parsed document field by field, so that each
//! problem is reported at its own `line:col` and all of them are reported,
//! not just the first. The document is the toml crate's (`DeTable`, see
//! [`super::syntax`]).

use super::date::{DATE_FORMS, DateSpec, Estimate, EstimateUnit};
use super::diag::Diagnostic;
use super::syntax;
use super::types::*;
use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

type Node<'i> = Spanned<DeValue<'i>>;
type Key<'i> = Spanned<DeString<'i>>;

#[derive(Default)]
pub(super) struct Cx {
    pub(super) diags: Vec<Diagnostic>,
    /// An entity could not be read at all (its table is not a table):
    /// counts of references are incomplete, so warnings built on them would
    /// be noise.
    pub(super) dropped: bool,
}

impl Cx {
    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(Some(span), msg));
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The closest of `candidates` to a misspelt `word`, when close enough to
/// be a typo (an edit distance of at most a third of the word, at least 1).
pub(super) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let most = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= most)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// How a key the reader knows is written in TOML, for "did you mean".
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// `key = …`
    Plain,
    /// `[path.key]`
    Table,
    /// `[[path.key]]`
    ArrayOfTables,
}

/// One entry of a table being read: key, value, and whether it was read.
struct Entry<'a, 'i> {
    key: &'a Key<'i>,
    value: &'a Node<'i>,
    used: bool,
}

/// Reads the fields of one table, remembering which keys were used so the
/// rest can be reported as unknown.
struct Fields<'a, 'i> {
    /// The table's entries in file order. A table has a handful of keys: a
    /// short scan per field beats a tree search per field.
    entries: Vec<Entry<'a, 'i>>,
    /// `[[feature]]`, `[roadmap]`...: how the table is named in messages.
    what: &'static str,
    /// The table's path in headers: `feature`, `feature.work`, `""` for the
    /// document.
    path: &'static str,
    span: Span,
    spans: Spans,
    /// The keys the reader asked for, and how each is written.
    known: Vec<(&'static str, Form)>,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn new(table: &'a DeTable<'i>, span: Span, what: &'static str, path: &'static str) -> Self {
        // The entity, its fields, and a few list entries.
        let mut spans = Spans::with_capacity(table.len() + 4);
        spans.insert("", span.clone());
        let mut entries: Vec<Entry<'a, 'i>> = table
            .iter()
            .map(|(key, value)| Entry {
                key,
                value,
                used: false,
            })
            .collect();
        entries.sort_by_key(|e| e.key.span().start);
        Fields {
            entries,
            what,
            path,
            span,
            spans,
            known: Vec::with_capacity(16),
        }
    }

    /// The entry for `key` (keys are unique within a table).
    fn find(&mut self, key: &'static str, form: Form) -> Option<usize> {
        self.known.push((key, form));
        self.entries
            .iter()
            .position(|e| e.key.get_ref().as_ref() == key)
    }

    /// Whether the table has `key` (without reading it).
    fn has(&mut self, key: &'static str) -> bool {
        self.find(key, Form::Plain).is_some()
    }

    fn get_as(&mut self, key: &'static str, form: Form) -> Option<&'a Node<'i>> {
        let at = self.find(key, form)?;
        let e = &mut self.entries[at];
        e.used = true;
        let v = e.value;
        self.spans.insert(key, v.span());
        Some(v)
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Node<'i>> {
        self.get_as(key, Form::Plain)
    }

    fn wrong_type(&self, cx: &mut Cx, key: &str, v: &Node<'_>, expected: &str) {
        cx.error(
            v.span(),
            format!(
                "wrong type for `{key}` in {}: expected {expected}, found {}",
                self.what,
                type_name(v.get_ref())
            ),
        );
    }

    fn missing(&self, cx: &mut Cx, key: &str) {
        cx.error(
            self.span.clone(),
            format!("missing required field `{key}` in {}", self.what),
        );
    }

    fn string(&mut self, cx: &mut Cx, key: &'static str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(cx, key, v, "a string");
                None
            }
        }
    }

    fn required(&mut self, cx: &mut Cx, key: &'static str) -> Option<String> {
        if !self.has(key) {
            self.missing(cx, key);
            return None;
        }
        self.string(cx, key)
    }

    /// An id: lowercase letters, digits, `-` and `_`. An invalid id is
    /// reported and still returned, so that the entity takes part in every
    /// other check of the same run.
    fn id(&mut self, cx: &mut Cx, key: &'static str, required: bool) -> Option<String> {
        let id = if required {
            self.required(cx, key)?
        } else {
            self.string(cx, key)?
        };
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            let span = self.spans.of(key).unwrap_or(self.span.clone());
            cx.diags.push(
                Diagnostic::error(
                    Some(span),
                    format!("invalid {key} `{id}`: use lowercase letters, digits, `-` and `_`"),
                )
                .with_label("not a valid id"),
            );
        }
        Some(id)
    }

    /// A number as the toml crate converts it (integers too).
    fn float(&mut self, cx: &mut Cx, key: &'static str) -> Option<f64> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Float(_) | DeValue::Integer(_) => match syntax::to_value(v) {
                // `nan` and `inf` are TOML, but no measure of a roadmap
                // (JSON has no word for them: they became `null`).
                Ok(toml::Value::Float(f)) if !f.is_finite() => {
                    cx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} must be a finite number, not `{f}`",
                            self.what
                        ),
                    );
                    None
                }
                Ok(toml::Value::Float(f)) => Some(f),
                // Kept as a float: beyond 2^53 an integer would change.
                Ok(toml::Value::Integer(i)) if i.unsigned_abs() > 1 << 53 => {
                    cx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} is an integer too large to keep exactly \
                             (beyond ±9,007,199,254,740,992); write it as a float \
                             (`{:e}`) if that is meant",
                            self.what, i as f64
                        ),
                    );
                    None
                }
                Ok(toml::Value::Integer(i)) => Some(i as f64),
                Ok(_) => None,
                Err(e) => {
                    syntax_error(cx, e);
                    None
                }
            },
            _ => {
                self.wrong_type(cx, key, v, "a number");
                None
            }
        }
    }

    fn int(&mut self, cx: &mut Cx, key: &'static str) -> Option<i64> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(_) => match syntax::to_value(v) {
                Ok(toml::Value::Integer(i)) => Some(i),
                Ok(_) => None,
                Err(e) => {
                    syntax_error(cx, e);
                    None
                }
            },
            _ => {
                self.wrong_type(cx, key, v, "an integer");
                None
            }
        }
    }

    fn date(&mut self, cx: &mut Cx, key: &'static str) -> Option<DateSpec> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => match DateSpec::parse(s) {
                Ok(d) => Some(d),
                Err(msg) => {
                    cx.error(v.span(), msg);
                    None
                }
            },
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                    Ok(d) => Some(DateSpec::Day(d)),
                    Err(_) => {
                        cx.error(v.span(), format!("invalid date `{dt}`: no such day"));
                        None
                    }
                },
                _ => {
                    cx.error(
                        v.span(),
                        format!(
                            "invalid date `{dt}` for `{key}`: expected {DATE_FORMS}, without a time"
                        ),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(cx, key, v, DATE_FORMS);
                None
            }
        }
    }

    fn enumerated<E>(
        &mut self,
        cx: &mut Cx,
        key: &'static str,
        parse: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<E> {
        let v = self.get(key)?;
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(cx, key, v, "a string");
            return None;
        };
        if let Some(e) = parse(s) {
            return Some(e);
        }
        let allowed = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::error(
            Some(v.span()),
            format!("invalid {key} `{s}`: expected one of {allowed}"),
        )
        .with_label(format!("not a valid {key}"));
        if let Some(m) = did_you_mean(s, names.iter().copied()) {
            d = d.with_note(format!("did you mean \"{m}\"?"));
        }
        cx.diags.push(d);
        None
    }

    fn string_list(&mut self, cx: &mut Cx, key: &'static str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(arr) = v.get_ref() else {
            self.wrong_type(cx, key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(arr.len());
        for item in arr.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    self.spans.insert_item(key, out.len(), item.span());
                    out.push(s.to_string());
                }
                other => cx.error(
                    item.span(),
                    format!(
                        "wrong type in `{key}`: expected a string, found {}",
                        type_name(other)
                    ),
                ),
            }
        }
        out
    }

    fn extra(&mut self, cx: &mut Cx) -> Extra {
        let Some(v) = self.get_as("extra", Form::Table) else {
            return Extra::default();
        };
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(cx, "extra", v, "a table");
            return Extra::default();
        };
        let mut entries: Vec<(&Key<'_>, &Node<'_>)> = t.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        let mut fields = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match syntax::to_value(v) {
                Ok(value) => fields.push((k.get_ref().to_string(), ExtraValue(value))),
                Err(e) => syntax_error(cx, e),
            }
        }
        Extra::new(fields)
    }

    /// The entities of an array of tables (`[[feature]]`, `[[feature.work]]`),
    /// each read by `read`.
    fn entities<T>(
        &mut self,
        cx: &mut Cx,
        key: &'static str,
        read: fn(&mut Cx, &DeTable<'_>, Span) -> T,
    ) -> Vec<T> {
        let Some(v) = self.get_as(key, Form::ArrayOfTables) else {
            return Vec::new();
        };
        let written = self.written(key, Form::ArrayOfTables);
        let DeValue::Array(arr) = v.get_ref() else {
            cx.dropped = true;
            cx.error(
                v.span(),
                format!(
                    "wrong type for `{key}`: expected an array of tables (`{written}`), found {}",
                    type_name(v.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(arr.len());
        for item in arr.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(read(cx, t, item.span())),
                other => {
                    cx.dropped = true;
                    cx.error(
                        item.span(),
                        format!(
                            "wrong type in `{key}`: expected a table (`{written}`), found {}",
                            type_name(other)
                        ),
                    );
                }
            }
        }
        out
    }

    /// How `key` of this table is written in TOML.
    fn written(&self, key: &str, form: Form) -> String {
        let full = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        match form {
            Form::Plain => format!("`{key}`"),
            Form::Table => format!("`[{full}]`"),
            Form::ArrayOfTables => format!("`[[{full}]]`"),
        }
    }

    /// Report every key not read as unknown.
    fn finish(self, cx: &mut Cx) -> Spans {
        for e in self.entries.iter().filter(|e| !e.used) {
            cx.diags.push(self.unknown(e));
        }
        self.spans
    }

    fn unknown(&self, e: &Entry<'_, '_>) -> Diagnostic {
        let name: &str = e.key.get_ref();
        let span = Some(e.key.span());
        let top = self.path.is_empty();
        if top && name == "extra" {
            return Diagnostic::error(span, "`extra` at the top level belongs to no entity")
                .with_label("not inside an entity")
                .with_note(
                    "an `[extra]` table belongs inside an entity: `[roadmap.extra]`, or \
                     `[feature.extra]` after a `[[feature]]` (likewise `[release.extra]`, \
                     `[feature.work.extra]`, …)",
                );
        }
        // How the unknown key is written: a table header or a key.
        let form = match e.value.get_ref() {
            DeValue::Table(_) => Form::Table,
            DeValue::Array(a)
                if !a.is_empty() && a.iter().all(|x| matches!(x.get_ref(), DeValue::Table(_))) =>
            {
                Form::ArrayOfTables
            }
            _ => Form::Plain,
        };
        let d = match form {
            Form::Plain => {
                Diagnostic::error(span, format!("unknown key `{name}` in {}", self.what))
                    .with_label("unknown key")
            }
            _ => Diagnostic::error(
                span,
                format!(
                    "unknown table {} in {}",
                    self.written(name, form),
                    self.what
                ),
            )
            .with_label("unknown table"),
        };
        let known = self.known.iter().map(|(k, _)| *k);
        match did_you_mean(name, known) {
            Some(k) => {
                let form = self
                    .known
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map_or(Form::Plain, |(_, f)| *f);
                d.with_note(format!("did you mean {}?", self.written(k, form)))
            }
            None if top => d.with_note("custom fields belong in the `[roadmap.extra]` table"),
            None => d.with_note(format!(
                "custom fields belong in an `extra` table: `[{}.extra]`",
                self.path
            )),
        }
    }
}

fn syntax_error(cx: &mut Cx, e: syntax::SyntaxError) {
    cx.diags.push(Diagnostic::error(
        e.span,
        format!("TOML syntax: {}", e.message),
    ));
}

/// Read a parsed document: `None` when it is not a roadmap at all or its
/// `[roadmap]` table is not a table (each reported).
pub(super) fn document(
    cx: &mut Cx,
    path: &str,
    doc: &DeTable<'_>,
    span: Span,
    today: Date,
) -> Option<Roadmap> {
    let mut top = Fields::new(doc, 0..0, "the document", "");
    let schema = top.int(cx, "schema");
    if let (Some(s), Some(sp)) = (schema, top.spans.get("schema"))
        && s != 1
    {
        cx.error(
            sp,
            format!("unsupported schema version {s}: roadlens reads version 1"),
        );
    }
    let meta = match top.get_as("roadmap", Form::Table) {
        None => {
            // Not a roadmap at all: one clear error, not one per key.
            let end = span.end.min(1);
            cx.diags.push(
                Diagnostic::error(Some(0..end), "not a roadmap: no `[roadmap]` table").with_note(
                    "a roadmap file starts with a `[roadmap]` table holding `id` and `title`",
                ),
            );
            return None;
        }
        Some(v) => match v.get_ref() {
            DeValue::Table(t) => Some(read_meta(cx, t, v.span())),
            other => {
                cx.error(
                    v.span(),
                    format!(
                        "wrong type for `roadmap`: expected a table, found {}",
                        type_name(other)
                    ),
                );
                None
            }
        },
    };
    let layers = top.entities(cx, "layer", read_layer);
    let layers_declared = !layers.is_empty();
    let themes = top.entities(cx, "theme", read_theme);
    let metrics = top.entities(cx, "metric", read_metric);
    let releases = top.entities(cx, "release", read_release);
    let features = top.entities(cx, "feature", read_feature);
    let decisions = top.entities(cx, "decision", read_decision);
    top.finish(cx);
    Some(Roadmap {
        path: path.to_string(),
        today,
        schema,
        meta: meta?,
        layers: with_default_layers(layers),
        layers_declared,
        themes,
        metrics,
        releases,
        features,
        decisions,
    })
}

fn read_meta(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Meta {
    let mut f = Fields::new(t, span, "[roadmap]", "roadmap");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let owner = f.string(cx, "owner");
    let vision = f.string(cx, "vision");
    let updated = f.date(cx, "updated");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Meta {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        owner,
        vision,
        updated,
        extra,
        spans,
    }
}

fn read_layer(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Layer {
    let mut f = Fields::new(t, span, "[[layer]]", "layer");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let team = f.string(cx, "team");
    let cadence = f.string(cx, "cadence");
    let sprint = f
        .string(cx, "sprint")
        .and_then(|s| match Estimate::parse(&s) {
            Ok(e) if matches!(e.unit, EstimateUnit::Day | EstimateUnit::Week) && e.amount > 0.0 => {
                Some(e)
            }
            _ => {
                let sp = f.spans.of("sprint").unwrap_or(f.span.clone());
                cx.error(
                    sp,
                    format!("invalid sprint length `{s}`: expected days or weeks: \"2w\", \"10d\""),
                );
                None
            }
        });
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Layer {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        team,
        cadence,
        sprint,
        extra,
        spans,
    }
}

fn read_theme(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Theme {
    let mut f = Fields::new(t, span, "[[theme]]", "theme");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let outcome = f.string(cx, "outcome");
    let metric = f.string(cx, "metric");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Theme {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        outcome,
        metric,
        extra,
        spans,
    }
}

fn read_metric(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Metric {
    let mut f = Fields::new(t, span, "[[metric]]", "metric");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let unit = f.string(cx, "unit");
    let current = f.float(cx, "current");
    let target = f.float(cx, "target");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Metric {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        unit,
        current,
        target,
        extra,
        spans,
    }
}

fn read_release(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Release {
    let mut f = Fields::new(t, span, "[[release]]", "release");
    let id = f.id(cx, "id", true);
    let name = f.required(cx, "name");
    let start = f.date(cx, "start");
    let target = f.date(cx, "target");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let confidence = f.enumerated(cx, "confidence", Confidence::parse, Confidence::NAMES);
    let summary = f.string(cx, "summary");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Release {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        start,
        target,
        status,
        health,
        confidence,
        summary,
        extra,
        spans,
    }
}

fn read_feature(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Feature {
    let mut f = Fields::new(t, span, "[[feature]]", "feature");
    let id = f.id(cx, "id", true);
    let title = f.required(cx, "title");
    let release = f.required(cx, "release");
    let themes = f.string_list(cx, "themes");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let commitment = f.enumerated(cx, "commitment", Commitment::parse, Commitment::NAMES);
    let visibility = f.enumerated(cx, "visibility", Visibility::parse, Visibility::NAMES);
    let customer_value = f.string(cx, "customer_value");
    let business_value = f.string(cx, "business_value");
    let depends_on = f.string_list(cx, "depends_on");
    let tags = f.string_list(cx, "tags");
    let work = f.entities(cx, "work", read_work);
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Feature {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        release: release.unwrap_or_default(),
        themes,
        status,
        health,
        commitment,
        visibility,
        customer_value,
        business_value,
        depends_on,
        tags,
        work,
        extra,
        spans,
    }
}

fn read_work(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> WorkItem {
    let mut f = Fields::new(t, span, "[[feature.work]]", "feature.work");
    let id = f.id(cx, "id", false);
    let layer = f.required(cx, "layer");
    let title = f.required(cx, "title");
    let status = f.enumerated(cx, "status", Status::parse, Status::NAMES);
    let health = f.enumerated(cx, "health", Health::parse, Health::NAMES);
    let team = f.string(cx, "team");
    let estimate_text = f.string(cx, "estimate");
    let estimate = match &estimate_text {
        Some(s) => match Estimate::parse(s) {
            Ok(e) => Some(e),
            Err(msg) => {
                let sp = f.spans.of("estimate").unwrap_or(f.span.clone());
                cx.error(sp, msg);
                None
            }
        },
        None => None,
    };
    let start = f.date(cx, "start");
    let end = f.date(cx, "end");
    let depends_on = f.string_list(cx, "depends_on");
    let interface = f.string(cx, "interface");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    WorkItem {
        id,
        layer: layer.unwrap_or_default(),
        title: title.unwrap_or_default(),
        status,
        health,
        team,
        estimate,
        estimate_text,
        start,
        end,
        depends_on,
        interface,
        extra,
        spans,
    }
}

fn read_decision(cx: &mut Cx, t: &DeTable<'_>, span: Span) -> Decision {
    let mut f = Fields::new(t, span, "[[decision]]", "decision");
    let id = f.id(cx, "id", true);
    let layer = f.required(cx, "layer");
    let area = if !f.has("area") {
        f.missing(cx, "area");
        None
    } else {
        f.enumerated(cx, "area", Area::parse, Area::NAMES)
    };
    let title = f.required(cx, "title");
    let status = f.enumerated(cx, "status", DecisionStatus::parse, DecisionStatus::NAMES);
    let choice = f.string(cx, "choice");
    let extra = f.extra(cx);
    let spans = f.finish(cx);
    Decision {
        id: id.unwrap_or_default(),
        layer: layer.unwrap_or_default(),
        area: area.unwrap_or(Area::Business),
        title: title.unwrap_or_default(),
        status,
        choice,
        extra,
        spans,
    }
}
