//! Command line: clap subcommands and the text / markdown / JSON printers.

pub mod check;
pub mod demo;
pub mod diff;
pub mod diffprint;
pub mod gitdiff;
pub mod lensprint;
pub mod log;
pub mod output;
pub mod show;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes: 0 ok, 1 findings or errors, 2 usage.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "roadlens",
    version,
    about = "Product roadmaps in TOML, through lenses, with their git history as meaningful diffs",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Run as if roadlens was started in DIR (like `git -C`).
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub tui: TuiArgs,
}

#[derive(Args, Debug, Default)]
pub struct TuiArgs {
    /// Repository or directory holding the roadmaps (default: current directory).
    pub path: Option<PathBuf>,
    /// Enable mouse wheel and click (off by default: it blocks text selection).
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate every roadmap; errors as file:line:col with the source line.
    Check(check::CheckArgs),
    /// Print a lens non-interactively.
    Show(show::ShowArgs),
    /// Semantic diff between revisions (default: HEAD vs working tree).
    Diff(diff::DiffArgs),
    /// The roadmap's history, one line per commit with a change summary.
    Log(log::LogArgs),
    /// Build a throw-away repository with a realistic history and open it.
    Demo(demo::DemoArgs),
    /// git external diff driver: `git config diff.roadlens.command 'roadlens git-diff'`.
    #[command(name = "git-diff", hide = true)]
    GitDiff(gitdiff::GitDiffArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Json,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(dir) = &cli.chdir
        && let Err(e) = std::env::set_current_dir(dir)
    {
        {
            eprintln!(
                "roadlens: cannot change to {}: {e}",
                crate::text::sanitize_line(&dir.display().to_string())
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let code = match cli.command {
        Some(Command::Check(a)) => check::run(a),
        Some(Command::Show(a)) => show::run(a),
        Some(Command::Diff(a)) => diff::run(a),
        Some(Command::Log(a)) => log::run(a),
        Some(Command::Demo(a)) => demo::run(a),
        Some(Command::GitDiff(a)) => gitdiff::run(a),
        None => crate::tui::run(
            cli.tui.path.unwrap_or_else(|| PathBuf::from(".")),
            cli.tui.mouse,
        ),
    };
    ExitCode::from(code)
}
