//! Property tests of what each audience notices, over generated roadmaps and
//! generated edits:
//!
//! - for every lens L, the audience diff of (a, b) under L is empty exactly
//!   when L's views of a and b are equal;
//! - nothing the sales view of either side hides reaches the sales diff, in
//!   any format (text, markdown, JSON).
//!
//! Roadmaps are generated as data, written out as TOML and loaded like any
//! file; every generated string is a unique marker, so a leak is a marker
//! of a string neither sales view holds.

mod common;

use common::Rng;
use roadlens::cli::diffprint::{self, DiffReport, SideLabel};
use roadlens::diff::{self, FileStatus};
use roadlens::lens::{self, Lens};
use roadlens::model::{self, Roadmap};
use std::fmt::Write as _;

const TODAY: jiff::civil::Date = jiff::civil::date(2027, 5, 10);

const STATUSES: &[&str] = &["planned", "in-progress", "shipped", "deferred", "cancelled"];
const HEALTHS: &[&str] = &["on-track", "at-risk", "off-track", "blocked"];
const COMMITMENTS: &[&str] = &["committed", "planned", "exploring"];
const ESTIMATES: &[&str] = &["5d", "3w", "2m", "1q", "3 sprints"];
const AREAS: &[&str] = &[
    "business",
    "technology",
    "ux",
    "data",
    "security",
    "standards",
];
const DEFAULT_LAYERS: &[&str] = &["hardware", "firmware", "comms", "cloud", "apps"];

#[derive(Clone, Debug)]
struct Release {
    id: String,
    name: String,
    target: Option<String>,
    /// When work on it starts (the schedule counts from it).
    start: Option<String>,
    status: Option<&'static str>,
    health: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Work {
    id: Option<String>,
    layer: String,
    title: String,
    status: Option<&'static str>,
    health: Option<&'static str>,
    team: Option<String>,
    estimate: Option<&'static str>,
    start: Option<String>,
    end: Option<String>,
    depends_on: Vec<String>,
    interface: Option<String>,
}

#[derive(Clone, Debug)]
struct Feature {
    id: String,
    title: String,
    release: String,
    status: Option<&'static str>,
    health: Option<&'static str>,
    commitment: Option<&'static str>,
    visibility: Option<&'static str>,
    customer_value: Option<String>,
    business_value: Option<String>,
    depends_on: Vec<String>,
    work: Vec<Work>,
}

#[derive(Clone, Debug)]
struct Decision {
    id: String,
    layer: String,
    area: &'static str,
    title: String,
    choice: Option<String>,
}

#[derive(Clone, Debug)]
struct Gen {
    vision: Option<String>,
    layers: Vec<String>,
    /// Declared `[[layer]]` tables (with a team each), or the defaults.
    declared: bool,
    releases: Vec<Release>,
    features: Vec<Feature>,
    decisions: Vec<Decision>,
    n: usize,
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

impl Gen {
    /// A unique marker: `<kind><n>z`.
    fn mark(&mut self, kind: &str) -> String {
        self.n += 1;
        format!("{kind}{}z", self.n)
    }

    fn target(&mut self, rng: &mut Rng) -> String {
        let y = 2026 + rng.below(3);
        match rng.below(7) {
            0 => format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            1 => q(&format!("{y}-{:02}", 1 + rng.below(12))),
            2 | 3 => q(&format!("{y}-Q{}", 1 + rng.below(4))),
            4 => q(&format!("{y}-H{}", 1 + rng.below(2))),
            5 => q(&y.to_string()),
            _ => q(rng.pick(&["now", "next", "later"])),
        }
    }

    fn maybe<T: Copy>(rng: &mut Rng, p: u64, xs: &[T]) -> Option<T> {
        rng.chance(p).then(|| rng.pick(xs))
    }

