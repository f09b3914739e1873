//! The one history rule as a user meets it on the command line: `diff A B
//! -- PATHS` across a renamed roadmap, and `log --entity` ledgers (units,
//! refinements, uncommitted states once, every entity from its "added").
//! Real repositories built with git2 in temp dirs, the binary as a
//! subprocess. (The TUI side, which must agree, is in `tests/tui.rs`.)

mod common;
use common::{new_repo, write_file};
use git2::{Repository, Signature, Time};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");

const PLAN: &str = r#"[roadmap]
id = "plan"
title = "Plan"

[[metric]]
id = "uptime"
name = "Uptime"
unit = "%"
current = 97.0
target = 99.5

[[release]]
id = "v1"
name = "First"
target = "2027-Q1"

[[feature]]
id = "sensing"
title = "Sensing"
release = "v1"

  [[feature.work]]
  id = "sensor"
  layer = "hardware"
  title = "Sensor board"

[[decision]]
id = "radio"
layer = "comms"
area = "technology"
title = "Which radio"
"#;

struct Repo {
    dir: tempfile::TempDir,
    repo: Repository,
    time: i64,
}

impl Repo {
    fn new() -> Repo {
        let (dir, repo) = new_repo();
        Repo {
            dir,
            repo,
            time: 1_799_064_000,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        write_file(self.path(), path, text);
    }

    /// Stage these paths as they are on disk (absent: removed).
    fn stage(&self, paths: &[&str]) {
        let mut index = self.repo.index().expect("index");
        for p in paths {
            if self.path().join(p).exists() {
                index.add_path(Path::new(p)).expect("add");
            } else {
                index.remove_path(Path::new(p)).expect("remove");
            }
        }
        index.write().expect("write index");
    }

    /// Commit what is staged.
    fn commit(&mut self, msg: &str) -> String {
        self.time += 86_400;
        let sig = Signature::new("Ada", "ada@example.com", &Time::new(self.time, 0)).expect("sig");
        let mut index = self.repo.index().expect("index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .expect("commit")
            .to_string()
    }

    fn edit(&mut self, path: &str, text: &str, msg: &str) -> String {
        self.write(path, text);
        self.stage(&[path]);
        self.commit(msg)
    }

    /// Run roadlens; expect exit `code`; stdout.
    fn ok(&self, args: &[&str], code: i32) -> String {
        let (got, stdout, stderr) = self.run(args);
        assert_eq!(
            got,
            Some(code),
            "roadlens {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        stdout
    }

    /// Run roadlens: its exit code, stdout and stderr.
    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let home = self.path().join(".home");
        let out = Command::new(BIN)
            .current_dir(self.path())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("ROADLENS_TODAY", "2027-01-10")
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .args(args)
            .output()
            .expect("run roadlens");
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stdout, stderr)
    }
}

fn target(text: &str, from: &str, to: &str) -> String {
    let from = format!("target = \"{from}\"");
    assert!(text.contains(&from), "{from}");
    text.replacen(&from, &format!("target = \"{to}\""), 1)
}

#[test]
fn diff_with_the_new_path_follows_a_renamed_roadmap() {
    let mut r = Repo::new();
    let a = r.edit("plans/a.toml", PLAN, "Plan");
    // Rename the file and slip v1 in the same commit.
    std::fs::remove_file(r.path().join("plans/a.toml")).expect("rm");
    r.write("plans/b.toml", &target(PLAN, "2027-Q1", "2027-Q2"));
    r.stage(&["plans/a.toml", "plans/b.toml"]);
    let b = r.commit("Rename and slip");
    for path in ["plans/b.toml", "plans/a.toml", "plans"] {
        let out = r.ok(&["diff", &a, &b, "--", path], 0);
        assert!(
            out.contains("plans/a.toml → plans/b.toml (1 change)"),
            "-- {path}:\n{out}"
        );
        assert!(
            out.contains("slipped by 1 quarter: 2027-Q1 → 2027-Q2"),
            "-- {path}:\n{out}"
        );
        assert!(
            !out.contains("added"),
            "-- {path}: not a new roadmap\n{out}"
        );
        r.ok(&["diff", "--exit-code", &a, &b, "--", path], 1);
    }
    // JSON: one modified file at the new path.
    let j = r.ok(
        &["diff", &a, &b, "--format", "json", "--", "plans/b.toml"],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1), "{j}");
    assert_eq!(v["files"][0]["status"], "modified");
    assert_eq!(v["files"][0]["path"], "plans/b.toml");
    // The raw text diff names both paths.
    let raw = r.ok(&["diff", "--raw", &a, &b, "--", "plans/b.toml"], 0);
    assert!(
        raw.contains("--- a/plans/a.toml\n+++ b/plans/b.toml\n"),
        "{raw}"
    );
    // An unrelated path stays out.
    r.ok(&["diff", "--exit-code", &a, &b, "--", "other"], 0);
    // The sales lens names the roadmap by its title, never by a path (the
    // old one was printed before the title: `plans/a.toml → Title`).
    for format in ["text", "markdown", "json"] {
        let out = r.ok(&["diff", &a, &b, "--lens", "sales", "--format", format], 0);
        assert!(!out.contains("plans/"), "{format}:\n{out}");
        assert!(!out.contains("a.toml"), "{format}:\n{out}");
    }
}

