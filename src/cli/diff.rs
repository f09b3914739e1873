//! `roadlens diff [REV_A [REV_B]] [--lens L] [--format F] [--raw] [--staged] [-- PATHS]`
//!
//! No revision: HEAD vs the working tree (the pre-commit review); one: REV vs
//! the working tree; two: REV_A vs REV_B; `--staged`: HEAD (or REV) vs the
//! index. The roadmap files compared are the union of those on both sides.
//! In an empty repository the base is nothing (every roadmap is new).
//!
//! Exit codes: 0 (changes or not), 1 with `--exit-code` when the lens shows
//! changes or on a git error, 2 for usage errors: an unknown lens or
//! revision, not a git repository, too many revisions.

use super::diffprint::{self, DiffReport, SideLabel};
use super::error::{CommandError, CommandResult};
use super::{EXIT_FINDINGS, EXIT_OK, Format};
use crate::diff::history;
use crate::diff::{FileDiff, FileStatus};
use crate::lens::Lens;
use crate::lens::timeline::BaselineLabel;
use crate::model::{LoadedFile, Roadmap};
use crate::repo::{PathFilter, Repo, RepoError, Rev};
use crate::text::sanitize_line;
use clap::Args;
use std::path::{Component, Path, PathBuf};

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Base and target revisions (none: HEAD vs working tree; one: REV vs working tree).
    #[arg(num_args = 0..=2)]
    pub revs: Vec<String>,
    /// Keep only what this lens shows: exec | sales | engineering | decisions | layer:<id>
    #[arg(long, short)]
    pub lens: Option<String>,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print a unified text diff instead of the semantic one.
    #[arg(long)]
    pub raw: bool,
    /// Compare HEAD (or the one revision given) with the index (what is staged).
    #[arg(long, visible_alias = "cached")]
    pub staged: bool,
    /// Exit 1 when there are changes (as git diff --exit-code).
    #[arg(long)]
    pub exit_code: bool,
    /// Limit to these roadmap files (or directories).
    #[arg(last = true)]
    pub paths: Vec<PathBuf>,
}

/// Parse `--lens` (exit 2 on an unknown name).
pub(super) fn parse_lens(s: Option<&str>) -> Result<Option<Lens>, CommandError> {
    match s {
        None | Some("all") => Ok(None),
        Some(s) => Lens::parse(s).map(Some).ok_or_else(|| {
            CommandError::usage(format!(
                "unknown lens `{}`: expected all, exec, sales, engineering, decisions or layer:<id>",
                sanitize_line(s)
            ))
        }),
    }
}

/// A `layer:<id>` lens must name a layer of some roadmap at one of `revs`
/// (as `show` and `timeline` ask of the roadmaps they show): a layer none of
/// them has shows nothing, and a typo would pass as "no changes". Exit 2
/// with the lenses there are.
pub(super) fn known_layer(
    repo: &Repo,
    lens: Option<&Lens>,
    revs: &[&Rev],
) -> Result<(), CommandError> {
    let Some(l @ Lens::Layer(id)) = lens else {
        return Ok(());
    };
    let mut seen = vec![];
    for rev in revs {
        for (_, r) in roadmaps_at(repo, rev) {
            if r.layer(id).is_some() {
                return Ok(());
            }
            seen.push(r);
        }
    }
    let seen: Vec<&Roadmap> = seen.iter().collect();
    Err(super::show::unknown_lens(&l.name(), &seen))
}

/// Every roadmap file at `rev` that loads, with its repository path (the
/// ones that do not load, or cannot be read, left out: a question about
/// what roadmaps hold, not a check).
pub(super) fn roadmaps_at(repo: &Repo, rev: &Rev) -> Vec<(String, Roadmap)> {
    let today = crate::model::today();
    repo.roadmap_files(rev)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|path| {
            let bytes = repo.read(rev, &path).ok()??;
            let r = crate::model::load_bytes(&path, &bytes, today).roadmap?;
            Some((path, r))
        })
        .collect()
}