    fn new(rng: &mut Rng) -> Gen {
        let mut g = Gen {
            vision: None,
            layers: vec![],
            declared: rng.chance(40),
            releases: vec![],
            features: vec![],
            decisions: vec![],
            n: 0,
        };
        g.vision = rng.chance(70).then(|| g.mark("vision"));
        g.layers = if g.declared {
            (0..1 + rng.below(3)).map(|_| g.mark("lay")).collect()
        } else {
            DEFAULT_LAYERS.iter().map(|s| s.to_string()).collect()
        };
        for _ in 0..1 + rng.below(4) {
            g.add_release(rng);
        }
        for _ in 0..rng.below(6) {
            g.add_feature(rng);
        }
        for _ in 0..rng.below(3) {
            let d = Decision {
                id: g.mark("dec"),
                layer: rng.pick(&g.layers),
                area: rng.pick(AREAS),
                title: g.mark("DecTitle"),
                choice: None,
            };
            g.decisions.push(d);
        }
        g
    }

    fn add_release(&mut self, rng: &mut Rng) {
        let r = Release {
            id: self.mark("rel"),
            name: self.mark("RelName"),
            target: rng.chance(85).then(|| self.target(rng)),
            start: rng.chance(30).then(|| self.target(rng)),
            status: Gen::maybe(rng, 70, STATUSES),
            health: Gen::maybe(rng, 50, HEALTHS),
        };
        self.releases.push(r);
    }

    /// Ids a new dependency may name (features and work items so far: no
    /// cycles).
    fn dep_ids(&self) -> Vec<String> {
        let mut out = vec![];
        for f in &self.features {
            out.push(f.id.clone());
            out.extend(f.work.iter().filter_map(|w| w.id.clone()));
        }
        out
    }

    fn add_feature(&mut self, rng: &mut Rng) {
        let deps = self.dep_ids();
        let mut f = Feature {
            id: self.mark("feat"),
            title: self.mark("FeatTitle"),
            release: rng.pick(&self.releases).id.clone(),
            status: Gen::maybe(rng, 60, STATUSES),
            health: Gen::maybe(rng, 40, HEALTHS),
            commitment: Gen::maybe(rng, 70, COMMITMENTS),
            visibility: Gen::maybe(rng, 60, &["public", "internal"]),
            customer_value: rng.chance(80).then(|| self.mark("CustValue")),
            business_value: rng.chance(60).then(|| self.mark("BizValue")),
            depends_on: vec![],
            work: vec![],
        };
        if !deps.is_empty() && rng.chance(30) {
            f.depends_on.push(rng.pick(&deps));
        }
        for _ in 0..rng.below(4) {
            let w = self.new_work(rng, &deps);
            f.work.push(w);
        }
        self.features.push(f);
    }

    fn new_work(&mut self, rng: &mut Rng, deps: &[String]) -> Work {
        Work {
            id: rng.chance(80).then(|| self.mark("wrk")),
            layer: rng.pick(&self.layers),
            title: self.mark("WorkTitle"),
            status: Gen::maybe(rng, 50, STATUSES),
            health: Gen::maybe(rng, 30, HEALTHS),
            team: rng.chance(40).then(|| self.mark("Team")),
            estimate: Gen::maybe(rng, 60, ESTIMATES),
            start: rng.chance(25).then(|| self.target(rng)),
            end: rng.chance(40).then(|| self.target(rng)),
            depends_on: if !deps.is_empty() && rng.chance(30) {
                vec![rng.pick(deps)]
            } else {
                vec![]
            },
            interface: rng.chance(30).then(|| self.mark("Iface")),
        }
    }

