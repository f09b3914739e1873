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

pub use history::History;

use crate::model;
use crate::text::sanitize_line;
use git2::{ErrorCode, ObjectType, Oid};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("not a git repository: {0}")]
    NotARepo(String),
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
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

/// Repo-relative `/` paths (files or directories) a command is limited to
/// (`roadlens diff -- PATHS`); none: every path.
#[derive(Clone, Debug, Default)]
pub struct PathFilter(Vec<String>);

impl PathFilter {
    pub fn new(paths: Vec<String>) -> PathFilter {
        PathFilter(paths)
    }

    /// No paths given: every path is wanted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `path` is one of the paths or under one of them.
    pub fn matches(&self, path: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|f| f.is_empty() || under(path, f))
    }

    /// Whether directory `dir` (no trailing `/`) can hold a wanted path.
    pub fn may_hold(&self, dir: &str) -> bool {
        self.matches(dir) || self.0.iter().any(|f| under(f, dir))
    }
}

/// `path` is `dir` or inside it.
fn under(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

pub struct Repo {
    inner: git2::Repository,
    /// Blob id → "is a roadmap source" (blobs never change).
    roadmap_blobs: RefCell<HashMap<Oid, bool>>,
    /// The last roadmap blobs found or read (capped at
    /// `model::MAX_FILE_BYTES + 1` bytes): reading the same blob again does
    /// not inflate it a second time (a 1.2 MB blob costs ~1.5 ms to inflate).
    recent_blobs: RefCell<Vec<(Oid, std::sync::Arc<[u8]>)>>,
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
            inner,
            roadmap_blobs: RefCell::new(HashMap::new()),
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
        match self.inner.revparse_single(spec_trim) {
            Ok(obj) => {
                let commit = obj.peel_to_commit().map_err(|_| {
                    RepoError::Git(format!(
                        "`{}` does not name a commit",
                        sanitize_line(spec_trim)
                    ))
                })?;
                Ok(Rev::Commit(commit.id().to_string()))
            }
            Err(e) => {
                if let Ok(date) = spec_trim.parse::<jiff::civil::Date>()
                    && let Some(rev) = self.commit_on_or_before(date)?
                {
                    return Ok(rev);
                }
                if self.head()?.is_none() {
                    return Err(RepoError::Empty);
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
            match c.parent(0) {
                Ok(p) => c = p,
                Err(_) => return Ok(None),
            }
        }
    }

    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>, RepoError> {
        match self.inner.head() {
            Ok(r) => Ok(Some(r.peel_to_commit()?)),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// HEAD's commit, or None in an empty repository.
    pub fn head(&self) -> Result<Option<Rev>, RepoError> {
        Ok(self.head_commit()?.map(|c| Rev::Commit(c.id().to_string())))
    }

    fn commit(&self, id: &str) -> Result<git2::Commit<'_>, RepoError> {
        let unknown = || RepoError::UnknownRevision(sanitize_line(id).into_owned());
        let oid = Oid::from_str(id).map_err(|_| unknown())?;
        self.inner.find_commit(oid).map_err(|_| unknown())
    }

    /// Is the blob a roadmap source? Cached by blob id.
    fn blob_is_roadmap(&self, id: Oid) -> Result<bool, RepoError> {
        if let Some(&b) = self.roadmap_blobs.borrow().get(&id) {
            return Ok(b);
        }
        let blob = self.inner.find_blob(id)?;
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
        let blob = self.inner.find_blob(id)?;
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
        collect_tomls(&self.inner, tree, filter, &mut String::new(), &mut tomls)?;
        let mut out = BTreeMap::new();
        for (path, id) in tomls {
            if filter.matches(&path) && self.blob_is_roadmap(id)? {
                out.insert(path, id);
            }
        }
        Ok(out)
    }

    /// The index as it is on disk now (re-read when another process changed
    /// it; reading never writes).
    fn index(&self) -> Result<git2::Index, RepoError> {
        let mut index = self.inner.index()?;
        index.read(false)?;
        Ok(index)
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

    fn worktree_roadmaps(&self) -> Result<Vec<String>, RepoError> {
        let Some(root) = self.inner.workdir() else {
            return Err(RepoError::Git(
                "a bare repository has no working tree".into(),
            ));
        };
        let found = model::discover(root).map_err(|e| {
            RepoError::Io(format!(
                "{}: {e}",
                sanitize_line(&root.display().to_string())
            ))
        })?;
        let mut out: Vec<String> = found
            .iter()
            .filter_map(|p| relative_slash_path(root, p))
            .collect();
        out.sort();
        out.dedup();
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
                let tree = self.commit(id)?.tree()?;
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
                let tree = self.commit(id)?.tree()?;
                let entry = match tree.get_path(Path::new(path)) {
                    Ok(e) => e,
                    Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                if entry.kind() != Some(ObjectType::Blob) {
                    return Ok(None);
                }
                self.blob_bytes(entry.id()).map(Some)
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
                read_capped(&root.join(path), cap)
            }
        }
    }

    /// Uncommitted entries: working tree vs HEAD, then index vs HEAD when it
    /// differs from the working tree. Empty when nothing changed.
    ///
    /// The roadmap files considered are those at HEAD, in the index and on
    /// disk. Working files are hashed in memory (nothing is written); a file
    /// that differs from its blob only by CRLF line ends counts as unchanged.
    pub fn uncommitted(&self) -> Result<Vec<HistoryEntry>, RepoError> {
        let Some(root) = self.inner.workdir().map(Path::to_path_buf) else {
            return Ok(Vec::new());
        };
        let head = self.head_commit()?;
        let head_files = match &head {
            Some(c) => self.tree_roadmaps(&c.tree()?)?,
            None => BTreeMap::new(),
        };
        let head_tree = match &head {
            Some(c) => Some(c.tree()?),
            None => None,
        };
        let index = self.index()?;
        let index_files = self.index_roadmaps(&index)?;
        let work_files = self.worktree_roadmaps()?;

        let mut paths: BTreeSet<String> = head_files.keys().cloned().collect();
        paths.extend(index_files.keys().cloned());
        paths.extend(work_files.iter().cloned());

        // path → (HEAD blob, index blob, working file)
        let mut work_changed = Vec::new();
        let mut staged_changed = Vec::new();
        let mut index_differs_from_work = false;
        let mut newest_mtime: Option<i64> = None;
        for path in &paths {
            let head_id = match &head_tree {
                Some(t) => blob_at(t, path)?,
                None => None,
            };
            let index_id = index_entry(&index, path).map(|e| e.id);
            let disk = root.join(path);
            let work = WorkFile::hash(&disk)?;
            let work_same_as_head = self.same_content(head_id, &work, &disk)?;
            if !work_same_as_head {
                work_changed.push((path.clone(), head_id, work.as_ref().map(|w| w.id)));
                if let Some(m) = work.as_ref().and_then(|w| w.mtime) {
                    newest_mtime = Some(newest_mtime.map_or(m, |n: i64| n.max(m)));
                }
            }
            if index_id != head_id {
                staged_changed.push((path.clone(), head_id, index_id));
            }
            if !self.same_content(index_id, &work, &disk)? {
                index_differs_from_work = true;
            }
        }

        let parent = head.as_ref().map(|c| Rev::Commit(c.id().to_string()));
        let author = self
            .inner
            .config()
            .ok()
            .and_then(|c| c.get_string("user.name").ok())
            .unwrap_or_default();
        let now = jiff::Timestamp::now();
        let offset_of = |secs: i64| -> i32 {
            jiff::Timestamp::from_second(secs)
                .map(|t| jiff::tz::TimeZone::system().to_offset(t).seconds() / 60)
                .unwrap_or(0)
        };
        let mut out = Vec::new();
        if !work_changed.is_empty() {
            let time = newest_mtime.unwrap_or(now.as_second());
            let summary = "Uncommitted changes (working tree)".to_string();
            out.push(HistoryEntry {
                rev: Rev::WorkTree,
                parent: parent.clone(),
                author: author.clone(),
                time,
                offset_minutes: offset_of(time),
                message: summary.clone(),
                summary,
                files: self.pair_renames(work_changed, &root)?,
            });
        }
        if index_differs_from_work && !staged_changed.is_empty() {
            let time = index_mtime(&self.inner).unwrap_or(now.as_second());
            let summary = "Staged changes (index)".to_string();
            out.push(HistoryEntry {
                rev: Rev::Index,
                parent,
                author,
                time,
                offset_minutes: offset_of(time),
                message: summary.clone(),
                summary,
                files: self.pair_renames(staged_changed, &root)?,
            });
        }
        Ok(out)
    }

    /// Does blob `id` hold the same content as the working file?
    fn same_content(
        &self,
        id: Option<Oid>,
        work: &Option<WorkFile>,
        disk: &Path,
    ) -> Result<bool, RepoError> {
        match (id, work) {
            (None, None) => Ok(true),
            (Some(id), Some(w)) if id == w.id => Ok(true),
            (Some(id), Some(w)) if w.has_cr => {
                // autocrlf: the blob may hold LF where the file has CRLF.
                let Some(bytes) = read_capped(disk, usize::MAX)? else {
                    return Ok(false);
                };
                let lf = crlf_to_lf(&bytes);
                Ok(Oid::hash_object(ObjectType::Blob, &lf)? == id)
            }
            _ => Ok(false),
        }
    }

    /// Turn (path, old blob, new blob) triples into file changes, pairing a
    /// deleted and an added roadmap with the same content or the same
    /// roadmap id into a rename. `new` ids of working files come from
    /// hashing; their content is read from `root`.
    fn pair_renames(
        &self,
        changed: Vec<(String, Option<Oid>, Option<Oid>)>,
        root: &Path,
    ) -> Result<Vec<FileChange>, RepoError> {
        let mut deleted = Vec::new();
        let mut added = Vec::new();
        let mut out = Vec::new();
        for (path, old, new) in changed {
            match (old, new) {
                (Some(o), None) => deleted.push((path, o)),
                (None, Some(n)) => added.push((path, n)),
                _ => out.push(FileChange {
                    old_path: Some(path.clone()),
                    new_path: Some(path),
                }),
            }
        }
        let old_id = |o: Oid| -> Option<String> {
            self.inner
                .find_blob(o)
                .ok()
                .and_then(|b| roadmap_id(b.content()))
        };
        let new_id = |path: &str, n: Oid| -> Option<String> {
            match self.inner.find_blob(n) {
                Ok(b) => roadmap_id(b.content()),
                Err(_) => read_capped(&root.join(path), model::MAX_FILE_BYTES + 1)
                    .ok()
                    .flatten()
                    .and_then(|b| roadmap_id(&b)),
            }
        };
        out.extend(pair(deleted, added, old_id, new_id));
        out.sort();
        Ok(out)
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

/// A working file, hashed as git would store it (no filters applied).
struct WorkFile {
    id: Oid,
    /// Holds a `\r` (CRLF line ends may differ from the blob only by
    /// autocrlf).
    has_cr: bool,
    mtime: Option<i64>,
}

impl WorkFile {
    fn hash(path: &Path) -> Result<Option<WorkFile>, RepoError> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Ok(None),
            Err(e) => return Err(io_error(path, e)),
        };
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_secs()).ok());
        if meta.file_type().is_symlink() {
            // git stores the link target as the blob.
            let target = std::fs::read_link(path).map_err(|e| io_error(path, e))?;
            let bytes = target.to_string_lossy().into_owned().into_bytes();
            return Ok(Some(WorkFile {
                id: Oid::hash_object(ObjectType::Blob, &bytes)?,
                has_cr: false,
                mtime,
            }));
        }
        if !meta.is_file() {
            return Ok(None);
        }
        if meta.len() > model::MAX_FILE_BYTES as u64 {
            // Streamed hashing, without holding the whole file.
            return Ok(Some(WorkFile {
                id: Oid::hash_file(ObjectType::Blob, path)?,
                has_cr: false,
                mtime,
            }));
        }
        let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
        Ok(Some(WorkFile {
            id: Oid::hash_object(ObjectType::Blob, &bytes)?,
            has_cr: bytes.contains(&b'\r'),
            mtime,
        }))
    }
}

fn io_error(path: &Path, e: std::io::Error) -> RepoError {
    RepoError::Io(format!(
        "{}: {e}",
        sanitize_line(&path.display().to_string())
    ))
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Read at most `cap` bytes of a file; None when it does not exist or is not
/// a regular file.
fn read_capped(path: &Path, cap: usize) -> Result<Option<Vec<u8>>, RepoError> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(io_error(path, e)),
    };
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e) => return Err(io_error(path, e)),
    }
    let mut bytes = Vec::new();
    file.take(u64::try_from(cap).unwrap_or(u64::MAX))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    Ok(Some(bytes))
}

