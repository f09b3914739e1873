//! `repo`: real repositories built in temp dirs with git2 (config sandboxed),
//! and, when the git CLI is present, compared with `git log`.

mod common;
use common::{assert_same_snapshot, git_cli, new_repo, sandbox, snapshot_dir, write_file};
use git2::{Oid, Repository, Signature, Time};
use roadlens::repo::{FileChange, HistoryEntry, Repo, RepoError, Rev};
use std::path::Path;
use tempfile::TempDir;

// ------------------------------------------------------------------ sandbox

fn git_out(dir: &Path, args: &[&str]) -> Option<String> {
    let out = git_cli(dir)?.args(args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

// ------------------------------------------------------------------ fixtures

fn roadmap(id: &str, target: &str) -> String {
    format!(
        "[roadmap]\nid = \"{id}\"\ntitle = \"Roadmap {id}\"\n\n[[release]]\nid = \"v1\"\nname = \"First\"\ntarget = \"{target}\"\n\n[[feature]]\nid = \"alerts\"\ntitle = \"Alerts\"\nrelease = \"v1\"\ncustomer_value = \"Get alerts.\"\n  [[feature.work]]\n  layer = \"hardware\"\n  title = \"Sensor\"\n"
    )
}

/// A repository in a temp dir, built commit by commit with git2.
struct Fixture {
    dir: TempDir,
    repo: Repository,
    time: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let (dir, repo) = new_repo();
        Fixture {
            dir,
            repo,
            time: 1_800_000_000,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn open(&self) -> Repo {
        Repo::discover(self.path()).expect("discover")
    }

    /// A tree: `base` with `changes` applied (None deletes).
    fn tree(&self, base: Option<Oid>, changes: &[(&str, Option<&str>)]) -> Oid {
        let mut index = git2::Index::new().expect("index");
        if let Some(b) = base {
            let t = self.repo.find_tree(b).expect("tree");
            index.read_tree(&t).expect("read tree");
        }
        for (path, content) in changes {
            match content {
                Some(c) => {
                    let id = self.repo.blob(c.as_bytes()).expect("blob");
                    let entry = git2::IndexEntry {
                        ctime: git2::IndexTime::new(0, 0),
                        mtime: git2::IndexTime::new(0, 0),
                        dev: 0,
                        ino: 0,
                        mode: 0o100644,
                        uid: 0,
                        gid: 0,
                        file_size: c.len() as u32,
                        id,
                        flags: 0,
                        flags_extended: 0,
                        path: path.as_bytes().to_vec(),
                    };
                    index.add(&entry).expect("add");
                }
                None => index.remove_path(Path::new(path)).expect("remove"),
            }
        }
        index.write_tree_to(&self.repo).expect("write tree")
    }

    /// A commit on `refname` (or none) with explicit parents.
    fn commit_raw(&mut self, refname: Option<&str>, parents: &[Oid], tree: Oid, msg: &str) -> Oid {
        self.time += 60;
        let sig =
            Signature::new("Tess Ter", "tess@example.com", &Time::new(self.time, 60)).expect("sig");
        let tree = self.repo.find_tree(tree).expect("tree");
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).expect("parent"))
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(refname, &sig, &sig, msg, &tree, &refs)
            .expect("commit")
    }

    fn head_oid(&self) -> Option<Oid> {
        self.repo.head().ok().and_then(|h| h.target())
    }

    /// Commit `changes` on top of HEAD (on its branch) and check it out.
    fn commit(&mut self, msg: &str, changes: &[(&str, Option<&str>)]) -> Oid {
        let head = self.head_oid();
        let base = head.map(|h| self.repo.find_commit(h).expect("head").tree_id());
        let tree = self.tree(base, changes);
        let parents: Vec<Oid> = head.into_iter().collect();
        let id = self.commit_raw(Some("HEAD"), &parents, tree, msg);
        self.checkout();
        id
    }

    /// Make the working tree and index match HEAD.
    fn checkout(&self) {
        let mut cb = git2::build::CheckoutBuilder::new();
        cb.force().remove_untracked(true);
        self.repo.checkout_head(Some(&mut cb)).expect("checkout");
    }

    fn write(&self, path: &str, content: &str) {
        write_file(self.path(), path, content);
    }

    fn stage(&self, path: &str) {
        let mut index = self.repo.index().expect("index");
        index.add_path(Path::new(path)).expect("stage");
        index.write().expect("write index");
    }
}

fn commit_rev(id: Oid) -> Rev {
    Rev::Commit(id.to_string())
}

fn fc(old: Option<&str>, new: Option<&str>) -> FileChange {
    FileChange {
        old_path: old.map(str::to_string),
        new_path: new.map(str::to_string),
    }
}

fn history(repo: &Repo) -> Vec<HistoryEntry> {
    repo.history()
        .expect("history")
        .collect::<Result<Vec<_>, _>>()
        .expect("history walk")
}

fn ids(entries: &[HistoryEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e.rev.commit().unwrap_or("").to_string())
        .collect()
}

// ------------------------------------------------------------------ tests

#[test]
fn resolves_every_revision_form() {
    let mut f = Fixture::new();
    let c1 = f.commit(
        "one",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q1")))],
    );
    let c2 = f.commit("two", &[("README.md", Some("hi\n"))]);
    let c3 = f.commit(
        "three",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q2")))],
    );
    let c4 = f.commit("four", &[("README.md", Some("hello\n"))]);
    let obj = f.repo.find_object(c2, None).expect("obj");
    f.repo.tag_lightweight("light", &obj, false).expect("tag");
    let sig = Signature::new("T", "t@example.com", &Time::new(1_800_000_000, 0)).expect("sig");
    f.repo
        .tag(
            "annotated",
            &f.repo.find_object(c3, None).expect("obj"),
            &sig,
            "release",
            false,
        )
        .expect("tag");
    f.repo
        .reference("refs/remotes/origin/main", c1, false, "test")
        .expect("ref");
    f.repo
        .branch("feature", &f.repo.find_commit(c2).expect("c2"), false)
        .expect("branch");

    let r = f.open();
    assert_eq!(r.head().expect("head"), Some(commit_rev(c4)));
    let cases: &[(&str, Oid)] = &[
        (&c3.to_string(), c3),
        (&c3.to_string()[..7], c3),
        ("light", c2),
        ("annotated", c3),
        ("feature", c2),
        ("main", c4),
        ("HEAD", c4),
        ("HEAD~3", c1),
        ("HEAD^", c3),
        ("origin/main", c1),
        ("refs/remotes/origin/main", c1),
    ];
    for (spec, want) in cases {
        assert_eq!(r.resolve(spec).expect(spec), commit_rev(*want), "{spec}");
    }
    // Dates name the last commit on or before that day (UTC).
    assert_eq!(r.resolve("2099-01-01").expect("date"), commit_rev(c4));
    assert!(
        matches!(r.resolve("no-such-branch"), Err(RepoError::UnknownRevision(s)) if s == "no-such-branch")
    );
    assert!(matches!(
        r.resolve("HEAD~9"),
        Err(RepoError::UnknownRevision(_))
    ));
    // A day before the first commit: said so, not "unknown".
    assert!(matches!(
        r.resolve("1990-01-01"),
        Err(RepoError::NoCommitBefore(d)) if d == "1990-01-01"
    ));
    assert!(matches!(r.resolve(""), Err(RepoError::UnknownRevision(_))));
    // An escape sequence in a spec never reaches the error text raw.
    let e = r.resolve("x\u{1b}[31m").expect_err("unknown");
    assert!(!e.to_string().contains('\u{1b}'), "{e}");
    // A tree is not a commit.
    assert!(r.resolve("HEAD^{tree}").is_err());
}

#[test]
fn reads_commit_index_and_worktree() {
    let mut f = Fixture::new();
    let v1 = roadmap("a", "2027-Q1");
    let c1 = f.commit(
        "one",
        &[
            ("roadmaps/a.toml", Some(&v1)),
            ("Cargo.toml", Some("[package]\nname = \"x\"\n")),
            ("target/gen.toml", Some(&roadmap("gen", "2027-Q1"))),
            (".hidden/h.toml", Some(&roadmap("h", "2027-Q1"))),
            ("top.toml", Some(&roadmap("top", "2027-Q1"))),
        ],
    );
    let v2 = roadmap("a", "2027-Q2");
    let v3 = roadmap("a", "2027-Q3");
    f.write("roadmaps/a.toml", &v2);
    f.stage("roadmaps/a.toml");
    f.write("roadmaps/a.toml", &v3);
    f.write("roadmaps/new.toml", &roadmap("new", "2028"));

    let r = f.open();
    assert_eq!(
        r.workdir().map(|p| p.canonicalize().expect("canon")),
        Some(f.path().canonicalize().expect("canon"))
    );
    let c = commit_rev(c1);
    assert_eq!(
        r.read(&c, "roadmaps/a.toml").expect("read").as_deref(),
        Some(v1.as_bytes())
    );
    assert_eq!(
        r.read(&Rev::Index, "roadmaps/a.toml")
            .expect("read")
            .as_deref(),
        Some(v2.as_bytes())
    );
    assert_eq!(
        r.read(&Rev::WorkTree, "roadmaps/a.toml")
            .expect("read")
            .as_deref(),
        Some(v3.as_bytes())
    );
    for rev in [c.clone(), Rev::Index, Rev::WorkTree] {
        assert_eq!(
            r.read(&rev, "roadmaps/missing.toml").expect("read"),
            None,
            "{rev:?}"
        );
        assert_eq!(
            r.read(&rev, "roadmaps").expect("read"),
            None,
            "a directory, {rev:?}"
        );
        assert!(r.read(&rev, "../outside.toml").is_err());
        assert!(r.read(&rev, "/etc/passwd").is_err());
    }
    assert_eq!(r.read(&c, "roadmaps/new.toml").expect("read"), None);
    assert_eq!(
        r.read(&Rev::Index, "roadmaps/new.toml").expect("read"),
        None
    );

    assert_eq!(
        r.roadmap_files(&c).expect("files"),
        ["roadmaps/a.toml", "top.toml"]
    );
    assert_eq!(
        r.roadmap_files(&Rev::Index).expect("files"),
        ["roadmaps/a.toml", "top.toml"]
    );
    assert_eq!(
        r.roadmap_files(&Rev::WorkTree).expect("files"),
        ["roadmaps/a.toml", "roadmaps/new.toml", "top.toml"]
    );
    assert!(r.roadmap_files(&Rev::Commit("0".repeat(40))).is_err());
}

#[test]
fn uncommitted_entries_working_tree_and_staged() {
    let mut f = Fixture::new();
    let c1 = f.commit(
        "one",
        &[
            ("roadmaps/a.toml", Some(&roadmap("a", "2027-Q1"))),
            ("roadmaps/b.toml", Some(&roadmap("b", "2027-Q1"))),
            ("notes.txt", Some("x\n")),
        ],
    );
    let r = f.open();
    assert_eq!(r.uncommitted().expect("uncommitted"), vec![], "clean");

    // Unrelated changes do not count.
    f.write("notes.txt", "changed\n");
    f.write("Cargo.toml", "[package]\n");
    assert_eq!(r.uncommitted().expect("uncommitted"), vec![]);

    // A working-tree edit: one entry against HEAD.
    f.write("roadmaps/a.toml", &roadmap("a", "2027-Q2"));
    let u = r.uncommitted().expect("uncommitted");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].rev, Rev::WorkTree);
    assert_eq!(u[0].parent, Some(commit_rev(c1)));
    assert_eq!(u[0].summary, "Uncommitted changes (working tree)");
    assert_eq!(
        u[0].files,
        vec![fc(Some("roadmaps/a.toml"), Some("roadmaps/a.toml"))]
    );

    // Staged as is: the index equals the working tree, still one entry.
    f.stage("roadmaps/a.toml");
    assert_eq!(r.uncommitted().expect("uncommitted").len(), 1);

    // Edited again after staging: working tree and staged entries.
    f.write("roadmaps/a.toml", &roadmap("a", "2027-Q3"));
    std::fs::remove_file(f.path().join("roadmaps/b.toml")).expect("rm");
    let u = r.uncommitted().expect("uncommitted");
    assert_eq!(u.len(), 2, "{u:#?}");
    assert_eq!(u[0].rev, Rev::WorkTree);
    assert_eq!(
        u[0].files,
        vec![
            fc(Some("roadmaps/a.toml"), Some("roadmaps/a.toml")),
            fc(Some("roadmaps/b.toml"), None),
        ]
    );
    assert_eq!(u[1].rev, Rev::Index);
    assert_eq!(u[1].parent, Some(commit_rev(c1)));
    assert_eq!(
        u[1].files,
        vec![fc(Some("roadmaps/a.toml"), Some("roadmaps/a.toml"))]
    );

    // CRLF line ends are a change as git sees them: with core.autocrlf
    // false they are (git status says modified), with true they are not.
    f.checkout();
    let crlf = roadmap("a", "2027-Q1").replace('\n', "\r\n");
    f.write("roadmaps/a.toml", &crlf);
    assert_eq!(r.uncommitted().expect("uncommitted").len(), 1);
    f.repo
        .config()
        .expect("config")
        .set_bool("core.autocrlf", true)
        .expect("autocrlf");
    assert_eq!(r.uncommitted().expect("uncommitted"), vec![]);
    f.repo
        .config()
        .expect("config")
        .set_bool("core.autocrlf", false)
        .expect("autocrlf");

    // A rename on disk (same content) and a new roadmap file.
    f.checkout();
    std::fs::rename(
        f.path().join("roadmaps/b.toml"),
        f.path().join("roadmaps/c.toml"),
    )
    .expect("mv");
    f.write("plans/new.toml", &roadmap("new", "2028"));
    let u = r.uncommitted().expect("uncommitted");
    assert_eq!(u.len(), 1);
    assert_eq!(
        u[0].files,
        vec![
            fc(None, Some("plans/new.toml")),
            fc(Some("roadmaps/b.toml"), Some("roadmaps/c.toml")),
        ]
    );
}

