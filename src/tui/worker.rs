//! Git work off the UI thread: the history stream, diffs of the selected
//! entry, slip ledgers and roadmaps as of a revision.
//!
//! Each kind of job runs on its own thread and keeps only the newest pending
//! request (like gitui's asyncjob): when the cursor moves fast, the diffs of
//! the entries it skipped are never computed. Results come back as [`Msg`]s
//! on the channel the event loop blocks on. Tests use the inline mode: jobs
//! queue up and [`super::App::settle`] runs them on the calling thread.

use super::views::Source;
use crate::diff::history::{self, Versions};
use crate::diff::{self, FileDiff, ledger};
use crate::lens::{ItemRef, Lens};
use crate::model;
use crate::repo::{HistoryEntry, PathFilter, Repo, Rev};
use crate::text::sanitize_line;
use jiff::civil::Date;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// Every change.
    pub diff: FileDiff,
    /// What each lens of the roadmap (either side) notices.
    pub audiences: Vec<(crate::lens::Lens, Vec<crate::diff::Change>)>,
    /// The unified text diff, one sanitized line each.
    pub raw: Vec<String>,
    /// Its roadmap's title (for a lens that names files by it).
    pub title: Option<String>,
}

impl FileResult {
    /// The changes `lens` notices (`None`: every change); `None` when the
    /// roadmap has no such lens.
    pub fn changes(&self, lens: Option<&crate::lens::Lens>) -> Option<&[crate::diff::Change]> {
        match lens {
            None => Some(&self.diff.changes),
            Some(l) => self
                .audiences
                .iter()
                .find(|(x, _)| x == l)
                .map(|(_, c)| c.as_slice()),
        }
    }
}

pub type DiffResult = Result<Vec<FileResult>, String>;

/// A roadmap as of a revision.
pub struct Opened {
    pub rev: Rev,
    pub sources: Vec<Source>,
    /// Which source corresponds to the roadmap being viewed.
    pub select: Option<usize>,
}

/// What a diff compares.
pub enum DiffWhat {
    /// A history entry against its parent, by the history rule (a parent
    /// that does not parse: the last older version that does, looked for
    /// in `older`, the entries after it, newest first).
    Entry {
        entry: HistoryEntry,
        older: Vec<HistoryEntry>,
    },
    /// Every roadmap file of the two revisions (a marked base), renamed
    /// files paired.
    Sides,
}

pub enum Job {
    /// Stream the whole history: uncommitted entries, then commits. The
    /// messages carry `stream`, so that those of an older stream (history
    /// reloaded since) are told apart.
    History {
        stream: u64,
    },
    /// Recompute only the uncommitted entries (the working tree or the
    /// index changed).
    Uncommitted {
        stream: u64,
    },
    Diff {
        key: DiffKey,
        what: DiffWhat,
    },
    /// The history of one entity in the file at `path`, as `lens` shows it.
    Ledger {
        item: ItemRef,
        path: PathBuf,
        lens: Option<Lens>,
    },
    /// Load every roadmap as of `rev`; `current` is the file being viewed.
    Open {
        rev: Rev,
        current: Option<PathBuf>,
        /// The shown roadmap's id: found at `rev` by it when its file had
        /// another name there.
        current_id: Option<String>,
        /// The measure its pages are laid out at ([`super::doc::measure_for`]).
        measure: usize,
    },
    /// Which entries of history stream `stream` `lens` notices nothing in
    /// (`roadlens log --lens` leaves them out): compared one by one, sent
    /// in batches; request `seq` stops once a newer one is asked for.
    Notice {
        stream: u64,
        seq: u64,
        lens: Lens,
    },
    /// Load every roadmap under the root from disk (start-up and live
    /// reload: a huge roadmap never blocks the UI).
    Load {
        root: PathBuf,
        seq: u64,
        /// The measure its pages are laid out at ([`super::doc::measure_for`]).
        measure: usize,
    },
    /// The roadmap with id `id` (the file at `path` on disk) as it was at a
    /// revision: a timeline's baseline.
    Baseline {
        spec: BaseSpec,
        path: PathBuf,
        id: String,
    },
    /// The roadmap file `path` (repository-relative) at `rev`: one step of
    /// the time-lapse.
    Lapse {
        seq: u64,
        rev: Rev,
        path: String,
        /// The lens whose timeline steps: its rows are projected here, off
        /// the UI thread.
        lens: Option<Lens>,
        /// The roadmap the previous step replaced, to be freed here.
        spent: Option<crate::model::Roadmap>,
    },
    /// The repository's tags, for the baseline picker.
    Tags,
    /// Send [`Msg::Tick`] after `millis` (the presentation's auto-replay).
    /// Never run inline: tests send the ticks themselves.
    Tick {
        millis: u64,
    },
    /// Write an HTML report (`roadlens report`) of the roadmap shown.
    Report(Box<ReportJob>),
}

