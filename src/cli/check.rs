//! `roadlens check [PATH...]`: validate every roadmap, report every problem
//! of every file in one run. Exit 0 clean or warnings only, 1 errors, 2 usage
//! (a path that does not exist — under `--staged`, neither in the index nor
//! on disk: said, and every other path still checked).

use super::error::{CommandError, CommandResult};
use super::{EXIT_FINDINGS, EXIT_OK, output};
use crate::model;
use crate::repo::Rev;
use crate::text::sanitize_line;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (default: current directory).
    pub paths: Vec<PathBuf>,
    /// Check what is staged (the index; `GIT_INDEX_FILE` when git sets it)
    /// instead of the files on disk: for a pre-commit hook.
    #[arg(long, visible_alias = "cached")]
    pub staged: bool,
}

/// How a path is shown: as given, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

pub fn run(args: CheckArgs) -> CommandResult {
    if args.staged {
        return staged(&args.paths);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let color = output::stdout_color();
    let today = model::today();
    let mut files = Vec::new();
    // The exit code of a path that cannot be read (usage), once said.
    let mut unreadable = None;
    for p in &paths {
        match crate::repo::roadmaps_on_disk(p) {
            Ok(found) if found.is_empty() => {
                let bare = if crate::repo::is_bare_at(p) {
                    format!(" ({})", super::show::BARE_HINT)
                } else {
                    String::new()
                };
                eprintln!(
                    "roadlens: no roadmap files under {}{bare}",
                    sanitize_line(&display_path(p))
                );
            }
            Ok(found) => files.extend(found),
            // Said now, and the other paths still checked: a typo in one
            // path must not hide the findings of the rest.
            Err(e) => {
                let e = CommandError::usage(format!(
                    "cannot read {}: {e}",
                    sanitize_line(&display_path(p))
                ));
                unreadable = Some(e.report(""));
            }
        }
    }
    let code = if files.is_empty() {
        EXIT_FINDINGS
    } else {
        let loaded = files
            .iter()
            .map(|f| model::load_path(&display_path(f), f, today));
        report(loaded, "roadmap file", color)?
    };
    // A path that cannot be read is a usage error, whatever the rest holds.
    Ok(unreadable.unwrap_or(code))
}

/// `check --staged`: every roadmap in the index (under PATHS), as git will
/// commit it. Paths are repository-relative, as git shows them.
fn staged(paths: &[PathBuf]) -> CommandResult {
    let repo = super::diff::open_repo()?;
    // A path that names nothing, staged or on disk, is a typo (in a hook or
    // CI it would pass everything): a usage error, as for plain `check`,
    // said now, and the other paths still checked.
    let mut unknown = None;
    for p in paths {
        let rel = super::diff::repo_relative(&repo, p)?;
        if std::fs::symlink_metadata(p).is_err() && !repo.index_holds(&rel)? {
            let e = CommandError::usage(format!(
                "{}: no such file or directory, staged or in the working tree",
                sanitize_line(&display_path(p))
            ));
            unknown = Some(e.report(""));
        }
    }
    let filter = super::diff::path_filters(&repo, paths)?;
    let files = repo.roadmap_files_matching(&Rev::Index, &filter)?;
    if files.is_empty() {
        // Nothing to check is no reason to stop a commit.
        if unknown.is_none() || paths.len() > 1 {
            eprintln!("roadlens: no roadmap files staged");
        }
        return Ok(unknown.unwrap_or(EXIT_OK));
    }
    let today = model::today();
    let mut loaded = Vec::with_capacity(files.len());
    for path in &files {
        let bytes = repo.read(&Rev::Index, path)?.unwrap_or_default();
        loaded.push(model::load_bytes(path, &bytes, today));
    }
    let code = report(
        loaded.into_iter(),
        "staged roadmap file",
        output::stdout_color(),
    )?;
    // A path naming nothing is a usage error, whatever the rest holds.
    Ok(unknown.unwrap_or(code))
}

/// Print every file's diagnostics and the count line.
fn report(
    files: impl Iterator<Item = model::LoadedFile>,
    what: &str,
    color: bool,
) -> CommandResult {
    let mut out = output::Out::new();
    let (mut count, mut errors, mut warnings) = (0, 0, 0);
    for mut loaded in files {
        // The schedule conflicts (src/plan), with the loader's warnings.
        crate::plan::check_file(&mut loaded);
        count += 1;
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
        plural(count, what),
        plural(errors, "error"),
        plural(warnings, "warning")
    ))?;
    Ok(if errors > 0 { EXIT_FINDINGS } else { EXIT_OK })
}
