//! The words: one way to write each kind of value, for every printer and
//! view. Roadmap and git strings are sanitized ([`sanitize_line`]) here.

use super::style::Role;
use crate::diff::{Change, ChangeKind, FileDiff, FileStatus, entity_noun};
use crate::lens::{ConflictLine, CriticalPath, LayerEffort, MetricLine, When, WorkCard, fmt_num};
use crate::model::date::Amount;
use crate::model::{Commitment, Confidence, DateSpec, DecisionStatus, EntityKind, Health, Status};
use crate::text::sanitize_line;
use jiff::civil::Date;

/// The arrow between an old and a new value, and between a start and an end.
pub const ARROW: &str = "→";

/// Separates the facts of one line (`◐ in-progress · ▲ at-risk`).
pub const DOT: &str = " · ";

/// A metric, current → target, the unit written once:
/// `41 → 28 hours`, `62% → 90%`, `? → 5 s`, `3 → 7`.
pub fn metric(current: Option<f64>, target: Option<f64>, unit: Option<&str>) -> String {
    let v = |x: Option<f64>| x.map(fmt_num).unwrap_or_else(|| "?".into());
    let unit = unit.map(sanitize_line).unwrap_or_default();
    match unit.as_ref() {
        "%" => format!("{}% {ARROW} {}%", v(current), v(target)),
        "" => format!("{} {ARROW} {}", v(current), v(target)),
        u => format!("{} {ARROW} {} {u}", v(current), v(target)),
    }
}

/// [`metric`] of a metric line.
pub fn metric_line(m: &MetricLine) -> String {
    metric(m.current, m.target, m.unit.as_deref())
}

/// A date span: `2027-01 → 2027-Q3`, `→ 2027-Q3` (an end or a target
/// alone), `from 2027-01`; nothing without either.
pub fn span(start: Option<DateSpec>, end: Option<DateSpec>) -> Option<String> {
    Some(match (start, end) {
        // One period written twice (`start = end = "2027-05"`): once.
        (Some(s), Some(e)) if s == e => s.to_string(),
        (Some(s), Some(e)) => format!("{s} {ARROW} {e}"),
        (None, Some(e)) => format!("{ARROW} {e}"),
        (Some(s), None) => format!("from {s}"),
        (None, None) => return None,
    })
}

/// A status as a glyph, so it reads without colour too.
pub fn status_glyph(s: Status) -> &'static str {
    match s {
        Status::Planned => "○",
        Status::InProgress => "◐",
        Status::Shipped => "●",
        Status::Deferred => "◌",
        Status::Cancelled => "✕",
    }
}

/// `◐ in-progress`.
pub fn status(s: Status) -> String {
    format!("{} {s}", status_glyph(s))
}

/// `on-track`; trouble is marked: `▲ at-risk`, `▲ off-track`, `▲ blocked`.
pub fn health(h: Health) -> String {
    if h.is_troubled() {
        format!("▲ {h}")
    } else {
        h.to_string()
    }
}

/// `confidence medium`.
pub fn confidence(c: Confidence) -> String {
    format!("confidence {c}")
}

/// A commitment as a heading or a tag: `Committed`, `Planned`, `Exploring`.
pub fn commitment(c: Commitment) -> &'static str {
    match c {
        Commitment::Committed => "Committed",
        Commitment::Planned => "Planned",
        Commitment::Exploring => "Exploring",
    }
}

/// A commitment as a tag after a title: `committed`, `planned`, `exploring`.
pub fn commitment_tag(c: Commitment) -> &'static str {
    c.as_str()
}

/// The bullet of a list item that has no status of its own (a sales
/// feature, a theme): never `●`, which says "shipped".
pub const BULLET: &str = "• ";

/// A roadmap file under the sales lens when no version of it parses (its
/// path could name a release).
pub const A_ROADMAP: &str = "a roadmap";
/// A version that does not parse, as the sales lens says it (its path and
/// error name commits, lines and internal text).
pub const VERSION_HAS_ERRORS: &str = "a version has errors (roadlens check tells where)";

/// The tag of a feature that sales may not see.
pub const INTERNAL: &str = "internal";

/// `decided` / `open`, and its role.
pub fn decision(s: DecisionStatus) -> (&'static str, Role) {
    match s {
        DecisionStatus::Decided => (s.as_str(), Role::Good),
        DecisionStatus::Open => (s.as_str(), Role::Warn),
    }
}

