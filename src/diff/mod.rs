//! The semantic diff: `(&Roadmap, &Roadmap) -> Vec<Change>`, and lens filtering.
//!
//! Entities are matched by id (work items without one by feature + layer +
//! title, see [`crate::model::WorkItem::key`]). One change per entity and
//! field; changes are ordered by importance and grouped by entity. Each change
//! records the lenses that show it, so `--lens` filtering is a lookup.
//!
//! # Change kinds
//!
//! - `added` / `removed`: the entity exists on one side only (a removed or
//!   added feature brings its work items along as their own changes);
//! - `renamed`: the title (or name) changed;
//! - `moved`: a feature's `release`, a work item's `layer`, or the feature
//!   holding a work item that has an `id`;
//! - `slipped` / `pulled_in`: the end of a release's `target` or a work item's
//!   `end` moved later / earlier, with the amount in the target's own unit
//!   ([`crate::model::date::compare`]); a change of precision inside the old
//!   interval (`2027-Q3` → `2027-08-14`) is a `changed` ("refined");
//! - `status`, `health`, `confidence`, `commitment`, `visibility`: those
//!   fields (status, commitment and visibility compare their effective values,
//!   so writing out a default is not a change);
//! - `dependencies`: the `depends_on` set changed (order does not matter);
//! - `changed`: any other field, `[extra]` fields as `extra.<key>`;
//! - derived from the schedule ([`crate::plan`]), in the lenses that show
//!   it (exec, engineering, layer): `critical_path` (a release's critical
//!   path now ends elsewhere, goes through other work, or a work item joins
//!   or leaves it) and `conflict` (a schedule conflict appeared, was
//!   resolved, or now says otherwise).
//!
//! # Order
//!
//! Changes of one entity are kept together. Entities are ordered by their most
//! important change: visibility, then slips and pull-ins, moves, removals,
//! status / health / confidence / commitment, additions, renames, then the
//! rest; ties by entity kind (roadmap, release, feature, theme, metric, layer,
//! work item, decision), then file order.
//!
//! # Lenses (what each audience notices)
//!
//! An audience's diff ([`audience`]) is the difference between the two views
//! of its lens, computed from the projected views themselves
//! ([`crate::lens::project`]), not from a second copy of the lens's rules:
//! it is empty exactly when the audience's view is unchanged, and it is
//! worded only with what that view holds (the sales diff says a feature
//! "slipped by 1 quarter: 2027-Q3 → 2027-Q4" from its sales "when", never
//! naming its release). See [`audience`] for how views are compared.

mod audience;
mod compare;
pub mod history;
pub mod ledger;
mod words;

pub use audience::audience;
pub use words::is_short as is_short_value;

/// How the diff words a target that moved (`slipped by 1 quarter: 2027-Q3
/// → 2027-Q4`, `target refined: …`), for anything else that tells a move
/// (the timeline's slip tags); `None` when it is the same.
pub fn target_sentence(
    field: &str,
    shift: &crate::model::Shift,
    a: &crate::model::DateSpec,
    b: &crate::model::DateSpec,
) -> Option<(ChangeKind, String)> {
    words::target(field, shift, a, b)
}

use crate::lens::Lens;
use crate::model::{EntityKind, LoadedFile, Roadmap};
use jiff::civil::Date;
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
    /// Derived: a release's critical path changed (where it ends, what it
    /// goes through), or a work item joined or left one.
    CriticalPath,
    /// Derived: a schedule conflict appeared, was resolved or changed.
    Conflict,
}