fn index_mtime(repo: &git2::Repository) -> Option<i64> {
    std::fs::metadata(repo.path().join("index"))
        .ok()?
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
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

/// The blob id at `path` in `tree`, None when absent or not a blob.
fn blob_at(tree: &git2::Tree<'_>, path: &str) -> Result<Option<Oid>, RepoError> {
    match tree.get_path(Path::new(path)) {
        Ok(e) if e.kind() == Some(ObjectType::Blob) => Ok(Some(e.id())),
        Ok(_) => Ok(None),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A repo-relative path must be relative, `/`-separated and stay inside.
fn check_repo_path(path: &str) -> Result<(), RepoError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(RepoError::Io(format!(
            "not a path inside the repository: {}",
            sanitize_line(path)
        )))
    }
}

/// `p` relative to `root`, with `/` separators (None when outside or not UTF-8).
fn relative_slash_path(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let parts = parts?;
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// Directory names never searched for roadmaps (as `model::discover`).
pub(crate) fn skipped_dir(name: &[u8]) -> bool {
    name.first() == Some(&b'.') || name == b"target" || name == b"node_modules"
}

/// A path under a skipped directory.
fn skipped_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.iter().any(|d| skipped_dir(d.as_bytes()))
}

pub(crate) fn is_toml_name(name: &[u8]) -> bool {
    name.len() > 5 && name.ends_with(b".toml")
}

fn is_toml_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|n| is_toml_name(n.as_bytes()))
}

