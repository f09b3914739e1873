//! Where output goes and whether it may be coloured.
//!
//! The decision is anstream's (`AutoStream::choice`): colour on a terminal
//! that supports it, never when `NO_COLOR` is set (non-empty) or
//! `CLICOLOR=0`, always with `CLICOLOR_FORCE`. The colours themselves are
//! the one palette of [`crate::vocab::style`].

use anstream::{AutoStream, ColorChoice};

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
