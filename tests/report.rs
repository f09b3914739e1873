//! `roadlens report`: the HTML page of every lens (snapshots of its parsed
//! outline), safe by construction (hostile strings in every field, a
//! hostile commit message and file name: no script, no event handler, no
//! element or attribute the template does not write), the sales page
//! leaking nothing (over generated roadmaps), the changes section saying
//! exactly what `roadlens diff --lens L` says, files written only where
//! allowed, write errors reported, and the TUI's `e`.

mod common;
use common::{Rng, assert_same_snapshot, new_repo, snapshot_dir, write_file};
use git2::{Repository, Signature, Time};
use roadlens::diff;
use roadlens::lens::{self, Lens};
use roadlens::model::{self, Roadmap};
use roadlens::report::{self, CommitInfo, Revision, Since};
use scraper::{ElementRef, Html, node::Node};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_roadlens");
const TODAY: &str = "2027-05-10";

fn today() -> jiff::civil::Date {
    TODAY.parse().expect("date")
}

fn sample_text() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/smart-pump.toml");
    std::fs::read_to_string(p).expect("read sample")
}

/// roadlens in `dir`, with no user git config, a fixed today and no colour.
fn run(dir: &Path, args: &[&str]) -> Output {
    common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens")
}

/// Run, expect `code`, return stdout.
fn ok(dir: &Path, args: &[&str], code: i32) -> String {
    let o = run(dir, args);
    let out = String::from_utf8(o.stdout).expect("utf-8");
    assert_eq!(
        o.status.code(),
        Some(code),
        "roadlens {args:?}\nstdout:\n{out}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// ------------------------------------------------------------ the parsed page

/// What the template writes: every element, and every attribute.
const ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
    "article", "figure", "div", "p", "span", "h1", "h2", "h3", "h4", "ul", "li", "table", "thead",
    "tbody", "tr", "th", "td", "br",
];
const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "scope",
];
/// What the timeline's SVG may hold (once it is wired in: issue 10).
const SVG_ELEMENTS: &[&str] = &[
    "svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "text", "tspan", "title",
    "desc", "defs", "pattern", "style",
];
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Parse a page as a browser does and check it holds only what the
/// template writes: no script, no event handler, no link or source, no
/// element or attribute of another kind, no parse error.
fn check_markup(html: &str) -> Html {
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "parse errors {:?}", doc.errors);
    for node in doc.tree.root().descendants() {
        let Some(e) = ElementRef::wrap(node) else {
            continue;
        };
        let el = e.value();
        let name = el.name();
        let in_svg = &*el.name.ns == SVG_NS;
        let allowed = if in_svg { SVG_ELEMENTS } else { ELEMENTS };
        assert!(allowed.contains(&name), "element <{name}> in the page");
        for (a, v) in el.attrs() {
            let a = a.to_ascii_lowercase();
            assert!(!a.starts_with("on"), "event handler {a}={v:?}");
            assert!(
                !matches!(
                    a.as_str(),
                    "href" | "src" | "xlink:href" | "action" | "style"
                ),
                "{a}={v:?}"
            );
            if !in_svg {
                assert!(ATTRIBUTES.contains(&a.as_str()), "attribute {a}={v:?}");
            }
        }
    }
    // Nothing a terminal or a bidi-aware renderer must not see raw.
    for c in html.chars() {
        assert!(
            c == '\n' || !roadlens::text::is_unsafe_char(c),
            "raw {:?} in the page",
            c
        );
    }
    doc
}

/// The page as an indented outline: elements with their classes, text in
/// quotes (the stylesheet's size only): readable snapshots of what the
/// page holds and how it is built.
fn outline(html: &str) -> String {
    let doc = check_markup(html);
    let mut out = String::new();
    fn walk(e: ElementRef<'_>, depth: usize, out: &mut String) {
        let el = e.value();
        let pad = "  ".repeat(depth);
        let mut head = el.name().to_string();
        for c in el.classes() {
            let _ = write!(head, ".{c}");
        }
        for (a, v) in el.attrs() {
            if a != "class" {
                let _ = write!(head, " {a}={v:?}");
            }
        }
        let _ = writeln!(out, "{pad}{head}");
        if el.name() == "style" {
            let _ = writeln!(out, "{pad}  (stylesheet)");
            return;
        }
        for child in e.children() {
            if let Some(c) = ElementRef::wrap(child) {
                walk(c, depth + 1, out);
            } else if let Node::Text(t) = child.value() {
                let _ = writeln!(out, "{pad}  {:?}", &**t);
            }
        }
    }
    walk(doc.root_element(), 0, &mut out);
    out
}

/// Every text of the page but the stylesheet's, one a line; `skip_footer`
/// leaves out the footer and the line naming the base revision (commit
/// ids and days, not roadmap text).
fn texts(doc: &Html, skip_footer: bool) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            let hidden = node.ancestors().filter_map(ElementRef::wrap).any(|a| {
                let n = a.value().name();
                n == "style"
                    || (skip_footer
                        && (n == "footer" || a.value().classes().any(|c| c == "revision")))
            });
            if !hidden {
                out.push_str(t);
                out.push('\n');
            }
        }
    }
    out
}

/// The text of one element, whole.
fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let s = scraper::Selector::parse(css).expect("selector");
    doc.select(&s).collect()
}

// ------------------------------------------------------------------ snapshots

