//! `roadlens timeline [PATH] [--lens L] [--at REV] [--baseline REV]
//! [--by release|layer] [--from DATE] [--to DATE] [--width N]
//! [--format text|markdown|json|svg]`
//!
//! The timeline of every roadmap under PATH (a file or a directory), or as
//! it was at `--at REV`, against `--baseline REV` (the same roadmap found
//! by its id at that revision, wherever its file was then: see
//! [`crate::diff::history::same_roadmap_at`]).
//!
//! Exit codes: 0 printed; 1 a roadmap (or its baseline) has errors, no
//! roadmap found, git failed; 2 an unknown lens, revision, grouping or
//! date, `--baseline` outside a repository, `svg` of several roadmaps.

use super::error::{CommandError, CommandResult};
use super::output::{self, stderr_color, stdout_color};
use super::show::{at_rev, load_disk, load_rev, relative_to, unknown_lens_of};
use super::timelineprint::{self, SvgOpts, TextRange};
use super::{EXIT_OK, lensprint};
use crate::diff::history::{Versions, same_roadmap_at};
use crate::lens::timeline::{BaselineLabel, By, TimelineView, has_timeline, timeline};
use crate::lens::{Lens, file_name};
use crate::model::{self, DateSpec, Roadmap};
use crate::repo::{Repo, Rev};
use crate::text::sanitize_line;
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use serde::Serialize;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum TimelineFormat {
    #[default]
    Text,
    /// A Mermaid `gantt` block.
    Markdown,
    Json,
    /// One standalone SVG picture.
    Svg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Release,
    Layer,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// A roadmap file, or a directory to search for roadmaps (default: current directory).
    pub path: Option<PathBuf>,
    /// exec | sales | engineering | layer:<id>
    #[arg(long, short, default_value = "exec")]
    pub lens: String,
    /// The roadmap as it was at a git revision.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Draw where everything was at this revision (a tag, a commit, a date
    /// YYYY-MM-DD), with each row's slip or pull-in.
    #[arg(long, value_name = "REV")]
    pub baseline: Option<String>,
    /// Group work by release or by layer (engineering and layer lenses).
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// Start the chart here (a date or a period: 2027-01-15, 2027-Q1, 2027).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// End the chart here (the end of the period given).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Text: columns (default: the terminal's width, or 100 on a pipe).
    /// SVG: pixels (default 1200; 480 at the least). At least 40.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,
    #[arg(long, short, value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
}

/// A date option: a day, or a period (its start for `--from`, its end for
/// `--to`).
fn date_arg(flag: &str, s: &str, end: bool, today: Date) -> Result<Date, CommandError> {
    let spec =
        DateSpec::parse(s.trim()).map_err(|e| CommandError::usage(format!("--{flag}: {e}")))?;
    let iv = spec.interval(today);
    Ok(if end {
        iv.end.unwrap_or(Date::MAX)
    } else {
        iv.start
    })
}

pub fn run(args: TimelineArgs) -> CommandResult {
    let today = model::today();
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let from = args
        .from
        .as_deref()
        .map(|s| date_arg("from", s, false, today))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|s| date_arg("to", s, true, today))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(CommandError::usage("--from must come before --to"));
    }
    let files = match &args.at {
        None => load_disk(&root, today)?,
        Some(rev) => load_rev(&root, rev, today)?,
    };
    let loaded: Vec<&Roadmap> = files.iter().filter_map(|f| f.roadmap.as_ref()).collect();
    let unknown_lens = |name: &str| unknown_lens_of(name, &loaded, has_timeline);
    let Some(lens) = Lens::parse(&args.lens) else {
        return Err(unknown_lens(&args.lens));
    };
    if !has_timeline(&lens) {
        return Err(CommandError::usage(format!(
            "the {} lens has no timeline",
            sanitize_line(&lens.name())
        )));
    }
    let by = match args.by {
        None => By::default_for(&lens),
        Some(ByArg::Release) => By::Release,
        Some(ByArg::Layer) => By::Layer,
    };
    if !by.fits(&lens) {
        return Err(CommandError::usage(format!(
            "--by {} does not apply to the {} lens (exec is by release, sales by commitment, \
             engineering and layer:<id> by layer or release)",
            by.as_str(),
            sanitize_line(&lens.name())
        )));
    }
    super::show::refuse_broken(&files, Some(&lens), "nothing shown")?;

    let baselines = match &args.baseline {
        None => vec![None; loaded.len()],
        Some(spec) => baselines(&root, spec, args.at.as_deref(), &loaded, today, &lens)?,
    };

    let mut views: Vec<(&Roadmap, TimelineView)> = vec![];
    for (r, base) in loaded.iter().zip(&baselines) {
        let b = base.as_ref().map(|(r, _)| r);
        match timeline(r, &lens, by, b, today) {
            Some(mut v) => {
                v.baseline = base.as_ref().map(|(_, l)| l.clone());
                views.push((r, v));
            }
            None if loaded.len() > 1 => eprintln!(
                "roadlens: {} has no layer `{}`; skipped",
                sanitize_line(&r.path),
                sanitize_line(args.lens.strip_prefix("layer:").unwrap_or(&args.lens))
            ),
            None => {}
        }
    }
    if views.is_empty() {
        return Err(unknown_lens(&args.lens));
    }
    // One end given alone must leave a range: `--to` before every dated
    // row's start (or `--from` after their end) would draw an empty chart.
    let dated = || views.iter().filter_map(|(_, v)| v.dated_range());
    if from.is_none()
        && let Some(t) = to
        && let Some(lo) = dated().map(|(lo, _)| lo).min()
        && t <= lo
    {
        return Err(CommandError::usage(format!(
            "--to {} comes before the chart's start ({lo}): give --from too",
            sanitize_line(args.to.as_deref().unwrap_or_default())
        )));
    }
    if to.is_none()
        && let Some(f) = from
        && let Some(hi) = dated().map(|(_, hi)| hi).max()
        && f >= hi
    {
        return Err(CommandError::usage(format!(
            "--from {} comes after the chart's end ({}): give --to too",
            sanitize_line(args.from.as_deref().unwrap_or_default()),
            hi.yesterday().unwrap_or(hi)
        )));
    }

    let out = match args.format {
        TimelineFormat::Json => {
            if let [(_, v)] = views.as_slice() {
                let mut s = lensprint::to_json(v);
                s.push('\n');
                s
            } else {
                #[derive(Serialize)]
                struct Entry<'a> {
                    path: String,
                    view: &'a TimelineView,
                }
                let entries: Vec<Entry<'_>> = views
                    .iter()
                    .map(|(r, v)| Entry {
                        path: file_name(Some(&lens), &r.path, Some(&r.meta.title)),
                        view: v,
                    })
                    .collect();
                let mut s = lensprint::to_json(&entries);
                s.push('\n');
                s
            }
        }
        TimelineFormat::Svg => {
            let [(_, v)] = views.as_slice() else {
                return Err(CommandError::usage(format!(
                    "{} roadmaps under {}: an SVG picture is of one; name its file",
                    views.len(),
                    sanitize_line(&root.display().to_string())
                )));
            };
            timelineprint::svg(
                v,
                &SvgOpts {
                    width: args.width.map_or(1200, u32::from),
                    from,
                    to,
                },
            )
        }
        format => {
            let width = args.width.map(usize::from).unwrap_or_else(default_width);
            let color = format == TimelineFormat::Text && stdout_color();
            let mut s = String::new();
            for (i, (r, v)) in views.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                    let name = file_name(Some(&lens), &r.path, Some(&r.meta.title));
                    if format == TimelineFormat::Text {
                        s.push_str(&format!("── {} ──\n", sanitize_line(&name)));
                    } else {
                        s.push_str(&format!(
                            "<!-- {} -->\n",
                            sanitize_line(&name).replace("--", "‐‐")
                        ));
                    }
                }
                s.push_str(&match format {
                    TimelineFormat::Markdown => timelineprint::markdown(v),
                    _ => timelineprint::text(v, width, None, TextRange { from, to, color }),
                });
            }
            s
        }
    };
    output::print(&out)?;
    Ok(EXIT_OK)
}

