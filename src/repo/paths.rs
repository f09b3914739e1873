//! Repo-relative paths: which paths a command is limited to, which are
//! roadmap candidates, and checks that a path stays inside the repository.

use super::RepoError;
use crate::text::sanitize_line;
use std::path::{Component, Path};

/// Repo-relative `/` paths (files or directories) a command is limited to
/// (`roadlens diff -- PATHS`); none: every path.
#[derive(Clone, Debug, Default)]
pub struct PathFilter(Vec<String>);

impl PathFilter {
    pub fn new(paths: Vec<String>) -> PathFilter {
        PathFilter(paths)
    }

    /// The paths given.
    pub fn into_paths(self) -> Vec<String> {
        self.0
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
pub(super) fn under(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// A repo-relative path must be relative, `/`-separated and stay inside.
pub(super) fn check_repo_path(path: &str) -> Result<(), RepoError> {
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
pub(super) fn relative_slash_path(root: &Path, p: &Path) -> Option<String> {
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
pub(super) fn skipped_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.iter().any(|d| skipped_dir(d.as_bytes()))
}

pub(crate) fn is_toml_name(name: &[u8]) -> bool {
    name.len() > 5 && name.ends_with(b".toml")
}

pub(super) fn is_toml_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|n| is_toml_name(n.as_bytes()))
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
