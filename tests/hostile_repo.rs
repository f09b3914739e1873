//! Hostile working trees and repositories: FIFOs and devices named `*.toml`,
//! trees deeper than git allows, corrupt objects, replace refs. Each command
//! runs as a subprocess under a hang guard: it must finish (within a deadline
//! far above its normal run time), never abort, never spin.

mod common;
use common::{new_repo, write_file};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Far above any normal run: only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(60);

const ROADMAP: &str = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n\n[[feature]]\nid = \"alerts\"\ntitle = \"Alerts\"\nrelease = \"v1\"\ncustomer_value = \"Get alerts.\"\n  [[feature.work]]\n  layer = \"hardware\"\n  title = \"Sensor\"\n";

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = common::roadlens_cmd(dir, args);
    c.stdin(Stdio::null());
    c
}

/// Run roadlens; fail the test (and kill it) when it does not finish before
/// [`DEADLINE`]. This is a hang check, not a timing: the deadline is far
/// above the normal run time.
fn run(dir: &Path, args: &[&str]) -> Output {
    let child = command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn roadlens");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(out) => {
            let out = out.expect("wait");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked") && out.status.code() != Some(101),
                "roadlens {args:?} panicked: {stderr}"
            );
            assert!(
                out.status.code().is_some(),
                "roadlens {args:?} died: {out:?}"
            );
            out
        }
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("roadlens {args:?} hung");
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn commit_all(repo: &git2::Repository, msg: &str, time: i64) -> git2::Oid {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = index.write_tree().expect("tree");
    commit_tree(repo, tree, msg, time)
}

fn commit_tree(repo: &git2::Repository, tree: git2::Oid, msg: &str, time: i64) -> git2::Oid {
    let tree = repo.find_tree(tree).expect("tree");
    let sig =
        git2::Signature::new("Ada", "ada@example.com", &git2::Time::new(time, 0)).expect("sig");
    let parent = repo
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|id| repo.find_commit(id).expect("parent"));
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit")
}

