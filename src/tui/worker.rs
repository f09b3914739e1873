//! Git work off the UI thread: the history stream, diffs of the selected
//! entry, slip ledgers and roadmaps as of a revision.
//!
//! Each kind of job runs on its own thread and keeps only the newest pending
//! request (like gitui's asyncjob): when the cursor moves fast, the diffs of
//! the entries it skipped are never computed. Results come back as [`Msg`]s
//! on the channel the event loop blocks on. Tests use the inline mode: jobs
//! queue up and [`super::App::settle`] runs them on the calling thread.

use super::views::Source;
use crate::diff::{self, FileDiff};
use crate::lens::ItemRef;
use crate::model::{self, EntityKind};
use crate::repo::{FileChange, HistoryEntry, Repo, Rev};
use crate::text::sanitize_line;
use jiff::civil::Date;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

/// Which two revisions a diff compares. `generation` changes whenever the
/// working tree changed, so cached diffs of uncommitted entries go stale.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DiffKey {
    pub base: Option<Rev>,
    pub target: Rev,
    pub generation: u64,
}

/// One file of a computed diff.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub diff: FileDiff,
    /// The unified text diff, one sanitized line each.
    pub raw: Vec<String>,
}

pub type DiffResult = Result<Vec<FileResult>, String>;

/// A roadmap as of a revision.
pub struct Opened {
    pub rev: Rev,
    pub sources: Vec<Source>,
    /// Which source corresponds to the roadmap being viewed.
    pub select: Option<usize>,
}

pub enum Job {
    /// Stream the whole history: uncommitted entries, then commits.
    History,
    /// Recompute only the uncommitted entries (the working tree changed).
    Uncommitted,
    Diff {
        key: DiffKey,
        /// The files to compare (None: every roadmap file of both sides).
        files: Option<Vec<FileChange>>,
    },
    /// The slip ledger of a release or feature in the file at `path`.
    Ledger { item: ItemRef, path: PathBuf },
    /// Load every roadmap as of `rev`; `current` is the file being viewed.
    Open { rev: Rev, current: Option<PathBuf> },
}

impl Job {
    fn lane(&self) -> usize {
        match self {
            Job::History => 0,
            Job::Uncommitted => 4,
            Job::Diff { .. } => 1,
            Job::Ledger { .. } => 2,
            Job::Open { .. } => 3,
        }
    }
}

/// Everything the event loop waits for.
pub enum Msg {
    Input(ratatui::crossterm::event::Event),
    /// A roadmap file (or its directory) changed on disk.
    FsChanged,
    /// The input stream ended: leave now.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT: leave now, exiting with 128 + the signal.
    Signal(i32),
    /// No repository (the History tab says why).
    NoRepo(String),
    /// Entries in display order; `uncommitted` batches replace the current
    /// uncommitted entries, others append.
    History {
        uncommitted: bool,
        entries: Vec<HistoryEntry>,
    },
    /// The walk ended (with an error message if it failed).
    HistoryDone(Option<String>),
    Diff(DiffKey, DiffResult),
    Ledger(ItemRef, Result<Vec<String>, String>),
    Opened(Result<Opened, String>),
}

/// How jobs run.
pub enum Worker {
    Threads(Vec<Sender<Job>>),
    Inline { ctx: RepoCtx, queue: VecDeque<Job> },
}

impl Worker {
    /// One thread per kind of job, each sending results on `tx`.
    pub fn threads(root: PathBuf, today: Date, tx: Sender<Msg>) -> Worker {
        let lanes = (0..5)
            .map(|lane| {
                let (jtx, jrx) = mpsc::channel::<Job>();
                let tx = tx.clone();
                let mut ctx = RepoCtx::new(root.clone(), today);
                std::thread::Builder::new()
                    .name(format!("roadlens-git-{lane}"))
                    .spawn(move || lane_loop(&mut ctx, jrx, tx))
                    .map(|_| jtx)
            })
            .collect::<Result<Vec<_>, _>>();
        match lanes {
            Ok(l) => Worker::Threads(l),
            // No threads: run inline (the event loop settles after each batch).
            Err(_) => Worker::inline(root, today),
        }
    }

