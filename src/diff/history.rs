//! The one history rule, used by `roadlens log` (and `log --entity`),
//! `roadlens diff A B -- PATHS`, the TUI's History tab and its ledgers.
//!
//! - **What an entry compares.** Each roadmap file of a history entry is
//!   compared with its version on the parent side. When that version does
//!   not parse while this one does, it is compared with the last older
//!   version that did: the next older commit of the history that wrote the
//!   file (under its name there, following renames), and the one before if
//!   that did not parse either, looking at most [`MAX_LOOKBACK`] entries
//!   back; when none did back to the commit that added the file, with
//!   nothing (this version adds the roadmap). The file's `error` then says
//!   so, and the changes are there.
//! - **Which files are one file** between any two revisions (`diff A B`, a
//!   marked base in the TUI): the same path, else a roadmap found only on
//!   the base side and one found only on the target side with the same
//!   content or the same roadmap id (a rename). With `-- PATHS`, a rename is
//!   followed when either of its two paths is among them.
//! - **Uncommitted states.** `log` lists the working tree and the index each
//!   against HEAD (what a commit of each would change). A ledger, which
//!   tells each state once, chains them: HEAD → index → working tree.
//! - **Memory.** Entries are compared one at a time, newest first; only the
//!   last few file versions are kept (an entry's old side is usually the
//!   next older entry's new side), so a walk holds a few versions, never the
//!   history.

use super::ledger::{self, Ledger, TargetFact};
use super::{Change, ChangeKind, FileDiff, FileStatus};
use crate::lens::Lens;
use crate::model::{self, LoadedFile, Roadmap};
use crate::repo::{FileChange, HistoryEntry, PathFilter, Repo, RepoError, Rev};
use jiff::civil::Date;
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

/// How many entries back a file whose parent version does not parse looks
/// for one that does.
pub const MAX_LOOKBACK: usize = 256;

/// File versions kept loaded (the sides of the last entries compared).
const KEEP_VERSIONS: usize = 4;

/// One version of a roadmap file: its bytes and what they load to.
pub struct Version {
    pub path: String,
    pub bytes: Vec<u8>,
    pub file: LoadedFile,
}

impl Version {
    /// The roadmap, when this version parses without errors.
    pub fn roadmap(&self) -> Option<&Roadmap> {
        self.file
            .roadmap
            .as_ref()
            .filter(|_| !self.file.has_errors())
    }
}

/// The last few file versions loaded, so that a version shared by two
/// neighbouring entries is read and parsed once.
pub struct Versions {
    today: Date,
    recent: VecDeque<Arc<Version>>,
}

impl Versions {
    pub fn new(today: Date) -> Versions {
        Versions {
            today,
            recent: VecDeque::new(),
        }
    }

    /// `path` as of `rev`, loaded (`None`: no such file there).
    pub fn read(
        &mut self,
        repo: &Repo,
        rev: &Rev,
        path: &str,
    ) -> Result<Option<Arc<Version>>, RepoError> {
        Ok(repo.read(rev, path)?.map(|b| self.load(path, b)))
    }

    fn load(&mut self, path: &str, bytes: Vec<u8>) -> Arc<Version> {
        if let Some(i) = self
            .recent
            .iter()
            .position(|v| v.path == path && v.bytes == bytes)
        {
            let v = self.recent.remove(i).expect("found");
            self.recent.push_back(v.clone());
            return v;
        }
        let v = Arc::new(Version {
            file: model::load_bytes(path, &bytes, self.today),
            path: path.to_string(),
            bytes,
        });
        if self.recent.len() >= KEEP_VERSIONS {
            self.recent.pop_front();
        }
        self.recent.push_back(v.clone());
        v
    }
}

/// The entries older than the one being compared, newest first.
pub trait Older {
    /// The `i`-th older entry (0: the next one), `None` past the end.
    fn older(&mut self, i: usize) -> Option<&HistoryEntry>;
}

impl Older for &[HistoryEntry] {
    fn older(&mut self, i: usize) -> Option<&HistoryEntry> {
        self.get(i)
    }
}

/// One file of a compared entry.
pub struct FileCompared {
    pub diff: FileDiff,
    /// The two versions compared (the old one: the parent's, or the last
    /// older one that parses). `None`: absent on that side.
    pub old: Option<Arc<Version>>,
    pub new: Option<Arc<Version>>,
    /// The parent's version when it did not parse and `old` is an older one.
    pub parent: Option<Arc<Version>>,
}

