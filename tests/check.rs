//! `roadlens check`: one broken fixture per validation rule, each asserting
//! the exact `file:line:col` and message; every file reported in one run.

mod common;

use std::path::Path;
use std::process::Output;

fn roadlens(args: &[&str], dir: &Path) -> Output {
    common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens")
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (fixture, exit code, expected first diagnostic line)
const CASES: &[(&str, i32, &str)] = &[
    (
        "syntax",
        1,
        "21:16: error: TOML syntax: invalid basic string, expected `\"`",
    ),
    (
        "unknown-key",
        1,
        "17:1: error: unknown key `owner` in [[release]]",
    ),
    (
        "wrong-type",
        1,
        "17:10: error: wrong type for `target` in [[release]]: expected a date (2027-03-15) or \"YYYY-MM\", \"YYYY-Qn\", \"YYYY-Hn\", \"YYYY\", \"now\", \"next\", \"later\", found an integer",
    ),
    (
        "bad-enum",
        1,
        "18:10: error: invalid status `done`: expected one of \"planned\", \"in-progress\", \"shipped\", \"deferred\", \"cancelled\"",
    ),
    (
        "bad-date",
        1,
        "17:10: error: invalid date `2027-Q5`: expected a date",
    ),
    (
        "missing-id",
        1,
        "19:1: error: missing required field `id` in [[feature]]",
    ),
    (
        "missing-title",
        1,
        "19:1: error: missing required field `title` in [[feature]]",
    ),
    (
        "missing-release",
        1,
        "19:1: error: missing required field `release` in [[feature]]",
    ),
    (
        "missing-layer",
        1,
        "25:3: error: missing required field `layer` in [[feature.work]]",
    ),
    (
        "duplicate-id",
        1,
        "26:8: error: duplicate id `alerts`: already used by a feature",
    ),
    (
        "unknown-release",
        1,
        "22:11: error: unknown release `v2` in `release`",
    ),
    (
        "unknown-layer",
        1,
        "27:11: error: unknown layer `hardwre` in `layer`",
    ),
    (
        "unknown-theme",
        1,
        "23:11: error: unknown theme `reliabilty` in `themes[0]`",
    ),
    (
        "unknown-metric",
        1,
        "12:10: error: unknown metric `downtime` in `metric`",
    ),
    (
        "unknown-dependency",
        1,
        "31:17: error: unknown feature or work item `antenna` in `depends_on[0]`",
    ),
    (
        "cycle",
        1,
        "32:17: error: dependency cycle: alerts → sensor → alerts",
    ),
    (
        "bad-id",
        1,
        "20:6: error: invalid id `Alerts!`: use lowercase letters, digits, `-` and `_`",
    ),
    (
        "bad-estimate",
        1,
        "29:14: error: invalid estimate `two weeks`",
    ),
    ("bad-schema", 1, "1:10: error: unsupported schema version 2"),
    (
        "bad-sprint",
        1,
        "8:10: error: invalid sprint length `2 sprints`: expected days or weeks: \"2w\", \"10d\"",
    ),
    (
        "not-a-roadmap",
        1,
        "1:1: error: not a roadmap: no `[roadmap]` table",
    ),
    (
        "binary",
        1,
        "2:8: error: binary file: a NUL byte at byte offset 17",
    ),
    (
        "not-utf8",
        1,
        "3:13: error: not valid UTF-8 (at byte offset 34)",
    ),
    (
        "warn-no-work",
        0,
        "33:6: warning: feature `reports` has no work items",
    ),
    (
        "warn-empty-release",
        0,
        "33:6: warning: release `v2` has no features",
    ),
    (
        "warn-no-customer-value",
        0,
        "20:6: warning: public feature `alerts` has no `customer_value`",
    ),
    (
        "warn-late-work",
        0,
        "30:9: warning: work item ends after its release's target: 2027-11 is later than v1 (2027-Q3)",
    ),
    // Schedule conflicts (src/plan), each at the place to fix.
    (
        "warn-dependency-ends-late",
        0,
        "29:17: warning: `sensor-driver` starts 2027-02 but depends on `accelerometer`, which ends 2027-03",
    ),
    (
        "warn-later-release",
        0,
        "20:15: warning: `alerts` of release r1 (2027-Q2) depends on `platform` of the later release r4 (2029-Q1)",
    ),
    (
        "warn-dropped-dependency",
        0,
        "27:17: warning: `uplink` depends on `old-radio`, which is cancelled",
    ),
    (
        "warn-estimate-too-long",
        0,
        "20:14: warning: `certification`: estimate 10w (70 days) does not fit between its start 2027-04 and end 2027-05 (61 days at most)",
    ),
    (
        "warn-path-after-target",
        0,
        "9:10: warning: v1 targets 2027-Q3, its critical path ends 2027-10-06",
    ),
];

#[test]
fn each_rule_is_reported_at_its_location() {
    let dir = manifest().join("tests/fixtures/broken");
    let mut failures = Vec::new();
    for (name, code, expected) in CASES {
        let file = format!("{name}.toml");
        let out = roadlens(&["check", &file], &dir);
        let text = stdout(&out);
        let want = format!("{file}:{expected}");
        // Located where expected (a late work item also makes its
        // release's critical path late: both are said).
        let hit = text.lines().any(|l| l.starts_with(&want));
        if !hit || out.status.code() != Some(*code) {
            failures.push(format!(
                "{name}: exit {:?}, output\n{text}\nwanted a line\n  {want}",
                out.status.code()
            ));
        }
        // Every diagnostic shows the source line and a caret.
        if !text.contains('^') && *name != "binary" {
            failures.push(format!("{name}: no caret in\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn schedule_conflicts_come_with_the_other_warnings_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"[roadmap]
id = "plan"
title = "Plan"

[[release]]
id = "v1"
name = "First"
start = "2027-01"
target = "2027-Q2"

[[release]]
id = "v4"
name = "Later"
target = "later"

[[feature]]
id = "sensing"
title = "Sensing"
release = "v1"

  [[feature.work]]
  id = "board"
  layer = "hardware"
  title = "Board"
  start = "2027-01"
  end = "2027-05"

  [[feature.work]]
  id = "driver"
  layer = "firmware"
  title = "Driver"
  estimate = "14w"
  start = "2027-04"
  end = "2027-06"
  depends_on = ["board", "cloud-api"]

[[feature]]
id = "platform"
title = "Platform"
release = "v4"
customer_value = "Platform."

  [[feature.work]]
  id = "cloud-api"
  layer = "cloud"
  title = "API"
  estimate = "2w"
"#;
    std::fs::write(dir.path().join("plan.toml"), text).unwrap();
    let out = roadlens(&["check", "plan.toml"], dir.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("plan.toml:"))
        .collect();
    assert_eq!(
        heads,
        [
            "plan.toml:17:6: warning: public feature `sensing` has no `customer_value`",
            "plan.toml:32:14: warning: `driver`: estimate 14w (98 days) does not fit between its start 2027-04 and end 2027-06 (91 days at most)",
            "plan.toml:35:17: warning: `driver` starts 2027-04 but depends on `board`, which ends 2027-05",
            "plan.toml:35:26: warning: `driver` of release v1 (2027-Q2) depends on `cloud-api` of the later release v4 (later)",
            // v4 targets `later`: the API starts on its first day (with today
            // 2027-05-10, 2028-01-01) and takes two weeks.
            "plan.toml:35:26: warning: `driver` starts 2027-04 but depends on `cloud-api`, which ends 2028-01-14 (derived)",
        ][..],
        "{text}"
    );
}

#[test]
fn every_file_is_checked_in_one_run() {
    let dir = manifest().join("tests/fixtures/broken");
    let out = roadlens(&["check", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Every broken fixture that holds a [roadmap] table is reported.
    for (name, _, _) in CASES.iter().filter(|(n, _, _)| *n != "not-a-roadmap") {
        assert!(
            text.contains(&format!("{name}.toml:")),
            "{name} missing from\n{text}"
        );
    }
    assert!(
        text.lines()
            .last()
            .unwrap_or("")
            .contains("31 roadmap files checked"),
        "{text}"
    );
}

/// A path that does not exist is said on stderr, and every other path is
/// still checked and reported; the exit code is a usage error's (it
/// stopped at the missing path and checked nothing else).
#[test]
fn a_missing_path_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let broken = manifest().join("tests/fixtures/broken");
    for name in ["duplicate-id", "unknown-release"] {
        std::fs::copy(
            broken.join(format!("{name}.toml")),
            dir.path().join(format!("{name}.toml")),
        )
        .unwrap();
    }
    let o = roadlens(
        &[
            "check",
            "duplicate-id.toml",
            "no-such-dir/x.toml",
            "unknown-release.toml",
        ],
        dir.path(),
    );
    let out = stdout(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert!(
        err.starts_with("roadlens: cannot read no-such-dir/x.toml:"),
        "{err}"
    );
    assert!(out.contains("duplicate-id.toml:26:8: error:"), "{out}");
    assert!(out.contains("unknown-release.toml:22:11: error:"), "{out}");
    assert!(
        out.ends_with("2 roadmap files checked: 2 errors, 1 warning\n"),
        "{out}"
    );
    // Clean files beside a missing path: still a usage error.
    let o = roadlens(
        &["check", "no-such-dir", "."],
        &manifest().join("tests/fixtures/valid"),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&o)
    );
}

/// `check --staged PATH` with a PATH that names nothing, staged or on
/// disk, is a usage error as for plain `check` (a typo in a hook or CI
/// passed everything); a real path with no roadmap staged is not, and a
/// file staged but deleted from disk is still checked.
#[test]
fn a_staged_check_of_a_path_that_names_nothing_is_a_usage_error() {
    let (dir, repo) = common::new_repo();
    let root = dir.path();
    common::write_file(
        root,
        "roadmaps/plan.toml",
        "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n",
    );
    let mut index = repo.index().expect("index");
    index
        .add_path(Path::new("roadmaps/plan.toml"))
        .expect("stage");
    index.write().expect("write index");
    common::write_file(root, "notes/todo.txt", "nothing staged here\n");
    let err = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    let o = roadlens(&["check", "--staged", "r/nothing"], root);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert_eq!(
        err(&o),
        "roadlens: r/nothing: no such file or directory, staged or in the working tree\n"
    );
    // The other paths are still checked, the exit code still a usage error's.
    let o = roadlens(&["check", "--staged", "roadmaps", "r/nothing"], root);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        stdout(&o).contains("1 staged roadmap file checked: 0 errors"),
        "{}",
        stdout(&o)
    );
    // A real path with no roadmap staged: said, and no reason to stop a
    // commit.
    let o = roadlens(&["check", "--staged", "notes"], root);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(err(&o), "roadlens: no roadmap files staged\n");
    // Staged, deleted from disk: what the commit holds is checked.
    std::fs::remove_file(root.join("roadmaps/plan.toml")).expect("rm");
    let o = roadlens(&["check", "--staged", "roadmaps/plan.toml"], root);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(stdout(&o).contains("1 staged roadmap file checked"));
    // Plain `check` says the same of a path that names nothing.
    let o = roadlens(&["check", "r/nothing"], root);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn all_errors_of_one_file_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(manifest().join("tests/fixtures/valid/mini.toml")).unwrap();
    let broken = src
        .replace(
            "target = \"2027-Q3\"",
            "target = \"2027-Q3\"\nstatus = \"done\"",
        )
        .replace("layer = \"hardware\"", "layer = \"hardwre\"")
        .replace(
            "title = \"Reliable\"",
            "title = \"Reliable\"\ncolour = \"red\"",
        );
    std::fs::write(dir.path().join("r.toml"), broken).unwrap();
    let out = roadlens(&["check"], dir.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("r.toml:12:1: error: unknown key `colour`"),
        "{text}"
    );
    assert!(
        text.contains("r.toml:19:10: error: invalid status `done`"),
        "{text}"
    );
    assert!(
        text.contains("r.toml:29:11: error: unknown layer `hardwre`"),
        "{text}"
    );
    assert!(text.contains("3 errors"), "{text}");
}

#[test]
fn samples_and_valid_fixtures_pass_clean() {
    for dir in ["sample-roadmaps", "tests/fixtures/valid"] {
        let out = roadlens(&["check", dir], manifest());
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{dir}: {text}");
        assert!(text.contains("0 errors, 0 warnings"), "{dir}: {text}");
    }
}

#[test]
fn huge_files_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("[roadmap]\nid = \"big\"\ntitle = \"Big\"\n");
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding\n");
    }
    std::fs::write(dir.path().join("big.toml"), big).unwrap();
    let out = roadlens(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("big.toml:1:1: error: file is too large"),
        "{}",
        stdout(&out)
    );

    let out = roadlens(&["check", "does-not-exist"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = roadlens(&["check", "--no-such-flag"], dir.path());
    assert_eq!(out.status.code(), Some(2));

    // A directory without roadmaps is a finding, said clearly.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let out = roadlens(&["check"], empty.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no roadmap files"));
}

#[test]
fn hostile_text_in_errors_is_not_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("h.toml"),
        "[roadmap]\nid = \"h\"\ntitle = \"x\"\n\u{1b}]52;c;aGk=\u{7} = 1\nstatus\u{202e} = \"\u{1b}[2J\"\n",
    )
    .unwrap();
    let out = roadlens(&["check"], dir.path());
    let all = [out.stdout.clone(), out.stderr.clone()].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
}

/// A file nested a hundred thousand arrays deep is an error with a place,
/// not a stack overflow (toml limits nesting).
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let today = jiff::civil::date(2027, 5, 10);
    for deep in [
        format!(
            "[roadmap]\nid = \"x\"\ntitle = \"X\"\nd = {}",
            "[".repeat(100_000)
        ),
        format!(
            "[roadmap]\nid = \"x\"\ntitle = \"X\"\nd = {}",
            "{ a = ".repeat(100_000)
        ),
    ] {
        let f = roadlens::model::load_str("deep.toml", &deep, today);
        assert!(f.has_errors());
        assert!(
            f.first_error().unwrap().starts_with("deep.toml:4:"),
            "{:?}",
            f.first_error()
        );
    }
}

/// `check` on files written into a temp dir: stdout and the exit code.
fn check_files(files: &[(&str, &str)]) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = roadlens(&["check", "."], dir.path());
    (stdout(&out), out.status.code())
}

const HEAD: &str = "[roadmap]\nid = \"x\"\ntitle = \"X\"\n";

/// Issue 9, items 1 and 15: a dotted key of 40,000 parts is a TOML error
/// located at the key (not 1:1), never a stack overflow; so is a document
/// whose allowed constructs nest thousands of levels deep in all.
#[test]
fn deep_keys_and_nesting_are_located_errors() {
    let deep_key = format!(
        "{HEAD}[roadmap.extra]\n{} = 1\n",
        vec!["a"; 40_000].join(".")
    );
    let key79 = vec!["a"; 79].join(".");
    let deep_inline = format!(
        "{HEAD}[roadmap.extra]\nn = {}1{}\n",
        format!("{{{key79} = ").repeat(79),
        "}".repeat(79)
    );
    let (text, code) = check_files(&[("deep.toml", &deep_key), ("inline.toml", &deep_inline)]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "deep.toml:5:1: error: nested deeper than 80 levels: past what roadlens reads \
             (valid TOML, not a syntax error)"
        ),
        "{text}"
    );
    assert!(
        text.contains("inline.toml:5:") && text.contains("nested deeper than 160 levels"),
        "{text}"
    );
    assert!(
        text.contains("roadlens reads keys of at most 80 parts"),
        "{text}"
    );
    // Both sides of the crate's limit: 80 parts are TOML, 81 are not.
    let at = |n: usize| format!("{HEAD}[roadmap.extra]\n{} = 1\n", vec!["a"; n].join("."));
    assert_eq!(check_files(&[("ok.toml", &at(80))]).1, Some(0));
    assert_eq!(check_files(&[("no.toml", &at(81))]).1, Some(1));
}