/// Under the sales lens a roadmap that does not load is counted, never
/// quoted: its diagnostics name its path and quote its lines (release ids,
/// exact months, internal items). `show --at`, `report --at` and a
/// `timeline` baseline printed them on stderr.
#[test]
fn the_sales_lens_never_quotes_a_broken_version() {
    let mut r = Repo::new();
    let good = r.edit("plans/a.toml", PLAN, "Plan");
    let broken = target(PLAN, "2027-Q1", "2027-0x");
    let bad = r.edit("plans/a.toml", &broken, "Broken");
    r.edit("plans/a.toml", PLAN, "Fixed");
    let cases: [&[&str]; 4] = [
        &["show", "--lens", "sales", "--at", &bad],
        &["report", "--lens", "sales", "--at", &bad, "-o", "-"],
        &["timeline", "--lens", "sales", "--at", &bad],
        &["timeline", "--lens", "sales", "--baseline", &bad],
    ];
    for args in cases {
        let (code, _, err) = r.run(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            err.contains("roadlens check tells where"),
            "{args:?}: {err}"
        );
        for leak in ["plans/", "a.toml", "2027-0x", "v1", "|"] {
            assert!(!err.contains(leak), "{args:?}: {leak}: {err}");
        }
    }
    // Another lens reads them, located at the revision.
    let (code, _, err) = r.run(&["show", "--at", &bad]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("plans/a.toml"), "{err}");
    assert!(err.contains("2027-0x"), "{err}");
    r.ok(&["show", "--lens", "sales", "--at", &good], 0);
}

#[test]
fn log_of_paths_tells_those_roadmaps_history_following_renames() {
    let mut r = Repo::new();
    let other = PLAN.replace("id = \"plan\"", "id = \"other\"");
    r.write("other.toml", &other);
    r.stage(&["other.toml"]);
    r.edit("plans/a.toml", PLAN, "Add the plans");
    let q2 = target(PLAN, "2027-Q1", "2027-Q2");
    r.edit("plans/a.toml", &q2, "Slip v1 to Q2");
    // Rename the file and slip v1 again in the same commit.
    std::fs::remove_file(r.path().join("plans/a.toml")).expect("rm");
    r.write("plans/b.toml", &target(&q2, "2027-Q2", "2027-Q3"));
    r.stage(&["plans/a.toml", "plans/b.toml"]);
    r.commit("Rename and slip to Q3");
    r.edit(
        "other.toml",
        &target(&other, "2027-Q1", "2027-Q4"),
        "Slip the other v1",
    );
    for path in ["plans/b.toml", "plans"] {
        let out = r.ok(&["log", "--", path], 0);
        let subjects: Vec<&str> = ["Rename and slip to Q3", "Slip v1 to Q2", "Add the plans"]
            .into_iter()
            .filter(|s| out.contains(s))
            .collect();
        assert_eq!(
            subjects.len(),
            3,
            "-- {path}: back through the rename\n{out}"
        );
        assert!(
            !out.contains("Slip the other v1"),
            "-- {path}: only its files\n{out}"
        );
        assert_eq!(out.lines().count(), 3, "-- {path}\n{out}");
        // The commit that added both files says only this one's changes.
        assert!(!out.contains("other.toml"), "-- {path}\n{out}");
    }
    let out = r.ok(&["log", "--", "other.toml"], 0);
    assert!(
        out.contains("Slip the other v1") && out.contains("Add the plans"),
        "{out}"
    );
    assert!(!out.contains("Slip v1 to Q2"), "{out}");
    // Two paths: both histories; JSON the same entries.
    let j = r.ok(
        &[
            "log",
            "--format",
            "json",
            "--",
            "plans/b.toml",
            "other.toml",
        ],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(4), "{j}");
    // A path with no roadmap history says so.
    let out = r.ok(&["log", "--", "nosuch.toml"], 0);
    assert_eq!(out, "No roadmap history for nosuch.toml.\n");
}

