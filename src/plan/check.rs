//! Schedule conflicts: what `check` warns about, and what the executive and
//! engineering views list.
//!
//! - a dependency that ends after its dependent starts (only when it surely
//!   does: the earliest its period can end is after the latest its
//!   dependent's start period can start; the same day is fine);
//! - a feature or work item that depends on one of a later release (by the
//!   end of the releases' targets);
//! - a dependency on cancelled or deferred work (the item, its feature or
//!   its release);
//! - an estimate that does not fit between the item's own `start` and `end`;
//! - an open release whose critical path ends after its target.
//!
//! Only open work (planned or in-progress) is checked, against dependencies
//! that are not shipped.

use super::schedule::{Basis, Planned, Schedule, days_between};
use crate::model::{Diagnostic, EntityKind, Feature, Roadmap, Span, Spans, Status};
use jiff::civil::Date;
use serde::Serialize;

/// What kind of schedule conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// A dependency ends after its dependent starts.
    EndsAfterStart,
    /// Depends on an item of a later release.
    LaterRelease,
    /// Depends on cancelled or deferred work.
    DroppedDependency,
    /// The estimate does not fit between the item's own start and end.
    EstimateTooLong,
    /// The release's critical path ends after its target.
    PastTarget,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::EndsAfterStart => "ends_after_start",
            ConflictKind::LaterRelease => "later_release",
            ConflictKind::DroppedDependency => "dropped_dependency",
            ConflictKind::EstimateTooLong => "estimate_too_long",
            ConflictKind::PastTarget => "past_target",
        }
    }
}

/// One schedule conflict.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// What it is about: a work item, a feature, or a release.
    pub entity: EntityKind,
    /// Its id (a work item's key).
    pub id: String,
    /// The dependency involved, when there is one (its id).
    pub other: Option<String>,
    /// One sentence: "`sensor-driver` starts 2027-02 but depends on
    /// `accelerometer`, which ends 2027-03".
    pub message: String,
    /// Under the caret.
    pub label: String,
    pub notes: Vec<String>,
    /// Where in the file (`None` for hand-built roadmaps).
    pub span: Option<Span>,
}

impl Conflict {
    /// As a located warning.
    pub fn diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::warning(self.span.clone(), &self.message).with_label(&self.label);
        for n in &self.notes {
            d = d.with_note(n);
        }
        d
    }
}

fn finished(s: Status) -> bool {
    !matches!(s, Status::Planned | Status::InProgress)
}

fn dropped(s: Status) -> bool {
    matches!(s, Status::Cancelled | Status::Deferred)
}

/// `2027-03` when written, `2027-03-14 (derived)` when not.
fn when(day: Date, basis: &Basis) -> String {
    match basis {
        Basis::Written(d) => d.to_string(),
        _ => format!("{day} (derived)"),
    }
}

/// The latest day a start can be: the last day of a written period
/// (`None`: open-ended), else the derived day.
fn latest_start(p: &Planned, today: Date) -> Option<Date> {
    match &p.start_basis {
        Basis::Written(d) => d.interval(today).end.map(|e| e.yesterday().unwrap_or(e)),
        _ => Some(p.start),
    }
}

/// The earliest day an item can end on: the first day of a written end's
/// period, else its last day; a feature with work, the latest of its work's.
fn earliest_end(r: &Roadmap, s: &Schedule, p: &Planned) -> Date {
    match (&p.end_basis, p.node.work) {
        (Basis::Work, None) => {
            let f = &r.features[p.node.feature];
            (0..f.work.len())
                .map(|wi| s.work(p.node.feature, wi))
                .filter(|w| w.open)
                .map(|w| earliest_end(r, s, w))
                .max()
                .unwrap_or_else(|| p.last_day())
        }
        (Basis::Written(d), _) => d.interval(r.today).start,
        _ => p.last_day(),
    }
}

/// The status of an item and why it is out: itself, its feature, its
/// release.
fn dropped_because(r: &Roadmap, p: &Planned) -> Option<String> {
    let f = &r.features[p.node.feature];
    if let Some(wi) = p.node.work {
        let st = f.work[wi].status();
        if dropped(st) {
            return Some(format!("which is {st}"));
        }
        if dropped(f.status()) {
            return Some(format!("whose feature `{}` is {}", f.id, f.status()));
        }
    } else if dropped(f.status()) {
        return Some(format!("which is {}", f.status()));
    }
    let rel = r.release(&f.release)?;
    dropped(rel.status()).then(|| format!("whose release {} is {}", rel.id, rel.status()))
}

