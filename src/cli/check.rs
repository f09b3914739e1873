//! `roadlens check [PATH...]`

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (default: current directory).
    pub paths: Vec<PathBuf>,
}

pub fn run(args: CheckArgs) -> u8 {
    todo!("{args:?}")
}