/// The same file committed: `log`, `diff`, `show --at` report it and go on.
#[test]
fn deep_keys_in_history_do_not_crash_log_diff_or_show() {
    let (dir, repo) = common::new_repo();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_799_064_000, 0)).unwrap();
    let mut parent: Option<git2::Oid> = None;
    let good = format!("{HEAD}[[release]]\nid = \"v1\"\nname = \"One\"\n");
    let deep = format!(
        "{HEAD}[roadmap.extra]\n{} = 1\n",
        vec!["a"; 40_000].join(".")
    );
    for text in [&good, &deep] {
        common::write_file(dir.path(), "r.toml", text);
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("r.toml")).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parents: Vec<git2::Commit> = parent
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(
            repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &refs)
                .unwrap(),
        );
    }
    for args in [
        &["log"][..],
        &["log", "--format", "json"],
        &["diff", "HEAD~1", "HEAD"],
        &["show", "--at", "HEAD"],
        &["check"],
    ] {
        let out = roadlens(args, dir.path());
        let all = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{args:?}: {:?}\n{all}",
            out.status
        );
        if args[0] != "log" {
            assert!(all.contains("r.toml:5:1"), "{args:?}: {all}");
        }
    }
}

/// Issue 9, item 10: numbers TOML does not allow are TOML syntax errors at
/// their place, inside `[extra]` and anywhere else.
#[test]
fn invalid_toml_numbers_are_located_syntax_errors() {
    for snippet in ["0x", "0o", "0b", "1_0٠"] {
        for (where_, text, line) in [
            (
                "extra",
                format!("{HEAD}[roadmap.extra]\nbudget = {snippet}\n"),
                5,
            ),
            (
                "top level",
                format!("schema = 1\nbudget = {snippet}\n{HEAD}"),
                2,
            ),
        ] {
            let (out, code) = check_files(&[("n.toml", &text)]);
            assert_eq!(code, Some(1), "{snippet} in {where_}: {out}");
            let want = format!("n.toml:{line}:10: error: TOML syntax: ");
            assert!(
                out.starts_with(&want),
                "{snippet} in {where_}: wanted {want}\n{out}"
            );
            assert!(!out.contains("unknown key"), "{snippet} in {where_}: {out}");
        }
    }
    // 64-bit overflow: the schema check is not bypassed, a metric is not
    // left without its value.
    let (out, code) = check_files(&[("s.toml", &format!("schema = 99999999999999999999\n{HEAD}"))]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("s.toml:1:10: error: TOML syntax: "),
        "{out}"
    );
    let metric =
        format!("{HEAD}[[metric]]\nid = \"m\"\nname = \"M\"\ncurrent = 99999999999999999999\n");
    let (out, code) = check_files(&[("m.toml", &metric)]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("m.toml:7:11: error: TOML syntax: "),
        "{out}"
    );
    let metric = format!("{HEAD}[[metric]]\nid = \"m\"\nname = \"M\"\ncurrent = 1e999\n");
    let (out, _) = check_files(&[("f.toml", &metric)]);
    assert!(
        out.starts_with("f.toml:7:11: error: TOML syntax: floating-point number overflowed"),
        "{out}"
    );
}

