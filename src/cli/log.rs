//! `roadlens log [--lens L] [--format text|markdown|json] [-n N] [--entity ID]`
//!
//! The roadmap's history, newest first: uncommitted changes (working tree,
//! then the index when it differs), then every commit that changed a
//! roadmap file, each diffed against its parent. One line per entry: short
//! id, date, author, subject, change counts and the most important change.
//!
//! With `--lens`, counts and headline are of what that lens shows, and
//! entries with nothing left in the lens are omitted (without a lens, a
//! commit that only reformatted a roadmap is listed with "no changes").
//! `-n N` stops after N listed entries.
//!
//! `--entity ID` prints one entity's ledger instead: every change to it,
//! oldest first, and for a release or feature the sequence of its target
//! dates with the total slip (`-n` does not apply).

use super::diff::{Failure, open_repo, parse_lens};
use super::diffprint::{count_line, md_escape};
use super::{EXIT_FINDINGS, EXIT_OK, Format};
use crate::diff::{Change, FileDiff, FileStatus};
use crate::lens::Lens;
use crate::model::{LoadedFile, Roadmap};
use crate::repo::{HistoryEntry, Repo, RepoError, Rev};
use crate::text::sanitize_line;
use clap::Args;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};

#[derive(Args, Debug)]
pub struct LogArgs {
    /// Count only what this lens shows: exec | sales | engineering | layer:<id>
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
}

pub fn run(args: LogArgs) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match run_inner(&args, &mut stdout) {
        Ok(code) => code,
        // The reader went away (`roadlens log | head`): not an error.
        Err(Failure(_, msg)) if msg == BROKEN_PIPE => EXIT_OK,
        Err(Failure(code, msg)) => {
            let _ = stdout.flush();
            eprintln!("roadlens log: {}", crate::text::sanitize(&msg));
            code
        }
    }
}

const BROKEN_PIPE: &str = "\0broken pipe";

fn emit(out: &mut impl Write, s: &str) -> Result<(), Failure> {
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Failure(EXIT_OK, BROKEN_PIPE.into())
            } else {
                Failure(EXIT_FINDINGS, format!("cannot write output: {e}"))
            }
        })
}

/// How many history entries ahead of the one being printed have their file
/// versions read and handed to the loading threads.
const LOOKAHEAD: usize = 4;

/// A file version to load on a worker thread; the result goes to `reply`.
struct Job {
    path: String,
    bytes: Arc<[u8]>,
    today: jiff::civil::Date,
    reply: mpsc::Sender<LoadedFile>,
}

/// One file version: being loaded on a worker, or loaded.
struct Slot {
    path: String,
    bytes: Arc<[u8]>,
    today: jiff::civil::Date,
    state: RefCell<SlotState>,
}

enum SlotState {
    Waiting(mpsc::Receiver<LoadedFile>),
    Ready(Arc<LoadedFile>),
}

impl Slot {
    /// The loaded file (waiting for its worker; loading it here if the
    /// worker is gone).
    fn get(&self) -> Arc<LoadedFile> {
        let received = match &*self.state.borrow() {
            SlotState::Ready(f) => return f.clone(),
            SlotState::Waiting(rx) => rx.recv().ok(),
        };
        let f = Arc::new(
            received
                .unwrap_or_else(|| crate::model::load_bytes(&self.path, &self.bytes, self.today)),
        );
        *self.state.borrow_mut() = SlotState::Ready(f.clone());
        f
    }
}

/// A file version: its path and bytes.
type VersionKey = (String, Arc<[u8]>);

/// Loads file versions on worker threads, each version once while entries
/// near each other in the history use it (the new side of one entry is
/// usually the old side of the next one down).
struct Loads {
    jobs: Option<mpsc::Sender<Job>>,
    today: jiff::civil::Date,
    /// Versions by (path, bytes), with the last entry (by sequence number)
    /// that uses each.
    /// (foldhash: the key holds a whole file, SipHash over 1 MB is slow.)
    recent: HashMap<VersionKey, (Rc<Slot>, usize), foldhash::fast::RandomState>,
}

