//! The working tree: roadmap files on disk, hashed and compared with HEAD
//! and the index as git would (nothing is written), and the uncommitted
//! history entries.

use super::*;

/// The roadmap files under `root` on disk, as every command that reads the
/// disk sees them (`check`, `show`, `timeline`, `report`, `deps`, the TUI),
/// the same set `diff` and `log` take as the working tree: the files
/// [`model::discover`] finds, and when `root` lies in a git working tree,
/// only those of it as git sees it ([`Repo::in_git_view`]: no ignored file,
/// no symbolic link, nothing of a submodule or nested repository). A `root`
/// that names a file, or a directory git ignores or leaves to another
/// repository, was named by the user: what is under it is taken as found.
pub fn roadmaps_on_disk(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let found = model::discover(root)?;
    if found.is_empty() || !root.is_dir() {
        return Ok(found);
    }
    let Ok(repo) = Repo::discover(root) else {
        return Ok(found);
    };
    let Some(wd) = repo.inner.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Ok(found);
    };
    let nested = repo.submodule_paths();
    // Where a path is in the working tree: its directory resolved, its own
    // name kept (a link stays a link).
    let place = |p: &Path| -> Option<String> {
        let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.canonicalize().ok()?,
            None => std::env::current_dir().ok()?.canonicalize().ok()?,
        };
        let abs = match p.file_name() {
            Some(name) if p.is_file() || p.is_symlink() => dir.join(name),
            _ => return None,
        };
        relative_slash_path(&wd, &abs)
    };
    let root_named = root
        .canonicalize()
        .ok()
        .and_then(|r| relative_slash_path(&wd, &r))
        .is_some_and(|r| {
            nested.iter().any(|s| paths::under(&r, s))
                || repo
                    .inner
                    .is_path_ignored(Path::new(&format!("{r}/")))
                    .unwrap_or(false)
        });
    if root_named {
        return Ok(found);
    }
    Ok(found
        .into_iter()
        .filter(|p| place(p).is_none_or(|rel| repo.in_git_view(&wd, &rel, &nested)))
        .collect())
}