/// The areas named in a sentence, lower case where they read so: `business,
/// UX or data`.
fn areas_text(areas: &[crate::model::Area]) -> String {
    use crate::model::Area;
    let name = |a: &Area| match a {
        Area::Ux => "UX".to_string(),
        Area::Standards => "standards".to_string(),
        a => a.title().to_lowercase(),
    };
    let names: Vec<String> = areas.iter().map(name).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A gap in the decision canvas: `no security decision for Communications`;
/// several areas of one layer: `no business, UX or data decision for
/// Communications`.
pub fn gap(layer: &str, areas: &[crate::model::Area]) -> String {
    format!(
        "no {} decision for {}",
        areas_text(areas),
        sanitize_line(layer)
    )
}

/// The canvas's gaps grouped by layer, in order: each layer once with the
/// areas it has no decision in (the CLI, the TUI and the report say each
/// group as one [`gap`] sentence).
pub fn canvas_gaps(v: &crate::lens::CanvasView) -> Vec<(&str, Vec<crate::model::Area>)> {
    let mut out: Vec<(&str, Vec<crate::model::Area>)> = vec![];
    for g in &v.gaps {
        match out.last_mut() {
            Some((l, areas)) if *l == g.layer_name => areas.push(g.area),
            _ => out.push((&g.layer_name, vec![g.area])),
        }
    }
    out
}

/// An area as a column heading of the canvas matrix: `business`, `tech`,
/// `UX`, `data`, `security`, `standards`.
pub fn area_short(a: crate::model::Area) -> &'static str {
    use crate::model::Area;
    match a {
        Area::Technology => "tech",
        Area::Ux => "UX",
        a => a.as_str(),
    }
}

/// A canvas cell in the matrix: `✓2 ?1`, or `·` for a gap.
pub fn canvas_cell(decided: usize, open: usize) -> String {
    match (decided, open) {
        (0, 0) => "·".into(),
        (d, 0) => format!("✓{d}"),
        (0, o) => format!("?{o}"),
        (d, o) => format!("✓{d} ?{o}"),
    }
}

/// A canvas cell's decided and open decisions.
pub fn canvas_counts(c: &crate::lens::DecisionCell) -> (usize, usize) {
    let decided = c
        .decisions
        .iter()
        .filter(|d| d.status == DecisionStatus::Decided)
        .count();
    (decided, c.decisions.len() - decided)
}

/// The canvas matrix's columns at `measure` columns, for the CLI and the
/// TUI alike: the layer names' width, then each area's (its cells right
/// aligned in it, the gap before them included). Every area always has its
/// column: the names get their full width when the measure allows
/// (columns evenly wide, else each as wide as its heading or widest cell,
/// two columns apart, else one); else the columns are one apart and the
/// names cut (down to 12) before an area is dropped.
pub fn canvas_columns(v: &crate::lens::CanvasView, measure: usize) -> (usize, Vec<usize>) {
    use unicode_width::UnicodeWidthStr;
    let widest: Vec<usize> = v
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cells = v.rows.iter().filter_map(|r| r.cells.get(i)).map(|c| {
                let (d, o) = canvas_counts(c);
                canvas_cell(d, o).width()
            });
            cells.fold(area_short(*a).width(), usize::max)
        })
        .collect();
    let names = v
        .rows
        .iter()
        .map(|r| sanitize_line(&r.layer.name).width())
        .max()
        .unwrap_or(0);
    let want = (names + 2).clamp(8, 26);
    let most = widest.iter().copied().max().unwrap_or(0);
    let tries: [Vec<usize>; 4] = [
        vec![most + 2; widest.len()],
        vec![most + 1; widest.len()],
        widest.iter().map(|w| w + 2).collect(),
        widest.iter().map(|w| w + 1).collect(),
    ];
    for cols in &tries {
        let sum: usize = cols.iter().sum();
        if sum + want <= measure {
            return ((measure - sum).min(want), cols.clone());
        }
    }
    // Names are cut: the tightest columns leave them the most room.
    let [.., tight] = tries;
    let sum: usize = tight.iter().sum();
    (measure.saturating_sub(sum).max(want.min(12)), tight)
}

/// The facts of a release or work item on one line, each with its role:
/// status, health, confidence, date span (join with [`DOT`]).
pub fn facts(
    status: Status,
    health: Option<Health>,
    confidence: Option<Confidence>,
    span: Option<String>,
) -> Vec<(String, Role)> {
    let mut v = vec![(self::status(status), Role::Status(status))];
    if let Some(h) = health {
        v.push((self::health(h), Role::Health(h)));
    }
    if let Some(c) = confidence {
        v.push((self::confidence(c), Role::Plain));
    }
    if let Some(s) = span {
        v.push((s, Role::Plain));
    }
    v
}

/// What a work card says after its status, compact for 80 columns: its
/// team, its estimate (`10w`) and its date span.
pub fn work_details(c: &WorkCard) -> Vec<String> {
    let mut v = vec![];
    if let Some(t) = &c.team {
        v.push(sanitize_line(t).into_owned());
    }
    if let Some(e) = &c.estimate {
        v.push(sanitize_line(e).into_owned());
    }
    v.extend(span(c.start, c.end));
    v
}

