//! Benchmark data, written with `git fast-import` and cached under
//! `target/bench-data/`:
//!
//! - [`STRESS`]: a large roadmap (1000 features × 5 work items, 40 releases,
//!   1.2 MB) in a repository of 20,000 commits of which ~300 change it;
//! - [`PRODUCT`]: what a product team has: a ~40 KB roadmap in a repository
//!   of 1,000 commits, ~150 of which change it;
//! - [`MONOREPO`]: a ~40 KB roadmap in a monorepo of 100,000 commits, ~600 of
//!   which change it.
//!
//! Shared by `benches/roadmap.rs` (criterion) and `examples/bench_ratios.rs`
//! (`#[path]`-included, so the library carries none of it).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Bump when the generator changes: the cache is keyed by it.
const VERSION: u32 = 3;
pub const ROADMAP_PATH: &str = "roadmaps/product.toml";
pub const FEATURES: usize = 1000;

/// The shape of a generated repository.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The cache directory's name (with [`VERSION`]).
    pub name: &'static str,
    pub commits: usize,
    /// Commits that change the roadmap.
    pub roadmap_commits: usize,
    /// Features at the start, and at most (additions bring them there).
    pub features: usize,
    pub max_features: usize,
    pub releases: usize,
    /// Source files the other commits change.
    pub sources: usize,
}

/// The stress case: a 1.2 MB roadmap, 20,000 commits.
pub const STRESS: Spec = Spec {
    name: "history",
    commits: 20_000,
    roadmap_commits: 300,
    features: FEATURES - 60,
    max_features: FEATURES,
    releases: 40,
    sources: 800,
};

/// A product repository: a ~40 KB roadmap, 1,000 commits.
pub const PRODUCT: Spec = Spec {
    name: "product",
    commits: 1_000,
    roadmap_commits: 150,
    features: 26,
    max_features: 32,
    releases: 8,
    sources: 200,
};

/// A monorepo: a ~40 KB roadmap changed in ~600 of 100,000 commits.
pub const MONOREPO: Spec = Spec {
    name: "monorepo",
    commits: 100_000,
    roadmap_commits: 600,
    features: 26,
    max_features: 32,
    releases: 8,
    sources: 4_000,
};

/// Deterministic xorshift; no dependency needed.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

// ------------------------------------------------------------------ roadmap

const LAYERS: [&str; 5] = ["hardware", "firmware", "comms", "cloud", "apps"];
const STATUSES: [&str; 4] = ["planned", "in-progress", "shipped", "deferred"];
const HEALTH: [&str; 4] = ["on-track", "at-risk", "off-track", "blocked"];
const COMMITMENT: [&str; 3] = ["committed", "planned", "exploring"];
const AREAS: [&str; 6] = [
    "business",
    "technology",
    "ux",
    "data",
    "security",
    "standards",
];

/// The evolving state of the generated roadmap.
#[derive(Clone)]
pub struct Plan {
    /// At most this many features.
    max_features: usize,
    /// Release targets as quarter numbers since 2027-Q1.
    release_q: Vec<u32>,
    release_status: Vec<usize>,
    /// Per feature: release index, status, health (None: unset).
    features: Vec<(usize, usize, Option<usize>)>,
}

impl Plan {
    /// The starting roadmap: 940 features (additions bring it to ~1000).
    pub fn initial() -> Plan {
        Plan::of(&STRESS)
    }

    /// The starting roadmap of a repository of this shape.
    pub fn of(spec: &Spec) -> Plan {
        Plan::sized(spec.features, spec.max_features, spec.releases)
    }

    pub fn with_features(n: usize) -> Plan {
        Plan::sized(n, FEATURES.max(n), STRESS.releases)
    }

