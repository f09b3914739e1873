//! The roadmap history: a streaming walk from HEAD, newest first, with git's
//! own history simplification, comparing trees one path component at a time.
//!
//! # Which commits
//!
//! The commits `git log -- <roadmap paths>` lists, in the same order
//! (committer date, newest first, as git's default walk). For each commit the
//! trees are compared with the parents' along the tracked paths only:
//! root tree ids first (equal: nothing changed), then the tree entry of each
//! tracked directory (equal: nothing changed there), and only inside a
//! tracked directory whose id differs are the `*.toml` entries compared. Never
//! a full tree diff per commit.
//!
//! At a merge, a parent against which nothing relevant changed (TREESAME)
//! is the only one followed and the merge is not shown; otherwise the merge
//! is shown (its files against the first parent) and all parents followed.
//! This is `git log`'s default simplification, so side branches that merged
//! nothing new into the roadmap are never walked.
//!
//! # Which paths
//!
//! "Roadmap paths" are paths that hold a roadmap at some point. Knowing them
//! all up front would need every `*.toml` blob of every commit. Instead:
//!
//! - The directories of the roadmap files at HEAD are tracked: every `*.toml`
//!   below them (a roadmap at the top level tracks the top-level `*.toml`
//!   files only, not the whole tree). With no roadmap at HEAD the whole tree
//!   is tracked (slower, but finds roadmaps that were deleted).
//! - A changed `*.toml` in a tracked directory counts when its path is a
//!   known roadmap path (all roadmaps at HEAD are), or when its blob on
//!   either side is a roadmap source; the path is then known from that
//!   commit on (towards older commits), so a revision with broken TOML, or
//!   the deletion of a roadmap, still counts.
//! - A roadmap added in a commit whose source was renamed from an untracked
//!   directory (same content or same roadmap id) is followed: that path is
//!   known and its directory tracked from then on.
//!
//! For the usual layout (roadmaps in one directory) this is exactly
//! `git log -- <every roadmap path>`; `History::paths` gives those paths.

use super::{
    FileChange, HistoryEntry, MAX_TREE_DEPTH, Repo, RepoError, Rev, is_toml_name, pair, skipped_dir,
};
use git2::{ObjectType, Oid};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// A streaming history walk (newest first). Each `next()` walks only as far
/// as the next commit that changed a roadmap file.
pub struct History<'r> {
    repo: &'r Repo,
    objects: Objects<'r>,
    queue: BinaryHeap<Queued>,
    seen: HashSet<Oid>,
    /// Parsed commits waiting in the queue.
    infos: HashMap<Oid, Info>,
    /// Commit → parents overrides: the shallow boundary and `info/grafts`.
    grafts: HashMap<Oid, Vec<Oid>>,
    track: Node,
    known: HashSet<String>,
    seq: u64,
    scanned: usize,
    done: bool,
}

/// The walk's order: newest committer date first; among equal dates, the
/// first queued first (as git's date-ordered commit list).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Queued {
    time: i64,
    seq: Reverse<u64>,
    id: Oid,
}

#[derive(Clone)]
struct Info {
    tree: Oid,
    parents: Vec<Oid>,
    time: i64,
}

/// A changed `*.toml` blob: (path, old side, new side).
struct Cand {
    path: String,
    old: Option<Oid>,
    new: Option<Oid>,
}

/// The tracked part of the tree.
#[derive(Default)]
struct Node {
    /// Compare the `*.toml` blobs directly in this directory.
    direct: bool,
    /// Compare every `*.toml` blob below this directory.
    recursive: bool,
    children: BTreeMap<Vec<u8>, Node>,
}

impl Node {
    fn track_dir(&mut self, dir: &str) {
        if dir.is_empty() {
            self.direct = true;
            return;
        }
        let mut n = self;
        for part in dir.split('/') {
            n = n.children.entry(part.as_bytes().to_vec()).or_default();
        }
        n.recursive = true;
    }
    fn everything() -> Node {
        Node {
            recursive: true,
            ..Node::default()
        }
    }
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Raw object access for the walk: commits and trees are read straight from
/// the object database (no `git_commit`/`git_tree` objects, no signature
/// parsing, nothing put in libgit2's object cache) and parsed here. Recently
/// read trees are kept: a commit's root tree is compared once as the new
/// side and once more as the old side of its child.
struct Objects<'r> {
    odb: git2::Odb<'r>,
    /// For replace refs and the check of loose objects.
    repo: &'r Repo,
    trees: HashMap<Oid, Rc<[u8]>>,
    order: VecDeque<Oid>,
}

