//! What users run, timed as whole processes against `git` in one run:
//! the ratios of issue 9's targets on three generated repositories (see
//! `benches/support`): a product repository (a ~40 KB roadmap, 1,000
//! commits), a monorepo (the same size of roadmap, 100,000 commits) and the
//! 1.2 MB / 20,000-commit stress case.
//!
//! `cargo build --release && cargo run --release --example bench_process [-- ROUNDS [product|monorepo|stress]...]`
//!
//! Each pair runs A B A B …; a figure is the median wall time, and peak
//! memory the largest resident set of any run (from `wait4`). Generating
//! the repositories the first time takes a few minutes (the monorepo most).

#![allow(unsafe_code)] // wait4(2): a child's peak memory; see `run`.

#[path = "../benches/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{BenchRepo, MONOREPO, PRODUCT, STRESS, Spec};

/// The `roadlens` binary beside this example's directory
/// (`target/release/roadlens`): build it first (`cargo build --release`).
fn roadlens_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("current exe");
        let bin = exe
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("roadlens"))
            .expect("target dir");
        assert!(
            bin.exists(),
            "{} not found: run `cargo build --release` first",
            bin.display()
        );
        bin
    })
    .clone()
}

/// One finished run: wall time and peak resident set (KiB).
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    rss_kib: i64,
}

/// (The child is reaped by `wait4`, not `Child::wait`.)
#[allow(clippy::zombie_processes)]
/// Run `cmd` to the end with its output thrown away (read, as a pager would),
/// timing it and reading its peak memory from the kernel.
fn run(cmd: &mut Command) -> Run {
    let t = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own
    // child, not yet reaped (std's `Child` is not waited on after this).
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4");
    let _ = reader.join();
    Run {
        wall: t.elapsed(),
        rss_kib: ru.ru_maxrss,
    }
}

fn roadlens(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(roadlens_bin());
    c.current_dir(dir)
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .args(args);
    c
}

fn git(dir: &Path, args: &[&str]) -> Command {
    let mut c = support::git(dir);
    // libgit2 reads no commit-graph: neither does the baseline.
    c.args(["-c", "core.commitGraph=false"]).args(args);
    c
}

/// Medians of A and B run in turn, and each side's peak memory.
fn paired(
    rounds: usize,
    mut a: impl FnMut() -> Command,
    mut b: impl FnMut() -> Command,
) -> (Run, Run) {
    run(&mut a()); // warm the page cache
    run(&mut b());
    let (mut ta, mut tb) = (vec![], vec![]);
    for _ in 0..rounds.max(1) {
        ta.push(run(&mut a()));
        tb.push(run(&mut b()));
    }
    (summary(ta), summary(tb))
}

fn summary(mut runs: Vec<Run>) -> Run {
    let rss_kib = runs.iter().map(|r| r.rss_kib).max().unwrap_or(0);
    runs.sort_by_key(|r| r.wall);
    Run {
        wall: runs[runs.len() / 2].wall,
        rss_kib,
    }
}