    fn sized(n: usize, max_features: usize, releases: usize) -> Plan {
        let release_q = (0..releases as u32).collect();
        let release_status = (0..releases)
            .map(|r| usize::from(r < releases / 10 + 1))
            .collect();
        let features = (0..n).map(|i| (i % releases, i % 3, None)).collect();
        Plan {
            max_features,
            release_q,
            release_status,
            features,
        }
    }

    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// One change of the kind a roadmap sees: a slip, a move, an addition,
    /// a status or health change. Returns the commit message.
    pub fn evolve(&mut self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=3 => {
                let r = rng.below(self.release_q.len());
                if rng.below(5) == 0 && self.release_q[r] > 0 {
                    self.release_q[r] -= 1;
                    format!("Pull in release r{r:02}")
                } else {
                    self.release_q[r] += 1;
                    format!("Slip release r{r:02} by a quarter")
                }
            }
            4..=6 => {
                let f = rng.below(self.features.len());
                let r = rng.below(self.release_q.len());
                self.features[f].0 = r;
                format!("Move feature f{f:04} to r{r:02}")
            }
            7..=8 if self.features.len() < self.max_features => {
                let r = rng.below(self.release_q.len());
                self.features.push((r, 0, None));
                format!("Add feature f{:04}", self.features.len() - 1)
            }
            _ => {
                let f = rng.below(self.features.len());
                self.features[f].1 = rng.below(STATUSES.len());
                self.features[f].2 = Some(rng.below(HEALTH.len()));
                format!("Update status of f{f:04}")
            }
        }
    }

    /// The roadmap as TOML, valid per FORMAT.md.
    pub fn render(&self) -> String {
        let mut s = String::with_capacity(self.features.len() * 1600);
        s.push_str("# Generated benchmark roadmap.\nschema = 1\n\n[roadmap]\nid = \"bench-product\"\ntitle = \"Bench Product\"\nowner = \"Product: Bench\"\nvision = \"Every device online, every day.\"\n\n");
        for m in 0..5 {
            let _ = write!(
                s,
                "[[metric]]\nid = \"m{m}\"\nname = \"Metric {m}\"\nunit = \"%\"\ncurrent = {}.0\ntarget = 99.0\n\n",
                50 + m * 5
            );
        }
        for t in 0..8 {
            let _ = write!(
                s,
                "[[theme]]\nid = \"t{t}\"\ntitle = \"Theme {t}\"\noutcome = \"Improve metric {} by {}%\"\nmetric = \"m{}\"\n\n",
                t % 5,
                10 + t,
                t % 5
            );
        }
        for (r, (&q, &st)) in self.release_q.iter().zip(&self.release_status).enumerate() {
            let _ = write!(
                s,
                "[[release]]\nid = \"r{r:02}\"\nname = \"Release {r}\"\ntarget = \"{}-Q{}\"\nstatus = \"{}\"\nconfidence = \"{}\"\nsummary = \"Release {r} of the bench product.\"\n\n",
                2027 + q / 4,
                1 + q % 4,
                STATUSES[st],
                ["high", "medium", "low"][r % 3]
            );
        }
        for (i, &(rel, st, health)) in self.features.iter().enumerate() {
            let internal = i % 5 == 4;
            let _ = write!(
                s,
                "[[feature]]\nid = \"f{i:04}\"\ntitle = \"Feature {i}: a capability customers ask for\"\nrelease = \"r{rel:02}\"\nthemes = [\"t{}\"]\nstatus = \"{}\"\n",
                i % 8,
                STATUSES[st]
            );
            if let Some(h) = health {
                let _ = writeln!(s, "health = \"{}\"", HEALTH[h]);
            }
            let _ = write!(
                s,
                "commitment = \"{}\"\nvisibility = \"{}\"\n",
                COMMITMENT[i % 3],
                if internal { "internal" } else { "public" }
            );
            if !internal {
                let _ = writeln!(
                    s,
                    "customer_value = \"Customers get capability {i} without extra setup.\""
                );
            }
            let _ = writeln!(
                s,
                "business_value = \"Supports the renewal of {} accounts.\"",
                i % 50 + 1
            );
            if i % 7 == 3 {
                let _ = writeln!(s, "depends_on = [\"f{:04}\"]", i - 3);
            }
            s.push_str("tags = [\"bench\"]\n");
            for (k, layer) in LAYERS.iter().enumerate() {
                let _ = write!(
                    s,
                    "\n  [[feature.work]]\n  id = \"f{i:04}-{layer}\"\n  layer = \"{layer}\"\n  title = \"Layer work {k} for feature {i}\"\n  status = \"{}\"\n  estimate = \"{}w\"\n",
                    STATUSES[st],
                    1 + (i + k) % 8
                );
                if k > 0 {
                    let _ = writeln!(s, "  depends_on = [\"f{i:04}-{}\"]", LAYERS[k - 1]);
                }
                if k == 2 {
                    s.push_str("  interface = \"Telemetry frames over MQTT\"\n");
                }
            }
            s.push('\n');
        }
        for d in 0..20 {
            let _ = write!(
                s,
                "[[decision]]\nid = \"d{d:02}\"\nlayer = \"{}\"\narea = \"{}\"\ntitle = \"Decision {d}\"\nstatus = \"decided\"\nchoice = \"Option {}\"\n\n",
                LAYERS[d % 5],
                AREAS[d % 6],
                d % 3
            );
        }
        s
    }
}