#[test]
fn the_ledger_counts_slips_in_the_targets_unit_and_lists_refinements() {
    let mut r = Repo::new();
    let p = "plan.toml";
    r.edit(p, PLAN, "Plan");
    let q2 = target(PLAN, "2027-Q1", "2027-Q2");
    r.edit(p, &q2, "Slip to Q2");
    let q3 = target(&q2, "2027-Q2", "2027-Q3");
    r.edit(p, &q3, "Slip to Q3");
    let day = target(&q3, "2027-Q3", "2027-08-16");
    r.edit(p, &day, "Pin the date");
    let out = r.ok(&["log", "--entity", "v1"], 0);
    assert!(
        out.ends_with(
            "Target: v1: 2027-Q1 → 2027-Q2 → 2027-Q3 → 2027-08-16, slipped 2 quarters (2 slips, 1 refinement)\n"
        ),
        "{out}"
    );
    // The refinement is listed as what it is.
    assert!(
        out.contains("target refined: 2027-Q3 → 2027-08-16"),
        "{out}"
    );
    let j = r.ok(&["log", "--entity", "v1", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(4), "{j}");
    assert_eq!(
        v["total"],
        "v1: 2027-Q1 → 2027-Q2 → 2027-Q3 → 2027-08-16, slipped 2 quarters (2 slips, 1 refinement)"
    );
    // A feature's ledger is its release's target.
    let out = r.ok(&["log", "--entity", "sensing"], 0);
    assert!(
        out.contains("slipped 2 quarters (2 slips, 1 refinement)"),
        "{out}"
    );
}

#[test]
fn each_uncommitted_state_is_in_the_ledger_once() {
    let mut r = Repo::new();
    let p = "plan.toml";
    r.edit(p, PLAN, "Plan");
    // Staged: a slip. The working tree has the same.
    let staged = target(PLAN, "2027-Q1", "2027-Q2");
    r.write(p, &staged);
    r.stage(&[p]);
    let out = r.ok(&["log", "--entity", "v1"], 0);
    assert_eq!(out.matches("slipped by 1 quarter").count(), 1, "{out}");
    // Staged, then edited further: the slip once (staged), the rename once.
    r.write(p, &staged.replace("name = \"First\"", "name = \"Primero\""));
    let out = r.ok(&["log", "--entity", "v1"], 0);
    assert_eq!(out.matches("slipped by 1 quarter").count(), 1, "{out}");
    assert_eq!(
        out.matches("renamed: \"First\" → \"Primero\"").count(),
        1,
        "{out}"
    );
    let staged_at = out.find("staged (not committed)").expect("staged entry");
    let work_at = out
        .find("working tree (not committed)")
        .expect("working entry");
    assert!(
        staged_at < work_at,
        "oldest first: the index, then the working tree\n{out}"
    );
    assert!(
        out.ends_with("Target: v1: 2027-Q1 → 2027-Q2, slipped 1 quarter (1 slip)\n"),
        "{out}"
    );
    // `log` itself still lists each uncommitted entry against HEAD.
    let log = r.ok(&["log", "-n", "2"], 0);
    assert!(log.starts_with("working "), "{log}");
    assert!(
        log.lines().nth(1).is_some_and(|l| l.starts_with("index ")),
        "{log}"
    );
}

#[test]
fn every_entity_ledger_starts_at_its_added() {
    let mut r = Repo::new();
    let p = "plan.toml";
    r.edit(p, PLAN, "Plan");
    r.edit(
        p,
        &PLAN.replace("current = 97.0", "current = 98.0"),
        "Uptime up",
    );
    let expect = [
        ("sensor", "work item sensor", "added: \"Sensor board\""),
        ("uptime", "metric uptime", "added: \"Uptime\""),
        ("radio", "decision radio", "added: \"Which radio\""),
        ("v1", "release v1", "added: \"First\""),
        ("sensing", "feature sensing", "added: \"Sensing\""),
    ];
    for (id, heading, added) in expect {
        let out = r.ok(&["log", "--entity", id], 0);
        assert!(out.starts_with(&format!("History of {heading}")), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].contains(": Plan"), "{out}");
        assert!(lines[2].trim_start().starts_with(added), "{out}");
    }
    let out = r.ok(&["log", "--entity", "uptime"], 0);
    assert!(out.contains("Uptime up"), "{out}");
}

#[test]
fn an_unknown_id_says_so_on_stderr_and_the_sales_lens_hides_internal_ones_alike() {
    let mut r = Repo::new();
    r.edit(
        "plan.toml",
        &PLAN.replace(
            "release = \"v1\"\n",
            "release = \"v1\"\nvisibility = \"internal\"\n",
        ),
        "Plan",
    );
    assert_eq!(r.ok(&["log", "--entity", "nosuch"], 1), "");
    let unknown = r.ok(&["log", "--entity", "nosuch", "--lens", "sales"], 1);
    let internal = r.ok(&["log", "--entity", "sensing", "--lens", "sales"], 1);
    assert_eq!(unknown, internal);
}
