//! Command line: clap subcommands and the text / markdown / JSON printers.
//!
//! Every command writes its output through [`output::Out`] and returns a
//! [`error::CommandResult`]; [`main`] turns errors into messages and exit
//! codes in one place ([`error::CommandError::report`]).
#![deny(clippy::print_stdout)]

/// Messages on stderr for every command: std's `eprintln!`, except that a
/// stderr that cannot be written (`2>/dev/full`, a closed pipe) is ignored
/// instead of panicking — there is nowhere left to say it. Defined before
/// the submodules, so it is the `eprintln!` they all use.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` without the panic, as [`eprintln!`].
macro_rules! eprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod check;
pub mod demo;
pub mod deps;
pub mod diff;
pub mod diffprint;
pub mod error;
pub mod gitdiff;
pub mod lensprint;
pub mod log;
pub mod output;
pub mod report;
pub mod show;
pub mod timeline;
pub mod timelineprint;

use clap::{Args, Parser, Subcommand, ValueEnum};
use error::CommandError;
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
    about = "Product roadmaps in TOML, through lenses, with their git history as meaningful diffs"
)]
pub struct Cli {
    /// Run as if roadlens was started in DIR (like `git -C`): before the
    /// subcommand, or after it.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,

    /// Ignore `git replace` refs (like `git --no-replace-objects`; also
    /// `GIT_NO_REPLACE_OBJECTS`).
    #[arg(long, global = true)]
    pub no_replace_objects: bool,

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
    /// The roadmap over time (Gantt), against any baseline revision.
    Timeline(timeline::TimelineArgs),
    /// Dependency chains of an item, or the whole graph by release and layer.
    Deps(deps::DepsArgs),
    /// One self-contained HTML page for an audience (timeline, lens, what changed).
    Report(report::ReportArgs),
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
            return ExitCode::from(match e.print() {
                // `--help` / `--version` that cannot be written.
                Err(w) if !e.use_stderr() => CommandError::write(&w).report(""),
                _ => code,
            });
        }
    };
    ExitCode::from(run(cli))
}

/// Run a parsed command line; the exit code.
pub fn run(cli: Cli) -> u8 {
    if cli.command.is_some() && (cli.tui.path.is_some() || cli.tui.mouse) {
        let what = match &cli.tui.path {
            Some(p) => format!("`{}`", p.display()),
            None => "--mouse".into(),
        };
        return CommandError::usage(format!(
            "{what} belongs to the terminal UI (`roadlens [PATH] [--mouse]`), not to a subcommand"
        ))
        .report("");
    }
    if cli.no_replace_objects {
        crate::repo::disable_replace_objects();
    }
    if let Some(p) = crate::model::today_setting_problem() {
        output::warnings(vec![p]);
    }
    if let Some(dir) = &cli.chdir
        && let Err(e) = std::env::set_current_dir(dir)
    {
        return CommandError::usage(format!("cannot change to {}: {e}", dir.display())).report("");
    }
    let (context, result) = match cli.command {
        Some(Command::Check(a)) => ("", check::run(a)),
        Some(Command::Show(a)) => ("", show::run(a)),
        Some(Command::Diff(a)) => (" diff", diff::run(a)),
        Some(Command::Log(a)) => (" log", log::run(a)),
        Some(Command::Timeline(a)) => (" timeline", timeline::run(a)),
        Some(Command::Deps(a)) => (" deps", deps::run(a)),
        Some(Command::Report(a)) => (" report", report::run(a)),
        Some(Command::Demo(a)) => (" demo", demo::run(a)),
        Some(Command::GitDiff(a)) => (" git-diff", gitdiff::run(a)),
        None => (
            "",
            Ok(crate::tui::run(
                cli.tui.path.unwrap_or_else(|| PathBuf::from(".")),
                cli.tui.mouse,
            )),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => e.report(context),
    }
}
