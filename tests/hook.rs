//! roadlens as a real pre-commit hook: `git commit` runs
//! `.git/hooks/pre-commit`, which runs the built binary. What is checked is
//! what is about to be committed: the index, or under `git commit -a` /
//! `git commit PATH` the temporary index git names in `GIT_INDEX_FILE`.

mod common;
use common::git_cli;
use std::path::Path;
use std::process::Output;

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");

const GOOD: &str = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n";

fn slipped() -> String {
    GOOD.replace("2027-Q3", "2027-Q4")
}

fn broken() -> String {
    GOOD.replace("2027-Q3", "2027-Q9")
}

fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    Some(
        git_cli(dir)?
            .env("ROADLENS_TODAY", "2027-05-10")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("run git"),
    )
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args).expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn head(dir: &Path) -> String {
    let out = git(dir, &["rev-parse", "HEAD"]).expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository with one good commit and the hook installed; None without
/// the git CLI. The hook also keeps `diff --staged` in `diff.out` beside
/// the repository.
fn setup() -> Option<tempfile::TempDir> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).expect("mkdir");
    git(&dir, &["init", "-q", "-b", "main"])?;
    git_ok(&dir, &["config", "user.name", "Ada"]);
    git_ok(&dir, &["config", "user.email", "ada@example.com"]);
    git_ok(&dir, &["config", "core.autocrlf", "false"]);
    std::fs::write(dir.join("plan.toml"), GOOD).expect("write");
    git_ok(&dir, &["add", "plan.toml"]);
    git_ok(&dir, &["commit", "-qm", "Plan"]);
    let hook = dir.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks")).expect("mkdir");
    let out = tmp.path().join("diff.out");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n\"{BIN}\" diff --staged > \"{}\"\nexec \"{BIN}\" check --staged\n",
            out.display()
        ),
    )
    .expect("hook");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    Some(tmp)
}

fn commit(dir: &Path, args: &[&str]) -> Output {
    let mut a = vec!["commit", "-q", "-m", "Next"];
    a.extend_from_slice(args);
    git(dir, &a).expect("git")
}

#[test]
fn a_broken_staged_file_is_refused_though_the_working_copy_is_good() {
    let Some(tmp) = setup() else { return };
    let dir = tmp.path().join("repo");
    let before = head(&dir);
    std::fs::write(dir.join("plan.toml"), broken()).expect("write");
    git_ok(&dir, &["add", "plan.toml"]);
    std::fs::write(dir.join("plan.toml"), slipped()).expect("write");

    let out = commit(&dir, &[]);
    assert!(!out.status.success(), "a broken roadmap was committed");
    assert_eq!(head(&dir), before);
    // git sends a hook's stdout to its stderr.
    let stdout = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("plan.toml:8:10: error"), "{stdout}");
    assert!(
        stdout.contains("1 staged roadmap file checked: 1 error"),
        "{stdout}"
    );

    // `commit -a` commits the good working copy: the hook lets it through
    // and `diff --staged` shows what the commit changes.
    let out = commit(&dir, &["-a"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(head(&dir), before);
    let diff = std::fs::read_to_string(tmp.path().join("diff.out")).expect("diff.out");
    assert!(
        diff.contains("slipped by 1 quarter: 2027-Q3 → 2027-Q4"),
        "{diff}"
    );
}

#[test]
fn commit_all_and_commit_path_check_the_working_copy_they_commit() {
    let Some(tmp) = setup() else { return };
    let dir = tmp.path().join("repo");
    let before = head(&dir);
    // The index is good; the working copy about to be committed is not.
    std::fs::write(dir.join("plan.toml"), broken()).expect("write");
    for args in [&["-a"][..], &["plan.toml"], &["--include", "plan.toml"]] {
        let out = commit(&dir, args);
        assert!(
            !out.status.success(),
            "{args:?}: a broken roadmap was committed"
        );
        assert_eq!(head(&dir), before, "{args:?}");
        // git sends a hook's stdout to its stderr.
        let stdout = String::from_utf8_lossy(&out.stderr);
        assert!(
            stdout.contains("plan.toml:8:10: error"),
            "{args:?}: {stdout}"
        );
    }
    // A plain commit of the (good, unchanged) index is not stopped by the
    // broken working copy.
    std::fs::write(dir.join("other.txt"), "x").expect("write");
    git_ok(&dir, &["add", "other.txt"]);
    let out = commit(&dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
