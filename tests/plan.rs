//! Planning across layers from the command line: `deps` (chains and the
//! whole graph), `show --lens decisions` (the canvas and its gaps), and
//! what the exec and engineering lenses say of critical paths and effort,
//! on a small roadmap whose numbers are worked out by hand below.

mod common;
use std::path::Path;
use std::process::Output;

fn roadlens(args: &[&str], dir: &Path) -> Output {
    common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// v1 (start 2027-01-04, target 2027-Q2 ending 2027-06-30):
/// board (hardware, 8w): 2027-01-04 .. 2027-02-28
/// driver (firmware, 6w, needs board): 2027-03-01 .. 2027-04-11
/// api (cloud, 2 sprints of 3 weeks, needs driver): 2027-04-12 .. 2027-05-23
/// app (apps, no estimate, needs api): 2027-05-24, no days
/// case (hardware, 4w): 2027-01-04 .. 2027-01-31
/// The critical path is app ← api ← driver ← board, ending 2027-05-23 (app
/// takes no days): 38 days of slack to 2027-06-30, "5 weeks". Effort: 12
/// weeks of hardware (8 + 4), 6 of firmware, 6 of cloud: 24 weeks, half in
/// Device hardware.
const PLAN: &str = r#"[roadmap]
id = "pump"
title = "Pump"

[[layer]]
id = "cloud"
name = "Cloud platform"
sprint = "3w"

[[release]]
id = "v1"
name = "First"
start = 2027-01-04
target = "2027-Q2"

[[feature]]
id = "sensing"
title = "Sensing"
release = "v1"
customer_value = "Sensing."

  [[feature.work]]
  id = "board"
  layer = "hardware"
  title = "Sensor board"
  estimate = "8w"

  [[feature.work]]
  id = "case"
  layer = "hardware"
  title = "Case"
  estimate = "4w"

  [[feature.work]]
  id = "driver"
  layer = "firmware"
  title = "Driver"
  estimate = "6w"
  depends_on = ["board"]

[[feature]]
id = "alerts"
title = "Alerts"
release = "v1"
customer_value = "Alerts."

  [[feature.work]]
  id = "api"
  layer = "cloud"
  title = "Alert API"
  estimate = "2 sprints"
  depends_on = ["driver"]

  [[feature.work]]
  id = "app"
  layer = "apps"
  title = "Alert app"
  depends_on = ["api"]

[[decision]]
id = "identity"
layer = "comms"
area = "security"
title = "Device identity"
status = "decided"
choice = "X.509"
"#;

fn plan_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("pump.toml"), PLAN).expect("write");
    dir
}