// ------------------------------------------------------------------ git

/// `git` with a sandboxed environment (no user or system config).
pub fn git(dir: &Path) -> Command {
    let home = std::env::temp_dir().join("roadlens-bench-home");
    let _ = std::fs::create_dir_all(&home);
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

pub fn have_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The generated repository and what the benchmarks need from it.
pub struct BenchRepo {
    pub dir: PathBuf,
    /// A repository of the user's (`ROADLENS_BENCH_REPO`), not generated.
    pub external: bool,
    /// The oldest and newest commits that changed the roadmap.
    pub first: String,
    pub last: String,
}

fn bench_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// The cached benchmark repository, generated on first use (a few seconds).
/// The roadmap file the benchmarks read and diff: `ROADLENS_BENCH_FILE` in
/// `ROADLENS_BENCH_REPO` when set, else the generated one.
pub fn roadmap_path() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| match external_repo() {
        Some((_, file)) => file,
        None => ROADMAP_PATH.to_string(),
    })
}

/// `ROADLENS_BENCH_REPO` and `ROADLENS_BENCH_FILE`: benchmark a repository of
/// your own (read only) instead of the generated one.
fn external_repo() -> Option<(PathBuf, String)> {
    let dir = std::env::var_os("ROADLENS_BENCH_REPO")?;
    let file = std::env::var("ROADLENS_BENCH_FILE").ok()?;
    Some((PathBuf::from(dir), file))
}

/// The stress repository (or `ROADLENS_BENCH_REPO`).
pub fn bench_repo() -> Result<BenchRepo, String> {
    bench_repo_of(&STRESS)
}