#[test]
fn history_unrelated_deleted_renamed_and_merged() {
    let mut f = Fixture::new();
    let a1 = roadmap("a", "2027-Q1");
    let c1 = f.commit(
        "add roadmaps",
        &[
            ("roadmaps/a.toml", Some(&a1)),
            ("roadmaps/b.toml", Some(&roadmap("b", "2027-Q1"))),
        ],
    );
    let _unrelated = f.commit("unrelated", &[("src/main.rs", Some("fn main() {}\n"))]);
    let _config = f.commit(
        "config",
        &[("roadmaps/settings.toml", Some("[settings]\nx = 1\n"))],
    );
    let c4 = f.commit(
        "slip a",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q2")))],
    );
    let c5 = f.commit("drop b", &[("roadmaps/b.toml", None)]);
    // Rename with the same content.
    let a2 = roadmap("a", "2027-Q2");
    let c6 = f.commit(
        "rename a",
        &[
            ("roadmaps/a.toml", None),
            ("roadmaps/alpha.toml", Some(&a2)),
        ],
    );
    // Rename with changed content but the same roadmap id.
    let c7 = f.commit(
        "move and slip",
        &[
            ("roadmaps/alpha.toml", None),
            ("plans/alpha.toml", Some(&roadmap("a", "2027-Q4"))),
        ],
    );
    let _unrelated2 = f.commit("unrelated 2", &[("src/main.rs", Some("fn main() { }\n"))]);

    let r = f.open();
    let h = history(&r);
    assert_eq!(ids(&h), ids_of(&[c7, c6, c5, c4, c1]));
    assert_eq!(
        h[0].files,
        vec![fc(Some("roadmaps/alpha.toml"), Some("plans/alpha.toml"))]
    );
    assert_eq!(h[0].summary, "move and slip");
    assert_eq!(h[0].author, "Tess Ter");
    assert_eq!(h[0].offset_minutes, 60);
    assert_eq!(h[0].parent, Some(commit_rev(r_parent(&f, c7))));
    assert_eq!(
        h[1].files,
        vec![fc(Some("roadmaps/a.toml"), Some("roadmaps/alpha.toml"))]
    );
    assert_eq!(h[2].files, vec![fc(Some("roadmaps/b.toml"), None)]);
    assert_eq!(
        h[3].files,
        vec![fc(Some("roadmaps/a.toml"), Some("roadmaps/a.toml"))]
    );
    assert_eq!(h[4].parent, None);
    assert_eq!(
        h[4].files,
        vec![
            fc(None, Some("roadmaps/a.toml")),
            fc(None, Some("roadmaps/b.toml"))
        ]
    );
    assert_git_log_matches(&f, &r);

    // One file's history follows it back through both renames.
    let of = |path: &str| -> Vec<(String, Option<String>)> {
        r.file_history(path)
            .unwrap()
            .into_iter()
            .map(|(e, p)| (format!("{:?}", e.rev), p))
            .collect()
    };
    let at = |c: Oid, p: Option<&str>| (format!("{:?}", commit_rev(c)), p.map(str::to_string));
    assert_eq!(
        of("plans/alpha.toml"),
        vec![
            at(c7, Some("plans/alpha.toml")),
            at(c6, Some("roadmaps/alpha.toml")),
            at(c4, Some("roadmaps/a.toml")),
            at(c1, Some("roadmaps/a.toml")),
        ]
    );
    assert_eq!(
        of("roadmaps/b.toml"),
        vec![at(c5, None), at(c1, Some("roadmaps/b.toml"))]
    );
}

