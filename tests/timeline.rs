//! The timeline: `roadlens timeline` as a subprocess (text, Mermaid, JSON,
//! SVG; baselines found by roadmap id at any revision) and the TUI's
//! timeline driven through its key handling on TestBackend (views, zoom,
//! baseline from History's mark or the picker, time-lapse, presentation
//! replay). Git work runs inline; nothing waits on a clock.

mod common;
use common::{new_repo, sandbox, write_file};
use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use roadlens::tui::{App, Msg};
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: Date = date(2027, 5, 10);

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/smart-pump.toml")
}

fn roadlens(dir: &Path, args: &[&str]) -> Output {
    common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// The demo repository (a year of history, uncommitted edits on top).
fn demo() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let info = roadlens::demo::build_demo_repo(&root).expect("demo");
    let ids = info.commits.iter().map(|c| c.id.to_string()).collect();
    (dir, root, ids)
}

fn commit_all(repo: &git2::Repository, message: &str, time: i64) -> String {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update removed files");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig =
        git2::Signature::new("Ada", "ada@example.com", &git2::Time::new(time, 0)).expect("sig");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit")
        .to_string()
}

fn plan(r1: &str, r2: &str, r3: &str) -> String {
    format!(
        "[roadmap]\nid = \"plan\"\ntitle = \"Plan\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"One\"\ntarget = {r1}\n\n\
         [[release]]\nid = \"r2\"\nname = \"Two\"\ntarget = {r2}\n\n\
         [[release]]\nid = \"r3\"\nname = \"Three\"\ntarget = {r3}\n\n\
         [[feature]]\nid = \"f1\"\ntitle = \"Feature one\"\nrelease = \"r1\"\ncustomer_value = \"Good.\"\n\n\
           [[feature.work]]\n  layer = \"cloud\"\n  title = \"Backend\"\n  estimate = \"3w\"\n"
    )
}

// -------------------------------------------------------------------- CLI

#[test]
fn text_chart_has_bars_milestones_and_today_at_80_and_160() {
    let dir = tempfile::tempdir().expect("tempdir");
    for w in ["80", "160"] {
        let out = stdout(&roadlens(
            dir.path(),
            &["timeline", sample().to_str().expect("path"), "--width", w],
        ));
        for l in out.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(l) <= w.parse::<usize>().expect("n"),
                "{l}"
            );
        }
        for glyph in ["█", "◆", "▼", "┆", "Later"] {
            assert!(out.contains(glyph), "{glyph} missing at {w}:\n{out}");
        }
        insta::assert_snapshot!(format!("timeline_exec_text_{w}"), out);
    }
    let out = stdout(&roadlens(
        dir.path(),
        &[
            "timeline",
            sample().to_str().expect("path"),
            "--lens",
            "engineering",
            "--by",
            "release",
            "--width",
            "100",
        ],
    ));
    insta::assert_snapshot!("timeline_engineering_by_release_text_100", out);
}

#[test]
fn markdown_is_a_mermaid_gantt_block() {
    let dir = tempfile::tempdir().expect("tempdir");
    for lens in ["exec", "sales", "layer:firmware"] {
        let out = stdout(&roadlens(
            dir.path(),
            &[
                "timeline",
                sample().to_str().expect("path"),
                "--lens",
                lens,
                "-f",
                "markdown",
            ],
        ));
        assert!(out.contains("```mermaid\ngantt\n"), "{out}");
        assert!(out.contains("    section "), "{out}");
        assert!(out.contains(":milestone, today,"), "{out}");
        // An axis by quarter ticks once a quarter (monthly ticks repeated
        // `2027-Q2` three times).
        assert_eq!(
            out.contains("axisFormat %Y-Q%q\n    tickInterval 3month\n"),
            lens == "sales",
            "{out}"
        );
        insta::assert_snapshot!(format!("timeline_{}_mermaid", lens.replace(':', "_")), out);
    }
}

/// The heading above the Mermaid block is plain Markdown, escaped as
/// `show --format markdown` escapes it: Mermaid's look-alikes (`꞉` for `:`,
/// `♯` for `#`, `,` for `;`) are for inside the block only.
#[test]
fn the_markdown_heading_is_escaped_markdown_not_mermaid_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = plan("\"2027-Q3\"", "\"2027-Q4\"", "\"2027-Q3\"").replacen(
        "title = \"Plan\"",
        "title = \"M: product; #1 <b>\"",
        1,
    );
    write_file(dir.path(), "plan.toml", &text);
    let out = stdout(&roadlens(
        dir.path(),
        &["timeline", "plan.toml", "--format", "markdown"],
    ));
    let head = out.lines().next().expect("a heading");
    assert_eq!(
        head, "## M: product; \\#1 \\<b\\> — timeline · exec · by release",
        "{out}"
    );
    let (above, block) = out.split_once("```mermaid").expect("the block");
    assert!(
        !above.contains('꞉') && !above.contains('♯') && !above.contains('‹'),
        "{above}"
    );
    // Inside the block, what Mermaid needs.
    assert!(block.contains("    title M꞉ product, ♯1 ‹b›\n"), "{block}");
}

/// A baseline at which the roadmap does not load is reported with the
/// revision in each diagnostic's place (`REV:plan.toml:13:10`), as `show
/// --at REV` reports it: without it the place pointed at the working
/// tree's file, which is fine.
#[test]
fn a_broken_baseline_is_located_at_its_revision() {
    let (dir, repo) = new_repo();
    let root = dir.path();
    write_file(
        root,
        "plan.toml",
        &plan("\"2027-Q3\"", "\"2027-Q5\"", "\"2027-Q3\""),
    );
    let broken = commit_all(&repo, "Broken plan", 1_790_000_000);
    write_file(
        root,
        "plan.toml",
        &plan("\"2027-Q3\"", "\"2027-Q4\"", "\"2027-Q3\""),
    );
    commit_all(&repo, "Fixed", 1_791_000_000);
    let short = &broken[..7];
    let o = roadlens(root, &["timeline", "--baseline", short]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(&format!(
            "{short}:plan.toml:13:10: error: invalid date `2027-Q5`"
        )),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("plan.toml:")), "{err}");
    // The same place as `show --at` gives it.
    let o = roadlens(root, &["show", "--at", short]);
    let shown = String::from_utf8_lossy(&o.stderr);
    let place = |s: &str| s.lines().next().unwrap_or("").to_string();
    assert_eq!(place(&err), place(&shown), "{shown}");
}

/// A repository whose first commit (its id returned) holds `plan.toml` with
/// r1 and r3 in 2027-Q3, r2 in 2027-Q4.
fn first_plan() -> (tempfile::TempDir, git2::Repository, String) {
    let (dir, repo) = new_repo();
    write_file(
        dir.path(),
        "plan.toml",
        &plan("\"2027-Q3\"", "\"2027-Q4\"", "\"2027-Q3\""),
    );
    let first = commit_all(&repo, "First plan", 1_790_000_000);
    (dir, repo, first)
}

