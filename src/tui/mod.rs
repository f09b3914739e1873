//! The terminal UI: app state, event loop, one module per view.

use std::path::PathBuf;

/// Open the TUI on the roadmaps under `path`. Returns the exit code.
pub fn run(path: PathBuf, mouse: bool) -> u8 {
    todo!("{path:?} {mouse}")
}