fn ids_of(oids: &[Oid]) -> Vec<String> {
    oids.iter().map(Oid::to_string).collect()
}

fn r_parent(f: &Fixture, c: Oid) -> Oid {
    f.repo
        .find_commit(c)
        .expect("commit")
        .parent_id(0)
        .expect("parent")
}

#[test]
fn history_merges_follow_git_simplification() {
    let mut f = Fixture::new();
    let base = f.commit(
        "base",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q1")))],
    );
    let base_tree = f.repo.find_commit(base).expect("base").tree_id();

    // A side branch that slips the roadmap, merged into main where it was
    // unchanged: the merge is TREESAME to the side parent, not shown; the
    // side commit is.
    let t_side = f.tree(
        Some(base_tree),
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q2")))],
    );
    let side = f.commit_raw(None, &[base], t_side, "side: slip");
    let t_main = f.tree(Some(base_tree), &[("README.md", Some("main\n"))]);
    let main1 = f.commit_raw(Some("refs/heads/main"), &[base], t_main, "main: readme");
    let t_merge1 = f.tree(Some(t_side), &[("README.md", Some("main\n"))]);
    let merge1 = f.commit_raw(
        Some("refs/heads/main"),
        &[main1, side],
        t_merge1,
        "merge side",
    );

    // Two branches that both change the roadmap; the merge resolves to a
    // third content: shown, with its files against the first parent.
    let t_x = f.tree(
        Some(t_merge1),
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q3")))],
    );
    let x = f.commit_raw(None, &[merge1], t_x, "x: slip more");
    let t_y = f.tree(
        Some(t_merge1),
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q4")))],
    );
    let y = f.commit_raw(Some("refs/heads/main"), &[merge1], t_y, "y: slip most");
    let t_merge2 = f.tree(
        Some(t_y),
        &[("roadmaps/a.toml", Some(&roadmap("a", "2028-Q1")))],
    );
    let merge2 = f.commit_raw(Some("refs/heads/main"), &[y, x], t_merge2, "merge x");

    // A branch that changed nothing of the roadmap: never shown, and the
    // merge (TREESAME to its first parent) neither.
    let t_z = f.tree(Some(t_merge2), &[("src/lib.rs", Some("//\n"))]);
    let z = f.commit_raw(None, &[merge2], t_z, "z: code");
    let t_merge3 = f.tree(Some(t_merge2), &[("src/lib.rs", Some("//\n"))]);
    let merge3 = f.commit_raw(Some("refs/heads/main"), &[merge2, z], t_merge3, "merge z");
    f.checkout();

    let r = f.open();
    let h = history(&r);
    let got = ids(&h);
    assert!(
        !got.contains(&merge1.to_string()),
        "merge1 is TREESAME to side"
    );
    assert!(!got.contains(&merge3.to_string()));
    assert!(!got.contains(&main1.to_string()));
    let mut want = ids_of(&[merge2, y, x, side, base]);
    let mut sorted = got.clone();
    sorted.sort();
    want.sort();
    assert_eq!(sorted, want);
    let m = h
        .iter()
        .find(|e| e.rev == commit_rev(merge2))
        .expect("merge2");
    assert_eq!(m.parent, Some(commit_rev(y)));
    assert_eq!(
        m.files,
        vec![fc(Some("roadmaps/a.toml"), Some("roadmaps/a.toml"))]
    );
    assert_git_log_matches(&f, &r);
}

