//! Where a page may be written.
//!
//! - A file the user named (`roadlens report -o FILE`) is written whatever
//!   is there, as a shell's `>` would: a regular file is replaced at once
//!   (the new page is written beside it and renamed over it, so a failed
//!   write leaves the old file whole); a device, FIFO or link is written
//!   through.
//! - A name roadlens chose (the default `roadmap-<id>-<lens>.html`, the
//!   TUI's reports) is only ever created, or replaces a page roadlens made
//!   (a regular file, not a link, whose head names roadlens as its
//!   `generator`). Anything else there is left alone.
//! - The TUI writes into `ROADLENS_REPORT_DIR` or a directory of its own in
//!   the system's temp directory, never inside the repository.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// May a write replace what is at the path?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// The user named the file: write it, whatever is there.
    Named,
    /// roadlens chose the name: create the file, or replace a page roadlens
    /// made; nothing else.
    OwnOnly,
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// Something roadlens did not make is at the path.
    #[error("{} exists and was not made by roadlens", shown(.0))]
    NotOurs(PathBuf),
    #[error("cannot write {}: {err}", shown(path))]
    Io { path: PathBuf, err: std::io::Error },
}

fn shown(p: &Path) -> String {
    crate::text::sanitize_line(&p.display().to_string()).into_owned()
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PlaceError + '_ {
    move |err| PlaceError::Io {
        path: path.to_path_buf(),
        err,
    }
}

/// The mark every page carries in its head (see [`super::GENERATOR`]).
fn mark() -> String {
    format!("<meta name=\"generator\" content=\"{}\">", super::GENERATOR)
}

/// A regular file (not a link) whose first KiB carries roadlens's mark.
pub fn is_ours(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.file_type().is_file() {
        return false;
    }
    let mut head = vec![];
    let read = std::fs::File::open(path).and_then(|f| {
        use std::io::Read as _;
        f.take(1024).read_to_end(&mut head)
    });
    read.is_ok() && String::from_utf8_lossy(&head).contains(&mark())
}

/// Write `text` to `path` as [`Replace`] allows.
pub fn write(path: &Path, text: &str, replace: Replace) -> Result<(), PlaceError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path, text),
        Err(e) => Err(io(path)(e)),
        Ok(meta) if meta.is_dir() => Err(io(path)(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        ))),
        Ok(meta) => match replace {
            Replace::OwnOnly if meta.file_type().is_file() && is_ours(path) => {
                replace_file(path, text, &meta)
            }
            Replace::OwnOnly => Err(PlaceError::NotOurs(path.to_path_buf())),
            Replace::Named if meta.file_type().is_file() => replace_file(path, text, &meta),
            Replace::Named => write_through(path, text),
        },
    }
}

/// A new file (never an existing one: `create_new`); removed again when
/// writing fails.
fn create(path: &Path, text: &str) -> Result<(), PlaceError> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path))?;
    let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(io(path)(e));
    }
    Ok(())
}

/// Replace a regular file: write beside it, then rename over it.
fn replace_file(path: &Path, text: &str, meta: &std::fs::Metadata) -> Result<(), PlaceError> {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.roadlens-tmp", std::process::id()));
    create(&tmp, text).map_err(|e| match e {
        PlaceError::Io { err, .. } => io(path)(err),
        e => e,
    })?;
    let done = std::fs::set_permissions(&tmp, meta.permissions())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    Ok(())
}

/// Write into what is there (a device, a FIFO, a link), as `>` does.
fn write_through(path: &Path, text: &str) -> Result<(), PlaceError> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(io(path))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.flush())
        .map_err(io(path))
}

