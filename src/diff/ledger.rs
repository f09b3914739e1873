//! Per-entity history (`roadlens log --entity ID`, the TUI's detail): every
//! change to one entity, oldest first, and for a release or a feature the
//! ledger of its target dates with the total slip.
//!
//! Pure: the caller walks history and hands in, per revision, the entity's
//! changes and its target there (see `crate::diff::history::entity_ledger`
//! for the walk); each revision is tagged with whatever identifies it for
//! the caller (a commit stamp, an index...).
//!
//! # How a target ledger counts
//!
//! Consecutive targets are compared with [`compare`], as the diff does: each
//! step is a slip, a pull-in, a refinement (the same period said more or
//! less precisely, `2027-Q3` → `2027-08-16`), a move (a feature moved to a
//! release with the same target) or another change (a target set or
//! removed). Refinements and moves are listed but never counted as slips.
//!
//! The total compares the first target with the last, measured in the
//! coarser of their two units: `2027-Q1 → 2027-Q2 → 2027-Q3 → 2027-08-16`
//! "slipped 2 quarters" (the promise was a quarter; it now falls two
//! quarters later), not "138 days".

use crate::diff::{Change, ChangeKind};
use crate::model::date::{DateSpec, Shift, compare};
use crate::model::{EntityKind, Roadmap};
use jiff::civil::Date;

/// An entity's target at one revision.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetFact {
    pub entity: EntityKind,
    /// The target as written (`None`: no target).
    pub target: Option<DateSpec>,
    /// For a feature: the release it is in (its target is the release's).
    pub release: Option<String>,
    /// What horizons resolve against at that revision.
    pub today: Date,
}

/// What `id` names in `r` and its target there: a release's own, or a
/// feature's release's. `None` when `id` is neither.
pub fn target_fact(r: &Roadmap, id: &str) -> Option<TargetFact> {
    if let Some(rel) = r.release(id) {
        return Some(TargetFact {
            entity: EntityKind::Release,
            target: rel.target,
            release: None,
            today: r.today,
        });
    }
    let f = r.feature(id)?;
    Some(TargetFact {
        entity: EntityKind::Feature,
        target: r.release(&f.release).and_then(|rel| rel.target),
        release: Some(f.release.clone()),
        today: r.today,
    })
}

/// The target as it was from one revision on (recorded only where it changed).
#[derive(Clone, Debug, PartialEq)]
pub struct TargetPoint<R> {
    /// The caller's tag for the revision where this target first appears.
    pub rev: R,
    /// The target as written (`None`: no target).
    pub target: Option<DateSpec>,
    /// For a feature: the release it is in (its target is the release's).
    pub release: Option<String>,
}

/// How the steps between consecutive targets count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Steps {
    pub slips: usize,
    pub pull_ins: usize,
    /// The same period said more or less precisely: not a slip.
    pub refinements: usize,
    /// A feature moved to a release with the same target.
    pub moves: usize,
    /// A target set or removed.
    pub other: usize,
}

