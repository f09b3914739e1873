//! git access over git2, read-only: discovery, any revision, the index, the
//! working tree, history walks. Never writes to the repository, its index,
//! refs or config.
//!
//! Read-only by construction: the repository is opened with
//! `Repository::open_ext` (no `FROM_ENV`, no writes on open), the index is
//! only read (`Repository::index`, never `Index::write`), working files are
//! hashed in memory with `Oid::hash_object` / `Oid::hash_file` (never
//! `Repository::blob*`), and `Repository::statuses` — which may refresh the
//! index on disk — is never called.
//!
//! History is a streaming walk with git's own history simplification; see
//! [`History`] and `history.rs` for how it stays close to `git log -- path`.

mod history;
mod loose;
mod paths;
mod worktree;

pub use history::History;
pub use paths::PathFilter;
use paths::{check_repo_path, is_toml_path, relative_slash_path, skipped_path};
pub(crate) use paths::{is_toml_name, skipped_dir};
use worktree::read_capped;
pub use worktree::roadmaps_on_disk;

use crate::model;
use crate::text::sanitize_line;
use git2::{ErrorCode, ObjectType, Oid};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("not a git repository: {0}")]
    NotARepo(String),
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
    /// A date (`YYYY-MM-DD`) before the first commit.
    #[error("no commit on or before {0}")]
    NoCommitBefore(String),
    #[error("`{0}` does not name a commit")]
    NotACommit(String),
    #[error("the repository has no commits yet")]
    Empty,
    #[error("{0}")]
    Git(String),
    #[error("{0}")]
    Io(String),
}

impl From<git2::Error> for RepoError {
    fn from(e: git2::Error) -> Self {
        RepoError::Git(sanitize_line(e.message()).into_owned())
    }
}

/// A revision whose roadmap files can be read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rev {
    /// A commit, by full hex id.
    Commit(String),
    /// The index (what is staged).
    Index,
    /// The working tree (files on disk).
    WorkTree,
}

impl Rev {
    /// "working tree", "index", or the short commit id.
    pub fn label(&self) -> String {
        match self {
            Rev::Commit(id) => id.chars().take(7).collect(),
            Rev::Index => "index".into(),
            Rev::WorkTree => "working tree".into(),
        }
    }
    /// The name of this revision, typed as `spec`: a commit id typed
    /// longer than the short one is the short one (a header has no room for
    /// 40 digits), anything else as typed.
    pub fn named(&self, spec: &str) -> String {
        let spec = sanitize_line(spec.trim()).into_owned();
        match self.commit() {
            Some(id)
                if spec.len() > 7
                    && spec.bytes().all(|b| b.is_ascii_hexdigit())
                    && id.starts_with(&spec.to_ascii_lowercase()) =>
            {
                self.label()
            }
            _ => spec,
        }
    }

    pub fn commit(&self) -> Option<&str> {
        match self {
            Rev::Commit(id) => Some(id),
            _ => None,
        }
    }
}

/// One roadmap file touched by a history entry (paths repo-relative, `/`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileChange {
    /// Path on the parent side (`None`: added).
    pub old_path: Option<String>,
    /// Path on this side (`None`: deleted).
    pub new_path: Option<String>,
}

impl FileChange {
    /// The path to show: the new one, else the old one.
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }
}

/// One entry of the roadmap history: a commit, or uncommitted changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// This side: a commit, or `Index` / `WorkTree` for uncommitted entries.
    pub rev: Rev,
    /// What it is compared with: the first parent (None for a root commit),
    /// or HEAD for uncommitted entries (None in an empty repository).
    pub parent: Option<Rev>,
    /// Raw text from git: sanitize before printing.
    pub author: String,
    /// Seconds since the epoch, and the author's UTC offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    /// First line of the message ("Uncommitted changes (working tree)" etc.).
    /// Raw text from git: sanitize before printing.
    pub summary: String,
    pub message: String,
    /// Roadmap files changed against `parent` (sorted by path).
    pub files: Vec<FileChange>,
}

/// Process-wide libgit2 settings, applied once before the first open.
fn init_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Objects read from the object database are not re-hashed: about half
        // the CPU of a history walk otherwise. The data is still zlib-checked.
        git2::opts::strict_hash_verification(false);
    });
}

