//! roadlens: product roadmaps kept as TOML in git, shown through lenses, with
//! their history told as semantic diffs.
//!
//! The core (`model`, `plan`, `lens`, `diff`, `text`, `vocab`) is pure and knows nothing of the
//! terminal or git; `repo` reads git, `cli` prints, `tui` draws.
#![forbid(unsafe_code)]

pub mod cli;
pub mod demo;
pub mod diff;
pub mod fsread;
pub mod lens;
pub mod model;
pub mod plan;
pub mod repo;
pub mod report;
pub mod text;
pub mod tui;
pub mod vocab;
