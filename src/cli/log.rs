//! `roadlens log [--lens L] [--format text|markdown|json] [-n N] [--entity ID] [-- PATHS]`
//!
//! The roadmap's history, newest first: uncommitted changes (working tree,
//! then the index when it differs), then every commit that changed a
//! roadmap file, each diffed against its parent. One line per entry: short
//! id, date, author, subject, change counts and the most important change.
//!
//! With `--lens`, counts and headline are of what that lens shows, and
//! entries with nothing left in the lens are omitted (without a lens, a
//! commit that only reformatted a roadmap is listed with "no changes").
//! `-n N` stops after N listed entries. `-- PATHS` limits it to those
//! roadmap files or directories, a file followed back through its renames
//! ([`history::Scope`]).
//!
//! `--entity ID` prints one entity's ledger instead: every change to it,
//! oldest first, and for a release or feature the sequence of its target
//! dates with the total slip (`-n` does not apply).

use super::diff::{known_layer, open_repo, parse_lens, roadmaps_at};
use super::diffprint::{count_line, md_escape};
use super::error::{CommandError, CommandResult};
use super::output::Out;
use super::{EXIT_OK, Format};
use crate::diff::history::{self, Uncommitted};
use crate::diff::ledger::LineKind;
use crate::diff::{Change, FileDiff, FileStatus};
use crate::lens::Lens;
use crate::repo::{HistoryEntry, Repo, Rev};
use crate::text::sanitize_line;
use clap::Args;
use serde::Serialize;

#[derive(Args, Debug)]
pub struct LogArgs {
    /// Count only what this lens shows: exec | sales | engineering | decisions | layer:<id>
    #[arg(long, short)]
    pub lens: Option<String>,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// At most N entries.
    #[arg(short = 'n', long = "max-count")]
    pub max_count: Option<usize>,
    /// Every change to one entity over history (for releases and features, the target ledger).
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
    /// Only these roadmap files or directories (a file followed back
    /// through its renames); with --entity: the one roadmap file whose
    /// history to tell (needed when several roadmaps hold that id).
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(args: LogArgs) -> CommandResult {
    run_inner(&args, &mut Out::new())
}

fn emit(out: &mut Out, s: &str) -> Result<(), CommandError> {
    out.write(s)
}

/// One history entry, diffed (the history rule: [`history`]).
struct Diffed {
    entry: HistoryEntry,
    files: Vec<FileDiff>,
}

/// Every entry, newest first, diffed one at a time as `lens` notices it
/// (history streams; only the last few file versions stay loaded).
fn walk<'r>(
    repo: &'r Repo,
    lens: Option<&'r Lens>,
    scope: history::Scope,
) -> Result<impl Iterator<Item = Result<Diffed, CommandError>> + 'r, CommandError> {
    let today = crate::model::today();
    let walk = history::walk_scoped(repo, today, Uncommitted::AgainstHead, scope)?;
    Ok(walk.map(move |c| {
        // (What of the entry a lens may say is its stamp's: [`stamp`].)
        let c = c?;
        Ok(Diffed {
            files: c.files.iter().map(|f| f.diff_as(lens)).collect(),
            entry: c.entry,
        })
    }))
}

fn short(rev: &Rev) -> String {
    match rev {
        Rev::Commit(_) => rev.label(),
        Rev::Index => "index".into(),
        Rev::WorkTree => "working".into(),
    }
}

fn day(e: &HistoryEntry) -> String {
    history::day(e.time, e.offset_minutes)
}

fn rfc3339(time: i64, offset_minutes: i32) -> Option<String> {
    history::zoned(time, offset_minutes)
        .map(|z| z.timestamp().display_with_offset(z.offset()).to_string())
}

/// What a listed entry says: its changes under the lens and the headline.
struct Summary {
    changes: Vec<Change>,
    headline: Option<String>,
    broken: Vec<String>,
}

fn summarize(d: &Diffed, lens: Option<&Lens>) -> Summary {
    let changes: Vec<Change> = d.files.iter().flat_map(|f| f.changes.clone()).collect();
    // Under sales the audience diff already says a broken version without
    // its place or error; its path is left out too.
    let sales = lens.is_some_and(|l| !l.reads_diagnostics());
    let broken: Vec<String> = d
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Unparseable)
        .map(|f| {
            let error = f.error.clone().unwrap_or_default();
            if sales {
                error
            } else {
                format!("{} could not be compared: {error}", f.shown_path())
            }
        })
        .collect();
    let headline = crate::diff::headline(&changes)
        .map(|c| c.summary.clone())
        .or_else(|| broken.first().cloned());
    Summary {
        changes,
        headline,
        broken,
    }
}