pub struct Repo {
    inner: git2::Repository,
    /// Blob id → "is a roadmap source" (blobs never change).
    roadmap_blobs: RefCell<HashMap<Oid, bool>>,
    /// How objects are read (boxed: a handle stays small to move around).
    reads: Box<Reads>,
    /// Things left out that a command should tell (trees too deep to walk).
    notes: RefCell<BTreeSet<String>>,
    /// The last roadmap blobs found or read (capped at
    /// `model::MAX_FILE_BYTES + 1` bytes): reading the same blob again does
    /// not inflate it a second time (a 1.2 MB blob costs ~1.5 ms to inflate).
    recent_blobs: RefCell<Vec<(Oid, std::sync::Arc<[u8]>)>>,
}

/// Directories nested deeper than this are not walked (git's own limit,
/// `core.maxTreeDepth`): a crafted tree 20,000 levels deep cannot exhaust
/// the stack or make paths too long for the file system.
pub const MAX_TREE_DEPTH: usize = 4096;

/// How objects are read, as git reads them.
struct Reads {
    /// Loose objects are checked before libgit2 reads them (see `loose.rs`).
    loose: loose::LooseGuard,
    /// `git replace`: original object → replacement (empty when disabled).
    replace: HashMap<Oid, Oid>,
}

/// How many blobs `recent_blobs` keeps (a diff reads two sides).
const RECENT_BLOBS: usize = 4;

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("path", &self.inner.path())
            .finish()
    }
}

impl Repo {
    /// A handle on an opened repository, with empty caches.
    fn with(inner: git2::Repository) -> Repo {
        Repo {
            reads: Box::new(Reads {
                loose: loose::LooseGuard::new(&inner),
                replace: replace_refs(&inner),
            }),
            inner,
            roadmap_blobs: RefCell::new(HashMap::new()),
            notes: RefCell::new(BTreeSet::new()),
            recent_blobs: RefCell::new(Vec::new()),
        }
    }