// ----------------------------------------------------------------- planning

/// The mark of an item on a critical path, so it reads without colour.
pub const CRITICAL: &str = "★";

/// A number of days as people say it: `1 day`, `10 days`; from two weeks
/// on, in weeks (rounded): `3 weeks` (the rule is the date model's, so that
/// the planning checks say days alike).
pub use crate::model::date::duration;

/// Where a critical path ends against the target: `3 weeks of slack to the
/// target`, `no slack to the target`, `5 weeks after its target`.
pub fn slack_to_target(days: i64) -> (String, Role) {
    match days {
        0 => ("no slack to the target".into(), Role::Warn),
        d if d > 0 => (
            format!("{} of slack to the target", duration(d)),
            Role::Good,
        ),
        d => (format!("{} after its target", duration(d)), Role::Bad),
    }
}

/// A release's critical path on one line: `Pilot build ← EMC certification
/// ← Sensor board rev B — Device hardware, ends 2027-09-10, 3 weeks of
/// slack to the target` (last step first: `a ← b` is "a needs b").
pub fn critical_path(cp: &CriticalPath) -> Vec<(String, Role)> {
    let chain: Vec<String> = cp
        .steps
        .iter()
        .rev()
        .map(|s| sanitize_line(&s.title).into_owned())
        .collect();
    let mut v = vec![(chain.join(" ← "), Role::Title)];
    if let Some(l) = &cp.layer {
        v.push((format!(" — {}", sanitize_line(l)), Role::Plain));
    }
    v.push((format!(", ends {}", cp.ends), Role::Plain));
    if let Some(d) = cp.slack_days {
        let (t, role) = slack_to_target(d);
        v.push((", ".into(), Role::Plain));
        v.push((t, role));
    }
    v
}

/// Days of effort in weeks, rounded: `38 weeks`; under two weeks in days.
pub fn effort(days: f64) -> String {
    if days < 13.5 {
        let d = days.round() as i64;
        if d == 1 {
            "1 day".into()
        } else {
            format!("{d} days")
        }
    } else {
        format!("{} weeks", (days / 7.0).round() as i64)
    }
}

/// Days of effort, compact for a story-map cell: `12w`, `4d`.
pub fn effort_short(days: f64) -> String {
    if days < 6.5 {
        format!("{}d", days.round() as i64)
    } else {
        format!("{}w", (days / 7.0).round() as i64)
    }
}

/// Where a release's effort goes: `31 of 38 weeks in Device hardware` (the
/// layer with the most; `efforts` most first). `None` without estimates.
pub fn effort_share(efforts: &[LayerEffort]) -> Option<String> {
    let total: f64 = efforts.iter().map(|e| e.days).sum();
    let top = efforts.first().filter(|e| e.days > 0.0)?;
    let name = sanitize_line(&top.name);
    if total < 13.5 {
        return Some(format!(
            "{} of {} in {name}",
            top.days.round() as i64,
            effort(total)
        ));
    }
    Some(format!(
        "{} of {} in {name}",
        (top.days / 7.0).round() as i64,
        effort(total)
    ))
}

/// What a work card says of its schedule: `★ critical`, `slack 3 weeks`
/// (or `2 weeks late`).
pub fn schedule_facts(c: &WorkCard) -> Vec<(String, Role)> {
    let mut v = vec![];
    if c.critical {
        v.push((format!("{CRITICAL} critical"), Role::Warn));
    }
    match c.slack_days {
        Some(d) if d < 0 => v.push((format!("{} late", duration(d)), Role::Bad)),
        Some(d) => v.push((format!("slack {}", duration(d)), Role::Dim)),
        None => {}
    }
    v
}

/// How an item's start was found: `written`, `derived from depends_on
/// accelerometer`, `derived from release v1's start`, …
pub fn start_basis(b: &crate::plan::Basis) -> String {
    use crate::plan::Basis;
    match b {
        Basis::Written(d) => format!("as written ({d})"),
        Basis::Estimate => "derived from its end less its estimate".into(),
        Basis::DependsOn(id) => format!("derived from depends_on {}", sanitize_line(id)),
        Basis::ReleaseStart(id) => format!("derived from release {}'s start", sanitize_line(id)),
        Basis::ReleaseHorizon(id, h) => format!(
            "derived from release {}'s target ({}: its first day)",
            sanitize_line(id),
            h.as_str()
        ),
        Basis::Today => "today: nothing earlier is known".into(),
        Basis::Work => "its first work item's start".into(),
        Basis::NoEstimate => "no estimate".into(),
    }
}