#[test]
fn snapshots_of_the_page_of_every_lens_of_the_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("smart-pump.toml"), sample_text()).expect("write");
    for lens in [
        "exec",
        "sales",
        "engineering",
        "layer:hardware",
        "layer:firmware",
        "layer:comms",
        "layer:cloud",
        "layer:apps",
    ] {
        let html = ok(dir.path(), &["report", "--lens", lens, "-o", "-"], 0);
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        insta::assert_snapshot!(format!("page-{}", lens.replace(':', "-")), outline(&html));
    }
}

// ------------------------------------------------------------------ git fixture

/// A repository holding the sample committed (tagged `review`) and edited in
/// the working tree: v2 slips a quarter, a feature is now committed, v1 is
/// off track, an internal feature goes public.
struct Fixture {
    dir: tempfile::TempDir,
    repo: Repository,
    time: i64,
}

const FILE: &str = "roadmaps/smart-pump.toml";

impl Fixture {
    fn new() -> Fixture {
        let (dir, repo) = new_repo();
        let mut f = Fixture {
            dir,
            repo,
            time: 1_799_064_000,
        };
        f.commit(FILE, &sample_text(), "Plan for the Q1 review");
        let head = f.repo.head().expect("head").target().expect("id");
        {
            let obj = f.repo.find_object(head, None).expect("object");
            f.repo.tag_lightweight("review", &obj, false).expect("tag");
        }
        write_file(f.path(), FILE, &edited(&sample_text()));
        f
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn commit(&mut self, path: &str, text: &str, message: &str) {
        write_file(self.path(), path, text);
        let mut index = self.repo.index().expect("index");
        index.add_path(Path::new(path)).expect("add");
        index.write().expect("write index");
        self.time += 86_400;
        let sig = Signature::new("Ada Planner", "ada@example.com", &Time::new(self.time, 60))
            .expect("sig");
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
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit");
    }
}

fn edited(text: &str) -> String {
    let once = |t: String, from: &str, to: &str| {
        assert_eq!(t.matches(from).count(), 1, "{from}");
        t.replace(from, to)
    };
    let t = once(
        text.to_string(),
        "target = \"2027-Q4\"",
        "target = \"2028-Q1\"",
    );
    let t = once(
        t,
        "health = \"at-risk\"\nconfidence = \"medium\"",
        "health = \"off-track\"\nconfidence = \"medium\"",
    );
    once(
        t,
        "commitment = \"planned\"\nvisibility = \"internal\"",
        "commitment = \"planned\"\nvisibility = \"public\"",
    )
}

#[test]
fn snapshots_with_what_changed_since_a_tag() {
    let f = Fixture::new();
    for lens in ["exec", "sales"] {
        let html = ok(
            f.path(),
            &["report", "--lens", lens, "--since", "review", "-o", "-"],
            0,
        );
        insta::assert_snapshot!(format!("since-review-{lens}"), outline(&html));
        // The timeline names its baseline as `roadlens timeline` does.
        assert!(!html.contains("baseline baseline"), "{lens}");
    }
}

/// The sales page names revisions by quarter only: no tag (it may name a
/// release), no commit id, no day (the sales lens never shows a date finer
/// than a quarter), in the changes heading, the footer and the timeline.
#[test]
fn the_sales_page_names_revisions_by_quarter() {
    let f = Fixture::new();
    let html = ok(
        f.path(),
        &["report", "--lens", "sales", "--since", "review", "-o", "-"],
        0,
    );
    let head = git2::Repository::open(f.path())
        .expect("repo")
        .revparse_single("review")
        .expect("tag")
        .peel_to_commit()
        .expect("commit")
        .id()
        .to_string();
    let text = texts(&check_markup(&html), false);
    for hidden in [&head[..7], "review", "2027-01-05", "2027-05-10"] {
        assert!(!text.contains(hidden), "{hidden} in:\n{text}");
    }
    assert!(text.contains("What changed since 2027-Q1"), "{text}");
}

/// The changes section says what `roadlens diff REV --lens L` says: the
/// same entities and change lines, in the same order and words.
#[test]
fn the_changes_section_is_the_audience_diff() {
    let mut f = Fixture::new();
    // A later commit too, so `--at` and two-revision diffs are covered.
    f.commit(FILE, &edited(&sample_text()), "Slip v2 by a quarter");
    write_file(
        f.path(),
        FILE,
        &edited(&sample_text()).replace("name = \"Connected fleet\"", "name = \"Fleet\""),
    );
    for lens in ["exec", "sales", "engineering", "layer:comms", "layer:apps"] {
        for (report_args, diff_args) in [
            (vec!["--since", "review"], vec!["review"]),
            (
                vec!["--since", "review", "--at", "HEAD"],
                vec!["review", "HEAD"],
            ),
            (vec!["--since", "HEAD"], vec!["HEAD"]),
        ] {
            let mut args = vec!["report", "--lens", lens, "-o", "-"];
            args.extend(&report_args);
            let html = ok(f.path(), &args, 0);
            let doc = check_markup(&html);
            let mut from_page = vec![];
            for e in select(&doc, "section.changes div.entity") {
                from_page.push(format!("  {}", text_of(select_in(e, "h3")[0])));
                for li in select_in(e, "li") {
                    let mut line = String::new();
                    for child in li.children() {
                        match ElementRef::wrap(child) {
                            Some(c) if c.value().classes().any(|x| x == "value") => {
                                from_page.push(format!("    {line}"));
                                line = format!("  {}", text_of(c));
                            }
                            Some(c) => line.push_str(&text_of(c)),
                            None => {
                                if let Node::Text(t) = child.value() {
                                    line.push_str(t);
                                }
                            }
                        }
                    }
                    from_page.push(format!("    {line}"));
                }
            }
            let mut dargs = vec!["diff", "--lens", lens];
            dargs.extend(&diff_args);
            let d = ok(f.path(), &dargs, 0);
            let from_diff: Vec<String> = d
                .lines()
                .filter(|l| l.starts_with("  "))
                .map(str::to_string)
                .collect();
            assert_eq!(
                from_page, from_diff,
                "lens {lens} {report_args:?}\n--- diff:\n{d}"
            );
            let none = select(&doc, "section.changes p.none");
            assert_eq!(
                from_diff.is_empty(),
                !none.is_empty(),
                "lens {lens} {report_args:?}"
            );
        }
    }
}

fn select_in<'a>(e: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let s = scraper::Selector::parse(css).expect("selector");
    e.select(&s).collect()
}

