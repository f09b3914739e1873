//! TUI benchmarks on ratatui's TestBackend with a generated roadmap of 1000
//! features (5000 work items, 40 releases, 5 layers):
//! - a frame of each tab at 200x60 (target < 5 ms),
//! - one search keystroke ranking every item of the Executive lens
//!   (target < 10 ms),
//! - time to first frame: load, project every lens, draw (target < 150 ms;
//!   history loads after it).

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use roadlens::tui::App;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

const FEATURES: usize = 1000;
const RELEASES: usize = 40;
const LAYERS: [&str; 5] = ["hardware", "firmware", "comms", "cloud", "apps"];
const STATUS: [&str; 4] = ["planned", "in-progress", "shipped", "deferred"];
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
const WORDS: [&str; 16] = [
    "sensor",
    "gateway",
    "alert",
    "fleet",
    "dashboard",
    "firmware",
    "battery",
    "modem",
    "pipeline",
    "console",
    "report",
    "billing",
    "update",
    "identity",
    "export",
    "forecast",
];

/// A valid roadmap: dependencies only point backwards (no cycles).
fn roadmap_toml() -> String {
    let mut s = String::new();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut rnd = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let w = |i: usize| WORDS[i % WORDS.len()];
    s.push_str(
        "[roadmap]\nid = \"big\"\ntitle = \"Big Product\"\nvision = \"Everything, measured.\"\n\n",
    );
    for m in 0..8 {
        let _ = writeln!(
            s,
            "[[metric]]\nid = \"m{m}\"\nname = \"Metric {m} {}\"\nunit = \"%\"\ncurrent = {}.0\ntarget = 99.0\n",
            w(m),
            50 + m
        );
    }
    for t in 0..12 {
        let _ = writeln!(
            s,
            "[[theme]]\nid = \"t{t}\"\ntitle = \"Theme {t}: better {}\"\noutcome = \"Improve {} by {t}0%\"\nmetric = \"m{}\"\n",
            w(t),
            w(t + 3),
            t % 8
        );
    }
    for r in 0..RELEASES {
        let (y, q) = (2027 + r / 4, r % 4 + 1);
        let _ = writeln!(
            s,
            "[[release]]\nid = \"r{r}\"\nname = \"Release {r} {}\"\ntarget = \"{y}-Q{q}\"\nstatus = \"{}\"\nhealth = \"{}\"\nconfidence = \"medium\"\nsummary = \"The {} and {} release.\"\n",
            w(r),
            STATUS[r % 3],
            HEALTH[rnd(4)],
            w(r + 1),
            w(r + 2)
        );
    }
    for f in 0..FEATURES {
        let r = f * RELEASES / FEATURES;
        let _ = writeln!(
            s,
            "[[feature]]\nid = \"f{f}\"\ntitle = \"Feature {f} {} {}\"\nrelease = \"r{r}\"\nthemes = [\"t{}\"]\nstatus = \"{}\"\nhealth = \"{}\"\ncommitment = \"{}\"\nvisibility = \"{}\"\ncustomer_value = \"Customers get {} {} without {}.\"\nbusiness_value = \"Opens {} revenue.\"",
            w(f),
            w(f / 3),
            f % 12,
            STATUS[rnd(4)],
            HEALTH[rnd(4)],
            COMMITMENT[rnd(3)],
            if f % 5 == 0 { "internal" } else { "public" },
            w(f + 1),
            w(f + 2),
            w(f + 5),
            w(f + 7)
        );
        if f > 10 && f % 3 == 0 {
            let _ = writeln!(s, "depends_on = [\"f{}\"]", rnd(f));
        }
        s.push('\n');
        for (k, layer) in LAYERS.iter().enumerate() {
            let _ = writeln!(
                s,
                "  [[feature.work]]\n  id = \"w{f}-{k}\"\n  layer = \"{layer}\"\n  title = \"{} {} for feature {f}\"\n  status = \"{}\"\n  estimate = \"{}w\"",
                w(f + k),
                w(f * 7 + k),
                STATUS[rnd(4)],
                1 + rnd(12)
            );
            if k > 0 {
                let _ = writeln!(s, "  depends_on = [\"w{f}-{}\"]", k - 1);
            }
            if k == 1 && f % 4 == 0 {
                let _ = writeln!(s, "  interface = \"API v{f}: {} over MQTT\"", w(f));
            }
            s.push('\n');
        }
    }
    for d in 0..60 {
        let _ = writeln!(
            s,
            "[[decision]]\nid = \"d{d}\"\nlayer = \"{}\"\narea = \"{}\"\ntitle = \"Decide the {}\"\nstatus = \"{}\"\n",
            LAYERS[d % 5],
            AREAS[d % 6],
            w(d),
            if d % 2 == 0 { "open" } else { "decided" }
        );
    }
    s
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("big.toml"), roadmap_toml()).expect("write");
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
    for (k, name) in [
        ('1', "exec"),
        ('2', "sales"),
        ('3', "engineering"),
        ('4', "layers"),
        ('5', "history"),
    ] {
        let mut app = App::new_for_test(root, today, w, h);
        app.settle();
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