/// How an item's end was found: `as written (2027-07)`, `derived from its
/// start plus its estimate`, `no estimate: taken as no days`, …
pub fn end_basis(b: &crate::plan::Basis) -> String {
    use crate::plan::Basis;
    match b {
        Basis::Written(d) => format!("as written ({d})"),
        Basis::Estimate => "derived from its start plus its estimate".into(),
        Basis::NoEstimate => "no estimate: taken as no days".into(),
        Basis::Work => "its last work item's end".into(),
        other => start_basis(other),
    }
}

/// One item of a dependency chain: `sensor-board — Sensor board rev B
/// [hardware · v1 · ◐ in-progress] ★`; without `place`, its layer and
/// release are left out (the graph groups by them).
pub fn dep_node(n: &crate::plan::DepNode, place: bool) -> Vec<(String, Role)> {
    let mut v = vec![(sanitize_line(&n.id).into_owned(), Role::Dim)];
    if n.title != n.id {
        let role = if n.critical { Role::Warn } else { Role::Plain };
        v.push((format!(" — {}", sanitize_line(&n.title)), role));
    }
    let mut facts = vec![];
    if place {
        match &n.layer {
            Some(l) => facts.push(sanitize_line(l).into_owned()),
            None => facts.push(n.entity.to_string()),
        }
        facts.push(sanitize_line(&n.release).into_owned());
    }
    facts.push(status(n.status));
    v.push((format!("  [{}]", facts.join(DOT)), Role::Dim));
    if n.critical {
        v.push((format!(" {CRITICAL}"), Role::Warn));
    }
    v
}

/// A [`dep_node`] to be wrapped: its bracketed facts never break inside
/// (`[◐ in-progress]`).
pub fn glue_facts(parts: Vec<(String, Role)>) -> Vec<(String, Role)> {
    parts
        .into_iter()
        .map(|(t, r)| {
            if t.starts_with("  [") {
                (format!("  {}", super::glued(t.trim_start())), r)
            } else {
                (t, r)
            }
        })
        .collect()
}

/// `parts` made to fit `width` columns by shortening the title (the part
/// that starts with ` — `) with an ellipsis.
fn fit_title(mut parts: Vec<(String, Role)>, width: usize) -> Vec<(String, Role)> {
    let total: usize = parts.iter().map(|(t, _)| super::width(t)).sum();
    if total <= width {
        return parts;
    }
    if let Some(p) = parts.iter_mut().find(|(t, _)| t.starts_with(" — ")) {
        let room = super::width(&p.0).saturating_sub(total - width).max(4);
        p.0 = super::fit(&p.0, room);
    }
    parts
}

/// A chain as lines of a tree (`├─ `, `└─ `), each node with
/// [`dep_node`] (titles shortened to fit `width`), `(cross-layer)` on edges
/// between layers and `(see above)` on a node whose chain is already shown.
pub fn dep_tree(trees: &[crate::plan::Tree], width: usize) -> Vec<Vec<(String, Role)>> {
    fn walk(
        trees: &[crate::plan::Tree],
        prefix: &str,
        width: usize,
        out: &mut Vec<Vec<(String, Role)>>,
    ) {
        for (i, t) in trees.iter().enumerate() {
            let last = i + 1 == trees.len();
            let mut line = vec![(
                format!("{prefix}{}", if last { "└─ " } else { "├─ " }),
                Role::Dim,
            )];
            line.extend(dep_node(&t.node, true));
            if t.cross_layer {
                line.push((" (cross-layer)".into(), Role::Warn));
            }
            if t.repeated {
                line.push((" (see above)".into(), Role::Dim));
            }
            if t.deeper {
                line.push((
                    format!(
                        " (the chain goes on: {} levels shown)",
                        crate::plan::MAX_CHAIN_DEPTH
                    ),
                    Role::Dim,
                ));
            }
            out.push(fit_title(line, width));
            let deeper = format!("{prefix}{}", if last { "   " } else { "│  " });
            walk(&t.children, &deeper, width, out);
        }
    }
    let mut out = vec![];
    walk(trees, "", width, &mut out);
    out
}

/// An edge of the whole graph: `→ accelerometer (hardware, cross-layer)`,
/// `→ ota-updates (release v2)`.
pub fn dep_edge(e: &crate::plan::GraphEdge) -> Vec<(String, Role)> {
    let mut v = vec![(format!("→ {}", sanitize_line(&e.id)), Role::Plain)];
    let mut notes = vec![];
    if let Some(r) = &e.release {
        notes.push((format!("release {}", sanitize_line(r)), Role::Dim));
    }
    if e.cross_layer
        && let Some(l) = &e.layer
    {
        notes.push((format!("{}, cross-layer", sanitize_line(l)), Role::Warn));
    }
    for (i, (t, r)) in notes.into_iter().enumerate() {
        let open = if i == 0 { " (" } else { "; " };
        v.push((open.to_string(), Role::Dim));
        v.push((t, r));
    }
    if v.len() > 1 {
        v.push((")".into(), Role::Dim));
    }
    v
}