    pub fn inline(root: PathBuf, today: Date) -> Worker {
        Worker::Inline {
            ctx: RepoCtx::new(root, today),
            queue: VecDeque::new(),
        }
    }

    pub fn submit(&mut self, job: Job) {
        match self {
            Worker::Threads(lanes) => {
                if let Some(l) = lanes.get(job.lane()) {
                    let _ = l.send(job);
                }
            }
            Worker::Inline { queue, .. } => {
                // Newest request wins here too.
                let lane = job.lane();
                if lane != 0 {
                    queue.retain(|j| j.lane() != lane);
                }
                queue.push_back(job);
            }
        }
    }

    /// Inline mode: run one queued job, collecting its messages.
    pub fn run_one(&mut self) -> Option<Vec<Msg>> {
        match self {
            Worker::Threads(_) => None,
            Worker::Inline { ctx, queue } => {
                let job = queue.pop_front()?;
                let mut out = vec![];
                run_job(ctx, job, &mut |m| out.push(m));
                Some(out)
            }
        }
    }
}

fn lane_loop(ctx: &mut RepoCtx, rx: Receiver<Job>, tx: Sender<Msg>) {
    while let Ok(mut job) = rx.recv() {
        // Keep only the newest pending request (history jobs all run).
        if job.lane() != 0 {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
        }
        let mut closed = false;
        run_job(ctx, job, &mut |m| {
            if tx.send(m).is_err() {
                closed = true;
            }
        });
        if closed {
            return;
        }
    }
}

/// A thread's view of the repository, opened on first use.
pub struct RepoCtx {
    root: PathBuf,
    today: Date,
    /// The repository and the repository-relative path of `root` (the
    /// scope: only roadmap files under it count; "" for the whole tree).
    repo: Option<Result<(Repo, String), String>>,
}

impl RepoCtx {
    fn new(root: PathBuf, today: Date) -> RepoCtx {
        RepoCtx {
            root,
            today,
            repo: None,
        }
    }

    fn repo(&mut self) -> Result<(&Repo, &str), String> {
        if self.repo.is_none() {
            self.repo = Some(
                Repo::discover(&self.root)
                    .map_err(|e| e.to_string())
                    .map(|r| {
                        let scope = repo_relative(&r, &self.root).unwrap_or_default();
                        (r, scope)
                    }),
            );
        }
        match self.repo.as_ref() {
            Some(Ok((r, s))) => Ok((r, s.as_str())),
            Some(Err(e)) => Err(e.clone()),
            None => Err("no repository".into()),
        }
    }
}