#[test]
fn a_baseline_is_named_so_that_its_day_fits() {
    let (dir, repo, first) = first_plan();
    let root = dir.path();
    write_file(
        root,
        "plan.toml",
        &plan("\"2027-Q4\"", "\"2027-Q4\"", "\"2027-Q3\""),
    );
    commit_all(&repo, "Slip", 1_791_000_000);
    // A commit id typed whole is named by its short id: the day still fits
    // 80 columns.
    let out = stdout(&roadlens(
        root,
        &["timeline", "--baseline", &first, "--width", "80"],
    ));
    let head = out.lines().nth(1).expect("a second line");
    assert!(
        head.contains(&format!("baseline {} · 2026-09-21", &first[..7])),
        "{out}"
    );
    assert!(!out.contains(&first), "{out}");
    // A day before the first commit: said so, as the TUI says it.
    let o = roadlens(root, &["timeline", "--baseline", "2026-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no commit on or before 2026-01-01"), "{err}");
}

#[test]
fn json_gives_each_release_its_slip_against_the_baseline() {
    let (dir, repo, first) = first_plan();
    let root = dir.path();
    // Then: r1 slips a quarter, r2 is pulled in one, r3 is refined inside
    // its quarter; and the file moves.
    std::fs::remove_file(root.join("plan.toml")).expect("rm");
    write_file(
        root,
        "roadmaps/product.toml",
        &plan("\"2027-Q4\"", "\"2027-Q3\"", "2027-08-14"),
    );
    commit_all(&repo, "Replan and move", 1_791_000_000);
    let out = stdout(&roadlens(
        root,
        &["timeline", "--baseline", &first, "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let row = |id: &str| -> serde_json::Value {
        v["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .flat_map(|g| g["rows"].as_array().expect("rows").iter())
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {out}"))
    };
    assert_eq!(row("r1")["shift"]["kind"], "slipped", "{out}");
    assert_eq!(row("r1")["shift"]["amount"], "1 quarter");
    assert_eq!(row("r1")["shift"]["tag"], "+1 quarter");
    assert_eq!(
        row("r1")["shift"]["summary"],
        "slipped by 1 quarter: 2027-Q3 → 2027-Q4"
    );
    assert_eq!(row("r1")["baseline"]["place"]["end"], "2027-Q3");
    assert_eq!(row("r2")["shift"]["kind"], "pulled_in");
    assert_eq!(row("r2")["shift"]["tag"], "-1 quarter");
    assert_eq!(row("r3")["shift"]["kind"], "refined");
    // A feature is where the schedule puts its work (three weeks from
    // today, in both versions): its release's slip does not move it.
    assert_eq!(row("f1")["shift"]["kind"], "same");
    assert_eq!(row("f1")["place"]["end"], "2027-05-30");
    // Named as the headers name it: a commit id by its short form.
    assert_eq!(v["baseline"]["rev"], &first[..7]);
    // The text chart draws the ghosts and says it.
    let text = stdout(&roadlens(
        root,
        &["timeline", "--baseline", &first, "--width", "100"],
    ));
    assert!(text.contains("» +1 quarter"), "{text}");
    assert!(text.contains("« -1 quarter"), "{text}");
    assert!(text.contains('░') && text.contains('◇'), "{text}");
    assert!(
        text.contains("slipped by 1 quarter: 2027-Q3 → 2027-Q4"),
        "{text}"
    );
    // A revision where the roadmap was not yet: everything is new.
    let md = stdout(&roadlens(
        root,
        &["timeline", "--baseline", &first, "-f", "markdown"],
    ));
    assert!(md.contains("Against the baseline"), "{md}");
    assert!(md.contains("pulled in by 1 quarter"), "{md}");
}

#[test]
fn the_demo_against_its_first_commit() {
    let (_dir, root, ids) = demo();
    let out = stdout(&roadlens(
        &root,
        &["timeline", "--baseline", &ids[0], "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows: Vec<&serde_json::Value> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["rows"].as_array().expect("rows").iter())
        .collect();
    let v1 = rows.iter().find(|r| r["id"] == "v1").expect("v1");
    assert_eq!(v1["shift"]["tag"], "+1 quarter", "{v1}");
    let v3 = rows.iter().find(|r| r["id"] == "v3").expect("v3");
    assert_eq!(v3["baseline"]["in_baseline"], false, "{v3}");
    // The sales timeline names its baseline by quarter only.
    let sales = stdout(&roadlens(
        &root,
        &["timeline", "--lens", "sales", "--baseline", &ids[0]],
    ));
    assert!(sales.contains("baseline 2026-Q3"), "{sales}");
    assert!(!sales.contains(&ids[0][..7]), "{sales}");
}

/// An exploring feature has no date in either version: it is the same, not
/// "not in this version" (what the chart and the Mermaid notes said, by a
/// second copy of the rule, before there was one).
#[test]
fn an_undated_row_in_both_versions_is_the_same_in_every_format() {
    let (_dir, root, _ids) = demo();
    let args = |format: &'static str| -> Vec<&'static str> {
        vec![
            "timeline",
            "--lens",
            "sales",
            "--baseline",
            "HEAD~5",
            "--width",
            "100",
            "--format",
            format,
        ]
    };
    let json = stdout(&roadlens(&root, &args("json")));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["removed"], serde_json::json!([]), "{json}");
    let text = stdout(&roadlens(&root, &args("text")));
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Energy use insights"))
        .expect("the exploring feature is on the chart");
    assert!(lines[at + 1].contains("= same"), "{text}");
    assert!(!text.contains("not in this version"), "{text}");
    for format in ["markdown", "svg"] {
        let out = stdout(&roadlens(&root, &args(format)));
        assert!(!out.contains("not in this version"), "{format}:\n{out}");
    }
    // Outside the Mermaid block the notes are plain markdown: a real colon
    // (not Mermaid's look-alike), one marker at most.
    let exec = stdout(&roadlens(
        &root,
        &["timeline", "--baseline", "HEAD~11", "--format", "markdown"],
    ));
    let notes = exec.split("```").last().expect("after the block");
    assert!(notes.contains("Against the baseline"), "{exec}");
    assert!(notes.contains(": "), "{notes}");
    assert!(!notes.contains('꞉'), "{notes}");
    assert!(!notes.contains("— -") && !notes.contains("— +"), "{notes}");
}

/// The sales lens shows no date finer than a quarter: two days of the same
/// quarter give the same sales timeline in every format (the today line and
/// the Mermaid `Today` milestone were drawn at the exact day).
#[test]
fn the_sales_timeline_is_the_same_all_quarter_long() {
    let (_dir, root, _ids) = demo();
    for format in ["text", "markdown", "json", "svg"] {
        let at = |day: &str| {
            let o = common::roadlens_cmd(
                &root,
                &[
                    "timeline",
                    "--lens",
                    "sales",
                    "--baseline",
                    "HEAD~8",
                    "--format",
                    format,
                ],
            )
            .env("ROADLENS_TODAY", day)
            .output()
            .expect("run roadlens");
            stdout(&o)
        };
        let (a, b) = (at("2027-04-02"), at("2027-05-10"));
        assert_eq!(a, b, "{format}: the day shows through");
    }
}

/// The SVG's axis labels never run into each other ("2027-012027-02"):
/// each period is at least as wide as its label.
#[test]
fn svg_axis_labels_have_room() {
    let (_dir, root, _ids) = demo();
    for args in [
        vec!["timeline", "--baseline", "HEAD~11", "--format", "svg"],
        vec![
            "timeline",
            "--lens",
            "engineering",
            "--by",
            "release",
            "--width",
            "900",
            "--format",
            "svg",
        ],
    ] {
        let svg = stdout(&roadlens(&root, &args));
        let doc = roxmltree::Document::parse(&svg).expect("xml");
        let axis: Vec<(f64, usize)> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("axis"))
            .filter(|n| n.text().is_some_and(|t| t.starts_with("20")))
            .map(|n| {
                let x: f64 = n.attribute("x").expect("x").parse().expect("number");
                (x, n.text().unwrap_or("").chars().count())
            })
            .collect();
        assert!(axis.len() >= 2, "{args:?}: {axis:?}");
        for w in axis.windows(2) {
            let need = w[0].1 as f64 * 6.6;
            assert!(
                w[1].0 - w[0].0 >= need,
                "{args:?}: labels overlap: {axis:?}"
            );
        }
    }
}

#[test]
fn svg_is_well_formed_and_escapes_every_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = std::fs::read_to_string(sample())
        .expect("sample")
        .replacen(
            "title = \"Smart Pump\"",
            "title = \"</title><script>alert(1)</script> & \\\"x\\\" \\u001b[31m\"",
            1,
        )
        .replacen(
            "name = \"Vibration monitoring\"",
            "name = \"\\\"><img src=x onerror=alert(1)> ]]> <!-- x\"",
            1,
        );
    std::fs::write(dir.path().join("pump.toml"), hostile).expect("write");
    let out = stdout(&roadlens(dir.path(), &["timeline", "-f", "svg"]));
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    for n in &names {
        assert!(
            [
                "svg", "title", "style", "rect", "text", "line", "path", "circle"
            ]
            .contains(n),
            "unexpected element {n}"
        );
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            assert!(!a.name().starts_with("on"), "event handler {}", a.name());
            assert!(!a.value().contains("http:") || a.name() == "xmlns");
        }
    }
    let texts: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains("<script>alert(1)</script>"), "{texts}");
    assert!(texts.contains("onerror"), "{texts}");
    assert!(!texts.contains('\u{1b}'), "raw escape in {texts}");
    for label in ["Built-in vibration sensing", "today", "Later"] {
        assert!(texts.contains(label), "{label} missing");
    }
    // The sample as it is: labels, bars, milestones.
    let out = stdout(&roadlens(
        dir.path(),
        &["timeline", sample().to_str().expect("path"), "-f", "svg"],
    ));
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    assert!(doc.descendants().filter(|n| n.has_tag_name("path")).count() >= 3);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("a.toml")).expect("copy");
    std::fs::write(
        dir.path().join("b.toml"),
        "[roadmap]\nid = \"b\"\ntitle = \"B\"\n",
    )
    .expect("write");
    for args in [
        vec!["timeline", "--by", "layer"],
        vec!["timeline", "--lens", "sales", "--by", "release"],
        vec!["timeline", "-f", "svg"],
        vec!["timeline", "--baseline", "HEAD"],
        vec!["timeline", "--from", "soon"],
        vec!["timeline", "--from", "2028", "--to", "2027"],
        // One end alone that leaves nothing to draw.
        vec!["timeline", "--to", "2000"],
        vec!["timeline", "--width", "0"],
        vec!["timeline", "--width", "39"],
        vec!["timeline", "--from", "2100"],
        vec!["timeline", "--lens", "layer:nope"],
    ] {
        let o = roadlens(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {o:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let (_d, root, _) = demo();
    let o = roadlens(&root, &["timeline", "--baseline", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

/// The decision canvas has no timeline: said as such (no `--by` was given
/// to blame), and the list of lenses an unknown one gets does not offer it.
#[test]
fn the_decisions_lens_has_no_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("a.toml")).expect("copy");
    for lens in ["decisions", "canvas"] {
        let o = roadlens(dir.path(), &["timeline", "--lens", lens]);
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("the decisions lens has no timeline"), "{err}");
        assert!(!err.contains("--by"), "{err}");
    }
    let o = roadlens(dir.path(), &["timeline", "--lens", "nope"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("valid lenses: exec, sales, engineering, layer:"),
        "{err}"
    );
    assert!(!err.contains("decisions"), "{err}");
    // `show` still offers it.
    let o = roadlens(dir.path(), &["show", "--lens", "nope"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("decisions"));
}

// -------------------------------------------------------------------- TUI

fn app_at(dir: &Path, w: u16, h: u16) -> App {
    let mut app = App::new_for_test(dir, TODAY, w, h);
    app.settle();
    app
}

fn shot(app: &App) -> String {
    let (w, h) = app.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    format!("{}", t.backend())
}

fn press(app: &mut App, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.handle_key(KeyEvent::new(code, mods));
    app.settle();
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn every_lens_as_a_timeline_at_80x24_and_160x48() {
    let (_dir, root, _) = demo();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app_at(&root, w, h);
        for (k, name) in [("1", "exec"), ("2", "sales"), ("3", "engineering")] {
            keys(&mut app, k);
            keys(&mut app, "v");
            let s = shot(&app);
            assert!(s.contains("TIMELINE"), "{s}");
            insta::assert_snapshot!(format!("tui_timeline_{name}_{w}x{h}"), s);
        }
        // v again: the list.
        keys(&mut app, "v");
        assert!(!shot(&app).contains("TIMELINE ·"));
        keys(&mut app, "1+");
        let s = shot(&app);
        assert!(s.contains("months"), "{s}");
        insta::assert_snapshot!(format!("tui_timeline_exec_zoomed_{w}x{h}"), s);
        keys(&mut app, "--");
        assert!(shot(&app).contains("halves"));
    }
}

#[test]
fn the_legend_names_only_what_the_chart_draws() {
    let (_dir, root, _) = demo();
    let chart = |lens: &str, base: bool| {
        let mut args = vec!["timeline", "--lens", lens, "--width", "120"];
        if base {
            args.extend(["--baseline", "HEAD~5"]);
        }
        stdout(&roadlens(&root, &args))
    };
    // Releases have targets (◆); sales and work items have none.
    let exec = chart("exec", true);
    assert!(
        exec.contains("◆ target") && exec.contains("◇ baseline target"),
        "{exec}"
    );
    for lens in ["sales", "engineering", "layer:firmware"] {
        let s = chart(lens, true);
        assert!(!s.contains('◆') && !s.contains('◇'), "{lens}:\n{s}");
        assert!(
            s.contains("█ now") && s.contains("░ baseline"),
            "{lens}:\n{s}"
        );
    }
}

#[test]
fn the_svg_label_column_fits_the_titles() {
    let (_dir, root, _) = demo();
    let svg = stdout(&roadlens(
        &root,
        &["timeline", "--lens", "engineering", "--format", "svg"],
    ));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    // A 50-character title is shown whole, not cut at a fixed width.
    for title in [
        "CE and FCC EMC certification of the sensor module",
        "Import field service reports and link them to pump timelines",
    ] {
        assert!(
            texts.iter().any(|t| t.ends_with(title)),
            "{title}: {texts:?}"
        );
    }
}

/// The boxes an SVG draws on: every bar, ghost, diamond and dot (not the
/// white background), as `(x0, y0, x1, y1)`.
fn svg_shapes(doc: &roxmltree::Document) -> Vec<(f64, f64, f64, f64)> {
    let f = |n: &roxmltree::Node, a: &str| -> f64 {
        n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0)
    };
    let mut out = vec![];
    for n in doc.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "rect" if n.attribute("fill") != Some("#ffffff") => {
                let (x, y) = (f(&n, "x"), f(&n, "y"));
                out.push((x, y, x + f(&n, "width"), y + f(&n, "height")));
            }
            "circle" => {
                let (x, y, r) = (f(&n, "cx"), f(&n, "cy"), f(&n, "r"));
                out.push((x - r, y - r, x + r, y + r));
            }
            "path" => {
                let nums: Vec<f64> = n
                    .attribute("d")
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                let xs: Vec<f64> = nums.iter().copied().step_by(2).collect();
                let ys: Vec<f64> = nums.iter().copied().skip(1).step_by(2).collect();
                let lo = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
                let hi = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
                out.push((lo(&xs), lo(&ys), hi(&xs), hi(&ys)));
            }
            _ => {}
        }
    }
    out
}

/// Every tag against the baseline (`» +1 quarter`, `= same`, `+ not in
/// baseline`) is drawn where it can be read: inside the picture and over
/// nothing its row draws (a bar, a target diamond), also when the bar
/// reaches the chart's right edge and there is no Now / Next / Later column
/// to spill into.
#[test]
fn svg_tags_are_drawn_clear_of_the_bars() {
    let (dir, repo) = new_repo();
    let root = dir.path();
    write_file(
        root,
        "plan.toml",
        &plan("\"2027-Q3\"", "\"2027-Q4\"", "\"2027-Q2\""),
    );
    let first = commit_all(&repo, "First plan", 1_790_000_000);
    // r1 slips to the latest target: its bar ends at the chart's edge.
    write_file(
        root,
        "plan.toml",
        &plan("\"2027-Q4\"", "\"2027-Q4\"", "\"2027-Q2\""),
    );
    commit_all(&repo, "Slip", 1_791_000_000);
    let (_demo_dir, demo_root, _) = demo();
    let mut cases: Vec<(&Path, Vec<&str>)> = vec![];
    for width in ["1200", "640"] {
        cases.push((root, vec!["--baseline", first.as_str(), "--width", width]));
    }
    for lens in ["exec", "sales", "engineering", "layer:hardware"] {
        cases.push((&demo_root, vec!["--lens", lens, "--baseline", "HEAD~10"]));
    }
    // Bars cut at the chart's end.
    cases.push((&demo_root, vec!["--baseline", "HEAD~10", "--to", "2027-Q3"]));
    for (at, args) in cases {
        let mut all = vec!["timeline", "--format", "svg"];
        all.extend(&args);
        let svg = stdout(&roadlens(at, &all));
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let width: f64 = doc
            .root_element()
            .attribute("width")
            .and_then(|w| w.parse().ok())
            .expect("width");
        let shapes = svg_shapes(&doc);
        let mut tags = 0;
        for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let text = t.text().unwrap_or("");
            if !["» ", "« ", "= ", "+ ", "~ ", "- "]
                .iter()
                .any(|m| text.starts_with(m))
            {
                continue;
            }
            tags += 1;
            let num = |a: &str| -> f64 { t.attribute(a).expect(a).parse().expect("a number") };
            let (x0, y) = (num("x"), num("y"));
            // The 11 px text at 6.2 px a character, its ascent above y.
            let x1 = x0 + 6.2 * text.chars().count() as f64;
            let (y0, y1) = (y - 9.0, y + 2.0);
            assert!(
                x0 >= 0.0 && x1 <= width,
                "{args:?}: {text:?} at {x0}..{x1} leaves the picture ({width})"
            );
            for s in &shapes {
                assert!(
                    s.2 <= x0 || s.0 >= x1 || s.3 <= y0 || s.1 >= y1,
                    "{args:?}: {text:?} at ({x0}..{x1}, {y0}..{y1}) is drawn over {s:?}"
                );
            }
        }
        assert!(tags > 0, "{args:?}: no tag in\n{svg}");
    }
}

#[test]
fn an_undated_rows_change_tag_follows_its_note() {
    // f1 had a quarter; now it is exploring: the sales row has no bar, its
    // note says so, and its tag against the baseline comes after the note.
    let (dir, repo) = new_repo();
    let root = dir.path();
    let plan = |commitment: &str| {
        format!(
            "[roadmap]\nid = \"plan\"\ntitle = \"Plan\"\n\n\
             [[release]]\nid = \"r1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n\n\
             [[feature]]\nid = \"f1\"\ntitle = \"Feature one\"\nrelease = \"r1\"\n\
             visibility = \"public\"\ncommitment = \"{commitment}\"\ncustomer_value = \"Good.\"\n"
        )
    };
    write_file(root, "plan.toml", &plan("committed"));
    let first = commit_all(&repo, "First plan", 1_790_000_000);
    write_file(root, "plan.toml", &plan("exploring"));
    commit_all(&repo, "Not sure any more", 1_791_000_000);
    let svg = stdout(&roadlens(
        root,
        &[
            "timeline",
            "--lens",
            "sales",
            "--baseline",
            &first,
            "--format",
            "svg",
        ],
    ));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let text = |class: &str, starts: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some(class))
            .find(|n| n.text().is_some_and(|t| t.starts_with(starts)))
            .map(|n| {
                let x: f64 = n.attribute("x").expect("x").parse().expect("a number");
                (x, n.text().expect("text").chars().count())
            })
            .unwrap_or_else(|| panic!("{class} {starts:?} in {svg}"))
    };
    let (note_x, note_chars) = text("note", "exploring, no date");
    let (tag_x, _) = text("note", "~");
    // Past the note at 6 px a character of its 11 px text.
    assert!(
        tag_x >= note_x + 6.0 * note_chars as f64,
        "tag at {tag_x}, note at {note_x} ({note_chars} characters)\n{svg}"
    );
}