// ------------------------------------------------------- schedule conflicts

/// A work item depending on a cancelled one: a schedule conflict (`check`
/// warns "`w2` depends on `lw`, which is cancelled").
const CONFLICTED: &str = r#"[roadmap]
id = "plan"
title = "Plan"

[[release]]
id = "v1"
name = "One"
target = "2027-Q3"

[[feature]]
id = "f1"
title = "Feature one"
release = "v1"
visibility = "public"
customer_value = "Good."

  [[feature.work]]
  id = "lw"
  layer = "cloud"
  title = "Legacy work"
  status = "cancelled"
  estimate = "1w"

  [[feature.work]]
  id = "w2"
  layer = "apps"
  title = "New work"
  estimate = "1w"
  depends_on = ["lw"]
"#;

/// The exec and engineering pages list the schedule conflicts that
/// `roadlens show` lists for the lens (its view's, in its words); the sales
/// page never does, and a layer page does where `show` does (nowhere).
#[test]
fn the_pages_list_the_schedule_conflicts_show_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("plan.toml"), CONFLICTED).expect("write");
    for lens in ["exec", "engineering"] {
        let json = ok(dir.path(), &["show", "--lens", lens, "--format", "json"], 0);
        let view: serde_json::Value = serde_json::from_str(&json).expect("json");
        let want: Vec<String> = view["conflicts"]
            .as_array()
            .expect("conflicts")
            .iter()
            .map(|c| format!("▲ {}", c["message"].as_str().expect("message")))
            .collect();
        assert_eq!(
            want,
            ["▲ `w2` depends on `lw`, which is cancelled"],
            "{lens}"
        );
        let text = ok(dir.path(), &["show", "--lens", lens], 0);
        assert!(text.contains("SCHEDULE CONFLICTS"), "{text}");
        assert!(text.contains(&want[0]), "{text}");

        let html = ok(dir.path(), &["report", "--lens", lens, "-o", "-"], 0);
        let doc = check_markup(&html);
        let sections = select(&doc, "section.conflicts");
        assert_eq!(sections.len(), 1, "{lens}: {html}");
        let heading: Vec<String> = select_in(sections[0], "h2")
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(heading, ["Schedule conflicts"], "{lens}");
        let got: Vec<String> = select_in(sections[0], "li")
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(got, want, "{lens}");
    }
    for (lens, shows) in [("sales", false), ("layer:apps", false)] {
        let text = ok(dir.path(), &["show", "--lens", lens], 0);
        assert_eq!(text.contains("SCHEDULE CONFLICTS"), shows, "{lens}: {text}");
        let html = ok(dir.path(), &["report", "--lens", lens, "-o", "-"], 0);
        let doc = check_markup(&html);
        assert!(select(&doc, "section.conflicts").is_empty(), "{lens}");
        assert!(!html.contains("which is cancelled"), "{lens}: {html}");
        assert!(!html.contains("Schedule conflicts"), "{lens}");
    }
    // None: said, as `show` says it.
    let calm = CONFLICTED.replace("  depends_on = [\"lw\"]\n", "");
    std::fs::write(dir.path().join("plan.toml"), calm).expect("write");
    let text = ok(dir.path(), &["show"], 0);
    assert!(text.contains("No schedule conflicts."), "{text}");
    let html = ok(dir.path(), &["report", "-o", "-"], 0);
    let doc = check_markup(&html);
    let none: Vec<String> = select(&doc, "section.conflicts p.none")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(none, ["No schedule conflicts."]);
}

// ------------------------------------------------------------ hostile strings

const HOSTILE: &[&str] = &[
    "</title><script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "javascript:alert(3)",
    "<a href=\"javascript:alert(4)\">click me</a>",
    "bidi\u{202E}txet\u{2066}zero\u{200B}width\u{FEFF}",
    "\u{1b}]52;c;aGk=\u{7}osc \u{1b}[31mred\u{1b}[0m bell\u{7} del\u{7f} c1\u{9b}2J",
    "<style>body{display:none}</style><link rel=stylesheet href=//evil.test/x.css>",
    "<!-- c --><svg onload=alert(5)><![CDATA[x]]>",
    "&lt;not&gt; &amp; &#x3C;script&#x3E;",
    "</textarea></noscript><plaintext><iframe src=x>",
    "line one\nline two\r\n<b>three</b>",
];

/// The roadmap's title: in every page's `<title>` and `<h1>`.
const TITLE: &str = "</title><script>alert(1)</script> \u{202E}\"><img src=x onerror=alert(0)>";

/// A TOML basic string (JSON's escapes are TOML's; DEL must be escaped).
fn toml_str(s: &str) -> String {
    serde_json::to_string(s)
        .expect("json")
        .replace('\u{7f}', "\\u007F")
}

