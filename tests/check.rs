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
            // With today 2027-05-10, the API is done in two weeks from now.
            "plan.toml:35:26: warning: `driver` starts 2027-04 but depends on `cloud-api`, which ends 2027-05-23 (derived)",
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

/// A deterministic pseudo-random source (xorshift): `next(n)` is in `0..n`.
fn below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    }
}

/// Every roadmap text the tests know: samples and all fixtures.
fn all_fixture_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in [
        "sample-roadmaps",
        "tests/fixtures/valid",
        "tests/fixtures/broken",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(manifest().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

/// The fast scanner and `toml` give the same document wherever the scanner
/// accepts a text: on every fixture, and on thousands of mutations of them
/// (a byte removed, or a tricky snippet inserted) that land on quotes,
/// escapes, headers, comments and numbers.
#[test]
fn fast_scanner_agrees_with_toml() {
    use roadlens::model::doc::{reference, scan};
    let check = |name: &str, text: &str| -> bool {
        match scan(text) {
            None => false,
            Some(fast) => {
                let slow = reference(text).unwrap_or_else(|e| {
                    panic!("{name}: scanner accepted what toml rejects ({e:?}):\n{text}")
                });
                assert_eq!(fast, slow, "{name}: documents differ for:\n{text}");
                true
            }
        }
    };
    let mut texts = all_fixture_texts();
    let mut accepted_fixtures = 0;
    // Forms no fixture uses: inline tables, quoted and dotted keys.
    let inline = format!(
        "{}\n[[feature]]\nid = \"x\"\nextra = {{ jira = \"P-1\", \"quoted key\" = 'v', list = [1, 2], t = {{ a = true }} }}\n[[feature]]\nid = \"y\"\nextra.jira = \"P-2\"\nextra.\"a b\".c = 1\n",
        texts[0].1
    );
    texts.push(("inline tables".into(), inline));
    for (name, text) in &texts {
        accepted_fixtures += usize::from(check(name, text));
    }
    // All but the deliberately broken-syntax fixtures are in the subset.
    assert!(
        accepted_fixtures + 2 >= texts.len(),
        "{accepted_fixtures} of {}",
        texts.len()
    );

    const SNIPPETS: &[&str] = &[
        "\"", "'", "\\", "[", "]", "[[", "=", ".", "\n", "#", ",", "\"\"\"", "'''", "\\u00", "\\n",
        "1", "-", "0", " ", "\t", "\r", "{", "}", "x", "\\\n", "é", "\u{1}", "\"\"", "1.5", "true",
    ];
    let mut next = below(0x9e37_79b9_7f4a_7c15_u64);
    let (mut tried, mut accepted) = (0, 0);
    for (name, text) in &texts {
        for _ in 0..150 {
            let mut at = next(text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut mutated = text[..at].to_string();
            if next(3) == 0 {
                // Remove one character.
                let rest = &text[at..];
                let skip = rest.chars().next().map_or(0, char::len_utf8);
                mutated.push_str(&rest[skip..]);
            } else {
                mutated.push_str(SNIPPETS[next(SNIPPETS.len())]);
                mutated.push_str(&text[at..]);
            }
            tried += 1;
            accepted += usize::from(check(name, &mutated));
        }
    }
    // Most mutations land in comments or string contents and stay valid.
    assert!(accepted * 4 > tried, "only {accepted} of {tried} accepted");
    eprintln!("scanner: {accepted} of {tried} mutated texts accepted, all as toml reads them");
}

/// Loading two versions together (identical blocks read once, spans moved)
/// gives exactly what loading each alone gives: on every pair of a fixture
/// and a mutation of it, and on hand-made edits that move, copy and break
/// blocks.
#[test]
fn paired_load_equals_two_loads() {
    use roadlens::model::{load_bytes, pair::load_pair};
    let today = jiff::civil::date(2027, 5, 10);
    let same = |name: &str, a: &str, b: &str| -> bool {
        let Some((pa, pb)) = load_pair("x.toml", a.as_bytes(), b.as_bytes(), today) else {
            return false;
        };
        for (p, text) in [(pa, a), (pb, b)] {
            let plain = load_bytes("x.toml", text.as_bytes(), today);
            assert_eq!(p.source, plain.source, "{name}");
            assert_eq!(p.diagnostics, plain.diagnostics, "{name}:\n{text}");
            assert_eq!(p.roadmap, plain.roadmap, "{name}:\n{text}");
        }
        true
    };
    let texts = all_fixture_texts();
    let sample = &texts
        .iter()
        .find(|(n, _)| n.ends_with("smart-pump.toml"))
        .unwrap()
        .1;
    // Hand-made edits of the sample.
    let first_feature = sample.find("[[feature]]").unwrap();
    let second_feature =
        first_feature + 1 + sample[first_feature + 1..].find("[[feature]]").unwrap();
    let block = &sample[first_feature..second_feature];
    let edits = [
        ("unchanged", sample.clone()),
        (
            "block moved to the end",
            format!(
                "{}{}\n{block}",
                &sample[..first_feature],
                &sample[second_feature..]
            ),
        ),
        ("block copied (duplicate ids)", format!("{sample}\n{block}")),
        (
            "header line added at the top",
            format!("# moved down a line\n{sample}"),
        ),
        (
            "roadmap title changed",
            sample.replacen("title = ", "title = \"X\"\nold_title = ", 1),
        ),
        (
            "work before any feature",
            sample.replacen(
                "[[feature]]",
                "[[feature.work]]\nid = \"w\"\n[[feature]]",
                1,
            ),
        ),
        (
            "indented feature header",
            sample.replacen("\n[[feature]]", "\n  [[feature]]", 2),
        ),
        (
            "feature table as a single table",
            sample.replacen("[[feature]]", "[feature]", 1),
        ),
        (
            "a line inside a string looks like a header",
            sample.replacen(
                "title = \"",
                "title = \"\"\"\n[[feature]]\n\"\"\"\nold = \"",
                1,
            ),
        ),
        ("CRLF line ends", sample.replace('\n', "\r\n")),
    ];
    let mut paired = 0;
    for (name, edited) in &edits {
        paired += usize::from(same(name, sample, edited));
        paired += usize::from(same(name, edited, sample));
    }
    assert!(
        paired >= 12,
        "only {paired} of {} edits paired",
        edits.len() * 2
    );

    // A history: versions loaded one after another through one block cache.
    let cache = roadlens::model::pair::BlockCache::new();
    for (name, edited) in &edits {
        for text in [sample, edited, sample] {
            let cached = cache.load("x.toml", text.as_bytes(), today);
            let plain = load_bytes("x.toml", text.as_bytes(), today);
            assert_eq!(cached.diagnostics, plain.diagnostics, "cache, {name}");
            assert_eq!(cached.roadmap, plain.roadmap, "cache, {name}");
        }
    }

    // Mutations of every fixture, as in the scanner test.
    let mut next = below(0x2545_f491_4f6c_dd1d_u64);
    const SNIPPETS: &[&str] = &[
        "\"",
        "[",
        "[[feature]]\n",
        "\n",
        "#",
        "=",
        "x",
        "id = \"a\"\n",
        "\n[[release]]\nid = \"r\"\nname = \"R\"\n",
    ];
    let (mut tried, mut accepted) = (0, 0);
    for (name, text) in &texts {
        for _ in 0..40 {
            let mut at = next(text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mutated = format!(
                "{}{}{}",
                &text[..at],
                SNIPPETS[next(SNIPPETS.len())],
                &text[at..]
            );
            tried += 1;
            accepted += usize::from(same(name, text, &mutated));
        }
    }
    // Broken fixtures, and mutations that break a block, are loaded the
    // plain way; the valid fixtures' mutations mostly pair.
    assert!(accepted >= 60, "only {accepted} of {tried} paired");
    eprintln!(
        "paired load: {paired} edits and {accepted} of {tried} mutations paired, all equal to two plain loads"
    );
}

/// A file nested a hundred thousand arrays deep is an error with a place,
/// not a stack overflow (the scanner leaves deep nesting to toml, which
/// limits it).
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
