//! One vocabulary for every printer and view: the same data says the same
//! words and wears the same colour in `show`, `diff`, `log`, markdown and the
//! TUI.
//!
//! - [`words`]: how metrics (`41 → 28 hours`, `62% → 90%`), date spans
//!   (`2027-01 → 2027-Q3`, `→ 2027-Q3`, `from 2027-01`), status
//!   (`◐ in-progress`), health (`on-track`, `▲ at-risk`), confidence
//!   (`confidence medium`), commitment (`Committed`), file states
//!   (`cannot parse`) and changes (`» slipped by 1 quarter: 2027-Q3 →
//!   2027-Q4`) are written. Roadmap strings are sanitized here, so a caller
//!   never prints a raw value through the vocabulary.
//! - [`style`]: what a piece of text *is* ([`Role`]) and the one palette,
//!   as an [`anstyle::Style`]: the CLI writes it as ANSI ([`paint`]), the TUI
//!   converts it to a ratatui style (`src/tui/theme.rs`). The 16 ANSI colours
//!   only, and a glyph or word next to every colour so `NO_COLOR` loses
//!   nothing.
//! - [`layout`]: the one word-wrapper ([`wrap_styled`], [`wrap`]) and the one
//!   truncation with an ellipsis ([`fit`]).
//!
//! Nothing here knows where the text goes; the one sanitizer stays
//! [`crate::text`].

pub mod chart;
pub mod layout;
pub mod style;
pub mod words;

pub use layout::{GLUE, cut_runs, fit, fit_runs, glued, hard_wrap, width, wrap, wrap_styled};
pub use style::{Role, paint, style};
pub use words::*;