#[test]
fn exec_says_the_critical_path_its_slack_and_where_the_effort_goes() {
    let dir = plan_dir();
    let o = roadlens(&["show", "--lens", "exec"], dir.path());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.contains(
            "Critical path: Alert app ← Alert API ← Driver ← Sensor board — Device\n        hardware, ends 2027-05-23, 5 weeks of slack to the target"
        ),
        "{out}"
    );
    assert!(
        out.contains("Effort: 12 of 24 weeks in Device hardware"),
        "{out}"
    );
    let o = roadlens(&["show", "--lens", "exec", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let rel = &v["timeline"][0]["releases"][0];
    let cp = &rel["critical_path"];
    let steps: Vec<&str> = cp["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["key"].as_str().expect("key"))
        .collect();
    assert_eq!(steps, ["board", "driver", "api", "app"]);
    assert_eq!(cp["ends"], "2027-05-23");
    assert_eq!(cp["slack_days"], 38);
    assert_eq!(cp["layer"], "Device hardware");
    let effort: Vec<(String, f64)> = rel["effort"]
        .as_array()
        .expect("effort")
        .iter()
        .map(|e| {
            (
                e["layer"].as_str().unwrap().to_string(),
                e["days"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        effort,
        [
            ("hardware".to_string(), 84.0),
            ("firmware".to_string(), 42.0),
            ("cloud".to_string(), 42.0),
            ("apps".to_string(), 0.0)
        ]
    );
    assert_eq!(rel["effort"][3]["unestimated"], 1);
}

#[test]
fn engineering_marks_the_chain_and_shows_slack_and_cell_effort() {
    let dir = plan_dir();
    let out = stdout(&roadlens(&["show", "--lens", "engineering"], dir.path()));
    assert!(out.contains("Device hardware — 12 weeks"), "{out}");
    assert!(out.contains("Cloud platform — 6 weeks"), "{out}");
    assert!(
        out.contains("Cloud applications — 1 without estimate"),
        "{out}"
    );
    // board is critical; case (ends 2027-01-31) is not, with its slack to
    // the target: 150 days.
    assert!(out.contains("8w · ★ critical · slack 5 weeks"), "{out}");
    assert!(out.contains("4w · slack 21 weeks"), "{out}");
    let md = stdout(&roadlens(
        &["show", "--lens", "engineering", "--format", "markdown"],
        dir.path(),
    ));
    assert!(
        md.contains("| v1 | 2 · 12w | 1 · 6w | — | 1 · 6w | 1 | 24w |"),
        "{md}"
    );
}

#[test]
fn deps_prints_the_chains_of_one_item_across_layers() {
    let dir = plan_dir();
    let o = roadlens(&["deps", "driver"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("deps_driver_text", stdout(&o));
    let o = roadlens(&["deps", "driver", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["item"]["id"], "driver");
    assert_eq!(v["upstream"][0]["node"]["id"], "board");
    assert_eq!(v["upstream"][0]["cross_layer"], true);
    assert_eq!(v["downstream"][0]["node"]["id"], "api");
    assert_eq!(v["downstream"][0]["children"][0]["node"]["id"], "app");
    // The executive lens: features, and the features they depend on.
    let o = roadlens(
        &["deps", "alerts", "--lens", "exec", "--format", "json"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["upstream"][0]["node"]["id"], "sensing");
    let o = roadlens(&["deps", "driver", "--lens", "exec"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no feature `driver`"), "{}", stderr(&o));
}

#[test]
fn deps_without_an_id_prints_the_graph_by_release_and_layer() {
    let dir = plan_dir();
    let o = roadlens(&["deps"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("deps_graph_text", stdout(&o));
    let o = roadlens(
        &["deps", "--format", "json", "--lens", "layer:cloud"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let groups: Vec<&str> = v["releases"][0]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        ["Device software", "Cloud platform", "Cloud applications"]
    );
}

#[test]
fn deps_refuses_the_sales_lens_and_says_when_an_id_is_unknown() {
    let dir = plan_dir();
    let o = roadlens(&["deps", "driver", "--lens", "sales"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("sales lens shows no dependencies"));
    let o = roadlens(&["deps", "nope"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("no feature or work item `nope`"));
    let o = roadlens(&["deps", "--", "missing-dir"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

/// `deps --help` offers only the formats deps prints: markdown, offered
/// before and then refused at run time, is refused by the parser.
#[test]
fn deps_offers_only_the_formats_it_prints() {
    let dir = plan_dir();
    let o = roadlens(&["deps", "--help"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("[possible values: text, json]"),
        "{}",
        stdout(&o)
    );
    let o = roadlens(&["deps", "--format", "markdown"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("invalid value 'markdown' for '--format <FORMAT>'"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("[possible values: text, json]"));
    for f in ["text", "json"] {
        let o = roadlens(&["deps", "--format", f], dir.path());
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stderr(&o));
    }
}

#[test]
fn the_decision_canvas_shows_every_layer_by_area_and_its_gaps() {
    let dir = plan_dir();
    let o = roadlens(&["show", "--lens", "decisions"], dir.path());
    // Unwrapped, to find whole sentences.
    let out = stdout(&o).replace("\n    ", " ");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.contains("no business, technology, UX, data or standards decision for Communications"),
        "{out}"
    );
    assert!(
        out.contains(
            "no business, technology, UX, data, security or standards decision for Device hardware"
        ),
        "{out}"
    );
    let o = roadlens(
        &["show", "--lens", "decisions", "--format", "json"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["decided"], 1);
    assert_eq!(v["gaps"].as_array().expect("gaps").len(), 29);
    assert!(
        !v["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["layer"] == "comms" && g["area"] == "security")
    );
    let md = stdout(&roadlens(
        &["show", "--lens", "decisions", "--format", "markdown"],
        dir.path(),
    ));
    assert!(
        md.contains(
            "| Communications | _gap_ | _gap_ | _gap_ | _gap_ | ✓ Device identity | _gap_ |"
        ),
        "{md}"
    );
    // Never in the sales lens.
    let sales = stdout(&roadlens(
        &["show", "--lens", "sales", "--format", "json"],
        dir.path(),
    ));
    assert!(
        !sales.contains("identity") && !sales.contains("gap"),
        "{sales}"
    );
}

/// A chain as long as the roadmap (each work item depending on the one
/// before) is drawn to a depth of 64 levels and said to go on: no stack
/// overflow, no quadratic output (it aborted at 40,000 items).
#[test]
fn a_very_long_chain_is_cut_at_a_depth_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = String::from(
        "schema = 1\n[roadmap]\nid = \"c\"\ntitle = \"C\"\n\n[[release]]\nid = \"v1\"\nname = \"x\"\ntarget = \"2027-Q3\"\n\n[[feature]]\nid = \"f\"\ntitle = \"F\"\nrelease = \"v1\"\ncustomer_value = \"c\"\n",
    );
    let n = 3000;
    for i in 0..n {
        t.push_str(&format!(
            "\n[[feature.work]]\nid = \"w{i}\"\nlayer = \"firmware\"\nestimate = \"1d\"\ntitle = \"t\"\n"
        ));
        if i > 0 {
            t.push_str(&format!("depends_on = [\"w{}\"]\n", i - 1));
        }
    }
    let path = dir.path().join("chain.toml");
    std::fs::write(&path, t).expect("write");
    let last = format!("w{}", n - 1);
    let p = path.to_str().expect("path");
    let o = roadlens(&["deps", &last, "--", p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().count() < 200, "{} lines", out.lines().count());
    assert!(out.contains("the chain goes on"), "{out}");
    let o = roadlens(&["deps", &last, "--format", "json", "--", p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"deeper\": true"));
}

/// `check` says lateness as the lenses do (weeks from two weeks on), and
/// names each known id once.
#[test]
fn check_says_days_as_the_lenses_do_and_each_known_id_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("late.toml"),
        "[roadmap]\nid = \"late\"\ntitle = \"Late\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"One\"\nstart = 2027-06-01\ntarget = 2027-06-30\n\n\
         [[feature]]\nid = \"f1\"\ntitle = \"F\"\nrelease = \"r1\"\ncustomer_value = \"x\"\n\n\
           [[feature.work]]\n  id = \"w1\"\n  layer = \"cloud\"\n  title = \"W\"\n  estimate = \"13w\"\n",
    )
    .expect("write");
    let out = roadlens(&["check", "late.toml"], dir.path());
    let err = stdout(&out) + &stderr(&out);
    assert!(err.contains("^ 9 weeks after this target"), "{err}");
    std::fs::write(
        dir.path().join("late.toml"),
        "[roadmap]\nid = \"late\"\ntitle = \"Late\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"One\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"Again\"\n\n\
         [[feature]]\nid = \"f1\"\ntitle = \"F\"\nrelease = \"v9\"\ncustomer_value = \"x\"\n",
    )
    .expect("write");
    let out = roadlens(&["check", "late.toml"], dir.path());
    let err = stdout(&out) + &stderr(&out);
    assert!(err.contains("= help: known: r1\n"), "{err}");
}
