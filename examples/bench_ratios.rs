//! The three benchmark ratios measured in one run, with where the time goes.
//!
//! `cargo run --release --example bench_ratios [-- ROUNDS]`
//!
//! (a) `Repo::history()` collected vs `git log --format=%H -- <file>`;
//! (b) the semantic diff of the first vs the last roadmap revision (reading
//!     and parsing both sides) vs `git diff A B -- <file>`;
//! (c) `model::load_str` (parse + validate) vs `toml::from_str::<toml::Table>`,
//!     with the toml crate's lexer and event parser alone, and its spanned
//!     document, timed beside it;
//! (d) the schedule, every release's critical path and slack, and the
//!     schedule conflicts (`plan::schedule` + `plan::conflicts`) vs
//!     `model::load_str` of the same roadmap.
//! Targets: (a) ≤ 2×, (b) ≤ 1×, (c) ≤ 2×, (d) ≤ 1× (inside the load budget).

#[path = "../benches/support/mod.rs"]
mod support;

use roadlens::repo::{Repo, Rev};
use std::time::{Duration, Instant};
use support::{paired, roadmap_path, run_git};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    let rounds: usize = arg.parse().unwrap_or(9);
    let br = match support::bench_repo() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench_ratios: {e}");
            return;
        }
    };
    let dir = br.dir.clone();
    let today = support::today();

    // Loops for a profiler (`perf record -g`): where the time goes.
    if arg == "profile-history" {
        for _ in 0..20 {
            let repo = Repo::discover(&dir).expect("open");
            let n = repo.history().expect("history").count();
            std::hint::black_box(n);
        }
        return;
    }
    if arg == "profile-load" {
        let repo = Repo::discover(&dir).expect("open");
        let last = Rev::Commit(br.last.clone());
        let text = repo
            .read(&last, roadmap_path())
            .expect("read")
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&text).into_owned();
        for _ in 0..20 {
            std::hint::black_box(roadlens::model::load_str(roadmap_path(), &text, today));
        }
        return;
    }

    // ---------------------------------------------------------------- (a)
    let history = || support::history(&dir);
    let git_log = || support::git_log(&dir);
    history();
    git_log();
    let (ours_a, git_a) = paired(rounds, history, git_log);

    // Where the time goes in (a).
    let t = Instant::now();
    let repo = Repo::discover(&dir).expect("open");
    let t_open = t.elapsed();
    let t = Instant::now();
    let mut walk = repo.history().expect("history");
    let t_setup = t.elapsed();
    let t = Instant::now();
    let first = walk.next();
    let t_first = t.elapsed();
    let mut entries = usize::from(first.is_some());
    for e in walk.by_ref() {
        e.expect("entry");
        entries += 1;
    }
    let t_walk = t.elapsed();
    let scanned = walk.scanned();
    let ours_list: Vec<String> = Repo::discover(&dir)
        .expect("open")
        .history()
        .expect("history")
        .filter_map(|e| e.ok()?.rev.commit().map(str::to_string))
        .collect();
    let total_commits = String::from_utf8_lossy(&run_git(&dir, &["rev-list", "--count", "HEAD"]))
        .trim()
        .to_string();
    let git_list: Vec<String> = String::from_utf8_lossy(&run_git(
        &dir,
        &[
            "-c",
            "core.commitGraph=false",
            "log",
            "--format=%H",
            "--",
            roadmap_path(),
        ],
    ))
    .lines()
    .map(str::to_string)
    .collect();
    let git_count = git_list.len();
    let same = if ours_list == git_list {
        "identical to"
    } else {
        "DIFFERENT from"
    };

    // git with a commit-graph and Bloom filters (in a --shared clone, so the
    // baseline repository stays as generated).
    let graph_dir = dir.with_extension("graph");
    if !br.external && !graph_dir.join("bench-graph-done").exists() {
        let _ = std::fs::remove_dir_all(&graph_dir);
        run_git(
            dir.parent().expect("parent"),
            &[
                "clone",
                "-q",
                "--shared",
                "--no-checkout",
                &dir.to_string_lossy(),
                &graph_dir.to_string_lossy(),
            ],
        );
        run_git(
            &graph_dir,
            &["commit-graph", "write", "--reachable", "--changed-paths"],
        );
        let _ = std::fs::write(graph_dir.join("bench-graph-done"), "");
    }
    // (Not for a repository of the user's: nothing is written next to it.)
    let git_graph = (!br.external).then(|| {
        support::median(rounds, || {
            std::hint::black_box(run_git(
                &graph_dir,
                &["log", "--format=%H", "origin/main", "--", roadmap_path()],
            ));
        })
    });
    let git_spawn = support::median(rounds, || {
        std::hint::black_box(run_git(&dir, &["rev-parse", "HEAD"]));
    });

    // ---------------------------------------------------------------- (b)
    let first_rev = Rev::Commit(br.first.clone());
    let last_rev = Rev::Commit(br.last.clone());
    let semantic = || support::semantic_diff(&dir, &br.first, &br.last);
    let git_diff = || support::git_diff(&dir, &br.first, &br.last);
    semantic();
    let (ours_b, git_b) = paired(rounds, semantic, git_diff);
    // Breakdown of (b): medians of each phase.
    // A fresh handle per read, as the measured operation opens one (a handle
    // keeps the last blobs it inflated).
    let read = || {
        let repo = Repo::discover(&dir).expect("open");
        let side = |rev: &Rev| {
            repo.read(rev, roadmap_path())
                .expect("read")
                .unwrap_or_default()
        };
        (side(&first_rev), side(&last_rev))
    };
    let t_read = support::median(rounds, || {
        std::hint::black_box(read());
    });
    let (old, new) = read();
    let load = || roadlens::diff::load_sides(roadmap_path(), Some(&old), Some(&new), today);
    let t_load = support::median(rounds, || {
        std::hint::black_box(load());
    });
    let (lo, ln) = load();
    let (lo, ln) = (lo.expect("old side"), ln.expect("new side"));
    let t_compare = support::median(rounds, || {
        std::hint::black_box(roadlens::diff::diff_loaded(
            roadmap_path(),
            Some(&lo),
            Some(&ln),
            ("old", "new"),
            None,
        ));
    });
    for l in [&lo, &ln] {
        if l.has_errors() {
            eprintln!(
                "warning: the generated roadmap has errors:\n{}",
                l.render_diagnostics(false)
            );
        }
    }

    // ---------------------------------------------------------------- (c)
    let text = String::from_utf8_lossy(&new).into_owned();
    let (ours_c, toml_c) = paired(
        rounds,
        || {
            std::hint::black_box(roadlens::model::load_str(roadmap_path(), &text, today));
        },
        || {
            std::hint::black_box(toml::from_str::<toml::Table>(&text).expect("toml"));
        },
    );

    // ---------------------------------------------------------------- (d)
    let loaded = roadlens::model::load_str(roadmap_path(), &text, today);
    let plan_d = loaded.roadmap.as_ref().map(|r| {
        let t = Instant::now();
        let s = roadlens::plan::schedule(r);
        let t_schedule = t.elapsed();
        let t = Instant::now();
        std::hint::black_box(roadlens::plan::conflicts(r, &s));
        let t_conflicts = t.elapsed();
        let (ours, load) = paired(
            rounds,
            || {
                let s = roadlens::plan::schedule(r);
                std::hint::black_box(roadlens::plan::conflicts(r, &s));
            },
            || {
                std::hint::black_box(roadlens::model::load_str(roadmap_path(), &text, today));
            },
        );
        (ours, load, t_schedule, t_conflicts)
    });
    // Where (c)'s parse goes: the toml crate's lexer and event parser alone
    // (what a document built from `toml_parser`'s events could not go
    // below), and its whole spanned document.
    let t_events = support::median(rounds, || {
        let source = toml_parser::Source::new(&text);
        let tokens = source.lex().into_vec();
        toml_parser::parser::parse_document(&tokens, &mut (), &mut ());
        std::hint::black_box(tokens);
    });
    let t_detable = support::median(rounds, || {
        std::hint::black_box(toml::de::DeTable::parse(&text).expect("toml"));
    });

    println!("bench_ratios: {rounds} rounds, medians, one run");
    println!(
        "repository: {total_commits} commits, {git_count} change {} ({} KiB, {} features)",
        roadmap_path(),
        new.len() / 1024,
        text.matches("[[feature]]").count()
    );
    println!(
        "(a) history    {:>9} vs git log {:>9}  ratio {:.2}  (target <= 2)",
        ms(ours_a),
        ms(git_a),
        ratio(ours_a, git_a)
    );
    println!(
        "    breakdown: open {}, HEAD roadmap scan {}, first entry {}, whole walk {}; {scanned} commits examined, {entries} shown, {same} git log's list",
        ms(t_open),
        ms(t_setup),
        ms(t_first),
        ms(t_walk)
    );
    if let Some(git_graph) = git_graph {
        println!(
            "    git log with commit-graph + Bloom filters {} (ratio {:.2}); bare git process spawn {}",
            ms(git_graph),
            ratio(ours_a, git_graph),
            ms(git_spawn)
        );
    }
    println!(
        "(b) diff       {:>9} vs git diff {:>8}  ratio {:.2}  (target <= 1)",
        ms(ours_b),
        ms(git_b),
        ratio(ours_b, git_b)
    );
    println!(
        "    breakdown: read both blobs {}, load both {}, compare {}",
        ms(t_read),
        ms(t_load),
        ms(t_compare)
    );
    println!(
        "(c) load       {:>9} vs toml parse {:>7}  ratio {:.2}  (target <= 2)",
        ms(ours_c),
        ms(toml_c),
        ratio(ours_c, toml_c)
    );
    if let Some((ours, load, t_schedule, t_conflicts)) = plan_d {
        println!(
            "(d) plan       {:>9} vs load_str {:>9}  ratio {:.2}  (target <= 1)",
            ms(ours),
            ms(load),
            ratio(ours, load)
        );
        println!(
            "    breakdown (one run): schedule + critical paths + slack {}, conflicts {}",
            ms(t_schedule),
            ms(t_conflicts)
        );
    }
    println!(
        "    breakdown: toml_parser lex + events alone {}, toml's spanned document (DeTable::parse) {}",
        ms(t_events),
        ms(t_detable)
    );
}