/// A roadmap with a hostile string in every text field every lens shows.
fn hostile_roadmap() -> String {
    let mut n = 0;
    let mut h = || {
        n += 1;
        toml_str(&format!("{}#{n}", HOSTILE[n % HOSTILE.len()]))
    };
    let mut t = String::new();
    let _ = writeln!(
        t,
        "[roadmap]\nid = \"evil\"\ntitle = {}\nowner = {}\nvision = {}\n",
        toml_str(TITLE),
        h(),
        h()
    );
    for id in ["hw", "fw"] {
        let _ = writeln!(
            t,
            "[[layer]]\nid = \"{id}\"\nname = {}\nteam = {}\ncadence = {}\n",
            h(),
            h(),
            h()
        );
    }
    let _ = writeln!(
        t,
        "[[metric]]\nid = \"m\"\nname = {}\nunit = {}\ncurrent = 1\ntarget = 2\n",
        h(),
        h()
    );
    let _ = writeln!(
        t,
        "[[theme]]\nid = \"t\"\ntitle = {}\noutcome = {}\nmetric = \"m\"\n",
        h(),
        h()
    );
    for (id, target, status) in [("r1", "2027-Q3", "in-progress"), ("r2", "later", "planned")] {
        let _ = writeln!(
            t,
            "[[release]]\nid = \"{id}\"\nname = {}\ntarget = \"{target}\"\nstatus = \"{status}\"\nhealth = \"at-risk\"\nsummary = {}\n",
            h(),
            h()
        );
    }
    for (id, rel, vis, commit) in [
        ("f1", "r1", "public", "committed"),
        ("f2", "r2", "internal", "planned"),
        ("f3", "r2", "public", "exploring"),
    ] {
        let _ = writeln!(
            t,
            "[[feature]]\nid = \"{id}\"\ntitle = {}\nrelease = \"{rel}\"\nvisibility = \"{vis}\"\ncommitment = \"{commit}\"\nthemes = [\"t\"]\nhealth = \"blocked\"\ncustomer_value = {}\nbusiness_value = {}\n",
            h(),
            h(),
            h()
        );
        for (wid, layer) in [("a", "hw"), ("b", "fw")] {
            let dep = if layer == "fw" {
                format!("depends_on = [\"{id}-a\"]\n")
            } else {
                String::new()
            };
            let _ = writeln!(
                t,
                "  [[feature.work]]\n  id = \"{id}-{wid}\"\n  layer = \"{layer}\"\n  title = {}\n  team = {}\n  estimate = \"3w\"\n  health = \"blocked\"\n  interface = {}\n  {dep}",
                h(),
                h(),
                h()
            );
        }
    }
    for (id, layer) in [("d1", "hw"), ("d2", "fw")] {
        let _ = writeln!(
            t,
            "[[decision]]\nid = \"{id}\"\nlayer = \"{layer}\"\narea = \"security\"\ntitle = {}\nstatus = \"decided\"\nchoice = {}\n",
            h(),
            h()
        );
    }
    t
}

#[test]
fn hostile_strings_never_become_markup() {
    let src = hostile_roadmap();
    let f = model::load_str("evil.toml", &src, today());
    assert!(!f.has_errors(), "{}\n{src}", f.render_diagnostics(false));
    // A hostile commit message and file name too, and a change since.
    let (dir, repo) = new_repo();
    let file = "a\"><img src=x onerror=alert(6)>\u{202e}.toml";
    write_file(dir.path(), file, &src.replace("\"2027-Q3\"", "\"2027-Q2\""));
    let mut index = repo.index().expect("index");
    index.add_path(Path::new(file)).expect("add");
    index.write().expect("index");
    let sig = Signature::new(
        "script \u{202e} \"x\" &amp;",
        "e@x",
        &Time::new(1_799_064_000, 0),
    )
    .expect("sig");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    repo.commit(
        Some("HEAD"),
        &sig,
        &sig,
        "</title><script>alert(7)</script>\u{202e} \"><img src=x onerror=alert(8)>",
        &tree,
        &[],
    )
    .expect("commit");
    write_file(dir.path(), file, &src);
    let before = snapshot_dir(dir.path());
    let r = f.roadmap.as_ref().expect("roadmap");
    for l in lens::lenses(r) {
        let html = ok(
            dir.path(),
            &["report", "--lens", &l.name(), "--since", "HEAD", "-o", "-"],
            0,
        );
        let doc = check_markup(&html);
        let text = texts(&doc, false);
        // What was hostile is there as text, made visible.
        let title = "</title><script>alert(1)</script> ⟨U+202E⟩\"><img src=x onerror=alert(0)>";
        assert_eq!(text_of(select(&doc, "h1")[0]), title);
        assert!(text_of(select(&doc, "head > title")[0]).starts_with(title));
        assert!(select(&doc, "script").is_empty());
        // The page's own title and style (the timeline's SVG has its own).
        assert_eq!(select(&doc, "head > title").len(), 1);
        assert_eq!(select(&doc, "head > style").len(), 1);
        assert_eq!(select(&doc, "h1").len(), 1);
        // The page's own structure is whole: header, main, footer.
        for part in ["body > header", "body > main", "body > footer"] {
            assert_eq!(select(&doc, part).len(), 1, "{part} in {}", l.name());
        }
        if l == Lens::Sales {
            assert!(
                !text.contains("alert(7)"),
                "a commit message in the sales page"
            );
        } else {
            assert!(
                text.contains("“</title><script>alert(7)</script>⟨U+202E⟩"),
                "{text}"
            );
            assert!(text.contains("onerror=alert(6)"), "{text}");
        }
    }
    assert_same_snapshot(&before, &snapshot_dir(dir.path()));
}