impl Loads {
    fn new() -> Self {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut started = 0;
        for _ in 0..workers {
            let rx = rx.clone();
            let worker = std::thread::Builder::new()
                .name("roadlens-load".into())
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else {
                            return; // the log is done
                        };
                        let f = crate::model::load_bytes(&job.path, &job.bytes, job.today);
                        let _ = job.reply.send(f);
                    }
                });
            started += usize::from(worker.is_ok());
        }
        Loads {
            // Without workers every version loads in `Slot::get`.
            jobs: (started > 0).then_some(tx),
            today: crate::model::today(),
            recent: HashMap::default(),
        }
    }

    /// The version of `path` with these bytes (`None`: no such file),
    /// used by entry `seq`.
    fn slot(&mut self, path: &str, bytes: Option<Vec<u8>>, seq: usize) -> Option<Rc<Slot>> {
        let key = (path.to_string(), Arc::<[u8]>::from(bytes?));
        if let Some((slot, used)) = self.recent.get_mut(&key) {
            *used = seq;
            return Some(slot.clone());
        }
        let (reply, rx) = mpsc::channel();
        if let Some(jobs) = &self.jobs {
            // A send that fails drops `reply`: `Slot::get` then loads here.
            let _ = jobs.send(Job {
                path: path.to_string(),
                bytes: key.1.clone(),
                today: self.today,
                reply,
            });
        }
        let slot = Rc::new(Slot {
            path: path.to_string(),
            bytes: key.1.clone(),
            today: self.today,
            state: RefCell::new(SlotState::Waiting(rx)),
        });
        self.recent.insert(key, (slot.clone(), seq));
        Some(slot)
    }

    /// Entry `seq` is being shown: forget what no later entry uses.
    fn done_with(&mut self, seq: usize) {
        self.recent.retain(|_, (_, used)| *used > seq);
    }
}

/// A history entry with its file versions read and their loads under way:
/// per file, [old side, new side].
struct Prepared {
    entry: HistoryEntry,
    sides: Vec<[Option<Rc<Slot>>; 2]>,
}

/// The history entries diffed, in order; the file versions of the next
/// [`LOOKAHEAD`] entries are read ahead and load on other threads while
/// this one is diffed and printed.
struct Ahead<'r, I> {
    repo: &'r Repo,
    entries: I,
    loads: Loads,
    queue: VecDeque<(usize, Result<Prepared, Failure>)>,
    /// Sequence number of the next entry read.
    seq: usize,
    done: bool,
}

impl<I: Iterator<Item = Result<HistoryEntry, RepoError>>> Ahead<'_, I> {
    fn prepare(&mut self, entry: HistoryEntry) -> Result<Prepared, Failure> {
        let mut sides = Vec::with_capacity(entry.files.len());
        for fc in &entry.files {
            let old = match (&entry.parent, &fc.old_path) {
                (Some(p), Some(path)) => self.loads.slot(path, self.repo.read(p, path)?, self.seq),
                _ => None,
            };
            let new = match &fc.new_path {
                Some(path) => self
                    .loads
                    .slot(path, self.repo.read(&entry.rev, path)?, self.seq),
                None => None,
            };
            sides.push([old, new]);
        }
        Ok(Prepared { entry, sides })
    }
}

impl<I: Iterator<Item = Result<HistoryEntry, RepoError>>> Iterator for Ahead<'_, I> {
    type Item = Result<Diffed, Failure>;
    fn next(&mut self) -> Option<Self::Item> {
        while !self.done && self.queue.len() < LOOKAHEAD {
            let Some(e) = self.entries.next() else {
                self.done = true;
                break;
            };
            let prepared = e.map_err(Failure::from).and_then(|e| self.prepare(e));
            // An error ends the history (after the entries before it).
            self.done = prepared.is_err();
            self.queue.push_back((self.seq, prepared));
            self.seq += 1;
        }
        let (seq, prepared) = self.queue.pop_front()?;
        self.loads.done_with(seq);
        Some(prepared.map(diff_entry))
    }
}

/// One history entry, diffed.
struct Diffed {
    entry: HistoryEntry,
    files: Vec<FileDiff>,
    /// Each file's version on this entry's side, when it parses (for
    /// ledgers and repairs).
    news: Vec<Option<Arc<LoadedFile>>>,
    /// Files whose old side did not parse while this side does: (file
    /// index, path to look for in older entries). See [`Repaired`].
    pending: Vec<(usize, String)>,
}

/// The roadmap of a version that parses.
fn parsed(f: &Option<Arc<LoadedFile>>) -> Option<&Roadmap> {
    f.as_ref().and_then(|f| f.roadmap.as_ref())
}