/// Which revision a baseline is: one known, or a name to resolve (a tag,
/// a date `YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseSpec {
    Rev(Rev),
    Name(String),
    /// A tag the picker listed: the commit it names, and its name (the
    /// header names a tagged baseline by its tag, as the CLI does).
    Tag(String, Rev),
}

/// One time-lapse step, loaded: the roadmap then and its timeline rows
/// through the lens that steps (projected by the worker, so that a step
/// costs the UI thread only the comparison with the baseline and a frame).
#[derive(Clone, Debug)]
pub struct Lapsed {
    pub roadmap: crate::model::Roadmap,
    pub rows: Option<(Lens, crate::lens::timeline::Projection)>,
}

impl Lapsed {
    pub fn new(roadmap: crate::model::Roadmap, lens: Option<Lens>) -> Lapsed {
        use crate::lens::timeline::{By, project};
        let rows = lens.and_then(|l| {
            let rows = project(&roadmap, &l, By::default_for(&l))?;
            Some((l, rows))
        });
        Lapsed { roadmap, rows }
    }
}

/// A baseline loaded for the timeline.
#[derive(Debug)]
pub struct BaseLoaded {
    pub rev: Rev,
    /// The revision as named (a tag, a short commit id, a date).
    pub name: String,
    pub date: Option<Date>,
    /// The roadmap id it was looked up by.
    pub id: String,
    /// The roadmap then (`None`: it was not there yet).
    pub roadmap: Option<crate::model::Roadmap>,
}

/// What a report shows: the roadmap on screen through `lens`, as of `at`
/// (time travel; else the working tree), with what changed since `base`
/// (the base marked in History), written into `dir`
/// (`ROADLENS_REPORT_DIR`) or a directory of its own in the temp directory.
pub struct ReportJob {
    pub roadmap: crate::model::Roadmap,
    pub lens: Lens,
    /// The file on disk (working-tree roadmaps).
    pub disk: Option<PathBuf>,
    /// The path as shown (relative to the directory opened).
    pub display: String,
    pub at: Option<Rev>,
    pub base: Option<Rev>,
    pub dir: Option<PathBuf>,
}

/// The lanes: one thread each.
const LANES: usize = 12;

impl Job {
    fn lane(&self) -> usize {
        match self {
            Job::History { .. } => 0,
            Job::Diff { .. } => 1,
            Job::Ledger { .. } => 2,
            Job::Open { .. } => 3,
            Job::Uncommitted { .. } => 4,
            Job::Load { .. } => 5,
            Job::Baseline { .. } => 6,
            Job::Lapse { .. } => 7,
            Job::Tags => 8,
            Job::Tick { .. } => 9,
            Job::Report(_) => 10,
            Job::Notice { .. } => 11,
        }
    }
}