// ------------------------------------------------------ sales leaks nothing

const STATUSES: &[&str] = &["planned", "in-progress", "shipped", "deferred", "cancelled"];
const HEALTHS: &[&str] = &["on-track", "at-risk", "off-track", "blocked"];
const COMMITMENTS: &[&str] = &["committed", "planned", "exploring"];
const ESTIMATES: &[&str] = &["5d", "3w", "2m", "1q", "3 sprints"];

/// A generated roadmap (after tests/audience.rs): every string a unique
/// marker `<kind><n>z`, so a leak is a marker no sales view holds.
struct Gen {
    rng: Rng,
    n: usize,
}

impl Gen {
    fn mark(&mut self, kind: &str) -> String {
        self.n += 1;
        format!("{kind}{}z", self.n)
    }

    fn maybe(&mut self, p: u64, xs: &[&str]) -> Option<String> {
        self.rng
            .chance(p)
            .then(|| format!("\"{}\"", self.rng.pick(xs)))
    }

    fn target(&mut self) -> String {
        let y = 2026 + self.rng.below(3);
        match self.rng.below(7) {
            0 => format!(
                "{y}-{:02}-{:02}",
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            1 => format!("\"{y}-{:02}\"", 1 + self.rng.below(12)),
            2 | 3 => format!("\"{y}-Q{}\"", 1 + self.rng.below(4)),
            4 => format!("\"{y}-H{}\"", 1 + self.rng.below(2)),
            5 => format!("\"{y}\""),
            _ => format!("\"{}\"", self.rng.pick(&["now", "next", "later"])),
        }
    }

    /// One roadmap; `edit` changes some of it (the same seed gives the same
    /// roadmap, so two calls with another `edit` give two versions).
    fn roadmap(&mut self, edit: bool) -> String {
        let mut t = String::new();
        let vision = self.mark("vision");
        let _ = writeln!(
            t,
            "[roadmap]\nid = \"gen\"\ntitle = \"Generated\"\nvision = \"{vision}\"\nowner = \"{}\"",
            self.mark("owner")
        );
        let layers: Vec<String> = (0..2).map(|_| self.mark("lay")).collect();
        for l in &layers {
            let (n, team, cad) = (
                self.mark("LayName"),
                self.mark("Team"),
                self.mark("Cadence"),
            );
            let _ = writeln!(
                t,
                "\n[[layer]]\nid = \"{l}\"\nname = \"{n}\"\nteam = \"{team}\"\ncadence = \"{cad}\""
            );
        }
        let releases: Vec<String> = (0..1 + self.rng.below(3))
            .map(|_| self.mark("rel"))
            .collect();
        for r in &releases {
            let name = self.mark("RelName");
            let _ = writeln!(
                t,
                "\n[[release]]\nid = \"{r}\"\nname = \"{name}\"\nsummary = \"{}\"",
                self.mark("Summary")
            );
            if self.rng.chance(85) {
                let target = self.target();
                let _ = writeln!(t, "target = {target}");
            }
            for (k, v) in [
                ("status", self.maybe(70, STATUSES)),
                ("health", self.maybe(50, HEALTHS)),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(t, "{k} = {v}");
                }
            }
        }
        for _ in 0..self.rng.below(6) {
            let id = self.mark("feat");
            let title = self.mark("FeatTitle");
            let rel = self.rng.pick(&releases);
            let _ = writeln!(
                t,
                "\n[[feature]]\nid = \"{id}\"\ntitle = \"{title}\"\nrelease = \"{rel}\""
            );
            let status = self.maybe(60, STATUSES);
            let health = self.maybe(40, HEALTHS);
            let commitment = self.maybe(70, COMMITMENTS);
            let visibility = self.maybe(60, &["public", "internal"]);
            for (k, v) in [
                ("status", status),
                ("health", health),
                ("commitment", commitment),
                ("visibility", visibility),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(t, "{k} = {v}");
                }
            }
            if self.rng.chance(80) {
                let _ = writeln!(t, "customer_value = \"{}\"", self.mark("CustValue"));
            }
            let _ = writeln!(t, "business_value = \"{}\"", self.mark("BizValue"));
            for _ in 0..self.rng.below(3) {
                let layer = self.rng.pick(&layers);
                let (wid, wt, team) = (self.mark("wrk"), self.mark("WorkTitle"), self.mark("Team"));
                let _ = writeln!(
                    t,
                    "\n  [[feature.work]]\n  id = \"{wid}\"\n  layer = \"{layer}\"\n  title = \"{wt}\"\n  team = \"{team}\"\n  interface = \"{}\"",
                    self.mark("Iface")
                );
                if let Some(e) = self.maybe(60, ESTIMATES) {
                    let _ = writeln!(t, "  estimate = {e}");
                }
                if self.rng.chance(40) {
                    let end = self.target();
                    let _ = writeln!(t, "  end = {end}");
                }
            }
        }
        let (did, dt, dc) = (self.mark("dec"), self.mark("DecTitle"), self.mark("Choice"));
        let layer = layers[0].clone();
        let _ = writeln!(
            t,
            "\n[[decision]]\nid = \"{did}\"\nlayer = \"{layer}\"\narea = \"data\"\ntitle = \"{dt}\"\nstatus = \"decided\"\nchoice = \"{dc}\""
        );
        if edit {
            // Edits a PM makes: statuses, targets, visibility, commitment,
            // health, shipping, cancelling: on the text, by chance.
            let swaps: [(&str, &str); 9] = [
                ("visibility = \"public\"", "visibility = \"internal\""),
                ("visibility = \"internal\"", "visibility = \"public\""),
                ("status = \"planned\"", "status = \"shipped\""),
                ("status = \"in-progress\"", "status = \"cancelled\""),
                ("commitment = \"committed\"", "commitment = \"exploring\""),
                ("commitment = \"exploring\"", "commitment = \"committed\""),
                ("health = \"on-track\"", "health = \"blocked\""),
                ("-Q3\"", "-Q4\""),
                ("-Q1\"", "-H1\""),
            ];
            for (a, b) in swaps {
                if self.rng.chance(35) {
                    t = t.replacen(a, b, 1);
                }
            }
        }
        t
    }
}