/// Issue 9, item 13: a broken roadmap is found whatever valid spelling its
/// header has, with a BOM too; `check .` reports its errors and exits 1.
#[test]
fn discovery_finds_broken_roadmaps_in_any_header_spelling() {
    let broken = "id = \"x\"\ntitle = \"X\"\noops = = 1\n";
    let files: Vec<(String, String)> = [
        "\u{feff}[roadmap]",
        "[\"roadmap\"]",
        "[roadmap ]",
        "[ roadmap]",
        "['roadmap']",
    ]
    .iter()
    .enumerate()
    .map(|(i, h)| (format!("r{i}.toml"), format!("{h}\n{broken}")))
    .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (out, code) = check_files(&refs);
    assert_eq!(code, Some(1), "{out}");
    for i in 0..5 {
        assert!(
            out.contains(&format!("r{i}.toml:4:8: error: TOML syntax")),
            "r{i}: {out}"
        );
    }
    assert!(out.contains("5 roadmap files checked"), "{out}");
    // Places after a BOM are those an editor shows, and the BOM is not
    // echoed.
    let (out, _) = check_files(&[("b.toml", &format!("\u{feff}schema = 2\n{HEAD}"))]);
    assert!(
        out.starts_with("b.toml:1:10: error: unsupported schema version 2"),
        "{out}"
    );
    assert!(!out.contains('\u{feff}'), "{out}");
    // One mark may begin a file, not two (the toml crate dropped the second
    // after roadlens had dropped the first: "0 errors").
    let (out, code) = check_files(&[("bb.toml", &format!("\u{feff}\u{feff}{HEAD}"))]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("bb.toml:1:1: error: TOML syntax: a second byte order mark"),
        "{out}"
    );
}