fn single(rounds: usize, mut a: impl FnMut() -> Command) -> Run {
    run(&mut a());
    summary((0..rounds.max(1)).map(|_| run(&mut a())).collect())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(kib: i64) -> String {
    format!("{:.0} MB", kib as f64 / 1024.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// A line of the report: what, ours, baseline, ratio, target.
fn line(what: &str, ours: &str, base: &str, ratio: Option<f64>, target: &str, ok: Option<bool>) {
    let r = ratio
        .map(|r| format!("{r:.2}"))
        .unwrap_or_else(|| "-".into());
    let ok = match ok {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "",
    };
    println!("| {what} | {ours} | {base} | {r} | {target} {ok} |");
}

fn repo(spec: &Spec) -> Option<BenchRepo> {
    let t = Instant::now();
    match support::bench_repo_of(spec) {
        Ok(b) => {
            if t.elapsed() > Duration::from_secs(2) {
                eprintln!("generated {} in {:.0?}", spec.name, t.elapsed());
            }
            Some(b)
        }
        Err(e) => {
            eprintln!("bench_process: {e}");
            None
        }
    }
}

/// `roadlens` commands on a product repository: each under 50 ms, and `diff
/// A B` within 1.5× `git diff A B`.
fn product(rounds: usize, b: &BenchRepo) {
    let dir = b.dir.clone();
    let file = support::roadmap_path();
    let (first, last) = (b.first.as_str(), b.last.as_str());
    let (ours, base) = paired(
        rounds,
        || roadlens(&dir, &["diff", first, last]),
        || git(&dir, &["diff", first, last]),
    );
    line(
        "product: `diff A B` (first vs last roadmap commit)",
        &ms(ours.wall),
        &format!("`git diff A B` {}", ms(base.wall)),
        Some(ratio(ours.wall, base.wall)),
        "≤ 1.5",
        Some(ratio(ours.wall, base.wall) <= 1.5),
    );
    let (ours, base) = paired(
        rounds,
        || roadlens(&dir, &["diff", first, last, "--", file]),
        || git(&dir, &["diff", first, last, "--", file]),
    );
    line(
        "product: `diff A B -- <file>`",
        &ms(ours.wall),
        &format!("`git diff A B -- <file>` {}", ms(base.wall)),
        Some(ratio(ours.wall, base.wall)),
        "≤ 1.5",
        Some(ratio(ours.wall, base.wall) <= 1.5),
    );
    let cmds: &[&[&str]] = &[
        &["check"],
        &["show"],
        &["show", "--lens", "sales"],
        &["show", "--lens", "engineering"],
        &["show", "--format", "json"],
        &["diff"],
        &["diff", "--lens", "sales"],
        &["diff", "HEAD~20"],
        &["log", "-n", "10"],
    ];
    for args in cmds {
        let r = single(rounds, || roadlens(&dir, args));
        line(
            &format!("product: `roadlens {}`", args.join(" ")),
            &ms(r.wall),
            "",
            None,
            "< 50 ms",
            Some(r.wall < Duration::from_millis(50)),
        );
    }
    let (ours, base) = paired(
        rounds,
        || roadlens(&dir, &["log"]),
        || git(&dir, &["log", "-p", "--", file]),
    );
    line(
        "product: `log` (every roadmap commit)",
        &format!("{}, {}", ms(ours.wall), mb(ours.rss_kib)),
        &format!(
            "`git log -p -- <file>` {}, {}",
            ms(base.wall),
            mb(base.rss_kib)
        ),
        Some(ratio(ours.wall, base.wall)),
        "",
        None,
    );
}

/// The monorepo: `log` within 2× `git log -p -- <file>` and 1.5× its
/// memory; the history list within 2× `git log --format=%H -- <file>`; the
/// first entry under 100 ms.
fn monorepo(rounds: usize, b: &BenchRepo) {
    let dir = b.dir.clone();
    let file = support::roadmap_path();
    let (ours, base) = paired(
        rounds,
        || roadlens(&dir, &["log"]),
        || git(&dir, &["log", "-p", "--", file]),
    );
    let r = ratio(ours.wall, base.wall);
    line(
        "monorepo: `log`",
        &ms(ours.wall),
        &format!("`git log -p -- <file>` {}", ms(base.wall)),
        Some(r),
        "≤ 2",
        Some(r <= 2.0),
    );
    let m = ours.rss_kib as f64 / base.rss_kib.max(1) as f64;
    line(
        "monorepo: `log`, peak memory",
        &mb(ours.rss_kib),
        &format!("`git log -p -- <file>` {}", mb(base.rss_kib)),
        Some(m),
        "≤ 1.5",
        Some(m <= 1.5),
    );
    // The TUI's history list is `Repo::history()` collected: timed in a
    // child process of ours (the same code the TUI runs, without process
    // start-up), so this process stays small (see `main`).
    let mut ours_l = vec![];
    let mut base_l = vec![];
    let mut first = vec![];
    for _ in 0..rounds.max(1) {
        let out = Command::new(std::env::current_exe().expect("exe"))
            .arg("walk")
            .arg(&dir)
            .output()
            .expect("walk");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut nums = text
            .split_whitespace()
            .map(|n| n.parse::<f64>().unwrap_or(0.0));
        let (all, one) = (nums.next().unwrap_or(0.0), nums.next().unwrap_or(0.0));
        ours_l.push(Duration::from_secs_f64(all));
        first.push(Duration::from_secs_f64(one));
        base_l.push(run(&mut git(&dir, &["log", "--format=%H", "--", file])).wall);
    }
    for v in [&mut ours_l, &mut base_l, &mut first] {
        v.sort();
    }
    let (o, g, f) = (
        ours_l[ours_l.len() / 2],
        base_l[base_l.len() / 2],
        first[first.len() / 2],
    );
    line(
        "monorepo: the TUI's history list (every roadmap commit)",
        &ms(o),
        &format!("`git log --format=%H -- <file>` {}", ms(g)),
        Some(ratio(o, g)),
        "≤ 2",
        Some(ratio(o, g) <= 2.0),
    );
    line(
        "monorepo: first history entry",
        &ms(f),
        "",
        None,
        "< 100 ms",
        Some(f < Duration::from_millis(100)),
    );
}

/// The stress case: `diff` within 2× `git diff` as processes, `check` of a
/// valid 4 MiB roadmap under 1 s, `log --entity` memory within 2× `log`.
fn stress(rounds: usize, b: &BenchRepo) {
    let dir = b.dir.clone();
    let file = support::roadmap_path();
    let (first, last) = (b.first.as_str(), b.last.as_str());
    let (ours, base) = paired(
        rounds,
        || roadlens(&dir, &["diff", first, last, "--", file]),
        || git(&dir, &["diff", first, last, "--", file]),
    );
    let r = ratio(ours.wall, base.wall);
    line(
        "stress: `diff A B -- <file>` (1.2 MB roadmap)",
        &ms(ours.wall),
        &format!("`git diff A B -- <file>` {}", ms(base.wall)),
        Some(r),
        "≤ 2",
        Some(r <= 2.0),
    );
    // A valid roadmap just under 4 MiB.
    let big = big_roadmap();
    let r = single(rounds, || {
        roadlens(big.parent().expect("dir"), &["check", "big.toml"])
    });
    line(
        "stress: `check` of a valid 4 MiB roadmap",
        &format!("{}, {}", ms(r.wall), mb(r.rss_kib)),
        "",
        None,
        "< 1 s",
        Some(r.wall < Duration::from_secs(1)),
    );
    let rounds_log = rounds.min(3);
    let (ent, plain) = paired(
        rounds_log,
        || roadlens(&dir, &["log", "--entity", "r01"]),
        || roadlens(&dir, &["log"]),
    );
    let m = ent.rss_kib as f64 / plain.rss_kib.max(1) as f64;
    line(
        "stress: `log --entity r01`, peak memory",
        &format!("{} ({})", mb(ent.rss_kib), ms(ent.wall)),
        &format!("plain `log` {} ({})", mb(plain.rss_kib), ms(plain.wall)),
        Some(m),
        "≤ 2",
        Some(m <= 2.0),
    );
}

/// A valid roadmap of just under 4 MiB, written once.
fn big_roadmap() -> PathBuf {
    let dir = std::env::temp_dir().join("roadlens-bench-big");
    let path = dir.join("big.toml");
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut n = 1000;
        let mut text = support::Plan::with_features(n).render();
        // 1.2 KB per feature: grow to just under the 4 MiB limit.
        while text.len() < 3_900_000 {
            n += 200;
            text = support::Plan::with_features(n).render();
        }
        std::fs::write(&path, text).expect("write");
    }
    path
}

/// `walk DIR`: the history list as the TUI builds it, in this process:
/// prints the seconds for every entry and for the first one.
fn walk(dir: &Path) {
    let time = |n: Option<usize>| {
        let t = Instant::now();
        let repo = roadlens::repo::Repo::discover(dir).expect("open");
        for (i, e) in repo.history().expect("history").enumerate() {
            std::hint::black_box(e.expect("entry"));
            if n.is_some_and(|n| i + 1 >= n) {
                break;
            }
        }
        t.elapsed()
    };
    time(None); // warm
    let all = time(None);
    let one = time(Some(1));
    println!("{} {}", all.as_secs_f64(), one.as_secs_f64());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Linux keeps a process's peak memory across fork and exec: a child
    // starts with its parent's. So whatever grows (generating data, walking
    // history in process) runs in a child of ours, and this process, the
    // parent of every measured command, stays small.
    match args.first().map(String::as_str) {
        Some("walk") => {
            walk(Path::new(&args[1]));
            return;
        }
        Some("generate") => {
            for spec in [&PRODUCT, &MONOREPO, &STRESS] {
                if args.iter().any(|a| a == spec.name) {
                    repo(spec);
                }
            }
            big_roadmap();
            return;
        }
        _ => {}
    }
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(7);
    let which: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err())
        .map(String::as_str)
        .collect();
    let want = |name: &str| which.is_empty() || which.contains(&name);
    let names: Vec<&str> = ["product", "monorepo", "history"]
        .into_iter()
        .filter(|n| want(if *n == "history" { "stress" } else { n }))
        .collect();
    let st = Command::new(std::env::current_exe().expect("exe"))
        .arg("generate")
        .args(&names)
        .status()
        .expect("generate");
    assert!(st.success(), "generating the repositories failed");
    println!("| measure | roadlens | baseline (same run) | ratio | target |");
    println!("|---|---|---|---|---|");
    if want("product")
        && let Some(b) = repo(&PRODUCT)
    {
        product(rounds, &b);
    }
    if want("monorepo")
        && let Some(b) = repo(&MONOREPO)
    {
        monorepo(rounds, &b);
    }
    if want("stress")
        && let Some(b) = repo(&STRESS)
    {
        stress(rounds, &b);
    }
}