#[test]
fn a_bar_is_where_the_items_detail_says_the_schedule_puts_it() {
    let (_dir, root, _) = demo();
    // The labelling tool has no dates: it starts when the service report
    // import it depends on ends.
    let out = stdout(&roadlens(
        &root,
        &["timeline", "--lens", "engineering", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let place = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["rows"].as_array().expect("rows").iter())
        .find(|r| r["id"] == "labelling-tool")
        .map(|r| r["place"].clone())
        .unwrap_or_else(|| panic!("labelling-tool in {out}"));
    let start = place["start"].as_str().expect("a bar").to_string();
    assert_eq!(place["derived"], true, "{place}");
    // Its detail, opened from its row of the engineering timeline, says the
    // same day and why.
    let mut app = app_at(&root, 160, 48);
    keys(&mut app, "3v");
    let why = "derived from depends_on service-report-import";
    let mut found = None;
    for _ in 0..60 {
        press(&mut app, KeyCode::Enter);
        let s = shot(&app);
        if s.contains(why) {
            found = Some(s);
            break;
        }
        press(&mut app, KeyCode::Esc);
        keys(&mut app, "j");
    }
    let s = found.expect("the labelling tool's detail");
    assert!(s.contains(&format!("start {start}, {why}")), "{start}\n{s}");
}

#[test]
fn the_baseline_is_the_entry_marked_in_history() {
    let (_dir, root, _) = demo();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app_at(&root, w, h);
        // The oldest commit, marked.
        keys(&mut app, "5G ");
        keys(&mut app, "1vb");
        let s = shot(&app);
        assert!(s.contains("baseline: 30555e2 · 2026-09-07"), "{s}");
        assert!(s.contains("» +1 quarter"), "{s}");
        assert!(s.contains('░') && s.contains('◇'), "{s}");
        insta::assert_snapshot!(format!("tui_timeline_baseline_{w}x{h}"), s);
        keys(&mut app, "B");
        assert!(shot(&app).contains("no baseline (b)"));
    }
}

#[test]
fn the_baseline_picker_lists_commits_and_dates() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 100, 30);
    keys(&mut app, "1vb");
    let s = shot(&app);
    assert!(s.contains("Baseline: tags, roadmap commits, dates"), "{s}");
    assert!(s.contains("Start the Smart Pump roadmap"), "{s}");
    assert!(s.contains("start of this year"), "{s}");
    // A year ago is before the first commit (2026-09-07): not offered.
    assert!(!s.contains("1 year ago"), "{s}");
    assert!(s.contains("6 months ago"), "{s}");
    // The start of the year: the last commit before it.
    press(&mut app, KeyCode::End);
    keys(&mut app, "kk");
    press(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("baseline: f7abf42 · 2026-12-07"), "{s}");
    assert!(s.contains("» +1 quarter"), "{s}");
    // Esc closes the picker without a change.
    keys(&mut app, "B");
    keys(&mut app, "b");
    press(&mut app, KeyCode::Esc);
    assert!(shot(&app).contains("no baseline (b)"));
}