/// Who, when and why of an entry in JSON, as the lens may name them
/// ([`history::Stamp::for_lens`]): under sales no commit, author, time or
/// message, and the quarter of the commit's day instead.
#[derive(Serialize)]
struct JsonStamp {
    commit: Option<String>,
    author: String,
    time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quarter: Option<String>,
    summary: String,
}

impl From<&history::Stamp> for JsonStamp {
    fn from(st: &history::Stamp) -> JsonStamp {
        let hide = st.quarter_only;
        JsonStamp {
            commit: st.rev.commit().filter(|_| !hide).map(str::to_string),
            author: if hide {
                String::new()
            } else {
                st.author.clone()
            },
            time: rfc3339(st.time, st.offset_minutes).filter(|_| !hide),
            quarter: (hide && st.rev.commit().is_some()).then(|| st.to_string()),
            summary: st.summary.clone(),
        }
    }
}

#[derive(Serialize)]
struct JsonEntry {
    #[serde(flatten)]
    stamp: JsonStamp,
    files: Vec<String>,
    counts: serde_json::Map<String, serde_json::Value>,
    headline: Option<String>,
}

fn json_entry(d: &Diffed, s: &Summary, lens: Option<&Lens>) -> JsonEntry {
    let counts = crate::diff::counts(&s.changes)
        .into_iter()
        .map(|(k, n)| (k.as_str().to_string(), serde_json::Value::from(n)))
        .collect();
    JsonEntry {
        stamp: JsonStamp::from(&stamp(d, lens)),
        // As the lens names them (under sales: the roadmaps' titles).
        files: d.files.iter().map(|f| f.path.clone()).collect(),
        counts,
        headline: s.headline.clone(),
    }
}

/// "3 changes: 1 slipped, 2 status", plus unparsed files.
fn counts_text(s: &Summary) -> String {
    let mut counts = count_line(&s.changes);
    if !s.broken.is_empty() {
        counts.push_str(&format!(
            ", {} file{} not parsed",
            s.broken.len(),
            if s.broken.len() == 1 { "" } else { "s" }
        ));
    }
    counts
}

/// The entry's stamp as `lens` may name it: under sales the quarter of its
/// day only ([`history::Stamp::for_lens`], as the ledger and the TUI say it).
fn stamp(d: &Diffed, lens: Option<&Lens>) -> history::Stamp {
    history::Stamp::of(&d.entry).for_lens(lens)
}

fn text_line(d: &Diffed, s: &Summary, lens: Option<&Lens>) -> String {
    let counts = counts_text(s);
    let st = stamp(d, lens);
    if st.quarter_only {
        let mut line = format!("{st} ({counts})");
        if let Some(h) = &s.headline {
            line.push_str(" — ");
            line.push_str(&sanitize_line(h));
        }
        line.push('\n');
        return line;
    }
    // A subject not shown (the sales lens hides commit messages) leaves no
    // empty ": ".
    let subject = match d.entry.summary.as_str() {
        "" => String::new(),
        s => format!(
            " {}",
            super::output::subject(s, super::output::subject_width())
        ),
    };
    let author = match (d.entry.author.as_str(), subject.is_empty()) {
        ("", _) => String::new(),
        (a, false) => format!(" {}:", sanitize_line(a)),
        (a, true) => format!(" {}", sanitize_line(a)),
    };
    let mut line = format!(
        "{:<7} {}{author}{subject} ({counts})",
        short(&d.entry.rev),
        day(&d.entry),
    );
    if let Some(h) = &s.headline {
        line.push_str(" — ");
        line.push_str(&sanitize_line(h));
    }
    line.push('\n');
    line
}

