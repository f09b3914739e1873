//! The semantic diff: `(&Roadmap, &Roadmap) -> Vec<Change>`, and lens filtering.
//!
//! Entities are matched by id (work items without one by feature + layer +
//! title). One change per entity and field; changes are ordered by
//! importance and grouped by entity. Each change records the lenses that
//! show it, so `--lens` filtering is a lookup.

use crate::model::EntityKind;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
    Moved,
    Slipped,
    PulledIn,
    Status,
    Health,
    Confidence,
    Commitment,
    Visibility,
    Dependencies,
}

/// One change to one field of one entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub entity: EntityKind,
    pub id: String,
    pub kind: ChangeKind,
    /// The field (`target`, `status`, `release`...); `None` for added/removed.
    pub field: Option<String>,
    /// Values as TOML would write them (strings unquoted); `None` if absent.
    pub old: Option<String>,
    pub new: Option<String>,
    /// One readable sentence: "release v2 slipped by 1 quarter: 2027-Q3 → 2027-Q4".
    pub summary: String,
    /// The entity's title or name (new side, else old), for grouping headers.
    #[serde(skip)]
    pub title: String,
    /// Names of the lenses that show this change (`exec`, `sales`,
    /// `engineering`, `layer:<id>`).
    #[serde(skip)]
    pub lenses: Vec<String>,
}

/// What happened to a roadmap file between two revisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Removed,
    Modified,
    Unparseable,
}

/// The semantic diff of one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileDiff {
    pub path: String,
    pub status: FileStatus,
    /// For `unparseable`: which side, where, and why.
    pub error: Option<String>,
    pub changes: Vec<Change>,
}

/// Diff two roadmaps (pure).
pub fn diff(old: &crate::model::Roadmap, new: &crate::model::Roadmap) -> Vec<Change> {
    todo!("{} {}", old.path, new.path)
}

/// Load both sides of one file (either may be absent) and diff them; a side
/// with errors makes the file `unparseable` (never an abort).
pub fn diff_sources(
    path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    today: jiff::civil::Date,
) -> FileDiff {
    todo!(
        "{path} {:?} {:?} {today}",
        old.map(|o| o.len()),
        new.map(|n| n.len())
    )
}

/// Keep only the changes `lens` shows (`None`: all).
pub fn filter(changes: &[Change], lens: Option<&crate::lens::Lens>) -> Vec<Change> {
    match lens {
        None => changes.to_vec(),
        Some(l) => {
            let name = l.name();
            changes
                .iter()
                .filter(|c| c.lenses.contains(&name))
                .cloned()
                .collect()
        }
    }
}
