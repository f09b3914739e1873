//! roadlens sees the working tree as git does: while `git status` is clean
//! there is no uncommitted roadmap change, whatever the line ends
//! (`core.autocrlf`, `.gitattributes`), ignore rules, submodules and
//! symbolic links. Built with the git CLI (skipped without it).

mod common;
use common::git_cli;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");

const PLAN: &str = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n\n[[feature]]\nid = \"alerts\"\ntitle = \"Alerts\"\nrelease = \"v1\"\ncustomer_value = \"\"\"\nLine one.\nLine two.\n\"\"\"\n";

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = git_cli(dir)?
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A new repository with `plan.toml` committed; None without git.
fn repo(config: &[(&str, &str)]) -> Option<(tempfile::TempDir, PathBuf)> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).expect("mkdir");
    git(&dir, &["init", "-q", "-b", "main"])?;
    for (k, v) in [("user.name", "Ada"), ("user.email", "ada@example.com")]
        .iter()
        .chain(config)
    {
        git(&dir, &["config", k, v]);
    }
    std::fs::write(dir.join("plan.toml"), PLAN).expect("write");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "Plan"]);
    Some((tmp, dir))
}

fn roadlens(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens");
    let code = out.status.code().expect("exit code");
    assert!(
        code != 101,
        "roadlens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// git status is clean, and roadlens sees no uncommitted change either.
fn assert_no_phantom(dir: &Path) {
    assert_eq!(git(dir, &["status", "--porcelain"]).expect("git"), "");
    let (code, diff) = roadlens(dir, &["diff", "--exit-code"]);
    assert_eq!(
        (code, diff.as_str()),
        (0, "roadmap diff HEAD → working tree\nNo roadmap changes.\n")
    );
    let (code, raw) = roadlens(dir, &["diff", "--raw", "--exit-code"]);
    assert_eq!((code, raw.as_str()), (0, ""));
    let (_, log) = roadlens(dir, &["log"]);
    assert!(!log.contains("Uncommitted"), "{log}");
    assert!(log.contains("Plan"), "{log}");
    // The commands that read the disk see the same one roadmap (they read
    // ignored files, links and submodules' roadmaps too).
    let (code, check) = roadlens(dir, &["check"]);
    assert_eq!(code, 0, "{check}");
    assert!(check.contains("1 roadmap file checked"), "{check}");
    for cmd in ["show", "timeline"] {
        let (code, json) = roadlens(dir, &[cmd, "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        assert!(
            !json.trim_start().starts_with('['),
            "{cmd}: one roadmap: {json}"
        );
    }
}

#[test]
fn autocrlf_line_ends_are_no_change() {
    let Some((_tmp, dir)) = repo(&[("core.autocrlf", "true")]) else {
        return;
    };
    // As a Windows checkout leaves it (`add -u` only refreshes the index's
    // file stats: the content git stores is the same).
    std::fs::write(dir.join("plan.toml"), PLAN.replace('\n', "\r\n")).expect("write");
    git(&dir, &["add", "-u"]);
    assert_no_phantom(&dir);
    // A real edit still shows.
    std::fs::write(
        dir.join("plan.toml"),
        PLAN.replace("2027-Q3", "2027-Q4").replace('\n', "\r\n"),
    )
    .expect("write");
    let (code, diff) = roadlens(&dir, &["diff", "--exit-code"]);
    assert_eq!(code, 1);
    assert!(diff.contains("slipped by 1 quarter"), "{diff}");
    assert!(!diff.contains("customer"), "{diff}");
}

#[test]
fn gitattributes_eol_crlf_is_no_change() {
    let Some((_tmp, dir)) = repo(&[("core.autocrlf", "false")]) else {
        return;
    };
    std::fs::write(dir.join(".gitattributes"), "*.toml text eol=crlf\n").expect("write");
    git(&dir, &["add", ".gitattributes"]);
    git(&dir, &["commit", "-qm", "attributes"]);
    std::fs::write(dir.join("plan.toml"), PLAN.replace('\n', "\r\n")).expect("write");
    git(&dir, &["add", "-u"]);
    assert_no_phantom(&dir);
}

/// The `ident` attribute: a checkout writes the blob's id into `$Id$`,
/// which git's clean filter takes out again (it showed as an owner change).
#[test]
fn the_ident_attribute_is_no_change() {
    let Some((_tmp, dir)) = repo(&[]) else { return };
    std::fs::write(dir.join(".gitattributes"), "plan.toml ident\n").expect("write");
    let with_id = PLAN.replacen("title = \"P\"\n", "title = \"P\"\nowner = \"$Id$\"\n", 1);
    std::fs::write(dir.join("plan.toml"), &with_id).expect("write");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "ident"]);
    std::fs::remove_file(dir.join("plan.toml")).expect("rm");
    git(&dir, &["checkout", "--", "plan.toml"]);
    let disk = std::fs::read_to_string(dir.join("plan.toml")).expect("read");
    assert!(disk.contains("$Id: "), "git expanded it: {disk}");
    assert_no_phantom(&dir);
    // A real edit still shows, and the id is no part of it.
    std::fs::write(dir.join("plan.toml"), disk.replace("2027-Q3", "2027-Q4")).expect("write");
    let (code, diff) = roadlens(&dir, &["diff", "--exit-code"]);
    assert_eq!(code, 1, "{diff}");
    assert!(diff.contains("slipped by 1 quarter"), "{diff}");
    assert!(!diff.contains("owner"), "{diff}");
}

#[test]
fn ignored_directories_are_not_the_working_tree() {
    let Some((_tmp, dir)) = repo(&[]) else { return };
    std::fs::write(dir.join(".gitignore"), "build/\n").expect("write");
    git(&dir, &["add", ".gitignore"]);
    git(&dir, &["commit", "-qm", "ignore build"]);
    std::fs::create_dir(dir.join("build")).expect("mkdir");
    std::fs::write(
        dir.join("build/copy.toml"),
        PLAN.replace("\"p\"", "\"copy\""),
    )
    .expect("write");
    assert_no_phantom(&dir);
    // Named, an ignored directory is read all the same.
    let (code, check) = roadlens(&dir, &["check", "build"]);
    assert_eq!(code, 0, "{check}");
    assert!(check.contains("1 roadmap file checked"), "{check}");
}

#[test]
fn a_submodule_is_its_own_repository() {
    let Some((tmp, dir)) = repo(&[]) else { return };
    let sub = tmp.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    git(&sub, &["init", "-q", "-b", "main"]);
    git(&sub, &["config", "user.name", "Ada"]);
    git(&sub, &["config", "user.email", "ada@example.com"]);
    std::fs::write(sub.join("inner.toml"), PLAN.replace("\"p\"", "\"inner\"")).expect("write");
    git(&sub, &["add", "."]);
    git(&sub, &["commit", "-qm", "Inner plan"]);
    git(
        &dir,
        &[
            "submodule",
            "add",
            "-q",
            sub.to_str().expect("utf-8"),
            "modules/sub",
        ],
    );
    git(&dir, &["commit", "-qm", "Add a submodule"]);
    assert_no_phantom(&dir);
    // The submodule's roadmap is read in the submodule.
    let (code, out) = roadlens(&dir, &["-C", "modules/sub", "log"]);
    assert_eq!(code, 0);
    assert!(out.contains("Inner plan"), "{out}");
}

#[test]
fn a_committed_symlink_is_a_link_not_a_roadmap() {
    let Some((_tmp, dir)) = repo(&[("core.symlinks", "true")]) else {
        return;
    };
    std::os::unix::fs::symlink("plan.toml", dir.join("alias.toml")).expect("symlink");
    git(&dir, &["add", "alias.toml"]);
    git(&dir, &["commit", "-qm", "An alias"]);
    assert_no_phantom(&dir);
    let (code, show) = roadlens(&dir, &["show", "--at", "HEAD", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(
        !show.trim_start().starts_with('['),
        "one roadmap, not two: {show}"
    );
    // The commit that added the link changed no roadmap.
    let (_, log) = roadlens(&dir, &["log"]);
    assert!(!log.contains("An alias"), "{log}");
    // A symlink to a tracked file, uncommitted: still no roadmap of its own.
    std::os::unix::fs::symlink("plan.toml", dir.join("other.toml")).expect("symlink");
    let (code, _) = roadlens(&dir, &["diff", "--exit-code"]);
    assert_eq!(code, 0);
}

// ------------------------------------------------------------------ git replace

/// `commit\tsubject` per entry of `roadlens log --format json`.
fn roadlens_log(dir: &Path, pre: &[&str], env: Option<(&str, &str)>) -> String {
    let mut args = pre.to_vec();
    args.extend(["log", "--format", "json"]);
    let home = common::empty_dir("view-home");
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .args(&args)
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env_remove("GIT_NO_REPLACE_OBJECTS");
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    let out = c.output().expect("run roadlens");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|e| {
            format!(
                "{}\t{}\n",
                e["commit"].as_str().unwrap_or("-"),
                e["summary"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn replace_refs_are_honoured_as_git_does() {
    let Some((_tmp, dir)) = repo(&[]) else { return };
    for (target, msg) in [("2027-Q4", "Slip to Q4"), ("2028-Q1", "Slip to 2028")] {
        std::fs::write(dir.join("plan.toml"), PLAN.replace("2027-Q3", target)).expect("write");
        git(&dir, &["commit", "-qam", msg]);
    }
    // Replace the middle commit by one with another message (what
    // `git replace --edit` makes).
    let middle = git(&dir, &["rev-parse", "HEAD~1"]).expect("git");
    let raw = git(&dir, &["cat-file", "commit", middle.trim()]).expect("git");
    let edited = raw.replace("Slip to Q4", "Slip to Q4 (reworded)");
    let path = dir.join("../edited");
    std::fs::write(&path, edited).expect("write");
    let new = git(
        &dir,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            path.to_str().expect("utf-8"),
        ],
    )
    .expect("git");
    git(&dir, &["replace", middle.trim(), new.trim()]);

    let git_log = |pre: &[&str]| {
        let mut args = pre.to_vec();
        args.extend(["log", "--format=%H%x09%s", "--", "plan.toml"]);
        git(&dir, &args).expect("git")
    };
    let with = git_log(&[]);
    assert!(with.contains("(reworded)"), "{with}");
    assert_eq!(roadlens_log(&dir, &[], None), with);
    let without = git_log(&["--no-replace-objects"]);
    assert!(!without.contains("(reworded)"));
    assert_eq!(roadlens_log(&dir, &["--no-replace-objects"], None), without);
    assert_eq!(
        roadlens_log(&dir, &[], Some(("GIT_NO_REPLACE_OBJECTS", "1"))),
        without
    );
}

/// A bare repository has no working tree: `show` says so and how to see a
/// revision (`--at HEAD`), which works.
#[test]
fn a_bare_repository_says_it_has_no_working_tree() {
    let Some((tmp, dir)) = repo(&[]) else {
        eprintln!("git not available: skipping");
        return;
    };
    let bare = tmp.path().join("bare.git");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--bare",
            dir.to_str().expect("utf-8"),
            bare.to_str().expect("utf-8"),
        ],
    );
    let out = common::roadlens_cmd(&bare, &["show"])
        .output()
        .expect("run roadlens");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a bare repository has no working tree: `roadlens show --at HEAD`"),
        "{err}"
    );
    // `check` and `deps` say the same.
    for cmd in [&["check"][..], &["deps", "v1"][..]] {
        let out = common::roadlens_cmd(&bare, cmd).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("a bare repository has no working tree"),
            "{cmd:?}: {err}"
        );
    }
    let (code, text) = roadlens(&bare, &["show", "--at", "HEAD"]);
    assert_eq!(code, 0);
    assert!(text.contains("Alerts"), "{text}");
}
