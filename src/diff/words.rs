//! How a change is said, and in which order changes come: shared by the
//! full diff ([`super::compare`]) and the audience diffs
//! ([`super::audience`]), so both word the same change the same way.

use super::{Change, ChangeKind, entity_noun};
use crate::model::EntityKind;
use crate::model::date::{DateSpec, Shift};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};

/// Values longer than this are not repeated in a summary sentence.
const SHORT: usize = 48;

/// Whether a sentence repeats a value (short and on one line); a longer
/// one is said as "`field` changed" and printed under the change.
pub fn is_short(v: Option<&str>) -> bool {
    v.is_none_or(|t| t.chars().count() <= SHORT && !t.contains('\n'))
}

fn shown(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

pub(super) fn quoted(t: &str) -> String {
    format!("\"{t}\"")
}

/// `added: "Title" (note)` / `removed: "Title"`.
pub(super) fn presence(kind: ChangeKind, title: &str, note: Option<&str>) -> String {
    let verb = if kind == ChangeKind::Added {
        "added"
    } else {
        "removed"
    };
    let mut detail = format!("{verb}: {}", quoted(title));
    if let Some(e) = note {
        detail.push_str(&format!(" ({e})"));
    }
    detail
}

/// A field that differs: `renamed: "a" → "b"`, `owner: A → B`, or for long
/// values `vision changed` / `set` / `removed`.
pub(super) fn field(
    field: &str,
    kind: ChangeKind,
    old: &Option<String>,
    new: &Option<String>,
) -> String {
    match kind {
        ChangeKind::Renamed => format!(
            "renamed: {} → {}",
            old.as_deref()
                .map(quoted)
                .unwrap_or_else(|| "(none)".into()),
            new.as_deref()
                .map(quoted)
                .unwrap_or_else(|| "(none)".into())
        ),
        _ if is_short(old.as_deref()) && is_short(new.as_deref()) => {
            format!("{field}: {} → {}", shown(old), shown(new))
        }
        _ => match (old, new) {
            (None, Some(_)) => format!("{field} set"),
            (Some(_), None) => format!("{field} removed"),
            _ => format!("{field} changed"),
        },
    }
}

/// A target that moved, as its change kind and sentence: `slipped by 1
/// quarter: 2027-Q3 → 2027-Q4`, `pulled in: …`, `target refined: …`,
/// `target made less precise: …`; `None` when it is the same.
pub(super) fn target(
    field: &str,
    shift: &Shift,
    a: &DateSpec,
    b: &DateSpec,
) -> Option<(ChangeKind, String)> {
    let (kind, verb, amount) = match shift {
        Shift::Slipped { amount } => (ChangeKind::Slipped, "slipped", amount),
        Shift::PulledIn { amount } => (ChangeKind::PulledIn, "pulled in", amount),
        Shift::Refined => {
            return Some((ChangeKind::Changed, format!("{field} refined: {a} → {b}")));
        }
        Shift::Coarsened => {
            return Some((
                ChangeKind::Changed,
                format!("{field} made less precise: {a} → {b}"),
            ));
        }
        Shift::Same => return None,
    };
    let by = amount.map(|x| format!(" by {x}")).unwrap_or_default();
    Some((kind, format!("{verb}{by}: {a} → {b}")))
}

/// `moved from release v1 to v2`.
pub(super) fn moved(name: &str, old: &str, new: &str) -> String {
    format!("moved from {name} {old} to {new}")
}

/// `dependencies: now depends on a, b; no longer on c` (in the order given).
pub(super) fn dependencies(added: &[&str], removed: &[&str]) -> String {
    let mut parts = vec![];
    if !added.is_empty() {
        parts.push(format!("now depends on {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer on {}", removed.join(", ")));
    }
    format!("dependencies: {}", parts.join("; "))
}

/// `dependents: now needed by a; no longer by c`.
pub(super) fn dependents(added: &[&str], removed: &[&str]) -> String {
    let mut parts = vec![];
    if !added.is_empty() {
        parts.push(format!("now needed by {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer by {}", removed.join(", ")));
    }
    format!("dependents: {}", parts.join("; "))
}

/// A critical path through other work: `critical path now: a ← b ← c
/// (was a ← d)` (keys, last first).
pub(super) fn critical_chain(old: &[String], new: &[String]) -> String {
    let chain = |v: &[String]| -> String {
        if v.is_empty() {
            "none".into()
        } else {
            v.iter().rev().cloned().collect::<Vec<_>>().join(" ← ")
        }
    };
    format!("critical path now: {} (was {})", chain(new), chain(old))
}

/// Where a critical path ends and its slack: `2027-10-14, 5 weeks after its
/// target`.
fn path_end(end: Date, slack: Option<i64>) -> String {
    match slack {
        Some(d) => format!("{end}, {}", crate::vocab::slack_to_target(d).0),
        None => end.to_string(),
    }
}

/// `critical path now ends 2027-10-14, 5 weeks after its target (was
/// 2027-09-10, 3 weeks of slack to the target)`.
pub(super) fn critical_end(
    old: Option<(Date, Option<i64>)>,
    new: Option<(Date, Option<i64>)>,
) -> String {
    match (old, new) {
        (Some((a, sa)), Some((b, sb))) => format!(
            "critical path now ends {} (was {})",
            path_end(b, sb),
            path_end(a, sa)
        ),
        (None, Some((b, sb))) => format!("critical path ends {}", path_end(b, sb)),
        (Some((a, sa)), None) => format!("no critical path left (it ended {})", path_end(a, sa)),
        (None, None) => "critical path unchanged".into(),
    }
}

/// `critical path now mostly in Device software (was Device hardware)`.
pub(super) fn critical_layer(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(a), Some(b)) => format!("critical path now mostly in {b} (was {a})"),
        (None, Some(b)) => format!("critical path now mostly in {b}"),
        (Some(a), None) => format!("critical path no longer in {a}"),
        (None, None) => "critical path layer unchanged".into(),
    }
}

