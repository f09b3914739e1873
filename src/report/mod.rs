//! `roadlens report`: one self-contained HTML page per audience, to share
//! after a review or a demo.
//!
//! A page is made from one lens view ([`crate::lens::project`]) and nothing
//! else of the roadmap, plus, with a base revision, what that audience
//! notices changed since it: the same changes, in the same words, as
//! `roadlens diff BASE --lens L` ([`changes_since`] pairs the files by the
//! history rule, [`crate::diff::diff_loaded`] computes the audience diff,
//! [`crate::vocab`] words it).
//!
//! - [`page`]: the data of one page ([`Page`]), pure.
//! - [`html`]: the page as HTML, written by a template with automatic
//!   escaping (maud); every roadmap string, commit message and path goes
//!   through the one sanitizer ([`crate::text`]) first. No script, no link,
//!   no external resource: CSS is inline, a Content-Security-Policy forbids
//!   everything else.
//! - [`place`]: where a page may be written without overwriting a file
//!   roadlens did not make.

mod html;
pub mod place;

pub use html::{GENERATOR, html};

use crate::diff::history;
use crate::diff::{FileDiff, FileStatus};
use crate::lens::{Lens, LensView};
use crate::model::{LoadedFile, Roadmap};
use crate::repo::{PathFilter, Repo, RepoError, Rev};
use jiff::civil::Date;

/// A commit as a page names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    /// The full id.
    pub id: String,
    /// The author's day: `2027-01-15`.
    pub day: String,
    /// The message's first line (raw text from git: sanitized when shown,
    /// never shown in the sales page).
    pub subject: String,
}

impl CommitInfo {
    /// The first 7 characters of the id.
    pub fn short(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// The revision a page (or its base) was made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// As the user named it: `working tree`, `v2027.1`, `HEAD~3`, or
    /// `files on disk` outside a repository.
    pub label: String,
    /// Its commit; for the working tree, HEAD's.
    pub commit: Option<CommitInfo>,
    /// `commit` is HEAD, the base of the working tree (or index) shown.
    pub head: bool,
    /// The working tree's roadmap differs from HEAD's.
    pub uncommitted: bool,
}

impl Revision {
    /// Files read from disk outside any repository.
    pub fn on_disk() -> Revision {
        Revision {
            label: "files on disk".into(),
            commit: None,
            head: false,
            uncommitted: false,
        }
    }
}

/// What changed since a base revision, as the page's audience notices it.
#[derive(Clone, Debug, PartialEq)]
pub struct Since {
    pub base: Revision,
    /// The audience diff of the roadmap's file (its `changes` are what the
    /// lens notices, as `roadlens diff BASE --lens L` prints them).
    pub diff: FileDiff,
}

/// Everything one page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The lens view: the only roadmap content of the page.
    pub view: LensView,
    /// The roadmap file (repo-relative, or as found on disk); not shown in
    /// the sales page.
    pub path: String,
    pub revision: Revision,
    /// The day the page was made (`ROADLENS_TODAY` when set).
    pub made: Date,
    pub since: Option<Since>,
    /// The timeline picture (a standalone SVG), when there is one.
    pub timeline: Option<String>,
}

impl Page {
    pub fn lens(&self) -> Lens {
        self.view.lens()
    }
}

/// The page of `roadmap` through `lens`; `None` for a layer the roadmap
/// lacks. `baseline`: the roadmap at the base revision, for the timeline.
pub fn page(
    roadmap: &Roadmap,
    lens: &Lens,
    path: &str,
    revision: Revision,
    since: Option<Since>,
    baseline: Option<&Roadmap>,
) -> Option<Page> {
    let view = crate::lens::project(roadmap, lens)?;
    // The timeline names its baseline as `roadlens timeline --baseline`
    // does for this lens (under sales, only the quarter of its date).
    let named = since.as_ref().map(|s| {
        crate::lens::timeline::BaselineLabel::for_lens(
            lens,
            &crate::text::sanitize_line(&s.base.label),
            s.base.commit.as_ref().and_then(|c| c.day.parse().ok()),
        )
    });
    Some(Page {
        timeline: timeline_svg(roadmap, lens, baseline, named, roadmap.today),
        view,
        path: path.to_string(),
        revision,
        made: roadmap.today,
        since,
    })
}

/// The timeline picture of the page: the timeline projection of `lens`
/// (for sales built from the sales view only) against `baseline`, drawn by
/// the one SVG writer (`roadlens timeline --format svg`, which escapes every
/// text with its XML writer), without the XML declaration so it sits inline.
/// `named`: how the baseline is named (see
/// [`crate::lens::timeline::BaselineLabel::for_lens`]).
/// `None` for a lens without a timeline (the decision canvas).
pub fn timeline_svg(
    roadmap: &Roadmap,
    lens: &Lens,
    baseline: Option<&Roadmap>,
    named: Option<crate::lens::timeline::BaselineLabel>,
    today: Date,
) -> Option<String> {
    let by = crate::lens::timeline::By::default_for(lens);
    let mut view = crate::lens::timeline::timeline(roadmap, lens, by, baseline, today)?;
    if let (Some(label), Some(_)) = (named, &view.baseline) {
        view.baseline = Some(label);
    }
    Some(crate::cli::timelineprint::svg_element(
        &view,
        &crate::cli::timelineprint::SvgOpts::default(),
    ))
}