pub(super) fn open_repo() -> Result<Repo, CommandError> {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Repo::discover(&here).map_err(|e| match e {
        RepoError::NotARepo(p) => CommandError::usage(format!(
                "not a git repository (or any parent up to the root): {p}\n\
                 roadlens diff and log read git history; use `roadlens check` or `roadlens show` for plain files"
            ),
        ),
        e => e.into(),
    })
}

pub fn run(args: DiffArgs) -> CommandResult {
    run_inner(&args)
}

/// The two sides to compare, with their labels.
struct Sides {
    base: Option<Rev>,
    target: Rev,
    base_label: SideLabel,
    target_label: SideLabel,
}

/// A revision as the lens names it: under sales the quarter of its
/// commit's day ([`BaselineLabel::for_lens`]: a tag can name a release, a
/// commit id is internal), otherwise as typed, with its commit.
fn side_label(
    repo: &Repo,
    spec: &str,
    rev: &Rev,
    lens: Option<&Lens>,
) -> Result<SideLabel, CommandError> {
    Ok(match lens {
        Some(l @ Lens::Sales) => SideLabel {
            label: BaselineLabel::for_lens(l, spec, repo.commit_day(rev)?).to_string(),
            commit: None,
        },
        _ => SideLabel {
            label: rev.named(spec),
            commit: rev.commit().map(str::to_string),
        },
    })
}

fn sides(repo: &Repo, args: &DiffArgs, lens: Option<&Lens>) -> Result<Sides, CommandError> {
    let work = if args.staged {
        Rev::Index
    } else {
        Rev::WorkTree
    };
    let work_label = SideLabel {
        label: work.label(),
        commit: None,
    };
    match args.revs.as_slice() {
        [] => {
            let head = repo.head()?;
            let base_label = match &head {
                Some(h) => side_label(repo, "HEAD", h, lens)?,
                None => SideLabel {
                    label: "nothing (no commits yet)".into(),
                    commit: None,
                },
            };
            Ok(Sides {
                base: head,
                target: work,
                base_label,
                target_label: work_label,
            })
        }
        [a] => {
            let base = repo.resolve(a)?;
            Ok(Sides {
                base_label: side_label(repo, a, &base, lens)?,
                base: Some(base),
                target: work,
                target_label: work_label,
            })
        }
        [a, b] if !args.staged => {
            let base = repo.resolve(a)?;
            let target = repo.resolve(b)?;
            Ok(Sides {
                base_label: side_label(repo, a, &base, lens)?,
                target_label: side_label(repo, b, &target, lens)?,
                base: Some(base),
                target,
            })
        }
        _ => Err(CommandError::usage(
            "--staged compares the index with one revision (HEAD by default); give at most one",
        )),
    }
}

/// Normalize `a/./b/../c` lexically (no filesystem access).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The `-- PATHS` limits as repo-relative `/` paths.
pub(super) fn path_filters(repo: &Repo, paths: &[PathBuf]) -> Result<PathFilter, CommandError> {
    if paths.is_empty() {
        return Ok(PathFilter::default());
    }
    paths
        .iter()
        .map(|p| repo_relative(repo, p))
        .collect::<Result<Vec<_>, _>>()
        .map(PathFilter::new)
}

/// A path given on the command line (relative to the current directory) as
/// a repository path (`roadmaps/pump.toml`); exit 2 outside the repository.
pub(super) fn repo_relative(repo: &Repo, p: &Path) -> Result<String, CommandError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CommandError::failed(format!("cannot read the current directory: {e}")))?;
    let root = repo.workdir().unwrap_or_else(|| cwd.clone());
    let root = root.canonicalize().unwrap_or(root);
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let abs = normalize(&cwd.join(p));
    let rel = abs
        .strip_prefix(&root)
        .map_err(|_| CommandError::usage(format!("{} is outside the repository", p.display())))?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// One file's two versions.
struct Pair {
    path: String,
    old_path: Option<String>,
    old: Option<Vec<u8>>,
    new: Option<Vec<u8>>,
}