impl FileCompared {
    /// Its roadmap's title ([`FileDiff::title_of`]), for a lens that names
    /// files by it.
    pub fn title(&self) -> Option<&str> {
        FileDiff::title_of(
            self.old.as_deref().and_then(Version::roadmap),
            self.new.as_deref().and_then(Version::roadmap),
        )
    }

    /// What `lens` notices in this file (`None`: every change): the
    /// difference of the lens's views of the two versions compared. Nothing
    /// for a file that does not parse.
    pub fn changes(&self, lens: Option<&Lens>) -> Vec<Change> {
        match lens {
            None => self.diff.changes.clone(),
            Some(_) if self.diff.status == FileStatus::Unparseable => vec![],
            Some(l) => super::audience(
                self.old.as_deref().and_then(Version::roadmap),
                self.new.as_deref().and_then(Version::roadmap),
                l,
            ),
        }
    }

    /// This file's diff as `lens` notices it.
    pub fn diff_as(&self, lens: Option<&Lens>) -> FileDiff {
        match lens {
            None => self.diff.clone(),
            Some(_) => FileDiff {
                changes: self.changes(lens),
                error: self.diff.error_as(lens),
                ..self.diff.clone()
            }
            .named_as(lens, self.title()),
        }
    }
}

/// A history entry with each of its files compared.
pub struct Compared {
    pub entry: HistoryEntry,
    pub files: Vec<FileCompared>,
}

/// Whether an entry whose files are diffed as a lens notices them is told
/// under that lens: a change it shows, or a version that does not parse
/// (`roadlens log --lens` lists it, the TUI's History under the sales
/// filter too; any other entry is left out).
pub fn noticed(files: &[FileDiff]) -> bool {
    files
        .iter()
        .any(|f| f.status == FileStatus::Unparseable || !f.changes.is_empty())
}

/// What [`last_parsed`] found.
enum LastParsed {
    /// The last older version that parses, and its revision.
    Found(Rev, Arc<Version>),
    /// None ever did: back to the commit that added the file, every
    /// version failed to parse.
    Never,
    /// None within reach (the walk or the look-back ended first).
    Unknown,
}

/// The last version of `path` older than the entry being compared that
/// parses, and the revision it is from: see the module docs.
fn last_parsed(
    repo: &Repo,
    versions: &mut Versions,
    older: &mut dyn Older,
    mut path: String,
) -> Result<LastParsed, RepoError> {
    for i in 0..MAX_LOOKBACK {
        let Some(e) = older.older(i) else { break };
        // Uncommitted entries are newer than every commit.
        if e.rev.commit().is_none() {
            continue;
        }
        let Some(fc) = e
            .files
            .iter()
            .find(|f| f.new_path.as_deref() == Some(path.as_str()))
        else {
            continue; // not touched there: look further
        };
        let (rev, before) = (e.rev.clone(), fc.old_path.clone());
        if let Some(v) = versions.read(repo, &rev, &path)?
            && v.roadmap().is_some()
        {
            return Ok(LastParsed::Found(rev, v));
        }
        // Broken there too: keep looking, under its older name.
        match before {
            Some(p) => path = p,
            // Added there, broken: there is no version before it.
            None => return Ok(LastParsed::Never),
        }
    }
    Ok(LastParsed::Unknown)
}