impl ChangeKind {
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::Visibility,
        ChangeKind::Slipped,
        ChangeKind::PulledIn,
        ChangeKind::CriticalPath,
        ChangeKind::Moved,
        ChangeKind::Removed,
        ChangeKind::Status,
        ChangeKind::Health,
        ChangeKind::Confidence,
        ChangeKind::Commitment,
        ChangeKind::Conflict,
        ChangeKind::Added,
        ChangeKind::Renamed,
        ChangeKind::Dependencies,
        ChangeKind::Changed,
    ];

    /// The name used in JSON and in counts (`pulled_in`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
            ChangeKind::Slipped => "slipped",
            ChangeKind::PulledIn => "pulled_in",
            ChangeKind::Status => "status",
            ChangeKind::Health => "health",
            ChangeKind::Confidence => "confidence",
            ChangeKind::Commitment => "commitment",
            ChangeKind::Visibility => "visibility",
            ChangeKind::Dependencies => "dependencies",
            ChangeKind::CriticalPath => "critical_path",
            ChangeKind::Conflict => "conflict",
        }
    }

    /// Importance, most important first (0): visibility, slips and pull-ins
    /// (and a critical path that moved), moves, removals,
    /// status/health/confidence/commitment (and schedule conflicts),
    /// additions, renames, the rest.
    pub fn rank(self) -> u8 {
        match self {
            ChangeKind::Visibility => 0,
            ChangeKind::Slipped | ChangeKind::PulledIn | ChangeKind::CriticalPath => 1,
            ChangeKind::Moved => 2,
            ChangeKind::Removed => 3,
            ChangeKind::Status
            | ChangeKind::Health
            | ChangeKind::Confidence
            | ChangeKind::Commitment
            | ChangeKind::Conflict => 4,
            ChangeKind::Added => 5,
            ChangeKind::Renamed => 6,
            ChangeKind::Changed | ChangeKind::Dependencies => 7,
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
    /// The summary without the leading "release v2 " (for printers that
    /// already show the entity as a heading): "slipped by 1 quarter: ...".
    #[serde(skip)]
    pub detail: String,
    /// The entity's title or name (new side, else old), for grouping headers.
    #[serde(skip)]
    pub title: String,
    /// How far a target moved, for `slipped` / `pulled_in` (as data, so no
    /// printer reads it back out of the sentence).
    #[serde(skip)]
    pub amount: Option<crate::model::date::Amount>,
}

/// How to speak of an entity kind in a sentence ("work item", not "work").
pub fn entity_noun(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Work => "work item",
        k => k.as_str(),
    }
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
    /// The file's path (on the new side when it was renamed).
    pub path: String,
    /// The path on the old side when the file was renamed (text printers
    /// show `old → new`; JSON keeps `path` a plain path).
    #[serde(skip)]
    pub old_path: Option<String>,
    pub status: FileStatus,
    /// For `unparseable`: which side, where, and why
    /// (`new (working tree): plan.toml:3:7: invalid date ...`).
    pub error: Option<String>,
    pub changes: Vec<Change>,
}

impl FileDiff {
    /// The file as `lens` may name it: under sales by its roadmap's title
    /// (`title`: the sales view's own, of either side), never its path,
    /// which can name a release (`roadmaps/v3-aquatech.toml`); else its
    /// path (`old → new` when renamed).
    pub fn name_as(&self, lens: Option<&Lens>, title: Option<&str>) -> String {
        crate::lens::file_name(lens, &self.shown_path(), title)
    }

    /// The same diff with the file named as `lens` may name it
    /// ([`FileDiff::name_as`]; under sales no old path either).
    pub fn named_as(self, lens: Option<&Lens>, title: Option<&str>) -> FileDiff {
        match lens {
            Some(Lens::Sales) => FileDiff {
                path: self.name_as(lens, title),
                old_path: None,
                ..self
            },
            _ => self,
        }
    }

    /// The title a file is named by where the lens names it so: its
    /// roadmap's, the new side's else the old's.
    pub fn title_of<'r>(old: Option<&'r Roadmap>, new: Option<&'r Roadmap>) -> Option<&'r str> {
        new.or(old).map(|r| r.meta.title.as_str())
    }

    /// Its error (or note) as `lens` may say it: under sales a broken
    /// version is said without its place or error (they name lines and
    /// internal text: a release id, an internal feature), and a note (it
    /// names a commit) not at all.
    pub fn error_as(&self, lens: Option<&Lens>) -> Option<String> {
        match lens {
            Some(l) if !l.reads_diagnostics() => (self.status == FileStatus::Unparseable)
                .then(|| crate::vocab::VERSION_HAS_ERRORS.to_string()),
            _ => self.error.clone(),
        }
    }

    /// The path as printed: `old → new` for a renamed file.
    pub fn shown_path(&self) -> String {
        match &self.old_path {
            Some(o) if *o != self.path => format!("{o} → {}", self.path),
            _ => self.path.clone(),
        }
    }
}

/// Diff two roadmaps (pure): every change, entity by entity. Ordered by
/// importance, grouped by entity. What one audience notices is [`audience`].
pub fn diff(old: &Roadmap, new: &Roadmap) -> Vec<Change> {
    compare::diff(old, new)
}

/// The changes of a roadmap that appears whole (`added`) or disappears whole
/// (`removed`): one change for the roadmap entity plus one per release and
/// feature.
pub fn whole(roadmap: &Roadmap, added: bool) -> Vec<Change> {
    compare::whole(roadmap, added)
}

/// Load both sides of one file (either may be absent) and diff them; a side
/// with errors makes the file `unparseable` (never an abort). The error names
/// the side as `old` / `new`.
pub fn diff_sources(path: &str, old: Option<&[u8]>, new: Option<&[u8]>, today: Date) -> FileDiff {
    diff_sources_labeled(path, old, new, ("old", "new"), today, None)
}

/// Together larger than this, the two sides of a file load on two threads.
/// A load of a typical roadmap (10–50 KB) takes about a millisecond, less
/// than starting a thread is worth; a 1.2 MB one takes tens.
pub const PARALLEL_LOAD_BYTES: usize = 256 * 1024;