/// A tag picked in the picker names the baseline, as `--baseline v2027.1`
/// names it in the CLI; the picker opens on its first row every time, the
/// first time too (when the tags come in after it opened).
#[test]
fn a_tag_picked_names_the_baseline_and_the_picker_opens_on_its_first_row() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 80, 24);
    let selected_row = |app: &App| {
        let (w, h) = app.size();
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| app.draw(f)).expect("draw");
        let buf = t.backend().buffer().clone();
        // The picker's selected line: inside its box (a border at either
        // side), in the selection's style (cyan, or reverse video).
        let selected = |x: u16, y: u16| {
            let c = &buf[(x, y)];
            c.bg == Color::Cyan || c.modifier.contains(Modifier::REVERSED)
        };
        (0..h)
            .filter(|y| buf[(2, *y)].symbol() == "│")
            .find(|y| (5..w - 5).all(|x| selected(x, *y)))
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .unwrap_or_default()
    };
    keys(&mut app, "1vb");
    let first = selected_row(&app);
    assert!(first.contains("tag v2027.2"), "{first}\n{}", shot(&app));
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "Bb");
    assert_eq!(selected_row(&app), first, "{}", shot(&app));
    keys(&mut app, "j");
    assert!(selected_row(&app).contains("tag v2027.1"), "{}", shot(&app));
    press(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("baseline: v2027.1 · 2027-01-"), "{s}");
}