#[test]
fn history_of_a_top_level_roadmap_and_of_roadmaps_deleted_at_head() {
    let mut f = Fixture::new();
    let c1 = f.commit("add", &[("roadmap.toml", Some(&roadmap("r", "2027-Q1")))]);
    f.commit("cargo", &[("Cargo.toml", Some("[package]\n"))]);
    let c3 = f.commit("slip", &[("roadmap.toml", Some(&roadmap("r", "2027-Q2")))]);
    f.commit(
        "cargo 2",
        &[("Cargo.toml", Some("[package]\nname = \"x\"\n"))],
    );
    // A deeper non-roadmap TOML file is not tracked for a top-level roadmap.
    f.commit("nested", &[("sub/x.toml", Some("a = 1\n"))]);
    let r = f.open();
    assert_eq!(ids(&history(&r)), ids_of(&[c3, c1]));
    assert_git_log_matches(&f, &r);

    // Every roadmap deleted at HEAD: the whole tree is searched, the
    // history is still there.
    let c6 = f.commit("drop", &[("roadmap.toml", None)]);
    let c7 = f.commit("more code", &[("src/x.rs", Some("//\n"))]);
    let r = f.open();
    assert_eq!(
        r.roadmap_files(&commit_rev(c7)).expect("files"),
        Vec::<String>::new()
    );
    let h = history(&r);
    assert_eq!(ids(&h), ids_of(&[c6, c3, c1]));
    assert_eq!(h[0].files, vec![fc(Some("roadmap.toml"), None)]);
    assert_git_log_matches(&f, &r);
}