/// Whether a repository path is under the scope (a directory or a file).
fn in_scope(scope: &str, path: &str) -> bool {
    scope.is_empty()
        || path == scope
        || path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The entry with only the files in scope; None when it touches none.
fn scoped(mut e: HistoryEntry, scope: &str) -> Option<HistoryEntry> {
    e.files.retain(|f| {
        [&f.old_path, &f.new_path]
            .into_iter()
            .flatten()
            .any(|p| in_scope(scope, p))
    });
    (!e.files.is_empty()).then_some(e)
}

/// A path on disk as a repository-relative path (`/`-separated).
fn repo_relative(repo: &Repo, path: &Path) -> Option<String> {
    let wd = repo.workdir()?;
    let wd = std::fs::canonicalize(&wd).unwrap_or(wd);
    let abs = std::fs::canonicalize(path).ok()?;
    let rel = abs.strip_prefix(&wd).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

const BATCH: usize = 64;

fn run_job(ctx: &mut RepoCtx, job: Job, out: &mut dyn FnMut(Msg)) {
    let today = ctx.today;
    let (repo, scope) = match ctx.repo() {
        Ok(r) => r,
        Err(e) => {
            match job {
                Job::History => out(Msg::NoRepo(e)),
                Job::Uncommitted => {}
                Job::Diff { key, .. } => out(Msg::Diff(key, Err(e))),
                Job::Ledger { item, .. } => out(Msg::Ledger(item, Err(e))),
                Job::Open { .. } => out(Msg::Opened(Err(e))),
            }
            return;
        }
    };
    match job {
        Job::History => {
            let unc = repo.uncommitted().unwrap_or_default();
            let unc = unc.into_iter().filter_map(|e| scoped(e, scope)).collect();
            out(Msg::History {
                uncommitted: true,
                entries: unc,
            });
            let walk = match repo.history() {
                Ok(w) => w,
                Err(e) => {
                    out(Msg::HistoryDone(Some(e.to_string())));
                    return;
                }
            };
            let mut batch = vec![];
            let mut error = None;
            for e in walk {
                match e {
                    Ok(e) => match scoped(e, scope) {
                        Some(e) => batch.push(e),
                        None => continue,
                    },
                    Err(e) => {
                        error = Some(e.to_string());
                        break;
                    }
                }
                // The first entries go out at once, the rest in batches.
                if batch.len() >= BATCH || batch.len() == 1 {
                    out(Msg::History {
                        uncommitted: false,
                        entries: std::mem::take(&mut batch),
                    });
                }
            }
            if !batch.is_empty() {
                out(Msg::History {
                    uncommitted: false,
                    entries: batch,
                });
            }
            out(Msg::HistoryDone(error));
        }
        Job::Uncommitted => {
            if let Ok(unc) = repo.uncommitted() {
                out(Msg::History {
                    uncommitted: true,
                    entries: unc.into_iter().filter_map(|e| scoped(e, scope)).collect(),
                });
            }
        }
        Job::Diff { key, files } => {
            let r = compute_diff(repo, scope, &key, files, today);
            out(Msg::Diff(key, r));
        }
        Job::Ledger { item, path } => {
            let r = ledger(repo, &item, &path, today);
            out(Msg::Ledger(item, r));
        }
        Job::Open { rev, current } => {
            let r = open(repo, scope, rev, current.as_deref(), today);
            out(Msg::Opened(r));
        }
    }
}

fn compute_diff(
    repo: &Repo,
    scope: &str,
    key: &DiffKey,
    files: Option<Vec<FileChange>>,
    today: Date,
) -> DiffResult {
    let files = match files {
        Some(f) => f,
        None => {
            let mut paths = repo.roadmap_files(&key.target).map_err(|e| e.to_string())?;
            if let Some(b) = &key.base {
                paths.extend(repo.roadmap_files(b).map_err(|e| e.to_string())?);
            }
            paths.retain(|p| in_scope(scope, p));
            paths.sort();
            paths.dedup();
            paths
                .into_iter()
                .map(|p| FileChange {
                    old_path: Some(p.clone()),
                    new_path: Some(p),
                })
                .collect()
        }
    };
    let mut out = vec![];
    for f in files {
        let keep = [&f.old_path, &f.new_path]
            .into_iter()
            .flatten()
            .any(|p| in_scope(scope, p));
        if !keep {
            continue;
        }
        let read = |rev: Option<&Rev>, p: Option<&String>| -> Result<Option<Vec<u8>>, String> {
            match (rev, p) {
                (Some(rev), Some(p)) => repo.read(rev, p).map_err(|e| e.to_string()),
                _ => Ok(None),
            }
        };
        let old = read(key.base.as_ref(), f.old_path.as_ref())?;
        let new = read(Some(&key.target), f.new_path.as_ref())?;
        if old == new {
            continue;
        }
        let path = f
            .new_path
            .as_ref()
            .or(f.old_path.as_ref())
            .cloned()
            .unwrap_or_default();
        let labels = (
            key.base.as_ref().map(Rev::label).unwrap_or_default(),
            key.target.label(),
        );
        let diff = diff::diff_sources_labeled(
            &path,
            old.as_deref(),
            new.as_deref(),
            (&labels.0, &labels.1),
            today,
        );
        let raw = raw_diff(&path, old.as_deref(), new.as_deref());
        out.push(FileResult { diff, raw });
    }
    Ok(out)
}

/// A unified text diff, sanitized line by line.
pub fn raw_diff(path: &str, old: Option<&[u8]>, new: Option<&[u8]>) -> Vec<String> {
    let old = String::from_utf8_lossy(old.unwrap_or_default());
    let new = String::from_utf8_lossy(new.unwrap_or_default());
    let d = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let text = d
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    text.lines()
        .map(|l| sanitize_line(l).into_owned())
        .collect()
}

/// The slip ledger: the item's target across every commit touching the file.
fn ledger(repo: &Repo, item: &ItemRef, path: &Path, today: Date) -> Result<Vec<String>, String> {
    if !matches!(item.entity, EntityKind::Release | EntityKind::Feature) {
        return Ok(vec![]);
    }
    let rel = repo_relative(repo, path).ok_or("the file is not in the repository")?;
    // Oldest first, each commit with the file's path there (renames followed).
    let mut revs = repo.file_history(&rel).map_err(|e| e.to_string())?;
    revs.reverse();
    let read = |e: &HistoryEntry, p: &Option<String>| -> Option<Vec<u8>> {
        repo.read(&e.rev, p.as_deref()?).ok().flatten()
    };
    let mut loaded = vec![];
    for (e, p) in &revs {
        let f = read(e, p).map(|b| model::load_bytes(p.as_deref().unwrap_or(&rel), &b, today));
        loaded.push((e, f));
    }
    if let Ok(Some(b)) = repo.read(&Rev::WorkTree, &rel) {
        // The working tree last, when it differs from HEAD.
        let head = revs.last().and_then(|(e, p)| read(e, p));
        if head.as_deref() != Some(b.as_slice()) {
            loaded.push((&WORKTREE_ENTRY, Some(model::load_bytes(&rel, &b, today))));
        }
    }
    let snaps = loaded
        .iter()
        .map(|(e, f)| (*e, f.as_ref().and_then(|f| f.roadmap.as_ref())));
    let Some(l) = diff::ledger::target_ledger(&item.id, snaps) else {
        return Ok(vec![]);
    };
    let mut lines = vec![sanitize_line(&l.summary).into_owned()];
    for p in &l.points {
        let when = if p.rev.rev == Rev::WorkTree {
            "working tree".to_string()
        } else {
            format!(
                "{} {}",
                p.rev.rev.label(),
                day(p.rev.time, p.rev.offset_minutes)
            )
        };
        let target = p
            .target
            .map(|t| t.to_string())
            .unwrap_or_else(|| "(no target)".into());
        let rel = p
            .release
            .as_deref()
            .map(|r| format!(" in {}", sanitize_line(r)))
            .unwrap_or_default();
        lines.push(format!("{when}  {target}{rel}"));
    }
    Ok(lines)
}

static WORKTREE_ENTRY: HistoryEntry = HistoryEntry {
    rev: Rev::WorkTree,
    parent: None,
    author: String::new(),
    time: 0,
    offset_minutes: 0,
    summary: String::new(),
    message: String::new(),
    files: Vec::new(),
};

/// `2027-03-01` for a commit time.
pub fn day(time: i64, offset_minutes: i32) -> String {
    stamp(time, offset_minutes, "%Y-%m-%d")
}

pub fn stamp(time: i64, offset_minutes: i32, fmt: &str) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(time) else {
        return "?".into();
    };
    let off = jiff::tz::Offset::from_seconds(offset_minutes.saturating_mul(60))
        .unwrap_or(jiff::tz::Offset::UTC);
    ts.to_zoned(jiff::tz::TimeZone::fixed(off))
        .strftime(fmt)
        .to_string()
}

fn open(
    repo: &Repo,
    scope: &str,
    rev: Rev,
    current: Option<&Path>,
    today: Date,
) -> Result<Opened, String> {
    let mut files = repo.roadmap_files(&rev).map_err(|e| e.to_string())?;
    files.retain(|p| in_scope(scope, p));
    let cur = current.and_then(|p| repo_relative(repo, p));
    let mut sources = vec![];
    let mut select = None;
    for p in files {
        let bytes = repo
            .read(&rev, &p)
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let file = model::load_bytes(&p, &bytes, today);
        if cur.as_deref() == Some(p.as_str()) {
            select = Some(sources.len());
        }
        // Shown relative to the directory the TUI was opened on, as the
        // working-tree files are.
        let display = p
            .strip_prefix(scope)
            .map(|r| r.trim_start_matches('/'))
            .filter(|r| !r.is_empty())
            .unwrap_or(&p)
            .to_string();
        sources.push(Source::new(display, file));
    }
    Ok(Opened {
        rev,
        sources,
        select,
    })
}
