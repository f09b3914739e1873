//! The terminal UI: app state, event loop, one module per view.
//!
//! - `keys`: the one key table (dispatch, hint bar, help);
//! - `app`: state and `update` (keys → actions → state);
//! - `draw` and the view modules: drawing, a pure function of the state;
//! - `worker`: git work on background threads, results on a channel;
//! - `term`: terminal setup and restore, input / signal / file-watch threads.
//!
//! The event loop blocks on one channel that carries input events, signals,
//! file changes and background results, and redraws only when one of them
//! changed something.

mod app;
mod doc;
mod draw;
pub(crate) mod grid;
mod history;
mod keys;
mod present;
mod search;
mod term;
mod theme;
mod timeline;
mod views;
mod worker;

pub use app::{App, MIN_HEIGHT, MIN_WIDTH, Tab};
pub use draw::render;
pub use keys::{Action, Binding, Ctx, TABLE};
pub use term::{install_panic_hook, restore_sequences};
pub use theme::Theme;
pub use worker::{BaseLoaded, Lapsed, Msg, Worker};

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;

impl App {
    /// Draw the whole screen (pure: reads the state only).
    pub fn draw(&self, frame: &mut ratatui::Frame) {
        draw::draw(self, frame);
    }
}

/// Open the TUI on the roadmaps under `path`. Returns the exit code.
pub fn run(path: PathBuf, mouse: bool) -> u8 {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "roadlens: the interactive view needs a terminal; for scripts use `roadlens show`, `roadlens diff` or `roadlens log`"
        );
        return crate::cli::EXIT_USAGE;
    }
    if !path.exists() {
        eprintln!(
            "roadlens: {}: no such file or directory",
            crate::text::sanitize_line(&path.display().to_string())
        );
        return crate::cli::EXIT_USAGE;
    }
    let today = crate::model::today();
    let (tx, rx) = mpsc::channel();
    let worker = worker::Worker::threads(path.clone(), today, tx.clone());
    let mut app = App::new(path, Theme::from_env(), mouse, worker);

    if let Err(e) = term::setup(mouse) {
        term::restore();
        eprintln!("roadlens: cannot set up the terminal: {e}");
        return 1;
    }
    let code = event_loop(&mut app, tx, rx);
    term::restore();
    code
}

/// Open the TUI on a directory (the demo repository).
pub fn run_on_repo(dir: PathBuf) -> u8 {
    run(dir, false)
}

fn event_loop(app: &mut App, tx: mpsc::Sender<worker::Msg>, rx: mpsc::Receiver<worker::Msg>) -> u8 {
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(t) => t,
        Err(e) => {
            term::restore();
            eprintln!("roadlens: cannot open the terminal: {e}");
            return 1;
        }
    };
    if let Ok(size) = terminal.size() {
        app.handle_event(ratatui::crossterm::event::Event::Resize(
            size.width,
            size.height,
        ));
    }
    term::spawn_input(tx.clone());
    term::spawn_signals(tx.clone());
    let mut watcher = term::Watcher::new(tx);
    watcher.set(app.watch_dirs());

    if terminal.draw(|f| app.draw(f)).is_err() {
        return 1;
    }
    // History loads after the first frame.
    app.start_history();
    if app.settle() && terminal.draw(|f| app.draw(f)).is_err() {
        return 1;
    }
    while let Ok(first) = rx.recv() {
        let mut changed = false;
        // One reload for a burst of file, index or ref events.
        let (mut fs, mut index, mut refs) = (false, false, false);
        // Take whatever else is already waiting, then draw once.
        let waiting = std::iter::from_fn(|| rx.try_recv().ok());
        for msg in std::iter::once(first).chain(waiting) {
            match msg {
                worker::Msg::FsChanged => fs = true,
                worker::Msg::IndexChanged => index = true,
                worker::Msg::RefsChanged => refs = true,
                msg => changed |= app.handle_msg(msg),
            }
            if app.should_quit() {
                return app.exit_code();
            }
        }
        if fs {
            changed |= app.handle_msg(worker::Msg::FsChanged);
        } else if index {
            changed |= app.handle_msg(worker::Msg::IndexChanged);
        }
        if refs {
            changed |= app.handle_msg(worker::Msg::RefsChanged);
        }
        // New roadmap directories (after a load) and the git directories
        // (once history started) are watched as they become known.
        watcher.set(app.watch_dirs());
        watcher.set_git(app.git_dirs());
        // Only does work when threads could not be started (inline fallback).
        changed |= app.settle();
        if changed && terminal.draw(|f| app.draw(f)).is_err() {
            return 1;
        }
    }
    0
}