/// Issue 8, item 8: an invalid id still takes part in every other check.
#[test]
fn an_invalid_id_does_not_hide_other_errors() {
    let text = format!(
        "{HEAD}[[release]]\nid = \"v1\"\nname = \"One\"\n[[feature]]\nid = \"Bad Id\"\ntitle = \"T\"\nrelease = \"v9\"\ncustomer_value = \"c\"\ndepends_on = [\"nosuch\"]\n  [[feature.work]]\n  layer = \"hardwre\"\n  title = \"W\"\n"
    );
    let (out, code) = check_files(&[("b.toml", &text)]);
    assert_eq!(code, Some(1));
    for want in [
        "b.toml:8:6: error: invalid id `Bad Id`",
        "b.toml:10:11: error: unknown release `v9` in `release`",
        "b.toml:12:15: error: unknown feature or work item `nosuch` in `depends_on[0]`",
        "b.toml:14:11: error: unknown layer `hardwre` in `layer`",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    assert!(out.contains("4 errors"), "{out}");
}

/// Issue 8, item 8: a duplicate id shows both places: the error at the
/// second, the first marked in the same report.
#[test]
fn a_duplicate_id_shows_both_places() {
    let dir = manifest().join("tests/fixtures/broken");
    let out = stdout(&roadlens(&["check", "duplicate-id.toml"], &dir));
    assert!(
        out.starts_with(
            "duplicate-id.toml:26:8: error: duplicate id `alerts`: already used by a feature\n"
        ),
        "{out}"
    );
    let lines: Vec<&str> = out.lines().collect();
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix));
    let first = at("20 | id = \"alerts\"").expect("the first place");
    assert!(
        lines[first + 1].contains("first used by this feature"),
        "{out}"
    );
    let second = at("26 |   id = \"alerts\"").expect("the second place");
    assert!(
        lines[second + 1].contains("^^^^^^^^ this work item reuses `alerts`"),
        "{out}"
    );
}