#[test]
fn a_repo_can_move_to_a_background_thread() {
    fn send<T: Send>() {}
    send::<Repo>();
    send::<RepoError>();
    send::<HistoryEntry>();
}

#[test]
fn detached_head_and_empty_repository() {
    let mut f = Fixture::new();
    let r = f.open();
    // Empty: no HEAD commit, no history, but the working tree is readable.
    assert_eq!(r.head().expect("head"), None);
    assert_eq!(history(&r), vec![]);
    assert!(matches!(r.resolve("HEAD"), Err(RepoError::Empty)));
    assert_eq!(
        r.roadmap_files(&Rev::WorkTree).expect("files"),
        Vec::<String>::new()
    );
    assert_eq!(
        r.roadmap_files(&Rev::Index).expect("files"),
        Vec::<String>::new()
    );
    f.write("roadmap.toml", &roadmap("r", "2027"));
    assert_eq!(
        r.roadmap_files(&Rev::WorkTree).expect("files"),
        ["roadmap.toml"]
    );
    assert!(
        r.read(&Rev::WorkTree, "roadmap.toml")
            .expect("read")
            .is_some()
    );
    let u = r.uncommitted().expect("uncommitted");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].parent, None);
    assert_eq!(u[0].files, vec![fc(None, Some("roadmap.toml"))]);

    let c1 = f.commit("one", &[("roadmap.toml", Some(&roadmap("r", "2027")))]);
    let c2 = f.commit("two", &[("roadmap.toml", Some(&roadmap("r", "2028")))]);
    f.repo.set_head_detached(c1).expect("detach");
    f.checkout();
    let r = f.open();
    assert!(f.repo.head_detached().expect("detached"));
    assert_eq!(r.head().expect("head"), Some(commit_rev(c1)));
    assert_eq!(ids(&history(&r)), ids_of(&[c1]));
    assert_eq!(r.resolve("main").expect("main"), commit_rev(c2));
    assert_eq!(r.uncommitted().expect("uncommitted"), vec![]);
}