/// Compare each file of `entry` with its base (see the module docs).
/// `older`: the entries older than it, for a parent that does not parse.
pub fn compare_entry(
    repo: &Repo,
    versions: &mut Versions,
    entry: HistoryEntry,
    older: &mut dyn Older,
) -> Result<Compared, RepoError> {
    let parent_label = entry
        .parent
        .as_ref()
        .map(Rev::label)
        .unwrap_or_else(|| "nothing".into());
    let label = entry.rev.label();
    let mut files = Vec::with_capacity(entry.files.len());
    for fc in &entry.files {
        let old = match (&entry.parent, &fc.old_path) {
            (Some(p), Some(path)) => versions.read(repo, p, path)?,
            _ => None,
        };
        let new = match &fc.new_path {
            Some(path) => versions.read(repo, &entry.rev, path)?,
            None => None,
        };
        let mut diff = super::diff_loaded(
            fc.path(),
            old.as_deref().map(|v| &v.file),
            new.as_deref().map(|v| &v.file),
            (&parent_label, &label),
            None,
        );
        diff.old_path = fc.old_path.clone().filter(|_| fc.new_path.is_some());
        let old_broken = old.as_ref().is_some_and(|v| v.roadmap().is_none());
        let mut compared = FileCompared {
            diff,
            old,
            new,
            parent: None,
        };
        if let (true, Some(new), Some(path)) = (
            old_broken,
            compared.new.as_ref().and_then(|v| v.roadmap()),
            &fc.old_path,
        ) {
            match last_parsed(repo, versions, older, path.clone())? {
                LastParsed::Found(rev, base) => {
                    if let Some(b) = base.roadmap() {
                        let d = &mut compared.diff;
                        d.changes = super::diff(b, new);
                        d.status = FileStatus::Modified;
                        d.error = Some(format!(
                            "the parent version did not parse; compared with {}, the last version that did",
                            rev.label()
                        ));
                        compared.parent = compared.old.replace(base);
                    }
                }
                // The first version that parses: it adds the roadmap.
                LastParsed::Never => {
                    let d = &mut compared.diff;
                    d.changes = super::whole(new, true);
                    d.status = FileStatus::Added;
                    d.error = Some(
                        "no older version parsed; compared with nothing, as when it was added"
                            .to_string(),
                    );
                    compared.parent = compared.old.take();
                }
                LastParsed::Unknown => {}
            }
        }
        files.push(compared);
    }
    Ok(Compared { entry, files })
}

/// How a walk presents uncommitted changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uncommitted {
    /// As `log` lists them: the working tree against HEAD, then the index
    /// against HEAD when it differs from the working tree.
    AgainstHead,
    /// Each state once, newest first: the working tree against the index
    /// (when something is staged that differs), the index against HEAD.
    Chain,
}

/// Chain the uncommitted entries (working tree, then index; each against
/// HEAD): the working tree is compared with the index when both are there.
fn chain(mut entries: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let Some(index) = entries.iter().find(|e| e.rev == Rev::Index).cloned() else {
        return entries;
    };
    for e in entries.iter_mut().filter(|e| e.rev == Rev::WorkTree) {
        e.parent = Some(Rev::Index);
        for fc in &mut e.files {
            // The index holds the file under its new name when it staged
            // the same path.
            let staged = index
                .files
                .iter()
                .any(|f| f.new_path.is_some() && f.new_path == fc.new_path);
            if staged {
                fc.old_path = fc.new_path.clone();
            }
        }
    }
    entries
}

/// Every history entry, newest first (uncommitted ones first), each
/// compared with its base, one at a time.
pub struct Walk<'r> {
    repo: &'r Repo,
    source: Box<dyn Iterator<Item = Result<HistoryEntry, RepoError>> + 'r>,
    /// Entries read ahead of the one compared (looking for a version that
    /// parses).
    ahead: VecDeque<HistoryEntry>,
    /// An error met while reading ahead: reported after the entries before it.
    failed: Option<RepoError>,
    versions: Versions,
    done: bool,
}

/// The roadmap files a history is limited to (`log -- PATHS`): files and
/// directories, a file followed back through its renames (the entries come
/// newest first; where one renamed a followed file, the older entries are
/// searched under its older name too). Empty: every file.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    paths: Vec<String>,
}

impl Scope {
    /// Repo-relative `/` paths; none: every file.
    pub fn new(paths: Vec<String>) -> Scope {
        Scope { paths }
    }

    /// The entry with only the files in scope (either of its two paths is
    /// a path of the scope or under one); `None` when it touches none.
    pub fn entry(&mut self, mut e: HistoryEntry) -> Option<HistoryEntry> {
        if self.paths.is_empty() {
            return Some(e);
        }
        let filter = PathFilter::new(std::mem::take(&mut self.paths));
        e.files.retain(|f| {
            [&f.old_path, &f.new_path]
                .into_iter()
                .flatten()
                .any(|p| filter.matches(p))
        });
        self.paths = filter.into_paths();
        for f in &e.files {
            if let (Some(old), Some(new)) = (&f.old_path, &f.new_path)
                && old != new
                && self.paths.contains(new)
                && !self.paths.contains(old)
            {
                self.paths.push(old.clone());
            }
        }
        (!e.files.is_empty()).then_some(e)
    }
}

/// The history of `repo`: its uncommitted entries, then its commits.
pub fn walk(repo: &Repo, today: Date, uncommitted: Uncommitted) -> Result<Walk<'_>, RepoError> {
    walk_scoped(repo, today, uncommitted, Scope::default())
}