/// The first place of a duplicate id far from the second gets a snippet of
/// its own, headed with where it is (`::: file:line:col`, as rustc does): it
/// was headed `  ::: ` with no place at all.
#[test]
fn a_far_first_place_is_headed_with_its_location() {
    let text = "[roadmap]\nid=\"b\"\ntitle=\"B\"\n\n[[release]]\nid=\"r1\"\nname=\"R1\"\ntarget=\"2027-Q1\"\n\n[[release]]\nid=\"r2\"\nname=\"R2\"\ntarget=\"2027-Q2\"\n\n[[release]]\nid=\"r1\"\nname=\"dup\"\ntarget=\"2027-Q1\"\n";
    let (out, code) = check_files(&[("b.toml", text)]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("b.toml:16:4: error: duplicate id `r1`: already used by a release\n"),
        "{out}"
    );
    let lines: Vec<&str> = out.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.trim_start().starts_with(":::"))
        .expect("a second snippet");
    assert_eq!(lines[head], "  ::: b.toml:6:4", "{out}");
    assert_eq!(lines[head + 2], " 6 | id=\"r1\"", "{out}");
    assert!(
        lines[head + 3].contains("first used by this release"),
        "{out}"
    );
}

/// Issue 8, item 8: "did you mean" for keys, tables, enum values and ids,
/// and a hint for an `[extra]` outside any entity.
#[test]
fn typos_get_a_did_you_mean() {
    let text = format!(
        "{HEAD}[[release]]\nid = \"v1\"\nname = \"One\"\n[[features]]\nid = \"f\"\n[[feature]]\nid = \"g\"\ntitle = \"G\"\nrelease = \"v2\"\ncomitment = \"committed\"\nstatus = \"planed\"\ncustomer_value = \"c\"\n[extra]\nnote = 1\n"
    );
    let (out, code) = check_files(&[("t.toml", &text)]);
    assert_eq!(code, Some(1));
    let report = |head: &str, help: &str| {
        let at = out.find(head).unwrap_or_else(|| panic!("{head}\n{out}"));
        let rest = &out[at..];
        let end = rest[1..].find("t.toml:").map_or(rest.len(), |i| i + 1);
        assert!(rest[..end].contains(help), "{head}: {help}\n{out}");
    };
    report(
        "t.toml:7:3: error: unknown table `[[features]]` in the document",
        "help: did you mean `[[feature]]`?",
    );
    report(
        "t.toml:12:11: error: unknown release `v2` in `release`",
        "help: did you mean `v1`?",
    );
    report(
        "t.toml:13:1: error: unknown key `comitment` in [[feature]]",
        "help: did you mean `commitment`?",
    );
    report(
        "t.toml:14:10: error: invalid status `planed`",
        "help: did you mean \"planned\"?",
    );
    report(
        "t.toml:16:2: error: `extra` at the top level belongs to no entity",
        "help: an `[extra]` table belongs inside an entity: `[roadmap.extra]`, or `[feature.extra]` after a `[[feature]]`",
    );
    assert!(
        !out.contains("custom fields belong in an `[extra]` table"),
        "{out}"
    );
}

