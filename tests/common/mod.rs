//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file (and directory) under `path` with its content.
pub fn snapshot_dir(path: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let entry = entry.expect("entry");
            let p = entry.path();
            let ft = entry.file_type().expect("file type");
            let rel = p.strip_prefix(path).expect("prefix").to_path_buf();
            if ft.is_symlink() {
                let t = std::fs::read_link(&p).expect("link");
                out.insert(rel, t.to_string_lossy().into_owned().into_bytes());
            } else if ft.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

pub fn assert_same_snapshot(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) {
    let changed: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "the repository changed: {changed:?}");
}

/// Point libgit2's global, XDG and system config search paths at an empty
/// directory, once, before any test touches git2: a developer's own config
/// (init.defaultBranch, core.autocrlf, ...) cannot change results.
pub fn sandbox() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let empty =
            std::env::temp_dir().join(format!("roadlens-empty-config-{}", std::process::id()));
        std::fs::create_dir_all(&empty).expect("create empty config dir");
        for level in [
            git2::ConfigLevel::Global,
            git2::ConfigLevel::XDG,
            git2::ConfigLevel::System,
            git2::ConfigLevel::ProgramData,
        ] {
            // SAFETY: called exactly once, inside `Once`, before any other
            // git2 call of this test binary (every test calls `sandbox()`
            // first, and `Once` blocks them until this returns), so no other
            // thread reads the search path while it is set.
            unsafe { git2::opts::set_search_path(level, &empty) }.expect("set search path");
        }
    });
}