fn markdown_line(d: &Diffed, s: &Summary, lens: Option<&Lens>) -> String {
    let st = stamp(d, lens);
    if st.quarter_only {
        let mut line = format!(
            "- {} ({})",
            md_escape(&st.to_string()),
            md_escape(&counts_text(s))
        );
        if let Some(h) = &s.headline {
            line.push_str(&format!(" — {}", md_escape(h)));
        }
        line.push('\n');
        return line;
    }
    let subject = match d.entry.summary.as_str() {
        "" => String::new(),
        s => format!(
            ": {}",
            md_escape(&super::output::subject(s, super::output::subject_width()))
        ),
    };
    let mut line = format!(
        "- `{}` {} **{}**{subject} ({})",
        short(&d.entry.rev),
        day(&d.entry),
        md_escape(&d.entry.author),
        md_escape(&counts_text(s)),
    );
    if let Some(h) = &s.headline {
        line.push_str(&format!(" — {}", md_escape(h)));
    }
    line.push('\n');
    line
}

fn run_inner(args: &LogArgs, out: &mut Out) -> CommandResult {
    let lens = parse_lens(args.lens.as_deref())?;
    let repo = open_repo()?;
    // The layers of the roadmaps as they are now (the working tree, else the
    // last commit).
    let head = repo.resolve("HEAD").ok();
    let now: Vec<&Rev> = [&Rev::WorkTree].into_iter().chain(head.as_ref()).collect();
    known_layer(&repo, lens.as_ref(), &now)?;
    if let Some(id) = &args.entity {
        let file = entity_file(&repo, id, &args.paths, &now)?;
        return entity_log(&repo, id, file.as_deref(), lens.as_ref(), args.format, out);
    }
    let paths = args
        .paths
        .iter()
        .map(|p| super::diff::repo_relative(&repo, p))
        .collect::<Result<Vec<String>, _>>()?;
    let scope = history::Scope::new(paths.clone());
    let mut json = vec![];
    let mut listed = 0usize;
    if args.format == Format::Markdown {
        emit(out, "### Roadmap history\n\n")?;
    }
    for d in walk(&repo, lens.as_ref(), scope)? {
        if args.max_count.is_some_and(|n| listed >= n) {
            break;
        }
        let d = d?;
        if lens.is_some() && !history::noticed(&d.files) {
            continue;
        }
        let s = summarize(&d, lens.as_ref());
        listed += 1;
        match args.format {
            Format::Text => emit(out, &text_line(&d, &s, lens.as_ref()))?,
            Format::Markdown => emit(out, &markdown_line(&d, &s, lens.as_ref()))?,
            Format::Json => json.push(json_entry(&d, &s, lens.as_ref())),
        }
    }
    super::output::warnings(repo.take_notes());
    shallow_warning(&repo);
    match args.format {
        Format::Json => {
            let s = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into());
            emit(out, &(crate::text::json_safe(s) + "\n"))?;
        }
        // (`-n 0` asks for nothing: nothing to say.)
        Format::Text if listed == 0 && args.max_count != Some(0) => {
            let shown: Vec<String> = paths
                .iter()
                .map(|p| sanitize_line(p).into_owned())
                .collect();
            let said = match (lens.is_some(), shown.is_empty()) {
                (true, true) => "No roadmap changes in this lens.".to_string(),
                (true, false) => format!("No changes to {} in this lens.", shown.join(", ")),
                (false, true) => "No roadmap history yet.".to_string(),
                (false, false) => format!("No roadmap history for {}.", shown.join(", ")),
            };
            emit(out, &(said + "\n"))?
        }
        _ => {}
    }
    Ok(EXIT_OK)
}

// ------------------------------------------------------------- ledger

#[derive(Serialize)]
struct JsonEntityChange {
    #[serde(flatten)]
    stamp: JsonStamp,
    change: Change,
}

#[derive(Serialize)]
struct JsonTarget {
    commit: Option<String>,
    time: Option<String>,
    target: Option<String>,
    release: Option<String>,
}

#[derive(Serialize)]
struct JsonLedger {
    id: String,
    changes: Vec<JsonEntityChange>,
    targets: Option<Vec<JsonTarget>>,
    total: Option<String>,
}

/// A shallow clone's oldest commit is "added" only because its parents are
/// not here: said on stderr by `log` and `log --entity`.
fn shallow_warning(repo: &Repo) {
    if repo.is_shallow() {
        super::output::warnings(vec![
            "this is a shallow clone: history stops at its oldest commit, which shows what it holds as added (git fetch --unshallow for all of it)".into(),
        ]);
    }
}