/// Issue 9, item 5: each file prints its first 50 diagnostics and counts
/// the rest; the summary counts all. 200 features each depending on all
/// others are one cycle error, not 19,900.
#[test]
fn many_diagnostics_are_capped_and_cycles_reported_once() {
    let mut text = String::from(HEAD);
    for i in 0..24_000 {
        text.push_str(&format!("k{i} = 1\n"));
    }
    let (out, code) = check_files(&[("u.toml", &text)]);
    assert_eq!(code, Some(1));
    assert_eq!(out.matches(": error: unknown key").count(), 50, "{out}");
    assert!(
        out.contains("u.toml:53:1: error: unknown key `k49`"),
        "{out}"
    );
    assert!(
        out.contains("… and 23,950 more errors in u.toml\n"),
        "{out}"
    );
    assert!(
        out.ends_with("1 roadmap file checked: 24000 errors, 0 warnings\n"),
        "{out}"
    );

    let ids: Vec<String> = (0..200).map(|i| format!("f{i}")).collect();
    let mut text = format!("{HEAD}[[release]]\nid = \"r\"\nname = \"R\"\n");
    for id in &ids {
        let deps: Vec<String> = ids
            .iter()
            .filter(|d| *d != id)
            .map(|d| format!("\"{d}\""))
            .collect();
        text.push_str(&format!(
            "[[feature]]\nid = \"{id}\"\ntitle = \"T\"\nrelease = \"r\"\ncustomer_value = \"c\"\ndepends_on = [{}]\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"w\"\n",
            deps.join(", ")
        ));
    }
    let (out, code) = check_files(&[("c.toml", &text)]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("c.toml:21:15: error: dependency cycle: f0 → f1 → f0\n"),
        "{}",
        &out[..out.len().min(2000)]
    );
    assert!(
        // (Each feature's work waits for what the feature depends on.)
        out.contains("400 features and work items depend on each other in cycles"),
        "{out}"
    );
    assert!(
        out.ends_with("1 roadmap file checked: 1 error, 0 warnings\n"),
        "{out}"
    );
}