const TREE_CACHE: usize = 512;

impl Objects<'_> {
    fn read(&self, id: Oid, kind: ObjectType) -> Result<git2::OdbObject<'_>, RepoError> {
        // The replacement (`git replace`) is read for a replaced id.
        let id = self.repo.replaced(id);
        self.repo.reads.loose.check(id)?;
        let obj = self.odb.read(id).map_err(|e| {
            RepoError::Git(format!(
                "cannot read {} {id}: {}",
                kind.str(),
                crate::text::sanitize_line(e.message())
            ))
        })?;
        if obj.kind() != kind {
            return Err(RepoError::Git(format!(
                "object {id} is a {}, not a {}",
                obj.kind().str(),
                kind.str()
            )));
        }
        Ok(obj)
    }

    fn tree(&mut self, id: Oid) -> Result<Rc<[u8]>, RepoError> {
        if let Some(t) = self.trees.get(&id) {
            return Ok(t.clone());
        }
        let data: Rc<[u8]> = Rc::from(self.read(id, ObjectType::Tree)?.data());
        if self.order.len() >= TREE_CACHE
            && let Some(old) = self.order.pop_front()
        {
            self.trees.remove(&old);
        }
        self.order.push_back(id);
        self.trees.insert(id, data.clone());
        Ok(data)
    }

    fn commit(&self, id: Oid) -> Result<Info, RepoError> {
        let obj = self.read(id, ObjectType::Commit)?;
        parse_commit(obj.data()).ok_or_else(|| RepoError::Git(format!("malformed commit {id}")))
    }
}

fn hex_oid(h: &[u8]) -> Option<Oid> {
    if h.len() != 40 {
        return None;
    }
    Oid::from_str(std::str::from_utf8(h).ok()?).ok()
}

/// The tree, parents and committer time of a raw commit object.
fn parse_commit(data: &[u8]) -> Option<Info> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break; // the message follows
        }
        if let Some(h) = line.strip_prefix(b"tree ") {
            tree = Some(hex_oid(h)?);
        } else if let Some(h) = line.strip_prefix(b"parent ") {
            parents.push(hex_oid(h)?);
        } else if let Some(c) = line.strip_prefix(b"committer ") {
            // "Name <email> 1700000000 +0100"
            let at = c.iter().rposition(|&b| b == b'>').map_or(0, |i| i + 1);
            time = std::str::from_utf8(&c[at..])
                .ok()
                .and_then(|s| s.split_whitespace().next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        }
    }
    Some(Info {
        tree: tree?,
        parents,
        time,
    })
}

/// One entry of a raw tree object.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    mode: u32,
    name: &'a [u8],
    id: Oid,
}

impl RawEntry<'_> {
    fn is_tree(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }
    /// A regular file: not a symbolic link (mode 120000, a link is never a
    /// roadmap), not a submodule.
    fn is_blob(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
}

/// The entries of a raw tree: `<octal mode> <name>\0<20-byte id>` each.
/// A malformed tail ends the iteration.
fn entries(mut data: &[u8]) -> impl Iterator<Item = RawEntry<'_>> {
    std::iter::from_fn(move || {
        let sp = data.iter().position(|&b| b == b' ')?;
        let nul = sp + data[sp..].iter().position(|&b| b == 0)?;
        let id = Oid::from_bytes(data.get(nul + 1..nul + 21)?).ok()?;
        let mode = data[..sp].iter().try_fold(0u32, |m, &b| {
            (b'0'..=b'7')
                .contains(&b)
                .then(|| m * 8 + u32::from(b - b'0'))
        })?;
        let e = RawEntry {
            mode,
            name: &data[sp + 1..nul],
            id,
        };
        data = &data[nul + 21..];
        Some(e)
    })
}

fn find_entry<'a>(data: &'a [u8], name: &[u8]) -> Option<RawEntry<'a>> {
    entries(data).find(|e| e.name == name)
}

