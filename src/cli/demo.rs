//! `roadlens demo [DIR]`: build the demo repository (see [`crate::demo`]) and
//! open the TUI on it, or, when stdout is not a terminal, print its history
//! and its uncommitted changes.

use super::error::{CommandError, CommandResult};
use super::output::{self, Out};
use super::{EXIT_OK, Format};
use crate::demo::{DemoInfo, build_demo_repo};
use crate::text::sanitize_line;
use clap::Args;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Build the demo repository here (default: a temporary directory removed on exit).
    pub dir: Option<PathBuf>,
}

pub fn run(args: DemoArgs) -> CommandResult {
    let temp;
    let dir = match &args.dir {
        Some(dir) => {
            usable(dir).map_err(CommandError::usage)?;
            dir.clone()
        }
        None => match TempRepo::create() {
            Ok(t) => {
                temp = t;
                temp.path.clone()
            }
            Err(e) => {
                return Err(CommandError::failed(format!(
                    "cannot create a temporary directory: {e}"
                )));
            }
        },
    };
    let info = build_demo_repo(&dir).map_err(CommandError::failed)?;
    crate::model::load::pin_today(crate::demo::STORY_DAY);
    let shown = sanitize_line(&info.root.display().to_string()).into_owned();
    let kept = args.dir.is_some();

    if std::io::stdout().is_terminal() {
        if kept {
            output::print(&format!("Demo repository: {shown}\n"))?;
        }
        TUI_RUNNING.store(true, Ordering::SeqCst);
        let code = crate::tui::run(info.root.clone(), false);
        TUI_RUNNING.store(false, Ordering::SeqCst);
        if kept {
            output::print(&format!(
                "The demo repository is kept at {shown}\n{}",
                try_it(&shown)
            ))?;
        }
        return Ok(code);
    }

    let mut out = headline(&info, &shown, kept);
    out.push('\n');
    if kept {
        out.push_str(&try_it(&shown));
    }
    out.push('\n');
    output::print(&out)?;
    print_history_and_changes(&info)
}

/// DIR must be absent or an empty directory.
fn usable(dir: &Path) -> Result<(), String> {
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(false) => Err(format!(
            "{} is not empty; give a new or empty directory",
            dir.display()
        )),
        Ok(true) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() => Err(format!("{} is not a directory", dir.display())),
        Err(e) => Err(format!("cannot read {}: {e}", dir.display())),
    }
}

/// How to go on in a kept demo repository: there, commands take the real
/// date as today unless `ROADLENS_TODAY` names the demo's (the day the
/// story is told on, as the demo itself took it).
fn try_it(shown: &str) -> String {
    let today = crate::model::today();
    format!(
        "Its story is told on {today}; commands run there take the real date as today \
         unless ROADLENS_TODAY says otherwise:\n  cd {shown} && export ROADLENS_TODAY={today} && roadlens log\n"
    )
}

fn headline(info: &DemoInfo, shown: &str, kept: bool) -> String {
    let mut authors: Vec<&str> = info.commits.iter().map(|c| c.author).collect();
    authors.sort_unstable();
    authors.dedup();
    let place = if kept {
        format!("at {shown}")
    } else {
        format!("at {shown} (temporary: removed on exit; give a DIR to keep it)")
    };
    let tags: Vec<&str> = info.tags.iter().map(|(t, _)| *t).collect();
    format!(
        "Built a demo repository {place}: {} commits by {} authors on branch main, \
         the reviews tagged {}, with uncommitted changes to {}.",
        info.commits.len(),
        authors.len(),
        tags.join(" and "),
        info.roadmap
    )
}

/// Print the history and the uncommitted changes of the demo repository:
/// `roadlens log` and `roadlens diff`, run in the demo repository.
fn print_history_and_changes(info: &DemoInfo) -> CommandResult {
    let previous = std::env::current_dir().ok();
    if let Err(e) = std::env::set_current_dir(&info.root) {
        return Err(CommandError::failed(format!(
            "cannot change to {}: {e}",
            sanitize_line(&info.root.display().to_string())
        )));
    }
    let result = log_and_diff();
    if let Some(dir) = previous {
        // Back out of a temporary repository before it is removed.
        let _ = std::env::set_current_dir(dir);
    }
    result
}

fn log_and_diff() -> CommandResult {
    let mut out = Out::new();
    out.write("History (roadlens log), newest first:\n")?;
    let log = super::log::run(super::log::LogArgs {
        lens: None,
        format: Format::Text,
        max_count: None,
        entity: None,
        paths: Vec::new(),
    })?;
    out.write("\nUncommitted changes in the working tree (roadlens diff):\n")?;
    let diff = super::diff::run(super::diff::DiffArgs {
        revs: Vec::new(),
        lens: None,
        format: Format::Text,
        raw: false,
        staged: false,
        exit_code: false,
        paths: Vec::new(),
    })?;
    Ok(if log != EXIT_OK { log } else { diff })
}

/// Set while the TUI runs: a signal then gives it time to restore the terminal.
static TUI_RUNNING: AtomicBool = AtomicBool::new(false);

/// How long a signal waits for the TUI to restore the terminal and return.
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// A fresh temporary directory, removed when dropped and, as far as
/// possible, when the process gets SIGINT, SIGTERM or SIGHUP.
struct TempRepo {
    path: PathBuf,
    watcher: Option<Watcher>,
}

struct Watcher {
    handle: signal_hook::iterator::Handle,
    done: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl TempRepo {
    fn create() -> std::io::Result<TempRepo> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut last = None;
        for attempt in 0..16u32 {
            let path = base.join(format!(
                "roadlens-demo-{}-{nanos:08x}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    let watcher = Watcher::start(path.clone()).ok();
                    return Ok(TempRepo { path, watcher });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free name")))
    }
}

impl Watcher {
    fn start(path: PathBuf) -> std::io::Result<Watcher> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        #[cfg(unix)]
        let wanted = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
        #[cfg(not(unix))]
        let wanted = [SIGINT, SIGTERM];
        let mut signals = signal_hook::iterator::Signals::new(wanted)?;
        let handle = signals.handle();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let _ = std::fs::remove_dir_all(&path);
                if TUI_RUNNING.load(Ordering::SeqCst)
                    && finished.recv_timeout(GRACE)
                        != Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                {
                    // The TUI handled the signal and roadlens is exiting.
                    return;
                }
                let _ = signal_hook::low_level::emulate_default_handler(sig);
                std::process::exit(128 + sig);
            }
        });
        Ok(Watcher {
            handle,
            done,
            thread,
        })
    }
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        if let Some(w) = self.watcher.take() {
            w.handle.close();
            drop(w.done);
            let _ = w.thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