/// Every marker (`<kind><n>z`) in a text.
fn markers(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.ends_with('z')
                && w.len() > 2
                && w[..w.len() - 1]
                    .trim_start_matches(char::is_alphabetic)
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && w.chars().any(|c| c.is_ascii_digit())
        })
        .collect()
}

/// Dates finer than a quarter: `2027-03-15`, `2027-03`.
fn exact_dates(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = vec![];
    for i in 0..b.len().saturating_sub(6) {
        let digits =
            |r: std::ops::Range<usize>| r.clone().all(|j| j < b.len() && b[j].is_ascii_digit());
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        if before_ok && digits(i..i + 4) && b[i + 4] == b'-' && digits(i + 5..i + 7) {
            out.push(s[i..(i + 10).min(s.len())].to_string());
        }
    }
    out
}

fn load(src: &str) -> Roadmap {
    let f = model::load_str("gen.toml", src, today());
    let errors = f.render_diagnostics(false);
    let broken = f.has_errors();
    f.roadmap
        .filter(|_| !broken)
        .unwrap_or_else(|| panic!("generated roadmap does not load:\n{errors}\n{src}"))
}

#[test]
fn the_sales_page_holds_only_what_the_sales_views_hold() {
    let cases: u64 = std::env::var("ROADLENS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut seeds = Rng(0x0005_a1e5_9a9e_u64 | 1);
    let mut with_changes = 0;
    for case in 0..cases {
        let seed = seeds.next() | 1;
        let (ta, tb) = (
            Gen {
                rng: Rng(seed),
                n: 0,
            }
            .roadmap(false),
            Gen {
                rng: Rng(seed),
                n: 0,
            }
            .roadmap(true),
        );
        let (a, b) = (load(&ta), load(&tb));
        let (fa, fb) = (
            model::load_str("secretpath1z.toml", &ta, today()),
            model::load_str("secretpath1z.toml", &tb, today()),
        );
        let d = diff::diff_loaded(
            "secretpath1z.toml",
            Some(&fa),
            Some(&fb),
            ("base", "working tree"),
            Some(&Lens::Sales),
        );
        if !d.changes.is_empty() {
            with_changes += 1;
        }
        let commit = |subject: &str| CommitInfo {
            id: "0123456789abcdef0123456789abcdef01234567".into(),
            day: "2027-01-15".into(),
            subject: subject.into(),
        };
        let revision = Revision {
            label: "working tree".into(),
            commit: Some(commit("Secret subject SECRETsubj2z")),
            head: true,
            uncommitted: true,
        };
        let since = Since {
            base: Revision {
                label: "base".into(),
                commit: Some(commit("Slip SECRETsubj3z")),
                head: false,
                uncommitted: false,
            },
            diff: d,
        };
        let page = report::page(
            &b,
            &Lens::Sales,
            "secretpath1z.toml",
            revision,
            Some(since),
            Some(&a),
        )
        .expect("sales page");
        let html = report::html(&page);
        let doc = check_markup(&html);
        let views = [&a, &b]
            .map(|r| serde_json::to_string(&lens::project(r, &Lens::Sales)).expect("json"))
            .join("\n");
        let all = texts(&doc, false);
        for m in markers(&all).into_iter().chain(markers(&html)) {
            assert!(
                views.contains(m),
                "case {case}: `{m}` is in no sales view:\n{}\n---\n{ta}\n---\n{tb}",
                all
            );
        }
        let body = texts(&doc, true);
        for word in HEALTHS.iter().chain(ESTIMATES).chain(&[
            "rel", "release", "health", "team", "estimate", "business", "effort", "internal",
        ]) {
            let hit = body
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .any(|w| w == *word);
            assert!(!hit, "case {case}: `{word}` in the sales page:\n{body}");
        }
        assert!(
            exact_dates(&body).is_empty(),
            "case {case}: exact dates {:?} in the sales page:\n{body}",
            exact_dates(&body)
        );
    }
    assert!(
        with_changes > cases / 10,
        "{with_changes} of {cases} cases had changes"
    );
}

// ----------------------------------------------------------- where it goes

#[test]
fn default_names_are_created_or_replace_only_roadlens_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("smart-pump.toml"), sample_text()).expect("write");
    // Without -o a page goes to ROADLENS_REPORT_DIR (else a directory of
    // roadlens's own in the temp directory), never where the user stands.
    let at = |args: &[&str]| {
        common::roadlens_cmd(dir.path(), args)
            .env("ROADLENS_REPORT_DIR", pages.path())
            .output()
            .expect("run roadlens")
    };
    let ok_at = |args: &[&str]| {
        let o = at(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        String::from_utf8(o.stdout).expect("utf-8")
    };
    // A directory that is not there is said so (it said "is not a
    // directory").
    let o = common::roadlens_cmd(dir.path(), &["report"])
        .env("ROADLENS_REPORT_DIR", pages.path().join("nonexistent"))
        .output()
        .expect("run roadlens");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not exist (make it first)"),
        "{}",
        stderr(&o)
    );
    let page = pages.path().join("roadmap-smart-pump-exec.html");
    let out = ok_at(&["report", "smart-pump.toml"]);
    assert_eq!(out, format!("{}\n", page.display()));
    assert!(report::place::is_ours(&page));
    assert!(!dir.path().join("roadmap-smart-pump-exec.html").exists());
    // Its own page is replaced.
    ok_at(&["report"]);
    // Anything else under the name is left alone (exit 1), unless -o names it.
    let mine = pages.path().join("roadmap-smart-pump-sales.html");
    std::fs::write(&mine, "my notes").expect("write");
    let o = at(&["report", "--lens", "sales"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("was not made by roadlens"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&mine).expect("read"), "my notes");
    let named = mine.to_str().expect("path");
    ok_at(&["report", "--lens", "sales", "-o", named]);
    assert!(report::place::is_ours(&mine));
    // Two roadmaps: one page each; -o takes one.
    std::fs::write(
        dir.path().join("other.toml"),
        "[roadmap]\nid = \"other\"\ntitle = \"Other\"\n",
    )
    .expect("write");
    let out = ok_at(&["report", "--lens", "sales"]);
    assert_eq!(
        out,
        format!(
            "{}\n{}\n",
            pages.path().join("roadmap-other-sales.html").display(),
            mine.display()
        )
    );
    let o = at(&["report", "-o", "page.html"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("name one with PATH"), "{}", stderr(&o));
}

/// In a repository, a page with no -o never lands in it: it goes to a
/// directory of roadlens's own in the temp directory, and the path is said.
#[test]
fn a_default_page_is_written_outside_the_repository() {
    let f = Fixture::new();
    let before = snapshot_dir(f.path());
    let o = common::roadlens_cmd(f.path(), &["report"])
        .env_remove("ROADLENS_REPORT_DIR")
        .output()
        .expect("run roadlens");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).expect("utf-8");
    let path = PathBuf::from(out.trim());
    assert!(path.starts_with(std::env::temp_dir()), "{out}");
    assert!(path.ends_with("roadmap-smart-pump-exec.html"), "{out}");
    assert!(path.exists());
    assert_eq!(snapshot_dir(f.path()), before, "the repository changed");
    let dir = path.parent().expect("dir");
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("roadlens-reports-"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
    // `--help` says so (it said "in the current directory"), and names
    // every lens a page is made for.
    let help = ok(f.path(), &["report", "--help"], 0);
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!flat.contains("in the current directory"), "{help}");
    for words in [
        "in ROADLENS_REPORT_DIR, else in /tmp/roadlens-reports-<pid>-<n>/",
        "never the repository",
        "exec | sales | engineering | decisions | layer:<id>",
    ] {
        assert!(flat.contains(words), "{words}: {help}");
    }
    let page = ok(f.path(), &["report", "--lens", "decisions", "-o", "-"], 0);
    assert!(page.contains("Decision canvas"), "{page}");
    // Its gaps said as the CLI and the TUI say them: one line per layer
    // (it listed 22 lines, "No Business decision for Device hardware").
    assert!(
        page.contains("no business, UX, data or security decision for Device hardware"),
        "{page}"
    );
    assert!(!page.contains("No Business decision"), "{page}");
}