fn diff_entry(p: Prepared) -> Diffed {
    let Prepared { entry, sides } = p;
    let labels_parent = entry
        .parent
        .as_ref()
        .map(Rev::label)
        .unwrap_or_else(|| "nothing".into());
    let label = entry.rev.label();
    let mut files = vec![];
    let mut news = vec![];
    let mut pending = vec![];
    for (fc, [old, new]) in entry.files.iter().zip(sides) {
        let old = old.map(|s| s.get());
        let new = new.map(|s| s.get());
        let mut fd = crate::diff::diff_loaded(
            fc.path(),
            old.as_deref(),
            new.as_deref(),
            (&labels_parent, &label),
        );
        fd.old_path = fc.old_path.clone().filter(|_| fc.new_path.is_some());
        let old_broken = old.as_ref().is_some_and(|f| f.roadmap.is_none());
        let new = new.filter(|f| f.roadmap.is_some());
        if let (true, Some(_), Some(path)) = (old_broken, &new, &fc.old_path) {
            pending.push((files.len(), path.clone()));
        }
        files.push(fd);
        news.push(new);
    }
    Diffed {
        entry,
        files,
        news,
        pending,
    }
}

/// At most this many entries wait for an older version that parses.
const MAX_WAITING: usize = 256;

/// Entries whose parent version of a file did not parse are compared with
/// the last older version that did: each waits (in order) until an older
/// commit that touched the file shows up; a broken streak longer than
/// [`MAX_WAITING`] entries gives up and keeps the error.
struct Repaired<I> {
    inner: I,
    queue: std::collections::VecDeque<Diffed>,
    done: bool,
}

impl<I: Iterator<Item = Result<Diffed, Failure>>> Iterator for Repaired<I> {
    type Item = Result<Diffed, Failure>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let ready = self
                .queue
                .front()
                .is_some_and(|d| d.pending.is_empty() || self.done)
                || self.queue.len() > MAX_WAITING;
            if ready {
                return self.queue.pop_front().map(Ok);
            }
            if self.done {
                return None;
            }
            match self.inner.next() {
                None => self.done = true,
                Some(Err(e)) => {
                    self.done = true;
                    self.queue.clear();
                    return Some(Err(e));
                }
                Some(Ok(d)) => {
                    if matches!(d.entry.rev, Rev::Commit(_)) {
                        for newer in self.queue.iter_mut() {
                            repair(newer, &d);
                        }
                    }
                    self.queue.push_back(d);
                }
            }
        }
    }
}

/// Resolve what `newer` waits for with `older`'s versions of the files.
fn repair(newer: &mut Diffed, older: &Diffed) {
    let mut still = vec![];
    for (i, path) in std::mem::take(&mut newer.pending) {
        let Some(j) = older
            .entry
            .files
            .iter()
            .position(|fc| fc.new_path.as_deref() == Some(path.as_str()))
        else {
            still.push((i, path)); // not touched by `older`: look further
            continue;
        };
        match (parsed(&older.news[j]), parsed(&newer.news[i])) {
            (Some(base), Some(new)) => {
                let fd = &mut newer.files[i];
                fd.changes = crate::diff::diff(base, new);
                fd.status = FileStatus::Modified;
                fd.error = Some(format!(
                    "the parent version did not parse; compared with {}, the last version that did",
                    older.entry.rev.label()
                ));
            }
            // Broken there too: keep looking, under its older name.
            _ => {
                if let Some(op) = &older.entry.files[j].old_path {
                    still.push((i, op.clone()));
                }
            }
        }
    }
    newer.pending = still;
}

/// Every entry, newest first, diffed one at a time (history streams).
fn walk<'r>(repo: &'r Repo) -> Result<impl Iterator<Item = Result<Diffed, Failure>> + 'r, Failure> {
    let uncommitted = repo.uncommitted()?;
    let history = repo.history()?;
    let entries = Ahead {
        repo,
        entries: uncommitted.into_iter().map(Ok).chain(history),
        loads: Loads::new(),
        queue: VecDeque::new(),
        seq: 0,
        done: false,
    };
    Ok(Repaired {
        inner: entries,
        queue: Default::default(),
        done: false,
    })
}

fn short(rev: &Rev) -> String {
    match rev {
        Rev::Commit(_) => rev.label(),
        Rev::Index => "index".into(),
        Rev::WorkTree => "working".into(),
    }
}

