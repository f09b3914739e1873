//! Hostile working trees and repositories: FIFOs and devices named `*.toml`,
//! trees deeper than git allows, corrupt objects, replace refs. Each command
//! runs as a subprocess under a hang guard: it must finish (within a deadline
//! far above its normal run time), never abort, never spin.

mod common;
use common::{git_cli, new_repo, write_file};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");

/// Far above any normal run: only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(60);

const ROADMAP: &str = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n\n[[feature]]\nid = \"alerts\"\ntitle = \"Alerts\"\nrelease = \"v1\"\ncustomer_value = \"Get alerts.\"\n  [[feature.work]]\n  layer = \"hardware\"\n  title = \"Sensor\"\n";

fn command(dir: &Path, args: &[&str]) -> Command {
    let home = std::env::temp_dir().join(format!("roadlens-hostile-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("home");
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_NO_REPLACE_OBJECTS")
        .stdin(Stdio::null());
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