/// Items joined by [`DOT`] (the separators plain).
pub fn dotted(parts: Vec<(String, Role)>) -> Vec<(String, Role)> {
    let mut out = Vec::with_capacity(parts.len() * 2);
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push((DOT.to_string(), Role::Plain));
        }
        out.push(p);
    }
    out
}

// -------------------------------------------------------------------- sales

/// "available now" is good news; a period is plain.
pub fn sales_when_role(w: &When) -> Role {
    match w {
        When::AvailableNow => Role::Good,
        When::Period(_) => Role::Plain,
    }
}

/// A key ordering "when"s in time: available now first, then periods by
/// the end of their interval (`2027-Q3` before `2027-H2` before `later`),
/// then none (exploring).
pub fn sales_when_key(w: Option<&When>, today: Date) -> (u8, (Date, Date)) {
    match w {
        Some(w) => w.sort_key(today),
        None => (2, (Date::MAX, Date::MAX)),
    }
}

// ------------------------------------------------------------------ changes

/// `1 change`, `3 changes`.
pub fn changes_count(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}

/// What happened to a roadmap file.
pub fn file_status(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Added => "new roadmap",
        FileStatus::Removed => "roadmap removed",
        FileStatus::Modified => "modified",
        FileStatus::Unparseable => "cannot parse",
    }
}

/// A file's heading in a diff: `plan.toml (2 changes)`, `plan.toml (cannot
/// parse)`, `old.toml → new.toml (new roadmap)`. `shown`: the changes shown
/// (under a lens); `hidden`: those the lens leaves out.
pub fn file_heading(name: &str, f: &FileDiff, shown: usize, hidden: usize) -> Vec<(String, Role)> {
    let what = match f.status {
        FileStatus::Modified if shown > 0 => changes_count(shown),
        FileStatus::Modified if hidden > 0 => "no changes in this lens".to_string(),
        FileStatus::Modified => "no semantic changes".to_string(),
        s => file_status(s).to_string(),
    };
    let role = if f.status == FileStatus::Unparseable {
        Role::Bad
    } else {
        Role::Dim
    };
    vec![
        (sanitize_line(name).into_owned(), Role::Title),
        (format!(" ({what})"), role),
    ]
}

/// How a change kind is named in a sentence and in counts (`pulled in`).
pub fn change_label(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::PulledIn => "pulled in",
        ChangeKind::CriticalPath => "critical path",
        k => k.as_str(),
    }
}

/// The marker in front of a change, so its kind reads without colour:
/// `+` added, `-` removed, `»` slipped, `«` pulled in, `↷` moved, `!`
/// visibility, `★` critical path, `▲` schedule conflict, `~` any other
/// change.
pub fn change_marker(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Slipped => "»",
        ChangeKind::PulledIn => "«",
        ChangeKind::Moved => "↷",
        ChangeKind::Visibility => "!",
        ChangeKind::CriticalPath => CRITICAL,
        ChangeKind::Conflict => "▲",
        ChangeKind::Renamed
        | ChangeKind::Changed
        | ChangeKind::Status
        | ChangeKind::Health
        | ChangeKind::Confidence
        | ChangeKind::Commitment
        | ChangeKind::Dependencies => "~",
    }
}

/// The heading of a view's schedule conflicts (`show`, the TUI, the
/// report), and what it says when there are none.
pub const CONFLICTS: &str = "Schedule conflicts";
pub const NO_CONFLICTS: &str = "No schedule conflicts.";

/// One schedule conflict as a view lists it, in `check`'s words with the
/// conflict marker: `▲ w2 depends on lw, which is cancelled`.
pub fn conflict(c: &ConflictLine) -> Vec<(String, Role)> {
    vec![
        (
            format!("{} ", change_marker(ChangeKind::Conflict)),
            Role::Warn,
        ),
        (sanitize_line(&c.message).into_owned(), Role::Plain),
    ]
}

