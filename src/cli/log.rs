//! `roadlens log [--lens L] [--format text|json] [-n N] [--entity ID]`

use super::Format;
use clap::Args;

#[derive(Args, Debug)]
pub struct LogArgs {
    /// Count only what this lens shows: exec | sales | engineering | layer:<id>
    #[arg(long, short)]
    pub lens: Option<String>,
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// At most N entries.
    #[arg(short = 'n', long = "max-count")]
    pub max_count: Option<usize>,
    /// Every change to one entity over history (for releases and features, the target ledger).
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
}

pub fn run(args: LogArgs) -> u8 {
    todo!("{args:?}")
}