impl Steps {
    /// "2 slips, 1 refinement" (the kinds that occur).
    pub fn text(&self) -> String {
        let part = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        [
            part(self.slips, "slip", "slips"),
            part(self.pull_ins, "pull-in", "pull-ins"),
            part(self.refinements, "refinement", "refinements"),
            part(self.moves, "move", "moves"),
            part(self.other, "other change", "other changes"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetLedger<R> {
    pub entity: EntityKind,
    pub id: String,
    /// Oldest first; consecutive points differ in target or release.
    pub points: Vec<TargetPoint<R>>,
    /// What each step between consecutive points was.
    pub steps: Steps,
    /// First target against the last, in the coarser of their units
    /// (`None` when either is missing).
    pub total: Option<Shift>,
    /// "v2: 2027-Q1 → 2027-Q2 → 2027-Q3 → 2027-08-16, slipped 2 quarters
    /// (2 slips, 1 refinement)".
    pub summary: String,
}

impl<R> TargetLedger<R> {
    /// How many times the target (or a feature's release) changed.
    pub fn changes(&self) -> usize {
        self.points.len().saturating_sub(1)
    }
}

/// Summaries with more targets than this elide the middle ones.
const MAX_STEPS: usize = 9;

/// The target ledger of release or feature `id` over `snapshots` (oldest
/// first; `None` where the roadmap could not be read at that revision, which
/// is skipped). `None` when `id` is never a release or feature.
pub fn target_ledger<'a, R>(
    id: &str,
    snapshots: impl IntoIterator<Item = (R, Option<&'a Roadmap>)>,
) -> Option<TargetLedger<R>> {
    target_ledger_of(
        id,
        snapshots
            .into_iter()
            .filter_map(|(rev, r)| Some((rev, target_fact(r?, id)?))),
    )
}

/// Two targets compared for a ledger total: the direction from
/// [`compare`], the amount in the coarser of the two units.
fn total_shift(first: &DateSpec, last: &DateSpec, today: Date) -> Shift {
    let shift = compare(first, last, today);
    let unit = first.precision().max(last.precision());
    let coarse = compare(&first.coarsened(unit), &last.coarsened(unit), today);
    match (shift, coarse) {
        (Shift::Slipped { .. }, Shift::Slipped { amount: Some(a) }) => {
            Shift::Slipped { amount: Some(a) }
        }
        (Shift::PulledIn { .. }, Shift::PulledIn { amount: Some(a) }) => {
            Shift::PulledIn { amount: Some(a) }
        }
        (shift, _) => shift,
    }
}

/// [`target_ledger`] from the entity's target at each revision where it
/// exists (oldest first).
pub fn target_ledger_of<R>(
    id: &str,
    facts: impl IntoIterator<Item = (R, TargetFact)>,
) -> Option<TargetLedger<R>> {
    let mut entity = None;
    let mut points: Vec<TargetPoint<R>> = vec![];
    let mut today = None;
    let mut steps = Steps::default();
    for (rev, fact) in facts {
        entity = Some(fact.entity);
        today = Some(fact.today);
        let Some(last) = points.last() else {
            points.push(TargetPoint {
                rev,
                target: fact.target,
                release: fact.release,
            });
            continue;
        };
        if last.target == fact.target && last.release == fact.release {
            continue;
        }
        match (&last.target, &fact.target) {
            (Some(a), Some(b)) => match compare(a, b, fact.today) {
                Shift::Slipped { .. } => steps.slips += 1,
                Shift::PulledIn { .. } => steps.pull_ins += 1,
                Shift::Refined => steps.refinements += 1,
                // Vaguer, its end unchanged: neither a slip nor a refinement.
                Shift::Coarsened => steps.other += 1,
                Shift::Same => steps.moves += 1,
            },
            (None, None) => steps.moves += 1,
            _ => steps.other += 1,
        }
        points.push(TargetPoint {
            rev,
            target: fact.target,
            release: fact.release,
        });
    }
    let entity = entity?;
    let total = match (points.first(), points.last(), today) {
        (Some(a), Some(b), Some(t)) => match (a.target, b.target) {
            (Some(x), Some(y)) => Some(total_shift(&x, &y, t)),
            _ => None,
        },
        _ => None,
    };
    let summary = summary(id, &points, &steps, total.as_ref());
    Some(TargetLedger {
        entity,
        id: id.to_string(),
        points,
        steps,
        total,
        summary,
    })
}

fn summary<R>(id: &str, points: &[TargetPoint<R>], steps: &Steps, total: Option<&Shift>) -> String {
    let shown: Vec<String> = points
        .iter()
        .map(|p| {
            let t = p
                .target
                .map(|t| t.to_string())
                .unwrap_or_else(|| "(no target)".into());
            match &p.release {
                Some(rel) => format!("{t} ({rel})"),
                None => t,
            }
        })
        .collect();
    // A long history keeps its first and last targets readable.
    let shown = if shown.len() > MAX_STEPS {
        let mut short: Vec<String> = shown[..3].to_vec();
        short.push(format!("… {} more …", shown.len() - 6));
        short.extend_from_slice(&shown[shown.len() - 3..]);
        short
    } else {
        shown
    };
    if points.len() < 2 {
        return format!("{id}: {}, unchanged", shown.join(" → "));
    }
    let net = match total {
        Some(Shift::Slipped { amount: Some(a) }) => format!("slipped {a}"),
        Some(Shift::Slipped { amount: None }) => "slipped".into(),
        Some(Shift::PulledIn { amount: Some(a) }) => format!("pulled in {a}"),
        Some(Shift::PulledIn { amount: None }) => "pulled in".into(),
        Some(Shift::Refined) => "refined".into(),
        Some(Shift::Coarsened) => "made less precise".into(),
        Some(Shift::Same) if steps.slips + steps.pull_ins > 0 => "back where it started".into(),
        Some(Shift::Same) => "same target".into(),
        None => "changed".into(),
    };
    format!("{id}: {}, {net} ({})", shown.join(" → "), steps.text())
}

/// One entity's history: its changes revision by revision (oldest first,
/// only revisions that changed it) and, for a release or a feature, its
/// target ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Ledger<R> {
    pub id: String,
    pub entries: Vec<(R, Vec<Change>)>,
    pub target: Option<TargetLedger<R>>,
}

/// What a line of a printed ledger is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A revision: "abc1234 2027-01-04 Ada: Slip v2".
    Revision,
    /// A change made there: "slipped by 1 quarter: 2027-Q3 → 2027-Q4".
    Change(ChangeKind),
    /// The target ledger: "Target: v2: 2027-Q3 → 2027-Q4, slipped 1 quarter (1 slip)".
    Target,
}

/// One line of a ledger as the CLI and the TUI print it (raw text: sanitize
/// before printing; indent by kind).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

impl<R: std::fmt::Display> Ledger<R> {
    /// The ledger as lines, the same words everywhere: each revision, the
    /// changes made there, then the target ledger.
    pub fn lines(&self) -> Vec<Line> {
        let mut out = vec![];
        for (rev, changes) in &self.entries {
            out.push(Line {
                kind: LineKind::Revision,
                text: rev.to_string(),
            });
            for c in changes {
                out.push(Line {
                    kind: LineKind::Change(c.kind),
                    text: c.detail.clone(),
                });
            }
        }
        if let Some(t) = &self.target {
            out.push(Line {
                kind: LineKind::Target,
                text: format!("Target: {}", t.summary),
            });
        }
        out
    }
}

impl<R> Ledger<R> {
    /// The newest change (for a heading: the entity's kind and title).
    pub fn last_change(&self) -> Option<&Change> {
        self.entries.last().and_then(|(_, c)| c.last())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fact(target: &str) -> TargetFact {
        TargetFact {
            entity: EntityKind::Release,
            target: Some(DateSpec::parse(target).expect("date")),
            release: None,
            today: date(2027, 1, 10),
        }
    }

    fn ledger(targets: &[&str]) -> TargetLedger<usize> {
        target_ledger_of("v1", targets.iter().map(|t| fact(t)).enumerate()).expect("ledger")
    }

    #[test]
    fn refinements_are_listed_not_counted_and_the_total_keeps_the_coarser_unit() {
        let l = ledger(&["2027-Q1", "2027-Q2", "2027-Q3", "2027-08-16"]);
        assert_eq!(
            l.summary,
            "v1: 2027-Q1 → 2027-Q2 → 2027-Q3 → 2027-08-16, slipped 2 quarters (2 slips, 1 refinement)"
        );
        assert_eq!(
            l.steps,
            Steps {
                slips: 2,
                refinements: 1,
                ..Steps::default()
            }
        );
        assert_eq!(l.points.len(), 4, "the refinement is listed");
        // The first target finer than the last: the last one's unit.
        let l = ledger(&["2027-08-16", "2027-Q4"]);
        assert!(
            l.summary.ends_with("slipped 1 quarter (1 slip)"),
            "{}",
            l.summary
        );
        // Two days: counted in days.
        let l = ledger(&["2027-08-16", "2027-08-18"]);
        assert!(
            l.summary.ends_with("slipped 2 days (1 slip)"),
            "{}",
            l.summary
        );
        // Months against a half: in quarters (halves count in quarters).
        let l = ledger(&["2027-02", "2027-H2"]);
        assert!(
            l.summary.ends_with("slipped 2 quarters (1 slip)"),
            "{}",
            l.summary
        );
        let l = ledger(&["2027-Q3", "2027-08-16", "2027-Q2"]);
        assert!(
            l.summary
                .ends_with("pulled in 1 quarter (1 pull-in, 1 refinement)"),
            "{}",
            l.summary
        );
        let l = ledger(&["2027-Q3", "2027-08-16"]);
        assert!(
            l.summary.ends_with("refined (1 refinement)"),
            "{}",
            l.summary
        );
        let l = ledger(&["2027-Q3", "2027-Q4", "2027-Q3"]);
        assert!(
            l.summary
                .ends_with("back where it started (1 slip, 1 pull-in)"),
            "{}",
            l.summary
        );
        let l = ledger(&["2027-Q3"]);
        assert_eq!(l.summary, "v1: 2027-Q3, unchanged");
    }

    #[test]
    fn a_feature_moved_to_a_release_with_the_same_target_is_a_move() {
        let f = |release: &str| TargetFact {
            entity: EntityKind::Feature,
            release: Some(release.into()),
            ..fact("2027-Q3")
        };
        let l = target_ledger_of("f", [(0, f("r1")), (1, f("r2"))]).expect("ledger");
        assert_eq!(
            l.summary,
            "f: 2027-Q3 (r1) → 2027-Q3 (r2), same target (1 move)"
        );
    }
}
