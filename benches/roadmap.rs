//! Criterion benchmarks against the baselines named in the history issue,
//! on a generated repository (20,000 commits, ~300 roadmap changes, a
//! roadmap of 1000 features × 5 work items; see `support/mod.rs`):
//!
//! - `history`: `Repo::history()` collected vs `git log --format=%H -- <file>`
//! - `diff`: semantic diff of the first vs the last roadmap revision
//!   (reading and parsing both sides) vs `git diff A B -- <file>`
//! - `load`: `model::load_str` vs `toml::from_str::<toml::Table>`
//! - `plan`: the schedule with every release's critical path and slack,
//!   plus the schedule conflicts `check` reports (`plan::schedule`,
//!   `plan::conflicts`) vs `model::load_str` of the same roadmap
//!
//! After the groups, the ratios are printed from one interleaved
//! measurement (targets: history ≤ 2×, diff ≤ 1×, load ≤ 2×, plan ≤ 1×:
//! planning fits in the load + validate budget). For a
//! breakdown of where the time goes: `cargo run --release --example bench_ratios`.

mod support;

use criterion::{Criterion, criterion_group};
use roadlens::repo::{Repo, Rev};
use std::hint::black_box;
use std::time::Duration;
use support::{git_diff, git_log, history, roadmap_path, semantic_diff, today};

fn benches(c: &mut Criterion) {
    let br = match support::bench_repo() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("skipping the benchmarks: {e}");
            return;
        }
    };
    let dir = br.dir.as_path();
    let last = Rev::Commit(br.last.clone());
    let mut g = c.benchmark_group("history");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("roadlens", |b| b.iter(|| history(dir)));
    g.bench_function("git_log", |b| b.iter(|| git_log(dir)));
    g.finish();

    let mut g = c.benchmark_group("diff");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("roadlens", |b| {
        b.iter(|| semantic_diff(dir, &br.first, &br.last))
    });
    g.bench_function("git_diff", |b| {
        b.iter(|| git_diff(dir, &br.first, &br.last))
    });
    g.finish();

    let repo = Repo::discover(dir).expect("open");
    let bytes = repo
        .read(&last, roadmap_path())
        .expect("read")
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut g = c.benchmark_group("load");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("load_str", |b| {
        b.iter(|| black_box(roadlens::model::load_str(roadmap_path(), &text, today())))
    });
    g.bench_function("toml_table", |b| {
        b.iter(|| black_box(toml::from_str::<toml::Table>(&text).expect("toml")))
    });
    g.finish();

    let loaded = roadlens::model::load_str(roadmap_path(), &text, today());
    let Some(r) = loaded.roadmap else {
        eprintln!(
            "the bench roadmap does not load:\n{}",
            loaded.render_diagnostics(false)
        );
        return;
    };
    let plan = || {
        let s = roadlens::plan::schedule(&r);
        black_box(roadlens::plan::conflicts(&r, &s));
        black_box(s);
    };
    let mut g = c.benchmark_group("plan");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("schedule_critical_paths_conflicts", |b| b.iter(plan));
    g.bench_function("load_str", |b| {
        b.iter(|| black_box(roadlens::model::load_str(roadmap_path(), &text, today())))
    });
    g.finish();

    // The ratios, measured interleaved in this run.
    let rounds = 7;
    let (a, b) = support::paired(rounds, || history(dir), || git_log(dir));
    let (c1, d) = support::paired(
        rounds,
        || semantic_diff(dir, &br.first, &br.last),
        || git_diff(dir, &br.first, &br.last),
    );
    let (e, f) = support::paired(
        rounds,
        || {
            black_box(roadlens::model::load_str(roadmap_path(), &text, today()));
        },
        || {
            black_box(toml::from_str::<toml::Table>(&text).expect("toml"));
        },
    );
    let (p, l) = support::paired(rounds, plan, || {
        black_box(roadlens::model::load_str(roadmap_path(), &text, today()));
    });
    let r = |x: Duration, y: Duration| x.as_secs_f64() / y.as_secs_f64().max(1e-9);
    eprintln!("\nratios (medians of {rounds} interleaved runs):");
    eprintln!(
        "  history  {:.2}  (roadlens {:?} / git log {:?}; target <= 2)",
        r(a, b),
        a,
        b
    );
    eprintln!(
        "  diff     {:.2}  (roadlens {:?} / git diff {:?}; target <= 1)",
        r(c1, d),
        c1,
        d
    );
    eprintln!(
        "  load     {:.2}  (load_str {:?} / toml parse {:?}; target <= 2)",
        r(e, f),
        e,
        f
    );
    eprintln!(
        "  plan     {:.2}  (schedule + critical paths + conflicts {:?} / load_str {:?}; target <= 1)",
        r(p, l),
        p,
        l
    );
}

criterion_group!(roadmap, benches);

fn main() {
    roadmap();
    Criterion::default().configure_from_args().final_summary();
}