    /// Open the repository containing `path` (searching upward). Works for
    /// linked worktrees, detached HEADs, shallow clones and repositories
    /// without commits. A file path opens the repository holding the file.
    pub fn discover(path: &Path) -> Result<Repo, RepoError> {
        init_libgit2();
        let shown = || sanitize_line(&path.display().to_string()).into_owned();
        let meta =
            std::fs::metadata(path).map_err(|e| RepoError::Io(format!("{}: {e}", shown())))?;
        let start = if meta.is_file() {
            match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        } else {
            path.to_path_buf()
        };
        let inner = git2::Repository::open_ext(
            &start,
            git2::RepositoryOpenFlags::empty(),
            &[] as &[&std::ffi::OsStr],
        )
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => RepoError::NotARepo(shown()),
            _ => RepoError::Git(format!(
                "cannot open the repository at {}: {}",
                shown(),
                sanitize_line(e.message())
            )),
        })?;
        Ok(Repo::with(inner))
    }

    /// The underlying git2 repository (read-only use only).
    pub fn git(&self) -> &git2::Repository {
        &self.inner
    }

    /// The working directory root (None for a bare repository).
    pub fn workdir(&self) -> Option<PathBuf> {
        self.inner.workdir().map(Path::to_path_buf)
    }

    /// The repository's git directories: its own (HEAD, the index) and the
    /// common one (refs, packed-refs), one in a plain repository.
    pub fn git_dirs(&self) -> Vec<PathBuf> {
        let g = &self.inner;
        let mut dirs = vec![g.path().to_path_buf(), g.commondir().to_path_buf()];
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Everything that is the repository: its git directories and its work
    /// tree. roadlens never writes inside any of them.
    pub fn own_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = self.git_dirs();
        dirs.extend(self.workdir());
        dirs
    }

    /// True for a shallow clone (history stops at the shallow boundary).
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// Resolve a revision spec: sha, short sha, tag (annotated too), branch,
    /// `HEAD~3`, remote-tracking ref, anything `git rev-parse` takes that
    /// names a commit. As a fallback a date `YYYY-MM-DD` names the last
    /// commit on HEAD's first-parent line committed on or before that day
    /// (UTC), for "what changed since the review on 2027-01-15".
    pub fn resolve(&self, spec: &str) -> Result<Rev, RepoError> {
        let unknown = || RepoError::UnknownRevision(sanitize_line(spec).into_owned());
        let spec_trim = spec.trim();
        if spec_trim.is_empty() {
            return Err(unknown());
        }
        // libgit2 reads the objects it walks: check the loose ones first.
        self.precheck(spec_trim)?;
        match self.inner.revparse_single(spec_trim) {
            Ok(obj) => {
                let commit = obj
                    .peel_to_commit()
                    .map_err(|_| RepoError::NotACommit(sanitize_line(spec_trim).into_owned()))?;
                Ok(Rev::Commit(commit.id().to_string()))
            }
            Err(e) => {
                let date = spec_trim.parse::<jiff::civil::Date>().ok();
                if let Some(date) = date
                    && let Some(rev) = self.commit_on_or_before(date)?
                {
                    return Ok(rev);
                }
                if self.head()?.is_none() {
                    return Err(RepoError::Empty);
                }
                if let Some(date) = date {
                    return Err(RepoError::NoCommitBefore(date.to_string()));
                }
                match e.code() {
                    ErrorCode::Ambiguous => Err(RepoError::Git(format!(
                        "ambiguous revision `{}`: give more characters",
                        sanitize_line(spec_trim)
                    ))),
                    _ => Err(unknown()),
                }
            }
        }
    }

    /// The last commit on HEAD's first-parent line committed on or before
    /// the end of `date` (UTC).
    fn commit_on_or_before(&self, date: jiff::civil::Date) -> Result<Option<Rev>, RepoError> {
        let Some(head) = self.head_commit()? else {
            return Ok(None);
        };
        let Ok(end) = date
            .tomorrow()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
            .map(|z| z.timestamp().as_second())
        else {
            return Ok(None);
        };
        let mut c = head;
        loop {
            if c.time().seconds() < end {
                return Ok(Some(Rev::Commit(c.id().to_string())));
            }
            match c.parent_id(0) {
                Ok(p) => c = self.find_commit(p)?,
                Err(_) => return Ok(None),
            }
        }
    }

    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>, RepoError> {
        match self.inner.head() {
            Ok(r) => {
                let target = r.resolve()?.target();
                match target.map(|id| self.peel_to_commit_id(id)).transpose()? {
                    Some(Some(id)) => Ok(Some(self.find_commit(id)?)),
                    _ => Err(RepoError::Git("HEAD does not point to a commit".into())),
                }
            }
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// HEAD's commit, or None in an empty repository.
    pub fn head(&self) -> Result<Option<Rev>, RepoError> {
        Ok(self.head_commit()?.map(|c| Rev::Commit(c.id().to_string())))
    }

    /// A commit's author, time and message, as a history entry without
    /// files (for labels: "v2027.1 (3f1c2a9, 2027-01-15)"); `None` for the
    /// index and the working tree.
    pub fn commit_entry(&self, rev: &Rev) -> Result<Option<HistoryEntry>, RepoError> {
        let Rev::Commit(id) = rev else {
            return Ok(None);
        };
        let c = self.commit(id)?;
        let author = c.author();
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Ok(Some(HistoryEntry {
            rev: rev.clone(),
            parent: c.parent_id(0).ok().map(|p| Rev::Commit(p.to_string())),
            author: lossy(author.name_bytes()),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            summary: c.summary_bytes().map(lossy).unwrap_or_default(),
            message: lossy(c.message_bytes()),
            files: vec![],
        }))
    }

    fn commit(&self, id: &str) -> Result<git2::Commit<'_>, RepoError> {
        let unknown = || RepoError::UnknownRevision(sanitize_line(id).into_owned());
        let oid = Oid::from_str(id).map_err(|_| unknown())?;
        let oid = self.replaced(oid);
        self.reads.loose.check(oid)?;
        self.inner.find_commit(oid).map_err(|_| unknown())
    }

    /// The object git reads for `id`: its replacement (`git replace`) when
    /// there is one.
    fn replaced(&self, id: Oid) -> Oid {
        self.reads.replace.get(&id).copied().unwrap_or(id)
    }

    /// A commit (its replacement when replaced), its loose object checked
    /// first.
    fn find_commit(&self, id: Oid) -> Result<git2::Commit<'_>, RepoError> {
        let id = self.replaced(id);
        self.reads.loose.check(id)?;
        Ok(self.inner.find_commit(id)?)
    }

    /// A tree, its loose object checked first.
    fn find_tree(&self, id: Oid) -> Result<git2::Tree<'_>, RepoError> {
        let id = self.replaced(id);
        self.reads.loose.check(id)?;
        Ok(self.inner.find_tree(id)?)
    }

    /// A blob, its loose object checked first.
    fn find_blob(&self, id: Oid) -> Result<git2::Blob<'_>, RepoError> {
        let id = self.replaced(id);
        self.reads.loose.check(id)?;
        Ok(self.inner.find_blob(id)?)
    }

    /// A commit's root tree.
    fn commit_tree(&self, c: &git2::Commit<'_>) -> Result<git2::Tree<'_>, RepoError> {
        self.find_tree(c.tree_id())
    }

    /// The commit `id` names, through annotated tags (None: not a commit).
    fn peel_to_commit_id(&self, mut id: Oid) -> Result<Option<Oid>, RepoError> {
        for _ in 0..64 {
            let read = self.replaced(id);
            self.reads.loose.check(read)?;
            let obj = self.inner.find_object(read, None)?;
            match obj.kind() {
                Some(ObjectType::Commit) => return Ok(Some(id)),
                Some(ObjectType::Tag) => match obj.as_tag() {
                    Some(t) => id = t.target_id(),
                    None => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Check the loose objects libgit2 will read to resolve `spec`: the
    /// commit a ref or full id names, and the commits `~N` / `^N` walk.
    /// Other forms (`@{…}`, `:/text`, short ids) are left to libgit2.
    fn precheck(&self, spec: &str) -> Result<(), RepoError> {
        let cut = spec.find(['~', '^', ':', '@']).unwrap_or(spec.len());
        let base = &spec[..cut];
        let id = match Oid::from_str(base) {
            Ok(id) if base.len() == 40 => Some(id),
            _ => self
                .inner
                .resolve_reference_from_short_name(base)
                .ok()
                .and_then(|r| r.resolve().ok())
                .and_then(|r| r.target()),
        };
        let Some(id) = id else {
            return Ok(());
        };
        let Some(mut id) = self.peel_to_commit_id(id)? else {
            return Ok(());
        };
        let mut rest = &spec[cut..];
        while let Some(op) = rest.chars().next().filter(|c| matches!(c, '~' | '^')) {
            rest = &rest[1..];
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let n: usize = rest[..digits].parse().unwrap_or(1);
            rest = &rest[digits..];
            let (steps, nth) = if op == '~' {
                (n, 0)
            } else {
                (1, n.wrapping_sub(1))
            };
            if op == '^' && n == 0 {
                continue;
            }
            for _ in 0..steps {
                match self.find_commit(id)?.parent_id(nth) {
                    Ok(p) => id = p,
                    Err(_) => return Ok(()), // no such parent: libgit2 says so
                }
            }
            self.reads.loose.check(id)?;
        }
        Ok(())
    }

    /// Is the blob a roadmap source? Cached by blob id.
    fn blob_is_roadmap(&self, id: Oid) -> Result<bool, RepoError> {
        if let Some(&b) = self.roadmap_blobs.borrow().get(&id) {
            return Ok(b);
        }
        let blob = self.find_blob(id)?;
        let b = bytes_are_roadmap(blob.content());
        self.roadmap_blobs.borrow_mut().insert(id, b);
        if b {
            self.remember_blob(id, blob.content());
        }
        Ok(b)
    }

    /// Keep a roadmap blob's bytes for the next reads of it.
    fn remember_blob(&self, id: Oid, content: &[u8]) -> std::sync::Arc<[u8]> {
        let bytes: std::sync::Arc<[u8]> =
            content[..content.len().min(model::MAX_FILE_BYTES + 1)].into();
        let mut recent = self.recent_blobs.borrow_mut();
        if recent.len() == RECENT_BLOBS {
            recent.remove(0);
        }
        recent.push((id, bytes.clone()));
        bytes
    }

    /// A blob's bytes (capped at `model::MAX_FILE_BYTES + 1`). The last few
    /// are kept: a history reads each version twice (as the new side of one
    /// commit and the old side of the next).
    fn blob_bytes(&self, id: Oid) -> Result<Vec<u8>, RepoError> {
        if let Some((_, b)) = self.recent_blobs.borrow().iter().find(|(i, _)| *i == id) {
            return Ok(b.to_vec());
        }
        let blob = self.find_blob(id)?;
        Ok(self.remember_blob(id, blob.content()).to_vec())
    }

    /// Roadmap files in a tree with their blob ids, by path.
    fn tree_roadmaps(&self, tree: &git2::Tree<'_>) -> Result<BTreeMap<String, Oid>, RepoError> {
        self.tree_roadmaps_matching(tree, &PathFilter::default())
    }

    /// [`Self::tree_roadmaps`] among the paths `filter` accepts.
    fn tree_roadmaps_matching(
        &self,
        tree: &git2::Tree<'_>,
        filter: &PathFilter,
    ) -> Result<BTreeMap<String, Oid>, RepoError> {
        let mut tomls = Vec::new();
        self.collect_tomls(tree, filter, &mut tomls)?;
        let mut out = BTreeMap::new();
        for (path, id) in tomls {
            if filter.matches(&path) && self.blob_is_roadmap(id)? {
                out.insert(path, id);
            }
        }
        Ok(out)
    }

    /// Every `*.toml` blob in `tree` (skipping hidden, `target` and
    /// `node_modules` directories and submodules, and directories nested
    /// deeper than [`MAX_TREE_DEPTH`]), as (path, blob id). Iterative: a
    /// crafted tree cannot exhaust the stack.
    fn collect_tomls(
        &self,
        tree: &git2::Tree<'_>,
        filter: &PathFilter,
        out: &mut Vec<(String, Oid)>,
    ) -> Result<(), RepoError> {
        let mut stack = vec![(tree.clone(), String::new(), 0usize)];
        while let Some((tree, prefix, depth)) = stack.pop() {
            for e in tree.iter() {
                let name = e.name_bytes();
                let Ok(name_str) = std::str::from_utf8(name) else {
                    continue;
                };
                match e.kind() {
                    Some(ObjectType::Tree) if !skipped_dir(name) => {
                        let dir = format!("{prefix}{name_str}");
                        if !filter.may_hold(&dir) {
                            continue;
                        }
                        if depth + 1 > MAX_TREE_DEPTH {
                            self.note_too_deep(&dir);
                            continue;
                        }
                        let sub = self.find_tree(e.id())?;
                        stack.push((sub, dir + "/", depth + 1));
                    }
                    // A symbolic link is a link (mode 120000), never a roadmap.
                    Some(ObjectType::Blob) if is_toml_name(name) && is_file_mode(e.filemode()) => {
                        out.push((format!("{prefix}{name_str}"), e.id()));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Remember that the directory `dir` is nested too deep to be searched.
    pub(crate) fn note_too_deep(&self, dir: &str) {
        let top = dir.split('/').next().unwrap_or(dir);
        self.notes.borrow_mut().insert(format!(
            "a tree nested deeper than {MAX_TREE_DEPTH} levels (under `{}/`) was not searched \
             for roadmaps (git refuses such trees too)",
            sanitize_line(top)
        ));
    }

    /// Notes another handle on this repository took (see [`Repo::reopen`]).
    pub fn add_notes(&self, notes: Vec<String>) {
        self.notes.borrow_mut().extend(notes);
    }

    /// What was left out so far and should be told (then forgotten).
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.borrow_mut())
            .into_iter()
            .collect()
    }

    /// The index as it is on disk now (re-read when another process changed
    /// it; reading never writes).
    ///
    /// `GIT_INDEX_FILE` is honoured as git does: git sets it for hooks under
    /// `git commit -a` and `git commit PATH`, where what is about to be
    /// committed is in a temporary index, not in `.git/index`.
    fn index(&self) -> Result<git2::Index, RepoError> {
        let mut index = match std::env::var_os("GIT_INDEX_FILE").filter(|v| !v.is_empty()) {
            Some(file) => git2::Index::open(Path::new(&file)).map_err(|e| {
                RepoError::Git(format!(
                    "cannot read the index named by GIT_INDEX_FILE ({}): {}",
                    sanitize_line(&Path::new(&file).display().to_string()),
                    sanitize_line(e.message())
                ))
            })?,
            // libgit2 gives a bare repository an empty index: everything
            // would look removed from it.
            None if self.inner.is_bare() => {
                return Err(RepoError::Git(
                    "a bare repository has no index (nothing can be staged)".into(),
                ));
            }
            None => self.inner.index()?,
        };
        index.read(false)?;
        Ok(index)
    }

    /// Whether the index holds `path` (repository-relative, `/`-separated):
    /// a file staged there, or a directory with one under it (any stage);
    /// `""`, the repository's root, always.
    pub fn index_holds(&self, path: &str) -> Result<bool, RepoError> {
        if path.is_empty() {
            return Ok(true);
        }
        let index = self.index()?;
        Ok(index
            .iter()
            .any(|e| std::str::from_utf8(&e.path).is_ok_and(|p| paths::under(p, path))))
    }

    /// Roadmap files in the index (stage 0), with their blob ids.
    fn index_roadmaps(&self, index: &git2::Index) -> Result<BTreeMap<String, Oid>, RepoError> {
        self.index_roadmaps_matching(index, &PathFilter::default())
    }

    /// [`Self::index_roadmaps`] among the paths `filter` accepts.
    fn index_roadmaps_matching(
        &self,
        index: &git2::Index,
        filter: &PathFilter,
    ) -> Result<BTreeMap<String, Oid>, RepoError> {
        let mut out = BTreeMap::new();
        for e in index.iter() {
            let Ok(path) = std::str::from_utf8(&e.path) else {
                continue;
            };
            if index_entry_stage(&e) != 0
                || !is_toml_path(path)
                || skipped_path(path)
                || !filter.matches(path)
            {
                continue;
            }
            if e.mode & 0o170000 == 0o160000 {
                continue; // a submodule
            }
            if self.blob_is_roadmap(e.id)? {
                out.insert(path.to_string(), e.id);
            }
        }
        Ok(out)
    }

    /// Repo-relative paths of the roadmap files at `rev` (sorted).
    ///
    /// A commit or the index: `*.toml` blobs that are roadmap sources,
    /// skipping hidden directories, `target` and `node_modules` (as
    /// `model::discover` does on disk). The working tree: `model::discover`.
    pub fn roadmap_files(&self, rev: &Rev) -> Result<Vec<String>, RepoError> {
        self.roadmap_files_matching(rev, &PathFilter::default())
    }

    /// [`Self::roadmap_files`] among the paths `filter` accepts (the others
    /// are not read to tell whether they are roadmaps; directories that
    /// cannot hold a wanted path are not walked).
    pub fn roadmap_files_matching(
        &self,
        rev: &Rev,
        filter: &PathFilter,
    ) -> Result<Vec<String>, RepoError> {
        match rev {
            Rev::Commit(id) => {
                let tree = self.commit_tree(&self.commit(id)?)?;
                Ok(self
                    .tree_roadmaps_matching(&tree, filter)?
                    .into_keys()
                    .collect())
            }
            Rev::Index => {
                let index = self.index()?;
                Ok(self
                    .index_roadmaps_matching(&index, filter)?
                    .into_keys()
                    .collect())
            }
            Rev::WorkTree => Ok(self
                .worktree_roadmaps()?
                .into_iter()
                .filter(|p| filter.matches(p))
                .collect()),
        }
    }

    /// A second handle on the same repository (for reading on another
    /// thread: a handle is not shared between threads).
    pub fn reopen(&self) -> Result<Repo, RepoError> {
        let inner = git2::Repository::open(self.inner.path()).map_err(|e| {
            RepoError::Git(format!(
                "cannot open the repository again: {}",
                sanitize_line(e.message())
            ))
        })?;
        Ok(Repo::with(inner))
    }

    /// The bytes of `path` at `rev`, None when absent (or not a file).
    ///
    /// At most `model::MAX_FILE_BYTES + 1` bytes are returned: enough for the
    /// loader to report a file as too large without holding all of it.
    pub fn read(&self, rev: &Rev, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        check_repo_path(path)?;
        let cap = model::MAX_FILE_BYTES + 1;
        match rev {
            Rev::Commit(id) => {
                let tree = self.commit_tree(&self.commit(id)?)?;
                match self.blob_at(&tree, path)? {
                    Some(id) => self.blob_bytes(id).map(Some),
                    None => Ok(None),
                }
            }
            Rev::Index => {
                let index = self.index()?;
                let Some(e) = index_entry(&index, path) else {
                    return Ok(None);
                };
                self.blob_bytes(e.id).map(Some)
            }
            Rev::WorkTree => {
                let Some(root) = self.inner.workdir() else {
                    return Err(RepoError::Git(
                        "a bare repository has no working tree".into(),
                    ));
                };
                let full = root.join(path);
                if std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Ok(None); // a link, as git sees it: never a roadmap
                }
                Ok(read_capped(&full, cap)?.map(|bytes| self.clean(path, bytes)))
            }
        }
    }

    /// Commits that changed any roadmap file, newest first, streamed.
    pub fn history(&self) -> Result<History<'_>, RepoError> {
        History::new(self)
    }

    /// The commits that changed one roadmap file, newest first, following
    /// it back through renames: each with the file's path at that commit
    /// (`None`: the commit deleted it).
    pub fn file_history(
        &self,
        path: &str,
    ) -> Result<Vec<(HistoryEntry, Option<String>)>, RepoError> {
        let mut current = path.to_string();
        let mut out = vec![];
        for e in self.history()? {
            let e = e?;
            let Some(fc) = e.files.iter().find(|f| match &f.new_path {
                Some(p) => *p == current,
                None => f.old_path.as_deref() == Some(current.as_str()),
            }) else {
                continue;
            };
            let (here, before) = (fc.new_path.clone(), fc.old_path.clone());
            out.push((e, here));
            // Older commits know the file by its name before a rename.
            if let Some(before) = before {
                current = before;
            }
        }
        Ok(out)
    }
}

/// Pair deletions with additions: same blob first, then same roadmap id.
fn pair(
    mut deleted: Vec<(String, Oid)>,
    mut added: Vec<(String, Oid)>,
    old_id: impl Fn(Oid) -> Option<String>,
    new_id: impl Fn(&str, Oid) -> Option<String>,
) -> Vec<FileChange> {
    let mut out = Vec::new();
    // Same content.
    let mut i = 0;
    while i < added.len() {
        if let Some(j) = deleted.iter().position(|(_, o)| *o == added[i].1) {
            let (from, _) = deleted.remove(j);
            let (to, _) = added.remove(i);
            out.push(FileChange {
                old_path: Some(from),
                new_path: Some(to),
            });
        } else {
            i += 1;
        }
    }
    // Same roadmap id.
    if !deleted.is_empty() && !added.is_empty() {
        let del_ids: Vec<Option<String>> = deleted.iter().map(|(_, o)| old_id(*o)).collect();
        let mut del: Vec<(String, Option<String>)> =
            deleted.drain(..).map(|(p, _)| p).zip(del_ids).collect();
        for (path, n) in added.drain(..) {
            let id = new_id(&path, n);
            let hit = id
                .as_ref()
                .and_then(|id| del.iter().position(|(_, d)| d.as_ref() == Some(id)));
            match hit {
                Some(j) => {
                    let (from, _) = del.remove(j);
                    out.push(FileChange {
                        old_path: Some(from),
                        new_path: Some(path),
                    });
                }
                None => out.push(FileChange {
                    old_path: None,
                    new_path: Some(path),
                }),
            }
        }
        deleted = del.into_iter().map(|(p, _)| (p, Oid::ZERO_SHA1)).collect();
    }
    for (path, _) in added {
        out.push(FileChange {
            old_path: None,
            new_path: Some(path),
        });
    }
    for (path, _) in deleted {
        out.push(FileChange {
            old_path: Some(path),
            new_path: None,
        });
    }
    out
}

fn index_entry_stage(e: &git2::IndexEntry) -> u16 {
    (e.flags >> 12) & 0x3
}

/// The index entry at `path`: stage 0, or "ours" (stage 2) during a conflict.
fn index_entry(index: &git2::Index, path: &str) -> Option<git2::IndexEntry> {
    index
        .get_path(Path::new(path), 0)
        .or_else(|| index.get_path(Path::new(path), 2))
}

/// Whether replace refs are ignored for the whole process
/// (`roadlens --no-replace-objects`).
static NO_REPLACE_OBJECTS: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// `root` is (in) a bare repository: it has no working tree, so roadmaps
/// are there only at a revision. (Why a search of the directory found none.)
pub fn is_bare_at(root: &Path) -> bool {
    git2::Repository::discover(root).is_ok_and(|r| r.is_bare())
}

/// Ignore `git replace` refs from now on, as `git --no-replace-objects`.
pub fn disable_replace_objects() {
    NO_REPLACE_OBJECTS.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// The replace refs as git applies them: `refs/replace/<original>` (or
/// `$GIT_REPLACE_REF_BASE<original>`) points at the replacement; none with
/// `--no-replace-objects`, `GIT_NO_REPLACE_OBJECTS` set or
/// `core.useReplaceRefs = false`.
fn replace_refs(repo: &git2::Repository) -> HashMap<Oid, Oid> {
    let mut map = HashMap::new();
    if NO_REPLACE_OBJECTS.load(std::sync::atomic::Ordering::SeqCst)
        || std::env::var_os("GIT_NO_REPLACE_OBJECTS").is_some()
        || repo
            .config()
            .and_then(|c| c.get_bool("core.useReplaceRefs"))
            .is_ok_and(|b| !b)
    {
        return map;
    }
    let base = std::env::var("GIT_REPLACE_REF_BASE")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "refs/replace/".into());
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    let Ok(refs) = repo.references_glob(&format!("{base}*")) else {
        return map;
    };
    for r in refs.flatten() {
        let original = r
            .name()
            .ok()
            .and_then(|n| n.strip_prefix(&base))
            .and_then(|h| (h.len() == 40).then(|| Oid::from_str(h).ok()).flatten());
        if let (Some(original), Some(target)) = (original, r.target()) {
            map.insert(original, target);
        }
    }
    map
}

/// A tree entry mode of a regular file (not a link, not a submodule).
fn is_file_mode(mode: i32) -> bool {
    mode & 0o170000 == 0o100000
}

impl Repo {
    /// The blob id of the file at `path` in `tree`; None when absent, or
    /// not a regular file (a directory, a symbolic link, a submodule). Each
    /// tree on the way is read checked (see `loose.rs`).
    fn blob_at(&self, tree: &git2::Tree<'_>, path: &str) -> Result<Option<Oid>, RepoError> {
        let mut parts = path.split('/').peekable();
        let mut current: Option<git2::Tree<'_>> = None;
        while let Some(part) = parts.next() {
            let t = current.as_ref().unwrap_or(tree);
            let Some((kind, mode, id)) = t.get_name(part).map(|e| (e.kind(), e.filemode(), e.id()))
            else {
                return Ok(None);
            };
            if parts.peek().is_none() {
                let file = kind == Some(ObjectType::Blob) && is_file_mode(mode);
                return Ok(file.then_some(id));
            }
            if kind != Some(ObjectType::Tree) {
                return Ok(None);
            }
            current = Some(self.find_tree(id)?);
        }
        Ok(None)
    }

    /// The day a commit was made (the author's date, in the author's
    /// offset); `None` for the index, the working tree or a time out of
    /// range.
    pub fn commit_day(&self, rev: &Rev) -> Result<Option<jiff::civil::Date>, RepoError> {
        let Some(id) = rev.commit() else {
            return Ok(None);
        };
        let when = self.commit(id)?.author().when();
        let day = jiff::Timestamp::from_second(when.seconds())
            .ok()
            .zip(jiff::tz::Offset::from_seconds(when.offset_minutes().saturating_mul(60)).ok())
            .map(|(ts, off)| ts.to_zoned(jiff::tz::TimeZone::fixed(off)).date());
        Ok(day)
    }
}

/// The roadmap test for blob contents: `model::is_roadmap_source`, and for
/// an over-large blob whether it says it is one (so that loading reports the
/// size rather than skipping it), as `model::discover` does for files.
pub(crate) fn bytes_are_roadmap(bytes: &[u8]) -> bool {
    if bytes.len() > model::MAX_FILE_BYTES {
        return bytes[..64 * 1024].windows(9).any(|w| w == b"[roadmap]");
    }
    model::is_roadmap_source(bytes)
}

/// The `id` of the `[roadmap]` table, for pairing renames. A line scan
/// first (the common layout), then a TOML parse.
pub(crate) fn roadmap_id(bytes: &[u8]) -> Option<String> {
    if bytes.len() > model::MAX_FILE_BYTES {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut in_roadmap = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_roadmap = l.starts_with("[roadmap]");
            continue;
        }
        if in_roadmap
            && let Some(v) = l
                .strip_prefix("id")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .map(str::trim)
                .and_then(|v| v.strip_prefix('"'))
            && let Some(end) = v.find('"')
        {
            return Some(v[..end].to_string());
        }
    }
    let table: toml::Table = toml::from_str(text).ok()?;
    table
        .get("roadmap")?
        .get("id")?
        .as_str()
        .map(str::to_string)
}
