//! git access over git2, read-only: discovery, any revision, the index, the
//! working tree, history walks. Never writes to the repository, its index,
//! refs or config.
//!
//! (API contract; bodies are being implemented.)
#![allow(unused_variables)]

use std::path::{Path, PathBuf};

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Path on the parent side (`None`: added).
    pub old_path: Option<String>,
    /// Path on this side (`None`: deleted).
    pub new_path: Option<String>,
}

/// One entry of the roadmap history: a commit, or uncommitted changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// This side: a commit, or `Index` / `WorkTree` for uncommitted entries.
    pub rev: Rev,
    /// What it is compared with: the first parent (None for a root commit),
    /// or HEAD for uncommitted entries (None in an empty repository).
    pub parent: Option<Rev>,
    pub author: String,
    /// Seconds since the epoch, and the author's UTC offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    /// First line of the message ("Uncommitted changes (working tree)" etc.).
    pub summary: String,
    pub message: String,
    /// Roadmap files changed against `parent`.
    pub files: Vec<FileChange>,
}

#[allow(dead_code)]
pub struct Repo {
    inner: git2::Repository,
}

impl Repo {
    /// Open the repository containing `path` (searching upward).
    pub fn discover(path: &Path) -> Result<Repo, RepoError> {
        todo!()
    }
    /// The working directory root (None for a bare repository).
    pub fn workdir(&self) -> Option<PathBuf> {
        todo!()
    }
    /// Resolve a revision spec: sha, short sha, tag, branch, `HEAD~3`,
    /// remote-tracking ref.
    pub fn resolve(&self, spec: &str) -> Result<Rev, RepoError> {
        todo!()
    }
    /// HEAD's commit, or None in an empty repository.
    pub fn head(&self) -> Result<Option<Rev>, RepoError> {
        todo!()
    }
    /// Repo-relative paths of the roadmap files at `rev` (sorted).
    pub fn roadmap_files(&self, rev: &Rev) -> Result<Vec<String>, RepoError> {
        todo!()
    }
    /// The bytes of `path` at `rev`, None when absent.
    pub fn read(&self, rev: &Rev, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        todo!()
    }
    /// Uncommitted entries: working tree vs HEAD, then index vs HEAD when it
    /// differs from the working tree. Empty when nothing changed.
    pub fn uncommitted(&self) -> Result<Vec<HistoryEntry>, RepoError> {
        todo!()
    }
    /// Commits that changed any roadmap file, newest first, streamed.
    pub fn history(&self) -> Result<History<'_>, RepoError> {
        todo!()
    }
}

/// A streaming history walk (newest first).
#[allow(dead_code)]
pub struct History<'r> {
    repo: &'r Repo,
}

impl Iterator for History<'_> {
    type Item = Result<HistoryEntry, RepoError>;
    fn next(&mut self) -> Option<Self::Item> {
        todo!()
    }
}