/// The history of `repo` limited to `scope`.
pub fn walk_scoped(
    repo: &Repo,
    today: Date,
    uncommitted: Uncommitted,
    mut scope: Scope,
) -> Result<Walk<'_>, RepoError> {
    let mut unc = repo.uncommitted()?;
    if uncommitted == Uncommitted::Chain {
        unc = chain(unc);
    }
    let commits = commits_ahead(repo)?;
    let source = unc
        .into_iter()
        .map(Ok)
        .chain(commits)
        .filter_map(move |e| match e {
            Ok(e) => scope.entry(e).map(Ok),
            Err(e) => Some(Err(e)),
        });
    Ok(Walk {
        repo,
        source: Box::new(source),
        ahead: VecDeque::new(),
        failed: None,
        versions: Versions::new(today),
        done: false,
    })
}

/// What the commit walk thread sends: an entry, or at its end what it left
/// out (to be told, as the caller's handle tells its own).
enum Walked {
    Entry(Result<HistoryEntry, RepoError>),
    Notes(Vec<String>),
}

/// The commits that changed a roadmap, newest first, found on a thread of
/// their own (through a handle of their own) while the caller compares the
/// entries already found: in a monorepo the walk takes as long as the
/// comparing (100,000 commits, 600 of them roadmap versions), and the two
/// overlap on two cores. At most 64 entries wait; a caller that stops early
/// stops the walk.
fn commits_ahead(
    repo: &Repo,
) -> Result<Box<dyn Iterator<Item = Result<HistoryEntry, RepoError>> + '_>, RepoError> {
    let Ok(other) = repo.reopen() else {
        return Ok(Box::new(repo.history()?));
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Walked>(64);
    let spawned = std::thread::Builder::new()
        .name("roadlens-walk".into())
        .spawn(move || {
            match other.history() {
                Ok(walk) => {
                    for e in walk {
                        if tx.send(Walked::Entry(e)).is_err() {
                            return;
                        }
                    }
                }
                Err(e) => {
                    let _ = tx.send(Walked::Entry(Err(e)));
                }
            }
            let _ = tx.send(Walked::Notes(other.take_notes()));
        });
    if spawned.is_err() {
        return Ok(Box::new(repo.history()?));
    }
    Ok(Box::new(rx.into_iter().filter_map(move |w| match w {
        Walked::Entry(e) => Some(e),
        Walked::Notes(n) => {
            repo.add_notes(n);
            None
        }
    })))
}

/// The entries after the one compared, read from the walk on demand.
struct Ahead<'a, 'r> {
    buf: &'a mut VecDeque<HistoryEntry>,
    source: &'a mut (dyn Iterator<Item = Result<HistoryEntry, RepoError>> + 'r),
    failed: &'a mut Option<RepoError>,
}

impl Older for Ahead<'_, '_> {
    fn older(&mut self, i: usize) -> Option<&HistoryEntry> {
        while self.buf.len() <= i && self.failed.is_none() {
            match self.source.next() {
                Some(Ok(e)) => self.buf.push_back(e),
                Some(Err(e)) => *self.failed = Some(e),
                None => break,
            }
        }
        self.buf.get(i)
    }
}

impl Iterator for Walk<'_> {
    type Item = Result<Compared, RepoError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let entry = match self.ahead.pop_front() {
            Some(e) => e,
            None => match self.failed.take().map(Err).or_else(|| self.source.next()) {
                Some(Ok(e)) => e,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                None => {
                    self.done = true;
                    return None;
                }
            },
        };
        let mut older = Ahead {
            buf: &mut self.ahead,
            source: &mut *self.source,
            failed: &mut self.failed,
        };
        let r = compare_entry(self.repo, &mut self.versions, entry, &mut older);
        if r.is_err() {
            self.done = true;
        }
        Some(r)
    }
}

// ------------------------------------------------------------ two sides