    fn toml(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "[roadmap]\nid = \"genmap\"\ntitle = \"Generated\"");
        if let Some(v) = &self.vision {
            let _ = writeln!(t, "vision = {}", q(v));
        }
        if self.declared {
            for l in &self.layers {
                let _ = writeln!(
                    t,
                    "\n[[layer]]\nid = {}\nname = {}\nteam = {}",
                    q(l),
                    q(&format!("{l}Name")),
                    q(&format!("{l}Team"))
                );
            }
        }
        for r in &self.releases {
            let _ = writeln!(t, "\n[[release]]\nid = {}\nname = {}", q(&r.id), q(&r.name));
            if let Some(x) = &r.target {
                let _ = writeln!(t, "target = {x}");
            }
            if let Some(x) = &r.start {
                let _ = writeln!(t, "start = {x}");
            }
            if let Some(x) = r.status {
                let _ = writeln!(t, "status = {}", q(x));
            }
            if let Some(x) = r.health {
                let _ = writeln!(t, "health = {}", q(x));
            }
        }
        for f in &self.features {
            let _ = writeln!(
                t,
                "\n[[feature]]\nid = {}\ntitle = {}\nrelease = {}",
                q(&f.id),
                q(&f.title),
                q(&f.release)
            );
            for (k, v) in [
                ("status", f.status),
                ("health", f.health),
                ("commitment", f.commitment),
                ("visibility", f.visibility),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(t, "{k} = {}", q(v));
                }
            }
            for (k, v) in [
                ("customer_value", &f.customer_value),
                ("business_value", &f.business_value),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(t, "{k} = {}", q(v));
                }
            }
            if !f.depends_on.is_empty() {
                let _ = writeln!(t, "depends_on = [{}]", q(&f.depends_on[0]));
            }
            for w in &f.work {
                let _ = writeln!(
                    t,
                    "\n  [[feature.work]]\n  layer = {}\n  title = {}",
                    q(&w.layer),
                    q(&w.title)
                );
                if let Some(id) = &w.id {
                    let _ = writeln!(t, "  id = {}", q(id));
                }
                for (k, v) in [
                    ("status", w.status),
                    ("health", w.health),
                    ("estimate", w.estimate),
                ] {
                    if let Some(v) = v {
                        let _ = writeln!(t, "  {k} = {}", q(v));
                    }
                }
                for (k, v) in [("team", &w.team), ("interface", &w.interface)] {
                    if let Some(v) = v {
                        let _ = writeln!(t, "  {k} = {}", q(v));
                    }
                }
                if let Some(e) = &w.start {
                    let _ = writeln!(t, "  start = {e}");
                }
                if let Some(e) = &w.end {
                    let _ = writeln!(t, "  end = {e}");
                }
                if !w.depends_on.is_empty() {
                    let _ = writeln!(t, "  depends_on = [{}]", q(&w.depends_on[0]));
                }
            }
        }
        for d in &self.decisions {
            let _ = writeln!(
                t,
                "\n[[decision]]\nid = {}\nlayer = {}\narea = {}\ntitle = {}",
                q(&d.id),
                q(&d.layer),
                q(d.area),
                q(&d.title)
            );
            if let Some(c) = &d.choice {
                let _ = writeln!(t, "status = \"decided\"\nchoice = {}", q(c));
            }
        }
        t
    }

    /// Ids something depends on (they must not be removed).
    fn depended_on(&self) -> Vec<String> {
        self.features
            .iter()
            .flat_map(|f| {
                f.depends_on
                    .iter()
                    .chain(f.work.iter().flat_map(|w| &w.depends_on))
            })
            .cloned()
            .collect()
    }

    /// One random edit of the kinds a PM makes.
    fn edit(&mut self, rng: &mut Rng) -> String {
        let nf = self.features.len();
        let fi = rng.below(nf);
        let ri = rng.below(self.releases.len());
        match rng.below(21) {
            0 => {
                let s = rng.pick(STATUSES);
                self.releases[ri].status = Some(s);
                format!("release status {s}")
            }
            1 => {
                let t = self.target(rng);
                self.releases[ri].target = Some(t.clone());
                format!("release target {t}")
            }
            2 => {
                self.releases[ri].status = Some("cancelled");
                "release cancelled".into()
            }
            3 => {
                self.releases[ri].status = Some("shipped");
                "release shipped".into()
            }
            4 => {
                self.releases[ri].health = Gen::maybe(rng, 70, HEALTHS);
                "release health".into()
            }
            5 => {
                self.releases[ri].name = self.mark("RelName");
                "release renamed".into()
            }
            6 => {
                self.add_release(rng);
                "release added".into()
            }
            7 => {
                self.add_feature(rng);
                "feature added".into()
            }
            _ if nf == 0 => {
                self.add_feature(rng);
                "feature added".into()
            }
            8 => {
                let r = rng.pick(&self.releases).id.clone();
                self.features[fi].release = r;
                "feature moved".into()
            }
            9 => {
                let s = rng.pick(STATUSES);
                self.features[fi].status = Some(s);
                format!("feature status {s}")
            }
            10 => {
                self.features[fi].visibility = Gen::maybe(rng, 80, &["public", "internal"]);
                "feature visibility".into()
            }
            11 => {
                self.features[fi].commitment = Gen::maybe(rng, 80, COMMITMENTS);
                "feature commitment".into()
            }
            12 => {
                self.features[fi].title = self.mark("FeatTitle");
                "feature renamed".into()
            }
            13 => {
                self.features[fi].customer_value = rng.chance(80).then(|| self.mark("CustValue"));
                "customer value".into()
            }
            14 => {
                self.features[fi].business_value = rng.chance(80).then(|| self.mark("BizValue"));
                "business value".into()
            }
            15 => {
                let held = self.depended_on();
                let f = &self.features[fi];
                let safe = !held.contains(&f.id)
                    && f.work
                        .iter()
                        .all(|w| w.id.as_ref().is_none_or(|id| !held.contains(id)));
                if safe {
                    self.features.remove(fi);
                    "feature removed".into()
                } else {
                    self.features[fi].health = Gen::maybe(rng, 70, HEALTHS);
                    "feature health".into()
                }
            }
            16 => {
                let deps = self.dep_ids();
                let w = self.new_work(rng, &deps);
                // A dependency on a later item could make a cycle: none.
                let w = Work {
                    depends_on: vec![],
                    ..w
                };
                self.features[fi].work.push(w);
                "work added".into()
            }
            17 if !self.features[fi].work.is_empty() => {
                let layers = self.layers.clone();
                let f = &mut self.features[fi];
                let wi = rng.below(f.work.len());
                f.work[wi].layer = rng.pick(&layers);
                "work moved to a layer".into()
            }
            18 if !self.features[fi].work.is_empty() => {
                let t = rng.chance(80).then(|| self.target(rng));
                let e = Gen::maybe(rng, 70, ESTIMATES);
                let h = Gen::maybe(rng, 50, HEALTHS);
                let f = &mut self.features[fi];
                let wi = rng.below(f.work.len());
                f.work[wi].end = t;
                f.work[wi].estimate = e;
                f.work[wi].health = h;
                "work end, estimate, health".into()
            }
            19 if !self.decisions.is_empty() => {
                // A decision moves in the canvas: another area or layer.
                let layers = self.layers.clone();
                let d = &mut self.decisions[0];
                if rng.chance(50) {
                    d.area = rng.pick(AREAS);
                } else {
                    d.layer = rng.pick(&layers);
                }
                "decision moved".into()
            }
            _ => {
                if let Some(d) = self.decisions.first_mut() {
                    d.choice = Some(format!("choice{}z", rng.below(1000)));
                    "decision".into()
                } else {
                    self.vision = rng
                        .chance(70)
                        .then(|| format!("vision{}z", rng.below(1000)));
                    "vision".into()
                }
            }
        }
    }
}

