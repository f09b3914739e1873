//! `roadlens check [PATH...]`: validate every roadmap, report every problem
//! of every file in one run. Exit 0 clean or warnings only, 1 errors, 2 usage.

use super::error::{CommandError, CommandResult};
use super::{EXIT_FINDINGS, EXIT_OK, output};
use crate::model;
use crate::text::sanitize_line;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (default: current directory).
    pub paths: Vec<PathBuf>,
}

/// How a path is shown: as given, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

pub fn run(args: CheckArgs) -> CommandResult {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let color = output::stdout_color();
    let today = model::today();
    let mut files = Vec::new();
    for p in &paths {
        match model::discover(p) {
            Ok(found) if found.is_empty() => {
                eprintln!(
                    "roadlens: no roadmap files under {}",
                    sanitize_line(&display_path(p))
                );
            }
            Ok(found) => files.extend(found),
            Err(e) => {
                return Err(CommandError::usage(format!(
                    "cannot read {}: {e}",
                    sanitize_line(&display_path(p))
                )));
            }
        }
    }
    if files.is_empty() {
        return Ok(EXIT_FINDINGS);
    }
    let mut out = output::Out::new();
    let (mut errors, mut warnings) = (0, 0);
    for f in &files {
        let loaded = model::load_path(&display_path(f), f, today);
        errors += loaded.error_count();
        warnings += loaded.warning_count();
        out.write(&loaded.render_diagnostics(color))?;
    }
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    out.write(&format!(
        "{} checked: {}, {}\n",
        plural(files.len(), "roadmap file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    ))?;
    Ok(if errors > 0 { EXIT_FINDINGS } else { EXIT_OK })
}
