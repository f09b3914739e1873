//! Command errors, typed, and the one place that turns them into a message
//! on stderr and an exit code (after jj's `CommandErrorKind`).
//!
//! A command returns `Ok(code)` when it did its work (0, or 1 for findings:
//! `check` errors, `diff --exit-code` changes) and `Err(CommandError)` when
//! it could not. Exit codes:
//!
//! | kind | exit | stderr |
//! |---|---|---|
//! | [`ErrorKind::Usage`]: unknown lens or revision, bad path, wrong arguments | 2 | the message |
//! | [`ErrorKind::Failed`]: git or file errors, nothing found for what was asked | 1 | the message |
//! | [`ErrorKind::Write`]: stdout cannot be written (`> /dev/full`) | 1 | `roadlens: cannot write output: …` |
//! | [`ErrorKind::BrokenPipe`]: the reader went away (`\| head`) | 141 | nothing |
//!
//! A closed pipe ends quietly, as git does, and with git's status under a
//! shell (128 + SIGPIPE): never 0 after a failed write.

use super::{EXIT_FINDINGS, EXIT_USAGE};
use crate::repo::RepoError;

/// Exit status after a closed pipe: what a shell reports for a process
/// killed by SIGPIPE (git's status for `git log | head`).
pub const EXIT_BROKEN_PIPE: u8 = 141;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command was called wrongly.
    Usage,
    /// The command could not do its work.
    Failed,
    /// Writing the output failed.
    Write,
    /// The output's reader went away.
    BrokenPipe,
}

#[derive(Debug)]
pub struct CommandError {
    pub kind: ErrorKind,
    /// What went wrong (untrusted parts already sanitized or not: it is
    /// sanitized when reported).
    pub message: String,
}

impl CommandError {
    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError {
            kind: ErrorKind::Usage,
            message: message.into(),
        }
    }

    pub fn failed(message: impl Into<String>) -> CommandError {
        CommandError {
            kind: ErrorKind::Failed,
            message: message.into(),
        }
    }

    /// A failed write to stdout.
    pub fn write(e: &std::io::Error) -> CommandError {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CommandError {
                kind: ErrorKind::BrokenPipe,
                message: String::new(),
            }
        } else {
            CommandError {
                kind: ErrorKind::Write,
                message: format!("cannot write output: {e}"),
            }
        }
    }

    /// The exit code of this kind of error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => EXIT_USAGE,
            ErrorKind::Failed | ErrorKind::Write => EXIT_FINDINGS,
            ErrorKind::BrokenPipe => EXIT_BROKEN_PIPE,
        }
    }

    /// Say what went wrong on stderr (as `roadlens{context}: message`; a
    /// write error as `roadlens: …`, a closed pipe not at all) and give the
    /// exit code.
    pub fn report(&self, context: &str) -> u8 {
        let text = crate::text::sanitize(&self.message);
        match self.kind {
            ErrorKind::BrokenPipe => {}
            ErrorKind::Write => eprintln!("roadlens: {text}"),
            ErrorKind::Usage | ErrorKind::Failed => eprintln!("roadlens{context}: {text}"),
        }
        self.exit_code()
    }
}

impl From<RepoError> for CommandError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotARepo(_)
            | RepoError::UnknownRevision(_)
            | RepoError::NoCommitBefore(_)
            | RepoError::NotACommit(_) => CommandError::usage(e.to_string()),
            _ => CommandError::failed(e.to_string()),
        }
    }
}

/// What a command returns: its exit code when it did its work.
pub type CommandResult = Result<u8, CommandError>;