/// A roadmap file nobody can read is an error of `check .`, not left out
/// (a pre-commit check passed it). Skipped as root, who reads anything.
#[test]
fn an_unreadable_roadmap_file_is_an_error_of_the_directory_check() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("secret.toml");
    std::fs::write(&path, "[roadmap]\nid = \"s\"\ntitle = \"S\"\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::File::open(&path).is_ok() {
        eprintln!("skipping: this user reads files without permission (root)");
        return;
    }
    let o = roadlens(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("secret.toml:1:1: error: cannot read file"),
        "{}",
        stdout(&o)
    );
}

/// The roadmap's own id is one of the ids that must be unique, and a metric
/// is a finite number (`nan` and `inf` are TOML, but became `null` in JSON).
#[test]
fn the_roadmap_id_is_unique_too_and_metrics_are_finite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(manifest().join("sample-roadmaps/smart-pump.toml"))
        .expect("sample")
        .replacen("current = 62.0", "current = nan", 1)
        .replacen("target = 90.0", "target = -inf", 1)
        // An integer a float cannot keep exactly (it became 9223372036854776000).
        .replacen("current = 97.2", "current = 9223372036854775807", 1)
        .replacen("target = 99.5", "target = 9007199254740992", 1);
    let id_line = text
        .lines()
        .find(|l| l.starts_with("id = "))
        .expect("roadmap id")
        .to_string();
    let rid = id_line
        .trim_start_matches("id = ")
        .trim_matches('"')
        .to_string();
    let text = text.replacen("id = \"v1\"", &format!("id = \"{rid}\""), 1);
    std::fs::write(dir.path().join("p.toml"), text).expect("write");
    let o = roadlens(&["check", "p.toml"], dir.path());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("duplicate id `{rid}`: already used by a roadmap")),
        "{out}"
    );
    assert!(out.contains("`current` in [[metric]]"), "{out}");
    assert!(out.contains("must be a finite number, not `NaN`"), "{out}");
    assert!(out.contains("not `-inf`"), "{out}");
    assert!(
        out.contains("is an integer too large to keep exactly"),
        "{out}"
    );
    assert!(out.contains("`9.223372036854776e18`"), "{out}");
    // 2^53 itself is kept.
    assert_eq!(out.matches("too large to keep exactly").count(), 1, "{out}");
}

