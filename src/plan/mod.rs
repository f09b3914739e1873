//! Planning across layers: the effective schedule of every item, each
//! release's critical path and each item's slack, effort per release ×
//! layer, the schedule conflicts `check` warns about, and dependency chains.
//!
//! Pure functions of a [`Roadmap`]; the lenses put what they show of it in
//! their views, the printers and the TUI draw those.
//!
//! The entry point is [`schedule`]: `schedule(&roadmap)` gives a
//! [`Schedule`] with the interval of every feature and work item
//! ([`Schedule::get`] by entity and key, [`Planned::interval`]), how each
//! date was found ([`Basis`]), each release's span, critical path and
//! effort ([`Schedule::release`]). [`conflicts`] checks a schedule;
//! [`chains`] and [`graph`] draw its dependencies.
//!
//! # The schedule ([`schedule`])
//!
//! Every work item gets an interval `[start, end)` of days:
//!
//! - **start**: its own `start` (the first day of that period); else, when
//!   it has an `end` and an estimate, that end minus the estimate; else as
//!   early as its dependencies allow (the latest end among its own
//!   `depends_on` and its feature's `depends_on`; a feature ends when its
//!   last work item ends), but not before its release's `start` (a release
//!   without one that targets `next` or `later`: that horizon's first day,
//!   [`Basis::ReleaseHorizon`]); with neither, today.
//! - **end**: its own `end` (the day after the last day of that period; an
//!   open-ended period, `later`, counts from its first day); else its start
//!   plus its estimate; without an estimate, its start (zero days: said
//!   "no estimate").
//! - **horizon** ([`Planned::horizon`]): a horizon places it rather than a
//!   date when its own `end` is one, or it has no `end` and its `start` is
//!   one, or it has neither and its release targets one; the timeline draws
//!   it in that Now / Next / Later column. Its interval still counts for
//!   what depends on it.
//! - **undated** ([`Planned::undated`]): nothing places it (no date,
//!   estimate, dependency, release start or horizon): it sits at today with
//!   no days, and the timeline says "no date".
//!
//! Estimates count calendar days: a week 7, a month 30, a quarter 91, a
//! sprint the layer's `sprint` (default 14). A feature spans its work items
//! (cancelled and deferred ones only when it has no other); a feature
//! without work is a zero-length item placed like a work item (in its
//! release's horizon, if any; undated when nothing places it); a feature
//! with work is in a horizon when all its work is (the latest), undated
//! when all its work is. A release spans its `start` (else its earliest
//! work) to its last work's end.
//!
//! A dependency that can only be a cycle through a feature's own work (a
//! work item depending on its own feature, or features depending on each
//! other through their work) is left out of the schedule; `check` rejects
//! real cycles.
//!
//! # The critical path ([`ReleasePlan::path`])
//!
//! For each release, the chain of open (planned or in-progress) work that
//! ends last: from the release's open work item that ends last, back through
//! the dependency that ends last among those that end no earlier than it
//! starts (the one that holds it up; ties: the first listed), to a work item
//! nothing open holds up. When several work items end last, the longest of
//! their chains (ties: the first in file order). Shipped, cancelled and deferred work
//! is never on a critical path, nor is work nothing places
//! ([`Planned::undated`]: drawn "no date"). A dependency on a feature
//! stands for that feature's work.
//!
//! # Slack ([`Planned::slack`])
//!
//! How many days an open item's end can move later before some release's
//! critical path ends after its target: for an item, the smallest of the
//! days from its end to its own release's target end, and, for each open
//! item that depends on it, that item's slack plus the gap between this
//! end and that start (never less than nothing: an overlap is a conflict,
//! not negative slack). `None` when nothing bounds it (no dated target).

mod check;
mod deps;
mod schedule;

pub use check::{Conflict, ConflictKind, conflicts};
pub use deps::{
    Chains, DepGraph, DepNode, GraphEdge, GraphGroup, GraphItem, GraphRelease, MAX_CHAIN_DEPTH,
    Tree, chains, graph,
};
pub use schedule::{Basis, Effort, Node, Planned, ReleasePlan, Schedule, schedule};

use crate::model::{Diagnostic, LoadedFile, Roadmap};

/// The schedule conflicts of `r` as located warnings.
pub fn warnings(r: &Roadmap) -> Vec<Diagnostic> {
    let s = schedule(r);
    conflicts(r, &s).iter().map(Conflict::diagnostic).collect()
}

/// Add the schedule warnings to a loaded file's diagnostics (a file with
/// errors has no roadmap and gets none), in file order like the others.
pub fn check_file(file: &mut LoadedFile) {
    let Some(r) = &file.roadmap else { return };
    file.diagnostics.extend(warnings(r));
    file.diagnostics
        .sort_by_key(|d| (d.severity, d.span.as_ref().map(|s| s.start).unwrap_or(0)));
}

#[cfg(test)]
mod tests;
