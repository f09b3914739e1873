//! `roadlens report [PATH] [--lens L] [--since REV] [--at REV] [-o FILE]`
//!
//! One self-contained HTML page per roadmap found under PATH (a file or a
//! directory, default `.`), for the audience of lens L (default exec): the
//! roadmap as it is in the working tree (or at `--at REV`), and with
//! `--since REV` what that audience notices changed since REV — the changes
//! `roadlens diff REV --lens L` (or `diff REV AT --lens L`) prints for the
//! file. See [`crate::report`].
//!
//! Where it goes: `-o -` standard output (one roadmap), `-o FILE` that file
//! whatever is there (one roadmap), else `roadmap-<id>-<lens>.html` for each
//! roadmap where the TUI's `e` writes: `ROADLENS_REPORT_DIR`, else a
//! directory of roadlens's own in the temp directory
//! (`roadlens-reports-<pid>-<n>`), never the repository
//! ([`crate::report::place::report_dir`]); a page there is created or
//! replaces only a page roadlens made ([`crate::report::place`]). The paths
//! written are printed, one a line.
//!
//! Exit codes: 0 written; 1 a roadmap has errors, nothing found, git failed,
//! the file cannot be written, or a file roadlens did not make holds the
//! default name; 2 an unknown lens, path or revision, `--since` / `--at`
//! outside a repository, `-o` with several roadmaps.

use super::EXIT_OK;
use super::error::{CommandError, CommandResult};
use super::output;
use super::show::{at_rev, load_disk, relative_to, unknown_lens};
use crate::lens::Lens;
use crate::model::{LoadedFile, Roadmap};
use crate::repo::{Repo, RepoError, Rev};
use crate::report::{self, Page, Revision, Since, place};
use crate::text::sanitize_line;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A roadmap file, or a directory to search for roadmaps (default: current directory).
    pub path: Option<PathBuf>,
    /// exec | sales | engineering | decisions | layer:<id>
    #[arg(long, short, default_value = "exec")]
    pub lens: String,
    /// Add what this audience notices changed since a revision (as `roadlens diff REV --lens L`).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// The roadmap as it was at a revision (default: the working tree).
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Write the page to FILE (`-`: standard output). Default: each
    /// roadmap's `roadmap-<id>-<lens>.html` in ROADLENS_REPORT_DIR, else in
    /// /tmp/roadlens-reports-<pid>-<n>/ (the system's temp directory), never
    /// the repository; the paths written are printed.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn shown(p: &Path) -> String {
    sanitize_line(&p.display().to_string()).into_owned()
}

/// One roadmap to make a page of.
struct Made {
    id: String,
    page: Page,
}

pub fn run(args: ReportArgs) -> CommandResult {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let lens = Lens::parse(&args.lens);
    let history = args.since.is_some() || args.at.is_some();
    let start = if root.exists() {
        root.clone()
    } else {
        PathBuf::from(".")
    };
    let repo = match Repo::discover(&start) {
        Ok(r) => Some(r),
        Err(RepoError::NotARepo(p)) if history => {
            return Err(CommandError::usage(format!(
                "--since and --at read git history: not a git repository: {p}"
            )));
        }
        Err(e) if history => return Err(e.into()),
        Err(_) => None,
    };
    let made = match &repo {
        Some(repo) => from_repo(repo, &root, &args, lens.as_ref())?,
        None => from_disk(&root, &args, lens.as_ref())?,
    };
    // Where pages go without -o: never the repository (its work tree and
    // git directory), as the TUI's `e`.
    let forbidden = repo.as_ref().map(Repo::own_dirs).unwrap_or_default();
    write(&args, made, &forbidden)
}

/// Stop on roadmaps with errors (their diagnostics on stderr), as `show`.
/// Read at revision `at`, a file is named `REV:path` there, as `show --at`
/// names it ([`at_rev`]), so its errors are located at the revision.
fn check_loaded(
    files: &[LoadedFile],
    at: Option<&str>,
    lens: Option<&Lens>,
) -> Result<(), CommandError> {
    let Some(spec) = at else {
        return super::show::refuse_broken(files, lens, "no report written");
    };
    let named: Vec<LoadedFile> = files
        .iter()
        .filter(|f| f.has_errors())
        .map(|f| LoadedFile {
            path: at_rev(spec, &f.path),
            ..f.clone()
        })
        .collect();
    super::show::refuse_broken(&named, lens, "no report written")
}

/// The lens, or the usage error naming the valid ones.
fn the_lens(name: &str, lens: Option<&Lens>, roadmaps: &[&Roadmap]) -> Result<Lens, CommandError> {
    lens.cloned().ok_or_else(|| unknown_lens(name, roadmaps))
}

/// Keep the pages of the roadmaps that have the lens (a missing layer is
/// skipped with a note when there are several roadmaps).
fn keep(
    name: &str,
    roadmaps: &[&Roadmap],
    pages: Vec<(String, Option<Page>)>,
) -> Result<Vec<Made>, CommandError> {
    let several = pages.len() > 1;
    let mut out = vec![];
    for (id, p) in pages {
        match p {
            Some(page) => out.push(Made { id, page }),
            None if several => eprintln!(
                "roadlens: {} has no layer `{}`; skipped",
                sanitize_line(&id),
                sanitize_line(name.strip_prefix("layer:").unwrap_or(name))
            ),
            None => {}
        }
    }
    if out.is_empty() {
        return Err(unknown_lens(name, roadmaps));
    }
    Ok(out)
}