/// Everything the event loop waits for.
pub enum Msg {
    Input(ratatui::crossterm::event::Event),
    /// A roadmap file (or its directory) changed on disk.
    FsChanged,
    /// The index changed (`git add` in another terminal).
    IndexChanged,
    /// HEAD or a ref changed (`git commit`, `git checkout`, a fetch).
    RefsChanged,
    /// The input stream ended: leave now.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT: leave now, exiting with 128 + the signal.
    Signal(i32),
    /// No repository (the History tab says why).
    NoRepo(String),
    /// The repository's git directories (what to watch for commits, checkouts
    /// and staging).
    GitDirs(Vec<PathBuf>),
    /// Entries in display order, from history stream `stream`; `uncommitted`
    /// batches replace the current uncommitted entries; the first batch of
    /// commits of a stream replaces the commits listed, later ones append.
    History {
        stream: u64,
        uncommitted: bool,
        entries: Vec<HistoryEntry>,
    },
    /// The walk of stream `.0` ended (with an error message if it failed).
    HistoryDone(u64, Option<String>),
    Diff(DiffKey, DiffResult),
    Ledger(ItemRef, Result<Vec<ledger::Line>, String>),
    Opened(Result<Opened, String>),
    /// Entries notice request `seq`'s lens notices nothing in.
    Unnoticed(u64, Vec<Rev>),
    /// A report written (its path), or why not.
    Report(Result<PathBuf, String>),
    /// The roadmaps on disk, loaded (for load request `seq`), or why there
    /// are none.
    Loaded {
        seq: u64,
        sources: Vec<Source>,
        error: Option<String>,
    },
    /// A timeline baseline, loaded.
    Baseline(Result<BaseLoaded, String>),
    /// A time-lapse step (request `.0`): the roadmap then, or why not.
    Lapse(u64, Result<Lapsed, String>),
    /// Tags: name, commit, date.
    Tags(Vec<(String, Rev, Option<Date>)>),
    /// Time for the next auto-replay step.
    Tick,
}

/// How jobs run.
pub enum Worker {
    Threads {
        lanes: Vec<Sender<Job>>,
        /// The newest history stream asked for: an older one stops early.
        stream: Arc<AtomicU64>,
        /// The newest notice request: an older one stops early.
        notice: Arc<AtomicU64>,
    },
    Inline {
        ctx: Box<RepoCtx>,
        queue: VecDeque<Job>,
    },
}

impl Worker {
    /// One thread per kind of job, each sending results on `tx`.
    pub fn threads(root: PathBuf, today: Date, tx: Sender<Msg>) -> Worker {
        let stream = Arc::new(AtomicU64::new(0));
        let notice = Arc::new(AtomicU64::new(0));
        let lanes = (0..LANES)
            .map(|lane| {
                let (jtx, jrx) = mpsc::channel::<Job>();
                let tx = tx.clone();
                let mut ctx = RepoCtx::new(root.clone(), today, stream.clone());
                ctx.notice = notice.clone();
                std::thread::Builder::new()
                    .name(format!("roadlens-git-{lane}"))
                    .spawn(move || lane_loop(&mut ctx, jrx, tx))
                    .map(|_| jtx)
            })
            .collect::<Result<Vec<_>, _>>();
        match lanes {
            Ok(lanes) => Worker::Threads {
                lanes,
                stream,
                notice,
            },
            // No threads: run inline (the event loop settles after each batch).
            Err(_) => Worker::inline(root, today),
        }
    }

    pub fn inline(root: PathBuf, today: Date) -> Worker {
        Worker::Inline {
            ctx: Box::new(RepoCtx::new(root, today, Arc::new(AtomicU64::new(0)))),
            queue: VecDeque::new(),
        }
    }

