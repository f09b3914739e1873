//! Per-entity history: the sequence of a release's (or a feature's) target
//! dates across revisions, and the total slip.
//!
//! Pure: the caller walks history (oldest first) and hands in the roadmap as
//! it was at each revision, tagged with whatever identifies the revision for
//! it (a commit id, a history entry index...).

use crate::model::date::{DateSpec, Shift, compare};
use crate::model::{EntityKind, Roadmap};

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

#[derive(Clone, Debug, PartialEq)]
pub struct TargetLedger<R> {
    pub entity: EntityKind,
    pub id: String,
    /// Oldest first; consecutive points differ in target or release.
    pub points: Vec<TargetPoint<R>>,
    /// First target against the last (`None` when either is missing).
    pub total: Option<Shift>,
    /// "v2: 2027-Q3 → 2027-Q4 → 2028-Q1, slipped 2 quarters over 2 changes".
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

/// What `id` names in `r` and its target there: a release's own, or a
/// feature's release's. `None` when `id` is neither.
fn target_of(r: &Roadmap, id: &str) -> Option<(EntityKind, Option<DateSpec>, Option<String>)> {
    if let Some(rel) = r.release(id) {
        return Some((EntityKind::Release, rel.target, None));
    }
    let f = r.feature(id)?;
    let target = r.release(&f.release).and_then(|rel| rel.target);
    Some((EntityKind::Feature, target, Some(f.release.clone())))
}

/// The target ledger of release or feature `id` over `snapshots` (oldest
/// first; `None` where the roadmap could not be read at that revision, which
/// is skipped). `None` when `id` is never a release or feature.
pub fn target_ledger<'a, R>(
    id: &str,
    snapshots: impl IntoIterator<Item = (R, Option<&'a Roadmap>)>,
) -> Option<TargetLedger<R>> {
    let mut entity = None;
    let mut points: Vec<TargetPoint<R>> = vec![];
    let mut today = None;
    for (rev, roadmap) in snapshots {
        let Some(r) = roadmap else { continue };
        let Some((kind, target, release)) = target_of(r, id) else {
            continue;
        };
        entity = Some(kind);
        today = Some(r.today);
        let same = points
            .last()
            .is_some_and(|p| p.target == target && p.release == release);
        if !same {
            points.push(TargetPoint {
                rev,
                target,
                release,
            });
        }
    }
    let entity = entity?;
    let total = match (points.first(), points.last(), today) {
        (Some(a), Some(b), Some(t)) => match (a.target, b.target) {
            (Some(x), Some(y)) => Some(compare(&x, &y, t)),
            _ => None,
        },
        _ => None,
    };
    let steps: Vec<String> = points
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
    let n = points.len().saturating_sub(1);
    // A long history keeps its first and last targets readable.
    let steps = if steps.len() > MAX_STEPS {
        let mut short: Vec<String> = steps[..3].to_vec();
        short.push(format!("… {} more …", steps.len() - 6));
        short.extend_from_slice(&steps[steps.len() - 3..]);
        short
    } else {
        steps
    };
    let net = match &total {
        _ if n == 0 => "unchanged".to_string(),
        Some(Shift::Slipped { amount: Some(a) }) => format!("slipped {a}"),
        Some(Shift::Slipped { amount: None }) => "slipped".into(),
        Some(Shift::PulledIn { amount: Some(a) }) => format!("pulled in {a}"),
        Some(Shift::PulledIn { amount: None }) => "pulled in".into(),
        Some(Shift::Refined) => "refined".into(),
        Some(Shift::Coarsened) => "made less precise".into(),
        Some(Shift::Same) => "back where it started".into(),
        None => "changed".into(),
    };
    let summary = if n == 0 {
        format!("{id}: {}, unchanged", steps.join(" → "))
    } else {
        let plural = if n == 1 { "change" } else { "changes" };
        let over = if matches!(total, Some(Shift::Same)) {
            "after"
        } else {
            "over"
        };
        format!("{id}: {}, {net} {over} {n} {plural}", steps.join(" → "))
    };
    Some(TargetLedger {
        entity,
        id: id.to_string(),
        points,
        total,
        summary,
    })
}