fn status_of(r: &Roadmap, p: &Planned) -> Status {
    let f = &r.features[p.node.feature];
    match p.node.work {
        Some(wi) => f.work[wi].status(),
        None => f.status(),
    }
}

/// A release's target as `v1 (2027-Q3)`.
fn release_words(r: &Roadmap, id: &str) -> String {
    match r.release(id).and_then(|x| x.target) {
        Some(t) => format!("{id} ({t})"),
        None => id.to_string(),
    }
}

/// Every schedule conflict of `r`, in file order.
pub fn conflicts(r: &Roadmap, s: &Schedule) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    let today = r.today;
    let target_end = |rel: &str| -> Option<(Date, Date)> {
        let t = r.release(rel)?.target?;
        Some(t.sort_key(today))
    };
    for (fi, f) in r.features.iter().enumerate() {
        // A feature's own dependencies hold up its work: they are checked
        // against its earliest-starting open work (or the feature itself
        // when it has none).
        let fp = s.feature(fi);
        let first_work = (0..f.work.len())
            .map(|wi| s.work(fi, wi))
            .filter(|w| w.open)
            .min_by_key(|w| w.start);
        let feature_as = first_work.unwrap_or(fp);
        if fp.open {
            deps(
                r,
                s,
                f,
                &f.depends_on,
                &f.spans,
                fp,
                feature_as,
                &target_end,
                &mut out,
            );
        }
        for (wi, w) in f.work.iter().enumerate() {
            let wp = s.work(fi, wi);
            if wp.open {
                deps(
                    r,
                    s,
                    f,
                    &w.depends_on,
                    &w.spans,
                    wp,
                    wp,
                    &target_end,
                    &mut out,
                );
            }
            // An estimate longer than its own start to end allows.
            if let (Some(st), Some(en), Some(days)) = (&w.start, &w.end, wp.days)
                && !dropped(w.status())
            {
                let from = st.interval(today).start;
                let to = {
                    let iv = en.interval(today);
                    iv.end.unwrap_or(Date::MAX)
                };
                let room = days_between(from, to).max(0);
                let need = if days.is_finite() {
                    days.ceil() as i64
                } else {
                    i64::MAX
                };
                if need > room {
                    let est = w
                        .estimate_text
                        .clone()
                        .or_else(|| w.estimate.as_ref().map(|e| e.to_string()))
                        .unwrap_or_default();
                    out.push(Conflict {
                        kind: ConflictKind::EstimateTooLong,
                        entity: EntityKind::Work,
                        id: wp.key.to_string(),
                        other: None,
                        message: format!(
                            "`{}`: estimate {est} ({need} days) does not fit between its start {st} and end {en} ({room} days at most)",
                            wp.key
                        ),
                        label: "longer than its start to its end".into(),
                        notes: vec![
                            "move the start or the end, or revise the estimate".into(),
                        ],
                        span: w.spans.of("estimate"),
                    });
                }
            }
        }
    }
    // Releases whose critical path ends after their target.
    for (ri, rel) in r.releases.iter().enumerate() {
        let rp = &s.releases[ri];
        if finished(rel.status()) {
            continue;
        }
        let (Some(end), Some(target_end), Some(target)) =
            (s.path_end(rp), rp.target_end, rel.target)
        else {
            continue;
        };
        if end <= target_end {
            continue;
        }
        let last = end.yesterday().unwrap_or(end);
        let late = days_between(target_end, end);
        let chain: Vec<&str> = rp
            .path
            .iter()
            .rev()
            .map(|&i| s.items[i].key.as_ref())
            .collect();
        out.push(Conflict {
            kind: ConflictKind::PastTarget,
            entity: EntityKind::Release,
            id: rel.id.clone(),
            other: None,
            message: format!("{} targets {target}, its critical path ends {last}", rel.id),
            label: format!("{} after this target", crate::model::date::duration(late)),
            notes: vec![format!("critical path: {}", chain_text(&chain))],
            span: rel.spans.of("target"),
        });
    }
    // File order (stable for roadmaps without spans).
    out.sort_by_key(|c| c.span.as_ref().map(|s| s.start).unwrap_or(0));
    out
}

