//! `roadlens show [PATH] --lens L --format F [--at REV]`
//!
//! Prints one lens of every roadmap found under PATH (a file or a directory,
//! default `.`), or of the roadmaps as they were at a git revision.
//!
//! Output with several roadmaps: text and markdown print each after a rule
//! and its path; JSON prints an array of `{"path", "lens", "view"}` objects.
//! With exactly one roadmap, JSON is the view object itself (what the lens
//! shows, nothing it hides).
//!
//! Exit codes: 0 printed; 1 a roadmap has errors (diagnostics on stderr), no
//! roadmap found, or git failed; 2 an unknown lens, path or revision.

use super::error::{CommandError, CommandResult};
use super::lensprint::{render, separator, to_json};
use super::output::{self, stderr_color, stdout_color};
use super::{EXIT_OK, Format};
use crate::lens::{Lens, LensView, file_name, lenses, project};
use crate::model::{self, LoadedFile, Roadmap};
use crate::repo::{Repo, RepoError};
use crate::text::sanitize_line;
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A roadmap file, or a directory to search for roadmaps (default: current directory).
    pub path: Option<PathBuf>,
    /// exec | sales | engineering | decisions | layer:<id>
    #[arg(long, short, default_value = "exec")]
    pub lens: String,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show the roadmap as it was at a git revision.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
}

pub fn run(args: ShowArgs) -> CommandResult {
    let today = model::today();
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let files = match &args.at {
        None => load_disk(&root, today),
        Some(rev) => load_rev(&root, rev, today),
    };
    let files = files?;

    let loaded: Vec<&Roadmap> = files.iter().filter_map(|f| f.roadmap.as_ref()).collect();
    let Some(lens) = Lens::parse(&args.lens) else {
        return Err(unknown_lens(&args.lens, &loaded));
    };

    refuse_broken(&files, Some(&lens), "nothing shown")?;

    let mut views: Vec<(&Roadmap, LensView)> = Vec::new();
    for r in &loaded {
        match project(r, &lens) {
            Some(v) => views.push((r, v)),
            None if loaded.len() > 1 => eprintln!(
                "roadlens: {} has no layer `{}`; skipped",
                sanitize_line(&r.path),
                sanitize_line(args.lens.strip_prefix("layer:").unwrap_or(&args.lens))
            ),
            None => {}
        }
    }
    if views.is_empty() {
        return Err(unknown_lens(&args.lens, &loaded));
    }

    let color = args.format == Format::Text && stdout_color();
    let out = match (args.format, views.as_slice()) {
        (_, [(_, v)]) => render(v, args.format, color),
        (Format::Json, _) => {
            #[derive(Serialize)]
            struct Entry<'a> {
                path: String,
                lens: String,
                view: &'a LensView,
            }
            let entries: Vec<Entry<'_>> = views
                .iter()
                .map(|(r, v)| Entry {
                    path: file_name(Some(&lens), &r.path, Some(&r.meta.title)),
                    lens: lens.name(),
                    view: v,
                })
                .collect();
            let mut s = to_json(&entries);
            s.push('\n');
            s
        }
        (format, _) => {
            let mut s = String::new();
            for (i, (r, v)) in views.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                let name = file_name(Some(&lens), &r.path, Some(&r.meta.title));
                s.push_str(&separator(&name, v, format, color));
                s.push_str(&render(v, format, color));
            }
            s
        }
    };
    output::print(&out)?;
    Ok(EXIT_OK)
}

pub(crate) fn unknown_lens(name: &str, roadmaps: &[&Roadmap]) -> CommandError {
    unknown_lens_of(name, roadmaps, |_| true)
}

/// The same, naming only the lenses `offered` keeps (the timeline's: not
/// the decision canvas).
pub(crate) fn unknown_lens_of(
    name: &str,
    roadmaps: &[&Roadmap],
    offered: impl Fn(&Lens) -> bool,
) -> CommandError {
    let mut valid: Vec<String> = [Lens::Exec, Lens::Sales, Lens::Engineering, Lens::Decisions]
        .iter()
        .filter(|l| offered(l))
        .map(|l| l.name())
        .collect();
    for r in roadmaps {
        for l in lenses(r).iter().filter(|l| offered(l)) {
            let n = sanitize_line(&l.name()).into_owned();
            if !valid.contains(&n) {
                valid.push(n);
            }
        }
    }
    if roadmaps.is_empty() {
        valid.push("layer:<id>".into());
    }
    CommandError::usage(format!(
        "unknown lens `{}`; valid lenses: {}",
        sanitize_line(name),
        valid.join(", ")
    ))
}

/// Why a bare repository shows no roadmap, and where its roadmaps are.
pub(crate) const BARE_HINT: &str =
    "a bare repository has no working tree: `roadlens show --at HEAD` or `log` read its history";

