//! Where every command's output goes when it cannot be written: a full disk
//! (`> /dev/full`) is reported on stderr with exit 1, a closed pipe ends
//! quietly with exit 141 (as git under a shell); never a panic (exit 101),
//! never exit 0 after a failed write. Plus the command-line plumbing: `-C`,
//! exit codes, typed errors.

mod common;
use common::{new_repo, write_file};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-roadmaps")
            .join(name),
    )
    .expect("sample roadmap")
}

/// Stage everything under `paths` and commit it.
fn commit(repo: &git2::Repository, paths: &[&str], msg: &str, time: i64) {
    let mut index = repo.index().expect("index");
    for p in paths {
        index.add_path(Path::new(p)).expect("add");
    }
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig =
        git2::Signature::new("Ada", "ada@example.com", &git2::Time::new(time, 0)).expect("sig");
    let parent = repo
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|id| repo.find_commit(id).expect("parent"));
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit");
}

/// A repository with two commits of a roadmap and an uncommitted edit.
fn repo_with_history() -> TempDir {
    let (dir, repo) = new_repo();
    let pump = sample("smart-pump.toml");
    write_file(dir.path(), "roadmaps/pump.toml", &pump);
    commit(&repo, &["roadmaps/pump.toml"], "First plan", 1_800_000_000);
    let v2 = pump.replacen("target = \"2027-Q3\"", "target = \"2027-Q4\"", 1);
    assert_ne!(v2, pump, "the sample has a 2027-Q3 target");
    write_file(dir.path(), "roadmaps/pump.toml", &v2);
    commit(&repo, &["roadmaps/pump.toml"], "Slip v1", 1_800_086_400);
    let v3 = v2.replacen("target = \"2027-Q4\"", "target = \"2028-Q1\"", 1);
    write_file(dir.path(), "roadmaps/pump.toml", &v3);
    dir
}

fn command(dir: &Path, args: &[&str]) -> Command {
    common::roadlens_cmd(dir, args)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("run roadlens")
}

/// Run with stdout on `/dev/full`.
fn to_full_disk(dir: &Path, args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    command(dir, args)
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .expect("run roadlens")
}