impl Repo {
    pub(super) fn worktree_roadmaps(&self) -> Result<Vec<String>, RepoError> {
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
        let nested = self.submodule_paths();
        let mut out: Vec<String> = found
            .iter()
            .filter_map(|p| relative_slash_path(root, p))
            .filter(|p| self.in_git_view(root, p, &nested))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Whether a file found on disk is a file of this repository's working
    /// tree as git sees it: not a symbolic link (a link is a link, never a
    /// roadmap), not ignored, not inside a submodule or another repository
    /// nested in the working tree (those are their own repositories: open
    /// them with `roadlens -C DIR`).
    fn in_git_view(&self, root: &Path, path: &str, submodules: &[String]) -> bool {
        let full = root.join(path);
        if std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
            return false;
        }
        if submodules.iter().any(|s| paths::under(path, s)) {
            return false;
        }
        // A directory holding `.git` (a file or directory) between the
        // root and the file: a nested repository.
        let mut dir = full.parent();
        while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
            if std::fs::symlink_metadata(d.join(".git")).is_ok() {
                return false;
            }
            dir = d.parent();
        }
        !self.inner.is_path_ignored(Path::new(path)).unwrap_or(false)
    }

    /// Paths of the submodules in the index (mode 160000).
    fn submodule_paths(&self) -> Vec<String> {
        let Ok(index) = self.index() else {
            return Vec::new();
        };
        index
            .iter()
            .filter(|e| e.mode & 0o170000 == 0o160000)
            .filter_map(|e| String::from_utf8(e.path).ok())
            .collect()
    }

    /// The bytes git would store for the working file at `path`: its clean
    /// filters for line ends (see [`Repo::converts_crlf`]) and, under the
    /// `ident` attribute, for `$Id: … $` applied, in git's order.
    pub(super) fn clean(&self, path: &str, bytes: Vec<u8>) -> Vec<u8> {
        let bytes = if bytes.contains(&b'\r') && self.converts_crlf(path, &bytes) {
            crlf_to_lf(&bytes)
        } else {
            bytes
        };
        if bytes.windows(3).any(|w| w == b"$Id")
            && matches!(self.attr(path, "ident"), git2::AttrValue::True)
        {
            ident_to_git(&bytes)
        } else {
            bytes
        }
    }

    /// Attribute `name` of `path`, as git reads it (the working tree's
    /// `.gitattributes`, then the index's).
    fn attr(&self, path: &str, name: &str) -> git2::AttrValue<'_> {
        git2::AttrValue::from_string(
            self.inner
                .get_attr(Path::new(path), name, git2::AttrCheckFlags::FILE_THEN_INDEX)
                .ok()
                .flatten(),
        )
    }

    /// Whether git turns CRLF into LF when it stores this file, as
    /// `convert.c` decides: the `text` attribute when set (`-text` and
    /// `binary` never convert; `text=auto` converts text), else an `eol`
    /// attribute, else `core.autocrlf` = `true` or `input` for text. "Text":
    /// no NUL byte and no lone CR.
    fn converts_crlf(&self, path: &str, bytes: &[u8]) -> bool {
        use git2::AttrValue;
        let attr = |name: &str| self.attr(path, name);
        let looks_text = || {
            !bytes.contains(&0)
                && bytes
                    .iter()
                    .enumerate()
                    .all(|(i, &b)| b != b'\r' || bytes.get(i + 1) == Some(&b'\n'))
        };
        match attr("text") {
            AttrValue::True => true,
            AttrValue::False => false,
            AttrValue::String("auto") => looks_text(),
            _ if !matches!(attr("eol"), AttrValue::Unspecified) => true,
            _ => {
                let autocrlf = self
                    .inner
                    .config()
                    .ok()
                    .and_then(|c| c.get_string("core.autocrlf").ok())
                    .map(|v| v.to_ascii_lowercase());
                matches!(
                    autocrlf.as_deref(),
                    Some("true" | "input" | "yes" | "on" | "1")
                ) && looks_text()
            }
        }
    }

    /// A working file as git would store it (None: absent, or not a file
    /// or link).
    pub(super) fn work_file(&self, path: &str) -> Result<Option<WorkFile>, RepoError> {
        let Some(root) = self.inner.workdir() else {
            return Ok(None);
        };
        WorkFile::hash(&root.join(path), |bytes| self.clean(path, bytes))
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
            Some(c) => self.tree_roadmaps(&self.commit_tree(c)?)?,
            None => BTreeMap::new(),
        };
        let head_tree = match &head {
            Some(c) => Some(self.commit_tree(c)?),
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
                Some(t) => self.blob_at(t, path)?,
                None => None,
            };
            let index_id = index_entry(&index, path).map(|e| e.id);
            let work = self.work_file(path)?;
            let work_same_as_head = same_content(head_id, &work);
            if !work_same_as_head {
                work_changed.push((path.clone(), head_id, work.as_ref().map(|w| w.id)));
                if let Some(m) = work.as_ref().and_then(|w| w.mtime) {
                    newest_mtime = Some(newest_mtime.map_or(m, |n: i64| n.max(m)));
                }
            }
            if index_id != head_id {
                staged_changed.push((path.clone(), head_id, index_id));
            }
            if !same_content(index_id, &work) {
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
        // Never dated before the commit they are on (a clock behind the
        // commits', or a day pretended: the demo's history runs to 2027).
        let not_before = head.as_ref().map_or(i64::MIN, |c| c.time().seconds());
        let offset_of = |secs: i64| -> i32 {
            jiff::Timestamp::from_second(secs)
                .map(|t| crate::model::date::local_time_zone().to_offset(t).seconds() / 60)
                .unwrap_or(0)
        };
        let mut out = Vec::new();
        if !work_changed.is_empty() {
            let time = newest_mtime.unwrap_or(now.as_second()).max(not_before);
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
            let time = index_mtime(&self.inner)
                .unwrap_or(now.as_second())
                .max(not_before);
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
            self.find_blob(o).ok().and_then(|b| roadmap_id(b.content()))
        };
        let new_id = |path: &str, n: Oid| -> Option<String> {
            match self.find_blob(n) {
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
}

/// Does blob `id` hold the same content as the working file?
fn same_content(id: Option<Oid>, work: &Option<WorkFile>) -> bool {
    match (id, work) {
        (None, None) => true,
        (Some(id), Some(w)) => id == w.id,
        _ => false,
    }
}

/// A working file, hashed as git would store it (its clean filter applied).
pub(super) struct WorkFile {
    id: Oid,
    mtime: Option<i64>,
}

impl WorkFile {
    fn hash(
        path: &Path,
        clean: impl FnOnce(Vec<u8>) -> Vec<u8>,
    ) -> Result<Option<WorkFile>, RepoError> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Ok(None),
            // A path from a crafted tree, too long to be on disk.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidFilename => return Ok(None),
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
                mtime,
            }));
        }
        let Some(bytes) = read_capped(path, usize::MAX)? else {
            return Ok(None);
        };
        Ok(Some(WorkFile {
            id: Oid::hash_object(ObjectType::Blob, &clean(bytes))?,
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
/// a regular file (a FIFO or device is never opened: see `crate::fsread`).
pub(super) fn read_capped(path: &Path, cap: usize) -> Result<Option<Vec<u8>>, RepoError> {
    use crate::fsread::{ReadError, read_regular};
    match read_regular(path, u64::try_from(cap).unwrap_or(u64::MAX)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(ReadError::NotFound | ReadError::NotRegular(_)) => Ok(None),
        Err(ReadError::Io(e)) => Err(io_error(path, e)),
    }
}

pub(super) fn index_mtime(repo: &git2::Repository) -> Option<i64> {
    std::fs::metadata(repo.path().join("index"))
        .ok()?
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

/// git's `ident` clean filter (`convert.c`, `ident_to_git`): each
/// `$Id: … $` (its `$` on the same line) back to `$Id$`, as the blob holds
/// it; the checkout wrote the blob's id into it.
fn ident_to_git(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"$Id:") {
            let rest = &bytes[i + 4..];
            if let Some(end) = rest.iter().position(|&b| b == b'$' || b == b'\n')
                && rest[end] == b'$'
            {
                out.extend_from_slice(b"$Id$");
                i += 4 + end + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ident_to_git;

    #[test]
    fn ident_is_cleaned_as_git_cleans_it() {
        let clean = |s: &str| String::from_utf8(ident_to_git(s.as_bytes())).expect("utf-8");
        assert_eq!(clean("a = \"$Id: 3f2a $\"\n"), "a = \"$Id$\"\n");
        assert_eq!(
            clean("$Id$ and $Id: x $ twice $Id: y $"),
            "$Id$ and $Id$ twice $Id$"
        );
        // Its `$` on another line, or none: left as it is.
        assert_eq!(clean("$Id: x\n$"), "$Id: x\n$");
        assert_eq!(clean("$Id: x"), "$Id: x");
        assert_eq!(clean("$Identity: x $"), "$Identity: x $");
    }
}