/// The author's local time of an entry.
fn zoned(e: &HistoryEntry) -> Option<jiff::Zoned> {
    let ts = jiff::Timestamp::from_second(e.time).ok()?;
    let off = jiff::tz::Offset::from_seconds(e.offset_minutes.saturating_mul(60)).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::fixed(off)))
}

fn day(e: &HistoryEntry) -> String {
    zoned(e)
        .map(|z| z.date().to_string())
        .unwrap_or_else(|| "????-??-??".into())
}

fn rfc3339(e: &HistoryEntry) -> Option<String> {
    zoned(e).map(|z| z.timestamp().display_with_offset(z.offset()).to_string())
}

/// What a listed entry says: its changes under the lens and the headline.
struct Summary {
    changes: Vec<Change>,
    headline: Option<String>,
    broken: Vec<String>,
}

fn summarize(d: &Diffed, lens: Option<&Lens>) -> Summary {
    let changes: Vec<Change> = d
        .files
        .iter()
        .flat_map(|f| crate::diff::filter(&f.changes, lens))
        .collect();
    let broken: Vec<String> = d
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Unparseable)
        .map(|f| {
            format!(
                "{} could not be compared: {}",
                f.shown_path(),
                f.error.as_deref().unwrap_or("")
            )
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

#[derive(Serialize)]
struct JsonEntry {
    commit: Option<String>,
    author: String,
    time: Option<String>,
    summary: String,
    files: Vec<String>,
    counts: serde_json::Map<String, serde_json::Value>,
    headline: Option<String>,
}

fn json_entry(d: &Diffed, s: &Summary) -> JsonEntry {
    let counts = crate::diff::counts(&s.changes)
        .into_iter()
        .map(|(k, n)| (k.as_str().to_string(), serde_json::Value::from(n)))
        .collect();
    JsonEntry {
        commit: d.entry.rev.commit().map(str::to_string),
        author: d.entry.author.clone(),
        time: rfc3339(&d.entry),
        summary: d.entry.summary.clone(),
        files: d.entry.files.iter().map(|f| f.path().to_string()).collect(),
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

fn text_line(d: &Diffed, s: &Summary) -> String {
    let counts = counts_text(s);
    let author = match d.entry.author.as_str() {
        "" => String::new(),
        a => format!(" {}:", sanitize_line(a)),
    };
    let mut line = format!(
        "{:<7} {}{author} {} ({counts})",
        short(&d.entry.rev),
        day(&d.entry),
        sanitize_line(&d.entry.summary),
    );
    if let Some(h) = &s.headline {
        line.push_str(" — ");
        line.push_str(&sanitize_line(h));
    }
    line.push('\n');
    line
}

fn markdown_line(d: &Diffed, s: &Summary) -> String {
    let mut line = format!(
        "- `{}` {} **{}**: {} ({})",
        short(&d.entry.rev),
        day(&d.entry),
        md_escape(&d.entry.author),
        md_escape(&d.entry.summary),
        md_escape(&counts_text(s)),
    );
    if let Some(h) = &s.headline {
        line.push_str(&format!(" — {}", md_escape(h)));
    }
    line.push('\n');
    line
}

fn run_inner(args: &LogArgs, out: &mut impl Write) -> Result<u8, Failure> {
    let lens = parse_lens(args.lens.as_deref())?;
    let repo = open_repo()?;
    if let Some(id) = &args.entity {
        return entity_log(&repo, id, lens.as_ref(), args.format, out);
    }
    let mut json = vec![];
    let mut listed = 0usize;
    if args.format == Format::Markdown {
        emit(out, "### Roadmap history\n\n")?;
    }
    for d in walk(&repo)? {
        if args.max_count.is_some_and(|n| listed >= n) {
            break;
        }
        let d = d?;
        let s = summarize(&d, lens.as_ref());
        if lens.is_some() && s.changes.is_empty() && s.broken.is_empty() {
            continue;
        }
        listed += 1;
        match args.format {
            Format::Text => emit(out, &text_line(&d, &s))?,
            Format::Markdown => emit(out, &markdown_line(&d, &s))?,
            Format::Json => json.push(json_entry(&d, &s)),
        }
    }
    match args.format {
        Format::Json => {
            let s = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into());
            emit(out, &(crate::text::json_safe(s) + "\n"))?;
        }
        Format::Text if listed == 0 => emit(
            out,
            if lens.is_some() {
                "No roadmap changes in this lens.\n"
            } else {
                "No roadmap history yet.\n"
            },
        )?,
        _ => {}
    }
    Ok(EXIT_OK)
}

// ------------------------------------------------------------- ledger

#[derive(Serialize)]
struct JsonEntityChange {
    commit: Option<String>,
    author: String,
    time: Option<String>,
    summary: String,
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

fn entity_log(
    repo: &Repo,
    id: &str,
    lens: Option<&Lens>,
    format: Format,
    out: &mut impl Write,
) -> Result<u8, Failure> {
    let mut entries: Vec<Diffed> = vec![];
    for d in walk(repo)? {
        entries.push(d?);
    }
    entries.reverse(); // oldest first
    let mut changes: Vec<(usize, Change)> = vec![];
    for (i, d) in entries.iter().enumerate() {
        for f in &d.files {
            for c in crate::diff::filter(&f.changes, lens) {
                if c.id == id {
                    changes.push((i, c));
                }
            }
        }
    }
    let ledger = crate::diff::ledger::target_ledger(
        id,
        entries.iter().enumerate().flat_map(|(i, d)| {
            let rs: Vec<(usize, Option<&Roadmap>)> = d
                .news
                .iter()
                .filter_map(parsed)
                .map(|r| (i, Some(r)))
                .collect();
            rs
        }),
    );
    // The sales lens never shows release ids or dates finer than a quarter,
    // which the target ledger is made of: its coarse date changes are in the
    // (derived, sales-only) changes above.
    let ledger = ledger.filter(|_| !matches!(lens, Some(Lens::Sales)));
    if changes.is_empty() && ledger.is_none() {
        let msg = match lens {
            Some(l) => format!("no changes to `{id}` in the {} lens\n", l.name()),
            None => format!("no entity `{id}` in the roadmap history\n"),
        };
        emit(out, &sanitize_line(&msg))?;
        return Ok(if lens.is_some() {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        });
    }
    match format {
        Format::Json => {
            let doc = JsonLedger {
                id: id.to_string(),
                changes: changes
                    .iter()
                    .map(|(i, c)| {
                        let e = &entries[*i].entry;
                        JsonEntityChange {
                            commit: e.rev.commit().map(str::to_string),
                            author: e.author.clone(),
                            time: rfc3339(e),
                            summary: e.summary.clone(),
                            change: c.clone(),
                        }
                    })
                    .collect(),
                targets: ledger.as_ref().map(|l| {
                    l.points
                        .iter()
                        .map(|p| {
                            let e = &entries[p.rev].entry;
                            JsonTarget {
                                commit: e.rev.commit().map(str::to_string),
                                time: rfc3339(e),
                                target: p.target.map(|t| t.to_string()),
                                release: p.release.clone(),
                            }
                        })
                        .collect()
                }),
                total: ledger.as_ref().map(|l| l.summary.clone()),
            };
            let s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
            emit(out, &(crate::text::json_safe(s) + "\n"))?;
        }
        Format::Text | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut s = String::new();
            let title = changes
                .last()
                .map(|(_, c)| super::diffprint::entity_heading(c))
                .unwrap_or_else(|| sanitize_line(id).into_owned());
            if md {
                s.push_str(&format!("### History of {}\n\n", md_escape(&title)));
            } else {
                s.push_str(&format!("History of {title}\n"));
            }
            let mut last = None;
            for (i, c) in &changes {
                let e = &entries[*i].entry;
                if last != Some(*i) {
                    let head = format!(
                        "{} {} {}: {}",
                        short(&e.rev),
                        day(e),
                        sanitize_line(&e.author),
                        sanitize_line(&e.summary)
                    );
                    if md {
                        s.push_str(&format!("- {}\n", md_escape(&head)));
                    } else {
                        s.push_str(&format!("  {head}\n"));
                    }
                    last = Some(*i);
                }
                if md {
                    s.push_str(&format!("  - {}\n", md_escape(&c.detail)));
                } else {
                    s.push_str(&format!("      {}\n", sanitize_line(&c.detail)));
                }
            }
            if let Some(l) = &ledger {
                let line = format!("Target: {}", l.summary);
                if md {
                    s.push_str(&format!("\n**{}**\n", md_escape(&line)));
                } else {
                    s.push_str(&format!("{}\n", sanitize_line(&line)));
                }
            }
            emit(out, &s)?;
        }
    }
    Ok(EXIT_OK)
}
