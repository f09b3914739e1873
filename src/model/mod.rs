//! The roadmap model: types, dates and horizons, loading with spans, validation.

pub mod date;
pub mod diag;
pub mod discover;
pub mod load;
mod read;
pub mod syntax;
pub mod types;
pub mod validate;

pub use date::{DateSpec, Estimate, Horizon, Interval, Shift};
pub use diag::{Diagnostic, Severity};
pub use discover::{discover, is_roadmap_source, is_skipped_dir};
pub use load::{
    DIAGNOSTICS_SHOWN, LoadedFile, MAX_FILE_BYTES, load_bytes, load_path, load_str, thousands,
    today, today_setting_problem,
};
pub use types::*;

/// The kinds of entity a roadmap holds (also the `entity` of a diff change).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Roadmap,
    Layer,
    Theme,
    Metric,
    Release,
    Feature,
    Work,
    Decision,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Roadmap => "roadmap",
            EntityKind::Layer => "layer",
            EntityKind::Theme => "theme",
            EntityKind::Metric => "metric",
            EntityKind::Release => "release",
            EntityKind::Feature => "feature",
            EntityKind::Work => "work",
            EntityKind::Decision => "decision",
        }
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
