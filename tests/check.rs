//! `roadlens check`: one broken fixture per validation rule, each asserting
//! the exact `file:line:col` and message; every file reported in one run.

use std::path::Path;
use std::process::{Command, Output};

fn roadlens(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roadlens"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ROADLENS_TODAY", "2027-05-10")
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
        let first = text.lines().next().unwrap_or("");
        if !first.starts_with(&want) || out.status.code() != Some(*code) {
            failures.push(format!(
                "{name}: exit {:?}, first line\n  {first}\nwanted\n  {want}",
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
            .contains("25 roadmap files checked"),
        "{text}"
    );
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
