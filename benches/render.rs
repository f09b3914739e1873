//! TUI benchmarks on ratatui's TestBackend with the generated roadmap of
//! `support` (1000 features × 5 work items, 40 releases, 5 layers):
//! - a frame of each tab at 200x60 (target < 5 ms); the History tab on the
//!   cached 20,000-commit benchmark repository when git is available,
//! - one search keystroke ranking every item of the Executive lens
//!   (target < 10 ms),
//! - time to first frame: load, project, draw (target < 150 ms; history
//!   loads after it),
//! - the timeline: its projection against a baseline (the same roadmap
//!   after 60 changes), from scratch and as the TUI does it when the shown
//!   roadmap changes (the baseline's rows kept), a time-lapse step as the
//!   UI thread has it (the worker projected the rows; compare and draw),
//!   and a frame of the Executive and Engineering timelines with that
//!   baseline at 200x60 (target < 5 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use roadlens::lens::Lens;
use roadlens::lens::timeline::{By, TimelineView, project, timeline};
use roadlens::repo::Rev;
use roadlens::tui::{App, BaseLoaded, Lapsed, Msg};
use std::hint::black_box;
use std::path::Path;

mod support;

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// The app on `root` at 200x60 (history loaded), showing tab `tab`'s
/// timeline against `base` as its baseline.
fn timeline_app(root: &Path, tab: char, base: &roadlens::model::Roadmap) -> App {
    let mut app = App::new_for_test(root, date(2027, 5, 10), 200, 60);
    app.settle();
    key(&mut app, KeyCode::Char(tab));
    key(&mut app, KeyCode::Char('v'));
    app.handle_msg(Msg::Baseline(Ok(BaseLoaded {
        rev: Rev::Commit("0".repeat(40)),
        name: "base".into(),
        date: None,
        id: "bench-product".into(),
        roadmap: Some(base.clone()),
    })));
    app
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = support::Plan::with_features(support::FEATURES).render();
    std::fs::write(dir.path().join("big.toml"), text).expect("write");
    let today = date(2027, 5, 10);
    let (w, h) = (200, 60);
    let root: &Path = dir.path();

    {
        let probe = App::new_for_test(root, today, w, h);
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| probe.draw(f)).expect("draw");
        let screen = format!("{}", t.backend());
        assert!(
            screen.contains("TIMELINE"),
            "the roadmap must load:\n{screen}"
        );
    }

    let mut g = c.benchmark_group("render_200x60");
    // The History tab on the big repository (its roadmap, its 20k commits).
    let big = support::bench_repo().ok();
    let tabs = [
        ('1', "exec", root),
        ('2', "sales", root),
        ('3', "engineering", root),
        ('4', "layers", root),
        (
            '5',
            "history",
            big.as_ref().map_or(root, |b| b.dir.as_path()),
        ),
    ];
    for (k, name, root) in tabs {
        let mut app = App::new_for_test(root, today, w, h);
        app.settle(); // the whole history, inline
        key(&mut app, KeyCode::Char(k));
        // Somewhere in the middle, not just the top.
        for _ in 0..200 {
            key(&mut app, KeyCode::Char('j'));
        }
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        g.bench_function(name, |b| {
            b.iter(|| {
                // A fresh frame each time: clear so the whole screen is drawn.
                t.clear().expect("clear");
                t.draw(|f| app.draw(f)).expect("draw");
            })
        });
    }
    g.finish();

    // The timeline against a baseline: the roadmap 60 changes earlier.
    let mut plan = support::Plan::with_features(support::FEATURES);
    let mut rng = support::Rng::new(7);
    let base_text = plan.render();
    for _ in 0..60 {
        plan.evolve(&mut rng);
    }
    std::fs::write(dir.path().join("big.toml"), plan.render()).expect("write");
    let load = |text: &str| {
        roadlens::model::load_str("big.toml", text, today)
            .roadmap
            .expect("loads")
    };
    let (now, base) = (load(&plan.render()), load(&base_text));
    let mut g = c.benchmark_group("timeline_200x60");
    for (lens, by, name) in [
        (Lens::Exec, By::Release, "exec"),
        (Lens::Engineering, By::Layer, "engineering"),
    ] {
        g.bench_function(format!("projection_{name}_with_baseline"), |b| {
            b.iter(|| black_box(timeline(&now, &lens, by, Some(&base), today)))
        });
        // What the TUI does when the shown roadmap changes (a time-lapse
        // step, a reload) while the baseline stays put: it projects the
        // roadmap and compares it with the baseline's rows, kept.
        let kept = project(&base, &lens, by).expect("projects");
        g.bench_function(format!("step_{name}_against_kept_baseline"), |b| {
            b.iter(|| {
                let rows = project(&now, &lens, by).expect("projects");
                black_box(TimelineView::of(rows, &lens, Some(&kept), today))
            })
        });
    }
    // A time-lapse step as the UI thread has it: the worker loaded the
    // version and projected its rows (`Lapsed::new`, timed above as
    // `step_*`); the UI compares them with the kept baseline's rows and
    // draws. Needs git for a repository with history to step through.
    if support::have_git() {
        let repo = tempfile::tempdir().expect("tempdir");
        let commit = |text: &str, msg: &str| {
            std::fs::write(repo.path().join("big.toml"), text).expect("write");
            for args in [&["add", "big.toml"][..], &["commit", "-qm", msg]] {
                let ok = support::git(repo.path())
                    .args(args)
                    .env("GIT_AUTHOR_NAME", "b")
                    .env("GIT_AUTHOR_EMAIL", "b@b")
                    .env("GIT_COMMITTER_NAME", "b")
                    .env("GIT_COMMITTER_EMAIL", "b@b")
                    .status()
                    .expect("git")
                    .success();
                assert!(ok, "git {args:?}");
            }
        };
        assert!(
            support::git(repo.path())
                .args(["init", "-q"])
                .status()
                .expect("git")
                .success()
        );
        commit(&base_text, "the baseline");
        commit(&plan.render(), "60 changes later");
        for (k, lens, name) in [
            ('1', Lens::Exec, "exec"),
            ('3', Lens::Engineering, "engineering"),
        ] {
            let mut app = timeline_app(repo.path(), k, &base);
            key(&mut app, KeyCode::Char('<')); // asks the worker (not run)
            let lapsed = Lapsed::new(now.clone(), Some(lens));
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            assert!(app.handle_msg(Msg::Lapse(1, Ok(lapsed.clone()))), "a step");
            t.draw(|f| app.draw(f)).expect("draw");
            let screen = format!("{}", t.backend());
            assert!(screen.contains("60 changes later"), "{screen}");
            g.bench_function(format!("lapse_step_{name}_ui_thread"), |b| {
                b.iter_custom(|iters| {
                    let mut took = std::time::Duration::ZERO;
                    for _ in 0..iters {
                        // Untimed: back to now and one step again, asking
                        // the worker (the request takes the replaced roadmap
                        // along), and the answer's copy.
                        key(&mut app, KeyCode::Char('>'));
                        key(&mut app, KeyCode::Char('<'));
                        let (seq, step) = (app.lapse_seq(), lapsed.clone());
                        let at = std::time::Instant::now();
                        assert!(app.handle_msg(Msg::Lapse(seq, Ok(step))));
                        t.draw(|f| app.draw(f)).expect("draw");
                        took += at.elapsed();
                    }
                    took
                })
            });
        }
    }
    for (k, name) in [('1', "exec"), ('3', "engineering")] {
        let mut app = timeline_app(root, k, &base);
        for _ in 0..200 {
            key(&mut app, KeyCode::Char('j'));
        }
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| app.draw(f)).expect("draw");
        let screen = format!("{}", t.backend());
        assert!(screen.contains("baseline: base"), "{screen}");
        g.bench_function(format!("frame_{name}_with_baseline"), |b| {
            b.iter(|| {
                t.clear().expect("clear");
                t.draw(|f| app.draw(f)).expect("draw");
            })
        });
    }
    g.finish();

    let mut app = App::new_for_test(root, today, w, h);
    key(&mut app, KeyCode::Char('/'));
    for c in "feature".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let mut typed = false;
    c.bench_function("search_keystroke_exec_1000_features", |b| {
        b.iter(|| {
            // Alternate typing and deleting a character: each is one
            // keystroke that re-ranks every item.
            if typed {
                key(&mut app, KeyCode::Backspace);
            } else {
                key(&mut app, KeyCode::Char('9'));
            }
            typed = !typed;
        })
    });

    let mut g = c.benchmark_group("startup");
    g.sample_size(20);
    g.bench_function("first_frame_200x60", |b| {
        b.iter(|| {
            let app = App::new_for_test(root, today, w, h);
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            t.draw(|f| app.draw(f)).expect("draw");
            black_box(app);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