#[test]
fn linked_worktree_and_subdirectory() {
    let mut f = Fixture::new();
    let c1 = f.commit("one", &[("plans/a.toml", Some(&roadmap("a", "2027-Q1")))]);
    let wt_parent = tempfile::tempdir().expect("tempdir");
    let wt_path = wt_parent.path().join("wt");
    let wt = f.repo.worktree("wt", &wt_path, None).expect("worktree");
    assert!(wt.validate().is_ok());
    std::fs::write(wt_path.join("plans/a.toml"), roadmap("a", "2027-Q4")).expect("write");

    let r = Repo::discover(&wt_path.join("plans")).expect("discover worktree");
    assert_eq!(
        r.workdir().map(|p| p.canonicalize().expect("canon")),
        Some(wt_path.canonicalize().expect("canon"))
    );
    assert_eq!(r.head().expect("head"), Some(commit_rev(c1)));
    assert_eq!(ids(&history(&r)), ids_of(&[c1]));
    let u = r.uncommitted().expect("uncommitted");
    assert_eq!(u.len(), 1);
    assert_eq!(
        u[0].files,
        vec![fc(Some("plans/a.toml"), Some("plans/a.toml"))]
    );
    // The main checkout is untouched by the worktree's edit.
    assert_eq!(f.open().uncommitted().expect("uncommitted"), vec![]);
    // A file path opens the repository holding it.
    let r2 = Repo::discover(&f.path().join("plans/a.toml")).expect("discover file");
    assert_eq!(r2.head().expect("head"), Some(commit_rev(c1)));
}