/// Text width: the terminal's, or 100 on a pipe.
fn default_width() -> usize {
    if std::io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(100, |(w, _)| usize::from(w).max(40))
    } else {
        100
    }
}

/// Each roadmap as it was at `spec`, with the label the charts show
/// ([`BaselineLabel::for_lens`]). A roadmap that was not there yet is
/// a roadmap without entities (everything "not in baseline").
fn baselines(
    root: &Path,
    spec: &str,
    at: Option<&str>,
    loaded: &[&Roadmap],
    today: Date,
    lens: &Lens,
) -> Result<Vec<Option<(Roadmap, BaselineLabel)>>, CommandError> {
    let repo = Repo::discover(root).map_err(|e| match e {
        crate::repo::RepoError::NotARepo(_) => {
            CommandError::usage(format!("--baseline needs a git repository: {e}"))
        }
        e => CommandError::from(e),
    })?;
    let base = repo.resolve(spec)?;
    let target = match at {
        Some(a) => repo.resolve(a)?,
        None => Rev::WorkTree,
    };
    let label = BaselineLabel::for_lens(lens, &base.named(spec), repo.commit_day(&base)?);
    let workdir = repo.workdir();
    let mut versions = Versions::new(today);
    let mut out = vec![];
    for r in loaded {
        let path = match at {
            Some(a) => r.path.strip_prefix(&at_rev(a, "")).map(str::to_string),
            None => workdir
                .as_deref()
                .and_then(|wd| relative_to(wd, Path::new(&r.path))),
        };
        let Some(path) = path else {
            return Err(CommandError::failed(format!(
                "{} is not in the repository",
                sanitize_line(&r.path)
            )));
        };
        let found = same_roadmap_at(&repo, &mut versions, &base, &target, &path, &r.meta.id)?;
        let old = match found {
            Some(v) => match v.roadmap() {
                Some(old) => old.clone(),
                None => {
                    // Located at the revision (`REV:path:line:col`), as
                    // `show --at` locates them: the working tree's file
                    // may well be fine.
                    let at = model::LoadedFile {
                        path: at_rev(spec, &v.path),
                        ..v.file.clone()
                    };
                    // Not for an audience that does not read them: the
                    // lens's name of the roadmap, and where to look.
                    let (name, hint) = if lens.reads_diagnostics() {
                        eprint!("{}", at.render_diagnostics(stderr_color()));
                        (format!("`{}`", sanitize_line(&r.meta.id)), "")
                    } else {
                        let name = crate::lens::file_name(Some(lens), &v.path, Some(&r.meta.title));
                        (
                            sanitize_line(&name).into_owned(),
                            " (roadlens check tells where)",
                        )
                    };
                    return Err(CommandError::failed(format!(
                        "the roadmap {name} does not load at {}{hint}; it cannot be the baseline",
                        sanitize_line(spec)
                    )));
                }
            },
            None => Roadmap {
                releases: vec![],
                features: vec![],
                ..(*r).clone()
            },
        };
        out.push(Some((old, label.clone())));
    }
    Ok(out)
}
