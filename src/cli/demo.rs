//! `roadlens demo [DIR]`

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Build the demo repository here (default: a temporary directory removed on exit).
    pub dir: Option<PathBuf>,
}

pub fn run(args: DemoArgs) -> u8 {
    todo!("{args:?}")
}