/// Read both sides of every roadmap file (the files paired by the history
/// rule: a renamed roadmap is one file, also when only one of its paths is
/// among `-- PATHS`).
fn pairs(repo: &Repo, s: &Sides, filters: &PathFilter) -> Result<Vec<Pair>, CommandError> {
    let read = |rev: Option<&Rev>, path: Option<&String>| match (rev, path) {
        (Some(rev), Some(p)) => repo.read(rev, p),
        _ => Ok(None),
    };
    let mut out = vec![];
    for f in history::pair_sides(repo, s.base.as_ref(), &s.target, filters)? {
        let old = read(s.base.as_ref(), f.old_path.as_ref())?;
        let new = read(Some(&s.target), f.new_path.as_ref())?;
        if old != new {
            out.push(Pair {
                path: f.path().to_string(),
                old_path: f
                    .old_path
                    .clone()
                    .filter(|o| f.new_path.as_ref().is_some_and(|n| n != o)),
                old,
                new,
            });
        }
    }
    Ok(out)
}

/// Semantic diffs of every pair; a roadmap that disappears from one path and
/// appears at another with the same roadmap id is one renamed file.
fn semantic(pairs: Vec<Pair>, s: &Sides, lens: Option<&Lens>) -> Vec<FileDiff> {
    let labels = (s.base_label.label.as_str(), s.target_label.label.as_str());
    let today = crate::model::today();
    let loaded: Vec<(Option<LoadedFile>, Option<LoadedFile>)> = pairs
        .iter()
        .map(|p| crate::diff::load_sides(&p.path, p.old.as_deref(), p.new.as_deref(), today))
        .collect();
    let diffs = pairs
        .iter()
        .zip(&loaded)
        .map(|(p, (o, n))| {
            let mut fd = crate::diff::diff_loaded(&p.path, o.as_ref(), n.as_ref(), labels, lens);
            fd.old_path = p.old_path.clone();
            // Named again with its old path known (under sales: no path).
            let title = crate::diff::FileDiff::title_of(
                o.as_ref().and_then(|f| f.roadmap.as_ref()),
                n.as_ref().and_then(|f| f.roadmap.as_ref()),
            );
            fd.named_as(lens, title)
        })
        .collect();
    drop(loaded);
    diffs
}

fn run_inner(args: &DiffArgs) -> CommandResult {
    let lens = parse_lens(args.lens.as_deref())?;
    if args.raw && args.format != Format::Text {
        return Err(CommandError::usage("--raw prints a text diff only"));
    }
    if args.raw
        && let Some(l) = &lens
    {
        // Every lens hides something the file holds; the raw text would show
        // it all.
        return Err(CommandError::usage(format!(
            "raw text is not available in the {} lens: it would show what the lens hides (drop --lens, or drop --raw for the semantic diff)",
            l.name()
        )));
    }
    let repo = open_repo()?;
    let s = sides(&repo, args, lens.as_ref())?;
    let revs: Vec<&Rev> = s.base.iter().chain([&s.target]).collect();
    known_layer(&repo, lens.as_ref(), &revs)?;
    let filters = path_filters(&repo, &args.paths)?;
    let pairs = pairs(&repo, &s, &filters)?;
    super::output::warnings(repo.take_notes());
    let mut out = String::new();
    let changed;
    if args.raw {
        changed = !pairs.is_empty();
        for p in &pairs {
            let shown = match &p.old_path {
                Some(o) => format!("{o} → {}", p.path),
                None => p.path.clone(),
            };
            out.push_str(&format!("diff {}\n", sanitize_line(&shown)));
            out.push_str(&diffprint::raw_file(
                p.old_path.as_deref(),
                &p.path,
                p.old.as_deref(),
                p.new.as_deref(),
            ));
        }
    } else {
        let report = DiffReport {
            files: semantic(pairs, &s, lens.as_ref()),
            base: s.base_label,
            target: s.target_label,
            lens,
        };
        changed = report.has_changes();
        out = match args.format {
            Format::Text => diffprint::text(&report, super::output::stdout_color()),
            Format::Markdown => diffprint::markdown(&report),
            Format::Json => diffprint::json(&report),
        };
        if report
            .visible_files()
            .iter()
            .any(|f| f.status == FileStatus::Unparseable)
            && args.format == Format::Text
            && report.lens.is_none()
        {
            out.push_str("\n(run with --raw for the text diff of files that do not parse)\n");
        }
    }
    super::output::print(&out)?;
    Ok(if args.exit_code && changed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_filters_normalize() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