/// A work item joining or leaving a critical path.
pub(super) fn critical_mark(now: bool) -> &'static str {
    if now {
        "is now on the critical path"
    } else {
        "is no longer on the critical path"
    }
}

/// One layer's effort, exactly: `Device hardware 70 days`, `Device
/// software 21 days + 1 without estimate`, `Cloud platform 1 without
/// estimate`.
pub(super) fn effort_of(layer: &str, days: f64, missing: usize) -> String {
    let days = crate::lens::fmt_num(days);
    match (days.as_str(), missing) {
        (_, 0) => format!("{layer} {days} days"),
        ("0", m) => format!("{layer} {m} without estimate"),
        (_, m) => format!("{layer} {days} days + {m} without estimate"),
    }
}

/// Effort that changed, layer by layer: `effort: Device hardware 70 → 84
/// days; Cloud platform 14 days → none`.
pub(super) fn effort(old: &[(String, u64, usize)], new: &[(String, u64, usize)]) -> String {
    let find = |v: &[(String, u64, usize)], l: &str| {
        v.iter()
            .find(|(x, _, _)| x == l)
            .map(|(_, d, m)| (f64::from_bits(*d), *m))
    };
    let say = |l: &str, x: Option<(f64, usize)>| match x {
        Some((d, m)) => effort_of(l, d, m),
        None => format!("{l} none"),
    };
    let mut layers: Vec<&str> = new.iter().map(|(l, _, _)| l.as_str()).collect();
    for (l, _, _) in old {
        if !layers.contains(&l.as_str()) {
            layers.push(l);
        }
    }
    let mut parts = vec![];
    for l in layers {
        let (a, b) = (find(old, l), find(new, l));
        if a == b {
            continue;
        }
        let (sa, sb) = (say(l, a), say(l, b));
        parts.push(format!(
            "{sa} → {}",
            sb.strip_prefix(l).unwrap_or(&sb).trim_start()
        ));
    }
    if parts.is_empty() {
        // Only the order of the layers changed.
        return "effort: layers now in another order".into();
    }
    format!("effort: {}", parts.join("; "))
}

/// Schedule conflicts that appeared, were resolved or changed:
/// `schedule conflict: …; resolved: …`.
pub(super) fn conflicts(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> String {
    let mut parts = vec![];
    for (k, m) in new {
        match old.get(k) {
            None => parts.push(format!("schedule conflict: {m}")),
            Some(o) if o != m => parts.push(format!("schedule conflict now: {m}")),
            Some(_) => {}
        }
    }
    for (k, m) in old {
        if !new.contains_key(k) {
            parts.push(format!("schedule conflict resolved: {m}"));
        }
    }
    parts.join("; ")
}

/// The sentence of a visibility change.
pub(super) fn visibility(now_public: bool) -> &'static str {
    if now_public {
        "is now visible to sales"
    } else {
        "is now internal (hidden from sales)"
    }
}

/// A change before ordering: where its entity sits, for grouping.
pub(super) struct Pending {
    pub change: Change,
    /// Position of the entity in its file or view (new side, else old), for
    /// ties.
    pub pos: usize,
    pub seq: usize,
}

/// Collects changes, then orders them.
#[derive(Default)]
pub(super) struct Changes {
    pub out: Vec<Pending>,
    /// Name features by their title, never their id (the sales audience);
    /// the id stays in [`Change::id`], a key for scripts.
    pub by_title: bool,
}

impl Changes {
    /// One change; `summary` is `"<entity> <id> <detail>"`.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        entity: EntityKind,
        id: &str,
        title: &str,
        kind: ChangeKind,
        field: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        detail: String,
        pos: usize,
    ) -> &mut Change {
        let noun = entity_noun(entity);
        let summary = if self.by_title && entity == EntityKind::Feature && !title.is_empty() {
            let quoted_title = quoted(title);
            if detail.contains(&quoted_title) {
                // (`added: "SMS alerts"` names it already.)
                format!("{noun} {detail}")
            } else {
                format!("{noun} {quoted_title} {detail}")
            }
        } else if id.is_empty() {
            format!("{noun} {detail}")
        } else {
            format!("{noun} {id} {detail}")
        };
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
                amount: None,
            },
            pos,
            seq,
        });
        &mut self.out[seq].change
    }

    /// Group by entity; order groups by their most important change, then
    /// entity kind, then position; within a group by importance.
    pub fn finish(self) -> Vec<Change> {
        let mut groups: Vec<(EntityKind, Vec<Pending>)> = vec![];
        let mut index: HashMap<(EntityKind, String), usize> = HashMap::new();
        for p in self.out {
            let key = (p.change.entity, p.change.id.clone());
            match index.get(&key) {
                Some(&i) => groups[i].1.push(p),
                None => {
                    index.insert(key, groups.len());
                    groups.push((p.change.entity, vec![p]));
                }
            }
        }
        for g in &mut groups {
            g.1.sort_by_key(|p| (p.change.kind.rank(), p.seq));
        }
        groups.sort_by_key(|(kind, ps)| {
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
            .flat_map(|(_, ps)| ps.into_iter().map(|p| p.change))
            .collect()
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
