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
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

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

/// What a changed path means: a roadmap file, the index, or HEAD and refs
/// (in one of `git_dirs`, the repository's git directories). `None`:
/// nothing to reload (lock files, logs, objects...).
pub fn classify(path: &Path, git_dirs: &[PathBuf]) -> Option<Msg> {
    for g in git_dirs {
        let Ok(rel) = path.strip_prefix(g) else {
            continue;
        };
        let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
        return match parts.as_slice() {
            ["index"] => Some(Msg::IndexChanged),
            ["HEAD"] | ["packed-refs"] => Some(Msg::RefsChanged),
            ["refs", .., last] if !last.ends_with(".lock") => Some(Msg::RefsChanged),
            _ => None,
        };
    }
    path.extension()
        .is_some_and(|e| e == "toml")
        .then_some(Msg::FsChanged)
}

/// Watches the roadmap files' directories (a change to a `.toml` file sends
/// [`Msg::FsChanged`]) and the repository's git directories (the index:
/// [`Msg::IndexChanged`]; HEAD, refs, packed-refs: [`Msg::RefsChanged`]), so
/// that `git add`, `git commit` or `git checkout` in another terminal show.
pub struct Watcher {
    inner: Option<notify::RecommendedWatcher>,
    dirs: Vec<PathBuf>,
    git_dirs: Arc<Mutex<Vec<PathBuf>>>,
}

impl Watcher {
    pub fn new(tx: Sender<Msg>) -> Watcher {
        let git_dirs: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let known = git_dirs.clone();
        let inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(ev) = res else { return };
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            let dirs = known.lock().map(|d| d.clone()).unwrap_or_default();
            for msg in ev.paths.iter().filter_map(|p| classify(p, &dirs)) {
                let _ = tx.send(msg);
            }
        })
        .ok();
        Watcher {
            inner,
            dirs: vec![],
            git_dirs,
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

    /// Watch the repository's git directories: each one itself (HEAD, the
    /// index, packed-refs) and its `refs` (recursively).
    pub fn set_git(&mut self, dirs: &[PathBuf]) {
        use notify::Watcher as _;
        let Some(w) = self.inner.as_mut() else { return };
        let Ok(mut known) = self.git_dirs.lock() else {
            return;
        };
        for d in dirs {
            if known.contains(d) {
                continue;
            }
            let _ = w.watch(d, notify::RecursiveMode::NonRecursive);
            let refs = d.join("refs");
            if refs.is_dir() {
                let _ = w.watch(&refs, notify::RecursiveMode::Recursive);
            }
            known.push(d.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_told_apart() {
        let git = vec![PathBuf::from("/r/.git")];
        let kind = |p: &str| match classify(Path::new(p), &git) {
            Some(Msg::FsChanged) => "fs",
            Some(Msg::IndexChanged) => "index",
            Some(Msg::RefsChanged) => "refs",
            Some(_) => "other",
            None => "-",
        };
        assert_eq!(kind("/r/plans/a.toml"), "fs");
        assert_eq!(kind("/r/plans/a.md"), "-");
        assert_eq!(kind("/r/.git/index"), "index");
        assert_eq!(kind("/r/.git/index.lock"), "-");
        assert_eq!(kind("/r/.git/HEAD"), "refs");
        assert_eq!(kind("/r/.git/packed-refs"), "refs");
        assert_eq!(kind("/r/.git/refs/heads/main"), "refs");
        assert_eq!(kind("/r/.git/refs/heads/main.lock"), "-");
        assert_eq!(kind("/r/.git/ORIG_HEAD"), "-");
        assert_eq!(kind("/r/.git/objects/ab/cdef"), "-");
        assert_eq!(kind("/r/.git/logs/HEAD"), "-");
        // A `.toml` inside the git directory is not a roadmap edit.
        assert_eq!(kind("/r/.git/x.toml"), "-");
    }
}