fn load(src: &str) -> Roadmap {
    let f = model::load_str("gen.toml", src, TODAY);
    let errors = f.render_diagnostics(false);
    let broken = f.has_errors();
    f.roadmap
        .filter(|_| !broken)
        .unwrap_or_else(|| panic!("generated roadmap does not load:\n{errors}\n{src}"))
}

/// Every lens either side has.
fn all_lenses(a: &Roadmap, b: &Roadmap) -> Vec<Lens> {
    let mut out = lens::lenses(a);
    for l in lens::lenses(b) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

#[test]
fn an_audience_diff_is_empty_exactly_when_its_view_is_unchanged() {
    let mut rng = Rng(0x005e_eda0_d1e1_1ce5);
    let (mut cases, mut noticed, mut unnoticed) = (0, 0, 0);
    for seed in 0..cases_env(600) {
        let mut rng_case = Rng(rng.next() | 1);
        let a = Gen::new(&mut rng_case);
        let mut b = a.clone();
        let mut what = vec![];
        for _ in 0..1 + rng_case.below(3) {
            what.push(b.edit(&mut rng_case));
        }
        let (ra, rb) = (load(&a.toml()), load(&b.toml()));
        for l in all_lenses(&ra, &rb) {
            cases += 1;
            let same = lens::project(&ra, &l) == lens::project(&rb, &l);
            let changes = diff::audience(Some(&ra), Some(&rb), &l);
            if same {
                unnoticed += 1;
            } else {
                noticed += 1;
            }
            assert_eq!(
                changes.is_empty(),
                same,
                "seed {seed}, lens {}, edits {what:?}: views {} but the diff says {changes:#?}",
                l.name(),
                if same { "equal" } else { "differ" },
            );
            // Only an order the records cannot name is "order changed".
            for c in &changes {
                assert_ne!(
                    c.field.as_deref(),
                    Some("order"),
                    "seed {seed}, lens {}, edits {what:?}: a difference the records missed:\n{}",
                    l.name(),
                    view_diff(&ra, &rb, &l)
                );
            }
        }
    }
    // The generator exercises both outcomes.
    assert!(
        noticed > cases / 10 && unnoticed > cases / 10,
        "{noticed} / {unnoticed} of {cases}"
    );
}

/// The lines in which two views' JSON differ (for failure messages).
fn view_diff(a: &Roadmap, b: &Roadmap, l: &Lens) -> String {
    let j = |r: &Roadmap| serde_json::to_string_pretty(&lens::project(r, l)).expect("json");
    let (x, y) = (j(a), j(b));
    let (xl, yl): (Vec<&str>, Vec<&str>) = (x.lines().collect(), y.lines().collect());
    let mut out = String::new();
    for l in &xl {
        if !yl.contains(l) {
            let _ = writeln!(out, "- {l}");
        }
    }
    for l in &yl {
        if !xl.contains(l) {
            let _ = writeln!(out, "+ {l}");
        }
    }
    if out.is_empty() {
        out = format!("(same lines, another order)\n{x}\n---\n{y}");
    }
    out
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
            let after = b.get(i + 7).copied();
            if !after.is_some_and(|c| c.is_ascii_digit()) {
                out.push(s[i..(i + 10).min(s.len())].to_string());
            }
        }
    }
    out
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