// ------------------------------------------------------------------ FIFOs

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn fifos_and_devices_named_toml_never_block() {
    let (dir, repo) = new_repo();
    write_file(dir.path(), "plan.toml", ROADMAP);
    commit_all(&repo, "Plan", 1_800_000_000);
    if !mkfifo(&dir.path().join("pipe.toml")) {
        eprintln!("mkfifo not available: skipping");
        return;
    }
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::os::unix::fs::symlink("../pipe.toml", dir.path().join("sub/link.toml")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.toml")).expect("link");

    for args in [
        &["check"][..],
        &["show"],
        &["show", "--format", "json"],
        &["diff"],
        &["diff", "--raw"],
        &["diff", "--staged"],
        &["log"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // Discovery leaves them out: only the real roadmap is checked.
    let check = run(dir.path(), &["check"]);
    assert_eq!(
        text(&check.stdout),
        "1 roadmap file checked: 0 errors, 0 warnings\n"
    );
    // Named by the user, they are reported.
    for (name, kind) in [
        ("pipe.toml", "a FIFO"),
        ("sub/link.toml", "a FIFO"),
        ("zero.toml", "a device"),
    ] {
        let out = run(dir.path(), &["check", name]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!("cannot read file: not a regular file ({kind})")),
            "{name}: {stdout}"
        );
        let show = run(dir.path(), &["show", name]);
        assert_eq!(show.status.code(), Some(1), "{name}");
    }
}

// ------------------------------------------------------------------ deep trees

/// A tree holding `d/d/…/d/deep.toml` with `levels` directories, and
/// `long.toml` next to the `d` that is `at` levels from the top.
fn deep_tree(repo: &git2::Repository, levels: usize, at: usize) -> git2::Oid {
    let blob = |id: &str| {
        repo.blob(ROADMAP.replace("\"p\"", &format!("\"{id}\"")).as_bytes())
            .expect("blob")
    };
    let (deep, long) = (blob("deep"), blob("long"));
    let mut b = repo.treebuilder(None).expect("builder");
    b.insert("deep.toml", deep, 0o100644).expect("insert");
    let mut id = b.write().expect("tree");
    for level in (0..levels).rev() {
        let mut b = repo.treebuilder(None).expect("builder");
        b.insert("d", id, 0o040000).expect("insert");
        if level == at {
            b.insert("long.toml", long, 0o100644).expect("insert");
        }
        id = b.write().expect("tree");
    }
    id
}

#[test]
fn a_tree_deeper_than_git_allows_is_left_out_and_reported() {
    let (dir, repo) = new_repo();
    write_file(dir.path(), "plan.toml", ROADMAP);
    commit_all(&repo, "Plan", 1_800_000_000);
    // HEAD: the plan changed, plus a roadmap at the bottom of 20,000 levels
    // and one at 3,000 (within git's limit, but a path too long for disk).
    let plan = repo
        .blob(ROADMAP.replace("2027-Q3", "2027-Q4").as_bytes())
        .expect("blob");
    // Each tree written is checked by libgit2 against the object database
    // unless told otherwise: 20,000 lookups for nothing.
    git2::opts::strict_object_creation(false);
    let deep = deep_tree(&repo, 20_000, 3_000);
    let mut b = repo.treebuilder(None).expect("builder");
    b.insert("plan.toml", plan, 0o100644).expect("insert");
    b.insert("deep", deep, 0o040000).expect("insert");
    let root = b.write().expect("tree");
    commit_tree(&repo, root, "Slip, and a crafted tree", 1_800_086_400);

    let diff = run(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    let (stdout, stderr) = (text(&diff.stdout), text(&diff.stderr));
    assert_eq!(diff.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("slipped by 1 quarter"), "{stdout}");
    assert!(stdout.contains("long.toml"), "{stdout}");
    assert!(!stdout.contains("deep.toml"), "{stdout}");
    assert!(
        stderr.contains("roadlens: warning: a tree nested deeper than 4096 levels (under `deep/`)"),
        "{stderr}"
    );

    for args in [
        &["log"][..],
        &["log", "--format", "json"],
        &["diff"],
        &["diff", "--staged"],
        &["show", "--at", "HEAD"],
        &["diff", "HEAD~1", "HEAD", "--raw"],
    ] {
        let out = run(dir.path(), args);
        let stderr = text(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("too long"), "{args:?}: {stderr}");
    }
    let log = run(dir.path(), &["log"]);
    assert_eq!(log.status.code(), Some(0), "{}", text(&log.stderr));
    assert!(text(&log.stdout).contains("Slip, and a crafted tree"));
    assert!(text(&log.stderr).contains("deeper than 4096 levels"));
}

// ------------------------------------------------------------------ corrupt objects

/// Cut the loose object `id` to half its length.
fn truncate_loose(dir: &Path, id: git2::Oid) {
    let hex = id.to_string();
    let path = dir.join(".git/objects").join(&hex[..2]).join(&hex[2..]);
    let len = std::fs::metadata(&path).expect("a loose object").len();
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.set_len(len / 2).expect("truncate");
}

/// Three commits of a roadmap big enough that its blob does not inflate in
/// one go; returns the repository and (commits, blobs) oldest first.
fn three_versions() -> (tempfile::TempDir, Vec<git2::Oid>, Vec<git2::Oid>) {
    let (dir, repo) = new_repo();
    let mut commits = Vec::new();
    let mut blobs = Vec::new();
    for (i, target) in ["2027-Q3", "2027-Q4", "2028-Q1"].iter().enumerate() {
        let mut text = ROADMAP.replace("2027-Q3", target);
        for n in 0..200 {
            text.push_str(&format!(
                "\n[[feature]]\nid = \"f{n}\"\ntitle = \"Feature {n} {i}\"\nrelease = \"v1\"\ncustomer_value = \"Value {n}.\"\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"Work {n}\"\n"
            ));
        }
        write_file(dir.path(), "plan.toml", &text);
        commits.push(commit_all(
            &repo,
            &format!("Version {i}"),
            1_800_000_000 + i as i64 * 86_400,
        ));
        blobs.push(repo.blob(text.as_bytes()).expect("blob"));
    }
    (dir, commits, blobs)
}

#[test]
fn a_truncated_loose_object_is_an_error_naming_it_never_a_hang() {
    // The blob of the middle version.
    let (dir, _, blobs) = three_versions();
    truncate_loose(dir.path(), blobs[1]);
    let sha = blobs[1].to_string();
    for args in [
        &["show", "--at", "HEAD~1"][..],
        &["diff", "HEAD~1", "HEAD"],
        &["diff", "HEAD~2", "HEAD~1"],
        &["log"],
        &["log", "--format", "json"],
        &["log", "--entity", "v1"],
    ] {
        let out = run(dir.path(), args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("corrupt object {sha}")),
            "{args:?}: {stderr}"
        );
    }
    // What does not need it still works.
    assert_eq!(
        run(dir.path(), &["show", "--at", "HEAD"]).status.code(),
        Some(0)
    );
    assert_eq!(run(dir.path(), &["diff"]).status.code(), Some(0));
}

#[test]
fn truncated_commits_and_trees_are_errors_too() {
    let (dir, commits, _) = three_versions();
    let repo = git2::Repository::open(dir.path()).expect("open");
    let tree = repo.find_commit(commits[1]).expect("commit").tree_id();
    truncate_loose(dir.path(), tree);
    truncate_loose(dir.path(), commits[0]);
    for (args, bad) in [
        (&["show", "--at", "HEAD~1"][..], tree),
        (&["diff", "HEAD~1", "HEAD"], tree),
        (&["log"], tree),
        (&["show", "--at", "HEAD~2"], commits[0]),
        (&["diff", "HEAD~2"], commits[0]),
        (&["diff", &commits[0].to_string()], commits[0]),
    ] {
        let out = run(dir.path(), args);
        let stderr = text(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("corrupt object {bad}")),
            "{args:?}: {stderr}"
        );
    }
}

/// A bare repository has no index: `diff --staged` and `check --staged` say
/// so (libgit2's empty index made every roadmap look removed).
#[test]
fn a_bare_repository_has_nothing_staged() {
    let (dir, repo) = new_repo();
    write_file(dir.path(), "plan.toml", ROADMAP);
    commit_all(&repo, "Plan", 1_800_000_000);
    let bare = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", dir.path().display());
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(&url, &bare.path().join("b.git"))
        .expect("bare clone");
    let at = bare.path().join("b.git");
    for args in [
        &["diff", "--staged", "--exit-code"][..],
        &["check", "--staged"],
    ] {
        let out = run(&at, args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(
            text(&out.stderr).contains("bare repository has no index"),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stdout).contains("removed"), "{args:?}");
    }
    // History still reads.
    assert_eq!(run(&at, &["log"]).status.code(), Some(0));
}