    pub fn submit(&mut self, job: Job) {
        match self {
            Worker::Threads {
                lanes,
                stream,
                notice,
            } => {
                if let Job::History { stream: s } = job {
                    stream.store(s, Ordering::Relaxed);
                }
                if let Job::Notice { seq, .. } = job {
                    notice.store(seq, Ordering::Relaxed);
                }
                if let Some(l) = lanes.get(job.lane()) {
                    let _ = l.send(job);
                }
            }
            Worker::Inline { .. } if matches!(job, Job::Tick { .. }) => {}
            Worker::Inline { queue, .. } => {
                // Newest request wins here too.
                let lane = job.lane();
                queue.retain(|j| j.lane() != lane);
                queue.push_back(job);
            }
        }
    }

    /// Inline mode: run one queued job, collecting its messages.
    pub fn run_one(&mut self) -> Option<Vec<Msg>> {
        match self {
            Worker::Threads { .. } => None,
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
        // Keep only the newest pending request.
        while let Ok(newer) = rx.try_recv() {
            job = newer;
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
    /// The last file versions loaded (neighbouring entries share them).
    versions: Versions,
    /// The newest history stream asked for.
    stream: Arc<AtomicU64>,
    /// The newest notice request.
    notice: Arc<AtomicU64>,
}

impl RepoCtx {
    fn new(root: PathBuf, today: Date, stream: Arc<AtomicU64>) -> RepoCtx {
        RepoCtx {
            root,
            today,
            repo: None,
            versions: Versions::new(today),
            stream,
            notice: Arc::new(AtomicU64::new(0)),
        }
    }

    fn repo(&mut self) -> Result<(&Repo, &str, &mut Versions), String> {
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
            Some(Ok((r, s))) => Ok((r, s.as_str(), &mut self.versions)),
            Some(Err(e)) => Err(e.clone()),
            None => Err("no repository".into()),
        }
    }
}

/// Whether a repository path is under the scope (a directory or a file).
fn in_scope(scope: &str, path: &str) -> bool {
    PathFilter::new(vec![scope.to_string()]).matches(path)
}

/// The history's scope: the files under the directory the TUI was opened
/// on, or its file followed back through renames ([`history::Scope`]).
fn scope_of(scope: &str) -> history::Scope {
    history::Scope::new(if scope.is_empty() {
        vec![]
    } else {
        vec![scope.to_string()]
    })
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
    if let Job::Tick { millis } = job {
        std::thread::sleep(std::time::Duration::from_millis(millis));
        out(Msg::Tick);
        return;
    }
    if let Job::Load { root, seq, measure } = job {
        let (sources, error) = load_worktree(&root, today, measure);
        out(Msg::Loaded {
            seq,
            sources,
            error,
        });
        return;
    }
    if let Job::Report(job) = job {
        let repo = ctx.repo().ok().map(|(r, scope, _)| (r, scope));
        out(Msg::Report(write_report(repo, *job)));
        return;
    }
    let latest = ctx.stream.clone();
    let newest_notice = ctx.notice.clone();
    let (repo, scope, versions) = match ctx.repo() {
        Ok(r) => r,
        Err(e) => {
            match job {
                Job::History { .. } => out(Msg::NoRepo(e)),
                Job::Uncommitted { .. }
                | Job::Load { .. }
                | Job::Tick { .. }
                | Job::Report(_)
                | Job::Notice { .. } => {}
                Job::Baseline { .. } => out(Msg::Baseline(Err(e))),
                Job::Lapse { seq, .. } => out(Msg::Lapse(seq, Err(e))),
                Job::Tags => out(Msg::Tags(vec![])),
                Job::Diff { key, .. } => out(Msg::Diff(key, Err(e))),
                Job::Ledger { item, .. } => out(Msg::Ledger(item, Err(e))),
                Job::Open { .. } => out(Msg::Opened(Err(e))),
            }
            return;
        }
    };
    match job {
        Job::Load { .. } | Job::Tick { .. } | Job::Report(_) => {}
        Job::Baseline { spec, path, id } => {
            out(Msg::Baseline(baseline(repo, versions, spec, &path, id)));
        }
        Job::Lapse {
            seq,
            rev,
            path,
            lens,
            spent,
        } => {
            let r = versions
                .read(repo, &rev, &path)
                .map_err(|e| e.to_string())
                .and_then(|v| match v {
                    Some(v) => v
                        .roadmap()
                        .cloned()
                        .ok_or_else(|| "does not parse there".to_string()),
                    None => Err("not there".to_string()),
                });
            out(Msg::Lapse(seq, r.map(|roadmap| Lapsed::new(roadmap, lens))));
            drop(spent);
        }
        Job::Tags => out(Msg::Tags(tags(repo))),
        Job::Notice { stream, seq, lens } => {
            let stale = || {
                latest.load(Ordering::Relaxed) > stream
                    || newest_notice.load(Ordering::Relaxed) > seq
            };
            let Ok(walk) = history::walk_scoped(
                repo,
                today,
                history::Uncommitted::AgainstHead,
                scope_of(scope),
            ) else {
                return;
            };
            let mut batch = vec![];
            for c in walk {
                let Ok(c) = c else { break };
                // The entries `roadlens log --lens` keeps (one rule).
                let files: Vec<_> = c.files.iter().map(|f| f.diff_as(Some(&lens))).collect();
                if !history::noticed(&files) {
                    batch.push(c.entry.rev.clone());
                }
                if batch.len() >= BATCH {
                    out(Msg::Unnoticed(seq, std::mem::take(&mut batch)));
                    if stale() {
                        return;
                    }
                }
            }
            out(Msg::Unnoticed(seq, batch));
        }
        Job::History { stream } => {
            out(Msg::GitDirs(repo.git_dirs()));
            // The scope's file followed back through its renames, as
            // `roadlens log -- PATH` does.
            let mut sc = scope_of(scope);
            let unc = repo.uncommitted().unwrap_or_default();
            let unc = unc.into_iter().filter_map(|e| sc.entry(e)).collect();
            out(Msg::History {
                stream,
                uncommitted: true,
                entries: unc,
            });
            let walk = match repo.history() {
                Ok(w) => w,
                Err(e) => {
                    out(Msg::HistoryDone(stream, Some(e.to_string())));
                    return;
                }
            };
            let mut batch = vec![];
            let mut error = None;
            let mut first = true;
            for e in walk {
                match e {
                    Ok(e) => match sc.entry(e) {
                        Some(e) => batch.push(e),
                        None => continue,
                    },
                    Err(e) => {
                        error = Some(e.to_string());
                        break;
                    }
                }
                // The first entries go out at once, the rest in batches.
                if batch.len() >= BATCH || first {
                    first = false;
                    out(Msg::History {
                        stream,
                        uncommitted: false,
                        entries: std::mem::take(&mut batch),
                    });
                    if latest.load(Ordering::Relaxed) > stream {
                        return; // history reloaded since: that stream replaces this one
                    }
                }
            }
            // A stream always sends its commits (none: the list is emptied).
            if !batch.is_empty() || first {
                out(Msg::History {
                    stream,
                    uncommitted: false,
                    entries: batch,
                });
            }
            out(Msg::HistoryDone(stream, error));
        }
        Job::Uncommitted { stream } => {
            if let Ok(unc) = repo.uncommitted() {
                out(Msg::History {
                    stream,
                    uncommitted: true,
                    entries: {
                        let mut sc = scope_of(scope);
                        unc.into_iter().filter_map(|e| sc.entry(e)).collect()
                    },
                });
            }
        }
        Job::Diff { key, what } => {
            let r = compute_diff(repo, scope, versions, &key, what);
            out(Msg::Diff(key, r));
        }
        Job::Ledger { item, path, lens } => {
            let r = entity_ledger(repo, &item, &path, lens.as_ref(), today);
            out(Msg::Ledger(item, r));
        }
        Job::Open {
            rev,
            current,
            current_id,
            measure,
        } => {
            let cur = Current {
                path: current.as_deref(),
                id: current_id.as_deref(),
            };
            let r = open(repo, scope, versions, rev, cur, today, measure);
            out(Msg::Opened(r));
        }
    }
}

/// The roadmap `id` (on disk at `path`) as it was at a revision.
fn baseline(
    repo: &Repo,
    versions: &mut Versions,
    spec: BaseSpec,
    path: &Path,
    id: String,
) -> Result<BaseLoaded, String> {
    let err = |e: crate::repo::RepoError| e.to_string();
    let (rev, name) = match spec {
        BaseSpec::Rev(r) => {
            let name = r.label();
            (r, name)
        }
        BaseSpec::Tag(name, r) => (r, name),
        BaseSpec::Name(n) => {
            let rev = repo.resolve(&n).map_err(err)?;
            // A date names the commit it resolved to.
            let name = if n.parse::<Date>().is_ok() {
                rev.label()
            } else {
                n
            };
            (rev, name)
        }
    };
    let rel = repo_relative(repo, path).ok_or("the roadmap is not in the repository")?;
    let date = repo.commit_day(&rev).map_err(err)?;
    let v =
        history::same_roadmap_at(repo, versions, &rev, &Rev::WorkTree, &rel, &id).map_err(err)?;
    let roadmap =
        match v {
            None => None,
            Some(v) => Some(v.roadmap().cloned().ok_or_else(|| {
                format!("the roadmap does not parse at {}", sanitize_line(&name))
            })?),
        };
    Ok(BaseLoaded {
        rev,
        name,
        date,
        id,
        roadmap,
    })
}

/// Every tag that names a commit: name, commit, date (newest first).
fn tags(repo: &Repo) -> Vec<(String, Rev, Option<Date>)> {
    let Ok(names) = repo.git().tag_names(None) else {
        return vec![];
    };
    let mut out: Vec<(String, Rev, Option<Date>)> = names
        .iter()
        .filter_map(|n| {
            let n = n.ok()??;
            let rev = repo.resolve(&format!("refs/tags/{n}")).ok()?;
            let day = repo.commit_day(&rev).ok().flatten();
            Some((n.to_string(), rev, day))
        })
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Load every roadmap under `root` from disk: the sources, or why there
/// are none.
pub fn load_worktree(root: &Path, today: Date, measure: usize) -> (Vec<Source>, Option<String>) {
    let paths = match crate::repo::roadmaps_on_disk(root) {
        Ok(p) => p,
        Err(e) => {
            return (vec![], Some(format!("cannot read {}: {e}", root.display())));
        }
    };
    if paths.is_empty() {
        let why = if crate::repo::is_bare_at(root) {
            "a bare repository has no working tree: History (5) lists its commits, o opens one"
        } else {
            "a *.toml file with a [roadmap] table"
        };
        return (
            vec![],
            Some(format!("no roadmap found under {} ({why})", root.display())),
        );
    }
    let base = if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let sources = paths
        .iter()
        .map(|p| {
            let display = p
                .strip_prefix(&base)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let file = model::load_path(&display, p, today);
            let mut s = Source::new(display, file, measure);
            s.path = Some(p.clone());
            s
        })
        .collect();
    (sources, None)
}

fn compute_diff(
    repo: &Repo,
    scope: &str,
    versions: &mut Versions,
    key: &DiffKey,
    what: DiffWhat,
) -> DiffResult {
    let err = |e: crate::repo::RepoError| e.to_string();
    let mut out = vec![];
    match what {
        DiffWhat::Entry { entry, older } => {
            let c = history::compare_entry(repo, versions, entry, &mut older.as_slice())
                .map_err(err)?;
            // (The entry holds only the files in scope: [`scope_of`].)
            for f in c.files {
                // The parent's text, also when the semantic diff is against
                // an older version that parses.
                let old = f.parent.as_ref().or(f.old.as_ref()).map(|v| &v.bytes[..]);
                let new = f.new.as_ref().map(|v| &v.bytes[..]);
                if old == new {
                    continue;
                }
                let raw = raw_diff(f.diff.old_path.as_deref(), &f.diff.path, old, new);
                let audiences = audiences(
                    &f.diff,
                    f.old.as_deref().and_then(history::Version::roadmap),
                    f.new.as_deref().and_then(history::Version::roadmap),
                );
                let title = f.title().map(str::to_string);
                out.push(FileResult {
                    diff: f.diff,
                    audiences,
                    raw,
                    title,
                });
            }
        }
        DiffWhat::Sides => {
            let filter = if scope.is_empty() {
                PathFilter::default()
            } else {
                PathFilter::new(vec![scope.to_string()])
            };
            let files =
                history::pair_sides(repo, key.base.as_ref(), &key.target, &filter).map_err(err)?;
            let labels = (
                key.base
                    .as_ref()
                    .map(Rev::label)
                    .unwrap_or_else(|| "nothing".into()),
                key.target.label(),
            );
            for f in files {
                let old = match (&key.base, &f.old_path) {
                    (Some(b), Some(p)) => versions.read(repo, b, p).map_err(err)?,
                    _ => None,
                };
                let new = match &f.new_path {
                    Some(p) => versions.read(repo, &key.target, p).map_err(err)?,
                    None => None,
                };
                let (ob, nb) = (
                    old.as_ref().map(|v| &v.bytes[..]),
                    new.as_ref().map(|v| &v.bytes[..]),
                );
                if ob == nb {
                    continue;
                }
                let mut diff = diff::diff_loaded(
                    f.path(),
                    old.as_ref().map(|v| &v.file),
                    new.as_ref().map(|v| &v.file),
                    (&labels.0, &labels.1),
                    None,
                );
                diff.old_path = f
                    .old_path
                    .clone()
                    .filter(|o| f.new_path.as_ref().is_some_and(|n| n != o));
                let raw = raw_diff(f.old_path.as_deref(), f.path(), ob, nb);
                let (o, n) = (
                    old.as_deref().and_then(history::Version::roadmap),
                    new.as_deref().and_then(history::Version::roadmap),
                );
                let audiences = audiences(&diff, o, n);
                let title = FileDiff::title_of(o, n).map(str::to_string);
                out.push(FileResult {
                    diff,
                    audiences,
                    raw,
                    title,
                });
            }
        }
    }
    Ok(out)
}

/// What every lens either side has notices, each computed from its two
/// views (nothing for a file that does not parse).
fn audiences(
    full: &crate::diff::FileDiff,
    old: Option<&crate::model::Roadmap>,
    new: Option<&crate::model::Roadmap>,
) -> Vec<(crate::lens::Lens, Vec<crate::diff::Change>)> {
    if full.status == diff::FileStatus::Unparseable {
        return vec![];
    }
    let mut lenses: Vec<crate::lens::Lens> = vec![];
    for r in [old, new].into_iter().flatten() {
        for l in crate::lens::lenses(r) {
            if !lenses.contains(&l) {
                lenses.push(l);
            }
        }
    }
    lenses
        .into_iter()
        .map(|l| {
            let c = diff::audience(old, new, &l);
            (l, c)
        })
        .collect()
}

/// Write the report of a [`ReportJob`]; the path written. Never inside
/// the repository (its work tree and git directories).
fn write_report(repo: Option<(&Repo, &str)>, job: ReportJob) -> Result<PathBuf, String> {
    use crate::report::{self, Revision, Since, place};
    let forbidden: Vec<PathBuf> = repo.map(|(r, _)| r.own_dirs()).unwrap_or_default();
    let dir = place::report_dir(job.dir.clone(), &forbidden)?;
    let err = |e: crate::repo::RepoError| e.to_string();
    // The file's path in the repository.
    let in_repo = repo.and_then(|(r, scope)| {
        let path = match &job.disk {
            Some(p) => repo_relative(r, p)?,
            None if scope.is_empty() => job.display.clone(),
            None => format!("{scope}/{}", job.display),
        };
        Some((r, path))
    });
    let page = match in_repo {
        Some((repo, path)) => {
            let target = job.at.clone().unwrap_or(Rev::WorkTree);
            let target_label = target.label();
            let revision = report::revision(repo, &target_label, &target, &path).map_err(err)?;
            let (since, baseline) = match &job.base {
                Some(base) => {
                    let label = base.label();
                    let (diff, old) = report::changes_since(
                        repo,
                        (base, &label),
                        (&target, &target_label),
                        &path,
                        &job.lens,
                    )
                    .map_err(err)?;
                    let baseline = report::baseline(&diff, old.as_ref());
                    let base = report::revision(repo, &label, base, &path).map_err(err)?;
                    (Some(Since { base, diff }), baseline)
                }
                None => (None, None),
            };
            report::page(
                &job.roadmap,
                &job.lens,
                &path,
                revision,
                since,
                baseline.as_ref(),
            )
        }
        None => report::page(
            &job.roadmap,
            &job.lens,
            &job.display,
            Revision::on_disk(),
            None,
            None,
        ),
    }
    .ok_or_else(|| format!("the roadmap has no lens {}", job.lens.name()))?;
    let since = page.since.as_ref().map(|s| s.base.label.clone());
    let name = report::file_name(&job.roadmap.meta.id, &job.lens, since.as_deref());
    place::write_free(&dir, &name, &report::html(&page)).map_err(|e| e.to_string())
}

/// A unified text diff, sanitized line by line.
pub fn raw_diff(
    old_path: Option<&str>,
    path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
) -> Vec<String> {
    crate::cli::diffprint::raw_file(old_path, path, old, new)
        .lines()
        .map(|l| sanitize_line(l).into_owned())
        .collect()
}

/// The history of one entity in the file at `path` (followed back through
/// renames), as lines: the same ledger, in the same words, as
/// `roadlens log --entity`.
fn entity_ledger(
    repo: &Repo,
    item: &ItemRef,
    path: &Path,
    lens: Option<&Lens>,
    today: Date,
) -> Result<Vec<ledger::Line>, String> {
    let rel = repo_relative(repo, path).ok_or("the file is not in the repository")?;
    let l = history::entity_ledger(repo, today, &item.id, lens, Some(&rel))
        .map_err(|e| e.to_string())?;
    Ok(l.map(|l| l.lines()).unwrap_or_default())
}

/// `2027-03-01` for a commit time.
pub fn day(time: i64, offset_minutes: i32) -> String {
    history::day(time, offset_minutes)
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

/// The roadmap shown when a revision is opened: its file on disk and its id.
struct Current<'a> {
    path: Option<&'a Path>,
    id: Option<&'a str>,
}

fn open(
    repo: &Repo,
    scope: &str,
    versions: &mut Versions,
    rev: Rev,
    current: Current,
    today: Date,
    measure: usize,
) -> Result<Opened, String> {
    let err = |e: crate::repo::RepoError| e.to_string();
    let mut files = repo.roadmap_files(&rev).map_err(err)?;
    files.retain(|p| in_scope(scope, p));
    let mut cur = current.path.and_then(|p| repo_relative(repo, p));
    // The shown roadmap under another name there (renamed since): the same
    // roadmap found as a baseline finds it, by the history's pairing, else
    // by its id (also outside the scope, for a TUI opened on its file).
    if let (Some(path), Some(id)) = (cur.clone(), current.id)
        && !files.contains(&path)
        && let Some(v) = history::same_roadmap_at(repo, versions, &rev, &Rev::WorkTree, &path, id)
            .map_err(err)?
    {
        if !files.contains(&v.path) {
            files.push(v.path.clone());
        }
        cur = Some(v.path.clone());
    }
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
        sources.push(Source::new(display, file, measure));
    }
    Ok(Opened {
        rev,
        sources,
        select,
    })
}