#[test]
fn nothing_the_sales_views_hide_reaches_the_sales_diff_in_any_format() {
    let mut rng = Rng(0x000d_eadb_eef5_a1e5);
    for seed in 0..cases_env(400) {
        let mut rng_case = Rng(rng.next() | 1);
        let a = Gen::new(&mut rng_case);
        let mut b = a.clone();
        let mut what = vec![];
        for _ in 0..1 + rng_case.below(3) {
            what.push(b.edit(&mut rng_case));
        }
        let (ta, tb) = (a.toml(), b.toml());
        let (fa, fb) = (
            model::load_str("gen.toml", &ta, TODAY),
            model::load_str("gen.toml", &tb, TODAY),
        );
        let d = diff::diff_loaded(
            "gen.toml",
            Some(&fa),
            Some(&fb),
            ("a", "b"),
            Some(&Lens::Sales),
        );
        assert_ne!(d.status, FileStatus::Unparseable);
        // What the two sales views hold, as JSON text.
        let views = [&fa, &fb]
            .map(|f| {
                let r = f.roadmap.as_ref().expect("loads");
                serde_json::to_string(&lens::project(r, &Lens::Sales)).expect("json")
            })
            .join("\n");
        let report = DiffReport {
            base: SideLabel {
                label: "a".into(),
                commit: None,
            },
            target: SideLabel {
                label: "b".into(),
                commit: None,
            },
            lens: Some(Lens::Sales),
            files: vec![d],
        };
        for (format, out) in [
            ("text", diffprint::text(&report, false)),
            ("markdown", diffprint::markdown(&report)),
            ("json", diffprint::json(&report)),
        ] {
            for m in markers(&out) {
                assert!(
                    views.contains(m),
                    "seed {seed} {format}, edits {what:?}: `{m}` is in no sales view:\n{out}"
                );
            }
            for word in HEALTHS
                .iter()
                .chain(ESTIMATES)
                .chain(&["rel", "release", "health", "team", "estimate", "business"])
            {
                let hit = out
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .any(|w| w == *word);
                assert!(
                    !hit,
                    "seed {seed} {format}, edits {what:?}: `{word}` in the sales diff:\n{out}"
                );
            }
            assert!(
                exact_dates(&out).is_empty(),
                "seed {seed} {format}, edits {what:?}: exact dates {:?} in the sales diff:\n{out}",
                exact_dates(&out)
            );
        }
    }
}

