//! `roadlens show [PATH] --lens L --format F [--at REV]`

use super::Format;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A roadmap file, or a directory to search for roadmaps (default: current directory).
    pub path: Option<PathBuf>,
    /// exec | sales | engineering | layer:<id>
    #[arg(long, short, default_value = "exec")]
    pub lens: String,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show the roadmap as it was at a git revision.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
}

pub fn run(args: ShowArgs) -> u8 {
    todo!("{args:?}")
}
