//! `roadlens git-diff`: git's external diff driver (7 arguments).

use clap::Args;

#[derive(Args, Debug)]
pub struct GitDiffArgs {
    /// path old-file old-hex old-mode new-file new-hex new-mode [new-path similarity]
    #[arg(num_args = 0.., allow_hyphen_values = true)]
    pub args: Vec<String>,
}

pub fn run(args: GitDiffArgs) -> u8 {
    todo!("{args:?}")
}