/// Outside a repository: the files on disk.
fn from_disk(
    root: &Path,
    args: &ReportArgs,
    lens: Option<&Lens>,
) -> Result<Vec<Made>, CommandError> {
    let files = load_disk(root, crate::model::today())?;
    check_loaded(&files, None, lens)?;
    let roadmaps: Vec<&Roadmap> = files.iter().filter_map(|f| f.roadmap.as_ref()).collect();
    let lens = the_lens(&args.lens, lens, &roadmaps)?;
    let pages = roadmaps
        .iter()
        .map(|r| {
            let p = report::page(r, &lens, &r.path, Revision::on_disk(), None, None);
            (r.meta.id.clone(), p)
        })
        .collect();
    keep(&args.lens, &roadmaps, pages)
}

/// In a repository: the roadmaps at `--at` (else the working tree) under
/// PATH, and what changed since `--since`.
fn from_repo(
    repo: &Repo,
    root: &Path,
    args: &ReportArgs,
    lens: Option<&Lens>,
) -> Result<Vec<Made>, CommandError> {
    if args.at.is_none() && !root.exists() {
        return Err(CommandError::usage(format!(
            "{}: no such file or directory",
            shown(root)
        )));
    }
    let (target, target_label) = match &args.at {
        Some(spec) => (repo.resolve(spec)?, spec.clone()),
        None => (Rev::WorkTree, Rev::WorkTree.label()),
    };
    let base = match &args.since {
        Some(spec) => Some((repo.resolve(spec)?, spec.as_str())),
        None => None,
    };
    let scope = repo
        .workdir()
        .and_then(|wd| relative_to(&wd, root))
        .unwrap_or_default();
    let files = report::load_at(repo, &target, &scope)?;
    output::warnings(repo.take_notes());
    if files.is_empty() {
        let at = match &args.at {
            Some(a) => format!(" at {}", sanitize_line(a)),
            None => String::new(),
        };
        return Err(CommandError::failed(format!(
            "no roadmap under {}{at} (a .toml file with a [roadmap] table)",
            shown(root)
        )));
    }
    check_loaded(&files, args.at.as_deref(), lens)?;
    let roadmaps: Vec<&Roadmap> = files.iter().filter_map(|f| f.roadmap.as_ref()).collect();
    let lens = the_lens(&args.lens, lens, &roadmaps)?;
    let mut pages = vec![];
    for r in &roadmaps {
        let path = r.path.as_str();
        let revision = report::revision(repo, &target_label, &target, path)?;
        let (since, baseline) = match &base {
            Some((rev, label)) => {
                let (diff, old) = report::changes_since(
                    repo,
                    (rev, label),
                    (&target, &target_label),
                    path,
                    &lens,
                )?;
                let baseline = report::baseline(&diff, old.as_ref());
                let since = Since {
                    base: report::revision(repo, label, rev, path)?,
                    diff,
                };
                (Some(since), baseline)
            }
            None => (None, None),
        };
        let p = report::page(r, &lens, path, revision, since, baseline.as_ref());
        pages.push((r.meta.id.clone(), p));
    }
    output::warnings(repo.take_notes());
    keep(&args.lens, &roadmaps, pages)
}

/// Write every page where `-o` says (or under its default name) and print
/// the paths written.
fn write(args: &ReportArgs, made: Vec<Made>, forbidden: &[PathBuf]) -> CommandResult {
    let place_err = |e: place::PlaceError| match e {
        place::PlaceError::NotOurs(_) => {
            CommandError::failed(format!("{e}: name it with -o FILE to replace it"))
        }
        e => CommandError::failed(e.to_string()),
    };
    match &args.output {
        Some(o) if made.len() > 1 => Err(CommandError::usage(format!(
            "-o {} takes one page, and {} roadmaps were found: name one with PATH",
            shown(o),
            made.len()
        ))),
        Some(o) if o.as_os_str() == "-" => {
            output::print(&report::html(&made[0].page))?;
            Ok(EXIT_OK)
        }
        Some(o) => {
            place::write(o, &report::html(&made[0].page), place::Replace::Named)
                .map_err(place_err)?;
            output::print(&format!("{}\n", shown(o)))?;
            Ok(EXIT_OK)
        }
        None => {
            let mut names: Vec<String> = vec![];
            for m in &made {
                let name = report::file_name(&m.id, &m.page.lens(), None);
                if names.contains(&name) {
                    return Err(CommandError::usage(format!(
                        "two roadmaps would be written to {}: name one with PATH",
                        sanitize_line(&name)
                    )));
                }
                names.push(name);
            }
            // The one place the TUI's `e` writes too: ROADLENS_REPORT_DIR,
            // else a directory of roadlens's own in the temp directory.
            let dir = place::report_dir(
                std::env::var_os("ROADLENS_REPORT_DIR").map(PathBuf::from),
                forbidden,
            )
            .map_err(CommandError::failed)?;
            let mut out = output::Out::new();
            for (m, name) in made.iter().zip(&names) {
                let path = dir.join(name);
                place::write(&path, &report::html(&m.page), place::Replace::OwnOnly)
                    .map_err(place_err)?;
                out.write(&format!("{}\n", shown(&path)))?;
            }
            Ok(EXIT_OK)
        }
    }
}
