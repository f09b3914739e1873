//! Where output goes and whether it may be coloured.
//!
//! The decision is anstream's (`AutoStream::choice`): colour on a terminal
//! that supports it, never when `NO_COLOR` is set (non-empty) or
//! `CLICOLOR=0`, always with `CLICOLOR_FORCE`. The colours themselves are
//! the one palette of [`crate::vocab::style`].

use anstream::{AutoStream, ColorChoice};
use std::io::IsTerminal as _;

fn colored<S: anstream::stream::RawStream>(stream: &S) -> bool {
    AutoStream::choice(stream) != ColorChoice::Never
}

/// May standard output be coloured?
pub fn stdout_color() -> bool {
    colored(&std::io::stdout())
}

/// May standard error be coloured?
pub fn stderr_color() -> bool {
    colored(&std::io::stderr())
}

/// `NO_COLOR` is not set (or empty): the TUI may use colour.
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The one writer of every command's standard output. Each piece is written
/// and flushed at once, so a failure shows where it happens: a closed pipe
/// as [`ErrorKind::BrokenPipe`](super::error::ErrorKind), any other error
/// (`> /dev/full`) as a write error. Never a panic, never a lost write.
pub struct Out {
    stdout: std::io::StdoutLock<'static>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            stdout: std::io::stdout().lock(),
        }
    }

    /// Write `text` and flush it.
    pub fn write(&mut self, text: &str) -> Result<(), super::error::CommandError> {
        use std::io::Write;
        self.stdout
            .write_all(text.as_bytes())
            .and_then(|()| self.stdout.flush())
            .map_err(|e| super::error::CommandError::write(&e))
    }
}

impl Default for Out {
    fn default() -> Out {
        Out::new()
    }
}

/// Write `text` to standard output through [`Out`].
pub fn print(text: &str) -> Result<(), super::error::CommandError> {
    Out::new().write(text)
}

/// Tell on stderr what a command left out (`roadlens: warning: …`).
pub fn warnings(notes: Vec<String>) {
    for n in notes {
        eprintln!("roadlens: warning: {}", crate::text::sanitize_line(&n));
    }
}

/// How many columns a commit subject may take in text output: the
/// terminal's width on a terminal, else a cap that keeps a line readable
/// (JSON keeps subjects whole).
pub fn subject_width() -> usize {
    const PIPE_CAP: usize = 200;
    if std::io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).max(20))
    } else {
        PIPE_CAP
    }
}

/// A commit subject for text output: sanitized and cut to `width` columns.
pub fn subject(s: &str, width: usize) -> String {
    crate::tui::grid::fit(&crate::text::sanitize_line(s), width)
}