/// A slip or a pull-in: `slipped by 1 quarter: 2027-Q3 → 2027-Q4`,
/// `pulled in: later → 2027-Q3` (no amount where a horizon is involved).
/// Values are written as given (callers pass dates, not roadmap prose).
pub fn shift(kind: ChangeKind, amount: Option<Amount>, old: &str, new: &str) -> String {
    shift_parts(kind, amount, old, new)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

fn shift_parts(
    kind: ChangeKind,
    amount: Option<Amount>,
    old: &str,
    new: &str,
) -> Vec<(String, Role)> {
    let mut v = vec![(change_label(kind).to_string(), Role::Change(kind))];
    if let Some(a) = amount {
        v.push((format!(" by {a}"), Role::Title));
    }
    v.push((format!(": {old}"), Role::Plain));
    v.push((format!(" {ARROW} "), Role::Dim));
    v.push((new.to_string(), Role::Title));
    v
}

/// What a timeline says of a target that did not move since the baseline.
pub const SAME_TARGET: &str = "same target:";

/// A target's move as the short tag a timeline draws beside its bar, in the
/// diff's units: `+1 quarter` (slipped), `-3 weeks` (pulled in), `slipped` /
/// `pulled in` (a horizon involved: no honest distance), `refined`, `made
/// less precise`, `same`.
pub fn shift_tag(s: &crate::model::Shift) -> String {
    use crate::model::Shift;
    match s {
        Shift::Slipped { amount: Some(a) } => format!("+{a}"),
        Shift::PulledIn { amount: Some(a) } => format!("-{a}"),
        Shift::Slipped { amount: None } => change_label(ChangeKind::Slipped).into(),
        Shift::PulledIn { amount: None } => change_label(ChangeKind::PulledIn).into(),
        Shift::Refined => "refined".into(),
        Shift::Coarsened => "made less precise".into(),
        Shift::Same => "same".into(),
    }
}

/// The short words for how a timeline row stands against its baseline,
/// without a marker (`+1 quarter`, `not in baseline`, `same`, `no date
/// now`): one wording for the chart, the Mermaid notes and the SVG.
pub fn against_words(
    a: crate::lens::timeline::Against<'_>,
    row: &crate::lens::timeline::TimelineRow,
) -> String {
    use crate::lens::timeline::{Against, Place};
    let moved: String = match a {
        Against::NotInThisVersion => return "not in this version".into(),
        Against::NotInBaseline => return "not in baseline".into(),
        Against::Shift(s) => s.tag(),
        Against::Unchanged => "same".into(),
        Against::Moved => match (row.place, row.baseline.and_then(|b| b.place)) {
            (Place::Unscheduled, _) => "no date now",
            (Place::AvailableNow, _) => "available now",
            (_, Some(Place::Unscheduled)) => "dated now",
            _ => "moved",
        }
        .into(),
    };
    // What sales is promised changed too (planned → committed): said, as
    // the sales diff says it, where the lens shows a commitment.
    match (row.baseline.and_then(|b| b.commitment), row.commitment) {
        (Some(was), Some(now)) if was != now => format!("{moved} · now {}", commitment_tag(now)),
        _ => moved,
    }
}

/// [`against_words`] with its marker and role: `» +1 quarter`, `+ not in
/// baseline`, `= same`, `~ no date now`.
pub fn against_tag(
    a: crate::lens::timeline::Against<'_>,
    row: &crate::lens::timeline::TimelineRow,
) -> (String, Role) {
    use crate::lens::timeline::{Against, ShiftKind};
    let words = against_words(a, row);
    let kind = match a {
        Against::NotInThisVersion => Some(ChangeKind::Removed),
        Against::NotInBaseline => Some(ChangeKind::Added),
        Against::Shift(s) if s.kind == ShiftKind::Slipped => Some(ChangeKind::Slipped),
        Against::Shift(s) if s.kind == ShiftKind::PulledIn => Some(ChangeKind::PulledIn),
        _ => None,
    };
    let same = matches!(a, Against::Unchanged)
        || matches!(a, Against::Shift(s) if s.kind == ShiftKind::Same);
    match kind {
        Some(k) => (format!("{} {words}", change_marker(k)), Role::Change(k)),
        None if same => (format!("= {words}"), Role::Dim),
        None => (format!("~ {words}"), Role::Dim),
    }
}

/// The sentence of one change, each part with its role. A slip or a
/// pull-in is written from its data (kind, amount, old and new values):
/// `slipped by 1 quarter: 2027-Q3 → 2027-Q4`; any other change is its
/// `detail` sentence (`health: on-track → at-risk`).
pub fn sentence(c: &Change) -> Vec<(String, Role)> {
    match (c.kind, &c.old, &c.new) {
        (ChangeKind::Slipped | ChangeKind::PulledIn, Some(o), Some(n)) => {
            shift_parts(c.kind, c.amount, &sanitize_line(o), &sanitize_line(n))
        }
        _ => vec![(sanitize_line(&c.detail).into_owned(), Role::Change(c.kind))],
    }
}

/// One change as its marker and [`sentence`]: how every terminal printer
/// and view writes a change.
pub fn change(c: &Change) -> Vec<(String, Role)> {
    let mut v = sentence(c);
    let marker = format!("{} ", change_marker(c.kind));
    match v.first_mut() {
        Some((t, r)) if *r == Role::Change(c.kind) => t.insert_str(0, &marker),
        _ => v.insert(0, (marker, Role::Change(c.kind))),
    }
    v
}

/// The values under a change whose sentence does not repeat them
/// (`customer_value changed`), in full: the old one as `Removed`, the new
/// one as `Added` (sanitized).
pub fn change_values(c: &Change) -> Vec<(ChangeKind, String)> {
    let repeated = crate::diff::is_short_value(c.old.as_deref())
        && crate::diff::is_short_value(c.new.as_deref());
    if c.kind != ChangeKind::Changed || repeated {
        return vec![];
    }
    let old = c.old.as_deref().map(|v| (ChangeKind::Removed, v));
    let new = c.new.as_deref().map(|v| (ChangeKind::Added, v));
    old.into_iter()
        .chain(new)
        .map(|(k, v)| (k, sanitize_line(v).into_owned()))
        .collect()
}

/// A line of [`change_values`]: `- old` / `+ new`.
pub fn value_line(kind: ChangeKind, value: &str) -> Vec<(String, Role)> {
    vec![
        (format!("{} ", change_marker(kind)), Role::Change(kind)),
        (value.to_string(), Role::Plain),
    ]
}

/// [`change`] as plain text: `» slipped by 1 quarter: 2027-Q3 → 2027-Q4`.
pub fn change_text(c: &Change) -> String {
    plain(&change(c))
}

/// [`sentence`] as plain text (markdown, where a list item is the marker).
pub fn sentence_text(c: &Change) -> String {
    plain(&sentence(c))
}

/// The heading of an entity's changes: `release v2 — Connected fleet`; in
/// the sales lens by its title only (`feature Offline buffering`): sales
/// names features by title, never by id.
pub fn entity_heading(
    entity: EntityKind,
    id: &str,
    title: &str,
    sales: bool,
) -> Vec<(String, Role)> {
    if sales && !title.is_empty() {
        return vec![
            (format!("{} ", entity_noun(entity)), Role::Dim),
            (sanitize_line(title).into_owned(), Role::Title),
        ];
    }
    let mut v = vec![
        (format!("{} ", entity_noun(entity)), Role::Dim),
        (sanitize_line(id).into_owned(), Role::Title),
    ];
    if !title.is_empty() && title != id {
        v.push((format!(" — {}", sanitize_line(title)), Role::Plain));
    }
    v
}

/// Plain text of styled parts.
pub fn plain(parts: &[(String, Role)]) -> String {
    parts.iter().map(|(t, _)| t.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::AmountUnit;

    fn d(s: &str) -> Option<DateSpec> {
        Some(DateSpec::parse(s).unwrap())
    }

    #[test]
    fn metrics_write_the_unit_once() {
        assert_eq!(
            metric(Some(41.0), Some(28.0), Some("hours")),
            "41 → 28 hours"
        );
        assert_eq!(metric(Some(62.0), Some(90.0), Some("%")), "62% → 90%");
        assert_eq!(metric(None, Some(5.0), Some("s")), "? → 5 s");
        assert_eq!(metric(Some(3.0), Some(7.5), None), "3 → 7.5");
        assert_eq!(metric(Some(1.0), Some(2.0), Some("\u{1b}[31mh")), "1 → 2 h");
    }

    #[test]
    fn spans_have_one_form() {
        assert_eq!(
            span(d("2027-01"), d("2027-Q3")).as_deref(),
            Some("2027-01 → 2027-Q3")
        );
        assert_eq!(span(None, d("2027-Q3")).as_deref(), Some("→ 2027-Q3"));
        assert_eq!(span(d("2027-01"), None).as_deref(), Some("from 2027-01"));
        assert_eq!(span(None, None), None);
        // A period written as both ends is said once.
        assert_eq!(span(d("2027-05"), d("2027-05")).as_deref(), Some("2027-05"));
    }

    #[test]
    fn states_have_a_glyph_or_a_word() {
        assert_eq!(status(Status::InProgress), "◐ in-progress");
        assert_eq!(health(Health::OnTrack), "on-track");
        assert_eq!(health(Health::AtRisk), "▲ at-risk");
        assert_eq!(confidence(Confidence::Low), "confidence low");
        assert_eq!(commitment(Commitment::Committed), "Committed");
        let f = facts(
            Status::Planned,
            Some(Health::Blocked),
            Some(Confidence::High),
            span(None, d("2027-Q3")),
        );
        assert_eq!(
            plain(&dotted(f)),
            "○ planned · ▲ blocked · confidence high · → 2027-Q3"
        );
    }

    fn slip() -> Change {
        Change {
            entity: EntityKind::Release,
            id: "v2".into(),
            kind: ChangeKind::Slipped,
            field: Some("target".into()),
            old: Some("2027-Q3".into()),
            new: Some("2027-Q4".into()),
            summary: "whatever the diff said".into(),
            detail: "whatever the diff said".into(),
            title: "Connected fleet".into(),
            amount: Some(Amount {
                n: 1,
                unit: AmountUnit::Quarter,
            }),
        }
    }

    #[test]
    fn a_slip_is_written_from_its_data() {
        assert_eq!(
            change_text(&slip()),
            "» slipped by 1 quarter: 2027-Q3 → 2027-Q4"
        );
        let mut c = slip();
        c.kind = ChangeKind::PulledIn;
        c.amount = None;
        c.old = Some("later".into());
        assert_eq!(change_text(&c), "« pulled in: later → 2027-Q4");
        assert_eq!(
            shift(ChangeKind::Slipped, slip().amount, "a", "b"),
            "slipped by 1 quarter: a → b"
        );
    }

    #[test]
    fn other_changes_are_their_sentence_with_a_marker() {
        let mut c = slip();
        c.kind = ChangeKind::Health;
        c.detail = "health: on-track → at\u{1b}[2J-risk".into();
        assert_eq!(change_text(&c), "~ health: on-track → at-risk");
        assert_eq!(
            plain(&entity_heading(EntityKind::Work, "w1", "Driver", false)),
            "work item w1 — Driver"
        );
        assert_eq!(
            plain(&entity_heading(EntityKind::Release, "v1", "v1", false)),
            "release v1"
        );
    }

    #[test]
    fn sales_periods_sort_by_time_not_by_text() {
        let today = jiff::civil::date(2027, 5, 10);
        let w = |s: &str| {
            Some(match s {
                "available now" => When::AvailableNow,
                p => When::Period(crate::model::DateSpec::parse(p).unwrap()),
            })
        };
        let mut ws = [
            None,
            w("later"),
            w("2027-H2"),
            w("now"),
            w("2028"),
            w("2027-Q3"),
            w("available now"),
            w("next"),
        ];
        ws.sort_by_key(|x| sales_when_key(x.as_ref(), today));
        let text: Vec<Option<String>> = ws.iter().map(|x| x.map(|x| x.to_string())).collect();
        assert_eq!(
            text,
            [
                "available now",
                "now",
                "2027-Q3",
                "2027-H2",
                "next",
                "2028",
                "later"
            ]
            .map(|x| Some(x.to_string()))
            .into_iter()
            .chain([None])
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn durations_slack_and_effort_read_as_people_say_them() {
        assert_eq!(duration(1), "1 day");
        assert_eq!(duration(13), "13 days");
        assert_eq!(duration(20), "3 weeks");
        assert_eq!(duration(-35), "5 weeks");
        assert_eq!(slack_to_target(20).0, "3 weeks of slack to the target");
        assert_eq!(slack_to_target(-35).0, "5 weeks after its target");
        assert_eq!(slack_to_target(0).0, "no slack to the target");
        assert_eq!(effort(266.0), "38 weeks");
        assert_eq!(effort(5.0), "5 days");
        assert_eq!(effort_short(84.0), "12w");
        assert_eq!(effort_short(4.0), "4d");
        let e = |name: &str, days: f64| LayerEffort {
            layer: name.to_lowercase(),
            name: name.into(),
            days,
            unestimated: 0,
        };
        assert_eq!(
            effort_share(&[e("Device hardware", 217.0), e("Apps", 49.0)]).as_deref(),
            Some("31 of 38 weeks in Device hardware")
        );
        assert_eq!(effort_share(&[e("Apps", 0.0)]), None);
        let cp = CriticalPath {
            steps: ["Sensor board rev B", "EMC certification", "Pilot build"]
                .iter()
                .map(|t| crate::lens::PathStep {
                    key: t.to_lowercase(),
                    title: t.to_string(),
                })
                .collect(),
            layer: Some("Device hardware".into()),
            ends: DateSpec::parse("2027-09-10").unwrap(),
            slack_days: Some(20),
        };
        assert_eq!(
            plain(&critical_path(&cp)),
            "Pilot build ← EMC certification ← Sensor board rev B — Device hardware, ends 2027-09-10, 3 weeks of slack to the target"
        );
    }

    #[test]
    fn canvas_gaps_read_as_sentences() {
        use crate::model::Area;
        assert_eq!(
            gap("Communications", &[Area::Security]),
            "no security decision for Communications"
        );
        assert_eq!(
            gap("Apps", &[Area::Business, Area::Ux, Area::Standards]),
            "no business, UX or standards decision for Apps"
        );
        assert_eq!(canvas_cell(0, 0), "·");
        assert_eq!(canvas_cell(2, 1), "✓2 ?1");
    }

    #[test]
    fn every_kind_has_a_marker_and_a_label() {
        for k in ChangeKind::ALL {
            assert!(!change_marker(*k).is_empty());
            assert!(!change_label(*k).contains('_'));
        }
        assert_eq!(file_status(FileStatus::Unparseable), "cannot parse");
    }
}