/// A generated repository of this shape (or `ROADLENS_BENCH_REPO`).
pub fn bench_repo_of(spec: &Spec) -> Result<BenchRepo, String> {
    if !have_git() {
        return Err("the git CLI is needed to generate the benchmark repository".into());
    }
    if std::env::var_os("ROADLENS_BENCH_REPO").is_some() {
        let Some((dir, file)) = external_repo() else {
            return Err(
                "ROADLENS_BENCH_REPO needs ROADLENS_BENCH_FILE (the roadmap's path in it)".into(),
            );
        };
        // The oldest and newest commits that changed the file.
        let revs = |args: &[&str]| {
            let mut all: Vec<&str> = vec!["rev-list"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["HEAD", "--", &file]);
            String::from_utf8_lossy(&run_git(&dir, &all))
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let (first, last) = (revs(&["--reverse"]), revs(&["-1"]));
        if first.is_empty() {
            return Err(format!("no commit of {} changes {file}", dir.display()));
        }
        return Ok(BenchRepo {
            dir,
            external: true,
            first,
            last,
        });
    }
    let root = bench_root();
    let dir = root.join(format!("{}-v{VERSION}", spec.name));
    let meta = dir.join("bench-meta.txt");
    if !meta.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let tmp = root.join(format!(
            "{}-v{VERSION}.tmp-{}",
            spec.name,
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
        let t = Instant::now();
        generate(&tmp, spec)?;
        std::fs::rename(&tmp, &dir).map_err(|e| e.to_string())?;
        eprintln!("generated {} in {:.1?}", dir.display(), t.elapsed());
    }
    let text = std::fs::read_to_string(&meta).map_err(|e| e.to_string())?;
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().to_string();
    let last = lines.next().unwrap_or_default().to_string();
    Ok(BenchRepo {
        dir,
        external: false,
        first,
        last,
    })
}

struct Importer {
    out: Vec<u8>,
    mark: usize,
    time: i64,
}

impl Importer {
    fn data(&mut self, bytes: &[u8]) {
        let _ = writeln!(self.out, "data {}", bytes.len());
        self.out.extend_from_slice(bytes);
        self.out.push(b'\n');
    }
    /// One commit; returns its mark.
    fn commit(
        &mut self,
        branch: &str,
        from: Option<usize>,
        merge: Option<usize>,
        msg: &str,
        files: &[(String, Vec<u8>)],
    ) -> usize {
        self.mark += 1;
        self.time += 1800;
        let _ = write!(
            self.out,
            "commit refs/heads/{branch}\nmark :{}\nauthor Bench Author <bench@example.com> {} +0000\ncommitter Bench Author <bench@example.com> {} +0000\n",
            self.mark, self.time, self.time
        );
        self.data(msg.as_bytes());
        if let Some(f) = from {
            let _ = writeln!(self.out, "from :{f}");
        }
        if let Some(m) = merge {
            let _ = writeln!(self.out, "merge :{m}");
        }
        for (path, content) in files {
            let _ = writeln!(self.out, "M 100644 inline {path}");
            self.data(content);
        }
        self.mark
    }
}

fn source_file(path: &str, rev: usize) -> Vec<u8> {
    let mut s = format!("// {path}: revision {rev}\n");
    for i in 0..12 {
        let _ = writeln!(s, "pub fn item_{i}() -> u32 {{ {} }}", i * 7 + rev % 5);
    }
    s.into_bytes()
}

/// Write the repository with `git fast-import`: a main line with topic
/// branches merged back (`--no-ff` style); the roadmap changes on main only.
fn generate(dir: &Path, spec: &Spec) -> Result<(), String> {
    let status = git(dir)
        .args(["init", "-q", "-b", "main"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("git init failed".into());
    }
    let (commits, roadmap_commits) = (spec.commits, spec.roadmap_commits);
    let mut rng = Rng::new(20_000);
    let mut plan = Plan::of(spec);
    // Modules of 20 files, in groups of 20 modules (a monorepo's tree).
    let sources: Vec<String> = (0..spec.sources)
        .map(|i| format!("src/g{:02}/m{:02}/f{:02}.rs", i / 400, i / 20 % 20, i % 20))
        .collect();
    let mut imp = Importer {
        out: Vec::with_capacity(64 << 20),
        mark: 0,
        time: 1_704_067_200,
    };
    // Which commit numbers change the roadmap.
    let mut roadmap_at = vec![false; commits];
    let mut chosen = 0;
    while chosen < roadmap_commits - 1 {
        let i = 1 + rng.below(commits - 50);
        if !roadmap_at[i] {
            roadmap_at[i] = true;
            chosen += 1;
        }
    }
    let mut files: Vec<(String, Vec<u8>)> = sources
        .iter()
        .map(|p| (p.clone(), source_file(p, 0)))
        .collect();
    files.push((
        "Cargo.toml".into(),
        b"[package]\nname = \"product\"\nversion = \"0.1.0\"\n".to_vec(),
    ));
    files.push(("README.md".into(), b"# Product\n".to_vec()));
    files.push((ROADMAP_PATH.into(), plan.render().into_bytes()));
    let mut main = imp.commit("main", None, None, "Initial import", &files);
    let first_mark = main;
    let mut last_mark = main;
    let mut marks_roadmap = vec![main];
    let mut n = 1usize;
    let mut pending_roadmap = false;
    let mut rev = 1usize;
    let change = |rng: &mut Rng, rev: &mut usize| -> Vec<(String, Vec<u8>)> {
        (0..1 + rng.below(3))
            .map(|_| {
                *rev += 1;
                let p = &sources[rng.below(sources.len())];
                (p.clone(), source_file(p, *rev))
            })
            .collect()
    };
    while n < commits {
        pending_roadmap |= roadmap_at[n];
        if rng.below(20) == 0 && n + 8 < commits {
            // A topic branch of 1–4 commits, main moving on meanwhile, merged.
            let base = main;
            let mut topic = base;
            let len = 1 + rng.below(4);
            for k in 0..len {
                let files = change(&mut rng, &mut rev);
                topic = imp.commit(
                    "topic",
                    Some(topic),
                    None,
                    &format!("Topic work {k}"),
                    &files,
                );
                n += 1;
                pending_roadmap |= roadmap_at[n];
                if rng.below(3) == 0 {
                    let files = change(&mut rng, &mut rev);
                    main = imp.commit("main", Some(main), None, "Fix on main", &files);
                    n += 1;
                    pending_roadmap |= roadmap_at[n];
                }
            }
            // The merge brings the topic's files (they never touch the roadmap).
            let files = change(&mut rng, &mut rev);
            main = imp.commit("main", Some(main), Some(topic), "Merge topic", &files);
            n += 1;
            continue;
        }
        let files = if pending_roadmap {
            pending_roadmap = false;
            let msg = plan.evolve(&mut rng);
            main = imp.commit(
                "main",
                Some(main),
                None,
                &msg,
                &[(ROADMAP_PATH.into(), plan.render().into_bytes())],
            );
            last_mark = main;
            marks_roadmap.push(main);
            n += 1;
            continue;
        } else {
            change(&mut rng, &mut rev)
        };
        main = imp.commit("main", Some(main), None, "Work on the product", &files);
        n += 1;
    }
    let marks_file = dir.join("marks.txt");
    let mut child = git(dir)
        .args(["fast-import", "--quiet"])
        .arg(format!("--export-marks={}", marks_file.display()))
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    {
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        stdin.write_all(&imp.out).map_err(|e| e.to_string())?;
    }
    let st = child.wait().map_err(|e| e.to_string())?;
    if !st.success() {
        return Err("git fast-import failed".into());
    }
    let _ = git(dir).args(["branch", "-D", "-q", "topic"]).status();
    // The working tree as at HEAD (the index too), like a real clone.
    let _ = git(dir).args(["reset", "-q", "--hard"]).status();
    let marks = std::fs::read_to_string(&marks_file).map_err(|e| e.to_string())?;
    let sha = |m: usize| -> String {
        marks
            .lines()
            .find_map(|l| l.strip_prefix(&format!(":{m} ")).map(str::to_string))
            .unwrap_or_default()
    };
    let _ = std::fs::remove_file(&marks_file);
    std::fs::write(
        dir.join("bench-meta.txt"),
        format!(
            "{}\n{}\n{} roadmap commits\n",
            sha(first_mark),
            sha(last_mark),
            marks_roadmap.len()
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

// ------------------------------------------------------------------ timing

/// Median wall time of `f` over `rounds` runs.
pub fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..rounds.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

/// Medians of `a` and `b` measured interleaved (same machine load for both).
pub fn paired(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    let mut ta = Vec::new();
    let mut tb = Vec::new();
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        a();
        ta.push(t.elapsed());
        let t = Instant::now();
        b();
        tb.push(t.elapsed());
    }
    ta.sort();
    tb.sort();
    (ta[ta.len() / 2], tb[tb.len() / 2])
}

/// Run a git command to completion, collecting its output (as a caller would).
pub fn run_git(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = git(dir).args(args).output().expect("run git");
    assert!(out.status.success(), "git {args:?} failed");
    out.stdout
}

// ------------------------------------------------------- measured operations

/// "Today" for the benchmarks' horizons.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2027, 5, 10)
}

/// (a) ours: the full history listing.
pub fn history(dir: &Path) {
    let repo = roadlens::repo::Repo::discover(dir).expect("open");
    let mut n = 0usize;
    for e in repo.history().expect("history") {
        std::hint::black_box(e.expect("entry"));
        n += 1;
    }
    std::hint::black_box(n);
}

/// (a) baseline: `git log --format=%H -- <file>` (without a commit-graph,
/// which libgit2 cannot read either).
pub fn git_log(dir: &Path) {
    std::hint::black_box(run_git(
        dir,
        &[
            "-c",
            "core.commitGraph=false",
            "log",
            "--format=%H",
            "--",
            roadmap_path(),
        ],
    ));
}

/// (b) ours: the semantic diff of two revisions, reading and parsing both sides.
pub fn semantic_diff(dir: &Path, first: &str, last: &str) {
    use roadlens::repo::{Repo, Rev};
    let repo = Repo::discover(dir).expect("open");
    let old = repo
        .read(&Rev::Commit(first.into()), roadmap_path())
        .expect("read");
    let new = repo
        .read(&Rev::Commit(last.into()), roadmap_path())
        .expect("read");
    std::hint::black_box(roadlens::diff::diff_sources(
        roadmap_path(),
        old.as_deref(),
        new.as_deref(),
        today(),
    ));
}

/// (b) baseline: `git diff A B -- <file>`.
pub fn git_diff(dir: &Path, first: &str, last: &str) {
    std::hint::black_box(run_git(dir, &["diff", first, last, "--", roadmap_path()]));
}