/// The roadmap files of `base` and `target` as pairs of one file each (see
/// the module docs), sorted by path; only pairs with a path `filter`
/// accepts. `base` `None`: nothing (an empty repository).
pub fn pair_sides(
    repo: &Repo,
    base: Option<&Rev>,
    target: &Rev,
    filter: &PathFilter,
) -> Result<Vec<FileChange>, RepoError> {
    let list = |rev: Option<&Rev>, f: &PathFilter| -> Result<BTreeSet<String>, RepoError> {
        match rev {
            Some(r) => Ok(repo.roadmap_files_matching(r, f)?.into_iter().collect()),
            None => Ok(BTreeSet::new()),
        }
    };
    let (b, t) = (list(base, filter)?, list(Some(target), filter)?);
    let mut out = vec![];
    let mut only_b = vec![];
    let mut only_t = vec![];
    for p in b.union(&t) {
        let same_path = match (b.contains(p), t.contains(p)) {
            (true, true) => true,
            // A roadmap on one side only is still the same file when the
            // path exists on the other (a file that was no roadmap there).
            (true, false) => repo.read(target, p)?.is_some(),
            (false, _) => match base {
                Some(base) => repo.read(base, p)?.is_some(),
                None => false,
            },
        };
        if same_path {
            out.push(FileChange {
                old_path: Some(p.clone()),
                new_path: Some(p.clone()),
            });
        } else if b.contains(p) {
            only_b.push(p.clone());
        } else {
            only_t.push(p.clone());
        }
    }
    if only_b.is_empty() && only_t.is_empty() {
        return Ok(out);
    }
    // Rename partners from outside the paths asked for.
    let mut candidates_b = only_b.clone();
    let mut candidates_t = only_t.clone();
    let everything = PathFilter::default();
    if !filter.is_empty() && ((!only_t.is_empty() && base.is_some()) || !only_b.is_empty()) {
        let (all_b, all_t) = (list(base, &everything)?, list(Some(target), &everything)?);
        if !only_t.is_empty() {
            candidates_b.extend(
                all_b
                    .difference(&all_t)
                    .filter(|p| !b.contains(*p))
                    .cloned(),
            );
        }
        if !only_b.is_empty() {
            candidates_t.extend(
                all_t
                    .difference(&all_b)
                    .filter(|p| !t.contains(*p))
                    .cloned(),
            );
        }
    }
    let read =
        |rev: Option<&Rev>, paths: Vec<String>| -> Result<Vec<(String, Vec<u8>)>, RepoError> {
            let Some(rev) = rev else { return Ok(vec![]) };
            let mut v = vec![];
            for p in paths {
                if let Some(bytes) = repo.read(rev, &p)? {
                    v.push((p, bytes));
                }
            }
            Ok(v)
        };
    let removed = read(base, candidates_b)?;
    let added = read(Some(target), candidates_t)?;
    for fc in pair_renames(removed, added) {
        let wanted = [&fc.old_path, &fc.new_path]
            .into_iter()
            .flatten()
            .any(|p| filter.matches(p));
        if wanted {
            out.push(fc);
        }
    }
    out.sort_by(|a, b| a.path().cmp(b.path()).then_with(|| a.cmp(b)));
    Ok(out)
}

/// Pair files found only on the old side with files found only on the new
/// side: the same content first, then the same roadmap id. The rest stay
/// removed or added.
pub fn pair_renames(
    mut removed: Vec<(String, Vec<u8>)>,
    mut added: Vec<(String, Vec<u8>)>,
) -> Vec<FileChange> {
    let mut out = vec![];
    let mut take = |removed: &mut Vec<(String, Vec<u8>)>,
                    added: &mut Vec<(String, Vec<u8>)>,
                    same: &dyn Fn(&[u8], &[u8]) -> bool| {
        let mut i = 0;
        while i < added.len() {
            match removed.iter().position(|(_, o)| same(o, &added[i].1)) {
                Some(j) => {
                    let (from, _) = removed.remove(j);
                    let (to, _) = added.remove(i);
                    out.push(FileChange {
                        old_path: Some(from),
                        new_path: Some(to),
                    });
                }
                None => i += 1,
            }
        }
    };
    take(&mut removed, &mut added, &|a, b| a == b);
    take(&mut removed, &mut added, &|a, b| {
        crate::repo::roadmap_id(a).is_some_and(|id| crate::repo::roadmap_id(b) == Some(id))
    });
    out.extend(added.into_iter().map(|(p, _)| FileChange {
        old_path: None,
        new_path: Some(p),
    }));
    out.extend(removed.into_iter().map(|(p, _)| FileChange {
        old_path: Some(p),
        new_path: None,
    }));
    out
}

// --------------------------------------------------------------- ledger