/// A roadmap broken at `--at REV` is reported as `show --at REV` reports
/// it: each error located `REV:path:line:col` (the path alone pointed at
/// the working tree's file, which is fine).
#[test]
fn errors_at_a_revision_are_located_at_it() {
    common::sandbox();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("demo");
    let info = roadlens::demo::build_demo_repo(&root).expect("demo");
    let broken = info
        .commits
        .iter()
        .find(|c| c.broken)
        .expect("a broken commit")
        .id
        .to_string();
    let short = &broken[..7];
    let o = run(&root, &["report", "--at", short, "-o", "-"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(o.stdout.is_empty());
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.starts_with(&format!("{short}:roadmaps/smart-pump.toml:"))
            && first.contains(": error: "),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("roadmaps/")), "{err}");
    // The same place as `show --at` and `timeline --at` give it.
    for cmd in ["show", "timeline"] {
        let o = run(&root, &[cmd, "--at", short]);
        assert_eq!(stderr(&o).lines().next(), Some(first), "{cmd}");
    }
}

#[test]
fn write_errors_and_usage_errors_exit_non_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("smart-pump.toml"), sample_text()).expect("write");
    if Path::new("/dev/full").exists() {
        let o = run(dir.path(), &["report", "-o", "/dev/full"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write /dev/full"),
            "{}",
            stderr(&o)
        );
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let o = Command::new(BIN)
            .args(["report", "-o", "-"])
            .current_dir(dir.path())
            .env("ROADLENS_TODAY", TODAY)
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot write output"), "{}", stderr(&o));
    }
    let o = run(dir.path(), &["report", "--lens", "nope", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown lens"), "{}", stderr(&o));
    let o = run(dir.path(), &["report", "--since", "HEAD", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a git repository"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["report", "nowhere.toml"]);
    assert_eq!(o.status.code(), Some(2));
    // A broken roadmap: its located errors, exit 1, nothing written.
    std::fs::write(dir.path().join("smart-pump.toml"), "[roadmap]\nid = 3\n").expect("write");
    let o = run(dir.path(), &["report"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("smart-pump.toml:2:"), "{}", stderr(&o));
    assert!(!dir.path().join("roadmap-smart-pump-exec.html").exists());
}

#[test]
fn a_report_reads_the_repository_and_never_writes_to_it() {
    let f = Fixture::new();
    let out = tempfile::tempdir().expect("tempdir");
    let before = snapshot_dir(f.path());
    let target = out.path().join("page.html");
    let target = target.to_str().expect("utf-8");
    ok(f.path(), &["report", "--since", "review", "-o", target], 0);
    let html = std::fs::read_to_string(target).expect("read");
    let doc = check_markup(&html);
    let foot = texts(&doc, false);
    assert!(
        foot.contains("working tree (with uncommitted changes) · HEAD "),
        "{foot}"
    );
    assert!(foot.contains("Plan for the Q1 review"), "{foot}");
    assert!(foot.contains("Made: "), "{foot}");
    assert!(foot.contains(TODAY), "{foot}");
    ok(
        f.path(),
        &["report", "--at", "review", "--lens", "sales", "-o", "-"],
        0,
    );
    assert_same_snapshot(&before, &snapshot_dir(f.path()));
}

// ------------------------------------------------------------------ the TUI

fn tui_text(app: &roadlens::tui::App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn press(app: &mut roadlens::tui::App, c: char) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    app.settle();
}

/// The path the status line names.
fn written(screen: &str) -> PathBuf {
    let line = screen
        .lines()
        .find(|l| l.contains("report written: "))
        .unwrap_or_else(|| panic!("no report path on screen:\n{screen}"));
    PathBuf::from(line.split("report written: ").nth(1).expect("path").trim())
}

#[test]
fn e_writes_the_report_of_the_current_lens_outside_the_repository() {
    let f = Fixture::new();
    let reports = tempfile::tempdir().expect("tempdir");
    let before = snapshot_dir(f.path());
    let mut app = roadlens::tui::App::new_for_test(f.path(), today(), 200, 40);
    app.settle();
    app.set_report_dir(Some(reports.path().to_path_buf()));
    // The key is in the one key table: the hint bar shows it.
    assert!(tui_text(&app, 200, 40).contains("e report"));
    press(&mut app, 'e');
    let p = written(&tui_text(&app, 200, 40));
    assert_eq!(p, reports.path().join("roadmap-smart-pump-exec.html"));
    let html = std::fs::read_to_string(&p).expect("read");
    assert!(html.contains("Executive view"));
    assert!(!html.contains("What changed since"));
    // Mark the tagged commit as the base in History, then the sales lens.
    press(&mut app, '5');
    let screen = tui_text(&app, 200, 40);
    let rows = screen
        .lines()
        .filter(|l| l.contains("Plan for the Q1 review"))
        .count();
    assert_eq!(rows, 1, "{screen}");
    for _ in 0..3 {
        press(&mut app, 'j');
    }
    press(&mut app, ' ');
    press(&mut app, '2');
    press(&mut app, 'e');
    let p = written(&tui_text(&app, 200, 40));
    let name = p.file_name().expect("name").to_string_lossy().into_owned();
    assert!(
        name.starts_with("roadmap-smart-pump-sales-since-"),
        "{name}"
    );
    let html = std::fs::read_to_string(&p).expect("read");
    let doc = check_markup(&html);
    let text = texts(&doc, false);
    assert!(text.contains("What changed since"), "{text}");
    assert!(text.contains("is now visible to sales"), "{text}");
    assert!(
        !text.contains("Plan for the Q1 review"),
        "no commit message in sales"
    );
    // Again: its own file is replaced, nothing else appears.
    press(&mut app, 'e');
    assert_eq!(written(&tui_text(&app, 200, 40)), p);
    assert_eq!(std::fs::read_dir(reports.path()).expect("dir").count(), 2);
    // A directory inside the repository is refused.
    app.set_report_dir(Some(f.path().join("roadmaps")));
    press(&mut app, '1');
    press(&mut app, 'e');
    let screen = tui_text(&app, 200, 40);
    assert!(screen.contains("inside the repository"), "{screen}");
    // No directory configured: one of its own in the temp directory.
    app.set_report_dir(None);
    press(&mut app, 'e');
    let p = written(&tui_text(&app, 200, 40));
    assert!(p.starts_with(std::env::temp_dir()), "{}", p.display());
    assert!(report::place::is_ours(&p));
    let _ = std::fs::remove_dir_all(p.parent().expect("dir"));
    assert_same_snapshot(&before, &snapshot_dir(f.path()));
}

/// At 80 columns the path of the report is longer than the status line: it
/// wraps over the lines above, whole, never cut.
#[test]
fn the_report_path_is_shown_whole_on_a_narrow_screen() {
    let f = Fixture::new();
    let reports = tempfile::tempdir().expect("tempdir");
    let deep = reports
        .path()
        .join("a-rather-long-directory-name-for-reports");
    std::fs::create_dir(&deep).expect("dir");
    let mut app = roadlens::tui::App::new_for_test(f.path(), today(), 80, 24);
    app.settle();
    app.set_report_dir(Some(deep.clone()));
    press(&mut app, 'e');
    let screen = tui_text(&app, 80, 24);
    let want = deep.join("roadmap-smart-pump-exec.html");
    assert!(want.to_string_lossy().len() + "report written: ".len() > 80);
    let bottom: String = screen
        .lines()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(|l| l.split_whitespace())
        .collect();
    assert!(
        bottom.contains(&format!("reportwritten:{}", want.display())),
        "{screen}"
    );
}