/// The default file name of a page: `roadmap-<id>-<lens>.html`, or
/// `roadmap-<id>-<lens>-since-<rev>.html`, with any character other than
/// `A-Za-z0-9._-` of the id, lens (`layer:x`) and revision written as `-`.
pub fn file_name(roadmap_id: &str, lens: &Lens, since: Option<&str>) -> String {
    let safe = |s: &str| -> String {
        let s: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let s = s.trim_start_matches('.').to_string();
        if s.is_empty() { "roadmap".into() } else { s }
    };
    let since = since
        .map(|s| format!("-since-{}", safe(s)))
        .unwrap_or_default();
    format!(
        "roadmap-{}-{}{since}.html",
        safe(roadmap_id),
        safe(&lens.name())
    )
}

// ------------------------------------------------------------- from git

/// A commit's id, day and subject (`None` for the index and working tree).
pub fn commit_info(repo: &Repo, rev: &Rev) -> Result<Option<CommitInfo>, RepoError> {
    Ok(repo.commit_entry(rev)?.map(|e| CommitInfo {
        id: e.rev.commit().unwrap_or_default().to_string(),
        day: history::day(e.time, e.offset_minutes),
        subject: e.summary,
    }))
}

/// The revision `rev` as a page's footer names it, `label` as the user
/// wrote it. The working tree names HEAD's commit, and whether the roadmap
/// at `path` differs from HEAD's.
pub fn revision(repo: &Repo, label: &str, rev: &Rev, path: &str) -> Result<Revision, RepoError> {
    match rev {
        Rev::Commit(_) => Ok(Revision {
            label: label.to_string(),
            commit: commit_info(repo, rev)?,
            head: false,
            uncommitted: false,
        }),
        Rev::Index | Rev::WorkTree => {
            let head = repo.head()?;
            let committed = match &head {
                Some(h) => repo.read(h, path)?,
                None => None,
            };
            Ok(Revision {
                label: label.to_string(),
                commit: match &head {
                    Some(h) => commit_info(repo, h)?,
                    None => None,
                },
                head: head.is_some(),
                uncommitted: committed != repo.read(rev, path)?,
            })
        }
    }
}

/// The roadmap files of `target` under the repository path `scope` ("" for
/// all), each loaded.
pub fn load_at(repo: &Repo, target: &Rev, scope: &str) -> Result<Vec<LoadedFile>, RepoError> {
    let filter = if scope.is_empty() {
        PathFilter::default()
    } else {
        PathFilter::new(vec![scope.to_string()])
    };
    let today = crate::model::today();
    let mut out = vec![];
    for path in repo.roadmap_files_matching(target, &filter)? {
        if let Some(bytes) = repo.read(target, &path)? {
            out.push(crate::model::load_bytes(&path, &bytes, today));
        }
    }
    Ok(out)
}

/// What `lens` notices changed in the roadmap file at `path` (repo-relative,
/// on the `target` side) between `base` and `target`: the file as
/// `roadlens diff BASE TARGET --lens L` shows it — the two sides paired by
/// the history rule (a renamed file is one file), the audience diff of its
/// two views. Also the base side's file (for a timeline baseline); `None`
/// when the roadmap is new since `base`.
pub fn changes_since(
    repo: &Repo,
    (base, base_label): (&Rev, &str),
    (target, target_label): (&Rev, &str),
    path: &str,
    lens: &Lens,
) -> Result<(FileDiff, Option<LoadedFile>), RepoError> {
    let filter = PathFilter::new(vec![path.to_string()]);
    let pair = history::pair_sides(repo, Some(base), target, &filter)?
        .into_iter()
        .find(|f| f.new_path.as_deref() == Some(path));
    let old_path = pair.and_then(|f| f.old_path);
    let today = crate::model::today();
    let load = |rev: &Rev, p: &str| -> Result<Option<LoadedFile>, RepoError> {
        Ok(repo
            .read(rev, p)?
            .map(|b| crate::model::load_bytes(p, &b, today)))
    };
    let old = match &old_path {
        Some(p) => load(base, p)?,
        None => None,
    };
    let new = load(target, path)?;
    let mut diff = crate::diff::diff_loaded(
        path,
        old.as_ref(),
        new.as_ref(),
        (base_label, target_label),
        Some(lens),
    );
    diff.old_path = old_path.filter(|o| o != path);
    Ok((diff, old))
}

/// The base side's roadmap of a [`changes_since`], when it parsed.
pub fn baseline(diff: &FileDiff, old: Option<&LoadedFile>) -> Option<Roadmap> {
    if diff.status == FileStatus::Unparseable {
        return None;
    }
    old.filter(|f| !f.has_errors())
        .and_then(|f| f.roadmap.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("smart-pump", &Lens::Exec, None),
            "roadmap-smart-pump-exec.html"
        );
        assert_eq!(
            file_name("x", &Lens::Layer("fw".into()), Some("working tree")),
            "roadmap-x-layer-fw-since-working-tree.html"
        );
        assert_eq!(
            file_name("../../etc/a b", &Lens::Sales, None),
            "roadmap--..-etc-a-b-sales.html"
        );
        assert_eq!(
            file_name("", &Lens::Sales, None),
            "roadmap-roadmap-sales.html"
        );
    }
}