#[test]
fn the_time_lapse_steps_through_the_commits_that_changed_the_roadmap() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 100, 40);
    keys(&mut app, "1v");
    let now = shot(&app);
    keys(&mut app, "<");
    let s = shot(&app);
    assert!(
        s.contains("◂ 1/15 ▸ 215acce 2027-05-03  Firmware and factory status"),
        "{s}"
    );
    assert_ne!(s, now);
    // Back to before v1 slipped to Q3: its target milestone moves a quarter
    // earlier.
    let v1_line = |s: &str| {
        s.lines()
            .find(|l| l.contains("v1 Vibration"))
            .map(|l| l.find('◆').unwrap_or(0))
            .unwrap_or(0)
    };
    let before = v1_line(&s);
    keys(&mut app, "<<<<<");
    let s = shot(&app);
    assert!(s.contains("◂ 6/15 ▸"), "{s}");
    assert!(v1_line(&s) < before, "{s}");
    // A baseline stays put while stepping.
    keys(&mut app, ">>>>>>");
    let s = shot(&app);
    assert!(!s.contains("◂ "), "{s}");
    assert_eq!(s, now);
    // The broken commit of the demo says so and keeps going.
    keys(&mut app, "<<<<<<<<<<<<");
    let s = shot(&app);
    assert!(s.contains("◂ 12/15 ▸"), "{s}");
    // Said before the subject, which a narrow screen cuts (with `…`).
    assert!(
        s.contains("◂ 12/15 ▸ b08fd7b 2026-10-19  cannot show it: does not parse there  Cloud"),
        "{s}"
    );
    let step = s.lines().find(|l| l.contains("◂ 12/15")).unwrap_or("");
    assert!(step.trim_end().ends_with("…\""), "{step}");
    keys(&mut app, "<<<<<<<<");
    assert!(shot(&app).contains("◂ 15/15 ▸ 30555e2"));
}

#[test]
fn search_help_and_keys_work_over_a_timeline() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 80, 24);
    // A search's Enter puts the cursor on the item's row (Enter then
    // opens it).
    keys(&mut app, "1v/energy");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("feature Energy use insights"), "{s}");
    press(&mut app, KeyCode::Esc);
    // Help over a timeline scrolls, as it says; G stops at its last page,
    // so k scrolls back at once.
    keys(&mut app, "?");
    let top = shot(&app);
    keys(&mut app, "j");
    let down = shot(&app);
    assert_ne!(top, down);
    keys(&mut app, "G");
    let bottom = shot(&app);
    keys(&mut app, "k");
    assert_ne!(shot(&app), bottom);
    // Closed, the timeline is as it was.
    keys(&mut app, "?");
    assert!(shot(&app).contains("TIMELINE"));
}