/// What identifies a history entry in a ledger: the entry without its
/// files. Displayed as "abc1234 2027-01-04 Ada: Slip v2", or "working tree
/// (not committed)" (raw text: sanitize before printing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub rev: Rev,
    pub author: String,
    pub time: i64,
    pub offset_minutes: i32,
    pub summary: String,
    /// Displayed as the quarter of its day only (the sales lens: no commit
    /// id, day, author or message).
    pub quarter_only: bool,
}

/// Whether `lens` names revisions by the quarter of their day only, with no
/// commit id, day, author or message (the sales lens): the rule of
/// [`Stamp::for_lens`], and of every screen that names a revision.
pub fn by_quarter(lens: Option<&Lens>) -> bool {
    matches!(lens, Some(Lens::Sales))
}

impl Stamp {
    pub fn of(e: &HistoryEntry) -> Stamp {
        Stamp {
            rev: e.rev.clone(),
            author: e.author.clone(),
            time: e.time,
            offset_minutes: e.offset_minutes,
            summary: e.summary.clone(),
            quarter_only: false,
        }
    }

    /// As `lens` may name it: under sales the quarter of its day only, as
    /// `roadlens timeline --lens sales` names its baseline
    /// ([`crate::lens::timeline::BaselineLabel::for_lens`]).
    pub fn for_lens(mut self, lens: Option<&Lens>) -> Stamp {
        if by_quarter(lens) {
            // Commit messages name releases, health and dates: not for
            // sales. An uncommitted entry's summary is roadlens's own words
            // ("Uncommitted changes (working tree)"): kept, so that it is
            // told apart from the staged one.
            if self.rev.commit().is_some() {
                self.summary.clear();
            }
            self.quarter_only = true;
        }
        self
    }

    /// The author's local time.
    pub fn zoned(&self) -> Option<jiff::Zoned> {
        zoned(self.time, self.offset_minutes)
    }
}

/// A commit time in the author's offset.
pub fn zoned(time: i64, offset_minutes: i32) -> Option<jiff::Zoned> {
    let ts = jiff::Timestamp::from_second(time).ok()?;
    let off = jiff::tz::Offset::from_seconds(offset_minutes.saturating_mul(60)).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::fixed(off)))
}

/// `2027-03-01` for a commit time (`????-??-??` when out of range).
pub fn day(time: i64, offset_minutes: i32) -> String {
    zoned(time, offset_minutes)
        .map(|z| z.date().to_string())
        .unwrap_or_else(|| "????-??-??".into())
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rev {
            Rev::Commit(_) if self.quarter_only => {
                let day = self.zoned().map(|z| z.date());
                let label = crate::lens::timeline::BaselineLabel::for_lens(&Lens::Sales, "", day);
                write!(f, "{label}")
            }
            Rev::Commit(_) => {
                write!(
                    f,
                    "{} {}",
                    self.rev.label(),
                    day(self.time, self.offset_minutes)
                )?;
                if !self.author.is_empty() {
                    write!(f, " {}", self.author)?;
                }
                if self.summary.is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {}", self.summary)
                }
            }
            Rev::Index => f.write_str("staged (not committed)"),
            Rev::WorkTree => f.write_str("working tree (not committed)"),
        }
    }
}

/// A roadmap with the same header and no entities: what a roadmap added
/// whole is compared with, so that every entity in it (work items, metrics
/// and decisions too) has its "added".
fn blank(r: &Roadmap) -> Roadmap {
    Roadmap {
        path: r.path.clone(),
        today: r.today,
        schema: r.schema,
        meta: r.meta.clone(),
        layers: vec![],
        layers_declared: r.layers_declared,
        themes: vec![],
        metrics: vec![],
        releases: vec![],
        features: vec![],
        decisions: vec![],
    }
}

/// The changes to `id` in one compared file, as the lens notices them. A
/// roadmap added or removed whole brings every entity in it.
fn changes_to(f: &FileCompared, id: &str, lens: Option<&Lens>) -> Vec<Change> {
    let of = |changes: Vec<Change>| -> Vec<Change> {
        changes.into_iter().filter(|c| c.id == id).collect()
    };
    // Everything in a roadmap added (removed) whole: compared with a blank
    // roadmap, so every entity has its "added" ("removed").
    let whole = |r: &Roadmap, added: bool| {
        let b = blank(r);
        let (o, n) = if added { (&b, r) } else { (r, &b) };
        let mut c = match lens {
            None => of(super::diff(o, n)),
            Some(l) => of(super::audience(Some(o), Some(n), l)),
        };
        c.retain(|c| matches!(c.kind, ChangeKind::Added | ChangeKind::Removed));
        c
    };
    let side = |v: &Option<Arc<Version>>| v.as_deref().and_then(Version::roadmap).cloned();
    match f.diff.status {
        FileStatus::Added => side(&f.new).map(|r| whole(&r, true)).unwrap_or_default(),
        FileStatus::Removed => side(&f.old).map(|r| whole(&r, false)).unwrap_or_default(),
        _ => of(f.changes(lens)),
    }
}