/// The one roadmap file whose history `log --entity ID` tells: `-- PATH`,
/// else none (every file) unless roadmaps in several files hold `id` `now`
/// (the working tree, else `HEAD`): their histories would mix, so exit 2
/// naming them.
fn entity_file(
    repo: &Repo,
    id: &str,
    paths: &[std::path::PathBuf],
    now: &[&Rev],
) -> Result<Option<String>, CommandError> {
    match paths {
        [] => {}
        [p] => return super::diff::repo_relative(repo, p).map(Some),
        _ => return Err(CommandError::usage("`--entity` takes one roadmap file")),
    }
    for rev in now {
        let holding: Vec<String> = roadmaps_at(repo, rev)
            .into_iter()
            .filter(|(_, r)| r.has_id(id))
            .map(|(path, _)| path)
            .collect();
        match holding.len() {
            0 => continue,
            1 => return Ok(None),
            _ => {
                let files: Vec<String> = holding
                    .iter()
                    .map(|p| sanitize_line(p).into_owned())
                    .collect();
                return Err(CommandError::usage(format!(
                    "`{}` is in {} roadmap files ({}): name one, `roadlens log --entity {} -- {}`",
                    sanitize_line(id),
                    files.len(),
                    files.join(", "),
                    sanitize_line(id),
                    files[0]
                )));
            }
        }
    }
    Ok(None)
}

fn entity_log(
    repo: &Repo,
    id: &str,
    file: Option<&str>,
    lens: Option<&Lens>,
    format: Format,
    out: &mut Out,
) -> CommandResult {
    let ledger = history::entity_ledger(repo, crate::model::today(), id, lens, file)?;
    super::output::warnings(repo.take_notes());
    shallow_warning(repo);
    let Some(ledger) = ledger else {
        // The same answer for an id that never existed and for one the lens
        // hides: a lens never tells which hidden ids exist.
        return Err(CommandError::failed(match lens {
            Some(l) => format!("no entity `{id}` in the {} lens's history", l.name()),
            None => format!("no entity `{id}` in the roadmap history"),
        }));
    };
    match format {
        Format::Json => {
            let doc = JsonLedger {
                id: id.to_string(),
                changes: ledger
                    .entries
                    .iter()
                    .flat_map(|(e, changes)| {
                        changes.iter().map(move |c| JsonEntityChange {
                            stamp: JsonStamp::from(e),
                            change: c.clone(),
                        })
                    })
                    .collect(),
                targets: ledger.target.as_ref().map(|l| {
                    l.points
                        .iter()
                        .map(|p| JsonTarget {
                            commit: p.rev.rev.commit().map(str::to_string),
                            time: rfc3339(p.rev.time, p.rev.offset_minutes),
                            target: p.target.map(|t| t.to_string()),
                            release: p.release.clone(),
                        })
                        .collect()
                }),
                total: ledger.target.as_ref().map(|l| l.summary.clone()),
            };
            let s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
            emit(out, &(crate::text::json_safe(s) + "\n"))?;
        }
        Format::Text | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut s = String::new();
            let title = ledger
                .last_change()
                .map(|c| super::diffprint::entity_heading(c, matches!(lens, Some(Lens::Sales))))
                .unwrap_or_else(|| sanitize_line(id).into_owned());
            if md {
                s.push_str(&format!("### History of {}\n\n", md_escape(&title)));
            } else {
                s.push_str(&format!("History of {title}\n"));
            }
            for line in ledger.lines() {
                let (indent, text) = match line.kind {
                    LineKind::Revision if md => ("- ", md_escape(&line.text)),
                    LineKind::Change(_) if md => ("  - ", md_escape(&line.text)),
                    LineKind::Target if md => ("\n**", md_escape(&line.text) + "**"),
                    LineKind::Revision => ("  ", sanitize_line(&line.text).into_owned()),
                    LineKind::Change(_) => ("      ", sanitize_line(&line.text).into_owned()),
                    LineKind::Target => ("", sanitize_line(&line.text).into_owned()),
                };
                s.push_str(indent);
                s.push_str(&text);
                s.push('\n');
            }
            emit(out, &s)?;
        }
    }
    Ok(EXIT_OK)
}