/// A critical path's items, last first, in a note: a long chain by its
/// first dozen items and how many more.
fn chain_text(chain: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut text = chain
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(" ← ");
    if chain.len() > SHOWN {
        text.push_str(&format!(" ← … ({} items in all)", chain.len()));
    }
    text
}

/// The conflicts of one `depends_on` list: of item `owner` (whose spans
/// locate it), checked against the start of `starts`.
#[allow(clippy::too_many_arguments)]
fn deps(
    r: &Roadmap,
    s: &Schedule,
    f: &Feature,
    list: &[String],
    spans: &Spans,
    owner: &Planned,
    starts: &Planned,
    target_end: &dyn Fn(&str) -> Option<(Date, Date)>,
    out: &mut Vec<Conflict>,
) {
    let today = r.today;
    let name = &owner.key;
    for (i, id) in list.iter().enumerate() {
        let at = spans.of(&format!("depends_on[{i}]"));
        let Some(dep) = s
            .get(EntityKind::Feature, id)
            .or_else(|| s.get(EntityKind::Work, id))
        else {
            continue;
        };
        if dep.key == owner.key && dep.entity == owner.entity
            || (dep.entity == EntityKind::Feature && dep.node.feature == owner.node.feature)
        {
            continue;
        }
        if let Some(why) = dropped_because(r, dep) {
            out.push(Conflict {
                kind: ConflictKind::DroppedDependency,
                entity: owner.entity,
                id: name.to_string(),
                other: Some(id.clone()),
                message: format!("`{name}` depends on `{id}`, {why}"),
                label: "this dependency will not be delivered".into(),
                notes: vec!["remove the dependency, or plan the work it stands for".into()],
                span: at,
            });
            continue;
        }
        let dep_done = status_of(r, dep) == Status::Shipped;
        if dep_done {
            continue;
        }
        // A later release.
        if let (Some(mine), Some(theirs)) = (target_end(&f.release), target_end(dep.release))
            && theirs.0 > mine.0
        {
            out.push(Conflict {
                kind: ConflictKind::LaterRelease,
                entity: owner.entity,
                id: name.to_string(),
                other: Some(id.clone()),
                message: format!(
                    "`{name}` of release {} depends on `{id}` of the later release {}",
                    release_words(r, &f.release),
                    release_words(r, dep.release)
                ),
                label: "a dependency on a later release".into(),
                notes: vec!["move one of them to another release, or drop the dependency".into()],
                span: at.clone(),
            });
        }
        // Ends after the dependent starts.
        let (Some(latest), earliest) = (latest_start(starts, today), earliest_end(r, s, dep))
        else {
            continue;
        };
        if earliest > latest {
            let who = if starts.key == owner.key {
                format!("`{name}` starts")
            } else {
                format!("`{}` (of feature `{name}`) starts", starts.key)
            };
            let dep_end = match (&dep.end_basis, dep.node.work) {
                (Basis::Work, None) => format!("{} (its last work)", dep.last_day()),
                _ => when(dep.last_day(), &dep.end_basis),
            };
            out.push(Conflict {
                kind: ConflictKind::EndsAfterStart,
                entity: owner.entity,
                id: name.to_string(),
                other: Some(id.clone()),
                message: format!(
                    "{who} {} but depends on `{id}`, which ends {dep_end}",
                    when(starts.start, &starts.start_basis)
                ),
                label: format!("needs `{id}` to end first"),
                notes: vec![
                    "start it after its dependency ends, or finish the dependency earlier".into(),
                ],
                span: at,
            });
        }
    }
}

#[cfg(test)]
mod chain_tests {
    #[test]
    fn a_long_chain_is_named_by_its_first_items() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let chain: Vec<&str> = ids.iter().map(String::as_str).collect();
        let text = super::chain_text(&chain);
        assert!(text.starts_with("w0 ← w1 ← "), "{text}");
        assert!(text.ends_with("w11 ← … (20000 items in all)"), "{text}");
        assert_eq!(super::chain_text(&chain[..3]), "w0 ← w1 ← w2");
    }
}