/// Every `*.toml` blob in `tree` (recursively, skipping hidden, `target` and
/// `node_modules` directories and submodules), as (path, blob id).
fn collect_tomls(
    repo: &git2::Repository,
    tree: &git2::Tree<'_>,
    filter: &PathFilter,
    prefix: &mut String,
    out: &mut Vec<(String, Oid)>,
) -> Result<(), RepoError> {
    for e in tree.iter() {
        let name = e.name_bytes();
        let Ok(name_str) = std::str::from_utf8(name) else {
            continue;
        };
        match e.kind() {
            Some(ObjectType::Tree) if !skipped_dir(name) => {
                let len = prefix.len();
                prefix.push_str(name_str);
                if filter.may_hold(prefix) {
                    let sub = repo.find_tree(e.id())?;
                    prefix.push('/');
                    collect_tomls(repo, &sub, filter, prefix, out)?;
                }
                prefix.truncate(len);
            }
            Some(ObjectType::Blob) if is_toml_name(name) => {
                out.push((format!("{prefix}{name_str}"), e.id()));
            }
            _ => {}
        }
    }
    Ok(())
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

#[cfg(test)]
mod path_filter_tests {
    use super::PathFilter;

    #[test]
    fn matches_files_and_directories_and_prunes_the_rest() {
        let f = PathFilter::new(vec!["roadmaps".into(), "plans/q3.toml".into()]);
        assert!(f.matches("roadmaps/a.toml"));
        assert!(f.matches("plans/q3.toml"));
        assert!(!f.matches("roadmaps2/a.toml"));
        assert!(!f.matches("other/plans/q3.toml"));
        assert!(f.may_hold("roadmaps") && f.may_hold("roadmaps/sub") && f.may_hold("plans"));
        assert!(!f.may_hold("src") && !f.may_hold("plans2") && !f.may_hold("roadmaps2"));
        assert!(PathFilter::default().matches("x.toml") && PathFilter::default().may_hold("x"));
        assert!(PathFilter::new(vec![String::new()]).matches("x.toml"));
    }
}