#[test]
fn a_detail_opened_at_a_time_lapse_step_is_of_that_version() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 100, 40);
    keys(&mut app, "1v<<<gjjj");
    assert!(shot(&app).contains("◂ 3/15 ▸ 2c0588c 2027-04-12"));
    press(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("feature Vibration threshold alerts"), "{s}");
    assert!(s.contains("status          planned "), "{s}");
    keys(&mut app, "G");
    let s = shot(&app);
    assert!(
        s.contains("as of 2c0588c 2027-04-12 (time-lapse): back to now (>) for its history"),
        "{s}"
    );
    // Now: the working tree's version, with its history.
    press(&mut app, KeyCode::Esc);
    keys(&mut app, ">>>");
    press(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("status          in-progress "), "{s}");
    keys(&mut app, "G");
    assert!(!shot(&app).contains("time-lapse"));
}

#[test]
fn a_time_lapse_step_projected_by_the_worker_draws_as_the_ui_would() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 160, 48);
    keys(&mut app, "5G ");
    keys(&mut app, "1vb<<");
    // The worker projected this step's rows through the Executive lens.
    let stepped = shot(&app);
    assert!(stepped.contains("◂ 2/15 ▸"), "{stepped}");
    // Another lens's timeline, then back: the UI projects the same
    // version itself.
    keys(&mut app, "3v");
    assert!(shot(&app).contains("◂ 2/15 ▸"));
    keys(&mut app, "1");
    assert_eq!(shot(&app), stepped);
}

#[test]
fn the_time_lapse_steps_against_a_baseline_that_stays_put() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 160, 48);
    // The oldest commit, marked, is the baseline.
    keys(&mut app, "5G ");
    keys(&mut app, "1vb");
    // The chart, without the status line (which said what was set).
    let chart = |app: &roadlens::tui::App| {
        let s = shot(app);
        let lines: Vec<&str> = s.lines().collect();
        lines[..lines.len() - 1].join("\n")
    };
    let now = chart(&app);
    assert!(now.contains("» +1 quarter"), "{now}");
    // Stepped back to that commit, the roadmap is its own baseline: nothing
    // slipped or was pulled in.
    keys(&mut app, &"<".repeat(15));
    let s = shot(&app);
    assert!(s.contains("◂ 15/15 ▸ 30555e2"), "{s}");
    assert!(s.contains("baseline: 30555e2 · 2026-09-07"), "{s}");
    assert!(!s.contains("» +") && !s.contains("» -"), "{s}");
    // Forward to now: the same chart as before the steps.
    keys(&mut app, &">".repeat(15));
    assert_eq!(chart(&app), now);
    // Another lens's timeline and back: still against that baseline.
    keys(&mut app, "3v");
    let mut fresh = app_at(&root, 160, 48);
    keys(&mut fresh, "5G ");
    keys(&mut fresh, "3vb");
    assert_eq!(chart(&app), chart(&fresh));
    keys(&mut app, "1");
    assert_eq!(chart(&app), now);
    // Another baseline replaces it.
    keys(&mut app, "B5gg ");
    keys(&mut app, "1b");
    let s = shot(&app);
    assert!(!s.contains("30555e2") && s.contains("baseline: "), "{s}");
    assert!(!s.contains("» +1 quarter"), "{s}");
}

#[test]
fn the_sales_time_lapse_hides_commit_messages() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 100, 30);
    keys(&mut app, "2v<");
    let s = shot(&app);
    // The quarter only: no commit id, day or message.
    assert!(s.contains("◂ 1/15 ▸ 2027-Q2"), "{s}");
    assert!(!s.contains("215acce") && !s.contains("2027-05-03"), "{s}");
    assert!(!s.contains("Firmware and factory status"), "{s}");
    // The broken commit: that it cannot be shown, not why (a line, a
    // revision).
    keys(&mut app, &"<".repeat(11));
    let s = shot(&app);
    assert!(
        s.contains("◂ 12/15 ▸ 2026-Q4  cannot show this version"),
        "{s}"
    );
    // A baseline that cannot be had (a day before the first commit): no
    // day said either.
    app.handle_msg(Msg::Baseline(Err(
        "no commit on or before 2026-05-10".into()
    )));
    let s = shot(&app);
    assert!(
        s.contains("no baseline: no version of the roadmap for that quarter"),
        "{s}"
    );
    assert!(!s.contains("2026-05-10"), "{s}");
}

#[test]
fn presentation_replays_history_on_the_timeline_page() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 100, 30);
    keys(&mut app, "1vp");
    let s = shot(&app);
    assert!(s.contains("TIMELINE"), "{s}");
    assert!(s.contains("a replay"), "{s}");
    // `b` sets no baseline in a presentation: not offered there.
    assert!(s.contains("no baseline") && !s.contains("(b)"), "{s}");
    keys(&mut app, "b");
    assert!(!shot(&app).contains("Baseline:"), "{}", shot(&app));
    keys(&mut app, "a");
    assert!(shot(&app).contains("◂ 15/15 ▸"));
    let mut ticks = 0;
    while shot(&app).contains("◂ ") {
        app.handle_msg(Msg::Tick);
        app.settle();
        ticks += 1;
        assert!(ticks <= 15, "the replay never ends");
    }
    assert_eq!(ticks, 15);
    // Replay done: ticks change nothing more.
    assert!(!app.handle_msg(Msg::Tick));
}

/// Space pages the presentation timeline a page at a time and stops at
/// the last page (it scrolled on into empty screens), with "page k/n".
#[test]
fn the_presentation_timeline_pages_and_stops_at_its_last_page() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "3vp");
    let first = shot(&app);
    assert!(first.contains("page 1/"), "{first}");
    for _ in 0..10 {
        keys(&mut app, " ");
    }
    let last = shot(&app);
    assert!(last.contains("█"), "bars on the last page:\n{last}");
    let n = last
        .split("page ")
        .nth(1)
        .and_then(|x| x.split('/').next())
        .expect("page k/n");
    assert!(last.contains(&format!("page {n}/{n}")), "{last}");
    keys(&mut app, " ");
    assert_eq!(shot(&app), last, "Space on the last page stays");
    press(&mut app, KeyCode::Backspace);
    assert_ne!(shot(&app), last, "Backspace goes back a page");
    // The presentation does not zoom: its title offers no zoom key.
    assert!(!first.contains("(+/-)"), "{first}");
    // Another presentation starts on its first page, not where the last
    // one was left.
    keys(&mut app, " ");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "p");
    assert!(shot(&app).contains("page 1/"), "{}", shot(&app));
}