/// Load both sides of one file (either may be absent); both sides together
/// larger than [`PARALLEL_LOAD_BYTES`] on two threads (the old side on a
/// thread of its own with the default 2 MiB stack, which the deepest
/// document allowed fits in; see `model::syntax::DEPTH_LIMIT`).
pub fn load_sides(
    path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    today: Date,
) -> (Option<LoadedFile>, Option<LoadedFile>) {
    let load = |b: &[u8]| crate::model::load_bytes(path, b, today);
    let (Some(o), Some(n)) = (old, new) else {
        return (old.map(load), new.map(load));
    };
    if o.len() + n.len() <= PARALLEL_LOAD_BYTES {
        return (Some(load(o)), Some(load(n)));
    }
    std::thread::scope(|s| {
        let old_side = std::thread::Builder::new()
            .name("roadlens-load".into())
            .spawn_scoped(s, || load(o));
        let new = load(n);
        let old = match old_side {
            // A panic on the thread is the caller's panic, as without it.
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => load(o),
        };
        (Some(old), Some(new))
    })
}

/// [`diff_sources`] with the sides named by revision labels (`"HEAD"`,
/// `"working tree"`), used in the `unparseable` error: `new (working tree): ...`,
/// and the changes `lens` notices (`None`: every change).
pub fn diff_sources_labeled(
    path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    labels: (&str, &str),
    today: Date,
    lens: Option<&Lens>,
) -> FileDiff {
    // Same bytes: one load tells whether it parses; nothing changed.
    if let (Some(o), Some(n)) = (old, new)
        && o == n
    {
        let f = crate::model::load_bytes(path, n, today);
        return diff_loaded(path, Some(&f), Some(&f), labels, lens);
    }
    let (old, new) = load_sides(path, old, new, today);
    diff_loaded(path, old.as_ref(), new.as_ref(), labels, lens)
}

/// [`diff_sources_labeled`] on files already loaded (callers that keep the
/// loaded roadmaps, e.g. for a target ledger, load once): every change
/// (`lens` `None`) or what `lens` notices.
pub fn diff_loaded(
    path: &str,
    old: Option<&LoadedFile>,
    new: Option<&LoadedFile>,
    labels: (&str, &str),
    lens: Option<&Lens>,
) -> FileDiff {
    let (old_r, new_r) = (
        old.and_then(|f| f.roadmap.as_ref()),
        new.and_then(|f| f.roadmap.as_ref()),
    );
    let broken = |side: &str, label: &str, f: &LoadedFile| {
        let d = FileDiff {
            path: path.to_string(),
            old_path: None,
            status: FileStatus::Unparseable,
            error: Some(side_error(side, label, f)),
            changes: vec![],
        };
        FileDiff {
            error: d.error_as(lens),
            ..d
        }
        .named_as(lens, FileDiff::title_of(old_r, new_r))
    };
    // Both broken: this version's own error is the one to fix.
    for (side, label, f) in [("new", labels.1, new), ("old", labels.0, old)] {
        if let Some(f) = f
            && (f.has_errors() || f.roadmap.is_none())
        {
            return broken(side, label, f);
        }
    }
    let (old, new) = (
        old.and_then(|f| f.roadmap.as_ref()),
        new.and_then(|f| f.roadmap.as_ref()),
    );
    let status = match (old, new) {
        (None, Some(_)) => FileStatus::Added,
        (Some(_), None) => FileStatus::Removed,
        _ => FileStatus::Modified,
    };
    let changes = match (lens, old, new) {
        (Some(l), o, n) => audience(o, n, l),
        (None, Some(o), Some(n)) => diff(o, n),
        (None, None, Some(n)) => whole(n, true),
        (None, Some(o), None) => whole(o, false),
        (None, None, None) => vec![],
    };
    FileDiff {
        path: path.to_string(),
        old_path: None,
        status,
        error: None,
        changes,
    }
    .named_as(lens, FileDiff::title_of(old, new))
}

/// `new (working tree): plan.toml:3:7: message` (the side label is left out
/// when it is just the side's name).
fn side_error(side: &str, label: &str, f: &LoadedFile) -> String {
    let side = if label == side || label.is_empty() {
        side.to_string()
    } else {
        format!("{side} ({label})")
    };
    match f.diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => {
            let (line, col) = d.line_col(&f.source);
            format!("{side}: {}:{line}:{col}: {}", f.path, d.message)
        }
        None => format!("{side}: {}: not a roadmap", f.path),
    }
}

/// Counts of changes by kind, in importance order (kinds with no change left out).
pub fn counts(changes: &[Change]) -> Vec<(ChangeKind, usize)> {
    ChangeKind::ALL
        .iter()
        .filter_map(|&k| {
            let n = changes.iter().filter(|c| c.kind == k).count();
            (n > 0).then_some((k, n))
        })
        .collect()
}

/// The most important change (changes are ordered, so the first).
pub fn headline(changes: &[Change]) -> Option<&Change> {
    changes.iter().min_by_key(|c| c.kind.rank())
}

#[cfg(test)]
mod tests;