/// A feature waits for all its work, and its work for what the feature
/// depends on: a work item that depends on its own feature, a feature that
/// depends on its own work, and a loop through two features' work are
/// cycles, each located at the dependency that closes it.
#[test]
fn cycles_through_a_features_work_are_errors() {
    let rel = "[[release]]\nid = \"r1\"\nname = \"R\"\ntarget = \"2027-Q3\"\n";
    let feature = |id: &str, deps: &str, work: &[(&str, &str)]| {
        let mut t = format!(
            "\n[[feature]]\nid = \"{id}\"\ntitle = \"T\"\nrelease = \"r1\"\ncustomer_value = \"c\"\n{deps}\n"
        );
        for (w, wdeps) in work {
            t.push_str(&format!(
                "  [[feature.work]]\n  id = \"{w}\"\n  layer = \"cloud\"\n  title = \"W\"\n  {wdeps}\n"
            ));
        }
        t
    };
    let own = format!(
        "{HEAD}{rel}{}",
        feature("f1", "", &[("w1", ""), ("w2", "depends_on = [\"f1\"]")])
    );
    let back = format!(
        "{HEAD}{rel}{}",
        feature("f1", "depends_on = [\"w1\"]", &[("w1", "")])
    );
    let across = format!(
        "{HEAD}{rel}{}{}",
        feature("f2", "", &[("w2", "depends_on = [\"f3\"]")]),
        feature("f3", "", &[("w3", "depends_on = [\"f2\"]")])
    );
    let (out, code) = check_files(&[
        ("own.toml", &own),
        ("back.toml", &back),
        ("across.toml", &across),
    ]);
    assert_eq!(code, Some(1), "{out}");
    for (at, what) in [
        ("own.toml:24:17", "dependency cycle: f1 → w2 → f1"),
        (
            "back.toml:14:15",
            "dependency cycle: feature f1 depends on its own work item w1",
        ),
        (
            "across.toml:31:17",
            "dependency cycle: f2 → w2 → f3 → w3 → f2",
        ),
    ] {
        assert!(
            out.contains(&format!("{at}: error: {what}\n")),
            "{at} {what}\n{out}"
        );
    }
    assert!(
        out.contains(
            "= help: a feature waits for all its work, and its work for what the feature depends on"
        ),
        "{out}"
    );
    // Work that waits for a sibling, or for another feature, is no cycle.
    let fine = format!(
        "{HEAD}{rel}{}{}",
        feature("f1", "", &[("w1", ""), ("w2", "depends_on = [\"w1\"]")]),
        feature(
            "f2",
            "depends_on = [\"f1\"]",
            &[("w3", "depends_on = [\"w2\"]")]
        )
    );
    let (out, code) = check_files(&[("fine.toml", &fine)]);
    assert!(!out.contains("cycle"), "{out}");
    assert_eq!(code, Some(0), "{out}");
}

/// Dates written the wrong way round are warned of at the date to change:
/// a work item whose `end` is over before its `start` begins, and a release
/// whose `start` comes after its `target`. Periods are compared as
/// intervals (the same quarter on both sides is fine); horizons are no
/// dates.
#[test]
fn an_end_before_its_start_is_warned_of() {
    let text = format!(
        "{HEAD}\n[[release]]\nid = \"r1\"\nname = \"R1\"\nstart = \"2028-01\"\ntarget = \"2027-Q3\"\n\n[[feature]]\nid = \"f\"\ntitle = \"F\"\nrelease = \"r1\"\ncustomer_value = \"c\"\n\n  [[feature.work]]\n  id = \"w\"\n  layer = \"cloud\"\n  title = \"W\"\n  start = 2027-06-01\n  end = 2027-05-01\n"
    );
    let (out, code) = check_files(&[("s.toml", &text)]);
    assert_eq!(code, Some(0), "{out}");
    for want in [
        "s.toml:8:9: warning: release `r1` starts after its target: its start 2028-01 is later than its target 2027-Q3\n",
        "s.toml:22:9: warning: work item `w` ends before it starts: its end 2027-05-01 is earlier than its start 2027-06-01\n",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    assert!(out.contains("^^^^^^^^^^ ends before its start"), "{out}");

    // The same period on both sides, overlapping periods, one day, and
    // horizons: no warning.
    let fine = format!(
        "{HEAD}\n[[release]]\nid = \"r1\"\nname = \"R1\"\nstart = \"2027-Q3\"\ntarget = \"2027-08\"\n\n[[release]]\nid = \"r2\"\nname = \"R2\"\nstart = \"2028\"\ntarget = \"next\"\n\n[[feature]]\nid = \"f\"\ntitle = \"F\"\nrelease = \"r1\"\ncustomer_value = \"c\"\n\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"Same quarter\"\n  start = \"2027-Q3\"\n  end = \"2027-Q3\"\n\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"One day\"\n  start = 2027-07-01\n  end = 2027-07-01\n\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"Inside\"\n  start = 2027-08-20\n  end = \"2027-08\"\n\n[[feature]]\nid = \"g\"\ntitle = \"G\"\nrelease = \"r2\"\ncustomer_value = \"c\"\n\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"Horizon\"\n  start = \"2029\"\n  end = \"now\"\n"
    );
    let (out, _) = check_files(&[("fine.toml", &fine)]);
    assert!(
        !out.contains("before it starts") && !out.contains("after its target"),
        "{out}"
    );
}
