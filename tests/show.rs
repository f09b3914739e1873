//! `roadlens show`: snapshots of every lens of the sample roadmaps, the sales
//! lens never leaking anything internal (over many generated roadmaps), and
//! hostile strings never reaching stdout raw.

mod common;
use roadlens::cli::Format;
use roadlens::cli::lensprint::render;
use roadlens::lens::{self, Lens, LensView};
use roadlens::model::{self, Roadmap};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2027-05-10";

fn roadlens(args: &[&str], dir: &Path) -> Output {
    common::roadlens_cmd(dir, args)
        .output()
        .expect("run roadlens")
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn today() -> jiff::civil::Date {
    TODAY.parse().unwrap()
}

fn load_file(path: &Path) -> Roadmap {
    let f = model::load_path(&path.display().to_string(), path, today());
    assert!(!f.has_errors(), "{}", f.render_diagnostics(false));
    f.roadmap.unwrap()
}

fn load_text(name: &str, src: &str) -> Roadmap {
    let f = model::load_str(name, src, today());
    assert!(
        !f.has_errors(),
        "{}\n---\n{src}",
        f.render_diagnostics(false)
    );
    f.roadmap.unwrap()
}

fn lens_names(r: &Roadmap) -> Vec<String> {
    lens::lenses(r).iter().map(Lens::name).collect()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshots_of_every_lens_of_the_samples_in_text_and_markdown() {
    let dir = manifest().join("sample-roadmaps");
    for file in ["smart-pump", "pulse-analytics"] {
        let path = dir.join(format!("{file}.toml"));
        let r = load_file(&path);
        for lens in lens_names(&r) {
            for (format, ext) in [("text", "txt"), ("markdown", "md")] {
                let rel = format!("sample-roadmaps/{file}.toml");
                let o = roadlens(
                    &["show", &rel, "--lens", &lens, "--format", format],
                    manifest(),
                );
                assert_eq!(o.status.code(), Some(0), "{lens} {format}: {}", stderr(&o));
                assert!(stderr(&o).is_empty(), "{}", stderr(&o));
                let out = stdout(&o);
                if format == "text" {
                    for l in out.lines() {
                        let w = unicode_width::UnicodeWidthStr::width(l);
                        assert!(w <= 80, "{file} {lens}: {w} columns: {l}");
                    }
                }
                let name = format!("{file}-{}-{ext}", lens.replace(':', "-"));
                insta::assert_snapshot!(name, out);
            }
        }
    }
}

#[test]
fn json_of_the_sales_lens_is_the_view_itself() {
    let o = roadlens(
        &[
            "show",
            "sample-roadmaps/smart-pump.toml",
            "-l",
            "sales",
            "-f",
            "json",
        ],
        manifest(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("smart-pump-sales-json", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let groups: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["commitment"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["committed", "planned", "exploring"]);
}

// ------------------------------------------------------------ CLI behaviour

#[test]
fn several_roadmaps_print_one_after_another_and_json_as_an_array() {
    let o = roadlens(&["show", "sample-roadmaps", "-l", "exec"], manifest());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let a = out.find("sample-roadmaps/pulse-analytics.toml").unwrap();
    let b = out.find("sample-roadmaps/smart-pump.toml").unwrap();
    assert!(a < b);
    assert!(out.contains("Pulse Analytics — executive view"));
    assert!(out.contains("Smart Pump — executive view"));

    let o = roadlens(
        &["show", "sample-roadmaps", "-f", "json", "-l", "eng"],
        manifest(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["path"], "sample-roadmaps/smart-pump.toml");
    assert_eq!(arr[1]["lens"], "engineering");
    assert!(arr[1]["view"]["rows"].is_array());
}

/// Under sales a file is named by its roadmap's title, never its path (a
/// path can name a release or a customer), in `show` and `timeline`, in
/// every format, as `diff` and `log` name it.
#[test]
fn several_roadmaps_under_sales_are_named_by_title_not_path() {
    let runs: &[&[&str]] = &[
        &["show", "sample-roadmaps", "-l", "sales"],
        &["show", "sample-roadmaps", "-l", "sales", "-f", "markdown"],
        &["show", "sample-roadmaps", "-l", "sales", "-f", "json"],
        &["timeline", "sample-roadmaps", "-l", "sales"],
        &[
            "timeline",
            "sample-roadmaps",
            "-l",
            "sales",
            "-f",
            "markdown",
        ],
        &["timeline", "sample-roadmaps", "-l", "sales", "-f", "json"],
    ];
    for args in runs {
        let o = roadlens(args, manifest());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains("sample-roadmaps/"), "{args:?}: a path\n{out}");
        assert!(!out.contains(".toml"), "{args:?}: a file name\n{out}");
        assert!(out.contains("Smart Pump"), "{args:?}: its title\n{out}");
    }
    // Other lenses keep the path.
    let o = roadlens(&["timeline", "sample-roadmaps", "-l", "exec"], manifest());
    assert!(stdout(&o).contains("sample-roadmaps/smart-pump.toml"));
}

#[test]
fn a_layer_only_some_roadmaps_have_skips_the_others() {
    let o = roadlens(
        &["show", "sample-roadmaps", "-l", "layer:comms"],
        manifest(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Smart Pump — Communications layer"));
    assert!(stderr(&o).contains("pulse-analytics.toml has no layer `comms`; skipped"));
}

#[test]
fn unknown_lens_is_a_usage_error_listing_the_valid_ones() {
    for bad in ["marketing", "layer:nope", "layer:"] {
        let o = roadlens(
            &["show", "sample-roadmaps/smart-pump.toml", "-l", bad],
            manifest(),
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stdout(&o).is_empty());
        let e = stderr(&o);
        assert!(e.contains("unknown lens"), "{e}");
        assert!(
            e.contains("exec, sales, engineering, decisions, layer:hardware, layer:firmware"),
            "{e}"
        );
    }
}

#[test]
fn broken_roadmap_prints_diagnostics_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.toml"),
        "[roadmap]\nid = \"x\"\ntitle = \"X\"\n\n[[release]]\nid = \"v1\"\nname = \"V\"\nstatus = \"done\"\n",
    )
    .unwrap();
    let o = roadlens(&["show"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("r.toml:8:10: error: invalid status `done`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_path_and_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let o = roadlens(&["show", "nowhere"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nowhere: no such file or directory"));
    let o = roadlens(&["show"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no roadmap under"), "{}", stderr(&o));
}

// -------------------------------------------------- generated roadmaps: leaks

use common::Rng;

/// One generated roadmap: its TOML and the strings sales must (not) show.
struct Generated {
    toml: String,
    /// Strings that must never appear in the sales lens.
    internal: Vec<String>,
    /// Strings that must appear in the sales lens.
    public: Vec<String>,
}

struct Gen {
    rng: Rng,
    n: usize,
    internal: Vec<String>,
    public: Vec<String>,
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

impl Gen {
    fn num(&mut self) -> usize {
        self.n += 1;
        self.n
    }
    /// A marker the sales lens must never show.
    fn secret(&mut self, kind: &str) -> String {
        let m = format!("Secret{kind}{:06}X", self.num());
        self.internal.push(m.clone());
        m
    }
    /// A marker the sales lens must show.
    fn public(&mut self, kind: &str) -> String {
        let m = format!("Public{kind}{:06}X", self.num());
        self.public.push(m.clone());
        m
    }
    /// An id the sales lens must never show.
    fn secret_id(&mut self, kind: &str) -> String {
        let m = format!("{kind}{:06}q", self.num());
        self.internal.push(m.clone());
        m
    }
    fn target(&mut self) -> String {
        let y = 2026 + self.rng.below(3);
        match self.rng.below(7) {
            0 => format!(
                "{y}-{:02}-{:02}",
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            1 => q(&format!("{y}-{:02}", 1 + self.rng.below(12))),
            2 => q(&format!("{y}-Q{}", 1 + self.rng.below(4))),
            3 => q(&format!("{y}-H{}", 1 + self.rng.below(2))),
            4 => q(&y.to_string()),
            _ => q(self.rng.pick(&["now", "next", "later"])),
        }
    }
}

const STATUSES: &[&str] = &["planned", "in-progress", "shipped", "deferred", "cancelled"];
const HEALTHS: &[&str] = &["on-track", "at-risk", "off-track", "blocked"];
const ESTIMATES: &[&str] = &["5d", "3w", "2m", "1q", "3 sprints", "1.5w"];
const AREAS: &[&str] = &[
    "business",
    "technology",
    "ux",
    "data",
    "security",
    "standards",
];

fn generate(seed: u64) -> Generated {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        n: (seed as usize) * 10_000,
        internal: vec![],
        public: vec![],
    };
    let mut t = String::new();
    let rid = g.secret_id("roadmap");
    let title = g.public("Title");
    let owner = g.secret("Owner");
    let _ = writeln!(
        t,
        "schema = 1\n\n[roadmap]\nid = {}\ntitle = {}\nowner = {}",
        q(&rid),
        q(&title),
        q(&owner)
    );
    if g.rng.chance(80) {
        let vision = g.public("Vision");
        let _ = writeln!(t, "vision = {}", q(&vision));
    }
    if g.rng.chance(50) {
        let x = g.secret("RoadmapExtra");
        let _ = writeln!(t, "\n[roadmap.extra]\nnote = {}", q(&x));
    }

    // Layers: declared (with internal names, teams, cadences) or the defaults.
    let layers: Vec<String> = if g.rng.chance(50) {
        let n = 1 + g.rng.below(5);
        (0..n)
            .map(|_| {
                let id = g.secret_id("layer");
                let name = g.secret("LayerName");
                let team = g.secret("LayerTeam");
                let cadence = g.secret("Cadence");
                let _ = writeln!(
                    t,
                    "\n[[layer]]\nid = {}\nname = {}\nteam = {}\ncadence = {}",
                    q(&id),
                    q(&name),
                    q(&team),
                    q(&cadence)
                );
                id
            })
            .collect()
    } else {
        ["hardware", "firmware", "comms", "cloud", "apps"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };

    let metrics: Vec<String> = (0..g.rng.below(3))
        .map(|_| {
            let id = g.secret_id("metric");
            let name = g.secret("MetricName");
            let unit = g.secret("Unit");
            let _ = writeln!(
                t,
                "\n[[metric]]\nid = {}\nname = {}\nunit = {}\ncurrent = {}\ntarget = {}",
                q(&id),
                q(&name),
                q(&unit),
                g.rng.below(1000),
                g.rng.below(1000)
            );
            id
        })
        .collect();
    let themes: Vec<String> = (0..g.rng.below(4))
        .map(|_| {
            let id = g.secret_id("theme");
            let title = g.secret("ThemeTitle");
            let outcome = g.secret("Outcome");
            let _ = writeln!(
                t,
                "\n[[theme]]\nid = {}\ntitle = {}\noutcome = {}",
                q(&id),
                q(&title),
                q(&outcome)
            );
            if !metrics.is_empty() && g.rng.chance(60) {
                let m = metrics[g.rng.below(metrics.len())].clone();
                let _ = writeln!(t, "metric = {}", q(&m));
            }
            id
        })
        .collect();

    // Releases: (id, cancelled?)
    let mut releases: Vec<(String, bool)> = Vec::new();
    for _ in 0..1 + g.rng.below(5) {
        let id = g.secret_id("release");
        let name = g.secret("ReleaseName");
        let summary = g.secret("Summary");
        let status = g.rng.pick(STATUSES);
        let _ = writeln!(
            t,
            "\n[[release]]\nid = {}\nname = {}\nsummary = {}",
            q(&id),
            q(&name),
            q(&summary)
        );
        if g.rng.chance(85) {
            let target = g.target();
            let _ = writeln!(t, "target = {target}");
        }
        if g.rng.chance(30) {
            let start = g.target();
            let _ = writeln!(t, "start = {start}");
        }
        let explicit_status = g.rng.chance(80);
        if explicit_status {
            let _ = writeln!(t, "status = {}", q(status));
        }
        if g.rng.chance(60) {
            let _ = writeln!(t, "health = {}", q(g.rng.pick(HEALTHS)));
        }
        if g.rng.chance(60) {
            let _ = writeln!(
                t,
                "confidence = {}",
                q(g.rng.pick(&["high", "medium", "low"]))
            );
        }
        if g.rng.chance(30) {
            let x = g.secret("ReleaseExtra");
            let _ = writeln!(t, "\n[release.extra]\nsupplier = {}", q(&x));
        }
        releases.push((id, explicit_status && status == "cancelled"));
    }

    let mut dep_targets: Vec<String> = Vec::new();
    for _ in 0..g.rng.below(9) {
        let (release, release_cancelled) = releases[g.rng.below(releases.len())].clone();
        let visibility = match g.rng.below(3) {
            0 => Some("internal"),
            1 => Some("public"),
            _ => None,
        };
        let status = if g.rng.chance(75) {
            Some(g.rng.pick(STATUSES))
        } else {
            None
        };
        let shown =
            visibility != Some("internal") && status != Some("cancelled") && !release_cancelled;
        let id = if shown {
            format!("pubf{:06}q", g.num())
        } else {
            g.secret_id("intf")
        };
        let title = if shown {
            g.public("FeatureTitle")
        } else {
            g.secret("FeatureTitle")
        };
        let _ = writeln!(
            t,
            "\n[[feature]]\nid = {}\ntitle = {}\nrelease = {}",
            q(&id),
            q(&title),
            q(&release)
        );
        if let Some(v) = visibility {
            let _ = writeln!(t, "visibility = {}", q(v));
        }
        if let Some(s) = status {
            let _ = writeln!(t, "status = {}", q(s));
        }
        if g.rng.chance(70) {
            let c = g.rng.pick(&["committed", "planned", "exploring"]);
            let _ = writeln!(t, "commitment = {}", q(c));
        }
        if g.rng.chance(50) {
            let _ = writeln!(t, "health = {}", q(g.rng.pick(HEALTHS)));
        }
        if g.rng.chance(85) {
            let cv = if shown {
                g.public("CustomerValue")
            } else {
                g.secret("CustomerValue")
            };
            let _ = writeln!(t, "customer_value = {}", q(&cv));
        }
        let bv = g.secret("BusinessValue");
        let tag = g.secret("Tag").to_lowercase();
        g.internal.push(tag.clone());
        let _ = writeln!(t, "business_value = {}\ntags = [{}]", q(&bv), q(&tag));
        if !themes.is_empty() && g.rng.chance(60) {
            let th = themes[g.rng.below(themes.len())].clone();
            let _ = writeln!(t, "themes = [{}]", q(&th));
        }
        if !dep_targets.is_empty() && g.rng.chance(40) {
            let d = dep_targets[g.rng.below(dep_targets.len())].clone();
            let _ = writeln!(t, "depends_on = [{}]", q(&d));
        }
        if g.rng.chance(30) {
            let x = g.secret("FeatureExtra");
            let _ = writeln!(t, "\n[feature.extra]\njira = {}", q(&x));
        }
        for _ in 0..g.rng.below(5) {
            let layer = layers[g.rng.below(layers.len())].clone();
            let wtitle = g.secret("WorkTitle");
            let _ = writeln!(
                t,
                "\n  [[feature.work]]\n  layer = {}\n  title = {}",
                q(&layer),
                q(&wtitle)
            );
            let wid = if g.rng.chance(80) {
                let wid = g.secret_id("work");
                let _ = writeln!(t, "  id = {}", q(&wid));
                Some(wid)
            } else {
                None
            };
            if g.rng.chance(70) {
                let _ = writeln!(t, "  status = {}", q(g.rng.pick(STATUSES)));
            }
            if g.rng.chance(40) {
                let _ = writeln!(t, "  health = {}", q(g.rng.pick(HEALTHS)));
            }
            if g.rng.chance(50) {
                let team = g.secret("WorkTeam");
                let _ = writeln!(t, "  team = {}", q(&team));
            }
            if g.rng.chance(70) {
                let _ = writeln!(t, "  estimate = {}", q(g.rng.pick(ESTIMATES)));
            }
            if g.rng.chance(50) {
                let m = 1 + g.rng.below(6);
                let _ = writeln!(
                    t,
                    "  start = \"2027-{m:02}\"\n  end = \"2027-{:02}\"",
                    m + 1 + g.rng.below(5)
                );
            }
            if g.rng.chance(50) {
                let i = g.secret("Interface");
                let _ = writeln!(t, "  interface = {}", q(&i));
            }
            if !dep_targets.is_empty() && g.rng.chance(50) {
                let d = dep_targets[g.rng.below(dep_targets.len())].clone();
                let _ = writeln!(t, "  depends_on = [{}]", q(&d));
            }
            if g.rng.chance(20) {
                let x = g.secret("WorkExtra");
                let _ = writeln!(t, "\n  [feature.work.extra]\n  ticket = {}", q(&x));
            }
            if let Some(w) = wid {
                dep_targets.push(w);
            }
        }
        // After its work: a work item that depended on its own feature would
        // wait for itself (a cycle `check` rejects).
        dep_targets.push(id.clone());
    }

    for _ in 0..g.rng.below(5) {
        let id = g.secret_id("decision");
        let layer = layers[g.rng.below(layers.len())].clone();
        let title = g.secret("DecisionTitle");
        let _ = writeln!(
            t,
            "\n[[decision]]\nid = {}\nlayer = {}\narea = {}\ntitle = {}",
            q(&id),
            q(&layer),
            q(g.rng.pick(AREAS)),
            q(&title)
        );
        if g.rng.chance(60) {
            let c = g.secret("Choice");
            let _ = writeln!(t, "status = \"decided\"\nchoice = {}", q(&c));
        }
    }

    Generated {
        toml: t,
        internal: g.internal,
        public: g.public,
    }
}

/// Words of the internal vocabulary the sales lens never uses.
const NEVER_IN_SALES: &[&str] = &[
    "on-track",
    "at-risk",
    "off-track",
    "blocked",
    "sprint",
    "Device hardware",
    "Cloud platform",
    "internal",
    "business_value",
    "estimate",
    "team",
];

/// No month or day precision: `YYYY-MM` anywhere is a leak.
fn has_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(7).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5].is_ascii_digit()
            && w[6].is_ascii_digit()
    })
}

fn assert_no_leak(what: &str, out: &str, g: &Generated) {
    for m in &g.internal {
        assert!(
            !out.contains(m.as_str()),
            "{what}: `{m}` leaked:\n{out}\n---\n{}",
            g.toml
        );
    }
    for w in NEVER_IN_SALES {
        assert!(!out.contains(w), "{what}: `{w}` leaked:\n{out}");
    }
    assert!(!has_month(out), "{what}: a month or day leaked:\n{out}");
}

fn assert_shows_public(what: &str, out: &str, g: &Generated) {
    for m in &g.public {
        assert!(
            out.contains(m.as_str()),
            "{what}: `{m}` missing:\n{out}\n---\n{}",
            g.toml
        );
    }
}

#[test]
fn sales_never_leaks_over_many_generated_roadmaps() {
    let mut checked_features = 0;
    for seed in 1..=150u64 {
        let g = generate(seed);
        let r = load_text(&format!("gen-{seed}.toml"), &g.toml);
        let view = lens::project(&r, &Lens::Sales).unwrap();
        for (format, name) in [
            (Format::Text, "text"),
            (Format::Markdown, "markdown"),
            (Format::Json, "json"),
        ] {
            let out = render(&view, format, false);
            let what = format!("seed {seed} {name}");
            assert_no_leak(&what, &out, &g);
            // JSON holds exactly the data; text and markdown may wrap lines.
            let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_shows_public(&what, &joined, &g);
        }
        // Search and details in the sales lens know only sales text.
        let items = lens::search_items(&view);
        let text = serde_json::to_string(&items).unwrap();
        assert_no_leak(&format!("seed {seed} search"), &text, &g);
        for f in &r.features {
            let item = lens::ItemRef {
                entity: model::EntityKind::Feature,
                id: f.id.clone(),
            };
            if let Some(d) = lens::detail(&r, &Lens::Sales, &item) {
                checked_features += 1;
                let text = serde_json::to_string(&d).unwrap();
                assert_no_leak(&format!("seed {seed} detail {}", f.id), &text, &g);
            }
            for w in &f.work {
                let item = lens::ItemRef {
                    entity: model::EntityKind::Work,
                    id: w.key(&f.id),
                };
                assert!(lens::detail(&r, &Lens::Sales, &item).is_none());
            }
        }
        // Exploring features carry no date, shipped ones say "available now".
        if let LensView::Sales(v) = &view {
            for grp in &v.groups {
                for sf in &grp.features {
                    let f = r.feature(&sf.id).unwrap();
                    let shipped = f.status() == model::Status::Shipped
                        || r.release(&f.release).map(|x| x.status())
                            == Some(model::Status::Shipped);
                    if shipped {
                        assert_eq!(
                            sf.when.map(|w| w.to_string()).as_deref(),
                            Some("available now")
                        );
                    } else if grp.commitment == model::Commitment::Exploring {
                        assert_eq!(sf.when, None);
                    }
                }
            }
        }
        // Every other lens projects without panicking.
        for l in lens::lenses(&r) {
            let v = lens::project(&r, &l).unwrap();
            for format in [Format::Text, Format::Markdown, Format::Json] {
                let _ = render(&v, format, true);
            }
            let _ = lens::search_items(&v);
        }
    }
    assert!(
        checked_features > 100,
        "generator too thin: {checked_features}"
    );
}

#[test]
fn sales_through_the_binary_never_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let gens: Vec<Generated> = (1000..1020u64).map(generate).collect();
    for (i, g) in gens.iter().enumerate() {
        std::fs::write(dir.path().join(format!("gen{i:02}.toml")), &g.toml).unwrap();
    }
    let all = Generated {
        toml: String::new(),
        internal: gens.iter().flat_map(|g| g.internal.clone()).collect(),
        public: gens.iter().flat_map(|g| g.public.clone()).collect(),
    };
    for format in ["text", "markdown", "json"] {
        let o = roadlens(&["show", "--lens", "sales", "--format", format], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        // Paths of the files are shown between roadmaps: not markers.
        assert_no_leak(format, &out, &all);
        let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_shows_public(format, &joined, &all);
    }
}

// ---------------------------------------------------------- hostile strings

/// Terminal attacks and invisible characters, in TOML escape syntax.
const HOSTILE: &str = r"A\u001b]52;c;SGVsbG8=\u0007B\u001b[31mC\u0007D\rE\u0000F\u009b2JG\u202eH\u200bI\u001b[2J\u001bcJ";

fn hostile_toml() -> String {
    let h = format!("\"{HOSTILE}\"");
    format!(
        r#"[roadmap]
id = "evil"
title = {h}
owner = {h}
vision = {h}

[roadmap.extra]
note = {h}

[[layer]]
id = "hw"
name = {h}
team = {h}
cadence = {h}

[[layer]]
id = "fw"
name = {h}

[[metric]]
id = "m"
name = {h}
unit = {h}
current = 1.0
target = 2.0

[[theme]]
id = "t"
title = {h}
outcome = {h}
metric = "m"

[[release]]
id = "v1"
name = {h}
target = "2027-Q3"
health = "blocked"
summary = {h}

[release.extra]
x = {h}

[[feature]]
id = "f1"
title = {h}
release = "v1"
themes = ["t"]
health = "at-risk"
commitment = "committed"
customer_value = {h}
business_value = {h}
tags = [{h}]

  [[feature.work]]
  id = "w1"
  layer = "hw"
  title = {h}
  team = {h}
  health = "blocked"
  estimate = "2w"
  interface = {h}

  [[feature.work]]
  layer = "fw"
  title = {h}
  depends_on = ["w1"]
  interface = {h}

[[feature]]
id = "f2"
title = {h}
release = "v1"
commitment = "exploring"
customer_value = {h}
depends_on = ["f1"]

[[decision]]
id = "d"
layer = "hw"
area = "security"
title = {h}
status = "decided"
choice = {h}
"#
    )
}

#[test]
fn hostile_strings_never_reach_stdout_raw() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.toml"), hostile_toml()).unwrap();
    let r = load_file(&dir.path().join("evil.toml"));
    let raw = "A\u{1b}]52;c;SGVsbG8=\u{7}B\u{1b}[31mC\u{7}D\rE\u{0}F\u{9b}2JG\u{202e}H\u{200b}I\u{1b}[2J\u{1b}cJ";
    assert_eq!(r.meta.title, raw, "the loader keeps the data");
    for l in lens_names(&r) {
        for format in ["text", "markdown", "json"] {
            let o = roadlens(
                &["show", "evil.toml", "--lens", &l, "--format", format],
                dir.path(),
            );
            assert_eq!(o.status.code(), Some(0), "{l} {format}: {}", stderr(&o));
            for b in [0x1bu8, 0x07, 0x0d, 0x00, 0x08] {
                assert!(!o.stdout.contains(&b), "{l} {format}: raw byte {b:#x}");
            }
            let out = stdout(&o);
            for c in ['\u{9b}', '\u{202e}', '\u{200b}'] {
                assert!(!out.contains(c), "{l} {format}: raw {c:?}");
            }
            assert!(
                !out.chars()
                    .any(|c| c != '\n' && roadlens::text::is_unsafe_char(c)),
                "{l} {format}"
            );
            if format == "json" {
                // The data survives, escaped.
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(v["roadmap"]["title"].as_str(), Some(raw), "{l}");
            } else {
                // Whole escape sequences are gone, not just their ESC.
                for frag in ["]52;", "SGVsbG8", "[31m", "[2J"] {
                    assert!(!out.contains(frag), "{l} {format}: {frag}\n{out}");
                }
                assert!(out.contains("AB"), "{l} {format}: text kept\n{out}");
            }
        }
    }
}

#[test]
fn dangling_references_in_hand_built_roadmaps_render() {
    // Built in code: the loader would reject these, the lenses must not panic.
    let mut r = load_file(&manifest().join("sample-roadmaps/smart-pump.toml"));
    r.layers.truncate(2);
    r.releases.remove(0);
    r.themes.clear();
    r.metrics.clear();
    for f in &mut r.features {
        f.depends_on.push("ghost".into());
        for w in &mut f.work {
            w.depends_on.push("nowhere".into());
        }
    }
    for l in lens::lenses(&r) {
        let v = lens::project(&r, &l).unwrap();
        for format in [Format::Text, Format::Markdown, Format::Json] {
            assert!(!render(&v, format, false).is_empty());
        }
    }
    assert!(lens::project(&r, &Lens::Layer("cloud".into())).is_none());
}

// ------------------------------------------------------------------- --at

fn git(dir: &Path, args: &[&str]) {
    let home = dir.parent().unwrap_or(dir);
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn at_a_revision_shows_the_roadmap_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("roadmaps")).unwrap();
    let file = repo.join("roadmaps/smart-pump.toml");
    let sample =
        std::fs::read_to_string(manifest().join("sample-roadmaps/smart-pump.toml")).unwrap();
    std::fs::write(&file, &sample).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "first"]);
    git(&repo, &["tag", "review"]);
    let renamed = sample.replacen("title = \"Smart Pump\"", "title = \"Smart Pump II\"", 1);
    std::fs::write(&file, &renamed).unwrap();
    git(&repo, &["commit", "-qam", "rename"]);
    std::fs::write(&file, "[roadmap]\nid = \"x\"\ntitle = \"X\"\nowner = 3\n").unwrap();
    git(&repo, &["commit", "-qam", "broken"]);
    std::fs::write(&file, &sample).unwrap(); // the working tree differs again

    let o = roadlens(&["show", "--at", "review", "-l", "sales"], &repo);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Smart Pump — what we can tell customers"));

    let o = roadlens(&["show", "--at", "HEAD~1", "roadmaps", "-f", "json"], &repo);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["roadmap"]["title"], "Smart Pump II");

    // A subdirectory limits the files; run from inside it too.
    let o = roadlens(&["show", "--at", "HEAD~1", "."], &repo.join("roadmaps"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Smart Pump II — executive view"));

    // A revision whose roadmap is broken: located diagnostics, exit 1.
    let o = roadlens(&["show", "--at", "HEAD"], &repo);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("HEAD:roadmaps/smart-pump.toml:4:9: error:"),
        "{}",
        stderr(&o)
    );

    let o = roadlens(&["show", "--at", "no-such-rev"], &repo);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown revision `no-such-rev`"),
        "{}",
        stderr(&o)
    );

    let o = roadlens(&["show", "--at", "HEAD"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not a git repository"),
        "{}",
        stderr(&o)
    );
}