#[test]
fn small_terminals_and_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("pump.toml")).expect("copy");
    for (w, h) in [(40, 10), (41, 12), (200, 60)] {
        let mut app = app_at(dir.path(), w, h);
        for k in ["1v", "+", "+", "llll", "2v", "-", "-", "3v", "4v", "]"] {
            keys(&mut app, k);
            let s = shot(&app);
            assert!(!s.is_empty());
        }
    }
    let mut app = app_at(dir.path(), 100, 160);
    keys(&mut app, "?");
    let s = shot(&app);
    for line in [
        "this lens as a timeline",
        "Timeline (v on a lens tab)",
        "time-lapse: the roadmap one commit back",
        "timeline page: replay history",
    ] {
        assert!(s.contains(line), "{line} not in help:\n{s}");
    }
    // Without a repository: the baseline says why.
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "1vb");
    assert!(shot(&app).contains("a baseline needs a git repository"));
}

#[test]
fn from_and_to_set_the_ends_of_the_axis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = stdout(&roadlens(
        dir.path(),
        &[
            "timeline",
            sample().to_str().expect("path"),
            "--lens",
            "layer:firmware",
            "--from",
            "2027-Q1",
            "--to",
            "2027",
            "--width",
            "90",
        ],
    ));
    let axis = out.lines().nth(3).expect("axis");
    assert!(axis.contains("│Jan Feb") && axis.contains("Dec │"), "{out}");
    assert!(!out.contains("2028"), "{out}");
    // A range longer than the width shows at months is drawn at a coarser
    // zoom, whole: in text and in the SVG.
    let file = sample();
    let file = file.to_str().expect("path");
    let args = |extra: &[&str]| {
        let mut a = vec!["timeline", file, "--from", "2027", "--to", "2035"];
        a.extend_from_slice(extra);
        stdout(&roadlens(dir.path(), &a))
    };
    let out = args(&["--width", "100"]);
    let axis = out.lines().nth(3).expect("axis");
    assert!(
        axis.contains("years") && axis.contains("2027") && axis.contains("2035"),
        "{out}"
    );
    let svg = args(&["--format", "svg"]);
    assert!(svg.contains(">2027") && svg.contains(">2035"), "{svg}");
}

/// `v` carries the selection: the list's item is the timeline's row, and
/// the timeline's row is the list's item when it goes back.
#[test]
fn the_selection_goes_along_between_list_and_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("pump.toml")).expect("copy");
    let mut app = app_at(dir.path(), 100, 30);
    let detail_title = |app: &mut App| {
        press(app, KeyCode::Enter);
        let s = shot(app);
        press(app, KeyCode::Esc);
        s.lines().nth(2).unwrap_or("").to_string()
    };
    keys(&mut app, "1jjjjjj");
    let in_list = detail_title(&mut app);
    keys(&mut app, "v");
    assert!(shot(&app).contains("TIMELINE"));
    assert_eq!(detail_title(&mut app), in_list);
    keys(&mut app, "jjj");
    let in_timeline = detail_title(&mut app);
    assert_ne!(in_timeline, in_list);
    keys(&mut app, "v");
    assert_eq!(detail_title(&mut app), in_timeline);
}

/// A roadmap from mid-2026 to the end of 2027, with horizon targets: at 80
/// columns its months do not all fit.
fn long_plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("long.toml"),
        "[roadmap]\nid = \"long\"\ntitle = \"Long\"\n\n\
         [[release]]\nid = \"r0\"\nname = \"Zero\"\nstart = \"2026-07\"\ntarget = 2026-12-01\nstatus = \"shipped\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"One\"\nstart = \"2027-01\"\ntarget = \"2027-Q3\"\n\n\
         [[release]]\nid = \"r2\"\nname = \"Two\"\nstart = \"2027-04\"\ntarget = \"2027-Q4\"\n\n\
         [[release]]\nid = \"r3\"\nname = \"Three\"\ntarget = \"later\"\n\n\
         [[release]]\nid = \"r4\"\nname = \"Four\"\ntarget = \"next\"\n\n\
         [[feature]]\nid = \"f1\"\ntitle = \"Feature one\"\nrelease = \"r1\"\nvisibility = \"public\"\n\
         customer_value = \"Good.\"\n\n\
         [[feature]]\nid = \"f2\"\ntitle = \"Feature two\"\nrelease = \"r2\"\nvisibility = \"public\"\n\
         customer_value = \"Better.\"\n",
    )
    .expect("write");
    dir
}

/// A zoom keeps today in view (it was scrolled back to the range's start,
/// a year before today), and the middle of the view when today was not in
/// it.
#[test]
fn a_zoom_keeps_today_in_view() {
    let dir = long_plan();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "v");
    assert!(shot(&app).contains('▼'), "{}", shot(&app));
    keys(&mut app, "+");
    let s = shot(&app);
    assert!(s.contains("months") && s.contains('▼'), "{s}");
    let axis = |s: &str| s.lines().nth(4).unwrap_or_default().to_string();
    assert!(axis(&s).contains("May"), "{s}");
    keys(&mut app, "-+");
    assert!(shot(&app).contains('▼'), "{}", shot(&app));
    // Scrolled to the start, today off screen: a zoom keeps the middle of
    // the view where it is (at the finest zoom `+` changes nothing).
    keys(&mut app, "hhhhhhhhhhhh");
    let start = shot(&app);
    assert!(
        !start.contains('▼') && axis(&start).contains("Jul"),
        "{start}"
    );
    keys(&mut app, "+");
    assert_eq!(shot(&app), start);
}

/// The Sales timeline is never finer than quarters, whichever tab zoomed
/// to months, in the tab and on the presentation page.
#[test]
fn the_sales_timeline_is_never_finer_than_quarters() {
    let (_dir, root, _) = demo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "v+");
    assert!(shot(&app).contains("· months"), "{}", shot(&app));
    keys(&mut app, "2v");
    let s = shot(&app);
    assert!(s.contains("· quarters") && !s.contains("Jan "), "{s}");
    // `+` there stays at quarters; `-` goes to halves at once.
    keys(&mut app, "+");
    assert!(shot(&app).contains("· quarters"), "{}", shot(&app));
    keys(&mut app, "-");
    assert!(shot(&app).contains("· halves"), "{}", shot(&app));
    // Months on Executive again, then the Sales presentation page.
    keys(&mut app, "1++");
    assert!(shot(&app).contains("· months"), "{}", shot(&app));
    keys(&mut app, "2p");
    let s = shot(&app);
    assert!(s.contains("TIMELINE") && s.contains("quarters"), "{s}");
    assert!(!s.contains("months") && !s.contains("Jan "), "{s}");
}