#[test]
fn not_a_repository_is_a_clear_error() {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    match Repo::discover(dir.path()) {
        Err(RepoError::NotARepo(p)) => assert!(p.contains(&*dir.path().to_string_lossy()), "{p}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a temp dir is no repository"),
    }
    let e = Repo::discover(&dir.path().join("missing")).expect_err("missing");
    assert!(e.to_string().contains("missing"), "{e}");
}

#[test]
fn shallow_clone() {
    let mut f = Fixture::new();
    f.commit(
        "one",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q1")))],
    );
    f.commit(
        "two",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q2")))],
    );
    let c3 = f.commit("three", &[("README.md", Some("x\n"))]);
    let dest = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", f.path().display());
    let Some(_) = git_out(dest.path(), &["clone", "-q", "--depth", "1", &url, "clone"]) else {
        return;
    };
    let r = Repo::discover(&dest.path().join("clone")).expect("discover");
    assert!(r.is_shallow());
    assert_eq!(r.head().expect("head"), Some(commit_rev(c3)));
    let h = history(&r);
    // The shallow boundary acts as a root: the file appears as added there.
    assert_eq!(ids(&h), ids_of(&[c3]));
    assert_eq!(h[0].parent, None);
    assert_eq!(h[0].files, vec![fc(None, Some("roadmaps/a.toml"))]);
    assert!(matches!(
        r.resolve("HEAD~1"),
        Err(RepoError::UnknownRevision(_))
    ));
    assert_git_log_matches_at(&dest.path().join("clone"), &r);
}

// ------------------------------------------------------------------ read-only

#[test]
fn every_method_leaves_the_repository_byte_identical() {
    let mut f = Fixture::new();
    f.commit(
        "one",
        &[("roadmaps/a.toml", Some(&roadmap("a", "2027-Q1")))],
    );
    f.commit(
        "two",
        &[
            ("roadmaps/a.toml", Some(&roadmap("a", "2027-Q2"))),
            ("x.txt", Some("x")),
        ],
    );
    f.commit(
        "three",
        &[
            ("roadmaps/a.toml", None),
            ("roadmaps/b.toml", Some(&roadmap("a", "2027-Q2"))),
        ],
    );
    f.write("roadmaps/b.toml", &roadmap("a", "2027-Q3"));
    f.stage("roadmaps/b.toml");
    f.write("roadmaps/b.toml", &roadmap("a", "2027-Q4"));
    f.write("roadmaps/c.toml", &roadmap("c", "2027-Q4"));
    // Make the index's stat data stale, as after a checkout by another tool:
    // a refreshing status call would rewrite it.
    let idx = f.path().join("roadmaps/b.toml");
    let t = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&idx)
        .and_then(|file| file.set_modified(t))
        .expect("touch");

    let before = snapshot_dir(f.path());
    let r = f.open();
    let head = r.head().expect("head").expect("a commit");
    for spec in ["HEAD", "HEAD~2", "main", "nope", "2099-01-01"] {
        let _ = r.resolve(spec);
    }
    let _ = r.workdir();
    for rev in [head.clone(), Rev::Index, Rev::WorkTree] {
        for p in r.roadmap_files(&rev).expect("files") {
            let _ = r.read(&rev, &p).expect("read");
        }
        let _ = r.read(&rev, "missing.toml").expect("read");
    }
    assert_eq!(r.uncommitted().expect("uncommitted").len(), 2);
    assert_eq!(history(&r).len(), 3);
    drop(r);
    let after = snapshot_dir(f.path());
    assert_same_snapshot(&before, &after);
}

// ------------------------------------------------------------------ git log

fn assert_git_log_matches(f: &Fixture, r: &Repo) {
    assert_git_log_matches_at(f.path(), r);
}