/// Write `text` into `dir` under `name`, or under `name` with `-2` … `-9`
/// before its extension when something roadlens did not make holds the
/// name. The path written.
pub fn write_free(dir: &Path, name: &str, text: &str) -> Result<PathBuf, PlaceError> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut last = None;
    for i in 1..=9 {
        let n = match (i, ext) {
            (1, _) => name.to_string(),
            (i, "") => format!("{stem}-{i}"),
            (i, e) => format!("{stem}-{i}.{e}"),
        };
        let path = dir.join(n);
        match write(&path, text, Replace::OwnOnly) {
            Ok(()) => return Ok(path),
            Err(e @ PlaceError::NotOurs(_)) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| PlaceError::NotOurs(dir.join(name))))
}

/// The directory the TUI writes reports into: `configured`
/// (`ROADLENS_REPORT_DIR`), else one made for this process in the system's
/// temp directory (mode 0700, made once). Refused when it is inside one of
/// `forbidden` (the repository's work tree and git directory).
pub fn report_dir(configured: Option<PathBuf>, forbidden: &[PathBuf]) -> Result<PathBuf, String> {
    let dir = match configured.filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => {
            if !d.is_dir() {
                let what = if d.exists() {
                    "is not a directory"
                } else {
                    "does not exist (make it first)"
                };
                return Err(format!("ROADLENS_REPORT_DIR {} {what}", shown(&d)));
            }
            d
        }
        None => session_dir().map_err(|e| format!("cannot make a report directory: {e}"))?,
    };
    if inside(&dir, forbidden) {
        return Err(format!(
            "{} is inside the repository: roadlens never writes there (set ROADLENS_REPORT_DIR)",
            shown(&dir)
        ));
    }
    Ok(dir)
}

/// Whether `dir` is one of `roots` or inside one.
pub fn inside(dir: &Path, roots: &[PathBuf]) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let d = canon(dir);
    roots.iter().any(|r| d.starts_with(canon(r)))
}

/// `roadlens-reports-<pid>-<n>` in the system's temp directory, made once
/// per process, readable by its owner only.
fn session_dir() -> std::io::Result<PathBuf> {
    static DIR: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);
    let mut held = DIR.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(d) = held.as_ref().filter(|d| d.is_dir()) {
        return Ok(d.clone());
    }
    let base = std::env::temp_dir();
    let mut last = None;
    for n in 0..100u32 {
        let d = base.join(format!("roadlens-reports-{}-{n}", std::process::id()));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&d) {
            Ok(()) => {
                *held = Some(d.clone());
                return Ok(d);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        format!("<!DOCTYPE html><html><head>{}</head></html>", mark())
    }

    fn tmp() -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("roadlens-place-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn own_only_creates_or_replaces_only_its_own_pages() {
        let d = tmp();
        let p = d.join("r.html");
        write(&p, &page(), Replace::OwnOnly).unwrap();
        assert!(is_ours(&p));
        write(&p, &(page() + "2"), Replace::OwnOnly).unwrap();
        assert!(std::fs::read_to_string(&p).unwrap().ends_with('2'));
        let mine = d.join("notes.html");
        std::fs::write(&mine, "my notes").unwrap();
        assert!(matches!(
            write(&mine, &page(), Replace::OwnOnly),
            Err(PlaceError::NotOurs(_))
        ));
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes");
        // -o names it: replaced.
        write(&mine, &page(), Replace::Named).unwrap();
        assert!(is_ours(&mine));
        // No temp file is left behind.
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_never_followed_for_a_chosen_name() {
        let d = tmp();
        let target = d.join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = d.join("roadmap-x-exec.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let w = write_free(&d, "roadmap-x-exec.html", &page()).unwrap();
        assert_eq!(w, d.join("roadmap-x-exec-2.html"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_directory_inside_the_repository_is_refused() {
        let d = tmp();
        let inner = d.join("sub");
        std::fs::create_dir_all(&inner).unwrap();
        assert!(inside(&inner, std::slice::from_ref(&d)));
        assert!(report_dir(Some(inner.clone()), std::slice::from_ref(&d)).is_err());
        assert!(report_dir(Some(d.join("missing")), &[]).is_err());
        assert_eq!(report_dir(Some(inner.clone()), &[]).unwrap(), inner);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