/// Run with stdout on a pipe whose reading end is already closed.
fn to_closed_pipe(dir: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    command(dir, args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run roadlens")
}

/// Every command and format that prints something, with the exit code it
/// has when its output can be written.
fn printing_commands(broken: &str) -> Vec<(Vec<&str>, i32)> {
    let mut v: Vec<(Vec<&str>, i32)> = vec![
        (vec!["--help"], 0),
        (vec!["--version"], 0),
        (vec!["log", "--help"], 0),
        (vec!["check"], 0),
        (vec!["check", broken], 1),
        (vec!["diff", "--raw"], 0),
        (vec!["diff", "HEAD~1", "HEAD", "--raw"], 0),
        (vec!["log", "--entity", "v1"], 0),
        (vec!["-C", "roadmaps", "show", "pump.toml"], 0),
    ];
    for f in ["text", "markdown", "json"] {
        v.push((vec!["show", "--format", f], 0));
        v.push((vec!["show", "--at", "HEAD~1", "--format", f], 0));
        v.push((vec!["diff", "--format", f], 0));
        v.push((vec!["diff", "HEAD~1", "HEAD", "--format", f], 0));
        v.push((vec!["log", "--format", f], 0));
        v.push((vec!["log", "--entity", "v1", "--format", f], 0));
    }
    v
}

/// The repository, and a directory outside it with a broken roadmap.
fn fixture_for_printing() -> (TempDir, TempDir, String) {
    let dir = repo_with_history();
    let other = tempfile::tempdir().expect("tempdir");
    write_file(
        other.path(),
        "broken.toml",
        "[roadmap]\nid = \"b\"\ntitle = \n",
    );
    let broken = other.path().join("broken.toml").display().to_string();
    (dir, other, broken)
}

#[test]
fn every_command_prints_when_it_can() {
    let (dir, _other, broken) = fixture_for_printing();
    for (args, code) in printing_commands(&broken) {
        let out = run(dir.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
}

#[test]
fn a_full_disk_is_reported_with_exit_1() {
    let (dir, _other, broken) = fixture_for_printing();
    for (args, _) in printing_commands(&broken) {
        let out = to_full_disk(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("roadlens: cannot write output: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_141() {
    let (dir, _other, broken) = fixture_for_printing();
    for (args, _) in printing_commands(&broken) {
        let out = to_closed_pipe(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
        // Diagnostics of `check` go to stdout; nothing else is said.
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn git_diff_driver_and_demo_use_the_same_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pump = sample("smart-pump.toml");
    write_file(dir.path(), "old.toml", &pump);
    write_file(
        dir.path(),
        "new.toml",
        &pump.replacen("2027-Q3", "2027-Q4", 1),
    );
    let driver = [
        "git-diff",
        "pump.toml",
        "old.toml",
        "0000000",
        "100644",
        "new.toml",
        "0000000",
        "100644",
    ];
    assert_eq!(run(dir.path(), &driver).status.code(), Some(0));
    let full = to_full_disk(dir.path(), &driver);
    assert_eq!(full.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&full.stderr).contains("roadlens: cannot write output"));
    assert_eq!(to_closed_pipe(dir.path(), &driver).status.code(), Some(141));

    let demo_full = to_full_disk(dir.path(), &["demo", "built-full"]);
    assert_eq!(demo_full.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&demo_full.stderr).contains("roadlens: cannot write output"));
    let demo_pipe = to_closed_pipe(dir.path(), &["demo", "built-pipe"]);
    assert_eq!(demo_pipe.status.code(), Some(141));
    assert!(demo_pipe.stderr.is_empty());
}

#[test]
fn stderr_that_cannot_be_written_is_no_panic() {
    let (dir, _other, broken) = fixture_for_printing();
    let full = || {
        Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        )
    };
    for args in [
        &["check", &broken][..],
        &["show", &broken],
        &["diff", "nosuchrev"],
    ] {
        let out = command(dir.path(), args)
            .stdout(full())
            .stderr(full())
            .status()
            .expect("run");
        assert!(matches!(out.code(), Some(1 | 2)), "{args:?}: {out:?}");
    }
}

// ------------------------------------------------------------------ -C

#[test]
fn dash_c_before_or_after_the_subcommand() {
    let dir = repo_with_history();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_str().expect("utf-8 path");
    for args in [
        vec!["-C", root, "check"],
        vec!["check", "-C", root],
        vec!["-C", root, "log", "-n", "1"],
        vec!["-C", root, "diff"],
        vec!["-C", root, "show", "roadmaps"],
    ] {
        let out = run(elsewhere.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let missing = run(elsewhere.path(), &["-C", "no/such/dir", "check"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("roadlens: cannot change to"));
    // TUI options do not mix with a subcommand.
    let mixed = run(elsewhere.path(), &["--mouse", "check"]);
    assert_eq!(mixed.status.code(), Some(2));
}

// ------------------------------------------------------------------ log --entity

#[test]
fn log_entity_unknown_is_an_error_on_stderr() {
    let (dir, repo) = new_repo();
    let pump = sample("smart-pump.toml");
    write_file(dir.path(), "pump.toml", &pump);
    commit(&repo, &["pump.toml"], "Plan", 1_800_000_000);
    // An internal feature id of the sample.
    let internal = internal_feature(&pump);
    let unknown = run(dir.path(), &["log", "--entity", "nosuch"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(unknown.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "roadlens log: no entity `nosuch` in the roadmap history\n"
    );
    // Under the sales lens an internal id answers exactly as an unknown one.
    let sales = |id: &str| {
        let o = run(dir.path(), &["log", "--entity", id, "--lens", "sales"]);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).replace(id, "ID"),
        )
    };
    let (a, b) = (sales("nosuch"), sales(&internal));
    assert_eq!(a, b);
    assert_eq!(a.0, Some(1));
    assert!(a.1.is_empty());
    // The internal id is known without the lens.
    assert_eq!(
        run(dir.path(), &["log", "--entity", &internal])
            .status
            .code(),
        Some(0)
    );
}

/// The id of the first feature with `visibility = "internal"`.
fn internal_feature(src: &str) -> String {
    let doc: toml::Table = toml::from_str(src).expect("toml");
    doc["feature"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f.get("visibility").and_then(|v| v.as_str()) == Some("internal"))
        .and_then(|f| f["id"].as_str())
        .expect("an internal feature in the sample")
        .to_string()
}

// ------------------------------------------------------------------ small ones

#[test]
fn a_tree_is_no_revision_to_compare() {
    let dir = repo_with_history();
    for args in [
        &["diff", "HEAD^{tree}"][..],
        &["diff", "HEAD^{tree}", "HEAD"],
        &["diff", "no-such-rev"],
        &["show", "--at", "HEAD^{tree}"],
    ] {
        let out = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let tree = run(dir.path(), &["diff", "HEAD^{tree}"]);
    assert_eq!(
        String::from_utf8_lossy(&tree.stderr),
        "roadlens diff: `HEAD^{tree}` does not name a commit\n"
    );
}

#[test]
fn show_names_files_as_check_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_file(dir.path(), "a.toml", &sample("smart-pump.toml"));
    write_file(dir.path(), "b.toml", &sample("pulse-analytics.toml"));
    let show = String::from_utf8(run(dir.path(), &["show"]).stdout).expect("utf-8");
    assert!(
        show.contains("\na.toml\n") && show.contains("\nb.toml\n"),
        "{show}"
    );
    assert!(!show.contains("./"), "{show}");
    let json =
        String::from_utf8(run(dir.path(), &["show", "--format", "json"]).stdout).expect("utf-8");
    assert!(json.contains("\"path\": \"a.toml\""), "{json}");
}

#[test]
fn a_huge_commit_subject_is_cut_in_text_and_whole_in_json() {
    let (dir, repo) = new_repo();
    write_file(dir.path(), "pump.toml", &sample("smart-pump.toml"));
    let subject = "x".repeat(10 * 1024 * 1024);
    commit(&repo, &["pump.toml"], &subject, 1_800_000_000);
    let text = run(dir.path(), &["log"]);
    assert_eq!(text.status.code(), Some(0));
    let line = String::from_utf8(text.stdout).expect("utf-8");
    assert!(line.len() < 1_000, "{} bytes", line.len());
    assert!(line.contains(&format!("{}…", "x".repeat(199))), "{line}");
    let md = run(dir.path(), &["log", "--format", "markdown"]);
    assert!(md.stdout.len() < 1_000);
    let json = run(dir.path(), &["log", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v[0]["summary"].as_str().map(str::len), Some(subject.len()));
}

/// A `ROADLENS_TODAY` that is not a day is said, not silently ignored.
#[test]
fn an_invalid_roadlens_today_is_said() {
    let dir = repo_with_history();
    for bad in ["garbage", "2027-02-30"] {
        let o = command(dir.path(), &["check"])
            .env("ROADLENS_TODAY", bad)
            .output()
            .expect("run roadlens");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(&format!(
                "warning: ROADLENS_TODAY={bad} is not a day (YYYY-MM-DD), so it is ignored"
            )),
            "{err}"
        );
    }
    let o = run(dir.path(), &["check"]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("ROADLENS_TODAY"));
}
