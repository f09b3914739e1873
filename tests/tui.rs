//! The TUI driven through the same key handling the app uses, drawn on
//! ratatui's TestBackend, with insta snapshots.

use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use roadlens::tui::App;
use std::path::{Path, PathBuf};

const TODAY: Date = date(2027, 5, 10);

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/smart-pump.toml")
}

/// A temp dir (not a git repository) holding the sample roadmap.
fn sample_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(sample(), dir.path().join("smart-pump.toml")).expect("copy sample");
    dir
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    format!("{}", t.backend())
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    if std::env::var_os("NOSETTLE").is_none() {
        app.settle();
    }
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn debug_print() {
    let dir = sample_dir();
    let mut app = App::new_for_test(dir.path(), TODAY, 80, 24);
    for k in ["1", "2", "3", "4", "5"] {
        keys(&mut app, k);
        println!("{}", screen(&app, 80, 24));
    }
}
