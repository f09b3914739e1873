//! `roadlens diff [REV_A [REV_B]] [--lens L] [--format F] [--raw] [--staged] [-- PATHS]`

use super::Format;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Base and target revisions (none: HEAD vs working tree; one: REV vs working tree).
    #[arg(num_args = 0..=2)]
    pub revs: Vec<String>,
    /// Keep only what this lens shows: exec | sales | engineering | layer:<id>
    #[arg(long, short)]
    pub lens: Option<String>,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print a unified text diff instead of the semantic one.
    #[arg(long)]
    pub raw: bool,
    /// Compare HEAD with the index (what is staged).
    #[arg(long)]
    pub staged: bool,
    /// Exit 1 when there are changes (as git diff --exit-code).
    #[arg(long)]
    pub exit_code: bool,
    /// Limit to these roadmap files.
    #[arg(last = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: DiffArgs) -> u8 {
    todo!("{args:?}")
}