/// How many generated cases to run: `ROADLENS_CASES` overrides the default
/// (for a longer search by hand).
fn cases_env(default: u64) -> u64 {
    std::env::var("ROADLENS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The sales timeline, against a baseline, in every format holds only what
/// the two sales views hold: no marker of a string neither view has, no
/// release, health or effort word, no date finer than a quarter.
#[test]
fn the_sales_timeline_leaks_nothing_in_any_format() {
    use roadlens::cli::timelineprint::{self, SvgOpts, TextRange};
    use roadlens::lens::timeline::{BaselineLabel, By, timeline};
    let mut rng = Rng(0x0071_3e11_4e5a_1e55);
    for seed in 0..cases_env(300) {
        let mut rng_case = Rng(rng.next() | 1);
        let a = Gen::new(&mut rng_case);
        let mut b = a.clone();
        let mut what = vec![];
        for _ in 0..1 + rng_case.below(3) {
            what.push(b.edit(&mut rng_case));
        }
        let (ra, rb) = (load(&a.toml()), load(&b.toml()));
        let views = [&ra, &rb]
            .map(|r| serde_json::to_string(&lens::project(r, &Lens::Sales)).expect("json"))
            .join("\n");
        let mut v = timeline(&rb, &Lens::Sales, By::Commitment, Some(&ra), TODAY).expect("view");
        v.baseline = Some(BaselineLabel::for_lens(
            &Lens::Sales,
            "rel1z-tag",
            Some(jiff::civil::date(2027, 2, 14)),
        ));
        let plain = TextRange::default();
        for (format, out) in [
            ("text 80", timelineprint::text(&v, 80, None, plain)),
            ("text 160", timelineprint::text(&v, 160, None, plain)),
            ("markdown", timelineprint::markdown(&v)),
            ("json", roadlens::cli::lensprint::to_json(&v)),
            ("svg", timelineprint::svg(&v, &SvgOpts::default())),
        ] {
            for m in markers(&out) {
                assert!(
                    views.contains(m),
                    "seed {seed} {format}, edits {what:?}: `{m}` is in no sales view:\n{out}"
                );
            }
            for word in HEALTHS.iter().chain(ESTIMATES).chain(&[
                "rel", "release", "health", "team", "estimate", "business", "status",
            ]) {
                let hit = out
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .any(|w| w == *word);
                assert!(
                    !hit,
                    "seed {seed} {format}, edits {what:?}: `{word}` in the sales timeline:\n{out}"
                );
            }
            assert!(
                exact_dates(&out).is_empty(),
                "seed {seed} {format}, edits {what:?}: exact dates {:?} in the sales timeline:\n{out}",
                exact_dates(&out)
            );
        }
    }
}
