//! `roadlens diff`, `log` and `git-diff` as a user runs them: real
//! repositories built commit by commit in temp dirs with git2 (config
//! sandboxed), the binary as a subprocess.

mod common;
use common::{assert_same_snapshot, new_repo, sandbox, snapshot_dir, write_file};
use git2::{Oid, Repository, Signature, Time};
use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");

// ------------------------------------------------------------------ sandbox

// ------------------------------------------------------------------ fixture

struct Fixture {
    dir: TempDir,
    repo: Repository,
    /// Commit times: one day apart from 2027-01-04 12:00 UTC.
    time: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let (dir, repo) = new_repo();
        Fixture {
            dir,
            repo,
            time: 1_799_064_000 - 86_400,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, content: &str) {
        write_file(self.path(), path, content);
    }

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

    /// Write (Some) or delete (None) files, stage them and commit.
    fn commit(&mut self, msg: &str, files: &[(&str, Option<&str>)]) -> Oid {
        for (p, content) in files {
            match content {
                Some(c) => self.write(p, c),
                None => std::fs::remove_file(self.path().join(p)).expect("rm"),
            }
        }
        let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        self.stage(&paths);
        self.time += 86_400;
        let sig = Signature::new("Ada Planner", "ada@example.com", &Time::new(self.time, 60))
            .expect("sig");
        let mut index = self.repo.index().expect("index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let parent = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .map(|id| self.repo.find_commit(id).expect("parent"));
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .expect("commit")
    }

    fn run(&self, args: &[&str]) -> Output {
        common::roadlens_cmd(self.path(), args)
            .output()
            .expect("run roadlens")
    }

    /// Run, expect exit `code`, return stdout.
    fn ok(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        assert_eq!(
            out.status.code(),
            Some(code),
            "roadlens {args:?}\nstdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

fn short(id: Oid) -> String {
    id.to_string()[..7].to_string()
}

// ------------------------------------------------------------------ roadmaps

const PUMP: &str = r#"[roadmap]
id = "smart-pump"
title = "Smart Pump"
owner = "D. Lizalde"

[[layer]]
id = "hardware"
name = "Device hardware"

[[layer]]
id = "firmware"
name = "Device software"

[[layer]]
id = "cloud"
name = "Cloud platform"

[[metric]]
id = "downtime"
name = "Downtime per pump per year"
unit = "hours"
current = 41.0
target = 28.0

[[theme]]
id = "predict"
title = "Predict failure"
metric = "downtime"

[[release]]
id = "v1"
name = "Vibration monitoring"
target = "2027-Q3"
status = "in-progress"
health = "on-track"
confidence = "medium"

[[release]]
id = "v2"
name = "Connected fleet"
target = "2027-Q4"
status = "planned"

[[feature]]
id = "alerts"
title = "Vibration alerts"
release = "v1"
themes = ["predict"]
commitment = "committed"
customer_value = "Get an alert when a pump vibrates."
business_value = "Service upsell."

  [[feature.work]]
  id = "sensor"
  layer = "hardware"
  title = "Accelerometer"
  estimate = "10w"
  status = "in-progress"

  [[feature.work]]
  id = "sampling"
  layer = "firmware"
  title = "Sampling loop"

[[feature]]
id = "fota"
title = "Remote firmware updates"
release = "v2"
commitment = "planned"
visibility = "internal"
customer_value = "Updates arrive over the air."

  [[feature.work]]
  id = "fota-service"
  layer = "cloud"
  title = "Update service"

[[feature]]
id = "fleet-map"
title = "Fleet map"
release = "v2"
commitment = "committed"
customer_value = "See every pump on a map."

  [[feature.work]]
  id = "map-ui"
  layer = "cloud"
  title = "Map view"

[[decision]]
id = "signing"
layer = "firmware"
area = "security"
title = "Signed firmware images"
status = "open"
"#;

const LEGACY: &str = r#"[roadmap]
id = "legacy"
title = "Legacy controller"

[[release]]
id = "eol"
name = "End of life"
target = "2027-H2"

[[feature]]
id = "last-batch"
title = "Last production batch"
release = "eol"

  [[feature.work]]
  layer = "hardware"
  title = "Final run"
"#;

/// Text with replacements applied (each must match once at least).
fn edit(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = base.to_string();
    for (a, b) in pairs {
        assert!(s.contains(a), "`{a}` not found");
        s = s.replacen(a, b, 1);
    }
    s
}

/// A repository with a history that exercises every change kind.
struct History {
    f: Fixture,
    c: Vec<Oid>,
}

fn history() -> History {
    let mut f = Fixture::new();
    let mut c = vec![];
    let p = "roadmaps/pump.toml";
    c.push(f.commit(
        "Initial roadmaps",
        &[(p, Some(PUMP)), ("roadmaps/legacy.toml", Some(LEGACY))],
    ));
    c.push(f.commit("Add a README", &[("README.md", Some("# Plans\n"))]));
    let t2 = edit(
        PUMP,
        &[
            ("target = \"2027-Q4\"", "target = \"2028-Q1\""),
            ("health = \"on-track\"", "health = \"at-risk\""),
            ("confidence = \"medium\"", "confidence = \"low\""),
        ],
    );
    c.push(f.commit("Carrier certification slips v2", &[(p, Some(&t2))]));
    let t3 = edit(&t2, &[("visibility = \"internal\"\n", "")]);
    c.push(f.commit("Announce FOTA to customers", &[(p, Some(&t3))]));
    let t4 = edit(
        &t3,
        &[
            (
                "commitment = \"planned\"\ncustomer_value = \"Updates",
                "commitment = \"committed\"\ncustomer_value = \"Updates",
            ),
            (
                "status = \"planned\"\n",
                "status = \"planned\"\n\n[[release]]\nid = \"v3\"\nname = \"Predictive maintenance\"\ntarget = \"2028-H1\"\n",
            ),
            (
                "id = \"fleet-map\"\ntitle = \"Fleet map\"\nrelease = \"v2\"",
                "id = \"fleet-map\"\ntitle = \"Fleet overview map\"\nrelease = \"v3\"",
            ),
            (
                "layer = \"hardware\"\n  title = \"Accelerometer\"",
                "layer = \"firmware\"\n  title = \"Accelerometer\"",
            ),
            (
                "estimate = \"10w\"",
                "estimate = \"12w\"\n  depends_on = [\"sampling\"]",
            ),
            (
                "status = \"open\"",
                "status = \"decided\"\nchoice = \"Ed25519 signatures\"",
            ),
            ("current = 41.0", "current = 38.5"),
        ],
    );
    c.push(f.commit("Commit to FOTA; fleet map moves to v3", &[(p, Some(&t4))]));
    let broken = edit(&t4, &[("target = \"2028-Q1\"", "target = \"2028-Q5\"")]);
    c.push(f.commit("WIP dates", &[(p, Some(&broken))]));
    let t6 = edit(&t4, &[("target = \"2028-Q1\"", "target = \"2027-Q4\"")]);
    c.push(f.commit("Fix the v2 date: back to Q4", &[(p, Some(&t6))]));
    // Rename the file (same content).
    std::fs::remove_file(f.path().join(p)).expect("rm");
    f.stage(&[p]);
    c.push(f.commit(
        "Rename the roadmap file",
        &[("roadmaps/smart-pump.toml", Some(&t6))],
    ));
    c.push(f.commit(
        "Retire the legacy roadmap",
        &[("roadmaps/legacy.toml", None)],
    ));
    History { f, c }
}

// ------------------------------------------------------------------ tests

#[test]
fn log_lists_roadmap_commits_with_counts_and_headlines() {
    let h = history();
    let out = h.f.ok(&["log"], 0);
    // The README commit is not a roadmap change.
    assert!(!out.contains("Add a README"), "{out}");
    assert!(!out.contains(&short(h.c[1])), "{out}");
    assert_eq!(out.lines().count(), h.c.len() - 1, "{out}");
    insta::assert_snapshot!("log_text", out);

    let md = h.f.ok(&["log", "--format", "markdown", "-n", "3"], 0);
    insta::assert_snapshot!("log_markdown", md);
}

#[test]
fn log_json_has_the_documented_shape() {
    let h = history();
    let out = h.f.ok(&["log", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let entries = v.as_array().expect("array");
    assert_eq!(entries.len(), h.c.len() - 1);
    let newest = &entries[0];
    assert_eq!(newest["commit"], h.c[8].to_string());
    assert_eq!(newest["author"], "Ada Planner");
    assert_eq!(newest["summary"], "Retire the legacy roadmap");
    assert_eq!(newest["files"], serde_json::json!(["roadmaps/legacy.toml"]));
    assert_eq!(newest["counts"], serde_json::json!({ "removed": 3 }));
    assert_eq!(
        newest["headline"],
        "roadmap legacy removed: \"Legacy controller\""
    );
    let slip = &entries[entries.len() - 2];
    assert_eq!(slip["summary"], "Carrier certification slips v2");
    assert_eq!(slip["time"], "2027-01-06T13:00:00+01:00");
    assert_eq!(
        slip["counts"],
        serde_json::json!({ "slipped": 1, "health": 1, "confidence": 1 })
    );
    assert_eq!(
        slip["headline"],
        "release v2 slipped by 1 quarter: 2027-Q4 → 2028-Q1"
    );
    let keys: Vec<&String> = newest.as_object().expect("object").keys().collect();
    assert_eq!(
        keys.len(),
        7,
        "commit author time summary files counts headline: {keys:?}"
    );
}

#[test]
fn the_first_version_that_parses_adds_the_roadmap() {
    // A typo in the first commit, fixed in the next: the fix adds the
    // roadmap and what it holds, in `log`, the ledgers and the sales lens.
    let mut f = Fixture::new();
    f.commit(
        "Start",
        &[("plan.toml", Some("[roadmap]\nid = \"p\"\ntitle = \"P\n"))],
    );
    let good = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n\
                [[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n\n\
                [[feature]]\nid = \"f1\"\ntitle = \"Feat\"\nrelease = \"v1\"\n\
                visibility = \"public\"\ncustomer_value = \"Good.\"\n";
    let fix = f.commit("Fix the typo", &[("plan.toml", Some(good))]);
    f.commit(
        "Slip",
        &[("plan.toml", Some(&good.replace("2027-Q3", "2027-Q4")))],
    );
    let log = f.ok(&["log"], 0);
    let line = log
        .lines()
        .find(|l| l.contains("Fix the typo"))
        .expect("listed");
    assert!(
        line.contains("(3 changes: 3 added) — roadmap p added"),
        "{log}"
    );
    let v1 = f.ok(&["log", "--entity", "v1"], 0);
    assert!(
        v1.contains(&format!("{} ", short(fix))) && v1.contains("added: \"One\" (target 2027-Q3)"),
        "{v1}"
    );
    let sales = f.ok(&["log", "--entity", "f1", "--lens", "sales"], 0);
    assert!(sales.contains("added: \"Feat\""), "{sales}");
    assert!(!sales.contains("compared with"), "{sales}");
}

#[test]
fn a_broken_version_after_a_broken_one_names_its_own_error() {
    let mut f = Fixture::new();
    f.commit(
        "First try",
        &[("plan.toml", Some("[roadmap]\nid = \"p\"\ntitle = \"P\n"))],
    );
    f.commit(
        "Second try",
        &[("plan.toml", Some("[roadmap]\nid = \"p\"\ntitle = P\n"))],
    );
    let log = f.ok(&["log"], 0);
    let line = log
        .lines()
        .find(|l| l.contains("Second try"))
        .expect("listed");
    // Its own error (line 3, the unquoted value), not its parent's.
    assert!(line.contains("could not be compared: new ("), "{line}");
    assert!(line.contains("plan.toml:3:9"), "{line}");
}

#[test]
fn broken_revision_is_reported_and_history_goes_on() {
    let h = history();
    let out = h.f.ok(&["log"], 0);
    let wip = out
        .lines()
        .find(|l| l.contains("WIP dates"))
        .expect("WIP listed");
    assert!(
        wip.contains("roadmaps/pump.toml could not be compared: new ("),
        "{wip}"
    );
    assert!(wip.contains("invalid date `2028-Q5`"), "{wip}");
    // The fix is compared with the last version that parsed.
    let fix = out
        .lines()
        .find(|l| l.contains("Fix the v2 date"))
        .expect("fix listed");
    assert!(
        fix.ends_with(
            "(1 change: 1 pulled in) — release v2 pulled in by 1 quarter: 2028-Q1 → 2027-Q4"
        ),
        "{fix}"
    );
    // Diffing across the broken commit works.
    let d =
        h.f.ok(&["diff", &h.c[4].to_string(), &h.c[6].to_string()], 0);
    assert!(
        d.contains("pulled in by 1 quarter: 2028-Q1 → 2027-Q4"),
        "{d}"
    );
    // Diffing the broken commit itself says why, and --raw shows the lines.
    let d =
        h.f.ok(&["diff", &h.c[4].to_string(), &h.c[5].to_string()], 0);
    assert!(d.contains("(cannot parse)"), "{d}");
    assert!(d.contains("error: new ("), "{d}");
    let raw = h.f.ok(
        &["diff", "--raw", &h.c[4].to_string(), &h.c[5].to_string()],
        0,
    );
    assert!(
        raw.contains("-target = \"2028-Q1\"\n+target = \"2028-Q5\"\n"),
        "{raw}"
    );
    // Sales hears that a version has errors, never where or which (the
    // error names a release's date, the notes commits), in any command.
    let (a, b) = (h.c[4].to_string(), h.c[5].to_string());
    for out in [
        h.f.ok(&["diff", &a, &b, "--lens", "sales"], 0),
        h.f.ok(&["diff", &a, &b, "--lens", "sales", "--format", "json"], 0),
        h.f.ok(&["log", "--lens", "sales"], 0),
        h.f.ok(&["log", "--lens", "sales", "--format", "json"], 0),
    ] {
        assert!(out.contains("a version has errors"), "{out}");
        for hidden in [
            "2028-Q5",
            "invalid date",
            "pump.toml:",
            "last version that did",
        ] {
            assert!(!out.contains(hidden), "sales sees {hidden}: {out}");
        }
    }
}

#[test]
fn diff_between_commits_text_markdown_json() {
    let h = history();
    let (a, b) = (h.c[0].to_string(), h.c[6].to_string());
    let text = h.f.ok(&["diff", &a, &b], 0);
    insta::assert_snapshot!("diff_text", text);
    let md = h.f.ok(&["diff", &a, &b, "--format", "markdown"], 0);
    insta::assert_snapshot!("diff_markdown", md);

    let json = h.f.ok(&["diff", &a, &b, "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    // The label as the header says it (a full id typed: its short form).
    assert_eq!(
        v["base"],
        serde_json::json!({ "label": &a[..7], "commit": a })
    );
    assert_eq!(v["target"]["commit"], b);
    assert_eq!(v["lens"], "all");
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 1);
    let f = &files[0];
    assert_eq!(f["path"], "roadmaps/pump.toml");
    assert_eq!(f["status"], "modified");
    assert!(f["error"].is_null());
    let kinds: std::collections::BTreeSet<&str> = f["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    for k in [
        "added",
        "renamed",
        "changed",
        "moved",
        "health",
        "confidence",
        "commitment",
        "visibility",
        "dependencies",
        "status",
    ] {
        assert!(kinds.contains(k), "no {k} in {kinds:?}");
    }
    let c0 = &f["changes"][0];
    assert_eq!(c0["entity"], "feature");
    assert_eq!(c0["kind"], "visibility");
    assert_eq!(c0["old"], "internal");
    assert!(c0["new"].is_null());
    assert_eq!(c0["summary"], "feature fota is now visible to sales");
}

#[test]
fn sales_lens_shows_only_what_customers_hear() {
    let h = history();
    let (a, b) = (h.c[0].to_string(), h.c[4].to_string());
    let json =
        h.f.ok(&["diff", &a, &b, "--lens", "sales", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["lens"], "sales");
    let summaries: Vec<&str> = v["files"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["summary"].as_str().expect("summary"))
        .collect();
    assert_eq!(
        summaries,
        [
            "feature is now visible to sales: \"Remote firmware updates\" (2028-Q1)",
            "feature \"Fleet overview map\" slipped by 2 quarters: 2027-Q4 → 2028-H1",
            "feature renamed: \"Fleet map\" → \"Fleet overview map\"",
        ]
    );
    for hidden in [
        "health",
        "\"work\"",
        "\"decision\"",
        "\"release\"",
        "estimate",
        "\"metric\"",
        "\"moved\"",
        "v2",
        "v3",
        "release",
    ] {
        assert!(!json.contains(hidden), "sales sees {hidden}: {json}");
    }

    // A committed public feature slipping with its release.
    let d = h.f.ok(
        &[
            "diff",
            &h.c[0].to_string(),
            &h.c[2].to_string(),
            "--lens",
            "sales",
        ],
        0,
    );
    // Revisions named by the quarter of their day, never by commit id; the
    // file by its roadmap's title, never its path (a path can name a
    // release).
    assert_eq!(
        d,
        "roadmap diff 2027-Q1 → 2027-Q1 (lens sales)\n\n\
         Smart Pump (1 change)\n  \
         feature Fleet map\n    \
         » slipped by 1 quarter: 2027-Q4 → 2028-Q1\n"
    );
    let j = h.f.ok(
        &[
            "diff",
            &h.c[0].to_string(),
            &h.c[2].to_string(),
            "--lens",
            "sales",
            "--format",
            "json",
        ],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v["base"]["label"], "2027-Q1", "{j}");
    assert!(
        v["base"]["commit"].is_null() && v["target"]["commit"].is_null(),
        "{j}"
    );
    assert!(!j.contains(&h.c[0].to_string()[..7]), "{j}");
    for args in [
        &["diff", &a, &b, "--lens", "sales"][..],
        &["diff", &a, &b, "--lens", "sales", "--format", "markdown"],
        &["diff", &a, &b, "--lens", "sales", "--format", "json"],
        &["log", "--lens", "sales"],
        &["log", "--lens", "sales", "--format", "markdown"],
        &["log", "--lens", "sales", "--format", "json"],
    ] {
        let out = h.f.ok(args, 0);
        assert!(!out.contains("roadmaps/"), "{args:?}: {out}");
    }
    // Layer lenses: only that layer's work and decisions (and moves/slips touching it).
    let fw = h.f.ok(&["diff", &a, &b, "--lens", "layer:firmware"], 0);
    assert!(fw.contains("work item sensor"), "{fw}");
    assert!(fw.contains("decision signing"), "{fw}");
    assert!(!fw.contains("fleet-map"), "{fw}");
    let ex = h.f.ok(&["diff", &a, &b, "--lens", "exec"], 0);
    assert!(
        !ex.contains("work item") && ex.contains("metric downtime"),
        "{ex}"
    );
}

#[test]
fn deleted_and_renamed_files() {
    let h = history();
    let d =
        h.f.ok(&["diff", &h.c[6].to_string(), &h.c[8].to_string()], 0);
    assert_eq!(
        d,
        format!(
            "roadmap diff {} → {}\n\n\
             roadmaps/legacy.toml (roadmap removed)\n  \
             roadmap legacy — Legacy controller\n    - removed: \"Legacy controller\"\n  \
             release eol — End of life\n    - removed: \"End of life\" (target 2027-H2)\n  \
             feature last-batch — Last production batch\n    \
             - removed: \"Last production batch\" (release eol)\n",
            &h.c[6].to_string()[..7],
            &h.c[8].to_string()[..7]
        )
    );
    // The rename alone is no semantic change.
    let d =
        h.f.ok(&["diff", &h.c[6].to_string(), &h.c[7].to_string()], 0);
    assert!(d.ends_with("No roadmap changes.\n"), "{d}");
    let log = h.f.ok(&["log", "-n", "2"], 0);
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines[1].contains("Rename the roadmap file (no changes)"),
        "{log}"
    );
}

#[test]
fn uncommitted_and_staged_edits() {
    let h = history();
    let p = "roadmaps/smart-pump.toml";
    let now = std::fs::read_to_string(h.f.path().join(p)).expect("read");
    let staged = edit(
        &now,
        &[("status = \"planned\"\n\n", "status = \"in-progress\"\n\n")],
    );
    h.f.write(p, &staged);
    h.f.stage(&[p]);
    let work = edit(
        &staged,
        &[(
            "title = \"Vibration alerts\"",
            "title = \"Vibration alarms\"",
        )],
    );
    h.f.write(p, &work);

    let d = h.f.ok(&["diff"], 0);
    assert!(d.starts_with("roadmap diff HEAD → working tree\n"), "{d}");
    assert!(d.contains("status: planned → in-progress"), "{d}");
    assert!(
        d.contains("renamed: \"Vibration alerts\" → \"Vibration alarms\""),
        "{d}"
    );
    let s = h.f.ok(&["diff", "--staged"], 0);
    assert!(s.starts_with("roadmap diff HEAD → index\n"), "{s}");
    assert!(s.contains("status: planned → in-progress"), "{s}");
    assert!(!s.contains("Vibration alarms"), "{s}");
    let j = h.f.ok(&["diff", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v["base"]["label"], "HEAD");
    assert_eq!(v["base"]["commit"], h.c[8].to_string());
    assert_eq!(
        v["target"],
        serde_json::json!({ "label": "working tree", "commit": null })
    );

    // log: uncommitted entries first, commit null in JSON.
    let log = h.f.ok(&["log", "--format", "json", "-n", "3"], 0);
    let v: serde_json::Value = serde_json::from_str(&log).expect("json");
    assert!(v[0]["commit"].is_null(), "{log}");
    assert!(v[1]["commit"].is_null(), "{log}");
    assert_eq!(v[2]["commit"], h.c[8].to_string());
    assert_eq!(
        v[0]["counts"],
        serde_json::json!({ "status": 1, "renamed": 1 })
    );
    assert_eq!(v[1]["counts"], serde_json::json!({ "status": 1 }));
    let text = h.f.ok(&["log", "-n", "2"], 0);
    assert!(text.starts_with("working "), "{text}");
    assert!(
        text.lines().nth(1).expect("2 lines").starts_with("index "),
        "{text}"
    );

    // --exit-code and paths.
    h.f.ok(&["diff", "--exit-code"], 1);
    h.f.ok(&["diff", "--exit-code", "--lens", "sales"], 1);
    // Each layer's slice shows every release's status.
    h.f.ok(&["diff", "--exit-code", "--lens", "layer:cloud"], 1);
    h.f.ok(&["diff", "--exit-code", "--", "roadmaps/legacy.toml"], 0);
    h.f.ok(&["diff", "--exit-code", "--", "roadmaps"], 1);
    let raw = h.f.ok(&["diff", "--raw"], 0);
    assert!(
        raw.contains("--- a/roadmaps/smart-pump.toml\n+++ b/roadmaps/smart-pump.toml\n"),
        "{raw}"
    );
}

#[test]
fn entity_ledger_follows_targets_over_history() {
    let h = history();
    let out = h.f.ok(&["log", "--entity", "v2"], 0);
    insta::assert_snapshot!("ledger_v2", out);
    let out = h.f.ok(&["log", "--entity", "fleet-map"], 0);
    assert!(
        out.ends_with("Target: fleet-map: 2027-Q4 (v2) → 2028-Q1 (v2) → 2028-H1 (v3), slipped 2 quarters (2 slips)\n"),
        "{out}"
    );
    let j = h.f.ok(&["log", "--entity", "v2", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    assert_eq!(v["targets"][0]["target"], "2027-Q4");
    assert_eq!(v["targets"][0]["commit"], h.c[0].to_string());
    h.f.ok(&["log", "--entity", "nope"], 1);
    // The sales lens shows no target ledger: it is made of release ids and
    // exact dates, which sales never sees.
    let sales =
        h.f.ok(&["log", "--entity", "fleet-map", "--lens", "sales"], 0);
    assert!(
        !sales.contains("Target:") && !sales.contains("(v2)"),
        "{sales}"
    );
    let sales = h.f.ok(
        &[
            "log",
            "--entity",
            "fleet-map",
            "--lens",
            "sales",
            "--format",
            "json",
        ],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&sales).expect("json");
    assert!(v["targets"].is_null(), "{sales}");
}

/// A target moved on a branch and merged: one move, told once in the
/// target ledger (the mainline's versions between are no point of it),
/// while the branch's commit and the merge both list the change they make
/// against their first parent.
#[test]
fn a_ledger_counts_a_move_merged_from_a_branch_once() {
    let mut f = Fixture::new();
    let p = "pump.toml";
    let c0 = f.commit("init", &[(p, Some(PUMP))]);
    let slipped = edit(PUMP, &[("target = \"2027-Q4\"", "target = \"2028-Q1\"")]);
    let other = edit(PUMP, &[("health = \"on-track\"", "health = \"at-risk\"")]);
    let merged = edit(
        &slipped,
        &[("health = \"on-track\"", "health = \"at-risk\"")],
    );
    assert!(slipped != PUMP && other != PUMP && merged != slipped);
    let sig = Signature::new(
        "Ada Planner",
        "ada@example.com",
        &Time::new(f.time + 3_600, 60),
    )
    .expect("sig");
    let tree_of = |f: &Fixture, text: &str| {
        f.write(p, text);
        let mut index = f.repo.index().expect("index");
        index.add_path(Path::new(p)).expect("add");
        index.write().expect("write");
        index.write_tree().expect("tree")
    };
    // The branch: v2 slips a quarter (HEAD stays on main).
    let side = {
        let tree = f.repo.find_tree(tree_of(&f, &slipped)).expect("tree");
        let base = f.repo.find_commit(c0).expect("c0");
        f.repo
            .commit(None, &sig, &sig, "side: v2 slips", &tree, &[&base])
            .expect("side")
    };
    // Main: another edit, v2 as it was; then the merge.
    let main = f.commit("main: v2 at risk", &[(p, Some(&other))]);
    let sig = Signature::new(
        "Ada Planner",
        "ada@example.com",
        &Time::new(f.time + 3_600, 60),
    )
    .expect("sig");
    {
        let tree = f.repo.find_tree(tree_of(&f, &merged)).expect("tree");
        let parents = [
            &f.repo.find_commit(main).expect("main"),
            &f.repo.find_commit(side).expect("side"),
        ];
        f.repo
            .commit(Some("HEAD"), &sig, &sig, "Merge side", &tree, &parents)
            .expect("merge");
    }
    let out = f.ok(&["log", "--entity", "v2"], 0);
    assert!(
        out.contains("side: v2 slips") && out.contains("Merge side"),
        "{out}"
    );
    assert!(
        out.ends_with("Target: v2: 2027-Q4 → 2028-Q1, slipped 1 quarter (1 slip)\n"),
        "{out}"
    );
}

/// Two roadmaps in one repository that both have a release `v2`: a ledger
/// of `v2` would mix their histories, so `log --entity` asks which file
/// (`-- PATH`) and tells that one's.
#[test]
fn a_ledger_of_an_id_two_roadmaps_hold_names_one_file() {
    let mut f = Fixture::new();
    let other = edit(PUMP, &[("id = \"smart-pump\"", "id = \"other-product\"")]);
    f.commit(
        "two products",
        &[("pump.toml", Some(PUMP)), ("other.toml", Some(&other))],
    );
    let slipped = edit(&other, &[("target = \"2027-Q4\"", "target = \"2028-Q4\"")]);
    f.commit(
        "the other product's v2 slips",
        &[("other.toml", Some(&slipped))],
    );
    let out = f.run(&["log", "--entity", "v2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`v2` is in 2 roadmap files (other.toml, pump.toml)")
            && err.contains("roadlens log --entity v2 -- other.toml"),
        "{err}"
    );
    let pump = f.ok(&["log", "--entity", "v2", "--", "pump.toml"], 0);
    assert!(pump.ends_with("Target: v2: 2027-Q4, unchanged\n"), "{pump}");
    let other = f.ok(&["log", "--entity", "v2", "--", "other.toml"], 0);
    assert!(
        other.ends_with("Target: v2: 2027-Q4 → 2028-Q4, slipped 4 quarters (1 slip)\n"),
        "{other}"
    );
    // One roadmap with the id: no path needed.
    f.ok(&["log", "--entity", "fleet-map", "--", "pump.toml"], 0);
    // Without --entity, `-- PATH` is that file's history.
    let log = f.ok(&["log", "--", "pump.toml"], 0);
    assert!(
        log.contains("two products") && !log.contains("slips"),
        "{log}"
    );
}

/// Uncommitted changes are dated by their files' change time, never
/// before the commit they are on (the demo's history runs ahead of the
/// clock: its uncommitted edits were listed as older than its commits).
#[test]
fn uncommitted_entries_are_never_older_than_their_commit() {
    let mut f = Fixture::new();
    f.time = 4_070_908_800; // 2099-01-01
    f.commit("far ahead", &[("pump.toml", Some(PUMP))]);
    f.write(
        "pump.toml",
        &edit(PUMP, &[("target = \"2027-Q4\"", "target = \"2028-Q1\"")]),
    );
    let j = f.ok(&["log", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&j).expect("json");
    let (unc, head) = (&v[0], &v[1]);
    assert!(unc["commit"].is_null(), "{j}");
    let day = |e: &serde_json::Value| e["time"].as_str().unwrap_or("")[..10].to_string();
    assert!(day(unc) >= day(head), "{j}");
}

#[test]
fn errors_and_edge_cases() {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = common::roadlens_cmd(dir.path(), &["diff"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a git repository"),
        "{out:?}"
    );

    // An empty repository: everything on disk is new.
    let f = Fixture::new();
    f.write("plan.toml", LEGACY);
    let d = f.ok(&["diff"], 0);
    assert!(
        d.starts_with("roadmap diff nothing (no commits yet) → working tree\n"),
        "{d}"
    );
    assert!(d.contains("plan.toml (new roadmap)"), "{d}");
    f.ok(&["log"], 0);

    let mut h = history();
    let out = h.f.run(&["diff", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown revision `no-such-rev`"),
        "{out:?}"
    );
    assert_eq!(
        h.f.run(&["diff", "--lens", "marketing"]).status.code(),
        Some(2)
    );
    // A layer no roadmap has is an unknown lens (a typo must not pass a
    // CI gate as "no changes"), for diff, log and a ledger alike; one
    // roadmap that has it is enough.
    for args in [
        vec![
            "diff",
            "HEAD~3",
            "HEAD",
            "--lens",
            "layer:firmwre",
            "--exit-code",
        ],
        vec!["diff", "--lens", "layer:firmwre"],
        vec!["log", "--lens", "layer:firmwre"],
        vec!["log", "--entity", "v1", "--lens", "layer:firmwre"],
    ] {
        let out = h.f.run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("unknown lens `layer:firmwre`") && err.contains("layer:firmware"),
            "{args:?}: {err}"
        );
    }
    h.f.ok(&["diff", "HEAD~3", "HEAD", "--lens", "layer:firmware"], 0);
    h.f.ok(&["log", "--lens", "layer:firmware"], 0);
    // Hostile text in a commit message and a title never reaches the terminal raw.
    let p = "roadmaps/smart-pump.toml";
    let now = std::fs::read_to_string(h.f.path().join(p)).expect("read");
    let evil = edit(
        &now,
        &[(
            "title = \"Vibration alerts\"",
            "title = \"Vib\\u001b]52;c;aGk=\\u0007ration\\u202e\"",
        )],
    );
    h.c.push(h.f.commit("Evil \u{1b}[2J message", &[(p, Some(&evil))]));
    for args in [
        vec!["log"],
        vec!["log", "--format", "json"],
        vec!["diff", "HEAD~1", "HEAD"],
        vec!["diff", "HEAD~1", "HEAD", "--format", "markdown"],
        vec!["diff", "HEAD~1", "HEAD", "--format", "json"],
    ] {
        let out = h.f.ok(&args, 0);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{args:?}: {out:?}"
        );
    }
}

/// The git CLI, sandboxed, or None when git is not installed; roadlens
/// runs under it as the diff driver, so it gets the same environment.
fn git(dir: &Path) -> Option<Command> {
    let mut c = common::git_cli(dir)?;
    c.env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat");
    Some(c)
}

#[test]
fn git_external_diff_driver() {
    let mut h = history();
    h.f.commit(
        "Use roadlens for TOML diffs",
        &[
            (".gitattributes", Some("*.toml diff=roadlens\n")),
            ("Cargo.toml", Some("[package]\nname = \"x\"\n")),
        ],
    );
    let p = "roadmaps/smart-pump.toml";
    let now = std::fs::read_to_string(h.f.path().join(p)).expect("read");
    h.f.write(
        p,
        &edit(&now, &[("target = \"2027-Q3\"", "target = \"2027-Q4\"")]),
    );
    h.f.write("Cargo.toml", "[package]\nname = \"y\"\n");
    let driver = format!("diff.roadlens.command='{BIN}' git-diff");
    let Some(mut cmd) = git(h.f.path()) else {
        return;
    };
    let out = cmd
        .args(["-c", &driver, "diff"])
        .output()
        .expect("git diff");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "diff Cargo.toml\n--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1,2 +1,2 @@\n [package]\n-name = \"x\"\n+name = \"y\"\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "roadlens: roadmaps/smart-pump.toml (1 change)\n  release v1 — Vibration monitoring\n    » slipped by 1 quarter: 2027-Q3 → 2027-Q4\n"
        ),
        "{stdout}"
    );

    // A rename (9 arguments) and a deletion (/dev/null) through `git log -p`.
    let mut cmd = git(h.f.path()).expect("git");
    let out = cmd
        .args([
            "-c",
            &driver,
            "log",
            "-p",
            "-M",
            "--ext-diff",
            "--format=commit %s",
        ])
        .output()
        .expect("git log");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "roadlens: roadmaps/pump.toml → roadmaps/smart-pump.toml (no semantic changes)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("roadlens: roadmaps/legacy.toml (roadmap removed)\n  roadmap legacy"),
        "{stdout}"
    );
    assert!(
        stdout.contains("roadlens: roadmaps/pump.toml (cannot parse)\n  error: new: "),
        "{stdout}"
    );

    // As the README says: `git show` and `git log -p` run the driver with
    // `--ext-diff` only (git runs external diff drivers by default for
    // `git diff` alone).
    let retired = h.c[8].to_string();
    let run = |args: &[&str]| {
        let out = git(h.f.path())
            .expect("git")
            .args(["-c", &driver])
            .args(args)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let removed = "roadlens: roadmaps/legacy.toml (roadmap removed)\n  roadmap legacy";
    let shown = run(&["show", "--ext-diff", &retired]);
    assert!(shown.contains(removed), "{shown}");
    for plain in [
        vec!["show", retired.as_str()],
        vec!["log", "-p", "-1", retired.as_str()],
    ] {
        let out = run(&plain);
        assert!(!out.contains("roadlens:"), "{plain:?}: {out}");
        assert!(
            out.contains("-title = \"Legacy controller\""),
            "{plain:?}: {out}"
        );
    }
}

// ------------------------------------------------------------------ read-only

/// Every command, every format, on a repository with staged and unstaged
/// edits and a stale index stat cache: `.git` and the working tree stay
/// byte-identical.
#[test]
fn no_command_writes_to_the_repository() {
    let h = history();
    let f = &h.f;
    let p = "roadmaps/smart-pump.toml";
    let text = std::fs::read_to_string(f.path().join(p)).expect("read");
    f.write(
        p,
        &text.replace("name = \"Connected pump\"", "name = \"Connected pumps\""),
    );
    f.stage(&[p]);
    f.write(
        p,
        &text.replace("target = \"2027-Q4\"", "target = \"2028-Q2\""),
    );
    // A stale stat cache: a refreshing status call would rewrite the index.
    let t = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(f.path().join(p))
        .and_then(|file| file.set_modified(t))
        .expect("touch");
    let before = snapshot_dir(f.path());
    let first = h.c[0].to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["show"],
        vec!["show", "--lens", "sales", "--format", "json"],
        vec![
            "show",
            "--at",
            "HEAD~3",
            "--lens",
            "engineering",
            "--format",
            "markdown",
        ],
        vec!["diff"],
        vec!["diff", "--staged", "--format", "json"],
        vec!["diff", &first, "--lens", "sales"],
        vec!["diff", &first, "HEAD", "--format", "markdown"],
        vec!["diff", "--raw"],
        vec!["log"],
        vec!["log", "--format", "json"],
        vec!["log", "--entity", "v2"],
        vec!["log", "--lens", "sales", "-n", "3"],
    ];
    for args in &runs {
        let out = f.run(args);
        assert!(out.status.code().is_some(), "roadlens {args:?} died");
    }
    // The external diff driver, through git itself, when git is present.
    if let Some(mut g) = git(f.path()) {
        let _ = g
            .args([
                "-c",
                &format!("diff.roadlens.command={BIN} git-diff"),
                "log",
                "-p",
                "-3",
            ])
            .output();
    }
    let after = snapshot_dir(f.path());
    assert_same_snapshot(&before, &after);
}

/// A probe commit: its message, its edit, and whether sales notices.
type Probe<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);

/// What a sales user would see change, probe by probe: for each commit
/// against its parent, `show --lens sales` differs exactly when
/// `diff --lens sales --exit-code` exits 1, and no release id or name,
/// health, estimate, team, business value, internal item or exact date is in
/// any sales diff or log, in any format.
#[test]
fn the_sales_diff_changes_exactly_when_the_sales_view_does() {
    let mut f = Fixture::new();
    let mut text = PUMP.to_string();
    let mut commits = vec![f.commit("Base", &[("roadmaps/pump.toml", Some(&text))])];
    // (commit message, edit, does sales notice?)
    let probes: &[Probe] = &[
        // The public fleet map's quarter becomes a horizon.
        (
            "v2 to next",
            &[("target = \"2027-Q4\"", "target = \"next\"")],
            true,
        ),
        // A cancelled feature's rename: sales never saw it.
        (
            "cancel fota, rename it",
            &[(
                "title = \"Remote firmware updates\"",
                "title = \"OTA\"\nstatus = \"cancelled\"",
            )],
            false,
        ),
        // Cancel a public feature: it leaves the sales view.
        (
            "cancel alerts",
            &[(
                "commitment = \"committed\"\ncustomer_value = \"Get an alert",
                "status = \"cancelled\"\ncommitment = \"committed\"\ncustomer_value = \"Get an alert",
            )],
            true,
        ),
        // Bring it back and ship v1: available now.
        (
            "ship v1",
            &[
                (
                    "status = \"cancelled\"\ncommitment = \"committed\"\ncustomer_value = \"Get an alert",
                    "commitment = \"committed\"\ncustomer_value = \"Get an alert",
                ),
                (
                    "status = \"in-progress\"\nhealth",
                    "status = \"shipped\"\nhealth",
                ),
            ],
            true,
        ),
        // Re-date the shipped release: still "available now".
        (
            "re-date v1",
            &[("target = \"2027-Q3\"", "target = 2027-08-14")],
            false,
        ),
        // Health and estimates are not for sales.
        (
            "v1 at risk, estimate",
            &[
                ("health = \"on-track\"", "health = \"at-risk\""),
                ("estimate = \"10w\"", "estimate = \"14w\""),
            ],
            false,
        ),
        // Cancel the release holding the public fleet map.
        (
            "cancel v2",
            &[(
                "status = \"planned\"\n\n[[feature]]",
                "status = \"cancelled\"\n\n[[feature]]",
            )],
            true,
        ),
    ];
    for (msg, pairs, _) in probes {
        text = edit(&text, pairs);
        commits.push(f.commit(msg, &[("roadmaps/pump.toml", Some(&text))]));
    }
    let secrets = [
        "v1",
        "v2",
        "Vibration monitoring",
        "Connected fleet",
        "health",
        "at-risk",
        "on-track",
        "10w",
        "14w",
        "Service upsell",
        "Remote firmware",
        "OTA",
        "fota",
        "2027-08-14",
        "release",
    ];
    for (i, (msg, _, notices)) in probes.iter().enumerate() {
        let (a, b) = (commits[i].to_string(), commits[i + 1].to_string());
        let show = |rev: &str| {
            f.ok(
                &["show", "--lens", "sales", "--at", rev, "--format", "json"],
                0,
            )
        };
        let views_differ = show(&a) != show(&b);
        assert_eq!(views_differ, *notices, "probe {msg}: the sales view");
        let code = if *notices { 1 } else { 0 };
        f.ok(&["diff", &a, &b, "--lens", "sales", "--exit-code"], code);
        for format in ["text", "markdown", "json"] {
            let out = f.ok(&["diff", &a, &b, "--lens", "sales", "--format", format], 0);
            for s in secrets {
                assert!(!out.contains(s), "probe {msg} {format}: `{s}` in\n{out}");
            }
        }
    }
    // A quarter moved to the horizon ending with it (today is in 2027-Q2:
    // "next" is Q3–Q4) is not a refinement: the promise got vaguer.
    let (a, b) = (commits[0].to_string(), commits[1].to_string());
    let d = f.ok(&["diff", &a, &b], 0);
    assert!(
        d.contains("target made less precise: 2027-Q4 → next"),
        "{d}"
    );
    assert!(!d.contains("refined"), "{d}");
    let s = f.ok(&["diff", &a, &b, "--lens", "sales"], 0);
    // Sales names the feature by its title, not its id.
    assert!(s.contains("feature Fleet map"), "{s}");
    assert!(!s.contains("fleet-map"), "{s}");
    assert!(s.contains("when made less precise: 2027-Q4 → next"), "{s}");
    // Shipping says "now available"; cancelling says it is gone.
    let s = f.ok(
        &[
            "diff",
            &commits[3].to_string(),
            &commits[4].to_string(),
            "--lens",
            "sales",
        ],
        0,
    );
    assert!(
        s.contains("is now visible to sales: \"Vibration alerts\" (available now)"),
        "{s}"
    );
    let s = f.ok(
        &[
            "diff",
            &commits[6].to_string(),
            &commits[7].to_string(),
            "--lens",
            "sales",
        ],
        0,
    );
    assert!(s.contains("no longer visible to sales"), "{s}");

    // The sales log and ledger: no release, health or commit message.
    for format in ["text", "json"] {
        let log = f.ok(&["log", "--lens", "sales", "--format", format], 0);
        for s in secrets.iter().chain(&["cancel", "ship", "re-date", "Base"]) {
            assert!(!log.contains(s), "log {format}: `{s}` in\n{log}");
        }
        // Sales names features by title, not id (JSON keeps the id as a key).
        assert!(log.contains("Fleet map"), "{log}");
        let ledger = f.ok(
            &[
                "log",
                "--entity",
                "fleet-map",
                "--lens",
                "sales",
                "--format",
                format,
            ],
            0,
        );
        for s in secrets.iter().chain(&["cancel", "ship"]) {
            assert!(!ledger.contains(s), "ledger {format}: `{s}` in\n{ledger}");
        }
    }
    // Raw text would show everything: refused under a lens.
    let out = f.run(&["diff", &a, &b, "--raw", "--lens", "sales"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("raw text is not available in the sales lens"),
        "{err}"
    );
}

/// A work item the exec view shows only where others name it (a conflict
/// on one side, a risk or a critical path step on the other) is not
/// "renamed: (none) → …" or "release: (none) → v1" when its title comes
/// into view: the view says it is now at risk, or its path changed.
#[test]
fn context_items_coming_into_the_exec_view_are_not_renamed() {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    roadlens::demo::build_demo_repo(&root).expect("demo");
    let out = common::roadlens_cmd(&root, &["diff", "HEAD~11", "HEAD", "--lens", "exec"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("work item emc-certification"), "{text}");
    assert!(!text.contains("renamed: (none)"), "{text}");
    assert!(!text.contains("release: (none)"), "{text}");
    assert!(text.contains("is now at risk (at-risk)"), "{text}");
}

/// `log --lens sales` names each entry by its quarter: no commit id, day or
/// author, in every format (as the sales ledger and the TUI's History).
#[test]
fn the_sales_log_names_entries_by_quarter() {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let info = roadlens::demo::build_demo_repo(&root).expect("demo");
    for format in ["text", "markdown", "json"] {
        let out = common::roadlens_cmd(&root, &["log", "--lens", "sales", "--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("2027-Q1"), "{format}: {text}");
        for c in &info.commits {
            let id = c.id.to_string();
            assert!(!text.contains(&id[..7]), "{format}: {id} in {text}");
        }
        let day = text.as_bytes().windows(10).any(|w| {
            w.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
        });
        assert!(!day, "{format}: a day in {text}");
        assert!(!text.contains("Dana Lizalde"), "{format}: {text}");
    }
    // A sales ledger's changes are stamped as its log's entries are.
    let out = common::roadlens_cmd(
        &root,
        &[
            "log",
            "--entity",
            "fleet-connectivity",
            "--lens",
            "sales",
            "--format",
            "json",
        ],
    )
    .output()
    .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let changes = v["changes"].as_array().expect("changes");
    assert!(!changes.is_empty(), "{v}");
    // (The working tree's change has no commit, so no quarter either.)
    assert!(
        changes
            .iter()
            .any(|c| c["quarter"].as_str().is_some_and(|q| q.contains("-Q"))),
        "{v}"
    );
    for c in changes {
        assert!(c["commit"].is_null() && c["time"].is_null(), "{c}");
        assert_eq!(c["author"], "", "{c}");
        // No commit message; an uncommitted entry keeps roadlens's own
        // words for it, so it is told from the staged one.
        if c["quarter"].is_null() {
            let s = c["summary"].as_str().unwrap_or_default();
            assert!(
                s.starts_with("Uncommitted") || s.starts_with("Staged"),
                "{c}"
            );
        } else {
            assert_eq!(c["summary"], "", "{c}");
        }
    }
}

/// A shallow clone's oldest commit shows what it holds as added: `log`
/// says the history is cut there (on stderr). Needs the git CLI.
#[test]
fn log_says_a_shallow_clone_cuts_history() {
    let h = history();
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mut c) = git(dir.path()) else {
        eprintln!("git not available: skipping");
        return;
    };
    let url = format!("file://{}", h.f.path().display());
    let st = c
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .status()
        .expect("git clone");
    assert!(st.success());
    let at = dir.path().join("shallow");
    // A ledger begins at the cut too ("added" there): it says so as well.
    for args in [&["log"][..], &["log", "--entity", "v2"]] {
        let o = common::roadlens_cmd(&at, args).output().expect("run");
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("shallow clone"), "{args:?}: {err}");
    }
    // A full repository says nothing of the kind.
    let o = common::roadlens_cmd(h.f.path(), &["log"])
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("shallow"));
}