/// Our history lists exactly the commits, in the same order, as
/// `git log -- <the roadmap paths>` (skipped without the git CLI).
fn assert_git_log_matches_at(dir: &Path, r: &Repo) {
    let mut walk = r.history().expect("history");
    let mut ours = Vec::new();
    for e in walk.by_ref() {
        ours.push(e.expect("entry").rev.commit().unwrap_or("").to_string());
    }
    let paths = walk.paths();
    let mut args = vec!["--literal-pathspecs", "log", "--format=%H", "--"];
    args.extend(paths.iter().map(String::as_str));
    let Some(out) = git_out(dir, &args) else {
        return;
    };
    let theirs: Vec<String> = out.lines().map(str::to_string).collect();
    assert_eq!(ours, theirs, "paths: {paths:?}");
}

/// A small deterministic pseudo-random generator (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn history_equals_git_log_on_a_branchy_history() {
    let mut f = Fixture::new();
    let mut rng = Lcg(7);
    let files = ["roadmaps/a.toml", "roadmaps/b.toml", "roadmaps/team/c.toml"];
    let others = [
        "src/a.rs",
        "src/b.rs",
        "docs/x.md",
        "Cargo.toml",
        "roadmaps/settings.toml",
    ];
    let mut tips: Vec<Oid> = Vec::new();
    let first = f.tree(
        None,
        &[
            (files[0], Some(&roadmap("a", "2027-Q1"))),
            ("src/a.rs", Some("0")),
        ],
    );
    let root = f.commit_raw(Some("refs/heads/main"), &[], first, "root");
    tips.push(root);
    let mut main = root;
    for i in 0..160u64 {
        let tree_of = |f: &Fixture, c: Oid| f.repo.find_commit(c).expect("c").tree_id();
        let roll = rng.below(10);
        if roll == 0 && tips.len() > 1 {
            // Merge a side tip into main; sometimes resolving the roadmap.
            let side = tips.remove(1 + rng.below(tips.len() as u64 - 1) as usize);
            let mut t = tree_of(&f, main);
            if rng.below(2) == 0 {
                let s = f
                    .repo
                    .find_commit(side)
                    .expect("side")
                    .tree()
                    .expect("tree");
                if let Ok(e) = s.get_path(Path::new(files[0])) {
                    let blob = f.repo.find_blob(e.id()).expect("blob");
                    let text = String::from_utf8_lossy(blob.content()).into_owned();
                    t = f.tree(Some(t), &[(files[0], Some(&text))]);
                }
            }
            if rng.below(3) == 0 {
                t = f.tree(
                    Some(t),
                    &[(files[1], Some(&roadmap("b", &format!("{}", 2027 + i))))],
                );
            }
            // Same commit time as its parent now and then (tie order).
            if rng.below(4) == 0 {
                f.time -= 60;
            }
            main = f.commit_raw(
                Some("refs/heads/main"),
                &[main, side],
                t,
                &format!("merge {i}"),
            );
            tips[0] = main;
            continue;
        }
        // A commit on main or on a side branch (new or existing).
        let on = if roll < 3 {
            tips.push(main);
            tips.len() - 1
        } else if roll < 6 && tips.len() > 1 {
            1 + rng.below(tips.len() as u64 - 1) as usize
        } else {
            0
        };
        let parent = tips[on];
        let what = rng.below(10);
        let change: Vec<(String, Option<String>)> = match what {
            0..=2 => {
                let p = files[rng.below(3) as usize];
                let id = Path::new(p)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("x");
                vec![(
                    p.to_string(),
                    Some(roadmap(id, &format!("{}-Q{}", 2027 + i % 5, 1 + i % 4))),
                )]
            }
            3 if i % 7 == 0 => vec![(files[1].to_string(), None)],
            4 if i % 5 == 0 => vec![(files[2].to_string(), Some("broken = [\n".to_string()))],
            _ => {
                let p = others[rng.below(others.len() as u64) as usize];
                vec![(p.to_string(), Some(format!("# {i}\n")))]
            }
        };
        let change_ref: Vec<(&str, Option<&str>)> = change
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_deref()))
            .collect();
        let t = f.tree(Some(tree_of(&f, parent)), &change_ref);
        let refname = if on == 0 {
            Some("refs/heads/main")
        } else {
            None
        };
        let c = f.commit_raw(refname, &[parent], t, &format!("commit {i}"));
        tips[on] = c;
        if on == 0 {
            main = c;
        }
    }
    f.checkout();
    let r = f.open();
    let h = history(&r);
    assert!(h.len() > 20, "{}", h.len());
    assert_git_log_matches(&f, &r);
}
