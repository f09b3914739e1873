//! The terminal: setup, restore (on quit, panic, Ctrl-C, SIGTERM), and the
//! threads that feed the event loop (input, signals, file changes).

use super::worker::Msg;
use ratatui::crossterm::{
    cursor::Show,
    event::{self, DisableMouseCapture, EnableMouseCapture},
    execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// Write the sequences that undo our terminal setup: mouse capture off,
/// alternate screen left, cursor shown. Safe to call more than once.
pub fn restore_sequences(w: &mut impl Write) -> std::io::Result<()> {
    execute!(w, DisableMouseCapture, LeaveAlternateScreen, Show)
}

/// Put the terminal back as we found it (raw mode off first).
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = restore_sequences(&mut std::io::stdout());
}

/// The panic hook: restore the terminal, report the panic as usual, and
/// end the process (a panic on a background thread must not leave the UI
/// drawing into a restored terminal).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        std::process::exit(101);
    }));
}

/// Raw mode, alternate screen, and mouse capture when asked for.
pub fn setup(mouse: bool) -> std::io::Result<()> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Forward terminal events into the event loop's channel.
pub fn spawn_input(tx: Sender<Msg>) {
    let _ = std::thread::Builder::new()
        .name("roadlens-input".into())
        .spawn(move || {
            loop {
                match event::read() {
                    Ok(ev) => {
                        if tx.send(Msg::Input(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => {
                        let _ = tx.send(Msg::Quit);
                        return;
                    }
                }
            }
        });
}

/// SIGTERM, SIGHUP and SIGINT ask the event loop to quit (so the terminal
/// is restored on the way out).
pub fn spawn_signals(tx: Sender<Msg>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("roadlens-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let _ = tx.send(Msg::Signal(sig));
            }
        });
}

/// Watches the roadmap files' directories; any change to a `.toml` file
/// sends [`Msg::FsChanged`].
pub struct Watcher {
    inner: Option<notify::RecommendedWatcher>,
    dirs: Vec<PathBuf>,
}

impl Watcher {
    pub fn new(tx: Sender<Msg>) -> Watcher {
        let inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(ev) = res else { return };
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            let relevant = ev
                .paths
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "toml"));
            if relevant {
                let _ = tx.send(Msg::FsChanged);
            }
        })
        .ok();
        Watcher {
            inner,
            dirs: vec![],
        }
    }

    /// Also watch these directories (non-recursively). Directories once
    /// watched stay watched: an editor that truncates a file before writing
    /// it can make a reload see no roadmap there for a moment, and the write
    /// that follows must still be seen.
    pub fn set(&mut self, dirs: Vec<PathBuf>) {
        use notify::Watcher as _;
        let Some(w) = self.inner.as_mut() else { return };
        for d in dirs {
            if !self.dirs.contains(&d) {
                let _ = w.watch(&d, notify::RecursiveMode::NonRecursive);
                self.dirs.push(d);
            }
        }
    }
}
