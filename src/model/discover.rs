//! Finding roadmap files: `*.toml` files whose TOML names a top-level
//! `roadmap` table, in any spelling and however broken the rest is.

use super::load::MAX_FILE_BYTES;
use super::syntax;
use std::path::{Path, PathBuf};

/// How much of an over-large file is looked at to tell whether it is a
/// roadmap (it is then reported as too large rather than skipped).
const LARGE_FILE_PREFIX: usize = 64 * 1024;

/// True when the bytes are a roadmap: TOML naming a top-level `roadmap`
/// table (`[roadmap]`, `["roadmap"]`, `[ roadmap ]`, `[roadmap.extra]`,
/// `roadmap = {…}`, with a BOM…), read by the toml crate's own parser, which
/// recovers from syntax errors: a roadmap with broken TOML still counts. Of
/// a file over [`MAX_FILE_BYTES`] only the beginning is looked at.
pub fn is_roadmap_source(bytes: &[u8]) -> bool {
    let bytes = if bytes.len() > MAX_FILE_BYTES {
        &bytes[..LARGE_FILE_PREFIX]
    } else {
        bytes
    };
    syntax::names_roadmap(&String::from_utf8_lossy(bytes))
}

/// Directories never searched for roadmaps: hidden ones (`.git`), `target`
/// and `node_modules`.
pub fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// Roadmap files under `root` (sorted): `*.toml` regular files (or symbolic
/// links to them) that are roadmaps, skipping [`is_skipped_dir`]
/// directories, never following symbolic links to directories, never
/// opening anything but a regular file (a FIFO would block). A `root` that
/// names a file is returned as is (whatever it holds).
pub fn discover(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir == root => return Err(e),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                if !is_skipped_dir(&name) {
                    stack.push(path);
                }
            } else if name.ends_with(".toml") && file_is_roadmap(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A regular file (through any symbolic link) holding a roadmap, or a
/// regular `*.toml` file that cannot be read (no permission): that one is
/// listed so that loading it says why, never skipped without a word (a
/// pre-commit check must not pass a file nobody could read). FIFOs and
/// devices are not roadmap files: left out (named, they are reported).
fn file_is_roadmap(path: &Path) -> bool {
    // Never opens a FIFO or device (see `crate::fsread`).
    match crate::fsread::read_regular(path, MAX_FILE_BYTES as u64 + 1) {
        Ok(bytes) => is_roadmap_source(&bytes),
        Err(_) => std::fs::metadata(path).is_ok_and(|m| m.is_file()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_roadmap_sources() {
        assert!(is_roadmap_source(b"[roadmap]\nid = \"x\"\n"));
        assert!(is_roadmap_source(b"# c\n  [roadmap]\nid = \"x\n broken"));
        assert!(is_roadmap_source(b"roadmap = { id = \"x\" }\n"));
        assert!(is_roadmap_source(b"\xEF\xBB\xBF[roadmap]\nid = = 1\n"));
        assert!(!is_roadmap_source(b"[package]\nname = \"roadmap\"\n"));
        assert!(!is_roadmap_source(b"[tool.roadmap]\n"));
        // Over the size limit: the beginning says so.
        let mut big = b"[roadmap]\nid = \"x\"\n".to_vec();
        big.resize(MAX_FILE_BYTES + 10, b'\n');
        assert!(is_roadmap_source(&big));
    }

    #[test]
    fn discovery_skips_git_target_and_non_roadmaps() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for sub in [".git", "target", "docs/plans", "node_modules"] {
            std::fs::create_dir_all(p.join(sub)).unwrap();
        }
        let rm = "[roadmap]\nid = \"x\"\ntitle = \"X\"\n";
        std::fs::write(p.join("a.toml"), rm).unwrap();
        std::fs::write(p.join("docs/plans/b.toml"), rm).unwrap();
        std::fs::write(p.join(".git/c.toml"), rm).unwrap();
        std::fs::write(p.join("target/d.toml"), rm).unwrap();
        std::fs::write(p.join("node_modules/e.toml"), rm).unwrap();
        std::fs::write(p.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
        let found = discover(p).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.toml", "docs/plans/b.toml"]);
        // A file named explicitly is always returned.
        assert_eq!(discover(&p.join("Cargo.toml")).unwrap().len(), 1);
    }
}
