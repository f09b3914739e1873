//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// An empty directory the tests share (a HOME, a config search path that
/// finds nothing), under Cargo's temp dir for integration tests, so test
/// runs leave nothing behind in the system's temp directory. Nothing
/// writes into it.
pub fn empty_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("create an empty dir");
    dir
}

/// Point libgit2's global, XDG and system config search paths at an empty
/// directory, once, before any test touches git2: a developer's own config
/// (init.defaultBranch, core.autocrlf, ...) cannot change results.
pub fn sandbox() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let empty = empty_dir("empty-config");
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
            #[allow(unsafe_code)]
            unsafe { git2::opts::set_search_path(level, &empty) }.expect("set search path");
        }
    });
}

/// A new repository in a temp dir (sandboxed config, branch `main`, no
/// CRLF conversion), for tests that build their history with git2.
pub fn new_repo() -> (tempfile::TempDir, git2::Repository) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = git2::Repository::init_opts(dir.path(), &opts).expect("init");
    repo.config()
        .expect("config")
        .set_bool("core.autocrlf", false)
        .expect("autocrlf");
    (dir, repo)
}

/// Write `content` to `path` under `root`, making its directories.
pub fn write_file(root: &Path, path: &str, content: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, content).expect("write");
}

/// The git CLI with a sandboxed environment, or None when git is absent.
pub fn git_cli(dir: &Path) -> Option<Command> {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("git CLI not found: skipping");
        return None;
    }
    let home = empty_dir("empty-home");
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_CONFIG_SYSTEM", home.join("gitconfig-system"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_CEILING_DIRECTORIES");
    Some(c)
}

/// The tests' one deterministic pseudo-random source (xorshift): the same
/// seed gives the same sequence on every machine, so a failing case is
/// reproducible from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// In `0..n` (0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }
}

/// `roadlens ARGS` in `dir` as the tests run it: no user or system git
/// config (an empty HOME of this test process), today pinned to
/// 2027-05-10, no colour, and none of the git environment a developer's
/// shell or a hook may carry. Callers add what a test is about.
pub fn roadlens_cmd(dir: &Path, args: &[&str]) -> Command {
    let home = empty_dir("test-home");
    let mut c = Command::new(env!("CARGO_BIN_EXE_roadlens"));
    c.current_dir(dir)
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_EXTERNAL_DIFF",
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_CEILING_DIRECTORIES",
        "CLICOLOR_FORCE",
        "ROADLENS_REPORT_DIR",
    ] {
        c.env_remove(var);
    }
    c
}