fn shown(p: &Path) -> String {
    sanitize_line(&p.display().to_string()).into_owned()
}

/// Files with errors: their diagnostics on stderr (not under a lens that
/// does not read them: how many, and where to look), and an error saying
/// `what` did not happen (the commands that show roadmaps — show, timeline,
/// deps, report — show nothing then).
pub(crate) fn refuse_broken(
    files: &[LoadedFile],
    lens: Option<&Lens>,
    what: &str,
) -> Result<(), CommandError> {
    let broken: Vec<&LoadedFile> = files.iter().filter(|f| f.has_errors()).collect();
    if broken.is_empty() {
        return Ok(());
    }
    let n = broken.len();
    let files = format!("{n} roadmap file{}", if n == 1 { "" } else { "s" });
    if lens.is_some_and(|l| !l.reads_diagnostics()) {
        return Err(CommandError::failed(format!(
            "{files} with errors (roadlens check tells where); {what}"
        )));
    }
    let color = stderr_color();
    let mut err = String::new();
    for f in &broken {
        err.push_str(&f.render_diagnostics(color));
    }
    eprint!("{err}");
    Err(CommandError::failed(format!("{files} with errors; {what}")))
}

/// Roadmaps on disk under `root` (also for `deps`).
pub(crate) fn load_disk(
    root: &Path,
    today: jiff::civil::Date,
) -> Result<Vec<LoadedFile>, CommandError> {
    if !root.exists() {
        return Err(CommandError::usage(format!(
            "{}: no such file or directory",
            shown(root)
        )));
    }
    let paths = crate::repo::roadmaps_on_disk(root)
        .map_err(|e| CommandError::failed(format!("cannot read {}: {e}", shown(root))))?;
    if paths.is_empty() {
        let why = if crate::repo::is_bare_at(root) {
            BARE_HINT
        } else {
            "a .toml file with a [roadmap] table"
        };
        return Err(CommandError::failed(format!(
            "no roadmap under {} ({why})",
            shown(root)
        )));
    }
    Ok(paths
        .iter()
        .map(|p| model::load_path(&super::check::display_path(p), p, today))
        .collect())
}

/// Roadmaps as they were at revision `spec` of the repository holding
/// `root`, limited to those under `root`. Paths show as `REV:path`.
pub(crate) fn load_rev(
    root: &Path,
    spec: &str,
    today: jiff::civil::Date,
) -> Result<Vec<LoadedFile>, CommandError> {
    let fail = |e: RepoError| match e {
        // `show` reads plain files too: outside a repository is no usage error.
        RepoError::NotARepo(_) => CommandError::failed(e.to_string()),
        e => CommandError::from(e),
    };
    let repo = Repo::discover(root).map_err(fail)?;
    let rev = repo.resolve(spec).map_err(fail)?;
    let prefix = repo
        .workdir()
        .and_then(|wd| relative_to(&wd, root))
        .unwrap_or_default();
    let files: Vec<String> = repo
        .roadmap_files(&rev)
        .map_err(fail)?
        .into_iter()
        .filter(|p| prefix.is_empty() || *p == prefix || p.starts_with(&format!("{prefix}/")))
        .collect();
    if files.is_empty() {
        return Err(CommandError::failed(format!(
            "no roadmap under {} at {}",
            shown(root),
            sanitize_line(spec)
        )));
    }
    super::output::warnings(repo.take_notes());
    let mut out = Vec::new();
    for path in files {
        let display = at_rev(spec, &path);
        match repo.read(&rev, &path).map_err(fail)? {
            Some(bytes) => out.push(model::load_bytes(&display, &bytes, today)),
            None => {
                return Err(CommandError::failed(format!(
                    "{} vanished while reading",
                    sanitize_line(&display)
                )));
            }
        }
    }
    Ok(out)
}

/// How a file read at a revision is named (in diagnostics and headings):
/// `REV:path`, the revision as the user wrote it, as `git show REV:path`
/// takes it. The one rule of every command that reads a revision.
pub(crate) fn at_rev(spec: &str, path: &str) -> String {
    format!("{spec}:{path}")
}

/// `path` relative to the repository root `workdir`, `/`-separated ("" for
/// the root itself); `None` when it lies outside. Works for paths that no
/// longer exist on disk (files deleted since the revision).
pub(crate) fn relative_to(workdir: &Path, path: &Path) -> Option<String> {
    let wd = workdir.canonicalize().ok()?;
    let abs = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let base = match parent {
                Some(p) => p.canonicalize().ok()?,
                None => std::env::current_dir().ok()?.canonicalize().ok()?,
            };
            base.join(path.file_name()?)
        }
    };
    let rel = abs.strip_prefix(&wd).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}
