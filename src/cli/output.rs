//! Where output goes and whether it may be coloured.

use std::io::IsTerminal;

/// Colour only on a terminal, and never when `NO_COLOR` is set (non-empty).
pub fn stdout_color() -> bool {
    no_color_unset() && std::io::stdout().is_terminal()
}

pub fn stderr_color() -> bool {
    no_color_unset() && std::io::stderr().is_terminal()
}

pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