/// With `--from` / `--to`, what lies beyond the range is left off the SVG,
/// never pinned to its edge: a target before `--from`, a baseline target
/// after `--to`; in the text chart a ghost bar cut by an edge says so
/// (`▸`), as the bar above it does.
#[test]
fn what_lies_beyond_from_and_to_is_left_off_or_marked_cut() {
    let (dir, repo) = new_repo();
    let root = dir.path();
    // r3 starts in April: its bar runs from there to its target.
    let plan = |r1: &str, r2: &str, r3: &str| {
        plan(r1, r2, r3).replace(
            "name = \"Three\"\n",
            "name = \"Three\"\nstart = \"2027-04\"\n",
        )
    };
    write_file(
        root,
        "plan.toml",
        &plan("2026-12-01", "\"2027-Q2\"", "\"2027-Q4\""),
    );
    commit_all(&repo, "First plan", 1_790_000_000);
    write_file(
        root,
        "plan.toml",
        &plan("2026-12-01", "\"2027-Q2\"", "\"2027-Q3\""),
    );
    let args = |extra: &[&str]| {
        let mut a = vec![
            "timeline",
            "--baseline",
            "HEAD",
            "--from",
            "2027-Q1",
            "--to",
            "2027-Q3",
        ];
        a.extend_from_slice(extra);
        stdout(&roadlens(root, &a))
    };
    let svg = args(&["--format", "svg"]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let diamonds = |fill: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("fill") == Some(fill))
            .count()
    };
    // Now: r2's and r3's targets, and the legend's (r1's is before
    // `--from`). Then: r2's, and the legend's (r1's is before `--from`,
    // r3's after `--to`).
    assert_eq!(diamonds("#111827"), 3, "{svg}");
    assert_eq!(diamonds("#ffffff"), 2, "{svg}");
    // The text chart: r3's ghost bar goes on past `--to`, as it did.
    let text = args(&["--width", "100"]);
    let lines: Vec<&str> = text.lines().collect();
    let r3 = lines
        .iter()
        .position(|l| l.contains("Three"))
        .expect("r3's row");
    let ghost = lines[r3 + 1];
    assert!(ghost.contains('░'), "{text}");
    assert!(ghost.trim_end().ends_with('▸'), "{text}");
}

/// A narrow picture (`--width 480`) keeps its axis labels, its Now / Next
/// / Later columns and its legend inside (the legend wraps), and a long
/// title is cut with `…`; the text legend wraps at `--width 40`.
#[test]
fn a_narrow_chart_keeps_its_title_axis_and_legend_inside() {
    let (dir, repo, _) = first_plan();
    let root = dir.path();
    let long = "A very long roadmap title that goes on and on about the product";
    let plan = |r1: &str| {
        plan(r1, "\"2027-Q4\"", "\"later\"")
            .replace("title = \"Plan\"", &format!("title = \"{long}\""))
    };
    write_file(root, "plan.toml", &plan("\"2027-Q3\""));
    commit_all(&repo, "Long title", 1_790_500_000);
    write_file(root, "plan.toml", &plan("\"2027-Q4\""));
    let svg = stdout(&roadlens(
        root,
        &[
            "timeline",
            "--baseline",
            "HEAD",
            "--format",
            "svg",
            "--width",
            "480",
        ],
    ));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let texts = |class: &str| -> Vec<(f64, String)> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some(class))
            .map(|n| {
                let x = n.attribute("x").and_then(|x| x.parse().ok()).unwrap_or(0.0);
                (x, n.text().unwrap_or_default().to_string())
            })
            .collect()
    };
    let title = &texts("title")[0].1;
    assert!(
        title.ends_with('…') && title.chars().count() * 10 < 480,
        "{title}"
    );
    // A year on the axis, and the Later column inside the picture.
    let axis = texts("axis");
    assert!(axis.iter().any(|(_, t)| t.starts_with("20")), "{axis:?}");
    for (x, t) in &axis {
        assert!(
            x + t.chars().count() as f64 * 6.2 <= 480.0,
            "{t} at {x}\n{svg}"
        );
    }
    // Every legend entry starts and ends inside the picture.
    let words = ["planned", "target", "baseline", "baseline target"];
    for (x, t) in texts("note")
        .iter()
        .filter(|(_, t)| words.contains(&t.as_str()))
    {
        assert!(
            x + t.chars().count() as f64 * 6.2 <= 480.0,
            "{t} at {x}\n{svg}"
        );
    }
    let text = stdout(&roadlens(
        root,
        &["timeline", "--baseline", "HEAD", "--width", "40"],
    ));
    for l in text.lines() {
        assert!(l.chars().count() <= 40, "{l:?}\n{text}");
    }
    assert!(text.contains("◇ baseline target"), "{text}");
}

/// `v` on the decision canvas says it has no timeline (it drew "nothing to
/// draw"), as `roadlens timeline --lens decisions` says it.
#[test]
fn the_decision_canvas_has_no_timeline_in_the_tui() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("pump.toml")).expect("copy");
    let mut app = app_at(dir.path(), 100, 30);
    keys(&mut app, "4");
    assert!(shot(&app).contains("v timeline"), "{}", shot(&app));
    keys(&mut app, "c");
    // The hint bar does not offer what the canvas has not.
    assert!(!shot(&app).contains("v timeline"), "{}", shot(&app));
    keys(&mut app, "v");
    let s = shot(&app);
    assert!(s.contains("the decisions lens has no timeline"), "{s}");
    assert!(
        s.contains("Decision canvas") && !s.contains("nothing to draw"),
        "{s}"
    );
    // A layer's timeline, then the canvas: the canvas, not an empty chart.
    keys(&mut app, "cvc");
    let s = shot(&app);
    assert!(!s.contains("nothing to draw"), "{s}");
}

/// A feature that went from planned to committed in the same quarter: the
/// sales timeline says so beside "same" (it said "= same" only, while the
/// sales diff says "now committed"); JSON keeps the baseline's commitment.
#[test]
fn the_sales_timeline_says_a_feature_is_now_committed() {
    sandbox();
    let (dir, repo) = new_repo();
    let root = dir.path();
    let text = std::fs::read_to_string(sample()).expect("sample");
    write_file(root, "pump.toml", &text);
    let first = commit_all(&repo, "Plan", 1_790_000_000);
    // The first planned feature, committed now.
    write_file(
        root,
        "pump.toml",
        &text.replacen("commitment = \"planned\"", "commitment = \"committed\"", 1),
    );
    commit_all(&repo, "Commit to it", 1_791_000_000);
    let args = [
        "timeline",
        "--lens",
        "sales",
        "--baseline",
        &first,
        "--width",
        "120",
    ];
    let out = stdout(&roadlens(root, &args));
    assert!(out.contains("= same · now committed"), "{out}");
    assert_eq!(out.matches("now committed").count(), 1, "{out}");
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let out = stdout(&roadlens(root, &json));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows: Vec<&serde_json::Value> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["rows"].as_array().expect("rows").iter())
        .filter(|r| r["baseline"]["commitment"] == "planned" && r["commitment"] == "committed")
        .collect();
    assert_eq!(rows.len(), 1, "{out}");
}