/// The ledger of entity `id` over the whole history (uncommitted states
/// chained, each once): its changes under `lens` and, unless the lens is
/// sales (which never shows release ids or exact dates), its target
/// ledger. `follow`: only that roadmap file (a working-tree path), followed
/// back through renames; `None`: every roadmap file. `None` when nothing
/// in history changes `id` under the lens.
pub fn entity_ledger(
    repo: &Repo,
    today: Date,
    id: &str,
    lens: Option<&Lens>,
    follow: Option<&str>,
) -> Result<Option<Ledger<Stamp>>, RepoError> {
    let scope = Scope::new(follow.map(str::to_string).into_iter().collect());
    // Newest first; reversed at the end. Only small facts are kept.
    let mut entries: Vec<(Stamp, Vec<Change>)> = vec![];
    let mut facts: Vec<(Stamp, TargetFact)> = vec![];
    for c in walk_scoped(repo, today, Uncommitted::Chain, scope)? {
        let c = c?;
        let files: Vec<&FileCompared> = c.files.iter().collect();
        let stamp = Stamp::of(&c.entry).for_lens(lens);
        let changes: Vec<Change> = files.iter().flat_map(|f| changes_to(f, id, lens)).collect();
        // A target point where this entry moved the target (or brought the
        // entity in) against the version it is compared with: a version on
        // a merged branch is not a point of the mainline's (its merge, which
        // brings the move in, is compared with the first parent).
        let fact_of = |v: fn(&FileCompared) -> Option<&Version>| {
            files
                .iter()
                .filter_map(|f| v(f).and_then(Version::roadmap))
                .find_map(|r| ledger::target_fact(r, id))
        };
        let fact = fact_of(|f| f.new.as_deref());
        let was = fact_of(|f| f.old.as_deref());
        if let Some(fact) = fact
            && was.is_none_or(|w| (w.target, &w.release) != (fact.target, &fact.release))
        {
            facts.push((stamp.clone(), fact));
        }
        if !changes.is_empty() {
            entries.push((stamp, changes));
        }
    }
    entries.reverse();
    facts.reverse();
    // The sales lens never shows release ids or dates finer than a quarter,
    // which the target ledger is made of.
    let target = if matches!(lens, Some(Lens::Sales)) {
        None
    } else {
        ledger::target_ledger_of(id, facts)
    };
    if entries.is_empty() && target.is_none() {
        return Ok(None);
    }
    Ok(Some(Ledger {
        id: id.to_string(),
        entries,
        target,
    }))
}

// ------------------------------------------------------------- baseline

/// The same roadmap as the file at `path` in `target`, as it was at `at`
/// (a baseline): the file the two-sides rule pairs with it ([`pair_sides`]:
/// the same path, else a file renamed with the same content or roadmap
/// id), as long as it holds the same roadmap `id`; else any roadmap file
/// at `at` holding that id (files get moved and renamed). `None`: the
/// roadmap was not there.
pub fn same_roadmap_at(
    repo: &Repo,
    versions: &mut Versions,
    at: &Rev,
    target: &Rev,
    path: &str,
    id: &str,
) -> Result<Option<Arc<Version>>, RepoError> {
    let same_id = |v: &Version| crate::repo::roadmap_id(&v.bytes).as_deref() == Some(id);
    let filter = PathFilter::new(vec![path.to_string()]);
    for fc in pair_sides(repo, Some(at), target, &filter)? {
        if fc.new_path.as_deref() == Some(path)
            && let Some(old) = &fc.old_path
            && let Some(v) = versions.read(repo, at, old)?
            && same_id(&v)
        {
            return Ok(Some(v));
        }
    }
    for p in repo.roadmap_files(at)? {
        if let Some(bytes) = repo.read(at, &p)?
            && crate::repo::roadmap_id(&bytes).as_deref() == Some(id)
        {
            return versions.read(repo, at, &p);
        }
    }
    Ok(None)
}