/// Parent overrides as git applies them: `info/grafts`, then the shallow
/// boundary (commits listed in `shallow` have no parents).
fn read_grafts(repo: &git2::Repository) -> HashMap<Oid, Vec<Oid>> {
    let mut g = HashMap::new();
    let common = repo.commondir();
    if let Ok(text) = std::fs::read_to_string(common.join("info").join("grafts")) {
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let ids: Option<Vec<Oid>> = line
                .split_whitespace()
                .map(|h| hex_oid(h.as_bytes()))
                .collect();
            if let Some((c, parents)) = ids.as_deref().and_then(<[Oid]>::split_first) {
                g.insert(*c, parents.to_vec());
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(common.join("shallow")) {
        for id in text.lines().filter_map(|l| hex_oid(l.trim().as_bytes())) {
            g.insert(id, Vec::new());
        }
    }
    g
}

impl<'r> History<'r> {
    pub(super) fn new(repo: &'r Repo) -> Result<History<'r>, RepoError> {
        let mut h = History {
            repo,
            objects: Objects {
                odb: repo.inner.odb()?,
                repo,
                trees: HashMap::new(),
                order: VecDeque::new(),
            },
            grafts: read_grafts(&repo.inner),
            queue: BinaryHeap::new(),
            seen: HashSet::new(),
            infos: HashMap::new(),
            track: Node::default(),
            known: HashSet::new(),
            seq: 0,
            scanned: 0,
            done: false,
        };
        let Some(head) = repo.head_commit()? else {
            h.done = true;
            return Ok(h);
        };
        let at_head = repo.tree_roadmaps(&repo.commit_tree(&head)?)?;
        for path in at_head.keys() {
            h.track.track_dir(dir_of(path));
            h.known.insert(path.clone());
        }
        if at_head.is_empty() {
            h.track = Node::everything();
        }
        h.enqueue(head.id())?;
        Ok(h)
    }

    /// How many commits were examined so far (for progress display).
    pub fn scanned(&self) -> usize {
        self.scanned
    }

    /// The roadmap paths known so far (sorted): those at HEAD and those found
    /// in the walk. After the walk, `git log -- <these>` lists the same commits.
    pub fn paths(&self) -> Vec<String> {
        let mut v: Vec<String> = self.known.iter().cloned().collect();
        v.sort();
        v
    }

    fn note_too_deep(&self, dirs: Vec<String>) {
        for d in dirs {
            self.repo.note_too_deep(&d);
        }
    }

    fn parse(&self, id: Oid) -> Result<Info, RepoError> {
        let mut info = self.objects.commit(id)?;
        if let Some(p) = self.grafts.get(&id) {
            info.parents.clone_from(p);
        }
        Ok(info)
    }

    fn info(&self, id: Oid) -> Result<Info, RepoError> {
        match self.infos.get(&id) {
            Some(i) => Ok(i.clone()),
            None => self.parse(id),
        }
    }

    fn enqueue(&mut self, id: Oid) -> Result<(), RepoError> {
        if !self.seen.insert(id) {
            return Ok(());
        }
        let info = self.parse(id)?;
        self.seq += 1;
        self.queue.push(Queued {
            time: info.time,
            seq: Reverse(self.seq),
            id,
        });
        self.infos.insert(id, info);
        Ok(())
    }

    /// Changed `*.toml` blobs in the tracked part between two trees.
    fn compare(&mut self, old: Option<Oid>, new: Option<Oid>) -> Result<Vec<Cand>, RepoError> {
        let mut out = Vec::new();
        let mut too_deep = Vec::new();
        compare(
            &mut self.objects,
            &self.track,
            old,
            new,
            &mut out,
            &mut too_deep,
        )?;
        self.note_too_deep(too_deep);
        Ok(out)
    }

    /// Keep the candidates that are roadmap changes; learn new roadmap paths.
    fn relevant(&mut self, cands: Vec<Cand>) -> Result<Vec<Cand>, RepoError> {
        let mut out = Vec::new();
        for c in cands {
            let is = self.known.contains(&c.path)
                || match c.old {
                    Some(o) => self.repo.blob_is_roadmap(o)?,
                    None => false,
                }
                || match c.new {
                    Some(n) => self.repo.blob_is_roadmap(n)?,
                    None => false,
                };
            if is {
                self.known.insert(c.path.clone());
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Examine one commit; Some(entry) when it is shown.
    fn visit(&mut self, id: Oid, info: Info) -> Result<Option<HistoryEntry>, RepoError> {
        if info.parents.is_empty() {
            let cands = self.compare(None, Some(info.tree))?;
            let rel = self.relevant(cands)?;
            if rel.is_empty() {
                return Ok(None);
            }
            return self.entry(id, info.tree, None, rel).map(Some);
        }
        let mut first = None;
        for (n, &p) in info.parents.iter().enumerate() {
            let pinfo = self.info(p)?;
            let cands = self.compare(Some(pinfo.tree), Some(info.tree))?;
            let rel = self.relevant(cands)?;
            if rel.is_empty() {
                // TREESAME to this parent: it explains everything; follow it only.
                self.enqueue(p)?;
                return Ok(None);
            }
            if n == 0 {
                first = Some((pinfo.tree, rel));
            }
        }
        for &p in &info.parents {
            self.enqueue(p)?;
        }
        let (ptree, rel) = first.unwrap_or((Oid::ZERO_SHA1, Vec::new()));
        self.entry(id, info.tree, Some((info.parents[0], ptree)), rel)
            .map(Some)
    }

    fn entry(
        &mut self,
        id: Oid,
        tree: Oid,
        parent: Option<(Oid, Oid)>,
        rel: Vec<Cand>,
    ) -> Result<HistoryEntry, RepoError> {
        let files = self.file_changes(tree, parent.map(|p| p.1), rel)?;
        let c = self.repo.find_commit(id)?;
        let author = c.author();
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Ok(HistoryEntry {
            rev: Rev::Commit(id.to_string()),
            parent: parent.map(|p| Rev::Commit(p.0.to_string())),
            author: lossy(author.name_bytes()),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            summary: c.summary_bytes().map(lossy).unwrap_or_default(),
            message: lossy(c.message_bytes()),
            files,
        })
    }

    /// The changed files of a shown commit against its first parent, with
    /// renames paired (also from outside the tracked directories).
    fn file_changes(
        &mut self,
        tree: Oid,
        parent_tree: Option<Oid>,
        rel: Vec<Cand>,
    ) -> Result<Vec<FileChange>, RepoError> {
        let mut deleted = Vec::new();
        let mut added = Vec::new();
        let mut out = Vec::new();
        let seen_paths: HashSet<String> = rel.iter().map(|c| c.path.clone()).collect();
        let mut added_ids = HashMap::new();
        for c in rel {
            match (c.old, c.new) {
                (Some(o), None) => deleted.push((c.path, o)),
                (None, Some(n)) => {
                    added_ids.insert(c.path.clone(), n);
                    added.push((c.path, n));
                }
                _ => out.push(FileChange {
                    old_path: Some(c.path.clone()),
                    new_path: Some(c.path),
                }),
            }
        }
        let repo = self.repo;
        let rid = |o: Oid| {
            repo.find_blob(o)
                .ok()
                .and_then(|b| super::roadmap_id(b.content()))
        };
        let mut lone_adds = Vec::new();
        for f in pair(deleted, added, rid, |_: &str, n| rid(n)) {
            match (&f.old_path, &f.new_path) {
                (None, Some(p)) if parent_tree.is_some() => {
                    if let Some(&n) = added_ids.get(p) {
                        lone_adds.push((p.clone(), n));
                    }
                }
                _ => out.push(f),
            }
        }
        if !lone_adds.is_empty() {
            // Look for the rename source beyond the tracked directories.
            let mut all = Vec::new();
            let mut too_deep = Vec::new();
            compare(
                &mut self.objects,
                &Node::everything(),
                parent_tree,
                Some(tree),
                &mut all,
                &mut too_deep,
            )?;
            self.note_too_deep(too_deep);
            let mut outside = Vec::new();
            for c in all {
                if let (Some(o), None) = (c.old, c.new)
                    && !seen_paths.contains(&c.path)
                    && self.repo.blob_is_roadmap(o)?
                {
                    outside.push((c.path, o));
                }
            }
            for f in pair(outside, lone_adds, rid, |_: &str, n| rid(n)) {
                match (&f.old_path, &f.new_path) {
                    (Some(from), Some(_)) => {
                        self.known.insert(from.clone());
                        self.track.track_dir(dir_of(from));
                        out.push(f);
                    }
                    (None, Some(_)) => out.push(f),
                    _ => {} // an unrelated deletion outside: not ours
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

impl Iterator for History<'_> {
    type Item = Result<HistoryEntry, RepoError>;
    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let Some(q) = self.queue.pop() else {
                self.done = true;
                break;
            };
            self.scanned += 1;
            let info = match self.infos.remove(&q.id) {
                Some(i) => i,
                None => match self.parse(q.id) {
                    Ok(i) => i,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                },
            };
            match self.visit(q.id, info) {
                Ok(Some(entry)) => return Some(Ok(entry)),
                Ok(None) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

/// How a pair of trees is compared: along the tracked nodes, or every
/// `*.toml` below.
#[derive(Clone, Copy)]
enum Mode<'n> {
    Guided(&'n Node),
    Deep,
}

/// A pair of trees still to compare: (mode, old, new, path prefix, depth).
type Pending<'n> = (Mode<'n>, Option<Oid>, Option<Oid>, String, usize);

/// Compare two trees along `node`: ids first, then one component at a time.
/// Iterative, and directories nested deeper than [`MAX_TREE_DEPTH`] are not
/// entered (their paths are reported in `too_deep`).
fn compare(
    objects: &mut Objects<'_>,
    node: &Node,
    old: Option<Oid>,
    new: Option<Oid>,
    out: &mut Vec<Cand>,
    too_deep: &mut Vec<String>,
) -> Result<(), RepoError> {
    let mut stack: Vec<Pending<'_>> = vec![(Mode::Guided(node), old, new, String::new(), 0)];
    while let Some((mode, old, new, prefix, depth)) = stack.pop() {
        if old == new {
            continue;
        }
        let ot = old.map(|id| objects.tree(id)).transpose()?;
        let nt = new.map(|id| objects.tree(id)).transpose()?;
        let node = match mode {
            Mode::Guided(node) if !node.recursive => node,
            _ => {
                let level = (ot.as_deref(), nt.as_deref(), true, prefix.as_str(), depth);
                diff_level(level, out, &mut stack, too_deep);
                continue;
            }
        };
        if node.direct {
            let level = (ot.as_deref(), nt.as_deref(), false, prefix.as_str(), depth);
            diff_level(level, out, &mut stack, too_deep);
        }
        let sub = |t: &Option<Rc<[u8]>>, name: &[u8]| {
            t.as_deref()
                .and_then(|t| find_entry(t, name))
                .filter(RawEntry::is_tree)
                .map(|e| e.id)
        };
        for (name, child) in &node.children {
            let (o, n) = (sub(&ot, name), sub(&nt, name));
            if o == n {
                continue;
            }
            let Ok(name) = std::str::from_utf8(name) else {
                continue;
            };
            let dir = format!("{prefix}{name}");
            if depth + 1 > MAX_TREE_DEPTH {
                too_deep.push(dir);
                continue;
            }
            stack.push((Mode::Guided(child), o, n, dir + "/", depth + 1));
        }
    }
    Ok(())
}

type Side = Option<(Oid, u32)>;
/// One name of a directory level: (old blob, new blob, old tree, new tree).
type Slot = (Side, Side, Option<Oid>, Option<Oid>);

/// One directory level to compare: (old tree, new tree, deep, prefix, depth).
type Level<'a> = (Option<&'a [u8]>, Option<&'a [u8]>, bool, &'a str, usize);

/// Compare the `*.toml` blobs of one directory level; when `deep`, queue
/// every subdirectory whose id differs.
fn diff_level(
    (ot, nt, deep, prefix, depth): Level<'_>,
    out: &mut Vec<Cand>,
    stack: &mut Vec<Pending<'_>>,
    too_deep: &mut Vec<String>,
) {
    let mut names: BTreeMap<&[u8], Slot> = BTreeMap::new();
    for (side, t) in [(0, ot), (1, nt)] {
        let Some(t) = t else { continue };
        for e in entries(t) {
            let blob = e.is_blob() && is_toml_name(e.name);
            let tree = deep && e.is_tree() && !skipped_dir(e.name);
            if !blob && !tree {
                continue;
            }
            let slot = names.entry(e.name).or_default();
            match (side, blob) {
                (0, true) => slot.0 = Some((e.id, e.mode)),
                (_, true) => slot.1 = Some((e.id, e.mode)),
                (0, false) => slot.2 = Some(e.id),
                (_, false) => slot.3 = Some(e.id),
            }
        }
    }
    for (name, (ob, nb, otree, ntree)) in names {
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        if ob != nb {
            out.push(Cand {
                path: format!("{prefix}{name}"),
                old: ob.map(|b| b.0),
                new: nb.map(|b| b.0),
            });
        }
        if otree != ntree {
            let dir = format!("{prefix}{name}");
            if depth + 1 > MAX_TREE_DEPTH {
                too_deep.push(dir);
                continue;
            }
            stack.push((Mode::Deep, otree, ntree, dir + "/", depth + 1));
        }
    }
}
